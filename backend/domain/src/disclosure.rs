//! Statistical disclosure control for counts published to aggregate readers.
//!
//! The rule is the threshold rule with complementary (secondary) cell suppression, the practice of
//! national statistics offices for tables of frequencies (Hundepool et al., *Statistical Disclosure
//! Control*, Wiley 2012, chapter 4 "Frequency tables"; Eurostat, *Handbook on Statistical
//! Disclosure Control*; the cell suppression of the US Census Bureau and the UK ONS):
//!
//! 1. **Primary suppression** — every count from 1 to [`THRESHOLD`] − 1 is suppressed. A count of 0
//!    stays visible: it describes no person.
//! 2. **Complementary suppression** — a published total lets a reader subtract the visible cells
//!    from it. Wherever a total and its parts have exactly one suppressed member, the smallest other
//!    non-zero member is suppressed too (a part before the total itself), and this is repeated until
//!    no total has exactly one suppressed member. Every total then has none, or at least two, so no
//!    single subtraction gives a suppressed count back.
//!
//! A [`Table`] is a list of cells and the totals among them (each total is itself a cell, so a
//! total can be a part of a greater total: a city's row total is a part of the province's grand
//! total). Tables of rows × columns with row, column and grand totals are built with
//! [`Table::grid`]. The rule is deterministic: the same table gives the same cells suppressed, so
//! every output that publishes a cell agrees with every other.
//!
//! What the rule does not do: it does not solve the full audit problem (intervals a reader could
//! narrow down by combining many totals at once with linear programming). For the tables published
//! here — rows × columns with margins — two suppressed cells in every line is the standard
//! safeguard.

use std::collections::VecDeque;

/// Counts from 1 to `THRESHOLD - 1` are never published.
pub const THRESHOLD: i64 = 5;

/// A count suppressed by the primary rule (1 to [`THRESHOLD`] − 1).
pub fn is_small(count: i64) -> bool {
    (1..THRESHOLD).contains(&count)
}

/// `total` is the sum of `parts` (indices of cells of the same [`Table`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Total {
    pub total: usize,
    pub parts: Vec<usize>,
}

impl Total {
    fn members(&self) -> impl Iterator<Item = usize> + '_ {
        self.parts.iter().copied().chain(std::iter::once(self.total))
    }
}

/// Cells (counts) and the totals published among them.
#[derive(Debug, Clone, Default)]
pub struct Table {
    values: Vec<i64>,
    totals: Vec<Total>,
}

impl Table {
    pub fn new() -> Table {
        Table::default()
    }

    /// Adds a cell; returns its index.
    pub fn cell(&mut self, value: i64) -> usize {
        self.values.push(value);
        self.values.len() - 1
    }

    /// Declares that cell `total` is the sum of `parts`.
    pub fn total(&mut self, total: usize, parts: Vec<usize>) {
        debug_assert_eq!(self.values[total], parts.iter().map(|&p| self.values[p]).sum::<i64>(), "a total equals the sum of its parts");
        self.totals.push(Total { total, parts });
    }

    pub fn values(&self) -> &[i64] {
        &self.values
    }

    pub fn totals(&self) -> &[Total] {
        &self.totals
    }

    /// Rows × columns with each row's total (last column), each column's total (last row) and the
    /// grand total. Returns the table and the index of every cell, margins included:
    /// `index[r][c]` for `r` in `0..=rows`, `c` in `0..=columns`.
    pub fn grid(rows: &[Vec<i64>]) -> (Table, Vec<Vec<usize>>) {
        let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
        let at = |r: &Vec<i64>, c: usize| r.get(c).copied().unwrap_or(0);
        let mut t = Table::new();
        let mut index: Vec<Vec<usize>> = rows
            .iter()
            .map(|r| {
                let mut line: Vec<usize> = (0..columns).map(|c| t.cell(at(r, c))).collect();
                line.push(t.cell((0..columns).map(|c| at(r, c)).sum()));
                line
            })
            .collect();
        let margin: Vec<usize> = (0..=columns).map(|c| t.cell(index.iter().map(|line| t.values[line[c]]).sum())).collect();
        index.push(margin);
        for line in &index {
            t.total(line[columns], line[..columns].to_vec());
        }
        for c in 0..=columns {
            t.total(index[rows.len()][c], index[..rows.len()].iter().map(|line| line[c]).collect());
        }
        (t, index)
    }

    /// Which cells are suppressed (primary and complementary).
    pub fn suppress(&self) -> Vec<bool> {
        self.suppress_from(&[])
    }

