//! What a run produced: every event with its time and actor, the partition log, each message's
//! outcome and the summary. The UI draws this; the CLI prints it as JSON.

use crate::config::ProducerConfig;

/// Producer id, epoch and sequence of an idempotent record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Idem {
    pub pid: u64,
    pub epoch: u16,
    pub seq: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    App,
    Producer,
    Network,
    Broker,
    /// The transaction coordinator (on the broker that leads the partitions, in the model).
    #[cfg(txn)]
    Coordinator,
}

impl Actor {
    pub fn as_str(self) -> &'static str {
        match self {
            Actor::App => "app",
            Actor::Producer => "producer",
            Actor::Network => "network",
            Actor::Broker => "broker",
            #[cfg(txn)]
            Actor::Coordinator => "coordinator",
        }
    }
}

/// Why a request or response did not arrive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Loss {
    /// A scripted `drop_request` / `drop_response` fault.
    Scripted,
    /// The scenario's random loss rate, drawn from its seed.
    Random,
    /// The broker was down (`broker_down`).
    BrokerDown,
}

impl Loss {
    pub fn as_str(self) -> &'static str {
        match self {
            Loss::Scripted => "scripted",
            Loss::Random => "random",
            Loss::BrokerDown => "broker_down",
        }
    }
}

/// Kafka's error codes that a produce can end with (`org.apache.kafka.common.protocol.Errors`),
/// with the exception the application's callback receives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum KafkaError {
    /// The producer's own: `request.timeout.ms` passed and the connection was closed
    /// (`Sender.handleProduceResponse`, `wasTimedOut`).
    RequestTimedOut,
    /// The producer's own: the connection was closed under the request (`wasDisconnected`).
    NetworkException,
    /// The in-sync replicas are fewer than `min.insync.replicas`; rejected before the append.
    NotEnoughReplicas,
    /// The batch failed its CRC or validation; rejected before the append.
    CorruptMessage,
    /// The broker is not the partition's leader (any more).
    NotLeaderOrFollower,
    /// The sequence is neither the next nor one of the last five batches.
    OutOfOrderSequenceNumber,
    /// A batch of an older producer epoch than the broker has seen.
    InvalidProducerEpoch,
    /// The coordinator: a newer instance with the same `transactional.id` (or a timed-out
    /// transaction's abort) bumped the epoch; fatal for this producer. (The transactional
    /// errors exist in builds with transactions, `cfg(txn)`.)
    #[cfg(txn)]
    ProducerFenced,
    /// The coordinator: the transaction is still completing; retried.
    #[cfg(txn)]
    ConcurrentTransactions,
    /// The partition is not in the producer's ongoing transaction (KIP-890's verification),
    /// or the transaction cannot end that way.
    #[cfg(txn)]
    InvalidTxnState,
}

impl KafkaError {
    /// The broker errors a scenario's `error_response` fault can script.
    pub const SCRIPTABLE: [KafkaError; 3] = [
        KafkaError::NotEnoughReplicas,
        KafkaError::CorruptMessage,
        KafkaError::NotLeaderOrFollower,
    ];

