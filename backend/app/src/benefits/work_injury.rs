//! Work-injury benefits of a recognised case (工伤保险条例 arts. 34–39, 64; docs/benefits.md "Work
//! injury"): the facts are gathered from the case (accident, assessment), the person's work-injury
//! contribution bases of the twelve months before the accident, the city's contribution rule (its
//! average wage) and benefit parameters (minimum wage, disposable income); the formulas are
//! `jinbao_domain::benefits::work_injury`. A case whose employer was not insured on the day is the
//! employer's to pay: its benefits are decided and recorded with payer `employer`.

use chrono::{Datelike, NaiveDate};
use jinbao_domain::benefits::min_wage;
use jinbao_domain::benefits::work_injury::{self as wi, CareLevel, Dependant, Payer};
use jinbao_domain::{Fen, Period};
use jinbao_store::kinds::{ClaimKind, ClaimPayer, InjuryStatus};
use jinbao_store::repo::benefits::{self, NewClaim};
use jinbao_store::repo::injury_cases::{self, InjuryCase};
use jinbao_store::repo::{persons, rules};
use jinbao_store::{StoreError, TenantTx};
use serde::Deserialize;
use serde_json::{json, Value};

use super::ChannelInput;
use crate::error::{AppError, Problems};
use crate::input::yuan;

/// A work-injury benefit proposal. The payment channel: `channel` `bank` with `bank_name` and
/// `account_no`, or `post` with `post_address` (for death benefits, the family's).
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "InjuryBenefitInput")]
pub struct InjuryBenefitInputForm {
    /// The recognised case (`injury.unknown_case`, `injury.not_recognised`).
    pub injury_case_id: i64,
    /// `injury_disability` (一次性伤残补助金), `injury_allowance` (伤残津贴), `injury_nursing`
    /// (生活护理费), `injury_funeral` (丧葬补助金), `injury_survivor` (供养亲属抚恤金) or
    /// `injury_death` (一次性工亡补助金).
    #[schemars(extend("enum" = ["injury_disability", "injury_allowance", "injury_nursing", "injury_funeral", "injury_survivor", "injury_death", null]))]
    pub benefit: Option<String>,
    /// The average monthly wage in yuan, used only when the person has no work-injury contribution
    /// month on record in the twelve months before the accident (`injury.wage_missing` without either).
    #[schemars(with = "Option<crate::input::YuanInput>")]
    pub wage: Option<Value>,
    /// Death benefits: the day of death (YYYY-MM-DD, not in the future, not before the accident).
    pub died_on: Option<String>,
    /// Death benefits: `true` when the injury caused the death (all three benefits); `false` for a
    /// grade 1–4 allowance recipient who died of another cause (art. 39 ¶3: funeral subsidy and
    /// survivor pensions only; other grades `injury.death_not_covered`). Required for death benefits.
    pub from_injury: Option<bool>,
    /// `injury_survivor`: the dependants, 1–10.
    #[serde(default)]
    pub dependants: Vec<Dependant>,
    #[serde(flatten)]
    pub channel: ChannelInput,
}

/// The city's average monthly wage on a day: the wage of the contribution rule in force (the one
/// that set that month's 60–300 % bounds).
fn city_average(tx: &mut TenantTx<'_>, day: NaiveDate) -> Result<Fen, AppError> {
    rules::for_period(tx, Period::of_date(day))?
        .map(|r| r.rules.avg_wage)
        .ok_or_else(|| AppError::field("city_average", "injury.city_average"))
}

fn month_after(day: NaiveDate) -> NaiveDate {
    Period::of_date(day).plus_months(1).expect("a month after a valid date").first_day()
}

