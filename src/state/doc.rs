//! What runs: the document's edits, and message names read and checked.

use super::*;

impl Doc {
    /// A story, with its scenario and lanes: a lane as the old story set it takes the new
    /// story's settings (one the reader changed keeps them), and the story's lanes are shown
    /// unless the reader chose others.
    #[cfg(not(feature = "embed"))]
    pub(super) fn set_story(&mut self, story: Story) {
        for lane in &mut self.lanes {
            if lane.settings == self.story.settings(lane.preset) {
                lane.settings = story.settings(lane.preset);
            }
        }
        if self.visible == self.story.visible() {
            self.visible = story.visible();
        }
        self.story = story;
        self.scenario = story.scenario();
        self.step = story.first_step();
    }

    /// A change to what runs: the messages, network, broker, faults, transactions and each
    /// lane's settings. (A table with an arm an action; longer arms are functions.)
    pub(super) fn edit(&mut self, action: Action) -> Done {
        let sc = &mut self.scenario;
        match action {
            #[cfg(not(feature = "embed"))]
            Action::SetMessages(names) => {
                if names.is_empty() || names.len() > MAX_UI_MESSAGES {
                    return Done::Same;
                }
                set_messages(sc, names);
            }
            #[cfg(not(feature = "embed"))]
            Action::SetSync(v) => sc.sync = v,
            #[cfg(not(feature = "embed"))]
            Action::SetSeed(v) => sc.seed = v,
            #[cfg(not(feature = "embed"))]
            Action::SetLatency(v) => sc.network.latency_ms = v,
            #[cfg(not(feature = "embed"))]
            Action::SetJitter(v) => sc.network.jitter_ms = v,
            #[cfg(not(feature = "embed"))]
            Action::SetRequestLoss(v) => sc.network.request_loss = v,
            #[cfg(not(feature = "embed"))]
            Action::SetResponseLoss(v) => sc.network.response_loss = v,
            #[cfg(not(feature = "embed"))]
            Action::SetReplicas(v) => sc.broker.replicas = v,
            #[cfg(feature = "partitions")]
            Action::SetPartitions(v) => sc.partitions = v,
            #[cfg(feature = "partitions")]
            Action::SetKeys(keys) => {
                if keys.len() > sc.messages.len() {
                    return Done::Same;
                }
                sc.keys = keys;
            }
            #[cfg(not(feature = "embed"))]
            Action::SetReplicationMs(v) => sc.broker.replication_ms = v,
            #[cfg(not(feature = "embed"))]
            Action::SetMinIsr(v) => sc.broker.min_insync = v,
            #[cfg(not(feature = "embed"))]
            Action::SetUnclean(v) => sc.broker.unclean = v,
            #[cfg(txn)]
            Action::SetTransactions(shape) => {
                sc.transactions = txns_of(shape, sc.messages.len());
            }
            #[cfg(txn)]
            Action::SetCoordinatorMs(v) => sc.broker.coordinator_ms = v,
            #[cfg(not(feature = "embed"))]
            Action::AddFault => {
                let msg = sc.messages.len().min(2) - 1;
                sc.faults.push(Fault::DropResponse { msg, attempt: 1 });
            }
            #[cfg(not(feature = "embed"))]
            Action::SetFault(i, f) => {
                if let Some(slot) = sc.faults.get_mut(i) {
                    *slot = f;
                }
                if matches!(f, Fault::LeaderFailover { .. }) && sc.broker.replicas < 2 {
                    sc.broker.replicas = 2;
                }
            }
            #[cfg(not(feature = "embed"))]
            Action::RemoveFault(i) => {
                if i < sc.faults.len() {
                    sc.faults.remove(i);
                }
            }
            Action::ToggleArrow {
                msg,
                attempt,
                response,
            } => toggle_arrow(&mut sc.faults, msg, attempt, response),
            #[cfg(not(feature = "embed"))]
            Action::SetLaneSettings(lane, settings) => {
                if let Some(l) = self.lanes.get_mut(lane) {
                    l.settings = settings;
                }
            }
            #[cfg(not(feature = "embed"))]
            Action::ResetLane(lane) => {
                if let Some(l) = self.lanes.get_mut(lane) {
                    l.settings = l.preset.settings();
                }
            }
            a => return Done::Pass(a),
        }
        Done::Ran
    }
}

/// New messages. What was set for a message follows it by name: its faults (those of removed
/// messages go), its key and size; the transactions keep their shape (an imported cut that has
/// none becomes one committed transaction each).
#[cfg(not(feature = "embed"))]
fn set_messages(sc: &mut Scenario, names: Vec<String>) {
    #[cfg(txn)]
    {
        let shape = txn_shape(&sc.transactions, sc.messages.len());
        sc.transactions = shape.map_or(Vec::new(), |shape| txns_of(shape, names.len()));
    }
    let old = std::mem::replace(&mut sc.messages, names);
    let new = &sc.messages;
    let remap = |m: usize| {
        old.get(m)
            .and_then(|name| new.iter().position(|n| n == name))
    };
    sc.faults = sc
        .faults
        .iter()
        .filter_map(|f| match f.target() {
            Some((msg, attempt)) => Some(f.retarget(remap(msg)?, attempt)),
            None => Some(*f),
        })
        .collect();
    #[cfg(feature = "partitions")]
    follow_names(sc, &old);
}

