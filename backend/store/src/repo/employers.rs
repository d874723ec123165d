//! The employer registry.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use jinbao_domain::CreditCode;
use serde::Serialize;

use super::{like_escape, prefix_upper_bound, Page};
use crate::error::{StoreError, StoreResult};
use crate::tenant_tx::TenantTx;

#[derive(Debug, Clone, Queryable, Selectable, Serialize, schemars::JsonSchema)]
#[diesel(table_name = crate::schema::employer)]
pub struct Employer {
    pub id: i64,
    /// Upper case.
    pub credit_code: String,
    pub name: String,
    pub industry_code: Option<String>,
    pub risk_class: i16,
    pub address: Option<String>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub registered_on: NaiveDate,
    /// `active` 正常 or `closed` 已注销.
    #[schemars(extend("enum" = ["active", "closed"]))]
    pub status: String,
    /// Internal id of the registering office.
    pub office_id: i32,
    pub version: i32,
    /// Registration time. RFC 3339, UTC.
    pub created_at: DateTime<Utc>,
    /// Last change. RFC 3339, UTC.
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct EmployerFields {
    pub name: String,
    pub industry_code: Option<String>,
    pub risk_class: i16,
    pub address: Option<String>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub registered_on: NaiveDate,
}

pub fn create(tx: &mut TenantTx<'_>, code: &CreditCode, f: &EmployerFields) -> StoreResult<Employer> {
    use crate::schema::employer::dsl as e;
    let tid = tx.tenant().0;
    let office = tx.actor().office_id().ok_or_else(|| StoreError::invalid("office", "office.unknown"))?;
    let user = tx.actor().user_id().ok_or_else(|| StoreError::invalid("user", "user.unknown"))?;
    let created: Option<Employer> = diesel::insert_into(e::employer)
        .values((
            e::tenant_id.eq(tid),
            e::credit_code.eq(code.as_str()),
            e::name.eq(&f.name),
            e::industry_code.eq(&f.industry_code),
            e::risk_class.eq(f.risk_class),
            e::address.eq(&f.address),
            e::contact_name.eq(&f.contact_name),
            e::contact_phone.eq(&f.contact_phone),
            e::registered_on.eq(f.registered_on),
            e::office_id.eq(office),
            e::created_by.eq(user),
        ))
        .on_conflict((e::tenant_id, e::credit_code))
        .do_nothing()
        .returning(Employer::as_returning())
        .get_result(tx.conn())
        .optional()?;
    let employer = created.ok_or_else(|| StoreError::conflict("credit_code", "employer.duplicate"))?;
    tx.push_stat("employers", None, "", 1);
    tx.audit("employer.create", "employer", &employer.id.to_string(), None, serde_json::to_value(&employer).ok(), None)?;
    Ok(employer)
}

pub fn get(tx: &mut TenantTx<'_>, id: i64) -> StoreResult<Employer> {
    use crate::schema::employer::dsl as e;
    let tid = tx.tenant().0;
    e::employer
        .filter(e::tenant_id.eq(tid))
        .filter(e::id.eq(id))
        .select(Employer::as_select())
        .first(tx.conn())
        .optional()?
        .ok_or(StoreError::NotFound)
}

/// [`get`], with the employer's floating work-injury rate in force in `period` (percent of the
/// class rate; 100 without a decision, as `injury_rates::percent_at`) read in the same statement.
pub fn get_with_injury_percent(tx: &mut TenantTx<'_>, id: i64, period: jinbao_domain::Period) -> StoreResult<(Employer, u32)> {
    use crate::schema::employer::dsl as e;
    use diesel::sql_types::{Date, Nullable, SmallInt};
    let tid = tx.tenant().0;
    let percent = diesel::dsl::sql::<Nullable<SmallInt>>(
        "(SELECT f.percent FROM employer_injury_float f WHERE f.tenant_id = employer.tenant_id AND f.employer_id = employer.id AND f.effective_from <= ",
    )
    .bind::<Date, _>(period.first_day())
    .sql(" ORDER BY f.effective_from DESC LIMIT 1)");
    let (employer, percent): (Employer, Option<i16>) = e::employer
        .filter(e::tenant_id.eq(tid))
        .filter(e::id.eq(id))
        .select((Employer::as_select(), percent))
        .first(tx.conn())
        .optional()?
        .ok_or(StoreError::NotFound)?;
    Ok((employer, percent.map_or(100, |p| p as u32)))
}

pub fn find_by_credit_code(tx: &mut TenantTx<'_>, code: &CreditCode) -> StoreResult<Option<Employer>> {
    use crate::schema::employer::dsl as e;
    let tid = tx.tenant().0;
    Ok(e::employer
        .filter(e::tenant_id.eq(tid))
        .filter(e::credit_code.eq(code.as_str()))
        .select(Employer::as_select())
        .first(tx.conn())
        .optional()?)
}

pub fn search_by_name(tx: &mut TenantTx<'_>, prefix: &str, page: i64, per_page: i64) -> StoreResult<Page<Employer>> {
    use crate::schema::employer::dsl as e;
    let tid = tx.tenant().0;
    let upper = prefix_upper_bound(prefix);
    let items = e::employer
        .filter(e::tenant_id.eq(tid))
        .filter(e::name.ge(prefix).and(e::name.lt(upper)))
        .filter(e::name.like(format!("{}%", like_escape(prefix))))
        .order((e::name, e::id))
        .offset((page - 1) * per_page)
        .limit(per_page + 1)
        .select(Employer::as_select())
        .load(tx.conn())?;
    Ok(Page::from_overfetch(items, page, per_page))
}

#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = crate::schema::employer)]
pub struct EmployerPatch {
    pub name: Option<String>,
    pub industry_code: Option<Option<String>>,
    pub risk_class: Option<i16>,
    pub address: Option<Option<String>>,
    pub contact_name: Option<Option<String>>,
    pub contact_phone: Option<Option<String>>,
}

pub fn update(tx: &mut TenantTx<'_>, id: i64, patch: &EmployerPatch, reason: &str) -> StoreResult<Employer> {
    use crate::schema::employer::dsl as e;
    let tid = tx.tenant().0;
    let before: Employer = e::employer
        .filter(e::tenant_id.eq(tid))
        .filter(e::id.eq(id))
        .select(Employer::as_select())
        .for_update()
        .first(tx.conn())
        .optional()?
        .ok_or(StoreError::NotFound)?;
    let after: Employer = diesel::update(e::employer.filter(e::tenant_id.eq(tid)).filter(e::id.eq(id)))
        .set((patch, e::version.eq(e::version + 1), e::updated_at.eq(diesel::dsl::now)))
        .returning(Employer::as_returning())
        .get_result(tx.conn())?;
    tx.audit(
        "employer.update",
        "employer",
        &id.to_string(),
        serde_json::to_value(&before).ok(),
        serde_json::to_value(&after).ok(),
        Some(reason),
    )?;
    Ok(after)
}
