//! Employees' medical insurance: the city's settlement parameters in force, a person's year so far
//! and personal account, settlements proposed by one user and approved by another, and the monthly
//! credits of the personal accounts. The settlement itself is `jinbao_domain::benefits::medical`.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Date, Int4, Jsonb, Nullable, SmallInt, Text};
use jinbao_domain::benefits::medical::{MedicalParams, YearToDate};
use jinbao_domain::Fen;
use serde::Serialize;

use super::Page;
use crate::error::{is_unique_violation, StoreError, StoreResult};
use crate::tenant_tx::TenantTx;

/// The parameters in force on `day`: (their first month, the benefit rule's version, the figures).
pub fn params_at(tx: &mut TenantTx<'_>, day: NaiveDate) -> StoreResult<Option<(NaiveDate, i32, MedicalParams)>> {
    #[derive(QueryableByName)]
    struct R {
        #[diesel(sql_type = Date)]
        effective_from: NaiveDate,
        #[diesel(sql_type = Int4)]
        version: i32,
        #[diesel(sql_type = Jsonb)]
        params: serde_json::Value,
    }
    let r: Option<R> = diesel::sql_query(
        "SELECT m.effective_from, r.version, m.params FROM benefit_medical m
         JOIN benefit_rule r ON r.tenant_id = m.tenant_id AND r.id = m.rule_id AND r.superseded_at IS NULL
         WHERE m.tenant_id = $1 AND m.effective_from <= $2 ORDER BY m.effective_from DESC LIMIT 1",
    )
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<Date, _>(day)
    .get_result(tx.conn())
    .optional()?;
    r.map(|r| {
        let params = serde_json::from_value(r.params).map_err(|e| StoreError::Other(anyhow::anyhow!("stored medical parameters: {e}")))?;
        Ok((r.effective_from, r.version, params))
    })
    .transpose()
}

/// What the person's approved settlements of `year` used.
pub fn year_to_date(tx: &mut TenantTx<'_>, person_id: i64, year: i32) -> StoreResult<YearToDate> {
    #[derive(QueryableByName)]
    struct R {
        #[diesel(sql_type = BigInt)]
        stays: i64,
        #[diesel(sql_type = BigInt)]
        fund: i64,
        #[diesel(sql_type = BigInt)]
        serious: i64,
        #[diesel(sql_type = BigInt)]
        out_deductible: i64,
        #[diesel(sql_type = BigInt)]
        out_fund: i64,
    }
    let r: R = diesel::sql_query(
        "SELECT count(*) FILTER (WHERE setting = 'inpatient') AS stays,
                coalesce(sum(fund_fen) FILTER (WHERE setting = 'inpatient'), 0)::bigint AS fund,
                coalesce(sum(serious_fen), 0)::bigint AS serious,
                coalesce(sum(deducted_fen) FILTER (WHERE setting = 'outpatient'), 0)::bigint AS out_deductible,
                coalesce(sum(fund_fen) FILTER (WHERE setting = 'outpatient'), 0)::bigint AS out_fund
         FROM medical_settlement
         WHERE tenant_id = $1 AND person_id = $2 AND status = 'approved' AND injury_case_id IS NULL
           AND bill_date >= make_date($3, 1, 1) AND bill_date < make_date($3 + 1, 1, 1)",
    )
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<BigInt, _>(person_id)
    .bind::<Int4, _>(year)
    .get_result(tx.conn())?;
    Ok(YearToDate {
        stays: u32::try_from(r.stays).unwrap_or(u32::MAX),
        fund: Fen(r.fund),
        serious: Fen(r.serious),
        outpatient_deductible: Fen(r.out_deductible),
        outpatient_fund: Fen(r.out_fund),
    })
}

/// The personal account's balance: credits less the account's parts of approved settlements.
pub fn account_balance(tx: &mut TenantTx<'_>, person_id: i64) -> StoreResult<i64> {
    #[derive(QueryableByName)]
    struct R {
        #[diesel(sql_type = BigInt)]
        fen: i64,
    }
    let r: R = diesel::sql_query(
        "SELECT coalesce(sum(amount_fen), 0)::bigint AS fen FROM medical_account_entry WHERE tenant_id = $1 AND person_id = $2",
    )
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<BigInt, _>(person_id)
    .get_result(tx.conn())?;
    Ok(r.fen)
}

