//! The pool of hidden issues: what each kind changes (names resolved to indices), its validation,
//! the seeded draw of a case's issues and their start days, and planting them in a configuration.

use super::{
    Category, Change, Channel, Config, ConfigError, DAY_SECS, Effect, Origin, Team, change_id, check_range, err,
};
use crate::rng::{Draw, Seeds};
use crate::scenario::{IssueSpec, IssuesSpec};

/// What a hidden issue changes, with names resolved to indices.
#[derive(Debug, Clone, PartialEq)]
pub enum IssueKind {
    ReleaseRegression {
        category: usize,
        volume_multiplier: f64,
        handle_time_multiplier: f64,
    },
    KnowledgeGap {
        category: usize,
        escalation_multiplier: f64,
        reopen_multiplier: f64,
    },
    StaffingCut {
        team: usize,
        shift: usize,
        agents: u32,
    },
    NewHireCohort {
        team: usize,
        shift: usize,
        agents: u32,
        quality_delta: f64,
    },
    QualitySlide {
        team: usize,
        quality_delta: f64,
    },
    HandleTimeCreep {
        team: usize,
        handle_time_multiplier: f64,
    },
    Outage {
        category: usize,
        duration_secs: u64,
        volume_multiplier: f64,
        /// Log-odds shift of the extra contacts towards urgent priorities.
        priority_shift: f64,
    },
    ChannelShift {
        from: usize,
        to: usize,
        share: f64,
    },
}

impl IssueKind {
    /// The kind's name as written in scenario files.
    pub fn name(&self) -> &'static str {
        match self {
            IssueKind::ReleaseRegression { .. } => "release_regression",
            IssueKind::KnowledgeGap { .. } => "knowledge_gap",
            IssueKind::StaffingCut { .. } => "staffing_cut",
            IssueKind::NewHireCohort { .. } => "new_hire_cohort",
            IssueKind::QualitySlide { .. } => "quality_slide",
            IssueKind::HandleTimeCreep { .. } => "handle_time_creep",
            IssueKind::Outage { .. } => "outage",
            IssueKind::ChannelShift { .. } => "channel_shift",
        }
    }
}

/// An issue of the scenario's pool, before its start day is drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct IssueTemplate {
    pub kind: IssueKind,
    /// Inclusive range of history days it may start on.
    pub start_day_range: [u32; 2],
    /// Time over which it grows to full strength, seconds.
    pub ramp_secs: u64,
}

/// An issue planted in a run.
#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    pub kind: IssueKind,
    /// History day it starts on.
    pub start_day: u32,
    /// Position in the scenario's pool: with the kind, the issue's identity.
    pub pool_index: usize,
    /// Time over which it grows to full strength, seconds.
    pub ramp_secs: u64,
}

/// How unevenly issues act: each agent (segment, hour) feels a strength weight in 1 ± this.
const AGENT_SPREAD: f64 = 0.6;
const CHANNEL_SHIFT_SPREAD: f64 = 0.5;

impl Issue {
    /// The issue's stable identity: its kind and its entry in the pool, never its place among the
    /// planted issues.
    pub fn id(&self) -> u64 {
        change_id(&format!("issue:{}:{}", self.pool_index, self.kind.name()))
    }

    /// Seconds from the start of the history at which it starts: a time of day between 07:00 and
    /// 18:00 drawn from its identity and start day, to the minute; staff changes take effect at the
    /// start of the day (people leave and join from one day to the next).
    pub fn start_secs(&self) -> u64 {
        let day = u64::from(self.start_day) * DAY_SECS;
        if matches!(
            self.kind,
            IssueKind::StaffingCut { .. } | IssueKind::NewHireCohort { .. }
        ) {
            return day;
        }
        let u = Seeds::uniform(self.id() ^ u64::from(self.start_day), Draw::IssueStart, 0);
        day + 7 * 3600 + (u * 660.0) as u64 * 60
    }

