//! Reinsurance treaties applied to the policies' paid events, one period at a
//! time: the arithmetic of quota share, per-risk and catastrophe excess of
//! loss with aggregate terms and reinstatements. Treaties inure in file order:
//! each applies to what the policies retain after the treaties before it.
//! An event, for a treaty, is the treaty definition of docs/insurance.md §13:
//! one occurrence of a shared cause (or of one insured's own outage), grouped
//! by the `[book] hours_clause`: the EventId every paid outage carries
//! ([`super::events`]). Events are taken in EventId order (their start order),
//! which is the order the aggregate terms and reinstatements are used up in.
//! A per-risk layer applies to each policy's payout of an event (its paid
//! outages in the event summed), a catastrophe layer to the sum over the
//! policies it covers. Ceded amounts are allocated back to the paid outages
//! (pro rata of what they retained), so every paid outage has a ceded and a
//! net part that add up to its payout. Formulas: docs/insurance.md §17;
//! figures from the results: [`super::treaties`].

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
    /// The event it belongs to (its EventId: the same in gul, il and ri rows).
    pub event: u64,
    pub start: f64,
    pub end: f64,
    /// The policy's payout (after its own annual limit).
    pub gross: f64,
    /// What the policy retains after the treaties applied so far.
    pub net: f64,
}

impl Piece {
    pub fn new(policy: u32, event: u64, start: f64, end: f64, gross: f64) -> Self {
        Piece {
            policy,
            event,
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

/// Runs of equal `key` among `idx`: index ranges into `idx`.
fn runs(idx: &[usize], key: impl Fn(usize) -> u64) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < idx.len() {
        let k = key(idx[i]);
        let mut j = i + 1;
        while j < idx.len() && key(idx[j]) == k {
            j += 1;
        }
        out.push((i, j));
        i = j;
    }
    out
}

/// The pieces' order: by event (EventId), then policy, then start.
pub fn event_order(pieces: &[Piece]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..pieces.len()).collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (&pieces[a], &pieces[b]);
        x.event
            .cmp(&y.event)
            .then(x.policy.cmp(&y.policy))
            .then(x.start.total_cmp(&y.start))
    });
    order
}

/// Cedes `x` of the pieces `idx[a..b]` pro rata of what they retain.
fn allocate(pieces: &[Piece], idx: &[usize], ceded: &mut [f64], x: f64) {
    let subject: f64 = idx.iter().map(|&i| pieces[i].net).sum();
    if subject > 0.0 {
        for (k, &i) in idx.iter().enumerate() {
            ceded[k] = x * (pieces[i].net / subject);
        }
    }
}

/// Applies one treaty to a period's pieces (in place: their `net` falls by
/// what is ceded) and returns its period. `covers[p]` says whether it covers
/// policy p; `order` is [`event_order`].
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
    for (a, b) in runs(&idx, |i| pieces[i].event) {
        let subject: f64 = idx[a..b].iter().map(|&i| pieces[i].net).sum();
        year.subject += subject;
        let event = match t.kind {
            TreatyKind::QuotaShare { cession } => {
                for k in a..b {
                    ceded_now[k] = agg.take(cession * pieces[idx[k]].net);
                }
                ceded_now[a..b].iter().sum()
            }
            TreatyKind::PerRisk => {
                // Each policy's payout of the event: its pieces, contiguous in `order`.
                let mut sum = 0.0;
                for (c, d) in runs(&idx[a..b], |i| u64::from(pieces[i].policy)) {
                    let risk = &idx[a + c..a + d];
                    let own: f64 = risk.iter().map(|&i| pieces[i].net).sum();
                    let x = agg.take(layer(own, t.attachment, t.limit));
                    allocate(pieces, risk, &mut ceded_now[a + c..a + d], x);
                    sum += x;
                }
                sum
            }
            TreatyKind::Catastrophe => {
                let x = agg.take(layer(subject, t.attachment, t.limit));
                allocate(pieces, &idx[a..b], &mut ceded_now[a..b], x);
                x
            }
        };
        for k in a..b {
            let p = &mut pieces[idx[k]];
            p.net = (p.net - ceded_now[k]).max(0.0);
        }
        year.ceded += event;
        year.max_event = year.max_event.max(event);
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
    let order = event_order(pieces);
    treaties
        .iter()
        .zip(covers)
        .map(|(t, c)| apply(t, c, pieces, &order))
        .collect()
}

/// The largest sum of `f` over one event's pieces (all policies): the
/// period's occurrence loss of the book. `order` is [`event_order`].
pub fn max_event(pieces: &[Piece], order: &[usize], f: impl Fn(&Piece) -> f64) -> f64 {
    runs(order, |i| pieces[i].event)
        .into_iter()
        .map(|(a, b)| order[a..b].iter().map(|&i| f(&pieces[i])).sum::<f64>())
        .fold(0.0, f64::max)
}

