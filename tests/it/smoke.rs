use jinbao_tests::TestApp;

#[tokio::test(flavor = "multi_thread")]
async fn health_and_login() {
    let app = TestApp::start().await;
    let r = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let r = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let token = app.token("411000", "clerk1", &["clerk"]).await;
    let r = app.get(&token, "/api/v1/me").await;
    assert_eq!(r.status(), 200);
}
