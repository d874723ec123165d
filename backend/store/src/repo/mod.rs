//! Repositories: functions over a [`TenantTx`](crate::TenantTx) (tenant data) or the [`Db`](crate::Db)
//! (global reference data). One module per aggregate.

pub mod assessments;
pub mod audit;
pub mod benefits;
pub mod cards;
pub mod catalogue;
pub mod certificates;
pub mod channel_changes;
pub mod collections;
pub mod decisions;
pub mod declarations;
pub mod duplicates;
pub mod employers;
pub mod employments;
pub mod enrolments;
pub mod events;
pub mod global;
pub mod idempotency;
pub mod imports;
pub mod income;
pub mod injury_cases;
pub mod injury_rates;
pub mod jobs;
pub mod labour;
pub mod ledger;
pub mod medical;
pub mod onboarding;
pub mod payments;
pub mod persons;
pub mod public_accounts;
pub mod public_applications;
pub mod reconciliation;
pub mod revisions;
pub mod rights_statements;
pub mod rules;
pub mod sessions;
pub mod stats;
pub mod transfers;
pub mod users;

/// One `bigint` column `id`: the id a `RETURNING id` gives back.
#[derive(diesel::QueryableByName)]
pub(crate) struct IdRow {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub id: i64,
}

/// One `bigint` column `n`: a count.
#[derive(diesel::QueryableByName)]
pub(crate) struct CountRow {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub n: i64,
}

/// Escapes `%`, `_` and `\` for a LIKE pattern.
pub(crate) fn like_escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// The smallest string greater than every string starting with `prefix` (byte order, as the
/// "C" collation compares): the last character bumped by one code point.
pub(crate) fn prefix_upper_bound(prefix: &str) -> String {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        let mut next = last as u32 + 1;
        if (0xD800..0xE000).contains(&next) {
            next = 0xE000;
        }
        if let Some(c) = char::from_u32(next) {
            chars.push(c);
            return chars.into_iter().collect();
        }
    }
    String::from(char::MAX)
}

/// One page of a list: `has_more` tells whether another page follows.
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
#[schemars(rename = "{T}Page")]
pub struct Page<T> {
    pub items: Vec<T>,
    /// The page returned, from 1.
    #[schemars(range(min = 1))]
    pub page: i64,
    /// The page size used.
    #[schemars(range(min = 1, max = 100))]
    pub per_page: i64,
    /// Whether another page follows.
    pub has_more: bool,
}

impl<T> Page<T> {
    /// The same page with every item converted.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page { items: self.items.into_iter().map(f).collect(), page: self.page, per_page: self.per_page, has_more: self.has_more }
    }

    pub(crate) fn from_overfetch(mut items: Vec<T>, page: i64, per_page: i64) -> Page<T> {
        let has_more = items.len() as i64 > per_page;
        items.truncate(per_page as usize);
        Page { items, page, per_page, has_more }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upper_bounds() {
        assert_eq!(prefix_upper_bound("abc"), "abd");
        assert_eq!(prefix_upper_bound("张"), "弡");
        assert!(prefix_upper_bound("张三").as_str() > "张三丰");
    }

    #[test]
    fn escapes_like() {
        assert_eq!(like_escape("a%b_c\\"), "a\\%b\\_c\\\\");
    }
}
