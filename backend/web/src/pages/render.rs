//! Shared page plumbing: the session of a page request, language, CSRF, the common context and
//! rendering (including error pages).

use std::collections::HashMap;

use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use jinbao_store::repo::global;
use serde_json::{json, Map, Value};

use crate::auth::{csrf, Principal};
use crate::error::{ApiError, FieldProblem};
use crate::i18n::Lang;
use crate::state::AppState;

pub const LANG_COOKIE: &str = "jinbao_lang";

pub type Form = web::Form<HashMap<String, String>>;

/// The page language: the language cookie, else `Accept-Language`, else Chinese.
pub fn lang_of(req: &HttpRequest) -> Lang {
    req.cookie(LANG_COOKIE)
        .and_then(|c| Lang::parse(c.value()))
        .unwrap_or_else(|| Lang::from_accept_language(req.headers().get("accept-language").and_then(|v| v.to_str().ok())))
}

pub fn to_login(req: &HttpRequest) -> HttpResponse {
    let target = if req.method() == actix_web::http::Method::GET { req.uri().path_and_query().map_or("/", |p| p.as_str()) } else { "/" };
    let next: String = url_encode(target);
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, format!("/login?next={next}")))
        .cookie(expired(crate::auth::principal::SESSION_COOKIE))
        .finish()
}

pub fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub fn expired(name: &str) -> Cookie<'static> {
    let mut c = Cookie::new(name.to_string(), "");
    c.set_path("/");
    c.make_removal();
    c
}

pub fn cookie(state: &AppState, name: &str, value: String, max_age_secs: i64) -> Cookie<'static> {
    let mut c = Cookie::new(name.to_string(), value);
    c.set_path("/");
    c.set_http_only(true);
    c.set_same_site(SameSite::Lax);
    c.set_secure(state.settings.cookie_secure);
    c.set_max_age(actix_web::cookie::time::Duration::seconds(max_age_secs));
    c
}

/// 403 page unless the form's token matches the session's.
pub fn check_csrf(who: &Principal, form: &HashMap<String, String>) -> Result<(), ApiError> {
    if csrf::matches(&who.claims.csrf, form.get("csrf").map_or("", String::as_str)) {
        Ok(())
    } else {
        Err(ApiError::BadRequest { code: "csrf.invalid", detail: None })
    }
}

/// Field problems as `{field: message}` in the page language.
pub fn field_messages(state: &AppState, lang: Lang, problems: &[FieldProblem]) -> Value {
    let mut m = Map::new();
    for p in problems {
        m.entry(p.field.clone()).or_insert_with(|| Value::String(state.catalog.error(lang, &p.code)));
    }
    Value::Object(m)
}

pub struct PageCtx<'a> {
    pub state: &'a AppState,
    pub lang: Lang,
    pub who: Option<&'a Principal>,
}

