//! Work-injury benefits (工伤保险条例, State Council Decree 586, 2010 revision; docs/benefits.md
//! "Work injury").
//!
//! - Report (art. 17): the employer within 30 days of the accident, the worker or the family within
//!   one year. An employer's late report is still accepted, but the costs of the late period are
//!   the employer's (art. 17 ¶4): it is flagged.
//! - Decision (art. 20): within 60 days of the accepted report.
//! - The wage (本人工资, art. 64): the average monthly contribution wage of the 12 months before the
//!   injury, bounded to 60 %–300 % of the city's average monthly wage.
//! - Disability (arts. 35–37): a one-time subsidy of 27, 25, 23, 21, 18, 16, 13, 11, 9, 7 months of
//!   the wage for grades 1–10; a monthly allowance of 90, 85, 80, 75 % of it for grades 1–4 paid by
//!   the fund and 70, 60 % for grades 5–6 paid by the employer, each topped up to the local minimum
//!   wage by its payer.
//! - Nursing (art. 34): 50, 40, 30 % of the city's average monthly wage for full, most and partial
//!   care.
//! - Death (art. 39): the funeral subsidy of 6 months of the city's average monthly wage; survivor
//!   pensions of 40 % of the deceased's wage for the spouse and 30 % for each other dependant, 10
//!   points more for an orphan or a lone elder, their sum at most the wage; the one-time death
//!   subsidy of 20 times the previous year's national urban per-capita disposable income — not for a
//!   grade 1–4 allowance recipient who dies of another cause (art. 39 ¶3).
//!
//! Every amount is an exact integer product rounded once, half-up to the fen.

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::half_up;
use crate::error::FieldError;
use crate::money::Fen;

/// Days the employer has to report (art. 17 ¶1).
pub const EMPLOYER_REPORT_DAYS: u64 = 30;
/// Days the insurance office has to decide on an accepted report (art. 20 ¶1).
pub const DECISION_DAYS: u64 = 60;
/// Months of the wage paid once for grades 1–10 (arts. 35–37).
pub const SUBSIDY_MONTHS: [u32; 10] = [27, 25, 23, 21, 18, 16, 13, 11, 9, 7];
/// Monthly allowance in percent of the wage, grades 1–4 (fund, art. 35) and 5–6 (employer, art. 36).
pub const ALLOWANCE_PERCENT: [u32; 6] = [90, 85, 80, 75, 70, 60];
/// Funeral subsidy in months of the city's average monthly wage (art. 39 ¶1 (1)).
pub const FUNERAL_MONTHS: u32 = 6;
/// One-time death subsidy in years of the national urban per-capita disposable income (art. 39 ¶1 (3)).
pub const DEATH_SUBSIDY_YEARS: u32 = 20;

/// Who reports the accident.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Reporter {
    Employer,
    Worker,
    Family,
}

impl Reporter {
    pub fn parse(s: &str) -> Option<Reporter> {
        match s {
            "employer" => Some(Reporter::Employer),
            "worker" => Some(Reporter::Worker),
            "family" => Some(Reporter::Family),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Reporter::Employer => "employer",
            Reporter::Worker => "worker",
            Reporter::Family => "family",
        }
    }
}

/// The report's timing: the last day it was due from its reporter, whether it is late (an
/// employer past 30 days), and the day a decision is due (60 days after the report).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct ReportTiming {
    pub report_due: NaiveDate,
    pub late: bool,
    pub decision_due: NaiveDate,
}

/// Checks when a report is made. Errors: `injury.report_before_accident` (field `reported_on`),
/// `injury.report_too_late` (more than one year after the accident, field `reported_on`).
pub fn report_timing(reporter: Reporter, accident: NaiveDate, reported: NaiveDate) -> Result<ReportTiming, FieldError> {
    if reported < accident {
        return Err(FieldError::new("reported_on", "injury.report_before_accident"));
    }
    let year_later = accident.checked_add_months(Months::new(12)).unwrap_or(NaiveDate::MAX);
    if reported > year_later {
        return Err(FieldError::new("reported_on", "injury.report_too_late"));
    }
    let report_due = match reporter {
        Reporter::Employer => accident + chrono::Days::new(EMPLOYER_REPORT_DAYS),
        Reporter::Worker | Reporter::Family => year_later,
    };
    Ok(ReportTiming { report_due, late: reported > report_due, decision_due: reported + chrono::Days::new(DECISION_DAYS) })
}

