//! The customer side of the engine: each customer's churn hazard and NPS sentiment, moved by their
//! support experiences, and the NPS surveys.
//!
//! The engine notes every contact as it ends: a solve, with the churn uplift of the effort it cost
//! ([`crate::models::churn::contact_uplift`]) and the probability p that the customer would rate it
//! 1-3, or an abandoned live contact. At each midnight the day's contacts are applied in order: a
//! contact keeps [`kept_after`] of the customer's accumulated uplift (an effortless one is a partial
//! recovery) and adds its own, and adds `per_good_contact` × (1 - p) + `per_bad_contact` × p to the
//! customer's NPS sentiment (`per_abandoned_contact` for an abandoned one). Both fade with time (see
//! [`crate::models::churn`]), and the customer's churn day is predicted afresh. A customer whose hazard reaches its threshold during a day is no longer a
//! customer from the next midnight: that is its `churned_at` date, and from then on it neither
//! contacts support nor is surveyed. Applying contacts at midnight batches the scattered reads and
//! writes of customer state, which the processor then overlaps.

use crate::config::{Config, DAY_SECS};
use crate::models::churn::{Hazard, kept_after};
use crate::models::comments::NpsTheme;
use crate::record::NpsRecord;
use crate::rng::{Draw, Seeds};
use crate::sim::customers::{CustomerBase, monthly_to_rate};
use crate::sim::surveys::{Invitation, invitations};

/// No churn day: the customer stays past the end.
const NEVER: u32 = u32::MAX;

/// How long after the end [`Loyalty::later_churn`] follows an uplift: eight memory constants of
/// 45 days leave 0.03% of it.
const LATER_SECS: f64 = 365.0 * DAY_SECS as f64;

/// One customer's state at its last update.
#[derive(Debug, Clone, Copy)]
struct State {
    /// Clock seconds of the last update.
    at: u32,
    /// Signup, clock seconds (negative: before the warm-up).
    signup: i32,
    /// Hazard per second before tenure and uplift.
    rate: f32,
    /// Integrated hazard up to `at`, and the level at which the customer churns (an Exp(1) draw).
    cumulative: f32,
    threshold: f32,
    /// Hazard uplift and NPS support effect at `at`.
    uplift: f32,
    support: f32,
    /// What a survey needs, kept here so that sending one reads one place.
    sentiment: f32,
    segment: u8,
    region: u8,
}

/// A contact to apply at the next midnight.
#[derive(Debug, Clone, Copy)]
struct Contact {
    slot: u32,
    /// Clock seconds.
    at: u32,
    /// Churn hazard uplift for the effort it cost.
    uplift: f32,
    /// Share of the accumulated uplift it leaves (below 1 for an effortless contact: a recovery).
    keep: f32,
    /// Effect on the customer's NPS support effect, score points.
    support: f32,
}

/// Customers' loyalty over one run, addressed by the engine's customer slots.
pub struct Loyalty<'a> {
    cfg: &'a Config,
    seeds: Seeds,
    hazard: Hazard,
    /// Clock seconds of the start and end of the history.
    origin: u64,
    end: u64,
    state: Vec<State>,
    /// Per slot, the clock day from whose midnight the customer is no longer one.
    churn_day: Vec<u32>,
    /// Per slot, set from that midnight on: 30 KB for 240,000 customers, so that checking a contact's
    /// customer stays in cache.
    churned: Vec<u64>,
    /// Per clock day, the slots predicted to churn at its midnight (stale once re-predicted).
    due: Vec<Vec<u32>>,
    contacts: Vec<Contact>,
    /// Per customer index, its slot.
    slot_of: Vec<u32>,
    invitations: Vec<Invitation>,
    next_invitation: usize,
    pub nps: Vec<NpsRecord>,
}

