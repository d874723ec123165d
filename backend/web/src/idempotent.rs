//! Writes that can be retried (enrolment, stop, collections), at the edge: the `Idempotency-Key`
//! header and the replayed answer; the rule itself is `jinbao_app::enrolment::once`. Shared by
//! the JSON API and the pages.

use actix_web::{HttpRequest, HttpResponse};
use jinbao_app::enrolment;
use serde_json::Value;

use crate::auth::Principal;
use crate::error::ApiError;

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
    who.db(move |tx| enrolment::once(tx, scope, key.as_deref(), &hash, work)).await
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
