//! Benefit decisions: the facts a calculation needs (parameters, a person's contribution months,
//! bases and personal-account credits), and claims proposed by one user and decided by another.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Date, Int4, Jsonb, Nullable, SmallInt, Text};
use serde::Serialize;

use std::collections::BTreeMap;

use jinbao_domain::benefits::{min_wage, unemployment};
use jinbao_domain::{Fen, Period};

use super::Page;
use crate::error::{is_unique_violation, StoreError, StoreResult};
use crate::kinds::{ClaimKind, ClaimStatus};
use crate::tenant_tx::TenantTx;

/// The tenant's current benefit parameters.
#[derive(Debug, Clone, Serialize, QueryableByName, schemars::JsonSchema)]
pub struct Rule {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Int4)]
    pub version: i32,
    #[diesel(sql_type = Int4)]
    pub transitional_coefficient_bp: i32,
    #[diesel(sql_type = Date)]
    pub accounts_began: NaiveDate,
    /// The minimum-wage class of a person in none of the tenant's listed counties.
    #[diesel(sql_type = SmallInt)]
    pub default_wage_class: i16,
    #[diesel(sql_type = BigInt)]
    pub subsistence_fen: i64,
    #[diesel(sql_type = Int4)]
    pub unemployment_percent_bp: i32,
    #[diesel(sql_type = Int4)]
    pub maternity_extra_days: i32,
    #[diesel(sql_type = Bool)]
    pub maternity_fund_pays_extra: bool,
}

pub fn rule(tx: &mut TenantTx<'_>) -> StoreResult<Rule> {
    diesel::sql_query(
        "SELECT id, version, transitional_coefficient_bp, accounts_began, default_wage_class, subsistence_fen, unemployment_percent_bp,
                maternity_extra_days, maternity_fund_pays_extra
         FROM benefit_rule WHERE tenant_id = $1 AND superseded_at IS NULL",
    )
    .bind::<SmallInt, _>(tx.tenant().0)
    .get_result(tx.conn())
    .optional()?
    .ok_or_else(|| StoreError::invalid("tenant", "benefit.no_parameters"))
}

/// The minimum wage of the three area classes from each month it changed, oldest first.
pub fn min_wage_schedules(tx: &mut TenantTx<'_>, rule_id: i64) -> StoreResult<Vec<min_wage::Schedule>> {
    #[derive(QueryableByName)]
    struct R {
        #[diesel(sql_type = Date)]
        effective_from: NaiveDate,
        #[diesel(sql_type = SmallInt)]
        class: i16,
        #[diesel(sql_type = BigInt)]
        amount_fen: i64,
    }
    let rows: Vec<R> = diesel::sql_query(
        "SELECT effective_from, class, amount_fen FROM benefit_min_wage WHERE tenant_id = $1 AND rule_id = $2 ORDER BY effective_from, class",
    )
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<BigInt, _>(rule_id)
    .load(tx.conn())?;
    let mut out: Vec<min_wage::Schedule> = Vec::new();
    for r in rows {
        let from = Period::of_date(r.effective_from);
        if out.last().is_none_or(|s| s.effective_from != from) {
            out.push(min_wage::Schedule { effective_from: from, amounts: [Fen(0); min_wage::CLASSES as usize] });
        }
        if let Some(slot) = out.last_mut().and_then(|s| usize::try_from(r.class - 1).ok().and_then(|i| s.amounts.get_mut(i))) {
            *slot = Fen(r.amount_fen);
        }
    }
    Ok(out)
}

/// The minimum-wage class of each county-level division code of the tenant.
pub fn county_classes(tx: &mut TenantTx<'_>, rule_id: i64) -> StoreResult<BTreeMap<String, u8>> {
    #[derive(QueryableByName)]
    struct R {
        #[diesel(sql_type = Text)]
        county_code: String,
        #[diesel(sql_type = SmallInt)]
        class: i16,
    }
    let rows: Vec<R> = diesel::sql_query("SELECT county_code, class FROM benefit_county_class WHERE tenant_id = $1 AND rule_id = $2")
        .bind::<SmallInt, _>(tx.tenant().0)
        .bind::<BigInt, _>(rule_id)
        .load(tx.conn())?;
    Ok(rows.into_iter().filter_map(|r| u8::try_from(r.class).ok().map(|c| (r.county_code, c))).collect())
}

