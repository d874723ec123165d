//! `/api/v1/benefits`: a clerk proposes a pension, unemployment benefit or maternity allowance
//! (`?preview=true` computes without saving); a reviewer — never the proposer — approves or
//! rejects; running monthly benefits can be stopped.

use actix_web::{web, HttpResponse};
use jinbao_store::kinds::{ClaimStatus, Decision};
use jinbao_store::repo::benefits::{self, Claim};
use jinbao_store::repo::channel_changes::{self, ChannelChange, Destination};
use serde::Deserialize;

use crate::api::shapes::*;
use crate::auth::{Permission, Principal};
use crate::error::{ApiError, Problems};
use jinbao_app::benefits::proposal::{self, ProposalInput, Proposed};
use jinbao_app::benefits::{maternity, pension, unemployment, work_injury};
use jinbao_app::input;

#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct ProposeQuery {
    pub preview: Option<bool>,
}

fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}

async fn propose(who: Principal, preview: bool, input: ProposalInput) -> Result<HttpResponse, ApiError> {
    who.require(Permission::BenefitPropose)?;
    let today = today();
    match who.db_checked(move |tx| proposal::propose(tx, &input, today, preview)).await? {
        Proposed::Preview(claim) => Ok(private(HttpResponse::Ok()).json(ClaimPreview { preview: true, claim })),
        Proposed::Saved(claim) => Ok(private(HttpResponse::Created()).json(shown_claim(&who, claim))),
    }
}

pub async fn pension(
    who: Principal,
    q: web::Query<ProposeQuery>,
    body: web::Json<pension::PensionInputForm>,
) -> Result<HttpResponse, ApiError> {
    propose(who, q.preview.unwrap_or(false), ProposalInput::Pension(body.into_inner())).await
}

pub async fn unemployment(
    who: Principal,
    q: web::Query<ProposeQuery>,
    body: web::Json<unemployment::UnemploymentInputForm>,
) -> Result<HttpResponse, ApiError> {
    propose(who, q.preview.unwrap_or(false), ProposalInput::Unemployment(body.into_inner())).await
}

pub async fn maternity(
    who: Principal,
    q: web::Query<ProposeQuery>,
    body: web::Json<maternity::MaternityInputForm>,
) -> Result<HttpResponse, ApiError> {
    propose(who, q.preview.unwrap_or(false), ProposalInput::Maternity(body.into_inner())).await
}

