//! Monthly payment batches: every benefit due, by bank or post office. Generation is idempotent
//! (one batch per period; lines for months already pending or paid are never added again); failed
//! lines are reissued once in a later batch; results from the bank or post office set a pending
//! line to paid or failed once, and a re-imported result changes nothing.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Nullable, SmallInt, Text};
use serde::Serialize;

use crate::error::{StoreError, StoreResult};
use crate::kinds::{BatchStatus, LineStatus, PaymentChannel};
use crate::tenant_tx::TenantTx;

/// A month's payment batch and its counts.
#[derive(Debug, Clone, Serialize, QueryableByName, schemars::JsonSchema)]
#[schemars(rename = "PaymentBatch")]
pub struct Batch {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    /// The batch's month, as its first day.
    #[diesel(sql_type = Date)]
    pub period: NaiveDate,
    /// `open` 待导出 (lines may still be added), `exported` 已导出 (a file was downloaded), `closed` 已完成 (no line pending).
    #[diesel(sql_type = Text)]
    pub status: crate::kinds::BatchStatus,
    #[diesel(sql_type = diesel::sql_types::Timestamptz)]
    pub created_at: DateTime<Utc>,
    /// First download of either file.
    #[diesel(sql_type = Nullable<diesel::sql_types::Timestamptz>)]
    pub exported_at: Option<DateTime<Utc>>,
    /// Payment lines.
    #[diesel(sql_type = BigInt)]
    pub lines: i64,
    /// Sum of all lines, fen.
    #[diesel(sql_type = BigInt)]
    pub total_fen: i64,
    #[diesel(sql_type = BigInt)]
    pub bank_lines: i64,
    #[diesel(sql_type = BigInt)]
    pub post_lines: i64,
    /// Lines without a result yet.
    #[diesel(sql_type = BigInt)]
    pub pending: i64,
    #[diesel(sql_type = BigInt)]
    pub paid: i64,
    #[diesel(sql_type = BigInt)]
    pub failed: i64,
    /// Sum of the paid lines, fen.
    #[diesel(sql_type = BigInt)]
    pub paid_fen: i64,
    /// Lines that reissue a failed line of an earlier batch.
    #[diesel(sql_type = BigInt)]
    pub reissues: i64,
}

const BATCH_SELECT: &str = "SELECT b.id, b.period, b.status, b.created_at, b.exported_at,
        count(l.id) AS lines, coalesce(sum(l.amount_fen), 0)::bigint AS total_fen,
        count(l.id) FILTER (WHERE l.channel = 'bank') AS bank_lines, count(l.id) FILTER (WHERE l.channel = 'post') AS post_lines,
        count(l.id) FILTER (WHERE l.status = 'pending') AS pending, count(l.id) FILTER (WHERE l.status = 'paid') AS paid,
        count(l.id) FILTER (WHERE l.status = 'failed') AS failed,
        coalesce(sum(l.amount_fen) FILTER (WHERE l.status = 'paid'), 0)::bigint AS paid_fen,
        count(l.id) FILTER (WHERE l.reissue_of IS NOT NULL) AS reissues
     FROM payment_batch b LEFT JOIN payment_line l ON l.tenant_id = b.tenant_id AND l.batch_id = b.id";

pub fn get(tx: &mut TenantTx<'_>, id: i64) -> StoreResult<Batch> {
    diesel::sql_query(format!("{BATCH_SELECT} WHERE b.tenant_id = $1 AND b.id = $2 GROUP BY b.id, b.tenant_id"))
        .bind::<SmallInt, _>(tx.tenant().0)
        .bind::<BigInt, _>(id)
        .get_result(tx.conn())
        .optional()?
        .ok_or(StoreError::NotFound)
}

pub fn list(tx: &mut TenantTx<'_>) -> StoreResult<Vec<Batch>> {
    Ok(diesel::sql_query(format!("{BATCH_SELECT} WHERE b.tenant_id = $1 GROUP BY b.id, b.tenant_id ORDER BY b.period DESC LIMIT 60"))
        .bind::<SmallInt, _>(tx.tenant().0)
        .load(tx.conn())?)
}

