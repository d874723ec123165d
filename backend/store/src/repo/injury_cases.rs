//! Work-injury cases (工伤认定 and 劳动能力鉴定): the report, the recognition proposed by one user
//! and decided by another, the ability assessment, and the evidence documents (checksummed). The
//! benefits of a case are claims (`repo::benefits`) tied to it.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Binary, Bool, Date, Int4, Nullable, SmallInt, Text};
use serde::Serialize;

use super::Page;
use crate::error::{StoreError, StoreResult};
use crate::kinds::InjuryStatus;
use crate::tenant_tx::TenantTx;

/// At most this many documents on one case.
pub const MAX_DOCUMENTS: i64 = 20;

/// A case with its report, decision and assessment.
#[derive(Debug, Clone, Serialize, QueryableByName, schemars::JsonSchema)]
pub struct InjuryCase {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = BigInt)]
    pub person_id: i64,
    #[diesel(sql_type = Text)]
    pub person_name: String,
    #[diesel(sql_type = BigInt)]
    pub employer_id: i64,
    #[diesel(sql_type = Text)]
    pub employer_name: String,
    #[diesel(sql_type = Date)]
    pub accident_date: NaiveDate,
    #[diesel(sql_type = Date)]
    pub reported_on: NaiveDate,
    /// `employer`, `worker` or `family`.
    #[diesel(sql_type = Text)]
    pub reporter: String,
    /// The last day the report was due from its reporter (employer: 30 days; worker, family: one year).
    #[diesel(sql_type = Date)]
    pub report_due: NaiveDate,
    /// An employer's report after 30 days: the costs of the late period are the employer's (art. 17 ¶4).
    #[diesel(sql_type = Bool)]
    pub late_report: bool,
    /// The recognition is due by this day (60 days after the report, art. 20).
    #[diesel(sql_type = Date)]
    pub decision_due: NaiveDate,
    /// Not decided and past `decision_due` (today, in the database's clock).
    #[diesel(sql_type = Bool)]
    pub overdue: bool,
    #[diesel(sql_type = Text)]
    pub accident: String,
    #[diesel(sql_type = Text)]
    pub diagnosis: String,
    /// The employer was insured for work injury on the day of the accident: the fund pays.
    #[diesel(sql_type = Bool)]
    pub fund_covers: bool,
    #[diesel(sql_type = Text)]
    pub status: InjuryStatus,
    #[diesel(sql_type = Nullable<Text>)]
    pub proposed_outcome: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub reason: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub proposed_by_name: Option<String>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub proposed_by: Option<i64>,
    #[diesel(sql_type = Nullable<Text>)]
    pub decided_by_name: Option<String>,
    #[diesel(sql_type = Nullable<diesel::sql_types::Timestamptz>)]
    pub decided_at: Option<DateTime<Utc>>,
    /// Disability grade 1–10 of the ability assessment (none: not assessed, or no grade reached).
    #[diesel(sql_type = Nullable<SmallInt>)]
    pub grade: Option<i16>,
    /// `full`, `most` or `partial` when care is needed.
    #[diesel(sql_type = Nullable<Text>)]
    pub care_level: Option<String>,
    #[diesel(sql_type = Nullable<Date>)]
    pub assessed_on: Option<NaiveDate>,
    #[diesel(sql_type = Nullable<Text>)]
    pub assessment_board: Option<String>,
    #[diesel(sql_type = Text)]
    pub created_by_name: String,
    #[diesel(sql_type = diesel::sql_types::Timestamptz)]
    pub created_at: DateTime<Utc>,
}

