//! Revisions of running benefits when a figure they used provisionally is published (the payout
//! base C of the retirement year, a year's crediting rate): proposed by the user who runs the
//! recalculation, decided by another. Only the database function `claim_revision_apply` changes a
//! claim's amount, and only for a revision approved by someone other than its proposer; it records
//! the difference of every month paid (or in a batch) at another amount as an adjustment — paid by a
//! later batch (补发) when positive, an overpayment to recover (扣回) when negative.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Jsonb, Nullable, SmallInt, Text, Timestamptz};
use serde::Serialize;

use crate::error::{is_unique_violation, StoreError, StoreResult};
use crate::kinds::Decision;
use crate::tenant_tx::TenantTx;

/// A revision of a running pension after a provisionally used figure was published.
#[derive(Debug, Clone, Serialize, QueryableByName, schemars::JsonSchema)]
pub struct Revision {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = BigInt)]
    pub claim_id: i64,
    #[diesel(sql_type = BigInt)]
    pub person_id: i64,
    #[diesel(sql_type = Text)]
    pub person_name: String,
    #[diesel(sql_type = Text)]
    pub kind: crate::kinds::ClaimKind,
    /// `payout_base` (`from_year`, `to_year`, `from_fen`, `to_fen`) and/or `rates` (years no longer provisional).
    #[diesel(sql_type = Jsonb)]
    pub published: serde_json::Value,
    #[diesel(sql_type = BigInt)]
    pub old_amount_fen: i64,
    #[diesel(sql_type = BigInt)]
    pub new_amount_fen: i64,
    /// The new calculation (as `PensionCalculation`).
    #[diesel(sql_type = Jsonb)]
    pub calculation: serde_json::Value,
    #[diesel(sql_type = Text)]
    pub status: crate::kinds::Decision,
    #[diesel(sql_type = BigInt)]
    pub proposed_by: i64,
    #[diesel(sql_type = Text)]
    pub proposed_by_name: String,
    #[diesel(sql_type = Timestamptz)]
    pub proposed_at: DateTime<Utc>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub decided_by: Option<i64>,
    #[diesel(sql_type = Nullable<Text>)]
    pub decided_by_name: Option<String>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub decided_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = Nullable<Text>)]
    pub decision_note: Option<String>,
}

const SELECT: &str = "SELECT r.id, r.claim_id, c.person_id, p.name AS person_name, c.kind, r.published, r.old_amount_fen, r.new_amount_fen,
        r.calculation, r.status, r.proposed_by, u.display_name AS proposed_by_name, r.proposed_at, r.decided_by,
        d.display_name AS decided_by_name, r.decided_at, r.decision_note
     FROM claim_revision r
     JOIN benefit_claim c ON c.tenant_id = r.tenant_id AND c.id = r.claim_id
     JOIN person p ON p.tenant_id = c.tenant_id AND p.id = c.person_id
     JOIN app_user u ON u.tenant_id = r.tenant_id AND u.id = r.proposed_by
     LEFT JOIN app_user d ON d.tenant_id = r.tenant_id AND d.id = r.decided_by";

pub fn get(tx: &mut TenantTx<'_>, id: i64) -> StoreResult<Revision> {
    diesel::sql_query(format!("{SELECT} WHERE r.tenant_id = $1 AND r.id = $2"))
        .bind::<SmallInt, _>(tx.tenant().0)
        .bind::<BigInt, _>(id)
        .get_result(tx.conn())
        .optional()?
        .ok_or(StoreError::NotFound)
}

/// Revisions by status (all when `None`) and optionally of one claim, newest first (at most 500).
pub fn list(tx: &mut TenantTx<'_>, status: Option<Decision>, claim_id: Option<i64>) -> StoreResult<Vec<Revision>> {
    Ok(diesel::sql_query(format!(
        "{SELECT} WHERE r.tenant_id = $1 AND ($2::text IS NULL OR r.status = $2) AND ($3::bigint IS NULL OR r.claim_id = $3)
         ORDER BY r.id DESC LIMIT 500"
    ))
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<Nullable<Text>, _>(status.map(Decision::as_str))
    .bind::<Nullable<BigInt>, _>(claim_id)
    .load(tx.conn())?)
}

/// Running pension claims whose calculation used a provisional figure: the payout base of an
/// earlier year than the retirement year, or a provisional crediting rate.
pub fn provisional_pensions(tx: &mut TenantTx<'_>) -> StoreResult<Vec<i64>> {
    let ids: Vec<crate::repo::IdRow> = diesel::sql_query(
        "SELECT id FROM benefit_claim
         WHERE tenant_id = $1 AND kind = 'pension' AND status = 'approved' AND monthly
           AND ((calculation -> 'payout_base' ->> 'year')::int < left(calculation -> 'retirement' ->> 'period', 4)::int
                OR jsonb_array_length(coalesce(calculation -> 'account' -> 'provisional_rate_years', '[]'::jsonb)) > 0)
           AND NOT EXISTS (SELECT 1 FROM claim_revision r WHERE r.tenant_id = $1 AND r.claim_id = benefit_claim.id AND r.status = 'proposed')
         ORDER BY id",
    )
    .bind::<SmallInt, _>(tx.tenant().0)
    .load(tx.conn())?;
    Ok(ids.into_iter().map(|i| i.id).collect())
}

