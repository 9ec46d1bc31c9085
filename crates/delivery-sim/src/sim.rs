//! The simulation loop: producer, network and broker as state machines fed from one
//! time-ordered event queue. Integer milliseconds; all randomness drawn from the scenario's seed.

use crate::config::{Acks, ProducerConfig};
use crate::rng;
use crate::scenario::{Fault, Scenario};
use crate::trace::{
    Answer, Event, EventKind, FailReason, Idem, LogRecord, Loss, Outcome, Summary, Trace,
};
use std::collections::{BinaryHeap, VecDeque};

/// A run that needs more events than this is stopped with an error, never left to spin.
pub const MAX_EVENTS: usize = 5_000_000;

/// `ProducerStateEntry.NUM_BATCHES_TO_RETAIN`: the broker remembers a PID's last five batches.
pub const NUM_BATCHES_TO_RETAIN: usize = 5;

/// Runs a scenario. Errors are configuration errors (Kafka's text) or a scenario that cannot
/// finish within [`MAX_EVENTS`].
pub fn simulate(s: &Scenario) -> Result<Trace, String> {
    simulate_with(s, &s.producer)
}

/// Runs a scenario with other producer settings than its own (the app's lanes: one scenario,
/// three producers), without copying the scenario.
pub fn simulate_with(s: &Scenario, producer: &crate::Settings) -> Result<Trace, String> {
    s.check()?;
    let resolved = producer.resolve()?;
    let mut sim = Sim::new(s, resolved.config);
    sim.run()?;
    Ok(sim.finish(resolved.notes))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ev {
    Produce(usize),
    ReqArrive(u32),
    ReqLost(u32, u8),
    RespArrive(u32),
    RespLost(u32, u8),
    Timeout(u32),
    Wake,
    Replicate(usize),
    Expire(usize, u32),
    BrokerDown,
    BrokerUp,
    Failover,
    Restart,
}

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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BatchState {
    Queued,
    InFlight(u32),
    Done,
}

#[derive(Debug, Clone)]
struct Batch {
    msg: usize,
    /// Requests sent so far (attempt numbers count across producer restarts).
    attempts: u32,
    /// Retries used in this producer session, against `retries`.
    retries_done: u32,
    created: u64,
    generation: u32,
    idem: Option<Idem>,
    ready_at: u64,
    state: BatchState,
}

#[derive(Debug, Clone)]
struct Req {
    batch: usize,
    msg: usize,
    attempt: u32,
    idem: Option<Idem>,
    /// The producer still waits for this request's response.
    open: bool,
    answer: Option<Answer>,
}

#[derive(Debug, Clone)]
struct Record {
    msg: usize,
    attempt: u32,
    idem: Option<Idem>,
    t: u64,
    replicated: bool,
    alive: bool,
    /// An acks=all request waiting for this record to be replicated.
    waiting: Option<u32>,
}

#[derive(Debug, Clone, Default)]
struct PidState {
    pid: u64,
    epoch: u16,
    /// (sequence, offset) of the last batches appended, oldest first.
    batches: VecDeque<(u32, u64)>,
}

struct Sim<'a> {
    s: &'a Scenario,
    c: ProducerConfig,
    now: u64,
    queue: BinaryHeap<Pending>,
    /// Events that are always scheduled in time order wait in lists beside the heap instead of
    /// making every heap step deeper: the application's sends (all at the start, or one after
    /// another), and those at `now` plus a fixed setting: delivery.timeout.ms deadlines,
    /// request.timeout.ms timeouts, replication. Each list with the index of its first event not
    /// yet taken.
    ordered: [(Vec<Pending>, usize); 4],
    next_id: u64,
    events: Vec<Event>,
    processed: usize,
    // Producer.
    batches: Vec<Batch>,
    accumulator: VecDeque<usize>,
    in_flight: Vec<u32>,
    reqs: Vec<Req>,
    pid: u64,
    epoch: u16,
    next_seq: u32,
    wake_at: Option<u64>,
    next_sync: usize,
    told_failed: Vec<bool>,
    last_req_arrival: u64,
    last_resp_arrival: u64,
    // Broker.
    records: Vec<Record>,
    log: Vec<usize>,
    pids: Vec<PidState>,
    down: bool,
}

