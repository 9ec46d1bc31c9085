//! Each story's scenario and its steps, in both languages.

use super::*;

/// The golden scenario `order-per-partition`: A and C with the key k1 (partition 2 of 3), B
/// and D with k2 (partition 0), sent 20 ms apart, wider than linger.ms 5; A's first request is
/// lost.
#[cfg(feature = "partitions")]
pub(super) fn partitions_scenario() -> Scenario {
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
pub(super) fn transactions_scenario() -> Scenario {
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
pub(super) static STORY_6: [StoryStep; 10] = [
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
pub(super) static STORY_5: [StoryStep; 6] = [
    StoryStep { en: "Sent at once with linger.ms 0 (Kafka's default before 4.0): each record is ready at once, so three requests leave.", ko: "linger.ms 0(4.0 이전 기본값)으로 한꺼번에 전송: 레코드마다 바로 준비되어 요청 세 개가 나감", find: Find::Request("A", 1) },
    StoryStep { en: "B's request is lost; C, behind it on the same connection, never arrives.", ko: "B의 요청 유실. 같은 연결에서 그 뒤의 C도 도착하지 못함", find: Find::Request("B", 1) },
    StoryStep { en: "With Kafka 4's linger.ms 5 the three wait 5 ms in one batch: one request, A B C, sequences 0-2. Losing it loses all three.", ko: "Kafka 4의 linger.ms 5에서는 셋이 5 ms 동안 한 배치에 모임: 요청 하나(A B C, 시퀀스 0-2). 유실되면 셋 다 유실", find: Find::InLane(2, &Find::Request("A", 1)) },
    StoryStep { en: "acks=0 batches too: A, B and C are lost together, and nobody is told.", ko: "acks=0도 묶어 보냄: A, B, C를 함께 잃고 아무도 모름", find: Find::InLane(0, &Find::Request("A", 1)) },
    StoryStep { en: "After request.timeout.ms the batch is retried whole: A, B, C, in order.", ko: "request.timeout.ms 뒤 배치를 통째로 재전송: A, B, C 순서 그대로", find: Find::InLane(2, &Find::Stored("A", 2)) },
    StoryStep { en: "With linger.ms 0, B and C fail together and go back to the head of the queue one by one: C first, and the log reads A, C, B. Records sent further apart than linger.ms do the same.", ko: "linger.ms 0에서는 B와 C가 함께 실패하고 하나씩 큐 맨 앞으로 돌아가 C가 먼저: 로그는 A, C, B. linger.ms보다 멀리 떨어져 보낸 레코드도 마찬가지", find: Find::Stored("C", 2) },
];

#[cfg(feature = "partitions")]
pub(super) static STORY_7: [StoryStep; 6] = [
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
pub(super) fn replicas_scenario() -> Scenario {
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
pub(super) static STORY_4: [StoryStep; 11] = [
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

pub(super) static STORY_1: [StoryStep; 7] = [
    StoryStep { en: "Producer: sends message A to the topic on the broker.", ko: "프로듀서: 브로커의 특정 토픽으로 메시지 A 전송", find: Find::Request("A", 1) },
    StoryStep { en: "Broker: stores A and answers with an ACK.", ko: "브로커: 메시지 A를 저장하고 ACK를 응답", find: Find::Stored("A", 1) },
    StoryStep { en: "Producer: sends the next message, B.", ko: "프로듀서: 다음 메시지인 메시지 B를 브로커에게 전송", find: Find::Request("B", 1) },
    StoryStep { en: "Broker: stores B and answers, but the ACK is lost on the way (a network error or a broker failure).", ko: "브로커: 메시지 B를 저장하고 ACK를 응답하지만, 네트워크 오류 또는 브로커 장애로 프로듀서는 ACK를 받지 못함", find: Find::ResponseLost("B", 1) },
    StoryStep { en: "Producer: no ACK within request.timeout.ms (30 s), so it concludes B did not arrive and sends B again.", ko: "프로듀서: request.timeout.ms(30초) 안에 ACK가 없어 브로커가 메시지 B를 받지 못했다고 판단하고 B 재전송", find: Find::Request("B", 2) },
    StoryStep { en: "Broker: stores B a second time. Nothing is lost, but B is in the log twice.", ko: "브로커: 메시지 B를 한 번 더 저장. 손실은 없지만 로그에 B가 두 번", find: Find::Stored("B", 2) },
    StoryStep { en: "C follows. The log reads A, B, B, C: at-least-once.", ko: "이어서 C. 로그는 A, B, B, C: 적어도 한 번 전송", find: Find::Stored("C", 1) },
];

pub(super) static STORY_2: [StoryStep; 6] = [
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

pub(super) static STORY_3: [StoryStep; 7] = [
    StoryStep { en: "Producer: sends A with PID 0 and sequence number 0.", ko: "프로듀서: 메시지 A, PID 0, 메시지 번호 0 전송", find: Find::Request("A", 1) },
    StoryStep { en: "Broker: stores A, remembers PID 0 / sequence 0, and ACKs.", ko: "브로커: 메시지 A를 저장, PID와 메시지 번호를 기록하고 ACK 응답", find: Find::Stored("A", 1) },
    StoryStep { en: "Producer: sends B with PID 0 and sequence number 1.", ko: "프로듀서: 다음 메시지 B, PID 0, 메시지 번호 1 전송", find: Find::Request("B", 1) },
    StoryStep { en: "Broker: stores B and remembers sequence 1; the ACK is lost on the way.", ko: "브로커: 메시지 B를 저장하고 번호를 기록한 뒤 ACK 응답, 하지만 프로듀서는 ACK를 받지 못함", find: Find::ResponseLost("B", 1) },
    StoryStep { en: "Producer: no ACK in time, so it sends B again, with the same PID 0 and sequence 1.", ko: "프로듀서: ACK가 오지 않아 같은 PID 0, 메시지 번호 1로 B 재전송", find: Find::Request("B", 2) },
    StoryStep { en: "Broker: PID 0 / sequence 1 is among its last five batches, so it ACKs with the original offset and stores nothing.", ko: "브로커: PID 0, 번호 1이 최근 5개 배치에 이미 있으므로 저장 없이 원래 오프셋으로 ACK만 응답", find: Find::Dedup("B", 2) },
    StoryStep { en: "C (sequence 2) follows. The log reads A, B, C: nothing lost, nothing twice.", ko: "이어서 C(번호 2). 로그는 A, B, C: 손실도 중복도 없음", find: Find::Stored("C", 1) },
];
