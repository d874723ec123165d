//! Parsing helpers shared by API handlers and page forms: dates, paging, optional text.

use chrono::NaiveDate;
use jinbao_domain::{Fen, InsuranceType, Period};
use serde_json::Value;

use serde::Deserialize;

use crate::error::{AppError, Problems};

pub const MAX_PER_PAGE: i64 = 100;

/// `YYYY-MM-DD`; records `date.format` (or `required`) against `field`.
pub fn date(p: &mut Problems, field: &str, v: Option<&str>) -> Option<NaiveDate> {
    match v.map(str::trim).filter(|s| !s.is_empty()) {
        None => {
            p.push(field, "required");
            None
        }
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d").ok().or_else(|| {
            p.push(field, "date.format");
            None
        }),
    }
}

/// `YYYY-MM-DD` not after `today` (`date.future` otherwise), for events that have happened.
pub fn past_date(p: &mut Problems, field: &str, v: Option<&str>, today: NaiveDate) -> Option<NaiveDate> {
    let d = date(p, field, v)?;
    if d > today {
        p.push(field, "date.future");
        return None;
    }
    Some(d)
}

/// Page (from 1) and page size (1..=100, default 20).
pub fn paging(p: &mut Problems, page: Option<i64>, per_page: Option<i64>) -> (i64, i64) {
    let page = page.unwrap_or(1);
    let per_page = per_page.unwrap_or(20);
    if !(1..=100_000).contains(&page) {
        p.push("page", "page.range");
    }
    if !(1..=MAX_PER_PAGE).contains(&per_page) {
        p.push("per_page", "page.range");
    }
    (page.clamp(1, 100_000), per_page.clamp(1, MAX_PER_PAGE))
}

/// A person's, employer's or contact's name: no control or reordering characters
/// (`text.control_chars`), no NUL (`text.nul`); see `jinbao_domain::text`.
pub fn valid_name(v: &str) -> Result<(), validator::ValidationError> {
    match jinbao_domain::text::name_problem(v) {
        Some(code) => Err(validator::ValidationError::new(code)),
        None => Ok(()),
    }
}

/// Trims; empty becomes `None`.
pub fn opt_text(v: Option<String>) -> Option<String> {
    v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// Required text with a maximum length in characters.
pub fn text(p: &mut Problems, field: &str, v: Option<&str>, max: usize) -> Option<String> {
    let s = v.map(str::trim).unwrap_or("");
    if s.is_empty() {
        p.push(field, "required");
        None
    } else if s.chars().count() > max {
        p.push(field, "text.too_long");
        None
    } else {
        Some(s.to_string())
    }
}

/// Optional text with a maximum length.
pub fn opt_text_max(p: &mut Problems, field: &str, v: Option<String>, max: usize) -> Option<String> {
    let v = opt_text(v);
    if v.as_ref().is_some_and(|s| s.chars().count() > max) {
        p.push(field, "text.too_long");
        return None;
    }
    v
}

/// `?page=&per_page=` of a list endpoint.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct PageQuery {
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

impl PageQuery {
    /// Page and page size, or a 422 with the field problems.
    pub fn parse(&self) -> Result<(i64, i64), AppError> {
        let mut p = Problems::default();
        let out = paging(&mut p, self.page, self.per_page);
        p.finish()?;
        Ok(out)
    }
}

/// The API document's shape of an amount in yuan that a request carries: a JSON number or a
/// string, read by [`yuan`] without floating point (`Fen::parse_yuan`). The fields that carry one
/// are `Option<serde_json::Value>` so that a wrong type is a field-level `money.format`, not a
/// refused body; this type only describes them (`#[schemars(with = "Option<YuanInput>")]`).
pub struct YuanInput;

impl schemars::JsonSchema for YuanInput {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "YuanInput".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "An amount in yuan, at most 12 integer digits and 2 decimals, not negative: a number (`4500.5`) or a string (`\"4500.50\"`). A string may carry grouping commas, a leading ¥ and full-width digits (`￥４，５００．５０`), which are read as their ASCII forms. Anything else is `money.format`; empty is `required`.",
            "oneOf": [
                { "type": "number", "minimum": 0, "maximum": 999999999999.99_f64 },
                { "type": "string", "maxLength": 40, "pattern": "^\\s*[¥￥]?[0-9０-９][0-9０-９,，]*([.．][0-9０-９]{1,2})?\\s*$" }
            ],
            "example": "4500.00"
        })
    }
}

/// A yuan amount from JSON text or number (never through floating point).
pub fn yuan(p: &mut Problems, field: &'static str, v: Option<&Value>) -> Option<Fen> {
    p.take(Fen::parse_yuan(field, &yuan_text(v).unwrap_or_default()))
}

