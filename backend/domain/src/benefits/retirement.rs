//! Statutory retirement age under the gradual raise from 2025-01-01 (docs/rules.md §6), and the minimum
//! contribution years that rise from 2030.
//!
//! # Interpretation
//!
//! The scheme (NPC Standing Committee decision of 2024-09-13 and its attached table) is driven by the
//! month in which a person reaches the *original* age (60 for men, 55 for women cadres, 50 for women
//! workers), called here the original retirement month `R = birth month + original age`:
//!
//! - `R` before 2025-01: unaffected, the delay is 0.
//! - `R` in 2025-01 or later: delay = `(R − 2025-01) / step + 1` months (integer division), capped at
//!   `(target age − original age) × 12`. The step is 4 months for men and women cadres (one more month
//!   every 4 months, 60→63 and 55→58, cap 36) and 2 months for women workers (50→55, cap 60).
//! - Retirement age = original age + delay; the retirement month = birth month + retirement age, i.e.
//!   `R + delay`. (The pension is then paid from the following month; that is not decided here.)
//!
//! So a man born 1965-01 (R = 2025-01) retires at 60 years 1 month in 2025-02; one born 1965-05
//! (R = 2025-05, the second 4-month window) at 60y2m in 2025-07. The caps are reached by men and
//! women cadres born from 1976-09 and 1981-09 respectively, and by women workers born from 1984-11.
//! Only the month of birth matters, never the day. Flexible early or late retirement (弹性退休) is
//! not modelled.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::period::Period;

/// `Period::index` of 2025-01, the first original retirement month affected by the raise.
const REFORM_START_INDEX: i32 = 2025 * 12;

/// Who the person is for retirement purposes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RetirementCategory {
    /// Men: original age 60, raised to 63.
    Male,
    /// Women workers (女职工): original age 50, raised to 55.
    FemaleWorker,
    /// Women cadres (女干部): original age 55, raised to 58.
    FemaleCadre,
}

/// One row of the raise schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RaiseRule {
    pub category: RetirementCategory,
    /// Statutory age before the reform, whole years.
    pub original_age_years: u32,
    /// Age once the raise is complete, whole years.
    pub target_age_years: u32,
    /// One month of delay is added for every `step_months` months of original retirement from 2025-01.
    pub step_months: u32,
}

impl RaiseRule {
    /// The largest delay: `(target − original) × 12` months.
    pub const fn max_delay_months(&self) -> u32 {
        (self.target_age_years - self.original_age_years) * 12
    }
}

/// The schedule, one row per category.
pub const RAISE_RULES: [RaiseRule; 3] = [
    RaiseRule { category: RetirementCategory::Male, original_age_years: 60, target_age_years: 63, step_months: 4 },
    RaiseRule { category: RetirementCategory::FemaleWorker, original_age_years: 50, target_age_years: 55, step_months: 2 },
    RaiseRule { category: RetirementCategory::FemaleCadre, original_age_years: 55, target_age_years: 58, step_months: 4 },
];

impl RetirementCategory {
    pub const ALL: [RetirementCategory; 3] = [RetirementCategory::Male, RetirementCategory::FemaleWorker, RetirementCategory::FemaleCadre];

    /// Stable machine code: `male`, `female_worker`, `female_cadre`.
    pub fn code(self) -> &'static str {
        match self {
            RetirementCategory::Male => "male",
            RetirementCategory::FemaleWorker => "female_worker",
            RetirementCategory::FemaleCadre => "female_cadre",
        }
    }

    /// The category of a [`code`](RetirementCategory::code).
    pub fn parse(s: &str) -> Option<RetirementCategory> {
        RetirementCategory::ALL.into_iter().find(|c| c.code() == s)
    }

    /// This category's row of [`RAISE_RULES`].
    pub fn raise_rule(self) -> RaiseRule {
        match self {
            RetirementCategory::Male => RAISE_RULES[0],
            RetirementCategory::FemaleWorker => RAISE_RULES[1],
            RetirementCategory::FemaleCadre => RAISE_RULES[2],
        }
    }
}

