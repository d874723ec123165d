//! Transfers of pension insurance between cities (docs/rules.md §9), each city on its own side. B (the
//! receiving city) opens a transfer-in by sending the contact letter (联系函), answered alike
//! whatever A holds; A (the sending city) accepts the letter (matching its own person) or refuses
//! it with a reason; once accepted A produces the transfer information,
//! which another person at A approves; A records the funds as sent; B records them as received,
//! checks information and funds match, and completes: the months are written into B's record
//! and A's enrolment ends as transferred. The steps that reach the other city's side run through
//! the `transfer_*` database functions (migrations 000014 and 000020), never by switching tenants;
//! the state, the information and the funds sent are written only by those functions.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Jsonb, Nullable, SmallInt, Text, Uuid as SqlUuid};
use serde::Serialize;
use uuid::Uuid;

use crate::analytics::AnalyticsConn;
use crate::error::{StoreError, StoreResult};
use crate::kinds::{TransferSide, TransferState};
use crate::tenant_tx::TenantTx;

/// Working days after which a waiting step is overdue.
pub const OVERDUE_WORKING_DAYS: i32 = 15;

/// A transfer as the calling city sees it: **its own side** (`in` at the receiving city B, `out` at the sending city
/// A), joined to the other side by `uid`. The person fields are the city's own registration (identity number in full).
/// B's side carries the information and the funds sent once A has handed them over; A's user ids and B's receipt are
/// never copied across. At the sending city a letter not yet accepted has no `person_id`; its `id_number` and
/// `person_name` are those the letter gives.
#[derive(Debug, Clone, Serialize, QueryableByName, schemars::JsonSchema)]
pub struct Transfer {
    /// This side's row id (differs between the two cities).
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = SqlUuid)]
    pub uid: Uuid,
    /// `in` 转入 (this city receives), `out` 转出 (this city sends).
    #[diesel(sql_type = Text)]
    pub side: crate::kinds::TransferSide,
    /// The other city's tenant id.
    #[diesel(sql_type = SmallInt)]
    pub other_tenant_id: i16,
    /// This city's own person; none at the sending city until it has accepted the letter.
    #[diesel(sql_type = Nullable<BigInt>)]
    pub person_id: Option<i64>,
    /// This city's registration, in full.
    #[diesel(sql_type = Text)]
    pub id_number: String,
    #[diesel(sql_type = Text)]
    pub person_name: String,
    /// `letter` (sent, not yet answered by the sending city), `requested`, `completed`, `refused`.
    #[diesel(sql_type = Text)]
    pub state: crate::kinds::TransferState,
    /// Why it was refused: `not_insured_here`, `pension_paid`, `transfer_open`, `other` (the
    /// sending city's answer to the letter) or `withdrawn`; `refused_reason` is the note.
    #[diesel(sql_type = Nullable<Text>)]
    #[schemars(extend("enum" = ["not_insured_here", "pension_paid", "transfer_open", "other", "withdrawn", null]))]
    pub refused_code: Option<String>,
    /// The note given with the refusal or the withdrawal.
    #[diesel(sql_type = Nullable<Text>)]
    pub refused_reason: Option<String>,
    /// When the sending city answered the letter.
    #[diesel(sql_type = Nullable<diesel::sql_types::Timestamptz>)]
    pub answered_at: Option<DateTime<Utc>>,
    /// At A once produced; at B once approved and handed over.
    #[diesel(sql_type = Nullable<Jsonb>)]
    pub info: Option<serde_json::Value>,
    /// The information's total.
    #[diesel(sql_type = Nullable<BigInt>)]
    pub info_total_fen: Option<i64>,
    /// A only: the user who produced the information.
    #[diesel(sql_type = Nullable<BigInt>)]
    pub info_proposed_by: Option<i64>,
    /// A only.
    #[diesel(sql_type = Nullable<diesel::sql_types::Timestamptz>)]
    pub info_proposed_at: Option<DateTime<Utc>>,
    /// A only: the user who approved it (never the producer).
    #[diesel(sql_type = Nullable<BigInt>)]
    pub info_approved_by: Option<i64>,
    /// A only.
    #[diesel(sql_type = Nullable<diesel::sql_types::Timestamptz>)]
    pub info_approved_at: Option<DateTime<Utc>>,
    /// B only: when the approved information arrived.
    #[diesel(sql_type = Nullable<diesel::sql_types::Timestamptz>)]
    pub info_received_at: Option<DateTime<Utc>>,
    /// The amount A recorded as sent (at B once notified).
    #[diesel(sql_type = Nullable<BigInt>)]
    pub funds_sent_fen: Option<i64>,
    /// When A recorded the funds as sent (at B once notified).
    #[diesel(sql_type = Nullable<diesel::sql_types::Timestamptz>)]
    pub funds_sent_at: Option<DateTime<Utc>>,
    /// B only: the amount recorded as received.
    #[diesel(sql_type = Nullable<BigInt>)]
    pub funds_received_fen: Option<i64>,
    /// B only.
    #[diesel(sql_type = Nullable<diesel::sql_types::Timestamptz>)]
    pub funds_received_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = diesel::sql_types::Timestamptz)]
    pub requested_at: DateTime<Utc>,
    /// When completed.
    #[diesel(sql_type = Nullable<diesel::sql_types::Timestamptz>)]
    pub completed_at: Option<DateTime<Utc>>,
    /// When the step this side waits for became due.
    #[diesel(sql_type = diesel::sql_types::Timestamptz)]
    pub due_since: DateTime<Utc>,
    /// Working days (Monday–Friday, public holidays not modelled) since `due_since`; 0 once closed.
    #[diesel(sql_type = diesel::sql_types::Integer)]
    pub working_days_waiting: i32,
    /// Open (a letter or in progress) and more than 15 working days since `due_since` (逾期).
    #[diesel(sql_type = Bool)]
    pub overdue: bool,
    /// The step now waiting, and on which side: e.g. `letter` (A answers the letter), `info` (A
    /// produces and approves the information), `funds_sent`, `funds_received`, `complete`, or `done`.
    #[diesel(sql_type = Text)]
    #[schemars(extend("enum" = ["letter", "info", "funds_sent", "funds_received", "complete", "other_city", "done"]))]
    pub waiting_for: String,
}

