//! The delivery-sim command line.
//!
//! - `delivery-sim run FILE|-`: runs a scenario and prints the result as one JSON object.
//! - `delivery-sim check EXERCISE SCENARIO|-`: checks a scenario against an exercise's goal.
//! - `delivery-sim exercise FILE...`: validates exercise files: each reads, its start does not
//!   meet its goal and its solution does.
//! - `delivery-sim search FILE|- [--max-faults N] [--kinds k1,k2,...]`: the smallest fault
//!   script that breaks each guarantee, for each of the three mode presets.

use delivery_sim::exercise::{Exercise, Miss};
use delivery_sim::json::{self, FaultJson, Ordered};
use serde_json::json;
use std::io::Read;
use std::process::ExitCode;

const USAGE: &str = "usage: delivery-sim run FILE|-            run a scenario (JSON; - reads stdin)
       delivery-sim check EXERCISE FILE|-   check a scenario against an exercise's goal
       delivery-sim exercise FILE...        validate exercise files
       delivery-sim search FILE|- [--max-faults N] [--kinds k1,k2,...]
                                            the smallest fault script that breaks each guarantee,
                                            per mode preset (N: 0 to 4, default 2; kinds: fault
                                            kinds of the scenario format, default the five of one
                                            request)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.as_slice() {
        [flag] if flag == "--help" || flag == "-h" => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        [cmd, path] if cmd == "run" => run(path),
        [cmd, ex, path] if cmd == "check" => check(ex, path),
        [cmd, files @ ..] if cmd == "exercise" && !files.is_empty() => validate(files),
        [cmd, path, opts @ ..] if cmd == "search" => search(path, opts),
        _ => Err(USAGE.to_string()),
    };
    match result {
        Ok(code) => code,
        Err(msg) => {
            eprintln!("delivery-sim: {msg}");
            ExitCode::from(2)
        }
    }
}

fn read(path: &str) -> Result<String, String> {
    let limit = json::MAX_INPUT_BYTES as u64 + 1;
    let mut text = String::new();
    let read = if path == "-" {
        std::io::stdin().take(limit).read_to_string(&mut text)
    } else {
        std::fs::File::open(path).and_then(|f| f.take(limit).read_to_string(&mut text))
    };
    read.map_err(|e| format!("cannot read {path}: {e}"))?;
    Ok(text)
}

fn run(path: &str) -> Result<ExitCode, String> {
    let trace = delivery_sim::run_json(&read(path)?).map_err(|e| format!("{path}: {e}"))?;
    println!("{}", trace.to_json());
    Ok(ExitCode::SUCCESS)
}

fn load_exercise(path: &str) -> Result<Exercise, String> {
    let id = std::path::Path::new(path)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or(path);
    json::parse(&read(path)?)
        .and_then(|v| Exercise::from_json(id, &v))
        .map_err(|e| format!("{path}: {e}"))
}

/// Prints `{"met": bool, "missing": [{"what", "want", "got"}]}`; exits 0 when met, 1 when not.
fn check(exercise: &str, path: &str) -> Result<ExitCode, String> {
    let ex = load_exercise(exercise)?;
    let trace = delivery_sim::run_json(&read(path)?).map_err(|e| format!("{path}: {e}"))?;
    let missing = ex.goal.check(&trace);
    let out = json!({ "met": missing.is_empty(), "missing": missing });
    println!("{out}");
    Ok(ExitCode::from(u8::from(!missing.is_empty())))
}

fn validate(files: &[String]) -> Result<ExitCode, String> {
    let mut bad = 0;
    for path in files {
        let verdict = load_exercise(path).and_then(|ex| {
            let run = |s| delivery_sim::simulate(s).map(|t| ex.goal.check(&t));
            let start = run(&ex.start).map_err(|e| format!("start: {e}"))?;
            let solution = run(&ex.solution).map_err(|e| format!("solution: {e}"))?;
            if start.is_empty() {
                return Err("its start already meets the goal".into());
            }
            if !solution.is_empty() {
                return Err(format!("its solution misses {}", describe(&solution)));
            }
            Ok(format!("the start misses {}", describe(&start)))
        });
        match verdict {
            Ok(msg) => println!("ok    {path}: {msg}"),
            Err(msg) => {
                bad += 1;
                println!("FAIL  {path}: {msg}");
            }
        }
    }
    Ok(ExitCode::from(u8::from(bad > 0)))
}

/// The largest script a search may try: four faults over three messages is already about
/// 10^5 runs; more is a search to run elsewhere.
const MAX_SEARCH_FAULTS: usize = 4;

/// Prints `{"max_faults", "scripts_tried", "modes": {preset: {guarantee: [faults] | null}}}`.
fn search(path: &str, opts: &[String]) -> Result<ExitCode, String> {
    use delivery_sim::search::{Guarantee, Search, DEFAULT_KINDS};
    use delivery_sim::{FaultKind, Preset, Scenario};
    let mut max_faults = 2;
    let mut kinds = DEFAULT_KINDS.to_vec();
    let mut rest = opts.iter();
    while let Some(opt) = rest.next() {
        let value = rest
            .next()
            .ok_or(format!("{opt} needs a value (see --help)"))?;
        match opt.as_str() {
            "--max-faults" => {
                max_faults = value
                    .parse()
                    .ok()
                    .filter(|&n| n <= MAX_SEARCH_FAULTS)
                    .ok_or(format!(
                        "--max-faults must be a whole number from 0 to {MAX_SEARCH_FAULTS}, not {value:?}"
                    ))?;
            }
            "--kinds" => {
                kinds = value
                    .split(',')
                    .map(|k| {
                        FaultKind::from_name(k.trim()).ok_or(format!(
                            "unknown fault kind {k:?} (known: {})",
                            FaultKind::ALL.map(FaultKind::name).join(", ")
                        ))
                    })
                    .collect::<Result<_, _>>()?;
            }
            _ => return Err(format!("unknown option {opt:?} (see --help)")),
        }
    }
    let scenario = Scenario::from_json_text(&read(path)?).map_err(|e| format!("{path}: {e}"))?;
    let mut tried = 0;
    let mut modes = Vec::new();
    for preset in Preset::ALL {
        let settings = preset.settings();
        let done = Search::new(&scenario, &settings, &kinds, max_faults)
            .map_err(|e| format!("{path}: {e}"))?
            .run();
        tried += done.tried;
        let scripts = Guarantee::ALL.into_iter().zip(&done.found).map(|(g, f)| {
            let faults = f.as_ref().map(|f| {
                let f = f.iter().map(|f| FaultJson::of(f, &scenario.messages));
                f.collect::<Vec<_>>()
            });
            (g.key(), faults)
        });
        modes.push((preset.name(), scripts.collect::<Vec<_>>()));
    }
    let modes: Vec<_> = modes.iter().map(|(p, s)| (*p, Ordered(s))).collect();
    #[derive(serde::Serialize)]
    struct Found<T> {
        max_faults: usize,
        scripts_tried: usize,
        modes: T,
    }
    let out = Found {
        max_faults,
        scripts_tried: tried,
        modes: Ordered(&modes),
    };
    println!("{}", json::to_string(&out));
    Ok(ExitCode::SUCCESS)
}

fn describe(missing: &[Miss]) -> String {
    missing
        .iter()
        .map(|m| format!("{} {} (got {})", m.what, m.want, m.got))
        .collect::<Vec<_>>()
        .join("; ")
}
