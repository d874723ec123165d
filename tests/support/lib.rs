//! Test support: a migrated template database built once, a private database per test cloned
//! from it, and the real application served on a free port, connected as the app role.

pub mod cluster;
pub mod openapi;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, OnceLock};

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection, RunQueryDsl};
use jinbao_store::bootstrap::{self, with_database, with_user, APP_ROLE, OWNER_ROLE};
use jinbao_store::repo::users::{self, NewUser};
use jinbao_store::{tenant_config, Actor, Db, TenantId};
use reqwest::{Client, Response};
use serde_json::Value;

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("repo root").to_path_buf()
}

pub fn admin_url() -> String {
    std::env::var("JINBAO_ADMIN_DATABASE_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

pub fn redis_url() -> String {
    std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379/".into())
}

/// Hash of migrations and tenant files: a change builds a new template.
fn content_hash() -> String {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for dir in ["migrations", "tenants"] {
        let mut files = Vec::new();
        collect(&repo_root().join(dir), &mut files);
        files.sort();
        for f in files {
            f.to_string_lossy().hash(&mut h);
            std::fs::read(&f).unwrap_or_default().hash(&mut h);
        }
    }
    format!("{:x}", h.finish())
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// The template database name, built on first use (guarded by an advisory lock across processes).
fn template() -> &'static str {
    static T: OnceLock<String> = OnceLock::new();
    T.get_or_init(|| {
        let name = format!("jinbao_tmpl_{}", &content_hash()[..12]);
        let admin = admin_url();
        bootstrap::bootstrap(&admin, None, None).expect("bootstrap roles (is PostgreSQL up?)");
        let mut c = PgConnection::establish(&admin).expect("admin connection");
        c.batch_execute("SELECT pg_advisory_lock(4711)").unwrap();
        sweep_stale(&mut c);
        #[derive(diesel::QueryableByName)]
        struct N {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let exists: N = diesel::sql_query("SELECT count(*) AS n FROM pg_database WHERE datname = $1")
            .bind::<diesel::sql_types::Text, _>(&name)
            .get_result(&mut c)
            .unwrap();
        if exists.n == 0 {
            let building = format!("{name}_build");
            c.batch_execute(&format!("DROP DATABASE IF EXISTS {building}")).unwrap();
            c.batch_execute(&format!("CREATE DATABASE {building} OWNER {OWNER_ROLE} TEMPLATE template0 ENCODING 'UTF8'")).unwrap();
            let owner = with_user(&with_database(&admin, &building), OWNER_ROLE);
            jinbao_store::migrate::run_pending(&owner).expect("migrations");
            let tenants = tenant_config::load_dir(&repo_root().join("tenants")).expect("tenant files");
            let mut oc = PgConnection::establish(&owner).unwrap();
            tenant_config::sync(&mut oc, &tenants).expect("tenants sync");
            drop(oc);
            c.batch_execute(&format!("ALTER DATABASE {building} RENAME TO {name}")).unwrap();
        }
        c.batch_execute("SELECT pg_advisory_unlock(4711)").unwrap();
        name
    })
}

/// The Citus cluster the tests run on instead of one PostgreSQL, when `infra/citus/test.sh` runs
/// them (its directory; `JINBAO_ADMIN_DATABASE_URL` then names the coordinator).
fn citus_dir() -> Option<PathBuf> {
    std::env::var_os("JINBAO_TEST_CITUS_DIR").map(PathBuf::from)
}

/// A test's database on the Citus cluster: a template cannot be cloned there (the shards live on
/// the workers), so each test's database is made on every node, migrated, loaded with `tenants/`
/// and distributed (`jinbao db distribute`), with four shards per table to keep it quick.
fn citus_database(dir: &Path, db_name: &str) {
    static ROLES: OnceLock<()> = OnceLock::new();
    let admin = admin_url();
    ROLES.get_or_init(|| {
        bootstrap::bootstrap(&admin, None, None).expect("bootstrap roles on the coordinator");
    });
    // Citus propagates some of the statements below (the extension, the node registration, the
    // migrations' functions and grants) to the workers' catalogues, which concurrent runs update
    // at once ("tuple concurrently updated"): one database at a time per test process.
    static DDL: Mutex<()> = Mutex::new(());
    let _one = DDL.lock().unwrap_or_else(|e| e.into_inner());
    let mut c = PgConnection::establish(&admin).unwrap();
    c.batch_execute(&format!("CREATE DATABASE {db_name} OWNER {OWNER_ROLE} TEMPLATE template0 ENCODING 'UTF8'")).unwrap();
    c.batch_execute(&format!("ALTER DATABASE {db_name} SET citus.shard_count = 4")).unwrap();
    let out = std::process::Command::new("bash")
        .arg(repo_root().join("infra/citus/cluster.sh"))
        .args(["database", dir.to_str().unwrap(), db_name])
        .output()
        .unwrap();
    assert!(out.status.success(), "citus database: {}", String::from_utf8_lossy(&out.stderr));
    let owner = with_user(&with_database(&admin, db_name), OWNER_ROLE);
    jinbao_store::migrate::run_pending(&owner).expect("migrations");
    let tenants = tenant_config::load_dir(&repo_root().join("tenants")).expect("tenant files");
    tenant_config::sync(&mut PgConnection::establish(&owner).unwrap(), &tenants).expect("tenants sync");
    jinbao_store::citus::distribute(&owner, &with_database(&admin, db_name)).expect("distribute");
}

/// Drops per-test databases whose process has exited, and outdated templates.
fn sweep_stale(c: &mut PgConnection) {
    #[derive(diesel::QueryableByName)]
    struct D {
        #[diesel(sql_type = diesel::sql_types::Text)]
        datname: String,
    }
    let dbs: Vec<D> =
        diesel::sql_query("SELECT datname::text AS datname FROM pg_database WHERE datname LIKE 'jinbao_t\\_%'").load(c).unwrap_or_default();
    for d in dbs {
        let pid: Option<u32> = d.datname.strip_prefix("jinbao_t_").and_then(|r| r.split('_').next()).and_then(|p| p.parse().ok());
        if pid.is_some_and(|p| !Path::new(&format!("/proc/{p}")).exists()) {
            let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", d.datname));
        }
    }
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// One test's database and running application.
pub struct TestApp {
    pub base: String,
    pub db_name: String,
    pub app_url: String,
    pub owner_url: String,
    pub db: Db,
    pub client: Client,
    pub keys_file: PathBuf,
    stopper: Mutex<Option<actix_web::dev::ServerHandle>>,
    thread: Mutex<Option<std::thread::JoinHandle<()>>>,
}

impl TestApp {
    /// A fresh database from the template and the app served on a free port.
    pub async fn start() -> TestApp {
        TestApp::start_with(|_| {}).await
    }

    pub async fn start_with(adjust: impl FnOnce(&mut jinbao_web::Settings)) -> TestApp {
        let db_name = format!("jinbao_t_{}_{}", std::process::id(), COUNTER.fetch_add(1, Ordering::SeqCst));
        let admin = admin_url();
        match citus_dir() {
            Some(dir) => citus_database(&dir, &db_name),
            None => {
                let tmpl = template();
                let mut c = PgConnection::establish(&admin).unwrap();
                c.batch_execute(&format!("CREATE DATABASE {db_name} TEMPLATE {tmpl} OWNER {OWNER_ROLE}")).expect("clone template");
            }
        }
        let app_url = with_user(&with_database(&admin, &db_name), APP_ROLE);
        let owner_url = with_user(&with_database(&admin, &db_name), OWNER_ROLE);
        let keys = std::env::temp_dir().join(format!("{db_name}.keys"));
        std::fs::write(&keys, jinbao_web::auth::KeySet::generate_line()).unwrap();
        let mut settings = jinbao_web::Settings {
            database_url: app_url.clone(),
            analytics_database_url: None,
            replica_max_lag_seconds: 300.0,
            redis_url: redis_url(),
            redis_prefix: db_name.clone(),
            jwt_key_file: keys.clone(),
            bind: "127.0.0.1:0".into(),
            frontend_dir: repo_root().join("frontend"),
            token_ttl_minutes: 30,
            cookie_secure: false,
            pool_size: 4,
            login: jinbao_web::auth::rate_limit::LoginPolicy::default(),
            trusted_proxies: Vec::new(),
            metrics_token: None,
        };
        adjust(&mut settings);
        let state = jinbao_web::build_state(settings).expect("app state");
        let db = state.db.clone();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let (tx, rx) = std::sync::mpsc::channel();
        let thread = std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let server = jinbao_web::run(state, listener).expect("server");
                tx.send(server.handle()).unwrap();
                let _ = server.await;
            })
        });
        let handle = rx.recv().unwrap();
        TestApp {
            base: format!("http://127.0.0.1:{port}"),
            db_name,
            app_url,
            owner_url,
            db,
            keys_file: keys,
            client: Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap(),
            stopper: Mutex::new(Some(handle)),
            thread: Mutex::new(Some(thread)),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub fn tenant_id(&self, code: &str) -> TenantId {
        let t = jinbao_store::repo::global::tenants(&self.db).unwrap();
        TenantId(t.into_iter().find(|t| t.code == code).expect("tenant").id)
    }

    /// Creates a user directly in the store; returns the password.
    pub fn create_user(&self, tenant: &str, username: &str, roles: &[&str]) -> String {
        let pw = "Passw0rd-for-tests".to_string();
        let hash = jinbao_web::auth::password::hash(&pw).unwrap();
        let roles: Vec<String> = roles.iter().map(|r| r.to_string()).collect();
        self.db
            .tenant(self.tenant_id(tenant), Actor::system("test"), |tx| {
                users::create(
                    tx,
                    &NewUser {
                        username,
                        display_name: username,
                        office_code: None,
                        roles: &roles,
                        password_hash: &hash,
                        must_change_password: false,
                    },
                )
            })
            .expect("create user");
        pw
    }

    pub async fn login(&self, tenant: &str, username: &str, password: &str) -> Response {
        let r = self
            .client
            .post(self.url("/api/v1/auth/login"))
            .json(&serde_json::json!({"tenant": tenant, "username": username, "password": password}))
            .send()
            .await
            .unwrap();
        checked("POST", "/api/v1/auth/login", r).await
    }

    /// A user with the given roles, logged in; returns the bearer token.
    pub async fn token(&self, tenant: &str, username: &str, roles: &[&str]) -> String {
        let pw = self.create_user(tenant, username, roles);
        let r = self.login(tenant, username, &pw).await;
        assert_eq!(r.status(), 200, "login of {username}");
        let v: Value = r.json().await.unwrap();
        v["token"].as_str().unwrap().to_string()
    }

    pub async fn get(&self, token: &str, path: &str) -> Response {
        checked("GET", path, self.client.get(self.url(path)).bearer_auth(token).send().await.unwrap()).await
    }

    pub async fn post(&self, token: &str, path: &str, body: &Value) -> Response {
        checked("POST", path, self.client.post(self.url(path)).bearer_auth(token).json(body).send().await.unwrap()).await
    }

    pub async fn patch(&self, token: &str, path: &str, body: &Value) -> Response {
        checked("PATCH", path, self.client.patch(self.url(path)).bearer_auth(token).json(body).send().await.unwrap()).await
    }

    pub fn app_conn(&self) -> PgConnection {
        PgConnection::establish(&self.app_url).unwrap()
    }

    pub fn owner_conn(&self) -> PgConnection {
        PgConnection::establish(&self.owner_url).unwrap()
    }

    /// Counts rows of `table` as the owner with the tenant set (RLS applies to the owner too).
    pub fn count_in(&self, tenant: &str, table: &str) -> i64 {
        count_sql(self, tenant, &format!("SELECT count(*) AS n FROM {table}"))
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(h) = self.stopper.lock().unwrap().take() {
            let _ = std::thread::spawn(move || actix_web::rt::System::new().block_on(h.stop(false))).join();
        }
        if let Some(t) = self.thread.lock().unwrap().take() {
            let _ = t.join();
        }
        let _ = std::fs::remove_file(&self.keys_file);
        if let Ok(mut c) = PgConnection::establish(&admin_url()) {
            let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.db_name));
        }
    }
}

