//! The producer state at the step shown, per lane (`delivery_sim::inspect`, read from the
//! trace): what the broker remembers per producer id, what the producer holds, and in one
//! sentence why the broker answered the step's request as it did. For a lane without
//! idempotence it says there is nothing to remember, which is the lesson.

use crate::i18n::Lang;
use crate::narration::{fill, W};
use crate::runs::{Runs, Shared};
use crate::svg::esc;
use delivery_sim::inspect::{self, Decision, Snapshot};
use delivery_sim::{EventKind, Trace};
use std::fmt::Write as _;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub runs: Shared<Runs>,
    pub lane: usize,
    /// The time shown.
    pub t: u64,
    /// The story step's request, when the story is told in this lane.
    pub req: Option<u32>,
    pub lang: Lang,
}

struct Words {
    title: &'static str,
    broker: &'static str,
    producer: &'static str,
    nothing: &'static str,
    no_pid_yet: &'static str,
    pid: &'static str,
    epoch: &'static str,
    window: &'static str,
    expects: &'static str,
    next_seq: &'static str,
    in_flight: &'static str,
    none: &'static str,
    connection: &'static str,
    open: &'static str,
    stalled_request: &'static str,
    stalled_answer: &'static str,
    unresolved: &'static str,
    unresolved_before: &'static str,
}

const EN: Words = Words {
    title: "Producer state at this step",
    broker: "The broker remembers",
    producer: "The producer holds",
    nothing: "Without idempotence the producer sends no producer id and no sequence numbers, so the broker has nothing to remember: a request sent again is stored again.",
    no_pid_yet: "no producer id yet",
    pid: "PID",
    epoch: "epoch",
    window: "last batches (seq → offset)",
    expects: "expects seq",
    next_seq: "next seq",
    in_flight: "in flight",
    none: "none",
    connection: "connection",
    open: "open",
    stalled_request: "stalled: a later request cannot pass the lost request of",
    stalled_answer: "stalled: later answers cannot pass the lost answer to",
    unresolved: "unresolved",
    unresolved_before: "an expired batch before seq {} may or may not be stored: no new sequence until nothing is in flight",
};

const KO: Words = Words {
    title: "이 단계의 프로듀서 상태",
    broker: "브로커가 기억하는 것",
    producer: "프로듀서가 가진 것",
    nothing: "멱등성이 없으면 프로듀서는 프로듀서 ID도 시퀀스 번호도 보내지 않으므로 브로커가 기억할 것이 없습니다: 다시 보낸 요청은 다시 저장됩니다.",
    no_pid_yet: "아직 프로듀서 ID 없음",
    pid: "PID",
    epoch: "에포크",
    window: "최근 배치 (seq → 오프셋)",
    expects: "기대하는 seq",
    next_seq: "다음 seq",
    in_flight: "전송 중",
    none: "없음",
    connection: "연결",
    open: "정상",
    stalled_request: "막힘: 유실된 요청 뒤의 요청은 지나가지 못함 —",
    stalled_answer: "막힘: 유실된 응답 뒤의 응답은 지나가지 못함 —",
    unresolved: "미해결 번호",
    unresolved_before: "seq {} 앞의 만료된 배치가 저장됐는지 알 수 없음: 전송 중인 것이 없어질 때까지 새 번호 없음",
};

fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::En => &EN,
        Lang::Ko => &KO,
    }
}

