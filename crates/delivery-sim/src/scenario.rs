//! The scenario: messages, producer settings, network, broker and scripted faults.
//! Read from the JSON format of SPEC.md, with limits and messages that name the field.

use crate::config::{Preset, Settings};
use crate::json::{self, Json};
use crate::num::fmt_decimal;

pub const MAX_MESSAGES: usize = 100_000;
pub const MAX_FAULTS: usize = 10_000;
pub const MAX_NAME_CHARS: usize = 64;
pub const MAX_LATENCY_MS: u64 = 60_000;
pub const MAX_TIME_MS: u64 = 24 * 3_600_000;
pub const MAX_REPLICAS: u32 = 5;

#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    pub name: String,
    pub seed: u64,
    pub messages: Vec<String>,
    /// Time between the application's `send()` calls (after the previous result when `sync`).
    pub interval_ms: u64,
    /// The application waits for each send's result before the next (`send(...).get()`).
    pub sync: bool,
    pub producer: Settings,
    pub network: Network,
    pub broker: Broker,
    pub faults: Vec<Fault>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
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
    /// Replicas of the partition, the leader included.
    pub replicas: u32,
    /// How long a follower takes to copy a record from the leader.
    pub replication_ms: u64,
}

impl Default for Broker {
    fn default() -> Self {
        Broker {
            replicas: 1,
            replication_ms: 10,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Fault {
    DropRequest { msg: usize, attempt: u32 },
    BrokerFail { msg: usize, attempt: u32 },
    DropResponse { msg: usize, attempt: u32 },
    DelayResponse { msg: usize, attempt: u32, ms: u64 },
    BrokerDown { from_ms: u64, to_ms: u64 },
    LeaderFailover { at_ms: u64 },
    ProducerRestart { at_ms: u64 },
}

impl Fault {
    pub fn kind(&self) -> &'static str {
        match self {
            Fault::DropRequest { .. } => "drop_request",
            Fault::BrokerFail { .. } => "broker_fail",
            Fault::DropResponse { .. } => "drop_response",
            Fault::DelayResponse { .. } => "delay_response",
            Fault::BrokerDown { .. } => "broker_down",
            Fault::LeaderFailover { .. } => "leader_failover",
            Fault::ProducerRestart { .. } => "producer_restart",
        }
    }

    /// The message and attempt a scripted per-request fault names.
    pub fn target(&self) -> Option<(usize, u32)> {
        match *self {
            Fault::DropRequest { msg, attempt }
            | Fault::BrokerFail { msg, attempt }
            | Fault::DropResponse { msg, attempt }
            | Fault::DelayResponse { msg, attempt, .. } => Some((msg, attempt)),
            _ => None,
        }
    }
}

impl Scenario {
    /// The seed's stories share this shape: A, B, C sent one at a time, 10 ms each way.
    pub fn new(messages: &[&str], preset: Preset) -> Scenario {
        Scenario {
            name: String::new(),
            seed: 7,
            messages: messages.iter().map(|m| m.to_string()).collect(),
            interval_ms: 0,
            sync: true,
            producer: preset.settings(),
            network: Network::default(),
            broker: Broker::default(),
            faults: Vec::new(),
        }
    }

    pub fn msg_index(&self, name: &str) -> Option<usize> {
        self.messages.iter().position(|m| m == name)
    }

    pub fn from_json_text(text: &str) -> Result<Scenario, String> {
        Scenario::from_json(&json::parse(text)?)
    }

    pub fn from_json(v: &Json) -> Result<Scenario, String> {
        let Json::Obj(fields) = v else {
            return Err(format!(
                "the scenario must be a JSON object, not {}",
                v.type_name()
            ));
        };
        for (k, _) in fields {
            const KNOWN: [&str; 13] = [
                "name",
                "interval_ms",
                "description",
                "seed",
                "messages",
                "sync",
                "mode",
                "producer",
                "network",
                "broker",
                "faults",
                "expect",
                "expect_modes",
            ];
            if !KNOWN.contains(&k.as_str()) {
                return Err(format!(
                    "unknown field `{k}` (known: {})",
                    KNOWN.join(", ")
                ));
            }
        }
        let name = match v.get("name") {
            None => String::new(),
            Some(n) => str_of("name", n)?.to_string(),
        };
        let seed = match v.get("seed") {
            None => 0,
            Some(n) => int_of("seed", n, 0, 9_007_199_254_740_991)?,
        };
        let sync = match v.get("sync") {
            None => false,
            Some(Json::Bool(b)) => *b,
            Some(o) => return Err(format!("`sync` must be true or false, not {}", o.type_name())),
        };
        let (messages, mut interval_ms) = read_messages(v.get("messages"))?;
        if let Some(i) = v.get("interval_ms") {
            interval_ms = int_of("interval_ms", i, 0, MAX_TIME_MS)?;
        }

        let mut producer = match v.get("mode") {
            None => Settings::default(),
            Some(m) => preset_of("mode", m)?.settings(),
        };
        match v.get("producer") {
            None => {}
            Some(Json::Obj(kv)) => {
                for (k, val) in kv {
                    if k == "mode" {
                        for (pk, pv) in preset_of("producer.mode", val)?.settings().0 {
                            producer.set(&pk, &pv);
                        }
                        continue;
                    }
                    let text = match val {
                        Json::Str(s) => s.clone(),
                        Json::Num(n) if n.fract() == 0.0 => format!("{}", *n as i64),
                        Json::Bool(b) => b.to_string(),
                        other => {
                            return Err(format!(
                                "`producer.{k}` must be a number, string or boolean, not {}",
                                other.type_name()
                            ))
                        }
                    };
                    producer.set(k, &text);
                }
            }
            Some(o) => return Err(format!("`producer` must be an object, not {}", o.type_name())),
        }
        // Surface config errors (unknown keys, Kafka's contradictions) at load time.
        producer
            .resolve()
            .map_err(|e| format!("producer: {e}"))?;

        let network = read_network(v.get("network"))?;
        let broker = read_broker(v.get("broker"))?;
        let faults = read_faults(v.get("faults"), &messages)?;
        let s = Scenario {
            name,
            seed,
            messages,
            interval_ms,
            sync,
            producer,
            network,
            broker,
            faults,
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
                    return Err(format!("a `{}` fault names message #{msg}, which does not exist", f.kind()));
                }
                if attempt == 0 {
                    return Err(format!("a `{}` fault has attempt 0; attempts count from 1", f.kind()));
                }
            }
            if let Fault::LeaderFailover { .. } = f {
                if self.broker.replicas < 2 {
                    return Err("`leader_failover` needs a follower: set `broker.replicas` to 2 or more".into());
                }
            }
            if let Fault::BrokerDown { from_ms, to_ms } = f {
                if from_ms > to_ms {
                    return Err(format!("`broker_down` ends ({to_ms} ms) before it starts ({from_ms} ms)"));
                }
            }
        }
        Ok(())
    }

