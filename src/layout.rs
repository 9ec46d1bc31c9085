//! Trace → positioned shapes. Pure: used by the on-screen SVG and by SVG export, tested natively.
//!
//! Time runs downward on one axis shared by every lane, so the same moment lines up across lanes.
//! Short gaps keep their proportions (arrow slope shows latency); long waits are compressed to a
//! fixed height and labelled with their length.

use delivery_sim::{Answer, EventKind, KafkaError, Loss, Trace};

/// The drawing's width: the lifelines, and room to their right for the broker's marks
/// ("≡ dup → off 1012" is about 90 units).
pub const WIDTH: f64 = 360.0;
pub const PRODUCER_X: f64 = 78.0;
pub const BROKER_X: f64 = 262.0;
pub const TOP: f64 = 30.0;
const SLOT_H: f64 = 14.0;
const PX_PER_MS: f64 = 1.8;
const MIN_GAP: f64 = 10.0;
const MAX_GAP: f64 = 36.0;
/// Gaps longer than this are drawn compressed, with their length written on them.
pub const BREAK_MS: u64 = 400;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Producer,
    Broker,
    Wire,
}

/// The shared vertical scale.
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    /// Each distinct time: (t_ms, y of its first slot, slots).
    rows: Vec<(u64, f64, u32)>,
    pub breaks: Vec<Break>,
    pub height: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Break {
    pub y: f64,
    pub ms: u64,
}

/// How many results (a record acknowledged, or failed) the application hears at the trace's
/// last moment.
#[cfg(not(feature = "embed"))]
fn results_at_end(t: &Trace) -> usize {
    let end = t.end_ms();
    t.events
        .iter()
        .rev()
        .take_while(|e| e.t_ms == end)
        .filter(|e| matches!(e.kind, EventKind::Acked { .. } | EventKind::Failed { .. }))
        .count()
}

impl Axis {
    pub fn new(traces: &[&Trace]) -> Axis {
        // (time, slots) from every lane, merged in time order: a time gets the most slots any
        // lane needs there.
        let lists: Vec<Vec<(u64, u32)>> = traces.iter().map(|t| endpoint_counts(t)).collect();
        let mut at = vec![0usize; lists.len()];
        let mut slots: Vec<(u64, u32)> = Vec::new();
        while let Some(t) = lists
            .iter()
            .zip(&at)
            .filter_map(|(l, &i)| l.get(i).map(|e| e.0))
            .min()
        {
            let mut n = 1;
            for (l, i) in lists.iter().zip(at.iter_mut()) {
                if let Some(&(lt, ln)) = l.get(*i) {
                    if lt == t {
                        n = n.max(ln);
                        *i += 1;
                    }
                }
            }
            slots.push((t, n));
        }
        let mut rows = Vec::with_capacity(slots.len());
        let mut breaks = Vec::new();
        let mut y = TOP;
        let mut prev: Option<(u64, u32)> = None;
        for &(t, n) in &slots {
            if let Some((pt, pn)) = prev {
                let dt = t - pt;
                y += (pn - 1) as f64 * SLOT_H;
                if dt > BREAK_MS {
                    breaks.push(Break {
                        y: y + MAX_GAP / 2.0,
                        ms: dt,
                    });
                    y += MAX_GAP;
                } else {
                    y += (dt as f64 * PX_PER_MS).clamp(MIN_GAP, MAX_GAP);
                }
            }
            rows.push((t, y, n));
            prev = Some((t, n));
        }
        // Room below the last moment for its results, one line each (`svg::mark_offsets`): a
        // batch's records are acknowledged together. (The embed page's batches hold one
        // record, and its sends wait for each result: one at a time.)
        #[cfg(not(feature = "embed"))]
        let tail = {
            let results = traces.iter().map(|t| results_at_end(t)).max().unwrap_or(0);
            30.0 + results.saturating_sub(2) as f64 * 11.0
        };
        #[cfg(feature = "embed")]
        let tail = 30.0;
        let height = y + prev.map_or(0.0, |(_, n)| (n - 1) as f64 * SLOT_H) + tail;
        Axis {
            rows,
            breaks,
            height,
        }
    }

    /// y of a time's given slot (times between rows are interpolated).
    pub fn y(&self, t: u64, slot: u32) -> f64 {
        match self.rows.binary_search_by_key(&t, |r| r.0) {
            Ok(i) => self.rows[i].1 + slot.min(self.rows[i].2 - 1) as f64 * SLOT_H,
            Err(0) => TOP,
            Err(i) if i == self.rows.len() => self.height - 30.0,
            Err(i) => {
                let (t0, y0, _) = self.rows[i - 1];
                let (t1, y1, _) = self.rows[i];
                y0 + (y1 - y0) * (t - t0) as f64 / (t1 - t0) as f64
            }
        }
    }

