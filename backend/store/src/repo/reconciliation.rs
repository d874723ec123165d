//! Bank supervision and reconciliation per period (docs/rules.md §10): the fund's bank statements
//! beside the books — contributions collected against the income account's credits, benefits
//! paid against the expenditure account's debits, matched by the bank's reference and amount —
//! with every mismatch listed with the person who handled it, resolved with a note, and the
//! period signed off once nothing is open. The income account should be empty at month end.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Nullable, SmallInt, Text};
use serde::Serialize;

use crate::error::{StoreError, StoreResult};
use crate::tenant_tx::TenantTx;

/// One line of a bank statement as parsed from the bank's file.
#[derive(Debug, Clone)]
pub struct StatementRow {
    pub booked_on: NaiveDate,
    pub reference: String,
    pub counterparty: Option<String>,
    pub debit_fen: i64,
    pub credit_fen: i64,
    pub balance_fen: Option<i64>,
    pub memo: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, schemars::JsonSchema)]
pub struct StatementImport {
    /// New statement lines.
    pub inserted: i64,
    /// Lines already imported with the same reference, date and amounts (re-importing changes nothing).
    pub present: i64,
    /// References already imported with other amounts or dates.
    pub conflicts: Vec<String>,
}

/// Imports statement lines of one account; a reference already imported with the same content is
/// present (re-importing a statement changes nothing), with other content a conflict.
pub fn import_statement(tx: &mut TenantTx<'_>, account: &str, rows: &[StatementRow]) -> StoreResult<StatementImport> {
    #[derive(QueryableByName)]
    struct Existing {
        #[diesel(sql_type = Date)]
        booked_on: NaiveDate,
        #[diesel(sql_type = BigInt)]
        debit_fen: i64,
        #[diesel(sql_type = BigInt)]
        credit_fen: i64,
    }
    let tid = tx.tenant().0;
    let user = tx.actor().user_id();
    // A signed-off period is closed: its statement lines cannot change any more.
    #[derive(QueryableByName)]
    struct Signed {
        #[diesel(sql_type = Date)]
        period: NaiveDate,
    }
    let signed: Vec<Signed> =
        diesel::sql_query("SELECT period FROM reconciliation_signoff WHERE tenant_id = $1").bind::<SmallInt, _>(tid).load(tx.conn())?;
    if rows.iter().any(|r| signed.iter().any(|s| s.period == r.booked_on.with_day(1).unwrap_or(r.booked_on))) {
        return Err(StoreError::conflict("period", "reconciliation.signed"));
    }
    let mut out = StatementImport::default();
    for r in rows {
        let existing: Option<Existing> = diesel::sql_query(
            "SELECT booked_on, debit_fen, credit_fen FROM bank_statement_line WHERE tenant_id = $1 AND account = $2 AND reference = $3",
        )
        .bind::<SmallInt, _>(tid)
        .bind::<Text, _>(account)
        .bind::<Text, _>(&r.reference)
        .get_result(tx.conn())
        .optional()?;
        match existing {
            Some(e) if e.booked_on == r.booked_on && e.debit_fen == r.debit_fen && e.credit_fen == r.credit_fen => out.present += 1,
            Some(_) => out.conflicts.push(r.reference.clone()),
            None => {
                diesel::sql_query(
                    "INSERT INTO bank_statement_line (tenant_id, account, booked_on, reference, counterparty, debit_fen, credit_fen,
                                                      balance_fen, memo, imported_by)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                )
                .bind::<SmallInt, _>(tid)
                .bind::<Text, _>(account)
                .bind::<Date, _>(r.booked_on)
                .bind::<Text, _>(&r.reference)
                .bind::<Nullable<Text>, _>(r.counterparty.as_deref())
                .bind::<BigInt, _>(r.debit_fen)
                .bind::<BigInt, _>(r.credit_fen)
                .bind::<Nullable<BigInt>, _>(r.balance_fen)
                .bind::<Nullable<Text>, _>(r.memo.as_deref())
                .bind::<Nullable<BigInt>, _>(user)
                .execute(tx.conn())
                .map_err(|e| {
                    if crate::error::is_unique_violation(&e, "bank_statement_line_tenant_id_account_reference_key") {
                        StoreError::conflict("reference", "request.retry")
                    } else {
                        e.into()
                    }
                })?;
                out.inserted += 1;
            }
        }
    }
    tx.audit(
        "bank.statement_import",
        "bank_statement",
        account,
        None,
        Some(serde_json::json!({"inserted": out.inserted, "present": out.present, "conflicts": out.conflicts.len()})),
        None,
    )?;
    Ok(out)
}

