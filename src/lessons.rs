//! What a run teaches, in words: the producer's settings in one line, and who was lost, told
//! of a failure, or stored twice.

use crate::i18n::Text;
use delivery_sim::{Outcome, ProducerConfig, Trace};
use std::fmt::Write as _;

pub fn config_line(c: &ProducerConfig) -> String {
    let retries = if c.retries == i32::MAX as u32 {
        "∞".to_string()
    } else {
        c.retries.to_string()
    };
    // Where the line wraps, it wraps between settings: a word joiner on each side of the hyphen
    // and a no-break space keep "in-flight 5" (and "linger.ms 5") whole.
    let mut line = format!(
        "acks={} · retries={} · idempotence={} · in\u{2060}-\u{2060}flight\u{a0}{}",
        c.acks.as_str(),
        retries,
        if c.enable_idempotence { "on" } else { "off" },
        c.max_in_flight
    );
    // Batching, where it differs from Kafka 4's defaults.
    let d = ProducerConfig::default();
    if c.linger_ms != d.linger_ms {
        let _ = write!(line, " · linger.ms\u{a0}{}", c.linger_ms);
    }
    if c.batch_size != d.batch_size {
        let _ = write!(line, " · batch.size\u{a0}{}", c.batch_size);
    }
    line
}

/// The lesson in a learner's words: who was lost, who was stored twice.
pub fn lesson(t: &Text, trace: &Trace) -> (Vec<String>, Vec<String>) {
    let mut bad = Vec::new();
    let mut good = Vec::new();
    let name = |i: usize| trace.messages[i].as_str();
    let pick = |o: Outcome| -> Vec<usize> {
        trace
            .outcomes
            .iter()
            .enumerate()
            .filter(|(_, &x)| x == o)
            .map(|(i, _)| i)
            .collect()
    };
    let few = |ids: &[usize], f: &dyn Fn(usize) -> String| -> String {
        let mut s: Vec<String> = ids.iter().take(3).map(|&i| f(i)).collect();
        if ids.len() > 3 {
            s.push(format!("+{}", ids.len() - 3));
        }
        s.join(", ")
    };
    let lost = pick(Outcome::Lost);
    let failed = pick(Outcome::Failed);
    let twice: Vec<usize> = (0..trace.messages.len())
        .filter(|&i| trace.copies[i] > 1)
        .collect();
    if !lost.is_empty() {
        bad.push(few(&lost, &|i| (t.lost_msg)(name(i))));
    }
    if !failed.is_empty() {
        bad.push(few(&failed, &|i| (t.failed_msg)(name(i))));
    }
    if !twice.is_empty() {
        bad.push(few(&twice, &|i| (t.stored_twice)(name(i), trace.copies[i])));
    }
    if trace.summary.reordered > 0 {
        bad.push(format!("{} {}", trace.summary.reordered, t.out_of_order));
    }
    if bad.is_empty() {
        good.push(t.nothing_lost_nothing_twice.to_string());
    }
    (bad, good)
}
