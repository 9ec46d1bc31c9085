use super::*;
use crate::stories::Story;
use delivery_sim::simulate;

#[test]
fn both_languages_describe_every_decision() {
    let story = Story::Idempotent;
    let mut s = story.scenario();
    s.producer = story.settings(delivery_sim::Preset::ExactlyOnce);
    let t = simulate(&s).unwrap();
    for e in &t.events {
        if let EventKind::Decided { .. } = e.kind {
            let en = describe(Lang::En, &t, e).unwrap();
            let ko = describe(Lang::Ko, &t, e).unwrap();
            assert_ne!(en, ko);
        }
    }
}
