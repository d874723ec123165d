//! Home: the tenant, the user's office and roles, quick counts.

use actix_web::http::StatusCode;
use actix_web::web;
use jinbao_store::repo::users;
use serde_json::json;

use super::page::{Page, PageResult};
use super::render::PageCtx;
use crate::i18n::Lang;

#[derive(serde::Deserialize)]
pub struct HomeQuery {
    flash: Option<String>,
}

pub async fn show(pg: Page, q: web::Query<HomeQuery>) -> PageResult {
    let Page { state, req, who } = pg;
    let page = PageCtx::new(&state, &req, Some(&who));
    let uid = who.user_id;
    let data = who.db(move |tx| Ok((users::profile(tx, uid)?, users::counts(tx)?, users::work_counts(tx)?))).await;
    let (profile, (persons, employers), (reviews, jobs, arrears)) = match data {
        Ok(d) => d,
        Err(e) => return Err(e.into()),
    };
    let office_name = if page.lang == Lang::En { &profile.office_name_en } else { &profile.office_name_zh };
    let user = json!({"display_name": profile.display_name, "office_name": office_name});
    let mut ctx = page.base("home", "nav.home", Some(user.clone())).await;
    ctx.insert("profile".into(), json!({"display_name": profile.display_name, "office_name": office_name, "office_code": profile.office_code, "username": profile.username}));
    ctx.insert("roles".into(), ctx["user"]["roles"].clone());
    ctx.insert("stats".into(), json!({"persons": persons, "employers": employers}));
    ctx.insert("work".into(), json!({"pending_reviews": reviews, "running_jobs": jobs, "arrears_employers": arrears}));
    if q.flash.as_deref() == Some("password_changed") {
        ctx.insert("flash".into(), json!(page.t("password.changed_flash")));
    }
    Ok(page.render(StatusCode::OK, "home", &ctx))
}
