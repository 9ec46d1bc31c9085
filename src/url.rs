//! The whole view in the address: compact, readable, editable by hand. Decoding never fails:
//! what cannot be read is named and ignored, and the rest is kept.
//!
//! `?story=side&m=A,B,C&f=req.B.1,ack.B.2&seed=7&lat=10&l1=acks:1,retries:0&step=4&lang=ko`

use crate::browser::Defaults;
use crate::i18n::Lang;
use crate::state::{parse_names, Lane, State, MAX_UI_MESSAGES};
use crate::stories::Story;
use delivery_sim::scenario::{Fault, FaultKind, MAX_LATENCY_MS, MAX_REPLICAS, MAX_TIME_MS};
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

pub fn encode(s: &State) -> String {
    let mut q: Vec<String> = Vec::new();
    #[cfg(feature = "workshop")]
    if let Some(id) = &s.exercise {
        q.push(format!("ex={}", enc(id)));
    }
    let base = s.story.scenario();
    if s.story != Story::SideBySide {
        q.push(format!("story={}", s.story.code()));
    }
    let sc = &s.scenario;
    let n = sc.messages.len();
    if n > 26 && sc.messages == crate::state::names_for_count(n) {
        // m0..m(N-1) need only their count.
        q.push(format!("n={n}"));
    } else if sc.messages != base.messages {
        q.push(format!(
            "m={}",
            sc.messages
                .iter()
                .map(|n| enc(n))
                .collect::<Vec<_>>()
                .join(",")
        ));
    }
    if sc.faults != base.faults || sc.messages != base.messages {
        q.push(format!(
            "f={}",
            sc.faults
                .iter()
                .map(|f| fault_token(f, &sc.messages))
                .collect::<Vec<_>>()
                .join(",")
        ));
    }
    let nums: [(&str, u64, u64); 6] = [
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
    ];
    for (k, v, d) in nums {
        if v != d {
            q.push(format!("{k}={v}"));
        }
    }
    for (k, v) in [
        ("rl", sc.network.request_loss),
        ("al", sc.network.response_loss),
    ] {
        if v != 0.0 {
            q.push(format!("{k}={}", percent(v)));
        }
    }
    if !sc.sync {
        q.push("sync=0".into());
    }
    for (i, lane) in s.lanes.iter().enumerate() {
        if lane.settings != lane.preset.settings() {
            q.push(format!("l{i}={}", settings_token(&lane.settings)));
        }
    }
    if s.visible != [0, 1, 2] {
        q.push(format!(
            "lanes={}",
            s.visible
                .iter()
                .map(|v| v.to_string())
                .collect::<Vec<_>>()
                .join(",")
        ));
    }
    if s.range != (0, usize::MAX) {
        q.push(format!("from={}", s.range.0));
        if s.range.1 != usize::MAX {
            q.push(format!("to={}", s.range.1));
        }
    }
    if s.step != s.story.first_step() {
        if s.step == usize::MAX {
            q.push("step=end".into());
        } else {
            q.push(format!("step={}", s.step));
        }
    }
    if s.embed {
        q.push("embed".into());
    }
    q.push(format!("lang={}", s.lang.code()));
    q.push(format!("theme={}", if s.dark { "dark" } else { "light" }));
    q.join("&")
}

/// Loss as a percentage with at most two decimals: readable in the link.
fn percent(p: f64) -> String {
    delivery_sim::num::fmt_decimal(p * 100.0, 2)
}

/// At most 40 characters of what the link held, for a message.
fn shown(v: &str) -> String {
    v.chars().take(40).collect()
}

/// A whole number parameter, or `None` with the problem noted.
fn read_num(v: Option<&str>, key: &str, max: u64, problems: &mut Vec<String>) -> Option<u64> {
    let v = v?;
    match v.parse::<u64>() {
        Ok(n) if n <= max => Some(n),
        _ => {
            problems.push(format!(
                "`{key}={}`: not a number from 0 to {max}",
                shown(v)
            ));
            None
        }
    }
}

