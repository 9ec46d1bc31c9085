//! The whole view in the address: compact, readable, editable by hand. Decoding never fails:
//! what cannot be read is named and ignored, and the rest is kept.
//!
//! `?story=side&m=A,B,C&f=req.B.1,ack.B.2&seed=7&lat=10&l1=acks:1,retries:0&step=4&lang=ko`

use crate::browser::Defaults;
use crate::i18n::Lang;
use crate::state::{check_names, Doc, State, MAX_UI_MESSAGES};
use crate::stories::Story;
use delivery_sim::config::check_key;
use delivery_sim::scenario::{
    Fault, FaultKind, Scenario, MAX_LATENCY_MS, MAX_REPLICAS, MAX_TIME_MS,
};
#[cfg(txn)]
use delivery_sim::scenario::{Transaction, TxnEnd};
#[cfg(feature = "partitions")]
use delivery_sim::scenario::{MAX_KEY_CHARS, MAX_PARTITIONS, MAX_RECORD_BYTES};
use delivery_sim::{KafkaError, Settings};

/// Longer queries are cut here (at a parameter boundary) and the cut is reported.
pub const MAX_QUERY: usize = 8 * 1024;

/// Percent-encodes everything but letters, digits, `-` and `_`, so `.`, `,` and `:` stay free
/// as separators.
pub fn enc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b == b'-' || b == b'_' {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub fn dec(s: &str) -> Result<String, String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = s
                    .get(i + 1..i + 3)
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                    .ok_or_else(|| {
                        let near: String = s.get(i..).unwrap_or("").chars().take(3).collect();
                        format!("bad escape near `{near}`")
                    })?;
                out.push(hex);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| "not valid UTF-8".into())
}

/// A fault in a link: its kind's token, then its message and attempt or its times
/// The application's transactions, in message order: each one's length and how it ends
/// (`c`ommit, `a`bort, `n`one), as `2c,1a`.
#[cfg(txn)]
fn txn_token(txns: &[Transaction]) -> String {
    // Without a list, each message is its own committed transaction.
    if txns.is_empty() {
        return "each".into();
    }
    let token = |t: &Transaction| format!("{}{}", t.len, &t.end.name()[..1]);
    txns.iter().map(token).collect::<Vec<_>>().join(",")
}

/// Reads `txn_token`'s form: every message once, in order (or `each`).
#[cfg(txn)]
fn parse_txns(v: &str, messages: usize) -> Result<Vec<Transaction>, String> {
    let mut out: Vec<Transaction> = Vec::new();
    if v == "each" {
        return Ok(out);
    }
    let mut first = 0;
    for token in v.split(',') {
        // The last character, whatever its width (a hand-edited link may end in any).
        let last = token.char_indices().last().map_or(0, |(at, _)| at);
        let (len, end) = token.split_at(last);
        let end = match end {
            "c" => TxnEnd::Commit,
            "a" => TxnEnd::Abort,
            "n" => TxnEnd::None,
            _ => {
                return Err(
                    "each transaction is a count and c, a or n (commit, abort, none)".into(),
                )
            }
        };
        let len = number(len, messages as u64)
            .ok()
            .filter(|&n| n > 0)
            .ok_or("a transaction holds 1 message or more")? as usize;
        out.push(Transaction { first, len, end });
        first += len;
    }
    if first != messages {
        return Err(format!(
            "the transactions hold {first} messages, not {messages}"
        ));
    }
    if out.iter().rev().skip(1).any(|t| t.end == TxnEnd::None) {
        return Err("only the last transaction may be left open (n)".into());
    }
    Ok(out)
}

