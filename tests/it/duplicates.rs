//! The cross-city duplicate check finds planted duplicates, tells each city only about its own
//! person and the other city, and gives the province counts.

use jinbao_tests::{credit_code, id_number, register_employer, TestApp};
use serde_json::{json, Value};

async fn enrol(app: &TestApp, t: &str, e: i64, id: &str, name: &str, types: &[&str]) {
    let r = app
        .post(t, "/api/v1/enrolments", &json!({"person": {"id_number": id, "name": name}, "employer_id": e, "start_period": "2026-07", "declared_wage": "5000", "insurance_types": types}))
        .await;
    assert_eq!(r.status(), 201);
}

#[tokio::test(flavor = "multi_thread")]
async fn planted_duplicates_are_found_and_each_city_sees_only_its_side() {
    let app = TestApp::start().await;
    let xc = app.token("411000", "xc", &["clerk"]).await;
    let zk = app.token("411600", "zk", &["clerk"]).await;
    let hb = app.token("410600", "hb", &["clerk"]).await;
    let ex = register_employer(&app, &xc, &credit_code("411000", "MA0000001"), "许昌厂").await["id"].as_i64().unwrap();
    let ez = register_employer(&app, &zk, &credit_code("411600", "MA0000002"), "周口厂").await["id"].as_i64().unwrap();
    let eh = register_employer(&app, &hb, &credit_code("410600", "MA0000003"), "鹤壁厂").await["id"].as_i64().unwrap();
    let dup = id_number("411002", "19800101", 11);
    let medical_only = id_number("411002", "19800102", 13);
    enrol(&app, &xc, ex, &dup, "许昌的名字", &["pension", "medical"]).await;
    enrol(&app, &zk, ez, &dup, "周口的名字", &["pension"]).await;
    enrol(&app, &xc, ex, &medical_only, "只医疗", &["medical"]).await;
    enrol(&app, &zk, ez, &medical_only, "只医疗", &["pension"]).await;
    enrol(&app, &hb, eh, &id_number("410602", "19900101", 15), "单城", &["pension"]).await;
    let found = jinbao_store::repo::duplicates::run(&app.db, "test").unwrap();
    assert_eq!(found, 2, "one person in two cities = one finding per city");
    let x: Value = app.get(&xc, "/api/v1/duplicates").await.json().await.unwrap();
    assert_eq!(x["items"].as_array().unwrap().len(), 1);
    assert_eq!(x["items"][0]["name"], "许昌的名字");
    assert_eq!((x["items"][0]["insured_elsewhere"].as_bool(), x["items"][0]["other_city_count"].as_i64()), (Some(true), Some(1)));
    assert!(x["items"][0].get("other_cities").is_none() && !serde_json::to_string(&x).unwrap().contains("411600"), "never which city");
    let body = serde_json::to_string(&x).unwrap();
    assert!(!body.contains("周口的名字"), "nothing of the other city's person");
    let z: Value = app.get(&zk, "/api/v1/duplicates").await.json().await.unwrap();
    assert_eq!(z["items"][0]["other_city_count"], 1);
    let h: Value = app.get(&hb, "/api/v1/duplicates").await.json().await.unwrap();
    assert_eq!(h["items"].as_array().unwrap().len(), 0);
    let sup = app.token("410000", "sup", &["province_supervisor"]).await;
    let p: Value = app.get(&sup, "/api/v1/province/duplicates").await.json().await.unwrap();
    assert_eq!(
        p["items"],
        json!([{"tenant": "411000", "other": "411600", "persons": null, "suppressed": true},
               {"tenant": "411600", "other": "411000", "persons": null, "suppressed": true}]),
        "one person: a count below 5, suppressed"
    );
    // Running again replaces the findings; stopping the pension in Zhoukou clears them.
    let zp = z["items"][0]["person_id"].as_i64().unwrap();
    assert_eq!(
        app.post(&zk, "/api/v1/enrolments/stop", &json!({"person_id": zp, "employer_id": ez, "end_period": "2026-08", "reason": "转出"}))
            .await
            .status(),
        200
    );
    assert_eq!(jinbao_store::repo::duplicates::run(&app.db, "test").unwrap(), 0);
    let x: Value = app.get(&xc, "/api/v1/duplicates").await.json().await.unwrap();
    assert_eq!(x["items"].as_array().unwrap().len(), 0);
}
