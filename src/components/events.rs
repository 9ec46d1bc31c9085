//! The event log of one lane: time, actor, event. Linked to the diagram on hover and focus.
//! Read-only rows, so plain markup; one delegated handler reads the row's request.

use crate::components::lane_ctx::LaneCtx;
use crate::narration::describe;
use crate::state::Action;
use crate::svg::esc;
use delivery_sim::Trace;
use std::fmt::Write as _;
use yew::prelude::*;

/// Rows rendered at once; long runs show the rows around the playhead.
const ROWS: usize = 300;

/// The request of the row an event happened in, if the row has one.
fn row_req(e: &Event) -> Option<u32> {
    crate::browser::closest(e, "tr")?
        .get_attribute("data-req")?
        .parse()
        .ok()
}

pub fn event_log(c: &LaneCtx, trace: &Trace) -> Html {
    let lang = c.state.doc.lang;
    let t = lang.chrome();
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
    let to_focus = move |e: &Event, d: &UseReducerDispatcher<crate::state::State>| {
        d.dispatch(Action::Focus(row_req(e).map(|r| (lane, r))))
    };
    let onmouseover = {
        let d = c.dispatch.clone();
        Callback::from(move |e: MouseEvent| to_focus(&e, &d))
    };
    let onfocusin = {
        let d = c.dispatch.clone();
        Callback::from(move |e: FocusEvent| to_focus(&e, &d))
    };
    let rows = if open {
        let now = trace.events.partition_point(|e| e.t_ms <= c.pos.t);
        let start = now.saturating_sub(ROWS / 2);
        let mut o = format!(
            "<table><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
            t.time, t.actor, t.event
        );
        for e in trace.events[start..].iter().take(ROWS) {
            let Some(text) = describe(lang, trace, e) else {
                continue;
            };
            let req = e.req();
            let class = match (req.is_some() && req == focus, e.t_ms > c.pos.t) {
                (true, true) => "focus future",
                (true, false) => "focus",
                (false, true) => "future",
                (false, false) => "",
            };
            let _ = write!(o, "<tr class=\"{class}\" tabindex=\"0\"");
            if let Some(r) = req {
                let _ = write!(o, " data-req=\"{r}\"");
            }
            let _ = write!(
                o,
                "><td class=\"num\">{}</td><td>{}</td><td>{}</td></tr>",
                e.t_ms,
                e.actor().as_str(),
                esc(&text)
            );
        }
        o.push_str("</tbody></table>");
        Html::from_html_unchecked(o.into())
    } else {
        Html::default()
    };
    html! {
        <details class="events" {open} {ontoggle} {onmouseover} {onfocusin}>
            <summary>{ t.events }{ format!(" ({})", trace.events.len()) }</summary>
            { rows }
        </details>
    }
}
