//! Logins and sessions against one bad actor: no account enumeration, no lockout of named clerks
//! by outsiders, the client address only from a trusted proxy, one-time passwords enforced on the
//! API, tokens dead at once when a user is disabled, reset or given other roles (province routes
//! included), no open redirect after login, the JSON API safe from cross-site forms.

use jinbao_store::repo::users;
use jinbao_store::Actor;
use jinbao_tests::TestApp;
use serde_json::{json, Value};

async fn login_from(app: &TestApp, forwarded_for: &str, user: &str, pw: &str) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/auth/login"))
        .header("x-forwarded-for", forwarded_for)
        .json(&json!({"tenant": "411000", "username": user, "password": pw}))
        .send()
        .await
        .unwrap()
}

fn user_id(app: &TestApp, tenant: &str, name: &str) -> i64 {
    app.db.tenant(app.tenant_id(tenant), Actor::system("test"), |tx| users::id_by_username(tx, name)).unwrap().unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn unknown_disabled_and_wrong_look_the_same() {
    let app = TestApp::start().await;
    let pw = app.create_user("411000", "real", &["clerk"]);
    app.create_user("411000", "gone", &["clerk"]);
    let gone = user_id(&app, "411000", "gone");
    app.db
        .tenant(app.tenant_id("411000"), Actor::system("test"), |tx| users::set_status(tx, gone, jinbao_store::kinds::UserStatus::Disabled))
        .unwrap();
    let mut bodies = Vec::new();
    for (i, (user, password)) in [("real", "wrong-password-1"), ("nobody", "wrong-password-1"), ("gone", pw.as_str())].iter().enumerate() {
        // Each from its own address, so no throttle interferes.
        let r = login_from(&app, &format!("198.51.100.{i}"), user, password).await;
        bodies.push((r.status().as_u16(), r.text().await.unwrap()));
    }
    assert!(bodies.iter().all(|b| *b == bodies[0]), "{bodies:?}");
    assert_eq!(bodies[0].0, 401);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_outsider_cannot_lock_out_a_named_clerk() {
    let app = TestApp::start_with(|s| s.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()]).await;
    let pw = app.create_user("411000", "clerk", &["clerk"]);
    // The clerk works from the office and has logged in from there before.
    assert_eq!(login_from(&app, "10.20.0.7", "clerk", &pw).await.status(), 200);
    // An outsider, behind the same HTTPS proxy, guesses from many addresses.
    for i in 0..40 {
        login_from(&app, &format!("203.0.113.{}", i % 8), "clerk", "guess-123456").await;
    }
    assert_eq!(login_from(&app, "203.0.113.1", "clerk", &pw).await.status(), 429, "the guesser waits");
    assert_eq!(login_from(&app, "10.20.0.7", "clerk", &pw).await.status(), 200, "the clerk does not");
    assert_eq!(login_from(&app, "10.20.0.8", "clerk", &pw).await.status(), 200, "nor a colleague at the next desk");
}

#[tokio::test(flavor = "multi_thread")]
async fn forwarded_for_is_ignored_unless_the_peer_is_a_trusted_proxy() {
    let app = TestApp::start().await;
    let pw = app.create_user("411000", "clerk", &["clerk"]);
    // A client cannot escape the per-address throttle by inventing addresses.
    for i in 0..40 {
        login_from(&app, &format!("192.0.2.{i}"), &format!("u{i}"), "guess-123456").await;
    }
    assert_eq!(login_from(&app, "192.0.2.250", "clerk", &pw).await.status(), 429);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_one_time_password_must_be_changed_on_the_api_too() {
    let app = TestApp::start().await;
    let pw = app.create_user("411000", "newbie", &["clerk"]);
    let id = user_id(&app, "411000", "newbie");
    let hash = jinbao_web::auth::password::hash(&pw).unwrap();
    app.db.tenant(app.tenant_id("411000"), Actor::system("test"), |tx| users::set_password(tx, id, &hash, true)).unwrap();
    let r = app.login("411000", "newbie", &pw).await;
    let token = r.json::<Value>().await.unwrap()["token"].as_str().unwrap().to_string();
    let r = app.get(&token, "/api/v1/persons/1").await;
    assert_eq!(r.status(), 403);
    assert_eq!(r.json::<Value>().await.unwrap()["error"]["code"], "auth.password_change_required");
    assert_eq!(app.get(&token, "/api/v1/me").await.status(), 200);
    let r = app.post(&token, "/api/v1/me/password", &json!({"current": pw, "new": "short"})).await;
    assert_eq!(r.status(), 422);
    let r = app.post(&token, "/api/v1/me/password", &json!({"current": pw, "new": "A-new-secret-42"})).await;
    assert_eq!(r.status(), 200);
    let renewed = r.json::<Value>().await.unwrap()["token"].as_str().unwrap().to_string();
    assert_eq!(app.get(&renewed, "/api/v1/persons/1").await.status(), 404, "the renewed token works");
    assert_eq!(app.get(&token, "/api/v1/me").await.status(), 401, "the one-time session is over");
}

#[tokio::test(flavor = "multi_thread")]
async fn disabling_resetting_or_changing_roles_ends_every_session_at_once() {
    let app = TestApp::start().await;
    let tid = app.tenant_id("411000");
    let sessions = [
        app.token("411000", "usera", &["clerk"]).await,
        app.token("411000", "userb", &["clerk"]).await,
        app.token("411000", "userc", &["clerk", "reviewer"]).await,
    ];
    for t in &sessions {
        assert_eq!(app.get(t, "/api/v1/me").await.status(), 200);
    }
    let (a, b, c) = (user_id(&app, "411000", "usera"), user_id(&app, "411000", "userb"), user_id(&app, "411000", "userc"));
    let hash = jinbao_web::auth::password::hash("Reset-by-admin-1").unwrap();
    app.db
        .tenant(tid, Actor::system("test"), |tx| {
            users::set_status(tx, a, jinbao_store::kinds::UserStatus::Disabled)?;
            users::set_password(tx, b, &hash, true)?;
            users::set_office_and_roles(tx, c, "411000", &["clerk".to_string()])
        })
        .unwrap();
    for t in &sessions {
        assert_eq!(app.get(t, "/api/v1/me").await.status(), 401);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn province_routes_check_the_session_and_the_tenant() {
    let app = TestApp::start().await;
    let supervisor = app.token("410000", "sup", &["province_supervisor"]).await;
    let routes = [
        "/api/v1/province/dashboard",
        "/api/v1/province/duplicates",
        "/api/v1/province/transfers",
        "/api/v1/province/report?period=2026-11",
    ];
    for r in routes {
        assert_eq!(app.get(&supervisor, r).await.status(), 200, "{r}");
    }
    // A city account given the province role by mistake still sees nothing of other cities.
    let city = app.token("411000", "wrongrole", &["province_supervisor", "finance_viewer"]).await;
    for r in routes.iter().chain(&["/api/v1/province/finance"]) {
        assert_eq!(app.get(&city, r).await.status(), 403, "{r}");
    }
    // A disabled supervisor is refused at once, the cached dashboard included.
    let id = user_id(&app, "410000", "sup");
    app.db
        .tenant(app.tenant_id("410000"), Actor::system("test"), |tx| users::set_status(tx, id, jinbao_store::kinds::UserStatus::Disabled))
        .unwrap();
    for r in routes {
        assert_eq!(app.get(&supervisor, r).await.status(), 401, "{r}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn after_login_only_a_local_path() {
    let app = TestApp::start().await;
    let pw = app.create_user("411000", "clerk", &["clerk"]);
    let page = app.client.get(app.url("/login")).send().await.unwrap();
    let cookie =
        page.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().split(';').next().unwrap().to_string()).collect::<Vec<_>>();
    let html = page.text().await.unwrap();
    let csrf = html.split("name=\"csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    for (next, want) in [("/\t/evil.example", "/"), ("/\\evil.example", "/"), ("//evil.example", "/"), ("/persons", "/persons")] {
        let r = app
            .client
            .post(app.url("/login"))
            .header("cookie", cookie.join("; "))
            .form(&[("csrf", csrf.as_str()), ("tenant", "411000"), ("username", "clerk"), ("password", pw.as_str()), ("next", next)])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303, "{next:?}");
        assert_eq!(r.headers().get("location").unwrap().to_str().unwrap(), want, "{next:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_json_api_refuses_cross_site_writes() {
    let app = TestApp::start().await;
    let token = app.token("411000", "clerk", &["clerk"]).await;
    let claims: Value = serde_json::from_slice(
        &base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, token.split('.').nth(1).unwrap()).unwrap(),
    )
    .unwrap();
    let body = json!({"id_number": jinbao_tests::id_number("411002", "19800101", 11), "name": "张三"});
    let with_cookie = || app.client.post(app.url("/api/v1/persons")).header("cookie", format!("jinbao_session={token}"));
    // The session cookie alone (what a cross-site form would send) is refused.
    let r = with_cookie().json(&body).send().await.unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(r.json::<Value>().await.unwrap()["error"]["code"], "csrf.invalid");
    // A form body is not JSON.
    let r = app
        .client
        .post(app.url("/api/v1/persons"))
        .bearer_auth(&token)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("id_number=1&name=x")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 415);
    assert_eq!(app.count_in("411000", "person"), 0);
    // The cookie with the session's CSRF token in the header is the page's own call.
    let r = with_cookie().header("x-csrf-token", claims["csrf"].as_str().unwrap()).json(&body).send().await.unwrap();
    assert_eq!(r.status(), 201);
}

#[tokio::test(flavor = "multi_thread")]
async fn metrics_need_the_token_when_one_is_set() {
    let app = TestApp::start_with(|s| s.metrics_token = Some("scrape-secret-0123456789".into())).await;
    assert_eq!(app.client.get(app.url("/metrics")).send().await.unwrap().status(), 404);
    let r = app.client.get(app.url("/metrics")).bearer_auth("wrong").send().await.unwrap();
    assert_eq!(r.status(), 404);
    let r = app.client.get(app.url("/metrics")).bearer_auth("scrape-secret-0123456789").send().await.unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test(flavor = "multi_thread")]
async fn hsts_is_sent_when_cookies_are_secure() {
    let plain = TestApp::start().await;
    let r = plain.client.get(plain.url("/healthz")).send().await.unwrap();
    assert!(r.headers().get("strict-transport-security").is_none());
    let secure = TestApp::start_with(|s| s.cookie_secure = true).await;
    let r = secure.client.get(secure.url("/healthz")).send().await.unwrap();
    assert_eq!(r.headers().get("strict-transport-security").unwrap(), "max-age=31536000; includeSubDomains");
}
