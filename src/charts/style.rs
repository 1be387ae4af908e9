//! What the charts share: the embedded font (DejaVu Sans, registered once so
//! that PNGs render without system fonts), the colour of each architecture,
//! text sizes, the title block, log-axis helpers and the "nothing to show"
//! panel.

use super::ChartError;
use crate::fmtnum::sig;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::sync::Once;

/// The font family every chart uses; registered from the `dejavu` crate.
pub const FONT: &str = "sans-serif";

/// Registers DejaVu Sans (regular and bold) for [`FONT`]; idempotent.
pub fn register_fonts() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        plotters::style::register_font(FONT, FontStyle::Normal, dejavu::sans::regular())
            .map_err(|_| ())
            .expect("DejaVu Sans regular is a valid font");
        plotters::style::register_font(FONT, FontStyle::Bold, dejavu::sans::bold())
            .map_err(|_| ())
            .expect("DejaVu Sans bold is a valid font");
    });
}

/// Distinct colours, in order: the colour-blind-safe Okabe–Ito set (yellow
/// replaced by brown), then Paul Tol's muted set for what follows (up to
/// eight architectures and eight policies or portfolios on one chart).
pub const PALETTE: [RGBColor; 16] = [
    RGBColor(0, 114, 178),   // blue
    RGBColor(213, 94, 0),    // vermillion
    RGBColor(0, 158, 115),   // bluish green
    RGBColor(204, 121, 167), // reddish purple
    RGBColor(230, 159, 0),   // orange
    RGBColor(86, 180, 233),  // sky blue
    RGBColor(140, 86, 75),   // brown
    RGBColor(0, 0, 0),       // black
    RGBColor(51, 34, 136),   // indigo
    RGBColor(68, 170, 153),  // teal
    RGBColor(153, 153, 51),  // olive
    RGBColor(136, 34, 85),   // wine
    RGBColor(221, 204, 119), // sand
    RGBColor(170, 68, 153),  // purple
    RGBColor(17, 119, 51),   // green
    RGBColor(204, 102, 119), // rose
];

/// The `i`-th colour: [`PALETTE`], then hues a golden angle apart at two
/// lightnesses, so that every index up to a few hundred has its own colour.
pub fn color(i: usize) -> RGBColor {
    if let Some(&c) = PALETTE.get(i) {
        return c;
    }
    let k = i - PALETTE.len();
    let hue = (k as f64 * 137.507_764) % 360.0;
    let light = if k.is_multiple_of(2) { 0.38 } else { 0.55 };
    hsl(hue, 0.65, light)
}

/// HSL (hue in degrees, saturation and lightness in 0..1) to RGB.
fn hsl(h: f64, s: f64, l: f64) -> RGBColor {
    let c = (1.0 - (2.0 * l - 1.0).abs()) * s;
    let x = c * (1.0 - ((h / 60.0) % 2.0 - 1.0).abs());
    let m = l - c / 2.0;
    let (r, g, b) = match (h / 60.0) as u32 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let q = |v: f64| ((v + m) * 255.0).round().clamp(0.0, 255.0) as u8;
    RGBColor(q(r), q(g), q(b))
}

/// One line of a [`legend_panel`].
pub struct LegendEntry {
    pub label: String,
    pub color: RGBColor,
    pub width: u32,
    /// (dash, gap) for a dashed line; `None` for solid.
    pub dash: Option<(u32, u32)>,
}

/// Width of the strip a [`legend_panel`] of these labels needs beside the
/// plot (so that a legend never covers the plot's data or labels): room for
/// the longest label, between 160 and 420 pixels.
pub fn legend_width(labels: impl Iterator<Item = String>) -> u32 {
    let longest = labels
        .map(|l| text_width(&crate::text::for_chart(&l), SMALL_SIZE))
        .max()
        .unwrap_or(0);
    (longest + 60).clamp(160, 420)
}

