//! Unified social credit code, GB 32100-2015 (docs/rules.md §3).

use crate::error::FieldError;

const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const FIELD: &str = "credit_code";

/// An 18-character credit code with a valid check character; stored upper-case.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CreditCode(String);

fn value_of(c: u8) -> Option<u32> {
    ALPHABET.iter().position(|&a| a == c).map(|p| p as u32)
}

impl CreditCode {
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let s = crate::text::nfkc(input.trim()).trim().to_ascii_uppercase();
        if s.is_empty() {
            return Err(FieldError::new(FIELD, "required"));
        }
        if s.chars().count() != 18 {
            return Err(FieldError::new(FIELD, "credit_code.length"));
        }
        if !s.is_ascii() {
            return Err(FieldError::new(FIELD, "credit_code.format"));
        }
        if s.len() != 18 {
            return Err(FieldError::new(FIELD, "credit_code.length"));
        }
        let values: Option<Vec<u32>> = s.bytes().map(value_of).collect();
        let values = values.ok_or(FieldError::new(FIELD, "credit_code.format"))?;
        if !s.as_bytes()[2..8].iter().all(u8::is_ascii_digit) {
            return Err(FieldError::new(FIELD, "credit_code.format"));
        }
        let sum: u32 = values[..17].iter().zip(WEIGHTS).map(|(v, w)| v * w).sum();
        let check = (31 - sum % 31) % 31;
        if values[17] != check {
            return Err(FieldError::new(FIELD, "credit_code.checksum"));
        }
        Ok(CreditCode(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Positions 3–8: the registering area.
    pub fn area_code(&self) -> &str {
        &self.0[2..8]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_examples_are_valid() {
        for c in ["91410100MA3X7K2P21", "12411600415600120Q", "914110001725001321", "91350100M000100Y43"] {
            CreditCode::parse(c).unwrap_or_else(|e| panic!("{c}: {e}"));
        }
    }

    #[test]
    fn lower_case_is_accepted() {
        assert_eq!(CreditCode::parse("91410100ma3x7k2p21").unwrap().as_str(), "91410100MA3X7K2P21");
    }

    #[test]
    fn wrong_check_is_rejected() {
        assert_eq!(CreditCode::parse("91410100MA3X7K2P22").unwrap_err().code, "credit_code.checksum");
    }

    #[test]
    fn forbidden_letters_are_rejected() {
        for c in ["91410100MA3X7K2PI1", "91410100MA3X7K2PO1", "91410100MA3X7K2PS1", "91410100MA3X7K2PZ1"] {
            assert_eq!(CreditCode::parse(c).unwrap_err().code, "credit_code.format", "{c}");
        }
    }

    #[test]
    fn full_width_codes_are_normalised() {
        assert_eq!(CreditCode::parse("９１４１０１００ｍａ３ｘ７ｋ２ｐ２１").unwrap().as_str(), "91410100MA3X7K2P21");
        assert_eq!(CreditCode::parse("91410100MA3X7K2P2\u{301}").unwrap_err().code, "credit_code.format");
        assert_eq!(CreditCode::parse("许昌市恒达机械有限公司一二三四五六七").unwrap_err().code, "credit_code.format");
    }

    #[test]
    fn length_is_checked() {
        assert_eq!(CreditCode::parse("9141").unwrap_err().code, "credit_code.length");
        assert_eq!(CreditCode::parse(" ").unwrap_err().code, "required");
    }

    #[test]
    fn area_code_is_positions_three_to_eight() {
        assert_eq!(CreditCode::parse("91410100MA3X7K2P21").unwrap().area_code(), "410100");
        assert_eq!(CreditCode::parse("12411600415600120Q").unwrap().area_code(), "411600");
    }
}
