//! User administration for city administrators, and the password change page (forced at first
//! login and after a reset).

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use jinbao_app::users::NewUserInput;
use jinbao_app::AppError;
use jinbao_store::kinds::UserStatus;
use jinbao_store::repo::users::{self, NewUser};
use serde_json::{json, Map, Value};

use super::enrol::Fields;
use super::page::{Page, PageResult};
use super::render::{check_csrf, cookie, field_messages, redirect, Form, PageCtx};
use crate::auth::permissions::ROLES;
use crate::auth::principal::SESSION_COOKIE;
use crate::auth::{csrf, password, Permission, Principal};
use crate::error::{ApiError, FieldProblem};
use crate::i18n::Lang;

/// Roles a city administrator may hand out (province roles belong to the province tier).
fn assignable(who: &Principal) -> Vec<&'static str> {
    if who.can(Permission::TenantAdmin) {
        ROLES.to_vec()
    } else {
        vec!["clerk", "reviewer", "city_admin", "finance_viewer", "auditor"]
    }
}

struct UsersView {
    status: StatusCode,
    form: Value,
    errors: Value,
    new_password: Value,
}

async fn render_users(page: &PageCtx<'_>, req: &HttpRequest, who: &Principal, v: UsersView) -> HttpResponse {
    if let Err(e) = who.require(Permission::UserAdmin) {
        return page.error(req, e).await;
    }
    let data = who.db(|tx| Ok((users::list(tx)?, users::offices(tx)?))).await;
    let (list, offices) = match data {
        Ok(d) => d,
        Err(e) => return page.error(req, e).await,
    };
    let en = page.lang == Lang::En;
    let mut ctx = page.base("users", "users.title", None).await;
    let rows: Vec<Value> = list
        .iter()
        .map(|u| {
            let roles: Vec<String> = u.roles.iter().map(|r| page.t(&format!("roles.{r}"))).collect();
            let role_flags: Map<String, Value> = u.roles.iter().map(|r| (r.clone(), json!(true))).collect();
            json!({"id": u.id, "username": u.username, "display_name": u.display_name, "office_code": u.office_code, "role_flags": role_flags,
                   "office_name": if en { &u.office_name_en } else { &u.office_name_zh }, "roles": roles.join("、"),
                   "status": u.status, "status_label": page.t(&format!("users.status.{}", u.status)), "active": u.status == UserStatus::Active})
        })
        .collect();
    ctx.insert("users".into(), json!(rows));
    ctx.insert(
        "offices".into(),
        json!(offices.iter().map(|(c, zh, e)| json!({"code": c, "name": if en { e } else { zh }})).collect::<Vec<_>>()),
    );
    ctx.insert(
        "roles".into(),
        json!(assignable(who).iter().map(|r| json!({"code": r, "label": page.t(&format!("roles.{r}"))})).collect::<Vec<_>>()),
    );
    let has_errors = v.errors.as_object().is_some_and(|m| !m.is_empty());
    ctx.insert("form".into(), v.form);
    ctx.insert("errors".into(), v.errors);
    ctx.insert("errors_summary".into(), if has_errors { json!(page.state.catalog.error(page.lang, "validation")) } else { Value::Null });
    ctx.insert("new_password".into(), v.new_password);
    page.render(v.status, "admin/users", &ctx)
}

pub async fn list(pg: Page) -> PageResult {
    let Page { state, req, who } = pg;
    let page = PageCtx::new(&state, &req, Some(&who));
    Ok(render_users(
        &page,
        &req,
        &who,
        UsersView { status: StatusCode::OK, form: json!({"roles": {"clerk": true}}), errors: json!({}), new_password: Value::Null },
    )
    .await)
}

pub async fn create(pg: Page, body: web::Bytes) -> PageResult {
    let Page { state, req, who } = pg;
    let page = PageCtx::new(&state, &req, Some(&who));
    let f = Fields::parse(&body);
    if !csrf::matches(&who.claims.csrf, &f.get("csrf")) {
        return Err(ApiError::BadRequest { code: "csrf.invalid", detail: None }.into());
    }
    who.require(Permission::UserAdmin)?;
    let roles: Vec<String> = f.all("roles");
    let role_flags: Map<String, Value> = roles.iter().map(|r| (r.clone(), json!(true))).collect();
    let form =
        json!({"username": f.get("username"), "display_name": f.get("display_name"), "office": f.get("office"), "roles": role_flags});
    let view = |status, errors, new_password| UsersView { status, form: form.clone(), errors, new_password };
    let input = NewUserInput { username: f.get("username"), display_name: f.get("display_name"), office: Some(f.get("office")), roles };
    let account = match input.parse(&assignable(&who)) {
        Ok(a) => a,
        Err(AppError::Validation(problems)) => {
            let errors = field_messages(&state, page.lang, &problems);
            return Ok(render_users(&page, &req, &who, view(StatusCode::UNPROCESSABLE_ENTITY, errors, Value::Null)).await);
        }
        Err(e) => return Err(e.into()),
    };
    let initial = password::generate();
    let hash = match password::hash(&initial) {
        Ok(h) => h,
        Err(e) => return Err(ApiError::internal(e).into()),
    };
    let username = account.username.clone();
    let result = who
        .db(move |tx| {
            users::create(
                tx,
                &NewUser {
                    username: &account.username,
                    display_name: &account.display_name,
                    office_code: account.office.as_deref(),
                    roles: &account.roles,
                    password_hash: &hash,
                    must_change_password: true,
                },
            )
        })
        .await;
    Ok(match result {
        Ok(_) => {
            let shown = json!({"username": username, "password": initial});
            render_users(
                &page,
                &req,
                &who,
                UsersView { status: StatusCode::OK, form: json!({"roles": {"clerk": true}}), errors: json!({}), new_password: shown },
            )
            .await
        }
        Err(ApiError::Validation(ps)) => {
            render_users(&page, &req, &who, view(StatusCode::UNPROCESSABLE_ENTITY, field_messages(&state, page.lang, &ps), Value::Null))
                .await
        }
        Err(ApiError::Conflict(p)) => {
            render_users(&page, &req, &who, view(StatusCode::CONFLICT, field_messages(&state, page.lang, &[p]), Value::Null)).await
        }
        Err(e) => return Err(e.into()),
    })
}

