//! JSON API under `/api/v1`, documented in `docs/openapi.json` (served at `/api/v1/openapi.json`).

pub mod assessments;
pub mod auth;
pub mod benefits;
pub mod collections;
pub mod declarations;
pub mod employers;
pub mod employments;
pub mod enrolments;
pub mod imports;
pub mod labour;
pub mod payments;
pub mod persons;
pub mod reconciliation;
pub mod transfers;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{web, HttpResponse};

use crate::error::ApiError;
use crate::i18n::Lang;

pub const OPENAPI: &str = include_str!("../../../../docs/openapi.json");

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/api/v1")
            .wrap(actix_web::middleware::from_fn(require_json))
            .wrap(actix_web::middleware::from_fn(reject_nul_in_json))
            .wrap(actix_web::middleware::from_fn(localize_errors))
            .app_data(
                web::JsonConfig::default()
                    .limit(256 * 1024)
                    .error_handler(|err, _req| ApiError::BadRequest { code: "request.malformed", detail: Some(err.to_string()) }.into()),
            )
            .app_data(web::PathConfig::default().error_handler(|_, _| ApiError::NotFound.into()))
            .app_data(
                web::QueryConfig::default()
                    .error_handler(|err, _req| ApiError::BadRequest { code: "request.malformed", detail: Some(err.to_string()) }.into()),
            )
            .route("/openapi.json", web::get().to(|| async { HttpResponse::Ok().content_type("application/json").body(OPENAPI) }))
            .route("/auth/login", web::post().to(auth::login))
            .route("/auth/logout", web::post().to(auth::logout))
            .route("/me", web::get().to(auth::me))
            .route("/me/password", web::post().to(auth::change_password))
            .route("/persons", web::post().to(persons::create))
            .route("/persons/search", web::post().to(persons::search))
            .route("/persons/{id}", web::get().to(persons::get))
            .route("/persons/{id}", web::patch().to(persons::update))
            .route("/persons/{id}/timeline", web::get().to(persons::timeline))
            .route("/persons/{id}/employments", web::get().to(persons::employments))
            .route("/employers", web::post().to(employers::create))
            .route("/employers/search", web::post().to(employers::search))
            .route("/employers/{id}", web::get().to(employers::get))
            .route("/employers/{id}", web::patch().to(employers::update))
            .route("/employers/{id}/employees", web::get().to(employers::employees))
            .route("/employers/{id}/injury-rate", web::get().to(employers::injury_floats))
            .route("/employers/{id}/injury-rate", web::post().to(employers::decide_injury_float))
            .route("/employments", web::post().to(employments::hire))
            .route("/employments/{id}/end", web::post().to(employments::end))
            .route("/enrolments", web::post().to(enrolments::enrol))
            .route("/enrolments/preview", web::post().to(enrolments::preview))
            .route("/enrolments/stop", web::post().to(enrolments::stop))
            .route("/persons/{id}/enrolments", web::get().to(enrolments::of_person))
            .route("/persons/{id}/contributions", web::get().to(assessments::of_person))
            .route("/employers/{id}/insured", web::get().to(enrolments::insured))
            .route("/employers/{id}/statement", web::get().to(collections::statement))
            .route("/declarations", web::post().to(declarations::declare))
            .service(
                web::resource("/declarations/csv")
                    .app_data(web::PayloadConfig::new(16 * 1024 * 1024))
                    .route(web::post().to(declarations::declare_csv)),
            )
            .route("/assessments/runs", web::post().to(assessments::run))
            .route("/assessments/periods", web::get().to(assessments::periods))
            .route("/assessments/periods/{period}/reopen", web::post().to(assessments::reopen))
            .route("/assessments/back-payments", web::post().to(assessments::back_payments))
            .route("/jobs/{id}", web::get().to(assessments::job))
            .route("/collections", web::post().to(collections::record))
            .route("/arrears", web::get().to(collections::arrears))
            .route("/province/dashboard", web::get().to(crate::province::api::dashboard))
            .route("/province/duplicates", web::get().to(crate::province::api::duplicates))
            .route("/province/report", web::get().to(crate::province::report::province))
            .route("/province/finance", web::get().to(crate::province::finance::api))
            .route("/province/transfers", web::get().to(crate::province::api::transfers))
            .route("/report", web::get().to(crate::province::report::city))
            .route("/imports/{job}/report.csv", web::get().to(imports::report))
            .route("/duplicates", web::get().to(crate::province::api::city_duplicates))
            .route("/benefits/pension", web::post().to(benefits::pension))
            .route("/benefits/unemployment", web::post().to(benefits::unemployment))
            .route("/benefits/maternity", web::post().to(benefits::maternity))
            .route("/benefits/claims", web::get().to(benefits::list))
            .route("/benefits/claims/{id}", web::get().to(benefits::get))
            .route("/benefits/claims/{id}/approve", web::post().to(benefits::approve))
            .route("/benefits/claims/{id}/reject", web::post().to(benefits::reject))
            .route("/benefits/claims/{id}/stop", web::post().to(benefits::stop))
            .route("/benefits/claims/{id}/channel", web::post().to(benefits::channel))
            .route("/benefits/claims/{id}/adjustments", web::get().to(benefits::adjustments))
            .route("/benefits/recalculations", web::post().to(benefits::recalculate))
            .route("/benefits/revisions", web::get().to(benefits::revisions))
            .route("/benefits/revisions/{id}/approve", web::post().to(benefits::approve_revision))
            .route("/benefits/revisions/{id}/reject", web::post().to(benefits::reject_revision))
            .route("/benefits/channel-changes", web::get().to(benefits::channel_changes))
            .route("/benefits/channel-changes/{id}", web::get().to(benefits::channel_change))
            .route("/benefits/channel-changes/{id}/approve", web::post().to(benefits::approve_channel))
            .route("/benefits/channel-changes/{id}/reject", web::post().to(benefits::reject_channel))
            .route("/payments/batches", web::post().to(payments::generate))
            .route("/payments/batches", web::get().to(payments::list))
            .route("/payments/batches/{id}", web::get().to(payments::get))
            .service(
                web::resource("/payments/batches/{id}/results")
                    .app_data(web::PayloadConfig::new(16 * 1024 * 1024))
                    .route(web::post().to(payments::results)),
            )
            .route("/payments/batches/{id}/export", web::post().to(payments::freeze))
            .route("/payments/batches/{id}/{file}", web::get().to(payments::export))
            .route("/finance/ledger", web::get().to(payments::ledger))
            .route("/persons/{id}/unemployment", web::post().to(labour::register))
            .route("/persons/{id}/trainings", web::post().to(labour::add_training))
            .route("/persons/{id}/contacts", web::post().to(labour::add_contact))
            .route("/persons/{id}/labour", web::get().to(labour::of_person))
            .route("/labour/registrations", web::get().to(labour::registrations))
            .route("/labour/registrations/{id}/close", web::post().to(labour::close))
            .route("/labour/trainings", web::get().to(labour::trainings))
            .route("/transfers", web::post().to(transfers::open))
            .route("/transfers", web::get().to(transfers::list))
            .route("/transfers/{uid}", web::get().to(transfers::get))
            .route("/transfers/{uid}/accept", web::post().to(transfers::accept))
            .route("/transfers/{uid}/refuse", web::post().to(transfers::refuse))
            .route("/transfers/{uid}/info", web::post().to(transfers::info))
            .route("/transfers/{uid}/approve", web::post().to(transfers::approve))
            .route("/transfers/{uid}/funds-sent", web::post().to(transfers::funds_sent))
            .route("/transfers/{uid}/funds-received", web::post().to(transfers::funds_received))
            .route("/transfers/{uid}/complete", web::post().to(transfers::complete))
            .route("/transfers/{uid}/cancel", web::post().to(transfers::cancel))
            .service(
                web::resource("/bank/statements/{account}")
                    .app_data(web::PayloadConfig::new(16 * 1024 * 1024))
                    .route(web::post().to(reconciliation::import_statement)),
            )
            .route("/reconciliation/{period}", web::get().to(reconciliation::report))
            .route("/reconciliation/{period}/items/{kind}/{id}/resolve", web::post().to(reconciliation::resolve))
            .route("/reconciliation/{period}/sign-off", web::post().to(reconciliation::sign_off))
            .service(
                web::resource("/imports/{kind}").app_data(web::PayloadConfig::new(64 * 1024 * 1024)).route(web::post().to(imports::import)),
            )
            .default_service(web::to(|| async { Err::<HttpResponse, _>(ApiError::NotFound) })),
    );
}

