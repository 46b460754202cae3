//! Scenario → validated run configuration. Every semantic rule lives here, so the simulation can trust
//! its input: shares sum to 1, rates are not negative, names resolve, shift and opening hours parse.
//!
//! Each section of the scenario file has its own validator in [`sections`] (customers, arrivals,
//! channels, categories, teams, outcomes) or [`issues`] (the pool of hidden issues); a new key is
//! checked in the one function of its section. Errors name the field by its path in the TOML
//! (`channels[2].share`) and the bad value.

mod changes;
mod issues;
mod sections;
mod time;

use chrono::{Datelike, NaiveDate};

pub use changes::{Change, Effect, Origin, change_id};
pub use issues::{Issue, IssueKind, IssueTemplate};
pub use time::{DAY_SECS, Duration, WEEKDAYS, WeeklyWindow, parse_clock, parse_days, parse_hours};

pub use crate::scenario::QueueDiscipline;
use crate::scenario::{BusinessModel, Scenario};

/// A scenario rule broken: `field` is the TOML path, `problem` says what is wrong with which value.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{field} {problem}")]
pub struct ConfigError {
    pub field: String,
    pub problem: String,
}

fn err(field: impl Into<String>, problem: impl Into<String>) -> ConfigError {
    ConfigError {
        field: field.into(),
        problem: problem.into(),
    }
}

/// Priorities, most urgent first; the index is the queue rank.
pub const PRIORITIES: [&str; 4] = ["urgent", "high", "normal", "low"];

/// Most channels a scenario may list (the engine keeps which are open in a 32-bit mask).
pub const MAX_CHANNELS: usize = 32;

#[derive(Debug, Clone)]
pub struct Region {
    pub name: String,
    pub share: f64,
    /// The region's local time minus the organisation's, seconds.
    pub local_offset_secs: i64,
    /// Public holidays as history days (0 = start date), sorted.
    pub holiday_days: Vec<i64>,
    pub holiday_contact_factor: f64,
}

impl Region {
    pub fn is_holiday(&self, history_day: i64) -> bool {
        self.holiday_days.binary_search(&history_day).is_ok()
    }
}

#[derive(Debug, Clone)]
pub struct Segment {
    pub name: String,
    pub share: f64,
    /// Median monthly revenue per customer, USD.
    pub mrr_usd: f64,
    /// Standard deviation of ln(revenue) around the median.
    pub mrr_sigma: f64,
    /// Fixed monthly fee on top of the varying revenue, USD.
    pub plan_fee_usd: f64,
    /// The segment pays no fee: its customers' NPS comments never name the price.
    pub free_plan: bool,
    pub contacts_per_month: f64,
    /// Monthly churn probability of an established customer with no recent support experience.
    pub churn_monthly: f64,
    pub nps_sentiment: f64,
    /// Log-odds shift of the segment's tickets towards urgent priorities.
    pub priority_shift: f64,
    /// Per channel, the multiplier of its share for the segment's contacts.
    pub channel_weights: Vec<f64>,
}

/// The validated NPS survey model (see [`crate::scenario::NpsSpec`]).
#[derive(Debug, Clone)]
pub struct Nps {
    pub panel_share: f64,
    pub survey_every_secs: u64,
    pub first_survey_after_secs: u64,
    /// When invitations go out, in the customer's region's local time.
    pub send_window: WeeklyWindow,
    pub response_rate: f64,
    pub answer_delay_mean_secs: f64,
    pub customer_sd: f64,
    pub noise_sd: f64,
    pub per_good_contact: f64,
    pub per_bad_contact: f64,
    pub per_abandoned_contact: f64,
    /// Time constant of the fading of the support experience, seconds.
    pub memory_secs: f64,
    pub zero_share: f64,
}

