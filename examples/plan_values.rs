//! The value, cost and broken guardrails of hand-written plans on one case, on the case's first
//! scoring futures: for probing a scenario's economics without a search.
//!
//! ```sh
//! cargo run --release --example plan_values -- ecommerce 1 4 plans.toml
//! ```
//! Arguments: scenario, seed, replications, and a file of plans: `[[change]]` blocks, plans
//! separated by a line `---` (an empty plan is the status quo).

use supportsim::kpi::{Case, epoch_day};
use supportsim::scenarios;
use supportsim::solve::Problem;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let name = args.next().unwrap_or_else(|| "saas".into());
    let seed: u64 = args.next().map_or(Ok(1), |s| s.parse())?;
    let reps: u32 = args.next().map_or(Ok(4), |s| s.parse())?;
    let file = args.next().ok_or_else(|| anyhow::anyhow!("a plans file"))?;
    let text = std::fs::read_to_string(&file)?;
    let base = scenarios::load(&name)?.config;
    let cfg = base.with_issues(base.draw_issues(seed));
    let first = epoch_day(cfg.start_date);
    let case = Case {
        first_day: first,
        last_day: first + cfg.history_days as i32 - 1,
        ..Case::default()
    };
    let problem = Problem {
        cfg: &cfg,
        case: &case,
        case_seed: seed,
        budget_usd: cfg.budget_usd,
    };
    let issues: Vec<&str> = cfg.active_issues.iter().map(|i| i.kind.name()).collect();
    println!("{name} seed {seed}: issues {issues:?}");
    let futures = problem.futures(0, reps);
    for (i, plan) in text.split("\n---\n").enumerate() {
        let blocks = vec![plan.to_string()];
        let summary: Vec<String> = plan
            .lines()
            .filter(|l| !l.starts_with('[') && !l.trim().is_empty() && !l.starts_with('#'))
            .map(|l| l.replace(" = ", "=").replace('"', ""))
            .collect();
        match problem.evaluate(&blocks, &futures) {
            Some(t) => {
                let sd = {
                    let m = t.value_usd();
                    let n = t.values_usd.len() as f64;
                    (t.values_usd.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (n - 1.0).max(1.0) / n).sqrt()
                };
                println!(
                    "plan {i}: value ${:.0} (se {:.0}), cost ${:.0}, broken {:?}\n    {}",
                    t.value_usd(),
                    sd,
                    t.cost_usd,
                    t.broken,
                    summary.join(" ")
                );
            }
            None => println!("plan {i}: cannot be carried out: {}", summary.join(" ")),
        }
    }
    Ok(())
}
