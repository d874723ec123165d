//! Pure rules of Henan labour and social security.
//!
//! Everything here is free of IO: identifiers that parse (not merely validate), money in integer fen,
//! year-month periods, tenant rules and the contribution formulas. The web and store crates convert
//! untrusted input into these types at the edge.

pub mod account;
pub mod benefits;
pub mod contribution;
pub mod credit_code;
pub mod disclosure;
pub mod error;
pub mod funds;
pub mod id_number;
pub mod injury;
pub mod insurance;
pub mod money;
pub mod period;
pub mod rules;
pub mod tenant;
pub mod text;

pub use contribution::{assess, clamp_base, Assessment, AssessmentLine};
pub use credit_code::CreditCode;
pub use error::FieldError;
pub use id_number::{Gender, IdNumber};
pub use insurance::{InsuranceType, Party};
pub use money::{Fen, RateBp};
pub use period::Period;
pub use rules::{Rounding, TenantRules};
pub use tenant::{TenantCode, TenantKind, TenantStatus};
