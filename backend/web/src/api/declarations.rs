//! `/api/v1/declarations`: the annual base declaration, as JSON rows or an uploaded CSV file
//! (UTF-8, UTF-8 with BOM, or GBK as Excel on Chinese Windows writes it), with a per-row report.

use actix_web::{web, HttpResponse};
use jinbao_domain::{Fen, IdNumber};
use jinbao_store::repo::declarations::{self, DeclaredRow, RowProblem};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::auth::{Permission, Principal};
use crate::error::{ApiError, Problems};
use crate::i18n::Lang;
use crate::state::AppState;
use crate::upload::{CsvUpload, MAX_PROBLEMS};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub id_number: Option<String>,
    pub declared_wage: Option<Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeclarationInput {
    pub employer_id: Option<i64>,
    pub base_year: Option<i32>,
    pub items: Option<Vec<Item>>,
    /// Apply the valid rows even when others are invalid (default: all or nothing).
    pub valid_only: Option<bool>,
}

#[derive(Debug, Deserialize)]
pub struct CsvQuery {
    pub employer_id: Option<i64>,
    pub base_year: Option<i32>,
    pub valid_only: Option<bool>,
}

/// Decodes an uploaded file: UTF-8 (with or without BOM), otherwise GBK/GB18030.
pub fn decode(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return String::from_utf8_lossy(rest).into_owned();
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::GB18030.decode(bytes).0.into_owned(),
    }
}

const ID_HEADERS: [&str; 4] = ["身份证号码", "证件号码", "公民身份号码", "id_number"];
const WAGE_HEADERS: [&str; 4] = ["申报工资", "上年月平均工资", "月平均工资", "declared_wage"];

/// Parses the CSV into rows and per-row problems (row numbers as Excel shows them: header = 1).
pub fn parse_csv(text: &str) -> Result<(Vec<DeclaredRow>, Vec<RowProblem>), ApiError> {
    let (mut r, headers) = CsvUpload::open(text, true).map_err(|e| ApiError::field("file", e.unwrap_or("csv.header")))?;
    let find = |names: &[&str]| headers.iter().position(|h| names.contains(&h.trim_start_matches('\u{feff}')));
    let (Some(id_col), Some(wage_col)) = (find(&ID_HEADERS), find(&WAGE_HEADERS)) else {
        return Err(ApiError::field("file", "csv.header"));
    };
    let today = chrono::Utc::now().date_naive();
    let (mut rows, mut problems) = (Vec::new(), Vec::new());
    while let Some(rec) = r.next().map_err(|code| ApiError::field("file", code))? {
        if problems.len() > MAX_PROBLEMS {
            return Err(ApiError::field("file", "upload.too_many_problems"));
        }
        let (row, rec) = match rec {
            Ok(rec) => rec,
            Err(row) => {
                problems.push(RowProblem { row, column: "*".into(), value: String::new(), code: "csv.row".into() });
                continue;
            }
        };
        if rec.iter().all(str::is_empty) {
            continue;
        }
        collect_row(row, rec.get(id_col).unwrap_or(""), rec.get(wage_col).unwrap_or(""), today, &mut rows, &mut problems);
    }
    if rows.is_empty() && problems.is_empty() {
        return Err(ApiError::field("file", "csv.empty"));
    }
    if problems.len() > MAX_PROBLEMS {
        return Err(ApiError::field("file", "upload.too_many_problems"));
    }
    Ok((rows, problems))
}

fn collect_row(row: usize, id: &str, wage: &str, today: chrono::NaiveDate, rows: &mut Vec<DeclaredRow>, problems: &mut Vec<RowProblem>) {
    let id_parsed = IdNumber::parse(id, today);
    let wage_parsed = Fen::parse_yuan("declared_wage", wage);
    if let Err(e) = &id_parsed {
        problems.push(RowProblem { row, column: "id_number".into(), value: jinbao_domain::id_number::mask(id), code: e.code.into() });
    }
    if let Err(e) = &wage_parsed {
        let value = jinbao_domain::text::printable(wage, 100);
        problems.push(RowProblem { row, column: "declared_wage".into(), value, code: e.code.into() });
    }
    if let (Ok(id_number), Ok(wage)) = (id_parsed, wage_parsed) {
        rows.push(DeclaredRow { row, id_number, wage });
    }
}

fn report(state: &AppState, lang: Lang, outcome: &declarations::DeclarationOutcome) -> Value {
    let problems: Vec<Value> = outcome
        .problems
        .iter()
        .map(|p| json!({"row": p.row, "column": p.column, "value": p.value, "code": p.code, "message": state.catalog.error(lang, &p.code)}))
        .collect();
    json!({
        "base_year": outcome.base_year, "effective_from": outcome.effective_from, "adjust_month": outcome.adjust_month,
        "applied": outcome.applied, "rejected_rows": problems.len(), "problems": problems,
    })
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
