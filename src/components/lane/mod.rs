//! One delivery mode: its settings, sequence diagram, partition log, summary and event log.

use crate::components::diagram::diagram;
use crate::components::events::event_log;
use crate::components::lane_ctx::LaneCtx;
use crate::components::lane_settings::lane_settings;
use crate::i18n::Text;
use crate::lessons::{config_line, lesson};
use crate::svg::esc;
use delivery_sim::{Acks, Trace};
use std::fmt::Write as _;
use yew::prelude::*;

mod rows;
#[cfg(test)]
mod tests;
use rows::*;

pub fn lane_view(c: &LaneCtx) -> Html {
    let t = c.state.doc.lang.t();
    let run = &c.runs.lanes[c.index];
    let name = t.lane_names[c.index];
    // What the producer runs with, as the run resolved it.
    let config = match run {
        Ok((trace, _)) => config_line(&trace.config),
        Err(_) => String::new(),
    };
    let body = match run {
        Err(e) => html! {
            <div class="cannot-run" role="alert">
                <strong>{ t.cannot_run }</strong>
                <p><code>{ e.clone() }</code></p>
            </div>
        },
        Ok((trace, d)) => {
            let (bad, good) = lesson(t, trace);
            let s = &trace.summary;
            let names = names_to_read(trace);
            let summary_text = format!(
                "{}: {} [{}]. {}",
                t.log,
                names,
                s.stored,
                bad.iter()
                    .chain(good.iter())
                    .cloned()
                    .collect::<Vec<_>>()
                    .join("; ")
            );
            html! {
                <>
                    { diagram(c, d, &(t.diagram_label)(name, &summary_text)) }
                    { Html::from_html_unchecked(replicas_markup(c, trace, t).into()) }
                    { Html::from_html_unchecked(summary_markup(trace, keys(c), t, &names, &bad, &good, &summary_text).into()) }
                    { Html::from_html_unchecked(future_records(c.index, trace, c.pos.t).into()) }
                    { Html::from_html_unchecked(consumers_markup(c, trace, t).into()) }
                    if !c.state.doc.embedded() {
                        { producer_state(c) }
                        { event_log(c, trace) }
                    }
                    if !trace.notes.is_empty() && !c.state.doc.embedded() {
                        <ul class="lane-notes">{ for trace.notes.iter().map(|n| html! { <li>{ crate::components::lane_settings::note_text(n, c.state.doc.lang) }</li> }) }</ul>
                    }
                </>
            }
        }
    };
    html! {
        <article class={format!("lane lane-{}{}", c.index, if c.pos.story_lane == Some(c.index) { " story-lane" } else { "" })} data-lane={c.index.to_string()} aria-label={name}>
            <header class="lane-head">
                <h2>{ name }</h2>
                <p class="config">{ config }</p>
                if !c.state.doc.embedded() {
                    { lane_settings(c) }
                }
            </header>
            { body }
        </article>
    }
}

/// The producer state at the step shown (not on the embed page, which has no room for it).
#[cfg(not(feature = "embed"))]
fn producer_state(c: &LaneCtx) -> Html {
    use crate::components::producer_state::ProducerState;
    let req = c.pos.highlight.filter(|h| h.0 == c.index).map(|h| h.1);
    html! {
        <ProducerState runs={c.runs.clone()} lane={c.index} t={c.pos.t} {req} lang={c.state.doc.lang} />
    }
}

#[cfg(feature = "embed")]
fn producer_state(_: &LaneCtx) -> Html {
    Html::default()
}

/// The messages' keys (none without the feature `partitions`).
fn keys<'a>(c: &'a LaneCtx) -> &'a [Option<String>] {
    #[cfg(feature = "partitions")]
    return &c.state.doc.scenario.keys;
    #[cfg(not(feature = "partitions"))]
    {
        let _ = c;
        &[]
    }
}
