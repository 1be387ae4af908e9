//! The sections of `report.html` drawn from the analysis tables in the
//! output folder ([`super::analyses`]): what takes each design down
//! (`importance.csv`, `risk_groups.csv`), the redundancy audit
//! (`independence.csv`), concentration by provider and jurisdiction
//! (`concentration.csv`), sensitivity (`tornado.csv` with its chart,
//! `sweep.csv`) and drills (`drills.csv`). Each applies only when its table
//! was loaded, and each is kept short for paper: the first few
//! architectures and rows, with the full tables in the CSV files.

use super::analyses::{
    Concentration as ConcentrationRow, Importance, Origin, Redundancy, RiskGroup, Table, TornadoBar,
};
use super::html::{escape, inline_svg, Page, Section};
use crate::fmtnum::{hours, money, sig, thousands};
use crate::model::Mode;
use std::fmt::Write;

/// Architectures shown per section (file order); the CSV files have all.
pub const MAX_ARCHS: usize = 8;
/// Architectures shown as columns of a table.
pub const MAX_COLUMNS: usize = 6;
/// Sources per architecture in the importance and tornado tables.
pub const TOP: usize = 5;
/// Redundancies described in words, and rows of the audit table.
const WORST: usize = 3;
const MAX_ROWS: usize = 12;
/// Rows of the sweep table.
const MAX_POINTS: usize = 30;

/// Where the design's down time and loss come from; single points of failure.
pub struct WhatTakesItDown;
/// Redundancies whose branches share outage sources.
pub struct RedundancyAudit;
/// Providers and jurisdictions each design depends on.
pub struct Concentration;
/// The tornado table and chart; the sweep.
pub struct Sensitivity;
/// Forced incidents and what each design did.
pub struct Drills;

/// `12%`, `5.1%`, `0.52%`; `–` when undefined.
fn pct(x: f64) -> String {
    if x.is_finite() {
        format!("{}%", sig(100.0 * x, 2))
    } else {
        "–".into()
    }
}

fn num_cell(s: &str) -> String {
    format!("<td class=\"num\">{s}</td>")
}

fn strong(id: &str) -> String {
    format!("<strong>{}</strong>", escape(id))
}

/// "a, b and c" (already escaped items).
fn words(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {}", init.join(", "), last),
    }
}

/// The first `max` architectures of the scenario (file order) that have
/// rows in a table, and how many more there are.
fn archs_in<'a>(page: &'a Page, has: impl Fn(&str) -> bool, max: usize) -> (Vec<&'a str>, usize) {
    let all: Vec<&str> = page
        .report
        .model
        .architectures
        .iter()
        .map(|a| a.id.as_str())
        .filter(|id| has(id))
        .collect();
    let more = all.len().saturating_sub(max);
    (all.into_iter().take(max).collect(), more)
}

/// "From `a.csv` and `b.csv`, written by `command` (…)."
fn from_line(out: &mut String, origins: &[&Origin], settings: &str) {
    let Some(first) = origins.first() else {
        return;
    };
    let files: Vec<String> = origins
        .iter()
        .map(|o| format!("<code>{}</code>", o.file))
        .collect();
    let _ = writeln!(
        out,
        "<p class=\"files\">From {}, written by <code>{}</code>{settings}.</p>",
        words(&files),
        escape(&first.command)
    );
}

fn trials_seed(o: &Origin) -> String {
    match (o.trials, o.seed) {
        (Some(t), Some(s)) => format!("{} trials, seed {s}", thousands(t as f64)),
        _ => String::new(),
    }
}

fn more_line(out: &mut String, more: usize, what: &str, file: &str) {
    if more > 0 {
        let _ = writeln!(
            out,
            "<p class=\"muted\">… and {more} more {what} in <code>{file}</code>.</p>"
        );
    }
}

// ---------------------------------------------------------------------------

