//! Payment account numbers as shown to people who do not need the full number: like identity
//! numbers, only the last four characters stay visible (JR/T 0171-2020 personal financial
//! information display: bank card numbers show at most the first six and last four digits).

/// `6222020200000000001` → `***************0001`; at most four characters are shown, and none of
/// a value of four characters or fewer. Counts characters, never bytes.
pub fn mask(account: &str) -> String {
    let chars: Vec<char> = account.chars().collect();
    if chars.len() <= 4 {
        return "*".repeat(chars.len());
    }
    let keep = chars.len() - 4;
    chars.iter().enumerate().map(|(i, c)| if i < keep { '*' } else { *c }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_last_four() {
        assert_eq!(mask("6222020200000000001"), "***************0001");
        assert_eq!(mask("12345"), "*2345");
    }

    #[test]
    fn short_values_are_hidden_entirely() {
        assert_eq!(mask("1234"), "****");
        assert_eq!(mask(""), "");
    }

    #[test]
    fn counts_characters_not_bytes() {
        assert_eq!(mask("账户１２３４５"), "***２３４５");
    }
}
