//! The minimum wage of a person's county (河南省最低工资规定; docs/rules.md §7), the ceiling of the
//! unemployment benefit (失业保险条例 art. 18: below the local minimum wage).
//!
//! Henan sets three area classes (一类/二类/三类行政区域), assigns every county-level division to one
//! and publishes an amount per class from a date (2018-10-01 1,900/1,700/1,500; 2022-01-01
//! 2,000/1,800/1,600 yuan a month). The tenant configures the effective-dated amounts and the class
//! of each county of the city; here are the rules that pick the county, its class and the amount.

use std::collections::BTreeMap;

use crate::money::Fen;
use crate::period::Period;

/// Number of area classes (1 the highest minimum wage).
pub const CLASSES: u8 = 3;

/// The amounts of the three classes in force from a month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    pub effective_from: Period,
    /// Class 1, 2, 3.
    pub amounts: [Fen; CLASSES as usize],
}

impl Schedule {
    /// The amount of a class (1–3); `None` for any other class.
    pub fn amount(&self, class: u8) -> Option<Fen> {
        usize::from(class).checked_sub(1).and_then(|i| self.amounts.get(i)).copied()
    }
}

/// The schedule in force in `month`: the one with the latest `effective_from` not after it.
pub fn in_force(schedules: &[Schedule], month: Period) -> Option<Schedule> {
    schedules.iter().filter(|s| s.effective_from <= month).max_by_key(|s| s.effective_from).copied()
}

/// Where the county of the person was taken from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClassSource {
    /// The area code (first six digits) of the identity number is one of the city's counties.
    IdentityNumber,
    /// Otherwise: the county of the person's office (the office that keeps the record).
    Office,
    /// Neither is one of the city's listed counties: the city's default class.
    CityDefault,
}

impl ClassSource {
    pub fn code(self) -> &'static str {
        match self {
            ClassSource::IdentityNumber => "identity_number",
            ClassSource::Office => "office",
            ClassSource::CityDefault => "city_default",
        }
    }
}

/// The person's minimum-wage class and how it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountyClass {
    pub class: u8,
    pub source: ClassSource,
    /// The county-level division code used (none for the city's default).
    pub county: Option<String>,
}

/// The class of the person's county: the county of the identity number's area code when it is one
/// of the city's listed counties (`counties`: division code → class), else the county of the
/// person's office when listed, else `default_class`. An identity number keeps the area code valid
/// when it was issued, so a city lists its former codes too (e.g. 411023 许昌县, now 建安区).
pub fn class_of(id_number: &str, office_code: Option<&str>, counties: &BTreeMap<String, u8>, default_class: u8) -> CountyClass {
    let area = id_number.get(..6).filter(|a| a.bytes().all(|b| b.is_ascii_digit()));
    if let Some((code, class)) = area.and_then(|a| counties.get_key_value(a)) {
        return CountyClass { class: *class, source: ClassSource::IdentityNumber, county: Some(code.clone()) };
    }
    if let Some((code, class)) = office_code.and_then(|o| counties.get_key_value(o)) {
        return CountyClass { class: *class, source: ClassSource::Office, county: Some(code.clone()) };
    }
    CountyClass { class: default_class, source: ClassSource::CityDefault, county: None }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn p(s: &str) -> Period {
        s.parse().unwrap()
    }

    fn henan() -> Vec<Schedule> {
        vec![
            Schedule { effective_from: p("2022-01"), amounts: [Fen::from_yuan(2000), Fen::from_yuan(1800), Fen::from_yuan(1600)] },
            Schedule { effective_from: p("2018-10"), amounts: [Fen::from_yuan(1900), Fen::from_yuan(1700), Fen::from_yuan(1500)] },
        ]
    }

    #[test]
    fn the_schedule_in_force_is_the_latest_begun() {
        let s = henan();
        assert_eq!(in_force(&s, p("2026-03")).unwrap().amount(3), Some(Fen::from_yuan(1600)));
        assert_eq!(in_force(&s, p("2022-01")).unwrap().amount(1), Some(Fen::from_yuan(2000)));
        assert_eq!(in_force(&s, p("2021-12")).unwrap().amount(2), Some(Fen::from_yuan(1700)));
        assert_eq!(in_force(&s, p("2018-09")), None);
        assert_eq!(in_force(&[], p("2026-01")), None);
        assert_eq!(s[0].amount(0), None);
        assert_eq!(s[0].amount(4), None);
    }

    #[test]
    fn county_from_the_identity_number_then_the_office_then_the_default() {
        let counties: BTreeMap<String, u8> = [("411627", 3), ("411603", 3), ("411602", 2)].map(|(c, k)| (c.to_string(), k)).into();
        let taikang = class_of("411627198505050341", Some("411602"), &counties, 2);
        assert_eq!((taikang.class, taikang.source, taikang.county.as_deref()), (3, ClassSource::IdentityNumber, Some("411627")));
        let office = class_of("410102198606060352", Some("411603"), &counties, 2);
        assert_eq!((office.class, office.source, office.county.as_deref()), (3, ClassSource::Office, Some("411603")));
        let default = class_of("410102198606060352", Some("411600"), &counties, 2);
        assert_eq!((default.class, default.source, default.county), (2, ClassSource::CityDefault, None));
        assert_eq!(class_of("", None, &counties, 1).source, ClassSource::CityDefault);
        assert_eq!(class_of("41A627198505050341", None, &counties, 1).source, ClassSource::CityDefault);
        assert_eq!(ClassSource::Office.code(), "office");
    }

    proptest! {
        /// A class found is always the listed one or the default; the source names where it came from.
        #[test]
        fn class_is_listed_or_default(area in 410000u32..420000, office in 410000u32..420000, default in 1u8..=3) {
            let counties: BTreeMap<String, u8> = (0..20u32).map(|i| ((411600 + i).to_string(), (i % 3 + 1) as u8)).collect();
            let c = class_of(&format!("{area}19900101001X"), Some(&office.to_string()), &counties, default);
            match c.source {
                ClassSource::IdentityNumber => prop_assert_eq!(Some(c.class), counties.get(&area.to_string()).copied()),
                ClassSource::Office => {
                    prop_assert!(!counties.contains_key(&area.to_string()));
                    prop_assert_eq!(Some(c.class), counties.get(&office.to_string()).copied());
                }
                ClassSource::CityDefault => prop_assert_eq!(c.class, default),
            }
        }
    }
}
