//! The scenario: messages, producer settings, network, broker and scripted faults.
//! Read from the JSON format of docs/format.md, with limits and messages that name the field.

use crate::config::{Preset, Settings};
use crate::json::{self, Map, Value};
use crate::num::fmt_decimal;
use crate::trace::KafkaError;

pub const MAX_MESSAGES: usize = 100_000;

/// The names of `{"messages": {"count": n}}`: m0..m(n-1).
pub fn numbered(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("m{i}")).collect()
}
pub const MAX_FAULTS: usize = 10_000;
pub const MAX_NAME_CHARS: usize = 64;
pub const MAX_KEY_CHARS: usize = 256;
pub const MAX_LATENCY_MS: u64 = 60_000;
pub const MAX_TIME_MS: u64 = 24 * 3_600_000;
pub const MAX_REPLICAS: u32 = 5;
pub const MAX_PARTITIONS: u32 = 64;
/// A record's size limit: under max.request.size's default (1048576) with a batch's header.
pub const MAX_RECORD_BYTES: u32 = 1_000_000;
/// A message's size when the scenario gives none (a record in a batch: key, value, header).
pub const DEFAULT_RECORD_BYTES: u32 = 100;
/// Why a build without transactions (no `cfg(txn)`: the embed page's lean engine) refuses
/// `transactions`.
pub const NO_TRANSACTIONS: &str = "`transactions` run in the CLI (`delivery-sim run`), not here";
/// Why a build without several partitions (`crate::sim::PARTITIONS`: the web pages) refuses a
/// topic of several partitions, keyed or sized messages.
pub const ONE_PARTITION: &str = "this page runs a topic of one partition and 100-byte records; the workshop page and the CLI (`delivery-sim run`) run partitions, keys and sizes";

#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    pub name: String,
    pub seed: u64,
    pub messages: Vec<String>,
    /// Each message's key, by message; empty when no message has one. (Feature `partitions`:
    /// without it every record has no key and the default size.)
    #[cfg(feature = "partitions")]
    pub keys: Vec<Option<String>>,
    /// Each message's size in bytes, by message; empty when all have the default size.
    #[cfg(feature = "partitions")]
    pub sizes: Vec<u32>,
    /// `topic.partitions`: the topic's partitions, all led by the one broker.
    pub partitions: u32,
    /// Time between the application's `send()` calls (after the previous result when `sync`).
    pub interval_ms: u64,
    /// The application waits for each send's result before the next (`send(...).get()`).
    pub sync: bool,
    pub producer: Settings,
    pub network: Network,
    pub broker: Broker,
    pub faults: Vec<Fault>,
    /// The application's transactions, in send order (feature `transactions`); empty: each
    /// message is its own committed transaction for a transactional producer. A producer
    /// without `transactional.id` sends the messages as they are.
    #[cfg(txn)]
    pub transactions: Vec<Transaction>,
}

/// One transaction of the application: messages `first .. first + len` of `messages`, and how
/// the application ends it.
#[cfg(txn)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transaction {
    pub first: usize,
    pub len: usize,
    pub end: TxnEnd,
}

/// How the application ends a transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TxnEnd {
    /// `commitTransaction()`.
    Commit,
    /// `abortTransaction()`.
    Abort,
    /// Never: the application stops (hangs, or exits without closing), and the coordinator
    /// aborts the transaction after `transaction.timeout.ms`.
    None,
}

