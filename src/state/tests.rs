use super::doc::*;
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
    assert!(is_numbered(&names_for_count(1000)));
    for odd in ["m05", "m+5", "m5 ", "n5", "m6"] {
        let mut names = names_for_count(30);
        names[5] = odd.to_string();
        assert!(!is_numbered(&names), "{odd}");
    }
    // What a message quotes back of a long paste is short, and cut between characters.
    let e = parse_names(&"가".repeat(100_000)).unwrap_err();
    assert_eq!(
        e,
        format!("`{}…` is longer than 16 characters", "가".repeat(24))
    );
}

#[test]
fn every_lane_has_a_name_in_both_languages() {
    assert_eq!(crate::i18n::EN.lane_names.len(), LANES);
    assert_eq!(crate::i18n::KO.lane_names.len(), LANES);
}
