//! KPI definitions from design.md, implemented once on simulation records: percentiles that
//! interpolate linearly between closest ranks (PERCENTILE.INC, numpy's default), Wilson intervals
//! for shares, and the operational KPIs the calibration and the tests check.

use crate::config::Config;
use crate::record::{SimOutput, Status, TicketRecord};

/// Linear-interpolation percentile (`p` in 0..=1) of `values`, which it sorts; None when empty.
pub fn percentile(values: &mut [f64], p: f64) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(|a, b| a.total_cmp(b));
    let rank = p.clamp(0.0, 1.0) * (values.len() - 1) as f64;
    let lo = rank.floor() as usize;
    let hi = rank.ceil() as usize;
    Some(values[lo] + (values[hi] - values[lo]) * (rank - lo as f64))
}

/// Wilson score interval (95%) for `successes` out of `n`; (0, 1) when n is 0.
pub fn wilson(successes: u64, n: u64) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let z = 1.959_963_984_540_054_f64;
    let n = n as f64;
    let p = successes as f64 / n;
    let denom = 1.0 + z * z / n;
    let centre = p + z * z / (2.0 * n);
    let half = z * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt();
    (((centre - half) / denom).max(0.0), ((centre + half) / denom).min(1.0))
}

/// A share with its count.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Share {
    pub value: f64,
    pub n: u64,
}

fn share(hits: u64, n: u64) -> Share {
    Share {
        value: if n == 0 { f64::NAN } else { hits as f64 / n as f64 },
        n,
    }
}

/// escalated / tickets handled by an agent.
pub fn escalation_rate<'a>(tickets: impl Iterator<Item = &'a TicketRecord>) -> Share {
    let (mut hits, mut n) = (0, 0);
    for t in tickets.filter(|t| t.agent_replies > 0 || t.assignee != crate::record::NONE_U32) {
        n += 1;
        hits += u64::from(t.escalated);
    }
    share(hits, n)
}

/// tickets with reopens > 0 / solved tickets.
pub fn reopen_rate<'a>(tickets: impl Iterator<Item = &'a TicketRecord>) -> Share {
    let (mut hits, mut n) = (0, 0);
    for t in tickets.filter(|t| t.status == Status::Solved) {
        n += 1;
        hits += u64::from(t.reopens > 0);
    }
    share(hits, n)
}

/// abandoned / offered, over the tickets given (pass live-channel tickets).
pub fn abandonment_rate<'a>(tickets: impl Iterator<Item = &'a TicketRecord>) -> Share {
    let (mut hits, mut n) = (0, 0);
    for t in tickets {
        n += 1;
        hits += u64::from(t.status == Status::Abandoned);
    }
    share(hits, n)
}

/// solved tickets with fewer than 2 agent replies / solved tickets.
pub fn one_touch<'a>(tickets: impl Iterator<Item = &'a TicketRecord>) -> Share {
    let (mut hits, mut n) = (0, 0);
    for t in tickets.filter(|t| t.status == Status::Solved) {
        n += 1;
        hits += u64::from(t.agent_replies < 2);
    }
    share(hits, n)
}

/// tickets replied within target / tickets whose outcome is known (no reply by the target = breach).
pub fn sla_attainment<'a>(tickets: impl Iterator<Item = &'a TicketRecord>) -> Share {
    let (mut hits, mut n) = (0, 0);
    for t in tickets {
        if let Some(breached) = t.first_reply_sla_breached {
            n += 1;
            hits += u64::from(!breached);
        }
    }
    share(hits, n)
}

/// share of answered CSAT surveys scoring 4 or 5 (1-3 count as bad).
pub fn csat<'a>(tickets: impl Iterator<Item = &'a TicketRecord>) -> Share {
    let (mut hits, mut n) = (0, 0);
    for score in tickets.filter_map(|t| t.csat_score) {
        n += 1;
        hits += u64::from(score >= 4);
    }
    share(hits, n)
}

/// Answered CSAT surveys / surveys sent, from the event log.
pub fn csat_response_rate(events: &[crate::record::EventRecord]) -> Share {
    use crate::record::EventKind;
    let sent = events.iter().filter(|e| e.kind == EventKind::SurveySent).count() as u64;
    let answered = events.iter().filter(|e| e.kind == EventKind::SurveyAnswered).count() as u64;
    share(answered, sent)
}

/// NPS: % of answers scoring 9-10 minus % scoring 0-6, with the number of answers.
pub fn nps<'a>(responses: impl Iterator<Item = &'a crate::record::NpsRecord>) -> (f64, u64) {
    let (mut promoters, mut detractors, mut n) = (0u64, 0u64, 0u64);
    for score in responses.filter_map(|r| r.score) {
        n += 1;
        promoters += u64::from(score >= 9);
        detractors += u64::from(score <= 6);
    }
    if n == 0 {
        return (f64::NAN, 0);
    }
    (100.0 * (promoters as f64 - detractors as f64) / n as f64, n)
}