pub fn propose(tx: &mut TenantTx<'_>, f: &InjuryBenefitInputForm, today: NaiveDate) -> Result<NewClaim, AppError> {
    let mut p = Problems::default();
    let kind = match f.benefit.as_deref().map(str::trim) {
        None | Some("") => {
            p.push("benefit", "required");
            None
        }
        Some(s) => ClaimKind::parse(s).filter(|k| k.fund() == "work_injury").or_else(|| {
            p.push("benefit", "injury.benefit");
            None
        }),
    };
    let needs_death = matches!(kind, Some(ClaimKind::InjuryFuneral | ClaimKind::InjurySurvivor | ClaimKind::InjuryDeath));
    let died = if needs_death { crate::input::past_date(&mut p, "died_on", f.died_on.as_deref(), today) } else { None };
    if needs_death && f.from_injury.is_none() {
        p.push("from_injury", "required");
    }
    let entered = f.wage.as_ref().filter(|v| !v.is_null()).and_then(|v| yuan(&mut p, "wage", Some(v)));
    if kind == Some(ClaimKind::InjurySurvivor) {
        if f.dependants.is_empty() {
            p.push("dependants", "required");
        }
        for (i, d) in f.dependants.iter().enumerate() {
            let name = d.name.trim();
            if name.is_empty() || name.chars().count() > 50 {
                p.push(&format!("dependants[{i}].name"), if name.is_empty() { "required" } else { "text.too_long" });
            } else if let Some(code) = jinbao_domain::text::name_problem(name) {
                p.push(&format!("dependants[{i}].name"), code);
            }
        }
    }
    let channel = f.channel.parse(&mut p);
    p.finish()?;
    let (kind, channel) = (kind.expect("checked"), channel.expect("checked"));
    let case = injury_cases::get_shared(tx, f.injury_case_id).map_err(|e| match e {
        StoreError::NotFound => AppError::from(StoreError::invalid("injury_case_id", "injury.unknown_case")),
        e => e.into(),
    })?;
    if case.status != InjuryStatus::Recognised {
        return Err(AppError::field("injury_case_id", "injury.not_recognised"));
    }
    if let Some(d) = died {
        if d < case.accident_date {
            return Err(AppError::field("died_on", "injury.died_before_accident"));
        }
        // Art. 39 ¶3: a death of another cause is covered only for a grade 1–4 allowance recipient.
        if f.from_injury == Some(false) && !case.grade.is_some_and(|g| (1..=4).contains(&g)) {
            return Err(AppError::field("from_injury", "injury.death_not_covered"));
        }
    }
    let rule = benefits::rule(tx)?;
    let mut inputs = json!({"injury_case_id": case.id, "benefit": kind, "accident_date": case.accident_date,
                            "fund_covers": case.fund_covers, "benefit_rule_version": rule.version});
    let mut payer = if case.fund_covers { ClaimPayer::Fund } else { ClaimPayer::Employer };
    let (amount, monthly, start, calculation) = match kind {
        ClaimKind::InjuryDisability | ClaimKind::InjuryAllowance | ClaimKind::InjurySurvivor => {
            let basis = wage(tx, &case, entered)?;
            match kind {
                ClaimKind::InjuryDisability => {
                    let (grade, assessed) = assessed(&case)?;
                    let s = wi::disability_subsidy(basis.wage, grade)?;
                    let employer_allowance = wi::ALLOWANCE_PERCENT.get(usize::from(grade - 1)).filter(|_| grade >= 5);
                    (
                        s.amount,
                        false,
                        Period::of_date(assessed).first_day(),
                        json!({"wage": basis, "grade": grade, "months": s.months, "amount_fen": s.amount.0,
                            "employer_allowance_percent": employer_allowance}),
                    )
                }
                ClaimKind::InjuryAllowance => {
                    let (grade, assessed) = assessed(&case)?;
                    let start = month_after(assessed);
                    let (min, class) = minimum_wage(tx, &rule, case.person_id, Period::of_date(start))?;
                    let a = wi::disability_allowance(basis.wage, grade, min)?
                        .ok_or_else(|| AppError::field("injury_case_id", "injury.no_allowance"))?;
                    if a.payer == Payer::Employer {
                        payer = ClaimPayer::Employer;
                    }
                    (a.amount, true, start, json!({"wage": basis, "allowance": a, "wage_class": class}))
                }
                _ => {
                    let died = died.expect("checked");
                    let s = wi::survivors(basis.wage, &f.dependants)?;
                    inputs["died_on"] = json!(died);
                    inputs["dependants"] = json!(f.dependants);
                    (s.total, true, month_after(died), json!({"wage": basis, "survivors": s}))
                }
            }
        }
        ClaimKind::InjuryNursing => {
            let (_, assessed) = assessed(&case)?;
            let care =
                case.care_level.as_deref().and_then(CareLevel::parse).ok_or_else(|| AppError::field("injury_case_id", "injury.no_care"))?;
            let start = month_after(assessed);
            let avg = city_average(tx, start)?;
            let n = wi::nursing(care, avg);
            (n.amount, true, start, json!({"nursing": n}))
        }
        ClaimKind::InjuryFuneral => {
            let died = died.expect("checked");
            let avg = city_average(tx, died)?;
            let amount = wi::funeral(avg);
            inputs["died_on"] = json!(died);
            (
                amount,
                false,
                Period::of_date(died).first_day(),
                json!({"city_average_fen": avg.0, "months": wi::FUNERAL_MONTHS, "amount_fen": amount.0}),
            )
        }
        _ => {
            let died = died.expect("checked");
            if f.from_injury != Some(true) {
                return Err(AppError::field("from_injury", "injury.no_death_subsidy"));
            }
            let year = died.year() - 1;
            let income = injury_cases::disposable_income(tx, rule.id, year)?
                .ok_or_else(|| AppError::field(&format!("years.{year}"), "injury.disposable_income_missing"))?;
            let from_injury = true;
            let amount = wi::death_subsidy(Fen(income), from_injury);
            inputs["died_on"] = json!(died);
            inputs["from_injury"] = json!(from_injury);
            (
                amount,
                false,
                Period::of_date(died).first_day(),
                json!({"income_year": year, "disposable_income_fen": income, "years": wi::DEATH_SUBSIDY_YEARS, "amount_fen": amount.0}),
            )
        }
    };
    // A monthly benefit proposed again after an earlier one of the case was stopped starts after it:
    // no month is due twice.
    let start = match benefits::last_end_of_injury(tx, case.id, kind)? {
        Some(end) if monthly => start.max(month_after(end)),
        _ => start,
    };
    let mut calculation = calculation;
    calculation["payer"] = json!(payer);
    if case.late_report {
        calculation["late_report"] = json!({"reported_on": case.reported_on, "report_due": case.report_due});
    }
    Ok(NewClaim {
        person_id: case.person_id,
        kind,
        inputs,
        calculation,
        amount_fen: amount.0,
        monthly,
        start_period: start,
        end_period: None,
        channel: channel.channel,
        bank_name: channel.bank_name,
        account_no: channel.account_no,
        post_address: channel.post_address,
        injury_case_id: Some(case.id),
        payer,
    })
}

