//! The few things the app asks of the browser: the address, preferences, keys, files, clipboard.
//! Every call tolerates a missing API (an old browser, a sandboxed iframe) by doing nothing.

use crate::i18n::Lang;
use gloo_events::EventListener;
use wasm_bindgen::JsCast;

/// The defaults a first visit gets: language and theme from the browser.
pub struct Defaults {
    pub lang: Lang,
    pub dark: bool,
}

pub fn defaults() -> Defaults {
    let window = web_sys::window();
    let lang = window
        .as_ref()
        .and_then(|w| w.navigator().language())
        .and_then(|l| Lang::from_code(&l.to_ascii_lowercase()))
        .unwrap_or_default();
    Defaults {
        lang,
        dark: media("(prefers-color-scheme: dark)"),
    }
}

pub fn media(query: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.match_media(query).ok().flatten())
        .is_some_and(|m| m.matches())
}

/// The query string without its `?`.
pub fn query() -> String {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .map(|s| s.trim_start_matches('?').to_string())
        .unwrap_or_default()
}

/// Writes the state into the address bar: a new history entry when what runs changed, the same
/// entry when only the playback step moved or the page has just opened (the link as written
/// becomes the link in full; a new entry would make the first Back land on the same view). An
/// embed never adds one: an iframe's entries are the page's, and a reader's Back button would
/// undo clicks in the embed instead of leaving the post.
pub fn set_query(q: &str, embedded: bool) {
    use std::sync::atomic::{AtomicBool, Ordering};
    static OPENED: AtomicBool = AtomicBool::new(false);
    let opening = !OPENED.swap(true, Ordering::Relaxed);
    let Some(window) = web_sys::window() else {
        return;
    };
    let current = query();
    if current == q {
        return;
    }
    let Ok(history) = window.history() else {
        return;
    };
    let strip = |s: &str| {
        s.split('&')
            .filter(|p| !p.starts_with("step="))
            .collect::<Vec<_>>()
            .join("&")
    };
    let path = window.location().pathname().unwrap_or_default();
    let url = if q.is_empty() {
        path
    } else {
        format!("{path}?{q}")
    };
    let _ = if opening || embedded || strip(&current) == strip(q) {
        history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url))
    } else {
        history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url))
    };
}

/// The app's folder as seen from this page: the workshop and embed pages sit one folder below.
const ROOT: &str = if cfg!(any(feature = "workshop", feature = "embed")) {
    "../"
} else {
    "./"
};

/// The full address of one of the app's pages (`""` the app, `"embed/"`, `"workshop/"`) with a
/// view's query, less `embed`: the embed page is one by itself, and the app opened from an embed
/// shows its chrome.
pub fn page_href(page: &str, query: &str) -> String {
    let relative = format!("{ROOT}{page}");
    let base = web_sys::Url::new_with_base(&relative, &href())
        .map(|u| u.href())
        .unwrap_or(relative);
    let q: Vec<&str> = query
        .split('&')
        .filter(|p| !p.is_empty() && *p != "embed" && !p.starts_with("embed="))
        .collect();
    if q.is_empty() {
        base
    } else {
        format!("{base}?{}", q.join("&"))
    }
}

/// Where an iframe showing this view loads: the embed page itself (`"embed/"`, its lean engine),
/// or the embed view of the page whose bundle runs it (`""` the app: replicas, batches;
/// `"workshop/"`: partitions and keys).
pub fn embed_href(query: &str, page: &str) -> String {
    let href = page_href(page, query);
    if page == "embed/" {
        return href;
    }
    match href.split_once('?') {
        Some((base, q)) => format!("{base}?embed&{q}"),
        None => format!("{href}?embed"),
    }
}

/// The full address of the current view.
pub fn href() -> String {
    web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default()
}

pub fn apply_theme(dark: bool, lang: Lang) {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        // Setting an attribute, even to the value it has, restyles the whole page (the theme's
        // colours hang on the root): 40 ms with three 1,000-message lanes. Only on a change.
        for (name, value) in [
            ("data-theme", if dark { "dark" } else { "light" }),
            ("lang", lang.code()),
        ] {
            if root.get_attribute(name).as_deref() != Some(value) {
                let _ = root.set_attribute(name, value);
            }
        }
    }
}

/// Calls `f` with the key of every keydown that is not typed into a form field.
pub fn on_key(f: impl Fn(&str) + 'static) -> Option<EventListener> {
    let document = web_sys::window()?.document()?;
    // Not passive (gloo's default): the space bar would scroll the page while it plays.
    let options = gloo_events::EventListenerOptions::enable_prevent_default();
    Some(EventListener::new_with_options(
        &document,
        "keydown",
        options,
        move |e| {
            let Some(e) = e.dyn_ref::<web_sys::KeyboardEvent>() else {
                return;
            };
            if e.ctrl_key() || e.meta_key() || e.alt_key() {
                return;
            }
            let target = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
            let tag = target.as_ref().map(|el| el.tag_name()).unwrap_or_default();
            let key = e.key();
            // Form fields keep their keys; a focused button keeps its space bar.
            if matches!(tag.as_str(), "INPUT" | "TEXTAREA" | "SELECT") {
                return;
            }
            let on_button = matches!(tag.as_str(), "BUTTON" | "SUMMARY" | "A")
                || target.is_some_and(|el| el.get_attribute("role").as_deref() == Some("button"));
            if on_button && key == " " {
                return;
            }
            if matches!(key.as_str(), " " | "ArrowLeft" | "ArrowRight") {
                e.prevent_default();
                f(&key);
            }
        },
    ))
}

