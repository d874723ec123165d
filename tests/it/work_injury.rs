//! Work injury end to end: the report with its deadlines, the recognition decided by a second
//! person, the assessment, the benefits computed from the person's own wage (hand-checked figures,
//! docs/benefits.md "Work injury") and paid in the monthly batch — and a death at an employer that
//! was not insured, whose benefits are the employer's and never enter a batch.

use jinbao_tests::{count_sql, credit_code, id_number, register_employer, register_person, TestApp};
use serde_json::{json, Value};

const BANK: [(&str, &str); 3] = [("channel", "bank"), ("bank_name", "中国工商银行许昌分行"), ("account_no", "6222020200001234567")];

fn with_bank(mut v: Value) -> Value {
    for (k, val) in BANK {
        v[k] = json!(val);
    }
    v
}

async fn created(app: &TestApp, token: &str, path: &str, body: &Value) -> Value {
    let r = app.post(token, path, body).await;
    let status = r.status();
    let v: Value = r.json().await.unwrap();
    assert_eq!(status, 201, "{path}: {v}");
    v
}

async fn ok(app: &TestApp, token: &str, path: &str, body: &Value) -> Value {
    let r = app.post(token, path, body).await;
    let status = r.status();
    let v: Value = r.json().await.unwrap();
    assert_eq!(status, 200, "{path}: {v}");
    v
}

fn field_code(v: &Value) -> (String, String) {
    let f = &v["error"]["fields"][0];
    (f["field"].as_str().unwrap_or("").to_string(), f["code"].as_str().unwrap_or("").to_string())
}

