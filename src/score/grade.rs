//! The grade out of 100: six parts, each with its points, its maximum and a one-line reason with the
//! number behind it. Most weight is on reasoning and decisions (root causes, success metrics,
//! findings); the outcome is normalised between the status quo (0) and the case's reference plan
//! from `solve` (full marks), as expectations over the replications rather than one lucky run.
//!
//! | part | max | what earns it |
//! |---|---|---|
//! | outcome | 35 | the plan's value as a share of the reference plan's, on the same futures; 0 and a flag for a plan that clearly loses money |
//! | robustness | 10 | 6 × the share of replications where the plan beats the status quo, + 1 per guardrail (p90 first reply, abandonment, reopens, shift-days above 90% occupancy) not made worse beyond its interval and by more than 5% of its value (10% for reopens) |
//! | root causes | 20 | each hidden issue weighted by its share of the harm the issues did: full credit for a finding that points at it and a change that addresses it, half for the change alone, a quarter for the finding alone |
//! | findings | 10 | each finding recomputed on the case: full credit within the tolerance, sliding to none at three times it |
//! | success metrics | 20 | 10 for structure (measurable, baseline as measured, target better than now, a day in the horizon after the changes have ramped up) and 10 for calibration (a target reached in 50-90% of replications; over-promising and sandbagging lose) |
//! | cost | 5 | within budget; over it, 5 × (1 − overrun / budget) |

use super::{Estimate, Score, saves, usd, usd_ci};
use crate::config::Config;
use crate::interventions::proposal::{FindingSpec, MetricSpec, Proposal};
use crate::interventions::targets::{addresses, points_at};
use crate::kpi::{Case, Kpi, Selection};

/// One part of the grade.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    pub name: &'static str,
    pub points: f64,
    pub max: f64,
    pub reason: String,
}

/// What a proposal did about one hidden issue.
#[derive(Debug, Clone, PartialEq)]
pub struct IssueGrade {
    pub kind: &'static str,
    /// Where it acts, in words.
    pub touches: String,
    /// Its share of the harm the case's issues did (they sum to 1).
    pub weight: f64,
    /// The yearly revenue it cost in the history, USD.
    pub harm_usd: f64,
    /// Changes (0-based) that address it.
    pub addressed_by: Vec<usize>,
    /// Findings (0-based) that point at it.
    pub found_by: Vec<usize>,
    /// 1, 0.5, 0.25 or 0.
    pub credit: f64,
}

/// One finding checked against the case.
#[derive(Debug, Clone, PartialEq)]
pub struct FindingGrade {
    pub given: f64,
    /// The metrics engine's value on the case, None where it has none.
    pub actual: Option<f64>,
    pub tolerance: f64,
    pub credit: f64,
    pub reason: String,
}

/// One success metric judged.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricGrade {
    /// The KPI in the metric's cut over the last four weeks of the history.
    pub measured: Option<f64>,
    /// 0..1: measurable, baseline, direction, day (a quarter each).
    pub structure: f64,
    /// 0..1.
    pub calibration: f64,
    /// What cost it credit, each in a few words.
    pub notes: Vec<String>,
    pub reason: String,
}

/// The grade.
#[derive(Debug, Clone, PartialEq)]
pub struct Grade {
    pub total: f64,
    pub parts: Vec<Part>,
    pub issues: Vec<IssueGrade>,
    pub findings: Vec<FindingGrade>,
    pub metrics: Vec<MetricGrade>,
    /// The plan clearly loses money (its value's interval lies below zero).
    pub harmful: bool,
    pub reference_value_usd: Option<Estimate>,
}

/// What a grade is computed from.
pub struct Inputs<'a> {
    pub proposal: &'a Proposal,
    /// The case's scenario with its hidden issues, over the history.
    pub cfg: &'a Config,
    /// The case the candidate saw.
    pub case: &'a Case,
    pub score: &'a Score,
    /// The reference plan's value in the same replications, USD.
    pub reference_values_usd: &'a [f64],
    /// The harm each hidden issue did, USD (the root-cause weights).
    pub issue_harm_usd: &'a [f64],
}

