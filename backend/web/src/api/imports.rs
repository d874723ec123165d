//! `POST /api/v1/imports/persons`: a legacy persons file (CSV in UTF-8, UTF-8 with BOM or GBK)
//! imported into the caller's city, with the per-row report in the caller's language.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::json;

use super::declarations::decode;
use crate::auth::{Permission, Principal};
use crate::error::ApiError;
use crate::i18n::Lang;
use crate::state::AppState;

#[derive(Debug, Deserialize)]
pub struct ImportQuery {
    pub valid_only: Option<bool>,
}

pub async fn persons(
    state: web::Data<AppState>,
    who: Principal,
    req: HttpRequest,
    q: web::Query<ImportQuery>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    import(state, who, req, q, body, crate::import::persons::run).await
}

pub async fn employers(
    state: web::Data<AppState>,
    who: Principal,
    req: HttpRequest,
    q: web::Query<ImportQuery>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    import(state, who, req, q, body, crate::import::employers::run).await
}

type Runner = fn(
    &jinbao_store::Db,
    jinbao_store::TenantId,
    jinbao_store::Actor,
    &str,
    bool,
    fn(usize, usize),
) -> Result<crate::import::Outcome, jinbao_store::StoreError>;

async fn import(
    state: web::Data<AppState>,
    who: Principal,
    req: HttpRequest,
    q: web::Query<ImportQuery>,
    body: web::Bytes,
    runner: Runner,
) -> Result<HttpResponse, ApiError> {
    who.require(Permission::ImportRun)?;
    if body.is_empty() {
        return Err(ApiError::field("file", "csv.empty"));
    }
    let lang = Lang::from_accept_language(req.headers().get("accept-language").and_then(|v| v.to_str().ok()));
    let text = decode(&body);
    let (db, tenant, actor, valid_only) = (state.db.clone(), who.tenant, who.actor(), q.valid_only.unwrap_or(false));
    let outcome = crate::blocking::run(move || runner(&db, tenant, actor, &text, valid_only, |_, _| {})).await?;
    let problems: Vec<_> = outcome
        .problems
        .iter()
        .map(|p| {
            json!({"row": p.row_no, "column": p.column, "value": p.value, "code": p.code,
                   "message": state.catalog.error(lang, &p.code), "message_en": state.catalog.error(Lang::En, &p.code), "message_zh": state.catalog.error(Lang::Zh, &p.code)})
        })
        .collect();
    let body = json!({
        "job_id": outcome.job_id, "applied": outcome.applied,
        "reconciliation": {"rows": outcome.rows, "inserted": outcome.inserted, "already_present": outcome.present, "rejected": outcome.rejected},
        "problems": problems,
    });
    Ok(if outcome.applied { HttpResponse::Ok().json(body) } else { HttpResponse::UnprocessableEntity().json(body) })
}

/// The per-row report of an import job as CSV (UTF-8 with BOM), problems in the caller's language.
pub async fn report(state: web::Data<AppState>, who: Principal, req: HttpRequest, path: web::Path<i64>) -> Result<HttpResponse, ApiError> {
    who.require(Permission::ImportRun)?;
    let lang = Lang::from_accept_language(req.headers().get("accept-language").and_then(|v| v.to_str().ok()));
    let job = path.into_inner();
    let problems = who
        .db(move |tx| {
            let j = jinbao_store::repo::jobs::get(tx, job)?;
            if !j.kind.starts_with("import.") {
                return Err(jinbao_store::StoreError::NotFound);
            }
            let kind = if j.kind == "import.employers" {
                jinbao_store::repo::imports::Kind::Employers
            } else {
                jinbao_store::repo::imports::Kind::Persons
            };
            jinbao_store::repo::imports::problems(tx, kind, job)
        })
        .await?;
    let mut w = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
    let _ = w.write_record(["行 row", "列 column", "值 value", "代码 code", "问题 problem"]);
    for p in &problems {
        let _ =
            w.write_record([p.row_no.to_string(), p.column.clone(), p.value.clone(), p.code.clone(), state.catalog.error(lang, &p.code)]);
    }
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header(("Content-Disposition", format!("attachment; filename=\"import-{job}-report.csv\"")))
        .insert_header(("Cache-Control", "no-store"))
        .body(w.into_inner().unwrap_or_default()))
}
