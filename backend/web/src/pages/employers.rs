//! Employer pages: search, register, detail with employees.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use jinbao_domain::CreditCode;
use jinbao_store::repo::{employers, employments};
use serde::Deserialize;
use serde_json::{json, Value};

use super::persons::page_session;
use super::render::{check_csrf, field, field_messages, opt, page_links, redirect, session, Form, PageCtx};
use crate::api::employers::EmployerInput;
use crate::auth::Permission;
use crate::error::ApiError;
use crate::state::AppState;

#[derive(Deserialize)]
pub struct ListQuery {
    name: Option<String>,
    page: Option<String>,
}

pub async fn list(state: web::Data<AppState>, req: HttpRequest, q: web::Query<ListQuery>) -> HttpResponse {
    let who = page_session!(req);
    let page = PageCtx::new(&state, &req, Some(&who));
    if let Err(e) = who.require(Permission::EmployerRead) {
        return page.error(&req, e).await;
    }
    let name = q.name.clone().unwrap_or_default().trim().to_string();
    let mut ctx = page.base("employers", "employers.title", None).await;
    ctx.insert("q".into(), json!({"name": name}));
    if !name.is_empty() {
        let n = q.page.as_deref().and_then(|v| v.trim().parse::<i64>().ok()).unwrap_or(1).clamp(1, 100_000);
        let prefix = name.chars().take(100).collect::<String>();
        match who.db(move |tx| employers::search_by_name(tx, &prefix, n, 20)).await {
            Ok(found) => {
                let (prev, next) = page_links("/employers", &[("name", &name)], found.page, found.has_more);
                let items: Vec<Value> = found
                    .items
                    .iter()
                    .map(|e| json!({"id": e.id, "name": e.name, "credit_code": e.credit_code, "risk_class": e.risk_class, "registered_on": e.registered_on.to_string()}))
                    .collect();
                ctx.insert(
                    "results".into(),
                    json!({"items": items, "page": found.page, "has_more": found.has_more, "prev_url": prev, "next_url": next}),
                );
            }
            Err(e) => return page.error(&req, e).await,
        }
    }
    ctx.insert("code_search".into(), json!({"credit_code": "", "error": null}));
    page.render(StatusCode::OK, "employers/list", &ctx)
}

pub async fn search_code(state: web::Data<AppState>, req: HttpRequest, form: Form) -> HttpResponse {
    let who = page_session!(req);
    let page = PageCtx::new(&state, &req, Some(&who));
    if let Err(e) = who.require(Permission::EmployerRead).and_then(|_| check_csrf(&who, &form)) {
        return page.error(&req, e).await;
    }
    let raw = field(&form, "credit_code");
    let (status, message) = match CreditCode::parse(&raw) {
        Ok(code) => match who.db(move |tx| employers::find_by_credit_code(tx, &code)).await {
            Ok(Some(e)) => return redirect(&format!("/employers/{}", e.id)),
            Ok(None) => (StatusCode::OK, state.catalog.error(page.lang, "not_found")),
            Err(e) => return page.error(&req, e).await,
        },
        Err(e) => (StatusCode::UNPROCESSABLE_ENTITY, state.catalog.error(page.lang, e.code)),
    };
    let mut ctx = page.base("employers", "employers.title", None).await;
    ctx.insert("q".into(), json!({"name": ""}));
    ctx.insert("code_search".into(), json!({"credit_code": raw, "error": message}));
    page.render(status, "employers/list", &ctx)
}

async fn render_new(page: &PageCtx<'_>, status: StatusCode, form: Value, errors: Value) -> HttpResponse {
    let mut ctx = page.base("employers", "employers.new", None).await;
    let has_errors = errors.as_object().is_some_and(|m| !m.is_empty());
    ctx.insert("form".into(), form);
    ctx.insert("errors".into(), errors);
    ctx.insert("errors_summary".into(), if has_errors { json!(page.state.catalog.error(page.lang, "validation")) } else { Value::Null });
    page.render(status, "employers/new", &ctx)
}

