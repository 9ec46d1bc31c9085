//! The producer state at a moment of a run, read from its trace: what the broker remembers per
//! producer id (Kafka's `ProducerStateEntry`: epoch and the last five batches' sequence range
//! and offset), what the idempotent producer holds (PID, epoch, next sequence, requests in flight,
//! a stalled connection), and why the broker answered a request as it did.
//!
//! The broker's part follows its rules as the engine applies them (`sim/broker.rs`): a batch
//! stored under a new epoch clears the entry, the last `NUM_BATCHES_TO_RETAIN` are kept, and a
//! leader failover rebuilds the entries from the records that remain.
//!
//! With replicas, [`replicas_at`] reads the partition's side the same way: the leader, the
//! followers that are down, the ISR and the high watermark.

use crate::config::Acks;
use crate::sim::NUM_BATCHES_TO_RETAIN;
use crate::trace::{Answer, EventKind, Idem, Trace};

/// A number by partition: one without the feature `partitions` (the web pages).
#[cfg(feature = "partitions")]
pub type Seqs = Vec<u32>;
#[cfg(not(feature = "partitions"))]
pub type Seqs = [u32; 1];

/// Batch `batch`'s partition (0 without the feature `partitions`: the web pages).
fn partition_of(trace: &Trace, batch: u32) -> u32 {
    if cfg!(feature = "partitions") {
        trace.batches.partition(batch as usize)
    } else {
        0
    }
}

/// What the broker remembers of one producer id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PidEntry {
    /// The partition whose log keeps it (ProducerStateManager is per partition).
    pub partition: u32,
    pub pid: u64,
    pub epoch: u16,
    /// (first sequence, last sequence, first offset) of the last batches stored, oldest first
    /// (at most five): Kafka's BatchMetadata.
    pub batches: Vec<(u32, u32, u64)>,
}

impl PidEntry {
    /// The sequence the broker expects next from this producer id.
    pub fn expects(&self) -> u32 {
        self.batches.last().map_or(0, |&(_, last, _)| last + 1)
    }
}

/// A request the producer has sent and not yet had settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InFlight {
    pub req: u32,
    /// Its batch (`Trace::batches`) and the batch's first record.
    pub batch: u32,
    pub msg: usize,
    pub attempt: u32,
    pub seq: Option<u32>,
}

/// The producer's side.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProducerSide {
    /// The producer id and epoch, once it has one (only the idempotent producer does).
    pub pid: Option<(u64, u16)>,
    /// The sequence its next new batch gets, by partition.
    pub next_seq: Seqs,
    pub in_flight: Vec<InFlight>,
    /// The connection is stalled behind this request's lost request or answer, until the
    /// request timeout closes it: (request, whether its answer was lost).
    pub stalled: Option<(u32, bool)>,
    /// An expired batch's sequence is unresolved: no new sequence is given out until what is in
    /// flight settles; the value is the sequence after it.
    pub unresolved: Option<u32>,
}

/// Why the broker answered a request as it did, from the state before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// No producer id: nothing to check, stored.
    Plain { offset: u64 },
    /// The sequence was the next expected: stored.
    Next { id: Idem, offset: u64 },
    /// The sequence is among the last five batches: a duplicate, acknowledged with the original
    /// offset, not stored.
    InWindow { id: Idem, offset: u64 },
    /// Not the next sequence and not in the window.
    OutOfOrder { id: Idem, expected: u32 },
    /// An older epoch.
    Fenced { id: Idem },
    /// Turned down before the append (a broker error): nothing remembered.
    Rejected { error: crate::KafkaError },
}

/// The producer state once every event up to `upto_ms` has happened.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Snapshot {
    pub broker: Vec<PidEntry>,
    pub producer: ProducerSide,
}

/// A stored batch: its base id, record count, first offset and partition.
type Stored = (Idem, u32, u64, u32);

fn remember(pids: &mut Vec<PidEntry>, (id, count, offset, partition): Stored) {
    let i = match pids
        .iter()
        .position(|p| (p.partition, p.pid) == (partition, id.pid))
    {
        Some(i) => i,
        None => {
            pids.push(PidEntry {
                partition,
                pid: id.pid,
                epoch: id.epoch,
                batches: Vec::new(),
            });
            pids.len() - 1
        }
    };
    let e = &mut pids[i];
    if e.epoch != id.epoch {
        e.epoch = id.epoch;
        e.batches.clear();
    }
    e.batches.push((id.seq, id.seq + count - 1, offset));
    if e.batches.len() > NUM_BATCHES_TO_RETAIN {
        e.batches.remove(0);
    }
}

