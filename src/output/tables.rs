//! Records → polars DataFrames with the columns of design.md. One function per table; names, units
//! and empty values follow the contract (timestamps in the organisation's local time, empty where not
//! reached).

use chrono::NaiveDate;
use polars::prelude::*;

use crate::config::{Config, PRIORITIES};
use crate::record::{AgentRecord, EventRecord, NONE_U16, NONE_U32, SimOutput, Status};

/// Converts history seconds to timestamps and days to dates.
pub struct Calendar {
    /// Milliseconds since the Unix epoch of the history's first local midnight (local time as naive).
    start_ms: i64,
    /// Days since the Unix epoch of the first history day.
    start_epoch_day: i32,
}

impl Calendar {
    pub fn new(start: NaiveDate) -> Self {
        let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
        let days = (start - epoch).num_days();
        Self {
            start_ms: days * 86_400_000,
            start_epoch_day: days as i32,
        }
    }

    fn ms(&self, secs: u64) -> i64 {
        self.start_ms + secs as i64 * 1000
    }

    fn epoch_day(&self, day: i64) -> i32 {
        self.start_epoch_day + day as i32
    }
}

/// Customer id as exported: `C000001`.
pub fn customer_id(i: u32) -> String {
    format!("C{:06}", i + 1)
}

/// Agent id as exported: `A0001`.
pub fn agent_id(i: u32) -> String {
    format!("A{:04}", i + 1)
}

fn minutes(secs: u64) -> f64 {
    (secs as f64 / 60.0 * 100.0).round() / 100.0
}

/// A timestamp column without gaps (no validity mask to build).
fn datetime_all(name: &str, cal: &Calendar, v: impl Iterator<Item = u64>) -> Column {
    let ms: Vec<i64> = v.map(|s| cal.ms(s)).collect();
    Series::new(name.into(), ms)
        .into_datetime(TimeUnit::Milliseconds, None)
        .into_column()
}

fn datetime(name: &str, cal: &Calendar, v: impl Iterator<Item = Option<u64>>) -> Column {
    let ms: Vec<Option<i64>> = v.map(|s| s.map(|s| cal.ms(s))).collect();
    Series::new(name.into(), ms)
        .into_datetime(TimeUnit::Milliseconds, None)
        .into_column()
}

fn date(name: &str, cal: &Calendar, v: impl Iterator<Item = i64>) -> Column {
    let days: Vec<i32> = v.map(|d| cal.epoch_day(d)).collect();
    Series::new(name.into(), days).into_date().into_column()
}

fn col<T, P>(name: &str, v: T) -> Column
where
    Series: NamedFrom<T, P>,
    P: ?Sized,
{
    Series::new(name.into(), v).into_column()
}

fn frame(columns: Vec<Column>) -> PolarsResult<DataFrame> {
    let height = columns.first().map_or(0, |c| c.len());
    DataFrame::new(height, columns)
}

pub fn tickets(out: &SimOutput, cfg: &Config, cal: &Calendar) -> PolarsResult<DataFrame> {
    tickets_of(out, &out.tickets, cfg, cal)
}

/// The tickets table of `out`'s tickets created at or after `from_secs` (history seconds): the
/// rows of [`tickets`] for them, the same values. Tickets are recorded in the order they were
/// created; if they were not, every ticket is kept.
pub fn tickets_from(out: &SimOutput, from_secs: u32, cfg: &Config, cal: &Calendar) -> PolarsResult<DataFrame> {
    let t = &out.tickets;
    let first = if t.is_sorted_by_key(|r| r.created_secs) {
        t.partition_point(|r| r.created_secs < from_secs)
    } else {
        0
    };
    tickets_of(out, &t[first..], cfg, cal)
}

