//! The raw scenario file: serde structs that mirror `scenarios/*.toml` one to one.
//!
//! Nothing here is checked beyond types and unknown keys (`deny_unknown_fields` on every table);
//! every semantic rule (shares sum to 1, known channel names, positive durations) lives in
//! [`crate::config`], which turns a `Scenario` into a validated [`crate::config::Config`].
//! Durations carry their unit in the key name (`_minutes`, `_hours`, `_days`).

use serde::{Deserialize, Serialize};

/// One fictional support organisation.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub case: CaseSpec,
    pub customers: CustomersSpec,
    pub arrivals: ArrivalsSpec,
    pub channels: Vec<ChannelSpec>,
    pub categories: Vec<CategorySpec>,
    pub teams: Vec<TeamSpec>,
    pub workflow: WorkflowSpec,
    /// How customers rate their experience (optional: defaults as documented).
    #[serde(default)]
    pub outcomes: OutcomesSpec,
    /// Hidden problems `generate` may plant (optional: none).
    #[serde(default)]
    pub issues: IssuesSpec,
}

/// The story and the clock of the case.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseSpec {
    pub company: String,
    pub industry: String,
    pub context: String,
    /// First day of the history, `YYYY-MM-DD`, local time of the organisation.
    pub start_date: String,
    /// Days of history the candidate sees.
    pub history_days: u32,
    /// Days simulated after the history when a proposal is scored.
    pub horizon_days: u32,
    /// Days simulated before the history so that it starts with a realistic backlog (not exported).
    #[serde(default = "default_warmup_days")]
    pub warmup_days: u32,
    /// What a proposal may spend over the horizon, USD.
    pub budget_usd: f64,
}

fn default_warmup_days() -> u32 {
    14
}

/// The customer base.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomersSpec {
    /// Customers active on the first day of the history.
    pub count: u32,
    /// New customers per month as a fraction of the current base (0.02 = 2% a month).
    pub growth_per_month: f64,
    pub regions: Vec<RegionSpec>,
    pub segments: Vec<SegmentSpec>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionSpec {
    pub name: String,
    pub share: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SegmentSpec {
    pub name: String,
    /// Share of customers in this segment.
    pub share: f64,
    /// Median monthly recurring revenue per customer, USD.
    pub mrr_usd: f64,
    /// Tickets per active customer per month.
    pub contacts_per_month: f64,
    /// Baseline monthly churn probability of a customer with no support contact that month.
    pub churn_monthly: f64,
    /// Mean NPS answer (0-10) of the segment's customers before any support experience (default 8).
    #[serde(default = "default_nps_sentiment")]
    pub nps_sentiment: f64,
}

fn default_nps_sentiment() -> f64 {
    8.0
}

/// When contacts arrive.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArrivalsSpec {
    /// 24 relative weights, hour 0 to 23 (normalised so that their mean is 1).
    pub hour_profile: Vec<f64>,
    /// 7 relative weights, Monday to Sunday (normalised so that their mean is 1).
    pub weekday_profile: Vec<f64>,
    /// Coefficient of variation of the gamma day-to-day volume multiplier (0 = pure Poisson).
    pub daily_cv: f64,
    #[serde(default)]
    pub incidents: Vec<IncidentSpec>,
}

/// A burst of contacts of one category (an outage, a bad release).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IncidentSpec {
    /// Day of the history (0 = start_date) on which it begins; may lie in the horizon.
    pub day: u32,
    /// Hour of that day at which it begins, 0-23.
    #[serde(default)]
    pub start_hour: u32,
    pub duration_hours: f64,
    pub category: String,
    /// Total volume during the incident as a multiple of normal volume (3.0 = three times).
    pub volume_multiplier: f64,
}