#[derive(Debug, Clone, Serialize, QueryableByName, PartialEq, Eq, schemars::JsonSchema)]
#[schemars(rename = "ReconciliationSummary")]
pub struct Summary {
    /// Assessed for the period (employer + employee).
    #[diesel(sql_type = BigInt)]
    pub assessed_fen: i64,
    /// Collections with a payment date in the month, all channels.
    #[diesel(sql_type = BigInt)]
    pub collected_fen: i64,
    /// Of which by bank.
    #[diesel(sql_type = BigInt)]
    pub collected_bank_fen: i64,
    /// Income-account credits booked in the month.
    #[diesel(sql_type = BigInt)]
    pub bank_credits_fen: i64,
    /// Lines of the period's payment batch, reissues left out.
    #[diesel(sql_type = BigInt)]
    pub benefits_due_fen: i64,
    /// Lines of the period's batch confirmed paid.
    #[diesel(sql_type = BigInt)]
    pub benefits_paid_fen: i64,
    /// Expenditure-account debits booked in the month.
    #[diesel(sql_type = BigInt)]
    pub bank_debits_fen: i64,
    /// Balance of the income account's last line of the month; null when the statement gives none.
    #[diesel(sql_type = Nullable<BigInt>)]
    pub income_month_end_balance_fen: Option<i64>,
}

#[derive(Debug, Clone, Serialize, QueryableByName, PartialEq, Eq, schemars::JsonSchema)]
#[schemars(rename = "ReconciliationDay")]
pub struct Day {
    #[diesel(sql_type = Date)]
    pub day: NaiveDate,
    /// Bank collections paid that day.
    #[diesel(sql_type = BigInt)]
    pub book_in_fen: i64,
    /// Credits of the income and expenditure accounts.
    #[diesel(sql_type = BigInt)]
    pub bank_in_fen: i64,
    /// Paid bank lines of the period's batch, on the day their result was recorded.
    #[diesel(sql_type = BigInt)]
    pub book_out_fen: i64,
    /// Debits of the income and expenditure accounts (the month-end transfer out of the income account included).
    #[diesel(sql_type = BigInt)]
    pub bank_out_fen: i64,
}

/// A mismatch, with who handled the item and how it was resolved (if it was).
#[derive(Debug, Clone, Serialize, QueryableByName, schemars::JsonSchema)]
#[schemars(rename = "ReconciliationItem")]
pub struct Item {
    #[diesel(sql_type = Text)]
    pub kind: String,
    /// The collection, statement line or payment line; 0 for `income_not_emptied`.
    #[diesel(sql_type = BigInt)]
    pub item_id: i64,
    #[diesel(sql_type = Nullable<Date>)]
    pub day: Option<NaiveDate>,
    #[diesel(sql_type = BigInt)]
    pub amount_fen: i64,
    /// The bank's transaction reference.
    #[diesel(sql_type = Nullable<Text>)]
    pub reference: Option<String>,
    /// Display name of the person who handled the item.
    #[diesel(sql_type = Nullable<Text>)]
    pub handler: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub office: Option<String>,
    /// The resolution note.
    #[diesel(sql_type = Nullable<Text>)]
    pub note: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub resolved_by: Option<String>,
    #[diesel(sql_type = Nullable<diesel::sql_types::Timestamptz>)]
    pub resolved_at: Option<DateTime<Utc>>,
}

