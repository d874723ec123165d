//! A pension transfer from Xuchang (A, 411000) to Zhoukou (B, 411600): each city on its own side,
//! opened by the contact letter that A accepts or refuses, information and funds in either order, two people at A, amounts against docs/rules.md §9 (120
//! months at 5,000 → 72,000.00 pooled), completion writing the months into B's record and ending
//! A's enrolment; every refusal; overdue steps; nothing of the other city's person visible.

use diesel::connection::SimpleConnection;
use jinbao_store::repo::{benefits, stats};
use jinbao_store::Actor;
use jinbao_tests::{count_sql, credit_code, id_number, register_person, TestApp};
use serde_json::{json, Value};

async fn import(app: &TestApp, token: &str, kind: &str, body: String) {
    let r = app.client.post(app.url(&format!("/api/v1/imports/{kind}"))).bearer_auth(token).body(body).send().await.unwrap();
    assert_eq!(r.status(), 200, "{kind}: {}", r.text().await.unwrap());
}

/// A city's transfer counts before suppression, read through the analytics role as the operator:
/// open in, open out, overdue, completed in, completed out.
fn unsuppressed(app: &TestApp, code: &str) -> (i64, i64, i64, i64, i64) {
    let analytics = jinbao_store::Db::connect(
        &jinbao_store::bootstrap::with_user(&app.app_url, "jinbao_analytics"),
        &jinbao_store::PoolSettings { max_size: 1, ..Default::default() },
    )
    .unwrap();
    let door = jinbao_store::Analytics::new(analytics).for_operator();
    let tid = app.tenant_id(code).0;
    let open = door.read(jinbao_store::repo::transfers::overview).unwrap().into_iter().find(|o| o.tenant_id == tid);
    let figures = door.read(stats::province).unwrap();
    let done = |m: &str| figures.iter().filter(|f| f.tenant_id == tid && f.metric == m).map(|f| f.value).sum::<i64>();
    let (i, o, d) = open.map_or((0, 0, 0), |o| (o.open_in, o.open_out, o.overdue));
    (i, o, d, done("transfers_in"), done("transfers_out"))
}

