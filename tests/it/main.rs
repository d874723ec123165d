//! Integration tests: real PostgreSQL and Redis, one database per test.

mod auth;
mod catalog;
mod isolation;
mod ops;
mod pages;
mod registry;
mod schema;
mod tenants;
mod validation;
