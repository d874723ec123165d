//! `/api/v1/bank/statements/{account}` and `/api/v1/reconciliation/{period}` (reviewers): import
//! the fund's bank statements, see the period's reconciliation (books beside the bank, day by
//! day, every mismatch with its handler), resolve mismatches with a note, sign the period off.

use actix_web::{web, HttpResponse};
use jinbao_domain::Period;
use jinbao_store::repo::reconciliation;
use serde::Deserialize;

use crate::api::shapes::*;
use crate::auth::{Permission, Principal};
use crate::error::{ApiError, Problems};

/// The fund's bank account: `income` 收入户, `expenditure` 支出户, `finance` 财政专户 (stored, not
/// used by the report yet). Any other value answers 404.
#[derive(Debug, Clone, Copy, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum BankAccount {
    Income,
    Expenditure,
    Finance,
}

impl BankAccount {
    pub fn as_str(self) -> &'static str {
        match self {
            BankAccount::Income => "income",
            BankAccount::Expenditure => "expenditure",
            BankAccount::Finance => "finance",
        }
    }
}

/// Kinds of reconciliation items. Any other value answers 404.
#[derive(Debug, Clone, Copy, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(
    description = "`collection_unmatched` 账面收款无对应银行入账 (a bank collection without an income credit of the same reference and amount; handler: who recorded it), `bank_credit_unmatched` 银行入账无对应收款 (handler: who imported the statement), `payment_unmatched` 已发待遇无对应银行出账 (a paid bank line without an expenditure debit of its result reference and amount; handler: the claim's proposer / decider), `bank_debit_unmatched` 银行出账无对应待遇 (handler: who imported the statement), `income_not_emptied` 收入户月末未清零 (the income account's last balance of the month is not 0; `item_id` 0; handler: who imported the statement)."
)]
#[schemars(rename = "ReconciliationItemKind")]
pub enum ItemKind {
    CollectionUnmatched,
    BankCreditUnmatched,
    PaymentUnmatched,
    BankDebitUnmatched,
    IncomeNotEmptied,
}

impl ItemKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::CollectionUnmatched => "collection_unmatched",
            ItemKind::BankCreditUnmatched => "bank_credit_unmatched",
            ItemKind::PaymentUnmatched => "payment_unmatched",
            ItemKind::BankDebitUnmatched => "bank_debit_unmatched",
            ItemKind::IncomeNotEmptied => "income_not_emptied",
        }
    }
}

pub async fn import_statement(who: Principal, path: web::Path<BankAccount>, body: web::Bytes) -> Result<HttpResponse, ApiError> {
    who.require(Permission::ReconciliationRun)?;
    let account = path.into_inner().as_str();
    let text = jinbao_app::declarations::decode(&body);
    let (rows, problems) = jinbao_app::bank_statement::parse_statement(&text).map_err(|code| ApiError::field("file", code))?;
    if !problems.is_empty() {
        let problems = problems.iter().map(|(row, code)| RowCode { row: *row as i64, code: code.to_string(), message: None }).collect();
        return Ok(HttpResponse::UnprocessableEntity().json(StatementProblems { applied: false, problems }));
    }
    let out = who.db(move |tx| reconciliation::import_statement(tx, account, &rows)).await?;
    Ok(HttpResponse::Ok().json(StatementImported { applied: true, import: out }))
}

fn period(raw: &str) -> Result<Period, ApiError> {
    raw.parse::<Period>().map_err(|_| ApiError::field("period", "period.format"))
}

pub async fn report(who: Principal, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    if !who.can(Permission::FinanceRead) {
        who.require(Permission::ReconciliationRun)?;
    }
    let p = period(&path)?;
    Ok(HttpResponse::Ok().json(who.db(move |tx| reconciliation::report(tx, p.first_day())).await?))
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "ReconciliationNoteInput")]
pub struct NoteInput {
    /// What was found, 2–500 characters (`required`, `text.too_long`).
    pub note: Option<String>,
}

pub async fn resolve(
    who: Principal,
    path: web::Path<(String, ItemKind, i64)>,
    body: web::Json<NoteInput>,
) -> Result<HttpResponse, ApiError> {
    who.require(Permission::ReconciliationRun)?;
    let (raw, kind, id) = path.into_inner();
    let p = period(&raw)?;
    let mut problems = Problems::default();
    let note = jinbao_app::input::text(&mut problems, "note", body.note.as_deref(), 500);
    if note.as_ref().is_some_and(|n| n.chars().count() < 2) {
        problems.push("note", "reason.required");
    }
    problems.finish()?;
    let note = note.expect("checked");
    who.db(move |tx| reconciliation::resolve(tx, p.first_day(), kind.as_str(), id, &note)).await?;
    Ok(HttpResponse::NoContent().finish())
}

pub async fn sign_off(who: Principal, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    who.require(Permission::ReconciliationRun)?;
    let p = period(&path)?;
    Ok(HttpResponse::Ok().json(who.db(move |tx| reconciliation::sign_off(tx, p.first_day())).await?))
}

/// A statement whose rows all parsed, stored.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
#[schemars(rename = "StatementImport")]
pub struct StatementImported {
    /// Always `true`.
    pub applied: bool,
    #[serde(flatten)]
    pub import: reconciliation::StatementImport,
}

/// A statement refused because rows do not parse; nothing is stored.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct StatementProblems {
    /// Always `false`.
    pub applied: bool,
    pub problems: Vec<RowCode>,
}