/// The batch of `period`, created with every payment due by then: first the reissue of each
/// failed line not yet reissued, then each month of each running benefit up to `period` that has
/// no pending or paid line (months missed before are paid now), and each one-off benefit not yet
/// paid. Once the batch is exported, generating again adds nothing.
pub fn generate(tx: &mut TenantTx<'_>, period: NaiveDate) -> StoreResult<Batch> {
    #[derive(QueryableByName)]
    struct B {
        #[diesel(sql_type = BigInt)]
        id: i64,
        #[diesel(sql_type = Text)]
        status: BatchStatus,
    }
    let tid = tx.tenant().0;
    // One at a time with the application of revisions (`claim_revision_apply` takes the same
    // lock): a line is either generated before a revision, which then sees it and records its
    // difference, or after it, at the new amount.
    diesel::sql_query("SELECT pg_advisory_xact_lock(hashtextextended('payments:' || $1::text, 0))")
        .bind::<SmallInt, _>(tid)
        .execute(tx.conn())?;
    diesel::sql_query(
        "INSERT INTO payment_batch (tenant_id, period, created_by) VALUES ($1, $2, $3) ON CONFLICT (tenant_id, period) DO NOTHING",
    )
    .bind::<SmallInt, _>(tid)
    .bind::<Date, _>(period)
    .bind::<Nullable<BigInt>, _>(tx.actor().user_id())
    .execute(tx.conn())?;
    let b: B = diesel::sql_query("SELECT id, status FROM payment_batch WHERE tenant_id = $1 AND period = $2 FOR UPDATE")
        .bind::<SmallInt, _>(tid)
        .bind::<Date, _>(period)
        .get_result(tx.conn())?;
    if b.status != BatchStatus::Open {
        return get(tx, b.id);
    }
    let reissued = diesel::sql_query(
        "INSERT INTO payment_line (tenant_id, batch_id, claim_id, person_id, kind, period, amount_fen, channel, bank_name, account_no,
                                   post_address, reissue_of, adjustment_id)
         SELECT $1, $2, f.claim_id, f.person_id, f.kind, f.period,
                -- a month is reissued at the claim's amount now (a revision since changed it); an
                -- adjustment keeps its own amount
                CASE WHEN f.adjustment_id IS NULL THEN c.amount_fen ELSE f.amount_fen END,
                c.channel, c.bank_name, c.account_no, c.post_address, f.id, f.adjustment_id
         FROM payment_line f JOIN benefit_claim c ON c.tenant_id = f.tenant_id AND c.id = f.claim_id
         WHERE f.tenant_id = $1 AND f.status = 'failed' AND f.batch_id <> $2
           AND (c.end_period IS NULL OR NOT c.monthly OR f.period <= c.end_period)
           AND NOT EXISTS (SELECT 1 FROM payment_line r WHERE r.tenant_id = f.tenant_id AND r.reissue_of = f.id)
         ON CONFLICT DO NOTHING",
    )
    .bind::<SmallInt, _>(tid)
    .bind::<BigInt, _>(b.id)
    .execute(tx.conn())?;
    let due = diesel::sql_query(
        "INSERT INTO payment_line (tenant_id, batch_id, claim_id, person_id, kind, period, amount_fen, channel, bank_name, account_no,
                                   post_address)
         SELECT $1, $2, c.id, c.person_id, c.kind, m.month::date, c.amount_fen, c.channel, c.bank_name, c.account_no, c.post_address
         FROM benefit_claim c
         -- a monthly claim's months up to the period (or its end); a one-off its one month, once due
         CROSS JOIN LATERAL generate_series(c.start_period::timestamp,
                                            (CASE WHEN c.monthly THEN least(coalesce(c.end_period, $3), $3) ELSE c.start_period END)::timestamp,
                                            interval '1 month') AS m(month)
         WHERE c.tenant_id = $1 AND c.status IN ('approved', 'stopped') AND c.payer = 'fund' AND c.amount_fen > 0
           AND (c.monthly OR c.start_period <= $3)
           AND NOT EXISTS (SELECT 1 FROM payment_line l WHERE l.tenant_id = c.tenant_id AND l.claim_id = c.id AND l.period = m.month::date
                                                          AND l.adjustment_id IS NULL AND l.status <> 'failed')
           AND NOT EXISTS (SELECT 1 FROM payment_line l WHERE l.tenant_id = c.tenant_id AND l.claim_id = c.id AND l.period = m.month::date
                                                          AND l.adjustment_id IS NULL AND l.status = 'failed'
                                                          AND NOT EXISTS (SELECT 1 FROM payment_line r WHERE r.tenant_id = l.tenant_id AND r.reissue_of = l.id))
         ON CONFLICT DO NOTHING",
    )
    .bind::<SmallInt, _>(tid)
    .bind::<BigInt, _>(b.id)
    .bind::<Date, _>(period)
    .execute(tx.conn())?;
    // Differences owed for months paid before at another amount (补发), once each.
    let adjusted = diesel::sql_query(
        "INSERT INTO payment_line (tenant_id, batch_id, claim_id, person_id, kind, period, amount_fen, channel, bank_name, account_no,
                                   post_address, adjustment_id)
         SELECT $1, $2, c.id, c.person_id, c.kind, a.period, a.amount_fen, c.channel, c.bank_name, c.account_no, c.post_address, a.id
         FROM claim_adjustment a JOIN benefit_claim c ON c.tenant_id = a.tenant_id AND c.id = a.claim_id
         WHERE a.tenant_id = $1 AND a.amount_fen > 0
           AND NOT EXISTS (SELECT 1 FROM payment_line l WHERE l.tenant_id = a.tenant_id AND l.adjustment_id = a.id)
         ON CONFLICT DO NOTHING",
    )
    .bind::<SmallInt, _>(tid)
    .bind::<BigInt, _>(b.id)
    .execute(tx.conn())?;
    let batch = get(tx, b.id)?;
    tx.audit(
        "payment.generate",
        "payment_batch",
        &b.id.to_string(),
        None,
        Some(serde_json::json!({"period": period, "reissued": reissued, "added": due, "adjustments": adjusted, "lines": batch.lines,
                                "total_fen": batch.total_fen})),
        None,
    )?;
    Ok(batch)
}

