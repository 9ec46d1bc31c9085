//! Break it: the smallest fault script that breaks each delivery guarantee of one producer, found
//! by running the engine over every script up to a size, smallest first.
//!
//! Faults are placed where they can matter: on the requests a run actually sends. A search
//! starts from the scenario with no faults; each script of size k is extended by one fault on
//! each request of its own run (a lost request makes a second attempt, which a second fault can
//! hit), so every script it tries is one whose faults all target a request that exists. Scripts
//! are sets: the same faults reached in another order are tried once.
//!
//! Order, which decides between scripts of the same size: scripts of size k in the order they
//! were made; a script's extensions in the order its run sent the requests they hit (time faults:
//! the moment each request is in flight), and for each request in the order of the kinds asked
//! for. The first script of the smallest size that breaks a guarantee is its answer.

use crate::config::{Acks, Settings};
use crate::scenario::{Fault, FaultKind, Scenario};
use crate::trace::{EventKind, KafkaError, Summary, Trace};
// A hash set: its code is in the app already (the UI's maps), where a B-tree's is not.
use std::collections::HashSet;

/// What a producer promises its application, each broken by a run whose summary says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Guarantee {
    /// Every message stored or reported failed: none silently gone.
    NoLoss,
    /// No message stored twice.
    NoDuplicates,
    /// Messages stored in the order they were sent.
    Order,
    /// No send reported failed to the application.
    NoFailure,
}

impl Guarantee {
    pub const ALL: [Guarantee; 4] = [
        Guarantee::NoLoss,
        Guarantee::NoDuplicates,
        Guarantee::Order,
        Guarantee::NoFailure,
    ];

    /// The key in the CLI's output.
    pub fn key(self) -> &'static str {
        match self {
            Guarantee::NoLoss => "no_loss",
            Guarantee::NoDuplicates => "no_duplicates",
            Guarantee::Order => "order",
            Guarantee::NoFailure => "no_failure",
        }
    }

    pub fn broken(self, s: &Summary) -> bool {
        match self {
            Guarantee::NoLoss => s.lost > 0,
            Guarantee::NoDuplicates => s.duplicates > 0,
            Guarantee::Order => s.reordered > 0,
            Guarantee::NoFailure => s.failed > 0,
        }
    }
}

/// The kinds a search tries unless asked for others: the faults of one request. A producer
/// restart and a leader failover can be added.
pub const DEFAULT_KINDS: [FaultKind; 5] = [
    FaultKind::DropRequest,
    FaultKind::DropResponse,
    FaultKind::DelayResponse,
    FaultKind::BrokerFail,
    FaultKind::ErrorResponse,
];

/// A search over one producer's settings. Run it to the end with [`Search::run`], or a slice at
/// a time with [`Search::step`] (the app keeps the page responsive that way).
pub struct Search {
    scenario: Scenario,
    producer: Settings,
    kinds: Vec<FaultKind>,
    max_faults: usize,
    /// How long a delayed answer is held: past the producer's request.timeout.ms.
    delay_ms: u64,
    /// Scripts of the size being tried, and the next one.
    level: Vec<Vec<Fault>>,
    next: Vec<Vec<Fault>>,
    at: usize,
    size: usize,
    seen: HashSet<Vec<Fault>>,
    /// Per guarantee, in [`Guarantee::ALL`]'s order, the smallest script found that breaks it.
    pub found: [Option<Vec<Fault>>; 4],
    /// Scripts run so far.
    pub tried: usize,
    /// Every script up to this size has been tried (or the guarantees are all broken).
    pub complete: usize,
    finished: bool,
}

