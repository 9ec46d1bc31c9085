//! The transactional producer (`cfg(txn)`): TransactionManager's requests to the coordinator
//! and the application's transactions around its sends. Transaction version 1 (KIP-98), as
//! the Java client runs it against a coordinator without KIP-890's `transaction.version` 2.

use super::{Producer, State};
use crate::scenario::TxnEnd;
use crate::sim::coordinator::TxnReq;
use crate::sim::{Ctx, Ev};
use crate::trace::{EventKind, FailReason, KafkaError, TxnCall};

/// TransactionManager's transactional state, and the application's place in its transactions.
#[derive(Debug, Clone, Default)]
pub(in crate::sim) struct Txn {
    /// The producer process: a restart starts the next, and answers to requests of an
    /// earlier one reach nobody.
    instance: u32,
    /// initTransactions is done: the producer has its id and epoch.
    ready: bool,
    /// The application is waiting in initTransactions (at start, after a restart): it then
    /// resumes after the last committed transaction.
    resume: bool,
    /// The request in flight to the coordinator (TransactionManager.hasInFlightRequest).
    in_flight: Option<u32>,
    /// InitProducerId or EndTxn, to send next (pendingRequests), not before `not_before`.
    next: Option<TxnCall>,
    not_before: u64,
    /// partitionsInTransaction, and newPartitionsInTransaction (bits by partition).
    added: u64,
    new_parts: u64,
    /// transactionStarted: a partition was added.
    started: bool,
    /// ABORTABLE_ERROR: a batch of the transaction failed, so it can only abort.
    abortable: bool,
    /// FATAL_ERROR: fenced; nothing more is sent.
    fatal: bool,
    /// The application's transaction, and how many of its messages it has sent.
    group: usize,
    sent: usize,
    /// By message: the requests its records were in before a restart (a redone send's
    /// attempts count on from them, as a restart's resend does).
    prior_sends: Vec<u32>,
}

impl Producer {
    /// Whether the producer has a `transactional.id`.
    pub(in crate::sim) fn transactional(&self) -> bool {
        self.txn.is_some()
    }

    /// KafkaProducer.initTransactions: the application's first call.
    pub(in crate::sim) fn txn_start(&mut self) {
        if let Some(t) = self.txn.as_mut() {
            t.resume = true;
            t.next = Some(TxnCall::InitProducerId);
        }
    }

    /// TransactionManager.isSendToPartitionAllowed: a transactional producer drains a
    /// partition only once it is in the transaction (and never after a fatal error).
    pub(in crate::sim) fn txn_allows(&self, p: usize) -> bool {
        self.txn
            .as_ref()
            .is_none_or(|t| !t.fatal && t.added >> p & 1 == 1)
    }

    /// TransactionManager.maybeAddPartition: a record for a partition not yet in the
    /// transaction adds it to the next AddPartitionsToTxn.
    pub(in crate::sim) fn txn_add_partition(&mut self, p: usize) {
        if let Some(t) = self.txn.as_mut() {
            if t.added >> p & 1 == 0 {
                t.new_parts |= 1 << p;
            }
        }
    }

