//! Accounts of employers' accountants and insured persons (migration `public_accounts`).
//!
//! Staff open and disable them (tenant transactions of a user); the login reads them in an
//! anonymous tenant transaction; everything an account does afterwards runs as `jinbao_public`
//! with its principal (see [`crate::Actor::Account`]), where the database shows it nothing but
//! its own employer or its own person.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;

use crate::error::{StoreError, StoreResult};
use crate::tenant_tx::TenantTx;

/// What a clerk sees of an account (never the hash or the activation code).
#[derive(Debug, Clone, Queryable, Selectable, Serialize, schemars::JsonSchema)]
#[diesel(table_name = crate::schema::public_account)]
pub struct Account {
    pub id: i64,
    /// `employer` or `person`.
    pub kind: String,
    pub employer_id: Option<i64>,
    pub person_id: Option<i64>,
    pub login: String,
    pub display_name: String,
    pub phone: Option<String>,
    /// `pending` (a person's account before activation), `active`, `disabled`.
    pub status: String,
    pub must_change_password: bool,
    pub lang: String,
    pub last_login_at: Option<DateTime<Utc>>,
    pub office_id: i32,
    pub created_at: DateTime<Utc>,
}

pub struct NewEmployerAccount<'a> {
    pub employer_id: i64,
    pub login: &'a str,
    pub display_name: &'a str,
    pub phone: Option<&'a str>,
    pub password_hash: &'a str,
}

/// Opens an accountant's account for an employer of the city (a clerk's act): the password is a
/// one-time password to be changed at the first login. `Conflict` on a login already taken.
pub fn open_employer_account(tx: &mut TenantTx<'_>, n: &NewEmployerAccount<'_>) -> StoreResult<Account> {
    use crate::schema::public_account::dsl as a;
    let employer = super::employers::get(tx, n.employer_id).map_err(|e| match e {
        StoreError::NotFound => StoreError::invalid("employer_id", "not_found"),
        other => other,
    })?;
    if employer.status != "active" {
        return Err(StoreError::conflict("employer_id", "account.employer_closed"));
    }
    let user = tx.actor().user_id().ok_or_else(|| StoreError::invalid("user", "user.unknown"))?;
    let tid = tx.tenant().0;
    let created: Option<Account> = diesel::insert_into(a::public_account)
        .values((
            a::tenant_id.eq(tid),
            a::kind.eq("employer"),
            a::employer_id.eq(Some(n.employer_id)),
            a::login.eq(n.login),
            a::display_name.eq(n.display_name),
            a::phone.eq(n.phone),
            a::password_hash.eq(Some(n.password_hash)),
            a::must_change_password.eq(true),
            a::status.eq("active"),
            a::office_id.eq(employer.office_id),
            a::created_by.eq(user),
        ))
        .on_conflict_do_nothing()
        .returning(Account::as_returning())
        .get_result(tx.conn())
        .optional()?;
    let account = created.ok_or_else(|| StoreError::conflict("login", "account.login_taken"))?;
    tx.audit("account.open", "public_account", &account.id.to_string(), None, serde_json::to_value(&account).ok(), None)?;
    Ok(account)
}

/// The accounts of an employer, oldest first.
pub fn of_employer(tx: &mut TenantTx<'_>, employer_id: i64) -> StoreResult<Vec<Account>> {
    use crate::schema::public_account::dsl as a;
    let tid = tx.tenant().0;
    Ok(a::public_account
        .filter(a::tenant_id.eq(tid))
        .filter(a::employer_id.eq(employer_id))
        .order(a::id)
        .select(Account::as_select())
        .load(tx.conn())?)
}

/// The account of the transaction's principal (a public transaction sees only its own row).
pub fn current(tx: &mut TenantTx<'_>) -> StoreResult<Account> {
    use crate::schema::public_account::dsl as a;
    let id = tx.actor().account_id().ok_or(StoreError::NotFound)?;
    let tid = tx.tenant().0;
    a::public_account
        .filter(a::tenant_id.eq(tid))
        .filter(a::id.eq(id))
        .select(Account::as_select())
        .first(tx.conn())
        .optional()?
        .ok_or(StoreError::NotFound)
}

