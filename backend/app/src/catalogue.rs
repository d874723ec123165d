//! The province's medical catalogue: a version imported from a CSV file (编码, 名称, 类别, 单价 —
//! the price optional), checked row by row and kept only when every row is right; a settlement then
//! takes each line's class from the version in force on the bill's day.

use chrono::NaiveDate;
use jinbao_domain::benefits::medical::Class;
use jinbao_domain::{Fen, Period};
use jinbao_store::repo::catalogue::{self, Item, Version};
use jinbao_store::repo::declarations::RowProblem;
use jinbao_store::TenantTx;
use sha2::{Digest, Sha256};

use crate::error::{AppError, Problems};

const CODE: [&str; 3] = ["编码", "目录编码", "code"];
const NAME: [&str; 3] = ["名称", "项目名称", "name"];
const CLASS: [&str; 3] = ["类别", "甲乙类", "class"];
const PRICE: [&str; 3] = ["单价", "价格", "price"];

/// At most this many items in a version.
pub const MAX_ITEMS: usize = 200_000;
/// At most this much text (the .xlsx's sheet as CSV included).
pub const MAX_TEXT: usize = 16 * 1024 * 1024;

/// A file read and checked, ready to record (no database work was needed to read it).
pub struct Prepared {
    pub version: String,
    pub effective_from: NaiveDate,
    pub sha256: String,
    pub items: Vec<Item>,
}

/// What reading a file gave: a version to record, or every row's problem (nothing to record).
pub enum Outcome {
    Ready(Prepared),
    Refused(Vec<RowProblem>),
}

/// Reads the file's rows: codes of 1–40 characters once each, names of 1–200, class 甲/乙/丙 (A/B/C),
/// an optional price in yuan.
pub fn parse(text: &str) -> Result<(Vec<Item>, Vec<RowProblem>), AppError> {
    let mut seen = std::collections::HashSet::new();
    let (items, problems) =
        crate::upload::read_named(text, &[&CODE, &NAME, &CLASS], "catalogue.csv_header", |row, cells, optional, problems| {
            let mut bad = |column: &str, value: &str, code: &str| {
                problems.push(RowProblem {
                    row,
                    column: column.into(),
                    value: jinbao_domain::text::printable(value, 60),
                    code: code.into(),
                })
            };
            let normal = crate::medical::code_of(Some(cells[0]));
            let code_ok = normal.is_some();
            let code = normal.as_deref().unwrap_or(cells[0]);
            let fresh = code_ok && seen.insert(code.to_string());
            if !code_ok {
                bad("code", code, "medical.code");
            } else if !fresh {
                bad("code", code, "catalogue.duplicate_code");
            }
            let name = cells[1].trim();
            let name_ok = (1..=200).contains(&name.chars().count()) && jinbao_domain::text::name_problem(name).is_none();
            if !name_ok {
                bad("name", name, "catalogue.name");
            }
            let class = Class::parse(cells[2]);
            if class.is_none() {
                bad("class", cells[2], "medical.class");
            }
            let price = match optional.optional(&PRICE).map(str::trim).filter(|p| !p.is_empty()) {
                None => Ok(None),
                Some(p) => Fen::parse_yuan("price", p).map(Some).inspect_err(|e| bad("price", p, e.code)),
            };
            match (fresh, name_ok, class, price) {
                (true, true, Some(class), Ok(price_fen)) => Some(Item {
                    code: code.to_string(),
                    name: name.to_string(),
                    class: match class {
                        Class::A => "A",
                        Class::B => "B",
                        Class::C => "C",
                    }
                    .to_string(),
                    price_fen: price_fen.map(|f| f.0),
                }),
                _ => None,
            }
        })?;
    if items.len() + problems.len() > MAX_ITEMS {
        return Err(AppError::field("file", "catalogue.too_many_items"));
    }
    Ok((items, problems))
}

/// Reads and checks a version from `bytes` (CSV in UTF-8 or GB18030, or the first sheet of an .xlsx,
/// at most 16 MiB of text and 200,000 lines), in force from `effective_from` (YYYY-MM). Runs before
/// any transaction: a large file holds no connection while it is read.
pub fn prepare(version: Option<&str>, effective_from: Option<&str>, bytes: &[u8]) -> Result<Outcome, AppError> {
    let mut p = Problems::default();
    let version = version.map(str::trim).unwrap_or("");
    if version.is_empty() {
        p.push("version", "required");
    } else if version.len() > 32 || !version.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b)) {
        p.push("version", "catalogue.version");
    }
    let from = crate::input::period(&mut p, "effective_from", effective_from);
    if bytes.is_empty() {
        p.push("file", "upload.missing");
    }
    p.finish()?;
    let text = if bytes.starts_with(b"PK\x03\x04") {
        crate::import::table::sheet_as_csv(bytes, MAX_TEXT).map_err(|code| AppError::field("file", code))?
    } else {
        crate::declarations::decode(bytes)
    };
    // Bounded before any row is kept: a file of more physical lines cannot hold fewer items.
    if text.len() > MAX_TEXT || text.lines().filter(|l| !l.trim().is_empty()).count() > MAX_ITEMS + 1 {
        return Err(AppError::field("file", "catalogue.too_many_items"));
    }
    let (items, problems) = parse(&text)?;
    if !problems.is_empty() {
        return Ok(Outcome::Refused(problems));
    }
    Ok(Outcome::Ready(Prepared {
        version: version.to_string(),
        effective_from: from.map(Period::first_day).expect("checked"),
        sha256: hex::encode(Sha256::digest(bytes)),
        items,
    }))
}

/// Records a prepared version (409 `catalogue.version_exists`, `catalogue.not_later`).
pub fn record(tx: &mut TenantTx<'_>, v: &Prepared) -> Result<Version, AppError> {
    Ok(catalogue::import(tx, &v.version, v.effective_from, &v.sha256, &v.items)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_checked_and_duplicates_refused() {
        let (items, problems) =
            parse("编码,名称,类别,单价\nZ001,阿莫西林胶囊,甲,12.50\nY001,CT,乙,\nZ001,重复,A,1\nX9,进口材料,丁,1\n").unwrap();
        assert_eq!(items.len(), 2);
        assert_eq!((items[0].class.as_str(), items[0].price_fen), ("A", Some(1250)));
        assert_eq!((items[1].class.as_str(), items[1].price_fen), ("B", None));
        let codes: Vec<(usize, &str)> = problems.iter().map(|p| (p.row, p.code.as_str())).collect();
        assert_eq!(codes, [(4, "catalogue.duplicate_code"), (5, "medical.class")]);
        assert_eq!(parse("code,name\nA,B\n").err().map(|e| e.first_code()), Some("catalogue.csv_header".to_string()));
    }
}