/// The broker's decision on the step's request, in one sentence (filled as the event log's
/// sentences are: one function, not a formatting call per sentence).
pub fn sentence(d: Decision, lang: Lang) -> String {
    let n = |v: u32| W::N(v.into());
    let (ko, en, words): (&str, &str, [W; 3]) = match d {
        Decision::InWindow { id, offset } => (
            "seq {}: PID {}의 최근 배치 5개 안에 있음 (오프셋 {}). 중복이므로 저장하지 않고 원래 오프셋으로 응답",
            "seq {} is in PID {}'s window of five (offset {}): a duplicate, not stored, acknowledged with that offset",
            [n(id.seq), W::N(id.pid), W::N(offset)],
        ),
        Decision::Next { id, offset } => (
            "seq {}: PID {}에게서 기대한 다음 번호. 오프셋 {}에 저장",
            "seq {} is the one PID {} was expected to send next: stored at offset {}",
            [n(id.seq), W::N(id.pid), W::N(offset)],
        ),
        Decision::OutOfOrder { id, expected } => (
            "기대한 seq는 {}, 받은 seq는 {}: OUT_OF_ORDER_SEQUENCE_NUMBER, 기대한 seq 뒤에 재시도",
            "expected seq {}, got {}: OUT_OF_ORDER_SEQUENCE_NUMBER, retried after the expected one",
            [n(expected), n(id.seq), W::S("")],
        ),
        Decision::Fenced { id } => (
            "PID {}의 에포크 {}: 브로커가 아는 에포크보다 오래됨, INVALID_PRODUCER_EPOCH",
            "PID {} epoch {} is older than the one the broker knows: INVALID_PRODUCER_EPOCH",
            [W::N(id.pid), W::N(id.epoch.into()), W::S("")],
        ),
        Decision::Rejected { error } => (
            "추가 전에 거절됨 ({}): 저장도 기억도 하지 않음",
            "turned down before the append ({}): nothing stored, nothing remembered",
            [W::S(error.code()), W::S(""), W::S("")],
        ),
        Decision::Plain { offset } => (
            "확인할 프로듀서 ID가 없음: 오프셋 {}에 저장",
            "no producer id to check: stored at offset {}",
            [W::N(offset), W::S(""), W::S("")],
        ),
    };
    fill(if lang == Lang::Ko { ko } else { en }, &words)
}

/// The request whose answer the step shows: the story's, or the last one decided at the time
/// shown.
fn step_request(trace: &Trace, t: u64, story: Option<u32>) -> Option<u32> {
    story.or_else(|| {
        trace.events.iter().rev().find_map(|e| match e.kind {
            EventKind::Decided { req, .. } if e.t_ms == t => Some(req),
            _ => None,
        })
    })
}

fn markup(trace: &Trace, snap: &Snapshot, decision: Option<Decision>, lang: Lang) -> String {
    let w = words(lang);
    let mut o = String::new();
    if let Some(d) = decision {
        let _ = write!(o, "<p class=\"why\">{}</p>", esc(&sentence(d, lang)));
    }
    let highlight = match decision {
        Some(Decision::InWindow { id, offset }) => Some((id.pid, id.seq, Some(offset))),
        Some(
            Decision::OutOfOrder { id, .. } | Decision::Next { id, .. } | Decision::Fenced { id },
        ) => Some((id.pid, id.seq, None)),
        _ => None,
    };
    let _ = write!(
        o,
        "<div class=\"pstate-grid\"><section><h4>{}</h4>",
        w.broker
    );
    broker_table(&mut o, trace, snap, highlight, w);
    let _ = write!(o, "</section><section><h4>{}</h4><dl>", w.producer);
    producer_list(&mut o, trace, snap, w);
    o.push_str("</dd></dl></section></div>");
    o
}

/// What the broker remembers per producer id: its epoch, its last batches (the one this step
/// decided on highlighted) and the sequence it expects next.
fn broker_table(
    o: &mut String,
    trace: &Trace,
    snap: &Snapshot,
    highlight: Option<(u64, u32, Option<u64>)>,
    w: &Words,
) {
    if !trace.config.enable_idempotence {
        let _ = write!(o, "<p class=\"nothing\">{}</p>", w.nothing);
    } else if snap.broker.is_empty() {
        let _ = write!(o, "<p>{}</p>", w.no_pid_yet);
    } else {
        let _ = write!(
            o,
            "<table><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
            w.pid, w.epoch, w.window, w.expects
        );
        for e in &snap.broker {
            let row = highlight.is_some_and(|(pid, ..)| pid == e.pid);
            // With several partitions each keeps its own table: "P1 · 0".
            let part = if cfg!(feature = "partitions") && trace.partitions > 1 {
                format!("P{} · ", e.partition)
            } else {
                String::new()
            };
            let _ = write!(
                o,
                "<tr{}><th scope=\"row\">{part}{}</th><td>{}</td><td>",
                if row { " class=\"decided\"" } else { "" },
                e.pid,
                e.epoch
            );
            for &(seq, last, offset) in &e.batches {
                let hit = highlight == Some((e.pid, seq, Some(offset)));
                let _ = write!(
                    o,
                    "<span class=\"batch{}\">{seq}",
                    if hit { " hit" } else { "" }
                );
                if last > seq {
                    let _ = write!(o, "-{last}");
                }
                let _ = write!(o, " → {offset}</span> ");
            }
            let _ = write!(o, "</td><td>{}</td></tr>", e.expects());
        }
        o.push_str("</tbody></table>");
    }
}

