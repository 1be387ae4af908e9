//! `shard.bin`: a shard's simulated state, exactly (every number as its
//! IEEE-754 bits, little-endian: [`super::codec`]), so that the merged run
//! is bit for bit the single one. Layout, in order: the magic line
//! `fateshare shard state 4\n`, then a kind byte:
//!
//! - 1, **streamed** (a run that streams: no policies, `--ord` or
//!   `--events`): what [`crate::streaming`] accumulated over the shard's
//!   trials ([`Accumulated`]): the trial count, per architecture the exact
//!   moments, outage-count sums, SLA count and quantile values (the values while at most the
//!   exact limit, else the histogram's counts), then a 0/1 byte and with 1
//!   every pair's exact cross sums, then the outage-length tallies. Its size does
//!   not grow with the trials past the exact limit; the per-trial table is
//!   a separate file, written as the trials stream past.
//! - 0, **kept**: every trial's outcome, the outage records, the
//!   outage-length tallies (one per architecture), then a 0/1 byte and,
//!   with 1, the payout table (what EP curves, ORD tables and treaties need
//!   per period and event).
//!
//! Each list is its length (u64) then its items, field by field in
//! declaration order. Nothing may follow the last item. Older versions (2:
//! every outcome kept, no kind byte; 3: availability summed per trial) are
//! refused with a message to run the shard again.

pub use super::accumulated::Accumulated;
use super::accumulated::{accumulated, read_accumulated};
use super::codec::{Bad, In, Out};
use super::Part;
use crate::engine::OutageRecord;
use crate::evaluate::Outcome;
use crate::insurance::payout::{GulEvent, PaidEvent, PayoutTable, PolicyYear, PortfolioEvent};

const MAGIC: &[u8] = b"fateshare shard state 4\n";
/// The magic line of every version: what precedes the version number.
const MAGIC_STEM: &[u8] = b"fateshare shard state ";

/// A shard's state: accumulated as the trials streamed past, or every trial kept.
#[derive(Debug, Clone)]
pub enum State {
    Kept(Part),
    Streamed(Accumulated),
}

/// Encodes a shard's state.
pub fn encode(state: &State) -> Vec<u8> {
    let mut o = Out(MAGIC.to_vec());
    match state {
        State::Kept(p) => {
            o.0.push(0);
            kept(&mut o, p);
        }
        State::Streamed(a) => {
            o.0.push(1);
            accumulated(&mut o, a);
        }
    }
    o.0
}

/// Encodes a part whose every trial was kept.
fn kept(o: &mut Out, part: &Part) {
    o.list(&part.outcomes, |o, x| {
        o.f64(x.downtime_hours);
        o.u32(x.outages);
        o.f64(x.longest_outage_hours);
        o.f64(x.loss);
        o.f64(x.largest_outage_loss);
        o.f64(x.unserved_hours);
        o.f64(x.degraded_hours);
    });
    o.list(&part.outages, |o, x| {
        o.u64(x.trial);
        o.u32(x.architecture);
        o.f64(x.start_hours);
        o.f64(x.duration_hours);
        o.f64(x.loss);
    });
    o.list(&part.outage_lengths, |o, t| o.tally(t));
    o.flag(part.payouts.is_some());
    if let Some(t) = &part.payouts {
        o.u64(t.policies as u64);
        o.u64(t.portfolios as u64);
        o.list(&t.exposure, |o, &v| o.f64(v));
        o.list(&t.years, |o, y| {
            o.f64(y.payout);
            o.f64(y.max_event);
            o.u32(y.events_paid);
            o.flag(y.exhausted);
            o.u32(y.no_need_outages);
            o.u32(y.no_need_paid);
        });
        o.list(&t.portfolio_max, |o, &v| o.f64(v));
        o.list(&t.book_max, |o, &v| o.f64(v));
        o.list(&t.events, |o, e| {
            o.u64(e.trial);
            o.u32(e.policy);
            o.f64(e.start_hours);
            o.f64(e.duration_hours);
            o.f64(e.payout);
            o.u64(e.event_id);
        });
        o.list(&t.portfolio_events, |o, e| {
            o.u64(e.trial);
            o.u32(e.portfolio);
            o.f64(e.start_hours);
            o.f64(e.duration_hours);
            o.f64(e.payout);
            o.f64(e.exposure);
            o.u32(e.policies);
            o.u64(e.event_id);
        });
        o.list(&t.gul_events, |o, e| {
            o.u64(e.trial);
            o.u32(e.architecture);
            o.f64(e.start_hours);
            o.f64(e.duration_hours);
            o.f64(e.loss);
            o.u64(e.event_id);
        });
        o.u64(t.events_numbered);
    }
}

