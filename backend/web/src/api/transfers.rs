//! `/api/v1/transfers`: pension transfers between cities, each city acting on its own side — the
//! receiving city sends the contact letter (opens) and completes, the sending city accepts or
//! refuses the letter, produces and approves the information (two people) and records the funds.
//! Every step is audited in both cities; every attempt to open, refused or not, in the opening
//! city, and opening is limited per user.

use actix_web::{web, HttpResponse};
use jinbao_store::repo::transfers::{self};
use serde::Deserialize;
use serde_json::Value;
use uuid::Uuid;

use crate::auth::{Permission, Principal};
use crate::error::ApiError;
use crate::state::AppState;
use crate::transfers::{audit_refused, open_letter, take_step, tenants};
use jinbao_app::transfers::{view, StepInput};

fn uid(raw: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(raw).map_err(|_| ApiError::NotFound)
}

/// Open a transfer-in at the receiving city (B). Unknown fields are refused (400).
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "TransferOpenInput")]
pub struct OpenInput {
    /// The sending city's code (e.g. 411000).
    pub from_city: Option<String>,
    /// The person's id **in this city** (`required`). Register the person here first, with the same identity number as
    /// in the sending city.
    pub person_id: Option<i64>,
}

pub async fn open(
    state: web::Data<AppState>,
    who: Principal,
    body: Result<web::Json<OpenInput>, actix_web::Error>,
) -> Result<HttpResponse, actix_web::Error> {
    let b = match body {
        Ok(b) => b.into_inner(),
        Err(e) => {
            audit_refused(&who, None, None, "request.malformed").await;
            return Err(e);
        }
    };
    let (all, t) = open_letter(&state, &who, b.from_city, b.person_id).await?;
    Ok(HttpResponse::Created().json(view(&t, &all, who.can(Permission::PersonRevealId))))
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct ListQuery {
    pub side: Option<String>,
    pub open: Option<bool>,
}

fn can_see(who: &Principal) -> Result<(), ApiError> {
    if who.can(Permission::TransferRequest) || who.can(Permission::TransferProcess) || who.can(Permission::TransferApprove) {
        Ok(())
    } else {
        Err(ApiError::Forbidden)
    }
}

pub async fn list(state: web::Data<AppState>, who: Principal, q: web::Query<ListQuery>) -> Result<HttpResponse, ApiError> {
    can_see(&who)?;
    let side = q.side.clone().filter(|s| !s.is_empty());
    if side.as_deref().is_some_and(|s| s != "in" && s != "out") {
        return Err(ApiError::field("side", "transfer.side"));
    }
    let open = q.open.unwrap_or(false);
    let all = tenants(&state).await?;
    let items = who.db(move |tx| transfers::list(tx, side.as_deref(), open)).await?;
    Ok(HttpResponse::Ok()
        .json(crate::api::shapes::Items::of(items.iter().map(|t| view(t, &all, who.can(Permission::PersonRevealId))).collect())))
}

pub async fn get(state: web::Data<AppState>, who: Principal, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    can_see(&who)?;
    let u = uid(&path)?;
    let all = tenants(&state).await?;
    let t = who.db(move |tx| transfers::get(tx, u)).await?;
    Ok(HttpResponse::Ok().json(view(&t, &all, who.can(Permission::PersonRevealId))))
}

/// One step on this city's side, answered with the transfer as this city now sees it.
async fn step(state: &AppState, who: &Principal, path: &str, action: &str, input: StepInput) -> Result<HttpResponse, ApiError> {
    let u = uid(path)?;
    let t = take_step(who, u, action, input).await?;
    let all = tenants(state).await?;
    Ok(HttpResponse::Ok().json(view(&t, &all, who.can(Permission::PersonRevealId))))
}

/// The sending city produces the information from its own records.
pub async fn info(state: web::Data<AppState>, who: Principal, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    step(&state, &who, &path, "info", StepInput::default()).await
}

/// The sending city's second person approves the information; the receiving city then sees it.
pub async fn approve(state: web::Data<AppState>, who: Principal, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    step(&state, &who, &path, "approve", StepInput::default()).await
}

/// The amount of the transfer funds sent (at A) or received (at B). Unknown fields are refused (400).
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "TransferFundsInput")]
pub struct FundsInput {
    /// Yuan (`required`, `money.format`).
    #[schemars(with = "Option<jinbao_app::input::YuanInput>")]
    pub amount: Option<Value>,
}

impl FundsInput {
    fn step_input(&self) -> StepInput {
        StepInput { amount: jinbao_app::input::yuan_text(self.amount.as_ref()), ..StepInput::default() }
    }
}

pub async fn funds_sent(
    state: web::Data<AppState>,
    who: Principal,
    path: web::Path<String>,
    body: web::Json<FundsInput>,
) -> Result<HttpResponse, ApiError> {
    step(&state, &who, &path, "funds-sent", body.step_input()).await
}

pub async fn funds_received(
    state: web::Data<AppState>,
    who: Principal,
    path: web::Path<String>,
    body: web::Json<FundsInput>,
) -> Result<HttpResponse, ApiError> {
    step(&state, &who, &path, "funds-received", body.step_input()).await
}

pub async fn complete(state: web::Data<AppState>, who: Principal, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    step(&state, &who, &path, "complete", StepInput::default()).await
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelInput {
    pub reason: Option<String>,
}

/// Either city withdraws an open transfer (with a reason).
pub async fn cancel(
    state: web::Data<AppState>,
    who: Principal,
    path: web::Path<String>,
    body: web::Json<CancelInput>,
) -> Result<HttpResponse, ApiError> {
    let input = StepInput { reason: body.into_inner().reason, ..StepInput::default() };
    step(&state, &who, &path, "cancel", input).await
}

/// The sending city accepts a letter (its own person is matched by identity number).
pub async fn accept(state: web::Data<AppState>, who: Principal, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    step(&state, &who, &path, "accept", StepInput::default()).await
}

/// The sending city's reason for refusing a contact letter. Unknown fields are refused (400).
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "TransferRefuseInput")]
pub struct RefuseInput {
    /// `required`; another value: `transfer.refuse_code`.
    #[schemars(extend("enum" = ["not_insured_here", "pension_paid", "transfer_open", "other", null]))]
    pub code: Option<String>,
    /// Required with `other` (`transfer.refuse_note`).
    pub note: Option<String>,
}

/// The sending city refuses a letter with a reason; the receiving city sees the reason.
pub async fn refuse(
    state: web::Data<AppState>,
    who: Principal,
    path: web::Path<String>,
    body: web::Json<RefuseInput>,
) -> Result<HttpResponse, ApiError> {
    let b = body.into_inner();
    step(&state, &who, &path, "refuse", StepInput { code: b.code, note: b.note, ..StepInput::default() }).await
}
