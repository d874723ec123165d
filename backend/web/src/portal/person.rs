//! 个人网上服务: the insured person's own record, yearly statement and card. Every handler runs as
//! the person's account (`jinbao_public`, the person as principal): the database shows these
//! pages the person's own rows and nothing else.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{Datelike, Utc};
use jinbao_store::repo::{benefits, cards, employments, enrolments, events, labour, persons, public_accounts, rights_statements};
use jinbao_store::TenantId;
use rand::RngCore;
use serde::Deserialize;
use serde_json::{json, Value};

use super::login::{normalise_login, tenant_options};
use super::page::{Fields, PortalCtx, PortalPage, PortalResult};
use crate::auth::client::client_ip;
use crate::auth::{csrf, password};
use crate::error::{ApiError, FieldProblem};
use crate::pages::person_service::{cards_json, events_json, statement_view};
use crate::pages::render::{cookie, lang_of, redirect};
use crate::state::AppState;

fn month(d: chrono::NaiveDate) -> String {
    d.format("%Y-%m").to_string()
}

/// The person's home: registration, insurances and the ways on.
pub async fn home(pg: PortalPage, flash: Option<String>) -> PortalResult {
    pg.who.require_person()?;
    let page = pg.ctx();
    let (p, ens) = pg
        .who
        .db(|tx| {
            let id = public_accounts::principal_person(tx)?;
            Ok((persons::get(tx, id)?, enrolments::of_person(tx, id)?))
        })
        .await?;
    let mut ctx = page.base("home", "portal.person.title").await;
    ctx.insert("person".into(), person_json(&page, &p));
    ctx.insert("enrolments".into(), enrolments_json(&page, &ens));
    ctx.insert("flash".into(), json!(flash.filter(|f| f == "password" || f == "lost").map(|f| page.t(&format!("portal.flash.{f}")))));
    Ok(page.render(StatusCode::OK, "portal/person_home", &ctx))
}

fn person_json(page: &PortalCtx<'_>, p: &persons::Person) -> Value {
    json!({"name": p.name, "id_number_masked": jinbao_domain::id_number::mask(&p.id_number), "birth_date": p.birth_date.to_string(),
           "gender_label": page.t(&format!("persons.{}", p.gender.code())), "phone": p.phone, "address": p.address,
           "hukou_kind_label": p.hukou_kind.as_ref().map(|h| page.t(&format!("persons.hukou_{h}")))})
}

fn enrolments_json(page: &PortalCtx<'_>, ens: &[enrolments::Enrolment]) -> Value {
    json!(ens
        .iter()
        .map(|e| json!({"type_label": page.t(&format!("insurance.{}", e.insurance_type)), "start_period": month(e.start_period),
                        "end_period": e.end_period.map(month), "status_label": page.t(&format!("status.{}", e.status))}))
        .collect::<Vec<_>>())
}

