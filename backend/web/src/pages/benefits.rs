//! `/benefits`: clerks propose benefits (pension, unemployment, maternity) with a preview of the
//! calculation; reviewers see the queue of proposals and approve or reject each with a note; the
//! claim page shows every figure of the calculation and prints.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use jinbao_domain::Fen;
use jinbao_store::kinds::{ClaimStatus, Decision};
use jinbao_store::repo::benefits::{self, Claim};
use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::page::{Page, PageResult};
use super::render::{check_csrf, field, field_messages, opt, page_links, redirect, Form, PageCtx};
use crate::auth::{Permission, Principal};
use crate::error::ApiError;
use jinbao_app::benefits::proposal::{self, ProposalInput, Proposed};
use jinbao_app::FieldProblem;

#[derive(Deserialize)]
pub struct ListQuery {
    status: Option<String>,
    page: Option<i64>,
    /// After a recalculation: revisions proposed and pensions examined.
    recalculated: Option<u32>,
    examined: Option<u32>,
}

fn can_see(who: &Principal) -> bool {
    who.handles_benefits()
}

pub fn claim_view(page: &PageCtx<'_>, c: &Claim, who: &Principal) -> Value {
    json!({"id": c.id, "person_id": c.person_id, "person_name": c.person_name, "kind": c.kind,
           "kind_label": page.t(&format!("benefits.kinds.{}", c.kind)), "status": c.status,
           "status_label": page.t(&format!("benefits.statuses.{}", c.status)), "amount": Fen(c.amount_fen).to_string(),
           "monthly": c.monthly, "start_period": c.start_period.format("%Y-%m").to_string(),
           "end_period": c.end_period.map(|d| d.format("%Y-%m").to_string()),
           "channel_label": page.t(&format!("benefits.channels.{}", c.channel)), "bank_name": c.bank_name,
           "account_shown": super::channel_changes::account(who, c.account_no.as_deref()),
           "post_address": c.post_address, "proposed_by": c.proposed_by_name, "proposed_at": c.proposed_at.format("%Y-%m-%d %H:%M").to_string(),
           "decided_by": c.decided_by_name, "decided_at": c.decided_at.map(|t| t.format("%Y-%m-%d %H:%M").to_string()),
           "decision_note": c.decision_note, "office": c.office_name, "url": format!("/benefits/{}", c.id),
           "can_decide": c.status == ClaimStatus::Proposed && who.can(Permission::BenefitApprove) && Some(c.proposed_by) != Some(who.user_id),
           "own": c.proposed_by == who.user_id && c.status == ClaimStatus::Proposed,
           "calculation": c.calculation, "inputs": c.inputs})
}

pub async fn list(pg: Page, q: web::Query<ListQuery>) -> PageResult {
    let Page { state, req, who } = pg;
    let page = PageCtx::new(&state, &req, Some(&who));
    if !can_see(&who) {
        return Err(ApiError::Forbidden.into());
    }
    // `all`, a status, or (anything else) the proposals waiting for a decision.
    let status = q.status.clone().filter(|s| s == "all" || ClaimStatus::parse(s).is_some()).unwrap_or_else(|| "proposed".into());
    let n = q.page.unwrap_or(1).clamp(1, 100_000);
    let filter = ClaimStatus::parse(&status);
    let found = who.db(move |tx| benefits::list(tx, filter, None, n, 20)).await?;
    let items: Vec<Value> = found.items.iter().map(|c| claim_view(&page, c, &who)).collect();
    let (prev, next) = page_links("/benefits", &[("status", &status)], found.page, found.has_more);
    let mut ctx = page.base("benefits", "benefits.title", None).await;
    ctx.insert("status".into(), json!(status));
    ctx.insert("results".into(), json!({"items": items, "prev_url": prev, "next_url": next}));
    ctx.insert("can_propose".into(), json!(who.can(Permission::BenefitPropose)));
    if let (Some(n), Some(of)) = (q.recalculated, q.examined) {
        ctx.insert(
            "flash".into(),
            json!(page.t("revisions.recalculated_flash").replace("{n}", &n.to_string()).replace("{of}", &of.to_string())),
        );
    }
    Ok(page.render(StatusCode::OK, "benefits/list", &ctx))
}

pub async fn detail(pg: Page, path: web::Path<i64>) -> PageResult {
    let Page { state, req, who } = pg;
    let page = PageCtx::new(&state, &req, Some(&who));
    if !can_see(&who) {
        return Err(ApiError::Forbidden.into());
    }
    let id = path.into_inner();
    Ok(render_detail(&page, &req, &who, id, StatusCode::OK, json!({})).await)
}

