//! Employer pages: search, register, detail with employees.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use jinbao_app::collection::{self, CollectionInput};
use jinbao_domain::CreditCode;
use jinbao_domain::Fen;
use jinbao_store::repo::{collections, employers, employments, enrolments};
use serde::Deserialize;
use serde_json::{json, Value};

use super::page::{Page, PageResult};
use super::render::{check_csrf, field, field_messages, opt, page_links, redirect, Form, PageCtx};
use crate::auth::{Permission, Principal};
use crate::error::ApiError;
use jinbao_app::registry::EmployerInput;

#[derive(Deserialize)]
pub struct ListQuery {
    name: Option<String>,
    page: Option<String>,
}

pub async fn list(pg: Page, q: web::Query<ListQuery>) -> PageResult {
    let Page { state, req, who } = pg;
    let page = PageCtx::new(&state, &req, Some(&who));
    who.require(Permission::EmployerRead)?;
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
            Err(e) => return Err(e.into()),
        }
    }
    ctx.insert("code_search".into(), json!({"credit_code": "", "error": null}));
    Ok(page.render(StatusCode::OK, "employers/list", &ctx))
}

pub async fn search_code(pg: Page, form: Form) -> PageResult {
    let Page { state, req, who } = pg;
    let page = PageCtx::new(&state, &req, Some(&who));
    who.require(Permission::EmployerRead).and_then(|_| check_csrf(&who, &form))?;
    let raw = field(&form, "credit_code");
    let (status, message) = match CreditCode::parse(&raw) {
        Ok(code) => match who.db(move |tx| employers::find_by_credit_code(tx, &code)).await {
            Ok(Some(e)) => return Ok(redirect(&format!("/employers/{}", e.id))),
            Ok(None) => (StatusCode::OK, state.catalog.error(page.lang, "not_found")),
            Err(e) => return Err(e.into()),
        },
        Err(e) => (StatusCode::UNPROCESSABLE_ENTITY, state.catalog.error(page.lang, e.code)),
    };
    let mut ctx = page.base("employers", "employers.title", None).await;
    ctx.insert("q".into(), json!({"name": ""}));
    ctx.insert("code_search".into(), json!({"credit_code": raw, "error": message}));
    Ok(page.render(status, "employers/list", &ctx))
}

async fn render_new(page: &PageCtx<'_>, status: StatusCode, form: Value, errors: Value) -> HttpResponse {
    let mut ctx = page.base("employers", "employers.new", None).await;
    let has_errors = errors.as_object().is_some_and(|m| !m.is_empty());
    ctx.insert("form".into(), form);
    ctx.insert("errors".into(), errors);
    ctx.insert("errors_summary".into(), if has_errors { json!(page.state.catalog.error(page.lang, "validation")) } else { Value::Null });
    page.render(status, "employers/new", &ctx)
}

pub async fn new_form(pg: Page) -> PageResult {
    let Page { state, req, who } = pg;
    let page = PageCtx::new(&state, &req, Some(&who));
    who.require(Permission::EmployerWrite)?;
    Ok(render_new(&page, StatusCode::OK, json!({"risk_class": "1"}), json!({})).await)
}

pub async fn create(pg: Page, form: Form) -> PageResult {
    let Page { state, req, who } = pg;
    let page = PageCtx::new(&state, &req, Some(&who));
    who.require(Permission::EmployerWrite).and_then(|_| check_csrf(&who, &form))?;
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
        Err(e) => Err(e.into()),
    };
    Ok(match result {
        Ok(e) => redirect(&format!("/employers/{}?flash=registered", e.id)),
        Err(ApiError::Validation(ps)) => {
            render_new(&page, StatusCode::UNPROCESSABLE_ENTITY, kept, field_messages(&state, page.lang, &ps)).await
        }
        Err(ApiError::Conflict(p)) => render_new(&page, StatusCode::CONFLICT, kept, field_messages(&state, page.lang, &[p])).await,
        Err(e) => return Err(e.into()),
    })
}

#[derive(Deserialize)]
pub struct DetailQuery {
    flash: Option<String>,
}

pub async fn detail(pg: Page, path: web::Path<String>, q: web::Query<DetailQuery>) -> PageResult {
    let Page { state, req, who } = pg;
    let page = PageCtx::new(&state, &req, Some(&who));
    let Ok(id) = path.parse::<i64>() else {
        return Err(ApiError::NotFound.into());
    };
    let flash = q.flash.clone().filter(|f| f == "registered" || f == "collected");
    Ok(render_detail(&page, &req, &who, id, StatusCode::OK, fresh_collection(), flash).await)
}

