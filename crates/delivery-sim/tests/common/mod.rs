//! Golden scenario files, shared by the engine and CLI tests: `scenarios/*.json` with their
//! `expect` (or `expect_modes`, one per preset) blocks.

#![allow(dead_code)]

use delivery_sim::json::{self, Value as Json};
use delivery_sim::scenario::Fault;
use std::path::PathBuf;

pub struct Golden {
    pub file: String,
    pub text: String,
    /// (mode override, expectation)
    pub cases: Vec<(Option<String>, Json)>,
}

pub fn scenarios_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scenarios")
}

pub fn goldens() -> Vec<Golden> {
    let mut out = Vec::new();
    let mut paths: Vec<_> = std::fs::read_dir(scenarios_dir())
        .expect("scenarios/ exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    for p in paths {
        let text = std::fs::read_to_string(&p).unwrap();
        let v = json::parse(&text).unwrap();
        // A scenario of several partitions, or with transactions, needs the engine built
        // with that feature.
        let partitioned = v.get("topic").is_some();
        let transactional = v.get("transactions").is_some() || text.contains("transactional.id");
        if (partitioned && !cfg!(feature = "partitions"))
            || (transactional && !cfg!(feature = "transactions"))
        {
            continue;
        }
        let mut cases = Vec::new();
        if let Some(e) = v.get("expect") {
            cases.push((None, e.clone()));
        }
        if let Some(Json::Object(modes)) = v.get("expect_modes") {
            for (mode, e) in modes {
                cases.push((Some(mode.clone()), e.clone()));
            }
        }
        assert!(!cases.is_empty(), "{} has no expectation", p.display());
        out.push(Golden {
            file: p.file_name().unwrap().to_string_lossy().into_owned(),
            text,
            cases,
        });
    }
    out
}

/// The scenario text with `mode` replacing its producer settings.
pub fn with_mode(text: &str, mode: &Option<String>) -> String {
    let Some(mode) = mode else {
        return text.to_string();
    };
    let Json::Object(mut fields) = json::parse(text).unwrap() else {
        panic!("scenario is not an object")
    };
    fields.remove("mode");
    fields.remove("producer");
    fields.insert("mode".into(), Json::String(mode.clone()));
    Json::Object(fields).to_string()
}

/// Compares a result (the CLI's JSON shape) with an expectation; returns what differs.
pub fn differences(result: &Json, expect: &Json) -> Vec<String> {
    let mut diffs = Vec::new();
    if let Some(Json::Array(want)) = expect.get("log") {
        let got: Vec<Json> = match result.get("log") {
            Some(Json::Array(recs)) => recs
                .iter()
                .filter_map(|r| r.get("message").cloned())
                .collect(),
            _ => vec![],
        };
        if &got != want {
            diffs.push(format!("log: got {got:?}, want {want:?}"));
        }
    }
    // The log with its transaction markers: names, and "commit" / "abort" for a marker.
    if let Some(Json::Array(want)) = expect.get("log_with_markers") {
        let got: Vec<Json> = match result.get("log") {
            Some(Json::Array(recs)) => recs
                .iter()
                .filter_map(|r| r.get("message").or(r.get("control")).cloned())
                .collect(),
            _ => vec![],
        };
        if &got != want {
            diffs.push(format!("log_with_markers: got {got:?}, want {want:?}"));
        }
    }
    // What each isolation level reads.
    if let Some(Json::Object(want)) = expect.get("consumers") {
        for (k, w) in want {
            let got = result.get("consumers").and_then(|c| c.get(k));
            if got != Some(w) {
                diffs.push(format!("consumers.{k}: got {got:?}, want {w:?}"));
            }
        }
    }
    // Each partition's log by name: {"0": [...], "2": [...]}; a partition not named is empty.
    if let Some(Json::Object(want)) = expect.get("partitions") {
        let recs = match result.get("log") {
            Some(Json::Array(recs)) => recs.as_slice(),
            _ => &[],
        };
        let partition = |r: &Json| match r.get("partition") {
            Some(p) => p.as_u64().unwrap_or(0) as u32,
            None => 0,
        };
        let mut named: Vec<u32> = Vec::new();
        for (p, w) in want {
            let p: u32 = p.parse().expect("a partition number");
            named.push(p);
            let got: Vec<Json> = recs
                .iter()
                .filter(|r| partition(r) == p)
                .filter_map(|r| r.get("message").cloned())
                .collect();
            if Json::Array(got.clone()) != *w {
                diffs.push(format!("partition {p}: got {got:?}, want {w:?}"));
            }
        }
        if let Some(r) = recs.iter().find(|r| !named.contains(&partition(r))) {
            diffs.push(format!(
                "a record in partition {}, which the golden leaves empty",
                partition(r)
            ));
        }
    }
    // Events by type ("request_held"), or broker decisions by error ("NOT_ENOUGH_REPLICAS"):
    // how many of each the run has, so a golden pins its mechanism as well as its log.
    if let Some(Json::Object(want)) = expect.get("events") {
        let events = match result.get("events") {
            Some(Json::Array(events)) => events.as_slice(),
            _ => &[],
        };
        for (k, w) in want {
            let by_error = k.chars().all(|c| c.is_ascii_uppercase() || c == '_');
            let got = events
                .iter()
                .filter(|e| {
                    if by_error {
                        e.get("type") == Some(&Json::String("rejected".into()))
                            && e.get("error") == Some(&Json::String(k.clone()))
                    } else {
                        e.get("type") == Some(&Json::String(k.clone()))
                    }
                })
                .count();
            if w.as_u64() != Some(got as u64) {
                diffs.push(format!("events.{k}: got {got}, want {w:?}"));
            }
        }
    }
    for key in ["outcomes", "summary"] {
        if let Some(Json::Object(want)) = expect.get(key) {
            for (k, w) in want {
                let got = result.get(key).and_then(|o| o.get(k));
                if got != Some(w) {
                    diffs.push(format!("{key}.{k}: got {got:?}, want {w:?}"));
                }
            }
        }
    }
    diffs
}

/// Any fault a scenario can script on `n` messages; with `replicated` false, none of the
/// replicas' (the lean engine's scenarios have one broker).
#[cfg(not(target_arch = "wasm32"))]
pub fn fault(n: usize, replicated: bool) -> impl proptest::strategy::Strategy<Value = Fault> {
    use delivery_sim::KafkaError;
    use proptest::prelude::*;
    let target = (0..n, 1u32..4);
    prop_oneof![
        target
            .clone()
            .prop_map(|(msg, attempt)| Fault::DropRequest { msg, attempt }),
        target
            .clone()
            .prop_map(|(msg, attempt)| Fault::DropResponse { msg, attempt }),
        target
            .clone()
            .prop_map(|(msg, attempt)| Fault::BrokerFail { msg, attempt }),
        (target.clone(), 0usize..3).prop_map(|((msg, attempt), e)| Fault::ErrorResponse {
            msg,
            attempt,
            error: KafkaError::SCRIPTABLE[e],
        }),
        (target, 0u64..800).prop_map(|((msg, attempt), ms)| Fault::DelayResponse {
            msg,
            attempt,
            ms
        }),
        (0u64..2000, 0u64..1500).prop_map(|(from_ms, len)| Fault::BrokerDown {
            from_ms,
            to_ms: from_ms + len
        }),
        (0u64..2000).prop_map(|at_ms| Fault::LeaderFailover { at_ms }),
        (0u64..2000).prop_map(|at_ms| Fault::ProducerRestart { at_ms }),
    ]
    .prop_filter("one broker", move |f| replicated || !f.replicated())
}
