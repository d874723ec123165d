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

#[tokio::test(flavor = "multi_thread")]
async fn the_openapi_document_lists_every_api_route() {
    let app = TestApp::start().await;
    let doc: Value = app.client.get(app.url("/api/v1/openapi.json")).send().await.unwrap().json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    for (path, method) in [
        ("/api/v1/auth/login", "post"),
        ("/api/v1/auth/logout", "post"),
        ("/api/v1/me", "get"),
        ("/api/v1/persons", "post"),
        ("/api/v1/persons/search", "post"),
        ("/api/v1/persons/{id}", "get"),
        ("/api/v1/persons/{id}", "patch"),
        ("/api/v1/persons/{id}/timeline", "get"),
        ("/api/v1/persons/{id}/employments", "get"),
        ("/api/v1/employers", "post"),
        ("/api/v1/employers/search", "post"),
        ("/api/v1/employers/{id}", "get"),
        ("/api/v1/employers/{id}", "patch"),
        ("/api/v1/employers/{id}/employees", "get"),
        ("/api/v1/employments", "post"),
        ("/api/v1/employments/{id}/end", "post"),
    ] {
        assert!(paths.get(path).and_then(|p| p.get(method)).is_some(), "{method} {path} missing from the OpenAPI document");
    }
}
