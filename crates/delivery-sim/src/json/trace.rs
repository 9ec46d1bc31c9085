//! A run in the CLI's format (docs/format.md), as serde writes it: the log, each message's
//! outcome, what consumers read, the summary, the producer's effective settings, the notes and
//! the events, every message named by name.

#[cfg(txn)]
use crate::trace::TxnCall;
use crate::trace::{event_type, Answer, Event, EventKind, FailReason, Idem, KafkaError, Trace};
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde::Serialize as Derive;

/// A trace as the CLI prints it; `Trace::to_json` writes it.
#[derive(Derive)]
pub struct TraceJson<'a> {
    log: Vec<RecordJson<'a>>,
    outcomes: Outcomes<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    consumers: Option<ConsumersJson<'a>>,
    summary: SummaryJson,
    config: ConfigJson<'a>,
    notes: Vec<String>,
    events: Vec<EventJson<'a>>,
}

/// A record of the log, or (with transactions) a marker: `"control": "commit" | "abort"`. The
/// partition is named only when the topic has several.
#[derive(Derive)]
struct RecordJson<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    partition: Option<u32>,
    offset: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    attempt: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    control: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pid: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    epoch: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    seq: Option<u32>,
}

/// Each message's outcome, in the order of `messages`.
struct Outcomes<'a>(&'a Trace);

impl Serialize for Outcomes<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let t = self.0;
        s.collect_map(
            t.outcomes
                .iter()
                .enumerate()
                .map(|(i, o)| (t.name(i), o.as_str())),
        )
    }
}

#[derive(Derive)]
struct ConsumersJson<'a> {
    read_uncommitted: Vec<&'a str>,
    read_committed: Vec<&'a str>,
}

#[derive(Derive)]
struct SummaryJson {
    messages: u32,
    stored: u32,
    duplicates: u32,
    lost: u32,
    failed: u32,
    reordered: u32,
    /// Only where there are transactions.
    #[serde(skip_serializing_if = "Option::is_none")]
    aborted: Option<u32>,
}

/// The producer's effective settings, by Kafka's names.
#[derive(Derive)]
struct ConfigJson<'a> {
    acks: &'static str,
    retries: u32,
    #[serde(rename = "enable.idempotence")]
    enable_idempotence: bool,
    #[serde(rename = "max.in.flight.requests.per.connection")]
    max_in_flight: u32,
    #[serde(rename = "retry.backoff.ms")]
    retry_backoff_ms: u64,
    #[serde(rename = "retry.backoff.max.ms")]
    retry_backoff_max_ms: u64,
    #[serde(rename = "request.timeout.ms")]
    request_timeout_ms: u64,
    #[serde(rename = "delivery.timeout.ms")]
    delivery_timeout_ms: u64,
    #[serde(rename = "linger.ms")]
    linger_ms: u64,
    #[serde(rename = "batch.size")]
    batch_size: u64,
    #[serde(rename = "transactional.id", skip_serializing_if = "Option::is_none")]
    transactional_id: Option<&'a str>,
    #[serde(
        rename = "transaction.timeout.ms",
        skip_serializing_if = "Option::is_none"
    )]
    transaction_timeout_ms: Option<u64>,
}

impl<'a> TraceJson<'a> {
    pub fn of(t: &'a Trace) -> TraceJson<'a> {
        let s = &t.summary;
        let c = &t.config;
        #[cfg(txn)]
        let (consumers, aborted, txn_id) = (
            t.consumers.as_ref().map(|c| ConsumersJson {
                read_uncommitted: c.read_uncommitted.iter().map(|&m| t.name(m)).collect(),
                read_committed: c.read_committed.iter().map(|&m| t.name(m)).collect(),
            }),
            t.consumers.is_some().then_some(s.aborted),
            c.transactional_id.as_deref(),
        );
        #[cfg(not(txn))]
        let (consumers, aborted, txn_id) = (None, None, None);
        TraceJson {
            log: records(t),
            outcomes: Outcomes(t),
            consumers,
            summary: SummaryJson {
                messages: s.messages,
                stored: s.stored,
                duplicates: s.duplicates,
                lost: s.lost,
                failed: s.failed,
                reordered: s.reordered,
                aborted,
            },
            config: ConfigJson {
                acks: c.acks.as_str(),
                retries: c.retries,
                enable_idempotence: c.enable_idempotence,
                max_in_flight: c.max_in_flight,
                retry_backoff_ms: c.retry_backoff_ms,
                retry_backoff_max_ms: c.retry_backoff_max_ms,
                request_timeout_ms: c.request_timeout_ms,
                delivery_timeout_ms: c.delivery_timeout_ms,
                linger_ms: c.linger_ms,
                batch_size: c.batch_size,
                transactional_id: txn_id,
                #[cfg(txn)]
                transaction_timeout_ms: txn_id.map(|_| c.transaction_timeout_ms),
                #[cfg(not(txn))]
                transaction_timeout_ms: None,
            },
            notes: t.notes.iter().map(|n| n.to_string()).collect(),
            events: t.events.iter().map(|e| EventJson(t, e)).collect(),
        }
    }
}

/// The log's records, with the markers among them by partition and offset.
fn records(t: &Trace) -> Vec<RecordJson<'_>> {
    let several = crate::sim::PARTITIONS && t.partitions > 1;
    let part = |p: u32| several.then_some(p);
    #[cfg_attr(not(txn), allow(unused_mut))]
    let mut all: Vec<((u32, u64), RecordJson)> = t
        .log
        .iter()
        .map(|r| {
            let record = RecordJson {
                partition: part(r.partition),
                offset: r.offset,
                message: Some(t.name(r.msg)),
                attempt: Some(r.attempt),
                control: None,
                pid: r.idem.map(|i| i.pid),
                epoch: r.idem.map(|i| i.epoch),
                seq: r.idem.map(|i| i.seq),
            };
            ((r.partition, r.offset), record)
        })
        .collect();
    #[cfg(txn)]
    for m in &t.markers {
        let marker = RecordJson {
            partition: part(m.partition),
            offset: m.offset,
            message: None,
            attempt: None,
            control: Some(if m.commit { "commit" } else { "abort" }),
            pid: Some(m.pid),
            epoch: Some(m.epoch),
            seq: None,
        };
        all.push(((m.partition, m.offset), marker));
    }
    // (A stable sort: without markers the log keeps its own order.)
    #[cfg(txn)]
    if !t.markers.is_empty() {
        all.sort_by_key(|&(k, _)| k);
    }
    all.into_iter().map(|(_, r)| r).collect()
}

