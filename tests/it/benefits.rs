//! Benefits decided by two people and paid in monthly batches: the pension from imported
//! contribution history (hand-checked figures), maker-checker, unemployment stopping on
//! re-employment, maternity, batch idempotency, results imported twice, reissue of a failed line,
//! the fund ledger and the audit chain.

use diesel::connection::SimpleConnection;
use diesel::Connection;
use jinbao_store::repo::{audit, stats};
use jinbao_store::Actor;
use jinbao_tests::{count_sql, credit_code, id_number, TestApp};
use serde_json::{json, Value};

struct City {
    clerk: String,
    reviewer: String,
    employer: String,
    employer_id: i64,
}

/// Xuchang with one employer, persons and contribution history imported by the city admin.
async fn city(app: &TestApp, persons: &[(&str, &str)], history: &str) -> City {
    let admin = app.token("411000", "admin", &["city_admin"]).await;
    let employer = credit_code("411000", "MA0000031");
    let post = |kind: &str, body: String| {
        app.client.post(app.url(&format!("/api/v1/imports/{kind}"))).bearer_auth(&admin).body(body.into_bytes()).send()
    };
    let mut text = String::from("身份证号码,姓名\n");
    for (id, name) in persons {
        text.push_str(&format!("{id},{name}\n"));
    }
    assert_eq!(post("persons", text).await.unwrap().status(), 200);
    let r =
        post("employers", format!("统一社会信用代码,单位名称,工伤风险类别,登记日期\n{employer},许昌机械厂,2,2000-01-01\n")).await.unwrap();
    assert_eq!(r.status(), 200);
    let r =
        post("contributions", format!("身份证号码,统一社会信用代码,险种,费款所属期,缴费基数,单位缴费,个人缴费\n{history}")).await.unwrap();
    let status = r.status();
    assert_eq!(status, 200, "{}", r.text().await.unwrap());
    let employer_id = count_sql(app, "411000", &format!("SELECT id AS n FROM employer WHERE credit_code = '{employer}'"));
    City {
        clerk: app.token("411000", "clerk", &["clerk"]).await,
        reviewer: app.token("411000", "reviewer", &["reviewer"]).await,
        employer,
        employer_id,
    }
}

/// Monthly history rows: `months` of (year, month) at `base` yuan for an insurance type.
fn history(id: &str, employer: &str, kind: &str, months: &[(i32, u32, i64)]) -> String {
    months
        .iter()
        .map(|(y, m, base)| {
            let yuan = |fen: i64| format!("{}.{:02}", fen / 100, fen % 100);
            format!("{id},{employer},{kind},{y}-{m:02},{base},{},{}\n", yuan(base * 16), yuan(base * 8))
        })
        .collect()
}

fn person_id(app: &TestApp, id: &str) -> i64 {
    count_sql(app, "411000", &format!("SELECT id AS n FROM person WHERE id_number = '{id}'"))
}

const BANK: &str = "\"channel\": \"bank\", \"bank_name\": \"中国工商银行许昌分行\", \"account_no\": \"6222020200001234567\"";

fn with_bank(v: Value) -> Value {
    let mut v = v;
    let bank: Value = serde_json::from_str(&format!("{{{BANK}}}")).unwrap();
    v.as_object_mut().unwrap().extend(bank.as_object().unwrap().clone());
    v
}

/// The reference wages of the legacy base years the tests use (the province publishes them; the
/// repository's tenant files hold only confirmed figures): base year 2021 (2022-01..06) 6,000,
/// 2022 (2022-07..2023-06) 6,200, 2023 (2023-07..2024-06) 6,400 yuan.
fn configure_reference_wages(app: &TestApp, tenant: &str) {
    let tid = app.tenant_id(tenant).0;
    let mut c = app.owner_conn();
    c.batch_execute(&format!(
        "BEGIN; SELECT set_tenant({tid}::smallint);
         INSERT INTO benefit_year (tenant_id, rule_id, year, avg_wage_fen)
         SELECT {tid}, b.id, y.year, y.fen FROM benefit_rule b, (VALUES (2021, 600000), (2022, 620000), (2023, 640000)) y(year, fen)
         WHERE b.tenant_id = {tid} AND b.superseded_at IS NULL
         ON CONFLICT (tenant_id, rule_id, year) DO UPDATE SET avg_wage_fen = excluded.avg_wage_fen; COMMIT;"
    ))
    .unwrap();
}