    /// Sender.maybeSendAndPollTransactionalRequest: while a request to the coordinator is in
    /// flight the Sender sends nothing else; otherwise the next one goes (InitProducerId, then
    /// AddPartitionsToTxn, then EndTxn once no batch is incomplete). Returns whether produce
    /// data must wait.
    pub(in crate::sim) fn txn_send(&mut self, cx: &mut Ctx) -> bool {
        let Some(t) = self.txn.as_ref() else {
            return false;
        };
        if t.fatal || t.in_flight.is_some() {
            return true;
        }
        // TransactionManager.maybeTerminateRequestWithError: a commit waiting while a batch
        // failed fails with that error; the application catches it and aborts.
        if let (true, Some(TxnCall::EndTxn { txn, commit: true })) = (t.abortable, t.next) {
            let call = TxnCall::EndTxn { txn, commit: false };
            if let Some(t) = self.txn.as_mut() {
                t.next = Some(call);
                t.new_parts = 0;
            }
            cx.emit(EventKind::EndTxn { txn, commit: false });
        }
        let t = self.txn.as_ref().expect("transactional");
        if t.abortable || matches!(t.next, Some(TxnCall::EndTxn { commit: false, .. })) {
            self.abort_undrained(cx);
        }
        let incomplete =
            !self.in_flight_batches.is_empty() || self.deques.iter().any(|d| !d.is_empty());
        let Some(t) = self.txn.as_mut() else {
            return false;
        };
        if cx.now < t.not_before {
            // A retry's backoff: the Sender sleeps retry.backoff.ms before it.
            let at = t.not_before;
            self.wake(cx, at);
            return true;
        }
        // TransactionManager.nextRequest, by priority: InitProducerId, AddPartitionsToTxn, EndTxn.
        let call = match t.next {
            Some(TxnCall::InitProducerId) => TxnCall::InitProducerId,
            _ if t.new_parts != 0 && t.ready => TxnCall::AddPartitions {
                partitions: std::mem::take(&mut t.new_parts),
            },
            // Not until every batch is done (flushed).
            Some(TxnCall::EndTxn { .. }) if incomplete => return false,
            Some(call @ TxnCall::EndTxn { .. }) if t.started => call,
            Some(TxnCall::EndTxn { .. }) => {
                // No partition was added: the end is local (nextRequest, !transactionStarted).
                t.next = None;
                self.txn_completed(cx);
                return false;
            }
            _ => return false,
        };
        if !matches!(call, TxnCall::AddPartitions { .. }) {
            t.next = None;
        }
        let id = cx.txn_reqs.len() as u32;
        t.in_flight = Some(id);
        cx.txn_reqs.push(TxnReq {
            call,
            instance: t.instance,
            pid: self.pid,
            epoch: self.epoch,
            answer: None,
        });
        cx.emit(EventKind::TxnRequest { call });
        cx.at(cx.now + cx.s.network.latency_ms, Ev::TxnArrive(id));
        cx.at(cx.now + self.c.request_timeout_ms, Ev::TxnTimeout(id));
        true
    }

    /// The coordinator's answer to request `id` arrives.
    pub(in crate::sim) fn txn_answer(&mut self, cx: &mut Ctx, id: u32) {
        let r = cx.txn_reqs[id as usize];
        let Some((error, pid, epoch)) = r.answer else {
            return;
        };
        if !self.txn_settles(&r, id) {
            return;
        }
        cx.emit(EventKind::TxnResponse {
            call: r.call,
            error,
            pid,
            epoch,
        });
        match (r.call, error) {
            // TxnRequestHandler: PRODUCER_FENCED (or INVALID_PRODUCER_EPOCH) is fatal.
            (_, Some(KafkaError::ProducerFenced | KafkaError::InvalidProducerEpoch)) => {
                self.fenced(cx)
            }
            (TxnCall::InitProducerId, None) => {
                // InitProducerIdHandler: the id and epoch, sequences from 0.
                self.pid = pid;
                self.epoch = epoch;
                for part in self.parts.iter_mut() {
                    *part = super::Partition::new((pid, epoch));
                }
                self.epoch_bump_required = false;
                cx.emit(EventKind::InitProducerId { pid, epoch });
                let t = self.txn.as_mut().expect("transactional");
                t.ready = true;
                let resume = std::mem::take(&mut t.resume);
                // The application resumes after the last committed transaction (at start:
                // the first), or, after an abort's epoch bump, goes on with the next one.
                let g = if resume {
                    cx.input_committed
                } else {
                    t.group + 1
                };
                self.begin(cx, g as u32, cx.now);
            }
            (TxnCall::AddPartitions { partitions }, None) => {
                if let Some(t) = self.txn.as_mut() {
                    t.added |= partitions;
                    t.started = true;
                }
            }
            (TxnCall::EndTxn { .. }, None) => self.txn_completed(cx),
            // CONCURRENT_TRANSACTIONS and other retriable errors: the same request again
            // after retry.backoff.ms.
            (call, Some(_)) => self.txn_retry(cx, call),
        }
    }

    /// request.timeout.ms of request `id` to the coordinator passed with no answer: it is
    /// sent again after the backoff.
    pub(in crate::sim) fn txn_timeout(&mut self, cx: &mut Ctx, id: u32) {
        let r = cx.txn_reqs[id as usize];
        if !self.txn_settles(&r, id) {
            return;
        }
        cx.emit(EventKind::TxnResponse {
            call: r.call,
            error: Some(KafkaError::RequestTimedOut),
            pid: r.pid,
            epoch: r.epoch,
        });
        self.txn_retry(cx, r.call);
    }