    /// The changes of the operation's causes the issue makes; `category_share` gives a category's
    /// share of normal volume.
    pub fn changes(&self, category_share: impl Fn(usize) -> f64) -> Vec<Change> {
        let id = self.id();
        let change = |sub: &str, ramp_secs: u64, until_secs: Option<u64>, effect: Effect| Change {
            id: if sub.is_empty() {
                id
            } else {
                change_id(&format!("{id}:{sub}"))
            },
            origin: Origin::Issue(self.pool_index),
            from_secs: self.start_secs(),
            ramp_secs,
            until_secs,
            effect,
        };
        let ramp = self.ramp_secs;
        match self.kind {
            IssueKind::ReleaseRegression {
                category,
                volume_multiplier,
                handle_time_multiplier,
            } => vec![
                // Extra contacts at (multiplier - 1) × the category's share of normal volume.
                change(
                    "volume",
                    ramp,
                    None,
                    Effect::Volume {
                        category,
                        multiplier: 1.0 + (volume_multiplier - 1.0) * category_share(category),
                        priority_shift: 0.0,
                    },
                ),
                change(
                    "handle",
                    ramp,
                    None,
                    Effect::HandleTime {
                        team: None,
                        category: Some(category),
                        factor: handle_time_multiplier,
                        spread: 0.0,
                    },
                ),
            ],
            IssueKind::KnowledgeGap {
                category,
                escalation_multiplier,
                reopen_multiplier,
            } => vec![
                change(
                    "escalation",
                    ramp,
                    None,
                    Effect::Escalation {
                        team: None,
                        category,
                        factor: escalation_multiplier,
                        spread: AGENT_SPREAD,
                    },
                ),
                change(
                    "reopen",
                    ramp,
                    None,
                    Effect::Reopen {
                        team: None,
                        category,
                        factor: reopen_multiplier,
                        spread: AGENT_SPREAD,
                    },
                ),
            ],
            IssueKind::StaffingCut { team, shift, agents } => {
                vec![change(
                    "",
                    ramp,
                    None,
                    Effect::StaffCut {
                        team,
                        shift,
                        agents,
                        days: [true; 7],
                    },
                )]
            }
            IssueKind::NewHireCohort {
                team,
                shift,
                agents,
                quality_delta,
            } => vec![change(
                "",
                0,
                None,
                Effect::Hires {
                    team,
                    shift,
                    agents,
                    quality_delta,
                },
            )],
            IssueKind::QualitySlide { team, quality_delta } => vec![change(
                "",
                ramp,
                None,
                Effect::Quality {
                    team,
                    delta: quality_delta,
                    spread: AGENT_SPREAD,
                },
            )],
            IssueKind::HandleTimeCreep {
                team,
                handle_time_multiplier,
            } => vec![change(
                "",
                ramp,
                None,
                Effect::HandleTime {
                    team: Some(team),
                    category: None,
                    factor: handle_time_multiplier,
                    spread: AGENT_SPREAD,
                },
            )],
            IssueKind::Outage {
                category,
                duration_secs,
                volume_multiplier,
                priority_shift,
            } => vec![change(
                "",
                ramp.min(duration_secs / 2),
                Some(self.start_secs() + duration_secs),
                Effect::Volume {
                    category,
                    multiplier: volume_multiplier,
                    priority_shift,
                },
            )],
            IssueKind::ChannelShift { from, to, share } => vec![change(
                "",
                ramp,
                None,
                Effect::ChannelChoice {
                    from,
                    to,
                    share,
                    spread: CHANNEL_SHIFT_SPREAD,
                },
            )],
        }
    }
}

/// The ramp of an issue of `kind` when the scenario sets none, seconds: a release's regression
/// shows within two days, a knowledge gap and a creeping handle time over ten, a quality slide and
/// a staffing cut over two weeks, a channel shift over five days, an outage over a fifth of its
/// duration; a new-hire cohort starts together.
fn default_ramp_secs(kind: &IssueKind) -> u64 {
    let days = match kind {
        IssueKind::ReleaseRegression { .. } => 2.0,
        IssueKind::KnowledgeGap { .. } | IssueKind::HandleTimeCreep { .. } => 10.0,
        IssueKind::StaffingCut { .. } | IssueKind::QualitySlide { .. } => 14.0,
        IssueKind::NewHireCohort { .. } => 0.0,
        IssueKind::ChannelShift { .. } => 5.0,
        IssueKind::Outage { duration_secs, .. } => return duration_secs / 5,
    };
    (days * DAY_SECS as f64) as u64
}