/// A period's books beside the fund's bank statements, computed on every read.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
#[schemars(rename = "Reconciliation")]
pub struct Report {
    pub period: NaiveDate,
    pub summary: Summary,
    /// Days with any movement, ascending.
    pub days: Vec<Day>,
    /// Mismatches by day, kind and id; resolved ones stay listed with their note.
    pub items: Vec<Item>,
    /// Items without a note.
    pub open_items: usize,
    pub signed_off: Option<SignOff>,
}

#[derive(Debug, Clone, Serialize, QueryableByName, schemars::JsonSchema)]
#[schemars(rename = "ReconciliationSignOff")]
pub struct SignOff {
    #[diesel(sql_type = Text)]
    pub signed_by: String,
    #[diesel(sql_type = diesel::sql_types::Timestamptz)]
    pub signed_at: DateTime<Utc>,
}

/// Every unmatched item of the period, with the ids of who handled it and of the office. Names
/// and resolutions are read by statements of their own (`items`): on Citus a sub-select for a
/// name beside a `NOT EXISTS` is refused, and the outer joins this query once had crashed the
/// coordinator (docs/scaling.md).
const ITEMS: &str = "
    SELECT c.tenant_id, 'collection_unmatched' AS kind, c.id AS item_id, c.paid_on AS day, c.amount_fen, c.bank_ref AS reference,
           c.created_by AS handler_id, NULL::bigint AS second_handler_id, c.office_id
    FROM collection c
    WHERE c.tenant_id = $1 AND c.channel = 'bank' AND c.paid_on >= $2 AND c.paid_on < $3
      AND NOT EXISTS (SELECT 1 FROM bank_statement_line b WHERE b.tenant_id = c.tenant_id AND b.account = 'income'
                                                          AND b.reference = c.bank_ref AND b.credit_fen = c.amount_fen)
    UNION ALL
    SELECT b.tenant_id, 'bank_credit_unmatched', b.id, b.booked_on, b.credit_fen, b.reference, b.imported_by, NULL, NULL
    FROM bank_statement_line b
    WHERE b.tenant_id = $1 AND b.account = 'income' AND b.credit_fen > 0 AND b.booked_on >= $2 AND b.booked_on < $3
      AND NOT EXISTS (SELECT 1 FROM collection c WHERE c.tenant_id = b.tenant_id AND c.channel = 'bank'
                                                  AND c.bank_ref = b.reference AND c.amount_fen = b.credit_fen)
    UNION ALL
    SELECT l.tenant_id, 'payment_unmatched', l.id, l.result_at::date, l.amount_fen, l.result_ref, c.proposed_by, c.decided_by, c.office_id
    FROM payment_line l
    JOIN payment_batch pb ON pb.tenant_id = l.tenant_id AND pb.id = l.batch_id
    JOIN benefit_claim c ON c.tenant_id = l.tenant_id AND c.id = l.claim_id
    WHERE l.tenant_id = $1 AND l.status = 'paid' AND l.channel = 'bank' AND pb.period = $2
      AND NOT EXISTS (SELECT 1 FROM bank_statement_line b WHERE b.tenant_id = l.tenant_id AND b.account = 'expenditure'
                                                          AND b.reference = l.result_ref AND b.debit_fen = l.amount_fen)
    UNION ALL
    SELECT b.tenant_id, 'bank_debit_unmatched', b.id, b.booked_on, b.debit_fen, b.reference, b.imported_by, NULL, NULL
    FROM bank_statement_line b
    WHERE b.tenant_id = $1 AND b.account = 'expenditure' AND b.debit_fen > 0 AND b.booked_on >= $2 AND b.booked_on < $3
      AND NOT EXISTS (SELECT 1 FROM payment_line l WHERE l.tenant_id = b.tenant_id AND l.status = 'paid'
                                                    AND l.result_ref = b.reference AND l.amount_fen = b.debit_fen)
    UNION ALL
    SELECT x.tenant_id, 'income_not_emptied', 0, ($3::date - 1), x.balance_fen, x.reference, x.imported_by, NULL, NULL
    FROM (SELECT * FROM bank_statement_line WHERE tenant_id = $1 AND account = 'income' AND booked_on >= $2 AND booked_on < $3
          ORDER BY booked_on DESC, id DESC LIMIT 1) x
    WHERE coalesce(x.balance_fen, 0) <> 0
    ORDER BY day NULLS LAST, kind, item_id";

