//! A query string read over the defaults: what cannot be read is named and ignored.

use super::*;

use super::params::*;
use super::tokens::*;

/// Marks a view the embed page's engine does not run (a producer key it does not model) as one
/// whose sends do not wait for each result, which `Scenario::needs_full_engine` sends to the
/// app; the app reads the link afresh.
#[cfg(feature = "embed")]
pub(super) fn needs_app(sc: &mut delivery_sim::Scenario) {
    sc.sync = false;
}

/// Whether a link is for the workshop page's bundle: an exercise, or a topic's partitions,
/// keys or record sizes, or the partitions story (the feature `partitions`).
#[cfg(not(feature = "workshop"))]
pub fn needs_workshop(query: &str) -> bool {
    query.split('&').any(|p| match p.split_once('=') {
        Some(("story", v)) => v == Story::PARTITIONS,
        Some((k, _)) => matches!(k, "ex" | "parts" | "keys" | "bytes"),
        None => matches!(p, "parts" | "keys" | "bytes"),
    })
}

/// Loss as a percentage with at most two decimals: readable in the link.
pub(super) fn percent(p: f64) -> String {
    delivery_sim::num::fmt_decimal(p * 100.0, 2)
}

/// At most 40 characters of what the link held, for a message.
pub(super) fn shown(v: &str) -> String {
    v.chars().take(40).collect()
}

/// A whole number from 0 to `max`.
pub(super) fn number(v: &str, max: u64) -> Result<u64, String> {
    v.parse::<u64>()
        .ok()
        .filter(|n| *n <= max)
        .ok_or_else(|| format!("not a number from 0 to {max}"))
}

/// The parameters a link may hold, in the order they are read: the story first (it sets the
/// scenario the rest changes), then the messages, which the faults name.
pub(super) const KNOWN: &[&str] = &[
    "story",
    "m",
    "n",
    "f",
    // (Without the feature `transactions`, and on the embed page, these are unknown.)
    #[cfg(any(txn, feature = "embed"))]
    "tx",
    #[cfg(any(txn, feature = "embed"))]
    "coord",
    // (Without the feature `partitions`, the page opens the workshop page's: `needs_workshop`.)
    "parts",
    "keys",
    "bytes",
    "seed",
    "lat",
    "jit",
    "rep",
    "repms",
    "isr",
    "unclean",
    "lagms",
    "sessms",
    "gap",
    "from",
    "to",
    "step",
    "rl",
    "al",
    "sync",
    "l0",
    "l1",
    "l2",
    #[cfg(any(txn, feature = "embed"))]
    "l3",
    "lanes",
    "lang",
    "theme",
    "embed",
    "autoplay",
    "ex",
];

/// Reads a query string over the defaults. Returns the page it opens (its document, and how to
/// show it: `autoplay`, an exercise still to set up) and one line per thing ignored.
pub fn decode(query: &str, defaults: Defaults) -> (State, Vec<String>) {
    let mut s = State {
        doc: Doc {
            lang: defaults.lang,
            dark: defaults.dark,
            ..Doc::default()
        },
        ..State::default()
    };
    let mut problems = Vec::new();
    let mut query = query;
    if query.len() > MAX_QUERY {
        // Cut at a parameter, or at least at a character: never inside one.
        let room = (0..=MAX_QUERY)
            .rev()
            .find(|&i| query.is_char_boundary(i))
            .unwrap_or(0);
        let cut = query[..room].rfind('&').unwrap_or(room);
        problems.push(format!(
            "the link is {} characters; everything after the first {cut} was ignored",
            query.len()
        ));
        query = &query[..cut];
    }
    let pairs: Vec<(&str, &str)> = pairs(query).collect();
    for (k, _) in &pairs {
        if !KNOWN.contains(k) {
            problems.push(format!("unknown parameter `{}`", shown(k)));
        }
    }
    for &key in KNOWN {
        // The last of a parameter given twice counts.
        let Some(&(_, v)) = pairs.iter().rev().find(|(k, _)| *k == key) else {
            continue;
        };
        if let Err(why) = read(&mut s, key, v, &mut problems) {
            problems.push(format!("`{key}={}`: {why}", shown(v)));
        }
    }
    // A failover needs a follower, and a follower's fault that follower. (The embed page
    // opens such a link in the app.)
    #[cfg(not(feature = "embed"))]
    {
        let sc = &mut s.doc.scenario;
        let needed = sc
            .faults
            .iter()
            .map(|f| match *f {
                Fault::LeaderFailover { .. } => 2,
                Fault::ReplicaDown { replica, .. } | Fault::ReplicaSlow { replica, .. } => {
                    replica + 1
                }
                _ => 1,
            })
            .max()
            .unwrap_or(1);
        sc.broker.replicas = sc.broker.replicas.max(needed);
    }
    (s, problems)
}

