//! Tests of building Parquet from rows: typed cells, whole columns (text
//! joined) and CSV text give the same file; rows that do
//! not fit the header are refused.

use super::{Converter, ParquetRows};
use crate::streaming::{Cells, ChunkColumns, Column, RowSink};
use std::io::Write;

/// Typed rows give the same file, byte for byte, as converting their CSV text.
#[test]
fn typed_rows_write_the_same_file_as_their_csv_text() {
    let header = "trial,architecture,downtime_hours,outages,loss\n";
    let rows: Vec<(i64, &str, f64, i64, f64)> = (0..70_000)
        .map(|i| {
            let x = (i as f64 * 0.618_033_988_75).fract();
            (
                i / 2,
                ["a", "b,c"][i as usize % 2],
                x * 1e-3,
                i % 3,
                -0.0 + x * x,
            )
        })
        .collect();
    let mut text = Converter::new(Vec::new());
    text.write_all(header.as_bytes()).unwrap();
    let mut w = ::csv::Writer::from_writer(Vec::new());
    for r in &rows {
        w.serialize(r).unwrap();
    }
    text.write_all(&w.into_inner().unwrap()).unwrap();
    let mut typed = ParquetRows::new(Vec::new(), header).unwrap();
    for &(t, a, d, o, l) in &rows {
        typed.int(t);
        typed.text(a);
        typed.float(d);
        typed.int(o);
        typed.float(l);
        typed.end_row().unwrap();
    }
    // The same rows column by column, in batches of uneven sizes that
    // straddle the row groups' boundary, kept as owned columns first (text
    // joined: `Cells::Joined`), as a run's worker threads keep them.
    let mut joined = ParquetRows::new(Vec::new(), header).unwrap();
    let mut at = 0;
    for size in [0, 1, 7, 4_000, 65_000, 999].into_iter().cycle() {
        let batch = &rows[at..(at + size).min(rows.len())];
        let t: Vec<i64> = batch.iter().map(|r| r.0).collect();
        let a: Vec<&str> = batch.iter().map(|r| r.1).collect();
        let d: Vec<f64> = batch.iter().map(|r| r.2).collect();
        let o: Vec<i64> = batch.iter().map(|r| r.3).collect();
        let l: Vec<f64> = batch.iter().map(|r| r.4).collect();
        let kept = ChunkColumns(vec![
            Column::Int(t),
            Column::text(a.iter().copied()),
            Column::Float(d),
            Column::Int(o),
            Column::Float(l),
        ]);
        joined.columns(&kept.cells()).unwrap();
        at += batch.len();
        if at == rows.len() {
            break;
        }
    }
    let text = text.finish().unwrap();
    assert_eq!(typed.finish().unwrap(), text);
    assert_eq!(joined.finish().unwrap(), text);
}

/// A cell of the wrong kind, or a row of the wrong length, is an error.
#[test]
fn typed_rows_that_do_not_fit_the_header_are_refused() {
    let mut p = ParquetRows::new(Vec::new(), "trial,loss").unwrap();
    p.int(1);
    p.float(2.0);
    assert!(p.end_row().is_ok());
    p.float(1.0);
    p.float(2.0);
    assert!(p.end_row().is_err());
    let mut p = ParquetRows::new(Vec::new(), "trial,loss").unwrap();
    p.int(1);
    assert!(p.end_row().is_err());
    let mut p = ParquetRows::new(Vec::new(), "trial,loss").unwrap();
    p.int(1);
    p.float(2.0);
    p.text("x");
    assert!(p.end_row().is_err());
    // Columns: of the wrong kind, of unequal lengths, too few, or
    // inside a row begun cell by cell.
    let mut p = ParquetRows::new(Vec::new(), "trial,loss").unwrap();
    assert!(p.columns(&[Cells::Int(&[1]), Cells::Float(&[2.0])]).is_ok());
    assert!(p
        .columns(&[Cells::Float(&[1.0]), Cells::Float(&[2.0])])
        .is_err());
    assert!(p
        .columns(&[Cells::Int(&[1, 2]), Cells::Float(&[2.0])])
        .is_err());
    assert!(p.columns(&[Cells::Int(&[1])]).is_err());
    // Joined text cells whose ends go backwards, past the text, or inside
    // a character.
    let mut q = ParquetRows::new(Vec::new(), "trial,architecture").unwrap();
    let joined = |text, ends| [Cells::Int(&[1, 2]), Cells::Joined { text, ends }];
    assert!(q.columns(&joined("ab", &[1, 2])).is_ok());
    assert!(q.columns(&joined("ab", &[2, 1])).is_err());
    assert!(q.columns(&joined("ab", &[1, 3])).is_err());
    assert!(q.columns(&joined("é", &[1, 2])).is_err());
    assert!(q
        .columns(&[
            Cells::Int(&[1, 2]),
            Cells::Joined {
                text: "ab",
                ends: &[1]
            }
        ])
        .is_err());
    assert!(q.finish().is_ok());
    p.int(1);
    assert!(p
        .columns(&[Cells::Int(&[1]), Cells::Float(&[2.0])])
        .is_err());
}
