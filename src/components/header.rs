//! Title, language and theme, and the ways a view leaves the page: link and embed (and on the
//! workshop page SVG and JSON out, a scenario in).

use crate::browser;
use crate::i18n::Lang;
use crate::runs::{Runs, Shared};
use crate::state::{Action, State};
use yew::prelude::*;

/// The `<iframe>` snippet for this view on the embed page (`src`), `height` pixels high.
pub fn embed_code(src: &str, title: &str, height: u32) -> String {
    format!(
        "<iframe src=\"{}\" title=\"{}\" width=\"100%\" height=\"{height}\" style=\"border:0\" loading=\"lazy\"></iframe>",
        crate::svg::esc(src),
        crate::svg::esc(title)
    )
}

/// The height an embed needs in a blog column of about 700 px, so that a reader sees it whole
/// without a scrollbar inside the post: the step bar and the legend, then per row of lanes (two
/// side by side; one alone, its diagram grows to 520 px) the lane's head, its diagram for
/// `diagram_units` of height, and its log strip of `records`. Long runs are capped; their
/// diagrams scroll.
pub fn embed_height(diagram_units: f64, lanes: usize, records: usize) -> u32 {
    use crate::layout::WIDTH;
    let (per_row, width, head) = if lanes <= 1 {
        (1, 520.0, 198.0)
    } else {
        (2, 310.0, 230.0)
    };
    let per_strip_row = strip_per_row(lanes);
    let rows = lanes.max(1).div_ceil(per_row) as f64;
    let strip_rows = records.clamp(1, 61).div_ceil(per_strip_row) as f64;
    let lane = head + 42.0 * strip_rows + diagram_units * width / WIDTH + 12.0;
    (290.0 + rows * lane).clamp(420.0, 1600.0) as u32
}

/// Records a log strip's row holds in the embed's column: a lane alone, or two side by side.
fn strip_per_row(lanes: usize) -> usize {
    if lanes <= 1 {
        16
    } else {
        8
    }
}

/// The records `embed_height` counts for a lane's strip. With several partitions each starts a
/// row of its own under its header (`lane::rows`), so each counts as whole rows; a record that
/// shows its key under its name is a third taller, so keyed rows count a third more.
#[cfg(feature = "partitions")]
pub fn strip_records(t: &delivery_sim::Trace, lanes: usize, keyed: bool) -> usize {
    let per_row = strip_per_row(lanes);
    let records = if t.partitions <= 1 {
        t.log.len()
    } else {
        (0..t.partitions)
            .map(|p| t.log.iter().filter(|r| r.partition == p).count())
            .filter(|&n| n > 0)
            .map(|n| (n + 1).div_ceil(per_row) * per_row)
            .sum()
    };
    if keyed {
        records.div_ceil(per_row) * per_row * 4 / 3
    } else {
        records
    }
}

#[cfg(not(feature = "partitions"))]
pub fn strip_records(t: &delivery_sim::Trace, _: usize, _: bool) -> usize {
    t.log.len()
}

/// The most records a shown lane's partition log holds (in its rows, when keyed).
fn records(doc: &crate::state::Doc, runs: &Runs) -> usize {
    #[cfg(feature = "partitions")]
    let keyed = doc.scenario.keys.iter().any(Option::is_some);
    #[cfg(not(feature = "partitions"))]
    let keyed = false;
    doc.visible
        .iter()
        .filter_map(|&i| runs.lanes[i].as_ref().ok())
        .map(|(trace, _)| strip_records(trace, doc.visible.len(), keyed))
        .max()
        .unwrap_or(0)
}