/// `GET /portal/record`: the whole record — registration, employers, insurances, paid months and
/// arrears per year and insurance, benefits and payments, unemployment registration and trainings,
/// the life timeline.
pub async fn record(pg: PortalPage) -> PortalResult {
    pg.who.require_person()?;
    let page = pg.ctx();
    let data = pg
        .who
        .db(|tx| {
            let id = public_accounts::principal_person(tx)?;
            let p = persons::get(tx, id)?;
            let jobs = employments::of_person(tx, id)?;
            let ens = enrolments::of_person(tx, id)?;
            let mut years: std::collections::BTreeMap<(i32, String), (usize, usize)> = std::collections::BTreeMap::new();
            for t in jinbao_domain::InsuranceType::ALL {
                for m in benefits::months(tx, id, t.code())? {
                    years.entry((m.period.year(), t.code().to_string())).or_default().0 += 1;
                }
                for m in benefits::unpaid_months(tx, id, t.code())? {
                    years.entry((m.period.year(), t.code().to_string())).or_default().1 += 1;
                }
            }
            let claims = benefits::own_claims(tx, id)?;
            let registration = labour::open_registration(tx, id)?;
            let trainings = labour::trainings(tx, Some(id), None, 1, 50)?.items;
            let timeline = events::full_timeline(tx, id, 200)?;
            let elsewhere = persons::held_elsewhere(tx)?;
            Ok((p, jobs, ens, years, claims, (registration, trainings, timeline, elsewhere)))
        })
        .await?;
    let (p, jobs, ens, years, claims, (registration, trainings, timeline, elsewhere)) = data;
    let mut ctx = page.base("record", "portal.record.title").await;
    ctx.insert("person".into(), person_json(&page, &p));
    ctx.insert(
        "employments".into(),
        json!(jobs
            .iter()
            .map(|j| json!({"employer_name": j.employer_name, "start_date": j.start_date.to_string(), "end_date": j.end_date.map(|d| d.to_string())}))
            .collect::<Vec<_>>()),
    );
    ctx.insert("enrolments".into(), enrolments_json(&page, &ens));
    let mut by_year: Vec<Value> = Vec::new();
    let mut year_list: Vec<i32> = years.keys().map(|(y, _)| *y).collect();
    year_list.dedup();
    for y in year_list.iter().rev() {
        let cells: Vec<Value> = jinbao_domain::InsuranceType::ALL
            .iter()
            .map(|t| {
                let (paid, unpaid) = years.get(&(*y, t.code().to_string())).copied().unwrap_or((0, 0));
                json!({"paid": paid, "arrears": unpaid})
            })
            .collect();
        by_year.push(json!({"year": y, "cells": cells}));
    }
    ctx.insert(
        "type_labels".into(),
        json!(jinbao_domain::InsuranceType::ALL.iter().map(|t| page.t(&format!("insurance.{}", t.code()))).collect::<Vec<_>>()),
    );
    ctx.insert("years".into(), json!(by_year));
    ctx.insert(
        "claims".into(),
        json!(claims
            .iter()
            .map(|c| json!({"kind_label": page.t(&format!("benefits.kinds.{}", c.kind)), "status_label": page.t(&format!("benefits.statuses.{}", c.status)),
                            "amount": jinbao_domain::Fen(c.amount_fen).to_string(), "monthly": c.monthly, "start_period": month(c.start_period),
                            "paid_lines": c.paid_lines}))
            .collect::<Vec<_>>()),
    );
    ctx.insert(
        "registration".into(),
        json!(registration
            .map(|r| json!({"registered_on": r.registered_on.to_string(), "reason": page.t(&format!("labour.reasons.{}", r.reason))}))),
    );
    ctx.insert(
        "trainings".into(),
        json!(trainings
            .iter()
            .map(|t| json!({"course": t.course, "provider": t.provider, "start_date": t.start_date.to_string()}))
            .collect::<Vec<_>>()),
    );
    let en = page.lang == crate::i18n::Lang::En;
    let mut life: Vec<Value> = timeline
        .iter()
        .map(|e| {
            json!({"occurred_on": e.occurred_on.to_string(), "kind_label": page.t(&format!("events.{}", e.kind)),
                   "summary": crate::pages::persons::summary(&|k| page.t(k), en, &e.kind, &e.detail)})
        })
        .collect();
    life.push(json!({"occurred_on": p.birth_date.to_string(), "kind_label": page.t("events.born"), "summary": ""}));
    ctx.insert("timeline".into(), json!(life));
    ctx.insert(
        "elsewhere".into(),
        json!(elsewhere
            .iter()
            .map(|h| json!({"city": if en { &h.name_en } else { &h.name_zh }, "code": h.tenant_code, "months": h.pension_months,
                            "transferred": h.transferred_months, "held": (h.pension_months - h.transferred_months).max(0), "insured_now": h.insured_now}))
            .collect::<Vec<_>>()),
    );
    Ok(page.render(StatusCode::OK, "portal/record", &ctx))
}

/// `GET /portal/statements`: the person's statements; a new one for a year can be generated.
pub async fn statements(pg: PortalPage) -> PortalResult {
    pg.who.require_person()?;
    let page = pg.ctx();
    let list = pg
        .who
        .db(|tx| {
            let id = public_accounts::principal_person(tx)?;
            rights_statements::of_person(tx, id)
        })
        .await?;
    let mut ctx = page.base("statements", "portal.statements.title").await;
    ctx.insert(
        "rows".into(),
        json!(list
            .iter()
            .map(|s| json!({"year": s.year, "code": s.code, "generated_at": s.generated_at.format("%Y-%m-%d").to_string()}))
            .collect::<Vec<_>>()),
    );
    let this_year = Utc::now().year();
    ctx.insert("years".into(), json!((this_year - 9..=this_year).rev().collect::<Vec<_>>()));
    Ok(page.render(StatusCode::OK, "portal/statements", &ctx))
}