/// Xuchang (average monthly wage 6,385 from 2025-07): a worker insured for work injury, twelve
/// months of work-injury bases before the accident (six at 5,000, six at 6,000: wage 5,500.00).
#[tokio::test(flavor = "multi_thread")]
async fn an_injury_goes_from_report_to_recognition_assessment_and_paid_benefits() {
    let app = TestApp::start().await;
    let admin = app.token("411000", "admin", &["city_admin"]).await;
    let clerk = app.token("411000", "clerk", &["clerk"]).await;
    let reviewer = app.token("411000", "reviewer", &["reviewer"]).await;
    let code = credit_code("411000", "MA0000071");
    let employer = register_employer(&app, &clerk, &code, "许昌锻压厂").await["id"].as_i64().unwrap();
    let worker = id_number("411002", "19850310", 17);
    let enrol = json!({"person": {"id_number": worker, "name": "郑工伤"}, "employer_id": employer, "start_period": "2026-01",
                       "declared_wage": "5500", "insurance_types": ["pension", "medical", "unemployment", "work_injury"]});
    assert_eq!(app.post(&clerk, "/api/v1/enrolments", &enrol).await.status(), 201);
    let person = count_sql(&app, "411000", &format!("SELECT id AS n FROM person WHERE id_number = '{worker}'"));
    let mut history = String::from("身份证号码,统一社会信用代码,险种,费款所属期,缴费基数,单位缴费,个人缴费\n");
    for (y, m) in [(2025, 3), (2025, 4), (2025, 5), (2025, 6), (2025, 7), (2025, 8)] {
        history.push_str(&format!("{worker},{code},工伤,{y}-{m:02},5000,20.00,0\n"));
    }
    for (y, m) in [(2025, 9), (2025, 10), (2025, 11), (2025, 12), (2026, 1), (2026, 2)] {
        history.push_str(&format!("{worker},{code},工伤,{y}-{m:02},6000,24.00,0\n"));
    }
    // A month outside the twelve counts for nothing.
    history.push_str(&format!("{worker},{code},工伤,2025-02,19000,76.00,0\n"));
    let r = app.client.post(app.url("/api/v1/imports/contributions")).bearer_auth(&admin).body(history.into_bytes()).send().await.unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());

    // The employer reports 41 days after the accident: accepted, flagged late; the decision was
    // due 60 days after the report and is overdue today.
    let report = json!({"person_id": person, "employer_id": employer, "accident_date": "2026-03-10", "reported_on": "2026-04-20",
                        "reporter": "employer", "accident": "冲压作业时右手被模具压伤\n当班班长在场", "diagnosis": "右手第二、三指离断伤"});
    let case = created(&app, &clerk, "/api/v1/injury/cases", &report).await;
    let id = case["id"].as_i64().unwrap();
    assert_eq!((case["late_report"].as_bool(), case["report_due"].as_str()), (Some(true), Some("2026-04-09")));
    assert_eq!(
        (case["decision_due"].as_str(), case["overdue"].as_bool(), case["fund_covers"].as_bool()),
        (Some("2026-06-19"), Some(true), Some(true))
    );
    // Hostile or impossible reports change nothing.
    let before = count_sql(&app, "411000", "SELECT count(*) AS n FROM injury_case");
    for (patch, field, code) in [
        (json!({"reported_on": "2027-05-01"}), "reported_on", "date.future"),
        (json!({"reported_on": "2026-03-01"}), "reported_on", "injury.report_before_accident"),
        (
            json!({"accident_date": "2025-01-02", "reported_on": "2026-04-20", "reporter": "worker"}),
            "reported_on",
            "injury.report_too_late",
        ),
        (json!({"reporter": "boss"}), "reporter", "injury.reporter"),
        (json!({"accident": "a\u{0}b"}), "accident", "text.nul"),
        (json!({"diagnosis": "诊".repeat(501)}), "diagnosis", "text.too_long"),
    ] {
        let mut body = report.clone();
        body.as_object_mut().unwrap().extend(patch.as_object().unwrap().clone());
        let r = app.post(&clerk, "/api/v1/injury/cases", &body).await;
        assert_eq!(r.status(), 422);
        assert_eq!(field_code(&r.json().await.unwrap()), (field.to_string(), code.to_string()));
    }
    assert_eq!(count_sql(&app, "411000", "SELECT count(*) AS n FROM injury_case"), before);
    let open: Value = app.get(&clerk, "/api/v1/injury/cases?open=true").await.json().await.unwrap();
    assert_eq!(open["items"][0]["id"].as_i64(), Some(id));

    // No benefit before recognition.
    let disability = with_bank(json!({"injury_case_id": id, "benefit": "injury_disability"}));
    let r = app.post(&clerk, "/api/v1/benefits/injury", &disability).await;
    assert_eq!((r.status().as_u16(), field_code(&r.json().await.unwrap()).1), (422, "injury.not_recognised".to_string()));

    // Recognition: proposed by the clerk, never decided by the clerk, decided by the reviewer.
    let recog =
        json!({"outcome": "recognised", "reason": "《工伤保险条例》第十四条第（一）项：在工作时间和工作场所内，因工作原因受到事故伤害"});
    let both = app.token("411000", "both", &["clerk", "reviewer"]).await;
    assert_eq!(ok(&app, &both, &format!("/api/v1/injury/cases/{id}/recognition"), &recog).await["status"], "proposed");
    let r = app.post(&clerk, &format!("/api/v1/injury/cases/{id}/recognition/approve"), &json!({})).await;
    assert_eq!(r.status(), 403, "a clerk has no approve permission");
    let self_review = both;
    let r = app.post(&self_review, &format!("/api/v1/injury/cases/{id}/recognition/approve"), &json!({})).await;
    assert_eq!((r.status().as_u16(), field_code(&r.json().await.unwrap()).1), (422, "benefit.same_person".to_string()));
    let case = ok(&app, &reviewer, &format!("/api/v1/injury/cases/{id}/recognition/approve"), &json!({"note": "材料齐全"})).await;
    assert_eq!((case["status"].as_str(), case["overdue"].as_bool()), (Some("recognised"), Some(false)));
    let r = app.post(&reviewer, &format!("/api/v1/injury/cases/{id}/recognition/approve"), &json!({})).await;
    assert_eq!(r.status(), 409);

    // Not assessed yet: no disability benefit; then grade 3, partial care.
    let r = app.post(&clerk, "/api/v1/benefits/injury", &disability).await;
    assert_eq!(field_code(&r.json().await.unwrap()).1, "injury.not_assessed");
    let r = app
        .post(
            &clerk,
            &format!("/api/v1/injury/cases/{id}/assessment"),
            &json!({"grade": 11, "assessed_on": "2026-08-15", "board": "许昌市劳动能力鉴定委员会"}),
        )
        .await;
    assert_eq!((r.status().as_u16(), field_code(&r.json().await.unwrap()).1), (422, "injury.grade".to_string()));
    let assessment = json!({"grade": 3, "care_level": "partial", "assessed_on": "2026-08-15", "board": "许昌市劳动能力鉴定委员会"});
    assert_eq!(ok(&app, &clerk, &format!("/api/v1/injury/cases/{id}/assessment"), &assessment).await["grade"], 3);

    // Wage: (6 × 5,000 + 6 × 6,000) ÷ 12 = 5,500.00, within 3,831.00–19,155.00 (60–300 % of 6,385).
    // One-time subsidy, grade 3: 23 months = 126,500.00.
    let preview: Value = app.post(&clerk, "/api/v1/benefits/injury?preview=true", &disability).await.json().await.unwrap();
    let k = &preview["claim"]["calculation"];
    assert_eq!(
        (k["wage"]["months"].as_i64(), k["wage"]["average"].as_i64(), k["wage"]["floor"].as_i64()),
        (Some(12), Some(550_000), Some(383_100))
    );
    assert_eq!((preview["claim"]["amount_fen"].as_i64(), preview["claim"]["payer"].as_str()), (Some(12_650_000), Some("fund")));
    let mut claims = Vec::new();
    for (benefit, amount, monthly, start) in [
        ("injury_disability", 12_650_000, false, "2026-08-01"),
        // Grade 3 allowance: 80 % of 5,500 = 4,400.00 a month from September (above the minimum wage).
        ("injury_allowance", 440_000, true, "2026-09-01"),
        // Partial care: 30 % of 6,385 = 1,915.50 a month.
        ("injury_nursing", 191_550, true, "2026-09-01"),
    ] {
        let c = created(&app, &clerk, "/api/v1/benefits/injury", &with_bank(json!({"injury_case_id": id, "benefit": benefit}))).await;
        assert_eq!(
            (c["amount_fen"].as_i64(), c["monthly"].as_bool(), c["start_period"].as_str()),
            (Some(amount), Some(monthly), Some(start)),
            "{c}"
        );
        assert_eq!(c["injury_case_id"].as_i64(), Some(id));
        claims.push(c["id"].as_i64().unwrap());
    }
    // One of each kind per case.
    let r = app.post(&clerk, "/api/v1/benefits/injury", &disability).await;
    assert_eq!(r.status(), 409);
    for claim in &claims {
        ok(&app, &reviewer, &format!("/api/v1/benefits/claims/{claim}/approve"), &json!({})).await;
    }

    // The November batch pays the subsidy once and September–November of both monthly benefits:
    // 126,500.00 + 3 × 4,400.00 + 3 × 1,915.50 = 145,446.50.
    let batch: Value = app.post(&reviewer, "/api/v1/payments/batches", &json!({"period": "2026-11"})).await.json().await.unwrap();
    let lines = count_sql(
        &app,
        "411000",
        &format!("SELECT count(*) AS n FROM payment_line WHERE batch_id = {} AND kind LIKE 'injury%'", batch["id"]),
    );
    let total = count_sql(
        &app,
        "411000",
        &format!("SELECT sum(amount_fen)::bigint AS n FROM payment_line WHERE batch_id = {} AND kind LIKE 'injury%'", batch["id"]),
    );
    assert_eq!((lines, total), (7, 14_544_650));
    // Paid: the work-injury fund's expenditure.
    let b = batch["id"].as_i64().unwrap();
    assert_eq!(app.post(&reviewer, &format!("/api/v1/payments/batches/{b}/export"), &json!({})).await.status(), 200);
    let ids: Vec<i64> = {
        let bank = app.get(&reviewer, &format!("/api/v1/payments/batches/{b}/bank.csv")).await.text().await.unwrap();
        bank.lines().skip(1).filter_map(|l| l.split(',').next()?.parse().ok()).collect()
    };
    let mut results = String::from("line_id,status,reason,reference\n");
    for line in &ids {
        results.push_str(&format!("{line},paid,,R{line}\n"));
    }
    let r = app
        .client
        .post(app.url(&format!("/api/v1/payments/batches/{b}/results")))
        .bearer_auth(&reviewer)
        .body(results)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let fin = app.token("411000", "finance", &["reviewer"]).await;
    let ledger: Value = app.get(&fin, "/api/v1/finance/ledger?year=2026").await.json().await.unwrap();
    let spent = jinbao_tests::ledger_spent(&ledger, "work_injury", "2026-11-01");
    assert_eq!(spent, 14_544_650, "{ledger}");
    let march = jinbao_tests::ledger_spent(&ledger, "work_injury", "2026-03-01");
    assert_eq!(march, 0, "the medical costs are settled below, after this read");
    // The injury's medical costs: within the catalogue the work-injury fund pays in full (A 8,000 +
    // B 2,000 = 10,000.00, no deductible, no class B share); class C 500.00 is not the fund's.
    let costs = json!({"person_id": person, "injury_case_id": id, "setting": "inpatient", "hospital": "许昌市中心医院", "hospital_level": 3,
                       "bill_date": "2026-03-25", "lines": [{"code": "Z001", "class": "A", "amount": "8000"}, {"code": "Y001", "class": "B", "amount": "2000"},
                                                            {"code": "X001", "class": "C", "amount": "500"}]});
    let s = created(&app, &clerk, "/api/v1/medical/settlements", &costs).await;
    assert_eq!(
        (s["fund_fen"].as_i64(), s["person_fen"].as_i64(), s["account_fen"].as_i64()),
        (Some(1_000_000), Some(50_000), Some(0)),
        "{s}"
    );
    let mut early = costs.clone();
    early["bill_date"] = json!("2026-03-01");
    let mut later = costs.clone();
    later["bill_date"] = json!("2026-03-26");
    let other = app.post(&clerk, "/api/v1/medical/settlements", &later).await;
    assert_eq!(other.status(), 409, "one open settlement a person");
    ok(&app, &reviewer, &format!("/api/v1/medical/settlements/{}/approve", s["id"]), &json!({})).await;
    let r = app.post(&clerk, "/api/v1/medical/settlements", &early).await;
    assert_eq!(field_code(&r.json().await.unwrap()), ("bill_date".to_string(), "injury.bill_before_accident".to_string()));
    let ledger: Value = app.get(&fin, "/api/v1/finance/ledger?year=2026").await.json().await.unwrap();
    let march = jinbao_tests::ledger_spent(&ledger, "work_injury", "2026-03-01");
    assert_eq!(march, 1_000_000, "the work-injury fund paid the injury's medical costs in the bill's month");
    let kinds: Vec<(String, String, i64)> = ledger["by_kind"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|k| k["insurance_type"] == "work_injury")
        .map(|k| {
            (k["period"].as_str().unwrap().to_string(), k["kind"].as_str().unwrap().to_string(), k["expenditure_fen"].as_i64().unwrap())
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("2026-03-01".to_string(), "injury_medical".to_string(), 1_000_000),
            ("2026-11-01".to_string(), "injury_allowance".to_string(), 1_320_000),
            ("2026-11-01".to_string(), "injury_disability".to_string(), 12_650_000),
            ("2026-11-01".to_string(), "injury_nursing".to_string(), 574_650),
        ]
    );
    // No contribution income recorded: a deficit covers no month.
    let fund = ledger["funds"].as_array().unwrap().iter().find(|f| f["insurance_type"] == "work_injury").unwrap().clone();
    assert_eq!((fund["expenditure_fen"].as_i64(), fund["months_covered_tenths"].as_i64()), (Some(15_544_650), Some(0)), "{fund}");
    // The employer's record for its floating-rate decision: this year's case, what the fund paid.
    let record: Value = app.get(&reviewer, &format!("/api/v1/employers/{employer}/injury-record")).await.json().await.unwrap();
    let y = &record["items"][0];
    assert_eq!(
        (y["year"].as_i64(), y["reported"].as_i64(), y["recognised"].as_i64(), y["benefits_paid_fen"].as_i64(), y["medical_fen"].as_i64()),
        (Some(2026), Some(1), Some(1), Some(14_544_650), Some(1_000_000)),
        "{record}"
    );
    // It is not the person's medical year.
    assert_eq!(
        count_sql(
            &app,
            "411000",
            &format!("SELECT count(*) AS n FROM medical_settlement WHERE person_id = {person} AND injury_case_id IS NULL")
        ),
        0
    );

    // No re-assessment while a benefit of the case waits for review.
    let pending = created(
        &app,
        &clerk,
        "/api/v1/benefits/injury",
        &with_bank(json!({"injury_case_id": id, "benefit": "injury_funeral",
                                                                                     "died_on": "2026-11-20", "from_injury": false})),
    )
    .await;
    let r = app.post(&clerk, &format!("/api/v1/injury/cases/{id}/assessment"), &assessment).await;
    assert_eq!((r.status().as_u16(), field_code(&r.json().await.unwrap()).1), (409, "injury.claims_pending".to_string()));
    // A grade 3 recipient who died of another cause: funeral subsidy (6 × 6,385 = 38,310.00) and
    // survivors, no death subsidy; approving the funeral subsidy ends the allowance and the nursing
    // care with the month of death.
    let r = app
        .post(
            &clerk,
            "/api/v1/benefits/injury",
            &with_bank(json!({"injury_case_id": id, "benefit": "injury_death", "died_on": "2026-11-20", "from_injury": false})),
        )
        .await;
    assert_eq!(field_code(&r.json().await.unwrap()), ("from_injury".to_string(), "injury.no_death_subsidy".to_string()));
    let r = app
        .post(
            &clerk,
            "/api/v1/benefits/injury",
            &with_bank(json!({"injury_case_id": id, "benefit": "injury_death", "died_on": "2026-11-20"})),
        )
        .await;
    assert_eq!(field_code(&r.json().await.unwrap()), ("from_injury".to_string(), "required".to_string()));
    assert_eq!(pending["amount_fen"].as_i64(), Some(3_831_000));
    ok(&app, &reviewer, &format!("/api/v1/benefits/claims/{}/approve", pending["id"]), &json!({})).await;
    for claim in &claims[1..] {
        let c: Value = app.get(&clerk, &format!("/api/v1/benefits/claims/{claim}")).await.json().await.unwrap();
        assert_eq!((c["status"].as_str(), c["end_period"].as_str()), (Some("stopped"), Some("2026-11-01")), "{c}");
    }

    // The audit trail names both people of each decision.
    let audited = count_sql(
        &app,
        "411000",
        &format!("SELECT count(*) AS n FROM audit_log WHERE entity = 'injury_case' AND entity_id = '{id}' AND action IN ('injury.report', 'injury.propose', 'injury.approve', 'injury.assess')"),
    );
    assert_eq!(audited, 4);
}

