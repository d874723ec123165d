//! `GET /api/v1/province/dashboard` (province supervisors): aggregates only.

use actix_web::{web, HttpResponse};
use jinbao_store::kinds::TenantKind;
use jinbao_store::repo::{global, stats};

use super::model::{self, Dashboard};
use crate::api::shapes::Items;
use crate::auth::{Permission, Principal};
use crate::error::ApiError;
use crate::state::AppState;

const CACHE_SECONDS: u64 = 10;

/// The dashboard, from the Redis cache when fresh, else from the aggregates (and cached). Every
/// reader gets the same suppressed counts: there is no role that sees small counts here.
pub async fn load(state: &AppState, who: &Principal) -> Result<Dashboard, ApiError> {
    // The session is checked before anything, the cache included.
    let door = who.province().await?;
    let key = "cache:province:dashboard:v2";
    if let Ok(Some(text)) = state.redis.get_text(key).await {
        if let Ok(d) = serde_json::from_str::<Dashboard>(&text) {
            return Ok(d);
        }
    }
    let db = state.db.clone();
    let freshness = door.freshness().clone();
    let (tenants, figures, open) = crate::blocking::run(move || {
        Ok((global::tenants(&db)?, door.read(stats::province)?, door.read(jinbao_store::repo::transfers::overview)?))
    })
    .await?;
    let mut d = model::dashboard(&tenants, &figures, &open);
    d.source = Some(freshness);
    if let Ok(text) = serde_json::to_string(&d) {
        let _ = state.redis.set_ex_text(key, &text, CACHE_SECONDS).await;
    }
    Ok(d)
}

pub async fn dashboard(state: web::Data<AppState>, who: Principal) -> Result<HttpResponse, ApiError> {
    who.require(Permission::StatsProvince)?;
    let d = load(&state, &who).await?;
    Ok(HttpResponse::Ok().insert_header(("Cache-Control", "no-store")).json(d))
}

/// Province: how many persons each pair of cities shares (counts only).
pub async fn duplicates(state: web::Data<AppState>, who: Principal) -> Result<HttpResponse, ApiError> {
    who.require(Permission::StatsProvince)?;
    let (db, door) = (state.db.clone(), who.province().await?);
    let (tenants, pairs) =
        crate::blocking::run(move || Ok((global::tenants(&db)?, door.read(jinbao_store::repo::duplicates::pairs)?))).await?;
    let code = |id: i16| tenants.iter().find(|t| t.id == id).map_or_else(String::new, |t| t.code.clone());
    // A count of persons per pair (each pair listed from both sides with the same count); no
    // total is published, so the threshold alone applies.
    let hidden = jinbao_domain::disclosure::suppress_each(&pairs.iter().map(|p| p.2).collect::<Vec<_>>());
    let items: Vec<_> = pairs
        .iter()
        .zip(hidden)
        .map(|((a, b, n), hidden)| DuplicatePair {
            tenant: code(*a),
            other: code(*b),
            persons: (!hidden).then_some(*n),
            suppressed: hidden,
        })
        .collect();
    Ok(HttpResponse::Ok().insert_header(("Cache-Control", "no-store")).json(Items::of(items)))
}

/// A city: its own persons insured for pension in other cities too, and where.
///
/// The city learns only that, and in how many other cities, its person is insured for pension —
/// never which: anyone able to enrol a made-up person under a real identity number would otherwise
/// learn where that person is insured (the same oracle the transfer contact letter closes). The
/// person tells the clerk where they worked; the province sees the pairs of cities.
pub async fn city_duplicates(who: Principal) -> Result<HttpResponse, ApiError> {
    who.require(Permission::PersonRead)?;
    let reveal = who.can(Permission::PersonRevealId);
    let findings = who.db(jinbao_store::repo::duplicates::of_tenant).await?;
    let items: Vec<_> = findings
        .iter()
        .map(|f| DuplicateFinding {
            person_id: f.person_id,
            name: f.name.clone(),
            id_number: if reveal { f.id_number.clone() } else { jinbao_domain::id_number::mask(&f.id_number) },
            insured_elsewhere: true,
            other_city_count: f.other_tenants.len(),
            found_at: f.found_at,
        })
        .collect();
    Ok(HttpResponse::Ok().insert_header(("Cache-Control", "no-store")).json(Items::of(items)))
}

/// Province: transfers between cities — open in and out, steps overdue (more than 15 working
/// days), and transfers completed in and out per city — counts only, suppressed as on the
/// dashboard (the same figures).
pub async fn transfers(state: web::Data<AppState>, who: Principal) -> Result<HttpResponse, ApiError> {
    who.require(Permission::StatsProvince)?;
    let d = load(&state, &who).await?;
    let db = state.db.clone();
    let tenants = crate::blocking::run(move || global::tenants(&db)).await?;
    let items: Vec<_> = tenants
        .iter()
        .filter(|t| t.kind == TenantKind::City)
        .filter_map(|t| d.cities.iter().find(|a| a.code == t.code))
        .map(|a| {
            let counts = [a.open_in, a.open_out, a.overdue, a.completed_in, a.completed_out];
            ProvinceTransferCity {
                code: a.code.clone(),
                name_zh: a.name_zh.clone(),
                name_en: a.name_en.clone(),
                open_in: a.open_in,
                open_out: a.open_out,
                overdue: a.overdue,
                completed_in: a.completed_in,
                completed_out: a.completed_out,
                suppressed: counts.iter().any(Option::is_none),
            }
        })
        .collect();
    Ok(HttpResponse::Ok().insert_header(("Cache-Control", "no-store")).json(Items::of(items)))
}

/// Two cities sharing persons insured for pension in both (counts below the disclosure threshold
/// are suppressed).
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct DuplicatePair {
    /// Division code of the city holding the findings.
    pub tenant: String,
    /// Division code of the other city.
    pub other: String,
    /// Persons in both; null when suppressed.
    pub persons: Option<i64>,
    /// `true` when `persons` is suppressed.
    pub suppressed: bool,
}

/// One of the city's persons also insured for pension in another city.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct DuplicateFinding {
    /// The person in the caller's city (`GET /api/v1/persons/{id}`).
    pub person_id: i64,
    pub name: String,
    /// Masked unless the caller may see identity numbers in full.
    pub id_number: String,
    /// Always `true`.
    #[schemars(extend("enum" = [true]))]
    pub insured_elsewhere: bool,
    /// How many other cities (never which: their records are theirs).
    pub other_city_count: usize,
    /// When the check that found it ran.
    pub found_at: chrono::DateTime<chrono::Utc>,
}

/// A city's transfers between cities, counts only (null when suppressed).
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct ProvinceTransferCity {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    /// Open transfers into the city. `null` where suppressed.
    pub open_in: Option<i64>,
    /// Open transfers out of the city. `null` where suppressed.
    pub open_out: Option<i64>,
    /// Steps waiting more than 15 working days.
    pub overdue: Option<i64>,
    /// Completed transfers in, all time (statistic `transfers_in`). `null` where suppressed.
    pub completed_in: Option<i64>,
    /// Completed transfers out, all time (statistic `transfers_out`). `null` where suppressed.
    pub completed_out: Option<i64>,
    /// Whether any count is suppressed.
    pub suppressed: bool,
}
