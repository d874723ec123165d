//! Monthly assessment, set-based in SQL: every active enrolment's employer and employee amounts
//! for a period, per person × type, computed by `INSERT ... SELECT` in chunks of person ids
//! (each chunk its own transaction, progress recorded on the job row). Re-running an assessed
//! period changes nothing; a crashed run is resumed by running again (rows already written are
//! skipped by the unique index). The SQL mirrors `jinbao_domain::contribution` exactly.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, SmallInt};
use jinbao_domain::Period;
use serde::Serialize;

use crate::error::{StoreError, StoreResult};
use crate::pool::Db;
use crate::repo::jobs;
use crate::tenant_tx::{Actor, TenantId, TenantTx};

/// Expected amounts of every enrolment active in period `$2` of a person with an id in `[$3, $4]`,
/// tenant `$1`, with the rule in effect for the period, the latest declared wage and the
/// employer's floating work-injury rate in force (100 % without a decision).
///
/// Written so that Citus executes the whole `INSERT … SELECT` on the tenant's shard
/// (docs/scaling.md): every table is joined on `tenant_id`; the effective-dated lookups are
/// `DISTINCT ON` sub-selects (not `LATERAL … LIMIT 1`), the declared wages bounded by the chunk's
/// person range; no outer join — an employer without a floating-rate decision gets its 100 % from
/// the `UNION ALL` with the employer list. (`OFFSET 0` in a sub-select of one tenant is still
/// executed on the shard: `EXPLAIN` shows one task.)
const EXPECTED: &str = "
    SELECT y.tenant_id, $2::date AS period, y.enrolment_id, y.person_id, y.employer_id, y.insurance_type,
           y.base AS base_fen, y.er AS employer_rate_bp, y.ee AS employee_rate_bp,
           round_div(y.base * y.er, 10000, y.amount_rounding) AS employer_fen,
           round_div(y.base * y.ee, 10000, y.amount_rounding) AS employee_fen
    FROM (
        SELECT e.tenant_id, e.id AS enrolment_id, e.person_id, e.employer_id, e.insurance_type, r.amount_rounding, k.ee,
               clamp_base(d.declared_wage_fen, r.avg_wage_fen, r.floor_pct, r.ceiling_pct, r.base_whole_yuan, r.base_rounding) AS base,
               CASE WHEN e.insurance_type = 'work_injury' THEN round_div(k.er::bigint * f.percent, 100, 'half_up')::int ELSE k.er END AS er
        FROM enrolment e
        JOIN (SELECT DISTINCT ON (tenant_id) tenant_id, id, avg_wage_fen, floor_pct, ceiling_pct, base_whole_yuan, base_rounding,
                     amount_rounding, maternity_merged
              FROM tenant_rule
              WHERE tenant_id = $1 AND superseded_at IS NULL AND effective_from <= $2
              ORDER BY tenant_id, effective_from DESC) r ON r.tenant_id = e.tenant_id
        JOIN employer emp ON emp.tenant_id = e.tenant_id AND emp.id = e.employer_id
        JOIN (SELECT tenant_id, rule_id, insurance_type, risk_class,
                     coalesce(max(rate_bp) FILTER (WHERE party = 'employer'), 0) AS er,
                     coalesce(max(rate_bp) FILTER (WHERE party = 'employee'), 0) AS ee
              FROM tenant_rate WHERE tenant_id = $1
              GROUP BY tenant_id, rule_id, insurance_type, risk_class) k
          ON k.tenant_id = e.tenant_id AND k.rule_id = r.id AND k.insurance_type = e.insurance_type
         AND k.risk_class = CASE WHEN e.insurance_type = 'work_injury' THEN emp.risk_class ELSE 0 END
        JOIN (SELECT DISTINCT ON (tenant_id, person_id, employer_id) tenant_id, person_id, employer_id, declared_wage_fen
              FROM contribution_base
              WHERE tenant_id = $1 AND effective_from <= $2 AND person_id BETWEEN $3 AND $4
              ORDER BY tenant_id, person_id, employer_id, effective_from DESC) d
          ON d.tenant_id = e.tenant_id AND d.person_id = e.person_id AND d.employer_id = e.employer_id
        JOIN (SELECT DISTINCT ON (tenant_id, employer_id) tenant_id, employer_id, percent
              FROM (SELECT tenant_id, employer_id, effective_from, percent
                    FROM employer_injury_float WHERE tenant_id = $1 AND effective_from <= $2
                    UNION ALL
                    SELECT tenant_id, id, '-infinity'::date, 100::smallint FROM employer WHERE tenant_id = $1) u
              ORDER BY tenant_id, employer_id, effective_from DESC) f
          ON f.tenant_id = e.tenant_id AND f.employer_id = e.employer_id
        WHERE e.tenant_id = $1 AND e.start_period <= $2 AND (e.end_period IS NULL OR e.end_period >= $2)
          AND NOT (e.insurance_type = 'maternity' AND r.maternity_merged)
          AND e.person_id BETWEEN $3 AND $4
        -- Not flattened into the outer query: the base and the rate are computed once per row,
        -- not once per use (measured: 2.9 s of 4.4 s for 400,000 rows otherwise).
        OFFSET 0
    ) y";