/// The division code of the office that keeps the person's record.
pub fn person_office_code(tx: &mut TenantTx<'_>, person_id: i64) -> StoreResult<Option<String>> {
    #[derive(QueryableByName)]
    struct R {
        #[diesel(sql_type = Text)]
        code: String,
    }
    let r: Option<R> = diesel::sql_query(
        "SELECT o.code FROM person p JOIN office o ON o.tenant_id = p.tenant_id AND o.id = p.office_id WHERE p.tenant_id = $1 AND p.id = $2",
    )
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<BigInt, _>(person_id)
    .get_result(tx.conn())
    .optional()?;
    Ok(r.map(|r| r.code))
}

/// The personal-account crediting rates published for the tenant: (year, basis points).
pub fn interest_rates(tx: &mut TenantTx<'_>, rule_id: i64) -> StoreResult<Vec<(i32, i32)>> {
    #[derive(QueryableByName)]
    struct R {
        #[diesel(sql_type = Int4)]
        year: i32,
        #[diesel(sql_type = Int4)]
        interest_bp: i32,
    }
    let rows: Vec<R> = diesel::sql_query(
        "SELECT year, interest_bp FROM benefit_year WHERE tenant_id = $1 AND rule_id = $2 AND interest_bp IS NOT NULL ORDER BY year",
    )
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<BigInt, _>(rule_id)
    .load(tx.conn())?;
    Ok(rows.into_iter().map(|r| (r.year, r.interest_bp)).collect())
}

/// The payout base C for retirements in `year`: that year's, or the latest published before it
/// (a pension decided before C is published uses the last one). Returns (year used, C).
pub fn payout_base(tx: &mut TenantTx<'_>, rule_id: i64, year: i32) -> StoreResult<Option<(i32, i64)>> {
    #[derive(QueryableByName)]
    struct R {
        #[diesel(sql_type = Int4)]
        year: i32,
        #[diesel(sql_type = BigInt)]
        payout_base_fen: i64,
    }
    let r: Option<R> = diesel::sql_query(
        "SELECT year, payout_base_fen FROM benefit_year
         WHERE tenant_id = $1 AND rule_id = $2 AND year <= $3 AND payout_base_fen IS NOT NULL ORDER BY year DESC LIMIT 1",
    )
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<BigInt, _>(rule_id)
    .bind::<Int4, _>(year)
    .get_result(tx.conn())
    .optional()?;
    Ok(r.map(|r| (r.year, r.payout_base_fen)))
}

/// One **paid** month (实缴) of a person's contributions for an insurance type, from the legacy
/// history (imported as paid), the platform's own assessments whose contributions the employer's
/// payments cover under the allocation rule (`repo::collections`), and (pension) the months
/// transferred in from other cities — less the months this city has transferred out. Several
/// employers in one month: bases added; back payments (补差) add their base differences once paid.
///
/// `reference_wage_fen` is the wage that set the month's 60–300 % bounds — the average wage of the
/// contribution rule in force that month, or for months before the platform's first rule the
/// configured reference wage of the base year (the year whose adjustment month the month follows).
/// This one series divides bases into contribution indices.
#[derive(Debug, Clone, Serialize, QueryableByName, schemars::JsonSchema)]
pub struct Month {
    #[diesel(sql_type = Date)]
    pub period: NaiveDate,
    #[diesel(sql_type = BigInt)]
    pub base_fen: i64,
    #[diesel(sql_type = BigInt)]
    pub employee_fen: i64,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub reference_wage_fen: Option<i64>,
}

/// The allocation order of insurance types (as `repo::collections`).
const TYPE_ORDER: &str = "ARRAY['pension','medical','unemployment','work_injury','maternity']";