/// One line of an export file.
#[derive(Debug, Clone, Serialize, QueryableByName, schemars::JsonSchema)]
pub struct ExportLine {
    #[diesel(sql_type = BigInt)]
    pub line_id: i64,
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = Text)]
    pub id_number: String,
    #[diesel(sql_type = Text)]
    pub kind: crate::kinds::ClaimKind,
    #[diesel(sql_type = Date)]
    pub period: NaiveDate,
    #[diesel(sql_type = BigInt)]
    pub amount_fen: i64,
    #[diesel(sql_type = Nullable<Text>)]
    pub bank_name: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub account_no: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub post_address: Option<String>,
}

/// Freezes a batch for export: no line is added to or removed from it afterwards (audited). A
/// generation running at the same time finishes first. Freezing again changes nothing.
pub fn freeze(tx: &mut TenantTx<'_>, batch_id: i64) -> StoreResult<Batch> {
    diesel::sql_query("SELECT 1 FROM payment_batch WHERE tenant_id = $1 AND id = $2 FOR UPDATE")
        .bind::<SmallInt, _>(tx.tenant().0)
        .bind::<BigInt, _>(batch_id)
        .execute(tx.conn())?;
    let before = get(tx, batch_id)?;
    if before.status != BatchStatus::Open {
        return Ok(before);
    }
    diesel::sql_query("UPDATE payment_batch SET status = 'exported', exported_at = now() WHERE tenant_id = $1 AND id = $2")
        .bind::<SmallInt, _>(tx.tenant().0)
        .bind::<BigInt, _>(batch_id)
        .execute(tx.conn())?;
    let after = get(tx, batch_id)?;
    tx.audit(
        "payment.export",
        "payment_batch",
        &batch_id.to_string(),
        Some(serde_json::json!({"status": before.status})),
        Some(serde_json::json!({"status": after.status, "lines": after.lines, "total_fen": after.total_fen})),
        None,
    )?;
    Ok(after)
}

/// The pending lines of a frozen batch for one channel (bank or post), each with the account or
/// address it was generated with. Reading changes nothing; each download is audited (who took the
/// file with the account numbers).
pub fn export(tx: &mut TenantTx<'_>, batch_id: i64, channel: PaymentChannel) -> StoreResult<Vec<ExportLine>> {
    let batch = get(tx, batch_id)?;
    if batch.status == BatchStatus::Open {
        return Err(StoreError::conflict("batch", "payment.not_exported"));
    }
    let lines: Vec<ExportLine> = diesel::sql_query(
        "SELECT l.id AS line_id, p.name, p.id_number, l.kind, l.period, l.amount_fen, l.bank_name, l.account_no, l.post_address
         FROM payment_line l
         JOIN person p ON p.tenant_id = l.tenant_id AND p.id = l.person_id
         WHERE l.tenant_id = $1 AND l.batch_id = $2 AND l.channel = $3 AND l.status = 'pending'
         ORDER BY l.id",
    )
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<BigInt, _>(batch_id)
    .bind::<Text, _>(channel)
    .load(tx.conn())?;
    tx.audit(
        "payment.download",
        "payment_batch",
        &batch_id.to_string(),
        None,
        Some(serde_json::json!({"channel": channel, "lines": lines.len(), "total_fen": lines.iter().map(|l| l.amount_fen).sum::<i64>()})),
        None,
    )?;
    Ok(lines)
}

