//! Basic pension (REFERENCE §6): retirement month by category (with the 2025 raise), minimum
//! years, yearly contribution indices, the personal account with yearly interest, the payout base
//! C of the retirement year, and the three parts. Paid monthly from the month after retirement.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use jinbao_domain::benefits::pension::{self, IndexSum, PensionInput};
use jinbao_domain::benefits::retirement::{self, RetirementCategory};
use jinbao_domain::{Fen, Period, RateBp};
use jinbao_store::repo::benefits::{self, NewClaim};
use jinbao_store::repo::persons;
use jinbao_store::{StoreError, TenantTx};
use serde::Deserialize;
use serde_json::json;

use super::ChannelInput;
use crate::error::{ApiError, Problems};

#[derive(Debug, Clone, Deserialize)]
pub struct PensionInputForm {
    pub person_id: i64,
    /// `male`, `female_worker` or `female_cadre`.
    pub category: Option<String>,
    /// Deemed contribution months before personal accounts (视同缴费), from the archive.
    #[serde(default)]
    pub deemed_months: u32,
    #[serde(flatten)]
    pub channel: ChannelInput,
}

fn invalid(field: &'static str, code: &'static str) -> ApiError {
    StoreError::invalid(field, code).into()
}

/// Builds the proposal; `today` decides whether the person has reached retirement.
pub fn propose(tx: &mut TenantTx<'_>, f: &PensionInputForm, today: NaiveDate) -> Result<NewClaim, ApiError> {
    let mut p = Problems::default();
    let category = f.category.as_deref().and_then(RetirementCategory::parse);
    if category.is_none() {
        p.push("category", if f.category.is_none() { "required" } else { "pension.category" });
    }
    let channel = f.channel.parse(&mut p);
    if f.deemed_months > 600 {
        p.push("deemed_months", "pension.deemed_months");
    }
    p.finish()?;
    let (category, channel) = (category.expect("checked"), channel.expect("checked"));
    let person = persons::get(tx, f.person_id).map_err(|e| match e {
        StoreError::NotFound => invalid("person_id", "person.unknown"),
        e => e.into(),
    })?;
    if (person.gender == "male") != (category == RetirementCategory::Male) {
        return Err(invalid("category", "pension.category_gender"));
    }
    let ret = retirement::retirement_month_of_date(person.birth_date, category).ok_or_else(|| invalid("category", "pension.category"))?;
    if ret.period > Period::of_date(today) {
        return Err(invalid("person_id", "pension.not_yet_of_age"));
    }
    let rule = benefits::rule(tx)?;
    let months: Vec<benefits::Month> =
        benefits::months(tx, person.id, "pension")?.into_iter().filter(|m| Period::of_date(m.period) <= ret.period).collect();
    let actual = months.len() as u32;
    let total_months = actual + f.deemed_months;
    let minimum = retirement::minimum_contribution_months(ret.period);
    if total_months < minimum {
        return Err(invalid("deemed_months", "pension.contribution_too_short"));
    }
    // Yearly figures: average base ÷ the year's average wage; employee contributions credited.
    let mut by_year: BTreeMap<i32, (i64, i64, i64)> = BTreeMap::new();
    for m in &months {
        let e = by_year.entry(Period::of_date(m.period).year()).or_default();
        e.0 += 1;
        e.1 += m.base_fen;
        e.2 += m.employee_fen;
    }
    let (first, last) = (by_year.keys().next().copied().unwrap_or(ret.period.year()), ret.period.year());
    let years = benefits::years(tx, rule.id, first.min(last), last)?;
    let mut indices = Vec::new();
    let mut year_lines = Vec::new();
    for (&year, &(n, base, employee)) in &by_year {
        let avg_base = Fen((base * 2 + n) / (2 * n));
        let avg_wage = years.iter().find(|y| y.year == year).and_then(|y| y.avg_wage_fen);
        let Some(avg_wage) = avg_wage else {
            return Err(ApiError::Validation(vec![crate::error::FieldProblem {
                field: format!("years.{year}"),
                code: "pension.avg_wage_missing".into(),
            }]));
        };
        let index = pension::contribution_index_bp(avg_base, Fen(avg_wage)).ok_or_else(|| invalid("years", "pension.avg_wage_missing"))?;
        indices.push(index);
        year_lines.push(json!({"year": year, "months": n, "avg_base_fen": avg_base.0, "avg_wage_fen": avg_wage, "index_bp": index,
                               "account_credit_fen": employee}));
    }
    let Account { balance, rates, provisional } = account(&years, &by_year, first, last)?;
    let (c_year, c) =
        benefits::payout_base(tx, rule.id, ret.period.year())?.ok_or_else(|| invalid("person_id", "pension.payout_base_missing"))?;
    let input = PensionInput {
        payout_base: Fen(c),
        indices: IndexSum::of(&indices),
        contribution_months: total_months,
        deemed_months: f.deemed_months,
        account_balance: balance,
        retirement_age_years: ret.age_years,
        retirement_age_months: ret.age_months,
        transitional_coefficient: RateBp(rule.transitional_coefficient_bp),
    };
    let b = pension::basic_pension(&input)?;
    let start = ret.period.plus_months(1).ok_or_else(|| invalid("person_id", "pension.category"))?;
    let mut claim = NewClaim {
        person_id: person.id,
        kind: "pension",
        inputs: json!({"category": category.code(), "deemed_months": f.deemed_months, "birth_date": person.birth_date,
                       "benefit_rule_version": rule.version}),
        calculation: json!({
            "retirement": {"original_period": ret.original_period.to_string(), "delay_months": ret.delay_months,
                           "period": ret.period.to_string(), "age_years": ret.age_years, "age_months": ret.age_months},
            "months": {"actual": actual, "deemed": f.deemed_months, "total": total_months, "minimum": minimum},
            "years": year_lines,
            "account": {"rates": rates.iter().map(|(y, r)| json!({"year": y, "rate_bp": r.0})).collect::<Vec<_>>(),
                        "provisional_rate_years": provisional, "balance_fen": balance.0},
            "payout_base": {"year": c_year, "fen": c},
            "transitional_coefficient_bp": rule.transitional_coefficient_bp,
            "result": b,
        }),
        amount_fen: b.total.0,
        monthly: true,
        start_period: start.first_day(),
        end_period: None,
        channel: String::new(),
        bank_name: None,
        account_no: None,
        post_address: None,
    };
    channel.apply(&mut claim);
    Ok(claim)
}

