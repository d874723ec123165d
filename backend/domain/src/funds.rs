//! Each social-insurance fund is accounted separately (分账核算, 社会保险法 art. 64: the funds are
//! kept by insurance type, accounted separately, and one fund may not make up another's deficit).
//! A fund's year: income (contributions allocated to it), expenditure (benefits it paid), balance,
//! and the subsidy it needs when expenditure exceeds income.

use serde::Serialize;

use crate::money::Fen;

/// The five funds in the allocation order of contributions.
pub const FUNDS: [&str; 5] = ["pension", "medical", "unemployment", "work_injury", "maternity"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
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

    /// How many months of its average expenditure the year's balance pays (可支付月数), in tenths
    /// of a month rounded down: balance ÷ (expenditure ÷ months). Zero when the balance is not
    /// positive; none when nothing was spent (no average to divide by) or `months` is zero. Only the
    /// year's own balance counts (reserves from earlier years are not carried in).
    pub fn months_covered_tenths(&self, months: u32) -> Option<i64> {
        if self.expenditure.0 <= 0 || months == 0 {
            return None;
        }
        if self.balance.0 <= 0 {
            return Some(0);
        }
        let tenths = i128::from(self.balance.0) * i128::from(months) * 10 / i128::from(self.expenditure.0);
        Some(i64::try_from(tenths).unwrap_or(i64::MAX))
    }
}

/// A month of collection as the province watches it: what was assessed, what was collected, what
/// benefits were paid; arrears are the uncollected part (never negative: an overpayment is not a
/// negative arrear), the collection rate is collected ÷ assessed in ‰ (征缴率), none when nothing
/// was assessed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct CollectionMonth {
    pub assessed: Fen,
    pub collected: Fen,
    pub benefits_paid: Fen,
}

impl CollectionMonth {
    /// Adds one statistic of the month (`assessed_fen`, `collected_fen`, `benefits_paid_fen`);
    /// other metrics are not money of this month and are ignored.
    pub fn add(&mut self, metric: &str, value: Fen) {
        match metric {
            "assessed_fen" => self.assessed = self.assessed + value,
            "collected_fen" => self.collected = self.collected + value,
            "benefits_paid_fen" => self.benefits_paid = self.benefits_paid + value,
            _ => {}
        }
    }

    pub fn arrears(&self) -> Fen {
        Fen((self.assessed.0 - self.collected.0).max(0))
    }

    pub fn collection_rate_permille(&self) -> Option<i64> {
        (self.assessed.0 > 0).then(|| self.collected.0 * 1000 / self.assessed.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_covered_is_the_balance_over_the_average_monthly_expenditure() {
        // 11 months: income 1,200, expenditure 330 → average 30 a month, balance 870 → 29.0 months.
        let y = FundYear::of(Fen(120_000), Fen(33_000));
        assert_eq!(y.months_covered_tenths(11), Some(290));
        // 1,000 over 3 months spending 700: 300 ÷ (700/3) = 1.2857… → 1.2 months.
        assert_eq!(FundYear::of(Fen(1_000), Fen(700)).months_covered_tenths(3), Some(12));
        assert_eq!(FundYear::of(Fen(100), Fen(700)).months_covered_tenths(3), Some(0), "a deficit covers nothing");
        assert_eq!(FundYear::of(Fen(100), Fen(0)).months_covered_tenths(3), None, "nothing spent");
        assert_eq!(FundYear::of(Fen(100), Fen(10)).months_covered_tenths(0), None);
    }

    #[test]
    fn a_collection_month_sums_its_metrics_and_derives_arrears_and_rate() {
        let mut m = CollectionMonth::default();
        assert_eq!((m.arrears(), m.collection_rate_permille()), (Fen::ZERO, None));
        m.add("assessed_fen", Fen(10_000));
        m.add("assessed_fen", Fen(2_000));
        m.add("collected_fen", Fen(9_000));
        m.add("benefits_paid_fen", Fen(700));
        m.add("persons", Fen(5));
        assert_eq!(m, CollectionMonth { assessed: Fen(12_000), collected: Fen(9_000), benefits_paid: Fen(700) });
        assert_eq!(m.arrears(), Fen(3_000));
        assert_eq!(m.collection_rate_permille(), Some(750));
        // Collected more than assessed (back payments): no negative arrears, the rate above 1000‰.
        m.add("collected_fen", Fen(6_000));
        assert_eq!((m.arrears(), m.collection_rate_permille()), (Fen::ZERO, Some(1250)));
        // The rate is truncated, not rounded: 2/3 is 666‰.
        let third = CollectionMonth { assessed: Fen(3), collected: Fen(2), benefits_paid: Fen::ZERO };
        assert_eq!(third.collection_rate_permille(), Some(666));
    }

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
