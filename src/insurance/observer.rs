//! Collecting payouts while the engine runs: an [`Observer`] reads each
//! trial's outage intervals (the index component's for parametric policies,
//! the insured architecture's for indemnity), applies the policy terms
//! ([`super::payout`]) and gives every paid outage its event
//! ([`super::events`]), so pricing never needs a second pass over the world.
//! Per event it sums the payouts of each policy, of each portfolio and of
//! the whole book (the occurrence losses of the OEP curves) and, when asked,
//! keeps every row with an `event_id` shared by the ground-up and insured
//! tables: events are numbered from 1 in trial order, within a trial by
//! start, then source, counting only events that produced a row.

use super::events::{self, Causes, EventKey, TrialEvents};
use super::payout::{
    event_exposure, indemnity_payout, insured_lost_during, parametric_payout, AnnualLimit,
    PayoutTable, PolicyYear,
};
use crate::engine::Observer;
use crate::evaluate::{Outcome, Timelines};
use crate::model::{Model, PolicyTerms};
use crate::world::World;

/// One outage that paid (after the annual limit).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PaidEvent {
    pub trial: u64,
    pub policy: u32,
    pub start_hours: f64,
    pub duration_hours: f64,
    pub payout: f64,
    /// The event it belongs to (from 1, shared across every table).
    pub event_id: u64,
}

/// One portfolio event: the paid outages of a portfolio's policies from one event.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PortfolioEvent {
    pub trial: u64,
    pub portfolio: u32,
    /// The earliest start among its paid outages.
    pub start_hours: f64,
    /// From that start to the latest end among them.
    pub duration_hours: f64,
    pub payout: f64,
    /// Sum of [`event_exposure`] over the distinct policies that paid in it.
    pub exposure: f64,
    pub policies: u32,
    pub event_id: u64,
}

/// One outage of an insured architecture (one with a `loss`) that cost something.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GulEvent {
    pub trial: u64,
    pub architecture: u32,
    pub start_hours: f64,
    pub duration_hours: f64,
    pub loss: f64,
    pub event_id: u64,
}

/// A paid outage of the current trial, with its event.
#[derive(Debug, Clone, Copy)]
struct Row {
    key: EventKey,
    policy: u32,
    start: f64,
    end: f64,
    payout: f64,
}

/// What one chunk of trials collects.
pub struct PayoutChunk {
    years: Vec<PolicyYear>,
    portfolio_max: Vec<f64>,
    book_max: Vec<f64>,
    events: Vec<PaidEvent>,
    portfolio_events: Vec<PortfolioEvent>,
    gul_events: Vec<GulEvent>,
    /// Events numbered in this chunk (ids are chunk-local, from 0, until merged).
    numbered: u64,
    trial_events: TrialEvents,
    rows: Vec<Row>,
    pairs: Vec<(EventKey, f64)>,
    keys: Vec<EventKey>,
    gul_keys: Vec<EventKey>,
}

/// Collects every policy's payouts per trial (and, if asked, every paid event).
pub struct PayoutObserver<'m> {
    model: &'m Model,
    horizon: f64,
    /// Portfolio of each policy (index into the portfolio list).
    portfolio_of: Vec<Option<usize>>,
    portfolios: usize,
    exposure: Vec<f64>,
    record_events: bool,
    causes: Causes,
}

impl<'m> PayoutObserver<'m> {
    /// `portfolio_of[p]` is policy p's portfolio among `portfolios` portfolios.
    pub fn new(
        model: &'m Model,
        horizon: f64,
        portfolio_of: Vec<Option<usize>>,
        portfolios: usize,
        record_events: bool,
    ) -> Self {
        let indices = model.policies.iter().map(|p| match p.terms {
            PolicyTerms::Parametric { index, .. } => index,
            PolicyTerms::Indemnity { .. } => model.architectures[p.insured].serves,
        });
        let insured = model
            .architectures
            .iter()
            .filter(|a| record_events && a.loss.is_some())
            .map(|a| a.serves);
        PayoutObserver {
            model,
            horizon,
            portfolio_of,
            portfolios,
            exposure: model.policies.iter().map(event_exposure).collect(),
            record_events,
            causes: Causes::new(model, indices.chain(insured).collect::<Vec<_>>()),
        }
    }