/// Validates `[issues]`: every entry of the pool and the number to draw.
pub(super) fn pool(
    spec: &IssuesSpec,
    categories: &[Category],
    channels: &[Channel],
    teams: &[Team],
    history_days: u32,
) -> Result<Vec<IssueTemplate>, ConfigError> {
    let mut out = Vec::new();
    for (i, entry) in spec.pool.iter().enumerate() {
        out.push(issue_template(
            entry,
            &format!("issues.pool[{i}]"),
            categories,
            channels,
            teams,
            history_days,
        )?);
    }
    if spec.draw as usize > out.len() {
        return Err(err(
            "issues.draw",
            format!("must be at most the pool's {} issues, got {}", out.len(), spec.draw),
        ));
    }
    Ok(out)
}

fn positive_multiplier(field: String, v: f64) -> Result<f64, ConfigError> {
    if v.is_finite() && v > 0.0 && v <= 20.0 {
        Ok(v)
    } else {
        Err(err(field, format!("must be in (0, 20], got {v}")))
    }
}

/// Validates one issue of the pool: names resolve, numbers are in range, the start fits the history.
fn issue_template(
    spec: &IssueSpec,
    f: &str,
    categories: &[Category],
    channels: &[Channel],
    teams: &[Team],
    history_days: u32,
) -> Result<IssueTemplate, ConfigError> {
    let category = |name: &str| {
        categories
            .iter()
            .position(|k| k.name == name)
            .ok_or_else(|| err(format!("{f}.category"), format!("names no category, got \"{name}\"")))
    };
    let channel = |key: &str, name: &str| {
        channels
            .iter()
            .position(|k| k.name == name)
            .ok_or_else(|| err(format!("{f}.{key}"), format!("names no channel, got \"{name}\"")))
    };
    let team = |name: &str| {
        teams
            .iter()
            .position(|t| t.name == name)
            .ok_or_else(|| err(format!("{f}.team"), format!("names no team, got \"{name}\"")))
    };
    let shift = |t: usize, name: &str, agents: u32| -> Result<usize, ConfigError> {
        let si = teams[t].shifts.iter().position(|s| s.name == name).ok_or_else(|| {
            err(
                format!("{f}.shift"),
                format!("names no shift of team \"{}\", got \"{name}\"", teams[t].name),
            )
        })?;
        if agents == 0 || agents > teams[t].shifts[si].agents {
            return Err(err(
                format!("{f}.agents"),
                format!(
                    "must be between 1 and the shift's {} agents, got {agents}",
                    teams[t].shifts[si].agents
                ),
            ));
        }
        Ok(si)
    };
    let kind = match spec {
        IssueSpec::ReleaseRegression {
            category: c,
            volume_multiplier,
            handle_time_multiplier,
            ..
        } => IssueKind::ReleaseRegression {
            category: category(c)?,
            volume_multiplier: positive_multiplier(format!("{f}.volume_multiplier"), *volume_multiplier)?.max(1.0),
            handle_time_multiplier: positive_multiplier(
                format!("{f}.handle_time_multiplier"),
                *handle_time_multiplier,
            )?,
        },
        IssueSpec::KnowledgeGap {
            category: c,
            escalation_multiplier,
            reopen_multiplier,
            ..
        } => IssueKind::KnowledgeGap {
            category: category(c)?,
            escalation_multiplier: positive_multiplier(format!("{f}.escalation_multiplier"), *escalation_multiplier)?,
            reopen_multiplier: positive_multiplier(format!("{f}.reopen_multiplier"), *reopen_multiplier)?,
        },
        IssueSpec::StaffingCut {
            team: t,
            shift: sh,
            agents,
            ..
        } => {
            let t = team(t)?;
            IssueKind::StaffingCut {
                team: t,
                shift: shift(t, sh, *agents)?,
                agents: *agents,
            }
        }
        IssueSpec::NewHireCohort {
            team: t,
            shift: sh,
            agents,
            quality_delta,
            ..
        } => {
            let t = team(t)?;
            if !(quality_delta.is_finite() && quality_delta.abs() <= 5.0) {
                return Err(err(
                    format!("{f}.quality_delta"),
                    format!("must be between -5 and 5, got {quality_delta}"),
                ));
            }
            IssueKind::NewHireCohort {
                team: t,
                shift: shift(t, sh, *agents)?,
                agents: *agents,
                quality_delta: *quality_delta,
            }
        }
        IssueSpec::QualitySlide {
            team: t, quality_delta, ..
        } => {
            if !(quality_delta.is_finite() && quality_delta.abs() <= 5.0) {
                return Err(err(
                    format!("{f}.quality_delta"),
                    format!("must be between -5 and 5, got {quality_delta}"),
                ));
            }
            IssueKind::QualitySlide {
                team: team(t)?,
                quality_delta: *quality_delta,
            }
        }
        IssueSpec::HandleTimeCreep {
            team: t,
            handle_time_multiplier,
            ..
        } => IssueKind::HandleTimeCreep {
            team: team(t)?,
            handle_time_multiplier: positive_multiplier(
                format!("{f}.handle_time_multiplier"),
                *handle_time_multiplier,
            )?,
        },
        IssueSpec::Outage {
            category: c,
            duration_hours,
            volume_multiplier,
            priority_shift,
            ..
        } => {
            if !(duration_hours.is_finite() && *duration_hours > 0.0 && *duration_hours <= 72.0) {
                return Err(err(
                    format!("{f}.duration_hours"),
                    format!("must be in (0, 72], got {duration_hours}"),
                ));
            }
            IssueKind::Outage {
                category: category(c)?,
                duration_secs: (duration_hours * 3600.0).round() as u64,
                volume_multiplier: positive_multiplier(format!("{f}.volume_multiplier"), *volume_multiplier)?.max(1.0),
                priority_shift: check_range(&format!("{f}.priority_shift"), *priority_shift, -5.0, 5.0)?,
            }
        }
        IssueSpec::ChannelShift { from, to, share, .. } => {
            let (from, to) = (channel("from", from)?, channel("to", to)?);
            if from == to {
                return Err(err(
                    format!("{f}.to"),
                    format!("must differ from `from`, got \"{}\"", channels[to].name),
                ));
            }
            if !(share.is_finite() && *share > 0.0 && *share <= 1.0) {
                return Err(err(format!("{f}.share"), format!("must be in (0, 1], got {share}")));
            }
            IssueKind::ChannelShift {
                from,
                to,
                share: *share,
            }
        }
    };
    let [lo, hi] = spec.start_day_range();
    if lo == 0 || lo > hi || hi >= history_days {
        return Err(err(
            format!("{f}.start_day_range"),
            format!("must be [first, last] with 1 <= first <= last < history_days ({history_days}), got [{lo}, {hi}]"),
        ));
    }
    let ramp_secs = match spec.ramp_days() {
        Some(d) => (check_range(&format!("{f}.ramp_days"), d, 0.0, 60.0)? * DAY_SECS as f64).round() as u64,
        None => default_ramp_secs(&kind),
    };
    Ok(IssueTemplate {
        kind,
        start_day_range: [lo, hi],
        ramp_secs,
    })
}