impl Section for WhatTakesItDown {
    fn id(&self) -> &'static str {
        "what-takes-it-down"
    }
    fn title(&self) -> &'static str {
        "What takes each design down"
    }
    fn applies(&self, page: &Page) -> bool {
        page.data.analyses.importance.is_some()
    }
    fn render(&self, page: &Page, out: &mut String) {
        let a = &page.data.analyses;
        let Some(imp) = &a.importance else {
            return;
        };
        out.push_str(
            "<p>What each outage source costs each design, measured on the run's own sampled \
             years by evaluating them again without the source (and with it always active). \
             Sources are ranked by the loss a year their removal would have avoided (down time \
             where the design has no loss model); the five largest are shown. \
             <b>FV</b> (Fussell–Vesely): the share of the design's down time that removing the \
             source alone would have restored. <b>Birnbaum</b>: unavailability with the source \
             always active minus with it never active (near 1 for a single point of failure). \
             <b>RAW</b>: down time with the source always active ÷ down time as simulated. \
             A <b>single point of failure</b> is an outage source that takes the design down on \
             its own (a risk group of one).</p>\n",
        );
        let (archs, more) = archs_in(
            page,
            |id| imp.rows.iter().any(|r| r.architecture == id),
            MAX_ARCHS,
        );
        for arch in archs {
            let _ = writeln!(out, "<h3>{}</h3>", escape(arch));
            if let Some(rg) = &a.risk_groups {
                single_points(out, arch, &rg.rows);
            }
            let mut rows: Vec<&Importance> = imp
                .rows
                .iter()
                .filter(|r| r.architecture == arch)
                .filter(|r| {
                    r.downtime_avoided_hours > 0.0 || r.loss_avoided.is_some_and(|l| l > 0.0)
                })
                .collect();
            rows.sort_by_key(|r| r.rank);
            rows.truncate(TOP);
            if rows.is_empty() {
                out.push_str("<p>It was never down in these trials: nothing to attribute.</p>\n");
                continue;
            }
            let loss = rows.iter().any(|r| r.loss_avoided.is_some());
            out.push_str("<table><thead><tr><th>#</th><th class=\"text\">outage source</th>");
            if loss {
                out.push_str("<th>loss avoided a year</th>");
            }
            out.push_str(
                "<th>down time avoided a year</th><th>FV</th><th>Birnbaum</th><th>RAW</th>\
                 </tr></thead><tbody>\n",
            );
            for r in rows {
                let kind = if r.source_kind == "own" {
                    "its own outages"
                } else {
                    "shared cause"
                };
                let _ = write!(
                    out,
                    "<tr><td>{}</td><td class=\"text\">{} <small>{kind}</small></td>",
                    r.rank,
                    strong(&r.source)
                );
                if loss {
                    out.push_str(&num_cell(&r.loss_avoided.map_or("–".into(), money)));
                }
                let raw = if r.risk_achievement_ratio.is_finite() {
                    format!("×{}", sig(r.risk_achievement_ratio, 3))
                } else {
                    "–".into()
                };
                let _ = writeln!(
                    out,
                    "{}{}{}{}</tr>",
                    num_cell(&hours(r.downtime_avoided_hours)),
                    num_cell(&pct(r.fussell_vesely)),
                    num_cell(&if r.birnbaum.is_finite() {
                        sig(r.birnbaum, 3)
                    } else {
                        "–".into()
                    }),
                    num_cell(&raw)
                );
            }
            out.push_str("</tbody></table>\n");
        }
        more_line(out, more, "architectures", "importance.csv");
        let mut origins = vec![&imp.origin];
        if let Some(rg) = &a.risk_groups {
            origins.push(&rg.origin);
        }
        from_line(
            out,
            &origins,
            &format!(
                " ({}: the run's own sampled years)",
                trials_seed(&imp.origin)
            ),
        );
    }
}

