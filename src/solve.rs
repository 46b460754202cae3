//! The reference plan: a search of the catalog for a strong proposal under a budget, the yardstick
//! the outcome part of a grade is measured against.
//!
//! Every candidate change is a `[[change]]` block of a proposal file, parsed and planned exactly as
//! a candidate's would be, so the reference is a proposal anyone can read, edit and score. The
//! search runs on its own futures (replications far from the ones `score` uses, so the reference is
//! not fitted to the futures it is judged on), with few replications: each change alone first; then
//! each of the best cuts paired with each of the best changes that may relieve it (a seat funds a
//! knowledge base: neither pays alone where customers are worth little); then greedily the best of
//! these together while the value grows and the budget holds; then a local search over agent
//! counts and dropping changes; last, the plan and the best single changes and pairs are weighed
//! on more futures (with the plan rebuilt greedily on them if it breaks a guardrail there, and the
//! rest of the changes and pairs if nothing else holds), and each change of the one kept is
//! dropped if the plan is worth as much without it. The plan found is confirmed on the scoring
//! futures. Only the plan's value and guardrails matter while searching, so runs are not turned
//! into case tables.

use rayon::prelude::*;

use crate::config::Config;
use crate::interventions::proposal::{self, Proposal};
use crate::interventions::{window_days, window_hours};
use crate::kpi::Case;
use crate::score::{self, usd};
use crate::whatif;

/// Replications the search compares plans on.
pub const SEARCH_REPLICATIONS: u32 = 4;
/// Where the search's futures start among a case's replications (`score` uses 0..200).
const SEARCH_FUTURES: u32 = 1_000_000;
/// How far the search's plans may make a guardrail worse, in standard errors of the paired mean
/// difference: on four futures a 95% interval would let through a cut that costs service.
const GUARDRAIL_STANDARD_ERRORS: f64 = 1.0;
/// Changes of the best single ones the greedy step tries to combine.
const GREEDY_WIDTH: usize = 14;
/// Cuts, and changes that may relieve them (by how much they ease the guardrails, and by value),
/// the search pairs ([`relieved_cuts`]).
const PAIRED_CUTS: usize = 6;
const RELIEFS: usize = 4;
/// Futures the last step checks the plan and each of its changes on (the search's four and more).
const CHECK_REPLICATIONS: u32 = 12;
/// The best single changes and pairs the last step weighs against the plan the search built: a
/// plan that looked best on four futures may break a guardrail on twelve.
const FINALISTS: usize = 5;

/// A plan the search found, confirmed on the scoring futures.
#[derive(Debug, Clone)]
pub struct Solved {
    /// The plan as a proposal file, with its value in comments.
    pub text: String,
    pub proposal: Proposal,
    /// Its value in each confirming replication (replications 0..n of the case), USD.
    pub values_usd: Vec<f64>,
    /// Its cost with the mean deflections of the confirming runs, USD.
    pub cost_usd: f64,
    /// Plans the search simulated.
    pub evaluated: usize,
}

/// A run's lost monthly revenue ([`score::lost_mrr_usd`]) and its guardrails.
type Run = (f64, [Option<f64>; 4]);

/// Some replications of a case, with the status quo's run in each.
pub struct Futures {
    h: Config,
    ids: Vec<u32>,
    status_quo: Vec<Run>,
}

/// The case a search runs on.
pub struct Problem<'a> {
    /// The case's scenario with its hidden issues, over the history.
    pub cfg: &'a Config,
    /// The case's days, for reading proposals.
    pub case: &'a Case,
    pub case_seed: u64,
    pub budget_usd: f64,
}

/// A plan's value in each of some futures, its cost with their mean deflections, and the
/// guardrails it makes worse there by more than [`GUARDRAIL_STANDARD_ERRORS`].
#[derive(Debug, Clone, PartialEq)]
pub struct Trial {
    pub values_usd: Vec<f64>,
    pub cost_usd: f64,
    pub broken: Vec<&'static str>,
    /// How much it eases the guardrails on average ([`score::guardrail_relief`]).
    pub relief: f64,
}

