//! The app's state and every change to it, as one reducer (yew's function_todomvc pattern).

use crate::i18n::Lang;
use crate::stories::Story;
#[cfg(feature = "workshop")]
use delivery_sim::exercise::Exercise;
#[cfg(txn)]
use delivery_sim::scenario::Transaction;
use delivery_sim::scenario::{first_duplicate, Fault, FaultKind, Scenario, MAX_NAME_CHARS};
use delivery_sim::{Preset, Settings};
use std::rc::Rc;
use yew::Reducible;

pub const SPEEDS: [f64; 5] = [0.25, 0.5, 1.0, 2.0, 4.0];
pub const SPEED_LABELS: [&str; 5] = ["0.25x", "0.5x", "1x", "2x", "4x"];
/// The UI's limit; the engine allows more through the CLI.
pub const MAX_UI_MESSAGES: usize = 1000;
/// How many lanes a page can show: the seed's three modes, and with transactions a fourth.
pub const LANES: usize = 4;

/// How many ways the controls offer to cut the messages into transactions: each message its
/// own (0); then all in one (1 to 3), or the others in one and the last alone (4 to 6), the
/// last transaction committed, aborted or never ended (every earlier one commits).
#[cfg(txn)]
pub const TXN_SHAPES: usize = 7;

/// The transactions shape `shape` gives `n` messages.
#[cfg(txn)]
pub fn txns_of(shape: usize, n: usize) -> Vec<Transaction> {
    use delivery_sim::scenario::TxnEnd;
    let mut out = Vec::new();
    if shape == 0 || shape >= TXN_SHAPES {
        return out;
    }
    let end = [TxnEnd::Commit, TxnEnd::Abort, TxnEnd::None][(shape - 1) % 3];
    let alone = usize::from(shape > 3 && n > 1);
    if alone == 1 {
        out.push(Transaction {
            first: 0,
            len: n - 1,
            end: TxnEnd::Commit,
        });
    }
    out.push(Transaction {
        first: (n - 1) * alone,
        len: n - (n - 1) * alone,
        end,
    });
    out
}

/// The shape of a scenario's transactions, if they have one (an imported scenario may not).
#[cfg(txn)]
pub fn txn_shape(txns: &[Transaction], n: usize) -> Option<usize> {
    (0..TXN_SHAPES).find(|&s| txns_of(s, n) == txns)
}

#[derive(Debug, Clone, PartialEq)]
pub struct Lane {
    pub preset: Preset,
    pub settings: Settings,
}

/// The part of a lane's diagram in view, in diagram units, with a margin (what is drawn), and
/// whether the reader scrolled it away from the playhead: then it stays while the playhead
/// does, and across a change to the run, which moves the playhead to the run's end but should
/// not take the reader away from the arrow just clicked.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Window {
    pub range: (f64, f64),
    /// The step shown (`State::step`) when the reader scrolled the playhead out of view.
    pub parked: Option<usize>,
}

/// What a link carries, and nothing else: `url::encode` writes all of it and `url::decode`
/// reads all of it back (the URL property test checks every field).
#[derive(Debug, Clone, PartialEq)]
pub struct Doc {
    pub lang: Lang,
    pub dark: bool,
    pub story: Story,
    /// Messages, network, broker and faults shared by every lane (its `producer` is unused).
    pub scenario: Scenario,
    pub lanes: Vec<Lane>,
    /// Which lanes are shown (embed mode can ask for fewer).
    pub visible: Vec<usize>,
    /// Shown inside another page (`?embed`): no page chrome.
    pub embed: bool,
    /// Playback position: an index into the steps (times, or the story's steps).
    pub step: usize,
    /// The steps playback keeps within (an embed can show part of a story): first and last.
    pub range: (usize, usize),
    /// The open workshop exercise, by id (`?ex=`).
    #[cfg(feature = "workshop")]
    pub exercise: Option<String>,
}