/// Whether the person draws a pension on `day` (an approved, running pension claim): a retiree.
pub fn is_retiree(tx: &mut TenantTx<'_>, person_id: i64, day: NaiveDate) -> StoreResult<bool> {
    #[derive(QueryableByName)]
    struct R {
        #[diesel(sql_type = Bool)]
        retiree: bool,
    }
    let r: R = diesel::sql_query(
        "SELECT EXISTS (SELECT 1 FROM benefit_claim WHERE tenant_id = $1 AND person_id = $2 AND kind = 'pension'
                          AND status IN ('approved', 'stopped') AND start_period <= $3
                          AND (end_period IS NULL OR end_period >= date_trunc('month', $3::date)::date)) AS retiree",
    )
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<BigInt, _>(person_id)
    .bind::<Date, _>(day)
    .get_result(tx.conn())?;
    Ok(r.retiree)
}

/// A settlement with its figures and decision.
#[derive(Debug, Clone, Serialize, QueryableByName, schemars::JsonSchema)]
pub struct Settlement {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = BigInt)]
    pub person_id: i64,
    #[diesel(sql_type = Text)]
    pub person_name: String,
    /// `inpatient` or `outpatient`.
    #[diesel(sql_type = Text)]
    pub setting: String,
    #[diesel(sql_type = Text)]
    pub hospital: String,
    #[diesel(sql_type = SmallInt)]
    pub hospital_level: i16,
    #[diesel(sql_type = Nullable<Date>)]
    pub admitted_on: Option<NaiveDate>,
    #[diesel(sql_type = Date)]
    pub bill_date: NaiveDate,
    #[diesel(sql_type = Bool)]
    pub retiree: bool,
    /// The bill's lines: `{code, class, amount}` (amount in fen).
    #[diesel(sql_type = Jsonb)]
    pub lines: serde_json::Value,
    /// The parameters used (their first month, the rule version), the year so far and the account balance before.
    #[diesel(sql_type = Jsonb)]
    pub inputs: serde_json::Value,
    /// Every figure of the settlement, with each part's payer and rule.
    #[diesel(sql_type = Jsonb)]
    pub calculation: serde_json::Value,
    #[diesel(sql_type = BigInt)]
    pub total_fen: i64,
    #[diesel(sql_type = BigInt)]
    pub fund_fen: i64,
    #[diesel(sql_type = BigInt)]
    pub serious_fen: i64,
    #[diesel(sql_type = BigInt)]
    pub account_fen: i64,
    #[diesel(sql_type = BigInt)]
    pub person_fen: i64,
    /// `proposed`, `approved` or `rejected`.
    #[diesel(sql_type = Text)]
    pub status: String,
    #[diesel(sql_type = BigInt)]
    pub proposed_by: i64,
    #[diesel(sql_type = Text)]
    pub proposed_by_name: String,
    #[diesel(sql_type = diesel::sql_types::Timestamptz)]
    pub proposed_at: DateTime<Utc>,
    #[diesel(sql_type = Nullable<Text>)]
    pub decided_by_name: Option<String>,
    #[diesel(sql_type = Nullable<diesel::sql_types::Timestamptz>)]
    pub decided_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = Nullable<Text>)]
    pub decision_note: Option<String>,
    /// A work injury's medical costs: the case; the work-injury fund pays `fund_fen`.
    #[diesel(sql_type = Nullable<BigInt>)]
    pub injury_case_id: Option<i64>,
}

const SELECT: &str = "SELECT s.id, s.person_id, p.name AS person_name, s.setting, s.hospital, s.hospital_level, s.admitted_on,
        s.bill_date, s.retiree, s.lines, s.inputs, s.calculation, s.total_fen, s.fund_fen, s.serious_fen, s.account_fen, s.person_fen,
        s.status, s.proposed_by, u.display_name AS proposed_by_name, s.proposed_at, d.display_name AS decided_by_name, s.decided_at,
        s.decision_note, s.injury_case_id
     FROM medical_settlement s
     JOIN person p ON p.tenant_id = s.tenant_id AND p.id = s.person_id
     JOIN app_user u ON u.tenant_id = s.tenant_id AND u.id = s.proposed_by
     LEFT JOIN app_user d ON d.tenant_id = s.tenant_id AND d.id = s.decided_by";

