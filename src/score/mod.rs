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

pub mod debrief;
pub mod grade;
mod render;

pub use render::signed_interval;

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
    /// Monthly revenue lost to churn in the horizon and, expected, after it ([`lost_mrr_usd`]), USD.
    pub lost_mrr_usd: f64,
    /// Each success metric's KPI over the week to its `by_day`, in its cut.
    pub metrics: Vec<Option<f64>>,
    /// Contacts each of the proposal's changes deflected.
    pub deflected: Vec<u64>,
    /// Each of [`KPIS`] over the horizon in each hidden issue's cut (None where the KPI cannot be
    /// cut that way or has no value).
    pub in_cuts: Vec<Vec<Option<f64>>>,
    /// Share of the horizon's shift-days (one team's shift on one day, with agents on duty) whose
    /// occupancy is above 90%: the burnout guardrail.
    pub overloaded_shift_days: Option<f64>,
    /// Each week of the horizon: its label and [`WEEKLY_KPIS`] over its tickets.
    pub weekly: Vec<(String, [Option<f64>; 2])>,
}

/// The KPIs a score follows week by week over the horizon: satisfaction and one wait.
pub const WEEKLY_KPIS: [Kpi; 2] = [Kpi::Csat, Kpi::FirstReplyP90];

/// What a plan must not make worse beyond its interval, each worse when higher: the robustness
/// part of a grade checks them, and the reference plan from `solve` keeps all of them.
pub const GUARDRAILS: [&str; 4] = [
    "first_reply_p90",
    "abandonment_rate",
    "reopen_rate",
    "shift-days above 90% occupancy",
];

/// A run's guardrails, in the order of [`GUARDRAILS`].
pub fn guardrails(o: &Outcome) -> [Option<f64>; 4] {
    let kpi = |k: Kpi| KPIS.iter().position(|&x| x == k).and_then(|i| o.kpis[i]);
    [
        kpi(GUARDRAIL_KPIS[0]),
        kpi(GUARDRAIL_KPIS[1]),
        kpi(GUARDRAIL_KPIS[2]),
        o.overloaded_shift_days,
    ]
}

/// The guardrail KPIs of [`GUARDRAILS`], in its order.
const GUARDRAIL_KPIS: [Kpi; 3] = [Kpi::FirstReplyP90, Kpi::AbandonmentRate, Kpi::ReopenRate];

/// Run `sim`'s guardrails over the horizon after its first `history_days` days, computed as
/// [`outcome`] computes them but without the other KPIs and the issues' cuts: what a search needs
/// of each run it tries.
pub fn guardrails_of(sim: &SimOutput, cfg_h: &Config, history_days: u32) -> [Option<f64>; 4] {
    let case = Case::tickets_from_sim(sim, cfg_h, history_days).unwrap_or_default();
    let horizon = Selection {
        from_day: Some(case.first_day + history_days as i32),
        to_day: Some(case.last_day),
        filters: Vec::new(),
    };
    let rows = case.compute(&[], &horizon, &GUARDRAIL_KPIS).unwrap_or_default();
    let kpi = |k: Kpi| rows.first().and_then(|r| r.kpis.get(&k)).and_then(|v| v.value);
    [
        kpi(GUARDRAIL_KPIS[0]),
        kpi(GUARDRAIL_KPIS[1]),
        kpi(GUARDRAIL_KPIS[2]),
        overloaded_shift_days(sim, history_days),
    ]
}

/// How much worse a guardrail must get to count, beyond chance: a share of its status quo value,
/// 5% (10% for the reopen rate), and at least half a point of shift-days for the overload share
/// (often 0 as it is). The reopen rate is measured on the tickets solved in the horizon, so a plan
/// that solves a backlog sooner lets more of them reopen before the end: a rise of a few tenths of
/// a point that is the measurement's, not a worse service.
const MATERIAL_SHARE: [f64; 4] = [0.05, 0.05, 0.10, 0.05];
const MATERIAL_FLOOR: [f64; 4] = [0.0, 0.0, 0.0, 0.005];

/// The least worsening of guardrail `g` (an index into [`GUARDRAILS`]) that counts, with status
/// quo value `status_quo`.
fn material(g: usize, status_quo: f64) -> f64 {
    (MATERIAL_SHARE[g] * status_quo.abs()).max(MATERIAL_FLOOR[g])
}

