//! `tenants/`: one TOML file per tenant, validated and applied idempotently by `jinbao tenants sync`.
//!
//! Rules are effective-dated and versioned: when a file changes a rule set, the old version is
//! marked superseded and kept, the new one added, and the change audited in the tenant's log.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use diesel::connection::Connection;
use diesel::pg::PgConnection;
use diesel::prelude::*;
use jinbao_domain::{Fen, InsuranceType, Party, Period, RateBp, Rounding, TenantCode, TenantKind, TenantRules, TenantStatus};
use serde::Deserialize;
use sha2::{Digest, Sha256};

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TenantFile {
    pub id: i16,
    pub code: TenantCode,
    pub name_zh: String,
    pub name_en: String,
    pub kind: TenantKind,
    pub status: TenantStatus,
    pub wave: i16,
    pub sort_order: i16,
    #[serde(default)]
    pub offices: Vec<OfficeFile>,
    #[serde(default)]
    pub rules: Vec<RuleFile>,
    /// Benefit parameters; a city without them uses the province's.
    #[serde(default)]
    pub benefits: Option<crate::tenant_benefits::BenefitsFile>,
    /// The minimum-wage class of each county of the tenant (never inherited; without it everyone
    /// is in class 1).
    #[serde(default)]
    pub min_wage_classes: Option<crate::tenant_benefits::MinWageClassesFile>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OfficeFile {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleFile {
    pub effective_from: String,
    pub avg_wage_yuan: String,
    pub floor_pct: u32,
    pub ceiling_pct: u32,
    pub adjust_month: u32,
    #[serde(default = "yes")]
    pub base_whole_yuan: bool,
    pub base_rounding: String,
    pub amount_rounding: String,
    pub maternity_merged: bool,
    pub rates: RatesFile,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RatesFile {
    pub pension: PartyRates,
    pub medical: PartyRates,
    pub unemployment: PartyRates,
    #[serde(default)]
    pub maternity: Option<PartyRates>,
    pub work_injury_classes: Vec<String>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PartyRates {
    pub employer: String,
    #[serde(default)]
    pub employee: Option<String>,
}

/// A tenant file that passed validation, with its rules converted to domain rules.
#[derive(Debug)]
pub struct ValidTenant {
    pub path: PathBuf,
    pub file: TenantFile,
    pub rules: Vec<TenantRules>,
    pub benefits: Option<crate::tenant_benefits::BenefitParams>,
    pub classes: crate::tenant_benefits::WageClasses,
}

/// Reads and validates every `*.toml` in `dir`. Errors name the file and the field.
pub fn load_dir(dir: &Path) -> Result<Vec<ValidTenant>, Vec<String>> {
    let mut paths: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|x| x == "toml")).collect(),
        Err(e) => return Err(vec![format!("{}: cannot read directory: {e}", dir.display())]),
    };
    paths.sort();
    let mut errors = Vec::new();
    let mut out = Vec::new();
    for path in paths {
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                errors.push(format!("{}: {e}", path.display()));
                continue;
            }
        };
        match parse_tenant(&path, &text) {
            Ok(t) => out.push(t),
            Err(mut es) => errors.append(&mut es),
        }
    }
    let mut ids = HashSet::new();
    let mut codes = HashSet::new();
    for t in &out {
        if !ids.insert(t.file.id) {
            errors.push(format!("{}: id: {} is used by another tenant file", t.path.display(), t.file.id));
        }
        if !codes.insert(t.file.code.clone()) {
            errors.push(format!("{}: code: {} is used by another tenant file", t.path.display(), t.file.code));
        }
    }
    if out.is_empty() && errors.is_empty() {
        errors.push(format!("{}: no tenant files (*.toml) found", dir.display()));
    }
    // Cities without their own benefit parameters inherit the province's.
    let province = out.iter().find(|t| t.file.kind == TenantKind::Province).and_then(|t| t.benefits.clone());
    for t in &mut out {
        if t.benefits.is_none() {
            t.benefits = province.clone();
        }
        // The county classes are the tenant's own, whoever's parameters it uses.
        let classes = t.classes.clone();
        if let Some(b) = t.benefits.as_mut() {
            b.classes = classes;
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// Parses and validates one tenant file.
pub fn parse_tenant(path: &Path, text: &str) -> Result<ValidTenant, Vec<String>> {
    let p = path.display();
    let file: TenantFile = toml::from_str(text).map_err(|e| vec![format!("{p}: {}", e.to_string().trim())])?;
    let mut errors = Vec::new();
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    if !stem.starts_with(file.code.as_str()) {
        errors.push(format!("{p}: code: {} does not match the file name (expected it to start with the code)", file.code));
    }
    if file.id <= 0 {
        errors.push(format!("{p}: id: must be a positive number"));
    }
    if file.name_zh.trim().is_empty() {
        errors.push(format!("{p}: name_zh: required"));
    }
    if file.name_en.trim().is_empty() {
        errors.push(format!("{p}: name_en: required"));
    }
    if !(0..=9).contains(&file.wave) {
        errors.push(format!("{p}: wave: must be 0..9"));
    }
    if (file.kind == TenantKind::Province) != (file.code.as_str() == "410000") {
        errors.push(format!("{p}: kind: 410000 is the province, every other tenant a city"));
    }
    if file.offices.is_empty() {
        errors.push(format!("{p}: offices: at least one office (the city bureau itself) is required"));
    }
    let mut office_codes = HashSet::new();
    for (i, o) in file.offices.iter().enumerate() {
        if o.code.len() != 6 || !o.code.bytes().all(|b| b.is_ascii_digit()) {
            errors.push(format!("{p}: offices[{i}].code: `{}` is not a six-digit division code", o.code));
        }
        if !office_codes.insert(o.code.clone()) {
            errors.push(format!("{p}: offices[{i}].code: {} appears twice", o.code));
        }
        if o.name_zh.trim().is_empty() || o.name_en.trim().is_empty() {
            errors.push(format!("{p}: offices[{i}]: name_zh and name_en are required"));
        }
    }
    let mut rules = Vec::new();
    let mut periods = HashSet::new();
    for (i, r) in file.rules.iter().enumerate() {
        match rule_from_file(r) {
            Ok(rule) => {
                for problem in rule.problems() {
                    errors.push(format!("{p}: rules[{i}].{}: {}", problem.field, problem.message));
                }
                if !periods.insert(rule.effective_from) {
                    errors.push(format!("{p}: rules[{i}].effective_from: {} appears twice", rule.effective_from));
                }
                rules.push(rule);
            }
            Err(es) => errors.extend(es.into_iter().map(|e| format!("{p}: rules[{i}].{e}"))),
        }
    }
    if file.rules.is_empty() {
        errors.push(format!("{p}: rules: at least one rule set is required"));
    }
    let benefits = match file.benefits.as_ref().map(crate::tenant_benefits::parse) {
        Some(Ok(b)) => Some(b),
        Some(Err(es)) => {
            errors.extend(es.into_iter().map(|e| format!("{p}: {e}")));
            None
        }
        None => None,
    };
    let offices: Vec<&str> = file.offices.iter().map(|o| o.code.as_str()).collect();
    let classes = match file.min_wage_classes.as_ref().map(|c| crate::tenant_benefits::parse_classes(c, file.code.as_str(), &offices)) {
        Some(Ok(c)) => c,
        Some(Err(es)) => {
            errors.extend(es.into_iter().map(|e| format!("{p}: {e}")));
            Default::default()
        }
        None => Default::default(),
    };
    let benefits = benefits.map(|mut b| {
        b.classes = classes.clone();
        b
    });
    if file.kind == TenantKind::Province && file.benefits.is_none() {
        errors.push(format!("{p}: benefits: the province file sets the benefit parameters every city inherits"));
    }
    if errors.is_empty() {
        Ok(ValidTenant { path: path.to_path_buf(), file, rules, benefits, classes })
    } else {
        Err(errors)
    }
}

fn rule_from_file(r: &RuleFile) -> Result<TenantRules, Vec<String>> {
    let mut errors = Vec::new();
    let effective_from: Option<Period> = r.effective_from.parse().ok();
    if effective_from.is_none() {
        errors.push(format!("effective_from: `{}` is not a period YYYY-MM", r.effective_from));
    }
    let avg_wage = Fen::parse_yuan("avg_wage_yuan", &r.avg_wage_yuan).ok();
    if avg_wage.is_none() {
        errors.push(format!("avg_wage_yuan: `{}` is not an amount in yuan", r.avg_wage_yuan));
    }
    let rounding = |field: &str, v: &str, errors: &mut Vec<String>| {
        Rounding::parse(v).or_else(|| {
            errors.push(format!("{field}: `{v}` must be half_up, half_even or down"));
            None
        })
    };
    let base_rounding = rounding("base_rounding", &r.base_rounding, &mut errors);
    let amount_rounding = rounding("amount_rounding", &r.amount_rounding, &mut errors);
    let mut rates = BTreeMap::new();
    let rate = |field: String, v: &str, errors: &mut Vec<String>| {
        RateBp::parse_percent(v).or_else(|| {
            errors.push(format!("{field}: `{v}` is not a percentage with at most two decimals"));
            None
        })
    };
    let mut put = |t: InsuranceType, pr: &PartyRates, errors: &mut Vec<String>| {
        if let Some(v) = rate(format!("rates.{t}.employer"), &pr.employer, errors) {
            rates.insert((t, Party::Employer), v);
        }
        if let Some(e) = &pr.employee {
            if let Some(v) = rate(format!("rates.{t}.employee"), e, errors) {
                rates.insert((t, Party::Employee), v);
            }
        }
    };
    put(InsuranceType::Pension, &r.rates.pension, &mut errors);
    put(InsuranceType::Medical, &r.rates.medical, &mut errors);
    put(InsuranceType::Unemployment, &r.rates.unemployment, &mut errors);
    if let Some(m) = &r.rates.maternity {
        put(InsuranceType::Maternity, m, &mut errors);
    }
    let mut injury = [RateBp(0); 8];
    if r.rates.work_injury_classes.len() != 8 {
        errors.push(format!("rates.work_injury_classes: expected 8 rates (classes 1–8), found {}", r.rates.work_injury_classes.len()));
    }
    for (i, v) in r.rates.work_injury_classes.iter().enumerate().take(8) {
        let mut local = Vec::new();
        if let Some(x) = RateBp::parse_percent(v) {
            injury[i] = x;
        } else {
            local.push(format!("rates.work_injury_classes[{}]: `{v}` is not a percentage", i + 1));
        }
        errors.extend(local);
    }
    match (effective_from, avg_wage, base_rounding, amount_rounding) {
        (Some(effective_from), Some(avg_wage), Some(base_rounding), Some(amount_rounding)) if errors.is_empty() => Ok(TenantRules {
            effective_from,
            avg_wage,
            floor_pct: r.floor_pct,
            ceiling_pct: r.ceiling_pct,
            adjust_month: r.adjust_month,
            base_whole_yuan: r.base_whole_yuan,
            base_rounding,
            amount_rounding,
            maternity_merged: r.maternity_merged,
            rates,
            injury_class_rates: injury,
        }),
        _ => Err(errors),
    }
}

pub fn rules_hash(r: &TenantRules) -> String {
    hex::encode(Sha256::digest(r.canonical().as_bytes()))
}

/// Applies validated tenants in one transaction (all or nothing) as the owner role.
/// Returns a human-readable list of what changed; empty when nothing did.
pub fn sync(owner_conn: &mut PgConnection, tenants: &[ValidTenant]) -> anyhow::Result<Vec<String>> {
    owner_conn.transaction(|conn| {
        let mut changes = Vec::new();
        for t in tenants {
            sync_one(conn, t, &mut changes)?;
        }
        Ok(changes)
    })
}

#[derive(Queryable)]
struct TenantRow {
    id: i16,
    code: String,
    name_zh: String,
    name_en: String,
    kind: String,
    status: String,
    wave: i16,
    sort_order: i16,
}

fn sync_one(conn: &mut PgConnection, t: &ValidTenant, changes: &mut Vec<String>) -> anyhow::Result<()> {
    use crate::schema::tenant::dsl as tn;
    let f = &t.file;
    let code = f.code.as_str();
    let existing: Option<TenantRow> = tn::tenant
        .filter(tn::code.eq(code))
        .select((tn::id, tn::code, tn::name_zh, tn::name_en, tn::kind, tn::status, tn::wave, tn::sort_order))
        .first(conn)
        .optional()?;
    let mut audit: Vec<(String, serde_json::Value, serde_json::Value)> = Vec::new();
    let after = serde_json::json!({"id": f.id, "code": code, "name_zh": f.name_zh, "name_en": f.name_en,
        "kind": f.kind.code(), "status": f.status.code(), "wave": f.wave, "sort_order": f.sort_order});
    match existing {
        None => {
            diesel::insert_into(tn::tenant)
                .values((
                    tn::id.eq(f.id),
                    tn::code.eq(code),
                    tn::name_zh.eq(&f.name_zh),
                    tn::name_en.eq(&f.name_en),
                    tn::kind.eq(f.kind.code()),
                    tn::status.eq(f.status.code()),
                    tn::wave.eq(f.wave),
                    tn::sort_order.eq(f.sort_order),
                ))
                .execute(conn)?;
            changes.push(format!("{code}: tenant created ({}, {})", f.name_zh, f.status.code()));
            audit.push(("tenant.create".into(), serde_json::Value::Null, after));
        }
        Some(row) => {
            anyhow::ensure!(row.id == f.id, "{}: id: the database has {} for {code}; ids are permanent", t.path.display(), row.id);
            // The status in the file is the initial one; afterwards the lifecycle (onboarding) owns it.
            let after = {
                let mut a = after.clone();
                a["status"] = serde_json::json!(row.status);
                a
            };
            let before = serde_json::json!({"id": row.id, "code": row.code, "name_zh": row.name_zh, "name_en": row.name_en,
                "kind": row.kind, "status": row.status, "wave": row.wave, "sort_order": row.sort_order});
            if before != after {
                diesel::update(tn::tenant.filter(tn::id.eq(f.id)))
                    .set((
                        tn::name_zh.eq(&f.name_zh),
                        tn::name_en.eq(&f.name_en),
                        tn::kind.eq(f.kind.code()),
                        tn::wave.eq(f.wave),
                        tn::sort_order.eq(f.sort_order),
                        tn::updated_at.eq(diesel::dsl::now),
                    ))
                    .execute(conn)?;
                changes.push(format!("{code}: tenant updated"));
                audit.push(("tenant.update".into(), before, after));
            }
        }
    }

    // From here on, tenant-owned tables: scope the transaction to this tenant (RLS is forced for the owner too).
    diesel::sql_query("SELECT set_tenant($1)").bind::<diesel::sql_types::SmallInt, _>(f.id).execute(conn)?;
    sync_offices(conn, t, changes, &mut audit)?;
    sync_rules(conn, t, changes, &mut audit)?;
    if let Some(b) = &t.benefits {
        let source = format!("tenants/{}", t.path.file_name().and_then(|n| n.to_str()).unwrap_or(""));
        if let Some(entry) = crate::tenant_benefits::sync(conn, f.id, b, &source)? {
            changes.push(format!("{code}: benefit parameters version {} added", entry.1["version"].as_i64().unwrap_or(0) + 1));
            audit.push(entry);
        }
    }

    use crate::schema::audit_log::dsl as a;
    for (action, before, after) in audit {
        diesel::insert_into(a::audit_log)
            .values((
                a::tenant_id.eq(f.id),
                a::actor.eq("system:tenants-sync"),
                a::action.eq(&action),
                a::entity.eq(action.split('.').next().unwrap_or("tenant")),
                a::entity_id.eq(code),
                a::before.eq((!before.is_null()).then_some(before)),
                a::after.eq(Some(after)),
                a::reason.eq(Some(format!("tenants/{}", t.path.file_name().and_then(|n| n.to_str()).unwrap_or("")))),
            ))
            .execute(conn)?;
    }
    Ok(())
}

type AuditBuf = Vec<(String, serde_json::Value, serde_json::Value)>;

fn sync_offices(conn: &mut PgConnection, t: &ValidTenant, changes: &mut Vec<String>, audit: &mut AuditBuf) -> anyhow::Result<()> {
    use crate::schema::office::dsl as o;
    let tid = t.file.id;
    let existing: Vec<(i32, String, String, String)> =
        o::office.filter(o::tenant_id.eq(tid)).select((o::id, o::code, o::name_zh, o::name_en)).load(conn)?;
    let mut next_id = existing.iter().map(|e| e.0).max().unwrap_or(0) + 1;
    for of in &t.file.offices {
        match existing.iter().find(|e| e.1 == of.code) {
            Some((id, _, zh, en)) if zh != &of.name_zh || en != &of.name_en => {
                diesel::update(o::office.filter(o::tenant_id.eq(tid)).filter(o::id.eq(id)))
                    .set((o::name_zh.eq(&of.name_zh), o::name_en.eq(&of.name_en)))
                    .execute(conn)?;
                changes.push(format!("{}: office {} renamed to {}", t.file.code, of.code, of.name_zh));
                audit.push((
                    "office.update".into(),
                    serde_json::json!({"code": of.code, "name_zh": zh, "name_en": en}),
                    serde_json::json!({"code": of.code, "name_zh": of.name_zh, "name_en": of.name_en}),
                ));
            }
            Some(_) => {}
            None => {
                diesel::insert_into(o::office)
                    .values((
                        o::tenant_id.eq(tid),
                        o::id.eq(next_id),
                        o::code.eq(&of.code),
                        o::name_zh.eq(&of.name_zh),
                        o::name_en.eq(&of.name_en),
                    ))
                    .execute(conn)?;
                next_id += 1;
                changes.push(format!("{}: office {} {} added", t.file.code, of.code, of.name_zh));
                audit.push((
                    "office.create".into(),
                    serde_json::Value::Null,
                    serde_json::json!({"code": of.code, "name_zh": of.name_zh, "name_en": of.name_en}),
                ));
            }
        }
    }
    Ok(())
}

fn sync_rules(conn: &mut PgConnection, t: &ValidTenant, changes: &mut Vec<String>, audit: &mut AuditBuf) -> anyhow::Result<()> {
    use crate::schema::tenant_rate::dsl as ra;
    use crate::schema::tenant_rule::dsl as ru;
    let tid = t.file.id;
    let source = format!("tenants/{}", t.path.file_name().and_then(|n| n.to_str()).unwrap_or(""));
    for rule in &t.rules {
        let from = rule.effective_from.first_day();
        let hash = rules_hash(rule);
        let current: Option<(i64, i32, String)> = ru::tenant_rule
            .filter(ru::tenant_id.eq(tid))
            .filter(ru::effective_from.eq(from))
            .filter(ru::superseded_at.is_null())
            .select((ru::id, ru::version, ru::content_hash))
            .first(conn)
            .optional()?;
        let version = match &current {
            Some((_, _, h)) if *h == hash => continue,
            Some((id, v, _)) => {
                diesel::update(ru::tenant_rule.filter(ru::tenant_id.eq(tid)).filter(ru::id.eq(id)))
                    .set(ru::superseded_at.eq(diesel::dsl::now))
                    .execute(conn)?;
                v + 1
            }
            None => 1,
        };
        let new_id: i64 = diesel::insert_into(ru::tenant_rule)
            .values((
                ru::tenant_id.eq(tid),
                ru::effective_from.eq(from),
                ru::version.eq(version),
                ru::avg_wage_fen.eq(rule.avg_wage.0),
                ru::floor_pct.eq(rule.floor_pct as i32),
                ru::ceiling_pct.eq(rule.ceiling_pct as i32),
                ru::adjust_month.eq(rule.adjust_month as i16),
                ru::base_whole_yuan.eq(rule.base_whole_yuan),
                ru::base_rounding.eq(rule.base_rounding.code()),
                ru::amount_rounding.eq(rule.amount_rounding.code()),
                ru::maternity_merged.eq(rule.maternity_merged),
                ru::content_hash.eq(&hash),
                ru::source.eq(&source),
            ))
            .returning(ru::id)
            .get_result(conn)?;
        let mut rows = Vec::new();
        for ((ty, party), r) in &rule.rates {
            rows.push((
                ra::tenant_id.eq(tid),
                ra::rule_id.eq(new_id),
                ra::insurance_type.eq(ty.code()),
                ra::party.eq(party.code()),
                ra::risk_class.eq(0i16),
                ra::rate_bp.eq(r.0),
            ));
        }
        for (i, r) in rule.injury_class_rates.iter().enumerate() {
            rows.push((
                ra::tenant_id.eq(tid),
                ra::rule_id.eq(new_id),
                ra::insurance_type.eq(InsuranceType::WorkInjury.code()),
                ra::party.eq(Party::Employer.code()),
                ra::risk_class.eq(i as i16 + 1),
                ra::rate_bp.eq(r.0),
            ));
        }
        diesel::insert_into(ra::tenant_rate).values(rows).execute(conn)?;
        changes.push(format!(
            "{}: rules from {} version {version} {}",
            t.file.code,
            rule.effective_from,
            if version == 1 { "added" } else { "replaces the previous version (kept)" }
        ));
        audit.push((
            "tenant_rule.create".into(),
            serde_json::json!(current.map(|c| serde_json::json!({"version": c.1, "content_hash": c.2}))),
            serde_json::json!({"effective_from": rule.effective_from.to_string(), "version": version, "rules": rule.canonical()}),
        ));
    }
    Ok(())
}
