//! The metrics engine's core: every ticket KPI of design.md defined once, over the tickets table as
//! a case exports it, with cuts (channel, category, segment, priority, team, day, ISO week, calendar
//! month, weekday, hour), filters and a period.
//!
//! The table is read from polars frames ([`TicketTable::from_frame`]): frames loaded from a case's
//! files, or built from a simulated history by the same code that writes those files
//! ([`crate::output::tables::tickets`]), so a KPI of a case on disk and of a history in memory is the
//! same computation on the same values (minutes rounded as exported). Shares carry their count and a
//! Wilson 95% interval, percentiles interpolate linearly between closest ranks (PERCENTILE.INC), and
//! a group with fewer than [`SMALL_N`] observations is flagged small.

mod backlog;
mod customers;
mod load;
mod memory;
pub mod mistakes;
mod nps;
pub mod render;
mod staffing;
mod stats;
mod table;

use std::collections::BTreeMap;

pub use customers::CustomerTable;
pub use customers::Experience;
pub use load::{OpenCase, load_case, open_case};
pub use nps::{NpsMix, NpsTable, compute_nps, nps};
pub use staffing::ScheduleTable;
pub use table::{TicketTable, date_of, epoch_day};

pub use stats::{percentile, share_within, wilson};

/// Groups with fewer observations than this are flagged small.
pub const SMALL_N: u64 = 30;

/// A KPI, in the order of design.md's table (plus the means, reported beside the medians).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kpi {
    Tickets,
    Csat,
    CsatResponses,
    CsatResponseRate,
    Nps,
    NpsResponses,
    FirstReplyP50,
    FirstReplyP90,
    FirstReplyMean,
    ResolutionP50,
    ResolutionP90,
    ResolutionMean,
    SlaAttainment,
    OneTouch,
    EscalationRate,
    ReopenRate,
    AbandonmentRate,
    Backlog,
    ChurnRate,
    ContactsPerCustomer,
    CostUsd,
}

/// The table a KPI is computed from, which decides what it can be cut by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// One value per ticket: every cut.
    Tickets,
    /// Answered NPS surveys: segment and answer time.
    Nps,
    /// Open tickets at the end of each day: ticket attributes and the day.
    Backlog,
    /// Customers over days, weeks and months: segment.
    Customers,
    /// Tickets per customer-month: ticket attributes, and days, weeks and months.
    Contacts,
    /// The schedule: team and interval time.
    Schedule,
}

impl Source {
    /// Whether KPIs of this source can be cut or filtered by `cut`.
    pub fn supports(self, cut: Cut) -> bool {
        use Cut::*;
        match self {
            Source::Tickets => true,
            Source::Nps => matches!(cut, Segment | Day | Week | Month | Weekday | Hour),
            Source::Backlog => !matches!(cut, Hour | Agent),
            Source::Customers => matches!(cut, Segment | Day | Week | Month),
            Source::Contacts => !matches!(cut, Weekday | Hour | Agent),
            Source::Schedule => matches!(cut, Team | Day | Week | Month | Weekday | Hour),
        }
    }

    /// Why a cut it does not support makes no sense, in words.
    fn why_not(self) -> &'static str {
        match self {
            Source::Tickets => "",
            Source::Nps => "NPS answers have a segment and an answer time only",
            Source::Backlog => "the backlog is counted once a day, at the end of the day",
            Source::Customers => "churn is counted on customers (segment) over days, weeks or months",
            Source::Contacts => "contacts per customer are counted over days, weeks or months",
            Source::Schedule => "staffing cost comes from the schedule (team and interval time)",
        }
    }
}

/// How a KPI's value reads: its unit, and how a table shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// A count (tickets, answers).
    Count,
    /// A share 0-1, shown as a percentage.
    Share,
    Minutes,
    /// NPS points, -100 to 100.
    Points,
    /// Tickets per customer per month.
    PerCustomerMonth,
    Usd,
}

impl Unit {
    /// The unit as a table header shows it.
    pub fn label(self) -> &'static str {
        match self {
            Unit::Count => "count",
            Unit::Share => "%",
            Unit::Minutes => "min",
            Unit::Points => "points",
            Unit::PerCustomerMonth => "per customer-month",
            Unit::Usd => "USD",
        }
    }
}

impl Kpi {
    /// Every KPI.
    pub const ALL: [Kpi; 21] = [
        Kpi::Tickets,
        Kpi::Csat,
        Kpi::CsatResponses,
        Kpi::CsatResponseRate,
        Kpi::Nps,
        Kpi::NpsResponses,
        Kpi::FirstReplyP50,
        Kpi::FirstReplyP90,
        Kpi::FirstReplyMean,
        Kpi::ResolutionP50,
        Kpi::ResolutionP90,
        Kpi::ResolutionMean,
        Kpi::SlaAttainment,
        Kpi::OneTouch,
        Kpi::EscalationRate,
        Kpi::ReopenRate,
        Kpi::AbandonmentRate,
        Kpi::Backlog,
        Kpi::ChurnRate,
        Kpi::ContactsPerCustomer,
        Kpi::CostUsd,
    ];

