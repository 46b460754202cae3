//! Times the metrics engine on a case folder: loading its tickets and NPS tables (Parquet where
//! present) and computing every KPI by channel and week.
//!
//! ```sh
//! cargo run --release --example kpi_speed -- out/case-large-1
//! ```

use std::time::Instant;
use supportsim::kpi::{Cut, Kpi, Selection, load_case};

fn main() -> anyhow::Result<()> {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "out/case-saas-1".into());
    let t0 = Instant::now();
    let case = load_case(std::path::Path::new(&dir))?;
    let t1 = Instant::now();
    let kpis: Vec<Kpi> = Kpi::ALL.into_iter().filter(|k| k.on_tickets()).collect();
    let rows = case.compute(&[Cut::Channel, Cut::Week], &Selection::default(), &kpis)?;
    let t2 = Instant::now();
    println!(
        "{} tickets, {} groups: load {:.2} s, KPIs {:.2} s",
        case.tickets.len(),
        rows.len(),
        (t1 - t0).as_secs_f64(),
        (t2 - t1).as_secs_f64()
    );
    Ok(())
}
