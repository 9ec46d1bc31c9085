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

mod draw;
#[cfg(test)]
mod tests;
pub use draw::*;

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
    let mut last = None;
    let mut k = 0.0;
    for m in marks {
        let key = stack_key(m);
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

/// What marks stacked on one another share: their moment and side.
pub fn stack_key(m: &Mark) -> (u64, bool, f64) {
    (m.t, m.x <= PRODUCER_X, m.y)
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
