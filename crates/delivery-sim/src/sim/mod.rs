//! The simulation loop: the producer, the connections it opens to the broker, and the broker,
//! as state machines fed from one time-ordered event queue. Integer milliseconds; all randomness
//! drawn from the scenario's seed.
//!
//! - `producer`: Kafka's RecordAccumulator, Sender and, for idempotence and transactions,
//!   TransactionManager (`producer/txn.rs`: the transactional producer and its application).
//! - `wire`: the TCP connections between them, each one ordered stream each way.
//! - `broker`: the partition leader: its log, producer-state table and replication; with
//!   transactions, the markers and the last stable offset.
//! - `coordinator`: the transaction coordinator, on the leader's broker (`cfg(txn)`).

mod broker;
#[cfg(txn)]
mod coordinator;
mod producer;
mod queue;
mod wire;

use crate::config::{Acks, ProducerConfig};
use crate::rng;
use crate::scenario::{Fault, Scenario};
use crate::trace::{Answer, Event, EventKind, LogRecord, Loss, Outcome, Summary, Trace};
use broker::{Broker, Handled};
use producer::Producer;
use queue::Queue;
use wire::Wire;

/// A run that needs more events than this is stopped with an error, never left to spin.
pub const MAX_EVENTS: usize = 5_000_000;

/// `ProducerStateEntry.NUM_BATCHES_TO_RETAIN`: the broker remembers a PID's last five batches.
pub const NUM_BATCHES_TO_RETAIN: usize = 5;

/// Whether this build has the replica rules (followers, the ISR, min.insync.replicas,
/// elections). The embed page's engine (feature `lean`) leaves them out to stay within its
/// size budget: there a run is one broker, as the seed draws it, and a page whose scenario is
/// [`Scenario::replicated`] opens in the app instead.
pub const REPLICATION: bool = cfg!(not(feature = "lean"));

/// Whether a batch can take more than one record. The embed page's engine (feature `lean`) runs
/// only views that send one record at a time, whose batches hold one record anyway (see
/// [`Scenario::needs_full_engine`]): it leaves the appending out.
pub const BATCHING: bool = cfg!(not(feature = "lean"));

/// Whether this build runs topics of several partitions (feature `partitions`, which needs
/// batching). Without it a topic has one partition and a scenario with more is refused.
pub const PARTITIONS: bool = cfg!(all(feature = "partitions", not(feature = "lean")));

/// What each partition has: a vector, or with one partition (no [`PARTITIONS`]) an array of
/// one, so that its loops and indexes fold away.
#[cfg(all(feature = "partitions", not(feature = "lean")))]
type PerPartition<T> = Vec<T>;
#[cfg(not(all(feature = "partitions", not(feature = "lean"))))]
type PerPartition<T> = [T; 1];

