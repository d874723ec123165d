//! The tenant's contribution rules in effect for a period (latest `effective_from` not after the
//! period, current version).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use diesel::prelude::*;
use jinbao_domain::{Fen, InsuranceType, Party, Period, RateBp, Rounding, TenantRules};

use crate::error::{StoreError, StoreResult};
use crate::tenant_tx::TenantTx;

/// A rule set as stored, with its id (rates and assessments refer to it).
#[derive(Debug, Clone)]
pub struct RuleVersion {
    pub id: i64,
    pub version: i32,
    pub rules: TenantRules,
}

#[derive(Queryable)]
struct RuleRow {
    id: i64,
    effective_from: NaiveDate,
    version: i32,
    avg_wage_fen: i64,
    floor_pct: i32,
    ceiling_pct: i32,
    adjust_month: i16,
    base_whole_yuan: bool,
    base_rounding: String,
    amount_rounding: String,
    maternity_merged: bool,
}

pub fn for_period(tx: &mut TenantTx<'_>, period: Period) -> StoreResult<Option<RuleVersion>> {
    use crate::schema::tenant_rate::dsl as ra;
    use crate::schema::tenant_rule::dsl as ru;
    let tid = tx.tenant().0;
    let row: Option<RuleRow> = ru::tenant_rule
        .filter(ru::tenant_id.eq(tid))
        .filter(ru::superseded_at.is_null())
        .filter(ru::effective_from.le(period.first_day()))
        .order(ru::effective_from.desc())
        .select((
            ru::id,
            ru::effective_from,
            ru::version,
            ru::avg_wage_fen,
            ru::floor_pct,
            ru::ceiling_pct,
            ru::adjust_month,
            ru::base_whole_yuan,
            ru::base_rounding,
            ru::amount_rounding,
            ru::maternity_merged,
        ))
        .first(tx.conn())
        .optional()?;
    let Some(r) = row else { return Ok(None) };
    let rates: Vec<(String, String, i16, i32)> = ra::tenant_rate
        .filter(ra::tenant_id.eq(tid))
        .filter(ra::rule_id.eq(r.id))
        .select((ra::insurance_type, ra::party, ra::risk_class, ra::rate_bp))
        .load(tx.conn())?;
    let mut map = BTreeMap::new();
    let mut injury = [RateBp(0); 8];
    for (t, p, class, bp) in rates {
        let (Ok(t), Ok(p)) = (t.parse::<InsuranceType>(), p.parse::<Party>()) else {
            continue;
        };
        if t == InsuranceType::WorkInjury {
            if (1..=8).contains(&class) {
                injury[class as usize - 1] = RateBp(bp);
            }
        } else {
            map.insert((t, p), RateBp(bp));
        }
    }
    let bad = |what: &str| StoreError::Other(anyhow::anyhow!("stored rule {} has an invalid {what}", r.id));
    Ok(Some(RuleVersion {
        id: r.id,
        version: r.version,
        rules: TenantRules {
            effective_from: Period::of_date(r.effective_from),
            avg_wage: Fen(r.avg_wage_fen),
            floor_pct: r.floor_pct as u32,
            ceiling_pct: r.ceiling_pct as u32,
            adjust_month: r.adjust_month as u32,
            base_whole_yuan: r.base_whole_yuan,
            base_rounding: Rounding::parse(&r.base_rounding).ok_or_else(|| bad("base rounding"))?,
            amount_rounding: Rounding::parse(&r.amount_rounding).ok_or_else(|| bad("amount rounding"))?,
            maternity_merged: r.maternity_merged,
            rates: map,
            injury_class_rates: injury,
        },
    }))
}
