//! One error type at the edge, mapped to HTTP once:
//! validation → 422 with field messages, malformed → 400, unauthenticated → 401, forbidden → 403,
//! missing (or another tenant's) → 404, conflict → 409, throttled → 429, database down → 503,
//! anything else → an opaque 500 whose cause is logged, never sent.

use std::fmt;
use std::sync::OnceLock;

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
pub use jinbao_app::error::{FieldProblem, Problems};
use jinbao_app::AppError;
use jinbao_store::StoreError;

use crate::i18n::{Catalog, Lang};

static CATALOG: OnceLock<Catalog> = OnceLock::new();

/// Installs the catalogue used to word API errors (first call wins).
pub fn install_catalog(c: Catalog) {
    let _ = CATALOG.set(c);
}

#[derive(Debug)]
pub enum ApiError {
    Validation(Vec<FieldProblem>),
    BadRequest {
        code: &'static str,
        detail: Option<String>,
    },
    Unauthorized(&'static str),
    Forbidden,
    /// 403 with its own code (a missing CSRF header, a password that must be changed first).
    ForbiddenBecause(&'static str),
    /// 415: a JSON endpoint was sent something else.
    UnsupportedMediaType,
    /// 405: the path exists, the method does not.
    MethodNotAllowed,
    NotFound,
    Conflict(FieldProblem),
    /// Throttled; the code says what (`auth.rate_limited`, `transfer.rate_limited`).
    TooManyRequests(&'static str),
    Unavailable(String),
    Internal(anyhow::Error),
}

impl ApiError {
    pub fn field(field: &str, code: &str) -> ApiError {
        ApiError::Validation(vec![FieldProblem { field: field.into(), code: code.into() }])
    }

    pub fn internal(e: anyhow::Error) -> ApiError {
        ApiError::Internal(e)
    }

    /// The code an audit records for this refusal: the first field's rule, or the whole code.
    pub fn first_code(&self) -> String {
        match self {
            ApiError::Validation(ps) => ps.first().map_or_else(|| self.code().to_string(), |p| p.code.clone()),
            other => other.code().to_string(),
        }
    }

    /// The machine code of the whole error.
    pub fn code(&self) -> &str {
        match self {
            ApiError::Validation(_) => "validation",
            ApiError::BadRequest { code, .. } => code,
            ApiError::Unauthorized(code) => code,
            ApiError::Forbidden => "auth.forbidden",
            ApiError::ForbiddenBecause(code) => code,
            ApiError::UnsupportedMediaType => "request.content_type",
            ApiError::MethodNotAllowed => "request.method",
            ApiError::NotFound => "not_found",
            ApiError::Conflict(p) => &p.code,
            ApiError::TooManyRequests(code) => code,
            ApiError::Unavailable(_) => "unavailable",
            ApiError::Internal(_) => "internal",
        }
    }

    /// The JSON body in the given language.
    pub fn body(&self, lang: Lang) -> serde_json::Value {
        let cat = CATALOG.get();
        let say = |code: &str| cat.map_or_else(|| code.to_string(), |c| c.error(lang, code));
        // Nested fields (`person.id_number`) are labelled by their last part.
        let label = |field: &str| {
            let Some(c) = cat else { return field.to_string() };
            let last = field.rsplit('.').next().unwrap_or(field);
            let text = c.text(lang, &format!("fields.{last}"));
            // `years.2019`: the label of `years` followed by the year.
            match field.split_once('.') {
                Some((head, tail)) if text == format!("fields.{last}") && tail.bytes().all(|b| b.is_ascii_digit()) => {
                    format!("{} {tail}", c.text(lang, &format!("fields.{head}")))
                }
                _ => text,
            }
        };
        let fields: Vec<FieldMessage> = match self {
            ApiError::Validation(ps) => ps.iter().map(|p| field_json(p, &say(&p.code), &label(&p.field))).collect(),
            ApiError::Conflict(p) => vec![field_json(p, &say(&p.code), &label(&p.field))],
            _ => vec![],
        };
        let message = match self {
            ApiError::Validation(ps) if ps.len() == 1 => fields[0].message.clone(),
            ApiError::Validation(_) => say("validation"),
            other => say(other.code()),
        };
        let detail = match self {
            ApiError::BadRequest { detail, .. } => detail.clone(),
            _ => None,
        };
        serde_json::to_value(ErrorBody { error: ErrorDetail { code: self.code().to_string(), message, fields, detail } })
            .unwrap_or_default()
    }
}

fn field_json(p: &FieldProblem, message: &str, label: &str) -> FieldMessage {
    FieldMessage { field: p.field.clone(), code: p.code.clone(), label: label.to_string(), message: message.to_string() }
}

/// Every API error. Worded in Chinese by default; in English when the request has
/// `Accept-Language: en`.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
#[schemars(rename = "Error")]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// The error itself.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct ErrorDetail {
    /// Machine code: `validation` (422), `request.malformed` (400), `auth.*` (401/403/429),
    /// `not_found` (404), the conflict code such as `person.duplicate` (409), `unavailable` (503),
    /// `internal` (500).
    pub code: String,
    /// Human-readable summary in the response language.
    pub message: String,
    /// Field problems (validation and conflicts); empty otherwise.
    pub fields: Vec<FieldMessage>,
    /// Only for `request.malformed`: the parser's reason.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// One field's problem: which field, the code, the field's label and the message, both in the
/// response language.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
#[schemars(rename = "FieldProblem")]
pub struct FieldMessage {
    /// The field's path in the request (`items.3.id_number` inside lists).
    pub field: String,
    /// The problem's code (see `ErrorCode`).
    pub code: String,
    /// Display name of the field in the response language.
    pub label: String,
    /// What is wrong, in the response language.
    pub message: String,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::Internal(e) => write!(f, "internal: {e:#}"),
            ApiError::Unavailable(e) => write!(f, "unavailable: {e}"),
            other => write!(f, "{}", other.code()),
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden | ApiError::ForbiddenBecause(_) => StatusCode::FORBIDDEN,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// Worded in Chinese; the `localize` middleware rewords it for `Accept-Language: en`.
    fn error_response(&self) -> HttpResponse {
        if let ApiError::Internal(e) = self {
            tracing::error!(error = %format!("{e:#}"), "internal error");
        }
        if let ApiError::Unavailable(e) = self {
            tracing::warn!(error = %e, "service unavailable");
        }
        let mut b = HttpResponse::build(self.status_code());
        b.insert_header((header::CACHE_CONTROL, "no-store"));
        if matches!(self, ApiError::Unavailable(_)) {
            // The database is reconnecting: the request may be sent again in a second.
            b.insert_header((header::RETRY_AFTER, "1"));
        }
        if matches!(self, ApiError::Unauthorized(_)) {
            b.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
        }
        b.json(self.body(Lang::Zh))
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        match e {
            AppError::Validation(v) => ApiError::Validation(v),
            AppError::BadRequest { code, detail } => ApiError::BadRequest { code, detail },
            AppError::Unauthorized(c) => ApiError::Unauthorized(c),
            AppError::Forbidden => ApiError::Forbidden,
            AppError::ForbiddenBecause(c) => ApiError::ForbiddenBecause(c),
            AppError::NotFound => ApiError::NotFound,
            AppError::Conflict(p) => ApiError::Conflict(p),
            AppError::TooManyRequests(c) => ApiError::TooManyRequests(c),
            AppError::Unavailable(m) => ApiError::Unavailable(m),
            AppError::Internal(e) => ApiError::Internal(e),
        }
    }
}

/// Store, domain, validator and database refusals are classified once, by the use cases' vocabulary.
macro_rules! via_app_error {
    ($($t:ty),*) => {$(
        impl From<$t> for ApiError {
            fn from(e: $t) -> Self {
                AppError::from(e).into()
            }
        }
    )*};
}
via_app_error!(StoreError, diesel::result::Error, jinbao_domain::FieldError, validator::ValidationErrors);
