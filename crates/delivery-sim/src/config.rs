//! Producer configuration: Kafka's keys, Kafka's defaults (3.x+), Kafka's validation messages.

use std::fmt::Write as _;

pub const ACKS: &str = "acks";
pub const RETRIES: &str = "retries";
pub const ENABLE_IDEMPOTENCE: &str = "enable.idempotence";
/// The largest `.properties` block read: far more than every producer key with its value.
pub const MAX_PROPERTIES_BYTES: usize = 64 * 1024;
const MAX_LINE_CHARS: usize = 1_000;
const MAX_PROBLEMS: usize = 20;
pub const MAX_IN_FLIGHT: &str = "max.in.flight.requests.per.connection";
pub const RETRY_BACKOFF_MS: &str = "retry.backoff.ms";
pub const RETRY_BACKOFF_MAX_MS: &str = "retry.backoff.max.ms";
pub const REQUEST_TIMEOUT_MS: &str = "request.timeout.ms";
pub const DELIVERY_TIMEOUT_MS: &str = "delivery.timeout.ms";
pub const LINGER_MS: &str = "linger.ms";
pub const BATCH_SIZE: &str = "batch.size";
pub const TRANSACTIONAL_ID: &str = "transactional.id";
pub const TRANSACTION_TIMEOUT_MS: &str = "transaction.timeout.ms";
/// The broker's `transaction.max.timeout.ms` default (TransactionStateManagerConfig): the
/// coordinator refuses a longer `transaction.timeout.ms` with INVALID_TRANSACTION_TIMEOUT.
pub const TRANSACTION_MAX_TIMEOUT_MS: u64 = 900_000;

/// Keys the simulator models, in the order a `.properties` export lists them.
pub const MODELLED_KEYS: [&str; 10] = [
    ACKS,
    ENABLE_IDEMPOTENCE,
    RETRIES,
    MAX_IN_FLIGHT,
    RETRY_BACKOFF_MS,
    RETRY_BACKOFF_MAX_MS,
    REQUEST_TIMEOUT_MS,
    DELIVERY_TIMEOUT_MS,
    LINGER_MS,
    BATCH_SIZE,
];

/// Real producer keys the simulator accepts without modelling them (one partition, records of
/// 100 bytes, no compression): a pasted producer.properties keeps working, with a note. In one
/// string: the app's bundle has no room for a table of them.
const OTHER_PRODUCER_KEYS: &str = "bootstrap.servers key.serializer value.serializer client.id buffer.memory compression.type compression.gzip.level compression.lz4.level compression.zstd.level max.block.ms max.request.size partitioner.class partitioner.ignore.keys partitioner.adaptive.partitioning.enable receive.buffer.bytes send.buffer.bytes reconnect.backoff.ms reconnect.backoff.max.ms metadata.max.age.ms metadata.max.idle.ms connections.max.idle.ms security.protocol transaction.timeout.ms transactional.id interceptor.classes client.dns.lookup";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Acks {
    Zero,
    One,
    All,
}

impl Acks {
    pub fn as_str(self) -> &'static str {
        match self {
            Acks::Zero => "0",
            Acks::One => "1",
            Acks::All => "all",
        }
    }
}

/// The effective producer configuration after defaults and validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProducerConfig {
    pub acks: Acks,
    pub retries: u32,
    pub enable_idempotence: bool,
    pub max_in_flight: u32,
    pub retry_backoff_ms: u64,
    pub retry_backoff_max_ms: u64,
    pub request_timeout_ms: u64,
    pub delivery_timeout_ms: u64,
    pub linger_ms: u64,
    /// Bytes a batch may hold before it is full (ProducerBatch's write limit).
    pub batch_size: u64,
    /// `transactional.id`: the producer runs transactions (feature `transactions`; the web
    /// pages accept the key with a note).
    #[cfg(txn)]
    pub transactional_id: Option<String>,
    #[cfg(txn)]
    pub transaction_timeout_ms: u64,
}

impl Default for ProducerConfig {
    /// Apache Kafka 3.x+ producer defaults.
    fn default() -> Self {
        ProducerConfig {
            acks: Acks::All,
            retries: i32::MAX as u32,
            enable_idempotence: true,
            max_in_flight: 5,
            retry_backoff_ms: 100,
            retry_backoff_max_ms: 1000,
            request_timeout_ms: 30_000,
            delivery_timeout_ms: 120_000,
            linger_ms: 5,
            batch_size: 16_384,
            #[cfg(txn)]
            transactional_id: None,
            #[cfg(txn)]
            transaction_timeout_ms: 60_000,
        }
    }
}

