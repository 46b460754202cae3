//! How good `solve`'s reference plan is: on each seed of a scenario, the reference (searched on
//! its own futures, confirmed on the case's scoring futures) against the status quo, and against
//! random plans of the same budget (one to four changes of the catalog, agent counts 1 to 4) on the
//! same futures.
//!
//! ```sh
//! cargo run --release --example solve_quality -- saas 20 200 2
//! ```
//! Arguments: scenario, seeds (`N` for 1..=N, or `A..B` for A..=B), random plans per seed,
//! replications per random plan. Random plans are not held to the guardrails the reference keeps;
//! the line also gives the share of those that keep them which the reference beats.

use rand::{Rng, SeedableRng, seq::IndexedRandom};
use std::time::Instant;
use supportsim::kpi::{Case, epoch_day};
use supportsim::solve::{Problem, candidates};
use supportsim::{scenarios, score};

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let name = args.next().unwrap_or_else(|| "saas".into());
    let seeds = args.next().unwrap_or_else(|| "20".into());
    let seeds: Vec<u64> = match seeds.split_once("..") {
        Some((a, b)) => (a.parse()?..=b.parse()?).collect(),
        None => (1..=seeds.parse()?).collect(),
    };
    let plans: usize = args.next().map_or(Ok(200), |s| s.parse())?;
    let reps: u32 = args.next().map_or(Ok(2), |s| s.parse())?;
    let base = scenarios::load(&name)?.config;
    let mut beaten_all = Vec::new();
    for &seed in &seeds {
        let t0 = Instant::now();
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
        let solved = problem.solve(20, &|_| {});
        let t_solve = t0.elapsed().as_secs_f64();
        let est = score::estimate(&solved.values_usd).expect("values");
        let (lo, hi) = est.ci95.expect("ci");
        // Random plans on the first `reps` scoring futures, against the reference's value there.
        let futures = problem.futures(0, reps);
        let reference: f64 = solved.values_usd[..reps as usize].iter().sum::<f64>() / f64::from(reps);
        let pool = candidates(&cfg);
        let mut rng = rand::rngs::StdRng::seed_from_u64(seed ^ 0xA11CE);
        let mut values = Vec::new();
        let mut keeping = Vec::new();
        let mut best: Option<(f64, Vec<String>, Vec<&str>)> = None;
        while values.len() < plans {
            let k = rng.random_range(1..=4);
            let blocks: Vec<String> = (0..k)
                .map(|_| {
                    let b = pool.choose(&mut rng).expect("a candidate").clone();
                    let n = rng.random_range(1..=4);
                    b.replace("agents = 2", &format!("agents = {n}"))
                })
                .collect();
            if let Some(t) = problem.evaluate(&blocks, &futures)
                && t.cost_usd <= cfg.budget_usd
            {
                values.push(t.value_usd());
                if best.as_ref().is_none_or(|b| t.value_usd() > b.0) {
                    best = Some((t.value_usd(), blocks.clone(), t.broken.clone()));
                }
                if t.broken.is_empty() {
                    keeping.push(t.value_usd());
                }
            }
        }
        let beaten = values.iter().filter(|&&v| reference > v).count() as f64 / values.len() as f64;
        let beaten_keeping = keeping.iter().filter(|&&v| reference > v).count() as f64 / keeping.len().max(1) as f64;
        values.sort_by(f64::total_cmp);
        let q = |p: f64| values[((values.len() - 1) as f64 * p).round() as usize];
        println!(
            "{name} seed {seed:>2}: reference {} changes, cost ${:.0}, value ${:.0} [{:.0}, {:.0}] (solve {t_solve:.1} s); \
             random plans p10 ${:.0} p50 ${:.0} p90 ${:.0} max ${:.0}; reference beats {:.1}% \
             ({:.1}% of the {} that keep the guardrails); {}",
            solved.proposal.changes.len(),
            solved.cost_usd,
            est.mean,
            lo,
            hi,
            q(0.1),
            q(0.5),
            q(0.9),
            q(1.0),
            100.0 * beaten,
            100.0 * beaten_keeping,
            keeping.len(),
            solved
                .text
                .lines()
                .filter(|l| l.starts_with("kind")
                    || l.starts_with("team")
                    || l.starts_with("category")
                    || l.starts_with("hours"))
                .collect::<Vec<_>>()
                .join(" ")
        );
        if let Some((v, blocks, broken)) = best.filter(|b| b.0 >= reference) {
            let kinds: Vec<String> = blocks
                .iter()
                .map(|b| {
                    b.lines()
                        .skip(1)
                        .map(|l| l.replace('"', ""))
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .collect();
            println!("  best random plan ${v:.0}, breaks {broken:?}: {}", kinds.join("; "));
        }
        beaten_all.push((lo > 0.0, beaten));
    }
    let above = beaten_all.iter().filter(|(a, _)| *a).count();
    let min = beaten_all.iter().map(|(_, b)| *b).fold(1.0, f64::min);
    println!(
        "{name}: interval above zero in {above} of {} seeds; reference beats at least {:.1}% of random plans on every seed",
        seeds.len(),
        100.0 * min
    );
    Ok(())
}
