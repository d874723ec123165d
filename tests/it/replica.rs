//! A streaming replica for the province: the province's figures are read from a hot standby while
//! it answers (city work never touches it), the freshness is in the answer, on the page and in
//! `/metrics`; when the replica stops, the province reads the primary and says so.

use std::process::{Command, Stdio};
use std::time::Duration;

use jinbao_tests::cluster::{free_port, jinbao_bin, ready, Cluster, KillOnDrop};
use jinbao_tests::repo_root;
use serde_json::{json, Value};

#[tokio::test(flavor = "multi_thread")]
async fn the_province_reads_the_replica_and_falls_back_to_the_primary_when_it_stops() {
    let primary = Cluster::start("replica");
    primary.set_up_platform();
    let pw = "Province-Watch-2026!";
    primary.create_user("410000", "watcher", "province_supervisor", pw);
    let standby = primary.standby();
    let port = free_port();
    let server = Command::new(jinbao_bin())
        .arg("serve")
        .env("DATABASE_URL", primary.url("jinbao_app", "jinbao"))
        .env("JINBAO_ANALYTICS_DATABASE_URL", standby.url("jinbao_analytics", "jinbao"))
        .env("REDIS_URL", jinbao_tests::redis_url())
        .env("JINBAO_REDIS_PREFIX", format!("replica-{port}"))
        .env("JINBAO_JWT_KEY_FILE", primary.dir.join("jwt-keys"))
        .env("JINBAO_BIND", format!("127.0.0.1:{port}"))
        .env("JINBAO_FRONTEND_DIR", repo_root().join("frontend"))
        .env("JINBAO_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let _server = KillOnDrop(server);
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().unwrap();
    assert!(ready(&client, &base).await, "the server starts");
    let r = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"tenant": "410000", "username": "watcher", "password": pw}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let token = r.json::<Value>().await.unwrap()["token"].as_str().unwrap().to_string();
    let dashboard = || async {
        let r = client.get(format!("{base}/api/v1/province/dashboard")).bearer_auth(&token).send().await.unwrap();
        assert_eq!(r.status(), 200);
        r.json::<Value>().await.unwrap()
    };
    let page = || async {
        let r = client.get(format!("{base}/province")).header("Cookie", format!("jinbao_session={token}")).send().await.unwrap();
        assert_eq!(r.status(), 200);
        r.text().await.unwrap()
    };
    let metrics = || async { client.get(format!("{base}/metrics")).send().await.unwrap().text().await.unwrap() };

    // Read from the replica, and said so.
    let d = dashboard().await;
    assert_eq!((d["source"]["source"].as_str(), d["source"]["replica"].as_str()), (Some("replica"), Some("ok")), "{}", d["source"]);
    assert!(d["source"]["lag_seconds"].as_f64().is_some_and(|l| l < 300.0));
    assert!(page().await.contains("只读副本，落后主库"));
    let m = metrics().await;
    assert!(m.contains("jinbao_replica_up 1") && m.contains("jinbao_replica_lag_seconds"), "{m}");
    // Only the province's analytics role is connected to the replica: city work never reads it.
    let users = standby.psql("postgres", "SELECT string_agg(DISTINCT usename, ',') FROM pg_stat_activity WHERE datname = 'jinbao'");
    assert_eq!(users, "jinbao_analytics");

    // The replica stops: after the cached figures expire, the primary is read and the page says so.
    standby.pg_ctl("stop");
    tokio::time::sleep(Duration::from_secs(11)).await;
    let d = dashboard().await;
    assert_eq!((d["source"]["source"].as_str(), d["source"]["replica"].as_str()), (Some("primary"), Some("down")), "{}", d["source"]);
    assert!(page().await.contains("只读副本暂不可用，以下数据直接读自主库"));
    assert!(metrics().await.contains("jinbao_replica_up 0"));
}