    /// The scenario in the SPEC's JSON format.
    pub fn to_json(&self) -> Json {
        let num = |n: u64| Json::Num(n as f64);
        let mut fields = Vec::new();
        if !self.name.is_empty() {
            fields.push(("name".into(), Json::Str(self.name.clone())));
        }
        fields.push(("seed".into(), num(self.seed)));
        fields.push((
            "messages".into(),
            Json::Arr(self.messages.iter().cloned().map(Json::Str).collect()),
        ));
        fields.push(("sync".into(), Json::Bool(self.sync)));
        fields.push((
            "producer".into(),
            Json::Obj(
                self.producer
                    .0
                    .iter()
                    .map(|(k, v)| (k.clone(), Json::Str(v.clone())))
                    .collect(),
            ),
        ));
        fields.push((
            "network".into(),
            Json::Obj(vec![
                ("latency_ms".into(), num(self.network.latency_ms)),
                ("jitter_ms".into(), num(self.network.jitter_ms)),
                ("request_loss".into(), Json::Num(self.network.request_loss)),
                ("response_loss".into(), Json::Num(self.network.response_loss)),
            ]),
        ));
        if self.interval_ms > 0 {
            fields.push(("interval_ms".into(), num(self.interval_ms)));
        }
        fields.push((
            "broker".into(),
            Json::Obj(vec![
                ("replicas".into(), num(self.broker.replicas as u64)),
                ("replication_ms".into(), num(self.broker.replication_ms)),
            ]),
        ));
        let faults = self
            .faults
            .iter()
            .map(|f| {
                let mut o = vec![("kind".to_string(), Json::Str(f.kind().into()))];
                if let Some((msg, attempt)) = f.target() {
                    o.push(("message".into(), Json::Str(self.messages[msg].clone())));
                    o.push(("attempt".into(), num(attempt as u64)));
                }
                match *f {
                    Fault::DelayResponse { ms, .. } => o.push(("ms".into(), num(ms))),
                    Fault::BrokerDown { from_ms, to_ms } => {
                        o.push(("from_ms".into(), num(from_ms)));
                        o.push(("to_ms".into(), num(to_ms)));
                    }
                    Fault::LeaderFailover { at_ms } | Fault::ProducerRestart { at_ms } => {
                        o.push(("at_ms".into(), num(at_ms)))
                    }
                    _ => {}
                }
                Json::Obj(o)
            })
            .collect();
        fields.push(("faults".into(), Json::Arr(faults)));
        Json::Obj(fields)
    }
}

