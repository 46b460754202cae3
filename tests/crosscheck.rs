//! A second, deliberately plain implementation of every KPI, reading a generated case's CSV files
//! row by row with the `csv` crate (no polars, no engine code), checked against the metrics engine
//! for the three built-in scenarios: over the whole case, by channel, by ISO week, by segment x
//! priority and on Saturdays. Counts must agree exactly, values to 1e-9. When a definition in the
//! engine drifts from design.md's words, this test fails.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use supportsim::kpi::{Case, Cut, Kpi, KpiValue, Selection, load_case};

/// A CSV file as rows of column name -> text.
fn read(path: &Path) -> Vec<BTreeMap<String, String>> {
    let mut r = csv::Reader::from_path(path).expect("csv");
    let headers: Vec<String> = r.headers().expect("headers").iter().map(String::from).collect();
    r.records()
        .map(|rec| {
            let rec = rec.expect("record");
            headers.iter().cloned().zip(rec.iter().map(String::from)).collect()
        })
        .collect()
}

fn time(s: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S").ok()
}

fn date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// The label of a time cut, written out by hand.
fn time_label(t: NaiveDateTime, cut: Cut) -> String {
    match cut {
        Cut::Day => t.format("%Y-%m-%d").to_string(),
        Cut::Week => format!("{}-W{:02}", t.iso_week().year(), t.iso_week().week()),
        Cut::Month => t.format("%Y-%m").to_string(),
        Cut::Weekday => {
            ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][t.weekday().num_days_from_monday() as usize].into()
        }
        Cut::Hour => t.format("%H").to_string(),
        _ => unreachable!("not a time cut"),
    }
}

fn midnight(d: NaiveDate) -> NaiveDateTime {
    d.and_hms_opt(0, 0, 0).expect("midnight")
}

/// A ticket row with its times parsed once.
struct Ticket {
    row: BTreeMap<String, String>,
    created: NaiveDateTime,
    solved: Option<NaiveDateTime>,
}

impl std::ops::Index<&str> for Ticket {
    type Output = String;
    fn index(&self, col: &str) -> &String {
        &self.row[col]
    }
}

/// A ticket's label of a cut (time cuts of created_at).
fn label(t: &Ticket, cut: Cut) -> String {
    if cut.is_time() {
        time_label(t.created, cut)
    } else {
        t.row[cut.name()].clone()
    }
}

/// Linear interpolation between closest ranks (PERCENTILE.INC), by hand.
fn percentile(mut v: Vec<f64>, p: f64) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(|a, b| a.partial_cmp(b).expect("number"));
    let rank = p * (v.len() - 1) as f64;
    let (lo, hi) = (rank.floor() as usize, rank.ceil() as usize);
    Some(v[lo] + (v[hi] - v[lo]) * (rank - lo as f64))
}

fn ratio(hits: usize, n: usize) -> (Option<f64>, u64) {
    ((n > 0).then(|| hits as f64 / n as f64), n as u64)
}

/// Every KPI by hand for one group: (value, n) per KPI it supports.
struct Plain {
    tickets: Vec<Ticket>,
    surveyed: std::collections::HashSet<String>,
    nps: Vec<BTreeMap<String, String>>,
    customers: Vec<BTreeMap<String, String>>,
    schedule: Vec<BTreeMap<String, String>>,
    live: Vec<String>,
    hourly: BTreeMap<String, f64>,
    first: NaiveDate,
    last: NaiveDate,
}

type Group = Vec<(Cut, String)>;

impl Plain {
    fn load(dir: &Path) -> Plain {
        let data = dir.join("candidate/data");
        let manifest: toml::Value =
            toml::from_str(&std::fs::read_to_string(dir.join("case.toml")).expect("manifest")).expect("toml");
        let scenario = &manifest["scenario"];
        let live = scenario["channels"]
            .as_array()
            .expect("channels")
            .iter()
            .filter(|c| c.get("kind").and_then(|v| v.as_str()) == Some("live"))
            .map(|c| c["name"].as_str().expect("name").to_string())
            .collect();
        let hourly = scenario["teams"]
            .as_array()
            .expect("teams")
            .iter()
            .map(|t| {
                (
                    t["name"].as_str().expect("name").to_string(),
                    t["hourly_cost_usd"].as_float().expect("cost"),
                )
            })
            .collect();
        let first = date(scenario["case"]["start_date"].as_str().expect("start_date")).expect("start_date");
        let days = scenario["case"]["history_days"].as_integer().expect("history_days");
        let surveyed = read(&data.join("ticket_events.csv"))
            .into_iter()
            .filter(|e| e["event"] == "survey_sent")
            .map(|e| e["ticket_id"].clone())
            .collect();
        Plain {
            tickets: read(&data.join("tickets.csv"))
                .into_iter()
                .map(|row| Ticket {
                    created: time(&row["created_at"]).expect("created_at"),
                    solved: time(&row["solved_at"]),
                    row,
                })
                .collect(),
            surveyed,
            nps: read(&data.join("nps_responses.csv")),
            customers: read(&data.join("customers.csv")),
            schedule: read(&data.join("schedule.csv")),
            live,
            hourly,
            first,
            last: first + chrono::Days::new(days as u64 - 1),
        }
    }

