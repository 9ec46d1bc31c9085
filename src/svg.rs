//! Drawing helpers shared by the on-screen diagram and the SVG export, so both draw the same
//! shapes from the same layout.

use crate::i18n::Text;
use crate::layout::{Arrow, ArrowKind, Axis, Diagram, Mark, MarkKind, BROKER_X, PRODUCER_X, TOP, WIDTH};
use std::fmt::Write as _;

/// CSS classes of an arrow: one meaning per colour, and a shape for each too.
pub fn arrow_class(a: &Arrow) -> String {
    let mut c = String::from(match (a.kind, a.error.is_some()) {
        (ArrowKind::Request, _) => "req",
        (ArrowKind::Response, false) => "ack",
        (ArrowKind::Response, true) => "err",
    });
    if a.attempt > 1 && a.kind == ArrowKind::Request {
        c.push_str(" retry");
    }
    if a.lost.is_some() {
        c.push_str(" lost");
    }
    if a.stale {
        c.push_str(" stale");
    }
    c
}

/// The arrowhead at (x2, y2), as polygon points.
pub fn head(x1: f64, y1: f64, x2: f64, y2: f64) -> String {
    let (dx, dy) = (x2 - x1, y2 - y1);
    let len = (dx * dx + dy * dy).sqrt().max(1e-6);
    let (ux, uy) = (dx / len, dy / len);
    let (bx, by) = (x2 - ux * 7.0, y2 - uy * 7.0);
    let (px, py) = (-uy * 3.5, ux * 3.5);
    format!(
        "{:.1},{:.1} {:.1},{:.1} {:.1},{:.1}",
        x2,
        y2,
        bx + px,
        by + py,
        bx - px,
        by - py
    )
}

/// The two strokes of a cross at (x, y): the Mermaid `--x` end of a lost message.
pub fn cross(x: f64, y: f64) -> [(f64, f64, f64, f64); 2] {
    let r = 5.0;
    [(x - r, y - r, x + r, y + r), (x - r, y + r, x + r, y - r)]
}

/// Where an arrow's label goes: above its start, on the sender's side.
pub fn label_pos(a: &Arrow) -> (f64, f64, &'static str) {
    match a.kind {
        ArrowKind::Request => (a.x1 + 6.0, a.y1 - 3.0, "start"),
        ArrowKind::Response => (a.x1 - 6.0, a.y1 - 3.0, "end"),
    }
}

/// A mark's symbol, CSS class, and which side of its lifeline the text goes.
pub fn mark_style(kind: MarkKind) -> (&'static str, &'static str) {
    match kind {
        MarkKind::Stored => ("▣", "m-stored"),
        MarkKind::StoredAgain => ("⚠", "m-dup"),
        MarkKind::Deduplicated => ("≡", "m-dedup"),
        MarkKind::Rejected => ("⛔", "m-err"),
        MarkKind::BrokerFailed => ("✕", "m-lost"),
        MarkKind::Timeout => ("⏱", "m-timeout"),
        MarkKind::Retry => ("↻", "m-retry"),
        MarkKind::Acked => ("✓", "m-acked"),
        MarkKind::Failed => ("✗", "m-failed"),
        MarkKind::Restart => ("⟲", "m-event"),
        MarkKind::Failover => ("⇄", "m-event"),
        MarkKind::BrokerDown => ("⏻", "m-event"),
        MarkKind::BrokerUp => ("⏻", "m-event"),
    }
}

/// The words of a mark, in the reader's language.
pub fn mark_text(m: &Mark, t: &Text) -> String {
    let (sym, _) = mark_style(m.kind);
    match m.kind {
        MarkKind::Stored => format!("{sym} off {}", m.label),
        MarkKind::StoredAgain => format!("{sym} off {} dup", m.label),
        MarkKind::Deduplicated => format!("{sym} {} → {}", t.dedup, m.label),
        MarkKind::Rejected => format!("{sym} OOOS"),
        MarkKind::BrokerFailed => format!("{sym} {}", t.not_stored),
        MarkKind::Timeout => format!("{sym} {}", t.timeout),
        MarkKind::Retry => format!("{sym} {}", m.label),
        MarkKind::Acked => format!("{sym} {}", m.label),
        MarkKind::Failed => format!("{sym} {}", m.label),
        MarkKind::Restart => format!("{sym} {}", t.restart),
        MarkKind::Failover => format!("{sym} {}", t.failover),
        MarkKind::BrokerDown => format!("{sym} {}", t.down),
        MarkKind::BrokerUp => format!("{sym} {}", t.up),
    }
}

/// Marks on the producer side are written to the left of its lifeline, broker marks to the right.
pub fn mark_anchor(m: &Mark) -> (f64, &'static str) {
    if m.x <= PRODUCER_X {
        (PRODUCER_X - 6.0, "end")
    } else {
        (BROKER_X + 6.0, "start")
    }
}

/// Marks that share a moment and a side are stacked instead of overprinted.
pub fn mark_offsets(marks: &[Mark]) -> Vec<f64> {
    let mut out = Vec::with_capacity(marks.len());
    let mut last: Option<(u64, bool, f64)> = None;
    let mut k = 0.0;
    for m in marks {
        let key = (m.t, m.x <= PRODUCER_X, m.y);
        if last == Some(key) {
            k += 11.0;
        } else {
            k = 0.0;
        }
        last = Some(key);
        out.push(k);
    }
    out
}

