//! Agents and when they work, as a workforce-management plan knows it and as it really happens.
//!
//! - **Who is employed.** Each shift has seats. Agents leave (the team's turnover is a renewal
//!   process with Erlang-3 gaps, so departures are spread out) and a new hire fills the seat after
//!   a backfill time, starting on a Monday on the new-hire ramp; planted staffing changes close
//!   seats or replace their holders.
//! - **Paid time** (what the schedule shows): the shift on its days, less the unpaid lunch, planned
//!   leave and the team's public holidays (a holiday crew works them when the team staffs holidays).
//! - **Available time** (when an agent takes contacts): paid time less two paid breaks, the weekly
//!   meeting, training sessions and unplanned absences, which the schedule does not know about.
//!
//! Every draw is keyed by the agent's or the team's identity (names, not positions), so one
//! agent's leave or absences never move another's.

use crate::config::{Change, Config, DAY_SECS, Effect, Team, change_id};
use crate::record::{AgentRecord, ScheduleRow};
use crate::rng::{Draw, Seeds, Stream, mix64};
use rand::Rng;

/// Half-hour intervals of the schedule.
pub const INTERVAL_SECS: u64 = 1800;

/// An agent with the intervals (clock seconds, half-open, sorted, disjoint) it is paid for and on
/// duty (available for contacts).
pub struct RosteredAgent {
    pub record: AgentRecord,
    /// Seat of the agent within its shift (staggers breaks and meetings).
    pub slot: u32,
    /// Stable identity (keys the agent's draws and how strongly changes act on it).
    pub key: u64,
    pub paid: Vec<(u64, u64)>,
    pub duty: Vec<(u64, u64)>,
}

/// One employment in a seat: history days, hire inclusive, leaving exclusive.
#[derive(Debug, Clone)]
struct Tenure {
    shift: usize,
    slot: u32,
    generation: u32,
    hire_day: i64,
    left_day: Option<i64>,
    quality_delta: f64,
    /// Weekdays the seat is off its shift from a day (until a day): a plan's cut on some of the
    /// shift's days.
    off: Vec<OffDays>,
}

/// A seat taken off its shift on some weekdays: history days `from` inclusive to `until`
/// exclusive, weekdays Monday first.
#[derive(Debug, Clone, PartialEq)]
struct OffDays {
    from: i64,
    until: Option<i64>,
    weekdays: [bool; 7],
}

impl OffDays {
    fn covers(&self, day: i64, weekday: usize) -> bool {
        self.weekdays[weekday] && day >= self.from && self.until.is_none_or(|u| day < u)
    }
}

/// Builds every agent of the scenario with paid and duty intervals over `total_days` clock days,
/// where clock day 0 is the first warm-up day.
pub fn build_agents(cfg: &Config, seeds: &Seeds, total_days: u32) -> Vec<RosteredAgent> {
    let mut agents = Vec::new();
    for (ti, team) in cfg.teams.iter().enumerate() {
        for tenure in tenures(cfg, seeds, ti) {
            if agents.len() >= usize::from(u16::MAX) {
                // Agents are numbered in 16 bits; configuration keeps seats far below this.
                break;
            }
            agents.push(rostered(cfg, seeds, ti, team, &tenure, total_days));
        }
    }
    agents
}

/// A keyed uniform for an agent's or a team's draw `purpose` on history day `day`.
fn u(key: u64, purpose: Draw, day: i64, index: u32) -> f64 {
    Seeds::uniform(mix64(key ^ (day as u64).wrapping_mul(0x9E37_79B9)), purpose, index)
}

fn agent_key(seeds: &Seeds, team: &Team, shift: usize, slot: u32, generation: u32) -> u64 {
    let label = format!("agent:{}:{}:{slot}:{generation}", team.name, team.shifts[shift].name);
    seeds.entity_key(change_id(&label))
}

