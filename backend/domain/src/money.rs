//! Money in integer fen (分) and rates in basis points. Never floating point.

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, Sub};

use serde::{Deserialize, Serialize};

use crate::error::FieldError;

/// An amount of money in fen (1 yuan = 100 fen).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
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
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
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
}
