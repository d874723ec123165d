//! The provincial finance view (finance viewers of the province tier): for every city, the year's
//! contributions collected, benefits paid by type, the net and the subsidy the fund needs — from
//! the statistics kept by the business writes, read through the analytics role.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Datelike;
use jinbao_domain::Fen;
use jinbao_store::repo::global::{self, TenantInfo};
use jinbao_store::repo::stats::{self, Figure};
use serde::Serialize;
use serde_json::json;

use crate::auth::{Permission, Principal};
use crate::error::ApiError;
use crate::pages::persons::page_session;
use crate::pages::render::{session, PageCtx};
use crate::state::AppState;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct CityFinance {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub collected_fen: i64,
    pub pension_paid_fen: i64,
    pub unemployment_paid_fen: i64,
    pub maternity_paid_fen: i64,
    pub paid_fen: i64,
    pub net_fen: i64,
    pub subsidy_fen: i64,
}

/// One line per city for `year` (collections by contribution month, benefits by batch month).
pub fn by_city(tenants: &[TenantInfo], figures: &[Figure], year: i32) -> Vec<CityFinance> {
    tenants
        .iter()
        .map(|t| {
            let sum = |metric: &str, kind: Option<&str>| -> i64 {
                figures
                    .iter()
                    .filter(|f| f.tenant_id == t.id && f.metric == metric && f.period.year() == year)
                    .filter(|f| kind.is_none_or(|k| f.insurance_type == k))
                    .map(|f| f.value)
                    .sum()
            };
            let collected = sum("collected_fen", None);
            let paid = sum("benefits_paid_fen", None);
            CityFinance {
                code: t.code.clone(),
                name_zh: t.name_zh.clone(),
                name_en: t.name_en.clone(),
                collected_fen: collected,
                pension_paid_fen: sum("benefits_paid_fen", Some("pension")),
                unemployment_paid_fen: sum("benefits_paid_fen", Some("unemployment")),
                maternity_paid_fen: sum("benefits_paid_fen", Some("maternity")),
                paid_fen: paid,
                net_fen: collected - paid,
                subsidy_fen: (paid - collected).max(0),
            }
        })
        .collect()
}

async fn load(state: &AppState, who: &Principal, year: i32) -> Result<Vec<CityFinance>, ApiError> {
    who.require(Permission::FinanceRead)?;
    // Only the province tier sees every city (the door checks the session and the tenant).
    let (db, door) = (state.db.clone(), who.province().await?);
    let (tenants, figures) = crate::blocking::run(move || Ok((global::tenants(&db)?, door.read(stats::province)?))).await?;
    Ok(by_city(&tenants, &figures, year))
}

fn year_of(q: &YearQuery) -> i32 {
    q.year.filter(|y| (2000..=2100).contains(y)).unwrap_or_else(|| chrono::Utc::now().date_naive().year())
}

#[derive(Debug, serde::Deserialize)]
pub struct YearQuery {
    pub year: Option<i32>,
}

pub async fn api(state: web::Data<AppState>, who: Principal, q: web::Query<YearQuery>) -> Result<HttpResponse, ApiError> {
    let year = year_of(&q);
    let cities = load(&state, &who, year).await?;
    Ok(HttpResponse::Ok().insert_header(("Cache-Control", "no-store")).json(json!({"year": year, "cities": cities})))
}

pub async fn page(state: web::Data<AppState>, req: HttpRequest, q: web::Query<YearQuery>) -> HttpResponse {
    let who = page_session!(req);
    let page = PageCtx::new(&state, &req, Some(&who));
    let year = year_of(&q);
    let cities = match load(&state, &who, year).await {
        Ok(c) => c,
        Err(e) => return page.error(&req, e).await,
    };
    let en = page.lang == crate::i18n::Lang::En;
    let rows: Vec<_> = cities
        .iter()
        .map(|c| {
            json!({"code": c.code, "name": if en { &c.name_en } else { &c.name_zh }, "collected": Fen(c.collected_fen).to_string(),
                   "pension": Fen(c.pension_paid_fen).to_string(), "unemployment": Fen(c.unemployment_paid_fen).to_string(),
                   "maternity": Fen(c.maternity_paid_fen).to_string(), "paid": Fen(c.paid_fen).to_string(),
                   "net": Fen(c.net_fen).to_string(), "subsidy": Fen(c.subsidy_fen).to_string(), "needs_subsidy": c.subsidy_fen > 0})
        })
        .collect();
    let total = |f: fn(&CityFinance) -> i64| Fen(cities.iter().map(f).sum()).to_string();
    let mut ctx = page.base("finance", "finance.province_title", None).await;
    ctx.insert("year".into(), json!(year));
    ctx.insert("rows".into(), json!(rows));
    ctx.insert(
        "total".into(),
        json!({"collected": total(|c| c.collected_fen), "paid": total(|c| c.paid_fen), "subsidy": total(|c| c.subsidy_fen)}),
    );
    page.render(StatusCode::OK, "province/finance", &ctx)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn t(id: i16, code: &str) -> TenantInfo {
        TenantInfo {
            id,
            code: code.into(),
            name_zh: code.into(),
            name_en: code.into(),
            kind: "city".into(),
            status: "live".into(),
            wave: 1,
        }
    }

    fn f(tenant_id: i16, metric: &str, y: i32, kind: &str, value: i64) -> Figure {
        Figure { tenant_id, metric: metric.into(), period: NaiveDate::from_ymd_opt(y, 3, 1).unwrap(), insurance_type: kind.into(), value }
    }

    #[test]
    fn sums_the_year_per_city_and_computes_the_subsidy() {
        let figures = [
            f(11, "collected_fen", 2026, "", 1_000),
            f(11, "benefits_paid_fen", 2026, "pension", 1_500),
            f(11, "benefits_paid_fen", 2025, "pension", 9_999),
            f(16, "collected_fen", 2026, "", 5_000),
            f(16, "benefits_paid_fen", 2026, "maternity", 200),
        ];
        let out = by_city(&[t(11, "411000"), t(16, "411600")], &figures, 2026);
        assert_eq!((out[0].paid_fen, out[0].net_fen, out[0].subsidy_fen), (1_500, -500, 500));
        assert_eq!((out[1].maternity_paid_fen, out[1].subsidy_fen), (200, 0));
    }
}