pub async fn injury(
    who: Principal,
    q: web::Query<ProposeQuery>,
    body: web::Json<work_injury::InjuryBenefitInputForm>,
) -> Result<HttpResponse, ApiError> {
    propose(who, q.preview.unwrap_or(false), ProposalInput::Injury(body.into_inner())).await
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct ListQuery {
    pub status: Option<String>,
    pub person_id: Option<i64>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

fn can_read(who: &Principal) -> Result<(), ApiError> {
    if who.can(Permission::BenefitPropose) || who.can(Permission::BenefitApprove) || who.can(Permission::PersonRead) {
        Ok(())
    } else {
        who.require(Permission::BenefitApprove)
    }
}

pub async fn list(who: Principal, q: web::Query<ListQuery>) -> Result<HttpResponse, ApiError> {
    can_read(&who)?;
    let mut p = Problems::default();
    let (page, per_page) = input::paging(&mut p, q.page, q.per_page);
    let text = q.status.clone().filter(|s| !s.is_empty());
    let status = text.as_deref().and_then(ClaimStatus::parse);
    if text.is_some() && status.is_none() {
        p.push("status", "benefit.status");
    }
    p.finish()?;
    let person = q.person_id;
    let mut page = who.db(move |tx| benefits::list(tx, status, person, page, per_page)).await?;
    page.items = page.items.into_iter().map(|c| shown_claim(&who, c)).collect();
    Ok(private(HttpResponse::Ok()).json(page))
}

pub async fn get(who: Principal, path: web::Path<i64>) -> Result<HttpResponse, ApiError> {
    can_read(&who)?;
    let id = path.into_inner();
    let claim = who.db(move |tx| benefits::get(tx, id)).await?;
    Ok(private(HttpResponse::Ok()).json(shown_claim(&who, claim)))
}

/// The body may be omitted when approving.
#[derive(Debug, Deserialize, Default, schemars::JsonSchema)]
#[schemars(rename = "ClaimDecisionInput")]
pub struct DecisionInput {
    /// Review note (审核意见), at most 500 characters (`text.too_long`): optional to approve, required to reject
    /// (`required`).
    pub note: Option<String>,
}

pub async fn approve(who: Principal, path: web::Path<i64>, body: Option<web::Json<DecisionInput>>) -> Result<HttpResponse, ApiError> {
    decide(who, path.into_inner(), true, body.map(|b| b.into_inner()).unwrap_or_default()).await
}

pub async fn reject(who: Principal, path: web::Path<i64>, body: Option<web::Json<DecisionInput>>) -> Result<HttpResponse, ApiError> {
    decide(who, path.into_inner(), false, body.map(|b| b.into_inner()).unwrap_or_default()).await
}

async fn decide(who: Principal, id: i64, approve: bool, input: DecisionInput) -> Result<HttpResponse, ApiError> {
    who.require(Permission::BenefitApprove)?;
    let note = decision_note(approve, input)?;
    let claim = who.db(move |tx| benefits::decide(tx, id, approve, note.as_deref())).await?;
    Ok(private(HttpResponse::Ok()).json(shown_claim(&who, claim)))
}

/// A rejection needs a note (at most 500 characters); an approval may have one.
pub fn decision_note(approve: bool, input: DecisionInput) -> Result<Option<String>, ApiError> {
    let mut p = Problems::default();
    let note = if approve {
        input::opt_text_max(&mut p, "note", input.note, 500)
    } else {
        input::text(&mut p, "note", input.note.as_deref(), 500)
    };
    p.finish()?;
    Ok(note)
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "ClaimStopInput")]
pub struct StopInput {
    /// The last month to pay (`required`, `period.format`). The claim's end becomes the earlier of its current end and
    /// this month, but not earlier than the month before its first month.
    pub last_period: Option<String>,
    /// Why (death, transfer, …), at most 200 characters (`required`, `text.too_long`). Re-employment stops unemployment
    /// benefits by itself with reason `re_employed`.
    pub reason: Option<String>,
}

pub async fn stop(who: Principal, path: web::Path<i64>, body: web::Json<StopInput>) -> Result<HttpResponse, ApiError> {
    who.require(Permission::BenefitApprove)?;
    let id = path.into_inner();
    let b = body.into_inner();
    let mut p = Problems::default();
    let last = jinbao_app::input::period(&mut p, "last_period", b.last_period.as_deref());
    if last.is_some_and(|l| l > jinbao_domain::Period::of_date(chrono::Utc::now().date_naive())) {
        p.push("last_period", "period.future");
    }
    let reason = input::text(&mut p, "reason", b.reason.as_deref(), 200);
    p.finish()?;
    let (last, reason) = (last.expect("checked"), reason.expect("checked"));
    let claim = who.db(move |tx| benefits::stop(tx, id, last.first_day(), &reason)).await?;
    Ok(private(HttpResponse::Ok()).json(shown_claim(&who, claim)))
}

/// The beneficiary's new payment channel. Unknown fields are ignored (as for the other benefit bodies).
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "ClaimChannelInput")]
pub struct ChannelChangeInput {
    #[serde(flatten)]
    pub channel: jinbao_app::benefits::ChannelInput,
    /// Why, at most 200 characters (`required`, `text.too_long`).
    pub reason: Option<String>,
}

/// `POST /api/v1/benefits/claims/{id}/channel`: proposes the beneficiary's new bank account or
/// address. Nothing changes until another user with the approve permission approves it.
pub async fn channel(who: Principal, path: web::Path<i64>, body: web::Json<ChannelChangeInput>) -> Result<HttpResponse, ApiError> {
    who.require(Permission::BenefitPropose)?;
    let id = path.into_inner();
    let b = body.into_inner();
    let mut p = Problems::default();
    let channel = b.channel.parse(&mut p);
    let reason = input::text(&mut p, "reason", b.reason.as_deref(), 200);
    p.finish()?;
    let (c, reason) = (channel.expect("checked"), reason.expect("checked"));
    let to = Destination { channel: c.channel, bank_name: c.bank_name, account_no: c.account_no, post_address: c.post_address };
    let change = who.db(move |tx| channel_changes::propose(tx, id, &to, &reason)).await?;
    Ok(private(HttpResponse::Created()).json(shown_change(&who, change)))
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct ChangeListQuery {
    pub status: Option<String>,
    pub claim_id: Option<i64>,
}

/// `GET /api/v1/benefits/channel-changes`: proposed (or decided) changes of payment channel.
pub async fn channel_changes(who: Principal, q: web::Query<ChangeListQuery>) -> Result<HttpResponse, ApiError> {
    can_read(&who)?;
    let status = match q.status.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(Decision::parse(s).ok_or_else(|| ApiError::field("status", "channel_change.status"))?),
    };
    let claim = q.claim_id;
    let items = who.db(move |tx| channel_changes::list(tx, status, claim)).await?;
    let items: Vec<_> = items.into_iter().map(|c| shown_change(&who, c)).collect();
    Ok(private(HttpResponse::Ok()).json(Items::of(items)))
}

pub async fn channel_change(who: Principal, path: web::Path<i64>) -> Result<HttpResponse, ApiError> {
    can_read(&who)?;
    let id = path.into_inner();
    let change = who.db(move |tx| channel_changes::get(tx, id)).await?;
    Ok(private(HttpResponse::Ok()).json(shown_change(&who, change)))
}