impl Trace {
    fn name(&self, msg: usize) -> &str {
        &self.messages[msg]
    }

    /// A batch's records by name: a request's `messages`.
    fn records(&self, batch: u32) -> Vec<&str> {
        let b = self.batches.get(batch as usize);
        b.iter().map(|&m| self.name(m)).collect()
    }
}

/// An event: its time, actor and type, its request, and the fields of its kind.
struct EventJson<'a>(&'a Trace, &'a Event);

impl Serialize for EventJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let EventJson(t, e) = *self;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("t_ms", &e.t_ms)?;
        m.serialize_entry("actor", e.actor().as_str())?;
        m.serialize_entry("type", event_type(&e.kind))?;
        if let Some(req) = e.req() {
            m.serialize_entry("req", &req)?;
        }
        match e.kind {
            EventKind::Send { msg } => m.serialize_entry("message", t.name(msg))?,
            EventKind::InitProducerId { pid, epoch } => {
                m.serialize_entry("pid", &pid)?;
                m.serialize_entry("epoch", &epoch)?;
            }
            EventKind::Connect { conn } | EventKind::ConnectionClosed { conn } => {
                m.serialize_entry("conn", &conn)?
            }
            EventKind::Request {
                batch,
                msg,
                attempt,
                idem: id,
                conn,
                ..
            } => {
                m.serialize_entry("message", t.name(msg))?;
                m.serialize_entry("batch", &batch)?;
                if crate::sim::PARTITIONS && t.partitions > 1 {
                    m.serialize_entry("partition", &(t.batches.partition(batch as usize) as u64))?;
                }
                m.serialize_entry("messages", &t.records(batch))?;
                m.serialize_entry("attempt", &attempt)?;
                m.serialize_entry("conn", &conn)?;
                idem(&mut m, id)?;
            }
            // (Only with several partitions: crate::sim::PARTITIONS.)
            #[cfg(feature = "partitions")]
            EventKind::Carries {
                batch,
                msg,
                attempt,
                idem: id,
                ..
            } => {
                m.serialize_entry("message", t.name(msg))?;
                m.serialize_entry("batch", &batch)?;
                m.serialize_entry("partition", &(t.batches.partition(batch as usize) as u64))?;
                m.serialize_entry("messages", &t.records(batch))?;
                m.serialize_entry("attempt", &attempt)?;
                idem(&mut m, id)?;
            }
            EventKind::RequestHeld { behind, .. } | EventKind::ResponseHeld { behind, .. } => {
                m.serialize_entry("behind", &behind)?
            }
            EventKind::RequestTimeout { .. } | EventKind::Disconnected { .. } => {
                m.serialize_entry("error", KafkaError::RequestTimedOut.code())?
            }
            EventKind::RequestLost { cause, .. } | EventKind::ResponseLost { cause, .. } => {
                m.serialize_entry("cause", cause.as_str())?
            }
            EventKind::Decided { answer, .. } | EventKind::Response { answer, .. } => {
                // Which of the request's batches (only with several partitions: the
                // pages' exports have one a request).
                #[cfg(feature = "partitions")]
                if let EventKind::Decided { batch, .. } = e.kind {
                    m.serialize_entry("batch", &batch)?;
                }
                m.serialize_entry("error", answer.error_code())?;
                match answer {
                    Answer::Stored { offset } => m.serialize_entry("offset", &offset)?,
                    Answer::Duplicate { offset } => {
                        m.serialize_entry("offset", &offset)?;
                        m.serialize_entry("duplicate", &true)?;
                    }
                    Answer::OutOfOrder { expected } => {
                        m.serialize_entry("expected_seq", &expected)?
                    }
                    _ => {}
                }
            }
            EventKind::ResponseReceived { stale, .. } => m.serialize_entry("stale", &stale)?,
            EventKind::RetryScheduled {
                batch,
                msg,
                attempt,
                at_ms,
            } => {
                m.serialize_entry("message", t.name(msg))?;
                m.serialize_entry("batch", &batch)?;
                m.serialize_entry("messages", &t.records(batch))?;
                m.serialize_entry("attempt", &attempt)?;
                m.serialize_entry("at_ms", &at_ms)?;
            }
            EventKind::Acked { msg, offset } => {
                m.serialize_entry("message", t.name(msg))?;
                if let Some(off) = offset {
                    m.serialize_entry("offset", &off)?;
                }
            }
            EventKind::Failed { msg, reason } => {
                m.serialize_entry("message", t.name(msg))?;
                let r = match reason {
                    FailReason::RetriesExhausted(_) => "retries_exhausted",
                    FailReason::DeliveryTimeout(_) => "delivery_timeout",
                    FailReason::Fatal(e) => e.code(),
                    #[cfg(txn)]
                    FailReason::TransactionAborted => "transaction_aborted",
                };
                m.serialize_entry("reason", r)?;
                m.serialize_entry("exception", reason.exception())?;
                if let Some(e) = reason.error() {
                    m.serialize_entry("error", e.code())?;
                }
            }
            EventKind::Replicated { offset } => m.serialize_entry("offset", &offset)?,
            EventKind::LeaderFailover {
                from_offset,
                truncated,
            } => {
                m.serialize_entry("from_offset", &from_offset)?;
                m.serialize_entry("truncated", &truncated)?;
            }
            EventKind::EpochBumped { epoch } => m.serialize_entry("epoch", &epoch)?,
            EventKind::ReplicaDown { replica }
            | EventKind::ReplicaUp { replica }
            | EventKind::IsrExpanded { replica } => m.serialize_entry("replica", &replica)?,
            EventKind::IsrShrunk { replica, fenced } => {
                m.serialize_entry("replica", &replica)?;
                let cause = if fenced { "fenced" } else { "lagging" };
                m.serialize_entry("cause", cause)?;
            }
            EventKind::LeaderElected { replica, unclean } => {
                m.serialize_entry("replica", &replica)?;
                m.serialize_entry("unclean", &unclean)?;
            }
            EventKind::SequenceUnresolved { next_seq } => {
                m.serialize_entry("next_seq", &next_seq)?
            }
            EventKind::SequencesResolved { gap } => m.serialize_entry("gap", &gap)?,
            #[cfg(txn)]
            EventKind::BeginTxn { txn } => m.serialize_entry("txn", &txn)?,
            #[cfg(txn)]
            EventKind::EndTxn { txn, commit } => {
                m.serialize_entry("txn", &txn)?;
                m.serialize_entry("commit", &commit)?;
            }
            #[cfg(txn)]
            EventKind::TxnRequest { call } => txn_call(&mut m, call)?,
            #[cfg(txn)]
            EventKind::TxnResponse {
                call,
                error,
                pid,
                epoch,
            } => {
                txn_call(&mut m, call)?;
                m.serialize_entry("error", error.map_or("NONE", |e| e.code()))?;
                m.serialize_entry("pid", &pid)?;
                m.serialize_entry("epoch", &epoch)?;
            }
            #[cfg(txn)]
            EventKind::TxnState {
                state,
                epoch,
                cause,
            } => {
                m.serialize_entry("state", state.name())?;
                m.serialize_entry("epoch", &epoch)?;
                m.serialize_entry("cause", cause.name())?;
            }
            #[cfg(txn)]
            EventKind::Marker {
                partition,
                offset,
                commit,
                pid,
                epoch,
            } => {
                m.serialize_entry("partition", &partition)?;
                m.serialize_entry("offset", &offset)?;
                let control = if commit { "commit" } else { "abort" };
                m.serialize_entry("control", control)?;
                m.serialize_entry("pid", &pid)?;
                m.serialize_entry("epoch", &epoch)?;
            }
            _ => {}
        }
        m.end()
    }
}

fn idem<M: SerializeMap>(m: &mut M, id: Option<Idem>) -> Result<(), M::Error> {
    if let Some(id) = id {
        m.serialize_entry("pid", &id.pid)?;
        m.serialize_entry("epoch", &id.epoch)?;
        m.serialize_entry("seq", &id.seq)?;
    }
    Ok(())
}

/// A transactional request's fields in an event: `call`, and its partitions or its end.
#[cfg(txn)]
fn txn_call<M: SerializeMap>(m: &mut M, call: TxnCall) -> Result<(), M::Error> {
    m.serialize_entry("call", call.name())?;
    match call {
        TxnCall::AddPartitions { partitions } => {
            let list: Vec<u32> = (0..64).filter(|p| partitions >> p & 1 == 1).collect();
            m.serialize_entry("partitions", &list)
        }
        TxnCall::EndTxn { txn, commit } => {
            m.serialize_entry("txn", &txn)?;
            m.serialize_entry("commit", &commit)
        }
        TxnCall::InitProducerId => Ok(()),
    }
}