    /// The name users write and JSON carries.
    pub fn name(self) -> &'static str {
        match self {
            Kpi::Tickets => "tickets",
            Kpi::Csat => "csat",
            Kpi::CsatResponses => "csat_responses",
            Kpi::CsatResponseRate => "csat_response_rate",
            Kpi::Nps => "nps",
            Kpi::NpsResponses => "nps_responses",
            Kpi::FirstReplyP50 => "first_reply_p50",
            Kpi::FirstReplyP90 => "first_reply_p90",
            Kpi::FirstReplyMean => "first_reply_mean",
            Kpi::ResolutionP50 => "resolution_p50",
            Kpi::ResolutionP90 => "resolution_p90",
            Kpi::ResolutionMean => "resolution_mean",
            Kpi::SlaAttainment => "sla_attainment",
            Kpi::OneTouch => "one_touch",
            Kpi::EscalationRate => "escalation_rate",
            Kpi::ReopenRate => "reopen_rate",
            Kpi::AbandonmentRate => "abandonment_rate",
            Kpi::Backlog => "backlog",
            Kpi::ChurnRate => "churn_rate",
            Kpi::ContactsPerCustomer => "contacts_per_customer",
            Kpi::CostUsd => "cost_usd",
        }
    }

    pub fn from_name(name: &str) -> Option<Kpi> {
        Kpi::ALL.into_iter().find(|k| k.name() == name)
    }

    /// What it measures and over which rows: the data dictionary prints these words.
    pub fn definition(self) -> &'static str {
        match self {
            Kpi::Tickets => "number of tickets created",
            Kpi::Csat => "share of answered CSAT surveys scoring 4 or 5 (1-3 count as bad)",
            Kpi::CsatResponses => "number of answered CSAT surveys (tickets with a csat_score)",
            Kpi::CsatResponseRate => "share of tickets sent a CSAT survey (a survey_sent event) that have a csat_score",
            Kpi::Nps => "% scores 9-10 minus % scores 0-6, on answered NPS surveys, by answer time",
            Kpi::NpsResponses => "number of answered NPS surveys (unanswered invitations do not count)",
            Kpi::FirstReplyP50 => "median of first_reply_minutes, over tickets that got a reply",
            Kpi::FirstReplyP90 => "90th percentile of first_reply_minutes, over tickets that got a reply",
            Kpi::FirstReplyMean => "mean of first_reply_minutes, over tickets that got a reply",
            Kpi::ResolutionP50 => {
                "median of full_resolution_minutes, over solved tickets (tickets still open at the extract have no resolution time and are left out)"
            }
            Kpi::ResolutionP90 => "90th percentile of full_resolution_minutes, over solved tickets",
            Kpi::ResolutionMean => "mean of full_resolution_minutes, over solved tickets",
            Kpi::SlaAttainment => {
                "share of tickets with a first reply within their channel's target (no reply by then = breach; tickets still inside their target at the extract do not count)"
            }
            Kpi::OneTouch => "share of solved tickets with fewer than 2 agent replies",
            Kpi::EscalationRate => "escalated tickets / tickets handled by an agent (a reply or an assignee)",
            Kpi::ReopenRate => "tickets with reopens > 0 / solved tickets",
            Kpi::AbandonmentRate => "abandoned / offered, on live channels only (from the scenario)",
            Kpi::Backlog => {
                "open tickets at the end of each day (created by then, not abandoned, not yet finally solved); over several days, the mean of the daily counts"
            }
            Kpi::ChurnRate => {
                "customers whose churned_at falls in the period / customers active at its start (signed up before it, not churned before it); months are calendar months"
            }
            Kpi::ContactsPerCustomer => {
                "tickets / customer-months: each calendar month counts every customer active in it on at least one day of the period, weighted by the share of the month's days in the period"
            }
            Kpi::CostUsd => {
                "staffing cost: agents_scheduled x 0.5 h per schedule interval x the team's hourly cost (from the scenario)"
            }
        }
    }

    /// The table it is computed from.
    pub fn source(self) -> Source {
        match self {
            Kpi::Nps | Kpi::NpsResponses => Source::Nps,
            Kpi::Backlog => Source::Backlog,
            Kpi::ChurnRate => Source::Customers,
            Kpi::ContactsPerCustomer => Source::Contacts,
            Kpi::CostUsd => Source::Schedule,
            _ => Source::Tickets,
        }
    }

    /// Whether the KPI is computed from the tickets table one ticket at a time.
    pub fn on_tickets(self) -> bool {
        self.source() == Source::Tickets
    }

    pub fn unit(self) -> Unit {
        match self {
            Kpi::Tickets | Kpi::CsatResponses | Kpi::NpsResponses | Kpi::Backlog => Unit::Count,
            Kpi::Nps => Unit::Points,
            Kpi::FirstReplyP50
            | Kpi::FirstReplyP90
            | Kpi::FirstReplyMean
            | Kpi::ResolutionP50
            | Kpi::ResolutionP90
            | Kpi::ResolutionMean => Unit::Minutes,
            Kpi::ContactsPerCustomer => Unit::PerCustomerMonth,
            Kpi::CostUsd => Unit::Usd,
            _ => Unit::Share,
        }
    }

    /// The values the KPI can take: shares 0..1, NPS -100..100, everything else from 0 up.
    pub fn bounds(self) -> (f64, f64) {
        match self.unit() {
            Unit::Share => (0.0, 1.0),
            Unit::Points => (-100.0, 100.0),
            _ => (0.0, f64::INFINITY),
        }
    }

    /// Whether a support director wants this KPI higher (Some(true)), lower (Some(false)), or
    /// neither (counts of survey responses).
    pub fn better_when_higher(self) -> Option<bool> {
        match self {
            Kpi::Csat | Kpi::CsatResponseRate | Kpi::Nps | Kpi::SlaAttainment | Kpi::OneTouch => Some(true),
            Kpi::CsatResponses | Kpi::NpsResponses => None,
            _ => Some(false),
        }
    }

    /// What `n` counts for this KPI.
    pub fn n_counts(self) -> &'static str {
        match self {
            Kpi::Tickets | Kpi::ContactsPerCustomer => "tickets",
            Kpi::Csat | Kpi::CsatResponses => "answered CSAT surveys",
            Kpi::CsatResponseRate => "surveyed tickets",
            Kpi::Nps | Kpi::NpsResponses => "answered NPS surveys",
            Kpi::FirstReplyP50 | Kpi::FirstReplyP90 | Kpi::FirstReplyMean => "tickets with a first reply",
            Kpi::ResolutionP50 | Kpi::ResolutionP90 | Kpi::ResolutionMean | Kpi::OneTouch | Kpi::ReopenRate => {
                "solved tickets"
            }
            Kpi::SlaAttainment => "tickets whose target outcome is known",
            Kpi::EscalationRate => "tickets handled by an agent",
            Kpi::AbandonmentRate => "live-channel tickets offered",
            Kpi::Backlog => "days",
            Kpi::ChurnRate => "customers active at the start",
            Kpi::CostUsd => "schedule intervals",
        }
    }
}

