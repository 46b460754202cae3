//! Scenario → validated run configuration. Every semantic rule lives here, so the simulation can trust
//! its input: shares sum to 1, rates are not negative, names resolve, shift and opening hours parse.
//!
//! Errors name the field by its path in the TOML (`channels[2].share`) and the bad value.

use chrono::{Datelike, NaiveDate};

use crate::scenario::{ChannelKind, DurationSpec, IssueSpec, Scenario};

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

/// Seconds in a day.
pub const DAY_SECS: u64 = 86_400;

/// Priorities, most urgent first; the index is the queue rank.
pub const PRIORITIES: [&str; 4] = ["urgent", "high", "normal", "low"];

/// A validated random duration, in seconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Duration {
    Exponential {
        mean_secs: f64,
    },
    /// ln(seconds) ~ Normal(mu, sigma).
    Lognormal {
        mu: f64,
        sigma: f64,
    },
    Fixed {
        secs: f64,
    },
}

impl Duration {
    /// Mean in seconds.
    pub fn mean_secs(&self) -> f64 {
        match *self {
            Duration::Exponential { mean_secs } => mean_secs,
            Duration::Lognormal { mu, sigma } => (mu + sigma * sigma / 2.0).exp(),
            Duration::Fixed { secs } => secs,
        }
    }

    /// Whether the draw uses a normal variate (lognormal) rather than a uniform.
    pub fn needs_normal(&self) -> bool {
        matches!(self, Duration::Lognormal { .. })
    }

    /// A duration in seconds from a uniform `u` in (0, 1) and a standard normal `z`; only the one the
    /// distribution needs is read.
    #[inline]
    pub fn sample_secs(&self, u: f64, z: f64) -> f64 {
        match *self {
            Duration::Exponential { mean_secs } => -mean_secs * u.ln(),
            Duration::Lognormal { mu, sigma } => (mu + sigma * z).exp(),
            Duration::Fixed { secs } => secs,
        }
    }

    fn from_spec(spec: &DurationSpec, field: &str) -> Result<Self, ConfigError> {
        let mean_of = |m: f64| -> Result<f64, ConfigError> {
            if m.is_finite() && m > 0.0 {
                Ok(m * 60.0)
            } else {
                Err(err(format!("{field}.mean_minutes"), format!("must be > 0, got {m}")))
            }
        };
        Ok(match *spec {
            DurationSpec::Exponential { mean_minutes } => Duration::Exponential {
                mean_secs: mean_of(mean_minutes)?,
            },
            DurationSpec::Fixed { mean_minutes } => Duration::Fixed {
                secs: mean_of(mean_minutes)?,
            },
            DurationSpec::Lognormal { mean_minutes, sigma } => {
                let mean = mean_of(mean_minutes)?;
                if !(sigma.is_finite() && sigma > 0.0 && sigma <= 4.0) {
                    return Err(err(format!("{field}.sigma"), format!("must be in (0, 4], got {sigma}")));
                }
                Duration::Lognormal {
                    mu: mean.ln() - sigma * sigma / 2.0,
                    sigma,
                }
            }
        })
    }
}

/// Which days of the week (Monday = 0) and which minutes of the day something is on.
#[derive(Debug, Clone, PartialEq)]
pub struct WeeklyWindow {
    pub days: [bool; 7],
    /// Minute of the day it starts, 0..1440.
    pub start_minute: u32,
    /// Minute it ends, counted from the start day's midnight; > 1440 runs past midnight.
    pub end_minute: u32,
}

impl WeeklyWindow {
    pub fn always() -> Self {
        Self {
            days: [true; 7],
            start_minute: 0,
            end_minute: 1440,
        }
    }

    /// Whether the window covers `minute_of_week` (Monday 00:00 = 0).
    pub fn covers(&self, minute_of_week: u32) -> bool {
        let day = minute_of_week / 1440;
        let minute = minute_of_week % 1440;
        // Today's window, or yesterday's window running past midnight.
        let today = self.days[day as usize] && minute >= self.start_minute && minute < self.end_minute;
        let yesterday = (day + 6) % 7;
        let carry = self.end_minute > 1440 && self.days[yesterday as usize] && minute + 1440 < self.end_minute;
        today || carry
    }
}

/// Most channels a scenario may list (the engine keeps which are open in a 32-bit mask).
pub const MAX_CHANNELS: usize = 32;

pub const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

fn parse_weekday(s: &str) -> Option<usize> {
    WEEKDAYS.iter().position(|d| d.eq_ignore_ascii_case(s.trim()))
}

/// Parses "Mon-Fri", "Sat-Sun", "Mon,Wed,Fri", "Fri-Mon" (wraps), "daily".
pub fn parse_days(s: &str) -> Option<[bool; 7]> {
    let mut days = [false; 7];
    if s.trim().eq_ignore_ascii_case("daily") {
        return Some([true; 7]);
    }
    for part in s.split(',') {
        match part.split_once('-') {
            Some((a, b)) => {
                let (a, b) = (parse_weekday(a)?, parse_weekday(b)?);
                let mut d = a;
                loop {
                    days[d] = true;
                    if d == b {
                        break;
                    }
                    d = (d + 1) % 7;
                }
            }
            None => days[parse_weekday(part)?] = true,
        }
    }
    Some(days)
}

fn parse_clock(s: &str) -> Option<u32> {
    let (h, m) = s.trim().split_once(':')?;
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    if m >= 60 || h > 24 || (h == 24 && m != 0) {
        return None;
    }
    Some(h * 60 + m)
}

