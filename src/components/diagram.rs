//! The sequence diagram of one lane, drawn by the same SVG code as the exported file. Clicks,
//! keys and hovers are read from the arrow under them (event delegation), and only the part in
//! view (with a margin) is drawn.

use crate::components::lane_ctx::LaneCtx;
use crate::i18n::Text;
use crate::layout::{Axis, Diagram, WIDTH};
use crate::state::{Action, State, Window};
use crate::svg::{lane_body, lane_tiles, Layer, View, TILE};
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Drawn beyond the visible part, so scrolling a little needs no redraw.
pub const MARGIN: f64 = 400.0;

/// Drawn beyond the visible part right after a jump (a changed run, a step out of view): the
/// view itself is on screen sooner, and the margin follows once it is (see `App`). With 1,000
/// messages that is about half the shapes and words of the first drawing.
pub const JUMP_MARGIN: f64 = 24.0;

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

/// Whether the part in view (`seen`, with its margin) has moved from the part drawn by a good
/// part of the margin: then the lane is drawn again; a smaller move stays within what is drawn.
/// A thin drawing (right after a jump, its margin still to come) is left alone while the view
/// stays inside it: the scroll that brought the view there is no reason to draw again.
pub fn moved_far(seen: (f64, f64), drawn: (f64, f64)) -> bool {
    let thin = drawn.1 - drawn.0 < seen.1 - seen.0 - MARGIN;
    if thin {
        seen.0 + MARGIN < drawn.0 || seen.1 - MARGIN > drawn.1
    } else {
        // Either edge: a view shorter than the one drawn (the default window is 800 units; a
        // lane's box can show fewer) has its bottom far above, and a playhead below it is out
        // of view, not in it.
        (seen.0 - drawn.0).abs() > MARGIN / 3.0 || (seen.1 - drawn.1).abs() > MARGIN / 3.0
    }
}

/// The window a lane shows with `range` in view (with its margin) and the playhead at `y`, at
/// `step`: parked there if the playhead is out of view.
pub fn seen(range: (f64, f64), y: f64, step: usize) -> Window {
    let in_view = (range.0 + MARGIN..=range.1 - MARGIN).contains(&y);
    Window {
        range,
        parked: (!in_view).then_some(step),
    }
}

/// The part of a lane's diagram to draw when the playhead is at `y`, at `step`: the window it
/// was showing while the playhead is in view, or where the reader parked it with the playhead
/// at this step; else (the playhead moved out of view) the view centred on it, as `in_view`
/// will scroll, with a thin margin (`JUMP_MARGIN`). Drawing there at once saves drawing the
/// part scrolled away from (a changed run jumps the playhead to its end).
pub fn drawn_window(window: Window, y: f64, step: usize, height: f64) -> (f64, f64) {
    let (lo, hi) = window.range;
    let (top, bottom) = (lo + MARGIN, hi - MARGIN);
    if (top..=bottom).contains(&y) || window.parked == Some(step) {
        return window.range;
    }
    let h = (bottom - top).max(0.0);
    let top = (y - h / 2.0).min(height - h).max(0.0);
    (top - JUMP_MARGIN, top + h + JUMP_MARGIN)
}

