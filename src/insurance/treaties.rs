//! The treaties' figures from a run: every period's paid events passed through
//! the treaties ([`super::treaty`]), then per treaty its ceded loss (expected
//! loss to the layer with its interval, standard deviation, AEP and OEP,
//! TVaR, probabilities of attachment and exhaustion, reinstatement premium,
//! the premium at the treaty's loading and its rate on line) and for the whole
//! book its gross, ceded and net loss (`treaties.csv`, `treaty_ept.csv`); and
//! per policy its net loss, the `ri` perspective of the ORD tables
//! (`ri_S1_*.csv`). An importance-sampled run's figures are weighted
//! ([`super::weighing`]). Formulas: docs/insurance.md § Treaties.

use super::ord::{self, Ord, SummaryKind};
use super::payout::PayoutTable;
use super::policies::PORTFOLIO_TVAR_LEVEL;
use super::portfolio::PML_RETURN_PERIODS;
use super::treaty::{self, Piece, TreatyYear};
use super::weighing::{self, Curve, Weights};
use crate::model::{Model, Treaty};
use crate::stats::Z_95;

/// A proportion with its 95% Wilson score interval.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Share {
    pub p: f64,
    pub lo: f64,
    pub hi: f64,
}

impl Share {
    /// `k` of `n`, with the Wilson interval at 95%.
    pub fn of(k: usize, n: usize) -> Share {
        if n == 0 {
            return Share::default();
        }
        let (k, n) = (k as f64, n as f64);
        let p = k / n;
        let z2 = Z_95 * Z_95;
        let d = 1.0 + z2 / n;
        let c = (p + z2 / (2.0 * n)) / d;
        let h = Z_95 / d * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
        Share {
            p,
            lo: (c - h).max(0.0),
            hi: (c + h).min(1.0),
        }
    }

    /// The trials for which `hits` is true, as a share of all: plain,
    /// [`Share::of`] their count; weighted, p = (1/N) Σ w [hit] with the
    /// interval p ∓ 1.96 · sd(w·[hit])/√N, clipped to [0, 1].
    pub fn of_trials(hits: &[bool], w: Weights) -> Share {
        let Some(w) = w else {
            return Share::of(hits.iter().filter(|&&h| h).count(), hits.len());
        };
        let x: Vec<f64> = hits.iter().map(|&h| f64::from(u8::from(h))).collect();
        let m = weighing::mean(&x, Some(w));
        Share {
            p: m.moments.mean,
            lo: m.lo.max(0.0),
            hi: m.hi.min(1.0),
        }
    }
}

/// One row of `treaties.csv`: a treaty's ceded loss, or the book's gross,
/// ceded or net loss (`treaty` empty).
#[derive(Debug, Clone, PartialEq)]
pub struct TreatyRow {
    /// The treaty id; empty for the book's rows.
    pub treaty: String,
    /// `quota_share`, `per_risk_xl`, `cat_xl`, or `book`.
    pub kind: String,
    /// `ceded`, `gross` or `net`.
    pub view: String,
    pub policies: usize,
    pub expected: f64,
    pub expected_ci_low: f64,
    pub expected_ci_high: f64,
    pub sd: f64,
    /// Share of periods with a loss in this view (for a treaty: it attaches).
    pub attachment: Share,
    /// Share of periods in which the aggregate limit is used up (`None` when unlimited).
    pub exhaustion: Option<Share>,
    /// Expected reinstatement premium (`None` without reinstatements).
    pub reinstatement_premium: Option<f64>,
    /// Upfront premium at the treaty's loading (treaties only).
    pub premium: Option<f64>,
    /// Premium ÷ limit per event (`None` without a finite limit).
    pub rate_on_line: Option<f64>,
    /// AEP losses at 1 in 100, 200, 250 (`None` where the trials do not reach).
    pub aep: [Option<f64>; 3],
    /// OEP losses at 1 in 100, 200, 250.
    pub oep: [Option<f64>; 3],
    pub tvar995: f64,
}

/// Everything the treaties produce in a run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TreatyResults {
    /// Treaties in file order, then the book's gross, ceded and net.
    pub rows: Vec<TreatyRow>,
    /// The EP rows of each row of `rows` (`treaty_ept.csv`), same order.
    pub ept: Vec<Vec<ord::EptRow>>,
    /// The net part of each paid event of the payout table (same order).
    pub net_events: Vec<f64>,
    /// Per treaty, per trial: `years[trial * treaties + k]`.
    pub years: Vec<TreatyYear>,
    /// Per trial: the book's gross, ceded and net loss.
    pub book: Vec<[f64; 3]>,
    /// Per trial: the book's largest event, gross, ceded and net (the OEP
    /// occurrence losses; each largest over the events separately).
    pub book_max: Vec<[f64; 3]>,
}

/// Upfront premium P at loading λ with reinstatements: P + E[reinstatement
/// premium] = (1 + λ) E[C], the reinstatement premium of a period being
/// P × rate × reinstated ÷ limit. Returns P and the expected reinstatement premium.
pub fn premium(t: &Treaty, expected_ceded: f64, expected_reinstated: f64) -> (f64, Option<f64>) {
    let pure = (1.0 + t.loading) * expected_ceded;
    if t.reinstatements == 0 || !t.limit.is_finite() {
        return (pure, None);
    }
    let k = t.reinstatement_rate * expected_reinstated / t.limit;
    let p = pure / (1.0 + k);
    (p, Some(p * k))
}

