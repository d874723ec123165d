//! The HTTP edge of Jinbao: JSON API under `/api/v1`, server-rendered pages, authentication,
//! i18n, health and metrics. Handlers stay thin: parse → domain → store → render.
#![recursion_limit = "512"]

pub mod api;
pub mod auth;
pub mod blocking;
pub mod config;
pub mod error;
pub mod i18n;
pub mod idempotent;
pub mod jobs;
pub mod ops;
pub mod pages;
pub mod portal;
pub mod province;
pub mod redis_link;
pub mod server;
pub mod state;
pub mod transfers;

pub use config::Settings;
pub use server::{build_state, run};
pub use state::AppState;
