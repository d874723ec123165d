//! Unemployment benefit (失业保险条例, State Council Decree 258, 1999; docs/rules.md §7): the contribution
//! time that counts, the entitlement, the months it runs and the monthly amount.
//!
//! - Art. 14: at least one year contributed (by employer and employee) and an involuntary job loss.
//!   Registration as unemployed and seeking work is required by the caller.
//! - Art. 17: months of benefit by the contribution time (1–5 years → 12, 5–10 → 18, ≥ 10 → 24). A
//!   person unemployed again after re-employment starts a new contribution time (再次失业的，缴费时间
//!   重新计算): only the months after the earlier benefit count, and the months of the earlier one
//!   that were not drawn add on, the total at most 24 months. Following 失业保险金申领发放办法 (2000)
//!   the unused months may also be drawn when the new time is under a year.
//! - Art. 18: the benefit is set by the province below the local minimum wage and above the
//!   subsistence allowance; the minimum wage is that of the person's county ([`super::min_wage`]).
//! - Paid from the day of unemployment registration (art. 18 and 办法 art. 5): whole months, from the
//!   month of the registration date ([`benefit_period`]).

use chrono::NaiveDate;

use super::half_up;
use crate::error::FieldError;
use crate::money::{Fen, RateBp};
use crate::period::Period;

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
/// For a first benefit; after an earlier one see [`entitlement`].
pub fn eligible(contributed_months: u32, involuntary: bool) -> Result<(), FieldError> {
    entitlement(contributed_months, 0, involuntary).map(|_| ())
}

/// The earlier unemployment benefit of the person, as far as art. 17 needs it: the months it
/// entitled to (with what it carried over itself) and its benefit period — the months that were
/// due, from its first month to its last (the month it ran out, or the month before it was stopped).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PriorBenefit {
    pub entitled_months: u32,
    pub first: Period,
    pub last: Period,
}

impl PriorBenefit {
    /// Whether any month was due: a benefit stopped before its first month was never drawn and
    /// neither restarts the contribution time nor carries anything over.
    pub fn ran(&self) -> bool {
        self.last >= self.first
    }

    /// Months drawn: the months of the benefit period (paid, or due and still to be paid).
    pub fn used_months(&self) -> u32 {
        if self.ran() {
            u32::try_from(self.last.index() - self.first.index() + 1).unwrap_or(0)
        } else {
            0
        }
    }

    /// Months of the entitlement not drawn: entitled − used, never negative; none for a benefit
    /// that never ran (its contribution time was not used up either).
    pub fn unused_months(&self) -> u32 {
        if self.ran() {
            self.entitled_months.saturating_sub(self.used_months())
        } else {
            0
        }
    }
}

/// The earlier benefit that restarts the contribution time (art. 17): the one whose benefit period
/// ends last among those that ran (a benefit period of at least one month).
pub fn last_benefit(benefits: &[PriorBenefit]) -> Option<PriorBenefit> {
    last_benefit_index(benefits).map(|i| benefits[i])
}

/// As [`last_benefit`], its position in `benefits` (the latest of equal periods: the last given).
pub fn last_benefit_index(benefits: &[PriorBenefit]) -> Option<usize> {
    benefits.iter().enumerate().filter(|(_, b)| b.ran()).max_by_key(|(i, b)| (b.last, b.first, *i)).map(|(i, _)| i)
}

/// Contribution months that count for a new entitlement (art. 17): the distinct paid months up to
/// and including the month of separation and, after an earlier benefit, strictly after the last
/// month of its benefit period.
pub fn counted_months(paid: &[Period], separation: Period, prior: Option<&PriorBenefit>) -> u32 {
    let after = prior.filter(|p| p.ran()).map(|p| p.last);
    let mut months: Vec<Period> = paid.iter().copied().filter(|m| *m <= separation && after.is_none_or(|a| *m > a)).collect();
    months.sort_unstable();
    months.dedup();
    u32::try_from(months.len()).unwrap_or(u32::MAX)
}

