//! Building a Parquet file from rows: the typed columns (64-bit integers,
//! 64-bit floats, UTF-8 text, by the column's name: [`column_kind`]), a row
//! group every [`ROWS_PER_GROUP`] rows ([`super::groups`]), zstd. Rows come
//! either as CSV text, converted line by line as it is written
//! ([`Converter`]), or as typed cells ([`RowSink`]), which skips printing
//! and re-parsing every number; a table gives the same file either way.

use super::groups::GroupWriter;
use super::{column_kind, invalid, Kind, ROWS_PER_GROUP};
use crate::streaming::{Cells, RowSink};
use arrow_array::builder::{Float64Builder, Int64Builder, StringBuilder};
use arrow_array::{ArrayRef, StringArray};
use arrow_buffer::{Buffer, OffsetBuffer, ScalarBuffer};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use parquet::basic::{Compression, Encoding, ZstdLevel};
use parquet::file::properties::{EnabledStatistics, WriterProperties};
use parquet::schema::types::ColumnPath;
use std::io::{self, Write};
use std::sync::Arc;

/// zstd's level: −1, one of its fast levels (any reader decompresses it).
const ZSTD_LEVEL: i32 = -1;

enum Column {
    Int(Int64Builder),
    Float(Float64Builder),
    Text(StringBuilder),
}

impl Column {
    fn push(&mut self, cell: &str) -> io::Result<()> {
        match self {
            _ if cell.is_empty() => self.push_null(),
            Column::Int(b) => b.append_value(cell.parse().map_err(invalid)?),
            Column::Float(b) => b.append_value(cell.parse().map_err(invalid)?),
            Column::Text(b) => b.append_value(cell),
        }
        Ok(())
    }

    fn push_null(&mut self) {
        match self {
            Column::Int(b) => b.append_null(),
            Column::Float(b) => b.append_null(),
            Column::Text(b) => b.append_null(),
        }
    }

    /// An empty column of `kind` with room for a row group.
    fn new(kind: Kind) -> Self {
        match kind {
            Kind::Int => Column::Int(Int64Builder::with_capacity(ROWS_PER_GROUP)),
            Kind::Float => Column::Float(Float64Builder::with_capacity(ROWS_PER_GROUP)),
            Kind::Text => Column::Text(StringBuilder::with_capacity(ROWS_PER_GROUP, 0)),
        }
    }

    /// The cells so far as an array; the column is left empty with the same
    /// room (a builder's own `finish` leaves none: the next group's cells
    /// would grow it from nothing, copying as they go).
    fn finish(&mut self) -> ArrayRef {
        let rows = ROWS_PER_GROUP;
        match self {
            Column::Int(b) => {
                Arc::new(std::mem::replace(b, Int64Builder::with_capacity(rows)).finish())
            }
            Column::Float(b) => {
                Arc::new(std::mem::replace(b, Float64Builder::with_capacity(rows)).finish())
            }
            Column::Text(b) => {
                let bytes = b.values_slice().len();
                Arc::new(std::mem::replace(b, StringBuilder::with_capacity(rows, bytes)).finish())
            }
        }
    }
}

/// Takes CSV bytes as they are written and converts complete lines into a
/// Parquet file written to `W`.
pub(super) struct Converter<W: Write + Send> {
    /// Where the file goes, until the header starts it.
    target: Option<W>,
    pending: Vec<u8>,
    schema: Option<SchemaRef>,
    columns: Vec<Column>,
    rows: usize,
    writer: Option<GroupWriter<W>>,
    /// Encode a row group's columns in parallel ([`GroupWriter`]).
    parallel: bool,
    /// Typed rows: the column the next cell goes to, and the first cell
    /// that did not fit its column.
    cursor: usize,
    misfit: Option<String>,
}

impl<W: Write + Send> Converter<W> {
    pub(super) fn new(target: W) -> Self {
        Converter {
            target: Some(target),
            pending: Vec::new(),
            schema: None,
            columns: Vec::new(),
            rows: 0,
            writer: None,
            parallel: false,
            cursor: 0,
            misfit: None,
        }
    }

