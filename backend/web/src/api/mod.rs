//! JSON API under `/api/v1`, documented by the OpenAPI document generated in [`doc`] (served at
//! `/api/v1/openapi.json`, written to `docs/openapi.json` by `jinbao openapi`).

pub mod assessments;
pub mod auth;
pub mod benefits;
pub mod collections;
pub mod declarations;
pub mod doc;
pub mod employers;
pub mod employments;
pub mod enrolments;
pub mod imports;
pub mod injury;
pub mod labour;
pub mod medical;
pub mod payments;
pub mod persons;
pub mod reconciliation;
pub mod shapes;
pub mod transfers;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{web, HttpResponse};

use crate::error::ApiError;
use crate::i18n::Lang;

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
            .route("/openapi.json", web::get().to(|| async { HttpResponse::Ok().content_type("application/json").body(doc::rendered()) }))
            .service(web::resource("/auth/login").route(web::post().to(auth::login)).default_service(web::to(method_not_allowed)))
            .service(web::resource("/auth/logout").route(web::post().to(auth::logout)).default_service(web::to(method_not_allowed)))
            .service(web::resource("/me").route(web::get().to(auth::me)).default_service(web::to(method_not_allowed)))
            .service(
                web::resource("/me/password").route(web::post().to(auth::change_password)).default_service(web::to(method_not_allowed)),
            )
            .service(web::resource("/persons").route(web::post().to(persons::create)).default_service(web::to(method_not_allowed)))
            .service(web::resource("/persons/search").route(web::post().to(persons::search)).default_service(web::to(method_not_allowed)))
            .service(
                web::resource("/persons/{id}")
                    .route(web::get().to(persons::get))
                    .route(web::patch().to(persons::update))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/persons/{id}/timeline")
                    .route(web::get().to(persons::timeline))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/persons/{id}/employments")
                    .route(web::get().to(persons::employments))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(web::resource("/employers").route(web::post().to(employers::create)).default_service(web::to(method_not_allowed)))
            .service(
                web::resource("/employers/search").route(web::post().to(employers::search)).default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/employers/{id}")
                    .route(web::get().to(employers::get))
                    .route(web::patch().to(employers::update))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/employers/{id}/employees")
                    .route(web::get().to(employers::employees))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/employers/{id}/injury-record")
                    .route(web::get().to(employers::injury_record))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/employers/{id}/injury-rate")
                    .route(web::get().to(employers::injury_floats))
                    .route(web::post().to(employers::decide_injury_float))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(web::resource("/employments").route(web::post().to(employments::hire)).default_service(web::to(method_not_allowed)))
            .service(
                web::resource("/employments/{id}/end").route(web::post().to(employments::end)).default_service(web::to(method_not_allowed)),
            )
            .service(web::resource("/enrolments").route(web::post().to(enrolments::enrol)).default_service(web::to(method_not_allowed)))
            .service(
                web::resource("/enrolments/preview")
                    .route(web::post().to(enrolments::preview))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(web::resource("/enrolments/stop").route(web::post().to(enrolments::stop)).default_service(web::to(method_not_allowed)))
            .service(
                web::resource("/persons/{id}/enrolments")
                    .route(web::get().to(enrolments::of_person))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/persons/{id}/contributions")
                    .route(web::get().to(assessments::of_person))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/employers/{id}/insured")
                    .route(web::get().to(enrolments::insured))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/employers/{id}/statement")
                    .route(web::get().to(collections::statement))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/declarations").route(web::post().to(declarations::declare)).default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/declarations/csv")
                    .app_data(web::PayloadConfig::new(16 * 1024 * 1024))
                    .route(web::post().to(declarations::declare_csv))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/assessments/runs").route(web::post().to(assessments::run)).default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/assessments/periods")
                    .route(web::get().to(assessments::periods))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/assessments/periods/{period}/reopen")
                    .route(web::post().to(assessments::reopen))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/assessments/back-payments")
                    .route(web::post().to(assessments::back_payments))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(web::resource("/jobs/{id}").route(web::get().to(assessments::job)).default_service(web::to(method_not_allowed)))
            .service(web::resource("/collections").route(web::post().to(collections::record)).default_service(web::to(method_not_allowed)))
            .service(web::resource("/arrears").route(web::get().to(collections::arrears)).default_service(web::to(method_not_allowed)))
            .service(
                web::resource("/province/dashboard")
                    .route(web::get().to(crate::province::api::dashboard))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/province/duplicates")
                    .route(web::get().to(crate::province::api::duplicates))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/province/report")
                    .route(web::get().to(crate::province::report::province))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/province/finance")
                    .route(web::get().to(crate::province::finance::api))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/province/transfers")
                    .route(web::get().to(crate::province::api::transfers))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/report").route(web::get().to(crate::province::report::city)).default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/imports/{job}/report.csv")
                    .route(web::get().to(imports::report))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/duplicates")
                    .route(web::get().to(crate::province::api::city_duplicates))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/benefits/pension").route(web::post().to(benefits::pension)).default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/benefits/unemployment")
                    .route(web::post().to(benefits::unemployment))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/benefits/maternity")
                    .route(web::post().to(benefits::maternity))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(web::resource("/benefits/injury").route(web::post().to(benefits::injury)).default_service(web::to(method_not_allowed)))
            .service(
                web::resource("/injury/cases")
                    .route(web::post().to(injury::report))
                    .route(web::get().to(injury::list))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(web::resource("/injury/cases/{id}").route(web::get().to(injury::get)).default_service(web::to(method_not_allowed)))
            .service(
                web::resource("/injury/cases/{id}/recognition")
                    .route(web::post().to(injury::propose))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/injury/cases/{id}/recognition/approve")
                    .route(web::post().to(injury::approve))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/injury/cases/{id}/recognition/reject")
                    .route(web::post().to(injury::reject))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/injury/cases/{id}/assessment")
                    .route(web::post().to(injury::assess))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/medical/settlements")
                    .route(web::post().to(medical::propose))
                    .route(web::get().to(medical::list))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/medical/settlements/{id}").route(web::get().to(medical::get)).default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/medical/settlements/{id}/approve")
                    .route(web::post().to(medical::approve))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/medical/settlements/{id}/reject")
                    .route(web::post().to(medical::reject))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/medical/catalogue")
                    .app_data(web::PayloadConfig::new(16 * 1024 * 1024))
                    .route(web::post().to(medical::import_catalogue))
                    .route(web::get().to(medical::catalogue_versions))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/medical/accounts/credits")
                    .route(web::post().to(medical::credit))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/medical/accounts/{id}").route(web::get().to(medical::account)).default_service(web::to(method_not_allowed)),
            )
            .service(web::resource("/benefits/claims").route(web::get().to(benefits::list)).default_service(web::to(method_not_allowed)))
            .service(
                web::resource("/benefits/claims/{id}").route(web::get().to(benefits::get)).default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/benefits/claims/{id}/approve")
                    .route(web::post().to(benefits::approve))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/benefits/claims/{id}/reject")
                    .route(web::post().to(benefits::reject))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/benefits/claims/{id}/stop")
                    .route(web::post().to(benefits::stop))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/benefits/claims/{id}/channel")
                    .route(web::post().to(benefits::channel))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/benefits/claims/{id}/adjustments")
                    .route(web::get().to(benefits::adjustments))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/benefits/recalculations")
                    .route(web::post().to(benefits::recalculate))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/benefits/revisions").route(web::get().to(benefits::revisions)).default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/benefits/revisions/{id}/approve")
                    .route(web::post().to(benefits::approve_revision))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/benefits/revisions/{id}/reject")
                    .route(web::post().to(benefits::reject_revision))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/benefits/channel-changes")
                    .route(web::get().to(benefits::channel_changes))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/benefits/channel-changes/{id}")
                    .route(web::get().to(benefits::channel_change))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/benefits/channel-changes/{id}/approve")
                    .route(web::post().to(benefits::approve_channel))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/benefits/channel-changes/{id}/reject")
                    .route(web::post().to(benefits::reject_channel))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/payments/batches")
                    .route(web::post().to(payments::generate))
                    .route(web::get().to(payments::list))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/payments/batches/{id}").route(web::get().to(payments::get)).default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/payments/batches/{id}/results")
                    .app_data(web::PayloadConfig::new(16 * 1024 * 1024))
                    .route(web::post().to(payments::results))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/payments/batches/{id}/export")
                    .route(web::post().to(payments::freeze))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/payments/batches/{id}/{file}")
                    .route(web::get().to(payments::export))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(web::resource("/finance/ledger").route(web::get().to(payments::ledger)).default_service(web::to(method_not_allowed)))
            .service(
                web::resource("/persons/{id}/unemployment")
                    .route(web::post().to(labour::register))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/persons/{id}/trainings")
                    .route(web::post().to(labour::add_training))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/persons/{id}/contacts")
                    .route(web::post().to(labour::add_contact))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/persons/{id}/labour").route(web::get().to(labour::of_person)).default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/labour/registrations")
                    .route(web::get().to(labour::registrations))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/labour/registrations/{id}/close")
                    .route(web::post().to(labour::close))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/labour/trainings").route(web::get().to(labour::trainings)).default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/transfers")
                    .route(web::post().to(transfers::open))
                    .route(web::get().to(transfers::list))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(web::resource("/transfers/{uid}").route(web::get().to(transfers::get)).default_service(web::to(method_not_allowed)))
            .service(
                web::resource("/transfers/{uid}/accept")
                    .route(web::post().to(transfers::accept))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/transfers/{uid}/refuse")
                    .route(web::post().to(transfers::refuse))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/transfers/{uid}/info").route(web::post().to(transfers::info)).default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/transfers/{uid}/approve")
                    .route(web::post().to(transfers::approve))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/transfers/{uid}/funds-sent")
                    .route(web::post().to(transfers::funds_sent))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/transfers/{uid}/funds-received")
                    .route(web::post().to(transfers::funds_received))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/transfers/{uid}/complete")
                    .route(web::post().to(transfers::complete))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/transfers/{uid}/cancel")
                    .route(web::post().to(transfers::cancel))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/bank/statements/{account}")
                    .app_data(web::PayloadConfig::new(16 * 1024 * 1024))
                    .route(web::post().to(reconciliation::import_statement))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/reconciliation/{period}")
                    .route(web::get().to(reconciliation::report))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/reconciliation/{period}/items/{kind}/{id}/resolve")
                    .route(web::post().to(reconciliation::resolve))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/reconciliation/{period}/sign-off")
                    .route(web::post().to(reconciliation::sign_off))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/imports/{kind}").app_data(web::PayloadConfig::new(64 * 1024 * 1024)).route(web::post().to(imports::import)),
            )
            .default_service(web::to(|| async { Err::<HttpResponse, _>(ApiError::NotFound) })),
    );
}

/// A path the API knows, asked with a method it does not answer: 405 with the error body.
async fn method_not_allowed() -> Result<HttpResponse, ApiError> {
    Err(ApiError::MethodNotAllowed)
}

/// Routes that take a file (CSV, .xlsx) as the request body rather than JSON.
fn takes_a_file(path: &str) -> bool {
    path == "/api/v1/declarations/csv"
        || path == "/api/v1/medical/catalogue"
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
