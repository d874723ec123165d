//! Monthly assessment (start, live progress, summary), back payments, re-opening, arrears, and
//! the reviewer queue.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use jinbao_domain::{Fen, Period};
use jinbao_store::kinds::{JobStatus, PeriodStatus};
use jinbao_store::repo::assessments;

use crate::jobs::Assessment;
use jinbao_store::repo::{collections, jobs};
use serde::Deserialize;
use serde_json::{json, Value};

use super::page::{Page, PageResult};
use super::render::{check_csrf, field, field_messages, page_links, redirect, Form, PageCtx};
use crate::auth::{Permission, Principal};
use crate::error::{ApiError, Problems};
use jinbao_app::AppError;

fn job_json(page: &PageCtx<'_>, j: &jobs::Job) -> Value {
    let percent = if j.total > 0 {
        (j.done * 100 / j.total).clamp(0, 100)
    } else if j.status == JobStatus::Done {
        100
    } else {
        0
    };
    let summary = j.result.as_ref().filter(|_| j.kind == "assessment").map(|r| {
        json!({"rows_total": r["rows_total"], "rows_written": r["rows_written"], "already_assessed": r["already_assessed"],
               "employer": Fen(r["employer_fen"].as_i64().unwrap_or(0)).to_string(), "employee": Fen(r["employee_fen"].as_i64().unwrap_or(0)).to_string()})
    });
    json!({"id": j.id, "kind_label": page.t(&format!("jobs.kind.{}", j.kind)), "status": j.status, "status_label": page.t(&format!("jobs.status.{}", j.status)),
           "done": j.done, "total": j.total, "percent": percent, "running": j.status == JobStatus::Running, "summary": summary,
           "url": format!("/jobs/{}", j.id), "error": j.error.as_deref().map(|code| page.state.catalog.error(page.lang, code)),
           "import": j.kind.starts_with("import."), "report_url": format!("/api/v1/imports/{}/report.csv", j.id),
           "import_result": if j.kind.starts_with("import.") { j.result.clone() } else { None },
           "statements_result": if j.kind == "rights_statements" { j.result.clone() } else { None },
           "by_year": import_years(j.result.as_ref())})
}

/// An import's reconciliation per year, amounts in yuan, differences marked.
fn import_years(result: Option<&serde_json::Value>) -> Vec<serde_json::Value> {
    let lines = result.and_then(|r| r["by_year"].as_array()).cloned().unwrap_or_default();
    lines
        .iter()
        .map(|y| {
            let n = |k: &str| y[k].as_i64().unwrap_or(0);
            json!({"year": n("year"), "source_rows": n("source_rows"), "platform_rows": n("platform_rows"),
                   "source_yuan": Fen(n("source_fen")).to_string(), "platform_yuan": Fen(n("platform_fen")).to_string(),
                   "differs": n("source_rows") != n("platform_rows") || n("source_fen") != n("platform_fen")})
        })
        .collect()
}

async fn render_index(
    page: &PageCtx<'_>,
    req: &HttpRequest,
    who: &Principal,
    status: StatusCode,
    form: Value,
    errors: Value,
    backpay: Option<String>,
) -> HttpResponse {
    if let Err(e) = who.require(Permission::ContributionRead) {
        return page.error(req, e).await;
    }
    let data = who.db(|tx| Ok((assessments::periods(tx)?, jobs::recent(tx, 10)?))).await;
    let (periods, recent) = match data {
        Ok(d) => d,
        Err(e) => return page.error(req, e).await,
    };
    let mut ctx = page.base("assessments", "assessments.title", None).await;
    let periods: Vec<Value> = periods
        .iter()
        .map(|p| {
            json!({"period": p.period.format("%Y-%m").to_string(), "status_label": page.t(&format!("assessments.status.{}", p.status)),
                   "rows": p.rows_assessed, "assessed_at": p.assessed_at.map(|t| t.with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).expect("offset")).format("%Y-%m-%d %H:%M").to_string()),
                   "reopen_reason": p.reopen_reason, "can_reopen": p.status == PeriodStatus::Assessed})
        })
        .collect();
    ctx.insert("periods".into(), json!(periods));
    ctx.insert("jobs".into(), json!(recent.iter().map(|j| job_json(page, j)).collect::<Vec<_>>()));
    ctx.insert("form".into(), form);
    ctx.insert("errors".into(), errors);
    ctx.insert("backpay_result".into(), json!(backpay));
    page.render(status, "assessments/index", &ctx)
}