/// A proposed revision (audited). One open revision per claim.
pub fn propose(
    tx: &mut TenantTx<'_>,
    claim_id: i64,
    published: &serde_json::Value,
    new_amount_fen: i64,
    calculation: &serde_json::Value,
) -> StoreResult<Revision> {
    let user = tx.actor().user_id().ok_or_else(|| StoreError::invalid("user", "benefit.user_required"))?;
    let claim = super::benefits::lock(tx, claim_id)?;
    let id: crate::repo::IdRow = diesel::sql_query(
        "INSERT INTO claim_revision (tenant_id, claim_id, reason, published, old_amount_fen, new_amount_fen, calculation, proposed_by)
         VALUES ($1, $2, 'figures_published', $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<BigInt, _>(claim_id)
    .bind::<Jsonb, _>(published)
    .bind::<BigInt, _>(claim.amount_fen)
    .bind::<BigInt, _>(new_amount_fen)
    .bind::<Jsonb, _>(calculation)
    .bind::<BigInt, _>(user)
    .get_result(tx.conn())
    .map_err(|e| if is_unique_violation(&e, "claim_revision_open") { StoreError::conflict("claim", "revision.open") } else { e.into() })?;
    tx.audit(
        "benefit.revision_propose",
        "claim_revision",
        &id.id.to_string(),
        Some(serde_json::json!({"claim_id": claim_id, "amount_fen": claim.amount_fen})),
        Some(serde_json::json!({"claim_id": claim_id, "amount_fen": new_amount_fen, "published": published})),
        None,
    )?;
    get(tx, id.id)
}

/// One month's difference recorded by an applied revision.
#[derive(Debug, Clone, Serialize, QueryableByName, schemars::JsonSchema)]
pub struct Adjustment {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = BigInt)]
    pub revision_id: i64,
    #[diesel(sql_type = Date)]
    pub period: NaiveDate,
    /// Positive: owed to the beneficiary (补发). Negative: overpaid, to recover (扣回).
    #[diesel(sql_type = BigInt)]
    pub amount_fen: i64,
    /// `owed` (to pay in a batch), `in_batch`, `paid`, or `overpaid` (to recover).
    #[diesel(sql_type = Text)]
    pub state: crate::kinds::AdjustmentState,
}

pub fn adjustments(tx: &mut TenantTx<'_>, claim_id: i64) -> StoreResult<Vec<Adjustment>> {
    Ok(diesel::sql_query(
        "SELECT a.id, a.revision_id, a.period, a.amount_fen,
                CASE WHEN a.amount_fen < 0 THEN 'overpaid'
                     WHEN EXISTS (SELECT 1 FROM payment_line l WHERE l.tenant_id = a.tenant_id AND l.adjustment_id = a.id AND l.status = 'paid') THEN 'paid'
                     WHEN EXISTS (SELECT 1 FROM payment_line l WHERE l.tenant_id = a.tenant_id AND l.adjustment_id = a.id AND l.status = 'pending') THEN 'in_batch'
                     ELSE 'owed' END AS state
         FROM claim_adjustment a WHERE a.tenant_id = $1 AND a.claim_id = $2 ORDER BY a.revision_id, a.period",
    )
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<BigInt, _>(claim_id)
    .load(tx.conn())?)
}

/// Approves (and applies) or rejects a revision; the decider must not be the proposer.
pub fn decide(tx: &mut TenantTx<'_>, id: i64, approve: bool, note: Option<&str>) -> StoreResult<Revision> {
    let before = get(tx, id)?;
    let user = super::decisions::decide(tx, super::decisions::Proposal::Revision, id, approve, note)?;
    if approve {
        diesel::sql_query("SELECT claim_revision_apply($1)").bind::<BigInt, _>(id).execute(tx.conn())?;
    }
    let after = get(tx, id)?;
    let adjusted =
        if approve { adjustments(tx, after.claim_id)?.into_iter().filter(|a| a.revision_id == id).collect() } else { Vec::new() };
    tx.audit(
        if approve { "benefit.revision_approve" } else { "benefit.revision_reject" },
        "claim_revision",
        &id.to_string(),
        Some(serde_json::json!({"status": before.status, "proposed_by": before.proposed_by, "amount_fen": before.old_amount_fen})),
        Some(serde_json::json!({"status": after.status, "decided_by": user, "amount_fen": after.new_amount_fen,
                                "adjustments": adjusted.iter().map(|a| serde_json::json!({"period": a.period, "amount_fen": a.amount_fen})).collect::<Vec<_>>()})),
        note,
    )?;
    Ok(after)
}
