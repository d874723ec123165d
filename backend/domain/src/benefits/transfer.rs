//! Transfer of pension insurance between places (2009 No. 66, from 2010; docs/rules.md §9).
//!
//! Contribution months add up at the receiving place; the personal account moves in full; the pooled
//! fund moves 12% of the actual monthly bases of every period from 1998-01 on. Bases are given per
//! month, so a partial year counts pro rata by itself. The 12% is applied once to the sum of the
//! eligible bases and rounded half-up to the fen (not per year or per month).

use std::collections::BTreeMap;

use serde::Serialize;

use super::half_up;
use crate::error::FieldError;
use crate::money::{Fen, RateBp};
use crate::period::Period;

/// Share of the bases that the pooled fund moves.
pub const POOLED_RATE: RateBp = RateBp(1200);

/// `Period::index` of 1998-01, the first period whose base counts for the pooled fund.
const POOLED_FROM_INDEX: i32 = 1998 * 12;

/// One calendar year of contribution bases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct YearBases {
    pub year: i32,
    /// Months with a base in this year.
    pub months: u32,
    pub base_sum: Fen,
    /// Whether the year counts for the pooled fund (1998 and later).
    pub pooled: bool,
}

/// What a transfer carries over, from the monthly bases.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct TransferSummary {
    /// All months with a base, before 1998 included.
    pub contribution_months: u32,
    /// Months from 1998-01 on.
    pub pooled_months: u32,
    /// Sum of the bases from 1998-01 on.
    pub pooled_base_sum: Fen,
    /// 12% of `pooled_base_sum`, half-up.
    pub pooled_fund: Fen,
    /// Per calendar year, ascending.
    pub years: Vec<YearBases>,
}

/// The amounts the sending place pays over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct TransferFunds {
    pub personal_account: Fen,
    pub pooled_fund: Fen,
    /// personal_account + pooled_fund.
    pub total: Fen,
}

/// Months, yearly base sums and the pooled-fund amount of monthly `(period, base)` records, in any
/// order. Errors (field `bases`): `transfer.duplicate_period` (a month given twice; merge corrections
/// first), `transfer.negative_base`.
pub fn summarize(bases: &[(Period, Fen)]) -> Result<TransferSummary, FieldError> {
    let mut months: BTreeMap<Period, i64> = BTreeMap::new();
    for &(period, base) in bases {
        if base.0 < 0 {
            return Err(FieldError::new("bases", "transfer.negative_base"));
        }
        if months.insert(period, base.0).is_some() {
            return Err(FieldError::new("bases", "transfer.duplicate_period"));
        }
    }
    let mut years: Vec<YearBases> = Vec::new();
    for (period, base) in &months {
        match years.last_mut() {
            Some(y) if y.year == period.year() => {
                y.months += 1;
                y.base_sum = y.base_sum + Fen(*base);
            }
            _ => {
                years.push(YearBases { year: period.year(), months: 1, base_sum: Fen(*base), pooled: period.index() >= POOLED_FROM_INDEX })
            }
        }
    }
    let pooled: Vec<i64> = months.iter().filter(|(p, _)| p.index() >= POOLED_FROM_INDEX).map(|(_, b)| *b).collect();
    let pooled_base_sum: i128 = pooled.iter().map(|b| i128::from(*b)).sum();
    Ok(TransferSummary {
        contribution_months: months.len() as u32,
        pooled_months: pooled.len() as u32,
        pooled_base_sum: Fen(i64::try_from(pooled_base_sum).unwrap_or(i64::MAX)),
        pooled_fund: Fen(half_up(pooled_base_sum * i128::from(POOLED_RATE.0), 10_000)),
        years,
    })
}

/// 12% of the monthly bases from 1998-01 on (see [`summarize`] for the errors).
pub fn pooled_fund_amount(bases: &[(Period, Fen)]) -> Result<Fen, FieldError> {
    Ok(summarize(bases)?.pooled_fund)
}

