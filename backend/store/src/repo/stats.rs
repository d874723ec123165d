//! Statistics for the province view, kept current by the business writes themselves.
//!
//! Writes append deltas (`stat_delta`) in their own transaction; `compact` folds them into
//! `stat_value`; readers add both, so figures are exact whenever they are read. `recount` computes
//! the same figures from the base tables — the check that proves the aggregates right.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, SmallInt, Text};
use serde::Serialize;

use crate::analytics::AnalyticsConn;
use crate::error::StoreResult;
use crate::tenant_tx::TenantTx;

/// The period used for "current" totals.
pub fn current_period() -> NaiveDate {
    NaiveDate::from_ymd_opt(1900, 1, 1).expect("valid date")
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, QueryableByName, schemars::JsonSchema)]
pub struct Figure {
    #[diesel(sql_type = SmallInt)]
    pub tenant_id: i16,
    #[diesel(sql_type = Text)]
    pub metric: String,
    #[diesel(sql_type = Date)]
    pub period: NaiveDate,
    #[diesel(sql_type = Text)]
    pub insurance_type: String,
    #[diesel(sql_type = BigInt)]
    pub value: i64,
}

/// Key of a figure, for comparing sets.
pub type Key = (i16, String, NaiveDate, String);

pub fn as_map(figures: Vec<Figure>) -> BTreeMap<Key, i64> {
    figures.into_iter().filter(|f| f.value != 0).map(|f| ((f.tenant_id, f.metric, f.period, f.insurance_type), f.value)).collect()
}

const CURRENT: &str = "
    SELECT tenant_id, metric, period, insurance_type, sum(value)::bigint AS value FROM (
        SELECT tenant_id, metric, period, insurance_type, value FROM stat_value
        UNION ALL
        SELECT tenant_id, metric, period, insurance_type, value FROM stat_delta
    ) s GROUP BY tenant_id, metric, period, insurance_type";

/// The tenant's figures as the aggregates say (folded values plus pending deltas).
pub fn current(tx: &mut TenantTx<'_>) -> StoreResult<Vec<Figure>> {
    Ok(diesel::sql_query(CURRENT).load(tx.conn())?)
}

/// Every tenant's figures, read through the analytics role (its own SELECT policy).
pub fn province(c: &mut AnalyticsConn<'_>) -> StoreResult<Vec<Figure>> {
    Ok(diesel::sql_query(CURRENT).load(c.conn())?)
}

/// The same figures recounted from the base tables.
pub fn recount(tx: &mut TenantTx<'_>) -> StoreResult<Vec<Figure>> {
    let tid = tx.tenant().0;
    Ok(diesel::sql_query(format!(
        "SELECT $1::smallint AS tenant_id, 'persons' AS metric, DATE '1900-01-01' AS period, '' AS insurance_type, count(*) AS value FROM person
         UNION ALL SELECT $1, 'employers', DATE '1900-01-01', '', count(*) FROM employer
         UNION ALL SELECT $1, 'active_enrolments', DATE '1900-01-01', insurance_type, count(*) FROM enrolment WHERE status = 'active' GROUP BY insurance_type
         UNION ALL SELECT $1, 'new_enrolments', start_period, insurance_type, count(*) FROM enrolment GROUP BY start_period, insurance_type
         UNION ALL SELECT $1, 'stopped_enrolments', end_period, insurance_type, count(*) FROM enrolment WHERE end_period IS NOT NULL GROUP BY end_period, insurance_type
         UNION ALL SELECT $1, 'assessed_fen', period, insurance_type, sum(employer_fen + employee_fen)::bigint FROM assessment GROUP BY period, insurance_type
         UNION ALL SELECT $1, 'collected_fen', period, '', sum(amount_fen)::bigint FROM collection GROUP BY period
         UNION ALL SELECT $1, 'benefits_paid_fen', period, fund, sum(fen)::bigint FROM (
                   SELECT b.period, CASE WHEN l.kind LIKE 'injury\\_%' THEN 'work_injury' ELSE l.kind END AS fund, l.amount_fen AS fen
                   FROM payment_line l JOIN payment_batch b ON b.tenant_id = l.tenant_id AND b.id = l.batch_id WHERE l.status = 'paid'
                   UNION ALL
                   SELECT date_trunc('month', bill_date)::date, CASE WHEN injury_case_id IS NULL THEN 'medical' ELSE 'work_injury' END,
                          fund_fen + account_fen FROM medical_settlement
                   WHERE status = 'approved' AND fund_fen + account_fen > 0) paid GROUP BY period, fund
         UNION ALL SELECT $1, CASE WHEN side = 'in' THEN 'transfers_in' ELSE 'transfers_out' END,
                          date_trunc('month', completed_at)::date, insurance_type, count(*)
                   FROM transfer WHERE state = 'completed' GROUP BY side, date_trunc('month', completed_at), insurance_type
         UNION ALL SELECT $1, 'registered_unemployed', DATE '1900-01-01', '', count(*) FROM unemployment_registration WHERE status = 'seeking'
         UNION ALL SELECT $1, 're_employed', date_trunc('month', ended_on)::date, '', count(*) FROM unemployment_registration
                   WHERE status = 're_employed' GROUP BY date_trunc('month', ended_on)
         UNION ALL SELECT $1, 'trainees', date_trunc('month', start_date)::date, '', count(*) FROM training GROUP BY date_trunc('month', start_date)
         UNION ALL {income}",
        income = super::income::RECOUNT
    ))
    .bind::<SmallInt, _>(tid)
    .load(tx.conn())?)
}

/// Folds the tenant's committed deltas into the values. Returns how many deltas were folded.
pub fn compact(tx: &mut TenantTx<'_>) -> StoreResult<i64> {
    let tid = tx.tenant().0;
    let n: crate::repo::CountRow = diesel::sql_query(
        "WITH moved AS (DELETE FROM stat_delta WHERE tenant_id = $1 RETURNING metric, period, insurance_type, value),
              folded AS (
                INSERT INTO stat_value (tenant_id, metric, period, insurance_type, value)
                SELECT $1, metric, period, insurance_type, sum(value) FROM moved GROUP BY metric, period, insurance_type
                ON CONFLICT (tenant_id, metric, period, insurance_type) DO UPDATE SET value = stat_value.value + EXCLUDED.value
                RETURNING 1)
         SELECT count(*) AS n FROM moved",
    )
    .bind::<SmallInt, _>(tid)
    .get_result(tx.conn())?;
    Ok(n.n)
}

/// Differences between the aggregates and a recount: (key, aggregate, recount).
pub fn differences(aggregate: Vec<Figure>, recount: Vec<Figure>) -> Vec<(Key, i64, i64)> {
    let (a, r) = (as_map(aggregate), as_map(recount));
    let mut keys: Vec<&Key> = a.keys().chain(r.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| a.get(*k) != r.get(*k))
        .map(|k| (k.clone(), a.get(k).copied().unwrap_or(0), r.get(k).copied().unwrap_or(0)))
        .collect()
}