/// What happens to a team's seats, in day order.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
enum SeatEvent {
    /// Someone of the team leaves; `pick` in (0, 1) chooses whom among the seated.
    Turnover { pick: f64 },
    /// The seat's holder leaves and the seat closes (a planted staffing cut).
    Close { seat: usize },
    /// The seat's holder is replaced at once by a new hire (a planted cohort).
    Replace { seat: usize, quality_delta: f64 },
    /// A backfill hire takes the seat if it is still empty and open (`generation` guards it).
    Hire { seat: usize, generation: u32 },
    /// A closed seat opens again and a new hire takes it (a staffing cut that ends).
    Reopen { seat: usize },
}

/// The employments of team `ti`: the first holders of every seat, then leavers and their
/// replacements from 90 days before the warm-up to the end of the history.
fn tenures(cfg: &Config, seeds: &Seeds, ti: usize) -> Vec<Tenure> {
    let team = &cfg.teams[ti];
    // Shifts a plan added: their seats stay out of the team's turnover, so that every other seat's
    // departures and hires are the same with and without them.
    let added: Vec<&Change> = cfg
        .changes
        .iter()
        .filter(|c| matches!(c.effect, Effect::AddSeats { team, .. } if team == ti))
        .collect();
    let is_added = |si: usize| {
        added
            .iter()
            .any(|c| matches!(c.effect, Effect::AddSeats { shift, .. } if shift == si))
    };
    let seats: Vec<(usize, u32)> = (0..team.shifts.len())
        .filter(|&si| !is_added(si))
        .flat_map(|si| (0..team.shifts[si].agents).map(move |slot| (si, slot)))
        .collect();
    let mut out: Vec<Tenure> = seats
        .iter()
        .map(|&(shift, slot)| {
            let key = agent_key(seeds, team, shift, slot, 0);
            Tenure {
                shift,
                slot,
                generation: 0,
                // Tenure at the start of the history: 4 months to 4 years.
                hire_day: -(120 + (u(key, Draw::AgentTenure, 0, 0) * 1340.0) as i64),
                left_day: None,
                quality_delta: 0.0,
                off: Vec::new(),
            }
        })
        .collect();
    let mut holder: Vec<Option<usize>> = (0..seats.len()).map(Some).collect();
    let mut generation = vec![0u32; seats.len()];
    let mut closed = vec![false; seats.len()];
    let first_day = -i64::from(cfg.warmup_days) - 90;
    let last_day = i64::from(cfg.history_days);
    let mut events = turnover_days(cfg, seeds, ti, seats.len(), first_day, last_day);
    let (planted, off) = planted_seat_events(cfg, ti, &seats);
    events.extend(planted);
    let team_key = seeds.entity_key(change_id(&format!("turnover:{}", team.name)));
    let mut k = 0;
    while k < events.len() {
        events[k..].sort_by(|a, b| a.partial_cmp(b).expect("finite"));
        let (day, ev) = events[k];
        k += 1;
        let leave = |seat: usize, holder: &mut [Option<usize>], out: &mut [Tenure]| {
            if let Some(h) = holder[seat].take() {
                out[h].left_day = Some(day.max(out[h].hire_day + 1));
            }
        };
        let hire =
            |seat: usize, delta: f64, generation: &mut [u32], holder: &mut [Option<usize>], out: &mut Vec<Tenure>| {
                generation[seat] += 1;
                out.push(Tenure {
                    shift: seats[seat].0,
                    slot: seats[seat].1,
                    generation: generation[seat],
                    hire_day: day,
                    left_day: None,
                    quality_delta: delta,
                    off: Vec::new(),
                });
                holder[seat] = Some(out.len() - 1);
            };
        match ev {
            SeatEvent::Turnover { pick } => {
                let seated: Vec<usize> = (0..seats.len()).filter(|&s| holder[s].is_some()).collect();
                if seated.is_empty() {
                    continue;
                }
                let seat = seated[((pick * seated.len() as f64) as usize).min(seated.len() - 1)];
                leave(seat, &mut holder, &mut out);
                let wait = team.backfill_days * (0.5 + u(team_key, Draw::Turnover, day, seat as u32));
                let start = first_working_monday(cfg, team, day + wait.round() as i64);
                if start < last_day {
                    events.push((
                        start,
                        SeatEvent::Hire {
                            seat,
                            generation: generation[seat],
                        },
                    ));
                }
            }
            SeatEvent::Close { seat } => {
                leave(seat, &mut holder, &mut out);
                closed[seat] = true;
            }
            SeatEvent::Replace { seat, quality_delta } => {
                leave(seat, &mut holder, &mut out);
                hire(seat, quality_delta, &mut generation, &mut holder, &mut out);
            }
            SeatEvent::Hire { seat, generation: g } => {
                if !closed[seat] && holder[seat].is_none() && generation[seat] == g {
                    hire(seat, 0.0, &mut generation, &mut holder, &mut out);
                }
            }
            SeatEvent::Reopen { seat } => {
                closed[seat] = false;
                if holder[seat].is_none() {
                    hire(seat, 0.0, &mut generation, &mut holder, &mut out);
                }
            }
        }
    }
    // Added shifts are filled by new hires from the change's first day to its end.
    for c in &added {
        let Effect::AddSeats { shift, .. } = c.effect else {
            continue;
        };
        for slot in 0..team.shifts[shift].agents {
            out.push(Tenure {
                shift,
                slot,
                generation: 0,
                hire_day: (c.from_secs / DAY_SECS) as i64,
                left_day: c.until_secs.map(|u| (u / DAY_SECS) as i64),
                quality_delta: 0.0,
                off: Vec::new(),
            });
        }
    }
    for t in &mut out {
        if let Some(seat) = seats.iter().position(|&s| s == (t.shift, t.slot)) {
            t.off = off.iter().filter(|(s, _)| *s == seat).map(|(_, o)| o.clone()).collect();
        }
    }
    // Employments that ended before the warm-up never show.
    out.retain(|t| t.left_day.is_none_or(|l| l > -i64::from(cfg.warmup_days)));
    out
}

