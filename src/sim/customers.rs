//! The customer base: who exists on each day, in which segment and region, what each pays, how prone
//! each is to contact support, and how a ticket picks its customer.
//!
//! Customers differ: each carries a contact-rate multiplier drawn from a gamma distribution with mean
//! 1 (`customers.contact_dispersion` is its coefficient of variation), so a minority sends most
//! tickets, and a lasting sentiment (a standard normal) that moves their NPS answers and churn. The
//! customers of the first warm-up day signed up over `customers.signups_since_years` years with the
//! age mix a growing business that loses customers keeps (recent cohorts larger, old ones thinned by
//! churn); later signups continue that curve day by day (so `growth_per_month` is the base's net
//! growth), on the weekday and hour profile.

use rand::Rng;
use rand_distr::{Distribution, Gamma, Poisson, StandardNormal};

use crate::config::{Config, DAY_SECS};
use crate::record::CustomerRecord;
use crate::rng::{Seeds, Stream};
use crate::sim::pick_cumulative;

/// Days of a month, for monthly rates.
pub const DAYS_PER_MONTH: f64 = 365.25 / 12.0;
/// Seconds of a month, for monthly rates.
pub const MONTH_SECS: f64 = DAYS_PER_MONTH * DAY_SECS as f64;
/// Seconds of a year (the end of a customer's first year).
pub const YEAR_SECS: f64 = 365.25 * DAY_SECS as f64;

/// Customers, sorted by signup time, with per-segment lists for picking.
pub struct CustomerBase {
    pub records: Vec<CustomerRecord>,
    /// Per segment: customer indices in signup order.
    by_segment: Vec<Vec<u32>>,
    /// Per segment: signup instants in order (seconds from the start of the history, negative
    /// before), contiguous so that finding the active customers is a cache-friendly binary search.
    signups_by_segment: Vec<Vec<i64>>,
    /// Per segment: running sums of the contact-rate multipliers in signup order, so that a ticket
    /// picks among the customers signed up so far in proportion to their multipliers.
    weight_sums: Vec<Vec<f64>>,
    /// Per segment: a guide table over `weight_sums` (Chen and Asau's method for inversion by
    /// table lookup): entry `b` is the first position whose running sum exceeds `b` bucket widths,
    /// with as many buckets as customers, so a pick starts next to its answer and a search touches
    /// a cache line or two instead of a binary search's twenty.
    guides: Vec<Vec<u32>>,
    /// Per segment: the width of a guide bucket, in contact-rate weight.
    bucket_width: Vec<f64>,
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

/// Monthly churn probability as a hazard per second.
pub fn monthly_to_rate(p: f64) -> f64 {
    -(1.0 - p.min(0.999_999)).ln() / MONTH_SECS
}

/// Draws the age (seconds before the first warm-up day) of a customer of the first day: density
/// proportional to exp(-growth × age) (older cohorts were smaller) × the survival of the segment's
/// churn with its tenure factors, on [0, span], by exact inversion of the piecewise exponential
/// density. The pieces are computed once per segment.
struct AgeSampler {
    /// Per piece: its start, length, decay rate, density at its start and probability mass.
    pieces: [(f64, f64, f64, f64, f64); 3],
    total: f64,
    /// The density at the oldest age, relative to that at age 0.
    end_density: f64,
}

impl AgeSampler {
    fn new(cfg: &Config, churn_rate: f64, span: f64) -> Self {
        let growth = (1.0 + cfg.growth_per_month).ln() / MONTH_SECS;
        let c = &cfg.churn;
        let first = c.new_customer_secs.min(span);
        let bounds = [0.0, first, YEAR_SECS.clamp(first, span), span];
        let factors = [c.new_customer_factor, c.first_year_factor, 1.0];
        // Piece j: density d_j exp(-k_j (a - bounds[j])), continuous across pieces.
        let mut density = 1.0;
        let mut pieces = [(0.0, 0.0, 0.0, 0.0, 0.0); 3];
        let mut total = 0.0;
        for j in 0..3 {
            let k = growth + churn_rate * factors[j];
            let len = bounds[j + 1] - bounds[j];
            let mass = if k * len < 1e-12 {
                density * len
            } else {
                density * (1.0 - (-k * len).exp()) / k
            };
            pieces[j] = (bounds[j], len, k, density, mass);
            total += mass;
            density *= (-k * len).exp();
        }
        Self {
            pieces,
            total,
            end_density: density,
        }
    }

