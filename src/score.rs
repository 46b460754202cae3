//! What a plan would have done: replications of the paired what-if ([`crate::whatif`]), each
//! horizon's KPIs from the metrics engine, and per KPI the status quo, the proposal and their
//! paired difference with a 95% interval (Student's t over the replications' differences).
//!
//! Replications are fresh futures with seeds fixed per case ([`crate::whatif::replication_seed`]),
//! run in parallel and collected in order, so a score does not depend on the number of threads.
//! Besides the KPIs, each run reports the monthly revenue of the customers it lost in the horizon,
//! from which the plan's value in USD is computed.

use rayon::prelude::*;

use crate::config::{Config, DAY_SECS, Origin};
use crate::interventions::proposal::{MetricSpec, Proposal};
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
    /// Each success metric's KPI over the week to its `by_day`, in its cut.
    pub metrics: Vec<Option<f64>>,
    /// Contacts each of the proposal's changes deflected.
    pub deflected: Vec<u64>,
    /// Each of [`KPIS`] over the horizon in each hidden issue's cut (None where the KPI cannot be
    /// cut that way or has no value).
    pub in_cuts: Vec<Vec<Option<f64>>>,
}

/// The cut of each hidden issue planted in `cfg` (from the answer key), as filters.
pub fn issue_cuts(cfg: &Config) -> Vec<(String, crate::kpi::Labels)> {
    cfg.active_issues
        .iter()
        .map(|issue| {
            let filters = crate::case::answer_key::issue_cut(issue, cfg)
                .into_iter()
                .filter_map(|(k, v)| Some((crate::kpi::Cut::from_name(&k)?, v)))
                .collect();
            (issue.kind.name().to_string(), filters)
        })
        .collect()
}