    pub fn code(self) -> &'static str {
        match self {
            KafkaError::RequestTimedOut => "REQUEST_TIMED_OUT",
            KafkaError::NetworkException => "NETWORK_EXCEPTION",
            KafkaError::NotEnoughReplicas => "NOT_ENOUGH_REPLICAS",
            KafkaError::CorruptMessage => "CORRUPT_MESSAGE",
            KafkaError::NotLeaderOrFollower => "NOT_LEADER_OR_FOLLOWER",
            KafkaError::OutOfOrderSequenceNumber => "OUT_OF_ORDER_SEQUENCE_NUMBER",
            KafkaError::InvalidProducerEpoch => "INVALID_PRODUCER_EPOCH",
            #[cfg(txn)]
            KafkaError::ProducerFenced => "PRODUCER_FENCED",
            #[cfg(txn)]
            KafkaError::ConcurrentTransactions => "CONCURRENT_TRANSACTIONS",
            #[cfg(txn)]
            KafkaError::InvalidTxnState => "INVALID_TXN_STATE",
        }
    }

    pub fn from_code(code: &str) -> Option<KafkaError> {
        [
            KafkaError::RequestTimedOut,
            KafkaError::NetworkException,
            KafkaError::NotEnoughReplicas,
            KafkaError::CorruptMessage,
            KafkaError::NotLeaderOrFollower,
            KafkaError::OutOfOrderSequenceNumber,
            KafkaError::InvalidProducerEpoch,
            #[cfg(txn)]
            KafkaError::ProducerFenced,
            #[cfg(txn)]
            KafkaError::ConcurrentTransactions,
            #[cfg(txn)]
            KafkaError::InvalidTxnState,
        ]
        .into_iter()
        .find(|e| e.code() == code)
    }

    /// The exception the application sees (`Errors.exception()`).
    pub fn exception(self) -> &'static str {
        match self {
            KafkaError::RequestTimedOut => "TimeoutException",
            KafkaError::NetworkException => "NetworkException",
            KafkaError::NotEnoughReplicas => "NotEnoughReplicasException",
            KafkaError::CorruptMessage => "CorruptRecordException",
            KafkaError::NotLeaderOrFollower => "NotLeaderOrFollowerException",
            KafkaError::OutOfOrderSequenceNumber => "OutOfOrderSequenceException",
            KafkaError::InvalidProducerEpoch => "InvalidProducerEpochException",
            #[cfg(txn)]
            KafkaError::ProducerFenced => "ProducerFencedException",
            #[cfg(txn)]
            KafkaError::ConcurrentTransactions => "ConcurrentTransactionsException",
            #[cfg(txn)]
            KafkaError::InvalidTxnState => "InvalidTxnStateException",
        }
    }

    /// Whether the exception is a `RetriableException` (the non-idempotent `Sender.canRetry`).
    /// OutOfOrderSequenceException and InvalidProducerEpochException are plain ApiExceptions.
    pub fn retriable(self) -> bool {
        #[cfg(txn)]
        if matches!(
            self,
            KafkaError::ProducerFenced | KafkaError::InvalidTxnState
        ) {
            return false;
        }
        !matches!(
            self,
            KafkaError::OutOfOrderSequenceNumber | KafkaError::InvalidProducerEpoch
        )
    }
}

/// What the broker answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// Stored at this offset.
    Stored { offset: u64 },
    /// A duplicate of a batch among the PID's last five: acknowledged with the original offset.
    Duplicate { offset: u64 },
    /// OUT_OF_ORDER_SEQUENCE_NUMBER: the sequence is neither next nor a recent duplicate.
    OutOfOrder { expected: u32 },
    /// INVALID_PRODUCER_EPOCH: an older epoch of a fenced producer.
    InvalidEpoch,
    /// Rejected before the append with a retriable broker error (NOT_ENOUGH_REPLICAS,
    /// CORRUPT_MESSAGE, NOT_LEADER_OR_FOLLOWER).
    Rejected(KafkaError),
}

impl Answer {
    pub fn is_ok(self) -> bool {
        matches!(self, Answer::Stored { .. } | Answer::Duplicate { .. })
    }

    /// The error, for an answer that is not a success.
    pub fn error(self) -> Option<KafkaError> {
        match self {
            Answer::Stored { .. } | Answer::Duplicate { .. } => None,
            Answer::OutOfOrder { .. } => Some(KafkaError::OutOfOrderSequenceNumber),
            Answer::InvalidEpoch => Some(KafkaError::InvalidProducerEpoch),
            Answer::Rejected(e) => Some(e),
        }
    }

    pub fn error_code(self) -> &'static str {
        self.error().map_or("NONE", KafkaError::code)
    }
}

/// Why the application was told a send failed, with the error that ended it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailReason {
    /// `retries` used up; the last attempt ended with this error.
    RetriesExhausted(KafkaError),
    /// `delivery.timeout.ms` passed since `send()`: `None` when the Sender expired the batch
    /// (a TimeoutException), or the error of an answer that came after the deadline.
    DeliveryTimeout(Option<KafkaError>),
    /// An error the producer does not retry.
    Fatal(KafkaError),
    /// The transaction is aborting and the batch was never sent
    /// (RecordAccumulator.abortUndrainedBatches): a TransactionAbortedException.
    #[cfg(txn)]
    TransactionAborted,
}

