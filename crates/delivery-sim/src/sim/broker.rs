//! The partition leader: reads requests, checks idempotent sequences and appends to the log
//! of each partition a request carries, waits for the in-sync replicas when acks=all, and
//! answers. A topic of several partitions has them all on this broker, unreplicated. Its
//! followers copy the log; the ISR, the high watermark and leader election follow Kafka's
//! `Partition` and the KRaft controller (`ReplicationControlManager`, `PartitionChangeBuilder`).
//! With transactions it also hosts the transaction coordinator, writes its markers, keeps each
//! partition's open transaction (the last stable offset) and aborted ones
//! (`ProducerStateManager`), and verifies a batch that would open a transaction (KIP-890).

#[cfg(txn)]
use super::coordinator::{Coordinator, Markers, TxnReq};
use super::wire::Req;
use super::{
    expects_answer, per_partition, Ctx, Ev, PerPartition, NUM_BATCHES_TO_RETAIN, PARTITIONS,
    REPLICATION,
};
use crate::config::Acks;
use crate::scenario::{self, Fault};
use crate::trace::{Answer, EventKind, Idem, KafkaError, LogRecord, Loss};
#[cfg(txn)]
use crate::trace::{Consumers, Marker};
use std::collections::VecDeque;

/// A partition log's entry that is a transaction marker, not a record (`TxnLog::markers`).
const MARKER: usize = usize::MAX;

/// What the broker did with a request it read.
pub(super) enum Handled {
    /// Send this answer now.
    Answer(Answer),
    /// acks=0: no answer; the next request on the connection can be read.
    NoAnswer,
    /// Stored (or found a duplicate); the answer waits for the high watermark (acks=all).
    Replicating,
    /// The broker failed (or was down) while handling it: it answers nothing and reads no more
    /// from that connection.
    Failed,
    /// An acks=0 produce failed: the broker closes the connection.
    Closed,
}

#[derive(Debug, Clone)]
struct Record {
    msg: usize,
    attempt: u32,
    /// The record's own sequence: its batch's base sequence plus its place in the batch.
    idem: Option<Idem>,
    t: u64,
    /// On a batch's last record: the batch's first sequence, for the producer state rebuilt
    /// from the log.
    batch_first_seq: Option<u32>,
}

/// A replica of the partition other than the leader, as the leader sees it (`Replica`).
#[derive(Debug, Clone, Default)]
struct Follower {
    /// Its log end offset: it has copied the leader's log up to here.
    leo: u64,
    in_isr: bool,
    /// Stopped since then (`replica_down`).
    down_since: Option<u64>,
    /// The controller fenced it: its heartbeats stopped for broker.session.timeout.ms.
    fenced: bool,
    /// A leader that failed: it does not come back in the run.
    gone: bool,
    /// `replica_slow`: each copy takes this much longer.
    extra_ms: u64,
}

/// ProducerStateEntry: a PID's epoch and its last batches' BatchMetadata (first and last
/// sequence, first offset), oldest first.
#[derive(Debug, Clone, Default)]
struct PidState {
    pid: u64,
    epoch: u16,
    batches: VecDeque<(u32, u32, u64)>,
}

pub(super) struct Broker {
    config: scenario::Broker,
    records: Vec<Record>,
    /// Partition 0: indexes into `records`, by offset. Replication works on it alone (a
    /// replicated topic has one partition: `Scenario::check`).
    log: Vec<usize>,
    /// The other partitions' logs, for partition 1 on.
    more: Vec<Vec<usize>>,
    /// Each partition's producer-state table (ProducerStateManager is per partition log).
    pids: PerPartition<Vec<PidState>>,
    pub down: bool,
    /// Every replica by id; the leader's entry is not used while it leads.
    replicas: Vec<Follower>,
    /// The leader's id, or none: the partition is offline.
    leader: Option<u32>,
    /// The high watermark: the records below it are committed.
    hw: u64,
    /// The log end offset when the current leader was elected (`leaderEpochStartOffset`).
    epoch_start: u64,
    /// acks=all requests waiting for the high watermark to pass their record.
    waiting: Vec<(u32, Answer)>,
    /// An ISR check (the leader's isr-expiration task) is scheduled.
    check_pending: bool,
    /// Waiting requests completed while a request was read: the caller sends their answers.
    pub ready: Vec<(u32, Answer)>,
    /// Transactions in the partitions' logs, and their coordinator.
    #[cfg(txn)]
    pub txn: TxnLog,
}

