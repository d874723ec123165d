//! Legacy data import (docs/import-format.md): each kind parses its file into staging rows; the
//! runner stages them in chunks (progress on the job row), validates set-based, applies all or
//! nothing (or the valid rows only) and returns the reconciliation and the per-row report.

pub mod employers;
pub mod persons;

use jinbao_store::repo::imports::{self, Kind, Problem};
use jinbao_store::repo::jobs;
use jinbao_store::{Actor, Db, StoreError, TenantId, TenantTx};
use serde::Serialize;

const CHUNK: usize = 50_000;

#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    pub job_id: i64,
    pub rows: i64,
    pub inserted: i64,
    pub present: i64,
    pub rejected: i64,
    /// False when problems stopped an all-or-nothing import.
    pub applied: bool,
    pub problems: Vec<Problem>,
    /// Seconds spent in each phase: parse, stage, validate, apply.
    pub timings: Vec<(&'static str, f64)>,
}

/// The shared import run. `parse` gets the job id; `stage` writes a chunk; `apply` registers.
#[allow(clippy::too_many_arguments)]
pub fn run<R>(
    db: &Db,
    tenant: TenantId,
    actor: Actor,
    kind: Kind,
    parse: impl FnOnce(i64) -> Result<Vec<R>, &'static str>,
    stage: fn(&mut TenantTx<'_>, &[R]) -> Result<usize, StoreError>,
    apply: fn(&mut TenantTx<'_>, i64) -> Result<i64, StoreError>,
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
    let rows = match parse(job_id) {
        Ok(rows) => rows,
        Err(code) => {
            db.tenant(tenant, actor, |tx| jobs::finish(tx, job_id, Err(code.to_string())))?;
            return Err(StoreError::invalid("file", code));
        }
    };
    let total = rows.len();
    lap("parse", &mut timings);
    db.tenant(tenant, actor.clone(), |tx| jobs::set_total(tx, job_id, total as i64))?;
    let mut done = 0;
    for chunk in rows.chunks(CHUNK) {
        db.tenant(tenant, actor.clone(), |tx| {
            stage(tx, chunk)?;
            jobs::progress(tx, job_id, (done + chunk.len()) as i64)
        })?;
        done += chunk.len();
        progress(done, total);
    }
    lap("stage", &mut timings);
    db.tenant(tenant, actor, |tx| {
        imports::validate(tx, kind, job_id)?;
        let c = imports::counts(tx, kind, job_id)?;
        lap("validate", &mut timings);
        let applied = c.rejected == 0 || valid_only;
        let inserted = if applied { apply(tx, job_id)? } else { 0 };
        let problems = imports::problems(tx, kind, job_id)?;
        lap("apply", &mut timings);
        jobs::finish(
            tx,
            job_id,
            Ok(serde_json::json!({"rows": c.rows, "inserted": inserted, "present": c.present, "rejected": c.rejected, "applied": applied})),
        )?;
        Ok(Outcome {
            job_id,
            rows: c.rows,
            inserted,
            present: c.present,
            rejected: c.rejected,
            applied,
            problems,
            timings: timings.clone(),
        })
    })
}