impl Trial {
    /// The mean value over the futures, USD.
    pub fn value_usd(&self) -> f64 {
        self.values_usd.iter().sum::<f64>() / self.values_usd.len().max(1) as f64
    }
}

/// Every change the search considers on `cfg`, as `[[change]]` blocks: agents added to or taken
/// off each team's shifts (taken off on all the shift's days, and on its quieter days), each
/// channel's longer hours, and each kind for each category, team, channel or segment it can name.
pub fn candidates(cfg: &Config) -> Vec<String> {
    let block = |body: String| format!("[[change]]\n{body}\n");
    let mut out = Vec::new();
    for t in &cfg.teams {
        for sh in &t.shifts {
            out.push(block(format!(
                "kind = \"add_agents\"\nteam = \"{}\"\ndays = \"{}\"\nhours = \"{}\"\nagents = 2",
                t.name,
                window_days(&sh.window.days),
                window_hours(sh.window.start_minute, sh.window.end_minute)
            )));
        }
        for sh in t.shifts.iter().filter(|sh| sh.agents > 1) {
            for days in [
                Some(sh.window.days),
                quieter_days(&sh.window.days, &cfg.weekday_weights),
            ]
            .into_iter()
            .flatten()
            {
                out.push(block(format!(
                    "kind = \"remove_agents\"\nteam = \"{}\"\ndays = \"{}\"\nhours = \"{}\"\nagents = 1",
                    t.name,
                    window_days(&days),
                    window_hours(sh.window.start_minute, sh.window.end_minute)
                )));
            }
        }
        out.push(block(format!("kind = \"qa_coaching\"\nteam = \"{}\"", t.name)));
        for c in &cfg.categories {
            out.push(block(format!(
                "kind = \"training\"\nteam = \"{}\"\ncategory = \"{}\"",
                t.name, c.name
            )));
        }
    }
    for (ci, ch) in cfg.channels.iter().enumerate().filter(|(_, c)| c.live) {
        out.push(block(format!("kind = \"chatbot\"\nchannel = \"{}\"", ch.name)));
        if let (Some(team), Some((days, hours))) = (
            cfg.teams.iter().find(|t| t.channels.contains(&ci)),
            longer_hours(&ch.open),
        ) {
            out.push(block(format!(
                "kind = \"extend_hours\"\nchannel = \"{}\"\nteam = \"{}\"\ndays = \"{days}\"\nhours = \"{hours}\"\nagents = 2",
                ch.name, team.name
            )));
        }
    }
    for c in &cfg.categories {
        for kind in ["knowledge_base", "product_fix", "proactive_communication"] {
            out.push(block(format!("kind = \"{kind}\"\ncategory = \"{}\"", c.name)));
        }
        out.push(block(format!(
            "kind = \"routing\"\nrule = \"skills_tier2\"\ncategory = \"{}\"",
            c.name
        )));
    }
    out.push(block("kind = \"proactive_communication\"".into()));
    for s in &cfg.segments {
        out.push(block(format!(
            "kind = \"routing\"\nrule = \"segment_priority\"\nsegment = \"{}\"",
            s.name
        )));
    }
    out
}

/// A shift's days without its two busiest (by the weekday weights of demand), for a shift of
/// three days or more: where a cut on every day would overload the team, one on the quieter days
/// may not.
fn quieter_days(days: &[bool; 7], weekday_weights: &[f64; 7]) -> Option<[bool; 7]> {
    let mut worked: Vec<usize> = (0..7).filter(|&d| days[d]).collect();
    if worked.len() < 3 {
        return None;
    }
    // Busiest first; an earlier day first on ties.
    worked.sort_by(|&a, &b| weekday_weights[b].total_cmp(&weekday_weights[a]).then(a.cmp(&b)));
    let mut quieter = *days;
    for &d in &worked[..2] {
        quieter[d] = false;
    }
    Some(quieter)
}