#[derive(QueryableByName)]
struct ItemRow {
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = BigInt)]
    item_id: i64,
    #[diesel(sql_type = Nullable<Date>)]
    day: Option<NaiveDate>,
    #[diesel(sql_type = BigInt)]
    amount_fen: i64,
    #[diesel(sql_type = Nullable<Text>)]
    reference: Option<String>,
    #[diesel(sql_type = Nullable<BigInt>)]
    handler_id: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    second_handler_id: Option<i64>,
    #[diesel(sql_type = Nullable<diesel::sql_types::Integer>)]
    office_id: Option<i32>,
}

#[derive(QueryableByName)]
struct Resolution {
    #[diesel(sql_type = Text)]
    item_kind: String,
    #[diesel(sql_type = BigInt)]
    item_id: i64,
    #[diesel(sql_type = Text)]
    note: String,
    #[diesel(sql_type = Nullable<BigInt>)]
    resolved_by: Option<i64>,
    #[diesel(sql_type = diesel::sql_types::Timestamptz)]
    resolved_at: DateTime<Utc>,
}

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    name: String,
}

/// The period's mismatches with the names of their handlers and offices and their resolutions.
fn items(tx: &mut TenantTx<'_>, period: NaiveDate, next: NaiveDate) -> StoreResult<Vec<Item>> {
    use std::collections::HashMap;
    let tid = tx.tenant().0;
    let rows: Vec<ItemRow> =
        diesel::sql_query(ITEMS).bind::<SmallInt, _>(tid).bind::<Date, _>(period).bind::<Date, _>(next).load(tx.conn())?;
    let resolutions: Vec<Resolution> = diesel::sql_query(
        "SELECT item_kind, item_id, note, resolved_by, resolved_at FROM reconciliation_resolution WHERE tenant_id = $1 AND period = $2",
    )
    .bind::<SmallInt, _>(tid)
    .bind::<Date, _>(period)
    .load(tx.conn())?;
    let mut user_ids: Vec<i64> = rows.iter().flat_map(|r| [r.handler_id, r.second_handler_id]).flatten().collect();
    user_ids.extend(resolutions.iter().filter_map(|r| r.resolved_by));
    user_ids.sort_unstable();
    user_ids.dedup();
    let users: HashMap<i64, String> =
        diesel::sql_query("SELECT id, display_name AS name FROM app_user WHERE tenant_id = $1 AND id = ANY($2)")
            .bind::<SmallInt, _>(tid)
            .bind::<diesel::sql_types::Array<BigInt>, _>(&user_ids)
            .load::<Name>(tx.conn())?
            .into_iter()
            .map(|n| (n.id, n.name))
            .collect();
    let offices: HashMap<i64, String> = diesel::sql_query("SELECT id::bigint AS id, name_zh AS name FROM office WHERE tenant_id = $1")
        .bind::<SmallInt, _>(tid)
        .load::<Name>(tx.conn())?
        .into_iter()
        .map(|n| (n.id, n.name))
        .collect();
    let mut resolved: HashMap<(String, i64), Resolution> = resolutions.into_iter().map(|r| ((r.item_kind.clone(), r.item_id), r)).collect();
    let user = |id: Option<i64>| id.and_then(|id| users.get(&id).cloned());
    Ok(rows
        .into_iter()
        .map(|r| {
            let resolution = resolved.remove(&(r.kind.clone(), r.item_id));
            let handler = match (user(r.handler_id), user(r.second_handler_id)) {
                // A benefit's proposer and decider (`concat_ws(' / ', …)`).
                (Some(a), Some(b)) => Some(format!("{a} / {b}")),
                (a, b) => a.or(b).or_else(|| (r.kind == "payment_unmatched").then(String::new)),
            };
            Item {
                kind: r.kind,
                item_id: r.item_id,
                day: r.day,
                amount_fen: r.amount_fen,
                reference: r.reference,
                handler,
                office: r.office_id.and_then(|o| offices.get(&i64::from(o)).cloned()),
                note: resolution.as_ref().map(|x| x.note.clone()),
                resolved_by: resolution.as_ref().and_then(|x| user(x.resolved_by)),
                resolved_at: resolution.map(|x| x.resolved_at),
            }
        })
        .collect())
}

