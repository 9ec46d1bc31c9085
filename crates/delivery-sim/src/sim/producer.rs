//! The producer, as the Apache Kafka Java client runs it for one topic whose partitions one
//! broker leads: the partitioner, the RecordAccumulator's deque of each partition, the Sender's
//! drain, retry and expiry, NetworkClient's in-flight requests on one connection, and for
//! idempotence the TransactionManager's sequence numbers of each partition.

use super::wire::{Carried, Req, Rest, Wire};
use super::{expects_answer, per_partition, Ctx, Ev, PerPartition, BATCHING, PARTITIONS};
use crate::config::ProducerConfig;
use crate::partition;
#[cfg(all(feature = "partitions", not(feature = "lean")))]
use crate::partition::Sticky;
use crate::rng;
use crate::trace::{Answer, EventKind, FailReason, Idem, KafkaError};
use std::collections::VecDeque;

#[cfg(txn)]
mod txn;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Queued,
    InFlight,
    Done,
}

/// A ProducerBatch: records of the partition that travel, and are retried, together. Its
/// records are `Ctx::batches.get(b)`, in send order.
#[derive(Debug, Clone)]
struct Batch {
    partition: u32,
    /// Its size estimate: the record batch header and its records (MemoryRecordsBuilder).
    bytes: u64,
    /// Closed for appends: drained once, or a record did not fit (closeForRecordAppends).
    closed: bool,
    /// Requests sent for it so far: the `#2` of a retry (counts across producer restarts).
    sends: u32,
    /// ProducerBatch.attempts: times it was re-enqueued for a retry in this producer session.
    attempts: u32,
    created: u64,
    /// When a retry may be drained: the time of the failure plus the backoff.
    retry_at: u64,
    /// The PID, epoch and base sequence; its records take base, base + 1, ...
    idem: Option<Idem>,
    /// ProducerBatch.sequenceHasBeenReset: renumbered by an epoch bump since it was drained.
    reset: bool,
    state: State,
}

/// With one partition (no `PARTITIONS`) there is nothing to choose: a partitioner that
/// keeps to partition 0 and holds nothing.
#[cfg(not(all(feature = "partitions", not(feature = "lean"))))]
#[derive(Debug, Clone)]
struct Sticky;

#[cfg(not(all(feature = "partitions", not(feature = "lean"))))]
impl Sticky {
    fn new(_: u32, _: u64) -> Sticky {
        Sticky
    }
    fn current(&mut self, _: u64) -> u32 {
        0
    }
    fn appended(&mut self, _: u64, _: u64, _: bool) {}
    fn load_stats<I: ExactSizeIterator<Item = u32>>(&mut self, _: I) {}
}

/// DefaultRecordBatch.RECORD_BATCH_OVERHEAD: a batch's header, before its records.
pub const RECORD_BATCH_OVERHEAD: u64 = 61;
/// ProducerConfig's max.request.size default: a request takes batches up to this size.
const MAX_REQUEST_SIZE: u64 = 1_048_576;

/// TransactionManager's TxnPartitionEntry for a partition.
#[derive(Debug, Clone)]
struct Partition {
    /// The producer id and epoch its sequences belong to.
    pid_epoch: (u64, u16),
    next_seq: u32,
    /// The last sequence acknowledged, -1 for none.
    last_acked: i64,
    /// inflightBatchesBySequence: numbered and not yet completed (sent, or waiting to be
    /// retried), by sequence.
    in_flight: Vec<usize>,
    /// partitionsWithUnresolvedSequences: an expired batch may or may not have been written;
    /// the next sequence after it.
    unresolved: Option<u32>,
    /// partitionsToRewriteSequences: the next epoch bump renumbers its batches from 0.
    rewrite: bool,
}

impl Partition {
    fn new(pid_epoch: (u64, u16)) -> Partition {
        Partition {
            pid_epoch,
            next_seq: 0,
            last_acked: -1,
            in_flight: Vec::new(),
            unresolved: None,
            rewrite: false,
        }
    }
}

pub(super) struct Producer {
    pub c: ProducerConfig,
    batches: Vec<Batch>,
    /// The RecordAccumulator's deque of each partition: batches waiting to be drained.
    deques: PerPartition<VecDeque<usize>>,
    /// Partitions that have had a deque (RecordAccumulator keeps the entry once made).
    made: PerPartition<bool>,
    /// The built-in partitioner for records without a key.
    sticky: Sticky,
    /// drainIndex: the partition the next drain starts from.
    drain_index: usize,
    /// Sender.inFlightBatches: drained and waiting for an answer, in drain order. (At most a
    /// few: plain vectors, not deques, for the small queues.)
    in_flight_batches: Vec<usize>,
    /// The connection to the leader; `None` once closed: the next send opens another.
    conn: Option<u32>,
    /// NetworkClient's InFlightRequests on that connection, oldest first.
    in_flight: Vec<u32>,
    pid: u64,
    epoch: u16,
    /// Each partition's sequence state.
    parts: PerPartition<Partition>,
    epoch_bump_required: bool,
    wake_at: Option<u64>,
    next_sync: usize,
    told_failed: Vec<bool>,
    /// With a `transactional.id`: the transactional state and the application's transactions.
    #[cfg(txn)]
    txn: Option<txn::Txn>,
}

