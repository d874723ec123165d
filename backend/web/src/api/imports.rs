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
    who.require(Permission::ImportRun)?;
    if body.is_empty() {
        return Err(ApiError::field("file", "csv.empty"));
    }
    let lang = Lang::from_accept_language(req.headers().get("accept-language").and_then(|v| v.to_str().ok()));
    let text = decode(&body);
    let (db, tenant, actor, valid_only) = (state.db.clone(), who.tenant, who.actor(), q.valid_only.unwrap_or(false));
    let outcome = crate::blocking::run(move || crate::import::persons::run(&db, tenant, actor, &text, valid_only, |_, _| {})).await?;
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
