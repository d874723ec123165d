//! Maternity leave days and allowance (docs/rules.md §8).
//!
//! Statutory leave: 98 days for a birth, +15 for a difficult birth, +15 for each additional baby;
//! miscarriage before 4 months of pregnancy 15 days, from 4 months 42 days. A tenant may add extra
//! days (Henan three months: Zhengzhou 90 days, 188 in total); they apply to births only, and the fund
//! pays them only where the tenant rule says so. Allowance = average monthly wage ÷ 30 × paid days,
//! computed as `wage × days / 30`, half-up to the fen.

use serde::{Deserialize, Serialize};

use super::half_up;
use crate::error::FieldError;
use crate::money::Fen;

/// Statutory leave for a birth.
pub const BIRTH_DAYS: u32 = 98;
/// Added for a difficult birth and for each additional baby.
pub const EXTRA_CASE_DAYS: u32 = 15;
/// Miscarriage before 4 months of pregnancy.
pub const EARLY_MISCARRIAGE_DAYS: u32 = 15;
/// Miscarriage at 4 months of pregnancy or later.
pub const LATE_MISCARRIAGE_DAYS: u32 = 42;

/// What happened, which decides the statutory leave.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum MaternityCase {
    /// A birth of `babies` (≥ 1) children, `difficult` for a difficult birth (难产).
    Birth { babies: u32, difficult: bool },
    /// A miscarriage; `four_months_or_more` when the pregnancy had lasted 4 months or more.
    Miscarriage { four_months_or_more: bool },
}

/// Leave days of one case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct LeaveDays {
    /// National statutory days for the case.
    pub statutory: u32,
    /// Tenant extra days (births only).
    pub extra: u32,
    /// statutory + extra: the leave the person takes.
    pub total: u32,
    /// Days the fund pays the allowance for: `total` when the fund pays the extra days, else `statutory`.
    pub paid: u32,
}

/// The allowance and how it was reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct MaternityAllowance {
    pub leave: LeaveDays,
    pub avg_monthly_wage: Fen,
    /// Allowance for `leave.paid` days.
    pub amount: Fen,
}

/// Leave days for a case and a tenant's extra days. Error `maternity.babies` (field `babies`) for a
/// birth of 0 babies.
pub fn leave_days(case: MaternityCase, tenant_extra_days: u32, fund_pays_extra: bool) -> Result<LeaveDays, FieldError> {
    let (statutory, extra) = match case {
        MaternityCase::Birth { babies: 0, .. } => return Err(FieldError::new("babies", "maternity.babies")),
        MaternityCase::Birth { babies, difficult } => {
            let days = BIRTH_DAYS + if difficult { EXTRA_CASE_DAYS } else { 0 } + EXTRA_CASE_DAYS.saturating_mul(babies - 1);
            (days, tenant_extra_days)
        }
        MaternityCase::Miscarriage { four_months_or_more: false } => (EARLY_MISCARRIAGE_DAYS, 0),
        MaternityCase::Miscarriage { four_months_or_more: true } => (LATE_MISCARRIAGE_DAYS, 0),
    };
    let total = statutory.saturating_add(extra);
    Ok(LeaveDays { statutory, extra, total, paid: if fund_pays_extra { total } else { statutory } })
}

/// `avg_monthly_wage × days / 30`, half-up to the fen; a negative wage counts as zero.
pub fn allowance(avg_monthly_wage: Fen, days: u32) -> Fen {
    Fen(half_up(i128::from(avg_monthly_wage.0.max(0)) * i128::from(days), 30))
}

/// Leave days and the allowance for the days the fund pays.
pub fn maternity_allowance(
    avg_monthly_wage: Fen,
    case: MaternityCase,
    tenant_extra_days: u32,
    fund_pays_extra: bool,
) -> Result<MaternityAllowance, FieldError> {
    let leave = leave_days(case, tenant_extra_days, fund_pays_extra)?;
    Ok(MaternityAllowance { leave, avg_monthly_wage, amount: allowance(avg_monthly_wage, leave.paid) })
}

#[cfg(test)]
mod tests {
    use super::*;

    const NORMAL: MaternityCase = MaternityCase::Birth { babies: 1, difficult: false };

    #[test]
    fn reference_example() {
        let a = maternity_allowance(Fen::from_yuan(6000), NORMAL, 0, false).unwrap();
        assert_eq!(a.leave.paid, 98);
        assert_eq!(a.amount.to_string(), "19600.00");
    }

    #[test]
    fn statutory_days_by_case() {
        let days = |c| leave_days(c, 0, false).unwrap().statutory;
        assert_eq!(days(NORMAL), 98);
        assert_eq!(days(MaternityCase::Birth { babies: 1, difficult: true }), 113);
        assert_eq!(days(MaternityCase::Birth { babies: 2, difficult: false }), 113);
        assert_eq!(days(MaternityCase::Birth { babies: 3, difficult: true }), 143);
        assert_eq!(days(MaternityCase::Miscarriage { four_months_or_more: false }), 15);
        assert_eq!(days(MaternityCase::Miscarriage { four_months_or_more: true }), 42);
        assert_eq!(leave_days(MaternityCase::Birth { babies: 0, difficult: false }, 0, false).unwrap_err().code, "maternity.babies");
    }

    #[test]
    fn zhengzhou_extra_days() {
        let paid = maternity_allowance(Fen::from_yuan(6000), NORMAL, 90, true).unwrap();
        assert_eq!(paid.leave, LeaveDays { statutory: 98, extra: 90, total: 188, paid: 188 });
        assert_eq!(paid.amount.to_string(), "37600.00");
        let unpaid = maternity_allowance(Fen::from_yuan(6000), NORMAL, 90, false).unwrap();
        assert_eq!((unpaid.leave.total, unpaid.leave.paid), (188, 98));
        assert_eq!(unpaid.amount.to_string(), "19600.00");
        let miscarriage = leave_days(MaternityCase::Miscarriage { four_months_or_more: true }, 90, true).unwrap();
        assert_eq!((miscarriage.extra, miscarriage.paid), (0, 42));
    }

    #[test]
    fn allowance_rounds_half_up() {
        assert_eq!(allowance(Fen(100_000), 98), Fen(326_667)); // 326,666.67 fen
        assert_eq!(allowance(Fen(1), 15), Fen(1)); // 0.5 fen
        assert_eq!(allowance(Fen(1), 14), Fen(0));
        assert_eq!(allowance(Fen(-5), 98), Fen::ZERO);
    }
}