/// Per assessment row of the person: whether the employer's payments for that period cover it
/// entirely (both parts) under the allocation rule: every earlier type, then this type's employee
/// parts of everyone, then its employer parts in person order up to this row.
///
/// A person's own account cannot read colleagues' rows; it reads the same through the database
/// function `public_paid_rows` (migration `person_service`, which states this rule once more as
/// `assessment_paid_rows`: Citus plans no SQL function with parameters over distributed tables,
/// so staff statements keep it inline). `tests/it/person_service.rs` checks that a person's
/// statement and a clerk's have the same figures.
fn own_rows_sql(tx: &TenantTx<'_>) -> String {
    if tx.actor().account_id().is_some() {
        return "SELECT * FROM public_paid_rows($3) WHERE $1::smallint IS NOT NULL AND $2::bigint IS NOT NULL".to_string();
    }
    format!(
        "SELECT a.period, a.kind, a.base_fen, a.employee_fen, a.employer_fen,
                (SELECT coalesce(sum(c.amount_fen), 0) FROM collection c
                  WHERE c.tenant_id = $1 AND c.employer_id = a.employer_id AND c.period = a.period)
                >= (SELECT coalesce(sum(CASE
                        WHEN array_position({TYPE_ORDER}, l.insurance_type) < array_position({TYPE_ORDER}, $3) THEN l.employee_fen + l.employer_fen
                        WHEN l.insurance_type = $3 THEN l.employee_fen
                             + CASE WHEN (l.person_id, CASE l.kind WHEN 'regular' THEN 0 ELSE 1 END, l.id)
                                         <= (a.person_id, CASE a.kind WHEN 'regular' THEN 0 ELSE 1 END, a.id)
                                    THEN l.employer_fen ELSE 0 END
                        ELSE 0 END), 0)
                    FROM assessment l WHERE l.tenant_id = $1 AND l.employer_id = a.employer_id AND l.period = a.period) AS paid
         FROM assessment a
         WHERE a.tenant_id = $1 AND a.person_id = $2 AND a.insurance_type = $3"
    )
}

pub fn months(tx: &mut TenantTx<'_>, person_id: i64, insurance_type: &str) -> StoreResult<Vec<Month>> {
    Ok(diesel::sql_query(format!(
        "WITH moved_out AS (
             -- Months this city has transferred to another city: no longer this city's to count.
             SELECT (p ->> 'period')::date AS period
             FROM transfer t CROSS JOIN jsonb_array_elements(t.info -> 'periods') p
             WHERE t.tenant_id = $1 AND t.person_id = $2 AND t.side = 'out' AND t.state = 'completed' AND $3 = 'pension'),
         own AS ({own}),
         own_months AS (
             SELECT period, sum(base_fen) FILTER (WHERE paid)::bigint AS base_fen, sum(employee_fen) FILTER (WHERE paid)::bigint AS employee_fen
             FROM own WHERE period NOT IN (SELECT period FROM moved_out)
             GROUP BY period HAVING bool_or(paid AND kind = 'regular')),
         m AS (
             SELECT period, sum(base_fen)::bigint AS base_fen, sum(employee_fen)::bigint AS employee_fen FROM (
                 SELECT period, base_fen, employee_fen FROM contribution_history
                 WHERE tenant_id = $1 AND person_id = $2 AND insurance_type = $3 AND period NOT IN (SELECT period FROM moved_out)
                 UNION ALL
                 SELECT period, base_fen, employee_fen FROM own_months
                 UNION ALL
                 SELECT period, base_fen, employee_fen FROM transferred_period
                 WHERE tenant_id = $1 AND person_id = $2 AND $3 = 'pension') x
             GROUP BY period),
         adjust AS (SELECT coalesce((SELECT adjust_month FROM tenant_rule WHERE tenant_id = $1 AND superseded_at IS NULL
                                     ORDER BY effective_from LIMIT 1), 1)::int AS month)
         SELECT m.period, m.base_fen, m.employee_fen,
                coalesce((SELECT r.avg_wage_fen FROM tenant_rule r WHERE r.tenant_id = $1 AND r.superseded_at IS NULL AND r.effective_from <= m.period
                          ORDER BY r.effective_from DESC LIMIT 1),
                         (SELECT y.avg_wage_fen FROM benefit_year y
                          JOIN benefit_rule b ON b.tenant_id = y.tenant_id AND b.id = y.rule_id AND b.superseded_at IS NULL
                          WHERE y.tenant_id = $1
                            AND y.year = extract(year FROM m.period)::int - CASE WHEN extract(month FROM m.period) < adjust.month THEN 1 ELSE 0 END))
                    AS reference_wage_fen
         FROM m CROSS JOIN adjust
         ORDER BY m.period",
        own = own_rows_sql(tx)
    ))
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<BigInt, _>(person_id)
    .bind::<Text, _>(insurance_type)
    .load(tx.conn())?)
}

/// Assessed months of a person not (fully) paid: arrears on the record, not insured time.
#[derive(Debug, Clone, Serialize, QueryableByName, schemars::JsonSchema)]
pub struct UnpaidMonth {
    #[diesel(sql_type = Date)]
    pub period: NaiveDate,
    #[diesel(sql_type = BigInt)]
    pub due_fen: i64,
}

