//! The timeline of changes to the operation's causes: scenario incidents and planted hidden issues
//! become [`Change`]s, each with a stable identity, a start, a ramp to full strength and an effect on
//! one cause (handle time, volume, escalation, reopens, quality, channel choice, staff). The engine
//! and the roster ask about causes, never about issue kinds; a later intervention is one more change.
//!
//! Every random draw a change owns (its extra arrivals, how strongly it hits each agent, segment or
//! hour) is keyed by its [`Change::id`], derived from what it is and not from its position in a
//! list: removing one change leaves every other change's draws as they were.

use crate::rng::{Draw, Seeds, mix64};

/// Where a change comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Configured in the scenario (incidents): labelled in the data.
    Scenario,
    /// A planted hidden issue, by its position in the scenario's pool.
    Issue(usize),
    /// A proposal's intervention, by its position among the proposal's changes.
    Intervention(usize),
}

/// What a change touches, with names resolved to indices. `spread` is how unevenly it acts: each
/// agent (or segment, or hour of day) feels a strength weight drawn uniformly in 1 ± spread.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Handle times of one team's agents or of one category's tickets multiply by `factor`.
    HandleTime {
        team: Option<usize>,
        category: Option<usize>,
        factor: f64,
        spread: f64,
    },
    /// Extra contacts of one category: while at full strength, total volume is `multiplier` × normal
    /// volume; the extra contacts are shifted `priority_shift` log-odds towards urgent. The volume
    /// ramps in over the ramp and out over the same time before the end.
    Volume {
        category: usize,
        multiplier: f64,
        priority_shift: f64,
    },
    /// The escalation probability of a category's tickets (worked by one team's agents, or any
    /// team's) multiplies by `factor` (per agent).
    Escalation {
        team: Option<usize>,
        category: usize,
        factor: f64,
        spread: f64,
    },
    /// The reopen probability of a category's tickets (solved by one team's agents, or any team's)
    /// multiplies by `factor` (per agent).
    Reopen {
        team: Option<usize>,
        category: usize,
        factor: f64,
        spread: f64,
    },
    /// The hidden quality of a team's agents moves by `delta` log-odds (per agent).
    Quality { team: usize, delta: f64, spread: f64 },
    /// `share` of the contacts that would choose `from` use `to` (per segment and hour of day).
    ChannelChoice {
        from: usize,
        to: usize,
        share: f64,
        spread: f64,
    },
    /// `share` of the contacts on `channel` (any channel when None) about `category` (any when
    /// None) are resolved without an agent (self-service, a bot, a status page); `returns` of those
    /// come back at once as a repeat contact on an open async channel. With `incidents`, only the
    /// extra contacts of incidents and outages count.
    Deflection {
        channel: Option<usize>,
        category: Option<usize>,
        share: f64,
        returns: f64,
        incidents: bool,
    },
    /// Routing: the tickets of `segment` go to the front of every async queue they join; with
    /// `category`, `share` of the category's async tickets that need tier 2 are recognised on
    /// arrival and go straight there.
    Routing {
        segment: Option<usize>,
        category: Option<usize>,
        share: f64,
    },
    /// A channel also opens in `window` (besides its own opening hours).
    OpenHours {
        channel: usize,
        window: crate::config::WeeklyWindow,
    },
    /// The seats of an added shift (appended to the team's by the plan) are filled by new hires
    /// from the change's start, and close at its end.
    AddSeats { team: usize, shift: usize },
    /// `agents` of a shift are taken off it on the weekdays `days` (Monday first), one by one over
    /// the ramp. Where `days` holds all the shift's days, they leave without replacement and, with
    /// an end, their seats reopen then and new hires take them; on some of its days only, the
    /// seats' holders stop working those days (until the end).
    StaffCut {
        team: usize,
        shift: usize,
        agents: u32,
        days: [bool; 7],
    },
    /// `agents` of a shift are replaced at the start by new hires, `quality_delta` log-odds off.
    Hires {
        team: usize,
        shift: usize,
        agents: u32,
        quality_delta: f64,
    },
}

