//! fateshare: Monte Carlo simulation of correlated outages.
//!
//! Data flows one way: scenario file ([`scenario`]) → validated model
//! ([`model`]) → one sampled world per trial ([`world`]) → component timelines
//! ([`timeline`], [`evaluate`]) → per-architecture outcomes, run in parallel
//! ([`engine`]) → statistics ([`stats`]) → reports ([`report`], written by
//! [`output`]). The command line lives in [`cli`] and [`cmd`]. [`analysis`]
//! re-evaluates each trial's world with every outage source removed and held
//! down to explain the results (`fateshare analyze`).

pub mod analysis;
pub mod cli;
pub mod cmd;
pub mod dist;
pub mod engine;
pub mod evaluate;
pub mod model;
pub mod output;
pub mod report;
pub mod scenario;
pub mod stats;
pub mod timeline;
pub mod world;
