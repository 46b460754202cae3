//! Analyses of a simulated history that are not KPIs of a case: occupancy per shift, churn after a
//! first contact (a risk ratio with its interval), the concentration of tickets on few customers,
//! and a calibration summary for developers. Every KPI they print comes from [`crate::kpi`].

use crate::config::Config;
use crate::record::{SimOutput, Status, TicketRecord};

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

/// A one-screen calibration summary of a simulated history (for developers tuning scenarios), with
/// the KPIs from the metrics engine.
pub fn calibration_report(sim: &SimOutput, cfg: &Config) -> String {
    use crate::kpi::{Case, Cut, Kpi, Selection, render::format_value};
    use std::fmt::Write;
    let mut s = String::new();
    let Ok(case) = Case::from_sim(sim, cfg) else {
        return s;
    };
    let kpis = [
        Kpi::Tickets,
        Kpi::EscalationRate,
        Kpi::ReopenRate,
        Kpi::OneTouch,
        Kpi::SlaAttainment,
        Kpi::Csat,
        Kpi::CsatResponseRate,
        Kpi::Nps,
        Kpi::ContactsPerCustomer,
    ];
    let show = |row: &crate::kpi::Row, ks: &[Kpi]| -> String {
        ks.iter()
            .filter_map(|k| {
                let v = row.kpis.get(k)?;
                Some(format!(
                    "{} {} (n={})",
                    k.name(),
                    v.value.map_or("-".into(), |x| format_value(*k, x)),
                    v.n
                ))
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    if let Ok(rows) = case.compute(&[], &Selection::default(), &kpis) {
        let _ = writeln!(s, "{} over {} days", show(&rows[0], &kpis), cfg.history_days);
    }
    let mut dist = [0u64; 5];
    sim.tickets
        .iter()
        .filter_map(|r| r.csat_score)
        .for_each(|c| dist[c as usize - 1] += 1);
    let _ = writeln!(s, "csat 1..5 counts {dist:?}");
    let per_channel = [
        Kpi::Tickets,
        Kpi::AbandonmentRate,
        Kpi::SlaAttainment,
        Kpi::FirstReplyP50,
        Kpi::FirstReplyP90,
        Kpi::ResolutionP50,
        Kpi::ResolutionP90,
    ];
    if let Ok(rows) = case.compute(&[Cut::Channel], &Selection::default(), &per_channel) {
        for r in &rows {
            let _ = writeln!(s, "  {:<10} {}", r.group[0].1, show(r, &per_channel));
        }
    }
    for (team, shift, occ) in shift_occupancy(sim, cfg) {
        let _ = writeln!(s, "  occupancy {team}/{shift}: {:.1}%", 100.0 * occ);
    }
    s
}