const SELECT: &str = "SELECT id, uid, side, other_tenant_id, person_id, id_number, person_name, state, refused_code, refused_reason,
        answered_at, info, info_total_fen,
        info_proposed_by, info_proposed_at, info_approved_by, info_approved_at, info_received_at, funds_sent_fen, funds_sent_at,
        funds_received_fen, funds_received_at, requested_at, completed_at, due_since,
        CASE WHEN state IN ('letter', 'requested') THEN working_days_between(due_since::date, current_date) ELSE 0 END AS working_days_waiting,
        state IN ('letter', 'requested') AND working_days_between(due_since::date, current_date) > 15 AS overdue,
        CASE WHEN state NOT IN ('letter', 'requested') THEN 'done'
             WHEN state = 'letter' AND side = 'out' THEN 'letter'
             WHEN state = 'letter' THEN 'other_city'
             WHEN side = 'out' AND info_approved_at IS NULL THEN 'info'
             WHEN side = 'out' AND funds_sent_at IS NULL THEN 'funds_sent'
             WHEN side = 'out' THEN 'other_city'
             WHEN info_received_at IS NULL OR funds_sent_at IS NULL THEN 'other_city'
             WHEN funds_received_at IS NULL THEN 'funds_received'
             ELSE 'complete' END AS waiting_for
     FROM transfer";

/// Maps the transfer functions' refusals (raised with the code as message) to field errors.
fn refusal(e: diesel::result::Error) -> StoreError {
    if let diesel::result::Error::DatabaseError(_, info) = &e {
        for code in [
            "transfer.same_city",
            "transfer.unknown_city",
            "transfer.unknown_person",
            "transfer.not_insured_here",
            "transfer.wrong_side",
            "transfer.refuse_code",
            "transfer.not_ready",
            "transfer.no_tenant",
        ] {
            if info.message() == code {
                return StoreError::invalid("transfer", code);
            }
        }
        for code in [
            "transfer.already_open",
            "transfer.pension_paid",
            "transfer.closed",
            "transfer.funds_received",
            "transfer.answered",
            "transfer.letter_pending",
            "transfer.info_approved",
        ] {
            if info.message() == code {
                return StoreError::conflict("transfer", code);
            }
        }
    }
    e.into()
}