const SELECT: &str = "SELECT c.id, c.person_id, p.name AS person_name, c.employer_id, e.name AS employer_name, c.accident_date,
        c.reported_on, c.reporter, c.report_due, c.late_report, c.decision_due,
        (c.status IN ('reported', 'proposed') AND c.decision_due < current_date) AS overdue,
        c.accident, c.diagnosis, c.fund_covers, c.status, c.proposed_outcome, c.reason, pu.display_name AS proposed_by_name,
        c.proposed_by, du.display_name AS decided_by_name, c.decided_at, c.grade, c.care_level, c.assessed_on, c.assessment_board,
        cu.display_name AS created_by_name, c.created_at
     FROM injury_case c
     JOIN person p ON p.tenant_id = c.tenant_id AND p.id = c.person_id
     JOIN employer e ON e.tenant_id = c.tenant_id AND e.id = c.employer_id
     JOIN app_user cu ON cu.tenant_id = c.tenant_id AND cu.id = c.created_by
     LEFT JOIN app_user pu ON pu.tenant_id = c.tenant_id AND pu.id = c.proposed_by
     LEFT JOIN app_user du ON du.tenant_id = c.tenant_id AND du.id = c.decided_by";

/// A report as accepted (dates checked by `jinbao_domain::benefits::work_injury::report_timing`).
#[derive(Debug, Clone, Serialize)]
pub struct NewCase {
    pub person_id: i64,
    pub employer_id: i64,
    pub accident_date: NaiveDate,
    pub reported_on: NaiveDate,
    pub reporter: &'static str,
    pub report_due: NaiveDate,
    pub late_report: bool,
    pub decision_due: NaiveDate,
    pub accident: String,
    pub diagnosis: String,
}

/// Whether the person was enrolled in work-injury insurance with the employer on the day.
pub fn insured_on(tx: &mut TenantTx<'_>, person_id: i64, employer_id: i64, day: NaiveDate) -> StoreResult<bool> {
    #[derive(QueryableByName)]
    struct R {
        #[diesel(sql_type = Bool)]
        covered: bool,
    }
    let r: R = diesel::sql_query(
        "SELECT EXISTS (SELECT 1 FROM enrolment WHERE tenant_id = $1 AND person_id = $2 AND employer_id = $3
                          AND insurance_type = 'work_injury' AND start_period <= $4
                          AND (end_period IS NULL OR end_period >= date_trunc('month', $4::date)::date)) AS covered",
    )
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<BigInt, _>(person_id)
    .bind::<BigInt, _>(employer_id)
    .bind::<Date, _>(day)
    .get_result(tx.conn())?;
    Ok(r.covered)
}

/// Records a report; `fund_covers` from the person's enrolment with the employer on the day.
pub fn report(tx: &mut TenantTx<'_>, c: &NewCase) -> StoreResult<InjuryCase> {
    let user = tx.actor().user_id().ok_or_else(|| StoreError::invalid("user", "benefit.user_required"))?;
    let office = tx.actor().office_id().unwrap_or(1);
    let covers = insured_on(tx, c.person_id, c.employer_id, c.accident_date)?;
    let id: super::IdRow = diesel::sql_query(
        "INSERT INTO injury_case (tenant_id, person_id, employer_id, accident_date, reported_on, reporter, report_due, late_report,
                                  decision_due, accident, diagnosis, fund_covers, office_id, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
    )
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<BigInt, _>(c.person_id)
    .bind::<BigInt, _>(c.employer_id)
    .bind::<Date, _>(c.accident_date)
    .bind::<Date, _>(c.reported_on)
    .bind::<Text, _>(c.reporter)
    .bind::<Date, _>(c.report_due)
    .bind::<Bool, _>(c.late_report)
    .bind::<Date, _>(c.decision_due)
    .bind::<Text, _>(&c.accident)
    .bind::<Text, _>(&c.diagnosis)
    .bind::<Bool, _>(covers)
    .bind::<Int4, _>(office)
    .bind::<BigInt, _>(user)
    .get_result(tx.conn())?;
    let case = get(tx, id.id)?;
    tx.audit_created("injury.report", "injury_case", &[(case.id.to_string(), serde_json::to_value(c).unwrap_or_default())])?;
    super::events::record(
        tx,
        c.person_id,
        c.accident_date,
        "injury_reported",
        serde_json::json!({"case_id": case.id, "employer_id": c.employer_id, "fund_covers": covers}),
    )?;
    Ok(case)
}