/// The window in view in a lane, after scrolling it so the playhead at `follow` is in view, if
/// given.
pub fn in_view(lane: usize, follow: Option<f64>) -> Option<(f64, f64)> {
    let el = web_sys::window()?
        .document()?
        .get_element_by_id(&scroller_id(lane))?;
    if let Some(y) = follow {
        let scale = (el.client_width() as f64 / WIDTH).max(0.1);
        let (top, h) = (el.scroll_top() as f64, el.client_height() as f64);
        let py = y * scale;
        if el.scroll_height() > el.client_height() + 4 && (py < top || py > top + h) {
            el.set_scroll_top((py - h / 2.0).max(0.0) as i32);
        }
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

/// What the pointer and the keyboard do to a lane's arrows, read from the arrow under them: a
/// click (or Enter, or space) loses an arrow, or makes it an error, or restores it; a hover or
/// focus points at it.
struct ArrowEvents {
    onclick: Callback<MouseEvent>,
    onkeydown: Callback<KeyboardEvent>,
    onmouseover: Callback<MouseEvent>,
    onfocusin: Callback<FocusEvent>,
    onmouseleave: Callback<MouseEvent>,
}

fn arrow_events(lane: usize, dispatch: &UseReducerDispatcher<State>) -> ArrowEvents {
    let toggle = {
        let dispatch = dispatch.clone();
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
        let dispatch = dispatch.clone();
        Callback::from(move |e: MouseEvent| focus_from(&e, lane, &dispatch))
    };
    let onfocusin = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: FocusEvent| focus_from(&e, lane, &dispatch))
    };
    let onmouseleave = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::Focus(None)))
    };
    ArrowEvents {
        onclick,
        onkeydown,
        onmouseover,
        onfocusin,
        onmouseleave,
    }
}

/// A scroll of the lane far from what is drawn asks for the part now in view.
fn on_scroll(
    lane: usize,
    dispatch: &UseReducerDispatcher<State>,
    window: (f64, f64),
    y: f64,
    step: usize,
) -> Callback<Event> {
    let dispatch = dispatch.clone();
    Callback::from(move |e: Event| {
        if let Some(el) = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        {
            let w = window_of(&el);
            if moved_far(w, window) {
                dispatch.dispatch(Action::Scrolled(lane, seen(w, y, step)));
            }
        }
    })
}

/// The drawing over the base: the few shapes the time shown changes (see `Layer`).
fn now_layer(
    d: &Diagram,
    names: &[String],
    axis: &Axis,
    t: &Text,
    view: &View,
    view_box: &str,
) -> String {
    let mut now = format!(
        "<svg class=\"diagram diagram-now\" viewBox=\"{view_box}\" aria-hidden=\"true\" data-arrows=\"0\">"
    );
    lane_body(
        &mut now,
        d,
        names,
        axis,
        t,
        &View {
            layer: Layer::Now,
            ..*view
        },
    );
    now.push_str("</svg>");
    now
}

