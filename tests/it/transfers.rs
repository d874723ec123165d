//! A pension transfer from Xuchang (A, 411000) to Zhoukou (B, 411600): each city on its own side,
//! information and funds in either order, two people at A, amounts against REFERENCE §9 (120
//! months at 5,000 → 72,000.00 pooled), completion writing the months into B's record and ending
//! A's enrolment; every refusal; overdue steps; nothing of the other city's person visible.

use diesel::connection::SimpleConnection;
use jinbao_store::repo::{benefits, stats};
use jinbao_store::Actor;
use jinbao_tests::{count_sql, credit_code, id_number, TestApp};
use serde_json::{json, Value};

async fn import(app: &TestApp, token: &str, kind: &str, body: String) {
    let r = app.client.post(app.url(&format!("/api/v1/imports/{kind}"))).bearer_auth(token).body(body).send().await.unwrap();
    assert_eq!(r.status(), 200, "{kind}: {}", r.text().await.unwrap());
}

fn owner_sql(app: &TestApp, tenant: &str, sql: &str) {
    let tid = app.tenant_id(tenant).0;
    app.owner_conn().batch_execute(&format!("BEGIN; SELECT set_config('jinbao.tenant_id', '{tid}', true); {sql}; COMMIT;")).unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_transfer_moves_the_years_and_funds_between_two_cities_through_its_own_steps() {
    let app = TestApp::start().await;
    let worker = id_number("411002", "19800101", 31);
    let stranger = id_number("411602", "19810101", 33);
    let retired = id_number("411002", "19550101", 35);
    let employer = credit_code("411000", "MA0000051");
    let a_admin = app.token("411000", "admin", &["city_admin"]).await;
    import(&app, &a_admin, "persons", format!("身份证号码,姓名\n{worker},周迁移\n{retired},吴退休\n")).await;
    import(&app, &a_admin, "employers", format!("统一社会信用代码,单位名称,工伤风险类别,登记日期\n{employer},许昌化工厂,3,2000-01-01\n"))
        .await;
    let mut history = String::from("身份证号码,统一社会信用代码,险种,费款所属期,缴费基数,单位缴费,个人缴费\n");
    for y in 2010..=2019 {
        for m in 1..=12 {
            history.push_str(&format!("{worker},{employer},养老,{y}-{m:02},5000,800,400\n"));
        }
    }
    import(&app, &a_admin, "contributions", history).await;
    import(&app, &a_admin, "enrolments", format!("身份证号码,统一社会信用代码,险种,参保年月\n{worker},{employer},养老,2010-01\n")).await;

    let (a_clerk, a_reviewer) = (app.token("411000", "clerk", &["clerk"]).await, app.token("411000", "reviewer", &["reviewer"]).await);
    let a_both = app.token("411000", "both", &["clerk", "reviewer"]).await;
    let b_clerk = app.token("411600", "clerk", &["clerk"]).await;
    let pb = app.post(&b_clerk, "/api/v1/persons", &json!({"id_number": worker, "name": "周迁移"})).await.json::<Value>().await.unwrap()
        ["id"]
        .clone();
    let other =
        app.post(&b_clerk, "/api/v1/persons", &json!({"id_number": stranger, "name": "郑外地"})).await.json::<Value>().await.unwrap()["id"]
            .clone();

    // Refusals when opening.
    let code = |v: &Value| v["error"]["fields"][0]["code"].as_str().unwrap_or("").to_string();
    let r = app.post(&b_clerk, "/api/v1/transfers", &json!({"from_city": "411600", "person_id": pb})).await;
    assert_eq!(r.status(), 422);
    assert_eq!(code(&r.json().await.unwrap()), "transfer.same_city");
    let r = app.post(&b_clerk, "/api/v1/transfers", &json!({"from_city": "411000", "person_id": other})).await;
    assert_eq!(code(&r.json().await.unwrap()), "transfer.unknown_in_sender");

    let r = app.post(&b_clerk, "/api/v1/transfers", &json!({"from_city": "411000", "person_id": pb})).await;
    assert_eq!(r.status(), 201);
    let t: Value = r.json().await.unwrap();
    let uid = t["uid"].as_str().unwrap().to_string();
    assert_eq!(
        (t["side"].as_str(), t["waiting_for"].as_str(), t["other_city"]["code"].as_str()),
        (Some("in"), Some("other_city"), Some("411000"))
    );
    let r = app.post(&b_clerk, "/api/v1/transfers", &json!({"from_city": "411000", "person_id": pb})).await;
    assert_eq!(r.status(), 409, "a second transfer of the same person while one is open");

    // A sees the request in its queue, on its own person only.
    let queue: Value = app.get(&a_clerk, "/api/v1/transfers?side=out&open=true").await.json().await.unwrap();
    let mine = &queue["items"][0];
    assert_eq!((mine["uid"].as_str(), mine["waiting_for"].as_str()), (Some(uid.as_str()), Some("info")));
    let a_person = count_sql(&app, "411000", &format!("SELECT id AS n FROM person WHERE id_number = '{worker}'"));
    assert_eq!(mine["person_id"], a_person, "A's side names A's own person");
    assert!(mine["id_number"].as_str().unwrap().contains('*'), "identity numbers masked for a clerk");
    assert_eq!(app.get(&a_clerk, &format!("/api/v1/persons/{pb}")).await.status(), 404, "nothing of B's person");

    // A produces the information: 120 months, pooled fund 12% of 6,000,000.00 = 72,000.00.
    let v: Value = app.post(&a_clerk, &format!("/api/v1/transfers/{uid}/info"), &json!({})).await.json().await.unwrap();
    assert_eq!((v["info"]["months"].as_i64(), v["info"]["pooled_fund_fen"].as_i64()), (Some(120), Some(7_200_000)), "{v}");
    let total = v["info_total_fen"].as_i64().unwrap();
    assert_eq!(total, v["info"]["personal_account_fen"].as_i64().unwrap() + 7_200_000);
    // Funds before the approved information: B learns of the funds, not yet of the information.
    let yuan = format!("{}.{:02}", total / 100, total % 100);
    assert_eq!(app.post(&a_clerk, &format!("/api/v1/transfers/{uid}/funds-sent"), &json!({"amount": yuan})).await.status(), 200);
    let r = app.post(&b_clerk, &format!("/api/v1/transfers/{uid}/cancel"), &json!({"reason": "不转了"})).await;
    assert_eq!((r.status().as_u16(), code(&r.json().await.unwrap())), (409, "transfer.funds_received".to_string()), "funds on the way");
    let b_view: Value = app.get(&b_clerk, &format!("/api/v1/transfers/{uid}")).await.json().await.unwrap();
    assert!(b_view["funds_sent_at"].is_string() && b_view["info"].is_null(), "{b_view}");
    assert_eq!(app.post(&b_clerk, &format!("/api/v1/transfers/{uid}/funds-received"), &json!({"amount": "1.00"})).await.status(), 200);
    let r = app.post(&b_clerk, &format!("/api/v1/transfers/{uid}/complete"), &json!({})).await;
    assert_eq!((r.status().as_u16(), code(&r.json().await.unwrap())), (409, "transfer.no_info".to_string()));

    // Two people at A: the one who produced the information cannot approve it.
    assert_eq!(app.post(&a_clerk, &format!("/api/v1/transfers/{uid}/approve"), &json!({})).await.status(), 403);
    app.post(&a_both, &format!("/api/v1/transfers/{uid}/info"), &json!({})).await;
    let r = app.post(&a_both, &format!("/api/v1/transfers/{uid}/approve"), &json!({})).await;
    assert_eq!((r.status().as_u16(), code(&r.json().await.unwrap())), (422, "benefit.same_person".to_string()));
    assert_eq!(app.post(&a_reviewer, &format!("/api/v1/transfers/{uid}/approve"), &json!({})).await.status(), 200);
    assert_eq!(app.post(&a_reviewer, &format!("/api/v1/transfers/{uid}/approve"), &json!({})).await.status(), 409);

    // B: the amount received does not match the information until corrected.
    let r = app.post(&b_clerk, &format!("/api/v1/transfers/{uid}/complete"), &json!({})).await;
    assert_eq!((r.status().as_u16(), code(&r.json().await.unwrap())), (409, "transfer.mismatch".to_string()));
    assert_eq!(app.post(&b_clerk, &format!("/api/v1/transfers/{uid}/funds-received"), &json!({"amount": yuan})).await.status(), 200);
    let done: Value = app.post(&b_clerk, &format!("/api/v1/transfers/{uid}/complete"), &json!({})).await.json().await.unwrap();
    assert_eq!(done["state"], "completed", "{done}");

    // B's record now holds the 120 months; A's enrolment ended as transferred; both sides closed.
    let b_tid = app.tenant_id("411600");
    let months = app.db.tenant(b_tid, Actor::system("test"), |tx| benefits::months(tx, pb.as_i64().unwrap(), "pension")).unwrap();
    assert_eq!(months.len(), 120);
    assert_eq!(
        count_sql(&app, "411000", "SELECT count(*) AS n FROM enrolment WHERE status = 'stopped' AND stop_reason = 'transferred'"),
        1
    );
    let a_side: Value = app.get(&a_clerk, &format!("/api/v1/transfers/{uid}")).await.json().await.unwrap();
    assert_eq!(a_side["state"], "completed");
    for city in ["411000", "411600"] {
        let tid = app.tenant_id(city);
        let diff =
            app.db.tenant(tid, Actor::system("test"), |tx| Ok(stats::differences(stats::current(tx)?, stats::recount(tx)?))).unwrap();
        assert!(diff.is_empty(), "{city}: {diff:?}");
    }
    // The months now belong to B: A cannot send them again (here to Hebi), nor count them itself.
    let c_clerk = app.token("410600", "clerk", &["clerk"]).await;
    let pc = app.post(&c_clerk, "/api/v1/persons", &json!({"id_number": worker, "name": "周迁移"})).await.json::<Value>().await.unwrap()
        ["id"]
        .clone();
    let again: Value =
        app.post(&c_clerk, "/api/v1/transfers", &json!({"from_city": "411000", "person_id": pc})).await.json().await.unwrap();
    let r = app.post(&a_clerk, &format!("/api/v1/transfers/{}/info", again["uid"].as_str().unwrap()), &json!({})).await;
    assert_eq!((r.status().as_u16(), code(&r.json().await.unwrap())), (422, "transfer.no_contributions".to_string()));
    let a_months = app.db.tenant(app.tenant_id("411000"), Actor::system("test"), |tx| benefits::months(tx, a_person, "pension")).unwrap();
    assert!(a_months.is_empty(), "A no longer counts the months it transferred");
    assert_eq!(
        app.post(&c_clerk, &format!("/api/v1/transfers/{}/cancel", again["uid"].as_str().unwrap()), &json!({"reason": "信息为空"}))
            .await
            .status(),
        200
    );
    // Each city's audit trail has its steps.
    assert!(
        count_sql(&app, "411000", &format!("SELECT count(*) AS n FROM audit_log WHERE entity = 'transfer' AND entity_id = '{uid}'")) >= 5
    );
    assert!(
        count_sql(&app, "411600", &format!("SELECT count(*) AS n FROM audit_log WHERE entity = 'transfer' AND entity_id = '{uid}'")) >= 5
    );
    // B's timeline shows the months with the city they came from.
    let t: Value = app.get(&b_clerk, &format!("/api/v1/persons/{pb}/timeline")).await.json().await.unwrap();
    let items = t["items"].as_array().unwrap();
    assert!(items.iter().any(|e| e["kind"] == "transfer_in"), "{t}");
    assert!(items.iter().any(|e| e["kind"] == "transferred_years" && e["detail"]["from_city"] == "411000"), "{t}");

    // No transfer once a pension is being paid; overdue steps show to both cities and the province.
    let rp = count_sql(&app, "411000", &format!("SELECT id AS n FROM person WHERE id_number = '{retired}'"));
    let (u1, u2) = (
        count_sql(&app, "411000", "SELECT id AS n FROM app_user WHERE username = 'clerk'"),
        count_sql(&app, "411000", "SELECT id AS n FROM app_user WHERE username = 'reviewer'"),
    );
    owner_sql(&app, "411000", &format!(
        "INSERT INTO benefit_claim (tenant_id, person_id, kind, status, inputs, calculation, amount_fen, monthly, start_period, channel,
                                    post_address, office_id, proposed_by, decided_by, decided_at)
         VALUES (app_tenant(), {rp}, 'pension', 'approved', '{{}}', '{{}}', 300000, true, '2015-02-01', 'post', 'x', 1, {u1}, {u2}, now())"));
    let rb = app.post(&b_clerk, "/api/v1/persons", &json!({"id_number": retired, "name": "吴退休"})).await.json::<Value>().await.unwrap()
        ["id"]
        .clone();
    let r = app.post(&b_clerk, "/api/v1/transfers", &json!({"from_city": "411000", "person_id": rb})).await;
    assert_eq!((r.status().as_u16(), code(&r.json().await.unwrap())), (409, "transfer.pension_paid".to_string()));

    let third = id_number("411002", "19820101", 37);
    import(&app, &a_admin, "persons", format!("身份证号码,姓名\n{third},钱等待\n")).await;
    let p3 = app.post(&b_clerk, "/api/v1/persons", &json!({"id_number": third, "name": "钱等待"})).await.json::<Value>().await.unwrap()
        ["id"]
        .clone();
    let t3: Value = app.post(&b_clerk, "/api/v1/transfers", &json!({"from_city": "411000", "person_id": p3})).await.json().await.unwrap();
    let uid3 = t3["uid"].as_str().unwrap();
    for city in ["411000", "411600"] {
        owner_sql(&app, city, &format!("UPDATE transfer SET due_since = now() - interval '40 days' WHERE uid = '{uid3}'"));
    }
    for token in [&a_clerk, &b_clerk] {
        let v: Value = app.get(token, &format!("/api/v1/transfers/{uid3}")).await.json().await.unwrap();
        assert_eq!(v["overdue"], true, "{v}");
        assert!(v["working_days_waiting"].as_i64().unwrap() > 15);
    }
    let sup = app.token("410000", "sup", &["province_supervisor"]).await;
    let pv: Value = app.get(&sup, "/api/v1/province/transfers").await.json().await.unwrap();
    let city = |code: &str| pv["items"].as_array().unwrap().iter().find(|c| c["code"] == code).unwrap().clone();
    assert_eq!(
        (city("411000")["open_out"].as_i64(), city("411000")["overdue"].as_i64(), city("411000")["completed_out"].as_i64()),
        (Some(1), Some(1), Some(1)),
        "{pv}"
    );
    assert_eq!(
        (city("411600")["open_in"].as_i64(), city("411600")["overdue"].as_i64(), city("411600")["completed_in"].as_i64()),
        (Some(1), Some(1), Some(1))
    );

    // Either city can withdraw an open transfer with a reason; the person is free again.
    assert_eq!(app.post(&a_clerk, &format!("/api/v1/transfers/{uid3}/cancel"), &json!({"reason": ""})).await.status(), 422);
    let c: Value =
        app.post(&a_clerk, &format!("/api/v1/transfers/{uid3}/cancel"), &json!({"reason": "申请人放弃转移"})).await.json().await.unwrap();
    assert_eq!(c["state"], "refused", "{c}");
    let b3: Value = app.get(&b_clerk, &format!("/api/v1/transfers/{uid3}")).await.json().await.unwrap();
    assert_eq!(b3["state"], "refused");
    assert_eq!(app.post(&b_clerk, &format!("/api/v1/transfers/{uid3}/cancel"), &json!({"reason": "再次"})).await.status(), 409);
    assert_eq!(app.post(&b_clerk, "/api/v1/transfers", &json!({"from_city": "411000", "person_id": p3})).await.status(), 201);
}