impl Search {
    /// A search over `scenario`'s messages, network and broker (its own faults are not kept)
    /// with the producer `producer`, for scripts of up to `max_faults` faults of `kinds`.
    pub fn new(
        scenario: &Scenario,
        producer: &Settings,
        kinds: &[FaultKind],
        max_faults: usize,
    ) -> Result<Search, String> {
        let config = producer.resolve()?.config;
        let mut scenario = scenario.clone();
        scenario.faults.clear();
        scenario.check()?;
        Ok(Search {
            scenario,
            producer: producer.clone(),
            kinds: kinds.to_vec(),
            max_faults,
            delay_ms: config.request_timeout_ms + 1_000,
            level: vec![Vec::new()],
            next: Vec::new(),
            at: 0,
            size: 0,
            seen: HashSet::new(),
            found: Default::default(),
            tried: 0,
            complete: 0,
            finished: false,
        })
    }

    /// Whether the search is over.
    pub fn done(&self) -> bool {
        self.finished
    }

    /// Runs the whole search.
    pub fn run(mut self) -> Search {
        while !self.step(usize::MAX) {}
        self
    }

    /// Tries up to `runs` scripts; returns whether the search is over.
    pub fn step(&mut self, runs: usize) -> bool {
        for _ in 0..runs {
            if self.at >= self.level.len() {
                self.complete = self.size;
                if self.finished || self.next.is_empty() || self.found.iter().all(Option::is_some) {
                    self.level.clear();
                    self.next.clear();
                    self.at = 0;
                    self.complete = self.max_faults.max(self.size);
                    self.finished = true;
                    return true;
                }
                self.level = std::mem::take(&mut self.next);
                self.at = 0;
                self.size += 1;
            }
            let script = std::mem::take(&mut self.level[self.at]);
            self.at += 1;
            self.try_script(script);
        }
        false
    }

    fn try_script(&mut self, script: Vec<Fault>) {
        self.scenario.faults.clone_from(&script);
        self.tried += 1;
        let Ok(trace) = crate::simulate_with(&self.scenario, &self.producer) else {
            return;
        };
        for (i, g) in Guarantee::ALL.into_iter().enumerate() {
            if self.found[i].is_none() && g.broken(&trace.summary) {
                self.found[i] = Some(script.clone());
            }
        }
        if script.len() < self.max_faults && self.found.iter().any(Option::is_none) {
            for fault in self.candidates(&trace) {
                if script.contains(&fault) {
                    continue;
                }
                let mut bigger = script.clone();
                bigger.push(fault);
                let mut key = bigger.clone();
                key.sort();
                if self.seen.insert(key) {
                    self.next.push(bigger);
                }
            }
        }
    }

