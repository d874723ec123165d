//! Failed-login throttling, counted in Redis, or in process memory while Redis is unreachable
//! (never fail open). Nothing here depends on whether the user exists, so throttling answers an
//! unknown user and a real one alike.
//!
//! - **Per client address and user** (the attacker's own pair): after `free` failures in the
//!   window, each further failure makes this pair wait `2^(n - free)` seconds (capped at
//!   `max_delay`) before the next attempt. A clerk at another address is not affected.
//! - **Per client address**: at most `per_ip` failures in the window (whatever the users).
//! - **Per user, all addresses**: at most `per_user` failures in the window — except from an
//!   address this user has logged in from successfully within 30 days, so an outsider spraying
//!   a named clerk cannot keep that clerk out of the office.
//!
//! The client address is the peer, or the `X-Forwarded-For` entry added by a trusted proxy
//! (see [`crate::auth::client_ip`]).
//!
//! Every count and wait is kept in Redis (shared by the servers) **and** in this process (read as
//! the larger of the two), so neither a Redis outage nor a Redis that comes back empty lifts a
//! throttle early. The process copy is bounded ([`LOCAL_MAX`] entries).
//!
//! [`ActionLimiter`] bounds actions that could be used to probe other cities (opening transfers),
//! per user.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::Mutex;

use crate::redis_link::RedisLink;

pub const WINDOW: Duration = Duration::from_secs(15 * 60);

/// The most throttle entries one process keeps; beyond, those expiring soonest are dropped.
pub const LOCAL_MAX: usize = 200_000;
const KNOWN_FOR: Duration = Duration::from_secs(30 * 86400);

/// The throttling figures (docs/security.md).
#[derive(Debug, Clone, Copy)]
pub struct LoginPolicy {
    pub per_ip: i64,
    pub per_user: i64,
    pub free: i64,
    pub max_delay: Duration,
}

impl Default for LoginPolicy {
    fn default() -> Self {
        LoginPolicy { per_ip: 30, per_user: 100, free: 3, max_delay: Duration::from_secs(900) }
    }
}

/// Counts and flags kept in Redis (shared by the servers) and in this process (read as the larger
/// of the two), bounded by [`LOCAL_MAX`] entries.
struct Counters {
    redis: Arc<RedisLink>,
    /// key → (value, expires)
    local: Mutex<HashMap<String, (i64, Instant)>>,
}

impl Counters {
    fn new(redis: Arc<RedisLink>) -> Counters {
        Counters { redis, local: Mutex::new(HashMap::new()) }
    }

    async fn local_get(&self, key: &str) -> i64 {
        let map = self.local.lock().await;
        map.get(key).filter(|(_, until)| *until > Instant::now()).map_or(0, |(n, _)| *n)
    }

    async fn count(&self, key: &str) -> i64 {
        match self.redis.get(key).await {
            Ok(v) => v.unwrap_or(0).max(self.local_get(key).await),
            Err(_) => self.local_get(key).await,
        }
    }

    async fn flag(&self, key: &str) -> bool {
        match self.redis.exists(key).await {
            Ok(true) => true,
            _ => self.local_get(key).await > 0,
        }
    }

    /// Adds one to the count under `key` (a window of `window` from its first count).
    async fn incr(&self, key: String, window: Duration) -> i64 {
        let shared = self.redis.incr_window(&key, window.as_secs()).await.ok();
        let mut map = self.local.lock().await;
        prune(&mut map);
        let e = map.entry(key).or_insert((0, Instant::now() + window));
        e.0 += 1;
        shared.unwrap_or(0).max(e.0)
    }

    async fn set_flag(&self, key: String, ttl: Duration) {
        let _ = self.redis.set_ex(&key, "1", ttl.as_secs().max(1)).await;
        let mut map = self.local.lock().await;
        prune(&mut map);
        map.insert(key, (1, Instant::now() + ttl));
    }

    async fn forget(&self, key: &str) {
        let _ = self.redis.del(key).await;
        self.local.lock().await.remove(key);
    }
}

pub struct LoginLimiter {
    counters: Counters,
    pub policy: LoginPolicy,
}

pub fn ip_key(ip: &str) -> String {
    format!("rl:login:ip:{ip}")
}

pub fn user_key(tenant_code: &str, username: &str) -> String {
    format!("rl:login:user:{tenant_code}:{username}")
}

fn pair_key(tenant_code: &str, username: &str, ip: &str) -> String {
    format!("rl:login:pair:{tenant_code}:{username}:{ip}")
}

fn wait_key(tenant_code: &str, username: &str, ip: &str) -> String {
    format!("rl:login:wait:{tenant_code}:{username}:{ip}")
}

fn known_key(tenant_code: &str, username: &str, ip: &str) -> String {
    format!("rl:login:known:{tenant_code}:{username}:{ip}")
}

