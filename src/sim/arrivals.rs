//! When contacts arrive: a non-homogeneous Poisson process by hour of day × weekday × customer base,
//! with a gamma day-to-day volume multiplier (over-dispersion, after Brown et al.'s Gamma–Poisson
//! call-centre model) and volume changes (incidents, outages, regressions) that add contacts of one
//! category, ramping in and out.
//!
//! Each day's arrivals come from their own stream, so a day's tickets do not depend on other days.

use rand::Rng;
use rand_distr::{Distribution, Gamma, Poisson};

use crate::config::{Config, DAY_SECS, Effect};
use crate::rng::{Seeds, Stream};
use crate::sim::customers::{CustomerBase, DAYS_PER_MONTH};

/// A contact about to be created.
#[derive(Debug, Clone, Copy)]
pub struct Arrival {
    /// Seconds from the start of the history (negative in the warm-up).
    pub at_secs: i64,
    /// Key of the ticket's own random draws.
    pub key: u64,
    /// The volume change (index into `Config::changes`) that caused it, if any.
    pub incident: Option<u16>,
    /// The customer's segment and engine slot, set by the engine (`NONE_U32`: no customer).
    pub segment: u8,
    pub customer: u32,
}

/// Expected contacts per day from the customers signed up by `at_secs` (their contact-rate
/// multipliers summed), before profiles. Contacts of customers who have churned are dropped later.
pub fn daily_base_rate(cfg: &Config, base: &CustomerBase, at_secs: i64) -> f64 {
    cfg.segments
        .iter()
        .enumerate()
        .map(|(s, seg)| {
            base.active_weight(s, base.active_in_segment(s, at_secs)) * seg.contacts_per_month / DAYS_PER_MONTH
        })
        .sum()
}

fn poisson(rng: &mut impl Rng, mean: f64) -> u32 {
    if mean <= 0.0 {
        return 0;
    }
    Poisson::new(mean).map(|p| p.sample(rng) as u32).unwrap_or(0)
}

/// All arrivals of history day `day` (negative in the warm-up), sorted by time.
pub fn arrivals_for_day(cfg: &Config, seeds: &Seeds, base: &CustomerBase, day: i64) -> Vec<Arrival> {
    let mut rng = seeds.stream(Stream::Arrivals, day as u64);
    let weekday = (i64::from(cfg.start_weekday) + day).rem_euclid(7) as usize;
    let day_start = day * DAY_SECS as i64;
    let daily = daily_base_rate(cfg, base, day_start + DAY_SECS as i64 / 2) * cfg.weekday_weights[weekday];
    let dispersion = if cfg.daily_cv > 0.0 {
        let shape = 1.0 / (cfg.daily_cv * cfg.daily_cv);
        Gamma::new(shape, 1.0 / shape)
            .map(|g| g.sample(&mut rng))
            .unwrap_or(1.0)
    } else {
        1.0
    };
    let mut out = Vec::with_capacity((daily * dispersion * 1.2) as usize + 16);
    let mut times: Vec<i64> = Vec::new();
    for hour in 0..24i64 {
        let mean = daily * dispersion * cfg.hour_weights[hour as usize] / 24.0;
        let n = poisson(&mut rng, mean);
        let h0 = day_start + hour * 3600;
        let from = times.len();
        times.extend((0..n).map(|_| h0 + (rng.random::<f64>() * 3600.0) as i64));
        // Hours do not overlap, so sorting each hour sorts the day.
        times[from..].sort_unstable();
    }
    out.extend(times.iter().enumerate().map(|(i, &t)| Arrival {
        at_secs: t,
        key: seeds.ticket_key(day, 0, i as u32),
        incident: None,
        segment: 0,
        customer: crate::record::NONE_U32,
    }));
    let regular = out.len();

    for (ci, change) in cfg.changes.iter().enumerate() {
        let Effect::Volume { multiplier, .. } = change.effect else {
            continue;
        };
        let s = change.from_secs as i64;
        let e = change.until_secs.map_or(i64::MAX, |u| u as i64);
        if e <= day_start || s >= day_start + DAY_SECS as i64 {
            continue;
        }
        // The change's own stream and keys: other changes never move its contacts.
        let mut rng = seeds.stream(Stream::Incidents, crate::rng::mix64(change.id) ^ day as u64);
        let mut times: Vec<i64> = Vec::new();
        for hour in 0..24i64 {
            let h0 = day_start + hour * 3600;
            let (lo, hi) = (s.max(h0), e.min(h0 + 3600));
            if hi <= lo {
                continue;
            }
            let overlap = (hi - lo) as f64 / 3600.0;
            let strength = change.strength((lo + hi) / 2);
            let mean =
                daily * dispersion * cfg.hour_weights[hour as usize] / 24.0 * (multiplier - 1.0) * overlap * strength;
            let n = poisson(&mut rng, mean);
            let from = times.len();
            times.extend((0..n).map(|_| lo + (rng.random::<f64>() * (hi - lo) as f64) as i64));
            times[from..].sort_unstable();
        }
        out.extend(times.iter().enumerate().map(|(i, &t)| Arrival {
            at_secs: t,
            key: seeds.change_ticket_key(change.id, day, i as u32),
            incident: Some(ci as u16),
            segment: 0,
            customer: crate::record::NONE_U32,
        }));
    }
    // Stable: at equal seconds regular demand comes before incident demand.
    if out.len() > regular {
        out.sort_by_key(|a| a.at_secs);
    }
    out
}
