//! Everything a request may need, built once at start-up.

use std::sync::Arc;

use handlebars::Handlebars;
use jinbao_store::{Analytics, Db};

use crate::auth::rate_limit::{ActionLimiter, LoginLimiter};
use crate::auth::{KeySet, PermissionMap};
use crate::config::Settings;
use crate::i18n::Catalog;
use crate::ops::metrics::Metrics;
use crate::redis_link::RedisLink;

pub struct AppState {
    pub settings: Settings,
    pub db: Db,
    /// Connected as the analytics role: aggregate tables of every tenant, nothing else. Opened
    /// only through [`crate::auth::Principal::province`], which checks the session first.
    pub analytics: Analytics,
    pub redis: Arc<RedisLink>,
    pub keys: KeySet,
    pub permissions: PermissionMap,
    pub limiter: LoginLimiter,
    /// Opening transfers, per user (see `api::transfers::open_letter`).
    pub transfer_opens: ActionLimiter,
    /// Statements computed and transfer requests filed online, per account.
    pub portal_heavy: ActionLimiter,
    pub catalog: Catalog,
    pub templates: Handlebars<'static>,
    pub metrics: Metrics,
}