/// A JSON amount in yuan as text (a number or a string; anything else cannot be an amount and
/// reads as `?`, refused by the parser); absent or `null` is `None`.
pub fn yuan_text(v: Option<&Value>) -> Option<String> {
    match v {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(_) => Some("?".into()),
    }
}

pub fn period(p: &mut Problems, field: &str, v: Option<&str>) -> Option<Period> {
    match v.map(str::trim).filter(|s| !s.is_empty()) {
        None => {
            p.push(field, "required");
            None
        }
        Some(s) => s.parse().ok().or_else(|| {
            p.push(field, "period.format");
            None
        }),
    }
}

pub fn types(p: &mut Problems, v: Option<&[String]>) -> Vec<InsuranceType> {
    let v = v.unwrap_or_default();
    if v.is_empty() {
        p.push("insurance_types", "required");
    }
    let mut out = Vec::new();
    for s in v {
        match s.parse() {
            Ok(t) => out.push(t),
            Err(()) => p.push("insurance_types", "enrolment.unknown_type"),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(p: Problems) -> Vec<(String, String)> {
        p.0.into_iter().map(|f| (f.field, f.code)).collect()
    }

    #[test]
    fn paging_defaults_bounds_and_refuses_out_of_range() {
        let mut p = Problems::default();
        assert_eq!(paging(&mut p, None, None), (1, 20));
        assert_eq!(paging(&mut p, Some(3), Some(100)), (3, 100));
        assert_eq!(paging(&mut p, Some(100_000), Some(1)), (100_000, 1));
        assert!(p.0.is_empty());
        assert_eq!(paging(&mut p, Some(0), Some(101)), (1, 100));
        assert_eq!(paging(&mut p, Some(100_001), Some(0)), (100_000, 1));
        assert_eq!(codes(p).iter().filter(|(_, c)| c == "page.range").count(), 4);
        assert_eq!(PageQuery { page: Some(2), per_page: Some(50) }.parse().unwrap(), (2, 50));
        assert!(matches!(PageQuery { page: Some(-1), per_page: None }.parse(), Err(AppError::Validation(_))));
    }

    #[test]
    fn text_is_trimmed_required_and_bounded_by_characters() {
        let mut p = Problems::default();
        assert_eq!(text(&mut p, "f", Some(" 许昌 "), 2).as_deref(), Some("许昌"));
        assert_eq!(text(&mut p, "f", Some("许昌市"), 2), None);
        assert_eq!(text(&mut p, "g", Some("  "), 2), None);
        assert_eq!(opt_text_max(&mut p, "h", Some("长长".into()), 2).as_deref(), Some("长长"));
        assert_eq!(opt_text_max(&mut p, "h", Some("长长长".into()), 2), None);
        assert_eq!(opt_text_max(&mut p, "h", Some(" ".into()), 2), None);
        assert_eq!(codes(p), [("f".into(), "text.too_long".into()), ("g".into(), "required".into()), ("h".into(), "text.too_long".into())]);
    }

    #[test]
    fn names_refuse_control_characters() {
        assert!(valid_name("张三").is_ok());
        assert_eq!(valid_name("张\u{7}三").unwrap_err().code, "text.control_chars");
    }

    #[test]
    fn periods_and_insurance_types_parse_or_say_why() {
        let mut p = Problems::default();
        assert_eq!(period(&mut p, "period", Some(" 2026-07 ")), Some("2026-07".parse().unwrap()));
        assert_eq!(period(&mut p, "period", Some("2026-13")), None);
        assert_eq!(period(&mut p, "start", None), None);
        let t = types(&mut p, Some(&["pension".to_string(), "medical".to_string()]));
        assert_eq!(t, [InsuranceType::Pension, InsuranceType::Medical]);
        assert!(types(&mut p, Some(&[])).is_empty());
        assert_eq!(
            codes(p),
            [("period".into(), "period.format".into()), ("start".into(), "required".into()), ("insurance_types".into(), "required".into())]
        );
    }

    #[test]
    fn amounts_come_from_text_or_numbers_never_other_json() {
        assert_eq!(yuan_text(Some(&serde_json::json!(12.5))).as_deref(), Some("12.5"));
        assert_eq!(yuan_text(Some(&serde_json::json!("8"))).as_deref(), Some("8"));
        assert_eq!(yuan_text(Some(&serde_json::json!(null))), None);
        assert_eq!(yuan_text(Some(&serde_json::json!([1]))).as_deref(), Some("?"));
        let mut p = Problems::default();
        assert_eq!(yuan(&mut p, "amount", Some(&serde_json::json!("1,234.50"))), Some(Fen(123_450)));
        assert_eq!(yuan(&mut p, "amount", Some(&serde_json::json!(true))), None);
        assert_eq!(p.0.len(), 1);
    }
}
