//! Drawing a laid-out lane as markup: the screen's tiles and the exported file, from one writer.

use super::*;

/// Light-theme colours for the standalone file (the workshop page's export) (the page gets its own from style.css).
#[cfg(any(test, feature = "workshop"))]
pub(super) const EXPORT_STYLE: &str = "text{font:10px sans-serif;fill:#1f2937}.lifeline-head,.title{font-weight:700}.life{stroke:#9ca3af;stroke-dasharray:4 3}.brk rect{fill:#fff;stroke:#ccc}.arrow line{stroke-width:1.6}.req line{stroke:#2563eb}.req *{fill:#2563eb}.ack line{stroke:#047857}.ack *{fill:#047857}.err line{stroke:#c2410c}.err *{fill:#c2410c}.retry line{stroke-dasharray:7 2}.stale{opacity:.5}.arrow .x{stroke:#dc2626;stroke-width:2.4}.m-dup{fill:#b45309}.m-dedup{fill:#7c3aed}.m-err,.m-lost,.m-failed{fill:#dc2626}.m-acked{fill:#047857}.m-marker{fill:#7c3aed}.call line{stroke:#7c3aed;stroke-dasharray:4 3}.call polygon,.call text{fill:#7c3aed}";

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
pub(super) enum Sink<'a> {
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
pub(super) fn draw(
    sink: &mut Sink,
    d: &Diagram,
    names: &[String],
    axis: &Axis,
    t: &Text,
    v: &View,
) {
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
pub(super) fn draw_arrows(
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
            arrow_button(o, a, d, names, t, &label);
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
            arrow_end(o, a);
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

/// What makes an arrow a button: its data, its tooltip and name, and a wide line to hit.
fn arrow_button(o: &mut String, a: &Arrow, d: &Diagram, names: &[String], t: &Text, label: &str) {
    // The <title> is both the tooltip and the button's accessible name (SVG-AAM): an
    // aria-label with the same words would only double the markup.
    let mut tip = tooltip(a, label, t);
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

/// An arrow's end, once it has arrived: a loss's cross, a held packet's stop or an arrowhead.
fn arrow_end(o: &mut String, a: &Arrow) {
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

/// The marks on the lifelines (stored, a copy, a timeout, a retry, ...), each a line of text,
/// moved apart where they would overlap.
pub(super) fn draw_marks(
    sink: &mut Sink,
    d: &Diagram,
    names: &[String],
    t: &Text,
    v: &View,
    t_now: u64,
) {
    let (base, now_layer) = (v.layer == Layer::Base, v.layer == Layer::Now);
    for (i, (m, dy)) in d.marks.iter().zip(mark_offsets(&d.marks)).enumerate() {
        // A tall stack's last line counts the marks from it on (`MAX_STACK`).
        #[cfg(not(feature = "embed"))]
        let n = {
            const LAST: f64 = (crate::layout::MAX_STACK - 1) as f64 * 11.0;
            if dy > LAST {
                continue;
            }
            let same = |x: &&Mark| stack_key(x) == stack_key(m);
            if dy == LAST {
                d.marks[i..].iter().take_while(same).count()
            } else {
                1
            }
        };
        #[cfg(feature = "embed")]
        let (n, _) = (1, i);
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
            if n > 1 {
                format!("… +{n}")
            } else {
                esc(&mark_text(m, t, names))
            }
        );
    }
}

/// The calls to the transaction coordinator: thin dashed arrows with Kafka's names.
#[cfg(txn)]
pub(super) fn draw_calls(sink: &mut Sink, d: &Diagram, t_now: u64, y_now: f64, v: &View) {
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
