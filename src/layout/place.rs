//! A trace laid out as shapes: arrows, marks and the coordinator's calls, each at its height.

use super::*;

/// A run's shapes: one walk over its events, each arm placing one kind of event. It is long on
/// purpose: the same walk as a struct with a method an arm (tried 2026-12-01; it shared the
/// request's and the response's loss) cost the app 175 bytes gzip, more than its ceiling had
/// left.
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
            #[cfg(txn)]
            EventKind::TxnRequest { .. }
            | EventKind::TxnResponse { .. }
            | EventKind::BeginTxn { .. }
            | EventKind::EndTxn { .. }
            | EventKind::Marker { .. }
            | EventKind::ProducerFenced => {
                txn_shapes(&mut d, e.kind, t, axis, latency, &mut next_end)
            }
            _ => lifeline_mark(&mut d.marks, e.kind, t, axis),
        }
    }
    d
}

/// The marks on a lifeline that no arrow carries: a closed connection, a retry, a message's
/// result, the replicas' and the broker's changes, a producer restart.
fn lifeline_mark(marks: &mut Vec<Mark>, ev: EventKind, t: u64, axis: &Axis) {
    let mark = match ev {
        EventKind::ConnectionClosed { conn } => Mark {
            n: conn as u64,
            ..Mark::at(MarkKind::Closed, t, PRODUCER_X, axis)
        },
        EventKind::RetryScheduled { msg, attempt, .. } => Mark {
            msg: Some(msg),
            n: attempt as u64,
            ..Mark::at(MarkKind::Retry, t, PRODUCER_X, axis)
        },
        EventKind::Acked { msg, .. } | EventKind::Failed { msg, .. } => {
            let kind = if matches!(ev, EventKind::Acked { .. }) {
                MarkKind::Acked
            } else {
                MarkKind::Failed
            };
            Mark {
                msg: Some(msg),
                ..Mark::at(kind, t, PRODUCER_X, axis)
            }
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
            let kind = match ev {
                EventKind::ReplicaDown { .. } => MarkKind::ReplicaDown,
                EventKind::ReplicaUp { .. } => MarkKind::ReplicaUp,
                EventKind::IsrShrunk { .. } => MarkKind::IsrOut,
                EventKind::IsrExpanded { .. } => MarkKind::IsrIn,
                _ => MarkKind::Elected,
            };
            let unclean = matches!(ev, EventKind::LeaderElected { unclean: true, .. });
            Mark {
                msg: unclean.then_some(0),
                n: replica.into(),
                ..Mark::at(kind, t, BROKER_X, axis)
            }
        }
        #[cfg(not(feature = "embed"))]
        EventKind::LeaderFailover { .. } => Mark::at(MarkKind::Failover, t, BROKER_X, axis),
        #[cfg(not(feature = "embed"))]
        EventKind::LeaderElected { replica: None, .. } => Mark {
            n: NO_LEADER,
            ..Mark::at(MarkKind::Elected, t, BROKER_X, axis)
        },
        EventKind::ProducerRestart | EventKind::BrokerDown | EventKind::BrokerUp => {
            let (kind, x) = match ev {
                EventKind::ProducerRestart => (MarkKind::Restart, PRODUCER_X),
                EventKind::BrokerDown => (MarkKind::BrokerDown, BROKER_X),
                _ => (MarkKind::BrokerUp, BROKER_X),
            };
            Mark::at(kind, t, x, axis)
        }
        _ => return,
    };
    marks.push(mark);
}

/// The broker's mark for what it did with a request's batch (`msg`: the request's first
/// record): stored (again, when a copy a reader keeps is in the log already), recognised as a
/// duplicate, turned down, or the broker failed first. Returns the mark's kind, its number (the
/// offset, or the error's place in `REJECTIONS`), the batch's first record and its partition.
/// (`aborted`: the records of aborted transactions, sorted, as (message, offset).)
pub(super) fn decision(
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
pub(super) fn txn_shapes(
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
pub(super) fn trace_latency(t: &Trace) -> u64 {
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
