//! `/province`: the supervisors' dashboard page — the province's figures, the city comparison
//! table (sortable), a trend chart (server-rendered SVG), rollout status; and its CSV export.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use jinbao_domain::Fen;
use serde::Deserialize;
use serde_json::{json, Value};

use super::model::{Area, TYPES};
use crate::auth::Permission;
use crate::i18n::Lang;
use crate::pages::persons::page_session;
use crate::pages::render::{session, PageCtx};
use crate::state::AppState;

#[derive(Deserialize)]
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
    })
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
            let ha = (m.assessed_fen * (h - 2 * pad)) / max;
            let hc = (m.collected_fen * (h - 2 * pad)) / max;
            json!({"x": x + 4, "xc": x + slot / 2, "width": (slot / 2 - 4).max(2), "ya": h - pad - ha, "ha": ha, "yc": h - pad - hc, "hc": hc,
                   "label": m.period, "label_x": x + slot / 2 - 4, "label_y": h - pad + 14,
                   "assessed": Fen(m.assessed_fen).to_string(), "collected": Fen(m.collected_fen).to_string()})
        })
        .collect();
    json!({"width": w, "height": h, "bars": bars, "baseline": h - pad, "axis_end": w - pad, "max": Fen(max).to_string()})
}

pub async fn show(state: web::Data<AppState>, req: HttpRequest, q: web::Query<DashQuery>) -> HttpResponse {
    let who = page_session!(req);
    let page = PageCtx::new(&state, &req, Some(&who));
    if let Err(e) = who.require(Permission::StatsProvince) {
        return page.error(&req, e).await;
    }
    let d = match super::api::load(&state, who.can(Permission::TenantAdmin)).await {
        Ok(d) => d,
        Err(e) => return page.error(&req, e).await,
    };
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
    ctx.insert("suppressed".into(), json!(d.cities.iter().any(|c| c.suppressed)));
    ctx.insert("types".into(), json!(TYPES.iter().map(|t| page.t(&format!("insurance.{t}"))).collect::<Vec<_>>()));
    page.render(StatusCode::OK, "province/dashboard", &ctx)
}

/// The city comparison table as CSV (UTF-8 with BOM for Excel).
pub async fn csv(state: web::Data<AppState>, req: HttpRequest) -> HttpResponse {
    let who = page_session!(req);
    let page = PageCtx::new(&state, &req, Some(&who));
    if let Err(e) = who.require(Permission::StatsProvince) {
        return page.error(&req, e).await;
    }
    let d = match super::api::load(&state, who.can(Permission::TenantAdmin)).await {
        Ok(d) => d,
        Err(e) => return page.error(&req, e).await,
    };
    let mut w = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
    let mut header = vec!["代码", "地区", "状态", "批次", "登记人数", "单位数", "参保人次"];
    let type_labels: Vec<String> = TYPES.iter().map(|t| page.t(&format!("insurance.{t}"))).collect();
    header.extend(type_labels.iter().map(String::as_str));
    header.extend(["期间", "应缴(元)", "实缴(元)", "欠费(元)", "征缴率"]);
    let _ = w.write_record(&header);
    for a in d.cities.iter().chain(std::iter::once(&d.province)) {
        let r = row(&page, a);
        let mut rec: Vec<String> = ["code", "name", "status_label", "wave", "persons", "employers", "insured_total"]
            .iter()
            .map(|k| r[*k].as_str().map_or_else(|| r[*k].to_string(), str::to_string))
            .collect();
        rec.extend(r["insured"].as_array().into_iter().flatten().map(|v| v.as_str().unwrap_or("").to_string()));
        rec.extend(["period", "assessed", "collected", "arrears", "rate"].iter().map(|k| r[*k].as_str().unwrap_or("").to_string()));
        let _ = w.write_record(&rec);
    }
    let bytes = w.into_inner().unwrap_or_default();
    HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header(("Content-Disposition", "attachment; filename=\"province-cities.csv\""))
        .insert_header(("Cache-Control", "no-store"))
        .body(bytes)
}
