//! The audit trail of a record, the insurance certificate, and its public verification page.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use jinbao_store::repo::{audit, certificates, employers, global, persons};
use jinbao_store::TenantId;
use rand::RngCore;
use serde_json::{json, Value};

use super::page::{Page, PageResult};
use super::render::{field, Form, PageCtx};
use crate::auth::{csrf, Permission};
use crate::error::ApiError;
use crate::i18n::Lang;
use crate::state::AppState;

/// Field-by-field differences between two JSON objects (values shown as text).
fn changes(before: Option<&Value>, after: Option<&Value>) -> Vec<Value> {
    let empty = serde_json::Map::new();
    let b = before.and_then(Value::as_object).unwrap_or(&empty);
    let a = after.and_then(Value::as_object).unwrap_or(&empty);
    let mut keys: Vec<&String> =
        b.keys().chain(a.keys()).filter(|k| !["updated_at", "created_at", "version"].contains(&k.as_str())).collect();
    keys.sort();
    keys.dedup();
    let text = |v: Option<&Value>| match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    };
    keys.into_iter()
        .filter(|k| b.get(*k) != a.get(*k))
        .map(|k| json!({"field": k, "before": text(b.get(k)), "after": text(a.get(k))}))
        .collect()
}

pub async fn trail(pg: Page, path: web::Path<(String, String)>) -> PageResult {
    let Page { state, req, who } = pg;
    let page = PageCtx::new(&state, &req, Some(&who));
    let (entity, id) = path.into_inner();
    let Ok(id) = id.parse::<i64>() else { return Err(ApiError::NotFound.into()) };
    if entity != "person" && entity != "employer" {
        return Err(ApiError::NotFound.into());
    }
    who.require(Permission::AuditRead)?;
    let kind = entity.clone();
    let data = who
        .db(move |tx| {
            let name = if kind == "person" { persons::get(tx, id)?.name } else { employers::get(tx, id)?.name };
            Ok((name, audit::trail(tx, &kind, id, 500)?))
        })
        .await;
    let (name, entries) = data?;
    let east8 = chrono::FixedOffset::east_opt(8 * 3600).expect("offset");
    let entries: Vec<Value> = entries
        .iter()
        .map(|e| {
            json!({"at": e.at.with_timezone(&east8).format("%Y-%m-%d %H:%M:%S").to_string(), "actor": e.actor, "office_name": e.office_name,
                   "action_label": page.t(&format!("audit.actions.{}", e.action)), "reason": e.reason, "request_id": e.request_id,
                   "changes": changes(e.before.as_ref(), e.after.as_ref())})
        })
        .collect();
    let mut ctx = page.base(if entity == "person" { "persons" } else { "employers" }, "audit.title", None).await;
    ctx.insert("subject".into(), json!({"entity_label": page.t(&format!("audit.entities.{entity}")), "id": id, "name": name}));
    ctx.insert("entries".into(), json!(entries));
    Ok(page.render(StatusCode::OK, "audit", &ctx))
}

/// Issues a certificate for the person as of now and shows it.
pub async fn issue_certificate(pg: Page, path: web::Path<String>, form: Form) -> PageResult {
    let Page { who, .. } = pg;
    let Ok(id) = path.parse::<i64>() else { return Err(ApiError::NotFound.into()) };
    who.require(Permission::ContributionRead).and_then(|_| super::render::check_csrf(&who, &form))?;
    let mut random = [0u8; 12];
    rand::thread_rng().fill_bytes(&mut random);
    let tenant_code = who.claims.tcode.clone();
    let c = who.db(move |tx| certificates::issue(tx, id, &tenant_code, random)).await?;
    Ok(super::render::redirect(&format!("/certificates/{}", c.code)))
}

