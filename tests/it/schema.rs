//! Migrations apply, revert and re-apply cleanly, so `down.sql` stays true.

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection, RunQueryDsl};
use jinbao_store::bootstrap::{with_database, with_user, OWNER_ROLE};

#[test]
fn migrations_apply_revert_and_reapply() {
    let admin = jinbao_tests::admin_url();
    jinbao_store::bootstrap::bootstrap(&admin, None, None).unwrap();
    let name = format!("jinbao_t_{}_migrations", std::process::id());
    let mut c = PgConnection::establish(&admin).unwrap();
    c.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).unwrap();
    c.batch_execute(&format!("CREATE DATABASE {name} OWNER {OWNER_ROLE} TEMPLATE template0")).unwrap();
    let owner = with_user(&with_database(&admin, &name), OWNER_ROLE);
    let applied = jinbao_store::migrate::run_pending(&owner).unwrap();
    assert!(!applied.is_empty());
    let reverted = jinbao_store::migrate::revert_all(&owner).unwrap();
    assert_eq!(reverted, applied.len());
    let again = jinbao_store::migrate::run_pending(&owner).unwrap();
    assert_eq!(again, applied);
    assert!(jinbao_store::migrate::run_pending(&owner).unwrap().is_empty(), "nothing left pending");
    c.batch_execute(&format!("DROP DATABASE {name} WITH (FORCE)")).unwrap();
}

/// Every closed vocabulary of the code (`jinbao_store::kinds`) is exactly the `CHECK (… IN (…))`
/// of its columns, so a variant the database refuses, or a value the code cannot read, fails here.
#[tokio::test(flavor = "multi_thread")]
async fn text_enums_match_the_checks_of_their_columns() {
    use jinbao_store::kinds::*;
    let app = jinbao_tests::TestApp::start().await;
    let mut c = app.owner_conn();
    #[derive(diesel::QueryableByName)]
    struct Def {
        #[diesel(sql_type = diesel::sql_types::Text)]
        def: String,
    }
    let mut check = |table: &str, column: &str, variants: Vec<&str>| {
        let defs: Vec<Def> =
            diesel::sql_query("SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'c'")
                .bind::<diesel::sql_types::Text, _>(table)
                .load(&mut c)
                .unwrap();
        let def = defs
            .iter()
            .map(|d| d.def.as_str())
            .find(|d| d.starts_with(&format!("CHECK (({column} = ANY (ARRAY[")) && d.ends_with("])))"))
            .unwrap_or_else(|| panic!("no CHECK on {table}.{column}: {:?}", defs.iter().map(|d| &d.def).collect::<Vec<_>>()));
        let mut allowed: Vec<&str> = def.split('\'').skip(1).step_by(2).collect();
        let mut ours = variants;
        allowed.sort_unstable();
        ours.sort_unstable();
        assert_eq!(ours, allowed, "{table}.{column}");
    };
    check("benefit_claim", "status", ClaimStatus::ALL.iter().map(|v| v.as_str()).collect());
    check("benefit_claim", "kind", ClaimKind::ALL.iter().map(|v| v.as_str()).collect());
    check("benefit_claim", "channel", PaymentChannel::ALL.iter().map(|v| v.as_str()).collect());
    check("channel_change", "status", Decision::ALL.iter().map(|v| v.as_str()).collect());
    check("channel_change", "channel", PaymentChannel::ALL.iter().map(|v| v.as_str()).collect());
    check("claim_revision", "status", Decision::ALL.iter().map(|v| v.as_str()).collect());
    check("payment_batch", "status", BatchStatus::ALL.iter().map(|v| v.as_str()).collect());
    check("payment_line", "status", LineStatus::ALL.iter().map(|v| v.as_str()).collect());
    check("transfer", "side", TransferSide::ALL.iter().map(|v| v.as_str()).collect());
    check("transfer", "state", TransferState::ALL.iter().map(|v| v.as_str()).collect());
    check("enrolment", "status", EnrolmentStatus::ALL.iter().map(|v| v.as_str()).collect());
    check("app_user", "status", UserStatus::ALL.iter().map(|v| v.as_str()).collect());
    check("job", "status", JobStatus::ALL.iter().map(|v| v.as_str()).collect());
    check("assessment_period", "status", PeriodStatus::ALL.iter().map(|v| v.as_str()).collect());
    check("unemployment_registration", "status", RegistrationStatus::ALL.iter().map(|v| v.as_str()).collect());
    check("tenant", "kind", TenantKind::ALL.iter().map(|v| v.as_str()).collect());
    check("person", "gender", vec!["male", "female"]);
}

