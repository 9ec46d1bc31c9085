//! Where Kafka differs from the seed's study notes, in one short note each.

use crate::i18n::Lang;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct NotesProps {
    pub lang: Lang,
}

#[function_component]
pub fn Notes(p: &NotesProps) -> Html {
    let t = p.lang.t();
    html! {
        <aside class="notes">
            <h2>{ t.notes_title }</h2>
            <ul>{ for t.notes.iter().map(|n| html! { <li>{ *n }</li> }) }</ul>
        </aside>
    }
}
