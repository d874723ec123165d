//! Base declaration upload for an employer: a CSV file (GBK or UTF-8, as Excel writes it), a
//! per-row report in the user's language, applied all or nothing unless "valid rows only".

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use jinbao_store::repo::{declarations, employers};
use serde_json::{json, Value};

use super::page::{Page, PageResult};
use super::render::PageCtx;
use crate::auth::{Permission, Principal};
use crate::error::ApiError;
use jinbao_app::declarations::parse_csv;
use jinbao_app::AppError;

const MAX_FILE: usize = 16 * 1024 * 1024;

async fn employer_json(who: &Principal, id: i64) -> Result<Value, ApiError> {
    let e = who.db(move |tx| employers::get(tx, id)).await?;
    Ok(json!({"id": e.id, "name": e.name, "credit_code": e.credit_code}))
}

async fn render(page: &PageCtx<'_>, status: StatusCode, employer: Value, form: Value, errors: Value, report: Value) -> HttpResponse {
    let mut ctx = page.base("employers", "declaration.title", None).await;
    let has_errors = errors.as_object().is_some_and(|m| !m.is_empty());
    ctx.insert("employer".into(), employer);
    ctx.insert("form".into(), form);
    ctx.insert("errors".into(), errors);
    ctx.insert("errors_summary".into(), if has_errors { json!(page.state.catalog.error(page.lang, "validation")) } else { Value::Null });
    ctx.insert("report".into(), report);
    page.render(status, "employers/declaration", &ctx)
}

pub async fn show(pg: Page, path: web::Path<String>) -> PageResult {
    let Page { state, req, who } = pg;
    let page = PageCtx::new(&state, &req, Some(&who));
    let Ok(id) = path.parse::<i64>() else { return Err(ApiError::NotFound.into()) };
    who.require(Permission::EnrolmentWrite)?;
    let employer = employer_json(&who, id).await?;
    let year = chrono::Datelike::year(&chrono::Utc::now().date_naive());
    Ok(render(&page, StatusCode::OK, employer, json!({"base_year": year, "valid_only": false}), json!({}), Value::Null).await)
}

/// The parts of the upload form.
#[derive(Default)]
struct Upload {
    base_year: String,
    valid_only: bool,
    file: Vec<u8>,
    too_large: bool,
}

pub async fn upload(pg: Page, path: web::Path<String>, payload: Multipart) -> PageResult {
    let Page { state, req, who } = pg;
    let page = PageCtx::new(&state, &req, Some(&who));
    let Ok(id) = path.parse::<i64>() else { return Err(ApiError::NotFound.into()) };
    let form = super::upload_form::read(payload, MAX_FILE, &who).await?;
    let u = Upload {
        base_year: form.text("base_year").to_string(),
        valid_only: form.checked("valid_only"),
        too_large: form.too_large,
        file: form.file,
    };
    who.require(Permission::EnrolmentWrite)?;
    let employer = employer_json(&who, id).await?;
    let form = json!({"base_year": u.base_year, "valid_only": u.valid_only});
    let say = |code: &str| state.catalog.error(page.lang, code);
    let year = u.base_year.parse::<i32>().ok().filter(|y| (2000..=2100).contains(y));
    let mut errors = serde_json::Map::new();
    if year.is_none() {
        errors.insert("base_year".into(), json!(say("declaration.base_year")));
    }
    if u.too_large {
        errors.insert("file".into(), json!(say("upload.too_large")));
    } else if u.file.is_empty() {
        errors.insert("file".into(), json!(say("upload.missing")));
    }
    if !errors.is_empty() {
        return Ok(render(&page, StatusCode::UNPROCESSABLE_ENTITY, employer, form, Value::Object(errors), Value::Null).await);
    }
    let parsed = jinbao_app::declarations::table_text(&u.file).and_then(|text| parse_csv(&text));
    let (rows, problems) = match parsed {
        Ok(v) => v,
        Err(AppError::Validation(ps)) => {
            let errors = json!({"file": ps.first().map(|p| say(&p.code)).unwrap_or_default()});
            return Ok(render(&page, StatusCode::UNPROCESSABLE_ENTITY, employer, form, errors, Value::Null).await);
        }
        Err(e) => return Err(e.into()),
    };
    let (year, valid_only) = (year.expect("checked"), u.valid_only);
    let outcome = who.db(move |tx| declarations::apply(tx, id, year, &rows, problems, valid_only)).await?;
    let report = json!({
        "applied": outcome.applied, "rejected_rows": outcome.problems.len(), "effective_from": outcome.effective_from.to_string(),
        "problems": outcome.problems.iter().map(|p| json!({"row": p.row, "column": page.t(&format!("fields.{}", p.column)), "value": p.value, "message": say(&p.code)})).collect::<Vec<_>>(),
    });
    let status = if outcome.applied == 0 && !outcome.problems.is_empty() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok(render(&page, status, employer, form, json!({}), report).await)
}