/// What the producer holds: its id and epoch, the next sequence, what it cannot resolve, what
/// is in flight and whether its connection is stalled.
fn producer_list(o: &mut String, trace: &Trace, snap: &Snapshot, w: &Words) {
    if let Some((pid, epoch)) = snap.producer.pid {
        let _ = write!(
            o,
            "<dt>{}</dt><dd>{pid} · {} {epoch}</dd><dt>{}</dt><dd>",
            w.pid, w.epoch, w.next_seq
        );
        // With several partitions, each one's: "P0 2 · P1 0".
        #[cfg(feature = "partitions")]
        match snap.producer.next_seq.as_slice() {
            [one] => {
                let _ = write!(o, "{one}");
            }
            all => {
                for (p, n) in all.iter().enumerate() {
                    let _ = write!(o, "{}P{p} {n}", if p > 0 { " · " } else { "" });
                }
            }
        }
        #[cfg(not(feature = "partitions"))]
        let _ = write!(o, "{}", snap.producer.next_seq[0]);
        o.push_str("</dd>");
    }
    let flying: Vec<String> = snap
        .producer
        .in_flight
        .iter()
        .map(|f| {
            let what = match trace.batches.get(f.batch as usize) {
                [] => msg_name(trace, f.msg),
                recs => esc(&crate::svg::batch_names(recs, &trace.messages, true)),
            };
            match f.seq {
                Some(seq) => format!("{what} #{} (seq {seq})", f.attempt),
                None => format!("{what} #{}", f.attempt),
            }
        })
        .collect();
    if snap.producer.pid.is_some() {
        let _ = write!(o, "<dt>{}</dt><dd>", w.unresolved);
        match snap.producer.unresolved {
            Some(seq) => {
                let text = w.unresolved_before.replace("{}", &seq.to_string());
                let _ = write!(o, "<span class=\"stalled\">{text}</span></dd>");
            }
            None => {
                let _ = write!(o, "{}</dd>", w.none);
            }
        }
    }
    let _ = write!(
        o,
        "<dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>",
        w.in_flight,
        if flying.is_empty() {
            w.none.to_string()
        } else {
            flying.join(", ")
        },
        w.connection
    );
    connection(o, trace, snap, w);
}

/// A message's name, escaped.
fn msg_name(trace: &Trace, msg: usize) -> String {
    esc(trace.messages.get(msg).map_or("?", |n| n.as_str()))
}

/// Whether the connection is open, or stalled on a request (or its answer) that was lost.
fn connection(o: &mut String, trace: &Trace, snap: &Snapshot, w: &Words) {
    match snap.producer.stalled {
        Some((req, answer)) => {
            let msg = trace.events.iter().find_map(|e| match e.kind {
                EventKind::Request {
                    req: r,
                    msg,
                    attempt,
                    ..
                } if r == req => Some((msg, attempt)),
                _ => None,
            });
            let what = msg.map_or(String::new(), |(m, a)| {
                format!(" {} #{a}", msg_name(trace, m))
            });
            let lead = if answer {
                w.stalled_answer
            } else {
                w.stalled_request
            };
            let _ = write!(o, "<span class=\"stalled\">{lead}{what}</span>");
        }
        None => o.push_str(w.open),
    }
}

#[function_component]
pub fn ProducerState(props: &Props) -> Html {
    let (open, ontoggle) = super::use_details_open();
    let w = words(props.lang);
    let body = match props.runs.lanes.get(props.lane) {
        Some(Ok((trace, _))) if open => {
            let req = step_request(trace, props.t, props.req);
            let (snap, decision) = inspect::at(trace, props.t, req);
            Html::from_html_unchecked(markup(trace, &snap, decision, props.lang).into())
        }
        _ => Html::default(),
    };
    html! {
        <details class="pstate" {ontoggle}>
            <summary>{ w.title }</summary>
            { body }
        </details>
    }
}
