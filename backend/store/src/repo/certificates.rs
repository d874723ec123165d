//! Insurance certificates: the person's insured types with periods and contribution months,
//! recorded with a verification code `<tenant>-XXXX-XXXX-XXXX`.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::{StoreError, StoreResult};
use crate::kinds::EnrolmentStatus;
use crate::repo::persons;
use crate::tenant_tx::TenantTx;

#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CertificateLine {
    pub insurance_type: String,
    pub start_period: NaiveDate,
    pub end_period: Option<NaiveDate>,
    pub status: EnrolmentStatus,
    /// Paid contribution months of this type (legacy history, the platform's assessments, months
    /// transferred in), as benefits count them.
    pub months: i64,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Certificate {
    pub code: String,
    pub person: persons::Person,
    pub lines: Vec<CertificateLine>,
    pub issued_at: DateTime<Utc>,
}

const CODE_ALPHABET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";

pub(crate) fn new_code(tenant_code: &str, random: &[u8; 12]) -> String {
    let chars: String = random.iter().map(|b| CODE_ALPHABET[(*b as usize) % CODE_ALPHABET.len()] as char).collect();
    format!("{tenant_code}-{}-{}-{}", &chars[0..4], &chars[4..8], &chars[8..12])
}

/// Issues a certificate for the person as of now. `random` supplies the code's 12 characters.
pub fn issue(tx: &mut TenantTx<'_>, person_id: i64, tenant_code: &str, random: [u8; 12]) -> StoreResult<Certificate> {
    use crate::schema::certificate::dsl as c;
    use diesel::sql_types::{BigInt, SmallInt};
    let person = persons::get(tx, person_id)?;
    let tid = tx.tenant().0;
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Text)]
        insurance_type: String,
        #[diesel(sql_type = diesel::sql_types::Date)]
        start_period: NaiveDate,
        #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Date>)]
        end_period: Option<NaiveDate>,
        #[diesel(sql_type = diesel::sql_types::Text)]
        status: EnrolmentStatus,
    }
    let rows: Vec<Row> = diesel::sql_query(
        "SELECT e.insurance_type, min(e.start_period) AS start_period,
                CASE WHEN bool_or(e.status = 'active') THEN NULL ELSE max(e.end_period) END AS end_period,
                CASE WHEN bool_or(e.status = 'active') THEN 'active' ELSE 'stopped' END AS status
         FROM enrolment e WHERE e.tenant_id = $1 AND e.person_id = $2
         GROUP BY e.insurance_type",
    )
    .bind::<SmallInt, _>(tid)
    .bind::<BigInt, _>(person_id)
    .load(tx.conn())?;
    // The months are the ones benefits count (one source): paid months from the legacy history,
    // the platform's own assessments and the months transferred in.
    let mut lines: Vec<CertificateLine> = Vec::new();
    for insurance_type in ["pension", "medical", "unemployment", "work_injury", "maternity"] {
        let months = super::benefits::months(tx, person_id, insurance_type)?;
        let enrolled = rows.iter().find(|r| r.insurance_type == insurance_type);
        let (first, last) = (months.first().map(|m| m.period), months.last().map(|m| m.period));
        let line = match (enrolled, first) {
            (Some(r), _) => CertificateLine {
                insurance_type: insurance_type.into(),
                start_period: first.map_or(r.start_period, |f| f.min(r.start_period)),
                end_period: if r.status == EnrolmentStatus::Active { None } else { r.end_period.max(last) },
                status: r.status,
                months: months.len() as i64,
            },
            (None, Some(first)) => CertificateLine {
                insurance_type: insurance_type.into(),
                start_period: first,
                end_period: last,
                status: EnrolmentStatus::Stopped,
                months: months.len() as i64,
            },
            (None, None) => continue,
        };
        lines.push(line);
    }
    if lines.is_empty() {
        return Err(StoreError::conflict("person_id", "certificate.not_insured"));
    }
    let code = new_code(tenant_code, &random);
    let office = tx.actor().office_id().ok_or_else(|| StoreError::invalid("office", "office.unknown"))?;
    let (user, account) = tx.writer()?;
    let issued_at: DateTime<Utc> = diesel::insert_into(c::certificate)
        .values((
            c::tenant_id.eq(tid),
            c::code.eq(&code),
            c::person_id.eq(person_id),
            c::content.eq(serde_json::to_value(&lines).unwrap_or_default()),
            c::issued_by.eq(user),
            c::issued_by_account.eq(account),
            c::office_id.eq(office),
        ))
        .returning(c::issued_at)
        .get_result(tx.conn())?;
    tx.audit("certificate.issue", "person", &person_id.to_string(), None, Some(serde_json::json!({"code": code})), None)?;
    Ok(Certificate { code, person, lines, issued_at })
}

/// What the public verification page may say about a code: the name's first character and the
/// issue date (the tenant is known from the code).
pub fn verify(tx: &mut TenantTx<'_>, code: &str) -> StoreResult<Option<(String, DateTime<Utc>)>> {
    use crate::schema::certificate::dsl as c;
    use crate::schema::person::dsl as p;
    let tid = tx.tenant().0;
    let found: Option<(i64, DateTime<Utc>)> = c::certificate
        .filter(c::tenant_id.eq(tid))
        .filter(c::code.eq(code))
        .filter(c::revoked_at.is_null())
        .select((c::person_id, c::issued_at))
        .first(tx.conn())
        .optional()?;
    // A yearly rights statement's code verifies the same way.
    let found = match found {
        Some(f) => Some(f),
        None => super::rights_statements::by_code(tx, code).ok().map(|s| (s.person_id, s.generated_at)),
    };
    let Some((person_id, issued_at)) = found else { return Ok(None) };
    let name: String = p::person.filter(p::tenant_id.eq(tid)).filter(p::id.eq(person_id)).select(p::name).first(tx.conn())?;
    let initial = name.chars().next().map(|c| c.to_string()).unwrap_or_default();
    Ok(Some((initial, issued_at)))
}

/// A certificate issued earlier, as it was issued.
pub fn get(tx: &mut TenantTx<'_>, code: &str) -> StoreResult<Certificate> {
    use crate::schema::certificate::dsl as c;
    let tid = tx.tenant().0;
    let (person_id, content, issued_at): (i64, serde_json::Value, DateTime<Utc>) = c::certificate
        .filter(c::tenant_id.eq(tid))
        .filter(c::code.eq(code))
        .select((c::person_id, c::content, c::issued_at))
        .first(tx.conn())
        .optional()?
        .ok_or(StoreError::NotFound)?;
    let lines: Vec<CertificateLine> = serde_json::from_value(content).map_err(|e| StoreError::Other(e.into()))?;
    Ok(Certificate { code: code.to_string(), person: persons::get(tx, person_id)?, lines, issued_at })
}

#[cfg(test)]
mod tests {
    #[test]
    fn codes_have_the_tenant_and_three_groups() {
        let code = super::new_code("411000", &[0, 1, 2, 3, 33, 34, 35, 200, 255, 7, 8, 9]);
        assert_eq!(code.len(), 6 + 3 * 5);
        assert!(code.starts_with("411000-"));
        assert!(!code.contains('I') && !code.contains('O'));
    }
}
