//! Benchmarks with figures recorded in docs/performance.md. Each run uses its own database cloned
//! from the migrated template (as the tests do) and compares the platform with the raw cost of the
//! same database work measured in the same run.
//!
//! ```text
//! cargo run --release -p jinbao-tests --bin jinbao-bench -- assessment [enrolments=1000000]   (JINBAO_BENCH_EXPLAIN=1: also the plan)
//! cargo run --release -p jinbao-tests --bin jinbao-bench -- enrolment [clients=16] [seconds=20]
//! cargo run --release -p jinbao-tests --bin jinbao-bench -- dashboard [persons=10000000]
//! cargo build --release -p jinbao && cargo run --release -p jinbao-tests --bin jinbao-bench -- lookup [persons=200000] [connections=8] [seconds=20]
//! ```

use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::Connection;
use jinbao_store::repo::assessments;
use jinbao_store::Actor;
use jinbao_tests::{credit_code, TestApp};
use serde_json::json;

fn owner_tx(app: &TestApp, tenant: i16, sql: &str) {
    let mut c = app.owner_conn();
    c.transaction::<_, diesel::result::Error, _>(|c| c.batch_execute(&format!("SELECT set_tenant({tenant}::smallint); {sql}"))).unwrap();
}

/// Generates bench data as the superuser of the bench's database: row-level security does not
/// bind it, so an `INSERT … SELECT` from `generate_series` also runs on Citus (which writes such
/// rows into the shards with `COPY`, refused under row-level security for the other roles).
fn generate(app: &TestApp, sql: &str) {
    let url = jinbao_store::bootstrap::with_database(&jinbao_tests::admin_url(), &app.db_name);
    let mut c = diesel::PgConnection::establish(&url).unwrap();
    c.batch_execute(sql).unwrap();
}

fn timed<T>(label: &str, f: impl FnOnce() -> T) -> (T, Duration) {
    let t = Instant::now();
    let v = f();
    let d = t.elapsed();
    eprintln!("{label}: {:.2} s", d.as_secs_f64());
    (v, d)
}

