//! 网上服务: pages for employers' accountants (单位网上经办) and insured persons (个人网上服务),
//! under `/portal`, with a session of their own (`session`), kept apart from staff sessions by
//! the token's audience and the cookie. What an account may see is decided by the database: every
//! transaction runs as `jinbao_public` with the account's employer or person as principal.

pub mod employer;
pub mod login;
pub mod page;
pub mod person;
pub mod session;

use actix_web::{middleware, web};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/portal")
            .wrap(middleware::from_fn(page::render_errors))
            .route("", web::get().to(employer::home))
            .route("/", web::get().to(employer::home))
            .route("/login", web::get().to(login::show))
            .route("/login", web::post().to(login::submit))
            .route("/logout", web::post().to(login::logout))
            .route("/lang", web::post().to(login::switch_lang))
            .route("/password", web::get().to(login::password_form))
            .route("/password", web::post().to(login::change_password))
            .route("/employees", web::get().to(employer::employees))
            .route("/employees/leave", web::post().to(employer::leave))
            .route("/employees/{id}", web::get().to(employer::employee))
            .route("/employees/{id}/certificate", web::post().to(employer::issue_certificate))
            .route("/certificates/{code}", web::get().to(employer::certificate))
            .route("/hire", web::get().to(employer::hire_form))
            .route("/hire", web::post().to(employer::hire_submit))
            .route("/statement", web::get().to(employer::statement))
            .route("/statement.csv", web::get().to(employer::statement_csv))
            .route("/declaration", web::get().to(employer::declaration_form))
            .route("/declaration", web::post().to(employer::declaration_upload))
            .route("/applications", web::get().to(employer::applications))
            .route("/activate", web::get().to(person::activate_form))
            .route("/activate", web::post().to(person::activate))
            .route("/record", web::get().to(person::record))
            .route("/statements", web::get().to(person::statements))
            .route("/statements", web::post().to(person::generate))
            .route("/statements/{code}", web::get().to(person::statement))
            .route("/transfer", web::get().to(person::transfer_form))
            .route("/transfer", web::post().to(person::transfer_apply))
            .route("/card", web::get().to(person::card))
            .route("/card/{id}/lost", web::post().to(person::report_lost)),
    );
}