impl<'a> Loyalty<'a> {
    /// Every customer's starting state; `slot_customer[slot]` is the customer in each slot.
    pub fn new(
        cfg: &'a Config,
        seeds: Seeds,
        base: &'a CustomerBase,
        slot_customer: &[u32],
        origin: u64,
        end: u64,
    ) -> Self {
        let hazard = Hazard::new(&cfg.churn);
        let c = &cfg.churn;
        let mut slot_of = vec![0; slot_customer.len()];
        let mut state = Vec::with_capacity(slot_customer.len());
        let mut churn_day = Vec::with_capacity(slot_customer.len());
        let mut due = vec![Vec::new(); (end / DAY_SECS) as usize + 1];
        for (slot, &ci) in slot_customer.iter().enumerate() {
            slot_of[ci as usize] = slot as u32;
            let r = &base.records[ci as usize];
            let rate = monthly_to_rate(cfg.segments[r.segment as usize].churn_monthly)
                * r.contact_weight.max(1e-6).powf(c.propensity_elasticity)
                * (-c.sentiment_effect * r.sentiment).exp();
            let signup = r.signup_secs + origin as i64;
            let threshold = -Seeds::uniform(seeds.customer_key(ci), Draw::Churn, 0).ln();
            let s = State {
                at: signup.max(0) as u32,
                signup: signup as i32,
                rate: rate as f32,
                cumulative: 0.0,
                threshold: threshold as f32,
                uplift: 0.0,
                support: 0.0,
                sentiment: r.sentiment as f32,
                segment: r.segment,
                region: r.region,
            };
            let day = predict(&hazard, &s, end);
            if let Some(list) = due.get_mut(day as usize) {
                list.push(slot as u32);
            }
            churn_day.push(day);
            state.push(s);
        }
        let mut invitations = invitations(cfg, &seeds, base, end - origin);
        for inv in &mut invitations {
            inv.slot = slot_of[inv.customer as usize];
        }
        Self {
            cfg,
            seeds,
            hazard,
            origin,
            end,
            churned: vec![0; state.len().div_ceil(64)],
            state,
            churn_day,
            due,
            contacts: Vec::new(),
            slot_of,
            invitations,
            next_invitation: 0,
            nps: Vec::new(),
        }
    }

    /// Whether the customer in `slot` is no longer a customer (from the last midnight on).
    #[inline]
    pub fn has_churned(&self, slot: u32) -> bool {
        self.churned[slot as usize / 64] >> (slot % 64) & 1 == 1
    }

    /// Notes a solved contact that adds `uplift` to the customer's churn hazard and whose customer
    /// would rate it 1-3 with probability `badness`.
    #[inline]
    pub fn note_solve(&mut self, slot: u32, t: u64, uplift: f64, badness: f64) {
        let n = &self.cfg.nps;
        self.contacts.push(Contact {
            slot,
            at: t as u32,
            uplift: uplift as f32,
            keep: kept_after(&self.cfg.churn, uplift) as f32,
            support: (n.per_good_contact * (1.0 - badness) + n.per_bad_contact * badness) as f32,
        });
    }

    /// Notes a live contact the customer abandoned.
    #[inline]
    pub fn note_abandon(&mut self, slot: u32, t: u64) {
        self.contacts.push(Contact {
            slot,
            at: t as u32,
            uplift: self.cfg.churn.abandoned as f32,
            keep: 1.0,
            support: self.cfg.nps.per_abandoned_contact as f32,
        });
    }

    /// Notes that a ticket of the customer has been waiting unresolved for another factor e beyond
    /// the customer's norm: one unit of `per_log_resolution_over_norm`, charged as it happens rather
    /// than at a solve that may never come (the solve charges only the rest).
    #[inline]
    pub fn note_overdue(&mut self, slot: u32, t: u64) {
        self.contacts.push(Contact {
            slot,
            at: t as u32,
            uplift: self.cfg.churn.per_log_resolution_over_norm as f32,
            keep: 1.0,
            support: 0.0,
        });
    }