impl FailReason {
    /// The error that ended the batch, if an answer or a closed connection did.
    pub fn error(self) -> Option<KafkaError> {
        match self {
            FailReason::RetriesExhausted(e) | FailReason::Fatal(e) => Some(e),
            FailReason::DeliveryTimeout(e) => e,
            #[cfg(txn)]
            FailReason::TransactionAborted => None,
        }
    }

    /// The exception the application's callback receives.
    pub fn exception(self) -> &'static str {
        #[cfg(txn)]
        if self == FailReason::TransactionAborted {
            return "TransactionAbortedException";
        }
        self.error()
            .map_or("TimeoutException", KafkaError::exception)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    /// The application calls `send()`.
    Send {
        msg: usize,
    },
    /// The producer got its PID and epoch (InitProducerId).
    InitProducerId {
        pid: u64,
        epoch: u16,
    },
    /// The producer opens a connection to the partition's leader: at its first send, and at the
    /// first send after a connection was closed.
    Connect {
        conn: u32,
    },
    /// A Produce request leaves the producer on connection `conn`, carrying batch `batch`
    /// (`msg` is its first record; `Trace::batches` lists them all).
    Request {
        req: u32,
        batch: u32,
        msg: usize,
        attempt: u32,
        idem: Option<Idem>,
        conn: u32,
    },
    /// The request leaving at this moment also carries batch `batch`, of another partition
    /// (RecordAccumulator.drainBatchesForOneNode: one request takes a batch of each partition
    /// the broker leads). Follows the `Request` event.
    Carries {
        req: u32,
        batch: u32,
        msg: usize,
        attempt: u32,
        idem: Option<Idem>,
    },
    /// The request is stuck in its connection and never read by the broker: it is behind a lost
    /// request, or on a connection the broker stopped reading (a failure, a closed socket). The
    /// time is when it would have been read.
    RequestHeld {
        req: u32,
        /// The request where the stream broke: the lost one, or the one the broker failed on
        /// (was down for, or closed the connection after).
        behind: u32,
    },
    /// The request was lost on the way (the time is the point of loss).
    RequestLost {
        req: u32,
        cause: Loss,
    },
    /// The broker got the request but failed before storing it and never answers.
    BrokerFailed {
        req: u32,
    },
    /// The broker decided: stored, duplicate, or an error.
    Decided {
        req: u32,
        /// Which of the request's batches (one per partition).
        batch: u32,
        answer: Answer,
    },
    /// The response leaves the broker.
    Response {
        req: u32,
        answer: Answer,
    },
    /// The response was lost on the way (the time is the point of loss).
    ResponseLost {
        req: u32,
        cause: Loss,
    },
    /// The answer is stuck behind a lost answer on the same connection and never reaches the
    /// producer. The time is when it would have arrived.
    ResponseHeld {
        req: u32,
        /// The request whose answer was lost.
        behind: u32,
    },
    /// The response reached the producer; `stale` when the request was already given up.
    ResponseReceived {
        req: u32,
        stale: bool,
    },
    /// `request.timeout.ms` passed with no response; Kafka closes the connection.
    RequestTimeout {
        req: u32,
    },
    /// Another in-flight request failed because its connection was closed.
    Disconnected {
        req: u32,
    },
    /// The broker closed the connection (an acks=0 produce that failed); the producer notices.
    ConnectionClosed {
        conn: u32,
    },
    /// The batch (its first record: `msg`) goes back to the accumulator and will be retried
    /// at `at_ms`.
    RetryScheduled {
        batch: u32,
        msg: usize,
        attempt: u32,
        at_ms: u64,
    },
    /// The application's callback: success (with the offset, unless acks=0).
    Acked {
        msg: usize,
        offset: Option<u64>,
    },
    /// The application's callback: failure.
    Failed {
        msg: usize,
        reason: FailReason,
    },
    /// The record at `offset` is committed: every in-sync replica has it (the high watermark
    /// passed it). With one follower, when the follower has copied it.
    Replicated {
        offset: u64,
    },
    /// A follower's broker stopped (`replica_down`), or came back.
    ReplicaDown {
        replica: u32,
    },
    ReplicaUp {
        replica: u32,
    },
    /// The ISR lost a follower: the controller fenced its stopped broker (`fenced`), or it
    /// stayed behind for longer than replica.lag.time.max.ms.
    IsrShrunk {
        replica: u32,
        fenced: bool,
    },
    /// A follower caught up with the high watermark and is in sync again.
    IsrExpanded {
        replica: u32,
    },
    /// After the leader failed, the controller's choice: a replica of the ISR, one outside it
    /// (`unclean`), or none (the partition is offline).
    LeaderElected {
        replica: Option<u32>,
        unclean: bool,
    },
    BrokerDown,
    BrokerUp,
    /// A follower became leader; records from `from_offset` on were not replicated and are gone.
    LeaderFailover {
        from_offset: u64,
        truncated: u32,
    },
    /// The producer restarted: a new session with a new PID resends what was not acknowledged.
    ProducerRestart,
    /// The idempotent producer bumped its epoch after a failed batch and renumbers from 0.
    EpochBumped {
        epoch: u16,
    },
    /// A batch expired after it had been sent: whether the broker stored it is unknown, so no
    /// new sequence is given out until what is in flight settles; `next_seq` follows it.
    SequenceUnresolved {
        next_seq: u32,
    },
    /// Nothing is in flight any more: the sequences met (`gap` false), or an expired batch
    /// left a gap and the epoch is bumped (`gap` true).
    SequencesResolved {
        gap: bool,
    },
    /// The application calls `beginTransaction()` for transaction `txn` (its place in the
    /// scenario's `transactions`).
    #[cfg(txn)]
    BeginTxn {
        txn: u32,
    },
    /// The application calls `commitTransaction()` (`commit`) or `abortTransaction()`.
    #[cfg(txn)]
    EndTxn {
        txn: u32,
        commit: bool,
    },
    /// The producer sends a request to the transaction coordinator.
    #[cfg(txn)]
    TxnRequest {
        call: TxnCall,
    },
    /// The coordinator's answer reaches the producer (`error` none: done), with the producer
    /// id and epoch it now holds.
    #[cfg(txn)]
    TxnResponse {
        call: TxnCall,
        error: Option<KafkaError>,
        pid: u64,
        epoch: u16,
    },
    /// The coordinator moves the transactional id's transaction to `state`, at `epoch`.
    #[cfg(txn)]
    TxnState {
        state: TxnState,
        epoch: u16,
        cause: TxnCause,
    },
    /// A transaction marker (a control record) is written to `partition` at `offset`.
    #[cfg(txn)]
    Marker {
        partition: u32,
        offset: u64,
        commit: bool,
        pid: u64,
        epoch: u16,
    },
    /// The producer is fenced: a fatal error; it sends nothing more.
    #[cfg(txn)]
    ProducerFenced,
}