/// Parses "08:00-17:30"; an end at or before the start runs past midnight. Returns (start, end) minutes.
pub fn parse_hours(s: &str) -> Option<(u32, u32)> {
    let (a, b) = s.split_once('-')?;
    let (start, end) = (parse_clock(a)?, parse_clock(b)?);
    if start >= 1440 {
        return None;
    }
    let end = if end <= start { end + 1440 } else { end };
    if end - start > 1440 {
        return None;
    }
    Some((start, end))
}

#[derive(Debug, Clone)]
pub struct Region {
    pub name: String,
    pub share: f64,
}

#[derive(Debug, Clone)]
pub struct Segment {
    pub name: String,
    pub share: f64,
    pub mrr_usd: f64,
    pub contacts_per_month: f64,
    pub churn_monthly: f64,
    pub nps_sentiment: f64,
}

/// The validated NPS survey model (see [`crate::scenario::NpsSpec`]).
#[derive(Debug, Clone)]
pub struct Nps {
    pub survey_share: f64,
    pub response_rate: f64,
    pub noise_sd: f64,
    pub per_easy_contact: f64,
    pub per_effortful_contact: f64,
    pub monthly_retention: f64,
}

/// The validated churn model (see [`crate::scenario::ChurnSpec`]).
#[derive(Debug, Clone)]
pub struct Churn {
    pub after_easy: f64,
    pub after_effortful: f64,
    pub after_recovered: f64,
}

#[derive(Debug, Clone)]
pub struct Incident {
    /// Seconds from the start of the history.
    pub start_secs: u64,
    pub end_secs: u64,
    pub category: usize,
    pub volume_multiplier: f64,
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
    /// Cumulative shares in [`PRIORITIES`] order (urgent, high, normal, low).
    pub priority_cumulative: [f64; 4],
    pub tier2_handle_time: Duration,
    pub tier2_touches_mean: f64,
    pub themes: Vec<String>,
    /// Shift of the CSAT log-odds for this category.
    pub csat_effect: f64,
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
    pub absence_rate: f64,
    /// Idle agents kept free for live contacts before anyone starts async work.
    pub live_reserve_agents: u32,
    pub shifts: Vec<Shift>,
}

/// What a hidden issue changes, with names resolved to indices.
#[derive(Debug, Clone, PartialEq)]
pub enum IssueKind {
    ReleaseRegression {
        category: usize,
        volume_multiplier: f64,
        handle_time_multiplier: f64,
    },
    KnowledgeGap {
        category: usize,
        escalation_multiplier: f64,
        reopen_multiplier: f64,
    },
    StaffingCut {
        team: usize,
        shift: usize,
        agents: u32,
    },
    NewHireCohort {
        team: usize,
        shift: usize,
        agents: u32,
        quality_delta: f64,
    },
    QualitySlide {
        team: usize,
        quality_delta: f64,
    },
    HandleTimeCreep {
        team: usize,
        handle_time_multiplier: f64,
    },
    Outage {
        category: usize,
        duration_secs: u64,
        volume_multiplier: f64,
    },
    ChannelShift {
        from: usize,
        to: usize,
        share: f64,
    },
}

impl IssueKind {
    /// The kind's name as written in scenario files.
    pub fn name(&self) -> &'static str {
        match self {
            IssueKind::ReleaseRegression { .. } => "release_regression",
            IssueKind::KnowledgeGap { .. } => "knowledge_gap",
            IssueKind::StaffingCut { .. } => "staffing_cut",
            IssueKind::NewHireCohort { .. } => "new_hire_cohort",
            IssueKind::QualitySlide { .. } => "quality_slide",
            IssueKind::HandleTimeCreep { .. } => "handle_time_creep",
            IssueKind::Outage { .. } => "outage",
            IssueKind::ChannelShift { .. } => "channel_shift",
        }
    }
}

/// An issue of the scenario's pool, before its start day is drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct IssueTemplate {
    pub kind: IssueKind,
    /// Inclusive range of history days it may start on.
    pub start_day_range: [u32; 2],
}

/// An issue planted in a run.
#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    pub kind: IssueKind,
    /// History day it starts on (at 00:00, or 10:00 for an outage).
    pub start_day: u32,
    /// Position in the scenario's pool.
    pub pool_index: usize,
}

impl Issue {
    /// Clock-free start: seconds from the start of the history.
    pub fn start_secs(&self) -> u64 {
        let hour = if matches!(self.kind, IssueKind::Outage { .. }) {
            10
        } else {
            0
        };
        u64::from(self.start_day) * DAY_SECS + hour * 3600
    }
}

/// Everything the simulation needs, checked.
#[derive(Debug, Clone)]
pub struct Config {
    pub company: String,
    pub industry: String,
    pub context: String,
    pub start_date: NaiveDate,
    /// Weekday of the start date, Monday = 0.
    pub start_weekday: u32,
    pub history_days: u32,
    pub horizon_days: u32,
    pub warmup_days: u32,
    pub budget_usd: f64,
    pub customers_initial: u32,
    pub growth_per_month: f64,
    pub regions: Vec<Region>,
    pub segments: Vec<Segment>,
    /// Mean 1 over the 24 hours.
    pub hour_weights: [f64; 24],
    /// Mean 1 over the 7 days, Monday first.
    pub weekday_weights: [f64; 7],
    pub daily_cv: f64,
    pub incidents: Vec<Incident>,
    pub channels: Vec<Channel>,
    pub categories: Vec<Category>,
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
    /// How many of `incidents` come from the scenario (the rest come from active issues).
    pub configured_incidents: usize,
}

