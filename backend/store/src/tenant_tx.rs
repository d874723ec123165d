//! The one door to tenant data.

use diesel::connection::Connection;
use diesel::pg::PgConnection;
use diesel::sql_types::{BigInt, Integer, Nullable, SmallInt, Uuid as SqlUuid};
use diesel::RunQueryDsl;
use serde_json::Value;

use crate::error::{StoreError, StoreResult};
use crate::pool::Db;

/// Internal tenant id (smallint in the database), as carried in verified tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(transparent)]
pub struct TenantId(pub i16);

/// Who is acting: a logged-in user (checked for being active and the token for not being revoked,
/// inside the same transaction), or the operator's command line.
#[derive(Debug, Clone)]
pub enum Actor {
    User { user_id: i64, office_id: i32, username: String, jti: Option<uuid::Uuid>, epoch: i32, request_id: Option<String> },
    System { label: String },
}

impl Actor {
    pub fn system(label: &str) -> Actor {
        Actor::System { label: label.to_string() }
    }

    pub fn user_id(&self) -> Option<i64> {
        match self {
            Actor::User { user_id, .. } => Some(*user_id),
            Actor::System { .. } => None,
        }
    }

    pub fn office_id(&self) -> Option<i32> {
        match self {
            Actor::User { office_id, .. } => Some(*office_id),
            Actor::System { .. } => None,
        }
    }

    pub fn label(&self) -> String {
        match self {
            Actor::User { username, .. } => format!("user:{username}"),
            Actor::System { label } => format!("system:{label}"),
        }
    }

    fn request_id(&self) -> Option<String> {
        match self {
            Actor::User { request_id, .. } => request_id.clone(),
            Actor::System { .. } => None,
        }
    }
}

/// A transaction bound to one tenant. Row-level security sees only that tenant's rows.
///
/// Audit rows and timeline events are collected while the work runs and written with one
/// statement each just before commit (same transaction), saving a round trip per record.
pub struct TenantTx<'c> {
    conn: &'c mut PgConnection,
    tenant: TenantId,
    actor: Actor,
    pending_audit: Vec<PendingAudit>,
    pending_events: Vec<PendingEvent>,
    pending_stats: Vec<(String, chrono::NaiveDate, String, i64)>,
}

struct PendingAudit {
    action: String,
    entity: String,
    entity_id: String,
    before: Option<Value>,
    after: Option<Value>,
    reason: Option<String>,
}

pub(crate) struct PendingEvent {
    pub person_id: i64,
    pub occurred_on: chrono::NaiveDate,
    pub kind: String,
    pub detail: Value,
}

