//! `/province`: the supervisors' dashboard page — the province's figures, the city comparison
//! table (sortable), a trend chart (server-rendered SVG), rollout status; and its CSV export.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use jinbao_domain::text::{neutralise_cell, neutralise_record};
use jinbao_domain::Fen;
use serde::Deserialize;
use serde_json::{json, Value};

use super::model::{Area, TYPES};
use crate::auth::Permission;
use crate::error::ApiError;
use crate::i18n::Lang;
use crate::pages::page::{Page, PageError, PageResult};
use crate::pages::render::PageCtx;

#[derive(Deserialize, schemars::JsonSchema)]
pub struct DashQuery {
    sort: Option<String>,
}

fn shown(v: Option<i64>) -> String {
    v.map_or_else(|| "<5".to_string(), |n| n.to_string())
}

fn latest(a: &Area) -> Option<&super::model::Month> {
    a.months.iter().find(|m| m.assessed_fen > 0).or(a.months.first())
}

fn row(page: &PageCtx<'_>, a: &Area) -> Value {
    let m = latest(a);
    json!({
        "code": a.code, "name": if page.lang == Lang::En { &a.name_en } else { &a.name_zh },
        "status_label": page.t(&format!("status.{}", if a.status.is_empty() { "live" } else { &a.status })), "wave": a.wave,
        "persons": shown(a.persons), "employers": shown(a.employers), "insured_total": shown(a.insured_total),
        "insured": TYPES.iter().map(|t| shown(a.insured.get(*t).copied().flatten())).collect::<Vec<_>>(),
        "period": m.map(|m| m.period.clone()), "assessed": m.map(|m| Fen(m.assessed_fen).to_string()),
        "collected": m.map(|m| Fen(m.collected_fen).to_string()), "arrears": m.map(|m| Fen(m.arrears_fen).to_string()),
        "rate": m.and_then(|m| m.collection_rate_permille).map(|r| format!("{}.{}%", r / 10, r % 10)),
        "registered_unemployed": shown(a.registered_unemployed),
        "re_employed": shown(this_month(a).map_or(Some(0), |m| m.re_employed)),
        "trainees": shown(this_month(a).map_or(Some(0), |m| m.trainees)),
        "open_in": shown(a.open_in), "open_out": shown(a.open_out), "overdue": shown(a.overdue),
        "has_overdue": a.overdue != Some(0),
    })
}

/// The figures of the current month, if any.
fn this_month(a: &Area) -> Option<&super::model::Month> {
    let now = chrono::Utc::now().format("%Y-%m").to_string();
    a.months.iter().find(|m| m.period == now)
}

/// The height in pixels of a bar of `value` when `max` fills `full` pixels.
fn bar_height(value: i64, max: i64, full: i64) -> i64 {
    value.clamp(0, max) * full / max.max(1)
}

/// A bar chart of assessed (and collected) per month as inline SVG markup parts for the template.
fn chart(a: &Area) -> Value {
    let months: Vec<&super::model::Month> = a.months.iter().take(12).collect::<Vec<_>>().into_iter().rev().collect();
    let max = months.iter().map(|m| m.assessed_fen.max(m.collected_fen)).max().unwrap_or(0).max(1);
    let (w, h, pad) = (640i64, 200i64, 30i64);
    let n = months.len().max(1) as i64;
    let slot = (w - 2 * pad) / n;
    let bars: Vec<Value> = months
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let x = pad + i as i64 * slot;
            let (ha, hc) = (bar_height(m.assessed_fen, max, h - 2 * pad), bar_height(m.collected_fen, max, h - 2 * pad));
            json!({"x": x + 4, "xc": x + slot / 2, "width": (slot / 2 - 4).max(2), "ya": h - pad - ha, "ha": ha, "yc": h - pad - hc, "hc": hc,
                   "label": m.period, "label_x": x + slot / 2 - 4, "label_y": h - pad + 14,
                   "assessed": Fen(m.assessed_fen).to_string(), "collected": Fen(m.collected_fen).to_string()})
        })
        .collect();
    json!({"width": w, "height": h, "bars": bars, "baseline": h - pad, "axis_end": w - pad, "max": Fen(max).to_string()})
}

