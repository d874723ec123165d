//! Attacks a review tried against the money and isolation fixes, kept as regressions: a revision
//! pays a month that had failed at the revised amount; a clerk cannot confirm a masked account by
//! proposing it; the duplicate check never tells a city which other city insures its person;
//! /metrics stays closed to internet clients behind a local proxy; NUL bytes never give a 5xx.

use diesel::connection::SimpleConnection;
use diesel::Connection;
use jinbao_tests::{count_sql, credit_code, id_number, register_employer, TestApp};
use serde_json::{json, Value};

const OLD: &str = "6216600000001234";

async fn approved_claim(app: &TestApp) -> jinbao_tests::ApprovedClaim {
    jinbao_tests::approved_maternity_claim(app, OLD).await
}

fn user_id(app: &TestApp, tenant: &str, username: &str) -> i64 {
    count_sql(app, tenant, &format!("SELECT id AS n FROM app_user WHERE username = '{username}'"))
}

/// Runs SQL as the application role (`jinbao_app`) with the tenant set, like a compromised
/// application process would.
fn as_app(app: &TestApp, tenant_code: &str, sql: &str) -> Result<(), String> {
    let tid = app.tenant_id(tenant_code).0;
    let mut c = app.app_conn();
    c.transaction::<(), diesel::result::Error, _>(|c| {
        c.batch_execute(&format!("SELECT set_tenant({tid}::smallint)"))?;
        c.batch_execute(sql)
    })
    .map_err(|e| e.to_string())
}

async fn results(app: &TestApp, token: &str, batch: i64, csv: String) {
    let r =
        app.client.post(app.url(&format!("/api/v1/payments/batches/{batch}/results"))).bearer_auth(token).body(csv).send().await.unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
}

/// A month whose line failed before a revision gets no adjustment, and its reissue copies the
/// failed line's (old) amount: the month is paid at the old amount forever (underpaid on an
/// increase, overpaid with nothing to recover on a decrease).
#[tokio::test(flavor = "multi_thread")]
async fn a_revised_month_that_had_failed_is_reissued_at_the_revised_amount() {
    let app = TestApp::start().await;
    let s = approved_claim(&app).await;
    let b1: Value = app.post(&s.reviewer, "/api/v1/payments/batches", &json!({"period": "2026-11"})).await.json().await.unwrap();
    let b1 = b1["id"].as_i64().unwrap();
    assert_eq!(app.post(&s.reviewer, &format!("/api/v1/payments/batches/{b1}/export"), &json!({})).await.status(), 200);
    let line = count_sql(&app, "411000", &format!("SELECT id AS n FROM payment_line WHERE batch_id = {b1}"));
    results(&app, &s.reviewer, b1, format!("line_id,status,reason,reference\n{line},failed,账户冻结,\n")).await;
    let old = count_sql(&app, "411000", &format!("SELECT amount_fen AS n FROM benefit_claim WHERE id = {}", s.claim));
    let new = old + 12345;
    // A revision proposed by the clerk and approved by the reviewer (as revisions::propose/decide
    // write it; the recalculation that proposes it only runs for provisional pensions).
    let (clerk, reviewer) = (user_id(&app, "411000", "clerk"), user_id(&app, "411000", "reviewer"));
    let tid = app.tenant_id("411000").0;
    as_app(
        &app,
        "411000",
        &format!(
            "INSERT INTO claim_revision (tenant_id, claim_id, reason, published, old_amount_fen, new_amount_fen, calculation, proposed_by)
             SELECT {tid}, id, 'figures_published', '{{}}', amount_fen, {new}, calculation, {clerk} FROM benefit_claim WHERE id = {claim};
             UPDATE claim_revision SET status = 'approved', decided_by = {reviewer}, decided_at = now() WHERE claim_id = {claim};
             SELECT claim_revision_apply((SELECT max(id) FROM claim_revision));",
            claim = s.claim
        ),
    )
    .unwrap();
    let b2: Value = app.post(&s.reviewer, "/api/v1/payments/batches", &json!({"period": "2026-12"})).await.json().await.unwrap();
    assert!(b2["lines"].as_i64().unwrap() >= 1, "{b2}");
    let owed = count_sql(
        &app,
        "411000",
        &format!("SELECT coalesce(sum(amount_fen), 0)::bigint AS n FROM payment_line WHERE claim_id = {} AND status <> 'failed'", s.claim),
    );
    assert_eq!(owed, new, "after the revision the month is paid {owed} fen, not the revised {new} (old {old})");
}

/// A clerk sees `************1234`. Proposing a guess answers 422 `channel_change.unchanged` when
/// the guess is the current account and 201 otherwise: an oracle on the full number.
#[tokio::test(flavor = "multi_thread")]
async fn proposing_the_current_account_answers_like_any_other() {
    let app = TestApp::start().await;
    let s = approved_claim(&app).await;
    let path = format!("/api/v1/benefits/claims/{}/channel", s.claim);
    let right =
        app.post(&s.clerk, &path, &json!({"channel": "bank", "bank_name": "中国银行许昌分行", "account_no": OLD, "reason": "x"})).await;
    let right = (right.status().as_u16(), right.text().await.unwrap());
    // The reviewer rejects it, so the next guess meets no open proposal.
    let open: Value = serde_json::from_str(&right.1).unwrap();
    let r =
        app.post(&s.reviewer, &format!("/api/v1/benefits/channel-changes/{}/reject", open["id"]), &json!({"note": "与现账户相同"})).await;
    assert_eq!(r.status(), 200);
    let wrong = app
        .post(
            &s.clerk,
            &path,
            &json!({"channel": "bank", "bank_name": "中国银行许昌分行", "account_no": "6216600000005234", "reason": "x"}),
        )
        .await;
    let wrong = (wrong.status().as_u16(), wrong.text().await.unwrap());
    assert_eq!(right.0, wrong.0, "right guess {right:?} vs wrong guess {wrong:?}");
}

