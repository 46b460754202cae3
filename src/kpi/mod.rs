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

mod load;
mod nps;
mod table;

use std::collections::BTreeMap;

pub use load::load_case;
pub use nps::{NpsTable, compute_nps, nps};
pub use table::{TicketTable, epoch_day};

use crate::metrics::{percentile, wilson};

/// Groups with fewer observations than this are flagged small.
pub const SMALL_N: u64 = 30;

/// A ticket KPI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kpi {
    Tickets,
    Csat,
    CsatResponses,
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
    Nps,
    NpsResponses,
}

impl Kpi {
    /// Every KPI.
    pub const ALL: [Kpi; 16] = [
        Kpi::Tickets,
        Kpi::Csat,
        Kpi::CsatResponses,
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
        Kpi::Nps,
        Kpi::NpsResponses,
    ];

    /// The name users write and JSON carries.
    pub fn name(self) -> &'static str {
        match self {
            Kpi::Tickets => "tickets",
            Kpi::Csat => "csat",
            Kpi::CsatResponses => "csat_responses",
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
            Kpi::Nps => "nps",
            Kpi::NpsResponses => "nps_responses",
        }
    }

    pub fn from_name(name: &str) -> Option<Kpi> {
        Kpi::ALL.into_iter().find(|k| k.name() == name)
    }

    /// What it measures and over which rows, as the data dictionary states it.
    pub fn definition(self) -> &'static str {
        match self {
            Kpi::Tickets => "number of tickets created",
            Kpi::Csat => "share of answered CSAT surveys scoring 4 or 5 (1-3 count as bad)",
            Kpi::CsatResponses => "number of answered CSAT surveys",
            Kpi::FirstReplyP50 => "median of first_reply_minutes, over tickets that got a reply",
            Kpi::FirstReplyP90 => "90th percentile of first_reply_minutes, over tickets that got a reply",
            Kpi::FirstReplyMean => "mean of first_reply_minutes, over tickets that got a reply",
            Kpi::ResolutionP50 => "median of full_resolution_minutes, over solved tickets (open ones are censored)",
            Kpi::ResolutionP90 => "90th percentile of full_resolution_minutes, over solved tickets",
            Kpi::ResolutionMean => "mean of full_resolution_minutes, over solved tickets",
            Kpi::SlaAttainment => {
                "share of tickets with a first reply within their channel's target (no reply by then = breach)"
            }
            Kpi::OneTouch => "share of solved tickets with fewer than 2 agent replies",
            Kpi::EscalationRate => "escalated tickets / tickets handled by an agent",
            Kpi::ReopenRate => "tickets with reopens > 0 / solved tickets",
            Kpi::AbandonmentRate => "abandoned / offered, live channels only",
            Kpi::Nps => "% scores 9-10 minus % scores 0-6, on answered NPS surveys",
            Kpi::NpsResponses => "number of answered NPS surveys",
        }
    }

    /// Whether the KPI is computed from the tickets table (else from nps_responses).
    pub fn on_tickets(self) -> bool {
        !matches!(self, Kpi::Nps | Kpi::NpsResponses)
    }
}

/// One KPI of one group: its value (None when nothing counts), the observations it rests on, a
/// Wilson interval for shares, and whether the group is small.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KpiValue {
    pub value: Option<f64>,
    pub n: u64,
    pub ci95: Option<(f64, f64)>,
    pub small: bool,
}

/// What a group can be cut by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
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
}

impl Cut {
    pub const ALL: [Cut; 10] = [
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
        }
    }

    pub fn from_name(name: &str) -> Option<Cut> {
        Cut::ALL.into_iter().find(|c| c.name() == name)
    }
}

/// One group of a result: its value of each cut, then its KPIs.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub group: Vec<(Cut, String)>,
    pub kpis: BTreeMap<Kpi, KpiValue>,
}

/// The tickets that count: created in `[from_day, to_day]` (days since the Unix epoch, inclusive;
/// None = unbounded) and matching every `(cut, value)` filter.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub from_day: Option<i32>,
    pub to_day: Option<i32>,
    pub filters: Vec<(Cut, String)>,
}

/// The tables of one case the KPIs read.
#[derive(Debug, Clone, Default)]
pub struct Case {
    pub tickets: TicketTable,
    pub nps: NpsTable,
}

