//! KPIs over the customers table: churn (customers whose `churned_at` falls in a period / customers
//! active at its start) and contacts per customer (tickets / customer-months). Periods are the
//! stretches of days a selection and its day, week or calendar-month cuts give, so a month is a
//! calendar month here as everywhere a user sees one.
//!
//! A customer is active on day `d` when `signup_date <= d` and `churned_at` is empty or `>= d`
//! (the churn day is their last); active at a period's start when they signed up before it and had
//! not churned before it.

use std::collections::BTreeMap;

use chrono::Datelike;
use polars::prelude::*;

use super::table::{Coded, dates};
use super::{Cut, Kpi, KpiValue, Labels, Row, SMALL_N, Selection, TicketTable, in_order, share, spans};

/// The customers of a case.
#[derive(Debug, Clone, Default)]
pub struct CustomerTable {
    customer_id: Vec<String>,
    segment: Coded,
    signup_day: Vec<i32>,
    churn_day: Vec<Option<i32>>,
}

impl CustomerTable {
    /// The columns of the exported `customers` table the KPIs read, with the types a CSV is read as.
    pub fn columns() -> Vec<(&'static str, DataType)> {
        vec![
            ("customer_id", DataType::String),
            ("segment", DataType::String),
            ("signup_date", DataType::String),
            ("churned_at", DataType::String),
        ]
    }

    /// Reads the exported `customers` frame.
    pub fn from_frame(df: &DataFrame) -> PolarsResult<CustomerTable> {
        Ok(CustomerTable {
            customer_id: df
                .column("customer_id")?
                .cast(&DataType::String)?
                .str()?
                .iter()
                .map(|v| v.unwrap_or("").to_string())
                .collect(),
            segment: Coded::of(df, "segment")?,
            signup_day: dates(df, "signup_date")?
                .into_iter()
                .map(|d| d.ok_or_else(|| polars_err!(ComputeError: "signup_date: an empty date")))
                .collect::<PolarsResult<_>>()?,
            churn_day: dates(df, "churned_at")?,
        })
    }

    pub fn len(&self) -> usize {
        self.signup_day.len()
    }

    pub fn is_empty(&self) -> bool {
        self.signup_day.is_empty()
    }

    pub(super) fn values(&self, cut: Cut) -> Vec<String> {
        match cut {
            Cut::Segment => self.segment.distinct().collect(),
            _ => Vec::new(),
        }
    }

    fn active_during(&self, j: usize, from: i32, to: i32) -> bool {
        self.signup_day[j] <= to && self.churn_day[j].is_none_or(|c| c >= from)
    }

    /// Customers passing the segment filter, with their segment label when `by` has the segment.
    fn selected<'a>(&'a self, by: &'a [Cut], selection: &'a Selection) -> impl Iterator<Item = (usize, Labels)> + 'a {
        (0..self.len()).filter_map(move |j| {
            let seg = self.segment.get(j);
            if selection.filters.iter().any(|(c, v)| *c == Cut::Segment && seg != v) {
                return None;
            }
            let attrs = if by.contains(&Cut::Segment) {
                vec![(Cut::Segment, seg.to_string())]
            } else {
                Vec::new()
            };
            Some((j, attrs))
        })
    }
}

/// Churn rate for each group of the `by` cuts (segment, day, week, month) over `window`.
pub(super) fn churn_rows(c: &CustomerTable, by: &[Cut], selection: &Selection, window: (i32, i32)) -> Vec<Row> {
    let mut out = Vec::new();
    for (times, from, to) in spans(window, by, selection) {
        let mut groups: BTreeMap<Vec<String>, (Labels, u64, u64)> = BTreeMap::new();
        for (j, attrs) in c.selected(by, selection) {
            let active = c.signup_day[j] < from && c.churn_day[j].is_none_or(|d| d >= from);
            if !active {
                continue;
            }
            let g = groups
                .entry(attrs.iter().map(|(_, v)| v.clone()).collect())
                .or_insert_with(|| (attrs.clone(), 0, 0));
            g.1 += u64::from(c.churn_day[j].is_some_and(|d| d <= to));
            g.2 += 1;
        }
        for (attrs, churned, n) in groups.into_values() {
            out.push(Row {
                group: in_order(by, &attrs, &times),
                kpis: [(Kpi::ChurnRate, share(churned, n))].into_iter().collect(),
            });
        }
    }
    out
}

/// The calendar months a span of days touches: (first day, last day) of the span within each, and
/// the share of the month's days that is.
fn months_of(from: i32, to: i32) -> Vec<(i32, i32, f64)> {
    let mut out = Vec::new();
    let mut day = from;
    while day <= to {
        let date = super::table::date_of(day);
        let first = super::epoch_day(date.with_day(1).unwrap_or(date));
        let next = super::epoch_day(date.with_day(1).unwrap_or(date) + chrono::Months::new(1));
        let end = to.min(next - 1);
        out.push((day, end, f64::from(end - day + 1) / f64::from(next - first)));
        day = end + 1;
    }
    out
}

