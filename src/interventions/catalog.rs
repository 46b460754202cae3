//! The intervention catalog: every kind of change a proposal may make, with its parameters (units
//! and valid ranges), prices, lead time and ramp, the causes it touches and the documented range of
//! its effect (domain_facts §5). One table drives `supportsim interventions`, the brief, proposal
//! validation and costing, so a kind is described in one place.
//!
//! The exact strength of each kind in a case is drawn inside its range per case (see
//! [`strength_draw`]) and kept in the answer key; candidates see the ranges only.

use serde::Serialize;

use crate::rng::{Seeds, mix64};

/// What a parameter takes.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum ParamKind {
    /// A team of the scenario.
    Team,
    /// A live channel of the scenario (chat, phone).
    LiveChannel,
    /// A category of the scenario.
    Category,
    /// A segment of the scenario.
    Segment,
    /// Days of the week: `Mon-Fri`, `Sat-Sun`, `Mon,Wed,Fri`, `daily`.
    Days,
    /// Hours of the day: `08:00-20:00` (an end at or before the start runs past midnight).
    Hours,
    /// A whole number in `min..=max`.
    Count { min: i64, max: i64 },
    /// One of the listed words.
    Choice { values: &'static [&'static str] },
    /// A day of the horizon: 0 is the first day after the history.
    HorizonDay,
}

/// One parameter of a kind.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Param {
    pub name: &'static str,
    #[serde(flatten)]
    pub kind: ParamKind,
    pub required: bool,
    /// What it means, with its unit.
    pub doc: &'static str,
}

/// The documented range of one effect of a kind on one cause.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct EffectRange {
    /// The cause it changes.
    pub cause: &'static str,
    pub low: f64,
    pub high: f64,
    /// How `low` and `high` read: `x` multiplies, `share` is a fraction, `log-odds` shifts; empty
    /// when the effect is what the parameters say (agents, hours) and has no range.
    pub unit: &'static str,
}

/// One kind of intervention.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Kind {
    pub name: &'static str,
    pub summary: &'static str,
    pub params: &'static [Param],
    /// Days from `start_day` until it starts acting (hiring, building, configuring).
    pub lead_days: u32,
    /// Days from then until it acts at full strength.
    pub ramp_days: u32,
    /// One-off cost, in words with its prices.
    pub one_off: &'static str,
    /// Running cost over the days it runs, in words with its prices.
    pub running: &'static str,
    pub effects: &'static [EffectRange],
    /// Where the prices and effect sizes come from.
    pub source: &'static str,
}

/// Every change starts on `start_day` and may stop on `end_day` (days of the horizon).
const WHEN: [Param; 2] = [
    Param {
        name: "start_day",
        kind: ParamKind::HorizonDay,
        required: false,
        doc: "day of the horizon it is decided and paid from (0 = the first day after the history; default 0); it acts after its lead time",
    },
    Param {
        name: "end_day",
        kind: ParamKind::HorizonDay,
        required: false,
        doc: "day of the horizon it stops (running costs stop too); default: it runs to the end of the horizon",
    },
];

const TEAM: Param = Param {
    name: "team",
    kind: ParamKind::Team,
    required: true,
    doc: "the team it applies to",
};
const CATEGORY: Param = Param {
    name: "category",
    kind: ParamKind::Category,
    required: true,
    doc: "the ticket category it applies to",
};
const DAYS: Param = Param {
    name: "days",
    kind: ParamKind::Days,
    required: true,
    doc: "days of the week, e.g. Mon-Fri, Sat-Sun, Mon,Wed,Fri or daily",
};
const HOURS: Param = Param {
    name: "hours",
    kind: ParamKind::Hours,
    required: true,
    doc: "hours of the day, local time, e.g. 08:00-20:00",
};
const AGENTS: Param = Param {
    name: "agents",
    kind: ParamKind::Count { min: 1, max: 100 },
    required: true,
    doc: "number of agents (people on shift in those hours)",
};