pub fn diagram(c: &LaneCtx, d: &Diagram, label: &str) -> Html {
    let lane = c.index;
    let axis = &c.runs.axis;
    let y = axis.y_after(c.pos.t);
    let step = c.state.doc.step;
    let window = c.window;
    // Drawn out to whole tiles, so that a tile's markup does not depend on where in it the
    // window ends, and a scroll changes only the tiles it brings in or takes out; a jump's thin
    // window is drawn as it is (it is on screen for a frame).
    let drawn = if window == c.state.windows[lane].range {
        (
            (window.0 / TILE).floor() * TILE,
            (window.1 / TILE).ceil() * TILE,
        )
    } else {
        window
    };
    let onscroll = on_scroll(lane, c.dispatch, window, y, step);
    let ArrowEvents {
        onclick,
        onkeydown,
        onmouseover,
        onfocusin,
        onmouseleave,
    } = arrow_events(lane, c.dispatch);
    let view = View {
        t_now: c.pos.t,
        highlight: c
            .pos
            .highlight
            .and_then(|(l, r, resp)| (l == lane).then_some((r, resp))),
        focus: c.state.focus.and_then(|(l, r)| (l == lane).then_some(r)),
        lo: drawn.0,
        hi: drawn.1,
        interactive: true,
        layer: Layer::Base,
    };
    // Two drawings, one over the other: the base, which stays while playback moves, and the
    // few shapes the time shown changes (see Layer), so a step redraws only those. The base is
    // drawn in tiles (see svg::lane_tiles): a scroll that redraws adds and removes a tile or
    // two, and the page keeps the rest.
    let t = c.state.doc.lang.t();
    let (w, h) = (WIDTH as u32, axis.height.round() as u32);
    let view_box = format!("0 0 {w} {h}");
    let names = &c.state.doc.scenario.messages;
    let base = lane_tiles(d, names, axis, t, &view);
    let raw = |markup: String| Html::from_html_unchecked(markup.into());
    let now = now_layer(d, names, axis, t, &view, &view_box);
    html! {
        <div class="diagram-scroll" id={scroller_id(lane)} {onscroll} {onclick} {onkeydown} {onmouseover} {onfocusin} {onmouseleave}>
            <div class="diagram-box">
                <svg class="diagram" viewBox={view_box} role="group" aria-label={label.to_string()} data-arrows={d.arrows.len().to_string()}>
                    { raw(base.lifelines + &base.carried) }
                    // In an element of their own: a list is matched by key only when every
                    // item has one.
                    <g>{ for base.tiles.into_iter().map(|(k, markup)| html! { <g key={k}>{ raw(markup) }</g> }) }</g>
                </svg>
                { raw(now) }
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scroll_draws_again_when_far_from_what_is_drawn() {
        let view = |top: f64| (top - MARGIN, top + 800.0 + MARGIN);
        // Drawn with the whole margin: a third of it is far.
        assert!(!moved_far(view(100.0), view(0.0)));
        assert!(moved_far(view(200.0), view(0.0)));
        assert!(moved_far(view(0.0), view(200.0)));
        // The same top, a box a third as tall: far (its bottom is), so the window shown is
        // recorded and a playhead below the box is followed.
        assert!(moved_far((-MARGIN, 300.0 + MARGIN), view(0.0)));
        assert!(!moved_far((-MARGIN, 750.0 + MARGIN), view(0.0)));
        // Drawn thin after a jump: far only once the view leaves it.
        let thin = (1000.0 - JUMP_MARGIN, 1800.0 + JUMP_MARGIN);
        assert!(!moved_far(view(1000.0), thin));
        assert!(!moved_far(view(1000.0 + JUMP_MARGIN), thin));
        assert!(moved_far(view(1100.0), thin));
        assert!(moved_far(view(900.0), thin));
    }

    #[test]
    fn the_drawn_window_follows_the_playhead_as_the_scroll_will() {
        // 800 units in view from 0, drawn with the margin on each side, the playhead in view
        // at step 3.
        let range = (-MARGIN, 800.0 + MARGIN);
        let w = seen(range, 100.0, 3);
        assert_eq!(w.parked, None, "following the playhead");
        assert_eq!(
            drawn_window(w, 500.0, 4, 5000.0),
            range,
            "in view: unchanged"
        );
        // A run that changed jumps to its end: the view ends at the bottom, drawn with the
        // thin margin (the whole margin follows once that is on screen).
        assert_eq!(
            drawn_window(w, 5000.0, usize::MAX, 5000.0),
            (4200.0 - JUMP_MARGIN, 5000.0 + JUMP_MARGIN)
        );
        // Below the view, mid-diagram: centred on the playhead.
        assert_eq!(
            drawn_window(w, 2000.0, 9, 5000.0),
            (1600.0 - JUMP_MARGIN, 2400.0 + JUMP_MARGIN)
        );
        // A diagram shorter than the view starts at the top.
        let far = seen((3000.0, 4600.0), 100.0, 3);
        assert_eq!(
            drawn_window(far, 200.0, 4, 300.0),
            (-JUMP_MARGIN, 800.0 + JUMP_MARGIN)
        );
        // Parked there by the reader, at step 3: it stays while the playhead does, though the
        // playhead is out of view; a step takes the view back to the playhead.
        assert_eq!(far.parked, Some(3));
        assert_eq!(drawn_window(far, 100.0, 3, 5000.0), far.range);
        assert_ne!(drawn_window(far, 120.0, 4, 5000.0), far.range);
    }
}
