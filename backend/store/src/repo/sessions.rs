//! Durable token revocation: the database copy of the revocation list.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::error::StoreResult;
use crate::tenant_tx::TenantTx;

pub fn revoke(tx: &mut TenantTx<'_>, jti: uuid::Uuid, user_id: i64, expires_at: DateTime<Utc>) -> StoreResult<()> {
    use crate::schema::revoked_token::dsl as r;
    let tid = tx.tenant().0;
    diesel::insert_into(r::revoked_token)
        .values((r::tenant_id.eq(tid), r::jti.eq(jti), r::user_id.eq(user_id), r::expires_at.eq(expires_at)))
        .on_conflict_do_nothing()
        .execute(tx.conn())?;
    Ok(())
}