    /// Midnight starting clock day `day`: applies the contacts noted before it, then sends the day's
    /// NPS invitations.
    pub fn midnight(&mut self, day: u32) {
        self.apply_contacts();
        for slot in std::mem::take(&mut self.due[day as usize]) {
            if self.churn_day[slot as usize] == day {
                self.churned[slot as usize / 64] |= 1 << (slot % 64);
            }
        }
        let day_end = u64::from(day + 1) * DAY_SECS;
        while let Some(&inv) = self.invitations.get(self.next_invitation) {
            if inv.sent_secs + self.origin >= day_end {
                break;
            }
            self.next_invitation += 1;
            self.survey(inv);
        }
    }

    fn apply_contacts(&mut self) {
        let cfg = self.cfg;
        let n = &cfg.nps;
        /// Contacts ahead whose customer state is fetched into cache.
        const AHEAD: usize = 8;
        for i in 0..self.contacts.len() {
            if let Some(next) = self.contacts.get(i + AHEAD) {
                crate::mem::prefetch(&self.state[next.slot as usize]);
                crate::mem::prefetch(&self.churn_day[next.slot as usize]);
            }
            let Contact {
                slot,
                at,
                uplift: added,
                keep,
                support: moved,
            } = self.contacts[i];
            let slot = slot as usize;
            if u64::from(self.churn_day[slot]) * DAY_SECS <= u64::from(at) {
                continue;
            }
            let s = &mut self.state[slot];
            let (from, t) = (f64::from(s.at), f64::from(at));
            let (rate, signup) = (f64::from(s.rate), f64::from(s.signup));
            let uplift = f64::from(s.uplift);
            let (part, faded) = self.hazard.advance(rate, signup, uplift, from, t);
            let cumulative = f64::from(s.cumulative) + part;
            let support = f64::from(s.support) * (-(t - from) / n.memory_secs).exp();
            let uplift = faded * f64::from(keep) + f64::from(added);
            let support = support + f64::from(moved);
            s.at = at;
            s.cumulative = cumulative as f32;
            s.uplift = uplift as f32;
            s.support = support as f32;
            let day = predict(&self.hazard, s, self.end);
            if day != self.churn_day[slot] {
                if let Some(list) = self.due.get_mut(day as usize) {
                    list.push(slot as u32);
                }
                self.churn_day[slot] = day;
            }
        }
        self.contacts.clear();
    }

    /// Sends invitation `inv` unless its customer has churned: whether and when the customer answers,
    /// with what score and comment, follow from the customer's keyed draws and its state now.
    fn survey(&mut self, inv: Invitation) {
        let sent = inv.sent_secs + self.origin;
        let slot = inv.slot;
        if self.has_churned(slot) {
            return;
        }
        let n = &self.cfg.nps;
        let key = crate::rng::mix64(self.seeds.customer_key(inv.customer) ^ u64::from(inv.round) << 1 ^ 1);
        let s = &self.state[slot as usize];
        let support = f64::from(s.support) * (-(sent as f64 - f64::from(s.at)) / n.memory_secs).exp();
        let (segment, region, sentiment) = (s.segment, s.region, f64::from(s.sentiment));
        let answered_at = (Seeds::uniform(key, Draw::NpsResponse, 0) < n.response_rate)
            .then(|| self.answer_time(key, sent, region as usize))
            .filter(|&t| t < self.end);
        let latent = self.cfg.segments[segment as usize].nps_sentiment
            + n.customer_sd * sentiment
            + support
            + n.noise_sd * Seeds::normal(key, Draw::NpsScore, 0);
        let mut score = latent.round().clamp(0.0, 10.0) as u8;
        if (1..=4).contains(&score) && Seeds::uniform(key, Draw::NpsScore, 1) < n.zero_share {
            score = 0;
        }
        // About 40% of answers carry a comment; its theme follows the answer and the support effect.
        let comment = answered_at.is_some() && Seeds::uniform(key, Draw::NpsComment, 0) < 0.4;
        let seg = &self.cfg.segments[segment as usize];
        let pays = seg.mrr_usd > 0.0 && !seg.free_plan;
        let theme =
            comment.then(|| NpsTheme::for_answer(score, support, pays, Seeds::uniform(key, Draw::NpsComment, 1)));
        self.nps.push(NpsRecord {
            customer: inv.customer,
            segment,
            sent_secs: inv.sent_secs,
            responded_secs: answered_at.map(|t| t - self.origin),
            score: answered_at.map(|_| score),
            comment_theme: theme,
            key,
        });
    }

