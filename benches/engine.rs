//! The simulation core on whole histories (no output): `saas` (~39,000 tickets), `large` (~1.15
//! million tickets) and the M/M/10 scenarios of the SimPy peer comparison (~1 million customers).
//! Throughput is reported in tickets per second; the core runs on one thread.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use supportsim::scenarios;

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("simulate");
    g.sample_size(10);
    for name in ["saas", "large", "benches/mmc.toml", "benches/mmc_abandon.toml"] {
        let loaded = scenarios::load(name).expect("built-in scenario");
        let tickets = supportsim::sim::simulate(&loaded.config, 1, &mut |_| {}).tickets.len() as u64;
        g.throughput(Throughput::Elements(tickets));
        let label = name.trim_start_matches("benches/").trim_end_matches(".toml");
        g.bench_function(label, |b| {
            b.iter(|| black_box(supportsim::sim::simulate(&loaded.config, 1, &mut |_| {})))
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