    fn header(&mut self, line: &[u8]) -> io::Result<()> {
        let names = csv_cells(line)?;
        let fields: Vec<Field> = names
            .iter()
            .map(|n| {
                let t = match column_kind(n) {
                    Kind::Int => DataType::Int64,
                    Kind::Float => DataType::Float64,
                    Kind::Text => DataType::Utf8,
                };
                Field::new(n.as_str(), t, true)
            })
            .collect();
        let schema: SchemaRef = Arc::new(Schema::new(fields));
        self.columns = names.iter().map(|n| Column::new(column_kind(n))).collect();
        // No dictionary encoding: hashing every cell cost more than writing
        // it, and zstd finds the repeats of ids as well (the benchmark's
        // per-trial table: the same size). Integers (trial numbers
        // ascending, small counts) are delta-encoded. Statistics (min and
        // max per page) only for integer columns, which a reader may filter
        // on (a range of trials): every table is in trial order, so a page
        // holds every id (an architecture's, a policy's) and every spread of
        // floats, and their statistics would prune nothing. zstd at its fast
        // level −1. On the benchmark's per-trial table, these settings took
        // the writer from 1,700 to 915 instructions a row, for a file 3%
        // larger than at level 1.
        let mut props = WriterProperties::builder()
            .set_compression(Compression::ZSTD(
                ZstdLevel::try_new(ZSTD_LEVEL).map_err(invalid)?,
            ))
            .set_max_row_group_row_count(Some(ROWS_PER_GROUP))
            .set_dictionary_enabled(false);
        for n in &names {
            let column = || ColumnPath::from(n.as_str());
            props = match column_kind(n) {
                Kind::Int => props.set_column_encoding(column(), Encoding::DELTA_BINARY_PACKED),
                Kind::Text | Kind::Float => {
                    props.set_column_statistics_enabled(column(), EnabledStatistics::None)
                }
            };
        }
        let props = props.build();
        let target = self
            .target
            .take()
            .ok_or_else(|| invalid("a table with two headers"))?;
        self.writer = Some(GroupWriter::new(
            target,
            schema.clone(),
            props,
            self.parallel,
        )?);
        self.schema = Some(schema);
        Ok(())
    }

    fn row(&mut self, line: &[u8]) -> io::Result<()> {
        let cells = csv_cells(line)?;
        if cells.len() != self.columns.len() {
            return Err(invalid(format!(
                "a row of {} cells under a header of {}",
                cells.len(),
                self.columns.len()
            )));
        }
        for (c, cell) in self.columns.iter_mut().zip(&cells) {
            c.push(cell)?;
        }
        self.rows += 1;
        if self.rows == ROWS_PER_GROUP {
            self.flush_rows()?;
        }
        Ok(())
    }

    fn flush_rows(&mut self) -> io::Result<()> {
        let Some(writer) = &mut self.writer else {
            return Ok(());
        };
        if self.rows == 0 {
            return Ok(());
        }
        let arrays: Vec<ArrayRef> = self.columns.iter_mut().map(Column::finish).collect();
        writer.write_group(&arrays)?;
        self.rows = 0;
        Ok(())
    }

    fn lines(&mut self) -> io::Result<()> {
        let Some(end) = self.pending.iter().rposition(|&b| b == b'\n') else {
            return Ok(());
        };
        let done: Vec<u8> = self.pending.drain(..=end).collect();
        for line in done.split(|&b| b == b'\n') {
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            if line.is_empty() {
                continue;
            }
            if self.schema.is_none() {
                self.header(line)?;
            } else {
                self.row(line)?;
            }
        }
        Ok(())
    }

    pub(super) fn finish(mut self) -> io::Result<W> {
        if !self.pending.is_empty() {
            self.pending.push(b'\n');
            self.lines()?;
        }
        self.flush_rows()?;
        match self.writer {
            Some(w) => w.finish(),
            None => Err(invalid("a table without a header")),
        }
    }
}