impl TxnEnd {
    pub fn name(self) -> &'static str {
        match self {
            TxnEnd::Commit => "commit",
            TxnEnd::Abort => "abort",
            TxnEnd::None => "none",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Network {
    pub latency_ms: u64,
    pub jitter_ms: u64,
    pub request_loss: f64,
    pub response_loss: f64,
}

impl Default for Network {
    fn default() -> Self {
        Network {
            latency_ms: 10,
            jitter_ms: 0,
            request_loss: 0.0,
            response_loss: 0.0,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Broker {
    /// Replicas of the partition, the leader included (replica 0 leads first).
    pub replicas: u32,
    /// How long a follower takes to copy a record from the leader, and the leader to learn it.
    pub replication_ms: u64,
    /// `min.insync.replicas`: the in-sync replicas an acks=all produce needs.
    pub min_insync: u32,
    /// `unclean.leader.election.enable`: elect a replica outside the ISR rather than none.
    pub unclean: bool,
    /// `replica.lag.time.max.ms`: how long a follower may stay behind and keep its ISR place.
    pub lag_max_ms: u64,
    /// `broker.session.timeout.ms`: how long the controller waits for a stopped broker's
    /// heartbeat before it fences it (and takes it out of every ISR).
    pub session_timeout_ms: u64,
    /// How long the transaction coordinator takes with each request before it answers (its
    /// write to the transaction log): a coordinator that answers late.
    #[cfg(txn)]
    pub coordinator_ms: u64,
}

impl Default for Broker {
    fn default() -> Self {
        Broker {
            replicas: 1,
            replication_ms: 10,
            // Kafka's defaults (LogConfig, ReplicationConfigs, KRaftConfigs).
            min_insync: 1,
            unclean: false,
            lag_max_ms: 30_000,
            session_timeout_ms: 9_000,
            #[cfg(txn)]
            coordinator_ms: 0,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Fault {
    DropRequest {
        msg: usize,
        attempt: u32,
    },
    /// The broker rejects the request before appending it, with a retriable error.
    ErrorResponse {
        msg: usize,
        attempt: u32,
        error: KafkaError,
    },
    BrokerFail {
        msg: usize,
        attempt: u32,
    },
    DropResponse {
        msg: usize,
        attempt: u32,
    },
    DelayResponse {
        msg: usize,
        attempt: u32,
        ms: u64,
    },
    BrokerDown {
        from_ms: u64,
        to_ms: u64,
    },
    LeaderFailover {
        at_ms: u64,
    },
    ProducerRestart {
        at_ms: u64,
    },
    /// A follower's broker stops from `from_ms` to `to_ms`: it fetches nothing.
    ReplicaDown {
        replica: u32,
        from_ms: u64,
        to_ms: u64,
    },
    /// A follower copies each record `extra_ms` later than the others.
    ReplicaSlow {
        replica: u32,
        extra_ms: u64,
    },
}

impl Fault {
    /// A fault of the replicas: it needs more than one broker.
    pub fn replicated(&self) -> bool {
        matches!(
            self,
            Fault::LeaderFailover { .. } | Fault::ReplicaDown { .. } | Fault::ReplicaSlow { .. }
        )
    }
}

/// A fault's kind: its name in scenario files, its token in links, its place in the app's
/// controls (`FaultKind::ALL`'s order, which the app's labels follow).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultKind {
    DropRequest,
    DropResponse,
    ErrorResponse,
    BrokerFail,
    DelayResponse,
    BrokerDown,
    LeaderFailover,
    ProducerRestart,
    ReplicaDown,
    ReplicaSlow,
}

impl FaultKind {
    pub const ALL: [FaultKind; 10] = [
        FaultKind::DropRequest,
        FaultKind::DropResponse,
        FaultKind::ErrorResponse,
        FaultKind::BrokerFail,
        FaultKind::DelayResponse,
        FaultKind::BrokerDown,
        FaultKind::LeaderFailover,
        FaultKind::ProducerRestart,
        FaultKind::ReplicaDown,
        FaultKind::ReplicaSlow,
    ];

    /// The `kind` in a scenario file.
    pub fn name(self) -> &'static str {
        match self {
            FaultKind::DropRequest => "drop_request",
            FaultKind::DropResponse => "drop_response",
            FaultKind::ErrorResponse => "error_response",
            FaultKind::BrokerFail => "broker_fail",
            FaultKind::DelayResponse => "delay_response",
            FaultKind::BrokerDown => "broker_down",
            FaultKind::LeaderFailover => "leader_failover",
            FaultKind::ProducerRestart => "producer_restart",
            FaultKind::ReplicaDown => "replica_down",
            FaultKind::ReplicaSlow => "replica_slow",
        }
    }

    /// The first word of its token in a link (`req.B.1`).
    pub fn token(self) -> &'static str {
        match self {
            FaultKind::DropRequest => "req",
            FaultKind::DropResponse => "ack",
            FaultKind::ErrorResponse => "err",
            FaultKind::BrokerFail => "fail",
            FaultKind::DelayResponse => "delay",
            FaultKind::BrokerDown => "down",
            FaultKind::LeaderFailover => "failover",
            FaultKind::ProducerRestart => "restart",
            FaultKind::ReplicaDown => "rdown",
            FaultKind::ReplicaSlow => "rslow",
        }
    }

    pub fn from_name(name: &str) -> Option<FaultKind> {
        FaultKind::ALL.into_iter().find(|k| k.name() == name)
    }

    pub fn from_token(token: &str) -> Option<FaultKind> {
        FaultKind::ALL.into_iter().find(|k| k.token() == token)
    }

    /// Whether it hits one request: a message's attempt.
    pub fn per_request(self) -> bool {
        matches!(
            self,
            FaultKind::DropRequest
                | FaultKind::DropResponse
                | FaultKind::ErrorResponse
                | FaultKind::BrokerFail
                | FaultKind::DelayResponse
        )
    }

    /// A fault of this kind keeping what carries over from `like`: its message and attempt,
    /// or its time. Other numbers take defaults that show the fault at work.
    pub fn like(self, like: &Fault) -> Fault {
        let (msg, attempt) = like.target().unwrap_or((0, 1));
        let at_ms = match *like {
            Fault::BrokerDown { from_ms, .. } | Fault::ReplicaDown { from_ms, .. } => from_ms,
            Fault::LeaderFailover { at_ms } | Fault::ProducerRestart { at_ms } => at_ms,
            _ => 15,
        };
        let error = match *like {
            Fault::ErrorResponse { error, .. } => error,
            _ => KafkaError::NotEnoughReplicas,
        };
        match self {
            FaultKind::DropRequest => Fault::DropRequest { msg, attempt },
            FaultKind::DropResponse => Fault::DropResponse { msg, attempt },
            FaultKind::ErrorResponse => Fault::ErrorResponse {
                msg,
                attempt,
                error,
            },
            FaultKind::BrokerFail => Fault::BrokerFail { msg, attempt },
            FaultKind::DelayResponse => Fault::DelayResponse {
                msg,
                attempt,
                ms: 40_000,
            },
            FaultKind::BrokerDown => Fault::BrokerDown {
                from_ms: at_ms,
                to_ms: at_ms + 5_000,
            },
            FaultKind::LeaderFailover => Fault::LeaderFailover { at_ms },
            FaultKind::ProducerRestart => Fault::ProducerRestart { at_ms },
            FaultKind::ReplicaDown => Fault::ReplicaDown {
                replica: 1,
                from_ms: at_ms,
                to_ms: at_ms + 20_000,
            },
            FaultKind::ReplicaSlow => Fault::ReplicaSlow {
                replica: 1,
                extra_ms: 40_000,
            },
        }
    }
}

impl Fault {
    pub fn kind(&self) -> FaultKind {
        match self {
            Fault::DropRequest { .. } => FaultKind::DropRequest,
            Fault::ErrorResponse { .. } => FaultKind::ErrorResponse,
            Fault::BrokerFail { .. } => FaultKind::BrokerFail,
            Fault::DropResponse { .. } => FaultKind::DropResponse,
            Fault::DelayResponse { .. } => FaultKind::DelayResponse,
            Fault::BrokerDown { .. } => FaultKind::BrokerDown,
            Fault::LeaderFailover { .. } => FaultKind::LeaderFailover,
            Fault::ProducerRestart { .. } => FaultKind::ProducerRestart,
            Fault::ReplicaDown { .. } => FaultKind::ReplicaDown,
            Fault::ReplicaSlow { .. } => FaultKind::ReplicaSlow,
        }
    }

    /// The message and attempt a scripted per-request fault names.
    pub fn target(&self) -> Option<(usize, u32)> {
        match *self {
            Fault::DropRequest { msg, attempt }
            | Fault::ErrorResponse { msg, attempt, .. }
            | Fault::BrokerFail { msg, attempt }
            | Fault::DropResponse { msg, attempt }
            | Fault::DelayResponse { msg, attempt, .. } => Some((msg, attempt)),
            _ => None,
        }
    }

    /// The same fault on another message and attempt (faults at a time stay as they are).
    pub fn retarget(self, msg: usize, attempt: u32) -> Fault {
        match self {
            Fault::DropRequest { .. } => Fault::DropRequest { msg, attempt },
            Fault::ErrorResponse { error, .. } => Fault::ErrorResponse {
                msg,
                attempt,
                error,
            },
            Fault::BrokerFail { .. } => Fault::BrokerFail { msg, attempt },
            Fault::DropResponse { .. } => Fault::DropResponse { msg, attempt },
            Fault::DelayResponse { ms, .. } => Fault::DelayResponse { msg, attempt, ms },
            other => other,
        }
    }
}

impl Scenario {
    /// Whether the run needs the replica rules: followers, or a fault of the replicas.
    pub fn replicated(&self) -> bool {
        self.broker.replicas > 1 || self.faults.iter().any(Fault::replicated)
    }

    /// Whether the run needs more than the embed page's lean engine (feature `lean`): replicas,
    /// or sends that do not wait for each result, whose records can share a batch. Sent one at a
    /// time (`sync`), every batch holds one record.
    pub fn needs_full_engine(&self) -> bool {
        self.replicated() || !self.sync || self.partitions > 1 || self.sizes_given()
    }

    /// The application's transaction `g` for a transactional producer: the scenario's, or
    /// without `transactions` message `g` alone, committed.
    #[cfg(txn)]
    pub fn transaction(&self, g: usize) -> Option<Transaction> {
        if self.transactions.is_empty() {
            (g < self.messages.len()).then_some(Transaction {
                first: g,
                len: 1,
                end: TxnEnd::Commit,
            })
        } else {
            self.transactions.get(g).copied()
        }
    }

    /// Message `msg`'s key, if it has one.
    pub fn key(&self, msg: usize) -> Option<&str> {
        #[cfg(feature = "partitions")]
        return self.keys.get(msg).and_then(|k| k.as_deref());
        #[cfg(not(feature = "partitions"))]
        {
            let _ = msg;
            None
        }
    }

    /// Message `msg`'s size in a batch, in bytes.
    pub fn size(&self, msg: usize) -> u64 {
        #[cfg(feature = "partitions")]
        return self.sizes.get(msg).copied().unwrap_or(DEFAULT_RECORD_BYTES) as u64;
        #[cfg(not(feature = "partitions"))]
        {
            let _ = msg;
            DEFAULT_RECORD_BYTES as u64
        }
    }

    /// Whether the run needs the feature `partitions`: a topic of several partitions, a keyed
    /// message or a message with a size of its own.
    pub fn partitioned(&self) -> bool {
        #[cfg(feature = "partitions")]
        let keyed = self.keys.iter().any(Option::is_some);
        #[cfg(not(feature = "partitions"))]
        let keyed = false;
        self.partitions > 1 || keyed || self.sizes_given()
    }

    /// Whether any message has a size of its own.
    fn sizes_given(&self) -> bool {
        #[cfg(feature = "partitions")]
        return !self.sizes.is_empty();
        #[cfg(not(feature = "partitions"))]
        false
    }

    /// The seed's stories share this shape: A, B, C sent one at a time, 10 ms each way.
    pub fn new(messages: &[&str], preset: Preset) -> Scenario {
        Scenario {
            name: String::new(),
            seed: 7,
            messages: messages.iter().map(|m| m.to_string()).collect(),
            #[cfg(feature = "partitions")]
            keys: Vec::new(),
            #[cfg(feature = "partitions")]
            sizes: Vec::new(),
            partitions: 1,
            interval_ms: 0,
            sync: true,
            producer: preset.settings(),
            network: Network::default(),
            broker: Broker::default(),
            faults: Vec::new(),
            #[cfg(txn)]
            transactions: Vec::new(),
        }
    }

    /// The benchmark's scenario: 1,000 messages 1 ms apart, 10 ± 3 ms each way, 5% of requests
    /// and of responses lost. Each loss breaks the connection until request.timeout.ms: 300 ms
    /// keeps the run sending to its end (with 30 s most of its records would expire).
    pub fn benchmark(preset: Preset) -> Scenario {
        let mut s = Scenario::new(&[], preset);
        s.producer.set(crate::config::REQUEST_TIMEOUT_MS, "300");
        s.messages = numbered(1000);
        s.sync = false;
        s.interval_ms = 1;
        s.network = Network {
            latency_ms: 10,
            jitter_ms: 3,
            request_loss: 0.05,
            response_loss: 0.05,
        };
        s
    }

    pub fn msg_index(&self, name: &str) -> Option<usize> {
        self.messages.iter().position(|m| m == name)
    }

    pub fn from_json_text(text: &str) -> Result<Scenario, String> {
        Scenario::from_json(&json::parse(text)?)
    }

    pub fn from_json(v: &Value) -> Result<Scenario, String> {
        let top = Obj::new("", Some(v), TOP_FIELDS)?;
        let name = top.str("name")?.unwrap_or("").to_string();
        let seed = top.int("seed", 0, 9_007_199_254_740_991)?.unwrap_or(0);
        let sync = match top.get("sync") {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(o) => {
                return Err(format!(
                    "`sync` must be true or false, not {}",
                    json::type_name(o)
                ))
            }
        };
        let m = read_messages(top.get("messages"))?;
        let (messages, interval) = (m.names, m.interval_ms);
        // (Without the feature `partitions`, the web pages, `topic` is an unknown field.)
        #[cfg(feature = "partitions")]
        let partitions = Obj::new("topic", top.get("topic"), &["partitions"])?
            .int("partitions", 1, MAX_PARTITIONS as u64)?
            .unwrap_or(1) as u32;
        #[cfg(not(feature = "partitions"))]
        let partitions = 1;
        let interval_ms = top.int("interval_ms", 0, MAX_TIME_MS)?.unwrap_or(interval);
        let mut producer = match top.str("mode")? {
            None => Settings::default(),
            Some(m) => preset_of("mode", m)?.settings(),
        };
        match top.get("producer") {
            None => {}
            Some(Value::Object(kv)) => {
                // A `mode` inside `producer` first: the keys beside it change its settings.
                if let Some(m) = kv.get("mode") {
                    let m = str_of("producer.mode", m)?;
                    for (pk, pv) in preset_of("producer.mode", m)?.settings().0 {
                        producer.set(&pk, &pv);
                    }
                }
                for (k, val) in kv.iter().filter(|(k, _)| *k != "mode") {
                    // As the value would stand in a .properties file, for Kafka's parsing to
                    // judge: a string as it is (ConfigDef.parseType trims it), a whole number
                    // written as one (`1e3` is 1000), any other number as serde_json writes it
                    // (`5.5` is then "Not a number of type LONG", as it is to Kafka).
                    let text = match val {
                        Value::String(s) => s.trim().to_string(),
                        Value::Number(n) => match n.as_f64() {
                            Some(f) if n.is_f64() && f.fract() == 0.0 && f.abs() < 9e15 => {
                                format!("{}", f as i64)
                            }
                            _ => n.to_string(),
                        },
                        Value::Bool(b) => b.to_string(),
                        other => {
                            return Err(format!(
                                "`producer.{k}` must be a string, number or boolean, not {}",
                                json::type_name(other)
                            ))
                        }
                    };
                    producer.set(k, &text);
                }
            }
            Some(o) => {
                return Err(format!(
                    "`producer` must be an object, not {}",
                    json::type_name(o)
                ))
            }
        }
        // Surface config errors (unknown keys, Kafka's contradictions) at load time.
        producer.resolve().map_err(|e| format!("producer: {e}"))?;

        let net = Obj::new("network", top.get("network"), &NETWORK_FIELDS)?;
        let d = Network::default();
        let network = Network {
            latency_ms: net
                .int("latency_ms", 0, MAX_LATENCY_MS)?
                .unwrap_or(d.latency_ms),
            jitter_ms: net
                .int("jitter_ms", 0, MAX_LATENCY_MS)?
                .unwrap_or(d.jitter_ms),
            request_loss: net.prob("request_loss")?.unwrap_or(0.0),
            response_loss: net.prob("response_loss")?.unwrap_or(0.0),
        };
        let br = Obj::new("broker", top.get("broker"), BROKER_FIELDS)?;
        let d = Broker::default();
        let broker = Broker {
            replicas: br
                .int("replicas", 1, MAX_REPLICAS as u64)?
                .unwrap_or(d.replicas as u64) as u32,
            replication_ms: br
                .int("replication_ms", 0, MAX_LATENCY_MS)?
                .unwrap_or(d.replication_ms),
            // LogConfig: min.insync.replicas is at least 1; above the replication factor it
            // acts as the factor (Partition.effectiveMinIsr).
            min_insync: br
                .int("min.insync.replicas", 1, i32::MAX as u64)?
                .unwrap_or(d.min_insync as u64) as u32,
            unclean: br
                .bool("unclean.leader.election.enable")?
                .unwrap_or(d.unclean),
            lag_max_ms: br
                .int("replica.lag.time.max.ms", 1, MAX_TIME_MS)?
                .unwrap_or(d.lag_max_ms),
            session_timeout_ms: br
                .int("broker.session.timeout.ms", 1, MAX_TIME_MS)?
                .unwrap_or(d.session_timeout_ms),
            #[cfg(txn)]
            coordinator_ms: br
                .int("coordinator_ms", 0, MAX_LATENCY_MS)?
                .unwrap_or(d.coordinator_ms),
        };
        let faults = read_faults(top.get("faults"), &messages)?;
        #[cfg(txn)]
        let transactions = read_transactions(top.get("transactions"), &messages)?;
        #[cfg(not(txn))]
        if top.get("transactions").is_some() {
            return Err(NO_TRANSACTIONS.into());
        }
        let s = Scenario {
            name,
            seed,
            messages,
            #[cfg(feature = "partitions")]
            keys: m.keys,
            #[cfg(feature = "partitions")]
            sizes: m.sizes,
            partitions,
            interval_ms,
            sync,
            producer,
            network,
            broker,
            faults,
            #[cfg(txn)]
            transactions,
        };
        s.check()?;
        Ok(s)
    }

    /// Checks that hold however the scenario was built (from JSON, a URL or the UI).
    pub fn check(&self) -> Result<(), String> {
        if self.messages.is_empty() {
            return Err("`messages` is empty: give at least one message".into());
        }
        if self.messages.len() > MAX_MESSAGES {
            return Err(format!(
                "`messages` has {} messages; the limit is {MAX_MESSAGES}",
                self.messages.len()
            ));
        }
        if self.network.latency_ms > MAX_LATENCY_MS || self.network.jitter_ms > MAX_LATENCY_MS {
            return Err(format!(
                "`network.latency_ms` and `jitter_ms` must be at most {MAX_LATENCY_MS}"
            ));
        }
        for (key, p) in [
            ("request_loss", self.network.request_loss),
            ("response_loss", self.network.response_loss),
        ] {
            if !(0.0..=1.0).contains(&p) {
                return Err(format!(
                    "`network.{key}` must be between 0 and 1, not {}",
                    fmt_decimal(p, 6)
                ));
            }
        }
        // (The web pages' engine runs one partition: crate::sim::PARTITIONS.)
        #[cfg(feature = "partitions")]
        if crate::sim::PARTITIONS {
            self.check_topic()?;
        }
        if cfg!(feature = "partitions") && !crate::sim::PARTITIONS && self.partitions > 1 {
            return Err(format!(
                "`topic.partitions` is {}: {ONE_PARTITION}",
                self.partitions
            ));
        }
        if self.broker.replicas == 0 || self.broker.replicas > MAX_REPLICAS {
            return Err(format!(
                "`broker.replicas` must be from 1 to {MAX_REPLICAS}"
            ));
        }
        if self.faults.len() > MAX_FAULTS {
            return Err(format!(
                "{} faults; the limit is {MAX_FAULTS}",
                self.faults.len()
            ));
        }
        for f in &self.faults {
            if let Some((msg, attempt)) = f.target() {
                if msg >= self.messages.len() {
                    return Err(format!(
                        "a `{}` fault names message #{msg}, which does not exist",
                        f.kind().name()
                    ));
                }
                if attempt == 0 {
                    return Err(format!(
                        "a `{}` fault has attempt 0; attempts count from 1",
                        f.kind().name()
                    ));
                }
            }
            if let Fault::ErrorResponse { error, .. } = f {
                if !KafkaError::SCRIPTABLE.contains(error) {
                    return Err(format!(
                        "an `error_response` fault answers {}; it must be NOT_ENOUGH_REPLICAS, CORRUPT_MESSAGE or NOT_LEADER_OR_FOLLOWER",
                        error.code()
                    ));
                }
            }
            if let Fault::LeaderFailover { .. } = f {
                if self.broker.replicas < 2 {
                    return Err(
                        "`leader_failover` needs a follower: set `broker.replicas` to 2 or more"
                            .into(),
                    );
                }
            }
            if let Fault::ReplicaDown { replica, .. } | Fault::ReplicaSlow { replica, .. } = *f {
                if replica == 0 || replica >= self.broker.replicas {
                    return Err(format!(
                        "a `{}` fault names replica {replica}; the followers are 1 to {} (replica 0 leads; set `broker.replicas`)",
                        f.kind().name(),
                        self.broker.replicas.max(2) - 1
                    ));
                }
            }
            if let Fault::ReplicaDown { from_ms, to_ms, .. } = *f {
                if from_ms > to_ms {
                    return Err(format!(
                        "`replica_down` ends ({to_ms} ms) before it starts ({from_ms} ms)"
                    ));
                }
            }
            if let Fault::BrokerDown { from_ms, to_ms } = f {
                if from_ms > to_ms {
                    return Err(format!(
                        "`broker_down` ends ({to_ms} ms) before it starts ({from_ms} ms)"
                    ));
                }
            }
        }
        Ok(())
    }

    /// The topic's checks: its partitions, and each message's key and size.
    #[cfg(feature = "partitions")]
    fn check_topic(&self) -> Result<(), String> {
        if self.partitions == 0 || self.partitions > MAX_PARTITIONS {
            return Err(format!(
                "`topic.partitions` must be from 1 to {MAX_PARTITIONS}"
            ));
        }
        if self.partitions > 1 && self.replicated() {
            return Err(
                "`topic.partitions` above 1 runs on one broker: replicas and their faults are modelled for a one-partition topic"
                    .into(),
            );
        }
        if self.keys.len() > self.messages.len() || self.sizes.len() > self.messages.len() {
            return Err("more keys or sizes than `messages`".into());
        }
        if let Some(i) = self
            .sizes
            .iter()
            .position(|&b| b == 0 || b > MAX_RECORD_BYTES)
        {
            return Err(format!(
                "`messages[{i}].bytes` must be from 1 to {MAX_RECORD_BYTES}"
            ));
        }
        Ok(())
    }

    /// The scenario in its file format (docs/format.md).
    pub fn to_json(&self) -> String {
        json::to_string(&json::ScenarioJson::of(self))
    }
}

/// `transactions`: objects of `messages` (names) and `end`; together they list every message
/// once, in the order of `messages`, and only the last may end with `none`.
#[cfg(txn)]
fn read_transactions(v: Option<&Value>, messages: &[String]) -> Result<Vec<Transaction>, String> {
    let items = match v {
        None => return Ok(Vec::new()),
        Some(Value::Array(items)) => items,
        Some(o) => {
            return Err(format!(
                "`transactions` must be a list, not {}",
                json::type_name(o)
            ))
        }
    };
    let mut out: Vec<Transaction> = Vec::with_capacity(items.len().min(messages.len()));
    let mut next = 0;
    for (i, item) in items.iter().enumerate() {
        let path = format!("transactions[{i}]");
        let o = Obj::new(&path, Some(item), &["messages", "end"])?;
        if out.last().is_some_and(|t| t.end == TxnEnd::None) {
            return Err(format!(
                "`transactions[{}].end` is none: the application never ends it, so no transaction can follow it",
                i - 1
            ));
        }
        let names = match o.get("messages") {
            Some(Value::Array(names)) if !names.is_empty() => names,
            Some(Value::Array(_)) => return Err(format!("`{path}.messages` is empty")),
            None => return Err(format!("`{path}.messages` is missing")),
            Some(o) => {
                return Err(format!(
                    "`{path}.messages` must be a list of names, not {}",
                    json::type_name(o)
                ))
            }
        };
        let first = next;
        for (j, name) in names.iter().enumerate() {
            let name = str_of(&format!("{path}.messages[{j}]"), name)?;
            let quoted = quote(name);
            if !messages.iter().any(|m| m == name) {
                return Err(format!(
                    "`{path}.messages` names {quoted}, which is not in `messages`"
                ));
            }
            match messages.get(next) {
                Some(m) if m == name => next += 1,
                Some(m) => {
                    return Err(format!(
                        "`{path}.messages` has {quoted} where {} comes next: transactions list every message once, in the order of `messages`",
                        quote(m)
                    ))
                }
                None => {
                    return Err(format!(
                        "`{path}.messages` names {quoted} a second time: transactions list every message once"
                    ))
                }
            }
        }
        let end = match o.str("end")? {
            Some("commit") => TxnEnd::Commit,
            Some("abort") => TxnEnd::Abort,
            Some("none") => TxnEnd::None,
            Some(e) => {
                return Err(format!(
                    "`{path}.end` is {}; it must be commit, abort or none",
                    quote(e)
                ))
            }
            None => return Err(format!("`{path}.end` is missing: commit, abort or none")),
        };
        out.push(Transaction {
            first,
            len: next - first,
            end,
        });
    }
    if !out.is_empty() && next < messages.len() {
        return Err(format!(
            "message {} is in no transaction: a transactional producer sends only inside one",
            quote(&messages[next])
        ));
    }
    Ok(out)
}

/// A name in a message, cut to a readable length.
#[cfg(txn)]
fn quote(name: &str) -> String {
    format!("`{}`", clip(name))
}

/// At most 24 characters of what a reader typed, to quote it back in a message.
pub fn clip(text: &str) -> String {
    match text.char_indices().nth(24) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}

const BROKER_FIELDS: &[&str] = &[
    "replicas",
    "replication_ms",
    "min.insync.replicas",
    "unclean.leader.election.enable",
    "replica.lag.time.max.ms",
    "broker.session.timeout.ms",
    #[cfg(txn)]
    "coordinator_ms",
];

const TOP_FIELDS: &[&str] = &[
    "name",
    "description",
    "seed",
    "messages",
    "interval_ms",
    "sync",
    "mode",
    "producer",
    "network",
    "broker",
    "faults",
    #[cfg(feature = "partitions")]
    "topic",
    "transactions",
    "expect",
    "expect_modes",
];
const NETWORK_FIELDS: [&str; 4] = ["latency_ms", "jitter_ms", "request_loss", "response_loss"];

/// A JSON object being read: its path for messages, and its fields.
struct Obj<'a> {
    path: String,
    fields: Option<&'a Map<String, Value>>,
}

impl<'a> Obj<'a> {
    /// Reads `v` as an object whose keys must be among `known` (a missing object is empty).
    fn new(path: &str, v: Option<&'a Value>, known: &[&str]) -> Result<Obj<'a>, String> {
        let fields = match v {
            None => None,
            Some(Value::Object(fields)) => Some(fields),
            Some(o) if path.is_empty() => {
                return Err(format!(
                    "the scenario must be a JSON object, not {}",
                    json::type_name(o)
                ))
            }
            Some(o) => {
                return Err(format!(
                    "`{path}` must be an object, not {}",
                    json::type_name(o)
                ))
            }
        };
        let obj = Obj {
            path: path.to_string(),
            fields,
        };
        let unknown = fields.and_then(|f| f.keys().find(|k| !known.contains(&k.as_str())));
        if let Some(k) = unknown {
            return Err(format!(
                "unknown field `{}` (known: {})",
                obj.key(k),
                known.join(", ")
            ));
        }
        Ok(obj)
    }

    fn key(&self, k: &str) -> String {
        if self.path.is_empty() {
            k.to_string()
        } else {
            format!("{}.{k}", self.path)
        }
    }

    fn get(&self, k: &str) -> Option<&'a Value> {
        self.fields.and_then(|f| f.get(k))
    }

    fn str(&self, k: &str) -> Result<Option<&'a str>, String> {
        self.get(k).map(|v| str_of(&self.key(k), v)).transpose()
    }

    fn int(&self, k: &str, min: u64, max: u64) -> Result<Option<u64>, String> {
        self.get(k)
            .map(|v| int_of(&self.key(k), v, min, max))
            .transpose()
    }

    fn bool(&self, k: &str) -> Result<Option<bool>, String> {
        match self.get(k) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(o) => Err(format!(
                "`{}` must be true or false, not {}",
                self.key(k),
                json::type_name(o)
            )),
        }
    }

    fn prob(&self, k: &str) -> Result<Option<f64>, String> {
        let Some(v) = self.get(k) else {
            return Ok(None);
        };
        match v.as_f64() {
            Some(p) if (0.0..=1.0).contains(&p) => Ok(Some(p)),
            Some(p) => Err(format!(
                "`{}` is {}; it must be from 0 to 1",
                self.key(k),
                fmt_decimal(p, 6)
            )),
            None => Err(format!(
                "`{}` must be a number, not {}",
                self.key(k),
                json::type_name(v)
            )),
        }
    }
}

fn str_of<'a>(key: &str, v: &'a Value) -> Result<&'a str, String> {
    match v {
        Value::String(s) => Ok(s),
        o => Err(format!(
            "`{key}` must be a string, not {}",
            json::type_name(o)
        )),
    }
}