    /// Whether request `id` is the one this process waits for (not an earlier process's, nor
    /// one already given up); if so, it waits no more.
    fn txn_settles(&mut self, r: &TxnReq, id: u32) -> bool {
        match self.txn.as_mut() {
            Some(t) if t.instance == r.instance && t.in_flight == Some(id) => {
                t.in_flight = None;
                true
            }
            _ => false,
        }
    }

    fn txn_retry(&mut self, cx: &mut Ctx, call: TxnCall) {
        let backoff = self.c.retry_backoff_ms;
        let Some(t) = self.txn.as_mut() else {
            return;
        };
        match call {
            TxnCall::AddPartitions { partitions } => t.new_parts |= partitions,
            _ => t.next = Some(call),
        }
        t.not_before = cx.now + backoff;
    }

    /// TransactionManager.completeTransaction: the transaction is over. After a failed batch
    /// (epochBumpRequired) the producer first bumps its epoch with InitProducerId (KIP-360);
    /// else the application begins the next transaction.
    fn txn_completed(&mut self, cx: &mut Ctx) {
        let bump = self.epoch_bump_required;
        let interval = cx.s.interval_ms;
        let Some(t) = self.txn.as_mut() else {
            return;
        };
        t.added = 0;
        t.new_parts = 0;
        t.started = false;
        t.abortable = false;
        if bump {
            t.ready = false;
            t.next = Some(TxnCall::InitProducerId);
        } else {
            let g = t.group as u32 + 1;
            self.begin(cx, g, cx.now + interval);
        }
    }

    /// The application begins transaction `g` at `at` (if there is one): beginTransaction,
    /// then its sends, `interval_ms` apart (after each result when `sync`).
    fn begin(&mut self, cx: &mut Ctx, g: u32, at: u64) {
        let instance = self.txn.as_ref().map_or(0, |t| t.instance);
        if at > cx.now {
            return cx.at(at, Ev::Begin(g, instance));
        }
        self.begin_now(cx, g, instance);
    }

    /// Transaction `g` begins, if the process `instance` still runs.
    pub(in crate::sim) fn begin_now(&mut self, cx: &mut Ctx, g: u32, instance: u32) {
        let Some(tx) = cx.s.transaction(g as usize) else {
            return;
        };
        let Some(t) = self.txn.as_mut() else {
            return;
        };
        if t.fatal || t.instance != instance {
            return;
        }
        t.group = g as usize;
        t.sent = 0;
        cx.emit(EventKind::BeginTxn { txn: g });
        let n = if cx.s.sync { 1 } else { tx.len };
        for i in 0..n {
            let at = cx.now + i as u64 * cx.s.interval_ms;
            cx.at(at, Ev::TxnSend(tx.first + i, t.instance));
        }
    }

    /// The application's `send()` of `msg`, if its process (`instance`) still runs.
    pub(in crate::sim) fn txn_produce(&mut self, cx: &mut Ctx, msg: usize, instance: u32) {
        if self
            .txn
            .as_ref()
            .is_some_and(|t| t.instance == instance && !t.fatal)
        {
            // A send redone after a restart: what the application hears is this one's result.
            self.told_failed[msg] = false;
            self.produce(cx, msg);
        }
    }

    /// After the application's send of `msg`: without `sync`, the last send of a transaction
    /// is followed by its end.
    pub(in crate::sim) fn txn_sent(&mut self, cx: &mut Ctx) {
        let sync = cx.s.sync;
        let Some(t) = self.txn.as_mut() else {
            return;
        };
        if t.fatal {
            return;
        }
        t.sent += 1;
        let len = cx.s.transaction(t.group).map_or(0, |tx| tx.len);
        if !sync && t.sent == len {
            self.txn_end(cx);
        }
    }

    /// With `sync`, the application's next step after `msg`'s result: the next send of the
    /// transaction, or its end after the last. Returns false when the producer is not
    /// transactional.
    pub(in crate::sim) fn txn_app_next(&mut self, cx: &mut Ctx, msg: usize) -> bool {
        let Some(t) = self.txn.as_ref() else {
            return false;
        };
        if !cx.s.sync || t.fatal {
            return true;
        }
        let Some(tx) = cx.s.transaction(t.group) else {
            return true;
        };
        if msg + 1 != tx.first + t.sent {
            // Not the send the application waits for (an earlier instance's).
            return true;
        }
        if t.sent < tx.len {
            cx.at(cx.now + cx.s.interval_ms, Ev::TxnSend(msg + 1, t.instance));
        } else {
            self.txn_end(cx);
        }
        true
    }

