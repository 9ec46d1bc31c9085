//! A lane's producer settings as a producer.properties block: real Kafka keys, Kafka's
//! defaults for what is left out, Kafka's own error texts. Paste the seed's block, or copy a
//! lane's block out into a real producer.

use crate::browser;
use crate::components::lane_ctx::LaneCtx;
use crate::i18n::Lang;
use crate::state::Action;
use crate::svg::esc;
use delivery_sim::config::{Note, Source};
use delivery_sim::Settings;
use std::fmt::Write as _;
use yew::prelude::*;

/// Why a key has its value, in the reader's language.
fn why(source: &Source, lang: Lang) -> String {
    let ko = lang == Lang::Ko;
    match source {
        Source::Set => (if ko { "직접 설정" } else { "set here" }).into(),
        Source::Default(None) => (if ko { "기본값" } else { "default" }).into(),
        Source::Default(Some(s)) if ko => format!("Kafka {}부터 기본값 ({})", s.version, s.kip),
        Source::Default(Some(s)) => format!("default since Kafka {} ({})", s.version, s.kip),
        Source::Rule(n) => note_text(n, lang),
    }
}

/// A rule of the Java client the producer's settings met, or a key the engine does not model,
/// in the reader's language (the lane's notes and its settings' reasons).
pub fn note_text(note: &Note, lang: Lang) -> String {
    let ko = lang == Lang::Ko;
    match note {
        Note::IdempotenceOff { .. } if ko => format!(
            "enable.idempotence를 설정하지 않았고 {}와(과) 맞지 않아 꺼짐 (Kafka 3.2+). 켜져 있다고 착각하기 쉬운 곳",
            note.conflicts()
        ),
        Note::IdempotenceOff { .. } => format!(
            "switched off: enable.idempotence was not set and {} conflicts with it (Kafka 3.2+). Easy to believe it is on",
            note.conflicts()
        ),
        Note::DeliveryTimeoutRaised(ms) if ko => {
            format!("delivery.timeout.ms를 설정하지 않아 linger.ms + request.timeout.ms = {ms}로 올림")
        }
        Note::DeliveryTimeoutRaised(ms) => {
            format!("delivery.timeout.ms not set, so raised to linger.ms + request.timeout.ms = {ms}")
        }
        Note::NotModelled(k) if ko => format!("{k}: 시뮬레이터가 모델링하지 않는 프로듀서 설정"),
        Note::NotModelled(_) => note.to_string(),
    }
}

/// What the producer runs with, key by key, and what decided each value: `key=value` lines as
/// in the block above, each with its reason.
fn effective_list(settings: &Settings, lang: Lang) -> String {
    let Ok(rows) = settings.effective() else {
        return String::new();
    };
    let title = match lang {
        Lang::En => "What this producer runs with",
        Lang::Ko => "이 프로듀서가 실제로 쓰는 설정",
    };
    let mut o = format!("<div class=\"effective\"><h3>{title}</h3><ul>");
    for r in rows {
        let class = match r.source {
            Source::Set => "set",
            Source::Default(_) => "default",
            Source::Rule(_) => "rule",
        };
        let _ = write!(
            o,
            "<li class=\"{class}\"><code>{}={}</code> <span>{}</span></li>",
            r.key,
            esc(&r.value),
            esc(&why(&r.source, lang))
        );
    }
    o.push_str("</ul></div>");
    o
}

pub fn lane_settings(c: &LaneCtx) -> Html {
    let t = c.state.doc.lang.chrome();
    let lane = c.index;
    let l = &c.state.doc.lanes[lane];
    let error = l.settings.resolve().err();
    let id = format!("lane{lane}-properties");
    let onchange = {
        let dispatch = c.dispatch.clone();
        Callback::from(
            move |e: Event| match Settings::from_properties(&browser::input_value(&e)) {
                Ok((settings, found)) => {
                    dispatch.dispatch(Action::PropertiesProblems(lane, found));
                    dispatch.dispatch(Action::SetLaneSettings(lane, settings));
                }
                Err(too_big) => dispatch.dispatch(Action::PropertiesProblems(lane, vec![too_big])),
            },
        )
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
    let copied = t.copy_feedback(c.state.copied, what);
    let problems = &c.state.props_problems[lane];
    html! {
        <details class="settings">
            <summary>{ "⚙ " }{ t.settings }</summary>
            <label class="props" for={id.clone()}>
                <span>{ t.properties_hint }</span>
                <textarea {id} rows="6" spellcheck="false" value={browser::typed(&id, l.settings.to_properties())} {onchange} />
            </label>
            if let Some(e) = error {
                <p class="config-error" role="alert"><code>{ e }</code></p>
            }
            { Html::from_html_unchecked(effective_list(&l.settings, c.state.doc.lang).into()) }
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

#[cfg(test)]
mod tests {
    use super::*;
    use delivery_sim::config::Settings;

    #[test]
    fn a_lane_s_notes_speak_the_reader_s_language() {
        let mut s = Settings::default();
        s.set("acks", "1");
        // (The embed page's lean engine refuses keys it does not model.)
        let not_modelled = !cfg!(feature = "embed");
        if not_modelled {
            s.set("compression.type", "lz4");
        }
        let notes = s.resolve().unwrap().notes;
        let ko: Vec<String> = notes.iter().map(|n| note_text(n, Lang::Ko)).collect();
        let en: Vec<String> = notes.iter().map(|n| note_text(n, Lang::En)).collect();
        assert!(
            ko.iter()
                .any(|n| n.contains("acks=1") && n.contains("꺼짐")),
            "{ko:?}"
        );
        assert!(
            !not_modelled || ko.iter().any(|n| n.starts_with("compression.type: ")),
            "{ko:?}"
        );
        assert!(en.iter().any(|n| n.contains("acks=1 conflicts")), "{en:?}");
    }
}
