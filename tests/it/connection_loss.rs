//! The database going away under load (a restart, an administrator terminating sessions) is a 503
//! with a retryable code for the requests it catches — never a 500 — and the pool recovers by
//! itself.

use jinbao_tests::{id_number, register_person, TestApp};
use serde_json::Value;

#[tokio::test(flavor = "multi_thread")]
async fn lost_connections_answer_503_and_the_pool_recovers() {
    let app = TestApp::start().await;
    let clerk = app.token("411000", "clerk", &["clerk"]).await;
    let person = register_person(&app, &clerk, &id_number("411002", "19800101", 11), "断线").await;
    let path = format!("/api/v1/persons/{}", person["id"]);
    let admin = jinbao_tests::admin_url();
    let db = app.db_name.clone();
    // Terminate every session of this database while requests are running, several times.
    let killer = std::thread::spawn(move || {
        use diesel::{Connection, RunQueryDsl};
        let mut c = diesel::PgConnection::establish(&admin).unwrap();
        for _ in 0..10 {
            std::thread::sleep(std::time::Duration::from_millis(60));
            let _ = diesel::sql_query(format!(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{db}' AND pid <> pg_backend_pid()"
            ))
            .execute(&mut c);
        }
    });
    let mut statuses = std::collections::BTreeMap::new();
    let started = std::time::Instant::now();
    while started.elapsed() < std::time::Duration::from_millis(900) {
        let r = app.get(&clerk, &path).await;
        let status = r.status().as_u16();
        if status == 503 {
            assert_eq!(r.headers().get("retry-after").and_then(|v| v.to_str().ok()), Some("1"));
            let v: Value = r.json().await.unwrap();
            assert_eq!(v["error"]["code"], "unavailable", "{v}");
        }
        *statuses.entry(status).or_insert(0) += 1;
    }
    killer.join().unwrap();
    assert!(statuses.keys().all(|s| *s == 200 || *s == 503), "only 200 or 503 under connection loss: {statuses:?}");
    assert!(statuses.contains_key(&503), "the terminations caught requests in flight: {statuses:?}");
    // Recovered by itself within a few seconds.
    let mut ok = false;
    for _ in 0..50 {
        if app.get(&clerk, &path).await.status() == 200 {
            ok = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(ok, "the pool recovers: {statuses:?}");
}
