//! `/labour`: the labour-market record for clerks — registered unemployed (search by name,
//! paging, by status), trainings, and forms to register a person as unemployed, record a training
//! or an employment-service contact. Input is kept when a form is refused.

use actix_web::http::StatusCode;
use actix_web::web;
use jinbao_app::labour::{self, ContactInput, RegisterInput, TrainingInput, STATUSES};
use jinbao_app::{AppError, FieldProblem, Problems};
use jinbao_domain::Fen;
use jinbao_store::repo::labour as records;
use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::page::{Page, PageResult};
use super::render::{field, field_messages, opt, page_links, redirect, Form};
use crate::auth::Permission;
use crate::error::ApiError;

#[derive(Deserialize, Default)]
pub struct ListQuery {
    status: Option<String>,
    name: Option<String>,
    page: Option<i64>,
    saved: Option<String>,
}

pub async fn show(page: Page, q: web::Query<ListQuery>) -> PageResult {
    render(&page, &q, StatusCode::OK, json!({}), json!({})).await
}

/// The lists, and the forms with `values` kept and `errors` shown (after a refused post).
async fn render(page: &Page, q: &ListQuery, status: StatusCode, values: Value, errors: Value) -> PageResult {
    page.require(Permission::PersonRead)?;
    let st = q.status.clone().filter(|s| STATUSES.contains(&s.as_str())).unwrap_or_else(|| "seeking".into());
    let name = q.name.clone().map(|n| n.trim().to_string()).filter(|n| !n.is_empty());
    let n = q.page.unwrap_or(1).clamp(1, 100_000);
    let (st2, name2) = (st.clone(), name.clone());
    let (regs, trainings) = page
        .who
        .db(move |tx| Ok((records::registrations(tx, Some(&st2), name2.as_deref(), n, 20)?, records::trainings(tx, None, None, 1, 20)?)))
        .await?;
    let ctx = page.ctx();
    let items: Vec<Value> = regs
        .items
        .iter()
        .map(|r| {
            json!({"person_id": r.person_id, "person_name": r.person_name, "registered_on": r.registered_on.to_string(),
                   "reason": ctx.t(&format!("labour.reasons.{}", r.reason)), "status": ctx.t(&format!("labour.statuses.{}", r.status)),
                   "ended_on": r.ended_on.map(|d| d.to_string()), "office": r.office_name})
        })
        .collect();
    let trainings: Vec<Value> = trainings
        .items
        .iter()
        .map(|t| {
            json!({"person_id": t.person_id, "person_name": t.person_name, "course": t.course, "provider": t.provider,
                   "start_date": t.start_date.to_string(), "end_date": t.end_date.map(|d| d.to_string()), "certificate_no": t.certificate_no,
                   "subsidy": Fen(t.subsidy_fen).to_string()})
        })
        .collect();
    let (prev, next) = page_links("/labour", &[("status", &st), ("name", name.as_deref().unwrap_or(""))], regs.page, regs.has_more);
    let mut m = ctx.base("labour", "labour.title", None).await;
    m.insert("q".into(), json!({"status": st, "name": name}));
    m.insert("registrations".into(), json!({"items": items, "prev_url": prev, "next_url": next}));
    m.insert("trainings".into(), json!(trainings));
    m.insert("can_write".into(), json!(page.who.can(Permission::LabourWrite)));
    m.insert("values".into(), values);
    m.insert("errors".into(), errors);
    m.insert("saved".into(), json!(q.saved.is_some()));
    Ok(ctx.render(status, "labour", &m))
}

/// The three forms post here with `form` = register | training | contact; a refused form comes
/// back with its input and the problems by field.
pub async fn save(page: Page, form: Form) -> PageResult {
    page.require(Permission::LabourWrite)?;
    page.check_csrf(&form)?;
    let values = json!(form.iter().filter(|(k, _)| k.as_str() != "csrf").map(|(k, v)| (k.clone(), json!(v))).collect::<Map<_, _>>());
    let person = field(&form, "person_id").parse::<i64>().map_err(|_| AppError::field("person_id", "required"));
    let today = chrono::Utc::now().date_naive();
    let text = |name: &str| opt(&form, name);
    let result: Result<(), ApiError> = match field(&form, "form").as_str() {
        "register" => {
            let input = RegisterInput { registered_on: text("registered_on"), reason: text("reason") };
            match (person, input.parse(today)) {
                (Ok(pid), Ok(r)) => page.who.db_checked(move |tx| labour::register(tx, pid, &r)).await.map(|_| ()),
                (p, r) => Err(problems(p.err(), r.err()).into()),
            }
        }
        "training" => {
            let input = TrainingInput {
                course: text("course"),
                provider: text("provider"),
                start_date: text("start_date"),
                end_date: text("end_date"),
                certificate_no: text("certificate_no"),
                subsidy: text("subsidy").map(Value::String),
            };
            match (person, input.parse()) {
                (Ok(pid), Ok(t)) => page.who.db_checked(move |tx| labour::add_training(tx, pid, &t)).await.map(|_| ()),
                (p, t) => Err(problems(p.err(), t.err()).into()),
            }
        }
        "contact" => {
            let input = ContactInput { contacted_on: text("contacted_on"), kind: text("kind"), note: text("note") };
            match (person, input.parse(today)) {
                (Ok(pid), Ok(c)) => page.who.db_checked(move |tx| labour::add_contact(tx, pid, &c)).await.map(|_| ()),
                (p, c) => Err(problems(p.err(), c.err()).into()),
            }
        }
        _ => Err(ApiError::NotFound),
    };
    let ctx = page.ctx();
    let kept = |ps: &[FieldProblem]| field_messages(&page.state, ctx.lang, ps);
    match result {
        Ok(()) => Ok(redirect("/labour?saved=1")),
        Err(ApiError::Validation(ps)) => render(&page, &ListQuery::default(), StatusCode::UNPROCESSABLE_ENTITY, values, kept(&ps)).await,
        Err(ApiError::Conflict(c)) => render(&page, &ListQuery::default(), StatusCode::CONFLICT, values, kept(&[c])).await,
        Err(e) => Err(e.into()),
    }
}

/// The problems of the person field and of the form together; anything else as it is.
fn problems(person: Option<AppError>, form: Option<AppError>) -> AppError {
    let mut p = Problems::default();
    for e in [person, form].into_iter().flatten() {
        if let Err(other) = p.merge(e) {
            return other;
        }
    }
    p.finish().err().unwrap_or(AppError::NotFound)
}
