//! A `Doc` as a query string: only what differs from its story.

use super::*;

use super::decode::percent;
use super::tokens::*;

pub fn encode(s: &Doc) -> String {
    // Each parameter that differs from what a bare link gives, as key and value.
    let mut q: Vec<(&str, String)> = Vec::new();
    #[cfg(feature = "workshop")]
    if let Some(id) = &s.exercise {
        q.push(("ex", enc(id)));
    }
    let base = s.story.scenario();
    if s.story != Story::SideBySide {
        q.push(("story", s.story.code().into()));
    }
    scenario_params(&mut q, &s.scenario, &base);
    for (lane, key) in s.lanes.iter().zip(["l0", "l1", "l2", "l3"]) {
        if lane.settings != s.story.settings(lane.preset) {
            q.push((key, settings_token(&lane.settings)));
        }
    }
    if s.visible != s.story.visible() {
        q.push((
            "lanes",
            list(s.visible.iter().map(|v| v.to_string()).collect()),
        ));
    }
    if s.range != (0, usize::MAX) {
        q.push(("from", s.range.0.to_string()));
        if s.range.1 != usize::MAX {
            q.push(("to", s.range.1.to_string()));
        }
    }
    if s.step != s.story.first_step() {
        let step = match s.step {
            usize::MAX => "end".into(),
            step => step.to_string(),
        };
        q.push(("step", step));
    }
    let mut out = String::new();
    for (k, v) in q {
        out.push_str(k);
        out.push('=');
        out.push_str(&v);
        out.push('&');
    }
    if s.embed {
        out.push_str("embed&");
    }
    out.push_str("lang=");
    out.push_str(s.lang.code());
    out.push_str(if s.dark {
        "&theme=dark"
    } else {
        "&theme=light"
    });
    out
}

/// The scenario's parameters that differ from its story's (`base`): messages, faults, the
/// topic, transactions, the network's and the broker's numbers.
fn scenario_params(q: &mut Vec<(&str, String)>, sc: &Scenario, base: &Scenario) {
    let n = sc.messages.len();
    if n > 26 && crate::state::is_numbered(&sc.messages) {
        // m0..m(N-1) need only their count.
        q.push(("n", n.to_string()));
    } else if sc.messages != base.messages {
        q.push(("m", list(sc.messages.iter().map(|n| enc(n)).collect())));
    }
    if sc.faults != base.faults || sc.messages != base.messages {
        let faults = sc.faults.iter().map(|f| fault_token(f, &sc.messages));
        q.push(("f", list(faults.collect())));
    }
    #[cfg(feature = "partitions")]
    partition_params(q, sc, base);
    #[cfg(txn)]
    {
        if sc.transactions != base.transactions {
            q.push(("tx", txn_token(&sc.transactions)));
        }
        if sc.broker.coordinator_ms != base.broker.coordinator_ms {
            q.push(("coord", sc.broker.coordinator_ms.to_string()));
        }
    }
    let nums: [(&str, u64, u64); 9] = [
        ("seed", sc.seed, base.seed),
        ("lat", sc.network.latency_ms, base.network.latency_ms),
        ("jit", sc.network.jitter_ms, base.network.jitter_ms),
        (
            "rep",
            sc.broker.replicas as u64,
            base.broker.replicas as u64,
        ),
        (
            "repms",
            sc.broker.replication_ms,
            base.broker.replication_ms,
        ),
        ("gap", sc.interval_ms, base.interval_ms),
        (
            "isr",
            sc.broker.min_insync as u64,
            base.broker.min_insync as u64,
        ),
        ("lagms", sc.broker.lag_max_ms, base.broker.lag_max_ms),
        (
            "sessms",
            sc.broker.session_timeout_ms,
            base.broker.session_timeout_ms,
        ),
    ];
    for (k, v, d) in nums {
        if v != d {
            q.push((k, v.to_string()));
        }
    }
    for (k, v) in [
        ("rl", sc.network.request_loss),
        ("al", sc.network.response_loss),
    ] {
        if v != 0.0 {
            q.push((k, percent(v)));
        }
    }
    if sc.sync != base.sync {
        q.push(("sync", if sc.sync { "1" } else { "0" }.into()));
    }
    #[cfg(not(feature = "embed"))]
    if sc.broker.unclean != base.broker.unclean {
        q.push(("unclean", if sc.broker.unclean { "1" } else { "0" }.into()));
    }
}

/// The topic's partitions, the messages' keys and sizes.
#[cfg(feature = "partitions")]
fn partition_params(q: &mut Vec<(&str, String)>, sc: &Scenario, base: &Scenario) {
    if sc.partitions != base.partitions {
        q.push(("parts", sc.partitions.to_string()));
    }
    // Each message's key in order: none as empty, the empty key as `.` (which `enc`
    // never writes); `keys=` alone for none where the story has some. Not when they are
    // the story's, as its messages carry them over (`read`, "m").
    // (Encoded on every render: the story's scenario is copied only when it has keys.)
    let story_keys = if base.keys.is_empty() {
        Vec::new()
    } else {
        let mut story = base.clone();
        story.messages.clone_from(&sc.messages);
        crate::state::follow_names(&mut story, &base.messages);
        story.keys
    };
    if sc.keys != story_keys {
        let key = |k: &Option<String>| match k.as_deref() {
            None => String::new(),
            Some("") => ".".into(),
            Some(k) => enc(k),
        };
        q.push(("keys", list(sc.keys.iter().map(key).collect())));
    }
    if !sc.sizes.is_empty() {
        q.push(("bytes", list(sc.sizes.iter().map(u32::to_string).collect())));
    }
}

/// Items of a parameter's value: `a,b,c`.
fn list(items: Vec<String>) -> String {
    items.join(",")
}
