//! Every privilege of every database role, compared with the reviewed list in
//! `tests/it/reviewed_grants.txt`: a migration that grants something new fails here until the
//! list is reviewed and updated (`JINBAO_WRITE_GRANTS=1` rewrites it from the database for review).

use diesel::RunQueryDsl;
use jinbao_tests::TestApp;

#[derive(diesel::QueryableByName)]
struct Line {
    #[diesel(sql_type = diesel::sql_types::Text)]
    line: String,
}

/// One line per privilege: role attributes and memberships, schema, table, column, sequence and
/// function privileges of the platform's roles and PUBLIC (for functions).
const GRANTS: &str = r"
WITH roles AS (SELECT oid, rolname FROM pg_roles WHERE rolname LIKE 'jinbao\_%'),
acl AS (
    SELECT 'schema ' || n.nspname AS object, a.privilege_type, a.grantee
    FROM pg_namespace n, aclexplode(n.nspacl) a WHERE n.nspname = 'public'
    UNION ALL
    SELECT CASE c.relkind WHEN 'S' THEN 'sequence ' ELSE 'table ' END || c.relname, a.privilege_type, a.grantee
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace, aclexplode(c.relacl) a
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'v', 'm', 'S', 'p')
    UNION ALL
    SELECT 'column ' || c.relname || '.' || att.attname, a.privilege_type, a.grantee
    FROM pg_attribute att JOIN pg_class c ON c.oid = att.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace,
         aclexplode(att.attacl) a
    WHERE n.nspname = 'public' AND att.attnum > 0 AND NOT att.attisdropped
    UNION ALL
    SELECT 'function ' || p.oid::regprocedure::text || CASE WHEN p.prosecdef THEN ' [definer ' || pg_get_userbyid(p.proowner) || ']' ELSE '' END,
           a.privilege_type, a.grantee
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace,
         aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
    WHERE n.nspname = 'public'
)
SELECT acl.object || ' ' || acl.privilege_type || ' to ' || coalesce(r.rolname, 'PUBLIC') AS line
FROM acl LEFT JOIN roles r ON r.oid = acl.grantee
WHERE (r.rolname IS NOT NULL AND r.rolname <> 'jinbao_owner') OR acl.grantee = 0
UNION ALL
SELECT 'role ' || rolname || ' login=' || rolcanlogin || ' superuser=' || rolsuper || ' bypassrls=' || rolbypassrls
       || ' createrole=' || rolcreaterole || ' createdb=' || rolcreatedb
FROM pg_roles WHERE rolname LIKE 'jinbao\_%'
UNION ALL
SELECT 'member ' || m.rolname || ' of ' || g.rolname
FROM pg_auth_members am JOIN pg_roles m ON m.oid = am.member JOIN pg_roles g ON g.oid = am.roleid
WHERE m.rolname LIKE 'jinbao\_%' OR g.rolname LIKE 'jinbao\_%'
ORDER BY 1";

#[tokio::test(flavor = "multi_thread")]
async fn every_grant_is_reviewed() {
    let app = TestApp::start().await;
    let mut c = app.owner_conn();
    let now: Vec<String> = diesel::sql_query(GRANTS).load::<Line>(&mut c).unwrap().into_iter().map(|l| l.line).collect();
    let path = jinbao_tests::repo_root().join("tests/it/reviewed_grants.txt");
    if std::env::var("JINBAO_WRITE_GRANTS").is_ok_and(|v| v == "1") {
        std::fs::write(&path, now.join("\n") + "\n").unwrap();
    }
    let reviewed: Vec<String> = std::fs::read_to_string(&path).unwrap_or_default().lines().map(str::to_string).collect();
    let added: Vec<&String> = now.iter().filter(|l| !reviewed.contains(l)).collect();
    let removed: Vec<&String> = reviewed.iter().filter(|l| !now.contains(l)).collect();
    assert!(
        added.is_empty() && removed.is_empty(),
        "grants differ from the reviewed list\nnot reviewed:\n{added:#?}\nno longer granted:\n{removed:#?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_least_privilege_points_hold() {
    let app = TestApp::start().await;
    let mut c = app.owner_conn();
    let now: Vec<String> = diesel::sql_query(GRANTS).load::<Line>(&mut c).unwrap().into_iter().map(|l| l.line).collect();
    let has = |l: &str| now.iter().any(|x| x == l);
    assert!(!now
        .iter()
        .any(|l| l.starts_with("table tenant UPDATE") || l.starts_with("column tenant.") && l.contains("UPDATE to jinbao_app")));
    assert!(!has("column audit_log.at INSERT to jinbao_app"));
    assert!(!has("schema public CREATE to jinbao_transfer"));
    assert!(has("role jinbao_app login=true superuser=false bypassrls=false createrole=false createdb=false"));
    // No function running with its owner's rights is callable by everyone.
    let open: Vec<&String> = now.iter().filter(|l| l.contains("[definer") && l.ends_with("EXECUTE to PUBLIC")).collect();
    assert!(open.is_empty(), "{open:#?}");
}