/// When and at what age a person reaches statutory retirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Retirement {
    /// Month the original age is reached (birth month + original age).
    pub original_period: Period,
    /// Months added by the gradual raise, 0 when the original month is before 2025-01.
    pub delay_months: u32,
    /// Month of retirement: birth month + retirement age.
    pub period: Period,
    /// Retirement age, whole years …
    pub age_years: u32,
    /// … plus months (0..=11).
    pub age_months: u32,
}

/// Delay in months for a person whose original retirement month is `original_period`: 0 before
/// 2025-01, else `(original − 2025-01) / step + 1`, capped (see the module documentation).
pub fn delay_months(original_period: Period, category: RetirementCategory) -> u32 {
    let rule = category.raise_rule();
    let since = original_period.index() - REFORM_START_INDEX;
    if since < 0 {
        return 0;
    }
    (since.unsigned_abs() / rule.step_months + 1).min(rule.max_delay_months())
}

/// Statutory retirement of a person born in month `birth`. `None` only when the retirement month
/// falls outside the years a [`Period`] can hold (1900–2999).
pub fn retirement_month(birth: Period, category: RetirementCategory) -> Option<Retirement> {
    let rule = category.raise_rule();
    let original_months = rule.original_age_years * 12;
    let original_period = birth.plus_months(original_months as i32)?;
    let delay = delay_months(original_period, category);
    let age = original_months + delay;
    Some(Retirement {
        original_period,
        delay_months: delay,
        period: birth.plus_months(age as i32)?,
        age_years: age / 12,
        age_months: age % 12,
    })
}

/// [`retirement_month`] for a birth date; only its month counts.
pub fn retirement_month_of_date(birth: NaiveDate, category: RetirementCategory) -> Option<Retirement> {
    retirement_month(Period::of_date(birth), category)
}

