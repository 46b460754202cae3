//! Interventions: the catalog of changes a proposal may make ([`catalog`]), proposal files
//! ([`proposal`]), and how both read for people: the catalog as a table or JSON, and a commented
//! starting proposal for a case. Pure: the commands read and write the files.

pub mod catalog;
pub mod cost;
pub mod proposal;
pub mod targets;

use std::fmt::Write as _;

use crate::config::Config;
use catalog::{KINDS, Kind, ParamKind};

/// A parameter's type in words.
fn takes(kind: ParamKind) -> String {
    match kind {
        ParamKind::Team => "team name".into(),
        ParamKind::LiveChannel => "live channel name".into(),
        ParamKind::Category => "category name".into(),
        ParamKind::Segment => "segment name".into(),
        ParamKind::Days => "days, e.g. Mon-Fri".into(),
        ParamKind::Hours => "hours, e.g. 08:00-20:00".into(),
        ParamKind::Count { min, max } => format!("whole number {min} to {max}"),
        ParamKind::Choice { values } => values.join(" | "),
        ParamKind::HorizonDay => "day of the horizon".into(),
    }
}

/// How an effect range reads: "x0.70 to x0.90", "2% to 8%", "+0.10 to +0.30 log-odds".
fn range(e: &catalog::EffectRange) -> String {
    match e.unit {
        "" => String::new(),
        "share" => format!("{:.0}% to {:.0}%", 100.0 * e.low, 100.0 * e.high),
        "log-odds" => format!("{:+.2} to {:+.2} log-odds", e.low, e.high),
        _ if e.low == e.high => format!("x{:.2}", e.low),
        _ => format!("x{:.2} to x{:.2}", e.low, e.high),
    }
}

/// One kind in words, for the catalog and the brief.
pub fn describe(k: &Kind) -> String {
    let mut s = format!("{}: {}\n", k.name, k.summary);
    for p in k.params {
        let need = if p.required { "required" } else { "optional" };
        let _ = writeln!(s, "  {:<10} {} ({need}): {}", p.name, takes(p.kind), p.doc);
    }
    let _ = writeln!(
        s,
        "  acts {} days after start_day{}",
        k.lead_days,
        if k.ramp_days > 0 {
            format!(", at full strength {} days later", k.ramp_days)
        } else {
            String::new()
        }
    );
    let _ = writeln!(s, "  one-off: {}; running: {}", k.one_off, k.running);
    for e in k.effects {
        match range(e).as_str() {
            "" => writeln!(s, "  effect: {}", e.cause),
            r => writeln!(s, "  effect: {}: {r}", e.cause),
        }
        .ok();
    }
    let _ = writeln!(s, "  source: {}", k.source);
    s
}

/// The catalog for people: every kind with its parameters, timing, prices and effect ranges.
pub fn catalog_text() -> String {
    let mut s = String::from(
        "Interventions a proposal's [[change]] may name (kind = \"...\"). Effects act on causes; the exact\n\
         strength of each kind in a case is drawn inside its range and kept in the answer key.\n\n",
    );
    for k in &KINDS {
        s += &describe(k);
        s.push('\n');
    }
    s
}

/// The catalog as one JSON object.
pub fn catalog_json() -> serde_json::Value {
    serde_json::json!({ "kinds": KINDS })
}

