#![cfg(all(feature = "lean", not(target_arch = "wasm32")))]
//! The embed page's engine (feature `lean`: one broker, one record a batch) on the views it
//! runs, those that send one record at a time with one broker (`!needs_full_engine`): the
//! golden scenarios among them match their expectations, and random ones keep every invariant.
//! Run with `cargo test -p delivery-sim --features lean --test lean`.

mod common;

use delivery_sim::scenario::{Network, Scenario};
use delivery_sim::{invariants, json, simulate, Settings};
use proptest::prelude::*;

#[test]
fn the_goldens_the_lean_engine_runs_match() {
    let mut ran = 0;
    let mut failures = Vec::new();
    for g in &common::goldens() {
        for (mode, expect) in &g.cases {
            let text = common::with_mode(&g.text, mode);
            // Keyed or sized messages, topics of several partitions and transactions are the
            // full engine's (`sim::PARTITIONS`, `cfg(txn)`).
            let Ok(s) = Scenario::from_json_text(&text) else {
                assert!(
                    ["\"key\"", "\"bytes\"", "\"topic\"", "\"transactions\""]
                        .iter()
                        .any(|k| text.contains(k)),
                    "{}",
                    g.file
                );
                continue;
            };
            if s.needs_full_engine() {
                continue;
            }
            ran += 1;
            let trace = delivery_sim::run_json(&text).unwrap();
            let result = json::parse(&trace.to_json()).unwrap();
            for d in common::differences(&result, expect) {
                failures.push(format!("{} {:?}: {d}", g.file, mode));
            }
        }
    }
    assert!(ran >= 8, "only {ran} goldens send one at a time");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn sends_one_at_a_time_keep_every_invariant(
        n in 1usize..12,
        faults in prop::collection::vec(common::fault(12, false), 0..5),
        acks in prop_oneof![Just("0"), Just("1"), Just("all")],
        idempotence in any::<bool>(),
        linger in 0u64..20,
        batch_size in prop_oneof![Just(0u64), Just(16_384)],
        seed in any::<u32>(),
        loss in 0.0f64..0.3,
    ) {
        let mut producer = Settings::default();
        producer.set("acks", acks);
        producer.set("enable.idempotence", if idempotence && acks == "all" { "true" } else { "false" });
        producer.set("request.timeout.ms", "300");
        producer.set("delivery.timeout.ms", "1500");
        producer.set("linger.ms", &linger.to_string());
        producer.set("batch.size", &batch_size.to_string());
        // (The lean build's scenario has no `transactions`: start from the seed's shape.)
        let mut s = Scenario::new(&[], delivery_sim::Preset::AtLeastOnce);
        s.seed = seed as u64;
        s.messages = (0..n).map(|i| format!("m{i}")).collect();
        s.interval_ms = 5;
        s.producer = producer;
        s.network = Network { latency_ms: 10, jitter_ms: 3, request_loss: loss, response_loss: loss };
        s.faults = faults.into_iter().filter(|f| f.target().is_none_or(|(m, _)| m < n)).collect();
        prop_assume!(!s.needs_full_engine());
        let t = simulate(&s).unwrap();
        prop_assert_eq!(invariants::check(&t), Ok(()));
        prop_assert!(t.batches.iter().all(|b| b.len() == 1), "a batch of more than one record");
    }
}
