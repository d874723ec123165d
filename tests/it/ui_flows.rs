//! The city staff pages over HTTP: one-form enrolment (preview, submit, double submit), stopping,
//! certificates and their public verification, the audit trail, user administration with the
//! forced password change, the declaration upload, the assessment run with its progress page.

use std::collections::HashMap;

use jinbao_tests::{credit_code, id_number, register_employer, TestApp};
use reqwest::Client;
use serde_json::Value;

fn browser() -> Client {
    Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let i = html.find(&marker).unwrap_or_else(|| panic!("no hidden {name}")) + marker.len();
    html[i..].split('"').next().unwrap().to_string()
}

async fn login(app: &TestApp, tenant: &str, user: &str, pw: &str) -> Client {
    let b = browser();
    let html = b.get(app.url("/login")).send().await.unwrap().text().await.unwrap();
    let mut f = HashMap::new();
    for (k, v) in [("tenant", tenant), ("username", user), ("password", pw), ("next", "/")] {
        f.insert(k.to_string(), v.to_string());
    }
    f.insert("csrf".into(), hidden(&html, "csrf"));
    let r = b.post(app.url("/login")).form(&f).send().await.unwrap();
    assert_eq!(r.status(), 303, "login {user}");
    b
}

async fn post(b: &Client, url: String, fields: &[(&str, &str)]) -> reqwest::Response {
    let body = serde_urlencoded::to_string(fields).unwrap();
    b.post(url).header("content-type", "application/x-www-form-urlencoded").body(body).send().await.unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn one_form_enrolment_page_previews_submits_once_and_certifies() {
    let app = TestApp::start().await;
    let api = app.token("411000", "api", &["clerk"]).await;
    let code = credit_code("411000", "MA0000001");
    register_employer(&app, &api, &code, "许昌一厂").await;
    let pw = app.create_user("411000", "clerk", &["clerk"]);
    let b = login(&app, "411000", "clerk", &pw).await;
    let page = b.get(app.url("/enrol")).send().await.unwrap().text().await.unwrap();
    let (token, key) = (hidden(&page, "csrf"), hidden(&page, "idem_key"));
    assert!(page.contains("value=\"pension\"") && page.contains("checked"), "types ticked by default");
    let id = id_number("411002", "19900815", 21);
    let mut fields: Vec<(&str, &str)> = vec![
        ("csrf", &token),
        ("idem_key", &key),
        ("id_number", &id),
        ("name", "王小明"),
        ("credit_code", &code),
        ("start_period", "2026-07"),
        ("declared_wage", "5000"),
    ];
    for t in ["pension", "medical", "unemployment", "work_injury", "maternity"] {
        fields.push(("types", t));
    }
    // Compute: the amounts of the domain rules, nothing written.
    let mut preview = fields.clone();
    preview.push(("action", "preview"));
    let r = post(&b, app.url("/enrol"), &preview).await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    for amount in ["5000.00", "800.00", "400.00", "100.00", "35.00", "15.00", "20.00", "1770.00"] {
        assert!(html.contains(amount), "preview shows {amount}");
    }
    assert!(html.contains("王小明"), "input kept");
    assert_eq!(app.count_in("411000", "person"), 0);
    // Submit twice with the same form key: one enrolment.
    let mut submit = fields.clone();
    submit.push(("action", "submit"));
    let r = post(&b, app.url("/enrol"), &submit).await;
    assert_eq!(r.status(), 303);
    let location = r.headers()["location"].to_str().unwrap().to_string();
    assert!(location.ends_with("?flash=enrolled"), "{location}");
    let r = post(&b, app.url("/enrol"), &submit).await;
    assert_eq!(r.status(), 303, "the double submission lands on the same person");
    assert_eq!(app.count_in("411000", "enrolment"), 5);
    let person_path = location.split('?').next().unwrap().to_string();
    let detail = b.get(app.url(&location)).send().await.unwrap().text().await.unwrap();
    assert!(detail.contains("养老保险") && detail.contains("工伤保险"), "enrolments listed");
    // A bad wage keeps the input and says why.
    let mut bad = fields.clone();
    bad.retain(|(k, _)| *k != "declared_wage");
    bad.push(("declared_wage", "五千"));
    bad.push(("action", "preview"));
    let r = post(&b, app.url("/enrol"), &bad).await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("value=\"五千\"") && html.contains("aria-invalid=\"true\""));
    // Certificate: issued by POST, shown by code, verified publicly with nothing but validity.
    let r = post(&b, app.url(&format!("{person_path}/certificate")), &[("csrf", &token)]).await;
    assert_eq!(r.status(), 303);
    let cert_url = r.headers()["location"].to_str().unwrap().to_string();
    let code_text = cert_url.rsplit('/').next().unwrap().to_string();
    assert!(code_text.starts_with("411000-"));
    let cert = b.get(app.url(&cert_url)).send().await.unwrap().text().await.unwrap();
    assert!(cert.contains(&code_text) && cert.contains("王小明") && cert.contains("4110**********"));
    let public = browser();
    let form = public.get(app.url("/verify")).send().await.unwrap().text().await.unwrap();
    let r = post(&public, app.url("/verify"), &[("csrf", &hidden(&form, "csrf")), ("code", &code_text)]).await;
    let html = r.text().await.unwrap();
    assert!(html.contains("王**") && html.contains("许昌"), "valid, initial and city");
    assert!(!html.contains("王小明") && !html.contains("4110**********"), "nothing more");
    let r = post(&public, app.url("/verify"), &[("csrf", &hidden(&form, "csrf")), ("code", "411000-AAAA-AAAA-AAAA")]).await;
    assert!(!r.text().await.unwrap().contains("王**"));
    // Stop from the person page.
    let e: Value = app.post(&api, "/api/v1/employers/search", &serde_json::json!({"credit_code": code})).await.json().await.unwrap();
    let eid = e["items"][0]["id"].as_i64().unwrap().to_string();
    let r = post(
        &b,
        app.url(&format!("{person_path}/stop")),
        &[("csrf", &token), ("employer_id", &eid), ("end_period", "2026-09"), ("reason", "离职")],
    )
    .await;
    assert_eq!(r.status(), 303);
    assert_eq!(jinbao_tests::count_sql(&app, "411000", "SELECT count(*) AS n FROM enrolment WHERE status = 'stopped'"), 5);
}

