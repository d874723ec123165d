//! The second person's decision on a proposal (maker-checker): benefit claims, changes of payment
//! channel, revisions of running benefits, medical settlements. One rule for all: only a `proposed` row can be decided
//! (409 otherwise), never by the user who proposed it (checked here for a clear message, and by
//! each table's CHECK), and the decision records who, when and the note.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, SmallInt, Text};

use crate::error::{StoreError, StoreResult};
use crate::kinds::Decision;
use crate::tenant_tx::TenantTx;

/// The tables whose rows are proposals decided by a second person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Proposal {
    Claim,
    ChannelChange,
    Revision,
    MedicalSettlement,
}

impl Proposal {
    fn table(self) -> &'static str {
        match self {
            Proposal::Claim => "benefit_claim",
            Proposal::ChannelChange => "channel_change",
            Proposal::Revision => "claim_revision",
            Proposal::MedicalSettlement => "medical_settlement",
        }
    }

    fn already_decided(self) -> &'static str {
        match self {
            Proposal::Claim => "benefit.already_decided",
            Proposal::ChannelChange => "channel_change.already_decided",
            Proposal::Revision => "revision.already_decided",
            Proposal::MedicalSettlement => "medical.already_decided",
        }
    }
}

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = Text)]
    status: Decision,
    #[diesel(sql_type = BigInt)]
    proposed_by: i64,
}

/// Locks the proposal, checks it may be decided by the acting user, and records the decision.
/// Returns the deciding user's id. 404 when the row is not the tenant's.
pub fn decide(tx: &mut TenantTx<'_>, what: Proposal, id: i64, approve: bool, note: Option<&str>) -> StoreResult<i64> {
    let user = tx.actor().user_id().ok_or_else(|| StoreError::invalid("user", "benefit.user_required"))?;
    let table = what.table();
    let row: Row = diesel::sql_query(format!("SELECT status, proposed_by FROM {table} WHERE tenant_id = $1 AND id = $2 FOR UPDATE"))
        .bind::<SmallInt, _>(tx.tenant().0)
        .bind::<BigInt, _>(id)
        .get_result(tx.conn())
        .optional()?
        .ok_or(StoreError::NotFound)?;
    if row.status != Decision::Proposed {
        return Err(StoreError::conflict("status", what.already_decided()));
    }
    if row.proposed_by == user {
        return Err(StoreError::invalid("decided_by", "benefit.same_person"));
    }
    diesel::sql_query(format!(
        "UPDATE {table} SET status = $3, decided_by = $4, decided_at = now(), decision_note = $5
         WHERE tenant_id = $1 AND id = $2 AND status = 'proposed'"
    ))
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<BigInt, _>(id)
    .bind::<Text, _>(if approve { "approved" } else { "rejected" })
    .bind::<BigInt, _>(user)
    .bind::<Nullable<Text>, _>(note)
    .execute(tx.conn())?;
    Ok(user)
}
