//! Idempotency keys: claimed with `INSERT ... ON CONFLICT DO NOTHING` in the same transaction as
//! the work. A concurrent retry blocks on the key until the first transaction ends, then replays
//! its stored response (or, if the first failed and rolled back, does the work itself).

use diesel::prelude::*;
use serde_json::Value;

use crate::error::{StoreError, StoreResult};
use crate::tenant_tx::TenantTx;

pub enum Claim {
    /// First use: do the work, then call [`complete`].
    New,
    /// Same key, same request: the first response.
    Replay { status: u16, body: Value },
}

pub fn claim(tx: &mut TenantTx<'_>, scope: &str, key: &str, request_hash: &str) -> StoreResult<Claim> {
    use crate::schema::idempotency_key::dsl as k;
    let tid = tx.tenant().0;
    let (user, account) = match (tx.actor().user_id(), tx.actor().account_id()) {
        (None, None) => (Some(0), None),
        ids => ids,
    };
    let inserted = diesel::insert_into(k::idempotency_key)
        .values((
            k::tenant_id.eq(tid),
            k::scope.eq(scope),
            k::key.eq(key),
            k::user_id.eq(user),
            k::account_id.eq(account),
            k::request_hash.eq(request_hash),
        ))
        .on_conflict_do_nothing()
        .execute(tx.conn())?;
    if inserted == 1 {
        return Ok(Claim::New);
    }
    let (hash, status, body): (String, Option<i16>, Option<Value>) = k::idempotency_key
        .filter(k::tenant_id.eq(tid))
        .filter(k::scope.eq(scope))
        .filter(k::key.eq(key))
        .select((k::request_hash, k::response_status, k::response_body))
        .first(tx.conn())?;
    if hash != request_hash {
        return Err(StoreError::invalid("idempotency_key", "idempotency.mismatch"));
    }
    match (status, body) {
        (Some(s), Some(b)) => Ok(Claim::Replay { status: s as u16, body: b }),
        _ => Err(StoreError::conflict("idempotency_key", "idempotency.in_flight")),
    }
}

pub fn complete(tx: &mut TenantTx<'_>, scope: &str, key: &str, status: u16, body: &Value) -> StoreResult<()> {
    use crate::schema::idempotency_key::dsl as k;
    let tid = tx.tenant().0;
    diesel::update(k::idempotency_key.filter(k::tenant_id.eq(tid)).filter(k::scope.eq(scope)).filter(k::key.eq(key)))
        .set((k::response_status.eq(status as i16), k::response_body.eq(body)))
        .execute(tx.conn())?;
    Ok(())
}
