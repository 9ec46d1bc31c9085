//! What the parts of a lane (its diagram, event log and settings) are given by the lane.

use crate::runs::{Position, Runs, Shared};
use crate::state::State;
use yew::prelude::*;

/// What every part of a lane reads: which lane, the runs, the state, where playback is and the
/// part of the diagram to draw (see `diagram::drawn_window`; worked out once, in `App`, which
/// also scrolls the lanes by it).
pub struct LaneCtx<'a> {
    pub index: usize,
    pub runs: &'a Shared<Runs>,
    pub state: &'a State,
    pub pos: &'a Position,
    pub dispatch: &'a UseReducerDispatcher<State>,
    pub window: (f64, f64),
}
