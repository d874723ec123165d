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
/// inside the same transaction), an employer's or a person's own account (the same checks, then
/// the transaction runs as `jinbao_public` with the account's principal), or the operator's
/// command line.
#[derive(Debug, Clone)]
pub enum Actor {
    User { user_id: i64, office_id: i32, username: String, jti: Option<uuid::Uuid>, epoch: i32, request_id: Option<String> },
    Account { account_id: i64, kind: String, office_id: i32, jti: Option<uuid::Uuid>, epoch: i32, request_id: Option<String> },
    System { label: String },
}

impl Actor {
    pub fn system(label: &str) -> Actor {
        Actor::System { label: label.to_string() }
    }

    pub fn user_id(&self) -> Option<i64> {
        match self {
            Actor::User { user_id, .. } => Some(*user_id),
            Actor::Account { .. } | Actor::System { .. } => None,
        }
    }

    /// The public account acting, if any.
    pub fn account_id(&self) -> Option<i64> {
        match self {
            Actor::Account { account_id, .. } => Some(*account_id),
            Actor::User { .. } | Actor::System { .. } => None,
        }
    }

    pub fn office_id(&self) -> Option<i32> {
        match self {
            Actor::User { office_id, .. } | Actor::Account { office_id, .. } => Some(*office_id),
            Actor::System { .. } => None,
        }
    }

    pub fn label(&self) -> String {
        match self {
            Actor::User { username, .. } => format!("user:{username}"),
            Actor::Account { account_id, kind, .. } => format!("{kind}_account:{account_id}"),
            Actor::System { label } => format!("system:{label}"),
        }
    }

