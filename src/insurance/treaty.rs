//! Reinsurance treaties applied to the policies' paid events, one period at a
//! time: the arithmetic of quota share, per-risk and catastrophe excess of
//! loss with aggregate terms and reinstatements. Treaties inure in file order:
//! each applies to what the policies retain after the treaties before it.
//! An event, for a treaty, is a maximal chain of overlapping paid outages of
//! the policies it covers (the same join as a portfolio event); a per-risk
//! layer applies to each policy's payout of an event, a catastrophe layer to
//! their sum. Ceded amounts are allocated back to the paid outages (pro rata of
//! what they retained, for a catastrophe layer), so every paid outage has a
//! ceded and a net part that add up to its payout. Formulas: docs/insurance.md
//! § Treaties; figures from the results: [`super::treaties`].

use crate::model::{Treaty, TreatyKind};

/// The layer `min(max(x − attachment, 0), limit)`.
#[inline]
pub fn layer(x: f64, attachment: f64, limit: f64) -> f64 {
    (x - attachment).max(0.0).min(limit)
}

/// One paid outage of one policy in a period, as the treaties see it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Piece {
    pub policy: u32,
    pub start: f64,
    pub end: f64,
    /// The policy's payout (after its own annual limit).
    pub gross: f64,
    /// What the policy retains after the treaties applied so far.
    pub net: f64,
}

impl Piece {
    pub fn new(policy: u32, start: f64, end: f64, gross: f64) -> Self {
        Piece {
            policy,
            start,
            end,
            gross,
            net: gross,
        }
    }
}

/// One treaty in one period.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct TreatyYear {
    /// What the covered policies retained before the treaty (its subject loss).
    pub subject: f64,
    /// Ceded in the period (the reinsurer's annual loss).
    pub ceded: f64,
    /// The largest ceded amount of one event.
    pub max_event: f64,
    /// Limit reinstated: `min(ceded, reinstatements × limit)`.
    pub reinstated: f64,
    /// The aggregate limit was used up.
    pub exhausted: bool,
}

/// What is left of the aggregate deductible and limit in a period.
#[derive(Debug, Clone, Copy)]
struct Aggregate {
    deductible: f64,
    limit: f64,
}

impl Aggregate {
    /// Passes `x` through the aggregate deductible, then what is left of the limit.
    fn take(&mut self, x: f64) -> f64 {
        let d = x.min(self.deductible);
        self.deductible -= d;
        let y = (x - d).min(self.limit);
        self.limit -= y;
        y
    }
}

/// Chains of overlapping pieces among `idx` (already in start order): index ranges into `idx`.
fn clusters(pieces: &[Piece], idx: &[usize]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < idx.len() {
        let mut end = pieces[idx[i]].end;
        let mut j = i + 1;
        while j < idx.len() && pieces[idx[j]].start <= end {
            end = end.max(pieces[idx[j]].end);
            j += 1;
        }
        out.push((i, j));
        i = j;
    }
    out
}

/// The pieces' order: by start, then policy.
pub fn start_order(pieces: &[Piece]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..pieces.len()).collect();
    order.sort_by(|&a, &b| {
        pieces[a]
            .start
            .total_cmp(&pieces[b].start)
            .then(pieces[a].policy.cmp(&pieces[b].policy))
    });
    order
}

