//! Kafka producer delivery semantics, side by side, in the browser.

mod app;
mod browser;
mod components;
mod i18n;
mod layout;
mod state;
mod stories;
mod svg;
mod url;

fn main() {
    yew::Renderer::<app::App>::new().render();
}