/// Decodes a shard's state; the error says what is wrong with the bytes.
pub fn decode(bytes: &[u8]) -> Result<State, Bad> {
    if !bytes.starts_with(MAGIC) {
        if let Some(rest) = bytes.strip_prefix(MAGIC_STEM) {
            let line = rest.split(|&b| b == b'\n').next().unwrap_or_default();
            let version = String::from_utf8_lossy(&line[..line.len().min(20)]).into_owned();
            return Err(format!(
                "is shard state version {} (written by another fateshare version), not 4: \
                 run the shard again with this version",
                crate::text::escape(&version)
            ));
        }
        return Err("does not start with `fateshare shard state 4`".into());
    }
    let mut i = In {
        bytes,
        at: MAGIC.len(),
    };
    let state = match i.kind(2)? {
        0 => State::Kept(read_kept(&mut i)?),
        _ => State::Streamed(read_accumulated(&mut i)?),
    };
    if i.at != bytes.len() {
        return Err(format!(
            "has {} bytes after its end (byte {})",
            bytes.len() - i.at,
            i.at
        ));
    }
    Ok(state)
}

fn read_kept(i: &mut In) -> Result<Part, Bad> {
    let outcomes = i.list(52, |i| {
        Ok(Outcome {
            downtime_hours: i.f64()?,
            outages: i.u32()?,
            longest_outage_hours: i.f64()?,
            loss: i.f64()?,
            largest_outage_loss: i.f64()?,
            unserved_hours: i.f64()?,
            degraded_hours: i.f64()?,
        })
    })?;
    let outages = i.list(36, |i| {
        Ok(OutageRecord {
            trial: i.u64()?,
            architecture: i.u32()?,
            start_hours: i.f64()?,
            duration_hours: i.f64()?,
            loss: i.f64()?,
        })
    })?;
    let outage_lengths = i.list(16, In::tally)?;
    let payouts = if i.flag()? {
        let policies = i.u64()? as usize;
        let portfolios = i.u64()? as usize;
        Some(PayoutTable {
            policies,
            portfolios,
            exposure: i.list(8, In::f64)?,
            years: i.list(29, |i| {
                Ok(PolicyYear {
                    payout: i.f64()?,
                    max_event: i.f64()?,
                    events_paid: i.u32()?,
                    exhausted: i.flag()?,
                    no_need_outages: i.u32()?,
                    no_need_paid: i.u32()?,
                })
            })?,
            portfolio_max: i.list(8, In::f64)?,
            book_max: i.list(8, In::f64)?,
            events: i.list(44, |i| {
                Ok(PaidEvent {
                    trial: i.u64()?,
                    policy: i.u32()?,
                    start_hours: i.f64()?,
                    duration_hours: i.f64()?,
                    payout: i.f64()?,
                    event_id: i.u64()?,
                })
            })?,
            portfolio_events: i.list(56, |i| {
                Ok(PortfolioEvent {
                    trial: i.u64()?,
                    portfolio: i.u32()?,
                    start_hours: i.f64()?,
                    duration_hours: i.f64()?,
                    payout: i.f64()?,
                    exposure: i.f64()?,
                    policies: i.u32()?,
                    event_id: i.u64()?,
                })
            })?,
            gul_events: i.list(44, |i| {
                Ok(GulEvent {
                    trial: i.u64()?,
                    architecture: i.u32()?,
                    start_hours: i.f64()?,
                    duration_hours: i.f64()?,
                    loss: i.f64()?,
                    event_id: i.u64()?,
                })
            })?,
            events_numbered: i.u64()?,
        })
    } else {
        None
    };
    Ok(Part {
        outcomes,
        outages,
        outage_lengths,
        payouts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sketch::Tally;
    use crate::stats::digest::CrossState;
    use crate::stats::stream::ArchState;

    fn sample() -> Part {
        let o = Outcome {
            downtime_hours: 1.25,
            outages: 3,
            longest_outage_hours: 0.1 + 0.2,
            loss: 1e300,
            largest_outage_loss: f64::MIN_POSITIVE,
            unserved_hours: 5e-324,
            degraded_hours: 7.0,
        };
        Part {
            outcomes: vec![o, Outcome::default()],
            outages: vec![OutageRecord {
                trial: u64::MAX,
                architecture: 2,
                start_hours: 3.5,
                duration_hours: 1.0 / 3.0,
                loss: 9.0,
            }],
            outage_lengths: vec![
                Tally {
                    values: vec![0.0, 1.5],
                    counts: vec![2, 9],
                },
                Tally::default(),
            ],
            payouts: Some(PayoutTable {
                policies: 1,
                portfolios: 1,
                exposure: vec![100.0],
                years: vec![PolicyYear {
                    payout: 2.5,
                    max_event: 2.0,
                    events_paid: 2,
                    exhausted: true,
                    no_need_outages: 1,
                    no_need_paid: 1,
                }],
                portfolio_max: vec![2.0],
                events: vec![PaidEvent {
                    trial: 4,
                    policy: 0,
                    start_hours: 1.0,
                    duration_hours: 2.0,
                    payout: 2.0,
                    event_id: 1,
                }],
                portfolio_events: vec![PortfolioEvent {
                    trial: 4,
                    portfolio: 0,
                    start_hours: 1.0,
                    duration_hours: 2.0,
                    payout: 2.0,
                    exposure: 100.0,
                    policies: 1,
                    event_id: 1,
                }],
                book_max: vec![2.0],
                gul_events: vec![GulEvent {
                    trial: 4,
                    architecture: 1,
                    start_hours: 1.0,
                    duration_hours: 2.0,
                    loss: 7.5,
                    event_id: 1,
                }],
                events_numbered: 1,
            }),
        }
    }

    fn accumulated() -> Accumulated {
        use crate::exact::{ExactMoments, ExactSum};
        use crate::stats::stream::QuantilesState;
        let mut m = ExactMoments::default();
        [1.5, 1e-300, 0.1, 7e200].iter().for_each(|&x| m.add(x));
        let mut sum = ExactSum::default();
        sum.add_product(0.1, 0.3);
        sum.add(-5.0);
        let mut hist = crate::sketch::LogHistogram::default();
        [0.0, 0.0, 2.5, 1e-9, 3e6].iter().for_each(|&x| hist.add(x));
        let arch = ArchState {
            moments: std::array::from_fn(|_| m.clone()),
            outages: (9, 41),
            sla_met: 3,
            quantiles: [
                QuantilesState::Kept(vec![0.5, 0.0, f64::MIN_POSITIVE]),
                QuantilesState::Counts(hist.tally()),
                QuantilesState::Kept(Vec::new()),
            ],
        };
        Accumulated {
            trials: 4,
            archs: vec![arch.clone(), arch],
            pairs: Some((
                4,
                vec![CrossState {
                    down: sum.clone(),
                    loss: sum,
                    outages: -3,
                    missed: 1,
                }],
            )),
            outage_lengths: vec![hist.tally(), Tally::default()],
        }
    }

    #[test]
    fn round_trips_bit_for_bit() {
        let p = sample();
        let bytes = encode(&State::Kept(p.clone()));
        let State::Kept(back) = decode(&bytes).unwrap() else {
            panic!("a kept part reads back as kept")
        };
        // Re-encoding what was read gives the same bytes: every bit came back.
        assert_eq!(encode(&State::Kept(back.clone())), bytes);
        assert_eq!(back.outcomes, p.outcomes);
        assert_eq!(back.outages, p.outages);
        assert_eq!(back.outage_lengths, p.outage_lengths);
        let plain = State::Kept(Part {
            payouts: None,
            ..sample()
        });
        assert_eq!(encode(&decode(&encode(&plain)).unwrap()), encode(&plain));
        let a = accumulated();
        let bytes = encode(&State::Streamed(a.clone()));
        let State::Streamed(back) = decode(&bytes).unwrap() else {
            panic!("a streamed part reads back as streamed")
        };
        // (Exact sums compare by their digits as accumulated: compare the encodings.)
        assert_eq!(back.archs[0].quantiles, a.archs[0].quantiles);
        assert_eq!(back.outage_lengths, a.outage_lengths);
        assert_eq!(encode(&State::Streamed(back)), bytes);
    }

    #[test]
    fn damaged_bytes_are_refused_not_panicked_on() {
        for state in [State::Kept(sample()), State::Streamed(accumulated())] {
            let bytes = encode(&state);
            for cut in [0, 10, MAGIC.len() + 3, bytes.len() / 2, bytes.len() - 1] {
                assert!(decode(&bytes[..cut]).is_err(), "cut at {cut}");
            }
            let mut longer = bytes.clone();
            longer.push(0);
            assert!(decode(&longer).unwrap_err().contains("after its end"));
        }
        // A huge list length is refused before anything is allocated.
        let mut huge = MAGIC.to_vec();
        huge.push(0);
        huge.extend_from_slice(&u64::MAX.to_le_bytes());
        assert!(decode(&huge).unwrap_err().contains("does not fit"));
        // An exact sum's digit out of range (it could overflow later additions).
        let bytes = encode(&State::Streamed(accumulated()));
        let first_digit = MAGIC.len() + 1 + 8 + 8 + 8;
        let mut bad = bytes.clone();
        bad[first_digit..first_digit + 16].copy_from_slice(&(1i128 << 70).to_le_bytes());
        assert!(
            decode(&bad).unwrap_err().contains("out of range"),
            "{:?}",
            decode(&bad).err()
        );
        // An unknown kind.
        let mut bad = bytes;
        bad[MAGIC.len()] = 7;
        assert!(decode(&bad).unwrap_err().contains("not a kind"));
    }

    #[test]
    fn an_older_version_is_named_with_the_fix() {
        let mut old = b"fateshare shard state 2\n".to_vec();
        old.extend_from_slice(&0u64.to_le_bytes());
        let e = decode(&old).unwrap_err();
        assert!(
            e.contains("version 2") && e.contains("run the shard again"),
            "{e}"
        );
    }
}
