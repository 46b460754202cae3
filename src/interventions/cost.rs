//! What a proposal's changes cost over the horizon, from the catalog's prices and the scenario's
//! hourly costs: one-off at `start_day`, running from when the change is paid (staffing from when
//! the agents start, everything else from `start_day`) to its end or the horizon's. A chatbot's
//! running cost is per contact it resolves, which only the simulation knows.

use super::catalog::*;
use super::proposal::{ChangeSpec, Value};
use crate::config::Config;

/// One change's cost, USD.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Cost {
    pub one_off_usd: f64,
    pub running_usd: f64,
}

impl Cost {
    pub fn total_usd(&self) -> f64 {
        self.one_off_usd + self.running_usd
    }
}

fn count(c: &ChangeSpec, name: &str) -> f64 {
    match c.get(name) {
        Some(Value::Count(n)) => *n as f64,
        _ => 0.0,
    }
}

/// Hours a week in the change's days and hours.
fn weekly_hours(c: &ChangeSpec) -> f64 {
    let days = match c.get("days") {
        Some(Value::Days(d)) => d.iter().filter(|&&x| x).count() as f64,
        _ => 0.0,
    };
    let hours = match c.get("hours") {
        Some(Value::Hours(a, b)) => f64::from(b - a) / 60.0,
        _ => 0.0,
    };
    days * hours
}

/// Hours a week a cut takes an agent off: the hours of the shift it cuts ([`super::cut_shift`]) on
/// the days it names that the shift works, which is what the simulation takes off.
fn cut_weekly_hours(c: &ChangeSpec, cfg: &Config) -> f64 {
    let Some(Value::Index(team)) = c.get("team") else {
        return 0.0;
    };
    let named = super::window(c);
    let Some(shift) = super::cut_shift(cfg, *team, &named) else {
        return 0.0;
    };
    let w = &cfg.teams[*team].shifts[shift].window;
    let days = (0..7).filter(|&d| named.days[d] && w.days[d]).count() as f64;
    days * f64::from(w.end_minute.saturating_sub(w.start_minute)) / 60.0
}

fn team_cost(c: &ChangeSpec, cfg: &Config) -> (f64, f64) {
    match c.get("team") {
        Some(Value::Index(t)) => {
            let team = &cfg.teams[*t];
            (
                team.hourly_cost_usd,
                team.shifts.iter().map(|s| f64::from(s.agents)).sum(),
            )
        }
        _ => (0.0, 0.0),
    }
}

/// The cost of change `c` over a horizon of `cfg.horizon_days` days; `deflected` is the number of
/// contacts it resolved in the simulation (a chatbot's price is per contact).
pub fn cost(c: &ChangeSpec, cfg: &Config, deflected: f64) -> Cost {
    let end = c.end_day.unwrap_or(cfg.horizon_days);
    let days_from = |lead: u32| f64::from(end.saturating_sub(c.start_day + lead));
    let weeks_from = |lead: u32| days_from(lead) / 7.0;
    let (hourly, team_agents) = team_cost(c, cfg);
    let agents = count(c, "agents");
    let (one_off_usd, running_usd) = match c.kind.name {
        "add_agents" => (
            HIRE_USD * agents,
            agents * weekly_hours(c) * hourly * weeks_from(c.kind.lead_days),
        ),
        "remove_agents" => (
            0.0,
            -agents * cut_weekly_hours(c, cfg) * hourly * weeks_from(c.kind.lead_days),
        ),
        "extend_hours" => (
            EXTEND_SETUP_USD,
            agents * weekly_hours(c) * hourly * (1.0 + UNSOCIAL_PREMIUM) * weeks_from(c.kind.lead_days),
        ),
        "knowledge_base" => (KB_BUILD_USD, KB_UPKEEP_USD_PER_30_DAYS * days_from(0) / 30.0),
        "chatbot" => (BOT_SETUP_USD, BOT_USD_PER_DEFLECTION * deflected),
        "training" => (
            team_agents * (TRAINING_USD_PER_AGENT + TRAINING_HOURS_PER_AGENT * hourly),
            0.0,
        ),
        "routing" => (ROUTING_USD, 0.0),
        "product_fix" => (FIX_USD, 0.0),
        "proactive_communication" => (PROACTIVE_SETUP_USD, PROACTIVE_USD_PER_30_DAYS * days_from(0) / 30.0),
        "qa_coaching" => {
            let coach = (team_agents / 12.0).ceil() * COACH_HOURS_PER_12_AGENTS_PER_WEEK * COACH_USD_PER_HOUR;
            let coached = team_agents * COACHED_HOURS_PER_AGENT_PER_WEEK * hourly;
            (0.0, (coach + coached) * weeks_from(0))
        }
        _ => (0.0, 0.0),
    };
    Cost {
        one_off_usd,
        running_usd,
    }
}
