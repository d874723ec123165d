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
pub struct TenantTx<'c> {
    conn: &'c mut PgConnection,
    tenant: TenantId,
    actor: Actor,
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
        use crate::schema::audit_log::dsl as a;
        diesel::insert_into(a::audit_log)
            .values((
                a::tenant_id.eq(self.tenant.0),
                a::user_id.eq(self.actor.user_id()),
                a::office_id.eq(self.actor.office_id()),
                a::actor.eq(self.actor.label()),
                a::action.eq(action),
                a::entity.eq(entity),
                a::entity_id.eq(entity_id),
                a::before.eq(before),
                a::after.eq(after),
                a::reason.eq(reason),
                a::request_id.eq(self.actor.request_id()),
            ))
            .execute(self.conn)?;
        Ok(())
    }

    /// Records several created records of one kind in one statement (no before, no reason).
    pub fn audit_created(&mut self, action: &str, entity: &str, items: &[(String, Value)]) -> StoreResult<()> {
        use crate::schema::audit_log::dsl as a;
        if items.is_empty() {
            return Ok(());
        }
        let (tenant, user, office, actor, request) =
            (self.tenant.0, self.actor.user_id(), self.actor.office_id(), self.actor.label(), self.actor.request_id());
        let rows: Vec<_> = items
            .iter()
            .map(|(id, after)| {
                (
                    a::tenant_id.eq(tenant),
                    a::user_id.eq(user),
                    a::office_id.eq(office),
                    a::actor.eq(actor.clone()),
                    a::action.eq(action),
                    a::entity.eq(entity),
                    a::entity_id.eq(id.as_str()),
                    a::after.eq(Some(after.clone())),
                    a::request_id.eq(request.clone()),
                )
            })
            .collect();
        diesel::insert_into(a::audit_log).values(rows).execute(self.conn)?;
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
            let mut tx = TenantTx { conn, tenant, actor };
            f(&mut tx)
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