async fn render_detail(page: &PageCtx<'_>, req: &HttpRequest, who: &Principal, id: i64, status: StatusCode, errors: Value) -> HttpResponse {
    render_detail_with(page, req, who, id, status, errors, json!({})).await
}

/// The claim page with its payment-channel changes; `values` keeps a refused change form's input.
pub async fn render_detail_with(
    page: &PageCtx<'_>,
    req: &HttpRequest,
    who: &Principal,
    id: i64,
    status: StatusCode,
    errors: Value,
    values: Value,
) -> HttpResponse {
    let claim = match who.db(move |tx| benefits::get(tx, id)).await {
        Ok(c) => c,
        Err(e) => return page.error(req, e).await,
    };
    let changes = super::channel_changes::of_claim(who, id).await;
    let (revisions, adjustments) = super::revisions::of_claim(who, id).await;
    let open_change = changes.iter().any(|c| c.status == Decision::Proposed);
    let mut ctx = page.base("benefits", "benefits.title", None).await;
    ctx.insert("claim".into(), claim_view(page, &claim, who));
    ctx.insert("lines".into(), json!(calculation_lines(page, &claim)));
    ctx.insert("changes".into(), json!(changes.iter().map(|c| super::channel_changes::view(page, who, c)).collect::<Vec<_>>()));
    ctx.insert("revisions".into(), json!(revisions.iter().map(|r| super::revisions::view(page, who, r)).collect::<Vec<_>>()));
    ctx.insert("adjustments".into(), json!(adjustments.iter().map(|a| super::revisions::adjustment_view(page, a)).collect::<Vec<_>>()));
    ctx.insert(
        "can_change_channel".into(),
        json!(!open_change && who.can(Permission::BenefitPropose) && ["approved", "stopped"].contains(&claim.status.as_str())),
    );
    let mut values = values;
    if values.get("channel").is_none_or(Value::is_null) {
        values["channel"] = json!("bank");
    }
    ctx.insert("change".into(), values);
    ctx.insert("errors".into(), errors);
    let mut res = page.render(status, "benefits/detail", &ctx);
    res.headers_mut().insert(actix_web::http::header::CACHE_CONTROL, actix_web::http::header::HeaderValue::from_static("no-store"));
    res
}

/// The calculation as label/value lines, amounts in yuan.
fn calculation_lines(page: &PageCtx<'_>, c: &Claim) -> Vec<Value> {
    let k = &c.calculation;
    let yuan = |v: &Value| v.as_i64().map(|f| Fen(f).to_string()).unwrap_or_default();
    let line = |key: &str, value: String| json!({"label": page.t(&format!("benefits.calc.{key}")), "value": value});
    match c.kind.as_str() {
        "pension" => {
            let mut out = vec![
                line(
                    "retirement",
                    format!(
                        "{} ({}y{}m)",
                        k["retirement"]["period"].as_str().unwrap_or(""),
                        k["retirement"]["age_years"],
                        k["retirement"]["age_months"]
                    ),
                ),
                line("months", format!("{} + {} = {}", k["months"]["actual"], k["months"]["deemed"], k["months"]["total"])),
                line("average_index", format!("{:.4}", k["result"]["average_index_bp"].as_f64().unwrap_or(0.0) / 10_000.0)),
                line("payout_base", format!("{} ({})", yuan(&k["payout_base"]["fen"]), k["payout_base"]["year"])),
                line("account_balance", yuan(&k["account"]["balance_fen"])),
                line("divisor", k["result"]["divisor_months"].to_string()),
                line("basic", yuan(&k["result"]["basic"])),
                line("account_part", yuan(&k["result"]["account"])),
                line("transitional", yuan(&k["result"]["transitional"])),
            ];
            for y in k["years"].as_array().into_iter().flatten() {
                let wages: Vec<String> = y["reference_wages_fen"].as_array().into_iter().flatten().map(&yuan).collect();
                out.push(json!({"label": format!("{} · {}", page.t("benefits.calc.year"), y["year"]),
                                "value": format!("{} × {}m / {} → {:.4}", yuan(&y["avg_base_fen"]), y["months"], wages.join(" / "),
                                                 y["index_bp"].as_f64().unwrap_or(0.0) / 10_000.0)}));
            }
            for y in k["account"]["years"].as_array().into_iter().flatten() {
                out.push(json!({"label": format!("{} · {}", page.t("benefits.calc.account"), y["year"]),
                                "value": format!("{} + {} + {} ({:.2}%{}, {}/12) = {}", yuan(&y["opening"]), yuan(&y["credits"]), yuan(&y["interest"]),
                                                 y["rate"].as_f64().unwrap_or(0.0) / 100.0,
                                                 if y["provisional"].as_bool() == Some(true) { page.t("benefits.calc.provisional") } else { String::new() },
                                                 y["interest_months"], yuan(&y["closing"]))}));
            }
            out
        }
        "unemployment" => {
            let mut out = vec![line("contributed_months", k["contributed_months"].to_string())];
            if let Some(after) = k["restart_after"].as_str() {
                out.push(line("restart_after", after.to_string()));
            }
            out.extend([
                line("entitled_months", format!("{} (+{})", k["entitled_months"], k["unused_prior_months"])),
                line("wage_class", format!("{} ({})", k["wage_class"], k["county_code"].as_str().unwrap_or("—"))),
                line("min_wage", format!("{} ({})", yuan(&k["min_wage_fen"]), k["min_wage_from"].as_str().unwrap_or(""))),
                line("percent", format!("{}%", k["percent_bp"].as_i64().unwrap_or(0) as f64 / 100.0)),
            ]);
            out
        }
        k if k.starts_with("injury_") => injury_lines(page, &c.calculation),
        _ => vec![
            line("employer_avg_wage", format!("{} ({})", yuan(&k["employer_avg_wage_fen"]), k["wage_source"].as_str().unwrap_or(""))),
            line("leave_days", format!("{} / {}", k["leave"]["paid"], k["leave"]["total"])),
        ],
    }
}