fn owner_sql(app: &TestApp, tenant: &str, sql: &str) {
    let tid = app.tenant_id(tenant).0;
    app.owner_conn().batch_execute(&format!("BEGIN; SELECT set_tenant({tid}::smallint); {sql}; COMMIT;")).unwrap();
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
    // Before 2016 the province published its own crediting rates: configured for the years the
    // history reaches (test figures), never borrowed from 2016.
    owner_sql(
        &app,
        "411000",
        "INSERT INTO benefit_year (tenant_id, rule_id, year, interest_bp)
         SELECT b.tenant_id, b.id, y, 300 FROM benefit_rule b, generate_series(2010, 2015) y WHERE b.superseded_at IS NULL
         ON CONFLICT (tenant_id, rule_id, year) DO UPDATE SET interest_bp = excluded.interest_bp",
    );
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
    // A person A does not know: the letter is sent all the same, and A refuses it.
    let r = app.post(&b_clerk, "/api/v1/transfers", &json!({"from_city": "411000", "person_id": other})).await;
    assert_eq!(r.status(), 201);
    let stranger_uid = r.json::<Value>().await.unwrap()["uid"].as_str().unwrap().to_string();
    let r = app.post(&a_clerk, &format!("/api/v1/transfers/{stranger_uid}/accept"), &json!({})).await;
    assert_eq!(code(&r.json().await.unwrap()), "transfer.not_insured_here");
    let r = app.post(&a_clerk, &format!("/api/v1/transfers/{stranger_uid}/refuse"), &json!({"code": "not_insured_here"})).await;
    assert_eq!(r.status(), 200);

    let r = app.post(&b_clerk, "/api/v1/transfers", &json!({"from_city": "411000", "person_id": pb})).await;
    assert_eq!(r.status(), 201);
    let t: Value = r.json().await.unwrap();
    let uid = t["uid"].as_str().unwrap().to_string();
    assert_eq!(
        (t["side"].as_str(), t["state"].as_str(), t["waiting_for"].as_str(), t["other_city"]["code"].as_str()),
        (Some("in"), Some("letter"), Some("other_city"), Some("411000"))
    );
    let r = app.post(&b_clerk, "/api/v1/transfers", &json!({"from_city": "411000", "person_id": pb})).await;
    assert_eq!(r.status(), 409, "a second transfer of the same person while one is open");

    // A sees the letter in its queue and accepts it: A's side then names A's own person only.
    let queue: Value = app.get(&a_clerk, "/api/v1/transfers?side=out&open=true").await.json().await.unwrap();
    let letter = &queue["items"][0];
    assert_eq!((letter["uid"].as_str(), letter["waiting_for"].as_str()), (Some(uid.as_str()), Some("letter")), "{queue}");
    let r = app.post(&a_clerk, &format!("/api/v1/transfers/{uid}/info"), &json!({})).await;
    assert_eq!((r.status().as_u16(), code(&r.json().await.unwrap())), (409, "transfer.letter_pending".to_string()));
    let mine: Value = app.post(&a_clerk, &format!("/api/v1/transfers/{uid}/accept"), &json!({})).await.json().await.unwrap();
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
    // B's insurance certificate counts the transferred months as benefits do.
    let b_uid = app.db.tenant(b_tid, Actor::system("test"), |tx| jinbao_store::repo::users::id_by_username(tx, "clerk")).unwrap().unwrap();
    let actor = Actor::User { user_id: b_uid, office_id: 1, username: "clerk".into(), jti: None, epoch: 0, request_id: None };
    let cert =
        app.db.tenant(b_tid, actor, |tx| jinbao_store::repo::certificates::issue(tx, pb.as_i64().unwrap(), "411600", [3; 12])).unwrap();
    assert_eq!(cert.lines.iter().find(|l| l.insurance_type == "pension").map(|l| l.months), Some(120));
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
    let r = app.post(&a_clerk, &format!("/api/v1/transfers/{}/accept", again["uid"].as_str().unwrap()), &json!({})).await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
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
    assert_eq!(r.status(), 201, "B cannot tell a pension is paid at A");
    let retired_uid = r.json::<Value>().await.unwrap()["uid"].as_str().unwrap().to_string();
    let r = app.post(&a_clerk, &format!("/api/v1/transfers/{retired_uid}/accept"), &json!({})).await;
    assert_eq!((r.status().as_u16(), code(&r.json().await.unwrap())), (409, "transfer.pension_paid".to_string()));
    let r = app.post(&a_clerk, &format!("/api/v1/transfers/{retired_uid}/refuse"), &json!({"code": "pension_paid"})).await;
    assert_eq!(r.status(), 200);
    let v: Value = app.get(&b_clerk, &format!("/api/v1/transfers/{retired_uid}")).await.json().await.unwrap();
    assert_eq!((v["state"].as_str(), v["refused_code"].as_str()), (Some("refused"), Some("pension_paid")), "B learns it from A's answer");

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
    // Counted (as the operator reads them), and shown to the supervisor as suppressed: one each.
    assert_eq!(unsuppressed(&app, "411000"), (0, 1, 1, 0, 1));
    assert_eq!(unsuppressed(&app, "411600"), (1, 0, 1, 1, 0));
    for (code, fields) in [("411000", ["open_out", "overdue", "completed_out"]), ("411600", ["open_in", "overdue", "completed_in"])] {
        let c = city(code);
        assert!(fields.iter().all(|f| c[*f].is_null()) && c["suppressed"] == true, "{pv}");
    }

    // Either city can withdraw an open transfer with a reason; the person is free again.
    assert_eq!(app.post(&a_clerk, &format!("/api/v1/transfers/{uid3}/accept"), &json!({})).await.status(), 200);
    assert_eq!(app.post(&a_clerk, &format!("/api/v1/transfers/{uid3}/cancel"), &json!({"reason": ""})).await.status(), 422);
    let c: Value =
        app.post(&a_clerk, &format!("/api/v1/transfers/{uid3}/cancel"), &json!({"reason": "申请人放弃转移"})).await.json().await.unwrap();
    assert_eq!(c["state"], "refused", "{c}");
    let b3: Value = app.get(&b_clerk, &format!("/api/v1/transfers/{uid3}")).await.json().await.unwrap();
    assert_eq!(b3["state"], "refused");
    assert_eq!(app.post(&b_clerk, &format!("/api/v1/transfers/{uid3}/cancel"), &json!({"reason": "再次"})).await.status(), 409);
    assert_eq!(app.post(&b_clerk, "/api/v1/transfers", &json!({"from_city": "411000", "person_id": p3})).await.status(), 201);
}