/// One KPI of one group: its value (None when nothing counts), the observations it rests on, a
/// Wilson interval for shares (a normal interval for NPS), and whether the group is small.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KpiValue {
    pub value: Option<f64>,
    pub n: u64,
    pub ci95: Option<(f64, f64)>,
    pub small: bool,
}

/// What a group can be cut by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Cut {
    Channel,
    Category,
    Segment,
    Priority,
    Team,
    Day,
    Week,
    Month,
    Weekday,
    Hour,
    /// The ticket's assignee (the agent who last worked it).
    Agent,
}

impl Cut {
    pub const ALL: [Cut; 11] = [
        Cut::Channel,
        Cut::Category,
        Cut::Segment,
        Cut::Priority,
        Cut::Team,
        Cut::Day,
        Cut::Week,
        Cut::Month,
        Cut::Weekday,
        Cut::Hour,
        Cut::Agent,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Cut::Channel => "channel",
            Cut::Category => "category",
            Cut::Segment => "segment",
            Cut::Priority => "priority",
            Cut::Team => "team",
            Cut::Day => "day",
            Cut::Week => "week",
            Cut::Month => "month",
            Cut::Weekday => "weekday",
            Cut::Hour => "hour",
            Cut::Agent => "agent",
        }
    }

    pub fn from_name(name: &str) -> Option<Cut> {
        Cut::ALL.into_iter().find(|c| c.name() == name)
    }

    /// A cut of time (the ticket's creation, the answer's or the interval's time) rather than an
    /// attribute.
    pub fn is_time(self) -> bool {
        matches!(self, Cut::Day | Cut::Week | Cut::Month | Cut::Weekday | Cut::Hour)
    }
}

/// A group's value of each of its cuts, in the cuts' order: `[(Channel, "chat"), (Week, "2026-W07")]`.
pub type Labels = Vec<(Cut, String)>;

/// One group of a result: its value of each cut, then its KPIs.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub group: Labels,
    pub kpis: BTreeMap<Kpi, KpiValue>,
}

/// The tickets that count: created in `[from_day, to_day]` (days since the Unix epoch, inclusive;
/// None = unbounded) and matching every `(cut, value)` filter.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub from_day: Option<i32>,
    pub to_day: Option<i32>,
    pub filters: Labels,
}

/// The tables of one case the KPIs read, and the days its history covers.
#[derive(Debug, Clone, Default)]
pub struct Case {
    pub tickets: TicketTable,
    pub nps: NpsTable,
    pub customers: CustomerTable,
    pub schedule: ScheduleTable,
    /// First and last day of the history, days since the Unix epoch.
    pub first_day: i32,
    pub last_day: i32,
}

/// A KPI that cannot be cut as asked.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{} cannot be cut or filtered by {}: {}", kpi.name(), cut.name(), kpi.source().why_not())]
pub struct NotByCut {
    pub kpi: Kpi,
    pub cut: Cut,
}

