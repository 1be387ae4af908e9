//! `fateshare catalogue`: the incident catalogue's classes with fitted rates
//! and durations, one class's incidents with their sources (`show CLASS`),
//! and a duration chart per class (`--charts DIR`).

use crate::catalogue::fit::{fit_all, fit_class, ClassFit};
use crate::catalogue::Catalogue;
use crate::cmd::flags::Failure;
use clap::{Args, Subcommand};
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
pub struct CatalogueArgs {
    #[command(subcommand)]
    pub action: Option<CatalogueAction>,
    /// A catalogue folder (classes.toml and incidents.toml) to use instead of
    /// the one built into fateshare.
    #[arg(long, global = true)]
    pub dir: Option<PathBuf>,
    /// Write one SVG chart per class (fitted duration distribution against
    /// the published durations) into this folder.
    #[arg(long, global = true)]
    pub charts: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum CatalogueAction {
    /// Print one class's fit and the incidents behind it, with their sources.
    Show {
        /// The class id, e.g. cloud.region.
        class: String,
    },
}

/// Loads the catalogue named by `--dir`, or the bundled one.
pub fn load(dir: Option<&Path>) -> Result<Catalogue, Failure> {
    Ok(match dir {
        Some(d) => Catalogue::load(d)?,
        None => Catalogue::bundled().map_err(|e| Failure::Internal(e.to_string()))?,
    })
}

pub fn catalogue(args: &CatalogueArgs) -> Result<(), Failure> {
    let cat = load(args.dir.as_deref())?;
    let fits: Vec<ClassFit> = match &args.action {
        None => fit_all(&cat),
        Some(CatalogueAction::Show { class }) => {
            let c = cat.class(class).ok_or_else(|| {
                Failure::Input(format!("catalogue: {}", cat.unknown_class_message(class)))
            })?;
            vec![fit_class(&cat, c)]
        }
    };
    if let Some(dir) = &args.charts {
        write_charts(dir, &fits)?;
    }
    match &args.action {
        None => print!("{}", table(&cat, &fits)),
        Some(CatalogueAction::Show { .. }) => print!("{}", show(&cat, &fits[0])),
    }
    Ok(())
}

fn write_charts(dir: &Path, fits: &[ClassFit]) -> Result<(), Failure> {
    let mut charts = Vec::new();
    for f in fits {
        if let Some(svg) =
            crate::catalogue::chart::class_svg(f).map_err(|e| Failure::Internal(e.to_string()))?
        {
            charts.push((format!("{}.svg", f.class.spec.id), svg));
        }
    }
    // Built beside the folder and swapped in whole (docs/limits.md, "Output
    // folders"): a reader sees the previous charts or the new ones, and a
    // failure leaves the folder as it was (or absent, if it was).
    let named = |e: crate::output::OutputError| match e {
        crate::output::OutputError::Folder { dir, reason } => {
            Failure::Input(format!("--charts {dir}: {reason}"))
        }
        other => other.into(),
    };
    crate::output::prepare_dir(dir).map_err(named)?;
    let stage = crate::output::Staging::begin(dir).map_err(named)?;
    for (name, svg) in charts {
        // A new file renamed over the staged hard link, never written
        // through it (that would change the previous folder's file).
        crate::output::write_atomic(&stage.path().join(name), |w| w.write_all(svg.as_bytes()))?;
    }
    stage.commit()?;
    Ok(())
}

fn hours(h: f64) -> String {
    if h >= 100.0 {
        format!("{h:.0}")
    } else if h >= 10.0 {
        format!("{h:.1}")
    } else {
        format!("{h:.2}")
    }
}

/// The class table of `fateshare catalogue`.
pub fn table(cat: &Catalogue, fits: &[ClassFit]) -> String {
    let mut out = format!(
        "fateshare incident catalogue {} — {} incidents in {} classes\n\
         rate: events per unit-year, Gamma(k+1/2, T) posterior mean [90% interval]; \
         duration: lognormal maximum-likelihood median and p95, hours\n\n",
        cat.version,
        cat.incidents.len(),
        cat.classes.len()
    );
    out += &format!(
        "{:<22} {:>6} {:>9} {:<12} {:>23} {:>4} {:>8} {:>8}  {}\n",
        "class",
        "events",
        "exposure",
        "unit",
        "rate/yr [90%]",
        "n_d",
        "median h",
        "p95 h",
        "providers"
    );
    for f in fits {
        let (lo, hi) = f.rate.interval90();
        let (med, p95) = match f.duration {
            Some(d) => (hours(d.median()), hours(d.p95())),
            None => ("-".into(), "-".into()),
        };
        out += &format!(
            "{:<22} {:>6} {:>9.1} {:<12} {:>23} {:>4} {:>8} {:>8}  {}\n",
            f.class.spec.id,
            f.rate.events,
            f.rate.exposure_years,
            f.class.spec.unit,
            format!("{:.3} [{:.3}, {:.3}]", f.rate.mean(), lo, hi),
            f.durations.len(),
            med,
            p95,
            f.class.spec.providers.join(", ")
        );
    }
    out += "\nn_d: incidents with a published duration. `fateshare catalogue show CLASS` lists a class's incidents and sources; docs/catalogue.md explains every class and its caveats.\n";
    out
}

/// The text of `fateshare catalogue show CLASS`.
pub fn show(cat: &Catalogue, f: &ClassFit) -> String {
    let c = &f.class.spec;
    let (lo, hi) = f.rate.interval90();
    let mut out = format!(
        "{} — {}\nscope: {}\nwindow: {} to {} (exclusive), {} unit-years (unit: {}); providers: {}\ncounted: {}\n\n",
        c.id, c.title, c.scope, c.from, c.to, c.exposure_years, c.unit, c.providers.join(", "), c.counting
    );
    out += &format!(
        "rate: {} events in {} records over {} unit-years; Jeffreys prior, posterior Gamma(shape {}, rate {} per year): mean {:.4} per unit-year, 90% interval [{:.4}, {:.4}]\n",
        f.rate.events, f.records, f.rate.exposure_years, f.rate.shape, f.rate.rate, f.rate.mean(), lo, hi
    );
    match f.duration {
        Some(d) => {
            let (ml, mh) = d.median_interval90();
            let (pl, ph) = d.p95_interval90();
            out += &format!(
                "duration: lognormal by maximum likelihood from {} durations: mu {:.4} (se {:.4}), sigma {:.4} (se {:.4}); median {} h [90%: {}, {}], p95 {} h [90%: {}, {}]\n",
                d.n, d.mu, d.se_mu(), d.sigma, d.se_sigma(), hours(d.median()), hours(ml), hours(mh), hours(d.p95()), hours(pl), hours(ph)
            );
        }
        None => {
            out += &format!(
                "duration: {} published durations; too few to fit a lognormal (needs two different values)\n",
                f.durations.len()
            )
        }
    }
    let list: Vec<String> = f.durations.iter().map(|h| hours(*h)).collect();
    out += &format!("durations (hours, ascending): [{}]\n", list.join(", "));
    match f.share_mean() {
        Some(m) => {
            out += &format!(
                "share affected: {} published, mean {:.3}\n",
                f.shares.len(),
                m
            )
        }
        None => out += "share affected: none published\n",
    }
    out += "\nincidents:\n";
    for i in cat.incidents_of(&c.id) {
        let s = &i.spec;
        out += &format!(
            "- {}  {}  {} {} ({})  duration {}{}{}\n  {}\n  source: {}\n",
            s.id,
            s.start,
            s.provider,
            s.service,
            s.scope,
            s.duration_hours
                .map_or("not published".into(), |h| format!("{} h", hours(h))),
            s.share_affected
                .map_or(String::new(), |v| format!(", share affected {v}")),
            s.event
                .as_deref()
                .map_or(String::new(), |e| format!(", event {e}")),
            s.shared_cause,
            s.source
        );
    }
    out
}
