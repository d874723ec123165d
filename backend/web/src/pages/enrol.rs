//! The one-form enrolment page: find or register the person by identity number, pick the
//! employer by credit code, tick insurance types (all five by default), enter the declared wage;
//! "compute" shows the base and every amount from the domain rules without writing; "submit"
//! enrols in all ticked types at once. The form carries an idempotency key, so a double
//! submission enrols once.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use jinbao_domain::{contribution, Fen, IdNumber, InsuranceType, Period};
use jinbao_store::repo::enrolments::{self, EnrolRequest, PersonChoice};
use jinbao_store::repo::persons::{self, PersonFields};
use jinbao_store::repo::{employers, rules};
use jinbao_store::StoreError;
use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::page::{Page, PageResult};
use super::render::{field_messages, redirect, PageCtx};
use crate::auth::{csrf, Permission, Principal};
use crate::error::{ApiError, FieldProblem, Problems};
use crate::idempotent::run_idempotent;
use jinbao_app::enrolment::{outcome_json, request_hash};

/// Form fields with repeated keys kept (`types` appears once per ticked box).
pub struct Fields(pub Vec<(String, String)>);

impl Fields {
    pub fn parse(body: &[u8]) -> Fields {
        Fields(serde_urlencoded::from_bytes(body).unwrap_or_default())
    }

    pub fn get(&self, name: &str) -> String {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim().to_string()).unwrap_or_default()
    }

    pub fn all(&self, name: &str) -> Vec<String> {
        self.0.iter().filter(|(k, _)| k == name).map(|(_, v)| v.clone()).collect()
    }
}

#[derive(Deserialize)]
pub struct StartQuery {
    person_id: Option<i64>,
    employer_id: Option<i64>,
}

pub(crate) fn type_flags(types: &[String]) -> Value {
    let mut m = Map::new();
    for t in InsuranceType::ALL {
        m.insert(t.code().into(), json!(types.iter().any(|x| x == t.code())));
    }
    Value::Object(m)
}

async fn known(who: &Principal, person_id: Option<i64>, employer_id: Option<i64>) -> Result<(Value, Value), ApiError> {
    who.db(move |tx| {
        let p = match person_id {
            Some(id) => {
                let p = persons::get(tx, id)?;
                json!({"id": p.id, "name": p.name, "id_number_masked": jinbao_domain::id_number::mask(&p.id_number)})
            }
            None => Value::Null,
        };
        let e = match employer_id {
            Some(id) => {
                let e = employers::get(tx, id)?;
                json!({"id": e.id, "name": e.name, "credit_code": e.credit_code, "risk_class": e.risk_class})
            }
            None => Value::Null,
        };
        Ok((p, e))
    })
    .await
}

struct View {
    status: StatusCode,
    form: Value,
    person: Value,
    employer: Value,
    preview: Value,
    errors: Value,
}

async fn render(page: &PageCtx<'_>, v: View) -> HttpResponse {
    let mut ctx = page.base("enrol", "enrol.title", None).await;
    let has_errors = v.errors.as_object().is_some_and(|m| !m.is_empty());
    ctx.insert("form".into(), v.form);
    ctx.insert("person".into(), v.person);
    ctx.insert("employer".into(), v.employer);
    ctx.insert("preview".into(), v.preview);
    ctx.insert("errors".into(), v.errors);
    ctx.insert("errors_summary".into(), if has_errors { json!(page.state.catalog.error(page.lang, "validation")) } else { Value::Null });
    page.render(v.status, "enrol", &ctx)
}

pub async fn show(pg: Page, q: web::Query<StartQuery>) -> PageResult {
    let Page { state, req, who } = pg;
    let page = PageCtx::new(&state, &req, Some(&who));
    who.require(Permission::EnrolmentWrite)?;
    let (person, employer) = known(&who, q.person_id, q.employer_id).await?;
    let all: Vec<String> = InsuranceType::ALL.iter().map(|t| t.code().to_string()).collect();
    let form = json!({"start_period": Period::of_date(chrono::Utc::now().date_naive()).to_string(), "types": type_flags(&all),
                      "idem_key": format!("ui-{}", uuid::Uuid::new_v4().simple())});
    Ok(render(&page, View { status: StatusCode::OK, form, person, employer, preview: Value::Null, errors: json!({}) }).await)
}

