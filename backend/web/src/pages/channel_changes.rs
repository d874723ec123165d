//! Changes of a benefit's payment channel on the claim page: a clerk proposes the new bank account
//! or address with a reason; another user with the approve permission approves or rejects it.
//! Account numbers are shown in full only to roles that need them.

use actix_web::http::StatusCode;
use actix_web::web;
use jinbao_store::kinds::{Decision, PaymentChannel};
use jinbao_store::repo::channel_changes::{self, ChannelChange, Destination};
use serde_json::{json, Value};

use super::page::{Page, PageResult};
use super::render::{check_csrf, field_messages, opt, redirect, Form, PageCtx};
use crate::auth::{Permission, Principal};
use crate::error::{ApiError, Problems};
use jinbao_app::benefits::ChannelInput;
use jinbao_app::AppError;

/// An account number as this caller may see it.
pub fn account(who: &Principal, a: Option<&str>) -> Option<String> {
    a.map(|a| if who.can(Permission::BenefitRevealAccount) { a.to_string() } else { jinbao_domain::account::mask(a) })
}

fn destination(
    page: &PageCtx<'_>,
    who: &Principal,
    channel: PaymentChannel,
    bank: Option<&str>,
    acct: Option<&str>,
    post: Option<&str>,
) -> String {
    let label = page.t(&format!("benefits.channels.{channel}"));
    match channel {
        PaymentChannel::Bank => format!("{label} · {} {}", bank.unwrap_or(""), account(who, acct).unwrap_or_default()),
        PaymentChannel::Post => format!("{label} · {}", post.unwrap_or("")),
    }
}

pub fn view(page: &PageCtx<'_>, who: &Principal, c: &ChannelChange) -> Value {
    json!({"id": c.id, "status": c.status, "status_label": page.t(&format!("channel_changes.statuses.{}", c.status)),
           "from": destination(page, who, c.old_channel, c.old_bank_name.as_deref(), c.old_account_no.as_deref(), c.old_post_address.as_deref()),
           "to": destination(page, who, c.channel, c.bank_name.as_deref(), c.account_no.as_deref(), c.post_address.as_deref()),
           "reason": c.reason, "proposed_by": c.proposed_by_name, "proposed_at": c.proposed_at.format("%Y-%m-%d %H:%M").to_string(),
           "decided_by": c.decided_by_name, "decided_at": c.decided_at.map(|t| t.format("%Y-%m-%d %H:%M").to_string()),
           "decision_note": c.decision_note, "claim_url": format!("/benefits/{}", c.claim_id),
           "can_decide": c.status == Decision::Proposed && who.can(Permission::BenefitApprove) && c.proposed_by != who.user_id,
           "own": c.status == Decision::Proposed && c.proposed_by == who.user_id})
}

/// The changes of one claim, for its page.
pub async fn of_claim(who: &Principal, claim_id: i64) -> Vec<ChannelChange> {
    who.db(move |tx| channel_changes::list(tx, None, Some(claim_id))).await.unwrap_or_default()
}

/// Proposals waiting for a decision, for the reviewer queue.
pub async fn pending(who: &Principal) -> Vec<ChannelChange> {
    if !who.can(Permission::BenefitApprove) {
        return Vec::new();
    }
    who.db(|tx| channel_changes::list(tx, Some(Decision::Proposed), None)).await.unwrap_or_default()
}

/// `POST /benefits/{id}/channel`: the clerk's proposal.
pub async fn propose(pg: Page, path: web::Path<i64>, form: Form) -> PageResult {
    let Page { state, req, who } = pg;
    let page = PageCtx::new(&state, &req, Some(&who));
    who.require(Permission::BenefitPropose).and_then(|_| check_csrf(&who, &form))?;
    let id = path.into_inner();
    let input = ChannelInput {
        channel: opt(&form, "channel"),
        bank_name: opt(&form, "bank_name"),
        account_no: opt(&form, "account_no"),
        post_address: opt(&form, "post_address"),
    };
    let mut p = Problems::default();
    let parsed = input.parse(&mut p);
    let reason = jinbao_app::input::text(&mut p, "reason", opt(&form, "reason").as_deref(), 200);
    let kept = json!({"channel": input.channel, "bank_name": input.bank_name, "account_no": input.account_no,
                      "post_address": input.post_address, "reason": opt(&form, "reason")});
    if let Err(AppError::Validation(ps)) = p.finish() {
        let errors = field_messages(&state, page.lang, &ps);
        return Ok(super::benefits::render_detail_with(&page, &req, &who, id, StatusCode::UNPROCESSABLE_ENTITY, errors, kept).await);
    }
    let (c, reason) = (parsed.expect("checked"), reason.expect("checked"));
    let to = Destination { channel: c.channel, bank_name: c.bank_name, account_no: c.account_no, post_address: c.post_address };
    Ok(match who.db(move |tx| channel_changes::propose(tx, id, &to, &reason)).await {
        Ok(_) => redirect(&format!("/benefits/{id}#channel-changes")),
        Err(ApiError::Validation(ps)) => {
            let errors = field_messages(&state, page.lang, &ps);
            super::benefits::render_detail_with(&page, &req, &who, id, StatusCode::UNPROCESSABLE_ENTITY, errors, kept).await
        }
        Err(ApiError::Conflict(p)) => {
            let errors = json!({"channel": state.catalog.error(page.lang, &p.code)});
            super::benefits::render_detail_with(&page, &req, &who, id, StatusCode::CONFLICT, errors, kept).await
        }
        Err(e) => return Err(e.into()),
    })
}

/// `POST /benefits/channel-changes/{id}/{approve|reject}`: the second person's decision.
pub async fn decide(pg: Page, path: web::Path<(i64, String)>, form: Form) -> PageResult {
    let Page { state, req, who } = pg;
    let page = PageCtx::new(&state, &req, Some(&who));
    who.require(Permission::BenefitApprove).and_then(|_| check_csrf(&who, &form))?;
    let (id, action) = path.into_inner();
    let approve = match action.as_str() {
        "approve" => true,
        "reject" => false,
        _ => return Err(ApiError::NotFound.into()),
    };
    let change = who.db(move |tx| channel_changes::get(tx, id)).await?;
    let note = opt(&form, "note");
    if let Some(code) = super::render::note_problem(approve, note.as_deref()) {
        let errors = json!({"change_note": state.catalog.error(page.lang, code)});
        let shown =
            super::benefits::render_detail_with(&page, &req, &who, change.claim_id, StatusCode::UNPROCESSABLE_ENTITY, errors, json!({}));
        return Ok(shown.await);
    }
    Ok(match who.db(move |tx| channel_changes::decide(tx, id, approve, note.as_deref())).await {
        Ok(c) => redirect(&format!("/benefits/{}#channel-changes", c.claim_id)),
        Err(ApiError::Validation(ps)) => {
            let errors = field_messages(&state, page.lang, &ps);
            super::benefits::render_detail_with(&page, &req, &who, change.claim_id, StatusCode::UNPROCESSABLE_ENTITY, errors, json!({}))
                .await
        }
        Err(e) => return Err(e.into()),
    })
}
