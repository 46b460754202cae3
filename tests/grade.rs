//! The grade: a plan that addresses a case's hidden issues (built from the answer key, with true
//! findings) outscores a plan of about the same cost spent on unrelated changes; the parts respond as their
//! rules say (over budget, a change without a finding, a finding off by three tolerances); and the
//! reference plan from `solve` beats the status quo with its interval above zero.

use supportsim::config::{Config, Issue, IssueKind};
use supportsim::interventions::proposal::{self, Proposal};
use supportsim::interventions::targets;
use supportsim::kpi::{Case, Kpi, Selection};
use supportsim::score::grade::{self, Grade};
use supportsim::solve::Problem;
use supportsim::{score, whatif};

use crate::common;

/// A case of `scenario` with `seed`: its scenario with the hidden issues, and the tables a
/// candidate sees.
fn case_of(scenario: &str, seed: u64) -> (Config, Case) {
    let base = common::built_in(scenario).config;
    let cfg = base.with_issues(base.draw_issues(seed));
    let sim = supportsim::sim::simulate(&cfg, seed, &mut |_| {});
    let case = Case::from_sim(&sim, &cfg).expect("case tables");
    (cfg, case)
}

fn parse(text: &str, cfg: &Config, case: &Case) -> Proposal {
    proposal::parse(text.as_bytes(), cfg, case).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

fn hours(w: &supportsim::config::WeeklyWindow) -> String {
    let c = |m: u32| format!("{:02}:{:02}", (m % 1440) / 60, m % 60);
    format!("{}-{}", c(w.start_minute), c(w.end_minute))
}

fn days(w: &supportsim::config::WeeklyWindow) -> String {
    let on: Vec<&str> = supportsim::config::WEEKDAYS
        .iter()
        .zip(w.days)
        .filter(|(_, on)| *on)
        .map(|(d, _)| *d)
        .collect();
    on.join(",")
}

/// A change of a kind that addresses `issue`, aimed at `category` or `team` (where the issue names
/// neither) and otherwise where the issue acts.
fn change_for(issue: &Issue, cfg: &Config, category: usize, team: usize) -> String {
    let cat = &cfg.categories[category].name;
    let t = &cfg.teams[team];
    match issue.kind {
        IssueKind::ReleaseRegression { .. } => format!("kind = \"product_fix\"\ncategory = \"{cat}\""),
        IssueKind::KnowledgeGap { .. } => format!("kind = \"knowledge_base\"\ncategory = \"{cat}\""),
        IssueKind::Outage { .. } => format!("kind = \"proactive_communication\"\ncategory = \"{cat}\""),
        IssueKind::StaffingCut { shift, agents, .. } => {
            let w = &t.shifts[shift.min(t.shifts.len() - 1)].window;
            format!(
                "kind = \"add_agents\"\nteam = \"{}\"\ndays = \"{}\"\nhours = \"{}\"\nagents = {agents}",
                t.name,
                days(w),
                hours(w)
            )
        }
        IssueKind::NewHireCohort { .. } | IssueKind::QualitySlide { .. } => {
            format!("kind = \"qa_coaching\"\nteam = \"{}\"", t.name)
        }
        IssueKind::HandleTimeCreep { .. } => {
            let w = &t.shifts[0].window;
            format!(
                "kind = \"add_agents\"\nteam = \"{}\"\ndays = \"{}\"\nhours = \"{}\"\nagents = 2",
                t.name,
                days(w),
                hours(w)
            )
        }
        IssueKind::ChannelShift { from, .. } => {
            format!("kind = \"chatbot\"\nchannel = \"{}\"", cfg.channels[from].name)
        }
    }
}

/// The category and team an issue acts on (or the first ones, where it has none).
fn scope(issue: &Issue) -> (Option<usize>, Option<usize>) {
    match issue.kind {
        IssueKind::ReleaseRegression { category, .. }
        | IssueKind::KnowledgeGap { category, .. }
        | IssueKind::Outage { category, .. } => (Some(category), None),
        IssueKind::StaffingCut { team, .. }
        | IssueKind::NewHireCohort { team, .. }
        | IssueKind::QualitySlide { team, .. }
        | IssueKind::HandleTimeCreep { team, .. } => (None, Some(team)),
        IssueKind::ChannelShift { .. } => (None, None),
    }
}

/// True findings that point at each issue: the first KPI of its evidence that does, in its cut,
/// from its start to the end of the history.
fn findings_at(cfg: &Config, case: &Case, issues: &[Issue]) -> String {
    let mut s = String::new();
    for issue in issues {
        let start = supportsim::kpi::epoch_day(cfg.start_date) + issue.start_day as i32;
        let period = |d: i32| {
            let date = cfg.start_date + chrono::Days::new((d - case.first_day) as u64);
            date.format("%Y-%m-%d").to_string()
        };
        let range = format!("{}..{}", period(start), period(case.last_day));
        'found: for (cut, kpis) in targets::evidence(issue, cfg) {
            for (kpi, _) in kpis {
                let Some(f) = finding(case, kpi, &cut, Some(&range)) else {
                    continue;
                };
                let spec = parse(&f, cfg, case);
                if targets::points_at(&spec.findings[0], issue, cfg, case) {
                    s += &f;
                    break 'found;
                }
            }
        }
    }
    s
}