pub fn get(tx: &mut TenantTx<'_>, id: i64) -> StoreResult<InjuryCase> {
    diesel::sql_query(format!("{SELECT} WHERE c.tenant_id = $1 AND c.id = $2"))
        .bind::<SmallInt, _>(tx.tenant().0)
        .bind::<BigInt, _>(id)
        .get_result(tx.conn())
        .optional()?
        .ok_or(StoreError::NotFound)
}

/// Cases, newest first; `open` only those not decided (overdue first by due date), or one person's.
pub fn list(tx: &mut TenantTx<'_>, open: bool, person_id: Option<i64>, page: i64, per_page: i64) -> StoreResult<Page<InjuryCase>> {
    let rows: Vec<InjuryCase> = diesel::sql_query(format!(
        "{SELECT} WHERE c.tenant_id = $1 AND (NOT $2 OR c.status IN ('reported', 'proposed')) AND ($3::bigint IS NULL OR c.person_id = $3)
         ORDER BY CASE WHEN $2 THEN c.decision_due END, c.id DESC LIMIT $4 OFFSET $5"
    ))
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<Bool, _>(open)
    .bind::<Nullable<BigInt>, _>(person_id)
    .bind::<BigInt, _>(per_page + 1)
    .bind::<BigInt, _>((page - 1) * per_page)
    .load(tx.conn())?;
    Ok(Page::from_overfetch(rows, page, per_page))
}

/// The case, held against a concurrent assessment until the transaction ends (a benefit proposed
/// from it is priced on the grade it read).
pub fn get_shared(tx: &mut TenantTx<'_>, id: i64) -> StoreResult<InjuryCase> {
    diesel::sql_query("SELECT 1 FROM injury_case WHERE tenant_id = $1 AND id = $2 FOR SHARE")
        .bind::<SmallInt, _>(tx.tenant().0)
        .bind::<BigInt, _>(id)
        .execute(tx.conn())?;
    get(tx, id)
}

fn lock(tx: &mut TenantTx<'_>, id: i64) -> StoreResult<InjuryCase> {
    diesel::sql_query("SELECT 1 FROM injury_case WHERE tenant_id = $1 AND id = $2 FOR UPDATE")
        .bind::<SmallInt, _>(tx.tenant().0)
        .bind::<BigInt, _>(id)
        .execute(tx.conn())?;
    get(tx, id)
}

/// Proposes the recognition (`recognised` or `not_recognised`, with the reason). Only a reported
/// case (409 `injury.not_reported` otherwise).
pub fn propose(tx: &mut TenantTx<'_>, id: i64, recognised: bool, reason: &str) -> StoreResult<InjuryCase> {
    let user = tx.actor().user_id().ok_or_else(|| StoreError::invalid("user", "benefit.user_required"))?;
    let before = lock(tx, id)?;
    if before.status != InjuryStatus::Reported {
        return Err(StoreError::conflict("status", "injury.not_reported"));
    }
    let outcome = if recognised { "recognised" } else { "not_recognised" };
    diesel::sql_query(
        "UPDATE injury_case SET status = 'proposed', proposed_outcome = $3, reason = $4, proposed_by = $5, proposed_at = now()
         WHERE tenant_id = $1 AND id = $2",
    )
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<BigInt, _>(id)
    .bind::<Text, _>(outcome)
    .bind::<Text, _>(reason)
    .bind::<BigInt, _>(user)
    .execute(tx.conn())?;
    tx.audit(
        "injury.propose",
        "injury_case",
        &id.to_string(),
        Some(serde_json::json!({"status": before.status})),
        Some(serde_json::json!({"status": "proposed", "proposed_outcome": outcome})),
        Some(reason),
    )?;
    get(tx, id)
}

