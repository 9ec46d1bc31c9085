#![cfg(not(target_arch = "wasm32"))]
//! The `delivery-sim run` contract: JSON on stdout for good scenarios; one line on stderr and
//! exit code 2 for bad ones, never a panic.

mod common;

use delivery_sim::json::{self, Value as Json};
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
            let Some(Json::Array(events)) = result.get("events") else {
                panic!("no events")
            };
            assert!(events
                .iter()
                .all(|e| matches!(e.get("t_ms"), Some(Json::Number(_)))));
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

fn search(input: &str, args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_delivery-sim"))
        .args(["search", "-"])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let _ = child.stdin.take().unwrap().write_all(input.as_bytes());
    child.wait_with_output().unwrap()
}

/// The kinds of a found script, or None for `null`.
fn kinds(out: &Json, mode: &str, guarantee: &str) -> Option<Vec<String>> {
    match out.get("modes")?.get(mode)?.get(guarantee)? {
        Json::Null => None,
        Json::Array(faults) => Some(
            faults
                .iter()
                .map(|f| match f.get("kind") {
                    Some(Json::String(k)) => k.clone(),
                    _ => panic!("a fault without its kind: {f:?}"),
                })
                .collect(),
        ),
        other => panic!("{mode}.{guarantee}: {other:?}"),
    }
}

#[test]
fn search_finds_the_known_breaks_and_none_for_exactly_once_without_a_restart() {
    let abc = r#"{"messages": ["A", "B", "C"], "sync": true}"#;
    let out = search(abc, &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json::parse(std::str::from_utf8(&out.stdout).unwrap()).unwrap();
    assert_eq!(v.get("max_faults"), Some(&Json::from(2)));
    assert!(matches!(v.get("scripts_tried"), Some(n) if n.as_u64() > Some(10)));
    let one = |k: &str| Some(vec![k.to_string()]);
    assert_eq!(kinds(&v, "at-most-once", "no_loss"), one("drop_request"));
    assert_eq!(kinds(&v, "at-most-once", "no_duplicates"), None);
    assert_eq!(
        kinds(&v, "at-least-once", "no_duplicates"),
        one("drop_response")
    );
    assert_eq!(kinds(&v, "at-least-once", "no_loss"), None);
    for g in ["no_loss", "no_duplicates", "order", "no_failure"] {
        assert_eq!(kinds(&v, "exactly-once", g), None, "exactly-once {g}");
    }
    // The script in the scenario format: it names the message and attempt.
    let dup = v
        .get("modes")
        .and_then(|m| m.get("at-least-once"))
        .and_then(|m| m.get("no_duplicates"));
    let Some(Json::Array(faults)) = dup else {
        panic!("{dup:?}")
    };
    assert_eq!(faults[0].get("message"), Some(&Json::String("A".into())));
    assert_eq!(faults[0].get("attempt"), Some(&Json::from(1)));

    // A producer restart is one fault that duplicates even the idempotent producer: a new
    // session has a new PID, which the broker cannot match to the old one's records.
    let out = search(
        abc,
        &[
            "--kinds",
            "drop_response,producer_restart",
            "--max-faults",
            "1",
        ],
    );
    let v = json::parse(std::str::from_utf8(&out.stdout).unwrap()).unwrap();
    assert_eq!(
        kinds(&v, "exactly-once", "no_duplicates"),
        one("producer_restart")
    );
}

#[test]
fn search_rejects_bad_options_in_one_line() {
    let abc = r#"{"messages": ["A", "B", "C"]}"#;
    for (args, want) in [
        (
            &["--max-faults", "9"][..],
            "--max-faults must be a whole number from 0 to 4",
        ),
        (&["--max-faults", "-1"][..], "--max-faults must be"),
        (&["--max-faults"][..], "--max-faults needs a value"),
        (
            &["--kinds", "drop_request,nope"][..],
            "unknown fault kind \"nope\"",
        ),
        (&["--fast", "1"][..], "unknown option \"--fast\""),
    ] {
        let out = search(abc, args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(want), "want {want:?}, got {err:?}");
        assert_eq!(err.trim_end().lines().count(), 1, "one line: {err:?}");
    }
    let out = search("{not json", &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("invalid JSON"));
}
