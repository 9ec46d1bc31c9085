//! Workshop exercises, read from data files (`exercises/*.json`, see `exercises/README.md`): a
//! starting scenario, a goal the run's result is checked against, a hint and a solution.
//!
//! A goal is a list of conditions on one run: the log, a message's outcome, a summary count, how
//! often an event or a broker error happened, and the producer's effective settings (so that
//! "keep order with 5 in flight" cannot be met by setting 1). The check names each unmet
//! condition with what the run gave instead.

use crate::config::{Preset, MODELLED_KEYS};
use crate::json::{self, Value};
use crate::scenario::Scenario;
use crate::trace::{event_type, EventKind, Trace};
use serde::Deserialize;

/// A text in the app's two languages.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    pub en: String,
    pub ko: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Exercise {
    pub id: String,
    /// 1 easy, 2 medium, 3 hard.
    pub level: u8,
    /// The lane the exercise is played in; its preset is what "reset" goes back to.
    pub lane: Preset,
    pub title: Text,
    pub task: Text,
    pub hint: Text,
    /// Shown once the goal is met: what it teaches.
    pub explain: Text,
    pub start: Scenario,
    pub solution: Scenario,
    pub goal: Goal,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Goal(Vec<Cond>);

#[derive(Debug, Clone, PartialEq)]
struct Cond {
    what: What,
    want: Want,
}

#[derive(Debug, Clone, PartialEq)]
enum What {
    Log,
    /// One partition's log, on a topic of several.
    #[cfg(feature = "partitions")]
    Partition(u32),
    Outcome(String),
    Summary(&'static str),
    Event(String),
    Producer(&'static str),
    /// What a consumer of the topic reads with an `isolation.level` (`read_committed`: true).
    #[cfg(txn)]
    Consumer(bool),
}

#[derive(Debug, Clone, PartialEq)]
enum Want {
    Is(String),
    Range(u64, u64),
}

/// An unmet condition: `what` should be `want` but the run gave `got`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Miss {
    pub what: String,
    pub want: String,
    pub got: String,
}

/// A goal's groups, in the order their conditions are checked and named.
const GROUPS: [&str; 7] = [
    "log",
    "partitions",
    "outcomes",
    "consumers",
    "summary",
    "events",
    "producer",
];

const SUMMARY: [&str; 6] = [
    "messages",
    "stored",
    "duplicates",
    "lost",
    "failed",
    "reordered",
];
const OUTCOMES: &[&str] = &[
    "delivered",
    "duplicated",
    "lost",
    "failed",
    #[cfg(txn)]
    "aborted",
];
const EVENTS: &[&str] = &[
    "send",
    "init_producer_id",
    "request",
    "request_lost",
    "broker_failed",
    "stored",
    "duplicate_not_stored",
    "rejected",
    "response",
    "response_lost",
    "response_received",
    "request_timeout",
    "disconnected",
    "retry_scheduled",
    "acked",
    "failed",
    "replicated",
    "broker_down",
    "broker_up",
    "leader_failover",
    "producer_restart",
    "epoch_bumped",
    "replica_down",
    "replica_up",
    "isr_shrunk",
    "isr_expanded",
    "leader_elected",
    #[cfg(txn)]
    "begin_transaction",
    #[cfg(txn)]
    "commit_transaction",
    #[cfg(txn)]
    "abort_transaction",
    #[cfg(txn)]
    "txn_request",
    #[cfg(txn)]
    "txn_response",
    #[cfg(txn)]
    "txn_state",
    #[cfg(txn)]
    "marker",
    #[cfg(txn)]
    "producer_fenced",
];
const ERRORS: [&str; 4] = [
    "OUT_OF_ORDER_SEQUENCE_NUMBER",
    "INVALID_PRODUCER_EPOCH",
    "NOT_LEADER_OR_FOLLOWER",
    "NOT_ENOUGH_REPLICAS",
];

/// Whether `id` can name an exercise (its file name without `.json`, in a link, in the stored
/// progress): 1 to 64 characters of a-z, 0-9 and `-`.
pub fn is_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

impl Exercise {
    /// Reads one exercise; `id` names it (the file name without `.json`).
    pub fn from_json(id: &str, v: &Value) -> Result<Exercise, String> {
        if !v.is_object() {
            return Err(format!(
                "an exercise must be a JSON object, not {}",
                json::type_name(v)
            ));
        }
        let f: ExerciseFile = serde_path_to_error::deserialize(v).map_err(|e| {
            match e.path().to_string().as_str() {
                "." => e.inner().to_string(),
                path => format!("`{path}`: {}", e.inner()),
            }
        })?;
        if !(1..=3).contains(&f.level) {
            return Err("`level` must be 1 (easy), 2 (medium) or 3 (hard)".into());
        }
        let lane = Preset::from_name(&f.lane)
            .ok_or_else(|| format!("`lane` must be {}", crate::scenario::preset_names()))?;
        let scenario =
            |k: &str, v: &Value| Scenario::from_json(v).map_err(|e| format!("`{k}`: {e}"));
        for (k, t) in [
            ("title", &f.title),
            ("task", &f.task),
            ("hint", &f.hint),
            ("explain", &f.explain),
        ] {
            for (l, text) in [("en", &t.en), ("ko", &t.ko)] {
                if text.is_empty() {
                    return Err(format!("`{k}.{l}` must be a non-empty string"));
                }
            }
        }
        Ok(Exercise {
            id: id.to_string(),
            level: f.level,
            lane,
            start: scenario("start", &f.start)?,
            solution: scenario("solution", &f.solution)?,
            goal: Goal::from_json(&f.goal)?,
            title: f.title,
            task: f.task,
            hint: f.hint,
            explain: f.explain,
        })
    }

    /// Reads the bundle the build makes of `exercises/*.json`: `[{"id": ..., "exercise": ...}]`.
    /// A broken exercise is reported and left out; the others still load.
    pub fn read_all(v: &Value) -> (Vec<Exercise>, Vec<String>) {
        let mut out = Vec::new();
        let mut errors = Vec::new();
        let Value::Array(items) = v else {
            errors.push(format!("the exercise list is {}", json::type_name(v)));
            return (out, errors);
        };
        for item in items {
            let id = match item.get("id") {
                Some(Value::String(s)) => s.as_str(),
                _ => "?",
            };
            let body = item.get("exercise").unwrap_or(&Value::Null);
            match Exercise::from_json(id, body) {
                Ok(e) => out.push(e),
                Err(e) => errors.push(format!("{id}: {e}")),
            }
        }
        (out, errors)
    }
}

/// An exercise file as serde reads it; the scenarios and the goal are read by their own readers,
/// which check what serde cannot (message names that exist, ranges, Kafka's config rules).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExerciseFile {
    level: u8,
    lane: String,
    title: Text,
    task: Text,
    hint: Text,
    explain: Text,
    start: Value,
    solution: Value,
    goal: Value,
    /// A word for the exercise's authors, not shown.
    #[serde(default, rename = "note")]
    _note: Option<Value>,
}

impl Goal {
    pub fn from_json(v: &Value) -> Result<Goal, String> {
        let Value::Object(groups) = v else {
            return Err(format!(
                "`goal` must be an object, not {}",
                json::type_name(v)
            ));
        };
        let mut conds = Vec::new();
        // The conditions in one order whatever the file's: what is stored, then what each
        // message and consumer got, the counts, the events and the settings.
        let mut groups: Vec<_> = groups.iter().collect();
        groups.sort_by_key(|(g, _)| GROUPS.iter().position(|k| k == g));
        for (group, body) in groups {
            if group == "log" {
                conds.push(Cond {
                    what: What::Log,
                    want: Want::Is(names(body, "goal.log")?),
                });
                continue;
            }
            // `"partitions": {"0": [...], "2": [...]}`: the log of each partition named, in offset
            // order (the others are free).
            #[cfg(feature = "partitions")]
            if group == "partitions" {
                let Value::Object(items) = body else {
                    return Err("`goal.partitions` must be an object".into());
                };
                for (k, val) in items {
                    let p = k
                        .parse::<u32>()
                        .ok()
                        .filter(|&p| p < crate::scenario::MAX_PARTITIONS)
                        .ok_or_else(|| format!("`goal.partitions.{k}`: not a partition number"))?;
                    conds.push(Cond {
                        what: What::Partition(p),
                        want: Want::Is(names(val, &format!("goal.partitions.{k}"))?),
                    });
                }
                continue;
            }
            // `"consumers": {"read_committed": [...], "read_uncommitted": [...]}`: what each
            // isolation level reads at the end of the run.
            #[cfg(txn)]
            if group == "consumers" {
                let Value::Object(items) = body else {
                    return Err("`goal.consumers` must be an object".into());
                };
                for (k, val) in items {
                    let committed = match k.as_str() {
                        "read_committed" => true,
                        "read_uncommitted" => false,
                        _ => return Err(format!("`goal.consumers.{k}`: unknown name (known: read_committed, read_uncommitted)")),
                    };
                    conds.push(Cond {
                        what: What::Consumer(committed),
                        want: Want::Is(names(val, &format!("goal.consumers.{k}"))?),
                    });
                }
                continue;
            }
            if !["outcomes", "summary", "events", "producer"].contains(&group.as_str()) {
                return Err(format!(
                    "unknown field `goal.{group}` (known: log, outcomes, summary, events, producer{}{})",
                    if cfg!(feature = "partitions") { ", partitions" } else { "" },
                    if cfg!(txn) { ", consumers" } else { "" }
                ));
            }
            let Value::Object(items) = body else {
                return Err(format!("`goal.{group}` must be an object"));
            };
            for (k, val) in items {
                let path = format!("goal.{group}.{k}");
                let known = |list: &[&'static str]| {
                    list.iter().copied().find(|x| x == k).ok_or_else(|| {
                        format!("`{path}`: unknown name (known: {})", list.join(", "))
                    })
                };
                let what = match group.as_str() {
                    "outcomes" => What::Outcome(k.clone()),
                    "summary" => What::Summary(known(&SUMMARY)?),
                    "events" => {
                        if !EVENTS.contains(&k.as_str()) && !ERRORS.contains(&k.as_str()) {
                            return Err(format!(
                                "`{path}`: unknown event (known: {}, {})",
                                EVENTS.join(", "),
                                ERRORS.join(", ")
                            ));
                        }
                        What::Event(k.clone())
                    }
                    _ => What::Producer(known(&MODELLED_KEYS)?),
                };
                let want = want_of(&path, val)?;
                if let (What::Outcome(_), Want::Is(o)) = (&what, &want) {
                    if !OUTCOMES.contains(&o.as_str()) {
                        return Err(format!("`{path}` must be one of {}", OUTCOMES.join(", ")));
                    }
                }
                conds.push(Cond { what, want });
            }
        }
        if conds.is_empty() {
            return Err("`goal` has no conditions".into());
        }
        Ok(Goal(conds))
    }

    /// Every condition the run does not meet, in the goal's order; empty when the goal is met.
    pub fn check(&self, trace: &Trace) -> Vec<Miss> {
        self.0
            .iter()
            .filter_map(|c| {
                let got = match &c.what {
                    What::Log => trace.log_names().join(", "),
                    #[cfg(feature = "partitions")]
                    What::Partition(p) => trace
                        .log
                        .iter()
                        .filter(|r| r.partition == *p)
                        .map(|r| trace.messages[r.msg].as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                    What::Outcome(m) => match trace.messages.iter().position(|x| x == m) {
                        Some(i) => trace.outcomes[i].as_str().to_string(),
                        None => "-".to_string(),
                    },
                    What::Summary(f) => summary(trace, f).to_string(),
                    What::Event(e) => count_events(trace, e).to_string(),
                    What::Producer(k) => trace.config.value(k),
                    #[cfg(txn)]
                    What::Consumer(committed) => {
                        let c = crate::inspect::consumers_at(trace, u64::MAX);
                        let read = if *committed {
                            c.read_committed
                        } else {
                            c.read_uncommitted
                        };
                        read.iter()
                            .map(|&m| trace.messages[m].as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    }
                };
                let met = match &c.want {
                    Want::Is(w) => *w == got,
                    Want::Range(lo, hi) => {
                        got.parse::<u64>().is_ok_and(|n| (*lo..=*hi).contains(&n))
                    }
                };
                (!met).then(|| Miss {
                    what: match &c.what {
                        What::Log => "log".to_string(),
                        #[cfg(feature = "partitions")]
                        What::Partition(p) => format!("partition {p}"),
                        What::Outcome(m) => m.clone(),
                        What::Summary(f) => f.to_string(),
                        What::Event(e) => e.clone(),
                        What::Producer(k) => k.to_string(),
                        #[cfg(txn)]
                        What::Consumer(true) => "read_committed".to_string(),
                        #[cfg(txn)]
                        What::Consumer(false) => "read_uncommitted".to_string(),
                    },
                    want: match &c.want {
                        Want::Is(w) => format!("= {w}"),
                        Want::Range(lo, hi) if lo == hi => format!("= {lo}"),
                        Want::Range(lo, u64::MAX) => format!("≥ {lo}"),
                        Want::Range(0, hi) => format!("≤ {hi}"),
                        Want::Range(lo, hi) => format!("{lo}–{hi}"),
                    },
                    got,
                })
            })
            .collect()
    }
}

/// A list of message names, as one comparable string.
fn names(v: &Value, path: &str) -> Result<String, String> {
    let err = || format!("`{path}` must be a list of message names");
    let Value::Array(items) = v else {
        return Err(err());
    };
    let mut names = Vec::new();
    for item in items {
        match item {
            Value::String(s) => names.push(s.as_str()),
            _ => return Err(err()),
        }
    }
    Ok(names.join(", "))
}

fn want_of(path: &str, v: &Value) -> Result<Want, String> {
    let bound = |k: &str| match v.get(k) {
        None => Ok(None),
        Some(n) if n.as_u64().is_some() => Ok(n.as_u64()),
        Some(_) => Err(format!("`{path}.{k}` must be a whole number from 0")),
    };
    match v {
        Value::String(s) => Ok(Want::Is(s.clone())),
        Value::Bool(b) => Ok(Want::Is(b.to_string())),
        Value::Number(n) if n.is_u64() => Ok(Want::Is(n.to_string())),
        Value::Object(fields) if fields.keys().all(|k| k == "min" || k == "max") => {
            Ok(Want::Range(
                bound("min")?.unwrap_or(0),
                bound("max")?.unwrap_or(u64::MAX),
            ))
        }
        _ => Err(format!(
            "`{path}` must be a value or {{\"min\": n, \"max\": n}}"
        )),
    }
}

fn summary(t: &Trace, field: &str) -> u32 {
    let s = &t.summary;
    match field {
        "messages" => s.messages,
        "stored" => s.stored,
        "duplicates" => s.duplicates,
        "lost" => s.lost,
        "failed" => s.failed,
        _ => s.reordered,
    }
}

fn count_events(t: &Trace, name: &str) -> usize {
    t.events
        .iter()
        .filter(|e| match e.kind {
            EventKind::Decided { answer, .. } if answer.error_code() == name => true,
            ref k => event_type(k) == name,
        })
        .count()
}