/// The twelve calendar months before the month of the accident, oldest first, as first days.
pub fn wage_months(accident: NaiveDate) -> Vec<NaiveDate> {
    let first = NaiveDate::from_ymd_opt(accident.year(), accident.month(), 1).expect("first day of a month");
    (1..=12).rev().filter_map(|n| first.checked_sub_months(Months::new(n))).collect()
}

/// The wage a work-injury benefit is computed from (art. 64).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct WageBasis {
    /// Months with a wage among the twelve before the injury.
    pub months: u32,
    /// Their average (sum ÷ months, half-up), or the wage entered when there is none on record.
    pub average: Fen,
    /// The city's average monthly wage at the injury.
    pub city_average: Fen,
    /// 60 % and 300 % of it.
    pub floor: Fen,
    pub ceiling: Fen,
    /// The average bounded to [floor, ceiling].
    pub wage: Fen,
}

/// The wage from the monthly wages of the twelve months before the injury (those on record), or
/// an entered average when none is. Errors: `injury.wage_missing` (field `wage`) with neither,
/// `injury.city_average` (field `city_average`) when the city's average is not positive.
pub fn wage_basis(monthly: &[Fen], entered: Option<Fen>, city_average: Fen) -> Result<WageBasis, FieldError> {
    if city_average.0 <= 0 {
        return Err(FieldError::new("city_average", "injury.city_average"));
    }
    let (months, average) = if monthly.is_empty() {
        match entered {
            Some(w) if w.0 > 0 => (0, w),
            _ => return Err(FieldError::new("wage", "injury.wage_missing")),
        }
    } else {
        let sum: i128 = monthly.iter().map(|f| i128::from(f.0.max(0))).sum();
        let n = monthly.len() as u32;
        (n, Fen(half_up(sum, i128::from(n))))
    };
    let floor = Fen(half_up(i128::from(city_average.0) * 60, 100));
    let ceiling = Fen(city_average.0.saturating_mul(3));
    let wage = Fen(average.0.clamp(floor.0, ceiling.0));
    Ok(WageBasis { months, average, city_average, floor, ceiling, wage })
}

/// Checks a disability grade 1–10 (`injury.grade`, field `grade`).
pub fn check_grade(grade: u8) -> Result<u8, FieldError> {
    if (1..=10).contains(&grade) {
        Ok(grade)
    } else {
        Err(FieldError::new("grade", "injury.grade"))
    }
}

/// The one-time disability subsidy (一次性伤残补助金): the wage × the grade's months.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct DisabilitySubsidy {
    pub grade: u8,
    pub months: u32,
    pub amount: Fen,
}

pub fn disability_subsidy(wage: Fen, grade: u8) -> Result<DisabilitySubsidy, FieldError> {
    let grade = check_grade(grade)?;
    let months = SUBSIDY_MONTHS[usize::from(grade - 1)];
    Ok(DisabilitySubsidy { grade, months, amount: Fen(wage.0.max(0).saturating_mul(i64::from(months))) })
}

/// Who pays a monthly amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Payer {
    Fund,
    Employer,
}

/// The monthly disability allowance (伤残津贴) of grades 1–6.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct DisabilityAllowance {
    pub grade: u8,
    pub percent: u32,
    /// wage × percent ÷ 100, half-up.
    pub computed: Fen,
    /// The local minimum wage the allowance is topped up to.
    pub min_wage: Fen,
    /// max(computed, min_wage).
    pub amount: Fen,
    /// The fund for grades 1–4, the employer for grades 5–6 (when it cannot arrange work).
    pub payer: Payer,
}

/// The allowance of a grade, `None` for grades 7–10 (no allowance).
pub fn disability_allowance(wage: Fen, grade: u8, min_wage: Fen) -> Result<Option<DisabilityAllowance>, FieldError> {
    let grade = check_grade(grade)?;
    let Some(&percent) = ALLOWANCE_PERCENT.get(usize::from(grade - 1)) else {
        return Ok(None);
    };
    let computed = Fen(half_up(i128::from(wage.0.max(0)) * i128::from(percent), 100));
    let payer = if grade <= 4 { Payer::Fund } else { Payer::Employer };
    Ok(Some(DisabilityAllowance { grade, percent, computed, min_wage, amount: Fen(computed.0.max(min_wage.0)), payer }))
}