/// Reads one parameter into the state. Parameters with several parts (faults, lane settings)
/// note what they ignore in `problems` and keep the rest. (Long by nature: a table with an arm
/// a parameter; an arm of more than a few lines is a function of its own.)
pub(super) fn read(
    s: &mut State,
    key: &str,
    v: &str,
    problems: &mut Vec<String>,
) -> Result<(), String> {
    let sc = &mut s.doc.scenario;
    match key {
        "story" => read_story(s, v)?,
        "m" => read_names(sc, s.doc.story, v)?,
        "n" => read_count(sc, v)?,
        "f" => {
            sc.faults.clear();
            for token in v.split(',').filter(|t| !t.is_empty()) {
                match parse_fault(token, &sc.messages) {
                    Ok(f) => sc.faults.push(f),
                    Err(e) => problems.push(format!("fault `{}`: {e}", shown(token))),
                }
            }
        }
        #[cfg(feature = "partitions")]
        "parts" => {
            sc.partitions = number(v, MAX_PARTITIONS as u64)
                .ok()
                .filter(|&p| p > 0)
                .ok_or(format!("not a count from 1 to {MAX_PARTITIONS}"))?
                as u32
        }
        #[cfg(feature = "partitions")]
        "keys" => read_keys(sc, v)?,
        #[cfg(feature = "partitions")]
        "bytes" => read_sizes(sc, v)?,
        "seed" => sc.seed = number(v, 9_007_199_254_740_991)?,
        "lat" => sc.network.latency_ms = number(v, MAX_LATENCY_MS)?,
        "jit" => sc.network.jitter_ms = number(v, MAX_LATENCY_MS)?,
        "rep" => sc.broker.replicas = number(v, MAX_REPLICAS as u64)?.max(1) as u32,
        "repms" => sc.broker.replication_ms = number(v, MAX_LATENCY_MS)?,
        // With one broker these change nothing, and the embed page's engine has one: a link
        // with replicas opens in the app (see main.rs).
        #[cfg(feature = "embed")]
        "isr" | "unclean" | "lagms" | "sessms" => {}
        #[cfg(not(feature = "embed"))]
        "isr" => sc.broker.min_insync = number(v, 1000)?.max(1) as u32,
        #[cfg(not(feature = "embed"))]
        "unclean" => sc.broker.unclean = v != "0",
        #[cfg(not(feature = "embed"))]
        "lagms" => sc.broker.lag_max_ms = number(v, MAX_TIME_MS)?.max(1),
        #[cfg(not(feature = "embed"))]
        "sessms" => sc.broker.session_timeout_ms = number(v, MAX_TIME_MS)?.max(1),
        "gap" => sc.interval_ms = number(v, MAX_TIME_MS)?,
        "from" => s.doc.range.0 = number(v, 1_000_000)? as usize,
        "to" => s.doc.range.1 = number(v, 1_000_000)? as usize,
        "step" if v == "end" => s.doc.step = usize::MAX,
        "step" => s.doc.step = number(v, 1_000_000)? as usize,
        "rl" | "al" => {
            let slot = if key == "rl" {
                &mut sc.network.request_loss
            } else {
                &mut sc.network.response_loss
            };
            *slot = read_percent(v)? / 100.0;
        }
        "sync" => {
            sc.sync = match v {
                "0" | "false" => false,
                "1" | "true" => true,
                _ => return Err("use 0 or 1".into()),
            }
        }
        // Without the feature, a topic's link opens the workshop page (`needs_workshop`); the
        // embed page draws nothing while it goes.
        #[cfg(all(feature = "embed", not(feature = "partitions")))]
        "parts" | "keys" | "bytes" => needs_app(sc),
        #[cfg(not(any(feature = "embed", feature = "partitions")))]
        "parts" | "keys" | "bytes" => {}
        // The embed page's engine has no transactions: such a view opens in the app.
        #[cfg(feature = "embed")]
        "tx" | "coord" | "l3" => needs_app(sc),
        #[cfg(txn)]
        "tx" => sc.transactions = parse_txns(v, sc.messages.len())?,
        #[cfg(txn)]
        "coord" => sc.broker.coordinator_ms = number(v, MAX_LATENCY_MS)?,
        // (`l3` on the embed page is read above.)
        #[allow(unreachable_patterns)]
        "l0" | "l1" | "l2" | "l3" => read_lane_settings(s, key, v, problems),
        "lanes" => read_lanes(s, v)?,
        "lang" => s.doc.lang = Lang::from_code(v).ok_or("use ko or en")?,
        "theme" => {
            s.doc.dark = match v {
                "dark" => true,
                "light" => false,
                _ => return Err("use dark or light".into()),
            }
        }
        "embed" => s.doc.embed = true,
        "autoplay" if v != "0" => {
            s.playing = true;
            if s.doc.step == usize::MAX {
                s.doc.step = 0;
            }
        }
        #[cfg(feature = "workshop")]
        "ex" => {
            s.doc.exercise = Some(
                dec(v)
                    .ok()
                    .filter(|id| delivery_sim::exercise::is_id(id))
                    .ok_or("not an exercise name")?,
            )
        }
        _ => {}
    }
    Ok(())
}

/// Whether a link names only its exercise (and how to look at it): it opens the exercise at
/// its start; one that also holds a scenario is someone's work in progress and keeps it.
#[cfg(feature = "workshop")]
pub fn exercise_fresh(query: &str) -> bool {
    const VIEW: [&str; 5] = ["ex", "lang", "theme", "embed", "autoplay"];
    pairs(query).all(|(k, _)| VIEW.contains(&k))
}

/// A query's parameters as (key, value), a key alone with an empty value.
fn pairs(query: &str) -> impl Iterator<Item = (&str, &str)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| p.split_once('=').unwrap_or((p, "")))
}
