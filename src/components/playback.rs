//! Play, pause, step, scrub and speed, with the narration of the current step.

use crate::browser::input_value;
use crate::narration::describe;
use crate::runs::{Position, Runs};
use crate::state::{Action, State, SPEED_LABELS};
use yew::prelude::*;

/// What happens at the moment shown, lane by lane (or the story's own words): (lane, words).
fn said_now(state: &State, pos: &Position, runs: &Runs) -> Vec<(String, String)> {
    let t = state.doc.lang.t();
    const MAX_SAID: usize = 8;
    match pos.story_text {
        Some(text) => vec![(String::new(), text.to_string())],
        None => state
            .doc
            .visible
            .iter()
            .filter_map(|&i| {
                let (trace, _) = runs.lanes[i].as_ref().ok()?;
                let from = trace.events.partition_point(|e| e.t_ms < pos.t);
                let to = trace.events.partition_point(|e| e.t_ms <= pos.t);
                let mut said = trace.events[from..to]
                    .iter()
                    .filter_map(|e| describe(state.doc.lang, trace, e));
                // A batch acknowledged at once is many sentences at one moment: the first few,
                // and how many more the event log holds.
                let mut lines: Vec<String> = said.by_ref().take(MAX_SAID).collect();
                let more = said.count();
                if more > 0 {
                    lines.push(format!("… +{more}"));
                }
                (!lines.is_empty()).then(|| (t.lane_names[i].to_string(), lines.join("; ")))
            })
            .collect(),
    }
}

pub fn playback(state: &UseReducerHandle<State>, pos: &Position, runs: &Runs) -> Html {
    let t = state.doc.lang.t();
    let d = state.dispatcher();
    let steps = pos.steps;
    let step = |delta: isize| {
        let d = d.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Action::Step { delta, steps }))
    };
    let goto = |to: usize| {
        let d = d.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Action::GoTo(to)))
    };
    let toggle = {
        let d = d.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Action::TogglePlay { steps }))
    };
    let scrub = {
        let d = d.clone();
        Callback::from(move |e: InputEvent| {
            if let Ok(v) = input_value(&e).parse::<usize>() {
                d.dispatch(Action::GoTo(v));
            }
        })
    };
    let speed = {
        let d = d.clone();
        Callback::from(move |e: Event| {
            if let Ok(v) = input_value(&e).parse::<usize>() {
                d.dispatch(Action::SetSpeed(v));
            }
        })
    };
    let narration = said_now(state, pos, runs);
    html! {
        <div class="playback">
            <div class="buttons">
                <button type="button" onclick={goto(state.doc.bounds(steps).0)} aria-label={t.first} title={t.first}>{ "⇤" }</button>
                <button type="button" onclick={step(-1)} aria-label={t.prev} title={t.prev}>{ "◀" }</button>
                <button type="button" class="play" onclick={toggle} aria-label={if state.playing { t.pause } else { t.play }}
                    title={if state.playing { t.pause } else { t.play }} aria-pressed={state.playing.to_string()}>
                    { if state.playing { "❚❚" } else { "▶" } }
                </button>
                <button type="button" onclick={step(1)} aria-label={t.next} title={t.next}>{ "▶▶" }</button>
                <button type="button" onclick={goto(usize::MAX)} aria-label={t.last} title={t.last}>{ "⇥" }</button>
            </div>
            <label class="scrub" for="scrub">
                <span class="sr-only">{ t.step }</span>
                <input id="scrub" type="range" min={state.doc.bounds(steps).0.to_string()} max={state.doc.bounds(steps).1.to_string()} value={pos.index.to_string()} oninput={scrub} />
            </label>
            <label class="speed" for="speed">
                <span>{ t.speed }</span>
                <select id="speed" onchange={speed}>
                    { for SPEED_LABELS.iter().enumerate().map(|(i, s)| html! {
                        <option value={i.to_string()} selected={i == state.speed}>{ *s }</option>
                    }) }
                </select>
            </label>
            <div class="narration" aria-live="polite">
                <p class="step-no">
                    { format!("{} {}/{}", t.step, pos.index + 1, steps) }
                    <span class="clock">{ format!(" · {} ms", pos.t) }</span>
                </p>
                { for narration.iter().map(|(lane, text)| html! {
                    <p class="say">
                        if !lane.is_empty() { <strong>{ lane }{ ": " }</strong> }
                        { text }
                    </p>
                }) }
            </div>
        </div>
    }
}
