//! `/api/v1/medical`: settlements of employees' medical bills (a clerk proposes, `?preview=true`
//! computes without saving; a reviewer who did not propose it approves or rejects), personal
//! accounts and their monthly credits.

use actix_web::{web, HttpResponse};
use jinbao_app::medical::{self, Outcome, SettlementInput};
use jinbao_store::repo::medical as repo;
use serde::Deserialize;

use super::benefits::{decision_note, private, DecisionInput, ProposeQuery};
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

/// A settlement computed, not saved.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct SettlementPreview {
    /// Always `true`.
    pub preview: bool,
    pub settlement: repo::NewSettlement,
}

pub async fn propose(who: Principal, q: web::Query<ProposeQuery>, body: web::Json<SettlementInput>) -> Result<HttpResponse, ApiError> {
    who.require(Permission::BenefitPropose)?;
    let (b, today, preview) = (body.into_inner(), today(), q.preview.unwrap_or(false));
    Ok(match who.db_checked(move |tx| medical::propose(tx, &b, today, preview)).await? {
        Outcome::Preview(settlement) => private(HttpResponse::Ok()).json(SettlementPreview { preview: true, settlement }),
        Outcome::Saved(s) => private(HttpResponse::Created()).json(s),
    })
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct ListQuery {
    /// `proposed`, `approved` or `rejected`; all when absent.
    pub status: Option<String>,
    pub person_id: Option<i64>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

pub async fn list(who: Principal, q: web::Query<ListQuery>) -> Result<HttpResponse, ApiError> {
    can_read(&who)?;
    let mut p = Problems::default();
    let (page, per_page) = input::paging(&mut p, q.page, q.per_page);
    let status = q.status.clone().filter(|s| !s.is_empty());
    if status.as_deref().is_some_and(|s| !["proposed", "approved", "rejected"].contains(&s)) {
        p.push("status", "medical.status");
    }
    p.finish()?;
    let person = q.person_id;
    let found = who.db(move |tx| repo::list(tx, status.as_deref(), person, page, per_page)).await?;
    Ok(private(HttpResponse::Ok()).json(found))
}

pub async fn get(who: Principal, path: web::Path<i64>) -> Result<HttpResponse, ApiError> {
    can_read(&who)?;
    let id = path.into_inner();
    Ok(private(HttpResponse::Ok()).json(who.db(move |tx| repo::get(tx, id)).await?))
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
    let s = who.db(move |tx| repo::decide(tx, id, approve, note.as_deref())).await?;
    Ok(private(HttpResponse::Ok()).json(s))
}

/// A personal medical account: its balance and latest entries.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Account {
    pub person_id: i64,
    pub balance_fen: i64,
    /// The latest 100 entries, newest first.
    pub entries: Vec<repo::AccountEntry>,
}

pub async fn account(who: Principal, path: web::Path<i64>) -> Result<HttpResponse, ApiError> {
    can_read(&who)?;
    let person_id = path.into_inner();
    let account = who
        .db(move |tx| {
            jinbao_store::repo::persons::get(tx, person_id)?;
            Ok(Account {
                person_id,
                balance_fen: repo::account_balance(tx, person_id)?,
                entries: repo::account_entries(tx, person_id, 100)?,
            })
        })
        .await?;
    Ok(private(HttpResponse::Ok()).json(account))
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "MedicalCreditInput")]
#[serde(deny_unknown_fields)]
pub struct CreditInput {
    /// The month to credit (YYYY-MM, not after the current month).
    pub period: Option<String>,
}

/// Credits the month's personal-account entries (idempotent: a month is credited once per person and source).
pub async fn credit(who: Principal, body: web::Json<CreditInput>) -> Result<HttpResponse, ApiError> {
    who.require(Permission::PaymentRun)?;
    let (b, today) = (body.into_inner(), today());
    let out = who.db_checked(move |tx| medical::credit_month(tx, b.period.as_deref(), today)).await?;
    Ok(HttpResponse::Ok().json(out))
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct CatalogueQuery {
    /// The version's name: 1–32 letters, digits, `.`, `_` or `-` (`catalogue.version`).
    pub version: Option<String>,
    /// The first month it is in force (YYYY-MM); one version per month.
    pub effective_from: Option<String>,
}

/// `POST /api/v1/medical/catalogue?version=&effective_from=`: a version of the province's
/// catalogue from a CSV body (编码, 名称, 类别, 单价), imported only when every row is right.
pub async fn import_catalogue(who: Principal, q: web::Query<CatalogueQuery>, body: web::Bytes) -> Result<HttpResponse, ApiError> {
    who.require(Permission::CatalogueImport)?;
    if who.claims.tcode != "410000" {
        return Err(ApiError::ForbiddenBecause("catalogue.province_only"));
    }
    if body.is_empty() {
        return Err(ApiError::field("file", "csv.empty"));
    }
    let q = q.into_inner();
    match jinbao_app::catalogue::prepare(q.version.as_deref(), q.effective_from.as_deref(), &body)? {
        jinbao_app::catalogue::Outcome::Ready(v) => {
            Ok(HttpResponse::Created().json(who.db_checked(move |tx| jinbao_app::catalogue::record(tx, &v)).await?))
        }
        // Every row's problem as a field `rows[<row>].<column>` (row numbers as a spreadsheet shows them).
        jinbao_app::catalogue::Outcome::Refused(problems) => Err(ApiError::Validation(
            problems
                .into_iter()
                .map(|p| jinbao_app::FieldProblem { field: format!("rows[{}].{}", p.row, p.column), code: p.code })
                .collect(),
        )),
    }
}

/// `GET /api/v1/medical/catalogue`: the versions imported, the latest first.
pub async fn catalogue_versions(who: Principal) -> Result<HttpResponse, ApiError> {
    if !who.can(Permission::CatalogueImport) {
        can_read(&who)?;
    }
    let versions = who.db(jinbao_store::repo::catalogue::versions).await?;
    Ok(HttpResponse::Ok().json(crate::api::shapes::Items::of(versions)))
}
