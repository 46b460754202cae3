//! Occupancy (busy over available time) and busy over paid time of every shift, for a few seeds of a
//! scenario (built-in name or path): the check the calibration test makes, while tuning a roster.
//!
//! ```sh
//! cargo run --release --example shift_occupancy -- saas 1..3
//! ```

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let name = args.next().unwrap_or_else(|| "saas".to_string());
    let seeds = supportsim::app::parse_seeds(&args.next().unwrap_or_else(|| "1..3".to_string()))?;
    let loaded = supportsim::scenarios::load(&name)?;
    let cfg = &loaded.config;
    for seed in seeds {
        let sim = supportsim::sim::simulate(cfg, seed, &mut |_| {});
        let cells: Vec<String> = cfg
            .teams
            .iter()
            .enumerate()
            .flat_map(|(ti, team)| {
                let sim = &sim;
                team.shifts.iter().enumerate().map(move |(si, shift)| {
                    let days = &sim.shift_load[ti][si];
                    let busy: u64 = days.iter().map(|d| d.busy_secs).sum();
                    let available: u64 = days.iter().map(|d| d.busy_secs + d.idle_secs).sum();
                    let paid: u64 = days.iter().map(|d| d.paid_secs).sum();
                    format!(
                        "{}/{} {:.1}% ({:.1}% of paid)",
                        team.name,
                        shift.name,
                        100.0 * busy as f64 / available.max(1) as f64,
                        100.0 * busy as f64 / paid.max(1) as f64
                    )
                })
            })
            .collect();
        println!("seed {seed}: {}", cells.join("; "));
    }
    Ok(())
}