/// A Xuchang clerk enrols a made-up person with the identity number of someone insured in
/// Zhoukou (a shell employer is enough); after the scheduled duplicate check, Xuchang's
/// `/api/v1/duplicates` names Zhoukou — what the transfer letters were redesigned not to tell.
#[tokio::test(flavor = "multi_thread")]
async fn the_duplicate_check_never_names_the_other_city() {
    let app = TestApp::start().await;
    let xc = app.token("411000", "xc", &["clerk"]).await;
    let zk = app.token("411600", "zk", &["clerk"]).await;
    let ex = register_employer(&app, &xc, &credit_code("411000", "MA0000001"), "空壳厂").await["id"].as_i64().unwrap();
    let ez = register_employer(&app, &zk, &credit_code("411600", "MA0000002"), "周口厂").await["id"].as_i64().unwrap();
    let target = id_number("411602", "19700101", 17);
    for (t, e, name) in [(&zk, ez, "周口真人"), (&xc, ex, "猜的")] {
        let r = app
            .post(
                t,
                "/api/v1/enrolments",
                &json!({"person": {"id_number": target, "name": name}, "employer_id": e, "start_period": "2026-07",
                                                 "declared_wage": "5000", "insurance_types": ["pension"]}),
            )
            .await;
        assert_eq!(r.status(), 201);
    }
    jinbao_store::repo::duplicates::run(&app.db, "cron").unwrap();
    let x: Value = app.get(&xc, "/api/v1/duplicates").await.json().await.unwrap();
    assert!(!x.to_string().contains("411600"), "Xuchang learned that Zhoukou insures {target}: {x}");
}

/// With no `JINBAO_METRICS_TOKEN`, `/metrics` is open to "loopback clients" judged by the TCP
/// peer. Behind a reverse proxy on the same host (listed in JINBAO_TRUSTED_PROXIES) every internet
/// client is a loopback peer.
#[tokio::test(flavor = "multi_thread")]
async fn metrics_stay_closed_to_internet_clients_behind_a_local_proxy() {
    let app = TestApp::start_with(|s| s.trusted_proxies = jinbao_web::config::parse_proxies("127.0.0.1/32").unwrap()).await;
    let r = app.client.get(app.url("/metrics")).header("x-forwarded-for", "203.0.113.9").send().await.unwrap();
    assert_eq!(r.status(), 404, "an internet client (203.0.113.9 via the proxy) read /metrics");
}

#[tokio::test(flavor = "multi_thread")]
async fn nul_bytes_never_give_a_server_error() {
    let app = TestApp::start().await;
    let clerk = app.token("411000", "clerk", &["clerk"]).await;
    let mut seen = Vec::new();
    // Unauthenticated: the login.
    let r = app.login("411000", "a\u{0}b", "whatever-password").await;
    seen.push(("login username NUL", r.status().as_u16()));
    let r = app.login("411000", "clerk", "pass\u{0}word").await;
    seen.push(("login password NUL", r.status().as_u16()));
    let r = app.post(&clerk, "/api/v1/persons", &json!({"id_number": id_number("411002", "19900101", 21), "name": "张\u{0}三"})).await;
    seen.push(("person name NUL", r.status().as_u16()));
    let r = app.post(&clerk, "/api/v1/persons/search", &json!({"name": "\u{0}"})).await;
    seen.push(("person search NUL", r.status().as_u16()));
    let r = app.post(&clerk, "/api/v1/transfers", &json!({"from_city": "4116\u{0}00", "person_id": 1})).await;
    seen.push(("transfer from_city NUL", r.status().as_u16()));
    let bad: Vec<_> = seen.iter().filter(|(_, s)| *s >= 500).collect();
    assert!(bad.is_empty(), "5xx: {bad:?} (all: {seen:?})");
}

/// What the API document promises: an out-of-range year falls back to the current one; an
/// unknown transfer side is a 422 like an unknown claim status.
#[tokio::test(flavor = "multi_thread")]
async fn the_server_answers_as_the_api_document_says() {
    let app = TestApp::start().await;
    let fin = app.token("410000", "provfin", &["finance_viewer"]).await;
    for year in ["2147483648", "-1", "abc", "1999"] {
        let r = app.get(&fin, &format!("/api/v1/province/finance?year={year}")).await;
        assert_eq!(r.status(), 200, "year={year}");
    }
    let clerk = app.token("411000", "clerk", &["clerk"]).await;
    let r = app.get(&clerk, "/api/v1/transfers?side=bogus").await;
    assert_eq!(r.status(), 422);
    assert_eq!(r.json::<Value>().await.unwrap()["error"]["fields"][0]["code"], "transfer.side");
    assert_eq!(app.get(&clerk, "/api/v1/transfers?side=in").await.status(), 200);
    // A known path asked with a method it does not answer is a 405, an unknown path a 404.
    let r = app.client.put(app.url("/api/v1/persons/1")).bearer_auth(&clerk).json(&serde_json::json!({})).send().await.unwrap();
    assert_eq!(r.status(), 405);
    assert_eq!(r.json::<Value>().await.unwrap()["error"]["code"], "request.method");
    let r = app.client.delete(app.url("/api/v1/benefits/claims")).bearer_auth(&clerk).send().await.unwrap();
    assert_eq!(r.status(), 405);
    assert_eq!(app.get(&clerk, "/api/v1/no-such-thing").await.status(), 404);
}