/// A request of the producer's TransactionManager to the transaction coordinator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TxnCall {
    /// InitProducerId for the `transactional.id` (`initTransactions()`).
    InitProducerId,
    /// AddPartitionsToTxn: the partitions (a bit each) the transaction writes to next.
    AddPartitions { partitions: u64 },
    /// EndTxn for transaction `txn` (the application's numbering).
    EndTxn { txn: u32, commit: bool },
}

impl TxnCall {
    pub fn name(self) -> &'static str {
        match self {
            TxnCall::InitProducerId => "init_producer_id",
            TxnCall::AddPartitions { .. } => "add_partitions_to_txn",
            TxnCall::EndTxn { .. } => "end_txn",
        }
    }
}

/// The coordinator's transaction states (TransactionState), as far as the model reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TxnState {
    Ongoing,
    PrepareCommit,
    PrepareAbort,
    CompleteCommit,
    CompleteAbort,
}

impl TxnState {
    pub fn name(self) -> &'static str {
        match self {
            TxnState::Ongoing => "ongoing",
            TxnState::PrepareCommit => "prepare_commit",
            TxnState::PrepareAbort => "prepare_abort",
            TxnState::CompleteCommit => "complete_commit",
            TxnState::CompleteAbort => "complete_abort",
        }
    }
}

