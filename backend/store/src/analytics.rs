//! The analytics door: the province's cross-city figures, read through the `jinbao_analytics` role
//! (aggregates only, possibly on a replica). A [`ProvinceSession`] is the only way to its
//! connection, and the only way to a `ProvinceSession` for a logged-in user is
//! [`Analytics::open`], which first checks — in the caller's own tenant, on the app pool — that the
//! user is still active, the token not revoked, and that the caller's tenant is the province. No
//! route can read province figures and forget that check.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use diesel::pg::PgConnection;
use diesel::sql_types::{Bool, Double, SmallInt, Text};
use diesel::RunQueryDsl;

use crate::error::{StoreError, StoreResult};
use crate::kinds::TenantKind;
use crate::pool::Db;
use crate::tenant_tx::{Actor, TenantId};

/// The analytics pools: the primary's, and a streaming replica's when one is configured.
#[derive(Clone)]
pub struct Analytics {
    db: Db,
    replica: Option<Replica>,
}

/// A hot standby the province reads from while it answers and is not too far behind.
#[derive(Clone)]
struct Replica {
    db: Db,
    max_lag_seconds: f64,
    /// The last check and when it was made (checks are at most every [`CHECK_EVERY`]).
    last: Arc<Mutex<Option<(Instant, ReplicaCheck)>>>,
}

/// How often the replica's state is asked at most.
const CHECK_EVERY: Duration = Duration::from_secs(5);

/// What the last check of the replica found.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ReplicaCheck {
    /// It answered; its figures are this many seconds behind the primary's.
    Lag(f64),
    /// It did not answer, or it is no safe place to read (a role not confined by row-level security).
    Down,
}

/// Where the figures of a province session are read, and how fresh they are.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct Freshness {
    /// `replica` or `primary`.
    pub source: String,
    /// The replica: `none` (not configured), `ok`, `behind` (over the bound; read from the
    /// primary instead) or `down` (read from the primary instead).
    pub replica: String,
    /// How far the replica is behind, when it answered.
    pub lag_seconds: Option<f64>,
    /// The figures are as of this moment.
    pub as_of: chrono::DateTime<chrono::Utc>,
}

/// A checked province session (or the operator's command line): reads the analytics connection.
#[derive(Clone)]
pub struct ProvinceSession {
    db: Db,
    freshness: Freshness,
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
        Analytics { db, replica: None }
    }

    /// Reads from `replica` while it answers and is at most `max_lag_seconds` behind; from the
    /// primary's analytics pool `db` otherwise. City work never uses either.
    pub fn with_replica(db: Db, replica: Db, max_lag_seconds: f64) -> Analytics {
        Analytics { db, replica: Some(Replica { db: replica, max_lag_seconds, last: Arc::default() }) }
    }

    /// The replica's state (checked at most every few seconds); `None` without a replica.
    pub fn replica_check(&self) -> Option<ReplicaCheck> {
        self.replica.as_ref().map(Replica::check)
    }

    /// The pool to read from now, and what the reader should be told about it.
    fn choose(&self) -> (Db, Freshness) {
        let now = chrono::Utc::now();
        let primary = |replica: &str, lag: Option<f64>| {
            (self.db.clone(), Freshness { source: "primary".into(), replica: replica.into(), lag_seconds: lag, as_of: now })
        };
        let Some(r) = &self.replica else { return primary("none", None) };
        match r.check() {
            ReplicaCheck::Lag(lag) if lag <= r.max_lag_seconds => {
                let as_of = now - chrono::Duration::milliseconds((lag * 1000.0) as i64);
                (r.db.clone(), Freshness { source: "replica".into(), replica: "ok".into(), lag_seconds: Some(lag), as_of })
            }
            ReplicaCheck::Lag(lag) => primary("behind", Some(lag)),
            ReplicaCheck::Down => primary("down", None),
        }
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
        let (db, freshness) = self.choose();
        Ok(ProvinceSession { db, freshness })
    }

    /// The operator's command line (no user session): the same door without a token to check.
    pub fn for_operator(&self) -> ProvinceSession {
        let (db, freshness) = self.choose();
        ProvinceSession { db, freshness }
    }
}

impl Replica {
    fn check(&self) -> ReplicaCheck {
        let mut last = self.last.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((at, c)) = *last {
            if at.elapsed() < CHECK_EVERY {
                return c;
            }
        }
        let c = self.ask();
        *last = Some((Instant::now(), c));
        c
    }

    /// Lag: none when everything received is replayed (an idle primary sends nothing new), else
    /// the age of the last transaction replayed. A server that is not in recovery is a primary:
    /// no lag. A role that row-level security does not confine makes the replica unusable.
    fn ask(&self) -> ReplicaCheck {
        #[derive(diesel::QueryableByName)]
        struct State {
            #[diesel(sql_type = Double)]
            lag: f64,
            #[diesel(sql_type = Bool)]
            confined: bool,
        }
        let state = self.db.checkout().and_then(|mut c| {
            Ok(diesel::sql_query(
                "SELECT CASE WHEN NOT pg_is_in_recovery() OR pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
                             ELSE coalesce(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), 0) END::float8 AS lag,
                        NOT (r.rolsuper OR r.rolbypassrls) AS confined
                 FROM pg_roles r WHERE r.rolname = current_user",
            )
            .get_result::<State>(&mut c)?)
        });
        match state {
            Ok(s) if s.confined => ReplicaCheck::Lag(s.lag.max(0.0)),
            Ok(_) => {
                tracing::error!("the replica's role is not confined by row-level security: not read");
                ReplicaCheck::Down
            }
            Err(e) => {
                tracing::warn!(error = %e, "the replica does not answer: the province reads the primary");
                ReplicaCheck::Down
            }
        }
    }
}

impl ProvinceSession {
    /// Where this session reads, and how fresh its figures are.
    pub fn freshness(&self) -> &Freshness {
        &self.freshness
    }

    /// Runs one read on an analytics connection. Blocks: call from a blocking thread.
    pub fn read<T, F>(&self, f: F) -> StoreResult<T>
    where
        F: FnOnce(&mut AnalyticsConn<'_>) -> StoreResult<T>,
    {
        let mut conn = self.db.checkout()?;
        f(&mut AnalyticsConn { conn: &mut conn })
    }
}