/// Well-formed identity numbers for tests: area + birth date + sequence + computed check.
pub fn id_number(area: &str, birth: &str, seq: u32) -> String {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let first = format!("{area}{birth}{seq:03}");
    let s: u32 = first.bytes().zip(W).map(|(d, w)| u32::from(d - b'0') * w).sum();
    let c = b"10X98765432"[(s % 11) as usize] as char;
    format!("{first}{c}")
}

/// Well-formed credit codes for tests.
pub fn credit_code(area: &str, org: &str) -> String {
    const A: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    const W: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    let first = format!("91{area}{org}");
    assert_eq!(first.len(), 17);
    let s: u32 = first.bytes().zip(W).map(|(b, w)| A.iter().position(|&a| a == b).unwrap() as u32 * w).sum();
    let c = A[((31 - s % 31) % 31) as usize] as char;
    format!("{first}{c}")
}

/// Registers a person through the API; returns the JSON response body (asserting 201).
pub async fn register_person(app: &TestApp, token: &str, id_number: &str, name: &str) -> Value {
    let r = app.post(token, "/api/v1/persons", &serde_json::json!({"id_number": id_number, "name": name})).await;
    assert_eq!(r.status(), 201, "register {id_number}");
    r.json().await.unwrap()
}

/// Registers an employer through the API; returns the JSON response body (asserting 201).
pub async fn register_employer(app: &TestApp, token: &str, code: &str, name: &str) -> Value {
    let r = app
        .post(
            token,
            "/api/v1/employers",
            &serde_json::json!({"credit_code": code, "name": name, "risk_class": 2, "registered_on": "2020-01-15"}),
        )
        .await;
    assert_eq!(r.status(), 201, "register employer {code}");
    r.json().await.unwrap()
}

