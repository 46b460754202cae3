//! What a proposal has to do with a case's hidden issues: whether a change addresses an issue's
//! cause (a kind the answer key lists for it, aimed where the issue acts, acting within the
//! horizon), and whether a finding points at an issue (one of the KPIs the issue moves, in the
//! issue's cut, moved the way the issue moves it compared with the days before the issue began).
//! The grade's root-cause part reads both; the debrief says which change and finding they were.

use crate::case::answer_key::{issue_cut, issue_interventions};
use crate::config::{Config, Issue, IssueKind, WeeklyWindow};
use crate::interventions::proposal::{ChangeSpec, FindingSpec, Value};
use crate::kpi::{Case, Cut, Kpi, Labels, Selection, Unit};

/// Where an issue shows: a cut of the tickets and the KPIs it moves there, each with whether the
/// issue raises it.
pub type Evidence = (Labels, Vec<(Kpi, bool)>);

/// The cuts where `issue` shows and the KPIs it moves in each (up = true).
pub fn evidence(issue: &Issue, cfg: &Config) -> Vec<Evidence> {
    use Kpi::*;
    let cut: Labels = issue_cut(issue, cfg)
        .into_iter()
        .filter_map(|(k, v)| Some((Cut::from_name(&k)?, v)))
        .collect();
    let waits = [
        (FirstReplyP50, true),
        (FirstReplyP90, true),
        (FirstReplyMean, true),
        (SlaAttainment, false),
        (AbandonmentRate, true),
        (ResolutionP50, true),
        (ResolutionP90, true),
        (ResolutionMean, true),
        (Backlog, true),
    ];
    let kpis: Vec<(Kpi, bool)> = match issue.kind {
        IssueKind::ReleaseRegression { .. } | IssueKind::Outage { .. } => {
            [(Tickets, true), (ContactsPerCustomer, true)]
                .into_iter()
                .chain(waits)
                .collect()
        }
        IssueKind::KnowledgeGap { .. } => vec![
            (EscalationRate, true),
            (ReopenRate, true),
            (OneTouch, false),
            (ResolutionP50, true),
            (ResolutionP90, true),
            (Csat, false),
        ],
        IssueKind::StaffingCut { .. } | IssueKind::HandleTimeCreep { .. } => {
            waits.into_iter().chain([(Csat, false)]).collect()
        }
        IssueKind::NewHireCohort { .. } | IssueKind::QualitySlide { .. } => vec![
            (Csat, false),
            (ReopenRate, true),
            (OneTouch, false),
            (EscalationRate, true),
            (ResolutionP50, true),
            (FirstReplyP90, true),
        ],
        IssueKind::ChannelShift { to, .. } => {
            // Fewer contacts where they used to come; more, waiting longer and rated lower, where
            // they come now.
            let arrived = vec![(Cut::Channel, cfg.channels[to].name.clone())];
            return vec![
                (cut, vec![(Tickets, false)]),
                (
                    arrived,
                    [(Tickets, true), (Csat, false)].into_iter().chain(waits).collect(),
                ),
            ];
        }
    };
    vec![(cut, kpis)]
}

fn index(c: &ChangeSpec, name: &str) -> Option<usize> {
    match c.get(name) {
        Some(Value::Index(i)) => Some(*i),
        _ => None,
    }
}

/// Whether the days and hours a staffing change names overlap `w`.
fn overlaps(c: &ChangeSpec, w: &WeeklyWindow) -> bool {
    let days = match c.get("days") {
        Some(Value::Days(d)) => *d,
        _ => [true; 7],
    };
    let (a, b) = match c.get("hours") {
        Some(Value::Hours(a, b)) => (*a, *b),
        _ => (0, 1440),
    };
    let named = WeeklyWindow {
        days,
        start_minute: a,
        end_minute: b,
    };
    (0..7 * 1440).step_by(15).any(|m| named.covers(m) && w.covers(m))
}

/// Whether change `c` of a proposal addresses hidden issue `issue`: its kind is one the answer key
/// lists for the issue, it acts before the horizon of `horizon_days` ends, and it is aimed at the
/// issue's category, team (and for added agents, the shift's hours) or channels.
pub fn addresses(c: &ChangeSpec, issue: &Issue, cfg: &Config) -> bool {
    let kind = c.kind.name;
    let ends = c.end_day.unwrap_or(cfg.horizon_days).min(cfg.horizon_days);
    if !issue_interventions(issue, cfg).iter().any(|k| k == kind) || c.start_day + c.kind.lead_days >= ends {
        return false;
    }
    let (team, category, channel) = (index(c, "team"), index(c, "category"), index(c, "channel"));
    match issue.kind {
        IssueKind::ReleaseRegression { category: k, .. }
        | IssueKind::KnowledgeGap { category: k, .. }
        | IssueKind::Outage { category: k, .. } => {
            category == Some(k) || (kind == "proactive_communication" && category.is_none())
        }
        IssueKind::StaffingCut { team: t, shift, .. } => match kind {
            "add_agents" => team == Some(t) && overlaps(c, &cfg.teams[t].shifts[shift].window),
            _ => kind == "routing",
        },
        IssueKind::NewHireCohort { team: t, .. }
        | IssueKind::QualitySlide { team: t, .. }
        | IssueKind::HandleTimeCreep { team: t, .. } => kind == "routing" || team == Some(t),
        IssueKind::ChannelShift { from, to, .. } => match kind {
            "extend_hours" => channel == Some(from),
            "chatbot" => channel == Some(from) || channel == Some(to),
            _ => kind == "routing",
        },
    }
}

/// Whether finding `f` points at hidden issue `issue` on the case the candidate saw: its KPI is one
/// the issue moves, its `where` holds the issue's cut, its period reaches past the issue's start,
/// and there (recomputed from the case, whatever value the candidate wrote) the KPI has moved the
/// way the issue moves it, against the same cut before the issue began (per day, for counts).
pub fn points_at(f: &FindingSpec, issue: &Issue, cfg: &Config, case: &Case) -> bool {
    let start = case.first_day + issue.start_day as i32;
    let Ok(mut sel) = Selection::parse(f.period.as_deref(), None) else {
        return false;
    };
    sel.filters = f.filters.clone();
    let Some((from, to)) = case.window(&sel) else {
        return false;
    };
    if to < start {
        return false;
    }
    let before = Selection {
        from_day: Some(case.first_day),
        to_day: Some(start - 1),
        filters: f.filters.clone(),
    };
    let per_day = |kpi: Kpi, s: &Selection, days: i32| -> Option<f64> {
        let v = case.value(kpi, s).ok()?.value?;
        Some(if kpi.unit() == Unit::Count {
            v / f64::from(days.max(1))
        } else {
            v
        })
    };
    evidence(issue, cfg).iter().any(|(cut, kpis)| {
        let holds = cut.iter().all(|c| f.filters.contains(c));
        let Some(&(_, up)) = kpis.iter().find(|(k, _)| *k == f.kpi).filter(|_| holds) else {
            return false;
        };
        if start <= case.first_day {
            return true;
        }
        match (
            per_day(f.kpi, &sel, to - from + 1),
            per_day(f.kpi, &before, start - case.first_day),
        ) {
            (Some(now), Some(then)) => (now > then) == up && now != then,
            _ => false,
        }
    })
}
