//! What "Break it" says, in both languages, and a fault in a reader's words.

use crate::i18n::Lang;
use delivery_sim::{Fault, Scenario};

pub struct Words {
    pub title: &'static str,
    pub intro: &'static str,
    pub all: &'static str,
    pub guarantees: [&'static str; 4],
    pub holds: fn(usize) -> String,
    pub untried: fn(usize) -> String,
    pub faults: fn(usize) -> String,
    pub load: &'static str,
    pub running: fn(usize) -> String,
    pub tried: fn(usize, u64) -> String,
    pub stale: &'static str,
    pub at: &'static str,
    pub more: &'static str,
}

const EN: Words = Words {
    title: "Break it",
    intro: "Search the fault scripts over these messages, smallest first, for one that breaks each guarantee: every single fault, every pair, then triples while it stays fast. Faults go on requests the run really sends (lost, rejected, delayed past request.timeout.ms, a broker that fails before storing).",
    all: "All lanes",
    guarantees: ["nothing lost", "nothing duplicated", "order kept", "nothing reported failed"],
    holds: |n| format!("holds with any {n} fault{}", if n == 1 { "" } else { "s" }),
    untried: |n| format!("not broken by the {n} scripts tried; the time limit came before every single fault was"),
    faults: |n| format!("{n} fault{}", if n == 1 { "" } else { "s" }),
    load: "Load into all lanes",
    running: |n| format!("Searching… {n} scripts tried"),
    tried: |n, ms| format!("{n} scripts tried in {ms} ms"),
    stale: "The messages or settings changed since: search again.",
    at: "at",
    more: "also a producer restart or a leader failover while a request is on its way",
};

const KO: Words = Words {
    title: "깨뜨려 보기",
    intro: "이 메시지들에 대해 장애 조합을 작은 것부터 찾아, 각 보장을 깨뜨리는 가장 작은 조합을 보여 줍니다: 장애 하나씩, 둘씩, 빠른 동안은 셋씩. 장애는 실제로 보낸 요청에만 겁니다 (유실, 거절, request.timeout.ms를 넘는 지연, 저장 전 브로커 실패).",
    all: "모든 레인",
    guarantees: ["유실 없음", "중복 없음", "순서 유지", "실패 보고 없음"],
    holds: |n| format!("장애 {n}개까지 어떤 조합에도 지켜짐"),
    untried: |n| format!("시도한 {n}개 조합으로는 깨지지 않음. 장애 하나씩을 다 시도하기 전에 시간 제한에 걸림"),
    faults: |n| format!("장애 {n}개"),
    load: "모든 레인에 불러오기",
    running: |n| format!("찾는 중… {n}개 조합 시도"),
    tried: |n, ms| format!("{n}개 조합을 {ms} ms에 시도"),
    stale: "그 뒤로 메시지나 설정이 바뀌었습니다. 다시 찾아 보세요.",
    at: "시각",
    more: "요청이 오가는 중의 프로듀서 재시작과 리더 교체도",
};

pub fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::En => &EN,
        Lang::Ko => &KO,
    }
}

/// A fault in a reader's words: "ACK lost: A #1", "producer restart at 1 ms".
pub fn describe(f: &Fault, scenario: &Scenario, lang: Lang) -> String {
    let kinds = lang.chrome().fault_kinds;
    let kind = delivery_sim::FaultKind::ALL
        .iter()
        .position(|&k| k == f.kind())
        .map_or("?", |i| kinds[i]);
    match (f.target(), f) {
        (Some((msg, attempt)), _) => {
            let name = scenario.messages.get(msg).map_or("?", |n| n.as_str());
            format!("{kind}: {name} #{attempt}")
        }
        (None, Fault::LeaderFailover { at_ms } | Fault::ProducerRestart { at_ms }) => {
            format!("{kind} ({} {at_ms} ms)", words(lang).at)
        }
        (None, Fault::BrokerDown { from_ms, to_ms }) => format!("{kind} ({from_ms}–{to_ms} ms)"),
        (None, _) => kind.to_string(),
    }
}