/// Asynchronous channels are queued and replied to later; live channels need an agent now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChannelKind {
    Async,
    Live,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChannelSpec {
    pub name: String,
    pub kind: ChannelKind,
    /// Share of contacts that choose this channel when it is open.
    pub share: f64,
    /// First-reply target, minutes.
    pub first_reply_target_minutes: f64,
    /// Days the channel takes contacts, e.g. "Mon-Fri" (default every day).
    #[serde(default)]
    pub open_days: Option<String>,
    /// Hours the channel takes contacts, e.g. "08:00-20:00" (default all day).
    #[serde(default)]
    pub open_hours: Option<String>,
    /// Contacts one agent holds at once (chat); 1 for everything else.
    #[serde(default)]
    pub concurrency: Option<u32>,
    /// Live channels only: how long a waiting customer stays before abandoning (none = forever).
    #[serde(default)]
    pub patience: Option<DurationSpec>,
    /// Multiplies the category's handle time on this channel (default 1).
    #[serde(default)]
    pub handle_time_factor: Option<f64>,
    /// Resolution time customers of this channel expect, minutes (default 30 live, 1440 async);
    /// CSAT falls with the log of resolution time over this norm.
    #[serde(default)]
    pub resolution_norm_minutes: Option<f64>,
    /// Probability that a customer answers the CSAT survey after an ordinary experience (default
    /// `outcomes.csat.response_rate`).
    #[serde(default)]
    pub csat_response_rate: Option<f64>,
    /// Live channels only: probability that a customer who abandoned contacts support again about the
    /// same problem, about 20 minutes later on average (default 0.5).
    #[serde(default)]
    pub abandon_retry_rate: Option<f64>,
}

/// A random duration. `mean_minutes` is the mean for every distribution.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "distribution", rename_all = "lowercase", deny_unknown_fields)]
pub enum DurationSpec {
    Exponential {
        mean_minutes: f64,
    },
    /// `sigma` is the standard deviation of the log.
    Lognormal {
        mean_minutes: f64,
        sigma: f64,
    },
    Fixed {
        mean_minutes: f64,
    },
}

/// Shares of priorities for a category; must sum to 1.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriorityMix {
    #[serde(default)]
    pub low: f64,
    #[serde(default)]
    pub normal: f64,
    #[serde(default)]
    pub high: f64,
    #[serde(default)]
    pub urgent: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategorySpec {
    pub name: String,
    /// Share of contacts about this category.
    pub share: f64,
    /// Agent handle time of one touch at tier 1.
    pub handle_time: DurationSpec,
    /// Mean agent touches a ticket needs at tier 1 (>= 1; extra touches are Poisson).
    pub touches_mean: f64,
    /// Time the customer takes to answer an agent before the next touch.
    pub customer_reply_delay: DurationSpec,
    /// Probability that tier 1 escalates a ticket of this category to tier 2.
    pub escalation_rate: f64,
    /// Probability that a solved ticket is reopened (each time it is solved).
    pub reopen_rate: f64,
    pub priority_mix: PriorityMix,
    /// Handle time of one tier-2 touch (default: the tier-1 handle time).
    #[serde(default)]
    pub tier2_handle_time: Option<DurationSpec>,
    /// Mean tier-2 touches of an escalated ticket (default 1.5).
    #[serde(default)]
    pub tier2_touches_mean: Option<f64>,
    /// Words customers use about this category (comment themes).
    #[serde(default)]
    pub themes: Vec<String>,
    /// Shift of the CSAT log-odds for tickets of this category (default 0; negative for disputes).
    #[serde(default)]
    pub csat_effect: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeamSpec {
    pub name: String,
    /// 1 = front line, 2 = takes escalations.
    pub tier: u8,
    /// Channels this team answers (tier 2: channels whose escalations it takes).
    pub channels: Vec<String>,
    /// Fully loaded cost of one agent-hour, USD.
    pub hourly_cost_usd: f64,
    /// Standard deviation of the hidden per-agent quality effect (log-odds of a good rating).
    pub quality_sd: f64,
    /// Days a new hire needs to reach full speed (handle time up to 50% longer before).
    pub new_hire_ramp_days: u32,
    /// Probability that a rostered agent is absent on a given day (sickness, training).
    #[serde(default)]
    pub absence_rate: f64,
    /// Teams that answer live channels and async work: agents start async work only while at least
    /// this many other agents of the team stay idle for live contacts (default 0).
    #[serde(default)]
    pub live_reserve_agents: u32,
    pub shifts: Vec<ShiftSpec>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShiftSpec {
    pub name: String,
    /// e.g. "Mon-Fri", "Sat-Sun", "Mon,Wed,Fri", "Mon-Sun".
    pub days: String,
    /// e.g. "08:00-16:30"; an end before the start runs past midnight; "24:00" is allowed.
    pub hours: String,
    /// Agents rostered on this shift.
    pub agents: u32,
    /// Unpaid break per agent and shift, minutes, taken near the middle of the shift (staggered).
    #[serde(default)]
    pub break_minutes: u32,
}

/// How tickets move once they exist.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkflowSpec {
    /// Time from a solve to the customer reopening the ticket.
    pub reopen_delay: DurationSpec,
}

/// Outcome models.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutcomesSpec {
    #[serde(default)]
    pub csat: CsatSpec,
    #[serde(default)]
    pub nps: NpsSpec,
    #[serde(default)]
    pub churn: ChurnSpec,
}

