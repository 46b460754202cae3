//! Helpers shared by the integration tests.

use supportsim::record::SimOutput;
use supportsim::scenarios::{self, Loaded};

/// A built-in scenario, loaded and validated.
pub fn built_in(name: &str) -> Loaded {
    scenarios::load(name).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Simulates a loaded scenario with `seed`.
pub fn simulate(loaded: &Loaded, seed: u64) -> SimOutput {
    supportsim::sim::simulate(&loaded.config, seed, &mut |_| {})
}

/// The TOML text of a built-in scenario.
pub fn built_in_text(name: &str) -> String {
    scenarios::BUILT_IN
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, t)| t.to_string())
        .expect("built-in")
}

/// Parses and validates scenario text, panicking with the error.
pub fn parse(text: &str) -> Loaded {
    scenarios::parse("test", "test.toml", text).unwrap_or_else(|e| panic!("{e}"))
}

/// Team keys (TOML lines) for a team whose agents are on duty all the time: no absences, breaks,
/// meetings, training, leave or turnover, as the queueing models assume.
pub const ALWAYS_ON_DUTY: &str = "absence_rate = 0.0
paid_break_minutes = 0
meeting_minutes_per_week = 0
training_hours_per_month = 0.0
leave_days_per_year = 0.0
attrition_per_year = 0.0";

/// The metrics engine's view of a simulated history (the tables `generate` writes, in memory).
pub fn case_of(sim: &SimOutput, cfg: &supportsim::config::Config) -> supportsim::kpi::Case {
    supportsim::kpi::Case::from_sim(sim, cfg).expect("case tables")
}

/// The engine's case of only the tickets `keep` keeps (for cuts the engine has no name for).
pub fn case_where(
    sim: &SimOutput,
    cfg: &supportsim::config::Config,
    keep: impl Fn(&supportsim::record::TicketRecord) -> bool,
) -> supportsim::kpi::Case {
    let subset = SimOutput {
        tickets: sim.tickets.iter().filter(|t| keep(t)).cloned().collect(),
        customers: sim.customers.clone(),
        agents: sim.agents.clone(),
        events: sim.events.clone(),
        nps: sim.nps.clone(),
        schedule: sim.schedule.clone(),
        history_secs: sim.history_secs,
        ..Default::default()
    };
    case_of(&subset, cfg)
}

/// One KPI of a case over the whole history (or days `[from, to)` of it), after filters.
pub fn kpi(
    case: &supportsim::kpi::Case,
    k: supportsim::kpi::Kpi,
    days: Option<(u64, u64)>,
    filters: &[(supportsim::kpi::Cut, &str)],
) -> supportsim::kpi::KpiValue {
    let selection = supportsim::kpi::Selection {
        from_day: days.map(|(a, _)| case.first_day + a as i32),
        to_day: days.map(|(_, b)| case.first_day + b as i32 - 1),
        filters: filters.iter().map(|(c, v)| (*c, v.to_string())).collect(),
    };
    case.compute(&[], &selection, &[k]).expect("kpi")[0].kpis[&k]
}

/// (hits, n) of a share KPI.
pub fn hits(v: supportsim::kpi::KpiValue) -> (u64, u64) {
    ((v.value.unwrap_or(0.0) * v.n as f64).round() as u64, v.n)
}

/// A case holding only the days of `cfg`'s history (all that proposal checks need of the data).
pub fn days_of(cfg: &supportsim::config::Config) -> supportsim::kpi::Case {
    let first = supportsim::kpi::epoch_day(cfg.start_date);
    supportsim::kpi::Case {
        first_day: first,
        last_day: first + cfg.history_days as i32 - 1,
        ..Default::default()
    }
}

/// The case's proposal template with every commented `[[change]]` block uncommented: one change of
/// every kind of the catalog.
pub fn every_kind_proposal(cfg: &supportsim::config::Config) -> String {
    let keys = [
        "kind",
        "team",
        "days",
        "hours",
        "agents",
        "channel",
        "category",
        "rule",
        "segment",
        "start_day",
        "end_day",
    ];
    supportsim::interventions::template(cfg)
        .lines()
        .map(|l| {
            l.strip_prefix("# ")
                .filter(|r| r.starts_with("[[change]]") || keys.contains(&r.split(" = ").next().unwrap_or("")))
                .unwrap_or(l)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Runs the supportsim binary with `args` in `dir`.
pub fn run_in(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_supportsim"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run")
}
