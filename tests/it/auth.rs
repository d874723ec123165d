//! Tokens, revocation, throttling and permissions.

use base64::Engine;
use jinbao_tests::{id_number, register_person, TestApp};
use jinbao_web::auth::{Claims, KeySet};
use serde_json::{json, Value};

fn keys(app: &TestApp) -> KeySet {
    KeySet::load_or_create(&app.keys_file).unwrap()
}

/// Claims as the app would issue them for an existing user, for forging variants.
async fn real_claims(app: &TestApp, token: &str) -> Claims {
    let _ = app;
    let payload = token.split('.').nth(1).unwrap();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload).unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

async fn status_with(app: &TestApp, token: &str) -> u16 {
    app.get(token, "/api/v1/me").await.status().as_u16()
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_tokens_are_all_401() {
    let app = TestApp::start().await;
    let token = app.token("411000", "clerk", &["clerk"]).await;
    assert_eq!(status_with(&app, &token).await, 200);
    let ks = keys(&app);
    let base = real_claims(&app, &token).await;
    let now = chrono::Utc::now().timestamp();

    let expired = Claims { iat: now - 7200, nbf: now - 7200, exp: now - 3600, ..base.clone() };
    assert_eq!(status_with(&app, &ks.sign(&expired).unwrap()).await, 401, "expired");

    let future = Claims { nbf: now + 3600, exp: now + 7200, ..base.clone() };
    assert_eq!(status_with(&app, &ks.sign(&future).unwrap()).await, 401, "nbf in the future");

    let mut parts: Vec<String> = token.split('.').map(str::to_string).collect();
    let mut sig = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(&parts[2]).unwrap();
    sig[0] ^= 1;
    parts[2] = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sig);
    assert_eq!(status_with(&app, &parts.join(".")).await, 401, "tampered signature");

    let elevated = Claims { roles: vec!["reviewer".into(), "city_admin".into()], ..base.clone() };
    let forged_payload = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(serde_json::to_vec(&elevated).unwrap());
    let p: Vec<&str> = token.split('.').collect();
    assert_eq!(status_with(&app, &format!("{}.{}.{}", p[0], forged_payload, p[2])).await, 401, "payload changed, signature kept");

    let none_header = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    assert_eq!(status_with(&app, &format!("{none_header}.{}.", p[1])).await, 401, "alg none");

    let other = KeySet::parse(&KeySet::generate_line()).unwrap();
    assert_eq!(status_with(&app, &other.sign(&base).unwrap()).await, 401, "unknown kid");

    let other_tenant = Claims { tid: app.tenant_id("411600").0, tcode: "411600".into(), ..base.clone() };
    assert_eq!(status_with(&app, &ks.sign(&other_tenant).unwrap()).await, 401, "user id not in the claimed tenant");

    assert_eq!(app.client.get(app.url("/api/v1/me")).send().await.unwrap().status(), 401, "no token");
    assert_eq!(status_with(&app, &token).await, 200, "the real token still works");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_deleted_users_token_stops_working() {
    let app = TestApp::start().await;
    let token = app.token("411000", "leaver", &["clerk"]).await;
    assert_eq!(status_with(&app, &token).await, 200);
    app.db
        .tenant(app.tenant_id("411000"), jinbao_store::Actor::system("test"), |tx| {
            let id = jinbao_store::repo::users::id_by_username(tx, "leaver")?.unwrap();
            jinbao_store::repo::users::set_status(tx, id, jinbao_store::kinds::UserStatus::Deleted)
        })
        .unwrap();
    assert_eq!(status_with(&app, &token).await, 401);
}

#[tokio::test(flavor = "multi_thread")]
async fn logout_revokes_the_token_even_when_redis_forgets() {
    let app = TestApp::start().await;
    let token = app.token("411000", "clerk", &["clerk"]).await;
    let r = app.client.post(app.url("/api/v1/auth/logout")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(status_with(&app, &token).await, 401);
    // Simulate Redis losing its data: the database copy still refuses the token.
    let claims = real_claims(&app, &token).await;
    let client = redis::Client::open(jinbao_tests::redis_url()).unwrap();
    let mut c = client.get_multiplexed_async_connection().await.unwrap();
    let key = format!("{}:revoked:{}:{}", app.db_name, claims.tid, claims.jti);
    let existed: i64 = redis::cmd("DEL").arg(&key).query_async(&mut c).await.unwrap();
    assert_eq!(existed, 1, "logout cached the revocation in redis");
    assert_eq!(status_with(&app, &token).await, 401);
}

#[tokio::test(flavor = "multi_thread")]
async fn without_redis_logins_work_and_revocation_holds() {
    let app = TestApp::start_with(|s| s.redis_url = "redis://127.0.0.1:1/".into()).await;
    let token = app.token("411000", "clerk", &["clerk"]).await;
    assert_eq!(status_with(&app, &token).await, 200);
    let r = app.client.post(app.url("/api/v1/auth/logout")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(status_with(&app, &token).await, 401);
    let ready: Value = app.client.get(app.url("/readyz")).send().await.unwrap().json().await.unwrap();
    assert_eq!(ready["postgres"], "up");
    assert!(ready["redis"].as_str().unwrap().starts_with("down"));
    // The in-process limiter still throttles failed logins.
    let mut last = 0;
    for _ in 0..12 {
        last = app.login("411000", "nobody", "wrong-password-1").await.status().as_u16();
    }
    assert_eq!(last, 429);
}

#[tokio::test(flavor = "multi_thread")]
async fn wrong_passwords_slow_the_guesser_and_never_lock_the_account() {
    let app = TestApp::start().await;
    let pw = app.create_user("411000", "target", &["clerk"]);
    let r = app.login("411000", "target", "wrong").await;
    assert_eq!(r.status(), 401);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"]["code"], "auth.invalid_credentials");
    for _ in 0..4 {
        app.login("411000", "target", "wrong").await;
    }
    // The guesser's own address now waits before each attempt (429), whoever the user is.
    let r = app.login("411000", "target", &pw).await;
    assert_eq!(r.status(), 429);
    let mut last = 0;
    for _ in 0..5 {
        last = app.login("411000", "ghost2", "x").await.status().as_u16();
    }
    assert_eq!(last, 429, "an unknown user is throttled exactly like a real one");
    // The account itself is not locked: nothing in the database stops the right password.
    let locked = jinbao_tests::count_sql(
        &app,
        "411000",
        "SELECT count(*) AS n FROM app_user WHERE username = 'target' AND locked_until IS NOT NULL",
    );
    assert_eq!(locked, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn roles_without_the_permission_get_403() {
    let app = TestApp::start().await;
    let clerk = app.token("411000", "clerk", &["clerk"]).await;
    let person = register_person(&app, &clerk, &id_number("411002", "19850101", 11), "许一").await;
    let finance = app.token("411000", "fin", &["finance_viewer"]).await;
    let r = app.get(&finance, &format!("/api/v1/persons/{}", person["id"])).await;
    assert_eq!(r.status(), 403);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"]["code"], "auth.forbidden");
    let r = app.post(&finance, "/api/v1/persons", &json!({"id_number": id_number("411002", "19900101", 13), "name": "x"})).await;
    assert_eq!(r.status(), 403);
    let reviewer = app.token("411000", "rev", &["reviewer"]).await;
    let r = app.post(&reviewer, "/api/v1/persons", &json!({"id_number": id_number("411002", "19900101", 13), "name": "x"})).await;
    assert_eq!(r.status(), 403, "reviewers check, they do not register");
    assert_eq!(app.count_in("411000", "person"), 1);
    // The reviewer may read and sees the full identity number; the clerk sees it masked.
    let full: Value = app.get(&reviewer, &format!("/api/v1/persons/{}", person["id"])).await.json().await.unwrap();
    assert_eq!(full["id_number"], id_number("411002", "19850101", 11));
    assert_eq!(person["id_number"], "4110**********011".to_string() + &id_number("411002", "19850101", 11)[17..]);
}

/// Redis comes back empty (restarted without persistence): the throttle of a guessing address
/// still holds, and a token revoked before stays refused (the database is authoritative).
#[tokio::test(flavor = "multi_thread")]
async fn when_redis_returns_empty_throttles_and_revocations_hold() {
    let app = TestApp::start().await;
    let token = app.token("411000", "clerk", &["clerk"]).await;
    app.create_user("411000", "target", &["clerk"]);
    for _ in 0..8 {
        app.login("411000", "target", "wrong-guess-1").await;
    }
    assert_eq!(app.login("411000", "target", "wrong-guess-1").await.status(), 429);
    let r = app.client.post(app.url("/api/v1/auth/logout")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(r.status(), 204);
    // Everything this server had in Redis is gone.
    let client = redis::Client::open(jinbao_tests::redis_url()).unwrap();
    let mut c = client.get_multiplexed_async_connection().await.unwrap();
    let keys: Vec<String> = redis::cmd("KEYS").arg(format!("{}:*", app.db_name)).query_async(&mut c).await.unwrap();
    assert!(!keys.is_empty());
    let _: () = redis::cmd("DEL").arg(&keys).query_async(&mut c).await.unwrap();
    assert_eq!(app.login("411000", "target", "wrong-guess-1").await.status(), 429, "the guesser still waits");
    assert_eq!(status_with(&app, &token).await, 401, "the revoked token stays revoked");
}