/// Reset (new one-time password), disable, enable a user, or change office and roles.
pub async fn act(pg: Page, path: web::Path<(String, String)>, body: web::Bytes) -> PageResult {
    let Page { state, req, who } = pg;
    let page = PageCtx::new(&state, &req, Some(&who));
    let f = Fields::parse(&body);
    if !csrf::matches(&who.claims.csrf, &f.get("csrf")) {
        return Err(ApiError::BadRequest { code: "csrf.invalid", detail: None }.into());
    }
    who.require(Permission::UserAdmin)?;
    let (id, action) = path.into_inner();
    let Ok(id) = id.parse::<i64>() else { return Err(ApiError::NotFound.into()) };
    if id == who.user_id && action != "reset" {
        return Err(ApiError::Forbidden.into());
    }
    Ok(match action.as_str() {
        "disable" | "enable" => {
            let status = if action == "disable" { UserStatus::Disabled } else { UserStatus::Active };
            match who.db(move |tx| users::set_status(tx, id, status)).await {
                Ok(()) => redirect("/admin/users"),
                Err(e) => return Err(e.into()),
            }
        }
        "reset" => {
            let initial = password::generate();
            let hash = match password::hash(&initial) {
                Ok(h) => h,
                Err(e) => return Err(ApiError::internal(e).into()),
            };
            let result = who
                .db(move |tx| {
                    users::set_password(tx, id, &hash, true)?;
                    Ok(users::list(tx)?.into_iter().find(|u| u.id == id).map(|u| u.username).unwrap_or_default())
                })
                .await;
            match result {
                Ok(username) => {
                    let shown = json!({"username": username, "password": initial});
                    render_users(
                        &page,
                        &req,
                        &who,
                        UsersView {
                            status: StatusCode::OK,
                            form: json!({"roles": {"clerk": true}}),
                            errors: json!({}),
                            new_password: shown,
                        },
                    )
                    .await
                }
                Err(e) => return Err(e.into()),
            }
        }
        "update" => {
            let roles = f.all("roles");
            let allowed = assignable(&who);
            if roles.is_empty() || roles.iter().any(|r| !allowed.contains(&r.as_str())) {
                let errors = field_messages(&state, page.lang, &[FieldProblem { field: "roles".into(), code: "user.roles".into() }]);
                let v = UsersView {
                    status: StatusCode::UNPROCESSABLE_ENTITY,
                    form: json!({"roles": {"clerk": true}}),
                    errors,
                    new_password: Value::Null,
                };
                return Ok(render_users(&page, &req, &who, v).await);
            }
            let office = f.get("office");
            match who.db(move |tx| users::set_office_and_roles(tx, id, &office, &roles)).await {
                Ok(()) => redirect("/admin/users"),
                Err(e) => return Err(e.into()),
            }
        }
        _ => return Err(ApiError::NotFound.into()),
    })
}

async fn render_password(page: &PageCtx<'_>, who: &Principal, status: StatusCode, errors: Value) -> HttpResponse {
    let mut ctx = page.base("", "password.title", None).await;
    let has_errors = errors.as_object().is_some_and(|m| !m.is_empty());
    ctx.insert("forced".into(), json!(who.claims.pwd));
    ctx.insert("errors".into(), errors);
    ctx.insert("errors_summary".into(), if has_errors { json!(page.state.catalog.error(page.lang, "validation")) } else { Value::Null });
    page.render(status, "password", &ctx)
}

pub async fn password_form(pg: Page) -> PageResult {
    let Page { state, req, who } = pg;
    let page = PageCtx::new(&state, &req, Some(&who));
    Ok(render_password(&page, &who, StatusCode::OK, json!({})).await)
}

/// Changes the password; the session is renewed (old token revoked, `pwd` cleared).
pub async fn change_password(pg: Page, form: Form) -> PageResult {
    let Page { state, req, who } = pg;
    let page = PageCtx::new(&state, &req, Some(&who));
    check_csrf(&who, &form)?;
    let get = |k: &str| form.get(k).cloned().unwrap_or_default();
    let (current, new, confirm) = (get("current"), get("new"), get("confirm"));
    let token = match crate::auth::login::change_password(&state, &who, &current, &new, &confirm).await {
        Ok(t) => t,
        Err(ApiError::Validation(problems)) => {
            return Ok(render_password(&page, &who, StatusCode::UNPROCESSABLE_ENTITY, field_messages(&state, page.lang, &problems)).await);
        }
        Err(e) => return Err(e.into()),
    };
    let mut res = redirect("/?flash=password_changed");
    let _ = res.add_cookie(&cookie(&state, SESSION_COOKIE, token, state.settings.token_ttl_minutes * 60));
    Ok(res)
}