impl Producer {
    pub fn new(c: ProducerConfig, n: usize, partitions: u32) -> Producer {
        let p = if PARTITIONS {
            partitions.max(1) as usize
        } else {
            1
        };
        #[cfg(txn)]
        let txn = c.transactional_id.as_ref().map(|_| txn::Txn::default());
        Producer {
            batches: Vec::with_capacity(n),
            deques: per_partition(p, VecDeque::new()),
            made: per_partition(p, false),
            sticky: Sticky::new(p as u32, c.batch_size),
            drain_index: 0,
            c,
            in_flight_batches: Vec::new(),
            conn: None,
            in_flight: Vec::new(),
            pid: 0,
            epoch: 0,
            parts: per_partition(p, Partition::new((0, 0))),
            epoch_bump_required: false,
            wake_at: None,
            next_sync: 0,
            told_failed: vec![false; n],
            #[cfg(txn)]
            txn,
        }
    }

    /// The topic's partitions (one without PARTITIONS).
    fn partitions(&self) -> usize {
        if PARTITIONS {
            self.deques.len()
        } else {
            1
        }
    }

    /// Batch `b`'s partition.
    fn part_of(&self, b: usize) -> usize {
        if PARTITIONS {
            self.batches[b].partition as usize
        } else {
            0
        }
    }

    fn idempotent(&self) -> bool {
        self.c.enable_idempotence
    }

    pub fn told_failed(&self) -> &[bool] {
        &self.told_failed
    }

    /// The producer gets its PID, and the application starts sending.
    pub fn start(&mut self, cx: &mut Ctx) {
        // A transactional application calls initTransactions first, and sends after it.
        #[cfg(txn)]
        if self.transactional() {
            // The Sender sends InitProducerId at its first run.
            cx.at(0, Ev::Wake);
            return self.txn_start();
        }
        if self.idempotent() {
            cx.emit(EventKind::InitProducerId { pid: 0, epoch: 0 });
        }
        if cx.s.sync {
            cx.at(0, Ev::Produce(0));
            self.next_sync = 1;
        } else {
            for i in 0..cx.s.messages.len() {
                cx.at(i as u64 * cx.s.interval_ms, Ev::Produce(i));
            }
        }
    }

    /// KafkaProducer.send: the record joins the accumulator.
    pub fn produce(&mut self, cx: &mut Ctx, msg: usize) {
        cx.emit(EventKind::Send { msg });
        // A transactional application's send redone after a restart counts on its attempts.
        #[cfg(txn)]
        let sends = self.txn_prior_sends(msg);
        #[cfg(not(txn))]
        let sends = 0;
        self.append(cx, msg, sends);
        #[cfg(txn)]
        self.txn_sent(cx);
    }

    /// KafkaProducer.partition: a keyed record's partition is its key's (partitionForKey); a
    /// record without one goes to the built-in partitioner's sticky partition.
    fn partition(&mut self, cx: &Ctx, msg: usize) -> Option<u32> {
        if !PARTITIONS || self.deques.len() < 2 {
            return None;
        }
        if let Some(key) = cx.s.key(msg) {
            return Some(partition::for_key(key, self.deques.len() as u32));
        }
        // RecordAccumulator.partitionChanged: a switch held back while the deque had an open
        // batch happens once its batches are full (or drained).
        let p = self.sticky.current(cx.s.seed) as usize;
        if self.all_full(p) {
            self.sticky.appended(cx.s.seed, 0, true);
        }
        Some(self.sticky.current(cx.s.seed))
    }

    /// RecordAccumulator.allBatchesFull: the deque's last batch is full, or it has none.
    fn all_full(&self, p: usize) -> bool {
        self.deques[p].back().is_none_or(|&b| self.full(b))
    }

