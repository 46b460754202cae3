//! The paired what-if: the operation run on past the history over the scenario's horizon, once as
//! it is (the status quo) and once with a proposal's interventions, on the same random draws.
//!
//! A proposal's `[[change]]`s become [`Change`]s on the same timeline as the scenario's incidents
//! and the case's hidden issues ([`plan`]): an intervention changes causes (handle times,
//! escalations, reopens, agent quality, a defect's inflow) from its start day, after its lead time,
//! over its ramp, never outcomes; self-service and bots deflect contacts before an agent sees them. Each intervention's changes are keyed by their own identity, so
//! every draw they do not own is the same in both runs: the two runs differ only through what the
//! plan changes.
//!
//! Kinds whose causes the engine does not take yet (staffing windows, opening hours, routing) are
//! refused by [`plan`] with [`NotSimulated`].

use crate::config::{Change, Config, DAY_SECS, Effect, IssueKind, Origin, change_id};
use crate::interventions::catalog::{self, EffectRange, Kind};
use crate::interventions::proposal::{ChangeSpec, Proposal, Value};
use crate::record::SimOutput;
use crate::rng::mix64;

/// The scenario run on over its horizon: the history and then `horizon_days` more, with the
/// customers, the roster and every change covering both.
pub fn horizon(cfg: &Config) -> Config {
    let mut c = cfg.clone();
    c.history_days += c.horizon_days;
    c
}

/// The seed of replication `r` of the case with `case_seed`: fixed per case, so every proposal on a
/// case is scored on the same futures.
pub fn replication_seed(case_seed: u64, r: u32) -> u64 {
    mix64(case_seed ^ mix64(0x5C0_0000_0000 ^ u64::from(r)))
}

/// An intervention kind the simulation does not act on yet.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("change[{index}]: {kind} is not simulated yet")]
pub struct NotSimulated {
    pub index: usize,
    pub kind: &'static str,
}

/// Where in its range effect `e` of `kind` acts in the case: its low end plus the case's strength
/// draw of the kind times the width.
fn strength(case_seed: u64, kind: &Kind, e: &EffectRange) -> f64 {
    e.low + catalog::strength_draw(case_seed, kind.name) * (e.high - e.low)
}

fn index(c: &ChangeSpec, name: &str) -> Option<usize> {
    match c.get(name) {
        Some(Value::Index(i)) => Some(*i),
        _ => None,
    }
}

/// The timeline of the horizon run `cfg_h` (from [`horizon`], with `history_days` the case's)
/// with `proposal`'s interventions on it: the run's own changes, some ended or added to.
pub fn plan(
    proposal: &Proposal,
    cfg_h: &Config,
    history_days: u32,
    case_seed: u64,
) -> Result<Vec<Change>, NotSimulated> {
    let mut changes = cfg_h.changes.clone();
    for (i, spec) in proposal.changes.iter().enumerate() {
        let kind = spec.kind;
        let day = |d: u32| u64::from(history_days + d) * DAY_SECS;
        let from_secs = day(spec.start_day + kind.lead_days);
        let until_secs = spec.end_day.map(day);
        let new = |sub: &str, effect: Effect| Change {
            id: change_id(&format!("intervention:{i}:{}:{sub}", kind.name)),
            origin: Origin::Intervention(i),
            from_secs,
            ramp_secs: u64::from(kind.ramp_days) * DAY_SECS,
            until_secs,
            effect,
        };
        let x = |k: usize| strength(case_seed, kind, &kind.effects[k]);
        let team = index(spec, "team");
        match kind.name {
            "knowledge_base" | "training" => {
                let category = index(spec, "category").unwrap_or_default();
                let team = if kind.name == "training" { team } else { None };
                changes.push(new(
                    "handle",
                    Effect::HandleTime {
                        team,
                        category: Some(category),
                        factor: x(0),
                        spread: 0.0,
                    },
                ));
                changes.push(new(
                    "escalation",
                    Effect::Escalation {
                        team,
                        category,
                        factor: x(1),
                        spread: 0.0,
                    },
                ));
                changes.push(new(
                    "reopen",
                    Effect::Reopen {
                        team,
                        category,
                        factor: x(2),
                        spread: 0.0,
                    },
                ));
                if kind.name == "knowledge_base" {
                    changes.push(new(
                        "self_service",
                        Effect::Deflection {
                            channel: None,
                            category: Some(category),
                            share: x(3),
                            returns: 0.0,
                            incidents: false,
                        },
                    ));
                }
            }
            "chatbot" => changes.push(new(
                "bot",
                Effect::Deflection {
                    channel: index(spec, "channel"),
                    category: None,
                    share: x(0),
                    returns: x(1),
                    incidents: false,
                },
            )),
            // The status page heads off part of the extra contacts of incidents and outages: the
            // catalog gives what remains of them.
            "proactive_communication" => changes.push(new(
                "status_page",
                Effect::Deflection {
                    channel: None,
                    category: index(spec, "category"),
                    share: 1.0 - x(0),
                    returns: 0.0,
                    incidents: true,
                },
            )),
            "qa_coaching" => changes.push(new(
                "quality",
                Effect::Quality {
                    team: team.unwrap_or_default(),
                    delta: x(0),
                    spread: 0.3,
                },
            )),
            "product_fix" => {
                let category = index(spec, "category").unwrap_or_default();
                let fixed = from_secs + u64::from(kind.ramp_days) * DAY_SECS;
                for c in &mut changes {
                    if defect_of(c, cfg_h) == Some(category) {
                        c.until_secs = Some(c.until_secs.map_or(fixed, |u| u.min(fixed)));
                    }
                }
            }
            _ => {
                return Err(NotSimulated {
                    index: i + 1,
                    kind: kind.name,
                });
            }
        }
    }
    Ok(changes)
}

/// The category whose product defect change `c` is, if it is one: the extra contacts and handle
/// time of a planted release regression.
fn defect_of(c: &Change, cfg: &Config) -> Option<usize> {
    let Origin::Issue(pool) = c.origin else {
        return None;
    };
    let issue = cfg.active_issues.iter().find(|i| i.pool_index == pool)?;
    match issue.kind {
        IssueKind::ReleaseRegression { category, .. } => Some(category),
        _ => None,
    }
}

/// One replication: the horizon run as it is and with the plan's timeline, on the same seed.
pub fn pair(cfg_h: &Config, plan: &[Change], seed: u64) -> (SimOutput, SimOutput) {
    let mut with = cfg_h.clone();
    with.changes = plan.to_vec();
    rayon::join(
        || crate::sim::simulate(cfg_h, seed, &mut |_| {}),
        || crate::sim::simulate(&with, seed, &mut |_| {}),
    )
}
