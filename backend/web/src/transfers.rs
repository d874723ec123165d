//! Opening a transfer-in at the edge: the per-user limit, the tenant list, and the audit of every
//! refused attempt in a transaction of its own. What the transfer carries is
//! `jinbao_app::transfers`.

use jinbao_app::transfers::{open_target, Step, StepInput, StepRole};
use jinbao_store::repo::global;
use jinbao_store::repo::transfers::Transfer;

use crate::auth::{Permission, Principal};
use crate::error::ApiError;
use crate::state::AppState;

/// Opens a transfer-in (sends the contact letter), for the API and the page alike: limited per
/// user, and every refused attempt audited in this city in a transaction of its own (the
/// attempt's own was rolled back).
pub async fn open_letter(
    state: &AppState,
    who: &Principal,
    from_city: Option<String>,
    person_id: Option<i64>,
) -> Result<(Vec<global::TenantInfo>, Transfer), ApiError> {
    let out = try_open(state, who, from_city.clone(), person_id).await;
    if let Err(e) = &out {
        audit_refused(who, from_city.as_deref(), person_id, &e.first_code()).await;
    }
    out
}

pub async fn try_open(
    state: &AppState,
    who: &Principal,
    from_city: Option<String>,
    person_id: Option<i64>,
) -> Result<(Vec<global::TenantInfo>, Transfer), ApiError> {
    who.require(Permission::TransferRequest)?;
    let key = crate::auth::rate_limit::transfer_open_key(who.tenant.0, who.user_id);
    if !state.transfer_opens.allow(&key).await {
        return Err(ApiError::TooManyRequests("transfer.rate_limited"));
    }
    let all = tenants(state).await?;
    let (from, person) = open_target(&all, from_city.as_deref(), person_id)?;
    let t = who.db(move |tx| jinbao_store::repo::transfers::open(tx, from, person)).await?;
    Ok((all, t))
}

pub async fn audit_refused(who: &Principal, from_city: Option<&str>, person_id: Option<i64>, code: &str) {
    let (from_city, code) = (from_city.map(|c| c.chars().take(20).collect::<String>()), code.to_string());
    if let Err(e) = who.db(move |tx| jinbao_store::repo::transfers::open_refused(tx, from_city.as_deref(), person_id, &code)).await {
        tracing::warn!(error = %e, "could not audit a refused transfer opening");
    }
}

pub async fn tenants(state: &AppState) -> Result<Vec<global::TenantInfo>, ApiError> {
    let db = state.db.clone();
    crate::blocking::run(move || global::tenants(&db)).await
}

/// The permission a step's role needs in this city (`Either`: any transfer permission).
pub fn require_role(who: &Principal, role: StepRole) -> Result<(), ApiError> {
    match role {
        StepRole::Sender => who.require(Permission::TransferProcess),
        StepRole::SenderReviewer => who.require(Permission::TransferApprove),
        StepRole::Receiver => who.require(Permission::TransferRequest),
        StepRole::Either => {
            if who.can(Permission::TransferRequest) || who.can(Permission::TransferProcess) || who.can(Permission::TransferApprove) {
                Ok(())
            } else {
                Err(ApiError::Forbidden)
            }
        }
    }
}

/// Takes the step named `action` for the API and the page alike: unknown names are 404, the
/// role's permission is checked before the input, then the step runs in one transaction.
pub async fn take_step(who: &Principal, uid: uuid::Uuid, action: &str, input: StepInput) -> Result<Transfer, ApiError> {
    let role = Step::role(action).ok_or(ApiError::NotFound)?;
    require_role(who, role)?;
    let step = Step::parse(action, input, chrono::Utc::now().date_naive())?;
    who.db_checked(move |tx| jinbao_app::transfers::take(tx, uid, &step)).await
}