/// A commented starting proposal for the case with scenario `cfg`: valid as it stands, with one
/// commented block per kind, named after the case's own teams, channels and categories.
pub fn template(cfg: &Config) -> String {
    let team = cfg.teams.first().map_or("", |t| t.name.as_str());
    let category = cfg.categories.first().map_or("", |c| c.name.as_str());
    let segment = cfg.segments.first().map_or("", |c| c.name.as_str());
    let live = cfg.channels.iter().find(|c| c.live);
    let live_name = live.map_or("", |c| c.name.as_str());
    let live_team = live
        .and_then(|_| {
            let ch = cfg.channels.iter().position(|c| c.live)?;
            cfg.teams.iter().find(|t| t.channels.contains(&ch))
        })
        .map_or(team, |t| t.name.as_str());
    let names = |v: Vec<&str>| v.join(", ");
    let (shift_days, shift_hours) = cfg.teams.first().and_then(|t| t.shifts.first()).map_or(
        ("Mon-Fri".to_string(), "09:00-17:00".to_string()),
        |sh| {
            (
                window_days(&sh.window.days),
                window_hours(sh.window.start_minute, sh.window.end_minute),
            )
        },
    );
    let mut s = format!(
        "# A proposal for {company}: what you would change, and how you would know it worked.\n\
         # Score it with: supportsim score --case <case folder> --proposal proposal.toml\n\
         #\n\
         # Days count from the first day after the history (day 0) to the end of the horizon ({horizon} days).\n\
         # A change is decided and paid from start_day (default 0), acts after its lead time, and runs to\n\
         # the end of the horizon unless it has an end_day. The budget (${budget:.0}) covers new spending\n\
         # over the horizon: one-off and running costs of your changes (removing agents saves money);\n\
         # the roster you have today is already paid for. `supportsim interventions` lists every kind\n\
         # with its parameters, prices and effect ranges.\n\
         #\n\
         # teams: {teams}\n\
         # live channels: {lives}\n\
         # categories: {categories}\n\
         # segments: {segments}\n\n\
         [candidate]\n\
         name = \"Your Name\"\n\n",
        company = cfg.company,
        horizon = cfg.horizon_days,
        budget = cfg.budget_usd,
        teams = names(cfg.teams.iter().map(|t| t.name.as_str()).collect()),
        lives = names(
            cfg.channels
                .iter()
                .filter(|c| c.live)
                .map(|c| c.name.as_str())
                .collect()
        ),
        categories = names(cfg.categories.iter().map(|c| c.name.as_str()).collect()),
        segments = names(cfg.segments.iter().map(|c| c.name.as_str()).collect()),
    );
    s += &format!(
        "[[change]]\nkind = \"add_agents\"\nteam = \"{live_team}\"\ndays = \"Mon-Fri\"\nhours = \"09:00-17:00\"\nagents = 2\nstart_day = 0\n\n"
    );
    let blocks = [
        format!(
            "kind = \"remove_agents\"\nteam = \"{team}\"\ndays = \"{shift_days}\"\nhours = \"{shift_hours}\"\nagents = 1"
        ),
        format!(
            "kind = \"extend_hours\"\nchannel = \"{live_name}\"\nteam = \"{live_team}\"\ndays = \"Sat\"\nhours = \"10:00-16:00\"\nagents = 2"
        ),
        format!("kind = \"knowledge_base\"\ncategory = \"{category}\""),
        format!("kind = \"chatbot\"\nchannel = \"{live_name}\""),
        format!("kind = \"training\"\nteam = \"{team}\"\ncategory = \"{category}\""),
        format!("kind = \"routing\"\nrule = \"segment_priority\"\nsegment = \"{segment}\""),
        format!("kind = \"product_fix\"\ncategory = \"{category}\""),
        format!("kind = \"proactive_communication\"\ncategory = \"{category}\""),
        format!("kind = \"qa_coaching\"\nteam = \"{team}\"\nstart_day = 7\nend_day = 60"),
    ];
    for b in blocks {
        s += "# [[change]]\n";
        for line in b.lines() {
            s += &format!("# {line}\n");
        }
        s.push('\n');
    }
    s += &format!(
        "# Success metrics: a KPI of the metrics engine (supportsim metrics --kpi list), optionally cut with\n\
         # where = {{ ... }} (keys: channel, category, segment, priority, team, weekday, hour), the value you\n\
         # measured in the history, the target, and the day of the horizon by which it is reached.\n\
         [[metric]]\nkpi = \"csat\"\nwhere = {{ channel = \"{live_name}\" }}\nbaseline = 0.80\ntarget = 0.85\nby_day = 60\n\n\
         # Findings: numbers from your analysis of the history. period is a month (2026-02), an ISO week\n\
         # (2026-W07), a day (2026-02-16), a range (2026-02-01..2026-03-15) or \"whole history\".\n\
         [[finding]]\nkpi = \"first_reply_p90\"\nwhere = {{ channel = \"{live_name}\" }}\nperiod = \"whole history\"\nvalue = 12.5\n"
    );
    s
}

/// The days and hours a staffing change names (every day, all day, where it names none).
pub fn window(c: &proposal::ChangeSpec) -> crate::config::WeeklyWindow {
    let days = match c.get("days") {
        Some(proposal::Value::Days(d)) => *d,
        _ => [true; 7],
    };
    let (start_minute, end_minute) = match c.get("hours") {
        Some(proposal::Value::Hours(a, b)) => (*a, *b),
        _ => (0, 1440),
    };
    crate::config::WeeklyWindow {
        days,
        start_minute,
        end_minute,
    }
}

