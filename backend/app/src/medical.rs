//! Employees' medical bills: the lines checked and settled by the city's parameters in force on the
//! bill's day, against the person's year so far and personal account (`jinbao_domain::benefits::
//! medical`), proposed by one user and approved by another; and the monthly credits of the personal
//! accounts.

use chrono::{Datelike, NaiveDate};
use jinbao_domain::benefits::medical::{self, Bill, Class, Line, Setting};
use jinbao_domain::{Fen, Period};
use jinbao_store::repo::medical::{self as repo, Credited, NewSettlement, Settlement};
use jinbao_store::repo::persons;
use jinbao_store::{StoreError, TenantTx};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::error::{AppError, Problems};
use crate::input;

/// One line of a bill.
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "MedicalLineInput")]
#[serde(deny_unknown_fields)]
pub struct LineInput {
    /// Catalogue code of the drug or service, 1–40 characters.
    pub code: Option<String>,
    /// `A` (甲), `B` (乙) or `C` (丙); the Chinese characters are accepted too. Once the province has
    /// imported a catalogue in force on the bill's day, the class is the catalogue's: it may be left
    /// out, a code the catalogue lacks is `medical.unknown_code`, a different class typed
    /// `medical.class_mismatch`.
    pub class: Option<String>,
    /// The amount in yuan, above zero and at most 1,000,000.
    #[schemars(with = "Option<crate::input::YuanInput>")]
    pub amount: Option<Value>,
}

/// A medical bill to settle.
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "MedicalSettlementInput")]
#[serde(deny_unknown_fields)]
pub struct SettlementInput {
    /// The insured person (`person.unknown`).
    pub person_id: Option<i64>,
    /// `inpatient` (住院) or `outpatient` (门诊).
    #[schemars(extend("enum" = ["inpatient", "outpatient", null]))]
    pub setting: Option<String>,
    /// The hospital's name, 1–200 characters.
    pub hospital: Option<String>,
    /// The hospital's level: 1, 2 or 3 (一级、二级、三级).
    pub hospital_level: Option<u8>,
    /// Inpatient: the day of admission (YYYY-MM-DD, not after the bill).
    pub admitted_on: Option<String>,
    /// The day of the bill (discharge or visit; YYYY-MM-DD, not in the future): decides the
    /// parameters in force and the year the bill counts in.
    pub bill_date: Option<String>,
    /// The lines, 1–500 (`medical.lines_count`).
    #[serde(default)]
    pub lines: Vec<LineInput>,
    /// The medical costs of a recognised work injury of this person (`injury.unknown_case`,
    /// `injury.not_recognised`, `injury.employer_pays` when its employer was not insured): paid by the
    /// work-injury fund within the catalogue, outside the person's medical year and account.
    pub injury_case_id: Option<i64>,
}

impl SettlementInput {
    /// The page's form: the lines as text, one line each `code, class, amount` (commas or tabs).
    pub fn from_form(f: &std::collections::HashMap<String, String>) -> SettlementInput {
        let text = |k: &str| f.get(k).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        let lines = f
            .get("lines_text")
            .map(|t| {
                t.lines()
                    .filter(|l| !l.trim().is_empty())
                    .take(medical::MAX_LINES + 1)
                    .map(|l| {
                        // Tab-separated as a spreadsheet copies it; otherwise the first two commas
                        // separate the cells, so an amount may carry grouping commas (1,234.50).
                        let cells: Vec<&str> = if l.contains('\t') {
                            l.split('\t').map(str::trim).collect()
                        } else {
                            l.splitn(3, [',', '，']).map(str::trim).collect()
                        };
                        // A line of other than three cells has no amount to trust: refused as such.
                        LineInput {
                            code: cells.first().map(|s| s.to_string()),
                            class: cells.get(1).map(|s| s.to_string()),
                            amount: if cells.len() == 3 { Some(json!(cells[2])) } else { Some(json!("?")) },
                        }
                    })
                    .collect()
            })
            .unwrap_or_default();
        SettlementInput {
            person_id: text("person_id").and_then(|v| v.parse().ok()),
            setting: text("setting"),
            hospital: text("hospital"),
            hospital_level: text("hospital_level").and_then(|v| v.parse().ok()),
            admitted_on: text("admitted_on"),
            bill_date: text("bill_date"),
            lines,
            // A case id that is not a number names no case (refused), never "no case".
            injury_case_id: text("injury_case_id").map(|v| v.parse().unwrap_or(0)),
        }
    }
}

/// A line's catalogue code as the catalogue keeps it (NFKC, upper case: `ｚ001` is `Z001`), when it
/// can be one: 1–40 characters without control characters.
pub fn code_of(typed: Option<&str>) -> Option<String> {
    let code = jinbao_domain::text::nfkc(typed?.trim()).to_uppercase();
    ((1..=40).contains(&code.chars().count()) && jinbao_domain::text::name_problem(&code).is_none()).then_some(code)
}

