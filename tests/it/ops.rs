//! Health, readiness, metrics and the OpenAPI document.

use jinbao_tests::TestApp;
use serde_json::Value;

#[tokio::test(flavor = "multi_thread")]
async fn health_ready_metrics() {
    let app = TestApp::start().await;
    assert_eq!(app.client.get(app.url("/healthz")).send().await.unwrap().status(), 200);
    let ready: Value = app.client.get(app.url("/readyz")).send().await.unwrap().json().await.unwrap();
    assert_eq!(ready["status"], "ready");
    assert_eq!(ready["redis"], "up");
    app.login("411000", "nobody", "x").await;
    let text = app.client.get(app.url("/metrics")).send().await.unwrap().text().await.unwrap();
    assert!(text.contains(r#"jinbao_http_requests_total{method="POST",route="/api/v1/auth/login",status="401"} 1"#), "{text}");
    assert!(text.contains("jinbao_http_request_duration_seconds_bucket"));
    assert!(text.contains("jinbao_db_pool_max_connections 4"));
    // Requests are counted by tenant too (the verified token's), and the background tasks are listed.
    let token = app.token("411600", "opsclerk", &["clerk"]).await;
    assert_eq!(app.client.get(app.url("/api/v1/me")).bearer_auth(&token).send().await.unwrap().status(), 200);
    assert_eq!(app.client.get(app.url("/api/v1/persons/999999")).bearer_auth(&token).send().await.unwrap().status(), 404);
    let text = app.client.get(app.url("/metrics")).send().await.unwrap().text().await.unwrap();
    assert!(text.contains(r#"jinbao_tenant_requests_total{class="2xx",tenant="411600"}"#), "{text}");
    assert!(text.contains(r#"jinbao_tenant_requests_total{class="4xx",tenant="411600"} 1"#), "{text}");
    assert!(text.contains(r#"jinbao_background_failures_total{task="audit_sealing"} 0"#), "{text}");
}

/// The routes of `/api/v1` as registered in `backend/web/src/api/mod.rs`: (path, method) pairs, and
/// the resources that do not answer 405 to a method they do not serve.
fn registered_routes() -> (std::collections::BTreeSet<(String, String)>, Vec<String>) {
    let src = std::fs::read_to_string(jinbao_tests::repo_root().join("backend/web/src/api/mod.rs")).unwrap();
    let mut routes = std::collections::BTreeSet::new();
    let mut without_405 = Vec::new();
    for chunk in src.split("web::resource(\"").skip(1) {
        let path = chunk.split('"').next().unwrap();
        for m in ["get", "post", "patch", "put", "delete"] {
            if chunk.contains(&format!("web::{m}()")) {
                // One route serves both payment files.
                for p in if path.ends_with("/{file}") {
                    vec![path.replace("{file}", "bank.csv"), path.replace("{file}", "post.csv")]
                } else {
                    vec![path.to_string()]
                } {
                    routes.insert((format!("/api/v1{p}"), m.to_string()));
                }
            }
        }
        if !chunk.contains("method_not_allowed") {
            without_405.push(path.to_string());
        }
    }
    (routes, without_405)
}

/// `docs/openapi.json` is the document the code generates (`jinbao openapi > docs/openapi.json`
/// after a change), and the server serves exactly that document.
#[tokio::test(flavor = "multi_thread")]
async fn the_committed_and_served_documents_are_the_generated_one() {
    let generated = jinbao_web::api::doc::document();
    let committed: Value =
        serde_json::from_str(&std::fs::read_to_string(jinbao_tests::repo_root().join("docs/openapi.json")).unwrap()).unwrap();
    assert!(committed == generated, "docs/openapi.json is stale: run `cargo run --bin jinbao -- openapi > docs/openapi.json`");
    let app = TestApp::start().await;
    let served: Value = app.client.get(app.url("/api/v1/openapi.json")).send().await.unwrap().json().await.unwrap();
    assert!(served == generated, "the served document differs from the generated one");
    assert_eq!(generated["openapi"], "3.0.3");
    assert!(generated["components"]["schemas"].as_object().unwrap().len() > 100);
}

/// Every example the document shows is valid against the schema it illustrates.
#[test]
fn every_example_in_the_document_matches_its_schema() {
    let problems = jinbao_tests::openapi::contract().check_examples();
    assert!(problems.is_empty(), "{} examples disagree with their schemas:\n{}", problems.len(), problems.join("\n"));
}

/// The contract check itself refuses a body its schema refuses and a status not documented.
#[test]
fn the_contract_check_refuses_what_the_document_does_not_allow() {
    let c = jinbao_tests::openapi::contract();
    let person = br#"{"id": 1, "id_number": "4110**********0044", "id_number_masked": true, "name": "a", "gender": "female",
        "birth_date": "1985-11-20", "ethnicity": null, "hukou_kind": null, "address": null, "phone": null, "status": "active",
        "version": 1, "created_at": "2026-11-27T08:30:12Z", "updated_at": "2026-11-27T08:30:12Z"}"#;
    c.check("GET", "/api/v1/persons/7", 200, "application/json", person).expect("a valid person");
    let wrong = String::from_utf8_lossy(person).replace(r#""gender": "female""#, r#""gender": "f""#);
    assert!(c.check("GET", "/api/v1/persons/7", 200, "application/json", wrong.as_bytes()).is_err(), "an unknown gender passes");
    let missing = String::from_utf8_lossy(person).replace(r#""name": "a","#, "");
    assert!(c.check("GET", "/api/v1/persons/7", 200, "application/json", missing.as_bytes()).is_err(), "a missing name passes");
    assert!(c.check("GET", "/api/v1/persons/7", 418, "application/json", b"{}").is_err(), "an undocumented status passes");
    c.check("GET", "/persons", 200, "text/html", b"<html>").expect("pages are not the document's business");
}

/// The document and the code name the same routes, both ways, and every documented path answers
/// 405 (not 404) to a method it does not document.
#[tokio::test(flavor = "multi_thread")]
async fn the_openapi_document_and_the_routes_agree_both_ways() {
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(jinbao_tests::repo_root().join("docs/openapi.json")).unwrap()).unwrap();
    let mut documented = std::collections::BTreeSet::new();
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for m in ops.as_object().unwrap().keys().filter(|m| ["get", "post", "patch", "put", "delete"].contains(&m.as_str())) {
            documented.insert((path.clone(), m.clone()));
        }
    }
    let (mut registered, without_405) = registered_routes();
    for (p, m) in [("/api/v1/openapi.json", "get"), ("/healthz", "get"), ("/readyz", "get"), ("/metrics", "get")] {
        registered.insert((p.to_string(), m.to_string()));
    }
    let undocumented: Vec<_> = registered.difference(&documented).collect();
    let unrouted: Vec<_> = documented.difference(&registered).collect();
    assert!(
        undocumented.is_empty() && unrouted.is_empty(),
        "routed but not documented: {undocumented:?}; documented but not routed: {unrouted:?}"
    );
    assert_eq!(without_405, Vec::<String>::new(), "resources answering 404 to an undeclared method");

    let app = TestApp::start().await;
    let mut wrong = Vec::new();
    for (path, ops) in
        doc["paths"].as_object().unwrap().iter().filter(|(p, _)| p.starts_with("/api/v1/") && p.as_str() != "/api/v1/openapi.json")
    {
        let Some(method) = ["put", "delete", "patch", "post", "get"].into_iter().find(|m| ops.get(*m).is_none()) else { continue };
        let url = app.url(&path.split('/').map(|seg| if seg.starts_with('{') { "1" } else { seg }).collect::<Vec<_>>().join("/"));
        let r = app.client.request(method.to_uppercase().parse().unwrap(), url).send().await.unwrap();
        if r.status() != 405 {
            wrong.push(format!("{} {path}: {}", method.to_uppercase(), r.status()));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}
