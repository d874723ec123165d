//! The labour-market record: unemployment registration (registered unemployed and seeking work),
//! re-employment, vocational training and employment-service contacts — each on the person's
//! timeline and in the province's statistics (registered unemployed now, re-employed and trainees
//! per month).

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Int4, Nullable, SmallInt, Text};
use serde::Serialize;

use super::Page;
use crate::error::{is_unique_violation, StoreError, StoreResult};
use crate::kinds::RegistrationStatus;
use crate::tenant_tx::TenantTx;

fn user_office(tx: &TenantTx<'_>) -> StoreResult<(i64, i32)> {
    let user = tx.actor().user_id().ok_or_else(|| StoreError::invalid("user", "benefit.user_required"))?;
    Ok((user, tx.actor().office_id().unwrap_or(1)))
}

/// A reference to a person not in this city (another city's id, or none) is a field error.
fn unknown_person(e: diesel::result::Error) -> StoreError {
    match e {
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::ForeignKeyViolation, _) => {
            StoreError::invalid("person_id", "person.unknown")
        }
        e => e.into(),
    }
}

fn first_of_month(d: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(chrono::Datelike::year(&d), chrono::Datelike::month(&d), 1).unwrap_or(d)
}

/// An unemployment registration (失业登记).
#[derive(Debug, Clone, Serialize, QueryableByName, schemars::JsonSchema)]
#[schemars(rename = "UnemploymentRegistration")]
pub struct Registration {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = BigInt)]
    pub person_id: i64,
    #[diesel(sql_type = Text)]
    pub person_name: String,
    #[diesel(sql_type = Date)]
    pub registered_on: NaiveDate,
    #[diesel(sql_type = Text)]
    pub reason: String,
    #[diesel(sql_type = Text)]
    pub status: crate::kinds::RegistrationStatus,
    /// When it ended; `null` while `seeking` (a table constraint).
    #[diesel(sql_type = Nullable<Date>)]
    pub ended_on: Option<NaiveDate>,
    /// `re_employed` when a hire ended it; the clerk's reason when closed; `null` while `seeking`.
    #[diesel(sql_type = Nullable<Text>)]
    pub end_reason: Option<String>,
    /// The office that registered it (the clerk's office).
    #[diesel(sql_type = Text)]
    pub office_name: String,
}

const REG_SELECT: &str = "SELECT r.id, r.person_id, p.name AS person_name, r.registered_on, r.reason, r.status, r.ended_on, r.end_reason,
        o.name_zh AS office_name
     FROM unemployment_registration r
     JOIN person p ON p.tenant_id = r.tenant_id AND p.id = r.person_id
     JOIN office o ON o.tenant_id = r.tenant_id AND o.id = r.office_id";

