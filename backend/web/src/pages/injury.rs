//! `/injury`: work-injury cases (工伤) — the report, its evidence documents, the recognition
//! proposed by a clerk and decided by a reviewer who did not propose it, the ability assessment,
//! and the case's benefits (proposed here, decided on the claim's page, paid in the batches).

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use jinbao_app::benefits::proposal::{self, ProposalInput, Proposed};
use jinbao_app::injury::{self, AssessmentInput, RecognitionInput, ReportInput};
use jinbao_domain::Fen;
use jinbao_store::kinds::InjuryStatus;
use jinbao_store::repo::benefits;
use jinbao_store::repo::injury_cases::{self, InjuryCase};
use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::page::{Page, PageResult};
use super::render::{field_messages, opt, page_links, redirect, Form, PageCtx};
use crate::auth::{Permission, Principal};
use crate::error::ApiError;

fn can_see(who: &Principal) -> bool {
    who.handles_benefits()
}

fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}

fn form_values(form: &Form) -> Value {
    json!(form.iter().filter(|(k, _)| k.as_str() != "csrf").map(|(k, v)| (k.clone(), json!(v))).collect::<Map<_, _>>())
}

fn view(page: &PageCtx<'_>, c: &InjuryCase, who: &Principal) -> Value {
    json!({"id": c.id, "person_id": c.person_id, "person_name": c.person_name, "employer_id": c.employer_id,
           "employer_name": c.employer_name, "accident_date": c.accident_date.to_string(), "reported_on": c.reported_on.to_string(),
           "reporter_label": page.t(&format!("injury.reporters.{}", c.reporter)), "report_due": c.report_due.to_string(),
           "late_report": c.late_report, "decision_due": c.decision_due.to_string(), "overdue": c.overdue,
           "accident": c.accident, "diagnosis": c.diagnosis, "fund_covers": c.fund_covers, "status": c.status,
           "status_label": page.t(&format!("injury.statuses.{}", c.status)),
           "proposed_outcome_label": c.proposed_outcome.as_ref().map(|o| page.t(&format!("injury.statuses.{o}"))),
           "reason": c.reason, "proposed_by": c.proposed_by_name, "decided_by": c.decided_by_name,
           "decided_at": c.decided_at.map(|t| t.format("%Y-%m-%d %H:%M").to_string()),
           "grade": c.grade, "care_label": c.care_level.as_ref().map(|l| page.t(&format!("injury.care.{l}"))),
           "assessed_on": c.assessed_on.map(|d| d.to_string()), "board": c.assessment_board, "created_by": c.created_by_name,
           "url": format!("/injury/{}", c.id),
           "can_propose": c.status == InjuryStatus::Reported && who.can(Permission::BenefitPropose),
           "can_decide": c.status == InjuryStatus::Proposed && who.can(Permission::BenefitApprove) && c.proposed_by != Some(who.user_id),
           "own_proposal": c.status == InjuryStatus::Proposed && c.proposed_by == Some(who.user_id),
           "can_assess": c.status == InjuryStatus::Recognised && who.can(Permission::BenefitPropose),
           "can_claim": c.status == InjuryStatus::Recognised && who.can(Permission::BenefitPropose)})
}

#[derive(Deserialize)]
pub struct ListQuery {
    open: Option<String>,
    page: Option<i64>,
}

pub async fn list(pg: Page, q: web::Query<ListQuery>) -> PageResult {
    let Page { state, req, who } = pg;
    if !can_see(&who) {
        return Err(ApiError::Forbidden.into());
    }
    let page = PageCtx::new(&state, &req, Some(&who));
    let open = q.open.as_deref() != Some("0");
    let n = q.page.unwrap_or(1).clamp(1, 100_000);
    let found = who.db(move |tx| injury_cases::list(tx, open, None, n, 20)).await?;
    let items: Vec<Value> = found.items.iter().map(|c| view(&page, c, &who)).collect();
    let (prev, next) = page_links("/injury", &[("open", if open { "1" } else { "0" })], found.page, found.has_more);
    let mut ctx = page.base("injury", "injury.title", None).await;
    ctx.insert("open".into(), json!(open));
    ctx.insert("results".into(), json!({"items": items, "prev_url": prev, "next_url": next}));
    ctx.insert("can_report".into(), json!(who.can(Permission::BenefitPropose)));
    Ok(page.render(StatusCode::OK, "injury/list", &ctx))
}

