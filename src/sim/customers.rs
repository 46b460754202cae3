//! The customer base: who exists on each day, in which segment and region, and how a ticket picks
//! its customer.

use rand::Rng;
use rand_distr::{Distribution, Poisson};

use crate::config::{Config, DAY_SECS};
use crate::record::CustomerRecord;
use crate::rng::{Seeds, Stream};
use crate::sim::pick_cumulative;

/// Days of a month, for monthly rates.
pub const DAYS_PER_MONTH: f64 = 365.25 / 12.0;

/// Customers, sorted by signup time, with per-segment lists for picking.
pub struct CustomerBase {
    pub records: Vec<CustomerRecord>,
    /// Per segment: customer indices in signup order.
    by_segment: Vec<Vec<u32>>,
    /// Per segment: signup instants in order (seconds from the start of the history, negative
    /// before), contiguous so that finding the active customers is a cache-friendly binary search.
    signups_by_segment: Vec<Vec<i64>>,
}

fn cumulative(shares: impl Iterator<Item = f64>) -> Vec<f64> {
    let mut acc = 0.0;
    let mut v: Vec<f64> = shares
        .map(|s| {
            acc += s;
            acc
        })
        .collect();
    if let Some(last) = v.last_mut() {
        *last = f64::INFINITY;
    }
    v
}

impl CustomerBase {
    /// The initial base plus signups over `days` days of history (growth compounds monthly).
    pub fn generate(cfg: &Config, seeds: &Seeds, days: u32) -> Self {
        let seg_cum = cumulative(cfg.segments.iter().map(|s| s.share));
        let reg_cum = cumulative(cfg.regions.iter().map(|r| r.share));
        let mut rng = seeds.stream(Stream::Customers, 0);
        let mut people: Vec<(i64, CustomerRecord)> = Vec::new();
        let make = |rng: &mut crate::rng::StreamRng, signup_secs: i64| {
            let segment = pick_cumulative(&seg_cum, rng.random::<f64>());
            let region = pick_cumulative(&reg_cum, rng.random::<f64>());
            // Revenue varies around the segment's median (lognormal, sigma 0.5).
            let z: f64 = rand_distr::StandardNormal.sample(rng);
            let mrr = cfg.segments[segment].mrr_usd * (0.5 * z).exp();
            (
                signup_secs,
                CustomerRecord {
                    segment: segment as u8,
                    region: region as u8,
                    signup_day: signup_secs.div_euclid(DAY_SECS as i64),
                    mrr_usd: (mrr * 100.0).round() / 100.0,
                    churned_secs: None,
                },
            )
        };
        // The existing base signed up over the three years before the history (and before warm-up).
        let warmup_secs = i64::from(cfg.warmup_days) * DAY_SECS as i64;
        let span = 3 * 365 * DAY_SECS as i64;
        for _ in 0..cfg.customers_initial {
            let signup = -warmup_secs - 1 - (rng.random::<f64>() * span as f64) as i64;
            people.push(make(&mut rng, signup));
        }
        let g = (1.0 + cfg.growth_per_month).ln() / DAYS_PER_MONTH;
        let n0 = f64::from(cfg.customers_initial);
        for day in 0..i64::from(days) {
            let expected = n0 * ((g * (day + 1) as f64).exp() - (g * day as f64).exp());
            let count = if expected > 0.0 {
                Poisson::new(expected).map(|p| p.sample(&mut rng) as u64).unwrap_or(0)
            } else {
                0
            };
            for _ in 0..count {
                let at = day * DAY_SECS as i64 + (rng.random::<f64>() * DAY_SECS as f64) as i64;
                people.push(make(&mut rng, at));
            }
        }
        // By signup time, ties in order of generation: sorting small (time, index) pairs is the
        // same order as a stable sort of the records and moves far less memory.
        let mut order: Vec<(i64, u32)> = people.iter().enumerate().map(|(i, (t, _))| (*t, i as u32)).collect();
        order.sort_unstable();
        let mut by_segment = vec![Vec::new(); cfg.segments.len()];
        let mut signups_by_segment = vec![Vec::new(); cfg.segments.len()];
        let mut records = Vec::with_capacity(people.len());
        for (i, &(t, from)) in order.iter().enumerate() {
            let r = &people[from as usize].1;
            by_segment[r.segment as usize].push(i as u32);
            signups_by_segment[r.segment as usize].push(t);
            records.push(r.clone());
        }
        Self {
            records,
            by_segment,
            signups_by_segment,
        }
    }

    /// Customers of `segment` who had signed up by `at_secs`.
    pub fn active_in_segment(&self, segment: usize, at_secs: i64) -> usize {
        self.signups_by_segment[segment].partition_point(|&t| t <= at_secs)
    }

    /// The number of customers of `segment` signed up by `at_secs`, moving forward from `known`, a
    /// count for an earlier time (arrivals come in time order, so this is amortised O(1)).
    pub fn advance_active(&self, segment: usize, known: usize, at_secs: i64) -> usize {
        let signups = &self.signups_by_segment[segment];
        let mut n = known;
        while n < signups.len() && signups[n] <= at_secs {
            n += 1;
        }
        n
    }

    /// Customers of `segment` signed up by `at_secs`, in signup order.
    pub fn signed_up(&self, segment: usize, at_secs: i64) -> &[u32] {
        &self.by_segment[segment][..self.active_in_segment(segment, at_secs)]
    }

    /// One of the first `active` customers of `segment` (in signup order), from a uniform `u`.
    pub fn customer_at(&self, segment: usize, active: usize, u: f64) -> Option<u32> {
        (active > 0).then(|| self.by_segment[segment][((u * active as f64) as usize).min(active - 1)])
    }
}
