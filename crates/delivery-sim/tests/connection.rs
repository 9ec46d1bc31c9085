#![cfg(not(target_arch = "wasm32"))]
//! The guarantees of one Kafka connection: requests and answers in order, a lost packet a broken
//! connection, retries as the Java client makes them. What each delivery mode promises, under
//! random loss and under every small fault script.

use delivery_sim::scenario::{Broker, Fault, Network, Scenario};
use delivery_sim::{invariants, simulate, KafkaError, Outcome, Preset, Settings, Trace};
use proptest::prelude::*;

/// The faults the network and a failing broker can do to a request on one connection (no
/// restart, no failover); with `errors`, broker errors too.
fn request_fault(n: usize, errors: bool) -> impl Strategy<Value = Fault> {
    let target = (0..n, 1u32..5);
    let error = (target.clone(), 0usize..3).prop_map(|((msg, attempt), e)| Fault::ErrorResponse {
        msg,
        attempt,
        error: KafkaError::SCRIPTABLE[e],
    });
    let network = prop_oneof![
        target
            .clone()
            .prop_map(|(msg, attempt)| Fault::DropRequest { msg, attempt }),
        target
            .clone()
            .prop_map(|(msg, attempt)| Fault::DropResponse { msg, attempt }),
        target
            .clone()
            .prop_map(|(msg, attempt)| Fault::BrokerFail { msg, attempt }),
        (target, 0u64..3000).prop_map(|((msg, attempt), ms)| Fault::DelayResponse {
            msg,
            attempt,
            ms
        }),
    ];
    if errors {
        prop_oneof![network, error].boxed()
    } else {
        network.boxed()
    }
}