/// Disables or re-enables an account (a clerk's act); every token of it stops working.
pub fn set_status(tx: &mut TenantTx<'_>, id: i64, status: &str, reason: &str) -> StoreResult<Account> {
    use crate::schema::public_account::dsl as a;
    if !matches!(status, "active" | "disabled") {
        return Err(StoreError::invalid("status", "invalid"));
    }
    let tid = tx.tenant().0;
    let before: Account = a::public_account
        .filter(a::tenant_id.eq(tid))
        .filter(a::id.eq(id))
        .select(Account::as_select())
        .for_update()
        .first(tx.conn())
        .optional()?
        .ok_or(StoreError::NotFound)?;
    if before.status == "pending" {
        return Err(StoreError::conflict("status", "account.not_activated"));
    }
    let after: Account = diesel::update(a::public_account.filter(a::tenant_id.eq(tid)).filter(a::id.eq(id)))
        .set((a::status.eq(status), a::token_epoch.eq(a::token_epoch + 1), a::updated_at.eq(diesel::dsl::now)))
        .returning(Account::as_returning())
        .get_result(tx.conn())?;
    tx.audit(
        "account.status",
        "public_account",
        &id.to_string(),
        serde_json::to_value(&before).ok(),
        serde_json::to_value(&after).ok(),
        Some(reason),
    )?;
    Ok(after)
}

/// What login needs to decide.
#[derive(Debug, Clone)]
pub struct LoginRecord {
    pub id: i64,
    pub kind: String,
    pub office_id: i32,
    pub display_name: String,
    pub password_hash: Option<String>,
    pub status: String,
    pub lang: String,
    pub must_change_password: bool,
    pub token_epoch: i32,
    /// For an employer account: whether the employer is still open.
    pub employer_open: bool,
}

type LoginRow = (i64, String, i32, String, Option<String>, String, String, bool, i32, Option<i64>);

/// The account with this login (anonymous transaction of the login itself).
pub fn for_login(tx: &mut TenantTx<'_>, kind: &str, login: &str) -> StoreResult<Option<LoginRecord>> {
    use crate::schema::employer::dsl as e;
    use crate::schema::public_account::dsl as a;
    let tid = tx.tenant().0;
    let row: Option<LoginRow> = a::public_account
        .filter(a::tenant_id.eq(tid))
        .filter(a::kind.eq(kind))
        .filter(a::login.eq(login))
        .select((
            a::id,
            a::kind,
            a::office_id,
            a::display_name,
            a::password_hash,
            a::status,
            a::lang,
            a::must_change_password,
            a::token_epoch,
            a::employer_id,
        ))
        .first(tx.conn())
        .optional()?;
    let Some((id, kind, office_id, display_name, password_hash, status, lang, must_change_password, token_epoch, employer_id)) = row else {
        return Ok(None);
    };
    let employer_open = match employer_id {
        Some(eid) => {
            e::employer
                .filter(e::tenant_id.eq(tid))
                .filter(e::id.eq(eid))
                .filter(e::status.eq("active"))
                .count()
                .get_result::<i64>(tx.conn())?
                == 1
        }
        None => true,
    };
    Ok(Some(LoginRecord {
        id,
        kind,
        office_id,
        display_name,
        password_hash,
        status,
        lang,
        must_change_password,
        token_epoch,
        employer_open,
    }))
}

/// Counts a failed password (audited every [`super::users::FAILURES_AUDITED`] in a row).
pub fn record_failure(tx: &mut TenantTx<'_>, id: i64) -> StoreResult<i32> {
    use crate::schema::public_account::dsl as a;
    let tid = tx.tenant().0;
    let n: i32 = diesel::update(a::public_account.filter(a::tenant_id.eq(tid)).filter(a::id.eq(id)))
        .set(a::failed_logins.eq(a::failed_logins + 1))
        .returning(a::failed_logins)
        .get_result(tx.conn())?;
    if n % super::users::FAILURES_AUDITED == 0 {
        tx.audit(
            "account.login_failures",
            "public_account",
            &id.to_string(),
            None,
            Some(serde_json::json!({"failed_logins": n})),
            Some("failed logins in a row"),
        )?;
    }
    Ok(n)
}

