//! Stored yearly personal rights statements (个人权益记录单, migration `person_service`): the
//! figures as computed when generated (`jinbao_app::rights_statement`), with a code that verifies
//! a printed copy like a certificate's.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Jsonb, Nullable, SmallInt, Text, Timestamptz};
use serde::Serialize;
use serde_json::Value;

use crate::error::{StoreError, StoreResult};
use crate::tenant_tx::TenantTx;

#[derive(Debug, Clone, QueryableByName, Serialize, schemars::JsonSchema)]
pub struct Statement {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = BigInt)]
    pub person_id: i64,
    #[diesel(sql_type = SmallInt)]
    pub year: i16,
    #[diesel(sql_type = Text)]
    pub code: String,
    #[diesel(sql_type = Jsonb)]
    pub content: Value,
    #[diesel(sql_type = Timestamptz)]
    pub generated_at: DateTime<Utc>,
}

const SELECT: &str = "SELECT id, person_id, year, code, content, generated_at FROM rights_statement";

/// Stores a generated statement; `random` gives the code's 12 characters.
pub fn save(
    tx: &mut TenantTx<'_>,
    person_id: i64,
    year: i16,
    tenant_code: &str,
    random: [u8; 12],
    content: &Value,
    job_id: Option<i64>,
) -> StoreResult<Statement> {
    let code = super::certificates::new_code(tenant_code, &random);
    let s: Statement = diesel::sql_query(
        "INSERT INTO rights_statement (tenant_id, person_id, year, code, content, generated_by, job_id) VALUES ($1, $2, $3, $4, $5, $6, $7)
         RETURNING id, person_id, year, code, content, generated_at",
    )
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<BigInt, _>(person_id)
    .bind::<SmallInt, _>(year)
    .bind::<Text, _>(&code)
    .bind::<Jsonb, _>(content)
    .bind::<Nullable<BigInt>, _>(tx.actor().user_id())
    .bind::<Nullable<BigInt>, _>(job_id)
    .get_result(tx.conn())?;
    tx.audit(
        "rights_statement.generate",
        "person",
        &person_id.to_string(),
        None,
        Some(serde_json::json!({"year": year, "code": code})),
        None,
    )?;
    Ok(s)
}

/// The person's statements, newest first (the latest of each year first within it).
pub fn of_person(tx: &mut TenantTx<'_>, person_id: i64) -> StoreResult<Vec<Statement>> {
    Ok(diesel::sql_query(format!("{SELECT} WHERE tenant_id = $1 AND person_id = $2 ORDER BY year DESC, id DESC LIMIT 100"))
        .bind::<SmallInt, _>(tx.tenant().0)
        .bind::<BigInt, _>(person_id)
        .load(tx.conn())?)
}

pub fn by_code(tx: &mut TenantTx<'_>, code: &str) -> StoreResult<Statement> {
    diesel::sql_query(format!("{SELECT} WHERE tenant_id = $1 AND code = $2"))
        .bind::<SmallInt, _>(tx.tenant().0)
        .bind::<Text, _>(code)
        .get_result(tx.conn())
        .optional()?
        .ok_or(StoreError::NotFound)
}

/// The persons insured in the city at some time of `year` (any enrolment overlapping it): whose
/// statements the year's job generates, in id order.
pub fn insured_in_year(tx: &mut TenantTx<'_>, year: i32) -> StoreResult<Vec<i64>> {
    use diesel::sql_types::Integer;
    let rows: Vec<super::IdRow> = diesel::sql_query(
        "SELECT DISTINCT person_id AS id FROM enrolment
          WHERE tenant_id = $1 AND start_period <= make_date($2, 12, 1) AND (end_period IS NULL OR end_period >= make_date($2, 1, 1))
          ORDER BY 1",
    )
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<Integer, _>(year)
    .load(tx.conn())?;
    Ok(rows.into_iter().map(|r| r.id).collect())
}