/// Longer opening hours for a live channel open in `open`: its hours on the days it is closed, or
/// two more hours after it closes (before midnight) on the days it is open.
fn longer_hours(open: &crate::config::WeeklyWindow) -> Option<(String, String)> {
    let closed: [bool; 7] = std::array::from_fn(|d| !open.days[d]);
    if closed.iter().any(|&c| c) && open.end_minute > open.start_minute {
        return Some((window_days(&closed), window_hours(open.start_minute, open.end_minute)));
    }
    (open.end_minute + 120 <= 1440 && open.end_minute > open.start_minute).then(|| {
        (
            window_days(&open.days),
            window_hours(open.end_minute, open.end_minute + 120),
        )
    })
}

impl Problem<'_> {
    /// The proposal of `blocks`, and the horizon run with it, if the case can carry it out.
    fn planned(&self, blocks: &[String], h: &Config) -> Option<(Proposal, Config)> {
        let p = proposal::parse(blocks.concat().as_bytes(), self.cfg, self.case).ok()?;
        let with = whatif::plan(&p, h, self.cfg.history_days, self.case_seed).ok()?;
        Some((p, with))
    }

    /// The value of `blocks` in each of `futures` (against the status quo's run `status_quo` in
    /// each), its cost and the guardrails it breaks; None for a plan the case cannot carry out.
    fn trial(&self, blocks: &[String], h: &Config, futures: &[u32], status_quo: &[Run]) -> Option<Trial> {
        let (p, with) = self.planned(blocks, h)?;
        let runs: Vec<(Run, Vec<u64>)> = futures
            .par_iter()
            .map(|&r| {
                let sim = crate::sim::simulate(&with, whatif::replication_seed(self.case_seed, r), &mut |_| {});
                (self.run(&sim, &with), score::deflected(&sim, &with, p.changes.len()))
            })
            .collect();
        let n = runs.len().max(1) as f64;
        let values_usd = runs
            .iter()
            .zip(status_quo)
            .map(|(((lost, _), d), sq)| score::value_usd(&p, self.cfg, sq.0, (*lost, d)))
            .collect();
        let mean_deflected: Vec<f64> = (0..p.changes.len())
            .map(|i| runs.iter().map(|(_, d)| d[i] as f64).sum::<f64>() / n)
            .collect();
        let guards: Vec<_> = status_quo
            .iter()
            .zip(&runs)
            .map(|(sq, ((_, g), _))| (sq.1, *g))
            .collect();
        Some(Trial {
            values_usd,
            cost_usd: score::plan_cost_usd(&p, self.cfg, &mean_deflected),
            broken: score::broken_guardrails(&guards, GUARDRAIL_STANDARD_ERRORS),
            relief: score::guardrail_relief(&guards),
        })
    }

    /// What the search needs of a run of `cfg_h`: its lost revenue and its guardrails.
    fn run(&self, sim: &crate::record::SimOutput, cfg_h: &Config) -> Run {
        let days = self.cfg.history_days;
        (score::lost_mrr_usd(sim, days), score::guardrails_of(sim, cfg_h, days))
    }

    /// Replications `from..to` of the case with the status quo run on each, for comparing plans.
    pub fn futures(&self, from: u32, to: u32) -> Futures {
        let h = whatif::horizon(self.cfg);
        let ids: Vec<u32> = (from..to).collect();
        let status_quo = self.status_quo(&h, &ids);
        Futures { h, ids, status_quo }
    }

    /// The value of the `[[change]]` blocks `blocks` in each of `futures`, their cost and the
    /// guardrails they break; None for a plan the case cannot carry out.
    pub fn evaluate(&self, blocks: &[String], futures: &Futures) -> Option<Trial> {
        self.trial(blocks, &futures.h, &futures.ids, &futures.status_quo)
    }

    /// The value of the proposal file `text` in replications `from..to` of the case, USD (zero for
    /// a plan the case cannot carry out).
    pub fn values_of(&self, text: &str, from: u32, to: u32) -> Vec<f64> {
        let h = whatif::horizon(self.cfg);
        let futures: Vec<u32> = (from..to).collect();
        let sq = self.status_quo(&h, &futures);
        let blocks = vec![text.to_string()];
        self.trial(&blocks, &h, &futures, &sq)
            .map_or(vec![0.0; futures.len()], |t| t.values_usd)
    }

    /// The status quo's run in each of `futures`.
    fn status_quo(&self, h: &Config, futures: &[u32]) -> Vec<Run> {
        futures
            .par_iter()
            .map(|&r| {
                let sim = crate::sim::simulate(h, whatif::replication_seed(self.case_seed, r), &mut |_| {});
                self.run(&sim, h)
            })
            .collect()
    }

    /// What each hidden issue of the case did, USD: the revenue (at the case's
    /// `customer_value_months`) the case's history lost from the issue's start on, and is expected to lose later from its experiences
    /// ([`score::lost_mrr_usd`]), minus what the same history without the issue (the same draws)
    /// lost, counted as a plan's value counts it. The weights of the root-cause part of a grade.
    pub fn issue_harm_usd(&self) -> Vec<f64> {
        let issues = &self.cfg.active_issues;
        let lost_from =
            |sim: &crate::record::SimOutput, day: u32| self.cfg.customer_value_months * score::lost_mrr_usd(sim, day);
        let runs: Vec<crate::record::SimOutput> = (0..=issues.len())
            .into_par_iter()
            .map(|i| {
                let mut cfg = self.cfg.clone();
                if i < issues.len() {
                    let mut others = issues.clone();
                    others.remove(i);
                    cfg = self.cfg.with_issues(others);
                }
                crate::sim::simulate(&cfg, self.case_seed, &mut |_| {})
            })
            .collect();
        let with = &runs[issues.len()];
        issues
            .iter()
            .zip(&runs)
            .map(|(issue, without)| lost_from(with, issue.start_day) - lost_from(without, issue.start_day))
            .collect()
    }

    /// Searches for the best plan within the budget and confirms it on replications
    /// 0..`confirm_replications` of the case. `progress` gets a short line per step.
    pub fn solve(&self, confirm_replications: u32, progress: &(dyn Fn(&str) + Sync)) -> Solved {
        let h = whatif::horizon(self.cfg);
        let mut search = Search::new(self, &h, SEARCH_FUTURES..SEARCH_FUTURES + SEARCH_REPLICATIONS);

        let pool = candidates(self.cfg);
        progress(&format!("trying {} changes one by one", pool.len()));
        let singles = search.try_all(&pool.iter().map(|b| vec![b.clone()]).collect::<Vec<_>>());
        progress("pairing cuts with changes that relieve them");
        let pairs = relieved_cuts(&pool, &singles, |t| search.fits(t));
        let paired = search.try_all(&pairs);

        progress("combining the best");
        let mut items: Vec<(Vec<String>, Trial)> = Vec::new();
        for (plan, trial) in pool
            .iter()
            .map(|b| vec![b.clone()])
            .zip(singles)
            .chain(pairs.into_iter().zip(paired))
        {
            if let Some(t) = trial.filter(|t| search.fits(t) && t.value_usd() > 0.0) {
                items.push((plan, t));
            }
        }
        // Stable: equal values keep the pool's order.
        items.sort_by(|a, b| b.1.value_usd().total_cmp(&a.1.value_usd()));
        let (plan, best) = search.greedy(&items);

        progress("refining");
        let (plan, _) = search.local(plan, best);

        progress("checking the plan and each change on more futures");
        let mut check = Search::new(self, &h, SEARCH_FUTURES..SEARCH_FUTURES + CHECK_REPLICATIONS);
        check.evaluated = search.evaluated;
        // A plan that breaks a guardrail on more futures is rebuilt from the same items, greedily on
        // those futures: the search's few futures can miss what one change of several does.
        let fits = check.try_one(&plan).is_some_and(|t| check.fits(&t));
        let mut finalists = vec![plan];
        if !fits {
            let (rebuilt, _) = check.greedy(&items);
            if !rebuilt.is_empty() && !finalists.contains(&rebuilt) {
                finalists.push(rebuilt);
            }
        }
        for (item, _) in items.iter().take(FINALISTS) {
            if !finalists.contains(item) {
                finalists.push(item.clone());
            }
        }
        let mut plan = check.choose(&finalists);
        if plan.is_empty() {
            // Every finalist broke a guardrail on more futures, often all the same cut: walk down
            // the rest of the items for one that holds.
            let rest: Vec<Vec<String>> = items.iter().skip(FINALISTS).map(|(p, _)| p.clone()).collect();
            plan = check.choose(&rest);
        }
        let plan = check.prune(plan);

        progress("confirming");
        self.confirm(plan, &h, confirm_replications, check.evaluated)
    }

    /// `plan`'s value on replications 0..`n` of the case, paired with the status quo.
    fn confirm(&self, plan: Vec<String>, h: &Config, n: u32, evaluated: usize) -> Solved {
        let futures: Vec<u32> = (0..n).collect();
        let sq = self.status_quo(h, &futures);
        let (proposal, _) = self
            .planned(&plan, h)
            .expect("the search keeps plans the case carries out");
        let t = self
            .trial(&plan, h, &futures, &sq)
            .expect("the search keeps plans the case carries out");
        let text = self.file_text(&plan, &t.values_usd, t.cost_usd, evaluated);
        Solved {
            text,
            proposal,
            values_usd: t.values_usd,
            cost_usd: t.cost_usd,
            evaluated,
        }
    }

    fn file_text(&self, plan: &[String], values: &[f64], cost_usd: f64, evaluated: usize) -> String {
        let v = score::estimate(values);
        let value = match v {
            Some(score::Estimate {
                mean,
                ci95: Some((lo, hi)),
                ..
            }) => format!("{} [95% CI {} to {}]", usd(mean), usd(lo), usd(hi)),
            Some(e) => usd(e.mean),
            None => "-".into(),
        };
        let mut s = format!(
            "# The reference plan for {company}, found by `supportsim solve` ({evaluated} plans simulated).\n\
             # Value over {n} replications of the {horizon}-day horizon: {value}\n\
             # (revenue kept through lower churn, counted at {months} months of revenue a customer, minus the plan's cost).\n\
             # Cost: {cost} of the {budget} budget.\n\n\
             [candidate]\nname = \"supportsim solve\"\n",
            company = self.cfg.company,
            months = self.cfg.customer_value_months,
            n = values.len(),
            horizon = self.cfg.horizon_days,
            cost = usd(cost_usd),
            budget = usd(self.budget_usd),
        );
        for b in plan {
            s.push('\n');
            s.push_str(b);
        }
        s
    }
}

