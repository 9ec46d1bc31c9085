//! A lane's producer settings: real Kafka keys, Kafka's defaults, Kafka's error texts.

use crate::i18n::Lang;
use crate::state::{Action, State};
use delivery_sim::config::{
    ACKS, DELIVERY_TIMEOUT_MS, ENABLE_IDEMPOTENCE, MAX_IN_FLIGHT, REQUEST_TIMEOUT_MS, RETRIES,
    RETRY_BACKOFF_MS,
};
use delivery_sim::{Preset, ProducerConfig, Settings};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct LaneSettingsProps {
    pub index: usize,
    pub lang: Lang,
    pub preset: Preset,
    pub settings: Settings,
    pub dispatch: UseReducerDispatcher<State>,
}

#[function_component]
pub fn LaneSettings(p: &LaneSettingsProps) -> Html {
    let t = p.lang.t();
    let props_text = use_state(String::new);
    let props_problems = use_state(Vec::<String>::new);
    let d = ProducerConfig::default();
    let error = p.settings.resolve().err();
    let set = |key: &'static str| {
        let dispatch = p.dispatch.clone();
        let lane = p.index;
        Callback::from(move |e: Event| {
            let v = input_value(&e);
            let v = v.trim();
            dispatch.dispatch(Action::SetLaneSetting(
                lane,
                key.to_string(),
                (!v.is_empty()).then(|| v.to_string()),
            ));
        })
    };
    let id = |k: &str| format!("lane{}-{}", p.index, k.replace('.', "-"));
    let number = |key: &'static str, default: u64| {
        html! {
            <label for={id(key)}>
                <span class="key">{ key }</span>
                <input id={id(key)} type="text" inputmode="numeric" value={p.settings.get(key).unwrap_or("").to_string()}
                    placeholder={format!("{} ({default})", t.default_value)} onchange={set(key)} />
            </label>
        }
    };
    let select = |key: &'static str, options: &[&'static str]| {
        let current = p.settings.get(key).unwrap_or("");
        html! {
            <label for={id(key)}>
                <span class="key">{ key }</span>
                <select id={id(key)} onchange={set(key)}>
                    { for options.iter().map(|&o| html! {
                        <option value={o} selected={o == current}>{ if o.is_empty() { t.default_value } else { o } }</option>
                    }) }
                </select>
            </label>
        }
    };
    let reset = {
        let dispatch = p.dispatch.clone();
        let lane = p.index;
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::ResetLane(lane)))
    };
    let on_props_input = {
        let props_text = props_text.clone();
        Callback::from(move |e: InputEvent| props_text.set(input_value(&e)))
    };
    let apply_props = {
        let dispatch = p.dispatch.clone();
        let lane = p.index;
        let text = props_text.clone();
        let problems = props_problems.clone();
        Callback::from(move |_: MouseEvent| {
            let (settings, found) = Settings::from_properties(&text);
            problems.set(found);
            dispatch.dispatch(Action::SetLaneSettings(lane, settings));
        })
    };
    let copy_props = {
        let s = p.settings.clone();
        Callback::from(move |_: MouseEvent| crate::browser::copy(&s.to_properties()))
    };
    html! {
        <details class="settings">
            <summary>{ "⚙ " }{ t.settings }</summary>
            <div class="settings-grid">
                { select(ACKS, &["", "0", "1", "all"]) }
                { select(ENABLE_IDEMPOTENCE, &["", "true", "false"]) }
                { number(RETRIES, d.retries as u64) }
                { number(MAX_IN_FLIGHT, d.max_in_flight as u64) }
                { number(RETRY_BACKOFF_MS, d.retry_backoff_ms) }
                { number(REQUEST_TIMEOUT_MS, d.request_timeout_ms) }
                { number(DELIVERY_TIMEOUT_MS, d.delivery_timeout_ms) }
            </div>
            if let Some(e) = error {
                <p class="config-error" role="alert"><code>{ e }</code></p>
            }
            <div class="row">
                <button type="button" onclick={reset}>{ t.reset_preset }{ format!(" ({})", p.preset.name()) }</button>
                <button type="button" onclick={copy_props}>{ "⧉ " }{ t.properties }</button>
            </div>
            <label class="props" for={id("properties")}>
                <span>{ t.properties_hint }</span>
                <textarea id={id("properties")} rows="4" spellcheck="false" value={(*props_text).clone()} oninput={on_props_input}
                    placeholder="enable.idempotence=true&#10;acks=all" />
            </label>
            <button type="button" onclick={apply_props}>{ t.apply }</button>
            if !props_problems.is_empty() {
                <div class="config-error" role="alert">
                    <strong>{ t.properties_problems }</strong>
                    <ul>{ for props_problems.iter().map(|m| html! { <li><code>{ m }</code></li> }) }</ul>
                </div>
            }
        </details>
    }
}

/// The value of the input, select or textarea an event came from.
pub fn input_value(e: &Event) -> String {
    use wasm_bindgen::JsCast;
    let Some(target) = e.target() else {
        return String::new();
    };
    if let Some(i) = target.dyn_ref::<web_sys::HtmlInputElement>() {
        i.value()
    } else if let Some(s) = target.dyn_ref::<web_sys::HtmlSelectElement>() {
        s.value()
    } else if let Some(t) = target.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        t.value()
    } else {
        String::new()
    }
}
