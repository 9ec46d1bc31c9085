//! What every run satisfies, whatever its scenario and settings: the checks the property tests,
//! the CLI and the browser tests share. A failure here is a bug in the engine, not in the input.

use crate::config::Acks;
use crate::trace::{Event, EventKind, Loss, Outcome, Trace};
use std::collections::HashSet;

/// Checks a trace; the error names the first broken rule.
pub fn check(t: &Trace) -> Result<(), String> {
    outcomes(t)?;
    summary(t)?;
    batches(t)?;
    #[cfg(txn)]
    transactions(t)?;
    if !t.events.windows(2).all(|w| w[0].t_ms <= w[1].t_ms) {
        return Err("events are not in time order".into());
    }
    if t.config.acks == Acks::Zero
        && t.events
            .iter()
            .any(|e| matches!(e.kind, EventKind::RetryScheduled { .. }))
    {
        return Err("acks=0 scheduled a retry".into());
    }
    if t.config.enable_idempotence {
        // One producer session and epoch never stores a message twice.
        let mut seen = HashSet::new();
        for r in &t.log {
            let id = r.idem.ok_or("an idempotent record has no PID")?;
            if !seen.insert((id.pid, id.epoch, r.msg)) {
                return Err(format!(
                    "{} stored twice by PID {} epoch {}",
                    t.messages[r.msg], id.pid, id.epoch
                ));
            }
        }
    }
    connections(t)
}

/// Every message ends in one outcome, and the application hears of each send exactly once.
fn outcomes(t: &Trace) -> Result<(), String> {
    let n = t.messages.len();
    if t.outcomes.len() != n {
        return Err(format!("{} outcomes for {n} messages", t.outcomes.len()));
    }
    let mut told = vec![0u32; n];
    for e in &t.events {
        if let EventKind::Acked { msg, .. } | EventKind::Failed { msg, .. } = e.kind {
            told[msg] += 1;
        }
    }
    #[cfg(txn)]
    if t.consumers.is_some() {
        return transactional_sends(t, &told);
    }
    match told.iter().position(|&c| c != 1) {
        Some(m) => Err(format!(
            "the application heard {} times of {}",
            told[m], t.messages[m]
        )),
        None => Ok(()),
    }
}

/// A transactional application sends a message once per attempt of its transaction (a
/// restarted one again), and hears of each send at most once: of every send unless a restart
/// took the process that was waiting.
#[cfg(txn)]
fn transactional_sends(t: &Trace, told: &[u32]) -> Result<(), String> {
    let mut sends = vec![0u32; t.messages.len()];
    let mut restarts = 0;
    for e in &t.events {
        match e.kind {
            EventKind::Send { msg } => sends[msg] += 1,
            EventKind::ProducerRestart => restarts += 1,
            _ => {}
        }
    }
    let wrong = |m: &usize| told[*m] > sends[*m] || (restarts == 0 && told[*m] != sends[*m]);
    match (0..t.messages.len()).find(wrong) {
        Some(m) => Err(format!(
            "the application sent {} {} times and heard {} times",
            t.messages[m], sends[m], told[m]
        )),
        None => Ok(()),
    }
}

/// Every record is in one batch of its producer session: batches are not empty, and a record is
/// in a second batch only when a producer restart sent it again.
fn batches(t: &Trace) -> Result<(), String> {
    let restarts = t
        .events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::ProducerRestart))
        .count();
    // A transaction aborted by a restart is redone whole: a record is in one batch per send.
    let sends = |m: usize| {
        t.events
            .iter()
            .filter(|e| matches!(e.kind, EventKind::Send { msg } if msg == m))
            .count()
    };
    let mut seen = vec![0usize; t.messages.len()];
    for b in t.batches.iter() {
        if b.is_empty() {
            return Err("a batch has no records".into());
        }
        for &m in b {
            seen[m] += 1;
            if seen[m] > restarts + 1 && seen[m] > sends(m) {
                return Err(format!("{} is in {} batches", t.messages[m], seen[m]));
            }
        }
    }
    Ok(())
}

