//! Basic pension of enterprise employees (State Council 2005 No. 38; docs/rules.md §6).
//!
//! # Formula and representation
//!
//! - Basic part = (C + C × Ī) / 2 × N × 1%, with C the payout base, Ī the average contribution index
//!   and N the contribution years **including deemed years** (视同缴费年限).
//! - Account part = personal account balance ÷ months divisor for the retirement age
//!   ([`super::account`] computes the balance).
//! - Transitional part = C × Ī × deemed years × coefficient (Henan 1.3%).
//!
//! # The average index Ī is weighted by month
//!
//! Ī = Σ over every paid contribution month of (that month's base ÷ the reference average monthly
//! wage of that month) ÷ the number of months. The reference wage is **one series**: the wage that set
//! that month's 60–300 % base bounds (the contribution rule in force for the month), so a payer at the
//! floor has index 0.6 and at the ceiling 3.0 in every month. A part year therefore weighs by its
//! months, not as a whole year (a yearly mean would let three months at the ceiling in the retirement
//! year count like twelve).
//!
//! Ī is carried exactly enough never to move a fen: months sharing a reference wage are summed and
//! divided once, to 10⁻¹² of an index ([`INDEX_SCALE`]); N = months / 12 is exact. Each part is one
//! i128 product divided once, half-up to the fen; the total is the sum of the rounded parts.
//! [`PensionBreakdown::average_index_bp`] is Ī rounded half-up to basis points, for display only.
//!
//! # Months divisor
//!
//! [`ACCOUNT_DIVISORS`] is the 2005 No. 38 table for every whole age from 40 to 70. Extra months of
//! age (60 years 4 months under the 2025 raise) use the whole years; ages below 40 are refused and
//! ages above 70 use 56.

use std::collections::BTreeMap;

use serde::Serialize;

use super::half_up;
use super::retirement::minimum_contribution_months;
use crate::error::FieldError;
use crate::money::{Fen, RateBp};
use crate::period::Period;

/// 1.0 as an index in basis points.
pub const INDEX_ONE_BP: u32 = 10_000;

/// 1.0 as an index in the exact sum: 10¹².
pub const INDEX_SCALE: i128 = 1_000_000_000_000;

/// (retirement age in whole years, months divisor): 国发〔2005〕38号 附件, ages 40–70.
pub const ACCOUNT_DIVISORS: [(u32, u32); 31] = [
    (40, 233),
    (41, 230),
    (42, 226),
    (43, 223),
    (44, 220),
    (45, 216),
    (46, 212),
    (47, 207),
    (48, 204),
    (49, 199),
    (50, 195),
    (51, 190),
    (52, 185),
    (53, 180),
    (54, 175),
    (55, 170),
    (56, 164),
    (57, 158),
    (58, 152),
    (59, 145),
    (60, 139),
    (61, 132),
    (62, 125),
    (63, 117),
    (64, 109),
    (65, 101),
    (66, 93),
    (67, 84),
    (68, 75),
    (69, 65),
    (70, 56),
];

/// One paid contribution month: its base and the reference wage that set its bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexedMonth {
    pub period: Period,
    pub base: Fen,
    pub reference_wage: Fen,
}

/// Σ of the monthly indices (scaled by [`INDEX_SCALE`]) and the number of months, so that
/// Ī = `sum / (INDEX_SCALE × months)`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct IndexSum {
    pub sum: i128,
    pub months: u32,
}

impl IndexSum {
    /// The exact sum of `months`: bases sharing a reference wage are added and divided once.
    /// Errors: `pension.reference_wage_missing` (a wage not positive, on `years.<year>`),
    /// `pension.negative_amount` (a negative base).
    pub fn of_months(months: &[IndexedMonth]) -> Result<IndexSum, FieldError> {
        let mut by_wage: BTreeMap<i64, i128> = BTreeMap::new();
        for m in months {
            if m.reference_wage.0 <= 0 {
                return Err(FieldError::at(format!("years.{}", m.period.year()), "pension.avg_wage_missing"));
            }
            if m.base.0 < 0 {
                return Err(FieldError::new("base", "pension.negative_amount"));
            }
            *by_wage.entry(m.reference_wage.0).or_default() += i128::from(m.base.0);
        }
        let sum = by_wage.iter().map(|(&w, &b)| i128::from(half_up(b * INDEX_SCALE, i128::from(w)))).sum();
        Ok(IndexSum { sum, months: months.len() as u32 })
    }

