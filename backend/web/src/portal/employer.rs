//! 单位网上经办: what an employer's accountant does online. Every handler runs as the account
//! (`jinbao_public`, the employer as principal), so the database shows it its own employer and
//! the people it employs, nothing else; ids in paths are looked up under that rule (another
//! employer's person is "not found").

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use jinbao_domain::{contribution, Fen, IdNumber, InsuranceType, Period};
use jinbao_store::repo::employments::{self, OnlineHire};
use jinbao_store::repo::enrolments::{self, EnrolRequest, PersonChoice};
use jinbao_store::repo::persons::{self, PersonFields};
use jinbao_store::repo::{certificates, collections, declarations, employers, public_accounts, public_applications, rules};
use jinbao_store::StoreError;
use rand::RngCore;
use serde::Deserialize;
use serde_json::{json, Value};

use super::page::{Fields, PortalCtx, PortalPage, PortalResult};
use crate::error::{ApiError, FieldProblem, Problems};
use crate::pages::enrol::{assessment_from, type_flags};
use crate::pages::render::{page_links, redirect};
use jinbao_app::enrolment::{once, outcome_json, request_hash};

fn employer_json(e: &employers::Employer) -> Value {
    json!({"id": e.id, "name": e.name, "credit_code": e.credit_code, "risk_class": e.risk_class})
}

fn month(d: chrono::NaiveDate) -> String {
    d.format("%Y-%m").to_string()
}

fn flash(page: &PortalCtx<'_>, q: Option<&str>) -> Value {
    match q {
        Some(k @ ("password" | "hired" | "left" | "applied")) => json!(page.t(&format!("portal.flash.{k}"))),
        _ => Value::Null,
    }
}

#[derive(Deserialize)]
pub struct HomeQuery {
    flash: Option<String>,
}

/// `GET /portal`: the employer, its people and what waits for a clerk (a person's account has its
/// own home).
pub async fn home(pg: PortalPage, q: web::Query<HomeQuery>) -> PortalResult {
    if pg.who.is_person() {
        return super::person::home(pg, q.flash.clone()).await;
    }
    pg.who.require_employer()?;
    let page = pg.ctx();
    let (e, current, waiting) = pg
        .who
        .db(|tx| {
            let id = public_accounts::principal_employer(tx)?;
            let e = employers::get(tx, id)?;
            let current = employments::roster(tx, id, None, true, 1, 100)?;
            let waiting = public_applications::list(tx, Some("submitted"), 1, 100)?;
            Ok((e, current.items.len() as i64 + if current.has_more { 1 } else { 0 }, waiting.items.len()))
        })
        .await?;
    let mut ctx = page.base("home", "portal.home.title").await;
    ctx.insert("employer".into(), employer_json(&e));
    ctx.insert("current_employees".into(), json!(if current > 100 { "100+".to_string() } else { current.to_string() }));
    ctx.insert("waiting".into(), json!(waiting));
    ctx.insert("period".into(), json!(Period::of_date(chrono::Utc::now().date_naive()).to_string()));
    ctx.insert("flash".into(), flash(&page, q.flash.as_deref()));
    Ok(page.render(StatusCode::OK, "portal/employer_home", &ctx))
}

#[derive(Deserialize)]
pub struct RosterQuery {
    q: Option<String>,
    page: Option<i64>,
    all: Option<String>,
    flash: Option<String>,
}

