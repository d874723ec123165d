//! Fund ledgers for finance: per insurance type and month of a year, the income (collections,
//! allocated to types in the documented order — see `collections` — over what each employer owes
//! per month and type, `employer_due`, kept by the assessment statements), the expenditure (benefit
//! payments confirmed paid, in the month of their batch — work-injury benefits in the work-injury
//! fund — and the medical fund's share of approved medical settlements in the bill's month), the month's balance, and year to date
//! the subsidy the finance department must provide when expenditure exceeds income.

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Int4, SmallInt, Text};
use serde::Serialize;

use crate::error::StoreResult;
use crate::tenant_tx::TenantTx;

/// One month and insurance type of the fund ledger.
#[derive(Debug, Clone, Serialize, QueryableByName, PartialEq, Eq, schemars::JsonSchema)]
pub struct LedgerLine {
    /// The month, as its first day.
    #[diesel(sql_type = Date)]
    pub period: NaiveDate,
    #[diesel(sql_type = Text)]
    pub insurance_type: String,
    /// Collections for this contribution period allocated to this type (employer plus employee), fen.
    #[diesel(sql_type = BigInt)]
    pub income_fen: i64,
    /// Benefit lines confirmed paid in this month's batch, fen.
    #[diesel(sql_type = BigInt)]
    pub expenditure_fen: i64,
    /// income − expenditure (may be negative).
    #[diesel(sql_type = BigInt)]
    pub balance_fen: i64,
    /// Income from January to this month.
    #[diesel(sql_type = BigInt)]
    pub ytd_income_fen: i64,
    /// Expenditure from January to this month.
    #[diesel(sql_type = BigInt)]
    pub ytd_expenditure_fen: i64,
    /// Fiscal subsidy needed (财政补助): ytd expenditure − ytd income when positive, else 0.
    #[diesel(sql_type = BigInt)]
    pub subsidy_fen: i64,
}

/// The tenant's ledger lines of `year`, by month and type (months without movement omitted).
pub fn city(tx: &mut TenantTx<'_>, year: i32) -> StoreResult<Vec<LedgerLine>> {
    Ok(diesel::sql_query(
        "WITH assessed AS (
             SELECT employer_id, period, insurance_type, due_fen AS due,
                    array_position(ARRAY['pension', 'medical', 'unemployment', 'work_injury', 'maternity'], insurance_type) AS ord
             FROM employer_due WHERE tenant_id = $1 AND period >= make_date($2, 1, 1) AND period < make_date($2 + 1, 1, 1)),
         paid AS (
             SELECT employer_id, period, sum(amount_fen)::bigint AS paid FROM collection
             WHERE tenant_id = $1 AND period >= make_date($2, 1, 1) AND period < make_date($2 + 1, 1, 1) GROUP BY employer_id, period),
         alloc AS (
             SELECT a.period, a.insurance_type,
                    greatest(0, least(a.due, coalesce(p.paid, 0)
                                 - (sum(a.due) OVER (PARTITION BY a.employer_id, a.period ORDER BY a.ord) - a.due)))::bigint AS income
             FROM assessed a LEFT JOIN paid p ON p.employer_id = a.employer_id AND p.period = a.period),
         income AS (SELECT period, insurance_type, sum(income)::bigint AS fen FROM alloc GROUP BY period, insurance_type),
         spent AS (
             SELECT period, insurance_type, sum(fen)::bigint AS fen FROM (
                 SELECT b.period, CASE WHEN l.kind LIKE 'injury\\_%' THEN 'work_injury' ELSE l.kind END AS insurance_type, l.amount_fen AS fen
                 FROM payment_line l JOIN payment_batch b ON b.tenant_id = l.tenant_id AND b.id = l.batch_id
                 WHERE l.tenant_id = $1 AND l.status = 'paid' AND b.period >= make_date($2, 1, 1) AND b.period < make_date($2 + 1, 1, 1)
                 UNION ALL
                 -- the fund's share of approved settlements in the bill's month: the medical fund's pooled and
                 -- personal-account parts, or the work-injury fund's for an injury's medical costs
                 SELECT date_trunc('month', m.bill_date)::date, CASE WHEN m.injury_case_id IS NULL THEN 'medical' ELSE 'work_injury' END,
                        m.fund_fen + m.account_fen
                 FROM medical_settlement m
                 WHERE m.tenant_id = $1 AND m.status = 'approved' AND m.bill_date >= make_date($2, 1, 1) AND m.bill_date < make_date($2 + 1, 1, 1)
             ) s GROUP BY period, insurance_type),
         lines AS (
             SELECT coalesce(i.period, s.period) AS period, coalesce(i.insurance_type, s.insurance_type) AS insurance_type,
                    coalesce(i.fen, 0) AS income_fen, coalesce(s.fen, 0) AS expenditure_fen
             FROM income i FULL JOIN spent s ON s.period = i.period AND s.insurance_type = i.insurance_type)
         SELECT period, insurance_type, income_fen, expenditure_fen, income_fen - expenditure_fen AS balance_fen,
                sum(income_fen) OVER w::bigint AS ytd_income_fen, sum(expenditure_fen) OVER w::bigint AS ytd_expenditure_fen,
                greatest(0, sum(expenditure_fen) OVER w - sum(income_fen) OVER w)::bigint AS subsidy_fen
         FROM lines
         WINDOW w AS (PARTITION BY insurance_type ORDER BY period)
         ORDER BY period, array_position(ARRAY['pension', 'medical', 'unemployment', 'work_injury', 'maternity'], insurance_type)",
    )
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<Int4, _>(year)
    .load(tx.conn())?)
}

