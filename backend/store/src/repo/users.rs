//! Users of a tenant: creation, login bookkeeping, profile.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;

use crate::error::{StoreError, StoreResult};
use crate::kinds::UserStatus;
use crate::tenant_tx::TenantTx;

pub struct NewUser<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    /// Office code; `None` picks the tenant's first office (the city bureau).
    pub office_code: Option<&'a str>,
    pub roles: &'a [String],
    pub password_hash: &'a str,
    pub must_change_password: bool,
}

/// Creates a user; `Conflict` when the username exists in the tenant.
pub fn create(tx: &mut TenantTx<'_>, u: &NewUser<'_>) -> StoreResult<i64> {
    use crate::schema::app_user::dsl as au;
    use crate::schema::office::dsl as o;
    use crate::schema::user_role::dsl as ur;
    let tid = tx.tenant().0;
    let office_id: Option<i32> = match u.office_code {
        Some(code) => o::office.filter(o::tenant_id.eq(tid)).filter(o::code.eq(code)).select(o::id).first(tx.conn()).optional()?,
        None => o::office.filter(o::tenant_id.eq(tid)).order(o::id).select(o::id).first(tx.conn()).optional()?,
    };
    let office_id = office_id.ok_or_else(|| StoreError::invalid("office", "office.unknown"))?;
    let id: Option<i64> = diesel::insert_into(au::app_user)
        .values((
            au::tenant_id.eq(tid),
            au::office_id.eq(office_id),
            au::username.eq(u.username),
            au::display_name.eq(u.display_name),
            au::password_hash.eq(u.password_hash),
            au::must_change_password.eq(u.must_change_password),
        ))
        .on_conflict_do_nothing()
        .returning(au::id)
        .get_result(tx.conn())
        .optional()?;
    let id = id.ok_or_else(|| StoreError::conflict("username", "user.duplicate"))?;
    let rows: Vec<_> = u.roles.iter().map(|r| (ur::tenant_id.eq(tid), ur::user_id.eq(id), ur::role_code.eq(r))).collect();
    diesel::insert_into(ur::user_role).values(rows).execute(tx.conn())?;
    tx.audit(
        "user.create",
        "user",
        &id.to_string(),
        None,
        Some(serde_json::json!({"username": u.username, "display_name": u.display_name, "office_id": office_id, "roles": u.roles})),
        None,
    )?;
    Ok(id)
}

/// What login needs to decide.
#[derive(Debug, Clone)]
pub struct LoginRecord {
    pub id: i64,
    pub office_id: i32,
    pub password_hash: String,
    pub status: crate::kinds::UserStatus,
    pub roles: Vec<String>,
    pub lang: String,
    pub must_change_password: bool,
    pub token_epoch: i32,
}

type LoginRow = (i64, i32, String, UserStatus, String, bool, i32);

pub fn for_login(tx: &mut TenantTx<'_>, username: &str) -> StoreResult<Option<LoginRecord>> {
    use crate::schema::app_user::dsl as au;
    use crate::schema::user_role::dsl as ur;
    let tid = tx.tenant().0;
    let row: Option<LoginRow> = au::app_user
        .filter(au::tenant_id.eq(tid))
        .filter(au::username.eq(username))
        .select((au::id, au::office_id, au::password_hash, au::status, au::lang, au::must_change_password, au::token_epoch))
        .first(tx.conn())
        .optional()?;
    let Some((id, office_id, password_hash, status, lang, must_change_password, token_epoch)) = row else {
        return Ok(None);
    };
    let roles = ur::user_role.filter(ur::tenant_id.eq(tid)).filter(ur::user_id.eq(id)).select(ur::role_code).load(tx.conn())?;
    Ok(Some(LoginRecord { id, office_id, password_hash, status, roles, lang, must_change_password, token_epoch }))
}

/// Failures in a row after which the account's failures are written to the audit log (again at
/// every multiple): a sign of someone guessing. The account is never locked by them.
pub const FAILURES_AUDITED: i32 = 10;