pub fn header(
    state: &UseReducerHandle<State>,
    runs: &Shared<Runs>,
    #[cfg(feature = "workshop")] ws: &UseReducerHandle<crate::state::Workshop>,
) -> Html {
    let t = state.doc.lang.chrome();
    let d = state.dispatcher();

    let lang_button = |lang: Lang, label: &'static str| {
        let d = d.clone();
        html! {
            <button type="button" aria-pressed={(state.doc.lang == lang).to_string()}
                onclick={move |_| d.dispatch(Action::SetLang(lang))}>{ label }</button>
        }
    };
    let on_dark = {
        let d = d.clone();
        let dark = state.doc.dark;
        Callback::from(move |_: MouseEvent| d.dispatch(Action::SetDark(!dark)))
    };
    let share = {
        let d = d.clone();
        Callback::from(move |_: MouseEvent| {
            let d = d.clone();
            browser::copy(&browser::href(), move |ok| {
                d.dispatch(Action::Copied("link", ok))
            });
        })
    };
    let embed = {
        let d = d.clone();
        let runs = runs.clone();
        let title = t.title;
        let st = state.clone();
        Callback::from(move |_: MouseEvent| {
            let src = browser::embed_href(&crate::url::encode(&st.doc), st.doc.page());
            let height = embed_height(
                runs.axis.height,
                st.doc.visible.len(),
                records(&st.doc, &runs),
            );
            let d = d.clone();
            browser::copy(&embed_code(&src, title, height), move |ok| {
                d.dispatch(Action::Copied("embed", ok))
            });
        })
    };
    let done = |what: &str| t.copy_feedback(state.copied, what);
    html! {
        <header class="top">
            <div class="titles">
                <h1>{ t.title }</h1>
                <p class="subtitle">{ t.subtitle }</p>
            </div>
            <div class="tools">
                <div class="seg" role="group" aria-label={t.language}>
                    { lang_button(Lang::Ko, "한국어") }
                    { lang_button(Lang::En, "EN") }
                </div>
                <button type="button" class="theme" aria-pressed={state.doc.dark.to_string()} onclick={on_dark} aria-label={t.theme} title={t.theme}>{ "◐" }</button>
                { workshop_menu(state, #[cfg(feature = "workshop")] ws) }
                <details class="share share-menu">
                    <summary>{ "⤴ " }{ t.share }</summary>
                    <div class="menu">
                        <button type="button" onclick={share}>{ t.share }{ done("link") }</button>
                        <button type="button" onclick={embed}>{ t.copy_embed }{ done("embed") }</button>
                        { files(state, runs) }
                    </div>
                </details>
            </div>
        </header>
    }
}

/// Files out and in: the lanes as an SVG picture, each lane's trace as JSON, and a scenario
/// pasted or chosen as a file (the CLI's format). On the workshop page, with the other tools.
#[cfg(feature = "workshop")]
fn files(state: &UseReducerHandle<State>, runs: &Shared<Runs>) -> Html {
    let t = state.doc.lang.chrome();
    let d = state.dispatcher();
    let export_svg = {
        let runs = runs.clone();
        let st = state.clone();
        Callback::from(move |_: MouseEvent| {
            let t = st.doc.lang.chrome();
            let lanes: Vec<(String, &crate::layout::Diagram)> = st
                .doc
                .visible
                .iter()
                .filter_map(|&i| {
                    runs.lanes[i]
                        .as_ref()
                        .ok()
                        .map(|(_, d)| (t.lane_names[i].to_string(), d))
                })
                .collect();
            browser::download(
                "kafka-delivery.svg",
                "image/svg+xml",
                &crate::svg::export(&lanes, &st.doc.scenario.messages, &runs.axis, t),
            );
        })
    };
    let export_json = {
        let runs = runs.clone();
        let st = state.clone();
        Callback::from(move |_: MouseEvent| {
            let out = comparison(&st.doc, &runs);
            browser::download("kafka-delivery-trace.json", "application/json", &out);
        })
    };
    let load = {
        let d = d.clone();
        let lang = state.doc.lang;
        Callback::from(move |_: MouseEvent| import(&d, lang, &browser::field_value("import-text")))
    };
    let on_file = {
        let d = d.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            if file.size() > delivery_sim::json::MAX_INPUT_BYTES as f64 {
                d.dispatch(Action::Banner(vec![format!(
                    "{} is {} bytes; the limit is {}",
                    file.name(),
                    file.size() as u64,
                    delivery_sim::json::MAX_INPUT_BYTES
                )]));
                return;
            }
            let d = d.clone();
            let done = wasm_bindgen::closure::Closure::<dyn FnMut(wasm_bindgen::JsValue)>::new(
                move |v: wasm_bindgen::JsValue| match v.as_string() {
                    Some(text) => browser::set_field_value("import-text", &text),
                    None => d.dispatch(Action::Banner(vec!["the file could not be read".into()])),
                },
            );
            let _ = file.text().then(&done);
            // One small closure per chosen file, kept for the promise to call.
            done.forget();
        })
    };
    html! {
        <>
            <button type="button" onclick={export_svg}>{ t.export_svg }</button>
            <button type="button" onclick={export_json}>{ t.export_json }</button>
            <label for="import-text"><span>{ t.import_hint }</span></label>
            <textarea id="import-text" rows="5" spellcheck="false" />
            <input type="file" accept=".json,application/json" aria-label={t.import} onchange={on_file} />
            <button type="button" onclick={load}>{ t.import }</button>
        </>
    }
}