/// Field names of the page for problems reported on nested API fields.
fn page_field(p: &FieldProblem) -> FieldProblem {
    FieldProblem { field: p.field.trim_start_matches("person.").to_string(), code: p.code.clone() }
}

pub async fn submit(pg: Page, body: web::Bytes) -> PageResult {
    let Page { state, req, who } = pg;
    let page = PageCtx::new(&state, &req, Some(&who));
    let f = Fields::parse(&body);
    if !csrf::matches(&who.claims.csrf, &f.get("csrf")) {
        return Err(ApiError::BadRequest { code: "csrf.invalid", detail: None }.into());
    }
    who.require(Permission::EnrolmentWrite)?;
    let types = f.all("types");
    let person_id = f.get("person_id").parse::<i64>().ok();
    let employer_id = f.get("employer_id").parse::<i64>().ok();
    let mut form = json!({
        "id_number": f.get("id_number"), "name": f.get("name"), "hukou_kind": f.get("hukou_kind"), "phone": f.get("phone"),
        "address": f.get("address"), "credit_code": f.get("credit_code"), "start_period": f.get("start_period"),
        "declared_wage": f.get("declared_wage"), "hire_date": f.get("hire_date"), "types": type_flags(&types), "idem_key": f.get("idem_key"),
    });
    if form["idem_key"].as_str().is_none_or(str::is_empty) {
        form["idem_key"] = json!(format!("ui-{}", uuid::Uuid::new_v4().simple()));
    }
    let (person, employer) = known(&who, person_id, employer_id).await.unwrap_or((Value::Null, Value::Null));
    let outcome = resolve_and_run(&who, &f, &types, person_id, employer_id, f.get("action") == "submit").await;
    let view =
        |status, preview, errors| View { status, form: form.clone(), person: person.clone(), employer: employer.clone(), preview, errors };
    Ok(match outcome {
        Ok(Done::Enrolled(person_id)) => redirect(&format!("/persons/{person_id}?flash=enrolled")),
        Ok(Done::Preview(p)) => render(&page, view(StatusCode::OK, preview_json(&page, &p), json!({}))).await,
        Err(ApiError::Validation(ps)) => {
            let ps: Vec<FieldProblem> = ps.iter().map(page_field).collect();
            render(&page, view(StatusCode::UNPROCESSABLE_ENTITY, Value::Null, field_messages(&state, page.lang, &ps))).await
        }
        Err(ApiError::Conflict(p)) => {
            render(&page, view(StatusCode::CONFLICT, Value::Null, field_messages(&state, page.lang, &[page_field(&p)]))).await
        }
        Err(e) => return Err(e.into()),
    })
}

struct Preview {
    amounts: jinbao_domain::Assessment,
    provisional: bool,
}

enum Done {
    Enrolled(i64),
    Preview(Preview),
}

fn preview_json(page: &PageCtx<'_>, p: &Preview) -> Value {
    let a = &p.amounts;
    json!({
        "base": a.base.to_string(), "provisional": p.provisional,
        "lines": a.lines.iter().map(|l| json!({"type_label": page.t(&format!("insurance.{}", l.insurance_type.code())),
            "party_label": page.t(&format!("party.{}", l.party.code())), "rate": l.rate.to_string(), "amount": l.amount.to_string()})).collect::<Vec<_>>(),
        "employer_total": a.employer_total.to_string(), "employee_total": a.employee_total.to_string(), "total": a.total.to_string(),
    })
}

