//! Server-rendered pages (handlebars, `frontend/templates`). Every state change is a POST with a
//! CSRF token; personal data is sent with `Cache-Control: no-store`.

pub mod employers;
pub mod home;
pub mod login;
pub mod persons;
pub mod render;

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
        .route("/employments/{id}/end", web::post().to(persons::end_employment))
        .route("/employers", web::get().to(employers::list))
        .route("/employers", web::post().to(employers::create))
        .route("/employers/new", web::get().to(employers::new_form))
        .route("/employers/search", web::post().to(employers::search_code))
        .route("/employers/{id}", web::get().to(employers::detail))
        .default_service(web::to(not_found));
}

/// Any unknown address: the styled 404 page (with the session's header when logged in).
async fn not_found(state: web::Data<crate::state::AppState>, req: actix_web::HttpRequest) -> actix_web::HttpResponse {
    let who = crate::auth::Principal::from_request_ref(&req).await.ok();
    render::PageCtx::new(&state, &req, who.as_ref()).error(&req, crate::error::ApiError::NotFound).await
}