/// What the partitions' ProducerStateManagers know of transactions, and the transaction
/// coordinator (on this broker, in the model).
#[cfg(txn)]
#[derive(Debug, Default)]
pub(super) struct TxnLog {
    /// The coordinator of a transactional producer (none for another producer), whose first
    /// batch in a partition opens a transaction there.
    coordinator: Option<Coordinator>,
    /// Each partition's ongoing transaction: its first offset (the last stable offset).
    open: Vec<Option<u64>>,
    /// The aborted transactions (each partition's AbortedTxn index): partition, producer id,
    /// first offset, and the offset of the abort marker.
    aborted: Vec<(u32, u64, u64, u64)>,
    /// The markers, in the order written.
    pub markers: Vec<Marker>,
}

impl Broker {
    pub fn new(mut config: scenario::Broker, n: usize, partitions: u32) -> Broker {
        let partitions = if PARTITIONS {
            partitions.max(1) as usize
        } else {
            1
        };
        if !REPLICATION {
            config.replicas = 1;
        }
        let replicas = (0..config.replicas)
            .map(|_| Follower {
                in_isr: true,
                ..Follower::default()
            })
            .collect();
        Broker {
            config,
            records: Vec::with_capacity(n),
            log: Vec::with_capacity(n),
            more: match PARTITIONS {
                true => vec![Vec::new(); partitions - 1],
                false => Vec::new(),
            },
            pids: per_partition(partitions, Vec::new()),
            down: false,
            replicas,
            leader: Some(0),
            hw: 0,
            epoch_start: 0,
            waiting: Vec::new(),
            check_pending: false,
            ready: Vec::new(),
            #[cfg(txn)]
            txn: TxnLog {
                open: vec![None; partitions],
                ..TxnLog::default()
            },
        }
    }

    /// A follower copies `extra_ms` later than the others (`replica_slow`).
    pub fn slow(&mut self, replica: u32, extra_ms: u64) {
        if let Some(f) = self.replicas.get_mut(replica as usize) {
            f.extra_ms = extra_ms;
        }
    }

    fn partition_log(&mut self, p: usize) -> &mut Vec<usize> {
        match p {
            _ if !PARTITIONS => &mut self.log,
            0 => &mut self.log,
            _ => &mut self.more[p - 1],
        }
    }

