//! Long jobs the server runs in the background for the API and the pages alike: the monthly
//! assessment. A job's progress is in its `job` row (the job page polls it); its duration and
//! outcome are in `/metrics` (`jinbao_job_duration_seconds{kind,outcome}`).

use jinbao_domain::Period;
use jinbao_store::repo::assessments::{self, Begin};

use crate::auth::Principal;
use crate::error::ApiError;
use crate::state::AppState;

/// What starting the assessment of a period gave: the job now running, or the summary of the
/// period assessed before (re-runs are idempotent).
pub enum Assessment {
    Running { job_id: i64 },
    Done(assessments::RunSummary),
}

/// Starts the assessment of `period` for the caller's tenant on a thread of its own.
pub async fn start_assessment(state: &AppState, who: &Principal, period: Period) -> Result<Assessment, ApiError> {
    let (db, tenant, actor) = (state.db.clone(), who.tenant, who.actor());
    let begun = crate::blocking::run({
        let (db, actor) = (db.clone(), actor.clone());
        move || assessments::begin(&db, tenant, actor, period)
    })
    .await?;
    let started = match begun {
        Begin::AlreadyAssessed(summary) => return Ok(Assessment::Done(summary)),
        Begin::Started(started) => started,
    };
    let job_id = started.job_id;
    let metrics = state.metrics.clone();
    std::thread::Builder::new()
        .name(format!("assess-{}-{period}", tenant.0))
        .spawn(move || {
            let began = std::time::Instant::now();
            let outcome = assessments::execute(&db, tenant, actor, &started, |_, _| {});
            if let Err(e) = &outcome {
                tracing::error!(error = %e, job = job_id, "assessment failed");
            }
            metrics.job("assessment", outcome.is_ok(), began.elapsed().as_secs_f64());
        })
        .map_err(|e| ApiError::internal(e.into()))?;
    Ok(Assessment::Running { job_id })
}
