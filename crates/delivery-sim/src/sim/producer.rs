//! The producer, as the Apache Kafka Java client runs it for one partition: the
//! RecordAccumulator's deque, the Sender's drain, retry and expiry, NetworkClient's in-flight
//! requests on one connection, and for idempotence the TransactionManager's sequence numbers.

use super::wire::{Req, Wire};
use super::{expects_answer, Ctx, Ev, BATCHING};
use crate::config::ProducerConfig;
use crate::rng;
use crate::trace::{Answer, EventKind, FailReason, Idem, KafkaError};
use std::collections::VecDeque;

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

/// DefaultRecordBatch.RECORD_BATCH_OVERHEAD: a batch's header, before its records.
pub const RECORD_BATCH_OVERHEAD: u64 = 61;
/// The size every record has in a batch (key, value and the record's own header): the
/// scenario format's default message of 100 bytes.
pub const RECORD_BYTES: u64 = 100;

/// TransactionManager's TxnPartitionEntry for the one partition.
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
    /// The RecordAccumulator's deque for the partition: batches waiting to be drained.
    deque: VecDeque<usize>,
    /// Sender.inFlightBatches: drained and waiting for an answer, in drain order. (At most a
    /// few: plain vectors, not deques, for the small queues.)
    in_flight_batches: Vec<usize>,
    /// The connection to the leader; `None` once closed: the next send opens another.
    conn: Option<u32>,
    /// NetworkClient's InFlightRequests on that connection, oldest first.
    in_flight: Vec<u32>,
    pid: u64,
    epoch: u16,
    part: Partition,
    epoch_bump_required: bool,
    wake_at: Option<u64>,
    next_sync: usize,
    told_failed: Vec<bool>,
}

