//! The sequence diagram of one lane: lifelines, requests and ACKs as slanted arrows, crosses where
//! they were lost, the broker's decisions, and the playhead. Only what is on screen is drawn.

use crate::app::{Runs, Shared};
use crate::i18n::Lang;
use crate::layout::{Arrow, ArrowKind, BROKER_X, PRODUCER_X, TOP, WIDTH};
use crate::state::{Action, State};
use crate::svg::{
    arrow_class, cross, head, label_pos, mark_anchor, mark_offsets, mark_style, mark_text, seconds,
};
use delivery_sim::Loss;
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

/// The part of the diagram in view, in SVG units, with a margin.
#[derive(Clone, Copy, PartialEq)]
struct Window {
    lo: f64,
    hi: f64,
}

const MARGIN: f64 = 400.0;

fn window_of(el: &web_sys::Element) -> Window {
    let scale = (el.client_width() as f64 / WIDTH).max(0.1);
    let top = el.scroll_top() as f64 / scale;
    let h = el.client_height() as f64 / scale;
    Window {
        lo: top - MARGIN,
        hi: top + h + MARGIN,
    }
}

fn tooltip(a: &Arrow, lang: Lang) -> String {
    let t = lang.t();
    let what = match a.kind {
        ArrowKind::Request => t.legend[0],
        ArrowKind::Response => t.legend[1],
    };
    let fate = match a.lost {
        Some(Loss::Scripted) => format!(" ✕ {}", t.legend[2]),
        Some(Loss::Random) => format!(" ✕ {} (random)", t.legend[2]),
        Some(Loss::BrokerDown) => format!(" ✕ {}", t.down),
        None => String::new(),
    };
    let action = if a.lost == Some(Loss::Scripted) {
        t.click_to_restore
    } else {
        t.click_to_drop
    };
    format!(
        "{} · {what} · {} → {}{fate}{} · {action}",
        a.label,
        seconds(a.t0),
        seconds(a.t1),
        a.error.map_or(String::new(), |e| format!(" · {e}")),
    )
}