/// The KPI of an empty group: counts and cost 0, everything else without a value.
fn nothing(k: Kpi) -> KpiValue {
    match k.unit() {
        Unit::Count | Unit::Usd => count(0),
        _ => KpiValue {
            value: None,
            n: 0,
            ci95: None,
            small: true,
        },
    }
}

impl Case {
    /// The days of the selection that lie in the history, None when none do.
    pub fn window(&self, selection: &Selection) -> Option<(i32, i32)> {
        let from = selection.from_day.map_or(self.first_day, |d| d.max(self.first_day));
        let to = selection.to_day.map_or(self.last_day, |d| d.min(self.last_day));
        (from <= to).then_some((from, to))
    }

    /// The first KPI of `kpis` that cannot be cut or filtered as asked.
    pub fn check_cuts(by: &[Cut], selection: &Selection, kpis: &[Kpi]) -> Result<(), NotByCut> {
        let cuts: Vec<Cut> = by
            .iter()
            .copied()
            .chain(selection.filters.iter().map(|(c, _)| *c))
            .collect();
        for &kpi in kpis {
            if let Some(&cut) = cuts.iter().find(|&&c| !kpi.source().supports(c)) {
                return Err(NotByCut { kpi, cut });
            }
        }
        Ok(())
    }

    /// `kpis` for each group of the `by` cuts over the selection, KPIs of every table side by side:
    /// a group that only some tables have gets the others' KPIs of nothing (counts 0, values None).
    /// Groups come in the cuts' natural order (priorities most urgent first, weekdays from Monday).
    pub fn compute(&self, by: &[Cut], selection: &Selection, kpis: &[Kpi]) -> Result<Vec<Row>, NotByCut> {
        Case::check_cuts(by, selection, kpis)?;
        let wanted = |source: Source| -> Vec<Kpi> { kpis.iter().copied().filter(|k| k.source() == source).collect() };
        let window = self.window(selection);
        let mut parts: Vec<Vec<Row>> = Vec::new();
        for source in [
            Source::Tickets,
            Source::Nps,
            Source::Backlog,
            Source::Customers,
            Source::Contacts,
            Source::Schedule,
        ] {
            let ks = wanted(source);
            if ks.is_empty() {
                continue;
            }
            let rows = match (source, window) {
                (Source::Tickets, _) => compute(&self.tickets, by, selection, &ks),
                (Source::Nps, _) => compute_nps(&self.nps, by, selection),
                (_, None) => Vec::new(),
                (Source::Backlog, Some(w)) => {
                    backlog::rows(&self.tickets, by, selection, w, (self.first_day, self.last_day))
                }
                (Source::Customers, Some(w)) => customers::churn_rows(&self.customers, by, selection, w),
                (Source::Contacts, Some(w)) => {
                    customers::contact_rows(&self.customers, &self.tickets, by, selection, w)
                }
                (Source::Schedule, Some(w)) => staffing::cost_rows(&self.schedule, by, selection, w),
            };
            parts.push(rows);
        }
        let key = |r: &Row| -> Vec<String> { r.group.iter().map(|(c, v)| table::sort_key(*c, v.clone())).collect() };
        let mut merged: BTreeMap<Vec<String>, Row> = BTreeMap::new();
        for row in parts.into_iter().flatten() {
            let entry = merged.entry(key(&row)).or_insert_with(|| Row {
                group: row.group.clone(),
                kpis: BTreeMap::new(),
            });
            entry
                .kpis
                .extend(row.kpis.into_iter().filter(|(k, _)| kpis.contains(k)));
        }
        if by.is_empty() && merged.is_empty() {
            merged.insert(
                Vec::new(),
                Row {
                    group: Vec::new(),
                    kpis: BTreeMap::new(),
                },
            );
        }
        for row in merged.values_mut() {
            for &k in kpis {
                row.kpis.entry(k).or_insert_with(|| nothing(k));
            }
        }
        Ok(merged.into_values().collect())
    }

    /// One KPI over the whole selection, uncut.
    pub fn value(&self, kpi: Kpi, selection: &Selection) -> Result<KpiValue, NotByCut> {
        let rows = self.compute(&[], selection, &[kpi])?;
        Ok(rows
            .first()
            .and_then(|r| r.kpis.get(&kpi))
            .copied()
            .unwrap_or_else(|| nothing(kpi)))
    }

    /// The NPS mix (promoters, passives, detractors) of each group of the `by` cuts over the answers
    /// `selection` selects.
    pub fn nps_mix(&self, by: &[Cut], selection: &Selection) -> Result<Vec<(Labels, NpsMix)>, NotByCut> {
        Case::check_cuts(by, selection, &[Kpi::Nps])?;
        Ok(nps::mix_rows(&self.nps, by, selection))
    }

