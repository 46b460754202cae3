//! Times the metrics engine on a case folder's tickets table: loading Parquet, reading the table,
//! and KPIs by channel and week.
//!
//! ```sh
//! cargo run --release --example kpi_speed -- /tmp/large1 large
//! ```

use polars::prelude::*;
use std::time::Instant;
use supportsim::kpi::{Cut, Kpi, Selection, TicketTable, compute};

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let dir = args.next().unwrap_or_else(|| "out/case-saas-1".into());
    let scenario = args.next().unwrap_or_else(|| "saas".into());
    let cfg = supportsim::scenarios::load(&scenario)?.config;
    let live: Vec<&str> = cfg
        .channels
        .iter()
        .filter(|c| c.live)
        .map(|c| c.name.as_str())
        .collect();
    let t0 = Instant::now();
    let file = std::fs::File::open(format!("{dir}/candidate/data/tickets.parquet"))?;
    let df = ParquetReader::new(file).finish()?;
    let t1 = Instant::now();
    let table = TicketTable::from_frame(&df, &live)?;
    let t2 = Instant::now();
    let rows = compute(&table, &[Cut::Channel, Cut::Week], &Selection::default(), &Kpi::ALL);
    let t3 = Instant::now();
    println!(
        "{} tickets, {} groups: read {:.2} s, table {:.2} s, kpis {:.2} s",
        table.len(),
        rows.len(),
        (t1 - t0).as_secs_f64(),
        (t2 - t1).as_secs_f64(),
        (t3 - t2).as_secs_f64()
    );
    Ok(())
}
