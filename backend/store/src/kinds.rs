//! Closed vocabularies of the schema as Rust enums: each is a `text` column with a `CHECK (… IN
//! (…))` in the migrations, mapped here once (read, bound, serialised as the same text), so code
//! compares variants, never strings. [`text_enum!`] declares one; a test checks every enum against
//! the CHECK of its column.

use std::fmt;

/// Declares a closed vocabulary stored as text: `name { Variant = "text", … }`.
#[macro_export]
macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, diesel::AsExpression, diesel::FromSqlRow)]
        #[diesel(sql_type = diesel::sql_types::Text)]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            pub fn parse(s: &str) -> Option<$name> {
                match s {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
                $name::parse(&s).ok_or_else(|| serde::de::Error::unknown_variant(&s, &[$($text),+]))
            }
        }

        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                let mut schema = schemars::json_schema!({ "type": "string", "enum": [$($text),+] });
                if let Some(description) = $crate::kinds::doc_text(&[$(stringify!($meta)),*]) {
                    schema.insert("description".into(), description.into());
                }
                schema
            }
        }

        impl diesel::deserialize::FromSql<diesel::sql_types::Text, diesel::pg::Pg> for $name {
            fn from_sql(bytes: diesel::pg::PgValue<'_>) -> diesel::deserialize::Result<Self> {
                let s = <String as diesel::deserialize::FromSql<diesel::sql_types::Text, diesel::pg::Pg>>::from_sql(bytes)?;
                $name::parse(&s).ok_or_else(|| $crate::kinds::Unknown { kind: stringify!($name), text: s }.into())
            }
        }

        impl diesel::serialize::ToSql<diesel::sql_types::Text, diesel::pg::Pg> for $name {
            fn to_sql<'b>(&'b self, out: &mut diesel::serialize::Output<'b, '_, diesel::pg::Pg>) -> diesel::serialize::Result {
                <str as diesel::serialize::ToSql<diesel::sql_types::Text, diesel::pg::Pg>>::to_sql(self.as_str(), out)
            }
        }
    };
}

/// The text of the doc comments among a declaration's attributes (as `stringify!` renders them).
pub fn doc_text(attributes: &[&str]) -> Option<String> {
    let lines: Vec<&str> = attributes
        .iter()
        .filter(|a| a.trim_start().starts_with("doc"))
        .filter_map(|a| Some(a[a.find('"')? + 1..a.rfind('"')?].trim()))
        .collect();
    (!lines.is_empty()).then(|| lines.join(" "))
}

/// A stored text that is no variant of its vocabulary (the schema and the code disagree).
#[derive(Debug)]
pub struct Unknown {
    pub kind: &'static str,
    pub text: String,
}

impl fmt::Display for Unknown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown {} {:?}", self.kind, self.text)
    }
}

impl std::error::Error for Unknown {}

text_enum! {
    /// A proposal decided by a second person (claims' channel changes, revisions).
    Decision { Proposed = "proposed", Approved = "approved", Rejected = "rejected" }
}

text_enum! {
    /// A benefit claim: proposed, decided, and an approved monthly benefit stopped.
    ClaimStatus { Proposed = "proposed", Approved = "approved", Rejected = "rejected", Stopped = "stopped" }
}

text_enum! {
    /// The benefits Jinbao pays (养老金, 失业保险金, 生育津贴) and the work-injury benefits
    /// (一次性伤残补助金, 伤残津贴, 生活护理费, 丧葬补助金, 供养亲属抚恤金, 一次性工亡补助金).
    ClaimKind {
        Pension = "pension", Unemployment = "unemployment", Maternity = "maternity",
        InjuryDisability = "injury_disability", InjuryAllowance = "injury_allowance", InjuryNursing = "injury_nursing",
        InjuryFuneral = "injury_funeral", InjurySurvivor = "injury_survivor", InjuryDeath = "injury_death"
    }
}

impl ClaimKind {
    /// The fund that pays the benefit (its ledger and statistics).
    pub fn fund(self) -> &'static str {
        match self {
            ClaimKind::Pension => "pension",
            ClaimKind::Unemployment => "unemployment",
            ClaimKind::Maternity => "maternity",
            _ => "work_injury",
        }
    }
}