fn tickets_of(
    out: &SimOutput,
    t: &[crate::record::TicketRecord],
    cfg: &Config,
    cal: &Calendar,
) -> PolarsResult<DataFrame> {
    let chan = |i: u8| cfg.channels[i as usize].name.as_str();
    let cat = |i: u8| cfg.categories[i as usize].name.as_str();
    let team = |i: u16| {
        if i == NONE_U16 {
            None
        } else {
            Some(cfg.teams[i as usize].name.as_str())
        }
    };
    // Tags depend only on category, channel and three flags: build each combination once.
    let nch = cfg.channels.len();
    let tag_key = |r: &crate::record::TicketRecord| {
        ((r.category as usize * nch + r.channel as usize) << 3)
            | usize::from(r.escalated)
            | (usize::from(r.reopens > 0) << 1)
            | (usize::from(r.incident) << 2)
    };
    let tag_table: Vec<String> = (0..cfg.categories.len() * nch * 8)
        .map(|k| {
            let (cat_ch, flags) = (k >> 3, k & 7);
            let mut tags = vec![
                cat((cat_ch / nch) as u8).to_string(),
                format!("channel_{}", chan((cat_ch % nch) as u8)),
            ];
            for (bit, tag) in [(1, "escalated"), (2, "reopened"), (4, "incident")] {
                if flags & bit != 0 {
                    tags.push(tag.into());
                }
            }
            tags.join(" ")
        })
        .collect();
    let customer_names: Vec<String> = (0..out.customers.len() as u32).map(customer_id).collect();
    let agent_names: Vec<String> = (0..out.agents.len() as u32).map(agent_id).collect();
    frame(vec![
        col("ticket_id", t.iter().map(|r| r.id).collect::<Vec<u32>>()),
        datetime_all("created_at", cal, t.iter().map(|r| u64::from(r.created_secs))),
        col("channel", t.iter().map(|r| chan(r.channel)).collect::<Vec<_>>()),
        col("category", t.iter().map(|r| cat(r.category)).collect::<Vec<_>>()),
        col(
            "priority",
            t.iter().map(|r| PRIORITIES[r.priority as usize]).collect::<Vec<_>>(),
        ),
        col(
            "customer_id",
            t.iter()
                .map(|r| (r.customer != NONE_U32).then(|| customer_names[r.customer as usize].as_str()))
                .collect::<Vec<_>>(),
        ),
        col(
            "segment",
            t.iter()
                .map(|r| cfg.segments[r.segment as usize].name.as_str())
                .collect::<Vec<_>>(),
        ),
        col("team", t.iter().map(|r| team(r.team)).collect::<Vec<_>>()),
        col(
            "assignee_id",
            t.iter()
                .map(|r| (r.assignee != NONE_U32).then(|| agent_names[r.assignee as usize].as_str()))
                .collect::<Vec<_>>(),
        ),
        col("status", t.iter().map(|r| r.status.as_str()).collect::<Vec<_>>()),
        datetime(
            "first_reply_at",
            cal,
            t.iter().map(|r| r.first_reply_secs.map(u64::from)),
        ),
        col(
            "first_reply_minutes",
            t.iter()
                .map(|r| r.first_reply_secs.map(|f| minutes(u64::from(f - r.created_secs))))
                .collect::<Vec<_>>(),
        ),
        datetime("solved_at", cal, t.iter().map(|r| r.solved_secs.map(u64::from))),
        col(
            "full_resolution_minutes",
            t.iter()
                .map(|r| r.solved_secs.map(|s| minutes(u64::from(s - r.created_secs))))
                .collect::<Vec<_>>(),
        ),
        col(
            "agent_replies",
            t.iter().map(|r| u32::from(r.agent_replies)).collect::<Vec<_>>(),
        ),
        col("reopens", t.iter().map(|r| u32::from(r.reopens)).collect::<Vec<_>>()),
        col("escalated", t.iter().map(|r| r.escalated).collect::<Vec<_>>()),
        col(
            "group_stations",
            t.iter().map(|r| u32::from(r.group_stations)).collect::<Vec<_>>(),
        ),
        col(
            "abandoned",
            t.iter().map(|r| r.status == Status::Abandoned).collect::<Vec<_>>(),
        ),
        col(
            "queue_wait_minutes",
            t.iter()
                .map(|r| minutes(u64::from(r.queue_wait_secs)))
                .collect::<Vec<_>>(),
        ),
        col(
            "handle_minutes",
            t.iter().map(|r| minutes(u64::from(r.handle_secs))).collect::<Vec<_>>(),
        ),
        col(
            "first_reply_sla_breached",
            t.iter().map(|r| r.first_reply_sla_breached).collect::<Vec<_>>(),
        ),
        col(
            "csat_score",
            t.iter().map(|r| r.csat_score.map(u32::from)).collect::<Vec<_>>(),
        ),
        col(
            "csat_comment",
            t.iter()
                .map(|r| {
                    r.csat_comment_theme.map(|theme| {
                        crate::models::comments::render_csat(
                            theme,
                            &ticket_facts(r, cfg),
                            &cfg.categories[r.category as usize].themes,
                            cfg.business_model,
                            r.key,
                        )
                    })
                })
                .collect::<Vec<_>>(),
        ),
        col(
            "tags",
            t.iter().map(|r| tag_table[tag_key(r)].as_str()).collect::<Vec<_>>(),
        ),
    ])
}

