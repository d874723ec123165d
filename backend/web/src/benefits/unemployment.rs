//! Unemployment benefit (REFERENCE §7): at least a year contributed and an involuntary job loss;
//! months by contribution months plus unused earlier entitlement (capped at 24); the monthly
//! amount is the tenant's share of the minimum wage, above the subsistence level. Paid from the
//! month after separation; stops when the person is employed again.

use chrono::NaiveDate;
use jinbao_domain::benefits::unemployment;
use jinbao_domain::{Fen, Period, RateBp};
use jinbao_store::repo::benefits::{self, NewClaim};
use jinbao_store::repo::{employments, persons};
use jinbao_store::{StoreError, TenantTx};
use serde::Deserialize;
use serde_json::json;

use super::ChannelInput;
use crate::error::{ApiError, Problems};

#[derive(Debug, Clone, Deserialize)]
pub struct UnemploymentInputForm {
    pub person_id: i64,
    pub involuntary: Option<bool>,
    /// The day the job ended (YYYY-MM-DD).
    pub separated_on: Option<String>,
    #[serde(flatten)]
    pub channel: ChannelInput,
}

pub fn propose(tx: &mut TenantTx<'_>, f: &UnemploymentInputForm, today: NaiveDate) -> Result<NewClaim, ApiError> {
    let mut p = Problems::default();
    let separated = crate::api::input::past_date(&mut p, "separated_on", f.separated_on.as_deref(), today);
    if f.involuntary.is_none() {
        p.push("involuntary", "required");
    }
    let channel = f.channel.parse(&mut p);
    p.finish()?;
    let (separated, channel) = (separated.expect("checked"), channel.expect("checked"));
    let person = persons::get(tx, f.person_id).map_err(|e| match e {
        StoreError::NotFound => ApiError::from(StoreError::invalid("person_id", "person.unknown")),
        e => e.into(),
    })?;
    if employments::of_person(tx, person.id)?.iter().any(|e| e.end_date.is_none_or(|end| end > separated)) {
        return Err(StoreError::invalid("person_id", "unemployment.still_employed").into());
    }
    // The benefit is for a person registered as unemployed and seeking work (REFERENCE §7).
    let registration = jinbao_store::repo::labour::open_registration(tx, person.id)?
        .ok_or_else(|| ApiError::from(StoreError::invalid("person_id", "unemployment.not_registered")))?;
    let rule = benefits::rule(tx)?;
    let contributed = benefits::months(tx, person.id, "unemployment")?.iter().filter(|m| m.period <= separated).count() as u32;
    unemployment::eligible(contributed, f.involuntary.unwrap_or(false))?;
    let entitled = unemployment::entitlement_months(contributed);
    let unused = benefits::unused_unemployment_months(tx, person.id)? as u32;
    let months = unemployment::with_carry_over(entitled, unused);
    let amount = unemployment::monthly_amount(Fen(rule.min_wage_fen), Fen(rule.subsistence_fen), RateBp(rule.unemployment_percent_bp))?;
    let start = Period::of_date(separated).plus_months(1).expect("valid period");
    let end = start.plus_months(months as i32 - 1).expect("valid period");
    let mut claim = NewClaim {
        person_id: person.id,
        kind: "unemployment",
        inputs: json!({"involuntary": f.involuntary, "separated_on": separated, "registration_id": registration.id,
                       "benefit_rule_version": rule.version}),
        calculation: json!({"contributed_months": contributed, "entitled_months_new": entitled, "unused_prior_months": unused,
                            "entitled_months": months, "min_wage_fen": rule.min_wage_fen, "subsistence_fen": rule.subsistence_fen,
                            "percent_bp": rule.unemployment_percent_bp, "monthly_fen": amount.0,
                            "first_period": start.to_string(), "last_period": end.to_string()}),
        amount_fen: amount.0,
        monthly: true,
        start_period: start.first_day(),
        end_period: Some(end.first_day()),
        channel: String::new(),
        bank_name: None,
        account_no: None,
        post_address: None,
    };
    channel.apply(&mut claim);
    Ok(claim)
}
