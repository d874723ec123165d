//! A validation failure on one field, with a stable machine code.
//!
//! Messages are not produced here: the edge looks up `code` in the locale catalogue
//! (`frontend/locales/*.json`), so the same rule speaks Chinese or English.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// Field name as the client sent it, e.g. `id_number`.
    pub field: &'static str,
    /// Stable machine code, e.g. `id_number.checksum`.
    pub code: &'static str,
}

impl FieldError {
    pub const fn new(field: &'static str, code: &'static str) -> Self {
        Self { field, code }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.code)
    }
}

impl std::error::Error for FieldError {}
