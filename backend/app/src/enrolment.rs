//! Enrolment's answer and the retry rule shared by every write that can be sent twice
//! (enrolment, stop, collections): an idempotency key claimed in the same transaction as the
//! work, the first answer replayed for the same key and body.

use jinbao_store::repo::enrolments::EnrolOutcome;
use jinbao_store::repo::idempotency;
use jinbao_store::{StoreError, TenantTx};
use serde::Serialize;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

/// The response of an enrolment, as stored for replays.
pub fn outcome_json(o: &EnrolOutcome) -> Value {
    json!({
        "person_id": o.person_id,
        "employer_id": o.employer_id,
        "start_period": o.start_period,
        "enrolments": o.enrolments,
        "rule_id": o.rule_id,
        "provisional": o.provisional,
        "base": o.amounts.base.to_string(),
        "amounts": amounts_json(&o.amounts),
    })
}

pub fn amounts_json(a: &jinbao_domain::Assessment) -> Value {
    json!({
        "base": a.base.to_string(),
        "base_fen": a.base.0,
        "lines": a.lines.iter().map(|l| json!({
            "insurance_type": l.insurance_type, "party": l.party, "rate": l.rate.to_string(), "rate_bp": l.rate.0,
            "amount": l.amount.to_string(), "amount_fen": l.amount.0})).collect::<Vec<_>>(),
        "employer_total": a.employer_total.to_string(),
        "employee_total": a.employee_total.to_string(),
        "total": a.total.to_string(),
    })
}

/// The fingerprint of a request body: the same key with another body is refused.
pub fn request_hash<T: Serialize>(body: &T) -> String {
    hex::encode(Sha256::digest(serde_json::to_vec(body).unwrap_or_default()))
}

/// Runs `work` once per key inside the caller's transaction: the first answer for the same key
/// and body comes back with `replayed = true`; without a key the work simply runs.
pub fn once<F>(tx: &mut TenantTx<'_>, scope: &str, key: Option<&str>, hash: &str, work: F) -> Result<(u16, Value, bool), StoreError>
where
    F: FnOnce(&mut TenantTx<'_>) -> Result<(u16, Value), StoreError>,
{
    if let Some(k) = key {
        if let idempotency::Claim::Replay { status, body } = idempotency::claim(tx, scope, k, hash)? {
            return Ok((status, body, true));
        }
    }
    let (status, body) = work(tx)?;
    if let Some(k) = key {
        idempotency::complete(tx, scope, k, status, &body)?;
    }
    Ok((status, body, false))
}
