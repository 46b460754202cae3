//! What a plan would have done: replications of the paired what-if ([`crate::whatif`]), each
//! horizon's KPIs from the metrics engine, and per KPI the status quo, the proposal and their
//! paired difference with a 95% interval (Student's t over the replications' differences).
//!
//! Replications are fresh futures with seeds fixed per case ([`crate::whatif::replication_seed`]),
//! run in parallel and collected in order, so a score does not depend on the number of threads.
//! Besides the KPIs, each run reports the monthly revenue of the customers it lost in the horizon,
//! from which the plan's value in USD is computed.

use rayon::prelude::*;

use crate::config::{Config, DAY_SECS};
use crate::kpi::{Case, Kpi, Selection};
use crate::record::SimOutput;
use crate::whatif;

/// The KPIs a score reports, over the horizon.
pub const KPIS: [Kpi; 14] = [
    Kpi::Tickets,
    Kpi::Csat,
    Kpi::Nps,
    Kpi::FirstReplyP50,
    Kpi::FirstReplyP90,
    Kpi::ResolutionP50,
    Kpi::SlaAttainment,
    Kpi::OneTouch,
    Kpi::EscalationRate,
    Kpi::ReopenRate,
    Kpi::AbandonmentRate,
    Kpi::Backlog,
    Kpi::ChurnRate,
    Kpi::ContactsPerCustomer,
];

/// What one run of the horizon came to.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// Each of [`KPIS`] over the horizon (None where the engine has no value).
    pub kpis: Vec<Option<f64>>,
    /// Monthly revenue of the customers who churned in the horizon, USD.
    pub churned_mrr_usd: f64,
}

/// A quantity over the replications: its mean and a 95% interval (None with one replication).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    pub mean: f64,
    pub ci95: Option<(f64, f64)>,
    /// Replications with a value.
    pub n: usize,
}

/// Student's t quantile at 0.975 for `df` degrees of freedom (table to 30, then the normal's).
fn t975(df: usize) -> f64 {
    const T: [f64; 30] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
        2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
    ];
    match df {
        0 => f64::NAN,
        d if d <= 30 => T[d - 1],
        d if d <= 60 => 2.000 + (2.042 - 2.000) * (60 - d) as f64 / 30.0,
        _ => 1.960,
    }
}

/// The mean of `xs` with a t interval.
pub fn estimate(xs: &[f64]) -> Option<Estimate> {
    let n = xs.len();
    if n == 0 {
        return None;
    }
    let mean = xs.iter().sum::<f64>() / n as f64;
    let ci95 = (n > 1).then(|| {
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
        let half = t975(n - 1) * (var / n as f64).sqrt();
        (mean - half, mean + half)
    });
    Some(Estimate { mean, ci95, n })
}

/// The outcome of horizon run `sim` of `cfg_h` (history of `history_days` days, then the horizon).
pub fn outcome(sim: &SimOutput, cfg_h: &Config, history_days: u32) -> Outcome {
    let case = Case::from_sim(sim, cfg_h).unwrap_or_default();
    let horizon = Selection {
        from_day: Some(case.first_day + history_days as i32),
        to_day: Some(case.last_day),
        filters: Vec::new(),
    };
    let rows = case.compute(&[], &horizon, &KPIS).unwrap_or_default();
    let kpis = KPIS
        .iter()
        .map(|k| rows.first().and_then(|r| r.kpis.get(k)).and_then(|v| v.value))
        .collect();
    let from = i64::from(history_days) * DAY_SECS as i64;
    let churned_mrr_usd = sim
        .customers
        .iter()
        .filter(|c| c.churned_secs.is_some_and(|s| s > from))
        .map(|c| c.mrr_usd)
        .sum();
    Outcome { kpis, churned_mrr_usd }
}

/// `replications` paired runs of the horizon on the case with `case_seed`, as it is (`cfg_h`) and
/// with the plan (`with`): (status quo, proposal) per replication, in order.
pub fn replicate(
    cfg_h: &Config,
    with: &Config,
    case_seed: u64,
    history_days: u32,
    replications: u32,
) -> Vec<(Outcome, Outcome)> {
    (0..replications)
        .into_par_iter()
        .map(|r| {
            let (sq, proposal) = whatif::pair(cfg_h, with, whatif::replication_seed(case_seed, r));
            rayon::join(
                || outcome(&sq, cfg_h, history_days),
                || outcome(&proposal, with, history_days),
            )
        })
        .collect()
}

/// One KPI's status quo, proposal and paired difference over the replications.
#[derive(Debug, Clone, PartialEq)]
pub struct Effect {
    pub kpi: Kpi,
    pub status_quo: Option<Estimate>,
    pub proposal: Option<Estimate>,
    pub difference: Option<Estimate>,
}

/// Each KPI's effect over `runs` (replications where either run has no value are left out of the
/// difference).
pub fn effects(runs: &[(Outcome, Outcome)]) -> Vec<Effect> {
    KPIS.iter()
        .enumerate()
        .map(|(i, &kpi)| {
            let sq: Vec<f64> = runs.iter().filter_map(|(a, _)| a.kpis[i]).collect();
            let with: Vec<f64> = runs.iter().filter_map(|(_, b)| b.kpis[i]).collect();
            let diff: Vec<f64> = runs.iter().filter_map(|(a, b)| Some(b.kpis[i]? - a.kpis[i]?)).collect();
            Effect {
                kpi,
                status_quo: estimate(&sq),
                proposal: estimate(&with),
                difference: estimate(&diff),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t_intervals_cover_what_they_should() {
        assert_eq!(estimate(&[]), None);
        let one = estimate(&[2.0]).expect("one");
        assert_eq!((one.mean, one.ci95), (2.0, None));
        // Mean 2, sd 1, n 4: half-width t(3) * 1/2 = 1.591.
        let e = estimate(&[1.0, 2.0, 3.0, 2.0]).expect("four");
        let (lo, hi) = e.ci95.expect("ci");
        assert!((e.mean - 2.0).abs() < 1e-12);
        assert!(
            (hi - lo - 2.0 * 3.182 * (2.0f64 / 3.0).sqrt() / 2.0).abs() < 1e-9,
            "{lo} {hi}"
        );
        assert_eq!(t975(100), 1.96);
    }
}