/// The entitlement of a new job loss (art. 14, 17).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entitlement {
    /// Months from the contribution time since the restart, by the art. 17 table.
    pub new_months: u32,
    /// Unused months of the earlier benefit.
    pub unused_prior_months: u32,
    /// `new_months + unused_prior_months`, at most 24.
    pub months: u32,
}

/// Entitlement = table(counted months) + unused months of the earlier benefit, capped at 24.
///
/// Refused with `unemployment.not_involuntary` (field `involuntary`) for a voluntary job loss, and
/// with `unemployment.contribution_too_short` (field `contributed_months`) when the counted months
/// are under 12 and nothing of an earlier benefit is left (失业保险金申领发放办法: after
/// re-employment of under a year the unused months of the earlier benefit may still be drawn).
pub fn entitlement(counted_months: u32, unused_prior_months: u32, involuntary: bool) -> Result<Entitlement, FieldError> {
    let new_months = entitlement_months(counted_months);
    if new_months == 0 && unused_prior_months == 0 {
        return Err(FieldError::new("contributed_months", "unemployment.contribution_too_short"));
    }
    if !involuntary {
        return Err(FieldError::new("involuntary", "unemployment.not_involuntary"));
    }
    Ok(Entitlement { new_months, unused_prior_months, months: with_carry_over(new_months, unused_prior_months) })
}

