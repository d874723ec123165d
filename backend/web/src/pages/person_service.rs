//! The counter's side of a person's online service and card: the activation letter of the
//! person's account (a one-time code, shown once), the social security card (issue, status
//! changes, replacement) and the yearly rights statement (generate, print).

use actix_web::http::StatusCode;
use actix_web::web;
use chrono::{Datelike, Utc};
use jinbao_store::repo::cards::{self, NewCard};
use jinbao_store::repo::{persons, public_accounts, rights_statements};
use jinbao_store::{StoreError, TenantTx};
use rand::RngCore;
use serde_json::{json, Value};

use super::page::{Page, PageResult};
use super::render::{check_csrf, field, redirect, Form, PageCtx};
use crate::auth::{password, Permission, Principal};
use crate::error::{ApiError, Problems};

/// Days an activation code stays valid.
pub const ACTIVATION_DAYS: i64 = 30;

/// What the person page shows of online service, cards and statements.
pub struct Service {
    account: Option<public_accounts::Account>,
    cards: Vec<cards::Card>,
    events: Vec<cards::CardEvent>,
    statements: Vec<rights_statements::Statement>,
}

impl Service {
    pub fn load(tx: &mut TenantTx<'_>, person_id: i64) -> Result<Service, StoreError> {
        Ok(Service {
            account: public_accounts::of_person(tx, person_id)?,
            cards: cards::of_person(tx, person_id)?,
            events: cards::events_of_person(tx, person_id)?,
            statements: rights_statements::of_person(tx, person_id)?,
        })
    }

    pub fn view(&self, page: &PageCtx<'_>, who: &Principal) -> Value {
        let reveal = who.can(Permission::BenefitRevealAccount);
        json!({
            "account": self.account.as_ref().map(|a| json!({"status_label": page.t(&format!("accounts.status.{}", a.status)),
                "last_login": a.last_login_at.map(|t| t.format("%Y-%m-%d").to_string())})),
            "cards": cards_json(&|k| page.t(k), &self.cards, reveal),
            "events": events_json(&|k| page.t(k), &self.events),
            "statements": self.statements.iter().map(|s| json!({"year": s.year, "code": s.code,
                "generated_at": s.generated_at.format("%Y-%m-%d").to_string()})).collect::<Vec<_>>(),
            "can_card": who.can(Permission::PersonWrite),
            "year": Utc::now().year(),
            "today": Utc::now().date_naive().to_string(),
        })
    }
}

pub fn cards_json(t: &dyn Fn(&str) -> String, cards: &[cards::Card], reveal: bool) -> Value {
    json!(cards
        .iter()
        .map(|c| {
            let live = matches!(c.status.as_str(), "issued" | "in_use" | "reported_lost" | "suspended");
            json!({"id": c.id, "card_serial": c.card_serial, "bank_name": c.bank_name,
                   "account_no": if reveal { c.account_no.clone() } else { jinbao_domain::account::mask(&c.account_no) },
                   "status": c.status, "status_label": t(&format!("cards.status.{}", c.status)), "issued_on": c.issued_on.to_string(),
                   "live": live, "may_report_lost": cards::may_change(&c.status, "reported_lost"),
                   "may_use": cards::may_change(&c.status, "in_use"), "may_suspend": cards::may_change(&c.status, "suspended")})
        })
        .collect::<Vec<_>>())
}

pub fn events_json(t: &dyn Fn(&str) -> String, events: &[cards::CardEvent]) -> Value {
    json!(events
        .iter()
        .map(|e| json!({"at": e.at.with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).expect("offset")).format("%Y-%m-%d %H:%M").to_string(),
                        "from": e.from_status.as_ref().map(|s| t(&format!("cards.status.{s}"))), "to": t(&format!("cards.status.{}", e.to_status)),
                        "by": t(&format!("cards.by.{}", e.by)), "reason": e.reason}))
        .collect::<Vec<_>>())
}

/// A code of 12 characters without look-alikes (no 0/O, 1/I), grouped by four for the letter.
pub fn activation_code() -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    let mut random = [0u8; 12];
    rand::thread_rng().fill_bytes(&mut random);
    let chars: String = random.iter().map(|b| ALPHABET[(*b as usize) % ALPHABET.len()] as char).collect();
    format!("{}-{}-{}", &chars[0..4], &chars[4..8], &chars[8..12])
}

