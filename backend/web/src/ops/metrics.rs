//! Prometheus metrics: requests by route and status, requests by tenant, latency histogram, pool
//! usage, and the background work of the server (audit sealing, statistics compaction): when it
//! last succeeded and how often it failed. Alert rules: `infra/prod/monitoring/`.

use prometheus::{Encoder, HistogramOpts, HistogramVec, IntCounterVec, IntGauge, IntGaugeVec, Opts, Registry, TextEncoder};

/// Cheap to clone: every collector shares its values.
#[derive(Clone)]
pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    tenant_requests: IntCounterVec,
    latency: HistogramVec,
    pool_connections: IntGauge,
    pool_idle: IntGauge,
    pool_max: IntGauge,
    background_success: IntGaugeVec,
    background_failures: IntCounterVec,
    replica_up: IntGauge,
    replica_lag: prometheus::Gauge,
    jobs: HistogramVec,
}

/// The server's background tasks, as labelled in the metrics.
pub const BACKGROUND_TASKS: [&str; 2] = ["audit_sealing", "stats_compaction"];

impl Metrics {
    pub fn new() -> Metrics {
        let registry = Registry::new_custom(Some("jinbao".into()), None).expect("registry");
        let requests =
            IntCounterVec::new(Opts::new("http_requests_total", "HTTP requests by route and status"), &["method", "route", "status"])
                .expect("metric");
        let latency = HistogramVec::new(
            HistogramOpts::new("http_request_duration_seconds", "HTTP request latency")
                .buckets(vec![0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0]),
            &["route"],
        )
        .expect("metric");
        let tenant_requests = IntCounterVec::new(
            Opts::new("tenant_requests_total", "HTTP requests by tenant (the verified token's) and status class"),
            &["tenant", "class"],
        )
        .expect("metric");
        let background_success = IntGaugeVec::new(
            Opts::new("background_last_success_timestamp_seconds", "When a background task last completed for every tenant"),
            &["task"],
        )
        .expect("metric");
        let background_failures =
            IntCounterVec::new(Opts::new("background_failures_total", "Background task runs that failed for a tenant"), &["task"])
                .expect("metric");
        let replica_up =
            IntGauge::new("replica_up", "The province's read replica answers (1), does not (0); absent without a replica").expect("metric");
        let replica_lag =
            prometheus::Gauge::new("replica_lag_seconds", "How far the province's read replica is behind the primary").expect("metric");
        let jobs = HistogramVec::new(
            HistogramOpts::new("job_duration_seconds", "Background jobs by kind and outcome (ok, failed)")
                .buckets(vec![0.5, 1.0, 5.0, 15.0, 60.0, 300.0, 900.0, 1800.0, 3600.0]),
            &["kind", "outcome"],
        )
        .expect("metric");
        let pool_connections = IntGauge::new("db_pool_connections", "Open database connections").expect("metric");
        let pool_idle = IntGauge::new("db_pool_idle_connections", "Idle database connections").expect("metric");
        let pool_max = IntGauge::new("db_pool_max_connections", "Configured pool size").expect("metric");
        for c in [
            Box::new(requests.clone()) as Box<dyn prometheus::core::Collector>,
            Box::new(tenant_requests.clone()),
            Box::new(background_success.clone()),
            Box::new(background_failures.clone()),
            Box::new(jobs.clone()),
            Box::new(latency.clone()),
            Box::new(pool_connections.clone()),
            Box::new(pool_idle.clone()),
            Box::new(pool_max.clone()),
        ] {
            registry.register(c).expect("register");
        }
        // Until its first round, a task counts from the server's start (an alert on the lag waits
        // for the task's first chance to run).
        for outcome in ["ok", "failed"] {
            jobs.with_label_values(&["assessment", outcome]);
        }
        for task in BACKGROUND_TASKS {
            background_failures.with_label_values(&[task]);
            background_success.with_label_values(&[task]).set(chrono::Utc::now().timestamp());
        }
        Metrics {
            registry,
            requests,
            tenant_requests,
            latency,
            pool_connections,
            pool_idle,
            pool_max,
            background_success,
            background_failures,
            replica_up,
            replica_lag,
            jobs,
        }
    }

    /// One request; `tenant` is the code from the verified token, empty when there was none.
    pub fn observe(&self, method: &str, route: &str, status: u16, seconds: f64, tenant: &str) {
        self.requests.with_label_values(&[method, route, &status.to_string()]).inc();
        self.latency.with_label_values(&[route]).observe(seconds);
        if !tenant.is_empty() {
            let class = match status {
                500.. => "5xx",
                400..=499 => "4xx",
                _ => "2xx",
            };
            self.tenant_requests.with_label_values(&[tenant, class]).inc();
        }
    }

    /// A background task went through every tenant (`ok`) or failed for one.
    pub fn background(&self, task: &str, ok: bool) {
        if ok {
            self.background_success.with_label_values(&[task]).set(chrono::Utc::now().timestamp());
        } else {
            self.background_failures.with_label_values(&[task]).inc();
        }
    }

    /// A background job ended.
    pub fn job(&self, kind: &str, ok: bool, seconds: f64) {
        self.jobs.with_label_values(&[kind, if ok { "ok" } else { "failed" }]).observe(seconds);
    }

    /// The replica's last check (registered the first time there is one: no replica, no series).
    pub fn replica(&self, check: Option<jinbao_store::analytics::ReplicaCheck>) {
        use jinbao_store::analytics::ReplicaCheck;
        let Some(check) = check else { return };
        let _ = self.registry.register(Box::new(self.replica_up.clone()));
        let _ = self.registry.register(Box::new(self.replica_lag.clone()));
        match check {
            ReplicaCheck::Lag(lag) => {
                self.replica_up.set(1);
                self.replica_lag.set(lag);
            }
            ReplicaCheck::Down => self.replica_up.set(0),
        }
    }

    /// The text exposition, with pool gauges read now.
    pub fn render(&self, pool: (u32, u32), pool_max: u32) -> String {
        self.pool_connections.set(i64::from(pool.0));
        self.pool_idle.set(i64::from(pool.1));
        self.pool_max.set(i64::from(pool_max));
        let mut buf = Vec::new();
        let _ = TextEncoder::new().encode(&self.registry.gather(), &mut buf);
        String::from_utf8(buf).unwrap_or_default()
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}