    /// RecordAccumulator.append: the record joins the last batch of its partition's deque if
    /// that one is open and has room for it (tryAppend, MemoryRecordsBuilder.hasRoomFor: a
    /// batch always takes its first record, then up to batch.size bytes); else that batch is
    /// closed and a new one starts. Then the sticky partitioner counts the bytes
    /// (updatePartitionInfo). `sends`: requests its records were already in (a restart's
    /// resend).
    fn append(&mut self, cx: &mut Ctx, msg: usize, sends: u32) {
        let keyed = cx.s.key(msg).is_some();
        let p = self.partition(cx, msg).unwrap_or(0) as usize;
        let size = cx.s.size(msg);
        let appended = self.append_to(cx, p, msg, size, sends);
        #[cfg(txn)]
        self.txn_add_partition(p);
        if PARTITIONS && self.deques.len() > 1 && !keyed {
            let full = self.all_full(p);
            self.sticky.appended(cx.s.seed, appended, full);
        }
    }

    /// Appends to partition `p`'s deque; returns the bytes it added (a new batch: its header
    /// too).
    fn append_to(&mut self, cx: &mut Ctx, p: usize, msg: usize, size: u64, sends: u32) -> u64 {
        if let Some(&last) = self.deques[p].back().filter(|_| BATCHING) {
            let batch = &mut self.batches[last];
            if !batch.closed && batch.bytes + size <= self.c.batch_size {
                batch.bytes += size;
                batch.sends = batch.sends.max(sends);
                cx.batches.join(last, msg);
                return size;
            }
            batch.closed = true;
        }
        let b = self.batches.len();
        let bytes = RECORD_BATCH_OVERHEAD + size;
        self.batches.push(Batch {
            partition: p as u32,
            bytes,
            closed: false,
            sends,
            attempts: 0,
            created: cx.now,
            retry_at: cx.now,
            idem: None,
            reset: false,
            state: State::Queued,
        });
        cx.batches.open(msg, p as u32);
        self.deques[p].push_back(b);
        if PARTITIONS {
            self.made[p] = true;
        }
        cx.at(cx.now + self.c.delivery_timeout_ms, Ev::Deadline);
        bytes
    }

    /// MemoryRecordsBuilder.isFull: closed, or at its write limit (after its first record).
    fn full(&self, b: usize) -> bool {
        let batch = &self.batches[b];
        batch.closed || batch.bytes >= self.c.batch_size
    }

    pub fn woke(&mut self) {
        self.wake_at = None;
    }

    fn wake(&mut self, cx: &mut Ctx, t: u64) {
        if self.wake_at.is_none_or(|w| w > t) {
            self.wake_at = Some(t);
            cx.at(t, Ev::Wake);
        }
    }

    /// Sender.runOnce, as often as it has something to do: settle sequences and the epoch,
    /// drain one request (a batch of each partition), expire what is past its deadline.
    pub fn sender(&mut self, cx: &mut Ctx, wire: &mut Wire) {
        loop {
            if self.idempotent() {
                self.maybe_resolve_sequences(cx);
                self.bump_epoch_if_needed(cx);
            }
            // Sender.runOnce: a request to the transaction coordinator goes first, and while
            // it is in flight no produce data is sent.
            #[cfg(txn)]
            let waits = self.txn_send(cx);
            #[cfg(not(txn))]
            let waits = false;
            let drained = !waits && self.drain(cx, wire);
            // An expired batch can free the one behind it: Sender.sendProducerData polls with
            // timeout 0 while a node has data ready, so the next runOnce drains it at once.
            let expired = self.expire(cx);
            if !drained && !expired {
                return;
            }
        }
    }

    /// RecordAccumulator.ready for the broker: whether any partition's first batch may go
    /// (batchReady); wakes the Sender when the others' will. Also the queue sizes the sticky
    /// partitioner weighs (partitionReady, updatePartitionLoadStats).
    fn ready(&mut self, cx: &mut Ctx) -> bool {
        let mut ready = false;
        for p in 0..self.partitions() {
            let Some(&b) = self.deques[p].front() else {
                continue;
            };
            let batch = &self.batches[b];
            // RecordAccumulator.shouldBackoff: a retry waits out its backoff.
            let until = if batch.attempts > 0 {
                batch.retry_at
            } else if self.deques[p].len() > 1 || self.full(b) {
                // A first attempt is sendable once another batch waits behind it, or it is
                // full, or it has waited linger.ms.
                0
            } else {
                batch.created + self.c.linger_ms
            };
            if cx.now >= until {
                ready = true;
            } else {
                // (`wake` keeps the earliest.)
                self.wake(cx, until);
            }
        }
        if PARTITIONS && self.deques.len() > 1 {
            // None until every partition has had a deque (then uniform), without a copy: this
            // runs at every Sender pass.
            let all = self.made.iter().all(|&m| m);
            let sizes = self.deques.iter().map(|d| d.len() as u32);
            self.sticky
                .load_stats(sizes.take(if all { usize::MAX } else { 0 }));
        }
        ready
    }

