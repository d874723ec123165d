//! `/api/v1/employers`: register, read, search, update with reason, employees.

use actix_web::{web, HttpResponse};
use jinbao_domain::CreditCode;
use jinbao_store::repo::employers::{self, EmployerPatch};
use jinbao_store::repo::employments;
use serde::Deserialize;
use validator::Validate;

use super::persons::no_store;
use crate::api::shapes::{exact, Items};
use crate::auth::{Permission, Principal};
use crate::error::{ApiError, Problems};
use jinbao_app::input;
use jinbao_app::registry::EmployerInput;

pub async fn create(who: Principal, body: web::Json<EmployerInput>) -> Result<HttpResponse, ApiError> {
    who.require(Permission::EmployerWrite)?;
    let (code, fields) = body.into_inner().parse()?;
    let e = who.db(move |tx| employers::create(tx, &code, &fields)).await?;
    Ok(HttpResponse::Created().insert_header(("Location", format!("/api/v1/employers/{}", e.id))).json(e))
}

pub async fn get(who: Principal, path: web::Path<i64>) -> Result<HttpResponse, ApiError> {
    who.require(Permission::EmployerRead)?;
    let id = path.into_inner();
    let e = who.db(move |tx| employers::get(tx, id)).await?;
    Ok(no_store(HttpResponse::Ok()).json(e))
}