    /// Ī in basis points, half-up; 0 for no months.
    pub fn average_bp(self) -> u32 {
        if self.months == 0 {
            return 0;
        }
        u32::try_from(half_up(self.sum * i128::from(INDEX_ONE_BP), INDEX_SCALE * i128::from(self.months))).unwrap_or(u32::MAX)
    }
}

/// One year of indexed months, for showing the calculation: months, average base, the reference
/// wage(s) and the year's own average index (basis points, display only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct IndexYear {
    pub year: i32,
    pub months: u32,
    pub avg_base_fen: i64,
    /// The reference wages of the year's months (two when the base year turns within it).
    pub reference_wages_fen: Vec<i64>,
    pub index_bp: u32,
}

/// The yearly view of `months` (see [`IndexYear`]).
pub fn index_years(months: &[IndexedMonth]) -> Result<Vec<IndexYear>, FieldError> {
    let mut by_year: BTreeMap<i32, Vec<IndexedMonth>> = BTreeMap::new();
    for m in months {
        by_year.entry(m.period.year()).or_default().push(*m);
    }
    by_year
        .into_iter()
        .map(|(year, ms)| {
            let s = IndexSum::of_months(&ms)?;
            let n = ms.len() as i64;
            let total: i64 = ms.iter().map(|m| m.base.0).sum();
            let mut wages: Vec<i64> = ms.iter().map(|m| m.reference_wage.0).collect();
            wages.sort_unstable();
            wages.dedup();
            Ok(IndexYear {
                year,
                months: n as u32,
                avg_base_fen: half_up(i128::from(total), i128::from(n)),
                reference_wages_fen: wages,
                index_bp: s.average_bp(),
            })
        })
        .collect()
}

/// Everything the basic pension depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PensionInput {
    /// C: the payout base (previous-year average monthly wage), fen per month.
    pub payout_base: Fen,
    /// The monthly contribution indices behind Ī.
    pub indices: IndexSum,
    /// Total contribution months, deemed months included (N = months / 12).
    pub contribution_months: u32,
    /// Deemed contribution months (视同缴费) before personal accounts began; part of `contribution_months`.
    pub deemed_months: u32,
    /// Personal account balance at retirement.
    pub account_balance: Fen,
    /// Retirement age, whole years …
    pub retirement_age_years: u32,
    /// … plus months (0..=11).
    pub retirement_age_months: u32,
    /// Transitional coefficient in basis points: Henan 1.3% = 130.
    pub transitional_coefficient: RateBp,
}

/// The pension and every intermediate value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct PensionBreakdown {
    /// Ī in basis points, rounded half-up (display only; the parts use the exact fraction).
    pub average_index_bp: u32,
    /// N in months.
    pub contribution_months: u32,
    pub deemed_months: u32,
    /// Months divisor used for the account part.
    pub divisor_months: u32,
    pub basic: Fen,
    pub account: Fen,
    pub transitional: Fen,
    /// basic + account + transitional, per month.
    pub total: Fen,
}

/// Months divisor for a retirement age in whole years (see the module documentation). `None`
/// below 40; 56 above 70.
pub fn account_divisor_months(age_years: u32) -> Option<u32> {
    ACCOUNT_DIVISORS.iter().rev().find(|(age, _)| *age <= age_years).map(|&(_, d)| d)
}

/// Checks the minimum contribution months for the year of retirement
/// ([`minimum_contribution_months`]); code `pension.contribution_too_short`.
pub fn check_minimum_years(contribution_months: u32, retirement: Period) -> Result<(), FieldError> {
    if contribution_months < minimum_contribution_months(retirement) {
        return Err(FieldError::new("contribution_months", "pension.contribution_too_short"));
    }
    Ok(())
}