impl<'a> Sim<'a> {
    fn new(s: &'a Scenario, c: ProducerConfig) -> Sim<'a> {
        let n = s.messages.len();
        Sim {
            s,
            c,
            now: 0,
            queue: BinaryHeap::with_capacity(64),
            ordered: Default::default(),
            next_id: 0,
            events: Vec::with_capacity(n * 8),
            processed: 0,
            batches: Vec::with_capacity(n),
            accumulator: VecDeque::new(),
            in_flight: Vec::new(),
            reqs: Vec::with_capacity(n + n / 4),
            pid: 0,
            epoch: 0,
            next_seq: 0,
            wake_at: None,
            next_sync: 0,
            told_failed: vec![false; n],
            last_req_arrival: 0,
            last_resp_arrival: 0,
            records: Vec::with_capacity(n),
            log: Vec::with_capacity(n),
            pids: Vec::new(),
            down: false,
        }
    }

    fn at(&mut self, t: u64, ev: Ev) {
        let p = Pending {
            key: (t as u128) << 64 | self.next_id as u128,
            ev,
        };
        self.next_id += 1;
        let list = match ev {
            Ev::Produce(_) => 0,
            Ev::Expire(..) => 1,
            Ev::Timeout(_) => 2,
            Ev::Replicate(_) => 3,
            _ => return self.queue.push(p),
        };
        let (list, taken) = &mut self.ordered[list];
        if list.last().is_some_and(|last| last.key > p.key) {
            // Not in time order after all (a future kind of scheduling): the heap takes it,
            // and `next` still finds the earliest of everything.
            return self.queue.push(p);
        }
        // Drop what was taken once it is most of the list: memory stays with what is pending.
        if *taken >= 1024 && *taken * 2 >= list.len() {
            list.drain(..*taken);
            *taken = 0;
        }
        list.push(p);
    }

    /// The earliest pending event, from the heap or the ordered lists.
    fn next(&mut self) -> Option<Pending> {
        let mut best = None;
        for (i, (list, taken)) in self.ordered.iter().enumerate() {
            if let Some(p) = list.get(*taken) {
                if best.is_none_or(|(_, key)| p.key < key) {
                    best = Some((i, p.key));
                }
            }
        }
        match (best, self.queue.peek()) {
            (Some((_, key)), Some(q)) if q.key < key => self.queue.pop(),
            (Some((i, _)), _) => {
                let (list, taken) = &mut self.ordered[i];
                *taken += 1;
                Some(list[*taken - 1])
            }
            (None, _) => self.queue.pop(),
        }
    }

    fn emit(&mut self, kind: EventKind) {
        self.events.push(Event {
            t_ms: self.now,
            kind,
        });
    }

    fn run(&mut self) -> Result<(), String> {
        if self.c.enable_idempotence {
            self.emit(EventKind::InitProducerId { pid: 0, epoch: 0 });
        }
        if self.s.sync {
            self.at(0, Ev::Produce(0));
            self.next_sync = 1;
        } else {
            for i in 0..self.s.messages.len() {
                self.at(i as u64 * self.s.interval_ms, Ev::Produce(i));
            }
        }
        for f in &self.s.faults {
            match *f {
                Fault::BrokerDown { from_ms, to_ms } => {
                    self.at(from_ms, Ev::BrokerDown);
                    self.at(to_ms, Ev::BrokerUp);
                }
                Fault::LeaderFailover { at_ms } => self.at(at_ms, Ev::Failover),
                Fault::ProducerRestart { at_ms } => self.at(at_ms, Ev::Restart),
                _ => {}
            }
        }
        while let Some(Pending { key, ev }) = self.next() {
            let t = (key >> 64) as u64;
            self.processed += 1;
            if self.processed > MAX_EVENTS {
                return Err(format!(
                    "the run stopped after {MAX_EVENTS} events without finishing; raise request.timeout.ms or retry.backoff.ms, or lower delivery.timeout.ms (now {})",
                    self.c.delivery_timeout_ms
                ));
            }
            self.now = t;
            self.step(ev);
        }
        Ok(())
    }

    fn step(&mut self, ev: Ev) {
        match ev {
            Ev::Produce(msg) => self.produce(msg),
            Ev::ReqArrive(req) => self.broker_receive(req),
            Ev::ReqLost(req, cause) => self.emit(EventKind::RequestLost {
                req,
                cause: loss(cause),
            }),
            Ev::RespArrive(req) => self.producer_receive(req),
            Ev::RespLost(req, cause) => self.emit(EventKind::ResponseLost {
                req,
                cause: loss(cause),
            }),
            Ev::Timeout(req) => self.request_timeout(req),
            Ev::Wake => {
                self.wake_at = None;
            }
            Ev::Replicate(rec) => self.replicate(rec),
            Ev::Expire(b, generation) => self.expire(b, generation),
            Ev::BrokerDown => {
                self.down = true;
                self.emit(EventKind::BrokerDown);
            }
            Ev::BrokerUp => {
                self.down = false;
                self.emit(EventKind::BrokerUp);
            }
            Ev::Failover => self.failover(),
            Ev::Restart => self.restart(),
        }
        self.drain();
    }

    // ---- randomness, keyed by message and attempt so every lane sees the same network ----

    fn draw(&self, msg: usize, attempt: u32, salt: u64) -> u64 {
        rng::hash(
            self.s.seed,
            ((msg as u64) << 24) ^ ((attempt as u64) << 4) ^ salt,
        )
    }

    fn latency(&self, msg: usize, attempt: u32, salt: u64) -> u64 {
        let n = &self.s.network;
        if n.jitter_ms == 0 {
            return n.latency_ms;
        }
        let j = self.draw(msg, attempt, salt) % (2 * n.jitter_ms + 1);
        (n.latency_ms + j).saturating_sub(n.jitter_ms)
    }

    fn random_loss(&self, msg: usize, attempt: u32, salt: u64, p: f64) -> bool {
        p > 0.0 && rng::unit(self.draw(msg, attempt, salt)) < p
    }

    fn scripted(&self, msg: usize, attempt: u32, pick: fn(&Fault) -> bool) -> Option<&Fault> {
        self.s
            .faults
            .iter()
            .find(|f| f.target() == Some((msg, attempt)) && pick(f))
    }

    // ---- producer ----

    fn produce(&mut self, msg: usize) {
        self.emit(EventKind::Send { msg });
        let b = self.batches.len();
        self.batches.push(Batch {
            msg,
            attempts: 0,
            retries_done: 0,
            created: self.now,
            generation: 0,
            idem: None,
            ready_at: self.now,
            state: BatchState::Queued,
        });
        self.accumulator.push_back(b);
        self.at(self.now + self.c.delivery_timeout_ms, Ev::Expire(b, 0));
    }

    /// Sender.sendProducerData + RecordAccumulator.drain for our one partition.
    fn drain(&mut self) {
        while let Some(&b) = self.accumulator.front() {
            if self.batches[b].state == BatchState::Done {
                self.accumulator.pop_front();
                continue;
            }
            if self.in_flight.len() >= self.c.max_in_flight as usize {
                return;
            }
            let batch = &self.batches[b];
            if batch.ready_at > self.now {
                // The head is backing off; the whole partition waits behind it.
                if self.wake_at.is_none_or(|w| w > batch.ready_at) {
                    self.wake_at = Some(batch.ready_at);
                    let t = batch.ready_at;
                    self.at(t, Ev::Wake);
                }
                return;
            }
            // RecordAccumulator.shouldStopDrainBatchesForPartition: a retried idempotent batch
            // goes only when it is the first in flight, so retries keep their order.
            if let Some(id) = self.current_idem(b) {
                if let Some(first) = self.first_in_flight_seq() {
                    if id.seq != first {
                        return;
                    }
                }
            }
            self.accumulator.pop_front();
            self.send(b);
        }
    }

    /// The batch's sequence if it was numbered in the current producer session and epoch.
    fn current_idem(&self, b: usize) -> Option<Idem> {
        self.batches[b]
            .idem
            .filter(|id| id.pid == self.pid && id.epoch == self.epoch)
    }

    fn first_in_flight_seq(&self) -> Option<u32> {
        self.in_flight
            .iter()
            .filter_map(|&r| self.reqs[r as usize].idem)
            .filter(|id| id.pid == self.pid && id.epoch == self.epoch)
            .map(|id| id.seq)
            .min()
    }

    fn send(&mut self, b: usize) {
        let idem = if self.c.enable_idempotence {
            Some(self.current_idem(b).unwrap_or_else(|| {
                let id = Idem {
                    pid: self.pid,
                    epoch: self.epoch,
                    seq: self.next_seq,
                };
                self.next_seq += 1;
                id
            }))
        } else {
            None
        };
        let batch = &mut self.batches[b];
        batch.attempts += 1;
        batch.idem = idem;
        let (msg, attempt) = (batch.msg, batch.attempts);
        let req = self.reqs.len() as u32;
        self.reqs.push(Req {
            batch: b,
            msg,
            attempt,
            idem,
            open: self.c.acks != Acks::Zero,
            answer: None,
        });
        self.emit(EventKind::Request {
            req,
            msg,
            attempt,
            idem,
        });
        if self.c.acks == Acks::Zero {
            // acks=0: the send counts as done once it is on the wire; nothing can be retried.
            self.batches[b].state = BatchState::Done;
            self.emit(EventKind::Acked { msg, offset: None });
            self.app_next(msg);
        } else {
            self.batches[b].state = BatchState::InFlight(req);
            self.in_flight.push(req);
            self.at(self.now + self.c.request_timeout_ms, Ev::Timeout(req));
        }
        let lat = self.latency(msg, attempt, 1);
        if self
            .scripted(msg, attempt, |f| matches!(f, Fault::DropRequest { .. }))
            .is_some()
        {
            self.at(self.now + lat / 2, Ev::ReqLost(req, 0));
        } else if self.random_loss(msg, attempt, 2, self.s.network.request_loss) {
            self.at(self.now + lat / 2, Ev::ReqLost(req, 1));
        } else {
            // One TCP connection: requests arrive in the order they were sent.
            let t = (self.now + lat).max(self.last_req_arrival);
            self.last_req_arrival = t;
            self.at(t, Ev::ReqArrive(req));
        }
    }

    fn producer_receive(&mut self, req: u32) {
        let r = &self.reqs[req as usize];
        let (stale, b, answer, seq) = (!r.open, r.batch, r.answer, r_seq(r));
        self.emit(EventKind::ResponseReceived { req, stale });
        if stale {
            return;
        }
        self.close(req);
        match answer {
            Some(Answer::Stored { offset }) | Some(Answer::Duplicate { offset }) => {
                self.complete_ok(b, Some(offset))
            }
            Some(a @ Answer::OutOfOrder { .. }) => {
                // TransactionManager.canRetry: an out-of-order answer is retriable while an
                // earlier batch of this producer is still unresolved (it caused the gap).
                let earlier = |x: usize| {
                    self.batches[x].state != BatchState::Done
                        && self.current_idem(x).is_some_and(|id| id.seq < seq)
                };
                let earlier_pending = self
                    .in_flight
                    .iter()
                    .any(|&r| earlier(self.reqs[r as usize].batch))
                    || self.accumulator.iter().any(|&x| earlier(x));
                if earlier_pending {
                    self.retry_or_fail(b);
                } else {
                    self.fail(b, FailReason::Fatal(a));
                }
            }
            Some(Answer::NotLeader) => self.retry_or_fail(b),
            Some(a @ Answer::InvalidEpoch) => self.fail(b, FailReason::Fatal(a)),
            None => {}
        }
    }

    fn close(&mut self, req: u32) {
        self.reqs[req as usize].open = false;
        self.in_flight.retain(|&r| r != req);
    }

    /// NetworkClient.handleTimedOutRequests: the connection is closed and every request on it
    /// fails; all are retriable.
    fn request_timeout(&mut self, req: u32) {
        if !self.reqs[req as usize].open {
            return;
        }
        self.emit(EventKind::RequestTimeout { req });
        // In-flight requests are kept in send order, the order they are retried in.
        let failed = std::mem::take(&mut self.in_flight);
        for &r in &failed {
            if r != req {
                self.emit(EventKind::Disconnected { req: r });
            }
            self.reqs[r as usize].open = false;
        }
        self.last_req_arrival = self.now;
        for r in failed {
            let b = self.reqs[r as usize].batch;
            self.retry_or_fail(b);
        }
    }

    fn retry_or_fail(&mut self, b: usize) {
        let batch = &self.batches[b];
        if batch.state == BatchState::Done {
            return;
        }
        if batch.retries_done >= self.c.retries {
            return self.fail(b, FailReason::RetriesExhausted);
        }
        if self.now >= batch.created + self.c.delivery_timeout_ms {
            return self.fail(b, FailReason::DeliveryTimeout);
        }
        let backoff = self.backoff(batch.msg, batch.attempts, batch.retries_done);
        let batch = &mut self.batches[b];
        batch.retries_done += 1;
        batch.ready_at = self.now + backoff;
        batch.state = BatchState::Queued;
        let (msg, attempt, at_ms) = (batch.msg, batch.attempts + 1, batch.ready_at);
        self.emit(EventKind::RetryScheduled {
            msg,
            attempt,
            at_ms,
        });
        self.reenqueue(b);
    }

    /// RecordAccumulator.reenqueue: a retry goes to the head of the queue; with idempotence it
    /// is put in sequence order (insertInSequenceOrder). Several retries keep send order.
    fn reenqueue(&mut self, b: usize) {
        let key = |s: &Self, x: usize| {
            (
                s.current_idem(x).map_or(u32::MAX, |id| id.seq),
                s.batches[x].msg,
            )
        };
        let mine = key(self, b);
        let pos = self
            .accumulator
            .iter()
            .position(|&o| self.batches[o].attempts == 0 || key(self, o) > mine)
            .unwrap_or(self.accumulator.len());
        self.accumulator.insert(pos, b);
    }

    /// Kafka 3.7+ exponential backoff: retry.backoff.ms doubling per retry up to
    /// retry.backoff.max.ms, with ±20% jitter (CommonClientConfigs.RETRY_BACKOFF_JITTER).
    fn backoff(&self, msg: usize, attempt: u32, retries_done: u32) -> u64 {
        let base = self.c.retry_backoff_ms;
        let max = self.c.retry_backoff_max_ms.max(1);
        if base >= max {
            return max.min(base);
        }
        let term = base.saturating_mul(1u64 << retries_done.min(32));
        let factor = 0.8 + 0.4 * rng::unit(self.draw(msg, attempt, 3));
        ((term as f64 * factor) as u64).min(max)
    }

    fn complete_ok(&mut self, b: usize, offset: Option<u64>) {
        let batch = &mut self.batches[b];
        batch.state = BatchState::Done;
        let msg = batch.msg;
        self.emit(EventKind::Acked { msg, offset });
        self.app_next(msg);
    }

    fn fail(&mut self, b: usize, reason: FailReason) {
        let batch = &mut self.batches[b];
        if let BatchState::InFlight(req) = batch.state {
            self.close(req);
        }
        let batch = &mut self.batches[b];
        batch.state = BatchState::Done;
        let msg = batch.msg;
        self.told_failed[msg] = true;
        self.emit(EventKind::Failed { msg, reason });
        if self.c.enable_idempotence {
            // TransactionManager: after a failed batch the idempotent producer bumps its epoch
            // and numbers the batches not yet acknowledged from 0 again (`current_idem` drops
            // sequences of older epochs).
            self.epoch += 1;
            self.next_seq = 0;
            self.emit(EventKind::EpochBumped { epoch: self.epoch });
        }
        self.app_next(msg);
    }

    /// With `sync`, the application sends the next message once it has this one's result.
    fn app_next(&mut self, msg: usize) {
        if self.s.sync && msg + 1 == self.next_sync && self.next_sync < self.s.messages.len() {
            let next = self.next_sync;
            self.next_sync += 1;
            self.at(self.now + self.s.interval_ms, Ev::Produce(next));
        }
    }

    fn expire(&mut self, b: usize, generation: u32) {
        let batch = &self.batches[b];
        if batch.state == BatchState::Done || batch.generation != generation {
            return;
        }
        // The batch stays in the accumulator and is skipped when it reaches the head.
        self.fail(b, FailReason::DeliveryTimeout);
    }

    fn restart(&mut self) {
        self.emit(EventKind::ProducerRestart);
        for r in std::mem::take(&mut self.in_flight) {
            self.reqs[r as usize].open = false;
        }
        self.last_req_arrival = self.now;
        self.pid += 1;
        self.epoch = 0;
        self.next_seq = 0;
        if self.c.enable_idempotence {
            self.emit(EventKind::InitProducerId {
                pid: self.pid,
                epoch: 0,
            });
        }
        // The application sends again what the old producer had not acknowledged.
        // Batches are created in message order, so this is send order.
        let pending: Vec<usize> = (0..self.batches.len())
            .filter(|&b| self.batches[b].state != BatchState::Done)
            .collect();
        self.accumulator.clear();
        for &b in &pending {
            let batch = &mut self.batches[b];
            batch.state = BatchState::Queued;
            batch.idem = None;
            batch.retries_done = 0;
            batch.created = self.now;
            batch.ready_at = self.now;
            batch.generation += 1;
            let generation = batch.generation;
            self.accumulator.push_back(b);
            self.at(
                self.now + self.c.delivery_timeout_ms,
                Ev::Expire(b, generation),
            );
        }
    }

    // ---- broker ----

    fn broker_receive(&mut self, req: u32) {
        let r = &self.reqs[req as usize];
        let (msg, attempt, idem) = (r.msg, r.attempt, r.idem);
        if self.down {
            self.emit(EventKind::RequestLost {
                req,
                cause: Loss::BrokerDown,
            });
            return;
        }
        if self
            .scripted(msg, attempt, |f| matches!(f, Fault::BrokerFail { .. }))
            .is_some()
        {
            self.emit(EventKind::BrokerFailed { req });
            return;
        }
        let answer = match idem {
            Some(id) => self.check_sequence(id),
            None => None,
        };
        let answer = match answer {
            Some(a) => a,
            None => {
                let offset = self.append(req);
                Answer::Stored { offset }
            }
        };
        self.reqs[req as usize].answer = Some(answer);
        self.emit(EventKind::Decided { req, answer });
        if self.c.acks == Acks::Zero {
            return;
        }
        if let Answer::Stored { offset } = answer {
            if self.c.acks == Acks::All && self.s.broker.replicas > 1 {
                // acks=all: answer once the in-sync followers have the record.
                let rec = self.log[offset as usize];
                self.records[rec].waiting = Some(req);
                return;
            }
        }
        self.respond(req, answer);
    }

    /// ProducerStateManager / ProducerAppendInfo.checkSequence. `None` means append.
    fn check_sequence(&mut self, id: Idem) -> Option<Answer> {
        let Some(state) = self.pids.iter().find(|p| p.pid == id.pid) else {
            return (id.seq != 0).then_some(Answer::OutOfOrder { expected: 0 });
        };
        if id.epoch < state.epoch {
            return Some(Answer::InvalidEpoch);
        }
        if id.epoch > state.epoch {
            return (id.seq != 0).then_some(Answer::OutOfOrder { expected: 0 });
        }
        // findDuplicateBatch: one of the last five batches: acknowledge with its offset.
        if let Some(&(_, offset)) = state.batches.iter().find(|(seq, _)| *seq == id.seq) {
            return Some(Answer::Duplicate { offset });
        }
        let expected = state.batches.back().map_or(0, |(seq, _)| seq + 1);
        (id.seq != expected).then_some(Answer::OutOfOrder { expected })
    }

    fn append(&mut self, req: u32) -> u64 {
        let r = &self.reqs[req as usize];
        let offset = self.log.len() as u64;
        let rec = self.records.len();
        self.records.push(Record {
            msg: r.msg,
            attempt: r.attempt,
            idem: r.idem,
            t: self.now,
            replicated: false,
            alive: true,
            waiting: None,
        });
        self.log.push(rec);
        if let Some(id) = r.idem {
            self.remember(id, offset);
        }
        if self.s.broker.replicas > 1 {
            self.at(self.now + self.s.broker.replication_ms, Ev::Replicate(rec));
        }
        offset
    }

    fn remember(&mut self, id: Idem, offset: u64) {
        let i = match self.pids.iter().position(|p| p.pid == id.pid) {
            Some(i) => i,
            None => {
                self.pids.push(PidState {
                    pid: id.pid,
                    ..PidState::default()
                });
                self.pids.len() - 1
            }
        };
        let state = &mut self.pids[i];
        if id.epoch != state.epoch {
            state.epoch = id.epoch;
            state.batches.clear();
        }
        state.batches.push_back((id.seq, offset));
        if state.batches.len() > NUM_BATCHES_TO_RETAIN {
            state.batches.pop_front();
        }
    }

    fn respond(&mut self, req: u32, answer: Answer) {
        self.emit(EventKind::Response { req, answer });
        let r = &self.reqs[req as usize];
        let (msg, attempt) = (r.msg, r.attempt);
        let mut lat = self.latency(msg, attempt, 4);
        if self.down {
            self.emit(EventKind::ResponseLost {
                req,
                cause: Loss::BrokerDown,
            });
        } else if self
            .scripted(msg, attempt, |f| matches!(f, Fault::DropResponse { .. }))
            .is_some()
        {
            self.at(self.now + lat / 2, Ev::RespLost(req, 0));
        } else if self.random_loss(msg, attempt, 5, self.s.network.response_loss) {
            self.at(self.now + lat / 2, Ev::RespLost(req, 1));
        } else {
            if let Some(Fault::DelayResponse { ms, .. }) =
                self.scripted(msg, attempt, |f| matches!(f, Fault::DelayResponse { .. }))
            {
                lat += ms;
            }
            let t = (self.now + lat).max(self.last_resp_arrival);
            self.last_resp_arrival = t;
            self.at(t, Ev::RespArrive(req));
        }
    }

    fn replicate(&mut self, rec: usize) {
        let record = &mut self.records[rec];
        if !record.alive {
            return;
        }
        record.replicated = true;
        let waiting = record.waiting.take();
        let offset = self.log.iter().position(|&x| x == rec).unwrap_or(0) as u64;
        self.emit(EventKind::Replicated { offset });
        if let Some(req) = waiting {
            self.respond(req, Answer::Stored { offset });
        }
    }

    /// A follower takes over; what it had not copied is gone, and the producer state is
    /// rebuilt from the log that remains (as Kafka rebuilds it from its log).
    fn failover(&mut self) {
        let from = self
            .log
            .iter()
            .position(|&r| !self.records[r].replicated)
            .unwrap_or(self.log.len());
        let gone: Vec<usize> = self.log.drain(from..).collect();
        self.emit(EventKind::LeaderFailover {
            from_offset: from as u64,
            truncated: gone.len() as u32,
        });
        for rec in gone {
            self.records[rec].alive = false;
            if let Some(req) = self.records[rec].waiting.take() {
                self.reqs[req as usize].answer = Some(Answer::NotLeader);
                self.respond(req, Answer::NotLeader);
            }
        }
        self.pids.clear();
        for offset in 0..self.log.len() {
            if let Some(id) = self.records[self.log[offset]].idem {
                self.remember(id, offset as u64);
            }
        }
    }

    // ---- results ----

    fn finish(self, notes: Vec<String>) -> Trace {
        let n = self.s.messages.len();
        let log: Vec<LogRecord> = self
            .log
            .iter()
            .enumerate()
            .map(|(offset, &rec)| {
                let r = &self.records[rec];
                LogRecord {
                    offset: offset as u64,
                    msg: r.msg,
                    attempt: r.attempt,
                    idem: r.idem,
                    t_ms: r.t,
                }
            })
            .collect();
        let mut copies = vec![0u32; n];
        let mut first = vec![u64::MAX; n];
        for r in &log {
            copies[r.msg] += 1;
            first[r.msg] = first[r.msg].min(r.offset);
        }
        let outcomes: Vec<Outcome> = (0..n)
            .map(|m| match (self.told_failed[m], copies[m]) {
                (true, _) => Outcome::Failed,
                (false, 0) => Outcome::Lost,
                (false, 1) => Outcome::Delivered,
                _ => Outcome::Duplicated,
            })
            .collect();
        let mut reordered = 0;
        let mut min_later = u64::MAX;
        for m in (0..n).rev() {
            if first[m] != u64::MAX {
                if first[m] > min_later {
                    reordered += 1;
                }
                min_later = min_later.min(first[m]);
            }
        }
        let count = |o: Outcome| outcomes.iter().filter(|&&x| x == o).count() as u32;
        let summary = Summary {
            messages: n as u32,
            stored: log.len() as u32,
            duplicates: copies.iter().map(|&c| c.saturating_sub(1)).sum(),
            lost: count(Outcome::Lost),
            failed: count(Outcome::Failed),
            reordered,
        };
        Trace {
            messages: self.s.messages.clone(),
            config: self.c,
            notes,
            events: self.events,
            log,
            outcomes,
            copies,
            summary,
        }
    }
}

fn r_seq(r: &Req) -> u32 {
    r.idem.map_or(0, |id| id.seq)
}

fn loss(code: u8) -> Loss {
    if code == 0 {
        Loss::Scripted
    } else {
        Loss::Random
    }
}
