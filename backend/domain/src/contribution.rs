//! Contribution base and monthly amounts (docs/rules.md §5).

use serde::Serialize;

use crate::insurance::{InsuranceType, Party};
use crate::money::{Fen, RateBp};
use crate::rules::TenantRules;

/// Declared monthly wage → base: rounded as the tenant rounds bases, then clamped to
/// [floor, ceiling] of the reference average wage. The bounds themselves are exact.
pub fn clamp_base(declared_wage: Fen, rules: &TenantRules) -> Fen {
    let wage = declared_wage.0.max(0);
    let rounded = if rules.base_whole_yuan { rules.base_rounding.divide(i128::from(wage), 100) as i64 * 100 } else { wage };
    Fen(rounded.clamp(rules.floor().0, rules.ceiling().0))
}

/// base × rate, rounded to the fen by the tenant's rule.
pub fn amount(base: Fen, rate: RateBp, rules: &TenantRules) -> Fen {
    Fen(rules.amount_rounding.divide(i128::from(base.0.max(0)) * i128::from(rate.0.max(0)), 10_000) as i64)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct AssessmentLine {
    pub insurance_type: InsuranceType,
    pub party: Party,
    pub rate: RateBp,
    pub amount: Fen,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Assessment {
    pub base: Fen,
    pub lines: Vec<AssessmentLine>,
    pub employer_total: Fen,
    pub employee_total: Fen,
    pub total: Fen,
}

/// Monthly amounts for one person in the given insurance types, the work-injury rate at its class
/// rate (100 %). Employer-only types yield no employee line; maternity yields nothing where merged
/// into medical.
pub fn assess(declared_wage: Fen, types: &[InsuranceType], risk_class: u8, rules: &TenantRules) -> Assessment {
    assess_floating(declared_wage, types, risk_class, 100, rules)
}

/// As [`assess`], with the employer's floating work-injury percentage ([`crate::injury`]).
pub fn assess_floating(
    declared_wage: Fen,
    types: &[InsuranceType],
    risk_class: u8,
    injury_percent: u32,
    rules: &TenantRules,
) -> Assessment {
    let base = clamp_base(declared_wage, rules);
    let mut lines = Vec::new();
    let mut sorted = types.to_vec();
    sorted.sort();
    sorted.dedup();
    for t in sorted {
        if t == InsuranceType::Maternity && rules.maternity_merged {
            continue;
        }
        for p in [Party::Employer, Party::Employee] {
            if p == Party::Employee && !t.employee_pays() {
                continue;
            }
            let rate = match (t, p) {
                (InsuranceType::WorkInjury, Party::Employer) => crate::injury::floating_rate(rules.rate(t, p, risk_class), injury_percent),
                _ => rules.rate(t, p, risk_class),
            };
            lines.push(AssessmentLine { insurance_type: t, party: p, rate, amount: amount(base, rate, rules) });
        }
    }
    let employer_total = lines.iter().filter(|l| l.party == Party::Employer).map(|l| l.amount).sum();
    let employee_total = lines.iter().filter(|l| l.party == Party::Employee).map(|l| l.amount).sum();
    Assessment { base, lines, employer_total, employee_total, total: employer_total + employee_total }
}

/// The last day an employer may declare its employees' wages for a base year online: the end of
/// the month the new bases take effect (the city's adjustment month, `effective_from`). A later
/// declaration changes bases already assessed, so it is a clerk's decision (a city's practice of
/// the annual base declaration, 缴费基数年度申报; the window is the adjustment month itself).
pub fn declaration_deadline(effective_from: crate::Period) -> chrono::NaiveDate {
    effective_from.plus_months(1).map_or(chrono::NaiveDate::MAX, |next| next.first_day().pred_opt().unwrap_or(chrono::NaiveDate::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::fixtures::zhengzhou_2025;
    use crate::rules::Rounding;
    use proptest::prelude::*;

    fn amounts(wage_yuan: i64) -> (Fen, Vec<(InsuranceType, Party, String)>) {
        let a = assess(Fen::from_yuan(wage_yuan), &InsuranceType::ALL, 1, &zhengzhou_2025());
        (a.base, a.lines.into_iter().map(|l| (l.insurance_type, l.party, l.amount.to_string())).collect())
    }

    fn get(lines: &[(InsuranceType, Party, String)], t: InsuranceType, p: Party) -> &str {
        &lines.iter().find(|l| l.0 == t && l.1 == p).unwrap().2
    }

    #[test]
    fn reference_worked_examples() {
        use InsuranceType::*;
        use Party::*;
        let table: [(i64, i64, [&str; 7]); 3] = [
            (3000, 3831, ["612.96", "306.48", "306.48", "76.62", "26.82", "11.49", "7.66"]),
            (5000, 5000, ["800.00", "400.00", "400.00", "100.00", "35.00", "15.00", "10.00"]),
            (25000, 19155, ["3064.80", "1532.40", "1532.40", "383.10", "134.09", "57.47", "38.31"]),
        ];
        for (wage, base, expect) in table {
            let (b, lines) = amounts(wage);
            assert_eq!(b, Fen::from_yuan(base), "base for {wage}");
            let got = [
                get(&lines, Pension, Employer),
                get(&lines, Pension, Employee),
                get(&lines, Medical, Employer),
                get(&lines, Medical, Employee),
                get(&lines, Unemployment, Employer),
                get(&lines, Unemployment, Employee),
                get(&lines, WorkInjury, Employer),
            ];
            assert_eq!(got, expect, "wage {wage}");
            assert!(!lines.iter().any(|l| l.0 == Maternity), "maternity is merged into medical");
            assert!(!lines.iter().any(|l| l.0 == WorkInjury && l.1 == Employee));
        }
    }

    #[test]
    fn bankers_rounding_differs_on_halves() {
        let mut r = zhengzhou_2025();
        r.amount_rounding = Rounding::HalfEven;
        let a = assess(Fen::from_yuan(25000), &[InsuranceType::Unemployment], 1, &r);
        let v: Vec<String> = a.lines.iter().map(|l| l.amount.to_string()).collect();
        assert_eq!(v, ["134.08", "57.46"]);
    }

    #[test]
    fn separate_maternity_is_employer_only() {
        let mut r = zhengzhou_2025();
        r.maternity_merged = false;
        r.rates.insert((InsuranceType::Maternity, Party::Employer), RateBp(100));
        let a = assess(Fen::from_yuan(5000), &[InsuranceType::Maternity], 1, &r);
        assert_eq!(a.lines.len(), 1);
        assert_eq!(a.lines[0].amount, Fen::from_yuan(50));
        assert_eq!(a.employee_total, Fen::ZERO);
    }

    #[test]
    fn risk_class_picks_the_injury_rate() {
        let a = assess(Fen::from_yuan(5000), &[InsuranceType::WorkInjury], 8, &zhengzhou_2025());
        assert_eq!(a.lines[0].amount, Fen::from_yuan(95));
    }

    #[test]
    fn base_in_fen_when_not_whole_yuan() {
        let mut r = zhengzhou_2025();
        r.base_whole_yuan = false;
        assert_eq!(clamp_base(Fen(500_055), &r), Fen(500_055));
        r.base_whole_yuan = true;
        assert_eq!(clamp_base(Fen(500_055), &r), Fen(500_100));
    }

    proptest! {
        #[test]
        fn base_is_always_within_bounds(wage in 0i64..1_000_000_000, floor in 10u32..100, extra in 1u32..400) {
            let mut r = zhengzhou_2025();
            r.floor_pct = floor;
            r.ceiling_pct = floor + extra;
            let b = clamp_base(Fen(wage), &r);
            prop_assert!(b >= r.floor() && b <= r.ceiling());
        }

        #[test]
        fn amounts_are_never_negative_and_parts_sum_to_total(wage in 0i64..1_000_000_000, class in 1u8..=8) {
            let a = assess(Fen(wage), &InsuranceType::ALL, class, &zhengzhou_2025());
            prop_assert!(a.lines.iter().all(|l| l.amount >= Fen::ZERO));
            let sum: Fen = a.lines.iter().map(|l| l.amount).sum();
            prop_assert_eq!(sum, a.total);
            prop_assert_eq!(a.employer_total + a.employee_total, a.total);
        }

        #[test]
        fn doubling_the_wage_never_lowers_an_amount(wage in 0i64..500_000_000, class in 1u8..=8) {
            let r = zhengzhou_2025();
            let a = assess(Fen(wage), &InsuranceType::ALL, class, &r);
            let b = assess(Fen(wage * 2), &InsuranceType::ALL, class, &r);
            for (x, y) in a.lines.iter().zip(&b.lines) {
                prop_assert!(y.amount >= x.amount);
            }
        }
    }

    #[test]
    fn the_floating_injury_percentage_applies_to_the_employer_line() {
        // Class 3 (0.7 %) at 150 % is 1.05 %: 5,000 × 1.05 % = 52.50; at 50 % 0.35 % = 17.50.
        let r = zhengzhou_2025();
        for (percent, rate, amount) in [(150, 105, "52.50"), (50, 35, "17.50"), (100, 70, "35.00")] {
            let a = assess_floating(Fen::from_yuan(5000), &[InsuranceType::WorkInjury], 3, percent, &r);
            assert_eq!(a.lines.len(), 1);
            assert_eq!((a.lines[0].rate, a.lines[0].amount.to_string()), (RateBp(rate), amount.to_string()), "{percent} %");
            assert_eq!(a.employer_total, a.lines[0].amount);
        }
        // The floating percentage touches no other insurance.
        let a = assess_floating(Fen::from_yuan(5000), &[InsuranceType::Pension], 3, 150, &r);
        assert_eq!(a.lines[0].rate, RateBp(1600));
    }

    #[test]
    fn the_declaration_window_ends_with_the_adjustment_month() {
        let d = |y, m, day| chrono::NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(declaration_deadline(crate::Period::new(2026, 7).unwrap()), d(2026, 7, 31));
        assert_eq!(declaration_deadline(crate::Period::new(2026, 1).unwrap()), d(2026, 1, 31));
        assert_eq!(declaration_deadline(crate::Period::new(2028, 2).unwrap()), d(2028, 2, 29), "a leap year");
        assert_eq!(declaration_deadline(crate::Period::new(2026, 12).unwrap()), d(2026, 12, 31));
    }
}