/// The figures of a work-injury benefit's calculation as label/value lines, amounts in yuan.
pub fn injury_lines(page: &PageCtx<'_>, k: &Value) -> Vec<Value> {
    let yuan = |v: &Value| v.as_i64().map(|f| Fen(f).to_string()).unwrap_or_default();
    let line = |key: &str, value: String| json!({"label": page.t(&format!("injury.calc.{key}")), "value": value});
    let mut out = Vec::new();
    let w = &k["wage"];
    if !w.is_null() {
        out.push(line("wage_average", format!("{} ({} {})", yuan(&w["average"]), w["months"], page.t("injury.calc.months"))));
        out.push(line("wage_bounds", format!("{} – {} ({})", yuan(&w["floor"]), yuan(&w["ceiling"]), yuan(&w["city_average"]))));
        out.push(line("wage", yuan(&w["wage"])));
    }
    if !k["grade"].is_null() {
        out.push(line("subsidy", format!("{} × {} = {}", yuan(&w["wage"]), k["months"], yuan(&k["amount_fen"]))));
    }
    let a = &k["allowance"];
    if !a.is_null() {
        out.push(line("allowance", format!("{} × {}% = {}", yuan(&w["wage"]), a["percent"], yuan(&a["computed"]))));
        out.push(line("min_wage", yuan(&a["min_wage"])));
    }
    let n = &k["nursing"];
    if !n.is_null() {
        out.push(line("nursing", format!("{} × {}% = {}", yuan(&n["city_average"]), n["percent"], yuan(&n["amount"]))));
    }
    if !k["months"].is_null() && k["grade"].is_null() {
        out.push(line("funeral", format!("{} × {} = {}", yuan(&k["city_average_fen"]), k["months"], yuan(&k["amount_fen"]))));
    }
    for s in k["survivors"]["shares"].as_array().into_iter().flatten() {
        out.push(json!({"label": format!("{} · {}", s["name"].as_str().unwrap_or(""), page.t(&format!("injury.relations.{}", s["relation"].as_str().unwrap_or("")))),
                        "value": format!("{}% → {} → {}", s["percent"], yuan(&s["computed"]), yuan(&s["amount"]))}));
    }
    if k["survivors"]["capped"].as_bool() == Some(true) {
        out.push(line("survivors_capped", format!("{} → {}", yuan(&k["survivors"]["computed_total"]), yuan(&k["survivors"]["total"]))));
    }
    if !k["disposable_income_fen"].is_null() {
        out.push(line(
            "death",
            format!("{} ({}) × {} = {}", yuan(&k["disposable_income_fen"]), k["income_year"], k["years"], yuan(&k["amount_fen"])),
        ));
    }
    if let Some(p) = k["payer"].as_str() {
        out.push(line("payer", page.t(&format!("injury.payers.{p}"))));
    }
    out
}

pub async fn decide(pg: Page, path: web::Path<(i64, String)>, form: Form) -> PageResult {
    let Page { state, req, who } = pg;
    let page = PageCtx::new(&state, &req, Some(&who));
    who.require(Permission::BenefitApprove).and_then(|_| check_csrf(&who, &form))?;
    let (id, action) = path.into_inner();
    let approve = match action.as_str() {
        "approve" => true,
        "reject" => false,
        _ => return Err(ApiError::NotFound.into()),
    };
    let note = opt(&form, "note");
    if let Some(code) = super::render::note_problem(approve, note.as_deref()) {
        let errors = json!({"note": state.catalog.error(page.lang, code)});
        return Ok(render_detail(&page, &req, &who, id, StatusCode::UNPROCESSABLE_ENTITY, errors).await);
    }
    Ok(match who.db(move |tx| benefits::decide(tx, id, approve, note.as_deref())).await {
        Ok(_) => redirect(&format!("/benefits/{id}")),
        Err(ApiError::Validation(ps)) => {
            let errors = field_messages(&state, page.lang, &ps);
            render_detail(&page, &req, &who, id, StatusCode::UNPROCESSABLE_ENTITY, errors).await
        }
        Err(e) => return Err(e.into()),
    })
}

