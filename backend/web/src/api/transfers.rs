//! `/api/v1/transfers`: pension transfers between cities, each city acting on its own side — the
//! receiving city sends the contact letter (opens) and completes, the sending city accepts or
//! refuses the letter, produces and approves the information (two people) and records the funds.
//! Every step is audited in both cities; every attempt to open, refused or not, in the opening
//! city, and opening is limited per user.

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

pub async fn open(
    state: web::Data<AppState>,
    who: Principal,
    body: Result<web::Json<OpenInput>, actix_web::Error>,
) -> Result<HttpResponse, actix_web::Error> {
    let b = match body {
        Ok(b) => b.into_inner(),
        Err(e) => {
            audit_refused(&who, None, None, "request.malformed").await;
            return Err(e);
        }
    };
    let (all, t) = open_letter(&state, &who, b.from_city, b.person_id).await?;
    Ok(HttpResponse::Created().json(view(&t, &all, who.can(Permission::PersonRevealId))))
}

/// Opens a transfer-in (sends the contact letter), for the API and the page alike: limited per
/// user, and every refused attempt audited in this city in a transaction of its own (the
/// attempt's own was rolled back).
pub async fn open_letter(
    state: &AppState,
    who: &Principal,
    from_city: Option<String>,
    person_id: Option<i64>,
) -> Result<(Vec<global::TenantInfo>, Transfer), ApiError> {
    let out = try_open(state, who, from_city.clone(), person_id).await;
    if let Err(e) = &out {
        let code = match e {
            ApiError::Validation(ps) => ps.first().map_or_else(|| e.code().to_string(), |p| p.code.clone()),
            other => other.code().to_string(),
        };
        audit_refused(who, from_city.as_deref(), person_id, &code).await;
    }
    out
}

async fn try_open(
    state: &AppState,
    who: &Principal,
    from_city: Option<String>,
    person_id: Option<i64>,
) -> Result<(Vec<global::TenantInfo>, Transfer), ApiError> {
    who.require(Permission::TransferRequest)?;
    let key = crate::auth::rate_limit::transfer_open_key(who.tenant.0, who.user_id);
    if !state.transfer_opens.allow(&key).await {
        return Err(ApiError::TooManyRequests("transfer.rate_limited"));
    }
    let all = tenants(state).await?;
    let mut p = Problems::default();
    let from = from_city.as_deref().and_then(|c| all.iter().find(|t| t.code == c.trim() && t.kind == "city"));
    if from.is_none() {
        p.push("from_city", if from_city.is_none() { "required" } else { "transfer.unknown_city" });
    }
    if person_id.is_none() {
        p.push("person_id", "required");
    }
    p.finish()?;
    let (from, person) = (from.expect("checked").id, person_id.expect("checked"));
    let t = who.db(move |tx| transfers::open(tx, from, person)).await?;
    Ok((all, t))
}

async fn audit_refused(who: &Principal, from_city: Option<&str>, person_id: Option<i64>, code: &str) {
    let (from_city, code) = (from_city.map(|c| c.chars().take(20).collect::<String>()), code.to_string());
    if let Err(e) = who.db(move |tx| transfers::open_refused(tx, from_city.as_deref(), person_id, &code)).await {
        tracing::warn!(error = %e, "could not audit a refused transfer opening");
    }
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
            let person = t.person_id.ok_or_else(|| jinbao_store::StoreError::conflict("transfer", "transfer.letter_pending"))?;
            let (info, total) = crate::transfers::information(tx, person, today)?;
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

/// The sending city accepts a letter (its own person is matched by identity number).
pub async fn accept(state: web::Data<AppState>, who: Principal, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    who.require(Permission::TransferProcess)?;
    let u = uid(&path)?;
    let all = tenants(&state).await?;
    let t = who.db(move |tx| transfers::accept(tx, u)).await?;
    Ok(HttpResponse::Ok().json(view(&t, &all, who.can(Permission::PersonRevealId))))
}

/// The reasons a sending city gives for refusing a letter.
pub const REFUSE_CODES: [&str; 4] = ["not_insured_here", "pension_paid", "transfer_open", "other"];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RefuseInput {
    pub code: Option<String>,
    pub note: Option<String>,
}

/// Checks a refusal: a known code, and a note (at most 200 characters) required with `other`.
pub fn refusal(code: Option<&str>, note: Option<&str>) -> Result<(String, Option<String>), ApiError> {
    let code = code.map(str::trim).unwrap_or("");
    let note = note.map(str::trim).filter(|n| !n.is_empty());
    let mut p = Problems::default();
    if code.is_empty() {
        p.push("code", "required");
    } else if !REFUSE_CODES.contains(&code) {
        p.push("code", "transfer.refuse_code");
    }
    if (code == "other" && note.is_none()) || note.is_some_and(|n| n.chars().count() > 200) {
        p.push("note", "transfer.refuse_note");
    }
    p.finish()?;
    Ok((code.to_string(), note.map(str::to_string)))
}

/// The sending city refuses a letter with a reason; the receiving city sees the reason.
pub async fn refuse(
    state: web::Data<AppState>,
    who: Principal,
    path: web::Path<String>,
    body: web::Json<RefuseInput>,
) -> Result<HttpResponse, ApiError> {
    who.require(Permission::TransferProcess)?;
    let u = uid(&path)?;
    let (code, note) = refusal(body.code.as_deref(), body.note.as_deref())?;
    let all = tenants(&state).await?;
    let t = who.db(move |tx| transfers::refuse(tx, u, &code, note.as_deref())).await?;
    Ok(HttpResponse::Ok().json(view(&t, &all, who.can(Permission::PersonRevealId))))
}
