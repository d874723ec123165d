//! Benefit parameters in a tenant file (`[benefits]` with `[[benefits.years]]`): the pension's
//! transitional coefficient and yearly figures (average wage for the contribution index, payout
//! base C, personal-account interest), and the unemployment and maternity settings with the
//! effective-dated minimum wage of the three area classes (`[[benefits.min_wage]]`). A city
//! without its own section uses the province's. The class of each county of the city
//! (`[min_wage_classes]`) is the tenant's own, never inherited, and part of the same version.
//! Synced like the contribution rules: changed parameters supersede the current version, with an
//! audit row; unchanged ones change nothing.

use std::collections::{BTreeMap, BTreeSet};

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Date, Int4, Nullable, SmallInt, Text};
use jinbao_domain::benefits::medical::{LevelParams, MedicalParams};
use jinbao_domain::{Fen, Period, RateBp};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BenefitsFile {
    pub transitional_coefficient_pct: String,
    pub accounts_began: String,
    pub subsistence_yuan: String,
    pub unemployment_percent: String,
    pub maternity_extra_days: u32,
    pub maternity_fund_pays_extra: bool,
    #[serde(default)]
    pub years: Vec<BenefitYearFile>,
    /// The minimum wage of the area classes 1, 2, 3, each set from a month.
    #[serde(default)]
    pub min_wage: Vec<MinWageFile>,
    /// The settlement parameters of employees' medical bills, each set from a month.
    #[serde(default)]
    pub medical: Vec<MedicalFile>,
}

/// `[[benefits.medical]]`: the parameters of `jinbao_domain::benefits::medical` from a month.
/// Three values a list: hospital levels 1, 2 and 3.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MedicalFile {
    /// YYYY-MM
    pub effective_from: String,
    /// The deductible of a first inpatient stay in the year (起付线).
    pub inpatient_deductible_yuan: Vec<String>,
    pub inpatient_fund_pct: Vec<String>,
    pub inpatient_retiree_fund_pct: Vec<String>,
    /// The deductible of the second and later stays of a year, in percent of the first's.
    pub later_stay_deductible_pct: String,
    /// The basic fund's yearly cap for inpatient care (封顶线).
    pub yearly_cap_yuan: String,
    /// The serious-illness insurance's share above the cap, and its yearly cap.
    pub serious_pct: String,
    pub serious_cap_yuan: String,
    /// The yearly outpatient deductible.
    pub outpatient_deductible_yuan: Vec<String>,
    pub outpatient_fund_pct: Vec<String>,
    pub outpatient_retiree_fund_pct: Vec<String>,
    pub outpatient_cap_yuan: String,
    /// The share of a class B (乙类) line the person pays first.
    pub class_b_self_pct: String,
    /// Whether the personal account may pay class C (丙类) lines.
    pub account_pays_class_c: bool,
    /// The monthly credit to a retiree's personal account.
    pub retiree_account_monthly_yuan: String,
}

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MinWageFile {
    /// YYYY-MM
    pub effective_from: String,
    /// Yuan a month for class 1, 2 and 3.
    pub class_yuan: Vec<String>,
}

/// `[min_wage_classes]` of a tenant file: the class of each county-level division of the tenant
/// (current and former codes: identity numbers keep the code of their issue) and the class of a
/// person found in none of them.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MinWageClassesFile {
    pub default: u8,
    #[serde(default)]
    pub counties: BTreeMap<String, u8>,
}

/// Validated county classes of a tenant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct WageClasses {
    pub default_class: u8,
    pub counties: BTreeMap<String, u8>,
}

impl Default for WageClasses {
    /// A tenant without `[min_wage_classes]`: everyone in class 1.
    fn default() -> Self {
        WageClasses { default_class: 1, counties: BTreeMap::new() }
    }
}