async fn assessment(n: i64) {
    let app = TestApp::start().await;
    app.create_user("411000", "bench", &["clerk"]);
    let tid = app.tenant_id("411000");
    let persons = n / 5;
    eprintln!("generating {persons} persons, 1000 employers, {n} enrolments in 411000 …");
    let ((), gen) = timed("generate", || {
        generate(
            &app,
            &format!(
                "INSERT INTO employer (tenant_id, credit_code, name, risk_class, registered_on, office_id, created_by)
                   SELECT {t}, '91' || lpad(g::text, 16, '0'), '单位' || g, 1 + g % 8, '2020-01-01', 1, 1 FROM generate_series(1, 1000) g;
                 INSERT INTO person (tenant_id, id_number, name, gender, birth_date, office_id, created_by)
                   SELECT {t}, '4110' || lpad(g::text, 14, '0'), '人员' || g, 'male', '1985-01-01', 1, 1 FROM generate_series(1, {persons}) g;
                 INSERT INTO contribution_base (tenant_id, person_id, employer_id, effective_from, declared_wage_fen, source)
                   SELECT {t}, p.id, (SELECT min(id) FROM employer WHERE tenant_id = {t}) + p.id % 1000, '2026-07-01', 200000 + (p.id * 7919) % 3000000, 'import'
                   FROM person p WHERE p.tenant_id = {t};
                 INSERT INTO enrolment (tenant_id, person_id, employer_id, insurance_type, start_period, office_id, created_by)
                   SELECT cb.tenant_id, cb.person_id, cb.employer_id, t.ty, '2026-07-01', 1, 1
                   FROM contribution_base cb CROSS JOIN unnest(ARRAY['pension','medical','unemployment','work_injury','maternity']) t(ty)
                   WHERE cb.tenant_id = {t};
                 ANALYZE;",
                t = tid.0
            ),
        )
    });
    let _ = gen;
    let period = "2026-07".parse().unwrap();
    let (summary, ours) = timed("jinbao assessment (chunked INSERT … SELECT, rules, clamp, rounding)", || {
        assessments::run(&app.db, tid, Actor::system("bench"), period, |_, _| {}).unwrap()
    });
    if std::env::var_os("JINBAO_BENCH_EXPLAIN").is_some() {
        let plan = app.db.tenant(tid, Actor::system("bench"), |tx| assessments::explain_run(tx, period)).unwrap();
        println!("plan of the assessment statement (all persons, run again on the assessed period):");
        for line in plan {
            println!("  {line}");
        }
    }
    let (_, raw) = timed("bare INSERT … SELECT of the same shape", || {
        owner_tx(
            &app,
            tid.0,
            &format!(
                "CREATE TABLE bench_raw (LIKE assessment INCLUDING ALL);
                 INSERT INTO bench_raw (tenant_id, period, enrolment_id, revision, person_id, employer_id, insurance_type, base_fen,
                                        employer_rate_bp, employee_rate_bp, employer_fen, employee_fen, kind)
                   SELECT e.tenant_id, '2026-07-01', e.id, 0, e.person_id, e.employer_id, e.insurance_type, cb.declared_wage_fen,
                          1600, 800, cb.declared_wage_fen * 1600 / 10000, cb.declared_wage_fen * 800 / 10000, 'regular'
                   FROM enrolment e JOIN contribution_base cb
                     ON cb.tenant_id = e.tenant_id AND cb.person_id = e.person_id AND cb.employer_id = e.employer_id
                   WHERE e.tenant_id = {t};",
                t = tid.0
            ),
        )
    });
    let rows = summary.rows_total as f64;
    println!("assessment rows: {} (maternity merged: 4 per person)", summary.rows_total);
    println!("jinbao: {:.2} s, {:.0} rows/s", ours.as_secs_f64(), rows / ours.as_secs_f64());
    println!("raw:    {:.2} s, {:.0} rows/s", raw.as_secs_f64(), rows / raw.as_secs_f64());
    println!("ratio jinbao/raw throughput: {:.0}%", 100.0 * raw.as_secs_f64() / ours.as_secs_f64());
    // Bytes per row on disk (heap, indexes, TOAST), for the host estimate in docs/scaling.md.
    let mut c = app.owner_conn();
    #[derive(diesel::QueryableByName)]
    struct Size {
        #[diesel(sql_type = diesel::sql_types::Text)]
        table: String,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        rows: i64,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        bytes: i64,
    }
    for table in ["person", "employer", "contribution_base", "enrolment", "assessment"] {
        c.batch_execute(&format!("BEGIN; SELECT set_tenant({}::smallint)", tid.0)).unwrap();
        let s: Size = diesel::RunQueryDsl::get_result(
            diesel::sql_query(format!(
                "SELECT '{table}' AS table, (SELECT count(*) FROM {table}) AS rows, pg_total_relation_size('{table}') AS bytes"
            )),
            &mut c,
        )
        .unwrap();
        c.batch_execute("COMMIT").unwrap();
        println!("size {}: {} rows, {} bytes, {} bytes/row", s.table, s.rows, s.bytes, s.bytes / s.rows.max(1));
    }
}

