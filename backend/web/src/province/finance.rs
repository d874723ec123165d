//! The provincial finance view (finance viewers of the province tier): for every city and every
//! fund (each accounted separately, 分账核算), the year's income, expenditure, balance and the
//! subsidy that fund needs — the figures of the city ledger, from the statistics kept by the
//! business writes, read through the analytics role.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::Datelike;
use jinbao_domain::funds::{FundYear, FUNDS};
use jinbao_domain::Fen;
use jinbao_store::repo::global::{self, TenantInfo};
use jinbao_store::repo::stats::{self, Figure};
use serde::Serialize;
use serde_json::json;

use crate::auth::{Permission, Principal};
use crate::error::ApiError;
use crate::pages::page::{Page, PageResult};
use crate::pages::render::PageCtx;
use crate::state::AppState;

/// One fund of one city in the year.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, schemars::JsonSchema)]
pub struct FundFinance {
    pub insurance_type: String,
    /// Contributions allocated to this fund (by contribution month), as the city ledger has them.
    pub income_fen: i64,
    /// Benefits of this kind paid (by batch month).
    pub expenditure_fen: i64,
    /// income − expenditure.
    pub balance_fen: i64,
    /// The fund's deficit, or 0.
    pub subsidy_fen: i64,
    /// Months of its average expenditure the year's balance pays (可支付月数), in tenths of a month
    /// (`jinbao_domain::funds::FundYear::months_covered_tenths`); null when nothing was spent.
    pub months_covered_tenths: Option<i64>,
}

/// A city's funds, each accounted separately (never netted against one another).
#[derive(Debug, Clone, Serialize, PartialEq, Eq, schemars::JsonSchema)]
pub struct CityFinance {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub funds: Vec<FundFinance>,
}

/// One line per city for `year`, one entry per fund: income (contributions allocated to the fund,
/// by contribution month) and expenditure (benefits paid, by batch month) as the city ledger has
/// them.
pub fn by_city(tenants: &[TenantInfo], figures: &[Figure], year: i32) -> Vec<CityFinance> {
    let months = months_of(year, chrono::Utc::now().date_naive());
    tenants
        .iter()
        .map(|t| {
            let sum = |metric: &str, kind: &str| -> i64 {
                figures
                    .iter()
                    .filter(|f| f.tenant_id == t.id && f.metric == metric && f.period.year() == year && f.insurance_type == kind)
                    .map(|f| f.value)
                    .sum()
            };
            let funds = FUNDS
                .iter()
                .map(|&k| {
                    let y = FundYear::of(Fen(sum("income_fen", k)), Fen(sum("benefits_paid_fen", k)));
                    FundFinance {
                        insurance_type: k.to_string(),
                        income_fen: y.income.0,
                        expenditure_fen: y.expenditure.0,
                        balance_fen: y.balance.0,
                        subsidy_fen: y.subsidy.0,
                        months_covered_tenths: y.months_covered_tenths(months),
                    }
                })
                .collect();
            CityFinance { code: t.code.clone(), name_zh: t.name_zh.clone(), name_en: t.name_en.clone(), funds }
        })
        .collect()
}

/// The months of `year` elapsed on `today`: all twelve of a past year, up to this month in the current one.
pub fn months_of(year: i32, today: chrono::NaiveDate) -> u32 {
    match year.cmp(&today.year()) {
        std::cmp::Ordering::Less => 12,
        std::cmp::Ordering::Equal => today.month(),
        std::cmp::Ordering::Greater => 0,
    }
}

async fn load(state: &AppState, who: &Principal, year: i32) -> Result<Vec<CityFinance>, ApiError> {
    who.require(Permission::FinanceRead)?;
    // Only the province tier sees every city (the door checks the session and the tenant).
    let (db, door) = (state.db.clone(), who.province().await?);
    let (tenants, figures) = crate::blocking::run(move || Ok((global::tenants(&db)?, door.read(stats::province)?))).await?;
    Ok(by_city(&tenants, &figures, year))
}

/// The year asked for, or the current one for anything else (out of range, not a number, too
/// large for any integer) — as the API document promises.
fn year_of(q: &YearQuery) -> i32 {
    q.year
        .as_deref()
        .and_then(|y| y.trim().parse::<i32>().ok())
        .filter(|y| (2000..=2100).contains(y))
        .unwrap_or_else(|| chrono::Utc::now().date_naive().year())
}

