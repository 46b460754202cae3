//! The simulation core on whole histories (no output): `saas` (~39,000 tickets) and `large`
//! (~1.25 million tickets). Throughput is reported in tickets per second; the core runs on one thread.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use supportsim::scenarios;

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("simulate");
    g.sample_size(10);
    for name in ["saas", "large"] {
        let loaded = scenarios::load(name).expect("built-in scenario");
        let tickets = supportsim::sim::simulate(&loaded.config, 1, &mut |_| {}).tickets.len() as u64;
        g.throughput(Throughput::Elements(tickets));
        g.bench_function(name, |b| {
            b.iter(|| black_box(supportsim::sim::simulate(&loaded.config, 1, &mut |_| {})))
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
