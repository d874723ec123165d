//! Changes of how a benefit is paid (channel, bank, account number, post address): proposed by one
//! user, decided by another. Nothing about the claim changes until the change is approved; the
//! approval is applied by the database function `channel_change_apply`, the only writer of a
//! claim's payment columns. Payment lines already generated keep their own account (a snapshot),
//! so an approved change applies from the next batch.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, SmallInt, Text, Timestamptz};
use serde::Serialize;

use super::benefits;
use crate::error::{is_unique_violation, StoreError, StoreResult};
use crate::kinds::Decision;
use crate::tenant_tx::TenantTx;

/// Where a benefit is paid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Destination {
    pub channel: crate::kinds::PaymentChannel,
    pub bank_name: Option<String>,
    pub account_no: Option<String>,
    pub post_address: Option<String>,
}

/// A change of a claim's payment channel: proposed by one user, approved (and then applied to the claim) or rejected by
/// another. `account_no` and `old_account_no` are masked (`***************9999`) unless the caller's role has
/// `benefit.reveal_account`.
#[derive(Debug, Clone, Serialize, QueryableByName, schemars::JsonSchema)]
pub struct ChannelChange {
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
    #[diesel(sql_type = Text)]
    pub channel: crate::kinds::PaymentChannel,
    #[diesel(sql_type = Nullable<Text>)]
    pub bank_name: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub account_no: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub post_address: Option<String>,
    #[diesel(sql_type = Text)]
    pub old_channel: crate::kinds::PaymentChannel,
    #[diesel(sql_type = Nullable<Text>)]
    pub old_bank_name: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub old_account_no: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub old_post_address: Option<String>,
    #[diesel(sql_type = Text)]
    pub reason: String,
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
    /// When the approved change was copied onto the claim (by the database function `channel_change_apply`).
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub applied_at: Option<DateTime<Utc>>,
}

const SELECT: &str = "SELECT x.id, x.claim_id, c.person_id, p.name AS person_name, c.kind, x.channel, x.bank_name, x.account_no,
        x.post_address, x.old_channel, x.old_bank_name, x.old_account_no, x.old_post_address, x.reason, x.status, x.proposed_by,
        u.display_name AS proposed_by_name, x.proposed_at, x.decided_by, d.display_name AS decided_by_name, x.decided_at,
        x.decision_note, x.applied_at
     FROM channel_change x
     JOIN benefit_claim c ON c.tenant_id = x.tenant_id AND c.id = x.claim_id
     JOIN person p ON p.tenant_id = c.tenant_id AND p.id = c.person_id
     JOIN app_user u ON u.tenant_id = x.tenant_id AND u.id = x.proposed_by
     LEFT JOIN app_user d ON d.tenant_id = x.tenant_id AND d.id = x.decided_by";

pub fn get(tx: &mut TenantTx<'_>, id: i64) -> StoreResult<ChannelChange> {
    diesel::sql_query(format!("{SELECT} WHERE x.tenant_id = $1 AND x.id = $2"))
        .bind::<SmallInt, _>(tx.tenant().0)
        .bind::<BigInt, _>(id)
        .get_result(tx.conn())
        .optional()?
        .ok_or(StoreError::NotFound)
}

/// Changes by status (all when `None`) and optionally of one claim, newest first (at most 200).
pub fn list(tx: &mut TenantTx<'_>, status: Option<Decision>, claim_id: Option<i64>) -> StoreResult<Vec<ChannelChange>> {
    Ok(diesel::sql_query(format!(
        "{SELECT} WHERE x.tenant_id = $1 AND ($2::text IS NULL OR x.status = $2) AND ($3::bigint IS NULL OR x.claim_id = $3)
         ORDER BY x.id DESC LIMIT 200"
    ))
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<Nullable<Text>, _>(status.map(Decision::as_str))
    .bind::<Nullable<BigInt>, _>(claim_id)
    .load(tx.conn())?)
}

