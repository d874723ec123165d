//! `GET /api/v1/province/dashboard` (province supervisors): aggregates only.

use actix_web::{web, HttpResponse};
use jinbao_store::repo::{global, stats};

use super::model::{self, Dashboard};
use crate::auth::{Permission, Principal};
use crate::error::ApiError;
use crate::state::AppState;

const CACHE_SECONDS: u64 = 10;

/// The dashboard, from the Redis cache when fresh, else from the aggregates (and cached).
pub async fn load(state: &AppState, who: &Principal, show_small: bool) -> Result<Dashboard, ApiError> {
    // The session is checked before anything, the cache included.
    let door = who.province().await?;
    let key = format!("cache:province:dashboard:{show_small}");
    if let Ok(Some(text)) = state.redis.get_text(&key).await {
        if let Ok(d) = serde_json::from_str::<Dashboard>(&text) {
            return Ok(d);
        }
    }
    let db = state.db.clone();
    let (tenants, figures) = crate::blocking::run(move || Ok((global::tenants(&db)?, door.read(stats::province)?))).await?;
    let d = model::dashboard(&tenants, &figures, show_small);
    if let Ok(text) = serde_json::to_string(&d) {
        let _ = state.redis.set_ex_text(&key, &text, CACHE_SECONDS).await;
    }
    Ok(d)
}

pub async fn dashboard(state: web::Data<AppState>, who: Principal) -> Result<HttpResponse, ApiError> {
    who.require(Permission::StatsProvince)?;
    let d = load(&state, &who, who.can(Permission::TenantAdmin)).await?;
    Ok(HttpResponse::Ok().insert_header(("Cache-Control", "no-store")).json(d))
}

/// Province: how many persons each pair of cities shares (counts only).
pub async fn duplicates(state: web::Data<AppState>, who: Principal) -> Result<HttpResponse, ApiError> {
    who.require(Permission::StatsProvince)?;
    let (db, door) = (state.db.clone(), who.province().await?);
    let (tenants, pairs) =
        crate::blocking::run(move || Ok((global::tenants(&db)?, door.read(jinbao_store::repo::duplicates::pairs)?))).await?;
    let code = |id: i16| tenants.iter().find(|t| t.id == id).map_or_else(String::new, |t| t.code.clone());
    let items: Vec<_> = pairs.iter().map(|(a, b, n)| serde_json::json!({"tenant": code(*a), "other": code(*b), "persons": n})).collect();
    Ok(HttpResponse::Ok().insert_header(("Cache-Control", "no-store")).json(serde_json::json!({"items": items})))
}

/// A city: its own persons insured for pension in other cities too, and where.
pub async fn city_duplicates(state: web::Data<AppState>, who: Principal) -> Result<HttpResponse, ApiError> {
    who.require(Permission::PersonRead)?;
    let reveal = who.can(Permission::PersonRevealId);
    let db = state.db.clone();
    let tenants = crate::blocking::run(move || global::tenants(&db)).await?;
    let findings = who.db(jinbao_store::repo::duplicates::of_tenant).await?;
    let code = |id: &i16| tenants.iter().find(|t| t.id == *id).map_or_else(String::new, |t| t.code.clone());
    let items: Vec<_> = findings
        .iter()
        .map(|f| {
            serde_json::json!({"person_id": f.person_id, "name": f.name,
                "id_number": if reveal { f.id_number.clone() } else { jinbao_domain::id_number::mask(&f.id_number) },
                "other_cities": f.other_tenants.iter().map(code).collect::<Vec<_>>(), "found_at": f.found_at})
        })
        .collect();
    Ok(HttpResponse::Ok().insert_header(("Cache-Control", "no-store")).json(serde_json::json!({"items": items})))
}

/// Province: transfers between cities — open in and out, steps overdue (more than 15 working
/// days), and transfers completed in and out per city — counts only.
pub async fn transfers(state: web::Data<AppState>, who: Principal) -> Result<HttpResponse, ApiError> {
    who.require(Permission::StatsProvince)?;
    let (db, door) = (state.db.clone(), who.province().await?);
    let (tenants, open, figures) = crate::blocking::run(move || {
        Ok((global::tenants(&db)?, door.read(jinbao_store::repo::transfers::overview)?, door.read(stats::province)?))
    })
    .await?;
    let items: Vec<_> = tenants
        .iter()
        .filter(|t| t.kind == "city")
        .map(|t| {
            let o = open.iter().find(|o| o.tenant_id == t.id);
            let done = |metric: &str| figures.iter().filter(|f| f.tenant_id == t.id && f.metric == metric).map(|f| f.value).sum::<i64>();
            serde_json::json!({"code": t.code, "name_zh": t.name_zh, "name_en": t.name_en,
                "open_in": o.map_or(0, |o| o.open_in), "open_out": o.map_or(0, |o| o.open_out), "overdue": o.map_or(0, |o| o.overdue),
                "completed_in": done("transfers_in"), "completed_out": done("transfers_out")})
        })
        .collect();
    Ok(HttpResponse::Ok().insert_header(("Cache-Control", "no-store")).json(serde_json::json!({"items": items})))
}
