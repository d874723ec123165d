//! Collection of contributions and arrears.
//!
//! Allocation rule: payments recorded for an employer and a period are pooled and cover that
//! period's assessed lines in a fixed order — insurance type (pension, medical, unemployment, work
//! injury, maternity), then the employee part before the employer part (it was withheld from
//! wages), then person id, regular before back payment. The last line reached may be partly paid.
//! Money beyond the period's total is an over-payment, shown as a credit of that period; it is not
//! moved to other periods automatically. Allocation is derived on read, so a re-opened and
//! re-assessed period is re-allocated without touching the payments.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Nullable, SmallInt, Text};
use jinbao_domain::{Fen, Period};
use serde::Serialize;

use super::Page;
use crate::error::{is_unique_violation, StoreError, StoreResult};
use crate::repo::employers;
use crate::tenant_tx::TenantTx;

/// A recorded payment.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, schemars::JsonSchema)]
#[diesel(table_name = crate::schema::collection)]
pub struct Collection {
    pub id: i64,
    pub employer_id: i64,
    /// The period, as its first day.
    pub period: NaiveDate,
    /// Amount, fen.
    pub amount_fen: i64,
    pub paid_on: NaiveDate,
    #[schemars(extend("enum" = ["bank", "post", "counter", "online"]))]
    pub channel: String,
    pub bank_ref: Option<String>,
    pub created_at: DateTime<Utc>,
}

pub struct NewCollection<'a> {
    pub employer_id: i64,
    pub period: Period,
    pub amount: Fen,
    pub paid_on: NaiveDate,
    pub channel: &'a str,
    pub bank_ref: Option<&'a str>,
}

pub fn record(tx: &mut TenantTx<'_>, c: &NewCollection<'_>) -> StoreResult<Collection> {
    use crate::schema::collection::dsl as co;
    employers::get(tx, c.employer_id).map_err(|e| {
        if matches!(e, StoreError::NotFound) {
            StoreError::invalid("employer_id", "not_found")
        } else {
            e
        }
    })?;
    let tid = tx.tenant().0;
    let office = tx.actor().office_id().ok_or_else(|| StoreError::invalid("office", "office.unknown"))?;
    let user = tx.actor().user_id().ok_or_else(|| StoreError::invalid("user", "user.unknown"))?;
    // The funds' income of the month changes with the payment (statistic `income_fen`).
    let row: Collection = super::income::tracked(tx, c.period.first_day(), Some(c.employer_id), |tx| {
        let row: Collection = diesel::insert_into(co::collection)
            .values((
                co::tenant_id.eq(tid),
                co::employer_id.eq(c.employer_id),
                co::period.eq(c.period.first_day()),
                co::amount_fen.eq(c.amount.0),
                co::paid_on.eq(c.paid_on),
                co::channel.eq(c.channel),
                co::bank_ref.eq(c.bank_ref),
                co::office_id.eq(office),
                co::created_by.eq(user),
            ))
            .returning(Collection::as_returning())
            .get_result(tx.conn())
            .map_err(|e| {
                if is_unique_violation(&e, "collection_ref") {
                    StoreError::conflict("bank_ref", "collection.duplicate_ref")
                } else {
                    e.into()
                }
            })?;
        Ok(row)
    })?;
    tx.audit("collection.create", "collection", &row.id.to_string(), None, serde_json::to_value(&row).ok(), None)?;
    tx.push_stat("collected_fen", Some(row.period), "", row.amount_fen);
    Ok(row)
}

/// An employer's balance for one period.
#[derive(Debug, Clone, QueryableByName, Serialize, schemars::JsonSchema)]
pub struct Balance {
    #[diesel(sql_type = BigInt)]
    pub employer_id: i64,
    #[diesel(sql_type = Text)]
    pub employer_name: String,
    /// The period, as its first day.
    #[diesel(sql_type = Date)]
    pub period: NaiveDate,
    /// Assessed (regular and back payments, employer and employee), fen.
    #[diesel(sql_type = BigInt)]
    pub due_fen: i64,
    /// Payments recorded for the period, fen.
    #[diesel(sql_type = BigInt)]
    pub paid_fen: i64,
    /// due − paid when positive.
    #[diesel(sql_type = BigInt)]
    pub arrears_fen: i64,
    /// paid − due when positive.
    #[diesel(sql_type = BigInt)]
    pub credit_fen: i64,
}

