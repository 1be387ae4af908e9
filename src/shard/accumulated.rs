//! A streamed shard's state in `shard.bin` (kind 1, [`super::state`]): what
//! [`crate::streaming`] accumulated over the shard's trials, as plain data
//! ([`Accumulated`]), and its encoding: the trial count; per architecture
//! four exact moments, the outage counts' sums, the SLA count and three
//! quantile states (values kept, or the histogram's counts); a 0/1 byte and
//! with 1 the pairs' exact cross sums; the outage-length tallies.

use super::codec::{Bad, In, Out};
use crate::sketch::Tally;
use crate::stats::digest::CrossState;
use crate::stats::stream::ArchState;

/// What a streamed shard accumulated (plain data; [`crate::streaming::Streamed`]'s parts).
#[derive(Debug, Clone, PartialEq)]
pub struct Accumulated {
    pub trials: u64,
    pub archs: Vec<ArchState>,
    pub pairs: Option<(u64, Vec<CrossState>)>,
    pub outage_lengths: Vec<Tally>,
}

/// Encodes what a streamed shard accumulated.
pub(super) fn accumulated(o: &mut Out, a: &Accumulated) {
    o.u64(a.trials);
    o.list(&a.archs, |o, x| {
        x.moments.iter().for_each(|m| o.moments(m));
        o.i128(x.outages.0);
        o.i128(x.outages.1);
        o.u64(x.sla_met);
        x.quantiles.iter().for_each(|q| o.quantiles(q));
    });
    o.flag(a.pairs.is_some());
    if let Some((trials, crosses)) = &a.pairs {
        o.u64(*trials);
        o.list(crosses, |o, x| {
            o.sum(&x.down);
            o.sum(&x.loss);
            o.i128(x.outages);
            o.u64(x.missed);
        });
    }
    o.list(&a.outage_lengths, |o, t| o.tally(t));
}

/// Decodes what [`accumulated`] encoded.
pub(super) fn read_accumulated(i: &mut In) -> Result<Accumulated, Bad> {
    let trials = i.u64()?;
    let archs = i.list(4 * In::MOMENTS_SIZE + 32 + 8 + 3 * 9, |i| {
        let mut m = || i.moments();
        let moments = [m()?, m()?, m()?, m()?];
        let outages = (i.i128()?, i.i128()?);
        let sla_met = i.u64()?;
        let quantiles = [i.quantiles()?, i.quantiles()?, i.quantiles()?];
        Ok(ArchState {
            moments,
            outages,
            sla_met,
            quantiles,
        })
    })?;
    let pairs = if i.flag()? {
        let n = i.u64()?;
        let crosses = i.list(2 * In::SUM_SIZE + 24, |i| {
            Ok(CrossState {
                down: i.sum()?,
                loss: i.sum()?,
                outages: i.i128()?,
                missed: i.u64()?,
            })
        })?;
        Some((n, crosses))
    } else {
        None
    };
    let outage_lengths = i.list(16, In::tally)?;
    Ok(Accumulated {
        trials,
        archs,
        pairs,
        outage_lengths,
    })
}