/// The funds that move: the personal account in full and the pooled-fund amount. Error
/// `transfer.negative_account` (field `personal_account`), else as [`summarize`].
pub fn transfer_funds(bases: &[(Period, Fen)], personal_account: Fen) -> Result<TransferFunds, FieldError> {
    if personal_account.0 < 0 {
        return Err(FieldError::new("personal_account", "transfer.negative_account"));
    }
    let pooled_fund = summarize(bases)?.pooled_fund;
    Ok(TransferFunds { personal_account, pooled_fund, total: personal_account + pooled_fund })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn months(from: &str, count: i32, base: Fen) -> Vec<(Period, Fen)> {
        let start: Period = from.parse().unwrap();
        (0..count).map(|i| (start.plus_months(i).unwrap(), base)).collect()
    }

    #[test]
    fn reference_example() {
        let bases = months("2010-01", 120, Fen::from_yuan(5000));
        assert_eq!(pooled_fund_amount(&bases).unwrap().to_string(), "72000.00");
        let s = summarize(&bases).unwrap();
        assert_eq!((s.contribution_months, s.pooled_months), (120, 120));
        assert_eq!(s.years.len(), 10);
        assert!(s.years.iter().all(|y| y.months == 12 && y.base_sum == Fen::from_yuan(60_000) && y.pooled));
    }

    #[test]
    fn periods_before_1998_count_as_months_but_not_for_the_pool() {
        let mut bases = months("1997-07", 12, Fen::from_yuan(1000)); // 1997-07 .. 1998-06
        bases.reverse();
        let s = summarize(&bases).unwrap();
        assert_eq!((s.contribution_months, s.pooled_months), (12, 6));
        assert_eq!(s.pooled_base_sum, Fen::from_yuan(6000));
        assert_eq!(s.pooled_fund.to_string(), "720.00");
        assert_eq!(
            s.years,
            [
                YearBases { year: 1997, months: 6, base_sum: Fen::from_yuan(6000), pooled: false },
                YearBases { year: 1998, months: 6, base_sum: Fen::from_yuan(6000), pooled: true },
            ]
        );
    }

    #[test]
    fn single_rounding_of_the_total() {
        // 12% of 3 × 4 fen = 1.44 fen → 1 fen (rounding each month, 0.48 fen → 0, would give 0).
        let bases = months("2020-01", 3, Fen(4));
        assert_eq!(pooled_fund_amount(&bases).unwrap(), Fen(1));
        assert_eq!(pooled_fund_amount(&months("2020-01", 1, Fen(1_234_567))).unwrap(), Fen(148_148));
        // 148,148.04
    }

    #[test]
    fn funds_and_errors() {
        let bases = months("2010-01", 120, Fen::from_yuan(5000));
        let f = transfer_funds(&bases, Fen::from_yuan(48_000)).unwrap();
        assert_eq!(f.total.to_string(), "120000.00");
        assert_eq!(transfer_funds(&bases, Fen(-1)).unwrap_err().code, "transfer.negative_account");
        let mut dup = bases.clone();
        dup.push(bases[5]);
        assert_eq!(summarize(&dup).unwrap_err().code, "transfer.duplicate_period");
        assert_eq!(summarize(&[(bases[0].0, Fen(-1))]).unwrap_err().code, "transfer.negative_base");
        assert_eq!(summarize(&[]).unwrap().pooled_fund, Fen::ZERO);
    }

    #[test]
    fn zero_bases_and_a_zero_account_are_amounts_not_errors() {
        // A month at a zero base still counts as a contribution month and moves nothing.
        let s = summarize(&months("2020-01", 3, Fen::ZERO)).unwrap();
        assert_eq!((s.contribution_months, s.pooled_months, s.pooled_base_sum, s.pooled_fund), (3, 3, Fen::ZERO, Fen::ZERO));
        let f = transfer_funds(&months("2020-01", 12, Fen::from_yuan(5000)), Fen::ZERO).unwrap();
        assert_eq!((f.personal_account, f.pooled_fund.to_string(), f.total), (Fen::ZERO, "7200.00".to_string(), f.pooled_fund));
        assert_eq!(transfer_funds(&[], Fen::ZERO).unwrap().total, Fen::ZERO);
    }

    proptest! {
        #[test]
        fn yearly_sums_add_up(start in 1990i32..2030, count in 0i32..300, base in 0i64..5_000_000) {
            let bases = months(&format!("{start}-01"), count, Fen(base));
            let s = summarize(&bases).unwrap();
            prop_assert_eq!(s.years.iter().map(|y| y.months).sum::<u32>(), s.contribution_months);
            let pooled: Fen = s.years.iter().filter(|y| y.pooled).map(|y| y.base_sum).sum();
            prop_assert_eq!(pooled, s.pooled_base_sum);
            prop_assert!(s.pooled_fund <= s.pooled_base_sum);
        }
    }
}