/// `GET /portal/employees`: the roster, current employees first, searchable by name or identity
/// number, 50 a page; leaving is a bulk action on the ticked rows.
pub async fn employees(pg: PortalPage, q: web::Query<RosterQuery>) -> PortalResult {
    pg.who.require_employer()?;
    let page = pg.ctx();
    let search: String = q.q.clone().unwrap_or_default().chars().take(50).collect();
    let all = q.all.as_deref() == Some("1");
    let n = q.page.unwrap_or(1).clamp(1, 10_000);
    let s = search.clone();
    let rows = pg
        .who
        .db(move |tx| {
            let id = public_accounts::principal_employer(tx)?;
            employments::roster(tx, id, Some(&s), !all, n, 50)
        })
        .await?;
    let items: Vec<Value> = rows
        .items
        .iter()
        .map(|r| {
            json!({"person_id": r.person_id, "name": r.name, "id_number_masked": jinbao_domain::id_number::mask(&r.id_number),
                   "start_date": r.start_date.to_string(), "end_date": r.end_date.map(|d| d.to_string()), "current": r.end_date.is_none(),
                   "types": r.active_types.iter().map(|t| page.t(&format!("insurance.{t}"))).collect::<Vec<_>>()})
        })
        .collect();
    let (prev, next) = page_links("/portal/employees", &[("q", &search), ("all", if all { "1" } else { "" })], rows.page, rows.has_more);
    let mut ctx = page.base("employees", "portal.employees.title").await;
    ctx.insert("rows".into(), json!(items));
    ctx.insert("q".into(), json!(search));
    ctx.insert("all".into(), json!(all));
    ctx.insert("prev".into(), prev);
    ctx.insert("next".into(), next);
    ctx.insert("page".into(), json!(rows.page));
    ctx.insert(
        "leave".into(),
        json!({"end_period": Period::of_date(chrono::Utc::now().date_naive()).to_string(),
                                       "leave_date": chrono::Utc::now().date_naive().to_string()}),
    );
    ctx.insert("flash".into(), flash(&page, q.flash.as_deref()));
    Ok(page.render(StatusCode::OK, "portal/employees", &ctx))
}

/// `POST /portal/employees/leave`: the ticked employees left on a date; their insurances with the
/// employer stop after the given month. All or nothing, retried safely (the form's key).
pub async fn leave(pg: PortalPage, body: web::Bytes) -> PortalResult {
    pg.who.require_employer()?;
    let f = Fields::parse(&body);
    pg.check_csrf(&f.get("csrf"))?;
    let mut p = Problems::default();
    let ids: Vec<i64> = f.all("person_id").iter().filter_map(|v| v.parse().ok()).collect();
    if ids.is_empty() {
        p.push("person_id", "portal.leave.none_selected");
    }
    if ids.len() > 200 {
        p.push("person_id", "portal.leave.too_many");
    }
    let end = match f.get("end_period").parse::<Period>() {
        Ok(e) => Some(e),
        Err(_) => {
            p.push("end_period", "period.format");
            None
        }
    };
    let on = jinbao_app::input::date(&mut p, "leave_date", Some(&f.get("leave_date")));
    let reason = f.get("reason");
    let reason = if reason.is_empty() { "left_employer".to_string() } else { jinbao_domain::text::printable(&reason, 200) };
    p.finish().map_err(ApiError::from)?;
    let (end, on) = (end.expect("checked"), on.expect("checked"));
    let key = Some(f.get("idem_key")).filter(|k| (8..=100).contains(&k.len()));
    let hash = request_hash(&f.0.iter().filter(|(k, _)| k != "csrf").collect::<Vec<_>>());
    pg.who
        .db(move |tx| {
            let scope = format!("portal_leave:{}", tx.actor().account_id().unwrap_or(0));
            once(tx, &scope, key.as_deref(), &hash, |tx| {
                let employer = public_accounts::principal_employer(tx)?;
                for pid in &ids {
                    persons::get(tx, *pid).map_err(|e| {
                        if matches!(e, StoreError::NotFound) {
                            StoreError::invalid("person_id", "not_found")
                        } else {
                            e
                        }
                    })?;
                    if !enrolments::active_types(tx, *pid)?.is_empty() {
                        match enrolments::stop(tx, *pid, employer, end, None, &reason) {
                            Ok(_) => {}
                            Err(StoreError::Invalid(fs)) if fs.iter().any(|f| f.code == "enrolment.none_active") => {}
                            Err(e) => return Err(e),
                        }
                    }
                    if let Some(emp) = employments::open_of(tx, *pid, employer)? {
                        employments::leave(tx, emp, on, Some(&reason))?;
                    }
                }
                Ok((200, json!({"left": ids.len()})))
            })
        })
        .await?;
    Ok(redirect("/portal/employees?flash=left"))
}

