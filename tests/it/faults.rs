//! Faults under load, on a private PostgreSQL cluster and a private Redis (so the rest of the suite
//! is not disturbed), with the real `jinbao serve` and eight clerks enrolling people over HTTP:
//! PostgreSQL restarted (fast shutdown) mid-load — only 201 and 503 are answered, never 500, the
//! readiness check reports the outage, the pool recovers by itself, every acknowledged write is
//! present; then Redis killed for ten seconds — writes go on, a throttled login stays throttled, a
//! token revoked while Redis is down is refused, and nothing revoked comes back when Redis returns
//! empty. The figures are printed (docs/operations.md records them).

use std::collections::{BTreeMap, BTreeSet};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use jinbao_tests::cluster::{free_port, jinbao_bin, ready, Cluster};
use jinbao_tests::{credit_code, id_number, repo_root};
use serde_json::{json, Value};

/// The private cluster, a private Redis and the server under test.
struct Env {
    pg: Arc<Cluster>,
    redis_port: u16,
    redis: Option<Child>,
    server: Option<Child>,
}

impl Env {
    fn start_redis(&mut self) {
        let child = Command::new("redis-server")
            .args(["--port", &self.redis_port.to_string(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        self.redis = Some(child);
        for _ in 0..50 {
            if std::net::TcpStream::connect(("127.0.0.1", self.redis_port)).is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("redis did not start");
    }

    fn kill_redis(&mut self) {
        if let Some(mut r) = self.redis.take() {
            let _ = r.kill();
            let _ = r.wait();
        }
    }

    fn start_server(&mut self, port: u16) {
        let child = Command::new(jinbao_bin())
            .arg("serve")
            .env("DATABASE_URL", self.pg.url("jinbao_app", "jinbao"))
            .env("REDIS_URL", format!("redis://127.0.0.1:{}/", self.redis_port))
            .env("JINBAO_JWT_KEY_FILE", self.pg.dir.join("jwt-keys"))
            .env("JINBAO_BIND", format!("127.0.0.1:{port}"))
            .env("JINBAO_FRONTEND_DIR", repo_root().join("frontend"))
            .env("JINBAO_DB_POOL_SIZE", "8")
            // A user is locked out after three failures in the window (whatever the address).
            .env("JINBAO_LOGIN_PER_USER", "3")
            .env("JINBAO_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        self.server = Some(child);
    }

    fn count(&self, sql: &str) -> i64 {
        self.pg.psql("jinbao", sql).parse().unwrap()
    }
}

impl Drop for Env {
    fn drop(&mut self) {
        if let Some(mut s) = self.server.take() {
            let _ = s.kill();
            let _ = s.wait();
        }
        self.kill_redis();
    }
}

/// Eight clerks enrol new people for `run`; every answer's status is counted and every 201 kept.
async fn load(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    employer: i64,
    tag: u32,
    run: Duration,
) -> (BTreeMap<String, usize>, Vec<String>) {
    let statuses: Arc<Mutex<BTreeMap<String, usize>>> = Arc::default();
    let acked: Arc<Mutex<Vec<String>>> = Arc::default();
    let mut writers = Vec::new();
    for w in 0..8u32 {
        let (client, base, token, statuses, acked) = (client.clone(), base.to_string(), token.to_string(), statuses.clone(), acked.clone());
        writers.push(tokio::spawn(async move {
            let started = Instant::now();
            let mut i = 0u32;
            while started.elapsed() < run && i < 400 {
                i += 1;
                let id = id_number("411002", &format!("19{:02}0101", 50 + tag * 8 + w), i);
                let body = json!({"person": {"id_number": id, "name": "负载"}, "employer_id": employer, "start_period": "2026-07",
                                  "declared_wage": "5000", "insurance_types": ["pension"]});
                let r = client
                    .post(format!("{base}/api/v1/enrolments"))
                    .bearer_auth(&token)
                    .header("Idempotency-Key", format!("fault-{tag}-{w}-{i:05}"))
                    .json(&body)
                    .send()
                    .await;
                let status = match r {
                    Ok(r) => r.status().as_u16().to_string(),
                    Err(e) if e.is_timeout() => "timeout".into(),
                    Err(_) => "connection".into(),
                };
                if status == "201" {
                    acked.lock().unwrap().push(id);
                }
                *statuses.lock().unwrap().entry(status.clone()).or_default() += 1;
                if status != "201" {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            }
        }));
    }
    for w in writers {
        w.await.unwrap();
    }
    let s = statuses.lock().unwrap().clone();
    let a = acked.lock().unwrap().clone();
    (s, a)
}

async fn login(client: &reqwest::Client, base: &str, user: &str, pw: &str) -> reqwest::Response {
    client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"tenant": "411000", "username": user, "password": pw}))
        .send()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_postgres_restart_and_a_redis_outage_under_load_lose_nothing_acknowledged() {
    let mut env = Env { pg: Arc::new(Cluster::start("faults")), redis_port: free_port(), redis: None, server: None };
    env.pg.set_up_platform();
    let pw = "Fault-Clerk-2026!";
    env.pg.create_user("411000", "faultclerk", "clerk", pw);
    env.pg.create_user("411000", "guessed", "clerk", pw);
    env.start_redis();
    let port = free_port();
    env.start_server(port);
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().unwrap();
    assert!(ready(&client, &base).await, "the server starts");
    let r = login(&client, &base, "faultclerk", pw).await;
    assert_eq!(r.status(), 200);
    let token = r.json::<Value>().await.unwrap()["token"].as_str().unwrap().to_string();
    let e = client
        .post(format!("{base}/api/v1/employers"))
        .bearer_auth(&token)
        .json(&json!({"credit_code": credit_code("411000", "MA0000091"), "name": "故障演练厂", "risk_class": 2, "registered_on": "2020-01-15"}))
        .send()
        .await
        .unwrap();
    assert_eq!(e.status(), 201);
    let employer = e.json::<Value>().await.unwrap()["id"].as_i64().unwrap();

    // 1. PostgreSQL restarted (fast shutdown) 1.5 s into six seconds of load.
    let restart = {
        let cluster = env.pg.clone();
        let (client, base) = (client.clone(), base.clone());
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(1500)).await;
            let pg = |action: &'static str| {
                let cluster = cluster.clone();
                tokio::task::spawn_blocking(move || cluster.pg_ctl(action))
            };
            let began = Instant::now();
            pg("stop").await.unwrap();
            let ready_during = client.get(format!("{base}/readyz")).send().await.map(|r| r.status().as_u16()).unwrap_or(0);
            pg("start").await.unwrap();
            (ready_during, began.elapsed())
        })
    };
    let started = Instant::now();
    let (statuses, acked) = load(&client, &base, &token, employer, 0, Duration::from_secs(6)).await;
    let (ready_during, restart_took) = restart.await.unwrap();
    // The first write after the restart, and when it came.
    let mut recovered = None;
    for i in 0..200u32 {
        let body = json!({"person": {"id_number": id_number("411002", "19490101", i + 1), "name": "恢复"}, "employer_id": employer,
                          "start_period": "2026-07", "declared_wage": "5000", "insurance_types": ["pension"]});
        let r = client.post(format!("{base}/api/v1/enrolments")).bearer_auth(&token).json(&body).send().await.unwrap();
        if r.status() == 201 {
            recovered = Some(started.elapsed());
            break;
        }
        assert_eq!(r.status(), 503, "only 503 while the pool reconnects");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let recovered = recovered.expect("the pool recovers by itself");
    assert_eq!(ready_during, 503, "/readyz reports the outage");
    let unexpected: Vec<_> = statuses.iter().filter(|(s, _)| !["201", "503"].contains(&s.as_str())).collect();
    assert!(unexpected.is_empty(), "only 201 and 503 under a restart: {statuses:?}");
    assert!(statuses.get("503").is_some_and(|n| *n > 0), "the restart was felt: {statuses:?}");
    let distinct: BTreeSet<&String> = acked.iter().collect();
    let list = distinct.iter().map(|id| format!("'{id}'")).collect::<Vec<_>>().join(",");
    let present = env.count(&format!("SELECT count(DISTINCT p.id) FROM person p JOIN enrolment n ON n.tenant_id = p.tenant_id AND n.person_id = p.id WHERE p.id_number IN ({list})"));
    assert_eq!(present as usize, distinct.len(), "every acknowledged enrolment is present");
    eprintln!(
        "postgres restart: {} requests, {} acknowledged, lost 0, statuses {statuses:?}, restart took {restart_took:?}, first write after {:?} from the load's start",
        statuses.values().sum::<usize>(),
        distinct.len(),
        recovered
    );

    // 2. Redis killed for ten seconds.
    for _ in 0..3 {
        assert_eq!(login(&client, &base, "guessed", "wrong-guess").await.status(), 401);
        tokio::time::sleep(Duration::from_millis(1100)).await;
    }
    assert_eq!(login(&client, &base, "guessed", "wrong-guess").await.status(), 429, "throttled before the outage");
    let r = login(&client, &base, "faultclerk", pw).await;
    let second = r.json::<Value>().await.unwrap()["token"].as_str().unwrap().to_string();
    env.kill_redis();
    let outage = Instant::now();
    let (statuses, acked) = load(&client, &base, &token, employer, 1, Duration::from_secs(4)).await;
    assert_eq!(statuses.keys().collect::<Vec<_>>(), ["201"], "writes go on without Redis: {statuses:?}");
    assert_eq!(login(&client, &base, "guessed", "wrong-guess").await.status(), 429, "the lockout holds without Redis");
    assert_eq!(client.post(format!("{base}/api/v1/auth/logout")).bearer_auth(&second).send().await.unwrap().status(), 204);
    let me = |t: String| {
        let (client, base) = (client.clone(), base.clone());
        async move { client.get(format!("{base}/api/v1/me")).bearer_auth(t).send().await.unwrap().status().as_u16() }
    };
    assert_eq!(me(second.clone()).await, 401, "revoked while Redis is down");
    let readiness = client.get(format!("{base}/readyz")).send().await.unwrap();
    assert_eq!(readiness.status(), 200, "PostgreSQL answers: ready, with Redis down");
    tokio::time::sleep(Duration::from_secs(10).saturating_sub(outage.elapsed())).await;
    env.start_redis();
    assert_eq!(me(second).await, 401, "nothing revoked comes back when Redis returns empty");
    assert_eq!(me(token.clone()).await, 200);
    assert_eq!(login(&client, &base, "guessed", "wrong-guess").await.status(), 429, "the lockout holds after Redis returns empty");
    let distinct: BTreeSet<&String> = acked.iter().collect();
    let list = distinct.iter().map(|id| format!("'{id}'")).collect::<Vec<_>>().join(",");
    let present = env.count(&format!("SELECT count(DISTINCT p.id) FROM person p WHERE p.id_number IN ({list})"));
    assert_eq!(present as usize, distinct.len());
    eprintln!("redis outage: {} requests, {} acknowledged, lost 0", statuses.values().sum::<usize>(), distinct.len());

    // 3. The connection limit reached: no new session for the application's role. Requests answer
    //    503 with Retry-After (never 500), and the server recovers once connections are allowed.
    let psql = |sql: &str| env.pg.psql("jinbao", sql);
    psql("ALTER ROLE jinbao_app CONNECTION LIMIT 0");
    psql("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE usename = 'jinbao_app'");
    let r = client.get(format!("{base}/api/v1/me")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(r.status(), 503, "no connection to be had: 503");
    assert!(r.headers().contains_key("retry-after"));
    psql("ALTER ROLE jinbao_app CONNECTION LIMIT -1");
    let limited = Instant::now();
    let mut back = false;
    for _ in 0..100 {
        match me(token.clone()).await {
            200 => {
                back = true;
                break;
            }
            503 => tokio::time::sleep(Duration::from_millis(100)).await,
            other => panic!("only 503 until connections are allowed again, got {other}"),
        }
    }
    assert!(back, "the server recovers when connections are allowed again");
    eprintln!("connection limit: 503 while refused, recovered {:?} after the limit was lifted", limited.elapsed());
}