impl TenantTx<'_> {
    pub fn tenant(&self) -> TenantId {
        self.tenant
    }

    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    pub(crate) fn conn(&mut self) -> &mut PgConnection {
        self.conn
    }

    /// Records one write in the audit log, in the same transaction as the write.
    pub fn audit(
        &mut self,
        action: &str,
        entity: &str,
        entity_id: &str,
        before: Option<Value>,
        after: Option<Value>,
        reason: Option<&str>,
    ) -> StoreResult<()> {
        self.pending_audit.push(PendingAudit {
            action: action.into(),
            entity: entity.into(),
            entity_id: entity_id.into(),
            before,
            after,
            reason: reason.map(str::to_string),
        });
        Ok(())
    }

    /// Records several created records of one kind (no before, no reason).
    pub fn audit_created(&mut self, action: &str, entity: &str, items: &[(String, Value)]) -> StoreResult<()> {
        for (id, after) in items {
            self.audit(action, entity, id, None, Some(after.clone()), None)?;
        }
        Ok(())
    }

    pub(crate) fn push_event(&mut self, e: PendingEvent) {
        self.pending_events.push(e);
    }

    /// Adds to a statistic (see `repo::stats`), written with the transaction's other records.
    pub(crate) fn push_stat(&mut self, metric: &str, period: Option<chrono::NaiveDate>, insurance_type: &str, value: i64) {
        let period = period.unwrap_or_else(crate::repo::stats::current_period);
        self.pending_stats.push((metric.to_string(), period, insurance_type.to_string(), value));
    }

    /// Writes the collected audit rows, timeline events and statistic deltas in one statement
    /// (called by [`Db::tenant`] before commit).
    fn flush(&mut self) -> StoreResult<()> {
        use diesel::sql_types::{Array, BigInt, Date, Int2, Int4, Int8, Jsonb, Nullable, Text};
        if self.pending_audit.is_empty() && self.pending_events.is_empty() && self.pending_stats.is_empty() {
            return Ok(());
        }
        let audit: Vec<PendingAudit> = self.pending_audit.drain(..).collect();
        let events: Vec<PendingEvent> = self.pending_events.drain(..).collect();
        let stats: Vec<(String, chrono::NaiveDate, String, i64)> = self.pending_stats.drain(..).collect();
        diesel::sql_query(
            "WITH a AS (
                 INSERT INTO audit_log (tenant_id, user_id, office_id, actor, action, entity, entity_id, before, after, reason, request_id)
                 SELECT $1, $2, $3, $4, x.action, x.entity, x.entity_id, x.before, x.after, x.reason, $5
                 FROM unnest($6::text[], $7::text[], $8::text[], $9::jsonb[], $10::jsonb[], $11::text[])
                      AS x(action, entity, entity_id, before, after, reason)),
             e AS (
                 INSERT INTO person_event (tenant_id, person_id, occurred_on, kind, detail, office_id, created_by)
                 SELECT $1, y.person_id, y.occurred_on, y.kind, y.detail, $3, $2
                 FROM unnest($12::bigint[], $13::date[], $14::text[], $15::jsonb[]) AS y(person_id, occurred_on, kind, detail))
             INSERT INTO stat_delta (tenant_id, metric, period, insurance_type, value)
             SELECT $1, z.metric, z.period, z.insurance_type, z.value
             FROM unnest($16::text[], $17::date[], $18::text[], $19::bigint[]) AS z(metric, period, insurance_type, value)",
        )
        .bind::<Int2, _>(self.tenant.0)
        .bind::<Nullable<Int8>, _>(self.actor.user_id())
        .bind::<Nullable<Int4>, _>(self.actor.office_id())
        .bind::<Text, _>(self.actor.label())
        .bind::<Nullable<Text>, _>(self.actor.request_id())
        .bind::<Array<Text>, _>(audit.iter().map(|p| p.action.clone()).collect::<Vec<_>>())
        .bind::<Array<Text>, _>(audit.iter().map(|p| p.entity.clone()).collect::<Vec<_>>())
        .bind::<Array<Text>, _>(audit.iter().map(|p| p.entity_id.clone()).collect::<Vec<_>>())
        .bind::<Array<Nullable<Jsonb>>, _>(audit.iter().map(|p| p.before.clone()).collect::<Vec<_>>())
        .bind::<Array<Nullable<Jsonb>>, _>(audit.iter().map(|p| p.after.clone()).collect::<Vec<_>>())
        .bind::<Array<Nullable<Text>>, _>(audit.iter().map(|p| p.reason.clone()).collect::<Vec<_>>())
        .bind::<Array<BigInt>, _>(events.iter().map(|e| e.person_id).collect::<Vec<_>>())
        .bind::<Array<Date>, _>(events.iter().map(|e| e.occurred_on).collect::<Vec<_>>())
        .bind::<Array<Text>, _>(events.iter().map(|e| e.kind.clone()).collect::<Vec<_>>())
        .bind::<Array<Jsonb>, _>(events.iter().map(|e| e.detail.clone()).collect::<Vec<_>>())
        .bind::<Array<Text>, _>(stats.iter().map(|s| s.0.clone()).collect::<Vec<_>>())
        .bind::<Array<Date>, _>(stats.iter().map(|s| s.1).collect::<Vec<_>>())
        .bind::<Array<Text>, _>(stats.iter().map(|s| s.2.clone()).collect::<Vec<_>>())
        .bind::<Array<BigInt>, _>(stats.iter().map(|s| s.3).collect::<Vec<_>>())
        .execute(self.conn)?;
        Ok(())
    }
}

diesel::define_sql_function! {
    /// The tenant setting of the transaction, for work without a user session (migration
    /// `tenant_setting`: a `SET LOCAL`, which reaches Citus workers as well).
    fn set_tenant(tenant: SmallInt);
}

diesel::define_sql_function! {
    /// Sets the tenant and checks the session in one statement (migration `session_begin`):
    /// 'ok', 'read_only' (tenant suspended) or 'refused'.
    fn session_begin(tenant: SmallInt, user_id: BigInt, jti: Nullable<SqlUuid>, epoch: Integer) -> Text;
}

