//! Legacy data import (docs/import-format.md): read the file (CSV or .xlsx), parse each row into
//! the kind's standard fields, stream them into the session's staging table in chunks (progress
//! on the job row), validate set-based, apply all or nothing (or the valid rows only), and return
//! the reconciliation and the per-row report.

pub mod employers;
mod fields;
pub mod persons;
pub mod records;
pub mod table;

use jinbao_store::repo::imports::{self, Kind, Problem, YearLine};
use jinbao_store::repo::jobs;
use jinbao_store::{Actor, Db, StoreError, TenantId};
use serde::Serialize;

const CHUNK: usize = 50_000;

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Outcome {
    pub job_id: i64,
    pub kind: Kind,
    pub rows: i64,
    pub inserted: i64,
    pub present: i64,
    pub rejected: i64,
    /// False when problems stopped an all-or-nothing import.
    pub applied: bool,
    pub problems: Vec<Problem>,
    /// Per year, the file beside the platform (employments, enrolments, contributions).
    pub by_year: Vec<YearLine>,
    /// Seconds spent in each phase: read and stage, validate, apply.
    pub timings: Vec<(&'static str, f64)>,
}

pub fn spec(kind: Kind) -> &'static table::Spec {
    match kind {
        Kind::Persons => &persons::SPEC,
        Kind::Employers => &employers::SPEC,
        Kind::Employments => &records::EMPLOYMENTS,
        Kind::Enrolments => &records::ENROLMENTS,
        Kind::Contributions => &records::CONTRIBUTIONS,
    }
}

/// Imports one file of `kind` into `tenant`; `progress(done, total)` after each staged chunk.
pub fn run(
    db: &Db,
    tenant: TenantId,
    actor: Actor,
    kind: Kind,
    file: &[u8],
    valid_only: bool,
    mut progress: impl FnMut(usize, usize),
) -> Result<Outcome, StoreError> {
    let mut timings = Vec::new();
    let mut clock = std::time::Instant::now();
    let mut lap = |name: &'static str, timings: &mut Vec<(&'static str, f64)>| {
        timings.push((name, clock.elapsed().as_secs_f64()));
        clock = std::time::Instant::now();
    };
    let job_id =
        db.tenant(tenant, actor.clone(), |tx| jobs::create(tx, kind.job_kind(), serde_json::json!({"valid_only": valid_only}), 0))?;
    let today = chrono::Utc::now().date_naive();
    // Read and stage in one pass: each chunk of parsed rows goes straight into the session's
    // staging table (a large file is never held as rows all at once).
    let total = std::cell::Cell::new(0usize);
    let outcome = db.tenant_session(tenant, actor.clone(), |s| {
        s.tx(imports::create_rows_table)?;
        let mut done = 0usize;
        let read = table::read(
            file,
            spec(kind),
            today,
            CHUNK,
            |n| total.set(n),
            |chunk: &[imports::StageRow]| -> Result<(), StoreError> {
                s.tx(|tx| {
                    imports::copy_rows(tx, chunk)?;
                    jobs::set_total(tx, job_id, total.get().max(done + chunk.len()) as i64)?;
                    jobs::progress(tx, job_id, (done + chunk.len()) as i64)
                })?;
                done += chunk.len();
                progress(done, total.get().max(done));
                Ok(())
            },
        );
        match read {
            Ok(_) => {}
            Err(table::ReadError::File(code)) => return Err(StoreError::invalid("file", code)),
            Err(table::ReadError::Sink(e)) => return Err(e),
        }
        lap("read and stage", &mut timings);
        s.tx(|tx| {
            imports::analyze(tx)?;
            imports::validate(tx, kind)?;
            let c = imports::counts(tx)?;
            lap("validate", &mut timings);
            let applied = c.rejected == 0 || valid_only;
            let inserted = if applied { imports::apply(tx, kind, job_id)? } else { 0 };
            imports::save_problems(tx, job_id)?;
            let problems = imports::problems(tx, job_id)?;
            let by_year = imports::reconcile(tx, kind)?;
            lap("apply", &mut timings);
            jobs::finish(
                tx,
                job_id,
                Ok(serde_json::json!({"rows": c.rows, "inserted": inserted, "present": c.present, "rejected": c.rejected,
                                      "applied": applied, "by_year": by_year})),
            )?;
            Ok(Outcome {
                job_id,
                kind,
                rows: c.rows,
                inserted,
                present: c.present,
                rejected: c.rejected,
                applied,
                problems,
                by_year,
                timings: timings.clone(),
            })
        })
    });
    if let Err(e) = &outcome {
        // The work rolled back; the job row says so instead of staying "running".
        tracing::warn!(error = %e, job = job_id, "import failed");
        let code = e.public_code();
        db.tenant(tenant, actor, |tx| jobs::finish(tx, job_id, Err(code)))?;
    }
    outcome
}