/// A KPI that cannot be cut as asked.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{} cannot be cut by {}: NPS answers have a segment and a time, not a {}", kpi.name(), cut.name(), cut.name())]
pub struct NotByCut {
    pub kpi: Kpi,
    pub cut: Cut,
}

impl Case {
    /// `kpis` for each group of the `by` cuts over the selection, ticket and NPS KPIs side by side:
    /// a group that only one table has gets the other's KPIs of nothing (counts 0, values None).
    pub fn compute(&self, by: &[Cut], selection: &Selection, kpis: &[Kpi]) -> Result<Vec<Row>, NotByCut> {
        let want_nps = kpis.iter().any(|k| !k.on_tickets());
        if let Some(&kpi) = kpis.iter().find(|k| !k.on_tickets()) {
            let cuts = by.iter().chain(selection.filters.iter().map(|(c, _)| c));
            if let Some(&cut) = cuts.into_iter().find(|&&c| !NpsTable::supports(c)) {
                return Err(NotByCut { kpi, cut });
            }
        }
        let ticket_kpis: Vec<Kpi> = kpis.iter().copied().filter(|k| k.on_tickets()).collect();
        let key = |r: &Row| -> Vec<String> { r.group.iter().map(|(c, v)| table::sort_key(*c, v.clone())).collect() };
        let mut merged: BTreeMap<Vec<String>, Row> = BTreeMap::new();
        if !ticket_kpis.is_empty() || !want_nps {
            for r in compute(&self.tickets, by, selection, &ticket_kpis) {
                merged.insert(key(&r), r);
            }
        }
        if want_nps {
            for r in compute_nps(&self.nps, by, selection) {
                let nps_kpis = r.kpis.into_iter().filter(|(k, _)| kpis.contains(k));
                let entry = merged.entry(key(&Row {
                    group: r.group.clone(),
                    kpis: BTreeMap::new(),
                }));
                let row = entry.or_insert_with(|| Row {
                    group: r.group.clone(),
                    kpis: ticket_kpis.iter().map(|&k| (k, kpi(&self.tickets, &[], k))).collect(),
                });
                row.kpis.extend(nps_kpis);
            }
            let empty = compute_nps(&NpsTable::default(), &[], &Selection::default());
            for row in merged.values_mut() {
                for (k, v) in &empty[0].kpis {
                    if kpis.contains(k) {
                        row.kpis.entry(*k).or_insert(*v);
                    }
                }
            }
        }
        Ok(merged.into_values().collect())
    }
}

/// The ticket KPIs among `kpis` of `t`'s selected tickets, one row per combination of the `by`
/// cuts present in the data (in the cuts' sort order), or one row for all when `by` is empty.
pub fn compute(t: &TicketTable, by: &[Cut], selection: &Selection, kpis: &[Kpi]) -> Vec<Row> {
    let kpis: Vec<Kpi> = kpis.iter().copied().filter(|k| k.on_tickets()).collect();
    let mut groups: BTreeMap<Vec<String>, Vec<usize>> = BTreeMap::new();
    for i in 0..t.len() {
        let day = t.day(i);
        if selection.from_day.is_some_and(|d| day < d) || selection.to_day.is_some_and(|d| day > d) {
            continue;
        }
        if selection.filters.iter().any(|(c, v)| t.label(*c, i) != *v) {
            continue;
        }
        let key: Vec<String> = by.iter().map(|&c| t.sort_key(c, i)).collect();
        groups.entry(key).or_default().push(i);
    }
    if by.is_empty() && groups.is_empty() {
        groups.insert(Vec::new(), Vec::new());
    }
    groups
        .into_values()
        .map(|rows| Row {
            group: match rows.first() {
                Some(&i) => by.iter().map(|&c| (c, t.label(c, i))).collect(),
                None => Vec::new(),
            },
            kpis: kpis.iter().map(|&k| (k, kpi(t, &rows, k))).collect(),
        })
        .collect()
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
        Kpi::Nps | Kpi::NpsResponses => unreachable!("NPS KPIs are computed from nps_responses"),
    }
}

/// A period or filter a user wrote that cannot be read, with what would be valid.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct BadSelection(pub String);

impl Selection {
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