pub fn get(tx: &mut TenantTx<'_>, uid: Uuid) -> StoreResult<Transfer> {
    diesel::sql_query(format!("{SELECT} WHERE tenant_id = $1 AND uid = $2"))
        .bind::<SmallInt, _>(tx.tenant().0)
        .bind::<SqlUuid, _>(uid)
        .get_result(tx.conn())
        .optional()?
        .ok_or(StoreError::NotFound)
}

/// This city's transfers (both directions), open ones first, newest first.
pub fn list(tx: &mut TenantTx<'_>, side: Option<&str>, open_only: bool) -> StoreResult<Vec<Transfer>> {
    Ok(diesel::sql_query(format!(
        "{SELECT} WHERE tenant_id = $1 AND ($2::text IS NULL OR side = $2) AND (NOT $3 OR state IN ('letter', 'requested'))
         ORDER BY state IN ('letter', 'requested') DESC, requested_at DESC LIMIT 200"
    ))
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<Nullable<Text>, _>(side)
    .bind::<Bool, _>(open_only)
    .load(tx.conn())?)
}

/// B opens a transfer-in of its registered person from city `from_tenant`: the contact letter,
/// created alike whatever the sending city holds.
pub fn open(tx: &mut TenantTx<'_>, from_tenant: i16, person_id: i64) -> StoreResult<Transfer> {
    #[derive(QueryableByName)]
    struct U {
        #[diesel(sql_type = SqlUuid)]
        uid: Uuid,
    }
    let u: U = diesel::sql_query("SELECT transfer_open($1, $2, $3) AS uid")
        .bind::<SmallInt, _>(from_tenant)
        .bind::<BigInt, _>(person_id)
        .bind::<Nullable<BigInt>, _>(tx.actor().user_id())
        .get_result(tx.conn())
        .map_err(refusal)?;
    get(tx, u.uid)
}

/// An attempt to open that was refused (its own transaction was rolled back): recorded in this
/// city's audit log with what was asked and why it was refused.
pub fn open_refused(tx: &mut TenantTx<'_>, from_city: Option<&str>, person_id: Option<i64>, code: &str) -> StoreResult<()> {
    tx.audit(
        "transfer.open_refused",
        "transfer",
        "",
        None,
        Some(serde_json::json!({"from_city": from_city, "person_id": person_id, "code": code})),
        None,
    )
}

/// The sending city accepts a letter: its own person with the identity number is matched and
/// both sides are open (`requested`). The function audits it in both cities.
pub fn accept(tx: &mut TenantTx<'_>, uid: Uuid) -> StoreResult<Transfer> {
    let me = user(tx)?;
    get(tx, uid)?;
    diesel::sql_query("SELECT transfer_accept($1, $2)")
        .bind::<SqlUuid, _>(uid)
        .bind::<BigInt, _>(me)
        .execute(tx.conn())
        .map_err(refusal)?;
    get(tx, uid)
}

/// The sending city refuses a letter with a reason code and a note: both sides close as refused
/// (audited in both cities by the function).
pub fn refuse(tx: &mut TenantTx<'_>, uid: Uuid, code: &str, note: Option<&str>) -> StoreResult<Transfer> {
    let me = user(tx)?;
    get(tx, uid)?;
    diesel::sql_query("SELECT transfer_refuse($1, $2, $3, $4)")
        .bind::<SqlUuid, _>(uid)
        .bind::<BigInt, _>(me)
        .bind::<Text, _>(code)
        .bind::<Nullable<Text>, _>(note)
        .execute(tx.conn())
        .map_err(refusal)?;
    get(tx, uid)
}

fn side(tx: &mut TenantTx<'_>, uid: Uuid, want: TransferSide) -> StoreResult<Transfer> {
    // Both sides locked in one order (see `transfer_lock`) before this city changes its own.
    diesel::sql_query("SELECT transfer_lock($1)").bind::<SqlUuid, _>(uid).execute(tx.conn())?;
    let t = get(tx, uid)?;
    if t.side != want {
        return Err(StoreError::invalid("transfer", "transfer.wrong_side"));
    }
    if t.state == TransferState::Letter {
        return Err(StoreError::conflict("transfer", "transfer.letter_pending"));
    }
    if t.state != TransferState::Requested {
        return Err(StoreError::conflict("transfer", "transfer.closed"));
    }
    Ok(t)
}