/// Parses the form, finds or prepares the person and the employer, then previews or enrols.
async fn resolve_and_run(
    who: &Principal,
    f: &Fields,
    types: &[String],
    person_id: Option<i64>,
    employer_id: Option<i64>,
    submit: bool,
) -> Result<Done, ApiError> {
    let mut p = Problems::default();
    let today = chrono::Utc::now().date_naive();
    let id_number = if person_id.is_none() { p.take(IdNumber::parse(&f.get("id_number"), today)) } else { None };
    let start = match f.get("start_period").parse::<Period>() {
        Ok(s) => Some(s),
        Err(_) => {
            p.push("start_period", if f.get("start_period").is_empty() { "required" } else { "period.format" });
            None
        }
    };
    let wage = p.take(Fen::parse_yuan("declared_wage", &f.get("declared_wage")));
    let kinds = jinbao_app::input::types(&mut p, Some(types));
    let hire = f.get("hire_date");
    let hire_date = if hire.is_empty() { None } else { jinbao_app::input::date(&mut p, "hire_date", Some(&hire)) };
    let code = if employer_id.is_none() { p.take(jinbao_domain::CreditCode::parse(&f.get("credit_code"))) } else { None };
    p.finish()?;
    let (start, wage) = (start.expect("checked"), wage.expect("checked"));
    let fields = PersonFields {
        name: f.get("name"),
        ethnicity: None,
        hukou_kind: Some(f.get("hukou_kind")).filter(|s| !s.is_empty()),
        address: Some(f.get("address")).filter(|s| !s.is_empty()),
        phone: Some(f.get("phone")).filter(|s| !s.is_empty()),
    };
    let key = Some(f.get("idem_key")).filter(|k| (8..=100).contains(&k.len()));
    let hash = request_hash(&f.0.iter().filter(|(k, _)| k != "csrf" && k != "action").collect::<Vec<_>>());
    if submit && !who.can(Permission::PersonWrite) && person_id.is_none() {
        return Err(ApiError::Forbidden);
    }
    let (status, body, _) = run_idempotent(who, "enrolment", if submit { key } else { None }, hash, move |tx| {
        let employer = match (employer_id, &code) {
            (Some(id), _) => employers::get(tx, id)?,
            (None, Some(c)) => employers::find_by_credit_code(tx, c)?.ok_or_else(|| StoreError::invalid("credit_code", "not_found"))?,
            (None, None) => return Err(StoreError::invalid("credit_code", "required")),
        };
        let person = match (person_id, &id_number) {
            (Some(id), _) => PersonChoice::Existing(id),
            (None, Some(idn)) => match persons::find_by_id_number(tx, idn)? {
                Some(existing) => PersonChoice::Existing(existing.id),
                None => {
                    if fields.name.is_empty() {
                        return Err(StoreError::invalid("name", "required"));
                    }
                    PersonChoice::New(idn.clone(), fields.clone())
                }
            },
            (None, None) => return Err(StoreError::invalid("id_number", "required")),
        };
        if !submit {
            let rule = rules::for_period(tx, start)?.ok_or_else(|| StoreError::invalid("start_period", "enrolment.no_rules"))?;
            let injury_percent = jinbao_store::repo::injury_rates::percent_at(tx, employer.id, start)?;
            let amounts = contribution::assess_floating(wage, &kinds, employer.risk_class as u8, injury_percent, &rule.rules);
            let provisional = rule.rules.effective_from < start.base_year_start(rule.rules.adjust_month);
            return Ok((200, json!({"preview": true, "base": amounts.base.0, "amounts": serde_json::to_value(&amounts).unwrap_or_default(), "provisional": provisional})));
        }
        let outcome = enrolments::enrol(tx, &EnrolRequest { person, employer_id: employer.id, start, declared_wage: wage, types: kinds.clone(), hire_date })?;
        Ok((201, outcome_json(&outcome)))
    })
    .await?;
    if status == 201 {
        return Ok(Done::Enrolled(body["person_id"].as_i64().unwrap_or_default()));
    }
    let amounts: jinbao_domain::Assessment =
        assessment_from(&body["amounts"]).ok_or_else(|| ApiError::internal(anyhow::anyhow!("preview shape")))?;
    Ok(Done::Preview(Preview { amounts, provisional: body["provisional"].as_bool().unwrap_or(false) }))
}

/// The preview travels as JSON out of the blocking closure; read it back.
pub(crate) fn assessment_from(v: &Value) -> Option<jinbao_domain::Assessment> {
    let fen = |k: &str| v.get(k).and_then(Value::as_i64).map(Fen);
    let lines = v.get("lines")?.as_array()?.iter().filter_map(|l| {
        Some(jinbao_domain::AssessmentLine {
            insurance_type: l.get("insurance_type")?.as_str()?.parse().ok()?,
            party: l.get("party")?.as_str()?.parse().ok()?,
            rate: jinbao_domain::RateBp(l.get("rate")?.as_i64()? as i32),
            amount: Fen(l.get("amount")?.as_i64()?),
        })
    });
    Some(jinbao_domain::Assessment {
        base: fen("base")?,
        lines: lines.collect(),
        employer_total: fen("employer_total")?,
        employee_total: fen("employee_total")?,
        total: fen("total")?,
    })
}
