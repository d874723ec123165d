//! Login and logout, shared by the JSON API and the login page.

use chrono::{DateTime, Utc};
use jinbao_domain::TenantStatus;
use jinbao_store::kinds::UserStatus;
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

/// Checks credentials and issues a token. An unknown user, a disabled user and a wrong password
/// get the same answer (401 `auth.invalid_credentials`) after the same work (a password hash is
/// always verified); a throttled attempt gets 429 whoever the user is. Nothing locks an account:
/// failures slow down the address they come from (`auth::rate_limit`).
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
    let pw = pw.to_string();
    let uname = username.clone();
    let found = crate::blocking::run({
        let db = state.db.clone();
        move || {
            db.tenant_anonymous(TenantId(tenant.id), |tx| {
                let rec = users::for_login(tx, &uname)?.filter(|r| r.status == UserStatus::Active);
                let hash = rec.as_ref().map_or(password::dummy_hash(), |r| r.password_hash.as_str());
                let ok = password::verify(&pw, hash);
                match rec {
                    Some(r) if ok => {
                        users::record_success(tx, r.id)?;
                        Ok(Some(r))
                    }
                    Some(r) => {
                        users::record_failure(tx, r.id)?;
                        Ok(None)
                    }
                    None => Ok(None),
                }
            })
        }
    })
    .await?;
    let Some(rec) = found else {
        state.limiter.record_failure(ip, tenant_code, &username).await;
        return Err(ApiError::Unauthorized("auth.invalid_credentials"));
    };
    state.limiter.record_success(ip, tenant_code, &username).await;
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
        ep: rec.token_epoch,
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

/// Changes the caller's own password (the current one is checked, the new one must be acceptable
/// and different, `confirm` must repeat it) and issues a renewed token without the change flag;
/// every earlier token of the user stops working. Field problems come back as a 422.
pub async fn change_password(state: &AppState, who: &Principal, current: &str, new: &str, confirm: &str) -> Result<String, ApiError> {
    use crate::error::FieldProblem;
    let uid = who.user_id;
    let (stored, _) = who.db(move |tx| users::password_state(tx, uid)).await?;
    let mut problems = Vec::new();
    if !password::verify(current, &stored) {
        problems.push(FieldProblem { field: "current".into(), code: "password.wrong_current".into() });
    }
    if !password::acceptable(new) {
        problems.push(FieldProblem { field: "new".into(), code: "password.weak".into() });
    } else if new == current {
        problems.push(FieldProblem { field: "new".into(), code: "password.same".into() });
    }
    if new != confirm {
        problems.push(FieldProblem { field: "confirm".into(), code: "password.mismatch".into() });
    }
    if !problems.is_empty() {
        return Err(ApiError::Validation(problems));
    }
    let hash = password::hash(new).map_err(ApiError::internal)?;
    let epoch = who.db(move |tx| users::set_password(tx, uid, &hash, false)).await?;
    let mut claims = who.claims.clone();
    claims.pwd = false;
    claims.ep = epoch;
    claims.jti = uuid::Uuid::new_v4().to_string();
    let now = Utc::now();
    claims.iat = now.timestamp();
    claims.nbf = now.timestamp();
    claims.exp = (now + chrono::Duration::minutes(state.settings.token_ttl_minutes)).timestamp();
    state.keys.sign(&claims).map_err(ApiError::internal)
}