#[tokio::test(flavor = "multi_thread")]
async fn audit_trail_shows_who_changed_what() {
    let app = TestApp::start().await;
    let api = app.token("411000", "api", &["clerk"]).await;
    let p = jinbao_tests::register_person(&app, &api, &id_number("411002", "19850101", 11), "审计对象").await;
    let r =
        app.patch(&api, &format!("/api/v1/persons/{}", p["id"]), &serde_json::json!({"phone": "13900000000", "reason": "电话更正"})).await;
    assert_eq!(r.status(), 200);
    let pw = app.create_user("411000", "rev", &["reviewer"]);
    let b = login(&app, "411000", "rev", &pw).await;
    let html = b.get(app.url(&format!("/audit/person/{}", p["id"]))).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("user:api") && html.contains("电话更正") && html.contains("13900000000"), "actor, reason, change");
    let clerk_pw = app.create_user("411000", "c2", &["clerk"]);
    let c = login(&app, "411000", "c2", &clerk_pw).await;
    assert_eq!(c.get(app.url(&format!("/audit/person/{}", p["id"]))).send().await.unwrap().status(), 403);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_city_admin_creates_a_user_who_must_change_the_password_first() {
    let app = TestApp::start().await;
    let pw = app.create_user("411000", "admin", &["city_admin"]);
    let b = login(&app, "411000", "admin", &pw).await;
    let page = b.get(app.url("/admin/users")).send().await.unwrap().text().await.unwrap();
    let token = hidden(&page, "csrf");
    let r = post(
        &b,
        app.url("/admin/users"),
        &[("csrf", &token), ("username", "newclerk"), ("display_name", "新经办"), ("office", "411002"), ("roles", "clerk")],
    )
    .await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    let marker = "newclerk";
    assert!(html.contains(marker));
    // The one-time password is shown once; pick it out of the notice.
    let initial = html
        .split(|c: char| !c.is_ascii_alphanumeric())
        .find(|w| w.len() == 16 && w.chars().any(|c| c.is_ascii_digit()) && w.chars().any(|c| c.is_ascii_alphabetic()))
        .expect("generated password shown")
        .to_string();
    let r = post(
        &b,
        app.url("/admin/users"),
        &[("csrf", &token), ("username", "x2"), ("display_name", "省级"), ("roles", "province_supervisor")],
    )
    .await;
    assert_eq!(r.status(), 422, "a city admin cannot hand out province roles");
    // The new user must change the password before anything else.
    let n = login(&app, "411000", "newclerk", &initial).await;
    let r = n.get(app.url("/persons")).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/password");
    let form = n.get(app.url("/password")).send().await.unwrap().text().await.unwrap();
    let t = hidden(&form, "csrf");
    let r = post(&n, app.url("/password"), &[("csrf", &t), ("current", &initial), ("new", "short"), ("confirm", "short")]).await;
    assert_eq!(r.status(), 422);
    let r = post(
        &n,
        app.url("/password"),
        &[("csrf", &t), ("current", &initial), ("new", "Brand-new-pass-9"), ("confirm", "Brand-new-pass-9")],
    )
    .await;
    assert_eq!(r.status(), 303);
    assert_eq!(n.get(app.url("/persons")).send().await.unwrap().status(), 200, "free to work now");
    let r = app.login("411000", "newclerk", "Brand-new-pass-9").await;
    assert_eq!(r.status(), 200);
    // The admin moves the user to another office and makes them a reviewer.
    let uid = app
        .db
        .tenant(app.tenant_id("411000"), jinbao_store::Actor::system("test"), |tx| {
            Ok(jinbao_store::repo::users::id_by_username(tx, "newclerk")?.unwrap())
        })
        .unwrap();
    let r =
        post(&b, app.url(&format!("/admin/users/{uid}/update")), &[("csrf", &token), ("office", "411003"), ("roles", "reviewer")]).await;
    assert_eq!(r.status(), 303);
    let login: Value = app.login("411000", "newclerk", "Brand-new-pass-9").await.json().await.unwrap();
    assert_eq!(login["roles"], serde_json::json!(["reviewer"]));
}

