//! Onboarding a city: the first administrator and checklist (idempotent), the lifecycle with its
//! rules, and a suspended city: logins refused, reads allowed, writes refused by the database.

use jinbao_tests::{count_sql, id_number, register_person, TestApp};
use reqwest::Client;
use serde_json::{json, Value};

fn session(app: &TestApp, token: &str) -> (Client, String) {
    let c = Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let _ = app;
    (c, format!("jinbao_session={token}"))
}

async fn csrf_of(c: &Client, cookie: &str, url: String) -> String {
    let html = c.get(url).header("cookie", cookie).send().await.unwrap().text().await.unwrap();
    let i = html.find("name=\"csrf\" value=\"").expect("csrf") + "name=\"csrf\" value=\"".len();
    html[i..].split('"').next().unwrap().to_string()
}

async fn post(c: &Client, cookie: &str, url: String, fields: &[(&str, &str)]) -> reqwest::Response {
    c.post(url)
        .header("cookie", cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(serde_urlencoded::to_string(fields).unwrap())
        .send()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_platform_admin_onboards_zhengzhou_through_its_lifecycle() {
    let app = TestApp::start().await;
    let token = app.token("410000", "ops", &["platform_admin"]).await;
    let (c, cookie) = session(&app, &token);
    let page = app.url("/admin/tenants");
    let csrf = csrf_of(&c, &cookie, page.clone()).await;
    // Start: checklist and first administrator with a one-time password, shown once.
    let r = post(&c, &cookie, app.url("/admin/tenants/410100/start"), &[("csrf", &csrf)]).await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("admin410100"));
    assert_eq!(count_sql(&app, "410100", "SELECT count(*) AS n FROM onboarding_item"), 5);
    let r = post(&c, &cookie, app.url("/admin/tenants/410100/start"), &[("csrf", &csrf)]).await;
    assert_eq!(r.status(), 303, "running it again changes nothing");
    assert_eq!(count_sql(&app, "410100", "SELECT count(*) AS n FROM app_user"), 1);
    assert_eq!(count_sql(&app, "410100", "SELECT count(*) AS n FROM app_user WHERE must_change_password"), 1);
    // planned → live is not a step; planned → pilot is.
    assert_eq!(post(&c, &cookie, app.url("/admin/tenants/410100/status/live"), &[("csrf", &csrf), ("reason", "试试")]).await.status(), 409);
    assert_eq!(
        post(&c, &cookie, app.url("/admin/tenants/410100/status/pilot"), &[("csrf", &csrf), ("reason", "第二批试点")]).await.status(),
        303
    );
    // pilot → live needs the whole checklist.
    assert_eq!(post(&c, &cookie, app.url("/admin/tenants/410100/status/live"), &[("csrf", &csrf), ("reason", "上线")]).await.status(), 409);
    for item in ["rules_reviewed", "legacy_imported", "users_created", "test_enrolment_assessed", "sign_off"] {
        assert_eq!(post(&c, &cookie, app.url(&format!("/admin/tenants/410100/tick/{item}")), &[("csrf", &csrf)]).await.status(), 303);
    }
    assert_eq!(
        post(&c, &cookie, app.url("/admin/tenants/410100/status/live"), &[("csrf", &csrf), ("reason", "全部完成")]).await.status(),
        303
    );
    let tenants = jinbao_store::repo::global::tenants(&app.db).unwrap();
    assert_eq!(tenants.iter().find(|t| t.code == "410100").unwrap().status, "live");
    // Every step is in Zhengzhou's audit log, made by the platform operator.
    assert_eq!(count_sql(&app, "410100", "SELECT count(*) AS n FROM audit_log WHERE actor = 'system:platform:ops' AND action IN ('tenant.status', 'onboarding.tick', 'user.create')"), 8);
    assert_eq!(count_sql(&app, "410100", "SELECT count(*) AS n FROM onboarding_item WHERE done_by LIKE 'ops%'"), 5);
    // A clerk cannot do any of it.
    let clerk = app.token("411000", "clerk", &["clerk"]).await;
    let (cc, ck) = session(&app, &clerk);
    let r = cc.get(app.url("/admin/tenants")).header("cookie", &ck).send().await.unwrap();
    assert_eq!(r.status(), 403);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_suspended_city_refuses_logins_and_writes_but_still_reads() {
    let app = TestApp::start().await;
    let clerk = app.token("411000", "clerk", &["clerk"]).await;
    let p = register_person(&app, &clerk, &id_number("411002", "19850101", 11), "许一").await;
    let pw = app.create_user("411000", "other", &["clerk"]);
    app.db
        .tenant(app.tenant_id("411000"), jinbao_store::Actor::system("test"), |tx| {
            jinbao_store::repo::onboarding::transition(tx, jinbao_domain::TenantStatus::Suspended, "数据核查")
        })
        .unwrap();
    let r = app.login("411000", "other", &pw).await;
    assert_eq!(r.status(), 401);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"]["code"], "auth.tenant_suspended");
    assert_eq!(app.get(&clerk, &format!("/api/v1/persons/{}", p["id"])).await.status(), 200, "reads still work");
    let r = app.post(&clerk, "/api/v1/persons", &json!({"id_number": id_number("411002", "19850101", 13), "name": "许二"})).await;
    assert_eq!(r.status(), 409);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"]["code"], "tenant.suspended");
    assert_eq!(app.count_in("411000", "person"), 1);
    // Zhoukou is untouched.
    let zk = app.token("411600", "zk", &["clerk"]).await;
    assert_eq!(
        app.post(&zk, "/api/v1/persons", &json!({"id_number": id_number("411602", "19850101", 13), "name": "周二"})).await.status(),
        201
    );
}