    /// The first-reply times (minutes) of the tickets `selection` selects that have one: the
    /// distribution the first-reply KPIs summarise.
    pub fn first_reply_minutes(&self, selection: &Selection) -> Vec<f64> {
        let t = &self.tickets;
        group_tickets(t, &[], &selection.filters, |i| selection.contains_day(t.day(i)))
            .into_iter()
            .flat_map(|(_, rows)| rows)
            .filter_map(|i| t.first_reply_minutes[i])
            .collect()
    }

    /// Tickets created and agents scheduled in each hour of the week (Monday first), each the mean
    /// over the days of that weekday in the selection's window: demand against staffing, as a
    /// workforce planner reads it. Ticket filters select tickets; a team filter also selects the
    /// schedule's rows.
    pub fn week_profile(&self, selection: &Selection) -> WeekProfile {
        let mut p = WeekProfile::default();
        let Some(window) = self.window(selection) else {
            return p;
        };
        let mut days = [0u32; 7];
        for day in window.0..=window.1 {
            days[weekday_of(day)] += 1;
        }
        let t = &self.tickets;
        let in_window = |i: usize| (window.0..=window.1).contains(&t.day(i)) && selection.contains_day(t.day(i));
        for (_, rows) in group_tickets(t, &[], &selection.filters, in_window) {
            for i in rows {
                let hour = (t.created_ms[i].rem_euclid(86_400_000) / 3_600_000) as usize;
                p.tickets[weekday_of(t.day(i))][hour] += 1.0;
            }
        }
        let team = selection
            .filters
            .iter()
            .find(|(c, _)| *c == Cut::Team)
            .map(|(_, v)| v.as_str());
        let intervals_per_hour = 1.0 / staffing::INTERVAL_HOURS;
        let agents = self.schedule.agent_intervals(window, team);
        for d in 0..7 {
            let n = f64::from(days[d].max(1));
            for h in 0..24 {
                p.tickets[d][h] /= n;
                p.agents[d][h] = agents[d][h] / intervals_per_hour / n;
            }
        }
        p
    }

    /// Churn by support experience: the customers active at the middle of the selection's window,
    /// grouped by their tickets in its first half ([`Experience`]), and the share of them who
    /// churned in its second half, with Wilson intervals. A segment filter selects customers.
    pub fn churn_by_experience(&self, selection: &Selection) -> Vec<(Experience, KpiValue)> {
        match self.window(selection) {
            Some(w) => customers::churn_by_experience(&self.customers, &self.tickets, selection, w),
            None => Vec::new(),
        }
    }

    /// The days each period of time cut `cut` (week or month) has in the selection's window, in
    /// order: a chart marks the partial ones.
    pub fn period_days(&self, cut: Cut, selection: &Selection) -> Vec<(String, u32)> {
        let Some(window) = self.window(selection) else {
            return Vec::new();
        };
        let mut out: Vec<(String, u32)> = Vec::new();
        for (labels, first, last) in spans(window, &[cut], selection) {
            let label = labels.first().map(|l| l.1.clone()).unwrap_or_default();
            let days = (last - first + 1) as u32;
            match out.last_mut() {
                Some((l, d)) if *l == label => *d += days,
                _ => out.push((label, days)),
            }
        }
        out
    }

    /// The scores of the NPS answers `selection` selects (by answer day).
    pub fn nps_scores(&self, selection: &Selection) -> Vec<u32> {
        self.nps.scores(selection)
    }

    /// The values `cut` takes in this case, in natural order: what a filter may name.
    pub fn values(&self, cut: Cut) -> Vec<String> {
        let mut keys: BTreeMap<String, String> = BTreeMap::new();
        if cut.is_time() {
            for day in self.first_day..=self.last_day {
                let hours: Vec<i64> = if cut == Cut::Hour { (0..24).collect() } else { vec![0] };
                for h in hours {
                    let label = table::time_label(table::day_ms(day) + h * 3_600_000, cut);
                    keys.insert(table::sort_key(cut, label.clone()), label);
                }
            }
        } else {
            for label in self
                .tickets
                .values(cut)
                .into_iter()
                .chain(self.schedule.values(cut))
                .chain(self.customers.values(cut))
            {
                keys.insert(table::sort_key(cut, label.clone()), label);
            }
        }
        keys.into_values().collect()
    }
}

/// Tickets created and agents scheduled per hour of the week: `[weekday, Monday first][hour]`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WeekProfile {
    /// Mean tickets created in the hour.
    pub tickets: [[f64; 24]; 7],
    /// Mean agents scheduled in the hour (all teams, or the filtered team).
    pub agents: [[f64; 24]; 7],
}

impl WeekProfile {
    /// Tickets created per agent scheduled in hour `hour` of weekday `weekday`; None with nobody
    /// scheduled.
    pub fn per_agent(&self, weekday: usize, hour: usize) -> Option<f64> {
        let agents = self.agents[weekday][hour];
        (agents > 0.0).then(|| self.tickets[weekday][hour] / agents)
    }
}

/// The weekday (0 = Monday) of `day`, days since the Unix epoch (a Thursday).
pub(crate) fn weekday_of(day: i32) -> usize {
    (day + 3).rem_euclid(7) as usize
}

