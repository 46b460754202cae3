//! The grade and the debrief as people and machines read them: the total and each part with its
//! reason; then what the plan did to each hidden issue, what it missed, the reference plan and its
//! value, and each success metric's target against its simulated distribution.

use std::fmt::Write as _;

use serde_json::{Value, json};

use super::grade::Grade;
use super::{Score, usd};
use crate::config::Config;
use crate::interventions::proposal::{ChangeSpec, Proposal, Value as Param};
use crate::kpi::Kpi;

/// One change in words: `add_agents (team=frontline_live, days=Mon-Fri, hours=11:30-20:00, agents=2)`.
pub fn change_text(c: &ChangeSpec, cfg: &Config) -> String {
    let params: Vec<String> = c
        .params
        .iter()
        .map(|(name, v)| {
            let shown = match v {
                Param::Index(i) => match *name {
                    "team" => cfg.teams.get(*i).map(|t| t.name.clone()),
                    "category" => cfg.categories.get(*i).map(|t| t.name.clone()),
                    "channel" => cfg.channels.get(*i).map(|t| t.name.clone()),
                    "segment" => cfg.segments.get(*i).map(|t| t.name.clone()),
                    _ => None,
                }
                .unwrap_or_else(|| i.to_string()),
                Param::Days(d) => crate::interventions::window_days(d),
                Param::Hours(a, b) => crate::interventions::window_hours(*a, *b),
                Param::Count(n) => n.to_string(),
                Param::Word(w) => w.clone(),
            };
            format!("{name}={shown}")
        })
        .collect();
    let when = if c.start_day > 0 {
        format!(" from day {}", c.start_day)
    } else {
        String::new()
    };
    if params.is_empty() {
        format!("{}{when}", c.kind.name)
    } else {
        format!("{} ({}){when}", c.kind.name, params.join(", "))
    }
}

/// The grade's keys of `score`'s JSON: `total`, `parts`, `findings`, `reasons`, `harmful`,
/// `reference`, and per entry of `issues` what the plan did about it.
pub fn add_to_json(out: &mut Value, g: &Grade, reference: &Proposal, cfg: &Config) {
    let parts: Vec<Value> = g
        .parts
        .iter()
        .map(|p| json!({"name": p.name, "points": p.points, "max": p.max, "reason": p.reason}))
        .collect();
    let findings: Vec<Value> = g
        .findings
        .iter()
        .map(|f| json!({"given": f.given, "actual": f.actual, "tolerance": f.tolerance, "credit": f.credit, "reason": f.reason}))
        .collect();
    let mut reasons: Vec<String> = g.parts.iter().map(|p| format!("{}: {}", p.name, p.reason)).collect();
    reasons.extend(g.findings.iter().map(|f| format!("finding: {}", f.reason)));
    reasons.extend(g.metrics.iter().map(|m| format!("metric: {}", m.reason)));
    let Value::Object(map) = out else {
        return;
    };
    if let Some(Value::Array(issues)) = map.get_mut("issues") {
        for (entry, i) in issues.iter_mut().zip(&g.issues) {
            if let Value::Object(e) = entry {
                e.insert("touches".into(), json!(i.touches));
                e.insert("weight".into(), json!(i.weight));
                e.insert("harm_usd".into(), json!(i.harm_usd));
                e.insert(
                    "addressed_by_changes".into(),
                    json!(i.addressed_by.iter().map(|c| c + 1).collect::<Vec<_>>()),
                );
                e.insert(
                    "found_by_findings".into(),
                    json!(i.found_by.iter().map(|c| c + 1).collect::<Vec<_>>()),
                );
                e.insert("credit".into(), json!(i.credit));
            }
        }
    }
    if let Some(Value::Array(metrics)) = map.get_mut("metrics") {
        for (entry, m) in metrics.iter_mut().zip(&g.metrics) {
            if let Value::Object(e) = entry {
                e.insert("measured".into(), json!(m.measured));
                e.insert("structure".into(), json!(m.structure));
                e.insert("calibration".into(), json!(m.calibration));
                e.insert("reason".into(), json!(m.reason));
            }
        }
    }
    map.insert("total".into(), json!(g.total));
    map.insert("parts".into(), Value::Array(parts));
    map.insert("findings".into(), Value::Array(findings));
    map.insert("reasons".into(), json!(reasons));
    map.insert("harmful".into(), json!(g.harmful));
    map.insert(
        "reference".into(),
        json!({
            "value_usd": g.reference_value_usd.map(|e| json!({"mean": e.mean, "ci95": e.ci95.map(|(a, b)| [a, b]), "n": e.n})),
            "changes": reference.changes.iter().map(|c| change_text(c, cfg)).collect::<Vec<_>>(),
        }),
    );
}

/// The grade for people: the total, then each part's points and reason.
pub fn grade_text(g: &Grade) -> String {
    let mut s = format!("grade: {:.1} / 100\n", g.total);
    for p in &g.parts {
        let _ = writeln!(s, "  {:<16} {:>5.1} / {:<3.0} {}", p.name, p.points, p.max, p.reason);
    }
    s
}