    fn request_id(&self) -> Option<String> {
        match self {
            Actor::User { request_id, .. } | Actor::Account { request_id, .. } => request_id.clone(),
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

    /// Who writes a record that names its writer: (staff user, public account), exactly one set.
    pub fn writer(&self) -> StoreResult<(Option<i64>, Option<i64>)> {
        match (self.actor.user_id(), self.actor.account_id()) {
            (None, None) => Err(StoreError::invalid("user", "user.unknown")),
            ids => Ok(ids),
        }
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

    /// Writes the collected audit rows, timeline events and statistic deltas (called by
    /// [`Db::tenant`] before commit): one statement of multi-row `INSERT … VALUES` for the three
    /// tables, [`FLUSH_ROWS`] rows of each per statement. Not `INSERT … SELECT FROM unnest(…)`:
    /// on Citus that goes through the coordinator and reaches the shards as `COPY`, which
    /// row-level security refuses; a multi-row `VALUES` of one tenant is routed to its shard.
    fn flush(&mut self) -> StoreResult<()> {
        let audit: Vec<PendingAudit> = self.pending_audit.drain(..).collect();
        let events: Vec<PendingEvent> = self.pending_events.drain(..).collect();
        let stats: Vec<(String, chrono::NaiveDate, String, i64)> = self.pending_stats.drain(..).collect();
        let chunks = audit.len().max(events.len()).max(stats.len()).div_ceil(FLUSH_ROWS);
        for i in 0..chunks {
            let part = |len: usize| (i * FLUSH_ROWS).min(len)..((i + 1) * FLUSH_ROWS).min(len);
            let (a, e, s) = (&audit[part(audit.len())], &events[part(events.len())], &stats[part(stats.len())]);
            self.flush_rows(a, e, s)?;
        }
        Ok(())
    }

    fn flush_rows(
        &mut self,
        audit: &[PendingAudit],
        events: &[PendingEvent],
        stats: &[(String, chrono::NaiveDate, String, i64)],
    ) -> StoreResult<()> {
        use diesel::sql_types::{Date, Int2, Int4, Int8, Jsonb, Nullable, Text};
        // $1 tenant, $2 user, $3 office, $4 actor, $5 request id; the rows' own values follow.
        let mut next = 6;
        let mut rows = |n: usize, width: usize, head: &str| -> String {
            (0..n)
                .map(|_| {
                    let own: Vec<String> = (0..width).map(|k| format!("${}", next + k)).collect();
                    next += width;
                    format!("({head}{})", own.join(", "))
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut parts = Vec::new();
        if !audit.is_empty() {
            parts.push(format!(
                "INSERT INTO audit_log (tenant_id, user_id, office_id, actor, request_id, action, entity, entity_id, before, after, reason) VALUES {}",
                rows(audit.len(), 6, "$1, $2, $3, $4, $5, ")
            ));
        }
        if !events.is_empty() {
            parts.push(format!(
                "INSERT INTO person_event (tenant_id, office_id, created_by, person_id, occurred_on, kind, detail) VALUES {}",
                rows(events.len(), 4, "$1, $3, $2, ")
            ));
        }
        if !stats.is_empty() {
            parts.push(format!(
                "INSERT INTO stat_delta (tenant_id, metric, period, insurance_type, value) VALUES {}",
                rows(stats.len(), 4, "$1, ")
            ));
        }
        let Some(last) = parts.pop() else { return Ok(()) };
        let ctes: Vec<String> = parts.iter().enumerate().map(|(k, p)| format!("w{k} AS ({p})")).collect();
        let sql = if ctes.is_empty() { last } else { format!("WITH {} {last}", ctes.join(", ")) };
        let mut q = diesel::sql_query(sql)
            .into_boxed::<diesel::pg::Pg>()
            .bind::<Int2, _>(self.tenant.0)
            .bind::<Nullable<Int8>, _>(self.actor.user_id())
            .bind::<Nullable<Int4>, _>(self.actor.office_id())
            .bind::<Text, _>(self.actor.label())
            .bind::<Nullable<Text>, _>(self.actor.request_id());
        for a in audit {
            q = q
                .bind::<Text, _>(a.action.clone())
                .bind::<Text, _>(a.entity.clone())
                .bind::<Text, _>(a.entity_id.clone())
                .bind::<Nullable<Jsonb>, _>(a.before.clone())
                .bind::<Nullable<Jsonb>, _>(a.after.clone())
                .bind::<Nullable<Text>, _>(a.reason.clone());
        }
        for e in events {
            q = q
                .bind::<Int8, _>(e.person_id)
                .bind::<Date, _>(e.occurred_on)
                .bind::<Text, _>(e.kind.clone())
                .bind::<Jsonb, _>(e.detail.clone());
        }
        for s in stats {
            q = q.bind::<Text, _>(s.0.clone()).bind::<Date, _>(s.1).bind::<Text, _>(s.2.clone()).bind::<Int8, _>(s.3);
        }
        q.execute(self.conn)?;
        Ok(())
    }
}

/// Rows of each kind per flush statement: at most 1,000 × (6 + 4 + 4) + 5 bind parameters, well
/// under PostgreSQL's 65,535.
const FLUSH_ROWS: usize = 1000;

diesel::define_sql_function! {
    /// The tenant setting of the transaction, for work without a user session (migration
    /// `tenant_setting`: a `SET LOCAL`, which reaches Citus workers as well).
    fn set_tenant(tenant: SmallInt);
}

diesel::define_sql_function! {
    /// Sets the tenant, checks a public account's session, sets its principal and switches to
    /// `jinbao_public` (migration `public_accounts`): 'ok', 'read_only' or 'refused'.
    fn public_session_begin(tenant: SmallInt, account_id: BigInt, jti: Nullable<SqlUuid>, epoch: Integer) -> Text;
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
        let verdict: Option<String> = match actor {
            Actor::User { user_id, jti, epoch, .. } => {
                Some(diesel::select(session_begin(tenant.0, *user_id, *jti, *epoch)).get_result(conn)?)
            }
            Actor::Account { account_id, jti, epoch, .. } => {
                Some(diesel::select(public_session_begin(tenant.0, *account_id, *jti, *epoch)).get_result(conn)?)
            }
            Actor::System { .. } => {
                diesel::select(set_tenant(tenant.0)).execute(conn)?;
                None
            }
        };
        match verdict.as_deref() {
            None | Some("ok") => {}
            // A suspended tenant is read-only: PostgreSQL itself refuses any write.
            Some("read_only") => {
                diesel::sql_query("SET TRANSACTION READ ONLY").execute(conn)?;
            }
            Some(_) => return Err(StoreError::SessionInvalid.into()),
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
