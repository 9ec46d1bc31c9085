//! The words for every trace event, in both languages: the event log and the step-by-step
//! narration of any run (a story's own steps are in `stories`).

use crate::i18n::Lang;
use delivery_sim::{Answer, Event, EventKind, FailReason, Loss, Trace};

#[cfg(test)]
mod tests;
mod words;
pub use words::*;

/// A sentence for one event, or `None` for bookkeeping the narration skips. (Long by nature:
/// a table with an arm an event kind, each sentence in both languages side by side, where a
/// translator reads and changes them together; the transactional arms are `txn_sentence`.)
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
                    batch,
                    msg,
                    attempt,
                    ..
                } if r == req => Some((msg, batch, attempt)),
                _ => None,
            })
    };
    // A request as a reader names it: "B", or "B #2" for a retry; "B C D" for a batch.
    let what = |req: u32| match req_of(req) {
        Some((m, b, a)) => batch_word(trace, m, b, a),
        None => W::S("?"),
    };
    // Each sentence in both languages with `{}` for its words, in the same order in both:
    // one filling function instead of a formatting call per sentence (smaller in wasm).
    let (ko, en, words): (&str, &str, [W; 3]) = match e.kind {
        EventKind::Send { msg } => (
            "앱이 {}에 대해 send() 호출",
            "the application calls send({})",
            [W::S(name(msg)), W::S(""), W::S("")],
        ),
        EventKind::InitProducerId { pid, epoch } => (
            "프로듀서가 PID {}, epoch {}를 받음",
            "the producer gets PID {}, epoch {}",
            [W::N(pid), W::N(epoch.into()), W::S("")],
        ),
        EventKind::RequestHeld { req, behind } => {
            let lost = trace.events[..upto].iter().any(|x| {
                matches!(x.kind, EventKind::RequestLost { req: r, cause } if r == behind && cause != Loss::BrokerDown)
            });
            let (ko, en) = if lost {
                (
                    "{}는 한 연결에서 유실된 {} 요청 뒤에 막혀 도착하지 않음: 정리 노트의 그림과 달리 번호의 틈이 생기지 않음",
                    "{} is held behind {}'s lost request on one connection and never arrives: no gap reaches the broker, unlike the notes' picture",
                )
            } else {
                (
                    "{}는 읽히지 않음: 브로커가 {}에서 이 연결 읽기를 멈춤",
                    "{} is never read: the broker stopped reading the connection at {}",
                )
            };
            (ko, en, [what(req), what(behind), W::S("")])
        }
        EventKind::ResponseHeld { req, behind } => (
            "{}의 ACK는 유실된 {}의 ACK 뒤에 막혀 도착하지 않음",
            "{}'s ACK is held behind {}'s lost ACK and never arrives",
            [what(req), what(behind), W::S("")],
        ),
        EventKind::ConnectionClosed { .. } => (
            "브로커가 연결을 닫음 (acks=0에는 오류를 전할 응답이 없음)",
            "the broker closes the connection (acks=0 has no answer to carry the error)",
            [W::S(""), W::S(""), W::S("")],
        ),
        EventKind::Connect { .. } => return None,
        EventKind::Request {
            msg,
            batch,
            attempt,
            idem,
            ..
        } => {
            let (ko, en) = match (idem.is_some(), attempt > 1) {
                (true, true) => ("{} (PID {}, seq {}) 재전송", "{} (PID {}, seq {}) is sent again"),
                (true, false) => ("{} (PID {}, seq {}) 전송", "{} (PID {}, seq {}) is sent"),
                (false, true) => ("{} 재전송", "{} is sent again"),
                (false, false) => ("{} 전송", "{} is sent"),
            };
            let (pid, seq) = idem.map_or((0, 0), |id| (id.pid, id.seq));
            (ko, en, [batch_word(trace, msg, batch, attempt), W::N(pid), seq_word(trace, batch, seq)])
        }
        EventKind::RequestLost { req, cause } => {
            let (ko, en) = if cause == Loss::BrokerDown {
                ("브로커가 중단되어 {}를 받지 못함", "the broker is down: {} never arrives")
            } else {
                ("{} 요청이 네트워크에서 유실됨", "{}'s request is lost on the network")
            };
            (ko, en, [what(req), W::S(""), W::S("")])
        }
        EventKind::BrokerFailed { req } => (
            "브로커가 {}를 저장하기 전에 실패, 응답 없음",
            "the broker fails before storing {} and never answers",
            [what(req), W::S(""), W::S("")],
        ),
        EventKind::Decided { req, answer, batch } => {
        // The batch decided: the request's own, or one of another partition it carries
        // ("B (P0)" when the topic has several).
        #[cfg(feature = "partitions")]
        let what = |req: u32| decided_word(trace, what(req), req_of(req), batch);
        // (One partition without the feature `partitions`: the request's batch.)
        #[cfg(not(feature = "partitions"))]
        let _ = batch;
        match answer {
            Answer::Stored { offset } => (
                "브로커가 {}를 오프셋 {}에 저장",
                "the broker stores {} at offset {}",
                [what(req), W::N(offset), W::S("")],
            ),
            Answer::Duplicate { offset } => (
                "브로커가 {}의 PID/번호를 최근 배치에서 찾음: 저장하지 않고 오프셋 {}으로 ACK",
                "the broker finds {}'s PID and sequence among its last batches: not stored, ACK with offset {}",
                [what(req), W::N(offset), W::S("")],
            ),
            Answer::OutOfOrder { expected } => (
                "브로커가 {}를 거절: OUT_OF_ORDER_SEQUENCE_NUMBER (기대한 번호 {})",
                "the broker rejects {}: OUT_OF_ORDER_SEQUENCE_NUMBER (expected seq {})",
                [what(req), W::N(expected.into()), W::S("")],
            ),
            Answer::Rejected(error) => (
                "브로커가 {}를 저장 전에 거절: {} (재시도 가능)",
                "the broker turns {} down before storing it: {} (retriable)",
                [what(req), W::S(error.code()), W::S("")],
            ),
            other => (
                "브로커가 {}를 거절: {}",
                "the broker rejects {}: {}",
                [what(req), W::S(other.error_code()), W::S("")],
            ),
        }
        }
        #[cfg(feature = "partitions")]
        EventKind::Carries {
            batch,
            msg,
            attempt,
            idem,
            ..
        } => {
            let p = W::N(trace.batches.partition(batch as usize).into());
            let w = batch_word(trace, msg, batch, attempt);
            match idem {
                Some(id) => (
                    "같은 요청에 P{}의 {}도 실림 (seq {})",
                    "the same request also carries P{}'s {} (seq {})",
                    [p, w, seq_word(trace, batch, id.seq)],
                ),
                None => (
                    "같은 요청에 P{}의 {}도 실림",
                    "the same request also carries P{}'s {}",
                    [p, w, W::S("")],
                ),
            }
        }
        #[cfg(not(feature = "partitions"))]
        EventKind::Carries { .. } => return None,
        EventKind::Response { .. } | EventKind::Replicated { .. } => return None,
        EventKind::ResponseLost { req, .. } => (
            "{}의 ACK가 돌아오는 길에 유실됨",
            "{}'s ACK is lost on the way back",
            [what(req), W::S(""), W::S("")],
        ),
        EventKind::ResponseReceived { req, stale } => {
            if !stale {
                return None;
            }
            (
                "이미 포기한 {}의 늦은 응답 도착: 무시",
                "a late answer for {} arrives after the producer gave up: ignored",
                [what(req), W::S(""), W::S("")],
            )
        }
        EventKind::RequestTimeout { req } => (
            "{}: request.timeout.ms 동안 응답 없음: 연결을 닫고 그 위의 요청을 모두 실패 처리",
            "{}: no answer within request.timeout.ms: the connection is closed and every request on it fails",
            [what(req), W::S(""), W::S("")],
        ),
        EventKind::Disconnected { req } => (
            "그 연결에 있던 {}도 실패 (REQUEST_TIMED_OUT)",
            "{} fails too (REQUEST_TIMED_OUT): it was on that connection",
            [what(req), W::S(""), W::S("")],
        ),
        EventKind::RetryScheduled {
            batch,
            msg,
            attempt,
            at_ms,
        } => (
            "{} #{} 재시도 예약 ({} ms 후, retry.backoff.ms)",
            "{} #{} will be retried in {} ms (retry.backoff.ms)",
            [batch_word(trace, msg, batch, 1), W::N(attempt.into()), W::N(at_ms.saturating_sub(e.t_ms))],
        ),
        EventKind::Acked { msg, offset } => match offset {
            Some(o) => (
                "앱: {} 전송 성공 (오프셋 {})",
                "app: {} succeeded (offset {})",
                [W::S(name(msg)), W::N(o), W::S("")],
            ),
            None => (
                "앱: acks=0이므로 {}가 전송되었다고 가정",
                "app: acks=0, so {} counts as sent",
                [W::S(name(msg)), W::S(""), W::S("")],
            ),
        },
        EventKind::Failed { msg, reason } => {
            let why = match reason {
                FailReason::RetriesExhausted(_) => "retries",
                FailReason::DeliveryTimeout(_) => "delivery.timeout.ms",
                FailReason::Fatal(e) => e.code(),
                // (TransactionAbortedException: not in the pages' engine, which has no
                // transactions.)
                #[allow(unreachable_patterns)]
                _ => "",
            };
            (
                "앱: {} 전송 실패를 통보받음: {} ({})",
                "app: told that {} failed: {} ({})",
                [W::S(name(msg)), W::S(reason.exception()), W::S(why)],
            )
        }
        EventKind::BrokerDown => ("브로커 중단", "the broker goes down", [W::S(""), W::S(""), W::S("")]),
        EventKind::BrokerUp => ("브로커 복구", "the broker is back", [W::S(""), W::S(""), W::S("")]),
        #[cfg(not(feature = "embed"))]
        EventKind::LeaderFailover { from_offset, truncated } => (
            "리더 교체: 복제되지 않은 {}개 레코드(오프셋 {}부터) 사라짐",
            "leader failover: {} unreplicated record(s) from offset {} are gone",
            [W::N(truncated.into()), W::N(from_offset), W::S("")],
        ),
        #[cfg(txn)]
        EventKind::ProducerRestart if trace.config.transactional_id.is_some() => (
            "프로듀서 재시작: 같은 transactional.id로 initTransactions를 다시 호출",
            "the producer restarts with the same transactional.id and calls initTransactions again",
            [W::S(""), W::S(""), W::S("")],
        ),
        EventKind::ProducerRestart => (
            "프로듀서 재시작: 새 PID로 ACK 못 받은 메시지를 다시 보냄",
            "the producer restarts: a new PID resends what was not acknowledged",
            [W::S(""), W::S(""), W::S("")],
        ),
        #[cfg(txn)]
        EventKind::BeginTxn { .. }
        | EventKind::EndTxn { .. }
        | EventKind::TxnRequest { .. }
        | EventKind::TxnResponse { .. }
        | EventKind::TxnState { .. }
        | EventKind::Marker { .. }
        | EventKind::ProducerFenced => txn_sentence(e.kind),
        EventKind::EpochBumped { epoch } => (
            "프로듀서가 epoch를 {}로 올리고 번호를 0부터 다시 매김",
            "the producer bumps its epoch to {} and numbers from 0 again",
            [W::N(epoch.into()), W::S(""), W::S("")],
        ),
        #[cfg(not(feature = "embed"))]
        EventKind::ReplicaDown { replica } => (
            "팔로워 {} 중단: 가져오기를 멈춤",
            "follower {} stops: it fetches nothing",
            [W::N(replica.into()), W::S(""), W::S("")],
        ),
        #[cfg(not(feature = "embed"))]
        EventKind::ReplicaUp { replica } => (
            "팔로워 {} 복구: 빠진 레코드를 가져옴",
            "follower {} is back and fetches what it lacks",
            [W::N(replica.into()), W::S(""), W::S("")],
        ),
        #[cfg(not(feature = "embed"))]
        EventKind::IsrShrunk { replica, fenced } => (
            if fenced {
                "ISR에서 팔로워 {} 제외: 하트비트가 끊겨 컨트롤러가 펜싱"
            } else {
                "ISR에서 팔로워 {} 제외: replica.lag.time.max.ms 넘게 뒤처짐"
            },
            if fenced {
                "follower {} leaves the ISR: its heartbeats stopped and the controller fenced it"
            } else {
                "follower {} leaves the ISR: behind for longer than replica.lag.time.max.ms"
            },
            [W::N(replica.into()), W::S(""), W::S("")],
        ),
        #[cfg(not(feature = "embed"))]
        EventKind::IsrExpanded { replica } => (
            "팔로워 {}가 하이 워터마크를 따라잡아 ISR에 복귀",
            "follower {} caught up with the high watermark and is back in the ISR",
            [W::N(replica.into()), W::S(""), W::S("")],
        ),
        #[cfg(not(feature = "embed"))]
        EventKind::LeaderElected {
            replica: Some(r),
            unclean,
        } => (
            if unclean {
                "언클린 선출: ISR 밖의 {}가 리더가 됨"
            } else {
                "ISR에서 {}가 새 리더로 선출됨"
            },
            if unclean {
                "unclean election: {}, outside the ISR, becomes leader"
            } else {
                "replica {} of the ISR is elected leader"
            },
            [W::N(r.into()), W::S(""), W::S("")],
        ),
        #[cfg(not(feature = "embed"))]
        EventKind::LeaderElected { replica: None, .. } => (
            "리더로 뽑을 복제본이 없음: 파티션 오프라인",
            "no replica can lead: the partition is offline",
            [W::S(""), W::S(""), W::S("")],
        ),
        // TransactionManager.markSequenceUnresolved / maybeResolveSequences.
        EventKind::SequenceUnresolved { next_seq } => (
            "이미 보낸 배치가 만료됨: 브로커가 저장했는지 알 수 없어, 전송 중인 것이 정리될 때까지 새 번호를 주지 않음 (다음 seq {})",
            "a batch expired after it was sent: whether the broker has it is unknown, so no new sequence until what is in flight settles (next seq {})",
            [W::N(next_seq.into()), W::S(""), W::S("")],
        ),
        EventKind::SequencesResolved { gap } => (
            if gap {
                "전송 중인 것이 없음: 번호에 틈이 남아 epoch를 올림"
            } else {
                "전송 중인 것이 없음: 번호가 이어짐"
            },
            if gap {
                "nothing in flight: the sequences left a gap, so the epoch is bumped"
            } else {
                "nothing in flight: the sequences meet"
            },
            [W::S(""), W::S(""), W::S("")],
        ),
        // The embed page's engine has no replicas (`delivery_sim::sim::REPLICATION`); the
        // transactions' events are in builds whose engine has them (delivery-sim's feature
        // `transactions`, on when the workspace is built together), not in the pages'.
        #[allow(unreachable_patterns)]
        _ => return None,
    };
    Some(fill(if lang == Lang::Ko { ko } else { en }, &words))
}