    /// Sender.sendProducerData for the broker: when it is ready and the connection can take
    /// another request, RecordAccumulator.drainBatchesForOneNode takes the first batch of each
    /// partition (from the drain index on, up to max.request.size), and one request carries
    /// them. Returns whether it sent.
    fn drain(&mut self, cx: &mut Ctx, wire: &mut Wire) -> bool {
        // NetworkClient.canSendMore: at most max.in.flight.requests.per.connection waiting.
        if self.in_flight.len() >= self.c.max_in_flight as usize || !self.ready(cx) {
            return false;
        }
        // One partition without PARTITIONS.
        let n = self.partitions();
        let start = if PARTITIONS { self.drain_index % n } else { 0 };
        let mut i = start;
        // The request's first batch, then the rest (`Req::rest`).
        let mut first = None;
        #[cfg(all(feature = "partitions", not(feature = "lean")))]
        let mut rest: Rest = Vec::new();
        #[cfg(not(all(feature = "partitions", not(feature = "lean"))))]
        let rest: Rest = [];
        let mut size = 0;
        loop {
            let p = i;
            if PARTITIONS {
                self.drain_index = p;
            }
            i = (i + 1) % n;
            if let Some(&b) = self.deques[p].front() {
                let batch = &self.batches[b];
                let backing_off = batch.attempts > 0 && cx.now < batch.retry_at;
                if !backing_off {
                    if PARTITIONS && size + batch.bytes > MAX_REQUEST_SIZE && first.is_some() {
                        break;
                    }
                    if self.idempotent() && self.should_stop_drain(b) {
                        break;
                    }
                    size += batch.bytes;
                    self.deques[p].pop_front();
                    self.number(cx, b);
                    if first.is_none() {
                        first = Some(b);
                    } else {
                        #[cfg(all(feature = "partitions", not(feature = "lean")))]
                        rest.push(Carried {
                            batch: b,
                            attempt: 0,
                            idem: None,
                            answer: None,
                        });
                    }
                }
            }
            if i == start {
                break;
            }
        }
        let Some(b) = first else {
            return false;
        };
        self.send(cx, wire, b, rest);
        true
    }

    /// A drained batch: with idempotence, its producer id, epoch and base sequence (unless it
    /// has them from an earlier attempt); ProducerBatch.close: no more records join it.
    fn number(&mut self, cx: &Ctx, b: usize) {
        let p = self.part_of(b);
        if self.idempotent() && self.batches[b].idem.is_none() {
            // TransactionManager.maybeUpdateProducerIdAndEpoch, then the next sequence.
            if self.parts[p].pid_epoch != (self.pid, self.epoch)
                && self.parts[p].in_flight.is_empty()
            {
                self.start_sequences_at_beginning(cx, p);
            }
            let part = &mut self.parts[p];
            self.batches[b].idem = Some(Idem {
                pid: self.pid,
                epoch: self.epoch,
                seq: part.next_seq,
            });
            // TransactionManager.incrementSequenceNumber by the batch's record count.
            part.next_seq += cx.count(b) as u32;
            part.in_flight.push(b);
        }
        self.batches[b].closed = true;
        self.batches[b].reset = false;
    }

    /// RecordAccumulator.shouldStopDrainBatchesForPartition.
    fn should_stop_drain(&self, b: usize) -> bool {
        let batch = &self.batches[b];
        // TransactionManager.isSendToPartitionAllowed: not before the partition is in the
        // transaction.
        #[cfg(txn)]
        if !self.txn_allows(self.part_of(b)) {
            return true;
        }
        let part = &self.parts[self.part_of(b)];
        if batch.idem.is_none() {
            // No new batch while batches of an older epoch are in flight, nor while an expired
            // batch's fate is unknown.
            if !part.in_flight.is_empty() && part.pid_epoch != (self.pid, self.epoch) {
                return true;
            }
            if part.unresolved.is_some() {
                return true;
            }
        }
        // A retry goes only when it is the first in flight: one request at a time until the
        // retries are through, so they keep their order.
        match (part.in_flight.first(), batch.idem) {
            (Some(&first), Some(id)) => Some(id.seq) != self.batches[first].idem.map(|i| i.seq),
            _ => false,
        }
    }

