//! Unemployment benefit (State Council Decree 258, 1999; REFERENCE §7): entitlement duration and the
//! monthly amount.
//!
//! Eligibility here covers what the figures decide: at least 12 months contributed and an involuntary
//! job loss. Registration as unemployed and seeking work are procedural and checked elsewhere.

use super::half_up;
use crate::error::FieldError;
use crate::money::{Fen, RateBp};

/// The longest entitlement, also the cap when an unused prior entitlement is carried over.
pub const MAX_ENTITLEMENT_MONTHS: u32 = 24;

/// The highest share of the minimum wage the benefit may be set at (90%, since 2019).
pub const MAX_PERCENT: RateBp = RateBp(9000);

/// Months of benefit by months contributed: < 12 → 0; 12–59 → 12; 60–119 → 18; ≥ 120 → 24.
pub fn entitlement_months(contributed_months: u32) -> u32 {
    match contributed_months {
        0..=11 => 0,
        12..=59 => 12,
        60..=119 => 18,
        _ => MAX_ENTITLEMENT_MONTHS,
    }
}

/// New entitlement plus the unused months of a previous one (after re-employment), capped at 24.
pub fn with_carry_over(new_months: u32, unused_prior_months: u32) -> u32 {
    new_months.saturating_add(unused_prior_months).min(MAX_ENTITLEMENT_MONTHS)
}

/// Whether the figures allow a benefit: `unemployment.contribution_too_short` (field
/// `contributed_months`, under 12 months) or `unemployment.not_involuntary` (field `involuntary`).
pub fn eligible(contributed_months: u32, involuntary: bool) -> Result<(), FieldError> {
    if contributed_months < 12 {
        return Err(FieldError::new("contributed_months", "unemployment.contribution_too_short"));
    }
    if !involuntary {
        return Err(FieldError::new("involuntary", "unemployment.not_involuntary"));
    }
    Ok(())
}

/// `min_wage × percent`, half-up to the fen, without any check (for showing what a rejected setting
/// would give). Negative inputs count as zero.
pub fn computed_amount(min_wage: Fen, percent: RateBp) -> Fen {
    Fen(half_up(i128::from(min_wage.0.max(0)) * i128::from(percent.0.max(0)), 10_000))
}

/// Monthly benefit = minimum wage × percent, half-up to the fen. The amount is never clamped: it must
/// lie strictly between the subsistence allowance and the minimum wage, and the percent may be at most
/// 90%, else an error (field `percent` unless said otherwise):
/// `unemployment.min_wage_invalid` (field `min_wage`, not positive), `unemployment.percent_invalid`
/// (negative), `unemployment.percent_above_max` (over 90%), `unemployment.not_below_min_wage`,
/// `unemployment.not_above_subsistence`.
pub fn monthly_amount(min_wage: Fen, subsistence: Fen, percent: RateBp) -> Result<Fen, FieldError> {
    if min_wage.0 <= 0 {
        return Err(FieldError::new("min_wage", "unemployment.min_wage_invalid"));
    }
    if percent.0 < 0 {
        return Err(FieldError::new("percent", "unemployment.percent_invalid"));
    }
    if percent > MAX_PERCENT {
        return Err(FieldError::new("percent", "unemployment.percent_above_max"));
    }
    let amount = computed_amount(min_wage, percent);
    if amount >= min_wage {
        return Err(FieldError::new("percent", "unemployment.not_below_min_wage"));
    }
    if amount <= subsistence {
        return Err(FieldError::new("percent", "unemployment.not_above_subsistence"));
    }
    Ok(amount)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn entitlement_boundaries() {
        for (months, expect) in [(0, 0), (11, 0), (12, 12), (59, 12), (60, 18), (119, 18), (120, 24), (400, 24)] {
            assert_eq!(entitlement_months(months), expect, "{months}");
        }
    }

    #[test]
    fn carry_over_is_capped() {
        assert_eq!(with_carry_over(12, 6), 18);
        assert_eq!(with_carry_over(18, 6), 24);
        assert_eq!(with_carry_over(18, 7), 24);
        assert_eq!(with_carry_over(24, 24), 24);
        assert_eq!(with_carry_over(0, 5), 5);
        assert_eq!(with_carry_over(u32::MAX, 1), 24);
    }

    #[test]
    fn eligibility() {
        assert_eq!(eligible(11, true).unwrap_err().code, "unemployment.contribution_too_short");
        assert_eq!(eligible(12, false).unwrap_err().code, "unemployment.not_involuntary");
        assert!(eligible(12, true).is_ok());
    }

    #[test]
    fn amounts() {
        // Henan class-1 minimum wage 2,000; subsistence made up at 800.
        let (min, sub) = (Fen::from_yuan(2000), Fen::from_yuan(800));
        assert_eq!(monthly_amount(min, sub, RateBp(9000)).unwrap().to_string(), "1800.00");
        assert_eq!(monthly_amount(Fen(123_457), Fen(0), RateBp(8500)).unwrap(), Fen(104_938)); // 104,938.45
        assert_eq!(monthly_amount(Fen(100_001), Fen(0), RateBp(5000)).unwrap(), Fen(50_001)); // 50,000.5 half-up
        assert_eq!(monthly_amount(min, sub, RateBp(9001)).unwrap_err().code, "unemployment.percent_above_max");
        assert_eq!(monthly_amount(min, sub, RateBp(4000)).unwrap_err().code, "unemployment.not_above_subsistence");
        assert_eq!(computed_amount(min, RateBp(4000)), sub);
        assert_eq!(monthly_amount(min, sub, RateBp(4001)).unwrap().to_string(), "800.20");
        assert_eq!(monthly_amount(Fen(1), Fen(0), RateBp(9000)).unwrap_err().code, "unemployment.not_below_min_wage");
        assert_eq!(monthly_amount(Fen(0), sub, RateBp(9000)).unwrap_err().code, "unemployment.min_wage_invalid");
        assert_eq!(monthly_amount(min, sub, RateBp(-1)).unwrap_err().code, "unemployment.percent_invalid");
    }

    proptest! {
        #[test]
        fn entitlement_is_monotone(a in 0u32..1000, b in 0u32..1000) {
            let (lo, hi) = (a.min(b), a.max(b));
            prop_assert!(entitlement_months(lo) <= entitlement_months(hi));
            prop_assert!(entitlement_months(hi) <= MAX_ENTITLEMENT_MONTHS);
        }
    }
}
