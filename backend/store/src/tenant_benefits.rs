//! Benefit parameters in a tenant file (`[benefits]` with `[[benefits.years]]`): the pension's
//! transitional coefficient and yearly figures (average wage for the contribution index, payout
//! base C, personal-account interest), and the unemployment and maternity settings. A city
//! without its own section uses the province's. Synced like the contribution rules: a changed
//! section supersedes the current version, with an audit row; an unchanged one changes nothing.

use std::collections::BTreeSet;

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Date, Int4, Nullable, SmallInt, Text};
use jinbao_domain::{Fen, Period, RateBp};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BenefitsFile {
    pub transitional_coefficient_pct: String,
    pub accounts_began: String,
    pub min_wage_yuan: String,
    pub subsistence_yuan: String,
    pub unemployment_percent: String,
    pub maternity_extra_days: u32,
    pub maternity_fund_pays_extra: bool,
    #[serde(default)]
    pub years: Vec<BenefitYearFile>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BenefitYearFile {
    pub year: i32,
    /// The reference average monthly wage of the base year beginning in this year's adjustment
    /// month — the wage that set that base year's 60–300 % bounds — for months before the
    /// platform's first contribution rule (later months use the rule's own wage).
    #[serde(default)]
    pub reference_wage_yuan: Option<String>,
    #[serde(default)]
    pub payout_base_yuan: Option<String>,
    #[serde(default)]
    pub interest_pct: Option<String>,
}

/// Validated benefit parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BenefitParams {
    pub transitional_coefficient: RateBp,
    pub accounts_began: Period,
    pub min_wage: Fen,
    pub subsistence: Fen,
    pub unemployment_percent: RateBp,
    pub maternity_extra_days: u32,
    pub maternity_fund_pays_extra: bool,
    pub years: Vec<BenefitYear>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BenefitYear {
    pub year: i32,
    pub avg_wage: Option<Fen>,
    pub payout_base: Option<Fen>,
    pub interest: Option<RateBp>,
}

impl BenefitParams {
    pub fn content_hash(&self) -> String {
        hex::encode(Sha256::digest(serde_json::to_string(self).unwrap_or_default().as_bytes()))
    }
}

/// Validates a `[benefits]` section; errors name the field.
pub fn parse(f: &BenefitsFile) -> Result<BenefitParams, Vec<String>> {
    let mut errors = Vec::new();
    let pct = |field: &str, v: &str, errors: &mut Vec<String>| {
        RateBp::parse_percent(v).unwrap_or_else(|| {
            errors.push(format!("benefits.{field}: `{v}` is not a percentage with at most two decimals"));
            RateBp(0)
        })
    };
    let yuan = |field: &str, v: &str, errors: &mut Vec<String>| {
        Fen::parse_yuan("benefits", v).unwrap_or_else(|_| {
            errors.push(format!("benefits.{field}: `{v}` is not an amount in yuan"));
            Fen(0)
        })
    };
    let transitional_coefficient = pct("transitional_coefficient_pct", &f.transitional_coefficient_pct, &mut errors);
    let accounts_began = f.accounts_began.parse::<Period>().unwrap_or_else(|_| {
        errors.push(format!("benefits.accounts_began: `{}` is not a period YYYY-MM", f.accounts_began));
        Period::new(1995, 1).expect("valid period")
    });
    let min_wage = yuan("min_wage_yuan", &f.min_wage_yuan, &mut errors);
    let subsistence = yuan("subsistence_yuan", &f.subsistence_yuan, &mut errors);
    let unemployment_percent = pct("unemployment_percent", &f.unemployment_percent, &mut errors);
    if unemployment_percent.0 > 9000 || unemployment_percent.0 == 0 {
        errors.push("benefits.unemployment_percent: must be above 0 and at most 90".into());
    }
    if subsistence >= min_wage {
        errors.push("benefits.subsistence_yuan: must be below min_wage_yuan".into());
    }
    let mut seen = BTreeSet::new();
    let mut years = Vec::new();
    for (i, y) in f.years.iter().enumerate() {
        if !(1990..=2100).contains(&y.year) || !seen.insert(y.year) {
            errors.push(format!("benefits.years[{i}].year: {} is outside 1990–2100 or appears twice", y.year));
        }
        let field = |name: &str| format!("years[{i}].{name}");
        years.push(BenefitYear {
            year: y.year,
            avg_wage: y.reference_wage_yuan.as_deref().map(|v| yuan(&field("reference_wage_yuan"), v, &mut errors)),
            payout_base: y.payout_base_yuan.as_deref().map(|v| yuan(&field("payout_base_yuan"), v, &mut errors)),
            interest: y.interest_pct.as_deref().map(|v| pct(&field("interest_pct"), v, &mut errors)),
        });
    }
    years.sort_by_key(|y| y.year);
    if errors.is_empty() {
        Ok(BenefitParams {
            transitional_coefficient,
            accounts_began,
            min_wage,
            subsistence,
            unemployment_percent,
            maternity_extra_days: f.maternity_extra_days,
            maternity_fund_pays_extra: f.maternity_fund_pays_extra,
            years,
        })
    } else {
        Err(errors)
    }
}

/// Writes the tenant's benefit parameters when they differ from the current version. The
/// connection is the owner's, with the tenant set. Returns the audit entry when something changed.
pub(crate) fn sync(
    conn: &mut PgConnection,
    tenant_id: i16,
    params: &BenefitParams,
    source: &str,
) -> anyhow::Result<Option<(String, serde_json::Value, serde_json::Value)>> {
    #[derive(QueryableByName)]
    struct Current {
        #[diesel(sql_type = BigInt)]
        id: i64,
        #[diesel(sql_type = Int4)]
        version: i32,
        #[diesel(sql_type = Text)]
        content_hash: String,
    }
    let hash = params.content_hash();
    let current: Option<Current> =
        diesel::sql_query("SELECT id, version, content_hash FROM benefit_rule WHERE tenant_id = $1 AND superseded_at IS NULL")
            .bind::<SmallInt, _>(tenant_id)
            .get_result(conn)
            .optional()?;
    if current.as_ref().is_some_and(|c| c.content_hash == hash) {
        return Ok(None);
    }
    if let Some(c) = &current {
        diesel::sql_query("UPDATE benefit_rule SET superseded_at = now() WHERE tenant_id = $1 AND id = $2")
            .bind::<SmallInt, _>(tenant_id)
            .bind::<BigInt, _>(c.id)
            .execute(conn)?;
    }
    let version = current.as_ref().map_or(1, |c| c.version + 1);
    let id: crate::repo::IdRow = diesel::sql_query(
        "INSERT INTO benefit_rule (tenant_id, version, transitional_coefficient_bp, accounts_began, min_wage_fen, subsistence_fen,
                                   unemployment_percent_bp, maternity_extra_days, maternity_fund_pays_extra, content_hash, source)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind::<SmallInt, _>(tenant_id)
    .bind::<Int4, _>(version)
    .bind::<Int4, _>(params.transitional_coefficient.0)
    .bind::<Date, _>(params.accounts_began.first_day())
    .bind::<BigInt, _>(params.min_wage.0)
    .bind::<BigInt, _>(params.subsistence.0)
    .bind::<Int4, _>(params.unemployment_percent.0)
    .bind::<Int4, _>(params.maternity_extra_days as i32)
    .bind::<Bool, _>(params.maternity_fund_pays_extra)
    .bind::<Text, _>(&hash)
    .bind::<Text, _>(source)
    .get_result(conn)?;
    for y in &params.years {
        diesel::sql_query(
            "INSERT INTO benefit_year (tenant_id, rule_id, year, avg_wage_fen, payout_base_fen, interest_bp) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind::<SmallInt, _>(tenant_id)
        .bind::<BigInt, _>(id.id)
        .bind::<Int4, _>(y.year)
        .bind::<Nullable<BigInt>, _>(y.avg_wage.map(|f| f.0))
        .bind::<Nullable<BigInt>, _>(y.payout_base.map(|f| f.0))
        .bind::<Nullable<Int4>, _>(y.interest.map(|r| r.0))
        .execute(conn)?;
    }
    Ok(Some(("benefit_rule.create".into(), serde_json::json!({"version": version - 1}), serde_json::to_value(params)?)))
}
