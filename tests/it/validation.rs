//! Input validation: identity numbers, credit codes, duplicates, messages in both languages,
//! and nothing written on error.

use jinbao_tests::{count_sql, credit_code, id_number, register_person, TestApp};
use serde_json::{json, Value};

async fn person_error(app: &TestApp, token: &str, id: &str) -> (u16, Value) {
    let r = app.post(token, "/api/v1/persons", &json!({"id_number": id, "name": "测试"})).await;
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

#[tokio::test(flavor = "multi_thread")]
async fn identity_numbers_are_checked_and_nothing_is_written_on_error() {
    let app = TestApp::start().await;
    let t = app.token("411000", "clerk", &["clerk"]).await;
    let audit_before = app.count_in("411000", "audit_log");
    for (id, code) in [
        ("410102199003071231", "id_number.checksum"),
        ("41010219900230123X", "id_number.birth_date"),
        (id_number("410102", "20990101", 123).as_str(), "id_number.birth_in_future"),
        ("4101021990", "id_number.length"),
        ("", "required"),
    ] {
        let (status, body) = person_error(&app, &t, id).await;
        assert_eq!(status, 422, "{id}");
        assert_eq!(body["error"]["fields"][0]["field"], "id_number", "{id}");
        assert_eq!(body["error"]["fields"][0]["code"], code, "{id}");
        let msg = body["error"]["fields"][0]["message"].as_str().unwrap();
        assert!(msg.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "Chinese message for {id}: {msg}");
    }
    assert_eq!(app.count_in("411000", "person"), 0);
    assert_eq!(app.count_in("411000", "audit_log"), audit_before);
    // A 30 February with a correctly computed check character is still refused.
    let (status, body) = person_error(&app, &t, &id_number("410102", "19900230", 123)).await;
    assert_eq!((status, body["error"]["fields"][0]["code"].as_str()), (422, Some("id_number.birth_date")));
    // Lower-case x is accepted and stored upper-case; birth date and gender are derived.
    let reviewer = app.token("411000", "rev", &["reviewer"]).await;
    let p = register_person(&app, &t, "11010519491231002x", "北京").await;
    let full: Value = app.get(&reviewer, &format!("/api/v1/persons/{}", p["id"])).await.json().await.unwrap();
    assert_eq!(full["id_number"], "11010519491231002X");
    assert_eq!(full["birth_date"], "1949-12-31");
    assert_eq!(full["gender"], "female");
    // 15-digit legacy numbers are upgraded.
    let p = register_person(&app, &t, "410102900307123", "老号").await;
    let full: Value = app.get(&reviewer, &format!("/api/v1/persons/{}", p["id"])).await.json().await.unwrap();
    assert_eq!(full["id_number"], "410102199003071230");
    assert_eq!(full["gender"], "male");
    // Reference examples.
    for id in ["411002198511200044", "411602197806150521", "410602199202291014"] {
        register_person(&app, &t, id, "示例").await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn english_messages_on_request() {
    let app = TestApp::start().await;
    let t = app.token("411000", "clerk", &["clerk"]).await;
    let r = app
        .client
        .post(app.url("/api/v1/persons"))
        .bearer_auth(&t)
        .header("Accept-Language", "en-US,en;q=0.9")
        .json(&json!({"id_number": "410102199003071231", "name": ""}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let v: Value = r.json().await.unwrap();
    let fields = v["error"]["fields"].as_array().unwrap();
    assert_eq!(fields.len(), 2, "both problems at once: {v}");
    for f in fields {
        let m = f["message"].as_str().unwrap();
        assert!(m.is_ascii() && !m.is_empty() && !m.contains("errors."), "English message: {m}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn duplicates_conflict_within_a_city_but_not_across_cities() {
    let app = TestApp::start().await;
    let xc = app.token("411000", "xc", &["clerk"]).await;
    let zk = app.token("411600", "zk", &["clerk"]).await;
    let id = id_number("411002", "19850101", 11);
    register_person(&app, &xc, &id, "许一").await;
    let r = app.post(&xc, "/api/v1/persons", &json!({"id_number": id, "name": "许一"})).await;
    assert_eq!(r.status(), 409);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"]["code"], "person.duplicate");
    // Zhoukou registers the same person independently; the response reveals nothing of Xuchang.
    let r = app.post(&zk, "/api/v1/persons", &json!({"id_number": id, "name": "周某"})).await;
    assert_eq!(r.status(), 201);
    let body = r.text().await.unwrap();
    assert!(!body.contains("许一") && !body.contains("411000"), "{body}");
    assert_eq!(app.count_in("411000", "person"), 1);
    assert_eq!(app.count_in("411600", "person"), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn credit_codes_are_checked() {
    let app = TestApp::start().await;
    let t = app.token("411000", "clerk", &["clerk"]).await;
    let body = |code: &str| json!({"credit_code": code, "name": "单位", "risk_class": 1, "registered_on": "2020-01-01"});
    for code in ["91410100MA3X7K2P21", "12411600415600120Q", "914110001725001321", "91350100M000100Y43"] {
        assert_eq!(app.post(&t, "/api/v1/employers", &body(code)).await.status(), 201, "{code}");
    }
    for (code, err) in
        [("91410100MA3X7K2P22", "credit_code.checksum"), ("91410100MA3X7K2PI1", "credit_code.format"), ("914101", "credit_code.length")]
    {
        let r = app.post(&t, "/api/v1/employers", &body(code)).await;
        assert_eq!(r.status(), 422, "{code}");
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["error"]["fields"][0]["code"], err, "{code}");
    }
    let r = app.post(&t, "/api/v1/employers", &body("91410100MA3X7K2P21")).await;
    assert_eq!(r.status(), 409);
    let r = app
        .post(
            &t,
            "/api/v1/employers",
            &json!({"credit_code": credit_code("411000", "MA0000001"), "name": "x", "risk_class": 9, "registered_on": "2020-13-01"}),
        )
        .await;
    let v: Value = r.json().await.unwrap();
    let codes: Vec<&str> = v["error"]["fields"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["risk_class.range", "date.format"]);
    assert_eq!(count_sql(&app, "411000", "SELECT count(*) AS n FROM employer"), 4);
}

#[tokio::test(flavor = "multi_thread")]
async fn malformed_bodies_are_400() {
    let app = TestApp::start().await;
    let t = app.token("411000", "clerk", &["clerk"]).await;
    let r = app
        .client
        .post(app.url("/api/v1/persons"))
        .bearer_auth(&t)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"]["code"], "request.malformed");
    let r = app.patch(&t, "/api/v1/persons/1", &json!({"name": "x"})).await;
    assert_eq!(r.status(), 422, "a change needs a reason");
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"]["fields"][0]["code"], "reason.required");
}