/// The page: the document a link carries, and how this reader is looking at it.
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub doc: Doc,
    pub playing: bool,
    pub speed: usize,
    /// The arrow or event-log row under the pointer or focus: (lane, request).
    pub focus: Option<(usize, u32)>,
    /// Messages about input that was ignored (from a link, an import).
    pub banner: Vec<String>,
    /// The banner's messages are about a file or an exercise, not the link (workshop page).
    #[cfg(feature = "workshop")]
    pub banner_not_link: bool,
    /// What was just copied to the clipboard ("link", "embed") and whether the browser took it,
    /// for a moment's feedback.
    pub copied: Option<(&'static str, bool)>,
    /// Per lane: the part of its diagram in view, drawn with a margin.
    pub windows: [Window; LANES],
    /// Per lane: whether its event log is open.
    pub events_open: [bool; LANES],
    /// Per lane: what a pasted producer.properties block had that was not taken.
    pub props_problems: [Vec<String>; LANES],
    /// The exercise was asked for by a link alone: its start is still to be set up once the
    /// exercises have loaded (a link with a scenario keeps that scenario: work in progress).
    #[cfg(feature = "workshop")]
    pub exercise_fresh: bool,
    /// The student asked for a check; from then on the goal is checked on every change.
    #[cfg(feature = "workshop")]
    pub checked: bool,
    /// The exercises, once asked for and loaded.
    #[cfg(feature = "workshop")]
    pub exercises: Exercises,
    /// The exercises this browser has solved (kept in localStorage).
    #[cfg(feature = "workshop")]
    pub solved: Rc<Vec<String>>,
}

/// The exercise list, as far as it has loaded.
#[cfg(feature = "workshop")]
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Exercises {
    #[default]
    NotLoaded,
    Loading,
    Ready(Rc<Vec<Rc<Exercise>>>),
    Failed,
}

#[cfg(feature = "workshop")]
impl Exercises {
    pub fn find(&self, id: &str) -> Option<Rc<Exercise>> {
        match self {
            Exercises::Ready(list) => list.iter().find(|e| e.id == id).cloned(),
            _ => None,
        }
    }
}

impl Default for Doc {
    fn default() -> Self {
        Doc {
            lang: Lang::En,
            dark: false,
            story: Story::SideBySide,
            scenario: Story::SideBySide.scenario(),
            lanes: Preset::LANES
                .iter()
                .map(|&preset| Lane {
                    preset,
                    settings: preset.settings(),
                })
                .collect(),
            visible: vec![0, 1, 2],
            embed: false,
            step: usize::MAX,
            range: (0, usize::MAX),
            #[cfg(feature = "workshop")]
            exercise: None,
        }
    }
}

