//! The analytics door: the province's cross-city figures, read through the `jinbao_analytics` role
//! (aggregates only, possibly on a replica). A [`ProvinceSession`] is the only way to its
//! connection, and the only way to a `ProvinceSession` for a logged-in user is
//! [`Analytics::open`], which first checks — in the caller's own tenant, on the app pool — that the
//! user is still active, the token not revoked, and that the caller's tenant is the province. No
//! route can read province figures and forget that check.

use diesel::pg::PgConnection;
use diesel::sql_types::{SmallInt, Text};
use diesel::RunQueryDsl;

use crate::error::{StoreError, StoreResult};
use crate::kinds::TenantKind;
use crate::pool::Db;
use crate::tenant_tx::{Actor, TenantId};

/// The analytics pool.
#[derive(Clone)]
pub struct Analytics {
    db: Db,
}

/// A checked province session (or the operator's command line): reads the analytics connection.
#[derive(Clone)]
pub struct ProvinceSession {
    db: Db,
}

/// The analytics connection, lent to the province repositories for one read.
pub struct AnalyticsConn<'c> {
    conn: &'c mut PgConnection,
}

impl AnalyticsConn<'_> {
    pub(crate) fn conn(&mut self) -> &mut PgConnection {
        self.conn
    }
}

impl Analytics {
    pub fn new(db: Db) -> Analytics {
        Analytics { db }
    }

    /// The pool, for health and metrics.
    pub fn pool(&self) -> &Db {
        &self.db
    }

    /// Checks the user's session in their own tenant (active, not revoked, token epoch current)
    /// and that the tenant is the province; only then hands out the analytics door. A city user
    /// gets [`StoreError::Forbidden`].
    pub fn open(&self, app: &Db, tenant: TenantId, actor: Actor) -> StoreResult<ProvinceSession> {
        #[derive(diesel::QueryableByName)]
        struct Kind {
            #[diesel(sql_type = Text)]
            kind: TenantKind,
        }
        let kind: Kind = app.tenant(tenant, actor, |tx| {
            Ok(diesel::sql_query("SELECT kind FROM tenant WHERE id = $1").bind::<SmallInt, _>(tx.tenant().0).get_result(tx.conn())?)
        })?;
        if kind.kind != TenantKind::Province {
            return Err(StoreError::Forbidden);
        }
        Ok(ProvinceSession { db: self.db.clone() })
    }

    /// The operator's command line (no user session): the same door without a token to check.
    pub fn for_operator(&self) -> ProvinceSession {
        ProvinceSession { db: self.db.clone() }
    }
}

impl ProvinceSession {
    /// Runs one read on an analytics connection. Blocks: call from a blocking thread.
    pub fn read<T, F>(&self, f: F) -> StoreResult<T>
    where
        F: FnOnce(&mut AnalyticsConn<'_>) -> StoreResult<T>,
    {
        let mut conn = self.db.checkout()?;
        f(&mut AnalyticsConn { conn: &mut conn })
    }
}
