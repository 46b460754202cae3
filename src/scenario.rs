//! The raw scenario file: serde structs that mirror `scenarios/*.toml` one to one.
//!
//! Nothing here is checked beyond types and unknown keys (`deny_unknown_fields` on every table);
//! every semantic rule (shares sum to 1, known channel names, positive durations) lives in
//! [`crate::config`], which turns a `Scenario` into a validated [`crate::config::Config`].
//! Durations carry their unit in the key name (`_minutes`, `_hours`, `_days`).

use std::collections::BTreeMap;

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
    /// Months of a customer's revenue that losing the customer costs the company: its expected
    /// remaining lifetime times its gross margin, as the finance team counts a lost customer
    /// (default 12). A plan's value counts each customer it keeps at this many months of revenue.
    #[serde(default = "default_customer_value_months")]
    pub customer_value_months: f64,
    /// How the company earns from its customers: it decides what `mrr_usd` and `churned_at` mean in
    /// the data dictionary and how customers word their comments.
    #[serde(default)]
    pub business_model: BusinessModel,
}

fn default_customer_value_months() -> f64 {
    12.0
}

fn default_warmup_days() -> u32 {
    14
}

/// How the company earns from its customers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BusinessModel {
    /// Businesses pay a monthly subscription (B2B software).
    #[default]
    Subscription,
    /// Consumers buy from a shop; revenue is what they spend.
    Retail,
    /// Consumers and small businesses hold accounts; revenue is monthly plan fees and card
    /// interchange.
    Banking,
}

/// The customer base.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomersSpec {
    /// Customers active on the first day of the history.
    pub count: u32,
    /// New customers per month as a fraction of the current base (0.02 = 2% a month).
    pub growth_per_month: f64,
    /// Years over which the customers of the first day signed up (default 5).
    #[serde(default = "default_signups_since_years")]
    pub signups_since_years: f64,
    /// Coefficient of variation of the per-customer multiplier of the contact rate (default 1; 0 =
    /// every customer of a segment contacts support equally often).
    #[serde(default = "default_contact_dispersion")]
    pub contact_dispersion: f64,
    pub regions: Vec<RegionSpec>,
    pub segments: Vec<SegmentSpec>,
}

fn default_signups_since_years() -> f64 {
    5.0
}

