//! The province view: aggregates of every city, read through the analytics role (never from
//! person-level tables), cached briefly in Redis.

pub mod api;
pub mod counts;
pub mod finance;
pub mod model;
pub mod page;
pub mod report;
