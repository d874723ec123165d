//! Legacy data import (docs/import-format.md). A file's rows are streamed with `COPY` into
//! `pg_temp.import_rows`, a table private to the importing session (PostgreSQL refuses `COPY FROM`
//! into tables with row-level security; a temporary table is invisible to every other session),
//! validated and applied set-based from there, all or nothing or the valid rows only. Only the
//! per-row report outlives the import (`import_problem`, behind the tenant policy). Re-importing a
//! file changes nothing: rows already on the platform are "present".
//!
//! Every kind stages its columns as text fields `f1…f10` in the order of `Kind::fields`.

mod records;
mod registry;

use diesel::prelude::*;
use diesel::sql_types::{BigInt, SmallInt};
use serde::Serialize;

use crate::error::StoreResult;
use crate::tenant_tx::TenantTx;

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "ImportKind")]
pub enum Kind {
    Persons,
    Employers,
    Employments,
    Enrolments,
    Contributions,
}

impl Kind {
    pub const ALL: [Kind; 5] = [Kind::Persons, Kind::Employers, Kind::Employments, Kind::Enrolments, Kind::Contributions];

    /// The path segment and CLI word: `persons`, `employers`, …
    pub fn slug(self) -> &'static str {
        match self {
            Kind::Persons => "persons",
            Kind::Employers => "employers",
            Kind::Employments => "employments",
            Kind::Enrolments => "enrolments",
            Kind::Contributions => "contributions",
        }
    }

    pub fn from_slug(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.slug() == s)
    }

    pub fn job_kind(self) -> &'static str {
        match self {
            Kind::Persons => "import.persons",
            Kind::Employers => "import.employers",
            Kind::Employments => "import.employments",
            Kind::Enrolments => "import.enrolments",
            Kind::Contributions => "import.contributions",
        }
    }

    pub fn from_job_kind(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.job_kind() == s)
    }

    /// The staged fields, in order (`f1`, `f2`, …), as the report names columns.
    pub fn fields(self) -> &'static [&'static str] {
        match self {
            Kind::Persons => &["id_number", "name", "gender", "birth_date", "hukou_kind", "phone", "address"],
            Kind::Employers => {
                &["credit_code", "name", "industry_code", "risk_class", "registered_on", "address", "contact_name", "contact_phone"]
            }
            Kind::Employments => &["id_number", "credit_code", "start_date", "end_date", "end_reason"],
            Kind::Enrolments => &["id_number", "credit_code", "insurance_type", "start_period", "end_period", "stop_reason"],
            Kind::Contributions => &["id_number", "credit_code", "insurance_type", "period", "base_fen", "employer_fen", "employee_fen"],
        }
    }
}

/// One parsed row: its number as a spreadsheet shows it (header = 1), its fields in the kind's
/// order (normalised: dates ISO, amounts in fen), and the first problem parsing found.
#[derive(Debug, Clone, Default)]
pub struct StageRow {
    pub row_no: i32,
    pub fields: Vec<Option<String>>,
    pub error: Option<RowError>,
}

#[derive(Debug, Clone)]
pub struct RowError {
    pub column: String,
    pub code: String,
    pub value: String,
}

impl StageRow {
    /// Records a problem unless one is recorded already (the report shows the first per row).
    /// Records the row's first problem. The value is echoed in reports: control characters are
    /// shown as U+FFFD and it is cut to 100 characters.
    pub fn fail(&mut self, column: &str, code: &str, value: impl Into<String>) {
        if self.error.is_none() {
            let value = jinbao_domain::text::printable(&value.into(), 100);
            self.error = Some(RowError { column: column.into(), code: code.into(), value });
        }
    }
}

/// Creates the session's staging table (kept across the import's transactions; discarded with
/// the session).
pub fn create_rows_table(tx: &mut TenantTx<'_>) -> StoreResult<()> {
    diesel::sql_query(
        "CREATE TEMP TABLE import_rows (
             row_no integer NOT NULL,
             f1 text, f2 text, f3 text, f4 text, f5 text, f6 text, f7 text, f8 text, f9 text, f10 text,
             error_column text, error_code text, raw_value text,
             outcome text, person_id bigint, employer_id bigint)",
    )
    .execute(tx.conn())?;
    Ok(())
}

/// Streams rows into the staging table with `COPY … FROM STDIN` (text format).
pub fn copy_rows(tx: &mut TenantTx<'_>, rows: &[StageRow]) -> StoreResult<usize> {
    let mut data = Vec::with_capacity(rows.len() * 96);
    for r in rows {
        data.extend_from_slice(r.row_no.to_string().as_bytes());
        for i in 0..10 {
            data.push(b'\t');
            copy_field(&mut data, r.fields.get(i).and_then(|f| f.as_deref()));
        }
        let e = r.error.as_ref();
        for v in [e.map(|e| e.column.as_str()), e.map(|e| e.code.as_str()), e.map(|e| e.value.as_str())] {
            data.push(b'\t');
            copy_field(&mut data, v);
        }
        data.push(b'\n');
    }
    let n = diesel::copy_from(crate::schema::import_rows::table)
        .from_raw_data(crate::schema::import_rows::table, |w: &mut dyn std::io::Write| {
            w.write_all(&data).map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))
        })
        .execute(tx.conn())?;
    Ok(n)
}