text_enum! {
    /// Who pays a benefit: the fund, or (work injury: grades 5–6 allowance, an employer not
    /// insured at the accident) the employer — recorded, never in a payment batch.
    ClaimPayer { Fund = "fund", Employer = "employer" }
}

text_enum! {
    /// A work-injury case: reported, recognition proposed, recognised or not (工伤认定).
    InjuryStatus { Reported = "reported", Proposed = "proposed", Recognised = "recognised", NotRecognised = "not_recognised" }
}

text_enum! {
    /// Where a benefit is paid: a bank account or a post-office address.
    PaymentChannel { Bank = "bank", Post = "post" }
}

text_enum! {
    /// A month's difference after a recalculation: owed (to pay in a batch), in a batch, paid, or
    /// overpaid (to recover).
    AdjustmentState { Owed = "owed", InBatch = "in_batch", Paid = "paid", Overpaid = "overpaid" }
}

text_enum! {
    /// A payment batch: open (lines may change), exported (files built, results awaited), closed.
    BatchStatus { Open = "open", Exported = "exported", Closed = "closed" }
}

text_enum! {
    /// One payment line's result from the bank or post office.
    LineStatus { Pending = "pending", Paid = "paid", Failed = "failed" }
}

text_enum! {
    /// Which side of a transfer a city holds.
    TransferSide { In = "in", Out = "out" }
}

text_enum! {
    /// A transfer: the contact letter, requested (information and funds), completed or refused.
    TransferState { Letter = "letter", Requested = "requested", Completed = "completed", Refused = "refused" }
}

text_enum! {
    /// A person's enrolment in one insurance with one employer.
    EnrolmentStatus { Active = "active", Stopped = "stopped" }
}

text_enum! {
    /// A staff account.
    UserStatus { Active = "active", Disabled = "disabled", Deleted = "deleted" }
}

text_enum! {
    /// A background job (assessment, import, payment batch).
    JobStatus { Queued = "queued", Running = "running", Done = "done", Failed = "failed" }
}

text_enum! {
    /// A contribution period's assessment.
    PeriodStatus { Running = "running", Assessed = "assessed", Reopened = "reopened" }
}

text_enum! {
    /// A registration as unemployed.
    RegistrationStatus { Seeking = "seeking", ReEmployed = "re_employed", Closed = "closed" }
}

text_enum! {
    /// A tenant: the province tier or a city.
    TenantKind { Province = "province", City = "city" }
}

/// A person's gender as stored (`male`, `female`), read into the domain's
/// [`Gender`](jinbao_domain::id_number::Gender) (`#[diesel(deserialize_as = GenderText)]`).
#[derive(Debug, Clone, Copy, diesel::FromSqlRow)]
pub struct GenderText(pub jinbao_domain::id_number::Gender);

impl diesel::deserialize::FromSql<diesel::sql_types::Text, diesel::pg::Pg> for GenderText {
    fn from_sql(bytes: diesel::pg::PgValue<'_>) -> diesel::deserialize::Result<Self> {
        use jinbao_domain::id_number::Gender;
        let s = <String as diesel::deserialize::FromSql<diesel::sql_types::Text, diesel::pg::Pg>>::from_sql(bytes)?;
        match s.as_str() {
            "male" => Ok(GenderText(Gender::Male)),
            "female" => Ok(GenderText(Gender::Female)),
            _ => Err(Unknown { kind: "Gender", text: s }.into()),
        }
    }
}

impl From<GenderText> for jinbao_domain::id_number::Gender {
    fn from(g: GenderText) -> Self {
        g.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_round_trips_and_unknown_text_is_refused() {
        for s in ClaimStatus::ALL {
            assert_eq!(ClaimStatus::parse(s.as_str()), Some(*s));
            assert_eq!(serde_json::to_value(s).unwrap(), serde_json::json!(s.as_str()));
            assert_eq!(serde_json::from_value::<ClaimStatus>(serde_json::json!(s.as_str())).unwrap(), *s);
        }
        assert_eq!(RegistrationStatus::ReEmployed.to_string(), "re_employed");
        assert_eq!(TransferState::parse("Letter"), None);
        assert!(serde_json::from_value::<BatchStatus>(serde_json::json!("paid")).is_err());
    }
}
