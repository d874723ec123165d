//! The files exchanged with banks and the post office (docs/payment-files.md): the payment file
//! of a batch per channel, with a totals line and a checksum line, and the returned results.

use jinbao_domain::text::neutralise_record;
use jinbao_domain::Fen;
use jinbao_store::kinds::PaymentChannel;
use jinbao_store::repo::payments::{ExportLine, ResultRow};
use sha2::{Digest, Sha256};

use crate::upload::{CsvUpload, MAX_PROBLEMS};

/// The payment file: UTF-8 CSV, a header, one row per line, `TOTAL,<rows>,<yuan>` and
/// `SHA256,<hex>` over every byte before that last line.
pub fn export_csv(batch_id: i64, channel: PaymentChannel, lines: &[ExportLine]) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new().flexible(true).from_writer(Vec::new());
    if channel == PaymentChannel::Bank {
        let _ = w.write_record(["line_id", "batch_id", "name", "id_number", "bank_name", "account_no", "benefit", "period", "amount_yuan"]);
    } else {
        let _ = w.write_record(["line_id", "batch_id", "name", "id_number", "post_address", "benefit", "period", "amount_yuan"]);
    }
    for l in lines {
        let (period, amount) = (l.period.format("%Y-%m").to_string(), Fen(l.amount_fen).to_string());
        let (id, batch) = (l.line_id.to_string(), batch_id.to_string());
        let _ = if channel == PaymentChannel::Bank {
            w.write_record(neutralise_record([
                id.as_str(),
                &batch,
                &l.name,
                &l.id_number,
                l.bank_name.as_deref().unwrap_or(""),
                l.account_no.as_deref().unwrap_or(""),
                l.kind.as_str(),
                &period,
                &amount,
            ]))
        } else {
            w.write_record(neutralise_record([
                id.as_str(),
                &batch,
                &l.name,
                &l.id_number,
                l.post_address.as_deref().unwrap_or(""),
                l.kind.as_str(),
                &period,
                &amount,
            ]))
        };
    }
    let total = Fen(lines.iter().map(|l| l.amount_fen).sum());
    let _ = w.write_record(["TOTAL", &lines.len().to_string(), &total.to_string()]);
    let mut body = w.into_inner().unwrap_or_default();
    let sum = hex::encode(Sha256::digest(&body));
    body.extend_from_slice(format!("SHA256,{sum}\n").as_bytes());
    body
}

/// Checks a file's checksum line against its content (what a receiving bank does).
pub fn checksum_ok(file: &[u8]) -> bool {
    let text = String::from_utf8_lossy(file);
    let Some(pos) = text.trim_end().rfind("\nSHA256,") else { return false };
    let (body, last) = text.split_at(pos + 1);
    let want = last.trim().trim_start_matches("SHA256,");
    hex::encode(Sha256::digest(body.as_bytes())) == want
}

/// A row of a results file that could not be read: (row, code).
pub type RowProblem = (i32, String);