/// The stretches of consecutive days in `window` that share their labels of the time cuts among
/// `by` and pass the selection's time filters: (labels in `by`'s order of its time cuts, first day,
/// last day).
pub(crate) fn spans(window: (i32, i32), by: &[Cut], selection: &Selection) -> Vec<(Labels, i32, i32)> {
    let mut out: Vec<(Labels, i32, i32)> = Vec::new();
    for day in window.0..=window.1 {
        let ms = table::day_ms(day);
        if selection
            .filters
            .iter()
            .any(|(c, v)| c.is_time() && table::time_label(ms, *c) != *v)
        {
            continue;
        }
        let labels: Labels = by
            .iter()
            .filter(|c| c.is_time())
            .map(|&c| (c, table::time_label(ms, c)))
            .collect();
        match out.last_mut() {
            Some((l, _, to)) if *l == labels && *to == day - 1 => *to = day,
            _ => out.push((labels, day, day)),
        }
    }
    out
}

/// Puts attribute labels and time labels together in `by`'s order.
pub(crate) fn in_order(by: &[Cut], attrs: &[(Cut, String)], times: &[(Cut, String)]) -> Labels {
    by.iter()
        .filter_map(|c| attrs.iter().chain(times).find(|(x, _)| x == c).cloned())
        .collect()
}

/// The ticket KPIs among `kpis` of `t`'s selected tickets, one row per combination of the `by`
/// cuts present in the data (in the cuts' sort order), or one row for all when `by` is empty.
pub fn compute(t: &TicketTable, by: &[Cut], selection: &Selection, kpis: &[Kpi]) -> Vec<Row> {
    let kpis: Vec<Kpi> = kpis.iter().copied().filter(|k| k.on_tickets()).collect();
    let mut groups = group_tickets(t, by, &selection.filters, |i| selection.contains_day(t.day(i)));
    if by.is_empty() && groups.is_empty() {
        groups.push((Vec::new(), Vec::new()));
    }
    groups
        .into_iter()
        .map(|(group, rows)| Row {
            group,
            kpis: kpis.iter().map(|&k| (k, kpi(t, &rows, k))).collect(),
        })
        .collect()
}

