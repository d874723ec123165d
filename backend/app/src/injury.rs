//! Work-injury cases: the report checked against the regulation's deadlines, the recognition
//! (proposed, then decided by another user), the ability assessment and the evidence documents.
//! The benefits of a case are in `benefits::work_injury`.

use chrono::NaiveDate;
use jinbao_domain::benefits::work_injury::{self, CareLevel, Reporter};
use jinbao_store::repo::injury_cases::{self, InjuryCase, NewCase};
use jinbao_store::repo::{employers, persons};
use jinbao_store::{StoreError, TenantTx};
use serde::Deserialize;

use crate::error::{AppError, Problems};
use crate::input;

/// At most this many bytes in one evidence document.
pub const MAX_DOCUMENT_BYTES: usize = 5 * 1024 * 1024;

/// A report of an accident at work (工伤认定申请).
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "InjuryReportInput")]
#[serde(deny_unknown_fields)]
pub struct ReportInput {
    /// The injured person (`person.unknown` when not in the caller's city).
    pub person_id: Option<i64>,
    /// The employer the person worked for (`employer.unknown`).
    pub employer_id: Option<i64>,
    /// The day of the accident (YYYY-MM-DD, not in the future).
    pub accident_date: Option<String>,
    /// The day the report was received (YYYY-MM-DD, not in the future, not before the accident,
    /// at most one year after it: `injury.report_too_late`).
    pub reported_on: Option<String>,
    /// `employer` (due within 30 days; later is accepted and flagged), `worker` or `family` (within one year).
    #[schemars(extend("enum" = ["employer", "worker", "family", null]))]
    pub reporter: Option<String>,
    /// What happened, at most 2,000 characters.
    pub accident: Option<String>,
    /// The diagnosis, at most 500 characters.
    pub diagnosis: Option<String>,
}

fn person_exists(tx: &mut TenantTx<'_>, id: i64) -> Result<(), AppError> {
    persons::get(tx, id).map(|_| ()).map_err(|e| match e {
        StoreError::NotFound => AppError::from(StoreError::invalid("person_id", "person.unknown")),
        e => e.into(),
    })
}

/// Checks and records a report. Whether the fund covers the case follows from the person's
/// work-injury enrolment with the employer on the day of the accident.
pub fn report(tx: &mut TenantTx<'_>, f: &ReportInput, today: NaiveDate) -> Result<InjuryCase, AppError> {
    let mut p = Problems::default();
    if f.person_id.is_none() {
        p.push("person_id", "required");
    }
    if f.employer_id.is_none() {
        p.push("employer_id", "required");
    }
    let accident = input::past_date(&mut p, "accident_date", f.accident_date.as_deref(), today);
    let reported = input::past_date(&mut p, "reported_on", f.reported_on.as_deref(), today);
    let reporter = match f.reporter.as_deref().map(str::trim) {
        None | Some("") => {
            p.push("reporter", "required");
            None
        }
        Some(s) => Reporter::parse(s).or_else(|| {
            p.push("reporter", "injury.reporter");
            None
        }),
    };
    let text = |p: &mut Problems, field: &str, v: &Option<String>, max: usize| {
        let t = input::text(p, field, v.as_deref(), max)?;
        if let Some(code) = jinbao_domain::text::text_problem(&t) {
            p.push(field, code);
            return None;
        }
        Some(t)
    };
    let accident_text = text(&mut p, "accident", &f.accident, 2000);
    let diagnosis = text(&mut p, "diagnosis", &f.diagnosis, 500);
    let timing = match (reporter, accident, reported) {
        (Some(r), Some(a), Some(d)) => p.take(work_injury::report_timing(r, a, d)),
        _ => None,
    };
    p.finish()?;
    let (person_id, employer_id) = (f.person_id.expect("checked"), f.employer_id.expect("checked"));
    person_exists(tx, person_id)?;
    employers::get(tx, employer_id).map_err(|e| match e {
        StoreError::NotFound => AppError::from(StoreError::invalid("employer_id", "employer.unknown")),
        e => e.into(),
    })?;
    let timing = timing.expect("checked");
    Ok(injury_cases::report(
        tx,
        &NewCase {
            person_id,
            employer_id,
            accident_date: accident.expect("checked"),
            reported_on: reported.expect("checked"),
            reporter: reporter.expect("checked").code(),
            report_due: timing.report_due,
            late_report: timing.late,
            decision_due: timing.decision_due,
            accident: accident_text.expect("checked"),
            diagnosis: diagnosis.expect("checked"),
        },
    )?)
}

/// The clerk's proposed recognition.
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "InjuryRecognitionInput")]
#[serde(deny_unknown_fields)]
pub struct RecognitionInput {
    /// `recognised` (认定为工伤) or `not_recognised` (不予认定).
    #[schemars(extend("enum" = ["recognised", "not_recognised", null]))]
    pub outcome: Option<String>,
    /// The reasons (the article of the regulation and the facts), 1–1,000 characters.
    pub reason: Option<String>,
}

