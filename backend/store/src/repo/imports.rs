//! Legacy person import: staging in bulk, set-based validation, all-or-nothing or valid-only
//! apply, a per-row report, and reconciliation counts. Re-importing a file changes nothing (rows
//! already in the registry with the same identity number and name are "present").

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, SmallInt};
use serde::Serialize;

use crate::error::StoreResult;
use crate::tenant_tx::TenantTx;

/// One parsed row of a persons file. `error` = (column, code, raw value) when parsing failed.
#[derive(Debug, Clone)]
pub struct StageRow {
    pub tenant_id: i16,
    pub job_id: i64,
    pub row_no: i32,
    pub id_number: Option<String>,
    pub name: Option<String>,
    pub hukou_kind: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub gender: Option<String>,
    pub birth_date: Option<NaiveDate>,
    pub error_column: Option<String>,
    pub error_code: Option<String>,
    pub raw_value: Option<String>,
    pub outcome: Option<String>,
}

/// Writes parsed rows into staging: one `INSERT … SELECT FROM unnest(arrays)` per chunk.
/// (`COPY FROM` is refused by PostgreSQL on tables with row-level security for roles subject to
/// it, and the staging rows hold identity numbers, so they stay behind the tenant policy.)
pub fn stage(tx: &mut TenantTx<'_>, rows: &[StageRow]) -> StoreResult<usize> {
    use diesel::sql_types::{Array, Date, Int4, Int8, Nullable, Text};
    let col = |f: fn(&StageRow) -> Option<String>| rows.iter().map(f).collect::<Vec<Option<String>>>();
    Ok(diesel::sql_query(
        "INSERT INTO import_person_stage (tenant_id, job_id, row_no, id_number, name, hukou_kind, phone, address, gender, birth_date,
                                          error_column, error_code, raw_value)
         SELECT $1, $2, r.* FROM unnest($3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::date[],
                                        $11::text[], $12::text[], $13::text[]) AS r",
    )
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<Int8, _>(rows.first().map_or(0, |r| r.job_id))
    .bind::<Array<Int4>, _>(rows.iter().map(|r| r.row_no).collect::<Vec<_>>())
    .bind::<Array<Nullable<Text>>, _>(col(|r| r.id_number.clone()))
    .bind::<Array<Nullable<Text>>, _>(col(|r| r.name.clone()))
    .bind::<Array<Nullable<Text>>, _>(col(|r| r.hukou_kind.clone()))
    .bind::<Array<Nullable<Text>>, _>(col(|r| r.phone.clone()))
    .bind::<Array<Nullable<Text>>, _>(col(|r| r.address.clone()))
    .bind::<Array<Nullable<Text>>, _>(col(|r| r.gender.clone()))
    .bind::<Array<Nullable<Date>>, _>(rows.iter().map(|r| r.birth_date).collect::<Vec<_>>())
    .bind::<Array<Nullable<Text>>, _>(col(|r| r.error_column.clone()))
    .bind::<Array<Nullable<Text>>, _>(col(|r| r.error_code.clone()))
    .bind::<Array<Nullable<Text>>, _>(col(|r| r.raw_value.clone()))
    .execute(tx.conn())?)
}

/// What is being imported: persons (keyed by identity number) or employers (by credit code).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Persons,
    Employers,
}

impl Kind {
    /// Staging table, its key column and the registry table (static text only).
    fn sql(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Kind::Persons => ("import_person_stage", "id_number", "person"),
            Kind::Employers => ("import_employer_stage", "credit_code", "employer"),
        }
    }

    pub fn job_kind(self) -> &'static str {
        match self {
            Kind::Persons => "import.persons",
            Kind::Employers => "import.employers",
        }
    }
}

