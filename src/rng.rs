//! The only place random numbers are made.
//!
//! Two kinds of randomness live here:
//! - **Named streams**: a seedable generator for one purpose and one key (a day of arrivals, a change's
//!   extra arrivals, a team's turnover, a customer segment), derived from the run's master seed.
//!   Changing how many numbers one stream uses never moves another stream.
//! - **Keyed draws**: counter-based uniforms `u(key, purpose, index)` that hash the ticket's key with a
//!   purpose tag. A ticket's category, handle times, patience and reply delays therefore do not depend
//!   on the order in which the simulation asks for them, nor on staffing. A status-quo run and an
//!   intervention run see the same customers with the same problems (common random numbers).
//!
//! Generators are Xoshiro256++ (portable, value-stable across platforms); no thread or OS randomness.

use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

/// The generator every stream uses.
pub type StreamRng = Xoshiro256PlusPlus;

/// Purposes of named streams. The discriminant is part of the derived seed: never renumber.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u64)]
pub enum Stream {
    /// Daily volume (over-dispersion) and arrival instants; keyed by day index.
    Arrivals = 1,
    /// Customer attributes (region, revenue, signup); keyed by segment.
    Customers = 2,
    /// A team's staff turnover (when agents leave, whom it takes); keyed by the team's name. Agents'
    /// own draws (tenure, quality, absences, leave, training) are keyed draws of their identity.
    Agents = 3,
    // 4 was the per-day absence stream of an earlier roster; the number stays retired.
    /// Arrivals a change adds (incidents, outages, regressions); keyed by the change's identity and
    /// the day.
    Incidents = 5,
    /// Which hidden issues a case gets and when they start; keyed 0.
    Issues = 6,
    /// Which questions a metrics quiz asks and about what; keyed by the quiz's seed.
    Quiz = 7,
}

/// Purposes of keyed per-ticket draws. Never renumber: the values are part of every draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u64)]
pub enum Draw {
    Channel = 1,
    Category = 2,
    Priority = 3,
    Touches = 4,
    Escalate = 5,
    Patience = 6,
    HandleTime = 7,
    ReplyDelay = 8,
    Reopen = 9,
    ReopenDelay = 10,
    Customer = 11,
    Tier2Touches = 12,
    SurveyScore = 13,
    SurveyResponse = 14,
    SurveyDelay = 15,
    Churn = 16,
    NpsSelect = 17,
    NpsOffset = 18,
    NpsResponse = 19,
    NpsScore = 20,
    NpsDelay = 21,
    CommentGiven = 22,
    CommentWords = 23,
    ChannelShift = 24,
    NpsComment = 25,
    Retry = 26,
    NpsPanel = 27,
    /// How strongly a change acts on one agent, segment or hour (keyed by the change).
    ChangeSpread = 28,
    /// Live pickup (accept or ring) time of a ticket's first touch.
    Pickup = 29,
    /// Roster draws keyed by an agent: tenure, quality, absences, leave, training.
    AgentTenure = 30,
    AgentQuality = 31,
    Absence = 32,
    Leave = 33,
    Training = 34,
    /// Which agents work a public holiday, keyed by team, shift and day.
    HolidayCrew = 35,
    /// Staff turnover of a team: when agents leave, who leaves, how long the backfill takes.
    Turnover = 36,
    /// Thinning of contacts on a customer's regional public holiday.
    HolidayDemand = 37,
    /// When in the day a planted issue starts.
    IssueStart = 38,
    /// Whether a change deflects a contact (index 0) and whether it comes back (index 1); keyed by
    /// the ticket and the change.
    Deflect = 39,
}

/// SplitMix64 finaliser: a bijective 64-bit mixer with good avalanche.
#[inline]
pub fn mix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Maps 64 random bits to a uniform in the open interval (0, 1).
#[inline]
fn bits_to_open01(bits: u64) -> f64 {
    // Through i64: the 53-bit value converts in one instruction, where a u64 needs a fix-up sequence.
    ((bits >> 11) as i64 as f64 + 0.5) * (1.0 / (1u64 << 53) as f64)
}

/// The standard normal quantile of `p` in (0, 1): Acklam's rational approximation (relative error
/// below 1.2e-9), cheap in the central region where almost all draws fall.
pub fn inverse_normal_cdf(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    const LOW: f64 = 0.024_25;
    if p < LOW {
        let q = (-2.0 * p.ln()).sqrt();
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    } else if p <= 1.0 - LOW {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        -inverse_normal_cdf(1.0 - p)
    }
}

/// Derives generators and keyed draws from one master seed.
#[derive(Debug, Clone, Copy)]
pub struct Seeds {
    master: u64,
}

impl Seeds {
    /// `master` is the user's `--seed`.
    pub fn new(master: u64) -> Self {
        Self {
            master: mix64(master ^ 0x5EED_5EED_0000_0001),
        }
    }

    /// A generator for `stream`, keyed by `key` (a day, a team, a segment).
    pub fn stream(&self, stream: Stream, key: u64) -> StreamRng {
        let s = mix64(self.master ^ mix64((stream as u64) << 56 ^ key));
        StreamRng::seed_from_u64(s)
    }

