//! The transaction coordinator for the producer's `transactional.id` (feature `transactions`),
//! as Kafka's `TransactionCoordinator` runs it with transaction version 1 (KIP-98; the client
//! adds partitions with AddPartitionsToTxn and the epoch stays until an instance is fenced).
//! In the model it lives on the broker that leads the partitions, so it writes the markers at
//! once (TransactionMarkerChannelManager's WriteTxnMarkers to itself).

use super::{Ctx, Ev};
use crate::trace::{EventKind, KafkaError, TxnCall, TxnCause, TxnState};

/// transaction.abort.timed.out.transaction.cleanup.interval.ms's default
/// (TransactionStateManagerConfig): how often the coordinator looks for timed-out transactions.
pub const ABORT_TIMED_OUT_INTERVAL_MS: u64 = 10_000;

/// A request of the producer's to the coordinator, and its answer once given.
#[derive(Debug, Clone, Copy)]
pub(super) struct TxnReq {
    pub call: TxnCall,
    /// The producer process that sent it (a restart starts another).
    pub instance: u32,
    /// The producer id and epoch it was sent with (InitProducerId: the ones it had, if any).
    pub pid: u64,
    pub epoch: u16,
    pub answer: Option<(Option<KafkaError>, u64, u16)>,
}

/// The markers an ending transaction has the broker write (WriteTxnMarkers).
#[derive(Debug, Clone, Copy)]
pub(super) struct Markers {
    /// The transaction's partitions, a bit each.
    pub partitions: u64,
    pub commit: bool,
    pub pid: u64,
    pub epoch: u16,
    /// Why the transaction ends: the client asked, a new instance fenced it, or it timed out.
    pub cause: TxnCause,
}

/// TransactionMetadata of the one transactional id.
#[derive(Debug)]
pub(super) struct Coordinator {
    /// `transaction.timeout.ms` of the producer's InitProducerId.
    timeout_ms: u64,
    /// Its producer id, once the first InitProducerId made one.
    pid: Option<u64>,
    epoch: u16,
    /// `None` is Empty; the Prepare states pass within one step (the markers are local).
    state: Option<TxnState>,
    /// The partitions the open transaction added (a bit each).
    partitions: u64,
    /// txnStartTimestamp: when the first partition was added.
    started: u64,
    /// Counts transactions begun, so a timeout check finds the one it was set for.
    serial: u32,
}

impl Coordinator {
    pub fn new(timeout_ms: u64) -> Coordinator {
        Coordinator {
            timeout_ms,
            pid: None,
            epoch: 0,
            state: None,
            partitions: 0,
            started: 0,
            serial: 0,
        }
    }

    /// Handles request `r` that reached the coordinator; returns the answer (error, producer
    /// id, epoch) and the markers to write.
    pub fn handle(
        &mut self,
        cx: &mut Ctx,
        r: &TxnReq,
    ) -> ((Option<KafkaError>, u64, u16), Option<Markers>) {
        let answer = |e| (e, r.pid, r.epoch);
        match r.call {
            TxnCall::InitProducerId => self.init(cx),
            // TransactionCoordinator.handleAddPartitionsToTransaction (V1): the epoch must be
            // the current one; the transaction's clock starts with its first partition
            // (TransactionMetadata.prepareAddPartitions).
            TxnCall::AddPartitions { partitions } => {
                if Some(r.pid) != self.pid || r.epoch != self.epoch {
                    return (answer(Some(KafkaError::ProducerFenced)), None);
                }
                if self.state != Some(TxnState::Ongoing) {
                    self.state = Some(TxnState::Ongoing);
                    self.started = cx.now;
                    self.serial += 1;
                    cx.emit(EventKind::TxnState {
                        state: TxnState::Ongoing,
                        epoch: self.epoch,
                        cause: TxnCause::Client,
                    });
                    self.schedule_timeout_check(cx);
                }
                self.partitions |= partitions;
                (answer(None), None)
            }
            // TransactionCoordinator.endTransaction (V1, from the client): the epoch must be the
            // current one; Ongoing goes to PrepareCommit / PrepareAbort, the answer is sent,
            // and the markers follow; a retry of a completed end is answered NONE.
            TxnCall::EndTxn { txn, commit } => {
                if Some(r.pid) != self.pid || r.epoch != self.epoch {
                    return (answer(Some(KafkaError::ProducerFenced)), None);
                }
                match self.state {
                    Some(TxnState::Ongoing) => {
                        if commit {
                            // The application's input position is committed with the
                            // transaction (sendOffsetsToTransaction): a restarted instance
                            // resumes after it.
                            cx.input_committed = cx.input_committed.max(txn as usize + 1);
                        }
                        let markers = self.end(cx, commit, TxnCause::Client);
                        (answer(None), Some(markers))
                    }
                    Some(TxnState::CompleteCommit) if commit => (answer(None), None),
                    Some(TxnState::CompleteAbort) if !commit => (answer(None), None),
                    // logInvalidStateTransitionAndReturnError: INVALID_TXN_STATE, fatal (the
                    // model's application ends only transactions it began).
                    _ => (answer(Some(KafkaError::InvalidTxnState)), None),
                }
            }
        }
    }

