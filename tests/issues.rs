//! Hidden issues: every kind in the saas pool is detectable where the answer key says to look (the
//! KPI of the named cut after the start day lies outside the 95% interval of the same cut before
//! it; for a new-hire cohort, the hires' CSAT outside that of the team's other agents in the same
//! period), the operation's invariants hold with every issue planted at once, and seeds tell
//! different stories.

use std::collections::BTreeSet;

use crate::common;
use crate::invariants::check_all;
use supportsim::config::{DAY_SECS, Issue, IssueKind};
use supportsim::kpi::{Cut, Kpi, wilson};
use supportsim::record::{SimOutput, TicketRecord};

/// Mean and 95% half-width of the mean.
fn mean_ci(v: &[f64]) -> (f64, f64) {
    let n = v.len() as f64;
    let m = v.iter().sum::<f64>() / n;
    let var = v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0);
    (m, 1.96 * (var / n).sqrt())
}

/// Asserts that the share `after` lies outside the Wilson interval of `before`.
fn share_moves(what: &str, before: (u64, u64), after: (u64, u64)) {
    let (lo, hi) = wilson(before.0, before.1);
    let p = after.0 as f64 / after.1 as f64;
    assert!(
        after.1 > 30 && (p < lo || p > hi),
        "{what}: after {p:.4} (n={}) inside before's [{lo:.4}, {hi:.4}]",
        after.1
    );
}

fn count(ts: &[&TicketRecord], f: impl Fn(&TicketRecord) -> bool) -> u64 {
    ts.iter().filter(|t| f(t)).count() as u64
}

/// The detectability check of one planted issue on its cut.
fn detectable(issue: &Issue, sim: &SimOutput, cfg: &supportsim::config::Config, name: &str) {
    let start = u64::from(issue.start_day) * DAY_SECS;
    let (before, after): (Vec<&TicketRecord>, Vec<&TicketRecord>) =
        sim.tickets.iter().partition(|t| u64::from(t.created_secs) < start);
    let kind = issue.kind.name();
    let case = common::case_of(sim, cfg);
    let (start_day, end_day) = (u64::from(issue.start_day), sim.history_secs / DAY_SECS);
    let what = format!("{kind} from day {} ({name})", issue.start_day);
    match issue.kind {
        IssueKind::ReleaseRegression { category, .. } => {
            // Daily tickets of the category: after-period mean outside the before-period mean's interval.
            let days = |ts: &[&TicketRecord], d0: u64, d1: u64| -> Vec<f64> {
                (d0..d1)
                    .map(|d| {
                        ts.iter()
                            .filter(|t| t.category as usize == category && u64::from(t.created_secs) / DAY_SECS == d)
                            .count() as f64
                    })
                    .collect()
            };
            let (m0, h0) = mean_ci(&days(&before, 0, u64::from(issue.start_day)));
            let (m1, _) = mean_ci(&days(&after, u64::from(issue.start_day), sim.history_secs / DAY_SECS));
            assert!(m1 > m0 + h0, "{what}: daily volume {m1:.1} within {m0:.1} ± {h0:.1}");
        }
        IssueKind::KnowledgeGap { category, .. } => {
            let cat = [(Cut::Category, cfg.categories[category].name.as_str())];
            let esc = |days| common::hits(common::kpi(&case, Kpi::EscalationRate, Some(days), &cat));
            share_moves(&what, esc((0, start_day)), esc((start_day, end_day)));
        }
        IssueKind::StaffingCut { .. } | IssueKind::HandleTimeCreep { .. } => {
            let sla = |days| common::hits(common::kpi(&case, Kpi::SlaAttainment, Some(days), &[]));
            share_moves(&what, sla((0, start_day)), sla((start_day, end_day)));
        }
        IssueKind::NewHireCohort { team, .. } => {
            // The new hires' tickets against those of the team's other agents in the same period.
            let hires: BTreeSet<u32> = (0..sim.agents.len() as u32)
                .filter(|&a| sim.agents[a as usize].hire_day == i64::from(issue.start_day))
                .collect();
            let (by_hires, by_others): (Vec<&TicketRecord>, Vec<&TicketRecord>) = after
                .iter()
                .copied()
                .filter(|t| t.team as usize == team && t.csat_score.is_some())
                .partition(|t| hires.contains(&t.assignee));
            share_moves(
                &what,
                (count(&by_others, |t| t.csat_score >= Some(4)), by_others.len() as u64),
                (count(&by_hires, |t| t.csat_score >= Some(4)), by_hires.len() as u64),
            );
        }
        IssueKind::QualitySlide { team, .. } => {
            let csat = |ts: &[&TicketRecord]| {
                let rated: Vec<_> = ts
                    .iter()
                    .copied()
                    .filter(|t| t.team as usize == team && t.csat_score.is_some())
                    .collect();
                (count(&rated, |t| t.csat_score >= Some(4)), rated.len() as u64)
            };
            share_moves(&what, csat(&before), csat(&after));
        }
        IssueKind::Outage {
            category,
            duration_secs,
            ..
        } => {
            // The outage's hours against the same hours of the same weekday in the weeks before.
            let window = |from: u64| {
                sim.tickets
                    .iter()
                    .filter(|t| {
                        let c = u64::from(t.created_secs);
                        t.category as usize == category && c >= from && c < from + duration_secs
                    })
                    .count() as f64
            };
            let start = issue.start_secs();
            let weeks: Vec<f64> = (1..=start / (7 * DAY_SECS))
                .map(|k| window(start - k * 7 * DAY_SECS))
                .collect();
            let (m, _) = mean_ci(&weeks);
            let sd = (weeks.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (weeks.len() - 1) as f64).sqrt();
            assert!(
                window(start) > m + 1.96 * sd,
                "{what}: {} tickets in its hours within {m:.1} ± {:.1} of the same hours in earlier weeks",
                window(start),
                1.96 * sd
            );
        }
        IssueKind::ChannelShift { from, .. } => {
            let mix = |ts: &[&TicketRecord]| (count(ts, |t| t.channel as usize == from), ts.len() as u64);
            share_moves(&what, mix(&before), mix(&after));
        }
    }
}

