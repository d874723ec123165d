//! Untrusted text at the edge: compatibility normalisation of identifiers and numbers typed on
//! Chinese input methods (full-width `４１１０…` → `4110…`), the characters a name may not hold,
//! and neutralising spreadsheet cells that would run as formulas (OWASP "CSV injection").

use std::borrow::Cow;

use unicode_normalization::UnicodeNormalization;

/// NFKC: full-width digits, letters and punctuation (U+FF01–U+FF5E), the ideographic space
/// (U+3000) and other compatibility characters become their ordinary forms. Applied to identity
/// numbers, credit codes, amounts, dates and months before they are validated; ASCII is returned
/// unchanged without allocating.
pub fn nfkc(s: &str) -> Cow<'_, str> {
    if s.is_ascii() {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.nfkc().collect())
    }
}

/// Characters no name may hold: control characters (C0, DEL, C1, NUL among them), the bidi
/// embeddings, overrides and isolates that reorder what a reader sees (U+202A–U+202E,
/// U+2066–U+2069), the zero-width space, line and paragraph separators and the byte-order mark.
/// Zero-width joiners (emoji sequences, some scripts) and combining marks are allowed.
pub fn is_forbidden_in_name(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200B}' | '\u{2028}' | '\u{2029}' | '\u{FEFF}')
}

/// The code of the problem with a name's characters, if any: `text.nul` for NUL (which
/// PostgreSQL cannot store in text), `text.control_chars` for the other forbidden characters.
pub fn name_problem(s: &str) -> Option<&'static str> {
    if s.contains('\0') {
        Some("text.nul")
    } else if s.chars().any(is_forbidden_in_name) {
        Some("text.control_chars")
    } else {
        None
    }
}

/// The problem with a free text's characters (a description, a reason), if any: as
/// [`name_problem`], except that line breaks and tabs are allowed.
pub fn text_problem(s: &str) -> Option<&'static str> {
    if s.contains('\0') {
        Some("text.nul")
    } else if s.chars().any(|c| !matches!(c, '\n' | '\r' | '\t') && is_forbidden_in_name(c)) {
        Some("text.control_chars")
    } else {
        None
    }
}

/// A value fit to echo in a report: forbidden characters shown as U+FFFD, at most `max`
/// characters.
pub fn printable(s: &str, max: usize) -> String {
    s.chars().take(max).map(|c| if is_forbidden_in_name(c) { '\u{FFFD}' } else { c }).collect()
}

/// A cell for a CSV or spreadsheet export: a cell starting with `=`, `+`, `-`, `@`, tab or
/// carriage return is prefixed with `'` so that a spreadsheet shows it as text instead of running
/// it as a formula. A plain number (`-12.50`, `+3`) is left as it is: it is not a formula.
pub fn neutralise_cell(s: &str) -> Cow<'_, str> {
    let risky = s.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if !risky || is_plain_number(s) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(format!("'{s}"))
    }
}

/// `-12`, `+3.50`: an optional sign, digits, optionally a point and digits.
fn is_plain_number(s: &str) -> bool {
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (int, frac) = body.split_once('.').unwrap_or((body, "0"));
    !int.is_empty() && !frac.is_empty() && int.bytes().all(|b| b.is_ascii_digit()) && frac.bytes().all(|b| b.is_ascii_digit())
}

/// Every cell of a record neutralised (see [`neutralise_cell`]).
pub fn neutralise_record<'a, I, S>(cells: I) -> Vec<String>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str> + 'a,
{
    cells.into_iter().map(|c| neutralise_cell(c.as_ref()).into_owned()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_text_keeps_line_breaks_but_not_controls() {
        assert_eq!(text_problem("第一行\n第二行\t完"), None);
        assert_eq!(text_problem("a\0b"), Some("text.nul"));
        assert_eq!(text_problem("a\u{7}b"), Some("text.control_chars"));
        assert_eq!(text_problem("\u{202E}abc"), Some("text.control_chars"));
    }

    #[test]
    fn full_width_digits_letters_and_space_become_ascii() {
        assert_eq!(nfkc("４１１００２１９８５１１２０００４ｘ"), "41100219851120004x");
        assert_eq!(nfkc("９１４１１０００ＭＡ３Ｘ５Ｒ７Ｔ２Ｋ"), "91411000MA3X5R7T2K");
        assert_eq!(nfkc("\u{3000}４５００．５０"), " 4500.50");
        assert!(matches!(nfkc("411002198511200044"), Cow::Borrowed(_)));
    }

    #[test]
    fn names_refuse_control_and_reordering_characters_only() {
        for ok in ["张三", "José", "Jose\u{301}", "阿依古丽·买买提", "👨\u{200D}👩\u{200D}👧", "𠀀"] {
            assert_eq!(name_problem(ok), None, "{ok:?}");
        }
        assert_eq!(name_problem("张\0三"), Some("text.nul"));
        for bad in ["张\u{7}三", "\u{1b}[31m", "a\u{85}b", "a\u{202E}b", "a\u{2066}b", "a\u{200B}b", "a\nb", "a\u{7f}"] {
            assert_eq!(name_problem(bad), Some("text.control_chars"), "{bad:?}");
        }
        assert_eq!(printable("a\u{7}b\0c", 10), "a\u{FFFD}b\u{FFFD}c");
    }

    #[test]
    fn formula_cells_are_neutralised_and_numbers_left_alone() {
        for (cell, out) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+1+2", "'+1+2"),
            ("-1+2", "'-1+2"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("-", "'-"),
            ("-12.50", "-12.50"),
            ("+3", "+3"),
            ("12", "12"),
            ("张三", "张三"),
            ("", ""),
            ("a=b", "a=b"),
        ] {
            assert_eq!(neutralise_cell(cell), out, "{cell:?}");
        }
        assert_eq!(neutralise_record(["=1", "2"]), ["'=1", "2"]);
    }
}
