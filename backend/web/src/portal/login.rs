//! The portal's door: login of an employer's accountant (city, login name, password) or of an
//! insured person (city, identity number, password), logout, the password change a one-time
//! password forces, and the language switch. Throttled like the staff login, by the same limiter
//! (the login's kind is part of the name it counts).

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Utc;
use jinbao_domain::TenantStatus;
use jinbao_store::repo::{global, public_accounts};
use jinbao_store::TenantId;
use serde::Deserialize;
use serde_json::json;

use super::page::{Fields, PortalCtx, PortalPage, PortalResult};
use super::session::{Account, EMPLOYER, PERSON, PORTAL_COOKIE};
use crate::auth::client::client_ip;
use crate::auth::keys::{Claims, ISSUER, PUBLIC_AUDIENCE};
use crate::auth::principal::revoked_key;
use crate::auth::{csrf, password};
use crate::error::{ApiError, FieldProblem};
use crate::i18n::Lang;
use crate::pages::login::safe_next;
use crate::pages::render::{cookie, expired, lang_of, redirect, LANG_COOKIE};
use crate::state::AppState;

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
    kind: Option<String>,
    tenant: Option<String>,
    activated: Option<String>,
}

/// Where a portal login may return to: a portal page, else the portal's home.
fn portal_next(next: Option<&str>) -> String {
    let n = safe_next(next);
    if n.starts_with("/portal") && !n.starts_with("/portal/login") {
        n
    } else {
        "/portal".into()
    }
}

/// The account kind of a login form: `person` or (default) `employer`.
fn kind_of(v: &str) -> &'static str {
    if v == "person" {
        "person"
    } else {
        "employer"
    }
}

/// A person's login is the identity number as the counter records it (full-width digits and a
/// lower-case check letter accepted); an accountant's login is case-insensitive.
pub fn normalise_login(kind: &str, login: &str) -> String {
    let t = jinbao_domain::text::nfkc(login.trim());
    if kind == "person" {
        t.to_ascii_uppercase()
    } else {
        t.to_ascii_lowercase()
    }
}

pub(crate) async fn tenant_options(state: &AppState, lang: Lang, chosen: &str) -> serde_json::Value {
    let db = state.db.clone();
    let tenants = crate::blocking::run(move || global::tenants(&db)).await.unwrap_or_default();
    let chosen = if chosen.is_empty() { "411000" } else { chosen };
    json!(tenants
        .iter()
        .filter(|t| t.kind == jinbao_store::kinds::TenantKind::City)
        .map(|t| json!({"code": t.code, "name": if lang == Lang::En { &t.name_en } else { &t.name_zh }, "selected": t.code == chosen}))
        .collect::<Vec<_>>())
}

struct LoginView<'a> {
    status: StatusCode,
    kind: &'a str,
    tenant: &'a str,
    login: &'a str,
    next: &'a str,
    error: Option<String>,
    notice: bool,
}

async fn render_login(state: &AppState, req: &HttpRequest, v: LoginView<'_>) -> HttpResponse {
    let page = PortalCtx { state, lang: lang_of(req), who: None };
    let token = req.cookie(csrf::LOGIN_COOKIE).map(|c| c.value().to_string()).filter(|v| v.len() == 48).unwrap_or_else(csrf::new_token);
    let mut ctx = page.base("", "portal.login.title").await;
    ctx.insert("csrf".into(), json!(token));
    ctx.insert("tenants".into(), tenant_options(state, page.lang, v.tenant).await);
    ctx.insert("form".into(), json!({"kind": v.kind, "login": v.login, "person": v.kind == "person"}));
    ctx.insert("error".into(), json!(v.error));
    ctx.insert("next".into(), json!(v.next));
    ctx.insert("activated".into(), json!(v.notice));
    let mut res = page.render(v.status, "portal/login", &ctx);
    let _ = res.add_cookie(&cookie(state, csrf::LOGIN_COOKIE, token, 3600));
    res
}

pub async fn show(state: web::Data<AppState>, req: HttpRequest, q: web::Query<NextQuery>) -> HttpResponse {
    let next = portal_next(q.next.as_deref());
    let kind = kind_of(q.kind.as_deref().unwrap_or(""));
    let tenant = q.tenant.clone().unwrap_or_default();
    render_login(
        &state,
        &req,
        LoginView { status: StatusCode::OK, kind, tenant: &tenant, login: "", next: &next, error: None, notice: q.activated.is_some() },
    )
    .await
}