/// The months the benefit is due (art. 18: from the day of unemployment registration): from the
/// month of the registration date — that whole month, whatever the day — for `months` months.
/// `None` when `months` is 0. Refused with `unemployment.registered_before_separation` (field
/// `separated_on`) when the registration is dated before the job ended (a person still employed
/// cannot be registered unemployed).
pub fn benefit_period(registered_on: NaiveDate, separated_on: NaiveDate, months: u32) -> Result<Option<(Period, Period)>, FieldError> {
    if registered_on < separated_on {
        return Err(FieldError::new("separated_on", "unemployment.registered_before_separation"));
    }
    if months == 0 {
        return Ok(None);
    }
    let first = Period::of_date(registered_on);
    let last = i32::try_from(months - 1).ok().and_then(|n| first.plus_months(n));
    Ok(last.map(|last| (first, last)))
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
        // 0 % is a percent, not an invalid one: it fails because nothing is above the subsistence level.
        assert_eq!(monthly_amount(min, sub, RateBp(0)).unwrap_err().code, "unemployment.not_above_subsistence");
        assert_eq!(monthly_amount(Fen(-1), sub, RateBp(9000)).unwrap_err().code, "unemployment.min_wage_invalid");
    }

    fn p(s: &str) -> Period {
        s.parse().unwrap()
    }

    /// Every month from `from` to `to` inclusive.
    fn span(from: &str, to: &str) -> Vec<Period> {
        let (a, b) = (p(from).index(), p(to).index());
        (a..=b).filter_map(Period::from_index).collect()
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// The example: 120 months paid (2011-01..2020-12), the full 24-month benefit
    /// (2021-01..2022-12), then 14 months' work (2023-01..2024-02): 14 months count → 12 months of
    /// benefit, nothing unused. Counting every month ever paid (134) would give 24.
    #[test]
    fn contribution_time_restarts_after_a_benefit() {
        let paid = [span("2011-01", "2020-12"), span("2023-01", "2024-02")].concat();
        let prior = PriorBenefit { entitled_months: 24, first: p("2021-01"), last: p("2022-12") };
        assert_eq!(counted_months(&paid, p("2024-02"), None), 134);
        let counted = counted_months(&paid, p("2024-02"), Some(&prior));
        assert_eq!(counted, 14);
        let e = entitlement(counted, prior.unused_months(), true).unwrap();
        assert_eq!(e, Entitlement { new_months: 12, unused_prior_months: 0, months: 12 });
    }

    /// Cut short: 24 entitled from 2021-01, stopped on re-employment after 2022-08 (20 months drawn,
    /// 4 unused); 14 months' work 2022-09..2023-10 → 12 + 4 = 16.
    #[test]
    fn unused_months_of_a_benefit_cut_short_add_on() {
        let paid = [span("2011-01", "2020-12"), span("2022-09", "2023-10")].concat();
        let prior = PriorBenefit { entitled_months: 24, first: p("2021-01"), last: p("2022-08") };
        assert_eq!((prior.used_months(), prior.unused_months()), (20, 4));
        let e = entitlement(counted_months(&paid, p("2023-10"), Some(&prior)), prior.unused_months(), true).unwrap();
        assert_eq!(e, Entitlement { new_months: 12, unused_prior_months: 4, months: 16 });
        // 60 months after an 18-month benefit with 10 unused: 18 + 10 → capped at 24.
        assert_eq!(entitlement(60, 10, true).unwrap().months, 24);
        // Re-employed under a year: only the unused months (失业保险金申领发放办法).
        assert_eq!(entitlement(5, 4, true).unwrap(), Entitlement { new_months: 0, unused_prior_months: 4, months: 4 });
        assert_eq!(entitlement(5, 0, true).unwrap_err().code, "unemployment.contribution_too_short");
        assert_eq!(entitlement(5, 4, false).unwrap_err().code, "unemployment.not_involuntary");
    }

    #[test]
    fn a_benefit_that_never_ran_restarts_nothing() {
        let never = PriorBenefit { entitled_months: 12, first: p("2021-01"), last: p("2020-12") };
        assert!(!never.ran());
        assert_eq!((never.used_months(), never.unused_months()), (0, 0));
        let paid = span("2018-01", "2020-12");
        assert_eq!(counted_months(&paid, p("2020-12"), Some(&never)), 36);
        let ran = PriorBenefit { entitled_months: 12, first: p("2019-01"), last: p("2019-03") };
        assert_eq!(last_benefit(&[never, ran]), Some(ran));
        let later = PriorBenefit { entitled_months: 12, first: p("2020-01"), last: p("2020-02") };
        assert_eq!(last_benefit(&[later, ran, never]), Some(later));
        assert_eq!(last_benefit(&[never]), None);
        // Months counted only once, and none after the separation month.
        assert_eq!(counted_months(&[p("2020-01"), p("2020-01"), p("2020-03")], p("2020-02"), None), 1);
        // Used months are never more than entitled for the unused count.
        assert_eq!(PriorBenefit { entitled_months: 3, first: p("2021-01"), last: p("2021-12") }.unused_months(), 0);
    }

    #[test]
    fn the_last_month_of_the_earlier_benefit_does_not_count_again() {
        // Paid 2022-10 .. 2023-03 around a benefit that ended 2022-12: only 2023-01 .. 2023-03 count.
        let prior = PriorBenefit { entitled_months: 12, first: p("2022-10"), last: p("2022-12") };
        let paid = span("2022-10", "2023-03");
        assert_eq!(counted_months(&paid, p("2023-03"), Some(&prior)), 3);
        assert_eq!(counted_months(&[p("2022-12")], p("2023-03"), Some(&prior)), 0);
        assert_eq!(counted_months(&[p("2023-01")], p("2023-03"), Some(&prior)), 1);
        // The separation month itself counts.
        assert_eq!(counted_months(&[p("2023-03")], p("2023-03"), Some(&prior)), 1);
    }

    /// Art. 18: from the month of the registration date (the whole month), for the months entitled.
    #[test]
    fn benefit_period_from_the_registration_month() {
        let period = benefit_period(d("2026-03-17"), d("2026-01-31"), 12).unwrap();
        assert_eq!(period, Some((p("2026-03"), p("2027-02"))));
        assert_eq!(benefit_period(d("2026-01-31"), d("2026-01-31"), 1).unwrap(), Some((p("2026-01"), p("2026-01"))));
        assert_eq!(benefit_period(d("2024-03-04"), d("2024-02-29"), 24).unwrap(), Some((p("2024-03"), p("2026-02"))));
        assert_eq!(benefit_period(d("2026-03-17"), d("2026-01-31"), 0).unwrap(), None);
        assert_eq!(benefit_period(d("2026-03-17"), d("2026-03-20"), 12).unwrap_err().code, "unemployment.registered_before_separation");
    }

    proptest! {
        /// More counted months or more unused months never give fewer months; never above 24; the
        /// result is at least the unused months (up to the cap).
        #[test]
        fn entitlement_is_monotone_and_capped(c1 in 0u32..400, c2 in 0u32..400, u1 in 0u32..30, u2 in 0u32..30) {
            let (clo, chi, ulo, uhi) = (c1.min(c2), c1.max(c2), u1.min(u2), u1.max(u2));
            if let Ok(lo) = entitlement(clo, ulo, true) {
                let hi = entitlement(chi, uhi, true).unwrap();
                prop_assert!(lo.months <= hi.months);
                prop_assert!(hi.months <= MAX_ENTITLEMENT_MONTHS);
                prop_assert!(lo.months >= lo.unused_prior_months.min(MAX_ENTITLEMENT_MONTHS));
            } else {
                prop_assert!(clo < 12 && ulo == 0);
            }
        }

        /// The restart only removes months: counted months after a benefit are never more than
        /// without it, never more than the paid months, and grow with the separation month.
        #[test]
        fn restart_only_removes_months(start in 0i32..300, len in 0i32..300, ben in 0i32..400, blen in 0i32..30, sep in 0i32..700) {
            let base = p("2000-01").index();
            let paid: Vec<Period> = (base + start..base + start + len).filter_map(Period::from_index).collect();
            let first = Period::from_index(base + ben).unwrap();
            let prior = PriorBenefit { entitled_months: 24, first, last: Period::from_index(base + ben + blen - 1).unwrap() };
            let sep_p = Period::from_index(base + sep).unwrap();
            let with = counted_months(&paid, sep_p, Some(&prior));
            let without = counted_months(&paid, sep_p, None);
            prop_assert!(with <= without);
            prop_assert!(without as usize <= paid.len());
            let later = Period::from_index(base + sep + 1).unwrap();
            prop_assert!(counted_months(&paid, later, Some(&prior)) >= with);
            prop_assert!(prior.unused_months() <= prior.entitled_months);
        }

        /// The benefit period always has exactly the months entitled and starts in the registration month.
        #[test]
        fn period_has_the_months_entitled(days in 0i64..20_000, after in 0i64..400, months in 1u32..=24) {
            let separated = d("1995-01-01") + chrono::Duration::days(days);
            let registered = separated + chrono::Duration::days(after);
            let (first, last) = benefit_period(registered, separated, months).unwrap().unwrap();
            prop_assert_eq!(first, Period::of_date(registered));
            prop_assert_eq!(last.index() - first.index() + 1, months as i32);
        }

        /// Zero and negative inputs: the amount is never negative and never above the minimum wage.
        #[test]
        fn amount_never_negative(min in -1_000_000i64..1_000_000, pct in -20_000i32..20_000) {
            let a = computed_amount(Fen(min), RateBp(pct));
            prop_assert!(a.0 >= 0);
            if let Ok(m) = monthly_amount(Fen(min), Fen(0), RateBp(pct)) {
                prop_assert!(m.0 > 0 && m < Fen(min));
            }
        }

        /// A higher minimum wage (a lower class number) never gives a lower benefit.
        #[test]
        fn amount_monotone_in_min_wage(a in 0i64..10_000_000, b in 0i64..10_000_000, pct in 0i32..=9000) {
            let (lo, hi) = (a.min(b), a.max(b));
            prop_assert!(computed_amount(Fen(lo), RateBp(pct)) <= computed_amount(Fen(hi), RateBp(pct)));
        }

        #[test]
        fn entitlement_is_monotone(a in 0u32..1000, b in 0u32..1000) {
            let (lo, hi) = (a.min(b), a.max(b));
            prop_assert!(entitlement_months(lo) <= entitlement_months(hi));
            prop_assert!(entitlement_months(hi) <= MAX_ENTITLEMENT_MONTHS);
        }
    }
}
