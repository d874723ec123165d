//! `/medical`: employees' medical bills (医疗费用结算) — a clerk enters the bill's lines, previews the
//! split into fund, serious-illness insurance, personal account and self-paid parts with the rule of
//! each, and proposes it; a reviewer who did not propose it approves (the account is paid, the year's
//! figures grow) or rejects. Personal accounts (个人账户) with their entries, and the month's credits.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use jinbao_app::medical::{self, Outcome, SettlementInput};
use jinbao_domain::Fen;
use jinbao_store::repo::medical as repo;
use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::page::{Page, PageResult};
use super::render::{field_messages, opt, page_links, redirect, Form, PageCtx};
use crate::auth::{Permission, Principal};
use crate::error::ApiError;

fn can_see(who: &Principal) -> bool {
    who.handles_benefits()
}

fn yuan(v: &Value) -> String {
    v.as_i64().map(|f| Fen(f).to_string()).unwrap_or_default()
}

/// The parts of a settlement's calculation, each with its payer and rule in the reader's language.
fn parts(page: &PageCtx<'_>, calculation: &Value) -> Vec<Value> {
    calculation["parts"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| {
            json!({"payer": page.t(&format!("medical.payers.{}", p["payer"].as_str().unwrap_or(""))),
                   "rule": page.t(&format!("medical.rules.{}", p["rule"].as_str().unwrap_or(""))), "amount": yuan(&p["amount"])})
        })
        .collect()
}

fn figures(page: &PageCtx<'_>, s: &repo::NewSettlement) -> Value {
    json!({"total": Fen(s.total_fen).to_string(), "fund": Fen(s.fund_fen).to_string(), "serious": Fen(s.serious_fen).to_string(),
           "account": Fen(s.account_fen).to_string(), "person": Fen(s.person_fen).to_string(), "retiree": s.retiree,
           "deductible": yuan(&s.calculation["deductible"]), "fund_percent": format!("{}%", s.calculation["fund_percent"].as_i64().unwrap_or(0) as f64 / 100.0),
           "cap_room": yuan(&s.calculation["cap_room"]), "parts": parts(page, &s.calculation),
           "balance_before": yuan(&s.inputs["account_balance_fen"]), "params_from": s.inputs["params_from"]})
}

fn view(page: &PageCtx<'_>, s: &repo::Settlement, who: &Principal) -> Value {
    json!({"id": s.id, "person_id": s.person_id, "person_name": s.person_name, "setting_label": page.t(&format!("medical.settings.{}", s.setting)),
           "hospital": s.hospital, "level": s.hospital_level, "admitted_on": s.admitted_on.map(|d| d.to_string()),
           "bill_date": s.bill_date.to_string(), "retiree": s.retiree, "total": Fen(s.total_fen).to_string(),
           "fund": Fen(s.fund_fen).to_string(), "serious": Fen(s.serious_fen).to_string(), "account": Fen(s.account_fen).to_string(),
           "person": Fen(s.person_fen).to_string(), "status": s.status, "status_label": page.t(&format!("medical.statuses.{}", s.status)),
           "proposed_by": s.proposed_by_name, "proposed_at": s.proposed_at.format("%Y-%m-%d %H:%M").to_string(),
           "decided_by": s.decided_by_name, "decided_at": s.decided_at.map(|t| t.format("%Y-%m-%d %H:%M").to_string()),
           "decision_note": s.decision_note, "url": format!("/medical/{}", s.id),
           "deductible": yuan(&s.calculation["deductible"]), "fund_percent": format!("{}%", s.calculation["fund_percent"].as_i64().unwrap_or(0) as f64 / 100.0),
           "cap_room": yuan(&s.calculation["cap_room"]), "balance_before": yuan(&s.inputs["account_balance_fen"]),
           "params_from": s.inputs["params_from"], "parts": parts(page, &s.calculation),
           "lines": s.lines.as_array().into_iter().flatten().map(|l| json!({"code": l["code"], "class": l["class"], "amount": yuan(&l["amount"])})).collect::<Vec<_>>(),
           "can_decide": s.status == "proposed" && who.can(Permission::BenefitApprove) && s.proposed_by != who.user_id,
           "own": s.status == "proposed" && s.proposed_by == who.user_id})
}

#[derive(Deserialize)]
pub struct ListQuery {
    status: Option<String>,
    page: Option<i64>,
    /// After crediting a month: what was credited (numbers only, the message is ours).
    credited: Option<u64>,
    retirees: Option<u64>,
    period: Option<String>,
}

pub async fn list(pg: Page, q: web::Query<ListQuery>) -> PageResult {
    if !can_see(&pg.who) {
        return Err(ApiError::Forbidden.into());
    }
    let page = pg.ctx();
    render_list(&page, &pg.who, q.into_inner(), StatusCode::OK, json!({}), json!({})).await
}