/// `GET /portal/employees/{person}`: one employee as the employer sees them.
pub async fn employee(pg: PortalPage, path: web::Path<String>) -> PortalResult {
    pg.who.require_employer()?;
    let Ok(id) = path.parse::<i64>() else { return Err(ApiError::NotFound.into()) };
    let page = pg.ctx();
    let (p, ens) = pg.who.db(move |tx| Ok((persons::get(tx, id)?, enrolments::of_person(tx, id)?))).await?;
    let lines: Vec<Value> = ens
        .iter()
        .map(|e| {
            json!({"type_label": page.t(&format!("insurance.{}", e.insurance_type)), "start_period": month(e.start_period),
                   "end_period": e.end_period.map(month), "status_label": page.t(&format!("status.{}", e.status))})
        })
        .collect();
    let mut ctx = page.base("employees", "portal.employee.title").await;
    ctx.insert(
        "person".into(),
        json!({"id": p.id, "name": p.name, "id_number_masked": jinbao_domain::id_number::mask(&p.id_number),
               "gender_label": page.t(&format!("persons.{}", p.gender.code())), "birth_date": p.birth_date.to_string()}),
    );
    ctx.insert("enrolments".into(), json!(lines));
    Ok(page.render(StatusCode::OK, "portal/employee", &ctx))
}

/// `POST /portal/employees/{person}/certificate`: an insurance certificate of an employee (the
/// months insured with this employer), printable, verifiable by its code.
pub async fn issue_certificate(pg: PortalPage, path: web::Path<String>, body: web::Bytes) -> PortalResult {
    pg.who.require_employer()?;
    let f = Fields::parse(&body);
    pg.check_csrf(&f.get("csrf"))?;
    let Ok(id) = path.parse::<i64>() else { return Err(ApiError::NotFound.into()) };
    let mut random = [0u8; 12];
    rand::thread_rng().fill_bytes(&mut random);
    let tenant_code = pg.who.claims.tcode.clone();
    let c = pg.who.db(move |tx| certificates::issue(tx, id, &tenant_code, random)).await?;
    Ok(redirect(&format!("/portal/certificates/{}", c.code)))
}

/// `GET /portal/certificates/{code}`: a certificate of one of the account's people (the employer's
/// employees, or the person themself).
pub async fn certificate(pg: PortalPage, path: web::Path<String>) -> PortalResult {
    let page = pg.ctx();
    let code = path.into_inner();
    let cert = pg.who.db(move |tx| certificates::get(tx, &code)).await?;
    let mut ctx = page.base("employees", "certificate.title").await;
    let tenant_name = ctx.get("tenant").and_then(|t| t.get("name")).cloned().unwrap_or(Value::Null);
    let lines: Vec<Value> = cert
        .lines
        .iter()
        .map(|l| {
            json!({"type_label": page.t(&format!("insurance.{}", l.insurance_type)), "start_period": month(l.start_period),
                   "end_period": l.end_period.map(month), "months": l.months, "status_label": page.t(&format!("status.{}", l.status))})
        })
        .collect();
    let info = pg.req.connection_info().clone();
    ctx.insert(
        "certificate".into(),
        json!({"tenant_name": tenant_name, "tenant_code": pg.who.claims.tcode, "person_name": cert.person.name,
               "id_number_masked": jinbao_domain::id_number::mask(&cert.person.id_number),
               "gender_label": page.t(&format!("persons.{}", cert.person.gender.code())), "birth_date": cert.person.birth_date.to_string(),
               "issued_on": cert.issued_at.date_naive().to_string(), "code": cert.code,
               "verify_url": format!("{}://{}/verify", info.scheme(), info.host()),
               "lines": lines, "total_months": cert.lines.iter().map(|l| l.months).max().unwrap_or(0)}),
    );
    Ok(page.render(StatusCode::OK, "certificate", &ctx))
}

#[derive(Deserialize)]
pub struct StatementQuery {
    period: Option<String>,
}