pub fn record_success(tx: &mut TenantTx<'_>, id: i64) -> StoreResult<()> {
    use crate::schema::public_account::dsl as a;
    let tid = tx.tenant().0;
    diesel::update(a::public_account.filter(a::tenant_id.eq(tid)).filter(a::id.eq(id)))
        .set((a::failed_logins.eq(0), a::last_login_at.eq(diesel::dsl::now)))
        .execute(tx.conn())?;
    Ok(())
}

/// The principal's stored hash (for the password page).
pub fn password_hash(tx: &mut TenantTx<'_>) -> StoreResult<String> {
    use crate::schema::public_account::dsl as a;
    let id = tx.actor().account_id().ok_or(StoreError::NotFound)?;
    let tid = tx.tenant().0;
    let h: Option<Option<String>> =
        a::public_account.filter(a::tenant_id.eq(tid)).filter(a::id.eq(id)).select(a::password_hash).first(tx.conn()).optional()?;
    h.flatten().ok_or(StoreError::NotFound)
}

/// Sets the principal's own password; returns the new token epoch (older tokens stop working).
pub fn set_own_password(tx: &mut TenantTx<'_>, hash: &str) -> StoreResult<i32> {
    use crate::schema::public_account::dsl as a;
    let id = tx.actor().account_id().ok_or(StoreError::NotFound)?;
    let tid = tx.tenant().0;
    let epoch: Option<i32> = diesel::update(a::public_account.filter(a::tenant_id.eq(tid)).filter(a::id.eq(id)))
        .set((
            a::password_hash.eq(Some(hash)),
            a::must_change_password.eq(false),
            a::token_epoch.eq(a::token_epoch + 1),
            a::updated_at.eq(diesel::dsl::now),
        ))
        .returning(a::token_epoch)
        .get_result(tx.conn())
        .optional()?;
    let epoch = epoch.ok_or(StoreError::NotFound)?;
    tx.audit("account.password", "public_account", &id.to_string(), None, None, None)?;
    Ok(epoch)
}

/// Logs out one token of the principal.
pub fn revoke(tx: &mut TenantTx<'_>, jti: uuid::Uuid, expires_at: DateTime<Utc>) -> StoreResult<()> {
    use diesel::sql_types::{BigInt, SmallInt, Timestamptz, Uuid as SqlUuid};
    let id = tx.actor().account_id().ok_or(StoreError::NotFound)?;
    let tid = tx.tenant().0;
    diesel::sql_query(
        "INSERT INTO public_revoked_token (tenant_id, jti, account_id, expires_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
    )
    .bind::<SmallInt, _>(tid)
    .bind::<SqlUuid, _>(jti)
    .bind::<BigInt, _>(id)
    .bind::<Timestamptz, _>(expires_at)
    .execute(tx.conn())?;
    Ok(())
}

/// The employer of the transaction's principal, as the database set it from the account row.
pub fn principal_employer(tx: &mut TenantTx<'_>) -> StoreResult<i64> {
    #[derive(QueryableByName)]
    struct R {
        #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
        id: Option<i64>,
    }
    let r: R = diesel::sql_query("SELECT app_employer() AS id").get_result(tx.conn())?;
    r.id.ok_or(StoreError::NotFound)
}

/// The person of the transaction's principal, as the database set it from the account row.
pub fn principal_person(tx: &mut TenantTx<'_>) -> StoreResult<i64> {
    #[derive(QueryableByName)]
    struct R {
        #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
        id: Option<i64>,
    }
    let r: R = diesel::sql_query("SELECT app_person() AS id").get_result(tx.conn())?;
    r.id.ok_or(StoreError::NotFound)
}