prop_compose! {
    /// Any network and fault script; retries unlimited, and with `deadline` unset a delivery
    /// timeout never reached.
    fn lossy(idempotence: bool, in_flight: std::ops::Range<u32>, errors: bool, deadline: Option<u64>)(n in 1usize..25)(
        n in Just(n),
        faults in prop::collection::vec(request_fault(n, errors), 0..8),
        sync in any::<bool>(),
        seed in any::<u32>(),
        // A round trip takes time: at zero, retries that never succeed would never let the
        // clock reach a deadline.
        latency in u64::from(deadline.is_some())..40,
        jitter in 0u64..20,
        request_loss in 0.0f64..0.3,
        response_loss in 0.0f64..0.3,
        interval in 0u64..30,
        in_flight in in_flight.clone(),
        timeout_margin in 1u64..2000,
        backoff in 0u64..200,
        // Batches of one record (batch.size 0), up to three, or up to Kafka's default.
        linger in 0u64..25,
        batch_size in prop_oneof![Just(0u64), Just(300), Just(400), Just(16_384)],
        // One partition, or up to four with keys from a few (or none: the sticky partitioner).
        // (One only without the feature `partitions`, whose engine refuses more.)
        partitions in prop_oneof![3 => Just(1u32), 2 => 2u32..5]
            .prop_map(|p| if cfg!(feature = "partitions") { p } else { 1 }),
        keys in prop::collection::vec(prop::option::of(0u8..4), n),
    ) -> Scenario {
        let mut producer = Settings::default();
        producer.set("acks", "all");
        producer.set("enable.idempotence", if idempotence { "true" } else { "false" });
        producer.set("max.in.flight.requests.per.connection", &in_flight.to_string());
        // Longer than a round trip: a timeout shorter than that would fail every request.
        let request_timeout = 2 * (latency + jitter) + timeout_margin;
        producer.set("request.timeout.ms", &request_timeout.to_string());
        producer.set("retry.backoff.ms", &backoff.to_string());
        producer.set("linger.ms", &linger.to_string());
        producer.set("batch.size", &batch_size.to_string());
        producer.set("delivery.timeout.ms", &deadline.unwrap_or(i32::MAX as u64).to_string());
        let s = Scenario {
            seed: seed as u64,
            messages: (0..n).map(|i| format!("m{i}")).collect(),
            partitions,
            interval_ms: interval,
            sync,
            producer,
            network: Network { latency_ms: latency, jitter_ms: jitter, request_loss, response_loss },
            broker: Broker::default(),
            faults,
            ..Scenario::new(&[], delivery_sim::Preset::AtLeastOnce)
        };
        #[cfg(feature = "partitions")]
        let s = Scenario {
            keys: if partitions > 1 { keys.iter().map(|k| k.map(|k| format!("k{k}"))).collect() } else { Vec::new() },
            ..s
        };
        #[cfg(not(feature = "partitions"))]
        let _ = keys;
        s
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, ..ProptestConfig::default() })]

    /// The idempotent producer's promise within one session: every message stored once, each
    /// partition in send order, none reported failed, whatever the network loses or delays and
    /// whatever requests a failing broker drops. A keyed record is in its key's partition.
    #[test]
    fn idempotent_producer_stores_each_message_once_in_order(s in lossy(true, 1..6, false, None)) {
        let t = simulate(&s).unwrap();
        prop_assert_eq!(invariants::check(&t), Ok(()));
        prop_assert!(t.outcomes.iter().all(|&o| o == Outcome::Delivered));
        for p in 0..s.partitions {
            let log: Vec<usize> = t.log.iter().filter(|r| r.partition == p).map(|r| r.msg).collect();
            prop_assert!(log.windows(2).all(|w| w[0] < w[1]), "partition {} holds {:?}", p, log);
        }
        for r in &t.log {
            if let Some(key) = s.key(r.msg) {
                prop_assert_eq!(r.partition, delivery_sim::partition::for_key(key, s.partitions));
            }
        }
        if s.partitions == 1 {
            let sent: Vec<&str> = s.messages.iter().map(String::as_str).collect();
            prop_assert_eq!(t.log_names(), sent);
        }
    }

    /// With broker errors as well, the idempotent producer still never stores a message twice,
    /// never out of order, and never loses one without telling the application. It can report
    /// a stored message failed: a broker error on a retry can push it out of the broker's window
    /// of five (scenarios/idempotent-retry-pushed-out-of-the-window.json), and then only the
    /// delivery timeout ends it, so the deadline is finite here (and may be reached).
    #[test]
    fn idempotent_producer_never_duplicates_or_reorders_with_broker_errors(s in lossy(true, 1..6, true, Some(60_000))) {
        let t = simulate(&s).unwrap();
        prop_assert_eq!(invariants::check(&t), Ok(()));
        prop_assert_eq!(t.summary.duplicates, 0);
        prop_assert_eq!(t.summary.reordered, 0);
        prop_assert_eq!(t.summary.lost, 0);
    }

    /// Without idempotence and with several requests in flight, retries may duplicate and
    /// reorder, but while they last nothing is lost and nothing fails.
    #[test]
    fn retries_without_idempotence_lose_nothing(s in lossy(false, 2..6, true, None)) {
        let t = simulate(&s).unwrap();
        prop_assert_eq!(invariants::check(&t), Ok(()));
        prop_assert!(t.copies.iter().all(|&c| c >= 1), "copies {:?}", t.copies);
        prop_assert_eq!(t.summary.failed, 0);
    }
}

/// Every per-request fault of the issue's kinds, for A, B and C, attempts 1 to 3. A delayed
/// answer comes after the request timeout.
fn every_fault() -> Vec<Fault> {
    let mut faults = Vec::new();
    for msg in 0..3 {
        for attempt in 1..=3 {
            faults.push(Fault::DropRequest { msg, attempt });
            faults.push(Fault::DropResponse { msg, attempt });
            faults.push(Fault::BrokerFail { msg, attempt });
            faults.push(Fault::DelayResponse {
                msg,
                attempt,
                ms: 31_000,
            });
            for error in KafkaError::SCRIPTABLE {
                faults.push(Fault::ErrorResponse {
                    msg,
                    attempt,
                    error,
                });
            }
        }
    }
    faults
}