/// Validates `[min_wage_classes]` of the tenant `code` whose offices are `offices`: classes 1–3,
/// six-digit codes of the tenant's own area (same first four digits; the province: any Henan code),
/// and every office but the tenant's own bureau listed (an office's county decides the class of the
/// persons it keeps whose identity number names no county of the city). Errors name the field.
pub fn parse_classes(f: &MinWageClassesFile, code: &str, offices: &[&str]) -> Result<WageClasses, Vec<String>> {
    let mut errors = Vec::new();
    let class_ok = |c: u8| (1..=jinbao_domain::benefits::min_wage::CLASSES).contains(&c);
    if !class_ok(f.default) {
        errors.push(format!("min_wage_classes.default: {} is not a class 1–3", f.default));
    }
    let prefix = if code == "410000" { &code[..2] } else { code.get(..4).unwrap_or(code) };
    for (county, class) in &f.counties {
        if county.len() != 6 || !county.bytes().all(|b| b.is_ascii_digit()) || !county.starts_with(prefix) {
            errors.push(format!("min_wage_classes.counties.{county}: not a six-digit division code of {code}"));
        }
        if !class_ok(*class) {
            errors.push(format!("min_wage_classes.counties.{county}: {class} is not a class 1–3"));
        }
    }
    for office in offices.iter().filter(|o| **o != code && !f.counties.contains_key(**o)) {
        errors.push(format!("min_wage_classes.counties: the office {office} has no class"));
    }
    if errors.is_empty() {
        Ok(WageClasses { default_class: f.default, counties: f.counties.clone() })
    } else {
        Err(errors)
    }
}

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
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
    /// The national urban per-capita disposable income of this year (yuan a year): the one-time
    /// work-injury death subsidy is 20 times the figure of the year before the death.
    #[serde(default)]
    pub urban_disposable_income_yuan: Option<String>,
}

