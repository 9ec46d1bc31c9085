//! A query string read over the defaults: what cannot be read is named and ignored.

use super::*;

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
    let pairs: Vec<(&str, &str)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| p.split_once('=').unwrap_or((p, "")))
        .collect();
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

/// `n`: numbered messages m0..m(N-1); faults on messages no longer there go, and transactions
/// that no longer add up to the messages.
fn read_count(sc: &mut Scenario, v: &str) -> Result<(), String> {
    let n = number(v, MAX_UI_MESSAGES as u64)
        .ok()
        .filter(|&n| n > 0)
        .ok_or(format!("not a count from 1 to {MAX_UI_MESSAGES}"))? as usize;
    #[cfg_attr(not(feature = "partitions"), allow(unused_variables))]
    let old = std::mem::replace(&mut sc.messages, crate::state::names_for_count(n));
    #[cfg(feature = "partitions")]
    crate::state::follow_names(sc, &old);
    sc.faults.retain(|f| f.target().is_none_or(|(m, _)| m < n));
    #[cfg(txn)]
    if sc.transactions.iter().map(|t| t.len).sum::<usize>() != n {
        sc.transactions.clear();
    }
    Ok(())
}

/// `bytes`: each message's size, one a message.
#[cfg(feature = "partitions")]
fn read_sizes(sc: &mut Scenario, v: &str) -> Result<(), String> {
    let sizes: Vec<u32> = v
        .split(',')
        .map(|b| number(b, MAX_RECORD_BYTES as u64).map(|b| b.max(1) as u32))
        .collect::<Result<_, _>>()?;
    if sizes.len() != sc.messages.len() {
        return Err(format!(
            "{} sizes for {} messages",
            sizes.len(),
            sc.messages.len()
        ));
    }
    sc.sizes = sizes;
    Ok(())
}

/// `rl`, `al`: a loss in per cent.
fn read_percent(v: &str) -> Result<f64, &'static str> {
    delivery_sim::num::parse_decimal(v)
        .filter(|p| (0.0..=100.0).contains(p))
        .ok_or("not a percentage from 0 to 100")
}

/// Whether a link names only its exercise (and how to look at it): it opens the exercise at
/// its start; one that also holds a scenario is someone's work in progress and keeps it.
#[cfg(feature = "workshop")]
pub fn exercise_fresh(query: &str) -> bool {
    const VIEW: [&str; 5] = ["ex", "lang", "theme", "embed", "autoplay"];
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .all(|p| VIEW.contains(&p.split_once('=').map_or(p, |(k, _)| k)))
}

/// `story`: the story's scenario, step and lanes, which the rest of the link changes.
pub(super) fn read_story(s: &mut State, v: &str) -> Result<(), String> {
    #[cfg(feature = "embed")]
    let sc = &mut s.doc.scenario;
    // The embed page does not tell the replicas, batches, transactions and partitions stories:
    // their links open in the app or the workshop page (app.rs), and nothing is drawn while
    // they go.
    #[cfg(feature = "embed")]
    if v == Story::REPLICAS {
        sc.broker.replicas = 3;
        return Ok(());
    }
    #[cfg(feature = "embed")]
    if [Story::BATCHES, Story::TRANSACTIONS, Story::PARTITIONS].contains(&v) {
        sc.sync = false;
        return Ok(());
    }
    // (Every page takes them all: the embed page reads 4 to 7 above, the app sends 7 on.)
    let story = Story::from_code(v).ok_or("not one of side, 1, 2, 3, 4, 5, 6, 7")?;
    s.doc.story = story;
    s.doc.scenario = story.scenario();
    s.doc.step = story.first_step();
    s.doc.visible = story.visible();
    // (On the embed page every story's lanes are the presets.)
    #[cfg(not(feature = "embed"))]
    for lane in &mut s.doc.lanes {
        lane.settings = story.settings(lane.preset);
    }
    Ok(())
}

