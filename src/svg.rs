//! Drawing helpers shared by the on-screen diagram and the SVG export, so both draw the same
//! shapes from the same layout.

use crate::i18n::Text;
use crate::layout::{
    Arrow, ArrowKind, Axis, Diagram, Mark, MarkKind, BROKER_X, PRODUCER_X, TOP, WIDTH,
};
use delivery_sim::num::fmt_decimal;
use delivery_sim::trace::Batches;
use delivery_sim::Loss;
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
    if a.held {
        c.push_str(" held");
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
    [x2, y2, bx + px, by + py, bx - px, by - py]
        .chunks(2)
        .map(|p| format!("{},{}", n1(p[0]), n1(p[1])))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The end of a held arrow: two short bars across it, like a pause sign, where it stopped.
pub fn hold(a: &Arrow) -> String {
    let (dx, dy) = (a.x2 - a.x1, a.y2 - a.y1);
    let len = (dx * dx + dy * dy).sqrt().max(1e-6);
    let (ux, uy) = (dx / len, dy / len);
    let (px, py) = (-uy * 5.0, ux * 5.0);
    [0.0, 3.5]
        .iter()
        .map(|back| {
            let (x, y) = (a.x2 - ux * back, a.y2 - uy * back);
            format!(
                "M{} {}L{} {}",
                n1(x + px),
                n1(y + py),
                n1(x - px),
                n1(y - py)
            )
        })
        .collect()
}

/// A coordinate with one decimal, printed without the float formatter.
pub fn n1(v: f64) -> String {
    fmt_decimal(v, 1)
}

/// The two strokes of a cross at (x, y): the Mermaid `--x` end of a lost message.
pub fn cross(x: f64, y: f64) -> [(f64, f64, f64, f64); 2] {
    let r = 5.0;
    [(x - r, y - r, x + r, y + r), (x - r, y + r, x + r, y - r)]
}

/// Where an arrow's label goes: a request's above its start, a response's where it ends
/// (beside the producer, or beside the cross where it was lost).
pub fn label_pos(a: &Arrow) -> (f64, f64, &'static str) {
    match a.kind {
        ArrowKind::Request => (a.x1 + 6.0, a.y1 - 3.0, "start"),
        ArrowKind::Response if a.lost.is_some() => (a.x2 + 8.0, a.y2 - 4.0, "start"),
        // Left of where it stopped: the line comes from the upper right.
        ArrowKind::Response if a.held => (a.x2 - 7.0, a.y2 + 3.0, "end"),
        ArrowKind::Response => (a.x2 + 8.0, a.y2 - 3.0, "start"),
    }
}

/// A mark's symbol, CSS class, and which side of its lifeline the text goes.
pub fn mark_style(kind: MarkKind) -> (&'static str, &'static str) {
    match kind {
        MarkKind::Stored => ("▣", "m-stored"),
        MarkKind::StoredAgain => ("⚠", "m-dup"),
        MarkKind::Deduplicated => ("≡", "m-dedup"),
        MarkKind::Rejected => ("⊘", "m-err"),
        MarkKind::BrokerFailed => ("✕", "m-lost"),
        MarkKind::Timeout => ("◷", "m-timeout"),
        MarkKind::Retry => ("↻", "m-retry"),
        MarkKind::Acked => ("✓", "m-acked"),
        MarkKind::Failed => ("✗", "m-failed"),
        MarkKind::Restart => ("↺", "m-event"),
        #[cfg(not(feature = "embed"))]
        MarkKind::Failover => ("⇄", "m-event"),
        MarkKind::BrokerDown => ("▼", "m-event"),
        MarkKind::BrokerUp => ("▲", "m-event"),
        MarkKind::Closed => ("⊗", "m-lost"),
        #[cfg(not(feature = "embed"))]
        MarkKind::ReplicaDown => ("▼", "m-event"),
        #[cfg(not(feature = "embed"))]
        MarkKind::ReplicaUp => ("▲", "m-event"),
        #[cfg(not(feature = "embed"))]
        MarkKind::IsrOut => ("⊖", "m-err"),
        #[cfg(not(feature = "embed"))]
        MarkKind::IsrIn => ("⊕", "m-event"),
        #[cfg(not(feature = "embed"))]
        MarkKind::Elected => ("★", "m-event"),
        #[cfg(txn)]
        MarkKind::TxnBegin => ("▶", "m-event"),
        #[cfg(txn)]
        MarkKind::TxnCommit => ("⏎", "m-event"),
        #[cfg(txn)]
        MarkKind::TxnAbort => ("⏎", "m-event"),
        #[cfg(txn)]
        MarkKind::Marker => ("◆", "m-marker"),
        #[cfg(txn)]
        MarkKind::Fenced => ("⊘", "m-err"),
    }
}

/// The records of a request's batch (`batches`), or its one message.
pub fn records<'a>(a: &Arrow, batches: &'a Batches) -> &'a [usize] {
    batches.get(a.batch as usize)
}

