//! Employments, enrolments and contribution history: rows name a person by identity number
//! (`f1`) and an employer by credit code (`f2`), both already on the platform (import persons and
//! employers first). Duplicates inside the file, rows already present, and conflicts are flagged
//! set-based; reconciliation compares the file with the platform year by year.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Int4, Nullable, SmallInt};

use super::{Kind, YearLine, MASK_F1};
use crate::error::StoreResult;
use crate::tenant_tx::TenantTx;

/// Runs a statement on the staged rows; `$1`, where used, is the tenant.
fn exec(tx: &mut TenantTx<'_>, sql: &str) -> StoreResult<usize> {
    let tid = tx.tenant().0;
    Ok(if sql.contains("$1") {
        diesel::sql_query(sql).bind::<SmallInt, _>(tid).execute(tx.conn())?
    } else {
        diesel::sql_query(sql).execute(tx.conn())?
    })
}

/// The identity of a row within its kind (what makes two rows "the same record").
fn key(kind: Kind) -> &'static str {
    match kind {
        Kind::Employments => "person_id, employer_id, f3",
        Kind::Enrolments => "person_id, f3, f4",
        _ => "person_id, employer_id, f3, f4",
    }
}

pub(super) fn validate(tx: &mut TenantTx<'_>, kind: Kind) -> StoreResult<()> {
    exec(tx, "UPDATE pg_temp.import_rows s SET person_id = p.id FROM person p WHERE p.tenant_id = $1 AND p.id_number = s.f1")?;
    exec(tx, "UPDATE pg_temp.import_rows s SET employer_id = e.id FROM employer e WHERE e.tenant_id = $1 AND e.credit_code = s.f2")?;
    exec(
        tx,
        &format!(
            "UPDATE pg_temp.import_rows s SET error_column = 'id_number', error_code = 'import.unknown_person', raw_value = {MASK_F1}
             WHERE s.error_code IS NULL AND s.person_id IS NULL"
        ),
    )?;
    exec(
        tx,
        "UPDATE pg_temp.import_rows s SET error_column = 'credit_code', error_code = 'import.unknown_employer', raw_value = s.f2
         WHERE s.error_code IS NULL AND s.employer_id IS NULL",
    )?;
    let k = key(kind);
    exec(
        tx,
        &format!(
            "UPDATE pg_temp.import_rows s SET error_column = '*', error_code = 'import.duplicate_in_file', raw_value = d.first::text
             FROM (SELECT {k}, min(row_no) AS first FROM pg_temp.import_rows
                   WHERE error_code IS NULL GROUP BY {k} HAVING count(*) > 1) d
             WHERE ({}) = ({}) AND s.row_no > d.first AND s.error_code IS NULL",
            k.split(", ").map(|c| format!("s.{c}")).collect::<Vec<_>>().join(", "),
            k.split(", ").map(|c| format!("d.{c}")).collect::<Vec<_>>().join(", "),
        ),
    )?;
    match kind {
        Kind::Employments => {
            exec(
                tx,
                "UPDATE pg_temp.import_rows s SET outcome = 'present'
                 FROM employment m
                 WHERE s.error_code IS NULL AND m.tenant_id = $1 AND m.person_id = s.person_id AND m.employer_id = s.employer_id
                   AND m.start_date = iso_date(s.f3)",
            )?;
            // One open employment per person and employer: in the file, and against the platform.
            exec(
                tx,
                "UPDATE pg_temp.import_rows s SET error_column = 'end_date', error_code = 'import.open_twice', raw_value = d.first::text
                 FROM (SELECT person_id, employer_id, min(row_no) AS first FROM pg_temp.import_rows
                       WHERE error_code IS NULL AND outcome IS NULL AND f4 IS NULL GROUP BY person_id, employer_id HAVING count(*) > 1) d
                 WHERE s.person_id = d.person_id AND s.employer_id = d.employer_id AND s.f4 IS NULL AND s.row_no > d.first
                   AND s.error_code IS NULL AND s.outcome IS NULL",
            )?;
            exec(
                tx,
                "UPDATE pg_temp.import_rows s SET error_column = 'start_date', error_code = 'import.conflict', raw_value = s.f3
                 FROM employment m
                 WHERE s.error_code IS NULL AND s.outcome IS NULL AND s.f4 IS NULL
                   AND m.tenant_id = $1 AND m.person_id = s.person_id AND m.employer_id = s.employer_id AND m.end_date IS NULL",
            )?;
        }
        Kind::Enrolments => {
            exec(
                tx,
                "UPDATE pg_temp.import_rows s SET outcome = 'present'
                 FROM enrolment e
                 WHERE s.error_code IS NULL AND e.tenant_id = $1 AND e.person_id = s.person_id AND e.employer_id = s.employer_id
                   AND e.insurance_type = s.f3 AND e.start_period = iso_date(s.f4)",
            )?;
            // One active enrolment per person and type: in the file, and against the platform.
            exec(
                tx,
                "UPDATE pg_temp.import_rows s SET error_column = 'end_period', error_code = 'import.active_twice', raw_value = d.first::text
                 FROM (SELECT person_id, f3, min(row_no) AS first FROM pg_temp.import_rows
                       WHERE error_code IS NULL AND outcome IS NULL AND f5 IS NULL GROUP BY person_id, f3 HAVING count(*) > 1) d
                 WHERE s.person_id = d.person_id AND s.f3 = d.f3 AND s.f5 IS NULL AND s.row_no > d.first
                   AND s.error_code IS NULL AND s.outcome IS NULL",
            )?;
            exec(
                tx,
                "UPDATE pg_temp.import_rows s SET error_column = 'insurance_type', error_code = 'import.conflict', raw_value = s.f3
                 FROM enrolment e
                 WHERE s.error_code IS NULL AND s.outcome IS NULL AND s.f5 IS NULL
                   AND e.tenant_id = $1 AND e.person_id = s.person_id AND e.insurance_type = s.f3 AND e.status = 'active'",
            )?;
        }
        _ => {
            exec(
                tx,
                "UPDATE pg_temp.import_rows s
                 SET outcome = CASE WHEN c.base_fen = s.f5::bigint AND c.employer_fen = s.f6::bigint AND c.employee_fen = s.f7::bigint
                                    THEN 'present' END,
                     error_column = CASE WHEN c.base_fen = s.f5::bigint AND c.employer_fen = s.f6::bigint AND c.employee_fen = s.f7::bigint
                                    THEN NULL ELSE 'base_fen' END,
                     error_code = CASE WHEN c.base_fen = s.f5::bigint AND c.employer_fen = s.f6::bigint AND c.employee_fen = s.f7::bigint
                                    THEN NULL ELSE 'import.conflict' END,
                     raw_value = CASE WHEN c.base_fen = s.f5::bigint AND c.employer_fen = s.f6::bigint AND c.employee_fen = s.f7::bigint
                                    THEN NULL ELSE round(s.f5::numeric / 100, 2)::text END
                 FROM contribution_history c
                 WHERE s.error_code IS NULL AND c.tenant_id = $1 AND c.person_id = s.person_id AND c.employer_id = s.employer_id
                   AND c.insurance_type = s.f3 AND c.period = iso_date(s.f4)",
            )?;
        }
    }
    Ok(())
}

