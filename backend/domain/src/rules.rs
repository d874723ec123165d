//! A tenant's contribution rules for one effective period (docs/rules.md §4–5).
//! Every value here is a city's choice and comes from `tenants/`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::insurance::{InsuranceType, Party};
use crate::money::{Fen, RateBp};
use crate::period::Period;

/// How an amount in fractions of a fen is brought to whole fen (or a base to whole yuan).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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
}