    /// One request for the drained batches: the first is the request's own, the rest ride
    /// along (`Req::rest`).
    fn send(&mut self, cx: &mut Ctx, wire: &mut Wire, b: usize, mut rest: Rest) {
        let conn = match self.conn {
            Some(conn) => conn,
            None => {
                let conn = wire.open(cx);
                self.conn = Some(conn);
                conn
            }
        };
        let answered = expects_answer(self.c.acks);
        let state = if answered {
            State::InFlight
        } else {
            State::Done
        };
        let batch = &mut self.batches[b];
        batch.sends += 1;
        batch.state = state;
        if answered {
            self.in_flight_batches.push(b);
        }
        // Each further batch, with its attempt and ids now that it is sent.
        for c in rest.iter_mut() {
            let batch = &mut self.batches[c.batch];
            batch.sends += 1;
            batch.state = state;
            c.attempt = batch.sends;
            c.idem = batch.idem;
            if answered {
                self.in_flight_batches.push(c.batch);
            }
        }
        let req = wire.send(
            cx,
            Req {
                batch: b,
                msg: cx.record(b, 0),
                attempt: self.batches[b].sends,
                idem: self.batches[b].idem,
                conn,
                open: answered,
                answer: None,
                rest,
            },
            answered,
        );
        if answered {
            self.in_flight.push(req);
            cx.at(cx.now + self.c.request_timeout_ms, Ev::Timeout(req));
        } else {
            // acks=0 (NetworkClient.handleCompletedSends): done once it is on the wire.
            for i in 0..wire.reqs[req as usize].len() {
                let b = wire.reqs[req as usize].at(i).batch;
                self.acked(cx, b, None);
            }
        }
    }

    /// An answer reached the producer on its open connection (InFlightRequests.completeNext:
    /// the oldest request, since answers come back in order): each batch completes with its
    /// partition's answer (Sender.handleProduceResponse).
    pub fn on_answer(&mut self, cx: &mut Ctx, wire: &mut Wire, req: u32) {
        wire.reqs[req as usize].open = false;
        self.in_flight.retain(|&x| x != req);
        for i in 0..wire.reqs[req as usize].len() {
            let Carried {
                batch: b, answer, ..
            } = wire.reqs[req as usize].at(i);
            self.remove_in_flight_batch(b);
            match answer {
                Some(Answer::Stored { offset } | Answer::Duplicate { offset }) => {
                    self.complete_ok(cx, b, offset)
                }
                Some(a) => {
                    let error = a.error().unwrap_or(KafkaError::NetworkException);
                    self.complete_error(cx, b, error);
                }
                None => {}
            }
        }
    }

    /// NetworkClient.handleTimedOutRequests: `request.timeout.ms` passed for the oldest request;
    /// the connection is closed and every request on it fails with REQUEST_TIMED_OUT, oldest
    /// first (InFlightRequests.clearAll).
    pub fn request_timeout(&mut self, cx: &mut Ctx, wire: &mut Wire, req: u32) {
        if !wire.reqs[req as usize].open {
            return;
        }
        cx.emit(EventKind::RequestTimeout { req });
        let failed = std::mem::take(&mut self.in_flight);
        for &r in &failed {
            wire.reqs[r as usize].open = false;
            if r != req {
                cx.emit(EventKind::Disconnected { req: r });
            }
        }
        if let Some(conn) = self.conn.take() {
            wire.close(conn);
        }
        for r in failed {
            for i in 0..wire.reqs[r as usize].len() {
                let b = wire.reqs[r as usize].at(i).batch;
                self.remove_in_flight_batch(b);
                self.complete_error(cx, b, KafkaError::RequestTimedOut);
            }
        }
    }

    /// The broker closed the connection (acks=0): the next send opens another.
    pub fn broker_closed(&mut self, cx: &mut Ctx, wire: &mut Wire, conn: u32) {
        if self.conn == Some(conn) {
            self.conn = None;
            wire.close(conn);
            cx.emit(EventKind::ConnectionClosed { conn });
        }
    }

    fn remove_in_flight_batch(&mut self, b: usize) {
        if let Some(i) = self.in_flight_batches.iter().position(|&x| x == b) {
            self.in_flight_batches.remove(i);
        }
    }

    /// Sender.completeBatch for a success: TransactionManager.handleCompletedBatch, then the
    /// callback (unless the batch had already expired: ProducerBatch.done keeps the first end).
    fn complete_ok(&mut self, cx: &mut Ctx, b: usize, offset: u64) {
        if let Some(id) = self.batches[b].idem {
            // ProducerBatch.lastSequence: the base sequence and the records after it.
            let last = id.seq as i64 + cx.count(b) as i64 - 1;
            let p = self.part_of(b);
            let part = &mut self.parts[p];
            part.last_acked = part.last_acked.max(last);
            self.forget_sequence(b);
        }
        let batch = &mut self.batches[b];
        if batch.state == State::Done {
            return;
        }
        batch.state = State::Done;
        self.acked(cx, b, Some(offset));
    }