impl ProducerConfig {
    /// A modelled key's value, as a `.properties` file would write it.
    pub fn value(&self, key: &str) -> String {
        match key {
            ACKS => self.acks.as_str().to_string(),
            ENABLE_IDEMPOTENCE => self.enable_idempotence.to_string(),
            RETRIES => self.retries.to_string(),
            MAX_IN_FLIGHT => self.max_in_flight.to_string(),
            RETRY_BACKOFF_MS => self.retry_backoff_ms.to_string(),
            RETRY_BACKOFF_MAX_MS => self.retry_backoff_max_ms.to_string(),
            REQUEST_TIMEOUT_MS => self.request_timeout_ms.to_string(),
            DELIVERY_TIMEOUT_MS => self.delivery_timeout_ms.to_string(),
            BATCH_SIZE => self.batch_size.to_string(),
            _ => self.linger_ms.to_string(),
        }
    }
}

/// Where a default comes from: the Kafka release it dates from and the KIP that set it, where
/// today's value is not the one Kafka started with (`ProducerConfig`'s `define(...)` calls;
/// the releases' notes for when each changed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Since {
    pub version: &'static str,
    pub kip: &'static str,
}

/// The default of a modelled key, and since when it is Kafka's default (None: since the
/// producer has had the key, before 1.0).
pub fn default_since(key: &str) -> Option<Since> {
    let since = |version, kip| Some(Since { version, kip });
    match key {
        // KIP-679: the strongest guarantee by default (3.0).
        ACKS | ENABLE_IDEMPOTENCE => since("3.0", "KIP-679"),
        // KIP-91: retries up to delivery.timeout.ms, a new setting (2.1).
        RETRIES | DELIVERY_TIMEOUT_MS => since("2.1", "KIP-91"),
        // KIP-580: exponential retry backoff (3.7).
        RETRY_BACKOFF_MAX_MS => since("3.7", "KIP-580"),
        // KIP-1030: linger.ms 0 -> 5 (4.0).
        LINGER_MS => since("4.0", "KIP-1030"),
        _ => None,
    }
}

/// Where an effective setting's value comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Written in the settings.
    Set,
    /// Kafka's default.
    Default(Option<Since>),
    /// Decided from other settings by a rule of the Java client (the note says which).
    Rule(Note),
}

/// One modelled key as the producer runs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Effective {
    pub key: &'static str,
    pub value: String,
    pub source: Source,
}

impl Settings {
    /// Every modelled key with the value the producer runs with and what decided it: the
    /// settings, Kafka's default (and since when), or a rule from the other settings
    /// (idempotence switched off, delivery.timeout.ms raised). Kafka's error when they are
    /// refused.
    pub fn effective(&self) -> Result<Vec<Effective>, String> {
        let r = self.resolve()?;
        let rule = |key: &str| {
            r.notes.iter().find(|n| match n {
                Note::IdempotenceOff { .. } => key == ENABLE_IDEMPOTENCE,
                Note::DeliveryTimeoutRaised(_) => key == DELIVERY_TIMEOUT_MS,
                Note::NotModelled(_) => false,
            })
        };
        Ok(MODELLED_KEYS
            .iter()
            .map(|&key| Effective {
                key,
                value: r.config.value(key),
                source: match (rule(key), self.get(key)) {
                    (Some(note), _) => Source::Rule(note.clone()),
                    (None, Some(_)) => Source::Set,
                    (None, None) => Source::Default(default_since(key)),
                },
            })
            .collect())
    }
}

/// The delivery modes the app compares, as real producer settings: the three of the seed, and
/// with transactions (`cfg(txn)`) a fourth, exactly-once end to end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    AtMostOnce,
    AtLeastOnce,
    ExactlyOnce,
    /// The idempotent producer with a `transactional.id`: its records reach read_committed
    /// consumers only once their transaction commits.
    #[cfg(txn)]
    Transactional,
}

