//! Online service for employers (单位网上经办): accounts opened by a clerk, the portal's own
//! login, the one-form hire with its preview, leavers, the wage declaration, the statement and
//! certificates — and the isolation the database enforces between employers of one city: an
//! employer's account reaches its own employer and its own people by no route, HTTP or SQL.

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Text};
use jinbao_tests::{browser, by_id, count_sql, credit_code, hidden, id_number, post_form as post, register_employer, TestApp};
use reqwest::Client;
use serde_json::{json, Value};

async fn staff(app: &TestApp, tenant: &str, user: &str, roles: &[&str]) -> Client {
    let pw = app.create_user(tenant, user, roles);
    let b = browser();
    let html = b.get(app.url("/login")).send().await.unwrap().text().await.unwrap();
    let r = post(
        &b,
        app.url("/login"),
        &[("tenant", tenant), ("username", user), ("password", &pw), ("csrf", &hidden(&html, "csrf")), ("next", "/")],
    )
    .await;
    assert_eq!(r.status(), 303, "staff login {user}");
    b
}

/// A clerk opens an accountant's account on the employer's page; returns the one-time password.
async fn open_account(app: &TestApp, clerk: &Client, employer: i64, login: &str) -> String {
    let page = clerk.get(app.url(&format!("/employers/{employer}"))).send().await.unwrap().text().await.unwrap();
    let r = post(
        clerk,
        app.url(&format!("/employers/{employer}/accounts")),
        &[("csrf", &hidden(&page, "csrf")), ("login", login), ("display_name", "李会计"), ("phone", "13800000000")],
    )
    .await;
    assert_eq!(r.status(), 201, "account opened");
    by_id(&r.text().await.unwrap(), "letter-password")
}

/// The accountant's first login with the one-time password, then the forced change.
async fn portal_login(app: &TestApp, tenant: &str, login: &str, one_time: &str) -> Client {
    let b = browser();
    let html = b.get(app.url("/portal/login")).send().await.unwrap().text().await.unwrap();
    let r = post(
        &b,
        app.url("/portal/login"),
        &[
            ("kind", "employer"),
            ("tenant", tenant),
            ("login", login),
            ("password", one_time),
            ("csrf", &hidden(&html, "csrf")),
            ("next", "/portal"),
        ],
    )
    .await;
    assert_eq!(r.status(), 303, "portal login {login}");
    let r = b.get(app.url("/portal/employees")).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/portal/password", "the one-time password must be changed first");
    let form = b.get(app.url("/portal/password")).send().await.unwrap().text().await.unwrap();
    let r = post(
        &b,
        app.url("/portal/password"),
        &[("csrf", &hidden(&form, "csrf")), ("current", one_time), ("new", "Kuaiji-2026-mima"), ("confirm", "Kuaiji-2026-mima")],
    )
    .await;
    assert_eq!(r.status(), 303, "password changed");
    b
}

async fn enrol(app: &TestApp, token: &str, employer: i64, id: &str, name: &str) -> i64 {
    let r = app
        .post(
            token,
            "/api/v1/enrolments",
            &json!({"person": {"id_number": id, "name": name}, "employer_id": employer, "start_period": "2026-07", "declared_wage": "5000",
                                                  "insurance_types": ["pension", "medical", "unemployment", "work_injury", "maternity"]}),
        )
        .await;
    assert_eq!(r.status(), 201);
    r.json::<Value>().await.unwrap()["person_id"].as_i64().unwrap()
}

struct City {
    app: TestApp,
    api: String,
    clerk: Client,
    a: i64,
    b: i64,
    /// Employed by A / by B.
    pa: i64,
    pb: i64,
    pb_id: String,
}

