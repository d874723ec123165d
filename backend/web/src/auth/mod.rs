//! Authentication and authorisation: signed tokens, the principal extractor, permissions,
//! passwords, login throttling, CSRF.

pub mod client;
pub mod csrf;
pub mod keys;
pub mod login;
pub mod password;
pub mod permissions;
pub mod principal;
pub mod rate_limit;

pub use keys::{Claims, KeySet};
pub use permissions::{Permission, PermissionMap};
pub use principal::Principal;