    /// KafkaProducer.commitTransaction / abortTransaction, as the transaction's `end` says.
    /// A commit after a failed send throws, and the application aborts instead.
    fn txn_end(&mut self, cx: &mut Ctx) {
        let Some(t) = self.txn.as_mut() else {
            return;
        };
        let g = t.group;
        let commit = match cx.s.transaction(g).map(|tx| tx.end) {
            Some(TxnEnd::Commit) => !t.abortable,
            Some(TxnEnd::Abort) => false,
            // The application stops; the coordinator aborts at transaction.timeout.ms.
            _ => return,
        };
        if !commit {
            // beginAbort: no new partitions are added.
            t.new_parts = 0;
        }
        t.next = Some(TxnCall::EndTxn {
            txn: g as u32,
            commit,
        });
        cx.emit(EventKind::EndTxn {
            txn: g as u32,
            commit,
        });
    }

    /// A batch of the transaction failed (TransactionManager.handleFailedBatch,
    /// maybeTransitionToErrorState): the transaction can only abort, and a failure before the
    /// application began to commit or abort asks for an epoch bump (KIP-360), made with
    /// InitProducerId once the transaction is over. A batch failing because the transaction
    /// aborts, or because the producer is fenced, asks for none.
    pub(in crate::sim) fn txn_failed_batch(&mut self, reason: FailReason) {
        let Some(t) = self.txn.as_mut() else {
            return;
        };
        t.abortable = true;
        let completing = matches!(t.next, Some(TxnCall::EndTxn { .. }));
        if !completing && !t.fatal && reason != FailReason::TransactionAborted {
            self.epoch_bump_required = true;
        }
    }

    /// RecordAccumulator.abortUndrainedBatches: while aborting, batches never drained (no
    /// sequence yet) fail with TransactionAbortedException.
    fn abort_undrained(&mut self, cx: &mut Ctx) {
        for p in 0..self.partitions() {
            let undrained: Vec<usize> = self.deques[p]
                .iter()
                .copied()
                .filter(|&b| self.batches[b].idem.is_none())
                .collect();
            if undrained.is_empty() {
                continue;
            }
            self.deques[p].retain(|&b| !undrained.contains(&b));
            for b in undrained {
                self.fail(cx, b, FailReason::TransactionAborted, false);
            }
        }
    }

    /// A fatal ProducerFencedException: every incomplete batch fails with it
    /// (RecordAccumulator.abortIncompleteBatches), and the application, told so by its next
    /// call, sends nothing more.
    fn fenced(&mut self, cx: &mut Ctx) {
        let Some(t) = self.txn.as_mut() else {
            return;
        };
        t.fatal = true;
        let (group, sent) = (t.group, t.sent);
        cx.emit(EventKind::ProducerFenced);
        for d in self.deques.iter_mut() {
            d.clear();
        }
        self.in_flight_batches.clear();
        for b in 0..self.batches.len() {
            if self.batches[b].state != State::Done {
                self.fail(cx, b, FailReason::Fatal(KafkaError::ProducerFenced), false);
            }
        }
        // The sends it will not make.
        let unsent =
            cx.s.transaction(group)
                .map_or(cx.s.messages.len(), |tx| tx.first + sent);
        for told in self.told_failed.iter_mut().skip(unsent) {
            *told = true;
        }
    }

    /// A restart: the new process calls initTransactions with the same `transactional.id`.
    pub(in crate::sim) fn txn_restart(&mut self, cx: &Ctx) -> bool {
        let Some(t) = self.txn.as_ref() else {
            return false;
        };
        let mut prior_sends = t.prior_sends.clone();
        prior_sends.resize(cx.s.messages.len(), 0);
        for (b, batch) in self.batches.iter().enumerate() {
            for &m in cx.batches.get(b) {
                prior_sends[m] = prior_sends[m].max(batch.sends);
            }
        }
        let instance = t.instance + 1;
        self.txn = Some(Txn {
            instance,
            prior_sends,
            ..Txn::default()
        });
        self.txn_start();
        true
    }

    /// The requests `msg`'s records were in before a restart.
    pub(in crate::sim) fn txn_prior_sends(&self, msg: usize) -> u32 {
        self.txn
            .as_ref()
            .and_then(|t| t.prior_sends.get(msg).copied())
            .unwrap_or(0)
    }
}
