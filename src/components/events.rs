//! The event log of one lane: time, actor, event. Linked to the diagram on hover and focus.

use crate::components::lane::LaneCtx;
use crate::state::Action;
use crate::stories::describe;
use delivery_sim::Trace;
use yew::prelude::*;

/// Rows rendered at once; long runs show the rows around the playhead.
const ROWS: usize = 300;

pub fn event_log(c: &LaneCtx, trace: &Trace) -> Html {
    let lang = c.state.lang;
    let t = lang.t();
    let lane = c.index;
    let open = c.state.events_open[lane];
    let focus = c.state.focus.and_then(|(l, r)| (l == lane).then_some(r));
    let ontoggle = {
        let d = c.dispatch.clone();
        Callback::from(move |e: Event| {
            let el: web_sys::HtmlDetailsElement = e.target_unchecked_into();
            d.dispatch(Action::EventsOpen(lane, el.open()));
        })
    };
    let rows = if open {
        let now = trace.events.partition_point(|e| e.t_ms <= c.pos.t);
        let start = now.saturating_sub(ROWS / 2);
        let rows = trace.events[start..].iter().take(ROWS).filter_map(|e| {
            let text = describe(lang, trace, e)?;
            let req = e.req();
            let target = req.map(|r| (lane, r));
            let enter = {
                let d = c.dispatch.clone();
                Callback::from(move |_: MouseEvent| d.dispatch(Action::Focus(target)))
            };
            let onfocus = {
                let d = c.dispatch.clone();
                Callback::from(move |_: FocusEvent| d.dispatch(Action::Focus(target)))
            };
            let class = match (req.is_some() && req == focus, e.t_ms > c.pos.t) {
                (true, true) => "focus future",
                (true, false) => "focus",
                (false, true) => "future",
                (false, false) => "",
            };
            Some(html! {
                <tr {class} tabindex="0" onmouseenter={enter} {onfocus}>
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
        Html::default()
    };
    html! {
        <details class="events" {open} {ontoggle}>
            <summary>{ t.events }{ format!(" ({})", trace.events.len()) }</summary>
            { rows }
        </details>
    }
}