/// Validated benefit parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct BenefitParams {
    pub transitional_coefficient: RateBp,
    pub accounts_began: Period,
    pub subsistence: Fen,
    pub unemployment_percent: RateBp,
    pub maternity_extra_days: u32,
    pub maternity_fund_pays_extra: bool,
    pub years: Vec<BenefitYear>,
    /// Oldest first.
    pub min_wage: Vec<MinWage>,
    /// Oldest first.
    pub medical: Vec<MedicalVersion>,
    /// The tenant's own (set after inheritance by `tenant_config::load_dir`).
    pub classes: WageClasses,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct MinWage {
    pub effective_from: Period,
    pub amounts: [Fen; 3],
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct MedicalVersion {
    pub effective_from: Period,
    pub params: MedicalParams,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct BenefitYear {
    pub year: i32,
    pub avg_wage: Option<Fen>,
    pub payout_base: Option<Fen>,
    pub interest: Option<RateBp>,
    pub disposable_income: Option<Fen>,
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
    let subsistence = yuan("subsistence_yuan", &f.subsistence_yuan, &mut errors);
    let unemployment_percent = pct("unemployment_percent", &f.unemployment_percent, &mut errors);
    if unemployment_percent.0 > 9000 || unemployment_percent.0 == 0 {
        errors.push("benefits.unemployment_percent: must be above 0 and at most 90".into());
    }
    let mut min_wage: Vec<MinWage> = Vec::new();
    for (i, m) in f.min_wage.iter().enumerate() {
        let from = m.effective_from.parse::<Period>().unwrap_or_else(|_| {
            errors.push(format!("benefits.min_wage[{i}].effective_from: `{}` is not a period YYYY-MM", m.effective_from));
            Period::new(2000, 1).expect("valid period")
        });
        if min_wage.iter().any(|w| w.effective_from == from) {
            errors.push(format!("benefits.min_wage[{i}].effective_from: {from} appears twice"));
        }
        if m.class_yuan.len() != 3 {
            errors.push(format!("benefits.min_wage[{i}].class_yuan: three amounts, for classes 1, 2 and 3"));
            continue;
        }
        let amounts: Vec<Fen> = m.class_yuan.iter().map(|v| yuan(&format!("min_wage[{i}].class_yuan"), v, &mut errors)).collect();
        let amounts = [amounts[0], amounts[1], amounts[2]];
        if amounts[2].0 <= 0 || amounts[0] < amounts[1] || amounts[1] < amounts[2] {
            errors.push(format!("benefits.min_wage[{i}].class_yuan: positive, class 1 the highest and class 3 the lowest"));
        }
        min_wage.push(MinWage { effective_from: from, amounts });
    }
    min_wage.sort_by_key(|w| w.effective_from);
    match min_wage.last() {
        None => errors.push("benefits.min_wage: at least one [[benefits.min_wage]] (the amounts of the three classes from a month)".into()),
        Some(latest) if subsistence >= latest.amounts[2] => {
            errors.push("benefits.subsistence_yuan: must be below the latest minimum wage of every class".into())
        }
        Some(_) => {}
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
            disposable_income: y
                .urban_disposable_income_yuan
                .as_deref()
                .map(|v| yuan(&field("urban_disposable_income_yuan"), v, &mut errors)),
        });
    }
    years.sort_by_key(|y| y.year);
    let mut medical: Vec<MedicalVersion> = Vec::new();
    for (i, m) in f.medical.iter().enumerate() {
        let at = |name: &str| format!("medical[{i}].{name}");
        let from = m.effective_from.parse::<Period>().unwrap_or_else(|_| {
            errors.push(format!("benefits.{}: `{}` is not a period YYYY-MM", at("effective_from"), m.effective_from));
            Period::new(2000, 1).expect("valid period")
        });
        if medical.iter().any(|v| v.effective_from == from) {
            errors.push(format!("benefits.{}: {from} appears twice", at("effective_from")));
        }
        let three_yuan = |name: &str, v: &[String], errors: &mut Vec<String>| -> [Fen; 3] {
            if v.len() != 3 {
                errors.push(format!("benefits.{}: three amounts, for hospital levels 1, 2 and 3", at(name)));
                return [Fen(0); 3];
            }
            [0, 1, 2].map(|k| yuan(&at(name), &v[k], errors))
        };
        let inpatient_deductible = three_yuan("inpatient_deductible_yuan", &m.inpatient_deductible_yuan, &mut errors);
        let outpatient_deductible = three_yuan("outpatient_deductible_yuan", &m.outpatient_deductible_yuan, &mut errors);
        let three_pct = |name: &str, v: &[String], errors: &mut Vec<String>| -> [RateBp; 3] {
            if v.len() != 3 {
                errors.push(format!("benefits.{}: three percentages, for hospital levels 1, 2 and 3", at(name)));
                return [RateBp(0); 3];
            }
            [0, 1, 2].map(|k| pct(&at(name), &v[k], errors))
        };
        let params = MedicalParams {
            inpatient: LevelParams {
                deductible: inpatient_deductible,
                fund_percent: three_pct("inpatient_fund_pct", &m.inpatient_fund_pct, &mut errors),
                retiree_fund_percent: three_pct("inpatient_retiree_fund_pct", &m.inpatient_retiree_fund_pct, &mut errors),
            },
            later_stay_percent: pct(&at("later_stay_deductible_pct"), &m.later_stay_deductible_pct, &mut errors),
            yearly_cap: yuan(&at("yearly_cap_yuan"), &m.yearly_cap_yuan, &mut errors),
            serious_percent: pct(&at("serious_pct"), &m.serious_pct, &mut errors),
            serious_cap: yuan(&at("serious_cap_yuan"), &m.serious_cap_yuan, &mut errors),
            outpatient: LevelParams {
                deductible: outpatient_deductible,
                fund_percent: three_pct("outpatient_fund_pct", &m.outpatient_fund_pct, &mut errors),
                retiree_fund_percent: three_pct("outpatient_retiree_fund_pct", &m.outpatient_retiree_fund_pct, &mut errors),
            },
            outpatient_cap: yuan(&at("outpatient_cap_yuan"), &m.outpatient_cap_yuan, &mut errors),
            class_b_self_percent: pct(&at("class_b_self_pct"), &m.class_b_self_pct, &mut errors),
            account_pays_class_c: m.account_pays_class_c,
            retiree_account_monthly: yuan(&at("retiree_account_monthly_yuan"), &m.retiree_account_monthly_yuan, &mut errors),
        };
        if params.yearly_cap.0 <= 0 || params.outpatient_cap.0 <= 0 {
            errors.push(format!("benefits.medical[{i}]: the yearly caps must be above zero"));
        }
        medical.push(MedicalVersion { effective_from: from, params });
    }
    medical.sort_by_key(|v| v.effective_from);
    if errors.is_empty() {
        Ok(BenefitParams {
            transitional_coefficient,
            accounts_began,
            subsistence,
            unemployment_percent,
            maternity_extra_days: f.maternity_extra_days,
            maternity_fund_pays_extra: f.maternity_fund_pays_extra,
            years,
            min_wage,
            medical,
            classes: WageClasses::default(),
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
        "INSERT INTO benefit_rule (tenant_id, version, transitional_coefficient_bp, accounts_began, default_wage_class, subsistence_fen,
                                   unemployment_percent_bp, maternity_extra_days, maternity_fund_pays_extra, content_hash, source)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind::<SmallInt, _>(tenant_id)
    .bind::<Int4, _>(version)
    .bind::<Int4, _>(params.transitional_coefficient.0)
    .bind::<Date, _>(params.accounts_began.first_day())
    .bind::<SmallInt, _>(i16::from(params.classes.default_class))
    .bind::<BigInt, _>(params.subsistence.0)
    .bind::<Int4, _>(params.unemployment_percent.0)
    .bind::<Int4, _>(params.maternity_extra_days as i32)
    .bind::<Bool, _>(params.maternity_fund_pays_extra)
    .bind::<Text, _>(&hash)
    .bind::<Text, _>(source)
    .get_result(conn)?;
    for y in &params.years {
        diesel::sql_query(
            "INSERT INTO benefit_year (tenant_id, rule_id, year, avg_wage_fen, payout_base_fen, interest_bp, disposable_income_fen)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind::<SmallInt, _>(tenant_id)
        .bind::<BigInt, _>(id.id)
        .bind::<Int4, _>(y.year)
        .bind::<Nullable<BigInt>, _>(y.avg_wage.map(|f| f.0))
        .bind::<Nullable<BigInt>, _>(y.payout_base.map(|f| f.0))
        .bind::<Nullable<Int4>, _>(y.interest.map(|r| r.0))
        .bind::<Nullable<BigInt>, _>(y.disposable_income.map(|f| f.0))
        .execute(conn)?;
    }
    for m in &params.medical {
        diesel::sql_query("INSERT INTO benefit_medical (tenant_id, rule_id, effective_from, params) VALUES ($1, $2, $3, $4)")
            .bind::<SmallInt, _>(tenant_id)
            .bind::<BigInt, _>(id.id)
            .bind::<Date, _>(m.effective_from.first_day())
            .bind::<diesel::sql_types::Jsonb, _>(serde_json::to_value(&m.params)?)
            .execute(conn)?;
    }
    for w in &params.min_wage {
        for (class, amount) in (1i16..).zip(w.amounts) {
            diesel::sql_query(
                "INSERT INTO benefit_min_wage (tenant_id, rule_id, effective_from, class, amount_fen) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind::<SmallInt, _>(tenant_id)
            .bind::<BigInt, _>(id.id)
            .bind::<Date, _>(w.effective_from.first_day())
            .bind::<SmallInt, _>(class)
            .bind::<BigInt, _>(amount.0)
            .execute(conn)?;
        }
    }
    for (county, class) in &params.classes.counties {
        diesel::sql_query("INSERT INTO benefit_county_class (tenant_id, rule_id, county_code, class) VALUES ($1, $2, $3, $4)")
            .bind::<SmallInt, _>(tenant_id)
            .bind::<BigInt, _>(id.id)
            .bind::<Text, _>(county)
            .bind::<SmallInt, _>(i16::from(*class))
            .execute(conn)?;
    }
    Ok(Some(("benefit_rule.create".into(), serde_json::json!({"version": version - 1}), serde_json::to_value(params)?)))
}
