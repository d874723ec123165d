//! Portal pages in `Result` style, as the staff pages: the [`PortalPage`] extractor does the
//! session (none: the portal's login page; a password to change: the password page) and the
//! [`render_errors`] middleware gives a refusal its page in the portal's layout.

use std::collections::HashMap;
use std::fmt;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::{header, StatusCode};
use actix_web::middleware::Next;
use actix_web::{web, FromRequest, HttpRequest, HttpResponse, ResponseError};
use futures_util::future::LocalBoxFuture;
use jinbao_store::repo::global;
use serde_json::{json, Map, Value};

use super::session::{Account, PORTAL_COOKIE};
use crate::auth::csrf;
use crate::error::{ApiError, FieldProblem};
use crate::i18n::Lang;
use crate::pages::render::{expired, lang_of, redirect, url_encode};
use crate::state::AppState;

pub struct PortalPage {
    pub state: web::Data<AppState>,
    pub req: HttpRequest,
    pub who: Account,
}

pub type PortalResult = Result<HttpResponse, PortalError>;

impl PortalPage {
    pub fn ctx(&self) -> PortalCtx<'_> {
        PortalCtx { state: &self.state, lang: lang_of(&self.req), who: Some(&self.who) }
    }

    /// The form's CSRF token must be the session's.
    pub fn check_csrf(&self, sent: &str) -> Result<(), PortalError> {
        if csrf::matches(&self.who.claims.csrf, sent) {
            Ok(())
        } else {
            Err(ApiError::BadRequest { code: "csrf.invalid", detail: None }.into())
        }
    }
}

impl FromRequest for PortalPage {
    type Error = PortalError;
    type Future = LocalBoxFuture<'static, Result<PortalPage, PortalError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = req
                .app_data::<web::Data<AppState>>()
                .cloned()
                .ok_or_else(|| PortalError::from(ApiError::internal(anyhow::anyhow!("no application state"))))?;
            match Account::from_request_ref(&req).await {
                Ok(a) if a.claims.pwd && req.path() != "/portal/password" => Err(PortalError::Redirect("/portal/password")),
                Ok(who) => Ok(PortalPage { state, req, who }),
                Err(_) => Err(PortalError::Login),
            }
        })
    }
}

#[derive(Debug)]
pub enum PortalError {
    Refused(ApiError),
    Login,
    Redirect(&'static str),
}

impl<E: Into<ApiError>> From<E> for PortalError {
    fn from(e: E) -> Self {
        PortalError::Refused(e.into())
    }
}

impl fmt::Display for PortalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PortalError::Refused(e) => write!(f, "{e}"),
            PortalError::Login => write!(f, "login"),
            PortalError::Redirect(to) => write!(f, "redirect {to}"),
        }
    }
}

impl ResponseError for PortalError {
    fn status_code(&self) -> StatusCode {
        match self {
            PortalError::Refused(e) => e.status_code(),
            PortalError::Login | PortalError::Redirect(_) => StatusCode::SEE_OTHER,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            PortalError::Redirect(to) => redirect(to),
            _ => HttpResponse::build(self.status_code()).finish(),
        }
    }
}

/// The portal's login page, coming back to the page asked for.
pub fn to_login(req: &HttpRequest) -> HttpResponse {
    let target =
        if req.method() == actix_web::http::Method::GET { req.uri().path_and_query().map_or("/portal", |p| p.as_str()) } else { "/portal" };
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, format!("/portal/login?next={}", url_encode(target))))
        .cookie(expired(PORTAL_COOKIE))
        .finish()
}

