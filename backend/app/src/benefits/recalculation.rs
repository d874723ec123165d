//! Recalculation of running pensions when a figure they used provisionally is published: the payout
//! base C of the retirement year, or a year's crediting rate. Each affected claim is recomputed from
//! its stored inputs and the person's record as the proposal was; where a figure has been published
//! since, a revision is proposed for a reviewer (`repo::revisions`).

use chrono::NaiveDate;
use jinbao_store::repo::{benefits, revisions};
use jinbao_store::TenantTx;
use serde::Serialize;
use serde_json::{json, Value};

use super::pension::{self, PensionInputForm};
use super::ChannelInput;
use crate::error::AppError;

#[derive(Debug, Default, Serialize, schemars::JsonSchema)]
#[schemars(rename = "RecalculationOutcome")]
pub struct Outcome {
    /// Running pensions with a provisional figure.
    pub examined: usize,
    /// Revisions proposed (ids).
    pub proposed: Vec<i64>,
    /// Claims whose figures are still not published.
    pub still_provisional: Vec<i64>,
    /// Claims that could not be recomputed, with the code why.
    pub failed: Vec<Value>,
}

/// What was published since the claim was computed: the payout base year moved towards the
/// retirement year, or crediting rates no longer provisional. `None` when nothing was.
pub fn published_since(old: &Value, new: &Value) -> Option<Value> {
    let c_year = |k: &Value| k["payout_base"]["year"].as_i64();
    let provisional = |k: &Value| -> Vec<i64> {
        k["account"]["provisional_rate_years"].as_array().map(|a| a.iter().filter_map(Value::as_i64).collect()).unwrap_or_default()
    };
    let (old_c, new_c) = (c_year(old), c_year(new));
    let rates: Vec<i64> = provisional(old).into_iter().filter(|y| !provisional(new).contains(y)).collect();
    let c_published = new_c > old_c;
    if !c_published && rates.is_empty() {
        return None;
    }
    let mut out = json!({});
    if c_published {
        out["payout_base"] =
            json!({"from_year": old_c, "to_year": new_c, "from_fen": old["payout_base"]["fen"], "to_fen": new["payout_base"]["fen"]});
    }
    if !rates.is_empty() {
        out["rates"] = json!(rates);
    }
    Some(out)
}

/// Recomputes every running pension with a provisional figure and proposes a revision where a
/// figure has been published since.
pub fn recalculate(tx: &mut TenantTx<'_>, today: NaiveDate) -> Result<Outcome, AppError> {
    let mut out = Outcome::default();
    for id in revisions::provisional_pensions(tx)? {
        out.examined += 1;
        let claim = benefits::get(tx, id)?;
        let form = PensionInputForm {
            person_id: claim.person_id,
            category: claim.inputs["category"].as_str().map(str::to_string),
            deemed_months: claim.inputs["deemed_months"].as_u64().unwrap_or(0) as u32,
            channel: ChannelInput {
                channel: Some(claim.channel.to_string()),
                bank_name: claim.bank_name.clone(),
                account_no: claim.account_no.clone(),
                post_address: claim.post_address.clone(),
            },
        };
        let new = match pension::propose(tx, &form, today) {
            Ok(n) => n,
            Err(AppError::Validation(ps)) => {
                out.failed.push(json!({"claim_id": id, "code": ps.first().map(|p| p.code.clone())}));
                continue;
            }
            Err(e) => return Err(e),
        };
        match published_since(&claim.calculation, &new.calculation) {
            Some(published) => out.proposed.push(revisions::propose(tx, id, &published, new.amount_fen, &new.calculation)?.id),
            None => out.still_provisional.push(id),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_published_figures_make_a_revision() {
        let old = json!({"payout_base": {"year": 2025, "fen": 673_800}, "account": {"provisional_rate_years": [2025, 2026]}});
        assert_eq!(published_since(&old, &old), None);
        let c = json!({"payout_base": {"year": 2026, "fen": 690_000}, "account": {"provisional_rate_years": [2025, 2026]}});
        assert_eq!(published_since(&old, &c).unwrap()["payout_base"]["to_fen"], 690_000);
        let r = json!({"payout_base": {"year": 2025, "fen": 673_800}, "account": {"provisional_rate_years": [2026]}});
        assert_eq!(published_since(&old, &r).unwrap()["rates"], json!([2025]));
    }
}
