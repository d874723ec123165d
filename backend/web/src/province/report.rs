//! The monthly statistical report as a versioned, machine-readable package for submission up the
//! hierarchy (city → province → ministry): a zip with `report.json`, `areas.csv` and a
//! `manifest.json` listing every file with its SHA-256. Format: docs/exchange-format.md.

use jinbao_store::kinds::TenantKind;
use std::io::Write;

use actix_web::{web, HttpResponse};
use jinbao_domain::Period;
use jinbao_store::repo::global::TenantInfo;
use jinbao_store::repo::{global, stats};
use serde::Deserialize;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use jinbao_domain::disclosure::THRESHOLD;
use jinbao_store::repo::transfers::Overview;

use super::counts::{self, Shown, NOW, TOTAL};
use super::model::TYPES;
use crate::auth::{Permission, Principal};
use crate::error::ApiError;
use crate::state::AppState;

pub const FORMAT: &str = "jinbao.monthly-statistics";
/// Version 2: counts are `null` (in `areas.csv` "<5") where suppressed; each area has `suppressed`.
pub const VERSION: u32 = 2;
/// How a suppressed count reads in `areas.csv` (and on pages and exports).
pub const SHOWN_SUPPRESSED: &str = "<5";

#[derive(Deserialize, schemars::JsonSchema)]
pub struct ReportQuery {
    period: Option<String>,
}

/// One area of the report: counts as published by [`super::counts`] (`null` where suppressed),
/// money exact.
fn area(t: &TenantInfo, key: &str, figures: &[&stats::Figure], period: Period, shown: &Shown) -> Value {
    let day = period.first_day();
    let month = period.to_string();
    let money = |metric: &str, ty: Option<&str>| -> i64 {
        figures.iter().filter(|f| f.metric == metric && f.period == day && ty.is_none_or(|t| f.insurance_type == t)).map(|f| f.value).sum()
    };
    let mut suppressed = false;
    let mut count = |metric: &'static str, at: &str, ty: &str| -> Value {
        let v = shown.get(key, metric, at, ty);
        suppressed |= v.is_none();
        json!(v)
    };
    let mut by_type = |metric: &'static str, at: &str| -> Value {
        TYPES.iter().map(|t| (t.to_string(), count(metric, at, t))).collect::<serde_json::Map<_, _>>().into()
    };
    let active = by_type("active_enrolments", NOW);
    let new = by_type("new_enrolments", &month);
    let stopped = by_type("stopped_enrolments", &month);
    let (persons, employers) = (count("persons", NOW, ""), count("employers", NOW, ""));
    let assessed: Value =
        TYPES.iter().map(|t| (t.to_string(), json!(money("assessed_fen", Some(t))))).collect::<serde_json::Map<_, _>>().into();
    json!({
        "code": t.code, "name_zh": t.name_zh, "name_en": t.name_en, "kind": if key == TOTAL { "total" } else { t.kind.as_str() }, "status": t.status,
        "persons": persons, "employers": employers,
        "active_enrolments": active, "new_enrolments": new, "stopped_enrolments": stopped,
        "assessed_fen": assessed, "collected_fen": money("collected_fen", None), "suppressed": suppressed,
    })
}

/// A cell of `areas.csv`: the number, or "<5" where suppressed.
fn cell(v: &Value) -> String {
    if v.is_null() {
        SHOWN_SUPPRESSED.to_string()
    } else {
        v.to_string()
    }
}

fn csv_of(areas: &[Value]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["code".to_string(), "name_zh".into(), "persons".into(), "employers".into()];
    for m in ["active_enrolments", "new_enrolments", "stopped_enrolments", "assessed_fen"] {
        header.extend(TYPES.iter().map(|t| format!("{m}.{t}")));
    }
    header.push("collected_fen".into());
    let _ = w.write_record(jinbao_domain::text::neutralise_record(&header));
    for a in areas {
        let mut rec = vec![
            a["code"].as_str().unwrap_or("").to_string(),
            a["name_zh"].as_str().unwrap_or("").to_string(),
            cell(&a["persons"]),
            cell(&a["employers"]),
        ];
        for m in ["active_enrolments", "new_enrolments", "stopped_enrolments", "assessed_fen"] {
            rec.extend(TYPES.iter().map(|t| cell(&a[m][*t])));
        }
        rec.push(cell(&a["collected_fen"]));
        let _ = w.write_record(jinbao_domain::text::neutralise_record(&rec));
    }
    w.into_inner().unwrap_or_default()
}

