//! The partition leader: reads requests, checks idempotent sequences, appends to its log,
//! waits for its follower when acks=all, and answers.

use super::wire::Req;
use super::{expects_answer, Ctx, Ev, NUM_BATCHES_TO_RETAIN};
use crate::config::Acks;
use crate::scenario::{self, Fault};
use crate::trace::{Answer, EventKind, Idem, KafkaError, LogRecord, Loss};
use std::collections::VecDeque;

/// What the broker did with a request it read.
pub(super) enum Handled {
    /// Send this answer now.
    Answer(Answer),
    /// acks=0: no answer; the next request on the connection can be read.
    NoAnswer,
    /// Stored; the answer waits for the follower (acks=all).
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
    idem: Option<Idem>,
    t: u64,
    replicated: bool,
    alive: bool,
    /// An acks=all request waiting for this record to be replicated.
    waiting: Option<u32>,
}

/// ProducerStateEntry: a PID's epoch and the (sequence, offset) of its last batches, oldest first.
#[derive(Debug, Clone, Default)]
struct PidState {
    pid: u64,
    epoch: u16,
    batches: VecDeque<(u32, u64)>,
}

pub(super) struct Broker {
    config: scenario::Broker,
    records: Vec<Record>,
    /// The partition: indexes into `records`, by offset.
    log: Vec<usize>,
    pids: Vec<PidState>,
    pub down: bool,
}

impl Broker {
    pub fn new(config: scenario::Broker, n: usize) -> Broker {
        Broker {
            config,
            records: Vec::with_capacity(n),
            log: Vec::with_capacity(n),
            pids: Vec::new(),
            down: false,
        }
    }

    pub fn handle(&mut self, cx: &mut Ctx, reqs: &[Req], req: u32, acks: Acks) -> Handled {
        let r = &reqs[req as usize];
        let (msg, attempt, idem) = (r.msg, r.attempt, r.idem);
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
            .scripted(msg, attempt, |f| matches!(f, Fault::BrokerFail { .. }))
            .is_some()
        {
            cx.emit(EventKind::BrokerFailed { req });
            return if expects_answer(acks) {
                Handled::Failed
            } else {
                Handled::NoAnswer
            };
        }
        let rejected = cx.scripted(msg, attempt, |f| matches!(f, Fault::ErrorResponse { .. }));
        let answer = match (rejected, idem) {
            // Partition.appendRecordsToLeader (NOT_ENOUGH_REPLICAS), LogValidator
            // (CORRUPT_MESSAGE), ReplicaManager (NOT_LEADER_OR_FOLLOWER): before the append.
            (Some(&Fault::ErrorResponse { error, .. }), _) => Answer::Rejected(error),
            (_, Some(id)) => self.check_sequence(id).unwrap_or_else(|| Answer::Stored {
                offset: self.append(cx, r),
            }),
            _ => Answer::Stored {
                offset: self.append(cx, r),
            },
        };
        cx.emit(EventKind::Decided { req, answer });
        if !expects_answer(acks) {
            return if answer.is_ok() {
                Handled::NoAnswer
            } else {
                Handled::Closed
            };
        }
        if let Answer::Stored { offset } = answer {
            if acks == Acks::All && self.config.replicas > 1 {
                // acks=all: answer once the in-sync follower has the record (DelayedProduce).
                let rec = self.log[offset as usize];
                self.records[rec].waiting = Some(req);
                return Handled::Replicating;
            }
        }
        Handled::Answer(answer)
    }

    /// The idempotence checks, in the broker's order. `None` means append.
    fn check_sequence(&self, id: Idem) -> Option<Answer> {
        let state = self.pids.iter().find(|p| p.pid == id.pid);
        // UnifiedLog.analyzeAndValidateProducerState, ProducerStateEntry.findDuplicateBatch: a
        // batch of the same epoch among the last five is acknowledged with its first offset.
        if let Some(st) = state.filter(|st| st.epoch == id.epoch) {
            if let Some(&(_, offset)) = st.batches.iter().find(|(seq, _)| *seq == id.seq) {
                return Some(Answer::Duplicate { offset });
            }
        }
        match state {
            // ProducerAppendInfo.checkSequence: no state for this PID. Since KAFKA-15591
            // (Kafka 4.5) a partition that never held a record takes only sequence 0; one that
            // did takes any first sequence (as every broker since 2.5 did).
            None => {
                (self.log.is_empty() && id.seq != 0).then_some(Answer::OutOfOrder { expected: 0 })
            }
            // ProducerAppendInfo.checkProducerEpoch: an older epoch is fenced.
            Some(st) if id.epoch < st.epoch => Some(Answer::InvalidEpoch),
            // checkSequence: a new epoch starts again from 0.
            Some(st) if id.epoch > st.epoch => {
                (id.seq != 0).then_some(Answer::OutOfOrder { expected: 0 })
            }
            Some(st) => {
                let expected = st.batches.back().map_or(0, |(seq, _)| seq + 1);
                (id.seq != expected).then_some(Answer::OutOfOrder { expected })
            }
        }
    }

    fn append(&mut self, cx: &mut Ctx, r: &Req) -> u64 {
        let offset = self.log.len() as u64;
        let rec = self.records.len();
        self.records.push(Record {
            msg: r.msg,
            attempt: r.attempt,
            idem: r.idem,
            t: cx.now,
            replicated: false,
            alive: true,
            waiting: None,
        });
        self.log.push(rec);
        if let Some(id) = r.idem {
            self.remember(id, offset);
        }
        if self.config.replicas > 1 {
            cx.at(cx.now + self.config.replication_ms, Ev::Replicate(rec));
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

    /// The follower has copied a record: an acks=all request waiting on it can be answered.
    pub fn replicate(&mut self, cx: &mut Ctx, rec: usize) -> Option<(u32, Answer)> {
        let record = &mut self.records[rec];
        if !record.alive {
            return None;
        }
        record.replicated = true;
        let waiting = record.waiting.take();
        let offset = self.log.iter().position(|&x| x == rec).unwrap_or(0) as u64;
        cx.emit(EventKind::Replicated { offset });
        waiting.map(|req| (req, Answer::Stored { offset }))
    }

    /// A follower takes over; what it had not copied is gone, and the producer state is
    /// rebuilt from the log that remains (as Kafka rebuilds it from its log). Requests that
    /// waited for a lost record are answered NOT_LEADER_OR_FOLLOWER.
    pub fn failover(&mut self, cx: &mut Ctx) -> Vec<(u32, Answer)> {
        let from = self
            .log
            .iter()
            .position(|&r| !self.records[r].replicated)
            .unwrap_or(self.log.len());
        let gone: Vec<usize> = self.log.drain(from..).collect();
        cx.emit(EventKind::LeaderFailover {
            from_offset: from as u64,
            truncated: gone.len() as u32,
        });
        let mut answers = Vec::new();
        for rec in gone {
            self.records[rec].alive = false;
            if let Some(req) = self.records[rec].waiting.take() {
                answers.push((req, Answer::Rejected(KafkaError::NotLeaderOrFollower)));
            }
        }
        self.pids.clear();
        for offset in 0..self.log.len() {
            if let Some(id) = self.records[self.log[offset]].idem {
                self.remember(id, offset as u64);
            }
        }
        answers
    }

    /// The partition as it ends, in offset order.
    pub fn log(&self) -> Vec<LogRecord> {
        self.log
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
            .collect()
    }
}
