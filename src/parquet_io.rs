//! Parquet (zstd) for the big tables, `run --format parquet` (and, by
//! default, `--format auto`: Parquet only for a table of more than
//! [`AUTO_CSV_MAX_ROWS`] rows, [`when_large`]): the per-trial
//! tables (`trials`, `policy_trials`, `periods`), the per-event table
//! (`outages`) and the ORD tables (`<p>_S<n>_summary-info`, `_palt`, `_alct`, `_ept`, `_splt`), each with
//! the columns and values of its CSV. A table's CSV export is converted as
//! it is written, a row group every [`ROWS_PER_GROUP`] rows: a column is
//! 64-bit integers, 64-bit floats or UTF-8 text by its name
//! ([`column_kind`]), an empty cell is null. Reading back
//! ([`read_table_text`]) renders a Parquet file as the CSV text it was made
//! from (numbers in shortest round-trip form), so `fateshare report` reads
//! either format through the same parsers.

mod convert;
mod groups;

use crate::report::{Export, Report};
use arrow_array::{Array, Float64Array, Int64Array, StringArray};
use convert::Converter;
pub use convert::ParquetRows;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Rows per row group (and per conversion batch).
pub const ROWS_PER_GROUP: usize = 65_536;

/// `--format auto` (the default): a big table of at most this many rows
/// (not counting the header) is written as CSV, a larger one as Parquet.
pub const AUTO_CSV_MAX_ROWS: usize = 65_536;

/// The tables `--format parquet` writes as Parquet, CSV name → Parquet name:
/// the per-trial and per-event tables and every ORD table of every summary set.
pub const TABLES: [(&str, &str); 24] = [
    ("trials.csv", "trials.parquet"),
    ("periods.csv", "periods.parquet"),
    ("outages.csv", "outages.parquet"),
    ("policy_trials.csv", "policy_trials.parquet"),
    ("gul_S1_summary-info.csv", "gul_S1_summary-info.parquet"),
    ("gul_S1_palt.csv", "gul_S1_palt.parquet"),
    ("gul_S1_alct.csv", "gul_S1_alct.parquet"),
    ("gul_S1_ept.csv", "gul_S1_ept.parquet"),
    ("gul_S1_splt.csv", "gul_S1_splt.parquet"),
    ("il_S1_summary-info.csv", "il_S1_summary-info.parquet"),
    ("il_S1_palt.csv", "il_S1_palt.parquet"),
    ("il_S1_alct.csv", "il_S1_alct.parquet"),
    ("il_S1_ept.csv", "il_S1_ept.parquet"),
    ("il_S1_splt.csv", "il_S1_splt.parquet"),
    ("il_S2_summary-info.csv", "il_S2_summary-info.parquet"),
    ("il_S2_palt.csv", "il_S2_palt.parquet"),
    ("il_S2_alct.csv", "il_S2_alct.parquet"),
    ("il_S2_ept.csv", "il_S2_ept.parquet"),
    ("il_S2_splt.csv", "il_S2_splt.parquet"),
    ("ri_S1_summary-info.csv", "ri_S1_summary-info.parquet"),
    ("ri_S1_palt.csv", "ri_S1_palt.parquet"),
    ("ri_S1_alct.csv", "ri_S1_alct.parquet"),
    ("ri_S1_ept.csv", "ri_S1_ept.parquet"),
    ("ri_S1_splt.csv", "ri_S1_splt.parquet"),
];

/// The Parquet name of a table written as Parquet, if it is one.
pub fn parquet_name(csv: &str) -> Option<&'static str> {
    TABLES.iter().find(|(c, _)| *c == csv).map(|(_, p)| *p)
}

/// How a column is stored.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    Int,
    Float,
    Text,
}

/// A column's type by its name: counts and identifiers are integers, names
/// are text, every other figure is a float.
pub fn column_kind(name: &str) -> Kind {
    match name {
        "trial" | "outages" | "events_paid" | "Period" | "EventId" | "Year" | "Month" | "Day"
        | "Hour" | "Minute" | "SummaryId" | "SampleId" | "SampleType" | "EPCalc" | "EPType"
        | "SampleSize" | "summary_id" | "period_no" => Kind::Int,
        "architecture" | "policy" | "portfolio" | "kind" | "id" => Kind::Text,
        _ => Kind::Float,
    }
}

/// Wraps every export that has a Parquet form into its Parquet writer.
pub fn to_parquet(exports: Vec<Box<dyn Export>>) -> Vec<Box<dyn Export>> {
    exports
        .into_iter()
        .map(|e| match parquet_name(e.file_name()) {
            Some(name) => Box::new(ParquetTable { csv: e, name }) as Box<dyn Export>,
            None => e,
        })
        .collect()
}

/// `--format auto`: whether a big table of `rows` rows (below its header) is Parquet.
pub fn auto_is_parquet(rows: u64) -> bool {
    rows > AUTO_CSV_MAX_ROWS as u64
}

/// `--format auto`: wraps every export that has a Parquet form and more than
/// [`AUTO_CSV_MAX_ROWS`] rows into its Parquet writer; the rest stay CSV.
/// The rows are counted by writing the CSV into a counter that stops one
/// row past the limit, so the choice depends on the table alone.
pub fn when_large(exports: Vec<Box<dyn Export>>, report: &Report) -> Vec<Box<dyn Export>> {
    exports
        .into_iter()
        .map(|e| match parquet_name(e.file_name()) {
            Some(name) if rows_above(e.as_ref(), report, AUTO_CSV_MAX_ROWS) => {
                Box::new(ParquetTable { csv: e, name }) as Box<dyn Export>
            }
            _ => e,
        })
        .collect()
}