pub fn unpaid_months(tx: &mut TenantTx<'_>, person_id: i64, insurance_type: &str) -> StoreResult<Vec<UnpaidMonth>> {
    Ok(diesel::sql_query(format!(
        "WITH own AS ({own})
         SELECT period, sum(employee_fen + employer_fen)::bigint AS due_fen FROM own
         GROUP BY period HAVING NOT bool_or(paid AND kind = 'regular') ORDER BY period",
        own = own_rows_sql(tx)
    ))
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<BigInt, _>(person_id)
    .bind::<Text, _>(insurance_type)
    .load(tx.conn())?)
}

/// A benefit claim: the decision with all its figures, who proposed and who decided it.
#[derive(Debug, Clone, Serialize, QueryableByName, schemars::JsonSchema)]
pub struct Claim {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = BigInt)]
    pub person_id: i64,
    #[diesel(sql_type = Text)]
    pub person_name: String,
    #[diesel(sql_type = Text)]
    pub kind: crate::kinds::ClaimKind,
    #[diesel(sql_type = Text)]
    pub status: crate::kinds::ClaimStatus,
    /// What the clerk gave and the parameter version used: pension `{category, deemed_months, birth_date,
    /// benefit_rule_version}`; unemployment `{involuntary, separated_on, registration_id, benefit_rule_version}`;
    /// maternity `{employer_id, case, event_date, benefit_rule_version}` with `case` `{kind: birth, babies, difficult}`
    /// or `{kind: miscarriage, four_months_or_more}`.
    #[diesel(sql_type = Jsonb)]
    pub inputs: serde_json::Value,
    /// Every input and intermediate figure, by `kind`.
    #[diesel(sql_type = Jsonb)]
    pub calculation: serde_json::Value,
    /// Monthly amount (monthly benefits) or the one-off amount, fen.
    #[diesel(sql_type = BigInt)]
    pub amount_fen: i64,
    /// `true`: due every month from `start_period` to `end_period` (or until stopped); `false`: due once, in
    /// `start_period`.
    #[diesel(sql_type = Bool)]
    pub monthly: bool,
    /// First month due, as its first day.
    #[diesel(sql_type = Date)]
    pub start_period: NaiveDate,
    /// Last month due (first day), null: until stopped.
    #[diesel(sql_type = Nullable<Date>)]
    pub end_period: Option<NaiveDate>,
    #[diesel(sql_type = Text)]
    pub channel: crate::kinds::PaymentChannel,
    #[diesel(sql_type = Nullable<Text>)]
    pub bank_name: Option<String>,
    /// In full.
    #[diesel(sql_type = Nullable<Text>)]
    pub account_no: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub post_address: Option<String>,
    /// User who proposed.
    #[diesel(sql_type = BigInt)]
    pub proposed_by: i64,
    #[diesel(sql_type = Text)]
    pub proposed_by_name: String,
    #[diesel(sql_type = diesel::sql_types::Timestamptz)]
    pub proposed_at: DateTime<Utc>,
    /// User who approved or rejected; never `proposed_by`.
    #[diesel(sql_type = Nullable<BigInt>)]
    pub decided_by: Option<i64>,
    #[diesel(sql_type = Nullable<Text>)]
    pub decided_by_name: Option<String>,
    #[diesel(sql_type = Nullable<diesel::sql_types::Timestamptz>)]
    pub decided_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = Nullable<Text>)]
    pub decision_note: Option<String>,
    /// The proposer's office.
    #[diesel(sql_type = Text)]
    pub office_name: String,
    /// The work-injury case of an `injury_*` benefit.
    #[diesel(sql_type = Nullable<BigInt>)]
    pub injury_case_id: Option<i64>,
    /// `fund`, or `employer` for a work-injury benefit the employer owes (recorded, never paid in a batch).
    #[diesel(sql_type = Text)]
    pub payer: crate::kinds::ClaimPayer,
}

const CLAIM_SELECT: &str = "SELECT c.id, c.person_id, p.name AS person_name, c.kind, c.status, c.inputs, c.calculation, c.amount_fen,
        c.monthly, c.start_period, c.end_period, c.channel, c.bank_name, c.account_no, c.post_address, c.proposed_by,
        u.display_name AS proposed_by_name, c.proposed_at, c.decided_by, d.display_name AS decided_by_name, c.decided_at,
        c.decision_note, o.name_zh AS office_name, c.injury_case_id, c.payer
     FROM benefit_claim c
     JOIN person p ON p.tenant_id = c.tenant_id AND p.id = c.person_id
     JOIN app_user u ON u.tenant_id = c.tenant_id AND u.id = c.proposed_by
     LEFT JOIN app_user d ON d.tenant_id = c.tenant_id AND d.id = c.decided_by
     JOIN office o ON o.tenant_id = c.tenant_id AND o.id = c.office_id";

