//! The funds' income (基金收入) by insurance type: what each employer's payments for a month cover of
//! what it owes for that month, type by type in the allocation order (pension, medical,
//! unemployment, work injury, maternity; `repo::collections`). Each fund is accounted separately
//! (分账核算): the fund ledger of a city and the province's finance view read the same figures, the
//! province through the statistic `income_fen` (period, type), kept by the writes that change it —
//! a payment, an assessment statement, a re-opened period, back payments — as the difference of the
//! allocation before and after, under a lock per tenant and month so concurrent writes add up.

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Nullable, SmallInt, Text};

use crate::error::StoreResult;
use crate::tenant_tx::TenantTx;

/// Allocation of one month's payments to types, employers with payments only (one, or all).
const ALLOCATION: &str = "
    WITH paid AS (
        SELECT employer_id, sum(amount_fen)::bigint AS paid FROM collection
        WHERE tenant_id = $1 AND period = $2 AND ($3::bigint IS NULL OR employer_id = $3) GROUP BY employer_id),
    due AS (
        SELECT d.employer_id, d.insurance_type, d.due_fen AS due, p.paid,
               sum(d.due_fen) OVER (PARTITION BY d.employer_id
                                    ORDER BY array_position(ARRAY['pension','medical','unemployment','work_injury','maternity'], d.insurance_type))
                 - d.due_fen AS before
        FROM employer_due d JOIN paid p ON p.employer_id = d.employer_id
        WHERE d.tenant_id = $1 AND d.period = $2)
    SELECT insurance_type, sum(greatest(0, least(due, paid - before)))::bigint AS fen FROM due GROUP BY insurance_type";

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = Text)]
    insurance_type: String,
    #[diesel(sql_type = BigInt)]
    fen: i64,
}

/// The income of `period` by type (of one employer, or all).
pub fn allocation(tx: &mut TenantTx<'_>, period: NaiveDate, employer: Option<i64>) -> StoreResult<Vec<(String, i64)>> {
    let rows: Vec<Row> = diesel::sql_query(ALLOCATION)
        .bind::<SmallInt, _>(tx.tenant().0)
        .bind::<Date, _>(period)
        .bind::<Nullable<BigInt>, _>(employer)
        .load(tx.conn())?;
    Ok(rows.into_iter().map(|r| (r.insurance_type, r.fen)).collect())
}

/// Serialises the writes that change a month's income (held to the end of the transaction).
pub fn lock(tx: &mut TenantTx<'_>, period: NaiveDate) -> StoreResult<()> {
    diesel::sql_query("SELECT pg_advisory_xact_lock(hashtextextended('income:' || $1::text || ':' || $2::text, 0))")
        .bind::<SmallInt, _>(tx.tenant().0)
        .bind::<Date, _>(period)
        .execute(tx.conn())?;
    Ok(())
}

/// Runs `write` (which changes what `employer` — or anyone — owes or paid for `period`) and records
/// the change of the month's income per type as statistic deltas.
pub fn tracked<T>(
    tx: &mut TenantTx<'_>,
    period: NaiveDate,
    employer: Option<i64>,
    write: impl FnOnce(&mut TenantTx<'_>) -> StoreResult<T>,
) -> StoreResult<T> {
    lock(tx, period)?;
    let before = allocation(tx, period, employer)?;
    let out = write(tx)?;
    let after = allocation(tx, period, employer)?;
    for t in ["pension", "medical", "unemployment", "work_injury", "maternity"] {
        let get = |v: &[(String, i64)]| v.iter().find(|(k, _)| k == t).map_or(0, |(_, f)| *f);
        let delta = get(&after) - get(&before);
        if delta != 0 {
            tx.push_stat("income_fen", Some(period), t, delta);
        }
    }
    Ok(out)
}

/// The recount of `income_fen` from the base tables (every month), for `repo::stats::recount`.
pub const RECOUNT: &str = "
    SELECT $1::smallint AS tenant_id, 'income_fen' AS metric, period, insurance_type, sum(fen)::bigint AS value FROM (
        SELECT d.period, d.insurance_type,
               greatest(0, least(d.due_fen, p.paid - (sum(d.due_fen) OVER (PARTITION BY d.employer_id, d.period
                   ORDER BY array_position(ARRAY['pension','medical','unemployment','work_injury','maternity'], d.insurance_type)) - d.due_fen))) AS fen
        FROM employer_due d
        JOIN (SELECT employer_id, period, sum(amount_fen)::bigint AS paid FROM collection GROUP BY employer_id, period) p
          ON p.employer_id = d.employer_id AND p.period = d.period) x
    GROUP BY period, insurance_type HAVING sum(fen) <> 0";