impl Preset {
    /// The seed's three modes: the side-by-side view, and what `search` runs.
    pub const ALL: [Preset; 3] = [Preset::AtMostOnce, Preset::AtLeastOnce, Preset::ExactlyOnce];
    /// Every mode a lane can show, in lane order.
    #[cfg(txn)]
    pub const LANES: &'static [Preset] = &[
        Preset::AtMostOnce,
        Preset::AtLeastOnce,
        Preset::ExactlyOnce,
        Preset::Transactional,
    ];
    #[cfg(not(txn))]
    pub const LANES: &'static [Preset] = &Preset::ALL;

    pub fn name(self) -> &'static str {
        match self {
            Preset::AtMostOnce => "at-most-once",
            Preset::AtLeastOnce => "at-least-once",
            Preset::ExactlyOnce => "exactly-once",
            #[cfg(txn)]
            Preset::Transactional => "transactional",
        }
    }

    /// The preset's place in [`Preset::LANES`] (the app's lane order).
    pub fn index(self) -> usize {
        Preset::LANES.iter().position(|&p| p == self).unwrap_or(0)
    }

    pub fn from_name(name: &str) -> Option<Preset> {
        match name {
            "at-most-once" => Some(Preset::AtMostOnce),
            "at-least-once" => Some(Preset::AtLeastOnce),
            "exactly-once" | "idempotent" => Some(Preset::ExactlyOnce),
            #[cfg(txn)]
            "transactional" => Some(Preset::Transactional),
            _ => None,
        }
    }

    /// The preset's settings as key/value pairs, as a user would write them.
    pub fn settings(self) -> Settings {
        let kv: &[(&str, &str)] = match self {
            Preset::AtMostOnce => &[
                (ACKS, "0"),
                (RETRIES, "0"),
                (ENABLE_IDEMPOTENCE, "false"),
                (MAX_IN_FLIGHT, "5"),
            ],
            Preset::AtLeastOnce => &[
                (ACKS, "all"),
                (RETRIES, "2147483647"),
                (ENABLE_IDEMPOTENCE, "false"),
                (MAX_IN_FLIGHT, "5"),
            ],
            Preset::ExactlyOnce => &[
                (ACKS, "all"),
                (RETRIES, "2147483647"),
                (ENABLE_IDEMPOTENCE, "true"),
                (MAX_IN_FLIGHT, "5"),
            ],
            // The idempotent producer's settings with a transactional.id.
            #[cfg(txn)]
            Preset::Transactional => {
                let mut s = Preset::ExactlyOnce.settings();
                s.set(TRANSACTIONAL_ID, "tx-1");
                return s;
            }
        };
        Settings(
            kv.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }
}

/// Producer settings as the user wrote them: keys and their textual values, in order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Settings(pub Vec<(String, String)>);

impl Settings {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Sets `key`, replacing an earlier value.
    pub fn set(&mut self, key: &str, value: &str) {
        match self.0.iter_mut().find(|(k, _)| k == key) {
            Some(slot) => slot.1 = value.to_string(),
            None => self.0.push((key.to_string(), value.to_string())),
        }
    }

    pub fn remove(&mut self, key: &str) {
        self.0.retain(|(k, _)| k != key);
    }