    /// ProduceRequestResult.done: each record's callback, with its offset (the batch's base
    /// offset plus its place in the batch).
    fn acked(&mut self, cx: &mut Ctx, b: usize, base: Option<u64>) {
        for i in 0..cx.count(b) {
            let msg = cx.record(b, i);
            let offset = base.map(|o| o + i as u64);
            cx.emit(EventKind::Acked { msg, offset });
            self.app_next(cx, msg);
        }
    }

    /// Sender.completeBatch for an error: retry (Sender.canRetry) or fail.
    fn complete_error(&mut self, cx: &mut Ctx, b: usize, error: KafkaError) {
        let batch = &self.batches[b];
        let expired = self.reached_delivery_timeout(cx, b);
        let exhausted = batch.attempts >= self.c.retries;
        if batch.state == State::Done {
            // Already expired: ProducerBatch.completeExceptionally changes nothing.
            return;
        }
        if !expired && !exhausted && self.can_retry(b, error) {
            return self.reenqueue(cx, b);
        }
        let reason = if expired {
            FailReason::DeliveryTimeout(Some(error))
        } else if exhausted {
            FailReason::RetriesExhausted(error)
        } else {
            FailReason::Fatal(error)
        };
        // Sender.completeBatch: sequences are adjusted only if retries were left, since after
        // the last one nobody knows whether the broker took it.
        self.fail(cx, b, reason, !exhausted);
    }

    /// Sender.canRetry (its deadline and retries checked by the caller): the error is
    /// retriable, as TransactionManager.canRetry says with idempotence.
    fn can_retry(&mut self, b: usize, error: KafkaError) -> bool {
        if !self.idempotent() || error != KafkaError::OutOfOrderSequenceNumber {
            return error.retriable();
        }
        // TransactionManager.canRetry, OUT_OF_ORDER_SEQUENCE_NUMBER: not the next batch after the
        // last acknowledged one, so an earlier batch is still to land: retry as it is.
        let batch = &self.batches[b];
        let p = self.part_of(b);
        let seq = batch.idem.map_or(0, |id| id.seq);
        let unresolved = self.parts[p].unresolved;
        if unresolved.is_none() && (batch.reset || !self.is_next_sequence(p, seq)) {
            return true;
        }
        // The idempotent producer retries every OUT_OF_ORDER_SEQUENCE_NUMBER; a real gap (the
        // next batch, nothing unresolved, or right after the unresolved one) bumps the epoch.
        if unresolved.is_none() || unresolved == Some(seq) {
            self.request_epoch_bump(p);
        }
        true
    }

    /// RecordAccumulator.reenqueue: without idempotence the batch goes back to the head of the
    /// queue (addFirst: several failed at once come back newest first); with it, in sequence
    /// order (insertInSequenceOrder).
    fn reenqueue(&mut self, cx: &mut Ctx, b: usize) {
        let batch = &mut self.batches[b];
        batch.attempts += 1;
        batch.state = State::Queued;
        let (msg, sends, attempts) = (cx.record(b, 0), batch.sends, batch.attempts);
        let retry_at = cx.now + self.backoff(cx, msg, sends, attempts - 1);
        self.batches[b].retry_at = retry_at;
        cx.emit(EventKind::RetryScheduled {
            batch: b as u32,
            msg,
            attempt: sends + 1,
            at_ms: retry_at,
        });
        let p = self.part_of(b);
        let deque = &mut self.deques[p];
        match self.batches[b].idem {
            // Without BATCHING (the lean engine runs views that send one record at a time) no
            // other batch waits in the deque: the head is its place either way.
            Some(id) if BATCHING && self.c.enable_idempotence => {
                let pos = deque
                    .iter()
                    .position(|&x| self.batches[x].idem.is_none_or(|o| o.seq >= id.seq))
                    .unwrap_or(deque.len());
                deque.insert(pos, b);
            }
            _ => deque.push_front(b),
        }
    }

    /// ExponentialBackoff.backoff(attempts) with retry.backoff.ms, multiplier 2,
    /// retry.backoff.max.ms and jitter 0.2 (CommonClientConfigs): the exponent capped at the
    /// maximum, then ±20% jitter, then clamped. Kafka draws the jitter afresh at each check; the
    /// simulation draws it once per retry, from the seed.
    fn backoff(&self, cx: &Ctx, msg: usize, sends: u32, attempts: u32) -> u64 {
        let max = self.c.retry_backoff_max_ms;
        let initial = self.c.retry_backoff_ms.min(max);
        if max <= initial {
            return initial;
        }
        // initial * 2^min(attempts, log2(max / initial)), in integers: no float logarithm,
        // so native and wasm runs agree to the millisecond.
        let term = initial.saturating_mul(1u64 << attempts.min(63)).min(max);
        let factor = 0.8 + 0.4 * rng::unit(cx.draw(msg, sends, 3));
        ((factor * term as f64) as u64).min(max)
    }

