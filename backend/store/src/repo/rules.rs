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

pub fn for_period(tx: &mut TenantTx<'_>, period: Period) -> StoreResult<Option<RuleVersion>> {
    use diesel::sql_types::{Bool, Date, Int2, Int4, Int8, Jsonb, Text};
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = Int8)]
        id: i64,
        #[diesel(sql_type = Date)]
        effective_from: NaiveDate,
        #[diesel(sql_type = Int4)]
        version: i32,
        #[diesel(sql_type = Int8)]
        avg_wage_fen: i64,
        #[diesel(sql_type = Int4)]
        floor_pct: i32,
        #[diesel(sql_type = Int4)]
        ceiling_pct: i32,
        #[diesel(sql_type = Int2)]
        adjust_month: i16,
        #[diesel(sql_type = Bool)]
        base_whole_yuan: bool,
        #[diesel(sql_type = Text)]
        base_rounding: String,
        #[diesel(sql_type = Text)]
        amount_rounding: String,
        #[diesel(sql_type = Bool)]
        maternity_merged: bool,
        #[diesel(sql_type = Jsonb)]
        rates: serde_json::Value,
    }
    let tid = tx.tenant().0;
    // One round trip: the rule in force and its rates.
    let row: Option<Row> = diesel::sql_query(
        "SELECT r.id, r.effective_from, r.version, r.avg_wage_fen, r.floor_pct, r.ceiling_pct, r.adjust_month, r.base_whole_yuan,
                r.base_rounding, r.amount_rounding, r.maternity_merged,
                (SELECT coalesce(jsonb_agg(jsonb_build_array(t.insurance_type, t.party, t.risk_class, t.rate_bp)), '[]')
                 FROM tenant_rate t WHERE t.tenant_id = r.tenant_id AND t.rule_id = r.id) AS rates
         FROM tenant_rule r
         WHERE r.tenant_id = $1 AND r.superseded_at IS NULL AND r.effective_from <= $2
         ORDER BY r.effective_from DESC LIMIT 1",
    )
    .bind::<diesel::sql_types::SmallInt, _>(tid)
    .bind::<Date, _>(period.first_day())
    .get_result(tx.conn())
    .optional()?;
    let Some(r) = row else { return Ok(None) };
    let rates: Vec<(String, String, i16, i32)> = serde_json::from_value(r.rates.clone()).unwrap_or_default();
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