/// A `[[finding]]` with the engine's value of `kpi` in `cut` over `period`, if it has one.
fn finding(
    case: &Case,
    kpi: supportsim::kpi::Kpi,
    cut: &supportsim::kpi::Labels,
    period: Option<&str>,
) -> Option<String> {
    let mut sel = Selection::parse(period, None).ok()?;
    sel.filters = cut.clone();
    let v = case.value(kpi, &sel).ok()?.value?;
    let filters: Vec<String> = cut.iter().map(|(c, v)| format!("{} = \"{v}\"", c.name())).collect();
    let period = period.map_or(String::new(), |p| format!("period = \"{p}\"\n"));
    Some(format!(
        "[[finding]]\nkpi = \"{}\"\nwhere = {{ {} }}\n{period}value = {v}\n\n",
        kpi.name(),
        filters.join(", ")
    ))
}

/// What `p`'s changes cost before any deflection, USD.
fn planned_cost(p: &Proposal, cfg: &Config) -> f64 {
    p.changes
        .iter()
        .map(|c| supportsim::interventions::cost::cost(c, cfg, 0.0).total_usd())
        .sum()
}

/// Changes aimed at categories and teams no hidden issue touches, costing about `target` USD (at
/// least 90% of it where they can): fixes, content, training and coaching, taken in turn while they
/// fit under 110% of the target.
fn unrelated(cfg: &Config, case: &Case, touched: &[(Option<usize>, Option<usize>)], target: f64) -> String {
    let cats: Vec<&str> = (0..cfg.categories.len())
        .filter(|c| touched.iter().all(|(k, _)| *k != Some(*c)))
        .map(|c| cfg.categories[c].name.as_str())
        .collect();
    let teams: Vec<&str> = (0..cfg.teams.len())
        .filter(|t| touched.iter().all(|(_, k)| *k != Some(*t)))
        .map(|t| cfg.teams[t].name.as_str())
        .collect();
    let mut pool = Vec::new();
    for c in &cats {
        for kind in ["product_fix", "knowledge_base", "proactive_communication"] {
            pool.push(format!("kind = \"{kind}\"\ncategory = \"{c}\""));
        }
    }
    for t in &teams {
        pool.push(format!("kind = \"qa_coaching\"\nteam = \"{t}\""));
        for c in &cats {
            pool.push(format!("kind = \"training\"\nteam = \"{t}\"\ncategory = \"{c}\""));
        }
    }
    let mut text = String::new();
    for block in pool {
        let cost = planned_cost(&parse(&text, cfg, case), cfg);
        if cost >= 0.9 * target {
            break;
        }
        let tried = format!("{text}[[change]]\n{block}\n\n");
        if planned_cost(&parse(&tried, cfg, case), cfg) <= 1.1 * target {
            text = tried;
        }
    }
    text
}