/// Writes the valid new rows. Employments and enrolments add their timeline entries and (for
/// enrolments) statistics; contribution history appears on the timeline as yearly entries derived
/// from the table.
///
/// Every `INSERT` here has a `RETURNING` or an `ON CONFLICT` clause (on the timeline and the
/// statistics, whose keys come from a sequence, a conflict cannot happen): on Citus the rows
/// staged on the coordinator then reach the shard as an `INSERT` from an intermediate result,
/// not as a `COPY`, which row-level security refuses (docs/scaling.md).
pub(super) fn apply(tx: &mut TenantTx<'_>, kind: Kind, job_id: i64) -> StoreResult<i64> {
    let sql = match kind {
        Kind::Employments => {
            "WITH ins AS (
                 INSERT INTO employment (tenant_id, person_id, employer_id, start_date, end_date, end_reason, created_by, import_job_id)
                 SELECT $1, person_id, employer_id, f3::date, f4::date, f5, $4, $2
                 FROM pg_temp.import_rows WHERE error_code IS NULL AND outcome IS NULL
                 RETURNING person_id, employer_id, start_date, end_date, end_reason),
             started AS (
                 INSERT INTO person_event (tenant_id, person_id, occurred_on, kind, detail, office_id, created_by)
                 SELECT $1, person_id, start_date, 'employed', jsonb_build_object('employer_id', employer_id, 'source', 'import', 'job_id', $2), $3, $4
                 FROM ins ON CONFLICT DO NOTHING),
             ended AS (
                 INSERT INTO person_event (tenant_id, person_id, occurred_on, kind, detail, office_id, created_by)
                 SELECT $1, person_id, end_date, 'left_employment',
                        jsonb_build_object('employer_id', employer_id, 'reason', end_reason, 'source', 'import', 'job_id', $2), $3, $4
                 FROM ins WHERE end_date IS NOT NULL ON CONFLICT DO NOTHING)
             SELECT count(*) AS n FROM ins"
        }
        Kind::Enrolments => {
            "WITH ins AS (
                 INSERT INTO enrolment (tenant_id, person_id, employer_id, insurance_type, start_period, end_period, status, stop_reason,
                                        office_id, created_by, import_job_id)
                 SELECT $1, person_id, employer_id, f3, f4::date, f5::date, CASE WHEN f5 IS NULL THEN 'active' ELSE 'stopped' END, f6, $3, $4, $2
                 FROM pg_temp.import_rows WHERE error_code IS NULL AND outcome IS NULL
                 RETURNING person_id, employer_id, insurance_type, start_period, end_period, status),
             events AS (
                 INSERT INTO person_event (tenant_id, person_id, occurred_on, kind, detail, office_id, created_by)
                 SELECT $1, person_id, start_period, 'enrolled',
                        jsonb_build_object('employer_id', employer_id, 'types', jsonb_build_array(insurance_type),
                                           'period', to_char(start_period, 'YYYY-MM'), 'source', 'import', 'job_id', $2), $3, $4
                 FROM ins ON CONFLICT DO NOTHING),
             stats AS (
                 INSERT INTO stat_delta (tenant_id, metric, period, insurance_type, value)
                 SELECT $1, 'active_enrolments', DATE '1900-01-01', insurance_type, count(*) FROM ins WHERE status = 'active' GROUP BY insurance_type
                 UNION ALL SELECT $1, 'new_enrolments', start_period, insurance_type, count(*) FROM ins GROUP BY start_period, insurance_type
                 UNION ALL SELECT $1, 'stopped_enrolments', end_period, insurance_type, count(*) FROM ins
                           WHERE end_period IS NOT NULL GROUP BY end_period, insurance_type
                 ON CONFLICT DO NOTHING)
             SELECT count(*) AS n FROM ins"
        }
        _ => {
            "WITH ins AS (
                 INSERT INTO contribution_history (tenant_id, person_id, employer_id, insurance_type, period, base_fen, employer_fen,
                                                   employee_fen, import_job_id)
                 SELECT $1, person_id, employer_id, f3, f4::date, f5::bigint, f6::bigint, f7::bigint, $2
                 FROM pg_temp.import_rows WHERE error_code IS NULL AND outcome IS NULL
                 ON CONFLICT DO NOTHING
                 RETURNING 1)
             SELECT count(*) AS n FROM ins"
        }
    };
    let (tid, office, user) = (tx.tenant().0, tx.actor().office_id().unwrap_or(1), tx.actor().user_id());
    let q = diesel::sql_query(sql).bind::<SmallInt, _>(tid).bind::<BigInt, _>(job_id);
    let n: crate::repo::CountRow = if kind == Kind::Contributions {
        q.get_result(tx.conn())?
    } else {
        q.bind::<Int4, _>(office).bind::<Nullable<BigInt>, _>(user).get_result(tx.conn())?
    };
    Ok(n.n)
}