    /// Reads a `.properties` block. Every problem is collected; unknown keys are reported with
    /// a suggestion and left out, so the rest still loads.
    pub fn from_properties(text: &str) -> Result<(Settings, Vec<String>), String> {
        // A paste of any size gets an answer at once, not a hang: a block larger than any
        // producer's settings is refused whole, a line longer than any key and value is not
        // read, and after a few problems the rest are counted, not listed.
        if text.len() > MAX_PROPERTIES_BYTES {
            return Err(format!(
                "the block is {} bytes; the limit is {MAX_PROPERTIES_BYTES} (the lane keeps its settings)",
                text.len()
            ));
        }
        let mut settings = Settings::default();
        let mut problems = Vec::new();
        let mut more = 0;
        for (n, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') || line.starts_with('!') {
                continue;
            }
            let problem = if line.chars().count() > MAX_LINE_CHARS {
                Some(format!(
                    "line {}: {} characters; a line holds at most {MAX_LINE_CHARS}",
                    n + 1,
                    line.chars().count()
                ))
            } else {
                // java.util.Properties.load: the key ends at the first '=', ':' or white space,
                // one '=' or ':' (with white space around it) may follow, and the value is the
                // rest of the line, a '#' in it included (a comment is a line of its own); a
                // key alone has the empty value. ConfigDef.parseType trims the value.
                let (key, rest) = line.split_at(
                    line.find(['=', ':', ' ', '\t', '\x0c'])
                        .unwrap_or(line.len()),
                );
                let rest = rest.trim_start();
                let value = rest.strip_prefix(['=', ':']).unwrap_or(rest).trim();
                match check_key(key) {
                    Ok(()) => {
                        settings.set(key, value);
                        None
                    }
                    Err(e) => Some(format!("line {}: {e}", n + 1)),
                }
            };
            match problem {
                Some(p) if problems.len() < MAX_PROBLEMS => problems.push(p),
                Some(_) => more += 1,
                None => {}
            }
        }
        if more > 0 {
            problems.push(format!("… and {more} more lines not taken"));
        }
        Ok((settings, problems))
    }

    /// The settings as a `.properties` block.
    pub fn to_properties(&self) -> String {
        let mut out = String::new();
        for (k, v) in &self.0 {
            let _ = writeln!(out, "{k}={v}");
        }
        out
    }

    /// Applies Kafka's defaults and validation. Errors carry Kafka's own message.
    pub fn resolve(&self) -> Result<Resolved, String> {
        for (k, _) in &self.0 {
            check_key(k)?;
        }
        let d = ProducerConfig::default();
        // ConfigException's text for a value a key does not take.
        let invalid = |key: &str, v: &str, why: &str| {
            format!("Invalid value {v} for configuration {key}: {why}")
        };
        // ConfigDef.parseType: an INT key's value is read by Integer.parseInt and a LONG key's
        // by Long.parseLong, "Not a number of type ..." when it does not parse; then the key's
        // Range (at least `min`; ProducerConfig gives these keys no upper bound).
        let num = |key: &str, default: u64, min: i64, long: bool| -> Result<u64, String> {
            let Some(v) = self.get(key) else {
                return Ok(default);
            };
            let n = v
                .parse::<i64>()
                .ok()
                .filter(|&n| long || n == n as i32 as i64)
                .ok_or_else(|| {
                    let why = if long {
                        "Not a number of type LONG"
                    } else {
                        "Not a number of type INT"
                    };
                    invalid(key, v, why)
                })?;
            if n < min {
                return Err(invalid(key, v, &format!("Value must be at least {min}")));
            }
            // A LONG past 2^32 ms (49 days) is taken as 2^32 ms: as a backoff, even less its 20%
            // jitter, it outlasts any delivery.timeout.ms (an INT) and any transaction's timeout
            // (at most transaction.max.timeout.ms): the retry comes too late either way. (No INT
            // is that large.)
            Ok((n as u64).min(1 << 32))
        };
        // In ProducerConfig's order of definition, which ConfigDef.parse keeps: the first bad
        // value in it is the one named.
        let i32max = i32::MAX as u64;
        let retries = num(RETRIES, d.retries as u64, 0, false)? as u32;
        let acks = match self.get(ACKS) {
            None => d.acks,
            Some("0") => Acks::Zero,
            Some("1") => Acks::One,
            Some("all" | "-1") => Acks::All,
            Some(v) => return Err(invalid(ACKS, v, "String must be one of: all, -1, 0, 1")),
        };
        let batch_size = num(BATCH_SIZE, d.batch_size, 0, false)?;
        // KafkaProducer.lingerMs: a LONG, used as at most Integer.MAX_VALUE.
        let linger_ms = num(LINGER_MS, d.linger_ms, 0, true)?.min(i32max);
        let delivery_set = self.get(DELIVERY_TIMEOUT_MS).is_some();
        let mut delivery_timeout_ms = num(DELIVERY_TIMEOUT_MS, d.delivery_timeout_ms, 0, false)?;
        let retry_backoff_ms = num(RETRY_BACKOFF_MS, d.retry_backoff_ms, 0, true)?;
        let retry_backoff_max_ms = num(RETRY_BACKOFF_MAX_MS, d.retry_backoff_max_ms, 0, true)?;
        let request_timeout_ms = num(REQUEST_TIMEOUT_MS, d.request_timeout_ms, 0, false)?;
        let max_in_flight = num(MAX_IN_FLIGHT, d.max_in_flight as u64, 1, false)? as u32;
        let idempotence_set = self.get(ENABLE_IDEMPOTENCE);
        let explicit_idempotence = match idempotence_set {
            None => None,
            Some("true") => Some(true),
            Some("false") => Some(false),
            Some(v) => {
                return Err(invalid(
                    ENABLE_IDEMPOTENCE,
                    v,
                    "Expected value to be either true or false",
                ))
            }
        };
        // Then transaction.timeout.ms, an INT, and transactional.id, a non-empty string
        // (ConfigDef.NonEmptyString): all of ConfigDef.parse comes before
        // ProducerConfig.postProcessParsedConfig looks at idempotence.
        #[cfg(txn)]
        let transaction_timeout = match self.get(TRANSACTION_TIMEOUT_MS) {
            None => None,
            Some(v) => Some(
                v.parse::<i32>()
                    .map_err(|_| invalid(TRANSACTION_TIMEOUT_MS, v, "Not a number of type INT"))?,
            ),
        };
        #[cfg(txn)]
        if self.get(TRANSACTIONAL_ID) == Some("") {
            return Err(invalid(TRANSACTIONAL_ID, "", "String must be non-empty"));
        }

        let mut notes = Vec::new();
        // ProducerConfig.postProcessAndValidateIdempotenceConfigs (Kafka 3.2+), in its order:
        // retries, then acks, then max.in.flight.requests.per.connection.
        let enable_idempotence = match explicit_idempotence {
            Some(true) => {
                if retries == 0 {
                    return Err(
                        "Must set retries to non-zero when using the idempotent producer.".into(),
                    );
                }
                if acks != Acks::All {
                    return Err("Must set acks to all in order to use the idempotent producer. Otherwise we cannot guarantee idempotence.".into());
                }
                if max_in_flight > 5 {
                    return Err("Must set max.in.flight.requests.per.connection to at most 5 to use the idempotent producer.".into());
                }
                true
            }
            Some(false) => false,
            None => {
                let off = Note::IdempotenceOff {
                    retries: retries == 0,
                    acks: (acks != Acks::All).then_some(acks),
                    max_in_flight: (max_in_flight > 5).then_some(max_in_flight),
                };
                if off
                    == (Note::IdempotenceOff {
                        retries: false,
                        acks: None,
                        max_in_flight: None,
                    })
                {
                    true
                } else {
                    notes.push(off);
                    false
                }
            }
        };
        // ProducerConfig.postProcessAndValidateIdempotenceConfigs, last: transactions need
        // idempotence, whether it was switched off by hand or by the settings above.
        #[cfg(txn)]
        let transactional_id = match self.get(TRANSACTIONAL_ID) {
            None => None,
            Some(_) if !enable_idempotence => {
                return Err(
                    "Cannot set a transactional.id without also enabling idempotence.".into(),
                );
            }
            Some(id) => Some(id.to_string()),
        };
        // An INT of any sign to the client; the coordinator (TransactionCoordinator.
        // handleInitProducerId) answers 0 or less, or more than transaction.max.timeout.ms,
        // with INVALID_TRANSACTION_TIMEOUT, fatal for initTransactions.
        #[cfg(txn)]
        let transaction_timeout_ms = match transaction_timeout {
            None => d.transaction_timeout_ms,
            Some(n) => {
                if transactional_id.is_some()
                    && !(1..=TRANSACTION_MAX_TIMEOUT_MS as i64).contains(&(n as i64))
                {
                    return Err(format!(
                        "transaction.timeout.ms is {n}: the coordinator refuses it with INVALID_TRANSACTION_TIMEOUT (it must be from 1 to the broker's transaction.max.timeout.ms, {TRANSACTION_MAX_TIMEOUT_MS})"
                    ));
                }
                n.max(1) as u64
            }
        };
        // KafkaProducer.configureDeliveryTimeout: linger.ms + request.timeout.ms, at most
        // Integer.MAX_VALUE.
        let linger_and_request_timeout_ms = (linger_ms + request_timeout_ms).min(i32max);
        if delivery_timeout_ms < linger_and_request_timeout_ms {
            if delivery_set {
                return Err(
                    "delivery.timeout.ms should be equal to or larger than linger.ms + request.timeout.ms"
                        .into(),
                );
            }
            delivery_timeout_ms = linger_and_request_timeout_ms;
            notes.push(Note::DeliveryTimeoutRaised(delivery_timeout_ms));
        }
        for (k, _) in &self.0 {
            let transactional = cfg!(txn) && (k == TRANSACTIONAL_ID || k == TRANSACTION_TIMEOUT_MS);
            if !is_modelled(k) && !transactional {
                notes.push(Note::NotModelled(k.clone()));
            }
        }
        Ok(Resolved {
            config: ProducerConfig {
                acks,
                retries,
                enable_idempotence,
                max_in_flight,
                retry_backoff_ms,
                retry_backoff_max_ms,
                request_timeout_ms,
                delivery_timeout_ms,
                linger_ms,
                batch_size,
                #[cfg(txn)]
                transactional_id,
                #[cfg(txn)]
                transaction_timeout_ms,
            },
            notes,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub config: ProducerConfig,
    /// What Kafka would log as a warning: switched-off idempotence, adjusted timeouts, keys
    /// accepted but not modelled.
    pub notes: Vec<Note>,
}

/// A warning about the settings, put in words only where it is shown (the lane's notes, the
/// CLI), not on every run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    /// enable.idempotence was not set, and these settings contradict it (Kafka 3.2+): off.
    IdempotenceOff {
        retries: bool,
        acks: Option<Acks>,
        max_in_flight: Option<u32>,
    },
    /// delivery.timeout.ms was not set and is raised to linger.ms + request.timeout.ms.
    DeliveryTimeoutRaised(u64),
    /// A real producer key the simulator accepts without modelling it.
    NotModelled(String),
}

impl Note {
    /// The settings that switched idempotence off, as `key=value` (empty for other notes).
    pub fn conflicts(&self) -> String {
        let Note::IdempotenceOff {
            retries,
            acks,
            max_in_flight,
        } = self
        else {
            return String::new();
        };
        let mut conflicts = Vec::new();
        if *retries {
            conflicts.push(format!("{RETRIES}=0"));
        }
        if let Some(a) = acks {
            conflicts.push(format!("{ACKS}={}", a.as_str()));
        }
        if let Some(m) = max_in_flight {
            conflicts.push(format!("{MAX_IN_FLIGHT}={m}"));
        }
        conflicts.join(", ")
    }
}

impl std::fmt::Display for Note {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Note::IdempotenceOff { .. } => write!(
                f,
                "enable.idempotence was not set and {} conflicts with it, so idempotence is off (Kafka 3.2+)",
                self.conflicts()
            ),
            Note::DeliveryTimeoutRaised(ms) => write!(
                f,
                "delivery.timeout.ms was not set and is raised to linger.ms + request.timeout.ms = {ms}"
            ),
            Note::NotModelled(k) => {
                write!(f, "{k} is a producer config the simulator does not model")
            }
        }
    }
}

