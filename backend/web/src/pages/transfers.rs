//! `/transfers`: a city's transfers in and out, each with the step now waiting and who must take
//! it; the forms for this city's steps (open by sending the contact letter, accept or refuse a
//! letter, produce the information, approve it, record funds sent or received, complete).
//! Overdue steps are marked.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use jinbao_domain::Fen;
use jinbao_store::repo::global;
use jinbao_store::repo::transfers::{self, Transfer};
use serde_json::{json, Value};
use uuid::Uuid;

use super::persons::page_session;
use super::render::{check_csrf, field, field_messages, redirect, session, Form, PageCtx};
use crate::auth::{Permission, Principal};
use crate::error::ApiError;
use crate::state::AppState;

fn view(page: &PageCtx<'_>, t: &Transfer, who: &Principal, tenants: &[global::TenantInfo]) -> Value {
    let other = tenants.iter().find(|x| x.id == t.other_tenant_id);
    let name = other.map(|o| if page.lang == crate::i18n::Lang::En { o.name_en.clone() } else { o.name_zh.clone() });
    let w = t.waiting_for.as_str();
    let out = t.side == "out";
    let letter = out && t.state == "letter" && who.can(Permission::TransferProcess);
    let refused = t.refused_code.as_ref().map(|c| page.t(&format!("transfers.refuse_codes.{c}")));
    json!({"uid": t.uid, "side": t.side, "side_label": page.t(&format!("transfers.sides.{}", t.side)), "other_city": name,
           "person_id": t.person_id, "person_name": t.person_name,
           "id_number": if who.can(Permission::PersonRevealId) { t.id_number.clone() } else { jinbao_domain::id_number::mask(&t.id_number) }, "state_label": page.t(&format!("transfers.states.{}", t.state)),
           "waiting_label": page.t(&format!("transfers.waiting.{w}")), "overdue": t.overdue, "days": t.working_days_waiting,
           "requested_at": t.requested_at.format("%Y-%m-%d").to_string(),
           "total": t.info_total_fen.map(|f| Fen(f).to_string()), "months": t.info.as_ref().map(|i| i["months"].clone()),
           "pooled": t.info.as_ref().and_then(|i| i["pooled_fund_fen"].as_i64()).map(|f| Fen(f).to_string()),
           "account": t.info.as_ref().and_then(|i| i["personal_account_fen"].as_i64()).map(|f| Fen(f).to_string()),
           "funds_sent": t.funds_sent_fen.map(|f| Fen(f).to_string()), "funds_received": t.funds_received_fen.map(|f| Fen(f).to_string()),
           "can_info": out && w == "info" && who.can(Permission::TransferProcess),
           "can_approve": out && w == "info" && t.info_proposed_by.is_some() && t.info_proposed_by != Some(who.user_id) && who.can(Permission::TransferApprove),
           "can_send": out && t.state == "requested" && t.funds_sent_at.is_none() && t.info_total_fen.is_some() && who.can(Permission::TransferProcess),
           "can_receive": !out && t.state == "requested" && t.funds_sent_at.is_some() && who.can(Permission::TransferRequest),
           "can_complete": !out && w == "complete" && who.can(Permission::TransferRequest),
           "can_accept": letter, "can_refuse": letter,
           "refuse_codes": jinbao_app::transfers::REFUSE_CODES.iter()
               .map(|c| json!({"code": c, "label": page.t(&format!("transfers.refuse_codes.{c}"))})).collect::<Vec<_>>(),
           "can_cancel": (t.state == "requested" || (t.state == "letter" && !out)) && t.funds_sent_at.is_none(),
           "refused": refused, "refused_reason": t.refused_reason})
}

pub async fn list(state: web::Data<AppState>, req: HttpRequest) -> HttpResponse {
    let who = page_session!(req);
    let page = PageCtx::new(&state, &req, Some(&who));
    render(&page, &req, &who, StatusCode::OK, json!({})).await
}

async fn render(page: &PageCtx<'_>, req: &HttpRequest, who: &Principal, status: StatusCode, errors: Value) -> HttpResponse {
    if !(who.can(Permission::TransferRequest) || who.can(Permission::TransferProcess) || who.can(Permission::TransferApprove)) {
        return page.error(req, ApiError::Forbidden).await;
    }
    let db = page.state.db.clone();
    let tenants = crate::blocking::run(move || global::tenants(&db)).await.unwrap_or_default();
    let items = match who.db(|tx| transfers::list(tx, None, false)).await {
        Ok(i) => i,
        Err(e) => return page.error(req, e).await,
    };
    let en = page.lang == crate::i18n::Lang::En;
    let cities: Vec<Value> = tenants
        .iter()
        .filter(|t| t.kind == "city" && t.id != who.tenant.0)
        .map(|t| json!({"code": t.code, "name": if en { &t.name_en } else { &t.name_zh }}))
        .collect();
    let mut ctx = page.base("transfers", "transfers.title", None).await;
    ctx.insert("items".into(), json!(items.iter().map(|t| view(page, t, who, &tenants)).collect::<Vec<_>>()));
    ctx.insert("cities".into(), json!(cities));
    ctx.insert("can_open".into(), json!(who.can(Permission::TransferRequest)));
    ctx.insert("errors".into(), errors);
    page.render(status, "transfers", &ctx)
}

