//! The page's state and every change to it, as one reducer (yew's function_todomvc pattern);
//! the workshop page keeps its own beside it (`Workshop`).

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

mod doc;
#[cfg(test)]
mod tests;
mod view;
#[cfg(feature = "workshop")]
mod workshop;
pub use doc::*;
#[cfg(feature = "workshop")]
pub use workshop::*;

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
            // starts afresh (the workshop's own state is in its own reducer).
            Action::Replace(doc, banner) => {
                return Rc::new(State {
                    doc: *doc,
                    banner,
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
