//! `/api/v1/enrolments`: one form enrols a person in any set of the five insurances; preview of
//! the amounts; stopping; idempotent retries with `Idempotency-Key`.

use actix_web::{web, HttpRequest, HttpResponse};
use jinbao_domain::contribution;
use jinbao_store::repo::enrolments::{self, EnrolRequest, PersonChoice};
use jinbao_store::repo::{employers, rules};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::persons::no_store;
use crate::api::shapes::Items;
use crate::auth::{Permission, Principal};
use crate::error::{ApiError, Problems};
use crate::idempotent::{idempotency_key, idempotent};
use jinbao_app::enrolment::{amounts, outcome_json, request_hash, Amounts};
use jinbao_app::input;
use jinbao_app::input::{period, types, yuan};
use jinbao_app::registry::PersonInput;
use jinbao_app::AppError;

/// Enrolment of one person at one employer in any set of the five insurances, from one period. Give either `person_id`
/// (a registered person) or `person` (a new person, registered in the same transaction; needs `person.write` too) —
/// exactly one (`enrolment.person_choice` on `person_id`). Unknown fields are rejected (400).
#[derive(Debug, Clone, Deserialize, Serialize, Default, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "EnrolmentInput")]
pub struct EnrolInput {
    /// A registered person of the caller's tenant (`not_found` on `person_id` otherwise).
    pub person_id: Option<i64>,
    /// A new person, registered in the same transaction.
    pub person: Option<PersonInput>,
    /// The employer (`required`, `not_found`).
    pub employer_id: Option<i64>,
    /// First covered period. Not before the employer's registration month (`enrolment.before_registration`); the city
    /// must have rules for it (`enrolment.no_rules`).
    pub start_period: Option<String>,
    /// Yuan, as a string ("5000.00") or a number.
    #[schemars(with = "Option<jinbao_app::input::YuanInput>")]
    pub declared_wage: Option<Value>,
    /// Types to enrol in; duplicates are ignored (`required`, `enrolment.unknown_type`). A type the person is already
    /// actively enrolled in (at any employer) is refused (`enrolment.already_active`).
    pub insurance_types: Option<Vec<String>>,
    /// Records the hire at the employer in the same transaction, from this date (not after the end of `start_period`:
    /// `enrolment.hire_after_start`). Without it the person must already be employed there by the end of `start_period`
    /// (`enrolment.not_employed`); a new person is always hired, from this date or the first day of `start_period`.
    pub hire_date: Option<String>,
}

impl EnrolInput {
    pub fn parse(self) -> Result<EnrolRequest, ApiError> {
        let mut p = Problems::default();
        let person = match (self.person_id, self.person) {
            (Some(id), None) => Some(PersonChoice::Existing(id)),
            (None, Some(new)) => match new.parse() {
                Ok((idn, fields)) => Some(PersonChoice::New(idn, fields)),
                Err(AppError::Validation(ps)) => {
                    p.0.extend(ps.into_iter().map(|mut x| {
                        x.field = format!("person.{}", x.field);
                        x
                    }));
                    None
                }
                Err(e) => return Err(e.into()),
            },
            _ => {
                p.push("person_id", "enrolment.person_choice");
                None
            }
        };
        if self.employer_id.is_none() {
            p.push("employer_id", "required");
        }
        let start = period(&mut p, "start_period", self.start_period.as_deref());
        let wage = yuan(&mut p, "declared_wage", self.declared_wage.as_ref());
        let types = types(&mut p, self.insurance_types.as_deref());
        let hire_date = match self.hire_date.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(d) => input::date(&mut p, "hire_date", Some(d)),
        };
        p.finish()?;
        Ok(EnrolRequest {
            person: person.expect("checked"),
            employer_id: self.employer_id.expect("checked"),
            start: start.expect("checked"),
            declared_wage: wage.expect("checked"),
            types,
            hire_date,
        })
    }
}

pub async fn enrol(who: Principal, req: HttpRequest, body: web::Json<EnrolInput>) -> Result<HttpResponse, ApiError> {
    who.require(Permission::EnrolmentWrite)?;
    if body.person.is_some() {
        who.require(Permission::PersonWrite)?;
    }
    let key = idempotency_key(&req)?;
    let hash = request_hash(&*body);
    let request = body.into_inner().parse()?;
    idempotent(&who, "enrolment", key, hash, move |tx| {
        let outcome = enrolments::enrol(tx, &request)?;
        Ok((201, outcome_json(&outcome)))
    })
    .await
}

/// What an enrolment would cost per month. Nothing is written. Unknown fields are rejected (400).
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PreviewInput {
    /// The employer (its risk class sets the work-injury rate; `required`, `not_found`).
    pub employer_id: Option<i64>,
    /// The period whose rules apply (`enrolment.no_rules`).
    pub start_period: Option<String>,
    /// Declared monthly wage in yuan.
    #[schemars(with = "Option<jinbao_app::input::YuanInput>")]
    pub declared_wage: Option<Value>,
    pub insurance_types: Option<Vec<String>>,
}

