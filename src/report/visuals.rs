//! The presentation outputs: every chart of [`crate::charts::all`] as
//! `charts/<name>.png` and `charts/<name>.svg`, and `report.html`. Drawn once
//! from the run's [`ChartData`] and handed to [`crate::output`] as exports,
//! so they are written atomically with the other files.

use super::analyses::Analyses;
use super::html::{self, Page};
use super::{sections, Export, Report};
use crate::charts::{self, ChartData, ChartError};
use std::io::{self, Write};

/// A file whose bytes are ready.
struct Ready {
    name: &'static str,
    bytes: Vec<u8>,
}

impl Export for Ready {
    fn file_name(&self) -> &'static str {
        self.name
    }
    fn write(&self, _: &Report, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(&self.bytes)
    }
}

/// The charts and `report.html` of a run.
pub fn exports(report: &Report) -> Result<Vec<Box<dyn Export>>, ChartError> {
    exports_with(report, Analyses::default())
}

/// The charts and `report.html` of a run, with the sections and charts of
/// the analysis tables found beside it ([`super::analyses::load`]).
pub fn exports_with(
    report: &Report,
    analyses: Analyses,
) -> Result<Vec<Box<dyn Export>>, ChartError> {
    let (rendered, html) = if report.simulation.importance.is_some() {
        // A weighted run's page and charts show only weighted figures.
        super::importance::page(report)?
    } else {
        let mut data = ChartData::from_report(report);
        data.analyses = analyses;
        let rendered = charts::render_all(&data)?;
        let page = Page {
            report,
            data: &data,
            charts: &rendered,
        };
        // A book is reported as one book, not as alternative designs.
        let shown = match report.model.book {
            Some(_) => super::book_section::sections(),
            None => sections::standard(),
        };
        let html = html::render(&page, &shown);
        (rendered, html)
    };
    let mut out: Vec<Box<dyn Export>> = Vec::with_capacity(2 * rendered.len() + 1);
    for c in rendered {
        out.push(Box::new(Ready {
            name: c.png_file,
            bytes: c.png,
        }));
        out.push(Box::new(Ready {
            name: c.svg_file,
            bytes: c.svg.into_bytes(),
        }));
    }
    out.push(Box::new(Ready {
        name: "report.html",
        bytes: html.into_bytes(),
    }));
    Ok(out)
}
