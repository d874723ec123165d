//! Revisions of running pensions on the pages: a clerk runs the recalculation from the benefits
//! list; the claim page shows each revision (old and new amount, what was published, proposer,
//! decider) with approve/reject for another reviewer, and the monthly differences it recorded
//! (owed, in a batch, paid, or overpaid to recover).

use actix_web::http::StatusCode;
use actix_web::web;
use jinbao_domain::Fen;
use jinbao_store::kinds::{AdjustmentState, Decision};
use jinbao_store::repo::revisions::{self, Adjustment, Revision};
use serde_json::{json, Value};

use super::page::{Page, PageResult};
use super::render::{check_csrf, field_messages, opt, redirect, Form, PageCtx};
use crate::auth::{Permission, Principal};
use crate::error::ApiError;

pub fn view(page: &PageCtx<'_>, who: &Principal, r: &Revision) -> Value {
    let mut published = Vec::new();
    if let Some(c) = r.published.get("payout_base") {
        published.push(format!("{} {} → {}", page.t("revisions.payout_base"), c["from_year"], c["to_year"]));
    }
    if let Some(rates) = r.published["rates"].as_array() {
        let years: Vec<String> = rates.iter().map(Value::to_string).collect();
        published.push(format!("{} {}", page.t("revisions.rates"), years.join("、")));
    }
    json!({"id": r.id, "status": r.status, "status_label": page.t(&format!("channel_changes.statuses.{}", r.status)),
           "old_amount": Fen(r.old_amount_fen).to_string(), "new_amount": Fen(r.new_amount_fen).to_string(),
           "published": published.join("；"), "proposed_by": r.proposed_by_name, "proposed_at": r.proposed_at.format("%Y-%m-%d %H:%M").to_string(),
           "decided_by": r.decided_by_name, "decided_at": r.decided_at.map(|t| t.format("%Y-%m-%d %H:%M").to_string()),
           "decision_note": r.decision_note,
           "can_decide": r.status == Decision::Proposed && who.can(Permission::BenefitApprove) && r.proposed_by != who.user_id,
           "own": r.status == Decision::Proposed && r.proposed_by == who.user_id})
}

pub fn adjustment_view(page: &PageCtx<'_>, a: &Adjustment) -> Value {
    json!({"period": a.period.format("%Y-%m").to_string(), "amount": Fen(a.amount_fen).to_string(),
           "state_label": page.t(&format!("revisions.states.{}", a.state)), "overpaid": a.state == AdjustmentState::Overpaid})
}

/// The revisions and adjustments of one claim, for its page.
pub async fn of_claim(who: &Principal, claim_id: i64) -> (Vec<Revision>, Vec<Adjustment>) {
    who.db(move |tx| Ok((revisions::list(tx, None, Some(claim_id))?, revisions::adjustments(tx, claim_id)?))).await.unwrap_or_default()
}

/// Revisions waiting for a decision, for the reviewer queue.
pub async fn pending(who: &Principal) -> Vec<Revision> {
    if !who.can(Permission::BenefitApprove) {
        return Vec::new();
    }
    who.db(|tx| revisions::list(tx, Some(Decision::Proposed), None)).await.unwrap_or_default()
}

/// `POST /benefits/recalculate`: the clerk's recalculation after figures are published.
pub async fn recalculate(pg: Page, form: Form) -> PageResult {
    let Page { who, .. } = pg;
    who.require(Permission::BenefitPropose).and_then(|_| check_csrf(&who, &form))?;
    let today = chrono::Utc::now().date_naive();
    let o = who.db_checked(move |tx| jinbao_app::benefits::recalculation::recalculate(tx, today)).await?;
    Ok(redirect(&format!("/benefits?status=approved&recalculated={}&examined={}", o.proposed.len(), o.examined)))
}

/// `POST /benefits/revisions/{id}/{approve|reject}`: the second person's decision.
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
    let revision = who.db(move |tx| revisions::get(tx, id)).await?;
    let note = opt(&form, "note");
    let claim = revision.claim_id;
    if let Some(code) = super::render::note_problem(approve, note.as_deref()) {
        let errors = json!({"revision_note": state.catalog.error(page.lang, code)});
        return Ok(super::benefits::render_detail_with(&page, &req, &who, claim, StatusCode::UNPROCESSABLE_ENTITY, errors, json!({})).await);
    }
    Ok(match who.db(move |tx| revisions::decide(tx, id, approve, note.as_deref())).await {
        Ok(_) => redirect(&format!("/benefits/{claim}#revisions")),
        Err(ApiError::Validation(ps)) => {
            let errors = field_messages(&state, page.lang, &ps);
            super::benefits::render_detail_with(&page, &req, &who, claim, StatusCode::UNPROCESSABLE_ENTITY, errors, json!({})).await
        }
        Err(e) => return Err(e.into()),
    })
}