/// The zip package for `scope` (one city, or every tenant plus the province total). A city's
/// package is suppressed within the city; the province's within the whole table (which hides at
/// least what each city's own package hides).
pub fn package(
    tenants: &[TenantInfo],
    figures: &[stats::Figure],
    open: &[Overview],
    period: Period,
    scope: Option<i16>,
) -> anyhow::Result<Vec<u8>> {
    let chosen: Vec<&TenantInfo> = tenants.iter().filter(|t| scope.is_none_or(|s| s == t.id)).collect();
    let inputs = super::model::inputs(tenants, figures, open);
    let shown = match scope {
        None => counts::province(&inputs),
        Some(s) => {
            let code = tenants.iter().find(|t| t.id == s).map(|t| t.code.clone()).unwrap_or_default();
            inputs.into_iter().find(|i| i.code == code).map(counts::city).unwrap_or_default()
        }
    };
    let mut areas: Vec<Value> = chosen
        .iter()
        .map(|t| {
            let mine: Vec<&stats::Figure> = figures.iter().filter(|f| f.tenant_id == t.id).collect();
            area(t, &t.code, &mine, period, &shown)
        })
        .collect();
    if scope.is_none() {
        let all: Vec<&stats::Figure> = figures.iter().collect();
        let province = TenantInfo {
            id: 0,
            code: "total".into(),
            name_zh: "河南省合计".into(),
            name_en: "Henan total".into(),
            kind: TenantKind::Province,
            status: String::new(),
            wave: 0,
        };
        areas.push(area(&province, TOTAL, &all, period, &shown));
    }
    let report = serde_json::to_vec_pretty(&json!({"format": FORMAT, "version": VERSION, "period": period,
        "suppression": {"threshold": THRESHOLD, "shown_as": null, "in_csv": SHOWN_SUPPRESSED}, "areas": areas}))?;
    let table = csv_of(&areas);
    let files = [("report.json", report), ("areas.csv", table)];
    let manifest = json!({
        "format": FORMAT, "version": VERSION, "period": period, "generated_at": chrono::Utc::now().to_rfc3339(),
        "scope": chosen.iter().map(|t| t.code.clone()).collect::<Vec<_>>(),
        "files": files.iter().map(|(name, bytes)| json!({"name": name, "bytes": bytes.len(), "sha256": hex::encode(Sha256::digest(bytes))})).collect::<Vec<_>>(),
    });
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in files
        .iter()
        .map(|(n, b)| (n.to_string(), b.clone()))
        .chain(std::iter::once(("manifest.json".to_string(), serde_json::to_vec_pretty(&manifest)?)))
    {
        zip.start_file(name, options)?;
        zip.write_all(&bytes)?;
    }
    Ok(zip.finish()?.into_inner())
}

fn period_of(q: &ReportQuery) -> Result<Period, ApiError> {
    q.period.as_deref().and_then(|p| p.parse().ok()).ok_or_else(|| ApiError::field("period", "period.format"))
}

fn zip_response(bytes: Vec<u8>, name: String) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/zip")
        .insert_header(("Content-Disposition", format!("attachment; filename=\"{name}\"")))
        .insert_header(("Cache-Control", "no-store"))
        .body(bytes)
}

/// Province package: every city and the province total (province supervisors).
pub async fn province(state: web::Data<AppState>, who: Principal, q: web::Query<ReportQuery>) -> Result<HttpResponse, ApiError> {
    who.require(Permission::StatsProvince)?;
    let period = period_of(&q)?;
    let (db, door) = (state.db.clone(), who.province().await?);
    let (tenants, figures, open) = crate::blocking::run(move || {
        Ok((global::tenants(&db)?, door.read(stats::province)?, door.read(jinbao_store::repo::transfers::overview)?))
    })
    .await?;
    let bytes = package(&tenants, &figures, &open, period, None).map_err(ApiError::internal)?;
    Ok(zip_response(bytes, format!("henan-{period}-v{VERSION}.zip")))
}

/// City package: the caller's own city, from its own statistics.
pub async fn city(state: web::Data<AppState>, who: Principal, q: web::Query<ReportQuery>) -> Result<HttpResponse, ApiError> {
    who.require(Permission::ContributionRead)?;
    let period = period_of(&q)?;
    let db = state.db.clone();
    let tenants = crate::blocking::run(move || global::tenants(&db)).await?;
    let figures = who.db(stats::current).await?;
    let bytes = package(&tenants, &figures, &[], period, Some(who.tenant.0)).map_err(ApiError::internal)?;
    Ok(zip_response(bytes, format!("{}-{period}-v{VERSION}.zip", who.claims.tcode)))
}