/// Draws the entries top down in `area` (a strip beside the plot), each
/// label cut to fit with "…".
pub fn legend_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[LegendEntry],
) -> Result<(), ChartError> {
    let (w, _) = area.dim_in_pixel();
    let room = w.saturating_sub(52);
    let style = text(SMALL_SIZE).pos(Pos::new(HPos::Left, VPos::Center));
    for (k, e) in entries.iter().enumerate() {
        let y = 24 + 22 * k as i32;
        let line = vec![(8, y), (38, y)];
        let stroke = e.color.stroke_width(e.width);
        match e.dash {
            None => area.draw(&PathElement::new(line, stroke))?,
            Some((len, gap)) => area.draw(&plotters::element::DashedPathElement::new(
                line, len, gap, stroke,
            ))?,
        }
        let mut label = crate::text::for_chart(&e.label);
        if text_width(&label, SMALL_SIZE) > room {
            let keep = (room as f64 / (SMALL_SIZE * 0.6)) as usize;
            label = label
                .chars()
                .take(keep.saturating_sub(1))
                .collect::<String>()
                + "…";
        }
        area.draw_text(&label, &style, (46, y))?;
    }
    Ok(())
}

/// The architectures not drawn one by one (beyond [`super::data::MAX_SHOWN`]): one light grey group.
pub const OTHERS: RGBColor = RGBColor(190, 190, 190);

pub const GREY: RGBColor = RGBColor(120, 120, 120);
pub const LIGHT: RGBColor = RGBColor(225, 225, 225);
pub const ALERT: RGBColor = RGBColor(192, 57, 43);
pub const INK: RGBColor = RGBColor(30, 30, 30);

pub const TITLE_SIZE: f64 = 22.0;
pub const TEXT_SIZE: f64 = 15.0;
pub const SMALL_SIZE: f64 = 13.0;

pub fn text(size: f64) -> TextStyle<'static> {
    (FONT, size).into_font().color(&INK)
}

pub fn bold(size: f64) -> TextStyle<'static> {
    (FONT, size, FontStyle::Bold).into_font().color(&INK)
}

/// Height of the title block drawn by [`title_block`].
pub const TITLE_HEIGHT: u32 = 62;

/// Fills the canvas white, draws the title and the subtitle, and returns
/// the area below them.
pub fn title_block<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    subtitle: &str,
) -> Result<DrawingArea<DB, Shift>, ChartError> {
    root.fill(&WHITE)?;
    let (title, subtitle) = (
        crate::text::for_chart(title),
        crate::text::for_chart(subtitle),
    );
    root.draw_text(&title, &bold(TITLE_SIZE), (16, 10))?;
    root.draw_text(&subtitle, &text(SMALL_SIZE).color(&GREY), (16, 38))?;
    let (_, below) = root.split_vertically(TITLE_HEIGHT);
    Ok(below)
}

/// Draws a centred message in place of a chart that has nothing to show.
pub fn nothing_to_show<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    message: &str,
) -> Result<(), ChartError> {
    let (w, h) = area.dim_in_pixel();
    let style = text(TEXT_SIZE)
        .color(&GREY)
        .pos(Pos::new(HPos::Center, VPos::Center));
    area.draw_text(message, &style, (w as i32 / 2, h as i32 / 2))?;
    Ok(())
}

/// The power of ten at or below `x` (> 0).
pub fn decade_floor(x: f64) -> f64 {
    10f64.powf(x.log10().floor())
}

/// The power of ten at or above `x` (> 0).
pub fn decade_ceil(x: f64) -> f64 {
    10f64.powf(x.log10().ceil())
}

/// Log-axis range covering `lo..hi` (both > 0) in whole decades, at least one.
pub fn decades(lo: f64, hi: f64) -> (f64, f64) {
    let (a, mut b) = (decade_floor(lo), decade_ceil(hi));
    if b <= a {
        b = a * 10.0;
    }
    (a, b)
}

/// Tick label for a log axis: powers of ten only (`0.01`, `1`, `1000`,
/// `1e-5`), the minor ticks unlabelled.
pub fn log_label(v: &f64) -> String {
    let e = v.log10();
    if (e - e.round()).abs() < 1e-9 {
        sig(*v, 1)
    } else {
        String::new()
    }
}

