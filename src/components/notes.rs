//! Where Kafka differs from the seed's study notes, in one short note each.

use crate::i18n::Lang;
use yew::prelude::*;

pub fn notes(lang: Lang) -> Html {
    let t = lang.t();
    html! {
        <aside class="notes">
            <h2>{ t.notes_title }</h2>
            <ul>{ for t.notes.iter().map(|n| html! { <li>{ *n }</li> }) }</ul>
        </aside>
    }
}
