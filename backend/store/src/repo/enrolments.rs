//! One-form enrolment in any set of the five insurances, stopping, and the lists around them.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use diesel::prelude::*;
use jinbao_domain::{contribution, Assessment, Fen, IdNumber, InsuranceType, Period};
use serde::Serialize;

use super::Page;
use crate::error::{is_unique_violation, StoreError, StoreResult};
use crate::repo::persons::PersonFields;
use crate::repo::{employers, employments, events, persons, rules};
use crate::tenant_tx::TenantTx;
use jinbao_domain::FieldError;

/// One person's enrolment in one insurance type at one employer.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, schemars::JsonSchema)]
#[diesel(table_name = crate::schema::enrolment)]
pub struct Enrolment {
    pub id: i64,
    pub person_id: i64,
    pub employer_id: i64,
    pub insurance_type: String,
    /// First covered period, as its first day.
    pub start_period: NaiveDate,
    /// Last covered period, as its first day; `null` while active.
    pub end_period: Option<NaiveDate>,
    /// `active` 参保中 or `stopped` 已停保.
    pub status: crate::kinds::EnrolmentStatus,
    /// The reason given when stopped.
    pub stop_reason: Option<String>,
    /// RFC 3339, UTC.
    pub created_at: DateTime<Utc>,
}

/// Who is enrolled: a registered person, or one registered in the same request.
#[derive(Debug, Clone)]
pub enum PersonChoice {
    Existing(i64),
    New(IdNumber, PersonFields),
}

