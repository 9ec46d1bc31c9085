#![cfg(not(target_arch = "wasm32"))]
//! Invariants over random scenarios and fault sets.

use delivery_sim::inspect::{self, Decision};
use delivery_sim::scenario::{Broker, Fault, Network, Scenario};
use delivery_sim::{
    invariants, simulate, simulate_with, Acks, EventKind, Idem, KafkaError, Outcome, Settings,
};
use proptest::prelude::*;

fn fault(n: usize) -> impl Strategy<Value = Fault> {
    let target = (0..n, 1u32..4);
    prop_oneof![
        target
            .clone()
            .prop_map(|(msg, attempt)| Fault::DropRequest { msg, attempt }),
        target
            .clone()
            .prop_map(|(msg, attempt)| Fault::DropResponse { msg, attempt }),
        target
            .clone()
            .prop_map(|(msg, attempt)| Fault::BrokerFail { msg, attempt }),
        (target.clone(), 0usize..3).prop_map(|((msg, attempt), e)| Fault::ErrorResponse {
            msg,
            attempt,
            error: KafkaError::SCRIPTABLE[e],
        }),
        (target, 0u64..800).prop_map(|((msg, attempt), ms)| Fault::DelayResponse {
            msg,
            attempt,
            ms
        }),
        (0u64..2000, 0u64..1500).prop_map(|(from_ms, len)| Fault::BrokerDown {
            from_ms,
            to_ms: from_ms + len
        }),
        (0u64..2000).prop_map(|at_ms| Fault::LeaderFailover { at_ms }),
        (0u64..2000).prop_map(|at_ms| Fault::ProducerRestart { at_ms }),
    ]
}

fn settings() -> impl Strategy<Value = Settings> {
    (
        prop_oneof![Just("0"), Just("1"), Just("all")],
        0u32..4,
        1u32..6,
        prop_oneof![Just(None), Just(Some(false)), Just(Some(true))],
    )
        .prop_map(|(acks, retries, in_flight, idem)| {
            let mut s = Settings::default();
            s.set("acks", acks);
            s.set("retries", &retries.to_string());
            s.set(
                "max.in.flight.requests.per.connection",
                &in_flight.to_string(),
            );
            s.set("request.timeout.ms", "300");
            s.set("delivery.timeout.ms", "1500");
            s.set("retry.backoff.ms", "20");
            if let Some(i) = idem {
                s.set("enable.idempotence", if i { "true" } else { "false" });
            }
            s
        })
}

