//! The HTTP edge of Jinbao: JSON API under `/api/v1`, server-rendered pages, authentication,
//! i18n, health and metrics. Handlers stay thin: parse → domain → store → render.

pub mod api;
pub mod auth;
pub mod bank;
pub mod benefits;
pub mod blocking;
pub mod config;
pub mod declarations;
pub mod error;
pub mod i18n;
pub mod idempotent;
pub mod import;
pub mod input;
pub mod labour;
pub mod ops;
pub mod pages;
pub mod payments;
pub mod province;
pub mod redis_link;
pub mod registry;
pub mod server;
pub mod state;
pub mod transfers;
pub mod upload;

pub use config::Settings;
pub use server::{build_state, run};
pub use state::AppState;