/// A batch's records by name, `sep` between them; with `short`, more than three as the first
/// and the last ("m3…m9": an arrow's label; its tooltip and the event log list them all).
pub fn batch_names(records: &[usize], names: &[String], short: bool) -> String {
    let mut o = String::new();
    for (i, &m) in records.iter().enumerate() {
        let last = i + 1 == records.len();
        if short && records.len() > 3 && i > 0 && !last {
            continue;
        }
        if i > 0 {
            o.push(if short && records.len() > 3 {
                '…'
            } else {
                ' '
            });
        }
        o.push_str(names.get(m).map_or("?", String::as_str));
    }
    o
}

/// The label of an arrow: a request's records, attempt when retried, PID and sequence (the
/// batch's range) when idempotent; a response's offset or error. A request that carries
/// batches of several partitions names each ("B | C | A D") and its PID. Made when drawn, for
/// the arrows in view.
pub fn arrow_label(a: &Arrow, d: &Diagram, names: &[String]) -> String {
    match (a.kind, a.offset) {
        (ArrowKind::Request, _) => {
            // The embed page runs one record a batch (`delivery_sim::sim::BATCHING`).
            let recs: &[usize] = if cfg!(feature = "embed") {
                &[]
            } else {
                records(a, &d.batches)
            };
            let mut s = if recs.is_empty() {
                names.get(a.msg).cloned().unwrap_or_default()
            } else {
                batch_names(recs, names, true)
            };
            // With one partition (no feature `partitions`) nothing is carried.
            #[cfg(feature = "partitions")]
            let carries = {
                let mut carries = false;
                for &(_, b) in d.carried.iter().filter(|c| c.0 == a.req) {
                    carries = true;
                    s.push_str(" | ");
                    s.push_str(&batch_names(d.batches.get(b as usize), names, true));
                }
                carries
            };
            #[cfg(not(feature = "partitions"))]
            let carries = false;
            if a.attempt > 1 {
                let _ = write!(s, " #{}", a.attempt);
            }
            if let Some(id) = a.idem {
                let _ = write!(s, " pid{}", id.pid);
                if !carries {
                    let _ = write!(s, " seq{}", id.seq);
                    if recs.len() > 1 {
                        let _ = write!(s, "-{}", id.seq as usize + recs.len() - 1);
                    }
                }
                if id.epoch > 0 {
                    let _ = write!(s, " e{}", id.epoch);
                }
            }
            s
        }
        (ArrowKind::Response, Some(offset)) => format!("ACK {offset}"),
        (ArrowKind::Response, None) => a.error.unwrap_or_default().to_string(),
    }
}

/// A message name cut to `room` Latin letters or so (a Hangul syllable is nearly two) with an
/// ellipsis: a producer's mark has some 70 units left of its lifeline, and a name may have 16
/// characters. The arrows' tooltips and the log strip keep the whole name.
fn fit(name: &str, room: u32) -> std::borrow::Cow<'_, str> {
    // In fifths of a Latin letter.
    let width = |c: char| if c >= '\u{1100}' { 9 } else { 5 };
    if name.chars().map(width).sum::<u32>() <= room * 5 {
        return name.into();
    }
    let mut used = 5; // the ellipsis
    let mut out: String = name
        .chars()
        .take_while(|&c| {
            used += width(c);
            used <= room * 5
        })
        .collect();
    out.push('…');
    out.into()
}

