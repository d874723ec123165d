//! The yearly personal rights statement (个人权益记录单): for one person and one year, the months
//! paid and in arrears per insurance, the pension bases and contributions month by month, the
//! personal account balance with interest and an estimate of the pension at the current rules.
//! Computed in the caller's transaction (a clerk's, the city's job, or the person's own — then
//! every figure comes from the person's own rows, the paid status through `public_paid_rows`) and
//! stored with a verification code.

use chrono::{Datelike, NaiveDate};
use jinbao_domain::benefits::pension::{self, IndexSum, PensionInput};
use jinbao_domain::benefits::retirement::{self, RetirementCategory};
use jinbao_domain::{Fen, Gender, InsuranceType, Period, RateBp};
use jinbao_store::repo::{benefits, enrolments, persons, rights_statements};
use jinbao_store::{StoreError, TenantTx};
use serde_json::{json, Value};

use crate::benefits::pension::{indexed_months, personal_account};
use crate::AppError;

/// The statement's figures for `year` as of `today` (a year not yet over is counted to the
/// current month).
pub fn compute(tx: &mut TenantTx<'_>, person_id: i64, year: i32, today: NaiveDate) -> Result<Value, AppError> {
    if year < 1990 || year > today.year() {
        return Err(jinbao_domain::FieldError::at("year".to_string(), "statement.year").into());
    }
    let person = persons::get(tx, person_id)?;
    let end = if year == today.year() { Period::of_date(today) } else { Period::new(year, 12).ok_or_else(invalid_year)? };
    let in_year = |d: NaiveDate| d.year() == year && Period::of_date(d) <= end;
    let mut types = Vec::new();
    for t in InsuranceType::ALL {
        let paid = benefits::months(tx, person.id, t.code())?;
        let arrears = benefits::unpaid_months(tx, person.id, t.code())?;
        let year_paid: Vec<&benefits::Month> = paid.iter().filter(|m| in_year(m.period)).collect();
        types.push(json!({
            "insurance_type": t.code(),
            "months_in_year": year_paid.len(),
            "months_total": paid.iter().filter(|m| Period::of_date(m.period) <= end).count(),
            "arrears_months_in_year": arrears.iter().filter(|m| in_year(m.period)).count(),
            "arrears_fen_in_year": arrears.iter().filter(|m| in_year(m.period)).map(|m| m.due_fen).sum::<i64>(),
            "employee_fen_in_year": year_paid.iter().map(|m| m.employee_fen).sum::<i64>(),
        }));
    }
    let pension_months: Vec<benefits::Month> =
        benefits::months(tx, person.id, "pension")?.into_iter().filter(|m| Period::of_date(m.period) <= end).collect();
    let months: Vec<Value> = pension_months
        .iter()
        .filter(|m| in_year(m.period))
        .map(|m| json!({"period": Period::of_date(m.period).to_string(), "base_fen": m.base_fen, "employee_fen": m.employee_fen}))
        .collect();
    let (account, estimate) = match benefits::rule(tx) {
        Ok(rule) => {
            let published = benefits::interest_rates(tx, rule.id)?;
            let account = match personal_account(&pension_months, rule.accounts_began, &published, end) {
                Ok((balance, _)) => json!({"balance_fen": balance.0, "as_of": end.to_string()}),
                Err(e) => json!({"balance_fen": null, "problem": problem_code(&e)}),
            };
            let estimate = estimate(tx, &person, &pension_months, &rule, account["balance_fen"].as_i64().map(Fen), today);
            (account, estimate)
        }
        Err(StoreError::NotFound) => (json!({"balance_fen": null, "problem": "benefit.no_rule"}), json!({"problem": "benefit.no_rule"})),
        Err(e) => return Err(e.into()),
    };
    let insured: Vec<Value> = enrolments::of_person(tx, person.id)?
        .iter()
        .map(|e| {
            json!({"insurance_type": e.insurance_type, "start_period": Period::of_date(e.start_period).to_string(),
                        "end_period": e.end_period.map(|d| Period::of_date(d).to_string()), "status": e.status})
        })
        .collect();
    Ok(json!({
        "year": year,
        "as_of": end.to_string(),
        "person": {"name": person.name, "id_number_masked": jinbao_domain::id_number::mask(&person.id_number),
                   "gender": person.gender.code(), "birth_date": person.birth_date.to_string()},
        "enrolments": insured,
        "types": types,
        "pension_months": months,
        "account": account,
        "estimate": estimate,
    }))
}

