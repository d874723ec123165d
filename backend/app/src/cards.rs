//! The issuing bank's social security card file (社保卡制卡数据): CSV as the bank sends it (UTF-8 or
//! GBK), one card per row, read into rows and per-row problems; applied all or nothing unless
//! "valid rows only", each applied card audited like one recorded at the counter.

use jinbao_domain::IdNumber;
use jinbao_store::repo::cards::{self, CardRow};
use jinbao_store::repo::declarations::RowProblem;
use jinbao_store::{StoreError, TenantTx};
use serde::Serialize;

use crate::error::AppError;

const ID: [&str; 4] = ["身份证号码", "公民身份号码", "社会保障号码", "id_number"];
const SERIAL: [&str; 3] = ["卡号", "社会保障卡号", "card_serial"];
const BANK: [&str; 3] = ["发卡银行", "银行", "bank_name"];
const ACCOUNT: [&str; 4] = ["金融账户", "银行账号", "银行卡号", "account_no"];
const ISSUED: [&str; 3] = ["发卡日期", "制卡日期", "issued_on"];

/// The card number: 6–32 digits or capital letters (full-width and lower case accepted).
pub fn serial(v: &str) -> Option<String> {
    let s = jinbao_domain::text::nfkc(v.trim()).to_ascii_uppercase();
    ((6..=32).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())).then_some(s)
}

/// The financial account: 12–30 digits (spaces and full-width digits accepted).
pub fn account(v: &str) -> Option<String> {
    let s: String = jinbao_domain::text::nfkc(v).chars().filter(|c| !c.is_whitespace()).collect();
    ((12..=30).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())).then_some(s)
}

pub fn parse_csv(text: &str) -> Result<(Vec<CardRow>, Vec<RowProblem>), AppError> {
    let today = chrono::Utc::now().date_naive();
    crate::upload::read_named(text, &[&ID, &SERIAL, &BANK, &ACCOUNT], "card.csv_header", |row, cells, optional, problems| {
        let mut bad =
            |column: &str, value: String, code: &str| problems.push(RowProblem { row, column: column.into(), value, code: code.into() });
        let id = IdNumber::parse(cells[0], today);
        if let Err(e) = &id {
            bad("id_number", jinbao_domain::id_number::mask(cells[0]), e.code);
        }
        let s = serial(cells[1]);
        if s.is_none() {
            bad("card_serial", jinbao_domain::text::printable(cells[1], 40), "card.serial_format");
        }
        let bank = cells[2].trim().to_string();
        if !(2..=60).contains(&bank.chars().count()) {
            bad("bank_name", jinbao_domain::text::printable(&bank, 60), "required");
        }
        let a = account(cells[3]);
        if a.is_none() {
            bad("account_no", jinbao_domain::account::mask(cells[3]), "card.account_format");
        }
        let issued = match optional.optional(&ISSUED).filter(|v| !v.trim().is_empty()) {
            None => Some(today),
            Some(v) => {
                let d = chrono::NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d").ok().filter(|d| *d <= today);
                if d.is_none() {
                    bad("issued_on", jinbao_domain::text::printable(v, 20), "date.format");
                }
                d
            }
        };
        match (id, s, a, issued, (2..=60).contains(&bank.chars().count())) {
            (Ok(id), Some(card_serial), Some(account_no), Some(issued_on), true) => {
                Some(CardRow { row, id_number: id.as_str().to_string(), card_serial, bank_name: bank, account_no, issued_on })
            }
            _ => None,
        }
    })
}

#[derive(Debug, Clone, Serialize)]
pub struct CardImportOutcome {
    pub applied: usize,
    pub problems: Vec<RowProblem>,
}

/// Applies the rows: every row is tried (a savepoint each) so the report lists every problem;
/// with problems and not `valid_only`, nothing is kept (`Err(CardImportError::NotApplied)` rolls the
/// transaction back and carries the report).
pub fn apply(
    tx: &mut TenantTx<'_>,
    rows: &[CardRow],
    mut problems: Vec<RowProblem>,
    valid_only: bool,
) -> Result<CardImportOutcome, CardImportError> {
    let mut applied = 0;
    for r in rows {
        match cards::import_row(tx, r, None)? {
            Ok(_) => applied += 1,
            Err(code) => problems.push(RowProblem { row: r.row, column: "card_serial".into(), value: r.card_serial.clone(), code }),
        }
    }
    problems.sort_by_key(|p| p.row);
    if !problems.is_empty() && !valid_only {
        return Err(CardImportError::NotApplied(CardImportOutcome { applied: 0, problems }));
    }
    tx.audit(
        "card.import",
        "social_security_card",
        "file",
        None,
        Some(serde_json::json!({"applied": applied, "rejected": problems.len()})),
        None,
    )?;
    Ok(CardImportOutcome { applied, problems })
}

/// Why a card file was not applied: its report (the transaction rolled back), or a store error.
#[derive(Debug)]
pub enum CardImportError {
    NotApplied(CardImportOutcome),
    Store(StoreError),
}

impl From<StoreError> for CardImportError {
    fn from(e: StoreError) -> Self {
        CardImportError::Store(e)
    }
}

impl From<diesel::result::Error> for CardImportError {
    fn from(e: diesel::result::Error) -> Self {
        CardImportError::Store(e.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn card_numbers_and_accounts_are_read_as_the_bank_writes_them() {
        assert_eq!(serial(" a41100012345 ").as_deref(), Some("A41100012345"));
        assert_eq!(serial("Ａ４１１０００１２３４５").as_deref(), Some("A41100012345"), "full-width");
        assert_eq!(serial("A411"), None, "too short");
        assert_eq!(serial("A4110-0012345"), None);
        assert_eq!(account("6217 0000 1234 5678 901").as_deref(), Some("6217000012345678901"));
        assert_eq!(account("６２１７００００１２３４５６７８").as_deref(), Some("6217000012345678"), "full-width digits");
        assert_eq!(account("62170000"), None, "too short");
        assert_eq!(account("6217x00012345678"), None);
    }

    #[test]
    fn a_file_is_read_into_rows_and_problems_by_row() {
        let id = "110101199003074477";
        let text = format!("身份证号码,卡号,发卡银行,金融账户,发卡日期\n{id},A41100012345,中国银行,6217000012345678901,2026-07-01\n123,B1,工行,12,2026-13-01\n");
        let (rows, problems) = parse_csv(&text).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].row, 2);
        let columns: Vec<&str> = problems.iter().map(|p| p.column.as_str()).collect();
        assert_eq!(columns, ["id_number", "card_serial", "account_no", "issued_on"]);
        assert!(problems.iter().all(|p| p.row == 3), "{problems:?}");
        assert!(matches!(parse_csv("姓名,卡号\n张三,A41100012345\n"), Err(AppError::Validation(_))), "the header names the columns");
    }
}
