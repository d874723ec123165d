//! `/api/v1/persons`: register, read, search, update with reason.

use actix_web::{web, HttpResponse};
use chrono::Utc;
use jinbao_domain::IdNumber;
use jinbao_store::repo::persons::{self, Person, PersonPatch};
use jinbao_store::repo::{employments, events};
use serde::Deserialize;
use validator::Validate;

use crate::api::shapes::{exact, Items};
use crate::auth::{Permission, Principal};
use crate::error::{ApiError, Problems};
use jinbao_app::input;
use jinbao_app::registry::{valid_hukou, valid_phone, PersonInput};

/// A person as the API shows it: the identity number masked unless the caller may see it.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
#[schemars(rename = "Person")]
pub struct PersonView {
    pub id: i64,
    /// The identity number, upper case; masked as `4110**********0044` (first four and last four characters) unless the
    /// caller has `person.reveal_id`.
    pub id_number: String,
    /// Whether `id_number` is masked.
    pub id_number_masked: bool,
    pub name: String,
    pub gender: jinbao_domain::id_number::Gender,
    /// Derived from the identity number.
    pub birth_date: chrono::NaiveDate,
    pub ethnicity: Option<String>,
    #[schemars(extend("enum" = ["urban", "rural", null]))]
    pub hukou_kind: Option<String>,
    pub address: Option<String>,
    pub phone: Option<String>,
    /// `active` 正常 or `deceased` 已死亡.
    pub status: String,
    /// Starts at 1; increases with every update.
    pub version: i32,
    /// Registration time. RFC 3339, UTC.
    pub created_at: chrono::DateTime<Utc>,
    /// Last change. RFC 3339, UTC.
    pub updated_at: chrono::DateTime<Utc>,
}

