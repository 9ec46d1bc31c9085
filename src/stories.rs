//! The seed's three stories as scenarios with their narrated steps, and the words for every
//! trace event (the event log and the step-by-step narration of any run).

use crate::i18n::Lang;
use delivery_sim::scenario::{Fault, Scenario};
use delivery_sim::trace::FailReason;
use delivery_sim::{Answer, Event, EventKind, Loss, Preset, Trace};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Story {
    SideBySide,
    AtLeastOnce,
    AtMostOnce,
    Idempotent,
}

/// What a story step points at in its lane's trace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Find {
    Request(&'static str, u32),
    Stored(&'static str, u32),
    Dedup(&'static str, u32),
    ResponseLost(&'static str, u32),
    BrokerFailed(&'static str, u32),
}

impl Find {
    /// Whether the step is about the response (the ACK) rather than the request.
    pub fn is_response(self) -> bool {
        matches!(self, Find::ResponseLost(..))
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
    pub const ALL: [Story; 4] = [
        Story::SideBySide,
        Story::AtLeastOnce,
        Story::AtMostOnce,
        Story::Idempotent,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Story::SideBySide => "side",
            Story::AtLeastOnce => "1",
            Story::AtMostOnce => "2",
            Story::Idempotent => "3",
        }
    }

    pub fn from_code(code: &str) -> Option<Story> {
        Story::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The lane whose preset the story is about.
    pub fn lane(self) -> Option<usize> {
        match self {
            Story::SideBySide => None,
            Story::AtMostOnce => Some(0),
            Story::AtLeastOnce => Some(1),
            Story::Idempotent => Some(2),
        }
    }

    /// Where playback starts: a story at its first step, a free run showing its whole result.
    pub fn first_step(self) -> usize {
        match self {
            Story::SideBySide => usize::MAX,
            _ => 0,
        }
    }

    pub fn scenario(self) -> Scenario {
        let mut s = Scenario::new(&["A", "B", "C"], Preset::ExactlyOnce);
        s.faults = match self {
            Story::SideBySide => vec![
                Fault::DropRequest { msg: 1, attempt: 1 },
                Fault::DropResponse { msg: 1, attempt: 2 },
            ],
            Story::AtLeastOnce | Story::Idempotent => {
                vec![Fault::DropResponse { msg: 1, attempt: 1 }]
            }
            Story::AtMostOnce => vec![Fault::BrokerFail { msg: 1, attempt: 1 }],
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
        }
    }
}

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
pub fn locate(trace: &Trace, find: Find) -> Option<(u64, u32)> {
    let (name, attempt) = match find {
        Find::Request(m, a)
        | Find::Stored(m, a)
        | Find::Dedup(m, a)
        | Find::ResponseLost(m, a)
        | Find::BrokerFailed(m, a) => (m, a),
    };
    let msg = trace.messages.iter().position(|m| m == name)?;
    let req = trace.events.iter().find_map(|e| match e.kind {
        EventKind::Request {
            req,
            msg: m,
            attempt: a,
            ..
        } if m == msg && a == attempt => Some(req),
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
                },
            ) => r == req,
            (
                Find::Dedup(..),
                EventKind::Decided {
                    req: r,
                    answer: Answer::Duplicate { .. },
                },
            ) => r == req,
            (Find::ResponseLost(..), EventKind::ResponseLost { req: r, .. }) => r == req,
            (Find::BrokerFailed(..), EventKind::BrokerFailed { req: r }) => r == req,
            _ => false,
        };
        hit.then_some((e.t_ms, req))
    })
}

/// A sentence for one event, or `None` for bookkeeping the narration skips.
pub fn describe(lang: Lang, trace: &Trace, e: &Event) -> Option<String> {
    let name = |m: usize| trace.messages.get(m).map_or("?", |s| s.as_str());
    // The request is earlier than `e`, and close to it: search back from `e`'s time, not
    // forward from the start (at the end of a 1,000-message run that is 10,000 events).
    let upto = trace.events.partition_point(|x| x.t_ms <= e.t_ms);
    let req_of = |req: u32| {
        trace.events[..upto]
            .iter()
            .rev()
            .find_map(|e| match e.kind {
                EventKind::Request {
                    req: r,
                    msg,
                    attempt,
                    idem,
                } if r == req => Some((msg, attempt, idem)),
                _ => None,
            })
    };
    let what = |req: u32| match req_of(req) {
        Some((m, a, _)) if a > 1 => format!("{} #{a}", name(m)),
        Some((m, _, _)) => name(m).to_string(),
        None => "?".into(),
    };
    let ko = lang == Lang::Ko;
    Some(match e.kind {
        EventKind::Send { msg } => {
            if ko {
                format!("앱이 {}에 대해 send() 호출", name(msg))
            } else {
                format!("the application calls send({})", name(msg))
            }
        }
        EventKind::InitProducerId { pid, epoch } => {
            if ko {
                format!("프로듀서가 PID {pid}, epoch {epoch}를 받음")
            } else {
                format!("the producer gets PID {pid}, epoch {epoch}")
            }
        }
        EventKind::Request { msg, attempt, idem, .. } => {
            let who = if attempt > 1 {
                format!("{} #{attempt}", name(msg))
            } else {
                name(msg).to_string()
            };
            let ids = idem.map_or(String::new(), |id| format!(" (PID {}, seq {})", id.pid, id.seq));
            match (ko, attempt > 1) {
                (true, false) => format!("{who}{ids} 전송"),
                (true, true) => format!("{who}{ids} 재전송"),
                (false, false) => format!("{who}{ids} is sent"),
                (false, true) => format!("{who}{ids} is sent again"),
            }
        }
        EventKind::RequestLost { req, cause } => match (ko, cause) {
            (true, Loss::BrokerDown) => format!("브로커가 중단되어 {}를 받지 못함", what(req)),
            (true, _) => format!("{} 요청이 네트워크에서 유실됨", what(req)),
            (false, Loss::BrokerDown) => format!("the broker is down: {} never arrives", what(req)),
            (false, _) => format!("{}'s request is lost on the network", what(req)),
        },
        EventKind::BrokerFailed { req } => {
            if ko {
                format!("브로커가 {}를 저장하기 전에 실패, 응답 없음", what(req))
            } else {
                format!("the broker fails before storing {} and never answers", what(req))
            }
        }
        EventKind::Decided { req, answer } => match (ko, answer) {
            (true, Answer::Stored { offset }) => format!("브로커가 {}를 오프셋 {offset}에 저장", what(req)),
            (false, Answer::Stored { offset }) => format!("the broker stores {} at offset {offset}", what(req)),
            (true, Answer::Duplicate { offset }) => format!(
                "브로커가 {}의 PID/번호를 최근 배치에서 찾음: 저장하지 않고 오프셋 {offset}으로 ACK",
                what(req)
            ),
            (false, Answer::Duplicate { offset }) => format!(
                "the broker finds {}'s PID and sequence among its last batches: not stored, ACK with offset {offset}",
                what(req)
            ),
            (true, Answer::OutOfOrder { expected }) => format!(
                "브로커가 {}를 거절: OUT_OF_ORDER_SEQUENCE_NUMBER (기대한 번호 {expected})",
                what(req)
            ),
            (false, Answer::OutOfOrder { expected }) => format!(
                "the broker rejects {}: OUT_OF_ORDER_SEQUENCE_NUMBER (expected seq {expected})",
                what(req)
            ),
            (true, other) => format!("브로커가 {}를 거절: {}", what(req), other.error_code()),
            (false, other) => format!("the broker rejects {}: {}", what(req), other.error_code()),
        },
        EventKind::Response { .. } | EventKind::Replicated { .. } => return None,
        EventKind::ResponseLost { req, .. } => {
            if ko {
                format!("{}의 ACK가 돌아오는 길에 유실됨", what(req))
            } else {
                format!("{}'s ACK is lost on the way back", what(req))
            }
        }
        EventKind::ResponseReceived { req, stale } => {
            if !stale {
                return None;
            }
            if ko {
                format!("이미 포기한 {}의 늦은 응답 도착: 무시", what(req))
            } else {
                format!("a late answer for {} arrives after the producer gave up: ignored", what(req))
            }
        }
        EventKind::RequestTimeout { req } => {
            if ko {
                format!("{}: request.timeout.ms 동안 응답 없음, 연결을 닫음", what(req))
            } else {
                format!("{}: no answer within request.timeout.ms; the connection is closed", what(req))
            }
        }
        EventKind::Disconnected { req } => {
            if ko {
                format!("연결이 닫혀 {}도 실패 처리", what(req))
            } else {
                format!("{} fails too: its connection was closed", what(req))
            }
        }
        EventKind::RetryScheduled { msg, attempt, at_ms } => {
            let wait = at_ms.saturating_sub(e.t_ms);
            if ko {
                format!("{} #{attempt} 재시도 예약 ({wait} ms 후, retry.backoff.ms)", name(msg))
            } else {
                format!("{} #{attempt} will be retried in {wait} ms (retry.backoff.ms)", name(msg))
            }
        }
        EventKind::Acked { msg, offset } => match (ko, offset) {
            (true, Some(o)) => format!("앱: {} 전송 성공 (오프셋 {o})", name(msg)),
            (true, None) => format!("앱: acks=0이므로 {}가 전송되었다고 가정", name(msg)),
            (false, Some(o)) => format!("app: {} succeeded (offset {o})", name(msg)),
            (false, None) => format!("app: acks=0, so {} counts as sent", name(msg)),
        },
        EventKind::Failed { msg, reason } => {
            let why = match reason {
                FailReason::RetriesExhausted => "retries",
                FailReason::DeliveryTimeout => "delivery.timeout.ms",
                FailReason::Fatal(a) => a.error_code(),
            };
            if ko {
                format!("앱: {} 전송 실패를 통보받음 ({why})", name(msg))
            } else {
                format!("app: told that {} failed ({why})", name(msg))
            }
        }
        EventKind::BrokerDown => (if ko { "브로커 중단" } else { "the broker goes down" }).into(),
        EventKind::BrokerUp => (if ko { "브로커 복구" } else { "the broker is back" }).into(),
        EventKind::LeaderFailover { from_offset, truncated } => {
            if ko {
                format!("리더 교체: 복제되지 않은 {truncated}개 레코드(오프셋 {from_offset}부터) 사라짐")
            } else {
                format!("leader failover: {truncated} unreplicated record(s) from offset {from_offset} are gone")
            }
        }
        EventKind::ProducerRestart => {
            if ko {
                "프로듀서 재시작: 새 PID로 ACK 못 받은 메시지를 다시 보냄".into()
            } else {
                "the producer restarts: a new PID resends what was not acknowledged".into()
            }
        }
        EventKind::EpochBumped { epoch } => {
            if ko {
                format!("프로듀서가 epoch를 {epoch}로 올리고 번호를 0부터 다시 매김")
            } else {
                format!("the producer bumps its epoch to {epoch} and numbers from 0 again")
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use delivery_sim::simulate;

    fn lane_trace(story: Story) -> Trace {
        let mut s = story.scenario();
        s.producer = Preset::ALL[story.lane().unwrap()].settings();
        simulate(&s).unwrap()
    }

    #[test]
    fn every_story_step_is_found_in_order() {
        for story in [Story::AtLeastOnce, Story::AtMostOnce, Story::Idempotent] {
            let t = lane_trace(story);
            let times: Vec<u64> = story
                .steps()
                .iter()
                .map(|s| {
                    locate(&t, s.find)
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

    #[test]
    fn stories_give_the_seeds_logs() {
        assert_eq!(
            lane_trace(Story::AtLeastOnce).log_names(),
            ["A", "B", "B", "C"]
        );
        assert_eq!(lane_trace(Story::AtMostOnce).log_names(), ["A", "C"]);
        assert_eq!(lane_trace(Story::Idempotent).log_names(), ["A", "B", "C"]);
    }

    #[test]
    fn both_languages_describe_every_decision() {
        let t = lane_trace(Story::Idempotent);
        for e in &t.events {
            if let EventKind::Decided { .. } = e.kind {
                let en = describe(Lang::En, &t, e).unwrap();
                let ko = describe(Lang::Ko, &t, e).unwrap();
                assert_ne!(en, ko);
            }
        }
    }
}