pub async fn show(pg: Page, q: web::Query<DashQuery>) -> PageResult {
    let Page { state, req, who } = pg;
    let page = PageCtx::new(&state, &req, Some(&who));
    who.require(Permission::StatsProvince)?;
    let d = super::api::load(&state, &who).await?;
    let mut cities: Vec<&Area> = d.cities.iter().collect();
    let sort = q.sort.clone().unwrap_or_else(|| "code".into());
    let key = |a: &Area| -> i64 {
        match sort.as_str() {
            "insured" => a.insured_total.unwrap_or(0),
            "persons" => a.persons.unwrap_or(0),
            "arrears" => latest(a).map_or(0, |m| m.arrears_fen),
            "rate" => latest(a).and_then(|m| m.collection_rate_permille).unwrap_or(-1),
            _ => 0,
        }
    };
    if sort != "code" {
        cities.sort_by_key(|a| std::cmp::Reverse(key(a)));
    }
    let mut ctx = page.base("province", "province.title", None).await;
    ctx.insert("province".into(), row(&page, &d.province));
    ctx.insert("cities".into(), json!(cities.iter().map(|a| row(&page, a)).collect::<Vec<_>>()));
    ctx.insert("chart".into(), chart(&d.province));
    ctx.insert("sort".into(), json!(sort));
    ctx.insert("freshness".into(), freshness(&page, d.source.as_ref()));
    ctx.insert("suppressed".into(), json!(d.cities.iter().chain([&d.province]).any(|c| c.suppressed)));
    ctx.insert("types".into(), json!(TYPES.iter().map(|t| page.t(&format!("insurance.{t}"))).collect::<Vec<_>>()));
    let flows: Vec<Value> = d.cities.iter().map(|a| row(&page, a)).collect();
    ctx.insert("flows".into(), json!(flows));
    Ok(page.render(StatusCode::OK, "province/dashboard", &ctx))
}

/// "Figures as of …": where the dashboard was read and how fresh it is; a warning when the
/// replica could not be used.
fn freshness(page: &PageCtx<'_>, f: Option<&jinbao_store::analytics::Freshness>) -> Value {
    let Some(f) = f else { return Value::Null };
    let time = f.as_of.with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8")).format("%Y-%m-%d %H:%M:%S").to_string();
    let lag = f.lag_seconds.map_or_else(String::new, |l| format!("{l:.0}"));
    let say = |key: &str| page.t(key).replace("{time}", &time).replace("{lag}", &lag);
    match (f.source.as_str(), f.replica.as_str()) {
        ("replica", _) => json!({"text": say("province.as_of_replica"), "warning": false}),
        (_, "down") => json!({"text": say("province.replica_down"), "warning": true}),
        (_, "behind") => json!({"text": say("province.replica_behind"), "warning": true}),
        _ => json!({"text": say("province.as_of_primary"), "warning": false}),
    }
}

/// The city comparison table as rows of text: a header, every city, the province.
fn table(page: &PageCtx<'_>, d: &super::model::Dashboard) -> Vec<Vec<String>> {
    let mut header: Vec<String> =
        ["代码 Code", "地区 Area", "状态 Status", "批次 Wave", "登记人数 Persons", "单位数 Employers", "参保人次 Enrolments"]
            .map(String::from)
            .to_vec();
    header.extend(TYPES.iter().map(|t| page.t(&format!("insurance.{t}"))));
    header.extend(["期间 Period", "应缴(元) Assessed", "实缴(元) Collected", "欠费(元) Arrears", "征缴率 Rate"].map(String::from));
    let mut rows = vec![header];
    for a in d.cities.iter().chain(std::iter::once(&d.province)) {
        let r = row(page, a);
        let text = |v: &Value| v.as_str().map_or_else(|| if v.is_null() { String::new() } else { v.to_string() }, str::to_string);
        let mut rec: Vec<String> =
            ["code", "name", "status_label", "wave", "persons", "employers", "insured_total"].iter().map(|k| text(&r[*k])).collect();
        rec.extend(r["insured"].as_array().into_iter().flatten().map(text));
        rec.extend(["period", "assessed", "collected", "arrears", "rate"].iter().map(|k| text(&r[*k])));
        rows.push(rec);
    }
    rows
}

async fn load_table(pg: &Page) -> Result<Vec<Vec<String>>, PageError> {
    pg.require(Permission::StatsProvince)?;
    let d = super::api::load(&pg.state, &pg.who).await?;
    Ok(table(&pg.ctx(), &d))
}

/// The city comparison table as CSV (UTF-8 with BOM for Excel).
pub async fn csv(pg: Page) -> PageResult {
    let rows = load_table(&pg).await?;
    let mut w = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
    for r in &rows {
        let _ = w.write_record(neutralise_record(r));
    }
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header(("Content-Disposition", "attachment; filename=\"province-cities.csv\""))
        .insert_header(("Cache-Control", "no-store"))
        .body(w.into_inner().unwrap_or_default()))
}

/// The same table as an Excel workbook; numbers as numbers.
pub async fn xlsx(pg: Page) -> PageResult {
    let rows = load_table(&pg).await?;
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (i, r) in rows.iter().enumerate() {
        for (j, cell) in r.iter().enumerate() {
            let (row, col) = (i as u32, j as u16);
            let written = match cell.parse::<f64>() {
                Ok(n) if i > 0 && !cell.is_empty() && j != 0 => ws.write_number(row, col, n).map(|_| ()),
                _ => ws.write_string(row, col, neutralise_cell(cell)).map(|_| ()),
            };
            if let Err(e) = written {
                tracing::error!(error = %e, "xlsx cell");
            }
        }
    }
    let bytes = wb.save_to_buffer().map_err(|e| ApiError::internal(anyhow::anyhow!("xlsx: {e}")))?;
    Ok(HttpResponse::Ok()
        .content_type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        .insert_header(("Content-Disposition", "attachment; filename=\"province-cities.xlsx\""))
        .insert_header(("Cache-Control", "no-store"))
        .body(bytes))
}