/// The second person's decision: `approve` makes the proposed outcome the case's status; a
/// rejected proposal returns the case to `reported` for a new proposal. Never by the proposer.
pub fn decide(tx: &mut TenantTx<'_>, id: i64, approve: bool, note: Option<&str>) -> StoreResult<InjuryCase> {
    let user = tx.actor().user_id().ok_or_else(|| StoreError::invalid("user", "benefit.user_required"))?;
    let before = lock(tx, id)?;
    if before.status != InjuryStatus::Proposed {
        return Err(StoreError::conflict("status", "injury.not_proposed"));
    }
    if before.proposed_by == Some(user) {
        return Err(StoreError::invalid("decided_by", "benefit.same_person"));
    }
    let sql = if approve {
        "UPDATE injury_case SET status = proposed_outcome, decided_by = $3, decided_at = now() WHERE tenant_id = $1 AND id = $2"
    } else {
        "UPDATE injury_case SET status = 'reported', proposed_outcome = NULL, reason = NULL, proposed_by = NULL, proposed_at = NULL
         WHERE tenant_id = $1 AND id = $2 AND $3::bigint IS NOT NULL"
    };
    diesel::sql_query(sql).bind::<SmallInt, _>(tx.tenant().0).bind::<BigInt, _>(id).bind::<BigInt, _>(user).execute(tx.conn())?;
    let after = get(tx, id)?;
    tx.audit(
        if approve { "injury.approve" } else { "injury.reject" },
        "injury_case",
        &id.to_string(),
        Some(serde_json::json!({"status": before.status, "proposed_outcome": before.proposed_outcome, "proposed_by": before.proposed_by})),
        Some(serde_json::json!({"status": after.status})),
        note,
    )?;
    if approve {
        super::events::record(
            tx,
            after.person_id,
            chrono::Utc::now().date_naive(),
            if after.status == InjuryStatus::Recognised { "injury_recognised" } else { "injury_not_recognised" },
            serde_json::json!({"case_id": id}),
        )?;
    }
    Ok(after)
}

/// The ability assessment of a recognised case (409 `injury.not_recognised` otherwise); a later
/// assessment (re-assessment) replaces it, audited with the earlier one.
pub fn assess(
    tx: &mut TenantTx<'_>,
    id: i64,
    grade: Option<u8>,
    care: Option<&str>,
    assessed_on: NaiveDate,
    board: &str,
) -> StoreResult<InjuryCase> {
    let user = tx.actor().user_id().ok_or_else(|| StoreError::invalid("user", "benefit.user_required"))?;
    let before = lock(tx, id)?;
    if before.status != InjuryStatus::Recognised {
        return Err(StoreError::conflict("status", "injury.not_recognised"));
    }
    // The grade a reviewer sees in a proposed benefit is the case's: no re-assessment meanwhile.
    #[derive(QueryableByName)]
    struct Pending {
        #[diesel(sql_type = Bool)]
        pending: bool,
    }
    let p: Pending = diesel::sql_query(
        "SELECT EXISTS (SELECT 1 FROM benefit_claim WHERE tenant_id = $1 AND injury_case_id = $2 AND status = 'proposed') AS pending",
    )
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<BigInt, _>(id)
    .get_result(tx.conn())?;
    if p.pending {
        return Err(StoreError::conflict("status", "injury.claims_pending"));
    }
    diesel::sql_query(
        "UPDATE injury_case SET grade = $3, care_level = $4, assessed_on = $5, assessment_board = $6, assessed_by = $7
         WHERE tenant_id = $1 AND id = $2",
    )
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<BigInt, _>(id)
    .bind::<Nullable<SmallInt>, _>(grade.map(i16::from))
    .bind::<Nullable<Text>, _>(care)
    .bind::<Date, _>(assessed_on)
    .bind::<Text, _>(board)
    .bind::<BigInt, _>(user)
    .execute(tx.conn())?;
    tx.audit(
        "injury.assess",
        "injury_case",
        &id.to_string(),
        Some(serde_json::json!({"grade": before.grade, "care_level": before.care_level, "assessed_on": before.assessed_on})),
        Some(serde_json::json!({"grade": grade, "care_level": care, "assessed_on": assessed_on, "board": board})),
        None,
    )?;
    super::events::record(tx, before.person_id, assessed_on, "injury_assessed", serde_json::json!({"case_id": id, "grade": grade}))?;
    get(tx, id)
}