fn int_of(key: &str, v: &Value, min: u64, max: u64) -> Result<u64, String> {
    let Some(n) = v.as_f64() else {
        return Err(format!(
            "`{key}` must be a number, not {}",
            json::type_name(v)
        ));
    };
    if n.fract() != 0.0 {
        return Err(format!(
            "`{key}` must be a whole number, not {}",
            fmt_decimal(n, 6)
        ));
    }
    if n < min as f64 || n > max as f64 {
        return Err(format!(
            "`{key}` is {}; it must be from {min} to {max}",
            fmt_decimal(n, 6)
        ));
    }
    Ok(n as u64)
}

/// The modes a scenario or an exercise may name, for messages.
pub fn preset_names() -> &'static str {
    if cfg!(txn) {
        "at-most-once, at-least-once, exactly-once or transactional"
    } else {
        "at-most-once, at-least-once or exactly-once"
    }
}

fn preset_of(key: &str, name: &str) -> Result<Preset, String> {
    Preset::from_name(name)
        .ok_or_else(|| format!("`{key}` is `{name}`; it must be {}", preset_names()))
}

/// What `messages` gives: the names, the interval of `{"count": N, "interval_ms": T}`, and
/// each message's key and size when any message gives one.
#[derive(Default)]
struct Messages {
    names: Vec<String>,
    interval_ms: u64,
    #[cfg(feature = "partitions")]
    keys: Vec<Option<String>>,
    #[cfg(feature = "partitions")]
    sizes: Vec<u32>,
}

