//! Operations: request ids and access logs, Prometheus metrics, health and readiness.

pub mod health;
pub mod metrics;
pub mod request_id;
