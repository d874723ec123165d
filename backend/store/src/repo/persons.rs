//! The unified person registry.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use jinbao_domain::id_number::Gender;
use jinbao_domain::IdNumber;
use serde::Serialize;

use super::{like_escape, prefix_upper_bound, Page};
use crate::error::{StoreError, StoreResult};
use crate::repo::events;
use crate::tenant_tx::TenantTx;

#[derive(Debug, Clone, Queryable, Selectable, Serialize, schemars::JsonSchema)]
#[diesel(table_name = crate::schema::person)]
pub struct Person {
    pub id: i64,
    pub id_number: String,
    pub name: String,
    #[diesel(deserialize_as = crate::kinds::GenderText)]
    pub gender: Gender,
    pub birth_date: NaiveDate,
    pub ethnicity: Option<String>,
    #[schemars(extend("enum" = ["urban", "rural", null]))]
    pub hukou_kind: Option<String>,
    pub address: Option<String>,
    pub phone: Option<String>,
    #[schemars(extend("enum" = ["active", "deceased"]))]
    pub status: String,
    pub office_id: i32,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Fields a clerk enters; the identity number is already parsed.
#[derive(Debug, Clone, Default, Serialize, schemars::JsonSchema)]
pub struct PersonFields {
    pub name: String,
    pub ethnicity: Option<String>,
    pub hukou_kind: Option<String>,
    pub address: Option<String>,
    pub phone: Option<String>,
}

/// Registers a person; `Conflict` on a duplicate identity number in this tenant.
pub fn create(tx: &mut TenantTx<'_>, id_number: &IdNumber, f: &PersonFields) -> StoreResult<Person> {
    use crate::schema::person::dsl as p;
    let tid = tx.tenant().0;
    let office = tx.actor().office_id().ok_or_else(|| StoreError::invalid("office", "office.unknown"))?;
    let (user, account) = tx.writer()?;
    let created: Option<Person> = diesel::insert_into(p::person)
        .values((
            p::tenant_id.eq(tid),
            p::id_number.eq(id_number.as_str()),
            p::name.eq(&f.name),
            p::gender.eq(id_number.gender().code()),
            p::birth_date.eq(id_number.birth_date()),
            p::ethnicity.eq(&f.ethnicity),
            p::hukou_kind.eq(&f.hukou_kind),
            p::address.eq(&f.address),
            p::phone.eq(&f.phone),
            p::office_id.eq(office),
            p::created_by.eq(user),
            p::created_by_account.eq(account),
        ))
        .on_conflict((p::tenant_id, p::id_number))
        .do_nothing()
        .returning(Person::as_returning())
        .get_result(tx.conn())
        .optional()?;
    let person = created.ok_or_else(|| StoreError::conflict("id_number", "person.duplicate"))?;
    tx.push_stat("persons", None, "", 1);
    events::record(tx, person.id, Utc::now().date_naive(), "registered", serde_json::json!({"name": person.name}))?;
    tx.audit("person.create", "person", &person.id.to_string(), None, Some(audit_view(&person)), None)?;
    Ok(person)
}

/// The audit copy of a person: the identity number masked, as in logs.
fn audit_view(p: &Person) -> serde_json::Value {
    let mut v = serde_json::to_value(p).unwrap_or_default();
    v["id_number"] = serde_json::Value::String(jinbao_domain::id_number::mask(&p.id_number));
    v
}

pub fn get(tx: &mut TenantTx<'_>, id: i64) -> StoreResult<Person> {
    use crate::schema::person::dsl as p;
    let tid = tx.tenant().0;
    p::person
        .filter(p::tenant_id.eq(tid))
        .filter(p::id.eq(id))
        .select(Person::as_select())
        .first(tx.conn())
        .optional()?
        .ok_or(StoreError::NotFound)
}

pub fn find_by_id_number(tx: &mut TenantTx<'_>, id_number: &IdNumber) -> StoreResult<Option<Person>> {
    use crate::schema::person::dsl as p;
    let tid = tx.tenant().0;
    Ok(p::person
        .filter(p::tenant_id.eq(tid))
        .filter(p::id_number.eq(id_number.as_str()))
        .select(Person::as_select())
        .first(tx.conn())
        .optional()?)
}

/// Name-prefix search, ordered by name then id. The explicit range `[prefix, next prefix)` on the
/// "C"-collated name lets the `(tenant_id, name, id)` index serve both the filter and the order,
/// whatever the plan does with the LIKE pattern.
pub fn search_by_name(tx: &mut TenantTx<'_>, prefix: &str, page: i64, per_page: i64) -> StoreResult<Page<Person>> {
    use crate::schema::person::dsl as p;
    let tid = tx.tenant().0;
    let upper = prefix_upper_bound(prefix);
    let items = p::person
        .filter(p::tenant_id.eq(tid))
        .filter(p::name.ge(prefix).and(p::name.lt(upper)))
        .filter(p::name.like(format!("{}%", like_escape(prefix))))
        .order((p::name, p::id))
        .offset((page - 1) * per_page)
        .limit(per_page + 1)
        .select(Person::as_select())
        .load(tx.conn())?;
    Ok(Page::from_overfetch(items, page, per_page))
}

/// Changes to a person's editable fields; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct PersonPatch {
    pub name: Option<String>,
    pub ethnicity: Option<Option<String>>,
    pub hukou_kind: Option<Option<String>>,
    pub address: Option<Option<String>>,
    pub phone: Option<Option<String>>,
}