/// `POST /portal/statements`: computes the statement of a year in the person's own transaction
/// (the person's rows only) and shows it for printing.
pub async fn generate(pg: PortalPage, body: web::Bytes) -> PortalResult {
    pg.who.require_person()?;
    let f = Fields::parse(&body);
    pg.check_csrf(&f.get("csrf"))?;
    let year = f.get("year").parse::<i32>().map_err(|_| ApiError::field("year", "statement.year"))?;
    heavy(&pg).await?;
    let mut random = [0u8; 12];
    rand::thread_rng().fill_bytes(&mut random);
    let tcode = pg.who.claims.tcode.clone();
    let today = Utc::now().date_naive();
    let s = pg
        .who
        .db_checked(move |tx| {
            let id = public_accounts::principal_person(tx)?;
            jinbao_app::rights_statement::generate(tx, id, year, today, &tcode, random, None)
        })
        .await?;
    Ok(redirect(&format!("/portal/statements/{}", s.code)))
}

/// Counts one heavier request of the account (429 past the hour's allowance).
async fn heavy(pg: &PortalPage) -> Result<(), ApiError> {
    let key = crate::auth::rate_limit::portal_heavy_key(pg.who.tenant.0, pg.who.account_id);
    if pg.state.portal_heavy.allow(&key).await {
        Ok(())
    } else {
        Err(ApiError::TooManyRequests("portal.rate_limited"))
    }
}

/// `GET /portal/statements/{code}`: one of the person's statements, printable (A4).
pub async fn statement(pg: PortalPage, path: web::Path<String>) -> PortalResult {
    pg.who.require_person()?;
    let page = pg.ctx();
    let code = path.into_inner();
    let s = pg.who.db(move |tx| rights_statements::by_code(tx, &code)).await?;
    let mut ctx = page.base("statements", "statement_doc.title").await;
    let tenant_name = ctx.get("tenant").and_then(|t| t.get("name")).cloned().unwrap_or(Value::Null);
    let info = pg.req.connection_info().clone();
    ctx.insert("doc".into(), statement_view(&|k| page.t(k), &s, tenant_name, &format!("{}://{}/verify", info.scheme(), info.host())));
    ctx.insert("back".into(), json!("/portal/statements"));
    Ok(page.render(StatusCode::OK, "rights_statement", &ctx))
}

/// `GET /portal/card`: the person's cards and their history.
pub async fn card(pg: PortalPage) -> PortalResult {
    pg.who.require_person()?;
    let page = pg.ctx();
    let (list, history) = pg
        .who
        .db(|tx| {
            let id = public_accounts::principal_person(tx)?;
            Ok((cards::of_person(tx, id)?, cards::events_of_person(tx, id)?))
        })
        .await?;
    let mut ctx = page.base("card", "portal.card.title").await;
    ctx.insert("cards".into(), cards_json(&|k| page.t(k), &list, false));
    ctx.insert("events".into(), events_json(&|k| page.t(k), &history));
    Ok(page.render(StatusCode::OK, "portal/card", &ctx))
}

/// `POST /portal/card/{id}/lost`: the person reports their card lost (挂失); the bank and the
/// card centre act on the status.
pub async fn report_lost(pg: PortalPage, path: web::Path<String>, body: web::Bytes) -> PortalResult {
    pg.who.require_person()?;
    let f = Fields::parse(&body);
    pg.check_csrf(&f.get("csrf"))?;
    let Ok(id) = path.parse::<i64>() else { return Err(ApiError::NotFound.into()) };
    pg.who.db(move |tx| cards::change_status(tx, id, "reported_lost", Some("reported online"))).await?;
    Ok(redirect("/portal?flash=lost"))
}