/// The state after the events up to and including time `upto_ms`; and, when `req` was decided
/// by then, why.
pub fn at(trace: &Trace, upto_ms: u64, req: Option<u32>) -> (Snapshot, Option<Decision>) {
    fold(
        trace,
        trace.events.partition_point(|e| e.t_ms <= upto_ms),
        req,
    )
}

/// The next new sequence of the partition of `batch`, once a request carries it.
fn next_seq(s: &mut Snapshot, trace: &Trace, batch: u32, id: Option<Idem>) {
    let n = trace.batches.get(batch as usize).len().max(1) as u32;
    let p = partition_of(trace, batch) as usize;
    if let (Some(id), Some(next)) = (id, s.producer.next_seq.get_mut(p)) {
        *next = (*next).max(id.seq + n);
    }
}

/// The state after the trace's first `events` events; and, when `req` was decided by then, why.
pub fn fold(trace: &Trace, events: usize, req: Option<u32>) -> (Snapshot, Option<Decision>) {
    let mut s = Snapshot::default();
    #[cfg(feature = "partitions")]
    {
        s.producer.next_seq = vec![0; trace.partitions.max(1) as usize];
    }
    // Each request's batch with the producer id and base sequence it was sent with (a batch
    // renumbered after an epoch bump is sent again with another), by request; the batches of
    // other partitions requests carry; and the log's batches (for a failover).
    let mut sent: Vec<(u32, Option<Idem>)> = Vec::new();
    #[cfg(feature = "partitions")]
    let mut carried: Vec<(u32, u32, Option<Idem>)> = Vec::new();
    let mut log: Vec<(Option<Idem>, u32, u64)> = Vec::new();
    let mut decision = None;
    for e in &trace.events[..events.min(trace.events.len())] {
        match e.kind {
            EventKind::InitProducerId { pid, epoch } => {
                s.producer.pid = Some((pid, epoch));
                s.producer.next_seq.fill(0);
            }
            EventKind::EpochBumped { epoch } => {
                if let Some((pid, _)) = s.producer.pid {
                    s.producer.pid = Some((pid, epoch));
                }
                s.producer.next_seq.fill(0);
            }
            EventKind::ProducerRestart => {
                s.producer.in_flight.clear();
                s.producer.stalled = None;
                s.producer.unresolved = None;
            }
            EventKind::SequenceUnresolved { next_seq } => s.producer.unresolved = Some(next_seq),
            EventKind::SequencesResolved { .. } => s.producer.unresolved = None,
            EventKind::Request {
                req: r,
                batch,
                msg,
                attempt,
                idem: id,
                ..
            } => {
                if sent.len() <= r as usize {
                    sent.resize(r as usize + 1, (0, None));
                }
                sent[r as usize] = (batch, id);
                next_seq(&mut s, trace, batch, id);
                // With acks=0 no answer is expected: the request is done once sent
                // (NetworkClient.handleCompletedSends), so it is never in flight.
                if trace.config.acks != Acks::Zero {
                    s.producer.in_flight.push(InFlight {
                        req: r,
                        batch,
                        msg,
                        attempt,
                        seq: id.map(|i| i.seq),
                    });
                }
            }
            // (Only with several partitions: crate::sim::PARTITIONS.)
            #[cfg(feature = "partitions")]
            EventKind::Carries {
                req: r,
                batch,
                idem: id,
                ..
            } => {
                carried.push((r, batch, id));
                next_seq(&mut s, trace, batch, id);
            }
            EventKind::Decided {
                req: r,
                batch,
                answer,
            } => {
                let id = match sent.get(r as usize) {
                    Some(&(b, id)) if b == batch => id,
                    #[cfg(feature = "partitions")]
                    _ => carried
                        .iter()
                        .rev()
                        .find(|x| (x.0, x.1) == (r, batch))
                        .and_then(|x| x.2),
                    #[cfg(not(feature = "partitions"))]
                    _ => None,
                };
                let n = trace.batches.get(batch as usize).len().max(1) as u32;
                let d = match (answer, id) {
                    (Answer::Stored { offset }, None) => Decision::Plain { offset },
                    (Answer::Stored { offset }, Some(id)) => Decision::Next { id, offset },
                    (Answer::Duplicate { offset }, Some(id)) => Decision::InWindow { id, offset },
                    (Answer::OutOfOrder { expected }, Some(id)) => {
                        Decision::OutOfOrder { id, expected }
                    }
                    (Answer::InvalidEpoch, Some(id)) => Decision::Fenced { id },
                    (Answer::Rejected(error), _) => Decision::Rejected { error },
                    // Answers only an idempotent request gets, without its id: not in a trace.
                    (_, None) => continue,
                };
                if Some(r) == req {
                    decision = Some(d);
                }
                if let Answer::Stored { offset } = answer {
                    let p = partition_of(trace, batch);
                    // A failover (one partition: replicas) truncates partition 0's log.
                    if p == 0 {
                        log.push((id, n, offset));
                    }
                    if let Some(id) = id {
                        remember(&mut s.broker, (id, n, offset, p));
                    }
                }
            }
            EventKind::LeaderFailover { from_offset, .. } => {
                log.retain(|&(_, n, offset)| offset + n as u64 <= from_offset);
                s.broker.clear();
                for &(id, n, offset) in &log {
                    if let Some(id) = id {
                        remember(&mut s.broker, (id, n, offset, 0));
                    }
                }
            }
            EventKind::RequestLost { req: r, .. } if s.producer.stalled.is_none() => {
                s.producer.stalled = Some((r, false));
            }
            EventKind::ResponseLost { req: r, .. } if s.producer.stalled.is_none() => {
                s.producer.stalled = Some((r, true));
            }
            EventKind::ResponseReceived { req: r, .. }
            | EventKind::RequestTimeout { req: r }
            | EventKind::Disconnected { req: r } => {
                s.producer.in_flight.retain(|f| f.req != r);
                if matches!(e.kind, EventKind::RequestTimeout { .. }) {
                    s.producer.stalled = None;
                }
            }
            EventKind::ConnectionClosed { .. } => s.producer.stalled = None,
            _ => {}
        }
    }
    (s, decision)
}