async fn render_new(page: &PageCtx<'_>, status: StatusCode, values: Value, errors: Value) -> HttpResponse {
    let mut ctx = page.base("injury", "injury.new_title", None).await;
    ctx.insert("values".into(), values);
    ctx.insert("errors".into(), errors);
    page.render(status, "injury/new", &ctx)
}

#[derive(Deserialize)]
pub struct NewQuery {
    person_id: Option<i64>,
}

pub async fn new_form(pg: Page, q: web::Query<NewQuery>) -> PageResult {
    pg.require(Permission::BenefitPropose)?;
    let page = pg.ctx();
    let values = json!({"person_id": q.person_id, "reporter": "employer", "reported_on": today().to_string()});
    Ok(render_new(&page, StatusCode::OK, values, json!({})).await)
}

pub async fn create(pg: Page, form: Form) -> PageResult {
    pg.require(Permission::BenefitPropose)?;
    pg.check_csrf(&form)?;
    let page = pg.ctx();
    let number = |k: &str| opt(&form, k).and_then(|v| v.parse::<i64>().ok());
    let input = ReportInput {
        person_id: number("person_id"),
        employer_id: number("employer_id"),
        accident_date: opt(&form, "accident_date"),
        reported_on: opt(&form, "reported_on"),
        reporter: opt(&form, "reporter"),
        accident: opt(&form, "accident"),
        diagnosis: opt(&form, "diagnosis"),
    };
    let today = today();
    Ok(match pg.who.db_checked(move |tx| injury::report(tx, &input, today)).await {
        Ok(case) => redirect(&format!("/injury/{}", case.id)),
        Err(ApiError::Validation(ps)) => {
            render_new(&page, StatusCode::UNPROCESSABLE_ENTITY, form_values(&form), field_messages(&pg.state, page.lang, &ps)).await
        }
        Err(e) => return Err(e.into()),
    })
}

pub async fn detail(pg: Page, path: web::Path<i64>) -> PageResult {
    if !can_see(&pg.who) {
        return Err(ApiError::Forbidden.into());
    }
    let page = pg.ctx();
    render_case(&page, &pg.who, path.into_inner(), StatusCode::OK, json!({}), json!({}), None).await
}

/// The case page; `errors` and `values` keep a refused form's input, `preview` a computed benefit.
async fn render_case(
    page: &PageCtx<'_>,
    who: &Principal,
    id: i64,
    status: StatusCode,
    errors: Value,
    values: Value,
    preview: Option<Value>,
) -> PageResult {
    let (case, docs, claims) =
        who.db(move |tx| Ok((injury_cases::get(tx, id)?, injury_cases::documents(tx, id)?, benefits::of_injury_case(tx, id)?))).await?;
    let mut ctx = page.base("injury", "injury.title", None).await;
    ctx.insert("case".into(), view(page, &case, who));
    ctx.insert(
        "documents".into(),
        json!(docs
            .iter()
            .map(|d| json!({"id": d.id, "file_name": d.file_name, "size_kb": (i64::from(d.size_bytes) + 1023) / 1024, "sha256": d.sha256,
                            "uploaded_by": d.uploaded_by_name, "uploaded_at": d.uploaded_at.format("%Y-%m-%d %H:%M").to_string(),
                            "url": format!("/injury/{id}/documents/{}", d.id)}))
            .collect::<Vec<_>>()),
    );
    ctx.insert("claims".into(), json!(claims.iter().map(|c| super::benefits::claim_view(page, c, who)).collect::<Vec<_>>()));
    let mut values = values;
    if values.get("channel").is_none_or(Value::is_null) {
        values["channel"] = json!("bank");
    }
    if values.get("benefit").is_none_or(Value::is_null) {
        values["benefit"] = json!("injury_disability");
    }
    ctx.insert("values".into(), values);
    ctx.insert("errors".into(), errors);
    ctx.insert("preview".into(), preview.unwrap_or(Value::Null));
    ctx.insert(
        "relations".into(),
        json!(jinbao_domain::benefits::work_injury::RELATIONS
            .iter()
            .map(|r| json!({"code": r, "label": page.t(&format!("injury.relations.{r}"))}))
            .collect::<Vec<_>>()),
    );
    let mut res = page.render(status, "injury/detail", &ctx);
    res.headers_mut().insert(actix_web::http::header::CACHE_CONTROL, actix_web::http::header::HeaderValue::from_static("no-store"));
    Ok(res)
}

