//! Resident identity number, GB 11643-1999 (docs/rules.md §2).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::FieldError;

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS: &[u8; 11] = b"10X98765432";
const FIELD: &str = "id_number";

/// Derived from the identity number (17th digit odd: male).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    Male,
    Female,
}

impl Gender {
    pub fn code(self) -> &'static str {
        match self {
            Gender::Male => "male",
            Gender::Female => "female",
        }
    }
}

/// An 18-character identity number whose checksum and birth date are valid.
/// Constructed only by [`IdNumber::parse`]; stored upper-case.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IdNumber(String);

impl IdNumber {
    /// Parses an 18-digit number (lower-case `x` accepted) or upgrades a 15-digit legacy number.
    /// Full-width digits and letters (`４１１０…`, typed on Chinese input methods) are normalised
    /// (NFKC) first; the length is counted in characters. `today` bounds the birth date: nobody is
    /// born in the future.
    pub fn parse(input: &str, today: NaiveDate) -> Result<Self, FieldError> {
        let s = crate::text::nfkc(input.trim()).trim().to_ascii_uppercase();
        let full = match s.chars().count() {
            18 | 15 if !s.is_ascii() => return Err(FieldError::new(FIELD, "id_number.format")),
            18 => s,
            15 => upgrade_15(&s)?,
            0 => return Err(FieldError::new(FIELD, "required")),
            _ => return Err(FieldError::new(FIELD, "id_number.length")),
        };
        let bytes = full.as_bytes();
        if !bytes[..17].iter().all(u8::is_ascii_digit) {
            return Err(FieldError::new(FIELD, "id_number.format"));
        }
        let last = bytes[17];
        if !(last.is_ascii_digit() || last == b'X') {
            return Err(FieldError::new(FIELD, "id_number.format"));
        }
        let birth = birth_date_of(&full[6..14]).ok_or(FieldError::new(FIELD, "id_number.birth_date"))?;
        if birth > today {
            return Err(FieldError::new(FIELD, "id_number.birth_in_future"));
        }
        if check_char(&bytes[..17]) != last {
            return Err(FieldError::new(FIELD, "id_number.checksum"));
        }
        Ok(IdNumber(full))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn birth_date(&self) -> NaiveDate {
        birth_date_of(&self.0[6..14]).expect("validated at parse")
    }

    /// 17th digit: odd is male, even is female.
    pub fn gender(&self) -> Gender {
        if (self.0.as_bytes()[16] - b'0') % 2 == 1 {
            Gender::Male
        } else {
            Gender::Female
        }
    }

    /// Six-digit area code as issued (may no longer exist; never rejected for that).
    pub fn area_code(&self) -> &str {
        &self.0[..6]
    }

    /// `4110**********0044`: first four and last four characters.
    pub fn masked(&self) -> String {
        mask(&self.0)
    }
}

/// Masks any identity number, stored or as typed, the same way as [`IdNumber::masked`]: by
/// characters, never by bytes (a full-width or otherwise multi-byte value must not be cut inside
/// a character); characters a name may not hold are shown as U+FFFD.
pub fn mask(id: &str) -> String {
    let chars: Vec<char> = id.chars().map(|c| if crate::text::is_forbidden_in_name(c) { '\u{FFFD}' } else { c }).collect();
    let n = chars.len();
    if n < 8 {
        return "*".repeat(n);
    }
    let mut out: String = chars[..4].iter().collect();
    out.push_str(&"*".repeat(n - 8));
    out.extend(&chars[n - 4..]);
    out
}

fn check_char(first17: &[u8]) -> u8 {
    let sum: u32 = first17.iter().zip(WEIGHTS).map(|(d, w)| u32::from(d - b'0') * w).sum();
    CHECK_CHARS[(sum % 11) as usize]
}

fn birth_date_of(yyyymmdd: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(yyyymmdd, "%Y%m%d").ok().filter(|d| d.year_ce().1 >= 1850)
}

fn upgrade_15(s: &str) -> Result<String, FieldError> {
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(FieldError::new(FIELD, "id_number.format"));
    }
    let mut first17 = String::with_capacity(18);
    first17.push_str(&s[..6]);
    first17.push_str("19");
    first17.push_str(&s[6..]);
    let c = check_char(first17.as_bytes());
    first17.push(c as char);
    Ok(first17)
}

