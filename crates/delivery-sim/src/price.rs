//! The price of a guarantee: what one producer setting costs in throughput and latency over a
//! longer run than a story's three messages, under a scenario's network and broker.
//!
//! Two runs, no scripted faults (random loss still applies):
//! - throughput: [`RUN`] records offered 1 ms apart, as fast as the setting lets them through;
//! - latency: [`RUN`] records 50 ms apart, a load every setting keeps up with, so the figures
//!   are the waits the setting itself causes, not a queue.
//!
//! Records are batched as the RecordAccumulator batches them (`linger.ms`, `batch.size`): while
//! the requests in flight are all out, the records behind them gather into the next batch, so a
//! slower answer costs latency first and throughput only when the batches are full.

use crate::config::Settings;
use crate::scenario::{numbered, Scenario};
use crate::sim::simulate;
use crate::trace::{EventKind, Trace};

pub const RUN: usize = 400;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Price {
    /// Records per second the application got a result for (for acks=0, every send), with
    /// records offered 1 ms apart.
    pub throughput: f64,
    /// `send()` to its result, as the application waits: p50 and p99, ms.
    pub ack_ms: (u64, u64),
    /// `send()` until a consumer can read the record (stored and copied to every replica):
    /// p50 and p99, ms.
    pub e2e_ms: (u64, u64),
    /// Records of the latency run that never reached the log (lost, or failed and reported).
    pub lost: u32,
}

fn run(base: &Scenario, settings: &Settings, interval_ms: u64) -> Result<Trace, String> {
    let mut s = base.clone();
    s.messages = numbered(RUN);
    s.interval_ms = interval_ms;
    s.sync = false;
    s.faults.clear();
    s.producer = settings.clone();
    simulate(&s)
}

/// The value below which `q` of the values lie (nearest rank); 0 for none.
fn percentile(sorted: &[u64], q: f64) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

pub fn price(base: &Scenario, settings: &Settings) -> Result<Price, String> {
    let fast = run(base, settings, 1)?;
    let mut first_send = None;
    let mut last_result = 0;
    let mut results = 0u32;
    for e in &fast.events {
        match e.kind {
            EventKind::Send { .. } => {
                first_send.get_or_insert(e.t_ms);
            }
            EventKind::Acked { .. } | EventKind::Failed { .. } => {
                results += 1;
                last_result = e.t_ms;
            }
            _ => {}
        }
    }
    let span = last_result.saturating_sub(first_send.unwrap_or(0)).max(1);
    let throughput = results as f64 * 1000.0 / span as f64;

    let slow = run(base, settings, 50)?;
    let n = slow.messages.len();
    let mut sent = vec![0u64; n];
    let mut acked = Vec::with_capacity(n);
    // When each offset was copied to the followers (a record is readable once it and every
    // record before it are: the high watermark).
    let mut copied: Vec<Option<u64>> = vec![None; slow.log.len()];
    for e in &slow.events {
        match e.kind {
            EventKind::Send { msg } => sent[msg] = e.t_ms,
            EventKind::Acked { msg, .. } | EventKind::Failed { msg, .. } => {
                acked.push(e.t_ms - sent[msg])
            }
            EventKind::Replicated { offset } => {
                if let Some(c) = copied.get_mut(offset as usize) {
                    c.get_or_insert(e.t_ms);
                }
            }
            _ => {}
        }
    }
    let mut readable = 0;
    let mut seen = vec![false; n];
    let mut e2e = Vec::with_capacity(n);
    for (r, c) in slow.log.iter().zip(&copied) {
        let at = if base.broker.replicas > 1 {
            c.unwrap_or(r.t_ms)
        } else {
            r.t_ms
        };
        readable = readable.max(at);
        if !seen[r.msg] {
            seen[r.msg] = true;
            e2e.push(readable - sent[r.msg]);
        }
    }
    acked.sort_unstable();
    e2e.sort_unstable();
    Ok(Price {
        throughput,
        ack_ms: (percentile(&acked, 0.5), percentile(&acked, 0.99)),
        e2e_ms: (percentile(&e2e, 0.5), percentile(&e2e, 0.99)),
        lost: seen.iter().filter(|s| !**s).count() as u32,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Preset;
    use crate::scenario::Broker;

    fn base(replicas: u32) -> Scenario {
        let mut s = Scenario::new(&["A"], Preset::AtLeastOnce);
        s.broker = Broker {
            replicas,
            replication_ms: 10,
            ..Broker::default()
        };
        s
    }

    fn with(preset: Preset, kv: &[(&str, &str)]) -> Settings {
        let mut s = preset.settings();
        for (k, v) in kv {
            s.set(k, v);
        }
        s
    }

    #[test]
    fn idempotence_costs_nothing_at_the_same_acks_and_in_flight() {
        let b = base(3);
        let plain = price(&b, &Preset::AtLeastOnce.settings()).unwrap();
        let idem = price(&b, &Preset::ExactlyOnce.settings()).unwrap();
        assert_eq!(
            plain, idem,
            "KIP-185: idempotence alone does not change performance"
        );
    }

    #[test]
    fn acks_all_waits_for_the_followers_but_consumers_wait_for_them_anyway() {
        let b = base(3);
        let one = price(&b, &with(Preset::AtLeastOnce, &[("acks", "1")])).unwrap();
        let all = price(&b, &Preset::AtLeastOnce.settings()).unwrap();
        let zero = price(&b, &Preset::AtMostOnce.settings()).unwrap();
        // A record alone waits linger.ms (5) in its batch; then 10 ms each way; acks=all adds
        // the 10 ms copy to the followers.
        assert_eq!(one.ack_ms, (25, 25));
        assert_eq!(all.ack_ms, (35, 35));
        assert_eq!(zero.ack_ms, (5, 5));
        // A consumer reads a record once the followers have it, whatever the producer waited.
        assert_eq!(one.e2e_ms, (25, 25));
        assert_eq!(all.e2e_ms, one.e2e_ms);
        assert_eq!(zero.e2e_ms, one.e2e_ms);
        // Waiting longer per request with 5 in flight lets fewer records through.
        assert!(zero.throughput > one.throughput && one.throughput > all.throughput);
        assert!(
            (zero.throughput - 1000.0).abs() < 5.0,
            "acks=0 keeps up with the offer"
        );
    }

    #[test]
    fn loss_shows_in_the_tail_and_acks_0_loses_records() {
        let mut b = base(1);
        b.network.request_loss = 0.05;
        b.seed = 3;
        let zero = price(&b, &Preset::AtMostOnce.settings()).unwrap();
        let all = price(
            &b,
            &with(Preset::ExactlyOnce, &[("request.timeout.ms", "1000")]),
        )
        .unwrap();
        assert!(zero.lost > 0 && all.lost == 0, "{zero:?} {all:?}");
        // A lost request is retried only after request.timeout.ms, and the records in flight
        // behind it wait too.
        assert!(all.ack_ms.1 >= 1000, "{all:?}");
    }
}