pub async fn open(state: web::Data<AppState>, req: HttpRequest, form: Form) -> HttpResponse {
    let who = page_session!(req);
    let page = PageCtx::new(&state, &req, Some(&who));
    if let Err(e) = check_csrf(&who, &form) {
        return page.error(&req, e).await;
    }
    let from = field(&form, "from_city");
    let person = field(&form, "person_id").trim().parse::<i64>().ok();
    // Limited, checked and audited (refused attempts too) exactly as through the API.
    match crate::transfers::open_letter(&state, &who, Some(from), person).await {
        Ok(_) => redirect("/transfers"),
        Err(ApiError::Validation(ps)) => {
            render(&page, &req, &who, StatusCode::UNPROCESSABLE_ENTITY, field_messages(&state, page.lang, &ps)).await
        }
        Err(ApiError::Conflict(p)) => render(&page, &req, &who, StatusCode::CONFLICT, field_messages(&state, page.lang, &[p])).await,
        Err(ApiError::TooManyRequests(code)) => {
            let errors = json!({"transfer": state.catalog.error(page.lang, code)});
            render(&page, &req, &who, StatusCode::TOO_MANY_REQUESTS, errors).await
        }
        Err(e) => page.error(&req, e).await,
    }
}

/// One step on this city's side: `accept`, `refuse`, `info`, `approve`, `funds-sent`,
/// `funds-received`, `complete`, `cancel`.
pub async fn step(state: web::Data<AppState>, req: HttpRequest, path: web::Path<(String, String)>, form: Form) -> HttpResponse {
    let who = page_session!(req);
    let page = PageCtx::new(&state, &req, Some(&who));
    if let Err(e) = check_csrf(&who, &form) {
        return page.error(&req, e).await;
    }
    let (raw, action) = path.into_inner();
    let Ok(uid) = Uuid::parse_str(&raw) else { return page.error(&req, ApiError::NotFound).await };
    let amount = jinbao_domain::Fen::parse_yuan("amount", &field(&form, "amount")).map(|f| f.0);
    let today = chrono::Utc::now().date_naive();
    let result: Result<Transfer, ApiError> = match action.as_str() {
        "accept" => match who.require(Permission::TransferProcess) {
            Err(e) => Err(e),
            Ok(()) => who.db(move |tx| transfers::accept(tx, uid)).await,
        },
        "refuse" => {
            let (code, note) = (field(&form, "code"), field(&form, "note"));
            match who.require(Permission::TransferProcess).and_then(|_| Ok(jinbao_app::transfers::refusal(Some(&code), Some(&note))?)) {
                Err(e) => Err(e),
                Ok((code, note)) => who.db(move |tx| transfers::refuse(tx, uid, &code, note.as_deref())).await,
            }
        }
        "info" => match who.require(Permission::TransferProcess) {
            Err(e) => Err(e),
            Ok(()) => who.db_checked(move |tx| jinbao_app::transfers::propose_information(tx, uid, today)).await,
        },
        "approve" => match who.require(Permission::TransferApprove) {
            Err(e) => Err(e),
            Ok(()) => who.db(move |tx| transfers::approve_info(tx, uid)).await,
        },
        "funds-sent" | "funds-received" => {
            let sent = action == "funds-sent";
            let perm = if sent { Permission::TransferProcess } else { Permission::TransferRequest };
            match (who.require(perm), amount) {
                (Err(e), _) => Err(e),
                (_, Err(e)) => Err(e.into()),
                (Ok(()), Ok(a)) => {
                    who.db(move |tx| if sent { transfers::funds_sent(tx, uid, a) } else { transfers::funds_received(tx, uid, a) }).await
                }
            }
        }
        "cancel" => {
            let reason = field(&form, "reason");
            let allowed =
                who.can(Permission::TransferRequest) || who.can(Permission::TransferProcess) || who.can(Permission::TransferApprove);
            if !allowed {
                Err(ApiError::Forbidden)
            } else if !(2..=200).contains(&reason.chars().count()) {
                Err(ApiError::field("reason", "reason.required"))
            } else {
                who.db(move |tx| transfers::cancel(tx, uid, &reason)).await
            }
        }
        "complete" => match who.require(Permission::TransferRequest) {
            Err(e) => Err(e),
            Ok(()) => who.db(move |tx| transfers::complete(tx, uid)).await,
        },
        _ => Err(ApiError::NotFound),
    };
    match result {
        Ok(_) => redirect("/transfers"),
        Err(ApiError::Validation(ps)) => {
            render(&page, &req, &who, StatusCode::UNPROCESSABLE_ENTITY, field_messages(&state, page.lang, &ps)).await
        }
        Err(ApiError::Conflict(p)) => render(&page, &req, &who, StatusCode::CONFLICT, field_messages(&state, page.lang, &[p])).await,
        Err(e) => page.error(&req, e).await,
    }
}
