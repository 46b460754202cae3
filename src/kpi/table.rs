//! The tickets table in the columns the KPIs read, taken from a polars frame of the exported
//! `tickets` table (from a file, or built in memory by the code that writes the files). Text
//! columns become dictionary codes; timestamps become local milliseconds since the Unix epoch.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime};
use polars::prelude::*;

use super::{Cut, Labels};
use crate::config::PRIORITIES;

/// A text column as codes into its distinct values.
#[derive(Debug, Clone, Default)]
pub(super) struct Coded {
    codes: Vec<u32>,
    values: Vec<String>,
}

impl Coded {
    pub(super) fn of(df: &DataFrame, name: &str) -> PolarsResult<Coded> {
        let col = df.column(name)?.cast(&DataType::String)?;
        let mut out = Coded::default();
        let mut index: std::collections::HashMap<String, u32> = std::collections::HashMap::new();
        for v in col.str()?.iter() {
            let v = v.unwrap_or("");
            let code = match index.get(v) {
                Some(&c) => c,
                None => {
                    out.values.push(v.to_string());
                    index.insert(v.to_string(), out.values.len() as u32 - 1);
                    out.values.len() as u32 - 1
                }
            };
            out.codes.push(code);
        }
        Ok(out)
    }

    pub(super) fn get(&self, i: usize) -> &str {
        &self.values[self.codes[i] as usize]
    }

    /// The code of row `i`.
    pub(super) fn code(&self, i: usize) -> u32 {
        self.codes[i]
    }

    /// The code of a value, None when no row has it.
    pub(super) fn code_of(&self, value: &str) -> Option<u32> {
        self.values.iter().position(|v| v == value).map(|p| p as u32)
    }

    /// How many codes there are.
    pub(super) fn distinct_len(&self) -> usize {
        self.values.len()
    }

    /// The distinct non-empty values.
    pub(super) fn distinct(&self) -> impl Iterator<Item = String> + '_ {
        self.values.iter().filter(|v| !v.is_empty()).cloned()
    }
}

/// The tickets of a case, column by column.
#[derive(Debug, Clone, Default)]
pub struct TicketTable {
    /// `ticket_id` of each row.
    ticket_id: Vec<u32>,
    /// `created_at` as local milliseconds since the Unix epoch.
    pub(super) created_ms: Vec<i64>,
    /// `solved_at`, the final solve (None while open or abandoned).
    pub(super) solved_ms: Vec<Option<i64>>,
    channel: Coded,
    category: Coded,
    segment: Coded,
    priority: Coded,
    team: Coded,
    /// `assignee_id` (empty when nobody worked the ticket).
    assignee: Coded,
    /// `customer_id`.
    pub(super) customer: Coded,
    pub(super) first_reply_minutes: Vec<Option<f64>>,
    pub(super) resolution_minutes: Vec<Option<f64>>,
    pub(super) solved: Vec<bool>,
    pub(super) abandoned: Vec<bool>,
    /// Worked by an agent: a reply or an assignee.
    pub(super) handled: Vec<bool>,
    /// On a live channel (from the scenario, not guessed from the data).
    pub(super) live: Vec<bool>,
    pub(super) agent_replies: Vec<u32>,
    pub(super) reopens: Vec<u32>,
    pub(super) escalated: Vec<bool>,
    pub(super) sla_breached: Vec<Option<bool>>,
    pub(super) csat_score: Vec<Option<u32>>,
    /// Sent a CSAT survey (a `survey_sent` event in the log).
    pub(super) surveyed: Vec<bool>,
}

