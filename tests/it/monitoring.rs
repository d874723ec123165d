//! The monitoring that ships in `infra/prod/monitoring/`: the alert rules and the scrape
//! configuration pass promtool, the alert cases (`alerts.test.yml`) fire as written, and every
//! metric the rules and the Grafana dashboard query is one the server (or the backup script)
//! really exports, so a renamed metric cannot silence an alert.

use std::collections::BTreeSet;
use std::process::Command;

use jinbao_tests::{repo_root, TestApp};

fn promtool(args: &[&str]) -> String {
    let out = Command::new("promtool")
        .args(args)
        .current_dir(repo_root().join("infra/prod/monitoring"))
        .output()
        .expect("promtool (Debian package prometheus; infra/dev/test.sh installs it)");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "promtool {args:?}: {text}");
    text
}

fn metric_names(text: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut rest = text;
    while let Some(i) = rest.find("jinbao_") {
        let name: String = rest[i..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        rest = &rest[i + name.len()..];
        names.insert(name.trim_end_matches("_bucket").to_string());
    }
    names
}

#[tokio::test(flavor = "multi_thread")]
async fn alert_rules_and_dashboard_query_metrics_that_exist() {
    assert!(promtool(&["check", "rules", "alerts.yml"]).contains("SUCCESS: 13 rules found"));
    assert!(promtool(&["test", "rules", "alerts.test.yml"]).contains("SUCCESS"));
    promtool(&["check", "config", "--syntax-only", "prometheus.yml"]);

    let dir = repo_root().join("infra/prod/monitoring");
    let dashboard: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(dir.join("grafana-dashboard.json")).unwrap()).unwrap();
    let panels = dashboard["panels"].as_array().unwrap();
    assert!(panels.len() >= 10);
    let mut queried = metric_names(&std::fs::read_to_string(dir.join("alerts.yml")).unwrap());
    for p in panels {
        for t in p["targets"].as_array().unwrap() {
            queried.extend(metric_names(t["expr"].as_str().unwrap()));
        }
    }

    // What a running server exports, once it has served a tenant's request — with a replica
    // configured (here the primary itself, read as the analytics role), so the replica's metrics
    // are there too.
    let app = TestApp::start_with(|s| {
        s.analytics_database_url = Some(jinbao_store::bootstrap::with_user(&s.database_url, jinbao_store::bootstrap::ANALYTICS_ROLE));
    })
    .await;
    let token = app.token("411000", "monclerk", &["clerk"]).await;
    assert_eq!(app.client.get(app.url("/api/v1/me")).bearer_auth(&token).send().await.unwrap().status(), 200);
    let mut exported = metric_names(&app.client.get(app.url("/metrics")).send().await.unwrap().text().await.unwrap());
    // The backup script writes its own textfile metric.
    exported.extend(metric_names(&std::fs::read_to_string(repo_root().join("infra/prod/backup/backup.sh")).unwrap()));
    let missing: Vec<&String> = queried.iter().filter(|m| !exported.contains(*m)).collect();
    assert!(missing.is_empty(), "queried but never exported: {missing:?}");
    assert!(queried.contains("jinbao_tenant_requests_total") && queried.contains("jinbao_db_pool_idle_connections"));
}
