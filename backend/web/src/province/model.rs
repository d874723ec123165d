//! Shaping the aggregate figures into the dashboard: per city and for the province, current
//! insured counts by type, and per month new/stopped enrolments, assessed, collected, arrears.
//! Counts come suppressed from [`super::counts`].

use std::collections::BTreeMap;

use jinbao_domain::funds::CollectionMonth;
use jinbao_domain::Fen;
use jinbao_store::repo::global::TenantInfo;
use jinbao_store::repo::stats::{current_period, Figure};
use jinbao_store::repo::transfers::Overview;
use serde::{Deserialize, Serialize};

use super::counts::{self, Input, Shown, ALL, NOW, TOTAL};

pub const TYPES: [&str; 5] = ["pension", "medical", "unemployment", "work_injury", "maternity"];

/// One contribution period of an area's figures (all insurance types together). Amounts in integer fen. Counts are
/// `null` where suppressed; money never.
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "DashboardMonth")]
pub struct Month {
    /// The period, `YYYY-MM`.
    pub period: String,
    /// Counts are `null` where suppressed (see [`super::counts`]); money is never suppressed.
    pub new_enrolments: Option<i64>,
    /// Enrolments stopped after the period (it is their last). `null` where suppressed (a small count, or one that
    /// would give a small count back).
    pub stopped_enrolments: Option<i64>,
    /// Assessed for the period (regular and back payments, employer plus employee), in fen.
    pub assessed_fen: i64,
    /// Payments recorded for the period, in fen.
    pub collected_fen: i64,
    /// Assessed minus collected, never below 0, in fen.
    pub arrears_fen: i64,
    /// Collected ÷ assessed in per mille (None when nothing was assessed).
    pub collection_rate_permille: Option<i64>,
    /// Benefits paid in the period's payment batches (lines with result `paid`; pension, unemployment benefit and
    /// maternity allowance together), in fen. Never hidden.
    #[serde(default)]
    pub benefits_paid_fen: i64,
    /// Unemployment registrations ended by a hire in the period (status `re_employed`, by the end date). `null` where
    /// suppressed (a small count, or one that would give a small count back).
    #[serde(default)]
    pub re_employed: Option<i64>,
    /// Trainings starting in the period. `null` where suppressed (a small count, or one that would give a small count
    /// back).
    #[serde(default)]
    pub trainees: Option<i64>,
    /// Pension transfers into the area completed in the period. `null` where suppressed (a small count, or one that
    /// would give a small count back).
    #[serde(default)]
    pub transfers_in: Option<i64>,
    /// Pension transfers out of the area completed in the period. `null` where suppressed (a small count, or one that
    /// would give a small count back).
    #[serde(default)]
    pub transfers_out: Option<i64>,
}

/// The figures of one area: a tenant (city, or the provincial tier 410000 河南省（省本级）), or the province as a whole
/// (`Dashboard.province`: code `410000`, 河南省 / Henan, `status` empty, `wave` 0, the sums over every tenant). Current
/// counts are exact as of the read (the statistics are kept by the writes themselves). Counts are `null` where
/// suppressed: every count of 1–4 and, complementarily, the next smallest count of any published total (of an area's
/// types, of the cities' column, of the months) that would otherwise give a suppressed count back; 0 is always shown;
/// no role sees small counts. Money figures are never hidden.
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "DashboardArea")]
pub struct Area {
    /// Six-digit division code.
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    /// Roll-out status of the tenant: `planned`, `pilot`, `live` or `suspended`; empty for the province as a whole.
    #[schemars(extend("enum" = ["planned", "pilot", "live", "suspended", ""]))]
    pub status: String,
    /// Onboarding wave (0 for the provincial tier and for the province as a whole).
    pub wave: i16,
    /// Persons registered. `null` where suppressed (see `suppressed`).
    pub persons: Option<i64>,
    /// Employers registered. `null` where suppressed (see `suppressed`).
    pub employers: Option<i64>,
    /// Active enrolments by insurance type (keys in alphabetical order). Each `null` where suppressed (see
    /// `suppressed`); they add up to `insured_total`.
    pub insured: BTreeMap<String, Option<i64>>,
    /// Active enrolments of all five types together (a person insured for three types counts three times). `null` where
    /// suppressed (see `suppressed`).
    pub insured_total: Option<i64>,
    /// Registered unemployed and seeking work now.
    #[serde(default)]
    pub registered_unemployed: Option<i64>,
    /// Transfers in progress into and out of the area, and their steps overdue.
    #[serde(default)]
    pub open_in: Option<i64>,
    /// Transfers in progress out of the area. `null` where suppressed.
    #[serde(default)]
    pub open_out: Option<i64>,
    /// Transfers in progress of the area (either side) whose step waits more than 15 working days. `null` where
    /// suppressed.
    #[serde(default)]
    pub overdue: Option<i64>,
    /// Transfers completed into and out of the area, every month together.
    #[serde(default)]
    pub completed_in: Option<i64>,
    /// Transfers completed out of the area, every month together. `null` where suppressed.
    #[serde(default)]
    pub completed_out: Option<i64>,
    /// Every period with figures, newest first.
    pub months: Vec<Month>,
    /// Some count of the area is suppressed (shown `null`, "<5" on pages and in files).
    pub suppressed: bool,
}