/// Flags, set-based: keys appearing twice in the file, and keys registered already under another
/// name (a conflict; the same name is simply present).
pub fn validate(tx: &mut TenantTx<'_>, kind: Kind, job_id: i64) -> StoreResult<()> {
    let (stage, key, registry) = kind.sql();
    let shown = if kind == Kind::Persons { "left(s.id_number, 4) || repeat('*', 10) || right(s.id_number, 4)" } else { "s.credit_code" };
    let tid = tx.tenant().0;
    diesel::sql_query(format!(
        "UPDATE {stage} s SET error_column = '{key}', error_code = 'import.duplicate_in_file', raw_value = {shown}
         FROM (SELECT {key}, min(row_no) AS first FROM {stage}
               WHERE tenant_id = $1 AND job_id = $2 AND error_code IS NULL GROUP BY {key} HAVING count(*) > 1) d
         WHERE s.tenant_id = $1 AND s.job_id = $2 AND s.{key} = d.{key} AND s.row_no > d.first AND s.error_code IS NULL"
    ))
    .bind::<SmallInt, _>(tid)
    .bind::<BigInt, _>(job_id)
    .execute(tx.conn())?;
    diesel::sql_query(format!(
        "UPDATE {stage} s
         SET error_column = CASE WHEN p.name = s.name THEN NULL ELSE 'name' END,
             error_code = CASE WHEN p.name = s.name THEN NULL ELSE 'import.conflict' END,
             raw_value = CASE WHEN p.name = s.name THEN NULL ELSE s.name END,
             outcome = CASE WHEN p.name = s.name THEN 'present' ELSE NULL END
         FROM {registry} p
         WHERE s.tenant_id = $1 AND s.job_id = $2 AND s.error_code IS NULL
           AND p.tenant_id = $1 AND p.{key} = s.{key}"
    ))
    .bind::<SmallInt, _>(tid)
    .bind::<BigInt, _>(job_id)
    .execute(tx.conn())?;
    Ok(())
}

#[derive(Debug, Clone, Default, Serialize, QueryableByName)]
pub struct Counts {
    #[diesel(sql_type = BigInt)]
    pub rows: i64,
    #[diesel(sql_type = BigInt)]
    pub rejected: i64,
    #[diesel(sql_type = BigInt)]
    pub present: i64,
    #[diesel(sql_type = BigInt)]
    pub to_insert: i64,
}

pub fn counts(tx: &mut TenantTx<'_>, kind: Kind, job_id: i64) -> StoreResult<Counts> {
    let (stage, _, _) = kind.sql();
    Ok(diesel::sql_query(format!(
        "SELECT count(*) AS rows, count(*) FILTER (WHERE error_code IS NOT NULL) AS rejected,
                count(*) FILTER (WHERE outcome = 'present') AS present,
                count(*) FILTER (WHERE error_code IS NULL AND outcome IS NULL) AS to_insert
         FROM {stage} WHERE tenant_id = $1 AND job_id = $2"
    ))
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<BigInt, _>(job_id)
    .get_result(tx.conn())?)
}

/// Inserts the valid new rows (set-based, with their timeline event and statistics). Returns how
/// many persons were registered.
pub fn apply(tx: &mut TenantTx<'_>, job_id: i64) -> StoreResult<i64> {
    #[derive(QueryableByName)]
    struct N {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let tid = tx.tenant().0;
    let office = tx.actor().office_id().unwrap_or(1);
    let user = tx.actor().user_id();
    let n: N = diesel::sql_query(
        "WITH ins AS (
             INSERT INTO person (tenant_id, id_number, name, gender, birth_date, hukou_kind, phone, address, office_id, created_by)
             SELECT $1, s.id_number, s.name, s.gender, s.birth_date, s.hukou_kind, s.phone, s.address, $3, $4
             FROM import_person_stage s
             WHERE s.tenant_id = $1 AND s.job_id = $2 AND s.error_code IS NULL AND s.outcome IS NULL
             ON CONFLICT (tenant_id, id_number) DO NOTHING
             RETURNING id, id_number),
         events AS (
             INSERT INTO person_event (tenant_id, person_id, occurred_on, kind, detail, office_id, created_by)
             SELECT $1, id, current_date, 'registered', jsonb_build_object('source', 'import', 'job_id', $2), $3, $4 FROM ins),
         stats AS (
             INSERT INTO stat_delta (tenant_id, metric, value) SELECT $1, 'persons', count(*) FROM ins HAVING count(*) > 0)
         SELECT count(*) AS n FROM ins",
    )
    .bind::<SmallInt, _>(tid)
    .bind::<BigInt, _>(job_id)
    .bind::<diesel::sql_types::Int4, _>(office)
    .bind::<diesel::sql_types::Nullable<BigInt>, _>(user)
    .get_result(tx.conn())?;
    tx.audit("import.persons", "job", &job_id.to_string(), None, Some(serde_json::json!({"inserted": n.n})), None)?;
    Ok(n.n)
}

#[derive(Debug, Clone, Serialize, QueryableByName)]
pub struct Problem {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    #[serde(rename = "row")]
    pub row_no: i32,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub column: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub value: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub code: String,
}

/// The per-row report: every problem, by row.
pub fn problems(tx: &mut TenantTx<'_>, kind: Kind, job_id: i64) -> StoreResult<Vec<Problem>> {
    let (stage, _, _) = kind.sql();
    Ok(diesel::sql_query(format!(
        "SELECT row_no, coalesce(error_column, '') AS column, coalesce(raw_value, '') AS value, error_code AS code
         FROM {stage} WHERE tenant_id = $1 AND job_id = $2 AND error_code IS NOT NULL ORDER BY row_no"
    ))
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<BigInt, _>(job_id)
    .load(tx.conn())?)
}