/// A death at an employer that had not insured the worker: every benefit is decided and recorded
/// as the employer's, and none enters a payment batch. Wage entered: 7,000.00.
#[tokio::test(flavor = "multi_thread")]
async fn a_death_at_an_uninsured_employer_is_the_employers_to_pay() {
    let app = TestApp::start().await;
    let clerk = app.token("411000", "clerk", &["clerk"]).await;
    let reviewer = app.token("411000", "reviewer", &["reviewer"]).await;
    let employer = register_employer(&app, &clerk, &credit_code("411000", "MA0000072"), "许昌建筑队").await["id"].as_i64().unwrap();
    let person = register_person(&app, &clerk, &id_number("411002", "19800808", 19), "孙亡故").await["id"].as_i64().unwrap();
    let case = created(
        &app,
        &clerk,
        "/api/v1/injury/cases",
        &json!({"person_id": person, "employer_id": employer, "accident_date": "2025-10-01", "reported_on": "2025-10-20",
                "reporter": "family", "accident": "高处坠落", "diagnosis": "颅脑损伤，抢救无效死亡"}),
    )
    .await;
    let id = case["id"].as_i64().unwrap();
    assert_eq!((case["fund_covers"].as_bool(), case["late_report"].as_bool()), (Some(false), Some(false)));
    ok(&app, &clerk, &format!("/api/v1/injury/cases/{id}/recognition"), &json!({"outcome": "recognised", "reason": "第十四条第（一）项"}))
        .await;
    ok(&app, &reviewer, &format!("/api/v1/injury/cases/{id}/recognition/approve"), &json!({})).await;

    let death = |benefit: &str, extra: Value| {
        let mut v =
            with_bank(json!({"injury_case_id": id, "benefit": benefit, "died_on": "2025-10-05", "wage": "7000", "from_injury": true}));
        v.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        v
    };
    // No wage on record and none entered: the clerk is asked for it.
    let mut no_wage = death("injury_survivor", json!({"dependants": [{"name": "周配偶", "relation": "spouse"}]}));
    no_wage.as_object_mut().unwrap().remove("wage");
    let r = app.post(&clerk, "/api/v1/benefits/injury", &no_wage).await;
    assert_eq!(field_code(&r.json().await.unwrap()), ("wage".to_string(), "injury.wage_missing".to_string()));
    let r = app
        .post(&clerk, "/api/v1/benefits/injury", &death("injury_survivor", json!({"dependants": [{"name": "表哥", "relation": "cousin"}]})))
        .await;
    assert_eq!(field_code(&r.json().await.unwrap()), ("dependants[0].relation".to_string(), "injury.relation".to_string()));

    // Funeral: 6 × 6,385 = 38,310.00.
    let funeral = created(&app, &clerk, "/api/v1/benefits/injury", &death("injury_funeral", json!({}))).await;
    assert_eq!(
        (funeral["amount_fen"].as_i64(), funeral["payer"].as_str(), funeral["monthly"].as_bool()),
        (Some(3_831_000), Some("employer"), Some(false))
    );
    // Survivors: 40 % + (30 + 10) % + 30 % of 7,000 = 7,700 > 7,000: reduced in proportion to
    // 2,545.46 + 2,545.45 + 1,909.09 = 7,000.00 (the fen left over goes to the first equal remainder).
    let deps = json!({"dependants": [{"name": "周配偶", "relation": "spouse"}, {"name": "孙小", "relation": "child", "orphan_or_lone_elder": true},
                                     {"name": "孙父", "relation": "parent"}]});
    let survivors = created(&app, &clerk, "/api/v1/benefits/injury", &death("injury_survivor", deps)).await;
    let shares: Vec<i64> =
        survivors["calculation"]["survivors"]["shares"].as_array().unwrap().iter().map(|s| s["amount"].as_i64().unwrap()).collect();
    assert_eq!(shares, [254_546, 254_545, 190_909]);
    assert_eq!((survivors["amount_fen"].as_i64(), survivors["start_period"].as_str()), (Some(700_000), Some("2025-11-01")));
    // Death subsidy: 20 × the 2024 national urban per-capita disposable income 54,188 = 1,083,760.00.
    let subsidy = created(&app, &clerk, "/api/v1/benefits/injury", &death("injury_death", json!({}))).await;
    assert_eq!(subsidy["amount_fen"].as_i64(), Some(108_376_000));
    for c in [&funeral, &survivors, &subsidy] {
        ok(&app, &reviewer, &format!("/api/v1/benefits/claims/{}/approve", c["id"]), &json!({})).await;
    }
    // The uninsured employer pays the medical costs directly: nothing to settle with the fund.
    let costs = json!({"person_id": person, "injury_case_id": id, "setting": "inpatient", "hospital": "许昌市中心医院", "hospital_level": 2,
                       "bill_date": "2025-10-03", "lines": [{"code": "Z001", "class": "A", "amount": "30000"}]});
    let r = app.post(&clerk, "/api/v1/medical/settlements", &costs).await;
    assert_eq!(field_code(&r.json().await.unwrap()), ("injury_case_id".to_string(), "injury.employer_pays".to_string()));
    // Decided and recorded, never paid by the fund.
    let batch: Value = app.post(&reviewer, "/api/v1/payments/batches", &json!({"period": "2026-11"})).await.json().await.unwrap();
    assert_eq!(count_sql(&app, "411000", &format!("SELECT count(*) AS n FROM payment_line WHERE batch_id = {}", batch["id"])), 0);
    assert_eq!(
        count_sql(
            &app,
            "411000",
            &format!("SELECT count(*) AS n FROM benefit_claim WHERE injury_case_id = {id} AND status = 'approved' AND payer = 'employer'")
        ),
        3
    );
}