/// The first Monday on or after history day `day`, or the day after it when that Monday is a public
/// holiday of the team.
fn first_working_monday(cfg: &Config, team: &Team, day: i64) -> i64 {
    let weekday = (i64::from(cfg.start_weekday) + day).rem_euclid(7);
    let monday = day + (7 - weekday) % 7;
    monday + i64::from(cfg.regions[team.region].is_holiday(monday))
}

/// Days on which someone of team `ti` leaves: a renewal process with Erlang-3 gaps of mean
/// 365 / (attrition × seats) days, in its own stream keyed by the team's name.
fn turnover_days(cfg: &Config, seeds: &Seeds, ti: usize, seats: usize, first: i64, last: i64) -> Vec<(i64, SeatEvent)> {
    let team = &cfg.teams[ti];
    let rate_per_day = team.attrition_per_year * seats as f64 / 365.0;
    if rate_per_day <= 0.0 {
        return Vec::new();
    }
    let mean = 1.0 / rate_per_day;
    let mut rng = seeds.stream(Stream::Agents, change_id(&format!("turnover:{}", team.name)));
    let mut t = first as f64 + rng.random::<f64>() * mean;
    let mut out = Vec::new();
    while t < last as f64 {
        out.push((t.floor() as i64, SeatEvent::Turnover { pick: rng.random() }));
        let gap: f64 = (0..3).map(|_| -(1.0 - rng.random::<f64>()).ln()).sum::<f64>() * mean / 3.0;
        t += gap;
    }
    out
}