/// Row count of a query run as the owner with a tenant set.
pub fn count_sql(app: &TestApp, tenant: &str, sql: &str) -> i64 {
    let tid = app.tenant_id(tenant).0;
    let mut c = app.owner_conn();
    c.transaction::<i64, diesel::result::Error, _>(|c| {
        c.batch_execute(&format!("SELECT set_tenant({tid}::smallint)"))?;
        #[derive(diesel::QueryableByName)]
        struct N {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let n: N = diesel::sql_query(sql).get_result(c)?;
        Ok(n.n)
    })
    .unwrap()
}

/// A clerk, a reviewer and an approved maternity allowance (one-off, 2026-11) paid by bank to
/// `account` in Xuchang.
pub struct ApprovedClaim {
    pub clerk: String,
    pub reviewer: String,
    pub claim: i64,
}

pub async fn approved_maternity_claim(app: &TestApp, account: &str) -> ApprovedClaim {
    let clerk = app.token("411000", "clerk", &["clerk"]).await;
    let reviewer = app.token("411000", "reviewer", &["reviewer"]).await;
    let employer = register_employer(app, &clerk, &credit_code("411000", "MA0000051"), "许昌电器厂").await;
    let mother = register_person(app, &clerk, &id_number("411002", "19930505", 32), "钱妈妈").await;
    let r = app
        .post(
            &clerk,
            "/api/v1/benefits/maternity",
            &serde_json::json!({"person_id": mother["id"], "employer_id": employer["id"], "case": "birth", "event_date": "2026-11-02",
                    "employer_avg_wage": "6000", "channel": "bank", "bank_name": "中国银行许昌分行", "account_no": account}),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let claim = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    assert_eq!(app.post(&reviewer, &format!("/api/v1/benefits/claims/{claim}/approve"), &serde_json::json!({})).await.status(), 200);
    ApprovedClaim { clerk, reviewer, claim }
}

/// The response, after holding it to the API document (`openapi::Contract::check`): a status the
/// document does not list for the operation, or a JSON body its schema refuses, fails the test.
pub async fn checked(method: &str, path: &str, r: Response) -> Response {
    let status = r.status();
    let version = r.version();
    let headers = r.headers().clone();
    let bytes = r.bytes().await.expect("response body");
    let content_type = headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("");
    if let Err(problem) = openapi::contract().check(method, path, status.as_u16(), content_type, &bytes) {
        panic!("the response disagrees with the API document: {problem}");
    }
    let mut rebuilt = http::Response::builder().status(status).version(version);
    *rebuilt.headers_mut().expect("builder") = headers;
    Response::from(rebuilt.body(bytes).expect("response"))
}

/// A browser for page tests: cookies kept, redirects not followed (the tests read them).
pub fn browser() -> Client {
    Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

/// The value of a hidden (or any) input `name` in a page.
pub fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let i = html.find(&marker).unwrap_or_else(|| panic!("no hidden {name}")) + marker.len();
    html[i..].split('"').next().unwrap().to_string()
}

/// The text of the element with `id` (up to its first child tag).
pub fn by_id(html: &str, id: &str) -> String {
    let marker = format!("id=\"{id}\">");
    let i = html.find(&marker).unwrap_or_else(|| panic!("no #{id}")) + marker.len();
    html[i..].split('<').next().unwrap().trim().to_string()
}

/// A form POST with repeated names kept (`types` once per ticked box).
pub async fn post_form(b: &Client, url: String, fields: &[(&str, &str)]) -> Response {
    let body = serde_urlencoded::to_string(fields).unwrap();
    b.post(url).header("content-type", "application/x-www-form-urlencoded").body(body).send().await.unwrap()
}

/// A browser signed in on the staff pages as a new user `username` of `tenant` with `roles`.
pub async fn staff_browser(app: &TestApp, tenant: &str, username: &str, roles: &[&str]) -> Client {
    let pw = app.create_user(tenant, username, roles);
    let b = browser();
    let html = b.get(app.url("/login")).send().await.unwrap().text().await.unwrap();
    let r = post_form(
        &b,
        app.url("/login"),
        &[("tenant", tenant), ("username", username), ("password", &pw), ("csrf", &hidden(&html, "csrf")), ("next", "/")],
    )
    .await;
    assert_eq!(r.status(), 303, "staff login of {username}");
    b
}

/// The expenditure of `fund` in `month` (`YYYY-MM-01`) in a `/api/v1/finance/ledger` answer.
pub fn ledger_spent(ledger: &Value, fund: &str, month: &str) -> i64 {
    ledger["lines"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|l| l["insurance_type"] == fund && l["period"] == month)
        .filter_map(|l| l["expenditure_fen"].as_i64())
        .sum()
}

/// Waits for a background job (`/api/v1/jobs/{job}`) to finish and returns its last state; a failed
/// job or one not done within 20 s fails the test.
pub async fn wait_job(app: &TestApp, token: &str, job: i64) -> Value {
    for _ in 0..400 {
        let v: Value = app.get(token, &format!("/api/v1/jobs/{job}")).await.json().await.unwrap();
        match v["status"].as_str() {
            Some("done") => return v,
            Some("failed") => panic!("job failed: {v}"),
            _ => tokio::time::sleep(std::time::Duration::from_millis(50)).await,
        }
    }
    panic!("job {job} did not finish");
}
