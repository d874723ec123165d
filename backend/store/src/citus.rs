//! Citus, the scale-out path (docs/scaling.md): the schema distributed by `tenant_id`.

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Text};

use crate::bootstrap::{ANALYTICS_ROLE, APP_ROLE, OWNER_ROLE, PUBLIC_ROLE, TRANSFER_ROLE};

#[derive(QueryableByName)]
struct Flag {
    #[diesel(sql_type = Bool)]
    flag: bool,
}

/// One line of the placement summary: a node and the shards it holds.
#[derive(Debug, QueryableByName)]
pub struct NodeShards {
    #[diesel(sql_type = Text)]
    pub node: String,
    #[diesel(sql_type = BigInt)]
    pub shards: i64,
}

/// What the database looks like after [`distribute`].
#[derive(Debug)]
pub struct Distribution {
    pub reference_tables: i64,
    pub distributed_tables: i64,
    pub nodes: Vec<NodeShards>,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Distributes the schema on a Citus coordinator (`citus/distribute.sql`, as the schema owner, one
/// transaction, idempotent) and makes the tenant setting reach the workers: the roles that set it
/// get `citus.propagate_set_commands = 'local'` (as the superuser of `admin_url`). Fails with a
/// clear message on a database without the extension.
pub fn distribute(owner_url: &str, admin_url: &str) -> anyhow::Result<Distribution> {
    let mut owner = PgConnection::establish(owner_url)?;
    let citus: Flag =
        diesel::sql_query("SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') AS flag").get_result(&mut owner)?;
    anyhow::ensure!(
        citus.flag,
        "this database has no citus extension: `jinbao db distribute` is for a Citus coordinator (infra/citus/cluster.sh)"
    );
    owner.batch_execute(include_str!("citus/distribute.sql"))?;
    // A role's settings are one catalogue row per cluster: one writer at a time (databases are
    // distributed in parallel by the tests), and only when missing.
    let mut admin = PgConnection::establish(admin_url)?;
    admin.batch_execute("SELECT pg_advisory_lock(hashtext('jinbao distribute'))")?;
    for role in [APP_ROLE, ANALYTICS_ROLE, OWNER_ROLE] {
        let set: Flag = diesel::sql_query(
            "SELECT EXISTS (SELECT 1 FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole
                             WHERE r.rolname = $1 AND s.setdatabase = 0
                               AND 'citus.propagate_set_commands=local' = ANY (s.setconfig)) AS flag",
        )
        .bind::<Text, _>(role)
        .get_result(&mut admin)?;
        if !set.flag {
            admin.batch_execute(&format!("ALTER ROLE {role} SET citus.propagate_set_commands = 'local'"))?;
        }
    }
    // The cross-city transfer functions run as their owner, and online service runs as
    // `jinbao_public` (SET ROLE); Citus reaches the workers' shards by connecting as the current
    // user, so both must be able to log in there. Their logins are limited in pg_hba.conf to the
    // coordinator's connections (docs/scaling.md).
    for role in [TRANSFER_ROLE, PUBLIC_ROLE] {
        let login: Flag = diesel::sql_query("SELECT rolcanlogin AS flag FROM pg_roles WHERE rolname = $1")
            .bind::<Text, _>(role)
            .get_result(&mut admin)?;
        if !login.flag {
            admin.batch_execute(&format!("ALTER ROLE {role} LOGIN"))?;
        }
    }
    admin.batch_execute("SELECT pg_advisory_unlock(hashtext('jinbao distribute'))")?;
    let count = |conn: &mut PgConnection, sql: &str| -> anyhow::Result<i64> { Ok(diesel::sql_query(sql).get_result::<Count>(conn)?.n) };
    Ok(Distribution {
        reference_tables: count(&mut owner, "SELECT count(*) AS n FROM pg_dist_partition WHERE partmethod = 'n' AND repmodel = 't'")?,
        distributed_tables: count(&mut owner, "SELECT count(*) AS n FROM pg_dist_partition WHERE partmethod = 'h'")?,
        nodes: diesel::sql_query(
            "SELECT nodename || ':' || nodeport AS node, count(*) AS shards FROM citus_shards
             WHERE citus_table_type = 'distributed' GROUP BY 1 ORDER BY 1",
        )
        .load(&mut owner)?,
    })
}