#[tokio::test(flavor = "multi_thread")]
async fn declaration_upload_and_assessment_progress_pages() {
    let app = TestApp::start().await;
    let api = app.token("411000", "api", &["clerk"]).await;
    let e = register_employer(&app, &api, &credit_code("411000", "MA0000001"), "许昌一厂").await["id"].as_i64().unwrap();
    let id = id_number("411002", "19850101", 11);
    let r = app
        .post(&api, "/api/v1/enrolments", &serde_json::json!({"person": {"id_number": id, "name": "申报人"}, "employer_id": e, "start_period": "2026-07", "declared_wage": "5000", "insurance_types": ["pension"]}))
        .await;
    assert_eq!(r.status(), 201);
    let pw = app.create_user("411000", "clerk", &["clerk"]);
    let b = login(&app, "411000", "clerk", &pw).await;
    let page = b.get(app.url(&format!("/employers/{e}/declaration"))).send().await.unwrap().text().await.unwrap();
    let token = hidden(&page, "csrf");
    let text = format!("身份证号码,申报工资\n{id},6000\n410102199003071231,6100\n");
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    let form = reqwest::multipart::Form::new()
        .text("csrf", token.clone())
        .text("base_year", "2027")
        .part("file", reqwest::multipart::Part::bytes(gbk.to_vec()).file_name("申报.csv").mime_str("text/csv").unwrap());
    let r = b.post(app.url(&format!("/employers/{e}/declaration"))).multipart(form).send().await.unwrap();
    assert_eq!(r.status(), 422, "one bad row: nothing applied");
    let html = r.text().await.unwrap();
    assert!(html.contains("校验位"), "the problem worded in Chinese");
    // Run the assessment from the page and follow its progress page to the end.
    let page = b.get(app.url("/assessments")).send().await.unwrap().text().await.unwrap();
    let r = post(&b, app.url("/assessments/run"), &[("csrf", &hidden(&page, "csrf")), ("period", "2026-07")]).await;
    assert_eq!(r.status(), 303);
    let job = r.headers()["location"].to_str().unwrap().to_string();
    let mut done = false;
    for _ in 0..100 {
        let r = b.get(app.url(&job)).send().await.unwrap();
        let refresh = r.headers().get("refresh").is_some();
        let html = r.text().await.unwrap();
        if !refresh {
            assert!(html.contains("640.00") || html.contains("800.00"), "summary with amounts");
            done = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(done, "the job finished");
    let arrears = b.get(app.url("/arrears")).send().await.unwrap().text().await.unwrap();
    assert!(arrears.contains("许昌一厂"));
}
