//! Integration tests: real PostgreSQL and Redis, one database per test.

mod assessment_equivalence;
mod audit_chain;
mod auth;
mod benefits;
mod catalog;
mod duplicates;
mod grants;
mod import;
mod import_records;
mod insurance;
mod isolation;
mod labour;
mod login_safety;
mod onboarding;
mod ops;
mod pages;
mod payment_safety;
mod province;
mod reconciliation;
mod registry;
mod schema;
mod suppression;
mod tenants;
mod transfers;
mod ui_flows;
mod validation;
