//! `/api/v1/bank/statements/{account}` and `/api/v1/reconciliation/{period}` (reviewers): import
//! the fund's bank statements, see the period's reconciliation (books beside the bank, day by
//! day, every mismatch with its handler), resolve mismatches with a note, sign the period off.

use actix_web::{web, HttpResponse};
use jinbao_domain::Period;
use jinbao_store::repo::reconciliation;
use serde::Deserialize;
use serde_json::json;

use crate::auth::{Permission, Principal};
use crate::error::{ApiError, Problems};

pub async fn import_statement(who: Principal, path: web::Path<String>, body: web::Bytes) -> Result<HttpResponse, ApiError> {
    who.require(Permission::ReconciliationRun)?;
    let account = path.into_inner();
    if !["income", "expenditure", "finance"].contains(&account.as_str()) {
        return Err(ApiError::NotFound);
    }
    let text = jinbao_app::declarations::decode(&body);
    let (rows, problems) = jinbao_app::bank_statement::parse_statement(&text).map_err(|code| ApiError::field("file", code))?;
    if !problems.is_empty() {
        let listed: Vec<_> = problems.iter().map(|(row, code)| json!({"row": row, "code": code})).collect();
        return Ok(HttpResponse::UnprocessableEntity().json(json!({"applied": false, "problems": listed})));
    }
    let out = who.db(move |tx| reconciliation::import_statement(tx, &account, &rows)).await?;
    Ok(HttpResponse::Ok().json(json!({"applied": true, "inserted": out.inserted, "present": out.present, "conflicts": out.conflicts})))
}

fn period(raw: &str) -> Result<Period, ApiError> {
    raw.parse::<Period>().map_err(|_| ApiError::field("period", "period.format"))
}

pub async fn report(who: Principal, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    if !who.can(Permission::FinanceRead) {
        who.require(Permission::ReconciliationRun)?;
    }
    let p = period(&path)?;
    Ok(HttpResponse::Ok().json(who.db(move |tx| reconciliation::report(tx, p.first_day())).await?))
}

#[derive(Debug, Deserialize)]
pub struct NoteInput {
    pub note: Option<String>,
}

pub async fn resolve(who: Principal, path: web::Path<(String, String, i64)>, body: web::Json<NoteInput>) -> Result<HttpResponse, ApiError> {
    who.require(Permission::ReconciliationRun)?;
    let (raw, kind, id) = path.into_inner();
    let p = period(&raw)?;
    let mut problems = Problems::default();
    let note = jinbao_app::input::text(&mut problems, "note", body.note.as_deref(), 500);
    if note.as_ref().is_some_and(|n| n.chars().count() < 2) {
        problems.push("note", "reason.required");
    }
    problems.finish()?;
    let note = note.expect("checked");
    who.db(move |tx| reconciliation::resolve(tx, p.first_day(), &kind, id, &note)).await?;
    Ok(HttpResponse::NoContent().finish())
}

pub async fn sign_off(who: Principal, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    who.require(Permission::ReconciliationRun)?;
    let p = period(&path)?;
    Ok(HttpResponse::Ok().json(who.db(move |tx| reconciliation::sign_off(tx, p.first_day())).await?))
}
