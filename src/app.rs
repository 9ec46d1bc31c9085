//! The top component: runs every lane on the shared scenario and lays the runs out on one time
//! axis; everything below only draws.

use crate::components::diagram::{drawn_window, in_view, moved_far, seen};
use crate::components::lane::{lane_view, LaneCtx};
use crate::components::{controls::controls, header::header, notes::notes, playback::playback};
use crate::runs::{position, run_all, Runs, Shared};
use crate::state::{Action, State, EMBED_PAGE, SPEEDS};
use crate::{browser, url};
use gloo_timers::callback::Interval;
use std::rc::Rc;
use yew::prelude::*;

#[function_component]
pub fn App() -> Html {
    let state = use_reducer(|| {
        let query = browser::query();
        // Exercises live on the workshop page: a link to one goes there.
        #[cfg(not(feature = "workshop"))]
        if query.split('&').any(|p| p.starts_with("ex=")) {
            browser::open_workshop();
        }
        let (state, problems) = url::decode(&query, browser::defaults());
        State {
            banner: problems,
            #[cfg(feature = "workshop")]
            solved: Rc::new(crate::components::exercise::read_progress()),
            ..state
        }
    });
    let runs = {
        let key = (
            state.doc.scenario.clone(),
            state.doc.lanes.clone(),
            state.doc.visible.clone(),
        );
        let state = state.clone();
        use_memo(key, move |_| Shared(Rc::new(run_all(&state))))
    };
    let runs: Shared<Runs> = (*runs).clone();
    let pos = position(&state, &runs);

    // Workshop exercises live on the workshop page (`workshop/`, built with the `workshop`
    // feature); this page sends a link to an exercise there.
    #[cfg(feature = "workshop")]
    let workshop = crate::components::exercise::use_exercise(&state, &runs);
    #[cfg(not(feature = "workshop"))]
    let workshop = Html::default();

    // Playback: one step per tick, faster with the speed setting.
    {
        let dispatch = state.dispatcher();
        let steps = pos.steps;
        use_effect_with(
            (state.playing, state.speed, steps),
            move |&(playing, speed, steps)| {
                let timer = playing.then(|| {
                    let ms = (900.0 / SPEEDS[speed]) as u32;
                    Interval::new(ms, move || dispatch.dispatch(Action::Tick { steps }))
                });
                move || drop(timer)
            },
        );
    }
    // Keyboard (space plays or pauses, arrows step) and the browser's back and forward, which
    // restore the state from the address.
    {
        let dispatch = state.dispatcher();
        let steps = pos.steps;
        use_effect_with(steps, move |&steps| {
            let keys = {
                let dispatch = dispatch.clone();
                browser::on_key(move |key| match key {
                    " " => dispatch.dispatch(Action::TogglePlay { steps }),
                    "ArrowLeft" => dispatch.dispatch(Action::Step { delta: -1, steps }),
                    "ArrowRight" => dispatch.dispatch(Action::Step { delta: 1, steps }),
                    _ => {}
                })
            };
            // The embed page never adds to the history (see browser::set_query): it has no back
            // and forward of its own to follow.
            let history = (!EMBED_PAGE)
                .then(|| {
                    browser::on_popstate(move || {
                        let (s, problems) = url::decode(&browser::query(), browser::defaults());
                        dispatch.dispatch(Action::Replace(Box::new(s.doc), problems));
                    })
                })
                .flatten();
            move || drop((keys, history))
        });
    }
    // After every change: theme and language on the document, the state in the address bar,
    // and the playhead kept in view in every lane.
    let query = url::encode(&state.doc);
    // What each lane draws: the window that follows the playhead (see drawn_window); the lane
    // redraws only if the scroll ends up far from it.
    let y = runs.axis.y_after(pos.t);
    let drawn = state
        .windows
        .map(|w| drawn_window(w, y, state.doc.step, runs.axis.height));
    {
        let dispatch = state.dispatcher();
        let (dark, lang, visible) = (state.doc.dark, state.doc.lang, state.doc.visible.clone());
        let embedded = state.doc.embedded();
        let windows = state.windows;
        let step = state.doc.step;
        let jumped = move |i: usize| drawn[i] != windows[i].range;
        // A jump (a changed run, or a step out of view) is drawn where the scroll will be: make
        // the scroll before the browser paints. The effect below comes too late for that when
        // Yew yields after 16 ms of work: one frame showed the old scroll over a part of the
        // diagram not drawn. (A task queued now runs once this render is in the page.)
        if visible.iter().any(|&i| jumped(i)) {
            let visible = visible.clone();
            wasm_bindgen_futures::spawn_local(async move {
                for &i in visible.iter().filter(|&&i| jumped(i)) {
                    in_view(i, Some(y));
                }
            });
        }
        use_effect_with((query.clone(), y as i64), move |(query, _)| {
            browser::apply_theme(dark, lang);
            browser::set_query(query, embedded);
            let mut margins = Vec::new();
            for &i in &visible {
                let jump = jumped(i);
                match in_view(i, jump.then_some(y)) {
                    // A jump was drawn with a thin margin: the whole margin once that is on
                    // screen.
                    Some(w) if jump => margins.push((i, w)),
                    // The other lanes keep their scroll; a view that is no longer what was
                    // drawn (the lanes grew wider or narrower) is drawn again.
                    Some(w) if moved_far(w, windows[i].range) => {
                        dispatch.dispatch(Action::Scrolled(i, seen(w, y, step)))
                    }
                    _ => {}
                }
            }
            if !margins.is_empty() {
                let dispatch = dispatch.clone();
                browser::after_paint(move || {
                    for (i, range) in margins {
                        dispatch.dispatch(Action::Scrolled(i, seen(range, y, step)));
                    }
                });
            }
        });
    }

    let t = state.doc.lang.t();
    let embed = state.doc.embedded();
    let dispatch = state.dispatcher();
    let lanes = state.doc.visible.iter().map(|&i| {
        lane_view(&LaneCtx {
            index: i,
            runs: &runs,
            state: &state,
            pos: &pos,
            dispatch: &dispatch,
            window: drawn[i],
        })
    });
    let lane_count = state.doc.visible.len();
    html! {
        <div class={if embed { "app embed" } else { "app" }}>
            if !embed {
                { header(&state, &runs) }
            }
            if !state.banner.is_empty() {
                <div class="banner" role="alert">
                    <strong>{ t.ignored_in_link }</strong>
                    <ul>{ for state.banner.iter().map(|b| html! { <li>{ b }</li> }) }</ul>
                    <button onclick={let d = state.dispatcher(); move |_| d.dispatch(Action::DismissBanner)}>{ t.dismiss }</button>
                </div>
            }
            <main class="layout">
                if !embed {
                    { controls(&state) }
                }
                <section class="stage" aria-label={t.story}>
                    { workshop }
                    { playback(&state, &pos, &runs) }
                    <div class="lanes" style={format!("--lanes:{lane_count}")}>
                        { for lanes }
                    </div>
                    { legend(state.doc.lang) }
                    if !embed {
                        { break_it(&state) }
                    }
                    { price_chart(&state) }
                    if embed {
                        <a class="full-link" href={browser::page_href("", &query)} target="_blank" rel="noopener">{ t.open_full }</a>
                    } else {
                        { notes(state.doc.lang) }
                    }
                </section>
            </main>
        </div>
    }
}

