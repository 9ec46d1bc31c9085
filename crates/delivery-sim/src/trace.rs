//! What a run produced: every event with its time and actor, the partition log, each message's
//! outcome and the summary. The UI draws this; the CLI prints it as JSON.

use crate::config::ProducerConfig;
use crate::json::{write_str, Json};
use std::fmt::Write as _;

/// Producer id, epoch and sequence of an idempotent record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Idem {
    pub pid: u64,
    pub epoch: u16,
    pub seq: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    App,
    Producer,
    Network,
    Broker,
}

impl Actor {
    pub fn as_str(self) -> &'static str {
        match self {
            Actor::App => "app",
            Actor::Producer => "producer",
            Actor::Network => "network",
            Actor::Broker => "broker",
        }
    }
}

/// Why a request or response did not arrive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Loss {
    /// A scripted `drop_request` / `drop_response` fault.
    Scripted,
    /// The scenario's random loss rate, drawn from its seed.
    Random,
    /// The broker was down (`broker_down`).
    BrokerDown,
}

impl Loss {
    pub fn as_str(self) -> &'static str {
        match self {
            Loss::Scripted => "scripted",
            Loss::Random => "random",
            Loss::BrokerDown => "broker_down",
        }
    }
}

/// What the broker answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// Stored at this offset.
    Stored { offset: u64 },
    /// A duplicate of a batch among the PID's last five: acknowledged with the original offset.
    Duplicate { offset: u64 },
    /// OUT_OF_ORDER_SEQUENCE_NUMBER: the sequence is neither next nor a recent duplicate.
    OutOfOrder { expected: u32 },
    /// INVALID_PRODUCER_EPOCH: an older epoch of a fenced producer.
    InvalidEpoch,
    /// NOT_LEADER_OR_FOLLOWER: leadership moved before the record was replicated.
    NotLeader,
}

impl Answer {
    pub fn is_ok(self) -> bool {
        matches!(self, Answer::Stored { .. } | Answer::Duplicate { .. })
    }

    pub fn error_code(self) -> &'static str {
        match self {
            Answer::Stored { .. } | Answer::Duplicate { .. } => "NONE",
            Answer::OutOfOrder { .. } => "OUT_OF_ORDER_SEQUENCE_NUMBER",
            Answer::InvalidEpoch => "INVALID_PRODUCER_EPOCH",
            Answer::NotLeader => "NOT_LEADER_OR_FOLLOWER",
        }
    }
}

/// Why the application was told a send failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailReason {
    /// `retries` used up.
    RetriesExhausted,
    /// `delivery.timeout.ms` passed since `send()`.
    DeliveryTimeout,
    /// A non-retriable broker error.
    Fatal(Answer),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    /// The application calls `send()`.
    Send { msg: usize },
    /// The producer got its PID and epoch (InitProducerId).
    InitProducerId { pid: u64, epoch: u16 },
    /// A Produce request leaves the producer.
    Request {
        req: u32,
        msg: usize,
        attempt: u32,
        idem: Option<Idem>,
    },
    /// The request was lost on the way (the time is the point of loss).
    RequestLost { req: u32, cause: Loss },
    /// The broker got the request but failed before storing it and never answers.
    BrokerFailed { req: u32 },
    /// The broker decided: stored, duplicate, or an error.
    Decided { req: u32, answer: Answer },
    /// The response leaves the broker.
    Response { req: u32, answer: Answer },
    /// The response was lost on the way (the time is the point of loss).
    ResponseLost { req: u32, cause: Loss },
    /// The response reached the producer; `stale` when the request was already given up.
    ResponseReceived { req: u32, stale: bool },
    /// `request.timeout.ms` passed with no response; Kafka closes the connection.
    RequestTimeout { req: u32 },
    /// Another in-flight request failed because its connection was closed.
    Disconnected { req: u32 },
    /// The record goes back to the accumulator and will be retried at `at_ms`.
    RetryScheduled { msg: usize, attempt: u32, at_ms: u64 },
    /// The application's callback: success (with the offset, unless acks=0).
    Acked { msg: usize, offset: Option<u64> },
    /// The application's callback: failure.
    Failed { msg: usize, reason: FailReason },
    /// A follower copied the log up to `offset`.
    Replicated { offset: u64 },
    BrokerDown,
    BrokerUp,
    /// A follower became leader; records from `from_offset` on were not replicated and are gone.
    LeaderFailover { from_offset: u64, truncated: u32 },
    /// The producer restarted: a new session with a new PID resends what was not acknowledged.
    ProducerRestart,
    /// The idempotent producer bumped its epoch after a failed batch and renumbers from 0.
    EpochBumped { epoch: u16 },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Event {
    pub t_ms: u64,
    pub kind: EventKind,
}