impl Config {
    pub fn channel_index(&self, name: &str) -> Option<usize> {
        self.channels.iter().position(|c| c.name == name)
    }
    pub fn category_index(&self, name: &str) -> Option<usize> {
        self.categories.iter().position(|c| c.name == name)
    }
}

fn check_share(field: &str, v: f64) -> Result<(), ConfigError> {
    if v.is_finite() && (0.0..=1.0).contains(&v) {
        Ok(())
    } else {
        Err(err(field, format!("must be between 0 and 1, got {v}")))
    }
}

fn check_nonneg(field: &str, v: f64) -> Result<(), ConfigError> {
    if v.is_finite() && v >= 0.0 {
        Ok(())
    } else {
        Err(err(field, format!("must be >= 0, got {v}")))
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

fn profile<const N: usize>(field: &str, v: &[f64]) -> Result<[f64; N], ConfigError> {
    if v.len() != N {
        return Err(err(field, format!("must have {N} entries, got {}", v.len())));
    }
    let mut out = [0.0; N];
    for (i, &x) in v.iter().enumerate() {
        check_nonneg(&format!("{field}[{i}]"), x)?;
        out[i] = x;
    }
    let mean = out.iter().sum::<f64>() / N as f64;
    if mean <= 0.0 {
        return Err(err(field, "must have a positive entry, got all zeros"));
    }
    out.iter_mut().for_each(|x| *x /= mean);
    Ok(out)
}

impl Config {
    /// Validates a scenario.
    pub fn from_scenario(s: &Scenario) -> Result<Config, ConfigError> {
        let c = &s.case;
        let start_date = NaiveDate::parse_from_str(&c.start_date, "%Y-%m-%d").map_err(|_| {
            err(
                "case.start_date",
                format!("must be a date YYYY-MM-DD, got \"{}\"", c.start_date),
            )
        })?;
        if c.history_days == 0 || c.history_days > 3660 {
            return Err(err(
                "case.history_days",
                format!("must be between 1 and 3660, got {}", c.history_days),
            ));
        }
        if c.horizon_days > 3660 {
            return Err(err(
                "case.horizon_days",
                format!("must be at most 3660, got {}", c.horizon_days),
            ));
        }
        if c.warmup_days > 365 {
            return Err(err(
                "case.warmup_days",
                format!("must be at most 365, got {}", c.warmup_days),
            ));
        }
        check_nonneg("case.budget_usd", c.budget_usd)?;

        let cu = &s.customers;
        if cu.count == 0 {
            return Err(err("customers.count", "must be > 0, got 0"));
        }
        check_nonneg("customers.growth_per_month", cu.growth_per_month)?;
        check_names("customers.regions", cu.regions.iter().map(|r| r.name.as_str()))?;
        for (i, r) in cu.regions.iter().enumerate() {
            check_share(&format!("customers.regions[{i}].share"), r.share)?;
        }
        check_sum("customers.regions[*].share", cu.regions.iter().map(|r| r.share))?;
        check_names("customers.segments", cu.segments.iter().map(|r| r.name.as_str()))?;
        for (i, g) in cu.segments.iter().enumerate() {
            let f = format!("customers.segments[{i}]");
            check_share(&format!("{f}.share"), g.share)?;
            check_nonneg(&format!("{f}.mrr_usd"), g.mrr_usd)?;
            check_nonneg(&format!("{f}.contacts_per_month"), g.contacts_per_month)?;
            check_share(&format!("{f}.churn_monthly"), g.churn_monthly)?;
            if !(g.nps_sentiment.is_finite() && (0.0..=10.0).contains(&g.nps_sentiment)) {
                return Err(err(
                    format!("{f}.nps_sentiment"),
                    format!("must be between 0 and 10, got {}", g.nps_sentiment),
                ));
            }
        }
        check_sum("customers.segments[*].share", cu.segments.iter().map(|g| g.share))?;

        let a = &s.arrivals;
        let hour_weights = profile::<24>("arrivals.hour_profile", &a.hour_profile)?;
        let weekday_weights = profile::<7>("arrivals.weekday_profile", &a.weekday_profile)?;
        if !(a.daily_cv.is_finite() && (0.0..=2.0).contains(&a.daily_cv)) {
            return Err(err(
                "arrivals.daily_cv",
                format!("must be between 0 and 2, got {}", a.daily_cv),
            ));
        }

        check_names("channels", s.channels.iter().map(|c| c.name.as_str()))?;
        if s.channels.len() > MAX_CHANNELS {
            return Err(err(
                "channels",
                format!("must list at most {MAX_CHANNELS} channels, got {}", s.channels.len()),
            ));
        }
        let mut channels = Vec::new();
        for (i, ch) in s.channels.iter().enumerate() {
            let f = format!("channels[{i}]");
            check_share(&format!("{f}.share"), ch.share)?;
            let target = ch.first_reply_target_minutes;
            if !(target.is_finite() && target > 0.0) {
                return Err(err(
                    format!("{f}.first_reply_target_minutes"),
                    format!("must be > 0, got {target}"),
                ));
            }
            let days = match &ch.open_days {
                None => [true; 7],
                Some(d) => parse_days(d).ok_or_else(|| {
                    err(
                        format!("{f}.open_days"),
                        format!("must look like \"Mon-Fri\", got \"{d}\""),
                    )
                })?,
            };
            let (start_minute, end_minute) = match &ch.open_hours {
                None => (0, 1440),
                Some(h) => parse_hours(h).ok_or_else(|| {
                    err(
                        format!("{f}.open_hours"),
                        format!("must look like \"08:00-20:00\", got \"{h}\""),
                    )
                })?,
            };
            let live = ch.kind == ChannelKind::Live;
            let concurrency = ch.concurrency.unwrap_or(1);
            if concurrency == 0 || concurrency > 10 {
                return Err(err(
                    format!("{f}.concurrency"),
                    format!("must be between 1 and 10, got {concurrency}"),
                ));
            }
            if !live && concurrency != 1 {
                return Err(err(
                    format!("{f}.concurrency"),
                    format!("applies to live channels only, got {concurrency}"),
                ));
            }
            let patience = match &ch.patience {
                None => None,
                Some(_) if !live => {
                    return Err(err(
                        format!("{f}.patience"),
                        "applies to live channels only, got a value on an async channel",
                    ));
                }
                Some(p) => Some(Duration::from_spec(p, &format!("{f}.patience"))?),
            };
            let factor = ch.handle_time_factor.unwrap_or(1.0);
            if !(factor.is_finite() && factor > 0.0) {
                return Err(err(
                    format!("{f}.handle_time_factor"),
                    format!("must be > 0, got {factor}"),
                ));
            }
            let norm = ch.resolution_norm_minutes.unwrap_or(if live { 30.0 } else { 1440.0 });
            if !(norm.is_finite() && norm > 0.0) {
                return Err(err(
                    format!("{f}.resolution_norm_minutes"),
                    format!("must be > 0, got {norm}"),
                ));
            }
            let retry = match ch.abandon_retry_rate {
                Some(r) if !live => {
                    return Err(err(
                        format!("{f}.abandon_retry_rate"),
                        format!("applies to live channels only, got {r}"),
                    ));
                }
                Some(r) => r,
                None if live => 0.5,
                None => 0.0,
            };
            check_share(&format!("{f}.abandon_retry_rate"), retry)?;
            let response = ch.csat_response_rate.unwrap_or(s.outcomes.csat.response_rate);
            if !(response.is_finite() && response > 0.0 && response <= 1.0) {
                let field = if ch.csat_response_rate.is_some() {
                    format!("{f}.csat_response_rate")
                } else {
                    "outcomes.csat.response_rate".to_string()
                };
                return Err(err(field, format!("must be in (0, 1], got {response}")));
            }
            channels.push(Channel {
                name: ch.name.clone(),
                live,
                share: ch.share,
                first_reply_target_secs: (target * 60.0).round() as u64,
                open: WeeklyWindow {
                    days,
                    start_minute,
                    end_minute,
                },
                concurrency,
                patience,
                handle_time_factor: factor,
                resolution_norm_secs: norm * 60.0,
                csat_response_rate: response,
                abandon_retry_rate: retry,
            });
        }
        check_sum("channels[*].share", channels.iter().map(|c| c.share))?;
        if !channels.iter().any(|c| !c.live && c.share > 0.0) {
            // Contacts that arrive while every live channel is closed need somewhere to go.
            let always_open = channels
                .iter()
                .any(|c| c.share > 0.0 && c.open == WeeklyWindow::always());
            if !always_open {
                return Err(err(
                    "channels",
                    "need an async channel or one open around the clock, got only part-time live channels",
                ));
            }
        }

        check_names("categories", s.categories.iter().map(|c| c.name.as_str()))?;
        let mut categories = Vec::new();
        for (i, k) in s.categories.iter().enumerate() {
            let f = format!("categories[{i}]");
            check_share(&format!("{f}.share"), k.share)?;
            let handle_time = Duration::from_spec(&k.handle_time, &format!("{f}.handle_time"))?;
            if !(k.touches_mean.is_finite() && (1.0..=10.0).contains(&k.touches_mean)) {
                return Err(err(
                    format!("{f}.touches_mean"),
                    format!("must be between 1 and 10, got {}", k.touches_mean),
                ));
            }
            let customer_reply_delay =
                Duration::from_spec(&k.customer_reply_delay, &format!("{f}.customer_reply_delay"))?;
            check_share(&format!("{f}.escalation_rate"), k.escalation_rate)?;
            check_share(&format!("{f}.reopen_rate"), k.reopen_rate)?;
            if k.reopen_rate > 0.5 {
                return Err(err(
                    format!("{f}.reopen_rate"),
                    format!("must be at most 0.5, got {}", k.reopen_rate),
                ));
            }
            let p = &k.priority_mix;
            let mix = [p.urgent, p.high, p.normal, p.low];
            for (name, v) in PRIORITIES.iter().zip(mix) {
                check_share(&format!("{f}.priority_mix.{name}"), v)?;
            }
            check_sum(&format!("{f}.priority_mix"), mix.into_iter())?;
            let mut cumulative = [0.0; 4];
            let mut acc = 0.0;
            for (j, v) in mix.iter().enumerate() {
                acc += v;
                cumulative[j] = acc;
            }
            cumulative[3] = 1.0;
            let tier2_handle_time = match &k.tier2_handle_time {
                Some(d) => Duration::from_spec(d, &format!("{f}.tier2_handle_time"))?,
                None => handle_time,
            };
            if !(k.csat_effect.is_finite() && k.csat_effect.abs() <= 10.0) {
                return Err(err(
                    format!("{f}.csat_effect"),
                    format!("must be between -10 and 10, got {}", k.csat_effect),
                ));
            }
            let tier2_touches_mean = k.tier2_touches_mean.unwrap_or(1.5);
            if !(tier2_touches_mean.is_finite() && (1.0..=10.0).contains(&tier2_touches_mean)) {
                return Err(err(
                    format!("{f}.tier2_touches_mean"),
                    format!("must be between 1 and 10, got {tier2_touches_mean}"),
                ));
            }
            categories.push(Category {
                name: k.name.clone(),
                share: k.share,
                handle_time,
                touches_mean: k.touches_mean,
                customer_reply_delay,
                escalation_rate: k.escalation_rate,
                reopen_rate: k.reopen_rate,
                priority_cumulative: cumulative,
                tier2_handle_time,
                tier2_touches_mean,
                themes: k.themes.clone(),
                csat_effect: k.csat_effect,
            });
        }
        check_sum("categories[*].share", categories.iter().map(|c| c.share))?;

        let mut incidents = Vec::new();
        for (i, inc) in a.incidents.iter().enumerate() {
            let f = format!("arrivals.incidents[{i}]");
            let category = categories.iter().position(|k| k.name == inc.category).ok_or_else(|| {
                err(
                    format!("{f}.category"),
                    format!("names no category, got \"{}\"", inc.category),
                )
            })?;
            if inc.day >= c.history_days + c.horizon_days {
                return Err(err(
                    format!("{f}.day"),
                    format!(
                        "must be before the end of history and horizon ({}), got {}",
                        c.history_days + c.horizon_days,
                        inc.day
                    ),
                ));
            }
            if inc.start_hour > 23 {
                return Err(err(
                    format!("{f}.start_hour"),
                    format!("must be 0-23, got {}", inc.start_hour),
                ));
            }
            if !(inc.duration_hours.is_finite() && inc.duration_hours > 0.0 && inc.duration_hours <= 24.0 * 30.0) {
                return Err(err(
                    format!("{f}.duration_hours"),
                    format!("must be in (0, 720], got {}", inc.duration_hours),
                ));
            }
            if !(inc.volume_multiplier.is_finite() && (1.0..=50.0).contains(&inc.volume_multiplier)) {
                return Err(err(
                    format!("{f}.volume_multiplier"),
                    format!("must be between 1 and 50, got {}", inc.volume_multiplier),
                ));
            }
            let start_secs = u64::from(inc.day) * DAY_SECS + u64::from(inc.start_hour) * 3600;
            incidents.push(Incident {
                start_secs,
                end_secs: start_secs + (inc.duration_hours * 3600.0).round() as u64,
                category,
                volume_multiplier: inc.volume_multiplier,
            });
        }

        check_names("teams", s.teams.iter().map(|t| t.name.as_str()))?;
        let mut teams = Vec::new();
        for (i, t) in s.teams.iter().enumerate() {
            let f = format!("teams[{i}]");
            if !(t.tier == 1 || t.tier == 2) {
                return Err(err(format!("{f}.tier"), format!("must be 1 or 2, got {}", t.tier)));
            }
            let mut chans = Vec::new();
            for (j, name) in t.channels.iter().enumerate() {
                let idx = channels.iter().position(|c| &c.name == name).ok_or_else(|| {
                    err(
                        format!("{f}.channels[{j}]"),
                        format!("names no channel, got \"{name}\""),
                    )
                })?;
                if chans.contains(&idx) {
                    return Err(err(
                        format!("{f}.channels[{j}]"),
                        format!("is listed twice, got \"{name}\""),
                    ));
                }
                chans.push(idx);
            }
            check_nonneg(&format!("{f}.hourly_cost_usd"), t.hourly_cost_usd)?;
            check_nonneg(&format!("{f}.quality_sd"), t.quality_sd)?;
            check_share(&format!("{f}.absence_rate"), t.absence_rate)?;
            if t.absence_rate > 0.9 {
                return Err(err(
                    format!("{f}.absence_rate"),
                    format!("must be at most 0.9, got {}", t.absence_rate),
                ));
            }
            if t.live_reserve_agents > 0 && !(t.tier == 1 && chans.iter().any(|&c| channels[c].live)) {
                return Err(err(
                    format!("{f}.live_reserve_agents"),
                    format!(
                        "applies to tier-1 teams that answer a live channel, got {}",
                        t.live_reserve_agents
                    ),
                ));
            }
            if t.shifts.is_empty() {
                return Err(err(format!("{f}.shifts"), "must have at least one shift, got none"));
            }
            let mut shifts = Vec::new();
            for (j, sh) in t.shifts.iter().enumerate() {
                let g = format!("{f}.shifts[{j}]");
                let days = parse_days(&sh.days).ok_or_else(|| {
                    err(
                        format!("{g}.days"),
                        format!("must look like \"Mon-Fri\", got \"{}\"", sh.days),
                    )
                })?;
                let (start_minute, end_minute) = parse_hours(&sh.hours).ok_or_else(|| {
                    err(
                        format!("{g}.hours"),
                        format!("must look like \"08:00-16:30\", got \"{}\"", sh.hours),
                    )
                })?;
                if sh.break_minutes >= end_minute - start_minute {
                    return Err(err(
                        format!("{g}.break_minutes"),
                        format!("must be shorter than the shift, got {}", sh.break_minutes),
                    ));
                }
                shifts.push(Shift {
                    name: sh.name.clone(),
                    window: WeeklyWindow {
                        days,
                        start_minute,
                        end_minute,
                    },
                    agents: sh.agents,
                    break_minutes: sh.break_minutes,
                });
            }
            teams.push(Team {
                name: t.name.clone(),
                tier: t.tier,
                channels: chans,
                hourly_cost_usd: t.hourly_cost_usd,
                quality_sd: t.quality_sd,
                new_hire_ramp_days: t.new_hire_ramp_days,
                absence_rate: t.absence_rate,
                live_reserve_agents: t.live_reserve_agents,
                shifts,
            });
        }
        let agents: u64 = teams
            .iter()
            .flat_map(|t| t.shifts.iter())
            .map(|s| u64::from(s.agents))
            .sum();
        if agents == 0 || agents > 65_535 {
            return Err(err(
                "teams[*].shifts[*].agents",
                format!("must add up to between 1 and 65535 agents, got {agents}"),
            ));
        }
        let serves = |tier: u8, ch: usize| teams.iter().any(|t| t.tier == tier && t.channels.contains(&ch));
        for (i, ch) in channels.iter().enumerate() {
            if ch.share > 0.0 && !serves(1, i) {
                return Err(err(
                    format!("channels[{i}]"),
                    format!(
                        "receives contacts but no tier-1 team serves it, got channel \"{}\"",
                        ch.name
                    ),
                ));
            }
            if ch.share > 0.0 && categories.iter().any(|k| k.escalation_rate > 0.0) && !serves(2, i) {
                return Err(err(
                    format!("channels[{i}]"),
                    format!(
                        "has escalations but no tier-2 team takes them, got channel \"{}\"",
                        ch.name
                    ),
                ));
            }
        }
        let reopen_delay = Duration::from_spec(&s.workflow.reopen_delay, "workflow.reopen_delay")?;
        let cs = &s.outcomes.csat;
        if !(cs.extremity.is_finite() && (0.0..=2.0).contains(&cs.extremity)) {
            return Err(err(
                "outcomes.csat.extremity",
                format!("must be between 0 and 2, got {}", cs.extremity),
            ));
        }
        for (name, v) in [
            ("intercept", cs.intercept),
            ("per_extra_reply", cs.per_extra_reply),
            ("per_reopen", cs.per_reopen),
            ("escalated", cs.escalated),
            ("abandoned_and_retried", cs.abandoned_and_retried),
            ("per_log_resolution_over_norm", cs.per_log_resolution_over_norm),
            ("per_log_first_reply_over_target", cs.per_log_first_reply_over_target),
        ] {
            if !(v.is_finite() && v.abs() <= 10.0) {
                return Err(err(
                    format!("outcomes.csat.{name}"),
                    format!("must be between -10 and 10, got {v}"),
                ));
            }
        }
        let csat = Csat {
            extremity: cs.extremity,
            intercept: cs.intercept,
            per_extra_reply: cs.per_extra_reply,
            per_reopen: cs.per_reopen,
            escalated: cs.escalated,
            abandoned_and_retried: cs.abandoned_and_retried,
            per_log_resolution_over_norm: cs.per_log_resolution_over_norm,
            per_log_first_reply_over_target: cs.per_log_first_reply_over_target,
            answer_delay: Duration::from_spec(&cs.answer_delay, "outcomes.csat.answer_delay")?,
        };
        let n = &s.outcomes.nps;
        check_share("outcomes.nps.survey_share", n.survey_share)?;
        check_share("outcomes.nps.response_rate", n.response_rate)?;
        check_share("outcomes.nps.monthly_retention", n.monthly_retention)?;
        for (name, v, lo, hi) in [
            ("noise_sd", n.noise_sd, 0.0, 10.0),
            ("per_easy_contact", n.per_easy_contact, -10.0, 10.0),
            ("per_effortful_contact", n.per_effortful_contact, -10.0, 10.0),
        ] {
            if !(v.is_finite() && (lo..=hi).contains(&v)) {
                return Err(err(
                    format!("outcomes.nps.{name}"),
                    format!("must be between {lo} and {hi}, got {v}"),
                ));
            }
        }
        let nps = Nps {
            survey_share: n.survey_share,
            response_rate: n.response_rate,
            noise_sd: n.noise_sd,
            per_easy_contact: n.per_easy_contact,
            per_effortful_contact: n.per_effortful_contact,
            monthly_retention: n.monthly_retention,
        };
        let ch = &s.outcomes.churn;
        for (name, v) in [
            ("after_easy", ch.after_easy),
            ("after_effortful", ch.after_effortful),
            ("after_recovered", ch.after_recovered),
        ] {
            if !(v.is_finite() && (0.0..=10.0).contains(&v)) {
                return Err(err(
                    format!("outcomes.churn.{name}"),
                    format!("must be between 0 and 10, got {v}"),
                ));
            }
        }
        let mut issue_pool = Vec::new();
        for (i, spec) in s.issues.pool.iter().enumerate() {
            let f = format!("issues.pool[{i}]");
            issue_pool.push(issue_template(
                spec,
                &f,
                &categories,
                &channels,
                &teams,
                c.history_days,
            )?);
        }
        if s.issues.draw as usize > issue_pool.len() {
            return Err(err(
                "issues.draw",
                format!(
                    "must be at most the pool's {} issues, got {}",
                    issue_pool.len(),
                    s.issues.draw
                ),
            ));
        }
        let churn = Churn {
            after_easy: ch.after_easy,
            after_effortful: ch.after_effortful,
            after_recovered: ch.after_recovered,
        };

        Ok(Config {
            company: c.company.clone(),
            industry: c.industry.clone(),
            context: c.context.clone(),
            start_weekday: start_date.weekday().num_days_from_monday(),
            start_date,
            history_days: c.history_days,
            horizon_days: c.horizon_days,
            warmup_days: c.warmup_days,
            budget_usd: c.budget_usd,
            customers_initial: cu.count,
            growth_per_month: cu.growth_per_month,
            regions: cu
                .regions
                .iter()
                .map(|r| Region {
                    name: r.name.clone(),
                    share: r.share,
                })
                .collect(),
            segments: cu
                .segments
                .iter()
                .map(|g| Segment {
                    name: g.name.clone(),
                    share: g.share,
                    mrr_usd: g.mrr_usd,
                    contacts_per_month: g.contacts_per_month,
                    churn_monthly: g.churn_monthly,
                    nps_sentiment: g.nps_sentiment,
                })
                .collect(),
            hour_weights,
            weekday_weights,
            daily_cv: a.daily_cv,
            incidents,
            channels,
            categories,
            teams,
            reopen_delay,
            csat,
            nps,
            churn,
            issue_pool,
            issues_to_draw: s.issues.draw,
            active_issues: Vec::new(),
            configured_incidents: a.incidents.len(),
        })
    }
}

fn positive_multiplier(field: String, v: f64) -> Result<f64, ConfigError> {
    if v.is_finite() && v > 0.0 && v <= 20.0 {
        Ok(v)
    } else {
        Err(err(field, format!("must be in (0, 20], got {v}")))
    }
}

/// Validates one issue of the pool: names resolve, numbers are in range, the start fits the history.
fn issue_template(
    spec: &IssueSpec,
    f: &str,
    categories: &[Category],
    channels: &[Channel],
    teams: &[Team],
    history_days: u32,
) -> Result<IssueTemplate, ConfigError> {
    let category = |name: &str| {
        categories
            .iter()
            .position(|k| k.name == name)
            .ok_or_else(|| err(format!("{f}.category"), format!("names no category, got \"{name}\"")))
    };
    let channel = |key: &str, name: &str| {
        channels
            .iter()
            .position(|k| k.name == name)
            .ok_or_else(|| err(format!("{f}.{key}"), format!("names no channel, got \"{name}\"")))
    };
    let team = |name: &str| {
        teams
            .iter()
            .position(|t| t.name == name)
            .ok_or_else(|| err(format!("{f}.team"), format!("names no team, got \"{name}\"")))
    };
    let shift = |t: usize, name: &str, agents: u32| -> Result<usize, ConfigError> {
        let si = teams[t].shifts.iter().position(|s| s.name == name).ok_or_else(|| {
            err(
                format!("{f}.shift"),
                format!("names no shift of team \"{}\", got \"{name}\"", teams[t].name),
            )
        })?;
        if agents == 0 || agents > teams[t].shifts[si].agents {
            return Err(err(
                format!("{f}.agents"),
                format!(
                    "must be between 1 and the shift's {} agents, got {agents}",
                    teams[t].shifts[si].agents
                ),
            ));
        }
        Ok(si)
    };
    let kind = match spec {
        IssueSpec::ReleaseRegression {
            category: c,
            volume_multiplier,
            handle_time_multiplier,
            ..
        } => IssueKind::ReleaseRegression {
            category: category(c)?,
            volume_multiplier: positive_multiplier(format!("{f}.volume_multiplier"), *volume_multiplier)?.max(1.0),
            handle_time_multiplier: positive_multiplier(
                format!("{f}.handle_time_multiplier"),
                *handle_time_multiplier,
            )?,
        },
        IssueSpec::KnowledgeGap {
            category: c,
            escalation_multiplier,
            reopen_multiplier,
            ..
        } => IssueKind::KnowledgeGap {
            category: category(c)?,
            escalation_multiplier: positive_multiplier(format!("{f}.escalation_multiplier"), *escalation_multiplier)?,
            reopen_multiplier: positive_multiplier(format!("{f}.reopen_multiplier"), *reopen_multiplier)?,
        },
        IssueSpec::StaffingCut {
            team: t,
            shift: sh,
            agents,
            ..
        } => {
            let t = team(t)?;
            IssueKind::StaffingCut {
                team: t,
                shift: shift(t, sh, *agents)?,
                agents: *agents,
            }
        }
        IssueSpec::NewHireCohort {
            team: t,
            shift: sh,
            agents,
            quality_delta,
            ..
        } => {
            let t = team(t)?;
            if !(quality_delta.is_finite() && quality_delta.abs() <= 5.0) {
                return Err(err(
                    format!("{f}.quality_delta"),
                    format!("must be between -5 and 5, got {quality_delta}"),
                ));
            }
            IssueKind::NewHireCohort {
                team: t,
                shift: shift(t, sh, *agents)?,
                agents: *agents,
                quality_delta: *quality_delta,
            }
        }
        IssueSpec::QualitySlide {
            team: t, quality_delta, ..
        } => {
            if !(quality_delta.is_finite() && quality_delta.abs() <= 5.0) {
                return Err(err(
                    format!("{f}.quality_delta"),
                    format!("must be between -5 and 5, got {quality_delta}"),
                ));
            }
            IssueKind::QualitySlide {
                team: team(t)?,
                quality_delta: *quality_delta,
            }
        }
        IssueSpec::HandleTimeCreep {
            team: t,
            handle_time_multiplier,
            ..
        } => IssueKind::HandleTimeCreep {
            team: team(t)?,
            handle_time_multiplier: positive_multiplier(
                format!("{f}.handle_time_multiplier"),
                *handle_time_multiplier,
            )?,
        },
        IssueSpec::Outage {
            category: c,
            duration_hours,
            volume_multiplier,
            ..
        } => {
            if !(duration_hours.is_finite() && *duration_hours > 0.0 && *duration_hours <= 72.0) {
                return Err(err(
                    format!("{f}.duration_hours"),
                    format!("must be in (0, 72], got {duration_hours}"),
                ));
            }
            IssueKind::Outage {
                category: category(c)?,
                duration_secs: (duration_hours * 3600.0).round() as u64,
                volume_multiplier: positive_multiplier(format!("{f}.volume_multiplier"), *volume_multiplier)?.max(1.0),
            }
        }
        IssueSpec::ChannelShift { from, to, share, .. } => {
            let (from, to) = (channel("from", from)?, channel("to", to)?);
            if from == to {
                return Err(err(
                    format!("{f}.to"),
                    format!("must differ from `from`, got \"{}\"", channels[to].name),
                ));
            }
            if !(share.is_finite() && *share > 0.0 && *share <= 1.0) {
                return Err(err(format!("{f}.share"), format!("must be in (0, 1], got {share}")));
            }
            IssueKind::ChannelShift {
                from,
                to,
                share: *share,
            }
        }
    };
    let [lo, hi] = spec.start_day_range();
    if lo == 0 || lo > hi || hi >= history_days {
        return Err(err(
            format!("{f}.start_day_range"),
            format!("must be [first, last] with 1 <= first <= last < history_days ({history_days}), got [{lo}, {hi}]"),
        ));
    }
    Ok(IssueTemplate {
        kind,
        start_day_range: [lo, hi],
    })
}

impl Config {
    /// Draws `issues_to_draw` distinct issues of the pool and their start days from `seed`.
    pub fn draw_issues(&self, seed: u64) -> Vec<Issue> {
        use rand::Rng;
        let mut rng = crate::rng::Seeds::new(seed).stream(crate::rng::Stream::Issues, 0);
        let mut order: Vec<usize> = (0..self.issue_pool.len()).collect();
        for i in (1..order.len()).rev() {
            order.swap(i, rng.random_range(0..=i));
        }
        let mut drawn: Vec<Issue> = order
            .into_iter()
            .take(self.issues_to_draw as usize)
            .map(|pool_index| {
                let t = &self.issue_pool[pool_index];
                Issue {
                    kind: t.kind.clone(),
                    start_day: rng.random_range(t.start_day_range[0]..=t.start_day_range[1]),
                    pool_index,
                }
            })
            .collect();
        drawn.sort_by_key(|i| (i.start_day, i.pool_index));
        drawn
    }

    /// This configuration with `issues` planted: outages and release regressions add incidents after
    /// the scenario's own (so their arrivals keep their keys), the rest act inside the simulation.
    pub fn with_issues(&self, issues: Vec<Issue>) -> Config {
        let mut cfg = self.clone();
        cfg.incidents.truncate(cfg.configured_incidents);
        let end = u64::from(cfg.history_days + cfg.horizon_days) * DAY_SECS;
        for issue in &issues {
            let start = issue.start_secs();
            match issue.kind {
                IssueKind::Outage {
                    category,
                    duration_secs,
                    volume_multiplier,
                } => cfg.incidents.push(Incident {
                    start_secs: start,
                    end_secs: start + duration_secs,
                    category,
                    volume_multiplier,
                }),
                IssueKind::ReleaseRegression {
                    category,
                    volume_multiplier,
                    ..
                } => {
                    // Extra contacts at (multiplier - 1) × the category's share of normal volume.
                    let share = cfg.categories[category].share;
                    cfg.incidents.push(Incident {
                        start_secs: start,
                        end_secs: end,
                        category,
                        volume_multiplier: 1.0 + (volume_multiplier - 1.0) * share,
                    })
                }
                _ => {}
            }
        }
        cfg.active_issues = issues;
        cfg
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_parse() {
        assert_eq!(
            parse_days("Mon-Fri"),
            Some([true, true, true, true, true, false, false])
        );
        assert_eq!(
            parse_days("Sat-Sun"),
            Some([false, false, false, false, false, true, true])
        );
        assert_eq!(
            parse_days("Fri-Mon"),
            Some([true, false, false, false, true, true, true])
        );
        assert_eq!(
            parse_days("Mon,wed"),
            Some([true, false, true, false, false, false, false])
        );
        assert_eq!(parse_days("daily"), Some([true; 7]));
        assert_eq!(parse_days("Mon-Funday"), None);
    }

    #[test]
    fn hours_parse() {
        assert_eq!(parse_hours("08:00-16:30"), Some((480, 990)));
        assert_eq!(parse_hours("22:00-06:00"), Some((1320, 1800)));
        assert_eq!(parse_hours("00:00-24:00"), Some((0, 1440)));
        assert_eq!(parse_hours("25:00-26:00"), None);
        assert_eq!(parse_hours("8-16"), None);
    }

    #[test]
    fn window_covers_overnight() {
        let w = WeeklyWindow {
            days: [true, false, false, false, false, false, false],
            start_minute: 1320,
            end_minute: 1800,
        };
        assert!(w.covers(1330)); // Monday 22:10
        assert!(w.covers(1440 + 300)); // Tuesday 05:00, carried from Monday
        assert!(!w.covers(1440 + 400)); // Tuesday 06:40
        assert!(!w.covers(6 * 1440 + 100)); // Sunday 01:40: Sunday's window is off
    }

    #[test]
    fn lognormal_mean_is_the_configured_mean() {
        let d = Duration::from_spec(
            &DurationSpec::Lognormal {
                mean_minutes: 10.0,
                sigma: 0.8,
            },
            "x",
        )
        .unwrap();
        assert!((d.mean_secs() - 600.0).abs() < 1e-9);
    }
}