prop_compose! {
    fn scenario()(n in 1usize..25)(
        n in Just(n),
        faults in prop::collection::vec(fault(n), 0..6),
        producer in settings(),
        sync in any::<bool>(),
        seed in any::<u32>(),
        latency in 0u64..40,
        jitter in 0u64..20,
        request_loss in 0.0f64..0.4,
        response_loss in 0.0f64..0.4,
        interval in 0u64..30,
    ) -> Scenario {
        Scenario {
            name: String::new(),
            seed: seed as u64,
            messages: (0..n).map(|i| format!("m{i}")).collect(),
            interval_ms: interval,
            sync,
            producer,
            network: Network { latency_ms: latency, jitter_ms: jitter, request_loss, response_loss },
            broker: Broker { replicas: 2, replication_ms: 15 },
            faults,
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn invariants_hold(s in scenario()) {
        let Ok(t) = simulate(&s) else {
            // Only Kafka's own configuration errors may refuse a run.
            let e = simulate(&s).unwrap_err();
            prop_assert!(e.starts_with("Must set"), "unexpected error: {e}");
            return Ok(());
        };
        // Same input, same trace; and the same producer settings given apart from the
        // scenario (how the app runs its lanes) run the same.
        prop_assert_eq!(&simulate(&s).unwrap(), &t);
        let other = Scenario { producer: Settings::default(), ..s.clone() };
        prop_assert_eq!(&simulate_with(&other, &s.producer).unwrap(), &t);

        // Whatever the scenario: one outcome and one callback per message, the summary agrees
        // with the log, connections deliver in order and nothing passes a lost packet.
        prop_assert_eq!(invariants::check(&t), Ok(()));
        // The producer state the app shows (inspect) explains every answer the broker gave an
        // idempotent request, from the state before it: a duplicate is in the PID's window of
        // five with that offset, a stored batch was the next sequence, a rejected one names the
        // sequence the state expects.
        for (i, e) in t.events.iter().enumerate() {
            let EventKind::Decided { req, .. } = e.kind else { continue };
            let (before, _) = inspect::fold(&t, i, None);
            let (_, why) = inspect::fold(&t, i + 1, Some(req));
            let entry = |id: Idem| before.broker.iter().find(|p| p.pid == id.pid && p.epoch == id.epoch);
            match why {
                Some(Decision::InWindow { id, offset }) => {
                    prop_assert!(entry(id).is_some_and(|p| p.batches.contains(&(id.seq, offset))), "duplicate outside the window: {:?} {:?}", id, before.broker);
                }
                Some(Decision::Next { id, .. }) => {
                    if let Some(p) = entry(id) {
                        prop_assert_eq!(p.expects(), id.seq, "stored out of sequence: {:?}", before.broker);
                    }
                }
                Some(Decision::OutOfOrder { id, expected }) => {
                    prop_assert_eq!(entry(id).map_or(0, |p| p.expects()), expected);
                }
                _ => {}
            }
        }
        // acks=0 sends each message once (a restart sends the unacknowledged ones again).
        if t.config.acks == Acks::Zero {
            let requests = t.events.iter().filter(|e| matches!(e.kind, EventKind::Request { .. })).count();
            let restarts = s.faults.iter().any(|f| matches!(f, Fault::ProducerRestart { .. }));
            prop_assert!(restarts || requests == s.messages.len(), "acks=0 sent {} requests for {} messages", requests, s.messages.len());
        }
    }

    #[test]
    fn scenario_reader_never_panics(text in "\\PC{0,200}") {
        let _ = delivery_sim::run_json(&text);
    }

    #[test]
    fn scenario_reader_survives_mangled_scenarios(cut in 0usize..400, junk in "[\\[\\]{}\",:0-9a-z -]{0,8}") {
        let base = include_str!("../../../scenarios/side-by-side.json");
        let cut = cut.min(base.len());
        let cut = (0..=cut).rev().find(|&i| base.is_char_boundary(i)).unwrap_or(0);
        let text = format!("{}{}{}", &base[..cut], junk, &base[cut..]);
        let _ = delivery_sim::run_json(&text);
    }
}

/// Long runs, where the engine's time-ordered lists (sends, timeouts, deadlines, replication)
/// are taken from while they grow and compact: no event may be lost or doubled on the way.
#[test]
fn long_runs_lose_no_scheduled_event() {
    for (sync, settings) in [
        (true, "acks=all\nenable.idempotence=true"),
        (true, "acks=1\nenable.idempotence=false\nretries=3"),
        (
            false,
            "acks=all\nenable.idempotence=false\nmax.in.flight.requests.per.connection=1",
        ),
    ] {
        // Each lost packet stalls the connection until request.timeout.ms: a short one keeps
        // the run sending instead of expiring the queue.
        let settings = format!("{settings}\nrequest.timeout.ms=200");
        let n = 3000;
        let s = Scenario {
            name: String::new(),
            seed: 11,
            messages: (0..n).map(|i| format!("m{i}")).collect(),
            interval_ms: 1,
            sync,
            producer: Settings::from_properties(&settings).unwrap().0,
            network: Network {
                latency_ms: 4,
                jitter_ms: 2,
                request_loss: 0.01,
                response_loss: 0.01,
            },
            broker: Broker {
                replicas: 2,
                replication_ms: 3,
            },
            faults: vec![],
        };
        let t = simulate(&s).unwrap();
        assert!(t.events.windows(2).all(|w| w[0].t_ms <= w[1].t_ms));
        let count = |f: &dyn Fn(&EventKind) -> bool| t.events.iter().filter(|e| f(&e.kind)).count();
        let sends: Vec<usize> = t
            .events
            .iter()
            .filter_map(|e| match e.kind {
                EventKind::Send { msg } => Some(msg),
                _ => None,
            })
            .collect();
        assert_eq!(
            sends,
            (0..n).collect::<Vec<_>>(),
            "{settings}: every send, once, in order"
        );
        // Sending one message at a time, every lost request or answer is one timeout; and every
        // message ends (acknowledged or failed), none left waiting.
        let lost = count(&|k| {
            matches!(
                k,
                EventKind::RequestLost { .. } | EventKind::ResponseLost { .. }
            )
        });
        let timeouts = count(&|k| matches!(k, EventKind::RequestTimeout { .. }));
        assert!(lost > 20, "{settings}: the run loses requests ({lost})");
        if sync {
            assert_eq!(timeouts, lost, "{settings}");
        }
        let ended = count(&|k| matches!(k, EventKind::Acked { .. } | EventKind::Failed { .. }));
        assert_eq!(
            ended, n,
            "{settings}: each message acknowledged or failed once"
        );
        assert!(t
            .outcomes
            .iter()
            .all(|o| *o != Outcome::Lost || settings.contains("acks=1")));
    }
}
