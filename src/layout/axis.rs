//! The time axis: where each moment of a run is drawn, its breaks, and the slots arrows share.

use super::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Side {
    Producer,
    Broker,
    Wire,
}

/// The shared vertical scale.
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    /// Each distinct time: (t_ms, y of its first slot, slots).
    rows: Vec<(u64, f64, u32)>,
    pub breaks: Vec<Break>,
    pub height: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Break {
    pub y: f64,
    pub ms: u64,
}

/// How many results (a record acknowledged, or failed) the application hears at the trace's
/// last moment.
#[cfg(not(feature = "embed"))]
pub(super) fn results_at_end(t: &Trace) -> usize {
    let end = t.end_ms();
    t.events
        .iter()
        .rev()
        .take_while(|e| e.t_ms == end)
        .filter(|e| matches!(e.kind, EventKind::Acked { .. } | EventKind::Failed { .. }))
        .count()
}

impl Axis {
    pub fn new(traces: &[&Trace]) -> Axis {
        // (time, slots) from every lane, merged in time order: a time gets the most slots any
        // lane needs there.
        let lists: Vec<Vec<(u64, u32)>> = traces.iter().map(|t| endpoint_counts(t)).collect();
        let mut at = vec![0usize; lists.len()];
        let mut slots: Vec<(u64, u32)> = Vec::new();
        while let Some(t) = lists
            .iter()
            .zip(&at)
            .filter_map(|(l, &i)| l.get(i).map(|e| e.0))
            .min()
        {
            let mut n = 1;
            for (l, i) in lists.iter().zip(at.iter_mut()) {
                if let Some(&(lt, ln)) = l.get(*i) {
                    if lt == t {
                        n = n.max(ln);
                        *i += 1;
                    }
                }
            }
            slots.push((t, n));
        }
        let mut rows = Vec::with_capacity(slots.len());
        let mut breaks = Vec::new();
        let mut y = TOP;
        let mut prev: Option<(u64, u32)> = None;
        for &(t, n) in &slots {
            if let Some((pt, pn)) = prev {
                let dt = t - pt;
                y += (pn - 1) as f64 * SLOT_H;
                if dt > BREAK_MS {
                    breaks.push(Break {
                        y: y + MAX_GAP / 2.0,
                        ms: dt,
                    });
                    y += MAX_GAP;
                } else {
                    y += (dt as f64 * PX_PER_MS).clamp(MIN_GAP, MAX_GAP);
                }
            }
            rows.push((t, y, n));
            prev = Some((t, n));
        }
        // Room below the last moment for its results, one line each up to `MAX_STACK`
        // (`svg::mark_lines`): a batch's records are acknowledged together. (The embed page's
        // batches hold one record, and its sends wait for each result: one at a time.)
        #[cfg(not(feature = "embed"))]
        let tail = {
            let results = traces.iter().map(|t| results_at_end(t)).max().unwrap_or(0);
            30.0 + results.min(MAX_STACK).saturating_sub(2) as f64 * 11.0
        };
        #[cfg(feature = "embed")]
        let tail = 30.0;
        let height = y + prev.map_or(0.0, |(_, n)| (n - 1) as f64 * SLOT_H) + tail;
        Axis {
            rows,
            breaks,
            height,
        }
    }

    /// y of a time's given slot (times between rows are interpolated).
    pub fn y(&self, t: u64, slot: u32) -> f64 {
        match self.rows.binary_search_by_key(&t, |r| r.0) {
            Ok(i) => self.rows[i].1 + slot.min(self.rows[i].2 - 1) as f64 * SLOT_H,
            Err(0) => TOP,
            Err(i) if i == self.rows.len() => self.height - 30.0,
            Err(i) => {
                let (t0, y0, _) = self.rows[i - 1];
                let (t1, y1, _) = self.rows[i];
                y0 + (y1 - y0) * (t - t0) as f64 / (t1 - t0) as f64
            }
        }
    }

    /// The bottom of a time's row: where the playhead sits once that moment has happened.
    pub fn y_after(&self, t: u64) -> f64 {
        match self.rows.binary_search_by_key(&t, |r| r.0) {
            Ok(i) => self.rows[i].1 + (self.rows[i].2 - 1) as f64 * SLOT_H + 6.0,
            Err(_) => self.y(t, 0),
        }
    }

    /// Every distinct time, in order: the playback steps.
    pub fn times(&self) -> Vec<u64> {
        self.rows.iter().map(|r| r.0).collect()
    }
}

/// Slots at one moment: arrow ends per side, counted as the trace walks forward in time.
#[derive(Default)]
pub(super) struct Slots {
    t: u64,
    used: [u32; 3],
}

impl Slots {
    /// Takes the next slot on `side` at time `t`.
    pub(super) fn take(&mut self, t: u64, side: Side) -> u32 {
        if t != self.t {
            *self = Slots { t, used: [0; 3] };
        }
        let slot = self.used[side as usize];
        self.used[side as usize] += 1;
        slot
    }
}

/// For each time, the most arrow ends one side of one lane has there (times ascending).
pub(super) fn endpoint_counts(t: &Trace) -> Vec<(u64, u32)> {
    let mut out: Vec<(u64, u32)> = Vec::new();
    let mut slots = Slots::default();
    walk(t, |_, time, side| {
        let n = slots.take(time, side) + 1;
        match out.last_mut() {
            Some(last) if last.0 == time => last.1 = last.1.max(n),
            _ => out.push((time, n)),
        }
    });
    out
}

/// Calls `f(req, t, side)` for each arrow end, in trace order. An arrival and the response that
/// leaves at the same moment share one end.
pub(super) fn walk(t: &Trace, mut f: impl FnMut(u32, u64, Side)) {
    let mut arrived: Vec<u64> = Vec::new();
    for e in &t.events {
        let time = e.t_ms;
        match e.kind {
            EventKind::Request { req, .. } => f(req, time, Side::Producer),
            EventKind::RequestLost { req, cause } => {
                let side = if cause == Loss::BrokerDown {
                    Side::Broker
                } else {
                    Side::Wire
                };
                f(req, time, side)
            }
            EventKind::BrokerFailed { req } | EventKind::Decided { req, .. } => {
                set(&mut arrived, req, time, u64::MAX);
                f(req, time, Side::Broker)
            }
            EventKind::Response { req, .. } if arrived.get(req as usize) != Some(&time) => {
                f(req, time, Side::Broker)
            }
            EventKind::ResponseLost { req, .. }
            | EventKind::RequestHeld { req, .. }
            | EventKind::ResponseHeld { req, .. } => f(req, time, Side::Wire),
            EventKind::ResponseReceived { req, .. } => f(req, time, Side::Producer),
            // A transaction marker is a moment of its own on the broker's side: playback
            // stops there (a commit marker is when read_committed consumers see the records).
            #[cfg(txn)]
            EventKind::Marker { .. } => f(u32::MAX, time, Side::Broker),
            // A request to the coordinator leaves the producer, its answer reaches it.
            #[cfg(txn)]
            EventKind::TxnRequest { .. } | EventKind::TxnResponse { .. } => {
                f(u32::MAX, time, Side::Producer)
            }
            _ => {}
        }
    }
}

/// Request ids are dense from 0, so per-request facts live in plain vectors.
pub(super) fn set<T: Clone>(v: &mut Vec<T>, req: u32, value: T, fill: T) {
    let i = req as usize;
    if v.len() <= i {
        v.resize(i + 1, fill);
    }
    v[i] = value;
}