pub fn report(tx: &mut TenantTx<'_>, period: NaiveDate) -> StoreResult<Report> {
    let tid = tx.tenant().0;
    let next = period + chrono::Months::new(1);
    let summary: Summary = diesel::sql_query(
        "SELECT
           (SELECT coalesce(sum(employer_fen + employee_fen), 0) FROM assessment WHERE tenant_id = $1 AND period = $2)::bigint AS assessed_fen,
           (SELECT coalesce(sum(amount_fen), 0) FROM collection WHERE tenant_id = $1 AND paid_on >= $2 AND paid_on < $3)::bigint AS collected_fen,
           (SELECT coalesce(sum(amount_fen), 0) FROM collection WHERE tenant_id = $1 AND channel = 'bank' AND paid_on >= $2 AND paid_on < $3)::bigint
               AS collected_bank_fen,
           (SELECT coalesce(sum(credit_fen), 0) FROM bank_statement_line WHERE tenant_id = $1 AND account = 'income'
               AND booked_on >= $2 AND booked_on < $3)::bigint AS bank_credits_fen,
           (SELECT coalesce(sum(l.amount_fen), 0) FROM payment_line l JOIN payment_batch b ON b.tenant_id = l.tenant_id AND b.id = l.batch_id
               WHERE l.tenant_id = $1 AND b.period = $2 AND l.reissue_of IS NULL)::bigint AS benefits_due_fen,
           (SELECT coalesce(sum(l.amount_fen), 0) FROM payment_line l JOIN payment_batch b ON b.tenant_id = l.tenant_id AND b.id = l.batch_id
               WHERE l.tenant_id = $1 AND b.period = $2 AND l.status = 'paid')::bigint AS benefits_paid_fen,
           (SELECT coalesce(sum(debit_fen), 0) FROM bank_statement_line WHERE tenant_id = $1 AND account = 'expenditure'
               AND booked_on >= $2 AND booked_on < $3)::bigint AS bank_debits_fen,
           (SELECT balance_fen FROM bank_statement_line WHERE tenant_id = $1 AND account = 'income' AND booked_on >= $2 AND booked_on < $3
               ORDER BY booked_on DESC, id DESC LIMIT 1) AS income_month_end_balance_fen",
    )
    .bind::<SmallInt, _>(tid)
    .bind::<Date, _>(period)
    .bind::<Date, _>(next)
    .get_result(tx.conn())?;
    let days: Vec<Day> = diesel::sql_query(
        "WITH d AS (
             SELECT paid_on AS day, amount_fen AS book_in, 0::bigint AS bank_in, 0::bigint AS book_out, 0::bigint AS bank_out
             FROM collection WHERE tenant_id = $1 AND channel = 'bank' AND paid_on >= $2 AND paid_on < $3
             UNION ALL SELECT booked_on, 0, credit_fen, 0, debit_fen FROM bank_statement_line
             WHERE tenant_id = $1 AND account IN ('income', 'expenditure') AND booked_on >= $2 AND booked_on < $3
             UNION ALL SELECT l.result_at::date, 0, 0, l.amount_fen, 0 FROM payment_line l JOIN payment_batch b ON b.tenant_id = l.tenant_id AND b.id = l.batch_id
             WHERE l.tenant_id = $1 AND l.status = 'paid' AND l.channel = 'bank' AND b.period = $2)
         SELECT day, sum(book_in)::bigint AS book_in_fen, sum(bank_in)::bigint AS bank_in_fen, sum(book_out)::bigint AS book_out_fen,
                sum(bank_out)::bigint AS bank_out_fen
         FROM d GROUP BY day ORDER BY day",
    )
    .bind::<SmallInt, _>(tid)
    .bind::<Date, _>(period)
    .bind::<Date, _>(next)
    .load(tx.conn())?;
    let items = items(tx, period, next)?;
    let signed_off: Option<SignOff> = diesel::sql_query(
        "SELECT u.display_name AS signed_by, s.signed_at FROM reconciliation_signoff s
         JOIN app_user u ON u.tenant_id = s.tenant_id AND u.id = s.signed_by WHERE s.tenant_id = $1 AND s.period = $2",
    )
    .bind::<SmallInt, _>(tid)
    .bind::<Date, _>(period)
    .get_result(tx.conn())
    .optional()?;
    let open_items = items.iter().filter(|i| i.note.is_none()).count();
    Ok(Report { period, summary, days, items, open_items, signed_off })
}

