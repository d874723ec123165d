//! Recording a payment received from an employer (征缴到账), for the JSON API and the employer
//! page alike: the input as sent, checked once into a [`Collection`], recorded under the retry
//! rule of [`crate::enrolment::once`] by the caller.

use chrono::NaiveDate;
use jinbao_domain::{Fen, Period};
use jinbao_store::repo::collections::{self, NewCollection};
use jinbao_store::{StoreError, TenantTx};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{AppError, Problems};
use crate::input;

/// How the money came: the bank, the post office, the counter or online.
pub const CHANNELS: [&str; 4] = ["bank", "post", "counter", "online"];

/// A collection as sent (the amount in yuan, text or number).
#[derive(Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CollectionInput {
    /// The paying employer (`required`, `not_found`).
    pub employer_id: Option<i64>,
    /// The period the payment is for.
    pub period: Option<String>,
    /// Amount received in yuan, greater than zero (`money.format`, `money.positive`).
    #[schemars(with = "Option<crate::input::YuanInput>")]
    pub amount: Option<Value>,
    /// Date received (`required`, `date.format`).
    pub paid_on: Option<String>,
    /// `bank` 银行, `post` 邮局, `counter` 柜台 or `online` 网上 (`collection.channel`).
    #[schemars(extend("enum" = ["bank", "post", "counter", "online", null]))]
    pub channel: Option<String>,
    /// The bank's or post office's transaction reference (流水号), at most 64 characters (`text.too_long`); unique per
    /// channel in the tenant (409 `collection.duplicate_ref`).
    pub bank_ref: Option<String>,
}

/// A checked collection: a positive amount, a period, a day, a known channel, a reference of at
/// most 64 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Collection {
    pub employer_id: i64,
    pub period: Period,
    pub amount: Fen,
    pub paid_on: NaiveDate,
    pub channel: String,
    pub bank_ref: Option<String>,
}

impl CollectionInput {
    pub fn parse(self) -> Result<Collection, AppError> {
        let mut p = Problems::default();
        if self.employer_id.is_none() {
            p.push("employer_id", "required");
        }
        let period = input::period(&mut p, "period", self.period.as_deref());
        let amount = input::yuan(&mut p, "amount", self.amount.as_ref());
        if amount.is_some_and(|a| a.0 <= 0) {
            p.push("amount", "money.positive");
        }
        let paid_on = input::date(&mut p, "paid_on", self.paid_on.as_deref());
        let channel = self.channel.map(|c| c.trim().to_string()).filter(|c| CHANNELS.contains(&c.as_str()));
        if channel.is_none() {
            p.push("channel", "collection.channel");
        }
        let bank_ref = input::opt_text_max(&mut p, "bank_ref", self.bank_ref, 64);
        match (self.employer_id, period, amount, paid_on, channel) {
            (Some(employer_id), Some(period), Some(amount), Some(paid_on), Some(channel)) if p.0.is_empty() => {
                Ok(Collection { employer_id, period, amount, paid_on, channel, bank_ref })
            }
            _ => Err(p.finish().err().unwrap_or_else(|| AppError::field("amount", "required"))),
        }
    }
}

/// Records the collection; the answer (201 and the record) as the retry rule stores it.
pub fn record(tx: &mut TenantTx<'_>, c: &Collection) -> Result<(u16, Value), StoreError> {
    let row = NewCollection {
        employer_id: c.employer_id,
        period: c.period,
        amount: c.amount,
        paid_on: c.paid_on,
        channel: &c.channel,
        bank_ref: c.bank_ref.as_deref(),
    };
    let saved = collections::record(tx, &row)?;
    Ok((201, serde_json::to_value(&saved).unwrap_or_default()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn input() -> CollectionInput {
        CollectionInput {
            employer_id: Some(3),
            period: Some("2026-07".into()),
            amount: Some(json!("1,234.50")),
            paid_on: Some("2026-07-15".into()),
            channel: Some(" bank ".into()),
            bank_ref: Some("".into()),
        }
    }

    fn fields(e: AppError) -> Vec<String> {
        match e {
            AppError::Validation(v) => v.into_iter().map(|f| format!("{}:{}", f.field, f.code)).collect(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_collection_is_checked_whole() {
        let c = input().parse().unwrap();
        assert_eq!((c.amount, c.channel.as_str(), c.bank_ref), (Fen(123_450), "bank", None));
        let bad = CollectionInput { amount: Some(json!("0")), channel: Some("cash".into()), bank_ref: Some("号".repeat(65)), ..input() };
        assert_eq!(fields(bad.parse().unwrap_err()), ["amount:money.positive", "channel:collection.channel", "bank_ref:text.too_long"]);
        let only_ref = CollectionInput { bank_ref: Some("号".repeat(65)), ..input() };
        assert_eq!(fields(only_ref.parse().unwrap_err()), ["bank_ref:text.too_long"]);
        assert_eq!(fields(CollectionInput::default().parse().unwrap_err()).len(), 5);
    }
}