/// A refused action re-renders the case with the messages (422 or 409), anything else is an error page.
async fn refused(pg: &Page, id: i64, e: ApiError, form: &Form) -> PageResult {
    let page = pg.ctx();
    let (status, problems) = match e {
        ApiError::Validation(ps) => (StatusCode::UNPROCESSABLE_ENTITY, ps),
        ApiError::Conflict(p) => (StatusCode::CONFLICT, vec![p]),
        e => return Err(e.into()),
    };
    render_case(&page, &pg.who, id, status, field_messages(&pg.state, page.lang, &problems), form_values(form), None).await
}

pub async fn propose(pg: Page, path: web::Path<i64>, form: Form) -> PageResult {
    pg.require(Permission::BenefitPropose)?;
    pg.check_csrf(&form)?;
    let id = path.into_inner();
    let input = RecognitionInput { outcome: opt(&form, "outcome"), reason: opt(&form, "reason") };
    match pg.who.db_checked(move |tx| injury::propose_recognition(tx, id, &input)).await {
        Ok(_) => Ok(redirect(&format!("/injury/{id}"))),
        Err(e) => refused(&pg, id, e, &form).await,
    }
}

pub async fn decide(pg: Page, path: web::Path<(i64, String)>, form: Form) -> PageResult {
    pg.require(Permission::BenefitApprove)?;
    pg.check_csrf(&form)?;
    let (id, action) = path.into_inner();
    let approve = match action.as_str() {
        "approve" => true,
        "reject" => false,
        _ => return Err(ApiError::NotFound.into()),
    };
    let note = opt(&form, "note");
    if let Some(code) = super::render::note_problem(approve, note.as_deref()) {
        return refused(&pg, id, ApiError::field("note", code), &form).await;
    }
    match pg.who.db(move |tx| injury_cases::decide(tx, id, approve, note.as_deref())).await {
        Ok(_) => Ok(redirect(&format!("/injury/{id}"))),
        Err(e) => refused(&pg, id, e, &form).await,
    }
}

pub async fn assess(pg: Page, path: web::Path<i64>, form: Form) -> PageResult {
    pg.require(Permission::BenefitPropose)?;
    pg.check_csrf(&form)?;
    let id = path.into_inner();
    let grade = match opt(&form, "grade") {
        None => None,
        Some(g) => match g.parse::<u8>() {
            Ok(g) => Some(g),
            Err(_) => return refused(&pg, id, ApiError::field("grade", "injury.grade"), &form).await,
        },
    };
    let input =
        AssessmentInput { grade, care_level: opt(&form, "care_level"), assessed_on: opt(&form, "assessed_on"), board: opt(&form, "board") };
    let today = today();
    match pg.who.db_checked(move |tx| injury::assess(tx, id, &input, today)).await {
        Ok(_) => Ok(redirect(&format!("/injury/{id}"))),
        Err(e) => refused(&pg, id, e, &form).await,
    }
}

