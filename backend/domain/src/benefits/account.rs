//! The personal pension account (个人账户) of an enterprise employee: monthly credits and yearly
//! interest (docs/rules.md §6; 国发〔1997〕26号, 国发〔2005〕38号, 人社部发〔2017〕31号 on the unified
//! crediting rate).
//!
//! # Credits
//!
//! Each contribution month credits a share of that month's base: **11 % until 2005-12** (1997 No. 26:
//! the employee's contribution plus the rest from the employer) and **8 % from 2006-01** (2005 No. 38:
//! the employee's 8 % only). A month's credit is rounded half-up to the fen. Months before the
//! tenant's accounts began carry no credit (they are deemed years).
//!
//! # Interest, once a year
//!
//! For a year with crediting rate r (basis points):
//!
//! - interest = opening balance × r + the year's own credits × r × 1.083 ÷ 2
//!   (the regulation's shortcut for monthly products: credits made through the year earn on average
//!   13/24 of a year);
//! - in the **last year** (retirement or transfer in month n of that year) the same interest × n ÷ 12.
//!
//! Each year's interest is one exact product rounded half-up to the fen; closing = opening + credits +
//! interest, and the next year opens with it.
//!
//! # Rates
//!
//! Every year an account spans needs its rate: the national unified rate from 2016 (8.31, 7.12, 8.29,
//! 7.61, 6.04, 6.69, 6.12, 3.97, 2.62 % for 2016–2024), the province's published yearly rate before.
//! [`resolve_rates`] never invents one: a year before the latest published year without a rate is
//! refused (`account.rate_missing` on `rates.<year>`); a year after it (the current year, whose rate is
//! published the following summer) uses the latest published rate and is listed as **provisional**, to
//! be recalculated when its rate is published. Never 0 %, never a later year's rate.

use std::collections::BTreeMap;

use serde::Serialize;

use super::half_up;
use crate::error::FieldError;
use crate::money::{Fen, RateBp};
use crate::period::Period;

/// The last month credited at 11 % of the base.
pub const ELEVEN_PERCENT_UNTIL: (i32, u32) = (2005, 12);

/// The share of a month's base credited to the account, in basis points.
pub fn credit_rate(period: Period) -> RateBp {
    if (period.year(), period.month()) <= ELEVEN_PERCENT_UNTIL {
        RateBp(1100)
    } else {
        RateBp(800)
    }
}

/// A month's credit: base × [`credit_rate`], half-up to the fen. A negative base credits nothing.
pub fn monthly_credit(period: Period, base: Fen) -> Fen {
    Fen(half_up(i128::from(base.0.max(0)) * i128::from(credit_rate(period).0), 10_000))
}

/// A year's crediting rate and whether it is provisional (not yet published).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct YearRate {
    pub year: i32,
    pub rate: RateBp,
    pub provisional: bool,
}

/// The rate of every year `first..=last` from the published ones (see the module documentation).
pub fn resolve_rates(published: &[(i32, RateBp)], first: i32, last: i32) -> Result<Vec<YearRate>, FieldError> {
    let known: BTreeMap<i32, RateBp> = published.iter().copied().collect();
    if known.values().any(|r| r.0 < 0) {
        return Err(FieldError::new("rates", "account.negative"));
    }
    let latest = known.iter().next_back().map(|(&y, &r)| (y, r));
    (first..=last)
        .map(|year| match (known.get(&year), latest) {
            (Some(&rate), _) => Ok(YearRate { year, rate, provisional: false }),
            (None, Some((ly, lr))) if year > ly => Ok(YearRate { year, rate: lr, provisional: true }),
            _ => Err(FieldError::at(format!("rates.{year}"), "account.rate_missing")),
        })
        .collect()
}

/// One year of the account, as shown with a claim or a transfer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct AccountYear {
    pub year: i32,
    pub opening: Fen,
    /// Months credited this year and their credits.
    pub months: u32,
    pub credits: Fen,
    pub rate: RateBp,
    pub provisional: bool,
    /// Months of interest: 12, or n in the last year.
    pub interest_months: u32,
    pub interest: Fen,
    pub closing: Fen,
}