/// `POST /persons/{id}/activation`: the printed activation letter (个人网上服务开通函); a
/// forgotten password is handled the same way (the account waits for activation again).
pub async fn activation(pg: Page, path: web::Path<i64>, form: Form) -> PageResult {
    let Page { state, req, who } = pg;
    who.require(Permission::PersonWrite).and_then(|_| check_csrf(&who, &form))?;
    let id = path.into_inner();
    let code = activation_code();
    let hash = password::hash(&code).map_err(ApiError::internal)?;
    let expires = Utc::now() + chrono::Duration::days(ACTIVATION_DAYS);
    let (p, _) = who.db(move |tx| Ok((persons::get(tx, id)?, public_accounts::issue_activation(tx, id, &hash, expires)?))).await?;
    let page = PageCtx::new(&state, &req, Some(&who));
    let mut ctx = page.base("persons", "person_service.letter_title", None).await;
    let info = req.connection_info().clone();
    ctx.insert(
        "letter".into(),
        json!({"person_id": id, "name": p.name, "id_number_masked": jinbao_domain::id_number::mask(&p.id_number), "code": code,
               "tenant_code": who.claims.tcode, "expires": expires.with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).expect("offset")).format("%Y-%m-%d").to_string(),
               "portal_url": format!("{}://{}/portal/activate", info.scheme(), info.host())}),
    );
    Ok(page.render(StatusCode::CREATED, "persons/activation_letter", &ctx))
}

fn card_fields(form: &Form, p: &mut Problems) -> Option<(String, String, String, chrono::NaiveDate)> {
    let serial = jinbao_domain::text::nfkc(&field(form, "card_serial")).to_ascii_uppercase();
    let bank = field(form, "bank_name");
    let account: String = jinbao_domain::text::nfkc(&field(form, "account_no")).chars().filter(|c| !c.is_whitespace()).collect();
    if !(6..=32).contains(&serial.len()) || !serial.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_uppercase()) {
        p.push("card_serial", "card.serial_format");
    }
    if !(2..=60).contains(&bank.chars().count()) {
        p.push("bank_name", "required");
    }
    if !(12..=30).contains(&account.len()) || !account.bytes().all(|b| b.is_ascii_digit()) {
        p.push("account_no", "card.account_format");
    }
    let issued = crate::pages::render::opt(form, "issued_on").unwrap_or_else(|| Utc::now().date_naive().to_string());
    let issued_on = jinbao_app::input::date(p, "issued_on", Some(&issued));
    Some((serial, bank, account, issued_on?))
}

/// `POST /persons/{id}/cards`: records a card issued to the person (the bank's file does the same
/// for many: `jinbao import cards`).
pub async fn issue_card(pg: Page, path: web::Path<i64>, form: Form) -> PageResult {
    let Page { who, .. } = pg;
    who.require(Permission::PersonWrite).and_then(|_| check_csrf(&who, &form))?;
    let id = path.into_inner();
    let mut p = Problems::default();
    let fields = card_fields(&form, &mut p);
    p.finish().map_err(ApiError::from)?;
    let (serial, bank, account, issued_on) = fields.ok_or_else(|| ApiError::field("card_serial", "required"))?;
    who.db(move |tx| {
        cards::issue(
            tx,
            &NewCard {
                person_id: id,
                card_serial: &serial,
                bank_name: &bank,
                account_no: &account,
                issued_on,
                replaces: None,
                import_job_id: None,
            },
        )
    })
    .await?;
    Ok(redirect(&format!("/persons/{id}#cards")))
}

/// `POST /persons/{id}/cards/{card}/{action}`: `use` (activated or found), `lost`, `suspend`,
/// `cancel`, `replace` (with the new card's fields).
pub async fn card_action(pg: Page, path: web::Path<(i64, i64, String)>, form: Form) -> PageResult {
    let Page { who, .. } = pg;
    who.require(Permission::PersonWrite).and_then(|_| check_csrf(&who, &form))?;
    let (id, card_id, action) = path.into_inner();
    let reason = Some(field(&form, "reason")).filter(|r| !r.is_empty()).map(|r| jinbao_domain::text::printable(&r, 200));
    let to = match action.as_str() {
        "use" => "in_use",
        "lost" => "reported_lost",
        "suspend" => "suspended",
        "cancel" => "cancelled",
        "replace" => "replaced",
        _ => return Err(ApiError::NotFound.into()),
    };
    let replacement = if to == "replaced" {
        let mut p = Problems::default();
        let fields = card_fields(&form, &mut p);
        p.finish().map_err(ApiError::from)?;
        fields
    } else {
        None
    };
    who.db(move |tx| {
        let card = cards::get(tx, card_id)?;
        if card.person_id != id {
            return Err(StoreError::NotFound);
        }
        match replacement {
            Some((serial, bank, account, issued_on)) => cards::replace(
                tx,
                card_id,
                &NewCard {
                    person_id: id,
                    card_serial: &serial,
                    bank_name: &bank,
                    account_no: &account,
                    issued_on,
                    replaces: None,
                    import_job_id: None,
                },
                reason.as_deref().unwrap_or("replaced"),
            ),
            None => cards::change_status(tx, card_id, to, reason.as_deref()),
        }
    })
    .await?;
    Ok(redirect(&format!("/persons/{id}#cards")))
}