/// Parses a results file: `line_id,status,reason,reference` with status `paid`/`failed` (or 成功/
/// 失败). Returns the rows and the problems (row, code) of rows that do not parse.
pub fn parse_results(text: &str) -> Result<(Vec<ResultRow>, Vec<RowProblem>), &'static str> {
    let (mut r, headers) = CsvUpload::open(text, true).map_err(|e| e.unwrap_or("csv.header"))?;
    let col = |names: &[&str]| headers.iter().position(|h| names.contains(&h.trim_start_matches('\u{feff}')));
    let (Some(line), Some(status)) = (col(&["line_id", "明细号"]), col(&["status", "结果"])) else {
        return Err("payment.results_header");
    };
    let (reason, reference) = (col(&["reason", "失败原因"]), col(&["reference", "流水号"]));
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
        if rec.iter().any(|v| v.contains('\0')) {
            problems.push((row_no, "text.nul".to_string()));
            continue;
        }
        let get = |c: Option<usize>| c.and_then(|c| rec.get(c)).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
        let Some(line_id) = get(Some(line)).and_then(|v| jinbao_domain::text::nfkc(&v).parse::<i64>().ok()) else {
            problems.push((row_no, "payment.line_id".to_string()));
            continue;
        };
        let paid = match get(Some(status)).as_deref() {
            Some("paid" | "成功") => true,
            Some("failed" | "失败") => false,
            _ => {
                problems.push((row_no, "payment.status".to_string()));
                continue;
            }
        };
        let reason = get(reason);
        if !paid && reason.is_none() {
            problems.push((row_no, "payment.reason_required".to_string()));
            continue;
        }
        rows.push(ResultRow { row_no, line_id, paid, reason, reference: get(reference) });
    }
    if problems.len() > MAX_PROBLEMS {
        return Err("upload.too_many_problems");
    }
    Ok((rows, problems))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use jinbao_store::kinds::ClaimKind;

    fn line(id: i64, fen: i64) -> ExportLine {
        ExportLine {
            line_id: id,
            name: "张三".into(),
            id_number: "411002198001010011".into(),
            kind: ClaimKind::Pension,
            period: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
            amount_fen: fen,
            bank_name: Some("中国工商银行许昌分行".into()),
            account_no: Some("6222020200000000001".into()),
            post_address: None,
        }
    }

    #[test]
    fn export_has_totals_and_a_checksum_that_catches_changes() {
        let f = export_csv(7, PaymentChannel::Bank, &[line(1, 310_054), line(2, 180_000)]);
        let text = String::from_utf8(f.clone()).unwrap();
        assert!(text.contains("\nTOTAL,2,4900.54\n"), "{text}");
        assert!(checksum_ok(&f));
        let tampered = text.replace("3100.54", "3900.54");
        assert!(!checksum_ok(tampered.as_bytes()));
    }

    #[test]
    fn export_neutralises_formula_cells() {
        let mut l = line(1, 100);
        l.name = "=HYPERLINK(\"http://x\",\"张三\")".into();
        l.bank_name = Some("@SUM(1+1)".into());
        let text = String::from_utf8(export_csv(7, PaymentChannel::Bank, &[l.clone()])).unwrap();
        assert!(text.contains("'=HYPERLINK") && text.contains("'@SUM(1+1)"), "{text}");
        l.post_address = Some("-2+3 许昌".into());
        let text = String::from_utf8(export_csv(7, PaymentChannel::Post, &[l])).unwrap();
        assert!(text.contains("'-2+3 许昌"), "{text}");
        assert!(checksum_ok(text.as_bytes()));
    }

    #[test]
    fn results_parse_and_report_bad_rows() {
        let (rows, problems) =
            parse_results("line_id,status,reason,reference\n1,paid,,B001\n2,失败,账户已销户,\nx,paid,,\n3,failed,,\n4,maybe,,\n").unwrap();
        assert_eq!(rows.len(), 2);
        assert!(rows[0].paid && !rows[1].paid);
        assert_eq!(rows[1].reason.as_deref(), Some("账户已销户"));
        let codes: Vec<&str> = problems.iter().map(|p| p.1.as_str()).collect();
        assert_eq!(codes, ["payment.line_id", "payment.reason_required", "payment.status"]);
    }

    #[test]
    fn bank_and_post_files_have_their_own_columns() {
        let bank = String::from_utf8(export_csv(7, PaymentChannel::Bank, &[line(1, 100)])).unwrap();
        assert!(bank.starts_with("line_id,batch_id,name,id_number,bank_name,account_no,benefit,period,amount_yuan\n"), "{bank}");
        assert!(bank.contains(",6222020200000000001,pension,2026-11,1.00\n"), "{bank}");
        let mut l = line(1, 100);
        l.post_address = Some("许昌市魏都区".into());
        let post = String::from_utf8(export_csv(7, PaymentChannel::Post, &[l])).unwrap();
        assert!(post.starts_with("line_id,batch_id,name,id_number,post_address,benefit,period,amount_yuan\n"), "{post}");
        assert!(post.contains(",许昌市魏都区,pension,2026-11,1.00\n") && !post.contains("6222"), "{post}");
    }

    #[test]
    fn at_most_max_problems_are_reported_then_the_results_are_refused() {
        let bad = |n: usize| format!("line_id,status,reason,reference\n{}", "x,paid,,\n".repeat(n));
        let (_, problems) = parse_results(&bad(MAX_PROBLEMS)).unwrap();
        assert_eq!(problems.len(), MAX_PROBLEMS);
        assert_eq!(parse_results(&bad(MAX_PROBLEMS + 1)).unwrap_err(), "upload.too_many_problems");
    }
}