    /// The key of the ticket that arrived as number `index` of arrival `source` (0 = regular demand,
    /// 1 + i = incident i) on `day` (days from the start of the history, negative in the warm-up).
    /// It depends on nothing the operation does, so staffing changes never change who arrives.
    pub fn ticket_key(&self, day: i64, source: u32, index: u32) -> u64 {
        let day_source = mix64((day as u64) << 16 ^ u64::from(source) ^ 0x7 << 60);
        mix64(self.master ^ mix64(day_source ^ u64::from(index)))
    }

    /// The key of ticket number `index` added by change `change_id` on `day`: independent of every
    /// other change, so removing one change leaves the others' contacts as they were.
    pub fn change_ticket_key(&self, change_id: u64, day: i64, index: u32) -> u64 {
        let day_change = mix64(mix64(change_id ^ 0xC << 60) ^ day as u64);
        mix64(self.master ^ mix64(day_change ^ u64::from(index)))
    }

    /// A key for the keyed draws of a roster entity (an agent, a team's turnover), from a label hash.
    pub fn entity_key(&self, id: u64) -> u64 {
        mix64(self.master ^ mix64(0xA << 60 ^ id))
    }

    /// The key of customer `index` (their churn and NPS draws), independent of the operation.
    pub fn customer_key(&self, index: u32) -> u64 {
        mix64(self.master ^ mix64(0x9 << 60 ^ u64::from(index)))
    }

    /// A keyed uniform in (0, 1): the `index`-th draw for `purpose` of the ticket with `key`.
    #[inline]
    pub fn uniform(key: u64, purpose: Draw, index: u32) -> f64 {
        bits_to_open01(mix64(key ^ mix64(((purpose as u64) << 32) | u64::from(index))))
    }

    /// A keyed standard normal: the inverse normal CDF of one keyed uniform, so a ticket's draw keeps
    /// its quantile whatever else changes.
    #[inline]
    pub fn normal(key: u64, purpose: Draw, index: u32) -> f64 {
        inverse_normal_cdf(Self::uniform(key, purpose, index))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    /// Pins the first values so that an accidental change of derivation (which would change every
    /// generated case) fails loudly.
    #[test]
    fn value_stability() {
        let seeds = Seeds::new(1);
        let mut r = seeds.stream(Stream::Arrivals, 0);
        let first: u64 = r.random();
        let key = seeds.ticket_key(3, 0, 7);
        let u = Seeds::uniform(key, Draw::Category, 0);
        assert_eq!(mix64(0), 0xE220_A839_7B1D_CDAF);
        // Recorded from this implementation; update only with a deliberate change (and a new version).
        assert_eq!(
            (first, key),
            (PINNED_FIRST, PINNED_KEY),
            "first={first:#x} key={key:#x}"
        );
        assert!((u - PINNED_U).abs() < 1e-15, "u={u:.17}");
    }

    const PINNED_FIRST: u64 = 0x6538_93a9_7829_3d75;
    const PINNED_KEY: u64 = 0x58f0_dbdc_b7e6_7dd0;
    const PINNED_U: f64 = 0.649_943_937_709_617_2;

    #[test]
    fn keyed_uniforms_look_uniform() {
        let n = 200_000;
        let mut sum = 0.0;
        let mut below_tenth = 0;
        for i in 0..n {
            let u = Seeds::uniform(i as u64 * 7919, Draw::HandleTime, 0);
            assert!(u > 0.0 && u < 1.0);
            sum += u;
            if u < 0.1 {
                below_tenth += 1;
            }
        }
        let mean = sum / n as f64;
        assert!((mean - 0.5).abs() < 0.003, "mean {mean}");
        let share = below_tenth as f64 / n as f64;
        assert!((share - 0.1).abs() < 0.003, "share {share}");
    }

    #[test]
    fn inverse_normal_cdf_matches_known_quantiles() {
        for (p, z) in [
            (0.5, 0.0),
            (0.975, 1.959_963_984_540_054),
            (0.001, -3.090_232_306_167_813),
            (0.9, 1.281_551_565_544_6),
        ] {
            assert!(
                (inverse_normal_cdf(p) - z).abs() < 1e-8,
                "p {p}: {}",
                inverse_normal_cdf(p)
            );
        }
        let n = 100_000;
        let draws: Vec<f64> = (0..n).map(|i| Seeds::normal(i, Draw::HandleTime, 0)).collect();
        let mean = draws.iter().sum::<f64>() / n as f64;
        let var = draws.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64;
        assert!(mean.abs() < 0.01 && (var - 1.0).abs() < 0.02, "mean {mean} var {var}");
    }

    #[test]
    fn streams_differ_by_purpose_and_key() {
        let s = Seeds::new(9);
        let a: u64 = s.stream(Stream::Arrivals, 1).random();
        let b: u64 = s.stream(Stream::Arrivals, 2).random();
        let c: u64 = s.stream(Stream::Agents, 1).random();
        assert!(a != b && a != c && b != c);
    }
}
