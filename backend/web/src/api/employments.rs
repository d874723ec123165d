//! `/api/v1/employments`: hire a person at an employer from a date; end it.

use actix_web::{web, HttpResponse};
use jinbao_store::repo::employments;
use serde::Deserialize;

use crate::auth::{Permission, Principal};
use crate::error::{ApiError, Problems};
use jinbao_app::input;

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "EmploymentInput")]
pub struct HireInput {
    /// A person of the caller's tenant (`required`, `not_found`).
    pub person_id: Option<i64>,
    /// An employer of the caller's tenant (`required`, `not_found`).
    pub employer_id: Option<i64>,
    /// First day of work (入职日期) (`required`). Format `YYYY-MM-DD` (`date.format`).
    pub start_date: Option<String>,
}

pub async fn hire(who: Principal, body: web::Json<HireInput>) -> Result<HttpResponse, ApiError> {
    who.require(Permission::EmploymentWrite)?;
    let b = body.into_inner();
    let mut p = Problems::default();
    if b.person_id.is_none() {
        p.push("person_id", "required");
    }
    if b.employer_id.is_none() {
        p.push("employer_id", "required");
    }
    let start = input::date(&mut p, "start_date", b.start_date.as_deref());
    p.finish()?;
    let (person, employer, start) = (b.person_id.unwrap_or_default(), b.employer_id.unwrap_or_default(), start.expect("checked"));
    let e = who.db(move |tx| employments::hire(tx, person, employer, start)).await?;
    Ok(HttpResponse::Created().json(e))
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "EmploymentEnd")]
pub struct EndInput {
    /// Leaving date (离职日期), not before the start date (`required`, `employment.end_before_start`). Format `YYYY-MM-DD`
    /// (`date.format`).
    pub end_date: Option<String>,
    /// Optional reason, at most 200 characters (`text.too_long`).
    pub reason: Option<String>,
}

pub async fn end(who: Principal, path: web::Path<i64>, body: web::Json<EndInput>) -> Result<HttpResponse, ApiError> {
    who.require(Permission::EmploymentWrite)?;
    let b = body.into_inner();
    let mut p = Problems::default();
    let end = input::date(&mut p, "end_date", b.end_date.as_deref());
    let reason = input::opt_text_max(&mut p, "reason", b.reason, 200);
    p.finish()?;
    let (id, end) = (path.into_inner(), end.expect("checked"));
    let e = who.db(move |tx| employments::leave(tx, id, end, reason.as_deref())).await?;
    Ok(HttpResponse::Ok().json(e))
}
