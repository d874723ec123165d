//! `/reconciliation` (reviewers): a period's books beside the fund's bank statements — totals,
//! day by day, and every mismatch with the person who handled it; statements uploaded here;
//! each mismatch resolved with a note; the period signed off once nothing is open.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use jinbao_domain::{Fen, Period};
use jinbao_store::repo::reconciliation;
use serde::Deserialize;
use serde_json::{json, Value};

use super::page::{Page, PageResult};
use super::render::{check_csrf, field, redirect, Form, PageCtx};
use crate::auth::{Permission, Principal};
use crate::error::ApiError;

#[derive(Deserialize)]
pub struct PeriodQuery {
    period: Option<String>,
}

fn current() -> Period {
    Period::of_date(chrono::Utc::now().date_naive())
}

pub async fn show(pg: Page, q: web::Query<PeriodQuery>) -> PageResult {
    let Page { state, req, who } = pg;
    let page = PageCtx::new(&state, &req, Some(&who));
    who.require(Permission::ReconciliationRun)?;
    let period = q.period.as_deref().and_then(|p| p.parse::<Period>().ok()).unwrap_or_else(current);
    Ok(render(&page, &req, &who, period, StatusCode::OK, Value::Null).await)
}

async fn render(page: &PageCtx<'_>, req: &HttpRequest, who: &Principal, period: Period, status: StatusCode, notice: Value) -> HttpResponse {
    let r = match who.db(move |tx| reconciliation::report(tx, period.first_day())).await {
        Ok(r) => r,
        Err(e) => return page.error(req, e).await,
    };
    let y = |f: i64| Fen(f).to_string();
    let s = &r.summary;
    let summary = json!({"assessed": y(s.assessed_fen), "collected": y(s.collected_fen), "collected_bank": y(s.collected_bank_fen),
                         "bank_credits": y(s.bank_credits_fen), "due": y(s.benefits_due_fen), "paid": y(s.benefits_paid_fen),
                         "bank_debits": y(s.bank_debits_fen), "income_balance": s.income_month_end_balance_fen.map(y),
                         "income_not_empty": s.income_month_end_balance_fen.is_some_and(|b| b != 0)});
    let days: Vec<Value> = r
        .days
        .iter()
        .map(|d| {
            json!({"day": d.day.to_string(), "book_in": y(d.book_in_fen), "bank_in": y(d.bank_in_fen), "book_out": y(d.book_out_fen),
                   "bank_out": y(d.bank_out_fen), "differs": d.book_in_fen != d.bank_in_fen || d.book_out_fen != d.bank_out_fen})
        })
        .collect();
    let items: Vec<Value> = r
        .items
        .iter()
        .map(|i| {
            json!({"kind": i.kind, "kind_label": page.t(&format!("reconciliation.kinds.{}", i.kind)), "item_id": i.item_id,
                   "day": i.day.map(|d| d.to_string()), "amount": y(i.amount_fen), "reference": i.reference, "handler": i.handler,
                   "office": i.office, "note": i.note, "resolved_by": i.resolved_by,
                   "resolved_at": i.resolved_at.map(|t| t.format("%Y-%m-%d %H:%M").to_string()),
                   "action": format!("/reconciliation/{}/items/{}/{}", period, i.kind, i.item_id)})
        })
        .collect();
    let mut ctx = page.base("reconciliation", "reconciliation.title", None).await;
    ctx.insert("period".into(), json!(period.to_string()));
    ctx.insert("summary".into(), summary);
    ctx.insert("days".into(), json!(days));
    ctx.insert("items".into(), json!(items));
    ctx.insert("open_items".into(), json!(r.open_items));
    ctx.insert(
        "signed_off".into(),
        json!(r.signed_off.as_ref().map(|s| json!({"by": s.signed_by, "at": s.signed_at.format("%Y-%m-%d %H:%M").to_string()}))),
    );
    ctx.insert("notice".into(), notice);
    page.render(status, "reconciliation", &ctx)
}

pub async fn resolve(pg: Page, path: web::Path<(String, String, i64)>, form: Form) -> PageResult {
    let Page { state, req, who } = pg;
    let page = PageCtx::new(&state, &req, Some(&who));
    who.require(Permission::ReconciliationRun).and_then(|_| check_csrf(&who, &form))?;
    let (raw, kind, id) = path.into_inner();
    let Ok(period) = raw.parse::<Period>() else { return Err(ApiError::NotFound.into()) };
    let note = field(&form, "note");
    if note.chars().count() < 2 {
        let notice = json!({"error": state.catalog.error(page.lang, "reason.required")});
        return Ok(render(&page, &req, &who, period, StatusCode::UNPROCESSABLE_ENTITY, notice).await);
    }
    Ok(match who.db(move |tx| reconciliation::resolve(tx, period.first_day(), &kind, id, &note)).await {
        Ok(()) => redirect(&format!("/reconciliation?period={period}")),
        Err(e @ ApiError::Conflict(_)) => {
            let notice = json!({"error": state.catalog.error(page.lang, e.code())});
            render(&page, &req, &who, period, StatusCode::CONFLICT, notice).await
        }
        Err(e) => return Err(e.into()),
    })
}

pub async fn sign_off(pg: Page, path: web::Path<String>, form: Form) -> PageResult {
    let Page { state, req, who } = pg;
    let page = PageCtx::new(&state, &req, Some(&who));
    who.require(Permission::ReconciliationRun).and_then(|_| check_csrf(&who, &form))?;
    let Ok(period) = path.parse::<Period>() else { return Err(ApiError::NotFound.into()) };
    Ok(match who.db(move |tx| reconciliation::sign_off(tx, period.first_day())).await {
        Ok(_) => redirect(&format!("/reconciliation?period={period}")),
        Err(e @ ApiError::Conflict(_)) => {
            let notice = json!({"error": state.catalog.error(page.lang, e.code())});
            render(&page, &req, &who, period, StatusCode::CONFLICT, notice).await
        }
        Err(e) => return Err(e.into()),
    })
}

/// A bank statement uploaded for one account.
pub async fn upload(pg: Page, payload: Multipart) -> PageResult {
    let Page { state, req, who } = pg;
    let page = PageCtx::new(&state, &req, Some(&who));
    let form = super::upload_form::read(payload, 16 * 1024 * 1024, &who).await?;
    if form.too_large {
        return Err(ApiError::field("file", "upload.too_large").into());
    }
    let (account, period, file) = (form.text("account").to_string(), form.text("period").to_string(), form.file);
    who.require(Permission::ReconciliationRun)?;
    let period = period.parse::<Period>().unwrap_or_else(|_| current());
    if !["income", "expenditure", "finance"].contains(&account.as_str()) {
        return Err(ApiError::field("account", "bank.account").into());
    }
    let text = jinbao_app::declarations::decode(&file);
    let notice = match jinbao_app::bank_statement::parse_statement(&text) {
        Err(code) => json!({"error": state.catalog.error(page.lang, code)}),
        Ok((_, problems)) if !problems.is_empty() => {
            let listed: Vec<String> =
                problems.iter().map(|(row, code)| format!("{row}: {}", state.catalog.error(page.lang, code))).collect();
            json!({"error": listed.join("；")})
        }
        Ok((rows, _)) => match who.db(move |tx| reconciliation::import_statement(tx, &account, &rows)).await {
            Ok(o) => json!({"imported": {"inserted": o.inserted, "present": o.present, "conflicts": o.conflicts.join(", ")}}),
            Err(e) => return Err(e.into()),
        },
    };
    let status = if notice.get("error").is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok(render(&page, &req, &who, period, status, notice).await)
}