/// Calls `f` once the next frame is on screen (a task queued from that frame's callback): work
/// that can wait for the page to show what changed.
pub fn after_paint(f: impl FnOnce() + 'static) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let frame = wasm_bindgen::closure::Closure::once_into_js(move || {
        gloo_timers::callback::Timeout::new(0, f).forget();
    });
    let _ = window.request_animation_frame(frame.unchecked_ref());
}

/// Back and Forward. The focus is taken first, as a page load would take it: a field the reader
/// was typing in sends its `change` (what they typed, kept on screen by `typed`) now, before `f`
/// puts the address's view back, not later, on leaving the field, over that view and its
/// history.
pub fn on_popstate(f: impl Fn() + 'static) -> Option<EventListener> {
    let window = web_sys::window()?;
    Some(EventListener::new(&window, "popstate", move |_| {
        if let Some(el) = focused() {
            el.unchecked_into::<Focusable>().blur();
        }
        f()
    }))
}

/// The element that has the focus.
fn focused() -> Option<web_sys::Element> {
    web_sys::window()?.document()?.active_element()
}

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// An element that takes the focus, HTML or SVG. Its `blur()` throws nothing, so this
    /// binding catches nothing (web-sys's, HTMLElement's, catches).
    type Focusable;
    #[wasm_bindgen(method)]
    fn blur(this: &Focusable);
}

/// Offers `content` as a file download.
#[cfg(feature = "workshop")]
pub fn download(filename: &str, mime: &str, content: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(content));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Ok(a) = document
        .create_element("a")
        .map(|a| a.unchecked_into::<web_sys::HtmlAnchorElement>())
    {
        a.set_href(&url);
        a.set_download(filename);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// Writes `text` to the clipboard, then calls `done` with whether the browser took it (it may
/// refuse: no permission, an iframe not allowed to, an insecure page).
pub fn copy(text: &str, done: impl FnOnce(bool) + 'static) {
    let Some(w) = web_sys::window() else {
        return done(false);
    };
    let written = wasm_bindgen_futures::JsFuture::from(w.navigator().clipboard().write_text(text));
    wasm_bindgen_futures::spawn_local(async move { done(written.await.is_ok()) });
}

#[cfg(feature = "workshop")]
/// The value of a text field or textarea by id (uncontrolled fields read on demand).
pub fn field_value(id: &str) -> String {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|el| el.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
        .map(|t| t.value())
        .unwrap_or_default()
}

#[cfg(feature = "workshop")]
pub fn set_field_value(id: &str, value: &str) {
    if let Some(t) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|el| el.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
    {
        t.set_value(value);
    }
}

/// What a field shows: the document's `value`, or in the field the reader is typing in, what
/// they have typed. Yew writes an input's `value` whenever it differs from the field's text, so
/// any render before they commit it (a playback tick, a hover, the second drawing after a
/// change) would put the old value back under their fingers.
pub fn typed(id: &str, value: String) -> String {
    match focused() {
        // An input's `value` getter is `.value`, which a textarea has too.
        Some(el) if el.id() == id => el.unchecked_into::<web_sys::HtmlInputElement>().value(),
        _ => value,
    }
}

/// The value of the input, select or textarea an event came from. An input's `value` getter is
/// `.value`, which the other two have as well: one binding serves all three.
pub fn input_value(e: &web_sys::Event) -> String {
    e.target().map_or(String::new(), |t| {
        t.unchecked_into::<web_sys::HtmlInputElement>().value()
    })
}

/// Fetches a file of the app (relative to the page) as text.
#[cfg(feature = "workshop")]
pub async fn fetch_text(url: &str) -> Result<String, String> {
    use wasm_bindgen_futures::JsFuture;
    let why = |e: wasm_bindgen::JsValue| {
        let msg = e
            .dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .unwrap_or_default();
        format!("{url} could not be loaded: {msg}")
    };
    let window = web_sys::window().ok_or_else(|| format!("{url}: no window"))?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(why)?
        .unchecked_into();
    if !response.ok() {
        return Err(format!(
            "{url} could not be loaded: HTTP {}",
            response.status()
        ));
    }
    let text = JsFuture::from(response.text().map_err(why)?)
        .await
        .map_err(why)?;
    text.as_string().ok_or_else(|| format!("{url} is not text"))
}

/// A value kept in the browser (localStorage), if it can keep one.
#[cfg(feature = "workshop")]
pub fn stored(key: &str) -> Option<String> {
    web_sys::window()?
        .local_storage()
        .ok()??
        .get_item(key)
        .ok()?
}

#[cfg(feature = "workshop")]
pub fn store(key: &str, value: &str) {
    if let Some(s) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = s.set_item(key, value);
    }
}

/// Closes the `<details>` menu a click came from.
#[cfg(feature = "workshop")]
pub fn close_menu(e: &web_sys::Event) {
    if let Some(menu) = closest(e, "details") {
        let _ = menu.remove_attribute("open");
    }
}

/// Goes to another address in this page's place (no new history entry).
#[cfg(not(feature = "workshop"))]
pub fn open(href: &str) {
    if let Some(w) = web_sys::window() {
        let _ = w.location().replace(href);
    }
}

/// The nearest element matching `selector` around where an event happened (event delegation).
pub fn closest(e: &web_sys::Event, selector: &str) -> Option<web_sys::Element> {
    e.target()?
        .dyn_into::<web_sys::Element>()
        .ok()?
        .closest(selector)
        .ok()
        .flatten()
}

/// The element with a `data-act` attribute a click landed in (delegated click handlers).
pub fn acted_on(e: &web_sys::Event) -> Option<web_sys::Element> {
    closest(e, "[data-act]")
}
