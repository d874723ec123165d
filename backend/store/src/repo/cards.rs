//! Social security cards (社会保障卡, migration `person_service`): one record per card issued, a
//! status with its history (who changed it: a clerk or the person online). At most one card per
//! person is live (issued, in use, reported lost or suspended).

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Nullable, SmallInt, Text, Timestamptz};
use serde::Serialize;

use crate::error::{is_unique_violation, StoreError, StoreResult};
use crate::tenant_tx::TenantTx;

#[derive(Debug, Clone, QueryableByName, Serialize, schemars::JsonSchema)]
pub struct Card {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = BigInt)]
    pub person_id: i64,
    #[diesel(sql_type = Text)]
    pub card_serial: String,
    #[diesel(sql_type = Text)]
    pub bank_name: String,
    /// The card's financial account (shown masked except to whom may reveal it).
    #[diesel(sql_type = Text)]
    pub account_no: String,
    /// `issued`, `in_use`, `reported_lost`, `suspended`, `replaced`, `cancelled`.
    #[diesel(sql_type = Text)]
    pub status: String,
    #[diesel(sql_type = Date)]
    pub issued_on: NaiveDate,
    #[diesel(sql_type = Timestamptz)]
    pub status_changed_at: DateTime<Utc>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub replaces: Option<i64>,
}

#[derive(Debug, Clone, QueryableByName, Serialize, schemars::JsonSchema)]
pub struct CardEvent {
    #[diesel(sql_type = BigInt)]
    pub card_id: i64,
    #[diesel(sql_type = Timestamptz)]
    pub at: DateTime<Utc>,
    #[diesel(sql_type = Nullable<Text>)]
    pub from_status: Option<String>,
    #[diesel(sql_type = Text)]
    pub to_status: String,
    /// `staff` or `online`.
    #[diesel(sql_type = Text)]
    pub by: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub reason: Option<String>,
}

const SELECT: &str =
    "SELECT id, person_id, card_serial, bank_name, account_no, status, issued_on, status_changed_at, replaces FROM social_security_card";

/// Status changes allowed, as the card centre works: a card is activated (in use), reported lost,
/// suspended by the centre, found again (back in use), replaced (a new card follows) or cancelled.
pub fn may_change(from: &str, to: &str) -> bool {
    matches!(
        (from, to),
        ("issued", "in_use")
            | ("issued" | "in_use", "reported_lost")
            | ("issued" | "in_use", "suspended")
            | ("reported_lost" | "suspended", "in_use")
            | ("issued" | "in_use" | "reported_lost" | "suspended", "replaced")
            | ("issued" | "in_use" | "reported_lost" | "suspended", "cancelled")
    )
}

pub struct NewCard<'a> {
    pub person_id: i64,
    pub card_serial: &'a str,
    pub bank_name: &'a str,
    pub account_no: &'a str,
    pub issued_on: NaiveDate,
    pub replaces: Option<i64>,
    pub import_job_id: Option<i64>,
}

/// Records a card issued to a person. `Conflict` when the serial exists or the person has a live
/// card (replace it instead).
pub fn issue(tx: &mut TenantTx<'_>, c: &NewCard<'_>) -> StoreResult<Card> {
    super::persons::get(tx, c.person_id).map_err(|e| {
        if matches!(e, StoreError::NotFound) {
            StoreError::invalid("person_id", "not_found")
        } else {
            e
        }
    })?;
    let user = tx.actor().user_id();
    let card: Card = diesel::sql_query(
        "INSERT INTO social_security_card (tenant_id, person_id, card_serial, bank_name, account_no, issued_on, replaces, created_by, import_job_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         RETURNING id, person_id, card_serial, bank_name, account_no, status, issued_on, status_changed_at, replaces",
    )
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<BigInt, _>(c.person_id)
    .bind::<Text, _>(c.card_serial)
    .bind::<Text, _>(c.bank_name)
    .bind::<Text, _>(c.account_no)
    .bind::<Date, _>(c.issued_on)
    .bind::<Nullable<BigInt>, _>(c.replaces)
    .bind::<Nullable<BigInt>, _>(user)
    .bind::<Nullable<BigInt>, _>(c.import_job_id)
    .get_result(tx.conn())
    .map_err(|e| {
        if is_unique_violation(&e, "social_security_card_live") {
            StoreError::conflict("person_id", "card.live_exists")
        } else if is_unique_violation(&e, "social_security_card_tenant_id_card_serial_key") {
            StoreError::conflict("card_serial", "card.serial_exists")
        } else {
            StoreError::from(e)
        }
    })?;
    event(tx, &card, None, "issued", None)?;
    tx.audit("card.issue", "social_security_card", &card.id.to_string(), None, Some(audit_view(&card)), None)?;
    Ok(card)
}

fn audit_view(c: &Card) -> serde_json::Value {
    let mut v = serde_json::to_value(c).unwrap_or_default();
    v["account_no"] = serde_json::json!(jinbao_domain::account::mask(&c.account_no));
    v
}