#[derive(Debug, Clone)]
pub struct EnrolRequest {
    pub person: PersonChoice,
    pub employer_id: i64,
    pub start: Period,
    pub declared_wage: Fen,
    pub types: Vec<InsuranceType>,
    /// Records the hire in the same transaction (always done for a new person: from this date,
    /// or the first day of the start period).
    pub hire_date: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct EnrolOutcome {
    pub person_id: i64,
    pub employer_id: i64,
    pub start_period: Period,
    pub enrolments: Vec<Enrolment>,
    pub rule_id: i64,
    /// The base was computed with the previous base year's reference wage (the new one is not set yet).
    pub provisional: bool,
    pub amounts: Assessment,
}

fn last_day(p: Period) -> NaiveDate {
    p.plus_months(1).map_or(NaiveDate::MAX, |n| n.first_day().pred_opt().unwrap_or(NaiveDate::MAX))
}

/// Enrols a person in every requested type, all or nothing. Field-level problems are collected
/// and returned together.
pub fn enrol(tx: &mut TenantTx<'_>, req: &EnrolRequest) -> StoreResult<EnrolOutcome> {
    let mut problems: Vec<FieldError> = Vec::new();
    if req.types.is_empty() {
        problems.push(FieldError::new("insurance_types", "required"));
    }
    let employer = match employers::get_with_injury_percent(tx, req.employer_id, req.start) {
        Ok(e) => Some(e),
        Err(StoreError::NotFound) => {
            problems.push(FieldError::new("employer_id", "not_found"));
            None
        }
        Err(e) => return Err(e),
    };
    if let Some((e, _)) = &employer {
        if req.start < Period::of_date(e.registered_on) {
            problems.push(FieldError::new("start_period", "enrolment.before_registration"));
        }
    }
    let rule = rules::for_period(tx, req.start)?;
    if rule.is_none() {
        problems.push(FieldError::new("start_period", "enrolment.no_rules"));
    }
    let (person_id, is_new) = match &req.person {
        PersonChoice::Existing(id) => match persons::get(tx, *id) {
            Ok(p) => (Some(p.id), false),
            Err(StoreError::NotFound) => {
                problems.push(FieldError::new("person_id", "not_found"));
                (None, false)
            }
            Err(e) => return Err(e),
        },
        PersonChoice::New(..) => (None, true),
    };
    if let Some(pid) = person_id {
        let active = active_types(tx, pid)?;
        if req.types.iter().any(|t| active.contains(t)) {
            problems.push(FieldError::new("insurance_types", "enrolment.already_active"));
        }
    }
    if !problems.is_empty() {
        return Err(StoreError::Invalid(problems));
    }
    let (employer, injury_percent) = employer.expect("checked");
    let rule = rule.expect("checked");
    let person = match (&req.person, person_id) {
        (_, Some(id)) => persons::get(tx, id)?,
        (PersonChoice::New(idn, fields), None) => persons::create(tx, idn, fields)?,
        (PersonChoice::Existing(_), None) => unreachable!("checked above"),
    };
    let person_id = person.id;
    // Employment: hire now if asked (or for a new person); otherwise one must be open.
    let open = !is_new && employments::open_at(tx, person_id, employer.id, last_day(req.start))?;
    if !open {
        if req.hire_date.is_some() || is_new {
            let hire = req.hire_date.unwrap_or_else(|| req.start.first_day());
            if hire > last_day(req.start) {
                return Err(StoreError::invalid("hire_date", "enrolment.hire_after_start"));
            }
            let registered = if is_new { employments::Registered::InThisTransaction } else { employments::Registered::Before };
            employments::hire_known(tx, &person, &employer, hire, registered)?;
        } else {
            return Err(StoreError::invalid("person_id", "enrolment.not_employed"));
        }
    }
    declare_base_known(tx, person_id, employer.id, req.start, req.declared_wage, "enrolment", is_new)?;
    let previously: Vec<String> = if is_new { Vec::new() } else { stopped_types(tx, person_id, employer.id)? };
    let mut types = req.types.clone();
    types.sort();
    types.dedup();
    let created = insert_enrolments(tx, person_id, employer.id, &types, req.start)?;
    let resumed: Vec<&str> = types.iter().map(|t| t.code()).filter(|c| previously.iter().any(|p| p == c)).collect();
    let codes: Vec<&str> = types.iter().map(|t| t.code()).collect();
    events::record(
        tx,
        person_id,
        req.start.first_day(),
        if resumed.len() == codes.len() { "resumed" } else { "enrolled" },
        serde_json::json!({"employer_id": employer.id, "employer_name": employer.name, "types": codes, "period": req.start.to_string()}),
    )?;
    let audited: Vec<(String, serde_json::Value)> =
        created.iter().map(|e| (e.id.to_string(), serde_json::to_value(e).unwrap_or_default())).collect();
    tx.audit_created("enrolment.create", "enrolment", &audited)?;
    let base_year_start = req.start.base_year_start(rule.rules.adjust_month);
    let amounts = contribution::assess_floating(req.declared_wage, &types, employer.risk_class as u8, injury_percent, &rule.rules);
    Ok(EnrolOutcome {
        person_id,
        employer_id: employer.id,
        start_period: req.start,
        enrolments: created,
        rule_id: rule.id,
        provisional: rule.rules.effective_from < base_year_start,
        amounts,
    })
}

fn insert_enrolments(
    tx: &mut TenantTx<'_>,
    person_id: i64,
    employer_id: i64,
    types: &[InsuranceType],
    start: Period,
) -> StoreResult<Vec<Enrolment>> {
    use crate::schema::enrolment::dsl as en;
    let tid = tx.tenant().0;
    let office = tx.actor().office_id().ok_or_else(|| StoreError::invalid("office", "office.unknown"))?;
    let (user, account) = tx.writer()?;
    let rows: Vec<_> = types
        .iter()
        .map(|t| {
            (
                en::tenant_id.eq(tid),
                en::person_id.eq(person_id),
                en::employer_id.eq(employer_id),
                en::insurance_type.eq(t.code()),
                en::start_period.eq(start.first_day()),
                en::office_id.eq(office),
                en::created_by.eq(user),
                en::created_by_account.eq(account),
            )
        })
        .collect();
    let created: Vec<Enrolment> =
        diesel::insert_into(en::enrolment).values(rows).returning(Enrolment::as_returning()).get_results(tx.conn()).map_err(|e| {
            if is_unique_violation(&e, "enrolment_active") {
                StoreError::invalid("insurance_types", "enrolment.already_active")
            } else {
                StoreError::from(e)
            }
        })?;
    for e in &created {
        tx.push_stat("active_enrolments", None, &e.insurance_type, 1);
        tx.push_stat("new_enrolments", Some(e.start_period), &e.insurance_type, 1);
    }
    Ok(created)
}

/// Types the person is actively enrolled in.
pub fn active_types(tx: &mut TenantTx<'_>, person_id: i64) -> StoreResult<Vec<InsuranceType>> {
    use crate::schema::enrolment::dsl as en;
    let tid = tx.tenant().0;
    let v: Vec<String> = en::enrolment
        .filter(en::tenant_id.eq(tid))
        .filter(en::person_id.eq(person_id))
        .filter(en::status.eq("active"))
        .select(en::insurance_type)
        .load(tx.conn())?;
    Ok(v.iter().filter_map(|s| s.parse().ok()).collect())
}

fn stopped_types(tx: &mut TenantTx<'_>, person_id: i64, employer_id: i64) -> StoreResult<Vec<String>> {
    use crate::schema::enrolment::dsl as en;
    let tid = tx.tenant().0;
    Ok(en::enrolment
        .filter(en::tenant_id.eq(tid))
        .filter(en::person_id.eq(person_id))
        .filter(en::employer_id.eq(employer_id))
        .filter(en::status.eq("stopped"))
        .select(en::insurance_type)
        .load(tx.conn())?)
}

/// Records a declared monthly wage effective from a period (replacing one for the same period).
pub fn declare_base(tx: &mut TenantTx<'_>, person_id: i64, employer_id: i64, from: Period, wage: Fen, source: &str) -> StoreResult<()> {
    declare_base_known(tx, person_id, employer_id, from, wage, source, false)
}

/// [`declare_base`]; `new_person` skips looking for an earlier declaration (there is none).
fn declare_base_known(
    tx: &mut TenantTx<'_>,
    person_id: i64,
    employer_id: i64,
    from: Period,
    wage: Fen,
    source: &str,
    new_person: bool,
) -> StoreResult<()> {
    use crate::schema::contribution_base::dsl as cb;
    let tid = tx.tenant().0;
    let (user, account) = (tx.actor().user_id(), tx.actor().account_id());
    let before: Option<i64> = if new_person {
        None
    } else {
        cb::contribution_base
            .filter(cb::tenant_id.eq(tid))
            .filter(cb::person_id.eq(person_id))
            .filter(cb::employer_id.eq(employer_id))
            .filter(cb::effective_from.eq(from.first_day()))
            .select(cb::declared_wage_fen)
            .first(tx.conn())
            .optional()?
    };
    diesel::insert_into(cb::contribution_base)
        .values((
            cb::tenant_id.eq(tid),
            cb::person_id.eq(person_id),
            cb::employer_id.eq(employer_id),
            cb::effective_from.eq(from.first_day()),
            cb::declared_wage_fen.eq(wage.0),
            cb::source.eq(source),
            cb::created_by.eq(user),
            cb::created_by_account.eq(account),
        ))
        .on_conflict((cb::tenant_id, cb::person_id, cb::employer_id, cb::effective_from))
        .do_update()
        .set((cb::declared_wage_fen.eq(wage.0), cb::source.eq(source)))
        .execute(tx.conn())?;
    if before != Some(wage.0) {
        events::record(
            tx,
            person_id,
            from.first_day(),
            "base_declared",
            serde_json::json!({"employer_id": employer_id, "declared_wage": wage.to_string(), "period": from.to_string()}),
        )?;
        tx.audit(
            "contribution_base.declare",
            "person",
            &person_id.to_string(),
            before.map(|b| serde_json::json!({"declared_wage_fen": b, "effective_from": from.to_string()})),
            Some(serde_json::json!({"declared_wage_fen": wage.0, "effective_from": from.to_string(), "employer_id": employer_id, "source": source})),
            None,
        )?;
    }
    Ok(())
}

/// Stops the person's active enrolments at an employer (all, or the listed types) after `end`.
pub fn stop(
    tx: &mut TenantTx<'_>,
    person_id: i64,
    employer_id: i64,
    end: Period,
    types: Option<&[InsuranceType]>,
    reason: &str,
) -> StoreResult<Vec<Enrolment>> {
    use crate::schema::enrolment::dsl as en;
    let tid = tx.tenant().0;
    persons::get(tx, person_id)?;
    let active: Vec<Enrolment> = en::enrolment
        .filter(en::tenant_id.eq(tid))
        .filter(en::person_id.eq(person_id))
        .filter(en::employer_id.eq(employer_id))
        .filter(en::status.eq("active"))
        .select(Enrolment::as_select())
        .for_update()
        .load(tx.conn())?;
    let chosen: Vec<Enrolment> =
        active.into_iter().filter(|e| types.is_none_or(|ts| ts.iter().any(|t| t.code() == e.insurance_type))).collect();
    if chosen.is_empty() {
        return Err(StoreError::invalid("insurance_types", "enrolment.none_active"));
    }
    if chosen.iter().any(|e| end.first_day() < e.start_period) {
        return Err(StoreError::invalid("end_period", "enrolment.end_before_start"));
    }
    let mut out = Vec::new();
    for e in chosen {
        let after: Enrolment = diesel::update(en::enrolment.filter(en::tenant_id.eq(tid)).filter(en::id.eq(e.id)))
            .set((
                en::status.eq("stopped"),
                en::end_period.eq(Some(end.first_day())),
                en::stop_reason.eq(reason),
                en::updated_at.eq(diesel::dsl::now),
            ))
            .returning(Enrolment::as_returning())
            .get_result(tx.conn())?;
        tx.audit(
            "enrolment.stop",
            "enrolment",
            &e.id.to_string(),
            serde_json::to_value(&e).ok(),
            serde_json::to_value(&after).ok(),
            Some(reason),
        )?;
        tx.push_stat("active_enrolments", None, &after.insurance_type, -1);
        tx.push_stat("stopped_enrolments", Some(end.first_day()), &after.insurance_type, 1);
        out.push(after);
    }
    let codes: Vec<&str> = out.iter().map(|e| e.insurance_type.as_str()).collect();
    let end_day = end.plus_months(1).map_or(end.first_day(), |n| n.first_day().pred_opt().unwrap_or(n.first_day()));
    events::record(
        tx,
        person_id,
        end_day,
        "stopped",
        serde_json::json!({"employer_id": employer_id, "types": codes, "period": end.to_string(), "reason": reason}),
    )?;
    Ok(out)
}

pub fn of_person(tx: &mut TenantTx<'_>, person_id: i64) -> StoreResult<Vec<Enrolment>> {
    use crate::schema::enrolment::dsl as en;
    let tid = tx.tenant().0;
    Ok(en::enrolment
        .filter(en::tenant_id.eq(tid))
        .filter(en::person_id.eq(person_id))
        .order((en::status.asc(), en::start_period.desc(), en::insurance_type.asc()))
        .select(Enrolment::as_select())
        .load(tx.conn())?)
}

/// An employee with at least one active enrolment at the employer.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct InsuredEmployee {
    pub person_id: i64,
    pub name: String,
    /// Masked (`4110**********0044`) unless the caller has `person.reveal_id`.
    pub id_number: String,
    /// Actively enrolled types at this employer, in alphabetical order of the code.
    pub types: Vec<String>,
    /// First day of the earliest start period among those enrolments.
    pub since: NaiveDate,
}

