//! Tenant identity: the province and its 18 cities (docs/rules.md §1).

use std::fmt;

use serde::{Deserialize, Serialize};

/// A six-digit GB/T 2260 division code of a tenant, e.g. `411000`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(try_from = "String", into = "String")]
pub struct TenantCode(String);

impl TenantCode {
    pub fn parse(s: &str) -> Option<TenantCode> {
        let s = s.trim();
        (s.len() == 6 && s.bytes().all(|b| b.is_ascii_digit()) && s.starts_with("41")).then(|| TenantCode(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for TenantCode {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        TenantCode::parse(&s).ok_or_else(|| format!("`{s}` is not a Henan division code (41xxxx)"))
    }
}

impl From<TenantCode> for String {
    fn from(c: TenantCode) -> String {
        c.0
    }
}

impl fmt::Display for TenantCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TenantKind {
    Province,
    City,
}

impl TenantKind {
    pub fn code(self) -> &'static str {
        match self {
            TenantKind::Province => "province",
            TenantKind::City => "city",
        }
    }
}

/// Lifecycle: planned → pilot → live; suspended is read-only with logins refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TenantStatus {
    Planned,
    Pilot,
    Live,
    Suspended,
}

impl TenantStatus {
    pub fn code(self) -> &'static str {
        match self {
            TenantStatus::Planned => "planned",
            TenantStatus::Pilot => "pilot",
            TenantStatus::Live => "live",
            TenantStatus::Suspended => "suspended",
        }
    }

    /// Whether users of the tenant may log in: all but a suspended tenant (a planned tenant's
    /// first administrators prepare its go-live).
    pub fn accepts_logins(self) -> bool {
        self != TenantStatus::Suspended
    }

    /// Lifecycle moves: planned → pilot → live; pilot or live → suspended; suspended → pilot or live.
    pub fn may_become(self, to: TenantStatus) -> bool {
        use TenantStatus::*;
        matches!(
            (self, to),
            (Planned, Pilot) | (Pilot, Live) | (Pilot, Suspended) | (Live, Suspended) | (Suspended, Pilot) | (Suspended, Live)
        )
    }

    pub fn parse(s: &str) -> Option<TenantStatus> {
        [TenantStatus::Planned, TenantStatus::Pilot, TenantStatus::Live, TenantStatus::Suspended].into_iter().find(|t| t.code() == s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifecycle() {
        use TenantStatus::*;
        assert!(Planned.may_become(Pilot) && Pilot.may_become(Live) && Live.may_become(Suspended) && Suspended.may_become(Live));
        assert!(!Planned.may_become(Live) && !Live.may_become(Planned) && !Live.may_become(Live));
        assert!(!Suspended.accepts_logins() && Planned.accepts_logins());
    }

    #[test]
    fn codes() {
        assert!(TenantCode::parse("411000").is_some());
        assert!(TenantCode::parse("419001").is_some());
        assert!(TenantCode::parse("110000").is_none());
        assert!(TenantCode::parse("41100").is_none());
    }

    #[test]
    fn code_parsing_refuses_all_but_six_henan_digits() {
        let c = TenantCode::parse(" 411000 ").unwrap();
        assert_eq!(c.as_str(), "411000");
        assert_eq!(c.to_string(), "411000");
        assert_eq!(String::from(c.clone()), "411000");
        assert_eq!(TenantCode::try_from("411000".to_string()), Ok(c));
        for bad in ["", "4110000", "41100a", "4110 0", "511000", "141000", "４１１０００"] {
            assert!(TenantCode::parse(bad).is_none(), "{bad:?}");
        }
        assert_eq!(TenantCode::try_from("110000".to_string()).unwrap_err(), "`110000` is not a Henan division code (41xxxx)");
    }

    #[test]
    fn codes_travel_through_serde_as_plain_strings() {
        let c: TenantCode = serde_json::from_str("\"410100\"").unwrap();
        assert_eq!(serde_json::to_string(&c).unwrap(), "\"410100\"");
        assert!(serde_json::from_str::<TenantCode>("\"310100\"").is_err());
    }

    #[test]
    fn kinds_and_statuses_have_stable_codes() {
        assert_eq!((TenantKind::Province.code(), TenantKind::City.code()), ("province", "city"));
        use TenantStatus::*;
        for (s, code) in [(Planned, "planned"), (Pilot, "pilot"), (Live, "live"), (Suspended, "suspended")] {
            assert_eq!(s.code(), code);
            assert_eq!(TenantStatus::parse(code), Some(s));
        }
        assert_eq!(TenantStatus::parse("Live"), None);
        assert_eq!(TenantStatus::parse(""), None);
    }

    #[test]
    fn every_status_but_suspended_accepts_logins() {
        use TenantStatus::*;
        let accepts: Vec<bool> = [Planned, Pilot, Live, Suspended].map(TenantStatus::accepts_logins).to_vec();
        assert_eq!(accepts, [true, true, true, false]);
    }

    #[test]
    fn the_full_lifecycle_matrix() {
        use TenantStatus::*;
        let all = [Planned, Pilot, Live, Suspended];
        let allowed = [(Planned, Pilot), (Pilot, Live), (Pilot, Suspended), (Live, Suspended), (Suspended, Pilot), (Suspended, Live)];
        for from in all {
            for to in all {
                assert_eq!(from.may_become(to), allowed.contains(&(from, to)), "{from:?} → {to:?}");
            }
        }
    }
}
