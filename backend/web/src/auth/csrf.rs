//! CSRF: a synchronizer token carried in the session's claims and embedded in every form; the
//! login form, before any session exists, uses a double-submit cookie.

use rand::RngCore;

pub const LOGIN_COOKIE: &str = "jinbao_login_csrf";

pub fn new_token() -> String {
    let mut b = [0u8; 24];
    rand::thread_rng().fill_bytes(&mut b);
    hex::encode(b)
}

/// Constant-time comparison of the expected and submitted tokens.
pub fn matches(expected: &str, submitted: &str) -> bool {
    let (a, b) = (expected.as_bytes(), submitted.as_bytes());
    !a.is_empty() && a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    #[test]
    fn compares() {
        assert!(super::matches("abc", "abc"));
        assert!(!super::matches("abc", "abd"));
        assert!(!super::matches("", ""));
        assert!(!super::matches("abc", "ab"));
    }
}
