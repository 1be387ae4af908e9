//! Chart 5, the cost of resilience: each architecture with a cost and a loss
//! model as a point at (cost per year, expected loss per period), with a
//! whisker up to its TVaR 99% (mean loss of the worst 1% of periods); the
//! efficient designs (no other design both costs less and loses less on
//! average) are filled, the dominated ones hollow.

use super::style::{
    self, decades, money_log_label, money_short, text, GREY, INK, SMALL_SIZE, TEXT_SIZE,
};
use super::{chart_files, on_both_backends, Chart, ChartData, ChartError};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

pub struct CostOfResilience;

const TITLE: &str = "Cost of resilience: what each design costs and loses";

impl Chart for CostOfResilience {
    chart_files!("cost-of-resilience");

    fn title(&self) -> &'static str {
        TITLE
    }

    fn how_to_read(&self, data: &ChartData) -> String {
        format!(
            "Each architecture that has both a cost and a loss model is a point: what it costs \
             per year (horizontal) and what it is expected to lose per {p} through outages \
             (vertical, log scale). The whisker above each point reaches its TVaR 99%, the \
             average loss of the worst 1% of {p}s: the tail that expected loss hides. Filled \
             points are efficient: no other design is both cheaper and loses less on average. \
             A hollow point is dominated: some filled point to its left is at least as good on \
             both counts. Moving right buys resilience; it is worth it while the point drops by \
             more than it moves right.",
            p = data.period()
        ) + &data.grouping_note(true)
    }

    on_both_backends!(draw);
}

/// A design on the chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    pub index: usize,
    pub id: String,
    pub cost: f64,
    pub expected_loss: f64,
    pub tvar99: f64,
}

/// The architectures with both a cost and a loss model.
pub fn points(data: &ChartData) -> Vec<Point> {
    data.architectures
        .iter()
        .enumerate()
        .filter_map(|(i, a)| {
            let l = a.loss.as_ref()?;
            Some(Point {
                index: i,
                id: a.id.clone(),
                cost: a.cost_per_year?,
                expected_loss: l.mean,
                tvar99: l.tvar99,
            })
        })
        .collect()
}

/// Whether no other point is at least as good on both cost and expected
/// loss and strictly better on one.
pub fn efficient(points: &[Point], i: usize) -> bool {
    let p = &points[i];
    !points.iter().any(|q| {
        q.cost <= p.cost
            && q.expected_loss <= p.expected_loss
            && (q.cost < p.cost || q.expected_loss < p.expected_loss)
    })
}

fn draw<DB: DrawingBackend>(
    data: &ChartData,
    root: &DrawingArea<DB, Shift>,
) -> Result<(), ChartError> {
    let area = style::title_block(root, TITLE, &data.subtitle())?;
    let pts = points(data);
    if pts.is_empty() {
        return style::nothing_to_show(
            &area,
            "No architecture has both cost_per_year and a loss model.",
        );
    }
    let positive: Vec<f64> = pts
        .iter()
        .flat_map(|p| [p.expected_loss, p.tvar99])
        .filter(|v| *v > 0.0)
        .collect();
    let (ylo, yhi) = if positive.is_empty() {
        (1.0, 10.0)
    } else {
        decades(
            positive.iter().copied().fold(f64::INFINITY, f64::min),
            positive.iter().copied().fold(0.0, f64::max),
        )
    };
    let max_cost = pts.iter().map(|p| p.cost).fold(0.0, f64::max);
    let xhi = if max_cost > 0.0 { max_cost * 1.25 } else { 1.0 };
    let (plot, legend) = area.split_vertically(area.dim_in_pixel().1 - 40);
    let mut chart = ChartBuilder::on(&plot)
        .margin_left(12)
        .margin_right(30)
        .margin_top(10)
        .x_label_area_size(52)
        .y_label_area_size(78)
        .build_cartesian_2d(0.0..xhi, (ylo..yhi).log_scale())?;
    let money = |v: &f64| money_short(*v);
    chart
        .configure_mesh()
        .x_labels(8)
        .y_labels(30)
        .x_label_formatter(&money)
        .y_label_formatter(&money_log_label)
        .light_line_style(WHITE)
        .label_style(text(SMALL_SIZE))
        .axis_desc_style(text(TEXT_SIZE))
        .x_desc("cost per year")
        .y_desc(format!("loss per {} (log scale)", data.period()))
        .draw()?;
    for (k, p) in pts.iter().enumerate() {
        let c = data.color_of(p.index);
        let el = p.expected_loss.max(ylo);
        if !data.shown.contains(&p.index) {
            // Beyond the shown designs: a small grey dot, no label.
            chart.draw_series(std::iter::once(Circle::new((p.cost, el), 4, c.filled())))?;
            continue;
        }
        if p.tvar99 > el {
            let cap = xhi * 0.008;
            chart.draw_series([
                PathElement::new(vec![(p.cost, el), (p.cost, p.tvar99)], c.stroke_width(2)),
                PathElement::new(
                    vec![(p.cost - cap, p.tvar99), (p.cost + cap, p.tvar99)],
                    c.stroke_width(2),
                ),
            ])?;
        }
        let marker = if efficient(&pts, k) {
            Circle::new((p.cost, el), 8, c.filled())
        } else {
            Circle::new((p.cost, el), 8, c.stroke_width(3))
        };
        chart.draw_series(std::iter::once(marker))?;
        let label = if p.expected_loss > 0.0 {
            format!(
                "{}: {} + {}",
                p.id,
                money_short(p.cost),
                money_short(p.expected_loss)
            )
        } else {
            format!("{}: no loss", p.id)
        };
        chart.draw_series(std::iter::once(
            EmptyElement::at((p.cost, el))
                + Text::new(
                    label,
                    (12, 4),
                    text(SMALL_SIZE)
                        .color(&c)
                        .pos(Pos::new(HPos::Left, VPos::Top)),
                ),
        ))?;
    }
    let ly = 18;
    let mut x = 90;
    let item = |x: &mut i32, label: &str| -> Result<(), ChartError> {
        legend.draw_text(
            label,
            &text(SMALL_SIZE).pos(Pos::new(HPos::Left, VPos::Center)),
            (*x + 18, ly),
        )?;
        *x += 18 + style::text_width(label, SMALL_SIZE) as i32 + 26;
        Ok(())
    };
    legend.draw(&Circle::new((x + 6, ly), 6, INK.filled()))?;
    item(&mut x, "efficient")?;
    legend.draw(&Circle::new((x + 6, ly), 6, INK.stroke_width(2)))?;
    item(&mut x, "dominated")?;
    legend.draw(&PathElement::new(
        vec![(x + 6, ly - 8), (x + 6, ly + 8)],
        GREY.stroke_width(2),
    ))?;
    item(&mut x, "up to TVaR 99% (mean of the worst 1%)")?;
    item(&mut x, "label: cost + expected loss")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(cost: f64, el: f64) -> Point {
        Point {
            index: 0,
            id: String::new(),
            cost,
            expected_loss: el,
            tvar99: el,
        }
    }

    #[test]
    fn efficiency_is_pareto_dominance() {
        let pts = vec![p(10.0, 100.0), p(20.0, 50.0), p(30.0, 60.0), p(20.0, 50.0)];
        assert!(efficient(&pts, 0));
        assert!(efficient(&pts, 1));
        assert!(!efficient(&pts, 2)); // (20, 50) is cheaper and loses less
        assert!(efficient(&pts, 3)); // a tie dominates nothing
    }
}
