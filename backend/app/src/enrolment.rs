//! Enrolment's answer and the retry rule shared by every write that can be sent twice
//! (enrolment, stop, collections): an idempotency key claimed in the same transaction as the
//! work, the first answer replayed for the same key and body.

use jinbao_store::repo::enrolments::EnrolOutcome;
use jinbao_store::repo::idempotency;
use jinbao_store::{StoreError, TenantTx};
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

/// The response of an enrolment, as stored for replays.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct EnrolmentOutcome {
    /// The person (new or existing).
    pub person_id: i64,
    pub employer_id: i64,
    /// The first month insured.
    pub start_period: jinbao_domain::Period,
    /// One enrolment per insurance enrolled.
    pub enrolments: Vec<jinbao_store::repo::enrolments::Enrolment>,
    /// The city rule set that priced the enrolment.
    pub rule_id: i64,
    /// The base is provisional until the first annual declaration.
    pub provisional: bool,
    /// The contribution base in yuan (`"5000.00"`).
    pub base: String,
    pub amounts: Amounts,
}

/// A month's contributions at a base: one line per insurance and party, with totals.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct Amounts {
    /// The base after the city's floor and ceiling, in yuan.
    pub base: String,
    /// The base in fen.
    pub base_fen: i64,
    /// By type (pension, medical, unemployment, work injury, maternity), employer before employee. Employer-only types
    /// have no employee line; maternity has no line where it is merged into medical.
    pub lines: Vec<AmountLine>,
    /// In yuan.
    pub employer_total: String,
    /// In yuan.
    pub employee_total: String,
    /// In yuan.
    pub total: String,
}

/// One insurance and party: the rate and the amount.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct AmountLine {
    pub insurance_type: jinbao_domain::InsuranceType,
    pub party: jinbao_domain::insurance::Party,
    /// The rate as a percentage (`"16%"`).
    pub rate: String,
    /// The rate in basis points (1600 = 16 %).
    pub rate_bp: i32,
    /// In yuan.
    pub amount: String,
    /// The same in fen.
    pub amount_fen: i64,
}

pub fn outcome(o: &EnrolOutcome) -> EnrolmentOutcome {
    EnrolmentOutcome {
        person_id: o.person_id,
        employer_id: o.employer_id,
        start_period: o.start_period,
        enrolments: o.enrolments.clone(),
        rule_id: o.rule_id,
        provisional: o.provisional,
        base: o.amounts.base.to_string(),
        amounts: amounts(&o.amounts),
    }
}

/// The response of an enrolment as the JSON stored for replays.
pub fn outcome_json(o: &EnrolOutcome) -> Value {
    serde_json::to_value(outcome(o)).unwrap_or_default()
}

pub fn amounts(a: &jinbao_domain::Assessment) -> Amounts {
    Amounts {
        base: a.base.to_string(),
        base_fen: a.base.0,
        lines: a
            .lines
            .iter()
            .map(|l| AmountLine {
                insurance_type: l.insurance_type,
                party: l.party,
                rate: l.rate.to_string(),
                rate_bp: l.rate.0,
                amount: l.amount.to_string(),
                amount_fen: l.amount.0,
            })
            .collect(),
        employer_total: a.employer_total.to_string(),
        employee_total: a.employee_total.to_string(),
        total: a.total.to_string(),
    }
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
