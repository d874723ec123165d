//! Runs store work on actix's blocking pool, never on the async workers.

use jinbao_store::{Actor, Db, StoreError, TenantId, TenantTx};

use crate::error::ApiError;

/// `db.tenant(...)` on the blocking pool, with the caller's tracing span carried in.
pub async fn tenant<T, F>(db: &Db, tenant: TenantId, actor: Actor, f: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&mut TenantTx<'_>) -> Result<T, StoreError> + Send + 'static,
{
    let db = db.clone();
    let span = tracing::Span::current();
    actix_web::web::block(move || {
        let _g = span.enter();
        db.tenant(tenant, actor, f)
    })
    .await
    .map_err(|e| ApiError::internal(anyhow::anyhow!("blocking pool: {e}")))?
    .map_err(ApiError::from)
}

/// `db.tenant_with(...)` on the blocking pool: work that refuses with its own error (a use case's
/// [`jinbao_app::AppError`], field-level 4xx) rolls the transaction back and the refusal comes out unchanged.
pub async fn tenant_checked<T, E, F>(db: &Db, tenant: TenantId, actor: Actor, f: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    E: From<StoreError> + From<diesel::result::Error> + Into<ApiError> + Send + 'static,
    F: FnOnce(&mut TenantTx<'_>) -> Result<T, E> + Send + 'static,
{
    let db = db.clone();
    let span = tracing::Span::current();
    actix_web::web::block(move || {
        let _g = span.enter();
        db.tenant_with(tenant, actor, f)
    })
    .await
    .map_err(|e| ApiError::internal(anyhow::anyhow!("blocking pool: {e}")))?
    .map_err(Into::into)
}

/// Any other blocking closure returning a store result.
pub async fn run<T, F>(f: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T, StoreError> + Send + 'static,
{
    let span = tracing::Span::current();
    actix_web::web::block(move || {
        let _g = span.enter();
        f()
    })
    .await
    .map_err(|e| ApiError::internal(anyhow::anyhow!("blocking pool: {e}")))?
    .map_err(ApiError::from)
}
