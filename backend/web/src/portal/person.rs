//! 个人网上服务: what an insured person sees of their own record.

use actix_web::http::StatusCode;
use jinbao_store::repo::{enrolments, persons, public_accounts};
use serde_json::{json, Value};

use super::page::{PortalPage, PortalResult};

fn month(d: chrono::NaiveDate) -> String {
    d.format("%Y-%m").to_string()
}

/// The person's home: registration and insurances.
pub async fn home(pg: PortalPage, flash: Option<String>) -> PortalResult {
    pg.who.require_person()?;
    let page = pg.ctx();
    let (p, ens) = pg
        .who
        .db(|tx| {
            let id = public_accounts::principal_person(tx)?;
            Ok((persons::get(tx, id)?, enrolments::of_person(tx, id)?))
        })
        .await?;
    let lines: Vec<Value> = ens
        .iter()
        .map(|e| {
            json!({"type_label": page.t(&format!("insurance.{}", e.insurance_type)), "start_period": month(e.start_period),
                   "end_period": e.end_period.map(month), "status_label": page.t(&format!("status.{}", e.status))})
        })
        .collect();
    let mut ctx = page.base("home", "portal.person.title").await;
    ctx.insert(
        "person".into(),
        json!({"name": p.name, "id_number_masked": jinbao_domain::id_number::mask(&p.id_number), "birth_date": p.birth_date.to_string(),
               "gender_label": page.t(&format!("persons.{}", p.gender.code()))}),
    );
    ctx.insert("enrolments".into(), json!(lines));
    ctx.insert("flash".into(), json!(flash.filter(|f| f == "password").map(|_| page.t("portal.flash.password"))));
    Ok(page.render(StatusCode::OK, "portal/person_home", &ctx))
}