fn str_of<'a>(key: &str, v: &'a Json) -> Result<&'a str, String> {
    match v {
        Json::Str(s) => Ok(s),
        o => Err(format!("`{key}` must be a string, not {}", o.type_name())),
    }
}

fn int_of(key: &str, v: &Json, min: u64, max: u64) -> Result<u64, String> {
    match v {
        Json::Num(n) if n.fract() == 0.0 && *n >= min as f64 && *n <= max as f64 => Ok(*n as u64),
        Json::Num(n) if n.fract() != 0.0 => Err(format!(
            "`{key}` must be a whole number, not {}",
            fmt_decimal(*n, 6)
        )),
        Json::Num(n) => Err(format!(
            "`{key}` is {}; it must be from {min} to {max}",
            fmt_decimal(*n, 6)
        )),
        o => Err(format!("`{key}` must be a number, not {}", o.type_name())),
    }
}

fn preset_of(key: &str, v: &Json) -> Result<Preset, String> {
    let name = str_of(key, v)?;
    Preset::from_name(name).ok_or_else(|| {
        format!("`{key}` is `{name}`; it must be at-most-once, at-least-once or exactly-once")
    })
}

fn object<'a>(key: &str, v: Option<&'a Json>, known: &[&str]) -> Result<&'a [(String, Json)], String> {
    match v {
        None => Ok(&[]),
        Some(Json::Obj(fields)) => {
            for (k, _) in fields {
                if !known.contains(&k.as_str()) {
                    return Err(format!(
                        "unknown field `{key}.{k}` (known: {})",
                        known.join(", ")
                    ));
                }
            }
            Ok(fields)
        }
        Some(o) => Err(format!("`{key}` must be an object, not {}", o.type_name())),
    }
}