#[derive(Deserialize)]
pub struct NewQuery {
    kind: Option<String>,
    person_id: Option<i64>,
}

pub async fn new(pg: Page, q: web::Query<NewQuery>) -> PageResult {
    let Page { state, req, who } = pg;
    let page = PageCtx::new(&state, &req, Some(&who));
    who.require(Permission::BenefitPropose)?;
    let kind =
        q.kind.clone().filter(|k| ["pension", "unemployment", "maternity"].contains(&k.as_str())).unwrap_or_else(|| "pension".into());
    let mut values = json!({"kind": kind, "person_id": q.person_id, "channel": "bank", "babies": "1"});
    // The social security card's financial account is the default channel (the proposal and its
    // approval by another person decide it, as for any account).
    if let Some(pid) = q.person_id {
        if let Ok(Some(card)) = who.db(move |tx| jinbao_store::repo::cards::paying_card(tx, pid)).await {
            values["bank_name"] = json!(card.bank_name);
            values["account_no"] = json!(card.account_no);
            values["from_card"] = json!(true);
        }
    }
    Ok(render_new(&page, StatusCode::OK, values, json!({}), None).await)
}

async fn render_new(page: &PageCtx<'_>, status: StatusCode, values: Value, errors: Value, preview: Option<Value>) -> HttpResponse {
    let mut ctx = page.base("benefits", "benefits.new_title", None).await;
    let kind = values["kind"].as_str().unwrap_or("pension").to_string();
    ctx.insert("is_pension".into(), json!(kind == "pension"));
    ctx.insert("is_unemployment".into(), json!(kind == "unemployment"));
    ctx.insert("is_maternity".into(), json!(kind == "maternity"));
    ctx.insert("values".into(), values);
    ctx.insert("errors".into(), errors);
    ctx.insert("preview".into(), preview.unwrap_or(Value::Null));
    page.render(status, "benefits/new", &ctx)
}

/// The form posts every field as text; the preview button computes without saving.
pub async fn create(pg: Page, form: Form) -> PageResult {
    pg.require(Permission::BenefitPropose)?;
    pg.check_csrf(&form)?;
    let page = pg.ctx();
    let values = json!(form.iter().filter(|(k, _)| k.as_str() != "csrf").map(|(k, v)| (k.clone(), json!(v))).collect::<Map<_, _>>());
    let Ok(person_id) = field(&form, "person_id").parse::<i64>() else {
        let errors = json!({"person_id": pg.state.catalog.error(page.lang, "required")});
        return Ok(render_new(&page, StatusCode::UNPROCESSABLE_ENTITY, values, errors, None).await);
    };
    let input = ProposalInput::from_form(&field(&form, "kind"), person_id, &form)?;
    let (preview, today) = (form.contains_key("preview"), chrono::Utc::now().date_naive());
    let shown = |ps: &[FieldProblem]| field_messages(&pg.state, page.lang, ps);
    Ok(match pg.who.db_checked(move |tx| proposal::propose(tx, &input, today, preview)).await {
        Ok(Proposed::Saved(c)) => redirect(&format!("/benefits/{}", c.id)),
        Ok(Proposed::Preview(c)) => {
            let figures = json!({"amount": Fen(c.amount_fen).to_string(), "monthly": c.monthly,
                                 "start_period": c.start_period.format("%Y-%m").to_string(), "calculation": c.calculation});
            render_new(&page, StatusCode::OK, values, json!({}), Some(figures)).await
        }
        Err(ApiError::Validation(ps)) => render_new(&page, StatusCode::UNPROCESSABLE_ENTITY, values, shown(&ps), None).await,
        Err(ApiError::Conflict(p)) => render_new(&page, StatusCode::CONFLICT, values, shown(&[p]), None).await,
        Err(e) => return Err(e.into()),
    })
}

/// Proposals waiting for a decision, for the reviewer queue.
pub async fn pending(who: &Principal) -> Vec<Claim> {
    if !who.can(Permission::BenefitApprove) {
        return Vec::new();
    }
    who.db(|tx| benefits::list(tx, Some(ClaimStatus::Proposed), None, 1, 50)).await.map(|p| p.items).unwrap_or_default()
}
