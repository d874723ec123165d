//! Employment services (就业服务): registering a person as unemployed, vocational training,
//! employment-service contacts. The inputs arrive as text alike from the JSON API and the page
//! forms; `parse` turns each into a typed value or every field problem at once, so the operations
//! below take only checked values.

use chrono::NaiveDate;
use jinbao_domain::Fen;
use jinbao_store::repo::labour::{self, NewTraining, Registration, Training};
use jinbao_store::TenantTx;
use serde::Deserialize;
use serde_json::Value;

use crate::error::{AppError, Problems};
use crate::input;

pub const REASONS: [&str; 6] = ["dismissed", "contract_ended", "employer_closed", "resigned", "graduate", "other"];
pub const CONTACTS: [&str; 5] = ["job_referral", "counselling", "job_fair", "policy_advice", "other"];
pub const STATUSES: [&str; 3] = ["seeking", "re_employed", "closed"];

/// Registration as unemployed (失业登记), as sent.
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "UnemploymentRegistrationInput")]
pub struct RegisterInput {
    /// Registration date, not after today (`date.future`). Format `YYYY-MM-DD` (missing or empty: `required`; otherwise
    /// `date.format`).
    pub registered_on: Option<String>,
    pub reason: Option<String>,
}

/// A registration to record: on a day not in the future, for a known reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRegistration {
    pub registered_on: NaiveDate,
    pub reason: String,
}

impl RegisterInput {
    pub fn parse(self, today: NaiveDate) -> Result<NewRegistration, AppError> {
        let mut p = Problems::default();
        let on = input::past_date(&mut p, "registered_on", self.registered_on.as_deref(), today);
        let reason = self.reason.map(|r| r.trim().to_string()).filter(|r| REASONS.contains(&r.as_str()));
        if reason.is_none() {
            p.push("reason", "labour.reason");
        }
        // Each field is either parsed or has its problem recorded.
        match (on, reason) {
            (Some(registered_on), Some(reason)) => Ok(NewRegistration { registered_on, reason }),
            _ => Err(p.finish().err().unwrap_or_else(|| AppError::field("registered_on", "required"))),
        }
    }
}

