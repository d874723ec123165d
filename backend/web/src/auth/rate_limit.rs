//! Failed-login throttling per IP and per user: counted in Redis, or in process memory while
//! Redis is unreachable (never fail open).

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
