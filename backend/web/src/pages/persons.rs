//! Person pages: search (name prefix by GET; identity number by POST so it never lands in a URL),
//! register, detail with employment and the life timeline, hire and leave.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use jinbao_domain::{CreditCode, IdNumber};
use jinbao_store::kinds::EnrolmentStatus;
use jinbao_store::repo::{employers, employments, events, persons};
use serde::Deserialize;
use serde_json::{json, Value};

use super::page::{Page, PageResult};
use super::render::{check_csrf, field, field_messages, opt, page_links, redirect, Form, PageCtx};
use crate::auth::{Permission, Principal};
use crate::error::{ApiError, Problems};
use jinbao_app::input;
use jinbao_app::registry::PersonInput;

#[derive(Deserialize)]
pub struct ListQuery {
    name: Option<String>,
    page: Option<String>,
    flash: Option<String>,
}

fn person_row(p: &persons::Person, page: &PageCtx<'_>) -> Value {
    json!({"id": p.id, "name": p.name, "id_number_masked": jinbao_domain::id_number::mask(&p.id_number),
           "gender_label": page.t(&format!("persons.{}", p.gender.code())), "birth_date": p.birth_date.to_string()})
}

pub async fn list(pg: Page, q: web::Query<ListQuery>) -> PageResult {
    let Page { state, req, who } = pg;
    let page = PageCtx::new(&state, &req, Some(&who));
    who.require(Permission::PersonRead)?;
    let name = q.name.clone().unwrap_or_default().trim().to_string();
    let mut ctx = page.base("persons", "persons.title", None).await;
    ctx.insert("q".into(), json!({"name": name}));
    if !name.is_empty() {
        let n = q.page.as_deref().and_then(|v| v.trim().parse::<i64>().ok()).unwrap_or(1).clamp(1, 100_000);
        let prefix = name.chars().take(50).collect::<String>();
        match who.db(move |tx| persons::search_by_name(tx, &prefix, n, 20)).await {
            Ok(found) => {
                let (prev, next) = page_links("/persons", &[("name", &name)], found.page, found.has_more);
                let items: Vec<Value> = found.items.iter().map(|p| person_row(p, &page)).collect();
                ctx.insert(
                    "results".into(),
                    json!({"items": items, "page": found.page, "has_more": found.has_more, "prev_url": prev, "next_url": next}),
                );
            }
            Err(e) => return Err(e.into()),
        }
    }
    ctx.insert("id_search".into(), json!({"id_number": "", "error": null}));
    if let Some(f) = q.flash.as_deref().filter(|f| *f == "registered") {
        ctx.insert("flash".into(), json!(page.t(&format!("persons.{f}_flash"))));
    }
    Ok(page.render(StatusCode::OK, "persons/list", &ctx))
}

/// Identity-number search: found → the person's page; otherwise the list page with a message.
pub async fn search_id(pg: Page, form: Form) -> PageResult {
    let Page { state, req, who } = pg;
    let page = PageCtx::new(&state, &req, Some(&who));
    who.require(Permission::PersonRead).and_then(|_| check_csrf(&who, &form))?;
    let raw = field(&form, "id_number");
    let (status, message) = match IdNumber::parse(&raw, chrono::Utc::now().date_naive()) {
        Ok(id) => match who.db(move |tx| persons::find_by_id_number(tx, &id)).await {
            Ok(Some(p)) => return Ok(redirect(&format!("/persons/{}", p.id))),
            Ok(None) => (StatusCode::OK, state.catalog.error(page.lang, "not_found")),
            Err(e) => return Err(e.into()),
        },
        Err(e) => (StatusCode::UNPROCESSABLE_ENTITY, state.catalog.error(page.lang, e.code)),
    };
    let mut ctx = page.base("persons", "persons.title", None).await;
    ctx.insert("q".into(), json!({"name": ""}));
    ctx.insert("id_search".into(), json!({"id_number": raw, "error": message}));
    Ok(page.render(status, "persons/list", &ctx))
}