/// A printable certificate issued before.
pub async fn certificate(pg: Page, path: web::Path<String>) -> PageResult {
    let Page { state, req, who } = pg;
    let page = PageCtx::new(&state, &req, Some(&who));
    who.require(Permission::ContributionRead)?;
    let code = path.into_inner();
    let cert = who.db(move |tx| certificates::get(tx, &code)).await?;
    let mut ctx = page.base("persons", "certificate.title", None).await;
    let tenant_name = ctx.get("tenant").and_then(|t| t.get("name")).cloned().unwrap_or(Value::Null);
    let month = |d: chrono::NaiveDate| d.format("%Y-%m").to_string();
    let lines: Vec<Value> = cert
        .lines
        .iter()
        .map(|l| {
            json!({"type_label": page.t(&format!("insurance.{}", l.insurance_type)), "start_period": month(l.start_period),
                   "end_period": l.end_period.map(month), "months": l.months, "status_label": page.t(&format!("status.{}", l.status))})
        })
        .collect();
    let info = req.connection_info().clone();
    ctx.insert(
        "certificate".into(),
        json!({"tenant_name": tenant_name, "tenant_code": who.claims.tcode, "person_name": cert.person.name,
               "id_number_masked": jinbao_domain::id_number::mask(&cert.person.id_number),
               "gender_label": page.t(&format!("persons.{}", cert.person.gender.code())), "birth_date": cert.person.birth_date.to_string(),
               "issued_on": cert.issued_at.date_naive().to_string(), "code": cert.code,
               "verify_url": format!("{}://{}/verify", info.scheme(), info.host()),
               "lines": lines, "total_months": cert.lines.iter().map(|l| l.months).max().unwrap_or(0)}),
    );
    Ok(page.render(StatusCode::OK, "certificate", &ctx))
}

async fn render_verify(
    state: &AppState,
    req: &HttpRequest,
    status: StatusCode,
    code: &str,
    result: Value,
    error: Option<String>,
) -> HttpResponse {
    let page = PageCtx::new(state, req, None);
    let token = req.cookie(csrf::LOGIN_COOKIE).map(|c| c.value().to_string()).filter(|v| v.len() == 48).unwrap_or_else(csrf::new_token);
    let mut ctx = page.base("", "verify.title", None).await;
    ctx.insert("csrf".into(), json!(token));
    ctx.insert("form".into(), json!({"code": code}));
    ctx.insert("result".into(), result);
    ctx.insert("errors".into(), json!({"code": error}));
    let mut res = page.render(status, "verify", &ctx);
    let _ = res.add_cookie(&super::render::cookie(state, csrf::LOGIN_COOKIE, token, 3600));
    res
}

/// Public: anyone holding a certificate can check its code.
pub async fn verify_form(state: web::Data<AppState>, req: HttpRequest) -> HttpResponse {
    render_verify(&state, &req, StatusCode::OK, "", Value::Null, None).await
}

pub async fn verify(state: web::Data<AppState>, req: HttpRequest, form: Form) -> HttpResponse {
    let lang = super::render::lang_of(&req);
    let cookie_token = req.cookie(csrf::LOGIN_COOKIE).map(|c| c.value().to_string()).unwrap_or_default();
    let code = field(&form, "code").to_ascii_uppercase();
    if !csrf::matches(&cookie_token, &field(&form, "csrf")) {
        return render_verify(&state, &req, StatusCode::BAD_REQUEST, &code, Value::Null, Some(state.catalog.error(lang, "csrf.invalid")))
            .await;
    }
    let tenant_code = code.split('-').next().unwrap_or("").to_string();
    let db = state.db.clone();
    let tenants = crate::blocking::run(move || global::tenants(&db)).await.unwrap_or_default();
    let found = match tenants.iter().find(|t| t.code == tenant_code) {
        Some(t) if code.len() == 21 => {
            let (db, tid, c) = (state.db.clone(), TenantId(t.id), code.clone());
            crate::blocking::run(move || db.tenant_anonymous(tid, |tx| certificates::verify(tx, &c)))
                .await
                .ok()
                .flatten()
                .map(|r| (t.clone(), r))
        }
        _ => None,
    };
    let result = match found {
        Some((t, (initial, issued))) => json!({"valid": true, "name_initial": format!("{initial}**"),
            "tenant_name": if lang == Lang::En { t.name_en } else { t.name_zh }, "issued_on": issued.date_naive().to_string()}),
        None => json!({"valid": false}),
    };
    render_verify(&state, &req, StatusCode::OK, &code, result, None).await
}