/// One returned result: the line, `paid` or `failed`, the reason of a failure, the bank's reference.
#[derive(Debug, Clone)]
pub struct ResultRow {
    pub row_no: i32,
    pub line_id: i64,
    pub paid: bool,
    pub reason: Option<String>,
    pub reference: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, schemars::JsonSchema)]
pub struct ResultSummary {
    pub applied: i64,
    pub unchanged: i64,
    /// (row, line, code) of results that could not be applied.
    pub problems: Vec<(i32, i64, String)>,
    pub batch: Option<Batch>,
}

/// Applies returned results to a batch's lines: a pending line becomes paid or failed; the same
/// result again changes nothing; a different result for a settled line, or a line not in the
/// batch, is reported and not applied. The batch is closed when no line is pending.
pub fn import_results(tx: &mut TenantTx<'_>, batch_id: i64, rows: &[ResultRow]) -> StoreResult<ResultSummary> {
    #[derive(QueryableByName)]
    struct L {
        #[diesel(sql_type = Text)]
        status: LineStatus,
    }
    let batch = get(tx, batch_id)?;
    if batch.status == BatchStatus::Open {
        return Err(StoreError::conflict("batch", "payment.not_exported"));
    }
    let tid = tx.tenant().0;
    let mut s = ResultSummary::default();
    let mut paid_lines = Vec::new();
    for r in rows {
        let line: Option<L> =
            diesel::sql_query("SELECT status FROM payment_line WHERE tenant_id = $1 AND batch_id = $2 AND id = $3 FOR UPDATE")
                .bind::<SmallInt, _>(tid)
                .bind::<BigInt, _>(batch_id)
                .bind::<BigInt, _>(r.line_id)
                .get_result(tx.conn())
                .optional()?;
        let wanted = if r.paid { LineStatus::Paid } else { LineStatus::Failed };
        match line {
            None => s.problems.push((r.row_no, r.line_id, "payment.unknown_line".into())),
            Some(l) if l.status == wanted => s.unchanged += 1,
            Some(l) if l.status != LineStatus::Pending => s.problems.push((r.row_no, r.line_id, "payment.result_conflict".into())),
            Some(_) => {
                diesel::sql_query(
                    "UPDATE payment_line SET status = $4, failure = $5, result_ref = $6, result_at = now()
                     WHERE tenant_id = $1 AND batch_id = $2 AND id = $3",
                )
                .bind::<SmallInt, _>(tid)
                .bind::<BigInt, _>(batch_id)
                .bind::<BigInt, _>(r.line_id)
                .bind::<Text, _>(wanted)
                .bind::<Nullable<Text>, _>(r.reason.as_deref())
                .bind::<Nullable<Text>, _>(r.reference.as_deref())
                .execute(tx.conn())?;
                if r.paid {
                    paid_lines.push(r.line_id);
                }
                s.applied += 1;
            }
        }
    }
    // The province's figures: benefits paid per type, in the batch's month.
    #[derive(QueryableByName)]
    struct Paid {
        #[diesel(sql_type = Text)]
        kind: String,
        #[diesel(sql_type = BigInt)]
        fen: i64,
    }
    let paid: Vec<Paid> = diesel::sql_query(
        "SELECT kind, sum(amount_fen)::bigint AS fen FROM payment_line WHERE tenant_id = $1 AND id = ANY($2) GROUP BY kind",
    )
    .bind::<SmallInt, _>(tid)
    .bind::<diesel::sql_types::Array<BigInt>, _>(&paid_lines)
    .load(tx.conn())?;
    for p in paid {
        let fund = crate::kinds::ClaimKind::parse(&p.kind).map_or(p.kind.as_str(), |k| k.fund());
        tx.push_stat("benefits_paid_fen", Some(batch.period), fund, p.fen);
    }
    diesel::sql_query(
        "UPDATE payment_batch b SET status = 'closed' WHERE b.tenant_id = $1 AND b.id = $2
           AND NOT EXISTS (SELECT 1 FROM payment_line l WHERE l.tenant_id = $1 AND l.batch_id = $2 AND l.status = 'pending')",
    )
    .bind::<SmallInt, _>(tid)
    .bind::<BigInt, _>(batch_id)
    .execute(tx.conn())?;
    tx.audit(
        "payment.results",
        "payment_batch",
        &batch_id.to_string(),
        None,
        Some(serde_json::json!({"applied": s.applied, "unchanged": s.unchanged, "problems": s.problems.len()})),
        None,
    )?;
    s.batch = Some(get(tx, batch_id)?);
    Ok(s)
}