async fn render_list(page: &PageCtx<'_>, who: &Principal, q: ListQuery, status: StatusCode, errors: Value, values: Value) -> PageResult {
    if !can_see(who) {
        return Err(ApiError::Forbidden.into());
    }
    let filter =
        q.status.clone().filter(|s| ["proposed", "approved", "rejected", "all"].contains(&s.as_str())).unwrap_or_else(|| "proposed".into());
    let n = q.page.unwrap_or(1).clamp(1, 100_000);
    let wanted = (filter != "all").then(|| filter.clone());
    let (found, versions) =
        who.db(move |tx| Ok((repo::list(tx, wanted.as_deref(), None, n, 20)?, jinbao_store::repo::catalogue::versions(tx)?))).await?;
    let items: Vec<Value> = found.items.iter().map(|s| view(page, s, who)).collect();
    let (prev, next) = page_links("/medical", &[("status", &filter)], found.page, found.has_more);
    let mut ctx = page.base("medical", "medical.title", None).await;
    ctx.insert("status".into(), json!(filter));
    ctx.insert("results".into(), json!({"items": items, "prev_url": prev, "next_url": next}));
    ctx.insert("can_propose".into(), json!(who.can(Permission::BenefitPropose)));
    ctx.insert("can_credit".into(), json!(who.can(Permission::PaymentRun)));
    ctx.insert("can_catalogue".into(), json!(can_import(who)));
    ctx.insert(
        "versions".into(),
        json!(versions
            .iter()
            .take(10)
            .map(|v| json!({"version": v.version, "from": v.effective_from.format("%Y-%m").to_string(), "items": v.items,
                            "imported": v.imported_at.format("%Y-%m-%d").to_string()}))
            .collect::<Vec<_>>()),
    );
    if let (Some(n), Some(r), Some(m)) = (q.credited, q.retirees, q.period.as_deref().and_then(|p| p.parse::<jinbao_domain::Period>().ok()))
    {
        let said =
            page.t("medical.credited").replace("{n}", &n.to_string()).replace("{r}", &r.to_string()).replace("{period}", &m.to_string());
        ctx.insert("credited".into(), json!(said));
    }
    ctx.insert("errors".into(), errors);
    ctx.insert("values".into(), values);
    Ok(page.render(status, "medical/list", &ctx))
}

async fn render_new(page: &PageCtx<'_>, status: StatusCode, values: Value, errors: Value, preview: Option<Value>) -> HttpResponse {
    let mut ctx = page.base("medical", "medical.new_title", None).await;
    // Line problems are named by their line (`lines[2].amount` → line 3).
    let line_errors: Vec<String> = errors
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(k, _)| k.starts_with("lines"))
        .map(|(k, v)| {
            let n = k.strip_prefix("lines[").and_then(|r| r.split(']').next()).and_then(|i| i.parse::<usize>().ok());
            match n {
                Some(i) => format!("{} {}: {}", page.t("medical.line"), i + 1, v.as_str().unwrap_or("")),
                None => v.as_str().unwrap_or("").to_string(),
            }
        })
        .collect();
    ctx.insert("line_errors".into(), json!(line_errors));
    if let Some(case) =
        values["injury_case_id"].as_str().map(str::to_string).or_else(|| values["injury_case_id"].as_i64().map(|i| i.to_string()))
    {
        ctx.insert("injury_case_label".into(), json!(page.t("medical.injury_case").replace("{id}", &case)));
    }
    ctx.insert("values".into(), values);
    ctx.insert("errors".into(), errors);
    ctx.insert("preview".into(), preview.unwrap_or(Value::Null));
    page.render(status, "medical/new", &ctx)
}

#[derive(Deserialize)]
pub struct NewQuery {
    person_id: Option<i64>,
    injury_case_id: Option<i64>,
}

pub async fn new_form(pg: Page, q: web::Query<NewQuery>) -> PageResult {
    pg.require(Permission::BenefitPropose)?;
    let page = pg.ctx();
    let values = json!({"person_id": q.person_id, "setting": "inpatient", "hospital_level": "3", "injury_case_id": q.injury_case_id});
    Ok(render_new(&page, StatusCode::OK, values, json!({}), None).await)
}

