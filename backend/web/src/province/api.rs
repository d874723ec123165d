//! `GET /api/v1/province/dashboard` (province supervisors): aggregates only.

use actix_web::{web, HttpResponse};
use jinbao_store::repo::{global, stats};

use super::model::{self, Dashboard};
use crate::auth::{Permission, Principal};
use crate::error::ApiError;
use crate::state::AppState;

const CACHE_SECONDS: u64 = 10;

/// The dashboard, from the Redis cache when fresh, else from the aggregates (and cached).
pub async fn load(state: &AppState, show_small: bool) -> Result<Dashboard, ApiError> {
    let key = format!("cache:province:dashboard:{show_small}");
    if let Ok(Some(text)) = state.redis.get_text(&key).await {
        if let Ok(d) = serde_json::from_str::<Dashboard>(&text) {
            return Ok(d);
        }
    }
    let (db, analytics) = (state.db.clone(), state.analytics.clone());
    let (tenants, figures) = crate::blocking::run(move || Ok((global::tenants(&db)?, stats::province(&analytics)?))).await?;
    let d = model::dashboard(&tenants, &figures, show_small);
    if let Ok(text) = serde_json::to_string(&d) {
        let _ = state.redis.set_ex_text(&key, &text, CACHE_SECONDS).await;
    }
    Ok(d)
}

pub async fn dashboard(state: web::Data<AppState>, who: Principal) -> Result<HttpResponse, ApiError> {
    who.require(Permission::StatsProvince)?;
    let d = load(&state, who.can(Permission::TenantAdmin)).await?;
    Ok(HttpResponse::Ok().insert_header(("Cache-Control", "no-store")).json(d))
}
