//! Basic pension of enterprise employees (State Council 2005 No. 38; REFERENCE §6) and the personal
//! account it draws on.
//!
//! # Formula and representation
//!
//! - Basic part = (C + C × Ī) / 2 × N × 1%, with C the payout base, Ī the average contribution index
//!   and N the contribution years **including deemed years** (视同缴费年限).
//! - Account part = personal account balance ÷ months divisor for the retirement age.
//! - Transitional part = C × Ī × deemed years × coefficient (Henan 1.3%).
//!
//! Indices are basis points of 1.0 (1.0 = 10 000). Ī is carried exactly as the fraction
//! `sum_bp / (10 000 × count)`, never rounded before use; years are months / 12, also exact. Each part
//! is one i128 product divided once, half-up to the fen; the total is the sum of the rounded parts.
//! [`PensionBreakdown::average_index_bp`] is Ī rounded half-up for display only.
//!
//! # Months divisor
//!
//! [`ACCOUNT_DIVISORS`] holds the ages listed in REFERENCE §6. An age that is not listed (including
//! any extra months, e.g. 60 years 4 months under the 2025 raise, or 57 years) uses the divisor of the
//! nearest **lower** listed age; ages below 50 are refused and ages above 70 use 56. Note that the
//! 2005 national table itself lists every whole age from 40 to 70 (e.g. 52 → 185, 64 → 109); extend
//! the table here when those values are confirmed for the project.

use std::collections::BTreeMap;

use serde::Serialize;

use super::half_up;
use super::retirement::minimum_contribution_months;
use crate::error::FieldError;
use crate::money::{Fen, RateBp};
use crate::period::Period;

/// 1.0 as an index in basis points.
pub const INDEX_ONE_BP: u32 = 10_000;

/// (retirement age in whole years, months divisor) as listed in REFERENCE §6, ascending by age.
pub const ACCOUNT_DIVISORS: [(u32, u32); 8] = [(50, 195), (55, 170), (60, 139), (61, 132), (62, 125), (63, 117), (65, 101), (70, 56)];

/// The yearly contribution indices as an exact sum and count, so that Ī = `sum_bp / (10 000 × count)`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct IndexSum {
    /// Σ of the yearly indices, each in basis points of 1.0.
    pub sum_bp: u64,
    /// Number of indices summed (contribution years with an index).
    pub count: u32,
}

impl IndexSum {
    /// Sum and count of a list of yearly indices in basis points.
    pub fn of(indices_bp: &[u32]) -> IndexSum {
        IndexSum { sum_bp: indices_bp.iter().map(|&i| u64::from(i)).sum(), count: indices_bp.len() as u32 }
    }

    /// Ī in basis points, half-up; 0 for no indices.
    pub fn average_bp(self) -> u32 {
        if self.count == 0 {
            return 0;
        }
        u32::try_from(half_up(i128::from(self.sum_bp), i128::from(self.count))).unwrap_or(u32::MAX)
    }
}

/// Everything the basic pension depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PensionInput {
    /// C: the payout base (previous-year average monthly wage), fen per month.
    pub payout_base: Fen,
    /// The yearly contribution indices behind Ī.
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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

/// Index of one year: `base ÷ average wage` in basis points, half-up. `None` when the average wage is
/// not positive or the base is negative.
pub fn contribution_index_bp(base: Fen, avg_wage: Fen) -> Option<u32> {
    if avg_wage.0 <= 0 || base.0 < 0 {
        return None;
    }
    u32::try_from(half_up(i128::from(base.0) * i128::from(INDEX_ONE_BP), i128::from(avg_wage.0))).ok()
}

/// Ī of yearly indices in basis points, half-up; 0 for an empty list.
pub fn average_index_bp(indices_bp: &[u32]) -> u32 {
    IndexSum::of(indices_bp).average_bp()
}

