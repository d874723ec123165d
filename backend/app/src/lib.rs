//! The use cases of Jinbao, between the HTTP edge (`jinbao-web`) and the store: what each business
//! capability does, called alike by the JSON API and the pages, with inputs already parsed and
//! refusals in one vocabulary ([`AppError`]). Formulas stay in `jinbao-domain`; SQL in
//! `jinbao-store`; HTTP (routing, extraction, sessions, rendering) in `jinbao-web`.
//!
//! | capability | module |
//! |---|---|
//! | registry: persons, employers, their fields | [`registry`], [`input`] |
//! | enrolment and retried writes | [`enrolment`] |
//! | collection: declared wages, payments received | [`declarations`], [`collection`] |
//! | benefits: pension, unemployment, maternity (one proposal use case), recalculation, payment channels | [`benefits`] |
//! | payments: bank and post files, results | [`payment_files`] |
//! | reconciliation: bank statements | [`bank_statement`] |
//! | transfers between cities | [`transfers`] |
//! | employment services | [`labour`] |
//! | legacy imports | [`import`], with bounded file reading in [`upload`] |
//! | the yearly personal rights statement | [`rights_statement`] |
//! | social security cards from the issuing bank's file | [`cards`] |

pub mod bank_statement;
pub mod benefits;
pub mod cards;
pub mod catalogue;
pub mod collection;
pub mod declarations;
pub mod enrolment;
pub mod error;
pub mod import;
pub mod injury;
pub mod input;
pub mod labour;
pub mod medical;
pub mod payment_files;
pub mod registry;
pub mod rights_statement;
pub mod transfers;
pub mod upload;
pub mod users;

pub use error::{AppError, FieldProblem, Problems};