/// Seat events of the planted staffing changes of team `ti`, and the seats taken off some of their
/// shift's days: a cut takes the shift's last seats that no earlier cut took, one by one over its
/// ramp (so a plan's cut on a shift a hidden issue already cut takes agents who are still there,
/// and the seats stay as they were). On all the shift's days it closes them; on some, their
/// holders stop working those days. A cohort replaces the shift's first seats on its first day.
fn planted_seat_events(
    cfg: &Config,
    ti: usize,
    seats: &[(usize, u32)],
) -> (Vec<(i64, SeatEvent)>, Vec<(usize, OffDays)>) {
    let mut out = Vec::new();
    let mut off = Vec::new();
    let mut cut_before = vec![false; seats.len()];
    for c in &cfg.changes {
        let day0 = (c.from_secs / DAY_SECS) as i64;
        match c.effect {
            Effect::StaffCut {
                team,
                shift,
                agents,
                days,
            } if team == ti => {
                let works = cfg.teams[ti].shifts[shift].window.days;
                let whole = (0..7).all(|d| days[d] || !works[d]);
                let of_shift: Vec<usize> = (0..seats.len())
                    .filter(|&s| seats[s].0 == shift && !cut_before[s])
                    .collect();
                for (k, &seat) in of_shift.iter().rev().take(agents as usize).enumerate() {
                    cut_before[seat] = true;
                    let at = c.from_secs + c.ramp_secs * k as u64 / u64::from(agents.max(1));
                    let until = c.until_secs.map(|u| (u / DAY_SECS) as i64);
                    if whole {
                        out.push(((at / DAY_SECS) as i64, SeatEvent::Close { seat }));
                        if let Some(until) = until {
                            out.push((until, SeatEvent::Reopen { seat }));
                        }
                    } else {
                        let from = (at / DAY_SECS) as i64;
                        off.push((
                            seat,
                            OffDays {
                                from,
                                until,
                                weekdays: days,
                            },
                        ));
                    }
                }
            }
            Effect::Hires {
                team,
                shift,
                agents,
                quality_delta,
            } if team == ti => {
                let of_shift = (0..seats.len()).filter(|&s| seats[s].0 == shift);
                for seat in of_shift.take(agents as usize) {
                    out.push((day0, SeatEvent::Replace { seat, quality_delta }));
                }
            }
            _ => {}
        }
    }
    (out, off)
}

/// The agent of one employment with its paid and duty intervals.
fn rostered(cfg: &Config, seeds: &Seeds, ti: usize, team: &Team, t: &Tenure, total_days: u32) -> RosteredAgent {
    let key = agent_key(seeds, team, t.shift, t.slot, t.generation);
    let shift = &team.shifts[t.shift];
    let working_days_per_year = 365.0 / 7.0 * shift.window.days.iter().filter(|&&d| d).count() as f64;
    // Leave blocks of 1, 3 or 5 working days (mean 3); a block starts on a working day with this chance.
    let leave_start = team.leave_days_per_year / (working_days_per_year * 3.0);
    let training_chance = team.training_hours_per_month * 12.0 / (2.0 * working_days_per_year);
    // The weekly meeting falls on the shift's quietest day.
    let meeting_weekday = (0..7)
        .filter(|&d| shift.window.days[d])
        .min_by(|&a, &b| cfg.weekday_weights[a].total_cmp(&cfg.weekday_weights[b]))
        .unwrap_or(0);
    let holiday_crew = (f64::from(shift.agents) * team.holiday_staffing).ceil() as u32;
    let region = &cfg.regions[team.region];
    let mut paid = Vec::new();
    let mut duty = Vec::new();
    let mut leave_left = 0u32;
    let warmup = i64::from(cfg.warmup_days);
    for clock_day in 0..i64::from(total_days) {
        let day = clock_day - warmup;
        if day < t.hire_day || t.left_day.is_some_and(|l| day >= l) {
            continue;
        }
        let weekday = (i64::from(cfg.start_weekday) + day).rem_euclid(7) as usize;
        if !shift.window.days[weekday] || t.off.iter().any(|o| o.covers(day, weekday)) {
            continue;
        }
        if region.is_holiday(day) {
            let rotation = (mix64(key_of_day(ti, t.shift, day)) % u64::from(shift.agents.max(1))) as u32;
            if (t.slot + rotation) % shift.agents.max(1) >= holiday_crew {
                continue;
            }
        }
        if leave_left == 0 && u(key, Draw::Leave, day, 0) < leave_start {
            let v = u(key, Draw::Leave, day, 1);
            leave_left = if v < 0.4 {
                1
            } else if v < 0.6 {
                3
            } else {
                5
            };
        }
        if leave_left > 0 {
            leave_left -= 1;
            continue;
        }
        let base = clock_day as u64 * DAY_SECS;
        let start = base + u64::from(shift.window.start_minute) * 60;
        let end = base + u64::from(shift.window.end_minute) * 60;
        let lunch = lunch_break(start, end, shift.break_minutes, t.slot);
        let day_paid = subtract(&[(start, end)], lunch.into_iter().collect());
        for &(a, b) in &day_paid {
            push_interval(&mut paid, a, b);
        }
        if u(key, Draw::Absence, day, 0) < team.absence_rate {
            continue;
        }
        let mut off = paid_breaks(start, end, team.paid_break_minutes, t.slot);
        let len = end - start;
        let meeting = u64::from(team.meeting_minutes_per_week) * 60;
        if weekday == meeting_weekday && meeting > 0 && len >= meeting * 2 + 4 * 3600 {
            // Two sessions late in the shift, when contacts ease off, even seats first.
            let m0 = align(end - 5400 - 2 * meeting) + meeting * u64::from(t.slot % 2);
            off.push((m0, m0 + meeting));
        }
        if len >= 5 * 3600 && u(key, Draw::Training, day, 0) < training_chance {
            let t0 = align(end - 2 * 3600 - INTERVAL_SECS);
            off.push((t0, t0 + 2 * 3600));
        }
        for (a, b) in subtract(&day_paid, off) {
            push_interval(&mut duty, a, b);
        }
    }
    let left_day = t.left_day;
    RosteredAgent {
        record: AgentRecord {
            team: ti as u16,
            tier: team.tier,
            shift: t.shift as u16,
            hire_day: t.hire_day,
            left_day,
            quality: Seeds::normal(key, Draw::AgentQuality, 0) * team.quality_sd + t.quality_delta,
        },
        slot: t.slot,
        key,
        paid,
        duty,
    }
}

