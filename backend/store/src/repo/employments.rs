//! Employment: a person working at an employer from a date, until a date.

use chrono::Datelike;
use chrono::NaiveDate;
use diesel::prelude::*;
use serde::Serialize;

use crate::error::{StoreError, StoreResult};
use crate::repo::{employers, events, persons};
use crate::tenant_tx::TenantTx;

#[derive(Debug, Clone, Queryable, Selectable, Serialize, schemars::JsonSchema)]
#[diesel(table_name = crate::schema::employment)]
pub struct Employment {
    pub id: i64,
    pub person_id: i64,
    pub employer_id: i64,
    pub start_date: NaiveDate,
    /// `null` while the employment is open.
    pub end_date: Option<NaiveDate>,
    pub end_reason: Option<String>,
}

/// Records a hire. Both records must exist in this tenant (404 otherwise); a person can hold one
/// open employment per employer (409).
pub fn hire(tx: &mut TenantTx<'_>, person_id: i64, employer_id: i64, start: NaiveDate) -> StoreResult<Employment> {
    let person = persons::get(tx, person_id).map_err(|e| field_not_found(e, "person_id"))?;
    let employer = employers::get(tx, employer_id).map_err(|e| field_not_found(e, "employer_id"))?;
    hire_known(tx, &person, &employer, start, Registered::Before)
}

/// Whether the person hired was registered in this very transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Registered {
    /// Registered earlier: a running unemployment benefit or registration may have to end.
    Before,
    /// Registered just now (the counter's one form): nothing of theirs can be running yet, so
    /// the re-employment checks are skipped (two reads fewer per enrolment of a new person).
    InThisTransaction,
}

/// [`hire`] for a person and employer already read in this transaction.
pub fn hire_known(
    tx: &mut TenantTx<'_>,
    person: &persons::Person,
    employer: &employers::Employer,
    start: NaiveDate,
    registered: Registered,
) -> StoreResult<Employment> {
    use crate::schema::employment::dsl as em;
    let (person_id, employer_id) = (person.id, employer.id);
    let tid = tx.tenant().0;
    let (user, account) = tx.writer()?;
    let row: Option<Employment> = diesel::insert_into(em::employment)
        .values((
            em::tenant_id.eq(tid),
            em::person_id.eq(person_id),
            em::employer_id.eq(employer_id),
            em::start_date.eq(start),
            em::created_by.eq(user),
            em::created_by_account.eq(account),
        ))
        .on_conflict_do_nothing()
        .returning(Employment::as_returning())
        .get_result(tx.conn())
        .optional()?;
    let row = row.ok_or_else(|| StoreError::conflict("person_id", "employment.already_open"))?;
    if registered == Registered::Before {
        // Re-employment ends a running unemployment benefit with the month before the new job.
        let last = start.with_day(1).unwrap_or(start) - chrono::Months::new(1);
        for claim in super::benefits::running(tx, person.id, "unemployment")? {
            super::benefits::stop(tx, claim, last, "re_employed")?;
        }
        // …and closes the unemployment registration as re-employed.
        if let Some(r) = super::labour::open_registration(tx, person.id)? {
            super::labour::end(tx, r.id, start.max(r.registered_on), true, "re_employed")?;
        }
    }
    events::record(tx, person.id, start, "employed", serde_json::json!({"employer_id": employer.id, "employer_name": employer.name}))?;
    tx.audit("employment.create", "employment", &row.id.to_string(), None, serde_json::to_value(&row).ok(), None)?;
    Ok(row)
}

fn field_not_found(e: StoreError, field: &'static str) -> StoreError {
    match e {
        StoreError::NotFound => StoreError::invalid(field, "not_found"),
        other => other,
    }
}

/// Ends an open employment.
pub fn leave(tx: &mut TenantTx<'_>, id: i64, end: NaiveDate, reason: Option<&str>) -> StoreResult<Employment> {
    use crate::schema::employment::dsl as em;
    let tid = tx.tenant().0;
    let before: Employment = em::employment
        .filter(em::tenant_id.eq(tid))
        .filter(em::id.eq(id))
        .select(Employment::as_select())
        .for_update()
        .first(tx.conn())
        .optional()?
        .ok_or(StoreError::NotFound)?;
    if before.end_date.is_some() {
        return Err(StoreError::conflict("end_date", "employment.already_ended"));
    }
    if end < before.start_date {
        return Err(StoreError::invalid("end_date", "employment.end_before_start"));
    }
    let after: Employment = diesel::update(em::employment.filter(em::tenant_id.eq(tid)).filter(em::id.eq(id)))
        .set((em::end_date.eq(Some(end)), em::end_reason.eq(reason), em::updated_at.eq(diesel::dsl::now)))
        .returning(Employment::as_returning())
        .get_result(tx.conn())?;
    events::record(tx, after.person_id, end, "left_employment", serde_json::json!({"employer_id": after.employer_id, "reason": reason}))?;
    tx.audit(
        "employment.end",
        "employment",
        &id.to_string(),
        serde_json::to_value(&before).ok(),
        serde_json::to_value(&after).ok(),
        reason,
    )?;
    Ok(after)
}

