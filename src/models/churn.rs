//! Churn as a hazard in continuous time (domain_facts.md §2.2).
//!
//! A customer's hazard at time t is
//!
//! ```text
//! h(t) = rate × tenure_factor(t - signup) × (1 + U(t)),   U(t) = U(t0) × exp(-(t - t0) / memory)
//! ```
//!
//! where `rate` is the segment's established-customer hazard times the customer's own propensity and
//! sentiment terms, the tenure factor is `new_customer_factor` in the first `new_customer_days`,
//! `first_year_factor` to the end of the first year and 1 after, and U is the uplift of recent
//! support experiences: each contact adds its uplift ([`contact_uplift`], or `abandoned` for an
//! abandoned live contact), which then fades with time constant `memory_days`. The customer churns when the integrated hazard reaches its own Exp(1) threshold,
//! drawn once from the customer's key, so that two runs that differ only in what support does
//! compare the same customers (common random numbers). Between contacts the hazard integrates in
//! closed form; the churn time inverts it by Newton steps (the integral is increasing and concave
//! within a tenure piece, so they approach the root from below).

use crate::config::Churn;
use crate::models::csat::Experience;
use crate::sim::customers::YEAR_SECS;

/// The hazard uplift a solved contact adds for the effort it cost the customer: reopens, a handoff,
/// replies beyond the second, having to try again after abandoning, a forced change of channel,
/// resolution beyond the channel's norm and first reply beyond its target (per unit of ln), and the
/// solving agent's quality shortfall. Norms are the customer's (see [`Experience`]).
pub fn contact_uplift(c: &Churn, e: &Experience) -> f64 {
    c.per_reopen * f64::from(e.reopens)
        + if e.escalated { c.escalated } else { 0.0 }
        + c.per_extra_reply * f64::from(e.agent_replies.saturating_sub(2))
        + if e.retried_after_abandoning { c.retried } else { 0.0 }
        + if e.switched_channel { c.switched_channel } else { 0.0 }
        + c.per_log_resolution_over_norm * e.log_resolution_over_norm
        + c.per_log_first_reply_over_target * e.log_first_reply_over_target
        + c.per_quality_shortfall * (-e.agent_quality).max(0.0)
}

/// The share of the accumulated uplift a contact with uplift `uplift` leaves: an effortless contact
/// removes `recovery` of it, one with an uplift of 1 or more removes nothing.
pub fn kept_after(c: &Churn, uplift: f64) -> f64 {
    1.0 - c.recovery * (1.0 - uplift).max(0.0)
}

/// The tenure pieces of one configuration.
#[derive(Debug, Clone, Copy)]
pub struct Hazard {
    /// Tenure (seconds) at which the first and second pieces end.
    bounds: [f64; 2],
    factors: [f64; 3],
    /// Time constant of the uplift's fading, seconds.
    memory_secs: f64,
    /// The largest tenure factor.
    max_factor: f64,
}

impl Hazard {
    pub fn new(c: &Churn) -> Self {
        Self {
            bounds: [c.new_customer_secs, YEAR_SECS.max(c.new_customer_secs)],
            factors: [c.new_customer_factor, c.first_year_factor, 1.0],
            memory_secs: c.memory_secs,
            max_factor: c.new_customer_factor.max(c.first_year_factor).max(1.0),
        }
    }

    /// The tenure piece containing tenure `tenure` and the tenure at which it ends.
    fn piece(&self, tenure: f64) -> (f64, f64) {
        if tenure < self.bounds[0] {
            (self.factors[0], self.bounds[0])
        } else if tenure < self.bounds[1] {
            (self.factors[1], self.bounds[1])
        } else {
            (self.factors[2], f64::INFINITY)
        }
    }

    /// Integrated hazard over `len` seconds with tenure factor `factor` from an uplift `u`, and the
    /// uplift's fading factor over that time (one exponential serves both).
    #[inline]
    fn within(&self, rate: f64, factor: f64, u: f64, len: f64) -> (f64, f64) {
        if u == 0.0 {
            return (rate * factor * len, 1.0);
        }
        let fade = (-len / self.memory_secs).exp();
        (rate * factor * (len + u * self.memory_secs * (1.0 - fade)), fade)
    }

    /// The integrated hazard from `from` to `to` (clock seconds) of a customer with base `rate` per
    /// second who signed up at `signup`, with uplift `u` at `from`; and the uplift at `to`.
    pub fn advance(&self, rate: f64, signup: f64, u: f64, from: f64, to: f64) -> (f64, f64) {
        let (mut t, mut u, mut total) = (from, u, 0.0);
        while t < to {
            let (factor, piece_end) = self.piece(t - signup);
            let end = (signup + piece_end).min(to);
            let (part, fade) = self.within(rate, factor, u, end - t);
            total += part;
            u *= fade;
            t = end;
        }
        (total, u)
    }

    /// The integrated hazard from `from` to `to`; see [`Self::advance`].
    pub fn integral(&self, rate: f64, signup: f64, u: f64, from: f64, to: f64) -> f64 {
        self.advance(rate, signup, u, from, to).0
    }

