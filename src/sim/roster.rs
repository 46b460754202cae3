//! Agents and when they are on duty: shifts, staggered breaks and daily absences become a list of
//! on-duty intervals per agent; the schedule table lists rostered agents per team and hour.

use rand::Rng;
use rand_distr::{Distribution, StandardNormal};

use crate::config::{Config, DAY_SECS};
use crate::record::{AgentRecord, ScheduleRow};
use crate::rng::{Seeds, Stream};

/// An agent with the intervals (clock seconds, half-open, sorted, disjoint) it is on duty.
pub struct RosteredAgent {
    pub record: AgentRecord,
    /// Position of the agent within its shift (staggers breaks).
    pub slot: u32,
    pub duty: Vec<(u64, u64)>,
}

/// Builds every agent of the scenario with duty intervals over `total_days` clock days, where clock
/// day 0 is the first warm-up day.
pub fn build_agents(cfg: &Config, seeds: &Seeds, total_days: u32) -> Vec<RosteredAgent> {
    let mut agents = Vec::new();
    for (ti, team) in cfg.teams.iter().enumerate() {
        let mut rng = seeds.stream(Stream::Agents, ti as u64);
        for (si, shift) in team.shifts.iter().enumerate() {
            for slot in 0..shift.agents {
                // Tenure at the start of the history: 4 months to 4 years.
                let tenure_days = 120 + (rng.random::<f64>() * 1340.0) as i64;
                let z: f64 = StandardNormal.sample(&mut rng);
                agents.push(RosteredAgent {
                    record: AgentRecord {
                        team: ti as u16,
                        tier: team.tier,
                        shift: si as u16,
                        hire_day: -tenure_days,
                        quality: z * team.quality_sd,
                    },
                    slot,
                    duty: Vec::new(),
                });
            }
        }
    }
    for day in 0..total_days {
        // One absence draw per agent and day, in agent order.
        let mut rng = seeds.stream(Stream::Roster, u64::from(day));
        let weekday =
            ((i64::from(cfg.start_weekday) - i64::from(cfg.warmup_days) + i64::from(day)).rem_euclid(7)) as usize;
        for a in agents.iter_mut() {
            let team = &cfg.teams[a.record.team as usize];
            let shift = &team.shifts[a.record.shift as usize];
            let absent = rng.random::<f64>() < team.absence_rate;
            if absent || !shift.window.days[weekday] {
                continue;
            }
            let base = u64::from(day) * DAY_SECS;
            let start = base + u64::from(shift.window.start_minute) * 60;
            let end = base + u64::from(shift.window.end_minute) * 60;
            if shift.break_minutes == 0 {
                push_interval(&mut a.duty, start, end);
            } else {
                let len = end - start;
                let brk = u64::from(shift.break_minutes) * 60;
                // Breaks start around the middle of the shift, staggered by 30 minutes over four slots.
                let centre = start + len / 2;
                let stagger = (i64::from(a.slot % 4) - 2) * 1800;
                let lo = start + 1800.min(len / 4);
                let hi = end.saturating_sub(brk + 1800.min(len / 4)).max(lo);
                let b0 = ((centre as i64 + stagger) as u64).clamp(lo, hi);
                push_interval(&mut a.duty, start, b0);
                push_interval(&mut a.duty, b0 + brk, end);
            }
        }
    }
    plant_staffing_issues(cfg, seeds, &mut agents);
    agents
}

/// Staffing cuts end the last agents of a shift at the issue's start; a new-hire cohort replaces the
/// first agents of a shift with new hires who take over their remaining duty from that day.
fn plant_staffing_issues(cfg: &Config, seeds: &Seeds, agents: &mut Vec<RosteredAgent>) {
    use crate::config::IssueKind;
    for issue in &cfg.active_issues {
        let cut = (u64::from(cfg.warmup_days) + u64::from(issue.start_day)) * DAY_SECS;
        let (team, shift, count, slots_from_end) = match issue.kind {
            IssueKind::StaffingCut { team, shift, agents } => (team, shift, agents, true),
            IssueKind::NewHireCohort {
                team, shift, agents, ..
            } => (team, shift, agents, false),
            _ => continue,
        };
        let members: Vec<usize> = (0..agents.len())
            .filter(|&i| agents[i].record.team as usize == team && agents[i].record.shift as usize == shift)
            .collect();
        let leaving: Vec<usize> = if slots_from_end {
            members.iter().rev().take(count as usize).copied().collect()
        } else {
            members.iter().take(count as usize).copied().collect()
        };
        let mut rng = seeds.stream(Stream::Agents, 1_000_000 + issue.pool_index as u64);
        for i in leaving {
            let after: Vec<(u64, u64)> = agents[i]
                .duty
                .iter()
                .filter(|iv| iv.1 > cut)
                .map(|&(a, b)| (a.max(cut), b))
                .collect();
            agents[i].duty.retain(|iv| iv.0 < cut);
            if let Some(last) = agents[i].duty.last_mut() {
                last.1 = last.1.min(cut);
            }
            if let IssueKind::NewHireCohort { quality_delta, .. } = issue.kind {
                let z: f64 = StandardNormal.sample(&mut rng);
                let t = &cfg.teams[team];
                agents.push(RosteredAgent {
                    record: AgentRecord {
                        team: team as u16,
                        tier: t.tier,
                        shift: shift as u16,
                        hire_day: i64::from(issue.start_day),
                        quality: z * t.quality_sd + quality_delta,
                    },
                    slot: agents[i].slot,
                    duty: after,
                });
            }
        }
    }
}

/// Appends `[start, end)`, merging with the previous interval when they touch or overlap.
fn push_interval(v: &mut Vec<(u64, u64)>, start: u64, end: u64) {
    if end <= start {
        return;
    }
    if let Some(last) = v.last_mut() {
        if start <= last.1 {
            last.1 = last.1.max(end);
            return;
        }
    }
    v.push((start, end));
}

/// Rostered agents per team and hour for each day of the history (absences are not known in advance;
/// agents who left in a staffing cut are no longer rostered).
pub fn schedule(cfg: &Config, days: u32) -> Vec<ScheduleRow> {
    let cut = |team: usize, shift: usize, day: u32| -> u32 {
        cfg.active_issues
            .iter()
            .map(|i| match i.kind {
                crate::config::IssueKind::StaffingCut {
                    team: t,
                    shift: s,
                    agents,
                } if t == team && s == shift && day >= i.start_day => agents,
                _ => 0,
            })
            .sum()
    };
    let mut rows = Vec::with_capacity(days as usize * 24 * cfg.teams.len());
    for day in 0..days {
        let weekday = (cfg.start_weekday + day) % 7;
        for hour in 0..24u32 {
            let minute_of_week = weekday * 1440 + hour * 60;
            for (ti, team) in cfg.teams.iter().enumerate() {
                let agents_scheduled = team
                    .shifts
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| s.window.covers(minute_of_week))
                    .map(|(si, s)| s.agents - cut(ti, si, day))
                    .sum();
                rows.push(ScheduleRow {
                    day,
                    hour: hour as u8,
                    team: ti as u16,
                    agents_scheduled,
                });
            }
        }
    }
    rows
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
}