/// The province dashboard: the province as a whole and every tenant, in the platform's order.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Dashboard {
    pub province: Area,
    /// One area per tenant in the platform's order: the provincial tier 410000 first, then the cities.
    pub cities: Vec<Area>,
    /// Where the figures were read (replica or primary) and as of when.
    #[serde(default)]
    pub source: Option<jinbao_store::analytics::Freshness>,
}

/// Money per month from the figures (counts come from [`Shown`]).
fn money(figures: &[&Figure]) -> BTreeMap<String, Month> {
    let mut sums: BTreeMap<String, CollectionMonth> = BTreeMap::new();
    for f in figures.iter().filter(|f| f.period != current_period()) {
        sums.entry(f.period.format("%Y-%m").to_string()).or_default().add(&f.metric, Fen(f.value));
    }
    sums.into_iter()
        .map(|(period, c)| {
            let m = Month {
                period: period.clone(),
                assessed_fen: c.assessed.0,
                collected_fen: c.collected.0,
                benefits_paid_fen: c.benefits_paid.0,
                arrears_fen: c.arrears().0,
                collection_rate_permille: c.collection_rate_permille(),
                ..Month::default()
            };
            (period, m)
        })
        .collect()
}

fn area(t: Option<&TenantInfo>, figures: &[&Figure], shown: &Shown) -> Area {
    let key = t.map_or(TOTAL, |t| t.code.as_str());
    let mut suppressed = false;
    let mut count = |metric: &'static str, period: &str, kind: &str| {
        let v = shown.get(key, metric, period, kind);
        suppressed |= v.is_none();
        v
    };
    let insured: BTreeMap<String, Option<i64>> = TYPES.iter().map(|ty| (ty.to_string(), count("active_enrolments", NOW, ty))).collect();
    let insured_total = count("active_enrolments", NOW, "");
    let persons = count("persons", NOW, "");
    let employers = count("employers", NOW, "");
    let registered_unemployed = count("registered_unemployed", NOW, "");
    let (open_in, open_out, overdue) = (count("open_in", NOW, ""), count("open_out", NOW, ""), count("overdue", NOW, ""));
    let (completed_in, completed_out) = (count("transfers_in", ALL, ""), count("transfers_out", ALL, ""));
    let mut months: Vec<Month> = money(figures)
        .into_values()
        .map(|mut m| {
            let p = m.period.clone();
            m.new_enrolments = count("new_enrolments", &p, "");
            m.stopped_enrolments = count("stopped_enrolments", &p, "");
            m.re_employed = count("re_employed", &p, "");
            m.trainees = count("trainees", &p, "");
            m.transfers_in = count("transfers_in", &p, "");
            m.transfers_out = count("transfers_out", &p, "");
            m
        })
        .collect();
    months.reverse();
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
        open_in,
        open_out,
        overdue,
        completed_in,
        completed_out,
        months,
        suppressed,
    }
}

/// The inputs of [`counts::province`] for every tenant.
pub fn inputs<'a>(tenants: &[TenantInfo], figures: &'a [Figure], open: &'a [Overview]) -> Vec<Input<'a>> {
    tenants
        .iter()
        .map(|t| Input {
            code: t.code.clone(),
            figures: figures.iter().filter(|f| f.tenant_id == t.id).collect(),
            open: open.iter().find(|o| o.tenant_id == t.id),
        })
        .collect()
}

/// The dashboard from every tenant's figures and transfers in progress; every count below
/// [`jinbao_domain::disclosure::THRESHOLD`], and every count that would give one back from a
/// total, is `None`.
pub fn dashboard(tenants: &[TenantInfo], figures: &[Figure], open: &[Overview]) -> Dashboard {
    let shown = counts::province(&inputs(tenants, figures, open));
    let all: Vec<&Figure> = figures.iter().collect();
    let cities = tenants
        .iter()
        .map(|t| {
            let mine: Vec<&Figure> = figures.iter().filter(|f| f.tenant_id == t.id).collect();
            area(Some(t), &mine, &shown)
        })
        .collect();
    Dashboard { province: area(None, &all, &shown), cities, source: None }
}
