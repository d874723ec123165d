//! The five social insurances and the two parties that pay.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InsuranceType {
    Pension,
    Medical,
    Unemployment,
    WorkInjury,
    Maternity,
}

impl InsuranceType {
    pub const ALL: [InsuranceType; 5] =
        [InsuranceType::Pension, InsuranceType::Medical, InsuranceType::Unemployment, InsuranceType::WorkInjury, InsuranceType::Maternity];

    pub fn code(self) -> &'static str {
        match self {
            InsuranceType::Pension => "pension",
            InsuranceType::Medical => "medical",
            InsuranceType::Unemployment => "unemployment",
            InsuranceType::WorkInjury => "work_injury",
            InsuranceType::Maternity => "maternity",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            InsuranceType::Pension => "养老保险",
            InsuranceType::Medical => "医疗保险",
            InsuranceType::Unemployment => "失业保险",
            InsuranceType::WorkInjury => "工伤保险",
            InsuranceType::Maternity => "生育保险",
        }
    }

    /// Work injury and maternity are paid by the employer alone.
    pub fn employee_pays(self) -> bool {
        matches!(self, InsuranceType::Pension | InsuranceType::Medical | InsuranceType::Unemployment)
    }
}

impl fmt::Display for InsuranceType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for InsuranceType {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        InsuranceType::ALL.into_iter().find(|t| t.code() == s).ok_or(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Party {
    Employer,
    Employee,
}

impl Party {
    pub fn code(self) -> &'static str {
        match self {
            Party::Employer => "employer",
            Party::Employee => "employee",
        }
    }
}

impl FromStr for Party {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        match s {
            "employer" => Ok(Party::Employer),
            "employee" => Ok(Party::Employee),
            _ => Err(()),
        }
    }
}