const CHUNK: i64 = 100_000;

/// Totals of an assessed period.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct RunSummary {
    pub period: Period,
    /// The job of the (last) run.
    pub job_id: i64,
    /// Rows written by this run (0 when the period was already assessed).
    pub rows_written: i64,
    /// Assessment rows of the period now (regular and back-payment rows).
    pub rows_total: i64,
    /// Employer total of the period, fen.
    pub employer_fen: i64,
    /// Employee total of the period, fen.
    pub employee_fen: i64,
    /// `true` when nothing was done because the period was assessed before.
    pub already_assessed: bool,
}

#[derive(QueryableByName)]
struct Range {
    #[diesel(sql_type = diesel::sql_types::Nullable<BigInt>)]
    lo: Option<i64>,
    #[diesel(sql_type = diesel::sql_types::Nullable<BigInt>)]
    hi: Option<i64>,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName)]
struct Totals {
    #[diesel(sql_type = BigInt)]
    rows: i64,
    #[diesel(sql_type = BigInt)]
    employer_fen: i64,
    #[diesel(sql_type = BigInt)]
    employee_fen: i64,
}

fn totals(tx: &mut TenantTx<'_>, period: NaiveDate) -> StoreResult<Totals> {
    Ok(diesel::sql_query(
        "SELECT count(*) AS rows, coalesce(sum(employer_fen), 0)::bigint AS employer_fen, coalesce(sum(employee_fen), 0)::bigint AS employee_fen
         FROM assessment WHERE tenant_id = $1 AND period = $2",
    )
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<Date, _>(period)
    .get_result(tx.conn())?)
}

/// A run that has been claimed: its job and the person id range to cover.
#[derive(Debug, Clone)]
pub struct Started {
    pub period: Period,
    pub job_id: i64,
    lo: i64,
    hi: i64,
    pub total: i64,
}

pub enum Begin {
    /// The period was assessed before: nothing to do (re-runs are idempotent).
    AlreadyAssessed(RunSummary),
    Started(Started),
}

/// Assesses `period` for the tenant. `progress(done, total)` is called after every chunk.
pub fn run(db: &Db, tenant: TenantId, actor: Actor, period: Period, progress: impl FnMut(i64, i64)) -> StoreResult<RunSummary> {
    match begin(db, tenant, actor.clone(), period)? {
        Begin::AlreadyAssessed(s) => Ok(s),
        Begin::Started(s) => execute(db, tenant, actor, &s, progress),
    }
}

