//! Applications an account submits for a clerk's decision (migration `public_accounts`): the
//! employer's accountants see their employer's applications; clerks see the city's queue and
//! decide. Both parties are on the row and in the audit log.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Jsonb, Nullable, SmallInt, Text, Timestamptz};
use serde::Serialize;
use serde_json::Value;

use super::Page;
use crate::error::{StoreError, StoreResult};
use crate::tenant_tx::TenantTx;

#[derive(Debug, Clone, QueryableByName, Serialize, schemars::JsonSchema)]
pub struct Application {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    /// `hire`.
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = BigInt)]
    pub account_id: i64,
    #[diesel(sql_type = Text)]
    pub account_name: String,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub employer_id: Option<i64>,
    #[diesel(sql_type = Nullable<Text>)]
    pub employer_name: Option<String>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub person_id: Option<i64>,
    #[diesel(sql_type = Jsonb)]
    pub payload: Value,
    /// `submitted`, `approved`, `rejected`.
    #[diesel(sql_type = Text)]
    pub status: String,
    #[diesel(sql_type = Timestamptz)]
    pub submitted_at: DateTime<Utc>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub decided_by: Option<i64>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub decided_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = Nullable<Text>)]
    pub reason: Option<String>,
    #[diesel(sql_type = Nullable<Jsonb>)]
    pub result: Option<Value>,
}

const SELECT: &str =
    "SELECT a.id, a.kind, a.account_id, coalesce(pa.display_name, '') AS account_name, a.employer_id, e.name AS employer_name,
        a.person_id, a.payload, a.status, a.submitted_at, a.decided_by, a.decided_at, a.reason, a.result
     FROM public_application a
     LEFT JOIN public_account pa ON pa.tenant_id = a.tenant_id AND pa.id = a.account_id
     LEFT JOIN employer e ON e.tenant_id = a.tenant_id AND e.id = a.employer_id";

/// Submits an application of the principal (its employer, or the person). The same form submitted
/// again while the first is still waiting answers with the first (no second application).
pub fn submit(tx: &mut TenantTx<'_>, kind: &str, payload: &Value, request_hash: &str) -> StoreResult<Application> {
    let account = tx.actor().account_id().ok_or_else(|| StoreError::invalid("account", "account.required"))?;
    let tid = tx.tenant().0;
    let waiting: Option<super::IdRow> = diesel::sql_query(
        "SELECT id FROM public_application WHERE tenant_id = $1 AND (employer_id = app_employer() OR person_id = app_person())
           AND kind = $2 AND request_hash = $3 AND status = 'submitted' LIMIT 1",
    )
    .bind::<SmallInt, _>(tid)
    .bind::<Text, _>(kind)
    .bind::<Text, _>(request_hash)
    .get_result(tx.conn())
    .optional()?;
    let id = match waiting {
        Some(row) => row.id,
        None => {
            let row: super::IdRow = diesel::sql_query(
                "INSERT INTO public_application (tenant_id, kind, account_id, employer_id, person_id, payload, request_hash)
                 VALUES ($1, $2, $3, app_employer(), app_person(), $4, $5) RETURNING id",
            )
            .bind::<SmallInt, _>(tid)
            .bind::<Text, _>(kind)
            .bind::<BigInt, _>(account)
            .bind::<Jsonb, _>(payload)
            .bind::<Text, _>(request_hash)
            .get_result(tx.conn())?;
            tx.audit("application.submit", "public_application", &row.id.to_string(), None, Some(masked(payload)), None)?;
            row.id
        }
    };
    get(tx, id)
}

/// The payload as the audit log keeps it: the identity number masked.
fn masked(payload: &Value) -> Value {
    let mut v = payload.clone();
    if let Some(n) = v.get("id_number").and_then(Value::as_str).map(jinbao_domain::id_number::mask) {
        v["id_number"] = Value::String(n);
    }
    v
}

pub fn get(tx: &mut TenantTx<'_>, id: i64) -> StoreResult<Application> {
    diesel::sql_query(format!("{SELECT} WHERE a.tenant_id = $1 AND a.id = $2"))
        .bind::<SmallInt, _>(tx.tenant().0)
        .bind::<BigInt, _>(id)
        .get_result(tx.conn())
        .optional()?
        .ok_or(StoreError::NotFound)
}

/// Applications, newest first: of one status (the clerks' queue) or all; a public transaction
/// sees only its own employer's.
pub fn list(tx: &mut TenantTx<'_>, status: Option<&str>, page: i64, per_page: i64) -> StoreResult<Page<Application>> {
    let per_page = per_page.clamp(1, 100);
    let page = page.max(1);
    let mut rows: Vec<Application> = diesel::sql_query(format!(
        "{SELECT} WHERE a.tenant_id = $1 AND ($2::text IS NULL OR a.status = $2) ORDER BY a.id DESC LIMIT $3 OFFSET $4"
    ))
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<Nullable<Text>, _>(status)
    .bind::<BigInt, _>(per_page + 1)
    .bind::<BigInt, _>((page - 1) * per_page)
    .load(tx.conn())?;
    let has_more = rows.len() as i64 > per_page;
    rows.truncate(per_page as usize);
    Ok(Page { items: rows, page, per_page, has_more })
}

/// Records a clerk's decision on a waiting application (the work of an approval is done by the
/// caller in the same transaction). `Conflict` when it was decided already.
pub fn decide(
    tx: &mut TenantTx<'_>,
    id: i64,
    approve: bool,
    reason: Option<&str>,
    person_id: Option<i64>,
    result: Option<&Value>,
) -> StoreResult<Application> {
    let user = tx.actor().user_id().ok_or_else(|| StoreError::invalid("user", "user.unknown"))?;
    if !approve && reason.is_none_or(|r| r.trim().is_empty()) {
        return Err(StoreError::invalid("reason", "required"));
    }
    let before = get(tx, id)?;
    let n = diesel::sql_query(
        "UPDATE public_application SET status = $3, decided_by = $4, decided_at = now(), reason = $5, result = $6,
                person_id = coalesce($7, person_id)
          WHERE tenant_id = $1 AND id = $2 AND status = 'submitted'",
    )
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<BigInt, _>(id)
    .bind::<Text, _>(if approve { "approved" } else { "rejected" })
    .bind::<BigInt, _>(user)
    .bind::<Nullable<Text>, _>(reason.map(str::trim))
    .bind::<Nullable<Jsonb>, _>(result)
    .bind::<Nullable<BigInt>, _>(person_id)
    .execute(tx.conn())?;
    if n == 0 {
        return Err(StoreError::conflict("status", "application.decided"));
    }
    let after = get(tx, id)?;
    tx.audit(
        if approve { "application.approve" } else { "application.reject" },
        "public_application",
        &id.to_string(),
        Some(serde_json::json!({"status": before.status, "account_id": before.account_id})),
        Some(serde_json::json!({"status": after.status, "decided_by": user, "result": after.result})),
        reason,
    )?;
    Ok(after)
}