/// Passes every trial's paid events through the treaties; adds the `ri`
/// summaries (net loss per policy, `SummaryId`s as `il` S1) to `ord`. `w`:
/// an importance-sampled run's trial weights.
pub fn analyze(
    model: &Model,
    table: &PayoutTable,
    trials: usize,
    ord: &mut Ord,
    w: Weights,
) -> TreatyResults {
    let nt = model.treaties.len();
    let np = model.policies.len();
    let covers = treaty::cover_flags(&model.treaties, np);
    let mut res = TreatyResults {
        net_events: Vec::with_capacity(table.events.len()),
        years: Vec::with_capacity(trials * nt),
        book: Vec::with_capacity(trials),
        book_max: Vec::with_capacity(trials),
        ..TreatyResults::default()
    };
    // Per policy: ceded per trial and the largest net event.
    let mut ceded = vec![0.0; trials * np];
    let mut net_max = vec![0.0; trials * np];
    let mut e = 0;
    let mut pieces: Vec<Piece> = Vec::new();
    for trial in 0..trials {
        let first = e;
        while e < table.events.len() && table.events[e].trial == trial as u64 {
            e += 1;
        }
        pieces.clear();
        pieces.extend(table.events[first..e].iter().map(|ev| {
            Piece::new(
                ev.policy,
                ev.event_id,
                ev.start_hours,
                ev.start_hours + ev.duration_hours,
                ev.payout,
            )
        }));
        res.years
            .extend(treaty::apply_all(&model.treaties, &covers, &mut pieces));
        let order = treaty::event_order(&pieces);
        let gross: f64 = pieces.iter().map(|p| p.gross).sum();
        let net: f64 = pieces.iter().map(|p| p.net).sum();
        res.book.push([gross, gross - net, net]);
        res.book_max.push([
            treaty::max_event(&pieces, &order, |p| p.gross),
            treaty::max_event(&pieces, &order, |p| p.gross - p.net),
            treaty::max_event(&pieces, &order, |p| p.net),
        ]);
        for p in &pieces {
            let i = trial * np + p.policy as usize;
            ceded[i] += p.gross - p.net;
            net_max[i] = f64::max(net_max[i], p.net);
            res.net_events.push(p.net);
        }
    }
    for (k, t) in model.treaties.iter().enumerate() {
        let years: Vec<&TreatyYear> = res.years.iter().skip(k).step_by(nt).collect();
        let annual: Vec<f64> = years.iter().map(|y| y.ceded).collect();
        let occ: Vec<f64> = years.iter().map(|y| y.max_event).collect();
        let (mut row, ept) = row(
            &t.id,
            t.kind.name(),
            "ceded",
            t.policies.len(),
            &annual,
            &occ,
            w,
        );
        let reinstated: Vec<f64> = years.iter().map(|y| y.reinstated).collect();
        let reinstated = weighing::mean(&reinstated, w).moments.mean;
        let (p, rip) = premium(t, row.expected, reinstated);
        row.premium = Some(p);
        row.reinstatement_premium = rip;
        row.rate_on_line = t.limit.is_finite().then(|| p / t.limit);
        let exhausted: Vec<bool> = years.iter().map(|y| y.exhausted).collect();
        row.exhaustion = (t.aggregate_limit.is_finite()).then(|| Share::of_trials(&exhausted, w));
        res.rows.push(row);
        res.ept.push(ept);
    }
    for (v, view) in ["gross", "ceded", "net"].into_iter().enumerate() {
        let annual: Vec<f64> = res.book.iter().map(|b| b[v]).collect();
        let occ: Vec<f64> = res.book_max.iter().map(|b| b[v]).collect();
        let (row, ept) = row("", "book", view, np, &annual, &occ, w);
        res.rows.push(row);
        res.ept.push(ept);
    }
    // The ri perspective: each policy's payout less what it ceded.
    for (p, policy) in model.policies.iter().enumerate() {
        let annual: Vec<f64> = table
            .of(p)
            .zip(ceded.iter().skip(p).step_by(np.max(1)))
            .map(|(y, c)| (y.payout - c).max(0.0))
            .collect();
        let occ: Vec<f64> = net_max.iter().skip(p).step_by(np.max(1)).copied().collect();
        let aep = Curve::new(&annual, w);
        ord.summaries.push(super::ord_summary(
            (
                p as u32 + 1,
                SummaryKind::RiPolicy,
                &policy.id,
                policy
                    .annual_limit
                    .is_finite()
                    .then_some(policy.annual_limit),
            ),
            &annual,
            &aep,
            &occ,
            w,
        ));
    }
    res
}

/// A row of figures from per-trial annual and occurrence losses.
fn row(
    id: &str,
    kind: &str,
    view: &str,
    policies: usize,
    annual: &[f64],
    occ: &[f64],
    w: Weights,
) -> (TreatyRow, Vec<ord::EptRow>) {
    let mean = weighing::mean(annual, w);
    let (m, lo, hi) = (mean.moments, mean.lo, mean.hi);
    let aep = Curve::new(annual, w);
    let oep = Curve::new(occ, w);
    let s = super::ord_summary((0, SummaryKind::RiPolicy, id, None), annual, &aep, occ, w);
    let row = TreatyRow {
        treaty: id.to_string(),
        kind: kind.to_string(),
        view: view.to_string(),
        policies,
        expected: m.mean,
        expected_ci_low: lo.max(0.0),
        expected_ci_high: hi,
        sd: m.sd,
        attachment: Share::of_trials(&annual.iter().map(|&x| x > 0.0).collect::<Vec<_>>(), w),
        exhaustion: None,
        reinstatement_premium: None,
        premium: None,
        rate_on_line: None,
        aep: PML_RETURN_PERIODS.map(|rp| aep.loss_at(rp)),
        oep: PML_RETURN_PERIODS.map(|rp| oep.loss_at(rp)),
        tvar995: aep.tvar(PORTFOLIO_TVAR_LEVEL),
    };
    (row, s.ept)
}
