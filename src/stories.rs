//! The stories: each a scenario, its lanes and settings, and its narrated steps, each found
//! in its lane's trace (`locate`). The words for every event, in the event log and the narration
//! of a free run, are `narration`'s.

use crate::i18n::Lang;
use delivery_sim::scenario::{Fault, Scenario};
use delivery_sim::{Answer, EventKind, Preset, Settings, Trace};

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

/// The golden scenario `order-per-partition`: A and C with the key k1 (partition 2 of 3), B
/// and D with k2 (partition 0), sent 20 ms apart, wider than linger.ms 5; A's first request is
/// lost.
#[cfg(feature = "partitions")]
fn partitions_scenario() -> Scenario {
    let mut s = Scenario::new(&["A", "B", "C", "D"], Preset::ExactlyOnce);
    s.seed = 3;
    s.sync = false;
    s.interval_ms = 20;
    s.partitions = 3;
    s.keys = ["k1", "k2", "k1", "k2"].map(|k| Some(k.into())).to_vec();
    s.faults = vec![Fault::DropRequest { msg: 0, attempt: 1 }];
    s
}

/// The golden scenario `txn-restart-fences-the-zombie`: A and B in a transaction, B's ACK
/// slow, the producer process restarting at 200 ms before the commit; then C in a transaction
/// of its own.
#[cfg(txn)]
fn transactions_scenario() -> Scenario {
    use delivery_sim::scenario::{Transaction, TxnEnd};
    let mut s = Scenario::new(&["A", "B", "C"], Preset::Transactional);
    s.seed = 7;
    s.network.latency_ms = 10;
    s.transactions = vec![
        Transaction {
            first: 0,
            len: 2,
            end: TxnEnd::Commit,
        },
        Transaction {
            first: 2,
            len: 1,
            end: TxnEnd::Commit,
        },
    ];
    s.faults = vec![
        Fault::DelayResponse {
            msg: 1,
            attempt: 1,
            ms: 500,
        },
        Fault::ProducerRestart { at_ms: 200 },
    ];
    s
}

#[cfg(txn)]
static STORY_6: [StoryStep; 10] = [
    StoryStep { en: "initTransactions: the transaction coordinator gives transactional.id tx-1 producer id 0, epoch 0.", ko: "initTransactions: 트랜잭션 코디네이터가 transactional.id tx-1에 PID 0, 에포크 0을 줌", find: Find::Epoch(1) },
    StoryStep { en: "A, in a transaction: its partition is added first (AddPartitionsToTxn). read_uncommitted can read A; read_committed stops before it, at the last stable offset.", ko: "트랜잭션 안의 A: 먼저 파티션을 추가(AddPartitionsToTxn). read_uncommitted는 A를 읽고, read_committed는 그 앞(마지막 안정 오프셋)에서 멈춤", find: Find::Stored("A", 1) },
    StoryStep { en: "B joins the transaction; its ACK is slow.", ko: "B도 같은 트랜잭션으로 기록. ACK는 늦어짐", find: Find::Stored("B", 1) },
    StoryStep { en: "The producer crashes before committing and restarts with the same transactional.id.", ko: "프로듀서가 커밋 전에 죽고 같은 transactional.id로 재시작", find: Find::Restart(1) },
    StoryStep { en: "The coordinator bumps the epoch to 1, fencing the old instance, and aborts its transaction: an abort marker at offset 2. A and B are aborted.", ko: "코디네이터가 에포크를 1로 올려 옛 인스턴스를 펜싱하고 트랜잭션을 중단: 오프셋 2에 abort 마커. A와 B는 중단됨", find: Find::Marker(1) },
    StoryStep { en: "Meanwhile the idempotent lane, without a transactional.id, restarts with a new PID and stores the unacknowledged B again: every consumer reads B twice.", ko: "그 사이 transactional.id가 없는 멱등 레인은 새 PID로 재시작해 ACK 못 받은 B를 다시 저장: 모든 컨슈머가 B를 두 번 읽음", find: Find::InLane(2, &Find::Stored("B", 2)) },
    StoryStep { en: "After CONCURRENT_TRANSACTIONS the new instance gets epoch 2. The zombie's late ACK reaches nobody.", ko: "CONCURRENT_TRANSACTIONS 뒤 새 인스턴스가 에포크 2를 받음. 좀비에게 온 늦은 ACK는 받을 이가 없음", find: Find::Epoch(2) },
    StoryStep { en: "The application resumes after its last commit: A and B again, in a new transaction.", ko: "애플리케이션은 마지막 커밋 다음부터 재개: 새 트랜잭션으로 A와 B를 다시 보냄", find: Find::Stored("A", 2) },
    StoryStep { en: "Commit: a marker at offset 5. read_committed reads A, B once; read_uncommitted also reads the aborted A, B.", ko: "커밋: 오프셋 5에 마커. read_committed는 A, B를 한 번씩, read_uncommitted는 중단된 A, B까지 읽음", find: Find::Marker(2) },
    StoryStep { en: "C commits on its own. read_committed reads A, B, C once each: exactly once, end to end.", ko: "C는 따로 커밋. read_committed는 A, B, C를 한 번씩 읽음: 끝에서 끝까지 정확히 한 번", find: Find::Marker(3) },
];

