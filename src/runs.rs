//! Every lane run on the shared scenario and laid out on one time axis, and where playback
//! stands in it: what the components draw, computed from the state alone.

use crate::layout::{layout, Axis, Diagram};
use crate::state::State;
use crate::stories::locate;
use delivery_sim::{simulate_with, Trace};
use std::rc::Rc;

/// A shared value compared by identity: cheap props for big, immutable data.
pub struct Shared<T>(pub Rc<T>);

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(self.0.clone())
    }
}

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> std::ops::Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// One lane's run: its trace and drawing, or why it cannot run; an empty reason if it was not
/// run, as no reader looks at it (`looked_at`).
pub type LaneRun = Result<(Trace, Diagram), String>;

pub struct Runs {
    pub lanes: Vec<LaneRun>,
    pub axis: Axis,
}

/// The lanes a reader looks at: those shown, and those the story's steps are about (a step may
/// be about a lane not shown); on the workshop page all of them (an exercise checks its lane,
/// shown or not), and on the embed page too (its three lanes are mostly all shown, and the
/// choosing cost its bundle bytes it does not have). A lane nobody looks at is not run: the
/// transactional lane, hidden by default, cost about 5 ms of every change to a view of 1,000
/// messages.
fn looked_at(doc: &crate::state::Doc) -> [bool; crate::state::LANES] {
    if cfg!(any(feature = "workshop", feature = "embed")) {
        return [true; crate::state::LANES];
    }
    let mut seen = [false; crate::state::LANES];
    let mut see = |i: usize| {
        if let Some(s) = seen.get_mut(i) {
            *s = true;
        }
    };
    doc.visible.iter().for_each(|&i| see(i));
    if let Some(lane) = doc.story.lane() {
        see(lane);
        doc.story
            .steps()
            .iter()
            .for_each(|s| see(s.find.lane(lane).0));
    }
    seen
}

pub fn run_all(state: &State) -> Runs {
    let doc = &state.doc;
    let looked_at = looked_at(doc);
    let traces: Vec<Result<Trace, String>> = doc
        .lanes
        .iter()
        .enumerate()
        .map(|(i, lane)| {
            if looked_at[i] {
                simulate_with(&doc.scenario, &lane.settings)
            } else {
                Err(String::new())
            }
        })
        .collect();
    let visible: Vec<&Trace> = state
        .doc
        .visible
        .iter()
        .filter_map(|&i| traces.get(i).and_then(|t| t.as_ref().ok()))
        .collect();
    let axis = Axis::new(&visible);
    let lanes = traces
        .into_iter()
        .map(|t| {
            t.map(|t| {
                let d = layout(&t, &axis);
                (t, d)
            })
        })
        .collect();
    Runs { lanes, axis }
}

/// Where playback stands: the time shown, and the story step's request to highlight.
#[derive(Debug, Clone, PartialEq)]
pub struct Position {
    pub steps: usize,
    pub index: usize,
    pub t: u64,
    /// The story step's arrow: (lane, request, is the response).
    pub highlight: Option<(usize, u32, bool)>,
    /// The story step's sentence, when a story is told.
    pub story_text: Option<&'static str>,
    /// The lane the story step is about.
    pub story_lane: Option<usize>,
}

pub fn position(state: &State, runs: &Runs) -> Position {
    let story_lane = state.doc.story.lane();
    if let (Some(story_lane), false) = (story_lane, state.doc.story.steps().is_empty()) {
        let steps = state.doc.story.steps();
        let index = state.doc.index(steps.len());
        // A step may be about another lane than the story's (the replicas story compares two).
        let (lane, find) = steps[index].find.lane(story_lane);
        if let Some(Ok((trace, _))) = runs.lanes.get(lane) {
            let found = locate(trace, find);
            return Position {
                steps: steps.len(),
                index,
                t: found.map_or(trace.end_ms(), |f| f.0),
                highlight: found
                    .and_then(|(_, req)| req)
                    .map(|req| (lane, req, find.is_response())),
                story_text: Some(steps[index].text(state.doc.lang)),
                story_lane: Some(lane),
            };
        }
    }
    let times = runs.axis.times();
    let index = state.doc.index(times.len());
    Position {
        steps: times.len().max(1),
        index,
        t: times.get(index).copied().unwrap_or(0),
        highlight: None,
        story_text: None,
        story_lane: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::Doc;
    use crate::stories::Story;

    #[test]
    fn default_state_shows_the_three_lessons() {
        let runs = run_all(&State::default());
        let log = |runs: &Runs, i: usize| -> Vec<String> {
            let (t, _) = runs.lanes[i].as_ref().unwrap();
            t.log_names().into_iter().map(String::from).collect()
        };
        assert_eq!(log(&runs, 0), ["A", "C"]);
        assert_eq!(log(&runs, 1), ["A", "B", "B", "C"]);
        assert_eq!(log(&runs, 2), ["A", "B", "C"]);
        // The transactional lane is not shown, so not run (but on the workshop page, which runs
        // every lane); shown, each message is its own transaction.
        #[cfg(txn)]
        {
            assert_eq!(runs.lanes[3].is_ok(), cfg!(feature = "workshop"));
            let mut shown = State::default();
            shown.doc.visible.push(3);
            assert_eq!(log(&run_all(&shown), 3), ["A", "B", "C"]);
        }
    }

    #[test]
    fn story_position_follows_its_steps() {
        let mut state = State {
            doc: Doc {
                story: Story::Idempotent,
                scenario: Story::Idempotent.scenario(),
                step: 5,
                ..Doc::default()
            },
            ..State::default()
        };
        let runs = run_all(&state);
        let p = position(&state, &runs);
        assert_eq!(p.steps, 7);
        assert!(p.story_text.unwrap().contains("last five"));
        assert!(p
            .highlight
            .is_some_and(|(lane, _, response)| lane == 2 && !response));
        state.doc.step = 0;
        assert!(position(&state, &runs).t < p.t);
    }
}
