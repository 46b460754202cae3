//! The answer key: for each planted issue, when it started, what it touches, how it works, its TRUE
//! effect on the headline KPIs (the history re-simulated without it, with the same random draws, so the
//! difference is the issue's alone), where a good analysis sees it and what addresses it; plus the
//! analytical traps present in the data and the headline KPIs. Pure: no files.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::config::{Config, DAY_SECS, Issue, IssueKind, WEEKDAYS};
use crate::kpi::{Case, Kpi, Selection};
use crate::record::{SimOutput, Status};

/// Headline KPIs of the tickets created in a period (definitions in design.md / `metrics`).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Headline {
    pub tickets: u64,
    pub csat: Option<f64>,
    pub csat_responses: u64,
    pub nps: Option<f64>,
    pub nps_responses: u64,
    pub first_reply_p50_minutes: Option<f64>,
    pub first_reply_p90_minutes: Option<f64>,
    pub resolution_p50_minutes: Option<f64>,
    pub resolution_p90_minutes: Option<f64>,
    pub sla_attainment: Option<f64>,
    pub one_touch: Option<f64>,
    pub escalation_rate: Option<f64>,
    pub reopen_rate: Option<f64>,
    pub abandonment_rate: Option<f64>,
    /// Customers active at the period's start who churned in it, as a share of them.
    pub churn_rate: Option<f64>,
    /// Customers whose `churned_at` falls in the period.
    pub churned_customers: u64,
    /// Their monthly revenue, USD per month.
    pub lost_mrr_usd: f64,
}

fn rounded(x: Option<f64>) -> Option<f64> {
    x.filter(|v| v.is_finite()).map(|x| (x * 10_000.0).round() / 10_000.0)
}

/// Headline KPIs, from the metrics engine, of the days [from_secs, to_secs) of the history (whole
/// days): tickets created then, NPS answers given then, customers churned then.
pub fn headline(case: &Case, sim: &SimOutput, from_secs: u64, to_secs: u64) -> Headline {
    let (from, to) = (from_secs / DAY_SECS, to_secs.div_ceil(DAY_SECS));
    let selection = Selection {
        from_day: Some(case.first_day + from as i32),
        to_day: Some(case.first_day + to as i32 - 1),
        filters: Vec::new(),
    };
    let kpis = [
        Kpi::Tickets,
        Kpi::Csat,
        Kpi::Nps,
        Kpi::FirstReplyP50,
        Kpi::FirstReplyP90,
        Kpi::ResolutionP50,
        Kpi::ResolutionP90,
        Kpi::SlaAttainment,
        Kpi::OneTouch,
        Kpi::EscalationRate,
        Kpi::ReopenRate,
        Kpi::AbandonmentRate,
        Kpi::ChurnRate,
    ];
    let rows = case.compute(&[], &selection, &kpis).unwrap_or_default();
    let get = |k: Kpi| rows.first().and_then(|r| r.kpis.get(&k)).copied();
    let value = |k: Kpi| rounded(get(k).and_then(|v| v.value));
    let n = |k: Kpi| get(k).map_or(0, |v| v.n);
    let churned: Vec<_> = sim
        .customers
        .iter()
        .filter(|c| {
            c.churned_secs
                .is_some_and(|s| s >= (from * DAY_SECS) as i64 && s < (to * DAY_SECS) as i64)
        })
        .collect();
    Headline {
        tickets: n(Kpi::Tickets),
        csat: value(Kpi::Csat),
        csat_responses: n(Kpi::Csat),
        nps: value(Kpi::Nps),
        nps_responses: n(Kpi::Nps),
        first_reply_p50_minutes: value(Kpi::FirstReplyP50),
        first_reply_p90_minutes: value(Kpi::FirstReplyP90),
        resolution_p50_minutes: value(Kpi::ResolutionP50),
        resolution_p90_minutes: value(Kpi::ResolutionP90),
        sla_attainment: value(Kpi::SlaAttainment),
        one_touch: value(Kpi::OneTouch),
        escalation_rate: value(Kpi::EscalationRate),
        reopen_rate: value(Kpi::ReopenRate),
        abandonment_rate: value(Kpi::AbandonmentRate),
        churn_rate: value(Kpi::ChurnRate),
        churned_customers: churned.len() as u64,
        lost_mrr_usd: (churned.iter().map(|c| c.mrr_usd).sum::<f64>() * 100.0).round() / 100.0,
    }
}