    /// Sender.failBatch: the application is told; TransactionManager.handleFailedBatch.
    fn fail(&mut self, cx: &mut Ctx, b: usize, reason: FailReason, adjust_sequences: bool) {
        let batch = &mut self.batches[b];
        if batch.state == State::Done {
            return;
        }
        batch.state = State::Done;
        let numbered = batch.idem.is_some();
        #[cfg(txn)]
        self.txn_failed_batch(reason);
        for i in 0..cx.count(b) {
            let msg = cx.record(b, i);
            self.told_failed[msg] = true;
            cx.emit(EventKind::Failed { msg, reason });
        }
        if self.idempotent() && numbered {
            self.forget_sequence(b);
            // handleFailedBatch: an OutOfOrderSequenceException is a gap in the log, and a batch
            // that failed with retries left leaves its sequence unused: both bump the epoch.
            if reason.error() == Some(KafkaError::OutOfOrderSequenceNumber) || adjust_sequences {
                self.request_epoch_bump(self.part_of(b));
            }
        }
        for i in 0..cx.count(b) {
            let msg = cx.record(b, i);
            self.app_next(cx, msg);
        }
    }

    fn reached_delivery_timeout(&self, cx: &Ctx, b: usize) -> bool {
        // ProducerBatch.hasReachedDeliveryTimeout.
        cx.now - self.batches[b].created >= self.c.delivery_timeout_ms
    }

    /// Sender.sendProducerData's expiry: RecordAccumulator.expiredBatches (from the head of the
    /// deque, while expired) and Sender.getExpiredInflightBatches (in drain order, while
    /// expired). Each fails with a TimeoutException; an expired batch that had been sent leaves
    /// its sequence unresolved.
    fn expire(&mut self, cx: &mut Ctx) -> bool {
        let queued = |p: &Producer| {
            let mut n = 0;
            for d in &p.deques {
                n += d.len();
            }
            n
        };
        let before = self.in_flight_batches.len() + queued(self);
        for p in 0..self.partitions() {
            while let Some(&b) = self.deques[p].front() {
                if !self.reached_delivery_timeout(cx, b) {
                    break;
                }
                self.deques[p].pop_front();
                self.expire_batch(cx, b);
            }
        }
        while let Some(&b) = self.in_flight_batches.first() {
            if !self.reached_delivery_timeout(cx, b) {
                break;
            }
            self.in_flight_batches.remove(0);
            self.expire_batch(cx, b);
        }
        self.in_flight_batches.len() + queued(self) < before
    }

    fn expire_batch(&mut self, cx: &mut Ctx, b: usize) {
        let in_retry = self.batches[b].attempts > 0;
        self.fail(cx, b, FailReason::DeliveryTimeout(None), false);
        if self.idempotent() && in_retry {
            // TransactionManager.markSequenceUnresolved.
            if let Some(id) = self.batches[b].idem {
                let p = self.part_of(b);
                let part = &mut self.parts[p];
                // ProducerBatch.lastSequence() + 1.
                let next = id.seq + cx.count(b) as u32;
                let next_seq = part.unresolved.map_or(next, |u| u.max(next));
                if part.unresolved != Some(next_seq) {
                    cx.emit(EventKind::SequenceUnresolved { next_seq });
                }
                part.unresolved = Some(next_seq);
            }
        }
    }

    fn forget_sequence(&mut self, b: usize) {
        let p = self.part_of(b);
        let part = &mut self.parts[p];
        if let Some(i) = part.in_flight.iter().position(|&x| x == b) {
            part.in_flight.remove(i);
        }
    }

    fn is_next_sequence(&self, p: usize, seq: u32) -> bool {
        seq as i64 - self.parts[p].last_acked == 1
    }

    /// TransactionManager.requestEpochBumpForPartition.
    fn request_epoch_bump(&mut self, p: usize) {
        self.epoch_bump_required = true;
        self.parts[p].rewrite = true;
    }

    /// TransactionManager.maybeResolveSequences: once nothing is in flight, an unresolved
    /// partition is resolved if the sequences meet, and needs a new epoch if they do not.
    fn maybe_resolve_sequences(&mut self, cx: &mut Ctx) {
        for p in 0..self.partitions() {
            let part = &self.parts[p];
            if part.unresolved.is_some() && part.in_flight.is_empty() {
                let gap = !self.is_next_sequence(p, part.next_seq);
                if gap {
                    self.request_epoch_bump(p);
                }
                self.parts[p].unresolved = None;
                cx.emit(EventKind::SequencesResolved { gap });
            }
        }
    }