/// The words of a mark, in the reader's language (`names`: the messages').
pub fn mark_text(m: &Mark, t: &Text, names: &[String]) -> String {
    let (sym, _) = mark_style(m.kind);
    let name = |room| {
        fit(
            m.msg.and_then(|i| names.get(i)).map_or("", String::as_str),
            room,
        )
    };
    match m.kind {
        // On a topic of several partitions, which: "▣ P1 off 0", "≡ dup → P1 off 0".
        #[cfg(feature = "partitions")]
        MarkKind::Stored | MarkKind::StoredAgain if m.part != crate::layout::NO_PART => {
            let dup = if m.kind == MarkKind::StoredAgain {
                " dup"
            } else {
                ""
            };
            format!("{sym} P{} off {}{dup}", m.part, m.n)
        }
        #[cfg(feature = "partitions")]
        MarkKind::Deduplicated if m.part != crate::layout::NO_PART => {
            let dedup = t.dedup.trim_end_matches("off");
            format!("{sym} {dedup}P{} off {}", m.part, m.n)
        }
        MarkKind::Stored => format!("{sym} off {}", m.n),
        MarkKind::StoredAgain => format!("{sym} off {} dup", m.n),
        MarkKind::Deduplicated => format!("{sym} {} {}", t.dedup, m.n),
        MarkKind::Rejected => format!(
            "{sym} {}",
            // About 90 units right of the broker's lifeline: the answer's arrow has the
            // whole code.
            ["OOOS", "NOT_ENOUGH", "CORRUPT", "NOT_LEADER", "EPOCH"]
                .get(m.n as usize)
                .unwrap_or(&"")
        ),
        MarkKind::BrokerFailed => format!("{sym} {}", t.not_stored),
        MarkKind::Timeout => format!("{sym} {}", t.timeout),
        MarkKind::Retry => format!("{sym} {} #{}", name(7), m.n),
        MarkKind::Acked | MarkKind::Failed => format!("{sym} {}", name(10)),
        MarkKind::Restart => format!("{sym} {}", t.restart),
        #[cfg(not(feature = "embed"))]
        MarkKind::Failover => format!("{sym} {}", t.failover),
        MarkKind::BrokerDown => format!("{sym} {}", t.down),
        MarkKind::BrokerUp => format!("{sym} {}", t.up),
        MarkKind::Closed => format!("{sym} {}", t.closed),
        #[cfg(not(feature = "embed"))]
        MarkKind::ReplicaDown | MarkKind::ReplicaUp => format!("{sym} {} {}", t.follower, m.n),
        #[cfg(not(feature = "embed"))]
        MarkKind::IsrOut | MarkKind::IsrIn => format!("{sym} ISR {} {}", t.follower, m.n),
        #[cfg(not(feature = "embed"))]
        MarkKind::Elected if m.n == crate::layout::NO_LEADER => format!("{sym} {}", t.offline),
        #[cfg(not(feature = "embed"))]
        MarkKind::Elected => format!(
            "{sym} {} {}{}",
            t.leader,
            m.n,
            if m.msg.is_some() { " !" } else { "" }
        ),
        // "▶ begin T1", "⏎ commit T1", "⏎ abort T1"; "◆ commit @5"; "⊘ fenced".
        #[cfg(txn)]
        MarkKind::TxnBegin => format!("{sym} {} T{}", t.txn_words[0], m.n),
        #[cfg(txn)]
        MarkKind::TxnCommit => format!("{sym} {} T{}", t.txn_words[1], m.n),
        #[cfg(txn)]
        MarkKind::TxnAbort => format!("{sym} {} T{}", t.txn_words[2], m.n),
        #[cfg(txn)]
        MarkKind::Marker => format!(
            "{sym} {} @{}",
            t.txn_words[if m.msg.is_some() { 1 } else { 2 }],
            m.n
        ),
        #[cfg(txn)]
        MarkKind::Fenced => format!("{sym} {}", t.txn_words[3]),
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
        format!("{} s", fmt_decimal(ms as f64 / 1000.0, 1))
    } else {
        format!("{ms} ms")
    }
}

/// Escapes text for HTML and SVG markup.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            c => o.push(c),
        }
    }
    o
}