/// `POST /persons/{id}/statements`: generates the person's statement of a year (this year to date
/// by default) and shows it for printing.
pub async fn generate_statement(pg: Page, path: web::Path<i64>, form: Form) -> PageResult {
    let Page { who, .. } = pg;
    who.require(Permission::PersonWrite).and_then(|_| check_csrf(&who, &form))?;
    let id = path.into_inner();
    let year = field(&form, "year").parse::<i32>().unwrap_or_else(|_| Utc::now().year());
    let mut random = [0u8; 12];
    rand::thread_rng().fill_bytes(&mut random);
    let tcode = who.claims.tcode.clone();
    let today = Utc::now().date_naive();
    let s = who.db_checked(move |tx| jinbao_app::rights_statement::generate(tx, id, year, today, &tcode, random, None)).await?;
    Ok(redirect(&format!("/statements/{}", s.code)))
}

/// `GET /statements/{code}`: a stored statement, printable.
pub async fn statement(pg: Page, path: web::Path<String>) -> PageResult {
    let Page { state, req, who } = pg;
    who.require(Permission::ContributionRead)?;
    let code = path.into_inner();
    let s = who.db(move |tx| rights_statements::by_code(tx, &code)).await?;
    let page = PageCtx::new(&state, &req, Some(&who));
    let mut ctx = page.base("persons", "statement_doc.title", None).await;
    let tenant_name = ctx.get("tenant").and_then(|t| t.get("name")).cloned().unwrap_or(Value::Null);
    let info = req.connection_info().clone();
    ctx.insert("doc".into(), statement_view(&|k| page.t(k), &s, tenant_name, &format!("{}://{}/verify", info.scheme(), info.host())));
    ctx.insert("back".into(), json!(format!("/persons/{}", s.person_id)));
    Ok(page.render(StatusCode::OK, "rights_statement", &ctx))
}

/// A stored statement as the print template shows it, labels in the page language.
pub fn statement_view(t: &dyn Fn(&str) -> String, s: &rights_statements::Statement, tenant_name: Value, verify_url: &str) -> Value {
    let c = &s.content;
    let yuan = |v: &Value| v.as_i64().map(|f| jinbao_domain::Fen(f).to_string());
    let types: Vec<Value> = c["types"]
        .as_array()
        .map(|ts| {
            ts.iter()
                .map(|x| json!({"label": t(&format!("insurance.{}", x["insurance_type"].as_str().unwrap_or(""))), "months_in_year": x["months_in_year"],
                                "months_total": x["months_total"], "arrears_months": x["arrears_months_in_year"],
                                "arrears": yuan(&x["arrears_fen_in_year"]), "employee": yuan(&x["employee_fen_in_year"])}))
                .collect()
        })
        .unwrap_or_default();
    let months: Vec<Value> = c["pension_months"]
        .as_array()
        .map(|ms| {
            ms.iter().map(|m| json!({"period": m["period"], "base": yuan(&m["base_fen"]), "employee": yuan(&m["employee_fen"])})).collect()
        })
        .unwrap_or_default();
    let problem = |v: &Value| v["problem"].as_str().map(|p| t(&format!("errors.{p}")));
    json!({
        "code": s.code, "year": s.year, "as_of": c["as_of"], "generated_on": s.generated_at.date_naive().to_string(),
        "tenant_name": tenant_name, "verify_url": verify_url,
        "person": c["person"], "gender_label": t(&format!("persons.{}", c["person"]["gender"].as_str().unwrap_or(""))),
        "types": types, "months": months,
        "balance": yuan(&c["account"]["balance_fen"]), "account_problem": problem(&c["account"]),
        "estimate": {"monthly": yuan(&c["estimate"]["monthly_fen"]), "basic": yuan(&c["estimate"]["basic_fen"]), "account": yuan(&c["estimate"]["account_fen"]),
                     "transitional": yuan(&c["estimate"]["transitional_fen"]), "retirement_period": c["estimate"]["retirement_period"],
                     "payout_base_year": c["estimate"]["payout_base_year"], "months_missing": c["estimate"]["months_missing"],
                     "problem": problem(&c["estimate"])},
    })
}