impl<W: Write + Send> Write for Converter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(buf);
        if self.pending.len() >= 1 << 16 {
            self.lines()?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The cells of one CSV line (quoted cells as the `csv` crate writes them).
fn csv_cells(line: &[u8]) -> io::Result<Vec<String>> {
    // Without quotes a line is its cells joined by commas (the common case:
    // numbers and ids); a reader per line costs about 20 µs.
    if !line.contains(&b'"') {
        return std::str::from_utf8(line)
            .map(|l| l.split(',').map(str::to_string).collect())
            .map_err(invalid);
    }
    let mut r = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(line);
    let mut rec = ::csv::StringRecord::new();
    r.read_record(&mut rec).map_err(invalid)?;
    Ok(rec.iter().map(str::to_string).collect())
}

impl<W: Write + Send> Converter<W> {
    /// The column the next typed cell goes to, if it is of kind `kind`.
    fn next_column(&mut self, kind: Kind) -> Option<&mut Column> {
        let i = self.cursor;
        self.cursor += 1;
        let fits = matches!(
            (self.columns.get(i), kind),
            (Some(Column::Int(_)), Kind::Int)
                | (Some(Column::Float(_)), Kind::Float)
                | (Some(Column::Text(_)), Kind::Text)
        );
        if !fits && self.misfit.is_none() {
            self.misfit = Some(format!(
                "cell {} of a row is not a {kind:?} column's",
                i + 1
            ));
        }
        fits.then(|| &mut self.columns[i])
    }
}

impl<W: Write + Send> Converter<W> {
    /// Whole rows, column by column ([`RowSink::columns`]), filling row
    /// groups at the same boundaries as cell by cell.
    fn append_columns(&mut self, cells: &[Cells]) -> io::Result<()> {
        let rows = cells.first().map_or(0, Cells::len);
        let fits = self.cursor == 0
            && cells.len() == self.columns.len()
            && cells.iter().zip(&self.columns).all(|(c, col)| {
                let kind = match (c, col) {
                    (Cells::Int(_), Column::Int(_)) | (Cells::Float(_), Column::Float(_)) => true,
                    (Cells::Joined { text, ends }, Column::Text(_)) => joined_fit(text, ends),
                    _ => false,
                };
                c.len() == rows && kind
            });
        if !fits {
            return Err(invalid(format!(
                "{} columns of rows that do not fit a header of {}",
                cells.len(),
                self.columns.len()
            )));
        }
        let mut at = 0;
        while at < rows {
            let take = (ROWS_PER_GROUP - self.rows).min(rows - at);
            let range = at..at + take;
            for (col, c) in self.columns.iter_mut().zip(cells) {
                match (col, c) {
                    (Column::Int(b), Cells::Int(v)) => b.append_slice(&v[range.clone()]),
                    (Column::Float(b), Cells::Float(v)) => b.append_slice(&v[range.clone()]),
                    (Column::Text(b), Cells::Joined { text, ends }) => {
                        append_joined(b, text, ends, range.clone())?
                    }
                    _ => unreachable!("kinds checked above"),
                }
            }
            self.rows += take;
            at += take;
            if self.rows == ROWS_PER_GROUP {
                self.flush_rows()?;
            }
        }
        Ok(())
    }
}

/// Whether joined text cells ([`Cells::Joined`]) are what they say: their
/// ends ascending, each on a character boundary of the text.
fn joined_fit(text: &str, ends: &[usize]) -> bool {
    let mut last = 0;
    ends.iter().all(|&end| {
        let fits = end >= last && text.is_char_boundary(end);
        last = end;
        fits
    })
}

/// Appends the joined text cells `range` ([`Cells::Joined`], checked by
/// [`joined_fit`]) as one block: their bytes and their offsets, not a cell
/// at a time.
fn append_joined(
    b: &mut StringBuilder,
    text: &str,
    ends: &[usize],
    range: std::ops::Range<usize>,
) -> io::Result<()> {
    let from = range.start.checked_sub(1).map_or(0, |i| ends[i]);
    let to = range.end.checked_sub(1).map_or(from, |i| ends[i]);
    if i32::try_from(to - from).is_err() {
        return Err(invalid("over 2 GiB of text in one row group"));
    }
    // Every end lies in [from, to] (ascending), so each offset fits.
    let offsets: Vec<i32> = std::iter::once(0)
        .chain(ends[range].iter().map(|&e| (e - from) as i32))
        .collect();
    let block = StringArray::try_new(
        OffsetBuffer::new(ScalarBuffer::from(offsets)),
        Buffer::from(&text.as_bytes()[from..to]),
        None,
    )
    .map_err(invalid)?;
    b.append_array(&block).map_err(invalid)
}

impl<W: Write + Send> RowSink for Converter<W> {
    fn columns(&mut self, cells: &[Cells]) -> io::Result<()> {
        self.append_columns(cells)
    }

    fn int(&mut self, v: i64) {
        if let Some(Column::Int(b)) = self.next_column(Kind::Int) {
            b.append_value(v);
        }
    }

    fn float(&mut self, v: f64) {
        if let Some(Column::Float(b)) = self.next_column(Kind::Float) {
            b.append_value(v);
        }
    }

    fn text(&mut self, v: &str) {
        if let Some(Column::Text(b)) = self.next_column(Kind::Text) {
            b.append_value(v);
        }
    }

    fn end_row(&mut self) -> io::Result<()> {
        if let Some(m) = self.misfit.take() {
            return Err(invalid(m));
        }
        if self.cursor != self.columns.len() {
            return Err(invalid(format!(
                "a row of {} cells under a header of {}",
                self.cursor,
                self.columns.len()
            )));
        }
        self.cursor = 0;
        self.rows += 1;
        if self.rows == ROWS_PER_GROUP {
            self.flush_rows()?;
        }
        Ok(())
    }
}

/// A Parquet file written from typed rows as they come (a streamed run's
/// per-trial table): the same file as converting the rows' CSV text, without
/// printing and re-parsing every number.
pub struct ParquetRows<W: Write + Send>(Converter<W>);

impl<W: Write + Send> ParquetRows<W> {
    /// Starts the file with the columns of a CSV header line.
    pub fn new(target: W, header: &str) -> io::Result<Self> {
        let mut c = Converter::new(target);
        // Written between a run's waves of trials: its row groups'
        // columns are encoded on the run's threads.
        c.parallel = true;
        c.header(header.trim_end().as_bytes())?;
        Ok(ParquetRows(c))
    }

    /// Writes the rows left and closes the file; returns where it went.
    pub fn finish(self) -> io::Result<W> {
        self.0.finish()
    }
}

impl<W: Write + Send> RowSink for ParquetRows<W> {
    fn int(&mut self, v: i64) {
        self.0.int(v)
    }
    fn float(&mut self, v: f64) {
        self.0.float(v)
    }
    fn text(&mut self, v: &str) {
        self.0.text(v)
    }
    fn end_row(&mut self) -> io::Result<()> {
        self.0.end_row()
    }
    fn columns(&mut self, cells: &[Cells]) -> io::Result<()> {
        self.0.append_columns(cells)
    }
}

#[cfg(test)]
mod tests;
