//! `/api/v1/collections`, `/api/v1/arrears`, `/api/v1/employers/{id}/statement`.

use actix_web::{web, HttpRequest, HttpResponse};
use jinbao_app::collection::{self, CollectionInput};
use jinbao_store::repo::collections;
use serde::Deserialize;

use super::persons::no_store;
use crate::auth::{Permission, Principal};
use crate::error::{ApiError, Problems};
use crate::idempotent::{idempotency_key, idempotent};
use jinbao_app::enrolment::request_hash;
use jinbao_app::input;
use jinbao_app::input::period;

/// Records a payment received (idempotent with an `Idempotency-Key`).
pub async fn record(who: Principal, req: HttpRequest, body: web::Json<CollectionInput>) -> Result<HttpResponse, ApiError> {
    who.require(Permission::CollectionWrite)?;
    let key = idempotency_key(&req)?;
    let hash = request_hash(&*body);
    let c = body.into_inner().parse()?;
    idempotent(&who, "collection", key, hash, move |tx| collection::record(tx, &c)).await
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct ArrearsQuery {
    pub period: Option<String>,
    pub employer_id: Option<i64>,
    pub all: Option<bool>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// Employer × period balances: arrears, or credit for over-payments.
pub async fn arrears(who: Principal, q: web::Query<ArrearsQuery>) -> Result<HttpResponse, ApiError> {
    who.require(Permission::ContributionRead)?;
    let mut p = Problems::default();
    let per = q.period.as_deref().filter(|s| !s.is_empty()).and_then(|s| period(&mut p, "period", Some(s)));
    let (page, per_page) = input::paging(&mut p, q.page, q.per_page);
    p.finish()?;
    let (employer, only_open) = (q.employer_id, !q.all.unwrap_or(false));
    let found = who.db(move |tx| collections::arrears(tx, per, employer, only_open, page, per_page)).await?;
    Ok(no_store(HttpResponse::Ok()).json(found))
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct StatementQuery {
    pub period: Option<String>,
    pub format: Option<String>,
}

/// The employer's monthly statement per person × type × party, as JSON or CSV (UTF-8 with BOM,
/// so Excel on Chinese Windows opens it correctly).
pub async fn statement(who: Principal, path: web::Path<i64>, q: web::Query<StatementQuery>) -> Result<HttpResponse, ApiError> {
    who.require(Permission::ContributionRead)?;
    let mut p = Problems::default();
    let per = period(&mut p, "period", q.period.as_deref());
    p.finish()?;
    let (id, per) = (path.into_inner(), per.expect("checked"));
    let reveal = who.can(Permission::PersonRevealId);
    let mut lines = who.db(move |tx| collections::statement(tx, id, per)).await?;
    if !reveal {
        for l in &mut lines {
            l.id_number = jinbao_domain::id_number::mask(&l.id_number);
        }
    }
    let due: i64 = lines.iter().map(|l| l.amount_fen).sum();
    let paid: i64 = lines.iter().map(|l| l.paid_fen).sum();
    if q.format.as_deref() == Some("csv") {
        let mut w = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
        let _ = w.write_record(["姓名", "身份证号码", "险种", "类别", "缴费方", "缴费基数", "费率(‱)", "应缴金额", "已缴金额"]);
        for l in &lines {
            let _ = w.write_record(jinbao_domain::text::neutralise_record([
                l.name.as_str(),
                l.id_number.as_str(),
                l.insurance_type.as_str(),
                l.kind.as_str(),
                l.party.as_str(),
                &jinbao_domain::Fen(l.base_fen).to_string(),
                &l.rate_bp.to_string(),
                &jinbao_domain::Fen(l.amount_fen).to_string(),
                &jinbao_domain::Fen(l.paid_fen).to_string(),
            ]));
        }
        let _ =
            w.write_record(["合计", "", "", "", "", "", "", &jinbao_domain::Fen(due).to_string(), &jinbao_domain::Fen(paid).to_string()]);
        let bytes = w.into_inner().map_err(|e| ApiError::internal(anyhow::anyhow!("csv: {e}")))?;
        return Ok(no_store(HttpResponse::Ok())
            .content_type("text/csv; charset=utf-8")
            .insert_header(("Content-Disposition", format!("attachment; filename=\"statement-{id}-{per}.csv\"")))
            .body(bytes));
    }
    Ok(no_store(HttpResponse::Ok()).json(Statement {
        employer_id: id,
        period: per,
        lines,
        due_fen: due,
        paid_fen: paid,
        due: jinbao_domain::Fen(due).to_string(),
        paid: jinbao_domain::Fen(paid).to_string(),
    }))
}

/// An employer's statement of one month (对账单): every assessed line, due and paid.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Statement {
    pub employer_id: i64,
    pub period: jinbao_domain::Period,
    /// In allocation order: type (pension, medical, unemployment, work injury, maternity), employee before employer,
    /// person id, regular before back payment. Employee lines of zero are left out.
    pub lines: Vec<collections::StatementLine>,
    /// Total due, fen.
    pub due_fen: i64,
    /// Total covered, fen (at most `due_fen`; any over-payment shows as credit in `/api/v1/arrears`).
    pub paid_fen: i64,
    /// In yuan.
    pub due: String,
    /// In yuan.
    pub paid: String,
}