/// A man born 1964-06 retires 2024-06 at 60. Paid history 2022-01..2024-06 at exactly each month's
/// reference wage (index 1.0 every month), 180 deemed months: N = 210 months = 17.5 years,
/// C(2024) = 6,606. basic = 6606 × 17.5 × 1% = 1,156.05; transitional = 6606 × 1.0 × 15 × 1.3% =
/// 1,288.17; account, 8 % of each base: 2022 credits 6 × 480 + 6 × 496 = 5,856.00, interest
/// 5,856 × 6.12 % × 1.083/2 = 194.07 → 6,050.07; 2023 credits 6 × 496 + 6 × 512 = 6,048.00,
/// interest 6,050.07 × 3.97 % + 6,048 × 3.97 % × 1.083/2 = 370.20 → 12,468.27; 2024 (retirement
/// in June: 6/12) credits 3,072.00, interest (12,468.27 × 2.62 % + 3,072 × 2.62 % × 1.083/2) × 6/12
/// = 185.13 → 15,725.40 ÷ 139 = 113.13. Total 2,557.35 a month.
fn retiree_history(id: &str, employer: &str) -> String {
    let mut months = Vec::new();
    for m in 1..=12 {
        months.push((2022, m, if m < 7 { 6000 } else { 6200 }));
        months.push((2023, m, if m < 7 { 6200 } else { 6400 }));
    }
    for m in 1..=6 {
        months.push((2024, m, 6400));
    }
    history(id, employer, "养老", &months)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_pension_is_computed_from_the_record_and_decided_by_two_people() {
    let app = TestApp::start().await;
    let retiree = id_number("411002", "19640615", 11);
    let employer = credit_code("411000", "MA0000031");
    let other = id_number("411002", "19640701", 13);
    let both_histories = retiree_history(&retiree, &employer) + &retiree_history(&other, &employer);
    let c = city(&app, &[(&retiree, "王退休"), (&other, "李双岗")], &both_histories).await;
    configure_reference_wages(&app, "411000");
    let pid = person_id(&app, &retiree);
    let form = with_bank(json!({"person_id": pid, "category": "male", "deemed_months": 180}));

    // Preview computes without saving.
    let r = app.post(&c.clerk, "/api/v1/benefits/pension?preview=true", &form).await;
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["claim"]["amount_fen"], 255_735, "{v}");
    assert_eq!(count_sql(&app, "411000", "SELECT count(*) AS n FROM benefit_claim"), 0);

    let r = app.post(&c.clerk, "/api/v1/benefits/pension", &form).await;
    assert_eq!(r.status(), 201);
    let claim: Value = r.json().await.unwrap();
    let calc = &claim["calculation"];
    assert_eq!(
        (calc["result"]["basic"].as_i64(), calc["result"]["transitional"].as_i64(), calc["result"]["account"].as_i64()),
        (Some(115_605), Some(128_817), Some(11_313)),
        "{calc}"
    );
    assert_eq!(calc["account"]["balance_fen"], 1_572_540);
    assert_eq!(calc["retirement"]["period"], "2024-06");
    assert_eq!(calc["payout_base"]["fen"], 660_600);
    assert_eq!(calc["months"]["total"], 210);
    assert!(calc["years"].as_array().unwrap().iter().all(|y| y["index_bp"] == 10_000), "{calc}");
    assert_eq!(calc["index"]["months"], 30);
    assert_eq!(claim["start_period"], "2024-07-01");
    // One open pension claim per person.
    assert_eq!(app.post(&c.clerk, "/api/v1/benefits/pension", &form).await.status(), 409);

    // Maker-checker: a clerk cannot decide; a user holding both roles cannot decide their own.
    let id = claim["id"].as_i64().unwrap();
    assert_eq!(app.post(&c.clerk, &format!("/api/v1/benefits/claims/{id}/approve"), &json!({})).await.status(), 403);
    let both = app.token("411000", "both", &["clerk", "reviewer"]).await;
    let newcomer = id_number("411002", "19640801", 15);
    let r = app.post(&both, "/api/v1/persons", &json!({"id_number": newcomer, "name": "新登记"})).await;
    assert_eq!(r.status(), 201);
    let newcomer_id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let too_short = app.post(&both, "/api/v1/benefits/pension", &with_bank(json!({"person_id": newcomer_id, "category": "male"}))).await;
    assert_eq!(too_short.status(), 422, "no contribution years: refused");
    assert_eq!(too_short.json::<Value>().await.unwrap()["error"]["fields"][0]["code"], "pension.contribution_too_short");
    let other_id = person_id(&app, &other);
    let own = app
        .post(&both, "/api/v1/benefits/pension", &with_bank(json!({"person_id": other_id, "category": "male", "deemed_months": 180})))
        .await
        .json::<Value>()
        .await
        .unwrap();
    let own_id = own["id"].as_i64().unwrap();
    let r = app.post(&both, &format!("/api/v1/benefits/claims/{own_id}/approve"), &json!({})).await;
    assert_eq!(r.status(), 422);
    assert_eq!(r.json::<Value>().await.unwrap()["error"]["fields"][0]["code"], "benefit.same_person");
    // The table refuses it too, whatever the code does.
    let mut conn = app.app_conn();
    let tid = app.tenant_id("411000").0;
    let err = conn
        .transaction::<(), diesel::result::Error, _>(|c| {
            c.batch_execute(&format!(
                "SELECT set_tenant({tid}::smallint);
                 UPDATE benefit_claim SET status = 'approved', decided_by = proposed_by, decided_at = now() WHERE id = {own_id}"
            ))
        })
        .unwrap_err();
    assert!(err.to_string().contains("check constraint"), "{err}");

    let r = app.post(&c.reviewer, &format!("/api/v1/benefits/claims/{id}/approve"), &json!({"note": "材料齐全"})).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.unwrap()["status"], "approved");
    assert_eq!(app.post(&c.reviewer, &format!("/api/v1/benefits/claims/{id}/approve"), &json!({})).await.status(), 409);
    assert_eq!(
        app.post(&c.reviewer, &format!("/api/v1/benefits/claims/{own_id}/reject"), &json!({})).await.status(),
        422,
        "a rejection needs a note"
    );
    let t: Value = app.get(&c.clerk, &format!("/api/v1/persons/{pid}/timeline")).await.json().await.unwrap();
    let kinds: Vec<&str> = t["items"].as_array().unwrap().iter().filter_map(|e| e["kind"].as_str()).collect();
    assert!(kinds.contains(&"benefit_approved") && kinds.contains(&"benefit_proposed"), "{kinds:?}");
    let _ = c.employer;
}

