//! The transfer information the sending city produces from its own records (docs/rules.md §9): the
//! contribution months and bases per year and per month, the personal account with its interest,
//! and the pooled fund (12% of the bases since 1998-01). Stored with the transfer and handed to the
//! receiving city once approved.

use chrono::NaiveDate;
use jinbao_domain::benefits::transfer;
use jinbao_domain::{Fen, Period};
use jinbao_store::repo::benefits;
use jinbao_store::{StoreError, TenantTx};
use serde_json::{json, Value};

use crate::benefits::pension::personal_account;
use crate::error::ApiError;

/// The information and its total (personal account + pooled fund) for `person_id`.
pub fn information(tx: &mut TenantTx<'_>, person_id: i64, today: NaiveDate) -> Result<(Value, i64), ApiError> {
    let months = benefits::months(tx, person_id, "pension")?;
    if months.is_empty() {
        return Err(StoreError::invalid("transfer", "transfer.no_contributions").into());
    }
    let bases: Vec<(Period, Fen)> = months.iter().map(|m| (Period::of_date(m.period), Fen(m.base_fen))).collect();
    let summary = transfer::summarize(&bases)?;
    let rule = benefits::rule(tx)?;
    let published = benefits::interest_rates(tx, rule.id)?;
    // The account as of the transfer month: its year's interest pro rata by month.
    let (balance, account_years) = personal_account(&months, rule.accounts_began, &published, Period::of_date(today))?;
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
        "interest": account_years.iter().map(|y| json!({"year": y.year, "rate_bp": y.rate.0})).collect::<Vec<_>>(),
        "account_years": account_years,
        "provisional_rate_years": account_years.iter().filter(|y| y.provisional).map(|y| y.year).collect::<Vec<_>>(),
        "as_of": today,
    });
    Ok((info, funds.total.0))
}