#[derive(Debug, serde::Deserialize, schemars::JsonSchema)]
pub struct YearQuery {
    pub year: Option<String>,
}

pub async fn api(state: web::Data<AppState>, who: Principal, q: web::Query<YearQuery>) -> Result<HttpResponse, ApiError> {
    let year = year_of(&q);
    let cities = load(&state, &who, year).await?;
    Ok(HttpResponse::Ok().insert_header(("Cache-Control", "no-store")).json(ProvinceFinance { year, cities }))
}

pub async fn page(pg: Page, q: web::Query<YearQuery>) -> PageResult {
    let Page { state, req, who } = pg;
    let page = PageCtx::new(&state, &req, Some(&who));
    let year = year_of(&q);
    let cities = load(&state, &who, year).await?;
    let en = page.lang == crate::i18n::Lang::En;
    let rows: Vec<_> = cities
        .iter()
        .flat_map(|c| {
            c.funds.iter().enumerate().map(move |(i, f)| {
                json!({"first": i == 0, "span": c.funds.len(), "code": c.code, "name": if en { &c.name_en } else { &c.name_zh },
                       "fund": f.insurance_type, "income": Fen(f.income_fen).to_string(), "expenditure": Fen(f.expenditure_fen).to_string(),
                       "balance": Fen(f.balance_fen).to_string(), "subsidy": Fen(f.subsidy_fen).to_string(), "needs_subsidy": f.subsidy_fen > 0})
            })
        })
        .map(|mut r| {
            r["fund_label"] = json!(page.t(&format!("insurance.{}", r["fund"].as_str().unwrap_or(""))));
            r
        })
        .collect();
    // Province totals per fund: each fund summed over the cities, never across funds.
    let totals: Vec<_> = FUNDS
        .iter()
        .map(|&k| {
            let sum = |f: fn(&FundFinance) -> i64| {
                cities.iter().flat_map(|c| c.funds.iter()).filter(|x| x.insurance_type == k).map(f).sum::<i64>()
            };
            json!({"fund_label": page.t(&format!("insurance.{k}")), "income": Fen(sum(|x| x.income_fen)).to_string(),
                   "expenditure": Fen(sum(|x| x.expenditure_fen)).to_string(), "subsidy": Fen(sum(|x| x.subsidy_fen)).to_string()})
        })
        .collect();
    let mut ctx = page.base("finance", "finance.province_title", None).await;
    ctx.insert("year".into(), json!(year));
    ctx.insert("rows".into(), json!(rows));
    ctx.insert("totals".into(), json!(totals));
    Ok(page.render(StatusCode::OK, "province/finance", &ctx))
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
            kind: jinbao_store::kinds::TenantKind::City,
            status: "live".into(),
            wave: 1,
        }
    }

    fn f(tenant_id: i16, metric: &str, y: i32, kind: &str, value: i64) -> Figure {
        Figure { tenant_id, metric: metric.into(), period: NaiveDate::from_ymd_opt(y, 3, 1).unwrap(), insurance_type: kind.into(), value }
    }

    #[test]
    fn each_fund_is_summed_and_subsidised_on_its_own() {
        let figures = [
            f(11, "income_fen", 2026, "medical", 5_000),
            f(11, "income_fen", 2026, "pension", 1_000),
            f(11, "benefits_paid_fen", 2026, "pension", 1_500),
            f(11, "benefits_paid_fen", 2025, "pension", 9_999),
            f(16, "benefits_paid_fen", 2026, "maternity", 200),
        ];
        let out = by_city(&[t(11, "411000"), t(16, "411600")], &figures, 2026);
        let fund = |c: &CityFinance, k: &str| c.funds.iter().find(|x| x.insurance_type == k).cloned().unwrap();
        // Medical's surplus does not hide the pension deficit.
        assert_eq!((fund(&out[0], "pension").subsidy_fen, fund(&out[0], "medical").subsidy_fen), (500, 0));
        assert_eq!(fund(&out[0], "pension").balance_fen, -500);
        assert_eq!(fund(&out[1], "maternity").subsidy_fen, 200);
    }
}

/// Every city's funds in one year.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct ProvinceFinance {
    pub year: i32,
    /// One line per tenant in the tenant order (the province tier itself included).
    pub cities: Vec<CityFinance>,
}