fn user(tx: &TenantTx<'_>) -> StoreResult<i64> {
    tx.actor().user_id().ok_or_else(|| StoreError::invalid("user", "benefit.user_required"))
}

/// A records the transfer information it produced (again, until it is approved).
pub fn propose_info(tx: &mut TenantTx<'_>, uid: Uuid, info: &serde_json::Value, total_fen: i64) -> StoreResult<Transfer> {
    let me = user(tx)?;
    let t = side(tx, uid, TransferSide::Out)?;
    if t.info_approved_at.is_some() {
        return Err(StoreError::conflict("transfer", "transfer.info_approved"));
    }
    diesel::sql_query("SELECT transfer_propose_info($1, $2, $3, $4)")
        .bind::<SqlUuid, _>(uid)
        .bind::<BigInt, _>(me)
        .bind::<Jsonb, _>(info)
        .bind::<BigInt, _>(total_fen)
        .execute(tx.conn())
        .map_err(refusal)?;
    tx.audit("transfer.info_proposed", "transfer", &uid.to_string(), None, Some(serde_json::json!({"total_fen": total_fen})), None)?;
    get(tx, uid)
}

/// Another person at A approves the information, which is then handed to B.
pub fn approve_info(tx: &mut TenantTx<'_>, uid: Uuid) -> StoreResult<Transfer> {
    let me = user(tx)?;
    let t = side(tx, uid, TransferSide::Out)?;
    match (t.info_proposed_by, t.info_approved_at) {
        (None, _) => return Err(StoreError::invalid("transfer", "transfer.no_info")),
        (_, Some(_)) => return Err(StoreError::conflict("transfer", "transfer.info_approved")),
        (Some(p), _) if p == me => return Err(StoreError::invalid("decided_by", "benefit.same_person")),
        _ => {}
    }
    diesel::sql_query(
        "UPDATE transfer SET info_approved_by = $3, info_approved_at = now(), due_since = now() WHERE tenant_id = $1 AND uid = $2",
    )
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<SqlUuid, _>(uid)
    .bind::<BigInt, _>(me)
    .execute(tx.conn())?;
    diesel::sql_query("SELECT transfer_send_info($1, $2)")
        .bind::<SqlUuid, _>(uid)
        .bind::<BigInt, _>(me)
        .execute(tx.conn())
        .map_err(refusal)?;
    tx.audit("transfer.info_approved", "transfer", &uid.to_string(), None, Some(serde_json::json!({"total_fen": t.info_total_fen})), None)?;
    get(tx, uid)
}

/// A records the funds as sent; B is told. Recorded again it corrects the amount (audited with
/// both), until B completes.
pub fn funds_sent(tx: &mut TenantTx<'_>, uid: Uuid, amount_fen: i64) -> StoreResult<Transfer> {
    let me = user(tx)?;
    let t = side(tx, uid, TransferSide::Out)?;
    diesel::sql_query("SELECT transfer_funds_sent($1, $2, $3)")
        .bind::<SqlUuid, _>(uid)
        .bind::<BigInt, _>(me)
        .bind::<BigInt, _>(amount_fen)
        .execute(tx.conn())
        .map_err(refusal)?;
    tx.audit(
        "transfer.funds_sent",
        "transfer",
        &uid.to_string(),
        t.funds_sent_fen.map(|f| serde_json::json!({"funds_fen": f})),
        Some(serde_json::json!({"funds_fen": amount_fen})),
        None,
    )?;
    get(tx, uid)
}

/// B records the funds as received (once the sending city has sent them); recorded again it
/// corrects the amount (audited with both).
pub fn funds_received(tx: &mut TenantTx<'_>, uid: Uuid, amount_fen: i64) -> StoreResult<Transfer> {
    let me = user(tx)?;
    let t = side(tx, uid, TransferSide::In)?;
    if t.funds_sent_at.is_none() {
        return Err(StoreError::conflict("transfer", "transfer.funds_not_sent"));
    }
    diesel::sql_query(
        "UPDATE transfer SET funds_received_fen = $3, funds_received_by = $4, funds_received_at = now(), due_since = now()
         WHERE tenant_id = $1 AND uid = $2",
    )
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<SqlUuid, _>(uid)
    .bind::<BigInt, _>(amount_fen)
    .bind::<BigInt, _>(me)
    .execute(tx.conn())?;
    tx.audit(
        "transfer.funds_received",
        "transfer",
        &uid.to_string(),
        t.funds_received_fen.map(|f| serde_json::json!({"funds_fen": f})),
        Some(serde_json::json!({"funds_fen": amount_fen})),
        None,
    )?;
    get(tx, uid)
}

