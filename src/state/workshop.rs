//! The workshop page's own state, in a reducer of its own beside the page's (`State`): the
//! exercises as far as they have loaded, the ones this browser has solved, whether the student
//! has asked for a check, and whether the exercise a link names is still to be set up. What
//! opening an exercise changes in the view (its scenario, its lane, the settings) is the page's
//! document: `Action::OpenExercise`.

use delivery_sim::exercise::Exercise;
use std::rc::Rc;
use yew::Reducible;

/// The exercise list, as far as it has loaded.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Exercises {
    #[default]
    NotLoaded,
    Loading,
    Ready(Rc<Vec<Rc<Exercise>>>),
    Failed,
}

impl Exercises {
    pub fn find(&self, id: &str) -> Option<Rc<Exercise>> {
        match self {
            Exercises::Ready(list) => list.iter().find(|e| e.id == id).cloned(),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Workshop {
    /// The exercises, once asked for and loaded.
    pub exercises: Exercises,
    /// The exercises this browser has solved (kept in localStorage by `use_exercise`).
    pub solved: Rc<Vec<String>>,
    /// The student asked for a check; from then on the goal is checked on every change.
    pub checked: bool,
    /// The exercise was asked for by a link alone: its start is still to be set up once the
    /// exercises have loaded (a link with a scenario keeps that scenario: work in progress).
    pub fresh: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum WorkshopAction {
    Exercises(Exercises),
    /// An exercise was set up (or closed): the link's is no longer to be set up, and it is not
    /// checked yet.
    Opened,
    /// Another exercise is shown (Back, Forward): not checked yet.
    Unchecked,
    Check,
    /// The open exercise's goal is met (recorded once).
    Solved(String),
    ResetProgress,
}

impl Reducible for Workshop {
    type Action = WorkshopAction;

    fn reduce(self: Rc<Self>, action: WorkshopAction) -> Rc<Self> {
        let mut w = (*self).clone();
        match action {
            WorkshopAction::Exercises(e) => w.exercises = e,
            WorkshopAction::Opened => (w.checked, w.fresh) = (false, false),
            WorkshopAction::Unchecked => w.checked = false,
            WorkshopAction::Check => w.checked = true,
            WorkshopAction::Solved(id) => {
                if w.solved.contains(&id) {
                    return self;
                }
                let mut ids = (*w.solved).clone();
                ids.push(id);
                w.solved = Rc::new(ids);
            }
            WorkshopAction::ResetProgress => w.solved = Rc::default(),
        }
        if w == *self {
            return self;
        }
        Rc::new(w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reduce(w: Workshop, actions: &[WorkshopAction]) -> Rc<Workshop> {
        actions.iter().fold(Rc::new(w), |w, a| w.reduce(a.clone()))
    }

    #[test]
    fn a_solved_exercise_is_recorded_once_and_progress_resets() {
        let w = reduce(
            Workshop::default(),
            &[
                WorkshopAction::Solved("01-a".into()),
                WorkshopAction::Solved("02-b".into()),
                WorkshopAction::Solved("01-a".into()),
            ],
        );
        assert_eq!(*w.solved, ["01-a", "02-b"]);
        assert!(reduce((*w).clone(), &[WorkshopAction::ResetProgress])
            .solved
            .is_empty());
    }

    #[test]
    fn opening_ends_the_link_s_set_up_and_the_check_and_another_exercise_is_unchecked() {
        let linked = Workshop {
            fresh: true,
            ..Workshop::default()
        };
        let checked = reduce(linked, &[WorkshopAction::Check]);
        assert!(checked.checked && checked.fresh);
        let unchecked = reduce((*checked).clone(), &[WorkshopAction::Unchecked]);
        assert!(!unchecked.checked && unchecked.fresh);
        let opened = reduce((*checked).clone(), &[WorkshopAction::Opened]);
        assert!(!opened.checked && !opened.fresh);
    }
}
