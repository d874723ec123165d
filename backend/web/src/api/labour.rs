//! `/api/v1/labour`: the labour-market record — unemployment registration (and its end),
//! vocational training, employment-service contacts; lists with search and paging.

use actix_web::{web, HttpResponse};
use jinbao_store::repo::labour;
use serde::Deserialize;

use crate::api::shapes::*;
use crate::auth::{Permission, Principal};
use crate::error::{ApiError, Problems};
use jinbao_app::input;
use jinbao_app::labour::{ContactInput, RegisterInput, TrainingInput, STATUSES};

/// Registers a person as unemployed.
pub async fn register(who: Principal, path: web::Path<i64>, body: web::Json<RegisterInput>) -> Result<HttpResponse, ApiError> {
    who.require(Permission::LabourWrite)?;
    let (person, r) = (path.into_inner(), body.into_inner().parse(today())?);
    Ok(HttpResponse::Created().json(who.db_checked(move |tx| jinbao_app::labour::register(tx, person, &r)).await?))
}

fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}

/// Ending an open registration for a reason other than a job (a recorded hire ends it by itself, as `re_employed`).
/// Unknown fields: 400.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "RegistrationCloseInput")]
pub struct EndInput {
    /// End date, not after today (`date.future`) and not before the registration date (`date.order`). Format `YYYY-MM-
    /// DD` (missing or empty: `required`; otherwise `date.format`).
    pub ended_on: Option<String>,
    /// Why it is closed, 1–200 characters after trimming (`required`, `text.too_long`).
    pub reason: Option<String>,
}

/// Ends a registration for a reason other than a recorded job (a job ends it by itself).
pub async fn close(who: Principal, path: web::Path<i64>, body: web::Json<EndInput>) -> Result<HttpResponse, ApiError> {
    who.require(Permission::LabourWrite)?;
    let id = path.into_inner();
    let b = body.into_inner();
    let mut p = Problems::default();
    let on = input::past_date(&mut p, "ended_on", b.ended_on.as_deref(), today());
    let reason = input::text(&mut p, "reason", b.reason.as_deref(), 200);
    p.finish()?;
    let (on, reason) = (on.expect("checked"), reason.expect("checked"));
    Ok(HttpResponse::Ok().json(who.db(move |tx| labour::end(tx, id, on, false, &reason)).await?))
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct ListQuery {
    pub status: Option<String>,
    pub name: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

pub async fn registrations(who: Principal, q: web::Query<ListQuery>) -> Result<HttpResponse, ApiError> {
    who.require(Permission::PersonRead)?;
    let mut p = Problems::default();
    let (page, per_page) = input::paging(&mut p, q.page, q.per_page);
    let status = q.status.clone().filter(|s| STATUSES.contains(&s.as_str()));
    let name = input::opt_text(q.name.clone());
    p.finish()?;
    Ok(HttpResponse::Ok().json(who.db(move |tx| labour::registrations(tx, status.as_deref(), name.as_deref(), page, per_page)).await?))
}

pub async fn add_training(who: Principal, path: web::Path<i64>, body: web::Json<TrainingInput>) -> Result<HttpResponse, ApiError> {
    who.require(Permission::LabourWrite)?;
    let (person, t) = (path.into_inner(), body.into_inner().parse()?);
    Ok(HttpResponse::Created().json(who.db_checked(move |tx| jinbao_app::labour::add_training(tx, person, &t)).await?))
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct TrainingQuery {
    pub person_id: Option<i64>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

pub async fn trainings(who: Principal, q: web::Query<TrainingQuery>) -> Result<HttpResponse, ApiError> {
    who.require(Permission::PersonRead)?;
    let mut p = Problems::default();
    let (page, per_page) = input::paging(&mut p, q.page, q.per_page);
    p.finish()?;
    let person = q.person_id;
    Ok(HttpResponse::Ok().json(who.db(move |tx| labour::trainings(tx, person, None, page, per_page)).await?))
}

pub async fn add_contact(who: Principal, path: web::Path<i64>, body: web::Json<ContactInput>) -> Result<HttpResponse, ApiError> {
    who.require(Permission::LabourWrite)?;
    let (person, c) = (path.into_inner(), body.into_inner().parse(today())?);
    let id = who.db_checked(move |tx| jinbao_app::labour::add_contact(tx, person, &c)).await?;
    Ok(HttpResponse::Created().json(Created { id }))
}

/// A person's labour-market record: registrations, trainings, contacts.
pub async fn of_person(who: Principal, path: web::Path<i64>) -> Result<HttpResponse, ApiError> {
    who.require(Permission::PersonRead)?;
    let person = path.into_inner();
    let (open, trainings, contacts) = who
        .db(move |tx| {
            jinbao_store::repo::persons::get(tx, person)?;
            Ok((labour::open_registration(tx, person)?, labour::trainings(tx, Some(person), None, 1, 100)?, labour::contacts(tx, person)?))
        })
        .await?;
    Ok(HttpResponse::Ok().json(LabourRecord { open_registration: open, trainings: trainings.items, contacts }))
}

/// A person's labour-market record.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct LabourRecord {
    /// The open unemployment registration, if any.
    pub open_registration: Option<jinbao_store::repo::labour::Registration>,
    /// The latest trainings (at most 100).
    pub trainings: Vec<jinbao_store::repo::labour::Training>,
    /// Every employment-service contact, newest first.
    pub contacts: Vec<jinbao_store::repo::labour::Contact>,
}