/// The personal account from yearly employee credits: each year's published interest rate, or the
/// nearest published one (listed as provisional, recalculated when the rate is published).
pub struct Account {
    pub balance: Fen,
    pub rates: Vec<(i32, RateBp)>,
    pub provisional: Vec<i32>,
}

/// `by_year`: year → (months, base sum, employee credits); interest from `first` to `last`.
pub fn account(years: &[benefits::Year], by_year: &BTreeMap<i32, (i64, i64, i64)>, first: i32, last: i32) -> Result<Account, ApiError> {
    let published: Vec<(i32, i32)> = years.iter().filter_map(|y| y.interest_bp.map(|r| (y.year, r))).collect();
    let mut rates = Vec::new();
    let mut provisional = Vec::new();
    for y in first..=last {
        let own = published.iter().find(|(yy, _)| *yy == y).map(|r| r.1);
        let rate = own.or_else(|| published.iter().rev().find(|(yy, _)| *yy < y).or(published.first()).map(|r| r.1)).unwrap_or(0);
        if own.is_none() {
            provisional.push(y);
        }
        rates.push((y, RateBp(rate)));
    }
    let mut credits: Vec<(i32, Fen)> = by_year.iter().map(|(&y, &(_, _, e))| (y, Fen(e))).collect();
    credits.push((last, Fen::ZERO));
    let balance = pension::personal_account(&credits, &rates)?;
    Ok(Account { balance, rates, provisional })
}
