//! The schema on a Citus cluster of its own (`infra/citus/cluster.sh`: a coordinator and two
//! workers under a scratch directory): distributed by `jinbao db distribute`, and tenant
//! isolation enforced by row-level security on the workers' shards for the app role.

use std::path::PathBuf;
use std::process::{Command, Output};

use jinbao_tests::cluster::{free_port, jinbao_bin, ok};
use jinbao_tests::repo_root;

struct Citus {
    dir: PathBuf,
    port: u16,
}

impl Citus {
    fn start() -> Citus {
        let dir = std::env::temp_dir().join(format!("jinbao-citus-{}-{}", std::process::id(), free_port()));
        let port = free_port();
        ok(&script(&["start", dir.to_str().unwrap(), &port.to_string()]), "citus cluster");
        Citus { dir, port }
    }

    fn url(&self, user: &str, db: &str) -> String {
        format!("postgres://{user}@127.0.0.1:{}/{db}", self.port)
    }

    fn jinbao(&self, args: &[&str]) -> Output {
        Command::new(jinbao_bin())
            .current_dir(repo_root())
            .args(args)
            .env("JINBAO_ADMIN_DATABASE_URL", self.url("postgres", "postgres"))
            .env("JINBAO_OWNER_DATABASE_URL", self.url("jinbao_owner", "jinbao"))
            .env("DATABASE_URL", self.url("jinbao_app", "jinbao"))
            .env("JINBAO_LOG", "warn")
            .output()
            .unwrap()
    }

    /// The statements in one session as `user`; the rows of the last one, `|`-separated.
    fn psql(&self, user: &str, statements: &[&str]) -> Output {
        let mut c = Command::new("psql");
        c.args([&self.url(user, "jinbao"), "-XAtq", "-v", "ON_ERROR_STOP=1"]);
        for s in statements {
            c.args(["-c", s]);
        }
        c.output().unwrap()
    }

    fn rows(&self, user: &str, statements: &[&str]) -> String {
        ok(&self.psql(user, statements), &statements.join("; ")).trim().to_string()
    }
}

fn script(args: &[&str]) -> Output {
    Command::new("bash").arg(repo_root().join("infra/citus/cluster.sh")).args(args).output().unwrap()
}

