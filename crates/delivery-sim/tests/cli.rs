#![cfg(not(target_arch = "wasm32"))]
//! The `delivery-sim run` contract: JSON on stdout for good scenarios; one line on stderr and
//! exit code 2 for bad ones, never a panic.

mod common;

use delivery_sim::json::{self, Json};
use std::io::Write;
use std::process::{Command, Output, Stdio};

fn run_stdin(input: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_delivery-sim"))
        .args(["run", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A reader that stops early closes the pipe; that is not our failure.
    let _ = child.stdin.take().unwrap().write_all(input);
    child.wait_with_output().unwrap()
}

#[test]
fn golden_scenarios_through_the_cli() {
    for g in common::goldens() {
        for (mode, expect) in &g.cases {
            let out = if mode.is_none() {
                Command::new(env!("CARGO_BIN_EXE_delivery-sim"))
                    .args([
                        "run",
                        common::scenarios_dir().join(&g.file).to_str().unwrap(),
                    ])
                    .output()
                    .unwrap()
            } else {
                run_stdin(common::with_mode(&g.text, mode).as_bytes())
            };
            assert!(
                out.status.success(),
                "{}: {}",
                g.file,
                String::from_utf8_lossy(&out.stderr)
            );
            let result = json::parse(std::str::from_utf8(&out.stdout).unwrap()).unwrap();
            let diffs = common::differences(&result, expect);
            assert!(diffs.is_empty(), "{} {mode:?}: {diffs:?}", g.file);
            // Every event carries its simulated time.
            let Some(Json::Arr(events)) = result.get("events") else {
                panic!("no events")
            };
            assert!(events
                .iter()
                .all(|e| matches!(e.get("t_ms"), Some(Json::Num(_)))));
        }
    }
}

#[test]
fn bad_input_is_one_line_and_exit_2() {
    let huge = format!("{{\"messages\": [{}]}}", ["\"x\""; 10].join(","));
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (b"{not json".to_vec(), "invalid JSON at line 1, column 2"),
        (b"".to_vec(), "empty"),
        (
            br#"{"messages": ["A"], "producer": {"ack": "all"}}"#.to_vec(),
            "did you mean `acks`?",
        ),
        (
            br#"{"messages": ["A"], "producer": {"retries": "many"}}"#.to_vec(),
            "configuration retries",
        ),
        (
            br#"{"messages": {"count": 1000000000000}}"#.to_vec(),
            "it must be from 1 to 100000",
        ),
        (br#"{"messages": []}"#.to_vec(), "`messages` is empty"),
        (
            br#"{"messages": ["A"], "network": {"latency_ms": -1}}"#.to_vec(),
            "network.latency_ms",
        ),
        (
            br#"{"messages": ["A"], "producer": {"enable.idempotence": true, "acks": "1"}}"#
                .to_vec(),
            "Must set acks to all",
        ),
        (huge.into_bytes(), "appears twice"),
        (vec![b' '; 5 * 1024 * 1024], "the limit is"),
        (vec![0xff, 0xfe, 0x00], "stream did not contain valid UTF-8"),
    ];
    for (input, want) in cases {
        let out = run_stdin(&input);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{want}: {err}");
        assert!(err.contains(want), "want {want:?}, got {err:?}");
        assert_eq!(err.trim_end().lines().count(), 1, "one line: {err:?}");
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn usage_errors_exit_2() {
    let out = Command::new(env!("CARGO_BIN_EXE_delivery-sim"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("usage: delivery-sim run"));
    let out = Command::new(env!("CARGO_BIN_EXE_delivery-sim"))
        .args(["run", "/no/such/file.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read /no/such/file.json"));
}