pub(super) fn reconcile(tx: &mut TenantTx<'_>, kind: Kind) -> StoreResult<Vec<YearLine>> {
    let (source, platform) = match kind {
        Kind::Employments => (
            "SELECT extract(year FROM f3::date)::int AS year, count(*) AS n, 0::bigint AS fen FROM pg_temp.import_rows
             WHERE f3 IS NOT NULL GROUP BY 1",
            "SELECT extract(year FROM start_date)::int AS year, count(*) AS n, 0::bigint AS fen FROM employment
             WHERE tenant_id = $1 GROUP BY 1",
        ),
        Kind::Enrolments => (
            "SELECT extract(year FROM f4::date)::int AS year, count(*) AS n, 0::bigint AS fen FROM pg_temp.import_rows
             WHERE f4 IS NOT NULL GROUP BY 1",
            "SELECT extract(year FROM start_period)::int AS year, count(*) AS n, 0::bigint AS fen FROM enrolment
             WHERE tenant_id = $1 GROUP BY 1",
        ),
        Kind::Contributions => (
            "SELECT extract(year FROM f4::date)::int AS year, count(*) AS n, sum(f6::bigint + f7::bigint)::bigint AS fen
             FROM pg_temp.import_rows WHERE f4 IS NOT NULL AND f6 IS NOT NULL AND f7 IS NOT NULL GROUP BY 1",
            "SELECT extract(year FROM period)::int AS year, count(*) AS n, sum(employer_fen + employee_fen)::bigint AS fen
             FROM contribution_history WHERE tenant_id = $1 GROUP BY 1",
        ),
        Kind::Persons | Kind::Employers => return Ok(Vec::new()),
    };
    Ok(diesel::sql_query(format!(
        "WITH s AS ({source}), p AS ({platform})
         SELECT s.year, s.n AS source_rows, s.fen AS source_fen, coalesce(p.n, 0) AS platform_rows, coalesce(p.fen, 0)::bigint AS platform_fen
         FROM s LEFT JOIN p ON p.year = s.year ORDER BY s.year"
    ))
    .bind::<SmallInt, _>(tx.tenant().0)
    .load(tx.conn())?)
}
