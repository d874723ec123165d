//! Benefit rules (docs/rules.md §6–9, docs/benefits.md): retirement age, basic pension,
//! unemployment benefit and the minimum wage of a county, maternity allowance, the transfer of
//! pension insurance between places, work-injury benefits and the settlement of a medical bill.
//!
//! Pure functions over integer fen, [`Period`](crate::Period)s and basis points. Each part of an amount
//! is computed from exact integer (i128) products and rounded once, half-up to the fen.

pub mod account;
pub mod maternity;
pub mod medical;
pub mod min_wage;
pub mod pension;
pub mod retirement;
pub mod transfer;
pub mod unemployment;
pub mod work_injury;

use crate::rules::Rounding;

/// `num / den` half-up for non-negative operands, as an `i64` amount of fen.
pub(crate) fn half_up(num: i128, den: i128) -> i64 {
    i64::try_from(Rounding::HalfUp.divide(num, den)).unwrap_or(i64::MAX)
}
