//! Cross-city duplicate check (pension): the one cross-tenant job of the registry. It reads each
//! city's actively pension-insured identity numbers in that city's own tenant transaction, compares
//! them in memory, and writes each city's findings into that city (its person, the other cities'
//! ids). Nothing of another city's person is ever written anywhere.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;

use crate::error::StoreResult;
use crate::pool::Db;
use crate::repo::global;
use crate::tenant_tx::{Actor, TenantId, TenantTx};

fn insured_for_pension(tx: &mut TenantTx<'_>) -> StoreResult<Vec<(String, i64)>> {
    use crate::schema::enrolment::dsl as e;
    use crate::schema::person::dsl as p;
    let tid = tx.tenant().0;
    Ok(p::person
        .inner_join(e::enrolment.on(e::tenant_id.eq(p::tenant_id).and(e::person_id.eq(p::id))))
        .filter(p::tenant_id.eq(tid))
        .filter(e::insurance_type.eq("pension"))
        .filter(e::status.eq("active"))
        .select((p::id_number, p::id))
        .distinct()
        .load::<(String, i64)>(tx.conn())?
        .into_iter()
        .collect())
}

/// Runs the check over every tenant; returns the number of persons found in more than one city.
pub fn run(db: &Db, label: &str) -> StoreResult<usize> {
    use crate::schema::duplicate_finding::dsl as d;
    let tenants = global::tenants(db)?;
    let mut seen: HashMap<String, Vec<(i16, i64)>> = HashMap::new();
    for t in &tenants {
        let rows = db.tenant(TenantId(t.id), Actor::system(label), insured_for_pension)?;
        for (id_number, person) in rows {
            seen.entry(id_number).or_default().push((t.id, person));
        }
    }
    let mut per_tenant: HashMap<i16, Vec<(i64, Vec<i16>)>> = HashMap::new();
    let mut found = 0;
    for holders in seen.into_values().filter(|h| h.iter().map(|x| x.0).collect::<std::collections::HashSet<_>>().len() > 1) {
        for (tenant, person) in &holders {
            let others: Vec<i16> = holders.iter().map(|x| x.0).filter(|o| o != tenant).collect();
            per_tenant.entry(*tenant).or_default().push((*person, others));
            found += 1;
        }
    }
    for t in &tenants {
        let mine = per_tenant.remove(&t.id).unwrap_or_default();
        db.tenant(TenantId(t.id), Actor::system(label), |tx| {
            let tid = tx.tenant().0;
            diesel::delete(d::duplicate_finding.filter(d::tenant_id.eq(tid))).execute(tx.conn())?;
            if !mine.is_empty() {
                let rows: Vec<_> = mine.iter().map(|(p, o)| (d::tenant_id.eq(tid), d::person_id.eq(p), d::other_tenants.eq(o))).collect();
                diesel::insert_into(d::duplicate_finding).values(rows).execute(tx.conn())?;
            }
            tx.audit("duplicates.check", "tenant", &tid.to_string(), None, Some(serde_json::json!({"findings": mine.len()})), None)?;
            Ok(())
        })?;
    }
    Ok(found)
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Finding {
    pub person_id: i64,
    pub name: String,
    pub id_number: String,
    pub other_tenants: Vec<i16>,
    pub found_at: DateTime<Utc>,
}

type FindingRow = (i64, String, String, Vec<i16>, DateTime<Utc>);

/// The city's own persons that are insured elsewhere too.
pub fn of_tenant(tx: &mut TenantTx<'_>) -> StoreResult<Vec<Finding>> {
    use crate::schema::duplicate_finding::dsl as d;
    use crate::schema::person::dsl as p;
    let tid = tx.tenant().0;
    let rows: Vec<FindingRow> = d::duplicate_finding
        .inner_join(p::person.on(p::tenant_id.eq(d::tenant_id).and(p::id.eq(d::person_id))))
        .filter(d::tenant_id.eq(tid))
        .order(p::name)
        .select((d::person_id, p::name, p::id_number, d::other_tenants, d::found_at))
        .load(tx.conn())?;
    Ok(rows
        .into_iter()
        .map(|(person_id, name, id_number, other_tenants, found_at)| Finding { person_id, name, id_number, other_tenants, found_at })
        .collect())
}

/// Province view: (tenant, other tenant) → number of persons, read through the analytics role.
pub fn pairs(c: &mut crate::AnalyticsConn<'_>) -> StoreResult<Vec<(i16, i16, i64)>> {
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::SmallInt)]
        tenant_id: i16,
        #[diesel(sql_type = diesel::sql_types::SmallInt)]
        other: i16,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let rows: Vec<Row> = diesel::sql_query(
        "SELECT tenant_id, o AS other, count(*) AS n FROM duplicate_finding, unnest(other_tenants) o GROUP BY tenant_id, o ORDER BY 1, 2",
    )
    .load(c.conn())?;
    Ok(rows.into_iter().map(|r| (r.tenant_id, r.other, r.n)).collect())
}
