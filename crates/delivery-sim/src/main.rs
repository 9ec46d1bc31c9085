//! `delivery-sim run FILE|-`: runs a scenario and prints the result as one JSON object.

use std::io::Read;
use std::process::ExitCode;

const USAGE: &str = "usage: delivery-sim run FILE|-   (FILE is a scenario in JSON; - reads stdin)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = match args.as_slice() {
        [cmd, path] if cmd == "run" => path.clone(),
        [flag] if flag == "--help" || flag == "-h" => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => return fail(USAGE),
    };
    let mut text = String::new();
    let read = if path == "-" {
        std::io::stdin()
            .take(delivery_sim::json::MAX_INPUT_BYTES as u64 + 1)
            .read_to_string(&mut text)
            .map(|_| ())
    } else {
        std::fs::File::open(&path).and_then(|f| {
            f.take(delivery_sim::json::MAX_INPUT_BYTES as u64 + 1)
                .read_to_string(&mut text)
                .map(|_| ())
        })
    };
    if let Err(e) = read {
        return fail(&format!("cannot read {path}: {e}"));
    }
    match delivery_sim::run_json(&text) {
        Ok(trace) => {
            println!("{}", trace.to_json());
            ExitCode::SUCCESS
        }
        Err(e) => fail(&format!("{path}: {e}")),
    }
}

fn fail(msg: &str) -> ExitCode {
    eprintln!("delivery-sim: {msg}");
    ExitCode::from(2)
}