fn fresh_collection() -> Value {
    let today = chrono::Utc::now().date_naive();
    json!({"form": {"paid_on": today.to_string(), "channel": "bank", "idem_key": format!("ui-{}", uuid::Uuid::new_v4().simple())}, "errors": {}})
}

async fn render_detail(
    page: &PageCtx<'_>,
    req: &HttpRequest,
    who: &Principal,
    id: i64,
    status: StatusCode,
    collection: Value,
    flash: Option<String>,
) -> HttpResponse {
    if let Err(e) = who.require(Permission::EmployerRead) {
        return page.error(req, e).await;
    }
    let contributions_visible = who.can(Permission::ContributionRead);
    let data = who
        .db(move |tx| {
            let e = employers::get(tx, id)?;
            let staff = employments::of_employer(tx, id, 1, 100)?;
            let floats = jinbao_store::repo::injury_rates::history(tx, id)?;
            let record =
                jinbao_store::repo::injury_cases::employer_record(tx, id, chrono::Datelike::year(&chrono::Utc::now().date_naive()) - 2)?;
            let accounts = jinbao_store::repo::public_accounts::of_employer(tx, id)?;
            let (insured, balances) = if contributions_visible {
                (enrolments::insured_of_employer(tx, id, 1, 200)?.items, collections::arrears(tx, None, Some(id), false, 1, 24)?.items)
            } else {
                (Vec::new(), Vec::new())
            };
            Ok((e, staff, insured, balances, (floats, record), accounts))
        })
        .await;
    let (e, staff, insured, balances, (floats, record), accounts) = match data {
        Ok(d) => d,
        Err(err) => return page.error(req, err).await,
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
    let insured: Vec<Value> = insured
        .iter()
        .map(|i| {
            let types: Vec<String> = i.types.iter().map(|t| page.t(&format!("insurance.{t}"))).collect();
            json!({"person_id": i.person_id, "name": i.name, "id_number_masked": jinbao_domain::id_number::mask(&i.id_number),
                   "types": types.join("、"), "since": i.since.format("%Y-%m").to_string()})
        })
        .collect();
    ctx.insert("insured".into(), json!(insured));
    let balances: Vec<Value> = balances
        .iter()
        .map(|b| {
            let period = b.period.format("%Y-%m").to_string();
            json!({"period": period, "due": Fen(b.due_fen).to_string(), "paid": Fen(b.paid_fen).to_string(),
                   "arrears": Fen(b.arrears_fen).to_string(), "credit": Fen(b.credit_fen).to_string(),
                   "statement_url": format!("/employers/{id}/statement?period={period}")})
        })
        .collect();
    ctx.insert("balances".into(), json!(balances));
    ctx.insert("collection".into(), collection);
    let floats: Vec<Value> = floats
        .iter()
        .map(|d| {
            json!({"effective_from": d.effective_from.format("%Y-%m").to_string(), "percent": d.percent, "reason": d.reason,
                        "decided_by": d.decided_by_name, "decided_at": d.decided_at.format("%Y-%m-%d").to_string()})
        })
        .collect();
    ctx.insert("injury_floats".into(), json!(floats));
    ctx.insert(
        "injury_record".into(),
        json!(record
            .iter()
            .map(|y| json!({"year": y.year, "reported": y.reported, "recognised": y.recognised,
                            "benefits": jinbao_domain::Fen(y.benefits_paid_fen).to_string(), "medical": jinbao_domain::Fen(y.medical_fen).to_string()}))
            .collect::<Vec<_>>()),
    );
    ctx.insert("can_decide_float".into(), json!(who.can(Permission::InjuryRateDecide)));
    ctx.insert("accounts".into(), super::public_accounts::accounts_json(page, &accounts));
    ctx.insert("can_open_account".into(), json!(who.can(Permission::EmployerWrite) && e.status == "active"));
    if let Some(f) = flash {
        ctx.insert("flash".into(), json!(page.t(&format!("employers.{f}_flash"))));
    }
    page.render(status, "employers/detail", &ctx)
}

/// Records a payment from the employer page (idempotent by the form's key).
pub async fn collect(pg: Page, path: web::Path<String>, form: Form) -> PageResult {
    let Page { state, req, who } = pg;
    let page = PageCtx::new(&state, &req, Some(&who));
    let Ok(id) = path.parse::<i64>() else {
        return Err(ApiError::NotFound.into());
    };
    who.require(Permission::CollectionWrite).and_then(|_| check_csrf(&who, &form))?;
    let input = CollectionInput {
        employer_id: Some(id),
        period: opt(&form, "period"),
        amount: opt(&form, "amount").map(Value::String),
        paid_on: opt(&form, "paid_on"),
        channel: opt(&form, "channel"),
        bank_ref: opt(&form, "bank_ref"),
    };
    let key = opt(&form, "idem_key").filter(|k| (8..=100).contains(&k.len()));
    let kept = json!(form.iter().filter(|(k, _)| k.as_str() != "csrf").collect::<std::collections::HashMap<_, _>>());
    let hash = jinbao_app::enrolment::request_hash(&kept);
    let result = match input.parse() {
        Ok(c) => crate::idempotent::run_idempotent(&who, "collection", key, hash, move |tx| collection::record(tx, &c)).await,
        Err(e) => Err(e.into()),
    };
    Ok(match result {
        Ok(_) => redirect(&format!("/employers/{id}?flash=collected")),
        Err(ApiError::Validation(ps)) => {
            let c = json!({"form": kept, "errors": field_messages(&state, page.lang, &ps)});
            render_detail(&page, &req, &who, id, StatusCode::UNPROCESSABLE_ENTITY, c, None).await
        }
        Err(ApiError::Conflict(c)) => {
            let c = json!({"form": kept, "errors": field_messages(&state, page.lang, &[c])});
            render_detail(&page, &req, &who, id, StatusCode::CONFLICT, c, None).await
        }
        Err(e) => return Err(e.into()),
    })
}

#[derive(Deserialize)]
pub struct StatementQuery {
    period: Option<String>,
}

/// The printable monthly statement of an employer.
pub async fn statement(pg: Page, path: web::Path<String>, q: web::Query<StatementQuery>) -> PageResult {
    let Page { state, req, who } = pg;
    let page = PageCtx::new(&state, &req, Some(&who));
    let Ok(id) = path.parse::<i64>() else {
        return Err(ApiError::NotFound.into());
    };
    who.require(Permission::ContributionRead)?;
    let Some(period) = q.period.as_deref().and_then(|p| p.parse::<jinbao_domain::Period>().ok()) else {
        return Err(ApiError::field("period", "period.format").into());
    };
    let data = who.db(move |tx| Ok((employers::get(tx, id)?, collections::statement(tx, id, period)?))).await;
    let (e, lines) = match data {
        Ok(d) => d,
        Err(err) => return Err(err.into()),
    };
    let mut ctx = page.base("employers", "statement.title", None).await;
    ctx.insert("employer".into(), json!({"id": e.id, "name": e.name, "credit_code": e.credit_code, "risk_class": e.risk_class}));
    ctx.insert("period".into(), json!(period.to_string()));
    let rows: Vec<Value> = lines
        .iter()
        .map(|l| {
            json!({"name": l.name, "id_number_masked": jinbao_domain::id_number::mask(&l.id_number),
                   "type_label": page.t(&format!("insurance.{}", l.insurance_type)), "kind_label": page.t(&format!("kind.{}", l.kind)),
                   "party_label": page.t(&format!("party.{}", l.party)), "base": Fen(l.base_fen).to_string(),
                   "rate": jinbao_domain::RateBp(l.rate_bp).to_string(), "amount": Fen(l.amount_fen).to_string(), "paid": Fen(l.paid_fen).to_string()})
        })
        .collect();
    ctx.insert("lines".into(), json!(rows));
    ctx.insert("due".into(), json!(Fen(lines.iter().map(|l| l.amount_fen).sum()).to_string()));
    ctx.insert("paid".into(), json!(Fen(lines.iter().map(|l| l.paid_fen).sum()).to_string()));
    ctx.insert("csv_url".into(), json!(format!("/api/v1/employers/{id}/statement?period={period}&format=csv")));
    Ok(page.render(StatusCode::OK, "employers/statement", &ctx))
}

/// `POST /employers/{id}/injury-rate`: a reviewer's floating work-injury rate decision.
pub async fn decide_injury_float(pg: Page, path: web::Path<i64>, form: Form) -> PageResult {
    let Page { who, .. } = pg;
    who.require(Permission::InjuryRateDecide).and_then(|_| check_csrf(&who, &form))?;
    let id = path.into_inner();
    let from = field(&form, "effective_from").parse::<jinbao_domain::Period>();
    let percent = field(&form, "percent").parse::<u32>();
    let reason = field(&form, "reason");
    let (Ok(from), Ok(percent), false) = (from, percent, reason.is_empty()) else {
        return Err(ApiError::field("percent", "required").into());
    };
    who.db(move |tx| jinbao_store::repo::injury_rates::decide(tx, id, from, percent, &reason)).await?;
    Ok(redirect(&format!("/employers/{id}#injury-rate")))
}
