//! The counts every province and city output publishes, under one suppression pattern
//! ([`jinbao_domain::disclosure`]): the dashboard (API, page, CSV, workbook), the monthly packages
//! and the transfer counts all read their counts from one [`Shown`], so a cell hidden in one is
//! hidden in all and no output can be combined with another to undo it.
//!
//! The table holds, per area and for the province (`TOTAL`): persons, employers and registered
//! unemployed now; active enrolments now by insurance type with the area's total; per month new and
//! stopped enrolments by type with the area's total, re-employed, trainees, transfers completed in
//! and out (and over all months); transfers open in and out and steps overdue. Every province cell
//! is the total of the areas' cells; the province's open transfers in and out are one and the same
//! number (each transfer is open out of one city and into another), kept as two totals of one cell.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use jinbao_domain::disclosure::Table;
use jinbao_store::repo::stats::{current_period, Figure};
use jinbao_store::repo::transfers::Overview;

use super::model::TYPES;

/// The area code of the province's totals.
pub const TOTAL: &str = "total";
/// The period of figures "now".
pub const NOW: &str = "";
/// The period of a sum over every month.
pub const ALL: &str = "all";

const NOW_SCALAR: [&str; 3] = ["persons", "employers", "registered_unemployed"];
const NOW_TYPED: [&str; 1] = ["active_enrolments"];
const MONTH_TYPED: [&str; 2] = ["new_enrolments", "stopped_enrolments"];
const MONTH_SCALAR: [&str; 4] = ["re_employed", "trainees", "transfers_in", "transfers_out"];
const OVER_ALL_MONTHS: [&str; 2] = ["transfers_in", "transfers_out"];
const OPEN: [&str; 3] = ["open_in", "open_out", "overdue"];

/// (area, metric, period, insurance type); "" for the type is the sum over types.
type Key = (String, &'static str, String, String);

/// One area's input: its code, its statistics and its transfers in progress.
pub struct Input<'a> {
    pub code: String,
    pub figures: Vec<&'a Figure>,
    pub open: Option<&'a Overview>,
}

/// The counts as published: a count, or `None` where suppressed.
#[derive(Debug, Clone, Default)]
pub struct Shown {
    values: BTreeMap<Key, i64>,
    hidden: HashSet<Key>,
}

impl Shown {
    /// The count of `area` (`TOTAL` for the province), `None` when suppressed.
    pub fn get(&self, area: &str, metric: &'static str, period: &str, kind: &str) -> Option<i64> {
        let key = (area.to_string(), metric, period.to_string(), kind.to_string());
        (!self.hidden.contains(&key)).then(|| self.values.get(&key).copied().unwrap_or(0))
    }
}

struct Builder {
    table: Table,
    index: BTreeMap<Key, usize>,
}

impl Builder {
    fn cell(&mut self, key: Key, value: i64) -> usize {
        let i = self.table.cell(value);
        self.index.insert(key, i);
        i
    }
}

fn period_of(f: &Figure) -> String {
    if f.period == current_period() {
        NOW.to_string()
    } else {
        f.period.format("%Y-%m").to_string()
    }
}