/// The single points of failure of `arch`, or its smallest risk groups.
fn single_points(out: &mut String, arch: &str, rows: &[RiskGroup]) {
    let mut groups: Vec<&RiskGroup> = rows.iter().filter(|g| g.architecture == arch).collect();
    let share = |g: &RiskGroup| {
        if g.observed_share.is_finite() {
            g.observed_share
        } else {
            -1.0
        }
    };
    groups.sort_by(|x, y| {
        x.size
            .cmp(&y.size)
            .then(share(y).total_cmp(&share(x)))
            .then(x.sources.cmp(&y.sources))
    });
    let Some(first) = groups.first() else {
        out.push_str(
            "<p>No set of outage sources in <code>risk_groups.csv</code> takes it down.</p>\n",
        );
        return;
    };
    let smallest = first.size;
    let of_smallest: Vec<&&RiskGroup> = groups.iter().filter(|g| g.size == smallest).collect();
    let listed: Vec<String> = of_smallest
        .iter()
        .take(8)
        .map(|g| {
            let ids: Vec<String> = g.sources.iter().map(|s| strong(s)).collect();
            let seen = if g.observed_share.is_finite() {
                format!(
                    " <small>(in {} of its down time)</small>",
                    pct(g.observed_share)
                )
            } else {
                String::new()
            };
            format!("{}{seen}", ids.join(" + "))
        })
        .collect();
    let rest = of_smallest.len().saturating_sub(listed.len());
    let rest = if rest > 0 {
        format!(" and {rest} more")
    } else {
        String::new()
    };
    if smallest == 1 {
        let _ = writeln!(
            out,
            "<p><b class=\"alert\">Single points of failure ({}):</b> {}{rest}.</p>",
            of_smallest.len(),
            listed.join(", ")
        );
    } else {
        let _ = writeln!(
            out,
            "<p><b>No single point of failure:</b> it takes at least {smallest} outage sources at \
             once. The {} such set{}: {}{rest}.</p>",
            of_smallest.len(),
            if of_smallest.len() == 1 { "" } else { "s" },
            listed.join("; ")
        );
    }
}

// ---------------------------------------------------------------------------

/// "2-of-3 quorum over", "failover across", "any of", from the scenario.
fn mode_words(page: &Page, r: &Redundancy) -> String {
    let comp = page
        .report
        .model
        .components
        .iter()
        .find(|c| c.id == r.component);
    match comp.map(|c| c.mode) {
        Some(Mode::Quorum(k)) => format!("{k}-of-{} quorum over", r.branches.len()),
        Some(Mode::Failover { .. }) => "failover across".into(),
        Some(Mode::Any) => "any of".into(),
        _ => format!("{} over", r.mode),
    }
}

/// Worst first: by the share of down time the shared sources explain,
/// then by branch overlap, then by id.
fn worst_first(rows: &[Redundancy]) -> Vec<&Redundancy> {
    let share = |r: &Redundancy| {
        if r.shared_downtime_share.is_finite() {
            r.shared_downtime_share
        } else {
            -1.0
        }
    };
    let mut v: Vec<&Redundancy> = rows.iter().collect();
    v.sort_by(|x, y| {
        x.shared_sources
            .is_empty()
            .cmp(&y.shared_sources.is_empty())
            .then(share(y).total_cmp(&share(x)))
            .then(y.jaccard.total_cmp(&x.jaccard))
            .then(x.component.cmp(&y.component))
    });
    v
}

fn ids(list: &[String]) -> Vec<String> {
    list.iter().map(|s| escape(s)).collect()
}