pub async fn create(pg: Page, form: Form) -> PageResult {
    pg.require(Permission::BenefitPropose)?;
    pg.check_csrf(&form)?;
    let page = pg.ctx();
    let values = json!(form.iter().filter(|(k, _)| k.as_str() != "csrf").map(|(k, v)| (k.clone(), json!(v))).collect::<Map<_, _>>());
    let input = SettlementInput::from_form(&form);
    let (preview, today) = (form.contains_key("preview"), chrono::Utc::now().date_naive());
    Ok(match pg.who.db_checked(move |tx| medical::propose(tx, &input, today, preview)).await {
        Ok(Outcome::Saved(s)) => redirect(&format!("/medical/{}", s.id)),
        Ok(Outcome::Preview(s)) => render_new(&page, StatusCode::OK, values, json!({}), Some(figures(&page, &s))).await,
        Err(ApiError::Validation(ps)) => {
            render_new(&page, StatusCode::UNPROCESSABLE_ENTITY, values, field_messages(&pg.state, page.lang, &ps), None).await
        }
        Err(ApiError::Conflict(p)) => {
            render_new(&page, StatusCode::CONFLICT, values, field_messages(&pg.state, page.lang, &[p]), None).await
        }
        Err(e) => return Err(e.into()),
    })
}

async fn render_detail(page: &PageCtx<'_>, who: &Principal, id: i64, status: StatusCode, errors: Value) -> PageResult {
    let s = who.db(move |tx| repo::get(tx, id)).await?;
    let mut ctx = page.base("medical", "medical.title", None).await;
    ctx.insert("s".into(), view(page, &s, who));
    ctx.insert("errors".into(), errors);
    let mut res = page.render(status, "medical/detail", &ctx);
    res.headers_mut().insert(actix_web::http::header::CACHE_CONTROL, actix_web::http::header::HeaderValue::from_static("no-store"));
    Ok(res)
}

pub async fn detail(pg: Page, path: web::Path<i64>) -> PageResult {
    if !can_see(&pg.who) {
        return Err(ApiError::Forbidden.into());
    }
    let page = pg.ctx();
    render_detail(&page, &pg.who, path.into_inner(), StatusCode::OK, json!({})).await
}

