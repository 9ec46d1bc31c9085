//! Korean and English texts. Kafka's own words (acks, PID, offset, OUT_OF_ORDER_SEQUENCE_NUMBER)
//! stay as they are in both languages.
//!
//! One file over the others' length on purpose: two tables, `EN` and `KO` (with their chrome),
//! field by field in the same order, so a translator reads one beside the other. It imports
//! nothing of the app's.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Ko,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ko => "ko",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code.get(..2) {
            Some("ko") => Some(Lang::Ko),
            Some("en") => Some(Lang::En),
            _ => None,
        }
    }

    pub fn t(self) -> &'static Text {
        match self {
            Lang::En => &EN,
            Lang::Ko => &KO,
        }
    }

    /// The chrome's words (see `Chrome`).
    pub fn chrome(self) -> &'static Chrome {
        match self {
            Lang::En => &EN_CHROME,
            Lang::Ko => &KO_CHROME,
        }
    }
}

pub struct Text {
    pub title: &'static str,
    pub story: &'static str,
    /// One per lane the app can show (`state::LANES`, which a test holds to this length).
    pub lane_names: [&'static str; 4],
    pub cannot_run: &'static str,
    pub log: &'static str,
    pub empty_log: &'static str,
    /// A consumer row's label: `{}` is the isolation level.
    #[cfg(txn)]
    pub consumer_reads: &'static str,
    #[cfg(txn)]
    pub reads_nothing: &'static str,
    pub stored: &'static str,
    pub duplicates: &'static str,
    pub lost: &'static str,
    pub failed: &'static str,
    pub reordered: &'static str,
    pub no_loss: &'static str,
    pub no_duplicates: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    pub nothing_lost_nothing_twice: &'static str,
    pub stored_twice: fn(&str, u32) -> String,
    pub lost_msg: fn(&str) -> String,
    pub failed_msg: fn(&str) -> String,
    pub out_of_order: &'static str,
    pub play: &'static str,
    pub pause: &'static str,
    pub prev: &'static str,
    pub next: &'static str,
    pub first: &'static str,
    pub last: &'static str,
    pub speed: &'static str,
    pub step: &'static str,
    pub click_to_drop: &'static str,
    /// What clicks on a request do, one after another.
    pub click_cycle: &'static str,
    pub click_to_restore: &'static str,
    pub producer: &'static str,
    pub broker: &'static str,
    pub timeout: &'static str,
    pub dedup: &'static str,
    pub not_stored: &'static str,
    pub restart: &'static str,
    /// A transaction's marks: begin, commit, abort, fenced.
    #[cfg(txn)]
    pub txn_words: [&'static str; 4],
    #[cfg(not(feature = "embed"))]
    pub failover: &'static str,
    pub down: &'static str,
    pub up: &'static str,
    pub closed: &'static str,
    #[cfg(not(feature = "embed"))]
    pub follower: &'static str,
    #[cfg(not(feature = "embed"))]
    pub leader: &'static str,
    #[cfg(not(feature = "embed"))]
    pub offline: &'static str,
    /// After the partition log's heading, with replicas: where the high watermark is (`{}`).
    #[cfg(not(feature = "embed"))]
    pub high_watermark: &'static str,
    /// The replicas at the step shown: the list's name, then a replica's states (leader, down,
    /// in the ISR, out of it), then the ISR against min.insync.replicas (`{isr}`, `{min}`): met,
    /// short.
    #[cfg(not(feature = "embed"))]
    pub replica_words: [&'static str; 7],
    pub diagram_label: fn(&str, &str) -> String,
    pub legend: [&'static str; 7],
    pub dismiss: &'static str,
    pub ignored_in_link: &'static str,
    #[cfg(feature = "workshop")]
    pub not_loaded: &'static str,
    pub open_full: &'static str,
}

/// The words of the page's chrome (header, controls, lane settings, event log, notes, exercises),
/// apart from `Text` so that the embed page, which shows none of it, does not carry them. The
/// shared words read through it too (`Deref`).
pub struct Chrome {
    text: &'static Text,
    pub subtitle: &'static str,
    pub side_by_side: &'static str,
    pub stories: [&'static str; 6],
    #[cfg(feature = "partitions")]
    pub story_partitions: &'static str,
    pub messages: &'static str,
    pub count: &'static str,
    pub sync: &'static str,
    pub seed: &'static str,
    pub latency: &'static str,
    pub jitter: &'static str,
    pub request_loss: &'static str,
    pub response_loss: &'static str,
    pub replicas: &'static str,
    /// `topic.partitions`, and the messages' keys (comma separated, empty for none).
    #[cfg(feature = "partitions")]
    pub partitions: &'static str,
    #[cfg(feature = "partitions")]
    pub keys: &'static str,
    pub replication: &'static str,
    pub faults: &'static str,
    pub add_fault: &'static str,
    pub remove: &'static str,
    /// In `FaultKind::ALL`'s order.
    pub fault_kinds: [&'static str; 10],
    pub replica: &'static str,
    pub extra_ms: &'static str,
    pub min_isr: &'static str,
    pub unclean: &'static str,
    /// The transactions' fieldset: its legend, how the application cuts the messages into
    /// transactions (`state::TXN_SHAPES` order, then "as imported"), and the coordinator's delay.
    #[cfg(txn)]
    pub transactions: &'static str,
    #[cfg(txn)]
    pub txn_shapes: [&'static str; 8],
    #[cfg(txn)]
    pub coordinator_ms: &'static str,
    pub broker_error: &'static str,
    pub message: &'static str,
    pub attempt: &'static str,
    pub at_ms: &'static str,
    pub from_ms: &'static str,
    pub to_ms: &'static str,
    pub delay_ms: &'static str,
    pub settings: &'static str,
    pub reset_preset: &'static str,
    pub events: &'static str,
    pub time: &'static str,
    pub actor: &'static str,
    pub event: &'static str,
    pub theme: &'static str,
    pub language: &'static str,
    pub notes_title: &'static str,
    pub notes: [&'static str; 5],
    pub controls: &'static str,
    pub network: &'static str,
    pub share: &'static str,
    pub copied: &'static str,
    pub copy_refused: &'static str,
    pub copy_embed: &'static str,
    #[cfg(feature = "workshop")]
    pub export_svg: &'static str,
    #[cfg(feature = "workshop")]
    pub export_json: &'static str,
    #[cfg(feature = "workshop")]
    pub import: &'static str,
    #[cfg(feature = "workshop")]
    pub import_hint: &'static str,
    #[cfg(not(feature = "workshop"))]
    pub files_on_workshop: &'static str,
    /// Without the feature `partitions`: the link to the workshop page's topic fields.
    #[cfg(not(feature = "partitions"))]
    pub partitions_on_workshop: &'static str,
    pub copy_properties: &'static str,
    pub properties_hint: &'static str,
    pub properties_problems: &'static str,
    pub exercises: &'static str,
    #[cfg(feature = "workshop")]
    pub exercise: &'static str,
    #[cfg(feature = "workshop")]
    pub levels: [&'static str; 3],
    #[cfg(feature = "workshop")]
    pub check: &'static str,
    #[cfg(feature = "workshop")]
    pub hint: &'static str,
    #[cfg(feature = "workshop")]
    pub solution: &'static str,
    #[cfg(feature = "workshop")]
    pub load_solution: &'static str,
    #[cfg(feature = "workshop")]
    pub start_over: &'static str,
    #[cfg(feature = "workshop")]
    pub still_missing: &'static str,
    #[cfg(feature = "workshop")]
    pub solved: &'static str,
    #[cfg(feature = "workshop")]
    pub now: &'static str,
    #[cfg(feature = "workshop")]
    pub close: &'static str,
    #[cfg(feature = "workshop")]
    pub next_exercise: &'static str,
    #[cfg(feature = "workshop")]
    pub reset_progress: &'static str,
    #[cfg(feature = "workshop")]
    pub loading: &'static str,
    #[cfg(feature = "workshop")]
    pub solved_count: fn(usize, usize) -> String,
}

impl Chrome {
    /// What a copy button says once clicked: that it worked, or that the browser refused.
    pub fn copy_feedback(&self, copied: Option<(&str, bool)>, what: &str) -> String {
        match copied {
            Some((w, true)) if w == what => format!(" ✓ {}", self.copied),
            Some((w, false)) if w == what => format!(" ✗ {}", self.copy_refused),
            _ => String::new(),
        }
    }
}

impl std::ops::Deref for Chrome {
    type Target = Text;
    fn deref(&self) -> &Text {
        self.text
    }
}

pub static EN: Text = Text {
    title: "Kafka producer delivery: at-most-once · at-least-once · exactly-once",
    story: "Story",
    lane_names: [
        "at-most-once",
        "at-least-once",
        "exactly-once (idempotent)",
        "exactly-once (transactional)",
    ],
    cannot_run: "This lane cannot run:",
    log: "Partition log",
    empty_log: "(empty)",
    #[cfg(txn)]
    consumer_reads: "{} reads",
    #[cfg(txn)]
    reads_nothing: "nothing yet",
    stored: "stored",
    duplicates: "duplicates",
    lost: "lost",
    failed: "failed (app told)",
    reordered: "reordered",
    no_loss: "no loss",
    no_duplicates: "no duplicates",
    yes: "yes",
    no: "no",
    nothing_lost_nothing_twice: "nothing lost, nothing twice",
    stored_twice: |m, n| {
        if n == 2 {
            format!("{m} stored twice")
        } else {
            format!("{m} stored {n} times")
        }
    },
    lost_msg: |m| format!("{m} lost"),
    failed_msg: |m| format!("{m} failed (reported)"),
    out_of_order: "out of order",
    play: "Play",
    pause: "Pause",
    prev: "Step back",
    next: "Step forward",
    first: "To the start",
    last: "To the end",
    speed: "Speed",
    step: "Step",
    click_to_drop: "click to lose it",
    click_cycle: "click: lose it, again: broker error, again: as it was",
    click_to_restore: "click to deliver it again",
    producer: "Producer",
    broker: "Broker",
    timeout: "timeout",
    dedup: "dup → off",
    not_stored: "not stored",
    restart: "restart",
    #[cfg(txn)]
    txn_words: ["begin", "commit", "abort", "fenced"],
    #[cfg(not(feature = "embed"))]
    failover: "failover",
    down: "broker down",
    up: "broker up",
    closed: "closed",
    #[cfg(not(feature = "embed"))]
    follower: "F",
    #[cfg(not(feature = "embed"))]
    leader: "leader",
    #[cfg(not(feature = "embed"))]
    offline: "offline",
    #[cfg(not(feature = "embed"))]
    high_watermark: "high watermark {}: consumers read the records below it",
    #[cfg(not(feature = "embed"))]
    replica_words: [
        "Replicas at this step",
        "leader",
        "down",
        "in the ISR",
        "out of the ISR",
        "ISR {isr}: min.insync.replicas {min} met",
        "ISR {isr}: fewer than min.insync.replicas {min}, acks=all writes are refused",
    ],
    diagram_label: |lane, summary| format!("Sequence diagram, {lane}: {summary}"),
    legend: [
        "request",
        "ACK",
        "lost",
        "stored again (duplicate)",
        "duplicate recognised, not stored",
        "error answer",
        "held behind a lost packet on the same connection",
    ],
    dismiss: "Dismiss",
    ignored_in_link: "Ignored in the link:",
    #[cfg(feature = "workshop")]
    not_loaded: "Note:",
    open_full: "Open the full visualizer",
};

static EN_CHROME: Chrome = Chrome {
    text: &EN,
    subtitle: "Same messages, same faults, three producers. Click an arrow to lose it.",
    side_by_side: "Side by side: all three lessons",
    stories: [
        "1. At-least-once: B's ACK is lost",
        "2. At-most-once: the broker fails on B",
        "3. Idempotent producer: B's ACK is lost",
        "4. Replicas: acks=all, min.insync.replicas and an unclean election",
        "5. Batches: linger.ms 0 and 5, three requests or one",
        "6. Transactions: a crash before the commit, the zombie fenced",
    ],
    #[cfg(feature = "partitions")]
    story_partitions: "7. Keys and partitions: order per partition, and only with idempotence",
    messages: "Messages",
    count: "Count",
    sync: "Wait for each result (send().get())",
    seed: "Seed",
    latency: "Latency ms",
    jitter: "Jitter ± ms",
    request_loss: "Request loss %",
    response_loss: "ACK loss %",
    replicas: "Replicas",
    #[cfg(feature = "partitions")]
    partitions: "Partitions",
    #[cfg(feature = "partitions")]
    keys: "Keys, in message order (comma separated; empty: none)",
    replication: "Replication ms",
    faults: "Faults",
    add_fault: "+ fault",
    remove: "Remove",
    fault_kinds: [
        "request lost",
        "ACK lost",
        "broker error (rejected)",
        "broker fails before storing",
        "ACK delayed",
        "broker down",
        "leader failover",
        "producer restart",
        "follower down",
        "follower slow",
    ],
    replica: "Follower",
    extra_ms: "extra ms",
    // May break after "insync.", not inside a word, where the field is narrow.
    min_isr: "min.insync.\u{200b}replicas",
    unclean: "Unclean leader election",
    #[cfg(txn)]
    transactions: "Transactions (lanes with transactional.id)",
    #[cfg(txn)]
    txn_shapes: [
        "each message its own, committed",
        "all in one, committed",
        "all in one, aborted",
        "all in one, never ended",
        "the last alone, committed",
        "the last alone, aborted",
        "the last alone, never ended",
        "as imported",
    ],
    #[cfg(txn)]
    coordinator_ms: "Coordinator answers after (ms)",
    broker_error: "Error",
    message: "Message",
    attempt: "Attempt",
    at_ms: "at ms",
    from_ms: "from ms",
    to_ms: "to ms",
    delay_ms: "delay ms",
    settings: "Producer settings",
    reset_preset: "Reset to preset",
    events: "Event log",
    time: "ms",
    actor: "Actor",
    event: "Event",
    theme: "Dark mode",
    language: "Language",
    notes_title: "Where Kafka differs from the study notes",
    notes: [
        "Sequence rule: the broker keeps each PID's last 5 batches; a retry matching one is ACKed, not stored. Other gaps get OUT_OF_ORDER_SEQUENCE_NUMBER, not \"duplicate\".",
        "Since Kafka 3.0 the producer is idempotent by default (acks=all); at-least-once was the default before.",
        "KIP-185 found idempotence alone costs no significant throughput, not 20%; acks=all is what costs.",
        "acks=0 has no ACK at all.",
        "One TCP connection keeps order: if B's request is lost, C behind it never arrives either, so no gap reaches the broker. Kafka's gaps come from broker errors (B turned down, C then answered OUT_OF_ORDER_SEQUENCE_NUMBER); both are retried in order.",
    ],
    controls: "Scenario",
    network: "Network",
    share: "Copy link",
    copied: "Copied",
    copy_refused: "the browser refused to copy: copy the address bar",
    copy_embed: "Copy embed code",
    #[cfg(feature = "workshop")]
    export_svg: "Export SVG",
    #[cfg(feature = "workshop")]
    export_json: "Export trace JSON",
    #[cfg(feature = "workshop")]
    import: "Import scenario",
    #[cfg(feature = "workshop")]
    import_hint: "Paste a scenario JSON (the CLI's format) or choose a file",
    #[cfg(not(feature = "workshop"))]
    files_on_workshop: "Export SVG or JSON, import a scenario: workshop page",
    #[cfg(not(feature = "partitions"))]
    partitions_on_workshop: "Keys and partitions: story 7 on the workshop page",
    copy_properties: "Copy producer.properties",
    properties_hint: "producer.properties for this lane: edit or paste a block (unset keys take Kafka's defaults)",
    properties_problems: "Not taken:",
    exercises: "Exercises",
    #[cfg(feature = "workshop")]
    exercise: "Exercise",
    #[cfg(feature = "workshop")]
    levels: ["easy", "medium", "hard"],
    #[cfg(feature = "workshop")]
    check: "Check",
    #[cfg(feature = "workshop")]
    hint: "Hint",
    #[cfg(feature = "workshop")]
    solution: "Solution",
    #[cfg(feature = "workshop")]
    load_solution: "Load the solution",
    #[cfg(feature = "workshop")]
    start_over: "Start over",
    #[cfg(feature = "workshop")]
    still_missing: "Not yet:",
    #[cfg(feature = "workshop")]
    solved: "Solved!",
    #[cfg(feature = "workshop")]
    now: "now",
    #[cfg(feature = "workshop")]
    close: "Close",
    #[cfg(feature = "workshop")]
    next_exercise: "Next exercise",
    #[cfg(feature = "workshop")]
    reset_progress: "Reset progress",
    #[cfg(feature = "workshop")]
    loading: "Loading…",
    #[cfg(feature = "workshop")]
    solved_count: |n, of| format!("{n} of {of} solved"),
};

pub static KO: Text = Text {
    title: "카프카 프로듀서 전송 방식: 최대 한 번 · 적어도 한 번 · 중복 없는 전송",
    story: "이야기",
    lane_names: [
        "최대 한 번",
        "적어도 한 번",
        "중복 없는 전송 (멱등성)",
        "정확히 한 번 (트랜잭션)",
    ],
    cannot_run: "이 레인은 실행할 수 없습니다:",
    log: "파티션 로그",
    empty_log: "(비어 있음)",
    #[cfg(txn)]
    consumer_reads: "{} 컨슈머가 읽음",
    #[cfg(txn)]
    reads_nothing: "아직 없음",
    stored: "저장",
    duplicates: "중복",
    lost: "손실",
    failed: "실패 (앱에 통보)",
    reordered: "순서 바뀜",
    no_loss: "손실 없음",
    no_duplicates: "중복 없음",
    yes: "예",
    no: "아니오",
    nothing_lost_nothing_twice: "손실 없음, 중복 없음",
    stored_twice: |m, n| format!("{m} {n}번 저장됨"),
    lost_msg: |m| format!("{m} 손실"),
    failed_msg: |m| format!("{m} 실패 (통보됨)"),
    out_of_order: "순서 바뀜",
    play: "재생",
    pause: "일시 정지",
    prev: "이전 단계",
    next: "다음 단계",
    first: "처음으로",
    last: "끝으로",
    speed: "속도",
    step: "단계",
    click_to_drop: "클릭하면 유실",
    click_cycle: "클릭: 유실, 다시: 브로커 오류, 다시: 원래대로",
    click_to_restore: "클릭하면 다시 전달",
    producer: "프로듀서",
    broker: "브로커",
    timeout: "타임아웃",
    dedup: "중복 → off",
    not_stored: "저장 안 됨",
    restart: "재시작",
    #[cfg(txn)]
    txn_words: ["시작", "커밋", "중단", "펜싱됨"],
    #[cfg(not(feature = "embed"))]
    failover: "리더 교체",
    down: "브로커 중단",
    up: "브로커 복구",
    closed: "연결 끊김",
    #[cfg(not(feature = "embed"))]
    follower: "F",
    #[cfg(not(feature = "embed"))]
    leader: "리더",
    #[cfg(not(feature = "embed"))]
    offline: "오프라인",
    #[cfg(not(feature = "embed"))]
    high_watermark: "하이 워터마크 {}: 컨슈머는 그 아래 레코드만 읽음",
    #[cfg(not(feature = "embed"))]
    replica_words: [
        "이 단계의 복제본",
        "리더",
        "중단",
        "ISR 안",
        "ISR 밖",
        "ISR {isr}: min.insync.replicas {min} 충족",
        "ISR {isr}: min.insync.replicas {min}보다 적어 acks=all 쓰기는 거절됨",
    ],
    diagram_label: |lane, summary| format!("시퀀스 다이어그램, {lane}: {summary}"),
    legend: [
        "요청",
        "ACK",
        "유실",
        "다시 저장됨 (중복)",
        "중복 인식, 저장 안 함",
        "오류 응답",
        "같은 연결에서 유실된 패킷 뒤에 막힘",
    ],
    dismiss: "닫기",
    ignored_in_link: "링크에서 무시한 부분:",
    #[cfg(feature = "workshop")]
    not_loaded: "참고:",
    open_full: "전체 화면으로 열기",
};

static KO_CHROME: Chrome = Chrome {
    text: &KO,
    subtitle: "같은 메시지, 같은 장애, 세 프로듀서. 화살표를 클릭하면 유실됩니다.",
    side_by_side: "나란히 보기: 세 가지 교훈을 한 번에",
    stories: [
        "1. 적어도 한 번 전송: B의 ACK 유실",
        "2. 최대 한 번 전송: 브로커가 B 저장 실패",
        "3. 중복 없는 전송: B의 ACK 유실",
        "4. 복제본: acks=all, min.insync.replicas, 언클린 선출",
        "5. 배치: linger.ms 0과 5, 요청 셋 또는 하나",
        "6. 트랜잭션: 커밋 전 장애, 좀비 펜싱",
    ],
    #[cfg(feature = "partitions")]
    story_partitions: "7. 키와 파티션: 순서는 파티션 안에서만, 그것도 멱등성이 있을 때",
    messages: "메시지",
    count: "개수",
    sync: "결과를 기다린 뒤 다음 전송 (send().get())",
    seed: "시드",
    latency: "지연 ms",
    jitter: "지터 ± ms",
    request_loss: "요청 유실 %",
    response_loss: "ACK 유실 %",
    replicas: "복제본",
    #[cfg(feature = "partitions")]
    partitions: "파티션 수",
    #[cfg(feature = "partitions")]
    keys: "키, 메시지 순서대로 (쉼표로 구분, 비우면 키 없음)",
    replication: "복제 ms",
    faults: "장애",
    add_fault: "+ 장애",
    remove: "삭제",
    fault_kinds: [
        "요청 유실",
        "ACK 유실",
        "브로커 오류 (거절)",
        "브로커가 저장 전 실패",
        "ACK 지연",
        "브로커 중단",
        "리더 교체",
        "프로듀서 재시작",
        "팔로워 중단",
        "팔로워 느림",
    ],
    replica: "팔로워",
    extra_ms: "추가 지연 ms",
    // May break after "insync.", not inside a word, where the field is narrow.
    min_isr: "min.insync.\u{200b}replicas",
    unclean: "언클린 리더 선출",
    #[cfg(txn)]
    transactions: "트랜잭션 (transactional.id가 있는 레인)",
    #[cfg(txn)]
    txn_shapes: [
        "메시지마다 하나씩, 커밋",
        "모두 하나로, 커밋",
        "모두 하나로, 중단(abort)",
        "모두 하나로, 끝내지 않음",
        "마지막만 따로, 커밋",
        "마지막만 따로, 중단(abort)",
        "마지막만 따로, 끝내지 않음",
        "가져온 그대로",
    ],
    #[cfg(txn)]
    coordinator_ms: "코디네이터 응답 지연 (ms)",
    broker_error: "오류",
    message: "메시지",
    attempt: "시도",
    at_ms: "시각 ms",
    from_ms: "시작 ms",
    to_ms: "끝 ms",
    delay_ms: "지연 ms",
    settings: "프로듀서 설정",
    reset_preset: "기본 프리셋으로",
    events: "이벤트 로그",
    time: "ms",
    actor: "주체",
    event: "이벤트",
    theme: "다크 모드",
    language: "언어",
    notes_title: "정리 노트와 실제 카프카의 차이",
    notes: [
        "시퀀스 규칙: 브로커는 PID마다 마지막 5개 배치를 기억하고, 그와 같은 재전송은 저장 없이 ACK합니다. 그 밖의 어긋난 번호는 \"중복\"이 아니라 OUT_OF_ORDER_SEQUENCE_NUMBER입니다.",
        "카프카 3.0부터 프로듀서는 기본으로 멱등성을 켭니다 (acks=all). 적어도 한 번 전송은 그 이전의 기본값입니다.",
        "KIP-185 측정: 멱등성만으로는 처리량이 크게 줄지 않습니다 (20%가 아님). 비용은 acks=all에서 옵니다.",
        "acks=0에는 ACK가 아예 없습니다.",
        "TCP 연결 하나는 순서를 지킵니다. B의 요청이 유실되면 그 뒤의 C도 도착하지 않으므로, 번호가 건너뛴 요청이 브로커에 닿지 않습니다. 카프카에서 번호의 틈은 브로커 오류로 생깁니다 (B가 거절되고 이어서 C가 OUT_OF_ORDER_SEQUENCE_NUMBER를 받음). 둘 다 순서대로 재시도됩니다.",
    ],
    controls: "시나리오",
    network: "네트워크",
    share: "링크 복사",
    copied: "복사됨",
    copy_refused: "브라우저가 복사를 막았습니다: 주소창에서 복사하세요",
    copy_embed: "임베드 코드 복사",
    #[cfg(feature = "workshop")]
    export_svg: "SVG 내보내기",
    #[cfg(feature = "workshop")]
    export_json: "트레이스 JSON 내보내기",
    #[cfg(feature = "workshop")]
    import: "시나리오 가져오기",
    #[cfg(feature = "workshop")]
    import_hint: "시나리오 JSON(CLI 형식)을 붙여 넣거나 파일을 고르세요",
    #[cfg(not(feature = "workshop"))]
    files_on_workshop: "SVG·JSON 내보내기, 시나리오 가져오기: 워크숍 페이지",
    #[cfg(not(feature = "partitions"))]
    partitions_on_workshop: "키와 파티션: 워크숍 페이지의 스토리 7",
    copy_properties: "producer.properties 복사",
    properties_hint: "이 레인의 producer.properties: 고치거나 블록을 붙여 넣으세요 (없는 키는 카프카 기본값)",
    properties_problems: "적용하지 못한 줄:",
    exercises: "연습 문제",
    #[cfg(feature = "workshop")]
    exercise: "연습 문제",
    #[cfg(feature = "workshop")]
    levels: ["쉬움", "보통", "어려움"],
    #[cfg(feature = "workshop")]
    check: "확인",
    #[cfg(feature = "workshop")]
    hint: "힌트",
    #[cfg(feature = "workshop")]
    solution: "풀이",
    #[cfg(feature = "workshop")]
    load_solution: "풀이 불러오기",
    #[cfg(feature = "workshop")]
    start_over: "처음부터",
    #[cfg(feature = "workshop")]
    still_missing: "아직:",
    #[cfg(feature = "workshop")]
    solved: "해결!",
    #[cfg(feature = "workshop")]
    now: "지금",
    #[cfg(feature = "workshop")]
    close: "닫기",
    #[cfg(feature = "workshop")]
    next_exercise: "다음 문제",
    #[cfg(feature = "workshop")]
    reset_progress: "진행 기록 지우기",
    #[cfg(feature = "workshop")]
    loading: "불러오는 중…",
    #[cfg(feature = "workshop")]
    solved_count: |n, of| format!("{of}문제 중 {n}문제 해결"),
};
