//! One-time cluster setup, run with a superuser connection: the three roles and the database.
//!
//! - `jinbao_owner`: owns the schema, runs migrations and `tenants sync`.
//! - `jinbao_app`: serves requests; LOGIN, NOSUPERUSER, NOBYPASSRLS, owns nothing.
//! - `jinbao_analytics`: reads aggregate tables for the province view.
//! - `jinbao_transfer`: NOLOGIN, BYPASSRLS; owns only the functions of the cross-city transfer
//!   (the one narrow path between two tenants), which run with its rights.
//! - `jinbao_public`: NOLOGIN, NOBYPASSRLS; the rights of an employer's or a person's own
//!   account. The app role becomes it (`SET LOCAL ROLE`) for a public account's transaction,
//!   where policies keyed on the account's employer or person apply on top of the tenant.

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::sql_types::{Bool, Text};
use diesel::{Connection, RunQueryDsl};

pub const OWNER_ROLE: &str = "jinbao_owner";
pub const APP_ROLE: &str = "jinbao_app";
pub const ANALYTICS_ROLE: &str = "jinbao_analytics";
pub const TRANSFER_ROLE: &str = "jinbao_transfer";
pub const PUBLIC_ROLE: &str = "jinbao_public";

#[derive(diesel::QueryableByName)]
struct Exists {
    #[diesel(sql_type = Bool)]
    exists: bool,
}

/// Creates missing roles and the database; returns what it did. Idempotent.
/// A password for all three roles may be given for non-trust setups.
pub fn bootstrap(admin_url: &str, database: Option<&str>, password: Option<&str>) -> anyhow::Result<Vec<String>> {
    anyhow::ensure!(
        database.unwrap_or("").bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'),
        "database name may contain letters, digits and _ only"
    );
    let mut conn = PgConnection::establish(admin_url)?;
    // One bootstrap at a time per server (parallel test setups): concurrent ALTER ROLE statements
    // fail with "tuple concurrently updated". Released when the connection closes.
    conn.batch_execute("SELECT pg_advisory_lock(hashtext('jinbao bootstrap'))")?;
    let mut done = Vec::new();
    for (role, attrs) in [
        (OWNER_ROLE, "LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE"),
        (APP_ROLE, "LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOINHERIT NOCREATEDB"),
        (ANALYTICS_ROLE, "LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOCREATEDB"),
    ] {
        let e: Exists = diesel::sql_query("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1) AS exists")
            .bind::<Text, _>(role)
            .get_result(&mut conn)?;
        if !e.exists {
            conn.batch_execute(&format!("CREATE ROLE {role} {attrs}"))?;
            done.push(format!("created role {role}"));
        } else {
            // Keep the attributes right even if someone changed them.
            conn.batch_execute(&format!("ALTER ROLE {role} {}", attrs.replace(" NOCREATEDB", "")))?;
        }
        if let Some(pw) = password {
            let pw = pw.replace('\'', "''");
            conn.batch_execute(&format!("ALTER ROLE {role} PASSWORD '{pw}'"))?;
        }
    }
    // The transfer functions' owner: cannot log in, bypasses row-level security only inside the
    // functions it owns. The schema owner must be a member to hand those functions over.
    let e: Exists = diesel::sql_query("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1) AS exists")
        .bind::<Text, _>(TRANSFER_ROLE)
        .get_result(&mut conn)?;
    if !e.exists {
        conn.batch_execute(&format!("CREATE ROLE {TRANSFER_ROLE} NOLOGIN NOSUPERUSER BYPASSRLS NOCREATEROLE NOCREATEDB"))?;
        done.push(format!("created role {TRANSFER_ROLE}"));
    }
    conn.batch_execute(&format!("GRANT {TRANSFER_ROLE} TO {OWNER_ROLE}"))?;
    // The public accounts' role: the app role may become it (SET ROLE) but does not inherit it
    // (NOINHERIT above), so the policies written for `jinbao_public` never apply to staff work.
    let e: Exists = diesel::sql_query("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1) AS exists")
        .bind::<Text, _>(PUBLIC_ROLE)
        .get_result(&mut conn)?;
    if !e.exists {
        conn.batch_execute(&format!("CREATE ROLE {PUBLIC_ROLE} NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOCREATEDB"))?;
        done.push(format!("created role {PUBLIC_ROLE}"));
    }
    conn.batch_execute(&format!("GRANT {PUBLIC_ROLE} TO {APP_ROLE}"))?;
    let Some(database) = database else {
        return Ok(done);
    };
    let e: Exists = diesel::sql_query("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1) AS exists")
        .bind::<Text, _>(database)
        .get_result(&mut conn)?;
    if !e.exists {
        conn.batch_execute(&format!("CREATE DATABASE {database} OWNER {OWNER_ROLE} ENCODING 'UTF8' TEMPLATE template0"))?;
        done.push(format!("created database {database}"));
    }
    Ok(done)
}

/// Replaces the database part of a URL: `postgres://u@h/x?y` → `postgres://u@h/{db}?y`.
pub fn with_database(url: &str, db: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[scheme_end..].find('/').map_or(base.len(), |i| scheme_end + i);
    let mut out = format!("{}/{}", &base[..path_start], db);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

/// Replaces the user part of a URL: `postgres://a@h/x` → `postgres://{user}@h/x`.
pub fn with_user(url: &str, user: &str) -> String {
    let scheme_end = url.find("://").map_or(0, |i| i + 3);
    let rest = &url[scheme_end..];
    let host_part = match rest.find('@') {
        Some(at) if rest[..at].find('/').is_none() => &rest[at + 1..],
        _ => rest,
    };
    format!("{}{}@{}", &url[..scheme_end], user, host_part)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_urls() {
        assert_eq!(with_database("postgres://a@h:5432/x?sslmode=disable", "y"), "postgres://a@h:5432/y?sslmode=disable");
        assert_eq!(with_database("postgres://a@h", "y"), "postgres://a@h/y");
        assert_eq!(with_user("postgres://postgres@127.0.0.1/db", "jinbao_app"), "postgres://jinbao_app@127.0.0.1/db");
        assert_eq!(with_user("postgres://127.0.0.1/db", "jinbao_app"), "postgres://jinbao_app@127.0.0.1/db");
    }
}