/// Whether guardrail `g`, `status_quo` as it is, is made worse by the paired difference `d`: by
/// more than its [`material`] margin and beyond its 95% interval (any worsening, with a single
/// replication).
pub fn worse(g: usize, status_quo: Option<&Estimate>, d: Option<&Estimate>) -> bool {
    let margin = status_quo.map_or(0.0, |s| material(g, s.mean));
    d.is_some_and(|d| d.mean > margin && d.ci95.is_none_or(|(lo, _)| lo > 0.0))
}

/// The guardrails that paired runs, (status quo, plan) per replication, make worse by more than
/// their [`material`] margin and by more than `standard_errors` standard errors of their mean
/// difference.
pub fn broken_guardrails(runs: &[([Option<f64>; 4], [Option<f64>; 4])], standard_errors: f64) -> Vec<&'static str> {
    (0..GUARDRAILS.len())
        .filter(|&g| {
            let pairs: Vec<(f64, f64)> = runs.iter().filter_map(|(a, b)| Some((a[g]?, b[g]?))).collect();
            let diff: Vec<f64> = pairs.iter().map(|(a, b)| b - a).collect();
            let base = pairs.iter().map(|p| p.0).sum::<f64>() / pairs.len().max(1) as f64;
            estimate(&diff).is_some_and(|d| {
                let se = d.ci95.map_or(0.0, |(_, hi)| (hi - d.mean) / t975(d.n - 1));
                d.mean > (standard_errors * se).max(material(g, base))
            })
        })
        .map(|g| GUARDRAILS[g])
        .collect()
}

/// How much paired runs, (status quo, plan) per replication, ease the guardrails: the mean over
/// guardrails of the fall of their mean, as a share of the status quo's (of at least one point for
/// the overloaded shift-days, often 0). Positive when the plan eases them; what ranks the changes
/// that may make a cut safe.
pub fn guardrail_relief(runs: &[([Option<f64>; 4], [Option<f64>; 4])]) -> f64 {
    let eased = (0..GUARDRAILS.len()).map(|g| {
        let pairs: Vec<(f64, f64)> = runs.iter().filter_map(|(a, b)| Some((a[g]?, b[g]?))).collect();
        let n = pairs.len().max(1) as f64;
        let (sq, plan) = pairs.iter().fold((0.0, 0.0), |(x, y), (a, b)| (x + a / n, y + b / n));
        (sq - plan) / sq.abs().max(2.0 * MATERIAL_FLOOR[g]).max(f64::MIN_POSITIVE)
    });
    eased.sum::<f64>() / GUARDRAILS.len() as f64
}

/// Occupancy above which a shift-day counts as overloaded.
pub const OVERLOADED_OCCUPANCY: f64 = 0.9;