/// Employer × period balances with arrears (or credit), optionally for one period or employer.
pub fn arrears(
    tx: &mut TenantTx<'_>,
    period: Option<Period>,
    employer_id: Option<i64>,
    only_open: bool,
    page: i64,
    per_page: i64,
) -> StoreResult<Page<Balance>> {
    let tid = tx.tenant().0;
    let items: Vec<Balance> = diesel::sql_query(
        "WITH due AS (
             SELECT employer_id, period, sum(employer_fen + employee_fen)::bigint AS due_fen FROM assessment
             WHERE tenant_id = $1 AND ($2::date IS NULL OR period = $2) AND ($3::bigint IS NULL OR employer_id = $3)
             GROUP BY employer_id, period),
         paid AS (
             SELECT employer_id, period, sum(amount_fen)::bigint AS paid_fen FROM collection
             WHERE tenant_id = $1 AND ($2::date IS NULL OR period = $2) AND ($3::bigint IS NULL OR employer_id = $3)
             GROUP BY employer_id, period)
         SELECT b.employer_id, e.name AS employer_name, b.period, b.due_fen, b.paid_fen,
                greatest(b.due_fen - b.paid_fen, 0) AS arrears_fen, greatest(b.paid_fen - b.due_fen, 0) AS credit_fen
         FROM (SELECT coalesce(d.employer_id, p.employer_id) AS employer_id, coalesce(d.period, p.period) AS period,
                      coalesce(d.due_fen, 0) AS due_fen, coalesce(p.paid_fen, 0) AS paid_fen
               FROM due d FULL JOIN paid p ON p.employer_id = d.employer_id AND p.period = d.period) b
         JOIN employer e ON e.tenant_id = $1 AND e.id = b.employer_id
         WHERE NOT $4 OR b.due_fen <> b.paid_fen
         ORDER BY b.period DESC, greatest(b.due_fen - b.paid_fen, 0) DESC, b.employer_id
         OFFSET $5 LIMIT $6",
    )
    .bind::<SmallInt, _>(tid)
    .bind::<Nullable<Date>, _>(period.map(|p| p.first_day()))
    .bind::<Nullable<BigInt>, _>(employer_id)
    .bind::<diesel::sql_types::Bool, _>(only_open)
    .bind::<BigInt, _>((page - 1) * per_page)
    .bind::<BigInt, _>(per_page + 1)
    .load(tx.conn())?;
    Ok(Page::from_overfetch(items, page, per_page))
}

/// One statement line: one person, one type, one party, one assessment row.
#[derive(Debug, Clone, QueryableByName, Serialize, schemars::JsonSchema)]
pub struct StatementLine {
    #[diesel(sql_type = BigInt)]
    pub person_id: i64,
    #[diesel(sql_type = Text)]
    pub name: String,
    /// Masked (`4110**********0044`) unless the caller has `person.reveal_id`.
    #[diesel(sql_type = Text)]
    pub id_number: String,
    #[diesel(sql_type = Text)]
    pub insurance_type: String,
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = Text)]
    pub party: String,
    /// Base, fen.
    #[diesel(sql_type = BigInt)]
    pub base_fen: i64,
    /// Rate, basis points (‱).
    #[diesel(sql_type = diesel::sql_types::Integer)]
    pub rate_bp: i32,
    /// Due, fen.
    #[diesel(sql_type = BigInt)]
    pub amount_fen: i64,
    /// Covered by the period's payments under the allocation rule, fen (0 ≤ paid_fen ≤ amount_fen; the last line
    /// reached may be partly paid).
    #[diesel(sql_type = BigInt)]
    pub paid_fen: i64,
}

/// The employer's statement for a period: every person × type × party line, with what the
/// period's payments cover under the allocation rule.
pub fn statement(tx: &mut TenantTx<'_>, employer_id: i64, period: Period) -> StoreResult<Vec<StatementLine>> {
    employers::get(tx, employer_id)?;
    let tid = tx.tenant().0;
    Ok(diesel::sql_query(
        "WITH lines AS (
             SELECT a.person_id, a.insurance_type, a.kind, v.party, a.base_fen, v.rate_bp, v.amount_fen, a.id,
                    array_position(ARRAY['pension','medical','unemployment','work_injury','maternity'], a.insurance_type) AS type_order
             FROM assessment a
             CROSS JOIN LATERAL (VALUES ('employee', a.employee_rate_bp, a.employee_fen, 0), ('employer', a.employer_rate_bp, a.employer_fen, 1)) v(party, rate_bp, amount_fen, party_order)
             WHERE a.tenant_id = $1 AND a.employer_id = $2 AND a.period = $3 AND (v.amount_fen <> 0 OR v.party = 'employer')
         ), ordered AS (
             SELECT l.*, sum(l.amount_fen) OVER (ORDER BY l.type_order, CASE l.party WHEN 'employee' THEN 0 ELSE 1 END, l.person_id,
                                                          CASE l.kind WHEN 'regular' THEN 0 ELSE 1 END, l.id
                                                 ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) - l.amount_fen AS before_fen
             FROM lines l
         ), pool AS (
             SELECT coalesce(sum(amount_fen), 0)::bigint AS paid FROM collection WHERE tenant_id = $1 AND employer_id = $2 AND period = $3
         )
         SELECT o.person_id, p.name, p.id_number::text AS id_number, o.insurance_type, o.kind, o.party, o.base_fen, o.rate_bp, o.amount_fen,
                greatest(least(o.amount_fen, pool.paid - o.before_fen), 0)::bigint AS paid_fen
         FROM ordered o CROSS JOIN pool
         JOIN person p ON p.tenant_id = $1 AND p.id = o.person_id
         ORDER BY o.type_order, CASE o.party WHEN 'employee' THEN 0 ELSE 1 END, o.person_id, CASE o.kind WHEN 'regular' THEN 0 ELSE 1 END, o.id",
    )
    .bind::<SmallInt, _>(tid)
    .bind::<BigInt, _>(employer_id)
    .bind::<Date, _>(period.first_day())
    .load(tx.conn())?)
}

pub fn of_employer(tx: &mut TenantTx<'_>, employer_id: i64) -> StoreResult<Vec<Collection>> {
    use crate::schema::collection::dsl as co;
    let tid = tx.tenant().0;
    Ok(co::collection
        .filter(co::tenant_id.eq(tid))
        .filter(co::employer_id.eq(employer_id))
        .order((co::period.desc(), co::id.desc()))
        .select(Collection::as_select())
        .load(tx.conn())?)
}