/// Tick label for a log axis of money: powers of ten with k/M/G suffixes.
pub fn money_log_label(v: &f64) -> String {
    let e = v.log10();
    if (e - e.round()).abs() >= 1e-9 {
        return String::new();
    }
    money_short(*v)
}

/// `950`, `12k`, `3.5M`, `2G`.
pub fn money_short(v: f64) -> String {
    let a = v.abs();
    if a >= 1e9 {
        format!("{}G", sig(v / 1e9, 3))
    } else if a >= 1e6 {
        format!("{}M", sig(v / 1e6, 3))
    } else if a >= 1e3 {
        format!("{}k", sig(v / 1e3, 3))
    } else {
        sig(v, 3)
    }
}

/// Approximate pixel width of `s` in [`FONT`] at `size` (for layout before drawing).
pub fn text_width(s: &str, size: f64) -> u32 {
    (s.chars().count() as f64 * size * 0.6).ceil() as u32
}

/// The frame of a loss exceedance chart: the loss in one `period` against
/// its return period, both on log scales (the loss and wheatsheaf charts).
pub fn loss_frame<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    xhi: f64,
    y: std::ops::Range<f64>,
    period: &str,
) -> Result<LogLogChart<'a, DB>, ChartError> {
    log_log_frame(
        area,
        1.0..xhi,
        y,
        (24, 16),
        &money_log_label,
        &format!("return period, {period}s (log scale)"),
        &format!("loss in one {period} (log scale)"),
    )
}

/// The frame every log–log chart shares: margins, label areas, the mesh
/// with white minor lines and the axis descriptions. `margins` is (top,
/// right) in pixels; `y_label` formats the vertical axis's numbers.
#[allow(clippy::too_many_arguments)]
pub fn log_log_frame<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    x: std::ops::Range<f64>,
    y: std::ops::Range<f64>,
    margins: (u32, u32),
    y_label: &dyn Fn(&f64) -> String,
    x_desc: &str,
    y_desc: &str,
) -> Result<LogLogChart<'a, DB>, ChartError> {
    let mut chart = ChartBuilder::on(area)
        .margin_left(12)
        .margin_right(margins.1)
        .margin_top(margins.0)
        .x_label_area_size(52)
        .y_label_area_size(78)
        .build_cartesian_2d(x.log_scale(), y.log_scale())?;
    chart
        .configure_mesh()
        .x_labels(30)
        .y_labels(30)
        .x_label_formatter(&log_label)
        .y_label_formatter(y_label)
        .light_line_style(WHITE)
        .label_style(text(SMALL_SIZE))
        .axis_desc_style(text(TEXT_SIZE))
        .x_desc(x_desc)
        .y_desc(y_desc)
        .draw()?;
    Ok(chart)
}

/// A chart on log–log axes, as [`log_log_frame`] builds it.
pub type LogLogChart<'a, DB> = ChartContext<
    'a,
    DB,
    Cartesian2d<
        plotters::coord::combinators::LogCoord<f64>,
        plotters::coord::combinators::LogCoord<f64>,
    >,
>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_are_distinct_far_beyond_the_palette() {
        let all: Vec<RGBColor> = (0..200).map(color).collect();
        for i in 0..all.len() {
            for j in 0..i {
                assert_ne!(all[i], all[j], "colours {j} and {i}");
            }
        }
        assert!(!all.contains(&OTHERS) && !all.contains(&GREY));
    }

    #[test]
    fn decade_helpers() {
        assert_eq!(decades(0.03, 250.0), (0.01, 1000.0));
        assert_eq!(decades(1.0, 1.0), (1.0, 10.0));
        assert_eq!(log_label(&100.0), "100");
        assert_eq!(log_label(&0.001), "0.001");
        assert_eq!(log_label(&30.0), "");
        assert_eq!(log_label(&1e-6), "1e-6");
        assert_eq!(money_log_label(&1e6), "1M");
        assert_eq!(money_short(12_500.0), "12.5k");
    }
}
