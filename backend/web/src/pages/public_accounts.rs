//! The clerk's side of online service: opening an accountant's account for an employer (a
//! one-time password shown once, to hand over on paper), disabling it, and the queue of
//! applications employers submitted for a clerk's decision.

use actix_web::http::StatusCode;
use actix_web::web;
use jinbao_domain::{Fen, InsuranceType, Period};
use jinbao_store::repo::declarations::{self, DeclaredRow};
use jinbao_store::repo::enrolments::{self, EnrolRequest, PersonChoice};
use jinbao_store::repo::persons::{self, PersonFields};
use jinbao_store::repo::public_accounts::{self, NewEmployerAccount};
use jinbao_store::repo::public_applications::{self, Application};
use jinbao_store::StoreError;
use serde::Deserialize;
use serde_json::{json, Value};

use super::page::{Page, PageResult};
use super::render::{check_csrf, field, page_links, redirect, Form, PageCtx};
use crate::auth::{password, Permission};
use crate::error::ApiError;

pub fn accounts_json(page: &PageCtx<'_>, accounts: &[public_accounts::Account]) -> Value {
    json!(accounts
        .iter()
        .map(|a| json!({"id": a.id, "login": a.login, "display_name": a.display_name, "phone": a.phone, "active": a.status == "active",
                        "status_label": page.t(&format!("accounts.status.{}", a.status)),
                        "last_login": a.last_login_at.map(|t| t.with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).expect("offset")).format("%Y-%m-%d %H:%M").to_string())}))
        .collect::<Vec<_>>())
}

/// A login name for an accountant: 3–40 of letters, digits, `.`, `_`, `-`, kept in lower case.
fn login_problem(login: &str) -> Option<&'static str> {
    if !(3..=40).contains(&login.len()) || !login.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-')) {
        Some("accounts.login_format")
    } else {
        None
    }
}

/// `POST /employers/{id}/accounts`: opens an accountant's account; the page shows the one-time
/// password once (printable), never again.
pub async fn open(pg: Page, path: web::Path<i64>, form: Form) -> PageResult {
    let Page { state, req, who } = pg;
    who.require(Permission::EmployerWrite).and_then(|_| check_csrf(&who, &form))?;
    let employer_id = path.into_inner();
    let login = field(&form, "login").to_ascii_lowercase();
    let name = field(&form, "display_name");
    let phone = Some(field(&form, "phone")).filter(|p| !p.is_empty());
    let mut problems = crate::error::Problems::default();
    if let Some(code) = login_problem(&login) {
        problems.push("login", code);
    }
    if name.is_empty() {
        problems.push("display_name", "required");
    } else if let Some(code) = jinbao_domain::text::name_problem(&name) {
        problems.push("display_name", code);
    }
    if phone.as_deref().is_some_and(|p| !(5..=20).contains(&p.len()) || !p.bytes().all(|b| b.is_ascii_digit() || b == b'-' || b == b'+')) {
        problems.push("phone", "accounts.phone_format");
    }
    problems.finish().map_err(ApiError::from)?;
    let one_time = password::generate();
    let hash = password::hash(&one_time).map_err(ApiError::internal)?;
    let (l, n) = (login.clone(), name.clone());
    let (account, employer) = who
        .db(move |tx| {
            let a = public_accounts::open_employer_account(
                tx,
                &NewEmployerAccount { employer_id, login: &l, display_name: &n, phone: phone.as_deref(), password_hash: &hash },
            )?;
            Ok((a, jinbao_store::repo::employers::get(tx, employer_id)?))
        })
        .await?;
    let page = PageCtx::new(&state, &req, Some(&who));
    let mut ctx = page.base("employers", "accounts.letter_title", None).await;
    ctx.insert(
        "letter".into(),
        json!({"employer_name": employer.name, "credit_code": employer.credit_code, "login": account.login, "display_name": account.display_name,
               "password": one_time, "tenant_code": who.claims.tcode, "employer_id": employer_id,
               "portal_url": format!("{}://{}/portal/login", req.connection_info().scheme(), req.connection_info().host())}),
    );
    Ok(page.render(StatusCode::CREATED, "employers/account_letter", &ctx))
}

/// `POST /employers/{id}/accounts/{account}/{disable|enable}`.
pub async fn set_status(pg: Page, path: web::Path<(i64, i64, String)>, form: Form) -> PageResult {
    let Page { who, .. } = pg;
    who.require(Permission::EmployerWrite).and_then(|_| check_csrf(&who, &form))?;
    let (employer_id, account_id, action) = path.into_inner();
    let status = match action.as_str() {
        "disable" => "disabled",
        "enable" => "active",
        _ => return Err(ApiError::NotFound.into()),
    };
    let reason = field(&form, "reason");
    let reason = if reason.is_empty() { action.clone() } else { jinbao_domain::text::printable(&reason, 200) };
    who.db(move |tx| {
        let mine = public_accounts::of_employer(tx, employer_id)?;
        if !mine.iter().any(|a| a.id == account_id) {
            return Err(StoreError::NotFound);
        }
        public_accounts::set_status(tx, account_id, status, &reason)
    })
    .await?;
    Ok(redirect(&format!("/employers/{employer_id}#accounts-card")))
}

