//! The event queue alone: schedule and pop a stream of events the way the engine does (a working set
//! of pending events, each pop scheduling one later event).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use supportsim::sim::queue::EventQueue;

fn hold_model(pending: usize, ops: u64) -> u64 {
    let mut q = EventQueue::new();
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let next = |x: &mut u64| {
        *x ^= *x << 13;
        *x ^= *x >> 7;
        *x ^= *x << 17;
        *x % 3600
    };
    for i in 0..pending {
        q.schedule(next(&mut x), i as u32);
    }
    let mut sum = 0u64;
    for _ in 0..ops {
        let (t, e) = q.pop().expect("non-empty");
        sum = sum.wrapping_add(u64::from(e));
        q.schedule(t + 1 + next(&mut x), e);
    }
    sum
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("event_queue");
    let ops = 1_000_000;
    g.throughput(Throughput::Elements(ops));
    for pending in [100usize, 10_000, 100_000] {
        g.bench_function(format!("hold_{pending}_pending"), |b| {
            b.iter(|| black_box(hold_model(pending, ops)))
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