/// A click on an arrow: an ACK is lost or delivered again; a request is lost, then turned down
/// by the broker instead (a broker error), then left as it was.
pub(super) fn toggle_arrow(faults: &mut Vec<Fault>, msg: usize, attempt: u32, response: bool) {
    let at = |kind: FaultKind| {
        let here = Some((msg, attempt));
        move |f: &Fault| f.kind() == kind && f.target() == here
    };
    let (first, then) = if response {
        (FaultKind::DropResponse, None)
    } else {
        (FaultKind::DropRequest, Some(FaultKind::ErrorResponse))
    };
    let like = Fault::DropRequest { msg, attempt };
    if let Some(i) = faults.iter().position(at(first)) {
        faults.remove(i);
        if let Some(next) = then {
            faults.push(next.like(&like));
        }
    } else if let Some(i) = then.and_then(|k| faults.iter().position(at(k))) {
        faults.remove(i);
    } else {
        faults.push(first.like(&like));
    }
}

/// The embed page (`embed/`, built with the `embed` feature) shows only what an embed shows.
/// Being a constant there, it lets the compiler leave the page header, the controls, the lane
/// settings and the event log out of that page's bundle.
pub const EMBED_PAGE: bool = cfg!(feature = "embed");

impl Doc {
    /// The page whose bundle runs this view, as `browser::embed_href` names it: the embed page,
    /// the app (replicas, batches) or the workshop page (partitions and keys).
    pub fn page(&self) -> &'static str {
        if self.scenario.partitioned() {
            "workshop/"
        } else if self.scenario.needs_full_engine() {
            ""
        } else {
            "embed/"
        }
    }

    /// Whether a lane shown runs transactions: then the page shows what consumers read and
    /// the transactions' controls.
    #[cfg(txn)]
    pub fn shows_transactions(&self) -> bool {
        self.visible.iter().any(|&i| {
            self.lanes
                .get(i)
                .is_some_and(|l| l.settings.get("transactional.id").is_some())
        })
    }

    /// Shown inside another page (the embed page, or `?embed` on this one): no page chrome.
    pub fn embedded(&self) -> bool {
        EMBED_PAGE || self.embed
    }

    /// The first and last step playback may show, for a run of `steps` steps.
    pub fn bounds(&self, steps: usize) -> (usize, usize) {
        let last = steps.saturating_sub(1);
        let hi = self.range.1.min(last);
        (self.range.0.min(hi), hi)
    }

    /// The step shown, kept within the bounds.
    pub fn index(&self, steps: usize) -> usize {
        let (lo, hi) = self.bounds(steps);
        self.step.clamp(lo, hi)
    }
}

/// Message names from what a user typed: separated by spaces or commas, at most 16 characters
/// each (what a diagram has room for; a scenario file or a link may hold longer ones).
pub fn parse_names(text: &str) -> Result<Vec<String>, String> {
    let names: Vec<String> = text
        .split([',', ' ', '\t', '\n'])
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(String::from)
        .collect();
    if let Some(long) = names.iter().find(|n| n.chars().count() > 16) {
        return Err(format!("`{}` is longer than 16 characters", clip(long)));
    }
    check_names(names)
}

pub use delivery_sim::scenario::clip;

/// Message names by the engine's rule: 1 to MAX_UI_MESSAGES of them, each of 1 to 64
/// characters (any: spaces and commas too), all different.
pub fn check_names(names: Vec<String>) -> Result<Vec<String>, String> {
    if names.is_empty() {
        return Err("give at least one message name".into());
    }
    if names.len() > MAX_UI_MESSAGES {
        return Err(format!("at most {MAX_UI_MESSAGES} messages"));
    }
    let bad = |n: &&String| n.is_empty() || n.chars().count() > MAX_NAME_CHARS;
    if let Some(n) = names.iter().find(bad) {
        return Err(format!(
            "`{}` must have 1 to {MAX_NAME_CHARS} characters",
            clip(n)
        ));
    }
    if let Some(n) = first_duplicate(&names) {
        return Err(format!("`{}` appears twice; names must be unique", clip(n)));
    }
    Ok(names)
}

/// After the messages were renamed (`old`: the names before), each keeps its key and size.
#[cfg(feature = "partitions")]
pub fn follow_names(sc: &mut Scenario, old: &[String]) {
    let was = |i: usize| old.iter().position(|n| *n == sc.messages[i]);
    if !sc.keys.is_empty() {
        let keys: Vec<Option<String>> = (0..sc.messages.len())
            .map(|i| was(i).and_then(|o| sc.keys.get(o).cloned().flatten()))
            .collect();
        sc.keys = if keys.iter().all(Option::is_none) {
            Vec::new()
        } else {
            keys
        };
    }
    if !sc.sizes.is_empty() {
        sc.sizes = (0..sc.messages.len())
            .map(|i| was(i).and_then(|o| sc.sizes.get(o).copied()).unwrap_or(100))
            .collect();
    }
}

/// Whether the names are m0, m1, ... in order (`names_for_count` of their count past 26), told
/// without making them: the address is written on every render, of 1,000 names too.
pub fn is_numbered(names: &[String]) -> bool {
    names.iter().enumerate().all(|(i, m)| {
        // `m` and the digits of `i`, read from the last.
        let (mut rest, mut n) = (m.as_bytes(), i);
        loop {
            match rest.split_last() {
                Some((&d, r)) if d == b'0' + (n % 10) as u8 => rest = r,
                _ => return false,
            }
            n /= 10;
            if n == 0 {
                return rest == b"m";
            }
        }
    })
}

/// Names for a count of messages: A..Z while they fit, m0..m(N-1) beyond.
pub fn names_for_count(n: usize) -> Vec<String> {
    if n <= 26 {
        (0..n)
            .map(|i| ((b'A' + i as u8) as char).to_string())
            .collect()
    } else {
        delivery_sim::scenario::numbered(n)
    }
}
