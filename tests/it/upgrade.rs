//! Upgrades without downtime: the previous release's server (`infra/prod/previous-release`, built
//! by `infra/dev/previous-release.sh`) serves the core routes on the current schema, beside a
//! current server, over the same database — what happens during a rolling upgrade after
//! `jinbao migrate`.

use std::process::{Command, Stdio};
use std::time::Duration;

use jinbao_tests::cluster::{free_port, ready, KillOnDrop};
use jinbao_tests::{credit_code, id_number, repo_root, TestApp};
use serde_json::{json, Value};

#[tokio::test(flavor = "multi_thread")]
async fn the_previous_release_serves_the_core_routes_on_the_current_schema() {
    let dir = repo_root().join("target/previous-release");
    let bin = dir.join("jinbao");
    assert!(bin.exists(), "{} is built by infra/dev/previous-release.sh (the test command runs it)", bin.display());
    let app = TestApp::start().await;
    let port = free_port();
    let _old = KillOnDrop(
        Command::new(&bin)
            .arg("serve")
            .env("DATABASE_URL", &app.app_url)
            .env("REDIS_URL", jinbao_tests::redis_url())
            .env("JINBAO_REDIS_PREFIX", format!("{}-previous", app.db_name))
            .env("JINBAO_JWT_KEY_FILE", &app.keys_file)
            .env("JINBAO_BIND", format!("127.0.0.1:{port}"))
            .env("JINBAO_FRONTEND_DIR", dir.join("src/frontend"))
            .env("JINBAO_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let old = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().unwrap();
    assert!(ready(&client, &old).await, "the previous release starts on the current schema");

    // Log in on the previous release; its token works on the current server too (same keys).
    let pw = app.create_user("411000", "rolling", &["clerk"]);
    let r = client
        .post(format!("{old}/api/v1/auth/login"))
        .json(&json!({"tenant": "411000", "username": "rolling", "password": pw}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let token = r.json::<Value>().await.unwrap()["token"].as_str().unwrap().to_string();
    let post = |path: &str, body: Value| {
        let (client, url, token) = (client.clone(), format!("{old}{path}"), token.clone());
        async move { client.post(url).bearer_auth(token).json(&body).send().await.unwrap() }
    };
    let get = |path: &str| {
        let (client, url, token) = (client.clone(), format!("{old}{path}"), token.clone());
        async move { client.get(url).bearer_auth(token).send().await.unwrap() }
    };
    assert_eq!(get("/api/v1/me").await.status(), 200);
    let e = post(
        "/api/v1/employers",
        json!({"credit_code": credit_code("411000", "MA0000071"), "name": "滚动升级厂", "risk_class": 2, "registered_on": "2020-01-15"}),
    )
    .await;
    assert_eq!(e.status(), 201);
    let employer = e.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let n = post(
        "/api/v1/enrolments",
        json!({"person": {"id_number": id_number("411002", "19860101", 71), "name": "升级"}, "employer_id": employer,
        "start_period": "2026-07", "declared_wage": "5000", "insurance_types": ["pension", "medical"]}),
    )
    .await;
    assert_eq!(n.status(), 201);
    let person = n.json::<Value>().await.unwrap()["person_id"].as_i64().unwrap();
    assert_eq!(get(&format!("/api/v1/persons/{person}")).await.status(), 200);
    assert_eq!(get(&format!("/api/v1/persons/{person}/timeline")).await.status(), 200);
    assert_eq!(get(&format!("/api/v1/persons/{person}/enrolments")).await.status(), 200);
    assert_eq!(client.get(format!("{old}/login")).send().await.unwrap().status(), 200);

    // The current server reads what the previous release wrote.
    let r = app.client.get(app.url(&format!("/api/v1/persons/{person}/enrolments"))).bearer_auth(&token).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["items"].as_array().map(Vec::len), Some(2), "{v}");
}
