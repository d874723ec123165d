//! The insurance business core end to end: one-form enrolment, idempotency, rejections, stop and
//! resume, declarations in January and July cities, assessment (SQL = domain), back payments,
//! re-opening, collections, arrears and statements, isolation of the new records.

use jinbao_tests::{count_sql, credit_code, id_number, register_employer, wait_job, TestApp};
use serde_json::{json, Value};

const ALL: [&str; 5] = ["pension", "medical", "unemployment", "work_injury", "maternity"];

async fn employer(app: &TestApp, t: &str, area: &str, org: &str) -> i64 {
    register_employer(app, t, &credit_code(area, org), "示范单位").await["id"].as_i64().unwrap()
}

async fn enrol_new(app: &TestApp, t: &str, employer_id: i64, id: &str, wage: &str, period: &str) -> reqwest::Response {
    app.post(
        t,
        "/api/v1/enrolments",
        &json!({"person": {"id_number": id, "name": "参保人"}, "employer_id": employer_id, "start_period": period,
                "declared_wage": wage, "insurance_types": ALL}),
    )
    .await
}

fn line<'a>(v: &'a Value, t: &str, party: &str) -> &'a str {
    v["amounts"]["lines"].as_array().unwrap().iter().find(|l| l["insurance_type"] == t && l["party"] == party).unwrap()["amount"]
        .as_str()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn one_form_enrols_in_five_insurances_with_the_citys_amounts() {
    let app = TestApp::start().await;
    let t = app.token("411000", "clerk", &["clerk"]).await;
    let e = employer(&app, &t, "411000", "MA0000001").await;
    let r = enrol_new(&app, &t, e, &id_number("411002", "19850101", 11), "5000", "2026-07").await;
    assert_eq!(r.status(), 201);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["enrolments"].as_array().unwrap().len(), 5);
    assert_eq!(v["base"], "5000.00");
    // docs/rules.md §5, Xuchang rates (pension 16/8, medical 8/2, unemployment 0.7/0.3), risk class 2 → 0.4 %.
    assert_eq!(line(&v, "pension", "employer"), "800.00");
    assert_eq!(line(&v, "pension", "employee"), "400.00");
    assert_eq!(line(&v, "medical", "employer"), "400.00");
    assert_eq!(line(&v, "medical", "employee"), "100.00");
    assert_eq!(line(&v, "unemployment", "employer"), "35.00");
    assert_eq!(line(&v, "unemployment", "employee"), "15.00");
    assert_eq!(line(&v, "work_injury", "employer"), "20.00");
    assert!(!v["amounts"]["lines"].as_array().unwrap().iter().any(|l| l["insurance_type"] == "maternity"), "maternity merged into medical");
    assert_eq!(v["amounts"]["total"], "1770.00");
    // The new person was registered and hired in the same transaction.
    let pid = v["person_id"].as_i64().unwrap();
    let jobs: Value = app.get(&t, &format!("/api/v1/persons/{pid}/employments")).await.json().await.unwrap();
    assert_eq!(jobs["items"][0]["start_date"], "2026-07-01");
    let insured: Value = app.get(&t, &format!("/api/v1/employers/{e}/insured")).await.json().await.unwrap();
    assert_eq!(insured["items"][0]["types"].as_array().unwrap().len(), 5);
    let tl: Value = app.get(&t, &format!("/api/v1/persons/{pid}/timeline")).await.json().await.unwrap();
    let kinds: Vec<&str> = tl["items"].as_array().unwrap().iter().map(|x| x["kind"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"enrolled") && kinds.contains(&"base_declared") && kinds.contains(&"employed"), "{kinds:?}");
    // The preview gives the same figures without writing anything.
    let before = app.count_in("411000", "enrolment");
    let pv: Value = app
        .post(
            &t,
            "/api/v1/enrolments/preview",
            &json!({"employer_id": e, "start_period": "2026-07", "declared_wage": 25000, "insurance_types": ALL}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(pv["amounts"]["base"], "19155.00");
    assert_eq!(line(&pv, "unemployment", "employer"), "134.09");
    assert_eq!(line(&pv, "unemployment", "employee"), "57.47");
    assert_eq!(app.count_in("411000", "enrolment"), before);
}

#[tokio::test(flavor = "multi_thread")]
async fn enrolment_rejections_are_field_level_and_write_nothing() {
    let app = TestApp::start().await;
    let t = app.token("411000", "clerk", &["clerk"]).await;
    let e = employer(&app, &t, "411000", "MA0000001").await;
    let other = employer(&app, &t, "411000", "MA0000002").await;
    let p = jinbao_tests::register_person(&app, &t, &id_number("411002", "19850101", 11), "张三").await;
    let pid = p["id"].as_i64().unwrap();
    let body = |extra: Value| {
        let mut b =
            json!({"person_id": pid, "employer_id": e, "start_period": "2026-07", "declared_wage": "5000", "insurance_types": ["pension"]});
        for (k, v) in extra.as_object().unwrap() {
            b[k] = v.clone();
        }
        b
    };
    let field_codes = |v: &Value| -> Vec<(String, String)> {
        v["error"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| (f["field"].as_str().unwrap().to_string(), f["code"].as_str().unwrap().to_string()))
            .collect()
    };
    let audit_before = app.count_in("411000", "audit_log");
    // Not employed there.
    let r = app.post(&t, "/api/v1/enrolments", &body(json!({}))).await;
    assert_eq!(r.status(), 422);
    assert_eq!(field_codes(&r.json().await.unwrap()), [("person_id".to_string(), "enrolment.not_employed".to_string())]);
    // Unknown type, bad period, bad wage — all at once.
    let r = app
        .post(
            &t,
            "/api/v1/enrolments",
            &body(json!({"insurance_types": ["pension", "dental"], "start_period": "2026-13", "declared_wage": "abc"})),
        )
        .await;
    assert_eq!(r.status(), 422);
    let codes = field_codes(&r.json().await.unwrap());
    assert!(codes.contains(&("insurance_types".into(), "enrolment.unknown_type".into())), "{codes:?}");
    assert!(codes.contains(&("start_period".into(), "period.format".into())), "{codes:?}");
    assert!(codes.contains(&("declared_wage".into(), "money.format".into())), "{codes:?}");
    // Before the employer's registration (2020-01).
    let r = app.post(&t, "/api/v1/enrolments", &body(json!({"start_period": "2019-12", "hire_date": "2019-12-01"}))).await;
    assert_eq!(r.status(), 422);
    assert_eq!(field_codes(&r.json().await.unwrap())[0].1, "enrolment.before_registration");
    assert_eq!(app.count_in("411000", "enrolment"), 0);
    assert_eq!(app.count_in("411000", "employment"), 0, "the hire in a rejected request is not kept");
    assert_eq!(app.count_in("411000", "audit_log"), audit_before);
    // With a hire date it works; the same type again is refused, also at another employer.
    let r = app.post(&t, "/api/v1/enrolments", &body(json!({"hire_date": "2026-07-01"}))).await;
    assert_eq!(r.status(), 201);
    let r = app
        .post(
            &t,
            "/api/v1/enrolments",
            &body(json!({"employer_id": other, "hire_date": "2026-07-01", "insurance_types": ["pension", "medical"]})),
        )
        .await;
    assert_eq!(r.status(), 422);
    assert_eq!(field_codes(&r.json().await.unwrap())[0].1, "enrolment.already_active");
    assert_eq!(app.count_in("411000", "enrolment"), 1);
    // Both a person id and a new person: refused.
    let r =
        app.post(&t, "/api/v1/enrolments", &body(json!({"person": {"id_number": id_number("411002", "19900101", 13), "name": "x"}}))).await;
    assert_eq!(r.status(), 422);
}

#[tokio::test(flavor = "multi_thread")]
async fn retries_with_one_idempotency_key_enrol_exactly_once() {
    let app = TestApp::start().await;
    let t = app.token("411000", "clerk", &["clerk"]).await;
    let e = employer(&app, &t, "411000", "MA0000001").await;
    let body = json!({"person": {"id_number": id_number("411002", "19850101", 11), "name": "并发"}, "employer_id": e,
                      "start_period": "2026-07", "declared_wage": "6000", "insurance_types": ALL});
    let mut handles = Vec::new();
    for _ in 0..50 {
        let (client, url, token, body) = (app.client.clone(), app.url("/api/v1/enrolments"), t.clone(), body.clone());
        handles.push(tokio::spawn(async move {
            let r = client.post(url).bearer_auth(token).header("Idempotency-Key", "enrol-key-0001").json(&body).send().await.unwrap();
            (r.status().as_u16(), r.json::<Value>().await.unwrap())
        }));
    }
    let mut bodies = Vec::new();
    for h in handles {
        let (status, v) = h.await.unwrap();
        assert_eq!(status, 201, "{v}");
        bodies.push(v);
    }
    assert!(bodies.windows(2).all(|w| w[0] == w[1]), "every retry gets the first response");
    assert_eq!(app.count_in("411000", "enrolment"), 5);
    assert_eq!(app.count_in("411000", "person"), 1);
    // Same key, different content: 422, nothing written.
    let mut other = body.clone();
    other["declared_wage"] = json!("7000");
    let r = app
        .client
        .post(app.url("/api/v1/enrolments"))
        .bearer_auth(&t)
        .header("Idempotency-Key", "enrol-key-0001")
        .json(&other)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"]["fields"][0]["code"], "idempotency.mismatch");
    let r = app
        .client
        .post(app.url("/api/v1/enrolments"))
        .bearer_auth(&t)
        .header("Idempotency-Key", "enrol-key-0001")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["idempotent-replayed"], "true");
    assert_eq!(app.count_in("411000", "enrolment"), 5);
}

