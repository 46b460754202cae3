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

/// Whether a contact was effortful for the customer, as an analyst can tell from the export:
/// reopened, escalated, three or more agent replies, abandoned, a first reply later than four times
/// the channel's target, or a resolution longer than three times the channel's norm.
pub fn effortful(t: &TicketRecord, cfg: &Config) -> bool {
    let ch = &cfg.channels[t.channel as usize];
    let slow_reply = t
        .first_reply_secs
        .is_some_and(|f| u64::from(f - t.created_secs) > 4 * ch.first_reply_target_secs);
    let slow_solve = t
        .solved_secs
        .is_some_and(|s| f64::from(s - t.created_secs) > 3.0 * ch.resolution_norm_secs);
    t.reopens > 0 || t.escalated || t.agent_replies >= 3 || t.status == Status::Abandoned || slow_reply || slow_solve
}

/// When a contact ended for the customer: its solve, or the moment an abandoned contact gave up;
/// None while open.
pub fn contact_end_secs(t: &TicketRecord) -> Option<u64> {
    match t.status {
        Status::Solved => t.solved_secs.map(u64::from),
        Status::Abandoned => Some(u64::from(t.created_secs) + u64::from(t.queue_wait_secs)),
        Status::Open => None,
    }
}

/// Two proportions and their ratio with a 95% interval (log method).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RiskRatio {
    pub exposed: Share,
    pub control: Share,
    pub ratio: f64,
    pub lo: f64,
    pub hi: f64,
}

impl RiskRatio {
    pub fn new(exposed_hits: u64, exposed_n: u64, control_hits: u64, control_n: u64) -> Self {
        let (a, n1, b, n0) = (
            exposed_hits as f64,
            exposed_n as f64,
            control_hits as f64,
            control_n as f64,
        );
        let ratio = (a / n1) / (b / n0);
        let se = (1.0 / a - 1.0 / n1 + 1.0 / b - 1.0 / n0).sqrt();
        let z = 1.959_963_984_540_054_f64;
        Self {
            exposed: share(exposed_hits, exposed_n),
            control: share(control_hits, control_n),
            ratio,
            lo: ratio * (-z * se).exp(),
            hi: ratio * (z * se).exp(),
        }
    }
}

/// Churn within `days` after each customer's first contact that ended early enough to be followed
/// for `days` within the history: customers whose first contact was [`effortful`] against those
/// whose first contact was easy.
pub fn churn_after_first_contact(sim: &SimOutput, cfg: &Config, days: u64) -> RiskRatio {
    let window = days * crate::config::DAY_SECS;
    let mut seen = vec![false; sim.customers.len()];
    let (mut hard, mut hard_n, mut easy, mut easy_n) = (0, 0, 0, 0);
    for t in &sim.tickets {
        let Some(end) = contact_end_secs(t) else { continue };
        let c = t.customer as usize;
        if t.customer == crate::record::NONE_U32 || seen[c] || end + window > sim.history_secs {
            continue;
        }
        seen[c] = true;
        let churned = sim.customers[c]
            .churned_secs
            .is_some_and(|s| s > end as i64 && s <= (end + window) as i64);
        if effortful(t, cfg) {
            hard_n += 1;
            hard += u64::from(churned);
        } else {
            easy_n += 1;
            easy += u64::from(churned);
        }
    }
    RiskRatio::new(hard, hard_n, easy, easy_n)
}

/// The share of tickets sent by the tenth of contacting customers who sent the most.
pub fn top_decile_ticket_share(sim: &SimOutput) -> f64 {
    let mut per = vec![0u32; sim.customers.len()];
    for t in sim.tickets.iter().filter(|t| t.customer != crate::record::NONE_U32) {
        per[t.customer as usize] += 1;
    }
    let mut counts: Vec<u32> = per.into_iter().filter(|&n| n > 0).collect();
    counts.sort_unstable_by(|a, b| b.cmp(a));
    let top = counts.len().div_ceil(10);
    let total: u64 = counts.iter().map(|&n| u64::from(n)).sum();
    counts[..top].iter().map(|&n| u64::from(n)).sum::<u64>() as f64 / total.max(1) as f64
}

/// Churn per whole calendar month of the history: (first day of the month, customers whose last day
/// as a customer fell in it, customers active on its first day).
pub fn monthly_churn(sim: &SimOutput, cfg: &Config) -> Vec<(chrono::NaiveDate, u64, u64)> {
    use chrono::Datelike;
    let day = crate::config::DAY_SECS as i64;
    let end_day = (sim.history_secs / crate::config::DAY_SECS) as i64;
    let mut out = Vec::new();
    let mut month = cfg.start_date.with_day(1).unwrap_or(cfg.start_date);
    loop {
        let next = month + chrono::Months::new(1);
        let (from, to) = ((month - cfg.start_date).num_days(), (next - cfg.start_date).num_days());
        if to > end_day {
            break;
        }
        if from >= 0 {
            let active = sim
                .customers
                .iter()
                .filter(|c| c.signup_secs < from * day && c.churned_secs.is_none_or(|s| s > from * day));
            let (mut n, mut churned) = (0, 0);
            for c in active {
                n += 1;
                churned += u64::from(c.churned_secs.is_some_and(|s| s <= to * day));
            }
            out.push((month, churned, n));
        }
        month = next;
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