/// The summary agrees with the log and the outcomes.
fn summary(t: &Trace) -> Result<(), String> {
    let s = &t.summary;
    if s.stored as usize != t.log.len() {
        return Err(format!(
            "summary.stored {} but {} records",
            s.stored,
            t.log.len()
        ));
    }
    // Partition by partition, each from offset 0 with no gap but the markers' offsets.
    #[cfg(txn)]
    let marker_at = |p: u32, o: u64| t.markers.iter().any(|m| (m.partition, m.offset) == (p, o));
    #[cfg(not(txn))]
    let marker_at = |_: u32, _: u64| false;
    let mut next = (0, 0);
    for (i, r) in t.log.iter().enumerate() {
        if r.partition != next.0 {
            if r.partition < next.0 || r.partition >= t.partitions.max(1) {
                return Err(format!("record {i} is in partition {}", r.partition));
            }
            next = (r.partition, 0);
        }
        while r.offset > next.1 && marker_at(next.0, next.1) {
            next.1 += 1;
        }
        if r.offset != next.1 {
            return Err(format!(
                "record {i} has offset {} in partition {}",
                r.offset, r.partition
            ));
        }
        next.1 += 1;
    }
    let dups: u32 = t.copies.iter().map(|&c| c.saturating_sub(1)).sum();
    let count = |o: Outcome| t.outcomes.iter().filter(|&&x| x == o).count() as u32;
    let delivered = count(Outcome::Delivered) + count(Outcome::Duplicated);
    if s.duplicates != dups
        || s.lost != count(Outcome::Lost)
        || s.failed != count(Outcome::Failed)
        || aborted(s) != aborted_outcomes(t)
        || delivered + s.lost + s.failed + aborted(s) != s.messages
    {
        return Err(format!("summary {s:?} disagrees with the log and outcomes"));
    }
    Ok(())
}

#[cfg(txn)]
fn aborted(s: &crate::trace::Summary) -> u32 {
    s.aborted
}
#[cfg(not(txn))]
fn aborted(_: &crate::trace::Summary) -> u32 {
    0
}
#[cfg(txn)]
fn aborted_outcomes(t: &Trace) -> u32 {
    t.outcomes
        .iter()
        .filter(|&&o| o == Outcome::Aborted)
        .count() as u32
}
#[cfg(not(txn))]
fn aborted_outcomes(_: &Trace) -> u32 {
    0
}

/// Transactions, read again from the log and its markers alone (`inspect::consumers_at`):
/// what each isolation level reads (read_uncommitted: every data record; read_committed: the
/// records of committed transactions and those written outside one, never an aborted one's,
/// never one of a transaction still open: the last stable offset); a marker's offset holds no
/// record, and no record of a fenced epoch comes after the marker that fenced it.
#[cfg(txn)]
fn transactions(t: &Trace) -> Result<(), String> {
    let Some(c) = &t.consumers else {
        return if t.markers.is_empty() {
            Ok(())
        } else {
            Err("markers without consumers".into())
        };
    };
    for r in &t.log {
        let before = t.markers.iter().filter(|m| m.partition == r.partition);
        for m in before {
            if m.offset == r.offset {
                return Err(format!(
                    "partition {}: offset {} is a record and a marker",
                    r.partition, r.offset
                ));
            }
            if let Some(id) = r
                .idem
                .filter(|id| m.offset < r.offset && id.epoch < m.epoch)
            {
                return Err(format!(
                    "partition {}: {} of epoch {} stored after a marker of epoch {}",
                    r.partition, t.messages[r.msg], id.epoch, m.epoch
                ));
            }
        }
    }
    let again = crate::inspect::consumers_at(t, u64::MAX);
    if c.read_uncommitted != again.read_uncommitted {
        return Err("read_uncommitted is not every data record".into());
    }
    if c.read_committed != again.read_committed {
        return Err(format!(
            "read_committed reads {} records; the log's committed ones are {}",
            c.read_committed.len(),
            again.read_committed.len()
        ));
    }
    Ok(())
}