fn assessed(case: &InjuryCase) -> Result<(u8, NaiveDate), AppError> {
    match (case.grade, case.assessed_on) {
        (Some(g), Some(on)) => Ok((u8::try_from(g).unwrap_or(0), on)),
        _ => Err(AppError::field("injury_case_id", "injury.not_assessed")),
    }
}

/// The wage of art. 64 from the twelve months before the accident on record, or the wage entered.
fn wage(tx: &mut TenantTx<'_>, case: &InjuryCase, entered: Option<Fen>) -> Result<wi::WageBasis, AppError> {
    let months = wi::wage_months(case.accident_date);
    let on_record: Vec<Fen> = injury_cases::monthly_wages(tx, case.person_id, &months)?.into_iter().map(|(_, f)| Fen(f)).collect();
    let avg = city_average(tx, case.accident_date)?;
    Ok(wi::wage_basis(&on_record, entered, avg)?)
}

/// The minimum wage of the person's county class in force in `month` (the allowance's floor).
fn minimum_wage(tx: &mut TenantTx<'_>, rule: &benefits::Rule, person_id: i64, month: Period) -> Result<(Fen, u8), AppError> {
    let person = persons::get(tx, person_id)?;
    let counties = benefits::county_classes(tx, rule.id)?;
    let office = benefits::person_office_code(tx, person_id)?;
    let class = min_wage::class_of(&person.id_number, office.as_deref(), &counties, u8::try_from(rule.default_wage_class).unwrap_or(1));
    let schedule = min_wage::in_force(&benefits::min_wage_schedules(tx, rule.id)?, month)
        .ok_or_else(|| AppError::field("min_wage", "unemployment.no_min_wage"))?;
    let amount = schedule.amount(class.class).ok_or_else(|| AppError::field("min_wage", "unemployment.no_min_wage"))?;
    Ok((amount, class.class))
}