fn default_contact_dispersion() -> f64 {
    1.0
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionSpec {
    pub name: String,
    pub share: f64,
    /// The region's local time minus the organisation's, hours (default 0).
    #[serde(default)]
    pub local_offset_hours: f64,
    /// Public holidays in the region, "YYYY-MM-DD" (default none): its customers contact support
    /// less on them, and teams based in the region staff them thinly.
    #[serde(default)]
    pub holidays: Vec<String>,
    /// Contacts of the region's customers on one of its holidays, as a share of a normal day's
    /// (default 0.5).
    #[serde(default = "default_holiday_contact_factor")]
    pub holiday_contact_factor: f64,
}

fn default_holiday_contact_factor() -> f64 {
    0.5
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SegmentSpec {
    pub name: String,
    /// Share of customers in this segment.
    pub share: f64,
    /// Median monthly revenue per customer, USD.
    pub mrr_usd: f64,
    /// Standard deviation of ln(revenue) around the median (default 0.5; 0 = one price for all).
    #[serde(default = "default_mrr_sigma")]
    pub mrr_sigma: f64,
    /// A fixed monthly fee every customer of the segment pays on top of the varying
    /// `mrr_usd` × exp(`mrr_sigma` × z), USD (default 0): a bank plan's fee beside its interchange.
    #[serde(default)]
    pub plan_fee_usd: f64,
    /// The segment pays no fee (a free plan): its revenue comes from elsewhere, such as card
    /// interchange, and its customers never complain of the price (default false).
    #[serde(default)]
    pub free_plan: bool,
    /// Tickets per active customer per month.
    pub contacts_per_month: f64,
    /// Monthly churn probability of an established customer (past its first year) with no recent
    /// support experience.
    pub churn_monthly: f64,
    /// Mean NPS answer (0-10) of the segment's customers before any support experience (default 8).
    #[serde(default = "default_nps_sentiment")]
    pub nps_sentiment: f64,
    /// Shift of the segment's tickets towards more urgent priorities, log-odds (default 0).
    #[serde(default)]
    pub priority_shift: f64,
    /// Channel name → multiplier of that channel's share for the segment's contacts (default 1).
    #[serde(default)]
    pub channel_weights: BTreeMap<String, f64>,
}

fn default_absence_rate() -> f64 {
    0.04
}

fn default_paid_break_minutes() -> u32 {
    30
}

fn default_meeting_minutes_per_week() -> u32 {
    60
}

fn default_training_hours_per_month() -> f64 {
    4.0
}

fn default_leave_days_per_year() -> f64 {
    20.0
}

fn default_attrition_per_year() -> f64 {
    0.3
}

fn default_backfill_days() -> f64 {
    35.0
}

fn default_nps_sentiment() -> f64 {
    8.0
}

fn default_mrr_sigma() -> f64 {
    0.5
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
    /// Time of that day at which it begins, "HH:MM" (default "00:00").
    #[serde(default = "default_incident_start_time")]
    pub start_time: String,
    pub duration_hours: f64,
    /// Hours over which the extra volume ramps in, and out again before the end (default: a tenth
    /// of the duration, at most 2 hours).
    #[serde(default)]
    pub ramp_hours: Option<f64>,
    pub category: String,
    /// Total volume during the incident as a multiple of normal volume (3.0 = three times).
    pub volume_multiplier: f64,
    /// Shift of the extra contacts towards more urgent priorities, log-odds (default 1).
    #[serde(default = "default_incident_priority_shift")]
    pub priority_shift: f64,
}

fn default_incident_start_time() -> String {
    "00:00".into()
}

fn default_incident_priority_shift() -> f64 {
    1.0
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
    /// Live channels only: time from an agent taking the contact to its first reply (accept click and
    /// greeting, or ring time); the agent is busy meanwhile. Default lognormal with mean 0.5
    /// minutes and sigma 0.6 where agents hold several contacts at once (chat), else mean 0.12
    /// minutes and sigma 0.5 (a call); `{ distribution = "fixed", mean_minutes = 0 }` for none.
    #[serde(default)]
    pub pickup_time: Option<DurationSpec>,
    /// The order in which agents take the channel's queued work (default `due_time`).
    #[serde(default)]
    pub queue_discipline: QueueDiscipline,
    /// For `due_time`: a queued item is due at its queue time plus the first-reply target times
    /// its priority's factor (default urgent 0.25, high 0.5, normal 1, low 2).
    #[serde(default)]
    pub due_factors: Option<PriorityFactors>,
}

/// How agents pick the next queued item of a channel.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QueueDiscipline {
    /// Most urgent priority first, then longest waiting: low priority waits while anything else does.
    Priority,
    /// Earliest due time first, the due time set by the first-reply target and the priority.
    #[default]
    DueTime,
    /// Longest waiting first, whatever the priority.
    Fifo,
}

/// A factor per priority.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriorityFactors {
    pub urgent: f64,
    pub high: f64,
    pub normal: f64,
    pub low: f64,
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
    /// Channel name → multiplier of that channel's share for contacts of this category (default 1).
    #[serde(default)]
    pub channel_weights: BTreeMap<String, f64>,
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
    /// Probability that a rostered agent is absent on a given day without notice (sickness); the
    /// schedule still shows them (default 0.04).
    #[serde(default = "default_absence_rate")]
    pub absence_rate: f64,
    /// Paid breaks per agent and shift, minutes, taken as two breaks (default 30).
    #[serde(default = "default_paid_break_minutes")]
    pub paid_break_minutes: u32,
    /// The weekly team meeting or coaching session per agent, minutes (default 60).
    #[serde(default = "default_meeting_minutes_per_week")]
    pub meeting_minutes_per_week: u32,
    /// Training per agent, hours a month, in two-hour sessions (default 4).
    #[serde(default = "default_training_hours_per_month")]
    pub training_hours_per_month: f64,
    /// Planned leave per agent, working days a year, in blocks of one to five days; the schedule
    /// shows it (default 20).
    #[serde(default = "default_leave_days_per_year")]
    pub leave_days_per_year: f64,
    /// Share of the team's agents who leave in a year (default 0.3); each leaver's place is filled
    /// by a new hire after about `backfill_days`.
    #[serde(default = "default_attrition_per_year")]
    pub attrition_per_year: f64,
    /// Mean days from a leaver's last day to the replacement's first (default 35; hires start on
    /// Mondays).
    #[serde(default = "default_backfill_days")]
    pub backfill_days: f64,
    /// The region whose public holidays the team observes (default the first region).
    #[serde(default)]
    pub region: Option<String>,
    /// Share of each shift's agents rostered on a public holiday (default 0: the team is off).
    #[serde(default)]
    pub holiday_staffing: f64,
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
    /// Unpaid lunch break per agent and shift, minutes, taken near the middle of the shift on the
    /// half hour (staggered); not paid and not in the schedule.
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

/// The relationship NPS survey. Each customer is invited every `survey_every_days` from
/// `first_survey_after_days` after signing up, on a business day in business hours of their region.
/// An answer is the segment's `nps_sentiment` plus the customer's own lasting sentiment plus their
/// recent support experience plus noise, rounded and clipped to 0-10.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct NpsSpec {
    /// Share of customers in the survey panel (drawn once per customer); only they are invited.
    pub panel_share: f64,
    /// Days between two invitations of the same customer.
    pub survey_every_days: f64,
    /// Days after signing up before the first invitation.
    pub first_survey_after_days: f64,
    /// Days invitations go out on, in the customer's region, e.g. "Mon-Fri".
    pub send_days: String,
    /// Hours invitations go out in, in the customer's region, e.g. "09:00-17:00".
    pub send_hours: String,
    /// Probability that an invited customer answers.
    pub response_rate: f64,
    /// Mean time from invitation to answer, hours (exponential; night answers move to the morning).
    pub answer_delay_mean_hours: f64,
    /// Standard deviation of a customer's lasting sentiment around the segment's, score points.
    pub customer_sd: f64,
    /// Standard deviation of one answer around the customer's mean, score points.
    pub noise_sd: f64,
    /// Effect of a contact that went well, score points.
    pub per_good_contact: f64,
    /// Effect of a contact that surely went badly, score points (a contact counts by its probability
    /// of being rated 1-3).
    pub per_bad_contact: f64,
    /// Effect of a live contact the customer abandoned, score points.
    pub per_abandoned_contact: f64,
    /// Time constant over which the support experience fades, days.
    pub memory_days: f64,
    /// Share of would-be answers of 1-4 given as 0.
    pub zero_share: f64,
}