#[cfg(not(feature = "embed"))]
static STORY_5: [StoryStep; 6] = [
    StoryStep { en: "Sent at once with linger.ms 0 (Kafka's default before 4.0): each record is ready at once, so three requests leave.", ko: "linger.ms 0(4.0 이전 기본값)으로 한꺼번에 전송: 레코드마다 바로 준비되어 요청 세 개가 나감", find: Find::Request("A", 1) },
    StoryStep { en: "B's request is lost; C, behind it on the same connection, never arrives.", ko: "B의 요청 유실. 같은 연결에서 그 뒤의 C도 도착하지 못함", find: Find::Request("B", 1) },
    StoryStep { en: "With Kafka 4's linger.ms 5 the three wait 5 ms in one batch: one request, A B C, sequences 0-2. Losing it loses all three.", ko: "Kafka 4의 linger.ms 5에서는 셋이 5 ms 동안 한 배치에 모임: 요청 하나(A B C, 시퀀스 0-2). 유실되면 셋 다 유실", find: Find::InLane(2, &Find::Request("A", 1)) },
    StoryStep { en: "acks=0 batches too: A, B and C are lost together, and nobody is told.", ko: "acks=0도 묶어 보냄: A, B, C를 함께 잃고 아무도 모름", find: Find::InLane(0, &Find::Request("A", 1)) },
    StoryStep { en: "After request.timeout.ms the batch is retried whole: A, B, C, in order.", ko: "request.timeout.ms 뒤 배치를 통째로 재전송: A, B, C 순서 그대로", find: Find::InLane(2, &Find::Stored("A", 2)) },
    StoryStep { en: "With linger.ms 0, B and C fail together and go back to the head of the queue one by one: C first, and the log reads A, C, B. Records sent further apart than linger.ms do the same.", ko: "linger.ms 0에서는 B와 C가 함께 실패하고 하나씩 큐 맨 앞으로 돌아가 C가 먼저: 로그는 A, C, B. linger.ms보다 멀리 떨어져 보낸 레코드도 마찬가지", find: Find::Stored("C", 2) },
];

