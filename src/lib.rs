//! fateshare: Monte Carlo simulation of correlated outages.
//!
//! Data flows one way: scenario file ([`scenario`]) → validated model
//! ([`model`]) → one sampled world per trial ([`world`]) → component timelines
//! ([`timeline`], [`evaluate`]; service levels in [`service`], the fallback
//! client in [`client`]) → per-architecture outcomes, run in parallel
//! ([`engine`]) → statistics ([`stats`], beside the independence baseline
//! [`naive`]; insurance pricing in [`insurance`]) → reports ([`report`], with
//! [`charts`] and the dependency [`graph`], written by [`output`]). The command
//! line lives in [`cli`] and [`cmd`].
//! Around the run: [`sensitivity`] (sweeps and the tornado table, changing
//! numbers with [`scenario::set`]), [`drill`] (forced what-if incidents) and
//! [`analysis`] (each trial's world re-evaluated, by [`incremental`], with every outage source
//! removed and held down, to explain the results: `fateshare analyze`).
//! Inputs: [`catalogue`] holds cited public incidents by cause class and the
//! rates and durations fitted from them (`fateshare catalogue`).

pub mod analysis;
pub mod book;
pub mod budget;
pub mod capped;
pub mod catalogue;
pub mod charts;
pub mod cli;
pub mod client;
pub mod cmd;
pub mod dist;
pub mod drill;
pub mod engine;
pub mod evaluate;
pub mod exact;
pub mod fast;
pub mod fmtnum;
pub mod graph;
pub mod incremental;
pub mod insurance;
pub mod interrupt;
pub mod model;
pub mod naive;
pub mod output;
pub mod parquet_io;
pub mod precision;
pub mod readback;
pub mod readback_error;
pub mod report;
pub mod scenario;
pub mod sensitivity;
pub mod service;
pub mod shard;
pub mod sketch;
pub mod staging;
pub mod stats;
pub mod streaming;
pub mod text;
pub mod tilt;
pub mod timeline;
pub mod uncertain;
pub mod weighted;
pub mod world;