/// Proposes a new destination for an approved (or stopped, with failed months to reissue) claim.
/// Nothing changes until another user approves it. One open proposal per claim.
pub fn propose(tx: &mut TenantTx<'_>, claim_id: i64, to: &Destination, reason: &str) -> StoreResult<ChannelChange> {
    let user = tx.actor().user_id().ok_or_else(|| StoreError::invalid("user", "benefit.user_required"))?;
    let claim = benefits::lock(tx, claim_id)?;
    if !["approved", "stopped"].contains(&claim.status.as_str()) {
        return Err(StoreError::conflict("status", "channel_change.claim_not_decided"));
    }
    let current = Destination {
        channel: claim.channel,
        bank_name: claim.bank_name.clone(),
        account_no: claim.account_no.clone(),
        post_address: claim.post_address.clone(),
    };
    // A proposal equal to the current destination is recorded like any other (answering
    // differently would let someone who sees only the masked number confirm a guess of it); the
    // reviewer sees both destinations.
    let id: crate::repo::IdRow = diesel::sql_query(
        "INSERT INTO channel_change (tenant_id, claim_id, channel, bank_name, account_no, post_address,
                                     old_channel, old_bank_name, old_account_no, old_post_address, reason, proposed_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
    )
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<BigInt, _>(claim_id)
    .bind::<Text, _>(&to.channel)
    .bind::<Nullable<Text>, _>(to.bank_name.as_deref())
    .bind::<Nullable<Text>, _>(to.account_no.as_deref())
    .bind::<Nullable<Text>, _>(to.post_address.as_deref())
    .bind::<Text, _>(&current.channel)
    .bind::<Nullable<Text>, _>(current.bank_name.as_deref())
    .bind::<Nullable<Text>, _>(current.account_no.as_deref())
    .bind::<Nullable<Text>, _>(current.post_address.as_deref())
    .bind::<Text, _>(reason)
    .bind::<BigInt, _>(user)
    .get_result(tx.conn())
    .map_err(|e| {
        if is_unique_violation(&e, "channel_change_open") {
            StoreError::conflict("claim", "channel_change.open")
        } else {
            e.into()
        }
    })?;
    tx.audit(
        "benefit.channel_propose",
        "channel_change",
        &id.id.to_string(),
        Some(serde_json::json!({"claim_id": claim_id, "destination": current})),
        Some(serde_json::json!({"claim_id": claim_id, "destination": to})),
        Some(reason),
    )?;
    get(tx, id.id)
}

/// Approves (and applies) or rejects a proposed change. The decider must not be the proposer
/// (checked here for a clear message, by the table, and again by `channel_change_apply`).
pub fn decide(tx: &mut TenantTx<'_>, id: i64, approve: bool, note: Option<&str>) -> StoreResult<ChannelChange> {
    let before = get(tx, id)?;
    let user = super::decisions::decide(tx, super::decisions::Proposal::ChannelChange, id, approve, note)?;
    if approve {
        diesel::sql_query("SELECT channel_change_apply($1)").bind::<BigInt, _>(id).execute(tx.conn())?;
    }
    let after = get(tx, id)?;
    let destination = |c: &ChannelChange, old: bool| {
        if old {
            serde_json::json!({"channel": c.old_channel, "bank_name": c.old_bank_name, "account_no": c.old_account_no, "post_address": c.old_post_address})
        } else {
            serde_json::json!({"channel": c.channel, "bank_name": c.bank_name, "account_no": c.account_no, "post_address": c.post_address})
        }
    };
    tx.audit(
        if approve { "benefit.channel_approve" } else { "benefit.channel_reject" },
        "channel_change",
        &id.to_string(),
        Some(serde_json::json!({"status": before.status, "claim_id": before.claim_id, "proposed_by": before.proposed_by,
                                "destination": destination(&before, true)})),
        Some(serde_json::json!({"status": after.status, "claim_id": after.claim_id, "decided_by": user,
                                "destination": destination(&after, false)})),
        note,
    )?;
    if approve {
        tx.audit(
            "benefit.channel",
            "benefit_claim",
            &after.claim_id.to_string(),
            Some(destination(&after, true)),
            Some(destination(&after, false)),
            Some(&after.reason),
        )?;
    }
    Ok(after)
}
