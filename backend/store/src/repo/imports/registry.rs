//! Persons (keyed by identity number) and employers (by credit code): duplicates in the file,
//! conflicts with the registry (same key, another name), rows already present (same key and name).

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Int4, Nullable, SmallInt};

use super::{Kind, MASK_F1};
use crate::error::StoreResult;
use crate::tenant_tx::TenantTx;

pub(super) fn validate(tx: &mut TenantTx<'_>, kind: Kind) -> StoreResult<()> {
    let (key, registry, shown) = if kind == Kind::Persons { ("id_number", "person", MASK_F1) } else { ("credit_code", "employer", "s.f1") };
    diesel::sql_query(format!(
        "UPDATE pg_temp.import_rows s SET error_column = '{key}', error_code = 'import.duplicate_in_file', raw_value = {shown}
         FROM (SELECT f1, min(row_no) AS first FROM pg_temp.import_rows
               WHERE error_code IS NULL GROUP BY f1 HAVING count(*) > 1) d
         WHERE s.f1 = d.f1 AND s.row_no > d.first AND s.error_code IS NULL"
    ))
    .execute(tx.conn())?;
    diesel::sql_query(format!(
        "UPDATE pg_temp.import_rows s
         SET error_column = CASE WHEN r.name = s.f2 THEN NULL ELSE 'name' END,
             error_code = CASE WHEN r.name = s.f2 THEN NULL ELSE 'import.conflict' END,
             raw_value = CASE WHEN r.name = s.f2 THEN NULL ELSE s.f2 END,
             outcome = CASE WHEN r.name = s.f2 THEN 'present' ELSE NULL END
         FROM {registry} r
         WHERE s.error_code IS NULL AND r.tenant_id = $1 AND r.{key} = s.f1"
    ))
    .bind::<SmallInt, _>(tx.tenant().0)
    .execute(tx.conn())?;
    Ok(())
}

/// Registers the valid new rows with their statistics. An imported person's "registered" entry
/// on the timeline is derived from `import_job_id` rather than stored (a million events doubled
/// the time of a city's first load). The statistics' `ON CONFLICT` (their key comes from a
/// sequence, so it never fires) keeps the insert off `COPY` on Citus, as in `records::apply`.
pub(super) fn apply(tx: &mut TenantTx<'_>, kind: Kind, job_id: i64) -> StoreResult<i64> {
    let sql = match kind {
        Kind::Persons => {
            "WITH ins AS (
                 INSERT INTO person (tenant_id, id_number, name, gender, birth_date, hukou_kind, phone, address, office_id, created_by, import_job_id)
                 SELECT $1, f1, f2, f3, f4::date, f5, f6, f7, $3, $4, $2
                 FROM pg_temp.import_rows WHERE error_code IS NULL AND outcome IS NULL
                 ON CONFLICT (tenant_id, id_number) DO NOTHING
                 RETURNING 1),
             stats AS (INSERT INTO stat_delta (tenant_id, metric, value) SELECT $1, 'persons', count(*) FROM ins HAVING count(*) > 0 ON CONFLICT DO NOTHING)
             SELECT count(*) AS n FROM ins"
        }
        _ => {
            "WITH ins AS (
                 INSERT INTO employer (tenant_id, credit_code, name, industry_code, risk_class, registered_on, address, contact_name,
                                       contact_phone, office_id, created_by, import_job_id)
                 SELECT $1, f1, f2, f3, f4::smallint, f5::date, f6, f7, f8, $3, $4, $2
                 FROM pg_temp.import_rows WHERE error_code IS NULL AND outcome IS NULL
                 ON CONFLICT (tenant_id, credit_code) DO NOTHING
                 RETURNING 1),
             stats AS (INSERT INTO stat_delta (tenant_id, metric, value) SELECT $1, 'employers', count(*) FROM ins HAVING count(*) > 0 ON CONFLICT DO NOTHING)
             SELECT count(*) AS n FROM ins"
        }
    };
    let n: crate::repo::CountRow = diesel::sql_query(sql)
        .bind::<SmallInt, _>(tx.tenant().0)
        .bind::<BigInt, _>(job_id)
        .bind::<Int4, _>(tx.actor().office_id().unwrap_or(1))
        .bind::<Nullable<BigInt>, _>(tx.actor().user_id())
        .get_result(tx.conn())?;
    Ok(n.n)
}
