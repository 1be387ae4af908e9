//! `shard.bin`: a shard's simulated state, exactly (every number as its
//! IEEE-754 bits, little-endian), so that the merged run is bit for bit the
//! single one. Layout, in order: the magic line `fateshare shard state 2\n`;
//! outcomes, outage records, outage-length tallies (one per architecture),
//! then a 0/1 byte and, with 1, the payout table: each list is its length
//! (u64) then its items, field by field in declaration order (u64 / u32 /
//! f64 / a byte for a flag). Nothing may follow the last item.

use super::Part;
use crate::engine::OutageRecord;
use crate::evaluate::Outcome;
use crate::insurance::payout::{GulEvent, PaidEvent, PayoutTable, PolicyYear, PortfolioEvent};
use crate::sketch::Tally;

const MAGIC: &[u8] = b"fateshare shard state 2\n";

struct Out(Vec<u8>);

impl Out {
    fn u64(&mut self, x: u64) {
        self.0.extend_from_slice(&x.to_le_bytes());
    }
    fn u32(&mut self, x: u32) {
        self.0.extend_from_slice(&x.to_le_bytes());
    }
    fn f64(&mut self, x: f64) {
        self.u64(x.to_bits());
    }
    fn flag(&mut self, x: bool) {
        self.0.push(u8::from(x));
    }
    fn list<T>(&mut self, items: &[T], mut put: impl FnMut(&mut Self, &T)) {
        self.u64(items.len() as u64);
        for x in items {
            put(self, x);
        }
    }
}

/// Encodes a part.
pub fn encode(part: &Part) -> Vec<u8> {
    let mut o = Out(MAGIC.to_vec());
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
    o.list(&part.outage_lengths, |o, t| {
        o.list(&t.values, |o, &v| o.f64(v));
        o.list(&t.counts, |o, &c| o.u64(c));
    });
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
    o.0
}

struct In<'a> {
    bytes: &'a [u8],
    at: usize,
}

/// Why `shard.bin` could not be read: where, and what.
type Bad = String;

impl In<'_> {
    fn take<const N: usize>(&mut self) -> Result<[u8; N], Bad> {
        let end = self.at.checked_add(N).filter(|&e| e <= self.bytes.len());
        let Some(end) = end else {
            return Err(format!(
                "ends early (byte {} of {})",
                self.at,
                self.bytes.len()
            ));
        };
        let mut b = [0u8; N];
        b.copy_from_slice(&self.bytes[self.at..end]);
        self.at = end;
        Ok(b)
    }
    fn u64(&mut self) -> Result<u64, Bad> {
        self.take().map(u64::from_le_bytes)
    }
    fn u32(&mut self) -> Result<u32, Bad> {
        self.take().map(u32::from_le_bytes)
    }
    fn f64(&mut self) -> Result<f64, Bad> {
        self.u64().map(f64::from_bits)
    }
    fn flag(&mut self) -> Result<bool, Bad> {
        match self.take::<1>()?[0] {
            0 => Ok(false),
            1 => Ok(true),
            b => Err(format!("byte {}: {b} is not a flag (0 or 1)", self.at - 1)),
        }
    }
    /// A list whose items are each at least `min_size` bytes long.
    fn list<T>(
        &mut self,
        min_size: usize,
        mut get: impl FnMut(&mut Self) -> Result<T, Bad>,
    ) -> Result<Vec<T>, Bad> {
        let n = self.u64()?;
        let left = (self.bytes.len() - self.at) as u64;
        if n.saturating_mul(min_size as u64) > left {
            return Err(format!(
                "byte {}: a list of {n} items does not fit in the {left} bytes left",
                self.at - 8
            ));
        }
        (0..n).map(|_| get(self)).collect()
    }
}

/// Decodes a part; the error says what is wrong with the bytes.
pub fn decode(bytes: &[u8]) -> Result<Part, Bad> {
    if !bytes.starts_with(MAGIC) {
        return Err("does not start with `fateshare shard state 1`".into());
    }
    let mut i = In {
        bytes,
        at: MAGIC.len(),
    };
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
    let outage_lengths = i.list(16, |i| {
        Ok(Tally {
            values: i.list(8, In::f64)?,
            counts: i.list(8, In::u64)?,
        })
    })?;
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
    if i.at != bytes.len() {
        return Err(format!(
            "has {} bytes after its end (byte {})",
            bytes.len() - i.at,
            i.at
        ));
    }
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

    #[test]
    fn round_trips_bit_for_bit() {
        let p = sample();
        let bytes = encode(&p);
        let back = decode(&bytes).unwrap();
        // Re-encoding what was read gives the same bytes: every bit came back.
        assert_eq!(encode(&back), bytes);
        assert_eq!(back.outcomes, p.outcomes);
        assert_eq!(back.outages, p.outages);
        assert_eq!(back.outage_lengths, p.outage_lengths);
        let plain = Part {
            payouts: None,
            ..sample()
        };
        assert_eq!(encode(&decode(&encode(&plain)).unwrap()), encode(&plain));
    }

    #[test]
    fn damaged_bytes_are_refused_not_panicked_on() {
        let bytes = encode(&sample());
        for cut in [0, 10, MAGIC.len() + 3, bytes.len() / 2, bytes.len() - 1] {
            assert!(decode(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(decode(&longer).unwrap_err().contains("after its end"));
        // A huge list length is refused before anything is allocated.
        let mut huge = MAGIC.to_vec();
        huge.extend_from_slice(&u64::MAX.to_le_bytes());
        assert!(decode(&huge).unwrap_err().contains("does not fit"));
    }
}