    /// As [`Table::suppress`], starting from cells already suppressed elsewhere (`seed[i]`): a
    /// larger table that publishes the same cells as a smaller one suppresses at least what the
    /// smaller one does, so the two cannot be combined to undo either.
    pub fn suppress_from(&self, seed: &[bool]) -> Vec<bool> {
        let n = self.values.len();
        let mut hidden: Vec<bool> = (0..n).map(|i| is_small(self.values[i]) || seed.get(i).copied().unwrap_or(false)).collect();
        let mut of_cell: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (k, t) in self.totals.iter().enumerate() {
            for c in t.members() {
                of_cell[c].push(k);
            }
        }
        let mut queue: VecDeque<usize> = (0..self.totals.len()).collect();
        let mut queued = vec![true; self.totals.len()];
        while let Some(k) = queue.pop_front() {
            queued[k] = false;
            let t = &self.totals[k];
            if t.members().filter(|&c| hidden[c]).count() != 1 {
                continue;
            }
            let visible = |c: &usize| !hidden[*c];
            let pick = t
                .parts
                .iter()
                .copied()
                .filter(|c| visible(c) && self.values[*c] != 0)
                .min_by_key(|&c| (self.values[c], c))
                .or_else(|| Some(t.total).filter(|c| visible(c) && self.values[*c] != 0))
                .or_else(|| t.members().find(visible));
            if let Some(c) = pick {
                hidden[c] = true;
                for &other in &of_cell[c] {
                    if !queued[other] {
                        queued[other] = true;
                        queue.push_back(other);
                    }
                }
            }
        }
        hidden
    }
}

