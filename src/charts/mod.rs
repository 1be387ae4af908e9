//! Charts (plotters): one module per chart, each drawing from the plain
//! [`ChartData`], never from the engine, in PNG and SVG. The list in [`all`]
//! is what `fateshare run` and `fateshare report` write into `<out>/charts/`
//! and what `report.html` shows, in that order (each in its section: the
//! charts section, or the insurance section for the total cost of risk); a
//! new chart is one more module and one more line there.

pub mod cost_of_resilience;
pub mod curves;
pub mod data;
pub mod dependency_graph;
pub mod downtime_exceedance;
pub mod downtime_gap;
pub mod loss_exceedance;
pub mod outage_survival;
pub mod raster;
pub mod style;
pub mod tornado;
pub mod total_cost_of_risk;
pub mod wheatsheaf;

pub use data::ChartData;

use plotters::coord::Shift;
use plotters::drawing::DrawingAreaErrorKind;
use plotters::prelude::*;
use rayon::prelude::*;

/// A chart could not be drawn or encoded.
#[derive(Debug, thiserror::Error)]
#[error("drawing a chart: {0}")]
pub struct ChartError(pub String);

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for ChartError {
    fn from(e: DrawingAreaErrorKind<E>) -> Self {
        ChartError(e.to_string())
    }
}

pub type SvgArea<'a> = DrawingArea<SVGBackend<'a>, Shift>;
pub type PngArea<'a> = DrawingArea<raster::Raster<'a>, Shift>;

/// One chart: its files, its words, and how to draw it on either backend.
pub trait Chart: Sync {
    /// File stem, e.g. `downtime-gap`.
    fn name(&self) -> &'static str;
    /// `charts/<name>.png` and `charts/<name>.svg`.
    fn files(&self) -> [&'static str; 2];
    fn title(&self) -> &'static str;
    /// How to read it, for the report's caption (plain text).
    fn how_to_read(&self, data: &ChartData) -> String;
    /// Canvas size in pixels.
    fn size(&self, _data: &ChartData) -> (u32, u32) {
        (1100, 620)
    }
    /// Whether the run has this chart at all. Most charts are always drawn
    /// (with a note in place of the plot when there is no data); one that
    /// only exists with some input (insurance) says so here and is then
    /// neither written nor shown.
    fn applies(&self, _data: &ChartData) -> bool {
        true
    }
    /// The `id` of the `report.html` section that shows the chart.
    fn section(&self) -> &'static str {
        "charts"
    }
    fn draw_svg(&self, data: &ChartData, area: &SvgArea) -> Result<(), ChartError>;
    fn draw_png(&self, data: &ChartData, area: &PngArea) -> Result<(), ChartError>;
}

/// Implements the two `draw_*` methods of [`Chart`] with one generic function
/// `fn draw<DB: DrawingBackend>(&ChartData, &DrawingArea<DB, Shift>)`.
macro_rules! on_both_backends {
    ($draw:path) => {
        fn draw_svg(
            &self,
            data: &$crate::charts::ChartData,
            area: &$crate::charts::SvgArea,
        ) -> Result<(), $crate::charts::ChartError> {
            $draw(data, area)
        }
        fn draw_png(
            &self,
            data: &$crate::charts::ChartData,
            area: &$crate::charts::PngArea,
        ) -> Result<(), $crate::charts::ChartError> {
            $draw(data, area)
        }
    };
}
pub(crate) use on_both_backends;

/// `charts/<stem>.png` and `charts/<stem>.svg` as static strings.
macro_rules! chart_files {
    ($stem:literal) => {
        fn name(&self) -> &'static str {
            $stem
        }
        fn files(&self) -> [&'static str; 2] {
            [
                concat!("charts/", $stem, ".png"),
                concat!("charts/", $stem, ".svg"),
            ]
        }
    };
}
pub(crate) use chart_files;

/// Every chart, in report order (the tornado only where the folder has
/// `tornado.csv`).
pub fn all() -> Vec<Box<dyn Chart>> {
    vec![
        Box::new(downtime_gap::DowntimeGap),
        Box::new(downtime_exceedance::DowntimeExceedance),
        Box::new(outage_survival::OutageSurvival),
        Box::new(loss_exceedance::LossExceedance),
        Box::new(cost_of_resilience::CostOfResilience),
        Box::new(total_cost_of_risk::TotalCostOfRisk),
        Box::new(dependency_graph::DependencyGraph),
        Box::new(tornado::Tornado),
    ]
}

/// A chart drawn on both backends.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub name: &'static str,
    pub title: &'static str,
    /// The `report.html` section that shows it.
    pub section: &'static str,
    pub how_to_read: String,
    pub png_file: &'static str,
    pub svg_file: &'static str,
    pub width: u32,
    pub height: u32,
    pub svg: String,
    pub png: Vec<u8>,
}

/// Draws one chart as SVG text and PNG bytes.
pub fn render(chart: &dyn Chart, data: &ChartData) -> Result<Rendered, ChartError> {
    style::register_fonts();
    let (w, h) = chart.size(data);
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
        chart.draw_svg(data, &area)?;
        area.present()?;
    }
    let mut rgb = vec![0u8; w as usize * h as usize * 3];
    {
        let area = raster::Raster(BitMapBackend::with_buffer(&mut rgb, (w, h))).into_drawing_area();
        chart.draw_png(data, &area)?;
        area.present()?;
    }
    let [png_file, svg_file] = chart.files();
    Ok(Rendered {
        name: chart.name(),
        title: chart.title(),
        section: chart.section(),
        how_to_read: chart.how_to_read(data),
        png_file,
        svg_file,
        width: w,
        height: h,
        svg: crate::text::xml_safe(svg),
        png: encode_png(&rgb, w, h)?,
    })
}

/// The charts of an importance-sampled run: those drawn from weighted
/// figures (the summary's, and the weighted down-time exceedance) or from the
/// scenario alone; the others read per-trial values or outage counts unweighted.
pub fn weighted() -> Vec<Box<dyn Chart>> {
    vec![
        Box::new(downtime_gap::DowntimeGap),
        Box::new(downtime_exceedance::DowntimeExceedance),
        Box::new(dependency_graph::DependencyGraph),
    ]
}

/// Draws every chart of [`all`] that applies to the run, in parallel,
/// returned in order.
pub fn render_all(data: &ChartData) -> Result<Vec<Rendered>, ChartError> {
    render_these(all(), data)
}

/// Draws the charts of `charts` that apply to the run, in parallel, returned in order.
pub fn render_these(
    charts: Vec<Box<dyn Chart>>,
    data: &ChartData,
) -> Result<Vec<Rendered>, ChartError> {
    charts
        .into_iter()
        .filter(|c| c.applies(data))
        .collect::<Vec<_>>()
        .par_iter()
        .filter(|c| c.applies(data))
        .map(|c| render(c.as_ref(), data))
        .collect::<Vec<_>>()
        .into_iter()
        .collect()
}

/// RGB pixels to PNG bytes.
fn encode_png(rgb: &[u8], w: u32, h: u32) -> Result<Vec<u8>, ChartError> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        // fdeflate: several times faster than the default level on charts
        // (flat colours), for files a few percent larger.
        enc.set_compression(png::Compression::Fast);
        let mut writer = enc.write_header().map_err(|e| ChartError(e.to_string()))?;
        writer
            .write_image_data(rgb)
            .map_err(|e| ChartError(e.to_string()))?;
    }
    Ok(out)
}
