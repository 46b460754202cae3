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
//! Added agents work a shift of their own, appended to their team's, filled by new hires (their own
//! keyed draws) from the change's start; removed agents close seats of the team's shift that works
//! most of the named hours; extended hours open a live channel in more hours with a shift of added
//! agents to staff them; routing serves a segment first in the async queues, or sends a category's
//! tickets that need tier 2 straight there. Every kind of the catalog is simulated; a kind added to
//! the catalog without a simulation is refused by [`plan`] with [`PlanError::NotSimulated`].

use crate::config::{Change, Config, DAY_SECS, Effect, IssueKind, Origin, Shift, change_id};
use crate::interventions::proposal::{ChangeSpec, Proposal, Value};
use crate::interventions::{catalog, cut_shift, window};
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

/// Why a proposal's change cannot be put on the timeline.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PlanError {
    /// A kind the simulation does not act on yet.
    #[error("change[{index}]: {kind} is not simulated yet")]
    NotSimulated { index: usize, kind: &'static str },
    /// A change the case's operation cannot carry out (one line: entry, field, value).
    #[error("change[{index}].{field}: {message}")]
    Impossible {
        index: usize,
        field: &'static str,
        message: String,
    },
}

fn index(c: &ChangeSpec, name: &str) -> Option<usize> {
    match c.get(name) {
        Some(Value::Index(i)) => Some(*i),
        _ => None,
    }
}

/// The horizon run `cfg_h` (from [`horizon`], with `history_days` the case's) with `proposal`'s
/// interventions on it: the run's own changes, some ended or added to, and the shifts added agents
/// work (appended to their team's, so every existing seat keeps its identity).
pub fn plan(proposal: &Proposal, cfg_h: &Config, history_days: u32, case_seed: u64) -> Result<Config, PlanError> {
    let mut cfg = cfg_h.clone();
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
        let x = |k: usize| catalog::effect_in_case(case_seed, kind, &kind.effects[k]);
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
            "add_agents" => {
                let (team, shift) = add_shift(&mut cfg, spec, i);
                changes.push(new("seats", Effect::AddSeats { team, shift }));
            }
            "extend_hours" => {
                let (team, shift) = add_shift(&mut cfg, spec, i);
                changes.push(new("seats", Effect::AddSeats { team, shift }));
                changes.push(new(
                    "hours",
                    Effect::OpenHours {
                        channel: index(spec, "channel").unwrap_or_default(),
                        window: window(spec),
                    },
                ));
            }
            "remove_agents" => {
                let team = team.unwrap_or_default();
                let shift = cut_shift(&cfg, team, &window(spec)).ok_or_else(|| PlanError::Impossible {
                    index: i + 1,
                    field: "hours",
                    message: format!("no shift of {} works those days and hours", cfg.teams[team].name),
                })?;
                let agents = count(spec, "agents");
                let seats = cfg.teams[team].shifts[shift].agents;
                if agents > seats {
                    return Err(PlanError::Impossible {
                        index: i + 1,
                        field: "agents",
                        message: format!(
                            "{agents} is more than the {seats} agents of {}'s shift {}",
                            cfg.teams[team].name, cfg.teams[team].shifts[shift].name
                        ),
                    });
                }
                let days = window(spec).days;
                let mut cut = new(
                    "cut",
                    Effect::StaffCut {
                        team,
                        shift,
                        agents,
                        days,
                    },
                );
                cut.ramp_secs = 0;
                changes.push(cut);
            }
            "routing" => {
                let segment_first = matches!(spec.get("rule"), Some(Value::Word(r)) if r == "segment_priority");
                changes.push(new(
                    "route",
                    Effect::Routing {
                        segment: if segment_first { index(spec, "segment") } else { None },
                        category: if segment_first { None } else { index(spec, "category") },
                        // The catalog gives the escalations that remain: the rest are recognised.
                        share: 1.0 - x(0),
                    },
                ));
            }
            _ => {
                return Err(PlanError::NotSimulated {
                    index: i + 1,
                    kind: kind.name,
                });
            }
        }
    }
    cfg.changes = changes;
    Ok(cfg)
}

fn count(c: &ChangeSpec, name: &str) -> u32 {
    match c.get(name) {
        Some(Value::Count(n)) => (*n).clamp(0, i64::from(u32::MAX)) as u32,
        _ => 0,
    }
}

/// Appends the shift that `c`'s added agents work to their team: returns (team, shift).
fn add_shift(cfg: &mut Config, c: &ChangeSpec, i: usize) -> (usize, usize) {
    let team = index(c, "team").unwrap_or_default();
    let w = window(c);
    let t = &mut cfg.teams[team];
    // Lunch as the team's longest shift has it, on shifts long enough for one.
    let break_minutes = if w.end_minute - w.start_minute >= 6 * 60 {
        t.shifts.iter().map(|s| s.break_minutes).max().unwrap_or(30)
    } else {
        0
    };
    t.shifts.push(Shift {
        name: format!("added_{}", i + 1),
        window: w,
        agents: count(c, "agents"),
        break_minutes,
    });
    (team, t.shifts.len() - 1)
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

/// One replication: the horizon run as it is (`cfg_h`) and with the plan (`with`, from [`plan`]),
/// on the same seed.
pub fn pair(cfg_h: &Config, with: &Config, seed: u64) -> (SimOutput, SimOutput) {
    rayon::join(
        || crate::sim::simulate(cfg_h, seed, &mut |_| {}),
        || crate::sim::simulate(with, seed, &mut |_| {}),
    )
}
