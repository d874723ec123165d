//! Server-rendered pages (handlebars, `frontend/templates`). Every state change is a POST with a
//! CSRF token; personal data is sent with `Cache-Control: no-store`.

pub mod admin;
pub mod benefits;
pub mod channel_changes;
pub mod contributions;
pub mod declaration;
pub mod employers;
pub mod enrol;
pub mod home;
pub mod imports;
pub mod injury;
pub mod labour;
pub mod login;
pub mod medical;
pub mod onboarding;
pub mod page;
pub mod payments;
pub mod person_service;
pub mod persons;
pub mod public_accounts;
pub mod reconciliation;
pub mod records;
pub mod render;
pub mod revisions;
pub mod transfers;
pub mod upload_form;

use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/login", web::get().to(login::show))
        .route("/login", web::post().to(login::submit))
        .route("/logout", web::post().to(login::logout))
        .route("/lang", web::post().to(login::switch_lang))
        .route("/", web::get().to(home::show))
        .route("/persons", web::get().to(persons::list))
        .route("/persons", web::post().to(persons::create))
        .route("/persons/new", web::get().to(persons::new_form))
        .route("/persons/search", web::post().to(persons::search_id))
        .route("/persons/{id}", web::get().to(persons::detail))
        .route("/persons/{id}/employments", web::post().to(persons::hire))
        .route("/persons/{id}/stop", web::post().to(persons::stop))
        .route("/employments/{id}/end", web::post().to(persons::end_employment))
        .route("/employers", web::get().to(employers::list))
        .route("/employers", web::post().to(employers::create))
        .route("/employers/new", web::get().to(employers::new_form))
        .route("/employers/search", web::post().to(employers::search_code))
        .route("/employers/{id}", web::get().to(employers::detail))
        .route("/employers/{id}/collections", web::post().to(employers::collect))
        .route("/employers/{id}/injury-rate", web::post().to(employers::decide_injury_float))
        .route("/employers/{id}/statement", web::get().to(employers::statement))
        .route("/employers/{id}/declaration", web::get().to(declaration::show))
        .route("/employers/{id}/declaration", web::post().to(declaration::upload))
        .route("/employers/{id}/accounts", web::post().to(public_accounts::open))
        .route("/employers/{id}/accounts/{account}/{action}", web::post().to(public_accounts::set_status))
        .route("/persons/{id}/activation", web::post().to(person_service::activation))
        .route("/persons/{id}/cards", web::post().to(person_service::issue_card))
        .route("/persons/{id}/cards/{card}/{action}", web::post().to(person_service::card_action))
        .route("/persons/{id}/statements", web::post().to(person_service::generate_statement))
        .route("/statements/run", web::post().to(person_service::run_year))
        .route("/cards/import", web::get().to(person_service::import_form))
        .route("/cards/import", web::post().to(person_service::import_upload))
        .route("/statements/{code}", web::get().to(person_service::statement))
        .route("/applications", web::get().to(public_accounts::queue))
        .route("/applications/{id}/{action}", web::post().to(public_accounts::decide))
        .route("/assessments", web::get().to(contributions::index))
        .route("/assessments/run", web::post().to(contributions::run))
        .route("/assessments/back-payments", web::post().to(contributions::back_payments))
        .route("/assessments/{period}/reopen", web::post().to(contributions::reopen))
        .route("/jobs/{id}", web::get().to(contributions::job))
        .route("/arrears", web::get().to(contributions::arrears))
        .route("/reviews", web::get().to(contributions::reviews))
        .route("/benefits", web::get().to(benefits::list))
        .route("/benefits/new", web::get().to(benefits::new))
        .route("/benefits/new", web::post().to(benefits::create))
        .route("/benefits/{id}", web::get().to(benefits::detail))
        .route("/benefits/recalculate", web::post().to(revisions::recalculate))
        .route("/benefits/revisions/{id}/{action}", web::post().to(revisions::decide))
        .route("/benefits/{id}/channel", web::post().to(channel_changes::propose))
        .route("/benefits/channel-changes/{id}/{action}", web::post().to(channel_changes::decide))
        .route("/benefits/{id}/{action}", web::post().to(benefits::decide))
        .route("/injury", web::get().to(injury::list))
        .route("/injury", web::post().to(injury::create))
        .route("/injury/new", web::get().to(injury::new_form))
        .route("/injury/{id}", web::get().to(injury::detail))
        .route("/injury/{id}/recognition", web::post().to(injury::propose))
        .route("/injury/{id}/recognition/{action}", web::post().to(injury::decide))
        .route("/injury/{id}/assessment", web::post().to(injury::assess))
        .route("/injury/{id}/benefits", web::post().to(injury::benefit))
        .route("/injury/{id}/documents", web::post().to(injury::upload))
        .route("/injury/{id}/documents/{doc}", web::get().to(injury::download))
        .route("/medical", web::get().to(medical::list))
        .route("/medical", web::post().to(medical::create))
        .route("/medical/new", web::get().to(medical::new_form))
        .route("/medical/credits", web::post().to(medical::credit))
        .route("/medical/catalogue", web::get().to(medical::catalogue_page))
        .route("/medical/catalogue", web::post().to(medical::catalogue_upload))
        .route("/medical/accounts/{person}", web::get().to(medical::account))
        .route("/medical/{id}", web::get().to(medical::detail))
        .route("/medical/{id}/{action}", web::post().to(medical::decide))
        .route("/payments", web::get().to(payments::list))
        .route("/payments", web::post().to(payments::generate))
        .route("/payments/{id}", web::get().to(payments::detail))
        .route("/payments/{id}/results", web::post().to(payments::results))
        .route("/payments/{id}/export", web::post().to(payments::freeze))
        .route("/finance", web::get().to(payments::finance))
        .route("/province/finance", web::get().to(crate::province::finance::page))
        .route("/labour", web::get().to(labour::show))
        .route("/labour", web::post().to(labour::save))
        .route("/transfers", web::get().to(transfers::list))
        .route("/transfers", web::post().to(transfers::open))
        .route("/transfers/{uid}/{action}", web::post().to(transfers::step))
        .route("/reconciliation", web::get().to(reconciliation::show))
        .route("/reconciliation/statements", web::post().to(reconciliation::upload))
        .route("/reconciliation/{period}/sign-off", web::post().to(reconciliation::sign_off))
        .route("/reconciliation/{period}/items/{kind}/{id}", web::post().to(reconciliation::resolve))
        .route("/audit/{entity}/{id}", web::get().to(records::trail))
        .route("/persons/{id}/certificate", web::post().to(records::issue_certificate))
        .route("/certificates/{code}", web::get().to(records::certificate))
        .route("/verify", web::get().to(records::verify_form))
        .route("/verify", web::post().to(records::verify))
        .route("/admin/users", web::get().to(admin::list))
        .route("/admin/users", web::post().to(admin::create))
        .route("/admin/users/{id}/{action}", web::post().to(admin::act))
        .route("/password", web::get().to(admin::password_form))
        .route("/password", web::post().to(admin::change_password))
        .route("/province", web::get().to(crate::province::page::show))
        .route("/province/cities.csv", web::get().to(crate::province::page::csv))
        .route("/province/cities.xlsx", web::get().to(crate::province::page::xlsx))
        .route("/admin/tenants", web::get().to(onboarding::list))
        .route("/admin/tenants/{code}/start", web::post().to(onboarding::start))
        .route("/admin/tenants/{code}/tick/{item}", web::post().to(onboarding::tick))
        .route("/admin/tenants/{code}/status/{to}", web::post().to(onboarding::transition))
        .route("/imports", web::get().to(imports::show))
        .route("/imports", web::post().to(imports::upload))
        .route("/enrol", web::get().to(enrol::show))
        .route("/enrol", web::post().to(enrol::submit))
        .default_service(web::to(not_found));
}

/// Any unknown address: the styled 404 page (with the session's header when logged in).
async fn not_found(state: web::Data<crate::state::AppState>, req: actix_web::HttpRequest) -> actix_web::HttpResponse {
    let who = crate::auth::Principal::from_request_ref(&req).await.ok();
    render::PageCtx::new(&state, &req, who.as_ref()).error(&req, crate::error::ApiError::NotFound).await
}