async fn city() -> City {
    let app = TestApp::start().await;
    let api = app.token("411000", "api", &["clerk"]).await;
    let a = register_employer(&app, &api, &credit_code("411000", "MA0000001"), "许昌甲厂").await["id"].as_i64().unwrap();
    let b = register_employer(&app, &api, &credit_code("411000", "MA0000002"), "许昌乙厂").await["id"].as_i64().unwrap();
    let pa = enrol(&app, &api, a, &id_number("411002", "19900815", 21), "甲职工").await;
    let pb_id = id_number("411002", "19880101", 33);
    let pb = enrol(&app, &api, b, &pb_id, "乙职工").await;
    let clerk = staff(&app, "411000", "clerk", &["clerk"]).await;
    City { app, api, clerk, a, b, pa, pb, pb_id }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_employer_account_reaches_no_other_employer_or_person_by_any_route() {
    let c = city().await;
    let app = &c.app;
    let pw = open_account(app, &c.clerk, c.a, "li.kuaiji").await;
    let li = portal_login(app, "411000", "li.kuaiji", &pw).await;
    // The roster: A's employee only.
    let roster = li.get(app.url("/portal/employees")).send().await.unwrap().text().await.unwrap();
    assert!(roster.contains("甲职工") && !roster.contains("乙职工"), "{roster}");
    // B's person by id, on every route that takes one: not found.
    assert_eq!(li.get(app.url(&format!("/portal/employees/{}", c.pa))).send().await.unwrap().status(), 200);
    assert_eq!(li.get(app.url(&format!("/portal/employees/{}", c.pb))).send().await.unwrap().status(), 404);
    let csrf = hidden(&roster, "csrf");
    let r = post(&li, app.url(&format!("/portal/employees/{}/certificate", c.pb)), &[("csrf", &csrf)]).await;
    assert_eq!(r.status(), 404, "no certificate of another employer's person");
    let r = post(
        &li,
        app.url("/portal/employees/leave"),
        &[
            ("csrf", &csrf),
            ("person_id", &c.pb.to_string()),
            ("end_period", "2026-09"),
            ("leave_date", "2026-09-30"),
            ("idem_key", "forged-leave-1"),
        ],
    )
    .await;
    assert_eq!(r.status(), 422, "leaving another employer's person is refused");
    assert_eq!(
        count_sql(app, "411000", &format!("SELECT count(*) AS n FROM enrolment WHERE person_id = {} AND status = 'active'", c.pb)),
        5
    );
    // A certificate the clerk issued for B's person: its code does not open it for A.
    let clerk_page = c.clerk.get(app.url(&format!("/persons/{}", c.pb))).send().await.unwrap().text().await.unwrap();
    let r = post(&c.clerk, app.url(&format!("/persons/{}/certificate", c.pb)), &[("csrf", &hidden(&clerk_page, "csrf"))]).await;
    let cert = r.headers()["location"].to_str().unwrap().rsplit('/').next().unwrap().to_string();
    assert_eq!(li.get(app.url(&format!("/portal/certificates/{cert}"))).send().await.unwrap().status(), 404);
    // Hiring B's person by number and name: a clerk decides; nothing of B is shown.
    let hire = |id: &'static str, name: &'static str, key: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("idem_key", key.to_string()),
            ("id_number", id.to_string()),
            ("name", name.to_string()),
            ("start_period", "2026-08".into()),
            ("declared_wage", "6000".into()),
            ("hire_date", "2026-08-01".into()),
            ("types", "pension".into()),
            ("types", "medical".into()),
            ("action", "submit".into()),
        ]
    };
    let pb_id: &'static str = Box::leak(c.pb_id.clone().into_boxed_str());
    let fields = hire(pb_id, "冒名", "portal-hire-mismatch-1");
    let r = post(&li, app.url("/portal/hire"), &fields.iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>()).await;
    assert_eq!(r.status(), 422, "a wrong name reveals nothing but the mismatch");
    let html = r.text().await.unwrap();
    assert!(!html.contains("乙职工") && !html.contains("许昌乙厂"));
    let fields = hire(pb_id, "乙职工", "portal-hire-elsewhere-1");
    let r = post(&li, app.url("/portal/hire"), &fields.iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>()).await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/portal/applications?flash=applied");
    assert_eq!(count_sql(app, "411000", "SELECT count(*) AS n FROM public_application WHERE status = 'submitted'"), 1);
    assert_eq!(
        count_sql(app, "411000", &format!("SELECT count(*) AS n FROM employment WHERE person_id = {} AND employer_id = {}", c.pb, c.a)),
        0
    );
    let apps = li.get(app.url("/portal/applications")).send().await.unwrap().text().await.unwrap();
    assert!(apps.contains("乙职工") && !apps.contains("许昌乙厂"), "A sees its application, not B");
    // The declaration names B's person: an unknown person for A, nothing applied.
    let csv = format!("身份证号码,申报工资\r\n{},9999\r\n", c.pb_id);
    let page = li.get(app.url("/portal/declaration")).send().await.unwrap().text().await.unwrap();
    let multipart = reqwest::multipart::Form::new()
        .text("csrf", hidden(&page, "csrf"))
        .text("base_year", "2027")
        .part("file", reqwest::multipart::Part::bytes(csv.into_bytes()).file_name("d.csv"));
    let r = li.post(app.url("/portal/declaration")).multipart(multipart).send().await.unwrap();
    assert_eq!(r.status(), 422);
    assert_eq!(count_sql(app, "411000", "SELECT count(*) AS n FROM contribution_base WHERE declared_wage_fen = 999900"), 0);
    // The statement of A holds A's people only.
    let st = li.get(app.url("/portal/statement?period=2026-07")).send().await.unwrap().text().await.unwrap();
    assert!(!st.contains("乙职工"));
    let csv = li.get(app.url("/portal/statement.csv?period=2026-07")).send().await.unwrap().text().await.unwrap();
    assert!(!csv.contains("乙职工"));
    // Sessions do not cross: the portal cookie opens no staff page or API, a staff session no portal page.
    assert_eq!(li.get(app.url("/persons")).send().await.unwrap().status(), 303, "staff pages ask a staff login");
    assert_eq!(li.get(app.url("/api/v1/me")).send().await.unwrap().status(), 401);
    let r = c.clerk.get(app.url("/portal/employees")).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert!(r.headers()["location"].to_str().unwrap().starts_with("/portal/login"));
    // A disabled account stops at once (its token is checked in the database).
    let accounts = c.clerk.get(app.url(&format!("/employers/{}", c.a))).send().await.unwrap().text().await.unwrap();
    let account_id = count_sql(app, "411000", "SELECT id AS n FROM public_account WHERE login = 'li.kuaiji'");
    let r = post(
        &c.clerk,
        app.url(&format!("/employers/{}/accounts/{account_id}/disable", c.a)),
        &[("csrf", &hidden(&accounts, "csrf")), ("reason", "离职")],
    )
    .await;
    assert_eq!(r.status(), 303);
    let r = li.get(app.url("/portal/employees")).send().await.unwrap();
    assert_eq!(r.status(), 303, "a disabled account's session ends");
    // B's account cannot be disabled through A's page.
    let pw_b = open_account(app, &c.clerk, c.b, "b.kuaiji").await;
    let _ = pw_b;
    let b_account = count_sql(app, "411000", "SELECT id AS n FROM public_account WHERE login = 'b.kuaiji'");
    let r = post(
        &c.clerk,
        app.url(&format!("/employers/{}/accounts/{b_account}/disable", c.a)),
        &[("csrf", &hidden(&accounts, "csrf")), ("reason", "错")],
    )
    .await;
    assert_eq!(r.status(), 404);
    assert_eq!(count_sql(app, "411000", "SELECT count(*) AS n FROM public_account WHERE login = 'b.kuaiji' AND status = 'active'"), 1);
}