/// The treaties' effect on one forced event: each policy's payout given as
/// `(policy, payout)`, all in one event (aggregates untouched). Returns the
/// ceded amount of each treaty and what each payout retains (same order as
/// `payouts`; the book's net loss is their sum). For realistic disaster
/// scenarios ([`super::rds`]).
pub fn one_event(
    treaties: &[Treaty],
    policies: usize,
    payouts: &[(usize, f64)],
) -> (Vec<f64>, Vec<f64>) {
    let covers = cover_flags(treaties, policies);
    let mut pieces: Vec<Piece> = payouts
        .iter()
        .map(|&(p, x)| Piece::new(p as u32, 1, 0.0, 1.0, x))
        .collect();
    let years = apply_all(treaties, &covers, &mut pieces);
    (
        years.iter().map(|y| y.ceded).collect(),
        pieces.iter().map(|p| p.net).collect(),
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
        // Two policies paying 80 and 70 in one event: 150.
        // 100 xs 50 with one reinstatement: aggregate limit 200.
        let t = xl(TreatyKind::Catastrophe, 50.0, 100.0, 1, vec![0, 1]);
        let mut p = vec![
            Piece::new(0, 1, 0.0, 10.0, 80.0),
            Piece::new(1, 1, 5.0, 12.0, 70.0),
            Piece::new(0, 2, 100.0, 110.0, 300.0),
            Piece::new(1, 3, 500.0, 510.0, 300.0),
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
            Piece::new(0, 1, 0.0, 10.0, 80.0),
            Piece::new(1, 1, 5.0, 12.0, 70.0),
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
        assert_eq!(net, vec![20.0, 35.0]);
    }

    #[test]
    fn aggregate_deductible_then_limit() {
        let mut t = xl(TreatyKind::Catastrophe, 0.0, f64::INFINITY, 0, vec![0]);
        t.aggregate_deductible = 100.0;
        t.aggregate_limit = 50.0;
        let mut p = vec![
            Piece::new(0, 1, 0.0, 1.0, 60.0),
            Piece::new(0, 2, 2.0, 3.0, 60.0),
            Piece::new(0, 3, 4.0, 5.0, 60.0),
        ];
        let ts = [t];
        let y = apply_all(&ts, &cover_flags(&ts, 1), &mut p)[0];
        // 180 in the period: 100 retained by the deductible, then 50 of 80.
        assert_eq!(y.ceded, 50.0);
        assert!(y.exhausted);
        assert_eq!(p.iter().map(|p| p.net).sum::<f64>(), 130.0);
    }

    #[test]
    fn events_are_event_ids_not_overlaps() {
        // Overlapping outages of two different events: two cat events of 80
        // and 70, under 100 xs 50 ceding 30 and 20, not one of 150 ceding 100.
        let t = xl(TreatyKind::Catastrophe, 50.0, 100.0, 0, vec![0, 1]);
        let mut p = vec![
            Piece::new(0, 1, 0.0, 10.0, 80.0),
            Piece::new(1, 2, 5.0, 12.0, 70.0),
        ];
        let ts = [t.clone()];
        let y = apply_all(&ts, &cover_flags(&ts, 2), &mut p)[0];
        assert_eq!((y.ceded, y.max_event), (50.0, 30.0));
        assert_eq!((p[0].net, p[1].net), (50.0, 50.0));
        // Two outages far apart in one event (an hours clause): one event of 160.
        let mut p = vec![
            Piece::new(0, 4, 0.0, 1.0, 80.0),
            Piece::new(0, 4, 50.0, 51.0, 80.0),
        ];
        let ts = [t];
        let y = apply_all(&ts, &cover_flags(&ts, 2), &mut p)[0];
        assert_eq!((y.ceded, y.max_event), (100.0, 100.0));
        assert_eq!((p[0].net, p[1].net), (30.0, 30.0));
        let order = event_order(&p);
        assert_eq!(max_event(&p, &order, |p| p.gross), 160.0);
    }

    #[test]
    fn per_risk_layer_takes_a_policys_payout_of_the_event() {
        // Policy 0 pays 30 twice in event 1, 30 in event 2; 20 xs 25 per risk:
        // 60 → 20 (10 from each outage), 30 → 5 (one reinstatement: 40 a period).
        let t = xl(TreatyKind::PerRisk, 25.0, 20.0, 1, vec![0]);
        let mut p = vec![
            Piece::new(0, 1, 0.0, 1.0, 30.0),
            Piece::new(0, 1, 40.0, 41.0, 30.0),
            Piece::new(0, 2, 90.0, 91.0, 30.0),
        ];
        let ts = [t];
        let y = apply_all(&ts, &cover_flags(&ts, 1), &mut p)[0];
        assert_eq!((y.ceded, y.max_event), (25.0, 20.0));
        let nets: Vec<f64> = p.iter().map(|p| p.net).collect();
        assert_eq!(nets, vec![20.0, 20.0, 25.0]);
    }
}
