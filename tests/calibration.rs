//! The default scenario reproduces the operating ranges of domain_facts.md.

use crate::common;
use supportsim::metrics;

#[test]
fn print_calibration() {
    for name in ["saas", "large"] {
        let l = common::built_in(name);
        let t0 = std::time::Instant::now();
        let sim = common::simulate(&l, 1);
        println!(
            "{name}: simulated in {:?}\n{}",
            t0.elapsed(),
            metrics::calibration_report(&sim, &l.config)
        );
    }
}