impl Event {
    pub fn actor(&self) -> Actor {
        match self.kind {
            EventKind::Send { .. } | EventKind::Acked { .. } | EventKind::Failed { .. } => {
                Actor::App
            }
            EventKind::RequestLost { .. } | EventKind::ResponseLost { .. } => Actor::Network,
            EventKind::BrokerFailed { .. }
            | EventKind::Decided { .. }
            | EventKind::Response { .. }
            | EventKind::Replicated { .. }
            | EventKind::BrokerDown
            | EventKind::BrokerUp
            | EventKind::LeaderFailover { .. } => Actor::Broker,
            _ => Actor::Producer,
        }
    }

    /// The request this event belongs to, if any.
    pub fn req(&self) -> Option<u32> {
        match self.kind {
            EventKind::Request { req, .. }
            | EventKind::RequestLost { req, .. }
            | EventKind::BrokerFailed { req }
            | EventKind::Decided { req, .. }
            | EventKind::Response { req, .. }
            | EventKind::ResponseLost { req, .. }
            | EventKind::ResponseReceived { req, .. }
            | EventKind::RequestTimeout { req }
            | EventKind::Disconnected { req } => Some(req),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogRecord {
    pub offset: u64,
    pub msg: usize,
    pub attempt: u32,
    pub idem: Option<Idem>,
    pub t_ms: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Stored exactly once and not reported failed.
    Delivered,
    /// Stored more than once.
    Duplicated,
    /// Not stored, and the application was never told.
    Lost,
    /// The application was told the send failed (whether or not a copy was stored).
    Failed,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Delivered => "delivered",
            Outcome::Duplicated => "duplicated",
            Outcome::Lost => "lost",
            Outcome::Failed => "failed",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Summary {
    pub messages: u32,
    /// Records in the log.
    pub stored: u32,
    /// Extra copies: records beyond the first of each message.
    pub duplicates: u32,
    pub lost: u32,
    pub failed: u32,
    /// Messages whose first copy landed after a copy of a message sent later.
    pub reordered: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Trace {
    pub messages: Vec<String>,
    pub config: ProducerConfig,
    pub notes: Vec<String>,
    pub events: Vec<Event>,
    pub log: Vec<LogRecord>,
    pub outcomes: Vec<Outcome>,
    /// How many copies of each message the log holds.
    pub copies: Vec<u32>,
    pub summary: Summary,
}

impl Trace {
    /// The log as message names, in offset order.
    pub fn log_names(&self) -> Vec<&str> {
        self.log
            .iter()
            .map(|r| self.messages[r.msg].as_str())
            .collect()
    }

    /// The time of the last event.
    pub fn end_ms(&self) -> u64 {
        self.events.last().map_or(0, |e| e.t_ms)
    }

    /// The result in the CLI's JSON format (SPEC.md).
    pub fn to_json(&self) -> String {
        let mut o = String::with_capacity(256 + self.events.len() * 80);
        let name = |i: usize| self.messages[i].as_str();
        o.push_str("{\"log\":[");
        for (i, r) in self.log.iter().enumerate() {
            if i > 0 {
                o.push(',');
            }
            let _ = write!(o, "{{\"offset\":{},\"message\":", r.offset);
            write_str(&mut o, name(r.msg));
            let _ = write!(o, ",\"attempt\":{}", r.attempt);
            if let Some(id) = r.idem {
                let _ = write!(o, ",\"pid\":{},\"epoch\":{},\"seq\":{}", id.pid, id.epoch, id.seq);
            }
            o.push('}');
        }
        o.push_str("],\"outcomes\":{");
        for (i, out) in self.outcomes.iter().enumerate() {
            if i > 0 {
                o.push(',');
            }
            write_str(&mut o, name(i));
            let _ = write!(o, ":\"{}\"", out.as_str());
        }
        let s = &self.summary;
        let _ = write!(
            o,
            "}},\"summary\":{{\"messages\":{},\"stored\":{},\"duplicates\":{},\"lost\":{},\"failed\":{},\"reordered\":{}}}",
            s.messages, s.stored, s.duplicates, s.lost, s.failed, s.reordered
        );
        let c = &self.config;
        let _ = write!(
            o,
            ",\"config\":{{\"acks\":\"{}\",\"retries\":{},\"enable.idempotence\":{},\"max.in.flight.requests.per.connection\":{},\"retry.backoff.ms\":{},\"retry.backoff.max.ms\":{},\"request.timeout.ms\":{},\"delivery.timeout.ms\":{},\"linger.ms\":{}}}",
            c.acks.as_str(), c.retries, c.enable_idempotence, c.max_in_flight, c.retry_backoff_ms,
            c.retry_backoff_max_ms, c.request_timeout_ms, c.delivery_timeout_ms, c.linger_ms
        );
        o.push_str(",\"notes\":");
        Json::Arr(self.notes.iter().cloned().map(Json::Str).collect()).write(&mut o);
        o.push_str(",\"events\":[");
        for (i, e) in self.events.iter().enumerate() {
            if i > 0 {
                o.push(',');
            }
            self.write_event(&mut o, e);
        }
        o.push_str("]}");
        o
    }

    fn write_event(&self, o: &mut String, e: &Event) {
        let _ = write!(
            o,
            "{{\"t_ms\":{},\"actor\":\"{}\",\"type\":\"{}\"",
            e.t_ms,
            e.actor().as_str(),
            event_type(&e.kind)
        );
        if let Some(req) = e.req() {
            let _ = write!(o, ",\"req\":{req}");
        }
        let msg = |o: &mut String, m: usize| {
            o.push_str(",\"message\":");
            write_str(o, &self.messages[m]);
        };
        match e.kind {
            EventKind::Send { msg: m } => msg(o, m),
            EventKind::InitProducerId { pid, epoch } => {
                let _ = write!(o, ",\"pid\":{pid},\"epoch\":{epoch}");
            }
            EventKind::Request {
                msg: m,
                attempt,
                idem,
                ..
            } => {
                msg(o, m);
                let _ = write!(o, ",\"attempt\":{attempt}");
                if let Some(id) = idem {
                    let _ = write!(o, ",\"pid\":{},\"epoch\":{},\"seq\":{}", id.pid, id.epoch, id.seq);
                }
            }
            EventKind::RequestLost { cause, .. } | EventKind::ResponseLost { cause, .. } => {
                let _ = write!(o, ",\"cause\":\"{}\"", cause.as_str());
            }
            EventKind::Decided { answer, .. } | EventKind::Response { answer, .. } => {
                let _ = write!(o, ",\"error\":\"{}\"", answer.error_code());
                match answer {
                    Answer::Stored { offset } | Answer::Duplicate { offset } => {
                        let _ = write!(o, ",\"offset\":{offset}");
                    }
                    Answer::OutOfOrder { expected } => {
                        let _ = write!(o, ",\"expected_seq\":{expected}");
                    }
                    _ => {}
                }
                if let Answer::Duplicate { .. } = answer {
                    o.push_str(",\"duplicate\":true");
                }
            }
            EventKind::ResponseReceived { stale, .. } => {
                let _ = write!(o, ",\"stale\":{stale}");
            }
            EventKind::RetryScheduled {
                msg: m,
                attempt,
                at_ms,
            } => {
                msg(o, m);
                let _ = write!(o, ",\"attempt\":{attempt},\"at_ms\":{at_ms}");
            }
            EventKind::Acked { msg: m, offset } => {
                msg(o, m);
                if let Some(off) = offset {
                    let _ = write!(o, ",\"offset\":{off}");
                }
            }
            EventKind::Failed { msg: m, reason } => {
                msg(o, m);
                let r = match reason {
                    FailReason::RetriesExhausted => "retries_exhausted",
                    FailReason::DeliveryTimeout => "delivery_timeout",
                    FailReason::Fatal(a) => a.error_code(),
                };
                let _ = write!(o, ",\"reason\":\"{r}\"");
            }
            EventKind::Replicated { offset } => {
                let _ = write!(o, ",\"offset\":{offset}");
            }
            EventKind::LeaderFailover {
                from_offset,
                truncated,
            } => {
                let _ = write!(o, ",\"from_offset\":{from_offset},\"truncated\":{truncated}");
            }
            EventKind::EpochBumped { epoch } => {
                let _ = write!(o, ",\"epoch\":{epoch}");
            }
            _ => {}
        }
        o.push('}');
    }
}

pub fn event_type(k: &EventKind) -> &'static str {
    match k {
        EventKind::Send { .. } => "send",
        EventKind::InitProducerId { .. } => "init_producer_id",
        EventKind::Request { .. } => "request",
        EventKind::RequestLost { .. } => "request_lost",
        EventKind::BrokerFailed { .. } => "broker_failed",
        EventKind::Decided { answer, .. } => match answer {
            Answer::Stored { .. } => "stored",
            Answer::Duplicate { .. } => "duplicate_not_stored",
            _ => "rejected",
        },
        EventKind::Response { .. } => "response",
        EventKind::ResponseLost { .. } => "response_lost",
        EventKind::ResponseReceived { .. } => "response_received",
        EventKind::RequestTimeout { .. } => "request_timeout",
        EventKind::Disconnected { .. } => "disconnected",
        EventKind::RetryScheduled { .. } => "retry_scheduled",
        EventKind::Acked { .. } => "acked",
        EventKind::Failed { .. } => "failed",
        EventKind::Replicated { .. } => "replicated",
        EventKind::BrokerDown => "broker_down",
        EventKind::BrokerUp => "broker_up",
        EventKind::LeaderFailover { .. } => "leader_failover",
        EventKind::ProducerRestart => "producer_restart",
        EventKind::EpochBumped { .. } => "epoch_bumped",
    }
}
