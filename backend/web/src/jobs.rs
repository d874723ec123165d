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

/// Starts the generation of every insured person's rights statement of `year` (个人权益记录单) on a
/// thread of its own: one transaction per person, progress in the job row; a person whose
/// statement cannot be computed is counted and named in the result, the others go on.
pub async fn start_statements(state: &AppState, who: &Principal, year: i32) -> Result<i64, ApiError> {
    use jinbao_store::repo::{jobs, rights_statements};
    let (db, tenant, actor, tcode) = (state.db.clone(), who.tenant, who.actor(), who.claims.tcode.clone());
    let (job_id, persons) = crate::blocking::run({
        let (db, actor) = (db.clone(), actor.clone());
        move || {
            db.tenant(tenant, actor, |tx| {
                let persons = rights_statements::insured_in_year(tx, year)?;
                let job = jobs::create(tx, "rights_statements", serde_json::json!({"year": year}), persons.len() as i64)?;
                Ok((job, persons))
            })
        }
    })
    .await?;
    let metrics = state.metrics.clone();
    std::thread::Builder::new()
        .name(format!("statements-{}-{year}", tenant.0))
        .spawn(move || {
            use rand::RngCore;
            let began = std::time::Instant::now();
            let today = chrono::Utc::now().date_naive();
            let (mut generated, mut failed) = (0i64, Vec::new());
            for (n, person) in persons.iter().enumerate() {
                let mut random = [0u8; 12];
                rand::thread_rng().fill_bytes(&mut random);
                let outcome = db.tenant_with(tenant, actor.clone(), |tx| {
                    jinbao_app::rights_statement::generate(tx, *person, year, today, &tcode, random, Some(job_id)).map(|_| ())
                });
                match outcome {
                    Ok(()) => generated += 1,
                    Err(e) => {
                        tracing::warn!(error = %e, person, job = job_id, "statement not generated");
                        failed.push(*person);
                    }
                }
                if (n + 1) % 50 == 0 || n + 1 == persons.len() {
                    let _ = db.tenant(tenant, actor.clone(), |tx| jobs::progress(tx, job_id, n as i64 + 1));
                }
            }
            let result = serde_json::json!({"year": year, "generated": generated, "failed": failed.len(), "failed_persons": failed.iter().take(100).collect::<Vec<_>>()});
            let _ = db.tenant(tenant, actor, |tx| jobs::finish(tx, job_id, Ok(result)));
            metrics.job("rights_statements", failed.is_empty(), began.elapsed().as_secs_f64());
        })
        .map_err(|e| ApiError::internal(e.into()))?;
    Ok(job_id)
}
