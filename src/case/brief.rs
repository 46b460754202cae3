//! brief.md: the candidate's prompt. It tells the company's story and the situation as management
//! sees it (a few top-line numbers, no causes), lists the data, sets the 3-hour task with its four
//! deliverables and the budget, and explains how to write a proposal. It never names or describes a
//! hidden issue or a trap: a test checks that.

use std::fmt::Write;

use crate::case::answer_key::{Headline, headline};
use crate::config::{Config, DAY_SECS};
use crate::record::SimOutput;
use crate::scenario::BusinessModel;

fn pct(x: Option<f64>) -> String {
    x.map_or("n/a".into(), |v| format!("{:.0}%", v * 100.0))
}

fn hours(x: Option<f64>) -> String {
    x.map_or("n/a".into(), |v| format!("{:.1} hours", v / 60.0))
}

fn weekly(h: &Headline, days: u64) -> f64 {
    h.tickets as f64 * 7.0 / days as f64
}

/// `12,345`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `$4.9M`, `$312k`, `$950`.
fn money(usd: f64) -> String {
    if usd >= 1e6 {
        format!("${:.1}M", usd / 1e6)
    } else if usd >= 1e4 {
        format!("${:.0}k", usd / 1e3)
    } else {
        format!("${usd:.0}")
    }
}

/// The company in numbers at the end of the period, computed from the data the candidate gets, so
/// that the story and the tables agree.
fn at_a_glance(s: &mut String, cfg: &Config, sim: &SimOutput) {
    let end = sim.history_secs as i64;
    let current: Vec<_> = sim
        .customers
        .iter()
        .filter(|c| c.signup_secs < end && c.churned_secs.is_none())
        .collect();
    let by_segment: Vec<String> = cfg
        .segments
        .iter()
        .enumerate()
        .map(|(i, seg)| {
            let n = current.iter().filter(|c| c.segment as usize == i).count() as u64;
            format!("{} {}", thousands(n), seg.name)
        })
        .collect();
    let revenue: f64 = current.iter().map(|c| c.mrr_usd).sum();
    let revenue_label = match cfg.business_model {
        BusinessModel::Subscription => "monthly recurring revenue",
        BusinessModel::Retail => "customers' monthly spend",
        BusinessModel::Banking => "monthly revenue (plan fees and card interchange)",
    };
    let teams: Vec<String> = cfg
        .teams
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let n = sim.agents.iter().filter(|a| a.team as usize == i).count();
            format!("{n} in `{}` (tier {})", t.name, t.tier)
        })
        .collect();
    let days = (sim.history_secs / DAY_SECS).max(1);
    let _ = writeln!(s, "## At a glance\n");
    let _ = writeln!(s, "| | at the end of the period |\n|---|---|");
    let _ = writeln!(
        s,
        "| customers | {} ({}) |",
        thousands(current.len() as u64),
        by_segment.join(", ")
    );
    let _ = writeln!(s, "| {revenue_label} | {} |", money(revenue));
    let _ = writeln!(
        s,
        "| support agents on the roster during the period | {} ({}) |",
        sim.agents.len(),
        teams.join(", ")
    );
    let _ = writeln!(
        s,
        "| tickets per week, on average over the period | {} |\n",
        thousands((sim.tickets.len() as u64 * 7).div_ceil(days))
    );
}