    /// KafkaApis.handleProduceRequest: each partition's batch is decided on its own
    /// (ReplicaManager.appendRecords answers each partition); a failure of the broker or of the
    /// connection takes the whole request.
    pub fn handle(&mut self, cx: &mut Ctx, reqs: &mut [Req], req: u32, acks: Acks) -> Handled {
        let r = &reqs[req as usize];
        if self.down {
            cx.emit(EventKind::RequestLost {
                req,
                cause: Loss::BrokerDown,
            });
            return if expects_answer(acks) {
                Handled::Failed
            } else {
                Handled::NoAnswer
            };
        }
        if cx
            .scripted_any(r, |f| matches!(f, Fault::BrokerFail { .. }))
            .is_some()
        {
            cx.emit(EventKind::BrokerFailed { req });
            return if expects_answer(acks) {
                Handled::Failed
            } else {
                Handled::NoAnswer
            };
        }
        let answer = self.decide(cx, req, (r.batch, r.attempt, r.idem), acks);
        let mut ok = answer.is_ok();
        for i in 1..r.len() {
            let c = reqs[req as usize].at(i);
            let a = self.decide(cx, req, (c.batch, c.attempt, c.idem), acks);
            ok &= a.is_ok();
            reqs[req as usize].rest[i - 1].answer = Some(a);
        }
        if !expects_answer(acks) {
            return if ok {
                Handled::NoAnswer
            } else {
                Handled::Closed
            };
        }
        if let Answer::Stored { offset } | Answer::Duplicate { offset } = answer {
            // ReplicaManager.appendRecords: acks=all waits in DelayedProduce until the high
            // watermark passes the batch, a duplicate's too (its requiredOffset is the first
            // batch's end).
            if REPLICATION && acks == Acks::All && self.config.replicas > 1 && offset >= self.hw {
                self.waiting.push((req, answer));
                let done = self.advance(cx);
                self.ready.extend(done);
                return Handled::Replicating;
            }
        }
        if REPLICATION && answer.is_ok() && self.config.replicas > 1 {
            let done = self.advance(cx);
            self.ready.extend(done);
        }
        Handled::Answer(answer)
    }

    /// The answer for one batch of request `req`: rejected, a duplicate, or appended.
    fn decide(
        &mut self,
        cx: &mut Ctx,
        req: u32,
        batch: (usize, u32, Option<Idem>),
        acks: Acks,
    ) -> Answer {
        let (b, attempt, idem) = batch;
        // One partition without PARTITIONS.
        let p = if PARTITIONS {
            cx.batches.partition(b) as usize
        } else {
            0
        };
        let count = cx.count(b) as u32;
        let rejected = cx.scripted(b, attempt, |f| matches!(f, Fault::ErrorResponse { .. }));
        #[cfg(txn)]
        let unverified = idem
            .filter(|_| self.txn.open[p].is_none())
            .and_then(|id| self.unverified(p, id));
        let answer = match (rejected, idem) {
            // Partition.appendRecordsToLeader (NOT_ENOUGH_REPLICAS), LogValidator
            // (CORRUPT_MESSAGE), ReplicaManager (NOT_LEADER_OR_FOLLOWER): before the append.
            (Some(&Fault::ErrorResponse { error, .. }), _) => Answer::Rejected(error),
            // No leader: the partition is offline (ReplicaManager.getPartitionOrError).
            _ if REPLICATION && self.leader.is_none() => {
                Answer::Rejected(KafkaError::NotLeaderOrFollower)
            }
            // Partition.appendRecordsToLeader: acks=all with fewer in-sync replicas than
            // min.insync.replicas is refused before the append.
            _ if REPLICATION && acks == Acks::All && self.isr_size() < self.min_isr() => {
                Answer::Rejected(KafkaError::NotEnoughReplicas)
            }
            // KIP-890 part 1: a transactional batch that would open a transaction in the
            // partition is verified with the coordinator first.
            #[cfg(txn)]
            (_, Some(_)) if unverified.is_some() => {
                Answer::Rejected(unverified.unwrap_or(KafkaError::InvalidTxnState))
            }
            (_, Some(id)) => self
                .check_sequence(p, id, count)
                .unwrap_or_else(|| Answer::Stored {
                    offset: self.append(cx, p, batch),
                }),
            _ => Answer::Stored {
                offset: self.append(cx, p, batch),
            },
        };
        cx.emit(EventKind::Decided {
            req,
            batch: b as u32,
            answer,
        });
        answer
    }

    /// The coordinator's verdict on a batch that would open a transaction in partition `p`.
    #[cfg(txn)]
    fn unverified(&self, p: usize, id: Idem) -> Option<KafkaError> {
        self.txn.coordinator.as_ref()?.verify(id.pid, id.epoch, p)
    }

