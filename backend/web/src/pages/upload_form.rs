//! The one reader of every upload form (legacy imports, declarations, payment results, bank
//! statements): text fields and one file, bounded, with the session's CSRF token checked. A broken
//! multipart body is 400 `request.malformed` and a missing or wrong token 400 `csrf.invalid`; a file
//! over the form's limit is dropped and flagged (`too_large`, shown as `upload.too_large` on the
//! form) — the same for every form.

use std::collections::HashMap;

use actix_multipart::Multipart;
use futures_util::StreamExt;

use crate::auth::{csrf, Principal};
use crate::error::ApiError;

/// A text field's largest size, and how many fields a form may have.
const MAX_TEXT: usize = 4 * 1024;
const MAX_FIELDS: usize = 32;

/// A read upload form: its text fields (trimmed) and the bytes of its `file` field.
#[derive(Debug, Default)]
pub struct UploadForm {
    fields: HashMap<String, String>,
    pub file: Vec<u8>,
    /// The file's name as the browser sent it (may be empty; never a path to trust).
    pub file_name: String,
    /// The file was larger than the form allows: it was read to its end and dropped.
    pub too_large: bool,
}

impl UploadForm {
    /// A text field, trimmed; empty when absent.
    pub fn text(&self, name: &str) -> &str {
        self.fields.get(name).map_or("", String::as_str)
    }

    /// A checkbox: present and not empty.
    pub fn checked(&self, name: &str) -> bool {
        !self.text(name).is_empty()
    }
}

fn malformed(e: impl ToString) -> ApiError {
    ApiError::BadRequest { code: "request.malformed", detail: Some(e.to_string()) }
}

/// Reads the form: the `file` field up to `max_file` bytes, other fields up to 4 KiB each (32 at
/// most). Checks the session's CSRF token before anything is returned.
pub async fn read(payload: Multipart, max_file: usize, who: &Principal) -> Result<UploadForm, ApiError> {
    read_for(payload, max_file, &who.claims.csrf).await
}

/// [`read`] for a session of another kind (the portal's): `session_csrf` is its token.
pub async fn read_for(mut payload: Multipart, max_file: usize, session_csrf: &str) -> Result<UploadForm, ApiError> {
    let mut form = UploadForm::default();
    let mut count = 0;
    while let Some(field) = payload.next().await {
        let mut field = field.map_err(malformed)?;
        count += 1;
        if count > MAX_FIELDS {
            return Err(malformed("too many fields"));
        }
        let name = field.name().unwrap_or("").to_string();
        if name == "file" {
            let given = field.content_disposition().and_then(|d| d.get_filename()).unwrap_or("");
            form.file_name = given.chars().take(255).collect();
        }
        let limit = if name == "file" { max_file } else { MAX_TEXT };
        let mut bytes = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(malformed)?;
            if bytes.len() + chunk.len() > limit {
                if name != "file" {
                    return Err(malformed("field too long"));
                }
                // Drained to the end (the browser is still sending), never kept.
                form.too_large = true;
                bytes = Vec::new();
                continue;
            }
            if !(name == "file" && form.too_large) {
                bytes.extend_from_slice(&chunk);
            }
        }
        if name == "file" {
            form.file = bytes;
        } else {
            form.fields.insert(name, String::from_utf8_lossy(&bytes).trim().to_string());
        }
    }
    if !csrf::matches(session_csrf, form.text("csrf")) {
        return Err(ApiError::BadRequest { code: "csrf.invalid", detail: None });
    }
    Ok(form)
}