/// The care level of the ability assessment (生活自理障碍).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CareLevel {
    /// 生活完全不能自理
    Full,
    /// 生活大部分不能自理
    Most,
    /// 生活部分不能自理
    Partial,
}

impl CareLevel {
    pub fn parse(s: &str) -> Option<CareLevel> {
        match s {
            "full" => Some(CareLevel::Full),
            "most" => Some(CareLevel::Most),
            "partial" => Some(CareLevel::Partial),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            CareLevel::Full => "full",
            CareLevel::Most => "most",
            CareLevel::Partial => "partial",
        }
    }

    pub fn percent(self) -> u32 {
        match self {
            CareLevel::Full => 50,
            CareLevel::Most => 40,
            CareLevel::Partial => 30,
        }
    }
}

/// The monthly nursing-care allowance (生活护理费).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Nursing {
    pub care: CareLevel,
    pub percent: u32,
    pub city_average: Fen,
    pub amount: Fen,
}

pub fn nursing(care: CareLevel, city_average: Fen) -> Nursing {
    let percent = care.percent();
    Nursing { care, percent, city_average, amount: Fen(half_up(i128::from(city_average.0.max(0)) * i128::from(percent), 100)) }
}

/// A dependant the deceased supported (供养亲属).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Dependant {
    /// Name as on the identity document.
    pub name: String,
    /// `spouse` (40 %) or any other relation (30 %): `child`, `parent`, `grandparent`, `grandchild`, `sibling`.
    pub relation: String,
    /// An orphan or a lone elder (孤儿、孤寡老人): 10 points more.
    #[serde(default)]
    pub orphan_or_lone_elder: bool,
}

/// Relations art. 39 and the Ministry's Order 18 (因工死亡职工供养亲属范围规定) name.
pub const RELATIONS: [&str; 6] = ["spouse", "child", "parent", "grandparent", "grandchild", "sibling"];

/// One dependant's monthly survivor pension.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct SurvivorShare {
    pub name: String,
    pub relation: String,
    pub percent: u32,
    /// wage × percent ÷ 100, half-up.
    pub computed: Fen,
    /// After the cap (equal to `computed` when the sum is within the wage).
    pub amount: Fen,
}

/// The survivor pensions (供养亲属抚恤金) of a death.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Survivors {
    pub wage: Fen,
    pub shares: Vec<SurvivorShare>,
    /// Sum of the computed shares.
    pub computed_total: Fen,
    /// Whether the sum exceeded the wage and the shares were reduced in proportion.
    pub capped: bool,
    /// Sum of the amounts: at most the wage.
    pub total: Fen,
}

/// Survivor pensions, reduced in proportion when their sum exceeds the deceased's wage: each share
/// × wage ÷ sum rounded down, the fen left over given one each to the largest remainders (earlier
/// dependants first on equal remainders), so the total is exactly the wage. Errors (field
/// `dependants[i].relation`): `injury.relation`; at most 10 dependants (`injury.dependants`).
pub fn survivors(wage: Fen, dependants: &[Dependant]) -> Result<Survivors, FieldError> {
    if dependants.len() > 10 {
        return Err(FieldError::new("dependants", "injury.dependants"));
    }
    let wage = Fen(wage.0.max(0));
    let mut shares = Vec::with_capacity(dependants.len());
    for (i, d) in dependants.iter().enumerate() {
        if !RELATIONS.contains(&d.relation.as_str()) {
            return Err(FieldError::at(format!("dependants[{i}].relation"), "injury.relation"));
        }
        let percent = if d.relation == "spouse" { 40 } else { 30 } + if d.orphan_or_lone_elder { 10 } else { 0 };
        let computed = Fen(half_up(i128::from(wage.0) * i128::from(percent), 100));
        shares.push(SurvivorShare { name: d.name.clone(), relation: d.relation.clone(), percent, computed, amount: computed });
    }
    let computed_total: i64 = shares.iter().map(|s| s.computed.0).sum();
    let capped = computed_total > wage.0;
    if capped {
        let sum = i128::from(computed_total);
        let mut remainders: Vec<(i128, usize)> = Vec::with_capacity(shares.len());
        for (i, s) in shares.iter_mut().enumerate() {
            let product = i128::from(s.computed.0) * i128::from(wage.0);
            s.amount = Fen((product / sum) as i64);
            remainders.push((product % sum, i));
        }
        let left = wage.0 - shares.iter().map(|s| s.amount.0).sum::<i64>();
        remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        for &(_, i) in remainders.iter().take(usize::try_from(left).unwrap_or(0)) {
            shares[i].amount.0 += 1;
        }
    }
    let total = Fen(shares.iter().map(|s| s.amount.0).sum());
    Ok(Survivors { wage, shares, computed_total: Fen(computed_total), capped, total })
}