    /// TransactionManager.bumpIdempotentEpochAndResetIdIfNeeded: the idempotent producer bumps
    /// its epoch itself and renumbers the partition's batches in flight from 0.
    fn bump_epoch_if_needed(&mut self, cx: &mut Ctx) {
        if !self.epoch_bump_required {
            return;
        }
        // A transactional producer bumps its epoch through the coordinator, after the
        // transaction ends (txn.rs).
        #[cfg(txn)]
        if self.transactional() {
            return;
        }
        self.epoch_bump_required = false;
        if self.epoch == i16::MAX as u16 {
            // resetIdempotentProducerId: the epoch is exhausted; a new PID.
            self.pid += 1;
            self.epoch = 0;
            cx.emit(EventKind::InitProducerId {
                pid: self.pid,
                epoch: 0,
            });
        } else {
            self.epoch += 1;
            cx.emit(EventKind::EpochBumped { epoch: self.epoch });
        }
        // bumpIdempotentProducerEpoch: the partitions that asked for it are renumbered.
        for p in 0..self.partitions() {
            if self.parts[p].rewrite {
                self.start_sequences_at_beginning(cx, p);
                if self.parts[p].unresolved.take().is_some() {
                    // The new epoch numbers from 0: nothing is left to resolve.
                    cx.emit(EventKind::SequencesResolved { gap: true });
                }
                self.parts[p].rewrite = false;
            }
        }
    }

    /// TxnPartitionEntry.startSequencesAtBeginning: each batch in flight takes the next
    /// sequence after the records of the ones before it.
    fn start_sequences_at_beginning(&mut self, cx: &Ctx, p: usize) {
        let (pid, epoch) = (self.pid, self.epoch);
        let mut seq = 0;
        let part = &mut self.parts[p];
        for &b in &part.in_flight {
            let batch = &mut self.batches[b];
            batch.idem = Some(Idem { pid, epoch, seq });
            batch.reset = true;
            seq += cx.count(b) as u32;
        }
        part.next_seq = seq;
        part.last_acked = -1;
        part.pid_epoch = (pid, epoch);
    }

    /// With `sync`, the application sends the next message once it has this one's result.
    fn app_next(&mut self, cx: &mut Ctx, msg: usize) {
        #[cfg(txn)]
        if self.txn_app_next(cx, msg) {
            return;
        }
        if cx.s.sync && msg + 1 == self.next_sync && self.next_sync < cx.s.messages.len() {
            let next = self.next_sync;
            self.next_sync += 1;
            cx.at(cx.now + cx.s.interval_ms, Ev::Produce(next));
        }
    }

    /// The producer process restarts: a new session with a new PID, and the application sends
    /// again what the old one had not acknowledged (in send order). Its connection is gone.
    pub fn restart(&mut self, cx: &mut Ctx, wire: &mut Wire) {
        cx.emit(EventKind::ProducerRestart);
        for r in std::mem::take(&mut self.in_flight) {
            wire.reqs[r as usize].open = false;
        }
        if let Some(conn) = self.conn.take() {
            wire.close(conn);
        }
        self.in_flight_batches.clear();
        for d in &mut self.deques {
            d.clear();
        }
        // With a `transactional.id` the new process calls initTransactions, which fences the
        // old one; its application resumes after the last committed transaction.
        #[cfg(txn)]
        if self.txn_restart(cx) {
            for batch in &mut self.batches {
                batch.state = State::Done;
            }
            return;
        }
        self.pid += 1;
        self.epoch = 0;
        for part in &mut self.parts {
            *part = Partition::new((self.pid, 0));
        }
        self.epoch_bump_required = false;
        if self.idempotent() {
            cx.emit(EventKind::InitProducerId {
                pid: self.pid,
                epoch: 0,
            });
        }
        // The application sends each record again, in send order, into the new producer's
        // accumulator: new batches, each counting the requests its records were already in.
        // By message, in send order: the requests it was already in, if it is to be resent.
        let mut resend: Vec<Option<u32>> = vec![None; cx.s.messages.len()];
        for (b, batch) in self.batches.iter_mut().enumerate() {
            if batch.state != State::Done {
                batch.state = State::Done;
                for &m in cx.batches.get(b) {
                    resend[m] = Some(batch.sends);
                }
            }
        }
        for (msg, sends) in resend.into_iter().enumerate() {
            if let Some(sends) = sends {
                self.append(cx, msg, sends);
            }
        }
    }
}
