//! The readers of the link's parameters that are more than a number: the story, the messages,
//! their count, keys and sizes, a loss, each lane's settings and the lanes shown.

use super::decode::*;
use super::*;

/// `n`: numbered messages m0..m(N-1); faults on messages no longer there go, and transactions
/// that no longer add up to the messages.
pub(super) fn read_count(sc: &mut Scenario, v: &str) -> Result<(), String> {
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
pub(super) fn read_sizes(sc: &mut Scenario, v: &str) -> Result<(), String> {
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
pub(super) fn read_percent(v: &str) -> Result<f64, &'static str> {
    delivery_sim::num::parse_decimal(v)
        .filter(|p| (0.0..=100.0).contains(p))
        .ok_or("not a percentage from 0 to 100")
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
