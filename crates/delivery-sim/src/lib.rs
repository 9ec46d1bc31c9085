//! delivery-sim: a deterministic Kafka producer / network / broker simulation.
//!
//! A scenario in, a trace out: [`simulate`] has no I/O, no clock and no randomness of its own,
//! so the same scenario gives the same trace natively, in the CLI and in the browser.
//! The rules follow the Apache Kafka Java client and broker; see docs/format.md.

pub mod config;
pub mod exercise;
pub mod inspect;
pub mod invariants;
pub mod json;
pub mod num;
pub mod partition;
pub mod price;
mod rng;
pub mod scenario;
pub mod search;
mod sim;
pub mod trace;

pub use config::{Acks, Preset, ProducerConfig, Settings};
pub use scenario::{Fault, FaultKind, Network, Scenario};
pub use sim::{simulate, simulate_with, MAX_EVENTS, NUM_BATCHES_TO_RETAIN};
pub use trace::{
    Answer, Event, EventKind, FailReason, Idem, KafkaError, Loss, Outcome, Summary, Trace,
};

/// Reads a scenario in the SPEC's JSON format and runs it.
pub fn run_json(text: &str) -> Result<Trace, String> {
    simulate(&Scenario::from_json_text(text)?)
}
