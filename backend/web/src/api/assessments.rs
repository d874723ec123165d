//! `/api/v1/assessments`: run a period (a job with progress), list periods, re-open (reviewers,
//! with a reason), back payments; `/api/v1/jobs/{id}`; a person's contribution history.

use actix_web::{web, HttpResponse};
use jinbao_domain::Period;
use jinbao_store::repo::assessments;

use crate::api::shapes::*;
use crate::jobs::Assessment;
use jinbao_store::repo::jobs;
use serde::Deserialize;

use super::persons::no_store;
use crate::auth::{Permission, Principal};
use crate::error::{ApiError, Problems};
use crate::state::AppState;
use jinbao_app::input;
use jinbao_app::input::period;

/// The period to assess. Unknown fields are rejected (400).
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RunInput {
    pub period: Option<String>,
}

/// Starts the assessment of a period in the background: 202 with the job to follow, or 200 with
/// the existing summary when the period is assessed already.
pub async fn run(state: web::Data<AppState>, who: Principal, body: web::Json<RunInput>) -> Result<HttpResponse, ApiError> {
    who.require(Permission::AssessmentRun)?;
    let mut p = Problems::default();
    let per = period(&mut p, "period", body.period.as_deref());
    p.finish()?;
    let per = per.expect("checked");
    match crate::jobs::start_assessment(&state, &who, per).await? {
        Assessment::Done(summary) => Ok(HttpResponse::Ok().json(RunAlreadyAssessed { job_id: summary.job_id, summary })),
        Assessment::Running { job_id } => Ok(HttpResponse::Accepted()
            .insert_header(("Location", format!("/api/v1/jobs/{job_id}")))
            .json(RunStarted { job_id, status: "running" })),
    }
}

pub async fn job(who: Principal, path: web::Path<i64>) -> Result<HttpResponse, ApiError> {
    who.require(Permission::ContributionRead)?;
    let id = path.into_inner();
    let job = who.db(move |tx| jobs::get(tx, id)).await?;
    Ok(no_store(HttpResponse::Ok()).json(job))
}

pub async fn periods(who: Principal) -> Result<HttpResponse, ApiError> {
    who.require(Permission::ContributionRead)?;
    let items = who.db(assessments::periods).await?;
    Ok(no_store(HttpResponse::Ok()).json(Items::of(items)))
}

/// Unknown fields are rejected (400).
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReopenInput {
    /// Why (2–200 characters; `required`, `reason.required`, `text.too_long`).
    pub reason: Option<String>,
}

pub async fn reopen(who: Principal, path: web::Path<String>, body: web::Json<ReopenInput>) -> Result<HttpResponse, ApiError> {
    who.require(Permission::AssessmentReopen)?;
    let per: Period = path.parse().map_err(|_| ApiError::NotFound)?;
    let mut p = Problems::default();
    let reason = input::text(&mut p, "reason", body.reason.as_deref(), 200);
    if reason.as_ref().is_some_and(|r| r.chars().count() < 2) {
        p.push("reason", "reason.required");
    }
    p.finish()?;
    let reason = reason.expect("checked");
    let removed = who.db(move |tx| assessments::reopen(tx, per, &reason)).await?;
    Ok(HttpResponse::Ok().json(ReopenResult { period: per, status: "reopened", rows_removed: removed }))
}

/// Unknown fields are rejected (400).
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "BackPaymentInput")]
pub struct BackPayInput {
    /// Last period to consider (`required`, `period.format`).
    pub upto: Option<String>,
}

pub async fn back_payments(who: Principal, body: web::Json<BackPayInput>) -> Result<HttpResponse, ApiError> {
    who.require(Permission::AssessmentRun)?;
    let mut p = Problems::default();
    let upto = period(&mut p, "upto", body.upto.as_deref());
    p.finish()?;
    let upto = upto.expect("checked");
    let rows = who.db(move |tx| assessments::back_payments(tx, upto)).await?;
    Ok(HttpResponse::Ok().json(BackPaymentResult { upto, rows_written: rows }))
}

pub async fn of_person(who: Principal, path: web::Path<i64>) -> Result<HttpResponse, ApiError> {
    who.require(Permission::ContributionRead)?;
    let id = path.into_inner();
    let items = who
        .db(move |tx| {
            jinbao_store::repo::persons::get(tx, id)?;
            assessments::of_person(tx, id, 600)
        })
        .await?;
    Ok(no_store(HttpResponse::Ok()).json(Items::of(items)))
}

/// The period was already assessed: the earlier run's summary.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct RunAlreadyAssessed {
    /// The job that assessed the period.
    pub job_id: i64,
    pub summary: assessments::RunSummary,
}

/// The assessment runs in the background; follow it at `/api/v1/jobs/{job_id}`.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct RunStarted {
    /// Follow it at `GET /api/v1/jobs/{id}`.
    pub job_id: i64,
    /// Always `running`.
    #[schemars(extend("enum" = ["running"]))]
    pub status: &'static str,
}

/// A period reopened for correction.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct ReopenResult {
    pub period: Period,
    /// Always `reopened`.
    #[schemars(extend("enum" = ["reopened"]))]
    pub status: &'static str,
    /// Assessment rows of the period removed.
    pub rows_removed: i64,
}

/// Back payments written.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct BackPaymentResult {
    pub upto: Period,
    /// Back-payment rows written (0 when nothing changed).
    pub rows_written: i64,
}