/// Evidence documents through the case page: stored with their checksum, served only when the
/// checksum still matches, refused when renamed from another type or too large.
#[tokio::test(flavor = "multi_thread")]
async fn evidence_documents_are_checksummed_and_typed() {
    let app = TestApp::start().await;
    let clerk = app.token("411000", "clerk", &["clerk"]).await;
    let employer = register_employer(&app, &clerk, &credit_code("411000", "MA0000073"), "许昌纺织厂").await["id"].as_i64().unwrap();
    let person = register_person(&app, &clerk, &id_number("411002", "19900909", 21), "吴材料").await["id"].as_i64().unwrap();
    let case = created(
        &app,
        &clerk,
        "/api/v1/injury/cases",
        &json!({"person_id": person, "employer_id": employer, "accident_date": "2026-11-01", "reported_on": "2026-11-05",
                "reporter": "worker", "accident": "滑倒", "diagnosis": "左踝骨折"}),
    )
    .await;
    let id = case["id"].as_i64().unwrap();
    let b = jinbao_tests::staff_browser(&app, "411000", "clerk-pages", &["clerk"]).await;
    let page = b.get(app.url(&format!("/injury/{id}"))).send().await.unwrap().text().await.unwrap();
    let csrf = jinbao_tests::hidden(&page, "csrf");
    let upload = |name: &'static str, bytes: Vec<u8>| {
        let form =
            reqwest::multipart::Form::new().text("csrf", csrf.clone()).part("file", reqwest::multipart::Part::bytes(bytes).file_name(name));
        b.post(app.url(&format!("/injury/{id}/documents"))).multipart(form).send()
    };
    let pdf = b"%PDF-1.4\n% evidence\n".to_vec();
    let r = upload("事故报告.pdf", pdf.clone()).await.unwrap();
    assert!(r.status().is_redirection() || r.status() == 200, "{}", r.status());
    let r = upload("renamed.pdf", b"MZ\x90\x00 not a pdf".to_vec()).await.unwrap();
    assert_eq!(r.status(), 422);
    let r = upload("big.pdf", [b"%PDF-".to_vec(), vec![b'x'; 5 * 1024 * 1024]].concat()).await.unwrap();
    assert_eq!(r.status(), 422);
    let sha = count_sql(
        &app,
        "411000",
        &format!("SELECT count(*) AS n FROM injury_document WHERE case_id = {id} AND sha256 = encode(sha256(content), 'hex')"),
    );
    assert_eq!(sha, 1);
    let doc = count_sql(&app, "411000", &format!("SELECT id AS n FROM injury_document WHERE case_id = {id}"));
    let got = b.get(app.url(&format!("/injury/{id}/documents/{doc}"))).send().await.unwrap();
    assert_eq!(got.status(), 200);
    assert_eq!(got.bytes().await.unwrap().to_vec(), pdf);
    // Another city sees no such document.
    let zk = jinbao_tests::staff_browser(&app, "411600", "clerk-zk", &["clerk"]).await;
    assert_eq!(zk.get(app.url(&format!("/injury/{id}/documents/{doc}"))).send().await.unwrap().status(), 404);
}
