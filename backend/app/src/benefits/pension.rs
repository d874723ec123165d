//! Basic pension (docs/rules.md §6): retirement month by category (with the 2025 raise), minimum
//! years, yearly contribution indices, the personal account with yearly interest, the payout base
//! C of the retirement year, and the three parts. Paid monthly from the month after retirement.

use chrono::NaiveDate;
use jinbao_domain::benefits::account;
use jinbao_domain::benefits::pension::{self, IndexSum, IndexedMonth, PensionInput};
use jinbao_domain::benefits::retirement::{self, RetirementCategory};
use jinbao_domain::id_number::Gender;
use jinbao_domain::{Fen, Period, RateBp};
use jinbao_store::kinds::ClaimKind;
use jinbao_store::repo::benefits::{self, NewClaim};
use jinbao_store::repo::persons;
use jinbao_store::{StoreError, TenantTx};
use serde::Deserialize;
use serde_json::json;

use super::ChannelInput;
use crate::error::{AppError, Problems};

/// A pension proposal. The payment channel: `channel` `bank` with `bank_name` and `account_no`, or `post` with
/// `post_address` (missing: `required`). Unknown fields are ignored in this body (it is not parsed strictly).
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "PensionClaimInput")]
pub struct PensionInputForm {
    /// The person (`person.unknown` when not in the caller's city).
    pub person_id: i64,
    /// `male`, `female_worker` or `female_cadre`.
    #[schemars(extend("enum" = ["male", "female_worker", "female_cadre", null]))]
    pub category: Option<String>,
    /// Deemed contribution months before personal accounts (视同缴费), from the archive.
    #[serde(default)]
    pub deemed_months: u32,
    #[serde(flatten)]
    pub channel: ChannelInput,
}

fn invalid(field: &'static str, code: &'static str) -> AppError {
    StoreError::invalid(field, code).into()
}

/// Builds the proposal; `today` decides whether the person has reached retirement.
pub fn propose(tx: &mut TenantTx<'_>, f: &PensionInputForm, today: NaiveDate) -> Result<NewClaim, AppError> {
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
    if (person.gender == Gender::Male) != (category == RetirementCategory::Male) {
        return Err(invalid("category", "pension.category_gender"));
    }
    let ret = retirement::retirement_month_of_date(person.birth_date, category).ok_or_else(|| invalid("category", "pension.category"))?;
    if ret.period > Period::of_date(today) {
        return Err(invalid("person_id", "pension.not_yet_of_age"));
    }
    let rule = benefits::rule(tx)?;
    // Paid months only (实缴), up to the retirement month.
    let months: Vec<benefits::Month> =
        benefits::months(tx, person.id, "pension")?.into_iter().filter(|m| Period::of_date(m.period) <= ret.period).collect();
    let actual = months.len() as u32;
    let total_months = actual + f.deemed_months;
    let minimum = retirement::minimum_contribution_months(ret.period);
    if total_months < minimum {
        return Err(invalid("deemed_months", "pension.contribution_too_short"));
    }
    let indexed = indexed_months(&months)?;
    let indices = IndexSum::of_months(&indexed)?;
    let year_lines = pension::index_years(&indexed)?;
    let published = benefits::interest_rates(tx, rule.id)?;
    let (balance, account_years) = personal_account(&months, rule.accounts_began, &published, ret.period)?;
    let (c_year, c) =
        benefits::payout_base(tx, rule.id, ret.period.year())?.ok_or_else(|| invalid("person_id", "pension.payout_base_missing"))?;
    let input = PensionInput {
        payout_base: Fen(c),
        indices,
        contribution_months: total_months,
        deemed_months: f.deemed_months,
        account_balance: balance,
        retirement_age_years: ret.age_years,
        retirement_age_months: ret.age_months,
        transitional_coefficient: RateBp(rule.transitional_coefficient_bp),
    };
    let b = pension::basic_pension(&input)?;
    let start = ret.period.plus_months(1).ok_or_else(|| invalid("person_id", "pension.category"))?;
    let claim = NewClaim {
        person_id: person.id,
        kind: ClaimKind::Pension,
        inputs: json!({"category": category.code(), "deemed_months": f.deemed_months, "birth_date": person.birth_date,
                       "benefit_rule_version": rule.version}),
        calculation: json!({
            "retirement": {"original_period": ret.original_period.to_string(), "delay_months": ret.delay_months,
                           "period": ret.period.to_string(), "age_years": ret.age_years, "age_months": ret.age_months},
            "months": {"actual": actual, "deemed": f.deemed_months, "total": total_months, "minimum": minimum},
            "years": year_lines,
            "index": {"months": indices.months, "average_bp": indices.average_bp()},
            "account": {"years": account_years,
                        "provisional_rate_years": account_years.iter().filter(|y| y.provisional).map(|y| y.year).collect::<Vec<_>>(),
                        "balance_fen": balance.0},
            "payout_base": {"year": c_year, "fen": c},
            "transitional_coefficient_bp": rule.transitional_coefficient_bp,
            "result": b,
        }),
        amount_fen: b.total.0,
        monthly: true,
        start_period: start.first_day(),
        end_period: None,
        channel: channel.channel,
        bank_name: channel.bank_name,
        account_no: channel.account_no,
        post_address: channel.post_address,
        injury_case_id: None,
        payer: jinbao_store::kinds::ClaimPayer::Fund,
    };
    Ok(claim)
}

/// Each paid month with the reference wage that divides its base; a month without one is refused
/// naming its year (`years.<year>`, `pension.avg_wage_missing`), never divided by another series.
pub fn indexed_months(months: &[benefits::Month]) -> Result<Vec<IndexedMonth>, AppError> {
    months
        .iter()
        .map(|m| {
            let period = Period::of_date(m.period);
            match m.reference_wage_fen {
                Some(w) if w > 0 => Ok(IndexedMonth { period, base: Fen(m.base_fen), reference_wage: Fen(w) }),
                _ => Err(jinbao_domain::FieldError::at(format!("years.{}", period.year()), "pension.avg_wage_missing").into()),
            }
        })
        .collect()
}

/// The personal account at the end of `end` from the paid months since accounts began (11 % of the
/// base until 2005-12, 8 % after) and the published rates (`account.rate_missing` for a year that
/// needs one and has none; provisional after the latest published year).
pub fn personal_account(
    months: &[benefits::Month],
    accounts_began: NaiveDate,
    published: &[(i32, i32)],
    end: Period,
) -> Result<(Fen, Vec<account::AccountYear>), AppError> {
    let began = Period::of_date(accounts_began);
    let credits: Vec<(Period, Fen)> = months
        .iter()
        .map(|m| Period::of_date(m.period))
        .zip(months.iter().map(|m| Fen(m.base_fen)))
        .filter(|(p, _)| *p >= began && *p <= end)
        .map(|(p, base)| (p, account::monthly_credit(p, base)))
        .collect();
    let Some(first) = credits.first().map(|(p, _)| p.year()) else {
        return Ok((Fen::ZERO, Vec::new()));
    };
    let published: Vec<(i32, RateBp)> = published.iter().map(|&(y, r)| (y, RateBp(r))).collect();
    let rates = account::resolve_rates(&published, first, end.year())?;
    Ok(account::balance(&credits, &rates, end)?)
}
