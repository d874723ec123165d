//! Base declarations as files: the bytes decoded (UTF-8 with or without BOM, or GBK) and the CSV
//! read into declared rows and per-row problems. Shared by the API and the upload page; payment
//! results and bank statements are decoded the same way.

use jinbao_domain::{Fen, IdNumber};
use jinbao_store::repo::declarations::{DeclaredRow, RowProblem};

use crate::error::AppError;

const ID_HEADERS: [&str; 4] = ["身份证号码", "证件号码", "公民身份号码", "id_number"];
const WAGE_HEADERS: [&str; 4] = ["申报工资", "上年月平均工资", "月平均工资", "declared_wage"];

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

/// The text of an uploaded declaration: CSV as it is, or the first sheet of an .xlsx workbook
/// (bounded as every workbook is, at most 64 MiB of text).
pub fn table_text(bytes: &[u8]) -> Result<String, AppError> {
    if bytes.starts_with(b"PK\x03\x04") {
        crate::import::table::sheet_as_csv(bytes, 64 * 1024 * 1024).map_err(|code| AppError::field("file", code))
    } else {
        Ok(decode(bytes))
    }
}

/// Parses the CSV into rows and per-row problems (row numbers as Excel shows them: header = 1).
pub fn parse_csv(text: &str) -> Result<(Vec<DeclaredRow>, Vec<RowProblem>), AppError> {
    let today = chrono::Utc::now().date_naive();
    crate::upload::read_named(text, &[&ID_HEADERS, &WAGE_HEADERS], "csv.header", |row, cells, _, problems| {
        let mut one = Vec::with_capacity(1);
        collect_row(row, cells[0], cells[1], today, &mut one, problems);
        one.pop()
    })
}

pub fn collect_row(
    row: usize,
    id: &str,
    wage: &str,
    today: chrono::NaiveDate,
    rows: &mut Vec<DeclaredRow>,
    problems: &mut Vec<RowProblem>,
) {
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
