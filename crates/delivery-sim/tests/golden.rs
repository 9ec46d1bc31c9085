#![cfg(not(target_arch = "wasm32"))]
//! The golden scenarios run through the engine match their expected log, outcomes and summary.

mod common;

use delivery_sim::json;

#[test]
fn every_golden_scenario_matches() {
    let goldens = common::goldens();
    assert!(
        goldens.len() >= 12,
        "expected the golden set, found {}",
        goldens.len()
    );
    let mut failures = Vec::new();
    for g in &goldens {
        for (mode, expect) in &g.cases {
            let trace = delivery_sim::run_json(&common::with_mode(&g.text, mode))
                .unwrap_or_else(|e| panic!("{}: {e}", g.file));
            let result = json::parse(&trace.to_json()).unwrap();
            for d in common::differences(&result, expect) {
                failures.push(format!("{} {:?}: {d}", g.file, mode));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
