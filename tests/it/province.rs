//! The province view: aggregates kept current by the business writes equal a recount from the
//! base tables after a random workload; supervisors see aggregates of every city and nothing at
//! person level; small counts are suppressed (tests/it/suppression.rs checks every output).

use diesel::connection::SimpleConnection;
use diesel::Connection;
use jinbao_store::repo::stats;
use jinbao_store::Actor;
use jinbao_tests::{credit_code, id_number, register_employer, wait_job, TestApp};
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};

const ALL: [&str; 5] = ["pension", "medical", "unemployment", "work_injury", "maternity"];

fn assert_equal_to_recount(app: &TestApp, tenant: &str) {
    let diffs = app
        .db
        .tenant(app.tenant_id(tenant), Actor::system("test"), |tx| Ok(stats::differences(stats::current(tx)?, stats::recount(tx)?)))
        .unwrap();
    assert!(diffs.is_empty(), "{tenant}: aggregates differ from the recount: {diffs:?}");
    // What each employer owes per month and type (read by the fund ledger) equals the assessments.
    // (A symmetric difference rather than a full join: the query also runs on Citus, whose planner
    // takes no outer join under row-level security.)
    let tid = app.tenant_id(tenant).0;
    let off = jinbao_tests::count_sql(
        app,
        tenant,
        &format!(
            "SELECT count(*) AS n FROM (
                 (SELECT period, employer_id, insurance_type, sum(employer_fen + employee_fen)::bigint AS due FROM assessment
                  WHERE tenant_id = {tid} GROUP BY period, employer_id, insurance_type
                  EXCEPT SELECT period, employer_id, insurance_type, due_fen FROM employer_due WHERE tenant_id = {tid})
                 UNION ALL
                 (SELECT period, employer_id, insurance_type, due_fen FROM employer_due WHERE tenant_id = {tid}
                  EXCEPT SELECT period, employer_id, insurance_type, sum(employer_fen + employee_fen)::bigint FROM assessment
                  WHERE tenant_id = {tid} GROUP BY period, employer_id, insurance_type)) x"
        ),
    );
    assert_eq!(off, 0, "{tenant}: employer_due differs from the assessments");
}