pub async fn submit(state: web::Data<AppState>, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    let f = Fields::parse(&body);
    let kind = kind_of(&f.get("kind"));
    let (tenant, login) = (f.get("tenant"), normalise_login(kind, &f.get("login")));
    let pw = f.0.iter().find(|(k, _)| k == "password").map(|(_, v)| v.clone()).unwrap_or_default();
    let next = portal_next(Some(&f.get("next")));
    let lang = lang_of(&req);
    let view =
        |status, error: String| LoginView { status, kind, tenant: &tenant, login: &login, next: &next, error: Some(error), notice: false };
    let cookie_token = req.cookie(csrf::LOGIN_COOKIE).map(|c| c.value().to_string()).unwrap_or_default();
    if !csrf::matches(&cookie_token, &f.get("csrf")) {
        return render_login(&state, &req, view(StatusCode::BAD_REQUEST, state.catalog.error(lang, "csrf.invalid"))).await;
    }
    if tenant.is_empty() || login.is_empty() || pw.is_empty() || login.len() > 64 || pw.len() > 200 {
        return render_login(&state, &req, view(StatusCode::UNPROCESSABLE_ENTITY, state.catalog.error(lang, "auth.invalid_credentials")))
            .await;
    }
    match login_account(&state, kind, &tenant, &login, &pw, &client_ip(&req)).await {
        Ok((token, account_lang)) => {
            let ttl = state.settings.token_ttl_minutes * 60;
            let mut res = redirect(&next);
            let _ = res.add_cookie(&cookie(&state, PORTAL_COOKIE, token, ttl));
            let _ = res.add_cookie(&expired(csrf::LOGIN_COOKIE));
            let _ = res.add_cookie(&cookie(&state, LANG_COOKIE, account_lang, 365 * 86400));
            res
        }
        Err(e) => {
            use actix_web::ResponseError;
            let status = e.status_code();
            let status = if status.is_server_error() { status } else { StatusCode::UNAUTHORIZED.max(status) };
            render_login(&state, &req, view(status, state.catalog.error(lang, e.code()))).await
        }
    }
}

/// Checks the credentials and issues a portal token. An unknown login, a disabled or not yet
/// activated account, a closed employer and a wrong password get the same answer after the same
/// work; failures slow down the address and the login (the staff login's limiter).
async fn login_account(
    state: &AppState,
    kind: &'static str,
    tenant_code: &str,
    login: &str,
    pw: &str,
    ip: &str,
) -> Result<(String, String), ApiError> {
    let db = state.db.clone();
    let tenants = crate::blocking::run(move || global::tenants(&db)).await?;
    let tenant = tenants.into_iter().find(|t| t.code == tenant_code).ok_or_else(|| ApiError::field("tenant", "auth.unknown_tenant"))?;
    if !TenantStatus::parse(&tenant.status).is_some_and(TenantStatus::accepts_logins) {
        return Err(ApiError::Unauthorized("auth.tenant_suspended"));
    }
    let counted = format!("{kind}:{login}");
    if state.limiter.blocked(ip, tenant_code, &counted).await {
        return Err(ApiError::TooManyRequests("auth.rate_limited"));
    }
    let (pw, l) = (pw.to_string(), login.to_string());
    let found = crate::blocking::run({
        let db = state.db.clone();
        move || {
            db.tenant_anonymous(TenantId(tenant.id), |tx| {
                let rec = public_accounts::for_login(tx, kind, &l)?;
                let usable = rec.as_ref().filter(|r| r.status == "active" && r.employer_open && r.password_hash.is_some());
                let hash = usable.and_then(|r| r.password_hash.as_deref()).unwrap_or(password::dummy_hash());
                let ok = password::verify(&pw, hash);
                match (rec, ok) {
                    (Some(r), true) if r.status == "active" && r.employer_open && r.password_hash.is_some() => {
                        public_accounts::record_success(tx, r.id)?;
                        Ok(Some(r))
                    }
                    (Some(r), _) => {
                        public_accounts::record_failure(tx, r.id)?;
                        Ok(None)
                    }
                    (None, _) => Ok(None),
                }
            })
        }
    })
    .await?;
    let Some(rec) = found else {
        state.limiter.record_failure(ip, tenant_code, &counted).await;
        return Err(ApiError::Unauthorized("auth.invalid_credentials"));
    };
    state.limiter.record_success(ip, tenant_code, &counted).await;
    let now = Utc::now();
    let claims = Claims {
        iss: ISSUER.into(),
        aud: PUBLIC_AUDIENCE.into(),
        sub: rec.id.to_string(),
        tid: tenant.id,
        tcode: tenant.code.clone(),
        office: rec.office_id,
        username: rec.display_name.clone(),
        roles: vec![if rec.kind == "person" { PERSON.into() } else { EMPLOYER.into() }],
        jti: uuid::Uuid::new_v4().to_string(),
        iat: now.timestamp(),
        nbf: now.timestamp(),
        exp: (now + chrono::Duration::minutes(state.settings.token_ttl_minutes)).timestamp(),
        csrf: csrf::new_token(),
        pwd: rec.must_change_password,
        ep: rec.token_epoch,
    };
    let token = state.keys.sign(&claims).map_err(ApiError::internal)?;
    tracing::info!(tenant = %tenant.code, account_id = rec.id, kind = %rec.kind, "portal login");
    Ok((token, rec.lang))
}