pub fn propose_recognition(tx: &mut TenantTx<'_>, id: i64, f: &RecognitionInput) -> Result<InjuryCase, AppError> {
    let mut p = Problems::default();
    let recognised = match f.outcome.as_deref().map(str::trim) {
        Some("recognised") => Some(true),
        Some("not_recognised") => Some(false),
        None | Some("") => {
            p.push("outcome", "required");
            None
        }
        Some(_) => {
            p.push("outcome", "injury.outcome");
            None
        }
    };
    let reason = input::text(&mut p, "reason", f.reason.as_deref(), 1000);
    if let Some(code) = reason.as_deref().and_then(jinbao_domain::text::text_problem) {
        p.push("reason", code);
    }
    p.finish()?;
    Ok(injury_cases::propose(tx, id, recognised.expect("checked"), &reason.expect("checked"))?)
}

/// The ability assessment (劳动能力鉴定结论).
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "InjuryAssessmentInput")]
#[serde(deny_unknown_fields)]
pub struct AssessmentInput {
    /// Disability grade 1–10; absent when no grade is reached (未达级).
    pub grade: Option<u8>,
    /// `full`, `most` or `partial` when the person needs care (生活自理障碍); absent otherwise.
    #[schemars(extend("enum" = ["full", "most", "partial", null]))]
    pub care_level: Option<String>,
    /// The day of the conclusion (YYYY-MM-DD, not in the future).
    pub assessed_on: Option<String>,
    /// The assessment board (劳动能力鉴定委员会), at most 200 characters.
    pub board: Option<String>,
}

pub fn assess(tx: &mut TenantTx<'_>, id: i64, f: &AssessmentInput, today: NaiveDate) -> Result<InjuryCase, AppError> {
    let mut p = Problems::default();
    let grade = match f.grade {
        Some(g) => p.take(work_injury::check_grade(g)),
        None => None,
    };
    let care = match f.care_level.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => CareLevel::parse(s).or_else(|| {
            p.push("care_level", "injury.care_level");
            None
        }),
    };
    let on = input::past_date(&mut p, "assessed_on", f.assessed_on.as_deref(), today);
    let board = input::text(&mut p, "board", f.board.as_deref(), 200);
    if let Some(code) = board.as_deref().and_then(jinbao_domain::text::name_problem) {
        p.push("board", code);
    }
    p.finish()?;
    let case = injury_cases::get(tx, id)?;
    let on = on.expect("checked");
    if on < case.accident_date {
        return Err(AppError::field("assessed_on", "injury.assessed_before_accident"));
    }
    Ok(injury_cases::assess(tx, id, grade, care.map(CareLevel::code), on, &board.expect("checked"))?)
}

/// A document's name and type as uploaded, checked: a name of 1–200 characters without control
/// characters or path separators, one of the accepted types, 1 byte to 5 MiB.
pub fn check_document(file_name: &str, content_type: &str, len: usize) -> Result<(String, &'static str), AppError> {
    let name = file_name.rsplit(['/', '\\']).next().unwrap_or("").trim();
    if name.is_empty() || name.chars().count() > 200 || jinbao_domain::text::name_problem(name).is_some() {
        return Err(AppError::field("file", "injury.document_name"));
    }
    if len == 0 || len > MAX_DOCUMENT_BYTES {
        return Err(AppError::field("file", "injury.document_size"));
    }
    let lower = name.to_ascii_lowercase();
    let kind = match () {
        _ if lower.ends_with(".pdf") => "application/pdf",
        _ if lower.ends_with(".jpg") || lower.ends_with(".jpeg") => "image/jpeg",
        _ if lower.ends_with(".png") => "image/png",
        _ => return Err(AppError::field("file", "injury.document_type")),
    };
    let _ = content_type;
    Ok((name.to_string(), kind))
}

/// Checks the document's first bytes against its type (a PDF starts `%PDF-`, a JPEG `FF D8 FF`, a
/// PNG its signature): a renamed file of another kind is refused.
pub fn check_signature(kind: &str, content: &[u8]) -> Result<(), AppError> {
    let ok = match kind {
        "application/pdf" => content.starts_with(b"%PDF-"),
        "image/jpeg" => content.starts_with(&[0xFF, 0xD8, 0xFF]),
        "image/png" => content.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]),
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(AppError::field("file", "injury.document_type"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_are_named_typed_and_bounded() {
        assert_eq!(check_document("C:\\scan\\事故报告.PDF", "", 10).unwrap(), ("事故报告.PDF".to_string(), "application/pdf"));
        assert!(check_document("x.exe", "", 10).is_err());
        assert!(check_document("x.pdf", "", 0).is_err());
        assert!(check_document("x.pdf", "", MAX_DOCUMENT_BYTES + 1).is_err());
        assert!(check_document("a\u{0}.pdf", "", 1).is_err());
        assert!(check_document("fdp\u{202E}.pdf", "", 1).is_err());
        assert!(check_signature("application/pdf", b"%PDF-1.7").is_ok());
        assert!(check_signature("application/pdf", b"<html>").is_err());
        assert!(check_signature("image/png", &[0x89, b'P', b'N', b'G', 13, 10, 26, 10, 0]).is_ok());
    }
}