/// The wait after the `n`-th failure of a pair: none for the first `free`, then 1, 2, 4 … seconds.
pub fn delay_after(n: i64, policy: &LoginPolicy) -> Option<Duration> {
    if n < policy.free {
        return None;
    }
    let exp = (n - policy.free).min(30) as u32;
    Some(Duration::from_secs(2u64.saturating_pow(exp)).min(policy.max_delay))
}

/// Drops expired entries, and the ones expiring soonest when over [`LOCAL_MAX`].
fn prune(map: &mut HashMap<String, (i64, Instant)>) {
    let now = Instant::now();
    map.retain(|_, (_, until)| *until > now);
    if map.len() >= LOCAL_MAX {
        let mut by_expiry: Vec<(Instant, String)> = map.iter().map(|(k, (_, u))| (*u, k.clone())).collect();
        by_expiry.sort();
        for (_, k) in by_expiry.into_iter().take(LOCAL_MAX / 10) {
            map.remove(&k);
        }
    }
}

impl LoginLimiter {
    pub fn new(redis: Arc<RedisLink>, policy: LoginPolicy) -> LoginLimiter {
        LoginLimiter { counters: Counters::new(redis), policy }
    }

    /// Whether this attempt is refused before the password is looked at.
    pub async fn blocked(&self, ip: &str, tenant_code: &str, username: &str) -> bool {
        let c = &self.counters;
        if c.flag(&wait_key(tenant_code, username, ip)).await || c.count(&ip_key(ip)).await >= self.policy.per_ip {
            return true;
        }
        c.count(&user_key(tenant_code, username)).await >= self.policy.per_user && !c.flag(&known_key(tenant_code, username, ip)).await
    }

    pub async fn record_failure(&self, ip: &str, tenant_code: &str, username: &str) {
        let c = &self.counters;
        c.incr(ip_key(ip), WINDOW).await;
        c.incr(user_key(tenant_code, username), WINDOW).await;
        let n = c.incr(pair_key(tenant_code, username, ip), WINDOW).await;
        if let Some(wait) = delay_after(n, &self.policy) {
            c.set_flag(wait_key(tenant_code, username, ip), wait).await;
        }
    }

    /// A successful login: this address is known for the user; its own failures are forgiven.
    pub async fn record_success(&self, ip: &str, tenant_code: &str, username: &str) {
        for key in [pair_key(tenant_code, username, ip), wait_key(tenant_code, username, ip)] {
            self.counters.forget(&key).await;
        }
        self.counters.set_flag(known_key(tenant_code, username, ip), KNOWN_FOR).await;
    }

    /// An administrator lifts every throttle of a user (all addresses).
    pub async fn clear_user(&self, tenant_code: &str, username: &str) {
        self.counters.forget(&user_key(tenant_code, username)).await;
    }
}

/// At most `limit` attempts of one action per key (a user) within `window`, every attempt
/// counted (refused ones too), kept like the login counts (Redis and this process).
pub struct ActionLimiter {
    counters: Counters,
    pub limit: i64,
    pub window: Duration,
}

/// Opening transfers: per user and hour.
pub const TRANSFER_OPENS_PER_HOUR: i64 = 30;

pub fn transfer_open_key(tenant: i16, user_id: i64) -> String {
    format!("rl:transfer_open:{tenant}:{user_id}")
}

/// The heavier things an online account can ask for (a yearly statement computed, a transfer
/// request): per account and hour.
pub const PORTAL_HEAVY_PER_HOUR: i64 = 20;

pub fn portal_heavy_key(tenant: i16, account_id: i64) -> String {
    format!("rl:portal_heavy:{tenant}:{account_id}")
}

impl ActionLimiter {
    pub fn new(redis: Arc<RedisLink>, limit: i64, window: Duration) -> ActionLimiter {
        ActionLimiter { counters: Counters::new(redis), limit, window }
    }

    /// Counts one attempt under `key`; false once the attempts in the window exceed the limit.
    pub async fn allow(&self, key: &str) -> bool {
        self.counters.incr(key.to_string(), self.window).await <= self.limit
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delay_grows_after_the_free_failures_and_is_capped() {
        let p = LoginPolicy::default();
        assert_eq!(delay_after(2, &p), None);
        assert_eq!(delay_after(3, &p), Some(Duration::from_secs(1)));
        assert_eq!(delay_after(4, &p), Some(Duration::from_secs(2)));
        assert_eq!(delay_after(8, &p), Some(Duration::from_secs(32)));
        assert_eq!(delay_after(40, &p), Some(Duration::from_secs(900)));
        assert_eq!(delay_after(i64::MAX, &p), Some(Duration::from_secs(900)));
    }
}