/// An employment of a person, with the employer's name.
#[derive(Debug, Clone, Queryable, Serialize, schemars::JsonSchema)]
pub struct EmploymentView {
    pub id: i64,
    pub person_id: i64,
    pub employer_id: i64,
    pub employer_name: String,
    pub start_date: NaiveDate,
    /// `null` while current (在职).
    pub end_date: Option<NaiveDate>,
}

pub fn of_person(tx: &mut TenantTx<'_>, person_id: i64) -> StoreResult<Vec<EmploymentView>> {
    use crate::schema::employer::dsl as e;
    use crate::schema::employment::dsl as em;
    let tid = tx.tenant().0;
    Ok(em::employment
        .inner_join(e::employer.on(e::tenant_id.eq(em::tenant_id).and(e::id.eq(em::employer_id))))
        .filter(em::tenant_id.eq(tid))
        .filter(em::person_id.eq(person_id))
        .order((em::start_date.desc(), em::id.desc()))
        .select((em::id, em::person_id, em::employer_id, e::name, em::start_date, em::end_date))
        .load(tx.conn())?)
}

/// An employee of an employer.
#[derive(Debug, Clone, Queryable, Serialize, schemars::JsonSchema)]
pub struct EmployeeView {
    pub employment_id: i64,
    pub person_id: i64,
    pub name: String,
    /// Masked (`4110**********0044`) unless the caller has `person.reveal_id`.
    pub id_number: String,
    pub start_date: NaiveDate,
    /// `null` while current.
    pub end_date: Option<NaiveDate>,
}

/// Employees of an employer, current ones first, paged.
pub fn of_employer(tx: &mut TenantTx<'_>, employer_id: i64, page: i64, per_page: i64) -> StoreResult<super::Page<EmployeeView>> {
    use crate::schema::employment::dsl as em;
    use crate::schema::person::dsl as p;
    let tid = tx.tenant().0;
    let items = em::employment
        .inner_join(p::person.on(p::tenant_id.eq(em::tenant_id).and(p::id.eq(em::person_id))))
        .filter(em::tenant_id.eq(tid))
        .filter(em::employer_id.eq(employer_id))
        .order((em::end_date.desc().nulls_first(), em::start_date.desc(), em::id.desc()))
        .offset((page - 1) * per_page)
        .limit(per_page + 1)
        .select((em::id, em::person_id, p::name, p::id_number, em::start_date, em::end_date))
        .load(tx.conn())?;
    Ok(super::Page::from_overfetch(items, page, per_page))
}

/// The person of an employment (404 when it is not in this tenant).
pub fn person_of(tx: &mut TenantTx<'_>, id: i64) -> StoreResult<i64> {
    use crate::schema::employment::dsl as em;
    let tid = tx.tenant().0;
    em::employment
        .filter(em::tenant_id.eq(tid))
        .filter(em::id.eq(id))
        .select(em::person_id)
        .first(tx.conn())
        .optional()?
        .ok_or(StoreError::NotFound)
}

/// Whether the person has an employment at the employer that started by `by` and is still open
/// (or ended after `by`).
pub fn open_at(tx: &mut TenantTx<'_>, person_id: i64, employer_id: i64, by: NaiveDate) -> StoreResult<bool> {
    use crate::schema::employment::dsl as em;
    let tid = tx.tenant().0;
    let n: i64 = em::employment
        .filter(em::tenant_id.eq(tid))
        .filter(em::person_id.eq(person_id))
        .filter(em::employer_id.eq(employer_id))
        .filter(em::start_date.le(by))
        .filter(em::end_date.is_null())
        .count()
        .get_result(tx.conn())?;
    Ok(n > 0)
}

/// The answer of [`link_online`] (migration `public_accounts`, `public_hire_link`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OnlineHire {
    /// No person with this identity number in the city: the employer registers them.
    NotRegistered,
    /// Registered under another name; nothing else is revealed.
    NameMismatch,
    /// Employed by this employer already (visible to it).
    AlreadyEmployed(i64),
    /// A clerk must decide (insured elsewhere, unemployment benefit or registration).
    NeedsClerk,
    /// The employment was recorded; the person is now visible to the employer.
    Linked(i64),
}