/// One TCP connection is an ordered stream each way: the broker reads a connection's requests
/// in the order they were sent, the producer reads its answers in that order, and nothing
/// passes a lost packet: after a lost request (acks=1 or all) the broker reads no later request
/// of that connection, and after a lost answer the producer reads no later answer on it.
fn connections(t: &Trace) -> Result<(), String> {
    let mut conn_of: Vec<u32> = Vec::new();
    // Per connection: the last request read, the last answer read, where each stream broke.
    let mut read: Vec<Option<u32>> = Vec::new();
    let mut answered: Vec<Option<u32>> = Vec::new();
    let mut requests_lost: Vec<Option<u32>> = Vec::new();
    let mut answers_lost: Vec<Option<u32>> = Vec::new();
    let stalls = t.config.acks != Acks::Zero;
    for e in &t.events {
        let Event { kind, .. } = *e;
        if let EventKind::Request { req, conn, .. } = kind {
            if conn_of.len() != req as usize {
                return Err(format!("request {req} is not numbered in send order"));
            }
            conn_of.push(conn);
            let c = conn as usize;
            if read.len() <= c {
                read.resize(c + 1, None);
                answered.resize(c + 1, None);
                requests_lost.resize(c + 1, None);
                answers_lost.resize(c + 1, None);
            }
            continue;
        }
        let Some(req) = e.req() else { continue };
        let Some(&conn) = conn_of.get(req as usize) else {
            return Err(format!("request {req} is used before it is sent"));
        };
        let c = conn as usize;
        match kind {
            // Each partition of a request is decided in turn: a second batch of the request
            // being read is not a second read.
            EventKind::Decided { .. } if read[c] == Some(req) => {}
            EventKind::Decided { .. } | EventKind::BrokerFailed { .. } => {
                if read[c].is_some_and(|r| r >= req) {
                    return Err(format!(
                        "connection {conn}: request {req} read out of order"
                    ));
                }
                if requests_lost[c].is_some_and(|lost| lost < req) {
                    return Err(format!(
                        "connection {conn}: request {req} read past a lost request"
                    ));
                }
                read[c] = Some(req);
            }
            EventKind::RequestLost {
                cause: Loss::Scripted | Loss::Random,
                ..
            } if stalls => {
                requests_lost[c] = Some(requests_lost[c].map_or(req, |l| l.min(req)));
            }
            EventKind::ResponseLost { .. } => {
                answers_lost[c] = Some(answers_lost[c].map_or(req, |l| l.min(req)));
            }
            EventKind::ResponseReceived { .. } => {
                if answered[c].is_some_and(|r| r >= req) {
                    return Err(format!("connection {conn}: answer {req} read out of order"));
                }
                if answers_lost[c].is_some_and(|lost| lost < req) {
                    return Err(format!(
                        "connection {conn}: answer {req} read past a lost answer"
                    ));
                }
                answered[c] = Some(req);
            }
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Fault, Scenario};
    use crate::{simulate, Preset};

    #[test]
    fn a_real_run_passes_and_a_doctored_one_does_not() {
        let mut s = Scenario::new(&["A", "B", "C"], Preset::AtLeastOnce);
        s.sync = false;
        s.interval_ms = 10;
        s.faults = vec![Fault::DropRequest { msg: 1, attempt: 1 }];
        let t = simulate(&s).unwrap();
        assert_eq!(check(&t), Ok(()));

        // C's request read although B's, before it on the same connection, was lost.
        let mut bad = t.clone();
        let lost_b = bad
            .events
            .iter()
            .position(|e| matches!(e.kind, EventKind::RequestLost { req: 1, .. }))
            .unwrap();
        let held_c = bad
            .events
            .iter()
            .position(|e| matches!(e.kind, EventKind::RequestHeld { req: 2, behind: 1 }))
            .unwrap();
        bad.events[held_c].kind = EventKind::BrokerFailed { req: 2 };
        assert!(lost_b < held_c);
        assert!(check(&bad).unwrap_err().contains("past a lost request"));

        let mut bad = t.clone();
        bad.summary.duplicates += 1;
        assert!(check(&bad).unwrap_err().contains("disagrees"));
    }
}