/// `jinbao migrate --check` says what an upgrade would run and changes nothing: up to date on a
/// migrated database (exit 0), the missing migration named with exit status 3 otherwise.
#[tokio::test(flavor = "multi_thread")]
async fn migrate_check_names_what_would_run_and_changes_nothing() {
    let app = jinbao_tests::TestApp::start().await;
    let bin = jinbao_tests::repo_root().join("target").join(if cfg!(debug_assertions) { "debug" } else { "release" }).join("jinbao");
    let check = || {
        std::process::Command::new(&bin)
            .args(["migrate", "--check"])
            .env("JINBAO_OWNER_DATABASE_URL", &app.owner_url)
            .env("JINBAO_LOG", "warn")
            .output()
            .unwrap()
    };
    let out = check();
    assert_eq!((out.status.code(), String::from_utf8_lossy(&out.stdout).trim()), (Some(0), "database is up to date"));
    let mut c = app.owner_conn();
    c.batch_execute("DELETE FROM __diesel_schema_migrations WHERE version = (SELECT max(version) FROM __diesel_schema_migrations)")
        .unwrap();
    let out = check();
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert_eq!(out.status.code(), Some(3), "{text}");
    let newest = std::fs::read_dir(jinbao_tests::repo_root().join("migrations"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with("20"))
        .max()
        .unwrap();
    assert_eq!(text.trim(), format!("pending {newest}"));
    // Still pending: the check applied nothing.
    assert_eq!(check().status.code(), Some(3));
}

/// A tenant table added by a migration once the schema is distributed (docs/architecture.md,
/// "Adding a tenant table"): created without foreign keys, row-level security on,
/// `distribute_new_tenant_table`, then its keys and grants. Isolated like every other table on one
/// PostgreSQL; in the Citus profile (`infra/citus/test.sh`) also distributed with the cities'
/// other rows, its keys and policy holding on the workers.
#[tokio::test(flavor = "multi_thread")]
async fn a_tenant_table_added_later_is_isolated_and_on_citus_distributed() {
    use jinbao_tests::{id_number, register_person, TestApp};
    let app = TestApp::start().await;
    app.owner_conn()
        .batch_execute(
            "BEGIN;
             CREATE TABLE later_note (tenant_id smallint NOT NULL, id bigint GENERATED ALWAYS AS IDENTITY,
                                      person_id bigint NOT NULL, note text NOT NULL, PRIMARY KEY (tenant_id, id));
             SELECT enable_tenant_rls('later_note'::regclass);
             SELECT distribute_new_tenant_table('later_note'::regclass);
             ALTER TABLE later_note ADD FOREIGN KEY (tenant_id) REFERENCES tenant (id);
             ALTER TABLE later_note ADD FOREIGN KEY (tenant_id, person_id) REFERENCES person (tenant_id, id);
             GRANT SELECT, INSERT ON later_note TO jinbao_app;
             COMMIT;",
        )
        .unwrap();
    if std::env::var_os("JINBAO_TEST_CITUS_DIR").is_some() {
        let colocated = jinbao_tests::count_sql(
            &app,
            "411000",
            "SELECT count(*) AS n FROM pg_dist_partition n JOIN pg_dist_partition p ON p.logicalrelid = 'person'::regclass
             WHERE n.logicalrelid = 'later_note'::regclass AND n.partmethod = 'h' AND n.colocationid = p.colocationid",
        );
        assert_eq!(colocated, 1, "distributed by tenant_id with person");
    }
    let xc = app.token("411000", "xc", &["clerk"]).await;
    let zk = app.token("411600", "zk", &["clerk"]).await;
    let p_xc = register_person(&app, &xc, &id_number("411002", "19800101", 31), "许昌人").await["id"].as_i64().unwrap();
    let p_zk = register_person(&app, &zk, &id_number("411602", "19800101", 32), "周口人").await["id"].as_i64().unwrap();
    let (t_xc, t_zk) = (app.tenant_id("411000").0, app.tenant_id("411600").0);
    let as_app = |tenant: i16, sql: &str| {
        let mut c = app.app_conn();
        c.batch_execute(&format!("BEGIN; SELECT set_tenant({tenant}::smallint); {sql}; COMMIT;"))
    };
    as_app(t_xc, &format!("INSERT INTO later_note (tenant_id, person_id, note) VALUES ({t_xc}, {p_xc}, '随访')")).unwrap();
    // Another city's person is not this city's: the key refuses it.
    assert!(as_app(t_xc, &format!("INSERT INTO later_note (tenant_id, person_id, note) VALUES ({t_xc}, {p_zk}, 'x')")).is_err());
    // A row placed in another city is refused by the policy.
    assert!(as_app(t_xc, &format!("INSERT INTO later_note (tenant_id, person_id, note) VALUES ({t_zk}, {p_zk}, 'x')")).is_err());
    assert_eq!(jinbao_tests::count_sql(&app, "411000", "SELECT count(*) AS n FROM later_note"), 1);
    assert_eq!(jinbao_tests::count_sql(&app, "411600", "SELECT count(*) AS n FROM later_note"), 0);
    let mut c = app.app_conn();
    #[derive(diesel::QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let without_tenant: N = diesel::sql_query("SELECT count(*) AS n FROM later_note").get_result(&mut c).unwrap();
    assert_eq!(without_tenant.n, 0, "no tenant, no rows");
}