/// One timed change of a cause.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// Stable identity: keys every random draw the change owns.
    pub id: u64,
    pub origin: Origin,
    /// Seconds from the start of the history at which it starts acting.
    pub from_secs: u64,
    /// Linear ramp to full strength, seconds (0 = a step).
    pub ramp_secs: u64,
    /// When it stops acting, if ever.
    pub until_secs: Option<u64>,
    pub effect: Effect,
}

/// The identity of a change named `label` (FNV-1a, then mixed): the same label gives the same
/// identity in every build and on every platform.
pub fn change_id(label: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in label.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    mix64(h)
}

impl Change {
    /// Strength in [0, 1] at `t_secs` from the start of the history: 0 before the start, rising
    /// linearly over the ramp, 1 after; a change with an end ramps out over the same time before it
    /// (a volume burst) or stops at once.
    pub fn strength(&self, t_secs: i64) -> f64 {
        let t = t_secs as f64;
        let from = self.from_secs as f64;
        if t < from {
            return 0.0;
        }
        let ramp = self.ramp_secs as f64;
        let up = if ramp > 0.0 { ((t - from) / ramp).min(1.0) } else { 1.0 };
        match self.until_secs {
            Some(until) if t >= until as f64 => 0.0,
            Some(until) if matches!(self.effect, Effect::Volume { .. }) && ramp > 0.0 => {
                up.min((until as f64 - t) / ramp).max(0.0)
            }
            _ => up,
        }
    }

    /// The weight in 1 ± `spread` with which the change acts on `who` (an agent's key, a segment,
    /// an hour of day), the same in every run.
    pub fn weight(&self, who: u64, spread: f64) -> f64 {
        if spread == 0.0 {
            return 1.0;
        }
        let u = Seeds::uniform(mix64(self.id ^ mix64(who)), Draw::ChangeSpread, 0);
        1.0 + spread * (2.0 * u - 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(ramp_secs: u64, until_secs: Option<u64>, effect: Effect) -> Change {
        Change {
            id: change_id("test"),
            origin: Origin::Scenario,
            from_secs: 1000,
            ramp_secs,
            until_secs,
            effect,
        }
    }

    #[test]
    fn strength_ramps_in_and_bursts_ramp_out() {
        let q = Effect::Quality {
            team: 0,
            delta: -1.0,
            spread: 0.0,
        };
        let c = change(100, None, q);
        assert_eq!(c.strength(999), 0.0);
        assert_eq!(c.strength(1050), 0.5);
        assert_eq!(c.strength(5000), 1.0);
        let v = Effect::Volume {
            category: 0,
            multiplier: 3.0,
            priority_shift: 0.0,
        };
        let b = change(100, Some(2000), v);
        assert_eq!(b.strength(1500), 1.0);
        assert_eq!(b.strength(1950), 0.5);
        assert_eq!(b.strength(2000), 0.0);
    }

    #[test]
    fn identities_depend_on_the_label_only_and_weights_spread_evenly() {
        assert_eq!(change_id("issue:outage:billing"), change_id("issue:outage:billing"));
        assert_ne!(change_id("issue:outage:billing"), change_id("issue:outage:technical"));
        let c = change(
            0,
            None,
            Effect::Quality {
                team: 0,
                delta: -1.0,
                spread: 0.5,
            },
        );
        let w: Vec<f64> = (0..4000).map(|a| c.weight(a, 0.5)).collect();
        assert!(w.iter().all(|&x| (0.5..=1.5).contains(&x)));
        let mean = w.iter().sum::<f64>() / w.len() as f64;
        assert!((mean - 1.0).abs() < 0.02, "mean weight {mean}");
        assert!(w.iter().any(|&x| x < 0.6) && w.iter().any(|&x| x > 1.4));
    }
}