/// First-reply minutes of tickets that got a reply.
pub fn first_reply_minutes<'a>(tickets: impl Iterator<Item = &'a TicketRecord>) -> Vec<f64> {
    tickets
        .filter_map(|t| t.first_reply_secs.map(|f| (f - t.created_secs) as f64 / 60.0))
        .collect()
}

/// Full-resolution minutes of solved tickets.
pub fn resolution_minutes<'a>(tickets: impl Iterator<Item = &'a TicketRecord>) -> Vec<f64> {
    tickets
        .filter_map(|t| t.solved_secs.map(|s| (s - t.created_secs) as f64 / 60.0))
        .collect()
}

/// Occupancy of each (team, shift): busy / on-duty time over the whole history, with the share of
/// days whose occupancy lies within `range`.
pub fn shift_occupancy(sim: &SimOutput, cfg: &Config) -> Vec<(String, String, f64)> {
    let mut out = Vec::new();
    for (ti, team) in cfg.teams.iter().enumerate() {
        for (si, shift) in team.shifts.iter().enumerate() {
            let days = &sim.shift_load[ti][si];
            let busy: u64 = days.iter().map(|d| d.busy_secs).sum();
            let idle: u64 = days.iter().map(|d| d.idle_secs).sum();
            if busy + idle > 0 {
                out.push((
                    team.name.clone(),
                    shift.name.clone(),
                    busy as f64 / (busy + idle) as f64,
                ));
            }
        }
    }
    out
}

/// A one-screen calibration summary of a simulated history (for developers tuning scenarios).
pub fn calibration_report(sim: &SimOutput, cfg: &Config) -> String {
    use std::fmt::Write;
    let t = &sim.tickets;
    let mut s = String::new();
    let pct = |x: Share| format!("{:.1}% (n={})", 100.0 * x.value, x.n);
    let _ = writeln!(s, "tickets {} over {} days", t.len(), cfg.history_days);
    let _ = writeln!(s, "escalation {}", pct(escalation_rate(t.iter())));
    let _ = writeln!(s, "reopen {}", pct(reopen_rate(t.iter())));
    let _ = writeln!(s, "one-touch {}", pct(one_touch(t.iter())));
    let _ = writeln!(s, "sla {}", pct(sla_attainment(t.iter())));
    let _ = writeln!(
        s,
        "csat {} response {}",
        pct(csat(t.iter())),
        pct(csat_response_rate(&sim.events))
    );
    let mut dist = [0u64; 5];
    t.iter()
        .filter_map(|r| r.csat_score)
        .for_each(|c| dist[c as usize - 1] += 1);
    let _ = writeln!(s, "csat 1..5 counts {dist:?}");
    let (nps_value, nps_n) = nps(sim.nps.iter());
    let _ = writeln!(s, "nps {nps_value:.1} (n={nps_n} of {} surveys)", sim.nps.len());
    for (ci, ch) in cfg.channels.iter().enumerate() {
        let of = || t.iter().filter(move |r| r.channel as usize == ci);
        let mut frt = first_reply_minutes(of());
        let mut res = resolution_minutes(of());
        let _ = writeln!(
            s,
            "  {:<10} n={:<6} abandon {} sla {} frt p50 {:.1} p90 {:.1} min; resolution p50 {:.0} p90 {:.0} min",
            ch.name,
            of().count(),
            if ch.live {
                pct(abandonment_rate(of()))
            } else {
                "-".into()
            },
            pct(sla_attainment(of())),
            percentile(&mut frt, 0.5).unwrap_or(f64::NAN),
            percentile(&mut frt, 0.9).unwrap_or(f64::NAN),
            percentile(&mut res, 0.5).unwrap_or(f64::NAN),
            percentile(&mut res, 0.9).unwrap_or(f64::NAN),
        );
    }
    for (team, shift, occ) in shift_occupancy(sim, cfg) {
        let _ = writeln!(s, "  occupancy {team}/{shift}: {:.1}%", 100.0 * occ);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentile_matches_percentile_inc() {
        // numpy.percentile([1, 2, 3, 4, 10], [50, 90]) = [3.0, 7.6]
        let mut v = vec![10.0, 1.0, 3.0, 2.0, 4.0];
        assert_eq!(percentile(&mut v, 0.5), Some(3.0));
        assert!((percentile(&mut v, 0.9).unwrap() - 7.6).abs() < 1e-12);
        assert_eq!(percentile(&mut [], 0.5), None);
    }

    #[test]
    fn wilson_matches_the_worked_example() {
        // domain_facts.md: 88% from 15 responses is roughly 64-96% (13 of 15 = 86.7%: 62-96%).
        let (lo, hi) = wilson(13, 15);
        assert!((lo - 0.621).abs() < 0.005 && (hi - 0.963).abs() < 0.005, "{lo} {hi}");
    }
}