/// What a rated ticket went through, from its record (what its comment may claim).
pub fn ticket_facts(r: &crate::record::TicketRecord, cfg: &Config) -> crate::models::comments::TicketFacts {
    let created = u64::from(r.created_secs);
    let solved = r.solved_secs.map_or(created, u64::from);
    let ch = &cfg.channels[r.channel as usize];
    crate::models::comments::TicketFacts {
        live: ch.live,
        phone: ch.live && ch.concurrency == 1,
        first_reply_secs: r.first_reply_secs.map_or(0.0, |f| (u64::from(f) - created) as f64),
        resolution_secs: (solved - created) as f64,
        same_day: created / 86_400 == solved / 86_400,
        agent_replies: u32::from(r.agent_replies),
        retried: r.retry,
    }
}

/// The event log; `agents` is the number of agents (for their ids).
pub fn ticket_events(
    e: &[EventRecord],
    agents: &[AgentRecord],
    cfg: &Config,
    cal: &Calendar,
) -> PolarsResult<DataFrame> {
    let agent_names: Vec<String> = (0..agents.len() as u32).map(agent_id).collect();
    frame(vec![
        col("ticket_id", e.iter().map(|r| r.ticket).collect::<Vec<u32>>()),
        datetime_all("at", cal, e.iter().map(|r| u64::from(r.at_secs))),
        col("event", e.iter().map(|r| r.kind.as_str()).collect::<Vec<_>>()),
        col(
            "agent_id",
            e.iter()
                .map(|r| (r.agent != NONE_U16).then(|| agent_names[r.agent as usize].as_str()))
                .collect::<Vec<_>>(),
        ),
        col(
            "team",
            e.iter()
                .map(|r| (r.agent != NONE_U16).then(|| cfg.teams[agents[r.agent as usize].team as usize].name.as_str()))
                .collect::<Vec<_>>(),
        ),
    ])
}

/// The NPS surveys sent within the history; unanswered ones have empty `responded_at` and `score`.
pub fn nps_responses(out: &SimOutput, cfg: &Config, cal: &Calendar) -> PolarsResult<DataFrame> {
    let r = &out.nps;
    frame(vec![
        col("response_id", (1..=r.len() as u32).collect::<Vec<_>>()),
        col(
            "customer_id",
            r.iter().map(|x| customer_id(x.customer)).collect::<Vec<_>>(),
        ),
        col(
            "segment",
            r.iter()
                .map(|x| cfg.segments[x.segment as usize].name.as_str())
                .collect::<Vec<_>>(),
        ),
        datetime_all("sent_at", cal, r.iter().map(|x| x.sent_secs)),
        datetime("responded_at", cal, r.iter().map(|x| x.responded_secs)),
        col("score", r.iter().map(|x| x.score.map(u32::from)).collect::<Vec<_>>()),
        col(
            "comment",
            r.iter()
                .map(|x| {
                    x.comment_theme.zip(x.score).map(|(theme, score)| {
                        crate::models::comments::render_nps(theme, score, cfg.business_model, x.key)
                    })
                })
                .collect::<Vec<_>>(),
        ),
    ])
}

/// Customers who were customers at some time in the history (not those who churned before it).
pub fn customers(out: &SimOutput, cfg: &Config, cal: &Calendar) -> PolarsResult<DataFrame> {
    let (ids, c): (Vec<u32>, Vec<&crate::record::CustomerRecord>) = out
        .customers
        .iter()
        .enumerate()
        .filter(|(_, r)| r.active_in_history(out.history_secs))
        .map(|(i, r)| (i as u32, r))
        .unzip();
    frame(vec![
        col("customer_id", ids.into_iter().map(customer_id).collect::<Vec<_>>()),
        col(
            "segment",
            c.iter()
                .map(|r| cfg.segments[r.segment as usize].name.as_str())
                .collect::<Vec<_>>(),
        ),
        col(
            "region",
            c.iter()
                .map(|r| cfg.regions[r.region as usize].name.as_str())
                .collect::<Vec<_>>(),
        ),
        date("signup_date", cal, c.iter().map(|r| r.signup_day)),
        col("mrr_usd", c.iter().map(|r| r.mrr_usd).collect::<Vec<_>>()),
        Series::new(
            "churned_at".into(),
            c.iter()
                .map(|r| r.churned_secs.map(|s| cal.epoch_day(s.div_euclid(86_400))))
                .collect::<Vec<_>>(),
        )
        .into_date()
        .into_column(),
    ])
}