/// One month's expenditure of one benefit kind (the ledger's expenditure split by what was paid).
#[derive(Debug, Clone, Serialize, QueryableByName, PartialEq, Eq, schemars::JsonSchema)]
pub struct KindLine {
    #[diesel(sql_type = Date)]
    pub period: NaiveDate,
    /// The fund that paid it.
    #[diesel(sql_type = Text)]
    pub insurance_type: String,
    /// A benefit kind (`pension`, `unemployment`, `maternity`, `injury_*`), or `medical_bills` (the medical
    /// fund's share of settled bills) and `injury_medical` (a work injury's medical costs).
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = BigInt)]
    pub expenditure_fen: i64,
}

/// The year's expenditure by month and benefit kind, as the ledger counts it.
pub fn by_kind(tx: &mut TenantTx<'_>, year: i32) -> StoreResult<Vec<KindLine>> {
    Ok(diesel::sql_query(
        "SELECT period, insurance_type, kind, sum(fen)::bigint AS expenditure_fen FROM (
             SELECT b.period, CASE WHEN l.kind LIKE 'injury\\_%' THEN 'work_injury' ELSE l.kind END AS insurance_type, l.kind, l.amount_fen AS fen
             FROM payment_line l JOIN payment_batch b ON b.tenant_id = l.tenant_id AND b.id = l.batch_id
             WHERE l.tenant_id = $1 AND l.status = 'paid' AND b.period >= make_date($2, 1, 1) AND b.period < make_date($2 + 1, 1, 1)
             UNION ALL
             SELECT date_trunc('month', m.bill_date)::date,
                    CASE WHEN m.injury_case_id IS NULL THEN 'medical' ELSE 'work_injury' END,
                    CASE WHEN m.injury_case_id IS NULL THEN 'medical_bills' ELSE 'injury_medical' END, m.fund_fen + m.account_fen
             FROM medical_settlement m
             WHERE m.tenant_id = $1 AND m.status = 'approved' AND m.bill_date >= make_date($2, 1, 1) AND m.bill_date < make_date($2 + 1, 1, 1)
         ) s GROUP BY period, insurance_type, kind
         ORDER BY period, array_position(ARRAY['pension', 'medical', 'unemployment', 'work_injury', 'maternity'], insurance_type), kind",
    )
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<Int4, _>(year)
    .load(tx.conn())?)
}

/// One fund's year so far.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, schemars::JsonSchema)]
pub struct FundSummary {
    pub insurance_type: String,
    pub income_fen: i64,
    pub expenditure_fen: i64,
    pub balance_fen: i64,
    pub subsidy_fen: i64,
    /// Months of its average expenditure the year's balance pays (可支付月数), in tenths; null when nothing was spent.
    pub months_covered_tenths: Option<i64>,
}

/// Each fund's year from the ledger lines, in the allocation order; `months` of the year elapsed.
pub fn fund_summaries(lines: &[LedgerLine], months: u32) -> Vec<FundSummary> {
    jinbao_domain::funds::FUNDS
        .iter()
        .map(|&t| {
            let of = |f: fn(&LedgerLine) -> i64| lines.iter().filter(|l| l.insurance_type == t).map(f).sum::<i64>();
            let y =
                jinbao_domain::funds::FundYear::of(jinbao_domain::Fen(of(|l| l.income_fen)), jinbao_domain::Fen(of(|l| l.expenditure_fen)));
            FundSummary {
                insurance_type: t.to_string(),
                income_fen: y.income.0,
                expenditure_fen: y.expenditure.0,
                balance_fen: y.balance.0,
                subsidy_fen: y.subsidy.0,
                months_covered_tenths: y.months_covered_tenths(months),
            }
        })
        .collect()
}