/// `p` scored on the case over `reps` replications.
fn scored(cfg: &Config, seed: u64, p: &Proposal, reps: u32) -> score::Score {
    let h = whatif::horizon(cfg);
    let with = whatif::plan(p, &h, cfg.history_days, seed).expect("plan");
    let runs = score::replicate(&h, &with, p, seed, cfg.history_days, reps, &|| {});
    score::score(p, cfg, &runs)
}

/// What each hidden issue of the case did (the root-cause weights).
fn harm(cfg: &Config, case: &Case, seed: u64) -> Vec<f64> {
    Problem {
        cfg,
        case,
        case_seed: seed,
        budget_usd: cfg.budget_usd,
    }
    .issue_harm_usd()
}

/// The grade of `p`'s score `s`, against a reference worth `reference_usd` in each replication.
fn grade_of(cfg: &Config, case: &Case, p: &Proposal, s: &score::Score, reference_usd: f64, harm: &[f64]) -> Grade {
    let reference = vec![reference_usd; s.replications as usize];
    grade::grade(&grade::Inputs {
        proposal: p,
        cfg,
        case,
        score: s,
        reference_values_usd: &reference,
        issue_harm_usd: harm,
    })
}

#[test]
fn plans_that_address_the_hidden_issues_outscore_plans_of_the_same_cost_aimed_elsewhere() {
    let mut wins = 0;
    let mut lines = Vec::new();
    for seed in 1..=20u64 {
        let (cfg, case) = case_of("saas", seed);
        let issues = cfg.active_issues.clone();
        let touched: Vec<(Option<usize>, Option<usize>)> = issues.iter().map(scope).collect();
        let other_cat = (0..cfg.categories.len())
            .find(|c| touched.iter().all(|(k, _)| *k != Some(*c)))
            .expect("a category no issue touches");
        let other_team = (0..cfg.teams.len())
            .find(|t| touched.iter().all(|(_, k)| *k != Some(*t)))
            .expect("a team no issue touches");
        let mut good = String::new();
        for issue in &issues {
            let (c, t) = scope(issue);
            good += &format!(
                "[[change]]\n{}\n\n",
                change_for(issue, &cfg, c.unwrap_or(other_cat), t.unwrap_or(0))
            );
        }
        let good_findings = findings_at(&cfg, &case, &issues);
        // As many true findings, about a category and team no issue touches.
        let n = good_findings.matches("[[finding]]").count();
        let mut other_findings = String::new();
        for k in 0..n {
            let cut = if k % 2 == 0 {
                vec![(supportsim::kpi::Cut::Category, cfg.categories[other_cat].name.clone())]
            } else {
                vec![(supportsim::kpi::Cut::Team, cfg.teams[other_team].name.clone())]
            };
            other_findings += &finding(&case, supportsim::kpi::Kpi::Csat, &cut, None).expect("a CSAT there");
        }
        let good = parse(&(good + &good_findings), &cfg, &case);
        let elsewhere = unrelated(&cfg, &case, &touched, planned_cost(&good, &cfg));
        let elsewhere = parse(&(elsewhere + &other_findings), &cfg, &case);
        // The plan aimed elsewhere addresses nothing; both are within the budget at similar cost.
        for issue in &issues {
            assert!(
                elsewhere.changes.iter().all(|c| !targets::addresses(c, issue, &cfg)),
                "seed {seed}: {:?}",
                issue.kind
            );
            assert!(good.changes.iter().any(|c| targets::addresses(c, issue, &cfg)));
        }
        let (sg, se) = (scored(&cfg, seed, &good, 2), scored(&cfg, seed, &elsewhere, 2));
        let (cg, ce) = (sg.cost_usd().total_usd(), se.cost_usd().total_usd());
        assert!(
            (cg - ce).abs() <= 0.5 * cg.max(ce) && cg <= cfg.budget_usd && ce <= cfg.budget_usd,
            "seed {seed}: costs {cg:.0} and {ce:.0}"
        );
        // The outcome is judged against the better of the two plans.
        let value = |s: &score::Score| s.value_usd.map_or(0.0, |v| v.mean);
        let reference = value(&sg).max(value(&se)).max(1.0);
        let harm = harm(&cfg, &case, seed);
        let gg2 = grade_of(&cfg, &case, &good, &sg, reference, &harm);
        let ge2 = grade_of(&cfg, &case, &elsewhere, &se, reference, &harm);
        if gg2.total > ge2.total {
            wins += 1;
        }
        // The debrief says what the plan did in each issue's cut, in three KPIs (a channel
        // shift's own evidence there is one: the channel's tickets).
        let debrief = score::debrief::debrief_text(&gg2, &sg, &good, &good, &cfg);
        let cuts: Vec<&str> = debrief
            .lines()
            .filter_map(|l| l.trim().strip_prefix("in its cut over the horizon: "))
            .collect();
        assert_eq!(cuts.len(), issues.len(), "seed {seed}:\n{debrief}");
        assert!(
            cuts.iter().all(|c| c.split("; ").count() == 3),
            "seed {seed}:\n{debrief}"
        );
        lines.push(format!(
            "seed {seed}: {:.1} against {:.1} (root causes {:.1} against {:.1}; values {:.0} against {:.0}; {:?})",
            gg2.total,
            ge2.total,
            gg2.parts[2].points,
            ge2.parts[2].points,
            value(&sg),
            value(&se),
            good.changes.iter().map(|c| c.kind.name).collect::<Vec<_>>()
        ));
    }
    println!("{wins} of 20:\n{}", lines.join("\n"));
    assert!(wins >= 18, "{wins} of 20:\n{}", lines.join("\n"));
}