#[tokio::test(flavor = "multi_thread")]
async fn unemployment_stops_on_re_employment_and_maternity_is_paid_once_by_post() {
    let app = TestApp::start().await;
    let jobless = id_number("411002", "19900303", 23);
    let mother = id_number("411002", "19920404", 24);
    let employer = credit_code("411000", "MA0000031");
    let months: Vec<(i32, u32, i64)> = (2023..=2025).flat_map(|y| (1..=12).map(move |m| (y, m, 5000))).collect();
    let c = city(&app, &[(&jobless, "赵失业"), (&mother, "钱生育")], &history(&jobless, &employer, "失业", &months)).await;
    let pid = person_id(&app, &jobless);

    let form = with_bank(json!({"person_id": pid, "involuntary": true, "separated_on": "2026-01-31"}));
    let r = app.post(&c.clerk, "/api/v1/benefits/unemployment", &form).await;
    assert_eq!(r.status(), 422);
    assert_eq!(r.json::<Value>().await.unwrap()["error"]["fields"][0]["code"], "unemployment.not_registered");
    let r = app
        .post(&c.clerk, &format!("/api/v1/persons/{pid}/unemployment"), &json!({"registered_on": "2026-02-01", "reason": "dismissed"}))
        .await;
    assert_eq!(r.status(), 201, "registered unemployed and seeking work");
    let form = with_bank(json!({"person_id": pid, "involuntary": false, "separated_on": "2026-01-31"}));
    let r = app.post(&c.clerk, "/api/v1/benefits/unemployment", &form).await;
    assert_eq!(r.status(), 422);
    assert_eq!(r.json::<Value>().await.unwrap()["error"]["fields"][0]["code"], "unemployment.not_involuntary");
    let form = with_bank(json!({"person_id": pid, "involuntary": true, "separated_on": "2026-01-31"}));
    let claim: Value = app.post(&c.clerk, "/api/v1/benefits/unemployment", &form).await.json().await.unwrap();
    assert_eq!(claim["calculation"]["contributed_months"], 36, "{claim}");
    assert_eq!(claim["calculation"]["entitled_months"], 12);
    assert_eq!(claim["amount_fen"], 180_000, "90% of the 2,000 yuan minimum wage");
    assert_eq!((claim["start_period"].as_str(), claim["end_period"].as_str()), (Some("2026-02-01"), Some("2027-01-01")));
    let id = claim["id"].as_i64().unwrap();
    assert_eq!(app.post(&c.reviewer, &format!("/api/v1/benefits/claims/{id}/approve"), &json!({})).await.status(), 200);

    // June's batch is generated (not yet exported): February to June are due.
    let june: Value = app.post(&c.reviewer, "/api/v1/payments/batches", &json!({"period": "2026-06"})).await.json().await.unwrap();
    assert_eq!(june["lines"], 5, "{june}");
    // Hired again in June: the benefit ends with May.
    let r = app
        .post(&c.clerk, "/api/v1/employments", &json!({"person_id": pid, "employer_id": c.employer_id, "start_date": "2026-06-10"}))
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let after: Value = app.get(&c.clerk, &format!("/api/v1/benefits/claims/{id}")).await.json().await.unwrap();
    assert_eq!((after["status"].as_str(), after["end_period"].as_str()), (Some("stopped"), Some("2026-05-01")), "{after}");
    let june: Value = app.get(&c.reviewer, &format!("/api/v1/payments/batches/{}", june["id"])).await.json().await.unwrap();
    assert_eq!(june["lines"], 4, "June's draft line went with the stop: {june}");

    // Maternity: 6,000 / 30 × 98 days, paid once, by post.
    let mid = person_id(&app, &mother);
    let form = json!({"person_id": mid, "employer_id": c.employer_id, "case": "birth", "event_date": "2026-09-12",
                      "employer_avg_wage": "6000", "channel": "post", "post_address": "许昌市建安区某村邮政所"});
    let r = app.post(&c.clerk, "/api/v1/benefits/maternity", &form).await;
    assert_eq!(r.status(), 201);
    let m: Value = r.json().await.unwrap();
    assert_eq!(m["amount_fen"], 1_960_000, "{m}");
    assert_eq!(m["monthly"], false);
    // Once approved, a one-off allowance does not stand in the way of a later one.
    let mid_claim = m["id"].as_i64().unwrap();
    assert_eq!(app.post(&c.reviewer, &format!("/api/v1/benefits/claims/{mid_claim}/approve"), &json!({})).await.status(), 200);
    let same = json!({"person_id": mid, "employer_id": c.employer_id, "case": "birth", "event_date": "2026-09-12",
                      "employer_avg_wage": "6000", "channel": "post", "post_address": "许昌市建安区某村邮政所"});
    let r = app.post(&c.clerk, "/api/v1/benefits/maternity", &same).await;
    assert_eq!(r.status(), 409, "the same birth twice");
    let many = json!({"person_id": mid, "employer_id": c.employer_id, "case": "birth", "babies": 100, "event_date": "2026-10-12",
                      "employer_avg_wage": "6000", "channel": "post", "post_address": "x"});
    assert_eq!(app.post(&c.clerk, "/api/v1/benefits/maternity", &many).await.status(), 422);
    let second = json!({"person_id": mid, "employer_id": c.employer_id, "case": "miscarriage", "event_date": "2026-11-02",
                        "employer_avg_wage": "6000", "channel": "post", "post_address": "许昌市建安区某村邮政所"});
    let r = app.post(&c.clerk, "/api/v1/benefits/maternity", &second).await;
    assert_eq!(r.status(), 201);
    assert_eq!(r.json::<Value>().await.unwrap()["amount_fen"], 300_000, "15 days: 6,000 / 30 × 15");
    let r = app
        .post(
            &c.clerk,
            "/api/v1/benefits/maternity",
            &json!({"person_id": pid, "employer_id": c.employer_id, "case": "birth",
        "event_date": "2026-09-12", "employer_avg_wage": "6000", "channel": "post", "post_address": "x"}),
        )
        .await;
    assert_eq!(r.status(), 422, "a man cannot claim maternity allowance");
}