/// A document's description (its content is read separately).
#[derive(Debug, Clone, Serialize, QueryableByName, schemars::JsonSchema)]
pub struct Document {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub file_name: String,
    #[diesel(sql_type = Text)]
    pub content_type: String,
    #[diesel(sql_type = Int4)]
    pub size_bytes: i32,
    /// SHA-256 of the content, hex.
    #[diesel(sql_type = Text)]
    pub sha256: String,
    #[diesel(sql_type = Text)]
    pub uploaded_by_name: String,
    #[diesel(sql_type = diesel::sql_types::Timestamptz)]
    pub uploaded_at: DateTime<Utc>,
}

/// Stores a document of a case (at most [`MAX_DOCUMENTS`]: 409 `injury.too_many_documents`).
pub fn add_document(tx: &mut TenantTx<'_>, case_id: i64, file_name: &str, content_type: &str, content: &[u8]) -> StoreResult<Document> {
    use sha2::{Digest, Sha256};
    let user = tx.actor().user_id().ok_or_else(|| StoreError::invalid("user", "benefit.user_required"))?;
    lock(tx, case_id)?;
    if documents(tx, case_id)?.len() as i64 >= MAX_DOCUMENTS {
        return Err(StoreError::conflict("file", "injury.too_many_documents"));
    }
    let sha = hex::encode(Sha256::digest(content));
    let id: super::IdRow = diesel::sql_query(
        "INSERT INTO injury_document (tenant_id, case_id, file_name, content_type, size_bytes, sha256, content, uploaded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<BigInt, _>(case_id)
    .bind::<Text, _>(file_name)
    .bind::<Text, _>(content_type)
    .bind::<Int4, _>(content.len() as i32)
    .bind::<Text, _>(&sha)
    .bind::<Binary, _>(content)
    .bind::<BigInt, _>(user)
    .get_result(tx.conn())?;
    tx.audit_created(
        "injury.document",
        "injury_document",
        &[(id.id.to_string(), serde_json::json!({"case_id": case_id, "file_name": file_name, "size_bytes": content.len(), "sha256": sha}))],
    )?;
    documents(tx, case_id)?.into_iter().find(|d| d.id == id.id).ok_or(StoreError::NotFound)
}

pub fn documents(tx: &mut TenantTx<'_>, case_id: i64) -> StoreResult<Vec<Document>> {
    Ok(diesel::sql_query(
        "SELECT d.id, d.file_name, d.content_type, d.size_bytes, d.sha256, u.display_name AS uploaded_by_name, d.uploaded_at
         FROM injury_document d JOIN app_user u ON u.tenant_id = d.tenant_id AND u.id = d.uploaded_by
         WHERE d.tenant_id = $1 AND d.case_id = $2 ORDER BY d.id",
    )
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<BigInt, _>(case_id)
    .load(tx.conn())?)
}

/// A document's content, its checksum verified (a mismatch is an error, never served).
pub fn document_content(tx: &mut TenantTx<'_>, case_id: i64, id: i64) -> StoreResult<(Document, Vec<u8>)> {
    use sha2::{Digest, Sha256};
    #[derive(QueryableByName)]
    struct R {
        #[diesel(sql_type = Binary)]
        content: Vec<u8>,
    }
    let doc = documents(tx, case_id)?.into_iter().find(|d| d.id == id).ok_or(StoreError::NotFound)?;
    let r: R = diesel::sql_query("SELECT content FROM injury_document WHERE tenant_id = $1 AND case_id = $2 AND id = $3")
        .bind::<SmallInt, _>(tx.tenant().0)
        .bind::<BigInt, _>(case_id)
        .bind::<BigInt, _>(id)
        .get_result(tx.conn())?;
    if hex::encode(Sha256::digest(&r.content)) != doc.sha256 {
        return Err(StoreError::Other(anyhow::anyhow!("injury document {id} does not match its checksum")));
    }
    Ok((doc, r.content))
}

/// The person's monthly work-injury contribution bases of the given months (first days), several
/// employers in a month added: the wage of art. 64 on record.
pub fn monthly_wages(tx: &mut TenantTx<'_>, person_id: i64, months: &[NaiveDate]) -> StoreResult<Vec<(NaiveDate, i64)>> {
    let all = super::benefits::months(tx, person_id, "work_injury")?;
    Ok(all.into_iter().filter(|m| months.contains(&m.period)).map(|m| (m.period, m.base_fen)).collect())
}

/// The national urban per-capita disposable income of `year` in the tenant's benefit rule.
pub fn disposable_income(tx: &mut TenantTx<'_>, rule_id: i64, year: i32) -> StoreResult<Option<i64>> {
    #[derive(QueryableByName)]
    struct R {
        #[diesel(sql_type = Nullable<BigInt>)]
        fen: Option<i64>,
    }
    let r: Option<R> =
        diesel::sql_query("SELECT disposable_income_fen AS fen FROM benefit_year WHERE tenant_id = $1 AND rule_id = $2 AND year = $3")
            .bind::<SmallInt, _>(tx.tenant().0)
            .bind::<BigInt, _>(rule_id)
            .bind::<Int4, _>(year)
            .get_result(tx.conn())
            .optional()?;
    Ok(r.and_then(|r| r.fen))
}

/// One accident year of an employer's work-injury record: what its floating-rate decision
/// (人社部发〔2015〕71号) weighs besides the fund's balance.
#[derive(Debug, Clone, Serialize, QueryableByName, PartialEq, Eq, schemars::JsonSchema)]
pub struct EmployerYear {
    /// The year of the accidents.
    #[diesel(sql_type = Int4)]
    pub year: i32,
    #[diesel(sql_type = BigInt)]
    pub reported: i64,
    #[diesel(sql_type = BigInt)]
    pub recognised: i64,
    /// Benefits of these cases the fund has paid so far (paid payment lines).
    #[diesel(sql_type = BigInt)]
    pub benefits_paid_fen: i64,
    /// Their medical costs the work-injury fund settled.
    #[diesel(sql_type = BigInt)]
    pub medical_fen: i64,
}

/// The employer's work-injury record by accident year since `from_year`, the latest year first.
pub fn employer_record(tx: &mut TenantTx<'_>, employer_id: i64, from_year: i32) -> StoreResult<Vec<EmployerYear>> {
    Ok(diesel::sql_query(
        "WITH cases AS (
             SELECT id, extract(year FROM accident_date)::int AS year, status FROM injury_case
             WHERE tenant_id = $1 AND employer_id = $2 AND accident_date >= make_date($3, 1, 1)),
         paid AS (
             SELECT b.injury_case_id AS id, sum(l.amount_fen)::bigint AS fen
             FROM payment_line l JOIN benefit_claim b ON b.tenant_id = l.tenant_id AND b.id = l.claim_id
             WHERE l.tenant_id = $1 AND l.status = 'paid' AND b.injury_case_id IN (SELECT id FROM cases)
             GROUP BY b.injury_case_id),
         medical AS (
             SELECT injury_case_id AS id, sum(fund_fen)::bigint AS fen FROM medical_settlement
             WHERE tenant_id = $1 AND status = 'approved' AND injury_case_id IN (SELECT id FROM cases)
             GROUP BY injury_case_id)
         SELECT c.year, count(*) AS reported, count(*) FILTER (WHERE c.status = 'recognised') AS recognised,
                coalesce(sum(p.fen), 0)::bigint AS benefits_paid_fen, coalesce(sum(m.fen), 0)::bigint AS medical_fen
         FROM cases c LEFT JOIN paid p ON p.id = c.id LEFT JOIN medical m ON m.id = c.id
         GROUP BY c.year ORDER BY c.year DESC",
    )
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<BigInt, _>(employer_id)
    .bind::<Int4, _>(from_year)
    .load(tx.conn())?)
}
