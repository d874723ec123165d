//! `/transfers`: a city's transfers in and out, each with the step now waiting and who must take
//! it; the forms for this city's steps (open by sending the contact letter, accept or refuse a
//! letter, produce the information, approve it, record funds sent or received, complete).
//! Overdue steps are marked.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use jinbao_domain::Fen;
use jinbao_store::kinds::{TenantKind, TransferSide, TransferState};
use jinbao_store::repo::global;
use jinbao_store::repo::transfers::{self, Transfer};
use serde_json::{json, Value};
use uuid::Uuid;

use super::page::{Page, PageResult};
use super::render::{check_csrf, field, field_messages, opt, redirect, Form, PageCtx};
use crate::auth::{Permission, Principal};
use crate::error::ApiError;
use crate::transfers::take_step;
use jinbao_app::transfers::StepInput;

fn view(page: &PageCtx<'_>, t: &Transfer, who: &Principal, tenants: &[global::TenantInfo]) -> Value {
    let other = tenants.iter().find(|x| x.id == t.other_tenant_id);
    let name = other.map(|o| if page.lang == crate::i18n::Lang::En { o.name_en.clone() } else { o.name_zh.clone() });
    let w = t.waiting_for.as_str();
    let out = t.side == TransferSide::Out;
    let letter = out && t.state == TransferState::Letter && who.can(Permission::TransferProcess);
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
           "can_send": out && t.state == TransferState::Requested && t.funds_sent_at.is_none() && t.info_total_fen.is_some() && who.can(Permission::TransferProcess),
           "can_receive": !out && t.state == TransferState::Requested && t.funds_sent_at.is_some() && who.can(Permission::TransferRequest),
           "can_complete": !out && w == "complete" && who.can(Permission::TransferRequest),
           "can_accept": letter, "can_refuse": letter,
           "refuse_codes": jinbao_app::transfers::REFUSE_CODES.iter()
               .map(|c| json!({"code": c, "label": page.t(&format!("transfers.refuse_codes.{c}"))})).collect::<Vec<_>>(),
           "can_cancel": (t.state == TransferState::Requested || (t.state == TransferState::Letter && !out)) && t.funds_sent_at.is_none(),
           "refused": refused, "refused_reason": t.refused_reason})
}

pub async fn list(pg: Page) -> PageResult {
    let Page { state, req, who } = pg;
    let page = PageCtx::new(&state, &req, Some(&who));
    Ok(render(&page, &req, &who, StatusCode::OK, json!({})).await)
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
        .filter(|t| t.kind == TenantKind::City && t.id != who.tenant.0)
        .map(|t| json!({"code": t.code, "name": if en { &t.name_en } else { &t.name_zh }}))
        .collect();
    let mut ctx = page.base("transfers", "transfers.title", None).await;
    ctx.insert("items".into(), json!(items.iter().map(|t| view(page, t, who, &tenants)).collect::<Vec<_>>()));
    ctx.insert("cities".into(), json!(cities));
    ctx.insert("can_open".into(), json!(who.can(Permission::TransferRequest)));
    ctx.insert("errors".into(), errors);
    page.render(status, "transfers", &ctx)
}

pub async fn open(pg: Page, form: Form) -> PageResult {
    let Page { state, req, who } = pg;
    let page = PageCtx::new(&state, &req, Some(&who));
    check_csrf(&who, &form)?;
    let from = field(&form, "from_city");
    let person = field(&form, "person_id").trim().parse::<i64>().ok();
    // Limited, checked and audited (refused attempts too) exactly as through the API.
    Ok(match crate::transfers::open_letter(&state, &who, Some(from), person).await {
        Ok(_) => redirect("/transfers"),
        Err(ApiError::Validation(ps)) => {
            render(&page, &req, &who, StatusCode::UNPROCESSABLE_ENTITY, field_messages(&state, page.lang, &ps)).await
        }
        Err(ApiError::Conflict(p)) => render(&page, &req, &who, StatusCode::CONFLICT, field_messages(&state, page.lang, &[p])).await,
        Err(ApiError::TooManyRequests(code)) => {
            let errors = json!({"transfer": state.catalog.error(page.lang, code)});
            render(&page, &req, &who, StatusCode::TOO_MANY_REQUESTS, errors).await
        }
        Err(e) => return Err(e.into()),
    })
}

/// One step on this city's side: `accept`, `refuse`, `info`, `approve`, `funds-sent`,
/// `funds-received`, `complete`, `cancel`.
pub async fn step(pg: Page, path: web::Path<(String, String)>, form: Form) -> PageResult {
    pg.check_csrf(&form)?;
    let (raw, action) = path.into_inner();
    let uid = Uuid::parse_str(&raw).map_err(|_| ApiError::NotFound)?;
    let input =
        StepInput { code: opt(&form, "code"), note: opt(&form, "note"), amount: opt(&form, "amount"), reason: opt(&form, "reason") };
    let result = take_step(&pg.who, uid, &action, input).await;
    let Page { state, req, who } = pg;
    let page = PageCtx::new(&state, &req, Some(&who));
    Ok(match result {
        Ok(_) => redirect("/transfers"),
        Err(ApiError::Validation(ps)) => {
            render(&page, &req, &who, StatusCode::UNPROCESSABLE_ENTITY, field_messages(&state, page.lang, &ps)).await
        }
        Err(ApiError::Conflict(p)) => render(&page, &req, &who, StatusCode::CONFLICT, field_messages(&state, page.lang, &[p])).await,
        Err(e) => return Err(e.into()),
    })
}