/// The workshop's trace file: the scenario, and each lane shown with its run or why it did not
/// run.
#[cfg(feature = "workshop")]
fn comparison(doc: &crate::state::Doc, runs: &Runs) -> String {
    use delivery_sim::json::{self, Comparison, LaneJson, LaneResult, ScenarioJson, TraceJson};
    let lanes = doc.visible.iter().map(|&i| LaneJson {
        lane: doc.lanes[i].preset.name(),
        result: match &runs.lanes[i] {
            Ok((trace, _)) => LaneResult::Ran(Box::new(TraceJson::of(trace))),
            Err(e) => LaneResult::Refused { error: e },
        },
    });
    json::to_string(&Comparison {
        scenario: ScenarioJson::of(&doc.scenario),
        lanes: lanes.collect(),
    })
}

/// A pasted scenario into the view, or a banner that names what is wrong with it (the view
/// stays as it was).
#[cfg(feature = "workshop")]
fn import(d: &UseReducerDispatcher<State>, lang: Lang, text: &str) {
    match delivery_sim::Scenario::from_json_text(text) {
        Ok(s) if s.messages.len() > crate::state::MAX_UI_MESSAGES => {
            d.dispatch(Action::Banner(vec![format!(
                "{} messages; the app shows at most {} (the CLI runs up to 100000)",
                s.messages.len(),
                crate::state::MAX_UI_MESSAGES
            )]))
        }
        Ok(s) => {
            let note = (!s.producer.0.is_empty()).then(|| match lang {
                Lang::En => {
                    "the scenario's producer settings are not used: each lane keeps its own"
                        .to_string()
                }
                Lang::Ko => {
                    "시나리오의 프로듀서 설정은 쓰지 않습니다: 각 레인은 자기 설정을 유지합니다"
                        .to_string()
                }
            });
            d.dispatch(Action::LoadScenario(Box::new(s)));
            d.dispatch(Action::Banner(note.into_iter().collect()));
        }
        Err(e) => d.dispatch(Action::Banner(vec![e])),
    }
}

/// The app's bundle has no room for these under its size ceiling (reading a scenario names every
/// key it gets wrong: 12 KB gzip with the trace writer; the SVG writer 1.5 KB): the workshop
/// page imports and exports, and the app links there with its view.
#[cfg(not(feature = "workshop"))]
fn files(state: &UseReducerHandle<State>, _: &Shared<Runs>) -> Html {
    let href = browser::page_href("workshop/", &crate::url::encode(&state.doc)) + "#import-text";
    html! {
        <a class="files-link" {href}>{ state.doc.lang.chrome().files_on_workshop }{ " ↗" }</a>
    }
}

/// The exercises: a menu on the workshop page, a link to it here.
#[cfg(feature = "workshop")]
fn workshop_menu(
    state: &UseReducerHandle<State>,
    ws: &UseReducerHandle<crate::state::Workshop>,
) -> Html {
    crate::components::exercise::menu(state, ws)
}

#[cfg(not(feature = "workshop"))]
fn workshop_menu(state: &UseReducerHandle<State>) -> Html {
    let href = format!("workshop/?lang={}", state.doc.lang.code());
    html! {
        <a class="share workshop-link" {href}>{ "✎ " }{ state.doc.lang.chrome().exercises }</a>
    }
}
