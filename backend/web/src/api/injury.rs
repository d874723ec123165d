//! `/api/v1/injury/cases`: work-injury cases — the report, the recognition proposed by a clerk and
//! decided by a reviewer who did not propose it, the ability assessment. The benefits of a case are
//! proposed at `/api/v1/benefits/injury` and decided as every claim.

use actix_web::{web, HttpResponse};
use jinbao_app::injury::{self, AssessmentInput, RecognitionInput, ReportInput};
use jinbao_store::repo::injury_cases;
use serde::Deserialize;

use super::benefits::{decision_note, private, DecisionInput};
use crate::auth::{Permission, Principal};
use crate::error::{ApiError, Problems};
use jinbao_app::input;

fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}

fn can_read(who: &Principal) -> Result<(), ApiError> {
    if who.handles_benefits() {
        Ok(())
    } else {
        Err(ApiError::Forbidden)
    }
}

pub async fn report(who: Principal, body: web::Json<ReportInput>) -> Result<HttpResponse, ApiError> {
    who.require(Permission::BenefitPropose)?;
    let (b, today) = (body.into_inner(), today());
    let case = who.db_checked(move |tx| injury::report(tx, &b, today)).await?;
    Ok(private(HttpResponse::Created()).json(case))
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct ListQuery {
    /// `true`: only cases not decided yet, the earliest due first.
    pub open: Option<bool>,
    pub person_id: Option<i64>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

pub async fn list(who: Principal, q: web::Query<ListQuery>) -> Result<HttpResponse, ApiError> {
    can_read(&who)?;
    let mut p = Problems::default();
    let (page, per_page) = input::paging(&mut p, q.page, q.per_page);
    p.finish()?;
    let (open, person) = (q.open.unwrap_or(false), q.person_id);
    let found = who.db(move |tx| injury_cases::list(tx, open, person, page, per_page)).await?;
    Ok(private(HttpResponse::Ok()).json(found))
}

pub async fn get(who: Principal, path: web::Path<i64>) -> Result<HttpResponse, ApiError> {
    can_read(&who)?;
    let id = path.into_inner();
    let case = who.db(move |tx| injury_cases::get(tx, id)).await?;
    Ok(private(HttpResponse::Ok()).json(case))
}

pub async fn propose(who: Principal, path: web::Path<i64>, body: web::Json<RecognitionInput>) -> Result<HttpResponse, ApiError> {
    who.require(Permission::BenefitPropose)?;
    let (id, b) = (path.into_inner(), body.into_inner());
    let case = who.db_checked(move |tx| injury::propose_recognition(tx, id, &b)).await?;
    Ok(private(HttpResponse::Ok()).json(case))
}

pub async fn approve(who: Principal, path: web::Path<i64>, body: Option<web::Json<DecisionInput>>) -> Result<HttpResponse, ApiError> {
    decide(who, path.into_inner(), true, body.map(|b| b.into_inner()).unwrap_or_default()).await
}

pub async fn reject(who: Principal, path: web::Path<i64>, body: Option<web::Json<DecisionInput>>) -> Result<HttpResponse, ApiError> {
    decide(who, path.into_inner(), false, body.map(|b| b.into_inner()).unwrap_or_default()).await
}

async fn decide(who: Principal, id: i64, approve: bool, input: DecisionInput) -> Result<HttpResponse, ApiError> {
    who.require(Permission::BenefitApprove)?;
    let note = decision_note(approve, input)?;
    let case = who.db(move |tx| injury_cases::decide(tx, id, approve, note.as_deref())).await?;
    Ok(private(HttpResponse::Ok()).json(case))
}

pub async fn assess(who: Principal, path: web::Path<i64>, body: web::Json<AssessmentInput>) -> Result<HttpResponse, ApiError> {
    who.require(Permission::BenefitPropose)?;
    let (id, b, today) = (path.into_inner(), body.into_inner(), today());
    let case = who.db_checked(move |tx| injury::assess(tx, id, &b, today)).await?;
    Ok(private(HttpResponse::Ok()).json(case))
}