/// One parsed row of an employers file.
#[derive(Debug, Clone, Default)]
pub struct EmployerRow {
    pub job_id: i64,
    pub row_no: i32,
    pub credit_code: Option<String>,
    pub name: Option<String>,
    pub industry_code: Option<String>,
    pub risk_class: Option<i16>,
    pub registered_on: Option<NaiveDate>,
    pub address: Option<String>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub error_column: Option<String>,
    pub error_code: Option<String>,
    pub raw_value: Option<String>,
}

pub fn stage_employers(tx: &mut TenantTx<'_>, rows: &[EmployerRow]) -> StoreResult<usize> {
    use diesel::sql_types::{Array, Date, Int2, Int4, Int8, Nullable, Text};
    let col = |f: fn(&EmployerRow) -> Option<String>| rows.iter().map(f).collect::<Vec<Option<String>>>();
    Ok(diesel::sql_query(
        "INSERT INTO import_employer_stage (tenant_id, job_id, row_no, credit_code, name, industry_code, risk_class, registered_on,
                                            address, contact_name, contact_phone, error_column, error_code, raw_value)
         SELECT $1, $2, r.* FROM unnest($3::int[], $4::text[], $5::text[], $6::text[], $7::smallint[], $8::date[], $9::text[], $10::text[],
                                        $11::text[], $12::text[], $13::text[], $14::text[]) AS r",
    )
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<Int8, _>(rows.first().map_or(0, |r| r.job_id))
    .bind::<Array<Int4>, _>(rows.iter().map(|r| r.row_no).collect::<Vec<_>>())
    .bind::<Array<Nullable<Text>>, _>(col(|r| r.credit_code.clone()))
    .bind::<Array<Nullable<Text>>, _>(col(|r| r.name.clone()))
    .bind::<Array<Nullable<Text>>, _>(col(|r| r.industry_code.clone()))
    .bind::<Array<Nullable<Int2>>, _>(rows.iter().map(|r| r.risk_class).collect::<Vec<_>>())
    .bind::<Array<Nullable<Date>>, _>(rows.iter().map(|r| r.registered_on).collect::<Vec<_>>())
    .bind::<Array<Nullable<Text>>, _>(col(|r| r.address.clone()))
    .bind::<Array<Nullable<Text>>, _>(col(|r| r.contact_name.clone()))
    .bind::<Array<Nullable<Text>>, _>(col(|r| r.contact_phone.clone()))
    .bind::<Array<Nullable<Text>>, _>(col(|r| r.error_column.clone()))
    .bind::<Array<Nullable<Text>>, _>(col(|r| r.error_code.clone()))
    .bind::<Array<Nullable<Text>>, _>(col(|r| r.raw_value.clone()))
    .execute(tx.conn())?)
}

/// Registers the valid new employers (with their statistics). Returns how many.
pub fn apply_employers(tx: &mut TenantTx<'_>, job_id: i64) -> StoreResult<i64> {
    #[derive(QueryableByName)]
    struct N {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let tid = tx.tenant().0;
    let office = tx.actor().office_id().unwrap_or(1);
    let user = tx.actor().user_id();
    let n: N = diesel::sql_query(
        "WITH ins AS (
             INSERT INTO employer (tenant_id, credit_code, name, industry_code, risk_class, registered_on, address, contact_name, contact_phone, office_id, created_by)
             SELECT $1, s.credit_code, s.name, s.industry_code, s.risk_class, s.registered_on, s.address, s.contact_name, s.contact_phone, $3, $4
             FROM import_employer_stage s
             WHERE s.tenant_id = $1 AND s.job_id = $2 AND s.error_code IS NULL AND s.outcome IS NULL
             ON CONFLICT (tenant_id, credit_code) DO NOTHING
             RETURNING id),
         stats AS (
             INSERT INTO stat_delta (tenant_id, metric, value) SELECT $1, 'employers', count(*) FROM ins HAVING count(*) > 0)
         SELECT count(*) AS n FROM ins",
    )
    .bind::<SmallInt, _>(tid)
    .bind::<BigInt, _>(job_id)
    .bind::<diesel::sql_types::Int4, _>(office)
    .bind::<diesel::sql_types::Nullable<BigInt>, _>(user)
    .get_result(tx.conn())?;
    tx.audit("import.employers", "job", &job_id.to_string(), None, Some(serde_json::json!({"inserted": n.n})), None)?;
    Ok(n.n)
}