/// Exactly one of `credit_code` (exact) or `name_prefix`; with optional paging. Unknown fields are rejected (400).
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "EmployerSearch")]
pub struct SearchInput {
    pub credit_code: Option<String>,
    pub name_prefix: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

pub async fn search(who: Principal, body: web::Json<SearchInput>) -> Result<HttpResponse, ApiError> {
    who.require(Permission::EmployerRead)?;
    let b = body.into_inner();
    let mut p = Problems::default();
    let (page, per_page) = input::paging(&mut p, b.page, b.per_page);
    match (input::opt_text(b.credit_code), input::opt_text(b.name_prefix)) {
        (Some(code), None) => {
            let code = p.take(CreditCode::parse(&code));
            p.finish()?;
            let code = code.expect("checked");
            let found = who.db(move |tx| employers::find_by_credit_code(tx, &code)).await?;
            Ok(no_store(HttpResponse::Ok()).json(exact(found, per_page)))
        }
        (None, Some(prefix)) => {
            if prefix.chars().count() > 100 {
                p.push("name_prefix", "text.too_long");
            }
            p.finish()?;
            let found = who.db(move |tx| employers::search_by_name(tx, &prefix, page, per_page)).await?;
            Ok(no_store(HttpResponse::Ok()).json(found))
        }
        _ => Err(ApiError::field("credit_code", "search.criteria")),
    }
}

/// Absent fields are unchanged; an empty string clears an optional text field. The credit code and registration date
/// cannot be changed. Unknown fields are rejected (400).
#[derive(Debug, Deserialize, Validate, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "EmployerUpdate")]
pub struct UpdateInput {
    /// 1–100 characters; cannot be cleared.
    #[validate(length(min = 1, max = 100, code = "name.length"), custom(function = "input::valid_name"))]
    pub name: Option<String>,
    /// At most 10 characters; `""` clears.
    #[validate(length(max = 10, code = "text.too_long"))]
    pub industry_code: Option<String>,
    /// 1–8 (`risk_class.range`). Must be a JSON integer here (a string is a malformed request).
    #[validate(range(min = 1, max = 8, code = "risk_class.range"))]
    pub risk_class: Option<i16>,
    /// At most 200 characters; `""` clears.
    #[validate(length(max = 200, code = "text.too_long"))]
    pub address: Option<String>,
    /// At most 50 characters; `""` clears.
    #[validate(length(max = 50, code = "text.too_long"), custom(function = "input::valid_name"))]
    pub contact_name: Option<String>,
    /// At most 20 characters; `""` clears.
    #[validate(length(max = 20, code = "text.too_long"))]
    pub contact_phone: Option<String>,
    /// Why the record changes (2–200 characters; `reason.required`).
    #[serde(default)]
    #[validate(length(min = 2, max = 200, code = "reason.required"))]
    pub reason: String,
}

fn clearable(v: Option<String>) -> Option<Option<String>> {
    v.map(|s| Some(s.trim().to_string()).filter(|s| !s.is_empty()))
}

pub async fn update(who: Principal, path: web::Path<i64>, body: web::Json<UpdateInput>) -> Result<HttpResponse, ApiError> {
    who.require(Permission::EmployerWrite)?;
    let b = body.into_inner();
    b.validate()?;
    let reason = b.reason.trim().to_string();
    let patch = EmployerPatch {
        name: b.name.map(|s| s.trim().to_string()),
        industry_code: clearable(b.industry_code),
        risk_class: b.risk_class,
        address: clearable(b.address),
        contact_name: clearable(b.contact_name),
        contact_phone: clearable(b.contact_phone),
    };
    let id = path.into_inner();
    let e = who.db(move |tx| employers::update(tx, id, &patch, &reason)).await?;
    Ok(no_store(HttpResponse::Ok()).json(e))
}

pub async fn employees(who: Principal, path: web::Path<i64>, q: web::Query<input::PageQuery>) -> Result<HttpResponse, ApiError> {
    who.require(Permission::EmployerRead)?;
    let reveal = who.can(Permission::PersonRevealId);
    let (page, per_page) = q.parse()?;
    let id = path.into_inner();
    let mut found = who
        .db(move |tx| {
            employers::get(tx, id)?;
            employments::of_employer(tx, id, page, per_page)
        })
        .await?;
    if !reveal {
        for e in &mut found.items {
            e.id_number = jinbao_domain::id_number::mask(&e.id_number);
        }
    }
    Ok(no_store(HttpResponse::Ok()).json(found))
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InjuryFloatInput {
    pub effective_from: Option<String>,
    /// Of the class rate; class 1 only 100, 120 or 150 (`injury.class_one_upward`); otherwise `injury.float_percent`.
    #[schemars(extend("enum" = [50, 80, 100, 120, 150, null]))]
    pub percent: Option<u32>,
    pub reason: Option<String>,
}

/// `POST /api/v1/employers/{id}/injury-rate`: the yearly floating work-injury rate decision
/// (50/80/100/120/150 % of the class rate, class 1 upward only), effective from a month.
pub async fn decide_injury_float(
    who: Principal,
    path: web::Path<i64>,
    body: web::Json<InjuryFloatInput>,
) -> Result<HttpResponse, ApiError> {
    who.require(Permission::InjuryRateDecide)?;
    let id = path.into_inner();
    let b = body.into_inner();
    let mut p = Problems::default();
    let from = jinbao_app::input::period(&mut p, "effective_from", b.effective_from.as_deref());
    if b.percent.is_none() {
        p.push("percent", "required");
    }
    let reason = jinbao_app::input::text(&mut p, "reason", b.reason.as_deref(), 200);
    p.finish()?;
    let (from, percent, reason) = (from.expect("checked"), b.percent.expect("checked"), reason.expect("checked"));
    let d = who.db(move |tx| jinbao_store::repo::injury_rates::decide(tx, id, from, percent, &reason)).await?;
    Ok(HttpResponse::Created().json(d))
}

/// `GET /api/v1/employers/{id}/injury-rate`: the decisions, newest first.
pub async fn injury_floats(who: Principal, path: web::Path<i64>) -> Result<HttpResponse, ApiError> {
    who.require(Permission::EmployerRead)?;
    let id = path.into_inner();
    let items = who
        .db(move |tx| {
            jinbao_store::repo::employers::get(tx, id)?;
            jinbao_store::repo::injury_rates::history(tx, id)
        })
        .await?;
    Ok(HttpResponse::Ok().json(Items::of(items)))
}

/// `GET /api/v1/employers/{id}/injury-record`: the employer's work-injury record of the last three
/// accident years (cases reported and recognised, benefits and medical costs the fund paid), for the
/// yearly floating-rate decision.
pub async fn injury_record(who: Principal, path: web::Path<i64>) -> Result<HttpResponse, ApiError> {
    who.require(Permission::EmployerRead)?;
    let id = path.into_inner();
    let from = chrono::Datelike::year(&chrono::Utc::now().date_naive()) - 2;
    let items = who
        .db(move |tx| {
            jinbao_store::repo::employers::get(tx, id)?;
            jinbao_store::repo::injury_cases::employer_record(tx, id, from)
        })
        .await?;
    Ok(HttpResponse::Ok().json(Items::of(items)))
}