/// The monthly relationship NPS survey. A customer's answer is the segment's `nps_sentiment` plus
/// their support experience (each contact adds its effect; the total decays every month) plus normal
/// noise, rounded and clipped to 0-10.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct NpsSpec {
    /// Share of active customers surveyed each month.
    pub survey_share: f64,
    /// Probability that a surveyed customer answers.
    pub response_rate: f64,
    /// Standard deviation of the answer around the customer's mean, score points.
    pub noise_sd: f64,
    /// Effect of a contact solved with little effort (one or two agent replies, no reopen or
    /// escalation), score points.
    pub per_easy_contact: f64,
    /// Effect of an effortful contact (reopened, escalated, three or more agent replies, or an
    /// abandoned live contact), score points.
    pub per_effortful_contact: f64,
    /// Share of the accumulated support experience kept from one month to the next.
    pub monthly_retention: f64,
}

impl Default for NpsSpec {
    fn default() -> Self {
        Self {
            survey_share: 0.1,
            response_rate: 0.25,
            noise_sd: 2.0,
            per_easy_contact: 0.2,
            per_effortful_contact: -1.0,
            monthly_retention: 0.7,
        }
    }
}

/// Monthly churn: at the end of each month of the history an active customer churns with the
/// segment's `churn_monthly` times a multiplier for the worst support experience of that month.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ChurnSpec {
    /// Multiplier after a month whose contacts were all easy.
    pub after_easy: f64,
    /// Multiplier after a month with an effortful contact.
    pub after_effortful: f64,
    /// Multiplier after an effortful contact followed by an easy solve in the same month (recovery
    /// lowers the uplift but does not remove it).
    pub after_recovered: f64,
}

impl Default for ChurnSpec {
    fn default() -> Self {
        Self {
            after_easy: 0.9,
            after_effortful: 1.6,
            after_recovered: 1.3,
        }
    }
}

/// The CSAT survey and the ordinal model of the 1-5 score. The latent satisfaction is
/// `intercept + effects + logistic noise`; cut points at -1.0, -0.3, 0.4 and 1.8 turn it into 1-5.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CsatSpec {
    /// Probability of an answer after an ordinary experience (a 4 or 2), unless the channel sets its own.
    pub response_rate: f64,
    /// How much more extreme experiences answer: a 1 or a 5 answers (1 + extremity/2) times as often,
    /// a 3 (1 - extremity/2) times.
    pub extremity: f64,
    /// Latent satisfaction of a one-touch ticket resolved at the channel's norm by an average agent.
    pub intercept: f64,
    /// Per agent reply beyond the first.
    pub per_extra_reply: f64,
    /// Per reopen.
    pub per_reopen: f64,
    /// For an escalated ticket.
    pub escalated: f64,
    /// For a ticket opened again after the customer abandoned a live contact about the same problem.
    pub abandoned_and_retried: f64,
    /// Per unit of ln(resolution time / channel norm), counted only above the norm.
    pub per_log_resolution_over_norm: f64,
    /// Per unit of ln(first reply time / first-reply target), counted only above the target.
    pub per_log_first_reply_over_target: f64,
    /// Time from the solve to the answer.
    pub answer_delay: DurationSpec,
}

