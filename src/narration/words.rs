//! The words a sentence is filled with: a batch, a broker's decision, a sequence number, and
//! the transactional events' sentences.

use super::*;

/// The sentence for a transactional event (`describe`'s).
#[cfg(txn)]
pub(super) fn txn_sentence(kind: EventKind) -> (&'static str, &'static str, [W<'static>; 3]) {
    match kind {
        EventKind::BeginTxn { txn } => (
            "앱: beginTransaction() (트랜잭션 {})",
            "app: beginTransaction() (transaction {})",
            [W::N(txn as u64 + 1), W::S(""), W::S("")],
        ),
        EventKind::EndTxn { txn, commit } => (
            "앱: {}() (트랜잭션 {})",
            "app: {}() (transaction {})",
            [
                W::S(if commit {
                    "commitTransaction"
                } else {
                    "abortTransaction"
                }),
                W::N(txn as u64 + 1),
                W::S(""),
            ],
        ),
        EventKind::TxnRequest { call } => (
            "프로듀서 → 코디네이터: {}",
            "producer → coordinator: {}",
            [W::S(crate::layout::call_name(call)), W::S(""), W::S("")],
        ),
        EventKind::TxnResponse {
            call,
            error,
            pid,
            epoch,
        } => (
            "코디네이터 → 프로듀서: {} {} ({})",
            "coordinator → producer: {} {} ({})",
            [
                W::S(crate::layout::call_name(call)),
                W::S(error.map_or("NONE", |e| e.code())),
                W::Own(format!("PID {pid}, epoch {epoch}"), 1),
            ],
        ),
        EventKind::TxnState {
            state,
            epoch,
            cause,
        } => (
            "코디네이터: 트랜잭션 상태 {}, 에포크 {}{}",
            "coordinator: transaction {}, epoch {}{}",
            [
                W::S(state.name()),
                W::N(epoch.into()),
                W::S(match cause {
                    delivery_sim::trace::TxnCause::Client => "",
                    delivery_sim::trace::TxnCause::Fence => " (fence)",
                    delivery_sim::trace::TxnCause::Timeout => " (transaction.timeout.ms)",
                }),
            ],
        ),
        EventKind::Marker {
            offset,
            commit,
            pid,
            epoch,
            ..
        } => (
            "브로커: {} 마커(컨트롤 레코드)를 오프셋 {}에 기록 ({})",
            "broker: a {} marker (a control record) at offset {} ({})",
            [
                W::S(if commit { "commit" } else { "abort" }),
                W::N(offset),
                W::Own(format!("PID {pid}, epoch {epoch}"), 1),
            ],
        ),
        EventKind::ProducerFenced => (
            "프로듀서 펜싱됨: 더 새로운 에포크가 있어 아무것도 보내지 않음",
            "the producer is fenced: a newer epoch exists, and it sends nothing more",
            [W::S(""), W::S(""), W::S("")],
        ),
        _ => ("", "", [W::S(""), W::S(""), W::S("")]),
    }
}

/// A word of a sentence: written out only when the sentence is, in one place (each sentence
/// making its own strings would be code in every arm).
#[derive(Clone)]
pub enum W<'a> {
    S(&'a str),
    N(u64),
    /// A message's attempt: "B", or "B #2" for a retry.
    Try(&'a str, u32),
    /// Words made for the sentence: a batch's records ("B C D", with its attempt) or its
    /// sequence range. The embed page's batches hold one record (`delivery_sim::sim::BATCHING`).
    #[cfg(not(feature = "embed"))]
    Own(String, u32),
}

/// A request's batch (`msg`: its first record) as a sentence names it: "B" or "B #2"; "B C D
/// #2" for three records.
pub(super) fn batch_word(trace: &Trace, msg: usize, batch: u32, attempt: u32) -> W<'_> {
    #[cfg(not(feature = "embed"))]
    if let recs @ [_, _, ..] = trace.batches.get(batch as usize) {
        return W::Own(
            crate::svg::batch_names(recs, &trace.messages, false),
            attempt,
        );
    }
    let _ = batch;
    W::Try(trace.messages.get(msg).map_or("?", String::as_str), attempt)
}

/// The batch a broker decision is about: the request's own (`own`, as `req` names it), or a
/// batch of another partition it carries; with several partitions, its partition too.
#[cfg(feature = "partitions")]
pub(super) fn decided_word<'a>(
    trace: &'a Trace,
    own: W<'a>,
    req: Option<(usize, u32, u32)>,
    batch: u32,
) -> W<'a> {
    use std::fmt::Write as _;
    let b = batch as usize;
    if trace.partitions < 2 {
        return own;
    }
    let mut w = crate::svg::batch_names(trace.batches.get(b), &trace.messages, false);
    let attempt = req.map_or(1, |r| r.2);
    if attempt > 1 && req.is_some_and(|r| r.1 == batch) {
        let _ = write!(w, " #{attempt}");
    }
    let _ = write!(w, " (P{})", trace.batches.partition(b));
    W::Own(w, 1)
}

/// A batch's sequence numbers: its base, or "0-2" for three records.
pub(super) fn seq_word(trace: &Trace, batch: u32, seq: u32) -> W<'_> {
    #[cfg(not(feature = "embed"))]
    if let n @ 2.. = trace.batches.get(batch as usize).len() {
        return W::Own(format!("{seq}-{}", seq as usize + n - 1), 1);
    }
    let _ = (trace, batch);
    W::N(seq.into())
}

/// "B", or "B #2" for a retry.
pub(super) fn push_try(out: &mut String, name: &str, attempt: u32) {
    out.push_str(name);
    if attempt > 1 {
        out.push_str(" #");
        out.push_str(&attempt.to_string());
    }
}

/// A sentence with each `{}` replaced by the next word.
pub fn fill(sentence: &str, words: &[W]) -> String {
    let mut out = String::with_capacity(sentence.len() + 24);
    for (i, part) in sentence.split("{}").enumerate() {
        match i.checked_sub(1).and_then(|w| words.get(w)) {
            Some(W::S(s)) => out.push_str(s),
            Some(W::N(n)) => out.push_str(&n.to_string()),
            Some(W::Try(name, attempt)) => push_try(&mut out, name, *attempt),
            #[cfg(not(feature = "embed"))]
            Some(W::Own(text, attempt)) => push_try(&mut out, text, *attempt),
            None => {}
        }
        out.push_str(part);
    }
    out
}