/// Registers the person as unemployed and seeking work (one open registration per person).
pub fn register(tx: &mut TenantTx<'_>, person_id: i64, on: NaiveDate, reason: &str) -> StoreResult<Registration> {
    let (user, office) = user_office(tx)?;
    let id: crate::repo::IdRow = diesel::sql_query(
        "INSERT INTO unemployment_registration (tenant_id, person_id, registered_on, reason, office_id, created_by)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<BigInt, _>(person_id)
    .bind::<Date, _>(on)
    .bind::<Text, _>(reason)
    .bind::<Int4, _>(office)
    .bind::<BigInt, _>(user)
    .get_result(tx.conn())
    .map_err(|e| {
        if is_unique_violation(&e, "unemployment_registration_open") {
            StoreError::conflict("person_id", "labour.already_registered")
        } else {
            unknown_person(e)
        }
    })?;
    tx.push_stat("registered_unemployed", None, "", 1);
    super::events::record(tx, person_id, on, "unemployment_registered", serde_json::json!({"reason": reason, "registration_id": id.id}))?;
    tx.audit(
        "labour.register",
        "unemployment_registration",
        &id.id.to_string(),
        None,
        Some(serde_json::json!({"reason": reason, "on": on})),
        None,
    )?;
    get_registration(tx, id.id)
}

pub fn get_registration(tx: &mut TenantTx<'_>, id: i64) -> StoreResult<Registration> {
    diesel::sql_query(format!("{REG_SELECT} WHERE r.tenant_id = $1 AND r.id = $2"))
        .bind::<SmallInt, _>(tx.tenant().0)
        .bind::<BigInt, _>(id)
        .get_result(tx.conn())
        .optional()?
        .ok_or(StoreError::NotFound)
}

/// The person's open registration, if any.
pub fn open_registration(tx: &mut TenantTx<'_>, person_id: i64) -> StoreResult<Option<Registration>> {
    Ok(diesel::sql_query(format!("{REG_SELECT} WHERE r.tenant_id = $1 AND r.person_id = $2 AND r.status = 'seeking'"))
        .bind::<SmallInt, _>(tx.tenant().0)
        .bind::<BigInt, _>(person_id)
        .get_result(tx.conn())
        .optional()?)
}

/// Ends the open registration: `re_employed` (a job was recorded) or `closed` (another reason).
pub fn end(tx: &mut TenantTx<'_>, id: i64, on: NaiveDate, re_employed: bool, reason: &str) -> StoreResult<Registration> {
    let before = get_registration(tx, id)?;
    if before.status != RegistrationStatus::Seeking {
        return Err(StoreError::conflict("status", "labour.not_open"));
    }
    if on < before.registered_on {
        return Err(StoreError::invalid("ended_on", "date.order"));
    }
    let changed = diesel::sql_query(
        "UPDATE unemployment_registration SET status = $3, ended_on = $4, end_reason = $5 WHERE tenant_id = $1 AND id = $2 AND status = 'seeking'",
    )
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<BigInt, _>(id)
    .bind::<Text, _>(if re_employed { "re_employed" } else { "closed" })
    .bind::<Date, _>(on)
    .bind::<Text, _>(reason)
    .execute(tx.conn())?;
    if changed == 0 {
        return Err(StoreError::conflict("status", "labour.not_open"));
    }
    tx.push_stat("registered_unemployed", None, "", -1);
    if !re_employed {
        // No longer registered and seeking work: a running unemployment benefit ends with the
        // month before (re-employment stops it when the job is recorded).
        let last = first_of_month(on) - chrono::Months::new(1);
        for claim in super::benefits::running(tx, before.person_id, "unemployment")? {
            super::benefits::stop(tx, claim, last, "registration_closed")?;
        }
    }
    if re_employed {
        tx.push_stat("re_employed", Some(first_of_month(on)), "", 1);
    }
    super::events::record(
        tx,
        before.person_id,
        on,
        if re_employed { "re_employed" } else { "unemployment_closed" },
        serde_json::json!({"registration_id": id, "reason": reason}),
    )?;
    tx.audit(
        "labour.end",
        "unemployment_registration",
        &id.to_string(),
        Some(serde_json::json!({"status": "seeking"})),
        Some(serde_json::json!({"status": if re_employed { "re_employed" } else { "closed" }, "on": on})),
        Some(reason),
    )?;
    get_registration(tx, id)
}

/// Registrations by status, newest first, optionally by name prefix.
pub fn registrations(
    tx: &mut TenantTx<'_>,
    status: Option<&str>,
    name_prefix: Option<&str>,
    page: i64,
    per_page: i64,
) -> StoreResult<Page<Registration>> {
    let prefix = name_prefix.map(|p| format!("{}%", super::like_escape(p)));
    let rows: Vec<Registration> = diesel::sql_query(format!(
        "{REG_SELECT} WHERE r.tenant_id = $1 AND ($2::text IS NULL OR r.status = $2) AND ($3::text IS NULL OR p.name LIKE $3)
         ORDER BY r.registered_on DESC, r.id DESC LIMIT $4 OFFSET $5"
    ))
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<Nullable<Text>, _>(status)
    .bind::<Nullable<Text>, _>(prefix)
    .bind::<BigInt, _>(per_page + 1)
    .bind::<BigInt, _>((page - 1) * per_page)
    .load(tx.conn())?;
    Ok(Page::from_overfetch(rows, page, per_page))
}

/// A recorded vocational training.
#[derive(Debug, Clone, Serialize, QueryableByName, schemars::JsonSchema)]
pub struct Training {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = BigInt)]
    pub person_id: i64,
    #[diesel(sql_type = Text)]
    pub person_name: String,
    #[diesel(sql_type = Text)]
    pub course: String,
    #[diesel(sql_type = Text)]
    pub provider: String,
    #[diesel(sql_type = Date)]
    pub start_date: NaiveDate,
    #[diesel(sql_type = Nullable<Date>)]
    pub end_date: Option<NaiveDate>,
    #[diesel(sql_type = Nullable<Text>)]
    pub certificate_no: Option<String>,
    /// Training subsidy in integer fen (120000 = 1,200.00 yuan); 0 when none.
    #[diesel(sql_type = BigInt)]
    pub subsidy_fen: i64,
}

pub struct NewTraining<'a> {
    pub course: &'a str,
    pub provider: &'a str,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    pub certificate_no: Option<&'a str>,
    pub subsidy_fen: i64,
}

