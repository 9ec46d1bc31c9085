//! The engine in a real browser (wasm32, headless Chromium): the golden scenarios give the same
//! logs and outcomes as natively, and the same input gives the same trace.
#![cfg(target_arch = "wasm32")]

use delivery_sim::json::{self, Value as Json};
use delivery_sim::run_json;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const GOLDEN: [&str; 17] = [
    include_str!("../../../scenarios/story-1-at-least-once.json"),
    include_str!("../../../scenarios/story-2-at-most-once.json"),
    include_str!("../../../scenarios/story-3-exactly-once.json"),
    include_str!("../../../scenarios/side-by-side.json"),
    include_str!("../../../scenarios/reorder-in-flight-5.json"),
    include_str!("../../../scenarios/order-in-flight-1.json"),
    include_str!("../../../scenarios/idempotent-gap-keeps-order.json"),
    include_str!("../../../scenarios/acks-1-failover-loses-acked.json"),
    include_str!("../../../scenarios/acks-all-failover-keeps-acked.json"),
    include_str!("../../../scenarios/delivery-timeout-fails.json"),
    include_str!("../../../scenarios/acks-1-no-retries-lost-ack.json"),
    include_str!("../../../scenarios/producer-restart-duplicates.json"),
    include_str!("../../../scenarios/reorder-broker-error.json"),
    include_str!("../../../scenarios/idempotent-lost-request-keeps-order.json"),
    include_str!("../../../scenarios/lost-ack-in-flight-5-duplicates.json"),
    include_str!("../../../scenarios/acks-0-broker-error-closes-connection.json"),
    include_str!("../../../scenarios/idempotent-first-batch-rejected.json"),
];

fn check(text: &str, expect: &Json) {
    let result = json::parse(&run_json(text).unwrap().to_json()).unwrap();
    if let Some(Json::Array(want)) = expect.get("log") {
        let Some(Json::Array(got)) = result.get("log") else {
            panic!("no log")
        };
        let got: Vec<&Json> = got.iter().filter_map(|r| r.get("message")).collect();
        assert_eq!(got, want.iter().collect::<Vec<_>>());
    }
    if let Some(Json::Object(want)) = expect.get("outcomes") {
        for (k, v) in want {
            assert_eq!(
                result.get("outcomes").and_then(|o| o.get(k)),
                Some(v),
                "{k}"
            );
        }
    }
}

#[wasm_bindgen_test]
fn golden_scenarios_in_the_browser() {
    for text in GOLDEN {
        let v = json::parse(text).unwrap();
        if let Some(e) = v.get("expect") {
            check(text, e);
        }
        if let Some(Json::Object(modes)) = v.get("expect_modes") {
            for (mode, e) in modes {
                let Json::Object(mut fields) = v.clone() else {
                    panic!()
                };
                fields.retain(|k, _| k != "mode" && k != "producer");
                fields.insert("mode".into(), Json::String(mode.clone()));
                check(&Json::Object(fields).to_string(), e);
            }
        }
    }
}

#[wasm_bindgen_test]
fn same_scenario_same_trace_with_random_loss() {
    let text = r#"{"seed": 42, "messages": {"count": 300, "interval_ms": 10}, "mode": "exactly-once",
        "network": {"latency_ms": 10, "jitter_ms": 4, "request_loss": 0.05, "response_loss": 0.05},
        "producer": {"request.timeout.ms": 500, "delivery.timeout.ms": 5000}}"#;
    let a = run_json(text).unwrap();
    let b = run_json(text).unwrap();
    assert_eq!(a, b);
    // Each loss stalls the connection for request.timeout.ms, and the records sent meanwhile
    // gather into large batches: a few hundred events, with retries among them.
    assert!(a.events.len() > 600);
    let retries = a
        .events
        .iter()
        .filter(|e| matches!(e.kind, delivery_sim::EventKind::RetryScheduled { .. }))
        .count();
    assert!(retries > 5, "{retries} retries");
    assert_eq!(a.summary.duplicates, 0, "idempotence within one session");
}

/// Not a check: the engine's speed in the browser, printed for `./x bench`.
#[wasm_bindgen_test]
fn engine_rate_in_wasm() {
    use delivery_sim::scenario::Scenario;
    use delivery_sim::{simulate, Preset};
    let scenarios: Vec<Scenario> = Preset::ALL
        .iter()
        .map(|&p| Scenario::benchmark(p))
        .collect();
    let perf = web_sys_now();
    let mut times = Vec::new();
    let mut events = 0;
    // Many runs, and the median: tier-up and a noisy machine move single runs by 2x.
    for _ in 0..101 {
        let t0 = perf();
        events = scenarios
            .iter()
            .map(|s| simulate(s).unwrap().events.len())
            .sum::<usize>();
        times.push(perf() - t0);
    }
    times.sort_by(|a, b| a.total_cmp(b));
    let ms = times[times.len() / 2];
    wasm_bindgen_test::console_log!(
        "wasm engine: {} events in {:.2} ms, {:.1} M events/s",
        events,
        ms,
        events as f64 / ms / 1000.0
    );
}

fn web_sys_now() -> impl Fn() -> f64 {
    #[wasm_bindgen::prelude::wasm_bindgen]
    extern "C" {
        #[wasm_bindgen(js_namespace = performance, js_name = now)]
        fn performance_now() -> f64;
    }
    performance_now
}
