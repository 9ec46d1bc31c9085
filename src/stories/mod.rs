//! The stories: each a scenario, its lanes and settings, and its narrated steps, each found
//! in its lane's trace (`locate`). The words for every event, in the event log and the narration
//! of a free run, are `narration`'s.

use crate::i18n::Lang;
use delivery_sim::scenario::{Fault, Scenario};
use delivery_sim::{Answer, EventKind, Preset, Settings, Trace};

mod locate;
mod steps;
#[cfg(test)]
mod tests;
pub use locate::*;
use steps::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Story {
    SideBySide,
    AtLeastOnce,
    AtMostOnce,
    Idempotent,
    /// acks=all against replicas: min.insync.replicas, and what an election keeps. Not on the
    /// embed page, whose engine has one broker (its link opens in the app).
    #[cfg(not(feature = "embed"))]
    Replicas,
    /// linger.ms: three sends a moment apart as one batch or three requests, and what that does
    /// to the reorder lesson. Not on the embed page, which sends one record at a time.
    #[cfg(not(feature = "embed"))]
    Batches,
    /// Transactions: a crash before the commit, a restart with the same `transactional.id`, the
    /// zombie fenced and its transaction aborted, against the idempotent lane's duplicate.
    #[cfg(txn)]
    Transactions,
    /// Keys and partitions: order is kept per partition, by key, and only with idempotence.
    /// On the workshop page (feature `partitions`); the app and the embed page open its link
    /// there.
    #[cfg(feature = "partitions")]
    Partitions,
}