/// Whether `key` is a producer config; the error names it, with a suggestion when one is close.
pub fn check_key(key: &str) -> Result<(), String> {
    // The lean engine (the embed page) takes the keys it models; a view with another opens in
    // the app, which runs it or names it (leaving Kafka's other keys and the suggestions out
    // of the embed page's bundle: about 1 KB gzip).
    if cfg!(feature = "lean") {
        return match is_modelled(key) {
            true => Ok(()),
            false => Err(format!("`{key}` is not modelled")),
        };
    }
    // ProducerConfig's own keys, and the client's SSL and SASL settings
    // (ConfigDef.withClientSslSupport, withClientSaslSupport), each named ssl.* or sasl.*.
    if is_modelled(key)
        || OTHER_PRODUCER_KEYS.split(' ').any(|k| k == key)
        || key.starts_with("ssl.")
        || key.starts_with("sasl.")
    {
        return Ok(());
    }
    let best = MODELLED_KEYS
        .iter()
        .copied()
        .chain(OTHER_PRODUCER_KEYS.split(' '))
        .map(|k| (edit_distance(key, k), k))
        .min();
    match best {
        Some((d, k)) if d <= 3 || k.starts_with(key) && key.len() >= 3 => Err(format!(
            "`{key}` is not a producer config; did you mean `{k}`?"
        )),
        _ => Err(format!("`{key}` is not a producer config")),
    }
}