/// Claims the period and opens a job (or reports that the period is assessed already).
pub fn begin(db: &Db, tenant: TenantId, actor: Actor, period: Period) -> StoreResult<Begin> {
    let day = period.first_day();
    // 1. Claim the period and open a job.
    let start = db.tenant(tenant, actor.clone(), |tx| {
        use crate::schema::assessment_period::dsl as ap;
        let tid = tx.tenant().0;
        let status: Option<(String, Option<i64>)> = ap::assessment_period
            .filter(ap::tenant_id.eq(tid))
            .filter(ap::period.eq(day))
            .select((ap::status, ap::last_job_id))
            .for_update()
            .first(tx.conn())
            .optional()?;
        if let Some((s, job)) = &status {
            if s == "assessed" {
                return Ok(Err(job.unwrap_or(0)));
            }
        }
        let range: Range = diesel::sql_query(
            "SELECT min(person_id) AS lo, max(person_id) AS hi, count(*) AS n FROM enrolment
             WHERE tenant_id = $1 AND start_period <= $2 AND (end_period IS NULL OR end_period >= $2)",
        )
        .bind::<SmallInt, _>(tid)
        .bind::<Date, _>(day)
        .get_result(tx.conn())?;
        let job = jobs::create(tx, "assessment", serde_json::json!({"period": period.to_string()}), range.n)?;
        diesel::insert_into(ap::assessment_period)
            .values((ap::tenant_id.eq(tid), ap::period.eq(day), ap::status.eq("running"), ap::last_job_id.eq(Some(job))))
            .on_conflict((ap::tenant_id, ap::period))
            .do_update()
            .set((ap::status.eq("running"), ap::last_job_id.eq(Some(job))))
            .execute(tx.conn())?;
        Ok(Ok((job, range)))
    })?;
    match start {
        Err(job) => {
            let t = db.tenant(tenant, actor, |tx| totals(tx, day))?;
            Ok(Begin::AlreadyAssessed(RunSummary {
                period,
                job_id: job,
                rows_written: 0,
                rows_total: t.rows,
                employer_fen: t.employer_fen,
                employee_fen: t.employee_fen,
                already_assessed: true,
            }))
        }
        Ok((job, range)) => {
            Ok(Begin::Started(Started { period, job_id: job, lo: range.lo.unwrap_or(0), hi: range.hi.unwrap_or(-1), total: range.n }))
        }
    }
}

#[derive(QueryableByName)]
struct ByType {
    #[diesel(sql_type = diesel::sql_types::Text)]
    insurance_type: String,
    #[diesel(sql_type = BigInt)]
    rows: i64,
    #[diesel(sql_type = BigInt)]
    fen: i64,
}

/// Adds the rows `job` wrote for the period `day` (persons in `[lo, hi]`) to what each employer
/// owes per month and type (`employer_due`, read by the fund ledger) and to the statistics;
/// returns how many rows there are. Summed from the rows themselves rather than from a modifying
/// CTE, so that each statement runs on the tenant's shard on Citus.
fn account(tx: &mut TenantTx<'_>, day: NaiveDate, job: i64, lo: i64, hi: i64) -> StoreResult<i64> {
    let tid = tx.tenant().0;
    diesel::sql_query(
        "INSERT INTO employer_due (tenant_id, period, employer_id, insurance_type, due_fen)
         SELECT tenant_id, period, employer_id, insurance_type, sum(employer_fen + employee_fen) FROM assessment
         WHERE tenant_id = $1 AND period = $2 AND job_id = $3 AND person_id BETWEEN $4 AND $5
         GROUP BY tenant_id, period, employer_id, insurance_type
         ON CONFLICT (tenant_id, period, employer_id, insurance_type) DO UPDATE SET due_fen = employer_due.due_fen + EXCLUDED.due_fen",
    )
    .bind::<SmallInt, _>(tid)
    .bind::<Date, _>(day)
    .bind::<BigInt, _>(job)
    .bind::<BigInt, _>(lo)
    .bind::<BigInt, _>(hi)
    .execute(tx.conn())?;
    let by_type: Vec<ByType> = diesel::sql_query(
        "SELECT insurance_type, count(*) AS rows, sum(employer_fen + employee_fen)::bigint AS fen FROM assessment
         WHERE tenant_id = $1 AND period = $2 AND job_id = $3 AND person_id BETWEEN $4 AND $5
         GROUP BY insurance_type",
    )
    .bind::<SmallInt, _>(tid)
    .bind::<Date, _>(day)
    .bind::<BigInt, _>(job)
    .bind::<BigInt, _>(lo)
    .bind::<BigInt, _>(hi)
    .load(tx.conn())?;
    for t in &by_type {
        if t.fen != 0 {
            tx.push_stat("assessed_fen", Some(day), &t.insurance_type, t.fen);
        }
    }
    Ok(by_type.iter().map(|t| t.rows).sum())
}

