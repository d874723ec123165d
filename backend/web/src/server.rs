//! Building the application state and serving it.

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::{middleware, web, App, HttpServer};
use handlebars::Handlebars;
use jinbao_store::repo::global;
use jinbao_store::{Db, PoolSettings};

use crate::auth::rate_limit::{ActionLimiter, LoginLimiter, PORTAL_HEAVY_PER_HOUR, TRANSFER_OPENS_PER_HOUR};
use crate::auth::{KeySet, PermissionMap};
use crate::config::Settings;
use crate::i18n::Catalog;
use crate::ops::metrics::Metrics;
use crate::redis_link::RedisLink;
use crate::state::AppState;
use crate::{api, error, ops, pages, portal};

/// Connects, verifies the database role is confined by row-level security, loads keys,
/// templates, messages and permissions. Fails loudly on any of them.
pub fn build_state(settings: Settings) -> anyhow::Result<AppState> {
    let db = Db::connect(&settings.database_url, &PoolSettings { max_size: settings.pool_size, ..PoolSettings::default() })?;
    db.assert_app_role_is_confined()?;
    // The province reads the primary through the analytics role; with a replica configured
    // (JINBAO_ANALYTICS_DATABASE_URL), the replica while it answers and keeps up. The server starts
    // whether the replica answers or not: city work never needs it.
    let primary_analytics_url = jinbao_store::bootstrap::with_user(&settings.database_url, jinbao_store::bootstrap::ANALYTICS_ROLE);
    let analytics_pool = |url: &str, timeout: std::time::Duration, background: bool| -> Result<Db, jinbao_store::StoreError> {
        Db::connect(
            url,
            &PoolSettings {
                max_size: 4,
                application_name: "jinbao-analytics".into(),
                connection_timeout: timeout,
                background,
                ..PoolSettings::default()
            },
        )
    };
    let analytics = analytics_pool(&primary_analytics_url, std::time::Duration::from_secs(3), true)?;
    analytics.assert_app_role_is_confined()?;
    let analytics = match &settings.analytics_database_url {
        Some(url) => {
            let replica = analytics_pool(url, std::time::Duration::from_secs(1), false)?;
            jinbao_store::Analytics::with_replica(analytics, replica, settings.replica_max_lag_seconds)
        }
        None => jinbao_store::Analytics::new(analytics),
    };
    let keys = KeySet::load_or_create(&settings.jwt_key_file)?;
    let catalog = Catalog::load(&settings.frontend_dir.join("locales"))?;
    error::install_catalog(catalog.clone());
    let templates = load_templates(&settings.frontend_dir.join("templates"))?;
    let permissions = PermissionMap::from_rows(global::role_permissions(&db)?);
    let redis = Arc::new(RedisLink::new(&settings.redis_url, &settings.redis_prefix));
    let limiter = LoginLimiter::new(redis.clone(), settings.login);
    let transfer_opens = ActionLimiter::new(redis.clone(), TRANSFER_OPENS_PER_HOUR, std::time::Duration::from_secs(3600));
    let portal_heavy = ActionLimiter::new(redis.clone(), PORTAL_HEAVY_PER_HOUR, std::time::Duration::from_secs(3600));
    Ok(AppState {
        settings,
        db,
        analytics,
        redis,
        keys,
        permissions,
        limiter,
        transfer_opens,
        portal_heavy,
        catalog,
        templates,
        metrics: Metrics::new(),
    })
}

pub fn load_templates(dir: &std::path::Path) -> anyhow::Result<Handlebars<'static>> {
    let mut hb = Handlebars::new();
    hb.set_strict_mode(false);
    hb.set_dev_mode(false);
    // A partial invoked on an indented line would indent every line it renders, the text of a
    // textarea included: what a clerk typed must come back exactly as typed.
    hb.set_prevent_indent(true);
    register_dir(&mut hb, dir, dir)?;
    anyhow::ensure!(hb.has_template("layout"), "templates in {}: layout.hbs is missing", dir.display());
    Ok(hb)
}

/// Registers every `*.hbs` under `root` by its relative path without extension (`persons/list`).
fn register_dir(hb: &mut Handlebars<'static>, root: &std::path::Path, dir: &std::path::Path) -> anyhow::Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|e| anyhow::anyhow!("templates in {}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry?.path();
        if path.is_dir() {
            register_dir(hb, root, &path)?;
        } else if path.extension().is_some_and(|x| x == "hbs") {
            let rel = path.strip_prefix(root)?.with_extension("");
            let name = rel.to_string_lossy().replace('\\', "/");
            hb.register_template_file(&name, &path).map_err(|e| anyhow::anyhow!("template {}: {e}", path.display()))?;
        }
    }
    Ok(())
}

