//! CSAT: an ordinal logit model of the 1-5 score driven by the experience, and a response model in
//! which extreme experiences answer more (domain_facts.md §1.1-1.2, §2.1).
//!
//! Latent satisfaction = intercept + category effect + agent quality + per extra agent reply + per
//! reopen + escalation + a live contact abandoned and retried + a forced change of channel +
//! ln(resolution / channel norm) above the norm + ln(first reply / target) above the target, plus
//! standard logistic noise. Cut points at -1.0, -0.3, 0.4 and 1.8 give the score. The
//! probability of answering is the channel's rate times (1 + extremity × (|score - 3| / 2 - 0.5)):
//! 1s and 5s answer most, 3s least, which with a few bad experiences gives the J-shape of answered
//! ratings (many 5s, some 1s, few in between).

use crate::config::{Channel, Csat};

/// Cut points of the latent scale between scores 1|2, 2|3, 3|4 and 4|5.
pub const CUT_POINTS: [f64; 4] = [-1.0, -0.3, 0.4, 1.8];

/// What the customer went through, as of the solve.
#[derive(Debug, Clone, Copy)]
pub struct Experience {
    pub agent_replies: u32,
    pub reopens: u32,
    pub escalated: bool,
    pub resolution_secs: f64,
    pub first_reply_secs: f64,
    pub category_effect: f64,
    /// The customer had abandoned a live contact about this problem and had to try again.
    pub retried_after_abandoning: bool,
    /// The contact had to use another channel than the customer chose.
    pub switched_channel: bool,
    /// Resolution time the customer expected: the norm of the channel they chose, seconds.
    pub resolution_norm_secs: f64,
    /// First-reply target of the channel that served the contact, seconds.
    pub first_reply_target_secs: f64,
    /// ln(resolution / norm) above the norm, else 0 (see [`log_over`]).
    pub log_resolution_over_norm: f64,
    /// ln(first reply / target) above the target, else 0.
    pub log_first_reply_over_target: f64,
    pub agent_quality: f64,
}

/// ln(`secs` / `norm`) if `secs` exceeds `norm`, else 0: how far a time overran what was expected.
pub fn log_over(secs: f64, norm: f64) -> f64 {
    if secs > norm { (secs / norm.max(1.0)).ln() } else { 0.0 }
}

/// Mean latent satisfaction of an experience.
pub fn latent_mean(m: &Csat, e: &Experience) -> f64 {
    m.intercept
        + e.category_effect
        + e.agent_quality
        + m.per_extra_reply * f64::from(e.agent_replies.saturating_sub(1))
        + m.per_reopen * f64::from(e.reopens)
        + if e.escalated { m.escalated } else { 0.0 }
        + if e.retried_after_abandoning {
            m.abandoned_and_retried
        } else {
            0.0
        }
        + if e.switched_channel { m.switched_channel } else { 0.0 }
        + m.per_log_resolution_over_norm * e.log_resolution_over_norm
        + m.per_log_first_reply_over_target * e.log_first_reply_over_target
}

/// The 1-5 score for latent mean `mean` and a uniform `u` (logistic noise by inversion).
pub fn score(mean: f64, u: f64) -> u8 {
    let latent = mean + (u / (1.0 - u)).ln();
    1 + CUT_POINTS.iter().filter(|&&c| latent > c).count() as u8
}

/// Probability that an experience with latent mean `mean` would be rated 1-3 (the latent satisfaction
/// falls below the 3|4 cut point): how badly the contact went, for NPS and churn.
pub fn bad_probability(mean: f64) -> f64 {
    1.0 / (1.0 + (mean - CUT_POINTS[2]).exp())
}

/// Probability that a customer who would give `score` answers the survey.
pub fn response_probability(m: &Csat, channel: &Channel, score: u8) -> f64 {
    let extremeness = (f64::from(score) - 3.0).abs() / 2.0 - 0.5;
    (channel.csat_response_rate * (1.0 + m.extremity * extremeness)).clamp(0.0, 0.95)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_cover_1_to_5_in_order_of_the_latent_scale() {
        assert_eq!(score(0.0, 1e-9), 1);
        assert_eq!(score(0.0, 1.0 - 1e-9), 5);
        let mut last = 1;
        for i in 1..1000 {
            let s = score(0.3, i as f64 / 1000.0);
            assert!(s >= last);
            last = s;
        }
    }
}

/// The driver that mattered most for a score: for 1-3 the largest negative contribution to the
/// latent satisfaction (the product itself when none is negative), for 4-5 a quick fix or a helpful
/// agent.
pub fn driver(m: &Csat, e: &Experience, score: u8) -> super::comments::CsatTheme {
    use super::comments::CsatTheme;
    if score >= 4 {
        // Quick means within the channel's norm and within a day, so that praise of speed is true.
        let quick = e.agent_replies <= 1 && e.resolution_secs <= e.resolution_norm_secs.min(86_400.0);
        return if quick {
            CsatTheme::QuickFix
        } else {
            CsatTheme::HelpfulAgent
        };
    }
    let contributions = [
        (m.per_reopen * f64::from(e.reopens), CsatTheme::Reopened),
        (
            m.per_extra_reply * f64::from(e.agent_replies.saturating_sub(1)),
            CsatTheme::RepeatContact,
        ),
        (if e.escalated { m.escalated } else { 0.0 }, CsatTheme::Handoff),
        (
            if e.retried_after_abandoning {
                m.abandoned_and_retried
            } else {
                0.0
            },
            CsatTheme::RepeatContact,
        ),
        (
            if e.switched_channel { m.switched_channel } else { 0.0 },
            CsatTheme::ChannelSwitch,
        ),
        (
            m.per_log_resolution_over_norm * e.log_resolution_over_norm,
            CsatTheme::SlowResolution,
        ),
        (
            m.per_log_first_reply_over_target * e.log_first_reply_over_target,
            CsatTheme::SlowFirstReply,
        ),
        (e.category_effect.min(0.0), CsatTheme::ProductProblem),
    ];
    contributions
        .iter()
        .filter(|(c, _)| *c < 0.0)
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map_or(CsatTheme::ProductProblem, |(_, t)| *t)
}

/// Probability that an answer comes with a comment: about a third, more for extreme scores.
pub fn comment_probability(score: u8) -> f64 {
    0.25 + 0.1 * (f64::from(score) - 3.0).abs()
}