/// The regular rows of a chunk: tenant `$1`, period `$2`, persons `[$3, $4]`, job `$5`.
fn regular_insert() -> String {
    format!(
        "INSERT INTO assessment (tenant_id, period, enrolment_id, revision, person_id, employer_id, insurance_type, base_fen,
                                 employer_rate_bp, employee_rate_bp, employer_fen, employee_fen, kind, job_id)
         SELECT x.tenant_id, x.period, x.enrolment_id, 0, x.person_id, x.employer_id, x.insurance_type, x.base_fen,
                x.employer_rate_bp, x.employee_rate_bp, x.employer_fen, x.employee_fen, 'regular', $5
         FROM ({EXPECTED}) x
         ON CONFLICT (tenant_id, period, person_id, enrolment_id, revision) DO NOTHING"
    )
}

#[derive(QueryableByName)]
struct PlanLine {
    #[diesel(sql_type = diesel::sql_types::Text)]
    #[diesel(column_name = "QUERY PLAN")]
    line: String,
}

/// The plan of the regular run's statement for `period` (all persons), executed and then undone
/// (a savepoint rolled back, so nothing stays written): for the benchmark and docs/scaling.md.
pub fn explain_run(tx: &mut TenantTx<'_>, period: Period) -> StoreResult<Vec<String>> {
    diesel::sql_query("SAVEPOINT explain_run").execute(tx.conn())?;
    let plan: Vec<PlanLine> = diesel::sql_query(format!("EXPLAIN (ANALYZE, COSTS OFF) {}", regular_insert()))
        .bind::<SmallInt, _>(tx.tenant().0)
        .bind::<Date, _>(period.first_day())
        .bind::<BigInt, _>(0i64)
        .bind::<BigInt, _>(i64::MAX)
        .bind::<BigInt, _>(0i64)
        .load(tx.conn())?;
    diesel::sql_query("ROLLBACK TO SAVEPOINT explain_run").execute(tx.conn())?;
    Ok(plan.into_iter().map(|l| l.line).collect())
}

/// Writes the period's rows chunk by chunk, then closes the period and the job.
pub fn execute(db: &Db, tenant: TenantId, actor: Actor, started: &Started, mut progress: impl FnMut(i64, i64)) -> StoreResult<RunSummary> {
    let (period, job) = (started.period, started.job_id);
    let day = period.first_day();
    // 2. Chunks, each its own transaction.
    let insert = regular_insert();
    let (lo, hi) = (started.lo, started.hi);
    let mut written = 0i64;
    let mut done = 0i64;
    let mut from = lo;
    let outcome: StoreResult<()> = (|| {
        while from <= hi {
            let to = from.saturating_add(CHUNK - 1).min(hi);
            let (w, n) = db.tenant(tenant, actor.clone(), |tx| {
                let tid = tx.tenant().0;
                let w = super::income::tracked(tx, day, None, |tx| {
                    diesel::sql_query(&insert)
                        .bind::<SmallInt, _>(tid)
                        .bind::<Date, _>(day)
                        .bind::<BigInt, _>(from)
                        .bind::<BigInt, _>(to)
                        .bind::<BigInt, _>(job)
                        .execute(tx.conn())?;
                    account(tx, day, job, from, to)
                })?;
                let n: Range = diesel::sql_query(
                    "SELECT NULL::bigint AS lo, NULL::bigint AS hi, count(*) AS n FROM enrolment
                     WHERE tenant_id = $1 AND start_period <= $2 AND (end_period IS NULL OR end_period >= $2) AND person_id BETWEEN $3 AND $4",
                )
                .bind::<SmallInt, _>(tid)
                .bind::<Date, _>(day)
                .bind::<BigInt, _>(from)
                .bind::<BigInt, _>(to)
                .get_result(tx.conn())?;
                jobs::progress(tx, job, done + n.n)?;
                Ok((w, n.n))
            })?;
            written += w;
            done += n;
            progress(done, started.total);
            from = to + 1;
        }
        Ok(())
    })();
    if let Err(e) = outcome {
        tracing::warn!(error = %e, job, "assessment failed");
        let code = e.public_code();
        let _ = db.tenant(tenant, actor.clone(), |tx| jobs::finish(tx, job, Err(code)));
        return Err(e);
    }
    // 3. Close the period.
    db.tenant(tenant, actor, |tx| {
        use crate::schema::assessment_period::dsl as ap;
        let t = totals(tx, day)?;
        let tid = tx.tenant().0;
        diesel::update(ap::assessment_period.filter(ap::tenant_id.eq(tid)).filter(ap::period.eq(day)))
            .set((ap::status.eq("assessed"), ap::rows_assessed.eq(t.rows), ap::assessed_at.eq(Some(Utc::now()))))
            .execute(tx.conn())?;
        let summary = RunSummary {
            period,
            job_id: job,
            rows_written: written,
            rows_total: t.rows,
            employer_fen: t.employer_fen,
            employee_fen: t.employee_fen,
            already_assessed: false,
        };
        jobs::finish(tx, job, Ok(serde_json::to_value(&summary).unwrap_or_default()))?;
        tx.audit("assessment.run", "assessment_period", &period.to_string(), None, serde_json::to_value(&summary).ok(), None)?;
        Ok(summary)
    })
}

