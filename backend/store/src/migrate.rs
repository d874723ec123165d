//! Embedded diesel migrations from `migrations/`. Run as the owner role.

use diesel::pg::PgConnection;
use diesel::Connection;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations");

/// Applies pending migrations; returns their names.
pub fn run_pending(owner_url: &str) -> anyhow::Result<Vec<String>> {
    let mut conn = PgConnection::establish(owner_url)?;
    let done = conn.run_pending_migrations(MIGRATIONS).map_err(|e| anyhow::anyhow!("migration failed: {e}"))?;
    Ok(done.iter().map(|v| v.to_string()).collect())
}

/// The migrations that `run_pending` would apply, in order; changes nothing.
pub fn pending(owner_url: &str) -> anyhow::Result<Vec<String>> {
    let mut conn = PgConnection::establish(owner_url)?;
    let list = conn.pending_migrations(MIGRATIONS).map_err(|e| anyhow::anyhow!("cannot read the migrations applied: {e}"))?;
    Ok(list.iter().map(|m| m.name().to_string()).collect())
}

/// Reverts every applied migration (tests keep `down.sql` true with this).
pub fn revert_all(owner_url: &str) -> anyhow::Result<usize> {
    let mut conn = PgConnection::establish(owner_url)?;
    let done = conn.revert_all_migrations(MIGRATIONS).map_err(|e| anyhow::anyhow!("revert failed: {e}"))?;
    Ok(done.len())
}