fn key_of_day(team: usize, shift: usize, day: i64) -> u64 {
    (team as u64) << 48 ^ (shift as u64) << 32 ^ day as u64
}

/// Clock seconds rounded down to the half hour.
fn align(secs: u64) -> u64 {
    secs / INTERVAL_SECS * INTERVAL_SECS
}

/// The unpaid lunch of seat `slot` on a shift `[start, end)`: on the half hour from half an hour
/// before the middle to an hour after it, staggered by seat (lunches run late rather than early).
fn lunch_break(start: u64, end: u64, minutes: u32, slot: u32) -> Option<(u64, u64)> {
    if minutes == 0 {
        return None;
    }
    let len = u64::from(minutes) * 60;
    let centre = (start + end) / 2;
    let at = (centre as i64 + (i64::from(slot % 4) - 1) * 1800).max(start as i64 + 3600) as u64;
    let b0 = align(at).clamp(start, end.saturating_sub(len));
    Some((b0, b0 + len))
}

/// Two paid breaks, each half of `minutes`, a quarter and three quarters into the shift, staggered
/// by seat in 15-minute steps.
fn paid_breaks(start: u64, end: u64, minutes: u32, slot: u32) -> Vec<(u64, u64)> {
    if minutes == 0 {
        return Vec::new();
    }
    let half = u64::from(minutes) * 30;
    let stagger = (i64::from(slot % 3) - 1) * 900;
    [start + (end - start) / 4, start + (end - start) * 3 / 4]
        .into_iter()
        .map(|at| {
            let b = ((at as i64 + stagger) as u64).clamp(start, end - half);
            (b, b + half)
        })
        .collect()
}

/// `from` (sorted, disjoint) less the union of `off`.
fn subtract(from: &[(u64, u64)], mut off: Vec<(u64, u64)>) -> Vec<(u64, u64)> {
    off.sort_unstable();
    let mut out = Vec::new();
    for &(mut a, b) in from {
        for &(x, y) in &off {
            if y <= a || x >= b {
                continue;
            }
            if x > a {
                out.push((a, x));
            }
            a = a.max(y);
            if a >= b {
                break;
            }
        }
        if a < b {
            out.push((a, b));
        }
    }
    out
}