/// The shift of `team` a cut in `w` takes agents off: the one that works most of `w`'s minutes
/// of the week, if any works some.
pub fn cut_shift(cfg: &Config, team: usize, w: &crate::config::WeeklyWindow) -> Option<usize> {
    let shifts = &cfg.teams[team].shifts;
    let overlap = |s: &crate::config::Shift| (0..7 * 1440).filter(|&m| w.covers(m) && s.window.covers(m)).count();
    (0..shifts.len())
        .map(|k| (overlap(&shifts[k]), k))
        .filter(|&(n, _)| n > 0)
        .max_by_key(|&(n, k)| (n, std::cmp::Reverse(k)))
        .map(|(_, k)| k)
}

/// Days of the week as a proposal writes them: `Mon,Tue,Wed`.
pub fn window_days(days: &[bool; 7]) -> String {
    let on: Vec<&str> = crate::config::WEEKDAYS
        .iter()
        .zip(days)
        .filter(|(_, on)| **on)
        .map(|(d, _)| *d)
        .collect();
    on.join(",")
}

/// Hours of the day as a proposal writes them: `07:30-16:00`.
pub fn window_hours(start_minute: u32, end_minute: u32) -> String {
    let clock = |m: u32| format!("{:02}:{:02}", (m % 1440) / 60, m % 60);
    format!("{}-{}", clock(start_minute), clock(end_minute))
}

/// The catalog for the candidate's brief, in Markdown: how changes are timed and paid, then every
/// kind with its parameters, timing, prices and effect ranges, priced with the case's own teams.
pub fn brief_section(cfg: &Config) -> String {
    let mut s = format!(
        "### Interventions, prices and rules\n\n\
         - **Days.** `start_day` and `by_day` count days of the horizon: day 0 is the first day after the \
         history, and the horizon has {horizon} days (0 to {last}). A change is decided and paid from \
         `start_day` (default 0), acts after its lead time, and runs to the end of the horizon unless it has \
         an `end_day`.\n\
         - **Budget.** ${budget:.0} of new spending over the horizon: the one-off and running costs of your \
         changes, added agents included. The roster you have today is already paid for; removing agents \
         saves its cost.\n\
         - **Agent-hours.** An added agent-hour costs the team's hourly cost: {rates}.\n\
         - **`where`** keys: channel, category, segment, priority, team, weekday, hour.\n\
         - **`period`** (findings): a month (`2026-02`), an ISO week (`2026-W07`), a day (`2026-02-16`), a \
         range (`2026-02-01..2026-03-15`, both ends included) or `whole history`.\n\
         - `supportsim interventions` prints this catalog; `supportsim proposal template --case <folder>` \
         writes a starting proposal and `supportsim proposal check` checks one.\n\n",
        horizon = cfg.horizon_days,
        last = cfg.horizon_days.saturating_sub(1),
        budget = cfg.budget_usd,
        rates = cfg
            .teams
            .iter()
            .map(|t| format!("`{}` ${:.0}", t.name, t.hourly_cost_usd))
            .collect::<Vec<_>>()
            .join(", "),
    );
    for k in &KINDS {
        let params: Vec<String> = k
            .params
            .iter()
            .filter(|p| !matches!(p.name, "start_day" | "end_day"))
            .map(|p| {
                let opt = if p.required { "" } else { ", optional" };
                format!("`{}` ({}{opt})", p.name, takes(p.kind))
            })
            .collect();
        let _ = writeln!(
            s,
            "- **`{}`**: {}. Parameters: {}.",
            k.name,
            k.summary,
            params.join(", ")
        );
        let ramp = if k.ramp_days > 0 {
            format!(", full strength {} days later", k.ramp_days)
        } else {
            String::new()
        };
        let _ = writeln!(
            s,
            "  Acts {} days after `start_day`{ramp}. One-off: {}. Running: {}.",
            k.lead_days, k.one_off, k.running
        );
        let effects: Vec<String> = k
            .effects
            .iter()
            .map(|e| match range(e).as_str() {
                "" => e.cause.to_string(),
                r => format!("{} {r}", e.cause),
            })
            .collect();
        let _ = writeln!(s, "  Effect: {}.", effects.join("; "));
    }
    s
}
