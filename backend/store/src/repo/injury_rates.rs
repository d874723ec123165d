//! Employers' floating work-injury rates (`jinbao_domain::injury`): yearly decisions, each
//! effective from a month, audited; the decision in force for a month applies to the preview,
//! enrolment and the monthly assessment.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Int2, SmallInt, Text, Timestamptz};
use jinbao_domain::Period;
use serde::Serialize;

use crate::error::{is_unique_violation, StoreError, StoreResult};
use crate::tenant_tx::TenantTx;

#[derive(Debug, Clone, Serialize, QueryableByName, schemars::JsonSchema)]
#[schemars(rename = "InjuryFloat")]
pub struct Decision {
    #[diesel(sql_type = Date)]
    pub effective_from: NaiveDate,
    #[diesel(sql_type = Int2)]
    pub percent: i16,
    #[diesel(sql_type = Text)]
    pub reason: String,
    #[diesel(sql_type = Text)]
    pub decided_by_name: String,
    #[diesel(sql_type = Timestamptz)]
    pub decided_at: DateTime<Utc>,
}

/// The employer's decisions, newest first.
pub fn history(tx: &mut TenantTx<'_>, employer_id: i64) -> StoreResult<Vec<Decision>> {
    Ok(diesel::sql_query(
        "SELECT f.effective_from, f.percent, f.reason, u.display_name AS decided_by_name, f.decided_at
         FROM employer_injury_float f JOIN app_user u ON u.tenant_id = f.tenant_id AND u.id = f.decided_by
         WHERE f.tenant_id = $1 AND f.employer_id = $2 ORDER BY f.effective_from DESC",
    )
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<BigInt, _>(employer_id)
    .load(tx.conn())?)
}

/// The percentage in force for `period` (100 without a decision); read with the employer
/// (`employers::get_with_injury_percent`, the one place that says which decision is in force).
pub fn percent_at(tx: &mut TenantTx<'_>, employer_id: i64, period: Period) -> StoreResult<u32> {
    Ok(super::employers::get_with_injury_percent(tx, employer_id, period)?.1)
}

/// Records a decision (checked against the employer's class), audited. One decision per month.
pub fn decide(tx: &mut TenantTx<'_>, employer_id: i64, effective_from: Period, percent: u32, reason: &str) -> StoreResult<Decision> {
    let user = tx.actor().user_id().ok_or_else(|| StoreError::invalid("user", "user.unknown"))?;
    let employer = super::employers::get(tx, employer_id)?;
    jinbao_domain::injury::check_float(employer.risk_class as u8, percent)?;
    let before = percent_at(tx, employer_id, effective_from)?;
    diesel::sql_query(
        "INSERT INTO employer_injury_float (tenant_id, employer_id, effective_from, percent, reason, decided_by) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<BigInt, _>(employer_id)
    .bind::<Date, _>(effective_from.first_day())
    .bind::<Int2, _>(percent as i16)
    .bind::<Text, _>(reason)
    .bind::<BigInt, _>(user)
    .execute(tx.conn())
    .map_err(|e| if is_unique_violation(&e, "employer_injury_float_pkey") { StoreError::conflict("effective_from", "injury.decided") } else { e.into() })?;
    tx.audit(
        "employer.injury_float",
        "employer",
        &employer_id.to_string(),
        Some(serde_json::json!({"percent": before})),
        Some(serde_json::json!({"percent": percent, "effective_from": effective_from.to_string(), "risk_class": employer.risk_class})),
        Some(reason),
    )?;
    history(tx, employer_id)?.into_iter().find(|d| d.effective_from == effective_from.first_day()).ok_or(StoreError::NotFound)
}