/// What the reader is looking at: the moment shown, what is highlighted, the part in view.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct View {
    pub t_now: u64,
    /// The story step's arrow: (request, is the response).
    pub highlight: Option<(u32, bool)>,
    pub focus: Option<u32>,
    /// The vertical range drawn, in diagram units; shapes outside it are left out.
    pub lo: f64,
    pub hi: f64,
    /// Arrows are focusable buttons with a tooltip (on screen, not in a file).
    pub interactive: bool,
    /// Which part of the drawing: all of it at `t_now`, or (on screen) the part that does not
    /// change with the time shown and the thin part that does, drawn over it.
    pub layer: Layer,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layer {
    /// Everything at once (an exported file, on the workshop page).
    #[cfg(any(test, feature = "workshop"))]
    All,
    /// Every shape as if finished: redrawn only when the run or the window change.
    Base,
    /// What the time shown and the pointer change: a veil over what has not happened yet, the
    /// arrows and marks of this moment, the story's arrow, the arrows under the pointer and the
    /// playhead. Redrawn at every step and hover; a few shapes.
    Now,
}

impl View {
    /// Everything, finished: the view of an exported file.
    #[cfg(any(test, feature = "workshop"))]
    pub fn all() -> View {
        View {
            t_now: u64::MAX,
            highlight: None,
            focus: None,
            lo: f64::MIN,
            hi: f64::MAX,
            interactive: false,
            layer: Layer::All,
        }
    }
}

/// Light-theme colours for the standalone file (the workshop page's export) (the page gets its own from style.css).
#[cfg(any(test, feature = "workshop"))]
const EXPORT_STYLE: &str = "text{font:10px sans-serif;fill:#1f2937}.lifeline-head,.title{font-weight:700}.life{stroke:#9ca3af;stroke-dasharray:4 3}.brk rect{fill:#fff;stroke:#ccc}.arrow line{stroke-width:1.6}.req line{stroke:#2563eb}.req *{fill:#2563eb}.ack line{stroke:#047857}.ack *{fill:#047857}.err line{stroke:#c2410c}.err *{fill:#c2410c}.retry line{stroke-dasharray:7 2}.stale{opacity:.5}.arrow .x{stroke:#dc2626;stroke-width:2.4}.m-dup{fill:#b45309}.m-dedup{fill:#7c3aed}.m-err,.m-lost,.m-failed{fill:#dc2626}.m-acked{fill:#047857}.m-marker{fill:#7c3aed}.call line{stroke:#7c3aed;stroke-dasharray:4 3}.call polygon,.call text{fill:#7c3aed}";

/// The lanes side by side as one standalone SVG document (`names`: the messages, the same in
/// every lane).
#[cfg(any(test, feature = "workshop"))]
pub fn export(lanes: &[(String, &Diagram)], names: &[String], axis: &Axis, t: &Text) -> String {
    let lane_w = WIDTH as u64 + 20;
    let w = lane_w * lanes.len() as u64;
    let h = axis.height as u64 + 24;
    let mut o = String::new();
    let _ = write!(
        o,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\"><style>{EXPORT_STYLE}</style><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>"
    );
    for (i, (title, d)) in lanes.iter().enumerate() {
        let _ = write!(
            o,
            "<g transform=\"translate({},20)\"><text class=\"title\" x=\"{}\" y=\"-6\" text-anchor=\"middle\">{}</text>",
            i as u64 * lane_w + 10,
            WIDTH as u64 / 2,
            esc(title)
        );
        lane_body(&mut o, d, names, axis, t, &View::all());
        o.push_str("</g>");
    }
    o.push_str("</svg>");
    o
}

/// One lane's diagram as SVG markup: the same code draws the screen and the exported file.
pub fn lane_body(o: &mut String, d: &Diagram, names: &[String], axis: &Axis, t: &Text, v: &View) {
    draw(&mut Sink::One(o), d, names, axis, t, v);
}

/// Tiles of a long diagram, `TILE` units tall, each drawn on its own: scrolling adds the tiles
/// coming into view and drops those leaving it, and the page keeps the others as they are.
pub const TILE: f64 = 200.0;

/// A lane's base layer in tiles, for the window `v.lo..v.hi`: the lifelines; the shapes that
/// reach into the window from above its first tile; then (tile number, markup of a `<g>`) for
/// every tile the window touches. A shape belongs to the tile its top is in.
pub struct Tiles {
    pub lifelines: String,
    pub carried: String,
    pub tiles: Vec<(i64, String)>,
}

