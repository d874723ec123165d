//! Bank supervision: statements of the income and expenditure accounts matched against the books
//! of a period; planted mismatches each listed with their handler; sign-off refused until each is
//! resolved with a note; re-importing a statement changes nothing.

use jinbao_tests::{count_sql, credit_code, id_number, register_employer, register_person, TestApp};
use serde_json::{json, Value};

#[tokio::test(flavor = "multi_thread")]
async fn planted_mismatches_are_listed_with_handlers_and_block_the_sign_off_until_resolved() {
    let app = TestApp::start().await;
    let clerk = app.token("411000", "clerk", &["clerk"]).await;
    let collector = app.token("411000", "cashier", &["reviewer", "clerk"]).await;
    let reviewer = app.token("411000", "reviewer", &["reviewer"]).await;
    let employer = register_employer(&app, &clerk, &credit_code("411000", "MA0000041"), "许昌纺织厂").await;
    let eid = employer["id"].as_i64().unwrap();
    for (amount, reference, day) in [("1770.00", "C001", "2026-11-05"), ("500.00", "C002", "2026-11-06")] {
        let r = app
            .post(
                &collector,
                "/api/v1/collections",
                &json!({"employer_id": eid, "period": "2026-11", "amount": amount,
                                                              "paid_on": day, "channel": "bank", "bank_ref": reference}),
            )
            .await;
        assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    }
    // A maternity allowance paid by bank in November with the bank's reference P1.
    let mother = register_person(&app, &clerk, &id_number("411002", "19930505", 24), "孙妈妈").await;
    let claim: Value = app
        .post(&clerk, "/api/v1/benefits/maternity", &json!({"person_id": mother["id"], "employer_id": eid, "case": "birth",
            "event_date": "2026-11-02", "employer_avg_wage": "6000", "channel": "bank", "bank_name": "中国银行许昌分行", "account_no": "6216600000001234"}))
        .await
        .json()
        .await
        .unwrap();
    let cid = claim["id"].as_i64().unwrap();
    assert_eq!(app.post(&reviewer, &format!("/api/v1/benefits/claims/{cid}/approve"), &json!({})).await.status(), 200);
    let batch: Value = app.post(&reviewer, "/api/v1/payments/batches", &json!({"period": "2026-11"})).await.json().await.unwrap();
    let bid = batch["id"].as_i64().unwrap();
    assert_eq!(app.post(&reviewer, &format!("/api/v1/payments/batches/{bid}/export"), &json!({})).await.status(), 200);
    let file = app.get(&reviewer, &format!("/api/v1/payments/batches/{bid}/bank.csv")).await.text().await.unwrap();
    let line: i64 = file.lines().nth(1).unwrap().split(',').next().unwrap().parse().unwrap();
    let post = |path: String, body: String| app.client.post(app.url(&path)).bearer_auth(&reviewer).body(body).send();
    assert_eq!(
        post(format!("/api/v1/payments/batches/{bid}/results"), format!("line_id,status,reason,reference\n{line},paid,,P1\n"))
            .await
            .unwrap()
            .status(),
        200
    );

    // Statements: C001 matches; C999 is unknown to the books; 300.00 stays in the income account;
    // P1 matches the allowance; P2 is a debit nobody paid out.
    let income = "交易日期,交易流水号,对方户名,借方发生额,贷方发生额,余额,摘要\n\
                  2026-11-05,C001,许昌纺织厂,,1770.00,1770.00,社保费\n\
                  2026-11-07,C999,不明来款,,300.00,2070.00,\n\
                  2026-11-30,T001,财政专户,1770.00,,300.00,划转\n";
    let v: Value = post("/api/v1/bank/statements/income".into(), income.into()).await.unwrap().json().await.unwrap();
    assert_eq!(v["inserted"], 3, "{v}");
    let spend = "交易日期,交易流水号,对方户名,借方发生额,贷方发生额,余额\n2026-11-20,P1,孙妈妈,19600.00,,\n2026-11-21,P2,某人,5000.00,,\n";
    assert_eq!(post("/api/v1/bank/statements/expenditure".into(), spend.into()).await.unwrap().status(), 200);
    let again: Value = post("/api/v1/bank/statements/income".into(), income.into()).await.unwrap().json().await.unwrap();
    assert_eq!((again["inserted"].as_i64(), again["present"].as_i64()), (Some(0), Some(3)), "re-importing changes nothing");
    let changed = "交易日期,交易流水号,借方发生额,贷方发生额\n2026-11-05,C001,,1700.00\n";
    let v: Value = post("/api/v1/bank/statements/income".into(), changed.into()).await.unwrap().json().await.unwrap();
    assert_eq!(v["conflicts"], json!(["C001"]));
    let bad: Value = post("/api/v1/bank/statements/income".into(), "交易日期,交易流水号,借方发生额,贷方发生额\n2026-13-01,X,,1\n".into())
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(bad["applied"], false);
    assert_eq!(count_sql(&app, "411000", "SELECT count(*) AS n FROM bank_statement_line"), 5);

    let r: Value = app.get(&reviewer, "/api/v1/reconciliation/2026-11").await.json().await.unwrap();
    let s = &r["summary"];
    assert_eq!((s["collected_bank_fen"].as_i64(), s["bank_credits_fen"].as_i64()), (Some(227_000), Some(207_000)), "{r}");
    assert_eq!((s["benefits_paid_fen"].as_i64(), s["bank_debits_fen"].as_i64()), (Some(1_960_000), Some(2_460_000)));
    assert_eq!(s["income_month_end_balance_fen"], 30_000);
    let items: Vec<(String, Option<String>)> = r["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["kind"].as_str().unwrap().to_string(), i["reference"].as_str().map(str::to_string)))
        .collect();
    assert_eq!(
        items,
        [
            ("collection_unmatched".to_string(), Some("C002".to_string())),
            ("bank_credit_unmatched".to_string(), Some("C999".to_string())),
            ("bank_debit_unmatched".to_string(), Some("P2".to_string())),
            ("income_not_emptied".to_string(), Some("T001".to_string())),
        ],
        "{r}"
    );
    let c002 = r["items"].as_array().unwrap().iter().find(|i| i["reference"] == "C002").unwrap();
    assert_eq!(c002["handler"], "cashier", "the person who recorded the collection");
    let day5 = r["days"].as_array().unwrap().iter().find(|d| d["day"] == "2026-11-05").unwrap();
    assert_eq!((day5["book_in_fen"].as_i64(), day5["bank_in_fen"].as_i64()), (Some(177_000), Some(177_000)));

    // Sign-off waits for every mismatch to be resolved with a note.
    assert_eq!(app.post(&reviewer, "/api/v1/reconciliation/2026-11/sign-off", &json!({})).await.status(), 409);
    assert_eq!(app.post(&clerk, "/api/v1/reconciliation/2026-11/sign-off", &json!({})).await.status(), 403);
    for i in r["items"].as_array().unwrap() {
        let path = format!("/api/v1/reconciliation/2026-11/items/{}/{}/resolve", i["kind"].as_str().unwrap(), i["item_id"]);
        assert_eq!(app.post(&reviewer, &path, &json!({"note": ""})).await.status(), 422);
        assert_eq!(app.post(&reviewer, &path, &json!({"note": "x"})).await.status(), 422, "a note of one character is refused, not a 500");
        assert_eq!(app.post(&reviewer, &path, &json!({"note": "已与银行核实"})).await.status(), 204);
        assert_eq!(app.post(&reviewer, &path, &json!({"note": "再次"})).await.status(), 409);
    }
    let signed: Value = app.post(&reviewer, "/api/v1/reconciliation/2026-11/sign-off", &json!({})).await.json().await.unwrap();
    assert_eq!(signed["signed_off"]["signed_by"], "reviewer", "{signed}");
    assert_eq!(signed["open_items"], 0);
    assert_eq!(app.post(&reviewer, "/api/v1/reconciliation/2026-11/sign-off", &json!({})).await.status(), 409);
    let late = "交易日期,交易流水号,借方发生额,贷方发生额\n2026-11-29,LATE1,,10.00\n";
    assert_eq!(post("/api/v1/bank/statements/income".into(), late.into()).await.unwrap().status(), 409, "a signed-off period is closed");
    assert_eq!(count_sql(&app, "411000", "SELECT count(*) AS n FROM audit_log WHERE action = 'reconciliation.resolve'"), 4);
}
