//! A streaming replica for the province: the province's figures are read from a hot standby while
//! it answers (city work never touches it), the freshness is in the answer, on the page and in
//! `/metrics`; when the replica stops, the province reads the primary and says so.

use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use jinbao_tests::repo_root;
use serde_json::{json, Value};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn ok(out: Output, what: &str) -> String {
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{what}: {text}");
    text
}

fn cluster(args: &[&str]) -> Output {
    Command::new("bash").arg(repo_root().join("infra/prod/backup/test-cluster.sh")).args(args).output().unwrap()
}

struct Setup {
    dir: PathBuf,
    server: Option<Child>,
}

impl Drop for Setup {
    fn drop(&mut self) {
        if let Some(mut s) = self.server.take() {
            let _ = s.kill();
            let _ = s.wait();
        }
        for d in ["replica", "primary"] {
            let _ = cluster(&["stop", self.dir.join(d).to_str().unwrap()]);
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_province_reads_the_replica_and_falls_back_to_the_primary_when_it_stops() {
    let dir = std::env::temp_dir().join(format!("jinbao-replica-{}-{}", std::process::id(), free_port()));
    let mut setup = Setup { dir: dir.clone(), server: None };
    let (primary, replica) = (free_port(), free_port());
    ok(cluster(&["start", dir.join("primary").to_str().unwrap(), &primary.to_string()]), "primary");
    let url = |port: u16, user: &str, db: &str| format!("postgres://{user}@127.0.0.1:{port}/{db}");
    let bin = repo_root().join("target").join(if cfg!(debug_assertions) { "debug" } else { "release" }).join("jinbao");
    let cli = |args: &[&str], stdin: Option<&str>| {
        let mut c = Command::new(&bin)
            .current_dir(repo_root())
            .args(args)
            .env("JINBAO_ADMIN_DATABASE_URL", url(primary, "postgres", "postgres"))
            .env("JINBAO_OWNER_DATABASE_URL", url(primary, "jinbao_owner", "jinbao"))
            .env("DATABASE_URL", url(primary, "jinbao_app", "jinbao"))
            .env("JINBAO_LOG", "warn")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        if let Some(s) = stdin {
            use std::io::Write;
            c.stdin.take().unwrap().write_all(s.as_bytes()).unwrap();
        }
        drop(c.stdin.take());
        c.wait_with_output().unwrap()
    };
    ok(cli(&["db", "bootstrap"], None), "bootstrap");
    ok(cli(&["migrate"], None), "migrate");
    ok(cli(&["tenants", "sync"], None), "sync");
    let pw = "Province-Watch-2026!";
    ok(
        cli(
            &["users", "create", "--tenant", "410000", "--username", "watcher", "--role", "province_supervisor", "--display-name", "省级"],
            Some(pw),
        ),
        "user",
    );
    ok(cluster(&["standby", dir.join("replica").to_str().unwrap(), &primary.to_string(), &replica.to_string()]), "standby");

    let port = free_port();
    let server = Command::new(&bin)
        .arg("serve")
        .env("DATABASE_URL", url(primary, "jinbao_app", "jinbao"))
        .env("JINBAO_ANALYTICS_DATABASE_URL", url(replica, "jinbao_analytics", "jinbao"))
        .env("REDIS_URL", jinbao_tests::redis_url())
        .env("JINBAO_REDIS_PREFIX", format!("replica-{port}"))
        .env("JINBAO_JWT_KEY_FILE", dir.join("jwt-keys"))
        .env("JINBAO_BIND", format!("127.0.0.1:{port}"))
        .env("JINBAO_FRONTEND_DIR", repo_root().join("frontend"))
        .env("JINBAO_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    setup.server = Some(server);
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().unwrap();
    for _ in 0..100 {
        if client.get(format!("{base}/readyz")).send().await.is_ok_and(|r| r.status() == 200) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
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
    let users = ok(
        Command::new("psql")
            .args([
                &url(replica, "postgres", "postgres"),
                "-XAtc",
                "SELECT string_agg(DISTINCT usename, ',') FROM pg_stat_activity WHERE datname = 'jinbao'",
            ])
            .output()
            .unwrap(),
        "psql",
    );
    assert_eq!(users.trim(), "jinbao_analytics");

    // The replica stops: after the cached figures expire, the primary is read and the page says so.
    ok(cluster(&["stop", dir.join("replica").to_str().unwrap()]), "stop the replica");
    tokio::time::sleep(Duration::from_secs(11)).await;
    let d = dashboard().await;
    assert_eq!((d["source"]["source"].as_str(), d["source"]["replica"].as_str()), (Some("primary"), Some("down")), "{}", d["source"]);
    assert!(page().await.contains("只读副本暂不可用，以下数据直接读自主库"));
    assert!(metrics().await.contains("jinbao_replica_up 0"));
}
