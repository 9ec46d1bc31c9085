use super::draw::*;
use super::*;
use crate::i18n::EN;
use crate::layout::layout;
use crate::stories::Story;
use delivery_sim::{simulate, Preset};

#[test]
fn a_retried_idempotent_request_is_labelled_with_its_attempt_pid_and_sequence() {
    let mut s = Story::SideBySide.scenario();
    s.producer = Preset::ExactlyOnce.settings();
    let t = simulate(&s).unwrap();
    let d = layout(&t, &Axis::new(&[&t]));
    let labels: Vec<String> = d
        .arrows
        .iter()
        .map(|a| arrow_label(a, &d, &t.messages))
        .collect();
    assert!(labels.iter().any(|l| l == "B #3 pid0 seq1"), "{labels:?}");
    assert!(labels.iter().any(|l| l == "ACK 1"), "{labels:?}");
}

#[test]
fn export_is_a_standalone_svg_with_every_arrow() {
    let traces: Vec<_> = Preset::ALL
        .iter()
        .map(|&p| {
            let mut s = Story::SideBySide.scenario();
            s.producer = p.settings();
            simulate(&s).unwrap()
        })
        .collect();
    let refs: Vec<_> = traces.iter().collect();
    let axis = Axis::new(&refs);
    let diagrams: Vec<_> = traces.iter().map(|t| layout(t, &axis)).collect();
    let lanes: Vec<(String, &Diagram)> = diagrams
        .iter()
        .enumerate()
        .map(|(i, d)| (EN.lane_names[i].to_string(), d))
        .collect();
    let svg = export(&lanes, &traces[0].messages, &axis, &EN);
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    let arrows: usize = diagrams.iter().map(|d| d.arrows.len()).sum();
    assert_eq!(svg.matches("<g class=\"arrow ").count(), arrows);
    assert_eq!(
        svg.matches("class=\"x\"").count(),
        2 * 5,
        "five losses, two strokes each"
    );
    assert!(svg.contains("off 2 dup"));
    assert!(svg.contains("≡ dup → off 1"));
}

#[test]
fn tiles_hold_what_is_in_view_once_each_by_where_it_starts() {
    let mut s = Story::SideBySide.scenario();
    s.messages = delivery_sim::scenario::numbered(300);
    s.producer = Preset::ALL[1].settings();
    let trace = simulate(&s).unwrap();
    let axis = Axis::new(&[&trace]);
    let d = layout(&trace, &axis);
    let view = View {
        lo: axis.height / 3.0,
        hi: axis.height / 3.0 + 1400.0,
        interactive: true,
        layer: Layer::Base,
        ..View::all()
    };
    let mut whole = String::new();
    lane_body(&mut whole, &d, &trace.messages, &axis, &EN, &view);
    let tiles = lane_tiles(&d, &trace.messages, &axis, &EN, &view);
    let parts: String = std::iter::once(tiles.carried.as_str())
        .chain(tiles.tiles.iter().map(|(_, m)| m.as_str()))
        .collect();
    let count = |m: &str, what: &str| m.matches(what).count();
    assert!(
        count(&whole, "<g class=\"arrow ") > 50,
        "a long stretch in view"
    );
    for what in [
        "<g class=\"arrow ",
        "<text class=\"mark ",
        "<g class=\"brk\"",
    ] {
        assert_eq!(count(&parts, what), count(&whole, what), "{what}");
    }
    // The tiles are consecutive, cover the window, and each holds what starts in it.
    let keys: Vec<i64> = tiles.tiles.iter().map(|(k, _)| *k).collect();
    assert_eq!(keys.first(), Some(&((view.lo / TILE).floor() as i64)));
    assert_eq!(keys.last(), Some(&((view.hi / TILE).floor() as i64)));
    assert!(keys.windows(2).all(|w| w[1] == w[0] + 1));
    for (k, markup) in &tiles.tiles {
        for a in d.arrows.iter().filter(|a| {
            let top = a.y1.min(a.y2);
            (top / TILE).floor() as i64 == *k && top <= view.hi && a.y1.max(a.y2) >= view.lo
        }) {
            assert!(
                markup.contains(&format!("data-req=\"{}\" data-msg", a.req)),
                "tile {k}"
            );
        }
    }
    // The lifelines are drawn once, outside the tiles.
    assert_eq!(count(&tiles.lifelines, "class=\"life\""), 2);
    assert_eq!(count(&parts, "class=\"life\""), 0);
}

#[test]
fn long_names_are_cut_to_the_room_beside_the_lifeline() {
    assert_eq!(fit("B", 10), "B");
    assert_eq!(fit("order-1234", 10), "order-1234");
    assert_eq!(fit("order-12345", 10), "order-123…");
    assert_eq!(fit("가나다라마바사", 10), "가나다라마…");
    assert_eq!(fit("가나다라마", 10), "가나다라마");
}

#[test]
fn escapes_markup_and_keeps_the_rest() {
    assert_eq!(esc("a<b>&\"c\" 한 ✕"), "a&lt;b&gt;&amp;&quot;c&quot; 한 ✕");
}

#[test]
fn arrowhead_points_at_the_end() {
    let p = head(0.0, 0.0, 100.0, 0.0);
    assert_eq!(p, "100,0 93,3.5 93,-3.5");
}
