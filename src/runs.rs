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

#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))]
mod any_link {
    //! Whatever a link holds, within or beyond the bounds of each parameter: the page decodes
    //! it, runs every lane, lays the runs out, draws, narrates and writes the link back without
    //! a panic (in the release build, a trap that takes the page down), and every run keeps the
    //! engine's invariants. (Checked over 20,000 cases on each page's build when written.)
    use super::*;
    use proptest::prelude::*;

    /// One parameter, with values at and past its bounds. (A table: an arm a kind of parameter.)
    fn param() -> impl Strategy<Value = String> {
        let num = prop_oneof![
            Just("0".to_string()),
            Just("1".to_string()),
            Just("3".to_string()),
            Just("999999999999".to_string()),
            (0u64..200000).prop_map(|n| n.to_string())
        ];
        let msg = prop_oneof![Just("A"), Just("B"), Just("C"), Just("m1"), Just("m5")];
        let fault = (
            prop_oneof![
                Just("req"),
                Just("ack"),
                Just("err"),
                Just("fail"),
                Just("delay"),
                Just("down"),
                Just("failover"),
                Just("restart"),
                Just("rdown"),
                Just("rslow")
            ],
            msg,
            num.clone(),
            num.clone(),
            num.clone(),
        )
            .prop_map(|(k, m, a, b, c)| match k {
                "req" | "ack" | "fail" => format!("{k}.{m}.{a}"),
                "err" => format!("{k}.{m}.{a}.NOT_ENOUGH_REPLICAS"),
                "delay" => format!("{k}.{m}.{a}.{b}"),
                "down" => format!("{k}.{a}.{b}"),
                "failover" | "restart" => format!("{k}.{a}"),
                "rdown" => format!("{k}.{a}.{b}.{c}"),
                _ => format!("{k}.{a}.{b}"),
            });
        let key = prop_oneof![
            Just("acks"),
            Just("linger.ms"),
            Just("batch.size"),
            Just("max.in.flight.requests.per.connection"),
            Just("retries"),
            Just("enable.idempotence"),
            Just("delivery.timeout.ms"),
            Just("request.timeout.ms"),
            Just("retry.backoff.ms"),
            Just("transactional.id"),
            Just("transaction.timeout.ms"),
            Just("max.block.ms"),
            Just("buffer.memory"),
        ];
        let val = prop_oneof![
            num.clone(),
            Just("all".to_string()),
            Just("-1".to_string()),
            Just("true".to_string()),
            Just("false".to_string()),
            Just("tx".to_string())
        ];
        prop_oneof![
            prop_oneof![
                Just("side"),
                Just("1"),
                Just("2"),
                Just("3"),
                Just("4"),
                Just("5"),
                Just("6"),
                Just("7")
            ]
            .prop_map(|s| format!("story={s}")),
            (1u64..80).prop_map(|n| format!("n={n}")),
            prop::collection::vec(fault, 0..5).prop_map(|f| format!("f={}", f.join(","))),
            (
                prop_oneof![
                    Just("lat"),
                    Just("jit"),
                    Just("rep"),
                    Just("repms"),
                    Just("isr"),
                    Just("lagms"),
                    Just("sessms"),
                    Just("gap"),
                    Just("seed"),
                    Just("coord"),
                    Just("step"),
                    Just("from"),
                    Just("to")
                ],
                num.clone()
            )
                .prop_map(|(k, v)| format!("{k}={v}")),
            (
                prop_oneof![Just("rl"), Just("al")],
                prop_oneof![Just("0"), Just("30"), Just("100"), Just("99.9")]
            )
                .prop_map(|(k, v)| format!("{k}={v}")),
            Just("unclean=1".to_string()),
            Just("lang=ko".to_string()),
            Just("sync=0".to_string()),
            Just("lanes=0,1,2,3".to_string()),
            Just("step=end".to_string()),
            prop_oneof![Just("c"), Just("a"), Just("n")].prop_map(|e| format!("tx=2{e},1c")),
            (1u32..70).prop_map(|p| format!("parts={p}")),
            Just("m=A,B,C&keys=x,,y&bytes=1,5000000,100".to_string()),
            Just("keys=a,b".to_string()),
            (0usize..4, prop::collection::vec((key, val), 1..4)).prop_map(|(l, kv)| format!(
                "l{l}={}",
                kv.iter()
                    .map(|(k, v)| format!("{k}:{v}"))
                    .collect::<Vec<_>>()
                    .join(",")
            )),
        ]
    }

    proptest! {
        #[test]
        fn runs_lays_out_draws_and_keeps_the_invariants(ps in prop::collection::vec(param(), 0..9)) {
            let q = ps.join("&");
            let (state, _) = crate::url::decode(&q, crate::browser::Defaults { lang: crate::i18n::Lang::En, dark: false });
            let runs = run_all(&state);
            let pos = position(&state, &runs);
            let t = state.doc.lang.t();
            for (trace, d) in runs.lanes.iter().flatten() {
                let v = crate::svg::View { t_now: pos.t, ..crate::svg::View::all() };
                let _ = crate::svg::lane_tiles(d, &trace.messages, &runs.axis, t, &v);
                for e in &trace.events {
                    let _ = crate::narration::describe(state.doc.lang, trace, e);
                }
                let _ = crate::lessons::lesson(t, trace);
                prop_assert_eq!(delivery_sim::invariants::check(trace), Ok(()), "{}", q);
            }
            let _ = crate::url::encode(&state.doc);
        }
    }
}
