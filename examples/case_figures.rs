//! The customer-side figures of generated cases over many seeds: CSAT, NPS, monthly churn, the
//! ratio of 30-day churn after an effortful first contact to that after an easy one (with its 95%
//! interval), the planted issues' summed true effect on churned customers (and as a share of the
//! customers churned after the first issue starts), and the share of tickets sent by the top tenth
//! of contacting customers. Each seed is simulated as `generate` does: with its drawn issues, and
//! once without each issue for the answer key's counterfactuals. The last column gives each issue
//! as kind@start day:its effect on churned customers.
//!
//! ```sh
//! cargo run --release --example case_figures -- saas 1..20
//! ```

use rayon::prelude::*;
use supportsim::analysis;
use supportsim::case::answer_key::headline;
use supportsim::config::DAY_SECS;
use supportsim::kpi::{Case, Cut, Kpi, Selection};

struct Row {
    seed: u64,
    csat: f64,
    nps: f64,
    churn: f64,
    ratio: analysis::RiskRatio,
    effect: i64,
    churned_after: u64,
    top10: f64,
    issues: String,
}

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let name = args.next().unwrap_or_else(|| "saas".to_string());
    let seeds = supportsim::app::parse_seeds(&args.next().unwrap_or_else(|| "1..20".to_string()))?;
    let loaded = supportsim::scenarios::load(&name)?;
    let base = &loaded.config;
    let rows: Vec<Row> = seeds
        .par_iter()
        .map(|&seed| {
            let drawn = base.draw_issues(seed);
            let cfg = base.with_issues(drawn.clone());
            let sim = supportsim::sim::simulate(&cfg, seed, &mut |_| {});
            let end = sim.history_secs;
            let case = Case::from_sim(&sim, &cfg).expect("case");
            let mut effect = 0i64;
            let mut issues = Vec::new();
            for i in 0..drawn.len() {
                let mut others = drawn.clone();
                others.remove(i);
                let cf = supportsim::sim::simulate(&base.with_issues(others), seed, &mut |_| {});
                let from = u64::from(drawn[i].start_day) * DAY_SECS;
                let cf_case = Case::from_sim(&cf, &cfg).expect("case");
                let one = headline(&case, &sim, from, end).churned_customers as i64
                    - headline(&cf_case, &cf, from, end).churned_customers as i64;
                issues.push(format!("{}@{}:{one:+}", drawn[i].kind.name(), drawn[i].start_day));
                effect += one;
            }
            let first = drawn.iter().map(|i| u64::from(i.start_day)).min().unwrap_or(0) * DAY_SECS;
            let h = headline(&case, &sim, 0, end);
            // Calendar months wholly inside the history, churned / active at each month's start.
            let months = case
                .compute(&[Cut::Month], &Selection::default(), &[Kpi::ChurnRate])
                .expect("churn by month");
            let whole = &months[1..months.len() - 1];
            let (churned, active) = whole.iter().fold((0.0, 0), |(a, b), r| {
                let v = r.kpis[&Kpi::ChurnRate];
                (a + v.value.unwrap_or(0.0) * v.n as f64, b + v.n)
            });
            Row {
                seed,
                csat: h.csat.unwrap_or(f64::NAN),
                nps: h.nps.unwrap_or(f64::NAN),
                churn: churned / active.max(1) as f64,
                ratio: analysis::churn_after_first_contact(&sim, &cfg, 30),
                effect,
                churned_after: headline(&case, &sim, first, end).churned_customers,
                top10: analysis::top_decile_ticket_share(&sim),
                issues: issues.join(" "),
            }
        })
        .collect();
    println!("scenario {name}");
    println!("seed  csat   nps    churn/mo  ratio [95% CI]        effect  share   top10  issues");
    for r in &rows {
        println!(
            "{:>4}  {:.3}  {:+5.1}  {:.4}    {:.2} [{:.2}, {:.2}]     {:>4}   {:>5.1}%  {:.3}  {}",
            r.seed,
            r.csat,
            r.nps,
            r.churn,
            r.ratio.ratio,
            r.ratio.lo,
            r.ratio.hi,
            r.effect,
            100.0 * r.effect as f64 / r.churned_after.max(1) as f64,
            r.top10,
            r.issues
        );
    }
    let n = rows.len() as f64;
    let mean = |f: &dyn Fn(&Row) -> f64| rows.iter().map(f).sum::<f64>() / n;
    let range = |f: &dyn Fn(&Row) -> f64| {
        let v: Vec<f64> = rows.iter().map(f).collect();
        (
            v.iter().copied().fold(f64::INFINITY, f64::min),
            v.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        )
    };
    for (what, f) in [
        ("csat", &(|r: &Row| r.csat) as &dyn Fn(&Row) -> f64),
        ("nps", &|r: &Row| r.nps),
        ("monthly churn", &|r: &Row| r.churn),
        ("churn ratio", &|r: &Row| r.ratio.ratio),
        ("ratio lower bound", &|r: &Row| r.ratio.lo),
        ("summed churn effect", &|r: &Row| r.effect as f64),
        ("effect share of churned after first start", &|r: &Row| {
            r.effect as f64 / r.churned_after.max(1) as f64
        }),
        ("top-10% ticket share", &|r: &Row| r.top10),
    ] {
        let (lo, hi) = range(f);
        println!("{what}: mean {:.4}, range {lo:.4} to {hi:.4}", mean(f));
    }
    let pass = rows
        .iter()
        .filter(|r| r.effect > 0 && r.effect as f64 >= 0.02 * r.churned_after as f64)
        .count();
    let excludes_one = rows.iter().filter(|r| r.ratio.lo > 1.0).count();
    println!(
        "seeds with a positive summed effect of at least 2%: {pass} of {}",
        rows.len()
    );
    println!(
        "seeds whose churn-ratio interval excludes 1: {excludes_one} of {}",
        rows.len()
    );
    Ok(())
}