/// The monthly basic pension (formula in the module documentation). Eligibility is not checked here
/// (see [`check_minimum_years`]).
///
/// Errors: `pension.negative_amount` (payout base or balance below zero), `pension.indices_missing`
/// (no index while there are contribution months), `pension.deemed_exceeds_total`,
/// `pension.age_months` (more than 11), `pension.age_not_in_table` (below 40),
/// `pension.coefficient_negative`.
pub fn basic_pension(input: &PensionInput) -> Result<PensionBreakdown, FieldError> {
    if input.payout_base.0 < 0 {
        return Err(FieldError::new("payout_base", "pension.negative_amount"));
    }
    if input.account_balance.0 < 0 {
        return Err(FieldError::new("account_balance", "pension.negative_amount"));
    }
    if input.indices.months == 0 && input.contribution_months > input.deemed_months {
        return Err(FieldError::new("indices", "pension.indices_missing"));
    }
    if input.deemed_months > input.contribution_months {
        return Err(FieldError::new("deemed_months", "pension.deemed_exceeds_total"));
    }
    if input.retirement_age_months > 11 {
        return Err(FieldError::new("retirement_age_months", "pension.age_months"));
    }
    if input.transitional_coefficient.0 < 0 {
        return Err(FieldError::new("transitional_coefficient", "pension.coefficient_negative"));
    }
    let divisor =
        account_divisor_months(input.retirement_age_years).ok_or(FieldError::new("retirement_age_years", "pension.age_not_in_table"))?;

    let c = i128::from(input.payout_base.0);
    let s = input.indices.sum;
    // With no indexed month the index is 0; any count keeps the products well defined.
    let k = i128::from(input.indices.months.max(1));
    let one = INDEX_SCALE;

    // C × (1 + Ī) / 2 × months/12 × 1/100 = C × (Sk + S) × months / (Sk × 2 × 12 × 100), Sk = scale × k.
    let basic = half_up(c * (one * k + s) * i128::from(input.contribution_months), one * k * 2 * 12 * 100);
    let account = half_up(i128::from(input.account_balance.0), i128::from(divisor));
    // C × S/(Sk) × deemed/12 × coefficient/10000.
    let transitional =
        half_up(c * s * i128::from(input.deemed_months) * i128::from(input.transitional_coefficient.0), one * k * 12 * 10_000);

    let (basic, account, transitional) = (Fen(basic), Fen(account), Fen(transitional));
    Ok(PensionBreakdown {
        average_index_bp: input.indices.average_bp(),
        contribution_months: input.contribution_months,
        deemed_months: input.deemed_months,
        divisor_months: divisor,
        basic,
        account,
        transitional,
        total: basic + account + transitional,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn p(s: &str) -> Period {
        s.parse().unwrap()
    }

    /// `n` months from `from`, each at `base` with reference wage `wage` (yuan).
    fn months(from: &str, n: i32, base: i64, wage: i64) -> Vec<IndexedMonth> {
        (0..n)
            .map(|i| IndexedMonth {
                period: p(from).plus_months(i).unwrap(),
                base: Fen::from_yuan(base),
                reference_wage: Fen::from_yuan(wage),
            })
            .collect()
    }

    fn one() -> IndexSum {
        IndexSum::of_months(&months("1996-01", 360, 6385, 6385)).unwrap()
    }

    fn input() -> PensionInput {
        PensionInput {
            payout_base: Fen::from_yuan(6738),
            indices: one(),
            contribution_months: 360,
            deemed_months: 0,
            account_balance: Fen::from_yuan(150_000),
            retirement_age_years: 60,
            retirement_age_months: 0,
            transitional_coefficient: RateBp(130),
        }
    }

    #[test]
    fn reference_example() {
        let b = basic_pension(&input()).unwrap();
        assert_eq!(b.basic.to_string(), "2021.40");
        assert_eq!(b.account.to_string(), "1079.14");
        assert_eq!(b.transitional, Fen::ZERO);
        assert_eq!(b.total.to_string(), "3100.54");
        assert_eq!((b.average_index_bp, b.divisor_months, b.contribution_months), (10_000, 139, 360));
    }

    #[test]
    fn transitional_part_for_deemed_years() {
        // 6,738 × 1.0 × 10 × 1.3% = 875.94.
        let mut i = input();
        i.deemed_months = 120;
        let b = basic_pension(&i).unwrap();
        assert_eq!(b.transitional.to_string(), "875.94");
        assert_eq!(b.total.to_string(), "3976.48");
    }

    #[test]
    fn the_index_is_weighted_by_month_not_by_year() {
        // 36 months at the floor (0.6) and 3 at the ceiling (3.0) in the retirement year:
        // Ī = (36 × 0.6 + 3 × 3.0) / 39 = 30.6 / 39 = 0.784615…, not the yearly mean
        // (0.6 + 0.6 + 0.6 + 3.0) / 4 = 1.2.
        let mut ms = months("2023-07", 36, 3831, 6385);
        ms.extend(months("2026-07", 3, 19_155, 6385));
        let s = IndexSum::of_months(&ms).unwrap();
        assert_eq!((s.months, s.average_bp()), (39, 7846));
        // basic with C 6,738 over 39 + 141 deemed = 180 months (15 years):
        // 6,738 × (1 + 0.7846153…) / 2 × 15 × 1% = 6,738 × 0.8923077 × 0.15 = 901.855 → 901.86;
        // the yearly mean would give 6,738 × 1.1 × 0.15 = 1,111.77, 209.91 a month more for life.
        let b = basic_pension(&PensionInput { indices: s, contribution_months: 180, deemed_months: 141, ..input() }).unwrap();
        assert_eq!(b.basic.to_string(), "901.86");
    }

    #[test]
    fn a_floor_payer_is_0_6_and_a_ceiling_payer_3_0_in_every_year() {
        // (reference wage, floor, ceiling) in fen, as the bounds were set: 60 % and 300 %.
        for (wage, floor, ceiling) in [(638_500, 383_100, 1_915_500), (660_600, 396_360, 1_981_800), (119_017, 71_410, 357_051)] {
            let m = |base: i64| IndexedMonth { period: p("2024-01"), base: Fen(base), reference_wage: Fen(wage) };
            assert_eq!(IndexSum::of_months(&[m(floor)]).unwrap().average_bp(), 6_000, "{wage}");
            assert_eq!(IndexSum::of_months(&[m(ceiling)]).unwrap().average_bp(), 30_000, "{wage}");
        }
    }

    #[test]
    fn months_with_different_reference_wages_each_use_their_own() {
        // Half a year at 6,385 against 6,385 (1.0) and half at 6,385 against a new reference of 7,000.
        let mut ms = months("2025-01", 6, 6385, 6385);
        ms.extend(months("2025-07", 6, 6385, 7000));
        let s = IndexSum::of_months(&ms).unwrap();
        // (6 × 1 + 6 × 0.912142857…) / 12 = 0.956071… → 9,561 bp.
        assert_eq!(s.average_bp(), 9_561);
        let years = index_years(&ms).unwrap();
        assert_eq!(years[0].reference_wages_fen, vec![638_500, 700_000]);
        assert_eq!(years[0].months, 12);
    }

    #[test]
    fn divisor_table_covers_every_age_from_40_to_70() {
        assert_eq!(account_divisor_months(39), None);
        assert_eq!(account_divisor_months(40), Some(233));
        assert_eq!(account_divisor_months(52), Some(185));
        assert_eq!(account_divisor_months(57), Some(158));
        assert_eq!(account_divisor_months(60), Some(139));
        assert_eq!(account_divisor_months(64), Some(109));
        assert_eq!(account_divisor_months(70), Some(56));
        assert_eq!(account_divisor_months(75), Some(56));
        assert!(ACCOUNT_DIVISORS.windows(2).all(|w| w[1].0 == w[0].0 + 1 && w[1].1 < w[0].1));
        // A woman retiring at 52 divides by 185, not by 195 (the age-50 value).
        let mut i = input();
        i.retirement_age_years = 52;
        assert_eq!(basic_pension(&i).unwrap().account.to_string(), "810.81"); // 150,000 / 185
    }

    #[test]
    fn invalid_inputs() {
        let code = |f: fn(&mut PensionInput)| {
            let mut i = input();
            f(&mut i);
            basic_pension(&i).unwrap_err().code
        };
        assert_eq!(code(|i| i.deemed_months = 361), "pension.deemed_exceeds_total");
        assert_eq!(code(|i| i.indices = IndexSum::default()), "pension.indices_missing");
        assert_eq!(code(|i| i.retirement_age_years = 39), "pension.age_not_in_table");
        assert_eq!(code(|i| i.retirement_age_months = 12), "pension.age_months");
        assert_eq!(code(|i| i.account_balance = Fen(-1)), "pension.negative_amount");
        assert_eq!(code(|i| i.payout_base = Fen(-1)), "pension.negative_amount");
        assert_eq!(code(|i| i.transitional_coefficient = RateBp(-1)), "pension.coefficient_negative");
        let bad = [IndexedMonth { period: p("2019-05"), base: Fen(1), reference_wage: Fen(0) }];
        let e = IndexSum::of_months(&bad).unwrap_err();
        assert_eq!((e.field.as_ref(), e.code), ("years.2019", "pension.avg_wage_missing"));
        let neg = [IndexedMonth { period: p("2019-05"), base: Fen(-1), reference_wage: Fen(1) }];
        assert_eq!(IndexSum::of_months(&neg).unwrap_err().code, "pension.negative_amount");
    }

    #[test]
    fn zero_inputs_give_zero_parts() {
        let z = PensionInput {
            payout_base: Fen::ZERO,
            indices: IndexSum::default(),
            contribution_months: 0,
            deemed_months: 0,
            account_balance: Fen::ZERO,
            retirement_age_years: 60,
            retirement_age_months: 0,
            transitional_coefficient: RateBp(0),
        };
        let b = basic_pension(&z).unwrap();
        assert_eq!((b.basic, b.account, b.transitional, b.total, b.average_index_bp), (Fen::ZERO, Fen::ZERO, Fen::ZERO, Fen::ZERO, 0));
        // Only deemed months: the index is 0, the basic part is C/2 × N.
        let d =
            basic_pension(&PensionInput { payout_base: Fen::from_yuan(6738), contribution_months: 180, deemed_months: 180, ..z }).unwrap();
        assert_eq!(d.basic.to_string(), "505.35");
    }

    #[test]
    fn a_month_at_a_zero_base_has_index_zero_and_still_counts() {
        // One month at 0 beside one at the reference wage: Ī = (0 + 1) / 2 = 0.5.
        let zero = IndexedMonth { period: p("2024-01"), base: Fen::ZERO, reference_wage: Fen::from_yuan(6385) };
        let s = IndexSum::of_months(&[zero]).unwrap();
        assert_eq!((s.sum, s.months, s.average_bp()), (0, 1, 0));
        let mut ms = vec![zero];
        ms.extend(months("2024-02", 1, 6385, 6385));
        assert_eq!(IndexSum::of_months(&ms).unwrap().average_bp(), 5_000);
        assert_eq!(IndexSum::default().average_bp(), 0);
    }

    #[test]
    fn minimum_years() {
        assert!(check_minimum_years(180, p("2029-12")).is_ok());
        assert_eq!(check_minimum_years(185, p("2030-01")).unwrap_err().code, "pension.contribution_too_short");
        assert!(check_minimum_years(186, p("2030-01")).is_ok());
    }

    fn arb_input() -> impl Strategy<Value = PensionInput> {
        (
            0i64..=5_000_000,
            prop::collection::vec((2_000i64..=60_000, 2_000i64..=20_000), 1..60),
            0u32..=600,
            0i64..=1_000_000_000,
            40u32..=75,
            0u32..=11,
            0i32..=200,
        )
            .prop_map(|(c, ms, deemed, bal, age, age_m, coef)| {
                let months: Vec<IndexedMonth> = ms
                    .iter()
                    .enumerate()
                    .map(|(i, &(b, w))| IndexedMonth {
                        period: p("2010-01").plus_months(i as i32).unwrap(),
                        base: Fen::from_yuan(b),
                        reference_wage: Fen::from_yuan(w),
                    })
                    .collect();
                let indices = IndexSum::of_months(&months).unwrap();
                PensionInput {
                    payout_base: Fen(c),
                    indices,
                    contribution_months: indices.months + deemed,
                    deemed_months: deemed,
                    account_balance: Fen(bal),
                    retirement_age_years: age,
                    retirement_age_months: age_m,
                    transitional_coefficient: RateBp(coef),
                }
            })
    }

    proptest! {
        #[test]
        fn total_is_never_negative_and_adds_up(i in arb_input()) {
            let b = basic_pension(&i).unwrap();
            prop_assert!(b.total >= Fen::ZERO && b.basic >= Fen::ZERO && b.account >= Fen::ZERO && b.transitional >= Fen::ZERO);
            prop_assert_eq!(b.total, b.basic + b.account + b.transitional);
        }

        #[test]
        fn monotone_in_contribution_months(i in arb_input(), extra in 0u32..=120) {
            let mut more = i;
            more.contribution_months += extra;
            more.deemed_months += extra;
            prop_assert!(basic_pension(&more).unwrap().total >= basic_pension(&i).unwrap().total);
        }

        #[test]
        fn monotone_in_account_balance(i in arb_input(), extra in 0i64..=100_000_000) {
            let mut more = i;
            more.account_balance = Fen(i.account_balance.0 + extra);
            prop_assert!(basic_pension(&more).unwrap().total >= basic_pension(&i).unwrap().total);
        }

        #[test]
        fn the_index_of_equal_ratios_is_that_ratio(n in 1i32..=120, pct in 60i64..=300) {
            // base = pct % of the wage: Ī is exactly pct/100 whatever the months.
            let ms = months("2020-01", n, 6385 * pct, 638_500);
            prop_assert_eq!(IndexSum::of_months(&ms).unwrap().average_bp(), (pct * 100) as u32);
        }
    }
}
