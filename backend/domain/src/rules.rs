//! A tenant's contribution rules for one effective period (docs/rules.md §4–5).
//! Every value here is a city's choice and comes from `tenants/`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::insurance::{InsuranceType, Party};
use crate::money::{Fen, RateBp};
use crate::period::Period;

/// How an amount in fractions of a fen is brought to whole fen (or a base to whole yuan).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Rounding {
    /// 0.5 goes up (common practice).
    HalfUp,
    /// 0.5 goes to the even neighbour (banker's rounding).
    HalfEven,
    /// Fractions are dropped.
    Down,
}

impl Rounding {
    pub fn code(self) -> &'static str {
        match self {
            Rounding::HalfUp => "half_up",
            Rounding::HalfEven => "half_even",
            Rounding::Down => "down",
        }
    }

    pub fn parse(s: &str) -> Option<Rounding> {
        match s {
            "half_up" => Some(Rounding::HalfUp),
            "half_even" => Some(Rounding::HalfEven),
            "down" => Some(Rounding::Down),
            _ => None,
        }
    }

    /// `num / den` rounded to an integer; `num >= 0`, `den > 0`.
    pub fn divide(self, num: i128, den: i128) -> i128 {
        debug_assert!(num >= 0 && den > 0);
        let (q, r) = (num / den, num % den);
        match self {
            Rounding::Down => q,
            Rounding::HalfUp => q + i128::from(2 * r >= den),
            Rounding::HalfEven => {
                if 2 * r > den || (2 * r == den && q % 2 == 1) {
                    q + 1
                } else {
                    q
                }
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantRules {
    pub effective_from: Period,
    /// Reference average monthly wage the bounds are computed from.
    pub avg_wage: Fen,
    pub floor_pct: u32,
    pub ceiling_pct: u32,
    /// Month the base year starts: 7 in most cities, 1 in some.
    pub adjust_month: u32,
    /// Bases in whole yuan (`true`, the common practice) or exact fen.
    pub base_whole_yuan: bool,
    pub base_rounding: Rounding,
    pub amount_rounding: Rounding,
    /// Maternity merged into medical: no separate maternity contribution.
    pub maternity_merged: bool,
    /// Rates for pension, medical, unemployment, maternity by party.
    pub rates: BTreeMap<(InsuranceType, Party), RateBp>,
    /// Work-injury employer rates for risk classes 1..=8.
    pub injury_class_rates: [RateBp; 8],
}

/// One problem in a rule set: dotted field path and a message in English for operators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleProblem {
    pub field: String,
    pub message: String,
}

impl TenantRules {
    pub fn floor(&self) -> Fen {
        Fen(Rounding::HalfUp.divide(i128::from(self.avg_wage.0) * i128::from(self.floor_pct), 100) as i64)
    }

    pub fn ceiling(&self) -> Fen {
        Fen(Rounding::HalfUp.divide(i128::from(self.avg_wage.0) * i128::from(self.ceiling_pct), 100) as i64)
    }

    /// The rate for a type and party; work injury needs the employer's risk class.
    pub fn rate(&self, t: InsuranceType, p: Party, risk_class: u8) -> RateBp {
        match (t, p) {
            (InsuranceType::WorkInjury, Party::Employer) => {
                let i = usize::from(risk_class.clamp(1, 8)) - 1;
                self.injury_class_rates[i]
            }
            (InsuranceType::WorkInjury, Party::Employee) => RateBp(0),
            (InsuranceType::Maternity, _) if self.maternity_merged => RateBp(0),
            _ => self.rates.get(&(t, p)).copied().unwrap_or_default(),
        }
    }

    /// A stable text form of every value, for change detection (hashing) and audit.
    pub fn canonical(&self) -> String {
        let mut s = format!(
            "from={};avg={};floor={};ceil={};adjust={};whole_yuan={};base_round={};amount_round={};maternity_merged={}",
            self.effective_from,
            self.avg_wage.0,
            self.floor_pct,
            self.ceiling_pct,
            self.adjust_month,
            self.base_whole_yuan,
            self.base_rounding.code(),
            self.amount_rounding.code(),
            self.maternity_merged
        );
        for ((t, p), r) in &self.rates {
            s.push_str(&format!(";{t}.{}={}", p.code(), r.0));
        }
        for (i, r) in self.injury_class_rates.iter().enumerate() {
            s.push_str(&format!(";injury{}={}", i + 1, r.0));
        }
        s
    }

    /// Checks internal consistency; an empty list means the rules can be used.
    pub fn problems(&self) -> Vec<RuleProblem> {
        let mut out = Vec::new();
        let mut bad = |field: &str, message: String| out.push(RuleProblem { field: field.into(), message });
        if self.avg_wage.0 <= 0 {
            bad("avg_wage", "must be a positive amount".into());
        }
        if self.floor_pct == 0 || self.floor_pct >= self.ceiling_pct {
            bad("floor_pct", format!("must be above 0 and below ceiling_pct ({})", self.ceiling_pct));
        }
        if self.ceiling_pct > 1000 {
            bad("ceiling_pct", "must be at most 1000".into());
        }
        if !(1..=12).contains(&self.adjust_month) {
            bad("adjust_month", "must be a month 1..12".into());
        }
        for ((t, p), r) in &self.rates {
            if r.0 < 0 || r.0 > 3000 {
                bad(&format!("rates.{t}.{}", p.code()), format!("{r} is outside 0–30%"));
            }
            if *p == Party::Employee && !t.employee_pays() && r.0 != 0 {
                bad(&format!("rates.{t}.employee"), "this insurance is paid by the employer alone".into());
            }
            if *t == InsuranceType::WorkInjury {
                bad(&format!("rates.{t}"), "work injury uses injury_class_rates".into());
            }
        }
        for t in [InsuranceType::Pension, InsuranceType::Medical, InsuranceType::Unemployment] {
            for p in [Party::Employer, Party::Employee] {
                if !self.rates.contains_key(&(t, p)) {
                    bad(&format!("rates.{t}.{}", p.code()), "missing".into());
                }
            }
        }
        if !self.maternity_merged && !self.rates.contains_key(&(InsuranceType::Maternity, Party::Employer)) {
            bad("rates.maternity.employer", "missing (or set maternity_merged = true)".into());
        }
        for (i, r) in self.injury_class_rates.iter().enumerate() {
            if r.0 <= 0 || r.0 > 1000 {
                bad(&format!("injury_class_rates[{}]", i + 1), format!("{r} is outside (0, 10%]"));
            }
        }
        if self.injury_class_rates.windows(2).any(|w| w[0] > w[1]) {
            bad("injury_class_rates", "must not decrease with the risk class".into());
        }
        out
    }
}

#[cfg(test)]
pub(crate) mod fixtures {
    use super::*;

    /// Zhengzhou-like rules of docs/rules.md §5.
    pub fn zhengzhou_2025() -> TenantRules {
        let mut rates = BTreeMap::new();
        rates.insert((InsuranceType::Pension, Party::Employer), RateBp(1600));
        rates.insert((InsuranceType::Pension, Party::Employee), RateBp(800));
        rates.insert((InsuranceType::Medical, Party::Employer), RateBp(800));
        rates.insert((InsuranceType::Medical, Party::Employee), RateBp(200));
        rates.insert((InsuranceType::Unemployment, Party::Employer), RateBp(70));
        rates.insert((InsuranceType::Unemployment, Party::Employee), RateBp(30));
        TenantRules {
            effective_from: "2025-07".parse().unwrap(),
            avg_wage: Fen::from_yuan(6385),
            floor_pct: 60,
            ceiling_pct: 300,
            adjust_month: 7,
            base_whole_yuan: true,
            base_rounding: Rounding::HalfUp,
            amount_rounding: Rounding::HalfUp,
            maternity_merged: true,
            rates,
            injury_class_rates: [20, 40, 70, 90, 110, 130, 160, 190].map(RateBp),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::zhengzhou_2025;
    use super::*;

    #[test]
    fn bounds_from_reference_wage() {
        let r = zhengzhou_2025();
        assert_eq!(r.floor(), Fen::from_yuan(3831));
        assert_eq!(r.ceiling(), Fen::from_yuan(19155));
        assert!(r.problems().is_empty(), "{:?}", r.problems());
    }

    #[test]
    fn bounds_of_2006_round_to_the_fen() {
        let mut r = zhengzhou_2025();
        r.avg_wage = Fen(119_017);
        assert_eq!(r.floor(), Fen(71_410));
        assert_eq!(r.ceiling(), Fen(357_051)); // 3,570.51 exactly half-up of 3,570.51
    }

    #[test]
    fn rounding_modes_on_halves() {
        assert_eq!(Rounding::HalfUp.divide(134_085, 1000), 134);
        assert_eq!(Rounding::HalfUp.divide(5, 10), 1);
        assert_eq!(Rounding::HalfEven.divide(5, 10), 0);
        assert_eq!(Rounding::HalfEven.divide(15, 10), 2);
        assert_eq!(Rounding::Down.divide(19, 10), 1);
    }

    #[test]
    fn problems_are_reported_by_field() {
        let mut r = zhengzhou_2025();
        r.floor_pct = 400;
        r.adjust_month = 13;
        r.injury_class_rates[3] = RateBp(10);
        let fields: Vec<_> = r.problems().into_iter().map(|p| p.field).collect();
        assert!(fields.contains(&"floor_pct".to_string()));
        assert!(fields.contains(&"adjust_month".to_string()));
        assert!(fields.contains(&"injury_class_rates".to_string()));
    }

    fn fields(r: &TenantRules) -> Vec<String> {
        r.problems().into_iter().map(|p| p.field).collect()
    }

    #[test]
    fn rounding_codes_read_back() {
        for (m, code) in [(Rounding::HalfUp, "half_up"), (Rounding::HalfEven, "half_even"), (Rounding::Down, "down")] {
            assert_eq!(m.code(), code);
            assert_eq!(Rounding::parse(code), Some(m));
        }
        assert_eq!(Rounding::parse("HalfUp"), None);
        assert_eq!(Rounding::parse(""), None);
    }

    #[test]
    fn rounding_off_the_exact_half() {
        // (num, den) → (half-up, half-even, down)
        for (num, den, up, even, down) in [
            (0, 10, 0, 0, 0),
            (7, 1, 7, 7, 7),
            (14, 10, 1, 1, 1),
            (16, 10, 2, 2, 1),
            (24, 10, 2, 2, 2),
            (25, 10, 3, 2, 2),
            (26, 10, 3, 3, 2),
            (35, 10, 4, 4, 3),
            (36, 10, 4, 4, 3),
            (1, 2, 1, 0, 0),
            (3, 2, 2, 2, 1),
            (1, 3, 0, 0, 0),
            (2, 3, 1, 1, 0),
            (100, 7, 14, 14, 14),
            (101, 7, 14, 14, 14),
            (102, 7, 15, 15, 14),
        ] {
            assert_eq!(Rounding::HalfUp.divide(num, den), up, "half-up {num}/{den}");
            assert_eq!(Rounding::HalfEven.divide(num, den), even, "half-even {num}/{den}");
            assert_eq!(Rounding::Down.divide(num, den), down, "down {num}/{den}");
        }
    }

    #[test]
    fn bounds_scale_with_the_percentages() {
        let mut r = zhengzhou_2025();
        r.avg_wage = Fen(1_000);
        r.floor_pct = 3;
        r.ceiling_pct = 7;
        assert_eq!((r.floor(), r.ceiling()), (Fen(30), Fen(70)));
        r.avg_wage = Fen(150);
        r.floor_pct = 1;
        assert_eq!(r.floor(), Fen(2)); // 1.5 fen goes up
    }

    #[test]
    fn injury_rate_by_class_clamped_to_1_8() {
        let r = zhengzhou_2025();
        let by_class: Vec<i32> = (0..=9).map(|c| r.rate(InsuranceType::WorkInjury, Party::Employer, c).0).collect();
        assert_eq!(by_class, [20, 20, 40, 70, 90, 110, 130, 160, 190, 190]);
    }

    #[test]
    fn employee_never_pays_work_injury_even_if_a_rate_is_configured() {
        let mut r = zhengzhou_2025();
        r.rates.insert((InsuranceType::WorkInjury, Party::Employee), RateBp(50));
        r.rates.insert((InsuranceType::WorkInjury, Party::Employer), RateBp(50));
        assert_eq!(r.rate(InsuranceType::WorkInjury, Party::Employee, 3), RateBp(0));
        assert_eq!(r.rate(InsuranceType::WorkInjury, Party::Employer, 3), RateBp(70));
    }

    #[test]
    fn maternity_rate_only_when_not_merged() {
        let mut r = zhengzhou_2025();
        r.rates.insert((InsuranceType::Maternity, Party::Employer), RateBp(100));
        assert_eq!(r.rate(InsuranceType::Maternity, Party::Employer, 1), RateBp(0));
        r.maternity_merged = false;
        assert_eq!(r.rate(InsuranceType::Maternity, Party::Employer, 1), RateBp(100));
        assert_eq!(r.rate(InsuranceType::Maternity, Party::Employee, 1), RateBp(0));
        assert_eq!(r.rate(InsuranceType::Pension, Party::Employee, 1), RateBp(800));
        r.rates.remove(&(InsuranceType::Pension, Party::Employee));
        assert_eq!(r.rate(InsuranceType::Pension, Party::Employee, 1), RateBp(0));
    }

    #[test]
    fn canonical_lists_every_value_in_a_stable_order() {
        let r = zhengzhou_2025();
        assert_eq!(
            r.canonical(),
            "from=2025-07;avg=638500;floor=60;ceil=300;adjust=7;whole_yuan=true;base_round=half_up;amount_round=half_up;\
             maternity_merged=true;pension.employer=1600;pension.employee=800;medical.employer=800;medical.employee=200;\
             unemployment.employer=70;unemployment.employee=30;injury1=20;injury2=40;injury3=70;injury4=90;injury5=110;\
             injury6=130;injury7=160;injury8=190"
        );
        let mut changed = r.clone();
        changed.injury_class_rates[7] = RateBp(191);
        assert_ne!(changed.canonical(), r.canonical());
    }

    #[test]
    fn the_reference_wage_must_be_positive() {
        let mut r = zhengzhou_2025();
        for (wage, bad) in [(0, true), (-1, true), (1, false)] {
            r.avg_wage = Fen(wage);
            assert_eq!(fields(&r).contains(&"avg_wage".to_string()), bad, "{wage}");
        }
    }

    #[test]
    fn floor_above_zero_and_below_the_ceiling() {
        let mut r = zhengzhou_2025();
        for (floor, ceiling, bad) in [(0, 300, true), (1, 300, false), (299, 300, false), (300, 300, true), (301, 300, true)] {
            r.floor_pct = floor;
            r.ceiling_pct = ceiling;
            assert_eq!(fields(&r) == ["floor_pct"], bad, "{floor}/{ceiling}");
            assert_eq!(fields(&r).is_empty(), !bad, "{floor}/{ceiling}");
        }
    }

    #[test]
    fn ceiling_at_most_1000_percent() {
        let mut r = zhengzhou_2025();
        r.ceiling_pct = 1000;
        assert!(fields(&r).is_empty());
        r.ceiling_pct = 1001;
        assert_eq!(fields(&r), ["ceiling_pct"]);
    }

    #[test]
    fn adjustment_month_1_to_12() {
        let mut r = zhengzhou_2025();
        for (month, bad) in [(0, true), (1, false), (12, false), (13, true)] {
            r.adjust_month = month;
            assert_eq!(!fields(&r).is_empty(), bad, "{month}");
        }
    }

    #[test]
    fn rates_between_0_and_30_percent() {
        let key = (InsuranceType::Pension, Party::Employer);
        for (bp, bad) in [(-1, true), (0, false), (3000, false), (3001, true)] {
            let mut r = zhengzhou_2025();
            r.rates.insert(key, RateBp(bp));
            let p = r.problems();
            assert_eq!(p.iter().any(|p| p.field == "rates.pension.employer"), bad, "{bp}");
            assert_eq!(p.len(), usize::from(bad), "{bp}: {p:?}");
        }
        let mut r = zhengzhou_2025();
        r.rates.insert(key, RateBp(3001));
        assert_eq!(r.problems()[0].message, "30.01% is outside 0–30%");
    }

    #[test]
    fn employer_only_insurances_refuse_an_employee_rate() {
        let mut r = zhengzhou_2025();
        r.maternity_merged = false;
        r.rates.insert((InsuranceType::Maternity, Party::Employer), RateBp(100));
        assert!(fields(&r).is_empty(), "an employer maternity rate is fine: {:?}", r.problems());
        r.rates.insert((InsuranceType::Maternity, Party::Employee), RateBp(0));
        assert!(fields(&r).is_empty(), "a zero employee rate says the same as none");
        r.rates.insert((InsuranceType::Maternity, Party::Employee), RateBp(10));
        assert_eq!(fields(&r), ["rates.maternity.employee"]);
    }

    #[test]
    fn work_injury_belongs_in_the_class_rates() {
        let mut r = zhengzhou_2025();
        r.rates.insert((InsuranceType::WorkInjury, Party::Employer), RateBp(20));
        assert_eq!(fields(&r), ["rates.work_injury"]);
    }

    #[test]
    fn the_three_shared_insurances_need_both_rates() {
        for t in [InsuranceType::Pension, InsuranceType::Medical, InsuranceType::Unemployment] {
            for p in [Party::Employer, Party::Employee] {
                let mut r = zhengzhou_2025();
                r.rates.remove(&(t, p));
                assert_eq!(fields(&r), [format!("rates.{t}.{}", p.code())]);
            }
        }
    }

    #[test]
    fn a_missing_maternity_rate_when_not_merged() {
        let mut r = zhengzhou_2025();
        r.maternity_merged = false;
        assert_eq!(fields(&r), ["rates.maternity.employer"]);
        r.rates.insert((InsuranceType::Maternity, Party::Employer), RateBp(50));
        assert!(fields(&r).is_empty());
        r.maternity_merged = true;
        r.rates.clear();
        r.rates.extend(zhengzhou_2025().rates);
        assert!(fields(&r).is_empty(), "merged: no maternity rate needed");
    }

    #[test]
    fn injury_class_rates_within_0_and_10_percent_and_not_decreasing() {
        let mut r = zhengzhou_2025();
        r.injury_class_rates = [1, 1, 1, 1, 1, 1, 1, 1000].map(RateBp);
        assert!(fields(&r).is_empty(), "equal neighbours and the bounds 0.01 % and 10 % are fine");
        r.injury_class_rates[7] = RateBp(1001);
        assert_eq!(fields(&r), ["injury_class_rates[8]"]);
        r.injury_class_rates = [0, 1, 1, 1, 1, 1, 1, 1].map(RateBp);
        assert_eq!(fields(&r), ["injury_class_rates[1]"]);
        r.injury_class_rates = [2, 1, 1, 1, 1, 1, 1, 1].map(RateBp);
        assert_eq!(fields(&r), ["injury_class_rates"]);
    }
}
