//! The life timeline of a person.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use serde::Serialize;

use crate::error::StoreResult;
use crate::tenant_tx::TenantTx;

pub fn record(tx: &mut TenantTx<'_>, person_id: i64, occurred_on: NaiveDate, kind: &str, detail: serde_json::Value) -> StoreResult<()> {
    use crate::schema::person_event::dsl as e;
    let tid = tx.tenant().0;
    let (office, user) = (tx.actor().office_id(), tx.actor().user_id());
    diesel::insert_into(e::person_event)
        .values((
            e::tenant_id.eq(tid),
            e::person_id.eq(person_id),
            e::occurred_on.eq(occurred_on),
            e::kind.eq(kind),
            e::detail.eq(detail),
            e::office_id.eq(office),
            e::created_by.eq(user),
        ))
        .execute(tx.conn())?;
    Ok(())
}

#[derive(Debug, Clone, Queryable, Serialize)]
pub struct Event {
    pub id: i64,
    pub occurred_on: NaiveDate,
    pub kind: String,
    pub detail: serde_json::Value,
    pub created_at: DateTime<Utc>,
}

/// Newest first.
pub fn timeline(tx: &mut TenantTx<'_>, person_id: i64, limit: i64) -> StoreResult<Vec<Event>> {
    use crate::schema::person_event::dsl as e;
    let tid = tx.tenant().0;
    Ok(e::person_event
        .filter(e::tenant_id.eq(tid))
        .filter(e::person_id.eq(person_id))
        .order((e::occurred_on.desc(), e::id.desc()))
        .limit(limit)
        .select((e::id, e::occurred_on, e::kind, e::detail, e::created_at))
        .load(tx.conn())?)
}