/// A settlement as computed, to record (or shown as a preview).
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct NewSettlement {
    pub person_id: i64,
    /// `inpatient` or `outpatient`.
    pub setting: String,
    pub hospital: String,
    pub hospital_level: i16,
    pub admitted_on: Option<NaiveDate>,
    pub bill_date: NaiveDate,
    pub retiree: bool,
    pub lines: serde_json::Value,
    pub inputs: serde_json::Value,
    pub calculation: serde_json::Value,
    pub total_fen: i64,
    pub fund_fen: i64,
    pub serious_fen: i64,
    pub account_fen: i64,
    pub person_fen: i64,
    /// The deductible the person paid on this bill.
    pub deducted_fen: i64,
    /// A work injury's medical costs: the recognised case whose fund pays them.
    pub injury_case_id: Option<i64>,
}

/// Records a proposal; one per person at a time (409 `medical.open_settlement`).
pub fn propose(tx: &mut TenantTx<'_>, s: &NewSettlement) -> StoreResult<Settlement> {
    let user = tx.actor().user_id().ok_or_else(|| StoreError::invalid("user", "benefit.user_required"))?;
    let office = tx.actor().office_id().unwrap_or(1);
    let id: super::IdRow = diesel::sql_query(
        "INSERT INTO medical_settlement (tenant_id, person_id, setting, hospital, hospital_level, admitted_on, bill_date, retiree, lines,
                                         inputs, calculation, total_fen, fund_fen, serious_fen, account_fen, person_fen, deducted_fen,
                                         office_id, proposed_by, injury_case_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20) RETURNING id",
    )
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<BigInt, _>(s.person_id)
    .bind::<Text, _>(&s.setting)
    .bind::<Text, _>(&s.hospital)
    .bind::<SmallInt, _>(s.hospital_level)
    .bind::<Nullable<Date>, _>(s.admitted_on)
    .bind::<Date, _>(s.bill_date)
    .bind::<Bool, _>(s.retiree)
    .bind::<Jsonb, _>(&s.lines)
    .bind::<Jsonb, _>(&s.inputs)
    .bind::<Jsonb, _>(&s.calculation)
    .bind::<BigInt, _>(s.total_fen)
    .bind::<BigInt, _>(s.fund_fen)
    .bind::<BigInt, _>(s.serious_fen)
    .bind::<BigInt, _>(s.account_fen)
    .bind::<BigInt, _>(s.person_fen)
    .bind::<BigInt, _>(s.deducted_fen)
    .bind::<Int4, _>(office)
    .bind::<BigInt, _>(user)
    .bind::<Nullable<BigInt>, _>(s.injury_case_id)
    .get_result(tx.conn())
    .map_err(|e| {
        if is_unique_violation(&e, "medical_settlement_open") {
            StoreError::conflict("person_id", "medical.open_settlement")
        } else {
            e.into()
        }
    })?;
    let out = get(tx, id.id)?;
    tx.audit_created(
        "medical.propose",
        "medical_settlement",
        &[(
            out.id.to_string(),
            serde_json::json!({"person_id": s.person_id, "total_fen": s.total_fen, "fund_fen": s.fund_fen,
                                                   "serious_fen": s.serious_fen, "account_fen": s.account_fen, "person_fen": s.person_fen}),
        )],
    )?;
    Ok(out)
}

pub fn get(tx: &mut TenantTx<'_>, id: i64) -> StoreResult<Settlement> {
    diesel::sql_query(format!("{SELECT} WHERE s.tenant_id = $1 AND s.id = $2"))
        .bind::<SmallInt, _>(tx.tenant().0)
        .bind::<BigInt, _>(id)
        .get_result(tx.conn())
        .optional()?
        .ok_or(StoreError::NotFound)
}

/// Settlements by status and person, newest first.
pub fn list(
    tx: &mut TenantTx<'_>,
    status: Option<&str>,
    person_id: Option<i64>,
    page: i64,
    per_page: i64,
) -> StoreResult<Page<Settlement>> {
    let rows: Vec<Settlement> = diesel::sql_query(format!(
        "{SELECT} WHERE s.tenant_id = $1 AND ($2::text IS NULL OR s.status = $2) AND ($3::bigint IS NULL OR s.person_id = $3)
         ORDER BY s.id DESC LIMIT $4 OFFSET $5"
    ))
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<Nullable<Text>, _>(status)
    .bind::<Nullable<BigInt>, _>(person_id)
    .bind::<BigInt, _>(per_page + 1)
    .bind::<BigInt, _>((page - 1) * per_page)
    .load(tx.conn())?;
    Ok(Page::from_overfetch(rows, page, per_page))
}

