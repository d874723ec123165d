//! `/imports`: city administrators upload a legacy file (persons, employers, employments,
//! enrolments or contribution history); the result page is
//! the job's page, with the reconciliation and a link to the per-row report.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use serde_json::json;

use super::page::{Page, PageResult};
use super::render::{redirect, PageCtx};
use crate::auth::Permission;
use crate::error::ApiError;
use jinbao_store::repo::imports::Kind;

const MAX_FILE: usize = 64 * 1024 * 1024;

pub async fn show(pg: Page) -> PageResult {
    let Page { state, req, who } = pg;
    let page = PageCtx::new(&state, &req, Some(&who));
    who.require(Permission::ImportRun)?;
    let mut ctx = page.base("imports", "imports.title", None).await;
    ctx.insert("errors".into(), json!({}));
    Ok(page.render(StatusCode::OK, "imports", &ctx))
}

pub async fn upload(pg: Page, payload: Multipart) -> PageResult {
    let Page { state, req, who } = pg;
    let page = PageCtx::new(&state, &req, Some(&who));
    let form = super::upload_form::read(payload, MAX_FILE, &who).await?;
    if form.too_large {
        return Err(ApiError::field("file", "upload.too_large").into());
    }
    let (kind, valid_only, file) = (form.text("kind").to_string(), form.checked("valid_only"), form.file);
    who.require(Permission::ImportRun)?;
    if file.is_empty() {
        let mut ctx = page.base("imports", "imports.title", None).await;
        ctx.insert("errors".into(), json!({"file": state.catalog.error(page.lang, "upload.missing")}));
        return Ok(page.render(StatusCode::UNPROCESSABLE_ENTITY, "imports", &ctx));
    }
    let Some(kind) = Kind::from_slug(&kind) else {
        return Err(ApiError::field("kind", "import.kind").into());
    };
    let (db, tenant, actor) = (state.db.clone(), who.tenant, who.actor());
    let outcome = crate::blocking::run(move || jinbao_app::import::run(&db, tenant, actor, kind, &file, valid_only, |_, _| {})).await;
    Ok(match outcome {
        Ok(o) => redirect(&format!("/jobs/{}", o.job_id)),
        Err(ApiError::Validation(ps)) => {
            let mut ctx = page.base("imports", "imports.title", None).await;
            ctx.insert("errors".into(), super::render::field_messages(&state, page.lang, &ps));
            page.render(StatusCode::UNPROCESSABLE_ENTITY, "imports", &ctx)
        }
        Err(e) => return Err(e.into()),
    })
}
