//! Kafka producer delivery semantics, side by side, in the browser.

#[cfg(all(feature = "embed", feature = "workshop"))]
compile_error!("the embed page and the workshop page are separate builds: pick one feature");

mod app;
mod browser;
mod components;
mod i18n;
mod layout;
mod runs;
mod state;
mod stories;
mod svg;
mod url;

#[cfg(all(not(target_feature = "atomics"), target_family = "wasm"))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

fn main() {
    yew::Renderer::<app::App>::new().render();
}
