//! Reading the audit trail of a record: who, when, from which office, what changed.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;

use crate::error::StoreResult;
use crate::tenant_tx::TenantTx;

#[derive(Debug, Clone, QueryableByName, Serialize, schemars::JsonSchema)]
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

/// What `verify` found: how many rows the chain holds and the first row that breaks it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, schemars::JsonSchema)]
pub struct ChainCheck {
    /// Sealed rows (in the chain).
    pub rows: i64,
    /// Rows written since the last seal (not yet in the chain).
    pub unsealed: i64,
    pub head_seq: i64,
    pub first_broken: Option<Broken>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, QueryableByName, schemars::JsonSchema)]
pub struct Broken {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub chain_seq: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub id: i64,
    /// `content` (the row differs from what was hashed), `link` (it does not follow the row
    /// before: one removed or reordered), `sequence` (a gap), or `head` (rows missing at the end).
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub problem: String,
}

/// Links the tenant's unsealed audit rows into its chain (in the order written); returns how many.
pub fn seal(tx: &mut TenantTx<'_>) -> StoreResult<i64> {
    let n: crate::repo::CountRow =
        diesel::sql_query("SELECT audit_seal($1) AS n").bind::<diesel::sql_types::SmallInt, _>(tx.tenant().0).get_result(tx.conn())?;
    Ok(n.n)
}

/// Recomputes the tenant's audit chain from its genesis value: every row's hash from its content
/// and the previous hash, every link, the sequence without gaps, and the head.
pub fn verify(tx: &mut TenantTx<'_>) -> StoreResult<ChainCheck> {
    use diesel::sql_types::{BigInt, SmallInt};
    #[derive(QueryableByName)]
    struct Totals {
        #[diesel(sql_type = BigInt)]
        rows: i64,
        #[diesel(sql_type = BigInt)]
        unsealed: i64,
        #[diesel(sql_type = BigInt)]
        max_seq: i64,
        #[diesel(sql_type = BigInt)]
        head_seq: i64,
        #[diesel(sql_type = diesel::sql_types::Bool)]
        head_matches: bool,
    }
    let tid = tx.tenant().0;
    let first: Option<Broken> = diesel::sql_query(
        "SELECT chain_seq, id, CASE WHEN NOT seq_ok THEN 'sequence' WHEN NOT link_ok THEN 'link' ELSE 'content' END AS problem
         FROM (SELECT a.chain_seq, a.id,
                      a.hash = audit_hash(a.prev_hash, a.tenant_id, a.chain_seq, a.at, a.user_id, a.office_id, a.actor, a.action,
                                                   a.entity, a.entity_id, a.before, a.after, a.reason, a.request_id) AS content_ok,
                      a.prev_hash = coalesce(lag(a.hash) OVER w, audit_genesis($1)) AS link_ok,
                      a.chain_seq = row_number() OVER w AS seq_ok
               FROM audit_log a WHERE a.tenant_id = $1 AND a.chain_seq IS NOT NULL WINDOW w AS (ORDER BY a.chain_seq)) x
         WHERE NOT (content_ok AND link_ok AND seq_ok)
         ORDER BY chain_seq LIMIT 1",
    )
    .bind::<SmallInt, _>(tid)
    .get_result(tx.conn())
    .optional()?;
    let t: Totals = diesel::sql_query(
        "SELECT count(chain_seq) AS rows, count(*) FILTER (WHERE chain_seq IS NULL) AS unsealed, coalesce(max(chain_seq), 0) AS max_seq,
                coalesce((SELECT last_seq FROM audit_chain_head WHERE tenant_id = $1), 0) AS head_seq,
                coalesce((SELECT h.last_hash = a.hash FROM audit_chain_head h JOIN audit_log a
                          ON a.tenant_id = h.tenant_id AND a.chain_seq = h.last_seq WHERE h.tenant_id = $1), count(chain_seq) = 0) AS head_matches
         FROM audit_log WHERE tenant_id = $1",
    )
    .bind::<SmallInt, _>(tid)
    .get_result(tx.conn())?;
    let first_broken = first
        .or_else(|| (t.head_seq != t.max_seq || !t.head_matches).then(|| Broken { chain_seq: t.head_seq, id: 0, problem: "head".into() }));
    Ok(ChainCheck { rows: t.rows, unsealed: t.unsealed, head_seq: t.head_seq, first_broken })
}