pub fn lane_tiles(d: &Diagram, names: &[String], axis: &Axis, t: &Text, v: &View) -> Tiles {
    let first = (v.lo.max(0.0) / TILE).floor() as i64;
    let last = (v.hi.min(axis.height).max(0.0) / TILE).floor() as i64;
    let mut out = Tiles {
        lifelines: String::new(),
        carried: String::new(),
        tiles: (first..=last.max(first))
            .map(|k| (k, String::from("<g>")))
            .collect(),
    };
    draw(
        &mut Sink::Tiles {
            first,
            lo: v.lo,
            out: &mut out,
        },
        d,
        names,
        axis,
        t,
        v,
    );
    // Each tile one element: the page inserts it in one step, not shape by shape.
    for (_, markup) in &mut out.tiles {
        markup.push_str("</g>");
    }
    out
}

/// Where the shapes go: one string with what is in view, or tiles.
enum Sink<'a> {
    One(&'a mut String),
    Tiles {
        first: i64,
        lo: f64,
        out: &'a mut Tiles,
    },
}

impl Sink<'_> {
    /// The string a shape spanning y1..y2 goes to, if it is drawn.
    fn at(&mut self, y1: f64, y2: f64, v: &View) -> Option<&mut String> {
        let (top, bottom) = (y1.min(y2), y1.max(y2));
        if top > v.hi || bottom < v.lo {
            return None;
        }
        match self {
            Sink::One(o) => Some(o),
            Sink::Tiles { first, lo, out } => {
                let k = (top.max(0.0) / TILE).floor() as i64;
                if k < *first {
                    (bottom >= *lo).then_some(&mut out.carried)
                } else {
                    out.tiles.get_mut((k - *first) as usize).map(|(_, s)| s)
                }
            }
        }
    }

    /// The string for what is drawn wherever the window is: the lifelines, and in the thin layer
    /// the veil and the playhead.
    fn unplaced(&mut self) -> &mut String {
        match self {
            Sink::One(o) => o,
            Sink::Tiles { out, .. } => &mut out.lifelines,
        }
    }
}

/// One layer of a diagram: the lifelines and breaks, the arrows, the calls to the coordinator,
/// the marks and, on the thin "now" layer, the veil and the playhead.
fn draw(sink: &mut Sink, d: &Diagram, names: &[String], axis: &Axis, t: &Text, v: &View) {
    let (base, now_layer) = (v.layer == Layer::Base, v.layer == Layer::Now);
    // The base layer is drawn as if every moment had happened.
    let t_now = if base { u64::MAX } else { v.t_now };
    let y_now = axis.y_after(t_now);
    if now_layer {
        let _ = write!(
            sink.unplaced(),
            "<rect class=\"veil\" x=\"0\" y=\"{}\" width=\"{}\" height=\"{}\"/>",
            n1(y_now),
            n1(WIDTH),
            n1((axis.height - y_now).max(0.0))
        );
    }
    for (x, name) in [(PRODUCER_X, t.producer), (BROKER_X, t.broker)]
        .into_iter()
        .filter(|_| !now_layer)
    {
        let _ = write!(
            sink.unplaced(),
            "<text class=\"lifeline-head\" x=\"{x}\" y=\"{}\" text-anchor=\"middle\">{}</text><line class=\"life\" x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\"/>",
            n1(TOP - 14.0),
            esc(name),
            n1(TOP - 6.0),
            n1(axis.height - 20.0),
            x = n1(x),
        );
    }
    for b in axis.breaks.iter().filter(|_| !now_layer) {
        let Some(o) = sink.at(b.y, b.y, v) else {
            continue;
        };
        let _ = write!(
            o,
            "<g class=\"brk\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"16\" rx=\"3\"/><text x=\"{}\" y=\"{}\" text-anchor=\"middle\">⋯ {} ⋯</text></g>",
            n1(PRODUCER_X - 8.0),
            n1(b.y - 8.0),
            n1(BROKER_X - PRODUCER_X + 16.0),
            n1((PRODUCER_X + BROKER_X) / 2.0),
            n1(b.y + 3.5),
            seconds(b.ms)
        );
    }
    draw_arrows(sink, d, names, t, v, t_now, y_now);
    #[cfg(txn)]
    draw_calls(sink, d, t_now, y_now, v);
    draw_marks(sink, d, names, t, v, t_now);
    if now_layer {
        let _ = write!(
            sink.unplaced(),
            "<line class=\"playhead\" x1=\"0\" x2=\"{}\" y1=\"0\" y2=\"0\" style=\"transform:translateY({}px)\"/>",
            n1(WIDTH),
            n1(y_now)
        );
    }
}