    /// The idempotence checks, in the broker's order, for a batch of `count` records. `None`
    /// means append.
    fn check_sequence(&mut self, p: usize, id: Idem, count: u32) -> Option<Answer> {
        let empty = self.partition_log(p).is_empty();
        let state = self.pids[p].iter().find(|st| st.pid == id.pid);
        // UnifiedLog.analyzeAndValidateProducerState, ProducerStateEntry.findDuplicateBatch: a
        // batch of the same epoch with the same sequence range as one of the last five is
        // acknowledged with that batch's first offset.
        let last = id.seq + count - 1;
        if let Some(st) = state.filter(|st| st.epoch == id.epoch) {
            if let Some(&(.., offset)) = st.batches.iter().find(|b| (b.0, b.1) == (id.seq, last)) {
                return Some(Answer::Duplicate { offset });
            }
        }
        match state {
            // ProducerAppendInfo.checkSequence: no state for this PID. Since KAFKA-15591
            // (Kafka 4.5) a partition that never held a record takes only sequence 0; one that
            // did takes any first sequence (as every broker since 2.5 did).
            None => (empty && id.seq != 0).then_some(Answer::OutOfOrder { expected: 0 }),
            // ProducerAppendInfo.checkProducerEpoch: an older epoch is fenced.
            Some(st) if id.epoch < st.epoch => Some(Answer::InvalidEpoch),
            // checkSequence: a new epoch starts again from 0.
            Some(st) if id.epoch > st.epoch => {
                (id.seq != 0).then_some(Answer::OutOfOrder { expected: 0 })
            }
            // checkSequence: the batch's first sequence follows the last batch's last.
            Some(st) => {
                let expected = st.batches.back().map_or(0, |b| b.1 + 1);
                (id.seq != expected).then_some(Answer::OutOfOrder { expected })
            }
        }
    }

    /// Appends the batch's records to partition `p`; returns the first one's offset.
    fn append(
        &mut self,
        cx: &mut Ctx,
        p: usize,
        (b, attempt, idem): (usize, u32, Option<Idem>),
    ) -> u64 {
        let offset = self.partition_log(p).len() as u64;
        let count = cx.count(b);
        for i in 0..count {
            let rec = self.records.len();
            self.records.push(Record {
                msg: cx.record(b, i),
                attempt,
                idem: idem.map(|id| Idem {
                    seq: id.seq + i as u32,
                    ..id
                }),
                t: cx.now,
                batch_first_seq: idem.filter(|_| i + 1 == count).map(|id| id.seq),
            });
            self.partition_log(p).push(rec);
        }
        if let Some(id) = idem {
            self.remember(p, id, id.seq + count as u32 - 1, offset);
        }
        // ProducerAppendInfo.append: a transactional batch opens the producer's transaction in
        // the partition if none is open (currentTxnFirstOffset).
        #[cfg(txn)]
        if self.txn.coordinator.is_some() {
            self.txn.open[p].get_or_insert(offset);
        }
        if p > 0 {
            return offset;
        }
        let end = self.log.len() as u64;
        if !REPLICATION {
            self.hw = end;
            return offset;
        }
        // Each follower that is up fetches it (a waiting fetch returns at once: DelayedFetch).
        for (id, f) in self.replicas.iter().enumerate() {
            if Some(id as u32) != self.leader && !f.gone && f.down_since.is_none() {
                let t = cx.now + self.config.replication_ms + f.extra_ms;
                cx.at(t, Ev::Fetched(id as u32, end));
            }
        }
        if self.leader.is_some() && self.config.replicas == 1 {
            self.hw = end;
        }
        self.schedule_check(cx);
        offset
    }