/// Why the coordinator moved a transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TxnCause {
    /// The producer asked (AddPartitionsToTxn, EndTxn).
    Client,
    /// A new instance with the same `transactional.id` called initTransactions: the epoch is
    /// bumped and the open transaction aborted (prepareFenceProducerEpoch).
    Fence,
    /// The transaction stayed open longer than `transaction.timeout.ms`.
    Timeout,
}

impl TxnCause {
    pub fn name(self) -> &'static str {
        match self {
            TxnCause::Client => "client",
            TxnCause::Fence => "fence",
            TxnCause::Timeout => "timeout",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Event {
    pub t_ms: u64,
    pub kind: EventKind,
}

impl Event {
    pub fn actor(&self) -> Actor {
        match self.kind {
            EventKind::Send { .. } | EventKind::Acked { .. } | EventKind::Failed { .. } => {
                Actor::App
            }
            EventKind::RequestLost { .. }
            | EventKind::ResponseLost { .. }
            | EventKind::RequestHeld { .. }
            | EventKind::ResponseHeld { .. } => Actor::Network,
            EventKind::BrokerFailed { .. }
            | EventKind::Decided { .. }
            | EventKind::Response { .. }
            | EventKind::Replicated { .. }
            | EventKind::BrokerDown
            | EventKind::BrokerUp
            | EventKind::LeaderFailover { .. }
            | EventKind::ReplicaDown { .. }
            | EventKind::ReplicaUp { .. }
            | EventKind::IsrShrunk { .. }
            | EventKind::IsrExpanded { .. }
            | EventKind::LeaderElected { .. } => Actor::Broker,
            #[cfg(txn)]
            EventKind::Marker { .. } => Actor::Broker,
            #[cfg(txn)]
            EventKind::BeginTxn { .. } | EventKind::EndTxn { .. } => Actor::App,
            #[cfg(txn)]
            EventKind::TxnState { .. } => Actor::Coordinator,
            _ => Actor::Producer,
        }
    }

    /// The request this event belongs to, if any.
    pub fn req(&self) -> Option<u32> {
        match self.kind {
            EventKind::Request { req, .. }
            | EventKind::Carries { req, .. }
            | EventKind::RequestLost { req, .. }
            | EventKind::RequestHeld { req, .. }
            | EventKind::ResponseHeld { req, .. }
            | EventKind::BrokerFailed { req }
            | EventKind::Decided { req, .. }
            | EventKind::Response { req, .. }
            | EventKind::ResponseLost { req, .. }
            | EventKind::ResponseReceived { req, .. }
            | EventKind::RequestTimeout { req }
            | EventKind::Disconnected { req } => Some(req),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogRecord {
    /// Its partition; offsets count within it.
    pub partition: u32,
    pub offset: u64,
    pub msg: usize,
    pub attempt: u32,
    pub idem: Option<Idem>,
    pub t_ms: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Stored exactly once and not reported failed.
    Delivered,
    /// Stored more than once.
    Duplicated,
    /// Not stored, and the application was never told.
    Lost,
    /// The application was told the send failed (whether or not a copy was stored).
    Failed,
    /// Stored only in transactions that aborted (or never ended): a read_committed consumer
    /// never reads it.
    #[cfg(txn)]
    Aborted,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Delivered => "delivered",
            Outcome::Duplicated => "duplicated",
            Outcome::Lost => "lost",
            Outcome::Failed => "failed",
            #[cfg(txn)]
            Outcome::Aborted => "aborted",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Summary {
    pub messages: u32,
    /// Records in the log.
    pub stored: u32,
    /// Extra copies: records beyond the first of each message.
    pub duplicates: u32,
    pub lost: u32,
    pub failed: u32,
    /// Messages whose first copy landed after a copy of a message sent later.
    pub reordered: u32,
    /// Messages stored only in aborted transactions.
    #[cfg(txn)]
    pub aborted: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Trace {
    pub messages: Vec<String>,
    pub config: ProducerConfig,
    pub notes: Vec<crate::config::Note>,
    pub events: Vec<Event>,
    pub log: Vec<LogRecord>,
    pub outcomes: Vec<Outcome>,
    /// How many copies of each message the log holds.
    pub copies: Vec<u32>,
    pub summary: Summary,
    /// Each ProducerBatch's records, by the batch id that `Request` and `RetryScheduled`
    /// events carry.
    pub batches: Batches,
    /// The topic's partitions (`topic.partitions`).
    pub partitions: u32,
    /// The transaction markers (control records) in the partitions, in the order written.
    /// Offsets in `log` skip the ones they hold. (Builds with transactions: `cfg(txn)`.)
    #[cfg(txn)]
    pub markers: Vec<Marker>,
    /// What consumers of the topic read at the end, for a transactional run.
    #[cfg(txn)]
    pub consumers: Option<Consumers>,
}

/// A transaction marker in a partition's log (`EndTransactionMarker`, a control batch).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Marker {
    pub partition: u32,
    pub offset: u64,
    pub commit: bool,
    pub pid: u64,
    pub epoch: u16,
    pub t_ms: u64,
}

/// The records a consumer of the whole topic reads (messages, partition by partition, each
/// in offset order) with each `isolation.level`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Consumers {
    /// Every data record below the high watermark; markers skipped.
    pub read_uncommitted: Vec<usize>,
    /// Below the last stable offset, without the records of aborted transactions.
    pub read_committed: Vec<usize>,
}

/// Every ProducerBatch: its records (message indexes, in send order) and its partition. A
/// record joins the last batch of its partition's deque, which need not be the newest batch
/// of all when the topic has more than one partition.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Batches {
    records: Vec<Vec<usize>>,
    partitions: Vec<u32>,
}

impl Batches {
    pub fn with_capacity(n: usize) -> Batches {
        Batches {
            records: Vec::with_capacity(n),
            partitions: Vec::with_capacity(if crate::sim::PARTITIONS { n } else { 0 }),
        }
    }

    /// A new batch of `partition` holding `msg`; its id is the number of batches before it.
    pub fn open(&mut self, msg: usize, partition: u32) {
        self.records.push(vec![msg]);
        // (One partition without PARTITIONS: `partition` is 0.)
        if crate::sim::PARTITIONS {
            self.partitions.push(partition);
        }
    }

    /// `msg` joins batch `b`.
    pub fn join(&mut self, b: usize, msg: usize) {
        self.records[b].push(msg);
    }

    /// Batch `b`'s records (none for an unknown id).
    pub fn get(&self, b: usize) -> &[usize] {
        self.records.get(b).map_or(&[], |r| r.as_slice())
    }

    /// Batch `b`'s partition.
    pub fn partition(&self, b: usize) -> u32 {
        self.partitions.get(b).copied().unwrap_or(0)
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &[usize]> {
        self.records.iter().map(|r| r.as_slice())
    }
}

#[cfg(txn)]
impl Trace {
    /// The marker that ends a stored record's transaction (its index in `markers`): the first
    /// marker of its producer id after it in its partition (`ProducerStateManager`: a marker
    /// completes the producer's open transaction). None: still open, or no transaction.
    pub fn ended_by(&self, r: &LogRecord) -> Option<usize> {
        let id = r.idem?;
        // Markers are appended in time order, which within a partition is offset order (each
        // takes its partition's next offset, as `UnifiedLog.appendAsLeader` assigns it to a
        // marker batch as to any other): the first one of the record's partition and
        // producer id after it is the one. With one partition, where to start looking is found
        // by halving: a view of 1,000 transactions asked this of every record, and a scan of
        // every marker each time cost 5 ms a change.
        let from = if self.partitions <= 1 {
            self.markers.partition_point(|m| m.offset <= r.offset)
        } else {
            0
        };
        let after = self.markers.get(from..)?;
        let k = after
            .iter()
            .position(|m| m.partition == r.partition && m.pid == id.pid && m.offset > r.offset)?;
        Some(from + k)
    }

    /// The abort marker of a record's transaction, if it aborted: a read_committed consumer
    /// skips such a batch (`CompletedFetch.isBatchAborted`, until `containsAbortMarker`).
    pub fn aborted_by(&self, r: &LogRecord) -> Option<usize> {
        self.ended_by(r).filter(|&k| !self.markers[k].commit)
    }
}

impl Trace {
    /// The log as message names, in offset order.
    pub fn log_names(&self) -> Vec<&str> {
        self.log
            .iter()
            .map(|r| self.messages[r.msg].as_str())
            .collect()
    }

    /// The time of the last event.
    pub fn end_ms(&self) -> u64 {
        self.events.last().map_or(0, |e| e.t_ms)
    }

    /// The result in the CLI's JSON format (docs/format.md).
    pub fn to_json(&self) -> String {
        crate::json::to_string(&crate::json::TraceJson::of(self))
    }
}

pub fn event_type(k: &EventKind) -> &'static str {
    match k {
        EventKind::Send { .. } => "send",
        EventKind::InitProducerId { .. } => "init_producer_id",
        EventKind::Connect { .. } => "connect",
        EventKind::Request { .. } => "request",
        EventKind::Carries { .. } => "carries",
        EventKind::RequestHeld { .. } => "request_held",
        EventKind::ResponseHeld { .. } => "response_held",
        EventKind::ConnectionClosed { .. } => "connection_closed",
        EventKind::RequestLost { .. } => "request_lost",
        EventKind::BrokerFailed { .. } => "broker_failed",
        EventKind::Decided { answer, .. } => match answer {
            Answer::Stored { .. } => "stored",
            Answer::Duplicate { .. } => "duplicate_not_stored",
            _ => "rejected",
        },
        EventKind::Response { .. } => "response",
        EventKind::ResponseLost { .. } => "response_lost",
        EventKind::ResponseReceived { .. } => "response_received",
        EventKind::RequestTimeout { .. } => "request_timeout",
        EventKind::Disconnected { .. } => "disconnected",
        EventKind::RetryScheduled { .. } => "retry_scheduled",
        EventKind::Acked { .. } => "acked",
        EventKind::Failed { .. } => "failed",
        EventKind::Replicated { .. } => "replicated",
        EventKind::BrokerDown => "broker_down",
        EventKind::BrokerUp => "broker_up",
        EventKind::LeaderFailover { .. } => "leader_failover",
        EventKind::ProducerRestart => "producer_restart",
        EventKind::EpochBumped { .. } => "epoch_bumped",
        EventKind::ReplicaDown { .. } => "replica_down",
        EventKind::ReplicaUp { .. } => "replica_up",
        EventKind::IsrShrunk { .. } => "isr_shrunk",
        EventKind::IsrExpanded { .. } => "isr_expanded",
        EventKind::LeaderElected { .. } => "leader_elected",
        EventKind::SequenceUnresolved { .. } => "sequence_unresolved",
        EventKind::SequencesResolved { .. } => "sequences_resolved",
        #[cfg(txn)]
        EventKind::BeginTxn { .. } => "begin_transaction",
        #[cfg(txn)]
        EventKind::EndTxn { commit: true, .. } => "commit_transaction",
        #[cfg(txn)]
        EventKind::EndTxn { commit: false, .. } => "abort_transaction",
        #[cfg(txn)]
        EventKind::TxnRequest { .. } => "txn_request",
        #[cfg(txn)]
        EventKind::TxnResponse { .. } => "txn_response",
        #[cfg(txn)]
        EventKind::TxnState { .. } => "txn_state",
        #[cfg(txn)]
        EventKind::Marker { .. } => "marker",
        #[cfg(txn)]
        EventKind::ProducerFenced => "producer_fenced",
    }
}
