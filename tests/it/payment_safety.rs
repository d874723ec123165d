//! Where money goes needs two people: a change of payment account is a proposal another user
//! decides; a payment line keeps the account it was generated with; account numbers are masked
//! for roles that do not need them; downloading a file changes nothing.

use diesel::connection::SimpleConnection;
use diesel::Connection;
use jinbao_tests::{count_sql, TestApp};
use serde_json::{json, Value};

const OLD: &str = "6216600000001234";
const NEW: &str = "6228480000009999";

async fn approved_claim(app: &TestApp) -> jinbao_tests::ApprovedClaim {
    jinbao_tests::approved_maternity_claim(app, OLD).await
}

fn new_account(reason: &str) -> Value {
    json!({"channel": "bank", "bank_name": "中国农业银行许昌分行", "account_no": NEW, "reason": reason})
}

#[tokio::test(flavor = "multi_thread")]
async fn one_clerk_cannot_redirect_a_benefit() {
    let app = TestApp::start().await;
    let s = approved_claim(&app).await;
    // The November batch is generated with the old account.
    let batch: Value = app.post(&s.reviewer, "/api/v1/payments/batches", &json!({"period": "2026-11"})).await.json().await.unwrap();
    let bid = batch["id"].as_i64().unwrap();

    // The clerk's change is only a proposal: the claim still pays the old account.
    let r = app.post(&s.clerk, &format!("/api/v1/benefits/claims/{}/channel", s.claim), &new_account("原账户已销户")).await;
    assert_eq!(r.status(), 201);
    let change: Value = r.json().await.unwrap();
    assert_eq!(change["status"], "proposed");
    let stored =
        count_sql(&app, "411000", &format!("SELECT count(*) AS n FROM benefit_claim WHERE id = {} AND account_no = '{OLD}'", s.claim));
    assert_eq!(stored, 1, "nothing changes before the approval");
    // A second proposal for the same claim waits for the first.
    let r = app.post(&s.clerk, &format!("/api/v1/benefits/claims/{}/channel", s.claim), &new_account("再次申请")).await;
    assert_eq!(r.status(), 409);

    // The proposer cannot decide, even holding the reviewer role too.
    let both = app.token("411000", "both", &["clerk", "reviewer"]).await;
    let r = app
        .post(
            &both,
            &format!("/api/v1/benefits/claims/{}/channel", s.claim),
            &json!({"channel": "post", "post_address": "许昌市魏都区某街道", "reason": "x"}),
        )
        .await;
    assert_eq!(r.status(), 409, "one open proposal per claim");
    let id = change["id"].as_i64().unwrap();
    let r = app.post(&s.clerk, &format!("/api/v1/benefits/channel-changes/{id}/approve"), &json!({})).await;
    assert_eq!(r.status(), 403, "a clerk cannot approve");

    // A reject needs a note; a reviewer approves; the claim now pays the new account.
    assert_eq!(app.post(&s.reviewer, &format!("/api/v1/benefits/channel-changes/{id}/reject"), &json!({})).await.status(), 422);
    let r = app.post(&s.reviewer, &format!("/api/v1/benefits/channel-changes/{id}/approve"), &json!({"note": "已核对存折"})).await;
    assert_eq!(r.status(), 200);
    let decided: Value = r.json().await.unwrap();
    assert_eq!((decided["status"].as_str(), decided["account_no"].as_str()), (Some("approved"), Some(NEW)), "{decided}");
    assert_eq!(app.post(&s.reviewer, &format!("/api/v1/benefits/channel-changes/{id}/approve"), &json!({})).await.status(), 409);
    let stored =
        count_sql(&app, "411000", &format!("SELECT count(*) AS n FROM benefit_claim WHERE id = {} AND account_no = '{NEW}'", s.claim));
    assert_eq!(stored, 1);

    // The batch generated before the change still pays the account it was generated with.
    assert_eq!(app.post(&s.reviewer, &format!("/api/v1/payments/batches/{bid}/export"), &json!({})).await.status(), 200);
    let file = app.get(&s.reviewer, &format!("/api/v1/payments/batches/{bid}/bank.csv")).await.text().await.unwrap();
    assert!(file.contains(OLD) && !file.contains(NEW), "{file}");

    // Both people and both accounts are in the audit log.
    let audited = count_sql(
        &app,
        "411000",
        &format!(
            "SELECT count(*) AS n FROM audit_log WHERE entity = 'channel_change' AND entity_id = '{id}'
               AND ((action = 'benefit.channel_propose' AND after::text LIKE '%{NEW}%' AND before::text LIKE '%{OLD}%')
                 OR (action = 'benefit.channel_approve' AND user_id <> (SELECT proposed_by FROM channel_change WHERE id = {id})))"
        ),
    );
    assert_eq!(audited, 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_proposer_cannot_approve_their_own_change() {
    let app = TestApp::start().await;
    let s = approved_claim(&app).await;
    let both = app.token("411000", "both", &["clerk", "reviewer"]).await;
    let r = app.post(&both, &format!("/api/v1/benefits/claims/{}/channel", s.claim), &new_account("账户变更")).await;
    assert_eq!(r.status(), 201);
    let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let r = app.post(&both, &format!("/api/v1/benefits/channel-changes/{id}/approve"), &json!({})).await;
    assert_eq!(r.status(), 422);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"]["fields"][0]["code"], "benefit.same_person", "{v}");
    let stored =
        count_sql(&app, "411000", &format!("SELECT count(*) AS n FROM benefit_claim WHERE id = {} AND account_no = '{OLD}'", s.claim));
    assert_eq!(stored, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_database_refuses_a_one_person_change() {
    let app = TestApp::start().await;
    let s = approved_claim(&app).await;
    let r = app.post(&s.clerk, &format!("/api/v1/benefits/claims/{}/channel", s.claim), &new_account("账户变更")).await;
    let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let batch: Value = app.post(&s.reviewer, "/api/v1/payments/batches", &json!({"period": "2026-11"})).await.json().await.unwrap();
    assert_eq!(batch["lines"], 1);
    let tid = app.tenant_id("411000").0;
    let as_app = |sql: &str| -> Result<(), String> {
        let mut c = app.app_conn();
        c.transaction::<(), diesel::result::Error, _>(|c| {
            c.batch_execute(&format!("SELECT set_tenant({tid}::smallint)"))?;
            c.batch_execute(sql)
        })
        .map_err(|e| e.to_string())
    };
    // The app role cannot write a claim's account or a payment line's account at all.
    let e = as_app(&format!("UPDATE benefit_claim SET account_no = '{NEW}' WHERE id = {}", s.claim)).unwrap_err();
    assert!(e.contains("permission denied"), "{e}");
    let e = as_app(&format!("UPDATE payment_line SET account_no = '{NEW}'")).unwrap_err();
    assert!(e.contains("permission denied"), "{e}");
    let e = as_app(&format!("UPDATE payment_line SET amount_fen = 1 WHERE claim_id = {}", s.claim)).unwrap_err();
    assert!(e.contains("permission denied"), "{e}");
    // Applying a proposal nobody approved is refused; so is approving it as its proposer.
    let e = as_app(&format!("SELECT channel_change_apply({id})")).unwrap_err();
    assert!(e.contains("channel_change.not_approved"), "{e}");
    let e = as_app(&format!("UPDATE channel_change SET status = 'approved', decided_by = proposed_by, decided_at = now() WHERE id = {id}"))
        .unwrap_err();
    assert!(e.contains("check constraint"), "{e}");
    let stored =
        count_sql(&app, "411000", &format!("SELECT count(*) AS n FROM benefit_claim WHERE id = {} AND account_no = '{OLD}'", s.claim));
    assert_eq!(stored, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn account_numbers_are_masked_for_roles_that_do_not_need_them_and_never_cached() {
    let app = TestApp::start().await;
    let s = approved_claim(&app).await;
    let r = app.get(&s.clerk, &format!("/api/v1/benefits/claims/{}", s.claim)).await;
    assert_eq!(r.headers().get("cache-control").and_then(|v| v.to_str().ok()), Some("no-store"));
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["account_no"], "************1234", "{v}");
    let listed: Value = app.get(&s.clerk, "/api/v1/benefits/claims?status=approved").await.json().await.unwrap();
    assert!(!listed.to_string().contains(OLD), "{listed}");
    let v: Value = app.get(&s.reviewer, &format!("/api/v1/benefits/claims/{}", s.claim)).await.json().await.unwrap();
    assert_eq!(v["account_no"], OLD);
    // The claim page shows the clerk the masked number only.
    let html = app
        .client
        .get(app.url(&format!("/benefits/{}", s.claim)))
        .header("cookie", format!("jinbao_session={}", s.clerk))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("************1234") && !html.contains(OLD));
}

#[tokio::test(flavor = "multi_thread")]
async fn downloading_a_file_does_not_freeze_the_batch() {
    let app = TestApp::start().await;
    let s = approved_claim(&app).await;
    let batch: Value = app.post(&s.reviewer, "/api/v1/payments/batches", &json!({"period": "2026-11"})).await.json().await.unwrap();
    let bid = batch["id"].as_i64().unwrap();
    let r = app.get(&s.reviewer, &format!("/api/v1/payments/batches/{bid}/bank.csv")).await;
    assert_eq!(r.status(), 409);
    let status =
        |app: &TestApp| count_sql(app, "411000", &format!("SELECT count(*) AS n FROM payment_batch WHERE id = {bid} AND status = 'open'"));
    assert_eq!(status(&app), 1, "a GET changes nothing");
    let r = app.post(&s.reviewer, &format!("/api/v1/payments/batches/{bid}/export"), &json!({})).await;
    assert_eq!(r.status(), 200);
    assert_eq!(status(&app), 0);
    let r = app.get(&s.reviewer, &format!("/api/v1/payments/batches/{bid}/bank.csv")).await;
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains(OLD));
}
