//! Kafka producer delivery semantics, side by side, in the browser.

#[cfg(all(feature = "embed", feature = "workshop"))]
compile_error!("the embed page and the workshop page are separate builds: pick one feature");

mod app;
mod browser;
mod components;
mod hooks;
mod i18n;
mod layout;
mod lessons;
mod narration;
mod runs;
mod state;
mod stories;
mod svg;
mod url;

#[cfg(all(not(target_feature = "atomics"), target_family = "wasm"))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

fn main() {
    // Into its own root, after the prerendered picture of the default view, which stays on
    // screen until the app's first drawing replaces it (see `build/post-build.mjs`).
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("root"));
    match root {
        Some(root) => yew::Renderer::<app::App>::with_root(root).render(),
        None => yew::Renderer::<app::App>::new().render(),
    };
}
