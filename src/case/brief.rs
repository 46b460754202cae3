//! brief.md: the candidate's prompt. It tells the company's story and the situation as management
//! sees it (a few top-line numbers, no causes), lists the data, sets the 3-hour task with its four
//! deliverables and the budget, and explains how to write a proposal. It never names or describes a
//! hidden issue or a trap: a test checks that.

use std::fmt::Write;

use crate::case::answer_key::{Headline, headline};
use crate::config::{Config, DAY_SECS};
use crate::record::SimOutput;

fn pct(x: Option<f64>) -> String {
    x.map_or("n/a".into(), |v| format!("{:.0}%", v * 100.0))
}

fn hours(x: Option<f64>) -> String {
    x.map_or("n/a".into(), |v| format!("{:.1} hours", v / 60.0))
}

fn weekly(h: &Headline, days: u64) -> f64 {
    h.tickets as f64 * 7.0 / days as f64
}

/// Renders the brief for a simulated history.
pub fn brief(cfg: &Config, sim: &SimOutput) -> String {
    let mut s = String::new();
    let end = sim.history_secs;
    let days = end / DAY_SECS;
    let window = 28.min(days / 2);
    let first = headline(sim, cfg, 0, window * DAY_SECS);
    let last = headline(sim, cfg, end - window * DAY_SECS, end);
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
        ("agents", "support agents with team, tier, hire date and shift"),
        ("schedule", "rostered agents per team and hour"),
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
        "The budget for changes over the next {} days is **${:.0}**. Staffing costs count against it.\n",
        cfg.horizon_days, cfg.budget_usd
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
reached and realistic."
    );
    s
}