/// `GET /portal/statement?period=YYYY-MM`: the month's contributions per employee, insurance and
/// party, with what was paid; `/portal/statement.csv` is the same as CSV.
pub async fn statement(pg: PortalPage, q: web::Query<StatementQuery>) -> PortalResult {
    pg.who.require_employer()?;
    let page = pg.ctx();
    let period = match q.period.as_deref() {
        None | Some("") => Period::of_date(chrono::Utc::now().date_naive())
            .plus_months(-1)
            .unwrap_or_else(|| Period::of_date(chrono::Utc::now().date_naive())),
        Some(p) => p.parse::<Period>().map_err(|_| ApiError::field("period", "period.format"))?,
    };
    let (e, lines, paid) = pg
        .who
        .db(move |tx| {
            let id = public_accounts::principal_employer(tx)?;
            Ok((employers::get(tx, id)?, collections::statement(tx, id, period)?, collections::of_employer(tx, id)?))
        })
        .await?;
    let rows: Vec<Value> = lines
        .iter()
        .map(|l| {
            json!({"name": l.name, "id_number_masked": jinbao_domain::id_number::mask(&l.id_number),
                   "type_label": page.t(&format!("insurance.{}", l.insurance_type)), "kind_label": page.t(&format!("kind.{}", l.kind)),
                   "party_label": page.t(&format!("party.{}", l.party)), "base": Fen(l.base_fen).to_string(),
                   "rate": jinbao_domain::RateBp(l.rate_bp).to_string(), "amount": Fen(l.amount_fen).to_string(), "paid": Fen(l.paid_fen).to_string()})
        })
        .collect();
    let payments: Vec<Value> = paid
        .iter()
        .filter(|c| c.period == period.first_day())
        .map(|c| json!({"paid_on": c.paid_on.to_string(), "amount": Fen(c.amount_fen).to_string(), "channel_label": page.t(&format!("collections.channels.{}", c.channel))}))
        .collect();
    let due: i64 = lines.iter().map(|l| l.amount_fen).sum();
    let settled: i64 = lines.iter().map(|l| l.paid_fen).sum();
    let mut ctx = page.base("statement", "portal.statement.title").await;
    ctx.insert("employer".into(), employer_json(&e));
    ctx.insert("period".into(), json!(period.to_string()));
    ctx.insert("lines".into(), json!(rows));
    ctx.insert("payments".into(), json!(payments));
    ctx.insert("due".into(), json!(Fen(due).to_string()));
    ctx.insert("paid".into(), json!(Fen(settled).to_string()));
    ctx.insert("arrears".into(), json!(Fen((due - settled).max(0)).to_string()));
    ctx.insert("csv_url".into(), json!(format!("/portal/statement.csv?period={period}")));
    Ok(page.render(StatusCode::OK, "portal/statement", &ctx))
}