    fn days(&self) -> Vec<NaiveDate> {
        self.first.iter_days().take_while(|d| *d <= self.last).collect()
    }

    /// Ticket KPIs of the tickets in `group` after `filters`.
    fn ticket_kpis(&self, group: &Group, filters: &Group) -> BTreeMap<Kpi, (Option<f64>, u64)> {
        let rows: Vec<_> = self
            .tickets
            .iter()
            .filter(|r| group.iter().chain(filters).all(|(c, v)| label(r, *c) == *v))
            .collect();
        let num = |r: &Ticket, col: &str| r[col].parse::<f64>().ok();
        let solved: Vec<_> = rows.iter().filter(|r| r["status"] == "solved").collect();
        let answered: Vec<_> = rows.iter().filter(|r| !r["csat_score"].is_empty()).collect();
        let fr: Vec<f64> = rows.iter().filter_map(|r| num(r, "first_reply_minutes")).collect();
        let res: Vec<f64> = solved
            .iter()
            .filter_map(|r| num(r, "full_resolution_minutes"))
            .collect();
        let mean = |v: &[f64]| {
            (
                (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64),
                v.len() as u64,
            )
        };
        let known: Vec<_> = rows
            .iter()
            .filter(|r| !r["first_reply_sla_breached"].is_empty())
            .collect();
        let handled: Vec<_> = rows
            .iter()
            .filter(|r| r["agent_replies"] != "0" || !r["assignee_id"].is_empty())
            .collect();
        let live: Vec<_> = rows.iter().filter(|r| self.live.contains(&r["channel"])).collect();
        let surveyed: Vec<_> = rows
            .iter()
            .filter(|r| self.surveyed.contains(&r["ticket_id"]))
            .collect();
        let t = |s: &str| s == "true";
        BTreeMap::from([
            (Kpi::Tickets, (Some(rows.len() as f64), rows.len() as u64)),
            (
                Kpi::Csat,
                ratio(
                    answered
                        .iter()
                        .filter(|r| r["csat_score"] == "4" || r["csat_score"] == "5")
                        .count(),
                    answered.len(),
                ),
            ),
            (Kpi::CsatResponses, (Some(answered.len() as f64), answered.len() as u64)),
            (
                Kpi::CsatResponseRate,
                ratio(
                    surveyed.iter().filter(|r| !r["csat_score"].is_empty()).count(),
                    surveyed.len(),
                ),
            ),
            (Kpi::FirstReplyP50, (percentile(fr.clone(), 0.5), fr.len() as u64)),
            (Kpi::FirstReplyP90, (percentile(fr.clone(), 0.9), fr.len() as u64)),
            (Kpi::FirstReplyMean, mean(&fr)),
            (Kpi::ResolutionP50, (percentile(res.clone(), 0.5), res.len() as u64)),
            (Kpi::ResolutionP90, (percentile(res.clone(), 0.9), res.len() as u64)),
            (Kpi::ResolutionMean, mean(&res)),
            (
                Kpi::SlaAttainment,
                ratio(
                    known
                        .iter()
                        .filter(|r| r["first_reply_sla_breached"] == "false")
                        .count(),
                    known.len(),
                ),
            ),
            (
                Kpi::OneTouch,
                ratio(
                    solved
                        .iter()
                        .filter(|r| r["agent_replies"].parse::<u32>().expect("replies") < 2)
                        .count(),
                    solved.len(),
                ),
            ),
            (
                Kpi::EscalationRate,
                ratio(handled.iter().filter(|r| t(&r["escalated"])).count(), handled.len()),
            ),
            (
                Kpi::ReopenRate,
                ratio(solved.iter().filter(|r| r["reopens"] != "0").count(), solved.len()),
            ),
            (
                Kpi::AbandonmentRate,
                ratio(live.iter().filter(|r| r["status"] == "abandoned").count(), live.len()),
            ),
        ])
    }