    /// Joins the chunks (in chunk order) into one table, numbering events from 1.
    pub fn merge(&self, chunks: Vec<PayoutChunk>) -> PayoutTable {
        let mut t = PayoutTable {
            policies: self.model.policies.len(),
            portfolios: self.portfolios,
            exposure: self.exposure.clone(),
            ..PayoutTable::default()
        };
        t.years.reserve(chunks.iter().map(|c| c.years.len()).sum());
        for c in chunks {
            // A chunk numbers its events from 0.
            let offset = t.events_numbered + 1;
            let next = PayoutTable {
                years: c.years,
                portfolio_max: c.portfolio_max,
                book_max: c.book_max,
                events: c.events,
                portfolio_events: c.portfolio_events,
                gul_events: c.gul_events,
                events_numbered: c.numbered,
                ..PayoutTable::default()
            };
            t.append(next, offset);
        }
        t
    }

    /// The payout of policy `i` for one outage, before the annual limit.
    fn gross(&self, i: usize, d: f64) -> f64 {
        let policy = &self.model.policies[i];
        match policy.terms {
            PolicyTerms::Parametric {
                waiting_hours,
                franchise,
                pay_per_hour,
                max_hours_per_event,
                ..
            } => parametric_payout(
                d,
                waiting_hours,
                franchise,
                pay_per_hour,
                max_hours_per_event,
                policy.event_limit,
            ),
            PolicyTerms::Indemnity { deductible, share } => indemnity_payout(
                self.model.architectures[policy.insured]
                    .loss
                    .map_or(0.0, |l| l.of_outage(d)),
                deductible,
                share,
                policy.event_limit,
            ),
        }
    }

    /// Policy `i`'s year in this trial; its paid outages go to `chunk.rows`.
    fn policy_year(
        &self,
        chunk: &mut PayoutChunk,
        i: usize,
        world: &World,
        timelines: &Timelines,
    ) -> PolicyYear {
        let policy = &self.model.policies[i];
        let arch = &self.model.architectures[policy.insured];
        let (component, threshold) = match policy.terms {
            PolicyTerms::Parametric {
                index, threshold, ..
            } => (index, threshold),
            PolicyTerms::Indemnity { .. } => (arch.serves, 1.0),
        };
        let mut limit = AnnualLimit::new(policy.annual_limit);
        let mut year = PolicyYear::default();
        let first = chunk.rows.len();
        for iv in timelines.outages_below(component, threshold, self.horizon) {
            let paid = limit.pay(self.gross(i, iv.len()));
            if let PolicyTerms::Parametric { .. } = policy.terms {
                let lost = insured_lost_during(
                    iv.start,
                    iv.end,
                    timelines.outages_in_period(arch.serves, self.horizon),
                    |d| arch.loss.map_or(0.0, |l| l.of_outage(d)),
                );
                if !lost {
                    year.no_need_outages += 1;
                    year.no_need_paid += u32::from(paid > 0.0);
                }
            }
            if paid <= 0.0 {
                continue;
            }
            year.payout += paid;
            year.events_paid += 1;
            chunk.rows.push(Row {
                key: chunk
                    .trial_events
                    .cause(world, &self.causes, component, iv.start),
                policy: i as u32,
                start: iv.start,
                end: iv.end,
                payout: paid,
            });
        }
        chunk.pairs.clear();
        chunk
            .pairs
            .extend(chunk.rows[first..].iter().map(|r| (r.key, r.payout)));
        year.max_event = events::largest_event(&mut chunk.pairs);
        if limit.exhausted {
            year.exhausted = true;
            year.payout = policy.annual_limit;
        }
        year
    }

    /// Portfolio `k`'s events in this trial (rows sorted by event, then policy).
    fn portfolio(&self, chunk: &mut PayoutChunk, trial: u64, k: usize) {
        let mut max = 0.0f64;
        let rows = &chunk.rows;
        let mut i = 0;
        while i < rows.len() {
            if self.portfolio_of[rows[i].policy as usize] != Some(k) {
                i += 1;
                continue;
            }
            let key = rows[i].key;
            let mut ev = PortfolioEvent {
                trial,
                portfolio: k as u32,
                start_hours: f64::INFINITY,
                duration_hours: 0.0,
                payout: 0.0,
                exposure: 0.0,
                policies: 0,
                event_id: 0,
            };
            let (mut end, mut last) = (f64::NEG_INFINITY, u32::MAX);
            while i < rows.len() && rows[i].key.order(&key).is_eq() {
                let r = rows[i];
                i += 1;
                if self.portfolio_of[r.policy as usize] != Some(k) {
                    continue;
                }
                ev.start_hours = ev.start_hours.min(r.start);
                end = end.max(r.end);
                ev.payout += r.payout;
                if r.policy != last {
                    last = r.policy;
                    ev.exposure += self.exposure[r.policy as usize];
                    ev.policies += 1;
                }
            }
            ev.duration_hours = end - ev.start_hours;
            max = max.max(ev.payout);
            if self.record_events {
                ev.event_id = events::index_of(&chunk.keys, &key) as u64 + chunk.numbered;
                chunk.portfolio_events.push(ev);
            }
        }
        chunk.portfolio_max.push(max);
    }