/// Records a reviewer's resolution of one mismatch (audited; a resolution is not changed later).
pub fn resolve(tx: &mut TenantTx<'_>, period: NaiveDate, kind: &str, item_id: i64, note: &str) -> StoreResult<()> {
    let user = tx.actor().user_id().ok_or_else(|| StoreError::invalid("user", "benefit.user_required"))?;
    let r = report(tx, period)?;
    if r.signed_off.is_some() {
        return Err(StoreError::conflict("period", "reconciliation.signed"));
    }
    let Some(item) = r.items.iter().find(|i| i.kind == kind && i.item_id == item_id) else { return Err(StoreError::NotFound) };
    if item.note.is_some() {
        return Err(StoreError::conflict("item", "reconciliation.resolved"));
    }
    diesel::sql_query(
        "INSERT INTO reconciliation_resolution (tenant_id, period, item_kind, item_id, note, resolved_by) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind::<SmallInt, _>(tx.tenant().0)
    .bind::<Date, _>(period)
    .bind::<Text, _>(kind)
    .bind::<BigInt, _>(item_id)
    .bind::<Text, _>(note)
    .bind::<BigInt, _>(user)
    .execute(tx.conn())
    .map_err(|e| {
        if crate::error::is_unique_violation(&e, "reconciliation_resolution_pkey") {
            StoreError::conflict("item", "reconciliation.resolved")
        } else {
            e.into()
        }
    })?;
    tx.audit(
        "reconciliation.resolve",
        "reconciliation_item",
        &format!("{}:{kind}:{item_id}", period.format("%Y-%m")),
        None,
        Some(serde_json::json!({"amount_fen": item.amount_fen, "handler": item.handler})),
        Some(note),
    )
}

/// Signs the period off: refused while a mismatch is open or when signed already.
pub fn sign_off(tx: &mut TenantTx<'_>, period: NaiveDate) -> StoreResult<Report> {
    let user = tx.actor().user_id().ok_or_else(|| StoreError::invalid("user", "benefit.user_required"))?;
    let r = report(tx, period)?;
    if r.signed_off.is_some() {
        return Err(StoreError::conflict("period", "reconciliation.signed"));
    }
    if r.open_items > 0 {
        return Err(StoreError::conflict("period", "reconciliation.unresolved"));
    }
    let summary = serde_json::json!({"summary": r.summary, "items": r.items.len()});
    diesel::sql_query("INSERT INTO reconciliation_signoff (tenant_id, period, signed_by, summary) VALUES ($1, $2, $3, $4)")
        .bind::<SmallInt, _>(tx.tenant().0)
        .bind::<Date, _>(period)
        .bind::<BigInt, _>(user)
        .bind::<diesel::sql_types::Jsonb, _>(&summary)
        .execute(tx.conn())
        .map_err(|e| {
            if crate::error::is_unique_violation(&e, "reconciliation_signoff_pkey") {
                StoreError::conflict("period", "reconciliation.signed")
            } else {
                e.into()
            }
        })?;
    tx.audit("reconciliation.sign_off", "reconciliation_period", &period.format("%Y-%m").to_string(), None, Some(summary), None)?;
    report(tx, period)
}
