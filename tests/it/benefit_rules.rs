//! Benefits as the regulation computes them, end to end through the API: the average index
//! weighted by month on one reference-wage series, the personal account credited and credited with
//! interest by year (provisional rates named, never 0 %), only paid months counting, and the
//! certificate counting the same months.

use jinbao_store::repo::{benefits, certificates, users};
use jinbao_store::Actor;
use jinbao_tests::{credit_code, id_number, register_employer, wait_job, TestApp};
use serde_json::{json, Value};

async fn import(app: &TestApp, token: &str, kind: &str, body: String) {
    let r = app.client.post(app.url(&format!("/api/v1/imports/{kind}"))).bearer_auth(token).body(body).send().await.unwrap();
    assert_eq!(r.status(), 200, "{kind}: {}", r.text().await.unwrap());
}

fn person_id(app: &TestApp, tenant: &str, id: &str) -> i64 {
    jinbao_tests::count_sql(app, tenant, &format!("SELECT id AS n FROM person WHERE id_number = '{id}'"))
}

/// Xuchang: a man born 1966-06 (retires 2026-11) with 17 paid months from 2025-07, 14 at the
/// floor base 3,831 and 3 at the ceiling 19,155, and 163 deemed months; returns his pension form.
async fn import_man_with_two_bases(app: &TestApp, admin: &str) -> Value {
    let man = id_number("411002", "19660615", 11);
    let employer = credit_code("411000", "MA0000061");
    import(app, admin, "persons", format!("身份证号码,姓名\n{man},孙月份\n")).await;
    import(app, admin, "employers", format!("统一社会信用代码,单位名称,工伤风险类别,登记日期\n{employer},许昌钢厂,2,2000-01-01\n")).await;
    let mut history = String::from("身份证号码,统一社会信用代码,险种,费款所属期,缴费基数,单位缴费,个人缴费\n");
    let start = jinbao_domain::Period::new(2025, 7).unwrap();
    for i in 0..17 {
        let p = start.plus_months(i).unwrap();
        let (base, er, ee) = if i < 14 { ("3831", "612.96", "306.48") } else { ("19155", "3064.80", "1532.40") };
        history.push_str(&format!("{man},{employer},养老,{p},{base},{er},{ee}\n"));
    }
    import(app, admin, "contributions", history).await;
    json!({"person_id": person_id(app, "411000", &man), "category": "male", "deemed_months": 163,
          "channel": "post", "post_address": "许昌市魏都区某街道"})
}