/// The `p`-quantile of sorted `xs` (nearest rank).
fn quantile(xs: &[f64], p: f64) -> f64 {
    xs[((xs.len() - 1) as f64 * p).round() as usize]
}

/// The debrief for people.
pub fn debrief_text(g: &Grade, score: &Score, proposal: &Proposal, reference: &Proposal, cfg: &Config) -> String {
    let mut s = String::from("debrief\n\nhidden issues, and what the plan did:\n");
    for (j, i) in g.issues.iter().enumerate() {
        let changes: Vec<String> = i
            .addressed_by
            .iter()
            .map(|&c| format!("change {} ({})", c + 1, proposal.changes[c].kind.name))
            .collect();
        let found: Vec<String> = i.found_by.iter().map(|&f| format!("finding {}", f + 1)).collect();
        let _ = writeln!(
            s,
            "  {} ({}): {:.0}% of the harm (the customers it cost the history, at {} months of their revenue: {})",
            i.kind,
            i.touches,
            100.0 * i.weight,
            cfg.customer_value_months,
            usd(i.harm_usd.max(0.0))
        );
        let _ = writeln!(
            s,
            "    addressed by: {}; found by: {}",
            if changes.is_empty() {
                "nothing".to_string()
            } else {
                changes.join(", ")
            },
            if found.is_empty() {
                "no finding".to_string()
            } else {
                found.join(", ")
            }
        );
        if let Some((_, _, effects)) = score.issues.get(j) {
            let issue = &cfg.active_issues[j];
            // The KPIs that show the issue in its cut, then the service's headline ones: a channel
            // shift shows in its channel's ticket count, which says little of what a plan did.
            let mut kpis: Vec<Kpi> = crate::interventions::targets::evidence(issue, cfg)
                .first()
                .map(|(_, kpis)| kpis.iter().map(|(k, _)| *k).collect())
                .unwrap_or_default();
            for k in [Kpi::Csat, Kpi::SlaAttainment, Kpi::FirstReplyP90] {
                if !kpis.contains(&k) {
                    kpis.push(k);
                }
            }
            let moved: Vec<String> = kpis
                .iter()
                .filter_map(|k| {
                    let e = effects.iter().find(|e| e.kpi == *k)?;
                    let d = e.difference?;
                    Some(format!("{} {}", k.name(), super::render::signed_ci(*k, &d)))
                })
                .take(3)
                .collect();
            if !moved.is_empty() {
                let _ = writeln!(s, "    in its cut over the horizon: {}", moved.join("; "));
            }
        }
    }
    let missed: Vec<String> = g
        .issues
        .iter()
        .zip(&cfg.active_issues)
        .filter(|(i, _)| i.addressed_by.is_empty())
        .map(|(i, issue)| {
            format!(
                "{} ({}), which {} would have addressed",
                i.kind,
                i.touches,
                crate::case::answer_key::issue_interventions(issue, cfg).join(" or ")
            )
        })
        .collect();
    let _ = writeln!(
        s,
        "\nmissed: {}",
        if missed.is_empty() {
            "nothing".to_string()
        } else {
            missed.join("; ")
        }
    );
    let value = g.reference_value_usd.map_or("-".into(), |e| match e.ci95 {
        Some((lo, hi)) => format!("{} [{}, {}]", usd(e.mean), usd(lo), usd(hi)),
        None => usd(e.mean),
    });
    let _ = writeln!(s, "\nreference plan (supportsim solve), value {value}:");
    for c in &reference.changes {
        let _ = writeln!(s, "  {}", change_text(c, cfg));
    }
    if !proposal.metrics.is_empty() {
        let _ = writeln!(s, "\nsuccess metrics, target against the simulated week to by_day:");
    }
    for (m, (r, mg)) in proposal.metrics.iter().zip(score.metrics.iter().zip(&g.metrics)) {
        let show = |v: f64| crate::kpi::render::format_value(m.kpi, v);
        let mut xs = r.values.clone();
        xs.sort_by(f64::total_cmp);
        let dist = if xs.is_empty() {
            "no simulated value".to_string()
        } else {
            format!(
                "p10 {}, median {}, p90 {}",
                show(quantile(&xs, 0.1)),
                show(quantile(&xs, 0.5)),
                show(quantile(&xs, 0.9))
            )
        };
        let at = super::grade::where_text(&m.filters);
        let _ = writeln!(
            s,
            "  {}{at} by day {}: target {}; simulated {dist}; reached in {:.0}% of replications",
            m.kpi.name(),
            m.by_day,
            show(m.target),
            100.0 * r.reached
        );
        if !mg.notes.is_empty() {
            let _ = writeln!(s, "    {}", mg.notes.join("; "));
        }
    }
    if !g.findings.is_empty() {
        let _ = writeln!(s, "\nfindings:");
    }
    for f in &g.findings {
        let _ = writeln!(s, "  {}", f.reason);
    }
    s
}