/// Applies one treaty to a period's pieces (in place: their `net` falls by
/// what is ceded) and returns its period. `covers[p]` says whether it covers
/// policy p; `order` is [`start_order`].
pub fn apply(t: &Treaty, covers: &[bool], pieces: &mut [Piece], order: &[usize]) -> TreatyYear {
    let idx: Vec<usize> = order
        .iter()
        .copied()
        .filter(|&i| covers[pieces[i].policy as usize])
        .collect();
    let mut agg = Aggregate {
        deductible: t.aggregate_deductible,
        limit: t.aggregate_limit,
    };
    let mut year = TreatyYear::default();
    let mut ceded_now = vec![0.0; idx.len()];
    for (a, b) in clusters(pieces, &idx) {
        let subject: f64 = idx[a..b].iter().map(|&i| pieces[i].net).sum();
        year.subject += subject;
        let cluster = match t.kind {
            TreatyKind::QuotaShare { cession } => {
                for k in a..b {
                    ceded_now[k] = agg.take(cession * pieces[idx[k]].net);
                }
                ceded_now[a..b].iter().sum()
            }
            TreatyKind::PerRisk => {
                for k in a..b {
                    let x = layer(pieces[idx[k]].net, t.attachment, t.limit);
                    ceded_now[k] = agg.take(x);
                }
                ceded_now[a..b].iter().sum()
            }
            TreatyKind::Catastrophe => {
                let x = agg.take(layer(subject, t.attachment, t.limit));
                if subject > 0.0 {
                    for k in a..b {
                        ceded_now[k] = x * (pieces[idx[k]].net / subject);
                    }
                }
                x
            }
        };
        for k in a..b {
            let p = &mut pieces[idx[k]];
            p.net = (p.net - ceded_now[k]).max(0.0);
        }
        year.ceded += cluster;
        year.max_event = year.max_event.max(cluster);
    }
    year.exhausted = t.aggregate_limit.is_finite() && year.ceded > 0.0 && agg.limit <= 0.0;
    if t.reinstatements > 0 {
        year.reinstated = year.ceded.min(f64::from(t.reinstatements) * t.limit);
    }
    year
}

/// Which policies each treaty covers, as flags: `[treaty][policy]`.
pub fn cover_flags(treaties: &[Treaty], policies: usize) -> Vec<Vec<bool>> {
    treaties
        .iter()
        .map(|t| {
            let mut v = vec![false; policies];
            for &p in &t.policies {
                v[p] = true;
            }
            v
        })
        .collect()
}

/// Applies every treaty in inuring order to one period's pieces.
pub fn apply_all(
    treaties: &[Treaty],
    covers: &[Vec<bool>],
    pieces: &mut [Piece],
) -> Vec<TreatyYear> {
    let order = start_order(pieces);
    treaties
        .iter()
        .zip(covers)
        .map(|(t, c)| apply(t, c, pieces, &order))
        .collect()
}

/// The largest sum of `f` over one chain of overlapping pieces (all policies):
/// the period's occurrence loss of the book.
pub fn max_event(pieces: &[Piece], order: &[usize], f: impl Fn(&Piece) -> f64) -> f64 {
    clusters(pieces, order)
        .into_iter()
        .map(|(a, b)| order[a..b].iter().map(|&i| f(&pieces[i])).sum::<f64>())
        .fold(0.0, f64::max)
}