    /// NPS of the answers in `group` (segment, answer time) after `filters`.
    fn nps(&self, group: &Group, filters: &Group) -> BTreeMap<Kpi, (Option<f64>, u64)> {
        let scores: Vec<u32> = self
            .nps
            .iter()
            .filter(|r| !r["score"].is_empty() && !r["responded_at"].is_empty())
            .filter(|r| {
                group.iter().chain(filters).all(|(c, v)| {
                    if c.is_time() {
                        time_label(time(&r["responded_at"]).expect("responded_at"), *c) == *v
                    } else {
                        r[c.name()] == *v
                    }
                })
            })
            .map(|r| r["score"].parse().expect("score"))
            .collect();
        let n = scores.len();
        let p = scores.iter().filter(|&&s| s >= 9).count() as f64;
        let d = scores.iter().filter(|&&s| s <= 6).count() as f64;
        BTreeMap::from([
            (Kpi::Nps, ((n > 0).then(|| 100.0 * (p - d) / n as f64), n as u64)),
            (Kpi::NpsResponses, (Some(n as f64), n as u64)),
        ])
    }

    /// The history's days in the group's and filters' time labels.
    fn days_of(&self, group: &Group, filters: &Group) -> Vec<NaiveDate> {
        self.days()
            .into_iter()
            .filter(|d| {
                group
                    .iter()
                    .chain(filters)
                    .filter(|(c, _)| c.is_time())
                    .all(|(c, v)| time_label(midnight(*d), *c) == *v)
            })
            .collect()
    }

    fn attrs_match(r: &BTreeMap<String, String>, group: &Group, filters: &Group) -> bool {
        group
            .iter()
            .chain(filters)
            .filter(|(c, _)| !c.is_time())
            .all(|(c, v)| r[c.name()] == *v)
    }

    /// Mean over the group's days of the tickets open at each day's end.
    fn backlog(&self, group: &Group, filters: &Group) -> (Option<f64>, u64) {
        let days = self.days_of(group, filters);
        let mut total = 0usize;
        let rows: Vec<_> = self
            .tickets
            .iter()
            .filter(|r| r["status"] != "abandoned" && Plain::attrs_match(&r.row, group, filters))
            .collect();
        for d in &days {
            let end = midnight(*d + chrono::Days::new(1));
            total += rows
                .iter()
                .filter(|r| r.created < end && r.solved.is_none_or(|s| s >= end))
                .count();
        }
        (
            (!days.is_empty()).then(|| total as f64 / days.len() as f64),
            days.len() as u64,
        )
    }

    fn customer_rows(&self, group: &Group, filters: &Group) -> Vec<(NaiveDate, Option<NaiveDate>)> {
        self.customers
            .iter()
            .filter(|r| {
                group
                    .iter()
                    .chain(filters)
                    .all(|(c, v)| c.is_time() || r[c.name()] == *v)
            })
            .map(|r| (date(&r["signup_date"]).expect("signup"), date(&r["churned_at"])))
            .collect()
    }

    /// Churned in the group's days / active at their start.
    fn churn(&self, group: &Group, filters: &Group) -> (Option<f64>, u64) {
        let days = self.days_of(group, filters);
        let (Some(&from), Some(&to)) = (days.first(), days.last()) else {
            return (None, 0);
        };
        let active: Vec<_> = self
            .customer_rows(group, filters)
            .into_iter()
            .filter(|(s, c)| *s < from && c.is_none_or(|c| c >= from))
            .collect();
        ratio(
            active.iter().filter(|(_, c)| c.is_some_and(|c| c <= to)).count(),
            active.len(),
        )
    }

    /// Tickets / customer-months over the group's days.
    fn contacts(&self, group: &Group, filters: &Group) -> (Option<f64>, u64) {
        let days = self.days_of(group, filters);
        let customers = self.customer_rows(
            &group.iter().filter(|(c, _)| *c == Cut::Segment).cloned().collect(),
            filters,
        );
        let mut months: BTreeMap<(i32, u32), Vec<NaiveDate>> = BTreeMap::new();
        for d in &days {
            months.entry((d.year(), d.month())).or_default().push(*d);
        }
        let mut exposure = 0.0;
        for ((y, m), in_month) in &months {
            let (a, b) = (in_month[0], in_month[in_month.len() - 1]);
            let month_days = NaiveDate::from_ymd_opt(*y, *m, 1)
                .expect("month")
                .iter_days()
                .take_while(|d| d.month() == *m)
                .count();
            let active = customers
                .iter()
                .filter(|(s, c)| *s <= b && c.is_none_or(|c| c >= a))
                .count();
            exposure += active as f64 * in_month.len() as f64 / month_days as f64;
        }
        let tickets = self
            .tickets
            .iter()
            .filter(|r| group.iter().chain(filters).all(|(c, v)| label(r, *c) == *v))
            .count() as u64;
        ((exposure > 0.0).then(|| tickets as f64 / exposure), tickets)
    }