/// The parts of a transfer that name the person or the moment; everything else must not depend on
/// what the sending city holds.
fn shape(v: &Value) -> Value {
    let mut v = v.clone();
    for k in ["id", "uid", "person_id", "id_number", "person_name", "requested_at", "due_since"] {
        if v.get(k).is_some() {
            v[k] = json!("…");
        }
    }
    v
}

fn pension_paid(app: &TestApp, tenant: &str, person: i64) {
    owner_sql(
        app,
        tenant,
        &format!(
        "INSERT INTO benefit_claim (tenant_id, person_id, kind, status, inputs, calculation, amount_fen, monthly, start_period, channel,
                                    post_address, office_id, proposed_by, decided_by, decided_at)
         VALUES (app_tenant(), {person}, 'pension', 'approved', '{{}}', '{{}}', 300000, true, '2015-02-01', 'post', 'x',
                 (SELECT min(id) FROM office), (SELECT min(id) FROM app_user), (SELECT max(id) FROM app_user), now())"),
    );
}

fn audit_count(app: &TestApp, tenant: &str, action: &str, uid: Option<&str>) -> i64 {
    let filter = uid.map(|u| format!(" AND entity_id = '{u}'")).unwrap_or_default();
    count_sql(app, tenant, &format!("SELECT count(*) AS n FROM audit_log WHERE entity = 'transfer' AND action = '{action}'{filter}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn opening_is_a_contact_letter_answered_alike_whatever_the_sending_city_holds() {
    let app = TestApp::start().await;
    let unknown = id_number("411602", "19810202", 41);
    let paid = id_number("411002", "19560303", 43);
    let busy = id_number("411002", "19820404", 45);
    let normal = id_number("411002", "19830505", 47);
    let a_admin = app.token("411000", "admin", &["city_admin"]).await;
    import(&app, &a_admin, "persons", format!("身份证号码,姓名\n{paid},甲领取\n{busy},乙在途\n{normal},丙正常\n")).await;
    let (a_clerk, _a_reviewer) = (app.token("411000", "clerk", &["clerk"]).await, app.token("411000", "reviewer", &["reviewer"]).await);
    let b_clerk = app.token("411600", "clerk", &["clerk"]).await;
    let c_clerk = app.token("410600", "clerk", &["clerk"]).await;
    let a_id = |n: &str| count_sql(&app, "411000", &format!("SELECT id AS n FROM person WHERE id_number = '{n}'"));
    // (b) a pension is being paid at A.
    pension_paid(&app, "411000", a_id(&paid));
    // (c) a transfer of the person is open between Hebi and A.
    let pc = register_person(&app, &c_clerk, &busy, "乙在途").await["id"].as_i64().unwrap();
    let (a_tid, c_tid) = (app.tenant_id("411000").0, app.tenant_id("410600").0);
    let other_uid = "6f1d2c3b-4a59-4e6f-8a7b-9c0d1e2f3a4b";
    owner_sql(
        &app,
        "410600",
        &format!(
            "INSERT INTO transfer (tenant_id, uid, side, other_tenant_id, person_id, id_number, person_name, state)
         VALUES (app_tenant(), '{other_uid}', 'in', {a_tid}, {pc}, '{busy}', '乙在途', 'requested')"
        ),
    );
    owner_sql(
        &app,
        "411000",
        &format!(
            "INSERT INTO transfer (tenant_id, uid, side, other_tenant_id, person_id, id_number, person_name, state)
         VALUES (app_tenant(), '{other_uid}', 'out', {c_tid}, {}, '{busy}', '乙在途', 'requested')",
            a_id(&busy)
        ),
    );

    // B registers the four and opens a transfer-in of each from A: (a) unknown at A, (b) pension
    // paid at A, (c) open elsewhere, (d) nothing in the way. The answers cannot be told apart.
    let mut people = Vec::new();
    for (n, name) in [(&unknown, "甲未知"), (&paid, "甲领取"), (&busy, "乙在途"), (&normal, "丙正常")] {
        people.push(register_person(&app, &b_clerk, n, name).await["id"].clone());
    }
    let mut answers = Vec::new();
    for p in &people {
        let r = app.post(&b_clerk, "/api/v1/transfers", &json!({"from_city": "411000", "person_id": p})).await;
        answers.push((r.status().as_u16(), r.json::<Value>().await.unwrap()));
    }
    let first = (answers[0].0, shape(&answers[0].1));
    for (i, (status, body)) in answers.iter().enumerate() {
        assert_eq!((*status, shape(body)), first, "answer {i} differs: {body}");
    }
    assert_eq!(first.0, 201, "{:?}", answers[0]);
    assert_eq!((first.1["state"].as_str(), first.1["waiting_for"].as_str()), (Some("letter"), Some("other_city")));
    let uids: Vec<String> = answers.iter().map(|(_, b)| b["uid"].as_str().unwrap().to_string()).collect();
    let b_rows = |token: String, uids: Vec<String>| {
        let app = &app;
        async move {
            let mut out = Vec::new();
            for u in &uids {
                out.push(shape(&app.get(&token, &format!("/api/v1/transfers/{u}")).await.json::<Value>().await.unwrap()));
            }
            out
        }
    };
    let rows = b_rows(b_clerk.clone(), uids.clone()).await;
    assert!(rows.iter().all(|r| *r == rows[0]), "{rows:?}");

    // Every attempt is audited at B, the refused ones too.
    let code = |v: &Value| v["error"]["fields"][0]["code"].as_str().unwrap_or("").to_string();
    for (body, expect) in [
        (json!({"from_city": "411600", "person_id": people[3]}), "transfer.same_city"),
        (json!({"from_city": "411000", "person_id": 987_654_321}), "transfer.unknown_person"),
        (json!({"from_city": "419999", "person_id": people[3]}), "transfer.unknown_city"),
        (json!({"from_city": "411000"}), "required"),
        (json!({"from_city": "411000", "person_id": people[3]}), "transfer.already_open"),
    ] {
        let r = app.post(&b_clerk, "/api/v1/transfers", &body).await;
        assert_eq!(code(&r.json().await.unwrap()), expect, "{body}");
    }
    assert_eq!(audit_count(&app, "411600", "transfer.open", None), 4);
    assert_eq!(audit_count(&app, "411600", "transfer.open_refused", None), 5);
    assert_eq!(
        count_sql(&app, "411600", "SELECT count(*) AS n FROM audit_log WHERE action = 'transfer.open_refused' AND after->>'code' = 'transfer.same_city' AND user_id IS NOT NULL"),
        1
    );
    assert_eq!(audit_count(&app, "411000", "transfer.letter_received", None), 4);

    // A's queue holds the four letters, with the identity number and name the letter gives.
    let queue: Value = app.get(&a_clerk, "/api/v1/transfers?side=out&open=true").await.json().await.unwrap();
    let letters: Vec<&Value> = queue["items"].as_array().unwrap().iter().filter(|t| t["state"] == "letter").collect();
    assert_eq!(letters.len(), 4, "{queue}");
    assert!(letters.iter().all(|t| t["person_id"].is_null() && t["waiting_for"] == "letter"), "{queue}");

    // A's staff answer. Accepting checks A's own records; a refusal carries the reason to B.
    let (ua, ub, uc, ud) = (&uids[0], &uids[1], &uids[2], &uids[3]);
    let r = app.post(&b_clerk, &format!("/api/v1/transfers/{ud}/accept"), &json!({})).await;
    assert_eq!((r.status().as_u16(), code(&r.json().await.unwrap())), (422, "transfer.wrong_side".to_string()), "B cannot accept");
    for (u, status, expect) in
        [(ua, 422, "transfer.not_insured_here"), (ub, 409, "transfer.pension_paid"), (uc, 409, "transfer.already_open")]
    {
        let r = app.post(&a_clerk, &format!("/api/v1/transfers/{u}/accept"), &json!({})).await;
        assert_eq!((r.status().as_u16(), code(&r.json().await.unwrap())), (status, expect.to_string()));
    }
    assert_eq!(b_rows(b_clerk.clone(), uids.clone()).await, rows, "nothing changes at B until A answers");
    let r = app.post(&a_clerk, &format!("/api/v1/transfers/{ua}/refuse"), &json!({"code": "other"})).await;
    assert_eq!((r.status().as_u16(), code(&r.json().await.unwrap())), (422, "transfer.refuse_note".to_string()));
    let r = app.post(&a_clerk, &format!("/api/v1/transfers/{ua}/refuse"), &json!({"code": "nonsense"})).await;
    assert_eq!((r.status().as_u16(), code(&r.json().await.unwrap())), (422, "transfer.refuse_code".to_string()));
    for (u, reason) in [(ua, "not_insured_here"), (ub, "pension_paid"), (uc, "transfer_open")] {
        let r = app.post(&a_clerk, &format!("/api/v1/transfers/{u}/refuse"), &json!({"code": reason, "note": "经核查"})).await;
        assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    }
    let b_a: Value = app.get(&b_clerk, &format!("/api/v1/transfers/{ua}")).await.json().await.unwrap();
    assert_eq!(
        (b_a["state"].as_str(), b_a["refused_code"].as_str(), b_a["refused_reason"].as_str(), b_a["waiting_for"].as_str()),
        (Some("refused"), Some("not_insured_here"), Some("经核查"), Some("done")),
        "{b_a}"
    );
    for city in ["411000", "411600"] {
        assert_eq!(audit_count(&app, city, "transfer.refused", Some(ua)), 1, "{city}");
    }
    let r = app.post(&a_clerk, &format!("/api/v1/transfers/{ua}/accept"), &json!({})).await;
    assert_eq!((r.status().as_u16(), code(&r.json().await.unwrap())), (409, "transfer.answered".to_string()));

    // Accepted: both sides are open, A's side names A's own person; B still sees only its own.
    let v: Value = app.post(&a_clerk, &format!("/api/v1/transfers/{ud}/accept"), &json!({})).await.json().await.unwrap();
    assert_eq!(
        (v["state"].as_str(), v["person_id"].as_i64(), v["waiting_for"].as_str()),
        (Some("requested"), Some(a_id(&normal)), Some("info"))
    );
    let b_d: Value = app.get(&b_clerk, &format!("/api/v1/transfers/{ud}")).await.json().await.unwrap();
    assert_eq!((b_d["state"].as_str(), b_d["person_id"].clone()), (Some("requested"), people[3].clone()));
    for city in ["411000", "411600"] {
        assert_eq!(audit_count(&app, city, "transfer.accepted", Some(ud)), 1, "{city}");
    }
    // B may withdraw a letter not yet answered; A answers letters, it does not withdraw them.
    let pe = register_person(&app, &b_clerk, &id_number("411602", "19840606", 49), "丁撤回").await["id"].clone();
    let e: Value = app.post(&b_clerk, "/api/v1/transfers", &json!({"from_city": "411000", "person_id": pe})).await.json().await.unwrap();
    let ue = e["uid"].as_str().unwrap();
    let r = app.post(&a_clerk, &format!("/api/v1/transfers/{ue}/cancel"), &json!({"reason": "不办"})).await;
    assert_eq!((r.status().as_u16(), code(&r.json().await.unwrap())), (422, "transfer.wrong_side".to_string()));
    let w: Value =
        app.post(&b_clerk, &format!("/api/v1/transfers/{ue}/cancel"), &json!({"reason": "申请人撤回"})).await.json().await.unwrap();
    assert_eq!((w["state"].as_str(), w["refused_code"].as_str()), (Some("refused"), Some("withdrawn")), "{w}");

    // A letter not answered for more than 15 working days is overdue on both sides and counts for
    // the province.
    for city in ["411000", "411600"] {
        owner_sql(&app, city, &format!("UPDATE transfer SET due_since = now() - interval '40 days' WHERE uid = '{ub}'"));
    }
    let pb = app.post(&b_clerk, "/api/v1/transfers", &json!({"from_city": "410600", "person_id": people[1]})).await;
    let ub2 = pb.json::<Value>().await.unwrap()["uid"].as_str().unwrap().to_string();
    for city in ["410600", "411600"] {
        owner_sql(&app, city, &format!("UPDATE transfer SET due_since = now() - interval '40 days' WHERE uid = '{ub2}'"));
    }
    let v: Value = app.get(&c_clerk, &format!("/api/v1/transfers/{ub2}")).await.json().await.unwrap();
    assert_eq!((v["overdue"].as_bool(), v["waiting_for"].as_str()), (Some(true), Some("letter")), "{v}");
    let sup = app.token("410000", "sup", &["province_supervisor"]).await;
    let pv: Value = app.get(&sup, "/api/v1/province/transfers").await.json().await.unwrap();
    let hebi = pv["items"].as_array().unwrap().iter().find(|c| c["code"] == "410600").unwrap().clone();
    assert_eq!(
        (hebi["open_out"].clone(), hebi["overdue"].clone(), hebi["suppressed"].clone()),
        (Value::Null, Value::Null, json!(true)),
        "{pv}"
    );
    let (_, open_out, overdue, _, _) = unsuppressed(&app, "410600");
    assert_eq!((open_out, overdue), (1, 1));
}

#[tokio::test(flavor = "multi_thread")]
async fn opening_is_rate_limited_per_user() {
    let app = TestApp::start().await;
    let prober = app.token("411600", "prober", &["clerk"]).await;
    let other = app.token("411600", "other", &["clerk"]).await;
    let p = register_person(&app, &other, &id_number("411602", "19850707", 51), "戊限流").await["id"].clone();
    for i in 0..30 {
        let r = app.post(&prober, "/api/v1/transfers", &json!({"from_city": "411600", "person_id": p})).await;
        assert_eq!(r.status(), 422, "attempt {i}");
    }
    let r = app.post(&prober, "/api/v1/transfers", &json!({"from_city": "411000", "person_id": p})).await;
    assert_eq!(r.status(), 429);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"]["code"], "transfer.rate_limited", "{v}");
    assert!(v["error"]["message"].as_str().unwrap().contains("30"), "{v}");
    assert_eq!(audit_count(&app, "411600", "transfer.open_refused", None), 31, "the refused attempts are audited too");
    assert_eq!(count_sql(&app, "411600", "SELECT count(*) AS n FROM transfer"), 0);
    // Another user of the city is not held up.
    let r = app.post(&other, "/api/v1/transfers", &json!({"from_city": "411000", "person_id": p})).await;
    assert_eq!(r.status(), 201);
}

/// A clerk of A with 12 months, a person of B, a letter from B accepted by A and the information
/// produced and approved at A.
async fn accepted_with_information(app: &TestApp) -> (String, String, String, String) {
    let worker = id_number("411002", "19790909", 53);
    let employer = credit_code("411000", "MA0000053");
    let a_admin = app.token("411000", "admin", &["city_admin"]).await;
    import(app, &a_admin, "persons", format!("身份证号码,姓名\n{worker},己资金\n")).await;
    import(app, &a_admin, "employers", format!("统一社会信用代码,单位名称,工伤风险类别,登记日期\n{employer},许昌纺织厂,2,2001-01-01\n"))
        .await;
    let mut history = String::from("身份证号码,统一社会信用代码,险种,费款所属期,缴费基数,单位缴费,个人缴费\n");
    for m in 1..=12 {
        history.push_str(&format!("{worker},{employer},养老,2024-{m:02},5000,800,400\n"));
    }
    import(app, &a_admin, "contributions", history).await;
    let (a_clerk, a_reviewer) = (app.token("411000", "clerk", &["clerk"]).await, app.token("411000", "reviewer", &["reviewer"]).await);
    let b_clerk = app.token("411600", "clerk", &["clerk"]).await;
    let pb = register_person(app, &b_clerk, &worker, "己资金").await["id"].clone();
    let t: Value = app.post(&b_clerk, "/api/v1/transfers", &json!({"from_city": "411000", "person_id": pb})).await.json().await.unwrap();
    let uid = t["uid"].as_str().unwrap().to_string();
    assert_eq!(app.post(&a_clerk, &format!("/api/v1/transfers/{uid}/accept"), &json!({})).await.status(), 200);
    assert_eq!(app.post(&a_clerk, &format!("/api/v1/transfers/{uid}/info"), &json!({})).await.status(), 200);
    assert_eq!(app.post(&a_reviewer, &format!("/api/v1/transfers/{uid}/approve"), &json!({})).await.status(), 200);
    (uid, a_clerk, b_clerk, worker)
}

#[tokio::test(flavor = "multi_thread")]
async fn completion_needs_the_funds_recorded_as_sent_by_the_sending_city() {
    let app = TestApp::start().await;
    let (uid, a_clerk, b_clerk, _) = accepted_with_information(&app).await;
    // B's side claims funds announced that A never recorded as sent.
    owner_sql(&app, "411600", &format!("UPDATE transfer SET funds_sent_fen = info_total_fen, funds_sent_at = now() WHERE uid = '{uid}'"));
    let b: Value = app.get(&b_clerk, &format!("/api/v1/transfers/{uid}")).await.json().await.unwrap();
    let total = b["info_total_fen"].as_i64().unwrap();
    let yuan = format!("{}.{:02}", total / 100, total % 100);
    assert_eq!(app.post(&b_clerk, &format!("/api/v1/transfers/{uid}/funds-received"), &json!({"amount": yuan})).await.status(), 200);
    let r = app.post(&b_clerk, &format!("/api/v1/transfers/{uid}/complete"), &json!({})).await;
    assert_eq!(r.status(), 422, "{}", r.text().await.unwrap());
    for (token, city) in [(&a_clerk, "A"), (&b_clerk, "B")] {
        let v: Value = app.get(token, &format!("/api/v1/transfers/{uid}")).await.json().await.unwrap();
        assert_eq!(v["state"], "requested", "{city}: {v}");
    }
    assert_eq!(app.count_in("411600", "transferred_period"), 0);
    // Once A records the funds, B completes.
    assert_eq!(app.post(&a_clerk, &format!("/api/v1/transfers/{uid}/funds-sent"), &json!({"amount": yuan})).await.status(), 200);
    let done: Value = app.post(&b_clerk, &format!("/api/v1/transfers/{uid}/complete"), &json!({})).await.json().await.unwrap();
    assert_eq!(done["state"], "completed", "{done}");
    assert_eq!(app.count_in("411600", "transferred_period"), 12);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_app_role_cannot_write_the_state_the_total_or_the_funds_sent() {
    let app = TestApp::start().await;
    let (uid, _, _, _) = accepted_with_information(&app).await;
    for (city, set) in [
        ("411600", "state = 'completed'"),
        ("411000", "state = 'completed'"),
        ("411600", "info_total_fen = 1"),
        ("411000", "info_total_fen = 1"),
        ("411000", "info = '{}'"),
        ("411000", "funds_sent_fen = 1"),
        ("411000", "funds_sent_at = now()"),
        ("411000", "funds_sent_by = 1"),
        ("411600", "funds_sent_fen = 1"),
        ("411600", "completed_at = now()"),
    ] {
        let tid = app.tenant_id(city).0;
        let err = app
            .app_conn()
            .batch_execute(&format!("BEGIN; SELECT set_tenant({tid}::smallint); UPDATE transfer SET {set} WHERE uid = '{uid}'; COMMIT;"))
            .unwrap_err();
        assert!(err.to_string().contains("permission denied"), "{city} {set}: {err}");
    }
    // The step columns that stay in one city remain the application's.
    let tid = app.tenant_id("411600").0;
    app.app_conn()
        .batch_execute(&format!(
            "BEGIN; SELECT set_tenant({tid}::smallint); UPDATE transfer SET due_since = due_since WHERE uid = '{uid}'; COMMIT;"
        ))
        .unwrap();
    assert!(app.app_conn().batch_execute(&format!("SELECT transfer_mine_locked('{uid}')")).is_err(), "helper not callable");
}