#[tokio::test(flavor = "multi_thread")]
async fn aggregates_equal_a_recount_after_a_random_workload() {
    let app = TestApp::start().await;
    let seed: u64 = std::env::var("JINBAO_TEST_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| rand::thread_rng().gen());
    eprintln!("seed {seed}");
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    for (city, area, office) in [("411000", "411000", "411002"), ("411600", "411600", "411602")] {
        let t = app.token(city, &format!("c{city}"), &["clerk"]).await;
        let reviewer = app.token(city, &format!("r{city}"), &["reviewer"]).await;
        let mut employers = Vec::new();
        for i in 0..3 {
            employers.push(register_employer(&app, &t, &credit_code(area, &format!("MA000000{i}")), "单位").await["id"].as_i64().unwrap());
        }
        let mut people = Vec::new();
        for i in 0..12u32 {
            let types: Vec<&str> = ALL.iter().copied().filter(|_| rng.gen_bool(0.7)).collect();
            let types = if types.is_empty() { vec!["pension"] } else { types };
            let e = employers[rng.gen_range(0..employers.len())];
            let wage = rng.gen_range(1000..30000).to_string();
            let v: Value = app
                .post(&t, "/api/v1/enrolments", &json!({"person": {"id_number": id_number(office, "19850101", i + 10), "name": "参保人"},
                    "employer_id": e, "start_period": if i % 2 == 0 { "2026-06" } else { "2026-07" }, "declared_wage": wage, "insurance_types": types}))
                .await
                .json()
                .await
                .unwrap();
            people.push((v["person_id"].as_i64().unwrap(), e));
        }
        for period in ["2026-06", "2026-07"] {
            let job = app.post(&t, "/api/v1/assessments/runs", &json!({"period": period})).await.json::<Value>().await.unwrap()["job_id"]
                .as_i64()
                .unwrap();
            wait_job(&app, &t, job).await;
        }
        // Stops, a re-enrolment, payments (partial and over), a re-opened and re-run period.
        for (p, e) in people.iter().take(4) {
            let r = app
                .post(&t, "/api/v1/enrolments/stop", &json!({"person_id": p, "employer_id": e, "end_period": "2026-07", "reason": "离职"}))
                .await;
            assert_eq!(r.status(), 200);
        }
        let (p0, e0) = people[0];
        let r = app.post(&t, "/api/v1/enrolments", &json!({"person_id": p0, "employer_id": e0, "start_period": "2026-09", "declared_wage": "4000", "insurance_types": ["pension"]})).await;
        assert_eq!(r.status(), 201);
        for (i, e) in employers.iter().enumerate() {
            let amount = format!("{}.{:02}", rng.gen_range(1..5000), rng.gen_range(0..100));
            app.post(&t, "/api/v1/collections", &json!({"employer_id": e, "period": "2026-07", "amount": amount, "paid_on": "2026-08-05", "channel": "bank", "bank_ref": format!("R{i}")})).await;
        }
        assert_eq!(app.post(&reviewer, "/api/v1/assessments/periods/2026-07/reopen", &json!({"reason": "复核"})).await.status(), 200);
        let job = app.post(&t, "/api/v1/assessments/runs", &json!({"period": "2026-07"})).await.json::<Value>().await.unwrap()["job_id"]
            .as_i64()
            .unwrap();
        wait_job(&app, &t, job).await;
        assert_equal_to_recount(&app, city);
    }
    // A late average wage → back payments, also counted.
    let mut owner = app.owner_conn();
    let xc = app.tenant_id("411000").0;
    owner
        .transaction::<_, diesel::result::Error, _>(|c| {
            c.batch_execute(&format!("SELECT set_tenant({xc}::smallint); UPDATE tenant_rule SET avg_wage_fen = 700000"))
        })
        .unwrap();
    let t = app.token("411000", "late", &["clerk"]).await;
    let v: Value = app.post(&t, "/api/v1/assessments/back-payments", &json!({"upto": "2026-07"})).await.json().await.unwrap();
    assert!(v["rows_written"].as_i64().unwrap() > 0, "{v}");
    assert_equal_to_recount(&app, "411000");
    // Folding the deltas changes nothing in the figures.
    for city in ["411000", "411600"] {
        let folded = app.db.tenant(app.tenant_id(city), Actor::system("test"), stats::compact).unwrap();
        assert!(folded > 0);
        assert_equal_to_recount(&app, city);
    }
    // The analytics role reads every tenant's aggregates.
    let analytics = jinbao_store::Db::connect(
        &jinbao_store::bootstrap::with_user(&app.app_url, "jinbao_analytics"),
        &jinbao_store::PoolSettings { max_size: 1, ..Default::default() },
    )
    .unwrap();
    let all = jinbao_store::Analytics::new(analytics).for_operator().read(stats::province).unwrap();
    let tenants: std::collections::BTreeSet<i16> = all.iter().map(|f| f.tenant_id).collect();
    assert!(tenants.contains(&app.tenant_id("411000").0) && tenants.contains(&app.tenant_id("411600").0));
}

#[tokio::test(flavor = "multi_thread")]
async fn supervisors_see_every_city_in_aggregate_and_no_person() {
    let app = TestApp::start().await;
    let xc = app.token("411000", "xc", &["clerk"]).await;
    let e = register_employer(&app, &xc, &credit_code("411000", "MA0000001"), "许昌一厂").await["id"].as_i64().unwrap();
    for i in 0..6u32 {
        let r = app
            .post(
                &xc,
                "/api/v1/enrolments",
                &json!({"person": {"id_number": id_number("411002", "19850101", i + 10), "name": "参保人"},
                "employer_id": e, "start_period": "2026-07", "declared_wage": "5000", "insurance_types": ["pension", "medical"]}),
            )
            .await;
        assert_eq!(r.status(), 201);
    }
    let zk = app.token("411600", "zk", &["clerk"]).await;
    let p = jinbao_tests::register_person(&app, &zk, &id_number("411602", "19780615", 52), "周口人").await;
    let sup = app.token("410000", "sup", &["province_supervisor"]).await;
    let d: Value = app.get(&sup, "/api/v1/province/dashboard").await.json().await.unwrap();
    let city = |code: &str| d["cities"].as_array().unwrap().iter().find(|c| c["code"] == code).unwrap().clone();
    assert_eq!(city("411000")["persons"], Value::Null, "6, hidden with Zhoukou's 1: the province's 7 would give that back");
    assert_eq!(city("411000")["insured"]["pension"], 6);
    assert_eq!(city("411000")["insured_total"], 12);
    assert_eq!(city("411000")["employers"], Value::Null, "one employer: a small count, suppressed");
    assert_eq!(city("411600")["persons"], Value::Null, "one person: suppressed");
    assert_eq!(d["province"]["persons"], 7);
    // No route gives a supervisor person-level data.
    for path in [
        format!("/api/v1/persons/{}", p["id"]),
        format!("/api/v1/employers/{e}"),
        format!("/api/v1/employers/{e}/insured"),
        "/api/v1/arrears".into(),
    ] {
        assert_eq!(app.get(&sup, &path).await.status(), 403, "{path}");
    }
    assert_eq!(app.post(&sup, "/api/v1/persons/search", &json!({"name_prefix": "周"})).await.status(), 403);
    // Clerks cannot read the province view.
    assert_eq!(app.get(&xc, "/api/v1/province/dashboard").await.status(), 403);
    // The dashboard page and its CSV export.
    let page = app.client.get(app.url("/province?sort=insured")).header("cookie", format!("jinbao_session={sup}")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("许昌市") && html.contains("周口市") && html.contains("&lt;5"), "cities and suppressed counts");
    assert!(html.find("许昌市").unwrap() < html.find("周口市").unwrap(), "sorted by enrolments");
    let csv = app
        .client
        .get(app.url("/province/cities.csv"))
        .header("cookie", format!("jinbao_session={sup}"))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert!(csv.starts_with(&[0xEF, 0xBB, 0xBF]));
    assert!(String::from_utf8_lossy(&csv).contains("411000,许昌市"));
    let clerk_page = app.client.get(app.url("/province")).header("cookie", format!("jinbao_session={xc}")).send().await.unwrap();
    assert_eq!(clerk_page.status(), 403);
    let xlsx = app
        .client
        .get(app.url("/province/cities.xlsx"))
        .header("cookie", format!("jinbao_session={sup}"))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert!(xlsx.starts_with(b"PK"), "an xlsx workbook (zip)");
    // The monthly package for the ministry: files listed with their checksums in the manifest.
    let zip_bytes = app.get(&sup, "/api/v1/province/report?period=2026-07").await.bytes().await.unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(zip_bytes.to_vec())).unwrap();
    let read = |zip: &mut zip::ZipArchive<std::io::Cursor<Vec<u8>>>, name: &str| {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut zip.by_name(name).unwrap(), &mut buf).unwrap();
        buf
    };
    let manifest: Value = serde_json::from_slice(&read(&mut zip, "manifest.json")).unwrap();
    assert_eq!(manifest["format"], "jinbao.monthly-statistics");
    for f in manifest["files"].as_array().unwrap() {
        let bytes = read(&mut zip, f["name"].as_str().unwrap());
        assert_eq!(f["sha256"].as_str().unwrap(), hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&bytes)), "{}", f["name"]);
    }
    let report: Value = serde_json::from_slice(&read(&mut zip, "report.json")).unwrap();
    let xc_area = report["areas"].as_array().unwrap().iter().find(|a| a["code"] == "411000").unwrap().clone();
    assert_eq!((&xc_area["persons"], &xc_area["suppressed"]), (&Value::Null, &json!(true)), "suppressed as on the dashboard");
    assert_eq!(xc_area["new_enrolments"]["pension"], 6);
    assert_eq!(report["areas"].as_array().unwrap().len(), 20, "19 tenants and the province total");
    // A city's own package holds only that city.
    let zip_bytes = app.get(&xc, "/api/v1/report?period=2026-07").await.bytes().await.unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(zip_bytes.to_vec())).unwrap();
    let report: Value = serde_json::from_slice(&read(&mut zip, "report.json")).unwrap();
    assert_eq!(report["areas"].as_array().unwrap().len(), 1);
    assert_eq!(report["areas"][0]["code"], "411000");
    // The analytics role cannot read person-level tables at all.
    let mut a = diesel::PgConnection::establish(&jinbao_store::bootstrap::with_user(&app.app_url, "jinbao_analytics")).unwrap();
    for table in [
        "person",
        "employer",
        "enrolment",
        "assessment",
        "audit_log",
        "contribution_history",
        "benefit_claim",
        "payment_line",
        "transfer",
        "transferred_period",
        "unemployment_registration",
        "training",
        "service_contact",
        "bank_statement_line",
    ] {
        let err = a.batch_execute(&format!("SELECT count(*) FROM {table}")).unwrap_err();
        assert!(err.to_string().contains("permission denied"), "{table}: {err}");
    }
}
