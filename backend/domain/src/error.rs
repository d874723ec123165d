//! A validation failure on one field, with a stable machine code.
//!
//! Messages are not produced here: the edge looks up `code` in the locale catalogue
//! (`frontend/locales/*.json`), so the same rule speaks Chinese or English.

use std::borrow::Cow;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// Field name as the client sent it, e.g. `id_number`, or a path such as `rates.2015`.
    pub field: Cow<'static, str>,
    /// Stable machine code, e.g. `id_number.checksum`.
    pub code: &'static str,
}

impl FieldError {
    pub const fn new(field: &'static str, code: &'static str) -> Self {
        Self { field: Cow::Borrowed(field), code }
    }

    /// A field named at run time (`years.2019`, `rates.2015`).
    pub fn at(field: String, code: &'static str) -> Self {
        Self { field: Cow::Owned(field), code }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.code)
    }
}

impl std::error::Error for FieldError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_field_and_code() {
        assert_eq!(FieldError::new("id_number", "id_number.checksum").to_string(), "id_number: id_number.checksum");
        assert_eq!(FieldError::at("years.2019".into(), "pension.avg_wage_missing").to_string(), "years.2019: pension.avg_wage_missing");
    }
}
