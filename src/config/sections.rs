//! One validator per section of the scenario file. Each checks its own keys, resolves the names it
//! refers to and returns the validated values; cross-section rules (a channel nobody serves) have
//! their own functions.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::time::{Duration, WeeklyWindow, parse_days, parse_hours};
use super::{
    Category, Change, Channel, Churn, ConfigError, Csat, DAY_SECS, Effect, MAX_CHANNELS, Nps, Origin, PRIORITIES,
    Region, Segment, Shift, Team, change_id, check_names, check_nonneg, check_positive, check_range, check_share,
    check_sum, err,
};
use crate::scenario::{
    ArrivalsSpec, CaseSpec, CategorySpec, ChannelKind, ChannelSpec, ChurnSpec, CsatSpec, CustomersSpec, DurationSpec,
    IncidentSpec, NpsSpec, SegmentSpec, TeamSpec,
};

/// `[case]`: the clock; returns the start date.
pub(super) fn case(c: &CaseSpec) -> Result<NaiveDate, ConfigError> {
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
    check_range("case.customer_value_months", c.customer_value_months, 1.0, 120.0)?;
    Ok(start_date)
}

/// `[customers]` without its segments: the base and its regions.
pub(super) fn customers(cu: &CustomersSpec, start_date: NaiveDate) -> Result<Vec<Region>, ConfigError> {
    if cu.count == 0 {
        return Err(err("customers.count", "must be > 0, got 0"));
    }
    check_nonneg("customers.growth_per_month", cu.growth_per_month)?;
    check_range("customers.signups_since_years", cu.signups_since_years, 0.1, 100.0)?;
    check_range("customers.contact_dispersion", cu.contact_dispersion, 0.0, 5.0)?;
    check_names("customers.regions", cu.regions.iter().map(|r| r.name.as_str()))?;
    let mut regions = Vec::new();
    for (i, r) in cu.regions.iter().enumerate() {
        let f = format!("customers.regions[{i}]");
        check_share(&format!("{f}.share"), r.share)?;
        let offset = check_range(&format!("{f}.local_offset_hours"), r.local_offset_hours, -24.0, 24.0)?;
        let mut holiday_days = Vec::new();
        for (j, d) in r.holidays.iter().enumerate() {
            let date = NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| {
                err(
                    format!("{f}.holidays[{j}]"),
                    format!("must be a date YYYY-MM-DD, got \"{d}\""),
                )
            })?;
            holiday_days.push((date - start_date).num_days());
        }
        holiday_days.sort_unstable();
        holiday_days.dedup();
        regions.push(Region {
            name: r.name.clone(),
            share: r.share,
            local_offset_secs: (offset * 3600.0).round() as i64,
            holiday_days,
            holiday_contact_factor: check_share(&format!("{f}.holiday_contact_factor"), r.holiday_contact_factor)?,
        });
    }
    check_sum("customers.regions[*].share", cu.regions.iter().map(|r| r.share))?;
    Ok(regions)
}

/// A `channel_weights` table: channel name → multiplier, as one weight per channel (default 1).
fn channel_weights(
    field: &str,
    weights: &BTreeMap<String, f64>,
    channels: &[Channel],
) -> Result<Vec<f64>, ConfigError> {
    let mut out = vec![1.0; channels.len()];
    for (name, &w) in weights {
        let ch = channels.iter().position(|c| &c.name == name).ok_or_else(|| {
            err(
                format!("{field}.channel_weights.{name}"),
                format!("names no channel, got \"{name}\""),
            )
        })?;
        out[ch] = check_range(&format!("{field}.channel_weights.{name}"), w, 0.0, 100.0)?;
    }
    Ok(out)
}