/// Counts a failed password (audited every [`FAILURES_AUDITED`] in a row).
pub fn record_failure(tx: &mut TenantTx<'_>, user_id: i64) -> StoreResult<i32> {
    use crate::schema::app_user::dsl as au;
    let tid = tx.tenant().0;
    let n: i32 = diesel::update(au::app_user.filter(au::tenant_id.eq(tid)).filter(au::id.eq(user_id)))
        .set(au::failed_logins.eq(au::failed_logins + 1))
        .returning(au::failed_logins)
        .get_result(tx.conn())?;
    if n % FAILURES_AUDITED == 0 {
        tx.audit(
            "user.login_failures",
            "user",
            &user_id.to_string(),
            None,
            Some(serde_json::json!({"failed_logins": n})),
            Some("failed logins in a row"),
        )?;
    }
    Ok(n)
}

pub fn record_success(tx: &mut TenantTx<'_>, user_id: i64) -> StoreResult<()> {
    use crate::schema::app_user::dsl as au;
    let tid = tx.tenant().0;
    diesel::update(au::app_user.filter(au::tenant_id.eq(tid)).filter(au::id.eq(user_id)))
        .set((au::failed_logins.eq(0), au::locked_until.eq(None::<DateTime<Utc>>)))
        .execute(tx.conn())?;
    Ok(())
}