    /// The bottom of a time's row: where the playhead sits once that moment has happened.
    pub fn y_after(&self, t: u64) -> f64 {
        match self.rows.binary_search_by_key(&t, |r| r.0) {
            Ok(i) => self.rows[i].1 + (self.rows[i].2 - 1) as f64 * SLOT_H + 6.0,
            Err(_) => self.y(t, 0),
        }
    }

    /// Every distinct time, in order: the playback steps.
    pub fn times(&self) -> Vec<u64> {
        self.rows.iter().map(|r| r.0).collect()
    }
}

/// Slots at one moment: arrow ends per side, counted as the trace walks forward in time.
#[derive(Default)]
struct Slots {
    t: u64,
    used: [u32; 3],
}

impl Slots {
    /// Takes the next slot on `side` at time `t`.
    fn take(&mut self, t: u64, side: Side) -> u32 {
        if t != self.t {
            *self = Slots { t, used: [0; 3] };
        }
        let slot = self.used[side as usize];
        self.used[side as usize] += 1;
        slot
    }
}

/// For each time, the most arrow ends one side of one lane has there (times ascending).
fn endpoint_counts(t: &Trace) -> Vec<(u64, u32)> {
    let mut out: Vec<(u64, u32)> = Vec::new();
    let mut slots = Slots::default();
    walk(t, |_, time, side| {
        let n = slots.take(time, side) + 1;
        match out.last_mut() {
            Some(last) if last.0 == time => last.1 = last.1.max(n),
            _ => out.push((time, n)),
        }
    });
    out
}

/// Calls `f(req, t, side)` for each arrow end, in trace order. An arrival and the response that
/// leaves at the same moment share one end.
fn walk(t: &Trace, mut f: impl FnMut(u32, u64, Side)) {
    let mut arrived: Vec<u64> = Vec::new();
    for e in &t.events {
        let time = e.t_ms;
        match e.kind {
            EventKind::Request { req, .. } => f(req, time, Side::Producer),
            EventKind::RequestLost { req, cause } => {
                let side = if cause == Loss::BrokerDown {
                    Side::Broker
                } else {
                    Side::Wire
                };
                f(req, time, side)
            }
            EventKind::BrokerFailed { req } | EventKind::Decided { req, .. } => {
                set(&mut arrived, req, time, u64::MAX);
                f(req, time, Side::Broker)
            }
            EventKind::Response { req, .. } if arrived.get(req as usize) != Some(&time) => {
                f(req, time, Side::Broker)
            }
            EventKind::ResponseLost { req, .. }
            | EventKind::RequestHeld { req, .. }
            | EventKind::ResponseHeld { req, .. } => f(req, time, Side::Wire),
            EventKind::ResponseReceived { req, .. } => f(req, time, Side::Producer),
            // A transaction marker is a moment of its own on the broker's side: playback
            // stops there (a commit marker is when read_committed consumers see the records).
            #[cfg(txn)]
            EventKind::Marker { .. } => f(u32::MAX, time, Side::Broker),
            // A request to the coordinator leaves the producer, its answer reaches it.
            #[cfg(txn)]
            EventKind::TxnRequest { .. } | EventKind::TxnResponse { .. } => {
                f(u32::MAX, time, Side::Producer)
            }
            _ => {}
        }
    }
}

