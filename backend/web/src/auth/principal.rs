//! The verified caller of a request: from a Bearer token (API) or the session cookie (pages).

use std::collections::HashSet;
use std::future::Future;
use std::pin::Pin;

use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use jinbao_store::{Actor, StoreError, TenantId, TenantTx};

use super::keys::Claims;
use super::permissions::Permission;
use crate::error::ApiError;
use crate::ops::request_id::RequestId;
use crate::state::AppState;

pub const SESSION_COOKIE: &str = "jinbao_session";

/// The header carrying the session's CSRF token when the JSON API is called with the cookie.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// What a user who must change their password may still call on the API.
const PASSWORD_CHANGE_ALLOWED: [&str; 3] = ["/api/v1/me", "/api/v1/me/password", "/api/v1/auth/logout"];

#[derive(Clone)]
pub struct Principal {
    pub claims: Claims,
    pub tenant: TenantId,
    pub user_id: i64,
    pub permissions: HashSet<Permission>,
    pub request_id: Option<String>,
    state: web::Data<AppState>,
}

/// Marks the request's tenant for logs and metrics.
#[derive(Debug, Clone)]
pub struct LogTenant(pub String);

impl Principal {
    /// 403 unless one of the caller's roles grants `p`.
    pub fn require(&self, p: Permission) -> Result<(), ApiError> {
        if self.permissions.contains(&p) {
            Ok(())
        } else {
            Err(ApiError::Forbidden)
        }
    }

    /// A clerk or a reviewer of benefits: who reads claims, injury cases and medical settlements.
    pub fn handles_benefits(&self) -> bool {
        self.can(Permission::BenefitPropose) || self.can(Permission::BenefitApprove)
    }

    pub fn can(&self, p: Permission) -> bool {
        self.permissions.contains(&p)
    }

    pub fn actor(&self) -> Actor {
        Actor::User {
            user_id: self.user_id,
            office_id: self.claims.office,
            username: self.claims.username.clone(),
            jti: uuid::Uuid::parse_str(&self.claims.jti).ok(),
            epoch: self.claims.ep,
            request_id: self.request_id.clone(),
        }
    }

    /// Runs `f` in a transaction scoped to the caller's tenant, on the blocking pool.
    pub async fn db<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut TenantTx<'_>) -> Result<T, StoreError> + Send + 'static,
    {
        crate::blocking::tenant(&self.state.db, self.tenant, self.actor(), f).await
    }

    /// The province's door to cross-city figures: checks in the database that this user is still
    /// active, the token not revoked and the caller's tenant the province (403 otherwise).
    pub async fn province(&self) -> Result<jinbao_store::ProvinceSession, ApiError> {
        let (state, tenant, actor) = (self.state.clone(), self.tenant, self.actor());
        crate::blocking::run(move || state.analytics.open(&state.db, tenant, actor)).await
    }

    /// Like [`Principal::db`] for work that checks input against the record and refuses with an
    /// [`ApiError`] (field-level 4xx); a refusal rolls the transaction back.
    pub async fn db_checked<T, E, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        E: From<jinbao_store::StoreError> + From<diesel::result::Error> + Into<ApiError> + Send + 'static,
        F: FnOnce(&mut TenantTx<'_>) -> Result<T, E> + Send + 'static,
    {
        crate::blocking::tenant_checked(&self.state.db, self.tenant, self.actor(), f).await
    }

    /// The principal of a request, for handlers that treat a missing session themselves (pages).
    /// Some pages render from the token alone (an empty form), without a tenant transaction, so
    /// a page session also asks Redis whether the token was revoked.
    pub async fn from_request_ref(req: &HttpRequest) -> Result<Principal, ApiError> {
        Principal::extract(req.clone(), true).await
    }

    /// `revocation_cache`: also refuse a token Redis knows to be revoked. The JSON API does not
    /// ask: every API handler reaches its data only through a tenant transaction, whose session
    /// check in the database (active user, token epoch, revocation) is authoritative, so no API
    /// request waits on Redis.
    async fn extract(req: HttpRequest, revocation_cache: bool) -> Result<Principal, ApiError> {
        let state = req.app_data::<web::Data<AppState>>().cloned().ok_or_else(|| ApiError::internal(anyhow::anyhow!("no app state")))?;
        let from_header = bearer(&req);
        let by_cookie = from_header.is_none();
        let token = from_header.or_else(|| req.cookie(SESSION_COOKIE).map(|c| c.value().to_string()));
        let token = token.ok_or(ApiError::Unauthorized("auth.unauthorized"))?;
        let claims = state.keys.verify(&token).map_err(|e| {
            tracing::info!(reason = %e, "token rejected");
            ApiError::Unauthorized("auth.unauthorized")
        })?;
        let user_id: i64 = claims.sub.parse().map_err(|_| ApiError::Unauthorized("auth.unauthorized"))?;
        // Pages: Redis knows the token was revoked. The database check inside every tenant
        // transaction stays authoritative, so a Redis outage cannot readmit a revoked token.
        if revocation_cache && matches!(state.redis.exists(&revoked_key(claims.tid, &claims.jti)).await, Ok(true)) {
            return Err(ApiError::Unauthorized("auth.unauthorized"));
        }
        let api = req.path().starts_with("/api/");
        // The JSON API takes a session cookie only with the session's CSRF token in a header
        // (a cross-site form can send the cookie, never the header); a Bearer token needs none.
        if api && by_cookie && !req.method().is_safe() {
            let sent = req.headers().get(CSRF_HEADER).and_then(|v| v.to_str().ok()).unwrap_or("");
            if !super::csrf::matches(&claims.csrf, sent) {
                return Err(ApiError::ForbiddenBecause("csrf.invalid"));
            }
        }
        // A one-time password must be changed before anything else, on the API as on the pages.
        if api && claims.pwd && !PASSWORD_CHANGE_ALLOWED.contains(&req.path()) {
            return Err(ApiError::ForbiddenBecause("auth.password_change_required"));
        }
        req.extensions_mut().insert(LogTenant(claims.tcode.clone()));
        let permissions = state.permissions.granted(&claims.roles);
        let request_id = req.extensions().get::<RequestId>().map(|r| r.0.clone());
        Ok(Principal { tenant: TenantId(claims.tid), user_id, permissions, request_id, claims, state })
    }
}

pub fn revoked_key(tid: i16, jti: &str) -> String {
    format!("revoked:{tid}:{jti}")
}

fn bearer(req: &HttpRequest) -> Option<String> {
    let h = req.headers().get(actix_web::http::header::AUTHORIZATION)?.to_str().ok()?;
    let t = h.strip_prefix("Bearer ").or_else(|| h.strip_prefix("bearer "))?;
    Some(t.trim().to_string())
}

impl FromRequest for Principal {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Principal, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        Box::pin(Principal::extract(req.clone(), false))
    }
}
