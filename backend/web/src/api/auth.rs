//! `/api/v1/auth/login`, `/api/v1/auth/logout`, `/api/v1/me`.

use actix_web::{web, HttpRequest, HttpResponse};
use jinbao_store::repo::users;
use serde::Deserialize;

use crate::auth::{login as svc, Principal};
use crate::error::{ApiError, Problems};
use crate::state::AppState;

/// All three are required and must not be blank (`required`).
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "LoginRequest")]
pub struct LoginInput {
    /// Tenant (city) division code, six digits (`auth.unknown_tenant` if unknown).
    pub tenant: Option<String>,
    /// Username; trimmed and compared in lower case.
    pub username: Option<String>,
    /// Password.
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
    Ok(HttpResponse::Ok().insert_header(("Cache-Control", "no-store")).json(LoginResponse {
        token: issued.token,
        token_type: "Bearer",
        expires_at: issued.expires_at.to_rfc3339(),
        tenant: issued.claims.tcode,
        roles: issued.claims.roles,
    }))
}

pub async fn logout(state: web::Data<AppState>, who: Principal) -> Result<HttpResponse, ApiError> {
    svc::logout(&state, &who).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "PasswordChangeInput")]
pub struct PasswordInput {
    pub current: Option<String>,
    /// At least 10 characters with letters and digits, different from the current one (`password.weak`,
    /// `password.same`).
    pub new: Option<String>,
    /// Repeats `new` (`password.mismatch`); defaults to `new`.
    pub confirm: Option<String>,
}

/// `POST /api/v1/me/password`: the caller's new password; answers a renewed token (the old one
/// and every other token of the user stop working).
pub async fn change_password(state: web::Data<AppState>, who: Principal, body: web::Json<PasswordInput>) -> Result<HttpResponse, ApiError> {
    let b = body.into_inner();
    let new = b.new.unwrap_or_default();
    let confirm = b.confirm.unwrap_or_else(|| new.clone());
    let token = svc::change_password(&state, &who, &b.current.unwrap_or_default(), &new, &confirm).await?;
    Ok(HttpResponse::Ok().insert_header(("Cache-Control", "no-store")).json(PasswordChanged { token, token_type: "Bearer" }))
}

pub async fn me(who: Principal) -> Result<HttpResponse, ApiError> {
    let uid = who.user_id;
    let profile = who.db(move |tx| users::profile(tx, uid)).await?;
    let mut perms: Vec<&str> = who.permissions.iter().map(|p| p.code()).collect();
    perms.sort();
    Ok(HttpResponse::Ok().insert_header(("Cache-Control", "no-store")).json(Me {
        user: profile,
        tenant: who.claims.tcode.clone(),
        roles: who.claims.roles.clone(),
        permissions: perms,
    }))
}

/// A signed-in session.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct LoginResponse {
    /// Send as `Authorization: Bearer <token>`.
    pub token: String,
    /// Always `Bearer`.
    #[schemars(extend("enum" = ["Bearer"]))]
    pub token_type: &'static str,
    /// When the token stops working (RFC 3339).
    pub expires_at: String,
    /// The tenant's division code.
    pub tenant: String,
    /// The user's roles.
    pub roles: Vec<String>,
}

/// The renewed token after a password change.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct PasswordChanged {
    pub token: String,
    /// Always `Bearer`.
    #[schemars(extend("enum" = ["Bearer"]))]
    pub token_type: &'static str,
}

/// The caller: profile, tenant, roles and what the roles permit.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Me {
    pub user: users::Profile,
    /// Tenant code from the token.
    pub tenant: String,
    pub roles: Vec<String>,
    /// Permission codes granted by the roles, sorted.
    pub permissions: Vec<&'static str>,
}
