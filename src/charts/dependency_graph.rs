//! Chart 6: the dependency graph, laid out left to right by depth (causes,
//! then components by how deep their needs go, then architectures), from
//! [`crate::graph::Graph`]. Causes that reach two or more branches of one
//! redundancy are drawn in red with red dashed hit edges, so it is plain
//! which "redundant" branches share a fate. Single points of failure (risk
//! groups of one) are marked per design: filled dark red where the node
//! takes every design down, a thick orange border and a "single point of …"
//! note where it takes some down.

use super::style::{self, bold, text, ALERT, GREY, INK, SMALL_SIZE};
use super::{chart_files, on_both_backends, Chart, ChartData, ChartError};
use crate::fmtnum::sig;
use crate::graph::{EdgeKind, Graph, NodeKind};
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

pub struct DependencyGraph;

const TITLE: &str = "What depends on what: causes, components, architectures";

const ID_SIZE: f64 = 14.0;
const DETAIL_SIZE: f64 = 11.0;
const NODE_H: i32 = 40;
const PITCH: i32 = 54;
const GAP: i32 = 120;
const MARGIN: i32 = 20;
const HEADER: i32 = 30;
const LEGEND: i32 = 84;
/// Border of a node that is a single point of failure of some designs.
pub const SPOF: RGBColor = RGBColor(230, 159, 0);
/// Text of the "single point of …" note (a darker orange, legible on white).
const SPOF_TEXT: RGBColor = RGBColor(166, 98, 0);
/// Fill of a node that takes every design down.
pub const EVERY: RGBColor = ALERT;
/// Most nodes (causes, components, architectures) the chart draws.
pub const MAX_NODES: usize = 500;

impl Chart for DependencyGraph {
    chart_files!("dependency-graph");

    fn title(&self) -> &'static str {
        TITLE
    }

    fn how_to_read(&self, _data: &ChartData) -> String {
        "Read left to right. Shared causes are on the left, then components by depth (those that \
         need nothing first, then those that need them), then the architectures on the right, \
         each joined to the component it serves. Grey lines are needs, with how they combine \
         (\"all of 3\", \"2 of 3\", \"failover\") under the component's name, next to its own \
         outage rate and mean length. Dashed lines are a cause's hits, labelled with the \
         probability per event when it is below 1. A cause drawn in red reaches two or more \
         branches of the same redundancy: those branches are not independent, and the \
         arithmetic that assumes they are overstates what the redundancy buys. A node filled \
         dark red takes every design down on its own (its outages, or the cause's events, are a \
         single point of failure of each); a thick orange border marks a single point of \
         failure of the designs named above it. The picture keeps its natural size in the \
         report (scroll sideways when it is wider than the page) so the labels stay legible."
            .into()
    }

    /// Drawn up to [`MAX_NODES`] nodes: a taller picture is unreadable (and
    /// its pixels grow with the nodes); `fateshare graph` prints any size.
    fn applies(&self, data: &ChartData) -> bool {
        data.graph.nodes.len() <= MAX_NODES
    }

    fn size(&self, data: &ChartData) -> (u32, u32) {
        let l = Layout::of(&data.graph);
        (l.width as u32, l.height as u32)
    }

    on_both_backends!(draw);
}

/// Pixel geometry of the graph.
struct Layout {
    col_x: Vec<i32>,
    col_w: Vec<i32>,
    /// Centre y of each node.
    node_y: Vec<i32>,
    width: i32,
    height: i32,
    top: i32,
}

impl Layout {
    fn of(g: &Graph) -> Layout {
        let mut col_w = vec![90i32; g.columns];
        let mut rows = vec![0usize; g.columns];
        for n in &g.nodes {
            let w = (style::text_width(&n.id, ID_SIZE))
                .max(style::text_width(&n.detail, DETAIL_SIZE)) as i32
                + 20;
            col_w[n.column] = col_w[n.column].max(w);
            rows[n.column] += 1;
        }
        let mut col_x = Vec::with_capacity(g.columns);
        let mut x = MARGIN;
        for w in &col_w {
            col_x.push(x);
            x += w + GAP;
        }
        let width = (x - GAP + MARGIN).max(1100);
        let max_rows = rows.iter().copied().max().unwrap_or(1).max(1) as i32;
        let top = style::TITLE_HEIGHT as i32 + HEADER;
        let mid = top + max_rows * PITCH / 2;
        let node_y = g
            .nodes
            .iter()
            .map(|n| {
                let len = rows[n.column] as f64;
                mid + ((n.row as f64 - (len - 1.0) / 2.0) * PITCH as f64).round() as i32
            })
            .collect();
        Layout {
            col_x,
            col_w,
            node_y,
            width,
            height: top + max_rows * PITCH + LEGEND + 10,
            top,
        }
    }
}

