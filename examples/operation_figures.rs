//! The operation-side figures of generated cases over many seeds, each simulated as `generate`
//! does (with its drawn issues): CSAT, first-reply p90 (minutes), SLA attainment, busy time as a
//! share of paid (rostered) time and of available time per team, the share of live contacts
//! answered with a first reply of exactly zero, and the agents hired and leaving in the history.
//!
//! ```sh
//! cargo run --release --example operation_figures -- saas 1..20
//! ```

use rayon::prelude::*;
use supportsim::kpi::Kpi;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let name = args.next().unwrap_or_else(|| "saas".to_string());
    let seeds = supportsim::app::parse_seeds(&args.next().unwrap_or_else(|| "1..20".to_string()))?;
    let loaded = supportsim::scenarios::load(&name)?;
    let base = &loaded.config;
    let rows: Vec<(String, Vec<f64>)> = seeds
        .par_iter()
        .map(|&seed| {
            let cfg = base.with_issues(base.draw_issues(seed));
            let sim = supportsim::sim::simulate(&cfg, seed, &mut |_| {});
            (row(seed, &cfg, &sim), busy_over_paid_per_shift(&sim))
        })
        .collect();
    let teams: Vec<&str> = base.teams.iter().map(|t| t.name.as_str()).collect();
    println!(
        "seed  csat   fr_p90  sla    live0   hires leavers  busy/paid (busy/available) per team: {}",
        teams.join(", ")
    );
    for (r, _) in &rows {
        println!("{r}");
    }
    println!("busy over paid time per shift over the seeds: mean (min-max)");
    let shifts = base
        .teams
        .iter()
        .flat_map(|t| t.shifts.iter().map(move |s| format!("{}/{}", t.name, s.name)));
    for (k, name) in shifts.enumerate() {
        let v: Vec<f64> = rows.iter().map(|(_, per)| per[k]).collect();
        let mean = v.iter().sum::<f64>() / v.len() as f64;
        let (lo, hi) = v.iter().fold((f64::MAX, 0.0f64), |(l, h), &x| (l.min(x), h.max(x)));
        println!(
            "  {name:<32} {:.0}% ({:.0}-{:.0}%)",
            mean * 100.0,
            lo * 100.0,
            hi * 100.0
        );
    }
    Ok(())
}

/// Busy time over paid time of every shift, teams in order.
fn busy_over_paid_per_shift(sim: &supportsim::record::SimOutput) -> Vec<f64> {
    sim.shift_load
        .iter()
        .flatten()
        .map(|days| {
            let busy: u64 = days.iter().map(|d| d.busy_secs).sum();
            let paid: u64 = days.iter().map(|d| d.paid_secs).sum();
            busy as f64 / paid.max(1) as f64
        })
        .collect()
}

fn row(seed: u64, cfg: &supportsim::config::Config, sim: &supportsim::record::SimOutput) -> String {
    let case = supportsim::kpi::Case::from_sim(sim, cfg).expect("case");
    let rows = case
        .compute(
            &[],
            &Default::default(),
            &[Kpi::Csat, Kpi::FirstReplyP90, Kpi::SlaAttainment],
        )
        .expect("kpis");
    let v = |k: Kpi| rows[0].kpis[&k].value.unwrap_or(f64::NAN);
    let (csat, p90, sla) = (v(Kpi::Csat), v(Kpi::FirstReplyP90), v(Kpi::SlaAttainment));
    let live: Vec<_> = sim
        .tickets
        .iter()
        .filter(|t| cfg.channels[t.channel as usize].live && t.first_reply_secs.is_some())
        .collect();
    let zero = live
        .iter()
        .filter(|t| t.first_reply_secs == Some(t.created_secs))
        .count() as f64
        / live.len().max(1) as f64;
    let days = i64::from(cfg.history_days);
    let hires = sim.agents.iter().filter(|a| (0..days).contains(&a.hire_day)).count();
    let leavers = sim
        .agents
        .iter()
        .filter(|a| a.left_day.is_some_and(|d| (1..days).contains(&d)))
        .count();
    let per_team: Vec<String> = sim
        .shift_load
        .iter()
        .map(|shifts| {
            let (busy, idle, paid) = shifts.iter().flatten().fold((0, 0, 0), |(b, i, p), l| {
                (b + l.busy_secs, i + l.idle_secs, p + l.paid_secs)
            });
            format!(
                "{:.2} ({:.2})",
                busy as f64 / paid.max(1) as f64,
                busy as f64 / (busy + idle).max(1) as f64
            )
        })
        .collect();
    format!(
        "{seed:>4}  {csat:.3}  {p90:>6.1}  {sla:.3}  {:.4}  {hires:>5} {leavers:>7}  {}",
        zero,
        per_team.join("  ")
    )
}