/// A man born 1966-06-15 retires in 2026-11 at 60 years 5 months (the 2025 raise). His paid history:
/// 2025-07..2026-08 at the floor 3,831 (0.6 of 6,385) and 2026-09..11 at the ceiling 19,155 (3.0);
/// 163 deemed months make N = 180.
///
/// Ī by month = (14 × 0.6 + 3 × 3.0) / 17 = 17.4 / 17 = 1.0235294 (the yearly mean would be
/// (0.6 + 13.8/11) / 2 = 0.9272727). C = 6,738 (2025, the latest published).
/// basic = 6,738 × (1 + 1.0235294) / 2 × 15 % = 1,022.59;
/// transitional = 6,738 × 1.0235294 × 163/12 × 1.3 % = 1,217.81;
/// account, 8 % of each base: 2025 credits 6 × 306.48 = 1,838.88, interest at 2.62 % (provisional:
/// 2025 not yet published) 1,838.88 × 2.62 % × 1.083/2 = 26.09 → 1,864.97; 2026 credits
/// 8 × 306.48 + 3 × 1,532.40 = 7,049.04, interest (1,864.97 × 2.62 % + 7,049.04 × 2.62 % × 1.083/2)
/// × 11/12 = 136.46 → 9,050.47; ÷ 139 (age 60) = 65.11. Total 2,305.51 a month.
#[tokio::test(flavor = "multi_thread")]
async fn the_pension_weighs_each_paid_month_on_one_reference_series() {
    let app = TestApp::start().await;
    let admin = app.token("411000", "admin", &["city_admin"]).await;
    let clerk = app.token("411000", "clerk", &["clerk"]).await;
    let form = import_man_with_two_bases(&app, &admin).await;
    let r = app.post(&clerk, "/api/v1/benefits/pension?preview=true", &form).await;
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    let k = &v["claim"]["calculation"];
    assert_eq!(k["retirement"]["period"], "2026-11", "{k}");
    assert_eq!((k["months"]["actual"].as_i64(), k["months"]["total"].as_i64()), (Some(17), Some(180)));
    assert_eq!(k["index"]["average_bp"], 10_235, "{k}");
    let r = &k["result"];
    assert_eq!(
        (r["basic"].as_i64(), r["transitional"].as_i64(), r["account"].as_i64()),
        (Some(102_259), Some(121_781), Some(6_511)),
        "{k}"
    );
    assert_eq!(v["claim"]["amount_fen"], 230_551);
    // The floor months are 0.6 and the ceiling months 3.0 against the rule's own wage.
    let y2025 = k["years"].as_array().unwrap().iter().find(|y| y["year"] == 2025).unwrap();
    assert_eq!((y2025["index_bp"].as_i64(), y2025["reference_wages_fen"][0].as_i64()), (Some(6_000), Some(638_500)));
    // The account: 2025 and 2026 at the latest published rate, named provisional; never 0 %.
    let years = k["account"]["years"].as_array().unwrap();
    assert!(years.iter().all(|y| y["rate"] == 262 && y["provisional"] == true), "{k}");
    assert_eq!(k["account"]["provisional_rate_years"], json!([2025, 2026]));
    assert_eq!((years[1]["interest"].as_i64(), years[1]["interest_months"].as_i64()), (Some(13_646), Some(11)));
    assert_eq!(k["account"]["balance_fen"], 905_047);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_legacy_year_without_a_reference_wage_or_a_rate_is_refused_by_name() {
    let app = TestApp::start().await;
    let admin = app.token("411000", "admin", &["city_admin"]).await;
    let clerk = app.token("411000", "clerk", &["clerk"]).await;
    let man = id_number("411002", "19640315", 13);
    let employer = credit_code("411000", "MA0000062");
    import(&app, &admin, "persons", format!("身份证号码,姓名\n{man},钱老年\n")).await;
    import(&app, &admin, "employers", format!("统一社会信用代码,单位名称,工伤风险类别,登记日期\n{employer},许昌纸厂,2,2000-01-01\n")).await;
    let history: String = (1..=12).map(|m| format!("{man},{employer},养老,2014-{m:02},3000,480,240\n")).collect();
    import(&app, &admin, "contributions", format!("身份证号码,统一社会信用代码,险种,费款所属期,缴费基数,单位缴费,个人缴费\n{history}"))
        .await;
    let form = json!({"person_id": person_id(&app, "411000", &man), "category": "male", "deemed_months": 180,
                      "channel": "post", "post_address": "许昌市"});
    let r = app.post(&clerk, "/api/v1/benefits/pension?preview=true", &form).await;
    assert_eq!(r.status(), 422);
    let v: Value = r.json().await.unwrap();
    assert_eq!(
        (v["error"]["fields"][0]["field"].as_str(), v["error"]["fields"][0]["code"].as_str()),
        (Some("years.2014"), Some("pension.avg_wage_missing"))
    );
    // With the province's reference wage configured, the missing 2014 crediting rate is named next.
    let tid = app.tenant_id("411000").0;
    diesel::connection::SimpleConnection::batch_execute(
        &mut app.owner_conn(),
        &format!(
            "BEGIN; SELECT set_tenant({tid}::smallint);
             INSERT INTO benefit_year (tenant_id, rule_id, year, avg_wage_fen)
             SELECT {tid}, id, y, 400000 FROM benefit_rule, generate_series(2013, 2014) y WHERE superseded_at IS NULL; COMMIT;"
        ),
    )
    .unwrap();
    let v: Value = app.post(&clerk, "/api/v1/benefits/pension?preview=true", &form).await.json().await.unwrap();
    assert_eq!(
        (v["error"]["fields"][0]["field"].as_str(), v["error"]["fields"][0]["code"].as_str()),
        (Some("rates.2014"), Some("account.rate_missing")),
        "{v}"
    );
}

/// Assessed in July, August and September; the employer pays July and September in full and
/// nothing for August: two insured months, August in arrears — for benefits and the certificate.
#[tokio::test(flavor = "multi_thread")]
async fn only_paid_months_are_insured_time() {
    let app = TestApp::start().await;
    let clerk = app.token("411000", "clerk", &["clerk"]).await;
    let e = register_employer(&app, &clerk, &credit_code("411000", "MA0000063"), "许昌机电").await["id"].as_i64().unwrap();
    let worker = id_number("411002", "19900101", 15);
    let r = app
        .post(
            &clerk,
            "/api/v1/enrolments",
            &json!({"person": {"id_number": worker, "name": "冯缴费"}, "employer_id": e, "start_period": "2026-07",
                    "declared_wage": "5000", "insurance_types": ["pension"]}),
        )
        .await;
    assert_eq!(r.status(), 201);
    for period in ["2026-07", "2026-08", "2026-09"] {
        let r = app.post(&clerk, "/api/v1/assessments/runs", &json!({"period": period})).await;
        assert_eq!(r.status(), 202);
        wait_job(&app, &clerk, r.json::<Value>().await.unwrap()["job_id"].as_i64().unwrap()).await;
    }
    // 5,000 × (16 % + 8 %) = 1,200.00 a month; August gets 1,199.99 — one fen short.
    for (period, amount, reference) in [("2026-07", "1200.00", "P07"), ("2026-08", "1199.99", "P08"), ("2026-09", "1200.00", "P09")] {
        let r = app
            .post(&clerk, "/api/v1/collections", &json!({"employer_id": e, "period": period, "amount": amount, "paid_on": "2026-10-10", "channel": "bank", "bank_ref": reference}))
            .await;
        assert_eq!(r.status(), 201);
    }
    let tid = app.tenant_id("411000");
    let pid = person_id(&app, "411000", &worker);
    let (paid, unpaid) = app
        .db
        .tenant(tid, Actor::system("test"), |tx| Ok((benefits::months(tx, pid, "pension")?, benefits::unpaid_months(tx, pid, "pension")?)))
        .unwrap();
    let periods: Vec<String> = paid.iter().map(|m| m.period.format("%Y-%m").to_string()).collect();
    assert_eq!(periods, ["2026-07", "2026-09"]);
    assert_eq!(
        unpaid.iter().map(|m| (m.period.format("%Y-%m").to_string(), m.due_fen)).collect::<Vec<_>>(),
        [("2026-08".to_string(), 120_000)]
    );
    // The certificate counts the same two months.
    let uid = app.db.tenant(tid, Actor::system("test"), |tx| users::id_by_username(tx, "clerk")).unwrap().unwrap();
    let actor = Actor::User { user_id: uid, office_id: 1, username: "clerk".into(), jti: None, epoch: 0, request_id: None };
    let cert = app.db.tenant(tid, actor, |tx| certificates::issue(tx, pid, "411000", [7; 12])).unwrap();
    let pension = cert.lines.iter().find(|l| l.insurance_type == "pension").unwrap();
    assert_eq!(pension.months, 2);
}

/// Imported history counts on the certificate as it counts for benefits.
#[tokio::test(flavor = "multi_thread")]
async fn the_certificate_counts_imported_history() {
    let app = TestApp::start().await;
    let admin = app.token("411000", "admin", &["city_admin"]).await;
    app.token("411000", "clerk", &["clerk"]).await;
    let worker = id_number("411002", "19850505", 17);
    let employer = credit_code("411000", "MA0000064");
    import(&app, &admin, "persons", format!("身份证号码,姓名\n{worker},褚历史\n")).await;
    import(&app, &admin, "employers", format!("统一社会信用代码,单位名称,工伤风险类别,登记日期\n{employer},许昌陶瓷,2,2000-01-01\n")).await;
    let mut history = String::from("身份证号码,统一社会信用代码,险种,费款所属期,缴费基数,单位缴费,个人缴费\n");
    for y in 2016..=2025 {
        for m in 1..=12 {
            history.push_str(&format!("{worker},{employer},养老,{y}-{m:02},4000,640,320\n"));
        }
    }
    import(&app, &admin, "contributions", history).await;
    let tid = app.tenant_id("411000");
    let pid = person_id(&app, "411000", &worker);
    let uid = app.db.tenant(tid, Actor::system("test"), |tx| users::id_by_username(tx, "clerk")).unwrap().unwrap();
    let actor = Actor::User { user_id: uid, office_id: 1, username: "clerk".into(), jti: None, epoch: 0, request_id: None };
    let cert = app.db.tenant(tid, actor, |tx| certificates::issue(tx, pid, "411000", [9; 12])).unwrap();
    let pension = cert.lines.iter().find(|l| l.insurance_type == "pension").unwrap();
    assert_eq!((pension.months, pension.start_period.to_string()), (120, "2016-01-01".to_string()));
}

fn publish(app: &TestApp, tenant: &str, year: i32, column: &str, value: i64) {
    let tid = app.tenant_id(tenant).0;
    diesel::connection::SimpleConnection::batch_execute(
        &mut app.owner_conn(),
        &format!(
            "BEGIN; SELECT set_tenant({tid}::smallint);
             INSERT INTO benefit_year (tenant_id, rule_id, year, {column})
             SELECT {tid}, id, {year}, {value} FROM benefit_rule WHERE superseded_at IS NULL
             ON CONFLICT (tenant_id, rule_id, year) DO UPDATE SET {column} = excluded.{column}; COMMIT;"
        ),
    )
    .unwrap();
}

/// The pension above (2,305.51 with C 2025 and provisional rates) is approved and in the open
/// December batch. C 2026 is published at 6,900: basic 6,900 × 1.0117647 × 15 % = 1,047.18,
/// transitional 6,900 × 1.0235294 × 163/12 × 1.3 % = 1,247.09, account 65.11: 2,359.38, 53.87 more a
/// month — a reviewer approves the revision and the batch gets a 53.87 adjustment line for
/// December. Then the 2025 rate is published at 1.00 %: the account becomes 1,838.88 + 9.96 =
/// 1,848.84 (2025), + 7,049.04 + (1,848.84 × 1 % + 7,049.04 × 1 % × 1.083/2) × 11/12 = 51.94 →
/// 8,949.82 ÷ 139 = 64.39; the pension 2,358.66, 0.72 less: December was overpaid by 0.72, recorded
/// to recover, never paid as a negative line.
#[tokio::test(flavor = "multi_thread")]
async fn published_figures_revise_running_pensions_through_a_second_person() {
    let app = TestApp::start().await;
    let admin = app.token("411000", "admin", &["city_admin"]).await;
    let clerk = app.token("411000", "clerk", &["clerk"]).await;
    let reviewer = app.token("411000", "reviewer", &["reviewer"]).await;
    let form = import_man_with_two_bases(&app, &admin).await;
    let claim: Value = app.post(&clerk, "/api/v1/benefits/pension", &form).await.json().await.unwrap();
    let cid = claim["id"].as_i64().unwrap();
    assert_eq!(claim["amount_fen"], 230_551);
    assert_eq!(app.post(&reviewer, &format!("/api/v1/benefits/claims/{cid}/approve"), &json!({})).await.status(), 200);
    let batch: Value = app.post(&reviewer, "/api/v1/payments/batches", &json!({"period": "2026-12"})).await.json().await.unwrap();
    assert_eq!(batch["total_fen"], 230_551);

    // Nothing published yet: nothing proposed.
    let v: Value = app.post(&clerk, "/api/v1/benefits/recalculations", &json!({})).await.json().await.unwrap();
    assert_eq!((v["examined"].as_i64(), v["proposed"].as_array().map(Vec::len)), (Some(1), Some(0)), "{v}");

    publish(&app, "411000", 2026, "payout_base_fen", 690_000);
    let v: Value = app.post(&clerk, "/api/v1/benefits/recalculations", &json!({})).await.json().await.unwrap();
    let rev = v["proposed"][0].as_i64().expect("a revision");
    let r: Value = app.get(&clerk, "/api/v1/benefits/revisions?status=proposed").await.json().await.unwrap();
    let item = &r["items"][0];
    assert_eq!((item["old_amount_fen"].as_i64(), item["new_amount_fen"].as_i64()), (Some(230_551), Some(235_938)), "{r}");
    assert_eq!(item["published"]["payout_base"]["to_year"], 2026);
    // The claim pays the old amount until a second person approves.
    let c: Value = app.get(&clerk, &format!("/api/v1/benefits/claims/{cid}")).await.json().await.unwrap();
    assert_eq!(c["amount_fen"], 230_551);
    assert_eq!(app.post(&clerk, &format!("/api/v1/benefits/revisions/{rev}/approve"), &json!({})).await.status(), 403);
    assert_eq!(app.post(&reviewer, &format!("/api/v1/benefits/revisions/{rev}/approve"), &json!({})).await.status(), 200);
    let c: Value = app.get(&clerk, &format!("/api/v1/benefits/claims/{cid}")).await.json().await.unwrap();
    assert_eq!(c["amount_fen"], 235_938);
    // December, already in the batch at the old amount, is made up by an adjustment line (补发).
    let batch: Value = app.post(&reviewer, "/api/v1/payments/batches", &json!({"period": "2026-12"})).await.json().await.unwrap();
    assert_eq!((batch["lines"].as_i64(), batch["total_fen"].as_i64()), (Some(2), Some(235_938)), "{batch}");

    // The 2025 rate is published lower: December was overpaid by 0.72, recorded, not paid negative.
    publish(&app, "411000", 2025, "interest_bp", 100);
    let v: Value = app.post(&clerk, "/api/v1/benefits/recalculations", &json!({})).await.json().await.unwrap();
    let rev = v["proposed"][0].as_i64().expect("a second revision");
    assert_eq!(
        app.post(&reviewer, &format!("/api/v1/benefits/revisions/{rev}/reject"), &json!({})).await.status(),
        422,
        "a rejection needs a note"
    );
    let r: Value = app
        .post(&reviewer, &format!("/api/v1/benefits/revisions/{rev}/approve"), &json!({"note": "利率已公布"}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!((r["new_amount_fen"].as_i64(), r["published"]["rates"].clone()), (Some(235_866), json!([2025])), "{r}");
    let a: Value = app.get(&clerk, &format!("/api/v1/benefits/claims/{cid}/adjustments")).await.json().await.unwrap();
    let states: Vec<(i64, String)> = a["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| (x["amount_fen"].as_i64().unwrap(), x["state"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(states, [(5_387, "in_batch".to_string()), (-72, "overpaid".to_string())]);
    // The claim page shows both revisions and the differences, the overpayment marked.
    let html = app
        .client
        .get(app.url(&format!("/benefits/{cid}")))
        .header("cookie", format!("jinbao_session={clerk}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("id=\"revision-list\"") && html.contains("53.87") && html.contains("-0.72") && html.contains("多发，待追回"),
        "claim page"
    );
    let batch: Value = app.post(&reviewer, "/api/v1/payments/batches", &json!({"period": "2026-12"})).await.json().await.unwrap();
    assert_eq!(batch["total_fen"], 235_938, "no negative line");
    // The database refuses to apply a revision nobody approved.
    let tid = app.tenant_id("411000").0;
    let mut c = app.app_conn();
    let e = diesel::Connection::transaction::<(), diesel::result::Error, _>(&mut c, |c| {
        diesel::connection::SimpleConnection::batch_execute(c, &format!("SELECT set_tenant({tid}::smallint)"))?;
        diesel::connection::SimpleConnection::batch_execute(c, "UPDATE benefit_claim SET amount_fen = 1")
    })
    .unwrap_err();
    assert!(e.to_string().contains("permission denied"), "{e}");
}

/// Funds are accounted separately: a city's medical income never hides its pension deficit, and
/// the province's figures per city and fund equal the city's own ledger, summed over the year.
#[tokio::test(flavor = "multi_thread")]
async fn the_province_finance_view_is_the_city_ledgers_fund_by_fund() {
    let app = TestApp::start().await;
    let clerk = app.token("411000", "clerk", &["clerk"]).await;
    let reviewer = app.token("411000", "reviewer", &["reviewer"]).await;
    let e = register_employer(&app, &clerk, &credit_code("411000", "MA0000065"), "许昌发电").await["id"].as_i64().unwrap();
    for (i, wage) in ["5000", "8000"].iter().enumerate() {
        let r = app
            .post(
                &clerk,
                "/api/v1/enrolments",
                &json!({"person": {"id_number": id_number("411002", "19900202", 21 + 2 * i as u32), "name": "缴费人"}, "employer_id": e,
                        "start_period": "2026-07", "declared_wage": wage, "insurance_types": ["pension", "medical", "unemployment", "work_injury", "maternity"]}),
            )
            .await;
        assert_eq!(r.status(), 201);
    }
    for period in ["2026-07", "2026-08"] {
        let r = app.post(&clerk, "/api/v1/assessments/runs", &json!({"period": period})).await;
        wait_job(&app, &clerk, r.json::<Value>().await.unwrap()["job_id"].as_i64().unwrap()).await;
    }
    // July paid in full in two payments; August only 4,000.00 (pension 3,120.00 first, then medical).
    for (period, amount, reference) in [("2026-07", "3000.00", "F1"), ("2026-07", "2000.00", "F2"), ("2026-08", "4000.00", "F3")] {
        let r = app
            .post(&clerk, "/api/v1/collections", &json!({"employer_id": e, "period": period, "amount": amount, "paid_on": "2026-09-01", "channel": "bank", "bank_ref": reference}))
            .await;
        assert_eq!(r.status(), 201);
    }
    // A maternity allowance paid: the maternity fund spends what it never received (merged into medical).
    let mother = jinbao_tests::register_person(&app, &clerk, &id_number("411002", "19930303", 26), "韩妈妈").await;
    let claim: Value = app
        .post(
            &clerk,
            "/api/v1/benefits/maternity",
            &json!({"person_id": mother["id"], "employer_id": e, "case": "birth", "event_date": "2026-08-02",
               "employer_avg_wage": "6000", "channel": "post", "post_address": "许昌"}),
        )
        .await
        .json()
        .await
        .unwrap();
    app.post(&reviewer, &format!("/api/v1/benefits/claims/{}/approve", claim["id"]), &json!({})).await;
    let batch: Value = app.post(&reviewer, "/api/v1/payments/batches", &json!({"period": "2026-08"})).await.json().await.unwrap();
    let bid = batch["id"].as_i64().unwrap();
    app.post(&reviewer, &format!("/api/v1/payments/batches/{bid}/export"), &json!({})).await;
    let file = app.get(&reviewer, &format!("/api/v1/payments/batches/{bid}/post.csv")).await.text().await.unwrap();
    let line: i64 = file.lines().nth(1).unwrap().split(',').next().unwrap().parse().unwrap();
    let r = app
        .client
        .post(app.url(&format!("/api/v1/payments/batches/{bid}/results")))
        .bearer_auth(&reviewer)
        .body(format!("line_id,status,reason,reference\n{line},paid,,M1\n"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);

    let fin = app.token("411000", "fin", &["finance_viewer"]).await;
    let ledger: Value = app.get(&fin, "/api/v1/finance/ledger?year=2026").await.json().await.unwrap();
    let province_fin = app.token("410000", "provfin", &["finance_viewer"]).await;
    let pv: Value = app.get(&province_fin, "/api/v1/province/finance?year=2026").await.json().await.unwrap();
    let xc = pv["cities"].as_array().unwrap().iter().find(|c| c["code"] == "411000").unwrap();
    let lines = ledger["lines"].as_array().unwrap();
    let mut income_total = 0;
    for fund in ["pension", "medical", "unemployment", "work_injury", "maternity"] {
        let mine: Vec<&Value> = lines.iter().filter(|l| l["insurance_type"] == fund).collect();
        let sum = |k: &str| mine.iter().map(|l| l[k].as_i64().unwrap()).sum::<i64>();
        let last_subsidy = mine.last().map_or(0, |l| l["subsidy_fen"].as_i64().unwrap());
        let p = xc["funds"].as_array().unwrap().iter().find(|f| f["insurance_type"] == fund).unwrap();
        assert_eq!(
            (p["income_fen"].as_i64(), p["expenditure_fen"].as_i64(), p["subsidy_fen"].as_i64()),
            (Some(sum("income_fen")), Some(sum("expenditure_fen")), Some(last_subsidy)),
            "{fund}: {pv} vs {ledger}"
        );
        income_total += sum("income_fen");
    }
    // July owes 13,000 × 35.4 % = 4,602.00 (of the 5,000.00 paid, 398.00 is a credit, no fund's
    // income); August's 4,000.00 is all income: every allocated fen reaches exactly one fund.
    assert_eq!(income_total, 860_200);
    let maternity = xc["funds"].as_array().unwrap().iter().find(|f| f["insurance_type"] == "maternity").unwrap();
    assert_eq!(maternity["subsidy_fen"], 1_960_000, "not covered by the medical fund's income");
    // The statistic behind it equals a recount from the base tables.
    let tid = app.tenant_id("411000");
    let diff = app
        .db
        .tenant(tid, Actor::system("test"), |tx| {
            Ok(jinbao_store::repo::stats::differences(jinbao_store::repo::stats::current(tx)?, jinbao_store::repo::stats::recount(tx)?))
        })
        .unwrap();
    assert!(diff.is_empty(), "{diff:?}");
}

/// An employer's floating work-injury rate, decided for a year, is what the preview, the enrolment
/// and the monthly assessment charge: class 2 (0.4 %) at 150 % is 0.6 %, 5,000 × 0.6 % = 30.00.
#[tokio::test(flavor = "multi_thread")]
async fn the_floating_injury_rate_applies_everywhere_from_its_month() {
    let app = TestApp::start().await;
    let clerk = app.token("411000", "clerk", &["clerk"]).await;
    let reviewer = app.token("411000", "reviewer", &["reviewer"]).await;
    let e = register_employer(&app, &clerk, &credit_code("411000", "MA0000066"), "许昌建工").await["id"].as_i64().unwrap();
    let decide = |percent: u32, from: &str| json!({"effective_from": from, "percent": percent, "reason": "上年度工伤发生率高"});
    assert_eq!(app.post(&clerk, &format!("/api/v1/employers/{e}/injury-rate"), &decide(150, "2026-01")).await.status(), 403);
    assert_eq!(app.post(&reviewer, &format!("/api/v1/employers/{e}/injury-rate"), &decide(90, "2026-01")).await.status(), 422);
    assert_eq!(app.post(&reviewer, &format!("/api/v1/employers/{e}/injury-rate"), &decide(150, "2026-01")).await.status(), 201);
    assert_eq!(app.post(&reviewer, &format!("/api/v1/employers/{e}/injury-rate"), &decide(120, "2026-01")).await.status(), 409);
    let body = json!({"employer_id": e, "start_period": "2026-07", "declared_wage": "5000", "insurance_types": ["work_injury"]});
    let v: Value = app.post(&clerk, "/api/v1/enrolments/preview", &body).await.json().await.unwrap();
    let line = v["amounts"]["lines"].as_array().unwrap().iter().find(|l| l["insurance_type"] == "work_injury").unwrap();
    assert_eq!(line["amount"], "30.00", "{v}");
    let mut enrol = body.clone();
    enrol["person"] = json!({"id_number": id_number("411002", "19880808", 31), "name": "卫工伤"});
    let r = app.post(&clerk, "/api/v1/enrolments", &enrol).await;
    assert_eq!(r.status(), 201);
    let r = app.post(&clerk, "/api/v1/assessments/runs", &json!({"period": "2026-07"})).await;
    wait_job(&app, &clerk, r.json::<Value>().await.unwrap()["job_id"].as_i64().unwrap()).await;
    let charged = jinbao_tests::count_sql(&app, "411000", "SELECT employer_fen AS n FROM assessment WHERE insurance_type = 'work_injury'");
    assert_eq!(charged, 3_000);
    // Class 1 floats upward only.
    let low = jinbao_tests::register_person(&app, &clerk, &id_number("411002", "19880909", 33), "x").await;
    let _ = low;
    let c1 = app
        .post(
            &clerk,
            "/api/v1/employers",
            &json!({"credit_code": credit_code("411000", "MA0000067"), "name": "许昌书店", "risk_class": 1, "registered_on": "2020-01-15"}),
        )
        .await
        .json::<Value>()
        .await
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let r = app.post(&reviewer, &format!("/api/v1/employers/{c1}/injury-rate"), &decide(80, "2026-01")).await;
    assert_eq!(r.json::<Value>().await.unwrap()["error"]["fields"][0]["code"], "injury.class_one_upward");
}

/// Amounts are rounded per person line and an employer's total is the sum of its lines, in the
/// statement, the fund ledger and the bank reconciliation alike. Three employees at 3,835 in
/// unemployment insurance: each employer line 3,835 × 0.7 % = 26.845 → 26.85 (half-up), the total
/// 80.55 — rounding the employer's total base instead would give 11,505 × 0.7 % = 80.535 → 80.54.
#[tokio::test(flavor = "multi_thread")]
async fn an_employers_total_is_the_sum_of_its_rounded_lines_everywhere() {
    let app = TestApp::start().await;
    let clerk = app.token("411000", "clerk", &["clerk"]).await;
    let reviewer = app.token("411000", "reviewer", &["reviewer"]).await;
    let e = register_employer(&app, &clerk, &credit_code("411000", "MA0000068"), "许昌面粉厂").await["id"].as_i64().unwrap();
    for i in 0..3 {
        let r = app
            .post(
                &clerk,
                "/api/v1/enrolments",
                &json!({"person": {"id_number": id_number("411002", "19910101", 41 + 2 * i), "name": "舍入"}, "employer_id": e,
                        "start_period": "2026-07", "declared_wage": "3835", "insurance_types": ["unemployment"]}),
            )
            .await;
        assert_eq!(r.status(), 201);
    }
    let r = app.post(&clerk, "/api/v1/assessments/runs", &json!({"period": "2026-07"})).await;
    wait_job(&app, &clerk, r.json::<Value>().await.unwrap()["job_id"].as_i64().unwrap()).await;
    let s: Value = app.get(&clerk, &format!("/api/v1/employers/{e}/statement?period=2026-07")).await.json().await.unwrap();
    let employer_part: i64 =
        s["lines"].as_array().unwrap().iter().filter(|l| l["party"] == "employer").map(|l| l["amount_fen"].as_i64().unwrap()).sum();
    assert_eq!(employer_part, 8_055);
    // 3 × (26.85 + 11.51) = 115.08: the employee part 3,835 × 0.3 % = 11.505 → 11.51 a line.
    assert_eq!(s["due_fen"], 11_508);
    let r = app
        .post(&clerk, "/api/v1/collections", &json!({"employer_id": e, "period": "2026-07", "amount": "115.08", "paid_on": "2026-07-20", "channel": "bank", "bank_ref": "R1"}))
        .await;
    assert_eq!(r.status(), 201);
    let s: Value = app.get(&clerk, &format!("/api/v1/employers/{e}/statement?period=2026-07")).await.json().await.unwrap();
    assert_eq!(s["paid_fen"], 11_508, "the statement total pays every line exactly");
    let fin = app.token("411000", "fin", &["finance_viewer"]).await;
    let l: Value = app.get(&fin, "/api/v1/finance/ledger?year=2026").await.json().await.unwrap();
    let income: i64 = l["lines"].as_array().unwrap().iter().map(|x| x["income_fen"].as_i64().unwrap()).sum();
    assert_eq!(income, 11_508);
    let rec: Value = app.get(&reviewer, "/api/v1/reconciliation/2026-07").await.json().await.unwrap();
    assert_eq!((rec["summary"]["assessed_fen"].as_i64(), rec["summary"]["collected_fen"].as_i64()), (Some(11_508), Some(11_508)), "{rec}");
}
