//! A lane's rows under its diagram, as markup: the log strip, the replicas, what consumers
//! read, and the summary.

use super::*;

/// Records stored after the time shown are drawn dashed and muted by a one-line style of their
/// own: a playback step changes that line, not the strip. A partition's log is in time order,
/// so with one partition they are the strip's tail; with several, each partition's tail. Not
/// faded: faded words, a duplicate's above all, were unreadable.
pub(super) fn future_records(lane: usize, trace: &Trace, t_now: u64) -> String {
    // When each of the strip's items appears: with transactions the strip holds markers too,
    // and aborted records are struck through once their abort marker is written.
    let mut o = String::new();
    #[cfg(txn)]
    let times: Vec<u64> = if trace.markers.is_empty() {
        trace.log.iter().take(STRIP_MAX).map(|r| r.t_ms).collect()
    } else {
        for (k, m) in trace.markers.iter().enumerate() {
            if !m.commit && m.t_ms <= t_now {
                let _ = write!(
                    o,
                    ".lane-{lane} .ab{k} .name{{text-decoration:line-through}}"
                );
            }
        }
        let items = strip_items(trace);
        items.iter().take(STRIP_MAX).map(Item::t_ms).collect()
    };
    #[cfg(not(txn))]
    let times: Vec<u64> = trace.log.iter().take(STRIP_MAX).map(|r| r.t_ms).collect();
    // Counted among the records (`of .rec`): a topic of several partitions heads each row.
    let present = times.iter().take_while(|&&t| t <= t_now).count();
    if present < times.len() {
        let future = "{color:var(--muted);background:none;border-style:dashed}";
        // (One partition without the feature `partitions`.)
        #[cfg(feature = "partitions")]
        if trace.partitions > 1 {
            let sel: Vec<String> = (present..times.len())
                .filter(|&i| times[i] > t_now)
                .map(|i| format!(".lane-{lane} .strip>.rec:nth-child({} of .rec)", i + 1))
                .collect();
            let _ = write!(o, "{}{future}", sel.join(","));
            return format!("<style>{o}</style>");
        }
        let _ = write!(
            o,
            ".lane-{lane} .strip>.rec:nth-child(n+{} of .rec){future}",
            present + 1
        );
    }
    if o.is_empty() {
        o
    } else {
        format!("<style>{o}</style>")
    }
}

