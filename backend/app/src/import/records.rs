//! The files that link a person to an employer: employments (任职), enrolments (参保) and
//! contribution history (缴费历史). Each row names the person by identity number and the employer
//! by credit code; both must be on the platform already (import persons and employers first).

use jinbao_domain::CreditCode;
use jinbao_store::repo::imports::StageRow;

use super::fields::{date_not_future, id_number, insurance_type, money, period};
use super::table::{opt, req, Col, Spec};

const ID: Col = req(&["身份证号码", "公民身份号码", "证件号码", "id_number"]);
const CODE: Col = req(&["统一社会信用代码", "信用代码", "credit_code"]);
const TYPE: Col = req(&["险种", "insurance_type"]);

pub const EMPLOYMENTS: Spec = Spec {
    columns: &[
        ID,
        CODE,
        req(&["入职日期", "开始日期", "start_date"]),
        opt(&["离职日期", "结束日期", "end_date"]),
        opt(&["离职原因", "end_reason"]),
    ],
    header_error: "import.records_header",
    row: employment,
};

pub const ENROLMENTS: Spec = Spec {
    columns: &[
        ID,
        CODE,
        TYPE,
        req(&["参保年月", "开始年月", "start_period"]),
        opt(&["停保年月", "结束年月", "end_period"]),
        opt(&["停保原因", "stop_reason"]),
    ],
    header_error: "import.records_header",
    row: enrolment,
};

pub const CONTRIBUTIONS: Spec = Spec {
    columns: &[
        ID,
        CODE,
        TYPE,
        req(&["费款所属期", "缴费年月", "period"]),
        req(&["缴费基数", "base"]),
        req(&["单位缴费", "单位缴纳", "employer_amount"]),
        req(&["个人缴费", "个人缴纳", "employee_amount"]),
    ],
    header_error: "import.records_header",
    row: contribution,
};

fn person_and_employer(v: &[&str], row: &mut StageRow, today: chrono::NaiveDate) -> [Option<String>; 2] {
    let id = id_number(row, v[0], today);
    let code = match CreditCode::parse(v[1]) {
        Ok(c) => Some(c.as_str().to_string()),
        Err(e) => {
            row.fail("credit_code", e.code, v[1]);
            None
        }
    };
    [id, code]
}

/// Staged: id_number, credit_code, start_date, end_date, end_reason.
fn employment(v: &[&str], row: &mut StageRow, today: chrono::NaiveDate) {
    let [id, code] = person_and_employer(v, row, today);
    let start = date_not_future(row, "start_date", v[2], today, true);
    let end = date_not_future(row, "end_date", v[3], today, false);
    if let (Some(s), Some(e)) = (&start, &end) {
        if e < s {
            row.fail("end_date", "date.order", v[3]);
        }
    }
    row.fields = vec![id, code, start, end, Some(v[4].to_string()).filter(|s| !s.is_empty())];
}

/// Staged: id_number, credit_code, insurance_type, start_period, end_period, stop_reason. A row
/// with an end month is a stopped enrolment; without one it is active.
fn enrolment(v: &[&str], row: &mut StageRow, today: chrono::NaiveDate) {
    let [id, code] = person_and_employer(v, row, today);
    let t = insurance_type(row, v[2]);
    let start = period(row, "start_period", v[3], today, true);
    let end = period(row, "end_period", v[4], today, false);
    if let (Some(s), Some(e)) = (start, end) {
        if e < s {
            row.fail("end_period", "period.order", v[4]);
        }
    }
    row.fields = vec![
        id,
        code,
        t.map(|t| t.code().to_string()),
        start.map(|p| p.first_day().to_string()),
        end.map(|p| p.first_day().to_string()),
        Some(v[5].to_string()).filter(|s| !s.is_empty()),
    ];
}

/// Staged: id_number, credit_code, insurance_type, period, base_fen, employer_fen, employee_fen.
fn contribution(v: &[&str], row: &mut StageRow, today: chrono::NaiveDate) {
    let [id, code] = person_and_employer(v, row, today);
    let t = insurance_type(row, v[2]);
    let p = period(row, "period", v[3], today, true);
    let base = money(row, "base", v[4]);
    let employer = money(row, "employer_amount", v[5]);
    let employee = money(row, "employee_amount", v[6]);
    let fen = |f: Option<jinbao_domain::Fen>| f.map(|f| f.0.to_string());
    row.fields =
        vec![id, code, t.map(|t| t.code().to_string()), p.map(|p| p.first_day().to_string()), fen(base), fen(employer), fen(employee)];
}