/// A proposal as the clerk made it.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct NewClaim {
    pub person_id: i64,
    pub kind: crate::kinds::ClaimKind,
    /// What the clerk gave and the parameter version used: pension `{category, deemed_months, birth_date,
    /// benefit_rule_version}`; unemployment `{involuntary, separated_on, registration_id, benefit_rule_version}`;
    /// maternity `{employer_id, case, event_date, benefit_rule_version}` with `case` `{kind: birth, babies, difficult}`
    /// or `{kind: miscarriage, four_months_or_more}`.
    pub inputs: serde_json::Value,
    /// Every input and intermediate figure, by `kind`.
    pub calculation: serde_json::Value,
    /// Monthly amount (monthly benefits) or the one-off amount, fen.
    pub amount_fen: i64,
    /// `true`: due every month from `start_period` to `end_period` (or until stopped); `false`: due once, in
    /// `start_period`.
    pub monthly: bool,
    /// First month due, as its first day.
    pub start_period: NaiveDate,
    /// Last month due (first day), null: until stopped.
    pub end_period: Option<NaiveDate>,
    pub channel: crate::kinds::PaymentChannel,
    pub bank_name: Option<String>,
    /// In full.
    pub account_no: Option<String>,
    pub post_address: Option<String>,
    /// The work-injury case of an `injury_*` benefit.
    pub injury_case_id: Option<i64>,
    pub payer: crate::kinds::ClaimPayer,
}

/// Records a proposal (status `proposed`), audited and on the person's timeline. One open claim
/// of a kind per person: a second is a conflict.
pub fn propose(tx: &mut TenantTx<'_>, c: &NewClaim) -> StoreResult<Claim> {
    let user = tx.actor().user_id().ok_or_else(|| StoreError::invalid("user", "benefit.user_required"))?;
    let office = tx.actor().office_id().unwrap_or(1);
    // A monthly benefit whose last month has passed is complete: close it so a new claim can open.
    diesel::sql_query(
        "UPDATE benefit_claim SET status = 'stopped', stopped_reason = 'ended'
         WHERE tenant_id = $1 AND person_id = $2 AND kind = $3 AND status = 'approved' AND monthly
           AND end_period IS NOT NULL AND end_period < date_trunc('month', now())::date",
    )
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<BigInt, _>(c.person_id)
    .bind::<Text, _>(c.kind)
    .execute(tx.conn())?;
    let id: crate::repo::IdRow = diesel::sql_query(
        "INSERT INTO benefit_claim (tenant_id, person_id, kind, inputs, calculation, amount_fen, monthly, start_period, end_period,
                                    channel, bank_name, account_no, post_address, office_id, proposed_by, injury_case_id, payer)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id",
    )
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<BigInt, _>(c.person_id)
    .bind::<Text, _>(c.kind)
    .bind::<Jsonb, _>(&c.inputs)
    .bind::<Jsonb, _>(&c.calculation)
    .bind::<BigInt, _>(c.amount_fen)
    .bind::<Bool, _>(c.monthly)
    .bind::<Date, _>(c.start_period)
    .bind::<Nullable<Date>, _>(c.end_period)
    .bind::<Text, _>(&c.channel)
    .bind::<Nullable<Text>, _>(c.bank_name.as_deref())
    .bind::<Nullable<Text>, _>(c.account_no.as_deref())
    .bind::<Nullable<Text>, _>(c.post_address.as_deref())
    .bind::<Int4, _>(office)
    .bind::<BigInt, _>(user)
    .bind::<Nullable<BigInt>, _>(c.injury_case_id)
    .bind::<Text, _>(c.payer)
    .get_result(tx.conn())
    .map_err(|e| {
        if is_unique_violation(&e, "benefit_claim_open") || is_unique_violation(&e, "benefit_claim_injury_once") {
            StoreError::conflict("kind", "benefit.open_claim")
        } else {
            e.into()
        }
    })?;
    let claim = get(tx, id.id)?;
    tx.audit_created("benefit.propose", "benefit_claim", &[(claim.id.to_string(), serde_json::to_value(c).unwrap_or_default())])?;
    super::events::record(
        tx,
        c.person_id,
        chrono::Utc::now().date_naive(),
        "benefit_proposed",
        serde_json::json!({"claim_id": claim.id, "kind": c.kind, "amount_fen": c.amount_fen, "monthly": c.monthly}),
    )?;
    Ok(claim)
}

