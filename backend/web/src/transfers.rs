//! The transfer information the sending city produces from its own records (REFERENCE §9): the
//! contribution months and bases per year and per month, the personal account with its interest,
//! and the pooled fund (12% of the bases since 1998-01). Stored with the transfer and handed to the
//! receiving city once approved.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use jinbao_domain::benefits::transfer;
use jinbao_domain::{Fen, Period};
use jinbao_store::repo::benefits;
use jinbao_store::{StoreError, TenantTx};
use serde_json::{json, Value};

use crate::benefits::pension::{account, Account};
use crate::error::ApiError;

/// The information and its total (personal account + pooled fund) for `person_id`.
pub fn information(tx: &mut TenantTx<'_>, person_id: i64, today: NaiveDate) -> Result<(Value, i64), ApiError> {
    let months = benefits::months(tx, person_id, "pension")?;
    if months.is_empty() {
        return Err(StoreError::invalid("transfer", "transfer.no_contributions").into());
    }
    let bases: Vec<(Period, Fen)> = months.iter().map(|m| (Period::of_date(m.period), Fen(m.base_fen))).collect();
    let summary = transfer::summarize(&bases)?;
    let mut by_year: BTreeMap<i32, (i64, i64, i64)> = BTreeMap::new();
    for m in &months {
        let e = by_year.entry(m.period.year()).or_default();
        e.0 += 1;
        e.1 += m.base_fen;
        e.2 += m.employee_fen;
    }
    let rule = benefits::rule(tx)?;
    let first = by_year.keys().next().copied().unwrap_or(today.year());
    let years = benefits::years(tx, rule.id, first, today.year())?;
    let Account { balance, rates, provisional } = account(&years, &by_year, first, today.year())?;
    let funds = transfer::transfer_funds(&bases, balance)?;
    let info = json!({
        "months": summary.contribution_months,
        "pooled_months": summary.pooled_months,
        "pooled_base_sum_fen": summary.pooled_base_sum.0,
        "years": summary.years,
        "periods": months.iter().map(|m| json!({"period": m.period, "base_fen": m.base_fen, "employee_fen": m.employee_fen})).collect::<Vec<_>>(),
        "personal_account_fen": funds.personal_account.0,
        "pooled_fund_fen": funds.pooled_fund.0,
        "total_fen": funds.total.0,
        "interest": rates.iter().map(|(y, r)| json!({"year": y, "rate_bp": r.0})).collect::<Vec<_>>(),
        "provisional_rate_years": provisional,
        "as_of": today,
    });
    Ok((info, funds.total.0))
}