/// B checks information and funds match (received = information's total = sent), writes the
/// months into the person's record; both sides close and A's pension enrolment ends as
/// transferred.
pub fn complete(tx: &mut TenantTx<'_>, uid: Uuid) -> StoreResult<Transfer> {
    let me = user(tx)?;
    let t = side(tx, uid, TransferSide::In)?;
    let (Some(info), Some(total)) = (&t.info, t.info_total_fen) else { return Err(StoreError::conflict("transfer", "transfer.no_info")) };
    match t.funds_received_fen {
        None => return Err(StoreError::conflict("transfer", "transfer.funds_not_received")),
        Some(f) if f != total => return Err(StoreError::conflict("transfer", "transfer.mismatch")),
        Some(f) if t.funds_sent_fen != Some(f) => return Err(StoreError::conflict("transfer", "transfer.sent_mismatch")),
        _ => {}
    }
    let person = t.person_id.ok_or_else(|| StoreError::invalid("transfer", "transfer.not_ready"))?;
    diesel::sql_query(
        "INSERT INTO transferred_period (tenant_id, transfer_id, person_id, period, base_fen, employee_fen, from_tenant_id)
         SELECT $1, $2, $3, (p->>'period')::date, (p->>'base_fen')::bigint, (p->>'employee_fen')::bigint, $4
         FROM jsonb_array_elements($5::jsonb -> 'periods') p",
    )
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<BigInt, _>(t.id)
    .bind::<BigInt, _>(person)
    .bind::<SmallInt, _>(t.other_tenant_id)
    .bind::<Jsonb, _>(info)
    .execute(tx.conn())?;
    // Both sides close in the function, after it has checked both (A's funds recorded as sent).
    diesel::sql_query("SELECT transfer_finish($1, $2)")
        .bind::<SqlUuid, _>(uid)
        .bind::<BigInt, _>(me)
        .execute(tx.conn())
        .map_err(refusal)?;
    super::events::record(
        tx,
        person,
        chrono::Utc::now().date_naive(),
        "transfer_in",
        serde_json::json!({"uid": uid, "from_tenant": t.other_tenant_id, "months": info["months"], "total_fen": total}),
    )?;
    tx.audit("transfer.completed", "transfer", &uid.to_string(), None, Some(serde_json::json!({"total_fen": total})), None)?;
    get(tx, uid)
}

/// Either city withdraws an open transfer with a reason (not once B has the funds): both sides
/// close as refused.
pub fn cancel(tx: &mut TenantTx<'_>, uid: Uuid, reason: &str) -> StoreResult<Transfer> {
    let me = user(tx)?;
    diesel::sql_query("SELECT transfer_lock($1)").bind::<SqlUuid, _>(uid).execute(tx.conn())?;
    diesel::sql_query("SELECT transfer_cancel($1, $2, $3)")
        .bind::<SqlUuid, _>(uid)
        .bind::<BigInt, _>(me)
        .bind::<Text, _>(reason)
        .execute(tx.conn())
        .map_err(refusal)?;
    get(tx, uid)
}

/// Per city: open transfers in and out and steps overdue (through the analytics role).
#[derive(Debug, Clone, Serialize, QueryableByName, schemars::JsonSchema)]
pub struct Overview {
    #[diesel(sql_type = SmallInt)]
    pub tenant_id: i16,
    #[diesel(sql_type = BigInt)]
    pub open_in: i64,
    #[diesel(sql_type = BigInt)]
    pub open_out: i64,
    #[diesel(sql_type = BigInt)]
    pub overdue: i64,
}

pub fn overview(c: &mut AnalyticsConn<'_>) -> StoreResult<Vec<Overview>> {
    Ok(diesel::sql_query("SELECT * FROM transfer_overview()").load(c.conn())?)
}