/// Months divisor for a retirement age: the listed age, or the nearest lower listed one (see the module
/// documentation). `None` below 50.
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
/// `pension.age_months` (more than 11), `pension.age_not_in_table` (below 50),
/// `pension.coefficient_negative`.
pub fn basic_pension(input: &PensionInput) -> Result<PensionBreakdown, FieldError> {
    if input.payout_base.0 < 0 {
        return Err(FieldError::new("payout_base", "pension.negative_amount"));
    }
    if input.account_balance.0 < 0 {
        return Err(FieldError::new("account_balance", "pension.negative_amount"));
    }
    if input.indices.count == 0 && input.contribution_months > 0 {
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
    let s = i128::from(input.indices.sum_bp);
    // With no index there are no contribution months; any count keeps the products at zero.
    let k = i128::from(input.indices.count.max(1));
    let one = i128::from(INDEX_ONE_BP);

    // C × (1 + Ī) / 2 × months/12 × 1/100 = C × (10000k + S) × months / (10000k × 2 × 12 × 100).
    let basic = half_up(c * (one * k + s) * i128::from(input.contribution_months), one * k * 2 * 12 * 100);
    let account = half_up(i128::from(input.account_balance.0), i128::from(divisor));
    // C × S/(10000k) × deemed/12 × coefficient/10000.
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

/// Personal account balance at the end of the last year in `credits`.
///
/// Convention (simple, yearly): years run from the first to the last year in `credits` (gap years
/// included; add `(year, Fen::ZERO)` to carry the balance further), and for each year
/// `end = half_up(start × (10000 + rate) / 10000) + credits of that year`. A year's credits thus earn
/// interest from the next year on. (The agencies also credit the current year's contributions with
/// interest by monthly products, 按月积数; that is not modelled.) Several credits for one year add up.
///
/// `rates` are (year, yearly rate in basis points, e.g. 2023 → 397 for 3.97%). A rate is required for
/// every year that starts with a positive balance: `account.rate_missing` on field `rates`;
/// negative credits or rates: `account.negative`.
pub fn personal_account(credits: &[(i32, Fen)], rates: &[(i32, RateBp)]) -> Result<Fen, FieldError> {
    let mut by_year: BTreeMap<i32, i64> = BTreeMap::new();
    for &(year, credit) in credits {
        if credit.0 < 0 {
            return Err(FieldError::new("credits", "account.negative"));
        }
        *by_year.entry(year).or_default() += credit.0;
    }
    let rates: BTreeMap<i32, i32> = rates.iter().map(|&(y, r)| (y, r.0)).collect();
    if rates.values().any(|r| *r < 0) {
        return Err(FieldError::new("rates", "account.negative"));
    }
    let (Some(&first), Some(&last)) = (by_year.keys().next(), by_year.keys().next_back()) else {
        return Ok(Fen::ZERO);
    };
    let mut balance: i64 = 0;
    for year in first..=last {
        if balance > 0 {
            let rate = *rates.get(&year).ok_or(FieldError::new("rates", "account.rate_missing"))?;
            balance = half_up(i128::from(balance) * i128::from(10_000 + rate), 10_000);
        }
        balance += by_year.get(&year).copied().unwrap_or(0);
    }
    Ok(Fen(balance))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn input() -> PensionInput {
        PensionInput {
            payout_base: Fen::from_yuan(6738),
            indices: IndexSum::of(&[10_000; 30]),
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
    fn single_pair_equals_the_list() {
        let mut i = input();
        i.indices = IndexSum { sum_bp: 10_000, count: 1 };
        assert_eq!(basic_pension(&i).unwrap().total.to_string(), "3100.54");
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
    fn exact_index_and_fractional_years() {
        // Ī = (8,000 + 12,345 + 15,000)/3 bp = 1.178166…; N = 25.5 years.
        // basic = 6,738 × 2.178166…/2 × 25.5 × 1% = 1,871.2520… → 1,871.25 (rounding Ī first to
        // 1.1782 would give 1,871.28).
        let mut i = input();
        i.indices = IndexSum::of(&[8_000, 12_345, 15_000]);
        i.contribution_months = 306;
        let b = basic_pension(&i).unwrap();
        assert_eq!(b.average_index_bp, 11_782);
        assert_eq!(b.basic.to_string(), "1871.25");
    }

    #[test]
    fn divisor_uses_nearest_lower_listed_age() {
        assert_eq!(account_divisor_months(49), None);
        assert_eq!(account_divisor_months(50), Some(195));
        assert_eq!(account_divisor_months(54), Some(195));
        assert_eq!(account_divisor_months(55), Some(170));
        assert_eq!(account_divisor_months(60), Some(139));
        assert_eq!(account_divisor_months(61), Some(132));
        assert_eq!(account_divisor_months(62), Some(125));
        assert_eq!(account_divisor_months(63), Some(117));
        assert_eq!(account_divisor_months(64), Some(117));
        assert_eq!(account_divisor_months(65), Some(101));
        assert_eq!(account_divisor_months(70), Some(56));
        assert_eq!(account_divisor_months(75), Some(56));
        let mut i = input();
        i.retirement_age_years = 62;
        i.retirement_age_months = 10;
        assert_eq!(basic_pension(&i).unwrap().account.to_string(), "1200.00"); // 150,000 / 125
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
        assert_eq!(code(|i| i.retirement_age_years = 45), "pension.age_not_in_table");
        assert_eq!(code(|i| i.retirement_age_months = 12), "pension.age_months");
        assert_eq!(code(|i| i.account_balance = Fen(-1)), "pension.negative_amount");
        assert_eq!(code(|i| i.transitional_coefficient = RateBp(-1)), "pension.coefficient_negative");
    }

    #[test]
    fn indices() {
        assert_eq!(contribution_index_bp(Fen::from_yuan(5000), Fen::from_yuan(6385)), Some(7831)); // 0.78308…
        assert_eq!(contribution_index_bp(Fen::from_yuan(19155), Fen::from_yuan(6385)), Some(30_000));
        assert_eq!(contribution_index_bp(Fen(1), Fen(0)), None);
        assert_eq!(average_index_bp(&[10_000, 10_001]), 10_001); // 10,000.5 half-up
        assert_eq!(average_index_bp(&[]), 0);
    }

    #[test]
    fn minimum_years() {
        let p = |s: &str| s.parse::<Period>().unwrap();
        assert!(check_minimum_years(180, p("2029-12")).is_ok());
        assert_eq!(check_minimum_years(185, p("2030-01")).unwrap_err().code, "pension.contribution_too_short");
        assert!(check_minimum_years(186, p("2030-01")).is_ok());
    }

    #[test]
    fn account_with_reference_rates() {
        // 4,800/year credited 2016–2018 with the 2017 and 2018 rates 7.12% and 8.29%:
        // 2016 4,800.00; 2017 4,800 × 1.0712 + 4,800 = 9,941.76; 2018 9,941.76 × 1.0829 = 10,765.931904 → 10,765.93 + 4,800.
        let credits = [(2016, Fen::from_yuan(4800)), (2017, Fen::from_yuan(4800)), (2018, Fen::from_yuan(4800))];
        let rates = [(2016, RateBp(831)), (2017, RateBp(712)), (2018, RateBp(829)), (2019, RateBp(761))];
        assert_eq!(personal_account(&credits, &rates).unwrap().to_string(), "15565.93");
        // A zero credit carries the balance into 2019: 15,565.93 × 1.0761 = 16,750.4973 → 16,750.50.
        let mut more = credits.to_vec();
        more.push((2019, Fen::ZERO));
        assert_eq!(personal_account(&more, &rates).unwrap().to_string(), "16750.50");
        assert_eq!(personal_account(&more, &rates[..3]).unwrap_err().code, "account.rate_missing");
        assert_eq!(personal_account(&[], &rates).unwrap(), Fen::ZERO);
        assert_eq!(personal_account(&[(2016, Fen(-1))], &rates).unwrap_err().code, "account.negative");
    }

    #[test]
    fn account_credits_in_any_order_and_split() {
        let rates = [(2017, RateBp(712))];
        let a = personal_account(&[(2017, Fen(100)), (2016, Fen(200_000)), (2016, Fen(280_000))], &rates).unwrap();
        assert_eq!(a, Fen(514_276)); // 480,000 × 1.0712 = 514,176 + 100
    }

    fn arb_input() -> impl Strategy<Value = PensionInput> {
        (
            0i64..=5_000_000,
            prop::collection::vec(0u32..=30_000, 1..40),
            0u32..=600,
            0u32..=600,
            0i64..=1_000_000_000,
            50u32..=75,
            0u32..=11,
            0i32..=200,
        )
            .prop_map(|(c, idx, months, deemed, bal, age, age_m, coef)| PensionInput {
                payout_base: Fen(c),
                indices: IndexSum::of(&idx),
                contribution_months: months,
                deemed_months: deemed.min(months),
                account_balance: Fen(bal),
                retirement_age_years: age,
                retirement_age_months: age_m,
                transitional_coefficient: RateBp(coef),
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
            prop_assert!(basic_pension(&more).unwrap().total >= basic_pension(&i).unwrap().total);
        }

        #[test]
        fn monotone_in_account_balance(i in arb_input(), extra in 0i64..=100_000_000) {
            let mut more = i;
            more.account_balance = Fen(i.account_balance.0 + extra);
            prop_assert!(basic_pension(&more).unwrap().total >= basic_pension(&i).unwrap().total);
        }
    }
}