/// `m`: the messages by name; the story's faults, transactions and keys follow them.
pub(super) fn read_names(sc: &mut Scenario, story: Story, v: &str) -> Result<(), String> {
    // Each name is encoded on its own (commas and spaces in it included): taken as it
    // is, by the engine's rule, not split again like typed text.
    let names: Vec<String> = v.split(',').map(dec).collect::<Result<_, _>>()?;
    sc.messages = check_names(names)?;
    // The story's faults name A, B, C; keep those that still have their message.
    let base = story.scenario();
    let names = &sc.messages;
    sc.faults = base.faults;
    sc.faults.retain(|f| {
        f.target()
            .is_none_or(|(m, _)| names.get(m) == base.messages.get(m))
    });
    // The story's transactions, while they still hold every message (`tx` follows).
    #[cfg(txn)]
    if sc.transactions.iter().map(|t| t.len).sum::<usize>() != names.len() {
        sc.transactions.clear();
    }
    // The story's keys follow their messages by name (`keys` follows).
    #[cfg(feature = "partitions")]
    crate::state::follow_names(sc, &base.messages);
    Ok(())
}

/// `keys`: each message's key in order (none as empty, the empty key as `.`).
#[cfg(feature = "partitions")]
pub(super) fn read_keys(sc: &mut Scenario, v: &str) -> Result<(), String> {
    let mut keys = Vec::new();
    for k in v.split(',') {
        keys.push(match k {
            "" => None,
            "." => Some(String::new()),
            k => Some(
                Some(dec(k)?)
                    .filter(|k| k.chars().count() <= MAX_KEY_CHARS)
                    .ok_or(format!("a key is longer than {MAX_KEY_CHARS} characters"))?,
            ),
        });
    }
    let n = sc.messages.len();
    if keys.len() > n {
        return Err(format!("{} keys for {n} messages", keys.len()));
    }
    keys.resize(n, None);
    sc.keys = if keys.iter().any(Option::is_some) {
        keys
    } else {
        Vec::new()
    };
    Ok(())
}

/// `l0` to `l3`: a lane's producer settings as `key:value` pairs; unknown keys are named and
/// left out.
pub(super) fn read_lane_settings(s: &mut State, key: &str, v: &str, problems: &mut Vec<String>) {
    #[cfg(feature = "embed")]
    let sc = &mut s.doc.scenario;
    let i = usize::from(key.as_bytes()[1] - b'0');
    let mut settings = Settings::default();
    for token in v.split(',').filter(|t| !t.is_empty()) {
        // A key the embed page's engine does not model (a real Kafka key or a typo): the
        // view opens in the app (`needs_app`), which runs it or names what is wrong.
        #[cfg(feature = "embed")]
        if token
            .split_once(':')
            .is_some_and(|(k, _)| !delivery_sim::config::is_modelled(k))
        {
            needs_app(sc);
            continue;
        }
        // Unknown keys are named with a suggestion and left out.
        let read = token
            .split_once(':')
            .ok_or_else(|| format!("`{}` is not key:value", shown(token)))
            .and_then(|(k, val)| {
                check_key(k)?;
                Ok((k, dec(val).map_err(|e| format!("`{}`: {e}", shown(k)))?))
            });
        match read {
            Ok((k, val)) => settings.set(k, &val),
            Err(e) => problems.push(format!("lane {i}: {e}")),
        }
    }
    s.doc.lanes[i].settings = settings;
}

/// `lanes`: the lanes shown, each once, in the order named.
pub(super) fn read_lanes(s: &mut State, v: &str) -> Result<(), String> {
    // Each lane once, in the order named (a lane twice would be two copies with one id).
    let mut lanes: Vec<usize> = Vec::new();
    let count = s.doc.lanes.len();
    for x in v.split(',').filter_map(|x| x.parse().ok()) {
        if x < count && !lanes.contains(&x) {
            lanes.push(x);
        }
        // The transactional lane, which the embed page's engine cannot run.
        #[cfg(feature = "embed")]
        if x == 3 {
            needs_app(&mut s.doc.scenario);
        }
    }
    if lanes.is_empty() {
        return Err(format!("name lanes from 0 to {}", count - 1));
    }
    s.doc.visible = lanes;
    Ok(())
}