impl Default for NpsSpec {
    fn default() -> Self {
        Self {
            panel_share: 1.0,
            survey_every_days: 180.0,
            first_survey_after_days: 30.0,
            send_days: "Mon-Fri".into(),
            send_hours: "09:00-17:00".into(),
            response_rate: 0.25,
            answer_delay_mean_hours: 24.0,
            customer_sd: 1.2,
            noise_sd: 1.3,
            per_good_contact: 0.15,
            per_bad_contact: -1.8,
            per_abandoned_contact: -1.0,
            memory_days: 90.0,
            zero_share: 0.4,
        }
    }
}

/// Churn as a hazard in continuous time: an established customer's monthly `churn_monthly`, times a
/// tenure factor, times the customer's contact propensity and sentiment, times 1 + the uplift of its
/// recent support experiences (fading with `memory_days`). Each contact adds an uplift for the effort
/// it cost the customer.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ChurnSpec {
    /// Uplift per reopen of the solved ticket.
    pub per_reopen: f64,
    /// Uplift of an escalated ticket (a handoff to another team).
    pub escalated: f64,
    /// Uplift per agent reply beyond the second.
    pub per_extra_reply: f64,
    /// Uplift of a live contact the customer abandoned.
    pub abandoned: f64,
    /// Uplift of a contact the customer had to make again after abandoning a live one.
    pub retried: f64,
    /// Uplift of a contact that had to use another channel than the customer chose.
    pub switched_channel: f64,
    /// Uplift per unit of ln(resolution time / the channel's norm), above the norm.
    pub per_log_resolution_over_norm: f64,
    /// Uplift per unit of ln(first-reply time / the channel's target), above the target.
    pub per_log_first_reply_over_target: f64,
    /// Uplift per log-odd the solving agent's hidden quality falls below average.
    pub per_quality_shortfall: f64,
    /// Time constant over which an experience's uplift fades, days.
    pub memory_days: f64,
    /// Share of the accumulated uplift that an effortless contact removes (recovery).
    pub recovery: f64,
    /// Hazard multiplier in a customer's first `new_customer_days`.
    pub new_customer_factor: f64,
    pub new_customer_days: f64,
    /// Hazard multiplier from then to the end of the first year.
    pub first_year_factor: f64,
    /// Exponent of the customer's contact-rate multiplier in its hazard (customers with more problems
    /// churn more, whatever support does).
    pub propensity_elasticity: f64,
    /// Hazard falls by this many log units per standard deviation of the customer's lasting sentiment.
    pub sentiment_effect: f64,
}

