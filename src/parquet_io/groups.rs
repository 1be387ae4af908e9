//! Writing a Parquet file a row group at a time from its columns' arrays:
//! each group's column chunks are encoded (and compressed) on rayon's
//! threads when asked, then appended in column order, so the file's bytes
//! are the same however they were encoded. A run's per-trial table is
//! written between waves of trials, while the simulation's threads would
//! otherwise wait: encoding its columns side by side keeps that part from
//! being serial.

use super::invalid;
use arrow_array::ArrayRef;
use arrow_schema::SchemaRef;
use parquet::arrow::arrow_writer::{
    compute_leaves, ArrowColumnChunk, ArrowColumnWriter, ArrowRowGroupWriterFactory,
};
use parquet::arrow::ArrowWriter;
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use rayon::prelude::*;
use std::io::{self, Write};

/// A Parquet file being written row group by row group.
pub(super) struct GroupWriter<W: Write + Send> {
    file: SerializedFileWriter<W>,
    factory: ArrowRowGroupWriterFactory,
    schema: SchemaRef,
    groups: usize,
    parallel: bool,
}

impl<W: Write + Send> GroupWriter<W> {
    /// Starts the file of `schema` (with its Arrow schema in the metadata,
    /// as [`ArrowWriter`] writes it); `parallel`: encode a group's columns
    /// on the current rayon pool.
    pub(super) fn new(
        target: W,
        schema: SchemaRef,
        props: WriterProperties,
        parallel: bool,
    ) -> io::Result<Self> {
        let (file, factory) = ArrowWriter::try_new(target, schema.clone(), Some(props))
            .and_then(ArrowWriter::into_serialized_writer)
            .map_err(invalid)?;
        Ok(GroupWriter {
            file,
            factory,
            schema,
            groups: 0,
            parallel,
        })
    }

    /// Writes one row group of `arrays`, one per column of the schema.
    pub(super) fn write_group(&mut self, arrays: &[ArrayRef]) -> io::Result<()> {
        let writers = self
            .factory
            .create_column_writers(self.groups)
            .map_err(invalid)?;
        let fields = self.schema.fields();
        if writers.len() != arrays.len() || fields.len() != arrays.len() {
            return Err(invalid(format!(
                "{} columns for a table of {}",
                arrays.len(),
                fields.len()
            )));
        }
        let encode = |(mut w, (field, array)): (ArrowColumnWriter, (&_, &ArrayRef))| {
            let field: &arrow_schema::FieldRef = field;
            for leaf in compute_leaves(field.as_ref(), array)? {
                w.write(&leaf)?;
            }
            w.close()
        };
        let chunks: Vec<parquet::errors::Result<ArrowColumnChunk>> = if self.parallel {
            writers
                .into_par_iter()
                .zip(fields.par_iter().zip(arrays.par_iter()))
                .map(encode)
                .collect()
        } else {
            writers
                .into_iter()
                .zip(fields.iter().zip(arrays))
                .map(encode)
                .collect()
        };
        let mut group = self.file.next_row_group().map_err(invalid)?;
        for chunk in chunks {
            chunk
                .and_then(|c| c.append_to_row_group(&mut group))
                .map_err(invalid)?;
        }
        group.close().map_err(invalid)?;
        self.groups += 1;
        Ok(())
    }

    /// Writes the footer; returns where the file went.
    pub(super) fn finish(self) -> io::Result<W> {
        self.file.into_inner().map_err(invalid)
    }
}
