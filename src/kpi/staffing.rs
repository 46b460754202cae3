//! Staffing cost from the schedule table: each 30-minute interval costs its `agents_scheduled` x
//! 0.5 h x the team's hourly cost, which comes from the scenario (a director knows what an hour of
//! each team costs; the export does not carry it). Cut by team and by the interval's time.

use std::collections::BTreeMap;

use polars::prelude::*;

use super::table::{Coded, dates, day_ms, sort_key, time_label, u32s};
use super::{Cut, Kpi, KpiValue, Labels, Row, Selection};

/// Length of one schedule interval, hours.
pub const INTERVAL_HOURS: f64 = 0.5;

/// The schedule of a case, with each team's hourly cost.
#[derive(Debug, Clone, Default)]
pub struct ScheduleTable {
    day: Vec<i32>,
    /// Minutes after midnight of the interval's start.
    minute: Vec<u32>,
    team: Coded,
    agents: Vec<u32>,
    hourly_usd: BTreeMap<String, f64>,
}

impl ScheduleTable {
    /// Reads the exported `schedule` frame; `hourly_usd` is each team's cost of one agent-hour.
    pub fn from_frame(df: &DataFrame, hourly_usd: BTreeMap<String, f64>) -> PolarsResult<ScheduleTable> {
        let minute = df
            .column("interval_start")?
            .cast(&DataType::String)?
            .str()?
            .iter()
            .map(|v| {
                let text = v.unwrap_or("");
                let parsed = text
                    .split_once(':')
                    .and_then(|(h, m)| Some(h.parse::<u32>().ok()? * 60 + m.parse::<u32>().ok()?));
                parsed.ok_or_else(|| polars_err!(ComputeError: "interval_start: not HH:MM, got \"{text}\""))
            })
            .collect::<PolarsResult<Vec<u32>>>()?;
        let team = Coded::of(df, "team")?;
        if let Some(unknown) = team.distinct().find(|t| !hourly_usd.contains_key(t)) {
            polars_bail!(ComputeError: "team: \"{unknown}\" is not a team of the scenario");
        }
        Ok(ScheduleTable {
            day: dates(df, "date")?
                .into_iter()
                .map(|d| d.ok_or_else(|| polars_err!(ComputeError: "date: an empty date")))
                .collect::<PolarsResult<_>>()?,
            minute,
            team,
            agents: u32s(df, "agents_scheduled")?
                .into_iter()
                .map(Option::unwrap_or_default)
                .collect(),
            hourly_usd,
        })
    }

    pub fn len(&self) -> usize {
        self.day.len()
    }

    pub fn is_empty(&self) -> bool {
        self.day.is_empty()
    }

    pub(super) fn values(&self, cut: Cut) -> Vec<String> {
        match cut {
            Cut::Team => self.team.distinct().collect(),
            _ => Vec::new(),
        }
    }

    fn label(&self, cut: Cut, r: usize) -> String {
        match cut {
            Cut::Team => self.team.get(r).to_string(),
            _ => time_label(day_ms(self.day[r]) + i64::from(self.minute[r]) * 60_000, cut),
        }
    }
}

impl ScheduleTable {
    /// Agents scheduled summed over the intervals of each weekday (Monday first) and hour, over the
    /// days of `window` (with the team filter `team`, if any), in agent-intervals.
    pub(super) fn agent_intervals(&self, window: (i32, i32), team: Option<&str>) -> [[f64; 24]; 7] {
        let mut out = [[0.0; 24]; 7];
        for r in 0..self.len() {
            if self.day[r] < window.0 || self.day[r] > window.1 || team.is_some_and(|t| self.team.get(r) != t) {
                continue;
            }
            let weekday = super::weekday_of(self.day[r]);
            out[weekday][(self.minute[r] / 60) as usize % 24] += f64::from(self.agents[r]);
        }
        out
    }
}

/// Staffing cost for each group of the `by` cuts (team and time cuts) over `window`.
pub(super) fn cost_rows(s: &ScheduleTable, by: &[Cut], selection: &Selection, window: (i32, i32)) -> Vec<Row> {
    let mut groups: BTreeMap<Vec<String>, (Labels, f64, u64)> = BTreeMap::new();
    for r in 0..s.len() {
        if s.day[r] < window.0 || s.day[r] > window.1 {
            continue;
        }
        if selection.filters.iter().any(|(c, v)| s.label(*c, r) != *v) {
            continue;
        }
        let key: Vec<String> = by.iter().map(|&c| sort_key(c, s.label(c, r))).collect();
        let g = groups
            .entry(key)
            .or_insert_with(|| (by.iter().map(|&c| (c, s.label(c, r))).collect(), 0.0, 0));
        g.1 += f64::from(s.agents[r]) * INTERVAL_HOURS * s.hourly_usd[s.team.get(r)];
        g.2 += 1;
    }
    groups
        .into_values()
        .map(|(group, usd, n)| Row {
            group,
            kpis: [(
                Kpi::CostUsd,
                KpiValue {
                    value: Some(usd),
                    n,
                    ci95: None,
                    small: false,
                },
            )]
            .into_iter()
            .collect(),
        })
        .collect()
}
