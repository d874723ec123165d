//! Each social-insurance fund is accounted separately (分账核算, 社会保险法 art. 64: the funds are
//! kept by insurance type, accounted separately, and one fund may not make up another's deficit).
//! A fund's year: income (contributions allocated to it), expenditure (benefits it paid), balance,
//! and the subsidy it needs when expenditure exceeds income.

use serde::Serialize;

use crate::money::Fen;

/// The five funds in the allocation order of contributions.
pub const FUNDS: [&str; 5] = ["pension", "medical", "unemployment", "work_injury", "maternity"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FundYear {
    pub income: Fen,
    pub expenditure: Fen,
    /// income − expenditure (negative: a deficit).
    pub balance: Fen,
    /// What the fund needs from public finance: the deficit, or zero.
    pub subsidy: Fen,
}

impl FundYear {
    pub fn of(income: Fen, expenditure: Fen) -> FundYear {
        let balance = Fen(income.0 - expenditure.0);
        FundYear { income, expenditure, balance, subsidy: Fen((-balance.0).max(0)) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deficit_is_the_subsidy_and_a_surplus_needs_none() {
        assert_eq!(FundYear::of(Fen(1_000), Fen(1_500)).subsidy, Fen(500));
        assert_eq!(FundYear::of(Fen(1_000), Fen(1_500)).balance, Fen(-500));
        assert_eq!(FundYear::of(Fen(5_000), Fen(200)).subsidy, Fen::ZERO);
        assert_eq!(
            FundYear::of(Fen::ZERO, Fen::ZERO),
            FundYear { income: Fen::ZERO, expenditure: Fen::ZERO, balance: Fen::ZERO, subsidy: Fen::ZERO }
        );
    }

    #[test]
    fn one_fund_never_covers_another() {
        // Medical income does not reduce the pension fund's subsidy: each is its own FundYear.
        let pension = FundYear::of(Fen(0), Fen(900));
        let medical = FundYear::of(Fen(5_000), Fen(0));
        assert_eq!((pension.subsidy, medical.subsidy), (Fen(900), Fen::ZERO));
    }
}
