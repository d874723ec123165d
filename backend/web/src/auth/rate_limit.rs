//! Failed-login throttling per IP and per user, and the per-user limit on actions that could be
//! used to probe (opening transfers): counted in Redis, or in process memory while Redis is
//! unreachable (never fail open).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::Mutex;

use crate::redis_link::RedisLink;

pub const WINDOW: Duration = Duration::from_secs(15 * 60);

pub struct LoginLimiter {
    redis: Arc<RedisLink>,
    local: Mutex<HashMap<String, (i64, Instant)>>,
    pub per_ip: i64,
    pub per_user: i64,
}

pub fn ip_key(ip: &str) -> String {
    format!("rl:login:ip:{ip}")
}

pub fn user_key(tenant_code: &str, username: &str) -> String {
    format!("rl:login:user:{tenant_code}:{username}")
}

impl LoginLimiter {
    pub fn new(redis: Arc<RedisLink>, per_ip: i64, per_user: i64) -> LoginLimiter {
        LoginLimiter { redis, local: Mutex::new(HashMap::new()), per_ip, per_user }
    }

    async fn count(&self, key: &str) -> i64 {
        match self.redis.get(key).await {
            Ok(v) => v.unwrap_or(0).max(self.local_count(key).await),
            Err(_) => self.local_count(key).await,
        }
    }

    async fn local_count(&self, key: &str) -> i64 {
        let map = self.local.lock().await;
        map.get(key).filter(|(_, t)| t.elapsed() < WINDOW).map_or(0, |(n, _)| *n)
    }

    /// Whether further attempts are refused for this IP or user.
    pub async fn blocked(&self, ip: &str, tenant_code: &str, username: &str) -> bool {
        self.count(&ip_key(ip)).await >= self.per_ip || self.count(&user_key(tenant_code, username)).await >= self.per_user
    }

    pub async fn record_failure(&self, ip: &str, tenant_code: &str, username: &str) {
        for key in [ip_key(ip), user_key(tenant_code, username)] {
            if self.redis.incr_window(&key, WINDOW.as_secs()).await.is_err() {
                let mut map = self.local.lock().await;
                map.retain(|_, (_, t)| t.elapsed() < WINDOW);
                let e = map.entry(key).or_insert((0, Instant::now()));
                e.0 += 1;
            }
        }
    }

    pub async fn clear_user(&self, tenant_code: &str, username: &str) {
        let key = user_key(tenant_code, username);
        let _ = self.redis.del(&key).await;
        self.local.lock().await.remove(&key);
    }
}

/// At most `limit` attempts of one action per key (a user) within `window`, every attempt
/// counted (refused ones too).
pub struct ActionLimiter {
    redis: Arc<RedisLink>,
    local: Mutex<HashMap<String, (i64, Instant)>>,
    pub limit: i64,
    pub window: Duration,
}

/// Opening transfers: per user and hour.
pub const TRANSFER_OPENS_PER_HOUR: i64 = 30;

pub fn transfer_open_key(tenant: i16, user_id: i64) -> String {
    format!("rl:transfer_open:{tenant}:{user_id}")
}

impl ActionLimiter {
    pub fn new(redis: Arc<RedisLink>, limit: i64, window: Duration) -> ActionLimiter {
        ActionLimiter { redis, local: Mutex::new(HashMap::new()), limit, window }
    }

    /// Counts one attempt under `key`; false once the attempts in the window exceed the limit.
    pub async fn allow(&self, key: &str) -> bool {
        let n = match self.redis.incr_window(key, self.window.as_secs()).await {
            // Attempts counted in memory during an outage still count once Redis is back.
            Ok(n) => n.max(self.local_count(key).await),
            Err(_) => {
                let mut map = self.local.lock().await;
                map.retain(|_, (_, t)| t.elapsed() < self.window);
                let e = map.entry(key.to_string()).or_insert((0, Instant::now()));
                e.0 += 1;
                e.0
            }
        };
        n <= self.limit
    }

    async fn local_count(&self, key: &str) -> i64 {
        let map = self.local.lock().await;
        map.get(key).filter(|(_, t)| t.elapsed() < self.window).map_or(0, |(n, _)| *n)
    }
}