pub fn add_training(tx: &mut TenantTx<'_>, person_id: i64, t: &NewTraining<'_>) -> StoreResult<Training> {
    let (user, office) = user_office(tx)?;
    let id: crate::repo::IdRow = diesel::sql_query(
        "INSERT INTO training (tenant_id, person_id, course, provider, start_date, end_date, certificate_no, subsidy_fen, office_id, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<BigInt, _>(person_id)
    .bind::<Text, _>(t.course)
    .bind::<Text, _>(t.provider)
    .bind::<Date, _>(t.start_date)
    .bind::<Nullable<Date>, _>(t.end_date)
    .bind::<Nullable<Text>, _>(t.certificate_no)
    .bind::<BigInt, _>(t.subsidy_fen)
    .bind::<Int4, _>(office)
    .bind::<BigInt, _>(user)
    .get_result(tx.conn())
    .map_err(unknown_person)?;
    tx.push_stat("trainees", Some(first_of_month(t.start_date)), "", 1);
    super::events::record(
        tx,
        person_id,
        t.start_date,
        "training",
        serde_json::json!({"course": t.course, "provider": t.provider, "end_date": t.end_date, "certificate_no": t.certificate_no,
                           "subsidy_fen": t.subsidy_fen}),
    )?;
    tx.audit("labour.training", "training", &id.id.to_string(), None, Some(serde_json::json!({"course": t.course})), None)?;
    let rows = trainings(tx, None, Some(id.id), 1, 1)?;
    rows.items.into_iter().next().ok_or(StoreError::NotFound)
}

/// Trainings, newest first; by person or a single one.
pub fn trainings(tx: &mut TenantTx<'_>, person_id: Option<i64>, id: Option<i64>, page: i64, per_page: i64) -> StoreResult<Page<Training>> {
    let rows: Vec<Training> = diesel::sql_query(
        "SELECT t.id, t.person_id, p.name AS person_name, t.course, t.provider, t.start_date, t.end_date, t.certificate_no, t.subsidy_fen
         FROM training t JOIN person p ON p.tenant_id = t.tenant_id AND p.id = t.person_id
         WHERE t.tenant_id = $1 AND ($2::bigint IS NULL OR t.person_id = $2) AND ($3::bigint IS NULL OR t.id = $3)
         ORDER BY t.start_date DESC, t.id DESC LIMIT $4 OFFSET $5",
    )
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<Nullable<BigInt>, _>(person_id)
    .bind::<Nullable<BigInt>, _>(id)
    .bind::<BigInt, _>(per_page + 1)
    .bind::<BigInt, _>((page - 1) * per_page)
    .load(tx.conn())?;
    Ok(Page::from_overfetch(rows, page, per_page))
}

/// A recorded employment-service contact.
#[derive(Debug, Clone, Serialize, QueryableByName, schemars::JsonSchema)]
#[schemars(rename = "ServiceContact")]
pub struct Contact {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Date)]
    pub contacted_on: NaiveDate,
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub note: Option<String>,
    /// Display name of the user who recorded it.
    #[diesel(sql_type = Text)]
    pub handler: String,
    /// When it was recorded. RFC 3339, UTC.
    #[diesel(sql_type = diesel::sql_types::Timestamptz)]
    pub created_at: DateTime<Utc>,
}

pub fn add_contact(tx: &mut TenantTx<'_>, person_id: i64, on: NaiveDate, kind: &str, note: Option<&str>) -> StoreResult<i64> {
    let (user, office) = user_office(tx)?;
    let id: crate::repo::IdRow = diesel::sql_query(
        "INSERT INTO service_contact (tenant_id, person_id, contacted_on, kind, note, office_id, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<BigInt, _>(person_id)
    .bind::<Date, _>(on)
    .bind::<Text, _>(kind)
    .bind::<Nullable<Text>, _>(note)
    .bind::<Int4, _>(office)
    .bind::<BigInt, _>(user)
    .get_result(tx.conn())
    .map_err(unknown_person)?;
    super::events::record(tx, person_id, on, "service_contact", serde_json::json!({"kind": kind, "reason": note}))?;
    tx.audit("labour.contact", "service_contact", &id.id.to_string(), None, Some(serde_json::json!({"kind": kind})), None)?;
    Ok(id.id)
}

pub fn contacts(tx: &mut TenantTx<'_>, person_id: i64) -> StoreResult<Vec<Contact>> {
    Ok(diesel::sql_query(
        "SELECT c.id, c.contacted_on, c.kind, c.note, u.display_name AS handler, c.created_at
         FROM service_contact c JOIN app_user u ON u.tenant_id = c.tenant_id AND u.id = c.created_by
         WHERE c.tenant_id = $1 AND c.person_id = $2 ORDER BY c.contacted_on DESC, c.id DESC",
    )
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<BigInt, _>(person_id)
    .load(tx.conn())?)
}
