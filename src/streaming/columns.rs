//! A chunk's rows of the per-trial table as owned typed columns, built on
//! the worker thread that ran the chunk ([`super::TrialRows::columns`]), so
//! that the one job writing the table only appends whole columns: a text
//! column's cells, joined into one string, go into the table as one block
//! ([`Cells::Joined`]) rather than a cell at a time.

use super::Cells;

/// One owned column of a chunk's rows.
#[derive(Debug, Clone, PartialEq)]
pub enum Column {
    Int(Vec<i64>),
    Float(Vec<f64>),
    /// Text cells one after another, and where each ends (see [`Cells::Joined`]).
    Text {
        text: String,
        ends: Vec<usize>,
    },
}

/// Cells joined one after another, and where each ends.
fn join<'a>(cells: impl IntoIterator<Item = &'a str>) -> (String, Vec<usize>) {
    let (mut text, mut ends) = (String::new(), Vec::new());
    for cell in cells {
        text.push_str(cell);
        ends.push(text.len());
    }
    (text, ends)
}

impl Column {
    /// A text column of these cells.
    pub fn text<'a>(cells: impl IntoIterator<Item = &'a str>) -> Self {
        let (text, ends) = join(cells);
        Column::Text { text, ends }
    }

    /// A text column of `times` repeats of `cycle`'s cells (what
    /// [`Column::text`] makes of them, cheaper: one copy of the joined
    /// cycle per repeat).
    pub fn text_cycle(cycle: &[&str], times: usize) -> Self {
        let (one, within) = join(cycle.iter().copied());
        let mut text = String::with_capacity(one.len() * times);
        let mut ends = Vec::with_capacity(within.len() * times);
        for _ in 0..times {
            let base = text.len();
            text.push_str(&one);
            ends.extend(within.iter().map(|&e| base + e));
        }
        Column::Text { text, ends }
    }

    fn cells(&self) -> Cells<'_> {
        match self {
            Column::Int(v) => Cells::Int(v),
            Column::Float(v) => Cells::Float(v),
            Column::Text { text, ends } => Cells::Joined { text, ends },
        }
    }
}

/// A chunk's rows, column by column.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChunkColumns(pub Vec<Column>);

impl ChunkColumns {
    /// The rows, column by column, to give to a [`super::RowSink`].
    pub fn cells(&self) -> Vec<Cells<'_>> {
        self.0.iter().map(Column::cells).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A text column keeps its cells joined, each ending where the next
    /// begins (empty cells and multi-byte characters included); every
    /// column is lent as the cells it holds.
    #[test]
    fn chunk_columns_lend_the_cells_they_hold() {
        let kept = ChunkColumns(vec![
            Column::Int(vec![1, 2, 3]),
            Column::text(["a", "bé", ""]),
            Column::Float(vec![0.5, -0.0, 1e300]),
        ]);
        let cells = kept.cells();
        assert!(matches!(cells[0], Cells::Int(&[1, 2, 3])));
        assert!(matches!(
            cells[1],
            Cells::Joined {
                text: "abé",
                ends: &[1, 4, 4]
            }
        ));
        let Cells::Float(x) = cells[2] else {
            panic!("a float column")
        };
        let bits: Vec<u64> = x.iter().map(|v| v.to_bits()).collect();
        assert_eq!(bits, [0.5f64, -0.0, 1e300].map(f64::to_bits));
        assert_eq!(cells.iter().map(Cells::len).collect::<Vec<_>>(), [3, 3, 3]);
        for times in 0..4 {
            let cycle = ["a", "", "bé"];
            assert_eq!(
                Column::text_cycle(&cycle, times),
                Column::text(cycle.iter().copied().cycle().take(3 * times))
            );
        }
    }
}