/// Employees with at least one active enrolment at the employer, by name, paged.
pub fn insured_of_employer(tx: &mut TenantTx<'_>, employer_id: i64, page: i64, per_page: i64) -> StoreResult<Page<InsuredEmployee>> {
    use diesel::sql_types::{Array, BigInt, Date, SmallInt, Text};
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = BigInt)]
        person_id: i64,
        #[diesel(sql_type = Text)]
        name: String,
        #[diesel(sql_type = Text)]
        id_number: String,
        #[diesel(sql_type = Array<Text>)]
        types: Vec<String>,
        #[diesel(sql_type = Date)]
        since: NaiveDate,
    }
    let tid = tx.tenant().0;
    let rows: Vec<Row> = diesel::sql_query(
        "SELECT p.id AS person_id, p.name, p.id_number::text AS id_number,
                array_agg(e.insurance_type ORDER BY e.insurance_type) AS types, min(e.start_period) AS since
         FROM enrolment e JOIN person p ON p.tenant_id = e.tenant_id AND p.id = e.person_id
         WHERE e.tenant_id = $1 AND e.employer_id = $2 AND e.status = 'active'
         GROUP BY p.id, p.name, p.id_number
         ORDER BY p.name, p.id OFFSET $3 LIMIT $4",
    )
    .bind::<SmallInt, _>(tid)
    .bind::<BigInt, _>(employer_id)
    .bind::<BigInt, _>((page - 1) * per_page)
    .bind::<BigInt, _>(per_page + 1)
    .load(tx.conn())?;
    let items = rows
        .into_iter()
        .map(|r| InsuredEmployee { person_id: r.person_id, name: r.name, id_number: r.id_number, types: r.types, since: r.since })
        .collect();
    Ok(Page::from_overfetch(items, page, per_page))
}

/// Month arithmetic helper for callers: the period of a date.
pub fn period_of(d: NaiveDate) -> Period {
    Period::new(d.year(), d.month()).expect("valid date")
}