pub fn get(tx: &mut TenantTx<'_>, id: i64) -> StoreResult<Claim> {
    diesel::sql_query(format!("{CLAIM_SELECT} WHERE c.tenant_id = $1 AND c.id = $2"))
        .bind::<SmallInt, _>(tx.tenant().0)
        .bind::<BigInt, _>(id)
        .get_result(tx.conn())
        .optional()?
        .ok_or(StoreError::NotFound)
}

/// Claims by status (and optionally person), newest first.
pub fn list(
    tx: &mut TenantTx<'_>,
    status: Option<ClaimStatus>,
    person_id: Option<i64>,
    page: i64,
    per_page: i64,
) -> StoreResult<Page<Claim>> {
    let rows: Vec<Claim> = diesel::sql_query(format!(
        "{CLAIM_SELECT} WHERE c.tenant_id = $1 AND ($2::text IS NULL OR c.status = $2) AND ($3::bigint IS NULL OR c.person_id = $3)
         ORDER BY c.id DESC LIMIT $4 OFFSET $5"
    ))
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<Nullable<Text>, _>(status.map(ClaimStatus::as_str))
    .bind::<Nullable<BigInt>, _>(person_id)
    .bind::<BigInt, _>(per_page + 1)
    .bind::<BigInt, _>((page - 1) * per_page)
    .load(tx.conn())?;
    Ok(Page::from_overfetch(rows, page, per_page))
}

/// The last month due of the stopped claims of a kind of a work-injury case (a new claim of that
/// kind starts after it).
pub fn last_end_of_injury(tx: &mut TenantTx<'_>, case_id: i64, kind: crate::kinds::ClaimKind) -> StoreResult<Option<NaiveDate>> {
    #[derive(QueryableByName)]
    struct R {
        #[diesel(sql_type = Nullable<Date>)]
        end: Option<NaiveDate>,
    }
    let r: R = diesel::sql_query(
        "SELECT max(end_period) AS end FROM benefit_claim WHERE tenant_id = $1 AND injury_case_id = $2 AND kind = $3 AND status = 'stopped'",
    )
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<BigInt, _>(case_id)
    .bind::<Text, _>(kind)
    .get_result(tx.conn())?;
    Ok(r.end)
}

/// The benefits of a work-injury case, oldest first.
pub fn of_injury_case(tx: &mut TenantTx<'_>, case_id: i64) -> StoreResult<Vec<Claim>> {
    Ok(diesel::sql_query(format!("{CLAIM_SELECT} WHERE c.tenant_id = $1 AND c.injury_case_id = $2 ORDER BY c.id"))
        .bind::<SmallInt, _>(tx.tenant().0)
        .bind::<BigInt, _>(case_id)
        .load(tx.conn())?)
}

/// Approves or rejects a proposal. The deciding user must not be the proposer (checked here for
/// a clear message, and by the table itself); only a proposal can be decided (409 otherwise).
pub fn decide(tx: &mut TenantTx<'_>, id: i64, approve: bool, note: Option<&str>) -> StoreResult<Claim> {
    let before = get(tx, id)?;
    super::decisions::decide(tx, super::decisions::Proposal::Claim, id, approve, note)?;
    let after = get(tx, id)?;
    tx.audit(
        if approve { "benefit.approve" } else { "benefit.reject" },
        "benefit_claim",
        &id.to_string(),
        Some(serde_json::json!({"status": before.status})),
        Some(serde_json::json!({"status": after.status, "amount_fen": after.amount_fen})),
        note,
    )?;
    // A death benefit approved ends the case's running allowance and nursing care with the month of
    // death (工伤保险条例 art. 39).
    if approve && matches!(after.kind, ClaimKind::InjuryFuneral | ClaimKind::InjurySurvivor | ClaimKind::InjuryDeath) {
        let died = after.inputs["died_on"].as_str().and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
        if let (Some(case), Some(died)) = (after.injury_case_id, died) {
            let month = NaiveDate::from_ymd_opt(died.year(), died.month(), 1).unwrap_or(died);
            for running in of_injury_case(tx, case)? {
                if running.status == ClaimStatus::Approved && matches!(running.kind, ClaimKind::InjuryAllowance | ClaimKind::InjuryNursing)
                {
                    stop(tx, running.id, month, "death")?;
                }
            }
        }
    }
    super::events::record(
        tx,
        after.person_id,
        chrono::Utc::now().date_naive(),
        if approve { "benefit_approved" } else { "benefit_rejected" },
        serde_json::json!({"claim_id": id, "kind": after.kind, "amount_fen": after.amount_fen, "monthly": after.monthly,
                           "start_period": after.start_period.format("%Y-%m").to_string()}),
    )?;
    Ok(after)
}

