//! Login page (tenant picker), logout, language switch.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use jinbao_store::repo::global;
use serde::Deserialize;
use serde_json::json;

use super::render::{self, cookie, expired, field, redirect, Form, PageCtx, LANG_COOKIE};
use crate::auth::client::client_ip;
use crate::auth::principal::SESSION_COOKIE;
use crate::auth::{csrf, login as svc, Principal};
use crate::error::ApiError;
use crate::i18n::Lang;
use crate::state::AppState;

#[derive(Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
}

/// Only a local path of the application may be returned to after login: it starts with one `/`,
/// holds no control character, whitespace or backslash anywhere (browsers drop tabs and newlines
/// and read `\` as `/`, so `/\t/evil.example` would become `//evil.example`), and is not the
/// login page itself. Anything else goes home.
pub fn safe_next(next: Option<&str>) -> String {
    let local = |n: &str| {
        n.len() <= 2048
            && n.starts_with('/')
            && !n.starts_with("//")
            && !n.starts_with("/login")
            && !n.chars().any(|c| c.is_control() || c.is_whitespace() || c == '\\')
    };
    match next {
        Some(n) if local(n) => n.to_string(),
        _ => "/".to_string(),
    }
}

async fn render_login(
    state: &AppState,
    req: &HttpRequest,
    status: StatusCode,
    tenant: &str,
    username: &str,
    next: &str,
    error: Option<String>,
) -> HttpResponse {
    let page = PageCtx::new(state, req, None);
    let db = state.db.clone();
    let tenants = crate::blocking::run(move || global::tenants(&db)).await.unwrap_or_default();
    let default_tenant = if tenant.is_empty() { "411000" } else { tenant };
    let list: Vec<_> = tenants
        .iter()
        .map(|t| {
            json!({"code": t.code, "name": if page.lang == Lang::En { &t.name_en } else { &t.name_zh },
                   "status_label": page.t(&format!("status.{}", t.status)), "selected": t.code == default_tenant})
        })
        .collect();
    let token = req.cookie(csrf::LOGIN_COOKIE).map(|c| c.value().to_string()).filter(|v| v.len() == 48).unwrap_or_else(csrf::new_token);
    let mut ctx = page.base("", "login.title", None).await;
    ctx.insert("csrf".into(), json!(token));
    ctx.insert("tenants".into(), json!(list));
    ctx.insert("form".into(), json!({"tenant": default_tenant, "username": username}));
    ctx.insert("error".into(), json!(error));
    ctx.insert("next".into(), json!(next));
    let mut res = page.render(status, "login", &ctx);
    let _ = res.add_cookie(&cookie(state, csrf::LOGIN_COOKIE, token, 3600));
    res
}

pub async fn show(state: web::Data<AppState>, req: HttpRequest, q: web::Query<LoginQuery>) -> HttpResponse {
    let next = safe_next(q.next.as_deref());
    render_login(&state, &req, StatusCode::OK, "", "", &next, None).await
}