/// A vocational training (职业培训), as sent; the subsidy in yuan (absent: none).
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TrainingInput {
    /// Course, 1–100 characters after trimming (`required`, `text.too_long`).
    pub course: Option<String>,
    /// Training provider, 1–100 characters after trimming (`required`, `text.too_long`).
    pub provider: Option<String>,
    /// Start date (it may lie in the future: a planned course). Format `YYYY-MM-DD` (missing or empty: `required`;
    /// otherwise `date.format`). The month of this date counts the trainee in the statistics.
    pub start_date: Option<String>,
    /// Optional end date (empty or `null`: none), not before the start date (`date.order`; `date.format`).
    pub end_date: Option<String>,
    /// Optional certificate number (trimmed; empty: none).
    pub certificate_no: Option<String>,
    /// Training subsidy (培训补贴) in yuan; missing or `null` is 0 (an empty string is `required`; `money.format`). Stored
    /// as fen in `subsidy_fen`.
    #[schemars(with = "Option<crate::input::YuanInput>")]
    pub subsidy: Option<Value>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTrainingInput {
    pub course: String,
    pub provider: String,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    pub certificate_no: Option<String>,
    pub subsidy: Fen,
}

impl TrainingInput {
    pub fn parse(self) -> Result<NewTrainingInput, AppError> {
        let mut p = Problems::default();
        let course = input::text(&mut p, "course", self.course.as_deref(), 100);
        let provider = input::text(&mut p, "provider", self.provider.as_deref(), 100);
        let start = input::date(&mut p, "start_date", self.start_date.as_deref());
        let end = input::opt_text(self.end_date).and_then(|v| input::date(&mut p, "end_date", Some(&v)));
        if let (Some(s), Some(e)) = (start, end) {
            if e < s {
                p.push("end_date", "date.order");
            }
        }
        let subsidy = match &self.subsidy {
            None | Some(Value::Null) => Some(Fen(0)),
            Some(Value::String(s)) if s.trim().is_empty() => Some(Fen(0)),
            v => input::yuan(&mut p, "subsidy", v.as_ref()),
        };
        let certificate_no = input::opt_text_max(&mut p, "certificate_no", self.certificate_no, 50);
        match (course, provider, start, subsidy) {
            (Some(course), Some(provider), Some(start_date), Some(subsidy)) if p.0.is_empty() => {
                Ok(NewTrainingInput { course, provider, start_date, end_date: end, certificate_no, subsidy })
            }
            _ => Err(p.finish().err().unwrap_or_else(|| AppError::field("course", "required"))),
        }
    }
}

/// An employment-service contact (就业服务记录), as sent.
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "ServiceContactInput")]
pub struct ContactInput {
    /// Date of the service, not after today (`date.future`). Format `YYYY-MM-DD` (missing or empty: `required`;
    /// otherwise `date.format`).
    pub contacted_on: Option<String>,
    pub kind: Option<String>,
    /// Optional note, at most 500 characters after trimming (`text.too_long`); empty: none.
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewContact {
    pub contacted_on: NaiveDate,
    pub kind: String,
    pub note: Option<String>,
}

impl ContactInput {
    pub fn parse(self, today: NaiveDate) -> Result<NewContact, AppError> {
        let mut p = Problems::default();
        let on = input::past_date(&mut p, "contacted_on", self.contacted_on.as_deref(), today);
        let kind = self.kind.map(|k| k.trim().to_string()).filter(|k| CONTACTS.contains(&k.as_str()));
        if kind.is_none() {
            p.push("kind", "labour.contact_kind");
        }
        let note = input::opt_text_max(&mut p, "note", self.note, 500);
        match (on, kind) {
            (Some(contacted_on), Some(kind)) if p.0.is_empty() => Ok(NewContact { contacted_on, kind, note }),
            _ => Err(p.finish().err().unwrap_or_else(|| AppError::field("contacted_on", "required"))),
        }
    }
}

pub fn register(tx: &mut TenantTx<'_>, person_id: i64, r: &NewRegistration) -> Result<Registration, AppError> {
    Ok(labour::register(tx, person_id, r.registered_on, &r.reason)?)
}

pub fn add_training(tx: &mut TenantTx<'_>, person_id: i64, t: &NewTrainingInput) -> Result<Training, AppError> {
    let row = NewTraining {
        course: &t.course,
        provider: &t.provider,
        start_date: t.start_date,
        end_date: t.end_date,
        certificate_no: t.certificate_no.as_deref(),
        subsidy_fen: t.subsidy.0,
    };
    Ok(labour::add_training(tx, person_id, &row)?)
}

/// The id of the recorded contact.
pub fn add_contact(tx: &mut TenantTx<'_>, person_id: i64, c: &NewContact) -> Result<i64, AppError> {
    Ok(labour::add_contact(tx, person_id, c.contacted_on, &c.kind, c.note.as_deref())?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn codes(e: AppError) -> Vec<(String, String)> {
        match e {
            AppError::Validation(v) => v.into_iter().map(|f| (f.field, f.code)).collect(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_registration_needs_a_past_day_and_a_known_reason() {
        let ok = RegisterInput { registered_on: Some("2026-03-01".into()), reason: Some(" dismissed ".into()) }.parse(day("2026-03-01"));
        assert_eq!(ok.unwrap(), NewRegistration { registered_on: day("2026-03-01"), reason: "dismissed".into() });
        let bad = RegisterInput { registered_on: Some("2026-03-02".into()), reason: Some("bored".into()) }.parse(day("2026-03-01"));
        assert_eq!(codes(bad.unwrap_err()), [("registered_on".into(), "date.future".into()), ("reason".into(), "labour.reason".into())]);
        assert_eq!(codes(RegisterInput::default().parse(day("2026-03-01")).unwrap_err()).len(), 2);
    }

    #[test]
    fn a_training_checks_its_dates_and_subsidy() {
        let t = TrainingInput {
            course: Some("电工".into()),
            provider: Some("许昌职校".into()),
            start_date: Some("2026-01-05".into()),
            end_date: Some("".into()),
            certificate_no: Some(" ".into()),
            subsidy: Some(json!("")),
        }
        .parse()
        .unwrap();
        assert_eq!((t.end_date, t.certificate_no, t.subsidy), (None, None, Fen(0)));
        let t = TrainingInput {
            course: Some("电工".into()),
            provider: Some("许昌职校".into()),
            start_date: Some("2026-01-05".into()),
            end_date: Some("2026-01-04".into()),
            certificate_no: None,
            subsidy: Some(json!("12.345")),
        }
        .parse();
        let c = codes(t.unwrap_err());
        assert!(c.contains(&("end_date".into(), "date.order".into())), "{c:?}");
        assert!(c.iter().any(|(f, _)| f == "subsidy"), "{c:?}");
        let ok = TrainingInput { subsidy: Some(json!("1200.50")), ..full_training() }.parse().unwrap();
        assert_eq!(ok.subsidy, Fen(120_050));
    }

    fn full_training() -> TrainingInput {
        TrainingInput {
            course: Some("电工".into()),
            provider: Some("许昌职校".into()),
            start_date: Some("2026-01-05".into()),
            end_date: None,
            certificate_no: None,
            subsidy: None,
        }
    }

    #[test]
    fn a_contact_has_a_known_kind_and_a_bounded_note() {
        let today = day("2026-03-01");
        let ok =
            ContactInput { contacted_on: Some("2026-02-01".into()), kind: Some("job_fair".into()), note: Some(" 参加招聘会 ".into()) };
        assert_eq!(ok.parse(today).unwrap().note.as_deref(), Some("参加招聘会"));
        let bad = ContactInput { contacted_on: Some("2026-02-01".into()), kind: Some("party".into()), note: Some("长".repeat(501)) };
        let c = codes(bad.parse(today).unwrap_err());
        assert_eq!(c.iter().map(|(f, _)| f.as_str()).collect::<Vec<_>>(), ["kind", "note"]);
    }

    #[test]
    fn one_bad_field_refuses_the_whole_form() {
        let today = day("2026-03-01");
        let c = ContactInput { contacted_on: Some("2026-02-01".into()), kind: Some("job_fair".into()), note: Some("长".repeat(501)) };
        assert_eq!(codes(c.parse(today).unwrap_err()), [("note".into(), "text.too_long".into())]);
        let t = TrainingInput { certificate_no: Some("号".repeat(51)), ..full_training() };
        assert_eq!(codes(t.parse().unwrap_err()), [("certificate_no".into(), "text.too_long".into())]);
        // A training may end the day it starts.
        let same = TrainingInput { end_date: Some("2026-01-05".into()), ..full_training() };
        assert_eq!(same.parse().unwrap().end_date, Some(day("2026-01-05")));
        let r = RegisterInput { registered_on: Some("2026-02-30".into()), reason: Some("dismissed".into()) };
        assert_eq!(codes(r.parse(today).unwrap_err()), [("registered_on".into(), "date.format".into())]);
    }
}