pub async fn index(pg: Page) -> PageResult {
    let Page { state, req, who } = pg;
    let page = PageCtx::new(&state, &req, Some(&who));
    let period = Period::of_date(chrono::Utc::now().date_naive()).to_string();
    Ok(render_index(&page, &req, &who, StatusCode::OK, json!({"period": period}), json!({}), None).await)
}

/// Starts a run and goes to its progress page (or to the existing job when already assessed).
pub async fn run(pg: Page, form: Form) -> PageResult {
    let Page { state, req, who } = pg;
    let page = PageCtx::new(&state, &req, Some(&who));
    who.require(Permission::AssessmentRun).and_then(|_| check_csrf(&who, &form))?;
    let mut p = Problems::default();
    let period = jinbao_app::input::period(&mut p, "period", Some(&field(&form, "period")));
    if let Err(AppError::Validation(ps)) = p.finish() {
        let errors = field_messages(&state, page.lang, &ps);
        return Ok(render_index(
            &page,
            &req,
            &who,
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({"period": field(&form, "period")}),
            errors,
            None,
        )
        .await);
    }
    let period = period.expect("checked");
    Ok(match crate::jobs::start_assessment(&state, &who, period).await? {
        Assessment::Done(s) => redirect(&format!("/jobs/{}", s.job_id)),
        Assessment::Running { job_id } => redirect(&format!("/jobs/{job_id}")),
    })
}

/// A job's progress; refreshes itself every 2 s while running (no script needed).
pub async fn job(pg: Page, path: web::Path<String>) -> PageResult {
    let Page { state, req, who } = pg;
    let page = PageCtx::new(&state, &req, Some(&who));
    let Ok(id) = path.parse::<i64>() else { return Err(ApiError::NotFound.into()) };
    who.require(Permission::ContributionRead)?;
    let j = who.db(move |tx| jobs::get(tx, id)).await?;
    let mut ctx = page.base("assessments", "assessments.title", None).await;
    let running = j.status == JobStatus::Running || j.status == JobStatus::Queued;
    ctx.insert("job".into(), job_json(&page, &j));
    ctx.insert("refresh".into(), json!(running));
    let mut res = page.render(StatusCode::OK, "assessments/job", &ctx);
    if running {
        res.headers_mut()
            .insert(actix_web::http::header::HeaderName::from_static("refresh"), actix_web::http::header::HeaderValue::from_static("2"));
    }
    Ok(res)
}

pub async fn reopen(pg: Page, path: web::Path<String>, form: Form) -> PageResult {
    let Page { state, req, who } = pg;
    let page = PageCtx::new(&state, &req, Some(&who));
    who.require(Permission::AssessmentReopen).and_then(|_| check_csrf(&who, &form))?;
    let Ok(period) = path.parse::<Period>() else { return Err(ApiError::NotFound.into()) };
    let reason = field(&form, "reason");
    if reason.chars().count() < 2 {
        let errors = json!({"reason": state.catalog.error(page.lang, "reason.required")});
        return Ok(
            render_index(&page, &req, &who, StatusCode::UNPROCESSABLE_ENTITY, json!({"period": period.to_string()}), errors, None).await
        );
    }
    who.db(move |tx| assessments::reopen(tx, period, &reason)).await?;
    Ok(redirect("/assessments"))
}

pub async fn back_payments(pg: Page, form: Form) -> PageResult {
    let Page { state, req, who } = pg;
    let page = PageCtx::new(&state, &req, Some(&who));
    who.require(Permission::AssessmentRun).and_then(|_| check_csrf(&who, &form))?;
    let Ok(upto) = field(&form, "upto").parse::<Period>() else {
        let errors = json!({"upto": state.catalog.error(page.lang, "period.format")});
        return Ok(render_index(&page, &req, &who, StatusCode::UNPROCESSABLE_ENTITY, json!({}), errors, None).await);
    };
    Ok(match who.db(move |tx| assessments::back_payments(tx, upto)).await {
        Ok(n) => {
            let note = format!("{}: {n}", page.t("assessments.back_payments"));
            render_index(
                &page,
                &req,
                &who,
                StatusCode::OK,
                json!({"period": upto.to_string(), "upto": upto.to_string()}),
                json!({}),
                Some(note),
            )
            .await
        }
        Err(e) => return Err(e.into()),
    })
}

