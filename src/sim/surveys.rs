//! When relationship NPS invitations go out: each customer is invited every `survey_every_days` from
//! `first_survey_after_days` after signing up (an account anniversary, moved by up to two weeks), on
//! a send day and in send hours of the customer's region's local time, if the customer is in the
//! survey panel (`outcomes.nps.panel_share` of customers). The schedule depends only on
//! the customer base and the customers' keys, never on what support does; whether a customer has
//! churned by then is decided when the invitation is due.

use crate::config::{Config, DAY_SECS};
use crate::rng::{Draw, Seeds};
use crate::sim::customers::CustomerBase;

/// One invitation due.
#[derive(Debug, Clone, Copy)]
pub struct Invitation {
    /// Seconds from the start of the history.
    pub sent_secs: u64,
    /// Index into the base's records.
    pub customer: u32,
    /// The customer's engine slot (filled in by the engine).
    pub slot: u32,
    /// Which of the customer's invitations (0 = the first after signing up).
    pub round: u32,
}

/// Draws for the placing of one invitation go up to this many tries to find a send day.
const TRIES: u32 = 8;

/// Every invitation due in `[0, end_secs)` of the history, in order of sending.
pub fn invitations(cfg: &Config, seeds: &Seeds, base: &CustomerBase, end_secs: u64) -> Vec<Invitation> {
    let n = &cfg.nps;
    let every = n.survey_every_secs as i64;
    let jitter = (14 * DAY_SECS as i64).min(every / 2);
    let end = end_secs as i64;
    let mut out = Vec::new();
    for (ci, c) in base.records.iter().enumerate() {
        let key = seeds.customer_key(ci as u32);
        if Seeds::uniform(key, Draw::NpsPanel, 0) >= n.panel_share {
            continue;
        }
        let first = c.signup_secs + n.first_survey_after_secs as i64;
        // The first round whose window [nominal - jitter, nominal + jitter] can reach the history.
        let k0 = if first + jitter >= 0 {
            0
        } else {
            (-(first + jitter)).div_euclid(every)
        };
        let offset = cfg.regions[c.region as usize].local_offset_secs;
        let mut k = k0;
        loop {
            let nominal = first + k * every;
            if nominal - jitter >= end {
                break;
            }
            if let Some(at) = place(cfg, key, k as u32, nominal, jitter, offset) {
                if (0..end).contains(&at) && at >= c.signup_secs {
                    out.push(Invitation {
                        sent_secs: at as u64,
                        customer: ci as u32,
                        slot: 0,
                        round: k as u32,
                    });
                }
            }
            k += 1;
        }
    }
    out.sort_unstable_by_key(|i| (i.sent_secs, i.customer));
    out
}

/// The sending instant (history seconds, organisation time) of round `round` near `nominal`: a day
/// within `jitter` of it that is a send day in the region's local calendar, at a uniform time within
/// the send hours there; None if no try finds a send day.
fn place(cfg: &Config, key: u64, round: u32, nominal: i64, jitter: i64, offset: i64) -> Option<i64> {
    let window = &cfg.nps.send_window;
    let day = DAY_SECS as i64;
    for attempt in 0..TRIES {
        let index = round * TRIES + attempt;
        let shift = ((Seeds::uniform(key, Draw::NpsSelect, index) * 2.0 - 1.0) * jitter as f64) as i64;
        let local_day = (nominal + offset + shift).div_euclid(day);
        let weekday = (i64::from(cfg.start_weekday) + local_day).rem_euclid(7) as usize;
        if !window.days[weekday] {
            continue;
        }
        let span = f64::from(window.end_minute - window.start_minute) * 60.0;
        let within = (Seeds::uniform(key, Draw::NpsOffset, index) * span) as i64;
        let local = local_day * day + i64::from(window.start_minute) * 60 + within;
        return Some(local - offset);
    }
    None
}