fn f64s(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<f64>>> {
    Ok(df.column(name)?.cast(&DataType::Float64)?.f64()?.iter().collect())
}

pub(super) fn u32s(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<u32>>> {
    Ok(df.column(name)?.cast(&DataType::UInt32)?.u32()?.iter().collect())
}

fn bools(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<bool>>> {
    Ok(df.column(name)?.cast(&DataType::Boolean)?.bool()?.iter().collect())
}

/// A timestamp column as local milliseconds (None where empty): a datetime column, or text
/// `YYYY-MM-DDTHH:MM:SS` (CSV).
pub(super) fn timestamps_ms(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<i64>>> {
    let col = df.column(name)?;
    if matches!(col.dtype(), DataType::Datetime(..)) {
        let ms = col
            .cast(&DataType::Datetime(TimeUnit::Milliseconds, None))?
            .cast(&DataType::Int64)?;
        return Ok(ms.i64()?.iter().collect());
    }
    col.cast(&DataType::String)?
        .str()?
        .iter()
        .map(|v| match v {
            None | Some("") => Ok(None),
            Some(text) => NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S")
                .map(|t| Some(t.and_utc().timestamp_millis()))
                .map_err(|_| polars_err!(ComputeError: "{name}: not a timestamp YYYY-MM-DDTHH:MM:SS, got \"{text}\"")),
        })
        .collect()
}

/// The label of a time cut (day, ISO week, calendar month, weekday, hour) of local milliseconds.
pub(super) fn time_label(ms: i64, cut: Cut) -> String {
    let t = DateTime::from_timestamp_millis(ms)
        .map(|t| t.naive_utc())
        .unwrap_or_default();
    match cut {
        Cut::Week => {
            let w = t.date().iso_week();
            format!("{}-W{:02}", w.year(), w.week())
        }
        Cut::Month => t.date().format("%Y-%m").to_string(),
        Cut::Weekday => crate::config::WEEKDAYS[t.weekday().num_days_from_monday() as usize].to_string(),
        Cut::Hour => t.time().format("%H").to_string(),
        _ => t.date().format("%Y-%m-%d").to_string(),
    }
}

/// A key that sorts a cut's labels naturally: priorities most urgent first, weekdays from Monday.
pub(super) fn sort_key(cut: Cut, label: String) -> String {
    match cut {
        Cut::Priority => {
            let rank = PRIORITIES.iter().position(|p| *p == label).unwrap_or(PRIORITIES.len());
            format!("{rank}{label}")
        }
        Cut::Weekday => {
            let rank = crate::config::WEEKDAYS.iter().position(|d| *d == label).unwrap_or(7);
            format!("{rank}{label}")
        }
        _ => label,
    }
}

impl TicketTable {
    /// The columns of the exported `tickets` table the KPIs read, with the types a CSV is read as
    /// (timestamps as text, parsed here).
    pub fn columns() -> Vec<(&'static str, DataType)> {
        use DataType::*;
        vec![
            ("ticket_id", UInt32),
            ("created_at", String),
            ("channel", String),
            ("category", String),
            ("priority", String),
            ("segment", String),
            ("team", String),
            ("assignee_id", String),
            ("customer_id", String),
            ("status", String),
            ("first_reply_minutes", Float64),
            ("solved_at", String),
            ("full_resolution_minutes", Float64),
            ("agent_replies", UInt32),
            ("reopens", UInt32),
            ("escalated", Boolean),
            ("first_reply_sla_breached", Boolean),
            ("csat_score", UInt32),
        ]
    }

    /// Reads the exported `tickets` frame; `live_channels` names the scenario's live channels.
    pub fn from_frame(df: &DataFrame, live_channels: &[&str]) -> PolarsResult<TicketTable> {
        let status = Coded::of(df, "status")?;
        let channel = Coded::of(df, "channel")?;
        let assignee = df.column("assignee_id")?.cast(&DataType::String)?;
        let agent_replies: Vec<u32> = u32s(df, "agent_replies")?
            .into_iter()
            .map(Option::unwrap_or_default)
            .collect();
        let n = df.height();
        let ticket_id: Vec<u32> = u32s(df, "ticket_id")?
            .into_iter()
            .map(|v| v.ok_or_else(|| polars_err!(ComputeError: "ticket_id: an empty id")))
            .collect::<PolarsResult<_>>()?;
        Ok(TicketTable {
            surveyed: vec![false; n],
            solved_ms: timestamps_ms(df, "solved_at")?,
            ticket_id,
            created_ms: timestamps_ms(df, "created_at")?
                .into_iter()
                .map(|v| v.ok_or_else(|| polars_err!(ComputeError: "created_at: an empty timestamp")))
                .collect::<PolarsResult<Vec<i64>>>()?,
            live: (0..n).map(|i| live_channels.contains(&channel.get(i))).collect(),
            category: Coded::of(df, "category")?,
            segment: Coded::of(df, "segment")?,
            priority: Coded::of(df, "priority")?,
            team: Coded::of(df, "team")?,
            assignee: Coded::of(df, "assignee_id")?,
            customer: Coded::of(df, "customer_id")?,
            first_reply_minutes: f64s(df, "first_reply_minutes")?,
            resolution_minutes: f64s(df, "full_resolution_minutes")?,
            solved: (0..n).map(|i| status.get(i) == "solved").collect(),
            abandoned: (0..n).map(|i| status.get(i) == "abandoned").collect(),
            handled: assignee
                .str()?
                .iter()
                .zip(&agent_replies)
                .map(|(a, &r)| r > 0 || a.is_some_and(|a| !a.is_empty()))
                .collect(),
            agent_replies,
            reopens: u32s(df, "reopens")?
                .into_iter()
                .map(Option::unwrap_or_default)
                .collect(),
            escalated: bools(df, "escalated")?
                .into_iter()
                .map(Option::unwrap_or_default)
                .collect(),
            sla_breached: bools(df, "first_reply_sla_breached")?,
            csat_score: u32s(df, "csat_score")?,
            channel,
        })
    }

    pub fn len(&self) -> usize {
        self.created_ms.len()
    }

    /// Marks the tickets sent a CSAT survey, by ticket id (from the `survey_sent` events of the log).
    /// Ids not in the table are ignored.
    pub fn mark_surveyed(&mut self, ids: impl IntoIterator<Item = u32>) {
        let max = self.ticket_id.iter().copied().max().map_or(0, |m| m as usize + 1);
        let mut row = vec![u32::MAX; max];
        for (i, &id) in self.ticket_id.iter().enumerate() {
            row[id as usize] = i as u32;
        }
        for id in ids {
            if let Some(&i) = row.get(id as usize).filter(|&&i| i != u32::MAX) {
                self.surveyed[i as usize] = true;
            }
        }
    }

    /// Whether the ticket counts in the backlog: created and not abandoned.
    pub(super) fn backlog_days(&self, i: usize) -> Option<(i32, Option<i32>)> {
        (!self.abandoned[i]).then(|| {
            (
                self.day(i),
                self.solved_ms[i].map(|ms| ms.div_euclid(86_400_000) as i32),
            )
        })
    }

    pub fn is_empty(&self) -> bool {
        self.created_ms.is_empty()
    }

    /// Day of creation, days since the Unix epoch (local calendar).
    pub fn day(&self, i: usize) -> i32 {
        self.created_ms[i].div_euclid(86_400_000) as i32
    }

    /// The ticket's value of `cut`, as users write it: `chat`, `2026-02-16`, `2026-W08`, `2026-02`,
    /// `Mon`, `09`.
    pub fn label(&self, cut: Cut, i: usize) -> String {
        match cut {
            Cut::Channel => self.channel.get(i).to_string(),
            Cut::Category => self.category.get(i).to_string(),
            Cut::Segment => self.segment.get(i).to_string(),
            Cut::Priority => self.priority.get(i).to_string(),
            Cut::Team => self.team.get(i).to_string(),
            Cut::Agent => self.assignee.get(i).to_string(),
            _ => time_label(self.created_ms[i], cut),
        }
    }

    /// The distinct values of an attribute cut (none for a time cut).
    pub fn values(&self, cut: Cut) -> Vec<String> {
        match cut {
            Cut::Channel => self.channel.distinct().collect(),
            Cut::Category => self.category.distinct().collect(),
            Cut::Segment => self.segment.distinct().collect(),
            Cut::Priority => self.priority.distinct().collect(),
            Cut::Team => self.team.distinct().collect(),
            Cut::Agent => self.assignee.distinct().collect(),
            _ => Vec::new(),
        }
    }

    /// A key that sorts groups naturally: priorities most urgent first, weekdays from Monday.
    pub fn sort_key(&self, cut: Cut, i: usize) -> String {
        sort_key(cut, self.label(cut, i))
    }

    /// The first and last creation day (days since the Unix epoch), None when empty.
    pub fn days(&self) -> Option<(i32, i32)> {
        let (lo, hi) = (0..self.len()).fold((i32::MAX, i32::MIN), |(l, h), i| {
            (l.min(self.day(i)), h.max(self.day(i)))
        });
        (!self.is_empty()).then_some((lo, hi))
    }
}

/// Days since the Unix epoch of `date`.
pub fn epoch_day(date: NaiveDate) -> i32 {
    (date - NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default()).num_days() as i32
}

/// A date column as days since the Unix epoch (None where empty): a date column, or text
/// `YYYY-MM-DD` (CSV).
pub(super) fn dates(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<i32>>> {
    let col = df.column(name)?;
    if matches!(col.dtype(), DataType::Date) {
        return Ok(col.cast(&DataType::Int32)?.i32()?.iter().collect());
    }
    col.cast(&DataType::String)?
        .str()?
        .iter()
        .map(|v| match v {
            None | Some("") => Ok(None),
            Some(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .map(|d| Some(epoch_day(d)))
                .map_err(|_| polars_err!(ComputeError: "{name}: not a date YYYY-MM-DD, got \"{text}\"")),
        })
        .collect()
}

/// Local milliseconds since the Unix epoch of the start of `day` (days since the epoch).
pub(super) fn day_ms(day: i32) -> i64 {
    i64::from(day) * 86_400_000
}

/// The date of `day` (days since the Unix epoch).
pub fn date_of(day: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default() + chrono::TimeDelta::days(i64::from(day))
}

/// One cut's value of every ticket as a code, and the label of each code.
#[derive(Debug, Clone)]
pub(super) struct CutCodes {
    pub cut: Cut,
    codes: Vec<u32>,
    labels: Vec<String>,
}

impl CutCodes {
    fn code_of(&self, label: &str) -> Option<u32> {
        self.labels.iter().position(|l| l == label).map(|p| p as u32)
    }
}

impl TicketTable {
    /// The codes of `cut` for every ticket (time cuts of the creation time, computed once per day).
    pub(super) fn codes(&self, cut: Cut) -> CutCodes {
        let coded = |c: &Coded| CutCodes {
            cut,
            codes: c.codes.clone(),
            labels: c.values.clone(),
        };
        match cut {
            Cut::Channel => coded(&self.channel),
            Cut::Category => coded(&self.category),
            Cut::Segment => coded(&self.segment),
            Cut::Priority => coded(&self.priority),
            Cut::Team => coded(&self.team),
            Cut::Agent => coded(&self.assignee),
            Cut::Hour => CutCodes {
                cut,
                codes: self
                    .created_ms
                    .iter()
                    .map(|ms| (ms.rem_euclid(86_400_000) / 3_600_000) as u32)
                    .collect(),
                labels: (0..24).map(|h| format!("{h:02}")).collect(),
            },
            _ => {
                let first = self.days().map_or(0, |d| d.0);
                let mut per_day: Vec<u32> = Vec::new();
                let mut labels: Vec<String> = Vec::new();
                let mut index: std::collections::HashMap<String, u32> = std::collections::HashMap::new();
                let codes = (0..self.len())
                    .map(|i| {
                        let d = (self.day(i) - first) as usize;
                        if d >= per_day.len() {
                            per_day.resize(d + 1, u32::MAX);
                        }
                        if per_day[d] == u32::MAX {
                            let label = time_label(day_ms(self.day(i)), cut);
                            let next = labels.len() as u32;
                            per_day[d] = *index.entry(label.clone()).or_insert_with(|| {
                                labels.push(label);
                                next
                            });
                        }
                        per_day[d]
                    })
                    .collect();
                CutCodes { cut, codes, labels }
            }
        }
    }
}

/// Groups tickets by some cuts after filters, on codes rather than labels (fast on a million rows).
pub(super) struct Grouper {
    by: Vec<CutCodes>,
    /// (codes of the filtered cut, the code to keep: None when no ticket has the value).
    filters: Vec<(CutCodes, Option<u32>)>,
}

impl Grouper {
    pub(super) fn new(t: &TicketTable, by: &[Cut], filters: &[(Cut, String)]) -> Grouper {
        Grouper {
            by: by.iter().map(|&c| t.codes(c)).collect(),
            filters: filters
                .iter()
                .map(|(c, v)| {
                    let codes = t.codes(*c);
                    let keep = codes.code_of(v);
                    (codes, keep)
                })
                .collect(),
        }
    }

    /// Whether ticket `i` passes every filter.
    pub(super) fn passes(&self, i: usize) -> bool {
        self.filters.iter().all(|(c, keep)| Some(c.codes[i]) == *keep)
    }

    /// Writes ticket `i`'s group key into `key`.
    pub(super) fn key(&self, i: usize, key: &mut Vec<u32>) {
        key.clear();
        key.extend(self.by.iter().map(|c| c.codes[i]));
    }

    /// The labels of a group key.
    pub(super) fn labels(&self, key: &[u32]) -> Labels {
        self.by
            .iter()
            .zip(key)
            .map(|(c, &k)| (c.cut, c.labels[k as usize].clone()))
            .collect()
    }
}
