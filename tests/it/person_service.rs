//! The insured person online (个人网上服务): activation with the counter's code, the record, the
//! yearly rights statement with its verification code, the social security card reported lost —
//! and a person's account reaching no other person of the city by any route, HTTP or SQL.

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer};
use jinbao_tests::{browser, by_id, count_sql, credit_code, hidden, id_number, post_form as post, register_employer, wait_job, TestApp};
use reqwest::Client;
use serde_json::{json, Value};

async fn staff(app: &TestApp) -> Client {
    let pw = app.create_user("411000", "clerk", &["clerk"]);
    let b = browser();
    let html = b.get(app.url("/login")).send().await.unwrap().text().await.unwrap();
    let r = post(
        &b,
        app.url("/login"),
        &[("tenant", "411000"), ("username", "clerk"), ("password", &pw), ("csrf", &hidden(&html, "csrf")), ("next", "/")],
    )
    .await;
    assert_eq!(r.status(), 303);
    b
}

/// The clerk prints the activation letter; returns the code on it.
async fn letter(app: &TestApp, clerk: &Client, person: i64) -> String {
    let page = clerk.get(app.url(&format!("/persons/{person}"))).send().await.unwrap().text().await.unwrap();
    let r = post(clerk, app.url(&format!("/persons/{person}/activation")), &[("csrf", &hidden(&page, "csrf"))]).await;
    assert_eq!(r.status(), 201);
    by_id(&r.text().await.unwrap(), "activation-code")
}

async fn activate(app: &TestApp, id: &str, code: &str, pw: &str) -> reqwest::Response {
    let b = browser();
    let form = b.get(app.url("/portal/activate")).send().await.unwrap().text().await.unwrap();
    post(
        &b,
        app.url("/portal/activate"),
        &[("csrf", &hidden(&form, "csrf")), ("tenant", "411000"), ("id_number", id), ("code", code), ("new", pw), ("confirm", pw)],
    )
    .await
}

async fn person_login(app: &TestApp, id: &str, pw: &str) -> Client {
    let b = browser();
    let html = b.get(app.url("/portal/login?kind=person")).send().await.unwrap().text().await.unwrap();
    let r = post(
        &b,
        app.url("/portal/login"),
        &[("kind", "person"), ("tenant", "411000"), ("login", id), ("password", pw), ("csrf", &hidden(&html, "csrf")), ("next", "/portal")],
    )
    .await;
    assert_eq!(r.status(), 303, "person login");
    b
}

struct Two {
    app: TestApp,
    clerk: Client,
    p1: i64,
    p1_id: String,
    p2: i64,
}