/// The validated churn hazard model (see [`crate::scenario::ChurnSpec`]).
#[derive(Debug, Clone)]
pub struct Churn {
    pub per_reopen: f64,
    pub escalated: f64,
    pub per_extra_reply: f64,
    pub abandoned: f64,
    pub retried: f64,
    pub switched_channel: f64,
    pub per_log_resolution_over_norm: f64,
    pub per_log_first_reply_over_target: f64,
    pub per_quality_shortfall: f64,
    /// Time constant of the fading of an experience's uplift, seconds.
    pub memory_secs: f64,
    pub recovery: f64,
    pub new_customer_factor: f64,
    pub new_customer_secs: f64,
    pub first_year_factor: f64,
    pub propensity_elasticity: f64,
    pub sentiment_effect: f64,
}

#[derive(Debug, Clone)]
pub struct Channel {
    pub name: String,
    pub live: bool,
    pub share: f64,
    pub first_reply_target_secs: u64,
    pub open: WeeklyWindow,
    pub concurrency: u32,
    /// None: customers wait forever.
    pub patience: Option<Duration>,
    pub handle_time_factor: f64,
    /// Resolution time customers expect on this channel, seconds.
    pub resolution_norm_secs: f64,
    /// CSAT answer probability after an ordinary experience.
    pub csat_response_rate: f64,
    /// Live channels: probability that a customer who abandoned contacts support again.
    pub abandon_retry_rate: f64,
    /// Live channels: time from being taken to the first reply (None: at once).
    pub pickup: Option<Duration>,
    pub discipline: crate::scenario::QueueDiscipline,
    /// For due-time ordering: per priority (urgent first), seconds from queueing to due.
    pub due_offset_secs: [u64; 4],
}

#[derive(Debug, Clone)]
pub struct Category {
    pub name: String,
    pub share: f64,
    pub handle_time: Duration,
    pub touches_mean: f64,
    pub customer_reply_delay: Duration,
    pub escalation_rate: f64,
    pub reopen_rate: f64,
    /// Cumulative shares in [`PRIORITIES`] order (urgent, high, normal, low), before segment shifts.
    pub priority_cumulative: [f64; 4],
    pub tier2_handle_time: Duration,
    pub tier2_touches_mean: f64,
    pub themes: Vec<String>,
    /// Shift of the CSAT log-odds for this category.
    pub csat_effect: f64,
    /// Per channel, the multiplier of its share for contacts of this category.
    pub channel_weights: Vec<f64>,
}

/// The validated CSAT model (see [`crate::scenario::CsatSpec`] for the meaning of each field).
#[derive(Debug, Clone)]
pub struct Csat {
    pub extremity: f64,
    pub intercept: f64,
    pub per_extra_reply: f64,
    pub per_reopen: f64,
    pub escalated: f64,
    pub abandoned_and_retried: f64,
    pub switched_channel: f64,
    pub per_log_resolution_over_norm: f64,
    pub per_log_first_reply_over_target: f64,
    pub answer_delay: Duration,
}

#[derive(Debug, Clone)]
pub struct Shift {
    pub name: String,
    pub window: WeeklyWindow,
    pub agents: u32,
    pub break_minutes: u32,
}

#[derive(Debug, Clone)]
pub struct Team {
    pub name: String,
    pub tier: u8,
    /// Indices into [`Config::channels`].
    pub channels: Vec<usize>,
    pub hourly_cost_usd: f64,
    pub quality_sd: f64,
    pub new_hire_ramp_days: u32,
    /// Daily probability of an unplanned absence.
    pub absence_rate: f64,
    /// Idle agents kept free for live contacts before anyone starts async work.
    pub live_reserve_agents: u32,
    pub shifts: Vec<Shift>,
    pub paid_break_minutes: u32,
    pub meeting_minutes_per_week: u32,
    pub training_hours_per_month: f64,
    pub leave_days_per_year: f64,
    pub attrition_per_year: f64,
    pub backfill_days: f64,
    /// Index of the region whose holidays the team observes.
    pub region: usize,
    pub holiday_staffing: f64,
}

