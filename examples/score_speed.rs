//! Times the paired what-if behind `score` on a built-in scenario: `N` replications of the horizon
//! (status quo and a knowledge-base plan on the same draws), each horizon's KPIs from the metrics
//! engine, and the split between simulating and computing KPIs.
//!
//! ```sh
//! cargo run --release --example score_speed -- saas 20
//! ```

use std::time::Instant;

use supportsim::interventions::proposal;
use supportsim::kpi::{Case, epoch_day};
use supportsim::{scenarios, score, whatif};

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let name = args.next().unwrap_or_else(|| "saas".into());
    let n: u32 = args.next().map_or(Ok(20), |s| s.parse())?;
    let cfg = scenarios::load(&name)?.config;
    let category = &cfg.categories[0].name;
    let first = epoch_day(cfg.start_date);
    let days = Case {
        first_day: first,
        last_day: first + cfg.history_days as i32 - 1,
        ..Case::default()
    };
    let text = format!("[[change]]\nkind = \"knowledge_base\"\ncategory = \"{category}\"\n");
    let p = proposal::parse(text.as_bytes(), &cfg, &days).map_err(|e| anyhow::anyhow!("{e}"))?;
    let h = whatif::horizon(&cfg);
    let plan = whatif::plan(&p, &h, cfg.history_days, 1)?;
    let t0 = Instant::now();
    let (sq, _) = whatif::pair(&h, &plan, whatif::replication_seed(1, 0));
    let t1 = Instant::now();
    let _ = score::outcome(&sq, &h, cfg.history_days, &p.metrics, p.changes.len());
    let t2 = Instant::now();
    let runs = score::replicate(&h, &plan, &p, 1, cfg.history_days, n, &|| {});
    let t3 = Instant::now();
    println!(
        "{name}: {} tickets per run; one pair {:.2} s, one outcome {:.2} s; {n} replications {:.2} s ({} effects)",
        sq.tickets.len(),
        (t1 - t0).as_secs_f64(),
        (t2 - t1).as_secs_f64(),
        (t3 - t2).as_secs_f64(),
        score::effects(&runs).len()
    );
    Ok(())
}