pub fn seconds(ms: u64) -> String {
    if ms >= 1000 {
        format!("{:.1} s", ms as f64 / 1000.0)
    } else {
        format!("{ms} ms")
    }
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Light-theme colours for the standalone file (the page gets its own from style.css).
const EXPORT_STYLE: &str = "text{font:10px system-ui,sans-serif;fill:#1f2937}.life{stroke:#9ca3af;stroke-dasharray:3 3}.head{font-weight:600;font-size:11px}.req{stroke:#2563eb;fill:#2563eb}.ack{stroke:#059669;fill:#059669}.err{stroke:#ea580c;fill:#ea580c}.retry line{stroke-dasharray:6 2}.stale{opacity:.5}.x{stroke:#dc2626;stroke-width:2}line{stroke-width:1.6}.brk{fill:#6b7280;font-style:italic}.m-dup{fill:#b45309;font-weight:600}.m-dedup{fill:#7c3aed;font-weight:600}.m-err,.m-lost,.m-failed{fill:#dc2626}.m-acked{fill:#059669}.m-stored{fill:#374151}.title{font-size:13px;font-weight:700}";

/// The lanes side by side as one standalone SVG document.
pub fn export(lanes: &[(String, &Diagram)], axis: &Axis, t: &Text) -> String {
    let lane_w = WIDTH + 20.0;
    let w = lane_w * lanes.len() as f64;
    let h = axis.height + 24.0;
    let mut o = String::new();
    let _ = write!(
        o,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w:.0} {h:.0}\" width=\"{w:.0}\" height=\"{h:.0}\"><style>{EXPORT_STYLE}</style><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>"
    );
    for (i, (title, d)) in lanes.iter().enumerate() {
        let _ = write!(
            o,
            "<g transform=\"translate({:.0},20)\"><text class=\"title\" x=\"{:.0}\" y=\"-6\" text-anchor=\"middle\">{}</text>",
            i as f64 * lane_w + 10.0,
            WIDTH / 2.0,
            esc(title)
        );
        lane_body(&mut o, d, axis, t);
        o.push_str("</g>");
    }
    o.push_str("</svg>");
    o
}

fn lane_body(o: &mut String, d: &Diagram, axis: &Axis, t: &Text) {
    for (x, name) in [(PRODUCER_X, t.producer), (BROKER_X, t.broker)] {
        let _ = write!(
            o,
            "<text class=\"head\" x=\"{x}\" y=\"{:.0}\" text-anchor=\"middle\">{}</text><line class=\"life\" x1=\"{x}\" y1=\"{TOP:.0}\" x2=\"{x}\" y2=\"{:.0}\"/>",
            TOP - 12.0,
            esc(name),
            axis.height - 20.0
        );
    }
    for b in &axis.breaks {
        let _ = write!(
            o,
            "<text class=\"brk\" x=\"{:.0}\" y=\"{:.0}\" text-anchor=\"middle\">⋯ {} ⋯</text>",
            (PRODUCER_X + BROKER_X) / 2.0,
            b.y + 3.0,
            seconds(b.ms)
        );
    }
    for a in &d.arrows {
        let _ = write!(
            o,
            "<g class=\"{}\"><line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\"/>",
            arrow_class(a),
            a.x1,
            a.y1,
            a.x2,
            a.y2
        );
        if a.lost.is_some() {
            for (x1, y1, x2, y2) in cross(a.x2, a.y2) {
                let _ = write!(
                    o,
                    "<line class=\"x\" x1=\"{x1:.1}\" y1=\"{y1:.1}\" x2=\"{x2:.1}\" y2=\"{y2:.1}\"/>"
                );
            }
        } else {
            let _ = write!(
                o,
                "<polygon points=\"{}\"/>",
                head(a.x1, a.y1, a.x2, a.y2)
            );
        }
        let (lx, ly, anchor) = label_pos(a);
        let _ = write!(
            o,
            "<text x=\"{lx:.1}\" y=\"{ly:.1}\" text-anchor=\"{anchor}\" stroke=\"none\">{}</text></g>",
            esc(&a.label)
        );
    }
    let offsets = mark_offsets(&d.marks);
    for (m, dy) in d.marks.iter().zip(offsets) {
        let (x, anchor) = mark_anchor(m);
        let _ = write!(
            o,
            "<text class=\"{}\" x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"{anchor}\">{}</text>",
            mark_style(m.kind).1,
            m.y + 3.0 + dy,
            esc(&mark_text(m, t))
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::EN;
    use crate::layout::layout;
    use crate::stories::Story;
    use delivery_sim::{simulate, Preset};

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
        let svg = export(&lanes, &axis, &EN);
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        let arrows: usize = diagrams.iter().map(|d| d.arrows.len()).sum();
        assert_eq!(svg.matches("<g class=\"").count(), arrows);
        assert_eq!(svg.matches("class=\"x\"").count(), 2 * 5, "five losses, two strokes each");
        assert!(svg.contains("off 2 dup"));
        assert!(svg.contains("dup: not stored"));
    }

    #[test]
    fn arrowhead_points_at_the_end() {
        let p = head(0.0, 0.0, 100.0, 0.0);
        assert!(p.starts_with("100.0,0.0 93.0,3.5 93.0,-3.5"));
    }
}
