//! Money in integer fen (分) and rates in basis points. Never floating point.

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, Sub};

use serde::{Deserialize, Serialize};

use crate::error::FieldError;

/// An amount of money in fen (1 yuan = 100 fen).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(transparent)]
pub struct Fen(pub i64);

impl Fen {
    pub const ZERO: Fen = Fen(0);

    pub const fn from_yuan(yuan: i64) -> Fen {
        Fen(yuan * 100)
    }

    /// Parses a yuan amount as people write it: `3000`, `3000.5`, `3,000.50`, `¥3000`.
    /// At most two decimals; negative amounts are refused.
    pub fn parse_yuan(field: &'static str, input: &str) -> Result<Fen, FieldError> {
        let input = crate::text::nfkc(input);
        let s: String = input.trim().trim_start_matches(['¥', '￥']).chars().filter(|c| *c != ',' && *c != '，').collect();
        if s.is_empty() {
            return Err(FieldError::new(field, "required"));
        }
        let (int, frac) = match s.split_once('.') {
            Some((i, f)) => (i, f),
            None => (s.as_str(), ""),
        };
        let digits_ok = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
        if int.is_empty() || !digits_ok(int) || !digits_ok(frac) || frac.len() > 2 || int.len() > 12 {
            return Err(FieldError::new(field, "money.format"));
        }
        let yuan: i64 = int.parse().map_err(|_| FieldError::new(field, "money.format"))?;
        let mut fen: i64 = if frac.is_empty() { 0 } else { frac.parse().unwrap_or(0) };
        if frac.len() == 1 {
            fen *= 10;
        }
        Ok(Fen(yuan * 100 + fen))
    }

    pub fn yuan_string(self) -> String {
        self.to_string()
    }
}

impl fmt::Display for Fen {
    /// `612.96`, `-0.05`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", a / 100, a % 100)
    }
}

impl Add for Fen {
    type Output = Fen;
    fn add(self, o: Fen) -> Fen {
        Fen(self.0 + o.0)
    }
}

impl Sub for Fen {
    type Output = Fen;
    fn sub(self, o: Fen) -> Fen {
        Fen(self.0 - o.0)
    }
}

impl Sum for Fen {
    fn sum<I: Iterator<Item = Fen>>(iter: I) -> Fen {
        Fen(iter.map(|f| f.0).sum())
    }
}

/// A rate in basis points (1 bp = 0.01%): 16% = 1600, 0.7% = 70.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(transparent)]
pub struct RateBp(pub i32);

impl RateBp {
    /// Parses a percentage such as `16`, `0.7`, `7.5`, `0.25` into basis points.
    pub fn parse_percent(input: &str) -> Option<RateBp> {
        let s = input.trim().trim_end_matches('%');
        let (int, frac) = s.split_once('.').unwrap_or((s, ""));
        if int.is_empty() || frac.len() > 2 || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
            return None;
        }
        let i: i32 = int.parse().ok()?;
        let mut f: i32 = if frac.is_empty() { 0 } else { frac.parse().ok()? };
        if frac.len() == 1 {
            f *= 10;
        }
        let bp = i.checked_mul(100)?.checked_add(f)?;
        (bp <= 10_000).then_some(RateBp(bp))
    }
}

