//! `tenants/` as configuration: validation naming file and field, idempotent sync, rule history.

use diesel::RunQueryDsl;
use jinbao_store::tenant_config;
use jinbao_tests::{count_sql, repo_root, TestApp};

#[test]
fn the_repository_tenant_files_describe_the_province_and_18_cities() {
    let tenants = tenant_config::load_dir(&repo_root().join("tenants")).unwrap_or_else(|e| panic!("{e:#?}"));
    assert_eq!(tenants.len(), 19);
    let pilots: Vec<&str> =
        tenants.iter().filter(|t| t.file.status == jinbao_domain::TenantStatus::Pilot).map(|t| t.file.code.as_str()).collect();
    assert_eq!(pilots, ["410600", "411000", "411600"]);
    let january = tenants.iter().filter(|t| t.rules.iter().any(|r| r.adjust_month == 1)).count();
    let july = tenants.iter().filter(|t| t.rules.iter().any(|r| r.adjust_month == 7)).count();
    assert!(january >= 2 && july >= 10, "january {january}, july {july}");
    let jiyuan = tenants.iter().find(|t| t.file.code.as_str() == "419001").unwrap();
    assert!(jiyuan.file.offices.iter().all(|o| o.code != "419000"));
}

#[test]
fn invalid_files_are_reported_by_file_and_field() {
    let dir = std::env::temp_dir().join(format!("jinbao-tenants-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = std::fs::read_to_string(repo_root().join("tenants/411000-xuchang.toml")).unwrap();
    std::fs::write(
        dir.join("411000-xuchang.toml"),
        good.replace("floor_pct = 60", "floor_pct = 400").replace("adjust_month = 7", "adjust_month = 13"),
    )
    .unwrap();
    std::fs::write(dir.join("411600-zhoukou.toml"), "id = 17\ncode = \"411600\"\n").unwrap();
    let errors = tenant_config::load_dir(&dir).unwrap_err();
    let all = errors.join("\n");
    assert!(all.contains("411000-xuchang.toml: rules[0].floor_pct"), "{all}");
    assert!(all.contains("411000-xuchang.toml: rules[0].adjust_month"), "{all}");
    assert!(all.contains("411600-zhoukou.toml") && all.contains("missing field"), "{all}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn sync_is_idempotent_and_keeps_rule_history() {
    let app = TestApp::start().await;
    let root = repo_root().join("tenants");
    let tenants = tenant_config::load_dir(&root).unwrap();
    let mut c = app.owner_conn();
    assert!(tenant_config::sync(&mut c, &tenants).unwrap().is_empty(), "the template was synced already");
    // Change Xuchang's average wage: a new rule version, the old one kept and superseded.
    let dir = std::env::temp_dir().join(format!("jinbao-tenants-{}", app.db_name));
    std::fs::create_dir_all(&dir).unwrap();
    for t in &tenants {
        let text = std::fs::read_to_string(&t.path).unwrap();
        let text =
            if t.file.code.as_str() == "411000" { text.replace("avg_wage_yuan = \"6385\"", "avg_wage_yuan = \"6500\"") } else { text };
        std::fs::write(dir.join(t.path.file_name().unwrap()), text).unwrap();
    }
    let changed = tenant_config::load_dir(&dir).unwrap();
    let changes = tenant_config::sync(&mut c, &changed).unwrap();
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert!(changes[0].starts_with("411000: rules from 2025-07 version 2"), "{changes:?}");
    assert_eq!(count_sql(&app, "411000", "SELECT count(*) AS n FROM tenant_rule"), 2);
    assert_eq!(count_sql(&app, "411000", "SELECT count(*) AS n FROM tenant_rule WHERE superseded_at IS NULL AND avg_wage_fen = 650000"), 1);
    assert_eq!(count_sql(&app, "411000", "SELECT count(*) AS n FROM tenant_rate r JOIN tenant_rule u ON u.tenant_id = r.tenant_id AND u.id = r.rule_id WHERE u.version = 2"), 14);
    assert_eq!(
        count_sql(
            &app,
            "411000",
            "SELECT count(*) AS n FROM audit_log WHERE action = 'tenant_rule.create' AND actor = 'system:tenants-sync'"
        ),
        2
    );
    assert!(tenant_config::sync(&mut c, &changed).unwrap().is_empty(), "second run changes nothing");
    // A name change is applied and audited; the status in the file is only the initial one (the
    // lifecycle owns it afterwards), so a changed status in the file changes nothing.
    let moved: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    for p in moved {
        if p.to_string_lossy().contains("410100") {
            let t = std::fs::read_to_string(&p)
                .unwrap()
                .replace("status = \"planned\"", "status = \"pilot\"")
                .replace("name_en = \"Zhengzhou\"", "name_en = \"Zhengzhou City\"");
            std::fs::write(&p, t).unwrap();
        }
    }
    let changes = tenant_config::sync(&mut c, &tenant_config::load_dir(&dir).unwrap()).unwrap();
    assert_eq!(changes, ["410100: tenant updated"]);
    #[derive(diesel::QueryableByName)]
    struct S {
        #[diesel(sql_type = diesel::sql_types::Text)]
        status: String,
    }
    let s: S = diesel::sql_query("SELECT status || ' ' || name_en AS status FROM tenant WHERE code = '410100'").get_result(&mut c).unwrap();
    assert_eq!(s.status, "planned Zhengzhou City");
    std::fs::remove_dir_all(&dir).unwrap();
}
