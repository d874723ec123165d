//! Connection pool with the settings the service needs: short checkout timeout, no health query
//! on every checkout, a statement timeout and an application name on every new connection.

use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool, PooledConnection};
use diesel::RunQueryDsl;

use crate::error::StoreError;

pub type PgPool = Pool<ConnectionManager<PgConnection>>;
pub type PgPooled = PooledConnection<ConnectionManager<PgConnection>>;

#[derive(Debug, Clone)]
pub struct PoolSettings {
    pub max_size: u32,
    pub connection_timeout: Duration,
    pub statement_timeout_ms: u32,
    pub application_name: String,
    /// Keep an idle connection ready and reap old ones in the background (the server). A short
    /// command opens connections only when it asks for one, so that no pool thread is still
    /// connecting — inside libpq and OpenSSL — while the process exits (which crashed the
    /// command at exit about once in twenty runs).
    pub background: bool,
}

impl Default for PoolSettings {
    fn default() -> Self {
        Self {
            max_size: 16,
            connection_timeout: Duration::from_secs(3),
            statement_timeout_ms: 30_000,
            application_name: "jinbao".into(),
            background: true,
        }
    }
}

impl PoolSettings {
    /// For a command-line run: no background connections.
    pub fn for_command(max_size: u32, statement_timeout_ms: u32) -> PoolSettings {
        PoolSettings { max_size, statement_timeout_ms, application_name: "jinbao-cli".into(), background: false, ..PoolSettings::default() }
    }
}

#[derive(Debug)]
struct SessionSetup {
    statement_timeout_ms: u32,
    application_name: String,
}

impl CustomizeConnection<PgConnection, diesel::r2d2::Error> for SessionSetup {
    fn on_acquire(&self, conn: &mut PgConnection) -> Result<(), diesel::r2d2::Error> {
        let app = self.application_name.replace('\'', "");
        conn.batch_execute(&format!(
            "SET statement_timeout = {}; SET application_name = '{app}'; SET TIME ZONE 'Asia/Shanghai'",
            self.statement_timeout_ms
        ))
        .map_err(diesel::r2d2::Error::QueryError)
    }
}

/// The shared pool. Cloning is cheap.
#[derive(Clone)]
pub struct Db {
    pool: PgPool,
}

impl Db {
    pub fn connect(url: &str, settings: &PoolSettings) -> Result<Db, StoreError> {
        let manager = ConnectionManager::<PgConnection>::new(url);
        let builder = Pool::builder();
        let builder =
            if settings.background { builder.min_idle(Some(1)) } else { builder.min_idle(Some(0)).idle_timeout(None).max_lifetime(None) };
        let pool = builder
            .max_size(settings.max_size)
            .connection_timeout(settings.connection_timeout)
            .test_on_check_out(false)
            .connection_customizer(Box::new(SessionSetup {
                statement_timeout_ms: settings.statement_timeout_ms,
                application_name: settings.application_name.clone(),
            }))
            .build(manager)
            .map_err(|e| StoreError::Unavailable(e.to_string()))?;
        Ok(Db { pool })
    }

    pub(crate) fn checkout(&self) -> Result<PgPooled, StoreError> {
        self.pool.get().map_err(|e| StoreError::Unavailable(e.to_string()))
    }

    /// (connections, idle) for the metrics endpoint.
    pub fn pool_state(&self) -> (u32, u32) {
        let s = self.pool.state();
        (s.connections, s.idle_connections)
    }

    pub fn max_size(&self) -> u32 {
        self.pool.max_size()
    }

    /// `SELECT 1` for readiness probes.
    pub fn ping(&self) -> Result<(), StoreError> {
        let mut c = self.checkout()?;
        diesel::sql_query("SELECT 1").execute(&mut c)?;
        Ok(())
    }

    /// Refuses a role that would defeat row-level security: superuser, BYPASSRLS, or owner of
    /// any tenant table.
    pub fn assert_app_role_is_confined(&self) -> Result<(), StoreError> {
        use diesel::sql_types::{Bool, Text};
        #[derive(diesel::QueryableByName)]
        struct RoleFacts {
            #[diesel(sql_type = Text)]
            rolname: String,
            #[diesel(sql_type = Bool)]
            rolsuper: bool,
            #[diesel(sql_type = Bool)]
            rolbypassrls: bool,
            #[diesel(sql_type = Bool)]
            owns_tables: bool,
        }
        let mut c = self.checkout()?;
        let f: RoleFacts = diesel::sql_query(
            "SELECT r.rolname::text AS rolname, r.rolsuper, r.rolbypassrls,
                    EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                            WHERE n.nspname = 'public' AND c.relkind = 'r'
                              AND pg_has_role(current_user, c.relowner, 'USAGE')) AS owns_tables
             FROM pg_roles r WHERE r.rolname = current_user",
        )
        .get_result(&mut c)?;
        if f.rolsuper || f.rolbypassrls || f.owns_tables {
            return Err(StoreError::Other(anyhow::anyhow!(
                "refusing to serve as role `{}`: superuser={}, bypassrls={}, owns tables={} — \
                 connect as the app role (jinbao_app) so row-level security applies",
                f.rolname,
                f.rolsuper,
                f.rolbypassrls,
                f.owns_tables
            )));
        }
        Ok(())
    }
}