/// The base and every amount the enrolment would give, computed by the domain rules.
pub async fn preview(who: Principal, body: web::Json<PreviewInput>) -> Result<HttpResponse, ApiError> {
    who.require(Permission::ContributionRead)?;
    let b = body.into_inner();
    let mut p = Problems::default();
    if b.employer_id.is_none() {
        p.push("employer_id", "required");
    }
    let start = period(&mut p, "start_period", b.start_period.as_deref());
    let wage = yuan(&mut p, "declared_wage", b.declared_wage.as_ref());
    let ts = types(&mut p, b.insurance_types.as_deref());
    p.finish()?;
    let (employer_id, start, wage) = (b.employer_id.expect("checked"), start.expect("checked"), wage.expect("checked"));
    let (risk, rule) = who
        .db(move |tx| {
            let (e, injury_percent) = employers::get_with_injury_percent(tx, employer_id, start).map_err(|e| {
                if matches!(e, jinbao_store::StoreError::NotFound) {
                    jinbao_store::StoreError::invalid("employer_id", "not_found")
                } else {
                    e
                }
            })?;
            let r = rules::for_period(tx, start)?.ok_or_else(|| jinbao_store::StoreError::invalid("start_period", "enrolment.no_rules"))?;
            Ok(((e.risk_class, injury_percent), r))
        })
        .await?;
    let (risk, injury_percent) = risk;
    let a = contribution::assess_floating(wage, &ts, risk as u8, injury_percent, &rule.rules);
    Ok(HttpResponse::Ok().json(PreviewResult { rule_id: rule.id, adjust_month: rule.rules.adjust_month, amounts: amounts(&a) }))
}

/// Stops a person's active enrolments at an employer after a period. Unknown fields are rejected (400).
#[derive(Debug, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StopInput {
    /// The person (404 if unknown).
    pub person_id: Option<i64>,
    /// The employer of the enrolments to stop.
    pub employer_id: Option<i64>,
    /// Last period covered.
    pub end_period: Option<String>,
    /// Types to stop; all active types at this employer when absent. None of them active: `enrolment.none_active`.
    pub insurance_types: Option<Vec<String>>,
    /// Why (1–200 characters; `required`, `text.too_long`); recorded on the enrolments, the timeline and the audit log.
    pub reason: Option<String>,
}

pub async fn stop(who: Principal, req: HttpRequest, body: web::Json<StopInput>) -> Result<HttpResponse, ApiError> {
    who.require(Permission::EnrolmentWrite)?;
    let key = idempotency_key(&req)?;
    let hash = request_hash(&*body);
    let b = body.into_inner();
    let mut p = Problems::default();
    if b.person_id.is_none() {
        p.push("person_id", "required");
    }
    if b.employer_id.is_none() {
        p.push("employer_id", "required");
    }
    let end = period(&mut p, "end_period", b.end_period.as_deref());
    let ts = b.insurance_types.as_ref().map(|v| types(&mut p, Some(v)));
    let reason = input::text(&mut p, "reason", b.reason.as_deref(), 200);
    p.finish()?;
    let (person, employer, end, reason) =
        (b.person_id.expect("checked"), b.employer_id.expect("checked"), end.expect("checked"), reason.expect("checked"));
    idempotent(&who, "enrolment.stop", key, hash, move |tx| {
        let stopped = enrolments::stop(tx, person, employer, end, ts.as_deref(), &reason)?;
        Ok((200, serde_json::to_value(StopResult { stopped }).unwrap_or_default()))
    })
    .await
}

pub async fn of_person(who: Principal, path: web::Path<i64>) -> Result<HttpResponse, ApiError> {
    who.require(Permission::ContributionRead)?;
    let id = path.into_inner();
    let items = who
        .db(move |tx| {
            jinbao_store::repo::persons::get(tx, id)?;
            enrolments::of_person(tx, id)
        })
        .await?;
    Ok(no_store(HttpResponse::Ok()).json(Items::of(items)))
}

pub async fn insured(who: Principal, path: web::Path<i64>, q: web::Query<input::PageQuery>) -> Result<HttpResponse, ApiError> {
    who.require(Permission::ContributionRead)?;
    let reveal = who.can(Permission::PersonRevealId);
    let (page, per_page) = q.parse()?;
    let id = path.into_inner();
    let mut found = who
        .db(move |tx| {
            employers::get(tx, id)?;
            enrolments::insured_of_employer(tx, id, page, per_page)
        })
        .await?;
    if !reveal {
        for e in &mut found.items {
            e.id_number = jinbao_domain::id_number::mask(&e.id_number);
        }
    }
    Ok(no_store(HttpResponse::Ok()).json(found))
}

/// What an enrolment would cost, without enrolling.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct PreviewResult {
    /// The city rule set used.
    pub rule_id: i64,
    /// The month the city adjusts bases (7 in most cities).
    pub adjust_month: u32,
    pub amounts: Amounts,
}

/// The enrolments stopped.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct StopResult {
    /// The enrolments stopped, now `stopped` with `end_period` and `stop_reason`.
    pub stopped: Vec<enrolments::Enrolment>,
}
