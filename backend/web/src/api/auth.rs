//! `/api/v1/auth/login`, `/api/v1/auth/logout`, `/api/v1/me`.

use actix_web::{web, HttpRequest, HttpResponse};
use jinbao_store::repo::users;
use serde::Deserialize;

use crate::auth::{login as svc, Principal};
use crate::error::{ApiError, Problems};
use crate::state::AppState;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginInput {
    pub tenant: Option<String>,
    pub username: Option<String>,
    pub password: Option<String>,
}

pub use crate::auth::client::client_ip;

pub async fn login(state: web::Data<AppState>, req: HttpRequest, body: web::Json<LoginInput>) -> Result<HttpResponse, ApiError> {
    let b = body.into_inner();
    let mut p = Problems::default();
    for (field, v) in [("tenant", &b.tenant), ("username", &b.username), ("password", &b.password)] {
        if v.as_deref().is_none_or(|s| s.trim().is_empty()) {
            p.push(field, "required");
        }
    }
    p.finish()?;
    let issued = svc::login(
        &state,
        b.tenant.as_deref().unwrap_or("").trim(),
        b.username.as_deref().unwrap_or(""),
        b.password.as_deref().unwrap_or(""),
        &client_ip(&req),
    )
    .await?;
    Ok(HttpResponse::Ok().insert_header(("Cache-Control", "no-store")).json(serde_json::json!({
        "token": issued.token,
        "token_type": "Bearer",
        "expires_at": issued.expires_at.to_rfc3339(),
        "tenant": issued.claims.tcode,
        "roles": issued.claims.roles,
    })))
}

pub async fn logout(state: web::Data<AppState>, who: Principal) -> Result<HttpResponse, ApiError> {
    svc::logout(&state, &who).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PasswordInput {
    pub current: Option<String>,
    pub new: Option<String>,
    pub confirm: Option<String>,
}

/// `POST /api/v1/me/password`: the caller's new password; answers a renewed token (the old one
/// and every other token of the user stop working).
pub async fn change_password(state: web::Data<AppState>, who: Principal, body: web::Json<PasswordInput>) -> Result<HttpResponse, ApiError> {
    let b = body.into_inner();
    let new = b.new.unwrap_or_default();
    let confirm = b.confirm.unwrap_or_else(|| new.clone());
    let token = svc::change_password(&state, &who, &b.current.unwrap_or_default(), &new, &confirm).await?;
    Ok(HttpResponse::Ok().insert_header(("Cache-Control", "no-store")).json(serde_json::json!({"token": token, "token_type": "Bearer"})))
}

pub async fn me(who: Principal) -> Result<HttpResponse, ApiError> {
    let uid = who.user_id;
    let profile = who.db(move |tx| users::profile(tx, uid)).await?;
    let mut perms: Vec<&str> = who.permissions.iter().map(|p| p.code()).collect();
    perms.sort();
    Ok(HttpResponse::Ok().insert_header(("Cache-Control", "no-store")).json(serde_json::json!({
        "user": profile,
        "tenant": who.claims.tcode,
        "roles": who.claims.roles,
        "permissions": perms,
    })))
}
