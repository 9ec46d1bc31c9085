//! The top component: runs every lane on the shared scenario and lays the runs out on one time
//! axis; everything below only draws.

use crate::components::lane::lane_view;
use crate::components::lane_ctx::LaneCtx;
use crate::components::{controls::controls, header::header, notes::notes, playback::playback};
use crate::runs::{position, run_all, Position, Runs, Shared};
use crate::state::{Action, State};
use crate::{browser, hooks, url};
use std::rc::Rc;
use yew::prelude::*;

/// The state the address asks for, with its problems in the banner. A link this page's bundle
/// cannot show (an exercise or partitions; on the embed page replicas or shared batches) is
/// opened where it can be.
fn initial_state() -> State {
    let query = browser::query();
    let (state, problems) = url::decode(&query, browser::defaults());
    // Exercises, and topics of several partitions, are in the workshop page's bundle only
    // (partitions do not fit the app's size ceiling): a link to them opens there, as an
    // embed if it was one.
    #[cfg(not(feature = "workshop"))]
    let workshop = url::needs_workshop(&query);
    #[cfg(not(feature = "workshop"))]
    if workshop {
        browser::open(&if state.doc.embedded() {
            browser::embed_href(&query, "workshop/")
        } else {
            browser::page_href("workshop/", &query)
        });
    }
    // The embed page's engine has one broker and one record a batch
    // (`delivery_sim::sim::REPLICATION`, `BATCHING`): a view with replicas, or with sends
    // that do not wait for each result, opens in the app's embed view instead.
    #[cfg(feature = "embed")]
    if !workshop && state.doc.scenario.needs_full_engine() {
        browser::open(&browser::embed_href(&query, ""));
    }
    State {
        banner: problems,
        ..state
    }
}

#[function_component]
pub fn App() -> Html {
    let state = use_reducer(initial_state);
    // A view the embed page opens in the app (see `initial_state`) draws nothing while it goes
    // (the page never changes its scenario).
    #[cfg(feature = "embed")]
    if state.doc.scenario.needs_full_engine() {
        return Html::default();
    }
    let runs = {
        let key = (
            state.doc.scenario.clone(),
            state.doc.lanes.clone(),
            state.doc.visible.clone(),
            state.doc.story,
        );
        let state = state.clone();
        use_memo(key, move |_| Shared(Rc::new(run_all(&state))))
    };
    let runs: Shared<Runs> = (*runs).clone();
    let pos = position(&state, &runs);

    // Workshop exercises live on the workshop page (`workshop/`, built with the `workshop`
    // feature); this page sends a link to an exercise there.
    #[cfg(feature = "workshop")]
    let ws = crate::components::exercise::use_workshop();
    #[cfg(feature = "workshop")]
    let workshop = crate::components::exercise::use_exercise(&state, &ws, &runs);
    #[cfg(not(feature = "workshop"))]
    let workshop = Html::default();

    hooks::use_playback(&state, pos.steps);
    hooks::use_keys_and_history(&state, pos.steps);
    let query = url::encode(&state.doc);
    let drawn = hooks::use_address_and_scroll(&state, &runs, pos.t, &query);

    let t = state.doc.lang.t();
    let embed = state.doc.embedded();
    html! {
        <div class={if embed { "app embed" } else { "app" }}>
            if !embed {
                // (The workshop page's has the exercise menu, which reads the workshop's state.)
                { header(&state, &runs, #[cfg(feature = "workshop")] &ws) }
            }
            if !state.banner.is_empty() {
                <div class="banner" role="alert">
                    <strong>{ banner_title(&state) }</strong>
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
                    { lanes(&state, &runs, &pos, &drawn) }
                    { legend(state.doc.lang) }
                    if !embed {
                        { break_it(&state, &query) }
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

/// The lanes shown, side by side, each drawing the part of its diagram in view (`drawn`).
fn lanes(
    state: &UseReducerHandle<State>,
    runs: &Shared<Runs>,
    pos: &Position,
    drawn: &[(f64, f64)],
) -> Html {
    let dispatch = state.dispatcher();
    let lanes = state.doc.visible.iter().map(|&i| {
        lane_view(&LaneCtx {
            index: i,
            runs,
            state,
            pos,
            dispatch: &dispatch,
            window: drawn[i],
        })
    });
    html! {
        <div class="lanes" style={format!("--lanes:{}", state.doc.visible.len())}>
            { for lanes }
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
/// loaded as the page's faults. It runs on the workshop page, with the exercises (12 KB gzip:
/// the app's bundle has no room under its ceiling); the app links there with its view (`query`,
/// the address it already wrote). Not shown embedded.
#[cfg(not(feature = "workshop"))]
fn break_it(state: &UseReducerHandle<State>, query: &str) -> Html {
    let href = browser::page_href("workshop/", query) + "#break";
    let (title, text) = match state.doc.lang {
        crate::i18n::Lang::En => ("Break it", "Find the smallest fault script that breaks each lane's guarantees, on the workshop page"),
        crate::i18n::Lang::Ko => ("깨뜨려 보기", "각 레인의 보장을 깨뜨리는 가장 작은 장애 조합 찾기 (워크숍 페이지)"),
    };
    html! {
        <p class="break-link"><a {href}><strong>{ title }</strong>{ " · " }{ text }{ " ↗" }</a></p>
    }
}

#[cfg(feature = "workshop")]
fn break_it(state: &UseReducerHandle<State>, _query: &str) -> Html {
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

/// What the banner is about: the link, or (workshop page) a file or an exercise.
fn banner_title(state: &State) -> &'static str {
    let t = state.doc.lang.t();
    #[cfg(feature = "workshop")]
    if state.banner_not_link {
        return t.not_loaded;
    }
    t.ignored_in_link
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