/// The produce requests and their answers, each a group (a button, on the interactive base
/// layer) with its line, its end (an arrowhead, a loss's cross, a held packet's stop) and label.
fn draw_arrows(
    sink: &mut Sink,
    d: &Diagram,
    names: &[String],
    t: &Text,
    v: &View,
    t_now: u64,
    y_now: f64,
) {
    let (base, now_layer) = (v.layer == Layer::Base, v.layer == Layer::Now);
    for a in &d.arrows {
        let future = a.t0 > t_now;
        let in_flight = !future && a.t1 > t_now;
        let now = !future && (a.t1 == t_now || a.t0 == t_now);
        let story = !base && v.highlight == Some((a.req, a.kind == ArrowKind::Response));
        let focus = !base && v.focus == Some(a.req);
        if now_layer && !now && !story && !focus {
            continue;
        }
        let Some(o) = sink.at(a.y1, a.y2, v) else {
            continue;
        };
        let mut class = format!("arrow {}", arrow_class(a));
        for (on, name) in [
            (future, " future"),
            (in_flight, " inflight"),
            (now, " now"),
            (story, " story"),
            (focus, " focus"),
        ] {
            if on {
                class.push_str(name);
            }
        }
        let (mut x2, mut y2) = (a.x2, a.y2);
        if in_flight && a.y2 > a.y1 {
            let f = ((y_now - a.y1) / (a.y2 - a.y1)).clamp(0.0, 1.0);
            x2 = a.x1 + (a.x2 - a.x1) * f;
            y2 = a.y1 + (a.y2 - a.y1) * f;
        }
        let label = arrow_label(a, d, names);
        let _ = write!(o, "<g class=\"{class}\"");
        if now_layer {
            let _ = write!(
                o,
                " data-req=\"{}\" data-msg=\"{}\" data-attempt=\"{}\"",
                a.req, a.msg, a.attempt
            );
        } else if v.interactive {
            // The <title> is both the tooltip and the button's accessible name (SVG-AAM): an
            // aria-label with the same words would only double the markup.
            let mut tip = tooltip(a, &label, t);
            let recs = records(a, &d.batches);
            if !cfg!(feature = "embed") && recs.len() > 3 {
                // The whole batch, which the label shortens.
                tip = format!(
                    "{} ({}) · {tip}",
                    batch_names(recs, names, false),
                    recs.len()
                );
            }
            let tip = esc(&tip);
            let _ = write!(
                o,
                " tabindex=\"0\" role=\"button\" data-req=\"{}\" data-msg=\"{}\" data-attempt=\"{}\" data-kind=\"{}\" data-lost=\"{}\"><title>{tip}</title><line class=\"hit\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/",
                a.req,
                a.msg,
                a.attempt,
                if a.kind == ArrowKind::Request { "request" } else { "response" },
                a.lost.is_some(),
                n1(a.x1),
                n1(a.y1),
                n1(a.x2),
                n1(a.y2)
            );
        }
        let _ = write!(
            o,
            "><line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>",
            n1(a.x1),
            n1(a.y1),
            n1(x2),
            n1(y2)
        );
        if !in_flight {
            if a.lost.is_some() {
                for (x1, y1, x2, y2) in cross(a.x2, a.y2) {
                    let _ = write!(
                        o,
                        "<line class=\"x\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>",
                        n1(x1),
                        n1(y1),
                        n1(x2),
                        n1(y2)
                    );
                }
            } else if a.held {
                let _ = write!(o, "<path class=\"hold\" d=\"{}\"/>", hold(a));
            } else {
                let _ = write!(o, "<polygon points=\"{}\"/>", head(a.x1, a.y1, a.x2, a.y2));
            }
        }
        let (lx, ly, anchor) = label_pos(a);
        let _ = write!(
            o,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"{anchor}\">{}</text></g>",
            n1(lx),
            n1(ly),
            esc(&label)
        );
    }
}

