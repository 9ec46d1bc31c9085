//! The time-ordered event queue: a heap for what arrives at any time (network arrivals), and
//! lists beside it for what is always scheduled in time order.

use super::Ev;
use std::collections::BinaryHeap;

/// An event waiting in the queue. Ordered by one integer, time then arrival (earliest first
/// out of the max-heap): one comparison per step of the heap, not a tuple and the event.
#[derive(Debug, Clone, Copy)]
struct Pending {
    key: u128,
    ev: Ev,
}

impl PartialEq for Pending {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}

impl Eq for Pending {}

impl PartialOrd for Pending {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Pending {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        other.key.cmp(&self.key)
    }
}

#[derive(Default)]
pub(super) struct Queue {
    heap: BinaryHeap<Pending>,
    /// Events that are always scheduled in time order wait in lists beside the heap instead of
    /// making every heap step deeper: the application's sends (all at the start, or one after
    /// another), and those at `now` plus a fixed setting: delivery.timeout.ms deadlines,
    /// request.timeout.ms timeouts, replication. Each list with the index of its first event not
    /// yet taken.
    ordered: [(Vec<Pending>, usize); 4],
    next_id: u64,
}

impl Queue {
    pub fn at(&mut self, t: u64, ev: Ev) {
        let p = Pending {
            key: (t as u128) << 64 | self.next_id as u128,
            ev,
        };
        self.next_id += 1;
        let list = match ev {
            Ev::Produce(_) => 0,
            Ev::Deadline => 1,
            Ev::Timeout(_) => 2,
            Ev::Fetched(..) => 3,
            _ => return self.heap.push(p),
        };
        let (list, taken) = &mut self.ordered[list];
        if list.last().is_some_and(|last| last.key > p.key) {
            // Not in time order after all (a future kind of scheduling): the heap takes it,
            // and `next` still finds the earliest of everything.
            return self.heap.push(p);
        }
        // Drop what was taken once it is most of the list: memory stays with what is pending.
        if *taken >= 1024 && *taken * 2 >= list.len() {
            list.drain(..*taken);
            *taken = 0;
        }
        list.push(p);
    }

    /// The earliest pending event and its time, from the heap or the ordered lists.
    pub fn next(&mut self) -> Option<(u64, Ev)> {
        let mut best = None;
        for (i, (list, taken)) in self.ordered.iter().enumerate() {
            if let Some(p) = list.get(*taken) {
                if best.is_none_or(|(_, key)| p.key < key) {
                    best = Some((i, p.key));
                }
            }
        }
        let p = match (best, self.heap.peek()) {
            (Some((_, key)), Some(q)) if q.key < key => self.heap.pop(),
            (Some((i, _)), _) => {
                let (list, taken) = &mut self.ordered[i];
                *taken += 1;
                Some(list[*taken - 1])
            }
            (None, _) => self.heap.pop(),
        }?;
        Some(((p.key >> 64) as u64, p.ev))
    }
}
