//! The workshop exercises in `exercises/`: each reads, its start misses its goal, its solution
//! meets it; they run from easy to hard; the goal checker names what is missing; the CLI's
//! `check` and `exercise` commands keep their contract.
//!
//! The exercises use transactions and partitions: they need the whole engine.
#![cfg(all(
    not(target_arch = "wasm32"),
    feature = "partitions",
    feature = "transactions"
))]

use delivery_sim::exercise::{Exercise, Goal};
use delivery_sim::json::{self, Value as Json};
use delivery_sim::{run_json, simulate};
use std::path::PathBuf;
use std::process::Command;

fn exercise_files() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../exercises");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
}

fn load(path: &PathBuf) -> Exercise {
    let id = path.file_stem().unwrap().to_str().unwrap();
    let text = std::fs::read_to_string(path).unwrap();
    Exercise::from_json(id, &json::parse(&text).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn every_exercise_has_a_failing_start_and_a_passing_solution() {
    let files = exercise_files();
    assert!(
        files.len() >= 8,
        "at least 8 exercises, found {}",
        files.len()
    );
    // Three chapters, each from easy to hard: the seed's three modes, then transactions, then
    // keys and partitions (a topic of several partitions).
    let mut last_level = 0;
    let mut last_chapter = 0;
    for path in &files {
        let ex = load(path);
        let chapter = if ex.start.partitions > 1 {
            2
        } else if ex.lane == delivery_sim::Preset::Transactional {
            1
        } else {
            0
        };
        assert!(
            chapter >= last_chapter,
            "{}: the chapters come in order (modes, transactions, partitions)",
            ex.id
        );
        if chapter > last_chapter {
            last_chapter = chapter;
            last_level = 0;
        }
        let start = ex.goal.check(&simulate(&ex.start).unwrap());
        let solution = ex.goal.check(&simulate(&ex.solution).unwrap());
        assert!(
            !start.is_empty(),
            "{}: the start already meets the goal",
            ex.id
        );
        assert!(
            solution.is_empty(),
            "{}: the solution misses {solution:?}",
            ex.id
        );
        assert!(
            ex.level >= last_level,
            "{}: a chapter's exercises go from easy to hard",
            ex.id
        );
        last_level = ex.level;
        assert_ne!(ex.title.en, ex.title.ko, "{}: a Korean title", ex.id);
    }
}

#[test]
fn the_check_names_what_is_missing_and_what_the_run_gave() {
    let goal = Goal::from_json(
        &json::parse(
            r#"{"log": ["A", "B", "C"], "outcomes": {"B": "duplicated"},
                "summary": {"duplicates": {"min": 1}}, "events": {"response_lost": {"min": 1, "max": 1}},
                "producer": {"acks": "1", "retries": {"max": 3}}}"#,
        )
        .unwrap(),
    )
    .unwrap();
    let story1 = run_json(
        r#"{"messages": ["A", "B", "C"], "sync": true, "mode": "at-least-once",
            "faults": [{"kind": "drop_response", "message": "B", "attempt": 1}]}"#,
    )
    .unwrap();
    let missing: Vec<String> = goal
        .check(&story1)
        .iter()
        .map(|m| format!("{} {} / {}", m.what, m.want, m.got))
        .collect();
    assert_eq!(
        missing,
        [
            "log = A, B, C / A, B, B, C",
            "acks = 1 / all",
            "retries ≤ 3 / 2147483647"
        ]
    );
}

