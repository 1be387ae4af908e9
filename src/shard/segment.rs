//! The per-trial table in pieces: a streamed shard writes its trials' rows
//! as a table of its own (`trials.csv` or `trials.parquet` in its folder,
//! the format one run of all the trials would use), and `merge` appends the
//! shards' tables in trial order to the run's table, streaming: CSV lines
//! copied as bytes, Parquet rows read a row group at a time and written
//! again as typed cells, so the run's file is the one a single run writes,
//! byte for byte, and no more than a row group is held at once.

use crate::parquet_io::ParquetRows;
use crate::streaming::{RowSink, TableOut};
use arrow_array::{Array, Float64Array, Int64Array, StringArray};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::path::Path;

/// The per-trial table's file name in the format asked.
pub fn name(parquet: bool) -> &'static str {
    if parquet {
        "trials.parquet"
    } else {
        "trials.csv"
    }
}

fn invalid(e: impl std::fmt::Display) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, e.to_string())
}

/// A per-trial table being written: CSV text or Parquet rows.
pub enum Writer {
    Csv(BufWriter<File>),
    Parquet(Box<ParquetRows<BufWriter<File>>>),
}

impl Writer {
    /// Creates the table at `path` with the columns of `header` (a CSV header line).
    pub fn create(path: &Path, parquet: bool, header: &str) -> io::Result<Writer> {
        let mut w = BufWriter::with_capacity(1 << 16, File::create(path)?);
        Ok(if parquet {
            Writer::Parquet(Box::new(ParquetRows::new(w, header)?))
        } else {
            w.write_all(header.as_bytes())?;
            Writer::Csv(w)
        })
    }

    /// Where a streamed run writes its rows.
    pub fn out(&mut self) -> TableOut<'_> {
        match self {
            Writer::Csv(w) => TableOut::Text(w),
            Writer::Parquet(p) => TableOut::Typed(p.as_mut()),
        }
    }

    /// Writes what is left and syncs the file.
    pub fn finish(self) -> io::Result<()> {
        let mut w = match self {
            Writer::Csv(w) => w,
            Writer::Parquet(p) => (*p).finish()?,
        };
        w.flush()?;
        w.into_inner().map_err(|e| e.into_error())?.sync_all()
    }

    /// Appends the rows of the table at `path` (written by [`Writer`] with
    /// the same `header` and format); returns how many rows it held.
    pub fn append(&mut self, path: &Path, header: &str) -> io::Result<u64> {
        match self {
            Writer::Csv(w) => append_csv(w, path, header),
            Writer::Parquet(p) => append_parquet(p.as_mut(), path, header),
        }
    }
}

fn append_csv(w: &mut impl Write, path: &Path, header: &str) -> io::Result<u64> {
    let mut r = BufReader::with_capacity(1 << 16, File::open(path)?);
    let mut first = String::new();
    r.by_ref()
        .take(header.len() as u64 + 1)
        .read_line(&mut first)?;
    if first != header {
        return Err(invalid(format!(
            "its header is not `{}`",
            header.trim_end()
        )));
    }
    let (mut rows, mut last) = (0u64, b'\n');
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = r.read(&mut buf)?;
        if n == 0 {
            break;
        }
        rows += buf[..n].iter().filter(|&&b| b == b'\n').count() as u64;
        last = buf[n - 1];
        w.write_all(&buf[..n])?;
    }
    if last != b'\n' {
        return Err(invalid("its last line is cut short"));
    }
    Ok(rows)
}

fn append_parquet(sink: &mut dyn RowSink, path: &Path, header: &str) -> io::Result<u64> {
    let builder = ParquetRecordBatchReaderBuilder::try_new(File::open(path)?).map_err(invalid)?;
    let names: Vec<&str> = builder
        .schema()
        .fields()
        .iter()
        .map(|f| f.name().as_str())
        .collect();
    if names.join(",") != header.trim_end() {
        return Err(invalid(format!(
            "its columns are not `{}`",
            header.trim_end()
        )));
    }
    let mut rows = 0u64;
    for batch in builder.build().map_err(invalid)? {
        let batch = batch.map_err(invalid)?;
        let columns: Vec<Cells> = batch
            .columns()
            .iter()
            .map(|c| Cells::of(c.as_ref()))
            .collect::<io::Result<_>>()?;
        for row in 0..batch.num_rows() {
            for c in &columns {
                c.push(row, sink)?;
            }
            sink.end_row()?;
            rows += 1;
        }
    }
    Ok(rows)
}

/// A column of a row group, typed.
enum Cells<'a> {
    Int(&'a Int64Array),
    Float(&'a Float64Array),
    Text(&'a StringArray),
}

impl<'a> Cells<'a> {
    fn of(c: &'a dyn Array) -> io::Result<Cells<'a>> {
        let any = c.as_any();
        if let Some(a) = any.downcast_ref::<Int64Array>() {
            Ok(Cells::Int(a))
        } else if let Some(a) = any.downcast_ref::<Float64Array>() {
            Ok(Cells::Float(a))
        } else if let Some(a) = any.downcast_ref::<StringArray>() {
            Ok(Cells::Text(a))
        } else {
            Err(invalid(format!(
                "a column of type {} (not written by fateshare)",
                c.data_type()
            )))
        }
    }

    fn push(&self, row: usize, sink: &mut dyn RowSink) -> io::Result<()> {
        let null = match self {
            Cells::Int(a) => a.is_null(row),
            Cells::Float(a) => a.is_null(row),
            Cells::Text(a) => a.is_null(row),
        };
        if null {
            return Err(invalid(format!("row {} has an empty cell", row + 1)));
        }
        match self {
            Cells::Int(a) => sink.int(a.value(row)),
            Cells::Float(a) => sink.float(a.value(row)),
            Cells::Text(a) => sink.text(a.value(row)),
        }
        Ok(())
    }
}