#[cfg(feature = "partitions")]
static STORY_7: [StoryStep; 6] = [
    StoryStep { en: "A and C have the key k1: murmur2 puts both on partition 2. B and D (key k2) go to partition 0. Sent 20 ms apart, wider than linger.ms 5, each goes in a request of its own.", ko: "A와 C의 키는 k1: murmur2가 둘 다 파티션 2에 둠. B와 D(키 k2)는 파티션 0으로. 20 ms 간격이라 linger.ms 5보다 길어 각자 요청 하나씩", find: Find::Request("A", 1) },
    StoryStep { en: "A's request is lost. B, C and D follow on the same connection, and the broker reads none of them while A's bytes are missing.", ko: "A의 요청 유실. B, C, D가 같은 연결로 뒤따르지만, A의 바이트가 빠진 동안 브로커는 아무것도 읽지 못함", find: Find::Request("D", 1) },
    StoryStep { en: "At request.timeout.ms all four fail and go back to be retried, each after its own jittered backoff. C's comes first, and nothing holds it back.", ko: "request.timeout.ms에 넷 다 실패하고 각자 지터가 섞인 backoff 뒤 재시도. C가 먼저 나가고, 아무것도 막지 않음", find: Find::Stored("C", 2) },
    StoryStep { en: "Partition 2 reads C, A; partition 0 reads D, B, though nothing of partition 0 was lost: without idempotence, 5 requests in flight race.", ko: "파티션 2는 C, A, 파티션 0은 D, B: 파티션 0은 아무것도 잃지 않았는데도. 멱등성이 없으면 in-flight 요청 5개가 경주함", find: Find::Stored("B", 2) },
    StoryStep { en: "With idempotence a retried batch goes only as its partition's first in flight (RecordAccumulator): C waits for A, D for B.", ko: "멱등성이 켜지면 재시도 배치는 자기 파티션의 첫 번째일 때만 나감(RecordAccumulator): C는 A를, D는 B를 기다림", find: Find::InLane(2, &Find::Stored("B", 2)) },
    StoryStep { en: "Each partition keeps send order: A, C and B, D. Between partitions there is no order to keep: a consumer may read B before A. Records that must stay in order need the same key.", ko: "파티션마다 보낸 순서 그대로: A, C와 B, D. 파티션 사이에는 지킬 순서가 없음: 컨슈머는 A보다 B를 먼저 읽을 수도 있음. 순서가 중요한 레코드는 같은 키로", find: Find::InLane(2, &Find::Stored("C", 2)) },
];

/// Replication factor 3, min.insync.replicas 2, a message every 10 s. Follower 1 stops at
/// 0.5 s and follower 2 at 10.5 s (each fenced by the controller 9 s later,
/// broker.session.timeout.ms); follower 2 is back at 160 s and the leader fails 5 ms later,
/// before it has fetched. The story allows an unclean election, so the lost records show in
/// the log; with Kafka's default the partition would stay offline instead.
#[cfg(not(feature = "embed"))]
fn replicas_scenario() -> Scenario {
    let mut s = Scenario::new(&["A", "B", "C", "D"], Preset::ExactlyOnce);
    s.interval_ms = 10_000;
    s.sync = false;
    s.broker.replicas = 3;
    s.broker.min_insync = 2;
    s.broker.replication_ms = 10;
    s.broker.unclean = true;
    s.faults = vec![
        Fault::ReplicaDown {
            replica: 1,
            from_ms: 500,
            to_ms: 165_000,
        },
        Fault::ReplicaDown {
            replica: 2,
            from_ms: 10_500,
            to_ms: 160_000,
        },
        Fault::LeaderFailover { at_ms: 160_005 },
    ];
    s
}

