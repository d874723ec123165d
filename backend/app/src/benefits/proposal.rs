//! A benefit proposal, one kind at a time, as the API (JSON) and the page (form fields) send it:
//! computed inside the tenant's transaction, then recorded — or only computed (`preview`), so the
//! clerk sees every figure before anything is saved.

use std::collections::HashMap;

use chrono::NaiveDate;
use jinbao_store::repo::benefits::{self, Claim, NewClaim};
use jinbao_store::TenantTx;
use serde_json::json;

use super::maternity::MaternityInputForm;
use super::pension::PensionInputForm;
use super::unemployment::UnemploymentInputForm;
use super::work_injury::InjuryBenefitInputForm;
use super::ChannelInput;
use crate::error::AppError;

pub enum ProposalInput {
    Pension(PensionInputForm),
    Unemployment(UnemploymentInputForm),
    Maternity(MaternityInputForm),
    Injury(InjuryBenefitInputForm),
}

/// What proposing gave: the claim recorded, or (preview) the claim as it would be.
pub enum Proposed {
    Saved(Claim),
    Preview(NewClaim),
}

impl ProposalInput {
    /// The page's form: every field as text, `kind` choosing the benefit (unknown: not found).
    /// Numbers the form leaves empty take the form's defaults (no deemed months, one baby).
    pub fn from_form(kind: &str, person_id: i64, f: &HashMap<String, String>) -> Result<ProposalInput, AppError> {
        let text = |k: &str| f.get(k).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        let number = |k: &str| text(k).and_then(|v| v.parse().ok());
        let checked = |k: &str| f.get(k).is_some_and(|v| v == "1");
        let channel = ChannelInput {
            channel: text("channel"),
            bank_name: text("bank_name"),
            account_no: text("account_no"),
            post_address: text("post_address"),
        };
        Ok(match kind {
            "pension" => ProposalInput::Pension(PensionInputForm {
                person_id,
                category: text("category"),
                deemed_months: number("deemed_months").unwrap_or(0),
                channel,
            }),
            "unemployment" => ProposalInput::Unemployment(UnemploymentInputForm {
                person_id,
                involuntary: Some(checked("involuntary")),
                separated_on: f.get("separated_on").cloned(),
                channel,
            }),
            "maternity" => ProposalInput::Maternity(MaternityInputForm {
                person_id,
                employer_id: text("employer_id").and_then(|v| v.parse().ok()).unwrap_or(0),
                case: f.get("case").cloned(),
                babies: number("babies").unwrap_or(1),
                difficult: checked("difficult"),
                four_months_or_more: checked("four_months_or_more"),
                event_date: f.get("event_date").cloned(),
                employer_avg_wage: text("employer_avg_wage").map(|v| json!(v)),
                channel,
            }),
            k if k.starts_with("injury_") => {
                // Up to 10 dependants as rows dep_name_N, dep_relation_N, dep_extra_N (empty rows skipped).
                let dependants = (0..10)
                    .filter_map(|i| {
                        let name = text(&format!("dep_name_{i}"))?;
                        Some(jinbao_domain::benefits::work_injury::Dependant {
                            name,
                            relation: text(&format!("dep_relation_{i}")).unwrap_or_default(),
                            orphan_or_lone_elder: checked(&format!("dep_extra_{i}")),
                        })
                    })
                    .collect();
                ProposalInput::Injury(InjuryBenefitInputForm {
                    injury_case_id: text("injury_case_id").and_then(|v| v.parse().ok()).unwrap_or(0),
                    benefit: Some(k.to_string()),
                    wage: text("wage").map(|v| json!(v)),
                    died_on: text("died_on"),
                    from_injury: Some(!checked("other_cause")),
                    dependants,
                    channel,
                })
            }
            _ => return Err(AppError::NotFound),
        })
    }

    /// The claim with every figure, computed from the records (nothing saved).
    pub fn compute(&self, tx: &mut TenantTx<'_>, today: NaiveDate) -> Result<NewClaim, AppError> {
        match self {
            ProposalInput::Pension(f) => super::pension::propose(tx, f, today),
            ProposalInput::Unemployment(f) => super::unemployment::propose(tx, f, today),
            ProposalInput::Maternity(f) => super::maternity::propose(tx, f, today),
            ProposalInput::Injury(f) => super::work_injury::propose(tx, f, today),
        }
    }
}

/// Computes the claim and records it as a proposal (maker-checker: another user decides), or
/// with `preview` only computes it.
pub fn propose(tx: &mut TenantTx<'_>, input: &ProposalInput, today: NaiveDate, preview: bool) -> Result<Proposed, AppError> {
    let claim = input.compute(tx, today)?;
    if preview {
        return Ok(Proposed::Preview(claim));
    }
    Ok(Proposed::Saved(benefits::propose(tx, &claim)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn the_form_chooses_the_kind_and_fills_its_defaults() {
        let f = form(&[("category", " male "), ("deemed_months", ""), ("channel", "bank"), ("bank_name", "工行")]);
        match ProposalInput::from_form("pension", 7, &f).unwrap() {
            ProposalInput::Pension(p) => {
                assert_eq!((p.person_id, p.category.as_deref(), p.deemed_months), (7, Some("male"), 0));
                assert_eq!((p.channel.channel.as_deref(), p.channel.account_no), (Some("bank"), None));
            }
            _ => panic!("pension"),
        }
        match ProposalInput::from_form("maternity", 7, &form(&[("difficult", "1"), ("babies", "2"), ("employer_avg_wage", " ")])).unwrap() {
            ProposalInput::Maternity(m) => {
                assert_eq!((m.babies, m.difficult, m.four_months_or_more, m.employer_avg_wage), (2, true, false, None))
            }
            _ => panic!("maternity"),
        }
        match ProposalInput::from_form("unemployment", 7, &form(&[])).unwrap() {
            ProposalInput::Unemployment(u) => assert_eq!(u.involuntary, Some(false)),
            _ => panic!("unemployment"),
        }
        assert!(matches!(ProposalInput::from_form("injury", 7, &f), Err(AppError::NotFound)));
        let dead = form(&[
            ("injury_case_id", "9"),
            ("died_on", "2026-05-02"),
            ("dep_name_0", "李四"),
            ("dep_relation_0", "spouse"),
            ("dep_name_1", " "),
            ("dep_name_2", "李小"),
            ("dep_relation_2", "child"),
            ("dep_extra_2", "1"),
        ]);
        match ProposalInput::from_form("injury_survivor", 7, &dead).unwrap() {
            ProposalInput::Injury(i) => {
                assert_eq!((i.injury_case_id, i.benefit.as_deref(), i.from_injury), (9, Some("injury_survivor"), Some(true)));
                let deps: Vec<_> = i.dependants.iter().map(|d| (d.name.as_str(), d.relation.as_str(), d.orphan_or_lone_elder)).collect();
                assert_eq!(deps, [("李四", "spouse", false), ("李小", "child", true)]);
            }
            _ => panic!("injury"),
        }
    }
}