/// Whether `e`'s CSV has more than `limit` rows below its header. A table
/// that fails to write counts as small: it is written as CSV, which reports
/// the failure.
fn rows_above(e: &dyn Export, report: &Report, limit: usize) -> bool {
    let mut counter = LineCounter {
        lines: 0,
        // The header, then `limit` rows.
        most: limit + 1,
    };
    let _ = e.write(report, &mut counter);
    counter.lines > counter.most
}

/// Counts the lines written to it; refuses more bytes once past `most`.
struct LineCounter {
    lines: usize,
    most: usize,
}

impl Write for LineCounter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.lines > self.most {
            return Err(io::Error::other("past the row limit"));
        }
        self.lines += buf.iter().filter(|&&b| b == b'\n').count();
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A CSV export written as Parquet.
pub struct ParquetTable {
    csv: Box<dyn Export>,
    name: &'static str,
}

impl Export for ParquetTable {
    fn file_name(&self) -> &'static str {
        self.name
    }

    fn write(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        let mut sink = Converter::new(Vec::new());
        self.csv.write(report, &mut sink)?;
        out.write_all(&sink.finish()?)
    }
}

pub(crate) fn invalid(e: impl std::fmt::Display) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, e.to_string())
}

/// The file a table is in: `name` (a `.csv` path) if it exists, else its
/// Parquet form beside it if that exists, else `name`.
pub fn table_path(csv: &Path) -> PathBuf {
    if csv.exists() {
        return csv.to_path_buf();
    }
    let parquet = csv
        .file_name()
        .and_then(|n| parquet_name(&n.to_string_lossy()))
        .map(|n| csv.with_file_name(n));
    match parquet {
        Some(p) if p.exists() => p,
        _ => csv.to_path_buf(),
    }
}

/// The text of a table: the CSV file, or its Parquet form rendered as the
/// CSV it was converted from.
pub fn read_table_text(csv: &Path) -> io::Result<String> {
    let path = table_path(csv);
    if path.extension().is_some_and(|e| e == "parquet") {
        parquet_text(&path)
    } else {
        std::fs::read_to_string(&path)
    }
}

/// Calls `each` with every line of a table's text, header first, as
/// [`read_table_text`] gives it, without holding the whole text: the CSV
/// file's lines, or its Parquet form's rows rendered as CSV lines one at a
/// time. Stops at the first error `each` returns (the inner result).
pub fn for_each_line<E>(
    csv: &Path,
    each: &mut dyn FnMut(&str) -> Result<(), E>,
) -> io::Result<Result<(), E>> {
    let path = table_path(csv);
    if path.extension().is_some_and(|e| e == "parquet") {
        let file = std::fs::File::open(&path)?;
        let builder = ParquetRecordBatchReaderBuilder::try_new(file).map_err(invalid)?;
        let names: Vec<String> = builder
            .schema()
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect();
        if let Err(e) = each(&csv_line(&names)?) {
            return Ok(Err(e));
        }
        for batch in builder.build().map_err(invalid)? {
            let batch = batch.map_err(invalid)?;
            for row in 0..batch.num_rows() {
                let cells: Vec<String> = batch
                    .columns()
                    .iter()
                    .map(|c| cell(c.as_ref(), row))
                    .collect::<io::Result<_>>()?;
                if let Err(e) = each(&csv_line(&cells)?) {
                    return Ok(Err(e));
                }
            }
        }
    } else {
        use io::BufRead;
        let file = io::BufReader::with_capacity(1 << 16, std::fs::File::open(&path)?);
        for line in file.lines() {
            if let Err(e) = each(&line?) {
                return Ok(Err(e));
            }
        }
    }
    Ok(Ok(()))
}

/// One CSV line (quoted as the `csv` crate quotes), without its end of line.
fn csv_line(cells: &[String]) -> io::Result<String> {
    let mut w = ::csv::WriterBuilder::new().from_writer(Vec::new());
    w.write_record(cells).map_err(invalid)?;
    let mut bytes = w.into_inner().map_err(invalid)?;
    while bytes.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
        bytes.pop();
    }
    String::from_utf8(bytes).map_err(invalid)
}

fn parquet_text(path: &Path) -> io::Result<String> {
    let mut text = String::new();
    let done: Result<(), std::convert::Infallible> = for_each_line(path, &mut |line| {
        text.push_str(line);
        text.push('\n');
        Ok(())
    })?;
    match done {
        Ok(()) => Ok(text),
        Err(never) => match never {},
    }
}

fn cell(c: &dyn Array, row: usize) -> io::Result<String> {
    if c.is_null(row) {
        return Ok(String::new());
    }
    let any = c.as_any();
    if let Some(a) = any.downcast_ref::<Int64Array>() {
        Ok(a.value(row).to_string())
    } else if let Some(a) = any.downcast_ref::<Float64Array>() {
        Ok(a.value(row).to_string())
    } else if let Some(a) = any.downcast_ref::<StringArray>() {
        Ok(a.value(row).to_string())
    } else {
        Err(invalid(format!(
            "a column of type {} (not written by fateshare)",
            c.data_type()
        )))
    }
}
