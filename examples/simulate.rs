//! Simulates one scenario a few times without writing anything and prints tickets, events and time
//! per history: a driver for profilers (`perf record`, `valgrind --tool=callgrind`), where criterion's
//! repeated setup gets in the way.
//!
//! ```sh
//! cargo run --release --example simulate -- large 3
//! ```

use std::time::Instant;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let name = args.next().unwrap_or_else(|| "large".to_string());
    let runs: u32 = args.next().map_or(Ok(1), |s| s.parse())?;
    let loaded = supportsim::scenarios::load(&name)?;
    for run in 1..=runs {
        let start = Instant::now();
        let out = supportsim::sim::simulate(&loaded.config, 1, &mut |_| {});
        let secs = start.elapsed().as_secs_f64();
        println!(
            "run {run}: {} tickets, {} events in {secs:.3} s ({:.3} M tickets/s)",
            out.tickets.len(),
            out.events.len(),
            out.tickets.len() as f64 / secs / 1e6
        );
    }
    Ok(())
}