pub async fn approve_channel(
    who: Principal,
    path: web::Path<i64>,
    body: Option<web::Json<DecisionInput>>,
) -> Result<HttpResponse, ApiError> {
    decide_channel(who, path.into_inner(), true, body.map(|b| b.into_inner()).unwrap_or_default()).await
}

pub async fn reject_channel(
    who: Principal,
    path: web::Path<i64>,
    body: Option<web::Json<DecisionInput>>,
) -> Result<HttpResponse, ApiError> {
    decide_channel(who, path.into_inner(), false, body.map(|b| b.into_inner()).unwrap_or_default()).await
}

async fn decide_channel(who: Principal, id: i64, approve: bool, input: DecisionInput) -> Result<HttpResponse, ApiError> {
    who.require(Permission::BenefitApprove)?;
    let note = decision_note(approve, input)?;
    let change = who.db(move |tx| channel_changes::decide(tx, id, approve, note.as_deref())).await?;
    Ok(private(HttpResponse::Ok()).json(shown_change(&who, change)))
}

/// Responses carrying account numbers are never stored by browsers or proxies.
pub fn private(mut b: actix_web::HttpResponseBuilder) -> actix_web::HttpResponseBuilder {
    b.insert_header(("Cache-Control", "no-store"));
    b
}

/// A claim as the caller may see it: the account number masked unless the caller's role needs it.
pub fn shown_claim(who: &Principal, mut c: Claim) -> Claim {
    if !who.can(Permission::BenefitRevealAccount) {
        c.account_no = c.account_no.as_deref().map(jinbao_domain::account::mask);
    }
    c
}

pub fn shown_change(who: &Principal, mut c: ChannelChange) -> ChannelChange {
    if !who.can(Permission::BenefitRevealAccount) {
        c.account_no = c.account_no.as_deref().map(jinbao_domain::account::mask);
        c.old_account_no = c.old_account_no.as_deref().map(jinbao_domain::account::mask);
    }
    c
}

/// `POST /api/v1/benefits/recalculations`: recomputes every running pension that used a
/// provisional figure; a revision is proposed wherever one has been published since.
pub async fn recalculate(who: Principal) -> Result<HttpResponse, ApiError> {
    who.require(Permission::BenefitPropose)?;
    let outcome = who.db_checked(|tx| jinbao_app::benefits::recalculation::recalculate(tx, today())).await?;
    Ok(private(HttpResponse::Ok()).json(outcome))
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct RevisionQuery {
    pub status: Option<String>,
    pub claim_id: Option<i64>,
}

/// `GET /api/v1/benefits/revisions`.
pub async fn revisions(who: Principal, q: web::Query<RevisionQuery>) -> Result<HttpResponse, ApiError> {
    can_read(&who)?;
    let status = match q.status.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(Decision::parse(s).ok_or_else(|| ApiError::field("status", "revision.status"))?),
    };
    let claim = q.claim_id;
    let items = who.db(move |tx| jinbao_store::repo::revisions::list(tx, status, claim)).await?;
    Ok(private(HttpResponse::Ok()).json(Items::of(items)))
}

pub async fn approve_revision(
    who: Principal,
    path: web::Path<i64>,
    body: Option<web::Json<DecisionInput>>,
) -> Result<HttpResponse, ApiError> {
    decide_revision(who, path.into_inner(), true, body.map(|b| b.into_inner()).unwrap_or_default()).await
}

pub async fn reject_revision(
    who: Principal,
    path: web::Path<i64>,
    body: Option<web::Json<DecisionInput>>,
) -> Result<HttpResponse, ApiError> {
    decide_revision(who, path.into_inner(), false, body.map(|b| b.into_inner()).unwrap_or_default()).await
}

async fn decide_revision(who: Principal, id: i64, approve: bool, input: DecisionInput) -> Result<HttpResponse, ApiError> {
    who.require(Permission::BenefitApprove)?;
    let note = decision_note(approve, input)?;
    let r = who.db(move |tx| jinbao_store::repo::revisions::decide(tx, id, approve, note.as_deref())).await?;
    Ok(private(HttpResponse::Ok()).json(r))
}

/// `GET /api/v1/benefits/claims/{id}/adjustments`: the differences of months paid at another
/// amount (positive: owed or paid in a batch; negative: overpaid, to recover).
pub async fn adjustments(who: Principal, path: web::Path<i64>) -> Result<HttpResponse, ApiError> {
    can_read(&who)?;
    let id = path.into_inner();
    let items = who
        .db(move |tx| {
            benefits::get(tx, id)?;
            jinbao_store::repo::revisions::adjustments(tx, id)
        })
        .await?;
    Ok(private(HttpResponse::Ok()).json(Items::of(items)))
}

/// A claim as it would be proposed; nothing is stored.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct ClaimPreview {
    /// Always `true`.
    pub preview: bool,
    pub claim: jinbao_store::repo::benefits::NewClaim,
}