    /// The first time at or after `from` at which the hazard integrated from `from` reaches
    /// `remaining`, if before `limit`.
    pub fn time_to(&self, rate: f64, signup: f64, u: f64, from: f64, remaining: f64, limit: f64) -> Option<f64> {
        if remaining <= 0.0 {
            return Some(from);
        }
        // Most customers cannot churn before the limit even at the highest tenure factor: say so
        // without walking the pieces.
        let most = rate * self.max_factor * ((limit - from).max(0.0) + u * self.memory_secs);
        if rate <= 0.0 || most < remaining {
            return None;
        }
        let (mut t, mut u, mut left) = (from, u, remaining);
        while t < limit {
            let (factor, piece_end) = self.piece(t - signup);
            let end = (signup + piece_end).min(limit);
            let (whole, fade) = self.within(rate, factor, u, end - t);
            if whole < left {
                left -= whole;
                u *= fade;
                t = end;
                continue;
            }
            return Some(t + self.solve(rate * factor, u, left, end - t));
        }
        None
    }

    /// The Δ in [0, max] with `rate` × (Δ + u τ (1 - e^(-Δ/τ))) = `target`, by Newton steps from 0.
    fn solve(&self, rate: f64, u: f64, target: f64, max: f64) -> f64 {
        let tau = self.memory_secs;
        let mut x = 0.0f64;
        for _ in 0..40 {
            let e = (-x / tau).exp();
            let f = rate * (x + u * tau * (1.0 - e)) - target;
            let slope = rate * (1.0 + u * e);
            let step = -f / slope;
            x = (x + step).min(max);
            if step.abs() < 0.5 {
                break;
            }
        }
        x
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hazard() -> Hazard {
        Hazard::new(&Churn {
            per_reopen: 0.8,
            escalated: 0.4,
            per_extra_reply: 0.15,
            abandoned: 0.6,
            retried: 0.3,
            switched_channel: 0.4,
            per_log_resolution_over_norm: 0.35,
            per_log_first_reply_over_target: 0.12,
            per_quality_shortfall: 0.4,
            memory_secs: 30.0 * 86_400.0,
            recovery: 0.3,
            new_customer_factor: 2.0,
            new_customer_secs: 90.0 * 86_400.0,
            first_year_factor: 1.3,
            propensity_elasticity: 0.0,
            sentiment_effect: 0.0,
        })
    }

    impl Hazard {
        /// The uplift at `to` of an uplift `u` at `from`.
        fn faded(&self, u: f64, from: f64, to: f64) -> f64 {
            if u == 0.0 {
                0.0
            } else {
                u * (-(to - from) / self.memory_secs).exp()
            }
        }
    }

    /// The integral by the midpoint rule with one-minute steps.
    fn numeric(h: &Hazard, rate: f64, signup: f64, u: f64, from: f64, to: f64) -> f64 {
        let step: f64 = 60.0;
        let mut t = from;
        let mut total = 0.0;
        while t < to {
            let dt = step.min(to - t);
            let mid = t + dt / 2.0;
            let (factor, _) = h.piece(mid - signup);
            total += rate * factor * (1.0 + h.faded(u, from, mid)) * dt;
            t += dt;
        }
        total
    }

    #[test]
    fn the_integral_agrees_with_numeric_integration_across_tenure_pieces() {
        let h = hazard();
        let rate = 0.02 / (30.44 * 86_400.0);
        let day = 86_400.0;
        for (signup, u, from, to) in [
            (0.0, 0.0, 0.0, 400.0 * day),
            (0.0, 1.5, 80.0 * day, 120.0 * day),
            (-1000.0 * day, 3.0, 0.0, 45.0 * day),
            (10.0 * day, 0.7, 50.0 * day, 380.0 * day),
        ] {
            let exact = h.integral(rate, signup, u, from, to);
            let approx = numeric(&h, rate, signup, u, from, to);
            assert!(
                (exact - approx).abs() < 1e-6 * approx.max(1e-9) + 1e-9,
                "{exact} vs {approx}"
            );
        }
    }

    #[test]
    fn the_churn_time_inverts_the_integral() {
        let h = hazard();
        let rate = 0.03 / (30.44 * 86_400.0);
        let day = 86_400.0;
        for (signup, u, from, remaining) in [
            (0.0, 0.0, 0.0, 0.05),
            (0.0, 2.0, 85.0 * day, 0.2),
            (-50.0 * day, 4.0, 0.0, 1.3),
        ] {
            let t = h.time_to(rate, signup, u, from, remaining, 1e12).expect("churns");
            let reached = h.integral(rate, signup, u, from, t);
            assert!((reached - remaining).abs() < 1e-6, "{reached} vs {remaining}");
        }
        assert_eq!(
            h.time_to(rate, 0.0, 0.0, 0.0, 100.0, 365.0 * day),
            None,
            "not before the limit"
        );
        assert_eq!(h.time_to(rate, 0.0, 0.0, 5.0, -1.0, 1e9), Some(5.0), "already reached");
    }

    #[test]
    fn an_uplift_raises_the_hazard_and_fades() {
        let h = hazard();
        let rate = 0.02 / (30.44 * 86_400.0);
        let day = 86_400.0;
        let plain = h.integral(rate, -2000.0 * day, 0.0, 0.0, 30.0 * day);
        let upl = h.integral(rate, -2000.0 * day, 2.0, 0.0, 30.0 * day);
        // Over one time constant an uplift U adds U × (1 - 1/e) of the base.
        assert!((upl / plain - (1.0 + 2.0 * (1.0 - (-1.0f64).exp()))).abs() < 1e-9);
        assert!((h.faded(2.0, 0.0, 30.0 * day) - 2.0 / std::f64::consts::E).abs() < 1e-12);
    }
}