/// Re-opens an assessed period (reviewers only, with a reason): its rows are removed so the next
/// run computes them afresh with the rules and bases then in force. Payments stay recorded.
pub fn reopen(tx: &mut TenantTx<'_>, period: Period, reason: &str) -> StoreResult<i64> {
    use crate::schema::assessment::dsl as a;
    use crate::schema::assessment_period::dsl as ap;
    let tid = tx.tenant().0;
    let day = period.first_day();
    let status: Option<String> = ap::assessment_period
        .filter(ap::tenant_id.eq(tid))
        .filter(ap::period.eq(day))
        .select(ap::status)
        .for_update()
        .first(tx.conn())
        .optional()?;
    match status.as_deref() {
        Some("assessed") => {}
        None => return Err(StoreError::NotFound),
        Some(_) => return Err(StoreError::conflict("period", "assessment.not_assessed")),
    }
    let by_type: Vec<ByType> = diesel::sql_query(
        "SELECT insurance_type, count(*) AS rows, sum(employer_fen + employee_fen)::bigint AS fen FROM assessment
         WHERE tenant_id = $1 AND period = $2 GROUP BY insurance_type",
    )
    .bind::<SmallInt, _>(tid)
    .bind::<Date, _>(day)
    .load(tx.conn())?;
    for t in &by_type {
        if t.fen != 0 {
            tx.push_stat("assessed_fen", Some(day), &t.insurance_type, -t.fen);
        }
    }
    let removed = super::income::tracked(tx, day, None, |tx| {
        let removed = diesel::delete(a::assessment.filter(a::tenant_id.eq(tid)).filter(a::period.eq(day))).execute(tx.conn())? as i64;
        diesel::sql_query("DELETE FROM employer_due WHERE tenant_id = $1 AND period = $2")
            .bind::<SmallInt, _>(tid)
            .bind::<Date, _>(day)
            .execute(tx.conn())?;
        Ok(removed)
    })?;
    let user = tx.actor().user_id();
    diesel::update(ap::assessment_period.filter(ap::tenant_id.eq(tid)).filter(ap::period.eq(day)))
        .set((
            ap::status.eq("reopened"),
            ap::reopened_at.eq(Some(Utc::now())),
            ap::reopened_by.eq(user),
            ap::reopen_reason.eq(Some(reason)),
            ap::rows_assessed.eq(0),
        ))
        .execute(tx.conn())?;
    tx.audit(
        "assessment.reopen",
        "assessment_period",
        &period.to_string(),
        Some(serde_json::json!({"rows": removed})),
        None,
        Some(reason),
    )?;
    Ok(removed)
}