    /// TransactionCoordinator.handleInitProducerId / prepareInitProducerIdTransit: a new
    /// transactional id gets a producer id at epoch 0; a known one the next epoch, which fences
    /// the instance before it. An open transaction is aborted first with a bumped epoch
    /// (prepareFenceProducerEpoch) and the answer is CONCURRENT_TRANSACTIONS: the client
    /// retries, and its retry bumps the epoch once more.
    fn init(&mut self, cx: &mut Ctx) -> ((Option<KafkaError>, u64, u16), Option<Markers>) {
        if self.pid.is_none() {
            self.pid = Some(0);
            self.epoch = 0;
            return ((None, 0, 0), None);
        }
        if self.state == Some(TxnState::Ongoing) {
            self.fence_epoch();
            let markers = self.end(cx, false, TxnCause::Fence);
            let busy = Some(KafkaError::ConcurrentTransactions);
            return ((busy, markers.pid, self.epoch), Some(markers));
        }
        self.bump_epoch();
        ((None, self.pid.unwrap_or(0), self.epoch), None)
    }

    /// The next epoch; an exhausted one (TransactionMetadata.isEpochExhausted: Short.MaxValue
    /// - 1) rotates to a new producer id at epoch 0 (prepareProducerIdRotation).
    fn bump_epoch(&mut self) {
        if self.epoch >= i16::MAX as u16 - 1 {
            self.pid = Some(self.pid.unwrap_or(0) + 1);
            self.epoch = 0;
        } else {
            self.epoch += 1;
        }
    }

    /// TransactionMetadata.prepareFenceProducerEpoch: one more, even the last one (the
    /// producer's next InitProducerId then gets a new producer id).
    fn fence_epoch(&mut self) {
        self.epoch = (self.epoch + 1).min(i16::MAX as u16);
    }

    /// PrepareCommit / PrepareAbort; the broker writes a marker to each partition of the
    /// transaction (TransactionMarkerChannelManager), then [`Coordinator::complete`].
    fn end(&mut self, cx: &mut Ctx, commit: bool, cause: TxnCause) -> Markers {
        let state = if commit {
            TxnState::PrepareCommit
        } else {
            TxnState::PrepareAbort
        };
        self.state = Some(state);
        cx.emit(EventKind::TxnState {
            state,
            epoch: self.epoch,
            cause,
        });
        Markers {
            partitions: std::mem::take(&mut self.partitions),
            commit,
            pid: self.pid.unwrap_or(0),
            epoch: self.epoch,
            cause,
        }
    }

    /// The markers are written: CompleteCommit / CompleteAbort.
    pub fn complete(&mut self, cx: &mut Ctx, m: &Markers) {
        let state = if m.commit {
            TxnState::CompleteCommit
        } else {
            TxnState::CompleteAbort
        };
        self.state = Some(state);
        cx.emit(EventKind::TxnState {
            state,
            epoch: m.epoch,
            cause: m.cause,
        });
    }

    /// KIP-890's verification (Kafka 3.6+, `transaction.partition.verification.enable`,
    /// TransactionCoordinator.handleVerifyPartitionsInTransaction): before a partition takes the
    /// first transactional batch of a producer with no transaction open there, its leader asks
    /// whether the partition is in the producer's ongoing transaction at that epoch. Errors as
    /// AddPartitionsToTxnManager hands them to the produce: PRODUCER_FENCED becomes
    /// INVALID_PRODUCER_EPOCH, a partition not in the transaction INVALID_TXN_STATE.
    pub fn verify(&self, pid: u64, epoch: u16, p: usize) -> Option<KafkaError> {
        if Some(pid) != self.pid || epoch != self.epoch {
            Some(KafkaError::InvalidProducerEpoch)
        } else if self.state != Some(TxnState::Ongoing) || self.partitions >> p & 1 == 0 {
            Some(KafkaError::InvalidTxnState)
        } else {
            None
        }
    }

    /// TransactionStateManager.timedOutTransactions runs every
    /// [`ABORT_TIMED_OUT_INTERVAL_MS`]: a transaction is timed out once
    /// `txnStartTimestamp + transaction.timeout.ms < now`.
    fn schedule_timeout_check(&self, cx: &mut Ctx) {
        let due = self.started + self.timeout_ms + 1;
        let t = due.div_ceil(ABORT_TIMED_OUT_INTERVAL_MS) * ABORT_TIMED_OUT_INTERVAL_MS;
        cx.at(t, Ev::TxnCheck(self.serial));
    }

    /// TransactionCoordinator.abortTimedOutTransactions: a transaction still open is aborted
    /// with a bumped epoch (prepareFenceProducerEpoch), which fences its producer.
    pub fn check_timeout(&mut self, cx: &mut Ctx, serial: u32) -> Option<Markers> {
        if serial == self.serial && self.state == Some(TxnState::Ongoing) {
            self.fence_epoch();
            return Some(self.end(cx, false, TxnCause::Timeout));
        }
        None
    }
}