/// `[[customers.segments]]`.
pub(super) fn segments(specs: &[SegmentSpec], channels: &[Channel]) -> Result<Vec<Segment>, ConfigError> {
    check_names("customers.segments", specs.iter().map(|r| r.name.as_str()))?;
    let mut out = Vec::new();
    for (i, g) in specs.iter().enumerate() {
        let f = format!("customers.segments[{i}]");
        check_share(&format!("{f}.share"), g.share)?;
        check_nonneg(&format!("{f}.mrr_usd"), g.mrr_usd)?;
        check_range(&format!("{f}.mrr_sigma"), g.mrr_sigma, 0.0, 3.0)?;
        check_nonneg(&format!("{f}.plan_fee_usd"), g.plan_fee_usd)?;
        check_nonneg(&format!("{f}.contacts_per_month"), g.contacts_per_month)?;
        check_share(&format!("{f}.churn_monthly"), g.churn_monthly)?;
        if g.churn_monthly >= 1.0 {
            return Err(err(
                format!("{f}.churn_monthly"),
                format!("must be below 1, got {}", g.churn_monthly),
            ));
        }
        check_range(&format!("{f}.nps_sentiment"), g.nps_sentiment, 0.0, 10.0)?;
        check_range(&format!("{f}.priority_shift"), g.priority_shift, -5.0, 5.0)?;
        out.push(Segment {
            name: g.name.clone(),
            share: g.share,
            mrr_usd: g.mrr_usd,
            mrr_sigma: g.mrr_sigma,
            plan_fee_usd: g.plan_fee_usd,
            free_plan: g.free_plan,
            contacts_per_month: g.contacts_per_month,
            churn_monthly: g.churn_monthly,
            nps_sentiment: g.nps_sentiment,
            priority_shift: g.priority_shift,
            channel_weights: channel_weights(&f, &g.channel_weights, channels)?,
        });
    }
    check_sum("customers.segments[*].share", specs.iter().map(|g| g.share))?;
    Ok(out)
}