pub fn agents(out: &SimOutput, cfg: &Config, cal: &Calendar) -> PolarsResult<DataFrame> {
    let a = &out.agents;
    let team = |r: &crate::record::AgentRecord| &cfg.teams[r.team as usize];
    frame(vec![
        col("agent_id", (0..a.len() as u32).map(agent_id).collect::<Vec<_>>()),
        col("team", a.iter().map(|r| team(r).name.as_str()).collect::<Vec<_>>()),
        col("tier", a.iter().map(|r| u32::from(r.tier)).collect::<Vec<_>>()),
        date("hire_date", cal, a.iter().map(|r| r.hire_day)),
        Series::new(
            "left_date".into(),
            a.iter()
                // Leaving dates after the history are not known at the extract.
                .map(|r| {
                    r.left_day
                        .filter(|&d| d < i64::from(cfg.history_days))
                        .map(|d| cal.epoch_day(d))
                })
                .collect::<Vec<_>>(),
        )
        .into_date()
        .into_column(),
        col(
            "channels",
            a.iter()
                .map(|r| {
                    team(r)
                        .channels
                        .iter()
                        .map(|&c| cfg.channels[c].name.as_str())
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .collect::<Vec<_>>(),
        ),
        col(
            "shift",
            a.iter()
                .map(|r| team(r).shifts[r.shift as usize].name.as_str())
                .collect::<Vec<_>>(),
        ),
    ])
}

pub fn schedule(out: &SimOutput, cfg: &Config, cal: &Calendar) -> PolarsResult<DataFrame> {
    let s = &out.schedule;
    frame(vec![
        date("date", cal, s.iter().map(|r| i64::from(r.day))),
        col(
            "interval_start",
            s.iter()
                .map(|r| format!("{:02}:{:02}", r.minute / 60, r.minute % 60))
                .collect::<Vec<_>>(),
        ),
        col(
            "team",
            s.iter()
                .map(|r| cfg.teams[r.team as usize].name.as_str())
                .collect::<Vec<_>>(),
        ),
        col(
            "agents_scheduled",
            s.iter().map(|r| r.agents_scheduled).collect::<Vec<_>>(),
        ),
    ])
}

/// Writes `ms` (milliseconds since the Unix epoch, read as local time) as `YYYY-MM-DDTHH:MM:SS`.
/// Civil-from-days after Howard Hinnant's date algorithms.
fn iso_seconds(ms: i64, out: &mut [u8; 19]) {
    let secs = ms.div_euclid(1000);
    let (days, sod) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let mut put = |at: usize, value: i64, width: usize| {
        let mut v = value;
        for i in (0..width).rev() {
            out[at + i] = b'0' + (v % 10) as u8;
            v /= 10;
        }
    };
    put(0, year, 4);
    put(5, month, 2);
    put(8, day, 2);
    put(11, sod / 3600, 2);
    put(14, sod / 60 % 60, 2);
    put(17, sod % 60, 2);
    out[4] = b'-';
    out[7] = b'-';
    out[10] = b'T';
    out[13] = b':';
    out[16] = b':';
}

/// The frame with every timestamp column as ISO 8601 text to the second (`2026-01-05T09:41:07`), for
/// CSV: the text polars would write with that format, built several times faster.
pub fn for_csv(df: &DataFrame) -> PolarsResult<DataFrame> {
    let mut columns = Vec::with_capacity(df.width());
    for c in df.columns() {
        if matches!(c.dtype(), DataType::Datetime(TimeUnit::Milliseconds, None)) {
            let ms = c.datetime()?.physical();
            let mut b = StringChunkedBuilder::new(c.name().clone(), ms.len());
            let mut buf = [0u8; 19];
            for v in ms.iter() {
                match v {
                    Some(v) => {
                        iso_seconds(v, &mut buf);
                        b.append_value(std::str::from_utf8(&buf).unwrap_or_default());
                    }
                    None => b.append_null(),
                }
            }
            columns.push(b.finish().into_series().into_column());
        } else {
            columns.push(c.clone());
        }
    }
    DataFrame::new(df.height(), columns)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_seconds_agrees_with_chrono() {
        let mut buf = [0u8; 19];
        for ms in [0i64, 951_782_400_000, 1_767_571_267_000, 4_102_444_799_000, -86_400_000] {
            iso_seconds(ms, &mut buf);
            let expected =
                chrono::DateTime::from_timestamp_millis(ms).map(|d| d.format("%Y-%m-%dT%H:%M:%S").to_string());
            assert_eq!(
                Some(std::str::from_utf8(&buf).unwrap_or_default().to_string()),
                expected,
                "{ms}"
            );
        }
    }
}
