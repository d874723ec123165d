//! The labour-market vocabulary shared by the API and the pages.

pub const REASONS: [&str; 6] = ["dismissed", "contract_ended", "employer_closed", "resigned", "graduate", "other"];
pub const CONTACTS: [&str; 5] = ["job_referral", "counselling", "job_fair", "policy_advice", "other"];