/// What a story step points at in its lane's trace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Find {
    Request(&'static str, u32),
    Stored(&'static str, u32),
    Dedup(&'static str, u32),
    ResponseLost(&'static str, u32),
    BrokerFailed(&'static str, u32),
    // The replicas story's (not on the embed page, which does not tell it):
    /// The leader refused this attempt before writing it: NOT_ENOUGH_REPLICAS.
    #[cfg(not(feature = "embed"))]
    Refused(&'static str, u32),
    /// The application was told the message failed.
    #[cfg(not(feature = "embed"))]
    Failed(&'static str),
    /// A follower's broker stopped.
    #[cfg(not(feature = "embed"))]
    ReplicaDown(u32),
    /// A follower left the ISR.
    #[cfg(not(feature = "embed"))]
    IsrOut(u32),
    /// The controller elected a leader (or found none).
    #[cfg(not(feature = "embed"))]
    Elected,
    /// A step about another lane than the story's own.
    #[cfg(not(feature = "embed"))]
    InLane(usize, &'static Find),
    /// The `n`th (from 1) producer id given, producer restart, or transaction marker.
    #[cfg(txn)]
    Epoch(usize),
    #[cfg(txn)]
    Restart(usize),
    #[cfg(txn)]
    Marker(usize),
}

impl Find {
    /// Whether the step is about the response (the ACK) rather than the request.
    pub fn is_response(self) -> bool {
        matches!(self, Find::ResponseLost(..))
    }

    /// The lane the step is about (the story's own unless it says), and what to find there.
    pub fn lane(self, story_lane: usize) -> (usize, Find) {
        match self {
            #[cfg(not(feature = "embed"))]
            Find::InLane(lane, find) => (lane, *find),
            f => (story_lane, f),
        }
    }
}

pub struct StoryStep {
    pub en: &'static str,
    pub ko: &'static str,
    pub find: Find,
}

impl StoryStep {
    pub fn text(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            Lang::Ko => self.ko,
        }
    }
}

impl Story {
    /// Every story, in the story menu's order (the embed page tells the first four).
    pub const ALL: &'static [Story] = &[
        Story::SideBySide,
        Story::AtLeastOnce,
        Story::AtMostOnce,
        Story::Idempotent,
        #[cfg(not(feature = "embed"))]
        Story::Replicas,
        #[cfg(not(feature = "embed"))]
        Story::Batches,
        #[cfg(txn)]
        Story::Transactions,
        #[cfg(feature = "partitions")]
        Story::Partitions,
    ];

    /// The replicas story's code: the embed page does not tell it, and opens its link in the
    /// app.
    pub const REPLICAS: &'static str = "4";
    /// The batches story's code, likewise.
    pub const BATCHES: &'static str = "5";
    /// The transactions story's code, likewise (the embed page's engine has none).
    pub const TRANSACTIONS: &'static str = "6";
    /// The partitions story's code: only the workshop page tells it (`url::needs_workshop`).
    pub const PARTITIONS: &'static str = "7";

    pub fn code(self) -> &'static str {
        match self {
            Story::SideBySide => "side",
            Story::AtLeastOnce => "1",
            Story::AtMostOnce => "2",
            Story::Idempotent => "3",
            #[cfg(not(feature = "embed"))]
            Story::Replicas => Story::REPLICAS,
            #[cfg(not(feature = "embed"))]
            Story::Batches => Story::BATCHES,
            #[cfg(txn)]
            Story::Transactions => Story::TRANSACTIONS,
            #[cfg(feature = "partitions")]
            Story::Partitions => Story::PARTITIONS,
        }
    }

    pub fn from_code(code: &str) -> Option<Story> {
        Story::ALL.iter().copied().find(|s| s.code() == code)
    }

    /// The lane whose preset the story is about.
    pub fn lane(self) -> Option<usize> {
        match self {
            Story::SideBySide => None,
            Story::AtMostOnce => Some(0),
            Story::AtLeastOnce => Some(1),
            Story::Idempotent => Some(2),
            #[cfg(not(feature = "embed"))]
            Story::Replicas | Story::Batches => Some(1),
            #[cfg(feature = "partitions")]
            Story::Partitions => Some(1),
            #[cfg(txn)]
            Story::Transactions => Some(3),
        }
    }

    /// The lanes the story shows: the seed's three, or the idempotent and the transactional
    /// lane side by side.
    pub fn visible(self) -> Vec<usize> {
        #[cfg(txn)]
        if self == Story::Transactions {
            return vec![2, 3];
        }
        #[cfg(feature = "partitions")]
        if self == Story::Partitions {
            return vec![1, 2];
        }
        vec![0, 1, 2]
    }

    /// A lane's producer settings in the story: its preset's, except where the story says.
    /// The replicas story compares acks=1 with acks=all, so its first lane has acks=1 (and,
    /// as at-most-once, no retries); the batches story's at-least-once lane has linger.ms 0,
    /// Kafka's default before 4.0.
    pub fn settings(self, preset: Preset) -> Settings {
        #[cfg_attr(feature = "embed", allow(unused_mut))]
        let mut s = preset.settings();
        #[cfg(not(feature = "embed"))]
        match (self, preset) {
            (Story::Replicas, Preset::AtMostOnce) => s.set("acks", "1"),
            (Story::Batches, Preset::AtLeastOnce) => s.set("linger.ms", "0"),
            _ => {}
        }
        s
    }

    /// Where playback starts: a story at its first step, a free run showing its whole result.
    pub fn first_step(self) -> usize {
        match self {
            Story::SideBySide => usize::MAX,
            _ => 0,
        }
    }

    pub fn scenario(self) -> Scenario {
        #[cfg(not(feature = "embed"))]
        if self == Story::Replicas {
            return replicas_scenario();
        }
        #[cfg(txn)]
        if self == Story::Transactions {
            return transactions_scenario();
        }
        #[cfg(feature = "partitions")]
        if self == Story::Partitions {
            return partitions_scenario();
        }
        let mut s = Scenario::new(&["A", "B", "C"], Preset::ExactlyOnce);
        #[cfg(not(feature = "embed"))]
        if self == Story::Batches {
            // A, B and C sent at once; B's first request is lost.
            s.sync = false;
        }
        s.faults = match self {
            Story::SideBySide => vec![
                Fault::DropRequest { msg: 1, attempt: 1 },
                Fault::DropResponse { msg: 1, attempt: 2 },
            ],
            Story::AtLeastOnce | Story::Idempotent => {
                vec![Fault::DropResponse { msg: 1, attempt: 1 }]
            }
            Story::AtMostOnce => vec![Fault::BrokerFail { msg: 1, attempt: 1 }],
            #[cfg(not(feature = "embed"))]
            Story::Batches => vec![Fault::DropRequest { msg: 1, attempt: 1 }],
            #[cfg(not(feature = "embed"))]
            Story::Replicas => Vec::new(),
            #[cfg(txn)]
            Story::Transactions => Vec::new(),
            #[cfg(feature = "partitions")]
            Story::Partitions => Vec::new(),
        };
        if self == Story::AtMostOnce {
            // acks=0 never waits, so A, B and C would leave at once; 20 ms apart the seed's
            // steps read one after another.
            s.interval_ms = 20;
        }
        s
    }

    pub fn steps(self) -> &'static [StoryStep] {
        match self {
            Story::SideBySide => &[],
            Story::AtLeastOnce => &STORY_1,
            Story::AtMostOnce => &STORY_2,
            Story::Idempotent => &STORY_3,
            #[cfg(not(feature = "embed"))]
            Story::Replicas => &STORY_4,
            #[cfg(not(feature = "embed"))]
            Story::Batches => &STORY_5,
            #[cfg(txn)]
            Story::Transactions => &STORY_6,
            #[cfg(feature = "partitions")]
            Story::Partitions => &STORY_7,
        }
    }
}