#[derive(Deserialize)]
pub struct QueueQuery {
    status: Option<String>,
    page: Option<i64>,
    flash: Option<String>,
}

fn application_json(page: &PageCtx<'_>, a: &Application) -> Value {
    let types: Vec<String> = a.payload["types"]
        .as_array()
        .map(|ts| ts.iter().filter_map(Value::as_str).map(|t| page.t(&format!("insurance.{t}"))).collect())
        .unwrap_or_default();
    json!({"id": a.id, "kind_label": page.t(&format!("portal.applications.kind.{}", a.kind)), "account_name": a.account_name,
           "employer_id": a.employer_id, "employer_name": a.employer_name, "name": a.payload.get("name"),
           "id_number_masked": a.payload.get("id_number").and_then(Value::as_str).map(jinbao_domain::id_number::mask),
           "start_period": a.payload.get("start_period"), "hire_date": a.payload.get("hire_date"), "is_transfer": a.kind == "transfer_in",
           "from_city": a.payload.get("from_city"), "person_id": a.person_id, "note": a.payload.get("reason"),
           "is_declaration": a.kind == "declaration_late", "base_year": a.payload.get("base_year"),
           "declared_rows": a.payload.get("rows").and_then(Value::as_array).map(Vec::len),
           "wage": a.payload.get("declared_wage_fen").and_then(Value::as_i64).map(|f| Fen(f).to_string()), "types": types.join("、"),
           "status": a.status, "waiting": a.status == "submitted", "status_label": page.t(&format!("portal.applications.status.{}", a.status)),
           "submitted_at": a.submitted_at.with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).expect("offset")).format("%Y-%m-%d %H:%M").to_string(),
           "reason": a.reason})
}

/// `GET /applications`: what employers submitted for a clerk's decision, waiting first.
pub async fn queue(pg: Page, q: web::Query<QueueQuery>) -> PageResult {
    let Page { state, req, who } = pg;
    who.require(Permission::EnrolmentWrite)?;
    let page = PageCtx::new(&state, &req, Some(&who));
    let status = match q.status.as_deref() {
        Some("all") => None,
        Some(s @ ("approved" | "rejected")) => Some(s.to_string()),
        _ => Some("submitted".to_string()),
    };
    let n = q.page.unwrap_or(1).clamp(1, 10_000);
    let st = status.clone();
    let rows = who.db(move |tx| public_applications::list(tx, st.as_deref(), n, 50)).await?;
    let items: Vec<Value> = rows.items.iter().map(|a| application_json(&page, a)).collect();
    let shown = status.clone().unwrap_or_else(|| "all".into());
    let (prev, next) = page_links("/applications", &[("status", &shown)], rows.page, rows.has_more);
    let mut ctx = page.base("applications", "portal.applications.queue_title", None).await;
    ctx.insert("rows".into(), json!(items));
    ctx.insert("status".into(), json!(shown));
    ctx.insert("prev".into(), prev);
    ctx.insert("next".into(), next);
    if let Some(f) = q.flash.as_deref().filter(|f| matches!(*f, "approved" | "rejected")) {
        ctx.insert("flash".into(), json!(page.t(&format!("portal.applications.flash.{f}"))));
    }
    Ok(page.render(StatusCode::OK, "applications", &ctx))
}