/// What each preset promises, on one run.
fn keeps_its_promise(preset: Preset, t: &Trace) -> Result<(), String> {
    let log = t.log_names().join(",");
    match preset {
        Preset::AtMostOnce if t.summary.duplicates > 0 => Err(format!("duplicated: {log}")),
        Preset::AtLeastOnce if t.summary.lost > 0 => Err(format!("lost: {log}")),
        Preset::ExactlyOnce if log != "A,B,C" || t.summary.failed > 0 => {
            Err(format!("log {log}, {} failed", t.summary.failed))
        }
        _ => Ok(()),
    }
}

/// Every script of one and of two faults over three messages, sent one at a time and all at
/// once, under each preset: at-most-once never duplicates, at-least-once never loses, and
/// exactly-once never duplicates, loses, reorders or fails.
#[test]
fn every_one_and_two_fault_script_keeps_each_modes_promise() {
    let faults = every_fault();
    let mut scripts: Vec<Vec<Fault>> = faults.iter().map(|&f| vec![f]).collect();
    for (i, &a) in faults.iter().enumerate() {
        for &b in &faults[i + 1..] {
            scripts.push(vec![a, b]);
        }
    }
    assert!(scripts.len() > 2000, "{} scripts", scripts.len());
    let mut broken = Vec::new();
    let mut runs = 0;
    for preset in Preset::ALL {
        for sync in [true, false] {
            for script in &scripts {
                let mut s = Scenario::new(&["A", "B", "C"], preset);
                s.sync = sync;
                s.faults = script.clone();
                let t = simulate(&s).unwrap();
                runs += 1;
                if let Err(e) = invariants::check(&t).and_then(|()| keeps_its_promise(preset, &t)) {
                    broken.push(format!("{} sync={sync} {script:?}: {e}", preset.name()));
                }
            }
        }
    }
    assert!(
        broken.is_empty(),
        "{} of {runs} runs broke a promise:\n{}",
        broken.len(),
        broken[..broken.len().min(20)].join("\n")
    );
}

/// TransactionManager.markSequenceUnresolved / maybeResolveSequences, and Sender.runOnce after an
/// expiry: A (in retry) expires at its delivery timeout; B, queued behind it for its own retry,
/// is sent in the same millisecond (the Sender polls with timeout 0 while data is ready), and
/// the sequences stay unresolved until nothing is in flight, when the gap bumps the epoch.
#[test]
fn an_expired_batch_frees_the_next_at_once_and_leaves_its_sequence_unresolved() {
    use delivery_sim::EventKind;
    let s = Scenario::from_json_text(
        r#"{"messages": ["A", "B"], "interval_ms": 400, "mode": "exactly-once",
            "producer": {"request.timeout.ms": 1000, "delivery.timeout.ms": 1500},
            "faults": [{"kind": "drop_request", "message": "A", "attempt": 1},
                       {"kind": "drop_request", "message": "A", "attempt": 2}]}"#,
    )
    .unwrap();
    let t = simulate(&s).unwrap();
    let when = |pick: &dyn Fn(&EventKind) -> bool| {
        t.events
            .iter()
            .find(|e| pick(&e.kind))
            .map(|e| e.t_ms)
            .unwrap()
    };
    let a_expired = when(&|k| matches!(k, EventKind::Failed { msg: 0, .. }));
    assert_eq!(a_expired, 1500, "A's delivery timeout");
    assert_eq!(
        when(&|k| matches!(k, EventKind::SequenceUnresolved { next_seq: 1 })),
        a_expired
    );
    let b_resent = when(&|k| {
        matches!(
            k,
            EventKind::Request {
                msg: 1,
                attempt: 2,
                ..
            }
        )
    });
    assert_eq!(b_resent, a_expired, "B goes as soon as A is out of its way");
    // B expires too (400 ms later); then nothing is in flight and the gap bumps the epoch.
    let resolved = when(&|k| matches!(k, EventKind::SequencesResolved { gap: true }));
    assert_eq!(resolved, 1900);
    assert!(when(&|k| matches!(k, EventKind::EpochBumped { epoch: 1 })) >= resolved);
    invariants::check(&t).unwrap();
}
