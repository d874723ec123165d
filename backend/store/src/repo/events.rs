//! The life timeline of a person.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use serde::Serialize;

use crate::error::StoreResult;
use crate::tenant_tx::TenantTx;

/// Adds an entry to the person's timeline (written with the transaction's other records).
pub fn record(tx: &mut TenantTx<'_>, person_id: i64, occurred_on: NaiveDate, kind: &str, detail: serde_json::Value) -> StoreResult<()> {
    tx.push_event(crate::tenant_tx::PendingEvent { person_id, occurred_on, kind: kind.into(), detail });
    Ok(())
}

#[derive(Debug, Clone, Queryable, Serialize, schemars::JsonSchema)]
#[schemars(rename = "TimelineEvent")]
pub struct Event {
    /// Event id; negative for derived entries (`assessed`, `paid`, `contribution_history`, `transferred_years`;
    /// numbered per response, not stable).
    pub id: i64,
    /// The day the event took effect (e.g. the start date of an employment).
    pub occurred_on: NaiveDate,
    /// `registered` 登记, `updated` 信息变更, `employed` 入职, `left_employment` 离职, `enrolled` 参保, `resumed` 续保 (every type of
    /// the enrolment had been stopped at this employer before), `stopped` 停保, `base_declared` 申报缴费基数; derived monthly
    /// entries (not stored events): `assessed` 核定缴费 (one per period and employer with the person's assessment rows,
    /// dated the first day of the period) and `paid` 缴费到账 (when the employer's payments for that period cover
    /// everything assessed for the employer in it, dated the last payment's `paid_on`). `contribution_history` 缴费历史
    /// (derived from imported contribution history: one per year and type, dated 31 December); `benefit_proposed`
    /// 提交待遇申请, `benefit_approved` 待遇审核通过, `benefit_rejected` 待遇申请被驳回, `benefit_stopped` 待遇停发 (dated the last month
    /// paid). `transfer_requested` 受理转入 (receiving city, when opened), `transfer_in` 转入办结 (receiving city, when
    /// completed), `transfer_out` 转出办结 (sending city, when completed); `transferred_years` 转入的缴费年度 (derived from the
    /// months transferred in: one per year, dated 31 December, naming the sending city — the only facts of another city
    /// a city sees). `unemployment_registered` 失业登记 (dated the registration date), `training` 职业培训 (dated the start
    /// date), `service_contact` 就业服务, `re_employed` 再就业 (a recorded hire ended the registration; dated the start of the
    /// job, or the registration date if that is later), `unemployment_closed` 失业登记注销 (closed by a clerk). `born` 出生 is
    /// the first entry of the timeline on the person page `/persons/{id}` (derived from the birth date, not stored);
    /// this endpoint does not return it (the birth date is the person's `birth_date`).
    #[schemars(extend("enum" = ["registered", "updated", "employed", "left_employment", "enrolled", "resumed", "stopped", "base_declared", "assessed", "paid", "contribution_history", "benefit_proposed", "benefit_approved", "benefit_rejected", "benefit_stopped", "transfer_requested", "transfer_in", "transfer_out", "transferred_years", "unemployment_registered", "training", "service_contact", "re_employed", "unemployment_closed", "born"]))]
    pub kind: String,
    /// Depends on `kind`: registered `{name}`; updated `{reason}`; employed `{employer_id, employer_name}`;
    /// left_employment `{employer_id, reason}` (reason may be null); enrolled and resumed `{employer_id, employer_name,
    /// types, period}`; stopped `{employer_id, types, period, reason}`; base_declared `{employer_id, declared_wage,
    /// period}` (declared_wage in yuan, period `YYYY-MM`); assessed `{period, employer_id, employer_fen, employee_fen,
    /// types}` (the person's totals in fen); paid `{period, employer_id}`. contribution_history `{year, type, months,
    /// employer_fen, employee_fen}`; benefit_proposed `{claim_id, kind, amount_fen, monthly}`; benefit_approved and
    /// benefit_rejected `{claim_id, kind, amount_fen, monthly, start_period}` (`YYYY-MM`); benefit_stopped `{claim_id,
    /// kind, reason}`. transfer_requested `{uid, from_tenant}`; transfer_in `{uid, from_tenant, months, total_fen}`;
    /// transfer_out `{uid, to_tenant}` (tenant ids); transferred_years `{year, type, months, employee_fen, from_city,
    /// from_city_zh, from_city_en}`. unemployment_registered `{registration_id, reason}`; training `{course, provider,
    /// end_date, certificate_no, subsidy_fen}`; service_contact `{kind, reason}` (`reason` holds the note, may be
    /// null); re_employed `{registration_id, reason}` (reason `re_employed`); unemployment_closed `{registration_id,
    /// reason}`.
    pub detail: serde_json::Value,
    /// When it was recorded (for derived entries: the time of the response). RFC 3339, UTC.
    pub created_at: DateTime<Utc>,
}

/// Newest first.
pub fn timeline(tx: &mut TenantTx<'_>, person_id: i64, limit: i64) -> StoreResult<Vec<Event>> {
    use crate::schema::person_event::dsl as e;
    let tid = tx.tenant().0;
    Ok(e::person_event
        .filter(e::tenant_id.eq(tid))
        .filter(e::person_id.eq(person_id))
        .order((e::occurred_on.desc(), e::id.desc()))
        .limit(limit)
        .select((e::id, e::occurred_on, e::kind, e::detail, e::created_at))
        .load(tx.conn())?)
}