#[test]
fn every_kind_in_the_saas_pool_is_detectable_in_its_cut() {
    let l = common::built_in("saas");
    let base = &l.config;
    assert!(base.issue_pool.len() >= 8, "the pool should hold at least 8 kinds");
    let kinds: BTreeSet<&str> = base.issue_pool.iter().map(|t| t.kind.name()).collect();
    assert_eq!(kinds.len(), 8, "8 distinct kinds: {kinds:?}");
    for (pool_index, template) in base.issue_pool.iter().enumerate() {
        for start_day in template.start_day_range {
            let issue = base.issue(pool_index, start_day);
            let cfg = base.with_issues(vec![issue.clone()]);
            let sim = supportsim::sim::simulate(&cfg, 4, &mut |_| {});
            detectable(&issue, &sim, &cfg, "seed 4");
        }
    }
}

#[test]
fn invariants_hold_with_every_issue_planted_at_once() {
    let l = common::built_in("saas");
    let base = &l.config;
    let all: Vec<Issue> = base
        .issue_pool
        .iter()
        .enumerate()
        .map(|(pool_index, t)| base.issue(pool_index, t.start_day_range[0]))
        .collect();
    let cfg = base.with_issues(all);
    let sim = supportsim::sim::simulate(&cfg, 9, &mut |_| {});
    check_all(&sim, &cfg);
    // New hires appear in the agents table with their hire day.
    assert!(
        sim.agents.iter().any(|a| a.hire_day > 0),
        "the new-hire cohort should add agents"
    );
    let csat = common::kpi(&common::case_of(&sim, &cfg), Kpi::Csat, None, &[])
        .value
        .expect("csat");
    assert!(csat > 0.5, "CSAT {csat}");
}

#[test]
fn seeds_draw_different_issue_combinations() {
    let l = common::built_in("saas");
    let combos: BTreeSet<Vec<usize>> = (1..=20)
        .map(|seed| {
            l.config
                .draw_issues(seed)
                .iter()
                .map(|i| i.pool_index)
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect()
        })
        .collect();
    assert!(combos.len() >= 10, "20 seeds gave only {} combinations", combos.len());
    // Over many seeds every issue is drawn about equally often, each case's issues are distinct, and
    // start days cover each range to both ends.
    let mut drawn_count = vec![0u32; l.config.issue_pool.len()];
    let mut days: Vec<BTreeSet<u32>> = vec![BTreeSet::new(); l.config.issue_pool.len()];
    let seeds = 1..=2000u64;
    for seed in seeds.clone() {
        let drawn = l.config.draw_issues(seed);
        assert_eq!(drawn.len(), l.config.issues_to_draw as usize);
        let distinct: BTreeSet<usize> = drawn.iter().map(|i| i.pool_index).collect();
        assert_eq!(distinct.len(), drawn.len(), "seed {seed}: an issue drawn twice");
        for i in drawn {
            drawn_count[i.pool_index] += 1;
            days[i.pool_index].insert(i.start_day);
        }
    }
    let expected = seeds.count() as f64 * f64::from(l.config.issues_to_draw) / drawn_count.len() as f64;
    for (i, t) in l.config.issue_pool.iter().enumerate() {
        let n = f64::from(drawn_count[i]);
        assert!(
            (n - expected).abs() < 4.0 * expected.sqrt(),
            "{} drawn {n} times, expected {expected}",
            t.kind.name()
        );
        let [lo, hi] = t.start_day_range;
        assert!(
            days[i].contains(&lo) && days[i].contains(&hi),
            "{}: start days {:?}",
            t.kind.name(),
            days[i]
        );
        assert!(days[i].iter().all(|d| (lo..=hi).contains(d)));
    }
}
