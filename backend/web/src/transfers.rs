//! The transfer information the sending city produces from its own records (docs/rules.md §9): the
//! contribution months and bases per year and per month, the personal account with its interest,
//! and the pooled fund (12% of the bases since 1998-01). Stored with the transfer and handed to the
//! receiving city once approved.

use chrono::NaiveDate;
use jinbao_domain::benefits::transfer;
use jinbao_domain::{Fen, Period};
use jinbao_store::repo::benefits;
use jinbao_store::repo::global;
use jinbao_store::repo::transfers::Transfer;
use jinbao_store::{StoreError, TenantTx};
use serde_json::{json, Value};

use crate::auth::{Permission, Principal};
use crate::benefits::pension::personal_account;
use crate::error::{ApiError, Problems};
use crate::state::AppState;

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

/// A transfer as this city sees it, with the other city named (identity number masked unless
/// the caller may see it in full).
pub fn view(t: &Transfer, tenants: &[global::TenantInfo], reveal: bool) -> Value {
    let other = tenants.iter().find(|x| x.id == t.other_tenant_id);
    let mut v = serde_json::to_value(t).unwrap_or_default();
    if !reveal {
        v["id_number"] = json!(jinbao_domain::id_number::mask(&t.id_number));
    }
    v["other_city"] = json!({"code": other.map(|o| o.code.clone()), "name_zh": other.map(|o| o.name_zh.clone()), "name_en": other.map(|o| o.name_en.clone())});
    v
}

/// Opens a transfer-in (sends the contact letter), for the API and the page alike: limited per
/// user, and every refused attempt audited in this city in a transaction of its own (the
/// attempt's own was rolled back).
pub async fn open_letter(
    state: &AppState,
    who: &Principal,
    from_city: Option<String>,
    person_id: Option<i64>,
) -> Result<(Vec<global::TenantInfo>, Transfer), ApiError> {
    let out = try_open(state, who, from_city.clone(), person_id).await;
    if let Err(e) = &out {
        let code = match e {
            ApiError::Validation(ps) => ps.first().map_or_else(|| e.code().to_string(), |p| p.code.clone()),
            other => other.code().to_string(),
        };
        audit_refused(who, from_city.as_deref(), person_id, &code).await;
    }
    out
}

/// The reasons a sending city gives for refusing a letter.
pub const REFUSE_CODES: [&str; 4] = ["not_insured_here", "pension_paid", "transfer_open", "other"];

/// Checks a refusal: a known code, and a note (at most 200 characters) required with `other`.
pub fn refusal(code: Option<&str>, note: Option<&str>) -> Result<(String, Option<String>), ApiError> {
    let code = code.map(str::trim).unwrap_or("");
    let note = note.map(str::trim).filter(|n| !n.is_empty());
    let mut p = Problems::default();
    if code.is_empty() {
        p.push("code", "required");
    } else if !REFUSE_CODES.contains(&code) {
        p.push("code", "transfer.refuse_code");
    }
    if (code == "other" && note.is_none()) || note.is_some_and(|n| n.chars().count() > 200) {
        p.push("note", "transfer.refuse_note");
    }
    p.finish()?;
    Ok((code.to_string(), note.map(str::to_string)))
}

pub async fn try_open(
    state: &AppState,
    who: &Principal,
    from_city: Option<String>,
    person_id: Option<i64>,
) -> Result<(Vec<global::TenantInfo>, Transfer), ApiError> {
    who.require(Permission::TransferRequest)?;
    let key = crate::auth::rate_limit::transfer_open_key(who.tenant.0, who.user_id);
    if !state.transfer_opens.allow(&key).await {
        return Err(ApiError::TooManyRequests("transfer.rate_limited"));
    }
    let all = tenants(state).await?;
    let mut p = Problems::default();
    let from = from_city.as_deref().and_then(|c| all.iter().find(|t| t.code == c.trim() && t.kind == "city"));
    if from.is_none() {
        p.push("from_city", if from_city.is_none() { "required" } else { "transfer.unknown_city" });
    }
    if person_id.is_none() {
        p.push("person_id", "required");
    }
    p.finish()?;
    let (from, person) = (from.expect("checked").id, person_id.expect("checked"));
    let t = who.db(move |tx| jinbao_store::repo::transfers::open(tx, from, person)).await?;
    Ok((all, t))
}

pub async fn audit_refused(who: &Principal, from_city: Option<&str>, person_id: Option<i64>, code: &str) {
    let (from_city, code) = (from_city.map(|c| c.chars().take(20).collect::<String>()), code.to_string());
    if let Err(e) = who.db(move |tx| jinbao_store::repo::transfers::open_refused(tx, from_city.as_deref(), person_id, &code)).await {
        tracing::warn!(error = %e, "could not audit a refused transfer opening");
    }
}

pub async fn tenants(state: &AppState) -> Result<Vec<global::TenantInfo>, ApiError> {
    let db = state.db.clone();
    crate::blocking::run(move || global::tenants(&db)).await
}
