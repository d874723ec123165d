//! Redis, used for fast token revocation checks, login rate limits and caches. Every call has a
//! short timeout and reports failure instead of blocking; callers fall back (database, in-process
//! limiter), so losing Redis never loses data nor opens a door.

use std::time::{Duration, Instant};

use redis::aio::ConnectionManager;
use tokio::sync::Mutex;

const OP_TIMEOUT: Duration = Duration::from_millis(300);
const RETRY_EVERY: Duration = Duration::from_secs(5);

pub struct RedisLink {
    client: Option<redis::Client>,
    /// Namespace of every key, so deployments (and test runs) can share one Redis.
    prefix: String,
    conn: Mutex<(Option<ConnectionManager>, Option<Instant>)>,
}

#[derive(Debug)]
pub struct RedisDown;

impl RedisLink {
    pub fn new(url: &str, prefix: &str) -> RedisLink {
        let client = redis::Client::open(url).map_err(|e| tracing::warn!(error = %e, "REDIS_URL is not usable")).ok();
        RedisLink { client, prefix: prefix.to_string(), conn: Mutex::new((None, None)) }
    }

    fn key(&self, k: &str) -> String {
        format!("{}:{k}", self.prefix)
    }

    async fn connection(&self) -> Result<ConnectionManager, RedisDown> {
        let client = self.client.as_ref().ok_or(RedisDown)?;
        let mut guard = self.conn.lock().await;
        if let Some(c) = &guard.0 {
            return Ok(c.clone());
        }
        if guard.1.is_some_and(|t| t.elapsed() < RETRY_EVERY) {
            return Err(RedisDown);
        }
        guard.1 = Some(Instant::now());
        match tokio::time::timeout(OP_TIMEOUT * 3, ConnectionManager::new(client.clone())).await {
            Ok(Ok(c)) => {
                guard.0 = Some(c.clone());
                tracing::info!("connected to redis");
                Ok(c)
            }
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "redis unavailable; using fallbacks");
                Err(RedisDown)
            }
            Err(_) => {
                tracing::warn!("redis connect timed out; using fallbacks");
                Err(RedisDown)
            }
        }
    }

    async fn run<T: redis::FromRedisValue>(&self, cmd: redis::Cmd) -> Result<T, RedisDown> {
        let mut c = self.connection().await?;
        match tokio::time::timeout(OP_TIMEOUT, cmd.query_async::<T>(&mut c)).await {
            Ok(Ok(v)) => Ok(v),
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "redis command failed");
                Err(RedisDown)
            }
            Err(_) => {
                tracing::warn!("redis command timed out");
                Err(RedisDown)
            }
        }
    }

    pub async fn ping(&self) -> bool {
        self.run::<String>(redis::cmd("PING")).await.is_ok()
    }

    pub async fn exists(&self, key: &str) -> Result<bool, RedisDown> {
        self.run::<bool>(redis::Cmd::exists(self.key(key))).await
    }

    pub async fn set_ex(&self, key: &str, value: &str, seconds: u64) -> Result<(), RedisDown> {
        self.run::<()>(redis::Cmd::set_ex(self.key(key), value, seconds.max(1))).await
    }

    pub async fn get(&self, key: &str) -> Result<Option<i64>, RedisDown> {
        self.run::<Option<i64>>(redis::Cmd::get(self.key(key))).await
    }

    /// Increments a counter that expires `window_secs` after its first increment.
    pub async fn incr_window(&self, key: &str, window_secs: u64) -> Result<i64, RedisDown> {
        let key = self.key(key);
        let mut pipe = redis::pipe();
        pipe.atomic().cmd("INCR").arg(&key).cmd("EXPIRE").arg(&key).arg(window_secs).arg("NX").ignore();
        let mut c = self.connection().await?;
        match tokio::time::timeout(OP_TIMEOUT, pipe.query_async::<(i64,)>(&mut c)).await {
            Ok(Ok((n,))) => Ok(n),
            _ => Err(RedisDown),
        }
    }

    pub async fn get_text(&self, key: &str) -> Result<Option<String>, RedisDown> {
        self.run::<Option<String>>(redis::Cmd::get(self.key(key))).await
    }

    pub async fn set_ex_text(&self, key: &str, value: &str, seconds: u64) -> Result<(), RedisDown> {
        self.run::<()>(redis::Cmd::set_ex(self.key(key), value, seconds.max(1))).await
    }

    pub async fn del(&self, key: &str) -> Result<(), RedisDown> {
        self.run::<()>(redis::Cmd::del(self.key(key))).await
    }
}