#[test]
fn parts_follow_their_rules_over_budget_without_a_finding_and_off_by_three_tolerances() {
    let seed = 1;
    let (cfg, case) = case_of("saas", seed);
    let staffing = cfg
        .active_issues
        .iter()
        .position(|i| matches!(i.kind, IssueKind::StaffingCut { .. }))
        .expect("saas seed 1 plants a staffing cut");
    let issue = &cfg.active_issues[staffing];
    let (_, team) = scope(issue);
    let fix = format!("[[change]]\n{}\n\n", change_for(issue, &cfg, 0, team.expect("team")));
    let alone = parse(&fix, &cfg, &case);
    let harm = harm(&cfg, &case, seed);
    let s = scored(&cfg, seed, &alone, 2);
    let g = grade_of(&cfg, &case, &alone, &s, 100_000.0, &harm);
    // A change that addresses the issue with no finding: half its credit.
    assert_eq!(g.issues[staffing].credit, 0.5);
    assert_eq!(g.issues[staffing].addressed_by, vec![0]);
    assert!(g.issues[staffing].found_by.is_empty());
    let findings = findings_at(&cfg, &case, std::slice::from_ref(issue));
    assert!(!findings.is_empty(), "a finding that points at the staffing cut");
    let found = parse(&(fix.clone() + &findings), &cfg, &case);
    let g2 = grade_of(&cfg, &case, &found, &s, 100_000.0, &harm);
    assert_eq!(g2.issues[staffing].credit, 1.0);
    let weight = g.issues[staffing].weight;
    assert!(weight > 0.0);
    assert!(
        (g2.parts[2].points - g.parts[2].points - (20.0 * weight * 0.5)).abs() <= 0.11,
        "{} -> {} with weight {weight}",
        g.parts[2].points,
        g2.parts[2].points
    );
    // The true finding gets full credit; off by two tolerances half; by three none.
    assert_eq!(g2.findings[0].credit, 1.0);
    assert_eq!(g2.parts[3].points, 10.0);
    let f = &g2.findings[0];
    let (actual, tol) = (f.actual.expect("a value"), f.tolerance);
    for (off, credit) in [(0.9, 1.0), (2.0, 0.5), (3.0, 0.0), (5.0, 0.0)] {
        let text = findings.replace(&format!("value = {actual}"), &format!("value = {}", actual + off * tol));
        assert_ne!(text, findings);
        let p = parse(&(fix.clone() + &text), &cfg, &case);
        let g3 = grade_of(&cfg, &case, &p, &s, 100_000.0, &harm);
        assert!(
            (g3.findings[0].credit - credit).abs() < 1e-6,
            "off by {off} tolerances: {}",
            g3.findings[0].reason
        );
    }
    // Over budget: cost points fall in proportion to the overrun.
    let cost = s.cost_usd().total_usd();
    for (overrun, points) in [(0.0, 5.0), (0.2, 4.0), (0.5, 2.5), (1.0, 0.0), (1.5, 0.0)] {
        let mut over = s.clone();
        over.budget_usd = cost / (1.0 + overrun);
        let g4 = grade_of(&cfg, &case, &alone, &over, 100_000.0, &harm);
        assert!(
            (g4.parts[5].points - points).abs() < 0.051,
            "{overrun}: {}",
            g4.parts[5].reason
        );
        // The parts sum to the total.
        let sum: f64 = g4.parts.iter().map(|p| p.points).sum();
        assert!((sum - g4.total).abs() < 1e-9);
    }
    // A baseline the data do not give: the note says what they give, and over which periods.
    let metric = "[[metric]]\nkpi = \"csat\"\nbaseline = 0.5\ntarget = 0.9\nby_day = 80\n";
    let p = parse(&(fix.clone() + metric), &cfg, &case);
    let g5 = grade_of(&cfg, &case, &p, &scored(&cfg, seed, &p, 2), 100_000.0, &harm);
    let day = |d: i32| supportsim::kpi::date_of(d).format("%Y-%m-%d").to_string();
    let recent = Selection {
        from_day: Some(case.last_day - 27),
        to_day: Some(case.last_day),
        ..Selection::default()
    };
    let at = |s: &Selection| case.value(Kpi::Csat, s).expect("csat").value.expect("a value");
    let expected = format!(
        "baseline 50.0% but the data give {:.1}% over the last four weeks ({}..{}) and {:.1}% over the whole history",
        100.0 * at(&recent),
        day(case.last_day - 27),
        day(case.last_day),
        100.0 * at(&Selection::default())
    );
    assert_eq!(
        g5.metrics[0].notes.first(),
        Some(&expected),
        "{:?}",
        g5.metrics[0].notes
    );
}