impl Default for CsatSpec {
    fn default() -> Self {
        Self {
            response_rate: 0.15,
            extremity: 0.6,
            intercept: 3.0,
            per_extra_reply: -0.35,
            per_reopen: -1.4,
            escalated: -0.3,
            abandoned_and_retried: -0.6,
            per_log_resolution_over_norm: -0.45,
            per_log_first_reply_over_target: -0.1,
            answer_delay: DurationSpec::Lognormal {
                mean_minutes: 720.0,
                sigma: 1.0,
            },
        }
    }
}

/// The hidden problems a case may contain: `generate` draws `draw` of the `pool` by seed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IssuesSpec {
    /// How many issues each case gets.
    #[serde(default)]
    pub draw: u32,
    #[serde(default)]
    pub pool: Vec<IssueSpec>,
}

/// One kind of hidden problem. It starts on a day drawn from `start_day_range` (inclusive) and
/// changes causes of the operation, never its outcomes directly.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum IssueSpec {
    /// A product release raises contacts about a category and makes them slower to handle.
    ReleaseRegression {
        category: String,
        start_day_range: [u32; 2],
        volume_multiplier: f64,
        handle_time_multiplier: f64,
    },
    /// Agents lack knowledge about a category: more escalations and reopens.
    KnowledgeGap {
        category: String,
        start_day_range: [u32; 2],
        escalation_multiplier: f64,
        reopen_multiplier: f64,
    },
    /// Agents leave a shift and are not replaced.
    StaffingCut {
        team: String,
        shift: String,
        agents: u32,
        start_day_range: [u32; 2],
    },
    /// Agents of a shift are replaced by new hires, who are slower while they ramp and rated lower.
    NewHireCohort {
        team: String,
        shift: String,
        agents: u32,
        start_day_range: [u32; 2],
        quality_delta: f64,
    },
    /// A team's work quality slides (coaching stopped, morale): lower CSAT for its tickets.
    QualitySlide {
        team: String,
        start_day_range: [u32; 2],
        quality_delta: f64,
    },
    /// A tooling or process change makes a team's handle times longer.
    HandleTimeCreep {
        team: String,
        start_day_range: [u32; 2],
        handle_time_multiplier: f64,
    },
    /// An outage: a burst of contacts about a category.
    Outage {
        category: String,
        start_day_range: [u32; 2],
        duration_hours: f64,
        volume_multiplier: f64,
    },
    /// Part of one channel's demand moves to another (a hidden chat button, a new contact form).
    ChannelShift {
        from: String,
        to: String,
        start_day_range: [u32; 2],
        share: f64,
    },
}

impl IssueSpec {
    pub fn start_day_range(&self) -> [u32; 2] {
        match self {
            IssueSpec::ReleaseRegression { start_day_range, .. }
            | IssueSpec::KnowledgeGap { start_day_range, .. }
            | IssueSpec::StaffingCut { start_day_range, .. }
            | IssueSpec::NewHireCohort { start_day_range, .. }
            | IssueSpec::QualitySlide { start_day_range, .. }
            | IssueSpec::HandleTimeCreep { start_day_range, .. }
            | IssueSpec::Outage { start_day_range, .. }
            | IssueSpec::ChannelShift { start_day_range, .. } => *start_day_range,
        }
    }
}