pub(crate) fn lock(tx: &mut TenantTx<'_>, id: i64) -> StoreResult<Claim> {
    diesel::sql_query("SELECT 1 FROM benefit_claim WHERE tenant_id = $1 AND id = $2 FOR UPDATE")
        .bind::<SmallInt, _>(tx.tenant().0)
        .bind::<BigInt, _>(id)
        .execute(tx.conn())?;
    get(tx, id)
}

/// Stops a running monthly benefit after `last_period` (re-employment, death, transfer).
pub fn stop(tx: &mut TenantTx<'_>, id: i64, last_period: NaiveDate, reason: &str) -> StoreResult<Claim> {
    let before = lock(tx, id)?;
    if before.status != ClaimStatus::Approved || !before.monthly {
        return Err(StoreError::conflict("status", "benefit.not_running"));
    }
    let end = last_period.max(before.start_period - chrono::Months::new(1));
    diesel::sql_query(
        "UPDATE benefit_claim SET status = 'stopped', stopped_reason = $3, end_period = least(coalesce(end_period, $4), $4)
         WHERE tenant_id = $1 AND id = $2",
    )
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<BigInt, _>(id)
    .bind::<Text, _>(reason)
    .bind::<Date, _>(end)
    .execute(tx.conn())?;
    // Lines for months after the end, in batches not yet exported, are no longer due.
    diesel::sql_query(
        "DELETE FROM payment_line l USING payment_batch b, benefit_claim c
         WHERE l.tenant_id = $1 AND l.claim_id = $2 AND l.status = 'pending' AND b.tenant_id = l.tenant_id AND b.id = l.batch_id
           AND b.status = 'open' AND c.tenant_id = l.tenant_id AND c.id = l.claim_id AND l.period > c.end_period",
    )
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<BigInt, _>(id)
    .execute(tx.conn())?;
    let after = get(tx, id)?;
    tx.audit(
        "benefit.stop",
        "benefit_claim",
        &id.to_string(),
        Some(serde_json::json!({"status": before.status})),
        Some(serde_json::json!({"status": after.status, "end_period": after.end_period})),
        Some(reason),
    )?;
    super::events::record(
        tx,
        after.person_id,
        last_period,
        "benefit_stopped",
        serde_json::json!({"claim_id": id, "kind": after.kind, "reason": reason}),
    )?;
    Ok(after)
}

/// Running unemployment benefits of a person (to stop on re-employment).
pub fn running(tx: &mut TenantTx<'_>, person_id: i64, kind: &str) -> StoreResult<Vec<i64>> {
    let ids: Vec<crate::repo::IdRow> = diesel::sql_query(
        "SELECT id FROM benefit_claim WHERE tenant_id = $1 AND person_id = $2 AND kind = $3 AND status = 'approved' AND monthly",
    )
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<BigInt, _>(person_id)
    .bind::<Text, _>(kind)
    .load(tx.conn())?;
    Ok(ids.into_iter().map(|i| i.id).collect())
}

/// The person's earlier unemployment benefits that were approved (running, run out or stopped):
/// (claim id, what art. 17 needs of it). Proposed and rejected claims are no benefit.
pub fn unemployment_benefits(tx: &mut TenantTx<'_>, person_id: i64) -> StoreResult<Vec<(i64, unemployment::PriorBenefit)>> {
    #[derive(QueryableByName)]
    struct R {
        #[diesel(sql_type = BigInt)]
        id: i64,
        #[diesel(sql_type = Int4)]
        entitled_months: i32,
        #[diesel(sql_type = Date)]
        start_period: NaiveDate,
        #[diesel(sql_type = Date)]
        end_period: NaiveDate,
    }
    let rows: Vec<R> = diesel::sql_query(
        "SELECT id, coalesce((calculation->>'entitled_months')::int, 0) AS entitled_months, start_period,
                coalesce(end_period, date_trunc('month', now())::date) AS end_period
         FROM benefit_claim WHERE tenant_id = $1 AND person_id = $2 AND kind = 'unemployment' AND status IN ('approved', 'stopped')
         ORDER BY id",
    )
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<BigInt, _>(person_id)
    .load(tx.conn())?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let b = unemployment::PriorBenefit {
                entitled_months: u32::try_from(r.entitled_months).unwrap_or(0),
                first: Period::of_date(r.start_period),
                last: Period::of_date(r.end_period),
            };
            (r.id, b)
        })
        .collect())
}