pub async fn decide(pg: Page, path: web::Path<(i64, String)>, form: Form) -> PageResult {
    pg.require(Permission::BenefitApprove)?;
    pg.check_csrf(&form)?;
    let page = pg.ctx();
    let (id, action) = path.into_inner();
    let approve = match action.as_str() {
        "approve" => true,
        "reject" => false,
        _ => return Err(ApiError::NotFound.into()),
    };
    let note = opt(&form, "note");
    let say = |code: &str| json!({"note": pg.state.catalog.error(page.lang, code)});
    if let Some(code) = super::render::note_problem(approve, note.as_deref()) {
        return render_detail(&page, &pg.who, id, StatusCode::UNPROCESSABLE_ENTITY, say(code)).await;
    }
    match pg.who.db(move |tx| repo::decide(tx, id, approve, note.as_deref())).await {
        Ok(_) => Ok(redirect(&format!("/medical/{id}"))),
        Err(ApiError::Validation(ps)) => {
            render_detail(&page, &pg.who, id, StatusCode::UNPROCESSABLE_ENTITY, field_messages(&pg.state, page.lang, &ps)).await
        }
        Err(ApiError::Conflict(p)) => {
            render_detail(&page, &pg.who, id, StatusCode::CONFLICT, field_messages(&pg.state, page.lang, &[p])).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /medical/accounts/{person}`: the balance and the latest entries.
pub async fn account(pg: Page, path: web::Path<i64>) -> PageResult {
    if !can_see(&pg.who) {
        return Err(ApiError::Forbidden.into());
    }
    let page = pg.ctx();
    let person_id = path.into_inner();
    let (person, balance, entries) = pg
        .who
        .db(move |tx| {
            let p = jinbao_store::repo::persons::get(tx, person_id)?;
            Ok((p, repo::account_balance(tx, person_id)?, repo::account_entries(tx, person_id, 200)?))
        })
        .await?;
    let mut ctx = page.base("medical", "medical.account_title", None).await;
    ctx.insert("person".into(), json!({"id": person.id, "name": person.name}));
    ctx.insert("balance".into(), json!(Fen(balance).to_string()));
    ctx.insert(
        "entries".into(),
        json!(entries
            .iter()
            .map(|e| json!({"kind": page.t(&format!("medical.entries.{}", e.kind)), "period": e.period.format("%Y-%m").to_string(),
                            "amount": Fen(e.amount_fen).to_string(), "balance": Fen(e.balance_fen).to_string(),
                            "settlement_url": e.settlement_id.map(|s| format!("/medical/{s}"))}))
            .collect::<Vec<_>>()),
    );
    let mut res = page.render(StatusCode::OK, "medical/account", &ctx);
    res.headers_mut().insert(actix_web::http::header::CACHE_CONTROL, actix_web::http::header::HeaderValue::from_static("no-store"));
    Ok(res)
}

/// `POST /medical/credits`: credits the personal accounts of a month.
pub async fn credit(pg: Page, form: Form) -> PageResult {
    pg.require(Permission::PaymentRun)?;
    pg.check_csrf(&form)?;
    let page = pg.ctx();
    let period = opt(&form, "period");
    let today = chrono::Utc::now().date_naive();
    let wanted = period.clone();
    match pg.who.db_checked(move |tx| medical::credit_month(tx, wanted.as_deref(), today)).await {
        Ok(c) => Ok(redirect(&format!(
            "/medical?credited={}&retirees={}&period={}",
            c.contributions,
            c.retirees,
            super::render::url_encode(period.as_deref().unwrap_or(""))
        ))),
        Err(ApiError::Validation(ps)) => {
            let q = ListQuery { status: None, page: None, credited: None, retirees: None, period: None };
            render_list(
                &page,
                &pg.who,
                q,
                StatusCode::UNPROCESSABLE_ENTITY,
                field_messages(&pg.state, page.lang, &ps),
                json!({"period": period}),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

fn can_import(who: &Principal) -> bool {
    who.can(Permission::CatalogueImport) && who.claims.tcode == "410000"
}

async fn render_catalogue(
    page: &PageCtx<'_>,
    who: &Principal,
    status: StatusCode,
    errors: Value,
    values: Value,
    rows: Vec<String>,
) -> PageResult {
    let versions = who.db(jinbao_store::repo::catalogue::versions).await?;
    let mut ctx = page.base("medical", "medical.catalogue_title", None).await;
    ctx.insert(
        "versions".into(),
        json!(versions
            .iter()
            .map(|v| json!({"version": v.version, "from": v.effective_from.format("%Y-%m").to_string(), "items": v.items,
                            "imported": v.imported_at.format("%Y-%m-%d").to_string()}))
            .collect::<Vec<_>>()),
    );
    ctx.insert("can_catalogue".into(), json!(can_import(who)));
    ctx.insert("errors".into(), errors);
    ctx.insert("values".into(), values);
    ctx.insert("row_errors".into(), json!(rows));
    Ok(page.render(status, "medical/catalogue", &ctx))
}

/// `GET /medical/catalogue`: the versions, and for the province the form to import one.
pub async fn catalogue_page(pg: Page) -> PageResult {
    if !can_see(&pg.who) && !can_import(&pg.who) {
        return Err(ApiError::Forbidden.into());
    }
    let page = pg.ctx();
    render_catalogue(&page, &pg.who, StatusCode::OK, json!({}), json!({}), Vec::new()).await
}

/// `POST /medical/catalogue`: the province imports a version of the catalogue from a CSV file.
pub async fn catalogue_upload(pg: Page, payload: actix_multipart::Multipart) -> PageResult {
    pg.require(Permission::CatalogueImport)?;
    if !can_import(&pg.who) {
        return Err(ApiError::ForbiddenBecause("catalogue.province_only").into());
    }
    let form = super::upload_form::read(payload, jinbao_app::catalogue::MAX_TEXT, &pg.who).await?;
    let page = pg.ctx();
    let values = json!({"version": form.text("version"), "effective_from": form.text("effective_from")});
    let say = |code: &str| pg.state.catalog.error(page.lang, code);
    let refuse = |status, errors, rows| render_catalogue(&page, &pg.who, status, errors, values.clone(), rows);
    if form.too_large {
        return refuse(StatusCode::UNPROCESSABLE_ENTITY, json!({"file": say("upload.too_large")}), Vec::new()).await;
    }
    let prepared = jinbao_app::catalogue::prepare(Some(form.text("version")), Some(form.text("effective_from")), &form.file);
    let ready = match prepared {
        Ok(jinbao_app::catalogue::Outcome::Ready(v)) => v,
        Ok(jinbao_app::catalogue::Outcome::Refused(problems)) => {
            let rows =
                problems.iter().take(50).map(|p| format!("{} {}: {} · {}", page.t("medical.line"), p.row, p.value, say(&p.code))).collect();
            return refuse(StatusCode::UNPROCESSABLE_ENTITY, json!({}), rows).await;
        }
        Err(e) => match ApiError::from(e) {
            ApiError::Validation(ps) => {
                return refuse(StatusCode::UNPROCESSABLE_ENTITY, field_messages(&pg.state, page.lang, &ps), Vec::new()).await
            }
            e => return Err(e.into()),
        },
    };
    match pg.who.db_checked(move |tx| jinbao_app::catalogue::record(tx, &ready)).await {
        Ok(_) => Ok(redirect("/medical/catalogue")),
        Err(ApiError::Conflict(p)) => refuse(StatusCode::CONFLICT, field_messages(&pg.state, page.lang, &[p]), Vec::new()).await,
        Err(e) => Err(e.into()),
    }
}