#[tokio::test(flavor = "multi_thread")]
async fn batches_pay_each_month_once_whatever_is_regenerated_or_reimported_and_feed_the_ledger() {
    let app = TestApp::start().await;
    let retiree = id_number("411002", "19640615", 11);
    let mother = id_number("411002", "19920404", 24);
    let employer = credit_code("411000", "MA0000031");
    let c = city(&app, &[(&retiree, "王退休"), (&mother, "钱生育")], &retiree_history(&retiree, &employer)).await;
    configure_reference_wages(&app, "411000");
    let pid = person_id(&app, &retiree);
    let p: Value = app
        .post(&c.clerk, "/api/v1/benefits/pension", &with_bank(json!({"person_id": pid, "category": "male", "deemed_months": 180})))
        .await
        .json()
        .await
        .unwrap();
    let m: Value = app
        .post(
            &c.clerk,
            "/api/v1/benefits/maternity",
            &json!({"person_id": person_id(&app, &mother), "employer_id": c.employer_id, "case": "birth",
            "event_date": "2026-09-12", "employer_avg_wage": "6000", "channel": "post", "post_address": "许昌市建安区某村邮政所"}),
        )
        .await
        .json()
        .await
        .unwrap();
    for claim in [&p, &m] {
        let id = claim["id"].as_i64().unwrap();
        assert_eq!(app.post(&c.reviewer, &format!("/api/v1/benefits/claims/{id}/approve"), &json!({})).await.status(), 200);
    }
    assert_eq!(app.post(&c.clerk, "/api/v1/payments/batches", &json!({"period": "2026-11"})).await.status(), 403);

    // November: the pension from 2024-07 (29 months, the back months included) and the allowance.
    let b: Value = app.post(&c.reviewer, "/api/v1/payments/batches", &json!({"period": "2026-11"})).await.json().await.unwrap();
    assert_eq!((b["lines"].as_i64(), b["bank_lines"].as_i64(), b["post_lines"].as_i64()), (Some(30), Some(29), Some(1)), "{b}");
    assert_eq!(b["total_fen"], 29 * 255_735 + 1_960_000);
    let again: Value = app.post(&c.reviewer, "/api/v1/payments/batches", &json!({"period": "2026-11"})).await.json().await.unwrap();
    assert_eq!((again["id"].clone(), again["lines"].clone()), (b["id"].clone(), b["lines"].clone()), "generating again adds nothing");
    let batch = b["id"].as_i64().unwrap();

    assert_eq!(app.post(&c.reviewer, &format!("/api/v1/payments/batches/{batch}/export"), &json!({})).await.status(), 200);
    let bank = app.get(&c.reviewer, &format!("/api/v1/payments/batches/{batch}/bank.csv")).await.bytes().await.unwrap();
    assert!(jinbao_app::payment_files::checksum_ok(&bank));
    let text = String::from_utf8(bank.to_vec()).unwrap();
    assert!(text.contains("\nTOTAL,29,74163.15\n"), "29 × 2,557.35: {text}");
    let post = app.get(&c.reviewer, &format!("/api/v1/payments/batches/{batch}/post.csv")).await.text().await.unwrap();
    assert!(post.contains("某村邮政所") && post.contains("\nTOTAL,1,19600.00\n"), "{post}");

    // Results: all paid but one pension month, which failed.
    let ids: Vec<i64> = text.lines().skip(1).filter_map(|l| l.split(',').next()?.parse().ok()).collect();
    let post_id: i64 = post.lines().nth(1).unwrap().split(',').next().unwrap().parse().unwrap();
    let mut results = String::from("line_id,status,reason,reference\n");
    for (i, id) in ids.iter().enumerate() {
        results.push_str(&if i == 0 { format!("{id},failed,账户已销户,\n") } else { format!("{id},paid,,B{id}\n") });
    }
    results.push_str(&format!("{post_id},成功,,P1\n"));
    let send = |body: String| {
        app.client.post(app.url(&format!("/api/v1/payments/batches/{batch}/results"))).bearer_auth(&c.reviewer).body(body).send()
    };
    let v: Value = send(results.clone()).await.unwrap().json().await.unwrap();
    assert_eq!((v["applied"].as_i64(), v["unchanged"].as_i64()), (Some(30), Some(0)), "{v}");
    assert_eq!(v["batch"]["status"], "closed");
    let v: Value = send(results).await.unwrap().json().await.unwrap();
    assert_eq!((v["applied"].as_i64(), v["unchanged"].as_i64()), (Some(0), Some(30)), "re-imported: nothing changes");
    let v: Value = send(format!("line_id,status,reason\n{},failed,退票\n999999,paid,\n", ids[1])).await.unwrap().json().await.unwrap();
    let codes: Vec<&str> = v["problems"].as_array().unwrap().iter().map(|p| p["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["payment.result_conflict", "payment.unknown_line"], "{v}");

    // The retiree's account was closed: the clerk proposes the new one, a reviewer approves it.
    let pension_id = p["id"].as_i64().unwrap();
    let change =
        json!({"channel": "bank", "bank_name": "中国农业银行许昌分行", "account_no": "6228480000009999", "reason": "原账户已销户"});
    let r = app.post(&c.clerk, &format!("/api/v1/benefits/claims/{pension_id}/channel"), &change).await;
    assert_eq!(r.status(), 201);
    let change: Value = r.json().await.unwrap();
    let r = app.post(&c.reviewer, &format!("/api/v1/benefits/channel-changes/{}/approve", change["id"]), &json!({})).await;
    assert_eq!(r.status(), 200);
    // October's batch, made later, carries only the reissue of the failed month, to the new account.
    let oct: Value = app.post(&c.reviewer, "/api/v1/payments/batches", &json!({"period": "2026-10"})).await.json().await.unwrap();
    assert_eq!((oct["lines"].as_i64(), oct["reissues"].as_i64()), (Some(1), Some(1)), "{oct}");
    assert_eq!(app.post(&c.reviewer, &format!("/api/v1/payments/batches/{}/export", oct["id"]), &json!({})).await.status(), 200);
    let oct_file = app.get(&c.reviewer, &format!("/api/v1/payments/batches/{}/bank.csv", oct["id"])).await.text().await.unwrap();
    assert!(oct_file.contains("6228480000009999") && oct_file.contains("\nTOTAL,1,2557.35\n"), "{oct_file}");
    let paid_twice = count_sql(
        &app,
        "411000",
        "SELECT count(*) AS n FROM (SELECT claim_id, period FROM payment_line WHERE status <> 'failed'
                                                 GROUP BY claim_id, period HAVING count(*) > 1) d",
    );
    assert_eq!(paid_twice, 0);

    // The ledger's 2026 expenditure is what was paid in 2026 batches.
    let fin = app.token("411000", "fin", &["finance_viewer"]).await;
    let l: Value = app.get(&fin, "/api/v1/finance/ledger?year=2026").await.json().await.unwrap();
    let spent: i64 = l["lines"].as_array().unwrap().iter().map(|x| x["expenditure_fen"].as_i64().unwrap()).sum();
    assert_eq!(spent, 28 * 255_735 + 1_960_000, "{l}");
    let pension = l["lines"].as_array().unwrap().iter().find(|x| x["insurance_type"] == "pension").unwrap();
    assert_eq!(pension["subsidy_fen"], 28 * 255_735, "no pension income recorded: all of it needs subsidy");
    assert_eq!(app.get(&c.clerk, "/api/v1/finance/ledger?year=2026").await.status(), 403);
    // The provincial finance department sees every city's figures; a city's finance bureau does not.
    let province_fin = app.token("410000", "provfin", &["finance_viewer"]).await;
    let pv: Value = app.get(&province_fin, "/api/v1/province/finance?year=2026").await.json().await.unwrap();
    let xc = pv["cities"].as_array().unwrap().iter().find(|x| x["code"] == "411000").unwrap();
    let fund = |k: &str| xc["funds"].as_array().unwrap().iter().find(|f| f["insurance_type"] == k).unwrap().clone();
    assert_eq!(
        (fund("pension")["expenditure_fen"].as_i64(), fund("maternity")["expenditure_fen"].as_i64()),
        (Some(28 * 255_735), Some(1_960_000)),
        "{pv}"
    );
    assert_eq!((fund("pension")["subsidy_fen"].as_i64(), fund("maternity")["subsidy_fen"].as_i64()), (Some(28 * 255_735), Some(1_960_000)));
    assert_eq!(app.get(&fin, "/api/v1/province/finance?year=2026").await.status(), 403);
    // Another city sees none of these claims or batches.
    let zk = app.token("411600", "clerk", &["clerk", "reviewer"]).await;
    assert_eq!(app.get(&zk, &format!("/api/v1/benefits/claims/{}", p["id"])).await.status(), 404);
    assert_eq!(app.get(&zk, &format!("/api/v1/payments/batches/{batch}")).await.status(), 404);
    let zk_claims: Value = app.get(&zk, "/api/v1/benefits/claims?status=approved").await.json().await.unwrap();
    assert_eq!(zk_claims["items"], json!([]));

    // Aggregates equal a recount; the audit chain is intact.
    let tid = app.tenant_id("411000");
    let diff = app.db.tenant(tid, Actor::system("test"), |tx| Ok(stats::differences(stats::current(tx)?, stats::recount(tx)?))).unwrap();
    assert!(diff.is_empty(), "{diff:?}");
    app.db.tenant(tid, Actor::system("test"), audit::seal).unwrap();
    assert_eq!(app.db.tenant(tid, Actor::system("test"), audit::verify).unwrap().first_broken, None);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_year_without_an_average_wage_is_named_in_the_refusal() {
    let app = TestApp::start().await;
    let retiree = id_number("411002", "19640301", 17);
    let employer = credit_code("411000", "MA0000031");
    let months: Vec<(i32, u32, i64)> = (1..=12).map(|m| (2019, m, 5000)).collect();
    let c = city(&app, &[(&retiree, "郑年份")], &history(&retiree, &employer, "养老", &months)).await;
    let form = with_bank(json!({"person_id": person_id(&app, &retiree), "category": "male", "deemed_months": 180}));
    let r = app.post(&c.clerk, "/api/v1/benefits/pension", &form).await;
    assert_eq!(r.status(), 422);
    let v: Value = r.json().await.unwrap();
    let f = &v["error"]["fields"][0];
    assert_eq!((f["field"].as_str(), f["code"].as_str()), (Some("years.2019"), Some("pension.avg_wage_missing")), "{v}");
    assert_eq!(f["label"], "缴费年度 2019", "{v}");
}
