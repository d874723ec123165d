//! The transfer information the sending city produces from its own records (docs/rules.md §9): the
//! contribution months and bases per year and per month, the personal account with its interest,
//! and the pooled fund (12% of the bases since 1998-01). Stored with the transfer and handed to the
//! receiving city once approved.

use chrono::NaiveDate;
use jinbao_domain::benefits::transfer;
use jinbao_domain::{Fen, Period};
use jinbao_store::kinds::{TenantKind, TransferSide};
use jinbao_store::repo::benefits;
use jinbao_store::repo::global;
use jinbao_store::repo::transfers::Transfer;
use jinbao_store::{StoreError, TenantTx};
use serde_json::{json, Value};

use crate::benefits::pension::personal_account;
use crate::error::{AppError, Problems};

/// The information and its total (personal account + pooled fund) for `person_id`.
pub fn information(tx: &mut TenantTx<'_>, person_id: i64, today: NaiveDate) -> Result<(Value, i64), AppError> {
    let months = benefits::months(tx, person_id, "pension")?;
    if months.is_empty() {
        return Err(StoreError::invalid("transfer", "transfer.no_contributions").into());
    }
    let bases: Vec<(Period, Fen)> = months.iter().map(|m| (Period::of_date(m.period), Fen(m.base_fen))).collect();
    let summary = transfer::summarize(&bases)?;
    let rule = benefits::rule(tx)?;
    let published = benefits::interest_rates(tx, rule.id)?;
    // The account as of the transfer month: its year's interest pro rata by month.
    let (balance, account_years) = personal_account(&months, rule.accounts_began, &published, Period::of_date(today))?;
    let funds = transfer::transfer_funds(&bases, balance)?;
    let info = json!({
        "months": summary.contribution_months,
        "pooled_months": summary.pooled_months,
        "pooled_base_sum_fen": summary.pooled_base_sum.0,
        "years": summary.years,
        "periods": months.iter().map(|m| json!({"period": m.period, "base_fen": m.base_fen, "employee_fen": m.employee_fen})).collect::<Vec<_>>(),
        "personal_account_fen": funds.personal_account.0,
        "pooled_fund_fen": funds.pooled_fund.0,
        "total_fen": funds.total.0,
        "interest": account_years.iter().map(|y| json!({"year": y.year, "rate_bp": y.rate.0})).collect::<Vec<_>>(),
        "account_years": account_years,
        "provisional_rate_years": account_years.iter().filter(|y| y.provisional).map(|y| y.year).collect::<Vec<_>>(),
        "as_of": today,
    });
    Ok((info, funds.total.0))
}

/// A transfer as this city sees it, with the other city named (identity number masked unless
/// the caller may see it in full).
pub fn view(t: &Transfer, tenants: &[global::TenantInfo], reveal: bool) -> TransferView {
    let other = tenants.iter().find(|x| x.id == t.other_tenant_id);
    let mut transfer = t.clone();
    if !reveal {
        transfer.id_number = jinbao_domain::id_number::mask(&t.id_number);
    }
    let other_city = OtherCity {
        code: other.map(|o| o.code.clone()),
        name_zh: other.map(|o| o.name_zh.clone()),
        name_en: other.map(|o| o.name_en.clone()),
    };
    TransferView { transfer, other_city }
}

/// A transfer (转移接续) as one of its two cities sees it. `info` is the sending city's
/// information sheet (参保缴费凭证) once produced: months, pooled months and base sum, yearly
/// bases, per-month bases, the personal account and pooled fund to move, the interest rates
/// used and the date it was computed.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
#[schemars(rename = "Transfer")]
pub struct TransferView {
    #[serde(flatten)]
    pub transfer: Transfer,
    pub other_city: OtherCity,
}

/// The other city of a transfer (null fields when it is not a tenant of the platform).
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
#[schemars(rename = "TransferCity")]
pub struct OtherCity {
    pub code: Option<String>,
    pub name_zh: Option<String>,
    pub name_en: Option<String>,
}

/// The reasons a sending city gives for refusing a letter.
pub const REFUSE_CODES: [&str; 4] = ["not_insured_here", "pension_paid", "transfer_open", "other"];

/// Checks a refusal: a known code, and a note (at most 200 characters) required with `other`.
pub fn refusal(code: Option<&str>, note: Option<&str>) -> Result<(String, Option<String>), AppError> {
    let code = code.map(str::trim).unwrap_or("");
    let note = note.map(str::trim).filter(|n| !n.is_empty());
    let mut p = Problems::default();
    if code.is_empty() {
        p.push("code", "required");
    } else if !REFUSE_CODES.contains(&code) {
        p.push("code", "transfer.refuse_code");
    }
    if (code == "other" && note.is_none()) || note.is_some_and(|n| n.chars().count() > 200) {
        p.push("note", "transfer.refuse_note");
    }
    p.finish()?;
    Ok((code.to_string(), note.map(str::to_string)))
}