/// Every cell suppressed by the primary rule alone (no totals published).
pub fn suppress_each(values: &[i64]) -> Vec<bool> {
    values.iter().map(|&v| is_small(v)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn hidden_at(grid: &[Vec<usize>], hidden: &[bool]) -> Vec<Vec<bool>> {
        grid.iter().map(|line| line.iter().map(|&i| hidden[i]).collect()).collect()
    }

    #[test]
    fn zero_stays_visible_and_one_to_four_are_hidden() {
        assert_eq!(suppress_each(&[0, 1, 4, 5, 120]), vec![false, true, true, false, false]);
        assert!(!is_small(0) && is_small(1) && is_small(THRESHOLD - 1) && !is_small(THRESHOLD));
    }

    #[test]
    fn a_single_small_cell_takes_the_next_smallest_with_it() {
        // 3 and 12 make 15: publishing 12 and 15 gives the 3 back, so 12 goes too.
        let mut t = Table::new();
        let (a, b, z) = (t.cell(3), t.cell(12), t.cell(0));
        let sum = t.cell(15);
        t.total(sum, vec![a, b, z]);
        assert_eq!(t.suppress(), vec![true, true, false, false]);
    }

    #[test]
    fn the_smallest_non_zero_cell_is_the_complement() {
        let mut t = Table::new();
        let cells: Vec<usize> = [2, 40, 9, 0, 7].iter().map(|&v| t.cell(v)).collect();
        let sum = t.cell(58);
        t.total(sum, cells);
        assert_eq!(t.suppress(), vec![true, false, false, false, true, false]);
    }

    #[test]
    fn two_small_cells_need_no_complement() {
        let (t, g) = Table::grid(&[vec![2, 3, 10]]);
        let h = hidden_at(&g, &t.suppress());
        assert_eq!(h[0], vec![true, true, false, false]);
    }

    #[test]
    fn complements_spread_through_rows_and_columns_until_stable() {
        // One small cell in a 3 × 3 table: its row and its column each need a second cell, and the
        // rows and columns of those need a second one again.
        let (t, g) = Table::grid(&[vec![3, 20, 30], vec![10, 40, 50], vec![60, 70, 80]]);
        let h = hidden_at(&g, &t.suppress());
        assert_eq!(h[0], vec![true, true, false, false]);
        assert_eq!(h[1], vec![true, true, false, false]);
        assert_eq!(h[2], vec![false, false, false, false]);
        assert_eq!(h[3], vec![false; 4]);
    }

    #[test]
    fn a_small_total_is_hidden_and_so_is_its_partner() {
        // A row of one small cell: the row total equals it; both are hidden, and the column
        // totals then need a second hidden cell in each column.
        let (t, g) = Table::grid(&[vec![3, 0], vec![12, 0]]);
        let h = hidden_at(&g, &t.suppress());
        assert_eq!(h[0], vec![true, false, true]);
        assert_eq!(h[1], vec![true, false, true]);
        assert_eq!(h[2], vec![false, false, false]);
    }

    #[test]
    fn seeds_are_kept() {
        let (t, _) = Table::grid(&[vec![30, 40]]);
        let mut seed = vec![false; t.values().len()];
        seed[0] = true;
        let h = t.suppress_from(&seed);
        assert!(h[0] && h.iter().filter(|h| **h).count() >= 2);
    }

    fn every_total_has_none_or_two(t: &Table, hidden: &[bool]) -> Result<(), TestCaseError> {
        for total in t.totals() {
            let n = total.members().filter(|&c| hidden[c]).count();
            prop_assert!(n != 1, "a total {total:?} with exactly one suppressed member: {:?} / {hidden:?}", t.values());
        }
        Ok(())
    }

    fn count() -> impl Strategy<Value = i64> {
        prop_oneof![Just(0i64), 1i64..5, 5i64..60]
    }

    fn rows(max_rows: usize, max_columns: usize) -> impl Strategy<Value = Vec<Vec<i64>>> {
        (1..max_rows, 1..max_columns).prop_flat_map(|(r, c)| prop::collection::vec(prop::collection::vec(count(), c), r))
    }

    proptest! {
        /// No suppressed cell can be recomputed from one published total and the published cells:
        /// every line whose total is shown has no suppressed cell, or at least two.
        #[test]
        fn no_line_has_exactly_one_suppressed_cell(rows in rows(7, 6)) {
            let (t, g) = Table::grid(&rows);
            let hidden = t.suppress();
            every_total_has_none_or_two(&t, &hidden)?;
            for line in &g {
                for &i in line {
                    if is_small(t.values()[i]) {
                        prop_assert!(hidden[i], "every count 1–4 is suppressed");
                    }
                }
            }
            // The published figures are consistent: a shown total minus its shown parts is the
            // sum of at least two suppressed cells (or nothing).
            for total in t.totals() {
                if !hidden[total.total] {
                    let unknown: Vec<usize> = total.parts.iter().copied().filter(|&p| hidden[p]).collect();
                    prop_assert!(unknown.is_empty() || unknown.len() >= 2);
                }
            }
        }

        /// Rows protected on their own first, then the whole table: the table hides at least what
        /// each row alone hides.
        #[test]
        fn a_larger_table_hides_what_each_of_its_rows_hides(rows in rows(5, 5)) {
            let (t, g) = Table::grid(&rows);
            let mut seed = vec![false; t.values().len()];
            for (r, row) in rows.iter().enumerate() {
                let (alone, ga) = Table::grid(std::slice::from_ref(row));
                let h = alone.suppress();
                for c in 0..g[r].len() {
                    seed[g[r][c]] |= h[ga[0][c]];
                }
            }
            let hidden = t.suppress_from(&seed);
            every_total_has_none_or_two(&t, &hidden)?;
            for (i, s) in seed.iter().enumerate() {
                prop_assert!(!s || hidden[i]);
            }
        }

        /// Any nesting of totals (a total that is a part of another) keeps the property.
        #[test]
        fn nested_totals_keep_the_property(parts in prop::collection::vec(prop::collection::vec(count(), 1..5), 1..5)) {
            let mut t = Table::new();
            let mut subtotals = Vec::new();
            for group in &parts {
                let cells: Vec<usize> = group.iter().map(|&v| t.cell(v)).collect();
                let sub = t.cell(group.iter().sum());
                t.total(sub, cells);
                subtotals.push(sub);
            }
            let grand = t.cell(parts.iter().flatten().sum());
            t.total(grand, subtotals);
            every_total_has_none_or_two(&t, &t.suppress())?;
        }
    }

    #[test]
    fn grid_declares_row_column_and_grand_totals() {
        // [1, 2 | 3] / [1, 2 | 3]: cells 0, 1, row total 2; margins 3, 4 and grand total 5.
        let (t, g) = Table::grid(&[vec![1, 2]]);
        assert_eq!(g, vec![vec![0, 1, 2], vec![3, 4, 5]]);
        assert_eq!(t.values(), &[1, 2, 3, 1, 2, 3]);
        let totals: Vec<(usize, Vec<usize>)> = t.totals().iter().map(|x| (x.total, x.parts.clone())).collect();
        assert_eq!(totals, vec![(2, vec![0, 1]), (5, vec![3, 4]), (3, vec![0]), (4, vec![1]), (5, vec![2])]);
    }

    #[test]
    fn with_only_zero_parts_left_the_total_is_the_complement() {
        // A seeded 30 beside a 0: the only non-zero member left to hide is the total itself.
        let mut t = Table::new();
        let (a, z) = (t.cell(30), t.cell(0));
        let sum = t.cell(30);
        t.total(sum, vec![a, z]);
        assert_eq!(t.suppress_from(&[true, false, false]), vec![true, false, true]);
    }

    #[test]
    fn a_zero_total_is_never_picked_while_a_zero_part_can_be() {
        // Every member is 0 and one part is seeded: hiding another 0 part reveals nothing, and the
        // zero total stays published.
        let mut t = Table::new();
        let (a, b) = (t.cell(0), t.cell(0));
        let sum = t.cell(0);
        t.total(sum, vec![a, b]);
        assert_eq!(t.suppress_from(&[true, false, false]), vec![true, true, false]);
    }
}