impl Section for RedundancyAudit {
    fn id(&self) -> &'static str {
        "redundancy-audit"
    }
    fn title(&self) -> &'static str {
        "Redundancy audit"
    }
    fn applies(&self, page: &Page) -> bool {
        page.data.analyses.independence.is_some()
    }
    fn render(&self, page: &Page, out: &mut String) {
        let Some(t) = &page.data.analyses.independence else {
            return;
        };
        out.push_str(
            "<p>Every redundancy (<code>any</code>, <code>quorum</code>, <code>failover</code>) \
             checked for outage sources that reach more than one of its branches: directly, \
             through needs they share, or through a cause that hits several. Branches that fail \
             for the same reason are one branch, whatever the diagram says.</p>\n",
        );
        if t.rows.is_empty() {
            out.push_str("<p>The scenario has no redundancy to audit.</p>\n");
            from_line(out, &[&t.origin], "");
            return;
        }
        let rows = worst_first(&t.rows);
        let offenders: Vec<&&Redundancy> = rows
            .iter()
            .filter(|r| !r.shared_sources.is_empty())
            .collect();
        if offenders.is_empty() {
            out.push_str(
                "<p>No redundancy has an outage source that reaches two of its branches: as far \
                 as the scenario says, every one is independent.</p>\n",
            );
        } else {
            out.push_str("<p><b>Worst first:</b></p>\n<ul class=\"headline\">\n");
            for r in offenders.iter().take(WORST) {
                let n = r.shared_sources.len();
                let mut s = format!(
                    "{} ({} {}): {} outage source{} reach{} more than one branch",
                    strong(&r.component),
                    mode_words(page, r),
                    words(&ids(&r.branches)),
                    n,
                    if n == 1 { "" } else { "s" },
                    if n == 1 { "es" } else { "" },
                );
                if !r.single_points.is_empty() {
                    let _ =
                        write!(
                        s,
                        "; <span class=\"alert\">{} take{} the whole redundancy down alone</span>",
                        words(&r.single_points.iter().map(|x| strong(x)).collect::<Vec<_>>()),
                        if r.single_points.len() == 1 { "s" } else { "" }
                    );
                }
                s.push('.');
                if r.downtime_hours > 0.0 && r.shared_downtime_share.is_finite() {
                    let _ = write!(
                        s,
                        " Removing {} would have restored service for {} of its {} down a year.",
                        if n == 1 { "it" } else { "one of them" },
                        pct(r.shared_downtime_share),
                        hours(r.downtime_hours)
                    );
                } else {
                    s.push_str(" It was never down in these trials.");
                }
                if r.jaccard_pair.len() == 2 {
                    let _ = write!(
                        s,
                        " Its most alike branches, {} and {}, share {} of their outage sources.",
                        escape(&r.jaccard_pair[0]),
                        escape(&r.jaccard_pair[1]),
                        pct(r.jaccard)
                    );
                }
                let _ = writeln!(out, "<li>{s}</li>");
            }
            out.push_str("</ul>\n");
        }
        out.push_str(
            "<table><thead><tr><th>redundancy</th><th class=\"text\">branches</th>\
             <th class=\"text\">outage sources reaching two or more branches</th>\
             <th class=\"text\">of which take it down alone</th><th>down a year</th>\
             <th>restored without a shared source</th><th>branch overlap</th>\
             </tr></thead><tbody>\n",
        );
        for r in rows.iter().take(MAX_ROWS) {
            let list = |v: &[String]| {
                if v.is_empty() {
                    "none".to_string()
                } else {
                    ids(v).join(", ")
                }
            };
            let alone = if r.single_points.is_empty() {
                "none".to_string()
            } else {
                format!("<span class=\"alert\">{}</span>", list(&r.single_points))
            };
            let _ = writeln!(
                out,
                "<tr><td class=\"text\">{}</td><td class=\"text\">{} {}</td><td class=\"text\">{}</td>\
                 <td class=\"text\">{alone}</td>{}{}{}</tr>",
                strong(&r.component),
                escape(&mode_words(page, r)),
                ids(&r.branches).join(", "),
                list(&r.shared_sources),
                num_cell(&hours(r.downtime_hours)),
                num_cell(&if r.shared_sources.is_empty() {
                    "–".into()
                } else {
                    pct(r.shared_downtime_share)
                }),
                num_cell(&pct(r.jaccard)),
            );
        }
        out.push_str("</tbody></table>\n");
        more_line(
            out,
            rows.len().saturating_sub(MAX_ROWS),
            "redundancies",
            "independence.csv",
        );
        out.push_str(
            "<p class=\"muted\">Branch overlap: the largest Jaccard similarity between two \
             branches' sets of outage sources (shared ÷ all). Restored: the share of the \
             redundancy's down time that removing one of the shared sources would have \
             restored.</p>\n",
        );
        from_line(out, &[&t.origin], &format!(" ({})", trials_seed(&t.origin)));
    }
}

// ---------------------------------------------------------------------------