/// Share of run `sim`'s shift-days after its first `history_days` days whose occupancy is above
/// [`OVERLOADED_OCCUPANCY`].
pub fn overloaded_shift_days(sim: &SimOutput, history_days: u32) -> Option<f64> {
    let (mut over, mut all) = (0u32, 0u32);
    for day in sim
        .shift_load
        .iter()
        .flatten()
        .flat_map(|days| days.iter().skip(history_days as usize))
    {
        if let Some(occ) = day.occupancy() {
            all += 1;
            over += u32::from(occ > OVERLOADED_OCCUPANCY);
        }
    }
    (all > 0).then(|| f64::from(over) / f64::from(all))
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

impl Estimate {
    /// The estimate of a quantity that cannot leave `lo..=hi`: its interval cut to that range. (A t
    /// interval of a median wait over few replications can otherwise reach below zero minutes.)
    pub fn within(self, (lo, hi): (f64, f64)) -> Estimate {
        Estimate {
            ci95: self.ci95.map(|(a, b)| (a.max(lo), b.min(hi))),
            ..self
        }
    }
}

/// Whole dollars with the sign before the symbol: `-$16269`; never `-$0`.
pub fn usd(x: f64) -> String {
    let whole = x.round();
    if whole < 0.0 {
        format!("-${:.0}", -whole)
    } else {
        format!("${:.0}", whole.abs())
    }
}

/// Whether `x` dollars is a saving as [`usd`] shows it (a cost that rounds to $0 is not).
pub fn saves(x: f64) -> bool {
    x.round() < 0.0
}

/// An estimate and its 95% interval in dollars: `-$19637 [-$56721, $17447]`.
pub fn usd_ci(e: &Estimate) -> String {
    match e.ci95 {
        Some((lo, hi)) => format!("{} [{}, {}]", usd(e.mean), usd(lo), usd(hi)),
        None => usd(e.mean),
    }
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
    let lost_mrr_usd = lost_mrr_usd(sim, history_days);
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
    let weekly = case
        .compute(&[crate::kpi::Cut::Week], &horizon, &WEEKLY_KPIS)
        .unwrap_or_default()
        .into_iter()
        .map(|r| {
            let label = r.group.first().map(|g| g.1.clone()).unwrap_or_default();
            (label, WEEKLY_KPIS.map(|k| r.kpis.get(&k).and_then(|v| v.value)))
        })
        .collect();
    Outcome {
        weekly,
        kpis,
        lost_mrr_usd,
        metrics,
        deflected: deflected(sim, cfg_h, changes),
        overloaded_shift_days: overloaded_shift_days(sim, history_days),
        in_cuts,
    }
}

/// The monthly revenue run `sim` loses to churn from day `from_day` of its history on, USD: the
/// customers who churned from that day's midnight, plus, for each customer still one at the end,
/// its revenue times the chance that its support experiences make it churn later
/// ([`crate::record::CustomerRecord::later_churn`]). Without that second term a plan that worsens
/// service late in the horizon would look cheaper than it is: its damage lands after the end.
pub fn lost_mrr_usd(sim: &SimOutput, from_day: u32) -> f64 {
    let from = i64::from(from_day) * DAY_SECS as i64;
    sim.customers
        .iter()
        .map(|c| match c.churned_secs {
            Some(s) if s >= from => c.mrr_usd,
            Some(_) => 0.0,
            None => c.later_churn * c.mrr_usd,
        })
        .sum()
}

/// Contacts each of a proposal's `changes` changes deflected in run `sim` of `cfg_h`.
pub fn deflected(sim: &SimOutput, cfg_h: &Config, changes: usize) -> Vec<u64> {
    let mut deflected = vec![0; changes];
    for (c, n) in cfg_h.changes.iter().zip(&sim.deflections) {
        if let Origin::Intervention(i) = c.origin
            && i < changes
        {
            deflected[i] += n;
        }
    }
    deflected
}

/// What `proposal`'s changes cost on scenario `cfg`, with `deflected` contacts per change.
pub fn plan_cost_usd(proposal: &Proposal, cfg: &Config, deflected: &[f64]) -> f64 {
    proposal
        .changes
        .iter()
        .zip(deflected)
        .map(|(c, &d)| crate::interventions::cost::cost(c, cfg, d).total_usd())
        .sum()
}

/// The plan's value in one replication, USD: the revenue it keeps through lower churn, counted at
/// the case's `customer_value_months` (the monthly revenue the status quo loses, in the horizon and
/// later from the horizon's experiences, and the plan keeps, times those months; see
/// [`lost_mrr_usd`]), minus
/// what its changes cost with that replication's deflections. The one objective of score and solve.
pub fn value_usd(proposal: &Proposal, cfg: &Config, status_quo_lost_mrr: f64, plan: (f64, &[u64])) -> f64 {
    let deflected: Vec<f64> = plan.1.iter().map(|&d| d as f64).collect();
    cfg.customer_value_months * (status_quo_lost_mrr - plan.0) - plan_cost_usd(proposal, cfg, &deflected)
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
            let p = paired(runs, |o| of(o)[i]);
            Effect {
                kpi,
                status_quo: p.status_quo.map(|e| e.within(kpi.bounds())),
                proposal: p.proposal.map(|e| e.within(kpi.bounds())),
                difference: p.difference,
            }
        })
        .collect()
}

/// One success metric over the replications.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricOutcome {
    /// The proposal's value over the week to its `by_day`, per replication with a value.
    pub values: Vec<f64>,
    pub simulated: Option<Estimate>,
    /// Share of replications that reach the target.
    pub reached: f64,
}

/// A quantity of both runs over the replications.
#[derive(Debug, Clone, PartialEq)]
pub struct Paired {
    pub status_quo: Option<Estimate>,
    pub proposal: Option<Estimate>,
    pub difference: Option<Estimate>,
}