/// The days of the horizon (0 = the first after the history) a success metric is read over: the
/// seven days to its `by_day`, within the horizon.
pub fn metric_days(by_day: u32, horizon_days: u32) -> (u32, u32) {
    let last = by_day.min(horizon_days.saturating_sub(1));
    (last.saturating_sub(6), last)
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

/// The outcome of horizon run `sim` of `cfg_h` (history of `history_days` days, then the horizon),
/// with the values of `metrics` and the deflections of the proposal's `changes` changes.
pub fn outcome(sim: &SimOutput, cfg_h: &Config, history_days: u32, metrics: &[MetricSpec], changes: usize) -> Outcome {
    let case = Case::from_sim(sim, cfg_h).unwrap_or_default();
    let start = case.first_day + history_days as i32;
    let horizon = Selection {
        from_day: Some(start),
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
    let horizon_days = (case.last_day - start + 1).max(0) as u32;
    let metrics = metrics
        .iter()
        .map(|m| {
            let (a, b) = metric_days(m.by_day, horizon_days);
            let sel = Selection {
                from_day: Some(start + a as i32),
                to_day: Some(start + b as i32),
                filters: m.filters.clone(),
            };
            case.value(m.kpi, &sel).ok().and_then(|v| v.value)
        })
        .collect();
    let in_cuts = issue_cuts(cfg_h)
        .into_iter()
        .map(|(_, filters)| {
            let sel = Selection {
                filters,
                ..horizon.clone()
            };
            // The KPIs the cut allows, in one pass; the others have no value there.
            let allowed: Vec<Kpi> = KPIS
                .into_iter()
                .filter(|&k| Case::check_cuts(&[], &sel, &[k]).is_ok())
                .collect();
            let rows = case.compute(&[], &sel, &allowed).unwrap_or_default();
            KPIS.iter()
                .map(|k| rows.first().and_then(|r| r.kpis.get(k)).and_then(|v| v.value))
                .collect()
        })
        .collect();
    let mut deflected = vec![0; changes];
    for (c, n) in cfg_h.changes.iter().zip(&sim.deflections) {
        if let Origin::Intervention(i) = c.origin
            && i < changes
        {
            deflected[i] += n;
        }
    }
    Outcome {
        kpis,
        churned_mrr_usd,
        metrics,
        deflected,
        in_cuts,
    }
}

/// `replications` paired runs of the horizon on the case with `case_seed`, as it is (`cfg_h`) and
/// with the plan (`with`, from `proposal`): (status quo, proposal) per replication, in order.
/// `done` is called as each replication finishes (from any thread).
pub fn replicate(
    cfg_h: &Config,
    with: &Config,
    proposal: &Proposal,
    case_seed: u64,
    history_days: u32,
    replications: u32,
    done: &(dyn Fn() + Sync),
) -> Vec<(Outcome, Outcome)> {
    let (metrics, n) = (&proposal.metrics, proposal.changes.len());
    (0..replications)
        .into_par_iter()
        .map(|r| {
            let (sq, plan) = whatif::pair(cfg_h, with, whatif::replication_seed(case_seed, r));
            let outcomes = rayon::join(
                || outcome(&sq, cfg_h, history_days, metrics, n),
                || outcome(&plan, with, history_days, metrics, n),
            );
            done();
            outcomes
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
    effects_of(runs, |o| &o.kpis)
}

/// Each KPI's effect over `runs`, reading the KPIs of an outcome with `of`.
fn effects_of(runs: &[(Outcome, Outcome)], of: impl Fn(&Outcome) -> &Vec<Option<f64>>) -> Vec<Effect> {
    KPIS.iter()
        .enumerate()
        .map(|(i, &kpi)| {
            let sq: Vec<f64> = runs.iter().filter_map(|(a, _)| of(a)[i]).collect();
            let with: Vec<f64> = runs.iter().filter_map(|(_, b)| of(b)[i]).collect();
            let diff: Vec<f64> = runs.iter().filter_map(|(a, b)| Some(of(b)[i]? - of(a)[i]?)).collect();
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

/// A score: the plan's effects, its cost against the budget, its value and its success metrics.
#[derive(Debug, Clone, PartialEq)]
pub struct Score {
    pub replications: u32,
    pub horizon_days: u32,
    pub effects: Vec<Effect>,
    /// Per change of the proposal: its kind and cost (running costs from the simulation's mean).
    pub costs: Vec<(&'static str, crate::interventions::cost::Cost)>,
    pub budget_usd: f64,
    /// Revenue kept through lower churn, counted for a year: (status quo's churned MRR − the
    /// proposal's) × 12, per replication.
    pub revenue_kept_usd: Option<Estimate>,
    /// Revenue kept minus the plan's cost, per replication.
    pub value_usd: Option<Estimate>,
    /// Per success metric: the proposal's value on its day, and the share of replications that reach
    /// the target (beyond it in the direction from the baseline, or upwards without one).
    pub metrics: Vec<(Option<Estimate>, f64)>,
    /// Per hidden issue of the case: its kind, its cut, and each KPI's effect in that cut.
    pub issues: Vec<(String, crate::kpi::Labels, Vec<Effect>)>,
}

/// Scores `proposal` from its paired `runs` on scenario `cfg` (the case's, history only).
pub fn score(proposal: &Proposal, cfg: &Config, runs: &[(Outcome, Outcome)]) -> Score {
    use crate::interventions::cost::cost;
    let n = runs.len().max(1) as f64;
    let costs_in = |deflected: &dyn Fn(usize) -> f64| -> Vec<crate::interventions::cost::Cost> {
        proposal
            .changes
            .iter()
            .enumerate()
            .map(|(i, c)| cost(c, cfg, deflected(i)))
            .collect()
    };
    let mean_deflected = |i: usize| runs.iter().map(|(_, b)| b.deflected[i] as f64).sum::<f64>() / n;
    let costs = proposal
        .changes
        .iter()
        .zip(costs_in(&mean_deflected))
        .map(|(c, k)| (c.kind.name, k))
        .collect();
    let kept: Vec<f64> = runs
        .iter()
        .map(|(a, b)| 12.0 * (a.churned_mrr_usd - b.churned_mrr_usd))
        .collect();
    let value: Vec<f64> = runs
        .iter()
        .zip(&kept)
        .map(|((_, b), k)| {
            let spent: f64 = costs_in(&|i| b.deflected[i] as f64).iter().map(|c| c.total_usd()).sum();
            k - spent
        })
        .collect();
    let metrics = proposal
        .metrics
        .iter()
        .enumerate()
        .map(|(j, m)| {
            let values: Vec<f64> = runs.iter().filter_map(|(_, b)| b.metrics[j]).collect();
            let up = m.baseline.is_none_or(|b| m.target >= b);
            let reached = values
                .iter()
                .filter(|&&v| if up { v >= m.target } else { v <= m.target })
                .count();
            (estimate(&values), reached as f64 / n)
        })
        .collect();
    let issues = issue_cuts(cfg)
        .into_iter()
        .enumerate()
        .map(|(j, (kind, filters))| (kind, filters, effects_of(runs, |o| &o.in_cuts[j])))
        .collect();
    Score {
        issues,
        replications: runs.len() as u32,
        horizon_days: cfg.horizon_days,
        effects: effects(runs),
        costs,
        budget_usd: cfg.budget_usd,
        revenue_kept_usd: estimate(&kept),
        value_usd: estimate(&value),
        metrics,
    }
}

/// Each KPI's status quo, proposal and difference as JSON, by KPI name.
fn effects_json(effects: &[Effect]) -> serde_json::Map<String, serde_json::Value> {
    effects
        .iter()
        .map(|e| {
            (
                e.kpi.name().to_string(),
                serde_json::json!({
                    "status_quo": estimate_json(&e.status_quo),
                    "proposal": estimate_json(&e.proposal),
                    "difference": estimate_json(&e.difference),
                }),
            )
        })
        .collect()
}

fn estimate_json(e: &Option<Estimate>) -> serde_json::Value {
    match e {
        None => serde_json::Value::Null,
        Some(e) => serde_json::json!({"mean": e.mean, "ci95": e.ci95.map(|(a, b)| [a, b]), "n": e.n}),
    }
}

impl Score {
    pub fn cost_usd(&self) -> crate::interventions::cost::Cost {
        self.costs.iter().fold(Default::default(), |mut t, (_, c)| {
            t.one_off_usd += c.one_off_usd;
            t.running_usd += c.running_usd;
            t
        })
    }

    /// The score as one JSON object.
    pub fn json(&self, case: serde_json::Value, proposal: &Proposal) -> serde_json::Value {
        let kpis = effects_json(&self.effects);
        let total = self.cost_usd();
        let metrics: Vec<serde_json::Value> = proposal
            .metrics
            .iter()
            .zip(&self.metrics)
            .map(|(m, (v, p))| {
                let filters: serde_json::Map<String, serde_json::Value> = m
                    .filters
                    .iter()
                    .map(|(c, v)| (c.name().to_string(), serde_json::json!(v)))
                    .collect();
                serde_json::json!({
                    "kpi": m.kpi.name(), "where": filters, "baseline": m.baseline, "target": m.target,
                    "by_day": m.by_day, "simulated": estimate_json(v), "probability_reached": p,
                })
            })
            .collect();
        let issues: Vec<serde_json::Value> = self
            .issues
            .iter()
            .map(|(kind, filters, effects)| {
                let cut: serde_json::Map<String, serde_json::Value> = filters
                    .iter()
                    .map(|(c, v)| (c.name().to_string(), serde_json::json!(v)))
                    .collect();
                serde_json::json!({"kind": kind, "where": cut, "kpis": effects_json(effects)})
            })
            .collect();
        serde_json::json!({
            "case": case,
            "issues": issues,
            "replications": self.replications,
            "horizon_days": self.horizon_days,
            "kpis": kpis,
            "cost_usd": {
                "one_off": total.one_off_usd,
                "running": total.running_usd,
                "total": total.total_usd(),
                "changes": self.costs.iter().map(|(k, c)| serde_json::json!({"kind": k, "one_off": c.one_off_usd, "running": c.running_usd})).collect::<Vec<_>>(),
            },
            "budget_usd": self.budget_usd,
            "within_budget": total.total_usd() <= self.budget_usd,
            "revenue_kept_usd": estimate_json(&self.revenue_kept_usd),
            "value_usd": estimate_json(&self.value_usd),
            "metrics": metrics,
        })
    }

    /// The score for people: a before/after table with intervals, cost, value and metrics.
    pub fn table(&self, proposal: &Proposal) -> String {
        use crate::kpi::render::format_value;
        use std::fmt::Write as _;
        let mut s = format!(
            "{} replications of the {}-day horizon, status quo and proposal on the same random draws\n\n",
            self.replications, self.horizon_days
        );
        let _ = writeln!(
            s,
            "{:<22} {:>12} {:>12} {:>30}",
            "kpi", "status quo", "proposal", "difference [95% CI]"
        );
        for e in &self.effects {
            let show = |x: &Option<Estimate>| x.map_or("-".to_string(), |x| format_value(e.kpi, x.mean));
            let diff = match e.difference {
                None => "-".to_string(),
                Some(d) => match d.ci95 {
                    Some((lo, hi)) => {
                        let bare = |x: f64| signed(e.kpi, x).trim_end_matches(" pts").to_string();
                        format!("{} [{}, {}]", signed(e.kpi, d.mean), bare(lo), bare(hi))
                    }
                    None => signed(e.kpi, d.mean),
                },
            };
            let _ = writeln!(
                s,
                "{:<22} {:>12} {:>12} {:>30}",
                e.kpi.name(),
                show(&e.status_quo),
                show(&e.proposal),
                diff
            );
        }
        let total = self.cost_usd();
        let within = if total.total_usd() <= self.budget_usd {
            "within"
        } else {
            "over"
        };
        let _ = writeln!(
            s,
            "\ncost: ${:.0} one-off + ${:.0} running = ${:.0}, {within} the ${:.0} budget",
            total.one_off_usd,
            total.running_usd,
            total.total_usd(),
            self.budget_usd
        );
        for (k, c) in &self.costs {
            let _ = writeln!(
                s,
                "  {k:<24} ${:>9.0} one-off  ${:>9.0} running",
                c.one_off_usd, c.running_usd
            );
        }
        let usd = |e: &Option<Estimate>| match e {
            Some(Estimate {
                mean,
                ci95: Some((lo, hi)),
                ..
            }) => format!("${mean:.0} [{lo:.0}, {hi:.0}]"),
            Some(e) => format!("${:.0}", e.mean),
            None => "-".into(),
        };
        let _ = writeln!(
            s,
            "value: revenue kept through lower churn (for a year) {} minus cost = {}",
            usd(&self.revenue_kept_usd),
            usd(&self.value_usd)
        );
        for (kind, filters, effects) in &self.issues {
            let cut: Vec<String> = filters.iter().map(|(c, v)| format!("{}={v}", c.name())).collect();
            let _ = writeln!(
                s,
                "\nin the cut of hidden issue {kind} ({}), difference [95% CI]:",
                cut.join(",")
            );
            let parts: Vec<String> = effects
                .iter()
                .filter_map(|e| {
                    let d = e.difference?;
                    let (lo, hi) = d.ci95?;
                    let bare = |x: f64| signed(e.kpi, x).trim_end_matches(" pts").to_string();
                    Some(format!(
                        "{} {} [{}, {}]",
                        e.kpi.name(),
                        signed(e.kpi, d.mean),
                        bare(lo),
                        bare(hi)
                    ))
                })
                .collect();
            for chunk in parts.chunks(3) {
                let _ = writeln!(s, "  {}", chunk.join("; "));
            }
        }
        if !proposal.metrics.is_empty() {
            let _ = writeln!(s, "\nsuccess metrics (the week to by_day, in the proposal's runs):");
        }
        for (m, (v, p)) in proposal.metrics.iter().zip(&self.metrics) {
            let cut: Vec<String> = m.filters.iter().map(|(c, v)| format!("{}={v}", c.name())).collect();
            let at = if cut.is_empty() {
                String::new()
            } else {
                format!(" where {}", cut.join(","))
            };
            let simulated = v.map_or("-".to_string(), |v| format_value(m.kpi, v.mean));
            let _ = writeln!(
                s,
                "  {}{at} by day {}: target {}, simulated {simulated}; reached in {:.0}% of replications",
                m.kpi.name(),
                m.by_day,
                format_value(m.kpi, m.target),
                100.0 * p
            );
        }
        s
    }
}

/// A difference with its sign, in the KPI's unit (shares in points).
fn signed(kpi: Kpi, x: f64) -> String {
    let shown = crate::kpi::render::format_value(kpi, x.abs());
    let shown = shown.trim_end_matches('%');
    let unit = if kpi.unit() == crate::kpi::Unit::Share {
        " pts"
    } else {
        ""
    };
    format!("{}{shown}{unit}", if x < 0.0 { "-" } else { "+" })
}
