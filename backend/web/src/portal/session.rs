//! The session of an employer's or a person's own account: a token of the public audience in its
//! own cookie, checked in the database by every transaction (`public_session_begin`), which then
//! runs as `jinbao_public` with the account's principal.

use std::future::Future;
use std::pin::Pin;

use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use jinbao_store::{Actor, StoreError, TenantId, TenantTx};

use crate::auth::keys::{Claims, PUBLIC_AUDIENCE};
use crate::auth::principal::{revoked_key, LogTenant};
use crate::error::ApiError;
use crate::ops::request_id::RequestId;
use crate::state::AppState;

pub const PORTAL_COOKIE: &str = "jinbao_portal";

/// `employer` or `person`, as in the token's single role.
pub const EMPLOYER: &str = "employer_account";
pub const PERSON: &str = "person_account";

/// The verified account of a portal request.
#[derive(Clone)]
pub struct Account {
    pub claims: Claims,
    pub tenant: TenantId,
    pub account_id: i64,
    pub request_id: Option<String>,
    state: web::Data<AppState>,
}

impl Account {
    pub fn state(&self) -> &web::Data<AppState> {
        &self.state
    }

    pub fn is_employer(&self) -> bool {
        self.claims.roles.iter().any(|r| r == EMPLOYER)
    }

    pub fn is_person(&self) -> bool {
        self.claims.roles.iter().any(|r| r == PERSON)
    }

    /// 403 unless the account is of this kind.
    pub fn require_employer(&self) -> Result<(), ApiError> {
        if self.is_employer() {
            Ok(())
        } else {
            Err(ApiError::Forbidden)
        }
    }

    pub fn require_person(&self) -> Result<(), ApiError> {
        if self.is_person() {
            Ok(())
        } else {
            Err(ApiError::Forbidden)
        }
    }

    pub fn actor(&self) -> Actor {
        Actor::Account {
            account_id: self.account_id,
            kind: if self.is_employer() { "employer".into() } else { "person".into() },
            office_id: self.claims.office,
            jti: uuid::Uuid::parse_str(&self.claims.jti).ok(),
            epoch: self.claims.ep,
            request_id: self.request_id.clone(),
        }
    }

    /// Runs `f` as the account (role `jinbao_public`, the account's principal), on the blocking pool.
    pub async fn db<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut TenantTx<'_>) -> Result<T, StoreError> + Send + 'static,
    {
        crate::blocking::tenant(&self.state.db, self.tenant, self.actor(), f).await
    }

    /// Like [`Account::db`] for work that refuses with an [`ApiError`]-convertible error.
    pub async fn db_checked<T, E, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        E: From<StoreError> + From<diesel::result::Error> + Into<ApiError> + Send + 'static,
        F: FnOnce(&mut TenantTx<'_>) -> Result<T, E> + Send + 'static,
    {
        crate::blocking::tenant_checked(&self.state.db, self.tenant, self.actor(), f).await
    }

    pub async fn from_request_ref(req: &HttpRequest) -> Result<Account, ApiError> {
        let state = req.app_data::<web::Data<AppState>>().cloned().ok_or_else(|| ApiError::internal(anyhow::anyhow!("no app state")))?;
        let token = req.cookie(PORTAL_COOKIE).map(|c| c.value().to_string()).ok_or(ApiError::Unauthorized("auth.unauthorized"))?;
        let claims = state.keys.verify_for(&token, PUBLIC_AUDIENCE).map_err(|e| {
            tracing::info!(reason = %e, "portal token rejected");
            ApiError::Unauthorized("auth.unauthorized")
        })?;
        let account_id: i64 = claims.sub.parse().map_err(|_| ApiError::Unauthorized("auth.unauthorized"))?;
        if matches!(state.redis.exists(&revoked_key(claims.tid, &claims.jti)).await, Ok(true)) {
            return Err(ApiError::Unauthorized("auth.unauthorized"));
        }
        req.extensions_mut().insert(LogTenant(claims.tcode.clone()));
        let request_id = req.extensions().get::<RequestId>().map(|r| r.0.clone());
        Ok(Account { tenant: TenantId(claims.tid), account_id, request_id, claims, state })
    }
}

impl FromRequest for Account {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Account, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { Account::from_request_ref(&req).await })
    }
}
