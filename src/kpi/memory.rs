//! A simulated history as the metrics engine reads it: the tables are built by the very code that
//! writes a case's files ([`crate::output::tables`]), so the KPIs of a history in memory and of its
//! case on disk are one computation on the same values.

use std::collections::BTreeMap;

use polars::prelude::PolarsResult;

use super::{Case, CustomerTable, NpsTable, ScheduleTable, TicketTable, epoch_day};
use crate::config::Config;
use crate::output::tables::{self, Calendar};
use crate::record::{EventKind, SimOutput};

impl Case {
    /// The case tables of `sim`, a history of `cfg`.
    pub fn from_sim(sim: &SimOutput, cfg: &Config) -> PolarsResult<Case> {
        let cal = Calendar::new(cfg.start_date);
        let mut case = Case {
            tickets: tickets_of(sim, cfg, &cal, 0)?,
            nps: NpsTable::from_frame(&tables::nps_responses(sim, cfg, &cal)?)?,
            customers: CustomerTable::from_frame(&tables::customers(sim, cfg, &cal)?)?,
            schedule: ScheduleTable::from_frame(&tables::schedule(sim, cfg, &cal)?, hourly_costs(cfg))?,
            ..Case::default()
        };
        (case.first_day, case.last_day) = history_days(cfg);
        Ok(case)
    }

    /// The tickets of `sim` created from day `from_day` of its history on, alone (the other tables
    /// empty): enough for the ticket KPIs of those days, at a fraction of the cost of
    /// [`Case::from_sim`].
    pub fn tickets_from_sim(sim: &SimOutput, cfg: &Config, from_day: u32) -> PolarsResult<Case> {
        let mut case = Case {
            tickets: tickets_of(sim, cfg, &Calendar::new(cfg.start_date), from_day)?,
            ..Case::default()
        };
        (case.first_day, case.last_day) = history_days(cfg);
        Ok(case)
    }
}

fn tickets_of(sim: &SimOutput, cfg: &Config, cal: &Calendar, from_day: u32) -> PolarsResult<TicketTable> {
    let frame = tables::tickets_from(sim, from_day * crate::config::DAY_SECS as u32, cfg, cal)?;
    let mut tickets = TicketTable::from_frame(&frame, &live_channels(cfg))?;
    tickets.mark_surveyed(
        sim.events
            .iter()
            .filter(|e| e.kind == EventKind::SurveySent)
            .map(|e| e.ticket),
    );
    Ok(tickets)
}

/// The scenario's live channels (abandonment is measured on them).
pub(super) fn live_channels(cfg: &Config) -> Vec<&str> {
    cfg.channels
        .iter()
        .filter(|c| c.live)
        .map(|c| c.name.as_str())
        .collect()
}

/// Each team's cost of one agent-hour, USD.
pub(super) fn hourly_costs(cfg: &Config) -> BTreeMap<String, f64> {
    cfg.teams.iter().map(|t| (t.name.clone(), t.hourly_cost_usd)).collect()
}

/// First and last day of the history, days since the Unix epoch.
pub(super) fn history_days(cfg: &Config) -> (i32, i32) {
    let first = epoch_day(cfg.start_date);
    (first, first + cfg.history_days as i32 - 1)
}