/// Reads the opening form against the cities known: the sending city's tenant id and the person.
pub fn open_target(all: &[global::TenantInfo], from_city: Option<&str>, person_id: Option<i64>) -> Result<(i16, i64), AppError> {
    let from = from_city.and_then(|c| all.iter().find(|t| t.code == c.trim() && t.kind == TenantKind::City));
    let mut p = Problems::default();
    match (from, person_id) {
        (Some(from), Some(person)) => Ok((from.id, person)),
        _ => {
            if from.is_none() {
                p.push("from_city", if from_city.is_none() { "required" } else { "transfer.unknown_city" });
            }
            if person_id.is_none() {
                p.push("person_id", "required");
            }
            p.finish().map(|()| (0, 0))
        }
    }
}

/// The sending city's step: computes the information from its own records and proposes it for
/// approval. Only the sending side of a transfer whose letter named a person can do it.
pub fn propose_information(tx: &mut TenantTx<'_>, transfer_id: uuid::Uuid, today: NaiveDate) -> Result<Transfer, AppError> {
    let t = jinbao_store::repo::transfers::get(tx, transfer_id)?;
    if t.side != TransferSide::Out {
        return Err(StoreError::invalid("transfer", "transfer.wrong_side").into());
    }
    let person = t.person_id.ok_or_else(|| StoreError::conflict("transfer", "transfer.letter_pending"))?;
    let (info, total) = information(tx, person, today)?;
    Ok(jinbao_store::repo::transfers::propose_info(tx, transfer_id, &info, total)?)
}

/// Who takes a step: the sending city's processor, its reviewer (the second person on the
/// information), the receiving city, or anyone working on transfers (withdrawing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepRole {
    Sender,
    SenderReviewer,
    Receiver,
    Either,
}

/// One step on this city's side of a transfer, with its checked input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Accept,
    Refuse { code: String, note: Option<String> },
    Information { today: NaiveDate },
    Approve,
    FundsSent(Fen),
    FundsReceived(Fen),
    Complete,
    Cancel { reason: String },
}

/// A step as sent: its name (`accept`, `refuse`, `info`, `approve`, `funds-sent`,
/// `funds-received`, `complete`, `cancel`) and the fields some steps need.
#[derive(Debug, Default)]
pub struct StepInput {
    pub code: Option<String>,
    pub note: Option<String>,
    pub amount: Option<String>,
    pub reason: Option<String>,
}

impl Step {
    /// Who may take the step named `action`; `None` for a name that is no step.
    pub fn role(action: &str) -> Option<StepRole> {
        Some(match action {
            "accept" | "refuse" | "info" | "funds-sent" => StepRole::Sender,
            "approve" => StepRole::SenderReviewer,
            "funds-received" | "complete" => StepRole::Receiver,
            "cancel" => StepRole::Either,
            _ => return None,
        })
    }

    /// The step named `action` with its input checked (unknown names: not found).
    pub fn parse(action: &str, input: StepInput, today: NaiveDate) -> Result<Step, AppError> {
        let amount = || -> Result<Fen, AppError> { Ok(Fen::parse_yuan("amount", input.amount.as_deref().unwrap_or(""))?) };
        Ok(match action {
            "accept" => Step::Accept,
            "refuse" => {
                let (code, note) = refusal(input.code.as_deref(), input.note.as_deref())?;
                Step::Refuse { code, note }
            }
            "info" => Step::Information { today },
            "approve" => Step::Approve,
            "funds-sent" => Step::FundsSent(amount()?),
            "funds-received" => Step::FundsReceived(amount()?),
            "complete" => Step::Complete,
            "cancel" => {
                let mut p = Problems::default();
                let reason = crate::input::text(&mut p, "reason", input.reason.as_deref(), 200);
                match reason {
                    Some(reason) => Step::Cancel { reason },
                    None => return Err(p.finish().err().unwrap_or_else(|| AppError::field("reason", "required"))),
                }
            }
            _ => return Err(AppError::NotFound),
        })
    }
}

