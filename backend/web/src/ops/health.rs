//! `/healthz` (the process answers), `/readyz` (PostgreSQL reachable; Redis reported), `/metrics`.

use actix_web::{get, web, HttpResponse};

use crate::state::AppState;

#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(Health { status: "ok" })
}

#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let db = state.db.clone();
    let pg = web::block(move || db.ping()).await.map(|r| r.is_ok()).unwrap_or(false);
    let redis = state.redis.ping().await;
    let body = Readiness {
        status: if pg { "ready" } else { "not_ready" },
        postgres: if pg { "up" } else { "down" },
        redis: if redis { "up" } else { "down (fallbacks active)" },
    };
    if pg {
        HttpResponse::Ok().json(body)
    } else {
        HttpResponse::ServiceUnavailable().json(body)
    }
}

/// Prometheus text. With `JINBAO_METRICS_TOKEN` set, only a request bearing it (compared in
/// constant time); without, only a loopback client. Everyone else gets 404.
#[get("/metrics")]
pub async fn metrics(state: web::Data<AppState>, req: actix_web::HttpRequest) -> HttpResponse {
    let allowed = match &state.settings.metrics_token {
        Some(want) => {
            let got =
                req.headers().get("authorization").and_then(|v| v.to_str().ok()).and_then(|h| h.strip_prefix("Bearer ")).unwrap_or("");
            crate::auth::csrf::matches(want, got)
        }
        // The client, not the peer: behind a local proxy the peer is always loopback.
        None => crate::auth::client::client_ip(&req).parse::<std::net::IpAddr>().is_ok_and(|a| a.is_loopback()),
    };
    if !allowed {
        return HttpResponse::NotFound().finish();
    }
    let analytics = state.analytics.clone();
    let replica = actix_web::web::block(move || analytics.replica_check()).await.ok().flatten();
    state.metrics.replica(replica);
    let text = state.metrics.render(state.db.pool_state(), state.db.max_size());
    HttpResponse::Ok().content_type("text/plain; version=0.0.4").body(text)
}

/// The process answers.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Health {
    /// Always `ok`.
    #[schemars(extend("enum" = ["ok"]))]
    pub status: &'static str,
}

/// Whether the process can serve: PostgreSQL reachable (Redis down only degrades).
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Readiness {
    /// `ready` or `not_ready`.
    #[schemars(extend("enum" = ["ready", "not_ready"]))]
    pub status: &'static str,
    /// `up` or `down`.
    #[schemars(extend("enum" = ["up", "down"]))]
    pub postgres: &'static str,
    /// `up` or `down (fallbacks active)`.
    #[schemars(extend("enum" = ["up", "down (fallbacks active)"]))]
    pub redis: &'static str,
}