#[cfg(not(feature = "embed"))]
static STORY_4: [StoryStep; 11] = [
    StoryStep { en: "Replication factor 3, min.insync.replicas 2. A is written by the leader and copied by both followers; acks=all is answered once every in-sync replica has it.", ko: "복제 팩터 3, min.insync.replicas 2. 리더가 A를 기록하고 두 팔로워가 복사함. acks=all은 ISR의 모든 복제본이 가진 뒤에 응답", find: Find::Stored("A", 1) },
    StoryStep { en: "Follower 1 stops. Until the controller notices, it still counts as in sync.", ko: "팔로워 1 중단. 컨트롤러가 알아채기 전까지는 아직 ISR에 포함됨", find: Find::ReplicaDown(1) },
    StoryStep { en: "No heartbeat for broker.session.timeout.ms (9 s): the controller fences follower 1. The ISR is {0, 2}: two replicas, still min.insync.replicas.", ko: "broker.session.timeout.ms(9초) 동안 하트비트가 없어 컨트롤러가 팔로워 1을 펜싱. ISR은 {0, 2}: 두 개로 여전히 min.insync.replicas", find: Find::IsrOut(1) },
    StoryStep { en: "B: the leader and follower 2, the whole ISR, have it, so acks=all still succeeds. acks=all means every in-sync replica, not every replica.", ko: "B: ISR 전체인 리더와 팔로워 2가 가졌으므로 acks=all은 여전히 성공. acks=all은 모든 복제본이 아니라 ISR의 모든 복제본", find: Find::Stored("B", 1) },
    StoryStep { en: "Follower 2 stops too and is fenced: the ISR is the leader alone, fewer than min.insync.replicas.", ko: "팔로워 2도 중단되어 펜싱됨: ISR은 리더 하나뿐으로 min.insync.replicas보다 적음", find: Find::IsrOut(2) },
    StoryStep { en: "C: the leader refuses it before writing it, with NOT_ENOUGH_REPLICAS. The error is retriable, so the producer keeps retrying.", ko: "C: 리더가 기록하기 전에 NOT_ENOUGH_REPLICAS로 거절. 재시도할 수 있는 오류라 프로듀서는 계속 재시도", find: Find::Refused("C", 1) },
    StoryStep { en: "Meanwhile, in the top lane (acks=1), the leader alone stores C and acknowledges it: the application hears “success”.", ko: "그 사이 맨 위 레인(acks=1)에서는 리더 혼자 C를 저장하고 ACK: 애플리케이션은 “성공”을 들음", find: Find::InLane(0, &Find::Stored("C", 1)) },
    StoryStep { en: "After delivery.timeout.ms (120 s) of refusals C fails, and the application is told so: it can log, alert or send again later. D goes the same way.", ko: "delivery.timeout.ms(120초) 동안 거절된 끝에 C 실패. 애플리케이션이 통보받아 기록, 경보, 재전송으로 대응할 수 있음. D도 마찬가지", find: Find::Failed("C") },
    StoryStep { en: "Follower 2 comes back; before it has caught up, the leader fails. No replica of the ISR is left. This story allows an unclean election (Kafka's default does not, and the partition would stay offline), so follower 2 leads with the log it has: A, B.", ko: "팔로워 2가 돌아왔지만 따라잡기 전에 리더가 장애. ISR에 남은 복제본이 없음. 이 이야기는 언클린 선출을 허용하므로(카프카 기본값은 불허, 그러면 파티션은 오프라인으로 남음) 팔로워 2가 가진 로그 A, B로 리더가 됨", find: Find::Elected },
    StoryStep { en: "acks=1: C and D were acknowledged, and they are gone. The log reads A, B.", ko: "acks=1: C와 D는 ACK를 받았는데 사라짐. 로그는 A, B", find: Find::InLane(0, &Find::Elected) },
    StoryStep { en: "acks=all: nothing acknowledged is lost. A and B were on two replicas; C and D were never acknowledged, and the application knew.", ko: "acks=all: ACK를 받은 것은 하나도 잃지 않음. A와 B는 두 복제본에 있었고, C와 D는 ACK를 받은 적이 없으며 애플리케이션도 알고 있었음", find: Find::Elected },
];

static STORY_1: [StoryStep; 7] = [
    StoryStep { en: "Producer: sends message A to the topic on the broker.", ko: "프로듀서: 브로커의 특정 토픽으로 메시지 A 전송", find: Find::Request("A", 1) },
    StoryStep { en: "Broker: stores A and answers with an ACK.", ko: "브로커: 메시지 A를 저장하고 ACK를 응답", find: Find::Stored("A", 1) },
    StoryStep { en: "Producer: sends the next message, B.", ko: "프로듀서: 다음 메시지인 메시지 B를 브로커에게 전송", find: Find::Request("B", 1) },
    StoryStep { en: "Broker: stores B and answers, but the ACK is lost on the way (a network error or a broker failure).", ko: "브로커: 메시지 B를 저장하고 ACK를 응답하지만, 네트워크 오류 또는 브로커 장애로 프로듀서는 ACK를 받지 못함", find: Find::ResponseLost("B", 1) },
    StoryStep { en: "Producer: no ACK within request.timeout.ms (30 s), so it concludes B did not arrive and sends B again.", ko: "프로듀서: request.timeout.ms(30초) 안에 ACK가 없어 브로커가 메시지 B를 받지 못했다고 판단하고 B 재전송", find: Find::Request("B", 2) },
    StoryStep { en: "Broker: stores B a second time. Nothing is lost, but B is in the log twice.", ko: "브로커: 메시지 B를 한 번 더 저장. 손실은 없지만 로그에 B가 두 번", find: Find::Stored("B", 2) },
    StoryStep { en: "C follows. The log reads A, B, B, C: at-least-once.", ko: "이어서 C. 로그는 A, B, B, C: 적어도 한 번 전송", find: Find::Stored("C", 1) },
];