/// An employer account's hire of a person it cannot see yet: the one narrow database function
/// that looks past the employer's own people, then the timeline and the audit of the new
/// employment, as a clerk's hire writes them.
pub fn link_online(tx: &mut TenantTx<'_>, id_number: &str, name: &str, start: NaiveDate) -> StoreResult<OnlineHire> {
    use diesel::sql_types::{BigInt, Date, Nullable, Text};
    #[derive(QueryableByName)]
    struct R {
        #[diesel(sql_type = Text)]
        outcome: String,
        #[diesel(sql_type = Nullable<BigInt>)]
        person_id: Option<i64>,
        #[diesel(sql_type = Nullable<BigInt>)]
        employment_id: Option<i64>,
    }
    let r: R = diesel::sql_query("SELECT outcome, person_id, employment_id FROM public_hire_link($1, $2, $3)")
        .bind::<Text, _>(id_number)
        .bind::<Text, _>(name)
        .bind::<Date, _>(start)
        .get_result(tx.conn())?;
    Ok(match (r.outcome.as_str(), r.person_id, r.employment_id) {
        ("not_registered", _, _) => OnlineHire::NotRegistered,
        ("name_mismatch", _, _) => OnlineHire::NameMismatch,
        ("already_employed", Some(p), _) => OnlineHire::AlreadyEmployed(p),
        ("needs_clerk", _, _) => OnlineHire::NeedsClerk,
        ("linked", Some(p), Some(e)) => {
            let row: Employment = crate::schema::employment::dsl::employment
                .filter(crate::schema::employment::dsl::tenant_id.eq(tx.tenant().0))
                .filter(crate::schema::employment::dsl::id.eq(e))
                .select(Employment::as_select())
                .first(tx.conn())?;
            let employer = employers::get(tx, row.employer_id)?;
            events::record(tx, p, start, "employed", serde_json::json!({"employer_id": employer.id, "employer_name": employer.name}))?;
            tx.audit("employment.create", "employment", &e.to_string(), None, serde_json::to_value(&row).ok(), None)?;
            OnlineHire::Linked(p)
        }
        (other, ..) => return Err(StoreError::Unavailable(format!("public_hire_link answered {other}"))),
    })
}

/// One employee of an employer's roster: the employment, the person (identity number masked) and
/// the insurances active with this employer.
#[derive(Debug, Clone, QueryableByName, Serialize, schemars::JsonSchema)]
pub struct RosterRow {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub employment_id: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub person_id: i64,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub name: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub id_number: String,
    #[diesel(sql_type = diesel::sql_types::Date)]
    pub start_date: NaiveDate,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Date>)]
    pub end_date: Option<NaiveDate>,
    /// Insurance codes active with this employer, in a fixed order.
    #[diesel(sql_type = diesel::sql_types::Array<diesel::sql_types::Text>)]
    pub active_types: Vec<String>,
}

/// An employer's employees, current first, optionally only those whose name starts with
/// `search` or whose identity number is `search`; paged (at most 100 a page).
pub fn roster(
    tx: &mut TenantTx<'_>,
    employer_id: i64,
    search: Option<&str>,
    current_only: bool,
    page: i64,
    per_page: i64,
) -> StoreResult<super::Page<RosterRow>> {
    use diesel::sql_types::{BigInt, Bool, Nullable, SmallInt, Text};
    let (page, per_page) = (page.max(1), per_page.clamp(1, 100));
    let search = search.map(str::trim).filter(|s| !s.is_empty());
    let prefix = search.map(|s| format!("{}%", s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")));
    let rows: Vec<RosterRow> = diesel::sql_query(
        "SELECT m.id AS employment_id, m.person_id, p.name, p.id_number::text AS id_number, m.start_date, m.end_date,
                ARRAY(SELECT en.insurance_type FROM enrolment en
                       WHERE en.tenant_id = m.tenant_id AND en.person_id = m.person_id AND en.employer_id = m.employer_id
                         AND en.status = 'active' ORDER BY en.insurance_type) AS active_types
           FROM employment m JOIN person p ON p.tenant_id = m.tenant_id AND p.id = m.person_id
          WHERE m.tenant_id = $1 AND m.employer_id = $2
            AND ($3::text IS NULL OR p.name LIKE $4 OR p.id_number = upper($3))
            AND (NOT $5 OR m.end_date IS NULL)
          ORDER BY m.end_date DESC NULLS FIRST, p.name, m.id
          LIMIT $6 OFFSET $7",
    )
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<BigInt, _>(employer_id)
    .bind::<Nullable<Text>, _>(search)
    .bind::<Nullable<Text>, _>(prefix)
    .bind::<Bool, _>(current_only)
    .bind::<BigInt, _>(per_page + 1)
    .bind::<BigInt, _>((page - 1) * per_page)
    .load(tx.conn())?;
    Ok(super::Page::from_overfetch(rows, page, per_page))
}

/// The open employment of a person at an employer, if any.
pub fn open_of(tx: &mut TenantTx<'_>, person_id: i64, employer_id: i64) -> StoreResult<Option<i64>> {
    use crate::schema::employment::dsl as em;
    Ok(em::employment
        .filter(em::tenant_id.eq(tx.tenant().0))
        .filter(em::person_id.eq(person_id))
        .filter(em::employer_id.eq(employer_id))
        .filter(em::end_date.is_null())
        .select(em::id)
        .first(tx.conn())
        .optional()?)
}