fn per_partition<T: Clone>(n: usize, x: T) -> PerPartition<T> {
    #[cfg(all(feature = "partitions", not(feature = "lean")))]
    return vec![x; n.max(1)];
    #[cfg(not(all(feature = "partitions", not(feature = "lean"))))]
    {
        let _ = n;
        [x]
    }
}

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
    #[cfg(txn)]
    if resolved.config.transactional_id.is_some() && s.replicated() {
        return Err(
            "transactional.id: transactions are modelled on one broker; set `broker.replicas` to 1 and leave out replica faults"
                .into(),
        );
    }
    let mut sim = Sim::new(s, resolved.config);
    sim.run()?;
    Ok(sim.finish(resolved.notes))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ev {
    /// The application calls `send()` for a message.
    Produce(usize),
    /// A batch reaches its delivery.timeout.ms: the Sender wakes to expire what has.
    Deadline,
    /// A request's request.timeout.ms.
    Timeout(u32),
    /// A follower's fetch reached the leader: it has the log up to the offset.
    Fetched(u32, u64),
    ReplicaDown(u32),
    ReplicaUp(u32),
    /// The controller fences a follower stopped since the time given, if it still is.
    Fence(u32, u64),
    /// The leader's isr-expiration task.
    IsrCheck,
    /// The Sender wakes when a retry's backoff is over.
    Wake,
    ReqArrive(u32),
    ReqLost(u32, Loss),
    /// A request held behind the one that broke its connection's stream.
    ReqHeld(u32, u32),
    RespArrive(u32),
    RespLost(u32, Loss),
    RespHeld(u32, u32),
    /// The producer notices that the broker closed a connection.
    BrokerClosed(u32),
    BrokerDown,
    BrokerUp,
    Failover,
    Restart,
    /// A request to the transaction coordinator arrives (its index in `Ctx::txn_reqs`).
    #[cfg(txn)]
    TxnArrive(u32),
    /// The coordinator has written it to its log: it acts on it and answers.
    #[cfg(txn)]
    TxnHandled(u32),
    /// The coordinator's answer reaches the producer.
    #[cfg(txn)]
    TxnAnswer(u32),
    /// request.timeout.ms of a request to the coordinator.
    #[cfg(txn)]
    TxnTimeout(u32),
    /// The coordinator looks for timed-out transactions (the one begun `n`-th).
    #[cfg(txn)]
    TxnCheck(u32),
    /// The application (its process `instance`) begins transaction `g`.
    #[cfg(txn)]
    Begin(u32, u32),
    /// The transactional application (its process `instance`) calls `send()` for a message.
    #[cfg(txn)]
    TxnSend(usize, u32),
}

/// What every part shares: the scenario, the clock, the queue and the trace being written.
struct Ctx<'a> {
    s: &'a Scenario,
    now: u64,
    queue: Queue,
    events: Vec<Event>,
    /// Every ProducerBatch's records, by batch id, in send order (the trace's `batches`).
    batches: crate::trace::Batches,
    /// The requests to the transaction coordinator, by id.
    #[cfg(txn)]
    txn_reqs: Vec<coordinator::TxnReq>,
    /// The application's transactions committed so far (its input position, committed with
    /// each transaction): where a restarted instance resumes.
    #[cfg(txn)]
    input_committed: usize,
}

impl<'a> Ctx<'a> {
    fn emit(&mut self, kind: EventKind) {
        self.events.push(Event {
            t_ms: self.now,
            kind,
        });
    }

    fn at(&mut self, t: u64, ev: Ev) {
        self.queue.at(t, ev);
    }

    // Randomness is keyed by message and attempt, so every lane sees the same network.
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

    /// How many records batch `b` holds (one, in the lean engine: [`BATCHING`]).
    fn count(&self, b: usize) -> usize {
        if BATCHING {
            self.batches.get(b).len()
        } else {
            1
        }
    }

    /// Record `i` of batch `b`.
    fn record(&self, b: usize, i: usize) -> usize {
        self.batches.get(b)[i]
    }

    /// The scripted fault of this kind for any batch a request carries.
    fn scripted_any(&self, r: &wire::Req, pick: fn(&Fault) -> bool) -> Option<&'a Fault> {
        (0..r.len()).find_map(|i| {
            let c = r.at(i);
            self.scripted(c.batch, c.attempt, pick)
        })
    }

    /// The scripted per-request fault of this kind for a batch's attempt: one that names any
    /// of its records.
    fn scripted(&self, batch: usize, attempt: u32, pick: fn(&Fault) -> bool) -> Option<&'a Fault> {
        let records = &self.batches.get(batch)[..self.count(batch)];
        self.s.faults.iter().find(|f| {
            pick(f)
                && f.target()
                    .is_some_and(|(m, a)| a == attempt && records.contains(&m))
        })
    }
}

struct Sim<'a> {
    cx: Ctx<'a>,
    processed: usize,
    producer: Producer,
    wire: Wire,
    broker: Broker,
}