    /// ProducerStateEntry.addBatch: the batch's metadata joins the PID's last five.
    fn remember(&mut self, p: usize, id: Idem, last_seq: u32, offset: u64) {
        let pids = &mut self.pids[p];
        let i = match pids.iter().position(|st| st.pid == id.pid) {
            Some(i) => i,
            None => {
                pids.push(PidState {
                    pid: id.pid,
                    ..PidState::default()
                });
                pids.len() - 1
            }
        };
        let state = &mut pids[i];
        if id.epoch != state.epoch {
            state.epoch = id.epoch;
            state.batches.clear();
        }
        state.batches.push_back((id.seq, last_seq, offset));
        if state.batches.len() > NUM_BATCHES_TO_RETAIN {
            state.batches.pop_front();
        }
    }

    fn min_isr(&self) -> usize {
        // Partition.effectiveMinIsr: min.insync.replicas, at most the replication factor.
        self.config.min_insync.min(self.config.replicas) as usize
    }

    fn isr_size(&self) -> usize {
        let followers = self.followers().filter(|(_, f)| f.in_isr).count();
        usize::from(self.leader.is_some()) + followers
    }

    fn followers(&self) -> impl Iterator<Item = (u32, &Follower)> {
        let leader = self.leader;
        self.replicas
            .iter()
            .enumerate()
            .map(|(i, f)| (i as u32, f))
            .filter(move |&(i, f)| Some(i) != leader && !f.gone)
    }

    /// Replica.isCaughtUp: it has the leader's whole log, or had it within
    /// replica.lag.time.max.ms (the last time it did: when the first record it lacks was
    /// appended, or when it stopped fetching).
    fn caught_up(&self, f: &Follower, now: u64) -> bool {
        let leo = self.log.len() as u64;
        if f.leo >= leo {
            return true;
        }
        let mut since = self.records[self.log[f.leo as usize]].t;
        if let Some(d) = f.down_since {
            since = since.min(d);
        }
        now.saturating_sub(since) <= self.config.lag_max_ms
    }

    /// A follower's fetch reached the leader: it has the log up to `upto`.
    pub fn fetched(&mut self, cx: &mut Ctx, id: u32, upto: u64) -> Vec<(u32, Answer)> {
        let leo = self.log.len() as u64;
        let Some(f) = self.replicas.get_mut(id as usize) else {
            return Vec::new();
        };
        if f.gone || f.down_since.is_some() || self.leader.is_none_or(|l| l == id) {
            return Vec::new();
        }
        f.leo = f.leo.max(upto.min(leo));
        // Partition.maybeExpandIsr / isFollowerInSync: not fenced, and caught up with the
        // high watermark and the leader's epoch.
        if !f.in_isr && !f.fenced && f.leo >= self.hw && f.leo >= self.epoch_start {
            f.in_isr = true;
            cx.emit(EventKind::IsrExpanded { replica: id });
        }
        self.advance(cx)
    }

    /// Partition.maybeIncrementLeaderHW: the high watermark is the least log end offset of the
    /// in-sync replicas and of those caught up enough to join them; it does not move while the
    /// ISR is smaller than min.insync.replicas (KAFKA-15583, Kafka 3.7). Returns the acks=all
    /// requests it completes (DelayedProduce).
    fn advance(&mut self, cx: &mut Ctx) -> Vec<(u32, Answer)> {
        if self.leader.is_none() || self.isr_size() < self.min_isr() {
            return Vec::new();
        }
        let mut hw = self.log.len() as u64;
        for (_, f) in self.followers() {
            let eligible = !f.fenced && f.down_since.is_none() && self.caught_up(f, cx.now);
            if f.leo < hw && (f.in_isr || eligible) {
                hw = f.leo;
            }
        }
        if hw <= self.hw {
            return Vec::new();
        }
        for offset in self.hw..hw {
            cx.emit(EventKind::Replicated { offset });
        }
        self.hw = hw;
        let (done, wait) = self.waiting.iter().partition(|(_, a)| match a {
            Answer::Stored { offset } | Answer::Duplicate { offset } => *offset < hw,
            _ => true,
        });
        self.waiting = wait;
        done
    }