/// Takes `step` on this city's side of the transfer `transfer_id`.
pub fn take(tx: &mut TenantTx<'_>, transfer_id: uuid::Uuid, step: &Step) -> Result<Transfer, AppError> {
    use jinbao_store::repo::transfers as t;
    Ok(match step {
        Step::Accept => t::accept(tx, transfer_id)?,
        Step::Refuse { code, note } => t::refuse(tx, transfer_id, code, note.as_deref())?,
        Step::Information { today } => return propose_information(tx, transfer_id, *today),
        Step::Approve => t::approve_info(tx, transfer_id)?,
        Step::FundsSent(a) => t::funds_sent(tx, transfer_id, a.0)?,
        Step::FundsReceived(a) => t::funds_received(tx, transfer_id, a.0)?,
        Step::Complete => t::complete(tx, transfer_id)?,
        Step::Cancel { reason } => t::cancel(tx, transfer_id, reason)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
    }

    #[test]
    fn every_step_has_one_role_and_unknown_steps_none() {
        for (a, r) in [
            ("accept", StepRole::Sender),
            ("refuse", StepRole::Sender),
            ("info", StepRole::Sender),
            ("funds-sent", StepRole::Sender),
            ("approve", StepRole::SenderReviewer),
            ("funds-received", StepRole::Receiver),
            ("complete", StepRole::Receiver),
            ("cancel", StepRole::Either),
        ] {
            assert_eq!(Step::role(a), Some(r), "{a}");
        }
        assert_eq!(Step::role("delete"), None);
        assert!(matches!(Step::parse("delete", StepInput::default(), day()), Err(AppError::NotFound)));
    }

    #[test]
    fn steps_check_their_input() {
        let amount = |a: &str| StepInput { amount: Some(a.into()), ..StepInput::default() };
        assert_eq!(Step::parse("funds-sent", amount("1234.56"), day()).unwrap(), Step::FundsSent(Fen(123_456)));
        assert_eq!(Step::parse("funds-received", amount("１００"), day()).unwrap(), Step::FundsReceived(Fen(10_000)));
        assert!(matches!(Step::parse("funds-sent", amount("-1"), day()), Err(AppError::Validation(_))));
        assert!(matches!(Step::parse("funds-sent", StepInput::default(), day()), Err(AppError::Validation(_))));
        let refuse = |c: &str, n: &str| StepInput { code: Some(c.into()), note: Some(n.into()), ..StepInput::default() };
        assert!(matches!(Step::parse("refuse", refuse("other", ""), day()), Err(AppError::Validation(_))));
        assert_eq!(
            Step::parse("refuse", refuse("pension_paid", ""), day()).unwrap(),
            Step::Refuse { code: "pension_paid".into(), note: None }
        );
        let cancel = |r: &str| StepInput { reason: Some(r.into()), ..StepInput::default() };
        assert!(matches!(Step::parse("cancel", cancel("  "), day()), Err(AppError::Validation(_))));
        assert!(matches!(Step::parse("cancel", cancel(&"长".repeat(201)), day()), Err(AppError::Validation(_))));
        assert_eq!(Step::parse("cancel", cancel(" 申请人撤回 "), day()).unwrap(), Step::Cancel { reason: "申请人撤回".into() });
        assert_eq!(Step::parse("info", StepInput::default(), day()).unwrap(), Step::Information { today: day() });
    }

    fn city(id: i16, code: &str, kind: TenantKind) -> global::TenantInfo {
        global::TenantInfo { id, code: code.into(), name_zh: code.into(), name_en: code.into(), kind, status: "live".into(), wave: 1 }
    }

    #[test]
    fn a_letter_names_a_known_city_and_a_person() {
        let all = [city(1, "410000", TenantKind::Province), city(11, "411000", TenantKind::City), city(16, "411600", TenantKind::City)];
        assert_eq!(open_target(&all, Some(" 411600 "), Some(7)).unwrap(), (16, 7));
        let problems = |r: Result<(i16, i64), AppError>| match r {
            Err(AppError::Validation(v)) => v.into_iter().map(|f| (f.field, f.code)).collect::<Vec<_>>(),
            other => panic!("{other:?}"),
        };
        // The province is no sending city; an unknown code neither.
        assert_eq!(problems(open_target(&all, Some("410000"), Some(7))), [("from_city".to_string(), "transfer.unknown_city".to_string())]);
        assert_eq!(problems(open_target(&all, Some("419999"), Some(7))), [("from_city".to_string(), "transfer.unknown_city".to_string())]);
        assert_eq!(
            problems(open_target(&all, None, None)),
            [("from_city".to_string(), "required".to_string()), ("person_id".to_string(), "required".to_string())]
        );
        assert_eq!(problems(open_target(&all, Some("411000"), None)), [("person_id".to_string(), "required".to_string())]);
    }

    #[test]
    fn a_refusal_note_is_bounded_and_required_with_other() {
        assert!(refusal(Some("other"), Some(&"长".repeat(200))).is_ok());
        assert!(refusal(Some("other"), Some(&"长".repeat(201))).is_err());
        assert!(refusal(Some("pension_paid"), Some(&"长".repeat(201))).is_err());
        assert!(refusal(Some("other"), Some("  ")).is_err());
        assert!(refusal(Some("bogus"), None).is_err());
        assert!(refusal(None, None).is_err());
        assert_eq!(refusal(Some(" transfer_open "), Some("")).unwrap(), ("transfer_open".to_string(), None));
    }

    #[test]
    fn steps_without_input_parse_to_themselves() {
        for (a, s) in [("accept", Step::Accept), ("approve", Step::Approve), ("complete", Step::Complete)] {
            assert_eq!(Step::parse(a, StepInput::default(), day()).unwrap(), s, "{a}");
        }
        let cancel = StepInput { reason: Some("长".repeat(200)), ..StepInput::default() };
        assert!(Step::parse("cancel", cancel, day()).is_ok());
    }
}