impl<'a> Sim<'a> {
    fn new(s: &'a Scenario, c: ProducerConfig) -> Sim<'a> {
        let n = s.messages.len();
        Sim {
            cx: Ctx {
                s,
                now: 0,
                queue: Queue::default(),
                events: Vec::with_capacity(n * 8),
                batches: crate::trace::Batches::with_capacity(n),
                #[cfg(txn)]
                txn_reqs: Vec::new(),
                #[cfg(txn)]
                input_committed: 0,
            },
            processed: 0,
            #[cfg(txn)]
            broker: {
                let mut b = Broker::new(s.broker, n, s.partitions);
                if c.transactional_id.is_some() {
                    b.coordinate_for(c.transaction_timeout_ms);
                }
                b
            },
            #[cfg(not(txn))]
            broker: Broker::new(s.broker, n, s.partitions),
            producer: Producer::new(c, n, s.partitions),
            wire: Wire::with_capacity(n + n / 4),
        }
    }

    fn run(&mut self) -> Result<(), String> {
        self.producer.start(&mut self.cx);
        for f in &self.cx.s.faults {
            let (t, ev) = match *f {
                Fault::BrokerDown { from_ms, to_ms } => {
                    self.cx.at(from_ms, Ev::BrokerDown);
                    (to_ms, Ev::BrokerUp)
                }
                _ if !REPLICATION && f.replicated() => continue,
                Fault::LeaderFailover { at_ms } => (at_ms, Ev::Failover),
                Fault::ProducerRestart { at_ms } => (at_ms, Ev::Restart),
                Fault::ReplicaDown {
                    replica,
                    from_ms,
                    to_ms,
                } => {
                    self.cx.at(from_ms, Ev::ReplicaDown(replica));
                    (to_ms, Ev::ReplicaUp(replica))
                }
                Fault::ReplicaSlow { replica, extra_ms } => {
                    self.broker.slow(replica, extra_ms);
                    continue;
                }
                _ => continue,
            };
            self.cx.at(t, ev);
        }
        while let Some((t, ev)) = self.cx.queue.next() {
            self.processed += 1;
            if self.processed > MAX_EVENTS {
                return Err(format!(
                    "the run stopped after {MAX_EVENTS} events without finishing; raise request.timeout.ms or retry.backoff.ms, or lower delivery.timeout.ms (now {})",
                    self.producer.c.delivery_timeout_ms
                ));
            }
            self.cx.now = t;
            self.step(ev);
            self.producer.sender(&mut self.cx, &mut self.wire);
        }
        Ok(())
    }

    /// Routes an event to the part it belongs to.
    fn step(&mut self, ev: Ev) {
        let cx = &mut self.cx;
        match ev {
            Ev::Produce(msg) => self.producer.produce(cx, msg),
            Ev::Deadline => {}
            Ev::Wake => self.producer.woke(),
            Ev::Timeout(req) => self.producer.request_timeout(cx, &mut self.wire, req),
            Ev::Fetched(..)
            | Ev::ReplicaDown(_)
            | Ev::ReplicaUp(_)
            | Ev::Fence(..)
            | Ev::IsrCheck
            | Ev::Failover
                if !REPLICATION => {}
            Ev::Fetched(replica, upto) => {
                let done = self.broker.fetched(cx, replica, upto);
                self.answer_all(done);
            }
            Ev::ReplicaDown(replica) => self.broker.replica_down(cx, replica),
            Ev::ReplicaUp(replica) => self.broker.replica_up(cx, replica),
            Ev::Fence(replica, since) => {
                let done = self.broker.fence(cx, replica, since);
                self.answer_all(done);
            }
            Ev::IsrCheck => {
                let done = self.broker.check_isr(cx);
                self.answer_all(done);
            }
            Ev::ReqArrive(req) => {
                if let Some(req) = self.wire.arrive(cx, req) {
                    self.read(req);
                }
            }
            Ev::ReqLost(req, cause) => cx.emit(EventKind::RequestLost { req, cause }),
            Ev::ReqHeld(req, behind) => cx.emit(EventKind::RequestHeld { req, behind }),
            Ev::RespArrive(req) => {
                let stale = self.wire.is_closed(req);
                cx.emit(EventKind::ResponseReceived { req, stale });
                if !stale {
                    self.producer.on_answer(cx, &mut self.wire, req);
                }
            }
            Ev::RespLost(req, cause) => cx.emit(EventKind::ResponseLost { req, cause }),
            Ev::RespHeld(req, behind) => cx.emit(EventKind::ResponseHeld { req, behind }),
            Ev::BrokerClosed(conn) => self.producer.broker_closed(cx, &mut self.wire, conn),
            Ev::BrokerDown => {
                self.broker.down = true;
                cx.emit(EventKind::BrokerDown);
            }
            Ev::BrokerUp => {
                self.broker.down = false;
                cx.emit(EventKind::BrokerUp);
            }
            Ev::Failover => {
                let done = self.broker.failover(cx);
                self.answer_all(done);
            }
            Ev::Restart => self.producer.restart(cx, &mut self.wire),
            // The coordinator is on the broker: down, it reads nothing, and the producer's
            // request times out. It takes `broker.coordinator_ms` with each request.
            #[cfg(txn)]
            Ev::TxnArrive(id) if !self.broker.down => {
                cx.at(cx.now + cx.s.broker.coordinator_ms, Ev::TxnHandled(id));
            }
            #[cfg(txn)]
            Ev::TxnArrive(_) => {}
            #[cfg(txn)]
            Ev::TxnHandled(id) => {
                if !self.broker.down {
                    let r = cx.txn_reqs[id as usize];
                    cx.txn_reqs[id as usize].answer = self.broker.coordinate(cx, &r);
                    let t = cx.now + cx.s.network.latency_ms;
                    cx.at(t, Ev::TxnAnswer(id));
                }
            }
            #[cfg(txn)]
            Ev::TxnAnswer(id) => self.producer.txn_answer(cx, id),
            #[cfg(txn)]
            Ev::TxnTimeout(id) => self.producer.txn_timeout(cx, id),
            #[cfg(txn)]
            Ev::TxnCheck(serial) => self.broker.check_txn_timeout(cx, serial),
            #[cfg(txn)]
            Ev::Begin(g, instance) => self.producer.begin_now(cx, g, instance),
            #[cfg(txn)]
            Ev::TxnSend(msg, instance) => self.producer.txn_produce(cx, msg, instance),
        }
    }

    /// The broker reads `req` and, as each answer is sent, the requests waiting behind it on
    /// the same connection (SocketServer mutes a connection from a request until its answer).
    fn read(&mut self, mut req: u32) {
        let acks = self.producer.c.acks;
        loop {
            let conn = self.wire.reqs[req as usize].conn;
            match self
                .broker
                .handle(&mut self.cx, &mut self.wire.reqs, req, acks)
            {
                Handled::Answer(a) => {
                    self.wire.respond(&mut self.cx, req, a, self.broker.down);
                    // Requests this one's append let the high watermark complete.
                    if REPLICATION {
                        let done = std::mem::take(&mut self.broker.ready);
                        self.answer_all(done);
                    }
                }
                Handled::NoAnswer => {}
                Handled::Replicating => {
                    let done = std::mem::take(&mut self.broker.ready);
                    return self.answer_all(done);
                }
                Handled::Failed => return self.wire.stop_reading(&mut self.cx, req),
                Handled::Closed => {
                    // KafkaApis.handleProduceRequest: an acks=0 produce that fails closes the
                    // connection, so the client learns of it; it does after one-way latency.
                    self.wire.stop_reading(&mut self.cx, req);
                    let t = self.cx.now + self.cx.s.network.latency_ms;
                    return self.cx.at(t, Ev::BrokerClosed(conn));
                }
            }
            match self.wire.read_next(conn) {
                Some(next) => req = next,
                None => return,
            }
        }
    }

    fn answer_all(&mut self, done: Vec<(u32, Answer)>) {
        for (req, answer) in done {
            self.answer(req, answer);
        }
    }

    /// An answer that waited (for replication, or a failover's verdict) is sent; the broker
    /// then reads what waited behind it.
    fn answer(&mut self, req: u32, answer: Answer) {
        self.wire
            .respond(&mut self.cx, req, answer, self.broker.down);
        let conn = self.wire.reqs[req as usize].conn;
        if let Some(next) = self.wire.read_next(conn) {
            self.read(next);
        }
    }

    #[allow(unused_mut)]
    fn finish(mut self, notes: Vec<crate::config::Note>) -> Trace {
        let s = self.cx.s;
        let n = s.messages.len();
        let log: Vec<LogRecord> = self.broker.log();
        // With transactions, what a read_committed consumer reads counts: a record of an
        // aborted (or still open) transaction is stored but not a copy.
        #[cfg(txn)]
        let transactional =
            self.producer.c.transactional_id.is_some() || !s.transactions.is_empty();
        #[cfg(txn)]
        let readable: Vec<bool> = match transactional {
            true => log.iter().map(|r| self.broker.committed(r)).collect(),
            false => Vec::new(),
        };
        #[cfg(txn)]
        let consumers = transactional.then(|| Broker::consumers(&log, &readable));
        #[cfg(txn)]
        let visible = |i: usize| readable.get(i).copied().unwrap_or(true);
        #[cfg(not(txn))]
        let visible = |_: usize| true;
        #[cfg(txn)]
        let mut stored = vec![false; n];
        let mut copies = vec![0u32; n];
        let mut first = vec![u64::MAX; n];
        // Each record's partition (one partition without PARTITIONS).
        let mut part: Vec<u32> = if PARTITIONS { vec![0; n] } else { Vec::new() };
        for (i, r) in log.iter().enumerate() {
            #[cfg(txn)]
            {
                stored[r.msg] = true;
            }
            if !visible(i) {
                continue;
            }
            copies[r.msg] += 1;
            // The first copy: its partition's offset (a record has one partition unless an
            // unkeyed record was sent again after a restart).
            if first[r.msg] == u64::MAX {
                first[r.msg] = r.offset;
                if let Some(p) = part.get_mut(r.msg) {
                    *p = r.partition;
                }
            }
        }
        let told_failed = self.producer.told_failed();
        let outcomes: Vec<Outcome> = (0..n)
            .map(|m| match (told_failed[m], copies[m]) {
                (true, _) => Outcome::Failed,
                #[cfg(txn)]
                (false, 0) if stored[m] => Outcome::Aborted,
                (false, 0) => Outcome::Lost,
                (false, 1) => Outcome::Delivered,
                _ => Outcome::Duplicated,
            })
            .collect();
        // Order is per partition: a record is reordered if a record sent after it to the same
        // partition holds an earlier offset there (keyed records resent after a restart stay on
        // their partition; the first copy counts).
        let mut reordered = 0;
        let mut min_later = per_partition(s.partitions as usize, u64::MAX);
        for m in (0..n).rev() {
            let p = part.get(m).copied().unwrap_or(0) as usize;
            if let (Some(min), true) = (min_later.get_mut(p), first[m] != u64::MAX) {
                if first[m] > *min {
                    reordered += 1;
                }
                *min = (*min).min(first[m]);
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
            #[cfg(txn)]
            aborted: count(Outcome::Aborted),
        };
        Trace {
            messages: s.messages.clone(),
            config: self.producer.c,
            notes,
            events: self.cx.events,
            log,
            outcomes,
            copies,
            summary,
            batches: self.cx.batches,
            partitions: s.partitions,
            #[cfg(txn)]
            markers: std::mem::take(&mut self.broker.txn.markers),
            #[cfg(txn)]
            consumers,
        }
    }
}

/// acks=0 asks for no answer: nothing the network does to one request touches another.
fn expects_answer(acks: Acks) -> bool {
    acks != Acks::Zero
}
