//! The use cases' one error vocabulary. Each variant is a kind of refusal the edge maps to one
//! HTTP status (web's `AppError`) or one page (a form kept with its input, the error page); the
//! codes are the keys of the message catalogue (`frontend/i18n/*.toml`, `errors.*`).

use jinbao_domain::FieldError;
use jinbao_store::StoreError;

/// A field-level problem: which field, which rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    pub field: String,
    pub code: String,
}

impl From<FieldError> for FieldProblem {
    fn from(e: FieldError) -> Self {
        FieldProblem { field: e.field.to_string(), code: e.code.to_string() }
    }
}

#[derive(Debug)]
pub enum AppError {
    /// The input breaks rules of these fields (422).
    Validation(Vec<FieldProblem>),
    /// The request as a whole cannot be read (400).
    BadRequest { code: &'static str, detail: Option<String> },
    /// No valid session (401).
    Unauthorized(&'static str),
    /// The user may not do this (403).
    Forbidden,
    /// 403 with its own code (a missing CSRF header, a password that must be changed first).
    ForbiddenBecause(&'static str),
    /// Missing, or another tenant's (404).
    NotFound,
    /// The state of the data refuses it (409).
    Conflict(FieldProblem),
    /// Throttled; the code says what (`auth.rate_limited`, `transfer.rate_limited`).
    TooManyRequests(&'static str),
    /// The database is unreachable or restarting: try again shortly (503).
    Unavailable(String),
    /// A fault of ours, logged and never shown (500).
    Internal(anyhow::Error),
}

impl AppError {
    pub fn field(field: &str, code: &str) -> AppError {
        AppError::Validation(vec![FieldProblem { field: field.into(), code: code.into() }])
    }

    pub fn internal(e: anyhow::Error) -> AppError {
        AppError::Internal(e)
    }

    /// The machine code of the whole error.
    pub fn code(&self) -> &str {
        match self {
            AppError::Validation(_) => "validation",
            AppError::BadRequest { code, .. } => code,
            AppError::Unauthorized(code) => code,
            AppError::Forbidden => "auth.forbidden",
            AppError::ForbiddenBecause(code) => code,
            AppError::NotFound => "not_found",
            AppError::Conflict(p) => &p.code,
            AppError::TooManyRequests(code) => code,
            AppError::Unavailable(_) => "unavailable",
            AppError::Internal(_) => "internal",
        }
    }

    /// The code an audit records for this refusal: the first field's rule, or the whole code.
    pub fn first_code(&self) -> String {
        match self {
            AppError::Validation(ps) => ps.first().map_or_else(|| self.code().to_string(), |p| p.code.clone()),
            other => other.code().to_string(),
        }
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AppError::Internal(e) => write!(f, "internal: {e:#}"),
            AppError::Unavailable(e) => write!(f, "unavailable: {e}"),
            other => write!(f, "{}", other.code()),
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Unavailable(m) => AppError::Unavailable(m),
            StoreError::NotFound => AppError::NotFound,
            StoreError::Conflict(f) => AppError::Conflict(f.into()),
            StoreError::Invalid(fs) => AppError::Validation(fs.into_iter().map(Into::into).collect()),
            StoreError::SessionInvalid => AppError::Unauthorized("auth.unauthorized"),
            StoreError::Forbidden => AppError::Forbidden,
            StoreError::Db(e) => AppError::Internal(e.into()),
            StoreError::Other(e) => AppError::Internal(e),
        }
    }
}

/// A database error inside a use case's transaction: classified as the store classifies it
/// (a read-only transaction is a suspended tenant, a serialization failure asks to retry …).
impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        StoreError::from(e).into()
    }
}

/// A rule of the domain refused the input: 422 on that field.
impl From<FieldError> for AppError {
    fn from(e: FieldError) -> Self {
        AppError::Validation(vec![e.into()])
    }
}

impl From<validator::ValidationErrors> for AppError {
    fn from(errs: validator::ValidationErrors) -> Self {
        let mut out: Vec<FieldProblem> = errs
            .field_errors()
            .into_iter()
            .flat_map(|(field, list)| list.iter().map(move |e| FieldProblem { field: field.to_string(), code: e.code.to_string() }))
            .collect();
        out.sort_by(|a, b| a.field.cmp(&b.field));
        AppError::Validation(out)
    }
}

/// Collects field problems from several parses; returns them all at once.
#[derive(Default)]
pub struct Problems(pub Vec<FieldProblem>);

impl Problems {
    /// Keeps the value or records the problem.
    pub fn take<T>(&mut self, r: Result<T, FieldError>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.0.push(e.into());
                None
            }
        }
    }

    pub fn push(&mut self, field: &str, code: &str) {
        self.0.push(FieldProblem { field: field.into(), code: code.into() });
    }

    /// Adds the field problems of `e`; any other error is handed back.
    pub fn merge(&mut self, e: AppError) -> Result<(), AppError> {
        match e {
            AppError::Validation(mut v) => {
                self.0.append(&mut v);
                Ok(())
            }
            other => Err(other),
        }
    }

    pub fn finish(self) -> Result<(), AppError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(AppError::Validation(self.0))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_collect_every_field_then_refuse_once() {
        let mut p = Problems::default();
        assert_eq!(p.take::<i32>(Err(FieldError::new("a", "required"))), None);
        p.push("b", "too_long");
        match p.finish() {
            Err(AppError::Validation(v)) => assert_eq!(v.iter().map(|f| f.field.as_str()).collect::<Vec<_>>(), ["a", "b"]),
            other => panic!("{other:?}"),
        }
        assert!(Problems::default().finish().is_ok());
    }

    #[test]
    fn store_refusals_keep_their_kind() {
        assert!(matches!(AppError::from(StoreError::NotFound), AppError::NotFound));
        assert!(matches!(AppError::from(StoreError::Forbidden), AppError::Forbidden));
        assert_eq!(AppError::from(StoreError::invalid("x", "y")).first_code(), "y");
        assert_eq!(AppError::from(StoreError::Unavailable("down".into())).code(), "unavailable");
    }

    #[test]
    fn merge_hands_back_what_is_not_a_field_problem() {
        let mut p = Problems::default();
        assert!(p.merge(AppError::field("x", "required")).is_ok());
        assert!(matches!(p.merge(AppError::NotFound), Err(AppError::NotFound)));
        assert_eq!(p.0.len(), 1);
    }

    #[test]
    fn display_names_the_code_and_the_cause_of_faults() {
        assert_eq!(AppError::NotFound.to_string(), "not_found");
        assert_eq!(AppError::field("x", "required").to_string(), "validation");
        assert_eq!(AppError::Unavailable("pool timed out".into()).to_string(), "unavailable: pool timed out");
        assert_eq!(AppError::internal(anyhow::anyhow!("disk")).to_string(), "internal: disk");
    }
}
