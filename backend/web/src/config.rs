//! Settings from the environment, optionally preloaded from a `KEY=VALUE` file named by
//! `JINBAO_CONFIG_FILE` (environment wins over the file).

use std::path::PathBuf;

#[derive(Debug, Clone)]
pub struct Settings {
    /// Connection string of the app role (`jinbao_app`).
    pub database_url: String,
    /// A streaming replica the province reads from, as the analytics role (`jinbao_analytics`);
    /// without it the province reads the primary (the app URL with the user replaced).
    pub analytics_database_url: Option<String>,
    /// The replica is read while at most this many seconds behind (`JINBAO_REPLICA_MAX_LAG_SECONDS`, 300).
    pub replica_max_lag_seconds: f64,
    pub redis_url: String,
    /// Prefix of every Redis key (default `jinbao`).
    pub redis_prefix: String,
    pub jwt_key_file: PathBuf,
    pub bind: String,
    pub frontend_dir: PathBuf,
    pub token_ttl_minutes: i64,
    /// Mark cookies `Secure` (behind HTTPS).
    pub cookie_secure: bool,
    pub pool_size: u32,
    /// Bearer token Prometheus sends to `/metrics` (`JINBAO_METRICS_TOKEN`); without one, only
    /// loopback clients may read it.
    pub metrics_token: Option<String>,
    /// Failed-login throttling (see `auth::rate_limit`).
    pub login: crate::auth::rate_limit::LoginPolicy,
    /// Reverse proxies whose `X-Forwarded-For` names the client (`JINBAO_TRUSTED_PROXIES`,
    /// comma-separated addresses or CIDR blocks). Empty: the peer address is the client.
    pub trusted_proxies: Vec<ipnet::IpNet>,
}

/// `10.0.0.1, 10.1.0.0/16` → networks (a bare address is a /32 or /128).
pub fn parse_proxies(text: &str) -> anyhow::Result<Vec<ipnet::IpNet>> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<ipnet::IpNet>()
                .or_else(|_| s.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                .map_err(|_| anyhow::anyhow!("JINBAO_TRUSTED_PROXIES: `{s}` is not an address or network"))
        })
        .collect()
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// Loads `KEY=VALUE` lines into the environment where not already set.
pub fn load_config_file() -> anyhow::Result<()> {
    let Some(path) = var("JINBAO_CONFIG_FILE") else {
        return Ok(());
    };
    let text = std::fs::read_to_string(&path).map_err(|e| anyhow::anyhow!("JINBAO_CONFIG_FILE {path}: {e}"))?;
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (k, v) = line.split_once('=').ok_or_else(|| anyhow::anyhow!("{path}:{}: expected KEY=VALUE", n + 1))?;
        if std::env::var_os(k.trim()).is_none() {
            std::env::set_var(k.trim(), v.trim());
        }
    }
    Ok(())
}

impl Settings {
    pub fn from_env() -> anyhow::Result<Settings> {
        load_config_file()?;
        let num = |name: &str, default: i64| -> anyhow::Result<i64> {
            var(name).map_or(Ok(default), |v| v.parse().map_err(|_| anyhow::anyhow!("{name}: `{v}` is not a number")))
        };
        Ok(Settings {
            database_url: var("DATABASE_URL").unwrap_or_else(|| "postgres://jinbao_app@127.0.0.1:5432/jinbao".into()),
            analytics_database_url: var("JINBAO_ANALYTICS_DATABASE_URL"),
            replica_max_lag_seconds: num("JINBAO_REPLICA_MAX_LAG_SECONDS", 300)? as f64,
            redis_url: var("REDIS_URL").unwrap_or_else(|| "redis://127.0.0.1:6379/".into()),
            redis_prefix: var("JINBAO_REDIS_PREFIX").unwrap_or_else(|| "jinbao".into()),
            jwt_key_file: var("JINBAO_JWT_KEY_FILE").map_or_else(|| PathBuf::from(".local/jwt-keys"), PathBuf::from),
            bind: var("JINBAO_BIND").unwrap_or_else(|| "127.0.0.1:8080".into()),
            frontend_dir: var("JINBAO_FRONTEND_DIR").map_or_else(|| PathBuf::from("frontend"), PathBuf::from),
            token_ttl_minutes: num("JINBAO_TOKEN_TTL_MINUTES", 30)?,
            cookie_secure: var("JINBAO_COOKIE_SECURE").is_some_and(|v| v == "1" || v == "true"),
            pool_size: num("JINBAO_DB_POOL_SIZE", 16)? as u32,
            metrics_token: var("JINBAO_METRICS_TOKEN"),
            login: crate::auth::rate_limit::LoginPolicy {
                per_ip: num("JINBAO_LOGIN_PER_IP", 30)?,
                per_user: num("JINBAO_LOGIN_PER_USER", 100)?,
                free: num("JINBAO_LOGIN_FREE_FAILURES", 3)?,
                max_delay: std::time::Duration::from_secs(num("JINBAO_LOGIN_MAX_DELAY_SECONDS", 900)?.max(1) as u64),
            },
            trusted_proxies: parse_proxies(&var("JINBAO_TRUSTED_PROXIES").unwrap_or_default())?,
        })
    }
}