    fn age(&self, u: f64) -> f64 {
        let mut target = u * self.total;
        for (j, &(start, len, k, d0, mass)) in self.pieces.iter().enumerate() {
            if target <= mass || j == 2 {
                let within = if k * len < 1e-12 {
                    target / d0.max(1e-300)
                } else {
                    -(1.0 - (target * k / d0.max(1e-300)).min(1.0 - 1e-15)).ln() / k
                };
                return start + within.clamp(0.0, len);
            }
            target -= mass;
        }
        self.pieces[2].0 + self.pieces[2].1
    }
}

impl CustomerBase {
    /// The base of the first warm-up day plus signups over the warm-up and `days` days of history.
    pub fn generate(cfg: &Config, seeds: &Seeds, days: u32) -> Self {
        let seg_cum = cumulative(cfg.segments.iter().map(|s| s.share));
        let reg_cum = cumulative(cfg.regions.iter().map(|r| r.share));
        let hour_cum = cumulative(cfg.hour_weights.iter().copied());
        let mut rng = seeds.stream(Stream::Customers, 0);
        let contact = (cfg.contact_dispersion > 0.0).then(|| {
            let shape = 1.0 / (cfg.contact_dispersion * cfg.contact_dispersion);
            Gamma::new(shape, 1.0 / shape).ok()
        });
        let contact = contact.flatten();
        let mut people: Vec<CustomerRecord> = Vec::new();
        let make = |rng: &mut crate::rng::StreamRng, segment: usize, signup_secs: i64| {
            let region = pick_cumulative(&reg_cum, rng.random::<f64>());
            let seg = &cfg.segments[segment];
            let z: f64 = StandardNormal.sample(rng);
            let mrr = seg.plan_fee_usd + seg.mrr_usd * (seg.mrr_sigma * z).exp();
            CustomerRecord {
                segment: segment as u8,
                region: region as u8,
                signup_secs,
                signup_day: signup_secs.div_euclid(DAY_SECS as i64),
                mrr_usd: (mrr * 100.0).round() / 100.0,
                contact_weight: contact.map_or(1.0, |g| g.sample(rng)),
                sentiment: StandardNormal.sample(rng),
                churned_secs: None,
                later_churn: 0.0,
            }
        };
        let day = DAY_SECS as i64;
        let warmup_secs = i64::from(cfg.warmup_days) * day;
        let span = cfg.signups_since_years * 365.25 * DAY_SECS as f64;
        let max_weekday = cfg.weekday_weights.iter().copied().fold(0.0, f64::max);
        let samplers: Vec<AgeSampler> = cfg
            .segments
            .iter()
            .map(|seg| AgeSampler::new(cfg, monthly_to_rate(seg.churn_monthly), span))
            .collect();
        for _ in 0..cfg.customers_initial {
            let segment = pick_cumulative(&seg_cum, rng.random::<f64>());
            // Signups follow the weekday profile: redraw an age whose weekday is thinned out.
            let mut signup = 0;
            for _ in 0..20 {
                let age = samplers[segment].age(rng.random::<f64>());
                signup = -warmup_secs - 1 - age as i64;
                let weekday = (i64::from(cfg.start_weekday) + signup.div_euclid(day)).rem_euclid(7) as usize;
                if rng.random::<f64>() * max_weekday < cfg.weekday_weights[weekday] {
                    break;
                }
            }
            people.push(make(&mut rng, segment, signup));
        }
        // Signups replace the base's churn and add its growth: for ages with density d(a) = e^(-ga) S(a)
        // on [0, span], the base loses (1 - d(span) - g × mass) / mass of itself to churn per second,
        // so it gains (1 - d(span)) / mass: zero with neither growth nor churn. The rate grows at
        // `growth_per_month`, which is then the base's net growth.
        let g = (1.0 + cfg.growth_per_month).ln() / DAYS_PER_MONTH;
        let n0 = f64::from(cfg.customers_initial);
        let per_day: Vec<f64> = cfg
            .segments
            .iter()
            .zip(&samplers)
            .map(|(seg, sampler)| {
                n0 * seg.share * DAY_SECS as f64 * (1.0 - sampler.end_density) / sampler.total.max(1.0)
            })
            .collect();
        for d in -i64::from(cfg.warmup_days)..i64::from(days) {
            let since = (d + i64::from(cfg.warmup_days)) as f64;
            let weekday = (i64::from(cfg.start_weekday) + d).rem_euclid(7) as usize;
            for (segment, &rate) in per_day.iter().enumerate() {
                let expected = rate * (g * (since + 0.5)).exp() * cfg.weekday_weights[weekday];
                let count = if expected > 0.0 {
                    Poisson::new(expected).map(|p| p.sample(&mut rng) as u64).unwrap_or(0)
                } else {
                    0
                };
                for _ in 0..count {
                    let hour = pick_cumulative(&hour_cum, rng.random::<f64>() * 24.0) as i64;
                    let at = d * day + hour * 3600 + (rng.random::<f64>() * 3600.0) as i64;
                    people.push(make(&mut rng, segment, at));
                }
            }
        }
        Self::from_records(cfg, people)
    }