/// What proposing gave: recorded, or (preview) computed only.
pub enum Outcome {
    Saved(Settlement),
    Preview(NewSettlement),
}

/// Checks the bill and settles it (nothing saved).
pub fn compute(tx: &mut TenantTx<'_>, f: &SettlementInput, today: NaiveDate) -> Result<NewSettlement, AppError> {
    let mut p = Problems::default();
    if f.person_id.is_none() {
        p.push("person_id", "required");
    }
    let setting = match f.setting.as_deref() {
        None => {
            p.push("setting", "required");
            None
        }
        Some(s) => Setting::parse(s).or_else(|| {
            p.push("setting", "medical.setting");
            None
        }),
    };
    let hospital = input::text(&mut p, "hospital", f.hospital.as_deref(), 200);
    if let Some(code) = hospital.as_deref().and_then(jinbao_domain::text::name_problem) {
        p.push("hospital", code);
    }
    match f.hospital_level {
        None => p.push("hospital_level", "required"),
        Some(l) if !(1..=3).contains(&l) => p.push("hospital_level", "medical.level"),
        Some(_) => {}
    }
    let bill_date = input::past_date(&mut p, "bill_date", f.bill_date.as_deref(), today);
    let admitted = match f.admitted_on.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => input::past_date(&mut p, "admitted_on", Some(s), today),
    };
    if let (Some(a), Some(b)) = (admitted, bill_date) {
        if a > b {
            p.push("admitted_on", "medical.admitted_after_bill");
        }
    }
    // The catalogue in force on the bill's day, when the province has imported one, decides each
    // line's class (a code it lacks is refused, a class typed otherwise too); without one the class
    // typed is used.
    let catalogue = match (bill_date, f.lines.len()) {
        (Some(day), 1..=medical::MAX_LINES) => {
            // Only codes that can be codes are looked up (a NUL never reaches the database).
            let codes: Vec<String> = f.lines.iter().filter_map(|l| code_of(l.code.as_deref())).collect();
            jinbao_store::repo::catalogue::classes_at(tx, day, &codes)?
                .map(|c| (c.version, c.classes.into_iter().collect::<std::collections::HashMap<String, String>>()))
        }
        _ => None,
    };
    let mut lines = Vec::new();
    if f.lines.is_empty() || f.lines.len() > medical::MAX_LINES {
        p.push("lines", "medical.lines_count");
    } else {
        for (i, l) in f.lines.iter().enumerate() {
            let Some(code) = code_of(l.code.as_deref()) else {
                p.push(&format!("lines[{i}].code"), "medical.code");
                continue;
            };
            let typed = l.class.as_deref().map(str::trim).filter(|c| !c.is_empty());
            let given = typed.and_then(Class::parse);
            if typed.is_some() && given.is_none() {
                p.push(&format!("lines[{i}].class"), "medical.class");
            }
            let class = match &catalogue {
                Some((_, found)) => match found.get(&code).and_then(|c| Class::parse(c)) {
                    None => {
                        p.push(&format!("lines[{i}].code"), "medical.unknown_code");
                        None
                    }
                    Some(c) if given.is_some_and(|g| g != c) => {
                        p.push(&format!("lines[{i}].class"), "medical.class_mismatch");
                        None
                    }
                    Some(c) => Some(c),
                },
                None => {
                    if typed.is_none() {
                        p.push(&format!("lines[{i}].class"), "medical.class");
                    }
                    given
                }
            };
            let amount = Fen::parse_yuan("amount", &input::yuan_text(l.amount.as_ref()).unwrap_or_default());
            match (&amount, class) {
                (Ok(a), Some(c)) => lines.push(Line { code, class: c, amount: *a }),
                (Err(e), _) => p.push(&format!("lines[{i}].amount"), e.code),
                _ => {}
            }
        }
        if p.0.is_empty() {
            if let Err(e) = medical::check_lines(&lines) {
                p.push(&e.field, e.code);
            }
        }
    }
    p.finish()?;
    let (person_id, setting, bill_date) = (f.person_id.expect("checked"), setting.expect("checked"), bill_date.expect("checked"));
    persons::get(tx, person_id).map_err(|e| match e {
        StoreError::NotFound => AppError::from(StoreError::invalid("person_id", "person.unknown")),
        e => e.into(),
    })?;
    let level = f.hospital_level.expect("checked");
    let hospital = hospital.expect("checked");
    if let Some(case_id) = f.injury_case_id {
        return injury_costs(tx, case_id, person_id, f, &hospital, level, admitted, bill_date, &lines);
    }
    let (from, version, params) = repo::params_at(tx, bill_date)?.ok_or_else(|| AppError::field("bill_date", "medical.no_parameters"))?;
    let retiree = repo::is_retiree(tx, person_id, bill_date)?;
    let ytd = repo::year_to_date(tx, person_id, bill_date.year())?;
    let balance = repo::account_balance(tx, person_id)?;
    let s = medical::settle(&params, &Bill { setting, level, retiree, lines: &lines }, ytd, Fen(balance))?;
    let deducted: i64 = s.parts.iter().filter(|p| p.rule == "deductible").map(|p| p.amount.0).sum();
    Ok(NewSettlement {
        person_id,
        setting: f.setting.clone().unwrap_or_default(),
        hospital,
        hospital_level: i16::from(level),
        admitted_on: admitted,
        bill_date,
        retiree,
        lines: json!(lines),
        inputs: json!({"params_from": Period::of_date(from).to_string(), "benefit_rule_version": version, "params": params,
                       "year_before": ytd, "account_balance_fen": balance, "retiree": retiree,
                       "catalogue_version": catalogue.as_ref().map(|(v, _)| v)}),
        calculation: json!(s),
        total_fen: s.total.0,
        fund_fen: s.fund.0,
        serious_fen: s.serious.0,
        account_fen: s.account.0,
        person_fen: s.person.0,
        deducted_fen: deducted,
        injury_case_id: None,
    })
}