/// The marks on the lifelines (stored, a copy, a timeout, a retry, ...), each a line of text,
/// moved apart where they would overlap.
fn draw_marks(sink: &mut Sink, d: &Diagram, names: &[String], t: &Text, v: &View, t_now: u64) {
    let (base, now_layer) = (v.layer == Layer::Base, v.layer == Layer::Now);
    let offsets = mark_offsets(&d.marks);
    for (m, dy) in d.marks.iter().zip(offsets) {
        let focus = !base && m.req.is_some() && m.req == v.focus;
        if now_layer && m.t != t_now && !focus {
            continue;
        }
        let Some(o) = sink.at(m.y, m.y, v) else {
            continue;
        };
        let (x, anchor) = mark_anchor(m);
        let mut class = format!("mark {}", mark_style(m.kind).1);
        if m.t > t_now {
            class.push_str(" future");
        } else if m.t == t_now {
            class.push_str(" now");
        }
        if focus {
            class.push_str(" focus");
        }
        let _ = write!(
            o,
            "<text class=\"{class}\" x=\"{}\" y=\"{}\" text-anchor=\"{anchor}\">{}</text>",
            n1(x),
            n1(m.y + 3.0 + dy),
            esc(&mark_text(m, t, names))
        );
    }
}

/// The calls to the transaction coordinator: thin dashed arrows with Kafka's names.
#[cfg(txn)]
fn draw_calls(sink: &mut Sink, d: &Diagram, t_now: u64, y_now: f64, v: &View) {
    let now_layer = v.layer == Layer::Now;
    for c in &d.calls {
        let now = c.t0 == t_now || c.t1 == t_now;
        if now_layer && !now {
            continue;
        }
        let Some(o) = sink.at(c.y1, c.y2, v) else {
            continue;
        };
        let (x1, mut x2) = if c.request {
            (PRODUCER_X, BROKER_X)
        } else {
            (BROKER_X, PRODUCER_X)
        };
        // On its way at the time shown: drawn as far as it has come, as the arrows are.
        let mut y2 = c.y2;
        if c.t0 <= t_now && t_now < c.t1 && c.y2 > c.y1 {
            let f = ((y_now - c.y1) / (c.y2 - c.y1)).clamp(0.0, 1.0);
            x2 = x1 + (x2 - x1) * f;
            y2 = c.y1 + (c.y2 - c.y1) * f;
        }
        let state = if c.t0 > t_now {
            " future"
        } else if now {
            " now"
        } else {
            ""
        };
        let _ = write!(
            o,
            "<g class=\"call{}{state}\"><line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/><polygon points=\"{}\"/><text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text></g>",
            if c.error { " err" } else { "" },
            n1(x1),
            n1(c.y1),
            n1(x2),
            n1(y2),
            head(x1, c.y1, x2, y2),
            n1((PRODUCER_X + BROKER_X) / 2.0),
            n1((c.y1 + c.y2) / 2.0 - 3.0),
            esc(&c.label)
        );
    }
}

/// An arrow's tooltip: what it is, when it flew, what became of it, what a click does.
pub fn tooltip(a: &Arrow, label: &str, t: &Text) -> String {
    let what = match a.kind {
        ArrowKind::Request => t.legend[0],
        ArrowKind::Response => t.legend[1],
    };
    let fate = match a.lost {
        Some(Loss::Scripted) => format!(" ✕ {}", t.legend[2]),
        Some(Loss::Random) => format!(" ✕ {} (random)", t.legend[2]),
        Some(Loss::BrokerDown) => format!(" ✕ {}", t.down),
        None if a.held => format!(" ‖ {}", t.legend[6]),
        None => String::new(),
    };
    let action = match a.kind {
        ArrowKind::Request => t.click_cycle,
        ArrowKind::Response if a.lost == Some(Loss::Scripted) => t.click_to_restore,
        ArrowKind::Response => t.click_to_drop,
    };
    format!(
        "{label} · {what} · {} → {}{fate}{} · {action}",
        seconds(a.t0),
        seconds(a.t1),
        a.error.map_or(String::new(), |e| format!(" · {e}")),
    )
}

#[cfg(test)]
mod tests {
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
}
