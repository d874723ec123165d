//! Every operation of the API, one module per tag.

mod assessments;
mod auth;
mod benefits;
mod collections;
mod declarations;
mod employers;
mod employments;
mod enrolments;
mod finance;
mod imports;
mod injury_medical;
mod labour;
mod ops;
mod payments;
mod persons;
mod reconciliation;
mod statistics;
mod transfers;

use super::Doc;

pub(super) fn all(d: &mut Doc) {
    auth::operations(d);
    persons::operations(d);
    employers::operations(d);
    employments::operations(d);
    labour::operations(d);
    enrolments::operations(d);
    assessments::operations(d);
    collections::operations(d);
    declarations::operations(d);
    statistics::operations(d);
    imports::operations(d);
    benefits::operations(d);
    injury_medical::operations(d);
    payments::operations(d);
    finance::operations(d);
    transfers::operations(d);
    reconciliation::operations(d);
    ops::operations(d);
}
