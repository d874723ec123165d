//! Long-running work with progress: one row per run, updated as it goes.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;
use serde_json::Value;

use crate::error::{StoreError, StoreResult};
use crate::tenant_tx::TenantTx;

/// Long-running work with progress.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, schemars::JsonSchema)]
#[diesel(table_name = crate::schema::job)]
pub struct Job {
    pub id: i64,
    /// `assessment` for a period's assessment run; `back_payment` for a run of back payments (`params` `{"upto": "YYYY-MM"}`, `result` `{rows}`); `import.persons`, `import.employers`, `import.employments`,
    /// `import.enrolments` or `import.contributions` for an import (`params` `{"valid_only": false}`, `total`/`done`
    /// count file rows staged, `result` `{rows, inserted, present, rejected, applied, by_year}`, `error` the file-level
    /// code such as `import.header`, `import.records_header` or `xlsx.invalid`).
    pub kind: String,
    /// What the job works on: `{"period": "YYYY-MM"}` for an assessment.
    pub params: Value,
    /// `running`, `done` or `failed`.
    pub status: crate::kinds::JobStatus,
    /// Units of work: enrolments active in the period.
    pub total: i64,
    /// Units done so far (updated after every chunk of 100,000 enrolment ids; `total` when done).
    pub done: i64,
    /// When `done`: the outcome, for an assessment a `RunSummary` (see that schema); `null` otherwise.
    pub result: Option<Value>,
    /// Why it failed; `null` otherwise. Running the period again resumes it (rows already written are kept).
    pub error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
}

pub fn create(tx: &mut TenantTx<'_>, kind: &str, params: Value, total: i64) -> StoreResult<i64> {
    use crate::schema::job::dsl as j;
    let tid = tx.tenant().0;
    let user = tx.actor().user_id();
    Ok(diesel::insert_into(j::job)
        .values((
            j::tenant_id.eq(tid),
            j::kind.eq(kind),
            j::params.eq(params),
            j::status.eq("running"),
            j::total.eq(total),
            j::created_by.eq(user),
            j::started_at.eq(Some(Utc::now())),
        ))
        .returning(j::id)
        .get_result(tx.conn())?)
}

pub fn progress(tx: &mut TenantTx<'_>, id: i64, done: i64) -> StoreResult<()> {
    use crate::schema::job::dsl as j;
    let tid = tx.tenant().0;
    diesel::update(j::job.filter(j::tenant_id.eq(tid)).filter(j::id.eq(id))).set(j::done.eq(done)).execute(tx.conn())?;
    Ok(())
}

pub fn finish(tx: &mut TenantTx<'_>, id: i64, result: Result<Value, String>) -> StoreResult<()> {
    use crate::schema::job::dsl as j;
    let tid = tx.tenant().0;
    let target = j::job.filter(j::tenant_id.eq(tid)).filter(j::id.eq(id));
    match result {
        Ok(v) => diesel::update(target)
            .set((j::status.eq("done"), j::done.eq(j::total), j::result.eq(Some(v)), j::finished_at.eq(Some(Utc::now()))))
            .execute(tx.conn())?,
        Err(e) => diesel::update(target)
            .set((j::status.eq("failed"), j::error.eq(Some(e)), j::finished_at.eq(Some(Utc::now()))))
            .execute(tx.conn())?,
    };
    Ok(())
}

pub fn get(tx: &mut TenantTx<'_>, id: i64) -> StoreResult<Job> {
    use crate::schema::job::dsl as j;
    let tid = tx.tenant().0;
    j::job
        .filter(j::tenant_id.eq(tid))
        .filter(j::id.eq(id))
        .select(Job::as_select())
        .first(tx.conn())
        .optional()?
        .ok_or(StoreError::NotFound)
}

pub fn recent(tx: &mut TenantTx<'_>, limit: i64) -> StoreResult<Vec<Job>> {
    use crate::schema::job::dsl as j;
    let tid = tx.tenant().0;
    Ok(j::job.filter(j::tenant_id.eq(tid)).order(j::id.desc()).limit(limit).select(Job::as_select()).load(tx.conn())?)
}

pub fn set_total(tx: &mut TenantTx<'_>, id: i64, total: i64) -> StoreResult<()> {
    use crate::schema::job::dsl as j;
    let tid = tx.tenant().0;
    diesel::update(j::job.filter(j::tenant_id.eq(tid)).filter(j::id.eq(id))).set(j::total.eq(total)).execute(tx.conn())?;
    Ok(())
}
