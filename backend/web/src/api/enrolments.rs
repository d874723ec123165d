//! `/api/v1/enrolments`: one form enrols a person in any set of the five insurances; preview of
//! the amounts; stopping; idempotent retries with `Idempotency-Key`.

use actix_web::{web, HttpRequest, HttpResponse};
use jinbao_domain::{contribution, Fen, InsuranceType, Period};
use jinbao_store::repo::enrolments::{self, EnrolOutcome, EnrolRequest, PersonChoice};
use jinbao_store::repo::{employers, idempotency, rules};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::input;
use super::persons::{no_store, PersonInput};
use crate::auth::{Permission, Principal};
use crate::error::{ApiError, Problems};

#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct EnrolInput {
    pub person_id: Option<i64>,
    /// A new person, registered in the same transaction.
    pub person: Option<PersonInput>,
    pub employer_id: Option<i64>,
    pub start_period: Option<String>,
    /// Yuan, as a string ("5000.00") or a number.
    pub declared_wage: Option<Value>,
    pub insurance_types: Option<Vec<String>>,
    pub hire_date: Option<String>,
}

/// A yuan amount from JSON text or number (never through floating point).
pub fn yuan(p: &mut Problems, field: &'static str, v: Option<&Value>) -> Option<Fen> {
    let text = match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(_) => "?".into(),
    };
    p.take(Fen::parse_yuan(field, &text))
}

pub fn period(p: &mut Problems, field: &str, v: Option<&str>) -> Option<Period> {
    match v.map(str::trim).filter(|s| !s.is_empty()) {
        None => {
            p.push(field, "required");
            None
        }
        Some(s) => s.parse().ok().or_else(|| {
            p.push(field, "period.format");
            None
        }),
    }
}

pub fn types(p: &mut Problems, v: Option<&[String]>) -> Vec<InsuranceType> {
    let v = v.unwrap_or_default();
    if v.is_empty() {
        p.push("insurance_types", "required");
    }
    let mut out = Vec::new();
    for s in v {
        match s.parse() {
            Ok(t) => out.push(t),
            Err(()) => p.push("insurance_types", "enrolment.unknown_type"),
        }
    }
    out
}

impl EnrolInput {
    pub fn parse(self) -> Result<EnrolRequest, ApiError> {
        let mut p = Problems::default();
        let person = match (self.person_id, self.person) {
            (Some(id), None) => Some(PersonChoice::Existing(id)),
            (None, Some(new)) => match new.parse() {
                Ok((idn, fields)) => Some(PersonChoice::New(idn, fields)),
                Err(ApiError::Validation(ps)) => {
                    p.0.extend(ps.into_iter().map(|mut x| {
                        x.field = format!("person.{}", x.field);
                        x
                    }));
                    None
                }
                Err(e) => return Err(e),
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

/// The response of an enrolment, as stored for replays.
pub fn outcome_json(o: &EnrolOutcome) -> Value {
    json!({
        "person_id": o.person_id,
        "employer_id": o.employer_id,
        "start_period": o.start_period,
        "enrolments": o.enrolments,
        "rule_id": o.rule_id,
        "provisional": o.provisional,
        "base": o.amounts.base.to_string(),
        "amounts": amounts_json(&o.amounts),
    })
}

pub fn amounts_json(a: &jinbao_domain::Assessment) -> Value {
    json!({
        "base": a.base.to_string(),
        "base_fen": a.base.0,
        "lines": a.lines.iter().map(|l| json!({
            "insurance_type": l.insurance_type, "party": l.party, "rate": l.rate.to_string(), "rate_bp": l.rate.0,
            "amount": l.amount.to_string(), "amount_fen": l.amount.0})).collect::<Vec<_>>(),
        "employer_total": a.employer_total.to_string(),
        "employee_total": a.employee_total.to_string(),
        "total": a.total.to_string(),
    })
}

/// `Idempotency-Key` header, if any: 8–100 visible ASCII characters.
pub fn idempotency_key(req: &HttpRequest) -> Result<Option<String>, ApiError> {
    let Some(v) = req.headers().get("idempotency-key") else {
        return Ok(None);
    };
    let s = v.to_str().unwrap_or("").trim().to_string();
    if (8..=100).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_graphic()) {
        Ok(Some(s))
    } else {
        Err(ApiError::field("idempotency_key", "idempotency.format"))
    }
}

pub fn request_hash<T: Serialize>(body: &T) -> String {
    hex::encode(Sha256::digest(serde_json::to_vec(body).unwrap_or_default()))
}

/// Runs `work` under an idempotency key (when given): the first response for the same key and
/// body is replayed (`replayed = true`), the same key with another body is a 422.
pub async fn run_idempotent<F>(
    who: &Principal,
    scope: &'static str,
    key: Option<String>,
    hash: String,
    work: F,
) -> Result<(u16, Value, bool), ApiError>
where
    F: FnOnce(&mut jinbao_store::TenantTx<'_>) -> Result<(u16, Value), jinbao_store::StoreError> + Send + 'static,
{
    who.db(move |tx| {
        if let Some(k) = &key {
            if let idempotency::Claim::Replay { status, body } = idempotency::claim(tx, scope, k, &hash)? {
                return Ok((status, body, true));
            }
        }
        let (status, body) = work(tx)?;
        if let Some(k) = &key {
            idempotency::complete(tx, scope, k, status, &body)?;
        }
        Ok((status, body, false))
    })
    .await
}

/// [`run_idempotent`] answered as JSON, with `Idempotent-Replayed: true` on replays.
pub async fn idempotent<F>(
    who: &Principal,
    scope: &'static str,
    key: Option<String>,
    hash: String,
    work: F,
) -> Result<HttpResponse, ApiError>
where
    F: FnOnce(&mut jinbao_store::TenantTx<'_>) -> Result<(u16, Value), jinbao_store::StoreError> + Send + 'static,
{
    let (status, body, replayed) = run_idempotent(who, scope, key, hash, work).await?;
    let mut b = HttpResponse::build(actix_web::http::StatusCode::from_u16(status).unwrap_or(actix_web::http::StatusCode::OK));
    if replayed {
        b.insert_header(("Idempotent-Replayed", "true"));
    }
    Ok(b.json(body))
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

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PreviewInput {
    pub employer_id: Option<i64>,
    pub start_period: Option<String>,
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
            let e = employers::get(tx, employer_id).map_err(|e| {
                if matches!(e, jinbao_store::StoreError::NotFound) {
                    jinbao_store::StoreError::invalid("employer_id", "not_found")
                } else {
                    e
                }
            })?;
            let r = rules::for_period(tx, start)?.ok_or_else(|| jinbao_store::StoreError::invalid("start_period", "enrolment.no_rules"))?;
            let injury_percent = jinbao_store::repo::injury_rates::percent_at(tx, employer_id, start)?;
            Ok(((e.risk_class, injury_percent), r))
        })
        .await?;
    let (risk, injury_percent) = risk;
    let a = contribution::assess_floating(wage, &ts, risk as u8, injury_percent, &rule.rules);
    Ok(HttpResponse::Ok().json(json!({"rule_id": rule.id, "adjust_month": rule.rules.adjust_month, "amounts": amounts_json(&a)})))
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct StopInput {
    pub person_id: Option<i64>,
    pub employer_id: Option<i64>,
    /// Last period covered.
    pub end_period: Option<String>,
    pub insurance_types: Option<Vec<String>>,
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
        Ok((200, json!({"stopped": stopped})))
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
    Ok(no_store(HttpResponse::Ok()).json(json!({"items": items})))
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