/// The search's futures, with the status quo's run in each, and a count of the plans simulated.
struct Search<'p, 'a> {
    problem: &'p Problem<'a>,
    h: &'p Config,
    futures: Vec<u32>,
    status_quo: Vec<Run>,
    evaluated: usize,
}

impl<'p, 'a> Search<'p, 'a> {
    fn new(problem: &'p Problem<'a>, h: &'p Config, futures: std::ops::Range<u32>) -> Self {
        let futures: Vec<u32> = futures.collect();
        let status_quo = problem.status_quo(h, &futures);
        Self {
            problem,
            h,
            futures,
            status_quo,
            evaluated: 0,
        }
    }

    /// The brief asks for service improvements: the reference spends within the budget and makes
    /// no guardrail worse by more than a standard error (a cut stays only where service holds).
    fn fits(&self, t: &Trial) -> bool {
        t.cost_usd <= self.problem.budget_usd && t.broken.is_empty()
    }

    fn try_one(&mut self, plan: &[String]) -> Option<Trial> {
        self.evaluated += 1;
        self.problem.trial(plan, self.h, &self.futures, &self.status_quo)
    }

    fn try_all(&mut self, plans: &[Vec<String>]) -> Vec<Option<Trial>> {
        self.evaluated += plans.len();
        let (p, h, f, sq) = (self.problem, self.h, &self.futures, &self.status_quo);
        plans.par_iter().map(|plan| p.trial(plan, h, f, sq)).collect()
    }