impl Default for ChurnSpec {
    fn default() -> Self {
        Self {
            per_reopen: 0.8,
            escalated: 0.4,
            per_extra_reply: 0.15,
            abandoned: 1.0,
            retried: 0.5,
            switched_channel: 0.4,
            per_log_resolution_over_norm: 0.5,
            per_log_first_reply_over_target: 0.25,
            per_quality_shortfall: 0.4,
            memory_days: 45.0,
            recovery: 0.3,
            new_customer_factor: 2.0,
            new_customer_days: 90.0,
            first_year_factor: 1.3,
            propensity_elasticity: 0.3,
            sentiment_effect: 0.3,
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
    /// For a contact that had to use another channel than the customer chose.
    pub switched_channel: f64,
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
            switched_channel: -0.4,
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
        /// Days over which it grows to full strength (default per kind, see scenarios/README.md).
        #[serde(default)]
        ramp_days: Option<f64>,
        volume_multiplier: f64,
        handle_time_multiplier: f64,
    },
    /// Agents lack knowledge about a category: more escalations and reopens.
    KnowledgeGap {
        category: String,
        start_day_range: [u32; 2],
        /// Days over which it grows to full strength (default per kind, see scenarios/README.md).
        #[serde(default)]
        ramp_days: Option<f64>,
        escalation_multiplier: f64,
        reopen_multiplier: f64,
    },
    /// Agents leave a shift and are not replaced.
    StaffingCut {
        team: String,
        shift: String,
        agents: u32,
        start_day_range: [u32; 2],
        /// Days over which it grows to full strength (default per kind, see scenarios/README.md).
        #[serde(default)]
        ramp_days: Option<f64>,
    },
    /// Agents of a shift are replaced by new hires, who are slower while they ramp and rated lower.
    NewHireCohort {
        team: String,
        shift: String,
        agents: u32,
        start_day_range: [u32; 2],
        /// Days over which it grows to full strength (default per kind, see scenarios/README.md).
        #[serde(default)]
        ramp_days: Option<f64>,
        quality_delta: f64,
    },
    /// A team's work quality slides (coaching stopped, morale): lower CSAT for its tickets.
    QualitySlide {
        team: String,
        start_day_range: [u32; 2],
        /// Days over which it grows to full strength (default per kind, see scenarios/README.md).
        #[serde(default)]
        ramp_days: Option<f64>,
        quality_delta: f64,
    },
    /// A tooling or process change makes a team's handle times longer.
    HandleTimeCreep {
        team: String,
        start_day_range: [u32; 2],
        /// Days over which it grows to full strength (default per kind, see scenarios/README.md).
        #[serde(default)]
        ramp_days: Option<f64>,
        handle_time_multiplier: f64,
    },
    /// An outage: a burst of contacts about a category.
    Outage {
        category: String,
        start_day_range: [u32; 2],
        /// Days over which it grows to full strength (default per kind, see scenarios/README.md).
        #[serde(default)]
        ramp_days: Option<f64>,
        duration_hours: f64,
        volume_multiplier: f64,
        /// Shift of the extra contacts towards more urgent priorities, log-odds (default 1).
        #[serde(default = "default_incident_priority_shift")]
        priority_shift: f64,
    },
    /// Part of one channel's demand moves to another (a hidden chat button, a new contact form).
    ChannelShift {
        from: String,
        to: String,
        start_day_range: [u32; 2],
        /// Days over which it grows to full strength (default per kind, see scenarios/README.md).
        #[serde(default)]
        ramp_days: Option<f64>,
        share: f64,
    },
}

impl IssueSpec {
    /// The configured ramp, if any.
    pub fn ramp_days(&self) -> Option<f64> {
        match self {
            IssueSpec::ReleaseRegression { ramp_days, .. }
            | IssueSpec::KnowledgeGap { ramp_days, .. }
            | IssueSpec::StaffingCut { ramp_days, .. }
            | IssueSpec::NewHireCohort { ramp_days, .. }
            | IssueSpec::QualitySlide { ramp_days, .. }
            | IssueSpec::HandleTimeCreep { ramp_days, .. }
            | IssueSpec::Outage { ramp_days, .. }
            | IssueSpec::ChannelShift { ramp_days, .. } => *ramp_days,
        }
    }

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