/// With replicas, the partition at the time shown (`delivery_sim::inspect::replicas_at`):
/// each replica (the leader, the ones down, who is in the ISR), then the ISR against
/// min.insync.replicas, the rule acks=all lives by (`Partition.appendRecordsToLeader` refuses
/// below it). And the high watermark: a consumer reads only below it (`UnifiedLog.read` stops a
/// consumer's fetch there: `FetchIsolation.of` gives it HIGH_WATERMARK, or the last stable
/// offset with read_committed, and a follower LOG_END). The records at or above it get a dotted
/// outline and the log's heading says where it is: like `future_records`, a style line of its
/// own, so a playback step leaves the strip.
#[cfg(not(feature = "embed"))]
pub(super) fn replicas_markup(c: &LaneCtx, trace: &Trace, t: &Text) -> String {
    let broker = &c.state.doc.scenario.broker;
    if broker.replicas < 2 {
        return String::new();
    }
    let p = delivery_sim::inspect::replicas_at(trace, broker.replicas, c.pos.t);
    let w = &t.replica_words;
    let mut o = format!("<div class=\"replicas\"><ol aria-label=\"{}\">", esc(w[0]));
    for (r, state) in p.replicas.iter().enumerate() {
        let is_leader = p.leader == Some(r);
        let mut states = Vec::new();
        if is_leader {
            states.push(w[1]);
        }
        if state.down {
            states.push(w[2]);
        }
        states.push(if state.in_isr { w[3] } else { w[4] });
        let _ = write!(
            o,
            "<li class=\"{}{}\" title=\"{r}: {}\">{}{r}</li>",
            if state.in_isr { "in" } else { "out" },
            if is_leader { " leader" } else { "" },
            esc(&states.join(", ")),
            if is_leader {
                "★ "
            } else if state.down {
                "▼ "
            } else {
                ""
            }
        );
    }
    let isr = p.isr();
    let min = broker.min_insync.min(broker.replicas) as usize;
    let line = match p.leader {
        None => t.offline.to_string(),
        Some(_) => w[if isr.len() >= min { 5 } else { 6 }]
            .replace(
                "{isr}",
                &format!(
                    "{{{}}}",
                    isr.iter()
                        .map(usize::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
            .replace("{min}", &min.to_string()),
    };
    let lane = c.index;
    let _ = write!(
        o,
        "</ol><p>{}</p></div><style>.lane-{lane} .strip>.rec:nth-child(n+{}){{outline:2px dotted var(--dup);outline-offset:-4px}}.lane-{lane} .log h3::after{{content:\" · {}\";text-transform:none;font-weight:400}}</style>",
        esc(&line),
        p.hw + 1,
        t.high_watermark.replace("{}", &p.hw.to_string())
    );
    o
}

#[cfg(feature = "embed")]
pub(super) fn replicas_markup(_: &LaneCtx, _: &Trace, _: &Text) -> String {
    String::new()
}

/// A place in the strip: a data record (with the abort marker that aborted its transaction,
/// by index in `Trace::markers`), or a marker.
#[cfg(txn)]
pub(super) enum Item<'a> {
    Rec(&'a delivery_sim::trace::LogRecord, Option<usize>),
    Marker(&'a delivery_sim::trace::Marker),
}

#[cfg(txn)]
impl Item<'_> {
    fn t_ms(&self) -> u64 {
        match self {
            Item::Rec(r, _) => r.t_ms,
            Item::Marker(m) => m.t_ms,
        }
    }
}

/// The log as written: records and the transaction markers (control batches with an offset of
/// their own: `MemoryRecords.withEndTransactionMarker`) in the order they were appended. A
/// marker ends the records of its producer id before it in its partition (`Trace::ended_by`).
#[cfg(txn)]
pub(super) fn strip_items(trace: &Trace) -> Vec<Item<'_>> {
    let mut items = Vec::with_capacity(trace.log.len() + trace.markers.len());
    // The log lists partition after partition, each in offset order; markers are in the order
    // written, which is offset order within one partition.
    #[cfg_attr(not(feature = "partitions"), allow(unused_mut))]
    let mut sorted: Vec<_> = trace.markers.iter().collect();
    #[cfg(feature = "partitions")]
    sorted.sort_by_key(|m| (m.partition, m.offset));
    let mut markers = sorted.into_iter().peekable();
    for r in &trace.log {
        while let Some(m) = markers.next_if(|m| (m.partition, m.offset) < (r.partition, r.offset)) {
            items.push(Item::Marker(m));
        }
        items.push(Item::Rec(r, trace.aborted_by(r)));
    }
    items.extend(markers.map(Item::Marker));
    items
}

/// What a consumer of the topic reads at the time shown, with each isolation level
/// (`delivery_sim::inspect::consumers_at`: the `Fetcher` skips markers and the aborted
/// transactions' records, and read_committed stops at the last stable offset).
#[cfg(txn)]
pub(super) fn consumers_markup(c: &LaneCtx, trace: &Trace, t: &Text) -> String {
    let doc = &c.state.doc;
    if !doc.shows_transactions() {
        return String::new();
    }
    let read = delivery_sim::inspect::consumers_at(trace, c.pos.t);
    let mut o = String::from("<dl class=\"consumers\">");
    for (level, msgs) in [
        ("read_committed", &read.read_committed),
        ("read_uncommitted", &read.read_uncommitted),
    ] {
        let names: Vec<&str> = msgs.iter().map(|&m| trace.messages[m].as_str()).collect();
        let text = if names.is_empty() {
            t.reads_nothing.to_string()
        } else {
            names.join(", ")
        };
        let _ = write!(
            o,
            "<div data-level=\"{level}\"><dt>{}</dt><dd>{}</dd></div>",
            esc(&t.consumer_reads.replace("{}", level)),
            esc(&text)
        );
    }
    o.push_str("</dl>");
    o
}

#[cfg(not(txn))]
pub(super) fn consumers_markup(_: &LaneCtx, _: &Trace, _: &Text) -> String {
    String::new()
}

/// The log's records as a screen reader reads them out: the first few dozen, then how many
/// more (a 1,000-record list read aloud, or repeated in every label, helps nobody).
pub(super) fn names_to_read(trace: &Trace) -> String {
    const READ_MAX: usize = 30;
    let names = trace.log_names();
    let mut out = names[..names.len().min(READ_MAX)].join(", ");
    if names.len() > READ_MAX {
        let _ = write!(out, ", … +{}", names.len() - READ_MAX);
    }
    out
}

/// Records shown in the strip; a longer log says how many more there are. Sixty is seven rows
/// in a lane: enough to see duplicates and order, and a changed 1,000-message run is on screen
/// about 15% sooner than with 120 (an A/B of the time to the next frame).
pub(super) const STRIP_MAX: usize = 60;

/// The partition log as a strip of records with offsets (a second copy marked), then the
/// summary: the lesson in words, the counts, and the two yes/no checks. Read-only, so plain
/// markup.
pub(super) fn summary_markup(
    trace: &Trace,
    keys: &[Option<String>],
    t: &Text,
    names: &str,
    bad: &[String],
    good: &[String],
    text: &str,
) -> String {
    let mut o = String::with_capacity(2048);
    strip(&mut o, trace, keys, t, names);
    summary(&mut o, &trace.summary, t, bad, good, text);
    o
}

/// The partition log: its first `STRIP_MAX` records (and on a transactional run its markers),
/// a row a partition when there are several, then how many more.
fn strip(o: &mut String, trace: &Trace, keys: &[Option<String>], t: &Text, names: &str) {
    let _ = write!(
        o,
        "<div class=\"log\"><h3>{}<span class=\"sr-only\">: {}</span></h3><ol class=\"strip\" data-log=\"{}\" data-acks-zero=\"{}\">",
        esc(t.log),
        esc(names),
        esc(&trace.log_names().join(",")),
        trace.config.acks == Acks::Zero
    );
    if trace.log.is_empty() {
        let _ = write!(o, "<li class=\"empty\">{}</li>", esc(t.empty_log));
    }
    let mut seen = vec![0u32; trace.messages.len()];
    #[cfg(txn)]
    let items = strip_items(trace);
    #[cfg(txn)]
    let shown = items.iter().take(STRIP_MAX).map(|i| match *i {
        Item::Rec(r, aborted_by) => Ok((r, aborted_by)),
        Item::Marker(m) => Err(m),
    });
    #[cfg(not(txn))]
    let shown = trace
        .log
        .iter()
        .take(STRIP_MAX)
        .map(|r| Ok::<_, std::convert::Infallible>((r, None::<usize>)));
    // With several partitions, a row each, headed by its number (the log lists them in turn).
    let mut row = None;
    for item in shown {
        if cfg!(feature = "partitions") && trace.partitions > 1 {
            let p = match &item {
                Ok((r, _)) => r.partition,
                #[cfg(txn)]
                Err(m) => m.partition,
                #[cfg(not(txn))]
                Err(never) => match *never {},
            };
            if row != Some(p) {
                if row.is_some() {
                    o.push_str("<li class=\"brk\" aria-hidden=\"true\"></li>");
                }
                let _ = write!(o, "<li class=\"part\">P{p}</li>");
                row = Some(p);
            }
        }
        let (r, aborted_by) = match item {
            Ok(rec) => rec,
            #[cfg(txn)]
            Err(m) => {
                let (class, sym) = if m.commit {
                    ("commit", "✓")
                } else {
                    ("abort", "✕")
                };
                let _ = write!(
                    o,
                    "<li class=\"rec ctl {class}\" title=\"offset {} · {class} marker · PID {} epoch {}\"><span class=\"off\">{}</span><span class=\"name\">{sym}</span></li>",
                    m.offset, m.pid, m.epoch, m.offset
                );
                continue;
            }
            #[cfg(not(txn))]
            Err(never) => match never {},
        };
        // A copy is one a reader keeps: a record of an aborted transaction is none.
        seen[r.msg] += u32::from(aborted_by.is_none());
        let dup = seen[r.msg] > 1 && aborted_by.is_none();
        record(o, trace, keys, r, dup, aborted_by);
    }
    #[cfg(txn)]
    let more = items.len().saturating_sub(STRIP_MAX);
    #[cfg(not(txn))]
    let more = trace.log.len().saturating_sub(STRIP_MAX);
    if more > 0 {
        let _ = write!(o, "<li class=\"more\">+{more}</li>");
    }
    o.push_str("</ol></div>");
}

/// One record of the strip: its offset and name (a second copy marked), with what it was sent
/// as on hover; with several partitions its partition, and its key under its name.
fn record(
    o: &mut String,
    trace: &Trace,
    keys: &[Option<String>],
    r: &delivery_sim::trace::LogRecord,
    dup: bool,
    aborted_by: Option<usize>,
) {
    let ids = r.idem.map_or(String::new(), |id| {
        format!(" · PID {} seq {}", id.pid, id.seq)
    });
    let name = esc(&trace.messages[r.msg]);
    // With several partitions each record's row says which ("P1·0" on hover), and a keyed
    // record shows its key under its name.
    let (mut part, mut key, mut key_line) = (String::new(), String::new(), String::new());
    if cfg!(feature = "partitions") && trace.partitions > 1 {
        part = format!("P{}·", r.partition);
        if let Some(k) = keys.get(r.msg).and_then(|k| k.as_deref()) {
            let k = esc(k);
            key_line = format!("<span class=\"key\">{k}</span>");
            key = format!(" · key {k}");
        }
    }
    // A record of a transaction that aborted: struck through once the marker is written.
    let aborted = aborted_by.map_or(String::new(), |k| format!(" ab{k}"));
    let _ = write!(
        o,
        "<li class=\"rec{}{aborted}\" title=\"{part}offset {} · {name}{key} · attempt {}{ids}\"><span class=\"off\">{}</span><span class=\"name\">{name}{}</span>{key_line}</li>",
        if dup { " dup" } else { "" },
        r.offset,
        r.attempt,
        r.offset,
        if dup { " ⚠" } else { "" }
    );
}

/// The lesson in words (what went wrong, what held), the counts, and the two yes/no checks.
fn summary(
    o: &mut String,
    s: &delivery_sim::Summary,
    t: &Text,
    bad: &[String],
    good: &[String],
    text: &str,
) {
    o.push_str("<div class=\"summary\"><div class=\"lesson\">");
    for b in bad {
        let _ = write!(o, "<span class=\"badge bad\">✗ {}</span>", esc(b));
    }
    for g in good {
        let _ = write!(o, "<span class=\"badge good\">✓ {}</span>", esc(g));
    }
    o.push_str("</div><dl class=\"counts\">");
    for (key, label, n) in [
        ("stored", t.stored, s.stored),
        ("duplicates", t.duplicates, s.duplicates),
        ("lost", t.lost, s.lost),
        ("failed", t.failed, s.failed),
        ("reordered", t.reordered, s.reordered),
    ] {
        let _ = write!(
            o,
            "<div><dt>{}</dt><dd data-k=\"{key}\">{n}</dd></div>",
            esc(label)
        );
    }
    o.push_str("</dl><p class=\"checks\">");
    for (ok, label) in [
        (s.lost == 0 && s.failed == 0, t.no_loss),
        (s.duplicates == 0, t.no_duplicates),
    ] {
        let _ = write!(
            o,
            "<span class=\"{}\">{} {}: {}</span>",
            if ok { "ok" } else { "no" },
            if ok { "✓" } else { "✗" },
            esc(label),
            if ok { t.yes } else { t.no }
        );
    }
    let _ = write!(o, "</p><p class=\"sr-only\">{}</p></div>", esc(text));
}