/// The tickets passing `filters` and `keep`, grouped by the `by` cuts: (labels, row indices) in the
/// cuts' natural order.
pub(crate) fn group_tickets(
    t: &TicketTable,
    by: &[Cut],
    filters: &[(Cut, String)],
    keep: impl Fn(usize) -> bool,
) -> Vec<(Labels, Vec<usize>)> {
    let grouper = table::Grouper::new(t, by, filters);
    let mut groups: std::collections::HashMap<Vec<u32>, Vec<usize>> = std::collections::HashMap::new();
    let mut key = Vec::with_capacity(by.len());
    for i in 0..t.len() {
        if !grouper.passes(i) || !keep(i) {
            continue;
        }
        grouper.key(i, &mut key);
        match groups.get_mut(key.as_slice()) {
            Some(rows) => rows.push(i),
            None => {
                groups.insert(key.clone(), vec![i]);
            }
        }
    }
    let mut out: Vec<(Vec<String>, Labels, Vec<usize>)> = groups
        .into_iter()
        .map(|(key, rows)| {
            let labels = grouper.labels(&key);
            let sort: Vec<String> = labels.iter().map(|(c, v)| table::sort_key(*c, v.clone())).collect();
            (sort, labels, rows)
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out.into_iter().map(|(_, labels, rows)| (labels, rows)).collect()
}

fn share(hits: u64, n: u64) -> KpiValue {
    KpiValue {
        value: (n > 0).then(|| hits as f64 / n as f64),
        n,
        ci95: (n > 0).then(|| wilson(hits, n)),
        small: n < SMALL_N,
    }
}

pub(crate) fn count(n: u64) -> KpiValue {
    KpiValue {
        value: Some(n as f64),
        n,
        ci95: None,
        small: false,
    }
}

fn stat(mut v: Vec<f64>, p: Option<f64>) -> KpiValue {
    let n = v.len() as u64;
    let value = match p {
        Some(p) => percentile(&mut v, p),
        None => (n > 0).then(|| v.iter().sum::<f64>() / n as f64),
    };
    KpiValue {
        value,
        n,
        ci95: None,
        small: n < SMALL_N,
    }
}

/// The one definition of each ticket KPI, over the rows `rows` of `t`.
fn kpi(t: &TicketTable, rows: &[usize], k: Kpi) -> KpiValue {
    let tally = |keep: &dyn Fn(usize) -> bool, hit: &dyn Fn(usize) -> bool| {
        let (mut hits, mut n) = (0, 0);
        for &i in rows.iter().filter(|&&i| keep(i)) {
            n += 1;
            hits += u64::from(hit(i));
        }
        share(hits, n)
    };
    let first_reply = || {
        rows.iter()
            .filter_map(|&i| t.first_reply_minutes[i])
            .collect::<Vec<f64>>()
    };
    let resolution = || {
        rows.iter()
            .filter(|&&i| t.solved[i])
            .filter_map(|&i| t.resolution_minutes[i])
            .collect::<Vec<f64>>()
    };
    match k {
        Kpi::Tickets => count(rows.len() as u64),
        Kpi::Csat => tally(&|i| t.csat_score[i].is_some(), &|i| t.csat_score[i] >= Some(4)),
        Kpi::CsatResponses => count(rows.iter().filter(|&&i| t.csat_score[i].is_some()).count() as u64),
        Kpi::FirstReplyP50 => stat(first_reply(), Some(0.5)),
        Kpi::FirstReplyP90 => stat(first_reply(), Some(0.9)),
        Kpi::FirstReplyMean => stat(first_reply(), None),
        Kpi::ResolutionP50 => stat(resolution(), Some(0.5)),
        Kpi::ResolutionP90 => stat(resolution(), Some(0.9)),
        Kpi::ResolutionMean => stat(resolution(), None),
        Kpi::SlaAttainment => tally(&|i| t.sla_breached[i].is_some(), &|i| t.sla_breached[i] == Some(false)),
        Kpi::OneTouch => tally(&|i| t.solved[i], &|i| t.agent_replies[i] < 2),
        Kpi::EscalationRate => tally(&|i| t.handled[i], &|i| t.escalated[i]),
        Kpi::ReopenRate => tally(&|i| t.solved[i], &|i| t.reopens[i] > 0),
        Kpi::AbandonmentRate => tally(&|i| t.live[i], &|i| t.abandoned[i]),
        Kpi::CsatResponseRate => tally(&|i| t.surveyed[i], &|i| t.csat_score[i].is_some()),
        // Computed from other tables (or from days, not tickets) by Case::compute.
        Kpi::Nps | Kpi::NpsResponses | Kpi::Backlog | Kpi::ChurnRate | Kpi::ContactsPerCustomer | Kpi::CostUsd => {
            nothing(k)
        }
    }
}

/// A period or filter a user wrote that cannot be read, with what would be valid.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct BadSelection(pub String);

/// The rows of `t` that `selection` selects, in table order.
pub(crate) fn selected_rows(t: &TicketTable, selection: &Selection) -> Vec<usize> {
    group_tickets(t, &[], &selection.filters, |i| selection.contains_day(t.day(i)))
        .into_iter()
        .flat_map(|(_, rows)| rows)
        .collect()
}

impl Selection {
    /// Whether `day` (days since the Unix epoch) lies in the period.
    pub fn contains_day(&self, day: i32) -> bool {
        !(self.from_day.is_some_and(|d| day < d) || self.to_day.is_some_and(|d| day > d))
    }

    /// The filters on attributes (channel, category, segment, priority, team), not on time.
    pub(crate) fn attribute_filters(&self) -> Labels {
        self.filters.iter().filter(|(c, _)| !c.is_time()).cloned().collect()
    }

    /// Reads `--period` (`2026-02`, `2026-W07`, `2026-02-16`, `2026-02-01..2026-03-15`, both ends
    /// included; None = the whole history) and `--where` (`channel=chat,weekday=Sat`).
    pub fn parse(period: Option<&str>, filters: Option<&str>) -> Result<Selection, BadSelection> {
        let (from_day, to_day) = match period {
            None => (None, None),
            Some(p) => {
                let (a, b) = parse_period(p.trim())?;
                (Some(epoch_day(a)), Some(epoch_day(b)))
            }
        };
        let mut out = Selection {
            from_day,
            to_day,
            filters: Vec::new(),
        };
        for part in filters
            .unwrap_or("")
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            let (name, value) = part
                .split_once('=')
                .ok_or_else(|| BadSelection(format!("--where: \"{part}\" is not cut=value, e.g. channel=chat")))?;
            let cut = Cut::from_name(name.trim()).ok_or_else(|| {
                let valid: Vec<&str> = Cut::ALL.iter().map(|c| c.name()).collect();
                BadSelection(format!(
                    "--where: unknown cut \"{}\"; valid: {}",
                    name.trim(),
                    valid.join(", ")
                ))
            })?;
            out.filters.push((cut, value.trim().to_string()));
        }
        Ok(out)
    }
}

/// Reads a comma-separated list of names from `flag`, each one of `all` (`what` names the kind),
/// none twice.
fn parse_names<T: Copy + PartialEq>(
    flag: &str,
    what: &str,
    spec: &str,
    all: &[T],
    name: impl Fn(T) -> &'static str,
) -> Result<Vec<T>, BadSelection> {
    let mut out = Vec::new();
    for given in spec.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        let item = all.iter().copied().find(|&x| name(x) == given).ok_or_else(|| {
            let valid: Vec<&str> = all.iter().map(|&x| name(x)).collect();
            BadSelection(format!(
                "{flag}: unknown {what} \"{given}\"; valid: {}",
                valid.join(", ")
            ))
        })?;
        if out.contains(&item) {
            return Err(BadSelection(format!("{flag}: \"{given}\" is named twice")));
        }
        out.push(item);
    }
    Ok(out)
}

