//! The unified registry end to end: persons, employers, employment, timeline, audit.

use jinbao_tests::{count_sql, credit_code, id_number, register_employer, register_person, TestApp};
use serde_json::{json, Value};

#[tokio::test(flavor = "multi_thread")]
async fn register_search_update_hire_and_leave_with_an_audit_trail() {
    let app = TestApp::start().await;
    let t = app.token("411000", "clerk", &["clerk"]).await;
    let p = register_person(&app, &t, &id_number("411002", "19850101", 11), "张三").await;
    assert_eq!(p["birth_date"], "1985-01-01");
    assert_eq!(p["gender"], "male");
    assert_eq!(p["id_number_masked"], true);
    for (i, name) in ["张四", "张五", "张六", "李七"].iter().enumerate() {
        register_person(&app, &t, &id_number("411002", "19900101", 20 + i as u32), name).await;
    }
    // Name prefix search, paged.
    let v: Value = app.post(&t, "/api/v1/persons/search", &json!({"name_prefix": "张", "per_page": 3})).await.json().await.unwrap();
    let names: Vec<&str> = v["items"].as_array().unwrap().iter().map(|x| x["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["张三", "张五", "张六"], "ordered by code point: 三 U+4E09, 五 U+4E94, 六 U+516D, 四 U+56DB");
    assert_eq!(v["has_more"], true);
    let v: Value =
        app.post(&t, "/api/v1/persons/search", &json!({"name_prefix": "张", "per_page": 3, "page": 2})).await.json().await.unwrap();
    assert_eq!(v["items"].as_array().unwrap().len(), 1);
    assert_eq!(v["has_more"], false);
    // Exact identity number search.
    let v: Value =
        app.post(&t, "/api/v1/persons/search", &json!({"id_number": id_number("411002", "19850101", 11)})).await.json().await.unwrap();
    assert_eq!(v["items"][0]["id"], p["id"]);
    // Update with reason: audited with before and after, request id kept.
    let r = app
        .client
        .patch(app.url(&format!("/api/v1/persons/{}", p["id"])))
        .bearer_auth(&t)
        .header("x-request-id", "req-test-42")
        .json(&json!({"phone": "13800000000", "reason": "本人来电更正"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["x-request-id"], "req-test-42");
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["phone"], "13800000000");
    assert_eq!(v["version"], 2);
    let audited = count_sql(
        &app,
        "411000",
        &format!(
            "SELECT count(*) AS n FROM audit_log WHERE entity = 'person' AND entity_id = '{}' AND action = 'person.update'
             AND before->>'phone' IS NULL AND after->>'phone' = '13800000000' AND reason = '本人来电更正'
             AND request_id = 'req-test-42' AND actor = 'user:clerk' AND office_id IS NOT NULL AND user_id IS NOT NULL
             AND after->>'id_number' LIKE '4110%****%'",
            p["id"]
        ),
    );
    assert_eq!(audited, 1, "audit row with before/after, reason, request id, masked id number");
    // Employer and employment.
    let e = register_employer(&app, &t, &credit_code("411000", "MA0000001"), "许昌一厂").await;
    let r = app.post(&t, "/api/v1/employments", &json!({"person_id": p["id"], "employer_id": e["id"], "start_date": "2024-03-01"})).await;
    assert_eq!(r.status(), 201);
    let job: Value = r.json().await.unwrap();
    let r = app.post(&t, "/api/v1/employments", &json!({"person_id": p["id"], "employer_id": e["id"], "start_date": "2024-04-01"})).await;
    assert_eq!(r.status(), 409, "one open employment per person and employer");
    let staff: Value = app.get(&t, &format!("/api/v1/employers/{}/employees", e["id"])).await.json().await.unwrap();
    assert_eq!(staff["items"][0]["name"], "张三");
    assert!(staff["items"][0]["id_number"].as_str().unwrap().contains('*'));
    let r = app.post(&t, &format!("/api/v1/employments/{}/end", job["id"]), &json!({"end_date": "2024-02-01"})).await;
    assert_eq!(r.status(), 422, "end before start");
    let r = app.post(&t, &format!("/api/v1/employments/{}/end", job["id"]), &json!({"end_date": "2025-06-30", "reason": "合同到期"})).await;
    assert_eq!(r.status(), 200);
    let r = app.post(&t, &format!("/api/v1/employments/{}/end", job["id"]), &json!({"end_date": "2025-07-30"})).await;
    assert_eq!(r.status(), 409);
    // The timeline tells the story, newest first.
    let tl: Value = app.get(&t, &format!("/api/v1/persons/{}/timeline", p["id"])).await.json().await.unwrap();
    let kinds: Vec<&str> = tl["items"].as_array().unwrap().iter().map(|x| x["kind"].as_str().unwrap()).collect();
    assert!(
        kinds.contains(&"registered") && kinds.contains(&"employed") && kinds.contains(&"left_employment") && kinds.contains(&"updated"),
        "{kinds:?}"
    );
    let jobs: Value = app.get(&t, &format!("/api/v1/persons/{}/employments", p["id"])).await.json().await.unwrap();
    assert_eq!(jobs["items"][0]["end_date"], "2025-06-30");
    // Employer update and search.
    let r = app.patch(&t, &format!("/api/v1/employers/{}", e["id"]), &json!({"risk_class": 5, "reason": "行业变更"})).await;
    assert_eq!(r.status(), 200);
    let v: Value = app.post(&t, "/api/v1/employers/search", &json!({"name_prefix": "许昌"})).await.json().await.unwrap();
    assert_eq!(v["items"][0]["risk_class"], 5);
    let v: Value =
        app.post(&t, "/api/v1/employers/search", &json!({"credit_code": credit_code("411000", "MA0000001")})).await.json().await.unwrap();
    assert_eq!(v["items"].as_array().unwrap().len(), 1);
    assert_eq!(count_sql(&app, "411000", "SELECT count(*) AS n FROM audit_log WHERE action LIKE 'employ%'"), 4);
}

#[tokio::test(flavor = "multi_thread")]
async fn like_wildcards_in_a_prefix_are_literal() {
    let app = TestApp::start().await;
    let t = app.token("411000", "clerk", &["clerk"]).await;
    register_person(&app, &t, &id_number("411002", "19850101", 11), "王_一").await;
    register_person(&app, &t, &id_number("411002", "19850101", 13), "王二").await;
    let v: Value = app.post(&t, "/api/v1/persons/search", &json!({"name_prefix": "王_"})).await.json().await.unwrap();
    assert_eq!(v["items"].as_array().unwrap().len(), 1);
    let v: Value = app.post(&t, "/api/v1/persons/search", &json!({"name_prefix": "%"})).await.json().await.unwrap();
    assert_eq!(v["items"].as_array().unwrap().len(), 0);
}