/// The funeral subsidy (丧葬补助金): 6 months of the city's average monthly wage.
pub fn funeral(city_average: Fen) -> Fen {
    Fen(city_average.0.max(0).saturating_mul(i64::from(FUNERAL_MONTHS)))
}

/// The one-time death subsidy (一次性工亡补助金): 20 × the previous year's national urban
/// per-capita disposable income (a yearly figure); nothing for a grade 1–4 allowance recipient who
/// died of another cause (art. 39 ¶3).
pub fn death_subsidy(disposable_income: Fen, from_injury: bool) -> Fen {
    if from_injury {
        Fen(disposable_income.0.max(0).saturating_mul(i64::from(DEATH_SUBSIDY_YEARS)))
    } else {
        Fen(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn dep(relation: &str, extra: bool) -> Dependant {
        Dependant { name: relation.into(), relation: relation.into(), orphan_or_lone_elder: extra }
    }

    #[test]
    fn reports_are_due_in_30_days_from_the_employer_and_a_year_from_the_worker() {
        let t = report_timing(Reporter::Employer, d(2026, 3, 10), d(2026, 4, 9)).unwrap();
        assert_eq!((t.report_due, t.late, t.decision_due), (d(2026, 4, 9), false, d(2026, 6, 8)));
        assert!(report_timing(Reporter::Employer, d(2026, 3, 10), d(2026, 4, 10)).unwrap().late);
        let w = report_timing(Reporter::Worker, d(2026, 3, 10), d(2027, 3, 10)).unwrap();
        assert_eq!((w.report_due, w.late), (d(2027, 3, 10), false));
        assert_eq!(report_timing(Reporter::Family, d(2026, 3, 10), d(2027, 3, 11)).unwrap_err().code, "injury.report_too_late");
        assert_eq!(report_timing(Reporter::Worker, d(2026, 3, 10), d(2026, 3, 9)).unwrap_err().code, "injury.report_before_accident");
    }

    #[test]
    fn the_wage_months_are_the_twelve_before_the_accident_month() {
        let m = wage_months(d(2026, 3, 10));
        assert_eq!((m.len(), m[0], m[11]), (12, d(2025, 3, 1), d(2026, 2, 1)));
    }

    #[test]
    fn the_wage_is_the_average_bounded_to_60_and_300_percent() {
        // 11 months at 5,000 and one at 5,001: 60,001 ÷ 12 = 5,000.083… → 5,000.08.
        let mut months = vec![Fen(500_000); 11];
        months.push(Fen(500_100));
        let w = wage_basis(&months, None, Fen(700_000)).unwrap();
        assert_eq!((w.months, w.average, w.floor, w.ceiling, w.wage), (12, Fen(500_008), Fen(420_000), Fen(2_100_000), Fen(500_008)));
        assert_eq!(wage_basis(&[Fen(300_000)], None, Fen(700_000)).unwrap().wage, Fen(420_000));
        assert_eq!(wage_basis(&[Fen(3_000_000)], None, Fen(700_000)).unwrap().wage, Fen(2_100_000));
        assert_eq!(wage_basis(&[], Some(Fen(600_000)), Fen(700_000)).unwrap().wage, Fen(600_000));
        assert_eq!(wage_basis(&[], None, Fen(700_000)).unwrap_err().code, "injury.wage_missing");
        assert_eq!(wage_basis(&[Fen(1)], None, Fen(0)).unwrap_err().code, "injury.city_average");
    }

    #[test]
    fn subsidies_and_allowances_follow_the_grade() {
        assert_eq!(disability_subsidy(Fen(600_000), 1).unwrap().amount, Fen(16_200_000));
        assert_eq!(disability_subsidy(Fen(600_000), 5).unwrap().months, 18);
        assert_eq!(disability_subsidy(Fen(600_000), 10).unwrap().amount, Fen(4_200_000));
        assert_eq!(disability_subsidy(Fen(600_000), 11).unwrap_err().code, "injury.grade");
        let a = disability_allowance(Fen(600_000), 3, Fen(200_000)).unwrap().unwrap();
        assert_eq!((a.percent, a.amount, a.payer), (80, Fen(480_000), Payer::Fund));
        let e = disability_allowance(Fen(600_000), 6, Fen(200_000)).unwrap().unwrap();
        assert_eq!((e.percent, e.amount, e.payer), (60, Fen(360_000), Payer::Employer));
        // Topped up to the minimum wage: 75 % of 2,500 = 1,875 < 2,000.
        let low = disability_allowance(Fen(250_000), 4, Fen(200_000)).unwrap().unwrap();
        assert_eq!((low.computed, low.amount), (Fen(187_500), Fen(200_000)));
        assert_eq!(disability_allowance(Fen(600_000), 7, Fen(200_000)).unwrap(), None);
        assert_eq!(disability_allowance(Fen(600_000), 0, Fen(200_000)).unwrap_err().code, "injury.grade");
    }

    #[test]
    fn nursing_funeral_and_death_subsidy() {
        assert_eq!(nursing(CareLevel::Full, Fen(700_001)).amount, Fen(350_001)); // 3,500.005 → 3,500.01
        assert_eq!(nursing(CareLevel::Most, Fen(700_000)).amount, Fen(280_000));
        assert_eq!(nursing(CareLevel::Partial, Fen(700_000)).amount, Fen(210_000));
        assert_eq!(funeral(Fen(700_000)), Fen(4_200_000));
        assert_eq!(death_subsidy(Fen(5_418_800), true), Fen(108_376_000));
        assert_eq!(death_subsidy(Fen(5_418_800), false), Fen(0));
    }

    #[test]
    fn survivors_within_the_wage_keep_their_shares() {
        let s = survivors(Fen(600_000), &[dep("spouse", false), dep("child", false)]).unwrap();
        assert_eq!(s.shares.iter().map(|s| s.amount).collect::<Vec<_>>(), [Fen(240_000), Fen(180_000)]);
        assert_eq!((s.capped, s.total), (false, Fen(420_000)));
    }

    #[test]
    fn survivors_above_the_wage_are_reduced_in_proportion() {
        // 40 + 40 (orphan child 30+10) + 30 = 110 % of 6,000 = 6,600 > 6,000:
        // 2,400 × 6,000 ÷ 6,600 = 2,181.8181… twice, 1,800 × 6,000 ÷ 6,600 = 1,636.3636…
        // Down: 2,181.81 + 2,181.81 + 1,636.36 = 5,999.98; the 2 fen left go to the largest remainders.
        let s = survivors(Fen(600_000), &[dep("spouse", false), dep("child", true), dep("parent", false)]).unwrap();
        assert!(s.capped);
        assert_eq!(s.computed_total, Fen(660_000));
        assert_eq!(s.shares.iter().map(|s| s.amount).collect::<Vec<_>>(), [Fen(218_182), Fen(218_182), Fen(163_636)]);
        assert_eq!(s.total, Fen(600_000));
        assert_eq!(survivors(Fen(1), &[dep("cousin", false)]).unwrap_err().field, "dependants[0].relation");
    }

    proptest! {
        #[test]
        fn survivors_never_exceed_the_wage_and_never_gain(wage in 0i64..10_000_000, picks in proptest::collection::vec((0usize..6, any::<bool>()), 0..=10)) {
            let deps: Vec<Dependant> = picks.iter().map(|&(r, e)| dep(RELATIONS[r], e)).collect();
            let s = survivors(Fen(wage), &deps).unwrap();
            prop_assert!(s.total.0 <= wage);
            prop_assert_eq!(s.total.0 == wage, s.capped || s.computed_total.0 == wage);
            for sh in &s.shares {
                prop_assert!(sh.amount <= sh.computed);
            }
        }

        #[test]
        fn the_wage_lies_within_its_bounds(avg in 1i64..5_000_000, months in proptest::collection::vec(0i64..20_000_000, 1..=12)) {
            let monthly: Vec<Fen> = months.into_iter().map(Fen).collect();
            let w = wage_basis(&monthly, None, Fen(avg)).unwrap();
            prop_assert!(w.floor <= w.wage && w.wage <= w.ceiling);
            prop_assert!(w.wage == w.average || w.wage == w.floor || w.wage == w.ceiling);
        }
    }
}