/// The treaties' effect on one forced event: each policy's payout given as
/// `(policy, payout)`, all at once (one event, aggregates untouched).
/// Returns the ceded amount of each treaty and the book's net loss. For
/// realistic disaster scenarios.
pub fn one_event(
    treaties: &[Treaty],
    policies: usize,
    payouts: &[(usize, f64)],
) -> (Vec<f64>, f64) {
    let covers = cover_flags(treaties, policies);
    let mut pieces: Vec<Piece> = payouts
        .iter()
        .map(|&(p, x)| Piece::new(p as u32, 0.0, 1.0, x))
        .collect();
    let years = apply_all(treaties, &covers, &mut pieces);
    (
        years.iter().map(|y| y.ceded).collect(),
        pieces.iter().map(|p| p.net).sum(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn xl(kind: TreatyKind, a: f64, l: f64, n: u32, policies: Vec<usize>) -> Treaty {
        Treaty {
            id: "t".into(),
            description: None,
            kind,
            policies,
            attachment: a,
            limit: l,
            aggregate_deductible: 0.0,
            aggregate_limit: (1.0 + f64::from(n)) * l,
            reinstatements: n,
            reinstatement_rate: 1.0,
            loading: 0.0,
        }
    }

    #[test]
    fn layer_terms() {
        assert_eq!(layer(50.0, 100.0, 200.0), 0.0);
        assert_eq!(layer(150.0, 100.0, 200.0), 50.0);
        assert_eq!(layer(500.0, 100.0, 200.0), 200.0);
    }

    #[test]
    fn cat_layer_on_overlapping_payouts_with_one_reinstatement() {
        // Two policies paying 80 and 70 in overlapping outages: one event of 150.
        // 100 xs 50 with one reinstatement: aggregate limit 200.
        let t = xl(TreatyKind::Catastrophe, 50.0, 100.0, 1, vec![0, 1]);
        let mut p = vec![
            Piece::new(0, 0.0, 10.0, 80.0),
            Piece::new(1, 5.0, 12.0, 70.0),
            Piece::new(0, 100.0, 110.0, 300.0),
            Piece::new(1, 500.0, 510.0, 300.0),
        ];
        let y = apply_all(
            &[t],
            &cover_flags(
                &[xl(TreatyKind::Catastrophe, 50.0, 100.0, 1, vec![0, 1])],
                2,
            ),
            &mut p,
        )[0];
        // Events: 150 → 100; 300 → 100 (limit reached: 200 used); 300 → 0.
        assert_eq!(y.ceded, 200.0);
        assert_eq!(y.max_event, 100.0);
        assert!(y.exhausted);
        assert_eq!(y.reinstated, 100.0);
        assert_eq!(y.subject, 750.0);
        // Allocated pro rata: 80/150 and 70/150 of 100.
        assert!((p[0].net - (80.0 - 100.0 * 80.0 / 150.0)).abs() < 1e-12);
        assert!((p[1].net - (70.0 - 100.0 * 70.0 / 150.0)).abs() < 1e-12);
        assert_eq!(p[2].net, 200.0);
        assert_eq!(p[3].net, 300.0);
    }

    #[test]
    fn per_risk_layer_and_quota_share_inure_in_order() {
        let qs = Treaty {
            kind: TreatyKind::QuotaShare { cession: 0.5 },
            ..xl(TreatyKind::PerRisk, 0.0, f64::INFINITY, 0, vec![0, 1])
        };
        let pr = xl(TreatyKind::PerRisk, 10.0, 20.0, 0, vec![0]);
        let treaties = [qs, pr];
        let mut p = vec![
            Piece::new(0, 0.0, 10.0, 80.0),
            Piece::new(1, 5.0, 12.0, 70.0),
        ];
        let y = apply_all(&treaties, &cover_flags(&treaties, 2), &mut p);
        assert_eq!(y[0].ceded, 75.0);
        // Policy 0 retains 40 after the quota share; 20 xs 10 cedes 20 of it.
        assert_eq!(y[1].subject, 40.0);
        assert_eq!(y[1].ceded, 20.0);
        assert!(y[1].exhausted);
        assert_eq!(p[0].net, 20.0);
        assert_eq!(p[1].net, 35.0);
        let (ceded, net) = one_event(&treaties, 2, &[(0, 80.0), (1, 70.0)]);
        assert_eq!(ceded, vec![75.0, 20.0]);
        assert_eq!(net, 55.0);
    }

    #[test]
    fn aggregate_deductible_then_limit() {
        let mut t = xl(TreatyKind::Catastrophe, 0.0, f64::INFINITY, 0, vec![0]);
        t.aggregate_deductible = 100.0;
        t.aggregate_limit = 50.0;
        let mut p = vec![
            Piece::new(0, 0.0, 1.0, 60.0),
            Piece::new(0, 2.0, 3.0, 60.0),
            Piece::new(0, 4.0, 5.0, 60.0),
        ];
        let y = apply_all(&[t.clone()], &cover_flags(&[t], 1), &mut p)[0];
        // 180 in the period: 100 retained by the deductible, then 50 of 80.
        assert_eq!(y.ceded, 50.0);
        assert!(y.exhausted);
        assert_eq!(p.iter().map(|p| p.net).sum::<f64>(), 130.0);
    }
}