#[function_component]
pub fn DiagramView(p: &DiagramProps) -> Html {
    let t = p.lang.t();
    let scroller = use_node_ref();
    let window = use_state(|| Window {
        lo: -MARGIN,
        hi: 1200.0,
    });
    let Ok((_, d)) = &p.runs.lanes[p.lane] else {
        return html! {};
    };
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
    let onscroll = {
        let window = window.clone();
        Callback::from(move |e: Event| {
            if let Some(el) = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) {
                let w = window_of(&el);
                // Redraw only when the view moved by a good part of the margin.
                if (w.lo - window.lo).abs() > MARGIN / 3.0 {
                    window.set(w);
                }
            }
        })
    };
    let win = *window;
    let in_view = |y1: f64, y2: f64| y1.min(y2) <= win.hi && y1.max(y2) >= win.lo;

    let arrows = d
        .arrows
        .iter()
        .filter(|a| in_view(a.y1, a.y2))
        .map(|a| {
            let future = a.t0 > p.t_now;
            let in_flight = !future && a.t1 > p.t_now;
            let now = a.t1 == p.t_now || a.t0 == p.t_now;
            let (mut x2, mut y2) = (a.x2, a.y2);
            if in_flight && a.y2 > a.y1 {
                let f = ((y_now - a.y1) / (a.y2 - a.y1)).clamp(0.0, 1.0);
                x2 = a.x1 + (a.x2 - a.x1) * f;
                y2 = a.y1 + (a.y2 - a.y1) * f;
            }
            let class = classes!(
                "arrow",
                arrow_class(a),
                future.then_some("future"),
                in_flight.then_some("inflight"),
                (now && !future).then_some("now"),
                (p.highlight == Some(a.req)).then_some("story"),
                (p.focus == Some(a.req)).then_some("focus"),
            );
            let (lx, ly, anchor) = label_pos(a);
            let toggle = {
                let dispatch = p.dispatch.clone();
                let (msg, attempt, response) = (a.msg, a.attempt, a.kind == ArrowKind::Response);
                move || dispatch.dispatch(Action::ToggleArrow { msg, attempt, response })
            };
            let onclick = {
                let toggle = toggle.clone();
                Callback::from(move |_: MouseEvent| toggle())
            };
            let onkeydown = Callback::from(move |e: KeyboardEvent| {
                if e.key() == "Enter" || e.key() == " " {
                    e.prevent_default();
                    toggle();
                }
            });
            let focus_on = {
                let dispatch = p.dispatch.clone();
                let target = Some((p.lane, a.req));
                Callback::from(move |_: FocusEvent| dispatch.dispatch(Action::Focus(target)))
            };
            let hover_on = {
                let dispatch = p.dispatch.clone();
                let target = Some((p.lane, a.req));
                Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::Focus(target)))
            };
            let hover_off = {
                let dispatch = p.dispatch.clone();
                Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::Focus(None)))
            };
            let tip = tooltip(a, p.lang);
            html! {
                <g class={class} tabindex="0" role="button" aria-label={tip.clone()}
                    data-req={a.req.to_string()} data-msg={a.msg.to_string()} data-attempt={a.attempt.to_string()}
                    data-kind={if a.kind == ArrowKind::Request { "request" } else { "response" }}
                    data-lost={a.lost.is_some().to_string()}
                    {onclick} {onkeydown} onfocus={focus_on} onmouseenter={hover_on} onmouseleave={hover_off}>
                    <title>{ tip }</title>
                    <line class="hit" x1={f(a.x1)} y1={f(a.y1)} x2={f(a.x2)} y2={f(a.y2)} />
                    <line x1={f(a.x1)} y1={f(a.y1)} x2={f(x2)} y2={f(y2)} />
                    if !in_flight {
                        if a.lost.is_some() {
                            { for cross(a.x2, a.y2).iter().map(|&(x1, y1, x2, y2)| html! {
                                <line class="x" x1={f(x1)} y1={f(y1)} x2={f(x2)} y2={f(y2)} />
                            }) }
                        } else {
                            <polygon points={head(a.x1, a.y1, a.x2, a.y2)} />
                        }
                    }
                    <text x={f(lx)} y={f(ly)} text-anchor={anchor}>{ &a.label }</text>
                </g>
            }
        });
    let offsets = mark_offsets(&d.marks);
    let marks = d
        .marks
        .iter()
        .zip(offsets)
        .filter(|(m, _)| in_view(m.y, m.y))
        .map(|(m, dy)| {
            let (x, anchor) = mark_anchor(m);
            let class = classes!(
                "mark",
                mark_style(m.kind).1,
                (m.t > p.t_now).then_some("future"),
                (m.t == p.t_now).then_some("now"),
                (m.req.is_some() && p.focus == m.req).then_some("focus"),
            );
            html! {
                <text class={class} x={f(x)} y={f(m.y + 3.0 + dy)} text-anchor={anchor}>{ mark_text(m, t) }</text>
            }
        });
    let mid = (PRODUCER_X + BROKER_X) / 2.0;
    let breaks = axis.breaks.iter().filter(|b| in_view(b.y, b.y)).map(|b| {
        html! {
            <g class="brk">
                <rect x={f(PRODUCER_X - 8.0)} y={f(b.y - 8.0)} width={f(BROKER_X - PRODUCER_X + 16.0)} height="16" rx="3" />
                <text x={f(mid)} y={f(b.y + 3.5)} text-anchor="middle">{ format!("⋯ {} ⋯", seconds(b.ms)) }</text>
            </g>
        }
    });
    let h = axis.height;
    html! {
        <div class="diagram-scroll" ref={scroller} {onscroll}>
            <svg class="diagram" viewBox={format!("0 0 {WIDTH} {h:.0}")} role="img" aria-label={p.label.clone()}
                data-arrows={d.arrows.len().to_string()}>
                <text class="lifeline-head" x={f(PRODUCER_X)} y={f(TOP - 14.0)} text-anchor="middle">{ t.producer }</text>
                <text class="lifeline-head" x={f(BROKER_X)} y={f(TOP - 14.0)} text-anchor="middle">{ t.broker }</text>
                <line class="life" x1={f(PRODUCER_X)} y1={f(TOP - 6.0)} x2={f(PRODUCER_X)} y2={f(h - 20.0)} />
                <line class="life" x1={f(BROKER_X)} y1={f(TOP - 6.0)} x2={f(BROKER_X)} y2={f(h - 20.0)} />
                { for breaks }
                <rect class="past-shade" x="0" y="0" width={f(WIDTH)} height={f(y_now.max(0.0))} />
                { for arrows }
                { for marks }
                <line class="playhead" x1="0" x2={f(WIDTH)} y1="0" y2="0" style={format!("transform:translateY({y_now:.1}px)")} />
            </svg>
        </div>
    }
}

fn f(v: f64) -> String {
    format!("{v:.1}")
}
