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