/// The price of each guarantee, on the workshop page.
#[cfg(feature = "workshop")]
fn price_chart(state: &State) -> Html {
    use crate::components::price::PriceChart;
    if state.doc.embedded() {
        return Html::default();
    }
    html! {
        <PriceChart scenario={state.doc.scenario.clone()} lanes={state.doc.lanes.clone()} lang={state.doc.lang} />
    }
}

#[cfg(not(feature = "workshop"))]
fn price_chart(_: &State) -> Html {
    Html::default()
}

/// "Break it": the smallest fault scripts that break each lane's guarantees; a result is
/// loaded as the page's faults. Not on the embed page (its budget has no room for the search).
#[cfg(feature = "embed")]
fn break_it(_: &UseReducerHandle<State>) -> Html {
    Html::default()
}

#[cfg(not(feature = "embed"))]
fn break_it(state: &UseReducerHandle<State>) -> Html {
    use crate::components::break_it::BreakIt;
    let on_load = {
        let dispatch = state.dispatcher();
        let scenario = state.doc.scenario.clone();
        Callback::from(move |faults: Vec<delivery_sim::Fault>| {
            let mut sc = scenario.clone();
            sc.faults = faults;
            dispatch.dispatch(Action::LoadScenario(Box::new(sc)));
        })
    };
    html! {
        <BreakIt scenario={state.doc.scenario.clone()} lanes={state.doc.lanes.clone()}
            visible={state.doc.visible.clone()} lang={state.doc.lang} {on_load} />
    }
}

/// What each colour and shape means.
fn legend(lang: crate::i18n::Lang) -> Html {
    let t = lang.t();
    let items = [
        ("req", "→"),
        ("ack", "←"),
        ("x", "✕"),
        ("m-dup", "⚠"),
        ("m-dedup", "≡"),
        ("err", "⊘"),
        ("held", "‖"),
    ];
    let mut o = String::from("<ul class=\"legend\">");
    for ((class, sym), text) in items.iter().zip(t.legend.iter()) {
        o.push_str(&format!(
            "<li><span class=\"sym {class}\" aria-hidden=\"true\">{sym}</span>{}</li>",
            crate::svg::esc(text)
        ));
    }
    o.push_str("</ul>");
    Html::from_html_unchecked(o.into())
}
