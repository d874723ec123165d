//! Unemployment benefit (docs/rules.md §7, 失业保险条例 art. 14, 17, 18): the facts — paid contribution
//! months, the earlier benefits, the registration, the county classes and minimum wages of the
//! tenant — gathered for the domain's rules: contribution time restarting after the last benefit
//! with its unused months added (at most 24), paid from the month of the unemployment
//! registration, at the tenant's share of the minimum wage of the person's county class. Stops
//! when the person is employed again.

use chrono::NaiveDate;
use jinbao_domain::benefits::{min_wage, unemployment};
use jinbao_domain::{Fen, Period, RateBp};
use jinbao_store::kinds::ClaimKind;
use jinbao_store::repo::benefits::{self, NewClaim};
use jinbao_store::repo::{employments, persons};
use jinbao_store::{StoreError, TenantTx};
use serde::Deserialize;
use serde_json::json;

use super::ChannelInput;
use crate::error::{AppError, Problems};

/// An unemployment benefit proposal. The payment channel: `channel` `bank` with `bank_name` and `account_no`, or `post`
/// with `post_address` (missing: `required`). Unknown fields are ignored in this body (it is not parsed strictly).
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "UnemploymentClaimInput")]
pub struct UnemploymentInputForm {
    /// The person; it must have an open unemployment registration (`unemployment.not_registered`).
    pub person_id: i64,
    /// Whether the job was lost involuntarily (非因本人意愿中断就业); `false` is refused (`unemployment.not_involuntary`);
    /// missing: `required`.
    pub involuntary: Option<bool>,
    /// The day the job ended (YYYY-MM-DD).
    pub separated_on: Option<String>,
    #[serde(flatten)]
    pub channel: ChannelInput,
}

pub fn propose(tx: &mut TenantTx<'_>, f: &UnemploymentInputForm, today: NaiveDate) -> Result<NewClaim, AppError> {
    let mut p = Problems::default();
    let separated = crate::input::past_date(&mut p, "separated_on", f.separated_on.as_deref(), today);
    if f.involuntary.is_none() {
        p.push("involuntary", "required");
    }
    let channel = f.channel.parse(&mut p);
    p.finish()?;
    let (separated, channel) = (separated.expect("checked"), channel.expect("checked"));
    let person = persons::get(tx, f.person_id).map_err(|e| match e {
        StoreError::NotFound => AppError::from(StoreError::invalid("person_id", "person.unknown")),
        e => e.into(),
    })?;
    if employments::of_person(tx, person.id)?.iter().any(|e| e.end_date.is_none_or(|end| end > separated)) {
        return Err(StoreError::invalid("person_id", "unemployment.still_employed").into());
    }
    // The benefit is for a person registered as unemployed and seeking work (docs/rules.md §7).
    let registration = jinbao_store::repo::labour::open_registration(tx, person.id)?
        .ok_or_else(|| AppError::from(StoreError::invalid("person_id", "unemployment.not_registered")))?;
    let rule = benefits::rule(tx)?;
    let separation = Period::of_date(separated);
    let paid: Vec<Period> = benefits::months(tx, person.id, "unemployment")?.iter().map(|m| Period::of_date(m.period)).collect();
    // Art. 17: after an earlier benefit only the months after it count, and its unused months add on.
    let earlier = benefits::unemployment_benefits(tx, person.id)?;
    let priors: Vec<unemployment::PriorBenefit> = earlier.iter().map(|(_, b)| *b).collect();
    let last = unemployment::last_benefit_index(&priors).map(|i| earlier[i]);
    let prior = last.map(|(_, b)| b);
    let total = unemployment::counted_months(&paid, separation, None);
    let contributed = unemployment::counted_months(&paid, separation, prior.as_ref());
    let unused = prior.map_or(0, |b| b.unused_months());
    let entitled = unemployment::entitlement(contributed, unused, f.involuntary.unwrap_or(false))?;
    // Art. 18: from the month of the registration date.
    let (start, end) = unemployment::benefit_period(registration.registered_on, separated, entitled.months)?
        .ok_or_else(|| AppError::from(StoreError::invalid("contributed_months", "unemployment.contribution_too_short")))?;
    // The minimum wage of the person's county class, in force in the first month due.
    let counties = benefits::county_classes(tx, rule.id)?;
    let office = benefits::person_office_code(tx, person.id)?;
    let default_class = u8::try_from(rule.default_wage_class).unwrap_or(1);
    let class = min_wage::class_of(&person.id_number, office.as_deref(), &counties, default_class);
    let schedule = min_wage::in_force(&benefits::min_wage_schedules(tx, rule.id)?, start)
        .ok_or_else(|| AppError::from(StoreError::invalid("min_wage", "unemployment.no_min_wage")))?;
    let wage = schedule.amount(class.class).ok_or_else(|| AppError::from(StoreError::invalid("min_wage", "unemployment.no_min_wage")))?;
    let amount = unemployment::monthly_amount(wage, Fen(rule.subsistence_fen), RateBp(rule.unemployment_percent_bp))?;
    let claim = NewClaim {
        person_id: person.id,
        kind: ClaimKind::Unemployment,
        inputs: json!({"involuntary": f.involuntary, "separated_on": separated, "registration_id": registration.id,
                       "benefit_rule_version": rule.version}),
        calculation: json!({"contributed_months_total": total, "previous_claim_id": last.map(|(id, _)| id),
                            "restart_after": prior.map(|b| b.last.to_string()), "contributed_months": contributed,
                            "entitled_months_new": entitled.new_months, "unused_prior_months": entitled.unused_prior_months,
                            "entitled_months": entitled.months, "registered_on": registration.registered_on,
                            "wage_class": class.class, "wage_class_source": class.source.code(), "county_code": class.county,
                            "min_wage_from": schedule.effective_from.to_string(), "min_wage_fen": wage.0,
                            "subsistence_fen": rule.subsistence_fen, "percent_bp": rule.unemployment_percent_bp, "monthly_fen": amount.0,
                            "first_period": start.to_string(), "last_period": end.to_string()}),
        amount_fen: amount.0,
        monthly: true,
        start_period: start.first_day(),
        end_period: Some(end.first_day()),
        channel: channel.channel,
        bank_name: channel.bank_name,
        account_no: channel.account_no,
        post_address: channel.post_address,
        injury_case_id: None,
        payer: jinbao_store::kinds::ClaimPayer::Fund,
    };
    Ok(claim)
}