#[derive(Deserialize)]
pub struct ActivateQuery {
    tenant: Option<String>,
}

async fn render_activate(
    state: &AppState,
    req: &HttpRequest,
    status: StatusCode,
    tenant: &str,
    id_number: &str,
    errors: Value,
) -> HttpResponse {
    let page = PortalCtx { state, lang: lang_of(req), who: None };
    let token = req.cookie(csrf::LOGIN_COOKIE).map(|c| c.value().to_string()).filter(|v| v.len() == 48).unwrap_or_else(csrf::new_token);
    let mut ctx = page.base("", "portal.activate.title").await;
    ctx.insert("csrf".into(), json!(token));
    ctx.insert("tenants".into(), tenant_options(state, page.lang, tenant).await);
    ctx.insert("form".into(), json!({"id_number": id_number}));
    ctx.insert("errors".into(), errors);
    let mut res = page.render(status, "portal/activate", &ctx);
    let _ = res.add_cookie(&cookie(state, csrf::LOGIN_COOKIE, token, 3600));
    res
}

pub async fn activate_form(state: web::Data<AppState>, req: HttpRequest, q: web::Query<ActivateQuery>) -> HttpResponse {
    render_activate(&state, &req, StatusCode::OK, q.tenant.as_deref().unwrap_or(""), "", json!({})).await
}

/// `POST /portal/activate`: identity number, the letter's code and a new password (twice). A
/// wrong or expired code and an unknown number get the same answer; attempts are throttled as
/// logins are.
pub async fn activate(state: web::Data<AppState>, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    let f = Fields::parse(&body);
    let lang = lang_of(&req);
    let (tenant, id_number) = (f.get("tenant"), normalise_login("person", &f.get("id_number")));
    let code: String =
        jinbao_domain::text::nfkc(&f.get("code")).to_ascii_uppercase().chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    let raw = |k: &str| f.0.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()).unwrap_or_default();
    let (new, confirm) = (raw("new"), raw("confirm"));
    let cookie_token = req.cookie(csrf::LOGIN_COOKIE).map(|c| c.value().to_string()).unwrap_or_default();
    let say = |field: &str, code: &str| json!({ field: state.catalog.error(lang, code) });
    if !csrf::matches(&cookie_token, &f.get("csrf")) {
        return render_activate(&state, &req, StatusCode::BAD_REQUEST, &tenant, &id_number, say("code", "csrf.invalid")).await;
    }
    let mut problems = Vec::new();
    if !password::acceptable(&new) {
        problems.push(FieldProblem { field: "new".into(), code: "password.weak".into() });
    }
    if new != confirm {
        problems.push(FieldProblem { field: "confirm".into(), code: "password.mismatch".into() });
    }
    if !problems.is_empty() {
        let errors = crate::pages::render::field_messages(&state, lang, &problems);
        return render_activate(&state, &req, StatusCode::UNPROCESSABLE_ENTITY, &tenant, &id_number, errors).await;
    }
    match activate_account(&state, &tenant, &id_number, &code, &new, &client_ip(&req)).await {
        Ok(()) => redirect(&format!("/portal/login?kind=person&activated=1&tenant={tenant}")),
        Err(e) => {
            use actix_web::ResponseError;
            let status =
                if e.status_code().is_server_error() { e.status_code() } else { StatusCode::UNPROCESSABLE_ENTITY.max(e.status_code()) };
            let code = match &e {
                ApiError::Validation(ps) => ps.first().map_or("account.activation_invalid", |p| p.code.as_str()).to_string(),
                other => other.code().to_string(),
            };
            render_activate(&state, &req, status, &tenant, &id_number, say("code", &code)).await
        }
    }
}

