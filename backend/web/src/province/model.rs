//! Shaping the aggregate figures into the dashboard: per city and for the province, current
//! insured counts by type, and per month new/stopped enrolments, assessed, collected, arrears.

use std::collections::BTreeMap;

use jinbao_store::repo::global::TenantInfo;
use jinbao_store::repo::stats::{current_period, Figure};
use serde::{Deserialize, Serialize};

pub const TYPES: [&str; 5] = ["pension", "medical", "unemployment", "work_injury", "maternity"];

/// Counts below this are shown as "< 5" to roles without the right to see small counts.
pub const SMALL: i64 = 5;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Month {
    pub period: String,
    pub new_enrolments: i64,
    pub stopped_enrolments: i64,
    pub assessed_fen: i64,
    pub collected_fen: i64,
    pub arrears_fen: i64,
    /// Collected ÷ assessed in per mille (None when nothing was assessed).
    pub collection_rate_permille: Option<i64>,
    #[serde(default)]
    pub benefits_paid_fen: i64,
    #[serde(default)]
    pub re_employed: i64,
    #[serde(default)]
    pub trainees: i64,
    #[serde(default)]
    pub transfers_in: i64,
    #[serde(default)]
    pub transfers_out: i64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Area {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub status: String,
    pub wave: i16,
    pub persons: Option<i64>,
    pub employers: Option<i64>,
    pub insured: BTreeMap<String, Option<i64>>,
    pub insured_total: Option<i64>,
    /// Registered unemployed and seeking work now.
    #[serde(default)]
    pub registered_unemployed: Option<i64>,
    pub months: Vec<Month>,
    pub suppressed: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Dashboard {
    pub province: Area,
    pub cities: Vec<Area>,
}

fn build(figures: &[&Figure]) -> (BTreeMap<String, i64>, BTreeMap<String, Month>) {
    let mut current = BTreeMap::new();
    let mut months: BTreeMap<String, Month> = BTreeMap::new();
    for f in figures {
        if f.period == current_period() {
            let key = if f.insurance_type.is_empty() { f.metric.clone() } else { format!("{}:{}", f.metric, f.insurance_type) };
            *current.entry(key).or_insert(0) += f.value;
            continue;
        }
        let period = f.period.format("%Y-%m").to_string();
        let m = months.entry(period.clone()).or_insert_with(|| Month { period, ..Month::default() });
        match f.metric.as_str() {
            "new_enrolments" => m.new_enrolments += f.value,
            "stopped_enrolments" => m.stopped_enrolments += f.value,
            "assessed_fen" => m.assessed_fen += f.value,
            "collected_fen" => m.collected_fen += f.value,
            "benefits_paid_fen" => m.benefits_paid_fen += f.value,
            "re_employed" => m.re_employed += f.value,
            "trainees" => m.trainees += f.value,
            "transfers_in" => m.transfers_in += f.value,
            "transfers_out" => m.transfers_out += f.value,
            _ => {}
        }
    }
    for m in months.values_mut() {
        m.arrears_fen = (m.assessed_fen - m.collected_fen).max(0);
        m.collection_rate_permille = (m.assessed_fen > 0).then(|| m.collected_fen * 1000 / m.assessed_fen);
    }
    (current, months)
}

fn area(t: Option<&TenantInfo>, figures: &[&Figure], show_small: bool) -> Area {
    let (current, months) = build(figures);
    let mut suppressed = false;
    let mut count = |v: i64| {
        if !show_small && (1..SMALL).contains(&v) {
            suppressed = true;
            None
        } else {
            Some(v)
        }
    };
    let insured: BTreeMap<String, Option<i64>> =
        TYPES.iter().map(|ty| (ty.to_string(), count(current.get(&format!("active_enrolments:{ty}")).copied().unwrap_or(0)))).collect();
    let total: i64 = TYPES.iter().map(|ty| current.get(&format!("active_enrolments:{ty}")).copied().unwrap_or(0)).sum();
    let mut months: Vec<Month> = months.into_values().collect();
    months.reverse();
    let persons = count(current.get("persons").copied().unwrap_or(0));
    let employers = count(current.get("employers").copied().unwrap_or(0));
    let insured_total = count(total);
    let registered_unemployed = count(current.get("registered_unemployed").copied().unwrap_or(0));
    if !show_small {
        for m in &mut months {
            if (1..SMALL).contains(&m.new_enrolments) || (1..SMALL).contains(&m.stopped_enrolments) {
                suppressed = true;
            }
            if [m.re_employed, m.trainees].iter().any(|v| (1..SMALL).contains(v)) {
                suppressed = true;
            }
            for v in [&mut m.new_enrolments, &mut m.stopped_enrolments, &mut m.re_employed, &mut m.trainees] {
                if (1..SMALL).contains(v) {
                    *v = -1;
                }
            }
        }
    }
    Area {
        code: t.map_or_else(|| "410000".into(), |t| t.code.clone()),
        name_zh: t.map_or_else(|| "河南省".into(), |t| t.name_zh.clone()),
        name_en: t.map_or_else(|| "Henan".into(), |t| t.name_en.clone()),
        status: t.map_or_else(String::new, |t| t.status.clone()),
        wave: t.map_or(0, |t| t.wave),
        persons,
        employers,
        insured,
        insured_total,
        registered_unemployed,
        months,
        suppressed,
    }
}

/// The dashboard from every tenant's figures. `show_small` reveals counts below [`SMALL`]
/// (a month's new or stopped count below it reads -1 otherwise).
pub fn dashboard(tenants: &[TenantInfo], figures: &[Figure], show_small: bool) -> Dashboard {
    let all: Vec<&Figure> = figures.iter().collect();
    let cities = tenants
        .iter()
        .map(|t| {
            let mine: Vec<&Figure> = figures.iter().filter(|f| f.tenant_id == t.id).collect();
            area(Some(t), &mine, show_small)
        })
        .collect();
    Dashboard { province: area(None, &all, show_small), cities }
}