pub async fn statement_csv(pg: PortalPage, q: web::Query<StatementQuery>) -> PortalResult {
    pg.who.require_employer()?;
    let page = pg.ctx();
    let period = q.period.as_deref().unwrap_or("").parse::<Period>().map_err(|_| ApiError::field("period", "period.format"))?;
    let lines = pg
        .who
        .db(move |tx| {
            let id = public_accounts::principal_employer(tx)?;
            collections::statement(tx, id, period)
        })
        .await?;
    let mut out = String::from("\u{feff}");
    let head = ["name", "id_number", "insurance", "kind", "party", "base", "rate", "amount", "paid"]
        .map(|k| page.t(&format!("portal.statement.csv.{k}")));
    out.push_str(&jinbao_domain::text::neutralise_record(head.iter()).join(","));
    out.push_str("\r\n");
    for l in &lines {
        let cells = [
            l.name.clone(),
            jinbao_domain::id_number::mask(&l.id_number),
            page.t(&format!("insurance.{}", l.insurance_type)),
            page.t(&format!("kind.{}", l.kind)),
            page.t(&format!("party.{}", l.party)),
            Fen(l.base_fen).to_string(),
            jinbao_domain::RateBp(l.rate_bp).to_string(),
            Fen(l.amount_fen).to_string(),
            Fen(l.paid_fen).to_string(),
        ];
        out.push_str(&jinbao_domain::text::neutralise_record(cells.iter()).iter().map(|c| csv_cell(c)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header(("Content-Disposition", format!("attachment; filename=\"statement-{period}.csv\"")))
        .insert_header(("Cache-Control", "no-store"))
        .body(out))
}

fn csv_cell(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// `GET /portal/hire`: the one form of a new hire (person, start month, wage, insurances).
pub async fn hire_form(pg: PortalPage) -> PortalResult {
    pg.who.require_employer()?;
    let page = pg.ctx();
    let all: Vec<String> = InsuranceType::ALL.iter().map(|t| t.code().to_string()).collect();
    let today = chrono::Utc::now().date_naive();
    let form = json!({"start_period": Period::of_date(today).to_string(), "hire_date": today.to_string(), "types": type_flags(&all),
                      "idem_key": format!("portal-{}", uuid::Uuid::new_v4().simple())});
    render_hire(&page, StatusCode::OK, form, Value::Null, json!({})).await
}

async fn render_hire(page: &PortalCtx<'_>, status: StatusCode, form: Value, preview: Value, errors: Value) -> PortalResult {
    let mut ctx = page.base("hire", "portal.hire.title").await;
    let has_errors = errors.as_object().is_some_and(|m| !m.is_empty());
    ctx.insert("form".into(), form);
    ctx.insert("preview".into(), preview);
    ctx.insert("errors".into(), errors);
    ctx.insert("errors_summary".into(), if has_errors { json!(page.state.catalog.error(page.lang, "validation")) } else { Value::Null });
    Ok(page.render(status, "portal/hire", &ctx))
}

enum Hired {
    Preview(Value),
    Enrolled,
    Applied,
}

/// `POST /portal/hire`: "compute" previews the base and every amount from the city's rules;
/// "submit" records the hire and enrols in the ticked insurances at once — or, for someone a clerk
/// must decide on (insured with another employer, receiving unemployment benefit), files an
/// application. The form's key makes a double submission count once.
pub async fn hire_submit(pg: PortalPage, body: web::Bytes) -> PortalResult {
    pg.who.require_employer()?;
    let f = Fields::parse(&body);
    pg.check_csrf(&f.get("csrf"))?;
    let page = pg.ctx();
    let types = f.all("types");
    let mut form = json!({
        "id_number": f.get("id_number"), "name": f.get("name"), "hukou_kind": f.get("hukou_kind"), "phone": f.get("phone"),
        "start_period": f.get("start_period"), "declared_wage": f.get("declared_wage"), "hire_date": f.get("hire_date"),
        "types": type_flags(&types), "idem_key": f.get("idem_key"),
    });
    if form["idem_key"].as_str().is_none_or(str::is_empty) {
        form["idem_key"] = json!(format!("portal-{}", uuid::Uuid::new_v4().simple()));
    }
    match run_hire(&pg, &f, &types, f.get("action") == "submit").await {
        Ok(Hired::Enrolled) => Ok(redirect("/portal/employees?flash=hired")),
        Ok(Hired::Applied) => Ok(redirect("/portal/applications?flash=applied")),
        Ok(Hired::Preview(p)) => {
            let preview = preview_json(&page, &p);
            render_hire(&page, StatusCode::OK, form, preview, json!({})).await
        }
        Err(ApiError::Validation(ps)) => {
            render_hire(&page, StatusCode::UNPROCESSABLE_ENTITY, form, Value::Null, page.field_messages(&ps)).await
        }
        Err(ApiError::Conflict(p)) => render_hire(&page, StatusCode::CONFLICT, form, Value::Null, page.field_messages(&[p])).await,
        Err(e) => Err(e.into()),
    }
}

fn preview_json(page: &PortalCtx<'_>, body: &Value) -> Value {
    let Some(a) = assessment_from(&body["amounts"]) else { return Value::Null };
    json!({
        "base": a.base.to_string(), "provisional": body["provisional"].as_bool().unwrap_or(false),
        "lines": a.lines.iter().map(|l| json!({"type_label": page.t(&format!("insurance.{}", l.insurance_type.code())),
            "party_label": page.t(&format!("party.{}", l.party.code())), "rate": l.rate.to_string(), "amount": l.amount.to_string()})).collect::<Vec<_>>(),
        "employer_total": a.employer_total.to_string(), "employee_total": a.employee_total.to_string(), "total": a.total.to_string(),
    })
}

async fn run_hire(pg: &PortalPage, f: &Fields, types: &[String], submit: bool) -> Result<Hired, ApiError> {
    let mut p = Problems::default();
    let today = chrono::Utc::now().date_naive();
    let id_number = p.take(IdNumber::parse(&f.get("id_number"), today));
    let name = f.get("name");
    if name.is_empty() {
        p.push("name", "required");
    } else if let Some(code) = jinbao_domain::text::name_problem(&name) {
        p.push("name", code);
    }
    let start = match f.get("start_period").parse::<Period>() {
        Ok(s) => Some(s),
        Err(_) => {
            p.push("start_period", if f.get("start_period").is_empty() { "required" } else { "period.format" });
            None
        }
    };
    let wage = p.take(Fen::parse_yuan("declared_wage", &f.get("declared_wage")));
    let kinds = jinbao_app::input::types(&mut p, Some(types));
    let hire_date = jinbao_app::input::date(&mut p, "hire_date", Some(&f.get("hire_date")));
    let hukou = f.get("hukou_kind");
    if !matches!(hukou.as_str(), "" | "urban" | "rural") {
        p.push("hukou_kind", "hukou_kind.invalid");
    }
    let phone = f.get("phone");
    if !phone.is_empty() && jinbao_app::registry::valid_phone(&phone).is_err() {
        p.push("phone", "phone.format");
    }
    // Further back is a correction of past months: a clerk's decision.
    if hire_date.is_some_and(|h| h < today - chrono::Duration::days(366) || h > today + chrono::Duration::days(92)) {
        p.push("hire_date", "portal.hire.date_range");
    }
    if let (Some(s), Some(h)) = (start, hire_date) {
        if s.plus_months(1).is_some_and(|n| h >= n.first_day()) {
            p.push("hire_date", "enrolment.hire_after_start");
        }
    }
    p.finish()?;
    let (idn, start, wage, hire_date) =
        (id_number.expect("checked"), start.expect("checked"), wage.expect("checked"), hire_date.expect("checked"));
    let fields = PersonFields {
        name: name.clone(),
        ethnicity: None,
        hukou_kind: Some(f.get("hukou_kind")).filter(|s| !s.is_empty()),
        address: None,
        phone: Some(f.get("phone")).filter(|s| !s.is_empty()),
    };
    let key = if submit { Some(f.get("idem_key")).filter(|k| (8..=100).contains(&k.len())) } else { None };
    let hash = request_hash(&f.0.iter().filter(|(k, _)| k != "csrf" && k != "action").collect::<Vec<_>>());
    let payload = json!({"id_number": idn.as_str(), "name": name, "start_period": start.to_string(), "declared_wage_fen": wage.0,
                         "hire_date": hire_date.to_string(), "types": kinds.iter().map(|t| t.code()).collect::<Vec<_>>(),
                         "hukou_kind": fields.hukou_kind, "phone": fields.phone});
    let (status, body, _) = pg
        .who
        .db(move |tx| {
            // The form key is the account's own (another account's key is another key).
            let scope = format!("portal_hire:{}", tx.actor().account_id().unwrap_or(0));
            once(tx, &scope, key.as_deref(), &hash.clone(), |tx| {
                let employer_id = public_accounts::principal_employer(tx)?;
                if !submit {
                    let employer = employers::get(tx, employer_id)?;
                    let rule = rules::for_period(tx, start)?.ok_or_else(|| StoreError::invalid("start_period", "enrolment.no_rules"))?;
                    let injury = jinbao_store::repo::injury_rates::percent_at(tx, employer.id, start)?;
                    let amounts = contribution::assess_floating(wage, &kinds, employer.risk_class as u8, injury, &rule.rules);
                    let provisional = rule.rules.effective_from < start.base_year_start(rule.rules.adjust_month);
                    return Ok((200, json!({"amounts": serde_json::to_value(&amounts).unwrap_or_default(), "provisional": provisional})));
                }
                // The person by identity number, through the one function that looks past the
                // employer's own people (a rehire too: it checks what a clerk must decide).
                let person = match employments::link_online(tx, idn.as_str(), &fields.name, hire_date)? {
                    OnlineHire::NotRegistered => PersonChoice::New(idn.clone(), fields.clone()),
                    OnlineHire::NameMismatch => return Err(StoreError::invalid("name", "portal.hire.name_mismatch")),
                    OnlineHire::AlreadyEmployed(id) | OnlineHire::Linked(id) => PersonChoice::Existing(id),
                    OnlineHire::NeedsClerk => {
                        let a = public_applications::submit(tx, "hire", &payload, &hash)?;
                        return Ok((202, json!({"application_id": a.id})));
                    }
                };
                let outcome = enrolments::enrol(
                    tx,
                    &EnrolRequest { person, employer_id, start, declared_wage: wage, types: kinds.clone(), hire_date: Some(hire_date) },
                )?;
                Ok((201, outcome_json(&outcome)))
            })
        })
        .await?;
    Ok(match status {
        201 => Hired::Enrolled,
        202 => Hired::Applied,
        _ => Hired::Preview(body),
    })
}

/// `GET /portal/declaration`, `POST` (CSV upload): the yearly wage declaration of the employer's
/// insured employees, as at the counter (a per-row report; all or nothing unless "valid rows only").
pub async fn declaration_form(pg: PortalPage) -> PortalResult {
    pg.who.require_employer()?;
    let page = pg.ctx();
    let year = chrono::Datelike::year(&chrono::Utc::now().date_naive());
    render_declaration(&page, StatusCode::OK, json!({"base_year": year, "valid_only": false}), json!({}), Value::Null).await
}

async fn render_declaration(page: &PortalCtx<'_>, status: StatusCode, form: Value, errors: Value, report: Value) -> PortalResult {
    let mut ctx = page.base("declaration", "declaration.title").await;
    let has_errors = errors.as_object().is_some_and(|m| !m.is_empty());
    ctx.insert("form".into(), form);
    ctx.insert("errors".into(), errors);
    ctx.insert("errors_summary".into(), if has_errors { json!(page.state.catalog.error(page.lang, "validation")) } else { Value::Null });
    ctx.insert("report".into(), report);
    Ok(page.render(status, "portal/declaration", &ctx))
}

const MAX_FILE: usize = 16 * 1024 * 1024;

/// Rows of one online declaration: an employer's whole staff (a late one is stored whole in the
/// application for the clerk, 256 KiB at most).
const MAX_LATE_ROWS: usize = 5_000;

enum Declared {
    Applied(declarations::DeclarationOutcome),
    Submitted,
}

pub async fn declaration_upload(pg: PortalPage, payload: Multipart) -> PortalResult {
    pg.who.require_employer()?;
    let page = pg.ctx();
    let form = crate::pages::upload_form::read_for(payload, MAX_FILE, &pg.who.claims.csrf).await?;
    let say = |code: &str| page.state.catalog.error(page.lang, code);
    let shown = json!({"base_year": form.text("base_year"), "valid_only": form.checked("valid_only")});
    let year = form.text("base_year").parse::<i32>().ok().filter(|y| (2000..=2100).contains(y));
    let mut errors = serde_json::Map::new();
    if year.is_none() {
        errors.insert("base_year".into(), json!(say("declaration.base_year")));
    }
    if form.too_large {
        errors.insert("file".into(), json!(say("upload.too_large")));
    } else if form.file.is_empty() {
        errors.insert("file".into(), json!(say("upload.missing")));
    }
    if !errors.is_empty() {
        return render_declaration(&page, StatusCode::UNPROCESSABLE_ENTITY, shown, Value::Object(errors), Value::Null).await;
    }
    let parsed = jinbao_app::declarations::table_text(&form.file).and_then(|text| jinbao_app::declarations::parse_csv(&text));
    let (rows, problems) = match parsed {
        Ok(v) => v,
        Err(jinbao_app::AppError::Validation(ps)) => {
            let errors = json!({"file": ps.first().map(|p: &FieldProblem| say(&p.code)).unwrap_or_default()});
            return render_declaration(&page, StatusCode::UNPROCESSABLE_ENTITY, shown, errors, Value::Null).await;
        }
        Err(e) => return Err(ApiError::from(e).into()),
    };
    let (year, valid_only) = (year.expect("checked"), form.checked("valid_only"));
    if rows.len() > MAX_LATE_ROWS {
        let errors = json!({"file": say("portal.declaration.too_many_rows")});
        return render_declaration(&page, StatusCode::UNPROCESSABLE_ENTITY, shown, errors, Value::Null).await;
    }
    let today = chrono::Utc::now().date_naive();
    let declared = pg
        .who
        .db(move |tx| {
            let id = public_accounts::principal_employer(tx)?;
            let (from, _) = declarations::effective_from(tx, year)?;
            if today > jinbao_domain::contribution::declaration_deadline(from) && (problems.is_empty() || valid_only) {
                // After the window: the declaration changes assessed bases, a clerk decides.
                let payload = json!({"base_year": year, "valid_only": valid_only, "rejected_rows": problems.len(),
                                     "rows": rows.iter().map(|r| json!([r.row, r.id_number.as_str(), r.wage.0])).collect::<Vec<_>>()});
                let hash = jinbao_app::enrolment::request_hash(&payload);
                public_applications::submit(tx, "declaration_late", &payload, &hash)?;
                return Ok(Declared::Submitted);
            }
            Ok(Declared::Applied(declarations::apply(tx, id, year, &rows, problems, valid_only)?))
        })
        .await?;
    let outcome = match declared {
        Declared::Submitted => return Ok(redirect("/portal/applications?flash=applied")),
        Declared::Applied(o) => o,
    };
    let report = json!({
        "applied": outcome.applied, "rejected_rows": outcome.problems.len(), "effective_from": outcome.effective_from.to_string(),
        "problems": outcome.problems.iter().map(|p| json!({"row": p.row, "column": page.t(&format!("fields.{}", p.column)), "value": p.value, "message": say(&p.code)})).collect::<Vec<_>>(),
    });
    let status = if outcome.applied == 0 && !outcome.problems.is_empty() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    render_declaration(&page, status, shown, json!({}), report).await
}

#[derive(Deserialize)]
pub struct ListQuery {
    page: Option<i64>,
    flash: Option<String>,
}

/// `GET /portal/applications`: the employer's applications and their decisions.
pub async fn applications(pg: PortalPage, q: web::Query<ListQuery>) -> PortalResult {
    pg.who.require_employer()?;
    let page = pg.ctx();
    let n = q.page.unwrap_or(1).clamp(1, 10_000);
    let rows = pg.who.db(move |tx| public_applications::list(tx, None, n, 50)).await?;
    let items: Vec<Value> = rows.items.iter().map(|a| application_json(&page, a)).collect();
    let (prev, next) = page_links("/portal/applications", &[], rows.page, rows.has_more);
    let mut ctx = page.base("applications", "portal.applications.title").await;
    ctx.insert("rows".into(), json!(items));
    ctx.insert("prev".into(), prev);
    ctx.insert("next".into(), next);
    ctx.insert("flash".into(), flash(&page, q.flash.as_deref()));
    Ok(page.render(StatusCode::OK, "portal/applications", &ctx))
}

pub fn application_json(page: &PortalCtx<'_>, a: &public_applications::Application) -> Value {
    json!({"id": a.id, "kind_label": page.t(&format!("portal.applications.kind.{}", a.kind)), "account_name": a.account_name,
           "name": a.payload.get("name"), "id_number_masked": a.payload.get("id_number").and_then(Value::as_str).map(jinbao_domain::id_number::mask),
           "start_period": a.payload.get("start_period"), "from_city": a.payload.get("from_city"), "status": a.status, "status_label": page.t(&format!("portal.applications.status.{}", a.status)),
           "submitted_at": a.submitted_at.format("%Y-%m-%d %H:%M").to_string(), "reason": a.reason})
}