fn event(tx: &mut TenantTx<'_>, card: &Card, from: Option<&str>, to: &str, reason: Option<&str>) -> StoreResult<()> {
    diesel::sql_query(
        "INSERT INTO card_event (tenant_id, card_id, person_id, from_status, to_status, by_user, by_account, reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<BigInt, _>(card.id)
    .bind::<BigInt, _>(card.person_id)
    .bind::<Nullable<Text>, _>(from)
    .bind::<Text, _>(to)
    .bind::<Nullable<BigInt>, _>(tx.actor().user_id())
    .bind::<Nullable<BigInt>, _>(tx.actor().account_id())
    .bind::<Nullable<Text>, _>(reason)
    .execute(tx.conn())?;
    Ok(())
}

/// The person's cards, newest first.
pub fn of_person(tx: &mut TenantTx<'_>, person_id: i64) -> StoreResult<Vec<Card>> {
    Ok(diesel::sql_query(format!("{SELECT} WHERE tenant_id = $1 AND person_id = $2 ORDER BY id DESC"))
        .bind::<SmallInt, _>(tx.tenant().0)
        .bind::<BigInt, _>(person_id)
        .load(tx.conn())?)
}

pub fn get(tx: &mut TenantTx<'_>, id: i64) -> StoreResult<Card> {
    diesel::sql_query(format!("{SELECT} WHERE tenant_id = $1 AND id = $2"))
        .bind::<SmallInt, _>(tx.tenant().0)
        .bind::<BigInt, _>(id)
        .get_result(tx.conn())
        .optional()?
        .ok_or(StoreError::NotFound)
}

/// The history of the person's cards, newest first.
pub fn events_of_person(tx: &mut TenantTx<'_>, person_id: i64) -> StoreResult<Vec<CardEvent>> {
    Ok(diesel::sql_query(
        "SELECT card_id, at, from_status, to_status, CASE WHEN by_account IS NOT NULL THEN 'online' ELSE 'staff' END AS by, reason
           FROM card_event WHERE tenant_id = $1 AND person_id = $2 ORDER BY id DESC LIMIT 200",
    )
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<BigInt, _>(person_id)
    .load(tx.conn())?)
}

/// Changes a card's status (a clerk, or the person reporting it lost); `Conflict` for a change the
/// card's status does not allow.
pub fn change_status(tx: &mut TenantTx<'_>, id: i64, to: &str, reason: Option<&str>) -> StoreResult<Card> {
    let before: Card = diesel::sql_query(format!("{SELECT} WHERE tenant_id = $1 AND id = $2 FOR UPDATE"))
        .bind::<SmallInt, _>(tx.tenant().0)
        .bind::<BigInt, _>(id)
        .get_result(tx.conn())
        .optional()?
        .ok_or(StoreError::NotFound)?;
    if !may_change(&before.status, to) {
        return Err(StoreError::conflict("status", "card.status_change"));
    }
    let after: Card = diesel::sql_query(
        "UPDATE social_security_card SET status = $3, status_changed_at = now() WHERE tenant_id = $1 AND id = $2
         RETURNING id, person_id, card_serial, bank_name, account_no, status, issued_on, status_changed_at, replaces",
    )
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<BigInt, _>(id)
    .bind::<Text, _>(to)
    .get_result(tx.conn())?;
    event(tx, &after, Some(&before.status), to, reason)?;
    tx.audit(
        "card.status",
        "social_security_card",
        &id.to_string(),
        Some(serde_json::json!({"status": before.status})),
        Some(serde_json::json!({"status": after.status})),
        reason,
    )?;
    Ok(after)
}

/// Replaces a live card with a new one (补换卡): the old card becomes `replaced`, the new one is
/// issued referring to it, in one transaction.
pub fn replace(tx: &mut TenantTx<'_>, id: i64, new: &NewCard<'_>, reason: &str) -> StoreResult<Card> {
    let old = change_status(tx, id, "replaced", Some(reason))?;
    if old.person_id != new.person_id {
        return Err(StoreError::invalid("person_id", "card.other_person"));
    }
    issue(tx, &NewCard { replaces: Some(old.id), ..*new })
}

/// One row of the issuing bank's card file, parsed.
#[derive(Debug, Clone)]
pub struct CardRow {
    pub row: usize,
    pub id_number: String,
    pub card_serial: String,
    pub bank_name: String,
    pub account_no: String,
    pub issued_on: NaiveDate,
}

/// Records the card of one file row in a savepoint of its own: `Ok(Err(code))` for a row the
/// record refuses (unknown person, a live card already, the serial known), so that the other rows
/// go on and the caller decides whether the file applies.
pub fn import_row(tx: &mut TenantTx<'_>, r: &CardRow, job_id: Option<i64>) -> StoreResult<Result<Card, String>> {
    let person: Option<i64> = {
        use crate::schema::person::dsl as p;
        p::person.filter(p::tenant_id.eq(tx.tenant().0)).filter(p::id_number.eq(&r.id_number)).select(p::id).first(tx.conn()).optional()?
    };
    let Some(person_id) = person else { return Ok(Err("card.unknown_person".into())) };
    diesel::sql_query("SAVEPOINT card_row").execute(tx.conn())?;
    let card = NewCard {
        person_id,
        card_serial: &r.card_serial,
        bank_name: &r.bank_name,
        account_no: &r.account_no,
        issued_on: r.issued_on,
        replaces: None,
        import_job_id: job_id,
    };
    match issue(tx, &card) {
        Ok(c) => {
            diesel::sql_query("RELEASE SAVEPOINT card_row").execute(tx.conn())?;
            Ok(Ok(c))
        }
        Err(StoreError::Conflict(f)) => {
            diesel::sql_query("ROLLBACK TO SAVEPOINT card_row").execute(tx.conn())?;
            Ok(Err(f.code.to_string()))
        }
        Err(e) => Err(e),
    }
}

/// The person's card that pays: issued or in use (a card reported lost or suspended does not).
pub fn paying_card(tx: &mut TenantTx<'_>, person_id: i64) -> StoreResult<Option<Card>> {
    Ok(diesel::sql_query(format!(
        "{SELECT} WHERE tenant_id = $1 AND person_id = $2 AND status IN ('issued', 'in_use') ORDER BY id DESC LIMIT 1"
    ))
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<BigInt, _>(person_id)
    .get_result(tx.conn())
    .optional()?)
}