/// Everything the simulation needs, checked.
#[derive(Debug, Clone)]
pub struct Config {
    pub company: String,
    pub industry: String,
    pub context: String,
    pub business_model: BusinessModel,
    pub start_date: NaiveDate,
    /// Weekday of the start date, Monday = 0.
    pub start_weekday: u32,
    pub history_days: u32,
    pub horizon_days: u32,
    pub warmup_days: u32,
    pub budget_usd: f64,
    /// Months of revenue a lost customer costs (`case.customer_value_months`).
    pub customer_value_months: f64,
    pub customers_initial: u32,
    pub growth_per_month: f64,
    /// Years over which the customers of the first warm-up day signed up.
    pub signups_since_years: f64,
    /// Coefficient of variation of the per-customer contact-rate multiplier.
    pub contact_dispersion: f64,
    pub regions: Vec<Region>,
    pub segments: Vec<Segment>,
    /// Mean 1 over the 24 hours.
    pub hour_weights: [f64; 24],
    /// Mean 1 over the 7 days, Monday first.
    pub weekday_weights: [f64; 7],
    pub daily_cv: f64,
    /// The timeline of changes to the operation's causes: the scenario's incidents first, then the
    /// planted issues' changes (see [`Config::with_issues`]).
    pub changes: Vec<Change>,
    pub channels: Vec<Channel>,
    pub categories: Vec<Category>,
    /// Cumulative priority shares (urgent first) of each segment's tickets of each category, indexed
    /// `segment * categories.len() + category`.
    pub priority_cumulative: Vec<[f64; 4]>,
    pub teams: Vec<Team>,
    pub reopen_delay: Duration,
    pub csat: Csat,
    pub nps: Nps,
    pub churn: Churn,
    /// The scenario's pool of hidden issues and how many a case draws.
    pub issue_pool: Vec<IssueTemplate>,
    pub issues_to_draw: u32,
    /// Issues planted in this run (none until [`Config::with_issues`]).
    pub active_issues: Vec<Issue>,
}

impl Config {
    pub fn channel_index(&self, name: &str) -> Option<usize> {
        self.channels.iter().position(|c| c.name == name)
    }
    pub fn category_index(&self, name: &str) -> Option<usize> {
        self.categories.iter().position(|c| c.name == name)
    }

    /// Cumulative priority shares of a ticket of `segment` and `category`, shifted a further `shift`
    /// log-odds towards urgent (incident contacts).
    pub fn priorities(&self, segment: usize, category: usize, shift: f64) -> [f64; 4] {
        let base = self.priority_cumulative[segment * self.categories.len() + category];
        if shift == 0.0 {
            base
        } else {
            shift_priorities(base, shift)
        }
    }

    /// Validates a scenario, section by section.
    pub fn from_scenario(s: &Scenario) -> Result<Config, ConfigError> {
        let c = &s.case;
        let start_date = sections::case(c)?;
        let customers = sections::customers(&s.customers, start_date)?;
        let profiles = sections::arrivals(&s.arrivals)?;
        let channels = sections::channels(&s.channels, &s.outcomes.csat)?;
        let categories = sections::categories(&s.categories, &channels)?;
        let segments = sections::segments(&s.customers.segments, &channels)?;
        sections::channel_reach(&segments, &categories, &channels)?;
        let changes = sections::incidents(&s.arrivals.incidents, &categories, c.history_days + c.horizon_days)?;
        let teams = sections::teams(&s.teams, &channels, &customers)?;
        sections::coverage(&channels, &categories, &teams)?;
        let reopen_delay = Duration::from_spec(&s.workflow.reopen_delay, "workflow.reopen_delay")?;
        let csat = sections::csat(&s.outcomes.csat)?;
        let nps = sections::nps(&s.outcomes.nps)?;
        let churn = sections::churn(&s.outcomes.churn)?;
        let issue_pool = issues::pool(&s.issues, &categories, &channels, &teams, c.history_days)?;
        let priority_cumulative = segments
            .iter()
            .flat_map(|seg| {
                categories
                    .iter()
                    .map(|k| shift_priorities(k.priority_cumulative, seg.priority_shift))
            })
            .collect();
        Ok(Config {
            company: c.company.clone(),
            industry: c.industry.clone(),
            context: c.context.clone(),
            business_model: c.business_model,
            start_weekday: start_date.weekday().num_days_from_monday(),
            start_date,
            history_days: c.history_days,
            horizon_days: c.horizon_days,
            warmup_days: c.warmup_days,
            budget_usd: c.budget_usd,
            customer_value_months: c.customer_value_months,
            customers_initial: s.customers.count,
            growth_per_month: s.customers.growth_per_month,
            signups_since_years: s.customers.signups_since_years,
            contact_dispersion: s.customers.contact_dispersion,
            regions: customers,
            segments,
            hour_weights: profiles.0,
            weekday_weights: profiles.1,
            daily_cv: s.arrivals.daily_cv,
            changes,
            channels,
            categories,
            priority_cumulative,
            teams,
            reopen_delay,
            csat,
            nps,
            churn,
            issue_pool,
            issues_to_draw: s.issues.draw,
            active_issues: Vec::new(),
        })
    }
}

