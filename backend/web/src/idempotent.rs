//! Writes that can be retried (enrolment, stop, collections): an `Idempotency-Key` claimed in the
//! same transaction as the work, the first answer replayed for the same key and body; and the
//! enrolment's answer as stored for replays. Shared by the JSON API and the pages.

use actix_web::{HttpRequest, HttpResponse};
use jinbao_store::repo::enrolments::EnrolOutcome;
use jinbao_store::repo::idempotency;
use serde::Serialize;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::auth::Principal;
use crate::error::ApiError;

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

/// `Idempotency-Key` header, if any: 8–100 visible ASCII characters.
pub fn idempotency_key(req: &HttpRequest) -> Result<Option<String>, ApiError> {
    let Some(v) = req.headers().get("idempotency-key") else {
        return Ok(None);
    };
    let s = v.to_str().unwrap_or("").trim().to_string();
    if (8..=100).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_graphic()) {
        Ok(Some(s))
    } else {
        Err(ApiError::field("idempotency_key", "idempotency.format"))
    }
}

pub fn request_hash<T: Serialize>(body: &T) -> String {
    hex::encode(Sha256::digest(serde_json::to_vec(body).unwrap_or_default()))
}

/// Runs `work` under an idempotency key (when given): the first response for the same key and
/// body is replayed (`replayed = true`), the same key with another body is a 422.
pub async fn run_idempotent<F>(
    who: &Principal,
    scope: &'static str,
    key: Option<String>,
    hash: String,
    work: F,
) -> Result<(u16, Value, bool), ApiError>
where
    F: FnOnce(&mut jinbao_store::TenantTx<'_>) -> Result<(u16, Value), jinbao_store::StoreError> + Send + 'static,
{
    who.db(move |tx| {
        if let Some(k) = &key {
            if let idempotency::Claim::Replay { status, body } = idempotency::claim(tx, scope, k, &hash)? {
                return Ok((status, body, true));
            }
        }
        let (status, body) = work(tx)?;
        if let Some(k) = &key {
            idempotency::complete(tx, scope, k, status, &body)?;
        }
        Ok((status, body, false))
    })
    .await
}

/// [`run_idempotent`] answered as JSON, with `Idempotent-Replayed: true` on replays.
pub async fn idempotent<F>(
    who: &Principal,
    scope: &'static str,
    key: Option<String>,
    hash: String,
    work: F,
) -> Result<HttpResponse, ApiError>
where
    F: FnOnce(&mut jinbao_store::TenantTx<'_>) -> Result<(u16, Value), jinbao_store::StoreError> + Send + 'static,
{
    let (status, body, replayed) = run_idempotent(who, scope, key, hash, work).await?;
    let mut b = HttpResponse::build(actix_web::http::StatusCode::from_u16(status).unwrap_or(actix_web::http::StatusCode::OK));
    if replayed {
        b.insert_header(("Idempotent-Replayed", "true"));
    }
    Ok(b.json(body))
}