/// Where a good analysis sees an issue: a filter on the tickets (or other table) and the KPI.
#[derive(Debug, Clone, Serialize)]
pub struct Cut {
    /// Column → value, e.g. {"category": "billing"}.
    pub filter: BTreeMap<String, String>,
    pub kpi: String,
    /// In words.
    pub how: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct IssueEntry {
    pub kind: String,
    pub start_day: u32,
    pub start_date: String,
    /// Time of day it starts, HH:MM.
    pub start_time: String,
    /// Days over which it grows to full strength.
    pub ramp_days: f64,
    /// What it touches, in words.
    pub touches: String,
    pub mechanism: String,
    /// Headline KPIs of tickets created from the start day to the end of the history, with the issue.
    pub after_start: Headline,
    /// The same period re-simulated without this issue (other issues kept, same random draws).
    pub without_issue: Headline,
    /// after_start minus without_issue, per KPI.
    pub true_effect: BTreeMap<String, f64>,
    pub cut: Cut,
    /// Interventions that address the cause.
    pub interventions: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Trap {
    pub name: String,
    /// What it is and the numbers in this case that show it.
    pub evidence: String,
}

/// The true theme of one free-text comment.
#[derive(Debug, Clone, Serialize)]
pub struct CommentTruth {
    /// `tickets` (by ticket_id) or `nps_responses` (by response_id).
    pub table: String,
    pub id: u32,
    pub theme: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct AnswerKey {
    pub company: String,
    pub scenario: String,
    pub seed: u64,
    pub history: String,
    pub headline: Headline,
    pub issues: Vec<IssueEntry>,
    pub traps: Vec<Trap>,
    /// How many comments have each true theme, per table.
    pub comment_theme_counts: BTreeMap<String, BTreeMap<String, u64>>,
    /// The true theme of every comment.
    pub comments: Vec<CommentTruth>,
    /// How strongly each intervention kind acts in this case (drawn inside the catalog's ranges).
    pub intervention_strengths: Vec<InterventionStrength>,
}

/// One intervention kind's effects in this case.
#[derive(Debug, Clone, Serialize)]
pub struct InterventionStrength {
    pub kind: String,
    /// Where in the catalog's ranges the kind acts, 0 (the range's low end) to 1 (its high end).
    pub position: f64,
    /// (cause, value, unit) for each effect with a range.
    pub effects: Vec<(String, f64, String)>,
}

/// Each kind's effects in the case with `seed`.
fn intervention_strengths(seed: u64) -> Vec<InterventionStrength> {
    use crate::interventions::catalog::{KINDS, effect_in_case, strength_draw};
    KINDS
        .iter()
        .map(|k| {
            let u = strength_draw(seed, k.name);
            InterventionStrength {
                kind: k.name.to_string(),
                position: u,
                effects: k
                    .effects
                    .iter()
                    .filter(|e| !e.unit.is_empty())
                    .map(|e| (e.cause.to_string(), effect_in_case(seed, k, e), e.unit.to_string()))
                    .collect(),
            }
        })
        .collect()
}

fn comment_truths(sim: &SimOutput) -> Vec<CommentTruth> {
    let tickets = sim.tickets.iter().filter_map(|t| {
        t.csat_comment_theme.map(|th| CommentTruth {
            table: "tickets".into(),
            id: t.id,
            theme: th.as_str().into(),
        })
    });
    let nps = sim.nps.iter().enumerate().filter_map(|(i, r)| {
        r.comment_theme.map(|th| CommentTruth {
            table: "nps_responses".into(),
            id: i as u32 + 1,
            theme: th.as_str().into(),
        })
    });
    tickets.chain(nps).collect()
}

/// Differences of the numeric KPIs of two headlines (a minus b), skipping missing values.
pub fn difference(a: &Headline, b: &Headline) -> BTreeMap<String, f64> {
    let (Ok(serde_json::Value::Object(x)), Ok(serde_json::Value::Object(y))) =
        (serde_json::to_value(a), serde_json::to_value(b))
    else {
        return BTreeMap::new();
    };
    x.iter()
        .filter_map(|(k, v)| {
            let (v, w) = (v.as_f64()?, y.get(k)?.as_f64()?);
            Some((k.clone(), ((v - w) * 10_000.0).round() / 10_000.0))
        })
        .collect()
}

/// Where hidden issue `issue` shows in the data: column → value, e.g. {"category": "billing"}.
pub fn issue_cut(issue: &Issue, cfg: &Config) -> BTreeMap<String, String> {
    describe(issue, cfg).2.filter
}

/// The intervention kinds that address hidden issue `issue`'s cause, as the answer key lists them.
pub fn issue_interventions(issue: &Issue, cfg: &Config) -> Vec<String> {
    describe(issue, cfg).3
}

/// What hidden issue `issue` touches, in words (e.g. "category billing").
pub fn issue_touches(issue: &Issue, cfg: &Config) -> String {
    describe(issue, cfg).0
}

fn describe(issue: &Issue, cfg: &Config) -> (String, String, Cut, Vec<String>) {
    let cat = |c: usize| cfg.categories[c].name.clone();
    let team = |t: usize| cfg.teams[t].name.clone();
    let filter = |pairs: &[(&str, String)]| pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
    let list = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect();
    match issue.kind {
        IssueKind::ReleaseRegression { category, volume_multiplier, handle_time_multiplier } => (
            format!("category {}", cat(category)),
            format!(
                "a product release breaks part of {}: contacts about it rise to {:.1}x and each takes {:.0}% longer to handle{}",
                cat(category),
                volume_multiplier,
                (handle_time_multiplier - 1.0) * 100.0,
                pace(issue)
            ),
            Cut {
                filter: filter(&[("category", cat(category))]),
                kpi: "tickets per week and handle_minutes".into(),
                how: "weekly volume of the category rises within days of the start while other categories do not".into(),
            },
            list(&["product_fix", "knowledge_base", "proactive_communication"]),
        ),
        IssueKind::KnowledgeGap { category, escalation_multiplier, reopen_multiplier } => (
            format!("category {}", cat(category)),
            format!(
                "agents lack up-to-date knowledge of {}: escalations x{:.1} and reopens x{:.1} on average{}, some agents far more than others",
                cat(category),
                escalation_multiplier,
                reopen_multiplier,
                pace(issue)
            ),
            Cut {
                filter: filter(&[("category", cat(category))]),
                kpi: "escalation_rate and reopen_rate".into(),
                how: "the category's escalation and reopen rates by week climb over the weeks after the start, more for some agents".into(),
            },
            list(&["knowledge_base", "training"]),
        ),
        IssueKind::StaffingCut { team: t, shift, agents } => {
            let sh = &cfg.teams[t].shifts[shift];
            let days: Vec<&str> = (0..7).filter(|&d| sh.window.days[d]).map(|d| WEEKDAYS[d]).collect();
            (
                format!("team {}, shift {}", team(t), sh.name),
                format!(
                    "{agents} agents of the {} shift ({}, from {:02}:{:02}) leave one by one over {} days and are not replaced",
                    sh.name,
                    days.join(" "),
                    sh.window.start_minute / 60,
                    sh.window.start_minute % 60,
                    ramp_days(issue)
                ),
                Cut {
                    filter: filter(&[("team", team(t))]),
                    kpi: "sla_attainment (first reply within target), first_reply_p90 and abandonment_rate by hour".into(),
                    how: "schedule.csv shows fewer agents in the shift's hours after each departure (agents.csv has their left_date); waits and abandonment in those hours rise".into(),
                },
                list(&["add_agents", "routing"]),
            )
        }
        IssueKind::NewHireCohort { team: t, shift, agents, .. } => (
            format!("team {}, shift {}", team(t), cfg.teams[t].shifts[shift].name),
            format!(
                "{agents} experienced agents are replaced by new hires who handle tickets slower while they ramp up and are rated lower"
            ),
            Cut {
                filter: filter(&[("team", team(t))]),
                kpi: "csat and handle_minutes by agent hire_date".into(),
                how: "agents.csv shows hires on the start day; their tickets have longer handle times and lower CSAT".into(),
            },
            list(&["training", "qa_coaching"]),
        ),
        IssueKind::QualitySlide { team: t, .. } => (
            format!("team {}", team(t)),
            format!(
                "the team's work quality slides (coaching stopped): customers rate its tickets lower{}, some agents' much more than others'",
                pace(issue)
            ),
            Cut {
                filter: filter(&[("team", team(t))]),
                kpi: "csat".into(),
                how: "the team's weekly CSAT slides over the weeks after the start while volumes and times stay flat".into(),
            },
            list(&["qa_coaching", "training"]),
        ),
        IssueKind::HandleTimeCreep { team: t, handle_time_multiplier } => (
            format!("team {}", team(t)),
            format!(
                "a tooling change makes the team's handle times {:.0}% longer on average{}, unevenly across agents, so queues and waits grow",
                (handle_time_multiplier - 1.0) * 100.0,
                pace(issue)
            ),
            Cut {
                filter: filter(&[("team", team(t))]),
                kpi: "handle_minutes, sla_attainment and first_reply_p90".into(),
                how: "median handle time of the team's tickets climbs over the days after the start, more for some agents; waits follow".into(),
            },
            list(&["add_agents", "routing", "training"]),
        ),
        IssueKind::Outage { category, duration_secs, volume_multiplier, .. } => (
            format!("category {}", cat(category)),
            format!(
                "an outage from {}: for {:.0} hours, contacts about {} add up to {:.1} times the normal total volume",
                start_time(issue),
                duration_secs as f64 / 3600.0,
                cat(category),
                volume_multiplier - 1.0
            ),
            Cut {
                filter: filter(&[("category", cat(category)), ("date", issue_date(cfg, issue))]),
                kpi: "tickets per day".into(),
                how: "the volume of the outage's hours spikes; the following days' backlog and waits are inflated by it".into(),
            },
            list(&["proactive_communication", "product_fix"]),
        ),
        IssueKind::ChannelShift { from, to, share } => (
            format!("channels {} and {}", cfg.channels[from].name, cfg.channels[to].name),
            format!(
                "about {:.0}% of the contacts that would have used {} now arrive by {} (the {} entry point became hard to find; more in some segments and hours{}); those customers still expect {}'s speed, so the slower answers cost CSAT and loyalty",
                share * 100.0,
                cfg.channels[from].name,
                cfg.channels[to].name,
                cfg.channels[from].name,
                pace(issue),
                cfg.channels[from].name
            ),
            Cut {
                filter: filter(&[("channel", cfg.channels[from].name.clone())]),
                kpi: "share of tickets by channel, and CSAT within each channel".into(),
                how: "the channel mix shifts at the start day; overall KPIs move with the mix while within-channel KPIs change differently (Simpson's paradox)".into(),
            },
            list(&["extend_hours", "routing", "chatbot"]),
        ),
    }
}

/// ", building up over N days from HH:MM" (empty for a step).
fn pace(issue: &Issue) -> String {
    if issue.ramp_secs == 0 {
        format!(", from {}", start_time(issue))
    } else {
        format!(
            ", building up over {} days from {}",
            ramp_days(issue),
            start_time(issue)
        )
    }
}

fn ramp_days(issue: &Issue) -> String {
    let days = issue.ramp_secs as f64 / DAY_SECS as f64;
    if days.fract() == 0.0 {
        format!("{days:.0}")
    } else {
        format!("{days:.1}")
    }
}

/// The issue's start time of day, HH:MM.
fn start_time(issue: &Issue) -> String {
    let secs = issue.start_secs() % DAY_SECS;
    format!("{:02}:{:02}", secs / 3600, secs % 3600 / 60)
}

fn issue_date(cfg: &Config, issue: &Issue) -> String {
    (cfg.start_date + chrono::Days::new(u64::from(issue.start_day)))
        .format("%Y-%m-%d")
        .to_string()
}

/// The traps present in this history, with the numbers that show them.
pub fn traps(case: &Case, sim: &SimOutput, cfg: &Config) -> Vec<Trap> {
    let mut out = Vec::new();
    let whole = case
        .compute(
            &[],
            &Selection::default(),
            &[Kpi::ResolutionMean, Kpi::ResolutionP50, Kpi::CsatResponseRate],
        )
        .unwrap_or_default();
    let get = |k: Kpi| whole.first().and_then(|r| r.kpis.get(&k)).and_then(|v| v.value);
    if let (Some(mean), Some(median)) = (get(Kpi::ResolutionMean), get(Kpi::ResolutionP50)) {
        out.push(Trap {
            name: "skewed_times".into(),
            evidence: format!(
                "full resolution is heavily right-skewed: mean {:.0} min against median {:.0} min; averages mislead, use medians and p90",
                mean, median
            ),
        });
    }
    let open = sim.tickets.iter().filter(|t| t.status == Status::Open).count();
    out.push(Trap {
        name: "censored_open_tickets".into(),
        evidence: format!(
            "{open} tickets are still open at the extract and have no resolution time; dropping them biases recent resolution times downwards"
        ),
    });
    // Agent league tables by calendar month: how many agent-months rest on fewer than 30 answers.
    let mut per_agent_month: BTreeMap<(u32, String), u64> = BTreeMap::new();
    for t in sim.tickets.iter().filter(|t| t.csat_score.is_some()) {
        let day = cfg.start_date + chrono::Days::new(u64::from(t.created_secs) / DAY_SECS);
        *per_agent_month
            .entry((t.assignee, day.format("%Y-%m").to_string()))
            .or_default() += 1;
    }
    let small = per_agent_month.values().filter(|&&n| n < 30).count();
    if small > 0 {
        out.push(Trap {
            name: "small_sample_agent_rankings".into(),
            evidence: format!(
                "{small} of {} agent-months have fewer than 30 CSAT answers; monthly agent CSAT rankings are mostly noise without intervals",
                per_agent_month.len()
            ),
        });
    }
    if let Some(response) = get(Kpi::CsatResponseRate) {
        out.push(Trap {
            name: "survey_non_response".into(),
            evidence: format!(
                "only {:.0}% of surveyed tickets answer the CSAT survey and extreme experiences answer more; abandoned contacts get no survey at all",
                response * 100.0
            ),
        });
    }
    let end = sim.history_secs;
    let incidents = cfg
        .changes
        .iter()
        .filter(|c| c.origin == crate::config::Origin::Scenario && c.from_secs < end)
        .count();
    if incidents > 0 {
        out.push(Trap {
            name: "incident_days".into(),
            evidence: format!(
                "{incidents} incident burst(s) dominate their week's volume; analyse them apart from trends"
            ),
        });
    }
    out
}

/// Builds the key. `counterfactuals[i]` is the history re-simulated with every planted issue but the
/// i-th (same seed, so the same random draws).
pub fn build(cfg: &Config, scenario: &str, seed: u64, sim: &SimOutput, counterfactuals: &[SimOutput]) -> AnswerKey {
    assert_eq!(
        counterfactuals.len(),
        cfg.active_issues.len(),
        "one counterfactual per planted issue"
    );
    let end = sim.history_secs;
    let case_of = |s: &SimOutput| Case::from_sim(s, cfg).expect("the case tables of a simulated history build");
    let case = case_of(sim);
    let comments = comment_truths(sim);
    let issues = cfg
        .active_issues
        .iter()
        .zip(counterfactuals)
        .map(|(issue, cf)| {
            let start = u64::from(issue.start_day) * DAY_SECS;
            let (touches, mechanism, cut, interventions) = describe(issue, cfg);
            let after_start = headline(&case, sim, start, end);
            let without_issue = headline(&case_of(cf), cf, start, end);
            IssueEntry {
                kind: issue.kind.name().into(),
                start_day: issue.start_day,
                start_date: issue_date(cfg, issue),
                start_time: start_time(issue),
                ramp_days: issue.ramp_secs as f64 / DAY_SECS as f64,
                touches,
                mechanism,
                true_effect: difference(&after_start, &without_issue),
                after_start,
                without_issue,
                cut,
                interventions,
            }
        })
        .collect();
    AnswerKey {
        company: cfg.company.clone(),
        scenario: scenario.into(),
        seed,
        history: format!(
            "{} to {} ({} days)",
            cfg.start_date,
            cfg.start_date + chrono::Days::new(u64::from(cfg.history_days) - 1),
            cfg.history_days
        ),
        headline: headline(&case, sim, 0, end),
        issues,
        traps: traps(&case, sim, cfg),
        comment_theme_counts: {
            let mut counts: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
            for c in &comments {
                *counts
                    .entry(c.table.clone())
                    .or_default()
                    .entry(c.theme.clone())
                    .or_default() += 1;
            }
            counts
        },
        comments,
        intervention_strengths: intervention_strengths(seed),
    }
}

/// The key for people.
pub fn to_markdown(key: &AnswerKey) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let fmt = |v: Option<f64>| v.map_or("—".to_string(), |x| format!("{x:.3}"));
    let _ = writeln!(
        s,
        "# Answer key — {} (scenario {}, seed {})\n",
        key.company, key.scenario, key.seed
    );
    let _ = writeln!(s, "For the interviewer only. History: {}.\n", key.history);
    let h = &key.headline;
    let _ = writeln!(s, "## Headline KPIs of the whole history\n");
    let _ = writeln!(s, "| KPI | value |\n|---|---|");
    let _ = writeln!(s, "| tickets | {} |", h.tickets);
    let _ = writeln!(s, "| CSAT (share 4-5) | {} (n = {}) |", fmt(h.csat), h.csat_responses);
    let _ = writeln!(
        s,
        "| NPS | {} (n = {}) |",
        h.nps.map_or("—".into(), |x| format!("{x:+.1}")),
        h.nps_responses
    );
    let _ = writeln!(
        s,
        "| first reply p50 / p90, minutes | {} / {} |",
        fmt(h.first_reply_p50_minutes),
        fmt(h.first_reply_p90_minutes)
    );
    let _ = writeln!(
        s,
        "| resolution p50 / p90, minutes | {} / {} |",
        fmt(h.resolution_p50_minutes),
        fmt(h.resolution_p90_minutes)
    );
    let _ = writeln!(s, "| SLA attainment | {} |", fmt(h.sla_attainment));
    let _ = writeln!(s, "| one-touch | {} |", fmt(h.one_touch));
    let _ = writeln!(
        s,
        "| escalation / reopen rate | {} / {} |",
        fmt(h.escalation_rate),
        fmt(h.reopen_rate)
    );
    let _ = writeln!(s, "| live abandonment | {} |", fmt(h.abandonment_rate));
    let _ = writeln!(
        s,
        "| churn rate (churned / active at the start) | {} |",
        fmt(h.churn_rate)
    );
    let _ = writeln!(s, "| churned customers | {} |", h.churned_customers);
    let _ = writeln!(s, "| monthly revenue lost to churn, USD | {:.0} |\n", h.lost_mrr_usd);
    let _ = writeln!(s, "## Hidden issues\n");
    for (i, e) in key.issues.iter().enumerate() {
        let _ = writeln!(
            s,
            "### {}. {} — from {} {} (day {})\n",
            i + 1,
            e.kind,
            e.start_date,
            e.start_time,
            e.start_day
        );
        let _ = writeln!(s, "- Touches: {}.", e.touches);
        let _ = writeln!(s, "- Mechanism: {}.", e.mechanism);
        let filter: Vec<String> = e.cut.filter.iter().map(|(k, v)| format!("{k} = {v}")).collect();
        let _ = writeln!(
            s,
            "- Where to see it: {} — {}; {}.",
            filter.join(", "),
            e.cut.kpi,
            e.cut.how
        );
        let _ = writeln!(s, "- Addressed by: {}.", e.interventions.join(", "));
        let _ = writeln!(
            s,
            "- True effect on tickets created from the start day (with the issue minus without it, same random draws):\n"
        );
        let _ = writeln!(s, "| KPI | with | without | effect |\n|---|---|---|---|");
        let (Ok(serde_json::Value::Object(w)), Ok(serde_json::Value::Object(wo))) = (
            serde_json::to_value(&e.after_start),
            serde_json::to_value(&e.without_issue),
        ) else {
            continue;
        };
        for (k, d) in &e.true_effect {
            let num = |m: &serde_json::Map<String, serde_json::Value>| {
                m.get(k)
                    .and_then(|v| v.as_f64())
                    .map_or("—".into(), |x| format!("{x:.3}"))
            };
            let _ = writeln!(s, "| {k} | {} | {} | {d:+.3} |", num(&w), num(&wo));
        }
        let _ = writeln!(s);
    }
    let _ = writeln!(s, "## True themes of the free-text comments\n");
    let _ = writeln!(
        s,
        "Every comment's theme is listed in answer_key.json (`comments`). Counts:\n"
    );
    for (table, counts) in &key.comment_theme_counts {
        let parts: Vec<String> = counts.iter().map(|(t, n)| format!("{t} {n}")).collect();
        let _ = writeln!(s, "- {table}: {}.", parts.join(", "));
    }
    let _ = writeln!(s);
    let _ = writeln!(s, "## Traps in the data\n");
    for t in &key.traps {
        let _ = writeln!(s, "- **{}**: {}.", t.name, t.evidence);
    }
    let _ = writeln!(
        s,
        "\n## How strongly interventions act in this case\n\n`score` uses these; candidates see only the catalog's ranges.\n"
    );
    for k in &key.intervention_strengths {
        let parts: Vec<String> = k
            .effects
            .iter()
            .map(|(cause, v, unit)| match unit.as_str() {
                "share" => format!("{cause}: {:.1}%", 100.0 * v),
                "x" => format!("{cause}: x{v:.2}"),
                _ => format!("{cause}: {v:+.2} {unit}"),
            })
            .collect();
        if !parts.is_empty() {
            let _ = writeln!(s, "- **{}**: {}.", k.kind, parts.join("; "));
        }
    }
    s
}
