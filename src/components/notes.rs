//! Where Kafka differs from the seed's study notes, in one short note each.

use crate::i18n::Lang;
use crate::svg::esc;
use yew::prelude::*;

pub fn notes(lang: Lang) -> Html {
    let t = lang.chrome();
    let mut o = format!("<aside class=\"notes\"><h2>{}</h2><ul>", esc(t.notes_title));
    for n in t.notes {
        o.push_str(&format!("<li>{}</li>", esc(n)));
    }
    o.push_str("</ul></aside>");
    Html::from_html_unchecked(o.into())
}