    /// One fault of each kind on each request `trace` sent, in the order sent.
    fn candidates(&self, trace: &Trace) -> Vec<Fault> {
        let mut out = Vec::new();
        let mut times: Vec<(&str, u64)> = Vec::new();
        for e in &trace.events {
            let EventKind::Request { msg, attempt, .. } = e.kind else {
                continue;
            };
            for &kind in &self.kinds {
                let fault = match kind {
                    FaultKind::DropRequest => Fault::DropRequest { msg, attempt },
                    FaultKind::BrokerFail => Fault::BrokerFail { msg, attempt },
                    FaultKind::ErrorResponse => Fault::ErrorResponse {
                        msg,
                        attempt,
                        error: KafkaError::NotEnoughReplicas,
                    },
                    // acks=0 is never answered: nothing to lose or delay.
                    FaultKind::DropResponse | FaultKind::DelayResponse
                        if trace.config.acks == Acks::Zero =>
                    {
                        continue
                    }
                    FaultKind::DropResponse => Fault::DropResponse { msg, attempt },
                    FaultKind::DelayResponse => Fault::DelayResponse {
                        msg,
                        attempt,
                        ms: self.delay_ms,
                    },
                    // Faults at a moment: while this request is on its way (once per moment).
                    kind => {
                        let at_ms = e.t_ms + 1;
                        // Events come in time order: a moment already taken is at the end.
                        let name = kind.name();
                        let mut taken = times.iter().rev().take_while(|t| t.1 == at_ms);
                        if taken.any(|t| t.0 == name) {
                            continue;
                        }
                        times.push((name, at_ms));
                        kind.like(&Fault::ProducerRestart { at_ms })
                    }
                };
                out.push(fault);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Preset;

    fn search(preset: Preset, kinds: &[FaultKind], max: usize) -> Search {
        let s = Scenario::new(&["A", "B", "C"], preset);
        Search::new(&s, &preset.settings(), kinds, max)
            .unwrap()
            .run()
    }

    fn found(s: &Search, g: Guarantee) -> Option<Vec<FaultKind>> {
        let i = Guarantee::ALL.iter().position(|&x| x == g).unwrap();
        s.found[i]
            .as_ref()
            .map(|f| f.iter().map(Fault::kind).collect())
    }

    #[test]
    fn a_lost_ack_duplicates_at_least_once() {
        let s = search(Preset::AtLeastOnce, &DEFAULT_KINDS, 2);
        assert_eq!(
            found(&s, Guarantee::NoDuplicates),
            Some(vec![FaultKind::DropResponse])
        );
        // The first request's ACK: A, attempt 1.
        assert_eq!(
            s.found[1].as_deref(),
            Some(&[Fault::DropResponse { msg: 0, attempt: 1 }][..])
        );
        assert_eq!(
            found(&s, Guarantee::NoLoss),
            None,
            "retries until it is stored"
        );
    }

    #[test]
    fn a_lost_request_or_a_failed_broker_loses_at_most_once() {
        let s = search(Preset::AtMostOnce, &DEFAULT_KINDS, 2);
        assert_eq!(
            found(&s, Guarantee::NoLoss),
            Some(vec![FaultKind::DropRequest])
        );
        let s = search(Preset::AtMostOnce, &[FaultKind::BrokerFail], 2);
        assert_eq!(
            found(&s, Guarantee::NoLoss),
            Some(vec![FaultKind::BrokerFail])
        );
        assert_eq!(found(&s, Guarantee::NoDuplicates), None, "never retried");
    }

    #[test]
    fn exactly_once_holds_up_to_two_faults_until_the_producer_restarts() {
        let s = search(Preset::ExactlyOnce, &DEFAULT_KINDS, 2);
        assert_eq!(s.found, [None, None, None, None]);
        assert_eq!(s.complete, 2);
        let mut kinds = DEFAULT_KINDS.to_vec();
        kinds.push(FaultKind::ProducerRestart);
        let s = search(Preset::ExactlyOnce, &kinds, 2);
        // A new session, a new PID: what the old one had in flight is sent again and stored
        // again. One fault.
        assert_eq!(
            found(&s, Guarantee::NoDuplicates),
            Some(vec![FaultKind::ProducerRestart])
        );
    }

    #[test]
    fn scripts_are_sets_tried_once_each() {
        // Lost ACKs on A, B, C one at a time: the empty script, three singles, and the six
        // pairs (each ACK lost with the other two, or with its own retry's): {A1, B1} is reached
        // from A1's run and from B1's, and tried once.
        let s = search(Preset::AtLeastOnce, &[FaultKind::DropResponse], 2);
        assert_eq!(s.tried, 1 + 3 + 6);
        assert_eq!(s.complete, 2);
    }

    #[test]
    fn slices_give_the_same_answer() {
        let whole = search(Preset::AtLeastOnce, &DEFAULT_KINDS, 2);
        let settings = Preset::AtLeastOnce.settings();
        let sc = Scenario::new(&["A", "B", "C"], Preset::AtLeastOnce);
        let mut sliced = Search::new(&sc, &settings, &DEFAULT_KINDS, 2).unwrap();
        let mut slices = 0;
        while !sliced.step(7) {
            slices += 1;
        }
        assert!(slices > 3);
        assert_eq!(sliced.found, whole.found);
        assert_eq!(sliced.tried, whole.tried);
    }
}