async fn two_people() -> Two {
    let app = TestApp::start().await;
    let api = app.token("411000", "api", &["clerk"]).await;
    let e = register_employer(&app, &api, &credit_code("411000", "MA0000001"), "许昌甲厂").await["id"].as_i64().unwrap();
    let mut ids = Vec::new();
    for (id, name) in [(id_number("411002", "19800315", 11), "张三"), (id_number("411002", "19820420", 22), "李四")] {
        let r = app
            .post(
                &api,
                "/api/v1/enrolments",
                &json!({"person": {"id_number": id, "name": name}, "employer_id": e, "start_period": "2026-07", "declared_wage": "5000",
                                                       "insurance_types": ["pension", "medical"]}),
            )
            .await;
        assert_eq!(r.status(), 201);
        ids.push((r.json::<Value>().await.unwrap()["person_id"].as_i64().unwrap(), id));
    }
    let clerk = staff(&app).await;
    Two { app, clerk, p1: ids[0].0, p1_id: ids[0].1.clone(), p2: ids[1].0 }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_person_activates_reads_the_record_prints_the_statement_and_reports_the_card_lost() {
    let t = two_people().await;
    let app = &t.app;
    let code = letter(app, &t.clerk, t.p1).await;
    assert_eq!(code.len(), 14, "XXXX-XXXX-XXXX: {code}");
    // A wrong code, then the right one typed without dashes in lower case.
    let r = activate(app, &t.p1_id, "AAAA-BBBB-CCCC", "Zhangsan-2026-pw").await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("激活码不正确"));
    let r = activate(app, &t.p1_id, &code.replace('-', "").to_lowercase(), "Zhangsan-2026-pw").await;
    assert_eq!(r.status(), 303, "activated");
    let r = activate(app, &t.p1_id, &code, "Another-2026-pw").await;
    assert_eq!(r.status(), 422, "a code works once");
    let me = person_login(app, &t.p1_id, "Zhangsan-2026-pw").await;
    let home = me.get(app.url("/portal")).send().await.unwrap().text().await.unwrap();
    assert!(home.contains("张三") && home.contains("养老保险"), "{home}");
    assert!(!home.contains("李四"));
    let record = me.get(app.url("/portal/record")).send().await.unwrap().text().await.unwrap();
    assert!(record.contains("许昌甲厂") && (record.contains("id=\"months-by-year\"") || record.contains("暂无缴费记录")), "{record}");
    let i = record.find("id=\"employments\"").expect("the employers table");
    assert!(record[i..].split("</table>").next().unwrap().contains("许昌甲厂"), "the person sees their own employer");
    // The statement of this year, generated by the person, printed, verified publicly.
    let list = me.get(app.url("/portal/statements")).send().await.unwrap().text().await.unwrap();
    let year = chrono::Datelike::year(&chrono::Utc::now().date_naive()).to_string();
    let r = post(&me, app.url("/portal/statements"), &[("csrf", &hidden(&list, "csrf")), ("year", &year)]).await;
    assert_eq!(r.status(), 303, "{:?}", r.text().await);
    let url = r.headers()["location"].to_str().unwrap().to_string();
    let doc = me.get(app.url(&url)).send().await.unwrap().text().await.unwrap();
    assert!(doc.contains("个人权益记录单") && doc.contains("张三") && doc.contains("id=\"doc-balance\""), "{doc}");
    let code = url.rsplit('/').next().unwrap().to_string();
    let public = browser();
    let form = public.get(app.url("/verify")).send().await.unwrap().text().await.unwrap();
    let v = post(&public, app.url("/verify"), &[("csrf", &hidden(&form, "csrf")), ("code", &code)]).await.text().await.unwrap();
    assert!(v.contains("张**"), "the statement's code verifies");
    // The card: recorded at the counter, reported lost online.
    let page = t.clerk.get(app.url(&format!("/persons/{}", t.p1))).send().await.unwrap().text().await.unwrap();
    let r = post(
        &t.clerk,
        app.url(&format!("/persons/{}/cards", t.p1)),
        &[
            ("csrf", &hidden(&page, "csrf")),
            ("card_serial", "A41100012345"),
            ("bank_name", "中国银行许昌分行"),
            ("account_no", "6217000012345678901"),
            ("issued_on", "2026-07-01"),
        ],
    )
    .await;
    assert_eq!(r.status(), 303);
    let card_page = me.get(app.url("/portal/card")).send().await.unwrap().text().await.unwrap();
    assert!(card_page.contains("A41100012345") && card_page.contains("中国银行许昌分行"), "{card_page}");
    assert!(!card_page.contains("6217000012345678901"), "the account number masked online");
    let card_id = count_sql(app, "411000", "SELECT id AS n FROM social_security_card");
    let r = post(&me, app.url(&format!("/portal/card/{card_id}/lost")), &[("csrf", &hidden(&card_page, "csrf"))]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(count_sql(app, "411000", "SELECT count(*) AS n FROM social_security_card WHERE status = 'reported_lost'"), 1);
    assert_eq!(
        count_sql(app, "411000", "SELECT count(*) AS n FROM card_event WHERE to_status = 'reported_lost' AND by_account IS NOT NULL"),
        1
    );
    let r = post(&me, app.url(&format!("/portal/card/{card_id}/lost")), &[("csrf", &hidden(&card_page, "csrf"))]).await;
    assert_eq!(r.status(), 409, "lost once");
    // The clerk replaces it: the old card replaced, a new one live.
    let page = t.clerk.get(app.url(&format!("/persons/{}", t.p1))).send().await.unwrap().text().await.unwrap();
    let r = post(
        &t.clerk,
        app.url(&format!("/persons/{}/cards/{card_id}/replace", t.p1)),
        &[
            ("csrf", &hidden(&page, "csrf")),
            ("card_serial", "A41100099999"),
            ("bank_name", "中国银行许昌分行"),
            ("account_no", "6217000099999999999"),
            ("reason", "挂失补卡"),
        ],
    )
    .await;
    assert_eq!(r.status(), 303);
    assert_eq!(count_sql(app, "411000", "SELECT count(*) AS n FROM social_security_card WHERE status = 'replaced'"), 1);
    assert_eq!(
        count_sql(app, "411000", "SELECT count(*) AS n FROM social_security_card WHERE status = 'issued' AND replaces IS NOT NULL"),
        1
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_person_account_reaches_no_other_person_by_any_route() {
    let t = two_people().await;
    let app = &t.app;
    let code = letter(app, &t.clerk, t.p1).await;
    assert_eq!(activate(app, &t.p1_id, &code, "Zhangsan-2026-pw").await.status(), 303);
    let me = person_login(app, &t.p1_id, "Zhangsan-2026-pw").await;
    // The other person's statement, card and certificate, by their codes and ids.
    let page = t.clerk.get(app.url(&format!("/persons/{}", t.p2))).send().await.unwrap().text().await.unwrap();
    let csrf = hidden(&page, "csrf");
    let year = chrono::Datelike::year(&chrono::Utc::now().date_naive()).to_string();
    let r = post(&t.clerk, app.url(&format!("/persons/{}/statements", t.p2)), &[("csrf", &csrf), ("year", &year)]).await;
    assert_eq!(r.status(), 303);
    let other_statement = r.headers()["location"].to_str().unwrap().rsplit('/').next().unwrap().to_string();
    assert_eq!(me.get(app.url(&format!("/portal/statements/{other_statement}"))).send().await.unwrap().status(), 404);
    let r = post(
        &t.clerk,
        app.url(&format!("/persons/{}/cards", t.p2)),
        &[("csrf", &csrf), ("card_serial", "B41100054321"), ("bank_name", "建设银行"), ("account_no", "6227000012345678901")],
    )
    .await;
    assert_eq!(r.status(), 303);
    let other_card = count_sql(app, "411000", &format!("SELECT id AS n FROM social_security_card WHERE person_id = {}", t.p2));
    let mine = me.get(app.url("/portal/card")).send().await.unwrap().text().await.unwrap();
    assert!(!mine.contains("B41100054321"));
    let r = post(&me, app.url(&format!("/portal/card/{other_card}/lost")), &[("csrf", &hidden(&mine, "csrf"))]).await;
    assert_eq!(r.status(), 404);
    assert_eq!(count_sql(app, "411000", "SELECT count(*) AS n FROM social_security_card WHERE status = 'issued'"), 1);
    let r = post(&t.clerk, app.url(&format!("/persons/{}/certificate", t.p2)), &[("csrf", &csrf)]).await;
    let other_cert = r.headers()["location"].to_str().unwrap().rsplit('/').next().unwrap().to_string();
    assert_eq!(me.get(app.url(&format!("/portal/certificates/{other_cert}"))).send().await.unwrap().status(), 404);
    for (path, other) in [("/portal/record", "李四"), ("/portal", "李四"), ("/portal/statements", &other_statement[..])] {
        let html = me.get(app.url(path)).send().await.unwrap().text().await.unwrap();
        assert!(!html.contains(other), "{path}");
    }
    // The employer's pages are not a person's.
    for path in ["/portal/employees", "/portal/hire", "/portal/statement", "/portal/applications"] {
        assert_eq!(me.get(app.url(path)).send().await.unwrap().status(), 403, "{path}");
    }
    // In SQL: the person's transaction sees its own rows of every table it may read.
    #[derive(QueryableByName)]
    struct Acc {
        #[diesel(sql_type = BigInt)]
        id: i64,
        #[diesel(sql_type = Integer)]
        token_epoch: i32,
    }
    #[derive(QueryableByName, Debug)]
    struct N {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let tid = app.tenant_id("411000").0;
    let mut owner = app.owner_conn();
    owner.batch_execute(&format!("SET jinbao.tenant_id = {tid}")).unwrap();
    let acc: Acc = diesel::sql_query("SELECT id, token_epoch FROM public_account WHERE kind = 'person'").get_result(&mut owner).unwrap();
    let mut conn = app.app_conn();
    conn.batch_execute(&format!("BEGIN; SELECT public_session_begin({tid}::smallint, {}, gen_random_uuid(), {})", acc.id, acc.token_epoch))
        .unwrap();
    for (table, own) in [
        ("person", 1),
        ("employer", 1),
        ("enrolment", 2),
        ("employment", 1),
        ("rights_statement", 0),
        ("social_security_card", 0),
        ("certificate", 0),
        ("public_account", 1),
    ] {
        let n = diesel::sql_query(format!("SELECT count(*) AS n FROM {table}")).get_result::<N>(&mut conn).unwrap().n;
        assert_eq!(n, own, "{table}");
    }
    let e = conn.batch_execute(&format!(
        "INSERT INTO public_application (tenant_id, kind, account_id, employer_id, person_id, payload, request_hash) VALUES ({tid}, 'hire', {}, (SELECT min(id) FROM employer), {}, '{{}}', 'x')",
        acc.id, t.p1
    ));
    assert!(e.is_err(), "a person cannot file in an employer's name");
    conn.batch_execute("ROLLBACK").unwrap();
    conn.batch_execute(&format!("BEGIN; SELECT public_session_begin({tid}::smallint, {}, gen_random_uuid(), {})", acc.id, acc.token_epoch))
        .unwrap();
    let n = diesel::sql_query("SELECT count(*) AS n FROM public_paid_rows('pension')").get_result::<N>(&mut conn).unwrap().n;
    assert_eq!(n, 0, "no assessment yet, and only the person's own rows would come back");
    let e = conn.batch_execute(&format!("UPDATE social_security_card SET status = 'reported_lost' WHERE id = {other_card}"));
    assert!(e.is_ok());
    conn.batch_execute("ROLLBACK").unwrap();
    assert_eq!(
        count_sql(app, "411000", "SELECT count(*) AS n FROM social_security_card WHERE status = 'issued'"),
        1,
        "no row of another person was changed"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_persons_own_statement_has_the_figures_the_clerks_has() {
    let t = two_people().await;
    let app = &t.app;
    let api = app.token("411000", "api2", &["clerk"]).await;
    for period in ["2026-07", "2026-08"] {
        let job = app.post(&api, "/api/v1/assessments/runs", &json!({"period": period})).await.json::<Value>().await.unwrap()["job_id"]
            .as_i64()
            .unwrap();
        wait_job(app, &api, job).await;
    }
    let e = count_sql(app, "411000", "SELECT id AS n FROM employer");
    // July paid in full; August short: only the pension's employee parts are covered, so nobody's
    // August pension counts and both are in arrears (the allocation rule).
    let due_july =
        count_sql(app, "411000", "SELECT sum(employer_fen + employee_fen)::bigint AS n FROM assessment WHERE period = '2026-07-01'");
    for (period, fen, r) in [("2026-07", due_july, "B-JULY"), ("2026-08", 100_000, "B-AUG")] {
        let amount = format!("{}.{:02}", fen / 100, fen % 100);
        let r = app
            .post(
                &api,
                "/api/v1/collections",
                &json!({"employer_id": e, "period": period, "amount": amount, "paid_on": "2026-09-10", "channel": "bank", "bank_ref": r}),
            )
            .await;
        assert_eq!(r.status(), 201);
    }
    let year = "2026";
    let page = t.clerk.get(app.url(&format!("/persons/{}", t.p1))).send().await.unwrap().text().await.unwrap();
    let r = post(&t.clerk, app.url(&format!("/persons/{}/statements", t.p1)), &[("csrf", &hidden(&page, "csrf")), ("year", year)]).await;
    assert_eq!(r.status(), 303);
    let code = letter(app, &t.clerk, t.p1).await;
    assert_eq!(activate(app, &t.p1_id, &code, "Zhangsan-2026-pw").await.status(), 303);
    let me = person_login(app, &t.p1_id, "Zhangsan-2026-pw").await;
    let list = me.get(app.url("/portal/statements")).send().await.unwrap().text().await.unwrap();
    let r = post(&me, app.url("/portal/statements"), &[("csrf", &hidden(&list, "csrf")), ("year", year)]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(count_sql(app, "411000", &format!("SELECT count(*) AS n FROM rights_statement WHERE person_id = {}", t.p1)), 2);
    assert_eq!(
        count_sql(app, "411000", "SELECT count(DISTINCT content)::bigint AS n FROM rights_statement"),
        1,
        "the person's own transaction computes the same figures as the clerk's"
    );
    let pension = |k: &str| {
        count_sql(app, "411000", &format!("SELECT (e -> '{k}')::bigint AS n FROM rights_statement, jsonb_array_elements(content -> 'types') e WHERE e ->> 'insurance_type' = 'pension' LIMIT 1"))
    };
    assert_eq!(pension("months_in_year"), 1, "July counts");
    assert_eq!(pension("arrears_months_in_year"), 1, "August is in arrears");
    assert_eq!(pension("employee_fen_in_year"), 40_000, "8 % of 5,000.00 for July");
    let months = me.get(app.url("/portal/record")).send().await.unwrap().text().await.unwrap();
    assert!(months.contains("欠缴 1"), "the record marks the month in arrears");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_city_generates_the_years_statements_as_a_job() {
    let t = two_people().await;
    let app = &t.app;
    let pw = app.create_user("411000", "runner", &["clerk"]);
    let b = browser();
    let html = b.get(app.url("/login")).send().await.unwrap().text().await.unwrap();
    let r = post(
        &b,
        app.url("/login"),
        &[("tenant", "411000"), ("username", "runner"), ("password", &pw), ("csrf", &hidden(&html, "csrf")), ("next", "/")],
    )
    .await;
    assert_eq!(r.status(), 303);
    let page = b.get(app.url("/assessments")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("action=\"/statements/run\""));
    let r = post(&b, app.url("/statements/run"), &[("csrf", &hidden(&page, "csrf")), ("year", "2026")]).await;
    assert_eq!(r.status(), 303);
    let job = r.headers()["location"].to_str().unwrap().rsplit('/').next().unwrap().parse::<i64>().unwrap();
    let api = app.token("411000", "api3", &["clerk"]).await;
    wait_job(app, &api, job).await;
    assert_eq!(
        count_sql(app, "411000", &format!("SELECT count(*) AS n FROM rights_statement WHERE job_id = {job} AND year = 2026")),
        2,
        "one per insured person"
    );
    let shown = b.get(app.url(&format!("/jobs/{job}"))).send().await.unwrap().text().await.unwrap();
    assert!(shown.contains("id=\"statements-generated\">2<"), "{shown}");
    let r = post(&b, app.url("/statements/run"), &[("csrf", &hidden(&page, "csrf")), ("year", "1989")]).await;
    assert_eq!(r.status(), 422, "a year out of range is refused");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_banks_card_file_is_reported_row_by_row_and_applied_all_or_valid_only() {
    let t = two_people().await;
    let app = &t.app;
    let p2_id = count_sql(app, "411000", &format!("SELECT id AS n FROM person WHERE id = {}", t.p2));
    assert_eq!(p2_id, t.p2);
    let p2_number = id_number("411002", "19820420", 22);
    let unknown = id_number("411002", "19700101", 99);
    let csv = format!(
        "身份证号码,卡号,发卡银行,金融账户,发卡日期\r\n{},A41100000001,中国银行许昌分行,6217000000000000001,2026-07-01\r\n{unknown},A41100000002,中国银行许昌分行,6217000000000000002,2026-07-01\r\n{p2_number},A41100000001,建设银行,6227000000000000003,2026-07-02\r\n{p2_number},A41100000004,建设银行,62270,2026-07-02\r\n",
        t.p1_id
    );
    let upload = |valid_only: bool, csrf: String| {
        let mut form = reqwest::multipart::Form::new()
            .text("csrf", csrf)
            .part("file", reqwest::multipart::Part::bytes(csv.clone().into_bytes()).file_name("cards.csv"));
        if valid_only {
            form = form.text("valid_only", "true");
        }
        t.clerk.post(app.url("/cards/import")).multipart(form).send()
    };
    let page = t.clerk.get(app.url("/cards/import")).send().await.unwrap().text().await.unwrap();
    let r = upload(false, hidden(&page, "csrf")).await.unwrap();
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    for problem in ["本市没有这个身份号码的参保人员", "该卡号已登记", "金融账户为 12–30 位数字"] {
        assert!(html.contains(problem), "{problem} reported");
    }
    assert_eq!(count_sql(app, "411000", "SELECT count(*) AS n FROM social_security_card"), 0, "nothing applied");
    let r = upload(true, hidden(&page, "csrf")).await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("id=\"cards-applied\">1<"));
    assert_eq!(
        count_sql(
            app,
            "411000",
            &format!("SELECT count(*) AS n FROM social_security_card WHERE person_id = {} AND card_serial = 'A41100000001'", t.p1)
        ),
        1
    );
    assert_eq!(count_sql(app, "411000", "SELECT count(*) AS n FROM card_event"), 1);
    // The card's account is the default channel of a benefit proposed for the person.
    let form = t.clerk.get(app.url(&format!("/benefits/new?kind=pension&person_id={}", t.p1))).send().await.unwrap().text().await.unwrap();
    assert!(form.contains("value=\"6217000000000000001\"") && form.contains("id=\"from-card\""), "{form}");
    // The same file again: the serial is known now, nothing new.
    let r = upload(true, hidden(&page, "csrf")).await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(count_sql(app, "411000", "SELECT count(*) AS n FROM social_security_card"), 1, "re-importing changes nothing");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_record_shows_the_months_held_in_other_cities_and_each_city_audits_the_reading() {
    let t = two_people().await;
    let app = &t.app;
    // The same person insured in Zhoukou too (an earlier job there); someone else in Hebi.
    let zk = app.token("411600", "zk", &["clerk"]).await;
    let e = register_employer(app, &zk, &credit_code("411600", "MA0000009"), "周口旧厂").await["id"].as_i64().unwrap();
    let r = app
        .post(
            &zk,
            "/api/v1/enrolments",
            &json!({"person": {"id_number": t.p1_id, "name": "张三"}, "employer_id": e, "start_period": "2026-01",
                                                   "declared_wage": "4000", "insurance_types": ["pension"]}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let zp = r.json::<Value>().await.unwrap()["person_id"].as_i64().unwrap();
    let r = app
        .post(&zk, "/api/v1/enrolments/stop", &json!({"person_id": zp, "employer_id": e, "end_period": "2026-06", "reason": "离职"}))
        .await;
    assert_eq!(r.status(), 200);
    let code = letter(app, &t.clerk, t.p1).await;
    assert_eq!(activate(app, &t.p1_id, &code, "Zhangsan-2026-pw").await.status(), 303);
    let me = person_login(app, &t.p1_id, "Zhangsan-2026-pw").await;
    let record = me.get(app.url("/portal/record")).send().await.unwrap().text().await.unwrap();
    let i = record.find("id=\"elsewhere\"").expect("the other cities' table");
    let table = &record[i..record[i..].find("</table>").map_or(record.len(), |j| i + j)];
    assert!(table.contains("周口市") && table.contains(">6<"), "six months in Zhoukou: {table}");
    assert!(!record.contains("周口旧厂"), "nothing of the other city's record but the months");
    assert_eq!(
        count_sql(app, "411600", "SELECT count(*) AS n FROM audit_log WHERE action = 'person.read_online'"),
        1,
        "Zhoukou records the reading"
    );
    assert_eq!(count_sql(app, "411000", "SELECT count(*) AS n FROM audit_log WHERE action = 'person.read_elsewhere'"), 1);
    // The person asks this city to bring the Zhoukou months here; a clerk opens the transfer.
    let form = me.get(app.url("/portal/transfer")).send().await.unwrap().text().await.unwrap();
    assert!(form.contains("value=\"411600\""), "Zhoukou offered: {form}");
    let r = post(&me, app.url("/portal/transfer"), &[("csrf", &hidden(&form, "csrf")), ("from_city", "410600"), ("reason", "")]).await;
    assert_eq!(r.status(), 422, "no months held in Hebi");
    for _ in 0..2 {
        let r = post(
            &me,
            app.url("/portal/transfer"),
            &[("csrf", &hidden(&form, "csrf")), ("from_city", "411600"), ("reason", "现在许昌工作")],
        )
        .await;
        assert_eq!(r.status(), 303);
    }
    assert_eq!(
        count_sql(app, "411000", "SELECT count(*) AS n FROM public_application WHERE kind = 'transfer_in' AND status = 'submitted'"),
        1,
        "filed once"
    );
    let app_id = count_sql(app, "411000", "SELECT id AS n FROM public_application WHERE kind = 'transfer_in'");
    let queue = t.clerk.get(app.url("/applications")).send().await.unwrap().text().await.unwrap();
    assert!(queue.contains("411600") && queue.contains("现在许昌工作"), "{queue}");
    let r = post(&t.clerk, app.url(&format!("/applications/{app_id}/approve")), &[("csrf", &hidden(&queue, "csrf"))]).await;
    assert_eq!(r.status(), 303, "{:?}", r.text().await);
    assert_eq!(
        count_sql(
            app,
            "411000",
            &format!("SELECT count(*) AS n FROM transfer WHERE person_id = {} AND side = 'in' AND state = 'letter'", t.p1)
        ),
        1,
        "a transfer letter opened"
    );
    assert_eq!(count_sql(app, "411600", "SELECT count(*) AS n FROM transfer WHERE side = 'out' AND state = 'letter'"), 1, "Zhoukou's side");
    let mine = me.get(app.url("/portal/transfer")).send().await.unwrap().text().await.unwrap();
    assert!(mine.contains("badge-approved"));
    // Heavier requests are bounded per account and hour: statements computed, transfer requests.
    let list = me.get(app.url("/portal/statements")).send().await.unwrap().text().await.unwrap();
    let mut refused = None;
    for n in 0..25 {
        let r = post(&me, app.url("/portal/statements"), &[("csrf", &hidden(&list, "csrf")), ("year", "2026")]).await;
        if r.status() == 429 {
            refused = Some(n);
            break;
        }
        assert_eq!(r.status(), 303);
    }
    assert_eq!(refused, Some(18), "twenty an hour (the two transfer requests above counted)");
    assert_eq!(count_sql(app, "411000", &format!("SELECT count(*) AS n FROM rights_statement WHERE person_id = {}", t.p1)), 18);
    // Only for the principal: the function refuses a transaction without a person.
    let mut conn = app.app_conn();
    let tid = app.tenant_id("411000").0;
    conn.batch_execute(&format!("BEGIN; SELECT set_tenant({tid}::smallint); SET LOCAL ROLE jinbao_public")).unwrap();
    assert!(conn.batch_execute("SELECT * FROM public_person_elsewhere()").is_err(), "no principal, no answer");
    conn.batch_execute("ROLLBACK").unwrap();
}