fn read_messages(v: Option<&Json>) -> Result<(Vec<String>, u64), String> {
    match v {
        None => Err("`messages` is missing: give a list of names or {\"count\": N}".into()),
        Some(Json::Arr(items)) => {
            if items.len() > MAX_MESSAGES {
                return Err(format!(
                    "`messages` has {} messages; the limit is {MAX_MESSAGES}",
                    items.len()
                ));
            }
            let mut names: Vec<String> = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                let name = str_of(&format!("messages[{i}]"), item)?;
                if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
                    return Err(format!(
                        "`messages[{i}]` must have 1 to {MAX_NAME_CHARS} characters"
                    ));
                }
                names.push(name.to_string());
            }
            let mut seen = std::collections::HashSet::with_capacity(names.len());
            if let Some(dup) = names.iter().find(|n| !seen.insert(n.as_str())) {
                return Err(format!(
                    "message `{dup}` appears twice in `messages`; names must be unique"
                ));
            }
            Ok((names, 0))
        }
        Some(obj @ Json::Obj(_)) => {
            object("messages", Some(obj), &["count", "interval_ms"])?;
            let count = match obj.get("count") {
                None => return Err("`messages.count` is missing".into()),
                Some(c) => int_of("messages.count", c, 1, MAX_MESSAGES as u64)?,
            };
            let interval = match obj.get("interval_ms") {
                None => 0,
                Some(i) => int_of("messages.interval_ms", i, 0, MAX_TIME_MS)?,
            };
            Ok(((0..count).map(|i| format!("m{i}")).collect(), interval))
        }
        Some(o) => Err(format!(
            "`messages` must be a list of names or {{\"count\": N}}, not {}",
            o.type_name()
        )),
    }
}

fn read_network(v: Option<&Json>) -> Result<Network, String> {
    let fields = object(
        "network",
        v,
        &["latency_ms", "jitter_ms", "request_loss", "response_loss"],
    )?;
    let mut n = Network::default();
    for (k, val) in fields {
        match k.as_str() {
            "latency_ms" => n.latency_ms = int_of("network.latency_ms", val, 0, MAX_LATENCY_MS)?,
            "jitter_ms" => n.jitter_ms = int_of("network.jitter_ms", val, 0, MAX_LATENCY_MS)?,
            _ => {
                let p = match val {
                    Json::Num(p) if (0.0..=1.0).contains(p) => *p,
                    Json::Num(p) => {
                        return Err(format!(
                            "`network.{k}` is {}; it must be from 0 to 1",
                            fmt_decimal(*p, 6)
                        ))
                    }
                    o => {
                        return Err(format!(
                            "`network.{k}` must be a number, not {}",
                            o.type_name()
                        ))
                    }
                };
                if k == "request_loss" {
                    n.request_loss = p;
                } else {
                    n.response_loss = p;
                }
            }
        }
    }
    Ok(n)
}

fn read_broker(v: Option<&Json>) -> Result<Broker, String> {
    let fields = object("broker", v, &["replicas", "replication_ms"])?;
    let mut b = Broker::default();
    for (k, val) in fields {
        if k == "replicas" {
            b.replicas = int_of("broker.replicas", val, 1, MAX_REPLICAS as u64)? as u32;
        } else {
            b.replication_ms = int_of("broker.replication_ms", val, 0, MAX_LATENCY_MS)?;
        }
    }
    Ok(b)
}