fn build(areas: &[Input<'_>], province: bool) -> Builder {
    let mut b = Builder { table: Table::new(), index: BTreeMap::new() };
    let months: BTreeSet<String> =
        areas.iter().flat_map(|a| a.figures.iter()).filter(|f| f.period != current_period()).map(|f| period_of(f)).collect();
    for a in areas {
        let mut by_kind: HashMap<(&str, String, &str), i64> = HashMap::new();
        let mut all_kinds: HashMap<(&str, String), i64> = HashMap::new();
        for f in &a.figures {
            *by_kind.entry((f.metric.as_str(), period_of(f), f.insurance_type.as_str())).or_default() += f.value;
            *all_kinds.entry((f.metric.as_str(), period_of(f))).or_default() += f.value;
        }
        let sum = |metric: &str, period: &str, kind: Option<&str>| -> i64 {
            match kind {
                Some(k) => by_kind.get(&(metric, period.to_string(), k)).copied().unwrap_or(0),
                None => all_kinds.get(&(metric, period.to_string())).copied().unwrap_or(0),
            }
        };
        let code = || a.code.clone();
        for m in NOW_SCALAR {
            b.cell((code(), m, NOW.into(), String::new()), sum(m, NOW, None));
        }
        let typed = |b: &mut Builder, m: &'static str, period: &str| {
            let parts: Vec<usize> =
                TYPES.iter().map(|t| b.cell((code(), m, period.to_string(), t.to_string()), sum(m, period, Some(t)))).collect();
            let values: i64 = parts.iter().map(|&p| b.table.values()[p]).sum();
            let total = b.cell((code(), m, period.to_string(), String::new()), values);
            b.table.total(total, parts);
        };
        for m in NOW_TYPED {
            typed(&mut b, m, NOW);
        }
        for p in &months {
            for m in MONTH_TYPED {
                typed(&mut b, m, p);
            }
            for m in MONTH_SCALAR {
                b.cell((code(), m, p.clone(), String::new()), sum(m, p, None));
            }
        }
        for m in OVER_ALL_MONTHS {
            let parts: Vec<usize> = months.iter().map(|p| b.index[&(code(), m, p.clone(), String::new())]).collect();
            let value = parts.iter().map(|&p| b.table.values()[p]).sum();
            let total = b.cell((code(), m, ALL.into(), String::new()), value);
            b.table.total(total, parts);
        }
        let open = [a.open.map_or(0, |o| o.open_in), a.open.map_or(0, |o| o.open_out), a.open.map_or(0, |o| o.overdue)];
        for (m, v) in OPEN.into_iter().zip(open) {
            b.cell((code(), m, NOW.into(), String::new()), v);
        }
    }
    if province {
        let mut lines: BTreeMap<(&'static str, String, String), Vec<usize>> = BTreeMap::new();
        for ((_, m, p, k), i) in &b.index {
            lines.entry((*m, p.clone(), k.clone())).or_default().push(*i);
        }
        let mut open_total: Option<usize> = None;
        for ((m, p, k), parts) in lines {
            let value: i64 = parts.iter().map(|&i| b.table.values()[i]).sum();
            let total = match open_total.filter(|&t| m == "open_out" && b.table.values()[t] == value) {
                Some(t) => {
                    b.index.insert((TOTAL.to_string(), m, p, k), t);
                    t
                }
                None => b.cell((TOTAL.to_string(), m, p, k), value),
            };
            if m == "open_in" {
                open_total = Some(total);
            }
            b.table.total(total, parts);
        }
        // The province's totals by type add up to its totals, as an area's do.
        let keys: Vec<(&'static str, String)> = b
            .index
            .keys()
            .filter(|(a, m, _, k)| a == TOTAL && k.is_empty() && (NOW_TYPED.contains(m) || MONTH_TYPED.contains(m)))
            .map(|(_, m, p, _)| (*m, p.clone()))
            .collect();
        for (m, p) in keys {
            let parts = TYPES.iter().map(|t| b.index[&(TOTAL.to_string(), m, p.clone(), t.to_string())]).collect();
            b.table.total(b.index[&(TOTAL.to_string(), m, p.clone(), String::new())], parts);
        }
        let keys: Vec<&'static str> = OVER_ALL_MONTHS.to_vec();
        for m in keys {
            let parts: Vec<usize> = months.iter().map(|p| b.index[&(TOTAL.to_string(), m, p.clone(), String::new())]).collect();
            b.table.total(b.index[&(TOTAL.to_string(), m, ALL.to_string(), String::new())], parts);
        }
    }
    b
}

fn shown(b: &Builder, hidden: &[bool]) -> Shown {
    Shown {
        values: b.index.iter().map(|(k, &i)| (k.clone(), b.table.values()[i])).collect(),
        hidden: b.index.iter().filter(|(_, &i)| hidden[i]).map(|(k, _)| k.clone()).collect(),
    }
}

/// One city on its own (its own package): the area's cells and its own totals.
pub fn city(area: Input<'_>) -> Shown {
    let b = build(std::slice::from_ref(&area), false);
    shown(&b, &b.table.suppress())
}

/// Every area and the province: each area is first protected on its own (what its own package
/// hides stays hidden here), then the whole table with the province's totals.
pub fn province(areas: &[Input<'_>]) -> Shown {
    let b = build(areas, true);
    let mut seed = vec![false; b.table.values().len()];
    for a in areas {
        let alone = build(std::slice::from_ref(a), false);
        let hidden = alone.table.suppress();
        for (k, &i) in &alone.index {
            if hidden[i] {
                if let Some(&j) = b.index.get(k) {
                    seed[j] = true;
                }
            }
        }
    }
    shown(&b, &b.table.suppress_from(&seed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn f(tenant_id: i16, metric: &str, period: NaiveDate, kind: &str, value: i64) -> Figure {
        Figure { tenant_id, metric: metric.into(), period, insurance_type: kind.into(), value }
    }

    #[test]
    fn a_small_city_takes_its_neighbour_with_it_and_its_package_agrees() {
        let july = NaiveDate::from_ymd_opt(2026, 7, 1).unwrap();
        let figures = [
            f(1, "persons", current_period(), "", 3),
            f(1, "active_enrolments", current_period(), "pension", 3),
            f(1, "new_enrolments", july, "pension", 3),
            f(2, "persons", current_period(), "", 13),
            f(2, "active_enrolments", current_period(), "pension", 12),
            f(2, "active_enrolments", current_period(), "medical", 30),
            f(2, "new_enrolments", july, "pension", 12),
        ];
        let input =
            |id: i16, code: &str| Input { code: code.into(), figures: figures.iter().filter(|f| f.tenant_id == id).collect(), open: None };
        let s = province(&[input(1, "a"), input(2, "b"), input(3, "c")]);
        assert_eq!(s.get("a", "persons", NOW, ""), None);
        assert_eq!(s.get("b", "persons", NOW, ""), None, "16 − 13 would give the 3 back");
        assert_eq!(s.get(TOTAL, "persons", NOW, ""), Some(16));
        assert_eq!(s.get("c", "persons", NOW, ""), Some(0));
        assert_eq!(s.get("a", "new_enrolments", "2026-07", "pension"), None);
        assert_eq!(s.get("b", "new_enrolments", "2026-07", "pension"), None);
        assert_eq!(s.get("b", "active_enrolments", NOW, "medical"), Some(30));
        let own = city(input(1, "a"));
        assert_eq!(own.get("a", "persons", NOW, ""), None);
        assert_eq!(own.get("a", "active_enrolments", NOW, ""), None);
    }
}