/// One-off cost of recruiting and onboarding one agent, USD (domain_facts §5.1: replacement costs
/// $10k-20k including lost productivity, which the new-hire ramp models separately).
pub const HIRE_USD: f64 = 6_000.0;
/// Extending opening hours: the rota and tooling, USD.
pub const EXTEND_SETUP_USD: f64 = 2_000.0;
/// Premium on the hourly cost for evening, night and weekend hours when opening hours are extended.
pub const UNSOCIAL_PREMIUM: f64 = 0.15;
/// Knowledge base: building the content (one-off) and keeping it current (per 30 days), USD.
pub const KB_BUILD_USD: f64 = 12_000.0;
pub const KB_UPKEEP_USD_PER_30_DAYS: f64 = 1_000.0;
/// Chatbot: setup, and the vendor's price per conversation it resolves, USD (domain_facts §5.2:
/// about $0.90-1.00 per AI-resolved conversation).
pub const BOT_SETUP_USD: f64 = 15_000.0;
pub const BOT_USD_PER_DEFLECTION: f64 = 1.0;
/// Training: course cost per agent of the team, and the hours of each agent's time it takes.
pub const TRAINING_USD_PER_AGENT: f64 = 400.0;
pub const TRAINING_HOURS_PER_AGENT: f64 = 8.0;
/// Routing: configuring the routing rule, USD.
pub const ROUTING_USD: f64 = 5_000.0;
/// Product fix: engineering time to fix a defect, USD.
pub const FIX_USD: f64 = 40_000.0;
/// Proactive communication: status page and tooling (one-off), running per 30 days, USD.
pub const PROACTIVE_SETUP_USD: f64 = 6_000.0;
pub const PROACTIVE_USD_PER_30_DAYS: f64 = 500.0;
/// QA coaching: coach hours per 12 agents per week, a coach's hourly cost, and each agent's hour of
/// coaching a week at the team's hourly cost.
pub const COACH_HOURS_PER_12_AGENTS_PER_WEEK: f64 = 10.0;
pub const COACH_USD_PER_HOUR: f64 = 55.0;
pub const COACHED_HOURS_PER_AGENT_PER_WEEK: f64 = 1.0;

macro_rules! params {
    ($($p:expr),* $(,)?) => {
        &[$($p,)* WHEN[0], WHEN[1]]
    };
}

