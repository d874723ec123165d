//! `/api/v1/transfers`: pension transfers between cities, each city acting on its own side — the
//! receiving city opens and completes, the sending city produces and approves the information
//! (two people) and records the funds. Every step is audited in both cities.

use actix_web::{web, HttpResponse};
use jinbao_store::repo::global;
use jinbao_store::repo::transfers::{self, Transfer};
use serde::Deserialize;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::auth::{Permission, Principal};
use crate::error::{ApiError, Problems};
use crate::state::AppState;

/// A transfer as this city sees it, with the other city named (identity number masked unless
/// the caller may see it in full).
pub fn view(t: &Transfer, tenants: &[global::TenantInfo], reveal: bool) -> Value {
    let other = tenants.iter().find(|x| x.id == t.other_tenant_id);
    let mut v = serde_json::to_value(t).unwrap_or_default();
    if !reveal {
        v["id_number"] = json!(jinbao_domain::id_number::mask(&t.id_number));
    }
    v["other_city"] = json!({"code": other.map(|o| o.code.clone()), "name_zh": other.map(|o| o.name_zh.clone()), "name_en": other.map(|o| o.name_en.clone())});
    v
}

async fn tenants(state: &AppState) -> Result<Vec<global::TenantInfo>, ApiError> {
    let db = state.db.clone();
    crate::blocking::run(move || global::tenants(&db)).await
}

fn uid(raw: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(raw).map_err(|_| ApiError::NotFound)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpenInput {
    /// The sending city's code (e.g. 411000).
    pub from_city: Option<String>,
    pub person_id: Option<i64>,
}

pub async fn open(state: web::Data<AppState>, who: Principal, body: web::Json<OpenInput>) -> Result<HttpResponse, ApiError> {
    who.require(Permission::TransferRequest)?;
    let all = tenants(&state).await?;
    let b = body.into_inner();
    let mut p = Problems::default();
    let from = b.from_city.as_deref().and_then(|c| all.iter().find(|t| t.code == c.trim() && t.kind == "city"));
    if from.is_none() {
        p.push("from_city", if b.from_city.is_none() { "required" } else { "transfer.unknown_city" });
    }
    if b.person_id.is_none() {
        p.push("person_id", "required");
    }
    p.finish()?;
    let (from, person) = (from.expect("checked").id, b.person_id.expect("checked"));
    let t = who.db(move |tx| transfers::open(tx, from, person)).await?;
    Ok(HttpResponse::Created().json(view(&t, &all, who.can(Permission::PersonRevealId))))
}

#[derive(Debug, Deserialize)]
pub struct ListQuery {
    pub side: Option<String>,
    pub open: Option<bool>,
}

fn can_see(who: &Principal) -> Result<(), ApiError> {
    if who.can(Permission::TransferRequest) || who.can(Permission::TransferProcess) || who.can(Permission::TransferApprove) {
        Ok(())
    } else {
        Err(ApiError::Forbidden)
    }
}

pub async fn list(state: web::Data<AppState>, who: Principal, q: web::Query<ListQuery>) -> Result<HttpResponse, ApiError> {
    can_see(&who)?;
    let side = q.side.clone().filter(|s| s == "in" || s == "out");
    let open = q.open.unwrap_or(false);
    let all = tenants(&state).await?;
    let items = who.db(move |tx| transfers::list(tx, side.as_deref(), open)).await?;
    Ok(HttpResponse::Ok()
        .json(json!({"items": items.iter().map(|t| view(t, &all, who.can(Permission::PersonRevealId))).collect::<Vec<_>>()})))
}

pub async fn get(state: web::Data<AppState>, who: Principal, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    can_see(&who)?;
    let u = uid(&path)?;
    let all = tenants(&state).await?;
    let t = who.db(move |tx| transfers::get(tx, u)).await?;
    Ok(HttpResponse::Ok().json(view(&t, &all, who.can(Permission::PersonRevealId))))
}

/// The sending city produces the information from its own records.
pub async fn info(state: web::Data<AppState>, who: Principal, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    who.require(Permission::TransferProcess)?;
    let u = uid(&path)?;
    let today = chrono::Utc::now().date_naive();
    let all = tenants(&state).await?;
    let t = who
        .db_checked(move |tx| {
            let t = transfers::get(tx, u)?;
            if t.side != "out" {
                return Err(jinbao_store::StoreError::invalid("transfer", "transfer.wrong_side").into());
            }
            let (info, total) = crate::transfers::information(tx, t.person_id, today)?;
            Ok(transfers::propose_info(tx, u, &info, total)?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(view(&t, &all, who.can(Permission::PersonRevealId))))
}

pub async fn approve(state: web::Data<AppState>, who: Principal, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    who.require(Permission::TransferApprove)?;
    let u = uid(&path)?;
    let all = tenants(&state).await?;
    let t = who.db(move |tx| transfers::approve_info(tx, u)).await?;
    Ok(HttpResponse::Ok().json(view(&t, &all, who.can(Permission::PersonRevealId))))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FundsInput {
    pub amount: Option<Value>,
}

pub async fn funds_sent(
    state: web::Data<AppState>,
    who: Principal,
    path: web::Path<String>,
    body: web::Json<FundsInput>,
) -> Result<HttpResponse, ApiError> {
    who.require(Permission::TransferProcess)?;
    funds(state, who, path, body, true).await
}

pub async fn funds_received(
    state: web::Data<AppState>,
    who: Principal,
    path: web::Path<String>,
    body: web::Json<FundsInput>,
) -> Result<HttpResponse, ApiError> {
    who.require(Permission::TransferRequest)?;
    funds(state, who, path, body, false).await
}

async fn funds(
    state: web::Data<AppState>,
    who: Principal,
    path: web::Path<String>,
    body: web::Json<FundsInput>,
    sent: bool,
) -> Result<HttpResponse, ApiError> {
    let u = uid(&path)?;
    let mut p = Problems::default();
    let amount = super::enrolments::yuan(&mut p, "amount", body.amount.as_ref());
    p.finish()?;
    let amount = amount.expect("checked").0;
    let all = tenants(&state).await?;
    let t = who.db(move |tx| if sent { transfers::funds_sent(tx, u, amount) } else { transfers::funds_received(tx, u, amount) }).await?;
    Ok(HttpResponse::Ok().json(view(&t, &all, who.can(Permission::PersonRevealId))))
}

pub async fn complete(state: web::Data<AppState>, who: Principal, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    who.require(Permission::TransferRequest)?;
    let u = uid(&path)?;
    let all = tenants(&state).await?;
    let t = who.db(move |tx| transfers::complete(tx, u)).await?;
    Ok(HttpResponse::Ok().json(view(&t, &all, who.can(Permission::PersonRevealId))))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CancelInput {
    pub reason: Option<String>,
}

/// Either city withdraws an open transfer (with a reason).
pub async fn cancel(
    state: web::Data<AppState>,
    who: Principal,
    path: web::Path<String>,
    body: web::Json<CancelInput>,
) -> Result<HttpResponse, ApiError> {
    can_see(&who)?;
    let u = uid(&path)?;
    let mut p = Problems::default();
    let reason = super::input::text(&mut p, "reason", body.reason.as_deref(), 200);
    p.finish()?;
    let reason = reason.expect("checked");
    let all = tenants(&state).await?;
    let t = who.db(move |tx| transfers::cancel(tx, u, &reason)).await?;
    Ok(HttpResponse::Ok().json(view(&t, &all, who.can(Permission::PersonRevealId))))
}