impl Producer {
    pub fn new(c: ProducerConfig, n: usize) -> Producer {
        Producer {
            c,
            batches: Vec::with_capacity(n),
            deque: VecDeque::new(),
            in_flight_batches: Vec::new(),
            conn: None,
            in_flight: Vec::new(),
            pid: 0,
            epoch: 0,
            part: Partition::new((0, 0)),
            epoch_bump_required: false,
            wake_at: None,
            next_sync: 0,
            told_failed: vec![false; n],
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
        self.append(cx, msg, 0);
    }

    /// RecordAccumulator.append: the record joins the last batch of the deque if that one is
    /// open and has room for it (tryAppend, MemoryRecordsBuilder.hasRoomFor: a batch always
    /// takes its first record, then up to batch.size bytes); else that batch is closed and a
    /// new one starts. `sends`: requests its records were already in (a restart's resend).
    fn append(&mut self, cx: &mut Ctx, msg: usize, sends: u32) {
        if let Some(&last) = self.deque.back().filter(|_| BATCHING) {
            let batch = &mut self.batches[last];
            if !batch.closed && batch.bytes + RECORD_BYTES <= self.c.batch_size {
                batch.bytes += RECORD_BYTES;
                batch.sends = batch.sends.max(sends);
                // The open batch at the back is the newest (see `Batches`).
                debug_assert_eq!(last + 1, cx.batches.len());
                cx.batches.join(msg);
                return;
            }
            batch.closed = true;
        }
        let b = self.batches.len();
        self.batches.push(Batch {
            bytes: RECORD_BATCH_OVERHEAD + RECORD_BYTES,
            closed: false,
            sends,
            attempts: 0,
            created: cx.now,
            retry_at: cx.now,
            idem: None,
            reset: false,
            state: State::Queued,
        });
        cx.batches.open(msg);
        self.deque.push_back(b);
        cx.at(cx.now + self.c.delivery_timeout_ms, Ev::Deadline);
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
    /// drain one batch (one partition: one batch a request), expire what is past its deadline.
    pub fn sender(&mut self, cx: &mut Ctx, wire: &mut Wire) {
        loop {
            if self.idempotent() {
                self.maybe_resolve_sequences(cx);
                self.bump_epoch_if_needed(cx);
            }
            let drained = self.drain(cx, wire);
            // An expired batch can free the one behind it: Sender.sendProducerData polls with
            // timeout 0 while a node has data ready, so the next runOnce drains it at once.
            let expired = self.expire(cx);
            if !drained && !expired {
                return;
            }
        }
    }

    /// RecordAccumulator.drainBatchesForOneNode for the partition. Returns whether it sent.
    fn drain(&mut self, cx: &mut Ctx, wire: &mut Wire) -> bool {
        let Some(&b) = self.deque.front() else {
            return false;
        };
        // NetworkClient.canSendMore: at most max.in.flight.requests.per.connection waiting.
        if self.in_flight.len() >= self.c.max_in_flight as usize {
            return false;
        }
        // RecordAccumulator.shouldBackoff: the head is backing off; the partition waits.
        let batch = &self.batches[b];
        if batch.attempts > 0 && cx.now < batch.retry_at {
            let t = batch.retry_at;
            self.wake(cx, t);
            return false;
        }
        // RecordAccumulator.batchReady: a first attempt is sendable once another batch waits
        // behind it, or it is full, or it has waited linger.ms.
        let linger_end = batch.created + self.c.linger_ms;
        if batch.attempts == 0 && self.deque.len() < 2 && !self.full(b) && cx.now < linger_end {
            self.wake(cx, linger_end);
            return false;
        }
        if self.idempotent() && self.should_stop_drain(b) {
            return false;
        }
        self.deque.pop_front();
        if self.idempotent() && self.batches[b].idem.is_none() {
            // TransactionManager.maybeUpdateProducerIdAndEpoch, then the next sequence.
            if self.part.pid_epoch != (self.pid, self.epoch) && self.part.in_flight.is_empty() {
                self.start_sequences_at_beginning(cx);
            }
            self.batches[b].idem = Some(Idem {
                pid: self.pid,
                epoch: self.epoch,
                seq: self.part.next_seq,
            });
            // TransactionManager.incrementSequenceNumber by the batch's record count.
            self.part.next_seq += cx.count(b) as u32;
            self.part.in_flight.push(b);
        }
        // ProducerBatch.close at the drain: no more records join it.
        self.batches[b].closed = true;
        self.batches[b].reset = false;
        self.send(cx, wire, b);
        true
    }

    /// RecordAccumulator.shouldStopDrainBatchesForPartition.
    fn should_stop_drain(&self, b: usize) -> bool {
        let batch = &self.batches[b];
        let part = &self.part;
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

    fn send(&mut self, cx: &mut Ctx, wire: &mut Wire, b: usize) {
        let conn = match self.conn {
            Some(conn) => conn,
            None => {
                let conn = wire.open(cx);
                self.conn = Some(conn);
                conn
            }
        };
        let answered = expects_answer(self.c.acks);
        let batch = &mut self.batches[b];
        batch.sends += 1;
        let msg = cx.record(b, 0);
        let req = wire.send(
            cx,
            Req {
                batch: b,
                msg,
                attempt: batch.sends,
                idem: batch.idem,
                conn,
                open: answered,
                answer: None,
            },
            answered,
        );
        if answered {
            batch.state = State::InFlight;
            self.in_flight.push(req);
            self.in_flight_batches.push(b);
            cx.at(cx.now + self.c.request_timeout_ms, Ev::Timeout(req));
        } else {
            // acks=0 (NetworkClient.handleCompletedSends): done once it is on the wire.
            batch.state = State::Done;
            self.acked(cx, b, None);
        }
    }

    /// An answer reached the producer on its open connection (InFlightRequests.completeNext:
    /// the oldest request, since answers come back in order).
    pub fn on_answer(&mut self, cx: &mut Ctx, wire: &mut Wire, req: u32) {
        let r = &mut wire.reqs[req as usize];
        r.open = false;
        let (b, answer) = (r.batch, r.answer);
        self.in_flight.retain(|&x| x != req);
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
            let b = wire.reqs[r as usize].batch;
            self.remove_in_flight_batch(b);
            self.complete_error(cx, b, KafkaError::RequestTimedOut);
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
            self.part.last_acked = self.part.last_acked.max(last);
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
        let seq = batch.idem.map_or(0, |id| id.seq);
        let unresolved = self.part.unresolved;
        if unresolved.is_none() && (batch.reset || !self.is_next_sequence(seq)) {
            return true;
        }
        // The idempotent producer retries every OUT_OF_ORDER_SEQUENCE_NUMBER; a real gap (the
        // next batch, nothing unresolved, or right after the unresolved one) bumps the epoch.
        if unresolved.is_none() || unresolved == Some(seq) {
            self.request_epoch_bump();
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
        match self.batches[b].idem {
            // Without BATCHING (the lean engine runs views that send one record at a time) no
            // other batch waits in the deque: the head is its place either way.
            Some(id) if BATCHING && self.idempotent() => {
                let pos = self
                    .deque
                    .iter()
                    .position(|&x| self.batches[x].idem.is_none_or(|o| o.seq >= id.seq))
                    .unwrap_or(self.deque.len());
                self.deque.insert(pos, b);
            }
            _ => self.deque.push_front(b),
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
                self.request_epoch_bump();
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
        let before = self.in_flight_batches.len() + self.deque.len();
        while let Some(&b) = self.deque.front() {
            if !self.reached_delivery_timeout(cx, b) {
                break;
            }
            self.deque.pop_front();
            self.expire_batch(cx, b);
        }
        while let Some(&b) = self.in_flight_batches.first() {
            if !self.reached_delivery_timeout(cx, b) {
                break;
            }
            self.in_flight_batches.remove(0);
            self.expire_batch(cx, b);
        }
        self.in_flight_batches.len() + self.deque.len() < before
    }

    fn expire_batch(&mut self, cx: &mut Ctx, b: usize) {
        let in_retry = self.batches[b].attempts > 0;
        self.fail(cx, b, FailReason::DeliveryTimeout(None), false);
        if self.idempotent() && in_retry {
            // TransactionManager.markSequenceUnresolved.
            if let Some(id) = self.batches[b].idem {
                // ProducerBatch.lastSequence() + 1.
                let next = id.seq + cx.count(b) as u32;
                let next_seq = self.part.unresolved.map_or(next, |u| u.max(next));
                if self.part.unresolved != Some(next_seq) {
                    cx.emit(EventKind::SequenceUnresolved { next_seq });
                }
                self.part.unresolved = Some(next_seq);
            }
        }
    }

    fn forget_sequence(&mut self, b: usize) {
        if let Some(i) = self.part.in_flight.iter().position(|&x| x == b) {
            self.part.in_flight.remove(i);
        }
    }

    fn is_next_sequence(&self, seq: u32) -> bool {
        seq as i64 - self.part.last_acked == 1
    }

    /// TransactionManager.requestEpochBumpForPartition.
    fn request_epoch_bump(&mut self) {
        self.epoch_bump_required = true;
        self.part.rewrite = true;
    }

    /// TransactionManager.maybeResolveSequences: once nothing is in flight, an unresolved
    /// partition is resolved if the sequences meet, and needs a new epoch if they do not.
    fn maybe_resolve_sequences(&mut self, cx: &mut Ctx) {
        if self.part.unresolved.is_some() && self.part.in_flight.is_empty() {
            let gap = !self.is_next_sequence(self.part.next_seq);
            if gap {
                self.request_epoch_bump();
            }
            self.part.unresolved = None;
            cx.emit(EventKind::SequencesResolved { gap });
        }
    }

    /// TransactionManager.bumpIdempotentEpochAndResetIdIfNeeded: the idempotent producer bumps
    /// its epoch itself and renumbers the partition's batches in flight from 0.
    fn bump_epoch_if_needed(&mut self, cx: &mut Ctx) {
        if !self.epoch_bump_required {
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
        if self.part.rewrite {
            self.start_sequences_at_beginning(cx);
            if self.part.unresolved.take().is_some() {
                // The new epoch numbers from 0: nothing is left to resolve.
                cx.emit(EventKind::SequencesResolved { gap: true });
            }
            self.part.rewrite = false;
        }
    }

    /// TxnPartitionEntry.startSequencesAtBeginning: each batch in flight takes the next
    /// sequence after the records of the ones before it.
    fn start_sequences_at_beginning(&mut self, cx: &Ctx) {
        let (pid, epoch) = (self.pid, self.epoch);
        let mut seq = 0;
        for &b in &self.part.in_flight {
            let batch = &mut self.batches[b];
            batch.idem = Some(Idem { pid, epoch, seq });
            batch.reset = true;
            seq += cx.count(b) as u32;
        }
        self.part.next_seq = seq;
        self.part.last_acked = -1;
        self.part.pid_epoch = (pid, epoch);
    }

    /// With `sync`, the application sends the next message once it has this one's result.
    fn app_next(&mut self, cx: &mut Ctx, msg: usize) {
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
        self.pid += 1;
        self.epoch = 0;
        self.part = Partition::new((self.pid, 0));
        self.epoch_bump_required = false;
        if self.idempotent() {
            cx.emit(EventKind::InitProducerId {
                pid: self.pid,
                epoch: 0,
            });
        }
        // The application sends each record again, in send order, into the new producer's
        // accumulator: new batches, each counting the requests its records were already in.
        self.deque.clear();
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