/// `POST /statements/run`: the year's statements of every insured person of the city, as a job
/// (its page shows the progress).
pub async fn run_year(pg: Page, form: Form) -> PageResult {
    let Page { state, who, .. } = pg;
    who.require(Permission::AssessmentRun).and_then(|_| check_csrf(&who, &form))?;
    let year = field(&form, "year").parse::<i32>().ok().filter(|y| (1990..=Utc::now().year()).contains(y));
    let Some(year) = year else { return Err(ApiError::field("year", "statement.year").into()) };
    let job = crate::jobs::start_statements(&state, &who, year).await?;
    Ok(redirect(&format!("/jobs/{job}")))
}

const MAX_CARD_FILE: usize = 16 * 1024 * 1024;

async fn render_import(page: &PageCtx<'_>, status: StatusCode, form: Value, errors: Value, report: Value) -> actix_web::HttpResponse {
    let mut ctx = page.base("persons", "cards.import_title", None).await;
    let has_errors = errors.as_object().is_some_and(|m| !m.is_empty());
    ctx.insert("form".into(), form);
    ctx.insert("errors".into(), errors);
    ctx.insert("errors_summary".into(), if has_errors { json!(page.state.catalog.error(page.lang, "validation")) } else { Value::Null });
    ctx.insert("report".into(), report);
    page.render(status, "cards_import", &ctx)
}

/// `GET /cards/import`: the issuing bank's card file.
pub async fn import_form(pg: Page) -> PageResult {
    let Page { state, req, who } = pg;
    who.require(Permission::PersonWrite)?;
    let page = PageCtx::new(&state, &req, Some(&who));
    Ok(render_import(&page, StatusCode::OK, json!({"valid_only": false}), json!({}), Value::Null).await)
}

/// `POST /cards/import`: reads the file, reports every row's problem; applies all rows, or only
/// the valid ones when asked.
pub async fn import_upload(pg: Page, payload: actix_multipart::Multipart) -> PageResult {
    let Page { state, req, who } = pg;
    who.require(Permission::PersonWrite)?;
    let page = PageCtx::new(&state, &req, Some(&who));
    let form = super::upload_form::read(payload, MAX_CARD_FILE, &who).await?;
    let shown = json!({"valid_only": form.checked("valid_only")});
    let say = |code: &str| state.catalog.error(page.lang, code);
    if form.too_large || form.file.is_empty() {
        let errors = json!({"file": say(if form.too_large { "upload.too_large" } else { "upload.missing" })});
        return Ok(render_import(&page, StatusCode::UNPROCESSABLE_ENTITY, shown, errors, Value::Null).await);
    }
    let (rows, problems) = match jinbao_app::cards::parse_csv(&jinbao_app::declarations::decode(&form.file)) {
        Ok(v) => v,
        Err(jinbao_app::AppError::Validation(ps)) => {
            let errors = json!({"file": ps.first().map(|p| say(&p.code)).unwrap_or_default()});
            return Ok(render_import(&page, StatusCode::UNPROCESSABLE_ENTITY, shown, errors, Value::Null).await);
        }
        Err(e) => return Err(ApiError::from(e).into()),
    };
    let valid_only = form.checked("valid_only");
    let (db, tenant, actor) = (state.db.clone(), who.tenant, who.actor());
    let outcome =
        actix_web::web::block(move || db.tenant_with(tenant, actor, |tx| jinbao_app::cards::apply(tx, &rows, problems, valid_only)))
            .await
            .map_err(|e| ApiError::internal(anyhow::anyhow!("blocking pool: {e}")))?;
    let (outcome, status) = match outcome {
        Ok(o) => (o, StatusCode::OK),
        Err(jinbao_app::cards::CardImportError::NotApplied(o)) => (o, StatusCode::UNPROCESSABLE_ENTITY),
        Err(jinbao_app::cards::CardImportError::Store(e)) => return Err(ApiError::from(e).into()),
    };
    let report = json!({
        "applied": outcome.applied, "rejected_rows": outcome.problems.len(),
        "problems": outcome.problems.iter().map(|p| json!({"row": p.row, "column": page.t(&format!("fields.{}", p.column)), "value": p.value, "message": say(&p.code)})).collect::<Vec<_>>(),
    });
    Ok(render_import(&page, status, shown, json!({}), report).await)
}