pub async fn submit(state: web::Data<AppState>, req: HttpRequest, form: Form) -> HttpResponse {
    let (tenant, username, password) =
        (field(&form, "tenant"), field(&form, "username"), form.get("password").cloned().unwrap_or_default());
    let next = safe_next(form.get("next").map(String::as_str));
    let lang = render::lang_of(&req);
    let cookie_token = req.cookie(csrf::LOGIN_COOKIE).map(|c| c.value().to_string()).unwrap_or_default();
    if !csrf::matches(&cookie_token, &field(&form, "csrf")) {
        let msg = state.catalog.error(lang, "csrf.invalid");
        return render_login(&state, &req, StatusCode::BAD_REQUEST, &tenant, &username, &next, Some(msg)).await;
    }
    if tenant.is_empty() || username.is_empty() || password.is_empty() {
        let msg = state.catalog.error(lang, "auth.invalid_credentials");
        return render_login(&state, &req, StatusCode::UNPROCESSABLE_ENTITY, &tenant, &username, &next, Some(msg)).await;
    }
    match svc::login(&state, &tenant, &username, &password, &client_ip(&req)).await {
        Ok(issued) => {
            let ttl = state.settings.token_ttl_minutes * 60;
            let mut res = redirect(&next);
            let _ = res.add_cookie(&cookie(&state, SESSION_COOKIE, issued.token, ttl));
            let _ = res.add_cookie(&expired(csrf::LOGIN_COOKIE));
            // The user's remembered language wins over the login page's.
            let _ = res.add_cookie(&cookie(&state, LANG_COOKIE, issued.lang, 365 * 86400));
            res
        }
        Err(e) => {
            use actix_web::ResponseError;
            let status = e.status_code();
            let code = match &e {
                ApiError::Validation(ps) => ps.first().map_or("auth.invalid_credentials", |p| p.code.as_str()).to_string(),
                other => other.code().to_string(),
            };
            let status = if status.is_server_error() { status } else { StatusCode::UNAUTHORIZED.max(status) };
            render_login(&state, &req, status, &tenant, &username, &next, Some(state.catalog.error(lang, &code))).await
        }
    }
}

pub async fn logout(state: web::Data<AppState>, req: HttpRequest, form: Form) -> HttpResponse {
    if let Ok(who) = Principal::from_request_ref(&req).await {
        if render::check_csrf(&who, &form).is_ok() {
            if let Err(e) = svc::logout(&state, &who).await {
                tracing::warn!(error = %e, "logout failed");
            }
        } else {
            return PageCtx::new(&state, &req, Some(&who)).error(&req, ApiError::BadRequest { code: "csrf.invalid", detail: None }).await;
        }
    }
    let mut res = redirect("/login");
    let _ = res.add_cookie(&expired(SESSION_COOKIE));
    res
}

/// Switches the page language (a preference cookie). Accepts the session's or the login page's token.
pub async fn switch_lang(state: web::Data<AppState>, req: HttpRequest, form: Form) -> HttpResponse {
    let submitted = field(&form, "csrf");
    let who = Principal::from_request_ref(&req).await.ok();
    let session_ok = who.as_ref().is_some_and(|w| csrf::matches(&w.claims.csrf, &submitted));
    let login_ok = req.cookie(csrf::LOGIN_COOKIE).is_some_and(|c| csrf::matches(c.value(), &submitted));
    if !session_ok && !login_ok {
        return redirect("/");
    }
    let lang = Lang::parse(&field(&form, "lang")).unwrap_or(Lang::Zh);
    // Remembered for the user too, so the next login starts in the same language.
    if let (true, Some(w)) = (session_ok, who.as_ref()) {
        let (uid, code) = (w.user_id, lang.code());
        if let Err(e) = w.db(move |tx| jinbao_store::repo::users::set_lang(tx, uid, code)).await {
            tracing::warn!(error = %e, "could not store the language preference");
        }
    }
    let back = req
        .headers()
        .get("referer")
        .and_then(|v| v.to_str().ok())
        .and_then(|r| r.split_once("://").map(|(_, rest)| rest))
        .and_then(|rest| rest.find('/').map(|i| rest[i..].to_string()))
        .map(|p| safe_next(Some(&p)))
        .unwrap_or_else(|| "/".into());
    let back = if back == "/" && !session_ok { "/login".to_string() } else { back };
    let mut res = redirect(&back);
    let _ = res.add_cookie(&cookie(&state, LANG_COOKIE, lang.code().to_string(), 365 * 86400));
    res
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_paths_are_kept() {
        assert_eq!(safe_next(Some("/persons?q=张")), "/persons?q=张");
        for bad in [
            "//evil.example",
            "/\t/evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            "https://evil.example",
            "/\n/evil",
            "/ /x",
            "javascript:alert(1)",
            "/login?next=/x",
            "",
            "evil.example",
            "/\u{3000}/x",
        ] {
            assert_eq!(safe_next(Some(bad)), "/", "{bad:?}");
        }
        assert_eq!(safe_next(None), "/");
    }
}
