//! `POST /api/v1/imports/{kind}` (persons, employers, employments, enrolments, contributions): a
//! legacy file (CSV in UTF-8, UTF-8 with BOM or GBK, or .xlsx) imported into the caller's city,
//! with the reconciliation and the per-row report in the caller's language.

use actix_web::{web, HttpRequest, HttpResponse};
use jinbao_store::repo::imports::{self, Kind};
use serde::Deserialize;

use crate::api::declarations::CellProblem;
use crate::auth::{Permission, Principal};
use crate::error::ApiError;
use crate::i18n::Lang;
use crate::state::AppState;

#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct ImportQuery {
    pub valid_only: Option<bool>,
}

pub async fn import(
    state: web::Data<AppState>,
    who: Principal,
    req: HttpRequest,
    path: web::Path<String>,
    q: web::Query<ImportQuery>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let kind = Kind::from_slug(&path).ok_or(ApiError::NotFound)?;
    who.require(Permission::ImportRun)?;
    if body.is_empty() {
        return Err(ApiError::field("file", "csv.empty"));
    }
    let lang = Lang::from_accept_language(req.headers().get("accept-language").and_then(|v| v.to_str().ok()));
    let (db, tenant, actor, valid_only) = (state.db.clone(), who.tenant, who.actor(), q.valid_only.unwrap_or(false));
    let outcome = crate::blocking::run(move || jinbao_app::import::run(&db, tenant, actor, kind, &body, valid_only, |_, _| {})).await?;
    let problems: Vec<_> = outcome
        .problems
        .iter()
        .map(|p| CellProblem {
            row: p.row_no as i64,
            column: p.column.clone(),
            value: p.value.clone(),
            code: p.code.clone(),
            message: state.catalog.error(lang, &p.code),
            message_en: Some(state.catalog.error(Lang::En, &p.code)),
            message_zh: Some(state.catalog.error(Lang::Zh, &p.code)),
        })
        .collect();
    let body = ImportReport {
        job_id: outcome.job_id,
        kind: outcome.kind,
        applied: outcome.applied,
        reconciliation: ImportReconciliation {
            rows: outcome.rows,
            inserted: outcome.inserted,
            already_present: outcome.present,
            rejected: outcome.rejected,
            by_year: outcome.by_year,
        },
        problems,
    };
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
            if Kind::from_job_kind(&j.kind).is_none() {
                return Err(jinbao_store::StoreError::NotFound);
            }
            imports::problems(tx, job)
        })
        .await?;
    let mut w = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
    let _ = w.write_record(["行 row", "列 column", "值 value", "代码 code", "问题 problem"]);
    for p in &problems {
        let cells = [p.row_no.to_string(), p.column.clone(), p.value.clone(), p.code.clone(), state.catalog.error(lang, &p.code)];
        let _ = w.write_record(jinbao_domain::text::neutralise_record(&cells));
    }
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header(("Content-Disposition", format!("attachment; filename=\"import-{job}-report.csv\"")))
        .insert_header(("Cache-Control", "no-store"))
        .body(w.into_inner().unwrap_or_default()))
}

/// The outcome of an import: applied or not, the reconciliation of the file with the platform, and
/// every refused cell.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct ImportReport {
    /// The import's job; its report is at `/api/v1/imports/{job_id}/report.csv`.
    pub job_id: i64,
    /// What the file held (the `kind` of the path).
    pub kind: Kind,
    /// False when problems stopped an all-or-nothing import (nothing was written).
    pub applied: bool,
    pub reconciliation: ImportReconciliation,
    /// Every rejected row, by row number; empty when none.
    pub problems: Vec<CellProblem>,
}

/// The file beside the platform: rows read, inserted, already present, refused.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct ImportReconciliation {
    /// Data rows in the file (blank rows skipped).
    pub rows: i64,
    /// Records created now (persons, employers, employments, enrolments or contribution months).
    pub inserted: i64,
    /// Rows already on the platform (not a problem; nothing changes): for persons and employers the same number under
    /// the same name; for employments the same person, employer and start date; for enrolments the same person,
    /// employer, type and start month; for contributions the same person, employer, type and month with the same base
    /// and amounts.
    pub already_present: i64,
    /// Rows with a problem (see `problems`).
    pub rejected: i64,
    /// Per year, the file beside the platform (employments, enrolments, contributions).
    pub by_year: Vec<jinbao_store::repo::imports::YearLine>,
}