/// `x` rounded to a tenth, so that parts shown with one decimal sum to the total shown.
fn tenth(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// Grades a scored proposal.
pub fn grade(x: &Inputs) -> Grade {
    let reference = super::estimate(x.reference_values_usd);
    let (outcome, harmful) = outcome_part(x.score, reference.as_ref());
    let issues = issue_grades(x);
    let findings: Vec<FindingGrade> = x.proposal.findings.iter().map(|f| finding_grade(f, x.case)).collect();
    let metrics: Vec<MetricGrade> = x
        .proposal
        .metrics
        .iter()
        .zip(&x.score.metrics)
        .map(|(m, r)| metric_grade(m, r, x))
        .collect();
    let parts = vec![
        outcome,
        robustness_part(x.score),
        root_cause_part(&issues),
        findings_part(&findings),
        metrics_part(&metrics),
        cost_part(x.score),
    ];
    Grade {
        total: tenth(parts.iter().map(|p| p.points).sum()),
        parts,
        issues,
        findings,
        metrics,
        harmful,
        reference_value_usd: reference,
    }
}

fn outcome_part(score: &Score, reference: Option<&Estimate>) -> (Part, bool) {
    let max = 35.0;
    let Some(v) = score.value_usd else {
        return (
            Part {
                name: "outcome",
                points: 0.0,
                max,
                reason: "no replication to value the plan on".into(),
            },
            false,
        );
    };
    let harmful = v.ci95.map_or(v.mean < 0.0, |(_, hi)| hi < 0.0);
    let r = reference.map_or(0.0, |r| r.mean);
    let skill = if r > 0.0 {
        (v.mean / r).clamp(0.0, 1.0)
    } else {
        f64::from(u8::from(v.mean > 0.0))
    };
    let reason = if harmful {
        format!(
            "harmful: the plan loses money, value {} (interval below zero)",
            usd_ci(&v)
        )
    } else {
        format!(
            "value {} is {:.0}% of the reference plan's {}",
            usd_ci(&v),
            100.0 * skill,
            usd(r)
        )
    };
    let points = if harmful { 0.0 } else { tenth(max * skill) };
    (
        Part {
            name: "outcome",
            points,
            max,
            reason,
        },
        harmful,
    )
}

fn robustness_part(score: &Score) -> Part {
    let n = score.values_usd.len();
    let wins = score.values_usd.iter().filter(|&&v| v > 0.0).count();
    let share = if n == 0 { 0.0 } else { wins as f64 / n as f64 };
    let effect = |k: Kpi| {
        score
            .effects
            .iter()
            .find(|e| e.kpi == k)
            .map_or((None, None), |e| (e.status_quo, e.difference))
    };
    let guards = [
        effect(Kpi::FirstReplyP90),
        effect(Kpi::AbandonmentRate),
        effect(Kpi::ReopenRate),
        (score.overloaded.status_quo, score.overloaded.difference),
    ];
    let broken: Vec<&str> = super::GUARDRAILS
        .iter()
        .zip(&guards)
        .enumerate()
        .filter(|(g, (_, (sq, d)))| super::worse(*g, sq.as_ref(), d.as_ref()))
        .map(|(_, (name, _))| *name)
        .collect();
    let held = guards.len() - broken.len();
    let guard_text = if broken.is_empty() {
        "every guardrail held (p90 first reply, abandonment, reopens, occupancy)".to_string()
    } else {
        format!("materially worse beyond its interval: {}", broken.join(", "))
    };
    Part {
        name: "robustness",
        points: tenth(6.0 * share + held as f64),
        max: 10.0,
        reason: format!("beats the status quo in {wins} of {n} replications; {guard_text}"),
    }
}

fn issue_grades(x: &Inputs) -> Vec<IssueGrade> {
    let issues = &x.cfg.active_issues;
    let harm: Vec<f64> = (0..issues.len())
        .map(|i| x.issue_harm_usd.get(i).copied().unwrap_or(0.0))
        .collect();
    let positive: f64 = harm.iter().map(|h| h.max(0.0)).sum();
    issues
        .iter()
        .zip(&harm)
        .map(|(issue, &h)| {
            let addressed_by: Vec<usize> = (0..x.proposal.changes.len())
                .filter(|&c| addresses(&x.proposal.changes[c], issue, x.cfg))
                .collect();
            let found_by: Vec<usize> = (0..x.proposal.findings.len())
                .filter(|&f| points_at(&x.proposal.findings[f], issue, x.cfg, x.case))
                .collect();
            let credit = match (addressed_by.is_empty(), found_by.is_empty()) {
                (false, false) => 1.0,
                (false, true) => 0.5,
                (true, false) => 0.25,
                (true, true) => 0.0,
            };
            IssueGrade {
                kind: issue.kind.name(),
                touches: crate::case::answer_key::issue_touches(issue, x.cfg),
                weight: if positive > 0.0 {
                    h.max(0.0) / positive
                } else {
                    1.0 / issues.len() as f64
                },
                harm_usd: h,
                addressed_by,
                found_by,
                credit,
            }
        })
        .collect()
}

fn root_cause_part(issues: &[IssueGrade]) -> Part {
    let max = 20.0;
    if issues.is_empty() {
        return Part {
            name: "root causes",
            points: max,
            max,
            reason: "the case has no hidden issues".into(),
        };
    }
    let lines: Vec<String> = issues
        .iter()
        .map(|i| {
            let how = match (i.addressed_by.is_empty(), i.found_by.is_empty()) {
                (false, false) => "found and addressed",
                (false, true) => "addressed without a finding (half)",
                (true, false) => "found, not addressed (a quarter)",
                (true, true) => "missed",
            };
            format!("{} {how} ({:.0}% of the harm)", i.kind, 100.0 * i.weight)
        })
        .collect();
    Part {
        name: "root causes",
        points: tenth(max * issues.iter().map(|i| i.weight * i.credit).sum::<f64>()),
        max,
        reason: lines.join("; "),
    }
}

/// The selection a finding or metric names, read as `metrics` reads it.
fn selection(period: Option<&str>, filters: &crate::kpi::Labels) -> Option<Selection> {
    let mut s = Selection::parse(period, None).ok()?;
    s.filters = filters.clone();
    Some(s)
}

/// The credit of a number `err` away from the truth with tolerance `tol`: 1 within it, sliding to 0
/// at three times it.
pub fn closeness(err: f64, tol: f64) -> f64 {
    let tol = tol.max(1e-12);
    if err <= tol * (1.0 + 1e-9) {
        1.0
    } else {
        ((3.0 * tol - err) / (2.0 * tol)).clamp(0.0, 1.0)
    }
}

/// The tolerance a number about `kpi` near `value` over `days` days is checked with: the quiz's.
fn tolerance(kpi: Kpi, value: f64, days: i32) -> f64 {
    crate::quiz::slack(crate::quiz::rounding(kpi, value, days))
}

/// ` where channel=chat,team=tier2` for a cut (empty for none).
pub(crate) fn where_text(filters: &crate::kpi::Labels) -> String {
    if filters.is_empty() {
        return String::new();
    }
    let f: Vec<String> = filters.iter().map(|(c, v)| format!("{}={v}", c.name())).collect();
    format!(" where {}", f.join(","))
}

fn finding_grade(f: &FindingSpec, case: &Case) -> FindingGrade {
    let what = format!(
        "{}{} over {}",
        f.kpi.name(),
        where_text(&f.filters),
        f.period.as_deref().unwrap_or("the history")
    );
    let sel = selection(f.period.as_deref(), &f.filters);
    let days = sel.as_ref().and_then(|s| case.window(s)).map_or(1, |(a, b)| b - a + 1);
    let actual = sel.and_then(|s| case.value(f.kpi, &s).ok()?.value);
    let Some(a) = actual else {
        return FindingGrade {
            given: f.value,
            actual,
            tolerance: 0.0,
            credit: 0.0,
            reason: format!("{what}: the case has no value there"),
        };
    };
    let tol = tolerance(f.kpi, a, days);
    let credit = closeness((f.value - a).abs(), tol);
    let show = |v: f64| crate::kpi::render::format_value(f.kpi, v);
    FindingGrade {
        given: f.value,
        actual,
        tolerance: tol,
        credit,
        reason: format!(
            "{what}: {} against {} (tolerance {}): {:.0}% credit",
            show(f.value),
            show(a),
            crate::quiz::format_number(tol, 4),
            100.0 * credit
        ),
    }
}

fn findings_part(findings: &[FindingGrade]) -> Part {
    let max = 10.0;
    if findings.is_empty() {
        return Part {
            name: "findings",
            points: 0.0,
            max,
            reason: "no [[finding]]: no number from the analysis to check".into(),
        };
    }
    let right = findings.iter().filter(|f| f.credit >= 1.0).count();
    let mean = findings.iter().map(|f| f.credit).sum::<f64>() / findings.len() as f64;
    Part {
        name: "findings",
        points: tenth(max * mean),
        max,
        reason: format!(
            "{right} of {} findings within tolerance of the case's numbers ({:.0}% credit on average)",
            findings.len(),
            100.0 * mean
        ),
    }
}

/// The first day of the horizon by which every change of `p` has started acting and ramped up.
fn ready_day(p: &Proposal) -> u32 {
    p.changes
        .iter()
        .map(|c| c.start_day + c.kind.lead_days + c.kind.ramp_days)
        .max()
        .unwrap_or(0)
}

fn metric_grade(m: &MetricSpec, r: &super::MetricOutcome, x: &Inputs) -> MetricGrade {
    let show = |v: f64| crate::kpi::render::format_value(m.kpi, v);
    // The last four weeks of the history, the period a baseline is usually measured over.
    let (recent_from, last) = (x.case.last_day - 27, x.case.last_day);
    let recent = Selection {
        from_day: Some(recent_from),
        to_day: Some(last),
        filters: m.filters.clone(),
    };
    let whole = Selection {
        filters: m.filters.clone(),
        ..Selection::default()
    };
    let measured = x.case.value(m.kpi, &recent).ok().and_then(|v| v.value);
    let whole_value = x.case.value(m.kpi, &whole).ok().and_then(|v| v.value);
    let mut notes = Vec::new();
    // Measurable in the horizon.
    let reps = x.score.replications.max(1) as usize;
    let measurable = r.values.len() * 2 >= reps;
    if !measurable {
        notes.push("has no value in most replications".to_string());
    }
    // The baseline as the data give it (the last four weeks or the whole history).
    let baseline = match (m.baseline, measured) {
        (Some(b), Some(now)) => {
            let best = [Some(now), whole_value]
                .into_iter()
                .flatten()
                .map(|v| closeness((b - v).abs(), tolerance(m.kpi, v, 28)))
                .fold(0.0, f64::max);
            if best < 1.0 {
                let day = |d: i32| crate::kpi::date_of(d).format("%Y-%m-%d");
                let mut note = format!(
                    "baseline {} but the data give {} over the last four weeks ({}..{})",
                    show(b),
                    show(now),
                    day(recent_from),
                    day(last)
                );
                if let Some(w) = whole_value {
                    note.push_str(&format!(" and {} over the whole history", show(w)));
                }
                notes.push(note);
            }
            best
        }
        (None, _) => {
            notes.push("no baseline".into());
            0.0
        }
        (Some(_), None) => 0.0,
    };
    // A target better than now.
    let from = m.baseline.or(measured);
    let better = match (m.kpi.better_when_higher(), from) {
        (Some(up), Some(f)) => (m.target > f) == up && m.target != f,
        _ => false,
    };
    if !better {
        notes.push(format!("target {} is not an improvement", show(m.target)));
    }
    // A day in the horizon, after the changes have ramped up.
    let ready = ready_day(x.proposal);
    let in_time = m.by_day >= ready && m.by_day < x.cfg.horizon_days;
    if !in_time {
        notes.push(format!(
            "by_day {} is before the changes have ramped up (day {ready}) or outside the horizon",
            m.by_day
        ));
    }
    let structure =
        (f64::from(u8::from(measurable)) + baseline + f64::from(u8::from(better)) + f64::from(u8::from(in_time))) / 4.0;
    let calibration = calibration(m, r, from, better, &mut notes);
    let sim = r.simulated.map_or("-".into(), |e| show(e.mean));
    MetricGrade {
        measured,
        structure,
        calibration,
        notes: notes.clone(),
        reason: format!(
            "{}{} by day {}: target {}, simulated {sim}, reached in {:.0}% of replications{}",
            m.kpi.name(),
            where_text(&m.filters),
            m.by_day,
            show(m.target),
            100.0 * r.reached,
            if notes.is_empty() {
                String::new()
            } else {
                format!("; {}", notes.join("; "))
            }
        ),
    }
}

/// How well a target is set: reached in 50-90% of replications is full credit; less slides to none
/// (over-promising); more is full credit unless the target asks for under half the improvement the
/// plan makes (sandbagging), sliding to none for a target that asks for nothing.
fn calibration(
    m: &MetricSpec,
    r: &super::MetricOutcome,
    from: Option<f64>,
    better: bool,
    notes: &mut Vec<String>,
) -> f64 {
    if !better {
        return 0.0;
    }
    let p = r.reached;
    if p < 0.5 {
        notes.push("over-promised".into());
        return p / 0.5;
    }
    if p <= 0.9 {
        return 1.0;
    }
    let (Some(f), Some(sim)) = (from, r.simulated) else {
        return 1.0;
    };
    let ask = (m.target - f).abs();
    let gain = (sim.mean - f).abs();
    if ask < 0.5 * gain {
        notes.push("sandbagged: the target asks for less than half of what the plan achieves".into());
        (ask / (0.5 * gain)).clamp(0.0, 1.0)
    } else {
        1.0
    }
}

fn metrics_part(metrics: &[MetricGrade]) -> Part {
    let max = 20.0;
    if metrics.is_empty() {
        return Part {
            name: "success metrics",
            points: 0.0,
            max,
            reason: "no [[metric]]: the plan says nothing about how it would be judged".into(),
        };
    }
    let n = metrics.len() as f64;
    let s = metrics.iter().map(|m| m.structure).sum::<f64>() / n;
    let c = metrics.iter().map(|m| m.calibration).sum::<f64>() / n;
    Part {
        name: "success metrics",
        points: tenth(10.0 * s) + tenth(10.0 * c),
        max,
        reason: format!(
            "{} metric(s): structure {:.0}% (measurable, baseline as measured, target better, day after ramp-up), calibration {:.0}%",
            metrics.len(),
            100.0 * s,
            100.0 * c
        ),
    }
}

fn cost_part(score: &Score) -> Part {
    let max = 5.0;
    let total = score.cost_usd().total_usd();
    let budget = score.budget_usd;
    if total <= budget {
        return Part {
            name: "cost",
            points: max,
            max,
            reason: if saves(total) {
                format!("saves {} net, within the {} budget", usd(-total), usd(budget))
            } else {
                format!("{} of the {} budget", usd(total), usd(budget))
            },
        };
    }
    let overrun = (total - budget) / budget.max(1.0);
    Part {
        name: "cost",
        points: tenth(max * (1.0 - overrun).max(0.0)),
        max,
        reason: format!(
            "{} is {:.0}% over the {} budget",
            usd(total),
            100.0 * overrun,
            usd(budget)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closeness_is_full_within_the_tolerance_and_none_at_three_times_it() {
        assert_eq!(closeness(0.0, 0.5), 1.0);
        assert_eq!(closeness(0.5, 0.5), 1.0);
        assert!((closeness(1.0, 0.5) - 0.5).abs() < 1e-12);
        assert_eq!(closeness(1.5, 0.5), 0.0);
        assert_eq!(closeness(4.0, 0.5), 0.0);
    }
}