#[test]
fn the_reference_plan_beats_the_status_quo_in_every_shipped_scenario() {
    // `large` is the benchmark scenario (design.md), the saas operation ten times over; its search
    // takes tens of minutes, so it is left out here as in the 20-seed figures of benches/README.md,
    // which cover the three case scenarios. In ecommerce no single change pays and keeps
    // the guardrails: the reference there is a cut funded by a change that relieves it.
    for scenario in ["saas", "ecommerce", "fintech"] {
        let (cfg, case) = case_of(scenario, 1);
        let problem = Problem {
            cfg: &cfg,
            case: &case,
            case_seed: 1,
            budget_usd: cfg.budget_usd,
        };
        let solved = problem.solve(10, &|_| {});
        let e = score::estimate(&solved.values_usd).expect("values");
        let (lo, _) = e.ci95.expect("an interval");
        assert!(lo > 0.0, "{scenario}: value {:.0}, interval from {lo:.0}", e.mean);
        assert!(
            solved.cost_usd <= cfg.budget_usd,
            "{scenario}: cost {}",
            solved.cost_usd
        );
        assert!(!solved.proposal.changes.is_empty());
        // The file it writes reads back as the same plan.
        assert_eq!(parse(&solved.text, &cfg, &case).changes, solved.proposal.changes);
    }
}