/// Back payments (补差): for every assessed period up to `upto`, the difference between what the
/// rules and declared wages in force now give and what was assessed so far, as `back_payment`
/// rows. Running it again writes nothing unless something changed.
pub fn back_payments(tx: &mut TenantTx<'_>, upto: Period) -> StoreResult<i64> {
    use crate::schema::assessment_period::dsl as ap;
    let tid = tx.tenant().0;
    let periods: Vec<NaiveDate> = ap::assessment_period
        .filter(ap::tenant_id.eq(tid))
        .filter(ap::status.eq("assessed"))
        .filter(ap::period.le(upto.first_day()))
        .order(ap::period)
        .select(ap::period)
        .load(tx.conn())?;
    let sql = format!(
        "INSERT INTO assessment (tenant_id, period, enrolment_id, revision, person_id, employer_id, insurance_type, base_fen,
                                 employer_rate_bp, employee_rate_bp, employer_fen, employee_fen, kind, job_id)
         SELECT x.tenant_id, x.period, x.enrolment_id, s.revision + 1, x.person_id, x.employer_id, x.insurance_type,
                x.base_fen - s.base_fen, x.employer_rate_bp, x.employee_rate_bp,
                x.employer_fen - s.employer_fen, x.employee_fen - s.employee_fen, 'back_payment', $5
         FROM ({EXPECTED}) x
         JOIN (SELECT tenant_id, enrolment_id, max(revision) AS revision, sum(base_fen) AS base_fen,
                      sum(employer_fen) AS employer_fen, sum(employee_fen) AS employee_fen
               FROM assessment WHERE tenant_id = $1 AND period = $2 GROUP BY tenant_id, enrolment_id) s
           ON s.tenant_id = x.tenant_id AND s.enrolment_id = x.enrolment_id
         WHERE x.employer_fen <> s.employer_fen OR x.employee_fen <> s.employee_fen"
    );
    let job = jobs::create(tx, "back_payment", serde_json::json!({"upto": upto.to_string()}), periods.len() as i64)?;
    let mut total = 0i64;
    for p in periods {
        total += super::income::tracked(tx, p, None, |tx| {
            diesel::sql_query(&sql)
                .bind::<SmallInt, _>(tid)
                .bind::<Date, _>(p)
                .bind::<BigInt, _>(0i64)
                .bind::<BigInt, _>(i64::MAX)
                .bind::<BigInt, _>(job)
                .execute(tx.conn())?;
            account(tx, p, job, 0, i64::MAX)
        })?;
    }
    jobs::finish(tx, job, Ok(serde_json::json!({"rows": total})))?;
    if total > 0 {
        tx.audit("assessment.back_payment", "assessment_period", &upto.to_string(), None, Some(serde_json::json!({"rows": total})), None)?;
    }
    Ok(total)
}

/// The assessment state of a period.
#[derive(Debug, Clone, Queryable, Serialize, schemars::JsonSchema)]
pub struct PeriodState {
    /// The period, as its first day.
    pub period: NaiveDate,
    /// `running` 核定中 (or interrupted: run it again), `assessed` 已核定, `reopened` 已重新打开.
    pub status: crate::kinds::PeriodStatus,
    /// Rows at the last completed run (0 after re-opening).
    pub rows_assessed: i64,
    /// When it was last assessed.
    pub assessed_at: Option<DateTime<Utc>>,
    /// The reason of the last re-opening.
    pub reopen_reason: Option<String>,
}

pub fn periods(tx: &mut TenantTx<'_>) -> StoreResult<Vec<PeriodState>> {
    use crate::schema::assessment_period::dsl as ap;
    let tid = tx.tenant().0;
    Ok(ap::assessment_period
        .filter(ap::tenant_id.eq(tid))
        .order(ap::period.desc())
        .select((ap::period, ap::status, ap::rows_assessed, ap::assessed_at, ap::reopen_reason))
        .load(tx.conn())?)
}

/// One assessment row of a person: one period, one type, one employer.
#[derive(Debug, Clone, Queryable, Serialize, schemars::JsonSchema)]
pub struct PersonMonth {
    /// The period, as its first day.
    pub period: NaiveDate,
    pub insurance_type: String,
    pub kind: String,
    pub employer_id: i64,
    /// Base, fen (for a back payment: the difference of bases).
    pub base_fen: i64,
    /// Employer amount, fen.
    pub employer_fen: i64,
    /// Employee amount, fen (0 for employer-only types).
    pub employee_fen: i64,
}

/// A person's contribution history, newest first.
pub fn of_person(tx: &mut TenantTx<'_>, person_id: i64, limit: i64) -> StoreResult<Vec<PersonMonth>> {
    use crate::schema::assessment::dsl as a;
    let tid = tx.tenant().0;
    Ok(a::assessment
        .filter(a::tenant_id.eq(tid))
        .filter(a::person_id.eq(person_id))
        .order((a::period.desc(), a::insurance_type, a::id))
        .limit(limit)
        .select((a::period, a::insurance_type, a::kind, a::employer_id, a::base_fen, a::employer_fen, a::employee_fen))
        .load(tx.conn())?)
}