impl PersonView {
    pub fn of(p: Person, reveal: bool) -> PersonView {
        let id_number = if reveal { p.id_number.clone() } else { jinbao_domain::id_number::mask(&p.id_number) };
        PersonView {
            id: p.id,
            id_number,
            id_number_masked: !reveal,
            name: p.name,
            gender: p.gender,
            birth_date: p.birth_date,
            ethnicity: p.ethnicity,
            hukou_kind: p.hukou_kind,
            address: p.address,
            phone: p.phone,
            status: p.status,
            version: p.version,
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

pub async fn create(who: Principal, body: web::Json<PersonInput>) -> Result<HttpResponse, ApiError> {
    who.require(Permission::PersonWrite)?;
    let (id, fields) = body.into_inner().parse()?;
    let person = who.db(move |tx| persons::create(tx, &id, &fields)).await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/persons/{}", person.id)))
        .json(PersonView::of(person, who.can(Permission::PersonRevealId))))
}

pub async fn get(who: Principal, path: web::Path<i64>) -> Result<HttpResponse, ApiError> {
    who.require(Permission::PersonRead)?;
    let id = path.into_inner();
    let person = who.db(move |tx| persons::get(tx, id)).await?;
    Ok(no_store(HttpResponse::Ok()).json(PersonView::of(person, who.can(Permission::PersonRevealId))))
}

/// Exactly one of `id_number` (exact) or `name_prefix`; with optional paging. Unknown fields are rejected (400).
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "PersonSearch")]
pub struct SearchInput {
    pub id_number: Option<String>,
    pub name_prefix: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// Exact identity number (in the body, never in a URL) or name prefix with paging.
pub async fn search(who: Principal, body: web::Json<SearchInput>) -> Result<HttpResponse, ApiError> {
    who.require(Permission::PersonRead)?;
    let reveal = who.can(Permission::PersonRevealId);
    let b = body.into_inner();
    let mut p = Problems::default();
    let (page, per_page) = input::paging(&mut p, b.page, b.per_page);
    match (input::opt_text(b.id_number), input::opt_text(b.name_prefix)) {
        (Some(id), None) => {
            let id = p.take(IdNumber::parse(&id, Utc::now().date_naive()));
            p.finish()?;
            let id = id.expect("checked");
            let found = who.db(move |tx| persons::find_by_id_number(tx, &id)).await?;
            Ok(no_store(HttpResponse::Ok()).json(exact(found.map(|x| PersonView::of(x, reveal)), per_page)))
        }
        (None, Some(prefix)) => {
            if prefix.chars().count() > 50 {
                p.push("name_prefix", "text.too_long");
            }
            p.finish()?;
            let found = who.db(move |tx| persons::search_by_name(tx, &prefix, page, per_page)).await?;
            Ok(no_store(HttpResponse::Ok()).json(found.map(|x| PersonView::of(x, reveal))))
        }
        _ => Err(ApiError::field("id_number", "search.criteria")),
    }
}

/// Absent fields are unchanged; an empty string clears an optional field. The identity number cannot be changed.
/// Unknown fields are rejected (400).
#[derive(Debug, Deserialize, Validate, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "PersonUpdate")]
pub struct UpdateInput {
    /// New name, 1–50 characters (`name.length`); cannot be cleared.
    #[validate(length(min = 1, max = 50, code = "name.length"), custom(function = "input::valid_name"))]
    pub name: Option<String>,
    /// At most 20 characters; `""` clears.
    #[validate(length(max = 20, code = "text.too_long"))]
    pub ethnicity: Option<String>,
    /// Household registration (户口性质): `urban` 城镇 or `rural` 农村 (`hukou_kind.invalid`).
    #[validate(custom(function = "valid_hukou"))]
    #[schemars(extend("enum" = ["urban", "rural", "", null]))]
    pub hukou_kind: Option<String>,
    /// At most 200 characters; `""` clears.
    #[validate(length(max = 200, code = "text.too_long"))]
    pub address: Option<String>,
    /// Phone number: digits, spaces, `+` and `-` only, at most 20 characters (`phone.format`).
    #[validate(custom(function = "valid_phone"))]
    pub phone: Option<String>,
    /// Why the record changes (2–200 characters; `reason.required`).
    #[serde(default)]
    #[validate(length(min = 2, max = 200, code = "reason.required"))]
    pub reason: String,
}

/// Absent field: unchanged; empty string: cleared.
fn clearable(v: Option<String>) -> Option<Option<String>> {
    v.map(|s| Some(s.trim().to_string()).filter(|s| !s.is_empty()))
}

pub async fn update(who: Principal, path: web::Path<i64>, body: web::Json<UpdateInput>) -> Result<HttpResponse, ApiError> {
    who.require(Permission::PersonWrite)?;
    let b = body.into_inner();
    b.validate()?;
    let reason = b.reason.trim().to_string();
    let patch = PersonPatch {
        name: b.name.map(|s| s.trim().to_string()),
        ethnicity: clearable(b.ethnicity),
        hukou_kind: clearable(b.hukou_kind),
        address: clearable(b.address),
        phone: clearable(b.phone),
    };
    let id = path.into_inner();
    let person = who.db(move |tx| persons::update(tx, id, patch, &reason)).await?;
    Ok(no_store(HttpResponse::Ok()).json(PersonView::of(person, who.can(Permission::PersonRevealId))))
}

pub async fn timeline(who: Principal, path: web::Path<i64>) -> Result<HttpResponse, ApiError> {
    who.require(Permission::PersonRead)?;
    let id = path.into_inner();
    let items = who
        .db(move |tx| {
            persons::get(tx, id)?;
            events::full_timeline(tx, id, 500)
        })
        .await?;
    Ok(no_store(HttpResponse::Ok()).json(Items::of(items)))
}

pub async fn employments(who: Principal, path: web::Path<i64>) -> Result<HttpResponse, ApiError> {
    who.require(Permission::PersonRead)?;
    let id = path.into_inner();
    let items = who
        .db(move |tx| {
            persons::get(tx, id)?;
            employments::of_person(tx, id)
        })
        .await?;
    Ok(no_store(HttpResponse::Ok()).json(Items::of(items)))
}

/// Personal data is never cached by browsers or proxies.
pub fn no_store(mut b: actix_web::HttpResponseBuilder) -> actix_web::HttpResponseBuilder {
    b.insert_header(("Cache-Control", "no-store"));
    b
}