impl Default for State {
    fn default() -> Self {
        State {
            doc: Doc::default(),
            playing: false,
            speed: 2,
            focus: None,
            banner: Vec::new(),
            #[cfg(feature = "workshop")]
            banner_not_link: false,
            copied: None,
            windows: [Window {
                range: (-400.0, 1200.0),
                parked: None,
            }; LANES],
            events_open: [false; LANES],
            props_problems: Default::default(),
            #[cfg(feature = "workshop")]
            exercise_fresh: false,
            #[cfg(feature = "workshop")]
            checked: false,
            #[cfg(feature = "workshop")]
            exercises: Exercises::NotLoaded,
            #[cfg(feature = "workshop")]
            solved: Rc::default(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    SetLang(Lang),
    SetDark(bool),
    SetStory(Story),
    SetMessages(Vec<String>),
    SetSync(bool),
    SetSeed(u64),
    SetLatency(u64),
    SetJitter(u64),
    SetRequestLoss(f64),
    SetResponseLoss(f64),
    SetReplicas(u32),
    #[cfg(feature = "partitions")]
    SetPartitions(u32),
    /// Each message's key, in message order (empty: none has one).
    #[cfg(feature = "partitions")]
    SetKeys(Vec<Option<String>>),
    SetReplicationMs(u64),
    SetMinIsr(u32),
    SetUnclean(bool),
    /// How the application cuts the messages into transactions (`TXN_SHAPES`).
    #[cfg(txn)]
    SetTransactions(usize),
    #[cfg(txn)]
    SetCoordinatorMs(u64),
    AddFault,
    SetFault(usize, Fault),
    RemoveFault(usize),
    /// A click on an arrow: an ACK is lost or delivered again; a request is lost, then turned
    /// down by the broker instead (a broker error), then left as it was.
    ToggleArrow {
        msg: usize,
        attempt: u32,
        response: bool,
    },
    SetLaneSettings(usize, Settings),
    ResetLane(usize),
    /// Move the playhead; `steps` is how many steps the current run has.
    Step {
        delta: isize,
        steps: usize,
    },
    GoTo(usize),
    /// Play or pause; playing from the end starts again from the beginning.
    TogglePlay {
        steps: usize,
    },
    /// Advance one step while playing; stops at the end.
    Tick {
        steps: usize,
    },
    SetSpeed(usize),
    Focus(Option<(usize, u32)>),
    /// A scenario imported or found by "break it" (the workshop page).
    #[cfg(feature = "workshop")]
    LoadScenario(Box<Scenario>),
    Replace(Box<Doc>, Vec<String>),
    #[cfg(feature = "workshop")]
    Banner(Vec<String>),
    DismissBanner,
    Copied(&'static str, bool),
    Scrolled(usize, Window),
    EventsOpen(usize, bool),
    PropertiesProblems(usize, Vec<String>),
    /// Open an exercise with its start (or, `true`, its solution) in its lane.
    #[cfg(feature = "workshop")]
    OpenExercise(Rc<Exercise>, bool),
    #[cfg(feature = "workshop")]
    CloseExercise,
    #[cfg(feature = "workshop")]
    Check,
    #[cfg(feature = "workshop")]
    Exercises(Exercises),
    /// The open exercise's goal is met (recorded once, in the browser too).
    #[cfg(feature = "workshop")]
    Solved(String),
    #[cfg(feature = "workshop")]
    ResetProgress,
}

/// What one part of the reducer made of an action.
enum Done {
    /// Not this part's: the next part takes it.
    Pass(Action),
    /// Nothing changed: the same state, nothing redrawn.
    Same,
    /// How the reader looks at the run changed; the run did not.
    Shown,
    /// What runs changed: the new run is shown whole.
    Ran,
}

impl Reducible for State {
    type Action = Action;

    /// The action goes to the part of the state it is about: what runs (`Doc::edit`), how the
    /// reader looks at it (`State::view`), the workshop (`State::workshop`). Each is pure:
    /// storage, history and timers are the hooks' (`hooks.rs`).
    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        let action = match action {
            // Two actions replace the document as a whole.
            #[cfg(not(feature = "embed"))]
            Action::SetStory(story) => {
                s.doc.set_story(story);
                s.playing = false;
                return Rc::new(s);
            }
            // Back or forward: the document the address holds now; how the reader looks at it
            // starts afresh, but what the workshop loaded and recorded stays.
            Action::Replace(doc, banner) => {
                return Rc::new(State {
                    doc: *doc,
                    banner,
                    #[cfg(feature = "workshop")]
                    exercises: s.exercises,
                    #[cfg(feature = "workshop")]
                    solved: s.solved,
                    ..State::default()
                });
            }
            a => a,
        };
        let mut done = s.doc.edit(action);
        if let Done::Pass(a) = done {
            done = s.view(a);
        }
        #[cfg(feature = "workshop")]
        if let Done::Pass(a) = done {
            done = s.workshop(a);
        }
        match done {
            // (The embed page has no controls, header or settings: their actions never come,
            // and their arms are left out of its bundle.)
            Done::Pass(_) | Done::Same => self,
            Done::Shown => Rc::new(s),
            Done::Ran => {
                s.doc.step = usize::MAX;
                s.playing = false;
                // A view the reader scrolled to stays where it is: the new run is shown there.
                for w in &mut s.windows {
                    if w.parked.is_some() {
                        w.parked = Some(s.doc.step);
                    }
                }
                if s.doc.story != Story::SideBySide && s.doc.scenario != s.doc.story.scenario() {
                    // The story no longer matches what runs: narrate by time instead.
                    s.doc.story = Story::SideBySide;
                }
                Rc::new(s)
            }
        }
    }
}

impl Doc {
    /// A story, with its scenario and lanes: a lane as the old story set it takes the new
    /// story's settings (one the reader changed keeps them), and the story's lanes are shown
    /// unless the reader chose others.
    #[cfg(not(feature = "embed"))]
    fn set_story(&mut self, story: Story) {
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
    /// lane's settings.
    fn edit(&mut self, action: Action) -> Done {
        let sc = &mut self.scenario;
        match action {
            #[cfg(not(feature = "embed"))]
            Action::SetMessages(names) => {
                if names.is_empty() || names.len() > MAX_UI_MESSAGES {
                    return Done::Same;
                }
                // The transactions keep their shape over the new messages (an imported cut that
                // has none becomes one committed transaction each).
                #[cfg(txn)]
                {
                    let shape = txn_shape(&sc.transactions, sc.messages.len());
                    sc.transactions = shape.map_or(Vec::new(), |shape| txns_of(shape, names.len()));
                }
                let old = std::mem::replace(&mut sc.messages, names);
                // Faults follow their message by name; faults on removed messages go.
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
                // Keys and sizes follow their message by name too.
                #[cfg(feature = "partitions")]
                follow_names(sc, &old);
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

/// A click on an arrow: an ACK is lost or delivered again; a request is lost, then turned down
/// by the broker instead (a broker error), then left as it was.
fn toggle_arrow(faults: &mut Vec<Fault>, msg: usize, attempt: u32, response: bool) {
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

impl State {
    /// A change to how the reader looks at the run: language, theme, playback, focus, what
    /// is open, scrolled or said.
    fn view(&mut self, action: Action) -> Done {
        match action {
            #[cfg(not(feature = "embed"))]
            Action::SetLang(l) => self.doc.lang = l,
            #[cfg(not(feature = "embed"))]
            Action::SetDark(d) => self.doc.dark = d,
            Action::Step { delta, steps } => {
                let (lo, hi) = self.doc.bounds(steps);
                let cur = self.doc.index(steps) as isize;
                self.doc.step = (cur + delta).clamp(lo as isize, hi as isize) as usize;
                self.playing = false;
            }
            Action::GoTo(step) => self.doc.step = step,
            Action::TogglePlay { steps } => {
                let (lo, hi) = self.doc.bounds(steps);
                if !self.playing && self.doc.index(steps) >= hi {
                    self.doc.step = lo;
                }
                self.playing = !self.playing;
            }
            Action::Tick { steps } => {
                let hi = self.doc.bounds(steps).1;
                let cur = self.doc.index(steps);
                if cur >= hi {
                    self.playing = false;
                } else {
                    self.doc.step = cur + 1;
                }
            }
            Action::SetSpeed(i) => self.speed = i.min(SPEEDS.len() - 1),
            Action::Focus(f) => {
                if self.focus == f {
                    return Done::Same;
                }
                self.focus = f;
            }
            Action::DismissBanner => self.banner.clear(),
            #[cfg(not(feature = "embed"))]
            Action::Copied(what, ok) => self.copied = Some((what, ok)),
            Action::Scrolled(lane, w) => {
                if lane < LANES {
                    self.windows[lane] = w;
                }
            }
            #[cfg(not(feature = "embed"))]
            Action::EventsOpen(lane, open) => {
                if lane < LANES {
                    self.events_open[lane] = open;
                }
            }
            #[cfg(not(feature = "embed"))]
            Action::PropertiesProblems(lane, problems) => {
                if lane < LANES {
                    self.props_problems[lane] = problems;
                }
            }
            a => return Done::Pass(a),
        }
        Done::Shown
    }

    /// The workshop page's own actions: scenarios loaded, exercises opened, checked, solved.
    #[cfg(feature = "workshop")]
    fn workshop(&mut self, action: Action) -> Done {
        match action {
            Action::LoadScenario(sc) => {
                // A scenario cut into transactions shows the transactional lane too.
                #[cfg(txn)]
                if !sc.transactions.is_empty() && !self.doc.visible.contains(&3) {
                    self.doc.visible.push(3);
                }
                self.doc.scenario = *sc;
                self.doc.story = Story::SideBySide;
                return Done::Ran;
            }
            Action::Banner(lines) => {
                self.banner = lines;
                self.banner_not_link = true;
            }
            Action::OpenExercise(ex, solution) => {
                let lane = ex.lane.index();
                let sc = if solution { &ex.solution } else { &ex.start };
                self.checked = false;
                self.doc.exercise = Some(ex.id.clone());
                self.exercise_fresh = false;
                self.doc.scenario = sc.clone();
                self.doc.scenario.producer = Settings::default();
                self.doc.story = Story::SideBySide;
                for (i, l) in self.doc.lanes.iter_mut().enumerate() {
                    l.settings = if i == lane {
                        sc.producer.clone()
                    } else {
                        l.preset.settings()
                    };
                }
                self.doc.visible = vec![lane];
                self.doc.range = (0, usize::MAX);
                self.props_problems = Default::default();
                return Done::Ran;
            }
            Action::CloseExercise => {
                self.doc.exercise = None;
                self.checked = false;
                self.doc.visible = vec![0, 1, 2];
                return Done::Ran;
            }
            Action::Check => self.checked = true,
            Action::Exercises(e) => self.exercises = e,
            Action::Solved(id) => {
                if self.solved.contains(&id) {
                    return Done::Same;
                }
                let mut ids = (*self.solved).clone();
                ids.push(id);
                self.solved = Rc::new(ids);
            }
            Action::ResetProgress => self.solved = Rc::default(),
            a => return Done::Pass(a),
        }
        Done::Shown
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

#[cfg(test)]
mod tests {
    use super::*;

    fn reduce(s: State, a: Action) -> State {
        (*Rc::new(s).reduce(a)).clone()
    }

    /// An embed of a view loads the lightest page that runs it.
    #[test]
    fn a_view_is_embedded_from_the_page_that_runs_it() {
        let mut doc = Doc::default();
        assert_eq!(doc.page(), "embed/");
        doc.scenario.broker.replicas = 3;
        assert_eq!(doc.page(), "");
        #[cfg(feature = "partitions")]
        {
            doc.scenario.broker.replicas = 1;
            doc.scenario.partitions = 3;
            assert_eq!(doc.page(), "workshop/");
            doc.scenario.partitions = 1;
            doc.scenario.keys = vec![Some("k".into())];
            assert_eq!(doc.page(), "workshop/");
        }
    }

    #[test]
    fn a_change_to_the_run_keeps_a_view_the_reader_scrolled_to() {
        let mut s = State::default();
        s.doc.step = 7;
        s.windows[1] = Window {
            range: (1000.0, 2600.0),
            parked: Some(7),
        };
        let s = reduce(
            s,
            Action::ToggleArrow {
                msg: 0,
                attempt: 1,
                response: false,
            },
        );
        // The playhead goes to the new run's end; the parked view goes with it.
        assert_eq!(s.doc.step, usize::MAX);
        assert_eq!(s.windows[1].parked, Some(usize::MAX));
        assert_eq!(s.windows[1].range, (1000.0, 2600.0));
        // A view that followed the playhead still does.
        assert_eq!(s.windows[0].parked, None);
    }

    #[test]
    fn clicking_a_request_loses_it_then_makes_a_broker_error_then_restores_it() {
        let click = |s| {
            reduce(
                s,
                Action::ToggleArrow {
                    msg: 2,
                    attempt: 1,
                    response: false,
                },
            )
        };
        let s = State::default();
        let before = s.doc.scenario.faults.clone();
        let kinds = |s: &State| -> Vec<FaultKind> {
            s.doc
                .scenario
                .faults
                .iter()
                .filter(|f| f.target() == Some((2, 1)))
                .map(|f| f.kind())
                .collect()
        };
        let s = click(s);
        assert_eq!(kinds(&s), [FaultKind::DropRequest]);
        let s = click(s);
        assert_eq!(kinds(&s), [FaultKind::ErrorResponse]);
        let s = click(s);
        assert_eq!(s.doc.scenario.faults, before);
    }

    #[test]
    fn toggling_an_arrow_adds_then_removes_the_fault() {
        let s = State::default();
        let n = s.doc.scenario.faults.len();
        let s = reduce(
            s,
            Action::ToggleArrow {
                msg: 0,
                attempt: 1,
                response: true,
            },
        );
        assert_eq!(s.doc.scenario.faults.len(), n + 1);
        let s = reduce(
            s,
            Action::ToggleArrow {
                msg: 0,
                attempt: 1,
                response: true,
            },
        );
        assert_eq!(s.doc.scenario.faults.len(), n);
    }

    // The embed page's reducer has no arm for the controls' actions.
    #[cfg(not(feature = "embed"))]
    #[test]
    fn renaming_messages_keeps_faults_on_their_message() {
        let s = State::default();
        let s = reduce(s, Action::SetMessages(vec!["X".into(), "B".into()]));
        assert!(s
            .doc
            .scenario
            .faults
            .iter()
            .all(|f| f.target().map(|t| t.0) == Some(1)));
        let s = reduce(s, Action::SetMessages(vec!["X".into()]));
        assert!(s.doc.scenario.faults.is_empty());
    }

    #[test]
    fn steps_stay_in_range() {
        let s = State::default();
        let s = reduce(s, Action::Step { delta: 1, steps: 5 });
        assert_eq!(s.doc.step, 4);
        let s = reduce(
            s,
            Action::Step {
                delta: -10,
                steps: 5,
            },
        );
        assert_eq!(s.doc.step, 0);
        let s = reduce(s, Action::Tick { steps: 1 });
        assert!(!s.playing);
    }

    #[test]
    fn a_step_range_keeps_playback_inside_it() {
        let mut s = State::default();
        s.doc.range = (2, 4);
        s.doc.step = 0;
        assert_eq!(s.doc.index(10), 2);
        let s = reduce(
            s,
            Action::Step {
                delta: 5,
                steps: 10,
            },
        );
        assert_eq!(s.doc.step, 4);
        let s = reduce(s, Action::TogglePlay { steps: 10 });
        assert_eq!((s.doc.step, s.playing), (2, true));
        let s = reduce(s, Action::Tick { steps: 10 });
        let s = reduce(s, Action::Tick { steps: 10 });
        let s = reduce(s, Action::Tick { steps: 10 });
        assert_eq!((s.doc.step, s.playing), (4, false));
        assert_eq!(
            s.doc.bounds(3),
            (2, 2),
            "a range past the run's end shows its last step"
        );
    }

    #[test]
    fn names_are_checked() {
        assert_eq!(parse_names("A, B  C").unwrap(), ["A", "B", "C"]);
        assert!(parse_names("A A").unwrap_err().contains("twice"));
        assert!(parse_names(" , ").is_err());
        assert_eq!(names_for_count(30)[29], "m29");
        // What a message quotes back of a long paste is short, and cut between characters.
        let e = parse_names(&"가".repeat(100_000)).unwrap_err();
        assert_eq!(
            e,
            format!("`{}…` is longer than 16 characters", "가".repeat(24))
        );
    }
}