    /// The insured architectures' outages with a loss, with their events.
    fn ground_up(&self, chunk: &mut PayoutChunk, trial: u64, world: &World, timelines: &Timelines) {
        let first = chunk.gul_events.len();
        chunk.gul_keys.clear();
        for (a, arch) in self.model.architectures.iter().enumerate() {
            if arch.loss.is_none() {
                continue;
            }
            for (iv, loss) in timelines.architecture_outages(arch, self.horizon) {
                if loss > 0.0 {
                    let key = chunk
                        .trial_events
                        .cause(world, &self.causes, arch.serves, iv.start);
                    chunk.gul_keys.push(key);
                    chunk.gul_events.push(GulEvent {
                        trial,
                        architecture: a as u32,
                        start_hours: iv.start,
                        duration_hours: iv.len(),
                        loss,
                        event_id: 0,
                    });
                }
            }
        }
        chunk.keys.clear();
        chunk.keys.extend(chunk.rows.iter().map(|r| r.key));
        chunk.keys.extend_from_slice(&chunk.gul_keys);
        events::number(&mut chunk.keys);
        for (e, key) in chunk.gul_events[first..].iter_mut().zip(&chunk.gul_keys) {
            e.event_id = events::index_of(&chunk.keys, key) as u64 + chunk.numbered;
        }
    }
}

impl Observer for PayoutObserver<'_> {
    type Chunk = PayoutChunk;

    /// The parametric indices (the insured architectures are watched already).
    fn components(&self) -> Vec<usize> {
        let mut v: Vec<usize> = self
            .model
            .policies
            .iter()
            .filter_map(|p| match p.terms {
                PolicyTerms::Parametric { index, .. } => Some(index),
                PolicyTerms::Indemnity { .. } => None,
            })
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    fn start_chunk(&self) -> PayoutChunk {
        let trials = crate::engine::CHUNK as usize;
        PayoutChunk {
            years: Vec::with_capacity(trials * self.model.policies.len()),
            portfolio_max: Vec::with_capacity(trials * self.portfolios),
            book_max: Vec::with_capacity(trials),
            events: Vec::new(),
            portfolio_events: Vec::new(),
            gul_events: Vec::new(),
            numbered: 0,
            trial_events: TrialEvents::default(),
            rows: Vec::new(),
            pairs: Vec::new(),
            keys: Vec::new(),
            gul_keys: Vec::new(),
        }
    }

    fn trial(
        &self,
        chunk: &mut PayoutChunk,
        trial: u64,
        world: &World,
        timelines: &Timelines,
        _: &[Outcome],
    ) {
        chunk
            .trial_events
            .prepare(world, self.model.sources.len(), self.model.hours_clause);
        chunk.rows.clear();
        for i in 0..self.model.policies.len() {
            let year = self.policy_year(chunk, i, world, timelines);
            chunk.years.push(year);
        }
        if self.record_events {
            self.ground_up(chunk, trial, world, timelines);
            let numbered = chunk.numbered;
            for r in &chunk.rows {
                chunk.events.push(PaidEvent {
                    trial,
                    policy: r.policy,
                    start_hours: r.start,
                    duration_hours: r.end - r.start,
                    payout: r.payout,
                    event_id: events::index_of(&chunk.keys, &r.key) as u64 + numbered,
                });
            }
        }
        // By event, then policy (stable: each policy's outages stay in start order).
        chunk
            .rows
            .sort_by(|a, b| a.key.order(&b.key).then(a.policy.cmp(&b.policy)));
        for k in 0..self.portfolios {
            self.portfolio(chunk, trial, k);
        }
        chunk.pairs.clear();
        chunk
            .pairs
            .extend(chunk.rows.iter().map(|r| (r.key, r.payout)));
        let book = events::largest_event(&mut chunk.pairs);
        chunk.book_max.push(book);
        if self.record_events {
            chunk.numbered += chunk.keys.len() as u64;
        }
    }
}