fn invalid_year() -> AppError {
    jinbao_domain::FieldError::at("year".to_string(), "statement.year").into()
}

fn problem_code(e: &AppError) -> String {
    match e {
        AppError::Validation(ps) => ps.first().map_or_else(|| "validation".into(), |p| p.code.clone()),
        other => other.code().to_string(),
    }
}

/// The monthly pension the person would receive at their statutory retirement month under the
/// city's current parameters, counting only the months paid so far (no future contributions) and
/// the current payout base. `problem` instead when it cannot be computed (too few months to
/// qualify is not a problem: the estimate says how many are missing).
fn estimate(
    tx: &mut TenantTx<'_>,
    person: &persons::Person,
    months: &[benefits::Month],
    rule: &benefits::Rule,
    balance: Option<Fen>,
    today: NaiveDate,
) -> Value {
    let category = if person.gender == Gender::Male { RetirementCategory::Male } else { RetirementCategory::FemaleWorker };
    let Some(ret) = retirement::retirement_month_of_date(person.birth_date, category) else {
        return json!({"problem": "pension.category"});
    };
    let minimum = retirement::minimum_contribution_months(ret.period);
    let base_year = today.year().min(ret.period.year());
    let payout = benefits::payout_base(tx, rule.id, base_year)
        .ok()
        .flatten()
        .or_else(|| benefits::payout_base(tx, rule.id, base_year - 1).ok().flatten());
    let Some((payout_year, payout_fen)) = payout else { return json!({"problem": "pension.payout_base_missing"}) };
    let (Some(balance), false) = (balance, months.is_empty()) else {
        return json!({"problem": "statement.no_paid_months", "minimum_months": minimum, "retirement_period": ret.period.to_string()});
    };
    let computed = (|| -> Result<pension::PensionBreakdown, AppError> {
        let indexed = indexed_months(months)?;
        let input = PensionInput {
            payout_base: Fen(payout_fen),
            indices: IndexSum::of_months(&indexed)?,
            contribution_months: months.len() as u32,
            deemed_months: 0,
            account_balance: balance,
            retirement_age_years: ret.age_years,
            retirement_age_months: ret.age_months,
            transitional_coefficient: RateBp(rule.transitional_coefficient_bp),
        };
        Ok(pension::basic_pension(&input)?)
    })();
    match computed {
        Ok(b) => json!({"monthly_fen": b.total.0, "basic_fen": b.basic.0, "account_fen": b.account.0, "transitional_fen": b.transitional.0,
                        "retirement_period": ret.period.to_string(), "payout_base_year": payout_year, "months": months.len(),
                        "minimum_months": minimum, "months_missing": minimum.saturating_sub(months.len() as u32)}),
        Err(e) => json!({"problem": problem_code(&e), "retirement_period": ret.period.to_string(), "minimum_months": minimum}),
    }
}

/// Computes and stores the statement; `random` gives the verification code's characters.
pub fn generate(
    tx: &mut TenantTx<'_>,
    person_id: i64,
    year: i32,
    today: NaiveDate,
    tenant_code: &str,
    random: [u8; 12],
    job_id: Option<i64>,
) -> Result<rights_statements::Statement, AppError> {
    let content = compute(tx, person_id, year, today)?;
    Ok(rights_statements::save(tx, person_id, year as i16, tenant_code, random, &content, job_id)?)
}
