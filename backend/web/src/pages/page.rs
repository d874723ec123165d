//! Pages in `Result` style. The [`Page`] extractor does the session and the language once (no
//! session: the login page, returning here afterwards; a password to change: the password page);
//! handlers return [`PageResult`] and refuse with `?`. A refusal is rendered by [`render_errors`],
//! which wraps the application: the error page in the user's language with the status of the
//! refusal, or the login page for a session that ended. Forms that keep their input on a field
//! problem render themselves; everything else is a `?`.

use std::collections::HashMap;
use std::fmt;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::middleware::Next;
use actix_web::{web, FromRequest, HttpRequest, HttpResponse, ResponseError};
use futures_util::future::LocalBoxFuture;

use super::render::{redirect, to_login, PageCtx};
use crate::auth::{csrf, Permission, Principal};
use crate::error::ApiError;
use crate::state::AppState;

/// A page request of a logged-in user.
pub struct Page {
    pub state: web::Data<AppState>,
    pub req: HttpRequest,
    pub who: Principal,
}

pub type PageResult = Result<HttpResponse, PageError>;

impl Page {
    /// The language, the messages and the common template context.
    pub fn ctx(&self) -> PageCtx<'_> {
        PageCtx::new(&self.state, &self.req, Some(&self.who))
    }

    pub fn require(&self, p: Permission) -> Result<(), PageError> {
        Ok(self.who.require(p)?)
    }

    /// The form's CSRF token must be the session's (400 `csrf.invalid` otherwise).
    pub fn check_csrf(&self, form: &HashMap<String, String>) -> Result<(), PageError> {
        if csrf::matches(&self.who.claims.csrf, form.get("csrf").map_or("", String::as_str)) {
            Ok(())
        } else {
            Err(ApiError::BadRequest { code: "csrf.invalid", detail: None }.into())
        }
    }
}

impl FromRequest for Page {
    type Error = PageError;
    type Future = LocalBoxFuture<'static, Result<Page, PageError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = req
                .app_data::<web::Data<AppState>>()
                .cloned()
                .ok_or_else(|| PageError::from(ApiError::internal(anyhow::anyhow!("no application state"))))?;
            match Principal::from_request_ref(&req).await {
                Ok(p) if p.claims.pwd && req.path() != "/password" => Err(PageError::Redirect("/password")),
                Ok(who) => Ok(Page { state, req, who }),
                Err(_) => Err(PageError::Login),
            }
        })
    }
}

/// Why a page was not shown.
#[derive(Debug)]
pub enum PageError {
    /// Refused: the error page with the refusal's status and message.
    Refused(ApiError),
    /// No session (or it ended): the login page, returning here afterwards.
    Login,
    /// Somewhere else first (the password page).
    Redirect(&'static str),
}

impl<E: Into<ApiError>> From<E> for PageError {
    fn from(e: E) -> Self {
        PageError::Refused(e.into())
    }
}

impl fmt::Display for PageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PageError::Refused(e) => write!(f, "{e}"),
            PageError::Login => write!(f, "login"),
            PageError::Redirect(to) => write!(f, "redirect {to}"),
        }
    }
}

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        match self {
            PageError::Refused(e) => e.status_code(),
            PageError::Login | PageError::Redirect(_) => StatusCode::SEE_OTHER,
        }
    }

    /// A bare answer with the right status; [`render_errors`] gives it its page.
    fn error_response(&self) -> HttpResponse {
        match self {
            PageError::Redirect(to) => redirect(to),
            _ => HttpResponse::build(self.status_code()).finish(),
        }
    }
}

/// Renders the page of a refused page request (see the module's text); other responses pass.
pub async fn render_errors(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let res = next.call(req).await?;
    let login = match res.response().error().and_then(|e| e.as_error::<PageError>()) {
        Some(PageError::Login) | Some(PageError::Refused(ApiError::Unauthorized(_))) => true,
        Some(PageError::Refused(_)) => false,
        _ => return Ok(res.map_into_boxed_body()),
    };
    let (req, res) = res.into_parts();
    if login {
        return Ok(ServiceResponse::new(req.clone(), to_login(&req)));
    }
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return Ok(ServiceResponse::new(req, res.map_into_boxed_body()));
    };
    let who = Principal::from_request_ref(&req).await.ok();
    let page = PageCtx::new(&state, &req, who.as_ref());
    let shown = match res.error().and_then(|e| e.as_error::<PageError>()) {
        Some(PageError::Refused(e)) => page.error_page(e).await,
        _ => res.map_into_boxed_body(),
    };
    Ok(ServiceResponse::new(req, shown))
}