/// (`req.B.1`, `err.B.1.CORRUPT_MESSAGE`, `delay.B.2.40000`, `down.15.5015`, `restart.60`).
fn fault_token(f: &Fault, names: &[String]) -> String {
    let mut t = f.kind().token().to_string();
    if let Some((msg, attempt)) = f.target() {
        t.push_str(&format!(".{}.{attempt}", enc(&names[msg])));
    }
    match *f {
        Fault::DelayResponse { ms, .. } => t.push_str(&format!(".{ms}")),
        Fault::ErrorResponse { error, .. } => t.push_str(&format!(".{}", error.code())),
        Fault::BrokerDown { from_ms, to_ms } => t.push_str(&format!(".{from_ms}.{to_ms}")),
        Fault::LeaderFailover { at_ms } | Fault::ProducerRestart { at_ms } => {
            t.push_str(&format!(".{at_ms}"))
        }
        #[cfg(not(feature = "embed"))]
        Fault::ReplicaDown {
            replica,
            from_ms,
            to_ms,
        } => t.push_str(&format!(".{replica}.{from_ms}.{to_ms}")),
        #[cfg(not(feature = "embed"))]
        Fault::ReplicaSlow { replica, extra_ms } => t.push_str(&format!(".{replica}.{extra_ms}")),
        _ => {}
    }
    t
}

fn parse_fault(token: &str, names: &[String]) -> Result<Fault, String> {
    let parts: Vec<&str> = token.split('.').collect();
    let kind = FaultKind::from_token(parts[0]).ok_or_else(|| {
        format!(
            "not a fault ({})",
            FaultKind::ALL.map(FaultKind::token).join(", ")
        )
    })?;
    let num = |s: &str, max: u64| -> Result<u64, String> {
        s.parse::<u64>()
            .ok()
            .filter(|n| *n <= max)
            .ok_or_else(|| format!("`{s}` is not a number from 0 to {max}"))
    };
    let mut fault = kind.like(&Fault::LeaderFailover { at_ms: 0 });
    let mut rest = &parts[1..];
    if kind.per_request() {
        let [name, attempt, more @ ..] = rest else {
            return Err("needs a message and an attempt".into());
        };
        let name = dec(name)?;
        let msg = names
            .iter()
            .position(|n| *n == name)
            .ok_or_else(|| format!("message `{name}` is not in the messages"))?;
        let attempt = num(attempt, 1000)? as u32;
        if attempt == 0 {
            return Err("attempts count from 1".into());
        }
        fault = fault.retarget(msg, attempt);
        rest = more;
    }
    Ok(match (fault, rest) {
        (Fault::DelayResponse { msg, attempt, .. }, [ms]) => Fault::DelayResponse {
            msg,
            attempt,
            ms: num(ms, MAX_TIME_MS)?,
        },
        (Fault::ErrorResponse { msg, attempt, .. }, [code]) => Fault::ErrorResponse {
            msg,
            attempt,
            error: KafkaError::SCRIPTABLE
                .into_iter()
                .find(|e| e.code() == *code)
                .ok_or_else(|| format!("`{code}` is not a broker error the fault can answer"))?,
        },
        (Fault::BrokerDown { .. }, [from, to]) => {
            let (from_ms, to_ms) = (num(from, MAX_TIME_MS)?, num(to, MAX_TIME_MS)?);
            if from_ms > to_ms {
                return Err("ends before it starts".into());
            }
            Fault::BrokerDown { from_ms, to_ms }
        }
        (Fault::LeaderFailover { .. }, [at]) => Fault::LeaderFailover {
            at_ms: num(at, MAX_TIME_MS)?,
        },
        (Fault::ProducerRestart { .. }, [at]) => Fault::ProducerRestart {
            at_ms: num(at, MAX_TIME_MS)?,
        },
        (Fault::ReplicaDown { .. }, [replica, from, to]) => {
            let (from_ms, to_ms) = (num(from, MAX_TIME_MS)?, num(to, MAX_TIME_MS)?);
            if from_ms > to_ms {
                return Err("ends before it starts".into());
            }
            Fault::ReplicaDown {
                replica: num(replica, 4)?.max(1) as u32,
                from_ms,
                to_ms,
            }
        }
        (Fault::ReplicaSlow { .. }, [replica, ms]) => Fault::ReplicaSlow {
            replica: num(replica, 4)?.max(1) as u32,
            extra_ms: num(ms, MAX_TIME_MS)?,
        },
        (f, []) if kind.per_request() && kind != FaultKind::DelayResponse => f,
        _ => return Err(format!("`{token}` has the wrong number of parts")),
    })
}

