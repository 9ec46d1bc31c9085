//! The sequence diagram of one lane, drawn by the same SVG code as the exported file. Clicks,
//! keys and hovers are read from the arrow under them (event delegation), and only the part in
//! view (with a margin) is drawn.

use crate::components::lane::LaneCtx;
use crate::layout::{Diagram, WIDTH};
use crate::state::{Action, State};
use crate::svg::{lane_body, Layer, View};
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Drawn beyond the visible part, so scrolling a little needs no redraw.
pub const MARGIN: f64 = 400.0;

pub fn scroller_id(lane: usize) -> String {
    format!("diagram-{lane}")
}

/// The part of the diagram in view, in diagram units, with the margin.
pub fn window_of(el: &web_sys::Element) -> (f64, f64) {
    let scale = (el.client_width() as f64 / WIDTH).max(0.1);
    let top = el.scroll_top() as f64 / scale;
    let h = el.client_height() as f64 / scale;
    (top - MARGIN, top + h + MARGIN)
}

/// Whether the part in view (`seen`) has moved from the part drawn by a good part of the
/// margin: then the lane is drawn again; a smaller move stays within what is drawn.
pub fn moved_far(seen: (f64, f64), drawn: (f64, f64)) -> bool {
    (seen.0 - drawn.0).abs() > MARGIN / 3.0
}

/// The window to draw for a lane that was showing `window` when the playhead is at `y`: the
/// same one while the playhead is in view, else one centred on it, as `follow_playhead` will
/// scroll. Drawing it at once saves a second render after the scroll (a changed run jumps the
/// playhead to its end).
pub fn drawn_window(window: (f64, f64), y: f64, height: f64) -> (f64, f64) {
    let (top, bottom) = (window.0 + MARGIN, window.1 - MARGIN);
    if (top..=bottom).contains(&y) {
        return window;
    }
    let h = (bottom - top).max(0.0);
    let top = (y - h / 2.0).min(height - h).max(0.0);
    (top - MARGIN, top + h + MARGIN)
}

/// Scrolls a lane so the playhead is in view; returns the window now in view.
pub fn follow_playhead(lane: usize, y: f64) -> Option<(f64, f64)> {
    let el = web_sys::window()?
        .document()?
        .get_element_by_id(&scroller_id(lane))?;
    let scale = (el.client_width() as f64 / WIDTH).max(0.1);
    let (top, h) = (el.scroll_top() as f64, el.client_height() as f64);
    let py = y * scale;
    if el.scroll_height() > el.client_height() + 4 && (py < top || py > top + h) {
        el.set_scroll_top((py - h / 2.0).max(0.0) as i32);
    }
    Some(window_of(&el))
}

/// The arrow an event happened on: (request, message, attempt, is a response).
fn arrow_at(e: &Event) -> Option<(u32, usize, u32, bool)> {
    let g = crate::browser::closest(e, "[data-req]")?;
    let num = |k: &str| g.get_attribute(k)?.parse::<u64>().ok();
    Some((
        num("data-req")? as u32,
        num("data-msg")? as usize,
        num("data-attempt")? as u32,
        g.get_attribute("data-kind").as_deref() == Some("response"),
    ))
}

fn focus_from(e: &Event, lane: usize, dispatch: &UseReducerDispatcher<State>) {
    dispatch.dispatch(Action::Focus(arrow_at(e).map(|(req, ..)| (lane, req))));
}

pub fn diagram(c: &LaneCtx, d: &Diagram, label: &str) -> Html {
    let lane = c.index;
    let axis = &c.runs.axis;
    let window = drawn_window(c.state.windows[lane], axis.y_after(c.pos.t), axis.height);
    let onscroll = {
        let dispatch = c.dispatch.clone();
        Callback::from(move |e: Event| {
            if let Some(el) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            {
                let w = window_of(&el);
                if moved_far(w, window) {
                    dispatch.dispatch(Action::Scrolled(lane, w));
                }
            }
        })
    };
    let toggle = {
        let dispatch = c.dispatch.clone();
        move |e: &Event| {
            if let Some((_, msg, attempt, response)) = arrow_at(e) {
                dispatch.dispatch(Action::ToggleArrow {
                    msg,
                    attempt,
                    response,
                });
            }
        }
    };
    let onclick = {
        let toggle = toggle.clone();
        Callback::from(move |e: MouseEvent| toggle(&e))
    };
    let onkeydown = Callback::from(move |e: KeyboardEvent| {
        if (e.key() == "Enter" || e.key() == " ") && arrow_at(&e).is_some() {
            e.prevent_default();
            toggle(&e);
        }
    });
    let onmouseover = {
        let dispatch = c.dispatch.clone();
        Callback::from(move |e: MouseEvent| focus_from(&e, lane, &dispatch))
    };
    let onfocusin = {
        let dispatch = c.dispatch.clone();
        Callback::from(move |e: FocusEvent| focus_from(&e, lane, &dispatch))
    };
    let onmouseleave = {
        let dispatch = c.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::Focus(None)))
    };
    let view = View {
        t_now: c.pos.t,
        highlight: c
            .pos
            .highlight
            .and_then(|(l, r, resp)| (l == lane).then_some((r, resp))),
        focus: c.state.focus.and_then(|(l, r)| (l == lane).then_some(r)),
        lo: window.0,
        hi: window.1,
        interactive: true,
        layer: Layer::Base,
    };
    // Two drawings, one over the other: the base, which stays while playback moves, and the
    // few shapes the time shown changes (see Layer), so a step redraws only those.
    let t = c.state.lang.t();
    let (w, h) = (WIDTH as u32, axis.height.round() as u32);
    let mut base = format!(
        "<svg class=\"diagram\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{}\" data-arrows=\"{}\">",
        crate::svg::esc(label),
        d.arrows.len()
    );
    lane_body(&mut base, d, axis, t, &view);
    base.push_str("</svg>");
    let mut now = format!(
        "<svg class=\"diagram diagram-now\" viewBox=\"0 0 {w} {h}\" aria-hidden=\"true\" data-arrows=\"0\">"
    );
    lane_body(
        &mut now,
        d,
        axis,
        t,
        &View {
            layer: Layer::Now,
            ..view
        },
    );
    now.push_str("</svg>");
    html! {
        <div class="diagram-scroll" id={scroller_id(lane)} {onscroll} {onclick} {onkeydown} {onmouseover} {onfocusin} {onmouseleave}>
            <div class="diagram-box">
                { Html::from_html_unchecked(base.into()) }
                { Html::from_html_unchecked(now.into()) }
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_drawn_window_follows_the_playhead_as_the_scroll_will() {
        // 800 units in view from 0, drawn with the margin on each side.
        let w = (-MARGIN, 800.0 + MARGIN);
        assert_eq!(drawn_window(w, 500.0, 5000.0), w, "in view: unchanged");
        // A run that changed jumps to its end: the view ends at the bottom.
        assert_eq!(
            drawn_window(w, 5000.0, 5000.0),
            (4200.0 - MARGIN, 5000.0 + MARGIN)
        );
        // Below the view, mid-diagram: centred on the playhead.
        assert_eq!(
            drawn_window(w, 2000.0, 5000.0),
            (1600.0 - MARGIN, 2400.0 + MARGIN)
        );
        // A diagram shorter than the view starts at the top.
        assert_eq!(drawn_window((3000.0, 4600.0), 100.0, 300.0), w);
    }
}
