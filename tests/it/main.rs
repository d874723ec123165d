//! Integration tests: real PostgreSQL and Redis, one database per test.

mod smoke;
