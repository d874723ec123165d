//! `/api/v1/labour`: the labour-market record — unemployment registration (and its end),
//! vocational training, employment-service contacts; lists with search and paging.

use actix_web::{web, HttpResponse};
use jinbao_store::repo::labour::{self, NewTraining};
use serde::Deserialize;
use serde_json::json;

use crate::auth::{Permission, Principal};
use crate::error::{ApiError, Problems};
use jinbao_app::input;
use jinbao_app::labour::{CONTACTS, REASONS};

fn not_future(p: &mut Problems, field: &str, d: Option<chrono::NaiveDate>) -> Option<chrono::NaiveDate> {
    match d {
        Some(d) if d > chrono::Utc::now().date_naive() => {
            p.push(field, "date.future");
            None
        }
        other => other,
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegisterInput {
    pub registered_on: Option<String>,
    pub reason: Option<String>,
}

pub async fn register(who: Principal, path: web::Path<i64>, body: web::Json<RegisterInput>) -> Result<HttpResponse, ApiError> {
    who.require(Permission::LabourWrite)?;
    let person = path.into_inner();
    let b = body.into_inner();
    let mut p = Problems::default();
    let on = input::date(&mut p, "registered_on", b.registered_on.as_deref());
    let on = not_future(&mut p, "registered_on", on);
    let reason = b.reason.filter(|r| REASONS.contains(&r.as_str()));
    if reason.is_none() {
        p.push("reason", "labour.reason");
    }
    p.finish()?;
    let (on, reason) = (on.expect("checked"), reason.expect("checked"));
    let r = who.db(move |tx| labour::register(tx, person, on, &reason)).await?;
    Ok(HttpResponse::Created().json(r))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EndInput {
    pub ended_on: Option<String>,
    pub reason: Option<String>,
}

/// Ends a registration for a reason other than a recorded job (a job ends it by itself).
pub async fn close(who: Principal, path: web::Path<i64>, body: web::Json<EndInput>) -> Result<HttpResponse, ApiError> {
    who.require(Permission::LabourWrite)?;
    let id = path.into_inner();
    let b = body.into_inner();
    let mut p = Problems::default();
    let on = input::date(&mut p, "ended_on", b.ended_on.as_deref());
    let on = not_future(&mut p, "ended_on", on);
    let reason = input::text(&mut p, "reason", b.reason.as_deref(), 200);
    p.finish()?;
    let (on, reason) = (on.expect("checked"), reason.expect("checked"));
    Ok(HttpResponse::Ok().json(who.db(move |tx| labour::end(tx, id, on, false, &reason)).await?))
}

#[derive(Debug, Deserialize)]
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
    let status = q.status.clone().filter(|s| ["seeking", "re_employed", "closed"].contains(&s.as_str()));
    let name = input::opt_text(q.name.clone());
    p.finish()?;
    Ok(HttpResponse::Ok().json(who.db(move |tx| labour::registrations(tx, status.as_deref(), name.as_deref(), page, per_page)).await?))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrainingInput {
    pub course: Option<String>,
    pub provider: Option<String>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub certificate_no: Option<String>,
    pub subsidy: Option<serde_json::Value>,
}

pub async fn add_training(who: Principal, path: web::Path<i64>, body: web::Json<TrainingInput>) -> Result<HttpResponse, ApiError> {
    who.require(Permission::LabourWrite)?;
    let person = path.into_inner();
    let b = body.into_inner();
    let mut p = Problems::default();
    let course = input::text(&mut p, "course", b.course.as_deref(), 100);
    let provider = input::text(&mut p, "provider", b.provider.as_deref(), 100);
    let start = input::date(&mut p, "start_date", b.start_date.as_deref());
    let end = input::opt_text(b.end_date.clone()).and_then(|_| input::date(&mut p, "end_date", b.end_date.as_deref()));
    if let (Some(s), Some(e)) = (start, end) {
        if e < s {
            p.push("end_date", "date.order");
        }
    }
    let subsidy = match &b.subsidy {
        None | Some(serde_json::Value::Null) => Some(jinbao_domain::Fen(0)),
        v => jinbao_app::input::yuan(&mut p, "subsidy", v.as_ref()),
    };
    let certificate = input::opt_text(b.certificate_no);
    p.finish()?;
    let (course, provider, start, subsidy) =
        (course.expect("checked"), provider.expect("checked"), start.expect("checked"), subsidy.expect("checked"));
    let t = who
        .db(move |tx| {
            labour::add_training(
                tx,
                person,
                &NewTraining {
                    course: &course,
                    provider: &provider,
                    start_date: start,
                    end_date: end,
                    certificate_no: certificate.as_deref(),
                    subsidy_fen: subsidy.0,
                },
            )
        })
        .await?;
    Ok(HttpResponse::Created().json(t))
}

#[derive(Debug, Deserialize)]
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

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactInput {
    pub contacted_on: Option<String>,
    pub kind: Option<String>,
    pub note: Option<String>,
}

pub async fn add_contact(who: Principal, path: web::Path<i64>, body: web::Json<ContactInput>) -> Result<HttpResponse, ApiError> {
    who.require(Permission::LabourWrite)?;
    let person = path.into_inner();
    let b = body.into_inner();
    let mut p = Problems::default();
    let on = input::date(&mut p, "contacted_on", b.contacted_on.as_deref());
    let on = not_future(&mut p, "contacted_on", on);
    let kind = b.kind.filter(|k| CONTACTS.contains(&k.as_str()));
    if kind.is_none() {
        p.push("kind", "labour.contact_kind");
    }
    let note = input::opt_text_max(&mut p, "note", b.note, 500);
    p.finish()?;
    let (on, kind) = (on.expect("checked"), kind.expect("checked"));
    let id = who.db(move |tx| labour::add_contact(tx, person, on, &kind, note.as_deref())).await?;
    Ok(HttpResponse::Created().json(json!({"id": id})))
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
    Ok(HttpResponse::Ok().json(json!({"open_registration": open, "trainings": trainings.items, "contacts": contacts})))
}