/// Renders the page of a refused portal request; other responses pass.
pub async fn render_errors(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let res = next.call(req).await?;
    let login = match res.response().error().and_then(|e| e.as_error::<PortalError>()) {
        Some(PortalError::Login) | Some(PortalError::Refused(ApiError::Unauthorized(_))) => true,
        Some(PortalError::Refused(_)) => false,
        _ => return Ok(res.map_into_boxed_body()),
    };
    let (req, res) = res.into_parts();
    if login {
        return Ok(ServiceResponse::new(req.clone(), to_login(&req)));
    }
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return Ok(ServiceResponse::new(req, res.map_into_boxed_body()));
    };
    let who = Account::from_request_ref(&req).await.ok();
    let page = PortalCtx { state: &state, lang: lang_of(&req), who: who.as_ref() };
    let shown = match res.error().and_then(|e| e.as_error::<PortalError>()) {
        Some(PortalError::Refused(e)) => page.error_page(e).await,
        _ => res.map_into_boxed_body(),
    };
    Ok(ServiceResponse::new(req, shown))
}

pub struct PortalCtx<'a> {
    pub state: &'a AppState,
    pub lang: Lang,
    pub who: Option<&'a Account>,
}

impl PortalCtx<'_> {
    pub fn t(&self, key: &str) -> String {
        self.state.catalog.text(self.lang, key)
    }

    /// The context of every portal template: language, messages, the account and the city.
    pub async fn base(&self, nav: &str, title_key: &str) -> Map<String, Value> {
        let mut m = Map::new();
        m.insert("lang".into(), json!(self.lang.code()));
        m.insert("msg".into(), self.state.catalog.tree(self.lang).clone());
        m.insert("nav".into(), json!(nav));
        m.insert("title".into(), json!(self.t(title_key)));
        m.insert("portal".into(), json!({"anonymous": true}));
        if let Some(who) = self.who {
            m.insert("csrf".into(), json!(who.claims.csrf));
            let tenants = {
                let db = self.state.db.clone();
                crate::blocking::run(move || global::tenants(&db)).await.unwrap_or_default()
            };
            if let Some(t) = tenants.iter().find(|t| t.id == who.tenant.0) {
                m.insert("tenant".into(), json!({"code": t.code, "name": if self.lang == Lang::En { &t.name_en } else { &t.name_zh }}));
            }
            m.insert(
                "portal".into(),
                json!({"display_name": who.claims.username, "employer": who.is_employer(), "person": who.is_person(),
                       "must_change": who.claims.pwd}),
            );
        }
        m
    }

    pub fn render(&self, status: StatusCode, template: &str, ctx: &Map<String, Value>) -> HttpResponse {
        crate::pages::render::html(self.state, status, template, ctx)
    }

    pub async fn error_page(&self, e: &ApiError) -> HttpResponse {
        if let ApiError::Internal(err) = e {
            tracing::error!(error = %format!("{err:#}"), "internal error on portal page");
        }
        let status = e.status_code();
        let heading = match status {
            StatusCode::NOT_FOUND => "errors.page.not_found_heading",
            StatusCode::FORBIDDEN => "errors.page.forbidden_heading",
            _ => "errors.page.error_heading",
        };
        let mut ctx = self.base("", heading).await;
        ctx.insert("status".into(), json!(status.as_u16()));
        ctx.insert("heading".into(), json!(self.t(heading)));
        ctx.insert("message".into(), json!(self.state.catalog.error(self.lang, e.code())));
        self.render(status, "error", &ctx)
    }

    /// Field problems as `{field: message}`.
    pub fn field_messages(&self, problems: &[FieldProblem]) -> Value {
        crate::pages::render::field_messages(self.state, self.lang, problems)
    }
}

/// A form's fields, trimmed; repeated names kept in order.
pub struct Fields(pub Vec<(String, String)>);

impl Fields {
    pub fn parse(body: &[u8]) -> Fields {
        Fields(serde_urlencoded::from_bytes(body).unwrap_or_default())
    }

    pub fn get(&self, name: &str) -> String {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim().to_string()).unwrap_or_default()
    }

    pub fn all(&self, name: &str) -> Vec<String> {
        self.0.iter().filter(|(k, _)| k == name).map(|(_, v)| v.trim().to_string()).collect()
    }

    pub fn map(&self) -> HashMap<String, String> {
        self.0.iter().cloned().collect()
    }
}