/// One field in COPY's text format: `\N` for NULL; backslash, tab, newline and return escaped.
fn copy_field(out: &mut Vec<u8>, v: Option<&str>) {
    let Some(v) = v else {
        out.extend_from_slice(b"\\N");
        return;
    };
    for b in v.bytes() {
        match b {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            _ => out.push(b),
        }
    }
}

/// Gives the planner the staged table's statistics (temporary tables are never auto-analysed).
pub fn analyze(tx: &mut TenantTx<'_>) -> StoreResult<()> {
    diesel::sql_query("ANALYZE pg_temp.import_rows").execute(tx.conn())?;
    Ok(())
}

/// Flags, set-based, what only the whole file and the registry show: duplicates inside the file,
/// unknown persons or employers, conflicts with existing records; marks rows already present.
pub fn validate(tx: &mut TenantTx<'_>, kind: Kind) -> StoreResult<()> {
    match kind {
        Kind::Persons | Kind::Employers => registry::validate(tx, kind),
        Kind::Employments | Kind::Enrolments | Kind::Contributions => records::validate(tx, kind),
    }
}

/// Applies the valid rows not yet present; returns how many records were created.
pub fn apply(tx: &mut TenantTx<'_>, kind: Kind, job_id: i64) -> StoreResult<i64> {
    let n = match kind {
        Kind::Persons | Kind::Employers => registry::apply(tx, kind, job_id)?,
        Kind::Employments | Kind::Enrolments | Kind::Contributions => records::apply(tx, kind, job_id)?,
    };
    tx.audit(kind.job_kind(), "job", &job_id.to_string(), None, Some(serde_json::json!({"inserted": n})), None)?;
    Ok(n)
}

#[derive(Debug, Clone, Default, Serialize, QueryableByName, schemars::JsonSchema)]
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

pub fn counts(tx: &mut TenantTx<'_>) -> StoreResult<Counts> {
    Ok(diesel::sql_query(
        "SELECT count(*) AS rows, count(*) FILTER (WHERE error_code IS NOT NULL) AS rejected,
                count(*) FILTER (WHERE outcome = 'present') AS present,
                count(*) FILTER (WHERE error_code IS NULL AND outcome IS NULL) AS to_insert
         FROM pg_temp.import_rows",
    )
    .get_result(tx.conn())?)
}

/// Keeps the per-row report of the job. (Each row once per job; the conflict clause also makes
/// Citus write the staged rows into the shard with an `INSERT` from an intermediate result
/// rather than with `COPY`, which row-level security refuses — docs/scaling.md.)
pub fn save_problems(tx: &mut TenantTx<'_>, job_id: i64) -> StoreResult<usize> {
    Ok(diesel::sql_query(
        "INSERT INTO import_problem (tenant_id, job_id, row_no, column_name, code, value)
         SELECT $1, $2, row_no, coalesce(error_column, ''), error_code, coalesce(raw_value, '')
         FROM pg_temp.import_rows WHERE error_code IS NOT NULL
         ON CONFLICT (tenant_id, job_id, row_no) DO NOTHING",
    )
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<BigInt, _>(job_id)
    .execute(tx.conn())?)
}

#[derive(Debug, Clone, Serialize, QueryableByName, schemars::JsonSchema)]
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

/// The per-row report of a job: every problem, by row.
pub fn problems(tx: &mut TenantTx<'_>, job_id: i64) -> StoreResult<Vec<Problem>> {
    Ok(diesel::sql_query(
        "SELECT row_no, column_name AS column, value, code FROM import_problem
         WHERE tenant_id = $1 AND job_id = $2 ORDER BY row_no",
    )
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<BigInt, _>(job_id)
    .load(tx.conn())?)
}

/// Reconciliation line: one year, the file's figures beside the platform's.
#[derive(Debug, Clone, Serialize, QueryableByName, PartialEq, Eq, schemars::JsonSchema)]
#[schemars(rename = "ImportYearLine")]
pub struct YearLine {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    pub year: i32,
    /// Rows of the file in that year, rows with problems and duplicates included (not rows whose year, or for
    /// contributions whose amounts, could not be read).
    #[diesel(sql_type = BigInt)]
    pub source_rows: i64,
    /// Contributions: employer plus employee amounts of those rows, in fen. 0 for employments and enrolments.
    #[diesel(sql_type = BigInt)]
    pub source_fen: i64,
    /// What the city holds for that year after the import (employments or enrolments starting in it, contribution
    /// months in it), from any source.
    #[diesel(sql_type = BigInt)]
    pub platform_rows: i64,
    /// Contributions: the platform's employer plus employee amounts for that year, in fen. 0 for employments and
    /// enrolments.
    #[diesel(sql_type = BigInt)]
    pub platform_fen: i64,
}

/// Counts (and for contributions, totals in fen) per year: the file as delivered against what
/// the platform holds for that year after the import. Persons and employers have no years.
pub fn reconcile(tx: &mut TenantTx<'_>, kind: Kind) -> StoreResult<Vec<YearLine>> {
    records::reconcile(tx, kind)
}

/// Masks an identity number for reports (first four and last four characters).
pub(crate) const MASK_F1: &str = "left(s.f1, 4) || repeat('*', greatest(length(s.f1) - 8, 0)) || right(s.f1, 4)";