impl Section for Concentration {
    fn id(&self) -> &'static str {
        "concentration"
    }
    fn title(&self) -> &'static str {
        "Concentration by provider and jurisdiction"
    }
    fn applies(&self, page: &Page) -> bool {
        page.data.analyses.concentration.is_some()
    }
    fn render(&self, page: &Page, out: &mut String) {
        let Some(t) = &page.data.analyses.concentration else {
            return;
        };
        out.push_str(
            "<p>For every provider and jurisdiction named in the scenario: the share of each \
             design's down time during which an outage source that hits its components was \
             decisive (removing that source would have restored service), and whether the \
             design can run at all without it (<b>substitutable</b>: some path through the \
             graph avoids it). <b>Closely connected</b>: other providers hit by one of the same \
             outage sources. These are the inputs to a third-party concentration assessment \
             (EU DORA Art. 28–29; see docs/analysis.md §5). A cause that hits several providers \
             involves each, so shares can add to more than 100%.</p>\n",
        );
        if t.rows.is_empty() {
            out.push_str(
                "<p>No component names a provider or jurisdiction; add <code>provider = \"…\"</code> \
                 and <code>jurisdiction = \"…\"</code> to the components to see this.</p>\n",
            );
            from_line(out, &[&t.origin], "");
            return;
        }
        // In words: what each design cannot run without.
        let (archs, more) = archs_in(
            page,
            |id| t.rows.iter().any(|r| r.architecture == id),
            MAX_ARCHS,
        );
        out.push_str("<ul class=\"headline\">\n");
        for arch in &archs {
            let mut parts = Vec::new();
            for kind in ["provider", "jurisdiction"] {
                let mut critical: Vec<&ConcentrationRow> = t
                    .rows
                    .iter()
                    .filter(|r| {
                        r.architecture == *arch && r.kind == kind && r.in_design && !r.substitutable
                    })
                    .collect();
                critical.sort_by(|x, y| y.downtime_share.total_cmp(&x.downtime_share));
                let list: Vec<String> = critical
                    .iter()
                    .map(|r| {
                        format!(
                            "{} <small>({} of its down time)</small>",
                            strong(&r.name),
                            pct(r.downtime_share)
                        )
                    })
                    .collect();
                if !list.is_empty() {
                    parts.push(format!(
                        "{kind}{} {}",
                        if list.len() == 1 { "" } else { "s" },
                        words(&list)
                    ));
                }
            }
            let _ = writeln!(
                out,
                "<li>{} {}.</li>",
                strong(arch),
                if parts.is_empty() {
                    "can run without any one provider or jurisdiction".to_string()
                } else {
                    format!(
                        "<span class=\"alert\">cannot run without</span> {}",
                        parts.join("; and ")
                    )
                }
            );
        }
        out.push_str("</ul>\n");
        more_line(out, more, "architectures", "concentration.csv");

        let (cols, more_cols) = archs_in(
            page,
            |id| t.rows.iter().any(|r| r.architecture == id),
            MAX_COLUMNS,
        );
        for kind in ["provider", "jurisdiction"] {
            let mut names: Vec<&str> = Vec::new();
            for r in t.rows.iter().filter(|r| r.kind == kind) {
                if !names.contains(&r.name.as_str()) {
                    names.push(&r.name);
                }
            }
            if names.is_empty() {
                continue;
            }
            let _ = write!(
                out,
                "<h3>By {kind}</h3>\n<table><thead><tr><th>{kind}</th><th class=\"text\">closely connected</th>"
            );
            for c in &cols {
                let _ = write!(out, "<th>{}</th>", escape(c));
            }
            out.push_str("</tr></thead><tbody>\n");
            for name in names {
                let of = |arch: &str| {
                    t.rows
                        .iter()
                        .find(|r| r.kind == kind && r.name == name && r.architecture == arch)
                };
                let connected = t
                    .rows
                    .iter()
                    .find(|r| r.kind == kind && r.name == name)
                    .map(|r| {
                        r.closely_connected
                            .iter()
                            .map(|x| escape(x))
                            .collect::<Vec<_>>()
                            .join(", ")
                    })
                    .unwrap_or_default();
                let _ = write!(
                    out,
                    "<tr><td class=\"text\">{}</td><td class=\"text\">{}</td>",
                    strong(name),
                    if connected.is_empty() {
                        "–".into()
                    } else {
                        connected
                    }
                );
                for c in &cols {
                    let cell = match of(c) {
                        Some(r) if r.in_design => {
                            let share = pct(r.downtime_share);
                            let share = if r.substitutable {
                                share
                            } else {
                                format!("<strong class=\"alert\">{share}</strong>")
                            };
                            match r.loss_share {
                                Some(l) => format!("{share}<br><small>loss {}</small>", pct(l)),
                                None => share,
                            }
                        }
                        _ => "–".into(),
                    };
                    out.push_str(&num_cell(&cell));
                }
                out.push_str("</tr>\n");
            }
            out.push_str("</tbody></table>\n");
        }
        let _ = writeln!(
            out,
            "<p class=\"muted\">Each cell: the share of the design's down time (and, where it \
             has a loss model, of its expected loss) that involves the provider or \
             jurisdiction; <strong class=\"alert\">red</strong>: the design cannot run without \
             it; –: the design does not use it.{}</p>",
            if more_cols > 0 {
                format!(
                    " The first {MAX_COLUMNS} architectures are shown; concentration.csv has the other {more_cols}."
                )
            } else {
                String::new()
            }
        );
        from_line(out, &[&t.origin], &format!(" ({})", trials_seed(&t.origin)));
    }
}

