//! A contribution period: one calendar month, written `YYYY-MM`.

use std::fmt;
use std::str::FromStr;

use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

/// Year and month; ordered chronologically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    year: i32,
    month: u32,
}

impl Period {
    pub fn new(year: i32, month: u32) -> Option<Period> {
        ((1..=12).contains(&month) && (1900..=2999).contains(&year)).then_some(Period { year, month })
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u32 {
        self.month
    }

    /// Months since year 0, for arithmetic and compact storage.
    pub fn index(self) -> i32 {
        self.year * 12 + self.month as i32 - 1
    }

    pub fn from_index(i: i32) -> Option<Period> {
        Period::new(i.div_euclid(12), (i.rem_euclid(12) + 1) as u32)
    }

    pub fn plus_months(self, n: i32) -> Option<Period> {
        Period::from_index(self.index() + n)
    }

    /// First day of the month.
    pub fn first_day(self) -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(self.year, self.month, 1).expect("valid period")
    }

    pub fn of_date(d: chrono::NaiveDate) -> Period {
        use chrono::Datelike;
        Period { year: d.year(), month: d.month() }
    }

    /// The base year containing this period for a tenant adjusting bases in `adjust_month`:
    /// with July, 2026-03 belongs to the base year starting 2025-07.
    pub fn base_year_start(self, adjust_month: u32) -> Period {
        let year = if self.month >= adjust_month { self.year } else { self.year - 1 };
        Period { year, month: adjust_month }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodParseError;

impl fmt::Display for PeriodParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("expected a period as YYYY-MM")
    }
}

impl std::error::Error for PeriodParseError {}

impl FromStr for Period {
    type Err = PeriodParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (y, m) = s.trim().split_once('-').ok_or(PeriodParseError)?;
        if y.len() != 4 || m.is_empty() || m.len() > 2 {
            return Err(PeriodParseError);
        }
        let y: i32 = y.parse().map_err(|_| PeriodParseError)?;
        let m: u32 = m.parse().map_err(|_| PeriodParseError)?;
        Period::new(y, m).ok_or(PeriodParseError)
    }
}

impl Serialize for Period {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl schemars::JsonSchema for Period {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Period".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^\\s*[0-9]{4}-(0?[1-9]|1[0-2])\\s*$",
            "example": "2026-12",
            "description": "A contribution period (month), `YYYY-MM`; `2026-7` is accepted as `2026-07` (`period.format`). Years 1900–2999."
        })
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(|_| de::Error::custom(format!("invalid period `{s}`, expected YYYY-MM")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_orders() {
        let a: Period = "2026-07".parse().unwrap();
        let b: Period = "2026-12".parse().unwrap();
        assert!(a < b);
        assert_eq!(a.plus_months(6), Some("2027-01".parse().unwrap()));
        assert_eq!(a.to_string(), "2026-07");
        assert!("2026-13".parse::<Period>().is_err());
        assert!("26-01".parse::<Period>().is_err());
    }

    #[test]
    fn base_year_depends_on_adjustment_month() {
        let p: Period = "2026-03".parse().unwrap();
        assert_eq!(p.base_year_start(7).to_string(), "2025-07");
        assert_eq!(p.base_year_start(1).to_string(), "2026-01");
        let q: Period = "2026-07".parse().unwrap();
        assert_eq!(q.base_year_start(7).to_string(), "2026-07");
    }

    fn p(s: &str) -> Period {
        s.parse().unwrap()
    }

    #[test]
    fn parts_and_index() {
        let a = p("2026-03");
        assert_eq!((a.year(), a.month()), (2026, 3));
        assert_eq!(a.index(), 2026 * 12 + 2);
        assert_eq!(p("2026-01").index() + 11, p("2026-12").index());
        assert_eq!(p("2026-12").index() + 1, p("2027-01").index());
        assert_eq!(Period::from_index(a.index()), Some(a));
        assert_eq!(Period::from_index(2026 * 12), Some(p("2026-01")));
        assert_eq!(Period::from_index(2026 * 12 + 11), Some(p("2026-12")));
    }

    #[test]
    fn month_arithmetic_both_ways_and_its_range() {
        let a = p("2026-03");
        assert_eq!(a.plus_months(0), Some(a));
        assert_eq!(a.plus_months(-3), Some(p("2025-12")));
        assert_eq!(a.plus_months(10), Some(p("2027-01")));
        assert_eq!(a.plus_months(-2), Some(p("2026-01")));
        assert_eq!(p("1900-01").plus_months(-1), None);
        assert_eq!(p("2999-12").plus_months(1), None);
        assert_eq!(Period::new(1899, 12), None);
        assert_eq!(Period::new(3000, 1), None);
        assert_eq!(Period::new(2026, 0), None);
    }

    #[test]
    fn dates() {
        let d = chrono::NaiveDate::from_ymd_opt(2026, 2, 28).unwrap();
        assert_eq!(Period::of_date(d), p("2026-02"));
        assert_eq!(p("2026-02").first_day(), chrono::NaiveDate::from_ymd_opt(2026, 2, 1).unwrap());
    }

    #[test]
    fn base_year_at_the_adjustment_month_boundary() {
        assert_eq!(p("2026-06").base_year_start(7), p("2025-07"));
        assert_eq!(p("2026-07").base_year_start(7), p("2026-07"));
        assert_eq!(p("2026-12").base_year_start(7), p("2026-07"));
        assert_eq!(p("2026-01").base_year_start(1), p("2026-01"));
        assert_eq!(p("2026-12").base_year_start(1), p("2026-01"));
    }

    #[test]
    fn parsing_accepts_one_or_two_month_digits_only() {
        assert_eq!(p(" 2026-7 "), p("2026-07"));
        for bad in ["2026-", "2026-007", "20266-01", "02026-07", "+2026-07", "-01", "2026/07", "2026-x", "abcd-01", "2026-00", ""] {
            assert_eq!(bad.parse::<Period>(), Err(PeriodParseError), "{bad:?}");
        }
        assert_eq!(PeriodParseError.to_string(), "expected a period as YYYY-MM");
    }

    #[test]
    fn serde_uses_the_text_form() {
        assert_eq!(serde_json::to_string(&p("2026-07")).unwrap(), "\"2026-07\"");
        assert_eq!(serde_json::from_str::<Period>("\"2026-07\"").unwrap(), p("2026-07"));
        let e = serde_json::from_str::<Period>("\"2026-13\"").unwrap_err().to_string();
        assert!(e.contains("invalid period `2026-13`, expected YYYY-MM"), "{e}");
    }
}
