//! A lane's producer settings as a producer.properties block: real Kafka keys, Kafka's
//! defaults for what is left out, Kafka's own error texts. Paste the seed's block, or copy a
//! lane's block out into a real producer.

use crate::browser;
use crate::components::lane::LaneCtx;
use crate::state::Action;
use delivery_sim::Settings;
use yew::prelude::*;

pub fn lane_settings(c: &LaneCtx) -> Html {
    let t = c.state.lang.chrome();
    let lane = c.index;
    let l = &c.state.lanes[lane];
    let error = l.settings.resolve().err();
    let id = format!("lane{lane}-properties");
    let onchange = {
        let dispatch = c.dispatch.clone();
        Callback::from(move |e: Event| {
            let (settings, found) = Settings::from_properties(&browser::input_value(&e));
            dispatch.dispatch(Action::PropertiesProblems(lane, found));
            dispatch.dispatch(Action::SetLaneSettings(lane, settings));
        })
    };
    let reset = {
        let dispatch = c.dispatch.clone();
        Callback::from(move |_: MouseEvent| {
            dispatch.dispatch(Action::PropertiesProblems(lane, Vec::new()));
            dispatch.dispatch(Action::ResetLane(lane));
        })
    };
    // Each lane's button its own name, so that its feedback shows beside it alone.
    let what = ["properties 0", "properties 1", "properties 2"][lane.min(2)];
    let copy = {
        let text = l.settings.to_properties();
        let dispatch = c.dispatch.clone();
        Callback::from(move |_: MouseEvent| {
            let dispatch = dispatch.clone();
            browser::copy(&text, move |ok| dispatch.dispatch(Action::Copied(what, ok)))
        })
    };
    let copied = crate::components::header::copy_feedback(c.state.copied, what, t);
    let problems = &c.state.props_problems[lane];
    html! {
        <details class="settings">
            <summary>{ "⚙ " }{ t.settings }</summary>
            <label class="props" for={id.clone()}>
                <span>{ t.properties_hint }</span>
                <textarea {id} rows="6" spellcheck="false" value={l.settings.to_properties()} {onchange} />
            </label>
            if let Some(e) = error {
                <p class="config-error" role="alert"><code>{ e }</code></p>
            }
            if !problems.is_empty() {
                <div class="config-error" role="alert">
                    <strong>{ t.properties_problems }</strong>
                    <ul>{ for problems.iter().map(|m| html! { <li><code>{ m }</code></li> }) }</ul>
                </div>
            }
            <div class="row">
                <button type="button" onclick={reset}>{ t.reset_preset }{ " (" }{ l.preset.name() }{ ")" }</button>
                <button type="button" onclick={copy}>{ t.copy_properties }</button>
                <span class="copied" aria-live="polite">{ copied }</span>
            </div>
        </details>
    }
}