/// Request ids are dense from 0, so per-request facts live in plain vectors.
fn set<T: Clone>(v: &mut Vec<T>, req: u32, value: T, fill: T) {
    let i = req as usize;
    if v.len() <= i {
        v.resize(i + 1, fill);
    }
    v[i] = value;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArrowKind {
    Request,
    Response,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Arrow {
    pub kind: ArrowKind,
    pub req: u32,
    /// A request's batch (`Diagram::batches`); its first record is `msg`.
    pub batch: u32,
    pub msg: usize,
    pub attempt: u32,
    pub t0: u64,
    pub t1: u64,
    pub x1: f64,
    pub y1: f64,
    pub x2: f64,
    pub y2: f64,
    /// Lost on the way: drawn ending in a cross.
    pub lost: Option<Loss>,
    /// A response the producer had already given up on.
    pub stale: bool,
    /// Held in its connection behind a lost packet (or on a connection the broker stopped
    /// reading): it never arrives, drawn stopping short of the lifeline.
    pub held: bool,
    /// An error answer (OUT_OF_ORDER_SEQUENCE_NUMBER and the like).
    pub error: Option<&'static str>,
    /// A request's PID, epoch and sequence, when idempotent.
    pub idem: Option<delivery_sim::Idem>,
    /// The offset a response acknowledges.
    pub offset: Option<u64>,
}

impl Arrow {
    /// An arrow leaving `x1` at time `t` towards `x2`, its end not yet known (the events that
    /// follow say where and how it ends).
    fn leaving(
        kind: ArrowKind,
        req: u32,
        (msg, attempt): (usize, u32),
        t: u64,
        x1: f64,
        x2: f64,
        y: f64,
    ) -> Arrow {
        Arrow {
            kind,
            req,
            batch: u32::MAX,
            msg,
            attempt,
            t0: t,
            t1: t,
            x1,
            y1: y,
            x2,
            y2: y,
            lost: None,
            stale: false,
            held: false,
            error: None,
            idem: None,
            offset: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkKind {
    Stored,
    /// Stored again: a duplicate in the log.
    StoredAgain,
    /// The broker recognised a duplicate and did not store it.
    Deduplicated,
    /// Turned down; `n` is the error's place in `REJECTIONS`.
    Rejected,
    BrokerFailed,
    Timeout,
    Retry,
    Acked,
    Failed,
    Restart,
    #[cfg(not(feature = "embed"))]
    Failover,
    BrokerDown,
    BrokerUp,
    /// The broker closed the connection (acks=0 error) and the producer noticed.
    Closed,
    /// A follower (`n`) stops, or is back. (Replica marks are not on the embed page, whose
    /// engine has one broker.)
    #[cfg(not(feature = "embed"))]
    ReplicaDown,
    #[cfg(not(feature = "embed"))]
    ReplicaUp,
    /// A follower (`n`) leaves the ISR, or joins it again.
    #[cfg(not(feature = "embed"))]
    IsrOut,
    #[cfg(not(feature = "embed"))]
    IsrIn,
    /// The controller elects replica `n` leader (`n` = `NO_LEADER`: none, offline; `msg` set:
    /// an unclean election).
    #[cfg(not(feature = "embed"))]
    Elected,
    /// The application begins transaction `n` (from 1), or commits or aborts it.
    #[cfg(txn)]
    TxnBegin,
    #[cfg(txn)]
    TxnCommit,
    #[cfg(txn)]
    TxnAbort,
    /// The coordinator's marker at offset `n`: commit (`msg` set) or abort.
    #[cfg(txn)]
    Marker,
    /// The producer is fenced: it sends nothing more.
    #[cfg(txn)]
    Fenced,
}

/// `Mark::n` of an election that found no leader.
#[cfg(not(feature = "embed"))]
pub const NO_LEADER: u64 = u64::MAX;

/// The errors a broker mark can show, in `Mark::n`'s numbering.
pub const REJECTIONS: [KafkaError; 5] = [
    KafkaError::OutOfOrderSequenceNumber,
    KafkaError::NotEnoughReplicas,
    KafkaError::CorruptMessage,
    KafkaError::NotLeaderOrFollower,
    KafkaError::InvalidProducerEpoch,
];

#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    pub kind: MarkKind,
    pub t: u64,
    pub x: f64,
    pub y: f64,
    pub req: Option<u32>,
    pub msg: Option<usize>,
    /// The offset stored or acknowledged, or the attempt a retry will be. (Words are made when
    /// drawn, for the few marks in view: a 1,000-message run has thousands.)
    pub n: u64,
    /// The partition a broker's decision is about, on a topic of several; else `NO_PART`.
    pub part: u32,
}

pub const NO_PART: u32 = u32::MAX;

impl Mark {
    /// A mark at `x` in the first slot of time `t`, about no request or message (the fields
    /// that say more are set by who makes it).
    fn at(kind: MarkKind, t: u64, x: f64, axis: &Axis) -> Mark {
        Mark {
            part: NO_PART,
            kind,
            t,
            x,
            y: axis.y(t, 0),
            req: None,
            msg: None,
            n: 0,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Diagram {
    pub arrows: Vec<Arrow>,
    pub marks: Vec<Mark>,
    /// Each batch's records, by batch id (the trace's).
    pub batches: delivery_sim::trace::Batches,
    /// The batches of other partitions a request carries (`EventKind::Carries`): request,
    /// batch.
    #[cfg(feature = "partitions")]
    pub carried: Vec<(u32, u32)>,
    /// The transactional producer's requests to the coordinator and its answers.
    #[cfg(txn)]
    pub calls: Vec<Call>,
}

/// A request to the transaction coordinator, or its answer: drawn thin and dashed, not
/// clickable (the network faults name produce requests). The model has one broker, which is
/// the coordinator too; in Kafka the coordinator is the leader of the transactional id's
/// `__transaction_state` partition (`TransactionStateManager.partitionFor`), often another.
#[cfg(txn)]
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    /// Towards the coordinator.
    pub request: bool,
    pub t0: u64,
    pub t1: u64,
    pub y1: f64,
    pub y2: f64,
    /// "AddPartitionsToTxn", "EndTxn ✓"; an answer's error code, or the producer id and epoch.
    pub label: String,
    pub error: bool,
}

pub fn layout(trace: &Trace, axis: &Axis) -> Diagram {
    let mut d = Diagram::default();
    // The embed page runs one record a batch (`delivery_sim::sim::BATCHING`): its labels name
    // the first.
    if !cfg!(feature = "embed") {
        d.batches = trace.batches.clone();
    }
    // The y of each arrow end, in walk order.
    let mut ends: Vec<f64> = Vec::new();
    let mut slots = Slots::default();
    walk(trace, |_, t, side| {
        let slot = slots.take(t, side);
        ends.push(axis.y(t, slot));
    });
    let mut end_iter = ends.into_iter();
    let mut next_end = || end_iter.next().unwrap_or(TOP);
    // Per request: its open arrows (indexes into d.arrows), where it arrived, what it carried.
    const NONE: usize = usize::MAX;
    let mut open_req: Vec<usize> = Vec::new();
    let mut open_resp: Vec<usize> = Vec::new();
    let mut arrival_y: Vec<(u64, f64)> = Vec::new();
    let mut seen_msg = vec![false; trace.messages.len()];
    let mut req_msg: Vec<(usize, u32)> = Vec::new();
    let at = |v: &Vec<usize>, req: u32| v.get(req as usize).copied().filter(|&i| i != NONE);
    let mid = (PRODUCER_X + BROKER_X) / 2.0;
    let wire_x = |t0: u64, t1: u64, t_end: u64, from: f64, to: f64| {
        // A loss point sits where the message was when it was lost.
        if t_end <= t0 || t1 <= t0 {
            mid
        } else {
            from + (to - from) * ((t_end - t0) as f64 / (t1 - t0) as f64).clamp(0.2, 0.8)
        }
    };
    let latency = 2 * trace_latency(trace);
    // The records of aborted transactions, as (message, offset), sorted: looked up per stored
    // record below, once per layout rather than a search of the log each time.
    #[cfg(not(txn))]
    let aborted: Vec<(usize, u64)> = Vec::new();
    #[cfg(txn)]
    let aborted = {
        let mut v: Vec<(usize, u64)> = Vec::new();
        if !trace.markers.is_empty() {
            v = trace
                .log
                .iter()
                .filter(|r| trace.aborted_by(r).is_some())
                .map(|r| (r.msg, r.offset))
                .collect();
            v.sort_unstable();
        }
        v
    };
    for e in &trace.events {
        let t = e.t_ms;
        match e.kind {
            #[cfg(feature = "partitions")]
            EventKind::Carries { req, batch, .. } => d.carried.push((req, batch)),
            EventKind::Request {
                req,
                batch,
                msg,
                attempt,
                idem,
                ..
            } => {
                let y = next_end();
                set(&mut req_msg, req, (msg, attempt), (0, 1));
                set(&mut open_req, req, d.arrows.len(), NONE);
                d.arrows.push(Arrow {
                    batch,
                    idem,
                    ..Arrow::leaving(
                        ArrowKind::Request,
                        req,
                        (msg, attempt),
                        t,
                        PRODUCER_X,
                        BROKER_X,
                        y,
                    )
                });
            }
            EventKind::RequestLost { req, cause } => {
                let y = next_end();
                if let Some(i) = at(&open_req, req) {
                    let a = &mut d.arrows[i];
                    a.t1 = t;
                    a.lost = Some(cause);
                    a.x2 = if cause == Loss::BrokerDown {
                        BROKER_X
                    } else {
                        wire_x(a.t0, a.t0 + latency / 2, t, PRODUCER_X, BROKER_X)
                    };
                    a.y2 = y;
                }
            }
            EventKind::BrokerFailed { req } | EventKind::Decided { req, .. } => {
                let y = next_end();
                set(&mut arrival_y, req, (t, y), (u64::MAX, 0.0));
                if let Some(i) = at(&open_req, req) {
                    let a = &mut d.arrows[i];
                    a.t1 = t;
                    a.y2 = y;
                }
                let (msg, _) = req_msg.get(req as usize).copied().unwrap_or((0, 1));
                let (kind, n, msg, part) = decision(trace, e.kind, msg, &mut seen_msg, &aborted);
                d.marks.push(Mark {
                    part,
                    req: Some(req),
                    msg: Some(msg),
                    n,
                    y,
                    ..Mark::at(kind, t, BROKER_X, axis)
                });
            }
            EventKind::Response { req, answer } => {
                let y = match arrival_y.get(req as usize) {
                    Some(&(when, y)) if when == t => y,
                    _ => next_end(),
                };
                let sent = req_msg.get(req as usize).copied().unwrap_or((0, 1));
                set(&mut open_resp, req, d.arrows.len(), NONE);
                let offset = match answer {
                    Answer::Stored { offset } | Answer::Duplicate { offset } => Some(offset),
                    _ => None,
                };
                d.arrows.push(Arrow {
                    error: (!answer.is_ok()).then(|| answer.error_code()),
                    offset,
                    ..Arrow::leaving(ArrowKind::Response, req, sent, t, BROKER_X, PRODUCER_X, y)
                });
            }
            EventKind::ResponseLost { req, cause } => {
                let y = next_end();
                if let Some(i) = at(&open_resp, req) {
                    let a = &mut d.arrows[i];
                    a.t1 = t;
                    a.lost = Some(cause);
                    a.x2 = if cause == Loss::BrokerDown {
                        BROKER_X - 12.0
                    } else {
                        wire_x(a.t0, a.t0 + latency / 2, t, BROKER_X, PRODUCER_X)
                    };
                    a.y2 = y;
                }
            }
            EventKind::RequestHeld { req, .. } | EventKind::ResponseHeld { req, .. } => {
                let y = next_end();
                let (open, from, to) = if matches!(e.kind, EventKind::RequestHeld { .. }) {
                    (&open_req, PRODUCER_X, BROKER_X)
                } else {
                    (&open_resp, BROKER_X, PRODUCER_X)
                };
                if let Some(i) = at(open, req) {
                    let a = &mut d.arrows[i];
                    a.t1 = t;
                    a.held = true;
                    a.x2 = from + (to - from) * 0.7;
                    a.y2 = y;
                }
            }
            EventKind::ConnectionClosed { conn } => d.marks.push(Mark {
                n: conn as u64,
                ..Mark::at(MarkKind::Closed, t, PRODUCER_X, axis)
            }),
            EventKind::ResponseReceived { req, stale } => {
                let y = next_end();
                if let Some(i) = at(&open_resp, req) {
                    let a = &mut d.arrows[i];
                    a.t1 = t;
                    a.y2 = y;
                    a.stale = stale;
                }
            }
            // The requests that fail with it are not marked again: their retries are.
            EventKind::RequestTimeout { req } => {
                let (msg, _) = req_msg.get(req as usize).copied().unwrap_or((0, 1));
                d.marks.push(Mark {
                    req: Some(req),
                    msg: Some(msg),
                    ..Mark::at(MarkKind::Timeout, t, PRODUCER_X, axis)
                });
            }
            EventKind::RetryScheduled { msg, attempt, .. } => d.marks.push(Mark {
                msg: Some(msg),
                n: attempt as u64,
                ..Mark::at(MarkKind::Retry, t, PRODUCER_X, axis)
            }),
            EventKind::Acked { msg, .. } | EventKind::Failed { msg, .. } => {
                let kind = if matches!(e.kind, EventKind::Acked { .. }) {
                    MarkKind::Acked
                } else {
                    MarkKind::Failed
                };
                d.marks.push(Mark {
                    msg: Some(msg),
                    ..Mark::at(kind, t, PRODUCER_X, axis)
                })
            }
            #[cfg(not(feature = "embed"))]
            EventKind::ReplicaDown { replica }
            | EventKind::ReplicaUp { replica }
            | EventKind::IsrShrunk { replica, .. }
            | EventKind::IsrExpanded { replica }
            | EventKind::LeaderElected {
                replica: Some(replica),
                ..
            } => {
                let kind = match e.kind {
                    EventKind::ReplicaDown { .. } => MarkKind::ReplicaDown,
                    EventKind::ReplicaUp { .. } => MarkKind::ReplicaUp,
                    EventKind::IsrShrunk { .. } => MarkKind::IsrOut,
                    EventKind::IsrExpanded { .. } => MarkKind::IsrIn,
                    _ => MarkKind::Elected,
                };
                let unclean = matches!(e.kind, EventKind::LeaderElected { unclean: true, .. });
                d.marks.push(Mark {
                    msg: unclean.then_some(0),
                    n: replica.into(),
                    ..Mark::at(kind, t, BROKER_X, axis)
                });
            }
            #[cfg(not(feature = "embed"))]
            EventKind::LeaderFailover { .. } => {
                d.marks
                    .push(Mark::at(MarkKind::Failover, t, BROKER_X, axis))
            }
            #[cfg(not(feature = "embed"))]
            EventKind::LeaderElected { replica: None, .. } => d.marks.push(Mark {
                n: NO_LEADER,
                ..Mark::at(MarkKind::Elected, t, BROKER_X, axis)
            }),
            #[cfg(txn)]
            EventKind::TxnRequest { .. }
            | EventKind::TxnResponse { .. }
            | EventKind::BeginTxn { .. }
            | EventKind::EndTxn { .. }
            | EventKind::Marker { .. }
            | EventKind::ProducerFenced => {
                txn_shapes(&mut d, e.kind, t, axis, latency, &mut next_end)
            }
            EventKind::ProducerRestart | EventKind::BrokerDown | EventKind::BrokerUp => {
                let (kind, x) = match e.kind {
                    EventKind::ProducerRestart => (MarkKind::Restart, PRODUCER_X),
                    EventKind::BrokerDown => (MarkKind::BrokerDown, BROKER_X),
                    _ => (MarkKind::BrokerUp, BROKER_X),
                };
                d.marks.push(Mark::at(kind, t, x, axis));
            }
            _ => {}
        }
    }
    d
}

/// The broker's mark for what it did with a request's batch (`msg`: the request's first
/// record): stored (again, when a copy a reader keeps is in the log already), recognised as a
/// duplicate, turned down, or the broker failed first. Returns the mark's kind, its number (the
/// offset, or the error's place in `REJECTIONS`), the batch's first record and its partition.
/// (`aborted`: the records of aborted transactions, sorted, as (message, offset).)
fn decision(
    trace: &Trace,
    kind: EventKind,
    msg: usize,
    seen_msg: &mut [bool],
    aborted: &[(usize, u64)],
) -> (MarkKind, u64, usize, u32) {
    // A request carries a batch of each partition: the decision is about its batch
    // (`Sender.sendProduceRequest` sends one request to a broker for them all).
    #[cfg(feature = "partitions")]
    let (msg, part) = match kind {
        EventKind::Decided { batch, .. } => {
            let b = batch as usize;
            let first = trace.batches.get(b).first().copied().unwrap_or(msg);
            let part = trace.batches.partition(b);
            (first, if trace.partitions > 1 { part } else { NO_PART })
        }
        _ => (msg, NO_PART),
    };
    #[cfg(not(feature = "partitions"))]
    let (part, _) = (NO_PART, trace);
    let (kind, n) = match kind {
        EventKind::Decided {
            answer: Answer::Stored { offset },
            ..
        } => {
            // A copy in a transaction that aborts is no copy a reader keeps: the one written
            // after it is not stored again.
            let kept = aborted.binary_search(&(msg, offset)).is_err();
            let again = seen_msg[msg];
            seen_msg[msg] |= kept;
            let kind = if again {
                MarkKind::StoredAgain
            } else {
                MarkKind::Stored
            };
            (kind, offset)
        }
        EventKind::Decided {
            answer: Answer::Duplicate { offset },
            ..
        } => (MarkKind::Deduplicated, offset),
        EventKind::Decided { answer, .. } => {
            let error = answer.error().unwrap_or(KafkaError::NotLeaderOrFollower);
            let n = REJECTIONS.iter().position(|&r| r == error).unwrap_or(0);
            (MarkKind::Rejected, n as u64)
        }
        _ => (MarkKind::BrokerFailed, 0),
    };
    (kind, n, msg, part)
}

/// A transactional producer's moments: its calls to the coordinator, its begin / commit /
/// abort, the coordinator's markers, being fenced. (`next_end`: the next arrow end `walk`
/// counted.)
#[cfg(txn)]
fn txn_shapes(
    d: &mut Diagram,
    kind: EventKind,
    t: u64,
    axis: &Axis,
    latency: u64,
    next_end: &mut impl FnMut() -> f64,
) {
    match kind {
        // The coordinator is drawn on the one broker's lifeline: a call crosses the wire in
        // `latency_ms` each way, without jitter (docs/format.md, "What the model leaves out").
        EventKind::TxnRequest { call } => {
            let y1 = next_end();
            d.calls.push(Call {
                request: true,
                t0: t,
                t1: t + latency / 2,
                y1,
                y2: axis.y(t + latency / 2, 0),
                label: call_name(call).into(),
                error: false,
            });
        }
        EventKind::TxnResponse {
            call,
            error,
            pid,
            epoch,
        } => {
            let y2 = next_end();
            let t0 = t.saturating_sub(latency / 2);
            d.calls.push(Call {
                request: false,
                t0,
                t1: t,
                y1: axis.y(t0, 0),
                y2,
                label: match (error, call) {
                    (Some(e), _) => e.code().into(),
                    (None, delivery_sim::trace::TxnCall::InitProducerId) => {
                        format!("PID {pid} e{epoch}")
                    }
                    (None, _) => "OK".into(),
                },
                error: error.is_some(),
            });
        }
        other => {
            // The mark's kind, `n` and `msg` (see [`MarkKind`]).
            let (kind, n, msg) = match other {
                EventKind::BeginTxn { txn } => (MarkKind::TxnBegin, txn as u64 + 1, None),
                EventKind::EndTxn { txn, commit: true } => {
                    (MarkKind::TxnCommit, txn as u64 + 1, None)
                }
                EventKind::EndTxn { txn, .. } => (MarkKind::TxnAbort, txn as u64 + 1, None),
                EventKind::Marker { offset, commit, .. } => {
                    (MarkKind::Marker, offset, commit.then_some(0))
                }
                EventKind::ProducerFenced => (MarkKind::Fenced, 0, None),
                _ => return,
            };
            // A marker has its own slot (`walk`); the others sit at their moment.
            let (x, y) = if kind == MarkKind::Marker {
                (BROKER_X, next_end())
            } else {
                (PRODUCER_X, axis.y(t, 0))
            };
            d.marks.push(Mark {
                y,
                msg,
                n,
                ..Mark::at(kind, t, x, axis)
            });
        }
    }
}

/// A request to the coordinator, as Kafka names it.
#[cfg(txn)]
pub fn call_name(call: delivery_sim::trace::TxnCall) -> &'static str {
    use delivery_sim::trace::TxnCall;
    match call {
        TxnCall::InitProducerId => "InitProducerId",
        TxnCall::AddPartitions { .. } => "AddPartitionsToTxn",
        TxnCall::EndTxn { commit: true, .. } => "EndTxn ✓",
        TxnCall::EndTxn { .. } => "EndTxn ✕",
    }
}

/// One-way latency as the trace shows it (the first request's flight), for placing crosses.
fn trace_latency(t: &Trace) -> u64 {
    let mut sent: Vec<u64> = Vec::new();
    for e in &t.events {
        match e.kind {
            EventKind::Request { req, .. } => set(&mut sent, req, e.t_ms, u64::MAX),
            EventKind::Decided { req, .. } | EventKind::BrokerFailed { req } => {
                if let Some(&s) = sent.get(req as usize).filter(|&&s| s != u64::MAX) {
                    return e.t_ms - s;
                }
            }
            _ => {}
        }
    }
    10
}

#[cfg(test)]
mod tests {
    use super::*;
    use delivery_sim::scenario::Fault;
    use delivery_sim::{simulate, Preset, Scenario};

    fn side_by_side() -> Vec<Trace> {
        Preset::ALL
            .iter()
            .map(|&p| {
                let mut s = Scenario::new(&["A", "B", "C"], p);
                s.faults = vec![
                    Fault::DropRequest { msg: 1, attempt: 1 },
                    Fault::DropResponse { msg: 1, attempt: 2 },
                ];
                simulate(&s).unwrap()
            })
            .collect()
    }

    #[test]
    fn time_runs_down_and_long_waits_are_compressed() {
        let traces = side_by_side();
        let refs: Vec<&Trace> = traces.iter().collect();
        let axis = Axis::new(&refs);
        let times = axis.times();
        assert!(times.windows(2).all(|w| w[0] < w[1]));
        let ys: Vec<f64> = times.iter().map(|&t| axis.y(t, 0)).collect();
        assert!(ys.windows(2).all(|w| w[0] < w[1]));
        // Two 30 s request timeouts: two breaks, and the whole run fits in a screen or two.
        assert_eq!(axis.breaks.len(), 2);
        assert!(axis.breaks.iter().all(|b| b.ms > 29_000));
        assert!(axis.height < 900.0, "height {}", axis.height);
    }

    #[test]
    fn arrows_match_the_story() {
        let traces = side_by_side();
        let refs: Vec<&Trace> = traces.iter().collect();
        let axis = Axis::new(&refs);
        // at-least-once: B #1 request lost mid-wire, B #2's ACK lost, B #3 acknowledged.
        let d = layout(&traces[1], &axis);
        let b: Vec<&Arrow> = d.arrows.iter().filter(|a| a.msg == 1).collect();
        let lost: Vec<(ArrowKind, u32)> = b
            .iter()
            .filter(|a| a.lost.is_some())
            .map(|a| (a.kind, a.attempt))
            .collect();
        assert_eq!(lost, [(ArrowKind::Request, 1), (ArrowKind::Response, 2)]);
        let req1 = b.iter().find(|a| a.attempt == 1).unwrap();
        assert!(
            req1.x2 > PRODUCER_X && req1.x2 < BROKER_X,
            "cross on the wire"
        );
        assert!(
            d.arrows.iter().all(|a| a.y2 >= a.y1),
            "arrows slope downward"
        );
        let stored_again = d
            .marks
            .iter()
            .filter(|m| m.kind == MarkKind::StoredAgain)
            .count();
        assert_eq!(stored_again, 1);
        // exactly-once: the broker's dedup decision is drawn, with PID and sequence labels.
        let d = layout(&traces[2], &axis);
        assert_eq!(
            d.marks
                .iter()
                .filter(|m| m.kind == MarkKind::Deduplicated)
                .count(),
            1
        );
        assert!(d.arrows.iter().any(|a| a.kind == ArrowKind::Request
            && a.msg == 1
            && a.attempt == 3
            && a.idem.is_some_and(|id| id.pid == 0 && id.seq == 1)));
        // at-most-once: no responses at all.
        let d = layout(&traces[0], &axis);
        assert!(d.arrows.iter().all(|a| a.kind == ArrowKind::Request));
    }

    #[test]
    fn requests_sent_together_do_not_overlap() {
        let mut s = Scenario::new(&["A", "B", "C"], Preset::AtLeastOnce);
        s.sync = false;
        // linger.ms 0: three batches, three requests in the same millisecond.
        s.producer.set("linger.ms", "0");
        let t = simulate(&s).unwrap();
        let axis = Axis::new(&[&t]);
        let d = layout(&t, &axis);
        let starts: Vec<f64> = d
            .arrows
            .iter()
            .filter(|a| a.kind == ArrowKind::Request)
            .map(|a| a.y1)
            .collect();
        assert_eq!(starts.len(), 3);
        assert!(starts.windows(2).all(|w| w[1] - w[0] >= SLOT_H - 0.01));
    }

    // The embed page's engine runs one record a batch (`delivery_sim::sim::BATCHING`).
    #[cfg(not(feature = "embed"))]
    #[test]
    fn a_batch_is_one_arrow_labelled_with_its_records() {
        let mut s = Scenario::new(&["A", "B", "C", "D", "E"], Preset::ExactlyOnce);
        s.sync = false;
        let t = simulate(&s).unwrap();
        let d = layout(&t, &Axis::new(&[&t]));
        let labels: Vec<String> = d
            .arrows
            .iter()
            .map(|a| crate::svg::arrow_label(a, &d, &t.messages))
            .collect();
        // linger.ms 5 gathers the five sends into one batch: one request, one answer.
        assert_eq!(labels, ["A…E pid0 seq0-4", "ACK 0"]);
        s.messages.truncate(3);
        let t = simulate(&s).unwrap();
        let d = layout(&t, &Axis::new(&[&t]));
        assert_eq!(
            crate::svg::arrow_label(&d.arrows[0], &d, &t.messages),
            "A B C pid0 seq0-2"
        );
    }

    /// Four records acknowledged at the run's last moment: their marks stack below it, and the
    /// diagram is tall enough for the last.
    #[cfg(not(feature = "embed"))]
    #[test]
    fn the_diagram_has_room_for_every_result_of_its_last_moment() {
        let mut s = Scenario::new(&["A", "B", "C", "D"], Preset::ExactlyOnce);
        s.sync = false;
        let t = simulate(&s).unwrap();
        let axis = Axis::new(&[&t]);
        let d = layout(&t, &axis);
        let acks: Vec<(&Mark, f64)> = d
            .marks
            .iter()
            .zip(crate::svg::mark_offsets(&d.marks))
            .filter(|(m, _)| m.kind == MarkKind::Acked)
            .collect();
        assert_eq!(acks.len(), 4, "one batch, acknowledged together");
        let lowest = acks.iter().map(|(m, dy)| m.y + dy).fold(0.0, f64::max);
        assert!(lowest + 12.0 <= axis.height, "{lowest} in {}", axis.height);
    }

    #[cfg(feature = "partitions")]
    #[test]
    fn a_request_with_batches_of_several_partitions_names_each() {
        let mut s = Scenario::new(&["A", "B", "C", "D"], Preset::ExactlyOnce);
        s.sync = false;
        s.interval_ms = 1;
        s.partitions = 3;
        // murmur2: k1 to partition 2, k2 to 0, k3 to 1.
        s.keys = ["k1", "k2", "k3", "k1"]
            .map(|k| Some(k.to_string()))
            .to_vec();
        let t = simulate(&s).unwrap();
        let d = layout(&t, &Axis::new(&[&t]));
        assert_eq!(d.carried.len(), 2);
        assert_eq!(
            crate::svg::arrow_label(&d.arrows[0], &d, &t.messages),
            "B | C | A D pid0"
        );
        // The broker decides each partition's batch: three first writes at offset 0, none of
        // them a copy, each named by its partition.
        let stored: Vec<String> = d
            .marks
            .iter()
            .filter(|m| matches!(m.kind, MarkKind::Stored | MarkKind::StoredAgain))
            .map(|m| crate::svg::mark_text(m, crate::i18n::Lang::En.t(), &t.messages))
            .collect();
        assert_eq!(stored, ["▣ P0 off 0", "▣ P1 off 0", "▣ P2 off 0"]);
    }

    #[cfg(txn)]
    #[test]
    fn markers_are_moments_of_their_own_and_aborted_copies_are_not_stored_again() {
        let mut s = crate::stories::Story::Transactions.scenario();
        s.producer = Preset::Transactional.settings();
        let t = simulate(&s).unwrap();
        let axis = Axis::new(&[&t]);
        let d = layout(&t, &axis);
        // Playback stops at each marker: C's commit is when read_committed consumers read C.
        assert!(t.markers.iter().all(|m| axis.times().contains(&m.t_ms)));
        let markers: Vec<&Mark> = d
            .marks
            .iter()
            .filter(|m| m.kind == MarkKind::Marker)
            .collect();
        assert_eq!(markers.iter().map(|m| m.n).collect::<Vec<_>>(), [2, 5, 7]);
        assert_eq!(
            markers.iter().map(|m| m.msg.is_some()).collect::<Vec<_>>(),
            [false, true, true]
        );
        // A and B written again after the abort are not duplicates.
        assert!(d.marks.iter().all(|m| m.kind != MarkKind::StoredAgain));
        // Each call to the coordinator and its answer: the epochs the producer held, 0, then
        // (after CONCURRENT_TRANSACTIONS while the fence's abort completes) 2.
        let answers: Vec<&str> = d
            .calls
            .iter()
            .filter(|c| !c.request)
            .map(|c| c.label.as_str())
            .collect();
        assert_eq!(
            answers
                .iter()
                .filter(|l| l.starts_with("PID"))
                .collect::<Vec<_>>(),
            [&"PID 0 e0", &"PID 0 e2"]
        );
        assert!(answers.contains(&"CONCURRENT_TRANSACTIONS"));
        let requests: Vec<&str> = d
            .calls
            .iter()
            .filter(|c| c.request)
            .map(|c| c.label.as_str())
            .collect();
        assert_eq!(requests.iter().filter(|l| **l == "EndTxn ✓").count(), 2);
        assert!(d.calls.iter().all(|c| c.t0 < c.t1 && c.y1 < c.y2));
    }
}