/// The catalog, in the order `supportsim interventions` prints it.
pub const KINDS: [Kind; 10] = [
    Kind {
        name: "add_agents",
        summary: "hire agents onto a team for some days and hours of the week",
        params: params![TEAM, DAYS, HOURS, AGENTS],
        lead_days: 21,
        ramp_days: 0,
        one_off: "$6,000 per agent (recruiting and onboarding)",
        running: "agents x hours a week in the window x the team's hourly cost, from the day they start",
        effects: &[EffectRange {
            cause: "staff on duty in the window (added agents start at reduced productivity and ramp up as the team's recruits do)",
            low: 1.0,
            high: 1.0,
            unit: "",
        }],
        source: "domain_facts 5.1 (fully loaded cost per agent-year; about 2-3 months at reduced productivity)",
    },
    Kind {
        name: "remove_agents",
        summary: "take agents off a team for some days and hours of the week (a saving)",
        params: params![TEAM, DAYS, HOURS, AGENTS],
        lead_days: 14,
        ramp_days: 0,
        one_off: "none",
        running: "minus agents x the hours a week they are taken off (the whole hours of the team's shift that works most of the window, on the window's days) x the team's hourly cost (a saving that offsets other spending)",
        effects: &[EffectRange {
            cause: "staff on duty in the window",
            low: 1.0,
            high: 1.0,
            unit: "",
        }],
        source: "domain_facts 5.1",
    },
    Kind {
        name: "extend_hours",
        summary: "open a live channel for more days or hours, staffed by a team",
        params: params![
            Param {
                name: "channel",
                kind: ParamKind::LiveChannel,
                required: true,
                doc: "the live channel to open longer",
            },
            Param {
                name: "team",
                kind: ParamKind::Team,
                required: true,
                doc: "the team that staffs the added hours (it must serve the channel)",
            },
            DAYS,
            HOURS,
            AGENTS,
        ],
        lead_days: 14,
        ramp_days: 0,
        one_off: "$2,000 (rota and tooling)",
        running: "agents x added hours a week x the team's hourly cost x 1.15 (unsocial hours)",
        effects: &[EffectRange {
            cause: "the channel's opening hours, and staff on duty in them",
            low: 1.0,
            high: 1.0,
            unit: "",
        }],
        source: "domain_facts 5.6 (small off-hours volume runs at low occupancy)",
    },
    Kind {
        name: "knowledge_base",
        summary: "write knowledge-base and self-service content for a category",
        params: params![CATEGORY],
        lead_days: 14,
        ramp_days: 60,
        one_off: "$12,000 (writing the content)",
        running: "$1,000 per 30 days (keeping it current)",
        effects: &[
            EffectRange {
                cause: "handle time of the category's tickets",
                low: 0.70,
                high: 0.90,
                unit: "x",
            },
            EffectRange {
                cause: "escalations of the category's tickets",
                low: 0.70,
                high: 0.90,
                unit: "x",
            },
            EffectRange {
                cause: "reopens of the category's tickets",
                low: 0.75,
                high: 0.90,
                unit: "x",
            },
            EffectRange {
                cause: "the category's contacts resolved by self-service instead (deflected)",
                low: 0.02,
                high: 0.08,
                unit: "share",
            },
        ],
        source: "domain_facts 5.3 (KCS: resolution 25-50% faster, fewer escalations) and 5.2 (9% fully resolve in self-service)",
    },
    Kind {
        name: "chatbot",
        summary: "put a bot in front of a live channel; some contacts it answers wrongly come back",
        params: params![Param {
            name: "channel",
            kind: ParamKind::LiveChannel,
            required: true,
            doc: "the live channel the bot answers first",
        }],
        lead_days: 21,
        ramp_days: 30,
        one_off: "$15,000 (setup and tuning)",
        running: "$1.00 per conversation the bot resolves",
        effects: &[
            EffectRange {
                cause: "the channel's contacts the bot resolves (deflected)",
                low: 0.10,
                high: 0.30,
                unit: "share",
            },
            EffectRange {
                cause: "deflected contacts that come back as a repeat contact on another channel",
                low: 0.25,
                high: 0.45,
                unit: "share",
            },
        ],
        source: "domain_facts 5.2 (AI resolution median 10%, 20-35% in the first months; $0.90-1.00 per resolution)",
    },
    Kind {
        name: "training",
        summary: "train a team on a category",
        params: params![TEAM, CATEGORY],
        lead_days: 7,
        ramp_days: 30,
        one_off: "$400 per agent of the team, plus 8 hours of each agent's time at the team's hourly cost",
        running: "none",
        effects: &[
            EffectRange {
                cause: "handle time of the team's agents on the category",
                low: 0.85,
                high: 0.95,
                unit: "x",
            },
            EffectRange {
                cause: "escalations by the team's agents on the category",
                low: 0.75,
                high: 0.90,
                unit: "x",
            },
            EffectRange {
                cause: "reopens of the team's tickets of the category",
                low: 0.80,
                high: 0.95,
                unit: "x",
            },
        ],
        source: "domain_facts 5.4 (synthesis; not sourced, a hypothesis to test)",
    },
    Kind {
        name: "routing",
        summary: "change routing: a segment first in every queue, or a category straight to tier 2",
        params: params![
            Param {
                name: "rule",
                kind: ParamKind::Choice {
                    values: &["segment_priority", "skills_tier2"],
                },
                required: true,
                doc: "segment_priority: the segment's tickets are taken first; skills_tier2: the category's tickets go straight to tier 2",
            },
            Param {
                name: "segment",
                kind: ParamKind::Segment,
                required: false,
                doc: "the segment served first (rule = segment_priority)",
            },
            Param {
                name: "category",
                kind: ParamKind::Category,
                required: false,
                doc: "the category routed to tier 2 (rule = skills_tier2)",
            },
        ],
        lead_days: 7,
        ramp_days: 0,
        one_off: "$5,000 (configuring the rule)",
        running: "none",
        effects: &[EffectRange {
            cause: "escalations of a category routed to tier 2",
            low: 0.20,
            high: 0.50,
            unit: "x",
        }],
        source: "domain_facts 5.4 (specialists 5-15% higher FCR; overflow lowers it)",
    },
    Kind {
        name: "product_fix",
        summary: "fix a product defect behind a category's extra contacts",
        params: params![CATEGORY],
        lead_days: 30,
        ramp_days: 7,
        one_off: "$40,000 (engineering time)",
        running: "none",
        effects: &[EffectRange {
            cause: "extra contacts and handle time from a product defect in the category: removed (nothing changes if there is no defect)",
            low: 0.0,
            high: 0.0,
            unit: "",
        }],
        source: "engineering cost; the effect is the defect's, removed",
    },
    Kind {
        name: "proactive_communication",
        summary: "tell customers about incidents before they ask (status page, proactive email)",
        params: params![Param {
            name: "category",
            kind: ParamKind::Category,
            required: false,
            doc: "the category whose incidents it covers (default: every category)",
        }],
        lead_days: 7,
        ramp_days: 0,
        one_off: "$6,000 (status page and tooling)",
        running: "$500 per 30 days",
        effects: &[EffectRange {
            cause: "extra contacts during incidents",
            low: 0.50,
            high: 0.80,
            unit: "x",
        }],
        source: "domain_facts 5.5 (incident-driven inbound cut by 20-50%)",
    },
    Kind {
        name: "qa_coaching",
        summary: "coach a team's agents on quality from reviewed tickets",
        params: params![TEAM],
        lead_days: 14,
        ramp_days: 60,
        one_off: "none",
        running: "10 coach hours a week per 12 agents at $55 an hour, plus 1 hour a week of each agent's time at the team's hourly cost",
        effects: &[EffectRange {
            cause: "quality of the team's agents (about +1 to +3 points of CSAT)",
            low: 0.10,
            high: 0.30,
            unit: "log-odds",
        }],
        source: "domain_facts 5.4 (synthesis: +1 to +3 pts CSAT for coached cohorts; not sourced)",
    },
];