async fn enrolment(clients: usize, seconds: u64) {
    let app = TestApp::start_with(|s| s.pool_size = clients as u32 + 2).await;
    let token = app.token("411000", "bench", &["clerk"]).await;
    let e = jinbao_tests::register_employer(&app, &token, &credit_code("411000", "MA0000001"), "基准单位").await["id"].as_i64().unwrap();
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut handles = Vec::new();
    for c in 0..clients {
        let (client, url, token) = (app.client.clone(), app.url("/api/v1/enrolments"), token.clone());
        handles.push(tokio::spawn(async move {
            let mut n = 0u32;
            while Instant::now() < deadline {
                let seq = c as u32 * 100_000 + n;
                let id = jinbao_tests::id_number("411002", &format!("19{:02}{:02}{:02}", 50 + seq % 40, 1 + seq / 40 % 12, 1 + seq / 480 % 28), seq / 13440 % 1000);
                let body = json!({"person": {"id_number": id, "name": "基准"}, "employer_id": e, "start_period": "2026-07",
                                  "declared_wage": "5000", "insurance_types": ["pension", "medical", "unemployment", "work_injury", "maternity"]});
                let r = client.post(&url).bearer_auth(&token).json(&body).send().await.unwrap();
                assert_eq!(r.status(), 201, "{}", r.text().await.unwrap_or_default());
                n += 1;
            }
            n
        }));
    }
    let started = Instant::now();
    let mut total = 0u32;
    for h in handles {
        total += h.await.unwrap();
    }
    let api_rps = total as f64 / started.elapsed().as_secs_f64();
    println!("enrolment API: {total} enrolments (person + hire + base + 5 types) in {seconds} s with {clients} clients: {api_rps:.0}/s");
    // The same inserts, raw, with pgbench as the app role.
    let tid = app.tenant_id("411000").0;
    let uid = jinbao_tests::count_sql(&app, "411000", "SELECT min(id) AS n FROM app_user");
    let script = format!(
        "\\set n random(1, 999999999)
BEGIN;
SELECT set_tenant({tid}::smallint);
SELECT status FROM app_user WHERE tenant_id = {tid} AND id = {uid};
INSERT INTO person (tenant_id, id_number, name, gender, birth_date, office_id, created_by) VALUES ({tid}, '9' || lpad(:n::text, 17, '0'), 'x', 'male', '1985-01-01', 1, {uid}) ON CONFLICT DO NOTHING;
INSERT INTO employment (tenant_id, person_id, employer_id, start_date, created_by) SELECT {tid}, id, {e}, '2026-07-01', {uid} FROM person WHERE tenant_id = {tid} AND id_number = '9' || lpad(:n::text, 17, '0') ON CONFLICT DO NOTHING;
INSERT INTO contribution_base (tenant_id, person_id, employer_id, effective_from, declared_wage_fen, source) SELECT {tid}, id, {e}, '2026-07-01', 500000, 'enrolment' FROM person WHERE tenant_id = {tid} AND id_number = '9' || lpad(:n::text, 17, '0') ON CONFLICT DO NOTHING;
INSERT INTO enrolment (tenant_id, person_id, employer_id, insurance_type, start_period, office_id, created_by) SELECT {tid}, p.id, {e}, t, '2026-07-01', 1, {uid} FROM person p, unnest(ARRAY['pension','medical','unemployment','work_injury','maternity']) t WHERE p.tenant_id = {tid} AND p.id_number = '9' || lpad(:n::text, 17, '0') ON CONFLICT DO NOTHING;
INSERT INTO person_event (tenant_id, person_id, occurred_on, kind) SELECT {tid}, id, '2026-07-01', 'enrolled' FROM person WHERE tenant_id = {tid} AND id_number = '9' || lpad(:n::text, 17, '0');
INSERT INTO audit_log (tenant_id, actor, action, entity, entity_id) SELECT {tid}, 'bench', 'enrolment.create', 'enrolment', g::text FROM generate_series(1, 9) g;
INSERT INTO stat_delta (tenant_id, metric, period, insurance_type, value) SELECT {tid}, 'new_enrolments', '2026-07-01', t, 1 FROM unnest(ARRAY['pension','medical','unemployment','work_injury','maternity','a','b','c','d','e','persons']) t;
COMMIT;
"
    );
    let path = std::env::temp_dir().join(format!("{}-pgbench.sql", app.db_name));
    std::fs::write(&path, script).unwrap();
    let out = std::process::Command::new("pgbench")
        .args(["-n", "-c", &clients.to_string(), "-j", "2", "-T", &seconds.to_string(), "-f"])
        .arg(&path)
        .arg(&app.app_url)
        .output()
        .expect("pgbench (Debian postgresql-contrib / postgresql-client) must be installed");
    let text = String::from_utf8_lossy(&out.stdout);
    let tps: f64 = text
        .lines()
        .find(|l| l.starts_with("tps"))
        .and_then(|l| l.split_whitespace().nth(2))
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("pgbench output: {text}\n{}", String::from_utf8_lossy(&out.stderr)));
    println!("pgbench raw inserts: {tps:.0} transactions/s");
    println!("ratio API/raw: {:.0}%", 100.0 * api_rps / tps);
}