pub async fn new_form(state: web::Data<AppState>, req: HttpRequest) -> HttpResponse {
    let who = page_session!(req);
    let page = PageCtx::new(&state, &req, Some(&who));
    if let Err(e) = who.require(Permission::EmployerWrite) {
        return page.error(&req, e).await;
    }
    render_new(&page, StatusCode::OK, json!({"risk_class": "1"}), json!({})).await
}

pub async fn create(state: web::Data<AppState>, req: HttpRequest, form: Form) -> HttpResponse {
    let who = page_session!(req);
    let page = PageCtx::new(&state, &req, Some(&who));
    if let Err(e) = who.require(Permission::EmployerWrite).and_then(|_| check_csrf(&who, &form)) {
        return page.error(&req, e).await;
    }
    let input = EmployerInput {
        credit_code: opt(&form, "credit_code"),
        name: opt(&form, "name"),
        industry_code: opt(&form, "industry_code"),
        risk_class: opt(&form, "risk_class").map(Value::String),
        address: opt(&form, "address"),
        contact_name: opt(&form, "contact_name"),
        contact_phone: opt(&form, "contact_phone"),
        registered_on: opt(&form, "registered_on"),
    };
    let mut kept = serde_json::to_value(&input).unwrap_or_default();
    kept["risk_class"] = json!(field(&form, "risk_class"));
    let result = match input.parse() {
        Ok((code, fields)) => who.db(move |tx| employers::create(tx, &code, &fields)).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(e) => redirect(&format!("/employers/{}?flash=registered", e.id)),
        Err(ApiError::Validation(ps)) => {
            render_new(&page, StatusCode::UNPROCESSABLE_ENTITY, kept, field_messages(&state, page.lang, &ps)).await
        }
        Err(ApiError::Conflict(p)) => render_new(&page, StatusCode::CONFLICT, kept, field_messages(&state, page.lang, &[p])).await,
        Err(e) => page.error(&req, e).await,
    }
}

#[derive(Deserialize)]
pub struct DetailQuery {
    flash: Option<String>,
}

pub async fn detail(state: web::Data<AppState>, req: HttpRequest, path: web::Path<String>, q: web::Query<DetailQuery>) -> HttpResponse {
    let who = page_session!(req);
    let page = PageCtx::new(&state, &req, Some(&who));
    let Ok(id) = path.parse::<i64>() else {
        return page.error(&req, ApiError::NotFound).await;
    };
    if let Err(e) = who.require(Permission::EmployerRead) {
        return page.error(&req, e).await;
    }
    let data = who.db(move |tx| Ok((employers::get(tx, id)?, employments::of_employer(tx, id, 1, 100)?))).await;
    let (e, staff) = match data {
        Ok(d) => d,
        Err(err) => return page.error(&req, err).await,
    };
    let mut ctx = page.base("employers", "employers.title", None).await;
    ctx.insert("title".into(), json!(e.name));
    ctx.insert(
        "employer".into(),
        json!({"id": e.id, "name": e.name, "credit_code": e.credit_code, "industry_code": e.industry_code, "risk_class": e.risk_class,
               "address": e.address, "contact_name": e.contact_name, "contact_phone": e.contact_phone,
               "registered_on": e.registered_on.to_string(), "status_label": page.t(&format!("status.{}", e.status))}),
    );
    let employees: Vec<Value> = staff
        .items
        .iter()
        .map(|s| {
            json!({"person_id": s.person_id, "name": s.name, "id_number_masked": jinbao_domain::id_number::mask(&s.id_number),
                        "start_date": s.start_date.to_string(), "end_date": s.end_date.map(|d| d.to_string())})
        })
        .collect();
    ctx.insert("employees".into(), json!(employees));
    if q.flash.as_deref() == Some("registered") {
        ctx.insert("flash".into(), json!(page.t("employers.registered_flash")));
    }
    page.render(StatusCode::OK, "employers/detail", &ctx)
}
