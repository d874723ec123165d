//! `/api/v1/payments` (reviewers): monthly batches — generate, export the bank file and the
//! post-office list, import the returned results; `/api/v1/finance/ledger` (finance viewers):
//! the fund ledger of the caller's city.

use actix_web::{web, HttpRequest, HttpResponse};
use jinbao_store::kinds::PaymentChannel;
use jinbao_store::repo::{ledger, payments};
use serde::Deserialize;

use crate::api::shapes::*;
use crate::auth::{Permission, Principal};
use crate::error::{ApiError, Problems};
use crate::i18n::Lang;
use crate::state::AppState;

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "PaymentBatchInput")]
pub struct GenerateInput {
    /// The month to pay, not after the current month (`required`, `period.format`, `period.future`).
    pub period: Option<String>,
}

pub async fn generate(who: Principal, body: web::Json<GenerateInput>) -> Result<HttpResponse, ApiError> {
    who.require(Permission::PaymentRun)?;
    let mut p = Problems::default();
    let period = jinbao_app::input::period(&mut p, "period", body.period.as_deref());
    p.finish()?;
    let period = period.expect("checked");
    if period > jinbao_domain::Period::of_date(chrono::Utc::now().date_naive()) {
        return Err(ApiError::field("period", "period.future"));
    }
    let batch = who.db(move |tx| payments::generate(tx, period.first_day())).await?;
    Ok(HttpResponse::Ok().json(batch))
}

pub async fn list(who: Principal) -> Result<HttpResponse, ApiError> {
    who.require(Permission::PaymentRun)?;
    Ok(HttpResponse::Ok().json(Items::of(who.db(payments::list).await?)))
}

pub async fn get(who: Principal, path: web::Path<i64>) -> Result<HttpResponse, ApiError> {
    who.require(Permission::PaymentRun)?;
    let id = path.into_inner();
    Ok(HttpResponse::Ok().json(who.db(move |tx| payments::get(tx, id)).await?))
}

/// `POST /api/v1/payments/batches/{id}/export`: freezes the batch for export (idempotent).
pub async fn freeze(who: Principal, path: web::Path<i64>) -> Result<HttpResponse, ApiError> {
    who.require(Permission::PaymentRun)?;
    let id = path.into_inner();
    Ok(HttpResponse::Ok().json(who.db(move |tx| payments::freeze(tx, id)).await?))
}

/// `GET /api/v1/payments/batches/{id}/{bank|post}.csv`: the pending lines of a frozen batch for
/// that channel, with the accounts they were generated with (409 while the batch is open).
pub async fn export(who: Principal, path: web::Path<(i64, String)>) -> Result<HttpResponse, ApiError> {
    who.require(Permission::PaymentRun)?;
    let (id, file) = path.into_inner();
    let channel = match file.as_str() {
        "bank.csv" => PaymentChannel::Bank,
        "post.csv" => PaymentChannel::Post,
        _ => return Err(ApiError::NotFound),
    };
    let lines = who.db(move |tx| payments::export(tx, id, channel)).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header(("Content-Disposition", format!("attachment; filename=\"batch-{id}-{channel}.csv\"")))
        .insert_header(("Cache-Control", "no-store"))
        .body(jinbao_app::payment_files::export_csv(id, channel, &lines)))
}

/// `POST /api/v1/payments/batches/{id}/results`: the bank's or post office's results as CSV.
pub async fn results(
    state: web::Data<AppState>,
    who: Principal,
    req: HttpRequest,
    path: web::Path<i64>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    who.require(Permission::PaymentRun)?;
    let id = path.into_inner();
    let text = jinbao_app::declarations::decode(&body);
    let (rows, mut problems) = jinbao_app::payment_files::parse_results(&text).map_err(|code| ApiError::field("file", code))?;
    let summary = who.db(move |tx| payments::import_results(tx, id, &rows)).await?;
    problems.extend(summary.problems.iter().map(|(row, _, code)| (*row, code.clone())));
    problems.sort();
    let lang = Lang::from_accept_language(req.headers().get("accept-language").and_then(|v| v.to_str().ok()));
    let problems: Vec<_> = problems
        .iter()
        .map(|(row, code)| RowCode { row: *row as i64, code: code.to_string(), message: Some(state.catalog.error(lang, code)) })
        .collect();
    Ok(HttpResponse::Ok().json(PaymentResults { applied: summary.applied, unchanged: summary.unchanged, problems, batch: summary.batch }))
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct YearQuery {
    pub year: Option<i32>,
}

pub async fn ledger(who: Principal, q: web::Query<YearQuery>) -> Result<HttpResponse, ApiError> {
    who.require(Permission::FinanceRead)?;
    let year = q.year.unwrap_or_else(|| chrono::Datelike::year(&chrono::Utc::now().date_naive()));
    if !(2000..=2100).contains(&year) {
        return Err(ApiError::field("year", "year.range"));
    }
    let (lines, by_kind) = who.db(move |tx| Ok((ledger::city(tx, year)?, ledger::by_kind(tx, year)?))).await?;
    let funds = ledger::fund_summaries(&lines, crate::province::finance::months_of(year, chrono::Utc::now().date_naive()));
    Ok(HttpResponse::Ok().json(Ledger { year, lines, by_kind, funds }))
}

/// What a results file changed.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct PaymentResults {
    /// Lines that became paid or failed.
    pub applied: i64,
    /// Lines already in the state the file reports.
    pub unchanged: i64,
    /// Rows not applied, by row.
    pub problems: Vec<RowCode>,
    /// The batch after the results; absent when the batch is not this tenant's.
    pub batch: Option<payments::Batch>,
}

/// The city's benefit ledger of one year.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Ledger {
    pub year: i32,
    /// By month, then type in the order pension, medical, unemployment, work_injury, maternity; months without movement
    /// are left out.
    pub lines: Vec<ledger::LedgerLine>,
    /// The expenditure by month and benefit kind.
    pub by_kind: Vec<ledger::KindLine>,
    /// Each fund's year so far, with the months of expenditure its balance pays.
    pub funds: Vec<ledger::FundSummary>,
}
