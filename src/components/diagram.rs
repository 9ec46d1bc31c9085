//! The sequence diagram of one lane, drawn by the same SVG code as the exported file. Clicks,
//! keys and hovers are read from the arrow under them (event delegation), and only what is on
//! screen is drawn.

use crate::app::{Runs, Shared};
use crate::i18n::Lang;
use crate::layout::WIDTH;
use crate::state::{Action, State};
use crate::svg::{lane_body, View};
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DiagramProps {
    pub lane: usize,
    pub runs: Shared<Runs>,
    pub lang: Lang,
    pub t_now: u64,
    pub highlight: Option<u32>,
    pub focus: Option<u32>,
    pub label: String,
    pub dispatch: UseReducerDispatcher<State>,
}

/// Drawn beyond the visible part, so scrolling a little needs no redraw.
const MARGIN: f64 = 400.0;

/// The part of the diagram in view, in diagram units.
fn window_of(el: &web_sys::Element) -> (f64, f64) {
    let scale = (el.client_width() as f64 / WIDTH).max(0.1);
    let top = el.scroll_top() as f64 / scale;
    let h = el.client_height() as f64 / scale;
    (top - MARGIN, top + h + MARGIN)
}

/// The arrow an event happened on: (request, message, attempt, is a response).
fn arrow_at(e: &Event) -> Option<(u32, usize, u32, bool)> {
    let el = e.target()?.dyn_into::<web_sys::Element>().ok()?;
    let g = el.closest("[data-req]").ok()??;
    let num = |k: &str| g.get_attribute(k)?.parse::<u64>().ok();
    Some((
        num("data-req")? as u32,
        num("data-msg")? as usize,
        num("data-attempt")? as u32,
        g.get_attribute("data-kind").as_deref() == Some("response"),
    ))
}

#[function_component]
pub fn DiagramView(p: &DiagramProps) -> Html {
    let scroller = use_node_ref();
    let window = use_state(|| (-MARGIN, 1200.0));
    let axis = &p.runs.axis;
    let y_now = axis.y_after(p.t_now);

    // Keep the playhead in view while stepping through a long run.
    {
        let scroller = scroller.clone();
        let window = window.clone();
        use_effect_with(y_now as i64, move |&y| {
            if let Some(el) = scroller.cast::<web_sys::Element>() {
                let scale = (el.client_width() as f64 / WIDTH).max(0.1);
                let (top, h) = (el.scroll_top() as f64, el.client_height() as f64);
                let py = y as f64 * scale;
                if el.scroll_height() > el.client_height() + 4 && (py < top || py > top + h) {
                    el.set_scroll_top((py - h / 2.0).max(0.0) as i32);
                }
                window.set(window_of(&el));
            }
        });
    }
    let Ok((_, d)) = &p.runs.lanes[p.lane] else {
        return html! {};
    };
    let onscroll = {
        let window = window.clone();
        Callback::from(move |e: Event| {
            if let Some(el) = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) {
                let w = window_of(&el);
                // Redraw only when the view moved by a good part of the margin.
                if (w.0 - window.0).abs() > MARGIN / 3.0 {
                    window.set(w);
                }
            }
        })
    };
    let toggle = {
        let dispatch = p.dispatch.clone();
        move |e: &Event| {
            if let Some((_, msg, attempt, response)) = arrow_at(e) {
                dispatch.dispatch(Action::ToggleArrow { msg, attempt, response });
            }
        }
    };
    let onclick = {
        let toggle = toggle.clone();
        Callback::from(move |e: MouseEvent| toggle(&e))
    };
    let onkeydown = Callback::from(move |e: KeyboardEvent| {
        if e.key() == "Enter" || e.key() == " " {
            if arrow_at(&e).is_some() {
                e.prevent_default();
            }
            toggle(&e);
        }
    });
    let focus = |e: &Event, lane: usize, dispatch: &UseReducerDispatcher<State>| {
        dispatch.dispatch(Action::Focus(arrow_at(e).map(|(req, ..)| (lane, req))));
    };
    let onmouseover = {
        let (lane, dispatch) = (p.lane, p.dispatch.clone());
        Callback::from(move |e: MouseEvent| focus(&e, lane, &dispatch))
    };
    let onfocusin = {
        let (lane, dispatch) = (p.lane, p.dispatch.clone());
        Callback::from(move |e: FocusEvent| focus(&e, lane, &dispatch))
    };
    let onmouseleave = {
        let dispatch = p.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::Focus(None)))
    };
    let view = View {
        t_now: p.t_now,
        highlight: p.highlight,
        focus: p.focus,
        lo: window.0,
        hi: window.1,
        interactive: true,
    };
    let mut svg = format!(
        "<svg class=\"diagram\" viewBox=\"0 0 {} {}\" role=\"img\" aria-label=\"{}\" data-arrows=\"{}\">",
        WIDTH as u32,
        axis.height.round() as u32,
        p.label.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;"),
        d.arrows.len()
    );
    lane_body(&mut svg, d, axis, p.lang.t(), &view);
    svg.push_str("</svg>");
    html! {
        <div class="diagram-scroll" ref={scroller} {onscroll} {onclick} {onkeydown} {onmouseover} {onfocusin} {onmouseleave}>
            { Html::from_html_unchecked(svg.into()) }
        </div>
    }
}