/// Cumulative shares (urgent first) moved `shift` log-odds towards urgent: every cumulative share
/// strictly between 0 and 1 becomes logistic(logit(share) + shift), as in an ordinal logit model.
pub fn shift_priorities(cumulative: [f64; 4], shift: f64) -> [f64; 4] {
    cumulative.map(|c| {
        if c <= 0.0 || c >= 1.0 || shift == 0.0 {
            c
        } else {
            1.0 / (1.0 + (-((c / (1.0 - c)).ln() + shift)).exp())
        }
    })
}

/// `v` is finite and within [lo, hi].
fn check_range(field: &str, v: f64, lo: f64, hi: f64) -> Result<f64, ConfigError> {
    if v.is_finite() && (lo..=hi).contains(&v) {
        Ok(v)
    } else {
        Err(err(field, format!("must be between {lo} and {hi}, got {v}")))
    }
}

fn check_share(field: &str, v: f64) -> Result<f64, ConfigError> {
    check_range(field, v, 0.0, 1.0)
}

fn check_nonneg(field: &str, v: f64) -> Result<f64, ConfigError> {
    if v.is_finite() && v >= 0.0 {
        Ok(v)
    } else {
        Err(err(field, format!("must be >= 0, got {v}")))
    }
}

/// `v` is finite and > 0.
fn check_positive(field: &str, v: f64) -> Result<f64, ConfigError> {
    if v.is_finite() && v > 0.0 {
        Ok(v)
    } else {
        Err(err(field, format!("must be > 0, got {v}")))
    }
}

fn check_sum(field: &str, shares: impl Iterator<Item = f64>) -> Result<(), ConfigError> {
    let sum: f64 = shares.sum();
    if (sum - 1.0).abs() > 1e-6 {
        Err(err(field, format!("must sum to 1, got {}", (sum * 1e6).round() / 1e6)))
    } else {
        Ok(())
    }
}

fn check_names<'a>(field: &str, names: impl Iterator<Item = &'a str>) -> Result<(), ConfigError> {
    let mut seen = std::collections::HashSet::new();
    for (i, n) in names.enumerate() {
        if n.trim().is_empty() {
            return Err(err(format!("{field}[{i}].name"), "must not be empty, got \"\""));
        }
        if !n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
            return Err(err(
                format!("{field}[{i}].name"),
                format!("must use letters, digits, '_' or '-', got \"{n}\""),
            ));
        }
        if !seen.insert(n) {
            return Err(err(
                format!("{field}[{i}].name"),
                format!("is a duplicate, got \"{n}\""),
            ));
        }
    }
    if seen.is_empty() {
        return Err(err(field, "must have at least one entry, got none"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn priority_shifts_move_towards_urgent_and_keep_the_ends() {
        let base = [0.05, 0.25, 0.80, 1.0];
        let up = shift_priorities(base, 1.0);
        let down = shift_priorities(base, -1.0);
        for j in 0..3 {
            assert!(up[j] > base[j] && down[j] < base[j], "{up:?} {down:?}");
        }
        assert_eq!(up[3], 1.0);
        assert_eq!(shift_priorities([0.0, 0.3, 1.0, 1.0], 2.0)[0], 0.0);
        // logit(0.25) + ln 3 = logit(0.5)
        assert!((shift_priorities(base, 3f64.ln())[1] - 0.5).abs() < 1e-12);
    }
}