    /// Sorts customers by signup time (ties in order of generation) and indexes them by segment.
    fn from_records(cfg: &Config, people: Vec<CustomerRecord>) -> Self {
        // Sorting small (time, index) pairs is the same order as a stable sort of the records and
        // moves far less memory.
        let mut order: Vec<(i64, u32)> = people
            .iter()
            .enumerate()
            .map(|(i, r)| (r.signup_secs, i as u32))
            .collect();
        order.sort_unstable();
        let nseg = cfg.segments.len();
        let mut by_segment = vec![Vec::new(); nseg];
        let mut signups_by_segment = vec![Vec::new(); nseg];
        let mut weight_sums: Vec<Vec<f64>> = vec![Vec::new(); nseg];
        let mut records = Vec::with_capacity(people.len());
        for (i, &(t, from)) in order.iter().enumerate() {
            let r = &people[from as usize];
            let s = r.segment as usize;
            by_segment[s].push(i as u32);
            signups_by_segment[s].push(t);
            let before = weight_sums[s].last().copied().unwrap_or(0.0);
            weight_sums[s].push(before + r.contact_weight);
            records.push(r.clone());
        }
        let bucket_width: Vec<f64> = weight_sums
            .iter()
            .map(|w| {
                w.last()
                    .map_or(1.0, |total| total / w.len() as f64)
                    .max(f64::MIN_POSITIVE)
            })
            .collect();
        let guides = weight_sums
            .iter()
            .zip(&bucket_width)
            .map(|(sums, &width)| {
                let mut guide = Vec::with_capacity(sums.len());
                let mut i = 0;
                for b in 0..sums.len() {
                    let from = b as f64 * width;
                    while i + 1 < sums.len() && sums[i] <= from {
                        i += 1;
                    }
                    guide.push(i as u32);
                }
                guide
            })
            .collect();
        Self {
            records,
            by_segment,
            signups_by_segment,
            weight_sums,
            guides,
            bucket_width,
        }
    }

    /// Customers of `segment` who had signed up by `at_secs`.
    pub fn active_in_segment(&self, segment: usize, at_secs: i64) -> usize {
        self.signups_by_segment[segment].partition_point(|&t| t <= at_secs)
    }