fn read_faults(v: Option<&Json>, messages: &[String]) -> Result<Vec<Fault>, String> {
    let items = match v {
        None => return Ok(Vec::new()),
        Some(Json::Arr(items)) => items,
        Some(o) => return Err(format!("`faults` must be a list, not {}", o.type_name())),
    };
    if items.len() > MAX_FAULTS {
        return Err(format!("{} faults; the limit is {MAX_FAULTS}", items.len()));
    }
    let mut out = Vec::with_capacity(items.len());
    for (i, f) in items.iter().enumerate() {
        let at = |k: &str| format!("faults[{i}].{k}");
        let kind = match f.get("kind") {
            Some(k) => str_of(&at("kind"), k)?,
            None => return Err(format!("`faults[{i}]` has no `kind`")),
        };
        let known: &[&str] = match kind {
            "drop_request" | "broker_fail" | "drop_response" => &["kind", "message", "attempt"],
            "delay_response" => &["kind", "message", "attempt", "ms"],
            "broker_down" => &["kind", "from_ms", "to_ms"],
            "leader_failover" | "producer_restart" => &["kind", "at_ms"],
            other => {
                return Err(format!(
                    "`faults[{i}].kind` is `{other}`; it must be one of drop_request, broker_fail, drop_response, delay_response, broker_down, leader_failover, producer_restart"
                ))
            }
        };
        object(&format!("faults[{i}]"), Some(f), known)?;
        let time = |k: &str| -> Result<u64, String> {
            match f.get(k) {
                Some(v) => int_of(&at(k), v, 0, MAX_TIME_MS),
                None => Err(format!("`faults[{i}]` ({kind}) needs `{k}`")),
            }
        };
        let target = || -> Result<(usize, u32), String> {
            let name = match f.get("message") {
                Some(m) => str_of(&at("message"), m)?,
                None => return Err(format!("`faults[{i}]` ({kind}) needs `message`")),
            };
            let msg = messages.iter().position(|m| m == name).ok_or_else(|| {
                format!("`faults[{i}].message` is `{name}`, which is not in `messages`")
            })?;
            let attempt = match f.get("attempt") {
                None => 1,
                Some(a) => int_of(&at("attempt"), a, 1, 1_000_000)? as u32,
            };
            Ok((msg, attempt))
        };
        out.push(match kind {
            "drop_request" => {
                let (msg, attempt) = target()?;
                Fault::DropRequest { msg, attempt }
            }
            "broker_fail" => {
                let (msg, attempt) = target()?;
                Fault::BrokerFail { msg, attempt }
            }
            "drop_response" => {
                let (msg, attempt) = target()?;
                Fault::DropResponse { msg, attempt }
            }
            "delay_response" => {
                let (msg, attempt) = target()?;
                Fault::DelayResponse {
                    msg,
                    attempt,
                    ms: time("ms")?,
                }
            }
            "broker_down" => Fault::BrokerDown {
                from_ms: time("from_ms")?,
                to_ms: time("to_ms")?,
            },
            "leader_failover" => Fault::LeaderFailover { at_ms: time("at_ms")? },
            _ => Fault::ProducerRestart { at_ms: time("at_ms")? },
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
    fn errors_name_the_field() {
        let cases = [
            (r#"{"messages": []}"#, "`messages` is empty"),
            (r#"{"messages": {"count": 1000000000000}}"#, "`messages.count` is 1000000000000; it must be from 1 to 100000"),
            (r#"{"messages": ["A"], "producer": {"ack": "all"}}"#, "did you mean `acks`?"),
            (r#"{"messages": ["A"], "network": {"latency_ms": -5}}"#, "`network.latency_ms` is -5"),
            (r#"{"messages": ["A"], "network": {"request_loss": 2}}"#, "`network.request_loss` is 2"),
            (r#"{"messages": ["A"], "faults": [{"kind": "drop_response", "message": "Z"}]}"#, "`faults[0].message` is `Z`"),
            (r#"{"messages": ["A"], "faults": [{"kind": "explode"}]}"#, "`faults[0].kind` is `explode`"),
            (r#"{"messages": ["A", "A"]}"#, "appears twice"),
            (r#"{"mesages": ["A"]}"#, "unknown field `mesages`"),
            (r#"{"messages": ["A"], "seed": "x"}"#, "`seed` must be a number"),
            (r#"{"messages": ["A"], "faults": [{"kind": "leader_failover", "at_ms": 5}]}"#, "set `broker.replicas`"),
            (r#"[1]"#, "must be a JSON object"),
        ];
        for (input, want) in cases {
            let e = Scenario::from_json_text(input).unwrap_err();
            assert!(e.contains(want), "{input}: got {e:?}, want {want:?}");
        }
    }

    #[test]
    fn json_round_trip() {
        let s = Scenario::from_json_text(
            r#"{"seed": 3, "messages": ["A","B"], "mode": "exactly-once",
                "faults": [{"kind": "delay_response", "message": "B", "attempt": 2, "ms": 40000},
                           {"kind": "broker_down", "from_ms": 5, "to_ms": 9}]}"#,
        )
        .unwrap();
        let back = Scenario::from_json_text(&s.to_json().to_string_compact()).unwrap();
        assert_eq!(back, s);
    }
}
