//! `/imports`: city administrators upload a legacy file (persons, employers, employments,
//! enrolments or contribution history); the result page is
//! the job's page, with the reconciliation and a link to the per-row report.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::json;

use super::persons::page_session;
use super::render::{redirect, session, PageCtx};
use crate::auth::Permission;
use crate::error::ApiError;
use crate::state::AppState;
use jinbao_store::repo::imports::Kind;

const MAX_FILE: usize = 64 * 1024 * 1024;

pub async fn show(state: web::Data<AppState>, req: HttpRequest) -> HttpResponse {
    let who = page_session!(req);
    let page = PageCtx::new(&state, &req, Some(&who));
    if let Err(e) = who.require(Permission::ImportRun) {
        return page.error(&req, e).await;
    }
    let mut ctx = page.base("imports", "imports.title", None).await;
    ctx.insert("errors".into(), json!({}));
    page.render(StatusCode::OK, "imports", &ctx)
}

pub async fn upload(state: web::Data<AppState>, req: HttpRequest, payload: Multipart) -> HttpResponse {
    let who = page_session!(req);
    let page = PageCtx::new(&state, &req, Some(&who));
    let form = match super::upload_form::read(payload, MAX_FILE, &who).await {
        Ok(f) => f,
        Err(e) => return page.error(&req, e).await,
    };
    if form.too_large {
        return page.error(&req, ApiError::field("file", "upload.too_large")).await;
    }
    let (kind, valid_only, file) = (form.text("kind").to_string(), form.checked("valid_only"), form.file);
    if let Err(e) = who.require(Permission::ImportRun) {
        return page.error(&req, e).await;
    }
    if file.is_empty() {
        let mut ctx = page.base("imports", "imports.title", None).await;
        ctx.insert("errors".into(), json!({"file": state.catalog.error(page.lang, "upload.missing")}));
        return page.render(StatusCode::UNPROCESSABLE_ENTITY, "imports", &ctx);
    }
    let Some(kind) = Kind::from_slug(&kind) else {
        return page.error(&req, ApiError::field("kind", "import.kind")).await;
    };
    let (db, tenant, actor) = (state.db.clone(), who.tenant, who.actor());
    let outcome = crate::blocking::run(move || jinbao_app::import::run(&db, tenant, actor, kind, &file, valid_only, |_, _| {})).await;
    match outcome {
        Ok(o) => redirect(&format!("/jobs/{}", o.job_id)),
        Err(ApiError::Validation(ps)) => {
            let mut ctx = page.base("imports", "imports.title", None).await;
            ctx.insert("errors".into(), super::render::field_messages(&state, page.lang, &ps));
            page.render(StatusCode::UNPROCESSABLE_ENTITY, "imports", &ctx)
        }
        Err(e) => page.error(&req, e).await,
    }
}
