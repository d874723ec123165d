//! `/healthz` (the process answers), `/readyz` (PostgreSQL reachable; Redis reported), `/metrics`.

use actix_web::{get, web, HttpResponse};
use serde_json::json;

use crate::state::AppState;

#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(json!({"status": "ok"}))
}

#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let db = state.db.clone();
    let pg = web::block(move || db.ping()).await.map(|r| r.is_ok()).unwrap_or(false);
    let redis = state.redis.ping().await;
    let body = json!({
        "status": if pg { "ready" } else { "not_ready" },
        "postgres": if pg { "up" } else { "down" },
        "redis": if redis { "up" } else { "down (fallbacks active)" },
    });
    if pg {
        HttpResponse::Ok().json(body)
    } else {
        HttpResponse::ServiceUnavailable().json(body)
    }
}

#[get("/metrics")]
pub async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    let text = state.metrics.render(state.db.pool_state(), state.db.max_size());
    HttpResponse::Ok().content_type("text/plain; version=0.0.4").body(text)
}