/// Monthly contribution entries derived from the assessment and collection tables (not stored as
/// events): one `assessed` entry per period with the person's total, and a `paid` entry when the
/// employer's payments for that period cover everything assessed.
pub fn contribution_entries(tx: &mut TenantTx<'_>, person_id: i64, limit: i64) -> StoreResult<Vec<Event>> {
    use diesel::sql_types::{BigInt, SmallInt};
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Date)]
        occurred_on: NaiveDate,
        #[diesel(sql_type = diesel::sql_types::Text)]
        kind: String,
        #[diesel(sql_type = diesel::sql_types::Jsonb)]
        detail: serde_json::Value,
    }
    let tid = tx.tenant().0;
    let rows: Vec<Row> = diesel::sql_query(
        "WITH mine AS (
             SELECT period, employer_id, sum(employer_fen)::bigint AS employer_fen, sum(employee_fen)::bigint AS employee_fen,
                    array_agg(DISTINCT insurance_type) AS types
             FROM assessment WHERE tenant_id = $1 AND person_id = $2 GROUP BY period, employer_id
         ), settled AS (
             SELECT m.period, m.employer_id, max(c.paid_on) AS paid_on
             FROM mine m
             JOIN collection c ON c.tenant_id = $1 AND c.employer_id = m.employer_id AND c.period = m.period
             GROUP BY m.period, m.employer_id
             HAVING sum(c.amount_fen) >= (SELECT sum(a.employer_fen + a.employee_fen) FROM assessment a
                                          WHERE a.tenant_id = $1 AND a.employer_id = m.employer_id AND a.period = m.period)
         )
         SELECT period AS occurred_on, 'assessed' AS kind,
                jsonb_build_object('period', to_char(period, 'YYYY-MM'), 'employer_id', employer_id,
                                   'employer_fen', employer_fen, 'employee_fen', employee_fen, 'types', types) AS detail
         FROM mine
         UNION ALL
         SELECT paid_on, 'paid', jsonb_build_object('period', to_char(period, 'YYYY-MM'), 'employer_id', employer_id) FROM settled
         ORDER BY 1 DESC LIMIT $3",
    )
    .bind::<SmallInt, _>(tid)
    .bind::<BigInt, _>(person_id)
    .bind::<BigInt, _>(limit)
    .load(tx.conn())?;
    Ok(rows
        .into_iter()
        .enumerate()
        .map(|(i, r)| Event {
            id: -(i as i64) - 1,
            occurred_on: r.occurred_on,
            kind: r.kind,
            detail: r.detail,
            created_at: chrono::Utc::now(),
        })
        .collect())
}

/// Entries derived from records rather than stored: the registration of a person brought in by
/// an import (from the person row), one entry per year and insurance type of imported
/// contribution history, and one per year of months transferred in from another city (naming
/// that city — the only facts of another city a city sees, as the transfer carried them).
pub fn legacy_entries(tx: &mut TenantTx<'_>, person_id: i64, limit: i64) -> StoreResult<Vec<Event>> {
    use diesel::sql_types::{BigInt, SmallInt};
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Date)]
        occurred_on: NaiveDate,
        #[diesel(sql_type = diesel::sql_types::Text)]
        kind: String,
        #[diesel(sql_type = diesel::sql_types::Jsonb)]
        detail: serde_json::Value,
    }
    let rows: Vec<Row> = diesel::sql_query(
        "SELECT created_at::date AS occurred_on, 'registered' AS kind,
                jsonb_build_object('name', name, 'source', 'import', 'job_id', import_job_id) AS detail
         FROM person WHERE tenant_id = $1 AND id = $2 AND import_job_id IS NOT NULL
         UNION ALL
         SELECT make_date(extract(year FROM period)::int, 12, 31), 'contribution_history',
                jsonb_build_object('year', extract(year FROM period)::int, 'type', insurance_type, 'months', count(DISTINCT period),
                                   'employer_fen', sum(employer_fen), 'employee_fen', sum(employee_fen))
         FROM contribution_history WHERE tenant_id = $1 AND person_id = $2
         GROUP BY extract(year FROM period), insurance_type
         UNION ALL
         SELECT make_date(extract(year FROM tp.period)::int, 12, 31), 'transferred_years',
                jsonb_build_object('year', extract(year FROM tp.period)::int, 'type', 'pension', 'months', count(*),
                                   'employee_fen', sum(tp.employee_fen), 'from_city', t.code, 'from_city_zh', t.name_zh,
                                   'from_city_en', t.name_en)
         FROM transferred_period tp JOIN tenant t ON t.id = tp.from_tenant_id
         WHERE tp.tenant_id = $1 AND tp.person_id = $2
         GROUP BY extract(year FROM tp.period), t.code, t.name_zh, t.name_en
         ORDER BY 1 DESC LIMIT $3",
    )
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<BigInt, _>(person_id)
    .bind::<BigInt, _>(limit)
    .load(tx.conn())?;
    Ok(rows
        .into_iter()
        .enumerate()
        .map(|(i, r)| Event {
            id: -1_000_000 - i as i64,
            occurred_on: r.occurred_on,
            kind: r.kind,
            detail: r.detail,
            created_at: Utc::now(),
        })
        .collect())
}

/// The whole timeline, newest first: stored events, derived monthly contributions and legacy
/// entries.
pub fn full_timeline(tx: &mut TenantTx<'_>, person_id: i64, limit: i64) -> StoreResult<Vec<Event>> {
    let mut all = timeline(tx, person_id, limit)?;
    all.extend(contribution_entries(tx, person_id, limit)?);
    all.extend(legacy_entries(tx, person_id, limit)?);
    all.sort_by(|a, b| b.occurred_on.cmp(&a.occurred_on).then(b.id.cmp(&a.id)));
    all.truncate(limit as usize);
    Ok(all)
}