    /// The sum of the contact-rate multipliers of the first `active` customers of `segment`.
    pub fn active_weight(&self, segment: usize, active: usize) -> f64 {
        if active == 0 {
            0.0
        } else {
            self.weight_sums[segment][active - 1]
        }
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

    /// The position (in signup order) of the customer of `segment` that a ticket picks among the first
    /// `active`, in proportion to their contact-rate multipliers, from a uniform `u`.
    pub fn pick_position(&self, segment: usize, active: usize, u: f64) -> Option<usize> {
        let (target, bucket) = self.pick_target(segment, active, u)?;
        Some(self.pick_finish(segment, active, target, self.guide_start(segment, bucket)))
    }

    /// The first step of [`Self::pick_position`]: the running-sum target and its guide bucket. The
    /// three steps are apart so that a batch of picks can take each step for all of them in turn,
    /// with loads that do not wait for one another.
    pub fn pick_target(&self, segment: usize, active: usize, u: f64) -> Option<(f64, usize)> {
        if active == 0 {
            return None;
        }
        let target = u * self.weight_sums[segment][active - 1];
        let bucket = ((target / self.bucket_width[segment]) as usize).min(self.guides[segment].len() - 1);
        Some((target, bucket))
    }

    /// The second step: the guide's first candidate position for `bucket`.
    #[inline]
    pub fn guide_start(&self, segment: usize, bucket: usize) -> u32 {
        self.guides[segment][bucket]
    }

    /// Fetches into cache the running sums a later [`Self::pick_finish`] from `start` reads.
    #[inline]
    pub fn prefetch_finish(&self, segment: usize, start: u32) {
        if let Some(w) = self.weight_sums[segment].get((start as usize).saturating_sub(1)) {
            crate::mem::prefetch(w);
        }
    }

    /// The last step: from the guide's candidate `start`, the first position whose running sum
    /// exceeds `target` (a position before `start` can only answer when `start` was clamped).
    pub fn pick_finish(&self, segment: usize, active: usize, target: f64, start: u32) -> usize {
        let sums = &self.weight_sums[segment][..active];
        let mut i = (start as usize).min(active - 1);
        while i > 0 && sums[i - 1] > target {
            i -= 1;
        }
        while i + 1 < active && sums[i] <= target {
            i += 1;
        }
        i
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_by_guide_table_agree_with_a_binary_search() {
        let loaded = crate::scenarios::load("saas").expect("saas");
        let cfg = &loaded.config;
        let base = CustomerBase::generate(cfg, &Seeds::new(3), 30);
        for segment in 0..cfg.segments.len() {
            let n = base.weight_sums[segment].len();
            for k in 0..20_000u64 {
                let active = 1 + (crate::rng::mix64(k) % n as u64) as usize;
                let u = Seeds::uniform(k, crate::rng::Draw::Customer, 7);
                let sums = &base.weight_sums[segment][..active];
                let expected = sums.partition_point(|&w| w <= u * sums[active - 1]).min(active - 1);
                assert_eq!(
                    base.pick_position(segment, active, u),
                    Some(expected),
                    "segment {segment}, active {active}, u {u}"
                );
            }
        }
    }

    #[test]
    fn initial_ages_follow_growth_and_survival() {
        let loaded = crate::scenarios::load("saas").expect("saas");
        let cfg = &loaded.config;
        let span = 5.0 * YEAR_SECS;
        let rate = monthly_to_rate(0.02);
        let n = 20_000;
        let sampler = AgeSampler::new(cfg, rate, span);
        let ages: Vec<f64> = (0..n).map(|i| sampler.age((i as f64 + 0.5) / n as f64)).collect();
        assert!(ages.windows(2).all(|w| w[0] <= w[1] + 1e-6), "monotone in u");
        assert!(ages.iter().all(|&a| (0.0..=span).contains(&a)));
        // Younger customers outnumber older ones, and every year has some.
        let in_year = |y: f64| {
            ages.iter()
                .filter(|&&a| a >= y * YEAR_SECS && a < (y + 1.0) * YEAR_SECS)
                .count()
        };
        assert!(in_year(0.0) > in_year(1.0) && in_year(1.0) > in_year(3.0) && in_year(4.0) > 100);
    }
}
