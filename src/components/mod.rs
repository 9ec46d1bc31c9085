#[cfg(feature = "workshop")]
pub mod break_it;
pub mod controls;
pub mod diagram;
pub mod events;
#[cfg(feature = "workshop")]
pub mod exercise;
pub mod header;
pub mod lane;
pub mod lane_ctx;
pub mod lane_settings;
pub mod notes;
pub mod playback;
#[cfg(feature = "workshop")]
pub mod price;
#[cfg(not(feature = "embed"))]
pub mod producer_state;

#[cfg(not(feature = "embed"))]
use yew::prelude::*;

/// Whether a `<details>` is open, and the `ontoggle` that keeps it known: what it holds is
/// drawn only while it is.
#[cfg(not(feature = "embed"))]
#[hook]
pub fn use_details_open() -> (bool, Callback<Event>) {
    let open = use_state(|| false);
    let ontoggle = {
        let open = open.clone();
        Callback::from(move |e: Event| {
            let el: web_sys::HtmlDetailsElement = e.target_unchecked_into();
            open.set(el.open());
        })
    };
    (*open, ontoggle)
}
