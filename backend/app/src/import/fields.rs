//! Cell parsers shared by the import kinds: each returns the normalised text to stage, or records
//! the row's problem and returns `None`.

use chrono::NaiveDate;
use jinbao_domain::{Fen, IdNumber, InsuranceType, Period};
use jinbao_store::repo::imports::StageRow;

/// A date as 2019-07-01, 2019/7/1 or 20190701, not in the future.
pub fn date_not_future(row: &mut StageRow, column: &str, v: &str, today: NaiveDate, required: bool) -> Option<String> {
    let v = &*jinbao_domain::text::nfkc(v);
    if v.is_empty() {
        if required {
            row.fail(column, "required", "");
        }
        return None;
    }
    let parsed = ["%Y-%m-%d", "%Y/%m/%d", "%Y%m%d"].iter().find_map(|f| NaiveDate::parse_from_str(v, f).ok());
    match parsed {
        Some(d) if d <= today => Some(d.to_string()),
        Some(_) => {
            row.fail(column, "date.future", v);
            None
        }
        None => {
            row.fail(column, "date.format", v);
            None
        }
    }
}

/// A month as 2019-07, 2019/07 or 201907 (staged as its first day), not after this month.
pub fn period(row: &mut StageRow, column: &str, v: &str, today: NaiveDate, required: bool) -> Option<Period> {
    let v = &*jinbao_domain::text::nfkc(v);
    if v.is_empty() {
        if required {
            row.fail(column, "required", "");
        }
        return None;
    }
    let digits: String = v.chars().filter(char::is_ascii_digit).collect();
    let parsed = match (v.len(), digits.len()) {
        (6, 6) => Period::new(digits[..4].parse().unwrap_or(0), digits[4..].parse().unwrap_or(0)),
        _ => v.replace('/', "-").parse::<Period>().ok(),
    };
    match parsed {
        Some(p) if p <= Period::of_date(today) => Some(p),
        Some(_) => {
            row.fail(column, "period.future", v);
            None
        }
        None => {
            row.fail(column, "period.format", v);
            None
        }
    }
}

/// An identity number, checked and upgraded to 18 digits; masked in the report when wrong.
pub fn id_number(row: &mut StageRow, v: &str, today: NaiveDate) -> Option<String> {
    match IdNumber::parse(v, today) {
        Ok(id) => Some(id.as_str().to_string()),
        Err(e) => {
            row.fail("id_number", e.code, jinbao_domain::id_number::mask(v));
            None
        }
    }
}

/// An insurance type by code (`pension`) or Chinese name (养老, 养老保险, 基本养老保险 …).
pub fn insurance_type(row: &mut StageRow, v: &str) -> Option<InsuranceType> {
    let t = v.parse::<InsuranceType>().ok().or_else(|| {
        InsuranceType::ALL.into_iter().find(|t| {
            let zh = t.name_zh();
            let short = zh.trim_end_matches("保险");
            v == zh || v == short || v == format!("基本{zh}") || v == format!("职工{zh}") || v == format!("职工基本{zh}")
        })
    });
    if t.is_none() {
        row.fail("insurance_type", "insurance_type.invalid", v);
    }
    t
}

/// An amount in yuan (two decimals at most), staged in fen.
pub fn money(row: &mut StageRow, column: &'static str, v: &str) -> Option<Fen> {
    match Fen::parse_yuan(column, v) {
        Ok(f) => Some(f),
        Err(e) => {
            row.fail(column, e.code, v);
            None
        }
    }
}