    /// When the customer answers an invitation sent at clock `sent`: an exponential delay; an answer
    /// that would fall between midnight and 07:00 in the customer's region comes that morning instead.
    fn answer_time(&self, key: u64, sent: u64, region: usize) -> u64 {
        let n = &self.cfg.nps;
        let delay = -n.answer_delay_mean_secs * Seeds::uniform(key, Draw::NpsDelay, 0).ln();
        let at = sent + delay.max(60.0) as u64;
        let offset = self.cfg.regions[region].local_offset_secs;
        let local = at as i64 - self.origin as i64 + offset;
        let second_of_day = local.rem_euclid(DAY_SECS as i64);
        if second_of_day < 7 * 3600 {
            let morning = 7 * 3600 + (Seeds::uniform(key, Draw::NpsDelay, 1) * 4.0 * 3600.0) as i64;
            (at as i64 + morning - second_of_day) as u64
        } else {
            at
        }
    }

    /// Per customer index, the probability that the uplift left at the end of the run makes the
    /// customer churn within a year after it (0 for a customer who churned before the end): with
    /// H0 the hazard integrated over that year without the uplift and H1 with it, e^(-H0) - e^(-H1).
    /// Given that the customer reached the end, its remaining threshold is again Exp(1), so this is
    /// an expectation over it rather than one draw: the lasting damage of the run's experiences
    /// with no noise of its own. Call after [`Self::churn_times`], which applies the last contacts.
    pub fn later_churn(&self) -> Vec<f64> {
        let end = self.end as f64;
        let slots = self.slot_of.iter().map(|&slot| slot as usize);
        slots
            .map(|slot| {
                let s = &self.state[slot];
                if s.uplift <= 0.0 || u64::from(self.churn_day[slot]) * DAY_SECS < self.end {
                    return 0.0;
                }
                let (rate, signup) = (f64::from(s.rate), f64::from(s.signup));
                let (_, uplift) = self
                    .hazard
                    .advance(rate, signup, f64::from(s.uplift), f64::from(s.at), end);
                let without = self.hazard.integral(rate, signup, 0.0, end, end + LATER_SECS);
                let with = self.hazard.integral(rate, signup, uplift, end, end + LATER_SECS);
                (-without).exp() - (-with).exp()
            })
            .collect()
    }

    /// Per customer index, the churn time as history seconds of its midnight, if before the end.
    pub fn churn_times(&mut self) -> Vec<Option<i64>> {
        self.apply_contacts();
        let mut out = vec![None; self.slot_of.len()];
        for (ci, &slot) in self.slot_of.iter().enumerate() {
            let day = self.churn_day[slot as usize];
            if u64::from(day) * DAY_SECS < self.end {
                out[ci] = Some(i64::from(day) * DAY_SECS as i64 - self.origin as i64);
            }
        }
        out
    }
}

/// The clock day from whose midnight a customer in state `s` is no longer one, if before `end`.
fn predict(hazard: &Hazard, s: &State, end: u64) -> u32 {
    let remaining = f64::from(s.threshold) - f64::from(s.cumulative);
    hazard
        .time_to(
            f64::from(s.rate),
            f64::from(s.signup),
            f64::from(s.uplift),
            f64::from(s.at),
            remaining,
            end as f64,
        )
        .map_or(NEVER, |t| (t / DAY_SECS as f64) as u32 + 1)
}