    /// The best of `items` (each one change, or a cut with its relief), best first, added one
    /// after another while the value grows and the plan fits; an item sharing a change with the
    /// plan is skipped.
    fn greedy(&mut self, items: &[(Vec<String>, Trial)]) -> (Vec<String>, Trial) {
        let mut plan: Vec<String> = Vec::new();
        let mut best = Trial {
            values_usd: vec![0.0],
            cost_usd: 0.0,
            broken: Vec::new(),
            relief: 0.0,
        };
        for (item, _) in items.iter().take(GREEDY_WIDTH) {
            if item.iter().any(|b| plan.contains(b)) {
                continue;
            }
            let mut tried = plan.clone();
            tried.extend(item.iter().cloned());
            if let Some(t) = self.try_one(&tried)
                && self.fits(&t)
                && t.value_usd() > best.value_usd()
            {
                (plan, best) = (tried, t);
            }
        }
        (plan, best)
    }

    /// Local moves from `plan` while one improves it: one agent more or fewer on a staffing
    /// change, or a change dropped.
    fn local(&mut self, mut plan: Vec<String>, mut best: Trial) -> (Vec<String>, Trial) {
        loop {
            let moves = neighbours(&plan);
            let trials = self.try_all(&moves);
            let better = trials
                .into_iter()
                .enumerate()
                .filter_map(|(k, t)| {
                    t.filter(|t| self.fits(t) && t.value_usd() > best.value_usd())
                        .map(|t| (k, t))
                })
                .max_by(|a, b| a.1.value_usd().total_cmp(&b.1.value_usd()).then(b.0.cmp(&a.0)));
            match better {
                Some((k, t)) => (plan, best) = (moves[k].clone(), t),
                None => return (plan, best),
            }
        }
    }

