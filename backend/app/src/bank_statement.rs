//! Bank statements as the banks export them (docs/payment-files.md): CSV with 交易日期, 交易流水号,
//! 对方户名, 借方发生额, 贷方发生额, 余额, 摘要 (or the English names), dates as 2026-11-05,
//! 2026/11/05 or 20261105, amounts in yuan.

use chrono::NaiveDate;
use jinbao_domain::text::nfkc;
use jinbao_domain::Fen;
use jinbao_store::repo::reconciliation::StatementRow;

use crate::payment_files::RowProblem;
use crate::upload::{CsvUpload, MAX_PROBLEMS};

/// Parses a statement; rows that do not parse are returned as (row, code).
pub fn parse_statement(text: &str) -> Result<(Vec<StatementRow>, Vec<RowProblem>), &'static str> {
    let (mut r, headers) = CsvUpload::open(text, true).map_err(|e| e.unwrap_or("csv.header"))?;
    let col = |names: &[&str]| headers.iter().position(|h| names.contains(&h.trim_start_matches('\u{feff}')));
    let (Some(date), Some(reference), Some(debit), Some(credit)) = (
        col(&["交易日期", "记账日期", "date"]),
        col(&["交易流水号", "流水号", "reference"]),
        col(&["借方发生额", "借方金额", "支出", "debit"]),
        col(&["贷方发生额", "贷方金额", "收入", "credit"]),
    ) else {
        return Err("bank.statement_header");
    };
    let (balance, counterparty, memo) = (col(&["余额", "balance"]), col(&["对方户名", "counterparty"]), col(&["摘要", "memo"]));
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    while let Some(rec) = r.next()? {
        if problems.len() > MAX_PROBLEMS {
            return Err("upload.too_many_problems");
        }
        let (row_no, rec) = match rec {
            Ok((row_no, rec)) => (row_no as i32, rec),
            Err(row_no) => {
                problems.push((row_no as i32, "csv.row".to_string()));
                continue;
            }
        };
        if rec.iter().all(str::is_empty) {
            continue;
        }
        let get = |c: Option<usize>| c.and_then(|c| rec.get(c)).map(str::trim).filter(|s| !s.is_empty());
        if rec.iter().any(|v| v.contains('\0')) {
            problems.push((row_no, "text.nul".to_string()));
            continue;
        }
        let money = |c: Option<usize>| get(c).map(|v| Fen::parse_yuan("amount", v).map(|f| f.0)).transpose();
        let Some(booked_on) = get(Some(date))
            .map(nfkc)
            .and_then(|v| ["%Y-%m-%d", "%Y/%m/%d", "%Y%m%d"].iter().find_map(|f| NaiveDate::parse_from_str(&v, f).ok()))
        else {
            problems.push((row_no, "date.format".to_string()));
            continue;
        };
        let Some(reference) = get(Some(reference)) else {
            problems.push((row_no, "bank.reference_required".to_string()));
            continue;
        };
        let (Ok(d), Ok(c)) = (money(Some(debit)), money(Some(credit))) else {
            problems.push((row_no, "money.format".to_string()));
            continue;
        };
        let (d, c) = (d.unwrap_or(0), c.unwrap_or(0));
        if (d > 0) == (c > 0) {
            problems.push((row_no, "bank.debit_or_credit".to_string()));
            continue;
        }
        // A balance may be negative (an overdrawn account): "-1,200.00".
        let balance_fen = get(balance).and_then(|v| {
            let neg = v.starts_with('-');
            Fen::parse_yuan("balance", v.trim_start_matches('-')).ok().map(|f| if neg { -f.0 } else { f.0 })
        });
        rows.push(StatementRow {
            booked_on,
            reference: reference.to_string(),
            counterparty: get(counterparty).map(str::to_string),
            debit_fen: d,
            credit_fen: c,
            balance_fen,
            memo: get(memo).map(str::to_string),
        });
    }
    if problems.len() > MAX_PROBLEMS {
        return Err("upload.too_many_problems");
    }
    Ok((rows, problems))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_bank_export_and_reports_bad_rows() {
        let text = "交易日期,交易流水号,对方户名,借方发生额,贷方发生额,余额,摘要\n\
                    2026-11-05,C001,许昌机械厂,,\"1,770.00\",1770.00,社保费\n\
                    20261130,T001,财政专户,1770.00,,0.00,划转\n\
                    2026-11-31,X,,,1.00,,\n\
                    2026-11-06,C002,,1.00,1.00,,\n";
        let (rows, problems) = parse_statement(text).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[0].credit_fen, rows[0].debit_fen, rows[0].balance_fen), (177_000, 0, Some(177_000)));
        assert_eq!((rows[1].debit_fen, rows[1].balance_fen), (177_000, Some(0)));
        assert_eq!(problems, [(4, "date.format".to_string()), (5, "bank.debit_or_credit".to_string())]);
    }

    #[test]
    fn an_overdrawn_balance_is_negative() {
        let text = "交易日期,交易流水号,借方发生额,贷方发生额,余额\n2026-11-05,C001,\"1,200.00\",,\"-1,200.00\"\n";
        let (rows, _) = parse_statement(text).unwrap();
        assert_eq!(rows[0].balance_fen, Some(-120_000));
    }

    #[test]
    fn at_most_max_problems_are_reported_then_the_file_is_refused() {
        let bad = |n: usize| format!("交易日期,交易流水号,借方发生额,贷方发生额\n{}", "2026-11-31,X,1.00,\n".repeat(n));
        let (_, problems) = parse_statement(&bad(MAX_PROBLEMS)).unwrap();
        assert_eq!(problems.len(), MAX_PROBLEMS);
        assert_eq!(parse_statement(&bad(MAX_PROBLEMS + 1)).unwrap_err(), "upload.too_many_problems");
    }
}
