//! Medical bills settled by the province's default parameters (level 3 inpatient: deductible
//! 1,000, fund 85 %; later stays half the deductible; class B 10 % first; docs/benefits.md
//! "Medical settlement"), the personal account credited from a paid month and paying first, two
//! people on every settlement, the year's figures carried from one bill to the next, hostile lines
//! refused with nothing saved, and the medical fund's expenditure in the ledger.

use jinbao_tests::{count_sql, credit_code, id_number, register_employer, wait_job, TestApp};
use serde_json::{json, Value};

fn bill(person: i64, date: &str, lines: Value) -> Value {
    json!({"person_id": person, "setting": "inpatient", "hospital": "许昌市中心医院", "hospital_level": 3,
           "admitted_on": "2026-08-01", "bill_date": date, "lines": lines})
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bill_is_split_to_the_fen_decided_by_two_people_and_counted_in_the_year() {
    let app = TestApp::start().await;
    let clerk = app.token("411000", "clerk", &["clerk"]).await;
    let reviewer = app.token("411000", "reviewer", &["reviewer"]).await;
    let e = register_employer(&app, &clerk, &credit_code("411000", "MA0000081"), "许昌医药").await["id"].as_i64().unwrap();
    let worker = id_number("411002", "19880808", 23);
    let r = app
        .post(
            &clerk,
            "/api/v1/enrolments",
            &json!({"person": {"id_number": worker, "name": "卫医保"}, "employer_id": e, "start_period": "2026-07",
                    "declared_wage": "5000", "insurance_types": ["medical"]}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let person = r.json::<Value>().await.unwrap()["person_id"].as_i64().unwrap();
    let r = app.post(&clerk, "/api/v1/assessments/runs", &json!({"period": "2026-07"})).await;
    assert_eq!(r.status(), 202);
    wait_job(&app, &clerk, r.json::<Value>().await.unwrap()["job_id"].as_i64().unwrap()).await;
    // 5,000 × (8 % + 2 %) = 500.00 owed for July, paid in full.
    let due = count_sql(
        &app,
        "411000",
        &format!("SELECT sum(due_fen)::bigint AS n FROM employer_due WHERE employer_id = {e} AND period = '2026-07-01'"),
    );
    assert_eq!(due, 50_000);
    let r = app
        .post(&clerk, "/api/v1/collections", &json!({"employer_id": e, "period": "2026-07", "amount": "500.00", "paid_on": "2026-08-05", "channel": "bank", "bank_ref": "M07"}))
        .await;
    assert_eq!(r.status(), 201);
    // The month credits the employee's own 2 % (100.00) once.
    assert_eq!(app.post(&clerk, "/api/v1/medical/accounts/credits", &json!({"period": "2026-07"})).await.status(), 403);
    let c: Value = app.post(&reviewer, "/api/v1/medical/accounts/credits", &json!({"period": "2026-07"})).await.json().await.unwrap();
    assert_eq!((c["contributions"].as_i64(), c["contribution_fen"].as_i64()), (Some(1), Some(10_000)), "{c}");
    let again: Value = app.post(&reviewer, "/api/v1/medical/accounts/credits", &json!({"period": "2026-07"})).await.json().await.unwrap();
    assert_eq!(again["contributions"].as_i64(), Some(0));
    let account: Value = app.get(&clerk, &format!("/api/v1/medical/accounts/{person}")).await.json().await.unwrap();
    assert_eq!(account["balance_fen"].as_i64(), Some(10_000));

    // Hostile lines: refused with the line named, nothing saved.
    for (lines, field, code) in [
        (json!([{"code": "A001", "class": "A", "amount": "abc"}]), "lines[0].amount", "money.format"),
        (json!([{"code": "A001", "class": "D", "amount": "1"}]), "lines[0].class", "medical.class"),
        (
            json!([{"code": "A001", "class": "A", "amount": "1"}, {"code": "", "class": "A", "amount": "1"}]),
            "lines[1].code",
            "medical.code",
        ),
        (json!([{"code": "A001", "class": "A", "amount": "1000001"}]), "lines[0].amount", "medical.amount"),
        (json!([]), "lines", "medical.lines_count"),
        (json!(vec![json!({"code": "A", "class": "A", "amount": "1"}); 501]), "lines", "medical.lines_count"),
    ] {
        let r = app.post(&clerk, "/api/v1/medical/settlements", &bill(person, "2026-08-20", lines)).await;
        assert_eq!(r.status(), 422);
        let v: Value = r.json().await.unwrap();
        assert_eq!((v["error"]["fields"][0]["field"].as_str(), v["error"]["fields"][0]["code"].as_str()), (Some(field), Some(code)), "{v}");
    }
    let mut nul = bill(person, "2026-08-20", json!([{"code": "A001", "class": "A", "amount": "1"}]));
    nul["hospital"] = json!("医院\u{0}");
    assert_eq!(app.post(&clerk, "/api/v1/medical/settlements", &nul).await.status(), 422);
    assert_eq!(count_sql(&app, "411000", "SELECT count(*) AS n FROM medical_settlement"), 0);

    // A 8,000 + B 2,000 (200 first by the person) + C 500 (the person's) = 10,500: policy 9,800,
    // deductible 1,000 (the account's 100.00 first), fund 85 % of 8,800 = 7,480.00, co-payment
    // 1,320.00; the person pays 900 + 1,320 + 200 + 500 = 2,920.00. Full-width digits are read.
    let first = bill(
        person,
        "2026-08-20",
        json!([{"code": "Z001", "class": "甲", "amount": "８０００"}, {"code": "Y001", "class": "B", "amount": 2000},
                                                   {"code": "X001", "class": "C", "amount": "500.00"}]),
    );
    let p: Value = app.post(&clerk, "/api/v1/medical/settlements?preview=true", &first).await.json().await.unwrap();
    let s = &p["settlement"];
    assert_eq!(
        [s["total_fen"].as_i64(), s["fund_fen"].as_i64(), s["serious_fen"].as_i64(), s["account_fen"].as_i64(), s["person_fen"].as_i64()],
        [Some(1_050_000), Some(748_000), Some(0), Some(10_000), Some(292_000)],
        "{p}"
    );
    let rules: Vec<(String, String, i64)> = s["calculation"]["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["payer"].as_str().unwrap().to_string(), p["rule"].as_str().unwrap().to_string(), p["amount"].as_i64().unwrap()))
        .collect();
    assert!(
        rules.contains(&("account".into(), "deductible".into(), 10_000)) && rules.contains(&("person".into(), "deductible".into(), 90_000)),
        "{rules:?}"
    );
    assert_eq!(count_sql(&app, "411000", "SELECT count(*) AS n FROM medical_settlement"), 0, "a preview saves nothing");
    let both = app.token("411000", "both", &["clerk", "reviewer"]).await;
    let r = app.post(&both, "/api/v1/medical/settlements", &first).await;
    assert_eq!(r.status(), 201);
    let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    // One open proposal per person.
    assert_eq!(app.post(&clerk, "/api/v1/medical/settlements", &first).await.status(), 409);
    let r = app.post(&both, &format!("/api/v1/medical/settlements/{id}/approve"), &json!({})).await;
    assert_eq!(r.status(), 422);
    assert_eq!(app.post(&reviewer, &format!("/api/v1/medical/settlements/{id}/approve"), &json!({})).await.status(), 200);
    assert_eq!(app.post(&reviewer, &format!("/api/v1/medical/settlements/{id}/approve"), &json!({})).await.status(), 409);
    let account: Value = app.get(&clerk, &format!("/api/v1/medical/accounts/{person}")).await.json().await.unwrap();
    assert_eq!(account["balance_fen"].as_i64(), Some(0));

    // The second stay of the year: deductible 500 (50 %), fund 85 % of 2,500 = 2,125.00.
    let second: Value = app
        .post(&clerk, "/api/v1/medical/settlements", &bill(person, "2026-09-10", json!([{"code": "Z002", "class": "A", "amount": "3000"}])))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!((second["calculation"]["deductible"].as_i64(), second["fund_fen"].as_i64()), (Some(50_000), Some(212_500)), "{second}");
    assert_eq!(second["inputs"]["year_before"]["stays"].as_i64(), Some(1));
    let r = app.post(&reviewer, &format!("/api/v1/medical/settlements/{}/reject", second["id"]), &json!({})).await;
    assert_eq!(r.status(), 422, "a rejection needs a note");
    app.post(&reviewer, &format!("/api/v1/medical/settlements/{}/approve", second["id"]), &json!({"note": "核对无误"})).await;

    // The medical fund spent the pooled and account parts in the bills' months.
    let fin = app.token("411000", "finance", &["reviewer"]).await;
    let ledger: Value = app.get(&fin, "/api/v1/finance/ledger?year=2026").await.json().await.unwrap();
    let spent = |month: &str| jinbao_tests::ledger_spent(&ledger, "medical", month);
    assert_eq!((spent("2026-08-01"), spent("2026-09-01")), (758_000, 212_500), "{ledger}");
    // Audited with both people.
    let audited = count_sql(
        &app,
        "411000",
        &format!("SELECT count(*) AS n FROM audit_log WHERE entity = 'medical_settlement' AND entity_id = '{id}'"),
    );
    assert_eq!(audited, 2);
}

/// The page keeps what the clerk typed: after a preview the lines come back exactly as sent.
#[tokio::test(flavor = "multi_thread")]
async fn the_bill_page_keeps_the_lines_as_typed() {
    let app = TestApp::start().await;
    let b = jinbao_tests::staff_browser(&app, "411000", "clerk-pages", &["clerk"]).await;
    let form = b.get(app.url("/medical/new")).send().await.unwrap().text().await.unwrap();
    let csrf = jinbao_tests::hidden(&form, "csrf");
    let typed = "Z001, 甲, 8000\r\nY001, 乙, 2000\r\nX001, 丙, 500";
    let r = jinbao_tests::post_form(
        &b,
        app.url("/medical"),
        &[
            ("csrf", &csrf),
            ("person_id", "999999"),
            ("setting", "inpatient"),
            ("hospital", "许昌市中心医院"),
            ("hospital_level", "3"),
            ("bill_date", "2026-08-20"),
            ("lines_text", typed),
            ("preview", "1"),
        ],
    )
    .await;
    assert_eq!(r.status(), 422, "an unknown person");
    let html = r.text().await.unwrap();
    let start = html.find("name=\"lines_text\"").unwrap();
    let body = &html[start..];
    let content = &body[body.find('>').unwrap() + 1..body.find("</textarea>").unwrap()];
    assert_eq!(content.replace("\r\n", "\n"), typed.replace("\r\n", "\n"), "{content:?}");
}

/// The province imports its catalogue; from its month every city's settlement takes each line's
/// class from it: a code it lacks and a class typed otherwise are refused, the class may be left out.
#[tokio::test(flavor = "multi_thread")]
async fn the_province_catalogue_decides_the_class_of_every_line() {
    let app = TestApp::start().await;
    let province = app.token("410000", "medadmin", &["city_admin"]).await;
    let city_admin = app.token("411000", "admin", &["city_admin"]).await;
    let send = |token: &str, q: &str, body: &str| {
        app.client.post(app.url(&format!("/api/v1/medical/catalogue?{q}"))).bearer_auth(token).body(body.to_string()).send()
    };
    let file = "编码,名称,类别,单价\nZ001,阿莫西林胶囊,甲,12.50\nY001,胸部CT,乙,260\nX001,进口人工晶体,丙,\n";
    let r = send(&city_admin, "version=HN2026&effective_from=2026-01", file).await.unwrap();
    assert_eq!(r.status(), 403, "a city does not import the province's catalogue");
    let r =
        send(&province, "version=HN2026&effective_from=2026-01", "编码,名称,类别\nZ001,甲药,甲\nZ001,重复,甲\nW001,药,丁\n").await.unwrap();
    assert_eq!(r.status(), 422);
    let v: Value = r.json().await.unwrap();
    let fields: Vec<(&str, &str)> =
        v["error"]["fields"].as_array().unwrap().iter().map(|f| (f["field"].as_str().unwrap(), f["code"].as_str().unwrap())).collect();
    assert_eq!(fields, [("rows[3].code", "catalogue.duplicate_code"), ("rows[4].class", "medical.class")]);
    let listed: Value = app.get(&province, "/api/v1/medical/catalogue").await.json().await.unwrap();
    assert_eq!(listed["items"].as_array().unwrap().len(), 0, "a refused file imports nothing");
    let r = send(&province, "version=HN2026&effective_from=2026-01", file).await.unwrap();
    assert_eq!(r.status(), 201);
    assert_eq!(r.json::<Value>().await.unwrap()["items"].as_i64(), Some(3));
    assert_eq!(send(&province, "version=HN2026&effective_from=2026-02", file).await.unwrap().status(), 409, "a version never changes");
    let r = send(&province, "version=HN2025&effective_from=2025-06", file).await.unwrap();
    assert_eq!(r.status(), 409, "no version slipped in before another: settled bills keep their classes");
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"]["fields"][0]["code"], "catalogue.not_later");
    // The province's page shows the versions; its administrator imports there.
    let admin_page = jinbao_tests::staff_browser(&app, "410000", "medadmin2", &["city_admin"]).await;
    let html = admin_page.get(app.url("/medical/catalogue")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("HN2026") && html.contains("id=\"catalogue-form\""));

    let clerk = app.token("411000", "clerk", &["clerk"]).await;
    let person = jinbao_tests::register_person(&app, &clerk, &id_number("411002", "19750505", 25), "许目录").await["id"].as_i64().unwrap();
    let settle = |date: &str, lines: Value| bill(person, date, lines);
    let preview = |body: Value| {
        let clerk = clerk.clone();
        let app = &app;
        async move { app.post(&clerk, "/api/v1/medical/settlements?preview=true", &body).await }
    };
    // The catalogue's class, the class left out: Y001 is class B (200 of 2,000 first by the person).
    let r = preview(settle("2026-08-20", json!([{"code": "Y001", "amount": "2000"}]))).await;
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["settlement"]["inputs"]["catalogue_version"], "HN2026");
    assert_eq!(v["settlement"]["lines"][0]["class"], "B");
    for (lines, field, code) in [
        (json!([{"code": "Q999", "amount": "10"}]), "lines[0].code", "medical.unknown_code"),
        (json!([{"code": "X001", "class": "A", "amount": "10"}]), "lines[0].class", "medical.class_mismatch"),
    ] {
        let r = preview(settle("2026-08-20", lines)).await;
        assert_eq!(r.status(), 422);
        let v: Value = r.json().await.unwrap();
        assert_eq!((v["error"]["fields"][0]["field"].as_str(), v["error"]["fields"][0]["code"].as_str()), (Some(field), Some(code)), "{v}");
    }
    // Codes are matched as the catalogue keeps them: `ｙ００１` is Y001.
    let r = preview(settle("2026-08-20", json!([{"code": "ｙ００１", "amount": "100"}]))).await;
    assert_eq!(r.status(), 200);
    // A code with a NUL typed on the page is a refused line, never a fault.
    let b = jinbao_tests::staff_browser(&app, "411000", "clerk-nul", &["clerk"]).await;
    let form = b.get(app.url("/medical/new")).send().await.unwrap().text().await.unwrap();
    let person_text = person.to_string();
    let r = jinbao_tests::post_form(
        &b,
        app.url("/medical"),
        &[
            ("csrf", &jinbao_tests::hidden(&form, "csrf")),
            ("person_id", &person_text),
            ("setting", "inpatient"),
            ("hospital", "许昌市中心医院"),
            ("hospital_level", "3"),
            ("bill_date", "2026-08-20"),
            ("lines_text", "Z0\u{0}01, 甲, 10"),
            ("preview", "1"),
        ],
    )
    .await;
    assert_eq!(r.status(), 422);
    // Before the catalogue's month the typed class counts, and a code it lacks is no problem.
    let mut before = settle("2025-12-10", json!([{"code": "Q999", "class": "A", "amount": "10"}]));
    before["admitted_on"] = json!(null);
    let r = preview(before).await;
    assert_eq!(r.status(), 200);
}
