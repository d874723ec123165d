//! Token signing keys and claims. HS256 only; each `kid` is bound to one key; `nbf`, `exp`, `iss`
//! and `aud` are validated. The key file holds one `kid:base64-secret` per line; the first line
//! signs, the others only verify (rotation).

use std::collections::HashMap;
use std::path::Path;

use base64::Engine;
use jsonwebtoken::{decode, decode_header, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use serde::{Deserialize, Serialize};

pub const ISSUER: &str = "jinbao";
pub const AUDIENCE: &str = "jinbao";
/// The audience of tokens of employers' and persons' own accounts: a staff door never accepts
/// one, and the portal never accepts a staff token.
pub const PUBLIC_AUDIENCE: &str = "jinbao-public";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Claims {
    pub iss: String,
    pub aud: String,
    /// User id.
    pub sub: String,
    /// Internal tenant id.
    pub tid: i16,
    /// Tenant division code.
    pub tcode: String,
    pub office: i32,
    pub username: String,
    pub roles: Vec<String>,
    pub jti: String,
    pub iat: i64,
    pub nbf: i64,
    pub exp: i64,
    /// Synchronizer token for forms of this session.
    pub csrf: String,
    /// The password must be changed before anything else (first login, reset by an admin).
    #[serde(default)]
    pub pwd: bool,
    /// The user's token epoch when issued: a token of an older epoch is refused (disabled, password
    /// reset or changed, roles changed).
    #[serde(default)]
    pub ep: i32,
}

pub struct KeySet {
    active_kid: String,
    encoding: EncodingKey,
    decoding: HashMap<String, DecodingKey>,
}

#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("malformed token")]
    Malformed,
    #[error("unknown key id")]
    UnknownKid,
    #[error("invalid token: {0}")]
    Invalid(String),
}

impl KeySet {
    pub fn parse(text: &str) -> anyhow::Result<KeySet> {
        let mut active = None;
        let mut decoding = HashMap::new();
        for (n, line) in text.lines().map(str::trim).enumerate().filter(|(_, l)| !l.is_empty() && !l.starts_with('#')) {
            let (kid, secret) = line.split_once(':').ok_or_else(|| anyhow::anyhow!("key file line {}: expected kid:base64", n + 1))?;
            let secret = base64::engine::general_purpose::STANDARD
                .decode(secret.trim())
                .map_err(|e| anyhow::anyhow!("key file line {}: {e}", n + 1))?;
            anyhow::ensure!(secret.len() >= 32, "key file line {}: key `{kid}` is shorter than 32 bytes", n + 1);
            anyhow::ensure!(!decoding.contains_key(kid), "key file: kid `{kid}` appears twice");
            if active.is_none() {
                active = Some((kid.to_string(), EncodingKey::from_secret(&secret)));
            }
            decoding.insert(kid.to_string(), DecodingKey::from_secret(&secret));
        }
        let (active_kid, encoding) = active.ok_or_else(|| anyhow::anyhow!("key file has no keys"))?;
        Ok(KeySet { active_kid, encoding, decoding })
    }

    /// Reads the key file, creating it with one fresh random key when it does not exist.
    pub fn load_or_create(path: &Path) -> anyhow::Result<KeySet> {
        if !path.exists() {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            std::fs::write(path, KeySet::generate_line())?;
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
            }
            tracing::info!(path = %path.display(), "created a new token signing key");
        }
        let text = std::fs::read_to_string(path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        KeySet::parse(&text)
    }

    /// A new `kid:secret` line.
    pub fn generate_line() -> String {
        let mut secret = [0u8; 48];
        rand::thread_rng().fill_bytes(&mut secret);
        let mut kid = [0u8; 4];
        rand::thread_rng().fill_bytes(&mut kid);
        format!("k{}:{}\n", hex::encode(kid), base64::engine::general_purpose::STANDARD.encode(secret))
    }

    pub fn sign(&self, claims: &Claims) -> anyhow::Result<String> {
        let mut header = Header::new(Algorithm::HS256);
        header.kid = Some(self.active_kid.clone());
        Ok(encode(&header, claims, &self.encoding)?)
    }

    pub fn verify(&self, token: &str) -> Result<Claims, TokenError> {
        self.verify_for(token, AUDIENCE)
    }

    /// Verifies a token issued for `audience`.
    pub fn verify_for(&self, token: &str, audience: &str) -> Result<Claims, TokenError> {
        let header = decode_header(token).map_err(|_| TokenError::Malformed)?;
        if header.alg != Algorithm::HS256 {
            return Err(TokenError::Invalid("algorithm".into()));
        }
        let kid = header.kid.ok_or(TokenError::UnknownKid)?;
        let key = self.decoding.get(&kid).ok_or(TokenError::UnknownKid)?;
        let mut v = Validation::new(Algorithm::HS256);
        v.validate_nbf = true;
        v.leeway = 5;
        v.set_issuer(&[ISSUER]);
        v.set_audience(&[audience]);
        v.set_required_spec_claims(&["exp", "nbf", "iss", "aud", "sub"]);
        decode::<Claims>(token, key, &v).map(|d| d.claims).map_err(|e| TokenError::Invalid(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(nbf: i64, exp: i64) -> Claims {
        Claims {
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            sub: "1".into(),
            tid: 11,
            tcode: "411000".into(),
            office: 1,
            username: "a".into(),
            roles: vec!["clerk".into()],
            jti: "j".into(),
            iat: nbf,
            nbf,
            exp,
            csrf: "c".into(),
            pwd: false,
            ep: 0,
        }
    }

    #[test]
    fn round_trip_and_rejections() {
        let ks = KeySet::parse(&KeySet::generate_line()).unwrap();
        let now = chrono::Utc::now().timestamp();
        let t = ks.sign(&claims(now, now + 60)).unwrap();
        assert_eq!(ks.verify(&t).unwrap().tid, 11);
        let expired = ks.sign(&claims(now - 120, now - 60)).unwrap();
        assert!(ks.verify(&expired).is_err());
        let future = ks.sign(&claims(now + 600, now + 900)).unwrap();
        assert!(ks.verify(&future).is_err());
        assert!(ks.verify_for(&t, PUBLIC_AUDIENCE).is_err(), "a staff token is no public token");
        let mut public = claims(now, now + 60);
        public.aud = PUBLIC_AUDIENCE.into();
        let pt = ks.sign(&public).unwrap();
        assert!(ks.verify(&pt).is_err(), "a public token is no staff token");
        assert_eq!(ks.verify_for(&pt, PUBLIC_AUDIENCE).unwrap().tid, 11);
        let other = KeySet::parse(&KeySet::generate_line()).unwrap();
        assert!(matches!(other.verify(&t), Err(TokenError::UnknownKid)));
    }
}
