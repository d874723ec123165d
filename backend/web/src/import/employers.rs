//! Importing a city's legacy employers file: 统一社会信用代码, 单位名称, 工伤风险类别, 登记日期 and
//! optionally 行业代码, 地址, 联系人, 联系电话.

use chrono::NaiveDate;
use jinbao_domain::CreditCode;
use jinbao_store::repo::imports::{self, EmployerRow, Kind};
use jinbao_store::{Actor, Db, StoreError, TenantId};

use super::Outcome;

const CODE: [&str; 3] = ["统一社会信用代码", "信用代码", "credit_code"];
const NAME: [&str; 3] = ["单位名称", "名称", "name"];
const INDUSTRY: [&str; 2] = ["行业代码", "industry_code"];
const RISK: [&str; 3] = ["工伤风险类别", "风险类别", "risk_class"];
const REGISTERED: [&str; 3] = ["登记日期", "成立日期", "registered_on"];
const ADDRESS: [&str; 2] = ["地址", "address"];
const CONTACT: [&str; 2] = ["联系人", "contact_name"];
const PHONE: [&str; 3] = ["联系电话", "电话", "contact_phone"];

pub fn parse(text: &str, job_id: i64, today: NaiveDate) -> Result<Vec<EmployerRow>, &'static str> {
    let mut r = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
    let headers = r.headers().map_err(|_| "csv.header")?.clone();
    let col = |names: &[&str]| headers.iter().position(|h| names.contains(&h.trim_start_matches('\u{feff}')));
    let (Some(code_col), Some(name_col), Some(risk_col), Some(reg_col)) = (col(&CODE), col(&NAME), col(&RISK), col(&REGISTERED)) else {
        return Err("import.employer_header");
    };
    let (industry_col, address_col, contact_col, phone_col) = (col(&INDUSTRY), col(&ADDRESS), col(&CONTACT), col(&PHONE));
    let mut out = Vec::new();
    for (i, rec) in r.records().enumerate() {
        let mut row = EmployerRow { job_id, row_no: i as i32 + 2, ..EmployerRow::default() };
        let Ok(rec) = rec else {
            row.error_column = Some("*".into());
            row.error_code = Some("csv.row".into());
            out.push(row);
            continue;
        };
        if rec.iter().all(str::is_empty) {
            continue;
        }
        let get = |c: Option<usize>| c.and_then(|c| rec.get(c)).unwrap_or("").trim().to_string();
        let fail = |row: &mut EmployerRow, column: &str, code: &str, value: String| {
            if row.error_code.is_none() {
                row.error_column = Some(column.into());
                row.error_code = Some(code.into());
                row.raw_value = Some(value);
            }
        };
        let raw = get(Some(code_col));
        match CreditCode::parse(&raw) {
            Ok(c) => row.credit_code = Some(c.as_str().to_string()),
            Err(e) => fail(&mut row, "credit_code", e.code, raw),
        }
        let name = get(Some(name_col));
        match name.chars().count() {
            0 => fail(&mut row, "name", "required", name.clone()),
            1..=100 => row.name = Some(name),
            _ => fail(&mut row, "name", "name.length", name.chars().take(20).collect()),
        }
        let risk = get(Some(risk_col));
        match risk.parse::<i16>() {
            Ok(n @ 1..=8) => row.risk_class = Some(n),
            _ => fail(&mut row, "risk_class", "risk_class.range", risk),
        }
        let reg = get(Some(reg_col));
        match NaiveDate::parse_from_str(&reg, "%Y-%m-%d").or_else(|_| NaiveDate::parse_from_str(&reg, "%Y/%m/%d")) {
            Ok(d) if d <= today => row.registered_on = Some(d),
            Ok(_) => fail(&mut row, "registered_on", "date.future", reg),
            Err(_) => fail(&mut row, "registered_on", "date.format", reg),
        }
        row.industry_code = Some(get(industry_col)).filter(|s| !s.is_empty());
        row.address = Some(get(address_col)).filter(|s| !s.is_empty());
        row.contact_name = Some(get(contact_col)).filter(|s| !s.is_empty());
        row.contact_phone = Some(get(phone_col)).filter(|s| !s.is_empty());
        out.push(row);
    }
    Ok(out)
}

pub fn run(
    db: &Db,
    tenant: TenantId,
    actor: Actor,
    text: &str,
    valid_only: bool,
    progress: impl FnMut(usize, usize),
) -> Result<Outcome, StoreError> {
    let today = chrono::Utc::now().date_naive();
    super::run(
        db,
        tenant,
        actor,
        Kind::Employers,
        |job| parse(text, job, today),
        imports::stage_employers,
        imports::apply_employers,
        valid_only,
        progress,
    )
}
