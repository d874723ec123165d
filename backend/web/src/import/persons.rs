//! Importing a city's legacy persons file: decode (UTF-8, UTF-8 with BOM, GBK), parse each row
//! into the standard columns, COPY into staging in chunks (progress on the job row), validate
//! set-based, apply all or nothing (or the valid rows only), report every problem by row.

use chrono::NaiveDate;
use jinbao_domain::IdNumber;
use jinbao_store::repo::imports::{self, Kind, StageRow};
use jinbao_store::{Actor, Db, StoreError, TenantId};

use super::Outcome;

const ID: [&str; 4] = ["身份证号码", "公民身份号码", "证件号码", "id_number"];
const NAME: [&str; 2] = ["姓名", "name"];
const HUKOU: [&str; 3] = ["户口性质", "户籍性质", "hukou_kind"];
const PHONE: [&str; 3] = ["联系电话", "电话", "phone"];
const ADDRESS: [&str; 3] = ["地址", "住址", "address"];

fn hukou(v: &str) -> Result<Option<String>, ()> {
    match v.trim() {
        "" => Ok(None),
        "城镇" | "非农业" | "urban" => Ok(Some("urban".into())),
        "农村" | "农业" | "rural" => Ok(Some("rural".into())),
        _ => Err(()),
    }
}

/// Parses the file into staging rows (row numbers as a spreadsheet shows them: header = 1).
pub fn parse(text: &str, tenant: TenantId, job_id: i64, today: NaiveDate) -> Result<Vec<StageRow>, &'static str> {
    let mut r = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
    let headers = r.headers().map_err(|_| "csv.header")?.clone();
    let col = |names: &[&str]| headers.iter().position(|h| names.contains(&h.trim_start_matches('\u{feff}')));
    let (Some(id_col), Some(name_col)) = (col(&ID), col(&NAME)) else { return Err("import.header") };
    let (hukou_col, phone_col, address_col) = (col(&HUKOU), col(&PHONE), col(&ADDRESS));
    let mut out = Vec::new();
    for (i, rec) in r.records().enumerate() {
        let row_no = i as i32 + 2;
        let mut row = StageRow {
            tenant_id: tenant.0,
            job_id,
            row_no,
            id_number: None,
            name: None,
            hukou_kind: None,
            phone: None,
            address: None,
            gender: None,
            birth_date: None,
            error_column: None,
            error_code: None,
            raw_value: None,
            outcome: None,
        };
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
        let fail = |row: &mut StageRow, column: &str, code: &str, value: String| {
            if row.error_code.is_none() {
                row.error_column = Some(column.into());
                row.error_code = Some(code.into());
                row.raw_value = Some(value);
            }
        };
        let raw_id = get(Some(id_col));
        match IdNumber::parse(&raw_id, today) {
            Ok(id) => {
                row.gender = Some(id.gender().code().into());
                row.birth_date = Some(id.birth_date());
                row.id_number = Some(id.as_str().to_string());
            }
            Err(e) => fail(&mut row, "id_number", e.code, jinbao_domain::id_number::mask(&raw_id)),
        }
        let name = get(Some(name_col));
        match name.chars().count() {
            0 => fail(&mut row, "name", "required", name.clone()),
            1..=50 => row.name = Some(name),
            _ => fail(&mut row, "name", "name.length", name.chars().take(20).collect()),
        }
        let h = get(hukou_col);
        match hukou(&h) {
            Ok(v) => row.hukou_kind = v,
            Err(()) => fail(&mut row, "hukou_kind", "hukou_kind.invalid", h),
        }
        row.phone = Some(get(phone_col)).filter(|s| !s.is_empty());
        row.address = Some(get(address_col)).filter(|s| !s.is_empty());
        out.push(row);
    }
    Ok(out)
}

/// Runs the whole persons import; `progress(done, total)` after each staged chunk.
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
        Kind::Persons,
        |job| parse(text, tenant, job, today),
        imports::stage,
        imports::apply,
        valid_only,
        progress,
    )
}
