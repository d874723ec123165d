//! Tenant isolation through HTTP and through SQL as the app role.

use diesel::connection::SimpleConnection;
use diesel::{Connection, RunQueryDsl};
use jinbao_tests::{count_sql, credit_code, id_number, register_employer, register_person, TestApp};
use serde_json::{json, Value};

/// Xuchang and Zhoukou each get a person, an employer and an employment.
struct TwoCities {
    app: TestApp,
    xc: String,
    zk: String,
    zk_person: i64,
    zk_employer: i64,
    zk_employment: i64,
}

async fn two_cities() -> TwoCities {
    let app = TestApp::start().await;
    let xc = app.token("411000", "xc_clerk", &["clerk"]).await;
    let zk = app.token("411600", "zk_clerk", &["clerk"]).await;
    let p = register_person(&app, &xc, &id_number("411002", "19850101", 11), "许一").await;
    let e = register_employer(&app, &xc, &credit_code("411000", "MA0000001"), "许昌一厂").await;
    let r = app.post(&xc, "/api/v1/employments", &json!({"person_id": p["id"], "employer_id": e["id"], "start_date": "2024-03-01"})).await;
    assert_eq!(r.status(), 201);
    let zp = register_person(&app, &zk, &id_number("411602", "19780615", 52), "周二").await;
    let ze = register_employer(&app, &zk, &credit_code("411600", "MA0000002"), "周口二厂").await;
    let r =
        app.post(&zk, "/api/v1/employments", &json!({"person_id": zp["id"], "employer_id": ze["id"], "start_date": "2023-05-01"})).await;
    assert_eq!(r.status(), 201);
    let zm: Value = r.json().await.unwrap();
    TwoCities {
        zk_person: zp["id"].as_i64().unwrap(),
        zk_employer: ze["id"].as_i64().unwrap(),
        zk_employment: zm["id"].as_i64().unwrap(),
        app,
        xc,
        zk,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_user_of_one_city_cannot_read_or_change_another_citys_records() {
    let t = two_cities().await;
    let app = &t.app;
    // Reads: 404 exactly as for a missing record.
    for path in [
        format!("/api/v1/persons/{}", t.zk_person),
        format!("/api/v1/persons/{}/timeline", t.zk_person),
        format!("/api/v1/persons/{}/employments", t.zk_person),
        format!("/api/v1/employers/{}", t.zk_employer),
        format!("/api/v1/employers/{}/employees", t.zk_employer),
    ] {
        let r = app.get(&t.xc, &path).await;
        assert_eq!(r.status(), 404, "{path}");
        let missing =
            app.get(&t.xc, &path.replace(&format!("/{}", t.zk_person), "/999999").replace(&format!("/{}", t.zk_employer), "/999999")).await;
        assert_eq!(missing.status(), 404);
        let (a, b): (Value, Value) = (r.json().await.unwrap(), missing.json().await.unwrap());
        assert_eq!(a, b, "another city's record must look exactly like a missing one");
    }
    // Writes: 404 and nothing changes.
    let r = app.patch(&t.xc, &format!("/api/v1/persons/{}", t.zk_person), &json!({"name": "篡改", "reason": "测试越权"})).await;
    assert_eq!(r.status(), 404);
    let r = app.patch(&t.xc, &format!("/api/v1/employers/{}", t.zk_employer), &json!({"name": "篡改", "reason": "测试越权"})).await;
    assert_eq!(r.status(), 404);
    let r = app.post(&t.xc, &format!("/api/v1/employments/{}/end", t.zk_employment), &json!({"end_date": "2025-01-01"})).await;
    assert_eq!(r.status(), 404);
    let r = app.client.delete(app.url(&format!("/api/v1/persons/{}", t.zk_person))).bearer_auth(&t.xc).send().await.unwrap();
    assert!(r.status() == 404 || r.status() == 405, "delete gave {}", r.status());
    // Hiring Zhoukou's person at a Xuchang employer is refused as an unknown person.
    let r = app.post(&t.xc, "/api/v1/employments", &json!({"person_id": t.zk_person, "employer_id": 1, "start_date": "2024-01-01"})).await;
    assert_eq!(r.status(), 422);
    let zk_view: Value = app.get(&t.zk, &format!("/api/v1/persons/{}", t.zk_person)).await.json().await.unwrap();
    assert_eq!(zk_view["name"], "周二");
    assert_eq!(zk_view["version"], 1);
    assert_eq!(count_sql(app, "411600", "SELECT count(*) AS n FROM employment WHERE end_date IS NOT NULL"), 0);
    assert_eq!(count_sql(app, "411600", "SELECT count(*) AS n FROM employer WHERE name = '周口二厂'"), 1);
    // Search cannot reach the other city either.
    let r = app.post(&t.xc, "/api/v1/persons/search", &json!({"name_prefix": "周"})).await;
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["items"].as_array().unwrap().len(), 0);
    let r = app.post(&t.xc, "/api/v1/persons/search", &json!({"id_number": id_number("411602", "19780615", 52)})).await;
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["items"].as_array().unwrap().len(), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_tenant_id_in_the_body_cannot_place_rows_in_another_city() {
    let t = two_cities().await;
    let app = &t.app;
    let zk_id = app.tenant_id("411600").0;
    let before = app.count_in("411600", "person");
    let r = app
        .post(&t.xc, "/api/v1/persons", &json!({"id_number": id_number("411602", "19900101", 31), "name": "越界", "tenant_id": zk_id}))
        .await;
    assert_eq!(r.status(), 400);
    let r = app.post(&t.xc, "/api/v1/employers", &json!({"credit_code": credit_code("411600", "MA0000009"), "name": "越界", "risk_class": 1, "registered_on": "2020-01-01", "tenant_id": zk_id})).await;
    assert_eq!(r.status(), 400);
    assert_eq!(app.count_in("411600", "person"), before);
    assert_eq!(app.count_in("411600", "employer"), 1);
}

/// Every table that has a tenant_id column.
fn tenant_tables(conn: &mut diesel::PgConnection) -> Vec<String> {
    #[derive(diesel::QueryableByName)]
    struct T {
        #[diesel(sql_type = diesel::sql_types::Text)]
        table_name: String,
    }
    let v: Vec<T> = diesel::sql_query(
        "SELECT c.relname::text AS table_name FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE a.attname = 'tenant_id' AND c.relkind IN ('r', 'p') AND n.nspname = 'public' AND NOT a.attisdropped ORDER BY 1",
    )
    .load(conn)
    .unwrap();
    v.into_iter().map(|t| t.table_name).collect()
}

#[derive(diesel::QueryableByName)]
struct N {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

#[tokio::test(flavor = "multi_thread")]
async fn as_the_app_role_no_tenant_means_no_rows_and_a_tenant_means_only_its_rows() {
    let t = two_cities().await;
    let mut c = t.app.app_conn();
    let tables = tenant_tables(&mut c);
    assert!(tables.len() >= 11, "{tables:?}");
    let xc = t.app.tenant_id("411000").0;
    for table in &tables {
        let n: N = diesel::sql_query(format!("SELECT count(*) AS n FROM {table}")).get_result(&mut c).unwrap();
        assert_eq!(n.n, 0, "{table} without a tenant");
        c.transaction::<_, diesel::result::Error, _>(|c| {
            c.batch_execute(&format!("SELECT set_tenant({xc}::smallint)"))?;
            let other: N = diesel::sql_query(format!("SELECT count(*) AS n FROM {table} WHERE tenant_id <> {xc}")).get_result(c)?;
            assert_eq!(other.n, 0, "{table} with Xuchang set shows another tenant's rows");
            Ok(())
        })
        .unwrap();
    }
    // And Xuchang does see its own rows.
    c.transaction::<_, diesel::result::Error, _>(|c| {
        c.batch_execute(&format!("SELECT set_tenant({xc}::smallint)"))?;
        let n: N = diesel::sql_query("SELECT count(*) AS n FROM person").get_result(c)?;
        assert_eq!(n.n, 1);
        Ok(())
    })
    .unwrap();
    // Writing another tenant's row with Xuchang set is refused by the policy's WITH CHECK.
    let zk = t.app.tenant_id("411600").0;
    let err = c
        .transaction::<_, diesel::result::Error, _>(|c| {
            c.batch_execute(&format!("SELECT set_tenant({xc}::smallint)"))?;
            c.batch_execute(&format!(
                "INSERT INTO audit_log (tenant_id, actor, action, entity, entity_id) VALUES ({zk}, 'x', 'x', 'x', 'x')"
            ))
        })
        .unwrap_err();
    assert!(err.to_string().contains("row-level security"), "{err}");
    // Without a tenant, an update touches nothing.
    c.batch_execute("UPDATE person SET name = 'x'").unwrap();
    assert_eq!(count_sql(&t.app, "411600", "SELECT count(*) AS n FROM person WHERE name = 'x'"), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_catalog_shows_forced_rls_with_both_clauses_and_a_confined_app_role() {
    let app = TestApp::start().await;
    let mut c = app.owner_conn();
    let tables = tenant_tables(&mut c);
    for table in &tables {
        #[derive(diesel::QueryableByName)]
        struct R {
            #[diesel(sql_type = diesel::sql_types::Bool)]
            enabled: bool,
            #[diesel(sql_type = diesel::sql_types::Bool)]
            forced: bool,
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            good_policies: i64,
        }
        let r: R = diesel::sql_query(format!(
            "SELECT c.relrowsecurity AS enabled, c.relforcerowsecurity AS forced,
                    (SELECT count(*) FROM pg_policies p WHERE p.tablename = c.relname AND p.qual IS NOT NULL
                       AND p.with_check IS NOT NULL AND p.qual LIKE '%app_tenant%' AND p.cmd = 'ALL') AS good_policies
             FROM pg_class c WHERE c.relname = '{table}' AND c.relnamespace = 'public'::regnamespace"
        ))
        .get_result(&mut c)
        .unwrap();
        assert!(r.enabled && r.forced, "{table}: RLS enabled={} forced={}", r.enabled, r.forced);
        assert_eq!(r.good_policies, 1, "{table}: expected one tenant policy with USING and WITH CHECK");
    }
    #[derive(diesel::QueryableByName)]
    struct Role {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        rolsuper: bool,
        #[diesel(sql_type = diesel::sql_types::Bool)]
        rolbypassrls: bool,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        owned: i64,
    }
    let r: Role = diesel::sql_query(
        "SELECT rolsuper, rolbypassrls, (SELECT count(*) FROM pg_class WHERE relowner = r.oid) AS owned FROM pg_roles r WHERE rolname = 'jinbao_app'",
    )
    .get_result(&mut c)
    .unwrap();
    assert!(!r.rolsuper && !r.rolbypassrls && r.owned == 0, "jinbao_app must be neither superuser, BYPASSRLS nor owner");
    // The app role cannot change the audit log.
    let mut a = app.app_conn();
    assert!(a.batch_execute("UPDATE audit_log SET actor = 'x'").is_err());
    assert!(a.batch_execute("DELETE FROM audit_log").is_err());
}

#[tokio::test(flavor = "multi_thread")]
async fn the_server_refuses_to_start_as_a_role_that_bypasses_rls() {
    let app = TestApp::start().await;
    for url in [app.owner_url.clone(), jinbao_store::bootstrap::with_user(&app.owner_url, "postgres")] {
        let keys = std::env::temp_dir().join(format!("{}-refuse.keys", app.db_name));
        let settings = jinbao_web::Settings {
            database_url: url.clone(),
            analytics_database_url: None,
            replica_max_lag_seconds: 300.0,
            redis_url: jinbao_tests::redis_url(),
            redis_prefix: "refuse".into(),
            jwt_key_file: keys.clone(),
            bind: "127.0.0.1:0".into(),
            frontend_dir: jinbao_tests::repo_root().join("frontend"),
            token_ttl_minutes: 30,
            cookie_secure: false,
            pool_size: 1,
            login: jinbao_web::auth::rate_limit::LoginPolicy::default(),
            trusted_proxies: Vec::new(),
            metrics_token: None,
        };
        let err = jinbao_web::build_state(settings).err().expect("must refuse");
        assert!(format!("{err:#}").contains("refusing to serve"), "{url}: {err:#}");
        let _ = std::fs::remove_file(keys);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_connection_reused_after_a_failed_transaction_sees_only_the_next_tenant() {
    let app = TestApp::start_with(|s| s.pool_size = 1).await;
    let xc = app.token("411000", "xc", &["clerk"]).await;
    let zk = app.token("411600", "zk", &["clerk"]).await;
    let id = id_number("411002", "19850101", 11);
    register_person(&app, &xc, &id, "许一").await;
    register_person(&app, &zk, &id_number("411602", "19780615", 52), "周二").await;
    // Xuchang's duplicate fails after the insert ran inside its transaction.
    let r = app.post(&xc, "/api/v1/persons", &json!({"id_number": id, "name": "重复"})).await;
    assert_eq!(r.status(), 409);
    // The same (only) pooled connection now serves Zhoukou and sees only Zhoukou.
    let r = app.post(&zk, "/api/v1/persons/search", &json!({"name_prefix": ""})).await;
    assert_eq!(r.status(), 422, "an empty prefix is refused");
    let v: Value = app.post(&zk, "/api/v1/persons/search", &json!({"name_prefix": "周"})).await.json().await.unwrap();
    assert_eq!(v["items"].as_array().unwrap().len(), 1);
    let v: Value = app.post(&zk, "/api/v1/persons/search", &json!({"name_prefix": "许"})).await.json().await.unwrap();
    assert_eq!(v["items"].as_array().unwrap().len(), 0);
    // A store-level failure mid-transaction (a statement error) leaves nothing behind either.
    let xc_id = app.tenant_id("411000");
    let zk_id = app.tenant_id("411600");
    let failed = app.db.tenant(xc_id, jinbao_store::Actor::system("test"), |tx| {
        jinbao_store::repo::persons::get(tx, 1)?;
        Err::<(), _>(jinbao_store::StoreError::NotFound)
    });
    assert!(failed.is_err());
    let names = app
        .db
        .tenant(zk_id, jinbao_store::Actor::system("test"), |tx| {
            Ok(jinbao_store::repo::persons::search_by_name(tx, "", 1, 100)?.items.into_iter().map(|p| p.name).collect::<Vec<_>>())
        })
        .unwrap();
    assert_eq!(names, vec!["周二".to_string()]);
}