/// Whether the engine models `key` (Kafka's other producer keys are accepted with a note).
pub fn is_modelled(key: &str) -> bool {
    MODELLED_KEYS.contains(&key)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(kv: &[(&str, &str)]) -> Settings {
        Settings(
            kv.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    fn source(e: &[Effective], key: &str) -> (String, Source) {
        let e = e.iter().find(|e| e.key == key).unwrap();
        (e.value.clone(), e.source.clone())
    }

    #[test]
    fn effective_settings_say_what_decided_each_value() {
        // acks=1 without enable.idempotence: idempotence silently off, by Kafka 3.2's rule.
        let e = settings(&[(ACKS, "1"), (REQUEST_TIMEOUT_MS, "200000")])
            .effective()
            .unwrap();
        assert_eq!(e.len(), MODELLED_KEYS.len());
        assert_eq!(source(&e, ACKS), ("1".into(), Source::Set));
        let (v, s) = source(&e, ENABLE_IDEMPOTENCE);
        assert_eq!(v, "false");
        assert!(matches!(
            s,
            Source::Rule(Note::IdempotenceOff {
                acks: Some(Acks::One),
                ..
            })
        ));
        // delivery.timeout.ms raised to linger.ms + request.timeout.ms.
        assert_eq!(
            source(&e, DELIVERY_TIMEOUT_MS),
            (
                "200005".into(),
                Source::Rule(Note::DeliveryTimeoutRaised(200_005))
            )
        );
        // Defaults with the release they date from.
        let (v, s) = source(&e, LINGER_MS);
        assert_eq!(v, "5");
        assert_eq!(
            s,
            Source::Default(Some(Since {
                version: "4.0",
                kip: "KIP-1030"
            }))
        );
        assert_eq!(
            source(&e, MAX_IN_FLIGHT),
            ("5".into(), Source::Default(None))
        );
        // Nothing set: today's defaults, idempotence on by default since 3.0.
        let e = Settings::default().effective().unwrap();
        assert_eq!(
            source(&e, ENABLE_IDEMPOTENCE),
            (
                "true".into(),
                Source::Default(Some(Since {
                    version: "3.0",
                    kip: "KIP-679"
                }))
            )
        );
        // Refused settings: Kafka's error.
        assert!(settings(&[(ENABLE_IDEMPOTENCE, "true"), (ACKS, "0")])
            .effective()
            .is_err());
    }

    #[test]
    fn unset_keys_take_kafka_3_defaults() {
        let r = Settings::default().resolve().unwrap();
        assert_eq!(r.config, ProducerConfig::default());
        assert!(r.config.enable_idempotence);
        assert_eq!(r.config.acks, Acks::All);
    }

    #[test]
    fn explicit_idempotence_conflicts_are_errors_with_kafkas_text() {
        let e = settings(&[("enable.idempotence", "true"), ("acks", "1")])
            .resolve()
            .unwrap_err();
        assert_eq!(e, "Must set acks to all in order to use the idempotent producer. Otherwise we cannot guarantee idempotence.");
        let e = settings(&[("enable.idempotence", "true"), ("retries", "0")])
            .resolve()
            .unwrap_err();
        assert_eq!(
            e,
            "Must set retries to non-zero when using the idempotent producer."
        );
        let e = settings(&[("enable.idempotence", "true"), (MAX_IN_FLIGHT, "6")])
            .resolve()
            .unwrap_err();
        assert!(e.starts_with("Must set max.in.flight.requests.per.connection to at most 5"));
    }

    #[test]
    fn idempotence_checks_come_in_kafkas_order() {
        // All three contradict idempotence: Kafka names retries first, then acks.
        let all = [
            ("enable.idempotence", "true"),
            (MAX_IN_FLIGHT, "6"),
            ("acks", "1"),
            ("retries", "0"),
        ];
        let e = settings(&all).resolve().unwrap_err();
        assert!(e.starts_with("Must set retries"), "{e}");
        let e = settings(&all[..3]).resolve().unwrap_err();
        assert!(e.starts_with("Must set acks"), "{e}");
        let r = settings(&all[1..]).resolve().unwrap();
        assert!(r.notes[0]
            .to_string()
            .contains("retries=0, acks=1, max.in.flight"));
    }

    #[test]
    fn implicit_idempotence_is_switched_off_by_a_conflict() {
        let r = settings(&[("acks", "1")]).resolve().unwrap();
        assert!(!r.config.enable_idempotence);
        assert!(r.notes[0].to_string().contains("acks=1"));
    }

    #[test]
    fn delivery_timeout_must_cover_request_timeout_when_set() {
        let e = settings(&[(DELIVERY_TIMEOUT_MS, "1000")])
            .resolve()
            .unwrap_err();
        assert!(e.starts_with("delivery.timeout.ms should be equal to or larger"));
        let r = settings(&[(REQUEST_TIMEOUT_MS, "200000")])
            .resolve()
            .unwrap();
        assert_eq!(r.config.delivery_timeout_ms, 200_005);
    }

    #[test]
    fn a_real_clients_block_is_taken_with_notes() {
        // A Java client's block for a cluster behind SASL_SSL.
        let block = "bootstrap.servers=b:9092\nsecurity.protocol=SASL_SSL\nsasl.mechanism=PLAIN\nsasl.jaas.config=x\nssl.truststore.location=/t\nclient.dns.lookup=use_all_dns_ips\nacks=all\n";
        let (s, problems) = Settings::from_properties(block).unwrap();
        assert!(problems.is_empty(), "{problems:?}");
        let r = s.resolve().unwrap();
        assert_eq!(r.notes.len(), 6, "one note a key not modelled");
        assert!(check_key("sssl.protocol").is_err());
    }

    #[test]
    fn long_keys_take_longs_as_kafka_does() {
        // linger.ms is a LONG (KafkaProducer.lingerMs uses at most Integer.MAX_VALUE of it), and
        // the delivery timeout it raises is at most Integer.MAX_VALUE too.
        let r = settings(&[(LINGER_MS, "3000000000")]).resolve().unwrap();
        assert_eq!(r.config.linger_ms, i32::MAX as u64);
        assert_eq!(r.config.delivery_timeout_ms, i32::MAX as u64);
        let r = settings(&[
            (LINGER_MS, "2147483647"),
            (DELIVERY_TIMEOUT_MS, "2147483647"),
        ])
        .resolve()
        .unwrap();
        assert_eq!(r.config.delivery_timeout_ms, i32::MAX as u64);
        // A backoff of any LONG: a retry it delays that long never comes before the delivery
        // timeout. The run still ends, and says so.
        let long = "9223372036854775807";
        let r = settings(&[(RETRY_BACKOFF_MS, long), (RETRY_BACKOFF_MAX_MS, long)])
            .resolve()
            .unwrap();
        assert_eq!(r.config.retry_backoff_ms, 1 << 32);
        let mut s = crate::scenario::Scenario::benchmark(Preset::AtLeastOnce);
        s.messages.truncate(3);
        s.producer = settings(&[
            (RETRY_BACKOFF_MS, long),
            (RETRY_BACKOFF_MAX_MS, long),
            (DELIVERY_TIMEOUT_MS, "2147483647"),
        ]);
        s.network.request_loss = 0.0;
        s.network.response_loss = 0.0;
        s.faults = vec![crate::scenario::Fault::DropResponse { msg: 1, attempt: 1 }];
        let t = crate::simulate(&s).unwrap();
        assert_eq!(t.outcomes[1], crate::trace::Outcome::Failed);
    }

    #[test]
    fn the_seeds_block_is_read_as_kafka_reads_it() {
        // A .properties file has no comment after a value: Kafka reads the rest of the line as
        // part of it, and refuses it.
        let seed = "enable.idempotence=true\nmax.in.flight.requests.per.connection=5 # 5 이하로 설정\nack=all\nretries=5 # 0보다 큰 값\n";
        let (s, problems) = Settings::from_properties(seed).unwrap();
        assert_eq!(
            problems,
            vec!["line 3: `ack` is not a producer config; did you mean `acks`?"]
        );
        // (Kafka checks retries before max.in.flight.requests.per.connection: ProducerConfig
        // defines it first.)
        assert_eq!(
            s.resolve().unwrap_err(),
            "Invalid value 5 # 0보다 큰 값 for configuration retries: Not a number of type INT"
        );
        // Without those comments it loads.
        let (s, _) = Settings::from_properties(
            &seed
                .replace(" # 5 이하로 설정", "")
                .replace(" # 0보다 큰 값", ""),
        )
        .unwrap();
        let r = s.resolve().unwrap();
        assert!(r.config.enable_idempotence);
        assert_eq!(r.config.retries, 5);
        assert_eq!(r.config.max_in_flight, 5);
    }

    #[test]
    fn the_first_bad_value_in_kafkas_order_is_named() {
        // ProducerConfig defines retries before acks.
        let e = settings(&[(ACKS, "2"), (RETRIES, "x")])
            .resolve()
            .unwrap_err();
        assert!(e.contains("configuration retries"), "{e}");
        // Every value is parsed before idempotence is checked.
        #[cfg(txn)]
        {
            let e = settings(&[
                (ENABLE_IDEMPOTENCE, "true"),
                (ACKS, "1"),
                (TRANSACTION_TIMEOUT_MS, "x"),
            ])
            .resolve()
            .unwrap_err();
            assert!(e.contains("configuration transaction.timeout.ms"), "{e}");
            let e = settings(&[(ENABLE_IDEMPOTENCE, "false"), (TRANSACTIONAL_ID, "")])
                .resolve()
                .unwrap_err();
            assert!(e.ends_with("String must be non-empty"), "{e}");
        }
    }

    #[test]
    fn properties_lines_split_as_java_splits_them() {
        let (s, problems) = Settings::from_properties(
            "# a comment\n! another\nacks all\nretries : 3\nlinger.ms:7\nbatch.size\t= 10\n",
        )
        .unwrap();
        assert!(problems.is_empty(), "{problems:?}");
        for (k, v) in [
            ("acks", "all"),
            ("retries", "3"),
            ("linger.ms", "7"),
            ("batch.size", "10"),
        ] {
            assert_eq!(s.get(k), Some(v), "{k}");
        }
        // A key alone has the empty value, which Kafka refuses by name.
        let (s, _) = Settings::from_properties("acks").unwrap();
        assert_eq!(
            s.resolve().unwrap_err(),
            "Invalid value  for configuration acks: String must be one of: all, -1, 0, 1"
        );
    }

    #[test]
    fn bad_values_name_the_key() {
        let e = settings(&[("retries", "lots")]).resolve().unwrap_err();
        assert_eq!(
            e,
            "Invalid value lots for configuration retries: Not a number of type INT"
        );
        let e = settings(&[("acks", "2")]).resolve().unwrap_err();
        assert!(e.contains("configuration acks"));
        let e = settings(&[("retries", "-1")]).resolve().unwrap_err();
        assert!(e.contains("at least 0"));
        // Past an INT: Integer.parseInt fails, whatever the sign.
        for v in ["2147483648", "-2147483649"] {
            let e = settings(&[("retries", v)]).resolve().unwrap_err();
            assert_eq!(
                e,
                format!("Invalid value {v} for configuration retries: Not a number of type INT")
            );
        }
        let e = settings(&[("linger.ms", "9223372036854775808")])
            .resolve()
            .unwrap_err();
        assert!(e.ends_with("linger.ms: Not a number of type LONG"), "{e}");
        let e = settings(&[("retry.backoff.ms", "x")])
            .resolve()
            .unwrap_err();
        assert!(
            e.ends_with("retry.backoff.ms: Not a number of type LONG"),
            "{e}"
        );
        assert!(settings(&[("bogus.key", "1")])
            .resolve()
            .unwrap_err()
            .contains("`bogus.key` is not a producer config"));
    }

    #[test]
    fn properties_round_trip() {
        let s = Preset::ExactlyOnce.settings();
        let (back, problems) = Settings::from_properties(&s.to_properties()).unwrap();
        assert!(problems.is_empty());
        assert_eq!(back, s);
    }

    #[test]
    fn a_paste_of_any_size_is_answered_without_reading_it_all() {
        // 10 MB: refused whole, the message names the size.
        let huge = "x\n".repeat(5_000_000);
        let e = Settings::from_properties(&huge).unwrap_err();
        assert!(e.contains("10000000 bytes"), "{e}");
        // Within the limit, a flood of bad lines: twenty named, the rest counted.
        let (_, problems) = Settings::from_properties(&"x\n".repeat(30_000)).unwrap();
        assert_eq!(problems.len(), MAX_PROBLEMS + 1);
        assert!(
            problems[MAX_PROBLEMS].contains("29980 more"),
            "{problems:?}"
        );
        // A line longer than any key and value is not read, and not quoted back.
        let long = format!("acks={}\nretries=3", "a".repeat(5_000));
        let (s, problems) = Settings::from_properties(&long).unwrap();
        assert_eq!(s.get("retries"), Some("3"));
        assert_eq!(s.get("acks"), None);
        assert!(problems[0].len() < 100, "{problems:?}");
    }
}
