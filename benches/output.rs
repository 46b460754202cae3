//! Writing the two large tables of the `saas` case: building the polars frames, CSV, and Parquet.

use criterion::{Criterion, criterion_group, criterion_main};
use supportsim::output::{tables, write_csv, write_parquet};
use supportsim::scenarios;

fn bench(c: &mut Criterion) {
    let loaded = scenarios::load("saas").expect("built-in scenario");
    let sim = supportsim::sim::simulate(&loaded.config, 1, &mut |_| {});
    let cal = tables::Calendar::new(loaded.config.start_date);
    let dir = tempfile::tempdir().expect("tempdir");
    let mut g = c.benchmark_group("output");
    g.sample_size(10);
    g.bench_function("build_tickets_frame", |b| {
        b.iter(|| tables::tickets(&sim, &loaded.config, &cal).expect("frame"))
    });
    g.bench_function("build_events_frame", |b| {
        b.iter(|| tables::ticket_events(&sim.events, &sim.agents, &loaded.config, &cal).expect("frame"))
    });
    let mut tickets = tables::tickets(&sim, &loaded.config, &cal).expect("frame");
    let mut events = tables::ticket_events(&sim.events, &sim.agents, &loaded.config, &cal).expect("frame");
    g.bench_function("tickets_parquet", |b| {
        b.iter(|| write_parquet(&mut tickets, &dir.path().join("t.parquet")).expect("write"))
    });
    g.bench_function("events_parquet", |b| {
        b.iter(|| write_parquet(&mut events, &dir.path().join("e.parquet")).expect("write"))
    });
    g.bench_function("tickets_csv", |b| {
        b.iter(|| write_csv(&tickets, &dir.path().join("t.csv")).expect("write"))
    });
    g.bench_function("events_csv", |b| {
        b.iter(|| write_csv(&events, &dir.path().join("e.csv")).expect("write"))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