/// One replica of the partition at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReplicaState {
    /// Its broker is stopped (`replica_down`), or it led and failed.
    pub down: bool,
    pub in_isr: bool,
}

/// The partition's replicas at a moment, as the trace tells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replicas {
    /// The leader, or none: the partition is offline.
    pub leader: Option<usize>,
    /// By replica id (0 leads first).
    pub replicas: Vec<ReplicaState>,
    /// The high watermark: a consumer reads the records below it.
    pub hw: u64,
}

impl Replicas {
    /// The ISR's members, in id order.
    pub fn isr(&self) -> Vec<usize> {
        (0..self.replicas.len())
            .filter(|&r| self.replicas[r].in_isr)
            .collect()
    }
}

/// The replicas of a partition of `count` replicas once every event up to `upto_ms` has
/// happened. The elections follow the engine's (`sim/broker.rs`, after
/// PartitionChangeBuilder.electAnyLeader): the failed leader leaves for good, and after an
/// unclean election the ISR is the new leader alone.
pub fn replicas_at(trace: &Trace, count: u32, upto_ms: u64) -> Replicas {
    let n = (count as usize).max(1);
    let at = |r: u32| (r as usize).min(n - 1);
    let mut out = Replicas {
        leader: Some(0),
        replicas: vec![
            ReplicaState {
                down: false,
                in_isr: true,
            };
            n
        ],
        hw: 0,
    };
    let r = &mut out.replicas;
    for e in trace.events.iter().take_while(|e| e.t_ms <= upto_ms) {
        match e.kind {
            EventKind::ReplicaDown { replica } => r[at(replica)].down = true,
            EventKind::ReplicaUp { replica } => r[at(replica)].down = false,
            EventKind::IsrShrunk { replica, .. } => r[at(replica)].in_isr = false,
            EventKind::IsrExpanded { replica } => r[at(replica)].in_isr = true,
            EventKind::Replicated { offset } => out.hw = out.hw.max(offset + 1),
            // The new leader's log ends there, and its high watermark with it.
            EventKind::LeaderFailover { from_offset, .. } => out.hw = out.hw.min(from_offset),
            EventKind::LeaderElected { replica, unclean } => {
                if let Some(old) = out.leader {
                    r[old] = ReplicaState {
                        down: true,
                        in_isr: false,
                    };
                }
                if unclean {
                    r.iter_mut().for_each(|x| x.in_isr = false);
                }
                out.leader = replica.map(at);
                if let Some(l) = out.leader {
                    r[l].in_isr = true;
                }
            }
            _ => {}
        }
    }
    out
}