/// Every segment's contacts of every category can reach some channel.
pub(super) fn channel_reach(
    segments: &[Segment],
    categories: &[Category],
    channels: &[Channel],
) -> Result<(), ConfigError> {
    for (si, seg) in segments.iter().enumerate() {
        for (ki, cat) in categories.iter().enumerate() {
            let reachable = channels
                .iter()
                .enumerate()
                .any(|(c, ch)| ch.share * seg.channel_weights[c] * cat.channel_weights[c] > 0.0);
            if !reachable {
                return Err(err(
                    format!("categories[{ki}].channel_weights"),
                    format!(
                        "leave no channel for segment \"{}\" (customers.segments[{si}]), got weight 0 on every channel with a share",
                        seg.name
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// 24 or 7 weights normalised to mean 1.
fn profile<const N: usize>(field: &str, v: &[f64]) -> Result<[f64; N], ConfigError> {
    if v.len() != N {
        return Err(err(field, format!("must have {N} entries, got {}", v.len())));
    }
    let mut out = [0.0; N];
    for (i, &x) in v.iter().enumerate() {
        out[i] = check_nonneg(&format!("{field}[{i}]"), x)?;
    }
    let mean = out.iter().sum::<f64>() / N as f64;
    if mean <= 0.0 {
        return Err(err(field, "must have a positive entry, got all zeros"));
    }
    out.iter_mut().for_each(|x| *x /= mean);
    Ok(out)
}

/// `[arrivals]` without its incidents: the hour and weekday profiles.
pub(super) fn arrivals(a: &ArrivalsSpec) -> Result<([f64; 24], [f64; 7]), ConfigError> {
    let hours = profile::<24>("arrivals.hour_profile", &a.hour_profile)?;
    let weekdays = profile::<7>("arrivals.weekday_profile", &a.weekday_profile)?;
    check_range("arrivals.daily_cv", a.daily_cv, 0.0, 2.0)?;
    Ok((hours, weekdays))
}

/// Parses a days string (`"Mon-Fri"`) at `field`.
fn days_at(field: &str, s: &str) -> Result<[bool; 7], ConfigError> {
    parse_days(s).ok_or_else(|| err(field, format!("must look like \"Mon-Fri\", got \"{s}\"")))
}

/// Parses an hours string (`"08:00-20:00"`) at `field`.
fn hours_at(field: &str, s: &str) -> Result<(u32, u32), ConfigError> {
    parse_hours(s).ok_or_else(|| err(field, format!("must look like \"08:00-20:00\", got \"{s}\"")))
}

/// `[[channels]]`.
pub(super) fn channels(specs: &[ChannelSpec], csat: &CsatSpec) -> Result<Vec<Channel>, ConfigError> {
    check_names("channels", specs.iter().map(|c| c.name.as_str()))?;
    if specs.len() > MAX_CHANNELS {
        return Err(err(
            "channels",
            format!("must list at most {MAX_CHANNELS} channels, got {}", specs.len()),
        ));
    }
    let mut channels = Vec::new();
    for (i, ch) in specs.iter().enumerate() {
        channels.push(channel(&format!("channels[{i}]"), ch, csat)?);
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
    Ok(channels)
}

fn channel(f: &str, ch: &ChannelSpec, csat: &CsatSpec) -> Result<Channel, ConfigError> {
    let live = ch.kind == ChannelKind::Live;
    check_share(&format!("{f}.share"), ch.share)?;
    let target = check_positive(
        &format!("{f}.first_reply_target_minutes"),
        ch.first_reply_target_minutes,
    )?;
    let days = match &ch.open_days {
        None => [true; 7],
        Some(d) => days_at(&format!("{f}.open_days"), d)?,
    };
    let (start_minute, end_minute) = match &ch.open_hours {
        None => (0, 1440),
        Some(h) => hours_at(&format!("{f}.open_hours"), h)?,
    };
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
    let factor = check_positive(&format!("{f}.handle_time_factor"), ch.handle_time_factor.unwrap_or(1.0))?;
    let norm = check_positive(
        &format!("{f}.resolution_norm_minutes"),
        ch.resolution_norm_minutes.unwrap_or(if live { 30.0 } else { 1440.0 }),
    )?;
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
    let pickup = match &ch.pickup_time {
        Some(_) if !live => {
            return Err(err(
                format!("{f}.pickup_time"),
                "applies to live channels only, got a value on an async channel",
            ));
        }
        Some(DurationSpec::Fixed { mean_minutes }) if *mean_minutes == 0.0 => None,
        Some(p) => Some(Duration::from_spec(p, &format!("{f}.pickup_time"))?),
        // Chat: accept click and greeting, about 30 s; a call: ring and answer, about 7 s.
        None if live => Some(Duration::from_spec(
            &DurationSpec::Lognormal {
                mean_minutes: if ch.concurrency.unwrap_or(1) > 1 { 0.5 } else { 0.12 },
                sigma: if ch.concurrency.unwrap_or(1) > 1 { 0.6 } else { 0.5 },
            },
            &format!("{f}.pickup_time"),
        )?),
        None => None,
    };
    let due = match &ch.due_factors {
        None => [0.25, 0.5, 1.0, 2.0],
        Some(d) => [
            ("urgent", d.urgent),
            ("high", d.high),
            ("normal", d.normal),
            ("low", d.low),
        ]
        .map(|(name, v)| check_range(&format!("{f}.due_factors.{name}"), v, 0.0, 100.0))
        .into_iter()
        .collect::<Result<Vec<f64>, _>>()?
        .try_into()
        .expect("four priorities"),
    };
    let response = ch.csat_response_rate.unwrap_or(csat.response_rate);
    if !(response.is_finite() && response > 0.0 && response <= 1.0) {
        let field = if ch.csat_response_rate.is_some() {
            format!("{f}.csat_response_rate")
        } else {
            "outcomes.csat.response_rate".to_string()
        };
        return Err(err(field, format!("must be in (0, 1], got {response}")));
    }
    Ok(Channel {
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
        pickup,
        discipline: ch.queue_discipline,
        due_offset_secs: due.map(|x| (x * target * 60.0).round() as u64),
    })
}

/// `[[categories]]`.
pub(super) fn categories(specs: &[CategorySpec], channels: &[Channel]) -> Result<Vec<Category>, ConfigError> {
    check_names("categories", specs.iter().map(|c| c.name.as_str()))?;
    let mut out = Vec::new();
    for (i, k) in specs.iter().enumerate() {
        out.push(category(&format!("categories[{i}]"), k, channels)?);
    }
    check_sum("categories[*].share", out.iter().map(|c| c.share))?;
    Ok(out)
}

fn category(f: &str, k: &CategorySpec, channels: &[Channel]) -> Result<Category, ConfigError> {
    check_share(&format!("{f}.share"), k.share)?;
    let handle_time = Duration::from_spec(&k.handle_time, &format!("{f}.handle_time"))?;
    check_range(&format!("{f}.touches_mean"), k.touches_mean, 1.0, 10.0)?;
    let customer_reply_delay = Duration::from_spec(&k.customer_reply_delay, &format!("{f}.customer_reply_delay"))?;
    check_share(&format!("{f}.escalation_rate"), k.escalation_rate)?;
    check_range(&format!("{f}.reopen_rate"), k.reopen_rate, 0.0, 0.5)?;
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
    check_range(&format!("{f}.csat_effect"), k.csat_effect, -10.0, 10.0)?;
    let tier2_touches_mean = check_range(
        &format!("{f}.tier2_touches_mean"),
        k.tier2_touches_mean.unwrap_or(1.5),
        1.0,
        10.0,
    )?;
    for (j, theme) in k.themes.iter().enumerate() {
        if theme.trim().is_empty() || theme.trim() != theme || theme.contains(['(', ')', '.', '!', '?']) {
            return Err(err(
                format!("{f}.themes[{j}]"),
                format!("must be a short noun phrase without surrounding spaces or punctuation, got \"{theme}\""),
            ));
        }
    }
    Ok(Category {
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
        channel_weights: channel_weights(f, &k.channel_weights, channels)?,
    })
}

/// `[[arrivals.incidents]]` as volume changes labelled in the data; `days` is history plus horizon.
/// An incident's identity comes from its day, start time and category, not its place in the list.
pub(super) fn incidents(
    specs: &[IncidentSpec],
    categories: &[Category],
    days: u32,
) -> Result<Vec<Change>, ConfigError> {
    let mut out: Vec<Change> = Vec::new();
    for (i, inc) in specs.iter().enumerate() {
        let f = format!("arrivals.incidents[{i}]");
        let category = categories.iter().position(|k| k.name == inc.category).ok_or_else(|| {
            err(
                format!("{f}.category"),
                format!("names no category, got \"{}\"", inc.category),
            )
        })?;
        if inc.day >= days {
            return Err(err(
                format!("{f}.day"),
                format!(
                    "must be before the end of history and horizon ({days}), got {}",
                    inc.day
                ),
            ));
        }
        let start_minute = super::parse_clock(&inc.start_time)
            .filter(|&m| m < 1440)
            .ok_or_else(|| {
                err(
                    format!("{f}.start_time"),
                    format!("must be HH:MM before 24:00, got \"{}\"", inc.start_time),
                )
            })?;
        if !(inc.duration_hours.is_finite() && inc.duration_hours > 0.0 && inc.duration_hours <= 24.0 * 30.0) {
            return Err(err(
                format!("{f}.duration_hours"),
                format!("must be in (0, 720], got {}", inc.duration_hours),
            ));
        }
        let ramp_hours = match inc.ramp_hours {
            Some(r) => check_range(&format!("{f}.ramp_hours"), r, 0.0, inc.duration_hours / 2.0)?,
            None => (inc.duration_hours / 10.0).min(2.0),
        };
        check_range(&format!("{f}.volume_multiplier"), inc.volume_multiplier, 1.0, 50.0)?;
        check_range(&format!("{f}.priority_shift"), inc.priority_shift, -5.0, 5.0)?;
        let from_secs = u64::from(inc.day) * DAY_SECS + u64::from(start_minute) * 60;
        let id = change_id(&format!("incident:{}:{}:{}", inc.day, start_minute, inc.category));
        if out.iter().any(|c| c.id == id) {
            return Err(err(
                format!("{f}.start_time"),
                format!(
                    "repeats an earlier incident of the same category, day and time, got \"{}\"",
                    inc.start_time
                ),
            ));
        }
        out.push(Change {
            id,
            origin: Origin::Scenario,
            from_secs,
            ramp_secs: (ramp_hours * 3600.0).round() as u64,
            until_secs: Some(from_secs + (inc.duration_hours * 3600.0).round() as u64),
            effect: Effect::Volume {
                category,
                multiplier: inc.volume_multiplier,
                priority_shift: inc.priority_shift,
            },
        });
    }
    Ok(out)
}

/// `[[teams]]` with their shifts.
pub(super) fn teams(specs: &[TeamSpec], channels: &[Channel], regions: &[Region]) -> Result<Vec<Team>, ConfigError> {
    check_names("teams", specs.iter().map(|t| t.name.as_str()))?;
    let mut teams = Vec::new();
    for (i, t) in specs.iter().enumerate() {
        teams.push(team(&format!("teams[{i}]"), t, channels, regions)?);
    }
    let agents: u64 = teams
        .iter()
        .flat_map(|t| t.shifts.iter())
        .map(|s| u64::from(s.agents))
        .sum();
    // Room for the hires that replace leavers (agents are numbered in 16 bits).
    if agents == 0 || agents > 40_000 {
        return Err(err(
            "teams[*].shifts[*].agents",
            format!("must add up to between 1 and 40000 agents, got {agents}"),
        ));
    }
    Ok(teams)
}

fn team(f: &str, t: &TeamSpec, channels: &[Channel], regions: &[Region]) -> Result<Team, ConfigError> {
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
    check_range(&format!("{f}.absence_rate"), t.absence_rate, 0.0, 0.9)?;
    check_range(
        &format!("{f}.training_hours_per_month"),
        t.training_hours_per_month,
        0.0,
        80.0,
    )?;
    check_range(&format!("{f}.leave_days_per_year"), t.leave_days_per_year, 0.0, 60.0)?;
    check_range(&format!("{f}.attrition_per_year"), t.attrition_per_year, 0.0, 3.0)?;
    check_range(&format!("{f}.backfill_days"), t.backfill_days, 0.0, 365.0)?;
    check_share(&format!("{f}.holiday_staffing"), t.holiday_staffing)?;
    if t.meeting_minutes_per_week > 600 {
        return Err(err(
            format!("{f}.meeting_minutes_per_week"),
            format!("must be at most 600, got {}", t.meeting_minutes_per_week),
        ));
    }
    let region = match &t.region {
        None => 0,
        Some(name) => regions
            .iter()
            .position(|r| &r.name == name)
            .ok_or_else(|| err(format!("{f}.region"), format!("names no region, got \"{name}\"")))?,
    };
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
        let days = days_at(&format!("{g}.days"), &sh.days)?;
        let (start_minute, end_minute) = parse_hours(&sh.hours).ok_or_else(|| {
            err(
                format!("{g}.hours"),
                format!("must look like \"08:00-16:30\", got \"{}\"", sh.hours),
            )
        })?;
        if sh.break_minutes + t.paid_break_minutes >= end_minute - start_minute {
            return Err(err(
                format!("{g}.hours"),
                format!(
                    "must be longer than the unpaid break ({} min) and paid breaks ({} min), got \"{}\"",
                    sh.break_minutes, t.paid_break_minutes, sh.hours
                ),
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
    Ok(Team {
        name: t.name.clone(),
        tier: t.tier,
        channels: chans,
        hourly_cost_usd: t.hourly_cost_usd,
        quality_sd: t.quality_sd,
        new_hire_ramp_days: t.new_hire_ramp_days,
        absence_rate: t.absence_rate,
        live_reserve_agents: t.live_reserve_agents,
        shifts,
        paid_break_minutes: t.paid_break_minutes,
        meeting_minutes_per_week: t.meeting_minutes_per_week,
        training_hours_per_month: t.training_hours_per_month,
        leave_days_per_year: t.leave_days_per_year,
        attrition_per_year: t.attrition_per_year,
        backfill_days: t.backfill_days,
        region,
        holiday_staffing: t.holiday_staffing,
    })
}

/// Every channel that receives contacts is served at tier 1, and at tier 2 where tickets escalate.
pub(super) fn coverage(channels: &[Channel], categories: &[Category], teams: &[Team]) -> Result<(), ConfigError> {
    let serves = |tier: u8, ch: usize| teams.iter().any(|t| t.tier == tier && t.channels.contains(&ch));
    for (i, ch) in channels.iter().enumerate() {
        if ch.live && ch.share > 0.0 {
            live_hours_rostered(i, ch, teams)?;
        }
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
    Ok(())
}

/// A live channel takes contacts only while some tier-1 team that answers it has a shift: open hours
/// with nobody rostered would abandon every contact.
fn live_hours_rostered(i: usize, ch: &Channel, teams: &[Team]) -> Result<(), ConfigError> {
    let rostered = |mow: u32| {
        teams
            .iter()
            .filter(|t| t.tier == 1 && t.channels.contains(&i))
            .any(|t| t.shifts.iter().any(|s| s.agents > 0 && s.window.covers(mow)))
    };
    let Some(gap) = (0..7 * 1440).find(|&m| ch.open.covers(m) && !rostered(m)) else {
        return Ok(());
    };
    let field = if ch.open == WeeklyWindow::always() {
        "open_days"
    } else {
        "open_hours"
    };
    Err(err(
        format!("channels[{i}].{field}"),
        format!(
            "keeps live channel \"{}\" open while no agent of a team answering it is rostered, first at {} {:02}:{:02}; close it then or roster agents",
            ch.name,
            super::WEEKDAYS[(gap / 1440) as usize],
            gap % 1440 / 60,
            gap % 60
        ),
    ))
}

/// `[outcomes.csat]`.
pub(super) fn csat(cs: &CsatSpec) -> Result<Csat, ConfigError> {
    check_range("outcomes.csat.extremity", cs.extremity, 0.0, 2.0)?;
    for (name, v) in [
        ("intercept", cs.intercept),
        ("per_extra_reply", cs.per_extra_reply),
        ("per_reopen", cs.per_reopen),
        ("escalated", cs.escalated),
        ("abandoned_and_retried", cs.abandoned_and_retried),
        ("switched_channel", cs.switched_channel),
        ("per_log_resolution_over_norm", cs.per_log_resolution_over_norm),
        ("per_log_first_reply_over_target", cs.per_log_first_reply_over_target),
    ] {
        check_range(&format!("outcomes.csat.{name}"), v, -10.0, 10.0)?;
    }
    Ok(Csat {
        extremity: cs.extremity,
        intercept: cs.intercept,
        per_extra_reply: cs.per_extra_reply,
        per_reopen: cs.per_reopen,
        escalated: cs.escalated,
        abandoned_and_retried: cs.abandoned_and_retried,
        switched_channel: cs.switched_channel,
        per_log_resolution_over_norm: cs.per_log_resolution_over_norm,
        per_log_first_reply_over_target: cs.per_log_first_reply_over_target,
        answer_delay: Duration::from_spec(&cs.answer_delay, "outcomes.csat.answer_delay")?,
    })
}

/// `[outcomes.nps]`.
pub(super) fn nps(n: &NpsSpec) -> Result<Nps, ConfigError> {
    let f = "outcomes.nps";
    let every = check_range(&format!("{f}.survey_every_days"), n.survey_every_days, 7.0, 3660.0)?;
    let first = check_range(
        &format!("{f}.first_survey_after_days"),
        n.first_survey_after_days,
        0.0,
        3660.0,
    )?;
    let days = days_at(&format!("{f}.send_days"), &n.send_days)?;
    let (start_minute, end_minute) = hours_at(&format!("{f}.send_hours"), &n.send_hours)?;
    let delay = check_range(
        &format!("{f}.answer_delay_mean_hours"),
        n.answer_delay_mean_hours,
        0.1,
        720.0,
    )?;
    let memory = check_range(&format!("{f}.memory_days"), n.memory_days, 1.0, 3660.0)?;
    Ok(Nps {
        panel_share: check_share(&format!("{f}.panel_share"), n.panel_share)?,
        survey_every_secs: (every * DAY_SECS as f64).round() as u64,
        first_survey_after_secs: (first * DAY_SECS as f64).round() as u64,
        send_window: WeeklyWindow {
            days,
            start_minute,
            end_minute,
        },
        response_rate: check_share(&format!("{f}.response_rate"), n.response_rate)?,
        answer_delay_mean_secs: delay * 3600.0,
        customer_sd: check_range(&format!("{f}.customer_sd"), n.customer_sd, 0.0, 10.0)?,
        noise_sd: check_range(&format!("{f}.noise_sd"), n.noise_sd, 0.0, 10.0)?,
        per_good_contact: check_range(&format!("{f}.per_good_contact"), n.per_good_contact, -10.0, 10.0)?,
        per_bad_contact: check_range(&format!("{f}.per_bad_contact"), n.per_bad_contact, -10.0, 10.0)?,
        per_abandoned_contact: check_range(
            &format!("{f}.per_abandoned_contact"),
            n.per_abandoned_contact,
            -10.0,
            10.0,
        )?,
        memory_secs: memory * DAY_SECS as f64,
        zero_share: check_share(&format!("{f}.zero_share"), n.zero_share)?,
    })
}

/// `[outcomes.churn]`.
pub(super) fn churn(c: &ChurnSpec) -> Result<Churn, ConfigError> {
    let f = "outcomes.churn";
    let uplift = |name: &str, v: f64| check_range(&format!("{f}.{name}"), v, 0.0, 20.0);
    Ok(Churn {
        per_reopen: uplift("per_reopen", c.per_reopen)?,
        escalated: uplift("escalated", c.escalated)?,
        per_extra_reply: uplift("per_extra_reply", c.per_extra_reply)?,
        abandoned: uplift("abandoned", c.abandoned)?,
        retried: uplift("retried", c.retried)?,
        switched_channel: uplift("switched_channel", c.switched_channel)?,
        per_log_resolution_over_norm: uplift("per_log_resolution_over_norm", c.per_log_resolution_over_norm)?,
        per_log_first_reply_over_target: uplift("per_log_first_reply_over_target", c.per_log_first_reply_over_target)?,
        per_quality_shortfall: uplift("per_quality_shortfall", c.per_quality_shortfall)?,
        memory_secs: check_range(&format!("{f}.memory_days"), c.memory_days, 1.0, 3660.0)? * DAY_SECS as f64,
        recovery: check_share(&format!("{f}.recovery"), c.recovery)?,
        new_customer_factor: check_range(&format!("{f}.new_customer_factor"), c.new_customer_factor, 0.0, 20.0)?,
        new_customer_secs: check_range(&format!("{f}.new_customer_days"), c.new_customer_days, 0.0, 365.0)?
            * DAY_SECS as f64,
        first_year_factor: check_range(&format!("{f}.first_year_factor"), c.first_year_factor, 0.0, 20.0)?,
        propensity_elasticity: check_range(
            &format!("{f}.propensity_elasticity"),
            c.propensity_elasticity,
            -3.0,
            3.0,
        )?,
        sentiment_effect: check_range(&format!("{f}.sentiment_effect"), c.sentiment_effect, -3.0, 3.0)?,
    })
}