    /// The leader's isr-expiration task runs every replica.lag.time.max.ms / 2
    /// (ReplicaManager): scheduled while a follower of the ISR is behind.
    fn schedule_check(&mut self, cx: &mut Ctx) {
        if self.check_pending || self.config.replicas < 2 {
            return;
        }
        let leo = self.log.len() as u64;
        if self.followers().any(|(_, f)| f.in_isr && f.leo < leo) {
            let period = (self.config.lag_max_ms / 2).max(1);
            self.check_pending = true;
            cx.at((cx.now / period + 1) * period, Ev::IsrCheck);
        }
    }

    /// Partition.maybeShrinkIsr: followers of the ISR not caught up leave it.
    pub fn check_isr(&mut self, cx: &mut Ctx) -> Vec<(u32, Answer)> {
        self.check_pending = false;
        let out: Vec<u32> = self
            .followers()
            .filter(|(_, f)| f.in_isr && !self.caught_up(f, cx.now))
            .map(|(i, _)| i)
            .collect();
        for id in out {
            self.replicas[id as usize].in_isr = false;
            cx.emit(EventKind::IsrShrunk {
                replica: id,
                fenced: false,
            });
        }
        self.schedule_check(cx);
        self.advance(cx)
    }

    /// A follower's broker stops; the controller fences it after broker.session.timeout.ms.
    pub fn replica_down(&mut self, cx: &mut Ctx, id: u32) {
        let Some(f) = self.replicas.get_mut(id as usize) else {
            return;
        };
        if f.gone || f.down_since.is_some() {
            return;
        }
        f.down_since = Some(cx.now);
        cx.emit(EventKind::ReplicaDown { replica: id });
        cx.at(
            cx.now + self.config.session_timeout_ms,
            Ev::Fence(id, cx.now),
        );
    }

    /// ReplicationControlManager.handleBrokerFenced: a broker still stopped since `since` is
    /// fenced and taken out of the ISR.
    pub fn fence(&mut self, cx: &mut Ctx, id: u32, since: u64) -> Vec<(u32, Answer)> {
        let Some(f) = self.replicas.get_mut(id as usize) else {
            return Vec::new();
        };
        if f.down_since != Some(since) || f.fenced {
            return Vec::new();
        }
        f.fenced = true;
        if f.in_isr && self.leader != Some(id) {
            f.in_isr = false;
            cx.emit(EventKind::IsrShrunk {
                replica: id,
                fenced: true,
            });
        }
        self.advance(cx)
    }

    /// A follower's broker is back: unfenced at its next heartbeat, it fetches what it lacks.
    pub fn replica_up(&mut self, cx: &mut Ctx, id: u32) {
        let Some(f) = self.replicas.get_mut(id as usize) else {
            return;
        };
        if f.gone || f.down_since.is_none() {
            return;
        }
        f.down_since = None;
        f.fenced = false;
        cx.emit(EventKind::ReplicaUp { replica: id });
        let t = cx.now + self.config.replication_ms + f.extra_ms;
        cx.at(t, Ev::Fetched(id, self.log.len() as u64));
    }