// ---------------------------------------------------------------------------

impl Section for Sensitivity {
    fn id(&self) -> &'static str {
        "sensitivity"
    }
    fn title(&self) -> &'static str {
        "Sensitivity"
    }
    fn applies(&self, page: &Page) -> bool {
        let a = &page.data.analyses;
        a.tornado.is_some() || a.sweep.is_some()
    }
    fn render(&self, page: &Page, out: &mut String) {
        let a = &page.data.analyses;
        if let Some(t) = &a.tornado {
            tornado(page, t, out);
        }
        if let Some(s) = &a.sweep {
            sweep(page, s, out);
        }
    }
}

fn tornado(page: &Page, t: &Table<TornadoBar>, out: &mut String) {
    let (lo, hi) = t
        .rows
        .first()
        .map_or((0.5, 2.0), |b| (b.low_factor, b.high_factor));
    let (lo, hi) = (format!("×{}", sig(lo, 3)), format!("×{}", sig(hi, 3)));
    let _ = writeln!(
        out,
        "<p>Each outage source's rate, and separately its durations, scaled {lo} and {hi} one at \
         a time with everything else as written, every run on {} (the same random numbers in \
         every run, so the bars compare like with like). The longer the bar, the more the \
         result depends on getting that number right: these are the numbers to check first.</p>",
        trials_seed(&t.origin)
    );
    if let Some(c) = page.charts.iter().find(|c| c.section == "sensitivity") {
        let _ = writeln!(
            out,
            "<figure id=\"chart-{}\">\n<figcaption><h3>{}</h3>\n<p>{}</p></figcaption>\n{}\n\
             <p class=\"files\">Also as <code>{}</code> and <code>{}</code>.</p>\n</figure>",
            c.name,
            escape(c.title),
            escape(&c.how_to_read),
            inline_svg(&c.svg, c.title),
            c.png_file,
            c.svg_file
        );
    }
    let loss = t.rows.iter().any(|b| b.loss_swing.is_some());
    let _ = write!(
        out,
        "<h3>Largest swings</h3>\n<p class=\"muted\">Mean per {}, the {TOP} largest per \
         architecture{}. A swing smaller than twice its standard error cannot be told from \
         noise at this number of trials.</p>\n<table><thead><tr><th>architecture</th>\
         <th class=\"text\">outage source</th><th class=\"text\">number</th>\
         <th>down time {lo}</th><th>{hi}</th><th>swing</th>",
        page.data.period(),
        if loss {
            " by swing of expected loss (of down time where there is no loss model)"
        } else {
            " by swing of down time"
        }
    );
    if loss {
        let _ = write!(
            out,
            "<th>expected loss {lo}</th><th>{hi}</th><th>swing</th>"
        );
    }
    out.push_str("</tr></thead><tbody>\n");
    let (archs, more) = archs_in(
        page,
        |id| t.rows.iter().any(|b| b.architecture == id),
        MAX_ARCHS,
    );
    let noise = |swing: f64, se: f64| {
        if swing < 2.0 * se {
            "<br><small>within noise</small>"
        } else {
            ""
        }
    };
    for arch in archs {
        // tornado.csv lists each architecture's bars in rank order.
        let bars: Vec<&TornadoBar> = t
            .rows
            .iter()
            .filter(|b| b.architecture == arch)
            .take(TOP)
            .collect();
        let Some(first) = bars.first() else {
            continue;
        };
        let base = match first.base_expected_loss {
            Some(l) if loss => format!("base {}, {}", hours(first.base_downtime_hours), money(l)),
            _ => format!("base {}", hours(first.base_downtime_hours)),
        };
        for (i, b) in bars.iter().enumerate() {
            out.push_str("<tr>");
            if i == 0 {
                let _ = write!(
                    out,
                    "<td class=\"text\" rowspan=\"{}\">{}<br><small>{base}</small></td>",
                    bars.len(),
                    strong(arch)
                );
            }
            let _ = write!(
                out,
                "<td class=\"text\">{}</td><td class=\"text\">{}</td>{}{}{}",
                escape(&b.source),
                escape(&b.parameter),
                num_cell(&hours(b.low_downtime_hours)),
                num_cell(&hours(b.high_downtime_hours)),
                num_cell(&format!(
                    "{}{}",
                    hours(b.downtime_swing_hours),
                    noise(b.downtime_swing_hours, b.downtime_swing_se_hours)
                )),
            );
            if loss {
                let m = |x: Option<f64>| x.map_or("–".into(), money);
                let swing = match (b.loss_swing, b.loss_swing_se) {
                    (Some(s), Some(se)) => format!("{}{}", money(s), noise(s, se)),
                    (s, _) => m(s),
                };
                let _ = write!(
                    out,
                    "{}{}{}",
                    num_cell(&m(b.low_expected_loss)),
                    num_cell(&m(b.high_expected_loss)),
                    num_cell(&swing)
                );
            }
            out.push_str("</tr>\n");
        }
    }
    out.push_str("</tbody></table>\n");
    more_line(out, more, "architectures", "tornado.csv");
    from_line(out, &[&t.origin], "");
}