    /// The plan of `plans` worth most on these futures among those that fit and are worth more than
    /// nothing (the first on ties), or the empty plan.
    fn choose(&mut self, plans: &[Vec<String>]) -> Vec<String> {
        let trials = self.try_all(plans);
        trials
            .into_iter()
            .enumerate()
            .filter_map(|(k, t)| {
                t.filter(|t| self.fits(t) && t.value_usd() > 0.0)
                    .map(|t| (k, t.value_usd()))
            })
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
            .map_or_else(Vec::new, |(k, _)| plans[k].clone())
    }

    /// Drops, one at a time, each change whose removal does not lower the value on these (more)
    /// futures or which the plan needs to fit: the search's few futures can overrate a change
    /// worth little, and a plan is only as good as each of its changes.
    fn prune(&mut self, mut plan: Vec<String>) -> Vec<String> {
        let mut best = self.try_one(&plan).filter(|t| self.fits(t) && t.value_usd() > 0.0);
        while !plan.is_empty() {
            let without: Vec<Vec<String>> = (0..plan.len()).map(|i| [&plan[..i], &plan[i + 1..]].concat()).collect();
            let trials = self.try_all(&without);
            let good_enough = |t: &Trial| match &best {
                Some(b) => t.value_usd() >= b.value_usd(),
                None => t.value_usd() > 0.0,
            };
            let drop = trials
                .into_iter()
                .enumerate()
                .filter_map(|(k, t)| t.filter(|t| self.fits(t) && good_enough(t)).map(|t| (k, t)))
                .max_by(|a, b| a.1.value_usd().total_cmp(&b.1.value_usd()).then(b.0.cmp(&a.0)));
            match drop {
                Some((k, t)) => (plan, best) = (without[k].clone(), Some(t)),
                None => break,
            }
        }
        if best.is_some() { plan } else { Vec::new() }
    }
}