#[tokio::test(flavor = "multi_thread")]
async fn stop_and_resume() {
    let app = TestApp::start().await;
    let t = app.token("411000", "clerk", &["clerk"]).await;
    let e = employer(&app, &t, "411000", "MA0000001").await;
    let v: Value = enrol_new(&app, &t, e, &id_number("411002", "19850101", 11), "5000", "2026-01").await.json().await.unwrap();
    let pid = v["person_id"].as_i64().unwrap();
    let r = app
        .post(&t, "/api/v1/enrolments/stop", &json!({"person_id": pid, "employer_id": e, "end_period": "2025-12", "reason": "离职"}))
        .await;
    assert_eq!(r.status(), 422, "end before start");
    let r = app
        .post(&t, "/api/v1/enrolments/stop", &json!({"person_id": pid, "employer_id": e, "end_period": "2026-06", "reason": "离职"}))
        .await;
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["stopped"].as_array().unwrap().len(), 5);
    let r = app
        .post(&t, "/api/v1/enrolments/stop", &json!({"person_id": pid, "employer_id": e, "end_period": "2026-06", "reason": "离职"}))
        .await;
    assert_eq!(r.status(), 422, "nothing left to stop");
    let insured: Value = app.get(&t, &format!("/api/v1/employers/{e}/insured")).await.json().await.unwrap();
    assert_eq!(insured["items"].as_array().unwrap().len(), 0);
    // Resume: enrol again from a later period; history keeps both.
    let r = app
        .post(
            &t,
            "/api/v1/enrolments",
            &json!({"person_id": pid, "employer_id": e, "start_period": "2026-09", "declared_wage": "5200", "insurance_types": ALL}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let list: Value = app.get(&t, &format!("/api/v1/persons/{pid}/enrolments")).await.json().await.unwrap();
    assert_eq!(list["items"].as_array().unwrap().len(), 10);
    let tl: Value = app.get(&t, &format!("/api/v1/persons/{pid}/timeline")).await.json().await.unwrap();
    let kinds: Vec<&str> = tl["items"].as_array().unwrap().iter().map(|x| x["kind"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"stopped") && kinds.contains(&"resumed"), "{kinds:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_declaration_starts_in_january_in_hebi_and_in_july_in_xuchang() {
    let app = TestApp::start().await;
    for (city, area, office, expected) in [("411000", "411000", "411002", "2026-07"), ("410600", "410600", "410602", "2026-01")] {
        let t = app.token(city, &format!("clerk{city}"), &["clerk"]).await;
        let e = employer(&app, &t, area, "MA0000001").await;
        let id = id_number(office, "19850101", 11);
        assert_eq!(enrol_new(&app, &t, e, &id, "5000", "2025-07").await.status(), 201);
        let r = app
            .post(
                &t,
                "/api/v1/declarations",
                &json!({"employer_id": e, "base_year": 2026, "items": [{"id_number": id, "declared_wage": "6000"}]}),
            )
            .await;
        assert_eq!(r.status(), 200, "{city}");
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["effective_from"], expected, "{city}");
        assert_eq!(v["applied"], 1);
        assert_eq!(
            count_sql(
                &app,
                city,
                &format!(
                    "SELECT count(*) AS n FROM contribution_base WHERE effective_from = '{expected}-01' AND declared_wage_fen = 600000"
                )
            ),
            1
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn csv_declarations_in_gbk_and_utf8_bom_report_rows_and_apply_all_or_nothing() {
    let app = TestApp::start().await;
    let t = app.token("411000", "clerk", &["clerk"]).await;
    let e = employer(&app, &t, "411000", "MA0000001").await;
    let (a, b) = (id_number("411002", "19850101", 11), id_number("411002", "19860101", 13));
    for id in [&a, &b] {
        assert_eq!(enrol_new(&app, &t, e, id, "5000", "2025-07").await.status(), 201);
    }
    let bad = format!("身份证号码,申报工资\n{a},6000\n410102199003071231,6100\n{b},abc\n");
    let (gbk, _, _) = encoding_rs::GBK.encode(&bad);
    let post = |bytes: Vec<u8>, valid_only: bool| {
        let url = app.url(&format!("/api/v1/declarations/csv?employer_id={e}&base_year=2026&valid_only={valid_only}"));
        app.client.post(url).bearer_auth(&t).header("content-type", "text/csv").body(bytes).send()
    };
    let r = post(gbk.to_vec(), false).await.unwrap();
    assert_eq!(r.status(), 422);
    let v: Value = r.json().await.unwrap();
    let rows: Vec<(u64, &str, &str)> = v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["row"].as_u64().unwrap(), p["column"].as_str().unwrap(), p["code"].as_str().unwrap()))
        .collect();
    assert_eq!(rows, [(3, "id_number", "id_number.checksum"), (4, "declared_wage", "money.format")]);
    assert!(v["problems"][0]["message"].as_str().unwrap().contains("校验"));
    assert_eq!(v["applied"], 0);
    assert_eq!(count_sql(&app, "411000", "SELECT count(*) AS n FROM contribution_base WHERE source = 'declaration'"), 0, "nothing applied");
    // Valid rows only, when asked.
    let v: Value = post(gbk.to_vec(), true).await.unwrap().json().await.unwrap();
    assert_eq!(v["applied"], 1);
    assert_eq!(v["rejected_rows"], 2);
    // A row with two problems is one rejected row.
    let both = "身份证号码,申报工资\n410102199003071231,abc\n".as_bytes().to_vec();
    let v: Value = post(both, true).await.unwrap().json().await.unwrap();
    assert_eq!((v["problems"].as_array().unwrap().len(), v["rejected_rows"].as_i64()), (2, Some(1)));
    // UTF-8 with BOM, all valid.
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(format!("身份证号码,申报工资\r\n{a},6500\r\n{b},7000.50\r\n").as_bytes());
    let v: Value = post(bom, false).await.unwrap().json().await.unwrap();
    assert_eq!(v["applied"], 2);
    assert_eq!(
        count_sql(
            &app,
            "411000",
            "SELECT count(*) AS n FROM contribution_base WHERE source = 'declaration' AND declared_wage_fen IN (650000, 700050)"
        ),
        2
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn assessment_reruns_reopen_and_back_payment_after_a_late_average_wage() {
    let app = TestApp::start().await;
    let t = app.token("411000", "clerk", &["clerk"]).await;
    let reviewer = app.token("411000", "rev", &["reviewer"]).await;
    let e = employer(&app, &t, "411000", "MA0000001").await;
    // Declared 3,000: below the floor 3,831 of the 2025 reference wage.
    assert_eq!(enrol_new(&app, &t, e, &id_number("411002", "19850101", 11), "3000", "2026-07").await.status(), 201);
    for period in ["2026-07", "2026-08"] {
        let r = app.post(&t, "/api/v1/assessments/runs", &json!({"period": period})).await;
        assert_eq!(r.status(), 202);
        let job = r.json::<Value>().await.unwrap()["job_id"].as_i64().unwrap();
        wait_job(&app, &t, job).await;
    }
    // Each run's duration reaches /metrics as the thread ends (just after the job row says done).
    let mut runs = String::new();
    for _ in 0..50 {
        runs = app.client.get(app.url("/metrics")).send().await.unwrap().text().await.unwrap();
        if runs.contains(r#"jinbao_job_duration_seconds_count{kind="assessment",outcome="ok"} 2"#) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(runs.contains(r#"jinbao_job_duration_seconds_count{kind="assessment",outcome="ok"} 2"#), "{runs}");
    let pension = "SELECT coalesce(sum(employer_fen), 0)::bigint AS n FROM assessment WHERE insurance_type = 'pension'";
    assert_eq!(count_sql(&app, "411000", pension), 2 * 61296, "612.96 a month at the floor");
    // Re-running an assessed period writes nothing.
    let r = app.post(&t, "/api/v1/assessments/runs", &json!({"period": "2026-07"})).await;
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["summary"]["already_assessed"], true);
    assert_eq!(count_sql(&app, "411000", "SELECT count(*) AS n FROM assessment"), 8);
    // The 2026 average wage is published late (6,800 → floor 4,080) with effect from 2026-07.
    let dir = std::env::temp_dir().join(format!("jinbao-late-{}", app.db_name));
    std::fs::create_dir_all(&dir).unwrap();
    let text = std::fs::read_to_string(jinbao_tests::repo_root().join("tenants/411000-xuchang.toml")).unwrap();
    // The rule block again (up to the next top-level table), effective 2026-07 with the new wage.
    let start = text.find("[[rules]]").unwrap();
    let end = text[start..].find("\n[min_wage_classes]").map_or(text.len(), |i| start + i);
    let late = text.clone() + "\n" + &text[start..end].replace("2025-07", "2026-07").replace("\"6385\"", "\"6800\"");
    std::fs::write(dir.join("411000-xuchang.toml"), late).unwrap();
    let tenants = jinbao_store::tenant_config::load_dir(&dir).unwrap();
    jinbao_store::tenant_config::sync(&mut app.owner_conn(), &tenants).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    let r = app.post(&t, "/api/v1/assessments/back-payments", &json!({"upto": "2026-08"})).await;
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["rows_written"], 8, "{v}");
    // (4,080 − 3,831) × 16 % = 39.84 per month for the employer's pension.
    assert_eq!(count_sql(&app, "411000", &format!("{pension} AND kind = 'back_payment'")), 2 * 3984);
    let again: Value = app.post(&t, "/api/v1/assessments/back-payments", &json!({"upto": "2026-08"})).await.json().await.unwrap();
    assert_eq!(again["rows_written"], 0, "nothing more to pay back");
    // Re-opening needs a reviewer and a reason; the re-run uses the new rule directly.
    assert_eq!(app.post(&t, "/api/v1/assessments/periods/2026-08/reopen", &json!({"reason": "复核"})).await.status(), 403);
    assert_eq!(app.post(&reviewer, "/api/v1/assessments/periods/2026-08/reopen", &json!({})).await.status(), 422);
    let r = app.post(&reviewer, "/api/v1/assessments/periods/2026-08/reopen", &json!({"reason": "社平工资公布后重新核定"})).await;
    assert_eq!(r.status(), 200);
    let job = app.post(&t, "/api/v1/assessments/runs", &json!({"period": "2026-08"})).await.json::<Value>().await.unwrap()["job_id"]
        .as_i64()
        .unwrap();
    wait_job(&app, &t, job).await;
    assert_eq!(count_sql(&app, "411000", &format!("{pension} AND period = '2026-08-01'")), 65280, "4,080 × 16 %");
    assert_eq!(
        count_sql(
            &app,
            "411000",
            "SELECT count(*) AS n FROM audit_log WHERE action = 'assessment.reopen' AND reason = '社平工资公布后重新核定'"
        ),
        1
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn collections_partial_and_over_payments_arrears_and_statement() {
    let app = TestApp::start().await;
    let t = app.token("411000", "clerk", &["clerk"]).await;
    let e = employer(&app, &t, "411000", "MA0000001").await;
    for (i, wage) in ["5000", "8000"].iter().enumerate() {
        assert_eq!(enrol_new(&app, &t, e, &id_number("411002", "19850101", 11 + 2 * i as u32), wage, "2026-07").await.status(), 201);
    }
    let job = app.post(&t, "/api/v1/assessments/runs", &json!({"period": "2026-07"})).await.json::<Value>().await.unwrap()["job_id"]
        .as_i64()
        .unwrap();
    wait_job(&app, &t, job).await;
    // Due: 1,770.00 (5,000) + 2,832.00 (8,000, class 2) = 4,602.00.
    let pay = |amount: &str, r: &str| json!({"employer_id": e, "period": "2026-07", "amount": amount, "paid_on": "2026-08-10", "channel": "bank", "bank_ref": r});
    let r = app
        .client
        .post(app.url("/api/v1/collections"))
        .bearer_auth(&t)
        .header("Idempotency-Key", "pay-0000001")
        .json(&pay("1000.00", "B001"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let r = app
        .client
        .post(app.url("/api/v1/collections"))
        .bearer_auth(&t)
        .header("Idempotency-Key", "pay-0000001")
        .json(&pay("1000.00", "B001"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201, "a retried payment replays");
    assert_eq!(app.count_in("411000", "collection"), 1);
    assert_eq!(app.post(&t, "/api/v1/collections", &pay("5.00", "B001")).await.status(), 409, "bank reference recorded once");
    assert_eq!(app.post(&t, "/api/v1/collections", &pay("-5", "B009")).await.status(), 422);
    let arrears: Value = app.get(&t, "/api/v1/arrears?period=2026-07").await.json().await.unwrap();
    assert_eq!(arrears["items"][0]["due_fen"], 460200);
    assert_eq!(arrears["items"][0]["arrears_fen"], 360200);
    // The statement allocates pension employee parts first (400.00 + 640.00 = 1,040.00 > 1,000.00).
    let st: Value = app.get(&t, &format!("/api/v1/employers/{e}/statement?period=2026-07")).await.json().await.unwrap();
    let lines = st["lines"].as_array().unwrap();
    assert_eq!(
        (lines[0]["insurance_type"].as_str(), lines[0]["party"].as_str(), lines[0]["paid_fen"].as_i64()),
        (Some("pension"), Some("employee"), Some(40000))
    );
    assert_eq!(lines[1]["paid_fen"], 60000, "second line partly paid");
    assert_eq!(lines[2]["paid_fen"], 0);
    assert_eq!(st["due_fen"], 460200);
    assert_eq!(st["paid_fen"], 100000);
    // The fund ledger allocates the same way: all 1,000.00 to pension so far.
    let fin = app.token("411000", "fin", &["finance_viewer"]).await;
    let income = |l: &Value, ty: &str| {
        l["lines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["period"] == "2026-07-01" && x["insurance_type"] == ty)
            .map(|x| x["income_fen"].as_i64().unwrap())
    };
    let l: Value = app.get(&fin, "/api/v1/finance/ledger?year=2026").await.json().await.unwrap();
    assert_eq!((income(&l, "pension"), income(&l, "medical")), (Some(100000), Some(0)), "{l}");
    assert!(lines[0]["id_number"].as_str().unwrap().contains('*'));
    let pid = lines[0]["person_id"].as_i64().unwrap();
    let tl: Value = app.get(&t, &format!("/api/v1/persons/{pid}/timeline")).await.json().await.unwrap();
    assert!(!tl["items"].as_array().unwrap().iter().any(|x| x["kind"] == "paid"), "partly paid is not paid");
    // Over-payment: the rest plus 100.00 → credit.
    assert_eq!(app.post(&t, "/api/v1/collections", &pay("3702.00", "B002")).await.status(), 201);
    let arrears: Value = app.get(&t, &format!("/api/v1/arrears?period=2026-07&employer_id={e}")).await.json().await.unwrap();
    assert_eq!(arrears["items"][0]["credit_fen"], 10000);
    assert_eq!(arrears["items"][0]["arrears_fen"], 0);
    let l: Value = app.get(&fin, "/api/v1/finance/ledger?year=2026").await.json().await.unwrap();
    let by_type: Vec<Option<i64>> = ["pension", "medical", "unemployment", "work_injury"].iter().map(|t| income(&l, t)).collect();
    assert_eq!(by_type, [Some(312000), Some(130000), Some(13000), Some(5200)], "every type covered; the 100.00 credit is not income: {l}");
    // The person's timeline shows the month assessed and, now that the period is covered, paid.
    let pid = lines[0]["person_id"].as_i64().unwrap();
    let tl: Value = app.get(&t, &format!("/api/v1/persons/{pid}/timeline")).await.json().await.unwrap();
    let kinds: Vec<&str> = tl["items"].as_array().unwrap().iter().map(|x| x["kind"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"assessed") && kinds.contains(&"paid"), "{kinds:?}");
    let pos = |k: &str| kinds.iter().position(|x| *x == k).unwrap();
    assert!(pos("paid") < pos("assessed"), "newest first: paid on 2026-08-10, assessed for 2026-07");
    let csv = app.get(&t, &format!("/api/v1/employers/{e}/statement?period=2026-07&format=csv")).await.bytes().await.unwrap();
    assert!(csv.starts_with(&[0xEF, 0xBB, 0xBF]));
    let text = String::from_utf8(csv[3..].to_vec()).unwrap();
    assert!(text.starts_with("姓名,身份证号码") && text.contains("合计,,,,,,,4602.00,4602.00"), "{text}");
}

#[tokio::test(flavor = "multi_thread")]
async fn another_city_sees_none_of_the_new_records() {
    let app = TestApp::start().await;
    let xc = app.token("411000", "xc", &["clerk"]).await;
    let zk = app.token("411600", "zk", &["clerk"]).await;
    let e = employer(&app, &xc, "411000", "MA0000001").await;
    let v: Value = enrol_new(&app, &xc, e, &id_number("411002", "19850101", 11), "5000", "2026-07").await.json().await.unwrap();
    let pid = v["person_id"].as_i64().unwrap();
    let job = app.post(&xc, "/api/v1/assessments/runs", &json!({"period": "2026-07"})).await.json::<Value>().await.unwrap()["job_id"]
        .as_i64()
        .unwrap();
    wait_job(&app, &xc, job).await;
    app.post(
        &xc,
        "/api/v1/collections",
        &json!({"employer_id": e, "period": "2026-07", "amount": "100", "paid_on": "2026-08-01", "channel": "bank", "bank_ref": "X1"}),
    )
    .await;
    for path in [
        format!("/api/v1/persons/{pid}/enrolments"),
        format!("/api/v1/persons/{pid}/contributions"),
        format!("/api/v1/employers/{e}/insured"),
        format!("/api/v1/employers/{e}/statement?period=2026-07"),
        format!("/api/v1/jobs/{job}"),
    ] {
        assert_eq!(app.get(&zk, &path).await.status(), 404, "{path}");
    }
    let arrears: Value = app.get(&zk, "/api/v1/arrears?all=true").await.json().await.unwrap();
    assert_eq!(arrears["items"].as_array().unwrap().len(), 0);
    let periods: Value = app.get(&zk, "/api/v1/assessments/periods").await.json().await.unwrap();
    assert_eq!(periods["items"].as_array().unwrap().len(), 0);
    // Zhoukou cannot enrol Xuchang's person, stop Xuchang's enrolments, or pay into Xuchang's employer.
    let r = app
        .post(
            &zk,
            "/api/v1/enrolments",
            &json!({"person_id": pid, "employer_id": e, "start_period": "2026-07", "declared_wage": "1", "insurance_types": ["pension"]}),
        )
        .await;
    assert_eq!(r.status(), 422);
    assert_eq!(
        app.post(&zk, "/api/v1/enrolments/stop", &json!({"person_id": pid, "employer_id": e, "end_period": "2026-08", "reason": "x越权"}))
            .await
            .status(),
        404
    );
    let r = app
        .post(
            &zk,
            "/api/v1/collections",
            &json!({"employer_id": e, "period": "2026-07", "amount": "1", "paid_on": "2026-08-01", "channel": "bank"}),
        )
        .await;
    assert_eq!(r.status(), 422);
    assert_eq!(count_sql(&app, "411000", "SELECT count(*) AS n FROM enrolment WHERE status = 'active'"), 5);
    assert_eq!(app.count_in("411600", "collection"), 0);
}
