#![cfg(all(
    feature = "transactions",
    not(feature = "lean"),
    not(target_arch = "wasm32")
))]
//! Transactions beyond the goldens: a coordinator that answers late, and the scenario format's
//! transactions and their errors.

use delivery_sim::trace::{TxnCall, TxnCause, TxnState};
use delivery_sim::{invariants, simulate, EventKind, Scenario};

fn scenario(extra: &str) -> Scenario {
    Scenario::from_json_text(&format!(
        r#"{{"messages": ["A", "B", "C"], "sync": true, "producer": {{"transactional.id": "tx"}},
            "transactions": [{{"messages": ["A", "B"], "end": "commit"}}, {{"messages": ["C"], "end": "abort"}}]{extra}}}"#
    ))
    .unwrap()
}

/// When the first event of a kind happened.
fn first(t: &delivery_sim::Trace, pick: impl Fn(&EventKind) -> bool) -> u64 {
    t.events
        .iter()
        .find(|e| pick(&e.kind))
        .map(|e| e.t_ms)
        .unwrap()
}

#[test]
fn a_slow_coordinator_holds_the_transaction_open_and_answers_late() {
    let fast = simulate(&scenario("")).unwrap();
    let slow = simulate(&scenario(r#", "broker": {"coordinator_ms": 500}"#)).unwrap();
    for t in [&fast, &slow] {
        assert_eq!(invariants::check(t), Ok(()));
    }
    let end_sent = |t: &delivery_sim::Trace| {
        first(t, |k| {
            matches!(
                k,
                EventKind::TxnRequest {
                    call: TxnCall::EndTxn { commit: true, .. }
                }
            )
        })
    };
    let committed =
        |t: &delivery_sim::Trace| first(t, |k| matches!(k, EventKind::Marker { commit: true, .. }));
    // The commit marker follows EndTxn by one way (10 ms), plus the coordinator's 500 ms.
    assert_eq!(committed(&fast) - end_sent(&fast), 10);
    assert_eq!(committed(&slow) - end_sent(&slow), 510);
    // Each of its requests is late: initTransactions, AddPartitionsToTxn and EndTxn twice.
    let answered = |t: &delivery_sim::Trace| {
        t.events
            .iter()
            .filter(|e| matches!(e.kind, EventKind::TxnResponse { error: None, .. }))
            .count()
    };
    assert_eq!(answered(&fast), answered(&slow));
    assert!(slow.end_ms() >= fast.end_ms() + 5 * 500);
    // What the consumers read in the end is the same.
    assert_eq!(fast.consumers, slow.consumers);
}

#[test]
fn a_coordinator_slower_than_the_request_timeout_never_lets_the_producer_start() {
    // Each InitProducerId times out and is sent again, and each bumps the epoch again (the
    // coordinator cannot tell a retry from a new instance): initTransactions never returns, as
    // in Kafka, and the run stops with a message saying what to change.
    let mut s = scenario(r#", "broker": {"coordinator_ms": 400}"#);
    s.producer.set("request.timeout.ms", "300");
    let e = simulate(&s).unwrap_err();
    assert!(e.contains("request.timeout.ms"), "{e}");
}

#[test]
fn transactions_are_checked_when_read() {
    let bad = |tx: &str| {
        Scenario::from_json_text(&format!(
            r#"{{"messages": ["A", "B", "C"], "transactions": {tx}}}"#
        ))
        .unwrap_err()
    };
    assert!(
        bad(r#"[{"messages": ["A", "C"], "end": "commit"}]"#).contains("`C` where `B` comes next")
    );
    assert!(
        bad(r#"[{"messages": ["A", "B"], "end": "commit"}]"#).contains("`C` is in no transaction")
    );
    assert!(bad(r#"[{"messages": ["A", "Z"], "end": "commit"}]"#)
        .contains("names `Z`, which is not in `messages`"));
    assert!(bad(
        r#"[{"messages": ["A"], "end": "none"}, {"messages": ["B", "C"], "end": "commit"}]"#
    )
    .contains("no transaction can follow"));
    assert!(
        bad(r#"[{"messages": ["A", "B", "C"], "end": "maybe"}]"#).contains("commit, abort or none")
    );
    assert!(bad(r#"[{"messages": [], "end": "commit"}]"#).contains("is empty"));
    // Kafka's own messages for the settings.
    let settings = |kv: &str| {
        Scenario::from_json_text(&format!(r#"{{"messages": ["A"], "producer": {{{kv}}}}}"#))
            .unwrap_err()
    };
    assert!(
        settings(r#""transactional.id": "tx", "enable.idempotence": false"#)
            .contains("Cannot set a transactional.id without also enabling idempotence.")
    );
    assert!(settings(r#""transactional.id": "tx", "acks": "1""#)
        .contains("Cannot set a transactional.id without also enabling idempotence."));
    assert!(settings(r#""transactional.id": """#).contains("String must be non-empty"));
    assert!(
        settings(r#""transactional.id": "tx", "transaction.timeout.ms": 900001"#)
            .contains("INVALID_TRANSACTION_TIMEOUT")
    );
    // Replicas are refused for a transactional producer, with a message.
    let replicated = Scenario::from_json_text(
        r#"{"messages": ["A"], "producer": {"transactional.id": "tx"}, "broker": {"replicas": 2}}"#,
    )
    .unwrap();
    assert!(simulate(&replicated).unwrap_err().contains("one broker"));
}

#[test]
fn a_fenced_transaction_is_aborted_with_the_bumped_epoch() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../scenarios/txn-restart-fences-the-zombie.json"
    ))
    .unwrap();
    let t = delivery_sim::run_json(&text).unwrap();
    let states: Vec<(TxnState, u16, TxnCause)> = t
        .events
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::TxnState {
                state,
                epoch,
                cause,
            } => Some((state, epoch, cause)),
            _ => None,
        })
        .collect();
    // The fence: epoch 1 aborts the open transaction; the new instance then runs at epoch 2.
    assert_eq!(states[1], (TxnState::PrepareAbort, 1, TxnCause::Fence));
    assert_eq!(states[2], (TxnState::CompleteAbort, 1, TxnCause::Fence));
    assert!(states[3..]
        .iter()
        .all(|&(_, epoch, cause)| epoch == 2 && cause == TxnCause::Client));
    // The old instance's answer to B reaches nobody.
    assert!(t
        .events
        .iter()
        .any(|e| matches!(e.kind, EventKind::ResponseReceived { stale: true, .. })));
}

#[test]
fn read_committed_waits_for_the_commit_marker() {
    let t = simulate(&scenario("")).unwrap();
    let at = |ms| delivery_sim::inspect::consumers_at(&t, ms);
    let marker = |commit: bool| {
        first(
            &t,
            |k| matches!(k, EventKind::Marker { commit: c, .. } if *c == commit),
        )
    };
    let stored_b = t.log[1].t_ms;
    // A and B are in the log, their transaction open: only read_uncommitted reads them.
    assert_eq!(at(stored_b).read_uncommitted, [0, 1]);
    assert_eq!(at(stored_b).read_committed, [] as [usize; 0]);
    assert_eq!(at(marker(true) - 1).read_committed, [] as [usize; 0]);
    assert_eq!(at(marker(true)).read_committed, [0, 1]);
    // C is written, then aborted: read_uncommitted reads it from its write on,
    // read_committed never.
    let stored_c = t.log[2].t_ms;
    assert_eq!(at(stored_c).read_uncommitted, [0, 1, 2]);
    assert_eq!(at(stored_c).read_committed, [0, 1]);
    assert_eq!(at(marker(false)).read_committed, [0, 1]);
    assert_eq!(at(u64::MAX), *t.consumers.as_ref().unwrap());
}

#[test]
fn a_batch_failed_before_the_commit_makes_an_abort_and_an_epoch_bump() {
    // The broker (and its coordinator) is down from just after initTransactions until past A's
    // delivery.timeout.ms: A's partition is never added, so A's batch is never sent and
    // expires without a sequence. The commit becomes an abort, and before the next
    // transaction the producer bumps its epoch with InitProducerId: any failure before the
    // application commits or aborts asks for one (maybeTransitionToErrorState, KIP-360).
    let mut s = scenario(r#", "faults": [{"kind": "broker_down", "from_ms": 25, "to_ms": 3000}]"#);
    s.producer.set("delivery.timeout.ms", "1500");
    s.producer.set("request.timeout.ms", "500");
    let t = simulate(&s).unwrap();
    assert_eq!(invariants::check(&t), Ok(()));
    let inits: Vec<u16> = t
        .events
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::InitProducerId { epoch, .. } => Some(epoch),
            _ => None,
        })
        .collect();
    assert_eq!(inits, [0, 1]);
    assert!(t.events.iter().any(|e| matches!(
        e.kind,
        EventKind::EndTxn {
            txn: 0,
            commit: false
        }
    )));
    assert_eq!(
        t.consumers.as_ref().unwrap().read_committed,
        [] as [usize; 0]
    );
}
