//! `/imports`: city administrators upload a legacy file (persons, employers, employments,
//! enrolments or contribution history); the result page is
//! the job's page, with the reconciliation and a link to the per-row report.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use futures_util::StreamExt;
use serde_json::json;

use super::persons::page_session;
use super::render::{redirect, session, PageCtx};
use crate::auth::{csrf, Permission};
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

pub async fn upload(state: web::Data<AppState>, req: HttpRequest, mut payload: Multipart) -> HttpResponse {
    let who = page_session!(req);
    let page = PageCtx::new(&state, &req, Some(&who));
    let (mut token, mut kind, mut valid_only, mut file) = (String::new(), String::new(), false, Vec::new());
    let mut too_large = false;
    while let Some(Ok(mut field)) = payload.next().await {
        let name = field.name().unwrap_or("").to_string();
        let mut bytes = Vec::new();
        while let Some(Ok(chunk)) = field.next().await {
            if bytes.len() + chunk.len() <= MAX_FILE {
                bytes.extend_from_slice(&chunk);
            } else {
                too_large = true;
            }
        }
        let text = String::from_utf8_lossy(&bytes).trim().to_string();
        match name.as_str() {
            "csrf" => token = text,
            "kind" => kind = text,
            "valid_only" => valid_only = !bytes.is_empty(),
            "file" => file = bytes,
            _ => {}
        }
    }
    if !csrf::matches(&who.claims.csrf, &token) {
        return page.error(&req, ApiError::BadRequest { code: "csrf.invalid", detail: None }).await;
    }
    if too_large {
        return page.error(&req, ApiError::field("file", "upload.too_large")).await;
    }
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
    let outcome = crate::blocking::run(move || crate::import::run(&db, tenant, actor, kind, &file, valid_only, |_, _| {})).await;
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