    /// Staffing cost of the schedule intervals in the group.
    fn cost(&self, group: &Group, filters: &Group) -> (Option<f64>, u64) {
        let (mut usd, mut n) = (0.0, 0u64);
        for r in &self.schedule {
            let at = NaiveDateTime::parse_from_str(
                &format!("{}T{}:00", r["date"], r["interval_start"]),
                "%Y-%m-%dT%H:%M:%S",
            )
            .expect("interval");
            let keep = group.iter().chain(filters).all(|(c, v)| {
                if c.is_time() {
                    time_label(at, *c) == *v
                } else {
                    r[c.name()] == *v
                }
            });
            if keep {
                usd += r["agents_scheduled"].parse::<f64>().expect("agents") * 0.5 * self.hourly[&r["team"]];
                n += 1;
            }
        }
        (Some(usd), n)
    }

    fn kpi(&self, k: Kpi, group: &Group, filters: &Group) -> (Option<f64>, u64) {
        match k {
            Kpi::Nps | Kpi::NpsResponses => self.nps(group, filters)[&k],
            Kpi::Backlog => self.backlog(group, filters),
            Kpi::ChurnRate => self.churn(group, filters),
            Kpi::ContactsPerCustomer => self.contacts(group, filters),
            Kpi::CostUsd => self.cost(group, filters),
            _ => self.ticket_kpis(group, filters)[&k],
        }
    }
}

fn close(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => (a - b).abs() <= 1e-9 * a.abs().max(1.0),
        (None, None) => true,
        _ => false,
    }
}

fn check(case: &Case, plain: &Plain, by: &[Cut], filters: &Group, what: &str) {
    let selection = Selection {
        filters: filters.clone(),
        ..Selection::default()
    };
    let kpis: Vec<Kpi> = Kpi::ALL
        .into_iter()
        .filter(|k| Case::check_cuts(by, &selection, &[*k]).is_ok())
        .collect();
    let rows = case.compute(by, &selection, &kpis).expect("kpis");
    assert!(!rows.is_empty(), "{what}: no rows");
    let mut ticket_rows = 0;
    for row in &rows {
        let on_tickets = row
            .kpis
            .keys()
            .any(|k| k.on_tickets())
            .then(|| plain.ticket_kpis(&row.group, filters));
        ticket_rows += on_tickets.as_ref().map_or(0, |t| t[&Kpi::Tickets].1);
        for (&k, v) in &row.kpis {
            let KpiValue { value, n, .. } = *v;
            let (want, want_n) = match &on_tickets {
                Some(t) if k.on_tickets() => t[&k],
                _ => plain.kpi(k, &row.group, filters),
            };
            assert_eq!(n, want_n, "{what} {:?} {}: n", row.group, k.name());
            assert!(
                close(value, want),
                "{what} {:?} {}: engine {value:?}, by hand {want:?}",
                row.group,
                k.name()
            );
        }
    }
    // The groups cover every ticket of the filter.
    if kpis.contains(&Kpi::Tickets) {
        assert_eq!(
            ticket_rows,
            plain.kpi(Kpi::Tickets, &Vec::new(), filters).1,
            "{what}: groups miss tickets"
        );
    }
}

#[test]
fn every_kpi_agrees_with_a_plain_reading_of_the_csv_files() {
    for scenario in ["saas", "ecommerce", "fintech"] {
        let tmp = tempfile::tempdir().expect("tempdir");
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_supportsim"))
            .args([
                "generate",
                "--scenario",
                scenario,
                "--seed",
                "2",
                "--out",
                "case",
                "--format",
                "csv",
                "--quiet",
            ])
            .current_dir(tmp.path())
            .output()
            .expect("run");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let dir = tmp.path().join("case");
        let case = load_case(&dir).expect("load");
        let plain = Plain::load(&dir);
        check(&case, &plain, &[], &Vec::new(), scenario);
        check(&case, &plain, &[Cut::Channel], &Vec::new(), scenario);
        check(&case, &plain, &[Cut::Week], &Vec::new(), scenario);
        check(&case, &plain, &[Cut::Segment, Cut::Priority], &Vec::new(), scenario);
        check(
            &case,
            &plain,
            &[Cut::Segment],
            &vec![(Cut::Weekday, "Sat".to_string())],
            scenario,
        );
    }
}