/// Reads `--by` (`channel,week`): known cuts, none twice.
pub fn parse_cuts(spec: &str) -> Result<Vec<Cut>, BadSelection> {
    parse_names("--by", "cut", spec, &Cut::ALL, Cut::name)
}

/// Reads `--kpi` (`csat,first_reply_p90`): known KPIs, at least one, none twice.
pub fn parse_kpis(spec: &str) -> Result<Vec<Kpi>, BadSelection> {
    let out = parse_names("--kpi", "KPI", spec, &Kpi::ALL, Kpi::name)?;
    if out.is_empty() {
        return Err(BadSelection(
            "--kpi: name at least one KPI, e.g. csat,first_reply_p90".into(),
        ));
    }
    Ok(out)
}

impl Case {
    /// Refuses a selection that names nothing in this case: a period outside the history, a filter
    /// value no row has.
    pub fn check_selection(&self, selection: &Selection) -> Result<(), BadSelection> {
        let day = |d: i32| table::date_of(d).format("%Y-%m-%d").to_string();
        if self.window(selection).is_none() {
            return Err(BadSelection(format!(
                "--period: no day of it lies in the history ({} to {})",
                day(self.first_day),
                day(self.last_day)
            )));
        }
        for (cut, value) in &selection.filters {
            let values = self.values(*cut);
            if !values.contains(value) {
                let shown: Vec<&str> = values.iter().take(12).map(String::as_str).collect();
                let more = if values.len() > 12 { ", ..." } else { "" };
                return Err(BadSelection(format!(
                    "--where: no {} is \"{value}\" in this case; values: {}{more}",
                    cut.name(),
                    shown.join(", ")
                )));
            }
        }
        Ok(())
    }
}

/// The first and last day of a period.
fn parse_period(p: &str) -> Result<(chrono::NaiveDate, chrono::NaiveDate), BadSelection> {
    use chrono::{Datelike, NaiveDate, Weekday};
    let bad = || {
        BadSelection(format!(
            "--period: \"{p}\" is not a month (2026-02), an ISO week (2026-W07), a day (2026-02-16) or a range (2026-02-01..2026-03-15)"
        ))
    };
    let day = |s: &str| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok();
    if let Some((a, b)) = p.split_once("..") {
        let (a, b) = (day(a).ok_or_else(bad)?, day(b).ok_or_else(bad)?);
        if b < a {
            return Err(BadSelection(format!("--period: \"{p}\" ends before it starts")));
        }
        return Ok((a, b));
    }
    if let Some(d) = day(p) {
        return Ok((d, d));
    }
    if let Some((y, w)) = p.split_once("-W") {
        let (y, w): (i32, u32) = (y.parse().map_err(|_| bad())?, w.parse().map_err(|_| bad())?);
        let monday = NaiveDate::from_isoywd_opt(y, w, Weekday::Mon).ok_or_else(bad)?;
        return Ok((monday, monday + chrono::Days::new(6)));
    }
    let first = NaiveDate::parse_from_str(&format!("{p}-01"), "%Y-%m-%d").map_err(|_| bad())?;
    let next = if first.month() == 12 {
        NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)
    }
    .ok_or_else(bad)?;
    Ok((first, next - chrono::Days::new(1)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn d(y: i32, m: u32, day: u32) -> i32 {
        epoch_day(NaiveDate::from_ymd_opt(y, m, day).expect("date"))
    }

    #[test]
    fn periods_are_calendar_months_iso_weeks_days_and_ranges() {
        let s = |p: &str| Selection::parse(Some(p), None).map(|s| (s.from_day.unwrap(), s.to_day.unwrap()));
        assert_eq!(s("2026-02"), Ok((d(2026, 2, 1), d(2026, 2, 28))));
        assert_eq!(s("2026-12"), Ok((d(2026, 12, 1), d(2026, 12, 31))));
        // ISO week 7 of 2026 runs Monday 9 to Sunday 15 February.
        assert_eq!(s("2026-W07"), Ok((d(2026, 2, 9), d(2026, 2, 15))));
        assert_eq!(s("2026-02-16"), Ok((d(2026, 2, 16), d(2026, 2, 16))));
        assert_eq!(s("2026-02-01..2026-03-15"), Ok((d(2026, 2, 1), d(2026, 3, 15))));
        for bad in ["2026-13", "Feb", "2026-W60", "2026-03-15..2026-02-01", ""] {
            assert!(s(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn filters_name_known_cuts() {
        let s = Selection::parse(None, Some("channel=chat, weekday=Sat")).expect("ok");
        assert_eq!(
            s.filters,
            vec![(Cut::Channel, "chat".into()), (Cut::Weekday, "Sat".into())]
        );
        let e = Selection::parse(None, Some("colour=red")).expect_err("unknown");
        assert!(
            e.0.contains("unknown cut \"colour\"") && e.0.contains("channel, category"),
            "{e}"
        );
        assert!(Selection::parse(None, Some("channel")).is_err());
    }
}
