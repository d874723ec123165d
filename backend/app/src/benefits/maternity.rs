//! Maternity allowance (docs/rules.md §8): the employer's previous-year average monthly wage ÷ 30 ×
//! the leave days the fund pays (statutory days, plus the tenant's extra days when its fund pays
//! them). Paid once, in the month of the birth.

use chrono::{Datelike, NaiveDate};
use jinbao_domain::benefits::maternity::{self, MaternityCase};
use jinbao_domain::id_number::Gender;
use jinbao_domain::{Fen, Period};
use jinbao_store::kinds::ClaimKind;
use jinbao_store::repo::benefits::{self, NewClaim};
use jinbao_store::repo::{employers, persons};
use jinbao_store::{StoreError, TenantTx};
use serde::Deserialize;
use serde_json::json;

use super::ChannelInput;
use crate::error::{AppError, Problems};
use crate::input::yuan;

/// A maternity allowance proposal. The payment channel: `channel` `bank` with `bank_name` and `account_no`, or `post`
/// with `post_address` (missing: `required`). Unknown fields are ignored in this body (it is not parsed strictly).
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "MaternityClaimInput")]
pub struct MaternityInputForm {
    /// The person: a woman (`maternity.gender`).
    pub person_id: i64,
    /// The employer (`employer.unknown` when not in the caller's city).
    pub employer_id: i64,
    /// `birth` or `miscarriage`.
    #[schemars(extend("enum" = ["birth", "miscarriage", null]))]
    pub case: Option<String>,
    /// Births: number of babies, at least 1 (`maternity.babies`); +15 days for each one after the first.
    #[serde(default = "one")]
    pub babies: u32,
    /// Births: a difficult birth (难产), +15 days.
    #[serde(default)]
    pub difficult: bool,
    /// Miscarriages: the pregnancy had lasted 4 months or more (42 days instead of 15).
    #[serde(default)]
    pub four_months_or_more: bool,
    /// The day of the birth or miscarriage (YYYY-MM-DD).
    pub event_date: Option<String>,
    /// The employer's previous-year average monthly wage in yuan; computed from its assessed
    /// bases of that year when not given.
    #[schemars(with = "Option<crate::input::YuanInput>")]
    pub employer_avg_wage: Option<serde_json::Value>,
    #[serde(flatten)]
    pub channel: ChannelInput,
}

fn one() -> u32 {
    1
}

pub fn propose(tx: &mut TenantTx<'_>, f: &MaternityInputForm, today: NaiveDate) -> Result<NewClaim, AppError> {
    let mut p = Problems::default();
    if !(1..=10).contains(&f.babies) {
        p.push("babies", "maternity.babies");
    }
    let case = match f.case.as_deref() {
        Some("birth") => Some(MaternityCase::Birth { babies: f.babies, difficult: f.difficult }),
        Some("miscarriage") => Some(MaternityCase::Miscarriage { four_months_or_more: f.four_months_or_more }),
        Some(_) => {
            p.push("case", "maternity.case");
            None
        }
        None => {
            p.push("case", "required");
            None
        }
    };
    let event = crate::input::past_date(&mut p, "event_date", f.event_date.as_deref(), today);
    let given_wage = f.employer_avg_wage.as_ref().filter(|v| !v.is_null()).and_then(|v| yuan(&mut p, "employer_avg_wage", Some(v)));
    let channel = f.channel.parse(&mut p);
    p.finish()?;
    let (case, event, channel) = (case.expect("checked"), event.expect("checked"), channel.expect("checked"));
    let person = persons::get(tx, f.person_id).map_err(|e| match e {
        StoreError::NotFound => AppError::from(StoreError::invalid("person_id", "person.unknown")),
        e => e.into(),
    })?;
    if person.gender != Gender::Female {
        return Err(StoreError::invalid("person_id", "maternity.gender").into());
    }
    let employer = employers::get(tx, f.employer_id).map_err(|e| match e {
        StoreError::NotFound => AppError::from(StoreError::invalid("employer_id", "employer.unknown")),
        e => e.into(),
    })?;
    // One allowance per birth (or miscarriage): the same event again is a duplicate.
    if benefits::has_maternity_for(tx, person.id, event)? {
        return Err(StoreError::conflict("event_date", "maternity.duplicate").into());
    }
    let year = event.year() - 1;
    let (wage, wage_source) = match given_wage {
        Some(w) => (w, "entered".to_string()),
        None => match benefits::employer_average_base(tx, employer.id, year)? {
            Some(w) => (Fen(w), format!("assessed bases {year}")),
            None => return Err(StoreError::invalid("employer_avg_wage", "maternity.avg_wage_required").into()),
        },
    };
    let rule = benefits::rule(tx)?;
    let a = maternity::maternity_allowance(wage, case, rule.maternity_extra_days as u32, rule.maternity_fund_pays_extra)?;
    let claim = NewClaim {
        person_id: person.id,
        kind: ClaimKind::Maternity,
        inputs: json!({"employer_id": employer.id, "case": case, "event_date": event, "benefit_rule_version": rule.version}),
        calculation: json!({"employer_avg_wage_fen": wage.0, "wage_source": wage_source, "leave": a.leave,
                            "tenant_extra_days": rule.maternity_extra_days, "fund_pays_extra": rule.maternity_fund_pays_extra,
                            "amount_fen": a.amount.0}),
        amount_fen: a.amount.0,
        monthly: false,
        start_period: Period::of_date(event).first_day(),
        end_period: None,
        channel: channel.channel,
        bank_name: channel.bank_name,
        account_no: channel.account_no,
        post_address: channel.post_address,
        injury_case_id: None,
        payer: jinbao_store::kinds::ClaimPayer::Fund,
    };
    Ok(claim)
}
