//! Reading the audit trail of a record: who, when, from which office, what changed.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;

use crate::error::StoreResult;
use crate::tenant_tx::TenantTx;

#[derive(Debug, Clone, QueryableByName, Serialize)]
pub struct Entry {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub id: i64,
    #[diesel(sql_type = diesel::sql_types::Timestamptz)]
    pub at: DateTime<Utc>,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub actor: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    pub office_name: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub action: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub entity: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub entity_id: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Jsonb>)]
    pub before: Option<serde_json::Value>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Jsonb>)]
    pub after: Option<serde_json::Value>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    pub reason: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    pub request_id: Option<String>,
}

/// The record's own entries and those of records hanging off it (a person's employments and
/// enrolments; an employer's payments), newest first.
pub fn trail(tx: &mut TenantTx<'_>, entity: &str, id: i64, limit: i64) -> StoreResult<Vec<Entry>> {
    use diesel::sql_types::{BigInt, SmallInt, Text};
    let tid = tx.tenant().0;
    let key = if entity == "employer" { "employer_id" } else { "person_id" };
    Ok(diesel::sql_query(
        "SELECT a.id, a.at, a.actor, o.name_zh AS office_name, a.action, a.entity, a.entity_id, a.before, a.after, a.reason, a.request_id
         FROM audit_log a LEFT JOIN office o ON o.tenant_id = a.tenant_id AND o.id = a.office_id
         WHERE a.tenant_id = $1 AND (
             (a.entity = $2 AND a.entity_id = $3::text)
             OR (a.entity IN ('employment', 'enrolment', 'collection') AND (a.after->>$4 = $3::text OR a.before->>$4 = $3::text)))
         ORDER BY a.id DESC LIMIT $5",
    )
    .bind::<SmallInt, _>(tid)
    .bind::<Text, _>(entity)
    .bind::<BigInt, _>(id)
    .bind::<Text, _>(key)
    .bind::<BigInt, _>(limit)
    .load(tx.conn())?)
}