/// The second person's decision. Approval pays the account's part from the personal account (409
/// `medical.account_changed` if the balance no longer covers it) and counts the medical fund's
/// share (pooled fund and account) in the month of the bill.
pub fn decide(tx: &mut TenantTx<'_>, id: i64, approve: bool, note: Option<&str>) -> StoreResult<Settlement> {
    let before = get(tx, id)?;
    let user = super::decisions::decide(tx, super::decisions::Proposal::MedicalSettlement, id, approve, note)?;
    if approve {
        if before.account_fen > 0 {
            // Serialise with other writers of the person's account, then check the balance.
            diesel::sql_query("SELECT 1 FROM person WHERE tenant_id = $1 AND id = $2 FOR UPDATE")
                .bind::<SmallInt, _>(tx.tenant().0)
                .bind::<BigInt, _>(before.person_id)
                .execute(tx.conn())?;
            if account_balance(tx, before.person_id)? < before.account_fen {
                return Err(StoreError::conflict("account_fen", "medical.account_changed"));
            }
            diesel::sql_query(
                "INSERT INTO medical_account_entry (tenant_id, person_id, kind, period, amount_fen, settlement_id, created_by)
                 VALUES ($1, $2, 'settlement', date_trunc('month', $3::date)::date, $4, $5, $6)",
            )
            .bind::<SmallInt, _>(tx.tenant().0)
            .bind::<BigInt, _>(before.person_id)
            .bind::<Date, _>(before.bill_date)
            .bind::<BigInt, _>(-before.account_fen)
            .bind::<BigInt, _>(id)
            .bind::<BigInt, _>(user)
            .execute(tx.conn())?;
        }
        let month = NaiveDate::from_ymd_opt(before.bill_date.year(), before.bill_date.month(), 1);
        let fund = if before.injury_case_id.is_some() { "work_injury" } else { "medical" };
        if before.fund_fen + before.account_fen > 0 {
            tx.push_stat("benefits_paid_fen", month, fund, before.fund_fen + before.account_fen);
        }
        super::events::record(
            tx,
            before.person_id,
            before.bill_date,
            "medical_settled",
            serde_json::json!({"settlement_id": id, "total_fen": before.total_fen, "fund_fen": before.fund_fen,
                               "serious_fen": before.serious_fen, "account_fen": before.account_fen}),
        )?;
    }
    tx.audit(
        if approve { "medical.approve" } else { "medical.reject" },
        "medical_settlement",
        &id.to_string(),
        Some(serde_json::json!({"status": "proposed"})),
        Some(serde_json::json!({"status": if approve { "approved" } else { "rejected" }})),
        note,
    )?;
    get(tx, id)
}

/// One entry of a personal account.
#[derive(Debug, Clone, Serialize, QueryableByName, schemars::JsonSchema)]
pub struct AccountEntry {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    /// `contribution` (the employee's own medical contribution of a month paid in full), `retiree`
    /// (the city's monthly amount) or `settlement` (the account's part of a bill, negative).
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = Date)]
    pub period: NaiveDate,
    #[diesel(sql_type = BigInt)]
    pub amount_fen: i64,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub settlement_id: Option<i64>,
    /// The balance after this entry.
    #[diesel(sql_type = BigInt)]
    pub balance_fen: i64,
}

/// A person's account entries, newest first, with the running balance (at most `limit`).
pub fn account_entries(tx: &mut TenantTx<'_>, person_id: i64, limit: i64) -> StoreResult<Vec<AccountEntry>> {
    Ok(diesel::sql_query(
        "SELECT id, kind, period, amount_fen, settlement_id, balance_fen FROM (
             SELECT id, kind, period, amount_fen, settlement_id,
                    sum(amount_fen) OVER (ORDER BY id)::bigint AS balance_fen
             FROM medical_account_entry WHERE tenant_id = $1 AND person_id = $2) e
         ORDER BY id DESC LIMIT $3",
    )
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<BigInt, _>(person_id)
    .bind::<BigInt, _>(limit)
    .load(tx.conn())?)
}

/// What a month's crediting did.
#[derive(Debug, Clone, Copy, Default, Serialize, schemars::JsonSchema)]
pub struct Credited {
    /// Employees credited their own medical contribution (months whose contributions the employer paid in full).
    pub contributions: u64,
    pub contribution_fen: i64,
    /// Retirees credited the city's monthly amount.
    pub retirees: u64,
    pub retiree_fen: i64,
}