pub async fn logout(req: HttpRequest, body: web::Bytes) -> HttpResponse {
    let f = Fields::parse(&body);
    if let Ok(who) = Account::from_request_ref(&req).await {
        if csrf::matches(&who.claims.csrf, &f.get("csrf")) {
            if let Err(e) = revoke(&who).await {
                tracing::warn!(error = %e, "portal logout failed");
            }
        } else {
            return HttpResponse::BadRequest().finish();
        }
    }
    let mut res = redirect("/portal/login");
    let _ = res.add_cookie(&expired(PORTAL_COOKIE));
    res
}

async fn revoke(who: &Account) -> Result<(), ApiError> {
    let jti = uuid::Uuid::parse_str(&who.claims.jti).map_err(|_| ApiError::Unauthorized("auth.unauthorized"))?;
    let exp = chrono::DateTime::from_timestamp(who.claims.exp, 0).unwrap_or_else(Utc::now);
    who.db(move |tx| public_accounts::revoke(tx, jti, exp)).await?;
    let ttl = (who.claims.exp - Utc::now().timestamp()).max(1) as u64;
    if who.state().redis.set_ex(&revoked_key(who.claims.tid, &who.claims.jti), "1", ttl).await.is_err() {
        tracing::warn!("revocation not cached in redis; the database copy still applies");
    }
    Ok(())
}

pub async fn password_form(pg: PortalPage) -> PortalResult {
    let page = pg.ctx();
    let mut ctx = page.base("password", "portal.password.title").await;
    ctx.insert("errors".into(), json!({}));
    Ok(page.render(StatusCode::OK, "portal/password", &ctx))
}

/// Changes the account's own password (the current one checked, the new one acceptable, different
/// and repeated) and renews the session; earlier tokens of the account stop working.
pub async fn change_password(pg: PortalPage, body: web::Bytes) -> PortalResult {
    let f = Fields::parse(&body);
    pg.check_csrf(&f.get("csrf"))?;
    let raw = |k: &str| f.0.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()).unwrap_or_default();
    let (current, new, confirm) = (raw("current"), raw("new"), raw("confirm"));
    let stored = pg.who.db(public_accounts::password_hash).await?;
    let mut problems = Vec::new();
    if !password::verify(&current, &stored) {
        problems.push(FieldProblem { field: "current".into(), code: "password.wrong_current".into() });
    }
    if !password::acceptable(&new) {
        problems.push(FieldProblem { field: "new".into(), code: "password.weak".into() });
    } else if new == current {
        problems.push(FieldProblem { field: "new".into(), code: "password.same".into() });
    }
    if new != confirm {
        problems.push(FieldProblem { field: "confirm".into(), code: "password.mismatch".into() });
    }
    let page = pg.ctx();
    if !problems.is_empty() {
        let mut ctx = page.base("password", "portal.password.title").await;
        ctx.insert("errors".into(), page.field_messages(&problems));
        return Ok(page.render(StatusCode::UNPROCESSABLE_ENTITY, "portal/password", &ctx));
    }
    let hash = password::hash(&new).map_err(ApiError::internal)?;
    let epoch = pg.who.db(move |tx| public_accounts::set_own_password(tx, &hash)).await?;
    let mut claims = pg.who.claims.clone();
    claims.pwd = false;
    claims.ep = epoch;
    claims.jti = uuid::Uuid::new_v4().to_string();
    let now = Utc::now();
    claims.iat = now.timestamp();
    claims.nbf = now.timestamp();
    claims.exp = (now + chrono::Duration::minutes(pg.state.settings.token_ttl_minutes)).timestamp();
    let token = pg.state.keys.sign(&claims).map_err(ApiError::internal)?;
    let mut res = redirect("/portal?flash=password");
    let _ = res.add_cookie(&cookie(&pg.state, PORTAL_COOKIE, token, pg.state.settings.token_ttl_minutes * 60));
    Ok(res)
}

/// The language switch of the portal (the session's or the login page's token).
pub async fn switch_lang(req: HttpRequest, body: web::Bytes) -> HttpResponse {
    let f = Fields::parse(&body);
    let submitted = f.get("csrf");
    let who = Account::from_request_ref(&req).await.ok();
    let session_ok = who.as_ref().is_some_and(|w| csrf::matches(&w.claims.csrf, &submitted));
    let login_ok = req.cookie(csrf::LOGIN_COOKIE).is_some_and(|c| csrf::matches(c.value(), &submitted));
    let back = if who.is_some() { "/portal" } else { "/portal/login" };
    if !session_ok && !login_ok {
        return redirect(back);
    }
    let lang = Lang::parse(&f.get("lang")).unwrap_or(Lang::Zh);
    let Some(state) = req.app_data::<web::Data<AppState>>() else { return redirect(back) };
    let mut res = redirect(back);
    let _ = res.add_cookie(&cookie(state, LANG_COOKIE, lang.code().to_string(), 365 * 86400));
    res
}