/// Reads a query string over the defaults. Returns the state and one line per thing ignored.
pub fn decode(query: &str, defaults: Defaults) -> (State, Vec<String>) {
    let mut s = State {
        lang: defaults.lang,
        dark: defaults.dark,
        ..State::default()
    };
    let mut problems = Vec::new();
    let mut query = query;
    if query.len() > MAX_QUERY {
        let cut = query[..MAX_QUERY]
            .rfind('&')
            .or_else(|| (0..=MAX_QUERY).rev().find(|&i| query.is_char_boundary(i)))
            .unwrap_or(0);
        problems.push(format!(
            "the link is {} characters; everything after the first {cut} was ignored",
            query.len()
        ));
        query = &query[..cut];
    }
    let mut pairs: Vec<(&str, &str)> = Vec::new();
    for p in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = p.split_once('=').unwrap_or((p, ""));
        pairs.push((k, v));
    }
    let get = |key: &str| pairs.iter().rev().find(|(k, _)| *k == key).map(|(_, v)| *v);

    if let Some(v) = get("story") {
        match Story::from_code(v) {
            Some(story) => {
                s.story = story;
                s.scenario = story.scenario();
                s.step = story.first_step();
            }
            None => problems.push(format!("`story={}`: not one of side, 1, 2, 3", shown(v))),
        }
    }
    if let Some(v) = get("m") {
        let names: Result<Vec<String>, String> = v.split(',').map(dec).collect();
        match names.and_then(|n| parse_names(&n.join(","))) {
            Ok(names) => {
                s.scenario.messages = names;
                // The story's faults name A, B, C; keep those that still have their message.
                let n = s.scenario.messages.len();
                let base = s.story.scenario();
                s.scenario.faults = base
                    .faults
                    .iter()
                    .filter(|f| {
                        f.target().is_none_or(|(m, _)| {
                            m < n && s.scenario.messages[m] == base.messages[m]
                        })
                    })
                    .copied()
                    .collect();
            }
            Err(e) => problems.push(format!("`m`: {e}")),
        }
    }
    if let Some(v) = get("n") {
        match v.parse::<usize>() {
            Ok(n) if (1..=MAX_UI_MESSAGES).contains(&n) => {
                s.scenario.messages = crate::state::names_for_count(n);
                s.scenario
                    .faults
                    .retain(|f| f.target().is_none_or(|(m, _)| m < n));
            }
            _ => problems.push(format!(
                "`n={}`: not a count from 1 to {MAX_UI_MESSAGES}",
                shown(v)
            )),
        }
    }
    if let Some(v) = get("f") {
        let mut faults = Vec::new();
        for token in v.split(',').filter(|t| !t.is_empty()) {
            match parse_fault(token, &s.scenario.messages) {
                Ok(f) => faults.push(f),
                Err(e) => problems.push(format!("fault `{}`: {e}", shown(token))),
            }
        }
        s.scenario.faults = faults;
    }
    // (key, largest value, where it goes)
    let numbers: [(&str, u64); 6] = [
        ("seed", 9_007_199_254_740_991),
        ("lat", MAX_LATENCY_MS),
        ("jit", MAX_LATENCY_MS),
        ("rep", MAX_REPLICAS as u64),
        ("repms", MAX_LATENCY_MS),
        ("gap", MAX_TIME_MS),
    ];
    for (i, (key, max)) in numbers.into_iter().enumerate() {
        let Some(v) = read_num(get(key), key, max, &mut problems) else {
            continue;
        };
        match i {
            0 => s.scenario.seed = v,
            1 => s.scenario.network.latency_ms = v,
            2 => s.scenario.network.jitter_ms = v,
            3 => s.scenario.broker.replicas = v.max(1) as u32,
            4 => s.scenario.broker.replication_ms = v,
            _ => s.scenario.interval_ms = v,
        }
    }
    if let Some(v) = read_num(get("from"), "from", 1_000_000, &mut problems) {
        s.range.0 = v as usize;
    }
    if let Some(v) = read_num(get("to"), "to", 1_000_000, &mut problems) {
        s.range.1 = v as usize;
    }
    if get("step") == Some("end") {
        s.step = usize::MAX;
    } else if let Some(v) = read_num(get("step"), "step", 1_000_000, &mut problems) {
        s.step = v as usize;
    }
    for (key, slot) in [("rl", 0), ("al", 1)] {
        if let Some(v) = get(key) {
            match delivery_sim::num::parse_decimal(v) {
                Some(p) if (0.0..=100.0).contains(&p) => {
                    if slot == 0 {
                        s.scenario.network.request_loss = p / 100.0;
                    } else {
                        s.scenario.network.response_loss = p / 100.0;
                    }
                }
                _ => problems.push(format!(
                    "`{key}={}`: not a percentage from 0 to 100",
                    shown(v)
                )),
            }
        }
    }
    if let Some(v) = get("sync") {
        match v {
            "0" | "false" => s.scenario.sync = false,
            "1" | "true" => s.scenario.sync = true,
            _ => problems.push(format!("`sync={}`: use 0 or 1", shown(v))),
        }
    }
    if s.scenario
        .faults
        .iter()
        .any(|f| matches!(f, Fault::LeaderFailover { .. }))
        && s.scenario.broker.replicas < 2
    {
        s.scenario.broker.replicas = 2;
    }
    for i in 0..s.lanes.len() {
        let Some(v) = get(&format!("l{i}")) else {
            continue;
        };
        let mut settings = Settings::default();
        for token in v.split(',').filter(|t| !t.is_empty()) {
            let Some((k, val)) = token.split_once(':') else {
                problems.push(format!("lane {i}: `{}` is not key:value", shown(token)));
                continue;
            };
            let val = match dec(val) {
                Ok(val) => val,
                Err(e) => {
                    problems.push(format!("lane {i}: `{}`: {e}", shown(k)));
                    continue;
                }
            };
            // Unknown keys are named with a suggestion and left out.
            let mut probe = Settings::default();
            probe.set(k, "0");
            match probe.resolve() {
                Err(e) if e.contains("is not a producer config") => {
                    problems.push(format!("lane {i}: {e}"))
                }
                _ => settings.set(k, &val),
            }
        }
        s.lanes[i] = Lane {
            preset: s.lanes[i].preset,
            settings,
        };
    }
    if let Some(v) = get("lanes") {
        let lanes: Vec<usize> = v
            .split(',')
            .filter_map(|x| x.parse().ok())
            .filter(|&x| x < 3)
            .collect();
        let mut uniq = lanes.clone();
        uniq.dedup();
        if uniq.is_empty() {
            problems.push(format!("`lanes={}`: name lanes 0, 1 or 2", shown(v)));
        } else {
            s.visible = uniq;
        }
    }
    if let Some(v) = get("lang") {
        match Lang::from_code(v) {
            Some(l) => s.lang = l,
            None => problems.push(format!("`lang={}`: use ko or en", shown(v))),
        }
    }
    if let Some(v) = get("theme") {
        match v {
            "dark" => s.dark = true,
            "light" => s.dark = false,
            _ => problems.push(format!("`theme={}`: use dark or light", shown(v))),
        }
    }
    s.embed = pairs.iter().any(|(k, _)| *k == "embed");
    if let Some(v) = get("autoplay") {
        if v != "0" {
            s.playing = true;
            if s.step == usize::MAX {
                s.step = 0;
            }
        }
    }
    #[cfg(feature = "workshop")]
    if let Some(v) = get("ex") {
        match dec(v) {
            Ok(id) if delivery_sim::exercise::is_id(&id) => {
                // A link that names only the exercise opens it at its start; one that also
                // holds a scenario is someone's work in progress and keeps it.
                const VIEW: [&str; 5] = ["ex", "lang", "theme", "embed", "autoplay"];
                s.exercise_fresh = pairs.iter().all(|(k, _)| VIEW.contains(k));
                s.exercise = Some(id);
            }
            _ => problems.push(format!("`ex={}`: not an exercise name", shown(v))),
        }
    }
    const KNOWN: [&str; 25] = [
        "story", "m", "n", "f", "seed", "lat", "jit", "rep", "repms", "gap", "step", "rl", "al",
        "sync", "l0", "l1", "l2", "lanes", "lang", "theme", "autoplay", "from", "to", "embed",
        "ex",
    ];
    for (k, _) in &pairs {
        if !KNOWN.contains(k) {
            problems.push(format!("unknown parameter `{}`", shown(k)));
        }
    }
    (s, problems)
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
        let q = encode(&State::default());
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
        assert_eq!(s.scenario.messages.len(), 4);
        assert_eq!(
            s.scenario.faults[1],
            Fault::DropResponse { msg: 3, attempt: 2 }
        );
        assert_eq!(s.lanes[1].settings.get("acks"), Some("1"));
        assert_eq!((s.lang, s.dark, s.step), (Lang::Ko, true, 3));
    }

    #[test]
    fn bad_parts_are_named_and_the_rest_kept() {
        let (s, problems) = decode(
            "lat=abc&f=req.Z.1,ack.B.2&l0=ack:all,retries:0&lang=fr&wat=1&seed=42",
            defaults(),
        );
        assert_eq!(s.scenario.seed, 42);
        assert_eq!(
            s.scenario.faults,
            [Fault::DropResponse { msg: 1, attempt: 2 }]
        );
        assert_eq!(s.lanes[0].settings.get("retries"), Some("0"));
        let all = problems.join("\n");
        for want in [
            "`lat=abc`",
            "message `Z`",
            "did you mean `acks`?",
            "`lang=fr`",
            "unknown parameter `wat`",
        ] {
            assert!(all.contains(want), "missing {want} in {all}");
        }
    }

    #[cfg(feature = "workshop")]
    #[test]
    fn an_exercise_link_opens_fresh_unless_it_holds_work() {
        let (s, problems) = decode("ex=03-store-b-once&lang=ko", defaults());
        assert!(problems.is_empty());
        assert_eq!(s.exercise.as_deref(), Some("03-store-b-once"));
        assert!(s.exercise_fresh);
        let (s, _) = decode("ex=03-store-b-once&f=ack.B.1&lanes=1", defaults());
        assert!(
            !s.exercise_fresh,
            "a link with a scenario is work in progress"
        );
        let (s, problems) = decode("ex=../../etc&m=A,B", defaults());
        assert_eq!(s.exercise, None);
        assert_eq!(problems, ["`ex=../../etc`: not an exercise name"]);
        assert_eq!(s.scenario.messages, ["A", "B"], "the rest is kept");
    }

    #[test]
    fn an_oversized_link_is_cut_and_said() {
        let q = format!("seed=5&{}", "x=1&".repeat(2_500));
        let (s, problems) = decode(&q, defaults());
        assert_eq!(s.scenario.seed, 5);
        assert!(problems[0].contains("characters"));
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
            fn decoding_mangled_links_never_panics(cut in 0usize..200, junk in "[%.,:&=a-zA-Z0-9]{0,12}") {
                let base = "story=1&m=A,B%2CC,D&f=req.B.1,delay.D.2.500,failover.30&l2=acks:all,enable.idempotence:true&rl=2.5&step=2";
                let cut = cut.min(base.len());
                let _ = decode(&format!("{}{}{}", &base[..cut], junk, &base[cut..]), defaults());
            }

            #[test]
            fn encode_then_decode_is_identity(
                names in prop::collection::vec("[A-Za-z0-9가-힣.,: %&=]{1,6}", 1..6),
                seed in 0u64..1_000_000,
                lat in 0u64..1000,
                loss in 0u32..100,
                story in 0usize..4,
                step in prop::option::of(0usize..50),
                ko in any::<bool>(),
                dark in any::<bool>(),
                retries in prop::option::of(0u32..10),
                faults in prop::collection::vec((0usize..8, 1u32..4, 0u64..100_000, 0usize..3), 0..4),
                ex in prop::option::of("[a-z0-9-]{1,20}"),
            ) {
                let mut names = names;
                names.dedup();
                let mut s = State::default();
                s.story = Story::ALL[story];
                s.scenario = s.story.scenario();
                if let Ok(n) = parse_names(&names.iter().map(|n| n.replace([',', ' '], "_")).collect::<Vec<_>>().join(",")) {
                    s.scenario.messages = n;
                    // Every kind of fault, with its numbers: one vocabulary for links.
                    s.scenario.faults = faults
                        .iter()
                        .map(|&(k, attempt, ms, e)| {
                            let like = Fault::ErrorResponse {
                                msg: s.scenario.messages.len() - 1,
                                attempt,
                                error: KafkaError::SCRIPTABLE[e],
                            };
                            match FaultKind::ALL[k].like(&like) {
                                Fault::DelayResponse { msg, attempt, .. } => Fault::DelayResponse { msg, attempt, ms },
                                Fault::LeaderFailover { .. } => Fault::LeaderFailover { at_ms: ms },
                                f => f,
                            }
                        })
                        .collect();
                    if s.scenario.faults.iter().any(|f| matches!(f, Fault::LeaderFailover { .. })) {
                        s.scenario.broker.replicas = 2;
                    }
                }
                s.scenario.seed = seed;
                s.scenario.network.latency_ms = lat;
                s.scenario.network.response_loss = loss as f64 / 100.0;
                s.step = step.unwrap_or(usize::MAX);
                s.lang = if ko { Lang::Ko } else { Lang::En };
                s.dark = dark;
                if let Some(r) = retries {
                    s.lanes[1].settings.set("retries", &r.to_string());
                }
                #[cfg(feature = "workshop")]
                {
                    s.exercise = ex;
                }
                #[cfg(not(feature = "workshop"))]
                let _ = ex;
                let (back, problems) = decode(&encode(&s), defaults());
                prop_assert!(problems.is_empty(), "{:?}", problems);
                // Whether the exercise's start is still to be set up is read, never written.
                #[cfg(feature = "workshop")]
                let back = State { exercise_fresh: false, ..back };
                prop_assert_eq!(back, s);
            }
        }
    }
}