/// Cuts paired with a change that may relieve them: the best [`PAIRED_CUTS`] one-agent cuts worth
/// something alone (whether or not they break a guardrail on the search's few futures: one that
/// holds there may not on more), each with each of the [`RELIEFS`] other changes
/// that fit alone and ease the guardrails most (a knowledge base that takes contacts off the team,
/// a training that shortens its handle times, agents moved to another shift) and the [`RELIEFS`]
/// that are worth most. A workforce manager funds a change from the seat it frees; neither half
/// fits or pays alone, so the greedy step would never meet them together.
fn relieved_cuts(pool: &[String], singles: &[Option<Trial>], fits: impl Fn(&Trial) -> bool) -> Vec<Vec<String>> {
    let is_cut = |i: usize| pool[i].contains("kind = \"remove_agents\"");
    let best = |keep: &dyn Fn(usize, &Trial) -> bool, by: &dyn Fn(&Trial) -> f64, n: usize| {
        let mut v: Vec<(usize, f64)> = singles
            .iter()
            .enumerate()
            .filter_map(|(i, t)| t.as_ref().filter(|t| keep(i, t)).map(|t| (i, by(t))))
            .collect();
        v.sort_by(|a, b| b.1.total_cmp(&a.1));
        v.into_iter().take(n).map(|(i, _)| i).collect::<Vec<_>>()
    };
    let value = |t: &Trial| t.value_usd();
    let cuts = best(&|i, t| is_cut(i) && t.value_usd() > 0.0, &value, PAIRED_CUTS);
    let relief = |i: usize, t: &Trial| !is_cut(i) && fits(t);
    let mut reliefs = best(&relief, &|t| t.relief, RELIEFS);
    for r in best(&relief, &value, RELIEFS) {
        if !reliefs.contains(&r) {
            reliefs.push(r);
        }
    }
    cuts.iter()
        .flat_map(|&c| reliefs.iter().map(move |&r| vec![pool[r].clone(), pool[c].clone()]))
        .collect()
}

/// The plans one move from `plan`: each change that adds agents with one agent more or one fewer,
/// and each change dropped. Cuts stay at one agent a shift: the reference trims slack where the
/// guardrails show none lost, and four futures cannot tell a deeper cut's harm from noise.
fn neighbours(plan: &[String]) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for (i, b) in plan.iter().enumerate() {
        if let Some(n) = agents_of(b).filter(|_| !b.contains("kind = \"remove_agents\"")) {
            for m in [n + 1, n.saturating_sub(1)] {
                if m >= 1 && m != n {
                    let mut p = plan.to_vec();
                    p[i] = b.replace(&format!("agents = {n}"), &format!("agents = {m}"));
                    out.push(p);
                }
            }
        }
        let mut p = plan.to_vec();
        p.remove(i);
        out.push(p);
    }
    out
}

fn agents_of(block: &str) -> Option<u32> {
    block.lines().find_map(|l| l.strip_prefix("agents = ")?.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neighbours_change_one_count_or_drop_one_change() {
        let plan = vec![
            "[[change]]\nkind = \"add_agents\"\nagents = 2\n".to_string(),
            "[[change]]\nkind = \"qa_coaching\"\n".to_string(),
        ];
        let n = neighbours(&plan);
        assert_eq!(n.len(), 4);
        // A cut is only ever dropped, never deepened.
        let cut = vec!["[[change]]\nkind = \"remove_agents\"\nagents = 1\n".to_string()];
        assert_eq!(neighbours(&cut), vec![Vec::<String>::new()]);
        assert!(n[0][0].contains("agents = 3") && n[1][0].contains("agents = 1"));
        assert_eq!(n[2], plan[1..].to_vec());
        assert_eq!(n[3], plan[..1].to_vec());
    }

    #[test]
    fn quieter_days_drop_the_two_busiest_of_three_or_more() {
        let weights = [1.3, 1.1, 1.0, 0.95, 1.2, 0.7, 0.75];
        let weekdays = [true, true, true, true, true, false, false];
        assert_eq!(
            quieter_days(&weekdays, &weights),
            Some([false, true, true, true, false, false, false])
        );
        assert_eq!(
            quieter_days(&[false, false, false, false, false, true, true], &weights),
            None
        );
    }

    #[test]
    fn longer_hours_open_closed_days_or_two_more_hours() {
        let w = |days: [bool; 7], a, b| crate::config::WeeklyWindow {
            days,
            start_minute: a,
            end_minute: b,
        };
        let weekdays = [true, true, true, true, true, false, false];
        assert_eq!(
            longer_hours(&w(weekdays, 480, 1080)),
            Some(("Sat,Sun".into(), "08:00-18:00".into()))
        );
        assert_eq!(
            longer_hours(&w([true; 7], 480, 1080)),
            Some(("Mon,Tue,Wed,Thu,Fri,Sat,Sun".into(), "18:00-20:00".into()))
        );
        assert_eq!(longer_hours(&w([true; 7], 0, 1440)), None);
    }
}