/// Renders the brief for a simulated history.
pub fn brief(cfg: &Config, sim: &SimOutput) -> String {
    let mut s = String::new();
    let end = sim.history_secs;
    let days = end / DAY_SECS;
    let window = 28.min(days / 2);
    let case = crate::kpi::Case::from_sim(sim, cfg).expect("the case tables of a simulated history build");
    let first = headline(&case, sim, 0, window * DAY_SECS);
    let last = headline(&case, sim, end - window * DAY_SECS, end);
    let last_day = cfg.start_date + chrono::Days::new(days.saturating_sub(1));
    let channels: Vec<&str> = cfg.channels.iter().map(|c| c.name.as_str()).collect();
    let _ = writeln!(s, "# Customer feedback analysis — {}\n", cfg.company);
    let _ = writeln!(
        s,
        "## The company\n\n{} — {}.\n\n{}\n",
        cfg.company,
        cfg.industry,
        cfg.context.trim()
    );
    at_a_glance(&mut s, cfg, sim);
    let _ = writeln!(s, "## The situation\n");
    let _ = writeln!(
        s,
        "What leadership sees on its dashboard, comparing the first four weeks of the data with the last four:\n"
    );
    let _ = writeln!(s, "| | first 4 weeks | last 4 weeks |\n|---|---|---|");
    let _ = writeln!(
        s,
        "| tickets per week | {:.0} | {:.0} |",
        weekly(&first, window),
        weekly(&last, window)
    );
    let _ = writeln!(
        s,
        "| CSAT (share of 4-5 ratings) | {} | {} |",
        pct(first.csat),
        pct(last.csat)
    );
    let _ = writeln!(
        s,
        "| first reply, 90th percentile | {} | {} |",
        hours(first.first_reply_p90_minutes),
        hours(last.first_reply_p90_minutes)
    );
    let _ = writeln!(
        s,
        "\nOpinions differ on why and on what to do. You have the export of the help desk, the survey results, \
the customer list, the agents and the staffing schedule, and three hours.\n"
    );
    let _ = writeln!(s, "## The data\n");
    let _ = writeln!(
        s,
        "The export covers {} to {} ({days} days) and the channels {}. Files are in `data/` as CSV and Parquet; \
`data_dictionary.md` describes every table, column and KPI definition.\n",
        cfg.start_date,
        last_day,
        channels.join(", ")
    );
    for (file, what) in [
        ("tickets", "one row per ticket, with times, outcome and CSAT answer"),
        ("ticket_events", "the event log of every ticket"),
        ("nps_responses", "the monthly relationship NPS survey, answered or not"),
        (
            "customers",
            "customer accounts with segment, region, revenue and churn date",
        ),
        (
            "agents",
            "support agents with team, tier, hire and leaving dates and shift",
        ),
        ("schedule", "scheduled agents per team and half hour"),
    ] {
        let _ = writeln!(s, "- `data/{file}`: {what}.");
    }
    let _ = writeln!(s, "\n## Your task (3 hours)\n");
    let _ = writeln!(s, "Prepare four deliverables for the leadership team:\n");
    let _ = writeln!(
        s,
        "1. **Analysis report**: what is happening in support and why, with the numbers behind each finding, \
their sample sizes and how confident you are.\n\
2. **Recommendations for service improvement**: what to change, in priority order, each tied to the \
findings it addresses and sized in customers, money or time.\n\
3. **Implementation plan**: who does what and when over the next {} days, with costs and risks.\n\
4. **Success metrics**: for each recommendation, the KPI, its baseline as you measured it, the target and \
the date by which it should be reached.\n",
        cfg.horizon_days
    );
    let _ = writeln!(
        s,
        "The budget for changes over the next {} days is **${:.0}** of new spending: the costs of your changes, \
added agents included (the roster you have today is already paid for). Finance counts a lost customer \
as **{} months** of its revenue (its expected remaining lifetime times the margin): a change pays for \
itself when the customers it keeps, counted that way, are worth more than it costs.\n",
        cfg.horizon_days, cfg.budget_usd, cfg.customer_value_months
    );
    let _ = writeln!(s, "## Writing your proposal\n");
    let _ = writeln!(
        s,
        "Besides your report, write your recommendations and success metrics as a TOML proposal so they can \
be tested against what would really have happened:\n"
    );
    let first_team = cfg.teams.first().map_or("", |t| t.name.as_str());
    let first_category = cfg.categories.first().map_or("", |c| c.name.as_str());
    let live = cfg
        .channels
        .iter()
        .find(|c| c.live)
        .or(cfg.channels.first())
        .map_or("", |c| c.name.as_str());
    let _ = writeln!(
        s,
        "```toml\n[candidate]\nname = \"Your Name\"\n\n[[change]]\nkind = \"add_agents\"\nteam = \"{first_team}\"\n\
days = \"Mon-Fri\"\nhours = \"09:00-17:00\"\nagents = 2\nstart_day = 14\n\n[[change]]\nkind = \"knowledge_base\"\n\
category = \"{first_category}\"\n\n[[metric]]\nkpi = \"csat\"\nwhere = {{ channel = \"{live}\" }}\nbaseline = 0.80\n\
target = 0.85\nby_day = 60\n\n[[finding]]\nkpi = \"first_reply_p90\"\nwhere = {{ channel = \"{live}\" }}\n\
period = \"whole history\"\nvalue = 12.5\n```\n"
    );
    let _ = writeln!(
        s,
        "Each `[[change]]` is one intervention (adding or moving agents, opening hours, self-service content, \
a chatbot, training, routing, a product fix, proactive communication, quality coaching) with its \
parameters and the day it starts; each `[[metric]]` is a success metric with its baseline, target and \
deadline; each `[[finding]]` is a number from your analysis. Your proposal is assessed by re-running the \
same operation with your changes: on the outcomes it achieves against its cost, on whether it addresses \
the real causes, on whether your baselines and findings match the data, and on whether your targets are \
reached and realistic.\n"
    );
    s += &crate::interventions::brief_section(cfg);
    s
}