impl Drop for Citus {
    fn drop(&mut self) {
        let _ = script(&["stop", self.dir.to_str().unwrap()]);
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[test]
fn the_schema_distributes_by_tenant_and_the_workers_enforce_isolation() {
    let c = Citus::start();
    ok(&c.jinbao(&["db", "bootstrap"]), "bootstrap");
    ok(&script(&["database", c.dir.to_str().unwrap(), "jinbao"]), "database on every node");
    ok(&c.jinbao(&["migrate"]), "migrate");
    ok(&c.jinbao(&["tenants", "sync"]), "tenants sync");
    let first = ok(&c.jinbao(&["db", "distribute"]), "distribute");
    assert!(first.contains("6 reference tables"), "{first}");
    // Every table with a tenant_id is distributed by it, co-located; the others are reference
    // tables or (the migrations' own bookkeeping) stay on the coordinator.
    let undistributed = c.rows(
        "postgres",
        &["SELECT count(*) FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id'
           WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'
             AND NOT EXISTS (SELECT 1 FROM pg_dist_partition p WHERE p.logicalrelid = c.oid AND p.partmethod = 'h')"],
    );
    assert_eq!(undistributed, "0");
    assert_eq!(c.rows("postgres", &["SELECT count(DISTINCT colocationid) FROM pg_dist_partition WHERE partmethod = 'h'"]), "1");
    // Shards on both workers, and tenants' rows on both.
    let workers = c.rows("postgres", &["SELECT count(DISTINCT nodeport) FROM citus_shards WHERE citus_table_type = 'distributed'"]);
    assert_eq!(workers, "2");
    let nodes_with_offices = c.rows(
        "postgres",
        &["SELECT count(DISTINCT p.groupid) FROM (SELECT DISTINCT tenant_id FROM office) o
           JOIN pg_dist_placement p ON p.shardid = get_shard_id_for_distribution_column('office', o.tenant_id)"],
    );
    assert_eq!(nodes_with_offices, "2", "the 19 tenants' offices spread over both workers");
    // A second run changes nothing.
    let second = ok(&c.jinbao(&["db", "distribute"]), "distribute again");
    assert_eq!(
        second.lines().filter(|l| !l.contains("NOTICE")).collect::<Vec<_>>(),
        first.lines().filter(|l| !l.contains("NOTICE")).collect::<Vec<_>>()
    );

    let all = c.rows("postgres", &["SELECT count(*) FROM office"]).parse::<i64>().unwrap();
    let xuchang = c.rows("postgres", &["SELECT id FROM tenant WHERE code = '411000'"]);
    let own = c.rows("postgres", &[&format!("SELECT count(*) FROM office WHERE tenant_id = {xuchang}")]);
    assert!(all > own.parse::<i64>().unwrap() && own != "0", "{all} offices, {own} of Xuchang");
    // The app role: no tenant, no rows — on every shard.
    assert_eq!(c.rows("jinbao_app", &["SELECT count(*) FROM office"]), "0");
    // set_config stays on the coordinator: the workers see no tenant (the reason for set_tenant).
    assert_eq!(
        c.rows(
            "jinbao_app",
            &["BEGIN", &format!("SELECT set_config('jinbao.tenant_id', '{xuchang}', true)"), "SELECT count(*) FROM office", "COMMIT"]
        )
        .lines()
        .nth(1)
        .unwrap(),
        "0"
    );
    // set_tenant reaches the workers: exactly the tenant's own rows, in a query over every shard.
    let seen = c.rows(
        "jinbao_app",
        &["BEGIN", &format!("SELECT set_tenant({xuchang}::smallint)"), "SELECT count(*), count(DISTINCT tenant_id) FROM office", "COMMIT"],
    );
    assert_eq!(seen.lines().last().unwrap(), format!("{own}|1"));
    // Writing another tenant's row is refused by the policy on the worker.
    let other = c.rows("postgres", &["SELECT id FROM tenant WHERE code = '411600'"]);
    let out = c.psql(
        "jinbao_app",
        &[
            "BEGIN",
            &format!("SELECT set_tenant({xuchang}::smallint)"),
            &format!("INSERT INTO revoked_token (tenant_id, jti, user_id, expires_at) VALUES ({other}, gen_random_uuid(), 1, now() + interval '1 hour')"),
            "COMMIT",
        ],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("row-level security"), "{}", String::from_utf8_lossy(&out.stderr));
    // The same insert for its own tenant goes through.
    c.rows(
        "jinbao_app",
        &[
            "BEGIN",
            &format!("SELECT set_tenant({xuchang}::smallint)"),
            &format!("INSERT INTO revoked_token (tenant_id, jti, user_id, expires_at) VALUES ({xuchang}, gen_random_uuid(), 1, now() + interval '1 hour')"),
            "COMMIT",
        ],
    );
    assert_eq!(c.rows("postgres", &["SELECT count(*) FROM revoked_token"]), "1");

    // A big city on a shard of its own, then moved to the other worker: its rows follow, the
    // policy and forced RLS are on the new shard, and the city still sees exactly its own rows.
    let zz = c.rows("postgres", &["SELECT id FROM tenant WHERE code = '410100'"]);
    let zz_offices = c.rows("postgres", &[&format!("SELECT count(*) FROM office WHERE tenant_id = {zz}")]);
    let shard = c.rows("postgres", &[&format!("SELECT isolate_tenant_to_new_shard('office', {zz}::smallint, 'CASCADE')")]);
    let count_shards = |id: &str| {
        c.rows("postgres", &[&format!("SELECT count(*) FROM pg_dist_shard WHERE logicalrelid = 'office'::regclass AND shardid = {id}")])
    };
    assert_eq!(count_shards(&shard), "1");
    assert_eq!(
        c.rows("postgres", &[&format!("SELECT get_shard_id_for_distribution_column('office', {zz}::smallint)")]),
        shard,
        "Zhengzhou's offices are on the new shard"
    );
    let from = c.rows("postgres", &[&format!("SELECT nodeport FROM citus_shards WHERE shardid = {shard}")]);
    let to = if from == (c.port + 1).to_string() { c.port + 2 } else { c.port + 1 };
    c.rows(
        "postgres",
        &[&format!(
            "SELECT citus_move_shard_placement({shard}, '127.0.0.1', {from}, '127.0.0.1', {to}, shard_transfer_mode => 'block_writes')"
        )],
    );
    assert_eq!(c.rows("postgres", &[&format!("SELECT nodeport FROM citus_shards WHERE shardid = {shard}")]), to.to_string());
    let on_shard = c.rows(
        "postgres",
        &[&format!(
            "SELECT result FROM run_command_on_placements('office', $$SELECT c.relrowsecurity::text || ' ' || c.relforcerowsecurity::text
               || ' ' || (SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid) FROM pg_class c WHERE c.oid = '%s'::regclass$$)
             WHERE shardid = {shard}"
        )],
    );
    assert_eq!(on_shard, "true true 1", "row-level security, forced, with the tenant policy on the moved shard");
    let seen = c.rows(
        "jinbao_app",
        &["BEGIN", &format!("SELECT set_tenant({zz}::smallint)"), "SELECT count(*), count(DISTINCT tenant_id) FROM office", "COMMIT"],
    );
    assert_eq!(seen.lines().last().unwrap(), format!("{zz_offices}|1"));
    assert_eq!(c.rows("jinbao_app", &["SELECT count(*) FROM office"]), "0");
    let seen =
        c.rows("jinbao_app", &["BEGIN", &format!("SELECT set_tenant({xuchang}::smallint)"), "SELECT count(*) FROM office", "COMMIT"]);
    assert_eq!(seen.lines().last().unwrap(), own);
}

/// On a database without the extension (the normal single PostgreSQL), `jinbao db distribute`
/// refuses with a clear message and changes nothing.
#[tokio::test(flavor = "multi_thread")]
async fn distribute_refuses_a_database_without_citus() {
    let app = jinbao_tests::TestApp::start().await;
    let out = Command::new(jinbao_bin())
        .current_dir(repo_root())
        .args(["db", "distribute"])
        .env("JINBAO_ADMIN_DATABASE_URL", jinbao_tests::admin_url())
        .env("JINBAO_OWNER_DATABASE_URL", &app.owner_url)
        .env("JINBAO_LOG", "warn")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(stderr.contains("no citus extension"), "{stderr}");
    assert_eq!(jinbao_tests::count_sql(&app, "411000", "SELECT count(*) AS n FROM pg_extension WHERE extname = 'citus'"), 0);
}