/// `of` of both runs over `runs`, paired.
fn paired(runs: &[(Outcome, Outcome)], of: impl Fn(&Outcome) -> Option<f64>) -> Paired {
    let sq: Vec<f64> = runs.iter().filter_map(|(a, _)| of(a)).collect();
    let with: Vec<f64> = runs.iter().filter_map(|(_, b)| of(b)).collect();
    let diff: Vec<f64> = runs.iter().filter_map(|(a, b)| Some(of(b)? - of(a)?)).collect();
    Paired {
        status_quo: estimate(&sq),
        proposal: estimate(&with),
        difference: estimate(&diff),
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
    /// Revenue kept through lower churn: (status quo's lost MRR − the proposal's) × the case's
    /// `customer_value_months`, per replication ([`lost_mrr_usd`]).
    pub revenue_kept_usd: Option<Estimate>,
    /// Months of revenue a kept customer counts for (the case's `customer_value_months`).
    pub value_months: f64,
    /// Revenue kept minus the plan's cost, per replication.
    pub value_usd: Option<Estimate>,
    /// Value per replication, USD.
    pub values_usd: Vec<f64>,
    /// Per success metric: the proposal's value on its day, and the share of replications that reach
    /// the target (beyond it in the direction from the baseline, or upwards without one).
    pub metrics: Vec<MetricOutcome>,
    /// The share of overloaded shift-days ([`OVERLOADED_OCCUPANCY`]): status quo, proposal and
    /// difference.
    pub overloaded: Paired,
    /// Per hidden issue of the case: its kind, its cut, and each KPI's effect in that cut.
    pub issues: Vec<(String, crate::kpi::Labels, Vec<Effect>)>,
    /// Per week of the horizon, [`WEEKLY_KPIS`] across the replications.
    pub weekly: Vec<WeekBands>,
}

/// One week of the horizon: per KPI of [`WEEKLY_KPIS`], the 10th, 50th and 90th percentiles across
/// the replications of the status quo and of the proposal (None where no run has a value).
#[derive(Debug, Clone, PartialEq)]
pub struct WeekBands {
    pub week: String,
    pub status_quo: [Option<[f64; 3]>; 2],
    pub proposal: [Option<[f64; 3]>; 2],
}

/// The weeks of the horizon across `runs`, each KPI's spread over the replications.
fn week_bands(runs: &[(Outcome, Outcome)]) -> Vec<WeekBands> {
    let mut weeks: Vec<String> = runs
        .iter()
        .flat_map(|(a, _)| a.weekly.iter().map(|w| w.0.clone()))
        .collect();
    weeks.sort();
    weeks.dedup();
    let spread = |week: &str, k: usize, pick: &dyn Fn(&(Outcome, Outcome)) -> &Outcome| -> Option<[f64; 3]> {
        let mut xs: Vec<f64> = runs
            .iter()
            .filter_map(|r| pick(r).weekly.iter().find(|w| w.0 == week).and_then(|w| w.1[k]))
            .collect();
        let mut q = |p: f64| crate::kpi::percentile(&mut xs, p);
        Some([q(0.1)?, q(0.5)?, q(0.9)?])
    };
    weeks
        .into_iter()
        .map(|w| WeekBands {
            status_quo: [0, 1].map(|k| spread(&w, k, &|r| &r.0)),
            proposal: [0, 1].map(|k| spread(&w, k, &|r| &r.1)),
            week: w,
        })
        .collect()
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
        .map(|(a, b)| cfg.customer_value_months * (a.lost_mrr_usd - b.lost_mrr_usd))
        .collect();
    let value: Vec<f64> = runs
        .iter()
        .map(|(a, b)| value_usd(proposal, cfg, a.lost_mrr_usd, (b.lost_mrr_usd, &b.deflected)))
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
            MetricOutcome {
                simulated: estimate(&values).map(|e| e.within(m.kpi.bounds())),
                reached: reached as f64 / n,
                values,
            }
        })
        .collect();
    let issues = issue_cuts(cfg)
        .into_iter()
        .enumerate()
        .map(|(j, (kind, filters))| (kind, filters, effects_of(runs, |o| &o.in_cuts[j])))
        .collect();
    Score {
        weekly: week_bands(runs),
        issues,
        replications: runs.len() as u32,
        horizon_days: cfg.horizon_days,
        effects: effects(runs),
        costs,
        budget_usd: cfg.budget_usd,
        revenue_kept_usd: estimate(&kept),
        value_months: cfg.customer_value_months,
        value_usd: estimate(&value),
        values_usd: value,
        metrics,
        overloaded: paired(runs, |o| o.overloaded_shift_days),
    }
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

    #[test]
    fn dollars_put_the_sign_before_the_symbol_and_never_read_minus_zero() {
        assert_eq!(usd(-16_269.4), "-$16269");
        assert_eq!(usd(84_134.0), "$84134");
        assert_eq!(usd(-0.3), "$0");
        assert_eq!(usd(-0.0), "$0");
        // A cost that shows as $0 is not a saving.
        assert!(saves(-0.6) && !saves(-0.3) && !saves(0.0));
    }

    #[test]
    fn an_interval_never_leaves_the_values_its_kpi_can_take() {
        // Median first replies of 2, 3 and 1,500 minutes: the t interval reaches below zero.
        let waits = estimate(&[2.0, 3.0, 1500.0]).expect("three");
        assert!(waits.ci95.expect("ci").0 < 0.0);
        let cut = waits.within(Kpi::FirstReplyP50.bounds());
        assert_eq!(cut.ci95.expect("ci").0, 0.0);
        assert_eq!(
            (cut.mean, cut.ci95.expect("ci").1),
            (waits.mean, waits.ci95.expect("ci").1)
        );
        let share = estimate(&[0.99, 1.0, 0.5]).expect("three").within(Kpi::Csat.bounds());
        assert_eq!(share.ci95.expect("ci").1, 1.0);
        let nps = estimate(&[-90.0, -100.0, 60.0])
            .expect("three")
            .within(Kpi::Nps.bounds());
        assert_eq!(nps.ci95.expect("ci").0, -100.0);
    }

    #[test]
    fn a_guardrail_breaks_only_when_materially_and_surely_worse() {
        // Reopen rate 4.3% as it is; guardrail 2 is the reopen rate.
        let runs = |rises: [f64; 4]| -> Vec<([Option<f64>; 4], [Option<f64>; 4])> {
            (0..4)
                .map(|i| {
                    let base = 0.043 + 0.001 * i as f64;
                    let mut a = [Some(100.0), Some(0.05), Some(base), Some(0.0)];
                    let mut b = a;
                    b[2] = Some(base + rises[i]);
                    a[3] = Some(0.0);
                    b[3] = Some(0.0);
                    (a, b)
                })
                .collect()
        };
        // A tenth of a point, the same in every run: sure, but under 10% of 4.4%.
        assert!(broken_guardrails(&runs([0.001; 4]), 1.0).is_empty());
        // A full point in every run: broken.
        assert_eq!(broken_guardrails(&runs([0.01; 4]), 1.0), vec!["reopen_rate"]);
        // A point on average but within the noise of four runs: not sure enough.
        assert!(broken_guardrails(&runs([0.05, -0.03, 0.04, -0.02]), 1.0).is_empty());
        // The same rules for a score's estimates; the overload share has a floor of half a point.
        let sq = estimate(&[0.0, 0.0, 0.0]).expect("sq");
        let small = estimate(&[0.004, 0.004, 0.0041]).expect("small");
        let large = estimate(&[0.02, 0.021, 0.02]).expect("large");
        assert!(!worse(3, Some(&sq), Some(&small)));
        assert!(worse(3, Some(&sq), Some(&large)));
        let reopen = estimate(&[0.043, 0.044, 0.043]).expect("reopen");
        assert!(!worse(
            2,
            Some(&reopen),
            Some(&estimate(&[0.001, 0.0011, 0.001]).expect("d"))
        ));
        assert!(worse(
            2,
            Some(&reopen),
            Some(&estimate(&[0.01, 0.011, 0.01]).expect("d"))
        ));
    }

    #[test]
    fn relief_is_the_mean_share_by_which_the_guardrails_fall() {
        let sq = [Some(100.0), Some(0.10), Some(0.04), Some(0.0)];
        // p90 halved, abandonment a tenth lower, reopens as they were, one point more overloaded
        // shift-days (against a floor of one point, the status quo being 0).
        let plan = [Some(50.0), Some(0.09), Some(0.04), Some(0.01)];
        let r = guardrail_relief(&[(sq, plan), (sq, plan)]);
        assert!((r - (0.5 + 0.1 + 0.0 - 1.0) / 4.0).abs() < 1e-12, "{r}");
        assert_eq!(guardrail_relief(&[(sq, sq)]), 0.0);
    }
}
