//! Annual base declaration: an employer declares each employee's previous-year average monthly
//! wage for a base year. The new wage takes effect from the tenant's adjustment month of that
//! year (July in most cities, January in some), so the same declaration starts in different
//! periods in a January city and a July city.

use diesel::prelude::*;
use jinbao_domain::{Fen, IdNumber, Period};
use serde::Serialize;

use crate::error::{StoreError, StoreResult};
use crate::repo::{employers, enrolments, rules};
use crate::tenant_tx::TenantTx;

/// One parsed row of a declaration (file rows are numbered from 2, after the header).
#[derive(Debug, Clone)]
pub struct DeclaredRow {
    pub row: usize,
    pub id_number: IdNumber,
    pub wage: Fen,
}

/// A problem with one row: row number, column, the value as given, machine code.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct RowProblem {
    pub row: usize,
    pub column: String,
    pub value: String,
    pub code: String,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct DeclarationOutcome {
    pub base_year: i32,
    /// The first period the declared wages apply to.
    pub effective_from: Period,
    pub adjust_month: u32,
    pub applied: usize,
    pub problems: Vec<RowProblem>,
}

/// The period a base year starts in this tenant: the adjustment month of the rule in force then.
pub fn effective_from(tx: &mut TenantTx<'_>, base_year: i32) -> StoreResult<(Period, u32)> {
    let jan = Period::new(base_year, 1).ok_or_else(|| StoreError::invalid("base_year", "declaration.base_year"))?;
    let dec = Period::new(base_year, 12).expect("valid");
    let rule = rules::for_period(tx, dec)?
        .or(rules::for_period(tx, jan)?)
        .ok_or_else(|| StoreError::invalid("base_year", "enrolment.no_rules"))?;
    let month = rule.rules.adjust_month;
    Ok((Period::new(base_year, month).expect("valid month"), month))
}

/// Checks every row against the registry (person known, insured at this employer, not twice in
/// the file) and applies the valid ones — all or nothing unless `valid_only`.
pub fn apply(
    tx: &mut TenantTx<'_>,
    employer_id: i64,
    base_year: i32,
    rows: &[DeclaredRow],
    mut problems: Vec<RowProblem>,
    valid_only: bool,
) -> StoreResult<DeclarationOutcome> {
    use crate::schema::enrolment::dsl as en;
    use crate::schema::person::dsl as p;
    employers::get(tx, employer_id).map_err(|e| {
        if matches!(e, StoreError::NotFound) {
            StoreError::invalid("employer_id", "not_found")
        } else {
            e
        }
    })?;
    let (from, adjust_month) = effective_from(tx, base_year)?;
    let tid = tx.tenant().0;
    let mut seen = std::collections::HashSet::new();
    let mut valid: Vec<(i64, Fen)> = Vec::new();
    for r in rows {
        let bad = |code: &str| RowProblem {
            row: r.row,
            column: "id_number".into(),
            value: jinbao_domain::id_number::mask(r.id_number.as_str()),
            code: code.into(),
        };
        if !seen.insert(r.id_number.as_str().to_string()) {
            problems.push(bad("declaration.duplicate_in_file"));
            continue;
        }
        let person: Option<i64> = p::person
            .filter(p::tenant_id.eq(tid))
            .filter(p::id_number.eq(r.id_number.as_str()))
            .select(p::id)
            .first(tx.conn())
            .optional()?;
        let Some(person_id) = person else {
            problems.push(bad("declaration.unknown_person"));
            continue;
        };
        let insured: i64 = en::enrolment
            .filter(en::tenant_id.eq(tid))
            .filter(en::person_id.eq(person_id))
            .filter(en::employer_id.eq(employer_id))
            .filter(en::status.eq("active"))
            .count()
            .get_result(tx.conn())?;
        if insured == 0 {
            problems.push(bad("declaration.not_insured_here"));
            continue;
        }
        valid.push((person_id, r.wage));
    }
    problems.sort_by_key(|p| p.row);
    if !problems.is_empty() && !valid_only {
        return Ok(DeclarationOutcome { base_year, effective_from: from, adjust_month, applied: 0, problems });
    }
    for (person_id, wage) in &valid {
        enrolments::declare_base(tx, *person_id, employer_id, from, *wage, "declaration")?;
    }
    tx.audit(
        "declaration.apply",
        "employer",
        &employer_id.to_string(),
        None,
        Some(serde_json::json!({"base_year": base_year, "effective_from": from.to_string(), "applied": valid.len(), "rejected": problems.len()})),
        None,
    )?;
    Ok(DeclarationOutcome { base_year, effective_from: from, adjust_month, applied: valid.len(), problems })
}
