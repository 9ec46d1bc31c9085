//! Engine benchmark: events per second, and a 1,000-message scenario with 5% random loss under
//! the three presets. Prints figures against their budgets; run with --release.

use delivery_sim::scenario::Scenario;
use delivery_sim::{simulate, Preset};
use std::time::Instant;

fn main() {
    let scenarios: Vec<Scenario> = Preset::ALL
        .iter()
        .map(|&p| Scenario::benchmark(p))
        .collect();
    // Warm up, then take the median of many runs of all three presets together.
    let mut events = 0usize;
    for s in &scenarios {
        events += simulate(s).expect("bench scenario runs").events.len();
    }
    let mut times = Vec::new();
    for _ in 0..101 {
        let start = Instant::now();
        for s in &scenarios {
            std::hint::black_box(simulate(std::hint::black_box(s)).unwrap());
        }
        times.push(start.elapsed().as_secs_f64());
    }
    times.sort_by(|a, b| a.total_cmp(b));
    let median = times[times.len() / 2];
    let rate = events as f64 / median;
    println!("| figure | measured | budget | ok |");
    println!("|---|---|---|---|");
    println!(
        "| 1,000 messages, 5% loss, three presets | {:.2} ms (p10 {:.2}, p90 {:.2}) | 5 ms | {} |",
        median * 1e3,
        times[times.len() / 10] * 1e3,
        times[times.len() * 9 / 10] * 1e3,
        if median < 0.005 { "yes" } else { "NO" }
    );
    println!(
        "| engine events per second (native) | {:.1} M ({events} events a run) | 5 M | {} |",
        rate / 1e6,
        if rate >= 5e6 { "yes" } else { "NO" }
    );
}