/// One item of `messages`: a name, or `{"name": ..., "key": ..., "bytes": ...}` (its name, key
/// and size).
fn read_message<'a>(
    path: &str,
    item: &'a Value,
) -> Result<(&'a str, Option<&'a str>, Option<u32>), String> {
    // (Without the feature `partitions`, the web pages, a message is a name: `str_of` says so.)
    if !matches!(item, Value::Object(_)) || !cfg!(feature = "partitions") {
        return Ok((str_of(path, item)?, None, None));
    }
    if !crate::sim::PARTITIONS {
        return Err(format!("`{path}` gives a key or a size: {ONE_PARTITION}"));
    }
    let o = Obj::new(path, Some(item), &["name", "key", "bytes"])?;
    let name = o.str("name")?.ok_or(format!("`{path}.name` is missing"))?;
    let key = o.str("key")?;
    if key.is_some_and(|k| k.chars().count() > MAX_KEY_CHARS) {
        return Err(format!(
            "`{path}.key` must have at most {MAX_KEY_CHARS} characters"
        ));
    }
    let size = o.int("bytes", 1, MAX_RECORD_BYTES as u64)?;
    Ok((name, key, size.map(|b| b as u32)))
}

fn read_messages(v: Option<&Value>) -> Result<Messages, String> {
    let mut m = Messages::default();
    match v {
        None => Err("`messages` is missing: give a list of names or {\"count\": N}".into()),
        Some(Value::Array(items)) => {
            if items.len() > MAX_MESSAGES {
                return Err(format!(
                    "`messages` has {} messages; the limit is {MAX_MESSAGES}",
                    items.len()
                ));
            }
            m.names.reserve(items.len());
            #[cfg(feature = "partitions")]
            let (mut keys, mut sizes) = (Vec::new(), Vec::new());
            for (i, item) in items.iter().enumerate() {
                let path = format!("messages[{i}]");
                let (name, _key, _size) = read_message(&path, item)?;
                if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
                    return Err(format!(
                        "`{path}` must have 1 to {MAX_NAME_CHARS} characters"
                    ));
                }
                m.names.push(name.to_string());
                #[cfg(feature = "partitions")]
                {
                    keys.push(_key.map(str::to_string));
                    sizes.push(_size.unwrap_or(DEFAULT_RECORD_BYTES));
                }
            }
            if let Some(dup) = first_duplicate(&m.names) {
                return Err(format!(
                    "message `{dup}` appears twice in `messages`; names must be unique"
                ));
            }
            #[cfg(feature = "partitions")]
            {
                if keys.iter().any(Option::is_some) {
                    m.keys = keys;
                }
                if sizes.iter().any(|&b| b != DEFAULT_RECORD_BYTES) {
                    m.sizes = sizes;
                }
            }
            Ok(m)
        }
        Some(obj @ Value::Object(_)) => {
            let o = Obj::new("messages", Some(obj), &["count", "interval_ms"])?;
            let count = o
                .int("count", 1, MAX_MESSAGES as u64)?
                .ok_or("`messages.count` is missing")?;
            m.interval_ms = o.int("interval_ms", 0, MAX_TIME_MS)?.unwrap_or(0);
            m.names = numbered(count as usize);
            Ok(m)
        }
        Some(o) => Err(format!(
            "`messages` must be a list of names or {{\"count\": N}}, not {}",
            json::type_name(o)
        )),
    }
}

