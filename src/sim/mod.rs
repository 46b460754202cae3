//! The pure simulation core: from a validated [`Config`] and a seed to [`SimOutput`] records.
//! No files, no clap, no polars, no printing; time is integer seconds.

pub mod arrivals;
pub mod causes;
pub mod customers;
pub mod engine;
pub mod loyalty;
pub mod queue;
pub mod roster;
pub mod surveys;

use crate::config::Config;
use crate::record::SimOutput;
use crate::rng::Seeds;

/// Simulates warm-up plus history of `cfg` with master seed `seed`. `progress` is called with the
/// number of history days finished.
pub fn simulate(cfg: &Config, seed: u64, progress: &mut dyn FnMut(u32)) -> SimOutput {
    let seeds = Seeds::new(seed);
    let base = customers::CustomerBase::generate(cfg, &seeds, cfg.history_days);
    let roster = roster::build_agents(cfg, &seeds, cfg.warmup_days + cfg.history_days);
    let mut engine = engine::Engine::new(cfg, seeds, &base, &roster);
    engine.run(progress);
    let mut out = engine.finish();
    out.customers = base.records;
    let churned = std::mem::take(&mut out.customer_churned_secs);
    let later = std::mem::take(&mut out.customer_later_churn);
    for ((c, churned), later) in out.customers.iter_mut().zip(churned).zip(later) {
        c.churned_secs = churned;
        c.later_churn = later;
    }
    out.schedule = roster::schedule(cfg, &roster);
    for (team, paid) in out.shift_load.iter_mut().zip(roster::paid_secs(cfg, &roster)) {
        for (shift, paid) in team.iter_mut().zip(paid) {
            for (load, secs) in shift.iter_mut().zip(paid) {
                load.paid_secs = secs;
            }
        }
    }
    out.agents = roster.into_iter().map(|r| r.record).collect();
    out
}

/// The index of the first cumulative weight above `u`, the last index if none is. `cum` is
/// non-decreasing, so that is the count of weights at or below `u`: counting has no branch to
/// mispredict, where a search exits at a random element.
#[inline]
pub(crate) fn pick_cumulative(cum: &[f64], u: f64) -> usize {
    cum.iter().filter(|&&c| c <= u).count().min(cum.len() - 1)
}