/// Unused months of the person's last unemployment benefit that ran (its entitlement, with what it
/// carried over itself, minus the months of its benefit period), for the carry-over of art. 17 —
/// the same benefit after which the contribution time restarts.
pub fn unused_unemployment_months(tx: &mut TenantTx<'_>, person_id: i64) -> StoreResult<u32> {
    let benefits: Vec<unemployment::PriorBenefit> = unemployment_benefits(tx, person_id)?.into_iter().map(|(_, b)| b).collect();
    Ok(unemployment::last_benefit(&benefits).map_or(0, |b| b.unused_months()))
}

/// An employer's average monthly base of a year (its employees' regular medical bases, the
/// insurance that carries maternity), as the default for the maternity allowance's wage.
pub fn employer_average_base(tx: &mut TenantTx<'_>, employer_id: i64, year: i32) -> StoreResult<Option<i64>> {
    #[derive(QueryableByName)]
    struct A {
        #[diesel(sql_type = Nullable<BigInt>)]
        avg: Option<i64>,
    }
    let a: A = diesel::sql_query(
        "SELECT round(avg(base_fen))::bigint AS avg FROM assessment
         WHERE tenant_id = $1 AND employer_id = $2 AND kind = 'regular' AND insurance_type = 'medical'
           AND period >= make_date($3, 1, 1) AND period < make_date($3 + 1, 1, 1)",
    )
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<BigInt, _>(employer_id)
    .bind::<Int4, _>(year)
    .get_result(tx.conn())?;
    Ok(a.avg)
}

/// Whether a maternity allowance for this event (its date) is proposed or decided already.
pub fn has_maternity_for(tx: &mut TenantTx<'_>, person_id: i64, event: NaiveDate) -> StoreResult<bool> {
    #[derive(QueryableByName)]
    struct E {
        #[diesel(sql_type = Bool)]
        e: bool,
    }
    let e: E = diesel::sql_query(
        "SELECT EXISTS (SELECT 1 FROM benefit_claim WHERE tenant_id = $1 AND person_id = $2 AND kind = 'maternity'
                          AND status <> 'rejected' AND inputs ->> 'event_date' = $3) AS e",
    )
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<BigInt, _>(person_id)
    .bind::<Text, _>(event.to_string())
    .get_result(tx.conn())?;
    Ok(e.e)
}

/// A benefit of the person as the person's own record shows it (no staff names).
#[derive(Debug, Clone, Serialize, QueryableByName, schemars::JsonSchema)]
pub struct OwnClaim {
    #[diesel(sql_type = Text)]
    pub kind: crate::kinds::ClaimKind,
    #[diesel(sql_type = Text)]
    pub status: crate::kinds::ClaimStatus,
    #[diesel(sql_type = BigInt)]
    pub amount_fen: i64,
    #[diesel(sql_type = Bool)]
    pub monthly: bool,
    #[diesel(sql_type = Date)]
    pub start_period: NaiveDate,
    #[diesel(sql_type = Nullable<Date>)]
    pub end_period: Option<NaiveDate>,
    /// Months paid out so far (payment lines marked paid).
    #[diesel(sql_type = BigInt)]
    pub paid_lines: i64,
}

/// The person's benefits, newest first, with how many payments reached them.
pub fn own_claims(tx: &mut TenantTx<'_>, person_id: i64) -> StoreResult<Vec<OwnClaim>> {
    Ok(diesel::sql_query(
        "SELECT c.kind, c.status, c.amount_fen, c.monthly, c.start_period, c.end_period,
                (SELECT count(*) FROM payment_line l WHERE l.tenant_id = c.tenant_id AND l.claim_id = c.id AND l.status = 'paid') AS paid_lines
           FROM benefit_claim c WHERE c.tenant_id = $1 AND c.person_id = $2 ORDER BY c.id DESC LIMIT 100",
    )
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<BigInt, _>(person_id)
    .load(tx.conn())?)
}