static STORY_2: [StoryStep; 6] = [
    StoryStep {
        en: "Producer: sends message A (acks=0: it will not wait for any answer).",
        ko: "프로듀서: 메시지 A 전송 (acks=0: 어떤 응답도 기다리지 않음)",
        find: Find::Request("A", 1),
    },
    StoryStep {
        en: "Broker: stores A. With acks=0 there is no ACK on the wire at all.",
        ko: "브로커: 메시지 A를 저장. acks=0에서는 ACK 자체가 오가지 않음",
        find: Find::Stored("A", 1),
    },
    StoryStep {
        en: "Producer: sends the next message, B.",
        ko: "프로듀서: 다음 메시지인 메시지 B를 브로커에게 전송",
        find: Find::Request("B", 1),
    },
    StoryStep {
        en: "Broker: fails before storing B and answers nothing.",
        ko: "브로커: 메시지 B를 저장하지 못하고, 아무 응답도 보내지 못함",
        find: Find::BrokerFailed("B", 1),
    },
    StoryStep {
        en: "Producer: assumes B arrived and sends C.",
        ko: "프로듀서: 브로커가 메시지 B를 받았다고 가정하고, 메시지 C 전송",
        find: Find::Request("C", 1),
    },
    StoryStep {
        en: "C is stored. The log reads A, C: B is lost, and nobody was told.",
        ko: "C 저장. 로그는 A, C: B는 손실되었고 아무도 알지 못함",
        find: Find::Stored("C", 1),
    },
];

static STORY_3: [StoryStep; 7] = [
    StoryStep { en: "Producer: sends A with PID 0 and sequence number 0.", ko: "프로듀서: 메시지 A, PID 0, 메시지 번호 0 전송", find: Find::Request("A", 1) },
    StoryStep { en: "Broker: stores A, remembers PID 0 / sequence 0, and ACKs.", ko: "브로커: 메시지 A를 저장, PID와 메시지 번호를 기록하고 ACK 응답", find: Find::Stored("A", 1) },
    StoryStep { en: "Producer: sends B with PID 0 and sequence number 1.", ko: "프로듀서: 다음 메시지 B, PID 0, 메시지 번호 1 전송", find: Find::Request("B", 1) },
    StoryStep { en: "Broker: stores B and remembers sequence 1; the ACK is lost on the way.", ko: "브로커: 메시지 B를 저장하고 번호를 기록한 뒤 ACK 응답, 하지만 프로듀서는 ACK를 받지 못함", find: Find::ResponseLost("B", 1) },
    StoryStep { en: "Producer: no ACK in time, so it sends B again, with the same PID 0 and sequence 1.", ko: "프로듀서: ACK가 오지 않아 같은 PID 0, 메시지 번호 1로 B 재전송", find: Find::Request("B", 2) },
    StoryStep { en: "Broker: PID 0 / sequence 1 is among its last five batches, so it ACKs with the original offset and stores nothing.", ko: "브로커: PID 0, 번호 1이 최근 5개 배치에 이미 있으므로 저장 없이 원래 오프셋으로 ACK만 응답", find: Find::Dedup("B", 2) },
    StoryStep { en: "C (sequence 2) follows. The log reads A, B, C: nothing lost, nothing twice.", ko: "이어서 C(번호 2). 로그는 A, B, C: 손실도 중복도 없음", find: Find::Stored("C", 1) },
];