/// Routes that take a file (CSV, .xlsx) as the request body rather than JSON.
fn takes_a_file(path: &str) -> bool {
    path == "/api/v1/declarations/csv"
        || path.starts_with("/api/v1/imports/")
        || path.starts_with("/api/v1/bank/statements/")
        || (path.starts_with("/api/v1/payments/batches/") && path.ends_with("/results"))
}

/// A write with a body must say it is JSON (415 otherwise), except on the file uploads: a
/// cross-site HTML form can only send form or text bodies.
async fn require_json(req: ServiceRequest, next: Next<impl MessageBody + 'static>) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let writes = matches!(*req.method(), actix_web::http::Method::POST | actix_web::http::Method::PUT | actix_web::http::Method::PATCH);
    if writes && !takes_a_file(req.path()) {
        let content_type = req.headers().get(actix_web::http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
        let has_body = req.headers().get(actix_web::http::header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).is_some_and(|n| n != "0")
            || req.headers().contains_key(actix_web::http::header::TRANSFER_ENCODING);
        let json = content_type.is_some_and(|t| {
            let mime = t.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
            mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))
        });
        if (has_body || content_type.is_some()) && !json {
            return Ok(req.error_response(ApiError::UnsupportedMediaType).map_into_boxed_body());
        }
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

/// The JSON body limit of the API (the `JsonConfig` above).
const JSON_LIMIT: usize = 256 * 1024;

/// A JSON body whose text holds NUL (`\u0000`, which PostgreSQL cannot store in text) is refused
/// here with a 422 on the field that holds it (`items.0.id_number`) instead of failing later in
/// the database. The body is read up to the JSON limit and handed on unchanged to the handler (a
/// larger body is handed on unread, for the JSON extractor to refuse or a file upload to take).
async fn reject_nul_in_json(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    use actix_web::HttpMessage;
    use futures_util::StreamExt;
    type Boxed = std::pin::Pin<Box<dyn futures_util::Stream<Item = Result<web::Bytes, actix_web::error::PayloadError>>>>;
    let json = req
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().contains("json"));
    if json {
        let mut payload = req.take_payload();
        let mut head = web::BytesMut::new();
        let mut complete = true;
        while let Some(chunk) = payload.next().await {
            head.extend_from_slice(&chunk?);
            if head.len() > JSON_LIMIT {
                complete = false;
                break;
            }
        }
        let head = head.freeze();
        if complete {
            if let Some(field) = serde_json::from_slice::<serde_json::Value>(&head).ok().and_then(|v| nul_field(&v, "")) {
                let res = HttpResponse::from_error(ApiError::field(&field, "text.nul"));
                return Ok(req.into_response(res));
            }
        }
        let rest: Boxed = Box::pin(futures_util::stream::once(async move { Ok(head) }).chain(payload));
        req.set_payload(actix_web::dev::Payload::from(rest));
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

/// The path of the first string (or key) holding NUL: `name`, `items.0.id_number`.
fn nul_field(v: &serde_json::Value, path: &str) -> Option<String> {
    let join = |k: &str| if path.is_empty() { k.to_string() } else { format!("{path}.{k}") };
    match v {
        serde_json::Value::String(s) if s.contains('\0') => Some(if path.is_empty() { "body".into() } else { path.into() }),
        serde_json::Value::Array(items) => items.iter().enumerate().find_map(|(i, x)| nul_field(x, &join(&i.to_string()))),
        serde_json::Value::Object(m) => {
            m.iter().find_map(
                |(k, x)| {
                    if k.contains('\0') {
                        Some(join(&jinbao_domain::text::printable(k, 40)))
                    } else {
                        nul_field(x, &join(k))
                    }
                },
            )
        }
        _ => None,
    }
}

/// Rewords API errors for `Accept-Language: en` (they are rendered in Chinese by default).
async fn localize_errors(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let lang = Lang::from_accept_language(req.headers().get("accept-language").and_then(|v| v.to_str().ok()));
    let res = next.call(req).await?.map_into_boxed_body();
    if lang == Lang::Zh {
        return Ok(res);
    }
    let body = res.response().error().and_then(|e| e.as_error::<ApiError>()).map(|e| e.body(lang));
    match body {
        Some(body) => {
            let (req, old) = res.into_parts();
            let mut b = HttpResponse::build(old.status());
            for (k, v) in old.headers() {
                if k != actix_web::http::header::CONTENT_LENGTH {
                    b.insert_header((k.clone(), v.clone()));
                }
            }
            Ok(ServiceResponse::new(req, b.json(body)))
        }
        None => Ok(res),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_is_found_with_its_path() {
        let v = serde_json::json!({"employer_id": 1, "items": [{"id_number": "1"}, {"id_number": "4110\u{0}"}]});
        assert_eq!(nul_field(&v, "").as_deref(), Some("items.1.id_number"));
        assert_eq!(nul_field(&serde_json::json!({"name": "张三", "n": [1, null]}), ""), None);
        assert_eq!(nul_field(&serde_json::json!("\u{0}"), "").as_deref(), Some("body"));
        assert_eq!(nul_field(&serde_json::json!({"a\u{0}": 1}), "").as_deref(), Some("a\u{FFFD}"));
    }
}
