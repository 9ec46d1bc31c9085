//! A scenario in its file format (docs/format.md), as serde writes it.

use super::Ordered;
use crate::scenario::{Broker, Fault, Network, Scenario};
use serde::Serialize as Derive;

/// A scenario as its file gives it; `Scenario::from_json` reads the same shape back.
#[derive(Derive)]
pub struct ScenarioJson<'a> {
    #[serde(skip_serializing_if = "str::is_empty")]
    name: &'a str,
    seed: u64,
    messages: Vec<MessageJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    topic: Option<TopicJson>,
    sync: bool,
    /// The producer's Kafka keys in the order they were set.
    producer: Ordered<'a, String, String>,
    network: &'a Network,
    #[serde(skip_serializing_if = "is_zero")]
    interval_ms: u64,
    broker: BrokerJson,
    faults: Vec<FaultJson<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    transactions: Vec<TransactionJson<'a>>,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// A message: its name, or `{"name", "key", "bytes"}` when it has a key or a size.
#[derive(Derive)]
#[serde(untagged)]
#[cfg_attr(not(feature = "partitions"), allow(dead_code))]
enum MessageJson<'a> {
    Name(&'a str),
    Record {
        name: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        key: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        bytes: Option<u32>,
    },
}

#[derive(Derive)]
struct TopicJson {
    partitions: u32,
}

/// The broker: its replicas, and Kafka's replication keys only where they differ from Kafka's
/// defaults.
#[derive(Derive)]
struct BrokerJson {
    replicas: u32,
    replication_ms: u64,
    #[serde(
        rename = "min.insync.replicas",
        skip_serializing_if = "Option::is_none"
    )]
    min_insync: Option<u32>,
    #[serde(
        rename = "unclean.leader.election.enable",
        skip_serializing_if = "Option::is_none"
    )]
    unclean: Option<bool>,
    #[serde(
        rename = "replica.lag.time.max.ms",
        skip_serializing_if = "Option::is_none"
    )]
    lag_max_ms: Option<u64>,
    #[serde(
        rename = "broker.session.timeout.ms",
        skip_serializing_if = "Option::is_none"
    )]
    session_timeout_ms: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    coordinator_ms: Option<u64>,
}

impl BrokerJson {
    fn of(b: &Broker) -> BrokerJson {
        let d = Broker::default();
        BrokerJson {
            replicas: b.replicas,
            replication_ms: b.replication_ms,
            min_insync: unless_default(b.min_insync, d.min_insync),
            unclean: unless_default(b.unclean, d.unclean),
            lag_max_ms: unless_default(b.lag_max_ms, d.lag_max_ms),
            session_timeout_ms: unless_default(b.session_timeout_ms, d.session_timeout_ms),
            #[cfg(txn)]
            coordinator_ms: unless_default(b.coordinator_ms, d.coordinator_ms),
            #[cfg(not(txn))]
            coordinator_ms: None,
        }
    }
}

/// A setting where it differs from Kafka's default.
fn unless_default<T: PartialEq>(v: T, default: T) -> Option<T> {
    (v != default).then_some(v)
}

/// A fault in the scenario format, naming its message by name.
#[derive(Derive)]
pub struct FaultJson<'a> {
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    attempt: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ms: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    replica: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    from_ms: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    to_ms: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    at_ms: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    extra_ms: Option<u64>,
}

impl<'a> FaultJson<'a> {
    pub fn of(f: &Fault, messages: &'a [String]) -> FaultJson<'a> {
        let target = f.target();
        let mut j = FaultJson {
            kind: f.kind().name(),
            message: target.map(|(msg, _)| messages.get(msg).map_or("?", |n| n.as_str())),
            attempt: target.map(|(_, attempt)| attempt),
            ms: None,
            error: None,
            replica: None,
            from_ms: None,
            to_ms: None,
            at_ms: None,
            extra_ms: None,
        };
        match *f {
            Fault::DelayResponse { ms, .. } => j.ms = Some(ms),
            Fault::ErrorResponse { error, .. } => j.error = Some(error.code()),
            Fault::BrokerDown { from_ms, to_ms } => {
                (j.from_ms, j.to_ms) = (Some(from_ms), Some(to_ms))
            }
            Fault::LeaderFailover { at_ms } | Fault::ProducerRestart { at_ms } => {
                j.at_ms = Some(at_ms)
            }
            Fault::ReplicaDown {
                replica,
                from_ms,
                to_ms,
            } => {
                j.replica = Some(replica);
                (j.from_ms, j.to_ms) = (Some(from_ms), Some(to_ms));
            }
            Fault::ReplicaSlow { replica, extra_ms } => {
                (j.replica, j.extra_ms) = (Some(replica), Some(extra_ms))
            }
            _ => {}
        }
        j
    }
}

#[derive(Derive)]
struct TransactionJson<'a> {
    messages: &'a [String],
    end: &'static str,
}

impl<'a> ScenarioJson<'a> {
    pub fn of(s: &'a Scenario) -> ScenarioJson<'a> {
        #[cfg(feature = "partitions")]
        let message = |(i, name): (usize, &'a String)| {
            let (key, bytes) = (s.key(i), s.sizes.get(i).copied());
            if key.is_none() && bytes.is_none() {
                return MessageJson::Name(name);
            }
            MessageJson::Record { name, key, bytes }
        };
        #[cfg(not(feature = "partitions"))]
        let message = |(_, name): (usize, &'a String)| MessageJson::Name(name);
        ScenarioJson {
            name: &s.name,
            seed: s.seed,
            messages: s.messages.iter().enumerate().map(message).collect(),
            topic: (cfg!(feature = "partitions") && s.partitions != 1).then_some(TopicJson {
                partitions: s.partitions,
            }),
            sync: s.sync,
            producer: Ordered(&s.producer.0),
            network: &s.network,
            interval_ms: s.interval_ms,
            broker: BrokerJson::of(&s.broker),
            faults: s
                .faults
                .iter()
                .map(|f| FaultJson::of(f, &s.messages))
                .collect(),
            #[cfg(txn)]
            transactions: s
                .transactions
                .iter()
                .map(|t| TransactionJson {
                    messages: &s.messages[t.first..t.first + t.len],
                    end: t.end.name(),
                })
                .collect(),
            #[cfg(not(txn))]
            transactions: Vec::new(),
        }
    }
}
