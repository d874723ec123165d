//! Password hashing with Argon2id (OWASP-recommended parameters of the argon2 crate's defaults).

use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rand::Rng;

pub fn hash(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(|e| anyhow::anyhow!("hash: {e}"))
}

pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// A dummy hash to verify against when the user does not exist, so timing does not reveal it.
pub fn dummy_hash() -> &'static str {
    use std::sync::OnceLock;
    static H: OnceLock<String> = OnceLock::new();
    H.get_or_init(|| hash("not-a-real-password").unwrap_or_default())
}

/// A readable random password: 16 characters without look-alikes, always with letters and digits.
pub fn generate() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";
    let mut rng = rand::thread_rng();
    loop {
        let p: String = (0..16).map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char).collect();
        if acceptable(&p) {
            return p;
        }
    }
}

/// Minimum policy: 10+ characters with letters and digits.
pub fn acceptable(p: &str) -> bool {
    p.chars().count() >= 10 && p.chars().any(|c| c.is_ascii_digit()) && p.chars().any(char::is_alphabetic)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_dummy_hash_costs_what_a_real_one_costs() {
        // Same algorithm, version and cost parameters: verifying an unknown user's password takes
        // the same work as verifying a real one.
        let params = |h: &str| h.rsplitn(3, '$').nth(2).map(str::to_string);
        let real = hash("Some-real-password-1").unwrap();
        assert_eq!(params(dummy_hash()), params(&real));
        assert!(params(&real).is_some_and(|p| p.starts_with("$argon2id$")));
    }

    use super::*;

    #[test]
    fn hash_and_verify() {
        let h = hash("correct horse 1").unwrap();
        assert!(verify("correct horse 1", &h));
        assert!(!verify("wrong", &h));
        assert!(!verify("x", "not a hash"));
        for _ in 0..200 {
            assert!(acceptable(&generate()));
        }
    }
}