/// Opens (or reopens) a person's account for activation: a clerk at the counter prints a letter
/// with a one-time activation code (only its hash is kept) valid until `expires`. An existing
/// account waits for activation again and every token of it stops (a forgotten password).
pub fn issue_activation(tx: &mut TenantTx<'_>, person_id: i64, code_hash: &str, expires: DateTime<Utc>) -> StoreResult<Account> {
    use crate::schema::public_account::dsl as a;
    let person = super::persons::get(tx, person_id)?;
    let user = tx.actor().user_id().ok_or_else(|| StoreError::invalid("user", "user.unknown"))?;
    let tid = tx.tenant().0;
    let existing: Option<i64> =
        a::public_account.filter(a::tenant_id.eq(tid)).filter(a::person_id.eq(person_id)).select(a::id).first(tx.conn()).optional()?;
    let account: Account = match existing {
        Some(id) => diesel::update(a::public_account.filter(a::tenant_id.eq(tid)).filter(a::id.eq(id)))
            .set((
                a::status.eq("pending"),
                a::activation_hash.eq(Some(code_hash)),
                a::activation_expires.eq(Some(expires)),
                a::token_epoch.eq(a::token_epoch + 1),
                a::updated_at.eq(diesel::dsl::now),
            ))
            .returning(Account::as_returning())
            .get_result(tx.conn())?,
        None => diesel::insert_into(a::public_account)
            .values((
                a::tenant_id.eq(tid),
                a::kind.eq("person"),
                a::person_id.eq(Some(person_id)),
                a::login.eq(&person.id_number),
                a::display_name.eq(&person.name),
                // The account keeps the phone only when it is a plain number (the account's check).
                a::phone.eq(person
                    .phone
                    .as_ref()
                    .filter(|p| (5..=20).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit() || b == b'+' || b == b'-'))),
                a::status.eq("pending"),
                a::activation_hash.eq(Some(code_hash)),
                a::activation_expires.eq(Some(expires)),
                a::office_id.eq(person.office_id),
                a::created_by.eq(user),
            ))
            .returning(Account::as_returning())
            .get_result(tx.conn())?,
    };
    tx.audit(
        "account.activation_issued",
        "public_account",
        &account.id.to_string(),
        None,
        Some(serde_json::json!({"person_id": person_id, "expires": expires})),
        None,
    )?;
    Ok(account)
}

/// A person's account waiting for activation: (id, activation hash, expiry).
pub type Pending = (i64, Option<String>, Option<DateTime<Utc>>);

/// A person's account waiting for activation, by identity number.
pub fn pending_activation(tx: &mut TenantTx<'_>, id_number: &str) -> StoreResult<Option<Pending>> {
    use crate::schema::public_account::dsl as a;
    Ok(a::public_account
        .filter(a::tenant_id.eq(tx.tenant().0))
        .filter(a::kind.eq("person"))
        .filter(a::login.eq(id_number))
        .filter(a::status.eq("pending"))
        .select((a::id, a::activation_hash, a::activation_expires))
        .first(tx.conn())
        .optional()?)
}

/// Activates a person's account with the password they chose (the code was checked by the
/// caller); the code stops working.
pub fn activate(tx: &mut TenantTx<'_>, id: i64, password_hash: &str) -> StoreResult<()> {
    use crate::schema::public_account::dsl as a;
    let tid = tx.tenant().0;
    let n = diesel::update(a::public_account.filter(a::tenant_id.eq(tid)).filter(a::id.eq(id)).filter(a::status.eq("pending")))
        .set((
            a::status.eq("active"),
            a::password_hash.eq(Some(password_hash)),
            a::must_change_password.eq(false),
            a::activation_hash.eq(None::<String>),
            a::activation_expires.eq(None::<DateTime<Utc>>),
            a::failed_logins.eq(0),
            a::token_epoch.eq(a::token_epoch + 1),
            a::updated_at.eq(diesel::dsl::now),
        ))
        .execute(tx.conn())?;
    if n == 0 {
        return Err(StoreError::conflict("code", "account.activation_invalid"));
    }
    tx.audit("account.activate", "public_account", &id.to_string(), None, None, None)?;
    Ok(())
}

/// The person's account, if one was opened.
pub fn of_person(tx: &mut TenantTx<'_>, person_id: i64) -> StoreResult<Option<Account>> {
    use crate::schema::public_account::dsl as a;
    Ok(a::public_account
        .filter(a::tenant_id.eq(tx.tenant().0))
        .filter(a::person_id.eq(person_id))
        .select(Account::as_select())
        .first(tx.conn())
        .optional()?)
}