    /// The leader fails. PartitionChangeBuilder.electAnyLeader: the first replica, in
    /// assignment order, of the ISR that is not fenced; failing that, with
    /// unclean.leader.election.enable, the first live one; else none (offline). The new
    /// leader's log is the partition: what it had not copied is gone, acknowledged or not; the
    /// producer state is rebuilt from what remains (as Kafka rebuilds it from its log); every
    /// acks=all request waiting on the old leader is answered NOT_LEADER_OR_FOLLOWER.
    pub fn failover(&mut self, cx: &mut Ctx) -> Vec<(u32, Answer)> {
        let Some(old) = self.leader else {
            return Vec::new();
        };
        let f = &mut self.replicas[old as usize];
        f.gone = true;
        f.in_isr = false;
        let live = |f: &Follower| !f.gone && !f.fenced && f.down_since.is_none();
        let clean = (0..self.replicas.len()).find(|&i| {
            let f = &self.replicas[i];
            f.in_isr && live(f)
        });
        let unclean = clean
            .is_none()
            .then(|| {
                (0..self.replicas.len()).find(|&i| self.config.unclean && live(&self.replicas[i]))
            })
            .flatten();
        let answers = self
            .waiting
            .drain(..)
            .map(|(req, _)| (req, Answer::Rejected(KafkaError::NotLeaderOrFollower)))
            .collect();
        let Some(new) = clean.or(unclean) else {
            // Offline: the controller finds no replica to lead.
            self.leader = None;
            cx.emit(EventKind::LeaderFailover {
                from_offset: self.log.len() as u64,
                truncated: 0,
            });
            cx.emit(EventKind::LeaderElected {
                replica: None,
                unclean: false,
            });
            return answers;
        };
        let from = self.replicas[new].leo.min(self.log.len() as u64);
        let gone = self.log.len() as u64 - from;
        self.log.truncate(from as usize);
        cx.emit(EventKind::LeaderFailover {
            from_offset: from,
            truncated: gone as u32,
        });
        cx.emit(EventKind::LeaderElected {
            replica: Some(new as u32),
            unclean: clean.is_none(),
        });
        self.leader = Some(new as u32);
        self.epoch_start = from;
        self.hw = self.hw.min(from);
        for (i, f) in self.replicas.iter_mut().enumerate() {
            // The followers truncate to the new leader's log; after an unclean election the
            // ISR is the new leader alone.
            f.leo = f.leo.min(from);
            if clean.is_none() && i != new {
                f.in_isr = false;
            }
        }
        self.pids[0].clear();
        // The producer state rebuilt from the log's batches (ProducerStateManager).
        for end in 0..self.log.len() {
            let r = &self.records[self.log[end]];
            if let (Some(id), Some(first)) = (r.idem, r.batch_first_seq) {
                let start = end - (id.seq - first) as usize;
                self.remember(0, Idem { seq: first, ..id }, id.seq, start as u64);
            }
        }
        answers
    }

    /// The producer is transactional, with this `transaction.timeout.ms`: the broker is its
    /// transaction coordinator too.
    #[cfg(txn)]
    pub fn coordinate_for(&mut self, timeout_ms: u64) {
        self.txn.coordinator = Some(Coordinator::new(timeout_ms));
    }

    /// A request to the coordinator: its answer; the markers of a transaction it ends are
    /// written at once.
    #[cfg(txn)]
    pub fn coordinate(
        &mut self,
        cx: &mut Ctx,
        r: &TxnReq,
    ) -> Option<(Option<KafkaError>, u64, u16)> {
        let (answer, markers) = self.txn.coordinator.as_mut()?.handle(cx, r);
        if let Some(m) = markers {
            self.write_markers(cx, &m);
        }
        Some(answer)
    }

    /// The coordinator's check for timed-out transactions.
    #[cfg(txn)]
    pub fn check_txn_timeout(&mut self, cx: &mut Ctx, serial: u32) {
        let c = self.txn.coordinator.as_mut();
        if let Some(m) = c.and_then(|c| c.check_timeout(cx, serial)) {
            self.write_markers(cx, &m);
        }
    }

    /// TransactionMarkerChannelManager: a marker to each partition of the transaction, then
    /// the coordinator completes it.
    #[cfg(txn)]
    fn write_markers(&mut self, cx: &mut Ctx, m: &Markers) {
        for p in (0..64).filter(|p| m.partitions >> p & 1 == 1) {
            self.write_marker(cx, p, m.commit, m.pid, m.epoch);
        }
        if let Some(c) = self.txn.coordinator.as_mut() {
            c.complete(cx, m);
        }
    }

