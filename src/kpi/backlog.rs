//! The backlog: open tickets at the end of each day. A ticket is open at the end of every day from
//! its creation day up to the day before its final solve (or to the end of the history when it is
//! still open); abandoned tickets never wait in the backlog. Over several days a group's backlog is
//! the mean of its daily counts, so a week's backlog reads as "tickets open at a typical day's end".

use std::collections::BTreeMap;

use super::{Cut, Kpi, KpiValue, Labels, Row, Selection, TicketTable, in_order, spans};

/// Backlog rows of the `by` cuts over the days of `window`; `history` bounds the days counted.
pub(super) fn rows(
    t: &TicketTable,
    by: &[Cut],
    selection: &Selection,
    window: (i32, i32),
    history: (i32, i32),
) -> Vec<Row> {
    let attr_by: Vec<Cut> = by.iter().copied().filter(|c| !c.is_time()).collect();
    let days = (history.1 - history.0 + 2) as usize;
    // Per attribute group: +1 on the first open day, -1 on the first day no longer open.
    let attr_filters = selection.attribute_filters();
    // In the groups' natural order (group_tickets sorts them).
    let mut diffs: Vec<(Labels, Vec<i64>)> = Vec::new();
    for (attrs, rows) in super::group_tickets(t, &attr_by, &attr_filters, |i| t.backlog_days(i).is_some()) {
        let mut diff = vec![0; days];
        for i in rows {
            let Some((created, solved)) = t.backlog_days(i) else {
                continue;
            };
            let from = created.max(history.0);
            let until = solved.unwrap_or(history.1 + 1).min(history.1 + 1);
            if from < until {
                diff[(from - history.0) as usize] += 1;
                diff[(until - history.0) as usize] -= 1;
            }
        }
        diffs.push((attrs, diff));
    }
    if attr_by.is_empty() && diffs.is_empty() {
        diffs.push((Vec::new(), vec![0; days]));
    }
    let spans = spans(window, by, selection);
    let mut out = Vec::new();
    for (attrs, diff) in diffs {
        let mut open = Vec::with_capacity(days);
        let mut running = 0i64;
        for d in &diff {
            running += d;
            open.push(running);
        }
        // Spans sharing labels (weekdays) pool their days.
        let mut groups: BTreeMap<Vec<String>, (Labels, i64, u64)> = BTreeMap::new();
        for (times, from, to) in &spans {
            let key: Vec<String> = times
                .iter()
                .map(|(c, v)| super::table::sort_key(*c, v.clone()))
                .collect();
            let g = groups.entry(key).or_insert_with(|| (times.clone(), 0, 0));
            for day in *from..=*to {
                g.1 += open[(day - history.0) as usize];
                g.2 += 1;
            }
        }
        for (times, sum, n) in groups.into_values() {
            out.push(Row {
                group: in_order(by, &attrs, &times),
                kpis: [(
                    Kpi::Backlog,
                    KpiValue {
                        value: Some(sum as f64 / n as f64),
                        n,
                        ci95: None,
                        small: false,
                    },
                )]
                .into_iter()
                .collect(),
            });
        }
    }
    out
}
