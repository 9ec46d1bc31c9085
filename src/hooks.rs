//! What the page does besides drawing, as hooks: the playback timer, the keyboard and the
//! browser's Back and Forward, and after every render the address, the document's theme and
//! language, and each lane's scroll. The reducer stays pure; these talk to the browser.

use crate::components::diagram::{drawn_window, in_view, moved_far, seen};
use crate::runs::Runs;
use crate::state::{Action, State, EMBED_PAGE, SPEEDS};
use crate::{browser, url};
use gloo_timers::callback::Interval;
use yew::prelude::*;

/// Playback: one step per tick, faster with the speed setting.
#[hook]
pub fn use_playback(state: &UseReducerHandle<State>, steps: usize) {
    let dispatch = state.dispatcher();
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

/// The keyboard (space plays or pauses, arrows step) and the browser's Back and Forward, which
/// restore the document from the address.
#[hook]
pub fn use_keys_and_history(state: &UseReducerHandle<State>, steps: usize) {
    let dispatch = state.dispatcher();
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

/// After every change: theme and language on the document, the document in the address bar,
/// and the playhead kept in view in every lane. Returns what each lane draws: the window that
/// follows the playhead (see drawn_window); a lane redraws only if its scroll ends up far from
/// it.
#[hook]
pub fn use_address_and_scroll(
    state: &UseReducerHandle<State>,
    runs: &Runs,
    t: u64,
    query: &str,
) -> [(f64, f64); crate::state::LANES] {
    let y = runs.axis.y_after(t);
    let doc = &state.doc;
    let drawn = state
        .windows
        .map(|w| drawn_window(w, y, doc.step, runs.axis.height));
    let dispatch = state.dispatcher();
    let (dark, lang, visible) = (doc.dark, doc.lang, doc.visible.clone());
    let embedded = doc.embedded();
    let windows = state.windows;
    let step = doc.step;
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
    use_effect_with((query.to_string(), y as i64), move |(query, _)| {
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
    drawn
}