/// Where a story step happens in a trace: its time and the request it concerns.
pub fn locate(trace: &Trace, find: Find) -> Option<(u64, Option<u32>)> {
    // Steps about the partition rather than a request.
    #[cfg(not(feature = "embed"))]
    {
        let msg_of = |name: &str| trace.messages.iter().position(|m| m == name);
        let at = |hit: &dyn Fn(&EventKind) -> bool| {
            trace
                .events
                .iter()
                .find(|e| hit(&e.kind))
                .map(|e| (e.t_ms, None))
        };
        match find {
            Find::ReplicaDown(r) => {
                return at(&|k| matches!(*k, EventKind::ReplicaDown { replica } if replica == r))
            }
            Find::IsrOut(r) => {
                return at(&|k| matches!(*k, EventKind::IsrShrunk { replica, .. } if replica == r))
            }
            Find::Elected => return at(&|k| matches!(k, EventKind::LeaderElected { .. })),
            Find::Failed(name) => {
                let m = msg_of(name)?;
                return at(&|k| matches!(*k, EventKind::Failed { msg, .. } if msg == m));
            }
            Find::InLane(_, inner) => return locate(trace, *inner),
            #[cfg(txn)]
            Find::Epoch(n) | Find::Restart(n) | Find::Marker(n) => {
                return trace
                    .events
                    .iter()
                    .filter(|e| {
                        matches!(
                            (find, e.kind),
                            (Find::Epoch(_), EventKind::InitProducerId { .. })
                                | (Find::Restart(_), EventKind::ProducerRestart)
                                | (Find::Marker(_), EventKind::Marker { .. })
                        )
                    })
                    .nth(n.saturating_sub(1))
                    .map(|e| (e.t_ms, None))
            }
            _ => {}
        }
    }
    let (name, attempt) = match find {
        Find::Request(m, a)
        | Find::Stored(m, a)
        | Find::Dedup(m, a)
        | Find::ResponseLost(m, a)
        | Find::BrokerFailed(m, a) => (m, a),
        #[cfg(not(feature = "embed"))]
        Find::Refused(m, a) => (m, a),
        #[cfg(not(feature = "embed"))]
        _ => return None,
    };
    let msg = trace.messages.iter().position(|m| m == name)?;
    // The request that carried the message's batch at that attempt.
    let req = trace.events.iter().find_map(|e| match e.kind {
        EventKind::Request {
            req,
            batch,
            msg: m,
            attempt: a,
            ..
        } if a == attempt && (m == msg || trace.batches.get(batch as usize).contains(&msg)) => {
            Some(req)
        }
        _ => None,
    })?;
    trace.events.iter().find_map(|e| {
        let hit = match (find, e.kind) {
            (Find::Request(..), EventKind::Request { req: r, .. }) => r == req,
            (
                Find::Stored(..),
                EventKind::Decided {
                    req: r,
                    answer: Answer::Stored { .. },
                    ..
                },
            ) => r == req,
            (
                Find::Dedup(..),
                EventKind::Decided {
                    req: r,
                    answer: Answer::Duplicate { .. },
                    ..
                },
            ) => r == req,
            (Find::ResponseLost(..), EventKind::ResponseLost { req: r, .. }) => r == req,
            (Find::BrokerFailed(..), EventKind::BrokerFailed { req: r }) => r == req,
            #[cfg(not(feature = "embed"))]
            (
                Find::Refused(..),
                EventKind::Decided {
                    req: r,
                    answer: Answer::Rejected(delivery_sim::KafkaError::NotEnoughReplicas),
                    ..
                },
            ) => r == req,
            _ => false,
        };
        hit.then_some((e.t_ms, Some(req)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use delivery_sim::simulate;

    fn trace_of(story: Story, lane: usize) -> Trace {
        let mut s = story.scenario();
        s.producer = story.settings(Preset::LANES[lane]);
        simulate(&s).unwrap()
    }

    fn lane_trace(story: Story) -> Trace {
        trace_of(story, story.lane().unwrap())
    }

    #[test]
    fn every_story_step_is_found_in_order() {
        for &story in Story::ALL.iter().filter(|s| !s.steps().is_empty()) {
            let times: Vec<u64> = story
                .steps()
                .iter()
                .map(|s| {
                    let (lane, find) = s.find.lane(story.lane().unwrap());
                    locate(&trace_of(story, lane), find)
                        .unwrap_or_else(|| panic!("{story:?}: {:?}", s.find))
                        .0
                })
                .collect();
            assert!(
                times.windows(2).all(|w| w[0] <= w[1]),
                "{story:?}: {times:?}"
            );
        }
    }

    /// The replicas story as it is told: acks=1 hears success for C and D and loses them in the
    /// unclean election; acks=all is refused C and D (NOT_ENOUGH_REPLICAS until
    /// delivery.timeout.ms), tells the application, and keeps everything it acknowledged.
    #[cfg(not(feature = "embed"))]
    #[test]
    fn the_replicas_story_loses_only_what_acks_1_acknowledged() {
        use delivery_sim::Outcome;
        let story = Story::Replicas;
        let acks1 = trace_of(story, 0);
        assert_eq!(acks1.config.acks, delivery_sim::Acks::One);
        assert_eq!(acks1.log_names(), ["A", "B"]);
        assert_eq!(acks1.outcomes[2..], [Outcome::Lost, Outcome::Lost]);
        for lane in [1, 2] {
            let all = trace_of(story, lane);
            assert_eq!(all.log_names(), ["A", "B"], "lane {lane}");
            assert_eq!(all.outcomes[2..], [Outcome::Failed, Outcome::Failed]);
            let refused = all.events.iter().filter(|e| {
                matches!(
                    e.kind,
                    EventKind::Decided {
                        answer: Answer::Rejected(delivery_sim::KafkaError::NotEnoughReplicas),
                        ..
                    }
                )
            });
            assert!(
                refused.count() > 100,
                "lane {lane}: retried until the timeout"
            );
        }
        // The election found nobody in sync, and took follower 2 from outside the ISR.
        assert!(acks1.events.iter().any(|e| matches!(
            e.kind,
            EventKind::LeaderElected {
                replica: Some(2),
                unclean: true
            }
        )));
    }

    /// The batches story as it is told: linger.ms 0 sends three requests and reorders; with
    /// linger.ms 5 one request carries A, B and C, lost and retried (or, with acks=0, lost)
    /// together.
    #[cfg(not(feature = "embed"))]
    #[test]
    fn the_batches_story_sends_one_request_or_three() {
        let first_requests = |t: &Trace| -> Vec<usize> {
            t.events
                .iter()
                .filter_map(|e| match e.kind {
                    EventKind::Request {
                        batch, attempt: 1, ..
                    } => Some(t.batches.get(batch as usize).len()),
                    _ => None,
                })
                .collect()
        };
        let story = Story::Batches;
        let (zero, linger0, idem) = (trace_of(story, 0), trace_of(story, 1), trace_of(story, 2));
        assert_eq!(linger0.config.linger_ms, 0);
        assert_eq!(first_requests(&linger0), [1, 1, 1]);
        assert_eq!(linger0.log_names(), ["A", "C", "B"]);
        assert_eq!(first_requests(&idem), [3]);
        assert_eq!(idem.log_names(), ["A", "B", "C"]);
        assert_eq!(first_requests(&zero), [3]);
        assert!(zero.log_names().is_empty());
    }

    /// The partitions story as it is told: the CLI's golden, whose expected logs it shows.
    #[cfg(feature = "partitions")]
    #[test]
    fn the_partitions_story_is_the_golden_and_keeps_order_per_partition() {
        let golden =
            Scenario::from_json_text(include_str!("../scenarios/order-per-partition.json"))
                .unwrap();
        let mut told = Story::Partitions.scenario();
        told.name.clone_from(&golden.name);
        assert_eq!(told.messages, golden.messages);
        let per_partition = |t: &Trace| -> Vec<(u32, String)> {
            t.log
                .iter()
                .map(|r| (r.partition, t.messages[r.msg].clone()))
                .collect()
        };
        for lane in [1, 2] {
            let mut g = golden.clone();
            g.producer = Preset::LANES[lane].settings();
            assert_eq!(
                per_partition(&trace_of(Story::Partitions, lane)),
                per_partition(&simulate(&g).unwrap()),
                "lane {lane}"
            );
        }
        let names = |t: &Trace| t.log_names().join(",");
        assert_eq!(names(&trace_of(Story::Partitions, 1)), "D,B,C,A");
        assert_eq!(names(&trace_of(Story::Partitions, 2)), "B,D,A,C");
    }

    #[test]
    fn stories_give_the_seeds_logs() {
        assert_eq!(
            lane_trace(Story::AtLeastOnce).log_names(),
            ["A", "B", "B", "C"]
        );
        assert_eq!(lane_trace(Story::AtMostOnce).log_names(), ["A", "C"]);
        assert_eq!(lane_trace(Story::Idempotent).log_names(), ["A", "B", "C"]);
    }
}
