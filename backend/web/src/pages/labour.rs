//! `/labour`: the labour-market record for clerks — registered unemployed (search by name,
//! paging, by status), trainings, and forms to register a person as unemployed, record a training
//! or an employment-service contact. Input is kept when a form is refused.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use jinbao_domain::Fen;
use jinbao_store::repo::labour::{self, NewTraining};
use serde::Deserialize;
use serde_json::{json, Value};

use super::persons::page_session;
use super::render::{check_csrf, field, field_messages, opt, page_links, redirect, session, Form, PageCtx};
use crate::auth::{Permission, Principal};
use crate::error::{ApiError, Problems};
use crate::state::AppState;

#[derive(Deserialize, Default)]
pub struct ListQuery {
    status: Option<String>,
    name: Option<String>,
    page: Option<i64>,
    saved: Option<String>,
}

pub async fn show(state: web::Data<AppState>, req: HttpRequest, q: web::Query<ListQuery>) -> HttpResponse {
    let who = page_session!(req);
    let page = PageCtx::new(&state, &req, Some(&who));
    render(&page, &req, &who, &q, StatusCode::OK, json!({}), json!({})).await
}

async fn render(
    page: &PageCtx<'_>,
    req: &HttpRequest,
    who: &Principal,
    q: &ListQuery,
    status: StatusCode,
    values: Value,
    errors: Value,
) -> HttpResponse {
    if let Err(e) = who.require(Permission::PersonRead) {
        return page.error(req, e).await;
    }
    let st = q.status.clone().filter(|s| ["seeking", "re_employed", "closed"].contains(&s.as_str())).unwrap_or_else(|| "seeking".into());
    let name = q.name.clone().map(|n| n.trim().to_string()).filter(|n| !n.is_empty());
    let n = q.page.unwrap_or(1).clamp(1, 100_000);
    let (st2, name2) = (st.clone(), name.clone());
    let data = who
        .db(move |tx| Ok((labour::registrations(tx, Some(&st2), name2.as_deref(), n, 20)?, labour::trainings(tx, None, None, 1, 20)?)))
        .await;
    let (regs, trainings) = match data {
        Ok(d) => d,
        Err(e) => return page.error(req, e).await,
    };
    let items: Vec<Value> = regs
        .items
        .iter()
        .map(|r| {
            json!({"person_id": r.person_id, "person_name": r.person_name, "registered_on": r.registered_on.to_string(),
                   "reason": page.t(&format!("labour.reasons.{}", r.reason)), "status": page.t(&format!("labour.statuses.{}", r.status)),
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
    let mut ctx = page.base("labour", "labour.title", None).await;
    ctx.insert("q".into(), json!({"status": st, "name": name}));
    ctx.insert("registrations".into(), json!({"items": items, "prev_url": prev, "next_url": next}));
    ctx.insert("trainings".into(), json!(trainings));
    ctx.insert("can_write".into(), json!(who.can(Permission::LabourWrite)));
    ctx.insert("values".into(), values);
    ctx.insert("errors".into(), errors);
    ctx.insert("saved".into(), json!(q.saved.is_some()));
    page.render(status, "labour", &ctx)
}

/// The three forms post here with `form` = register | training | contact.
pub async fn save(state: web::Data<AppState>, req: HttpRequest, form: Form) -> HttpResponse {
    let who = page_session!(req);
    let page = PageCtx::new(&state, &req, Some(&who));
    if let Err(e) = who.require(Permission::LabourWrite).and_then(|_| check_csrf(&who, &form)) {
        return page.error(&req, e).await;
    }
    let which = field(&form, "form");
    let values =
        json!(form.iter().filter(|(k, _)| k.as_str() != "csrf").map(|(k, v)| (k.clone(), json!(v))).collect::<serde_json::Map<_, _>>());
    let mut p = Problems::default();
    let person = field(&form, "person_id").parse::<i64>().ok();
    if person.is_none() {
        p.push("person_id", "required");
    }
    let today = chrono::Utc::now().date_naive();
    let date = |p: &mut Problems, name: &str| jinbao_app::input::past_date(p, name, Some(&field(&form, name)), today);
    let result: Result<(), ApiError> = match which.as_str() {
        "register" => {
            let on = date(&mut p, "registered_on");
            let reason = field(&form, "reason");
            if !jinbao_app::labour::REASONS.contains(&reason.as_str()) {
                p.push("reason", "labour.reason");
            }
            match (p.finish(), person, on) {
                (Err(e), ..) => Err(e.into()),
                (Ok(()), Some(pid), Some(on)) => who.db(move |tx| labour::register(tx, pid, on, &reason)).await.map(|_| ()),
                _ => Err(ApiError::NotFound),
            }
        }
        "training" => {
            let start = date(&mut p, "start_date");
            let end = opt(&form, "end_date").and_then(|v| jinbao_app::input::date(&mut p, "end_date", Some(&v)));
            if let (Some(s), Some(e)) = (start, end) {
                if e < s {
                    p.push("end_date", "date.order");
                }
            }
            let course = jinbao_app::input::text(&mut p, "course", Some(&field(&form, "course")), 100);
            let provider = jinbao_app::input::text(&mut p, "provider", Some(&field(&form, "provider")), 100);
            let subsidy = opt(&form, "subsidy").map_or(Some(Fen(0)), |v| p.take(Fen::parse_yuan("subsidy", &v)));
            let certificate = opt(&form, "certificate_no");
            match (p.finish(), person, start, course, provider, subsidy) {
                (Err(e), ..) => Err(e.into()),
                (Ok(()), Some(pid), Some(start), Some(course), Some(provider), Some(subsidy)) => who
                    .db(move |tx| {
                        let t = NewTraining {
                            course: &course,
                            provider: &provider,
                            start_date: start,
                            end_date: end,
                            certificate_no: certificate.as_deref(),
                            subsidy_fen: subsidy.0,
                        };
                        labour::add_training(tx, pid, &t)
                    })
                    .await
                    .map(|_| ()),
                _ => Err(ApiError::NotFound),
            }
        }
        "contact" => {
            let on = date(&mut p, "contacted_on");
            let kind = field(&form, "kind");
            if !jinbao_app::labour::CONTACTS.contains(&kind.as_str()) {
                p.push("kind", "labour.contact_kind");
            }
            let note = jinbao_app::input::opt_text_max(&mut p, "note", opt(&form, "note"), 500);
            match (p.finish(), person, on) {
                (Err(e), ..) => Err(e.into()),
                (Ok(()), Some(pid), Some(on)) => {
                    who.db(move |tx| labour::add_contact(tx, pid, on, &kind, note.as_deref())).await.map(|_| ())
                }
                _ => Err(ApiError::NotFound),
            }
        }
        _ => Err(ApiError::NotFound),
    };
    match result {
        Ok(()) => redirect("/labour?saved=1"),
        Err(ApiError::Validation(ps)) => {
            render(
                &page,
                &req,
                &who,
                &ListQuery::default(),
                StatusCode::UNPROCESSABLE_ENTITY,
                values,
                field_messages(&state, page.lang, &ps),
            )
            .await
        }
        Err(ApiError::Conflict(c)) => {
            render(&page, &req, &who, &ListQuery::default(), StatusCode::CONFLICT, values, field_messages(&state, page.lang, &[c])).await
        }
        Err(e) => page.error(&req, e).await,
    }
}
