//! The engine's one question per cause: how strongly the run's changes (incidents, planted issues,
//! later interventions) act on a handle time, an escalation, a reopen, an agent's quality or a
//! channel choice at a given time. Each cause keeps the indices of the changes that touch it, so a
//! run without changes pays one empty-slice check per question.

use crate::config::{Change, Effect};

/// The changes of one run, indexed by the cause they touch.
pub struct Causes<'a> {
    changes: &'a [Change],
    /// Clock seconds at the start of the history (change times are history seconds).
    origin: u64,
    handle: Vec<usize>,
    escalation: Vec<usize>,
    reopen: Vec<usize>,
    quality: Vec<usize>,
    channel: Vec<usize>,
    deflection: Vec<usize>,
    routing: Vec<usize>,
}

impl<'a> Causes<'a> {
    pub fn new(changes: &'a [Change], origin: u64) -> Self {
        let of =
            |f: fn(&Effect) -> bool| -> Vec<usize> { (0..changes.len()).filter(|&i| f(&changes[i].effect)).collect() };
        Self {
            changes,
            origin,
            handle: of(|e| matches!(e, Effect::HandleTime { .. })),
            escalation: of(|e| matches!(e, Effect::Escalation { .. })),
            reopen: of(|e| matches!(e, Effect::Reopen { .. })),
            quality: of(|e| matches!(e, Effect::Quality { .. })),
            channel: of(|e| matches!(e, Effect::ChannelChoice { .. })),
            deflection: of(|e| matches!(e, Effect::Deflection { .. })),
            routing: of(|e| matches!(e, Effect::Routing { .. })),
        }
    }

    fn hist(&self, t: u64) -> i64 {
        t as i64 - self.origin as i64
    }

    /// `factor` raised to the change's strength at clock `t` times the weight it gives `who`.
    fn scaled(&self, c: &Change, t: u64, factor: f64, who: u64, spread: f64) -> f64 {
        let s = c.strength(self.hist(t));
        if s == 0.0 {
            1.0
        } else {
            (factor.ln() * s * c.weight(who, spread)).exp()
        }
    }

    /// Multiplier of a handle time worked at clock `t` by an agent of `team` (`agent` its key) on a
    /// ticket of `category`.
    pub fn handle_factor(&self, t: u64, team: usize, category: usize, agent: u64) -> f64 {
        let mut f = 1.0;
        for &i in &self.handle {
            let c = &self.changes[i];
            if let Effect::HandleTime {
                team: ct,
                category: ck,
                factor,
                spread,
            } = c.effect
                && ct.is_none_or(|x| x == team)
                && ck.is_none_or(|x| x == category)
            {
                f *= self.scaled(c, t, factor, agent, spread);
            }
        }
        f
    }

    /// Multiplier of the probability that the agent with key `agent` of `team` escalates a ticket
    /// of `category` at clock `t`.
    pub fn escalation_factor(&self, t: u64, team: usize, category: usize, agent: u64) -> f64 {
        self.category_factor(&self.escalation, t, team, category, agent)
    }

    /// Multiplier of the probability that a ticket of `category` solved at `t` by `agent` of `team`
    /// reopens.
    pub fn reopen_factor(&self, t: u64, team: usize, category: usize, agent: u64) -> f64 {
        self.category_factor(&self.reopen, t, team, category, agent)
    }

    fn category_factor(&self, list: &[usize], t: u64, team: usize, category: usize, agent: u64) -> f64 {
        let mut f = 1.0;
        for &i in list {
            let c = &self.changes[i];
            match c.effect {
                Effect::Escalation {
                    team: ct,
                    category: k,
                    factor,
                    spread,
                }
                | Effect::Reopen {
                    team: ct,
                    category: k,
                    factor,
                    spread,
                } if k == category && ct.is_none_or(|x| x == team) => f *= self.scaled(c, t, factor, agent, spread),
                _ => {}
            }
        }
        f
    }

    /// Shift of the hidden quality (log-odds) of the agent with key `agent` of `team` at clock `t`.
    pub fn quality_shift(&self, t: u64, team: usize, agent: u64) -> f64 {
        let mut d = 0.0;
        for &i in &self.quality {
            let c = &self.changes[i];
            if let Effect::Quality { team: q, delta, spread } = c.effect
                && q == team
            {
                d += delta * c.strength(self.hist(t)) * c.weight(agent, spread);
            }
        }
        d
    }

    /// Whether any change moves channel choices.
    pub fn moves_channels(&self) -> bool {
        !self.channel.is_empty()
    }

    /// The channel shifts acting at `t` on a contact of `segment` at hour of day `hour`: for each,
    /// (change identity, from, to, share of `from`'s contacts that move).
    pub fn channel_shifts(
        &self,
        t: u64,
        segment: usize,
        hour: u32,
    ) -> impl Iterator<Item = (u64, usize, usize, f64)> + '_ {
        let hist = self.hist(t);
        self.channel.iter().filter_map(move |&i| {
            let c = &self.changes[i];
            let Effect::ChannelChoice {
                from,
                to,
                share,
                spread,
            } = c.effect
            else {
                return None;
            };
            let s = c.strength(hist);
            if s == 0.0 {
                return None;
            }
            // Uneven by segment and by hour of day (keys apart from agents' keys by their tags).
            let w = c.weight(0x5E6 << 32 | segment as u64, spread) * c.weight(0x40 << 32 | u64::from(hour), spread);
            Some((c.id, from, to, (share * s * w).clamp(0.0, 1.0)))
        })
    }

    /// Whether any change deflects contacts.
    pub fn deflects(&self) -> bool {
        !self.deflection.is_empty()
    }

    /// The deflections acting at `t` on a contact on `channel` about `category` (`burst`: one an
    /// incident or outage brought): for each, (index of the change, its identity, share deflected
    /// now, share of those that come back).
    pub fn deflections(
        &self,
        t: u64,
        channel: usize,
        category: usize,
        burst: bool,
    ) -> impl Iterator<Item = (usize, u64, f64, f64)> + '_ {
        let hist = self.hist(t);
        self.deflection.iter().filter_map(move |&i| {
            let c = &self.changes[i];
            let Effect::Deflection {
                channel: ch,
                category: k,
                share,
                returns,
                incidents,
            } = c.effect
            else {
                return None;
            };
            let s = c.strength(hist);
            (s > 0.0 && ch.is_none_or(|x| x == channel) && k.is_none_or(|x| x == category) && (burst || !incidents))
                .then_some((i, c.id, share * s, returns))
        })
    }

    /// Whether a routing change puts `segment`'s tickets first in the queues at `t`.
    pub fn segment_first(&self, t: u64, segment: usize) -> bool {
        let hist = self.hist(t);
        self.routing.iter().any(|&i| {
            let c = &self.changes[i];
            matches!(c.effect, Effect::Routing { segment: Some(s), .. } if s == segment) && c.strength(hist) > 0.0
        })
    }

    /// The routings to tier 2 acting at `t` on a ticket of `category`: (identity, share recognised).
    pub fn to_tier2(&self, t: u64, category: usize) -> impl Iterator<Item = (u64, f64)> + '_ {
        let hist = self.hist(t);
        self.routing.iter().filter_map(move |&i| {
            let c = &self.changes[i];
            let Effect::Routing {
                category: Some(k),
                share,
                ..
            } = c.effect
            else {
                return None;
            };
            let s = c.strength(hist);
            (k == category && s > 0.0).then_some((c.id, share * s))
        })
    }

    /// Whether any change routes tickets.
    pub fn routes(&self) -> bool {
        !self.routing.is_empty()
    }
}
