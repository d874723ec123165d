//! `/payments` (reviewers): generate the month's batch, download the bank file and the
//! post-office list, upload the returned results. `/finance` (finance viewers): the fund ledger.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use jinbao_domain::{Fen, Period};
use jinbao_store::kinds::BatchStatus;
use jinbao_store::repo::ledger;
use jinbao_store::repo::payments::{self, Batch};
use serde::Deserialize;
use serde_json::{json, Value};

use super::page::{Page, PageResult};
use super::render::{check_csrf, field, redirect, Form, PageCtx};
use crate::auth::Permission;
use crate::error::ApiError;

fn batch_view(page: &PageCtx<'_>, b: &Batch) -> Value {
    json!({"id": b.id, "period": b.period.format("%Y-%m").to_string(), "status": b.status,
           "status_label": page.t(&format!("payments.statuses.{}", b.status)), "lines": b.lines, "total": Fen(b.total_fen).to_string(),
           "bank_lines": b.bank_lines, "post_lines": b.post_lines, "pending": b.pending, "paid": b.paid, "failed": b.failed,
           "paid_amount": Fen(b.paid_fen).to_string(), "reissues": b.reissues, "open": b.status == BatchStatus::Open, "url": format!("/payments/{}", b.id),
           "bank_url": format!("/api/v1/payments/batches/{}/bank.csv", b.id), "post_url": format!("/api/v1/payments/batches/{}/post.csv", b.id)})
}

pub async fn list(pg: Page) -> PageResult {
    let Page { state, req, who } = pg;
    let page = PageCtx::new(&state, &req, Some(&who));
    who.require(Permission::PaymentRun)?;
    Ok(render_list(&page, &req, &who, StatusCode::OK, json!({})).await)
}

async fn render_list(
    page: &PageCtx<'_>,
    req: &HttpRequest,
    who: &crate::auth::Principal,
    status: StatusCode,
    errors: Value,
) -> HttpResponse {
    let batches = match who.db(payments::list).await {
        Ok(b) => b,
        Err(e) => return page.error(req, e).await,
    };
    let mut ctx = page.base("payments", "payments.title", None).await;
    ctx.insert("items".into(), json!(batches.iter().map(|b| batch_view(page, b)).collect::<Vec<_>>()));
    ctx.insert("current_period".into(), json!(Period::of_date(chrono::Utc::now().date_naive()).to_string()));
    ctx.insert("errors".into(), errors);
    page.render(status, "payments/list", &ctx)
}

pub async fn generate(pg: Page, form: Form) -> PageResult {
    let Page { state, req, who } = pg;
    let page = PageCtx::new(&state, &req, Some(&who));
    who.require(Permission::PaymentRun).and_then(|_| check_csrf(&who, &form))?;
    let period = match field(&form, "period").parse::<Period>() {
        Ok(p) if p <= Period::of_date(chrono::Utc::now().date_naive()) => p,
        Ok(_) => {
            let errors = json!({"period": state.catalog.error(page.lang, "period.future")});
            return Ok(render_list(&page, &req, &who, StatusCode::UNPROCESSABLE_ENTITY, errors).await);
        }
        Err(_) => {
            let errors = json!({"period": state.catalog.error(page.lang, "period.format")});
            return Ok(render_list(&page, &req, &who, StatusCode::UNPROCESSABLE_ENTITY, errors).await);
        }
    };
    let b = who.db(move |tx| payments::generate(tx, period.first_day())).await?;
    Ok(redirect(&format!("/payments/{}", b.id)))
}

pub async fn detail(pg: Page, path: web::Path<i64>) -> PageResult {
    let Page { state, req, who } = pg;
    let page = PageCtx::new(&state, &req, Some(&who));
    who.require(Permission::PaymentRun)?;
    let id = path.into_inner();
    Ok(render_detail(&page, &req, &who, id, StatusCode::OK, Value::Null).await)
}

async fn render_detail(
    page: &PageCtx<'_>,
    req: &HttpRequest,
    who: &crate::auth::Principal,
    id: i64,
    status: StatusCode,
    outcome: Value,
) -> HttpResponse {
    let batch = match who.db(move |tx| payments::get(tx, id)).await {
        Ok(b) => b,
        Err(e) => return page.error(req, e).await,
    };
    let mut ctx = page.base("payments", "payments.title", None).await;
    ctx.insert("batch".into(), batch_view(page, &batch));
    ctx.insert("outcome".into(), outcome);
    page.render(status, "payments/detail", &ctx)
}