#[derive(QueryableByName, Debug)]
struct N {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName)]
struct S {
    #[diesel(sql_type = Text)]
    s: String,
}

#[tokio::test(flavor = "multi_thread")]
async fn the_database_keys_the_public_role_on_the_account_principal() {
    let c = city().await;
    let app = &c.app;
    let pw = open_account(app, &c.clerk, c.a, "li.sql").await;
    let _li = portal_login(app, "411000", "li.sql", &pw).await;
    #[derive(QueryableByName)]
    struct Acc {
        #[diesel(sql_type = BigInt)]
        id: i64,
        #[diesel(sql_type = Integer)]
        token_epoch: i32,
    }
    let tid = app.tenant_id("411000").0;
    let mut owner = app.owner_conn();
    owner.batch_execute(&format!("SET jinbao.tenant_id = {tid}")).unwrap();
    let acc: Acc = diesel::sql_query("SELECT id, token_epoch FROM public_account WHERE login = 'li.sql'").get_result(&mut owner).unwrap();
    let mut conn = app.app_conn();
    let begin = format!("BEGIN; SELECT public_session_begin({tid}::smallint, {}, gen_random_uuid(), {})", acc.id, acc.token_epoch);
    let count = |conn: &mut PgConnection, sql: &str| -> i64 { diesel::sql_query(sql).get_result::<N>(conn).unwrap().n };
    conn.batch_execute(&begin).unwrap();
    assert_eq!(diesel::sql_query("SELECT current_user::text AS s").get_result::<S>(&mut conn).unwrap().s, "jinbao_public");
    assert_eq!(count(&mut conn, "SELECT count(*) AS n FROM employer"), 1, "its own employer only");
    assert_eq!(count(&mut conn, "SELECT count(*) AS n FROM person"), 1, "its own employee only");
    assert_eq!(count(&mut conn, &format!("SELECT count(*) AS n FROM person WHERE id = {}", c.pb)), 0);
    assert_eq!(count(&mut conn, &format!("SELECT count(*) AS n FROM enrolment WHERE employer_id = {}", c.b)), 0);
    assert_eq!(count(&mut conn, "SELECT count(*) AS n FROM enrolment"), 5);
    let changed =
        diesel::sql_query(format!("UPDATE enrolment SET status = 'stopped' WHERE employer_id = {}", c.b)).execute(&mut conn).unwrap();
    assert_eq!(changed, 0, "another employer's rows cannot be updated");
    conn.batch_execute("ROLLBACK").unwrap();
    // Writing for another employer, or about a person it does not see, is refused by the policy,
    // whatever the statement says.
    for forged in [
        format!("INSERT INTO employment (tenant_id, person_id, employer_id, start_date, created_by_account) VALUES ({tid}, {}, {}, '2026-08-01', {})", c.pb, c.a, acc.id),
        format!("INSERT INTO enrolment (tenant_id, person_id, employer_id, insurance_type, start_period, office_id, created_by_account) VALUES ({tid}, {}, {}, 'pension', '2026-08-01', 1, {})", c.pb, c.a, acc.id),
        format!("INSERT INTO employment (tenant_id, person_id, employer_id, start_date, created_by_account) VALUES ({tid}, {}, {}, '2026-08-01', {})", c.pa, c.b, acc.id),
        format!("INSERT INTO enrolment (tenant_id, person_id, employer_id, insurance_type, start_period, office_id, created_by_account) VALUES ({tid}, {}, {}, 'pension', '2026-08-01', 1, {})", c.pb, c.b, acc.id),
    ] {
        conn.batch_execute(&begin).unwrap();
        let e = conn.batch_execute(&forged).expect_err("refused");
        assert!(e.to_string().contains("row-level security"), "{e}");
        conn.batch_execute("ROLLBACK").unwrap();
    }
    // Tables the public role has no business with: no privilege at all; a person's tables: no row
    // for an employer principal.
    for (table, denied) in [
        ("app_user", true),
        ("audit_log", true),
        ("bank_statement_line", true),
        ("job", true),
        ("channel_change", true),
        ("benefit_claim", false),
        ("payment_line", false),
        ("transfer", false),
        ("social_security_card", false),
        ("rights_statement", false),
        ("contribution_history", false),
    ] {
        conn.batch_execute(&begin).unwrap();
        let r = diesel::sql_query(format!("SELECT count(*) AS n FROM {table}")).get_result::<N>(&mut conn);
        if denied {
            assert!(r.expect_err("no privilege").to_string().contains("permission denied"), "{table}");
        } else {
            assert_eq!(r.unwrap().n, 0, "{table}");
        }
        conn.batch_execute("ROLLBACK").unwrap();
    }
    conn.batch_execute(&begin).unwrap();
    assert_eq!(count(&mut conn, "SELECT count(*) AS n FROM public_account"), 1, "its own account row only");
    conn.batch_execute("ROLLBACK").unwrap();
    // Without a principal the role sees nothing (fail closed): the tenant alone opens no row.
    conn.batch_execute(&format!("BEGIN; SELECT set_tenant({tid}::smallint); SET LOCAL ROLE jinbao_public")).unwrap();
    assert_eq!(count(&mut conn, "SELECT count(*) AS n FROM person"), 0);
    assert_eq!(count(&mut conn, "SELECT count(*) AS n FROM employer"), 0);
    assert_eq!(count(&mut conn, "SELECT count(*) AS n FROM enrolment"), 0);
    conn.batch_execute("ROLLBACK").unwrap();
    // A stale epoch (password changed since) or a closed employer: refused, nothing set.
    let r = diesel::sql_query(format!(
        "SELECT public_session_begin({tid}::smallint, {}, gen_random_uuid(), {}) AS s",
        acc.id,
        acc.token_epoch - 1
    ))
    .get_result::<S>(&mut conn)
    .unwrap();
    assert_eq!(r.s, "refused");
    // Staff transactions are untouched by the public policies (the app role does not inherit them).
    conn.batch_execute(&format!("BEGIN; SELECT set_tenant({tid}::smallint)")).unwrap();
    assert_eq!(count(&mut conn, "SELECT count(*) AS n FROM person"), 2);
    conn.batch_execute("ROLLBACK").unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn li_hires_with_a_preview_once_and_lets_leavers_go() {
    let c = city().await;
    let app = &c.app;
    let pw = open_account(app, &c.clerk, c.a, "likuaiji").await;
    let li = portal_login(app, "411000", "likuaiji", &pw).await;
    let form = li.get(app.url("/portal/hire")).send().await.unwrap().text().await.unwrap();
    let (csrf, key) = (hidden(&form, "csrf"), hidden(&form, "idem_key"));
    let id = id_number("411002", "19950505", 41);
    let mut fields: Vec<(&str, &str)> = vec![
        ("csrf", &csrf),
        ("idem_key", &key),
        ("id_number", &id),
        ("name", "新职工"),
        ("start_period", "2026-08"),
        ("declared_wage", "5000"),
        ("hire_date", "2026-08-03"),
    ];
    for t in ["pension", "medical", "unemployment", "work_injury", "maternity"] {
        fields.push(("types", t));
    }
    let mut preview = fields.clone();
    preview.push(("action", "preview"));
    let r = post(&li, app.url("/portal/hire"), &preview).await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    for amount in ["5000.00", "800.00", "400.00", "1770.00"] {
        assert!(html.contains(amount), "preview shows {amount}");
    }
    assert_eq!(count_sql(app, "411000", "SELECT count(*) AS n FROM person WHERE name = '新职工'"), 0, "a preview writes nothing");
    let mut submit = fields.clone();
    submit.push(("action", "submit"));
    for _ in 0..2 {
        let r = post(&li, app.url("/portal/hire"), &submit).await;
        assert_eq!(r.status(), 303);
        assert_eq!(r.headers()["location"], "/portal/employees?flash=hired");
    }
    assert_eq!(count_sql(app, "411000", "SELECT count(*) AS n FROM enrolment e JOIN person p ON p.tenant_id = e.tenant_id AND p.id = e.person_id WHERE p.name = '新职工'"), 5, "once");
    // Written by the account, audited under its name.
    assert_eq!(
        count_sql(
            app,
            "411000",
            "SELECT count(*) AS n FROM person WHERE name = '新职工' AND created_by IS NULL AND created_by_account IS NOT NULL"
        ),
        1
    );
    assert_eq!(
        count_sql(
            app,
            "411000",
            "SELECT count(*) AS n FROM audit_log WHERE action = 'enrolment.create' AND actor LIKE 'employer_account:%'"
        ),
        5
    );
    // The roster lists the new hire; leaving stops every insurance with A.
    let roster = li.get(app.url("/portal/employees?q=新")).send().await.unwrap().text().await.unwrap();
    assert!(roster.contains("新职工") && !roster.contains("甲职工"), "search by name prefix");
    let new_id = count_sql(app, "411000", "SELECT id AS n FROM person WHERE name = '新职工'");
    let r = post(
        &li,
        app.url("/portal/employees/leave"),
        &[
            ("csrf", &csrf),
            ("person_id", &new_id.to_string()),
            ("person_id", &c.pa.to_string()),
            ("end_period", "2026-09"),
            ("leave_date", "2026-09-30"),
            ("reason", "合同到期"),
            ("idem_key", "leave-two-2026"),
        ],
    )
    .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        count_sql(app, "411000", &format!("SELECT count(*) AS n FROM enrolment WHERE employer_id = {} AND status = 'active'", c.a)),
        0
    );
    assert_eq!(
        count_sql(app, "411000", &format!("SELECT count(*) AS n FROM employment WHERE employer_id = {} AND end_date = '2026-09-30'", c.a)),
        2
    );
    // The rehire of a former employee goes through the same narrow lookup (no clerk needed).
    let rehire_id = id_number("411002", "19900815", 21);
    let form = li.get(app.url("/portal/hire")).send().await.unwrap().text().await.unwrap();
    let r = post(
        &li,
        app.url("/portal/hire"),
        &[
            ("csrf", &csrf),
            ("idem_key", &hidden(&form, "idem_key")),
            ("id_number", &rehire_id),
            ("name", "甲职工"),
            ("start_period", "2026-11"),
            ("declared_wage", "5200"),
            ("hire_date", "2026-11-01"),
            ("types", "pension"),
            ("action", "submit"),
        ],
    )
    .await;
    assert_eq!(r.status(), 303, "{:?}", r.text().await);
    assert_eq!(
        count_sql(
            app,
            "411000",
            &format!("SELECT count(*) AS n FROM enrolment WHERE employer_id = {} AND person_id = {} AND status = 'active'", c.a, c.pa)
        ),
        1
    );
    // Unknown household kinds, malformed phones and hires backdated beyond a year: field problems.
    for (k, v) in [("hukou_kind", "foo"), ("phone", "abc"), ("hire_date", "2024-01-01")] {
        let mut f: Vec<(&str, String)> = vec![
            ("csrf", csrf.clone()),
            ("idem_key", format!("portal-bad-{k}")),
            ("id_number", id_number("411002", "19970707", 61)),
            ("name", "校验".into()),
            ("start_period", "2026-08".into()),
            ("declared_wage", "5000".into()),
            ("hire_date", "2026-08-01".into()),
            ("types", "pension".into()),
            ("action", "submit".into()),
        ];
        f.retain(|(n, _)| *n != k);
        f.push((k, v.to_string()));
        let r = post(&li, app.url("/portal/hire"), &f.iter().map(|(a, b)| (*a, b.as_str())).collect::<Vec<_>>()).await;
        assert_eq!(r.status(), 422, "{k}={v}");
    }
    // A hire date after the first month insured is a field problem, input kept.
    let r = post(
        &li,
        app.url("/portal/hire"),
        &[
            ("csrf", &csrf),
            ("idem_key", "portal-late-hire-1"),
            ("id_number", &id_number("411002", "19960606", 51)),
            ("name", "晚入职"),
            ("start_period", "2026-08"),
            ("declared_wage", "5000"),
            ("hire_date", "2026-09-01"),
            ("types", "pension"),
            ("action", "submit"),
        ],
    )
    .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("value=\"晚入职\""));
    let _ = (&c.api, c.b);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_clerk_decides_an_online_hire_application_and_both_are_recorded() {
    let c = city().await;
    let app = &c.app;
    let pw = open_account(app, &c.clerk, c.a, "li.apply").await;
    let li = portal_login(app, "411000", "li.apply", &pw).await;
    let form = li.get(app.url("/portal/hire")).send().await.unwrap().text().await.unwrap();
    let r = post(
        &li,
        app.url("/portal/hire"),
        &[
            ("csrf", &hidden(&form, "csrf")),
            ("idem_key", &hidden(&form, "idem_key")),
            ("id_number", &c.pb_id),
            ("name", "乙职工"),
            ("start_period", "2026-10"),
            ("declared_wage", "7000"),
            ("hire_date", "2026-10-01"),
            ("types", "pension"),
            ("types", "medical"),
            ("action", "submit"),
        ],
    )
    .await;
    assert_eq!(r.status(), 303);
    let app_id = count_sql(app, "411000", "SELECT id AS n FROM public_application");
    // The clerk's rule holds: B's pension must be stopped first; then the approval enrols at A.
    let queue = c.clerk.get(app.url("/applications")).send().await.unwrap().text().await.unwrap();
    assert!(queue.contains("乙职工") && queue.contains("许昌甲厂"), "{queue}");
    let csrf = hidden(&queue, "csrf");
    let r = post(&c.clerk, app.url(&format!("/applications/{app_id}/approve")), &[("csrf", &csrf)]).await;
    assert_eq!(r.status(), 422, "still insured with B");
    let r = app
        .post(&c.api, "/api/v1/enrolments/stop", &json!({"person_id": c.pb, "employer_id": c.b, "end_period": "2026-09", "reason": "离职"}))
        .await;
    assert_eq!(r.status(), 200, "{:?}", r.text().await);
    let r = post(&c.clerk, app.url(&format!("/applications/{app_id}/approve")), &[("csrf", &csrf)]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        count_sql(
            app,
            "411000",
            &format!("SELECT count(*) AS n FROM enrolment WHERE employer_id = {} AND person_id = {} AND status = 'active'", c.a, c.pb)
        ),
        2
    );
    assert_eq!(
        count_sql(
            app,
            "411000",
            "SELECT count(*) AS n FROM public_application WHERE status = 'approved' AND decided_by IS NOT NULL AND account_id IS NOT NULL"
        ),
        1
    );
    let r = post(&c.clerk, app.url(&format!("/applications/{app_id}/reject")), &[("csrf", &csrf), ("reason", "重复")]).await;
    assert_eq!(r.status(), 409, "decided once");
    assert_eq!(
        count_sql(app, "411000", "SELECT count(*) AS n FROM audit_log WHERE action IN ('application.submit', 'application.approve')"),
        2
    );
    // Now A's employee: A sees them; the application shows approved.
    let apps = li.get(app.url("/portal/applications")).send().await.unwrap().text().await.unwrap();
    assert!(apps.contains("badge-approved"));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_wage_declaration_is_read_from_an_excel_workbook_too() {
    let c = city().await;
    let app = &c.app;
    let pw = open_account(app, &c.clerk, c.a, "li.excel").await;
    let li = portal_login(app, "411000", "li.excel", &pw).await;
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "身份证号码").unwrap();
    sheet.write_string(0, 1, "申报工资").unwrap();
    sheet.write_string(1, 0, id_number("411002", "19900815", 21)).unwrap();
    sheet.write_number(1, 1, 7300.5).unwrap();
    let bytes = book.save_to_buffer().unwrap();
    let page = li.get(app.url("/portal/declaration")).send().await.unwrap().text().await.unwrap();
    let form = reqwest::multipart::Form::new()
        .text("csrf", hidden(&page, "csrf"))
        .text("base_year", "2027")
        .part("file", reqwest::multipart::Part::bytes(bytes).file_name("shenbao.xlsx"));
    let r = li.post(app.url("/portal/declaration")).multipart(form).send().await.unwrap();
    assert_eq!(r.status(), 200, "{:?}", r.text().await);
    assert_eq!(
        count_sql(
            app,
            "411000",
            &format!("SELECT count(*) AS n FROM contribution_base WHERE person_id = {} AND declared_wage_fen = 730050", c.pa)
        ),
        1
    );
    // A workbook that is not one: a file-level problem, nothing applied.
    let form = reqwest::multipart::Form::new()
        .text("csrf", hidden(&page, "csrf"))
        .text("base_year", "2027")
        .part("file", reqwest::multipart::Part::bytes(b"PK\x03\x04broken".to_vec()).file_name("bad.xlsx"));
    let r = li.post(app.url("/portal/declaration")).multipart(form).send().await.unwrap();
    assert_eq!(r.status(), 422);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_declaration_after_the_window_goes_to_a_clerk() {
    let c = city().await;
    let app = &c.app;
    let pw = open_account(app, &c.clerk, c.a, "li.late").await;
    let li = portal_login(app, "411000", "li.late", &pw).await;
    // Xuchang adjusts in July: the 2026 window closed at the end of July 2026 (before today).
    let today = chrono::Utc::now().date_naive();
    assert!(today > chrono::NaiveDate::from_ymd_opt(2026, 7, 31).unwrap(), "the test assumes the 2026 window has passed");
    let page = li.get(app.url("/portal/declaration")).send().await.unwrap().text().await.unwrap();
    let csv = format!("身份证号码,申报工资\r\n{},8800\r\n", id_number("411002", "19900815", 21));
    let form = reqwest::multipart::Form::new()
        .text("csrf", hidden(&page, "csrf"))
        .text("base_year", "2026")
        .part("file", reqwest::multipart::Part::bytes(csv.into_bytes()).file_name("late.csv"));
    let r = li.post(app.url("/portal/declaration")).multipart(form).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/portal/applications?flash=applied");
    assert_eq!(
        count_sql(app, "411000", "SELECT count(*) AS n FROM contribution_base WHERE declared_wage_fen = 880000"),
        0,
        "nothing applied yet"
    );
    let app_id = count_sql(app, "411000", "SELECT id AS n FROM public_application WHERE kind = 'declaration_late'");
    let queue = c.clerk.get(app.url("/applications")).send().await.unwrap().text().await.unwrap();
    assert!(queue.contains("逾期缴费基数申报"), "{queue}");
    let r = post(&c.clerk, app.url(&format!("/applications/{app_id}/approve")), &[("csrf", &hidden(&queue, "csrf"))]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        count_sql(
            app,
            "411000",
            &format!("SELECT count(*) AS n FROM contribution_base WHERE person_id = {} AND declared_wage_fen = 880000", c.pa)
        ),
        1,
        "applied by the clerk"
    );
    assert_eq!(
        count_sql(
            app,
            "411000",
            "SELECT count(*) AS n FROM public_application WHERE status = 'approved' AND (result ->> 'applied')::int = 1"
        ),
        1
    );
}