impl<'a> PageCtx<'a> {
    pub fn new(state: &'a AppState, req: &HttpRequest, who: Option<&'a Principal>) -> PageCtx<'a> {
        PageCtx { state, lang: lang_of(req), who }
    }

    pub fn t(&self, key: &str) -> String {
        self.state.catalog.text(self.lang, key)
    }

    /// The common context every template gets: language, messages, CSRF token, user and tenant.
    pub async fn base(&self, nav: &str, title_key: &str, user: Option<Value>) -> Map<String, Value> {
        let mut m = Map::new();
        m.insert("lang".into(), json!(self.lang.code()));
        m.insert("msg".into(), self.state.catalog.tree(self.lang).clone());
        m.insert("nav".into(), json!(nav));
        m.insert("title".into(), json!(self.t(title_key)));
        if let Some(who) = self.who {
            m.insert("csrf".into(), json!(who.claims.csrf));
            use crate::auth::Permission as P;
            m.insert(
                "can".into(),
                json!({
                    "person_write": who.can(P::PersonWrite), "enrol": who.can(P::EnrolmentWrite),
                    "contribution_read": who.can(P::ContributionRead), "assess": who.can(P::AssessmentRun),
                    "reopen": who.can(P::AssessmentReopen), "collect": who.can(P::CollectionWrite),
                    "audit": who.can(P::AuditRead), "user_admin": who.can(P::UserAdmin), "province": who.can(P::StatsProvince), "tenant_admin": who.can(P::TenantAdmin), "import": who.can(P::ImportRun),
                    "benefits": who.can(P::BenefitPropose) || who.can(P::BenefitApprove), "payments": who.can(P::PaymentRun),
                    "finance": who.can(P::FinanceRead), "reconcile": who.can(P::ReconciliationRun), "labour": who.can(P::LabourWrite),
                    "transfers": who.can(P::TransferRequest) || who.can(P::TransferProcess) || who.can(P::TransferApprove),
                }),
            );
            let tenants = {
                let db = self.state.db.clone();
                crate::blocking::run(move || global::tenants(&db)).await.unwrap_or_default()
            };
            if let Some(t) = tenants.iter().find(|t| t.id == who.tenant.0) {
                m.insert(
                    "tenant".into(),
                    json!({"code": t.code, "name": if self.lang == Lang::En { &t.name_en } else { &t.name_zh },
                           "status": t.status, "status_label": self.t(&format!("status.{}", t.status))}),
                );
            }
            let roles: Vec<String> = who.claims.roles.iter().map(|r| self.t(&format!("roles.{r}"))).collect();
            let user = match user {
                Some(u) => Some(u),
                None => {
                    let uid = who.user_id;
                    who.db(move |tx| jinbao_store::repo::users::profile(tx, uid)).await.ok().map(|p| {
                        let office = if self.lang == Lang::En { p.office_name_en } else { p.office_name_zh };
                        json!({"display_name": p.display_name, "office_name": office})
                    })
                }
            };
            let mut u = user.unwrap_or_else(|| json!({}));
            u["username"] = json!(who.claims.username);
            u["roles"] = json!(roles);
            m.insert("user".into(), u);
        }
        m
    }

    pub fn render(&self, status: StatusCode, template: &str, ctx: &Map<String, Value>) -> HttpResponse {
        html(self.state, status, template, ctx)
    }

    /// An error page for an API error: 401 goes to login; others render `error.hbs`.
    pub async fn error(&self, req: &HttpRequest, e: impl Into<ApiError>) -> HttpResponse {
        let e: ApiError = e.into();
        if matches!(e, ApiError::Unauthorized(_)) {
            return to_login(req);
        }
        self.error_page(&e).await
    }

    /// `error.hbs` with the refusal's status and message.
    pub async fn error_page(&self, e: &ApiError) -> HttpResponse {
        use actix_web::ResponseError;
        if let ApiError::Internal(err) = e {
            tracing::error!(error = %format!("{err:#}"), "internal error on page");
        }
        let status = e.status_code();
        let heading = match status {
            StatusCode::NOT_FOUND => "errors.page.not_found_heading",
            StatusCode::FORBIDDEN => "errors.page.forbidden_heading",
            _ => "errors.page.error_heading",
        };
        let mut ctx = self.base("", heading, None).await;
        ctx.insert("status".into(), json!(status.as_u16()));
        ctx.insert("heading".into(), json!(self.t(heading)));
        ctx.insert("message".into(), json!(self.state.catalog.error(self.lang, e.code())));
        self.render(status, "error", &ctx)
    }
}

/// A page from its template, never cached (personal data); a template that fails is a logged 500.
pub fn html(state: &AppState, status: StatusCode, template: &str, ctx: &Map<String, Value>) -> HttpResponse {
    match state.templates.render(template, ctx) {
        Ok(html) => HttpResponse::build(status)
            .content_type("text/html; charset=utf-8")
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .body(html),
        Err(e) => {
            tracing::error!(template, error = %e, "template failed");
            HttpResponse::InternalServerError().content_type("text/plain; charset=utf-8").body("500")
        }
    }
}

/// `(String, String)` form value, trimmed, or empty.
pub fn field(form: &HashMap<String, String>, name: &str) -> String {
    form.get(name).map(|s| s.trim().to_string()).unwrap_or_default()
}

pub fn opt(form: &HashMap<String, String>, name: &str) -> Option<String> {
    form.get(name).map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// What is wrong with a decision's note typed on a page, if anything: required to reject, at most
/// 500 characters, no NUL or control characters (line breaks allowed).
pub fn note_problem(approve: bool, note: Option<&str>) -> Option<&'static str> {
    match note {
        None if !approve => Some("required"),
        None => None,
        Some(n) if n.chars().count() > 500 => Some("text.too_long"),
        Some(n) => jinbao_domain::text::text_problem(n),
    }
}

pub fn redirect(to: &str) -> HttpResponse {
    HttpResponse::SeeOther().insert_header((header::LOCATION, to.to_string())).finish()
}

/// Links for paging, keeping the other query parameters.
pub fn page_links(base: &str, params: &[(&str, &str)], page: i64, has_more: bool) -> (Value, Value) {
    let q = |p: i64| {
        let mut parts: Vec<String> = params.iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| format!("{k}={}", url_encode(v))).collect();
        parts.push(format!("page={p}"));
        format!("{base}?{}", parts.join("&"))
    };
    let prev = if page > 1 { json!(q(page - 1)) } else { Value::Null };
    let next = if has_more { json!(q(page + 1)) } else { Value::Null };
    (prev, next)
}
