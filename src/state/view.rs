//! How the run is looked at, and the workshop's own actions.

use super::*;

impl State {
    /// A change to how the reader looks at the run: language, theme, playback, focus, what
    /// is open, scrolled or said.
    pub(super) fn view(&mut self, action: Action) -> Done {
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

    /// The workshop page's actions on the page: scenarios loaded, exercises opened and closed
    /// (what the workshop itself keeps is `Workshop`'s).
    #[cfg(feature = "workshop")]
    pub(super) fn workshop(&mut self, action: Action) -> Done {
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
                self.doc.exercise = Some(ex.id.clone());
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
                self.doc.visible = vec![0, 1, 2];
                return Done::Ran;
            }
            a => return Done::Pass(a),
        }
        Done::Shown
    }
}