async fn render_new(page: &PageCtx<'_>, status: StatusCode, form: Value, errors: Value) -> HttpResponse {
    let mut ctx = page.base("persons", "persons.new", None).await;
    let has_errors = errors.as_object().is_some_and(|m| !m.is_empty());
    ctx.insert("form".into(), form);
    ctx.insert("errors".into(), errors);
    ctx.insert("errors_summary".into(), if has_errors { json!(page.state.catalog.error(page.lang, "validation")) } else { Value::Null });
    page.render(status, "persons/new", &ctx)
}

pub async fn new_form(pg: Page) -> PageResult {
    let Page { state, req, who } = pg;
    let page = PageCtx::new(&state, &req, Some(&who));
    who.require(Permission::PersonWrite)?;
    Ok(render_new(&page, StatusCode::OK, json!({}), json!({})).await)
}

pub async fn create(pg: Page, form: Form) -> PageResult {
    let Page { state, req, who } = pg;
    let page = PageCtx::new(&state, &req, Some(&who));
    who.require(Permission::PersonWrite).and_then(|_| check_csrf(&who, &form))?;
    let input = PersonInput {
        id_number: opt(&form, "id_number"),
        name: opt(&form, "name"),
        ethnicity: opt(&form, "ethnicity"),
        hukou_kind: opt(&form, "hukou_kind"),
        address: opt(&form, "address"),
        phone: opt(&form, "phone"),
    };
    let kept = serde_json::to_value(&input).unwrap_or_default();
    let result = match input.parse() {
        Ok((id, fields)) => who.db(move |tx| persons::create(tx, &id, &fields)).await,
        Err(e) => Err(e.into()),
    };
    Ok(match result {
        Ok(p) => redirect(&format!("/persons/{}?flash=registered", p.id)),
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

/// What the detail page shows around the record: the hire form, the leave form, a notice.
struct DetailForms {
    hire: Value,
    leave: Value,
    stop: Value,
    flash: Option<String>,
}

impl DetailForms {
    fn fresh(flash: Option<String>) -> DetailForms {
        let today = chrono::Utc::now().date_naive().to_string();
        DetailForms {
            hire: json!({"form": {"start_date": today}, "errors": {}}),
            leave: json!({"errors": {}}),
            stop: json!({"form": {}, "errors": {}}),
            flash,
        }
    }
}

async fn render_detail(
    page: &PageCtx<'_>,
    req: &HttpRequest,
    who: &Principal,
    id: i64,
    status: StatusCode,
    forms: DetailForms,
) -> HttpResponse {
    let DetailForms { hire, leave, mut stop, flash } = forms;
    let contributions_visible = who.can(Permission::ContributionRead);
    let data = who
        .db(move |tx| {
            let p = persons::get(tx, id)?;
            let jobs = employments::of_person(tx, id)?;
            let timeline = events::full_timeline(tx, id, 200)?;
            let (enrolled, months) = if contributions_visible {
                (jinbao_store::repo::enrolments::of_person(tx, id)?, jinbao_store::repo::assessments::of_person(tx, id, 60)?)
            } else {
                (Vec::new(), Vec::new())
            };
            let claims = jinbao_store::repo::benefits::list(tx, None, Some(id), 1, 20)?.items;
            let registration = jinbao_store::repo::labour::open_registration(tx, id)?;
            let trainings = jinbao_store::repo::labour::trainings(tx, Some(id), None, 1, 20)?.items;
            let service = super::person_service::Service::load(tx, id)?;
            Ok((p, jobs, timeline, enrolled, months, (claims, registration, trainings, service)))
        })
        .await;
    let (p, jobs, timeline, enrolled, months, (claims, registration, trainings, service)) = match data {
        Ok(d) => d,
        Err(e) => return page.error(req, e).await,
    };
    let reveal = who.can(Permission::PersonRevealId);
    let id_display = if reveal { p.id_number.clone() } else { jinbao_domain::id_number::mask(&p.id_number) };
    let mut ctx = page.base("persons", "persons.detail", None).await;
    ctx.insert("title".into(), json!(p.name));
    ctx.insert(
        "person".into(),
        json!({"id": p.id, "name": p.name, "id_number_display": id_display, "gender_label": page.t(&format!("persons.{}", p.gender.code())),
               "birth_date": p.birth_date.to_string(), "ethnicity": p.ethnicity,
               "hukou_kind_label": p.hukou_kind.as_ref().map(|h| page.t(&format!("persons.hukou_{h}"))),
               "address": p.address, "phone": p.phone, "status_label": page.t(&format!("status.{}", p.status))}),
    );
    let jobs: Vec<Value> = jobs
        .iter()
        .map(|j| json!({"id": j.id, "employer_id": j.employer_id, "employer_name": j.employer_name, "start_date": j.start_date.to_string(), "end_date": j.end_date.map(|d| d.to_string())}))
        .collect();
    ctx.insert("employments".into(), json!(jobs));
    let mut timeline: Vec<Value> = timeline
        .iter()
        .map(|e| {
            json!({"occurred_on": e.occurred_on.to_string(), "kind": e.kind, "kind_label": page.t(&format!("events.{}", e.kind)),
                   "summary": timeline_summary(page, &e.kind, &e.detail)})
        })
        .collect();
    // The life begins at birth (from the identity number).
    timeline.push(json!({"occurred_on": p.birth_date.to_string(), "kind": "born", "kind_label": page.t("events.born"), "summary": ""}));
    ctx.insert("timeline".into(), json!(timeline));
    // Benefits and the labour-market record of the person, with the ways to act on them.
    let claims: Vec<Value> = claims
        .iter()
        .map(|c| {
            json!({"url": format!("/benefits/{}", c.id), "kind_label": page.t(&format!("benefits.kinds.{}", c.kind)),
                   "status_label": page.t(&format!("benefits.statuses.{}", c.status)), "amount": jinbao_domain::Fen(c.amount_fen).to_string(),
                   "monthly": c.monthly, "start_period": c.start_period.format("%Y-%m").to_string()})
        })
        .collect();
    ctx.insert("claims".into(), json!(claims));
    ctx.insert(
        "registration".into(),
        json!(registration
            .map(|r| json!({"registered_on": r.registered_on.to_string(), "reason": page.t(&format!("labour.reasons.{}", r.reason))}))),
    );
    ctx.insert(
        "trainings".into(),
        json!(trainings
            .iter()
            .map(|t| json!({"course": t.course, "provider": t.provider, "start_date": t.start_date.to_string(),
                                               "certificate_no": t.certificate_no}))
            .collect::<Vec<_>>()),
    );
    ctx.insert("can_propose".into(), json!(who.can(Permission::BenefitPropose)));
    ctx.insert("service".into(), service.view(page, who));
    let employer_names: std::collections::HashMap<i64, String> =
        jobs.iter().filter_map(|j| Some((j["employer_id"].as_i64()?, j["employer_name"].as_str()?.to_string()))).collect();
    let enrolments: Vec<Value> = enrolled
        .iter()
        .map(|e| {
            json!({"type_label": page.t(&format!("insurance.{}", e.insurance_type)), "employer_name": employer_names.get(&e.employer_id),
                   "start_period": e.start_period.format("%Y-%m").to_string(), "end_period": e.end_period.map(|d| d.format("%Y-%m").to_string()),
                   "status_label": page.t(&format!("status.{}", e.status)), "active": e.status == EnrolmentStatus::Active})
        })
        .collect();
    ctx.insert("enrolments".into(), json!(enrolments));
    let contributions: Vec<Value> = months
        .iter()
        .map(|m| {
            json!({"period": m.period.format("%Y-%m").to_string(), "type_label": page.t(&format!("insurance.{}", m.insurance_type)),
                   "kind_label": page.t(&format!("kind.{}", m.kind)), "base": jinbao_domain::Fen(m.base_fen).to_string(),
                   "employer": jinbao_domain::Fen(m.employer_fen).to_string(), "employee": jinbao_domain::Fen(m.employee_fen).to_string()})
        })
        .collect();
    ctx.insert("contributions".into(), json!(contributions));
    let mut active_employers: Vec<i64> = enrolled.iter().filter(|e| e.status == EnrolmentStatus::Active).map(|e| e.employer_id).collect();
    active_employers.sort();
    active_employers.dedup();
    stop["employers"] = json!(active_employers.iter().map(|id| json!({"id": id, "name": employer_names.get(id)})).collect::<Vec<_>>());
    ctx.insert("stop".into(), stop);
    ctx.insert("hire".into(), hire);
    ctx.insert("leave".into(), leave);
    if let Some(f) = flash.filter(|f| ["registered", "hired", "ended", "enrolled", "stopped"].contains(&f.as_str())) {
        ctx.insert("flash".into(), json!(page.t(&format!("persons.{f}_flash"))));
    }
    page.render(status, "persons/detail", &ctx)
}

pub async fn detail(pg: Page, path: web::Path<String>, q: web::Query<DetailQuery>) -> PageResult {
    let Page { state, req, who } = pg;
    let page = PageCtx::new(&state, &req, Some(&who));
    let Ok(id) = path.parse::<i64>() else {
        return Err(ApiError::NotFound.into());
    };
    who.require(Permission::PersonRead)?;
    Ok(render_detail(&page, &req, &who, id, StatusCode::OK, DetailForms::fresh(q.flash.clone())).await)
}

/// Hire from the person page: the employer is given by its credit code.
pub async fn hire(pg: Page, path: web::Path<String>, form: Form) -> PageResult {
    let Page { state, req, who } = pg;
    let page = PageCtx::new(&state, &req, Some(&who));
    let Ok(id) = path.parse::<i64>() else {
        return Err(ApiError::NotFound.into());
    };
    who.require(Permission::EmploymentWrite).and_then(|_| check_csrf(&who, &form))?;
    let mut p = Problems::default();
    let code = p.take(CreditCode::parse(&field(&form, "credit_code")));
    let start = input::date(&mut p, "start_date", Some(&field(&form, "start_date")));
    let kept = json!({"credit_code": field(&form, "credit_code"), "start_date": field(&form, "start_date")});
    let result = match (p.finish(), code, start) {
        (Ok(()), Some(code), Some(start)) => {
            who.db(move |tx| {
                let employer = employers::find_by_credit_code(tx, &code)?
                    .ok_or_else(|| jinbao_store::StoreError::invalid("credit_code", "not_found"))?;
                employments::hire(tx, id, employer.id, start)
            })
            .await
        }
        (Err(e), _, _) => Err(e.into()),
        _ => Err(ApiError::field("credit_code", "required")),
    };
    Ok(match result {
        Ok(_) => redirect(&format!("/persons/{id}?flash=hired")),
        Err(ApiError::Validation(ps)) => {
            let errors = field_messages(&state, page.lang, &ps);
            let forms = DetailForms { hire: json!({"form": kept, "errors": errors}), ..DetailForms::fresh(None) };
            render_detail(&page, &req, &who, id, StatusCode::UNPROCESSABLE_ENTITY, forms).await
        }
        Err(ApiError::Conflict(c)) => {
            let errors = json!({"credit_code": state.catalog.error(page.lang, &c.code)});
            let forms = DetailForms { hire: json!({"form": kept, "errors": errors}), ..DetailForms::fresh(None) };
            render_detail(&page, &req, &who, id, StatusCode::CONFLICT, forms).await
        }
        Err(e) => return Err(e.into()),
    })
}

pub async fn end_employment(pg: Page, path: web::Path<String>, form: Form) -> PageResult {
    let Page { state, req, who } = pg;
    let page = PageCtx::new(&state, &req, Some(&who));
    let Ok(id) = path.parse::<i64>() else {
        return Err(ApiError::NotFound.into());
    };
    who.require(Permission::EmploymentWrite).and_then(|_| check_csrf(&who, &form))?;
    let mut p = Problems::default();
    let end = input::date(&mut p, "end_date", Some(&field(&form, "end_date")));
    let result = match (p.finish(), end) {
        (Ok(()), Some(end)) => who.db(move |tx| employments::leave(tx, id, end, None)).await,
        (Err(e), _) => Err(e.into()),
        _ => Err(ApiError::field("end_date", "required")),
    };
    Ok(match result {
        Ok(e) => redirect(&format!("/persons/{}?flash=ended", e.person_id)),
        Err(ApiError::Validation(_) | ApiError::Conflict(_)) => {
            // Back to the person with the message; the employment id tells us who.
            let person = who.db(move |tx| employments::person_of(tx, id)).await;
            match person {
                Ok(pid) => {
                    let msg = state.catalog.error(page.lang, "employment.end_invalid");
                    let forms =
                        DetailForms { leave: json!({"employment_id": id, "errors": {"end_date": msg}}), ..DetailForms::fresh(None) };
                    render_detail(&page, &req, &who, pid, StatusCode::UNPROCESSABLE_ENTITY, forms).await
                }
                Err(e) => return Err(e.into()),
            }
        }
        Err(e) => return Err(e.into()),
    })
}

/// Stops the person's insurance at one employer from the person page (leaving the job).
pub async fn stop(pg: Page, path: web::Path<String>, form: Form) -> PageResult {
    let Page { state, req, who } = pg;
    let page = PageCtx::new(&state, &req, Some(&who));
    let Ok(id) = path.parse::<i64>() else { return Err(ApiError::NotFound.into()) };
    who.require(Permission::EnrolmentWrite).and_then(|_| check_csrf(&who, &form))?;
    let mut p = Problems::default();
    let employer_id = field(&form, "employer_id").parse::<i64>().ok();
    if employer_id.is_none() {
        p.push("employer_id", "required");
    }
    let end = jinbao_app::input::period(&mut p, "end_period", Some(&field(&form, "end_period")));
    let reason = input::text(&mut p, "reason", Some(&field(&form, "reason")), 200);
    let kept = json!({"end_period": field(&form, "end_period"), "reason": field(&form, "reason")});
    let result = match (p.finish(), employer_id, end, reason) {
        (Ok(()), Some(e), Some(end), Some(reason)) => {
            who.db(move |tx| jinbao_store::repo::enrolments::stop(tx, id, e, end, None, &reason)).await.map(|_| ())
        }
        (Err(e), ..) => Err(e.into()),
        _ => Err(ApiError::field("end_period", "required")),
    };
    Ok(match result {
        Ok(()) => redirect(&format!("/persons/{id}?flash=stopped")),
        Err(ApiError::Validation(ps)) => {
            let errors = field_messages(&state, page.lang, &ps);
            let forms = DetailForms { stop: json!({"form": kept, "errors": errors}), ..DetailForms::fresh(None) };
            render_detail(&page, &req, &who, id, StatusCode::UNPROCESSABLE_ENTITY, forms).await
        }
        Err(e) => return Err(e.into()),
    })
}

/// One line describing a timeline entry, in the page language.
fn timeline_summary(page: &PageCtx<'_>, kind: &str, d: &Value) -> String {
    summary(&|k| page.t(k), page.lang == crate::i18n::Lang::En, kind, d)
}

/// [`timeline_summary`] for any page (the portal's too): `t` translates a message key.
pub(crate) fn summary(t: &dyn Fn(&str) -> String, en: bool, kind: &str, d: &Value) -> String {
    let yuan = |v: &Value| v.as_i64().map(|f| jinbao_domain::Fen(f).to_string()).unwrap_or_default();
    let months = |v: &Value| format!("{} {}", v, t("persons.months"));
    match kind {
        "transferred_years" => {
            let city = if en { &d["from_city_en"] } else { &d["from_city_zh"] };
            format!("{} · {} · {} {}", d["year"], months(&d["months"]), t("persons.from_city"), city.as_str().unwrap_or(""))
        }
        "contribution_history" => {
            format!("{} · {} · {}", d["year"], t(&format!("insurance.{}", d["type"].as_str().unwrap_or(""))), months(&d["months"]))
        }
        "transfer_in" => format!("{} · {}", months(&d["months"]), yuan(&d["total_fen"])),
        k if k.starts_with("benefit_") => {
            format!("{} · {}", t(&format!("benefits.kinds.{}", d["kind"].as_str().unwrap_or(""))), yuan(&d["amount_fen"]))
        }
        _ => d
            .get("employer_name")
            .or_else(|| d.get("reason"))
            .or_else(|| d.get("name"))
            .or_else(|| d.get("period"))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
    }
}
