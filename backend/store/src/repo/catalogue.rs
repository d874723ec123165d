//! The province's medical catalogue by version (global reference data): imported once per version
//! by the province tier, read by every city's settlements.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Date, Int4, Nullable, Text};
use serde::Serialize;

use crate::error::{is_unique_violation, StoreError, StoreResult};
use crate::tenant_tx::TenantTx;

/// One item of a catalogue file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    pub code: String,
    pub name: String,
    /// `A`, `B` or `C`.
    pub class: String,
    pub price_fen: Option<i64>,
}

/// A version as imported.
#[derive(Debug, Clone, Serialize, QueryableByName, schemars::JsonSchema)]
pub struct Version {
    #[diesel(sql_type = Text)]
    pub version: String,
    #[diesel(sql_type = Date)]
    pub effective_from: NaiveDate,
    #[diesel(sql_type = Int4)]
    pub items: i32,
    /// SHA-256 of the imported file, hex.
    #[diesel(sql_type = Text)]
    pub content_sha256: String,
    #[diesel(sql_type = Text)]
    pub imported_by: String,
    #[diesel(sql_type = diesel::sql_types::Timestamptz)]
    pub imported_at: DateTime<Utc>,
}

/// Records a new version and its items (409 `catalogue.version_exists` when the name is taken,
/// `catalogue.not_later` when an existing version is in force from the same or a later month),
/// audited in the importing tenant.
pub fn import(tx: &mut TenantTx<'_>, version: &str, from: NaiveDate, sha: &str, items: &[Item]) -> StoreResult<Version> {
    let by = tx.actor().label();
    // Versions follow one another: a new one is in force from a month after every earlier one, so
    // no bill's class changes after the fact.
    #[derive(QueryableByName)]
    struct Latest {
        #[diesel(sql_type = Nullable<Date>)]
        latest: Option<NaiveDate>,
    }
    let latest: Latest = diesel::sql_query("SELECT max(effective_from) AS latest FROM medical_catalogue_version").get_result(tx.conn())?;
    if latest.latest.is_some_and(|l| l >= from) && !versions(tx)?.iter().any(|v| v.version == version) {
        return Err(StoreError::conflict("effective_from", "catalogue.not_later"));
    }
    diesel::sql_query(
        "INSERT INTO medical_catalogue_version (version, effective_from, items, content_sha256, imported_by) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind::<Text, _>(version)
    .bind::<Date, _>(from)
    .bind::<Int4, _>(i32::try_from(items.len()).unwrap_or(i32::MAX))
    .bind::<Text, _>(sha)
    .bind::<Text, _>(&by)
    .execute(tx.conn())
    .map_err(|e| {
        if is_unique_violation(&e, "medical_catalogue_version_pkey")
            || is_unique_violation(&e, "medical_catalogue_version_effective_from_key")
        {
            StoreError::conflict("version", "catalogue.version_exists")
        } else {
            e.into()
        }
    })?;
    for chunk in items.chunks(2_000) {
        let codes: Vec<&str> = chunk.iter().map(|i| i.code.as_str()).collect();
        let names: Vec<&str> = chunk.iter().map(|i| i.name.as_str()).collect();
        let classes: Vec<&str> = chunk.iter().map(|i| i.class.as_str()).collect();
        let prices: Vec<Option<i64>> = chunk.iter().map(|i| i.price_fen).collect();
        diesel::sql_query(
            "INSERT INTO medical_catalogue_item (version, code, name, class, price_fen)
             SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::bigint[])",
        )
        .bind::<Text, _>(version)
        .bind::<Array<Text>, _>(&codes)
        .bind::<Array<Text>, _>(&names)
        .bind::<Array<Text>, _>(&classes)
        .bind::<Array<Nullable<BigInt>>, _>(&prices)
        .execute(tx.conn())?;
    }
    tx.audit_created(
        "catalogue.import",
        "medical_catalogue_version",
        &[(version.to_string(), serde_json::json!({"effective_from": from, "items": items.len(), "sha256": sha}))],
    )?;
    versions(tx)?.into_iter().find(|v| v.version == version).ok_or(StoreError::NotFound)
}

/// Every version, the latest first.
pub fn versions(tx: &mut TenantTx<'_>) -> StoreResult<Vec<Version>> {
    Ok(diesel::sql_query(
        "SELECT version, effective_from, items, content_sha256, imported_by, imported_at FROM medical_catalogue_version ORDER BY effective_from DESC",
    )
    .load(tx.conn())?)
}

/// The catalogue in force on a day, for the codes asked.
pub struct InForce {
    pub version: String,
    /// (code, class) of the codes found.
    pub classes: Vec<(String, String)>,
}

/// The version in force on `day` and the class of each of `codes` in it (absent codes left out).
pub fn classes_at(tx: &mut TenantTx<'_>, day: NaiveDate, codes: &[String]) -> StoreResult<Option<InForce>> {
    #[derive(QueryableByName)]
    struct V {
        #[diesel(sql_type = Text)]
        version: String,
    }
    #[derive(QueryableByName)]
    struct C {
        #[diesel(sql_type = Text)]
        code: String,
        #[diesel(sql_type = Text)]
        class: String,
    }
    let v: Option<V> =
        diesel::sql_query("SELECT version FROM medical_catalogue_version WHERE effective_from <= $1 ORDER BY effective_from DESC LIMIT 1")
            .bind::<Date, _>(day)
            .get_result(tx.conn())
            .optional()?;
    let Some(v) = v else { return Ok(None) };
    let found: Vec<C> = diesel::sql_query("SELECT code, class FROM medical_catalogue_item WHERE version = $1 AND code = ANY($2)")
        .bind::<Text, _>(&v.version)
        .bind::<Array<Text>, _>(codes)
        .load(tx.conn())?;
    Ok(Some(InForce { version: v.version, classes: found.into_iter().map(|c| (c.code, c.class)).collect() }))
}
