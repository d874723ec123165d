//! Global reference data: tenants, role permissions. No row-level security applies here.

use std::collections::HashMap;

use diesel::prelude::*;
use serde::Serialize;

use crate::error::StoreResult;
use crate::pool::Db;

#[derive(Debug, Clone, Queryable, Serialize, schemars::JsonSchema)]
pub struct TenantInfo {
    pub id: i16,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub kind: crate::kinds::TenantKind,
    pub status: String,
    pub wave: i16,
}

pub fn tenants(db: &Db) -> StoreResult<Vec<TenantInfo>> {
    use crate::schema::tenant::dsl as t;
    db.global(|c| {
        Ok(t::tenant.order(t::sort_order).select((t::id, t::code, t::name_zh, t::name_en, t::kind, t::status, t::wave)).load(c)?)
    })
}

/// role code → permission codes.
pub fn role_permissions(db: &Db) -> StoreResult<HashMap<String, Vec<String>>> {
    use crate::schema::role_permission::dsl as rp;
    db.global(|c| {
        let rows: Vec<(String, String)> = rp::role_permission.select((rp::role_code, rp::permission_code)).load(c)?;
        let mut map: HashMap<String, Vec<String>> = HashMap::new();
        for (r, p) in rows {
            map.entry(r).or_default().push(p);
        }
        Ok(map)
    })
}