/// Enables, disables or marks a user deleted (kept for the audit trail); tokens stop working at once.
pub fn set_status(tx: &mut TenantTx<'_>, user_id: i64, status: UserStatus) -> StoreResult<()> {
    use crate::schema::app_user::dsl as au;
    let tid = tx.tenant().0;
    let before: UserStatus = au::app_user
        .filter(au::tenant_id.eq(tid))
        .filter(au::id.eq(user_id))
        .select(au::status)
        .first(tx.conn())
        .optional()?
        .ok_or(StoreError::NotFound)?;
    // Every token of the user stops working at once.
    diesel::update(au::app_user.filter(au::tenant_id.eq(tid)).filter(au::id.eq(user_id)))
        .set((au::status.eq(status.as_str()), au::token_epoch.eq(au::token_epoch + 1), au::updated_at.eq(diesel::dsl::now)))
        .execute(tx.conn())?;
    tx.audit(
        "user.status",
        "user",
        &user_id.to_string(),
        Some(serde_json::json!({"status": before})),
        Some(serde_json::json!({"status": status})),
        None,
    )?;
    Ok(())
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Profile {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub office_code: String,
    pub office_name_zh: String,
    pub office_name_en: String,
    pub lang: String,
}

pub fn profile(tx: &mut TenantTx<'_>, user_id: i64) -> StoreResult<Profile> {
    use crate::schema::app_user::dsl as au;
    use crate::schema::office::dsl as o;
    let tid = tx.tenant().0;
    let (id, username, display_name, office_id, lang): (i64, String, String, i32, String) = au::app_user
        .filter(au::tenant_id.eq(tid))
        .filter(au::id.eq(user_id))
        .select((au::id, au::username, au::display_name, au::office_id, au::lang))
        .first(tx.conn())
        .optional()?
        .ok_or(StoreError::NotFound)?;
    let (office_code, office_name_zh, office_name_en): (String, String, String) =
        o::office.filter(o::tenant_id.eq(tid)).filter(o::id.eq(office_id)).select((o::code, o::name_zh, o::name_en)).first(tx.conn())?;
    Ok(Profile { id, username, display_name, office_code, office_name_zh, office_name_en, lang })
}

/// Finds a user id by name (for the command line).
pub fn id_by_username(tx: &mut TenantTx<'_>, username: &str) -> StoreResult<Option<i64>> {
    use crate::schema::app_user::dsl as au;
    let tid = tx.tenant().0;
    Ok(au::app_user.filter(au::tenant_id.eq(tid)).filter(au::username.eq(username)).select(au::id).first(tx.conn()).optional()?)
}

/// (persons, employers) registered in the tenant, for the home page — from the statistics, not
/// by counting the registry.
pub fn counts(tx: &mut TenantTx<'_>) -> StoreResult<(i64, i64)> {
    let figures = crate::repo::stats::current(tx)?;
    let get = |m: &str| figures.iter().filter(|f| f.metric == m).map(|f| f.value).sum::<i64>();
    Ok((get("persons"), get("employers")))
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub office_code: String,
    pub office_name_zh: String,
    pub office_name_en: String,
    pub status: crate::kinds::UserStatus,
    pub roles: Vec<String>,
}

/// Every user of the tenant with office and roles, by username.
pub fn list(tx: &mut TenantTx<'_>) -> StoreResult<Vec<UserRow>> {
    use crate::schema::app_user::dsl as au;
    use crate::schema::office::dsl as o;
    use crate::schema::user_role::dsl as ur;
    let tid = tx.tenant().0;
    let rows: Vec<(i64, String, String, String, String, String, UserStatus)> = au::app_user
        .inner_join(o::office.on(o::tenant_id.eq(au::tenant_id).and(o::id.eq(au::office_id))))
        .filter(au::tenant_id.eq(tid))
        .filter(au::status.ne(UserStatus::Deleted.as_str()))
        .order(au::username)
        .select((au::id, au::username, au::display_name, o::code, o::name_zh, o::name_en, au::status))
        .load(tx.conn())?;
    let roles: Vec<(i64, String)> = ur::user_role.filter(ur::tenant_id.eq(tid)).select((ur::user_id, ur::role_code)).load(tx.conn())?;
    Ok(rows
        .into_iter()
        .map(|(id, username, display_name, office_code, office_name_zh, office_name_en, status)| UserRow {
            roles: roles.iter().filter(|r| r.0 == id).map(|r| r.1.clone()).collect(),
            id,
            username,
            display_name,
            office_code,
            office_name_zh,
            office_name_en,
            status,
        })
        .collect())
}

/// Sets a new password hash; `must_change` forces a change at the next login. Every token issued
/// before stops working; returns the new token epoch (for the session renewed after a change).
pub fn set_password(tx: &mut TenantTx<'_>, user_id: i64, hash: &str, must_change: bool) -> StoreResult<i32> {
    use crate::schema::app_user::dsl as au;
    let tid = tx.tenant().0;
    let epoch: Option<i32> = diesel::update(au::app_user.filter(au::tenant_id.eq(tid)).filter(au::id.eq(user_id)))
        .set((
            au::password_hash.eq(hash),
            au::must_change_password.eq(must_change),
            au::failed_logins.eq(0),
            au::locked_until.eq(None::<DateTime<Utc>>),
            au::token_epoch.eq(au::token_epoch + 1),
            au::updated_at.eq(diesel::dsl::now),
        ))
        .returning(au::token_epoch)
        .get_result(tx.conn())
        .optional()?;
    let epoch = epoch.ok_or(StoreError::NotFound)?;
    tx.audit("user.password", "user", &user_id.to_string(), None, Some(serde_json::json!({"must_change_password": must_change})), None)?;
    Ok(epoch)
}

/// The stored hash and whether a change is required (for the password page).
pub fn password_state(tx: &mut TenantTx<'_>, user_id: i64) -> StoreResult<(String, bool)> {
    use crate::schema::app_user::dsl as au;
    let tid = tx.tenant().0;
    au::app_user
        .filter(au::tenant_id.eq(tid))
        .filter(au::id.eq(user_id))
        .select((au::password_hash, au::must_change_password))
        .first(tx.conn())
        .optional()?
        .ok_or(StoreError::NotFound)
}

pub fn set_lang(tx: &mut TenantTx<'_>, user_id: i64, lang: &str) -> StoreResult<()> {
    use crate::schema::app_user::dsl as au;
    let tid = tx.tenant().0;
    diesel::update(au::app_user.filter(au::tenant_id.eq(tid)).filter(au::id.eq(user_id))).set(au::lang.eq(lang)).execute(tx.conn())?;
    Ok(())
}

/// Offices of the tenant: (code, name_zh, name_en).
pub fn offices(tx: &mut TenantTx<'_>) -> StoreResult<Vec<(String, String, String)>> {
    use crate::schema::office::dsl as o;
    let tid = tx.tenant().0;
    Ok(o::office.filter(o::tenant_id.eq(tid)).order(o::id).select((o::code, o::name_zh, o::name_en)).load(tx.conn())?)
}

/// Counts for the home page's "today's work": (reopened periods, running jobs, employers in
/// arrears for the latest assessed period — a scan of that period's rows until the province
/// statistics keep per-employer balances).
pub fn work_counts(tx: &mut TenantTx<'_>) -> StoreResult<(i64, i64, i64)> {
    use diesel::sql_types::{BigInt, SmallInt};
    #[derive(QueryableByName)]
    struct W {
        #[diesel(sql_type = BigInt)]
        reviews: i64,
        #[diesel(sql_type = BigInt)]
        jobs: i64,
        #[diesel(sql_type = BigInt)]
        arrears: i64,
    }
    let w: W = diesel::sql_query(
        "SELECT (SELECT count(*) FROM assessment_period WHERE tenant_id = $1 AND status = 'reopened') AS reviews,
                (SELECT count(*) FROM job WHERE tenant_id = $1 AND status = 'running') AS jobs,
                (SELECT count(*) FROM (
                    SELECT a.employer_id, a.period FROM assessment a
                    WHERE a.tenant_id = $1
                      AND a.period = (SELECT max(period) FROM assessment_period WHERE tenant_id = $1 AND status = 'assessed')
                    GROUP BY a.employer_id, a.period
                    HAVING sum(a.employer_fen + a.employee_fen) > coalesce((SELECT sum(c.amount_fen) FROM collection c
                        WHERE c.tenant_id = $1 AND c.employer_id = a.employer_id AND c.period = a.period), 0)) x) AS arrears",
    )
    .bind::<SmallInt, _>(tx.tenant().0)
    .get_result(tx.conn())?;
    Ok((w.reviews, w.jobs, w.arrears))
}

/// Changes a user's office and roles (audited with before and after).
pub fn set_office_and_roles(tx: &mut TenantTx<'_>, user_id: i64, office_code: &str, roles: &[String]) -> StoreResult<()> {
    use crate::schema::app_user::dsl as au;
    use crate::schema::office::dsl as o;
    use crate::schema::user_role::dsl as ur;
    let tid = tx.tenant().0;
    let office: i32 = o::office
        .filter(o::tenant_id.eq(tid))
        .filter(o::code.eq(office_code))
        .select(o::id)
        .first(tx.conn())
        .optional()?
        .ok_or_else(|| StoreError::invalid("office", "office.unknown"))?;
    let before_office: i32 = au::app_user
        .filter(au::tenant_id.eq(tid))
        .filter(au::id.eq(user_id))
        .select(au::office_id)
        .first(tx.conn())
        .optional()?
        .ok_or(StoreError::NotFound)?;
    let before_roles: Vec<String> =
        ur::user_role.filter(ur::tenant_id.eq(tid)).filter(ur::user_id.eq(user_id)).select(ur::role_code).load(tx.conn())?;
    // Roles travel in the token: every token of the user stops working at once.
    diesel::update(au::app_user.filter(au::tenant_id.eq(tid)).filter(au::id.eq(user_id)))
        .set((au::office_id.eq(office), au::token_epoch.eq(au::token_epoch + 1), au::updated_at.eq(diesel::dsl::now)))
        .execute(tx.conn())?;
    diesel::delete(ur::user_role.filter(ur::tenant_id.eq(tid)).filter(ur::user_id.eq(user_id))).execute(tx.conn())?;
    let rows: Vec<_> = roles.iter().map(|r| (ur::tenant_id.eq(tid), ur::user_id.eq(user_id), ur::role_code.eq(r))).collect();
    diesel::insert_into(ur::user_role).values(rows).execute(tx.conn())?;
    tx.audit(
        "user.update",
        "user",
        &user_id.to_string(),
        Some(serde_json::json!({"office_id": before_office, "roles": before_roles})),
        Some(serde_json::json!({"office_id": office, "roles": roles})),
        None,
    )?;
    Ok(())
}
