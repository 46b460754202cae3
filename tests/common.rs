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