use chrono::Datelike;

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
    }

    #[test]
    fn reference_examples_are_valid() {
        for (id, birth, gender) in [
            ("410102199003071230", "1990-03-07", Gender::Male),
            ("411002198511200044", "1985-11-20", Gender::Female),
            ("411602197806150521", "1978-06-15", Gender::Female),
            ("410602199202291014", "1992-02-29", Gender::Male),
            ("11010519491231002X", "1949-12-31", Gender::Female),
        ] {
            let p = IdNumber::parse(id, today()).unwrap_or_else(|e| panic!("{id}: {e}"));
            assert_eq!(p.birth_date().to_string(), birth);
            assert_eq!(p.gender(), gender, "{id}");
        }
    }

    #[test]
    fn lower_case_x_is_accepted_and_stored_upper() {
        let p = IdNumber::parse("11010519491231002x", today()).unwrap();
        assert_eq!(p.as_str(), "11010519491231002X");
    }

    #[test]
    fn wrong_check_character_is_rejected() {
        let e = IdNumber::parse("410102199003071231", today()).unwrap_err();
        assert_eq!(e.code, "id_number.checksum");
    }

    #[test]
    fn thirtieth_of_february_is_rejected() {
        // 1990-02-30 with a correctly computed check character still fails on the date.
        let mut first17 = b"41010219900230123".to_vec();
        let c = check_char(&first17);
        first17.push(c);
        let id = String::from_utf8(first17).unwrap();
        assert_eq!(IdNumber::parse(&id, today()).unwrap_err().code, "id_number.birth_date");
    }

    #[test]
    fn future_birth_date_is_rejected() {
        let mut first17 = b"41010220300101123".to_vec();
        let c = check_char(&first17);
        first17.push(c);
        let id = String::from_utf8(first17).unwrap();
        assert_eq!(IdNumber::parse(&id, today()).unwrap_err().code, "id_number.birth_in_future");
    }

    #[test]
    fn fifteen_digit_numbers_are_upgraded() {
        // 410102900307123 -> 41010219900307123 + check
        let p = IdNumber::parse("410102900307123", today()).unwrap();
        assert_eq!(p.as_str(), "410102199003071230");
    }

    #[test]
    fn bad_lengths_and_characters() {
        assert_eq!(IdNumber::parse("", today()).unwrap_err().code, "required");
        assert_eq!(IdNumber::parse("4101", today()).unwrap_err().code, "id_number.length");
        assert_eq!(IdNumber::parse("41010219900307123A", today()).unwrap_err().code, "id_number.format");
        assert_eq!(IdNumber::parse("4101021990030712X0", today()).unwrap_err().code, "id_number.format");
    }

    #[test]
    fn masking_keeps_four_and_four() {
        let p = IdNumber::parse("411002198511200044", today()).unwrap();
        assert_eq!(p.masked(), "4110**********0044");
    }

    #[test]
    fn full_width_numbers_are_normalised_and_hostile_ones_rejected_without_panic() {
        let p = IdNumber::parse("４１１００２１９８５１１２０００４４", today()).unwrap();
        assert_eq!(p.as_str(), "411002198511200044");
        assert_eq!(IdNumber::parse("\u{3000}１１０１０５１９４９１２３１００２ｘ", today()).unwrap().as_str(), "11010519491231002X");
        for (hostile, code) in [
            ("4110\u{301}😀99", "id_number.length"),
            ("41100219851120004\u{301}", "id_number.format"),
            ("张三李四王五赵六钱七孙八周九吴十郑王", "id_number.format"),
            ("41100219851120\u{0}044", "id_number.format"),
            ("=1+2", "id_number.length"),
        ] {
            assert_eq!(IdNumber::parse(hostile, today()).unwrap_err().code, code, "{hostile:?}");
        }
        IdNumber::parse(&"４".repeat(10_000), today()).unwrap_err();
    }

    #[test]
    fn masking_counts_characters_not_bytes() {
        assert_eq!(mask("４１１００２１９８５１１２０００４４"), "４１１０**********００４４");
        assert_eq!(mask("4110\u{301}😀99"), "4110\u{301}😀99");
        assert_eq!(mask("张三"), "**");
        assert_eq!(mask("4110\u{0}\u{7}x0044"), "4110***0044");
        assert_eq!(mask("\u{0}\u{7}10xxxx0044"), "\u{FFFD}\u{FFFD}10****0044");
        assert_eq!(mask(&"😀".repeat(10_000)).chars().count(), 10_000);
    }

    #[test]
    fn retired_area_codes_are_accepted() {
        // 411023 (许昌县) no longer exists; the number is still valid.
        let mut first17 = b"41102319800101001".to_vec();
        let c = check_char(&first17);
        first17.push(c);
        let id = String::from_utf8(first17).unwrap();
        assert_eq!(IdNumber::parse(&id, today()).unwrap().area_code(), "411023");
    }

    #[test]
    fn gender_codes() {
        assert_eq!((Gender::Male.code(), Gender::Female.code()), ("male", "female"));
    }

    #[test]
    fn born_today_is_accepted() {
        let mut first17 = b"41010220261127123".to_vec();
        let c = check_char(&first17);
        first17.push(c);
        let id = String::from_utf8(first17).unwrap();
        assert_eq!(IdNumber::parse(&id, today()).unwrap().birth_date(), today());
        let yesterday = today().pred_opt().unwrap();
        assert_eq!(IdNumber::parse(&id, yesterday).unwrap_err().code, "id_number.birth_in_future");
    }
}
