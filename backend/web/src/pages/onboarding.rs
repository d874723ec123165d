//! `/admin/tenants`: platform administrators bring cities on — the first city administrator, the
//! go-live checklist with who ticked what, and status transitions. Each action on a city runs in
//! that city's tenant transaction as an explicit, audited platform operation (`platform:<user>`);
//! the administrator's own session is checked in the province tenant first.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use jinbao_domain::TenantStatus;
use jinbao_store::kinds::TenantKind;
use jinbao_store::repo::users::{self, NewUser};
use jinbao_store::repo::{global, onboarding};
use jinbao_store::{Actor, StoreError, TenantId, TenantTx};
use serde_json::{json, Value};

use super::page::{Page, PageResult};
use super::render::{check_csrf, field, redirect, Form, PageCtx};
use crate::auth::{password, Permission, Principal};
use crate::error::ApiError;
use crate::i18n::Lang;
use crate::state::AppState;

/// Runs `f` in the city's tenant as a platform operation of the logged-in administrator.
async fn in_city<T, F>(state: &AppState, who: &Principal, code: &str, f: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&mut TenantTx<'_>) -> Result<T, StoreError> + Send + 'static,
{
    who.require(Permission::TenantAdmin)?;
    who.db(|_| Ok(())).await?;
    let db = state.db.clone();
    let tenants = crate::blocking::run({
        let db = db.clone();
        move || global::tenants(&db)
    })
    .await?;
    let t = tenants.into_iter().find(|t| t.code == code).ok_or(ApiError::NotFound)?;
    crate::blocking::tenant(&db, TenantId(t.id), Actor::system(&format!("platform:{}", who.claims.username)), f).await
}

async fn render(
    page: &PageCtx<'_>,
    req: &HttpRequest,
    state: &AppState,
    who: &Principal,
    status: StatusCode,
    notice: Option<Value>,
) -> HttpResponse {
    if let Err(e) = who.require(Permission::TenantAdmin) {
        return page.error(req, e).await;
    }
    let db = state.db.clone();
    let tenants = match crate::blocking::run(move || global::tenants(&db)).await {
        Ok(t) => t,
        Err(e) => return page.error(req, e).await,
    };
    let mut rows = Vec::new();
    for t in tenants.iter().filter(|t| t.kind == TenantKind::City) {
        let items = in_city(state, who, &t.code, onboarding::checklist).await.unwrap_or_default();
        let done = items.iter().filter(|i| i.done_at.is_some()).count();
        let current = TenantStatus::parse(&t.status);
        let next: Vec<Value> = [TenantStatus::Pilot, TenantStatus::Live, TenantStatus::Suspended]
            .into_iter()
            .filter(|to| current.is_some_and(|c| c.may_become(*to)))
            .map(|to| json!({"code": to.code(), "label": page.t(&format!("onboarding.to.{}", to.code()))}))
            .collect();
        let east8 = chrono::FixedOffset::east_opt(8 * 3600).expect("offset");
        rows.push(json!({
            "code": t.code, "name": if page.lang == Lang::En { &t.name_en } else { &t.name_zh }, "wave": t.wave,
            "status_label": page.t(&format!("status.{}", t.status)), "done": done, "total": onboarding::ITEMS.len(), "started": !items.is_empty(),
            "items": items.iter().map(|i| json!({"item": i.item, "label": page.t(&format!("onboarding.items.{}", i.item)), "done_by": i.done_by,
                "done_at": i.done_at.map(|d| d.with_timezone(&east8).format("%Y-%m-%d %H:%M").to_string())})).collect::<Vec<_>>(),
            "next": next,
        }));
    }
    let mut ctx = page.base("onboarding", "onboarding.title", None).await;
    ctx.insert("cities".into(), json!(rows));
    ctx.insert("notice".into(), json!(notice));
    page.render(status, "admin/tenants", &ctx)
}

pub async fn list(pg: Page) -> PageResult {
    let Page { state, req, who } = pg;
    let page = PageCtx::new(&state, &req, Some(&who));
    Ok(render(&page, &req, &state, &who, StatusCode::OK, None).await)
}

/// Starts onboarding: the checklist and the first city administrator (shown once). Idempotent.
pub async fn start(pg: Page, path: web::Path<String>, form: Form) -> PageResult {
    let Page { state, req, who } = pg;
    let page = PageCtx::new(&state, &req, Some(&who));
    check_csrf(&who, &form)?;
    let code = path.into_inner();
    let admin = format!("admin{code}");
    let pw = password::generate();
    let hash = match password::hash(&pw) {
        Ok(h) => h,
        Err(e) => return Err(ApiError::internal(e).into()),
    };
    let result = in_city(&state, &who, &code, move |tx| {
        onboarding::ensure_checklist(tx)?;
        if users::id_by_username(tx, &admin)?.is_some() {
            return Ok(None);
        }
        let roles = vec!["city_admin".to_string()];
        users::create(
            tx,
            &NewUser {
                username: &admin,
                display_name: &admin,
                office_code: None,
                roles: &roles,
                password_hash: &hash,
                must_change_password: true,
            },
        )?;
        Ok(Some(admin))
    })
    .await;
    Ok(match result {
        Ok(Some(username)) => {
            render(&page, &req, &state, &who, StatusCode::OK, Some(json!({"code": code, "username": username, "password": pw}))).await
        }
        Ok(None) => redirect("/admin/tenants"),
        Err(e) => return Err(e.into()),
    })
}

pub async fn tick(pg: Page, path: web::Path<(String, String)>, form: Form) -> PageResult {
    let Page { state, who, .. } = pg;
    check_csrf(&who, &form)?;
    let (code, item) = path.into_inner();
    let by = format!("{} ({})", who.claims.username, who.claims.tcode);
    let note = Some(field(&form, "note")).filter(|n| !n.is_empty());
    in_city(&state, &who, &code, move |tx| onboarding::tick(tx, &item, &by, note.as_deref())).await?;
    Ok(redirect("/admin/tenants"))
}

pub async fn transition(pg: Page, path: web::Path<(String, String)>, form: Form) -> PageResult {
    let Page { state, req, who } = pg;
    let page = PageCtx::new(&state, &req, Some(&who));
    check_csrf(&who, &form)?;
    let (code, to) = path.into_inner();
    let Some(to) = TenantStatus::parse(&to) else { return Err(ApiError::NotFound.into()) };
    let reason = format!("{} ({})", field(&form, "reason"), who.claims.username);
    Ok(match in_city(&state, &who, &code, move |tx| onboarding::transition(tx, to, &reason)).await {
        Ok(_) => redirect("/admin/tenants"),
        Err(ApiError::Conflict(c)) => {
            let msg = state.catalog.error(page.lang, &c.code);
            render(&page, &req, &state, &who, StatusCode::CONFLICT, Some(json!({"code": code, "error": msg}))).await
        }
        Err(e) => return Err(e.into()),
    })
}
