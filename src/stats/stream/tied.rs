//! A series that repeats another one trial for trial, or is zero, until it
//! does not: unserved time is down time, and degraded hours are zero, in
//! every trial of a scenario without partial outages (and in most trials of
//! one with them). While a series keeps to that, nothing is summed for it:
//! one comparison a trial instead of two exact sums. The first trial that
//! departs starts its own moments from the base series' moments so far (or
//! from zero sums over as many trials), so its sums are exactly those of
//! adding every value, whichever trials depart and however the trials are
//! grouped and merged.

use crate::exact::{ExactMoments, ExactSum};

/// What a [`Tied`] series equals while it has no moments of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Tie {
    /// The base series' value, bit for bit.
    Base,
    /// Zero.
    Zero,
}

/// The exact moments of a series tied to a base series ([`Tie`]).
#[derive(Debug, Clone)]
pub(super) struct Tied {
    tie: Tie,
    /// `None` while every value so far kept to the tie.
    own: Option<ExactMoments>,
}

impl Tied {
    pub(super) fn new(tie: Tie) -> Self {
        Tied { tie, own: None }
    }

    /// A series with moments of its own (a shard's state).
    pub(super) fn with(tie: Tie, own: ExactMoments) -> Self {
        Tied {
            tie,
            own: Some(own),
        }
    }

    /// Adds `x`, this trial's value, where the base series' value is `b`
    /// and `base` its moments before this trial: call before adding `b` to `base`.
    #[inline]
    pub(super) fn add(&mut self, x: f64, b: f64, base: &ExactMoments) {
        if let Some(own) = &mut self.own {
            own.add(x);
            return;
        }
        // A zero adds nothing to either sum, whatever its sign.
        let keeps = match self.tie {
            Tie::Base => x.to_bits() == b.to_bits(),
            Tie::Zero => x == 0.0,
        };
        if !keeps {
            self.depart(x, base);
        }
    }

    #[cold]
    #[inline(never)]
    fn depart(&mut self, x: f64, base: &ExactMoments) {
        let mut own = tied(self.tie, base);
        own.add(x);
        self.own = Some(own);
    }

    /// Adds every trial of `other`; `base` and `other_base` are the two
    /// base series' moments before they are merged: call before merging them.
    pub(super) fn merge(&mut self, other: &Tied, base: &ExactMoments, other_base: &ExactMoments) {
        let tie = self.tie;
        match (&mut self.own, &other.own) {
            (None, None) => {}
            (Some(own), None) => own.merge(&tied(other.tie, other_base)),
            (own, Some(theirs)) => own.get_or_insert_with(|| tied(tie, base)).merge(theirs),
        }
    }

    /// This series' moments, given the base series' over the same trials.
    pub(super) fn moments(&self, base: &ExactMoments) -> ExactMoments {
        self.own.clone().unwrap_or_else(|| tied(self.tie, base))
    }
}

/// What a series' moments are while it keeps to its tie, given the base
/// series' moments over the same trials.
fn tied(tie: Tie, base: &ExactMoments) -> ExactMoments {
    match tie {
        Tie::Base => base.clone(),
        Tie::Zero => ExactMoments::from_sums(base.n, ExactSum::default(), ExactSum::default()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sums, squares and count as plain data, carries propagated.
    fn exact(m: &ExactMoments) -> (u64, crate::exact::SumState, crate::exact::SumState) {
        (m.n, m.sum().state(), m.squares().state())
    }

    /// A tied series' moments equal those of adding every one of its
    /// values, bit for bit: for either tie, whether it never departs,
    /// departs at the first trial, in the middle or only in a later part,
    /// and however the trials are cut into parts and the parts merged.
    #[test]
    fn tied_series_sum_exactly_the_values_given() {
        let base: Vec<f64> = (0..600u64)
            .map(|i| {
                if i % 7 == 0 {
                    0.0
                } else {
                    ((i * 2_654_435_761) % 1_000_003) as f64 * 1e-3
                }
            })
            .collect();
        for tie in [Tie::Base, Tie::Zero] {
            for departs in [None, Some(0), Some(1), Some(299), Some(598)] {
                let x: Vec<f64> = (0..base.len())
                    .map(|i| {
                        let kept = match tie {
                            Tie::Base => base[i],
                            Tie::Zero => 0.0,
                        };
                        match departs {
                            Some(d) if i >= d && i % 3 != 1 => base[i] * 0.5 + 1.0,
                            _ => kept,
                        }
                    })
                    .collect();
                let mut want = ExactMoments::default();
                x.iter().for_each(|&v| want.add(v));
                for cuts in [vec![], vec![256], vec![1, 300, 599], vec![100, 200, 450]] {
                    let mut bounds = vec![0];
                    bounds.extend(&cuts);
                    bounds.push(base.len());
                    let parts: Vec<(Tied, ExactMoments)> = bounds
                        .windows(2)
                        .map(|w| {
                            let (mut t, mut b) = (Tied::new(tie), ExactMoments::default());
                            for i in w[0]..w[1] {
                                t.add(x[i], base[i], &b);
                                b.add(base[i]);
                            }
                            (t, b)
                        })
                        .collect();
                    for reverse in [false, true] {
                        let mut order: Vec<&(Tied, ExactMoments)> = parts.iter().collect();
                        if reverse {
                            order.reverse();
                        }
                        let (mut t, mut b) = (Tied::new(tie), ExactMoments::default());
                        for (pt, pb) in order {
                            t.merge(pt, &b, pb);
                            b.merge(pb);
                        }
                        assert_eq!(
                            exact(&t.moments(&b)),
                            exact(&want),
                            "{tie:?}, departs {departs:?}, cuts {cuts:?}, reverse {reverse}"
                        );
                    }
                }
            }
        }
    }
}
