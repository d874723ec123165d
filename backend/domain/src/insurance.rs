//! The five social insurances and the two parties that pay.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// `pension` 养老保险, `medical` 医疗保险, `unemployment` 失业保险, `work_injury` 工伤保险, `maternity` 生育保险 (merged into medical in
/// most cities: no amounts there).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema)]
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

/// Who pays: `employer` 单位 or `employee` 个人 (withheld from wages). Work injury and maternity are employer only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema)]
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_names_and_parsing_agree() {
        let expect = [
            (InsuranceType::Pension, "pension", "养老保险", true),
            (InsuranceType::Medical, "medical", "医疗保险", true),
            (InsuranceType::Unemployment, "unemployment", "失业保险", true),
            (InsuranceType::WorkInjury, "work_injury", "工伤保险", false),
            (InsuranceType::Maternity, "maternity", "生育保险", false),
        ];
        assert_eq!(InsuranceType::ALL.to_vec(), expect.iter().map(|e| e.0).collect::<Vec<_>>());
        for (t, code, zh, employee_pays) in expect {
            assert_eq!((t.code(), t.name_zh(), t.employee_pays()), (code, zh, employee_pays), "{t:?}");
            assert_eq!(t.to_string(), code);
            assert_eq!(code.parse::<InsuranceType>(), Ok(t));
        }
        for bad in ["", "Pension", "injury", "pension "] {
            assert_eq!(bad.parse::<InsuranceType>(), Err(()), "{bad:?}");
        }
    }

    #[test]
    fn parties() {
        assert_eq!((Party::Employer.code(), Party::Employee.code()), ("employer", "employee"));
        assert_eq!("employer".parse::<Party>(), Ok(Party::Employer));
        assert_eq!("employee".parse::<Party>(), Ok(Party::Employee));
        for bad in ["", "Employer", "worker"] {
            assert_eq!(bad.parse::<Party>(), Err(()), "{bad:?}");
        }
    }
}
