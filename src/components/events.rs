//! The event log of one lane: time, actor, event. Linked to the diagram on hover and focus.

use crate::app::{Runs, Shared};
use crate::i18n::Lang;
use crate::state::{Action, State};
use crate::stories::describe;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct EventLogProps {
    pub lane: usize,
    pub runs: Shared<Runs>,
    pub lang: Lang,
    pub focus: Option<u32>,
    pub t_now: u64,
    pub dispatch: UseReducerDispatcher<State>,
}

/// Rows rendered at once; long runs show the rows around the playhead.
const ROWS: usize = 300;

#[function_component]
pub fn EventLog(p: &EventLogProps) -> Html {
    let t = p.lang.t();
    let open = use_state(|| false);
    let Ok((trace, _)) = &p.runs.lanes[p.lane] else {
        return html! {};
    };
    let ontoggle = {
        let open = open.clone();
        Callback::from(move |e: Event| {
            let el: web_sys::HtmlDetailsElement = e.target_unchecked_into();
            open.set(el.open());
        })
    };
    let rows = if *open {
        let now = trace.events.partition_point(|e| e.t_ms <= p.t_now);
        let start = now.saturating_sub(ROWS / 2);
        let rows = trace.events[start..].iter().take(ROWS).filter_map(|e| {
            let text = describe(p.lang, trace, e)?;
            let req = e.req();
            let focused = req.is_some() && req == p.focus;
            let enter = {
                let d = p.dispatch.clone();
                let target = req.map(|r| (p.lane, r));
                Callback::from(move |_: MouseEvent| d.dispatch(Action::Focus(target)))
            };
            let focus = {
                let d = p.dispatch.clone();
                let target = req.map(|r| (p.lane, r));
                Callback::from(move |_: FocusEvent| d.dispatch(Action::Focus(target)))
            };
            Some(html! {
                <tr class={classes!(focused.then_some("focus"), (e.t_ms > p.t_now).then_some("future"))}
                    tabindex="0" onmouseenter={enter} onfocus={focus}>
                    <td class="num">{ e.t_ms }</td>
                    <td>{ e.actor().as_str() }</td>
                    <td>{ text }</td>
                </tr>
            })
        });
        html! {
            <table>
                <thead><tr><th scope="col">{ t.time }</th><th scope="col">{ t.actor }</th><th scope="col">{ t.event }</th></tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
        }
    } else {
        html! {}
    };
    html! {
        <details class="events" {ontoggle}>
            <summary>{ t.events }{ format!(" ({})", trace.events.len()) }</summary>
            { rows }
        </details>
    }
}