fn settings_token(s: &Settings) -> String {
    s.0.iter()
        .map(|(k, v)| format!("{k}:{}", enc(v)))
        .collect::<Vec<_>>()
        .join(",")
}

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
    let sc = &s.scenario;
    let n = sc.messages.len();
    let list = |items: Vec<String>| items.join(",");
    if n > 26 && sc.messages == crate::state::names_for_count(n) {
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
    {
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

/// Marks a view the embed page's engine does not run (a producer key it does not model) as one
/// whose sends do not wait for each result, which `Scenario::needs_full_engine` sends to the
/// app; the app reads the link afresh.
#[cfg(feature = "embed")]
fn needs_app(sc: &mut delivery_sim::Scenario) {
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
fn percent(p: f64) -> String {
    delivery_sim::num::fmt_decimal(p * 100.0, 2)
}

/// At most 40 characters of what the link held, for a message.
fn shown(v: &str) -> String {
    v.chars().take(40).collect()
}

/// A whole number from 0 to `max`.
fn number(v: &str, max: u64) -> Result<u64, String> {
    v.parse::<u64>()
        .ok()
        .filter(|n| *n <= max)
        .ok_or_else(|| format!("not a number from 0 to {max}"))
}

/// The parameters a link may hold, in the order they are read: the story first (it sets the
/// scenario the rest changes), then the messages, which the faults name.
const KNOWN: &[&str] = &[
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
        if let Err(why) = read(&mut s, key, v, &pairs, &mut problems) {
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
/// note what they ignore in `problems` and keep the rest.
fn read(
    s: &mut State,
    key: &str,
    v: &str,
    #[cfg_attr(not(feature = "workshop"), allow(unused_variables))] pairs: &[(&str, &str)],
    problems: &mut Vec<String>,
) -> Result<(), String> {
    let sc = &mut s.doc.scenario;
    match key {
        "story" => read_story(s, v)?,
        "m" => read_names(sc, s.doc.story, v)?,
        "n" => {
            let n = number(v, MAX_UI_MESSAGES as u64)
                .ok()
                .filter(|&n| n > 0)
                .ok_or(format!("not a count from 1 to {MAX_UI_MESSAGES}"))?
                as usize;
            #[cfg_attr(not(feature = "partitions"), allow(unused_variables))]
            let old = std::mem::replace(&mut sc.messages, crate::state::names_for_count(n));
            #[cfg(feature = "partitions")]
            crate::state::follow_names(sc, &old);
            sc.faults.retain(|f| f.target().is_none_or(|(m, _)| m < n));
            #[cfg(txn)]
            if sc.transactions.iter().map(|t| t.len).sum::<usize>() != n {
                sc.transactions.clear();
            }
        }
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
        "bytes" => {
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
        }
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
            let p = delivery_sim::num::parse_decimal(v)
                .filter(|p| (0.0..=100.0).contains(p))
                .ok_or("not a percentage from 0 to 100")?;
            let slot = if key == "rl" {
                &mut sc.network.request_loss
            } else {
                &mut sc.network.response_loss
            };
            *slot = p / 100.0;
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
            let id = dec(v)
                .ok()
                .filter(|id| delivery_sim::exercise::is_id(id))
                .ok_or("not an exercise name")?;
            // A link that names only the exercise opens it at its start; one that also
            // holds a scenario is someone's work in progress and keeps it.
            const VIEW: [&str; 5] = ["ex", "lang", "theme", "embed", "autoplay"];
            s.exercise_fresh = pairs.iter().all(|(k, _)| VIEW.contains(k));
            s.doc.exercise = Some(id);
        }
        _ => {}
    }
    Ok(())
}

/// `story`: the story's scenario, step and lanes, which the rest of the link changes.
fn read_story(s: &mut State, v: &str) -> Result<(), String> {
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
fn read_names(sc: &mut Scenario, story: Story, v: &str) -> Result<(), String> {
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
fn read_keys(sc: &mut Scenario, v: &str) -> Result<(), String> {
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
fn read_lane_settings(s: &mut State, key: &str, v: &str, problems: &mut Vec<String>) {
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
fn read_lanes(s: &mut State, v: &str) -> Result<(), String> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn defaults() -> Defaults {
        Defaults {
            lang: Lang::En,
            dark: false,
        }
    }

    #[test]
    fn the_default_view_has_a_short_link() {
        let q = encode(&Doc::default());
        assert_eq!(q, "lang=en&theme=light");
        let (back, problems) = decode(&q, defaults());
        assert!(problems.is_empty());
        assert_eq!(back, State::default());
    }

    #[test]
    fn a_hand_written_link_reads() {
        let (s, problems) = decode(
            "m=A,B,C,D&f=req.B.1,ack.D.2,down.100.200&l1=acks:1,retries:0&lang=ko&theme=dark&step=3",
            defaults(),
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(s.doc.scenario.messages.len(), 4);
        assert_eq!(
            s.doc.scenario.faults[1],
            Fault::DropResponse { msg: 3, attempt: 2 }
        );
        assert_eq!(s.doc.lanes[1].settings.get("acks"), Some("1"));
        assert_eq!((s.doc.lang, s.doc.dark, s.doc.step), (Lang::Ko, true, 3));
    }

    #[test]
    fn bad_parts_are_named_and_the_rest_kept() {
        let (s, problems) = decode(
            "lat=abc&f=req.Z.1,ack.B.2&l0=ack:all,retries:0&lang=fr&wat=1&seed=42",
            defaults(),
        );
        assert_eq!(s.doc.scenario.seed, 42);
        assert_eq!(
            s.doc.scenario.faults,
            [Fault::DropResponse { msg: 1, attempt: 2 }]
        );
        assert_eq!(s.doc.lanes[0].settings.get("retries"), Some("0"));
        let all = problems.join("\n");
        for want in [
            "`lat=abc`",
            "message `Z`",
            #[cfg(not(feature = "embed"))]
            "did you mean `acks`?",
            "`lang=fr`",
            "unknown parameter `wat`",
        ] {
            assert!(all.contains(want), "missing {want} in {all}");
        }
        // The embed page opens a key it does not model in the app, which names it.
        assert_eq!(s.doc.scenario.needs_full_engine(), cfg!(feature = "embed"));
    }

    #[cfg(feature = "workshop")]
    #[test]
    fn an_exercise_link_opens_fresh_unless_it_holds_work() {
        let (s, problems) = decode("ex=03-store-b-once&lang=ko", defaults());
        assert!(problems.is_empty());
        assert_eq!(s.doc.exercise.as_deref(), Some("03-store-b-once"));
        assert!(s.exercise_fresh);
        let (s, _) = decode("ex=03-store-b-once&f=ack.B.1&lanes=1", defaults());
        assert!(
            !s.exercise_fresh,
            "a link with a scenario is work in progress"
        );
        let (s, problems) = decode("ex=../../etc&m=A,B", defaults());
        assert_eq!(s.doc.exercise, None);
        assert_eq!(problems, ["`ex=../../etc`: not an exercise name"]);
        assert_eq!(s.doc.scenario.messages, ["A", "B"], "the rest is kept");
    }

    #[test]
    fn an_oversized_link_is_cut_and_said() {
        let q = format!("seed=5&{}", "x=1&".repeat(2_500));
        let (s, problems) = decode(&q, defaults());
        assert_eq!(s.doc.scenario.seed, 5);
        assert!(problems[0].contains("characters"));
    }

    #[test]
    fn names_with_spaces_commas_and_64_characters_survive_a_link() {
        let mut s = State::default();
        let long = "x".repeat(64);
        s.doc.scenario.messages =
            vec!["order 1".into(), "a,b".into(), long.clone(), "가 나".into()];
        s.doc.scenario.faults = vec![Fault::DropResponse { msg: 1, attempt: 1 }];
        let (back, problems) = decode(&encode(&s.doc), defaults());
        assert_eq!(problems, Vec::<String>::new());
        assert_eq!(back.doc.scenario.messages, s.doc.scenario.messages);
        assert_eq!(back.doc.scenario.faults, s.doc.scenario.faults);
        // One character more than the engine takes is named, and the rest of the link kept.
        let (back, problems) = decode(&format!("m=A,{}&seed=9", "x".repeat(65)), defaults());
        assert!(
            problems[0].contains("must have 1 to 64 characters"),
            "{problems:?}"
        );
        assert_eq!(back.doc.scenario.seed, 9);
    }

    #[test]
    fn a_lane_named_twice_is_shown_once() {
        let (s, problems) = decode("lanes=0,1,0,2,1", defaults());
        assert_eq!(s.doc.visible, [0, 1, 2]);
        assert!(problems.is_empty());
    }

    #[test]
    fn the_message_for_a_bad_fault_names_every_kind() {
        let tokens = FaultKind::ALL.map(FaultKind::token).join(", ");
        let (_, problems) = decode("f=oops.B.1", defaults());
        assert!(problems[0].contains(&format!("({tokens})")), "{problems:?}");
    }

    /// The partitions story's keys come with it and follow its messages by name; the link
    /// names them only when they differ.
    #[cfg(feature = "partitions")]
    #[test]
    fn the_partitions_story_link_carries_its_keys_only_when_changed() {
        let (s, problems) = decode("story=7&lang=en", defaults());
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(encode(&s.doc), "story=7&lang=en&theme=light");
        let (s, _) = decode("story=7&m=D,A,X", defaults());
        let k = |k: &str| Some(k.to_string());
        assert_eq!(s.doc.scenario.keys, [k("k2"), k("k1"), None]);
        assert!(!encode(&s.doc).contains("keys"), "{}", encode(&s.doc));
        let (s, _) = decode("story=7&keys=", defaults());
        assert!(s.doc.scenario.keys.is_empty());
        assert!(encode(&s.doc).contains("&keys=&"), "{}", encode(&s.doc));
    }

    #[cfg(feature = "partitions")]
    #[test]
    fn a_link_names_partitions_keys_and_sizes() {
        let (s, problems) = decode("m=A,B,C&parts=3&keys=k1,,.&bytes=100,2000,1", defaults());
        assert!(problems.is_empty(), "{problems:?}");
        let sc = &s.doc.scenario;
        assert_eq!(sc.partitions, 3);
        assert_eq!(sc.keys, [Some("k1".into()), None, Some(String::new())]);
        assert_eq!(sc.sizes, [100, 2000, 1]);
        assert_eq!(decode(&encode(&s.doc), defaults()).0.doc, s.doc);
        let (s, problems) = decode("m=A,B&keys=a,b,c&parts=0&bytes=5", defaults());
        assert_eq!(s.doc.scenario.partitions, 1);
        assert!(s.doc.scenario.keys.is_empty() && s.doc.scenario.sizes.is_empty());
        let all = problems.join("\n");
        assert!(all.contains("3 keys for 2 messages"), "{all}");
        assert!(all.contains("from 1 to 64"), "{all}");
        assert!(all.contains("1 sizes for 2 messages"), "{all}");
    }

    #[test]
    fn a_long_link_of_korean_text_is_cut_between_characters() {
        // 3,000 three-byte characters: MAX_QUERY falls inside one of them.
        let q = format!("m=A,B&lang=ko&k={}", "가".repeat(3_000));
        assert!(!q.is_char_boundary(MAX_QUERY));
        let (s, problems) = decode(&q, defaults());
        assert_eq!(s.doc.scenario.messages, ["A", "B"]);
        assert!(problems[0].contains("characters"), "{problems:?}");
    }

    #[cfg(txn)]
    #[test]
    fn transactions_are_in_the_link_and_a_bad_cut_is_named() {
        let q = "m=A,B,C&tx=2c,1n&coord=300&lanes=2,3&l3=transactional.id:app-1";
        let (s, problems) = decode(q, defaults());
        assert!(problems.is_empty(), "{problems:?}");
        let sc = &s.doc.scenario;
        assert_eq!(sc.transactions.len(), 2);
        assert_eq!((sc.transactions[1].first, sc.transactions[1].len), (2, 1));
        assert_eq!(sc.transactions[1].end.name(), "none");
        assert_eq!(sc.broker.coordinator_ms, 300);
        assert_eq!(s.doc.visible, [2, 3]);
        assert_eq!(
            s.doc.lanes[3].settings.get("transactional.id"),
            Some("app-1")
        );
        let back = encode(&s.doc);
        assert!(
            back.contains("tx=2c,1n") && back.contains("coord=300"),
            "{back}"
        );
        for (bad, why) in [
            ("tx=2c", "hold 2 messages, not 3"),
            ("tx=1n,2c", "only the last"),
            ("tx=3x", "c, a or n"),
            ("tx=0c,3c", "1 message or more"),
            ("tx=2가", "c, a or n"),
            ("tx=1c,2%EA%B0%80", "c, a or n"),
        ] {
            let (s, problems) = decode(&format!("m=A,B,C&{bad}"), defaults());
            assert!(s.doc.scenario.transactions.is_empty(), "{bad}");
            assert!(
                problems.len() == 1 && problems[0].contains(why),
                "{bad}: {problems:?}"
            );
        }
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod props {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn decoding_anything_never_panics(q in "\\PC{0,300}") {
                let _ = decode(&q, defaults());
            }

            #[test]
            fn decoding_any_transactions_or_lanes_never_panics(v in "\\PC{0,40}") {
                let _ = decode(&format!("m=A,B,C&tx={v}&lanes={v}&coord={v}&l3={v}"), defaults());
            }

            #[test]
            fn decoding_mangled_links_never_panics(cut in 0usize..200, junk in "[%.,:&=a-zA-Z0-9]{0,12}") {
                let base = "story=1&m=A,B%2CC,D&f=req.B.1,delay.D.2.500,failover.30&l2=acks:all,enable.idempotence:true&rl=2.5&step=2";
                let cut = cut.min(base.len());
                let _ = decode(&format!("{}{}{}", &base[..cut], junk, &base[cut..]), defaults());
            }

            #[test]
            fn encode_then_decode_is_identity(
                // The engine's rule: any characters, 1 to 64 of them (spaces and commas too).
                names in prop::collection::vec("[A-Za-z0-9가-힣.,: %&=+#/-]{1,64}", 1..6),
                seed in 0u64..1_000_000,
                net in (0u64..1000, 0u64..100, 0u32..100, 0u32..100, 0u64..5000),
                broker in (1u32..=5, 0u64..1000, 1u32..4, any::<bool>(), 1u64..60_000, 1u64..60_000),
                story in 0usize..Story::ALL.len(),
                step in prop::option::of(0usize..50),
                range in prop::option::of((0usize..20, prop::option::of(20usize..60))),
                visible in prop::sample::subsequence(vec![0usize, 1, 2, 3], 1..=4),
                flags in (any::<bool>(), any::<bool>(), any::<bool>(), any::<bool>()),
                retries in prop::option::of(0u32..10),
                faults in prop::collection::vec((0usize..FaultKind::ALL.len(), 1u32..4, 0u64..100_000, 0usize..3), 0..4),
                ex in prop::option::of("[a-z0-9-]{1,20}"),
                txn in (prop::collection::vec((1usize..4, 0usize..3), 0..5), 0u64..=60_000),
                topic in (1u32..=64, prop::collection::vec(prop::option::of("[A-Za-z0-9가-힣.,: %&=+#/-]{0,20}"), 6), prop::collection::vec(1u32..=1_000_000, 6), any::<bool>()),
            ) {
                // Every field of the document a link carries, none left at its default.
                let (ko, dark, embed, sync) = flags;
                let mut names = names;
                names.sort();
                names.dedup();
                let mut d = Doc {
                    story: Story::ALL[story],
                    ..Doc::default()
                };
                d.scenario = d.story.scenario();
                if let Ok(n) = crate::state::check_names(names) {
                    d.scenario.messages = n;
                    // Every kind of fault, with its numbers: one vocabulary for links.
                    d.scenario.faults = faults
                        .iter()
                        .map(|&(k, attempt, ms, e)| {
                            let like = Fault::ErrorResponse {
                                msg: d.scenario.messages.len() - 1,
                                attempt,
                                error: KafkaError::SCRIPTABLE[e],
                            };
                            match FaultKind::ALL[k].like(&like) {
                                Fault::DelayResponse { msg, attempt, .. } => Fault::DelayResponse { msg, attempt, ms },
                                Fault::LeaderFailover { .. } => Fault::LeaderFailover { at_ms: ms },
                                Fault::ReplicaDown { .. } => Fault::ReplicaDown { replica: attempt, from_ms: ms, to_ms: ms + 1 },
                                Fault::ReplicaSlow { .. } => Fault::ReplicaSlow { replica: attempt, extra_ms: ms },
                                f => f,
                            }
                        })
                        .collect();
                }
                d.scenario.seed = seed;
                let (lat, jit, request_loss, response_loss, gap) = net;
                d.scenario.network.latency_ms = lat;
                d.scenario.network.jitter_ms = jit;
                d.scenario.network.request_loss = request_loss as f64 / 100.0;
                d.scenario.network.response_loss = response_loss as f64 / 100.0;
                d.scenario.interval_ms = gap;
                d.scenario.sync = sync;
                d.scenario.broker.replicas = broker.0;
                d.scenario.broker.replication_ms = broker.1;
                // The replicas' settings and faults, which the embed page does not hold (a link
                // with replicas leaves it for the app).
                #[cfg(feature = "embed")]
                {
                    d.scenario.faults.retain(|f| !f.replicated());
                    // The topic's settings open the view in the app.
                    let _ = topic;
                }
                #[cfg(not(feature = "embed"))]
                {
                    d.scenario.broker.min_insync = broker.2;
                    d.scenario.broker.unclean = broker.3;
                    d.scenario.broker.lag_max_ms = broker.4;
                    d.scenario.broker.session_timeout_ms = broker.5;
                    // The topic: partitions, each message's key (the empty key too) and size.
                    let (parts, keys, sizes, sized) = topic;
                    #[cfg(feature = "partitions")]
                    {
                        let n = d.scenario.messages.len();
                        d.scenario.partitions = parts;
                        d.scenario.keys = if keys[..n].iter().any(Option::is_some) {
                            keys[..n].to_vec()
                        } else {
                            Vec::new()
                        };
                        d.scenario.sizes = if sized { sizes[..n].to_vec() } else { Vec::new() };
                    }
                    #[cfg(not(feature = "partitions"))]
                    let _ = (parts, keys, sizes, sized);
                    for f in &d.scenario.faults {
                        let needed = match *f {
                            Fault::LeaderFailover { .. } => 2,
                            Fault::ReplicaDown { replica, .. } | Fault::ReplicaSlow { replica, .. } => replica + 1,
                            _ => 1,
                        };
                        d.scenario.broker.replicas = d.scenario.broker.replicas.max(needed);
                    }
                }
                d.step = step.unwrap_or(usize::MAX);
                if let Some((from, to)) = range {
                    d.range = (from, to.unwrap_or(usize::MAX));
                }
                // The lanes this page has (a fourth with transactions).
                d.visible = visible.into_iter().filter(|&v| v < d.lanes.len()).collect();
                if d.visible.is_empty() {
                    d.visible = vec![0];
                }
                // The application's transactions: cut into pieces of 1 to 3 messages (the last
                // piece takes the rest), each ending any way (only the last may stay open);
                // a coordinator that answers late; the transactional lane's settings.
                #[cfg(txn)]
                {
                    use delivery_sim::scenario::{Transaction, TxnEnd};
                    let (cuts, coordinator_ms) = txn;
                    let n = d.scenario.messages.len();
                    d.scenario.transactions.clear();
                    let mut first = 0;
                    for (i, &(len, end)) in cuts.iter().enumerate() {
                        if first == n {
                            break;
                        }
                        let len = if i + 1 == cuts.len() { n - first } else { len.min(n - first) };
                        let end = [TxnEnd::Commit, TxnEnd::Abort, TxnEnd::None][end];
                        d.scenario.transactions.push(Transaction { first, len, end });
                        first += len;
                    }
                    if first != n {
                        d.scenario.transactions.clear();
                    }
                    let last = d.scenario.transactions.len().saturating_sub(1);
                    for t in &mut d.scenario.transactions[..last] {
                        if t.end == TxnEnd::None {
                            t.end = TxnEnd::Commit;
                        }
                    }
                    d.scenario.broker.coordinator_ms = coordinator_ms;
                    d.lanes[3].settings.set("transaction.timeout.ms", "15000");
                }
                #[cfg(not(txn))]
                let _ = txn;
                d.embed = embed;
                d.lang = if ko { Lang::Ko } else { Lang::En };
                d.dark = dark;
                if let Some(r) = retries {
                    d.lanes[1].settings.set("retries", &r.to_string());
                }
                #[cfg(feature = "workshop")]
                {
                    d.exercise = ex;
                }
                #[cfg(not(feature = "workshop"))]
                let _ = ex;
                let (back, problems) = decode(&encode(&d), defaults());
                prop_assert!(problems.is_empty(), "{:?}", problems);
                prop_assert_eq!(back.doc, d);
            }
        }
    }
}