impl Config {
    /// Draws `issues_to_draw` distinct issues of the pool and their start days from `seed`.
    pub fn draw_issues(&self, seed: u64) -> Vec<Issue> {
        use rand::Rng;
        let mut rng = crate::rng::Seeds::new(seed).stream(crate::rng::Stream::Issues, 0);
        let mut order: Vec<usize> = (0..self.issue_pool.len()).collect();
        for i in (1..order.len()).rev() {
            order.swap(i, rng.random_range(0..=i));
        }
        let mut drawn: Vec<Issue> = order
            .into_iter()
            .take(self.issues_to_draw as usize)
            .map(|pool_index| {
                let t = &self.issue_pool[pool_index];
                Issue {
                    kind: t.kind.clone(),
                    start_day: rng.random_range(t.start_day_range[0]..=t.start_day_range[1]),
                    pool_index,
                    ramp_secs: t.ramp_secs,
                }
            })
            .collect();
        drawn.sort_by_key(|i| (i.start_day, i.pool_index));
        drawn
    }

    /// This configuration with `issues` planted: their changes join the scenario's own on the
    /// timeline.
    pub fn with_issues(&self, issues: Vec<Issue>) -> Config {
        let mut cfg = self.clone();
        cfg.changes.retain(|c| c.origin == Origin::Scenario);
        for issue in &issues {
            let changes = issue.changes(|k| cfg.categories[k].share);
            cfg.changes.extend(changes);
        }
        cfg.active_issues = issues;
        cfg
    }

    /// The issue of pool entry `pool_index` starting on `start_day`, with the pool's ramp.
    pub fn issue(&self, pool_index: usize, start_day: u32) -> Issue {
        let t = &self.issue_pool[pool_index];
        Issue {
            kind: t.kind.clone(),
            start_day,
            pool_index,
            ramp_secs: t.ramp_secs,
        }
    }
}
