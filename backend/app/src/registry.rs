//! The registration input of persons and employers, validated the same way for the JSON API and
//! the page forms.

use chrono::Utc;
use jinbao_domain::{CreditCode, IdNumber};
use jinbao_store::repo::employers::EmployerFields;
use jinbao_store::repo::persons::PersonFields;
use serde::{Deserialize, Serialize};
use validator::{Validate, ValidationError};

use crate::error::{AppError, Problems};
use crate::input;

/// Registration input, shared by the JSON API and the page form.
#[derive(Debug, Default, Clone, Deserialize, Serialize, Validate, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonInput {
    /// Resident identity number (居民身份证号码, GB 11643-1999): 18 characters, the first 17 digits and the last a digit or
    /// `X` (lower-case `x` accepted), with a valid check character and a real birth date not in the future; or a
    /// 15-digit legacy number, upgraded to 18. Surrounding spaces are ignored.
    pub id_number: Option<String>,
    /// Name (姓名), 1–50 characters (`required`, `name.length`).
    #[validate(required, length(min = 1, max = 50, code = "name.length"), custom(function = "input::valid_name"))]
    pub name: Option<String>,
    /// Ethnicity (民族), at most 20 characters (`text.too_long`).
    #[validate(length(max = 20, code = "text.too_long"))]
    pub ethnicity: Option<String>,
    /// Household registration (户口性质): `urban` 城镇 or `rural` 农村 (`hukou_kind.invalid`).
    #[validate(custom(function = "valid_hukou"))]
    #[schemars(extend("enum" = ["urban", "rural", "", null]))]
    pub hukou_kind: Option<String>,
    /// Contact address, at most 200 characters (`text.too_long`).
    #[validate(length(max = 200, code = "text.too_long"))]
    pub address: Option<String>,
    /// Phone number: digits, spaces, `+` and `-` only, at most 20 characters (`phone.format`).
    #[validate(custom(function = "valid_phone"))]
    pub phone: Option<String>,
}

impl PersonInput {
    /// Every problem at once, or the parsed identity number and fields.
    pub fn parse(self) -> Result<(IdNumber, PersonFields), AppError> {
        let mut p = Problems::default();
        if let Err(e) = self.validate() {
            p.merge(e.into())?;
        }
        let id = p.take(IdNumber::parse(self.id_number.as_deref().unwrap_or(""), Utc::now().date_naive()));
        p.finish()?;
        let fields = PersonFields {
            name: self.name.unwrap_or_default().trim().to_string(),
            ethnicity: input::opt_text(self.ethnicity),
            hukou_kind: input::opt_text(self.hukou_kind),
            address: input::opt_text(self.address),
            phone: input::opt_text(self.phone),
        };
        Ok((id.expect("checked"), fields))
    }
}

/// Registration input, shared by the JSON API and the page form. `risk_class` arrives as text
/// from forms and as a number or text from JSON.
#[derive(Debug, Default, Clone, Deserialize, Serialize, Validate, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EmployerInput {
    /// Unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters from `0-9A-HJ-NPQRTUWXY` (no I, O, S, V, Z),
    /// positions 3–8 digits (area code), with a valid check character. Lower case accepted; stored upper case.
    pub credit_code: Option<String>,
    /// Employer name (单位名称), 1–100 characters (`required`, `name.length`).
    #[validate(required, length(min = 1, max = 100, code = "name.length"), custom(function = "input::valid_name"))]
    pub name: Option<String>,
    /// Industry code (GB/T 4754), at most 10 characters.
    #[validate(length(max = 10, code = "text.too_long"))]
    pub industry_code: Option<String>,
    /// Work-injury risk class 1–8 (`required`, `risk_class.range`). A JSON integer, or a string holding one (as forms
    /// send it).
    #[schemars(with = "Option<RiskClassInput>")]
    pub risk_class: Option<serde_json::Value>,
    /// At most 200 characters.
    #[validate(length(max = 200, code = "text.too_long"))]
    pub address: Option<String>,
    /// Contact person, at most 50 characters.
    #[validate(length(max = 50, code = "text.too_long"), custom(function = "input::valid_name"))]
    pub contact_name: Option<String>,
    /// At most 20 characters.
    #[validate(length(max = 20, code = "text.too_long"))]
    pub contact_phone: Option<String>,
    /// Registration date (登记日期), not in the future (`date.future`). Format `YYYY-MM-DD` (`date.format`).
    pub registered_on: Option<String>,
}

impl EmployerInput {
    pub fn parse(self) -> Result<(CreditCode, EmployerFields), AppError> {
        let mut p = Problems::default();
        if let Err(e) = self.validate() {
            p.merge(e.into())?;
        }
        let code = p.take(CreditCode::parse(self.credit_code.as_deref().unwrap_or("")));
        let class = risk_class(&mut p, self.risk_class.as_ref());
        let registered_on = input::date(&mut p, "registered_on", self.registered_on.as_deref());
        if registered_on.is_some_and(|d| d > chrono::Utc::now().date_naive()) {
            p.push("registered_on", "date.future");
        }
        p.finish()?;
        Ok((
            code.expect("checked"),
            EmployerFields {
                name: self.name.unwrap_or_default().trim().to_string(),
                industry_code: input::opt_text(self.industry_code),
                risk_class: class.expect("checked"),
                address: input::opt_text(self.address),
                contact_name: input::opt_text(self.contact_name),
                contact_phone: input::opt_text(self.contact_phone),
                registered_on: registered_on.expect("checked"),
            },
        ))
    }
}

pub fn valid_hukou(v: &str) -> Result<(), ValidationError> {
    if v.is_empty() || v == "urban" || v == "rural" {
        Ok(())
    } else {
        Err(ValidationError::new("hukou_kind.invalid"))
    }
}

pub fn valid_phone(v: &str) -> Result<(), ValidationError> {
    let ok = v.len() <= 20 && v.chars().all(|c| c.is_ascii_digit() || c == '-' || c == '+' || c == ' ');
    if ok {
        Ok(())
    } else {
        Err(ValidationError::new("phone.format"))
    }
}

/// The API document's shape of a risk class in a request: an integer 1–8 or a string holding one.
pub struct RiskClassInput;

impl schemars::JsonSchema for RiskClassInput {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "RiskClassInput".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "Work-injury risk class (工伤风险类别) 1–8, as an integer or a string holding one (as forms send it); `risk_class.range` otherwise.",
            "oneOf": [
                { "type": "integer", "minimum": 1, "maximum": 8 },
                { "type": "string", "pattern": "^\\s*[1-8]\\s*$" }
            ],
            "example": 3
        })
    }
}

pub fn risk_class(p: &mut Problems, v: Option<&serde_json::Value>) -> Option<i16> {
    let n = match v {
        None | Some(serde_json::Value::Null) => {
            p.push("risk_class", "required");
            return None;
        }
        Some(serde_json::Value::Number(n)) => n.as_i64(),
        Some(serde_json::Value::String(s)) if s.trim().is_empty() => {
            p.push("risk_class", "required");
            return None;
        }
        Some(serde_json::Value::String(s)) => s.trim().parse::<i64>().ok(),
        Some(_) => None,
    };
    match n {
        Some(n @ 1..=8) => Some(n as i16),
        _ => {
            p.push("risk_class", "risk_class.range");
            None
        }
    }
}