/// `POST /applications/{id}/{approve|reject}`: approving does the hire and the enrolment as the
/// clerk (the clerk's rules apply: another employer's active enrolment must be stopped first);
/// rejecting needs a reason. Both are recorded on the application and audited.
pub async fn decide(pg: Page, path: web::Path<(i64, String)>, form: Form) -> PageResult {
    let Page { state, who, .. } = pg;
    who.require(Permission::EnrolmentWrite).and_then(|_| check_csrf(&who, &form))?;
    let (id, action) = path.into_inner();
    let approve = match action.as_str() {
        "approve" => true,
        "reject" => false,
        _ => return Err(ApiError::NotFound.into()),
    };
    let reason = Some(field(&form, "reason")).filter(|r| !r.is_empty()).map(|r| jinbao_domain::text::printable(&r, 500));
    let a = who.db(move |tx| public_applications::get(tx, id)).await?;
    if a.status != "submitted" {
        return Err(ApiError::Conflict(crate::error::FieldProblem { field: "status".into(), code: "application.decided".into() }).into());
    }
    if approve && a.kind == "transfer_in" {
        // The transfer is opened as by the transfer page (the clerk's permission, limits and
        // audit), then the application records it.
        let from = a.payload.get("from_city").and_then(Value::as_str).map(str::to_string);
        let (_, t) = crate::transfers::open_letter(&state, &who, from, a.person_id).await?;
        let result = json!({"transfer": t.uid});
        who.db(move |tx| public_applications::decide(tx, id, true, reason.as_deref(), None, Some(&result))).await?;
        return Ok(redirect("/applications?flash=approved"));
    }
    if approve && !who.can(Permission::PersonWrite) {
        return Err(ApiError::Forbidden.into());
    }
    who.db(move |tx| {
        if !approve {
            return public_applications::decide(tx, id, false, reason.as_deref(), None, None);
        }
        let a = public_applications::get(tx, id)?;
        if a.kind == "declaration_late" {
            let (employer_id, year, rows, valid_only) = declaration_request(&a)?;
            let outcome = declarations::apply(tx, employer_id, year, &rows, Vec::new(), valid_only)?;
            let result = json!({"applied": outcome.applied, "rejected": outcome.problems.len(), "effective_from": outcome.effective_from.to_string()});
            return public_applications::decide(tx, id, true, reason.as_deref(), None, Some(&result));
        }
        let req = hire_request(tx, &a)?;
        let outcome = enrolments::enrol(tx, &req)?;
        let result = json!({"person_id": outcome.person_id, "enrolments": outcome.enrolments.iter().map(|e| e.id).collect::<Vec<_>>()});
        public_applications::decide(tx, id, true, reason.as_deref(), Some(outcome.person_id), Some(&result))
    })
    .await?;
    Ok(redirect(&format!("/applications?flash={}", if approve { "approved" } else { "rejected" })))
}

/// A late declaration's rows, read back from its payload: (employer, base year, rows, valid only).
fn declaration_request(a: &Application) -> Result<(i64, i32, Vec<DeclaredRow>, bool), StoreError> {
    let bad = || StoreError::invalid("payload", "application.payload");
    let year = a.payload.get("base_year").and_then(Value::as_i64).ok_or_else(bad)? as i32;
    let today = chrono::Utc::now().date_naive();
    let rows = a.payload["rows"]
        .as_array()
        .ok_or_else(bad)?
        .iter()
        .map(|r| {
            let id = jinbao_domain::IdNumber::parse(r.get(1).and_then(Value::as_str).unwrap_or(""), today).map_err(|_| bad())?;
            Ok(DeclaredRow {
                row: r.get(0).and_then(Value::as_u64).unwrap_or(0) as usize,
                id_number: id,
                wage: Fen(r.get(2).and_then(Value::as_i64).ok_or_else(bad)?),
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    Ok((a.employer_id.ok_or_else(bad)?, year, rows, a.payload.get("valid_only").and_then(Value::as_bool).unwrap_or(false)))
}

/// The enrolment an approved hire application asks for, read back from its payload.
fn hire_request(tx: &mut jinbao_store::TenantTx<'_>, a: &Application) -> Result<EnrolRequest, StoreError> {
    let p = &a.payload;
    let text = |k: &str| p.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    let bad = || StoreError::invalid("payload", "application.payload");
    let idn = jinbao_domain::IdNumber::parse(&text("id_number"), chrono::Utc::now().date_naive()).map_err(|_| bad())?;
    let start: Period = text("start_period").parse().map_err(|_| bad())?;
    let hire_date = chrono::NaiveDate::parse_from_str(&text("hire_date"), "%Y-%m-%d").map_err(|_| bad())?;
    let wage = Fen(p.get("declared_wage_fen").and_then(Value::as_i64).ok_or_else(bad)?);
    let types: Vec<InsuranceType> =
        p.get("types").and_then(Value::as_array).map(|ts| ts.iter().filter_map(|t| t.as_str()?.parse().ok()).collect()).unwrap_or_default();
    let person = match persons::find_by_id_number(tx, &idn)? {
        Some(existing) => PersonChoice::Existing(existing.id),
        None => PersonChoice::New(
            idn,
            PersonFields {
                name: text("name"),
                ethnicity: None,
                hukou_kind: Some(text("hukou_kind")).filter(|s| !s.is_empty()),
                address: None,
                phone: Some(text("phone")).filter(|s| !s.is_empty()),
            },
        ),
    };
    let employer_id = a.employer_id.ok_or_else(bad)?;
    Ok(EnrolRequest { person, employer_id, start, declared_wage: wage, types, hire_date: Some(hire_date) })
}