/// A goal on a topic of several partitions names the partitions it checks, each in offset
/// order, and leaves the others free.
#[test]
fn a_partitions_goal_checks_each_partition_it_names() {
    let goal =
        Goal::from_json(&json::parse(r#"{"partitions": {"0": ["B"], "2": ["A", "C"]}}"#).unwrap())
            .unwrap();
    // murmur2: k1 to partition 2, k2 to 0, k3 to 1 (the golden keys-land-on-murmur2-partitions).
    let run = |c: &str| {
        run_json(&format!(
            r#"{{"messages": [{{"name": "A", "key": "k1"}}, {{"name": "B", "key": "k2"}}, {{"name": "C", "key": "{c}"}}], "topic": {{"partitions": 3}}}}"#
        ))
        .unwrap()
    };
    let missing: Vec<String> = goal
        .check(&run("k3"))
        .iter()
        .map(|m| format!("{} {} / {}", m.what, m.want, m.got))
        .collect();
    assert_eq!(missing, ["partition 2 = A, C / A"]);
    assert!(goal.check(&run("k1")).is_empty());
    for bad in [
        r#"{"partitions": {"x": ["A"]}}"#,
        r#"{"partitions": {"64": ["A"]}}"#,
    ] {
        let e = Goal::from_json(&json::parse(bad).unwrap()).unwrap_err();
        assert!(e.contains("not a partition number"), "{e}");
    }
}

#[test]
fn broken_exercises_are_named_not_panicked_on() {
    let good = std::fs::read_to_string(&exercise_files()[0]).unwrap();
    let cases: [(&str, &str, &str); 7] = [
        (r#""level": 1"#, r#""level": 4"#, "`level` must be 1"),
        (
            r#""lane": "at-least-once""#,
            r#""lane": "twice""#,
            "`lane` must be",
        ),
        (
            r#""ko": "B를 두 번 저장하기""#,
            r#""kr": "B""#,
            "`title.kr`: unknown field `kr`",
        ),
        (
            r#""goal": {"#,
            r#""goal": {"colour": {}, "#,
            "unknown field `goal.colour`",
        ),
        (
            r#""outcomes": { "B": "duplicated" }"#,
            r#""outcomes": { "B": "twice" }"#,
            "`goal.outcomes.B` must be one of",
        ),
        (
            r#""summary": { "lost": 0 }"#,
            r#""summary": { "lots": 0 }"#,
            "`goal.summary.lots`: unknown name",
        ),
        (
            r#""level": 1,"#,
            r#""level": 1, "levle": 2,"#,
            "unknown field `levle`",
        ),
    ];
    for (from, to, want) in cases {
        assert!(good.contains(from), "the first exercise has {from}");
        let text = good.replacen(from, to, 1);
        let err = Exercise::from_json("x", &json::parse(&text).unwrap())
            .err()
            .unwrap_or_else(|| panic!("{to}: accepted"));
        assert!(err.contains(want), "{to}: {err}");
    }
    let (list, errors) = Exercise::read_all(
        &json::parse(&format!(
            r#"[{{"id": "good", "exercise": {good}}}, {{"id": "bad", "exercise": []}}]"#
        ))
        .unwrap(),
    );
    assert_eq!(list.len(), 1, "the good one still loads");
    assert_eq!(
        errors,
        ["bad: an exercise must be a JSON object, not an array"]
    );
    assert_eq!(
        Exercise::read_all(&json::parse("{}").unwrap()).1,
        ["the exercise list is an object"]
    );
}

#[test]
fn the_cli_checks_a_scenario_against_an_exercise() {
    let bin = env!("CARGO_BIN_EXE_delivery-sim");
    let files = exercise_files();
    let dir = std::env::temp_dir().join(format!("dsim-ex-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let text = std::fs::read_to_string(&files[0]).unwrap();
    let v = json::parse(&text).unwrap();
    std::fs::write(dir.join("solution.json"), v["solution"].to_string()).unwrap();
    std::fs::write(dir.join("start.json"), v["start"].to_string()).unwrap();

    let check = |scenario: &str| {
        Command::new(bin)
            .args(["check", files[0].to_str().unwrap()])
            .arg(dir.join(scenario))
            .output()
            .unwrap()
    };
    let met = check("solution.json");
    assert_eq!(met.status.code(), Some(0));
    let met: Json = json::parse(std::str::from_utf8(&met.stdout).unwrap()).unwrap();
    assert_eq!(met.get("met"), Some(&Json::Bool(true)));
    let not = check("start.json");
    assert_eq!(not.status.code(), Some(1));
    let not: Json = json::parse(std::str::from_utf8(&not.stdout).unwrap()).unwrap();
    assert_eq!(not.get("met"), Some(&Json::Bool(false)));
    let Some(Json::Array(missing)) = not.get("missing") else {
        panic!("missing is a list")
    };
    assert_eq!(
        missing[0].get("got"),
        Some(&Json::String("delivered".into()))
    );

    let all = Command::new(bin)
        .arg("exercise")
        .args(&files)
        .output()
        .unwrap();
    assert_eq!(
        all.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&all.stdout)
    );
    std::fs::write(dir.join("broken.json"), "{\"level\": 1").unwrap();
    let broken = Command::new(bin)
        .arg("exercise")
        .arg(dir.join("broken.json"))
        .output()
        .unwrap();
    assert_eq!(broken.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&broken.stdout).starts_with("FAIL"));
    std::fs::remove_dir_all(&dir).unwrap();
}
