//! Onboarding a city: the go-live checklist (who ticked what) and the tenant lifecycle.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use jinbao_domain::TenantStatus;
use serde::Serialize;

use crate::error::{StoreError, StoreResult};
use crate::tenant_tx::TenantTx;

pub const ITEMS: [&str; 5] = ["rules_reviewed", "legacy_imported", "users_created", "test_enrolment_assessed", "sign_off"];

#[derive(Debug, Clone, Queryable, Serialize, schemars::JsonSchema)]
pub struct Item {
    pub item: String,
    pub done_by: Option<String>,
    pub done_at: Option<DateTime<Utc>>,
    pub note: Option<String>,
}

/// Creates the checklist items that do not exist yet; returns how many were created.
pub fn ensure_checklist(tx: &mut TenantTx<'_>) -> StoreResult<usize> {
    use crate::schema::onboarding_item::dsl as o;
    let tid = tx.tenant().0;
    let rows: Vec<_> = ITEMS.iter().map(|i| (o::tenant_id.eq(tid), o::item.eq(*i))).collect();
    Ok(diesel::insert_into(o::onboarding_item).values(rows).on_conflict_do_nothing().execute(tx.conn())?)
}

pub fn checklist(tx: &mut TenantTx<'_>) -> StoreResult<Vec<Item>> {
    use crate::schema::onboarding_item::dsl as o;
    let tid = tx.tenant().0;
    let mut items: Vec<Item> =
        o::onboarding_item.filter(o::tenant_id.eq(tid)).select((o::item, o::done_by, o::done_at, o::note)).load(tx.conn())?;
    items.sort_by_key(|i| ITEMS.iter().position(|x| *x == i.item));
    Ok(items)
}

/// Ticks an item (once; ticking again changes nothing). `by` names the person.
pub fn tick(tx: &mut TenantTx<'_>, item: &str, by: &str, note: Option<&str>) -> StoreResult<bool> {
    use crate::schema::onboarding_item::dsl as o;
    if !ITEMS.contains(&item) {
        return Err(StoreError::invalid("item", "onboarding.unknown_item"));
    }
    let tid = tx.tenant().0;
    let n = diesel::update(o::onboarding_item.filter(o::tenant_id.eq(tid)).filter(o::item.eq(item)).filter(o::done_at.is_null()))
        .set((o::done_by.eq(by), o::done_at.eq(Utc::now()), o::note.eq(note)))
        .execute(tx.conn())?;
    if n > 0 {
        tx.audit("onboarding.tick", "tenant", &tid.to_string(), None, Some(serde_json::json!({"item": item, "by": by})), note)?;
    }
    Ok(n > 0)
}

/// Moves the tenant to `to`, if the lifecycle allows it; going live needs the whole checklist.
pub fn transition(tx: &mut TenantTx<'_>, to: TenantStatus, reason: &str) -> StoreResult<TenantStatus> {
    use crate::schema::tenant::dsl as t;
    let tid = tx.tenant().0;
    let current: String = t::tenant.filter(t::id.eq(tid)).select(t::status).first(tx.conn())?;
    let from = TenantStatus::parse(&current).ok_or_else(|| StoreError::Other(anyhow::anyhow!("unknown status {current}")))?;
    if !from.may_become(to) {
        return Err(StoreError::conflict("status", "onboarding.transition"));
    }
    if to == TenantStatus::Live && checklist(tx)?.iter().filter(|i| i.done_at.is_some()).count() < ITEMS.len() {
        return Err(StoreError::conflict("status", "onboarding.checklist_open"));
    }
    // Only the caller's own tenant row, through the database function (the app role cannot
    // write the tenant table).
    diesel::sql_query("SELECT tenant_set_status($1)").bind::<diesel::sql_types::Text, _>(to.code()).execute(tx.conn())?;
    tx.audit(
        "tenant.status",
        "tenant",
        &tid.to_string(),
        Some(serde_json::json!({"status": from.code()})),
        Some(serde_json::json!({"status": to.code()})),
        Some(reason),
    )?;
    Ok(from)
}
