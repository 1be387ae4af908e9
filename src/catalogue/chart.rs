//! One chart per catalogue class: the fitted lognormal duration CDF (with
//! the band its median's 90% interval gives) against the class's published
//! durations, on a log hours axis. SVG, drawn into a string.

use super::fit::ClassFit;
use crate::charts::style::{self, color, decades, log_label, text, GREY, SMALL_SIZE, TEXT_SIZE};
use crate::charts::ChartError;
use plotters::prelude::*;

/// The chart of one class as SVG text, or None when the class has no
/// lognormal fit (fewer than two distinct published durations).
pub fn class_svg(fit: &ClassFit) -> Result<Option<String>, ChartError> {
    let Some(ln) = fit.duration else {
        return Ok(None);
    };
    style::register_fonts();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (900, 560)).into_drawing_area();
        let subtitle = format!(
            "{}: {} published durations; lognormal fit median {:.2} h, p95 {:.1} h (maximum likelihood)",
            fit.class.spec.title,
            fit.durations.len(),
            ln.median(),
            ln.p95()
        );
        let area = style::title_block(
            &root,
            &format!("Durations of class {}", fit.class.spec.id),
            &subtitle,
        )?;
        let lo = fit.durations[0].min(ln.median_interval90().0 * 0.5);
        let hi = fit.durations[fit.durations.len() - 1].max(ln.p95_interval90().1);
        let (xlo, xhi) = decades(lo, hi);
        let mut chart = ChartBuilder::on(&area)
            .margin_left(12)
            .margin_right(30)
            .margin_top(10)
            .x_label_area_size(52)
            .y_label_area_size(70)
            .build_cartesian_2d((xlo..xhi).log_scale(), 0.0..1.0)?;
        chart
            .configure_mesh()
            .x_label_formatter(&log_label)
            .light_line_style(WHITE)
            .label_style(text(SMALL_SIZE))
            .axis_desc_style(text(TEXT_SIZE))
            .x_desc("duration, hours (log scale)")
            .y_desc("share of incidents lasting at most this long")
            .draw()?;
        let n = 300;
        let xs: Vec<f64> = (0..=n)
            .map(|i| (xlo.ln() + (xhi.ln() - xlo.ln()) * i as f64 / n as f64).exp())
            .collect();
        let shift = crate::catalogue::special::Z95 * ln.se_mu();
        let shifted = |d: f64| {
            let f = crate::catalogue::fit::LognormalFit {
                mu: ln.mu + d,
                ..ln
            };
            xs.iter().map(move |&x| (x, f.cdf(x))).collect::<Vec<_>>()
        };
        let (upper, lower) = (shifted(-shift), shifted(shift));
        let band: Vec<(f64, f64)> = upper
            .iter()
            .copied()
            .chain(lower.iter().rev().copied())
            .collect();
        chart
            .draw_series(std::iter::once(Polygon::new(band, color(0).mix(0.15))))?
            .label("90% interval of the fitted median")
            .legend(|(x, y)| {
                Rectangle::new([(x, y - 5), (x + 20, y + 5)], color(0).mix(0.15).filled())
            });
        chart
            .draw_series(LineSeries::new(shifted(0.0), color(0).stroke_width(2)))?
            .label("fitted lognormal CDF")
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], color(0).stroke_width(2)));
        let m = fit.durations.len() as f64;
        chart
            .draw_series(
                fit.durations
                    .iter()
                    .enumerate()
                    .map(|(i, &d)| Circle::new((d, (i as f64 + 0.5) / m), 5, color(1).filled())),
            )?
            .label("published durations (plotted at (i − ½)/n)")
            .legend(|(x, y)| Circle::new((x + 10, y), 5, color(1).filled()));
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerRight)
            .background_style(WHITE.mix(0.9))
            .border_style(GREY)
            .label_font(text(SMALL_SIZE))
            .draw()?;
        root.present()?;
    }
    Ok(Some(svg))
}
