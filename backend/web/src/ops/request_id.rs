//! Request id, access log line and metrics for every request.
//!
//! The log line carries method, route pattern (never the query string, never a body), status,
//! latency and tenant; identity numbers never reach URLs, so they never reach logs.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage};

use crate::auth::principal::LogTenant;
use crate::state::AppState;

#[derive(Debug, Clone)]
pub struct RequestId(pub String);

pub const HEADER: &str = "x-request-id";

fn sane(v: &str) -> bool {
    !v.is_empty() && v.len() <= 64 && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

pub async fn middleware(req: ServiceRequest, next: Next<impl MessageBody>) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let id = req
        .headers()
        .get(HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|v| sane(v))
        .map_or_else(|| uuid::Uuid::new_v4().simple().to_string(), str::to_string);
    req.extensions_mut().insert(RequestId(id.clone()));
    let method = req.method().to_string();
    let span = tracing::info_span!("request", request_id = %id, method = %method);
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let _enter = span.enter();
    drop(_enter);
    let mut res = {
        use tracing::Instrument;
        next.call(req).instrument(span.clone()).await?
    };
    let route = res.request().match_pattern().unwrap_or_else(|| "unmatched".into());
    let status = res.status().as_u16();
    let elapsed = started.elapsed();
    let tenant = res.request().extensions().get::<LogTenant>().map(|t| t.0.clone()).unwrap_or_default();
    if let Some(state) = state {
        state.metrics.observe(&method, &route, status, elapsed.as_secs_f64(), &tenant);
    }
    span.in_scope(|| {
        tracing::info!(route = %route, status, latency_ms = elapsed.as_millis() as u64, tenant = %tenant, "http");
    });
    if let Ok(v) = HeaderValue::from_str(&id) {
        res.headers_mut().insert(HeaderName::from_static(HEADER), v);
    }
    Ok(res)
}