#[derive(AsChangeset)]
#[diesel(table_name = crate::schema::person)]
struct PersonChanges {
    name: Option<String>,
    ethnicity: Option<Option<String>>,
    hukou_kind: Option<Option<String>>,
    address: Option<Option<String>>,
    phone: Option<Option<String>>,
}

/// Updates a person with a reason; writes before and after to the audit log.
pub fn update(tx: &mut TenantTx<'_>, id: i64, patch: PersonPatch, reason: &str) -> StoreResult<Person> {
    use crate::schema::person::dsl as p;
    let tid = tx.tenant().0;
    let before: Person = p::person
        .filter(p::tenant_id.eq(tid))
        .filter(p::id.eq(id))
        .select(Person::as_select())
        .for_update()
        .first(tx.conn())
        .optional()?
        .ok_or(StoreError::NotFound)?;
    let changes = PersonChanges {
        name: patch.name,
        ethnicity: patch.ethnicity,
        hukou_kind: patch.hukou_kind,
        address: patch.address,
        phone: patch.phone,
    };
    let after: Person = diesel::update(p::person.filter(p::tenant_id.eq(tid)).filter(p::id.eq(id)))
        .set((&changes, p::version.eq(p::version + 1), p::updated_at.eq(diesel::dsl::now)))
        .returning(Person::as_returning())
        .get_result(tx.conn())?;
    events::record(tx, id, Utc::now().date_naive(), "updated", serde_json::json!({"reason": reason}))?;
    tx.audit("person.update", "person", &id.to_string(), Some(audit_view(&before)), Some(audit_view(&after)), Some(reason))?;
    Ok(after)
}

/// The principal person's pension record in another city (migration `person_service`,
/// `public_person_elsewhere`): only in a person's own transaction.
#[derive(Debug, Clone, diesel::QueryableByName, Serialize, schemars::JsonSchema)]
pub struct HeldElsewhere {
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub tenant_code: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub name_zh: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub name_en: String,
    /// Months of pension insurance recorded there (enrolment spans to this month).
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub pension_months: i64,
    /// Months that city has transferred out (completed transfers).
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub transferred_months: i64,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    pub insured_now: bool,
}

/// The person's record in the other cities of Henan, read through the one audited function that
/// answers for the principal person only.
pub fn held_elsewhere(tx: &mut TenantTx<'_>) -> StoreResult<Vec<HeldElsewhere>> {
    Ok(diesel::sql_query("SELECT * FROM public_person_elsewhere()").load(tx.conn())?)
}