/// A recognised injury's medical costs: the case must be the person's, recognised, insured, and
/// the bill not before the accident.
#[allow(clippy::too_many_arguments)]
fn injury_costs(
    tx: &mut TenantTx<'_>,
    case_id: i64,
    person_id: i64,
    f: &SettlementInput,
    hospital: &str,
    level: u8,
    admitted: Option<NaiveDate>,
    bill_date: NaiveDate,
    lines: &[Line],
) -> Result<NewSettlement, AppError> {
    let case = jinbao_store::repo::injury_cases::get(tx, case_id).map_err(|e| match e {
        StoreError::NotFound => AppError::field("injury_case_id", "injury.unknown_case"),
        e => e.into(),
    })?;
    if case.person_id != person_id {
        return Err(AppError::field("injury_case_id", "injury.unknown_case"));
    }
    if case.status != jinbao_store::kinds::InjuryStatus::Recognised {
        return Err(AppError::field("injury_case_id", "injury.not_recognised"));
    }
    if !case.fund_covers {
        return Err(AppError::field("injury_case_id", "injury.employer_pays"));
    }
    if bill_date < case.accident_date {
        return Err(AppError::field("bill_date", "injury.bill_before_accident"));
    }
    let s = medical::settle_injury(lines)?;
    Ok(NewSettlement {
        person_id,
        setting: f.setting.clone().unwrap_or_default(),
        hospital: hospital.to_string(),
        hospital_level: i16::from(level),
        admitted_on: admitted,
        bill_date,
        retiree: false,
        lines: json!(lines),
        inputs: json!({"injury_case_id": case.id, "accident_date": case.accident_date}),
        calculation: json!(s),
        total_fen: s.total.0,
        fund_fen: s.fund.0,
        serious_fen: 0,
        account_fen: 0,
        person_fen: s.person.0,
        deducted_fen: 0,
        injury_case_id: Some(case.id),
    })
}

/// Computes and records the settlement as a proposal, or with `preview` only computes it.
pub fn propose(tx: &mut TenantTx<'_>, f: &SettlementInput, today: NaiveDate, preview: bool) -> Result<Outcome, AppError> {
    let s = compute(tx, f, today)?;
    if preview {
        return Ok(Outcome::Preview(s));
    }
    Ok(Outcome::Saved(repo::propose(tx, &s)?))
}

/// Credits the personal accounts for a month (`YYYY-MM`, not after the current month).
pub fn credit_month(tx: &mut TenantTx<'_>, period: Option<&str>, today: NaiveDate) -> Result<Credited, AppError> {
    let mut p = Problems::default();
    let period = input::period(&mut p, "period", period);
    if period.is_some_and(|m| m > Period::of_date(today)) {
        p.push("period", "period.future");
    }
    p.finish()?;
    let period = period.expect("checked");
    let retiree = repo::params_at(tx, period.first_day())?.map_or(Fen(0), |(_, _, params)| params.retiree_account_monthly);
    Ok(repo::credit_month(tx, period.first_day(), retiree)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_lines_keep_grouping_commas_and_refuse_extra_cells() {
        let f: std::collections::HashMap<String, String> =
            [("lines_text".to_string(), "A01, 甲, 1,234.50\nB02\t乙\t20\n\nC03, 丙\nD04\tA\t1\t9".to_string())].into_iter().collect();
        let lines = SettlementInput::from_form(&f).lines;
        let amounts: Vec<Option<String>> = lines.iter().map(|l| crate::input::yuan_text(l.amount.as_ref())).collect();
        assert_eq!(amounts, [Some("1,234.50".into()), Some("20".into()), Some("?".into()), Some("?".into())]);
        assert_eq!(lines[1].class.as_deref(), Some("乙"));
    }
}