/// Minimum contribution months to draw a monthly pension, by the year of retirement: 180 (15 years)
/// up to 2029; from 2030 six more months each year (2030: 186, 2031: 192, …); 240 (20 years) from 2039.
pub fn minimum_contribution_months(retirement: Period) -> u32 {
    match retirement.year() {
        ..=2029 => 180,
        y @ 2030..=2038 => 180 + 6 * (y - 2029).unsigned_abs(),
        _ => 240,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use RetirementCategory::*;

    fn p(s: &str) -> Period {
        s.parse().unwrap()
    }

    /// (birth, category, retirement month, age years, age months, delay) — rows of the official table.
    const TABLE: &[(&str, RetirementCategory, &str, u32, u32, u32)] = &[
        ("1964-12", Male, "2024-12", 60, 0, 0),
        ("1965-01", Male, "2025-02", 60, 1, 1),
        ("1965-04", Male, "2025-05", 60, 1, 1),
        ("1965-05", Male, "2025-07", 60, 2, 2),
        ("1965-08", Male, "2025-10", 60, 2, 2),
        ("1965-09", Male, "2025-12", 60, 3, 3),
        ("1965-12", Male, "2026-03", 60, 3, 3),
        ("1966-01", Male, "2026-05", 60, 4, 4),
        ("1970-01", Male, "2031-05", 61, 4, 16),
        ("1976-01", Male, "2038-11", 62, 10, 34),
        ("1976-08", Male, "2039-07", 62, 11, 35),
        ("1976-09", Male, "2039-09", 63, 0, 36),
        ("1976-12", Male, "2039-12", 63, 0, 36),
        ("1990-05", Male, "2053-05", 63, 0, 36),
        ("1969-12", FemaleCadre, "2024-12", 55, 0, 0),
        ("1970-01", FemaleCadre, "2025-02", 55, 1, 1),
        ("1970-05", FemaleCadre, "2025-07", 55, 2, 2),
        ("1981-08", FemaleCadre, "2039-07", 57, 11, 35),
        ("1981-09", FemaleCadre, "2039-09", 58, 0, 36),
        ("1982-01", FemaleCadre, "2040-01", 58, 0, 36),
        ("1974-12", FemaleWorker, "2024-12", 50, 0, 0),
        ("1975-01", FemaleWorker, "2025-02", 50, 1, 1),
        ("1975-02", FemaleWorker, "2025-03", 50, 1, 1),
        ("1975-03", FemaleWorker, "2025-05", 50, 2, 2),
        ("1976-01", FemaleWorker, "2026-08", 50, 7, 7),
        ("1984-10", FemaleWorker, "2039-09", 54, 11, 59),
        ("1984-11", FemaleWorker, "2039-11", 55, 0, 60),
        ("1985-01", FemaleWorker, "2040-01", 55, 0, 60),
        ("1995-06", FemaleWorker, "2050-06", 55, 0, 60),
    ];

    #[test]
    fn official_table_rows() {
        for &(birth, cat, month, y, m, delay) in TABLE {
            let r = retirement_month(p(birth), cat).unwrap();
            assert_eq!((r.period.to_string().as_str(), r.age_years, r.age_months, r.delay_months), (month, y, m, delay), "{birth} {cat:?}");
        }
    }

    #[test]
    fn first_affected_man() {
        let r = retirement_month(p("1965-01"), Male).unwrap();
        assert_eq!(r.original_period, p("2025-01"));
        assert_eq!(r.period, p("2025-02"));
        assert_eq!((r.age_years, r.age_months), (60, 1));
    }

    #[test]
    fn men_born_before_1965_are_unaffected() {
        let r = retirement_month(p("1964-12"), Male).unwrap();
        assert_eq!((r.period, r.age_years, r.age_months, r.delay_months), (p("2024-12"), 60, 0, 0));
        let old = retirement_month(p("1950-03"), Male).unwrap();
        assert_eq!(old.period, p("2010-03"));
    }

    #[test]
    fn birth_date_uses_only_the_month() {
        let d = NaiveDate::from_ymd_opt(1975, 1, 31).unwrap();
        let r = retirement_month_of_date(d, FemaleWorker).unwrap();
        assert_eq!((r.period, r.age_years, r.age_months), (p("2025-02"), 50, 1));
    }

    #[test]
    fn rules_table_is_consistent() {
        for c in RetirementCategory::ALL {
            assert_eq!(c.raise_rule().category, c);
            assert_eq!(RetirementCategory::parse(c.code()), Some(c));
        }
        assert_eq!(Male.raise_rule().max_delay_months(), 36);
        assert_eq!(FemaleWorker.raise_rule().max_delay_months(), 60);
        assert_eq!(FemaleCadre.raise_rule().max_delay_months(), 36);
    }

    #[test]
    fn minimum_years_rise_from_2030() {
        assert_eq!(minimum_contribution_months(p("2025-02")), 180);
        assert_eq!(minimum_contribution_months(p("2029-12")), 180);
        assert_eq!(minimum_contribution_months(p("2030-01")), 186);
        assert_eq!(minimum_contribution_months(p("2031-06")), 192);
        assert_eq!(minimum_contribution_months(p("2038-12")), 234);
        assert_eq!(minimum_contribution_months(p("2039-01")), 240);
        assert_eq!(minimum_contribution_months(p("2050-01")), 240);
        assert_eq!(minimum_contribution_months(p("2010-01")), 180);
    }

    proptest! {
        #[test]
        fn later_birth_never_retires_earlier_or_younger(year in 1940i32..2000, month in 1u32..=12, ci in 0usize..3) {
            let cat = RetirementCategory::ALL[ci];
            let b = Period::new(year, month).unwrap();
            let (r, next) = (retirement_month(b, cat).unwrap(), retirement_month(b.plus_months(1).unwrap(), cat).unwrap());
            prop_assert!(next.delay_months >= r.delay_months);
            prop_assert!(next.period > r.period);
            let rule = cat.raise_rule();
            prop_assert!(r.age_years >= rule.original_age_years && r.age_years * 12 + r.age_months <= rule.target_age_years * 12);
            prop_assert_eq!(b.plus_months((r.age_years * 12 + r.age_months) as i32), Some(r.period));
        }
    }
}