/// The account at the end of `end` (a retirement or transfer month), from monthly credits
/// `(month, credit)` (several credits of one month add up; months after `end` are ignored) and the
/// rates of every year from the first credit to `end` (see [`resolve_rates`]). Returns the balance
/// and the yearly lines.
///
/// Errors: `account.negative` (a negative credit), `account.rate_missing` (`rates.<year>`).
pub fn balance(credits: &[(Period, Fen)], rates: &[YearRate], end: Period) -> Result<(Fen, Vec<AccountYear>), FieldError> {
    let mut by_year: BTreeMap<i32, (u32, i64)> = BTreeMap::new();
    for &(p, c) in credits.iter().filter(|(p, _)| *p <= end) {
        if c.0 < 0 {
            return Err(FieldError::new("credits", "account.negative"));
        }
        let e = by_year.entry(p.year()).or_default();
        e.0 += 1;
        e.1 += c.0;
    }
    let Some(&first) = by_year.keys().next() else {
        return Ok((Fen::ZERO, Vec::new()));
    };
    let rate_of: BTreeMap<i32, YearRate> = rates.iter().map(|r| (r.year, *r)).collect();
    let mut lines = Vec::new();
    let mut opening: i64 = 0;
    for year in first..=end.year() {
        let (months, credits) = by_year.get(&year).copied().unwrap_or_default();
        let r = *rate_of.get(&year).ok_or_else(|| FieldError::at(format!("rates.{year}"), "account.rate_missing"))?;
        let interest_months = if year == end.year() { end.month() } else { 12 };
        // (opening × r + credits × r × 1083/2000) / 10000 × n/12, one product, one rounding.
        let num = (i128::from(opening) * 2000 + i128::from(credits) * 1083) * i128::from(r.rate.0) * i128::from(interest_months);
        let interest = half_up(num, 2000 * 10_000 * 12);
        let closing = opening + credits + interest;
        lines.push(AccountYear {
            year,
            opening: Fen(opening),
            months,
            credits: Fen(credits),
            rate: r.rate,
            provisional: r.provisional,
            interest_months,
            interest: Fen(interest),
            closing: Fen(closing),
        });
        opening = closing;
    }
    Ok((Fen(opening), lines))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn p(s: &str) -> Period {
        s.parse().unwrap()
    }

    fn national() -> Vec<(i32, RateBp)> {
        [(2016, 831), (2017, 712), (2018, 829), (2019, 761), (2020, 604), (2021, 669), (2022, 612), (2023, 397), (2024, 262)]
            .iter()
            .map(|&(y, r)| (y, RateBp(r)))
            .collect()
    }

    #[test]
    fn credits_are_eleven_percent_until_2005_and_eight_after() {
        assert_eq!(monthly_credit(p("2005-12"), Fen::from_yuan(1000)), Fen::from_yuan(110));
        assert_eq!(monthly_credit(p("2006-01"), Fen::from_yuan(1000)), Fen::from_yuan(80));
        // 714.10 × 11 % = 78.551 → 78.55; × 8 % = 57.128 → 57.13.
        assert_eq!(monthly_credit(p("2005-06"), Fen(71_410)), Fen(7_855));
        assert_eq!(monthly_credit(p("2006-06"), Fen(71_410)), Fen(5_713));
        assert_eq!(monthly_credit(p("2006-06"), Fen(-5)), Fen::ZERO);
    }

    #[test]
    fn a_year_earns_on_its_opening_balance_and_on_its_own_credits() {
        // 2023: 12 × 400.00 = 4,800.00 credited, rate 3.97 %: interest 4,800 × 3.97 % × 1.083 / 2
        // = 103.18824 → 103.19; closing 4,903.19. 2024: 4,903.19 × 2.62 % = 128.463578 plus
        // 4,800 × 2.62 % × 1.083 / 2 = 68.09904: interest 196.562618 → 196.56; closing
        // 4,903.19 + 4,800 + 196.56 = 9,899.75.
        let credits: Vec<(Period, Fen)> =
            (1..=12).flat_map(|m| [(Period::new(2023, m).unwrap(), Fen(40_000)), (Period::new(2024, m).unwrap(), Fen(40_000))]).collect();
        let rates = resolve_rates(&national(), 2023, 2024).unwrap();
        let (bal, lines) = balance(&credits, &rates, p("2024-12")).unwrap();
        assert_eq!(lines[0].interest, Fen(10_319));
        assert_eq!(lines[0].closing, Fen(490_319));
        assert_eq!(lines[1].interest, Fen(19_656));
        assert_eq!(bal, Fen(989_975));
    }

    #[test]
    fn the_last_year_earns_pro_rata_by_month() {
        // Retiring in 2024-06: the 2024 interest is six twelfths of the year's.
        // opening 4,903.19 × 2.62 % × 6/12 = 64.231789; credits 6 × 400 = 2,400 × 2.62 % × 1.083/2
        // × 6/12 = 17.02476; interest 81.256549 → 81.26; closing 4,903.19 + 2,400 + 81.26 = 7,384.45.
        let credits: Vec<(Period, Fen)> = (1..=12)
            .map(|m| (Period::new(2023, m).unwrap(), Fen(40_000)))
            .chain((1..=12).map(|m| (Period::new(2024, m).unwrap(), Fen(40_000))))
            .collect();
        let rates = resolve_rates(&national(), 2023, 2024).unwrap();
        let (bal, lines) = balance(&credits, &rates, p("2024-06")).unwrap();
        assert_eq!((lines[1].months, lines[1].interest_months), (6, 6));
        assert_eq!(lines[1].interest, Fen(8_126));
        assert_eq!(bal, Fen(738_445));
    }

    #[test]
    fn a_year_without_a_published_rate_is_refused_or_provisional_never_zero() {
        // 2025 and 2026 are after the latest published year (2024): provisional at 2.62 %.
        let r = resolve_rates(&national(), 2024, 2026).unwrap();
        assert_eq!(r.iter().map(|y| (y.rate.0, y.provisional)).collect::<Vec<_>>(), [(262, false), (262, true), (262, true)]);
        // 2015 is before: the province's rate of that year must be configured.
        let e = resolve_rates(&national(), 2015, 2016).unwrap_err();
        assert_eq!((e.field.as_ref(), e.code), ("rates.2015", "account.rate_missing"));
        // A gap inside the published years is refused too, never filled with a neighbour.
        let mut gap = national();
        gap.retain(|(y, _)| *y != 2020);
        assert_eq!(resolve_rates(&gap, 2019, 2021).unwrap_err().field, "rates.2020");
        assert_eq!(resolve_rates(&[], 2024, 2024).unwrap_err().code, "account.rate_missing");
        assert_eq!(resolve_rates(&[(2020, RateBp(-1))], 2020, 2020).unwrap_err().code, "account.negative");
    }

    #[test]
    fn a_published_zero_rate_is_a_rate_not_a_gap() {
        // Only a negative rate is refused: a published 0 % is used as published, and a later year
        // with no rate takes it provisionally.
        let r = resolve_rates(&[(2020, RateBp(0))], 2020, 2021).unwrap();
        assert_eq!(
            r,
            [YearRate { year: 2020, rate: RateBp(0), provisional: false }, YearRate { year: 2021, rate: RateBp(0), provisional: true }]
        );
        let (bal, lines) = balance(&[(p("2020-01"), Fen(10_000))], &r, p("2021-06")).unwrap();
        assert_eq!((bal, lines[0].interest, lines[1].interest), (Fen(10_000), Fen::ZERO, Fen::ZERO));
        // A zero credit (a month paid at no base) is a month, not an error.
        let (bal, lines) = balance(&[(p("2020-03"), Fen::ZERO)], &r, p("2020-12")).unwrap();
        assert_eq!((bal, lines[0].months), (Fen::ZERO, 1));
        assert_eq!(balance(&[(p("2020-03"), Fen(-1))], &r, p("2020-12")).unwrap_err().code, "account.negative");
    }

    #[test]
    fn a_history_starting_in_2025_earns_the_provisional_rate_in_2026() {
        let credits: Vec<(Period, Fen)> = (1..=12).map(|m| (Period::new(2025, m).unwrap(), Fen(40_000))).collect();
        let rates = resolve_rates(&national(), 2025, 2026).unwrap();
        let (bal, lines) = balance(&credits, &rates, p("2026-12")).unwrap();
        assert!(lines.iter().all(|l| l.rate == RateBp(262) && l.provisional));
        assert!(lines[1].interest > Fen::ZERO, "2026 earns interest: {lines:?}");
        assert!(bal > Fen(480_000));
    }

    #[test]
    fn gap_years_carry_the_balance_with_interest_and_empty_inputs() {
        let credits = [(p("2016-01"), Fen(100_000))];
        let rates = resolve_rates(&national(), 2016, 2018).unwrap();
        let (_, lines) = balance(&credits, &rates, p("2018-12")).unwrap();
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[1].credits, Fen::ZERO);
        assert!(lines[2].closing > lines[1].closing);
        assert_eq!(balance(&[], &rates, p("2018-12")).unwrap().0, Fen::ZERO);
        assert_eq!(balance(&[(p("2016-01"), Fen(-1))], &rates, p("2018-12")).unwrap_err().code, "account.negative");
        assert_eq!(balance(&credits, &rates[..1], p("2018-12")).unwrap_err().field, "rates.2017");
        // Credits after the end are not counted.
        assert_eq!(balance(&[(p("2019-01"), Fen(5))], &rates, p("2018-12")).unwrap().0, Fen::ZERO);
    }

    proptest! {
        #[test]
        fn the_balance_never_falls_and_grows_with_credits(
            monthly in prop::collection::vec(0i64..=2_000_000, 1..60), rate in 0i32..=1_000, extra in 1i64..=1_000_000
        ) {
            let start = p("2016-01");
            let credits: Vec<(Period, Fen)> = monthly.iter().enumerate().map(|(i, &c)| (start.plus_months(i as i32).unwrap(), Fen(c))).collect();
            let end = start.plus_months(monthly.len() as i32 + 3).unwrap();
            let rates: Vec<YearRate> = (2016..=end.year()).map(|year| YearRate { year, rate: RateBp(rate), provisional: false }).collect();
            let (bal, lines) = balance(&credits, &rates, end).unwrap();
            let credited: i64 = monthly.iter().sum();
            prop_assert!(bal.0 >= credited);
            prop_assert!(lines.windows(2).all(|w| w[1].opening == w[0].closing));
            let mut more = credits.clone();
            more[0].1 = Fen(more[0].1 .0 + extra);
            prop_assert!(balance(&more, &rates, end).unwrap().0 > bal);
        }
    }
}