/// Credits the personal accounts for `period` (first day): each employee's own medical
/// contribution of the month when the employer's collections for the month cover everything it
/// owes for it, and each retiree the city's monthly amount. Idempotent: a month is credited once
/// per person and source. Rows are written as multi-row VALUES (as the audit flush), in chunks.
pub fn credit_month(tx: &mut TenantTx<'_>, period: NaiveDate, retiree_amount: Fen) -> StoreResult<Credited> {
    #[derive(QueryableByName)]
    struct Due {
        #[diesel(sql_type = BigInt)]
        person_id: i64,
        #[diesel(sql_type = BigInt)]
        fen: i64,
    }
    let user = tx.actor().user_id().ok_or_else(|| StoreError::invalid("user", "benefit.user_required"))?;
    let tid = tx.tenant().0;
    let contributions: Vec<Due> = diesel::sql_query(
        "WITH paid AS (
             SELECT d.employer_id FROM employer_due d
             WHERE d.tenant_id = $1 AND d.period = $2
             GROUP BY d.employer_id
             HAVING sum(d.due_fen) <= (SELECT coalesce(sum(c.amount_fen), 0) FROM collection c
                                       WHERE c.tenant_id = $1 AND c.employer_id = d.employer_id AND c.period = $2))
         -- a person with several employers in the month is credited once all of them have paid it
         SELECT a.person_id, sum(a.employee_fen)::bigint AS fen
         FROM assessment a LEFT JOIN paid ON paid.employer_id = a.employer_id
         WHERE a.tenant_id = $1 AND a.period = $2 AND a.insurance_type = 'medical' AND a.kind = 'regular'
           AND NOT EXISTS (SELECT 1 FROM medical_account_entry m WHERE m.tenant_id = $1 AND m.person_id = a.person_id
                                                                  AND m.period = $2 AND m.kind = 'contribution')
         GROUP BY a.person_id HAVING sum(a.employee_fen) > 0 AND bool_and(paid.employer_id IS NOT NULL)",
    )
    .bind::<SmallInt, _>(tid)
    .bind::<Date, _>(period)
    .load(tx.conn())?;
    let retirees: Vec<Due> = if retiree_amount.0 > 0 {
        diesel::sql_query(
            "SELECT DISTINCT c.person_id, $3::bigint AS fen FROM benefit_claim c
             WHERE c.tenant_id = $1 AND c.kind = 'pension' AND c.status IN ('approved', 'stopped') AND c.start_period <= $2
               AND (c.end_period IS NULL OR c.end_period >= $2)
               AND NOT EXISTS (SELECT 1 FROM medical_account_entry m WHERE m.tenant_id = $1 AND m.person_id = c.person_id
                                                                      AND m.period = $2 AND m.kind = 'retiree')",
        )
        .bind::<SmallInt, _>(tid)
        .bind::<Date, _>(period)
        .bind::<BigInt, _>(retiree_amount.0)
        .load(tx.conn())?
    } else {
        Vec::new()
    };
    let mut out = Credited::default();
    for (kind, rows) in [("contribution", &contributions), ("retiree", &retirees)] {
        for chunk in rows.chunks(1000) {
            let mut sql =
                String::from("INSERT INTO medical_account_entry (tenant_id, person_id, kind, period, amount_fen, created_by) VALUES ");
            for (i, r) in chunk.iter().enumerate() {
                if i > 0 {
                    sql.push(',');
                }
                sql.push_str(&format!("({tid}, {}, '{kind}', $1, {}, {user})", r.person_id, r.fen));
            }
            sql.push_str(" ON CONFLICT DO NOTHING RETURNING amount_fen AS fen");
            #[derive(QueryableByName)]
            struct Inserted {
                #[diesel(sql_type = BigInt)]
                fen: i64,
            }
            // What this call wrote (a concurrent run's rows are skipped, not counted).
            let rows: Vec<Inserted> = diesel::sql_query(sql).bind::<Date, _>(period).load(tx.conn())?;
            let n = rows.len() as u64;
            let fen: i64 = rows.iter().map(|r| r.fen).sum();
            if kind == "contribution" {
                out.contributions += n;
                out.contribution_fen += fen;
            } else {
                out.retirees += n;
                out.retiree_fen += fen;
            }
        }
    }
    tx.audit(
        "medical.credit_month",
        "medical_account_entry",
        &period.format("%Y-%m").to_string(),
        None,
        Some(serde_json::to_value(out).unwrap_or_default()),
        None,
    )?;
    Ok(out)
}