/// Appends `[start, end)`, merging with the previous interval when they touch or overlap.
fn push_interval(v: &mut Vec<(u64, u64)>, start: u64, end: u64) {
    if end <= start {
        return;
    }
    if let Some(last) = v.last_mut()
        && start <= last.1
    {
        last.1 = last.1.max(end);
        return;
    }
    v.push((start, end));
}

/// Paid agents per team and half hour of each history day: an agent counts in an interval when
/// paid at its middle (shifts start and end on the half hour, so that is the whole interval).
pub fn schedule(cfg: &Config, roster: &[RosteredAgent]) -> Vec<ScheduleRow> {
    let days = cfg.history_days as usize;
    let per_day = (DAY_SECS / INTERVAL_SECS) as usize;
    let nteams = cfg.teams.len();
    let origin = u64::from(cfg.warmup_days) * DAY_SECS;
    let end = origin + days as u64 * DAY_SECS;
    let mut grid = vec![0u32; days * per_day * nteams];
    for a in roster {
        for &(s, e) in &a.paid {
            // The intervals whose middle lies in [s, e), within the history.
            let (s, e) = (s.max(origin), e.min(end));
            let half = INTERVAL_SECS / 2;
            let mut k = (s - origin).saturating_sub(half).div_ceil(INTERVAL_SECS);
            while e > s && origin + k * INTERVAL_SECS + half < e {
                grid[k as usize * nteams + a.record.team as usize] += 1;
                k += 1;
            }
        }
    }
    grid.iter()
        .enumerate()
        .map(|(i, &n)| {
            let (k, team) = (i / nteams, i % nteams);
            ScheduleRow {
                day: (k / per_day) as u32,
                minute: ((k % per_day) as u64 * INTERVAL_SECS / 60) as u16,
                team: team as u16,
                agents_scheduled: n,
            }
        })
        .collect()
}

/// Paid seconds per team, shift and history day (split at midnight, as busy time is).
pub fn paid_secs(cfg: &Config, roster: &[RosteredAgent]) -> Vec<Vec<Vec<u64>>> {
    let days = cfg.history_days as usize;
    let origin = u64::from(cfg.warmup_days) * DAY_SECS;
    let mut out: Vec<Vec<Vec<u64>>> = cfg.teams.iter().map(|t| vec![vec![0; days]; t.shifts.len()]).collect();
    for a in roster {
        let row = &mut out[a.record.team as usize][a.record.shift as usize];
        for &(s, e) in &a.paid {
            let mut from = s.max(origin);
            let to = e.min(origin + days as u64 * DAY_SECS);
            while from < to {
                let day = ((from - origin) / DAY_SECS) as usize;
                let upto = to.min(origin + (day as u64 + 1) * DAY_SECS);
                row[day] += upto - from;
                from = upto;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_merge_when_touching() {
        let mut v = Vec::new();
        push_interval(&mut v, 0, 10);
        push_interval(&mut v, 10, 20);
        push_interval(&mut v, 25, 30);
        assert_eq!(v, vec![(0, 20), (25, 30)]);
    }

    #[test]
    fn subtracting_breaks_leaves_the_rest() {
        let got = subtract(&[(0, 100), (200, 300)], vec![(90, 210), (20, 30), (250, 260)]);
        assert_eq!(got, vec![(0, 20), (30, 90), (210, 250), (260, 300)]);
        assert_eq!(subtract(&[(0, 10)], vec![(0, 10)]), vec![]);
    }

    #[test]
    fn lunch_is_on_the_half_hour_inside_the_shift() {
        let (s, e) = (7 * 3600 + 1800, 16 * 3600);
        for slot in 0..8 {
            let (a, b) = lunch_break(s, e, 30, slot).unwrap();
            assert!(a % 1800 == 0 && a >= s && b <= e && b - a == 1800, "{a} {b}");
        }
    }
}
