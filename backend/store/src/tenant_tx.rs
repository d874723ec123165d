//! The one door to tenant data.

use diesel::connection::Connection;
use diesel::pg::PgConnection;
use diesel::sql_types::{Bool, Nullable, Text, Uuid as SqlUuid};
use diesel::RunQueryDsl;
use serde_json::Value;

use crate::error::{StoreError, StoreResult};
use crate::pool::Db;

/// Internal tenant id (smallint in the database), as carried in verified tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct TenantId(pub i16);

/// Who is acting: a logged-in user (checked for being active and the token for not being revoked,
/// inside the same transaction), or the operator's command line.
#[derive(Debug, Clone)]
pub enum Actor {
    User { user_id: i64, office_id: i32, username: String, jti: Option<uuid::Uuid>, request_id: Option<String> },
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

    /// Writes the collected audit rows and events (called by [`Db::tenant`] before commit).
    fn flush(&mut self) -> StoreResult<()> {
        use crate::schema::audit_log::dsl as a;
        use crate::schema::person_event::dsl as ev;
        let (tenant, user, office, actor, request) =
            (self.tenant.0, self.actor.user_id(), self.actor.office_id(), self.actor.label(), self.actor.request_id());
        if !self.pending_audit.is_empty() {
            let rows: Vec<_> = self
                .pending_audit
                .drain(..)
                .map(|p| {
                    (
                        a::tenant_id.eq(tenant),
                        a::user_id.eq(user),
                        a::office_id.eq(office),
                        a::actor.eq(actor.clone()),
                        a::action.eq(p.action),
                        a::entity.eq(p.entity),
                        a::entity_id.eq(p.entity_id),
                        a::before.eq(p.before),
                        a::after.eq(p.after),
                        a::reason.eq(p.reason),
                        a::request_id.eq(request.clone()),
                    )
                })
                .collect();
            diesel::insert_into(a::audit_log).values(rows).execute(self.conn)?;
        }
        if !self.pending_stats.is_empty() {
            use crate::schema::stat_delta::dsl as sd;
            let rows: Vec<_> = self
                .pending_stats
                .drain(..)
                .map(|(m, p, t, v)| {
                    (sd::tenant_id.eq(tenant), sd::metric.eq(m), sd::period.eq(p), sd::insurance_type.eq(t), sd::value.eq(v))
                })
                .collect();
            diesel::insert_into(sd::stat_delta).values(rows).execute(self.conn)?;
        }
        if !self.pending_events.is_empty() {
            let rows: Vec<_> = self
                .pending_events
                .drain(..)
                .map(|e| {
                    (
                        ev::tenant_id.eq(tenant),
                        ev::person_id.eq(e.person_id),
                        ev::occurred_on.eq(e.occurred_on),
                        ev::kind.eq(e.kind),
                        ev::detail.eq(e.detail),
                        ev::office_id.eq(office),
                        ev::created_by.eq(user),
                    )
                })
                .collect();
            diesel::insert_into(ev::person_event).values(rows).execute(self.conn)?;
        }
        Ok(())
    }
}

use diesel::ExpressionMethods;

#[derive(diesel::QueryableByName)]
struct SessionRow {
    #[diesel(sql_type = Nullable<Text>)]
    status: Option<String>,
    #[diesel(sql_type = Bool)]
    revoked: bool,
}

impl Db {
    /// Runs `f` in a transaction scoped to `tenant`. For a user actor, the user must still be
    /// active and the token not revoked (checked in the database, so a Redis outage cannot
    /// readmit a revoked token). Blocks: call from a blocking thread.
    pub fn tenant<T, F>(&self, tenant: TenantId, actor: Actor, f: F) -> StoreResult<T>
    where
        F: FnOnce(&mut TenantTx<'_>) -> StoreResult<T>,
    {
        let mut conn = self.checkout()?;
        conn.transaction::<T, StoreError, _>(|conn| {
            diesel::sql_query("SELECT set_config('jinbao.tenant_id', $1, true)").bind::<Text, _>(tenant.0.to_string()).execute(conn)?;
            if let Actor::User { user_id, jti, .. } = &actor {
                let row: Option<SessionRow> = diesel::sql_query(
                    "SELECT (SELECT status FROM app_user WHERE tenant_id = $1 AND id = $2) AS status,
                            EXISTS (SELECT 1 FROM revoked_token WHERE tenant_id = $1 AND jti = $3) AS revoked",
                )
                .bind::<diesel::sql_types::Int2, _>(tenant.0)
                .bind::<diesel::sql_types::Int8, _>(*user_id)
                .bind::<Nullable<SqlUuid>, _>(*jti)
                .get_result(conn)
                .map(Some)?;
                match row {
                    Some(SessionRow { status: Some(s), revoked: false }) if s == "active" => {}
                    _ => return Err(StoreError::SessionInvalid),
                }
            }
            let mut tx = TenantTx { conn, tenant, actor, pending_audit: Vec::new(), pending_events: Vec::new(), pending_stats: Vec::new() };
            let out = f(&mut tx)?;
            tx.flush()?;
            Ok(out)
        })
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
