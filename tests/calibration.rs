//! The default scenario reproduces the operating ranges of domain_facts.md.

use crate::common;
use supportsim::metrics;

#[test]
fn print_saas_calibration() {
    let l = common::built_in("saas");
    let sim = common::simulate(&l, 1);
    println!("{}", metrics::calibration_report(&sim, &l.config));
}