/// The first name that appears twice. An open-addressing table of indexes keyed by an FNV-1a
/// hash: linear in the names, and a fraction of the code a HashSet brings into the wasm bundle.
pub fn first_duplicate(names: &[String]) -> Option<&str> {
    let size = (names.len() * 2).next_power_of_two().max(2);
    let mut slots = vec![usize::MAX; size];
    for (i, name) in names.iter().enumerate() {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in name.bytes() {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        let mut at = (h as usize) & (size - 1);
        while slots[at] != usize::MAX {
            if names[slots[at]] == *name {
                return Some(name);
            }
            at = (at + 1) & (size - 1);
        }
        slots[at] = i;
    }
    None
}

fn read_faults(v: Option<&Value>, messages: &[String]) -> Result<Vec<Fault>, String> {
    let items = match v {
        None => return Ok(Vec::new()),
        Some(Value::Array(items)) => items,
        Some(o) => {
            return Err(format!(
                "`faults` must be a list, not {}",
                json::type_name(o)
            ))
        }
    };
    if items.len() > MAX_FAULTS {
        return Err(format!("{} faults; the limit is {MAX_FAULTS}", items.len()));
    }
    let mut out = Vec::with_capacity(items.len());
    for (i, f) in items.iter().enumerate() {
        let path = format!("faults[{i}]");
        let kind = match f.get("kind") {
            Some(k) => str_of(&format!("{path}.kind"), k)?,
            None => return Err(format!("`{path}` has no `kind`")),
        };
        let k = FaultKind::from_name(kind).ok_or_else(|| {
            format!(
                "`{path}.kind` is `{kind}`; it must be one of {}",
                FaultKind::ALL.map(FaultKind::name).join(", ")
            )
        })?;
        let known: &[&str] = match k {
            FaultKind::DelayResponse => &["kind", "message", "attempt", "ms"],
            FaultKind::ErrorResponse => &["kind", "message", "attempt", "error"],
            FaultKind::BrokerDown => &["kind", "from_ms", "to_ms"],
            FaultKind::LeaderFailover | FaultKind::ProducerRestart => &["kind", "at_ms"],
            FaultKind::ReplicaDown => &["kind", "replica", "from_ms", "to_ms"],
            FaultKind::ReplicaSlow => &["kind", "replica", "extra_ms"],
            _ => &["kind", "message", "attempt"],
        };
        let o = Obj::new(&path, Some(f), known)?;
        let time = |key: &str| -> Result<u64, String> {
            o.int(key, 0, MAX_TIME_MS)?
                .ok_or_else(|| format!("`{path}` ({kind}) needs `{key}`"))
        };
        let replica = || -> Result<u32, String> {
            Ok(o.int("replica", 0, MAX_REPLICAS as u64)?
                .ok_or_else(|| format!("`{path}` ({kind}) needs `replica`"))? as u32)
        };
        let fault = match k {
            FaultKind::BrokerDown => Fault::BrokerDown {
                from_ms: time("from_ms")?,
                to_ms: time("to_ms")?,
            },
            FaultKind::LeaderFailover => Fault::LeaderFailover {
                at_ms: time("at_ms")?,
            },
            FaultKind::ProducerRestart => Fault::ProducerRestart {
                at_ms: time("at_ms")?,
            },
            FaultKind::ReplicaDown => Fault::ReplicaDown {
                replica: replica()?,
                from_ms: time("from_ms")?,
                to_ms: time("to_ms")?,
            },
            FaultKind::ReplicaSlow => Fault::ReplicaSlow {
                replica: replica()?,
                extra_ms: time("extra_ms")?,
            },
            FaultKind::DelayResponse => Fault::DelayResponse {
                msg: 0,
                attempt: 1,
                ms: time("ms")?,
            },
            FaultKind::ErrorResponse => Fault::ErrorResponse {
                msg: 0,
                attempt: 1,
                error: match o.str("error")? {
                    None => KafkaError::NotEnoughReplicas,
                    Some(code) => KafkaError::SCRIPTABLE
                        .into_iter()
                        .find(|e| e.code() == code)
                        .ok_or_else(|| {
                            format!(
                                "`{path}.error` is `{code}`; it must be one of {}",
                                KafkaError::SCRIPTABLE.map(KafkaError::code).join(", ")
                            )
                        })?,
                },
            },
            other => other.like(&Fault::LeaderFailover { at_ms: 0 }),
        };
        out.push(if k.per_request() {
            let name = o
                .str("message")?
                .ok_or_else(|| format!("`{path}` ({kind}) needs `message`"))?;
            let msg = messages.iter().position(|m| m == name).ok_or_else(|| {
                format!("`{path}.message` is `{name}`, which is not in `messages`")
            })?;
            let attempt = o.int("attempt", 1, 1_000_000)?.unwrap_or(1) as u32;
            fault.retarget(msg, attempt)
        } else {
            fault
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_spec_example() {
        let s = Scenario::from_json_text(
            r#"{
  "name": "seed story 1", "seed": 7, "messages": ["A", "B", "C"], "sync": true,
  "producer": { "acks": "all", "retries": 5, "enable.idempotence": false },
  "network": { "latency_ms": 10, "jitter_ms": 0, "request_loss": 0.0, "response_loss": 0.0 },
  "faults": [ { "kind": "drop_response", "message": "B", "attempt": 1 } ]
}"#,
        )
        .unwrap();
        assert_eq!(s.messages, ["A", "B", "C"]);
        assert_eq!(s.producer.get("retries"), Some("5"));
        assert_eq!(s.faults, [Fault::DropResponse { msg: 1, attempt: 1 }]);
    }

    #[test]
    fn producer_values_are_read_as_a_properties_file_holds_them() {
        let read = |producer: &str| {
            Scenario::from_json_text(&format!(r#"{{"messages": ["A"], "producer": {producer}}}"#))
        };
        let s = read(r#"{"linger.ms": " 7 ", "retries": 1e1, "batch.size": 20}"#).unwrap();
        assert_eq!(s.producer.get("linger.ms"), Some("7"));
        assert_eq!(s.producer.get("retries"), Some("10"));
        assert_eq!(s.producer.get("batch.size"), Some("20"));
        // Kafka's own words for a number that is not a LONG, or not an INT.
        assert_eq!(
            read(r#"{"linger.ms": 5.5}"#).unwrap_err(),
            "producer: Invalid value 5.5 for configuration linger.ms: Not a number of type LONG"
        );
        assert_eq!(
            read(r#"{"retries": 3000000000}"#).unwrap_err(),
            "producer: Invalid value 3000000000 for configuration retries: Not a number of type INT"
        );
    }

    #[test]
    fn errors_name_the_field() {
        let cases = [
            (r#"{"messages": []}"#, "`messages` is empty"),
            (
                r#"{"messages": {"count": 1000000000000}}"#,
                "`messages.count` is 1000000000000; it must be from 1 to 100000",
            ),
            (
                r#"{"messages": ["A"], "producer": {"ack": "all"}}"#,
                "did you mean `acks`?",
            ),
            (
                r#"{"messages": ["A"], "network": {"latency_ms": -5}}"#,
                "`network.latency_ms` is -5",
            ),
            (
                r#"{"messages": ["A"], "network": {"request_loss": 2}}"#,
                "`network.request_loss` is 2",
            ),
            (
                r#"{"messages": ["A"], "faults": [{"kind": "drop_response", "message": "Z"}]}"#,
                "`faults[0].message` is `Z`",
            ),
            (
                r#"{"messages": ["A"], "faults": [{"kind": "explode"}]}"#,
                "`faults[0].kind` is `explode`",
            ),
            (r#"{"messages": ["A", "A"]}"#, "appears twice"),
            (r#"{"mesages": ["A"]}"#, "unknown field `mesages`"),
            (
                r#"{"messages": ["A"], "seed": "x"}"#,
                "`seed` must be a number",
            ),
            (
                r#"{"messages": ["A"], "faults": [{"kind": "leader_failover", "at_ms": 5}]}"#,
                "set `broker.replicas`",
            ),
            (r#"[1]"#, "must be a JSON object"),
            (
                r#"{"messages": ["A"], "faults": [{"kind": "error_response", "message": "A", "error": "OOPS"}]}"#,
                "`faults[0].error` is `OOPS`; it must be one of NOT_ENOUGH_REPLICAS, CORRUPT_MESSAGE, NOT_LEADER_OR_FOLLOWER",
            ),
        ];
        for (input, want) in cases {
            let e = Scenario::from_json_text(input).unwrap_err();
            assert!(e.contains(want), "{input}: got {e:?}, want {want:?}");
        }
    }

    #[test]
    fn duplicates_are_found_among_many_names() {
        let mut names: Vec<String> = (0..50_000).map(|i| format!("m{i}")).collect();
        assert_eq!(first_duplicate(&names), None);
        names.push("m31337".into());
        assert_eq!(first_duplicate(&names), Some("m31337"));
        assert_eq!(first_duplicate(&[]), None);
    }

    #[test]
    fn json_round_trip() {
        let s = Scenario::from_json_text(
            r#"{"seed": 3, "messages": ["A","B"], "mode": "exactly-once",
                "faults": [{"kind": "delay_response", "message": "B", "attempt": 2, "ms": 40000},
                           {"kind": "broker_down", "from_ms": 5, "to_ms": 9},
                           {"kind": "error_response", "message": "A", "error": "CORRUPT_MESSAGE"}]}"#,
        )
        .unwrap();
        // (A JSON object has no order: the producer's keys come back in key order.)
        let sorted = |mut s: Scenario| {
            s.producer.0.sort();
            s
        };
        let back = Scenario::from_json_text(&s.to_json()).unwrap();
        assert_eq!(sorted(back), sorted(s));
    }
}
