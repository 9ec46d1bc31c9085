//! Trace → positioned shapes. Pure: used by the on-screen SVG and by SVG export, tested natively.
//!
//! Time runs downward on one axis shared by every lane, so the same moment lines up across lanes.
//! Short gaps keep their proportions (arrow slope shows latency); long waits are compressed to a
//! fixed height and labelled with their length.

use delivery_sim::{Answer, EventKind, KafkaError, Loss, Trace};

mod axis;
mod place;
#[cfg(test)]
mod tests;
pub use axis::*;
pub use place::*;

/// Lines of marks one moment may stack on a side: a batch of many records acknowledged at once
/// shows its first results and counts the rest on the last line ("… +315"), rather than a
/// column of hundreds that the page would lay out on every change. (The embed page's batches
/// hold one record, and its sends wait for each result: it stacks a few.)
#[cfg(not(feature = "embed"))]
pub const MAX_STACK: usize = 4;

/// The drawing's width: the lifelines, and room to their right for the broker's marks
/// ("≡ dup → off 1012" is about 90 units).
pub const WIDTH: f64 = 360.0;
pub const PRODUCER_X: f64 = 78.0;
pub const BROKER_X: f64 = 262.0;
pub const TOP: f64 = 30.0;
const SLOT_H: f64 = 14.0;
const PX_PER_MS: f64 = 1.8;
const MIN_GAP: f64 = 10.0;
const MAX_GAP: f64 = 36.0;
/// Gaps longer than this are drawn compressed, with their length written on them.
pub const BREAK_MS: u64 = 400;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArrowKind {
    Request,
    Response,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Arrow {
    pub kind: ArrowKind,
    pub req: u32,
    /// A request's batch (`Diagram::batches`); its first record is `msg`.
    pub batch: u32,
    pub msg: usize,
    pub attempt: u32,
    pub t0: u64,
    pub t1: u64,
    pub x1: f64,
    pub y1: f64,
    pub x2: f64,
    pub y2: f64,
    /// Lost on the way: drawn ending in a cross.
    pub lost: Option<Loss>,
    /// A response the producer had already given up on.
    pub stale: bool,
    /// Held in its connection behind a lost packet (or on a connection the broker stopped
    /// reading): it never arrives, drawn stopping short of the lifeline.
    pub held: bool,
    /// An error answer (OUT_OF_ORDER_SEQUENCE_NUMBER and the like).
    pub error: Option<&'static str>,
    /// A request's PID, epoch and sequence, when idempotent.
    pub idem: Option<delivery_sim::Idem>,
    /// The offset a response acknowledges.
    pub offset: Option<u64>,
}

impl Arrow {
    /// An arrow leaving `x1` at time `t` towards `x2`, its end not yet known (the events that
    /// follow say where and how it ends).
    fn leaving(
        kind: ArrowKind,
        req: u32,
        (msg, attempt): (usize, u32),
        t: u64,
        x1: f64,
        x2: f64,
        y: f64,
    ) -> Arrow {
        Arrow {
            kind,
            req,
            batch: u32::MAX,
            msg,
            attempt,
            t0: t,
            t1: t,
            x1,
            y1: y,
            x2,
            y2: y,
            lost: None,
            stale: false,
            held: false,
            error: None,
            idem: None,
            offset: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkKind {
    Stored,
    /// Stored again: a duplicate in the log.
    StoredAgain,
    /// The broker recognised a duplicate and did not store it.
    Deduplicated,
    /// Turned down; `n` is the error's place in `REJECTIONS`.
    Rejected,
    BrokerFailed,
    Timeout,
    Retry,
    Acked,
    Failed,
    Restart,
    #[cfg(not(feature = "embed"))]
    Failover,
    BrokerDown,
    BrokerUp,
    /// The broker closed the connection (acks=0 error) and the producer noticed.
    Closed,
    /// A follower (`n`) stops, or is back. (Replica marks are not on the embed page, whose
    /// engine has one broker.)
    #[cfg(not(feature = "embed"))]
    ReplicaDown,
    #[cfg(not(feature = "embed"))]
    ReplicaUp,
    /// A follower (`n`) leaves the ISR, or joins it again.
    #[cfg(not(feature = "embed"))]
    IsrOut,
    #[cfg(not(feature = "embed"))]
    IsrIn,
    /// The controller elects replica `n` leader (`n` = `NO_LEADER`: none, offline; `msg` set:
    /// an unclean election).
    #[cfg(not(feature = "embed"))]
    Elected,
    /// The application begins transaction `n` (from 1), or commits or aborts it.
    #[cfg(txn)]
    TxnBegin,
    #[cfg(txn)]
    TxnCommit,
    #[cfg(txn)]
    TxnAbort,
    /// The coordinator's marker at offset `n`: commit (`msg` set) or abort.
    #[cfg(txn)]
    Marker,
    /// The producer is fenced: it sends nothing more.
    #[cfg(txn)]
    Fenced,
}

/// `Mark::n` of an election that found no leader.
#[cfg(not(feature = "embed"))]
pub const NO_LEADER: u64 = u64::MAX;

/// The errors a broker mark can show, in `Mark::n`'s numbering.
pub const REJECTIONS: [KafkaError; 5] = [
    KafkaError::OutOfOrderSequenceNumber,
    KafkaError::NotEnoughReplicas,
    KafkaError::CorruptMessage,
    KafkaError::NotLeaderOrFollower,
    KafkaError::InvalidProducerEpoch,
];

#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    pub kind: MarkKind,
    pub t: u64,
    pub x: f64,
    pub y: f64,
    pub req: Option<u32>,
    pub msg: Option<usize>,
    /// The offset stored or acknowledged, or the attempt a retry will be. (Words are made when
    /// drawn, for the few marks in view: a 1,000-message run has thousands.)
    pub n: u64,
    /// The partition a broker's decision is about, on a topic of several; else `NO_PART`.
    pub part: u32,
}

pub const NO_PART: u32 = u32::MAX;

impl Mark {
    /// A mark at `x` in the first slot of time `t`, about no request or message (the fields
    /// that say more are set by who makes it).
    fn at(kind: MarkKind, t: u64, x: f64, axis: &Axis) -> Mark {
        Mark {
            part: NO_PART,
            kind,
            t,
            x,
            y: axis.y(t, 0),
            req: None,
            msg: None,
            n: 0,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Diagram {
    pub arrows: Vec<Arrow>,
    pub marks: Vec<Mark>,
    /// Each batch's records, by batch id (the trace's).
    pub batches: delivery_sim::trace::Batches,
    /// The batches of other partitions a request carries (`EventKind::Carries`): request,
    /// batch.
    #[cfg(feature = "partitions")]
    pub carried: Vec<(u32, u32)>,
    /// The transactional producer's requests to the coordinator and its answers.
    #[cfg(txn)]
    pub calls: Vec<Call>,
}

/// A request to the transaction coordinator, or its answer: drawn thin and dashed, not
/// clickable (the network faults name produce requests). The model has one broker, which is
/// the coordinator too; in Kafka the coordinator is the leader of the transactional id's
/// `__transaction_state` partition (`TransactionStateManager.partitionFor`), often another.
#[cfg(txn)]
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    /// Towards the coordinator.
    pub request: bool,
    pub t0: u64,
    pub t1: u64,
    pub y1: f64,
    pub y2: f64,
    /// "AddPartitionsToTxn", "EndTxn ✓"; an answer's error code, or the producer id and epoch.
    pub label: String,
    pub error: bool,
}