/// What a consumer of the whole topic reads at `upto_ms` with each isolation level, from the
/// records and markers written by then, partition by partition in offset order
/// (`isolation.level`; the broker's last stable offset and aborted transactions, read again
/// from the log): read_uncommitted every data record; read_committed the records written
/// outside a transaction and those of transactions committed by then, stopping at the first
/// record of a transaction still open. Markers are never data. At the end of the run it is
/// the trace's `consumers`.
#[cfg(txn)]
pub fn consumers_at(t: &Trace, upto_ms: u64) -> crate::trace::Consumers {
    let transactional = t
        .events
        .iter()
        .any(|e| matches!(e.kind, EventKind::TxnRequest { .. }));
    let mut out = crate::trace::Consumers::default();
    for p in 0..t.partitions.max(1) {
        // (`Trace::log` holds each partition's records in offset order.)
        let data: Vec<_> = t
            .log
            .iter()
            .filter(|r| r.partition == p && r.t_ms <= upto_ms)
            .collect();
        // Each record with how it ends: a marker of its producer id after it, if any.
        let mut lso = u64::MAX;
        let mut committed = Vec::new();
        for r in &data {
            out.read_uncommitted.push(r.msg);
            if r.idem.is_none() || !transactional {
                committed.push((r.offset, r.msg));
                continue;
            }
            // Its marker, if written by then (within a partition, offset order is time order).
            let end = t
                .ended_by(r)
                .map(|k| &t.markers[k])
                .filter(|m| m.t_ms <= upto_ms);
            match end {
                Some(m) if m.commit => committed.push((r.offset, r.msg)),
                Some(_) => {}
                // Still open: the last stable offset is at most here.
                None => lso = lso.min(r.offset),
            }
        }
        out.read_committed
            .extend(committed.iter().filter(|&&(o, _)| o < lso).map(|&(_, m)| m));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Preset;
    use crate::scenario::{Fault, Scenario};

    /// RF 3, min.insync.replicas 2, both followers stop: fenced after 9 s, they leave the ISR;
    /// A (sent at once) is committed only when they return at 600 s and fetch it.
    #[test]
    fn replicas_follow_fencing_and_the_high_watermark() {
        let mut s = Scenario::new(&["A"], Preset::AtLeastOnce);
        s.broker.replicas = 3;
        s.broker.min_insync = 2;
        s.faults = vec![
            Fault::ReplicaDown {
                replica: 1,
                from_ms: 0,
                to_ms: 600_000,
            },
            Fault::ReplicaDown {
                replica: 2,
                from_ms: 0,
                to_ms: 600_000,
            },
        ];
        let t = crate::simulate(&s).unwrap();
        let before = replicas_at(&t, 3, 8_999);
        assert_eq!(before.isr(), [0, 1, 2]);
        assert!(before.replicas[1].down && before.replicas[2].down);
        assert_eq!(before.hw, 0);
        let fenced = replicas_at(&t, 3, 9_000);
        assert_eq!(fenced.isr(), [0]);
        assert_eq!(fenced.leader, Some(0));
        let back = replicas_at(&t, 3, u64::MAX);
        assert_eq!(back.isr(), [0, 1, 2]);
        assert_eq!(back.hw, 1);
    }

    /// An unclean election: the failed leader is down and out, the new leader alone in the
    /// ISR, and the high watermark no higher than its log.
    #[test]
    fn an_unclean_election_leaves_the_new_leader_alone_in_the_isr() {
        let mut s = Scenario::new(&["A", "B", "C"], Preset::AtLeastOnce);
        s.sync = true;
        s.broker.replicas = 2;
        s.broker.replication_ms = 10;
        s.broker.unclean = true;
        s.faults = vec![
            Fault::ReplicaDown {
                replica: 1,
                from_ms: 0,
                to_ms: 10_000,
            },
            Fault::LeaderFailover { at_ms: 10_005 },
        ];
        let t = crate::simulate(&s).unwrap();
        let after = replicas_at(&t, 2, u64::MAX);
        assert_eq!(after.leader, Some(1));
        assert_eq!(after.isr(), [1]);
        assert!(after.replicas[0].down && !after.replicas[0].in_isr);
        assert_eq!(after.hw, 0);
    }

    #[test]
    fn story_3_the_resend_is_in_the_window() {
        // The seed's third story: B's ACK is lost; B is sent again with the same sequence and
        // recognised.
        let mut s = Scenario::new(&["A", "B", "C"], Preset::ExactlyOnce);
        s.faults = vec![Fault::DropResponse { msg: 1, attempt: 1 }];
        let t = crate::simulate(&s).unwrap();
        let resend = t
            .events
            .iter()
            .find_map(|e| match e.kind {
                EventKind::Request {
                    req,
                    msg: 1,
                    attempt: 2,
                    ..
                } => Some(req),
                _ => None,
            })
            .unwrap();
        let decided = t
            .events
            .iter()
            .find(|e| matches!(e.kind, EventKind::Decided { req, .. } if req == resend))
            .unwrap();
        let (snap, why) = at(&t, decided.t_ms, Some(resend));
        assert_eq!(
            why,
            Some(Decision::InWindow {
                id: Idem {
                    pid: 0,
                    epoch: 0,
                    seq: 1
                },
                offset: 1
            })
        );
        // PID 0 remembers seqs 0 and 1 at offsets 0 and 1 and expects 2.
        assert_eq!(snap.broker.len(), 1);
        assert_eq!(snap.broker[0].batches, vec![(0, 0, 0), (1, 1, 1)]);
        assert_eq!(snap.broker[0].expects(), 2);
        assert_eq!(snap.producer.pid, Some((0, 0)));
        assert_eq!(snap.producer.next_seq, [2]);
    }

    #[test]
    fn without_idempotence_there_is_nothing_to_remember() {
        let mut s = Scenario::new(&["A", "B", "C"], Preset::AtLeastOnce);
        s.faults = vec![Fault::DropResponse { msg: 1, attempt: 1 }];
        let t = crate::simulate(&s).unwrap();
        let (snap, _) = at(&t, t.end_ms(), None);
        assert!(snap.broker.is_empty());
        assert_eq!(snap.producer.pid, None);
        assert!(snap.producer.in_flight.is_empty());
    }

    #[test]
    fn with_acks_0_nothing_waits_for_an_answer() {
        let mut s = Scenario::new(&["A", "B", "C"], Preset::AtMostOnce);
        s.sync = false;
        let t = crate::simulate(&s).unwrap();
        let sent = t
            .events
            .iter()
            .rposition(|e| matches!(e.kind, EventKind::Request { .. }))
            .unwrap();
        let (snap, _) = fold(&t, sent + 1, None);
        assert!(snap.producer.in_flight.is_empty());
    }

    #[test]
    fn an_expired_batch_leaves_its_sequence_unresolved_until_nothing_is_in_flight() {
        // A's request is lost twice; A and B (queued for its retry) expire at the delivery
        // timeout. Their fate is unknown until nothing is in flight; then the gap bumps the epoch.
        let s = Scenario::from_json_text(
            r#"{"messages": ["A", "B"], "mode": "exactly-once",
                "producer": {"request.timeout.ms": 1000, "delivery.timeout.ms": 1500},
                "faults": [{"kind": "drop_request", "message": "A", "attempt": 1},
                           {"kind": "drop_request", "message": "A", "attempt": 2}]}"#,
        )
        .unwrap();
        let t = crate::simulate(&s).unwrap();
        let at_kind =
            |pick: fn(&EventKind) -> bool| t.events.iter().position(|e| pick(&e.kind)).unwrap();
        let unresolved = at_kind(|k| matches!(k, EventKind::SequenceUnresolved { .. }));
        let resolved = at_kind(|k| matches!(k, EventKind::SequencesResolved { gap: true }));
        let bumped = at_kind(|k| matches!(k, EventKind::EpochBumped { epoch: 1 }));
        assert!(unresolved < resolved && resolved < bumped);
        assert_eq!(
            fold(&t, unresolved + 1, None).0.producer.unresolved,
            Some(2)
        );
        assert_eq!(fold(&t, resolved + 1, None).0.producer.unresolved, None);
    }

    #[test]
    fn a_lost_ack_stalls_the_connection_until_the_timeout() {
        let mut s = Scenario::new(&["A", "B", "C"], Preset::ExactlyOnce);
        s.sync = false;
        // Wider apart than linger.ms: a batch, and a request, each.
        s.interval_ms = 10;
        s.faults = vec![Fault::DropResponse { msg: 0, attempt: 1 }];
        let t = crate::simulate(&s).unwrap();
        let (snap, _) = at(&t, 100, None);
        assert_eq!(snap.producer.stalled, Some((0, true)));
        assert_eq!(snap.producer.in_flight.len(), 3, "A, B, C wait for answers");
        let (snap, _) = at(&t, t.end_ms(), None);
        assert_eq!(snap.producer.stalled, None);
        assert!(snap.producer.in_flight.is_empty());
    }
}