impl fmt::Display for RateBp {
    /// `16%`, `0.7%`, `7.5%`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (i, r) = (self.0 / 100, self.0 % 100);
        if r == 0 {
            write!(f, "{i}%")
        } else if r % 10 == 0 {
            write!(f, "{i}.{}%", r / 10)
        } else {
            write!(f, "{i}.{r:02}%")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_yuan() {
        assert_eq!(Fen::parse_yuan("w", "3000").unwrap(), Fen(300_000));
        assert_eq!(Fen::parse_yuan("w", "3,000.5").unwrap(), Fen(300_050));
        assert_eq!(Fen::parse_yuan("w", "¥0.05").unwrap(), Fen(5));
        assert_eq!(Fen::parse_yuan("w", "").unwrap_err().code, "required");
        for bad in ["-1", "1.234", "abc", "1e5", ".5"] {
            assert_eq!(Fen::parse_yuan("w", bad).unwrap_err().code, "money.format", "{bad}");
        }
    }

    #[test]
    fn displays_yuan() {
        assert_eq!(Fen(61_296).to_string(), "612.96");
        assert_eq!(Fen(-5).to_string(), "-0.05");
        assert_eq!(Fen(0).to_string(), "0.00");
    }

    #[test]
    fn parses_and_shows_rates() {
        assert_eq!(RateBp::parse_percent("16"), Some(RateBp(1600)));
        assert_eq!(RateBp::parse_percent("0.7"), Some(RateBp(70)));
        assert_eq!(RateBp::parse_percent("7.5%"), Some(RateBp(750)));
        assert_eq!(RateBp::parse_percent("0.25"), Some(RateBp(25)));
        assert_eq!(RateBp::parse_percent("101"), None);
        assert_eq!(RateBp(750).to_string(), "7.5%");
        assert_eq!(RateBp(25).to_string(), "0.25%");
        assert_eq!(RateBp(1600).to_string(), "16%");
    }

    #[test]
    fn yuan_to_fen() {
        assert_eq!(Fen::from_yuan(3), Fen(300));
        assert_eq!(Fen::from_yuan(0), Fen::ZERO);
        assert_eq!(Fen::from_yuan(-2), Fen(-200));
    }

    #[test]
    fn one_decimal_is_tenths_and_two_are_hundredths() {
        assert_eq!(Fen::parse_yuan("w", "0.5").unwrap(), Fen(50));
        assert_eq!(Fen::parse_yuan("w", "0.05").unwrap(), Fen(5));
        assert_eq!(Fen::parse_yuan("w", "12.34").unwrap(), Fen(1234));
        assert_eq!(Fen::parse_yuan("w", "7.").unwrap(), Fen(700));
        assert_eq!(Fen::parse_yuan("w", "0").unwrap(), Fen::ZERO);
        assert_eq!(Fen::parse_yuan("w", "0.00").unwrap(), Fen::ZERO);
    }

    #[test]
    fn separators_and_symbols_full_width_included() {
        assert_eq!(Fen::parse_yuan("w", "￥3，000.50").unwrap(), Fen(300_050));
        assert_eq!(Fen::parse_yuan("w", " ¥1,234,567 ").unwrap(), Fen(123_456_700));
        assert_eq!(Fen::parse_yuan("w", "３０００").unwrap(), Fen(300_000));
        assert_eq!(Fen::parse_yuan("w", "¥").unwrap_err().code, "required");
        assert_eq!(Fen::parse_yuan("w", " , ").unwrap_err().code, "required");
    }

    #[test]
    fn at_most_twelve_yuan_digits() {
        assert_eq!(Fen::parse_yuan("w", "999999999999.99").unwrap(), Fen(99_999_999_999_999));
        assert_eq!(Fen::parse_yuan("w", "000000000001").unwrap(), Fen(100));
        for bad in ["1000000000000", "9999999999999.99", "0000000000001"] {
            let e = Fen::parse_yuan("wage", bad).unwrap_err();
            assert_eq!((e.field.as_ref(), e.code), ("wage", "money.format"), "{bad}");
        }
    }

    #[test]
    fn malformed_amounts_are_refused() {
        for bad in ["1.2.3", "1.x", "x.5", "1 000", "+5", "5-", "1.-5", "0.005"] {
            assert_eq!(Fen::parse_yuan("w", bad).unwrap_err().code, "money.format", "{bad}");
        }
    }

    #[test]
    fn arithmetic() {
        assert_eq!(Fen(700) + Fen(25), Fen(725));
        assert_eq!(Fen(700) - Fen(25), Fen(675));
        assert_eq!(Fen(25) - Fen(700), Fen(-675));
        assert_eq!([Fen(1), Fen(20), Fen(300)].into_iter().sum::<Fen>(), Fen(321));
        assert_eq!(std::iter::empty::<Fen>().sum::<Fen>(), Fen::ZERO);
        assert_eq!(Fen(-1).yuan_string(), "-0.01");
        assert_eq!(Fen(-12_345).to_string(), "-123.45");
        assert_eq!(Fen(1).to_string(), "0.01");
        assert_eq!(Fen(100).yuan_string(), "1.00");
    }

    #[test]
    fn rates_have_at_most_two_decimals_and_at_most_100_percent() {
        assert_eq!(RateBp::parse_percent("0.255"), None);
        assert_eq!(RateBp::parse_percent("0.255%"), None);
        assert_eq!(RateBp::parse_percent("100"), Some(RateBp(10_000)));
        assert_eq!(RateBp::parse_percent("100.00"), Some(RateBp(10_000)));
        assert_eq!(RateBp::parse_percent("100.01"), None);
        assert_eq!(RateBp::parse_percent("0"), Some(RateBp(0)));
        assert_eq!(RateBp::parse_percent(" 8 % "), None);
        assert_eq!(RateBp::parse_percent(" 8%"), Some(RateBp(800)));
        assert_eq!(RateBp::parse_percent("0.05"), Some(RateBp(5)));
        assert_eq!(RateBp::parse_percent("1.5"), Some(RateBp(150)));
        assert_eq!(RateBp::parse_percent("12.34"), Some(RateBp(1234)));
        for bad in ["", "%", ".5", "-1", "1e2", "x", "1.x", "1.2.3", "99999999999"] {
            assert_eq!(RateBp::parse_percent(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn rate_display_drops_trailing_zeros() {
        for (bp, shown) in [(0, "0%"), (5, "0.05%"), (50, "0.5%"), (105, "1.05%"), (1050, "10.5%"), (1234, "12.34%"), (10_000, "100%")] {
            assert_eq!(RateBp(bp).to_string(), shown);
            assert_eq!(RateBp::parse_percent(shown), Some(RateBp(bp)), "{shown} reads back");
        }
    }
}