/// Dashboard latency with `persons` persons and 4 enrolments each spread over the 19 tenants,
/// against the raw `GROUP BY` over the base tables. Runs without Redis, so every request computes.
async fn dashboard(persons: i64) {
    let app = TestApp::start_with(|s| s.redis_url = "redis://127.0.0.1:1/".into()).await;
    app.create_user("410000", "sup", &["province_supervisor"]);
    let tenants = jinbao_store::repo::global::tenants(&app.db).unwrap();
    let per = persons / tenants.len() as i64;
    eprintln!("generating {per} persons and {} enrolments in each of {} tenants …", per * 4, tenants.len());
    let ((), gen) = timed("generate", || {
        for t in &tenants {
            owner_tx(
                &app,
                t.id,
                &format!(
                    "INSERT INTO person (tenant_id, id_number, name, gender, birth_date, office_id)
                       SELECT {id}, lpad(({id} * 100000000 + g)::text, 18, '0'), '人员' || g, 'male', '1985-01-01', 1 FROM generate_series(1, {per}) g;",
                    id = t.id
                ),
            );
        }
    });
    let _ = gen;
    for t in &tenants {
        owner_tx(
            &app,
            t.id,
            &format!(
                "INSERT INTO app_user (tenant_id, office_id, username, display_name, password_hash) VALUES ({id}, 1, 'gen', 'gen', 'x') ON CONFLICT DO NOTHING;
                 INSERT INTO employer (tenant_id, credit_code, name, risk_class, registered_on, office_id, created_by)
                   SELECT {id}, '91' || lpad(({id} * 10000 + g)::text, 16, '0'), '单位' || g, 1 + g % 8, '2020-01-01', 1,
                          (SELECT min(id) FROM app_user WHERE tenant_id = {id}) FROM generate_series(1, 100) g;
                 INSERT INTO enrolment (tenant_id, person_id, employer_id, insurance_type, start_period, office_id, created_by)
                   SELECT {id}, p.id, (SELECT min(id) FROM employer WHERE tenant_id = {id}), t, '2026-07-01', 1, (SELECT min(id) FROM app_user WHERE tenant_id = {id})
                   FROM person p CROSS JOIN unnest(ARRAY['pension','medical','unemployment','work_injury']) t WHERE p.tenant_id = {id};
                 INSERT INTO stat_value (tenant_id, metric, insurance_type, value)
                   SELECT {id}, 'active_enrolments', insurance_type, count(*) FROM enrolment WHERE status = 'active' GROUP BY insurance_type;
                 INSERT INTO stat_value (tenant_id, metric, value) SELECT {id}, 'persons', count(*) FROM person;
                 INSERT INTO stat_value (tenant_id, metric, value) SELECT {id}, 'employers', count(*) FROM employer;
                 INSERT INTO stat_value (tenant_id, metric, period, insurance_type, value)
                   SELECT {id}, 'new_enrolments', start_period, insurance_type, count(*) FROM enrolment GROUP BY start_period, insurance_type;",
                id = t.id
            ),
        );
        eprint!(".");
    }
    eprintln!();
    let mut admin =
        diesel::PgConnection::establish(&jinbao_store::bootstrap::with_database(&jinbao_tests::admin_url(), &app.db_name)).unwrap();
    admin.batch_execute("ANALYZE").unwrap();
    let token = {
        let r = app.login("410000", "sup", "Passw0rd-for-tests").await;
        r.json::<serde_json::Value>().await.unwrap()["token"].as_str().unwrap().to_string()
    };
    let mut lat = Vec::new();
    for _ in 0..200 {
        let t = Instant::now();
        let r = app.get(&token, "/api/v1/province/dashboard").await;
        assert_eq!(r.status(), 200);
        let _ = r.bytes().await.unwrap();
        lat.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    lat.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let p = |q: f64| lat[((lat.len() as f64 * q) as usize).min(lat.len() - 1)];
    let mut raw = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        admin
            .batch_execute(
                "SELECT tenant_id, insurance_type, count(*) FROM enrolment WHERE status = 'active' GROUP BY 1, 2;
                 SELECT tenant_id, start_period, insurance_type, count(*) FROM enrolment GROUP BY 1, 2, 3;
                 SELECT tenant_id, count(*) FROM person GROUP BY 1;",
            )
            .unwrap();
        raw.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    raw.sort_by(|a, b| a.partial_cmp(b).unwrap());
    println!("data: {} persons, {} enrolments in {} tenants", per * tenants.len() as i64, per * 4 * tenants.len() as i64, tenants.len());
    println!(
        "dashboard API (no cache): p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms over {} requests",
        p(0.5),
        p(0.95),
        lat[lat.len() - 1],
        lat.len()
    );
    println!("raw GROUP BY over the base tables: median {:.0} ms (of 3)", raw[1]);
    println!("ratio raw / dashboard p95: {:.0}x", raw[1] / p(0.95));
}

/// Writes a persons file of `n` valid rows (distinct identity numbers, UTF-8) for
/// `jinbao import persons`.
/// Row `i` of the persons benchmark file: identity number, name, 户口性质, phone, address.
fn person_row(i: usize) -> [String; 5] {
    let start = chrono::NaiveDate::from_ymd_opt(1960, 1, 1).unwrap();
    let birth = (start + chrono::Duration::days((i / 1000) as i64)).format("%Y%m%d").to_string();
    let id = jinbao_tests::id_number("410802", &birth, (i % 1000) as u32);
    let hukou = if matches!(i % 3, 0) { "农村" } else { "城镇" };
    [id, format!("测试{i}"), hukou.to_string(), format!("1380000{:04}", i % 10_000), format!("焦作市解放区{}号", i % 500)]
}

const PERSONS_HEADER: [&str; 5] = ["身份证号码", "姓名", "户口性质", "联系电话", "地址"];

fn persons_csv(n: usize, path: &str) {
    use std::io::Write;
    let mut w = std::io::BufWriter::new(std::fs::File::create(path).expect("create file"));
    writeln!(w, "{}", PERSONS_HEADER.join(",")).unwrap();
    for i in 0..n {
        writeln!(w, "{}", person_row(i).join(",")).unwrap();
    }
    w.flush().unwrap();
    println!("{n} rows written to {path}");
}

/// The same rows as an .xlsx workbook (every cell a text cell, as Excel keeps identity numbers).
fn persons_xlsx(n: usize, path: &str) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in PERSONS_HEADER.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for i in 0..n {
        for (c, v) in person_row(i).iter().enumerate() {
            sheet.write_string(i as u32 + 1, c as u16, v).unwrap();
        }
    }
    book.save(path).expect("save workbook");
    println!("{n} rows written to {path}");
}