/// The kind named `name`.
pub fn kind(name: &str) -> Option<&'static Kind> {
    KINDS.iter().find(|k| k.name == name)
}

/// The names of every kind, comma-separated (for error messages).
pub fn kind_names() -> String {
    KINDS.iter().map(|k| k.name).collect::<Vec<_>>().join(", ")
}

/// Where in its documented range a kind acts in the case with `case_seed`: a uniform in [0, 1),
/// the same for every proposal scored on the case (the answer key reports it).
pub fn strength_draw(case_seed: u64, kind: &str) -> f64 {
    let key = Seeds::new(case_seed).entity_key(crate::config::change_id(&format!("intervention:{kind}")));
    Seeds::uniform(mix64(key), crate::rng::Draw::ChangeSpread, 1)
}

/// The value effect `e` of `kind` takes in the case with `case_seed`: its range's low end plus the
/// case's strength draw of the kind times the range's width.
pub fn effect_in_case(case_seed: u64, kind: &Kind, e: &EffectRange) -> f64 {
    e.low + strength_draw(case_seed, kind.name) * (e.high - e.low)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_is_named_once_with_start_and_end_and_ordered_ranges() {
        for (i, k) in KINDS.iter().enumerate() {
            assert!(KINDS[..i].iter().all(|o| o.name != k.name), "{} twice", k.name);
            assert!(k.params.iter().any(|p| p.name == "start_day"));
            assert!(k.params.iter().any(|p| p.name == "end_day"));
            for e in k.effects {
                assert!(e.low <= e.high, "{}: {}", k.name, e.cause);
            }
        }
        assert!(kind("chatbot").is_some() && kind("robot").is_none());
        let s = strength_draw(3, "chatbot");
        assert!((0.0..1.0).contains(&s));
        assert_eq!(s, strength_draw(3, "chatbot"));
        assert_ne!(s, strength_draw(4, "chatbot"));
    }
}