fn sweep(page: &Page, t: &Table<super::analyses::SweepRow>, out: &mut String) {
    let (cols, more_cols) = archs_in(
        page,
        |id| t.rows.iter().any(|r| r.architecture == id),
        MAX_COLUMNS,
    );
    let paths: Vec<&str> = t
        .rows
        .first()
        .map(|r| r.values.iter().map(|(p, _)| p.as_str()).collect())
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "<h3>Sweep</h3>\n<p>Every design's mean down time per {} (and expected loss, where it has \
         a loss model) as the swept numbers change, every point on {}.</p>",
        page.data.period(),
        trials_seed(&t.origin)
    );
    out.push_str("<table><thead><tr>");
    for p in &paths {
        let _ = write!(out, "<th class=\"text\"><code>{}</code></th>", escape(p));
    }
    for c in &cols {
        let _ = write!(out, "<th>{}</th>", escape(c));
    }
    out.push_str("</tr></thead><tbody>\n");
    let mut points: Vec<usize> = t.rows.iter().map(|r| r.point).collect();
    points.dedup();
    for &p in points.iter().take(MAX_POINTS) {
        let rows: Vec<&super::analyses::SweepRow> =
            t.rows.iter().filter(|r| r.point == p).collect();
        out.push_str("<tr>");
        if let Some(r) = rows.first() {
            for (_, v) in &r.values {
                let _ = write!(out, "<td class=\"text\">{}</td>", escape(v));
            }
        }
        for c in &cols {
            let cell = rows
                .iter()
                .find(|r| r.architecture == *c)
                .map(|r| match r.expected_loss {
                    Some(l) => format!(
                        "{}<br><small>{}</small>",
                        hours(r.downtime_hours_mean),
                        money(l)
                    ),
                    None => hours(r.downtime_hours_mean),
                })
                .unwrap_or_else(|| "–".into());
            out.push_str(&num_cell(&cell));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table>\n");
    more_line(
        out,
        points.len().saturating_sub(MAX_POINTS),
        "points",
        "sweep.csv",
    );
    more_line(out, more_cols, "architectures", "sweep.csv");
    from_line(out, &[&t.origin], "");
}

// ---------------------------------------------------------------------------

impl Section for Drills {
    fn id(&self) -> &'static str {
        "drills"
    }
    fn title(&self) -> &'static str {
        "Drills"
    }
    fn applies(&self, page: &Page) -> bool {
        page.data.analyses.drills.is_some()
    }
    fn render(&self, page: &Page, out: &mut String) {
        let Some(t) = &page.data.analyses.drills else {
            return;
        };
        let conditional = t.rows.iter().find_map(|r| r.conditional.as_ref());
        out.push_str(
            "<p>Each drill forces the named causes or components down for the stated time with \
             everything else up, like a tabletop game day: whether each design went down, for \
             how long, what that cost, and the path the failure took through the graph (forced \
             &gt; … &gt; what the design serves), or which redundancy absorbed it.",
        );
        if let Some(c) = conditional {
            let _ = write!(
                out,
                " The last columns add the incident to {} normally sampled {}s{}: the chance the \
                 design is down at some time during the drill, and its mean down time in such a \
                 {} against the same {}s without the drill.",
                thousands(c.trials as f64),
                page.data.period(),
                t.origin
                    .seed
                    .map_or(String::new(), |s| format!(" (seed {s})")),
                page.data.period(),
                page.data.period()
            );
        }
        out.push_str("</p>\n");
        let mut drills: Vec<&str> = Vec::new();
        for r in &t.rows {
            if !drills.contains(&r.drill.as_str()) {
                drills.push(&r.drill);
            }
        }
        let (archs, more) = archs_in(
            page,
            |id| t.rows.iter().any(|r| r.architecture == id),
            MAX_ARCHS,
        );
        out.push_str(
            "<table><thead><tr><th>drill</th><th class=\"text\">architecture</th><th>result</th><th>loss</th>",
        );
        if conditional.is_some() {
            out.push_str("<th>P(down during the drill)</th><th>mean down time with the drill</th><th>without</th>");
        }
        out.push_str("<th class=\"text\">path</th></tr></thead><tbody>\n");
        let model = page.report.model;
        for d in drills {
            let rows: Vec<_> = archs
                .iter()
                .filter_map(|a| t.rows.iter().find(|r| r.drill == d && r.architecture == *a))
                .collect();
            let Some(first) = rows.first() else {
                continue;
            };
            let description = model
                .drills
                .iter()
                .find(|x| x.id == d)
                .and_then(|x| x.description.as_deref())
                .map(|x| format!("<br><small>{}</small>", escape(x)))
                .unwrap_or_default();
            let at = if first.at_hours > 0.0 {
                format!(" from hour {}", sig(first.at_hours, 4))
            } else {
                String::new()
            };
            let source = if first.source.is_empty() {
                String::new()
            } else {
                format!("<br><small>Source: {}</small>", escape(&first.source))
            };
            for (i, r) in rows.iter().enumerate() {
                out.push_str("<tr>");
                if i == 0 {
                    let _ = write!(
                        out,
                        "<td class=\"text\" rowspan=\"{}\">{}{description}<br><small>forces {} down for {}{at}</small>{source}</td>",
                        rows.len(),
                        strong(d),
                        words(&ids(&first.forced)),
                        hours(first.hours)
                    );
                }
                let result = if r.went_down {
                    format!(
                        "<strong class=\"alert\">down {}</strong>",
                        hours(r.downtime_hours)
                    )
                } else {
                    "up".into()
                };
                let _ = write!(
                    out,
                    "<td class=\"text\">{}</td>{}{}",
                    escape(&r.architecture),
                    num_cell(&result),
                    num_cell(&r.loss.map_or("–".into(), money))
                );
                if conditional.is_some() {
                    match &r.conditional {
                        Some(c) => {
                            let _ = write!(
                                out,
                                "{}{}{}",
                                num_cell(&pct(c.p_down_during_drill)),
                                num_cell(&hours(c.downtime_hours_mean)),
                                num_cell(&hours(c.baseline_downtime_hours_mean))
                            );
                        }
                        None => out.push_str(&num_cell("–").repeat(3)),
                    }
                }
                let path = if r.went_down {
                    escape(&r.path)
                } else if r.absorbed.is_empty() {
                    "<span class=\"muted\">not affected</span>".into()
                } else {
                    format!("absorbed by {}", escape(&r.absorbed))
                };
                let _ = writeln!(out, "<td class=\"text\">{path}</td></tr>");
            }
        }
        out.push_str("</tbody></table>\n");
        more_line(out, more, "architectures", "drills.csv");
        from_line(out, &[&t.origin], "");
    }
}