/// `POST /injury/{id}/benefits`: computes a benefit of the case (preview) or proposes it.
pub async fn benefit(pg: Page, path: web::Path<i64>, form: Form) -> PageResult {
    pg.require(Permission::BenefitPropose)?;
    pg.check_csrf(&form)?;
    let id = path.into_inner();
    let mut fields = form.0.clone();
    fields.insert("injury_case_id".into(), id.to_string());
    let kind = opt(&form, "benefit").unwrap_or_default();
    let input = match ProposalInput::from_form(&kind, 0, &fields) {
        Ok(i) => i,
        Err(_) => return refused(&pg, id, ApiError::field("benefit", "injury.benefit"), &form).await,
    };
    let (preview, today) = (form.contains_key("preview"), today());
    match pg.who.db_checked(move |tx| proposal::propose(tx, &input, today, preview)).await {
        Ok(Proposed::Saved(c)) => Ok(redirect(&format!("/benefits/{}", c.id))),
        Ok(Proposed::Preview(c)) => {
            let page = pg.ctx();
            let figures = json!({"amount": Fen(c.amount_fen).to_string(), "monthly": c.monthly, "payer": c.payer,
                                 "payer_label": page.t(&format!("injury.payers.{}", c.payer)),
                                 "start_period": c.start_period.format("%Y-%m").to_string(),
                                 "lines": super::benefits::injury_lines(&page, &c.calculation)});
            render_case(&page, &pg.who, id, StatusCode::OK, json!({}), form_values(&form), Some(figures)).await
        }
        Err(e) => refused(&pg, id, e, &form).await,
    }
}

/// `POST /injury/{id}/documents`: one evidence document (PDF, JPEG or PNG, at most 5 MiB).
pub async fn upload(pg: Page, path: web::Path<i64>, payload: actix_multipart::Multipart) -> PageResult {
    pg.require(Permission::BenefitPropose)?;
    let id = path.into_inner();
    let form = super::upload_form::read(payload, injury::MAX_DOCUMENT_BYTES, &pg.who).await?;
    let empty: Form = web::Form(Default::default());
    if form.too_large {
        return refused(&pg, id, ApiError::field("file", "injury.document_size"), &empty).await;
    }
    if form.file.is_empty() {
        return refused(&pg, id, ApiError::field("file", "upload.missing"), &empty).await;
    }
    let checked = jinbao_app::injury::check_document(&form.file_name, "", form.file.len())
        .and_then(|(name, kind)| jinbao_app::injury::check_signature(kind, &form.file).map(|_| (name, kind)));
    let (name, kind) = match checked {
        Ok(v) => v,
        Err(e) => return refused(&pg, id, ApiError::from(e), &empty).await,
    };
    let content = form.file;
    match pg.who.db(move |tx| injury_cases::add_document(tx, id, &name, kind, &content)).await {
        Ok(_) => Ok(redirect(&format!("/injury/{id}#documents"))),
        Err(e) => refused(&pg, id, e, &empty).await,
    }
}

/// `GET /injury/{id}/documents/{doc}`: the document as stored, after its checksum is verified.
pub async fn download(pg: Page, path: web::Path<(i64, i64)>) -> PageResult {
    if !can_see(&pg.who) {
        return Err(ApiError::Forbidden.into());
    }
    let (id, doc) = path.into_inner();
    let (d, content) = pg.who.db(move |tx| injury_cases::document_content(tx, id, doc)).await?;
    let ascii: String = d.file_name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '.' { c } else { '_' }).collect();
    Ok(HttpResponse::Ok()
        .content_type(d.content_type.as_str())
        .insert_header(("Cache-Control", "no-store"))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{}", super::render::url_encode(&d.file_name)),
        ))
        .body(content))
}
