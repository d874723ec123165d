//! `/api/v1/declarations`: the annual base declaration, as JSON rows or an uploaded CSV file
//! (UTF-8, UTF-8 with BOM, or GBK as Excel on Chinese Windows writes it), with a per-row report.

use actix_web::{web, HttpResponse};
use jinbao_store::repo::declarations::{self, DeclaredRow, RowProblem};
use serde::Deserialize;
use serde_json::Value;

use crate::auth::{Permission, Principal};
use crate::error::{ApiError, Problems};
use crate::i18n::Lang;
use crate::state::AppState;
use jinbao_app::declarations::{collect_row, decode, parse_csv};

/// One row of a declaration.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "DeclarationItem")]
pub struct Item {
    /// Identity number of an insured employee (validated like everywhere; masked in the report).
    pub id_number: Option<String>,
    /// The previous year's average monthly wage (上年月平均工资) in yuan.
    #[schemars(with = "Option<jinbao_app::input::YuanInput>")]
    pub declared_wage: Option<Value>,
}

/// The annual base declaration of an employer, as JSON. Unknown fields are rejected (400).
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DeclarationInput {
    /// The declaring employer (`required`, `not_found`).
    pub employer_id: Option<i64>,
    /// The base year (缴费年度), 2000–2100 (`declaration.base_year`); the city must have rules for it
    /// (`enrolment.no_rules`).
    pub base_year: Option<i32>,
    /// The rows, numbered from 1 in the report (`required` when empty).
    pub items: Option<Vec<Item>>,
    /// Apply the valid rows even when others are invalid (default: all or nothing).
    pub valid_only: Option<bool>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct CsvQuery {
    pub employer_id: Option<i64>,
    pub base_year: Option<i32>,
    pub valid_only: Option<bool>,
}

/// What a declaration applied and which rows it refused.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct DeclarationReport {
    pub base_year: i32,
    /// The first period the declared wages apply to.
    pub effective_from: jinbao_domain::Period,
    /// The city's adjustment month.
    pub adjust_month: u32,
    /// Rows applied.
    pub applied: usize,
    /// Rows refused.
    pub rejected_rows: usize,
    /// By row number.
    pub problems: Vec<CellProblem>,
}

/// A cell of an uploaded row that could not be used.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct CellProblem {
    /// The row (the header is row 1; items of a JSON body count from 1).
    pub row: i64,
    pub column: String,
    /// The value as received (truncated).
    pub value: String,
    pub code: String,
    /// The problem in the response language.
    pub message: String,
    /// The problem in English (imports only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_en: Option<String>,
    /// The problem in Chinese (imports only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_zh: Option<String>,
}

fn report(state: &AppState, lang: Lang, outcome: &declarations::DeclarationOutcome) -> DeclarationReport {
    let problems: Vec<CellProblem> = outcome
        .problems
        .iter()
        .map(|p| CellProblem {
            row: p.row as i64,
            column: p.column.clone(),
            value: p.value.clone(),
            code: p.code.clone(),
            message: state.catalog.error(lang, &p.code),
            message_en: None,
            message_zh: None,
        })
        .collect();
    DeclarationReport {
        base_year: outcome.base_year,
        effective_from: outcome.effective_from,
        adjust_month: outcome.adjust_month,
        applied: outcome.applied,
        rejected_rows: problems.iter().map(|p| p.row).collect::<std::collections::BTreeSet<_>>().len(),
        problems,
    }
}

/// A declaration ready to apply: its target, the parsed rows and the problems found so far.
struct Parsed {
    employer: i64,
    year: i32,
    rows: Vec<DeclaredRow>,
    problems: Vec<RowProblem>,
    valid_only: bool,
}

async fn apply(state: &AppState, who: &Principal, lang: Lang, d: Parsed) -> Result<HttpResponse, ApiError> {
    let outcome = who.db(move |tx| declarations::apply(tx, d.employer, d.year, &d.rows, d.problems, d.valid_only)).await?;
    let body = report(state, lang, &outcome);
    if outcome.applied == 0 && !outcome.problems.is_empty() {
        return Ok(HttpResponse::UnprocessableEntity().json(body));
    }
    Ok(HttpResponse::Ok().json(body))
}

fn check_target(p: &mut Problems, employer_id: Option<i64>, base_year: Option<i32>) {
    if employer_id.is_none() {
        p.push("employer_id", "required");
    }
    if !base_year.is_some_and(|y| (2000..=2100).contains(&y)) {
        p.push("base_year", "declaration.base_year");
    }
}

pub async fn declare(
    state: web::Data<AppState>,
    who: Principal,
    req: actix_web::HttpRequest,
    body: web::Json<DeclarationInput>,
) -> Result<HttpResponse, ApiError> {
    who.require(Permission::EnrolmentWrite)?;
    let lang = Lang::from_accept_language(req.headers().get("accept-language").and_then(|v| v.to_str().ok()));
    let b = body.into_inner();
    let mut p = Problems::default();
    check_target(&mut p, b.employer_id, b.base_year);
    let items = b.items.unwrap_or_default();
    if items.is_empty() {
        p.push("items", "required");
    }
    p.finish()?;
    let today = chrono::Utc::now().date_naive();
    let (mut rows, mut problems) = (Vec::new(), Vec::new());
    for (i, it) in items.iter().enumerate() {
        let wage = match &it.declared_wage {
            Some(Value::Number(n)) => n.to_string(),
            Some(Value::String(s)) => s.clone(),
            _ => String::new(),
        };
        collect_row(i + 1, it.id_number.as_deref().unwrap_or(""), &wage, today, &mut rows, &mut problems);
    }
    apply(
        &state,
        &who,
        lang,
        Parsed {
            employer: b.employer_id.expect("checked"),
            year: b.base_year.expect("checked"),
            rows,
            problems,
            valid_only: b.valid_only.unwrap_or(false),
        },
    )
    .await
}

pub async fn declare_csv(
    state: web::Data<AppState>,
    who: Principal,
    req: actix_web::HttpRequest,
    q: web::Query<CsvQuery>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    who.require(Permission::EnrolmentWrite)?;
    let lang = Lang::from_accept_language(req.headers().get("accept-language").and_then(|v| v.to_str().ok()));
    let mut p = Problems::default();
    check_target(&mut p, q.employer_id, q.base_year);
    if body.is_empty() {
        p.push("file", "csv.empty");
    }
    p.finish()?;
    let (rows, problems) = parse_csv(&decode(&body))?;
    apply(
        &state,
        &who,
        lang,
        Parsed {
            employer: q.employer_id.expect("checked"),
            year: q.base_year.expect("checked"),
            rows,
            problems,
            valid_only: q.valid_only.unwrap_or(false),
        },
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_gbk_and_bom() {
        let (gbk, _, _) = encoding_rs::GBK.encode("身份证号码,申报工资\n");
        assert_eq!(decode(&gbk), "身份证号码,申报工资\n");
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice("身份证号码,申报工资\n".as_bytes());
        assert_eq!(decode(&bom), "身份证号码,申报工资\n");
    }

    #[test]
    fn reports_bad_rows_by_number_and_column() {
        let text = "身份证号码,申报工资\n411002198511200044,5000\n410102199003071231,abc\n";
        let (rows, problems) = parse_csv(text).unwrap();
        assert_eq!(rows.len(), 1);
        let cells: Vec<(usize, &str, &str)> = problems.iter().map(|p| (p.row, p.column.as_str(), p.code.as_str())).collect();
        assert_eq!(cells, [(3, "id_number", "id_number.checksum"), (3, "declared_wage", "money.format")]);
    }
}
