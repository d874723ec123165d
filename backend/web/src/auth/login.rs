//! Login and logout, shared by the JSON API and the login page.

use chrono::{DateTime, Utc};
use jinbao_domain::TenantStatus;
use jinbao_store::repo::{global, sessions, users};
use jinbao_store::TenantId;

use super::keys::{Claims, AUDIENCE, ISSUER};
use super::principal::{revoked_key, Principal};
use super::{csrf, password};
use crate::error::ApiError;
use crate::state::AppState;

pub struct Issued {
    pub token: String,
    pub claims: Claims,
    pub expires_at: DateTime<Utc>,
    pub lang: String,
}

enum Outcome {
    Success(users::LoginRecord),
    Refused,
    Locked,
}

/// Checks credentials and issues a token. Every refusal for a wrong user or password looks the
/// same (401 `auth.invalid_credentials`); throttled callers get 429, locked accounts `auth.locked`.
pub async fn login(state: &AppState, tenant_code: &str, username: &str, pw: &str, ip: &str) -> Result<Issued, ApiError> {
    let username = username.trim().to_ascii_lowercase();
    let db = state.db.clone();
    let tenants = crate::blocking::run(move || global::tenants(&db)).await?;
    let tenant = tenants.into_iter().find(|t| t.code == tenant_code).ok_or_else(|| ApiError::field("tenant", "auth.unknown_tenant"))?;
    if !TenantStatus::parse(&tenant.status).is_some_and(TenantStatus::accepts_logins) {
        return Err(ApiError::Unauthorized("auth.tenant_suspended"));
    }
    if state.limiter.blocked(ip, tenant_code, &username).await {
        return Err(ApiError::TooManyRequests("auth.rate_limited"));
    }
    let (max_failures, lock_for) = (state.settings.login_max_failures, chrono::Duration::minutes(state.settings.login_lock_minutes));
    let pw = pw.to_string();
    let uname = username.clone();
    let outcome = crate::blocking::run({
        let db = state.db.clone();
        move || {
            db.tenant_anonymous(TenantId(tenant.id), |tx| {
                let Some(rec) = users::for_login(tx, &uname)? else {
                    password::verify(&pw, password::dummy_hash());
                    return Ok(Outcome::Refused);
                };
                if rec.status != "active" {
                    password::verify(&pw, password::dummy_hash());
                    return Ok(Outcome::Refused);
                }
                if rec.locked_until.is_some_and(|t| t > Utc::now()) {
                    return Ok(Outcome::Locked);
                }
                if !password::verify(&pw, &rec.password_hash) {
                    let locked = users::record_failure(tx, rec.id, max_failures, lock_for)?;
                    return Ok(if locked { Outcome::Locked } else { Outcome::Refused });
                }
                users::record_success(tx, rec.id)?;
                Ok(Outcome::Success(rec))
            })
        }
    })
    .await?;
    let rec = match outcome {
        Outcome::Success(rec) => rec,
        Outcome::Refused => {
            state.limiter.record_failure(ip, tenant_code, &username).await;
            return Err(ApiError::Unauthorized("auth.invalid_credentials"));
        }
        Outcome::Locked => {
            state.limiter.record_failure(ip, tenant_code, &username).await;
            return Err(ApiError::Unauthorized("auth.locked"));
        }
    };
    state.limiter.clear_user(tenant_code, &username).await;
    let now = Utc::now();
    let expires_at = now + chrono::Duration::minutes(state.settings.token_ttl_minutes);
    let claims = Claims {
        iss: ISSUER.into(),
        aud: AUDIENCE.into(),
        sub: rec.id.to_string(),
        tid: tenant.id,
        tcode: tenant.code.clone(),
        office: rec.office_id,
        username,
        roles: rec.roles,
        jti: uuid::Uuid::new_v4().to_string(),
        iat: now.timestamp(),
        nbf: now.timestamp(),
        exp: expires_at.timestamp(),
        csrf: csrf::new_token(),
        pwd: rec.must_change_password,
    };
    let token = state.keys.sign(&claims).map_err(ApiError::internal)?;
    tracing::info!(tenant = %tenant.code, user_id = rec.id, "login");
    Ok(Issued { token, claims, expires_at, lang: rec.lang })
}

/// Revokes the caller's token: in the database (authoritative) and in Redis (fast path).
pub async fn logout(state: &AppState, p: &Principal) -> Result<(), ApiError> {
    let jti = uuid::Uuid::parse_str(&p.claims.jti).map_err(|_| ApiError::Unauthorized("auth.unauthorized"))?;
    let exp = DateTime::from_timestamp(p.claims.exp, 0).unwrap_or_else(Utc::now);
    let user_id = p.user_id;
    p.db(move |tx| sessions::revoke(tx, jti, user_id, exp)).await?;
    let ttl = (p.claims.exp - Utc::now().timestamp()).max(1) as u64;
    if state.redis.set_ex(&revoked_key(p.claims.tid, &p.claims.jti), "1", ttl).await.is_err() {
        tracing::warn!("revocation not cached in redis; the database copy still applies");
    }
    Ok(())
}