/// Person ids `lo..=hi`, drawn by a small xorshift generator (one per client, no shared state).
struct Draw(u64, i64, i64);

impl Draw {
    fn next(&mut self) -> i64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.1 + (self.0 % (self.2 - self.1 + 1) as u64) as i64
    }
}

/// Drives `GET /api/v1/persons/{id}` from `clients` concurrent clients for `seconds`. With a
/// `rate` (requests/s over all clients) each client keeps its own schedule and a latency counts
/// from the moment the request was due, so a stalled server is not hidden by a waiting client.
/// Returns (requests, elapsed seconds, sorted latencies in microseconds).
async fn drive(base: &str, token: &str, ids: (i64, i64), clients: usize, seconds: f64, rate: Option<f64>) -> (usize, f64, Vec<u32>) {
    let client = reqwest::Client::builder().pool_max_idle_per_host(clients).build().unwrap();
    let started = Instant::now();
    let deadline = started + Duration::from_secs_f64(seconds);
    let mut handles = Vec::new();
    for c in 0..clients {
        let (client, base, token) = (client.clone(), base.to_string(), format!("Bearer {token}"));
        handles.push(tokio::spawn(async move {
            let mut draw = Draw(0x9E37_79B9_7F4A_7C15 ^ ((c as u64 + 1) * 0x2545_F491_4F6C_DD1D), ids.0, ids.1);
            let every = rate.map(|r| Duration::from_secs_f64(clients as f64 / r));
            let mut due = started + every.map_or(Duration::ZERO, |e| e.mul_f64(c as f64 / clients as f64));
            let mut lat = Vec::with_capacity(1 << 16);
            while Instant::now() < deadline {
                if every.is_some() {
                    tokio::time::sleep_until(due.into()).await;
                    if due >= deadline {
                        break;
                    }
                } else {
                    due = Instant::now();
                }
                let r = client.get(format!("{base}/api/v1/persons/{}", draw.next())).header("Authorization", &token).send().await.unwrap();
                assert_eq!(r.status(), 200);
                let _ = r.bytes().await.unwrap();
                lat.push(due.elapsed().as_micros().min(u32::MAX as u128) as u32);
                if let Some(e) = every {
                    due += e;
                }
            }
            lat
        }));
    }
    let mut all = Vec::new();
    for h in handles {
        all.extend(h.await.unwrap());
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.sort_unstable();
    (all.len(), elapsed, all)
}

fn quantile_ms(sorted: &[u32], q: f64) -> f64 {
    sorted[((sorted.len() as f64 * q) as usize).min(sorted.len() - 1)] as f64 / 1000.0
}

/// (VmRSS, VmHWM) of a process in kB, from /proc.
fn rss_kb(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status.lines().find(|l| l.starts_with(name)).and_then(|l| l.split_whitespace().nth(1)).and_then(|v| v.parse().ok()).unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// Runs a pgbench script as the app role; answers transactions/s.
fn pgbench(app: &TestApp, name: &str, script: &str, clients: usize, seconds: u64) -> f64 {
    let path = std::env::temp_dir().join(format!("{}-{name}.sql", app.db_name));
    std::fs::write(&path, script).unwrap();
    let out = std::process::Command::new("pgbench")
        .args(["-n", "-c", &clients.to_string(), "-j", "2", "-T", &seconds.to_string(), "-f"])
        .arg(&path)
        .arg(&app.app_url)
        .output()
        .expect("pgbench (Debian postgresql-contrib / postgresql-client) must be installed");
    let _ = std::fs::remove_file(&path);
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines()
        .find(|l| l.starts_with("tps"))
        .and_then(|l| l.split_whitespace().nth(2))
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("pgbench output: {text}\n{}", String::from_utf8_lossy(&out.stderr)))
}

/// `GET /api/v1/persons/{id}` served by the release `jinbao serve` (a separate process, so its
/// RSS is its own) against pgbench doing the same lookup in a tenant transaction, in one run.
async fn lookup(persons: i64, clients: usize, seconds: u64) {
    let exe = std::env::current_exe().unwrap().with_file_name("jinbao");
    assert!(exe.exists(), "{} is missing: cargo build --release -p jinbao", exe.display());
    let app = TestApp::start().await;
    let tid = app.tenant_id("411000").0;
    let token = app.token("411000", "bench", &["clerk"]).await;
    let uid = jinbao_tests::count_sql(&app, "411000", "SELECT max(id) AS n FROM app_user");
    eprintln!("generating {persons} persons in 411000 …");
    timed("generate", || {
        owner_tx(
            &app,
            tid,
            &format!(
                "INSERT INTO person (tenant_id, id_number, name, gender, birth_date, office_id, created_by)
                   SELECT {tid}, '4110' || lpad(g::text, 14, '0'), '人员' || g, 'male', '1985-01-01', 1, {uid} FROM generate_series(1, {persons}) g;"
            ),
        )
    });
    let mut admin =
        diesel::PgConnection::establish(&jinbao_store::bootstrap::with_database(&jinbao_tests::admin_url(), &app.db_name)).unwrap();
    admin.batch_execute("VACUUM ANALYZE").unwrap();
    let lo = jinbao_tests::count_sql(&app, "411000", "SELECT min(id) AS n FROM person");
    let hi = jinbao_tests::count_sql(&app, "411000", "SELECT max(id) AS n FROM person");

    // The real server, as `jinbao serve` runs in production, one pool connection per client.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut server = std::process::Command::new(&exe)
        .arg("serve")
        .env("DATABASE_URL", &app.app_url)
        .env("REDIS_URL", jinbao_tests::redis_url())
        .env("JINBAO_REDIS_PREFIX", &app.db_name)
        .env("JINBAO_JWT_KEY_FILE", &app.keys_file)
        .env("JINBAO_BIND", format!("127.0.0.1:{port}"))
        .env("JINBAO_FRONTEND_DIR", jinbao_tests::repo_root().join("frontend"))
        .env("JINBAO_DB_POOL_SIZE", clients.to_string())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let ready = Instant::now();
    while reqwest::get(format!("{base}/healthz")).await.is_err() {
        assert!(ready.elapsed() < Duration::from_secs(20), "server did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    drive(&base, &token, (lo, hi), clients, 3.0, None).await; // warm-up
    let (n, secs, lat) = drive(&base, &token, (lo, hi), clients, seconds as f64, None).await;
    let rps = n as f64 / secs;
    let (rss, hwm) = rss_kb(server.id());
    let (hn, hsecs, hlat) = drive(&base, &token, (lo, hi), clients, seconds as f64, Some(rps / 2.0)).await;
    let _ = server.kill();
    let _ = server.wait();

    let claims: serde_json::Value = {
        use base64::Engine;
        let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(token.split('.').nth(1).unwrap()).unwrap();
        serde_json::from_slice(&payload).unwrap()
    };
    let jti = claims["jti"].as_str().unwrap();
    let select = format!(
        "SELECT id, id_number, name, gender, birth_date, ethnicity, hukou_kind, address, phone, status, office_id, version, created_at, updated_at
         FROM person WHERE tenant_id = {tid} AND id = :id LIMIT 1;"
    );
    let minimal = format!(
        "\\set id random({lo}, {hi})\nBEGIN;\nSELECT set_config('jinbao.tenant_id', '{tid}', true);\n{}\nCOMMIT;\n",
        select.replace('\n', " ")
    );
    let checked = format!(
        "\\set id random({lo}, {hi})\nBEGIN;\nSELECT set_config('jinbao.tenant_id', '{tid}', true);\n\
         SELECT u.status, u.token_epoch AS epoch, EXISTS (SELECT 1 FROM revoked_token WHERE tenant_id = {tid} AND jti = '{jti}') AS revoked, \
         EXISTS (SELECT 1 FROM tenant WHERE id = {tid} AND status = 'suspended') AS suspended FROM (SELECT 1) one LEFT JOIN app_user u ON u.tenant_id = {tid} AND u.id = {uid};\n\
         {}\nCOMMIT;\n",
        select.replace('\n', " ")
    );
    let tps_min = pgbench(&app, "lookup-minimal", &minimal, clients, seconds);
    let tps_checked = pgbench(&app, "lookup-checked", &checked, clients, seconds);

    println!("data: {persons} persons in 411000; {clients} connections; {seconds} s per phase; release `jinbao serve`, pool {clients}");
    println!(
        "GET /api/v1/persons/{{id}}: {n} requests, {rps:.0}/s; p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms",
        quantile_ms(&lat, 0.5),
        quantile_ms(&lat, 0.95),
        quantile_ms(&lat, 0.99)
    );
    println!(
        "at half that load ({:.0}/s offered, {:.0}/s served): p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms",
        rps / 2.0,
        hn as f64 / hsecs,
        quantile_ms(&hlat, 0.5),
        quantile_ms(&hlat, 0.95),
        quantile_ms(&hlat, 0.99)
    );
    println!("server RSS after the full-load phase: {} MB (peak {} MB)", rss / 1024, hwm / 1024);
    println!("pgbench BEGIN, set_config, SELECT, COMMIT: {tps_min:.0} transactions/s");
    println!("pgbench with the session check: {tps_checked:.0} transactions/s");
    println!("ratio API/minimal: {:.2}; API/with session check: {:.2}", rps / tps_min, rps / tps_checked);
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("assessment") => assessment(args.get(1).and_then(|v| v.parse().ok()).unwrap_or(1_000_000)).await,
        Some("dashboard") => dashboard(args.get(1).and_then(|v| v.parse().ok()).unwrap_or(10_000_000)).await,
        Some("enrolment") => {
            enrolment(args.get(1).and_then(|v| v.parse().ok()).unwrap_or(16), args.get(2).and_then(|v| v.parse().ok()).unwrap_or(20)).await
        }
        Some("lookup") => {
            let arg = |i: usize, d: u64| args.get(i).and_then(|v| v.parse().ok()).unwrap_or(d);
            lookup(arg(1, 200_000) as i64, arg(2, 8) as usize, arg(3, 20)).await
        }
        Some("persons-csv") => {
            persons_csv(args.get(1).and_then(|v| v.parse().ok()).unwrap_or(1_000_000), args.get(2).map_or("persons-1m.csv", String::as_str))
        }
        Some("persons-xlsx") => {
            persons_xlsx(args.get(1).and_then(|v| v.parse().ok()).unwrap_or(1_000_000), args.get(2).map_or("persons-1m.xlsx", String::as_str))
        }
        _ => eprintln!(
            "usage: jinbao-bench assessment [enrolments] | enrolment [clients] [seconds] | dashboard [persons] | lookup [persons] [connections] [seconds] | persons-csv [rows] [file] | persons-xlsx [rows] [file]"
        ),
    }
}