#[derive(Deserialize)]
pub struct ArrearsQuery {
    period: Option<String>,
    page: Option<String>,
}

pub async fn arrears(pg: Page, q: web::Query<ArrearsQuery>) -> PageResult {
    let Page { state, req, who } = pg;
    let page = PageCtx::new(&state, &req, Some(&who));
    who.require(Permission::ContributionRead)?;
    let period_text = q.period.clone().unwrap_or_default();
    let period = period_text.parse::<Period>().ok();
    let n = q.page.as_deref().and_then(|v| v.parse::<i64>().ok()).unwrap_or(1).clamp(1, 100_000);
    let found = who.db(move |tx| collections::arrears(tx, period, None, true, n, 20)).await?;
    let mut ctx = page.base("arrears", "arrears.title", None).await;
    ctx.insert("q".into(), json!({"period": period_text}));
    let (prev, next) = page_links("/arrears", &[("period", &period_text)], found.page, found.has_more);
    let items: Vec<Value> = found
        .items
        .iter()
        .map(|b| {
            json!({"employer_id": b.employer_id, "employer_name": b.employer_name, "period": b.period.format("%Y-%m").to_string(),
                   "due": Fen(b.due_fen).to_string(), "paid": Fen(b.paid_fen).to_string(), "arrears": Fen(b.arrears_fen).to_string(), "credit": Fen(b.credit_fen).to_string()})
        })
        .collect();
    ctx.insert(
        "results".into(),
        json!({"items": items, "page": found.page, "has_more": found.has_more, "prev_url": prev, "next_url": next}),
    );
    Ok(page.render(StatusCode::OK, "arrears", &ctx))
}

/// Items waiting for a reviewer. Today: re-opened assessment periods waiting for a new run.
pub async fn reviews(pg: Page) -> PageResult {
    let Page { state, req, who } = pg;
    let page = PageCtx::new(&state, &req, Some(&who));
    if !who.can(Permission::AssessmentReopen)
        && !who.can(Permission::AuditRead)
        && !who.can(Permission::ContributionRead)
        && !who.can(Permission::BenefitApprove)
    {
        return Err(ApiError::Forbidden.into());
    }
    let periods = who.db(assessments::periods).await?;
    let items: Vec<Value> = periods
        .iter()
        .filter(|p| p.status == PeriodStatus::Reopened)
        .map(|p| {
            json!({"kind_label": page.t("reviews.reopened_period"), "subject": format!("{} · {}", p.period.format("%Y-%m"), p.reopen_reason.clone().unwrap_or_default()),
                   "since": p.assessed_at.map(|t| t.date_naive().to_string()), "url": "/assessments"})
        })
        .collect();
    let mut items = items;
    for c in super::benefits::pending(&who).await {
        items.push(json!({"kind_label": page.t(&format!("benefits.kinds.{}", c.kind)),
                          "subject": format!("{} · {} {}", c.person_name, Fen(c.amount_fen), if c.monthly { page.t("benefits.per_month") } else { String::new() }),
                          "since": c.proposed_at.date_naive().to_string(), "url": format!("/benefits/{}", c.id)}));
    }
    for r in super::revisions::pending(&who).await {
        items.push(json!({"kind_label": page.t("revisions.title"),
                          "subject": format!("{} · {} → {}", r.person_name, Fen(r.old_amount_fen), Fen(r.new_amount_fen)),
                          "since": r.proposed_at.date_naive().to_string(), "url": format!("/benefits/{}#revisions", r.claim_id)}));
    }
    for c in super::channel_changes::pending(&who).await {
        items.push(json!({"kind_label": page.t("channel_changes.title"),
                          "subject": format!("{} · {}", c.person_name, page.t(&format!("benefits.kinds.{}", c.kind))),
                          "since": c.proposed_at.date_naive().to_string(), "url": format!("/benefits/{}#channel-changes", c.claim_id)}));
    }
    let mut ctx = page.base("reviews", "reviews.title", None).await;
    ctx.insert("items".into(), json!(items));
    Ok(page.render(StatusCode::OK, "reviews", &ctx))
}
