//! The server killed (SIGKILL) while clerks enrol people: after a restart every acknowledged
//! enrolment is there, a retry with an acknowledged idempotency key replays its answer, the audit
//! chain verifies and the statistics equal a recount.

use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use jinbao_store::repo::{audit, stats};
use jinbao_store::Actor;
use jinbao_tests::cluster::ready;
use jinbao_tests::{count_sql, credit_code, id_number, register_employer, TestApp};
use serde_json::{json, Value};

fn spawn(app: &TestApp, port: u16) -> Child {
    let bin = jinbao_tests::repo_root().join("target").join(if cfg!(debug_assertions) { "debug" } else { "release" }).join("jinbao");
    Command::new(bin)
        .arg("serve")
        .env("DATABASE_URL", &app.app_url)
        .env("REDIS_URL", jinbao_tests::redis_url())
        .env("JINBAO_REDIS_PREFIX", format!("{}-child", app.db_name))
        .env("JINBAO_JWT_KEY_FILE", &app.keys_file)
        .env("JINBAO_BIND", format!("127.0.0.1:{port}"))
        .env("JINBAO_FRONTEND_DIR", jinbao_tests::repo_root().join("frontend"))
        .env("JINBAO_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn after_a_kill_every_acknowledged_write_is_there() {
    let app = TestApp::start().await;
    let clerk = app.token("411000", "clerk", &["clerk"]).await;
    let e = register_employer(&app, &clerk, &credit_code("411000", "MA0000081"), "断电厂").await["id"].as_i64().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::builder().timeout(Duration::from_secs(5)).build().unwrap();
    let mut child = spawn(&app, port);
    assert!(ready(&client, &base).await, "the server started");
    // Eight clerks' terminals enrol new people, each with its own idempotency key.
    let acked: Arc<Mutex<Vec<(String, String, Value)>>> = Arc::default();
    let mut writers = Vec::new();
    for w in 0..8u32 {
        let (client, base, clerk, acked) = (client.clone(), base.clone(), clerk.clone(), acked.clone());
        writers.push(tokio::spawn(async move {
            let started = Instant::now();
            let mut i = 0u32;
            while started.elapsed() < Duration::from_millis(2500) {
                i += 1;
                let id = id_number("411002", "19850101", 1 + (w * 120 + i) % 999);
                let key = format!("kill-{w}-{i:05}");
                let body = json!({"person": {"id_number": id, "name": "写入"}, "employer_id": e, "start_period": "2026-07",
                                  "declared_wage": "5000", "insurance_types": ["pension"]});
                let r = client
                    .post(format!("{base}/api/v1/enrolments"))
                    .bearer_auth(&clerk)
                    .header("Idempotency-Key", &key)
                    .json(&body)
                    .send()
                    .await;
                if let Ok(r) = r {
                    if r.status() == 201 {
                        let v: Value = r.json().await.unwrap_or_default();
                        acked.lock().unwrap().push((key, id, v));
                    }
                }
                if i >= 119 {
                    break;
                }
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(1200)).await;
    child.kill().unwrap(); // SIGKILL
    let _ = child.wait();
    for w in writers {
        w.await.unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(!acked.is_empty(), "writes were acknowledged before the kill");
    let mut child = spawn(&app, port);
    assert!(ready(&client, &base).await, "the server started");
    // Every acknowledged enrolment is in the database.
    let list = acked.iter().map(|(_, id, _)| format!("'{id}'")).collect::<Vec<_>>().join(",");
    let present = count_sql(
        &app,
        "411000",
        &format!("SELECT count(DISTINCT p.id) AS n FROM person p JOIN enrolment n ON n.person_id = p.id WHERE p.id_number IN ({list})"),
    );
    let distinct: std::collections::BTreeSet<&String> = acked.iter().map(|(_, id, _)| id).collect();
    assert_eq!(present as usize, distinct.len(), "acknowledged {} persons", distinct.len());
    // A retry of an acknowledged key replays its answer.
    let (key, id, first) = &acked[0];
    let body = json!({"person": {"id_number": id, "name": "写入"}, "employer_id": e, "start_period": "2026-07",
                      "declared_wage": "5000", "insurance_types": ["pension"]});
    let r = client
        .post(format!("{base}/api/v1/enrolments"))
        .bearer_auth(&clerk)
        .header("Idempotency-Key", key)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    assert_eq!(r.headers().get("idempotent-replayed").and_then(|v| v.to_str().ok()), Some("true"));
    assert_eq!(&r.json::<Value>().await.unwrap(), first);
    child.kill().unwrap();
    let _ = child.wait();
    // The audit chain verifies and the statistics equal a recount.
    let tid = app.tenant_id("411000");
    app.db.tenant(tid, Actor::system("test"), audit::seal).unwrap();
    assert_eq!(app.db.tenant(tid, Actor::system("test"), audit::verify).unwrap().first_broken, None);
    let diff = app.db.tenant(tid, Actor::system("test"), |tx| Ok(stats::differences(stats::current(tx)?, stats::recount(tx)?))).unwrap();
    assert!(diff.is_empty(), "{diff:?}");
}

/// SIGTERM lets the requests in flight finish (an import of 20,000 rows started just before), then
/// the server exits 0 within its shutdown bound.
#[tokio::test(flavor = "multi_thread")]
async fn sigterm_drains_requests_in_flight_and_exits_cleanly() {
    let app = TestApp::start().await;
    let admin = app.token("411000", "admin", &["city_admin"]).await;
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::builder().timeout(Duration::from_secs(60)).build().unwrap();
    let mut child = spawn(&app, port);
    assert!(ready(&client, &base).await, "the server started");
    let mut csv = String::from("身份证号码,姓名\n");
    for i in 0..20_000u32 {
        csv.push_str(&format!("{},导入{i}\n", id_number("411002", &format!("19{:02}0101", 50 + i % 40), i / 40 + 1)));
    }
    let request = {
        let (client, base, admin) = (client.clone(), base.clone(), admin.clone());
        tokio::spawn(async move { client.post(format!("{base}/api/v1/imports/persons")).bearer_auth(&admin).body(csv).send().await })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    let stopped = Instant::now();
    let pid = child.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    let response = request.await.unwrap().expect("the import in flight gets its answer");
    assert_eq!(response.status(), 200);
    let status = child.wait().unwrap();
    assert!(status.success(), "exit {status}");
    assert!(stopped.elapsed() < Duration::from_secs(15), "within the shutdown bound: {:?}", stopped.elapsed());
    assert_eq!(count_sql(&app, "411000", "SELECT count(*) AS n FROM person"), 20_000);
}