/// Freezes the batch so that its files can be downloaded (a POST: downloading changes nothing).
pub async fn freeze(pg: Page, path: web::Path<i64>, form: Form) -> PageResult {
    let Page { who, .. } = pg;
    who.require(Permission::PaymentRun).and_then(|_| check_csrf(&who, &form))?;
    let id = path.into_inner();
    let b = who.db(move |tx| payments::freeze(tx, id)).await?;
    Ok(redirect(&format!("/payments/{}", b.id)))
}

/// The returned results file, uploaded from the batch page.
pub async fn results(pg: Page, path: web::Path<i64>, payload: Multipart) -> PageResult {
    let Page { state, req, who } = pg;
    let page = PageCtx::new(&state, &req, Some(&who));
    let form = super::upload_form::read(payload, 16 * 1024 * 1024, &who).await?;
    if form.too_large {
        return Err(ApiError::field("file", "upload.too_large").into());
    }
    let file = form.file;
    who.require(Permission::PaymentRun)?;
    let id = path.into_inner();
    let text = jinbao_app::declarations::decode(&file);
    let (rows, mut problems) = match jinbao_app::payment_files::parse_results(&text) {
        Ok(r) => r,
        Err(code) => {
            let outcome = json!({"error": state.catalog.error(page.lang, code)});
            return Ok(render_detail(&page, &req, &who, id, StatusCode::UNPROCESSABLE_ENTITY, outcome).await);
        }
    };
    Ok(match who.db(move |tx| payments::import_results(tx, id, &rows)).await {
        Ok(s) => {
            problems.extend(s.problems.iter().map(|(row, _, code)| (*row, code.clone())));
            problems.sort();
            let listed: Vec<Value> =
                problems.iter().map(|(row, code)| json!({"row": row, "message": state.catalog.error(page.lang, code)})).collect();
            let outcome = json!({"applied": s.applied, "unchanged": s.unchanged, "problems": listed});
            render_detail(&page, &req, &who, id, StatusCode::OK, outcome).await
        }
        Err(e) => return Err(e.into()),
    })
}

#[derive(Deserialize)]
pub struct YearQuery {
    year: Option<i32>,
}

pub async fn finance(pg: Page, q: web::Query<YearQuery>) -> PageResult {
    let Page { state, req, who } = pg;
    let page = PageCtx::new(&state, &req, Some(&who));
    who.require(Permission::FinanceRead)?;
    let this_year = chrono::Datelike::year(&chrono::Utc::now().date_naive());
    let year = q.year.filter(|y| (2000..=2100).contains(y)).unwrap_or(this_year);
    let (lines, by_kind) = who.db(move |tx| Ok((ledger::city(tx, year)?, ledger::by_kind(tx, year)?))).await?;
    let months = crate::province::finance::months_of(year, chrono::Utc::now().date_naive());
    let funds: Vec<Value> = ledger::fund_summaries(&lines, months)
        .iter()
        .map(|f| {
            json!({"type_label": page.t(&format!("insurance.{}", f.insurance_type)), "income": Fen(f.income_fen).to_string(),
                   "expenditure": Fen(f.expenditure_fen).to_string(), "balance": Fen(f.balance_fen).to_string(),
                   "months_covered": f.months_covered_tenths.map_or("—".to_string(), |t| format!("{}.{}", t / 10, t % 10))})
        })
        .collect();
    let kinds: Vec<Value> = by_kind
        .iter()
        .map(|k| {
            json!({"period": k.period.format("%Y-%m").to_string(), "type_label": page.t(&format!("insurance.{}", k.insurance_type)),
                   "kind_label": page.t(&format!("finance.kinds.{}", k.kind)), "expenditure": Fen(k.expenditure_fen).to_string()})
        })
        .collect();
    let rows: Vec<Value> = lines
        .iter()
        .map(|l| {
            json!({"period": l.period.format("%Y-%m").to_string(), "type_label": page.t(&format!("insurance.{}", l.insurance_type)),
                   "income": Fen(l.income_fen).to_string(), "expenditure": Fen(l.expenditure_fen).to_string(),
                   "balance": Fen(l.balance_fen).to_string(), "ytd_income": Fen(l.ytd_income_fen).to_string(),
                   "ytd_expenditure": Fen(l.ytd_expenditure_fen).to_string(), "subsidy": Fen(l.subsidy_fen).to_string(),
                   "needs_subsidy": l.subsidy_fen > 0})
        })
        .collect();
    let mut ctx = page.base("finance", "finance.title", None).await;
    ctx.insert("year".into(), json!(year));
    ctx.insert("prev_year".into(), json!(year - 1));
    ctx.insert("next_year".into(), json!(if year < this_year { Some(year + 1) } else { None }));
    ctx.insert("rows".into(), json!(rows));
    ctx.insert("funds".into(), json!(funds));
    ctx.insert("kinds".into(), json!(kinds));
    Ok(page.render(StatusCode::OK, "finance", &ctx))
}