impl Db {
    /// Runs `f` in a transaction scoped to `tenant`. For a user actor, the user must still be
    /// active and the token not revoked (checked in the database, so a Redis outage cannot
    /// readmit a revoked token). Blocks: call from a blocking thread.
    pub fn tenant<T, F>(&self, tenant: TenantId, actor: Actor, f: F) -> StoreResult<T>
    where
        F: FnOnce(&mut TenantTx<'_>) -> StoreResult<T>,
    {
        self.tenant_with(tenant, actor, f)
    }

    /// [`Db::tenant`] for work that refuses with the caller's own error type (e.g. a field-level
    /// refusal of the web layer): an error rolls the transaction back and comes out unchanged.
    pub fn tenant_with<T, E, F>(&self, tenant: TenantId, actor: Actor, f: F) -> Result<T, E>
    where
        E: From<StoreError> + From<diesel::result::Error>,
        F: FnOnce(&mut TenantTx<'_>) -> Result<T, E>,
    {
        let mut conn = self.checkout()?;
        run_tenant_tx(&mut conn, tenant, &actor, f)
    }

    /// Several tenant transactions on one connection, for work that keeps session-private state
    /// between them (an import's temporary table). Each transaction is checked like `tenant`; the
    /// session's temporary tables are discarded before the connection goes back to the pool.
    pub fn tenant_session<T, F>(&self, tenant: TenantId, actor: Actor, f: F) -> StoreResult<T>
    where
        F: FnOnce(&mut TenantSession<'_>) -> StoreResult<T>,
    {
        let mut conn = self.checkout()?;
        let out = f(&mut TenantSession { conn: &mut conn, tenant, actor });
        let discarded = diesel::sql_query("DISCARD TEMP").execute(&mut *conn);
        let out = out?;
        discarded?;
        Ok(out)
    }

    /// A tenant transaction for work before anyone is logged in (the login itself).
    pub fn tenant_anonymous<T, F>(&self, tenant: TenantId, f: F) -> StoreResult<T>
    where
        F: FnOnce(&mut TenantTx<'_>) -> StoreResult<T>,
    {
        self.tenant(tenant, Actor::system("login"), f)
    }

    /// Work on global (non-tenant) reference tables: tenants, roles, permissions.
    pub(crate) fn global<T, F>(&self, f: F) -> StoreResult<T>
    where
        F: FnOnce(&mut PgConnection) -> StoreResult<T>,
    {
        let mut conn = self.checkout()?;
        f(&mut conn)
    }
}

/// One connection bound to one tenant for a sequence of transactions (see `Db::tenant_session`).
pub struct TenantSession<'c> {
    conn: &'c mut PgConnection,
    tenant: TenantId,
    actor: Actor,
}

impl TenantSession<'_> {
    pub fn tx<T, F>(&mut self, f: F) -> StoreResult<T>
    where
        F: FnOnce(&mut TenantTx<'_>) -> StoreResult<T>,
    {
        run_tenant_tx(self.conn, self.tenant, &self.actor, f)
    }
}

fn run_tenant_tx<T, E, F>(conn: &mut PgConnection, tenant: TenantId, actor: &Actor, f: F) -> Result<T, E>
where
    E: From<StoreError> + From<diesel::result::Error>,
    F: FnOnce(&mut TenantTx<'_>) -> Result<T, E>,
{
    conn.transaction::<T, E, _>(|conn| {
        // One round trip before the work, as a prepared statement diesel keeps per connection.
        match actor {
            Actor::User { user_id, jti, epoch, .. } => {
                let verdict: String = diesel::select(session_begin(tenant.0, *user_id, *jti, *epoch)).get_result(conn)?;
                match verdict.as_str() {
                    "ok" => {}
                    // A suspended tenant is read-only: PostgreSQL itself refuses any write.
                    "read_only" => {
                        diesel::sql_query("SET TRANSACTION READ ONLY").execute(conn)?;
                    }
                    _ => return Err(StoreError::SessionInvalid.into()),
                }
            }
            Actor::System { .. } => {
                diesel::select(set_tenant(tenant.0)).execute(conn)?;
            }
        }
        let mut tx = TenantTx {
            conn,
            tenant,
            actor: actor.clone(),
            pending_audit: Vec::new(),
            pending_events: Vec::new(),
            pending_stats: Vec::new(),
        };
        let out = f(&mut tx)?;
        tx.flush()?;
        Ok(out)
    })
}