async fn activate_account(state: &AppState, tenant_code: &str, id_number: &str, code: &str, new: &str, ip: &str) -> Result<(), ApiError> {
    let db = state.db.clone();
    let tenants = crate::blocking::run(move || jinbao_store::repo::global::tenants(&db)).await?;
    let tenant = tenants.into_iter().find(|t| t.code == tenant_code).ok_or_else(|| ApiError::field("tenant", "auth.unknown_tenant"))?;
    let counted = format!("activate:{id_number}");
    if state.limiter.blocked(ip, tenant_code, &counted).await {
        return Err(ApiError::TooManyRequests("auth.rate_limited"));
    }
    let hash = password::hash(new).map_err(ApiError::internal)?;
    let (idn, code) = (id_number.to_string(), code.to_string());
    let ok = crate::blocking::run({
        let db = state.db.clone();
        move || {
            db.tenant_anonymous(TenantId(tenant.id), |tx| {
                let pending = public_accounts::pending_activation(tx, &idn)?;
                let (id, stored, expires) = match pending {
                    Some((id, stored, expires)) => (Some(id), stored, expires),
                    None => (None, None, None),
                };
                let grouped = if code.len() == 12 { format!("{}-{}-{}", &code[0..4], &code[4..8], &code[8..12]) } else { code.clone() };
                let matches = password::verify(&grouped, stored.as_deref().unwrap_or(password::dummy_hash()));
                let live = expires.is_some_and(|e| e > Utc::now());
                match id {
                    Some(id) if matches && live => {
                        public_accounts::activate(tx, id, &hash)?;
                        Ok(true)
                    }
                    Some(id) => {
                        public_accounts::record_failure(tx, id)?;
                        Ok(false)
                    }
                    None => Ok(false),
                }
            })
        }
    })
    .await?;
    if ok {
        state.limiter.record_success(ip, tenant_code, &counted).await;
        Ok(())
    } else {
        state.limiter.record_failure(ip, tenant_code, &counted).await;
        Err(ApiError::field("code", "account.activation_invalid"))
    }
}

/// `GET /portal/transfer`: the person asks this city (where they now work) to bring their pension
/// here from another city of Henan; their requests and the clerks' answers.
pub async fn transfer_form(pg: PortalPage) -> PortalResult {
    pg.who.require_person()?;
    render_transfer(&pg, StatusCode::OK, json!({})).await
}

async fn render_transfer(pg: &PortalPage, status: StatusCode, errors: Value) -> PortalResult {
    let page = pg.ctx();
    let (held, mine) =
        pg.who.db(|tx| Ok((persons::held_elsewhere(tx)?, jinbao_store::repo::public_applications::list(tx, None, 1, 50)?.items))).await?;
    let en = page.lang == crate::i18n::Lang::En;
    let mut ctx = page.base("transfer", "portal.transfer.title").await;
    ctx.insert(
        "cities".into(),
        json!(held
            .iter()
            .filter(|h| h.pension_months > h.transferred_months)
            .map(|h| json!({"code": h.tenant_code, "name": if en { &h.name_en } else { &h.name_zh }, "held": h.pension_months - h.transferred_months}))
            .collect::<Vec<_>>()),
    );
    ctx.insert("rows".into(), json!(mine.iter().map(|a| super::employer::application_json(&page, a)).collect::<Vec<_>>()));
    ctx.insert("errors".into(), errors);
    Ok(page.render(status, "portal/transfer", &ctx))
}

/// `POST /portal/transfer`: files the request (one waiting request per city; sending it twice
/// files it once).
pub async fn transfer_apply(pg: PortalPage, body: web::Bytes) -> PortalResult {
    pg.who.require_person()?;
    let f = Fields::parse(&body);
    pg.check_csrf(&f.get("csrf"))?;
    let from = f.get("from_city");
    let reason = jinbao_domain::text::printable(&f.get("reason"), 200);
    let held = pg.who.db(persons::held_elsewhere).await?;
    if !held.iter().any(|h| h.tenant_code == from && h.pension_months > h.transferred_months) {
        let page = pg.ctx();
        let errors = page.field_messages(&[FieldProblem { field: "from_city".into(), code: "portal.transfer.no_months".into() }]);
        return render_transfer(&pg, StatusCode::UNPROCESSABLE_ENTITY, errors).await;
    }
    heavy(&pg).await?;
    let payload = json!({"from_city": from, "reason": reason});
    let hash = jinbao_app::enrolment::request_hash(&[("from_city", from.as_str())]);
    pg.who.db(move |tx| jinbao_store::repo::public_applications::submit(tx, "transfer_in", &payload, &hash)).await?;
    Ok(redirect("/portal/transfer"))
}