/// Routes of the whole application.
pub fn configure(cfg: &mut web::ServiceConfig, static_dir: std::path::PathBuf) {
    cfg.service(ops::health::healthz)
        .service(ops::health::readyz)
        .service(ops::health::metrics)
        .service(actix_files_lite::static_files(static_dir))
        .configure(api::configure)
        .configure(portal::configure)
        .configure(pages::configure);
}

/// Seals new audit rows into each tenant's hash chain every five seconds.
pub fn spawn_audit_sealing(db: Db, metrics: Metrics) {
    spawn_every("audit-sealing", "audit_sealing", 5, db, metrics, jinbao_store::repo::audit::seal);
}

/// Folds statistic deltas into values every minute, tenant by tenant (readers are exact either
/// way; this keeps the delta table small).
pub fn spawn_stats_compaction(db: Db, metrics: Metrics) {
    spawn_every("stats-compaction", "stats_compaction", 60, db, metrics, jinbao_store::repo::stats::compact);
}

/// Runs `work` for every tenant each `seconds`, in the tenant's own transaction; a round that
/// went through every tenant is recorded as the task's last success, each failure counted.
fn spawn_every<T: 'static>(
    thread: &str,
    task: &'static str,
    seconds: u64,
    db: Db,
    metrics: Metrics,
    work: fn(&mut jinbao_store::TenantTx<'_>) -> jinbao_store::error::StoreResult<T>,
) {
    let _ = std::thread::Builder::new().name(thread.into()).spawn(move || loop {
        std::thread::sleep(std::time::Duration::from_secs(seconds));
        let Ok(tenants) = global::tenants(&db) else {
            metrics.background(task, false);
            continue;
        };
        let mut all_ok = true;
        for t in tenants {
            if let Err(e) = db.tenant(jinbao_store::TenantId(t.id), jinbao_store::Actor::system(task), work) {
                tracing::warn!(error = %e, tenant = %t.code, task, "background task failed");
                metrics.background(task, false);
                all_ok = false;
            }
        }
        if all_ok {
            metrics.background(task, true);
        }
    });
}

/// Serves on `listener` until stopped.
pub fn run(state: AppState, listener: TcpListener) -> anyhow::Result<actix_web::dev::Server> {
    let static_dir = state.settings.frontend_dir.join("static");
    let hsts = state.settings.cookie_secure;
    let data = web::Data::new(state);
    let server = HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .wrap(middleware::from_fn(pages::page::render_errors))
            .wrap(middleware::from_fn(ops::request_id::middleware))
            // Served over HTTPS (Secure cookies): browsers must never use plain HTTP again.
            .wrap(middleware::Condition::new(
                hsts,
                middleware::DefaultHeaders::new().add(("Strict-Transport-Security", "max-age=31536000; includeSubDomains")),
            ))
            .wrap(
                middleware::DefaultHeaders::new()
                    .add(("X-Content-Type-Options", "nosniff"))
                    .add(("X-Frame-Options", "DENY"))
                    .add(("Referrer-Policy", "same-origin"))
                    .add(("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'")),
            )
            .configure(|cfg| configure(cfg, static_dir.clone()))
    })
    .listen(listener)?
    .shutdown_timeout(10)
    .run();
    Ok(server)
}

/// A minimal static file handler for `frontend/static` (CSS, JS), with no directory listing.
mod actix_files_lite {
    use std::path::PathBuf;

    use actix_web::{web, HttpResponse};

    pub fn static_files(dir: PathBuf) -> actix_web::Resource {
        web::resource("/static/{file}").route(web::get().to(move |name: web::Path<String>| {
            let dir = dir.clone();
            async move {
                let name = name.into_inner();
                if !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-' || b == b'_') || name.starts_with('.') {
                    return HttpResponse::NotFound().finish();
                }
                let ctype = match name.rsplit('.').next() {
                    Some("css") => "text/css; charset=utf-8",
                    Some("js") => "application/javascript; charset=utf-8",
                    Some("svg") => "image/svg+xml",
                    Some("png") => "image/png",
                    Some("ico") => "image/x-icon",
                    _ => "application/octet-stream",
                };
                match tokio::fs::read(dir.join(&name)).await {
                    Ok(bytes) => HttpResponse::Ok().content_type(ctype).insert_header(("Cache-Control", "public, max-age=300")).body(bytes),
                    Err(_) => HttpResponse::NotFound().finish(),
                }
            }
        }))
    }
}