    /// WriteTxnMarkers to partition `p` (ReplicaManager.appendRecords of a control batch,
    /// ProducerAppendInfo.appendEndTxnMarker): the marker takes the next offset; the marker's
    /// epoch becomes the producer's (a fencing epoch clears its batches); the partition's open
    /// transaction ends, and an aborted one joins the aborted transactions the read_committed
    /// fetch skips (ProducerStateManager.completeTxn, LogSegment's transaction index).
    #[cfg(txn)]
    fn write_marker(&mut self, cx: &mut Ctx, p: usize, commit: bool, pid: u64, epoch: u16) {
        if p >= self.txn.open.len() {
            return;
        }
        let offset = self.partition_log(p).len() as u64;
        self.partition_log(p).push(MARKER);
        match self.pids[p].iter_mut().find(|st| st.pid == pid) {
            Some(st) if st.epoch != epoch => {
                st.epoch = epoch;
                st.batches.clear();
            }
            Some(_) => {}
            None => self.pids[p].push(PidState {
                pid,
                epoch,
                ..PidState::default()
            }),
        }
        if let Some(first) = self.txn.open[p].take() {
            if !commit {
                self.txn.aborted.push((p as u32, pid, first, offset));
            }
        }
        let m = Marker {
            partition: p as u32,
            offset,
            commit,
            pid,
            epoch,
            t_ms: cx.now,
        };
        self.txn.markers.push(m);
        cx.emit(EventKind::Marker {
            partition: m.partition,
            offset,
            commit,
            pid,
            epoch,
        });
    }

    /// Whether a read_committed consumer reads the record: below the last stable offset, and
    /// not in an aborted transaction.
    #[cfg(txn)]
    pub fn committed(&self, r: &LogRecord) -> bool {
        r.offset < self.lso(r.partition as usize) && !self.aborted(r)
    }

    /// Whether a record is in an aborted transaction (Fetcher's read_committed filter).
    #[cfg(txn)]
    fn aborted(&self, r: &LogRecord) -> bool {
        let pid = r.idem.map(|id| id.pid);
        self.txn.aborted.iter().any(|&(p, a_pid, first, last)| {
            p == r.partition && Some(a_pid) == pid && (first..last).contains(&r.offset)
        })
    }

    /// Partition `p`'s last stable offset: the first offset of its open transaction, or its
    /// end (one replica: the high watermark).
    #[cfg(txn)]
    fn lso(&self, p: usize) -> u64 {
        let end = match p {
            0 => self.log.len(),
            _ => self.more.get(p - 1).map_or(0, Vec::len),
        };
        self.txn
            .open
            .get(p)
            .copied()
            .flatten()
            .unwrap_or(end as u64)
    }

    /// What a consumer of every partition reads, partition by partition, given which records
    /// of `log` are [`Broker::committed`] (`isolation.level`: Fetcher / FetchCollector;
    /// markers are never data).
    #[cfg(txn)]
    pub fn consumers(log: &[LogRecord], committed: &[bool]) -> Consumers {
        Consumers {
            read_uncommitted: log.iter().map(|r| r.msg).collect(),
            read_committed: log
                .iter()
                .zip(committed)
                .filter(|(_, &c)| c)
                .map(|(r, _)| r.msg)
                .collect(),
        }
    }

    /// The partitions as they end, each in offset order.
    pub fn log(&self) -> Vec<LogRecord> {
        let mut out = Vec::with_capacity(self.records.len());
        let mut add = |p: usize, log: &[usize]| {
            for (offset, &rec) in log.iter().enumerate() {
                if rec == MARKER {
                    continue;
                }
                let r = &self.records[rec];
                out.push(LogRecord {
                    partition: p as u32,
                    offset: offset as u64,
                    msg: r.msg,
                    attempt: r.attempt,
                    idem: r.idem,
                    t_ms: r.t,
                });
            }
        };
        add(0, &self.log);
        // (One partition without PARTITIONS.)
        if PARTITIONS {
            for (p, log) in self.more.iter().enumerate() {
                add(p + 1, log);
            }
        }
        out
    }
}