/// Contacts per customer-month for each group of the `by` cuts over `window`.
pub(super) fn contact_rows(
    c: &CustomerTable,
    t: &TicketTable,
    by: &[Cut],
    selection: &Selection,
    window: (i32, i32),
) -> Vec<Row> {
    let attr_by: Vec<Cut> = by.iter().copied().filter(|c| !c.is_time()).collect();
    let spans = spans(window, by, selection);
    // Customers selected, with their segment's code when segment is cut (else 0).
    let by_segment = by.contains(&Cut::Segment);
    let customers: Vec<(usize, usize)> = c
        .selected(&[], selection)
        .map(|(j, _)| (j, if by_segment { c.segment.code(j) as usize } else { 0 }))
        .collect();
    let codes = if by_segment { c.segment.distinct_len() } else { 1 };
    let mut span_of = vec![usize::MAX; (window.1 - window.0 + 1) as usize];
    // Customer-months of each span, by segment code.
    let mut exposure: Vec<Vec<f64>> = Vec::new();
    for (s, (_, from, to)) in spans.iter().enumerate() {
        span_of[(from - window.0) as usize..=(to - window.0) as usize].fill(s);
        let months = months_of(*from, *to);
        // Whole counts per month first, so the result does not depend on summation order.
        let mut e = vec![0.0; codes];
        for (a, b, w) in &months {
            let mut active = vec![0u64; codes];
            for &(j, code) in &customers {
                active[code] += u64::from(c.active_during(j, *a, *b));
            }
            for (x, n) in e.iter_mut().zip(active) {
                *x += n as f64 * w;
            }
        }
        exposure.push(e);
    }
    let attr_filters = selection.attribute_filters();
    let span = |i: usize| {
        let day = t.day(i);
        (day >= window.0 && day <= window.1)
            .then(|| span_of[(day - window.0) as usize])
            .filter(|&s| s != usize::MAX)
    };
    let mut groups: BTreeMap<(usize, usize), (Labels, String, u64)> = BTreeMap::new();
    for (g, (attrs, rows)) in super::group_tickets(t, &attr_by, &attr_filters, |i| span(i).is_some())
        .into_iter()
        .enumerate()
    {
        let seg = attrs
            .iter()
            .find(|(c, _)| *c == Cut::Segment)
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        for i in rows {
            if let Some(s) = span(i) {
                groups
                    .entry((s, g))
                    .or_insert_with(|| (attrs.clone(), seg.clone(), 0))
                    .2 += 1;
            }
        }
    }
    groups
        .into_iter()
        .map(|((s, _), (attrs, seg, tickets))| {
            let months = if by_segment {
                c.segment.code_of(&seg).map_or(0.0, |k| exposure[s][k as usize])
            } else {
                exposure[s][0]
            };
            Row {
                group: in_order(by, &attrs, &spans[s].0),
                kpis: [(
                    Kpi::ContactsPerCustomer,
                    KpiValue {
                        value: (months > 0.0).then(|| tickets as f64 / months),
                        n: tickets,
                        ci95: None,
                        small: tickets < SMALL_N,
                    },
                )]
                .into_iter()
                .collect(),
            }
        })
        .collect()
}

/// What support was like for a customer over a stretch of days, from its tickets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Experience {
    NoTicket,
    /// Tickets, none with visible effort.
    Effortless,
    /// At least one ticket reopened, escalated, abandoned or needing three or more agent replies.
    Effortful,
}

impl Experience {
    pub const ALL: [Experience; 3] = [Experience::NoTicket, Experience::Effortless, Experience::Effortful];

    pub fn label(self) -> &'static str {
        match self {
            Experience::NoTicket => "no ticket",
            Experience::Effortless => "tickets, none effortful",
            Experience::Effortful => "an effortful ticket",
        }
    }
}

/// Whether ticket `i` shows effort in the data: reopened, escalated, abandoned, or three or more
/// agent replies.
fn effortful(t: &TicketTable, i: usize) -> bool {
    t.reopens[i] > 0 || t.escalated[i] || t.abandoned[i] || t.agent_replies[i] >= 3
}

/// Churn by support experience over `window`, as a cohort: the customers active at its midpoint,
/// grouped by their tickets in its first half, and the share of them who churn in its second half.
/// Classifying by contacts over the same days the churn is counted would favour customers who
/// churned early (they had less time to write in).
pub(super) fn churn_by_experience(
    c: &CustomerTable,
    t: &TicketTable,
    selection: &Selection,
    window: (i32, i32),
) -> Vec<(Experience, KpiValue)> {
    let (from, to) = window;
    let mid = from + (to - from + 1) / 2;
    let index: std::collections::HashMap<&str, usize> = c
        .customer_id
        .iter()
        .enumerate()
        .map(|(j, id)| (id.as_str(), j))
        .collect();
    let mut seen: Vec<Option<Experience>> = vec![None; c.len()];
    for i in 0..t.len() {
        let day = t.day(i);
        if day < from || day >= mid {
            continue;
        }
        if let Some(&j) = index.get(t.customer.get(i)) {
            let e = if effortful(t, i) {
                Experience::Effortful
            } else {
                Experience::Effortless
            };
            seen[j] = seen[j].max(Some(e));
        }
    }
    let mut tally = [(0u64, 0u64); 3];
    for (j, _) in c.selected(&[], selection) {
        let active = c.signup_day[j] < mid && c.churn_day[j].is_none_or(|d| d >= mid);
        if !active {
            continue;
        }
        let e = seen[j].unwrap_or(Experience::NoTicket) as usize;
        tally[e].0 += u64::from(c.churn_day[j].is_some_and(|d| d <= to));
        tally[e].1 += 1;
    }
    Experience::ALL
        .into_iter()
        .zip(tally)
        .map(|(e, (hits, n))| (e, share(hits, n)))
        .collect()
}
