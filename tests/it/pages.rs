//! The page stack end to end over HTTP: login with the tenant picker, registering a person and an
//! employer through forms, CSRF, escaping, isolation by URL, language switch.

use std::collections::HashMap;

use jinbao_tests::{count_sql, credit_code, id_number, register_person, TestApp};
use reqwest::Client;

fn browser() -> Client {
    Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

fn csrf_of(html: &str) -> String {
    let i = html.find("name=\"csrf\" value=\"").expect("a csrf field") + "name=\"csrf\" value=\"".len();
    html[i..].split('"').next().unwrap().to_string()
}

async fn form(b: &Client, url: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let map: HashMap<&str, &str> = fields.iter().copied().collect();
    b.post(url).form(&map).send().await.unwrap()
}

async fn logged_in(app: &TestApp, tenant: &str, user: &str, roles: &[&str]) -> Client {
    let pw = app.create_user(tenant, user, roles);
    let b = browser();
    let html = b.get(app.url("/login")).send().await.unwrap().text().await.unwrap();
    let r = form(
        &b,
        &app.url("/login"),
        &[("tenant", tenant), ("username", user), ("password", &pw), ("csrf", &csrf_of(&html)), ("next", "/")],
    )
    .await;
    assert_eq!(r.status(), 303, "login");
    b
}

#[tokio::test(flavor = "multi_thread")]
async fn login_page_lists_all_tenants_and_returns_to_the_requested_page() {
    let app = TestApp::start().await;
    let b = browser();
    let r = b.get(app.url("/persons/new")).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/login?next=/persons/new");
    let html = b.get(app.url("/login?next=/persons/new")).send().await.unwrap().text().await.unwrap();
    for name in ["河南省（省本级）", "郑州市", "许昌市", "周口市", "鹤壁市", "济源市"] {
        assert!(html.contains(name), "{name} in the tenant picker");
    }
    assert_eq!(html.matches("<option value=\"4").count(), 19);
    let pw = app.create_user("411000", "clerk", &["clerk"]);
    // Wrong password: the form comes back with the username kept and a message.
    let r = form(
        &b,
        &app.url("/login"),
        &[("tenant", "411000"), ("username", "clerk"), ("password", "wrong"), ("csrf", &csrf_of(&html)), ("next", "/persons/new")],
    )
    .await;
    assert_eq!(r.status(), 401);
    let again = r.text().await.unwrap();
    assert!(again.contains("value=\"clerk\""));
    assert!(again.contains("role=\"alert\""));
    // Without the login CSRF token nothing happens.
    let r =
        form(&b, &app.url("/login"), &[("tenant", "411000"), ("username", "clerk"), ("password", &pw), ("csrf", "forged"), ("next", "/")])
            .await;
    assert_eq!(r.status(), 400);
    let r = form(
        &b,
        &app.url("/login"),
        &[("tenant", "411000"), ("username", "clerk"), ("password", &pw), ("csrf", &csrf_of(&again)), ("next", "/persons/new")],
    )
    .await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/persons/new");
    let set_cookie: Vec<String> = r.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_string()).collect();
    let session = set_cookie.iter().find(|c| c.starts_with("jinbao_session=")).expect("session cookie");
    assert!(session.contains("HttpOnly") && session.contains("SameSite=Lax"), "{session}");
    let home = b.get(app.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(home.contains("许昌市") && home.contains("411000"), "home shows the tenant");
    // An off-site `next` is ignored.
    let b2 = browser();
    let html = b2.get(app.url("/login")).send().await.unwrap().text().await.unwrap();
    let r = form(
        &b2,
        &app.url("/login"),
        &[("tenant", "411000"), ("username", "clerk"), ("password", &pw), ("csrf", &csrf_of(&html)), ("next", "//evil.example/")],
    )
    .await;
    assert_eq!(r.headers()["location"], "/");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_clerk_registers_a_person_and_an_employer_through_forms() {
    let app = TestApp::start().await;
    let b = logged_in(&app, "411000", "clerk", &["clerk"]).await;
    let html = b.get(app.url("/persons/new")).send().await.unwrap().text().await.unwrap();
    let token = csrf_of(&html);
    // A bad identity number: 422, the message next to the field, the input kept.
    let r = form(
        &b,
        &app.url("/persons"),
        &[("csrf", &token), ("id_number", "410102199003071231"), ("name", "保留的名字"), ("address", "许昌市魏都区")],
    )
    .await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("保留的名字") && page.contains("许昌市魏都区"), "input kept");
    assert!(page.contains("aria-invalid=\"true\""));
    assert_eq!(app.count_in("411000", "person"), 0);
    // No CSRF token: refused, nothing written.
    let r = form(&b, &app.url("/persons"), &[("id_number", &id_number("411002", "19850101", 11)), ("name", "无令牌")]).await;
    assert_eq!(r.status(), 400);
    assert_eq!(app.count_in("411000", "person"), 0);
    // A name that is markup is stored and shown as text.
    let r = form(
        &b,
        &app.url("/persons"),
        &[
            ("csrf", &token),
            ("id_number", &id_number("411002", "19850101", 11)),
            ("name", "<script>alert(1)</script>"),
            ("hukou_kind", "urban"),
        ],
    )
    .await;
    assert_eq!(r.status(), 303);
    let location = r.headers()["location"].to_str().unwrap().to_string();
    assert!(location.starts_with("/persons/"));
    let detail = b.get(app.url(&location)).send().await.unwrap();
    assert_eq!(detail.headers()["cache-control"], "no-store");
    let detail = detail.text().await.unwrap();
    assert!(!detail.contains("<script>alert(1)</script>"));
    assert!(detail.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(detail.contains("4110**********"), "masked identity number");
    assert!(detail.contains("1985-01-01"));
    // Employer through the form, then hire from the person page.
    let code = credit_code("411000", "MA0000001");
    let r = form(
        &b,
        &app.url("/employers"),
        &[("csrf", &token), ("credit_code", &code), ("name", "许昌一厂"), ("risk_class", "2"), ("registered_on", "2020-01-15")],
    )
    .await;
    assert_eq!(r.status(), 303);
    let r = form(
        &b,
        &app.url(&format!("{}/employments", location.split('?').next().unwrap())),
        &[("csrf", &token), ("credit_code", &code), ("start_date", "2024-03-01")],
    )
    .await;
    assert_eq!(r.status(), 303);
    let detail = b.get(app.url(location.split('?').next().unwrap())).send().await.unwrap().text().await.unwrap();
    assert!(detail.contains("许昌一厂") && detail.contains("2024-03-01"));
    // Search by name (GET) and by identity number (POST, never in the URL).
    let list = b.get(app.url("/persons?name=%3Cscript")).send().await.unwrap().text().await.unwrap();
    assert!(list.contains("&lt;script&gt;"));
    let r = form(&b, &app.url("/persons/search"), &[("csrf", &token), ("id_number", &id_number("411002", "19850101", 11))]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"].to_str().unwrap(), location.split('?').next().unwrap());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_xuchang_clerk_cannot_open_a_zhoukou_person_by_url() {
    let app = TestApp::start().await;
    let zk = app.token("411600", "zk", &["clerk"]).await;
    let p = register_person(&app, &zk, &id_number("411602", "19780615", 52), "周口人").await;
    let b = logged_in(&app, "411000", "xc", &["clerk"]).await;
    let r = b.get(app.url(&format!("/persons/{}", p["id"]))).send().await.unwrap();
    assert_eq!(r.status(), 404);
    let html = r.text().await.unwrap();
    assert!(!html.contains("周口人"));
}

#[tokio::test(flavor = "multi_thread")]
async fn language_switch_and_logout() {
    let app = TestApp::start().await;
    let b = logged_in(&app, "411000", "clerk", &["clerk"]).await;
    let home = b.get(app.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(home.contains("lang=\"zh-CN\""));
    let token = csrf_of(&home);
    let r = form(&b, &app.url("/lang"), &[("csrf", &token), ("lang", "en")]).await;
    assert_eq!(r.status(), 303);
    let home = b.get(app.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(home.contains("lang=\"en\"") && home.contains("Xuchang"));
    let r = form(&b, &app.url("/logout"), &[("csrf", &token)]).await;
    assert_eq!(r.status(), 303);
    let r = b.get(app.url("/")).send().await.unwrap();
    assert_eq!(r.status(), 303, "logged out");
}

#[tokio::test(flavor = "multi_thread")]
async fn benefit_payment_finance_and_reconciliation_pages_follow_permissions_and_forms() {
    let app = TestApp::start().await;
    let clerk = logged_in(&app, "411000", "pclerk", &["clerk"]).await;
    let reviewer = logged_in(&app, "411000", "previewer", &["reviewer"]).await;
    for (b, path, status) in [
        (&clerk, "/benefits/new?kind=pension", 200),
        (&clerk, "/benefits/new?kind=maternity", 200),
        (&clerk, "/benefits", 200),
        (&clerk, "/payments", 403),
        (&clerk, "/finance", 403),
        (&clerk, "/reconciliation", 403),
        (&reviewer, "/payments", 200),
        (&reviewer, "/finance?year=2026", 200),
        (&reviewer, "/reconciliation?period=2026-11", 200),
        (&reviewer, "/province/finance", 403),
    ] {
        assert_eq!(b.get(app.url(path)).send().await.unwrap().status().as_u16(), status, "{path}");
    }
    // A proposal with a missing field keeps the input and names the field.
    let html = clerk.get(app.url("/benefits/new?kind=unemployment")).send().await.unwrap().text().await.unwrap();
    let r = form(
        &clerk,
        &app.url("/benefits/new"),
        &[
            ("csrf", &csrf_of(&html)),
            ("kind", "unemployment"),
            ("person_id", "1"),
            ("channel", "post"),
            ("post_address", "许昌市某村邮政所"),
        ],
    )
    .await;
    assert_eq!(r.status(), 422);
    let body = r.text().await.unwrap();
    assert!(body.contains("separated_on-error") && body.contains("许昌市某村邮政所"), "{body}");

    // A statement with an unknown credit: listed, resolved through the form, then signed off.
    let token = app.token("411000", "statements", &["reviewer"]).await;
    let csv = "交易日期,交易流水号,借方发生额,贷方发生额,余额\n2026-11-03,X77,,88.00,0.00\n";
    let r = app.client.post(app.url("/api/v1/bank/statements/income")).bearer_auth(&token).body(csv).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let html = reviewer.get(app.url("/reconciliation?period=2026-11")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("X77") && html.contains("银行入账无对应收款"), "{html}");
    let id = count_sql(&app, "411000", "SELECT id AS n FROM bank_statement_line WHERE reference = 'X77'");
    let action = format!("/reconciliation/2026-11/items/bank_credit_unmatched/{id}");
    let r = form(&reviewer, &app.url("/reconciliation/2026-11/sign-off"), &[("csrf", &csrf_of(&html))]).await;
    assert_eq!(r.status(), 409, "an open mismatch blocks the sign-off");
    let r = form(&reviewer, &app.url(&action), &[("csrf", &csrf_of(&html)), ("note", "退回汇款人")]).await;
    assert_eq!(r.status(), 303);
    let r = form(&reviewer, &app.url("/reconciliation/2026-11/sign-off"), &[("csrf", &csrf_of(&html))]).await;
    assert_eq!(r.status(), 303);
    let html = reviewer.get(app.url("/reconciliation?period=2026-11")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("signed-off") && html.contains("退回汇款人"), "{html}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_labour_page_registers_searches_and_keeps_input_on_refusal() {
    let app = TestApp::start().await;
    let b = logged_in(&app, "411000", "lclerk", &["clerk"]).await;
    let token = app.token("411000", "lapi", &["clerk"]).await;
    let p = register_person(&app, &token, &id_number("411002", "19910101", 51), "褚求职").await;
    let pid = p["id"].as_i64().unwrap().to_string();
    let html = b.get(app.url("/labour")).send().await.unwrap().text().await.unwrap();
    let csrf = csrf_of(&html);
    let r = form(
        &b,
        &app.url("/labour"),
        &[("csrf", &csrf), ("form", "register"), ("person_id", &pid), ("registered_on", "2026-10-09"), ("reason", "dismissed")],
    )
    .await;
    assert_eq!(r.status(), 303);
    let r = form(
        &b,
        &app.url("/labour"),
        &[("csrf", &csrf), ("form", "training"), ("person_id", &pid), ("course", "电工"), ("provider", ""), ("start_date", "2026-10-10")],
    )
    .await;
    assert_eq!(r.status(), 422);
    let body = r.text().await.unwrap();
    assert!(body.contains("电工"), "the course typed is kept");
    let list = b.get(app.url(&format!("/labour?name={}", "%E8%A4%9A"))).send().await.unwrap().text().await.unwrap();
    assert!(list.contains("褚求职") && list.contains("被辞退"), "{list}");
}

/// A page refuses with the page of its refusal: no session is the login page returning here, a
/// missing permission the 403 page in the user's language, a wrong form token the 400 page, and
/// nothing is written by any of them.
#[tokio::test(flavor = "multi_thread")]
async fn a_refused_page_shows_the_page_of_its_refusal_and_writes_nothing() {
    let app = TestApp::start().await;
    let r = browser().get(app.url("/labour?status=closed")).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/login?next=/labour%3Fstatus%3Dclosed");

    let finance = logged_in(&app, "411000", "lfinance", &["finance_viewer"]).await;
    let r = finance.get(app.url("/labour")).send().await.unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(r.headers()["cache-control"], "no-store");
    let html = r.text().await.unwrap();
    assert!(html.contains("<html") && html.contains("lang=\"zh-CN\""), "an error page: {html}");
    assert!(html.contains("无权访问") && html.contains("您没有办理此项业务的权限"), "the refusal in Chinese: {html}");

    let b = logged_in(&app, "411000", "lclerk2", &["clerk"]).await;
    let token = app.token("411000", "lapi2", &["clerk"]).await;
    let p = register_person(&app, &token, &id_number("411002", "19910101", 52), "褚二").await;
    let pid = p["id"].as_i64().unwrap().to_string();
    let r = form(
        &b,
        &app.url("/labour"),
        &[("csrf", "forged"), ("form", "register"), ("person_id", &pid), ("registered_on", "2026-10-09"), ("reason", "dismissed")],
    )
    .await;
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("<html"));
    let csrf = csrf_of(&b.get(app.url("/labour")).send().await.unwrap().text().await.unwrap());
    let r = form(
        &b,
        &app.url("/labour"),
        &[("csrf", &csrf), ("form", "register"), ("person_id", "x"), ("registered_on", "2026-10-09"), ("reason", "bored")],
    )
    .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("2026-10-09"), "the date typed is kept");
    let r = form(&b, &app.url("/labour"), &[("csrf", &csrf), ("form", "nonsense"), ("person_id", &pid)]).await;
    assert_eq!(r.status(), 404);
    assert_eq!(count_sql(&app, "411000", "SELECT count(*) AS n FROM unemployment_registration"), 0);
}

/// The floating work-injury rate and the recalculation have pages: a reviewer decides a rate on
/// the employer page; a clerk runs the recalculation from the benefits list.
#[tokio::test(flavor = "multi_thread")]
async fn injury_rates_and_recalculation_from_the_pages() {
    let app = TestApp::start().await;
    let reviewer = logged_in(&app, "411000", "reviewer", &["reviewer"]).await;
    let clerk = logged_in(&app, "411000", "clerk", &["clerk"]).await;
    let token = app.token("411000", "api", &["clerk"]).await;
    let e = jinbao_tests::register_employer(&app, &token, &credit_code("411000", "MA0000071"), "许昌矿山").await["id"].as_i64().unwrap();
    let html = reviewer.get(app.url(&format!("/employers/{e}"))).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("id=\"injury-float-form\""), "the reviewer gets the form");
    let r = form(
        &reviewer,
        &app.url(&format!("/employers/{e}/injury-rate")),
        &[("csrf", &csrf_of(&html)), ("effective_from", "2027-01"), ("percent", "120"), ("reason", "上年度工伤发生率高")],
    )
    .await;
    assert_eq!(r.status(), 303);
    let html = clerk.get(app.url(&format!("/employers/{e}"))).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("120%") && !html.contains("id=\"injury-float-form\""), "the clerk sees the decision, not the form");
    let list = clerk.get(app.url("/benefits")).send().await.unwrap().text().await.unwrap();
    let r = form(&clerk, &app.url("/benefits/recalculate"), &[("csrf", &csrf_of(&list))]).await;
    assert_eq!(r.status(), 303);
    let to = r.headers().get("location").unwrap().to_str().unwrap().to_string();
    let page = clerk.get(app.url(&to)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("已检查 0 笔待遇"), "{to}");
    assert_eq!(count_sql(&app, "411000", "SELECT count(*) AS n FROM employer_injury_float WHERE percent = 120"), 1);
}

/// Every upload form reads its body the same way: a broken multipart body is a 400 on each,
/// never a 5xx, and nothing is imported.
#[tokio::test(flavor = "multi_thread")]
async fn every_upload_form_refuses_a_broken_body_alike() {
    let app = TestApp::start().await;
    let b = logged_in(&app, "411000", "boss", &["city_admin", "reviewer", "clerk"]).await;
    let token = app.token("411000", "api", &["clerk"]).await;
    let e = jinbao_tests::register_employer(&app, &token, &credit_code("411000", "MA0000072"), "上传厂").await["id"].as_i64().unwrap();
    let broken = "--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nabc\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\n身份证号码";
    for path in [
        "/imports".to_string(),
        format!("/employers/{e}/declaration"),
        "/payments/1/results".to_string(),
        "/reconciliation/statements".to_string(),
    ] {
        let r = b.post(app.url(&path)).header("content-type", "multipart/form-data; boundary=XyZ").body(broken).send().await.unwrap();
        assert_eq!(r.status(), 400, "{path}");
    }
    assert_eq!(count_sql(&app, "411000", "SELECT count(*) AS n FROM job"), 0);
}