/// Points of a horizontal-tangent cubic Bézier from `a` to `b`.
fn curve(a: (i32, i32), b: (i32, i32)) -> Vec<(i32, i32)> {
    let dx = f64::from(b.0 - a.0) * 0.5;
    let p = [
        (f64::from(a.0), f64::from(a.1)),
        (f64::from(a.0) + dx, f64::from(a.1)),
        (f64::from(b.0) - dx, f64::from(b.1)),
        (f64::from(b.0), f64::from(b.1)),
    ];
    (0..=32)
        .map(|i| {
            let t = f64::from(i) / 32.0;
            let u = 1.0 - t;
            let w = [u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t];
            let x = (0..4).map(|k| w[k] * p[k].0).sum::<f64>();
            let y = (0..4).map(|k| w[k] * p[k].1).sum::<f64>();
            (x.round() as i32, y.round() as i32)
        })
        .collect()
}

fn draw<DB: DrawingBackend>(
    data: &ChartData,
    root: &DrawingArea<DB, Shift>,
) -> Result<(), ChartError> {
    style::title_block(root, TITLE, &data.subtitle())?;
    let g = &data.graph;
    let l = Layout::of(g);
    let has_causes = g.nodes.iter().any(|n| n.kind == NodeKind::Cause);
    // Column headers.
    for c in 0..g.columns {
        let label = if has_causes && c == 0 {
            "shared causes".to_string()
        } else if c + 1 == g.columns {
            "architectures".to_string()
        } else {
            let depth = c - usize::from(has_causes);
            if depth == 0 {
                "components (need nothing)".to_string()
            } else {
                format!("components, depth {depth}")
            }
        };
        root.draw_text(
            &label,
            &bold(SMALL_SIZE)
                .color(&GREY)
                .pos(Pos::new(HPos::Center, VPos::Top)),
            (l.col_x[c] + l.col_w[c] / 2, l.top - HEADER + 4),
        )?;
    }
    let right = |n: usize| {
        (
            l.col_x[g.nodes[n].column] + l.col_w[g.nodes[n].column],
            l.node_y[n],
        )
    };
    let left = |n: usize| (l.col_x[g.nodes[n].column], l.node_y[n]);
    // Edges first: needs, then serves, then hits on top.
    for e in &g.edges {
        let pts = curve(right(e.from), left(e.to));
        match e.kind {
            EdgeKind::Needs => root.draw(&PathElement::new(pts, GREY.mix(0.8).stroke_width(2)))?,
            EdgeKind::Serves => root.draw(&PathElement::new(pts, INK.stroke_width(3)))?,
            EdgeKind::Hits { .. } => {}
        }
    }
    for e in &g.edges {
        if let EdgeKind::Hits { probability } = e.kind {
            let shared = g.nodes[e.from].shared;
            let (color, width) = if shared { (ALERT, 2) } else { (GREY, 2) };
            let pts = curve(right(e.from), left(e.to));
            let label_at = pts[pts.len() * 4 / 5];
            root.draw(&DashedPathElement::new(
                pts,
                7,
                5,
                color.stroke_width(width),
            ))?;
            if probability < 1.0 {
                root.draw_text(
                    &sig(probability, 2),
                    &text(DETAIL_SIZE)
                        .color(&color)
                        .pos(Pos::new(HPos::Center, VPos::Bottom)),
                    (label_at.0, label_at.1 - 2),
                )?;
            }
        }
    }
    // Nodes.
    for (i, n) in g.nodes.iter().enumerate() {
        let (x, y) = (l.col_x[n.column], l.node_y[i]);
        let w = l.col_w[n.column];
        let (fill, border, border_w) = match n.kind {
            NodeKind::Cause if n.shared => (RGBColor(253, 226, 225), ALERT, 2),
            NodeKind::Cause => (RGBColor(238, 238, 238), GREY, 1),
            NodeKind::Component if n.shared => (WHITE, ALERT, 2),
            NodeKind::Component => (WHITE, GREY, 1),
            NodeKind::Architecture => (RGBColor(221, 232, 245), INK, 2),
        };
        let of = &data.single_point_of[i];
        let every = !of.is_empty() && of.len() == data.architectures.len();
        let (fill, border, border_w) = if every {
            (EVERY, INK, 3)
        } else if !of.is_empty() {
            (fill, SPOF, 4)
        } else {
            (fill, border, border_w)
        };
        let rect = [(x, y - NODE_H / 2), (x + w, y + NODE_H / 2)];
        root.draw(&Rectangle::new(rect, fill.filled()))?;
        root.draw(&Rectangle::new(rect, border.stroke_width(border_w)))?;
        if !of.is_empty() {
            let names: Vec<&str> = of
                .iter()
                .map(|&a| data.architectures[a].id.as_str())
                .collect();
            let note = if every {
                "takes every design down".to_string()
            } else if names.len() <= 2 {
                format!("single point of {}", names.join(", "))
            } else {
                format!("single point of {} designs", names.len())
            };
            root.draw_text(
                &note,
                &bold(DETAIL_SIZE)
                    .color(if every { &EVERY } else { &SPOF_TEXT })
                    .pos(Pos::new(HPos::Left, VPos::Bottom)),
                (x, y - NODE_H / 2 - 2),
            )?;
        }
        let ink = if every { WHITE } else { INK };
        let id_style = if n.kind == NodeKind::Architecture {
            bold(ID_SIZE)
        } else {
            text(ID_SIZE).color(&ink)
        };
        if n.detail.is_empty() {
            root.draw_text(
                &n.id,
                &id_style.pos(Pos::new(HPos::Center, VPos::Center)),
                (x + w / 2, y),
            )?;
        } else {
            root.draw_text(
                &n.id,
                &id_style.pos(Pos::new(HPos::Center, VPos::Bottom)),
                (x + w / 2, y + 1),
            )?;
            root.draw_text(
                &n.detail,
                &text(DETAIL_SIZE)
                    .color(if every { &WHITE } else { &GREY })
                    .pos(Pos::new(HPos::Center, VPos::Top)),
                (x + w / 2, y + 3),
            )?;
        }
    }
    // Legend, two rows.
    let row1 = l.height - LEGEND + 22;
    let row2 = row1 + 28;
    let item = |x: &mut i32, ly: i32, label: &str| -> Result<(), ChartError> {
        root.draw_text(
            label,
            &text(SMALL_SIZE).pos(Pos::new(HPos::Left, VPos::Center)),
            (*x + 38, ly),
        )?;
        *x += 38 + style::text_width(label, SMALL_SIZE) as i32 + 24;
        Ok(())
    };
    let mut x = MARGIN;
    let ly = row1;
    root.draw(&PathElement::new(
        vec![(x, ly), (x + 30, ly)],
        GREY.stroke_width(2),
    ))?;
    item(&mut x, ly, "needs")?;
    root.draw(&DashedPathElement::new(
        vec![(x, ly), (x + 30, ly)],
        7,
        5,
        GREY.stroke_width(2),
    ))?;
    item(&mut x, ly, "hit by a cause (probability if < 1)")?;
    root.draw(&DashedPathElement::new(
        vec![(x, ly), (x + 30, ly)],
        7,
        5,
        ALERT.stroke_width(2),
    ))?;
    item(
        &mut x,
        ly,
        "shared fate: reaches several branches of one redundancy",
    )?;
    root.draw(&PathElement::new(
        vec![(x, ly), (x + 30, ly)],
        INK.stroke_width(3),
    ))?;
    item(&mut x, ly, "serves")?;
    let mut x = MARGIN;
    let ly = row2;
    let swatch = |x: i32| [(x + 2, ly - 8), (x + 28, ly + 8)];
    root.draw(&Rectangle::new(swatch(x), EVERY.filled()))?;
    root.draw(&Rectangle::new(swatch(x), INK.stroke_width(2)))?;
    item(&mut x, ly, "takes every design down on its own")?;
    root.draw(&Rectangle::new(swatch(x), WHITE.filled()))?;
    root.draw(&Rectangle::new(swatch(x), SPOF.stroke_width(4)))?;
    item(
        &mut x,
        ly,
        "single point of failure of the designs named above it",
    )?;
    Ok(())
}
