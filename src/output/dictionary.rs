//! `data_dictionary.md`: what a candidate reads before opening the data. It describes the case's
//! export the way a help desk's data documentation would: the organisation (channels with their
//! first-reply targets and opening hours, categories, priorities, segments, regions, teams and tiers),
//! the period covered, every column of every table with its type, unit and meaning, and the KPI
//! definitions of design.md.
//!
//! It is built from the validated configuration only, so it never depends on the seed, and it says
//! nothing about how the data came about: no model parameters and nothing the candidate is meant to
//! find in the data.

use chrono::{Datelike, Days, NaiveDate};

use crate::config::{Config, PRIORITIES, WEEKDAYS, WeeklyWindow};
use crate::scenario::BusinessModel;

/// One row of a column table: name, type, unit, meaning.
type ColumnDoc = (&'static str, &'static str, &'static str, String);

/// Renders the data dictionary of a case with configuration `cfg` as markdown.
pub fn data_dictionary(cfg: &Config) -> String {
    let mut out = String::new();
    header(&mut out, cfg);
    conventions(&mut out);
    organisation(&mut out, cfg);
    tables(&mut out, cfg);
    kpis(&mut out, cfg);
    out
}

fn push(out: &mut String, text: &str) {
    out.push_str(text);
    out.push('\n');
}

/// `name`, `name` and `name` with each name in backticks.
fn code_list<'a>(names: impl Iterator<Item = &'a str>) -> String {
    joined(names, "and")
}

/// `name`, `name` or `name` with each name in backticks: the values a column may take.
fn one_of<'a>(names: impl Iterator<Item = &'a str>) -> String {
    joined(names, "or")
}

fn joined<'a>(names: impl Iterator<Item = &'a str>, last: &str) -> String {
    let names: Vec<String> = names.map(|n| format!("`{n}`")).collect();
    match names.len() {
        0 => String::new(),
        1 => names[0].clone(),
        n => format!("{} {last} {}", names[..n - 1].join(", "), names[n - 1]),
    }
}

/// `Monday 5 January 2026`.
fn long_date(d: NaiveDate) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    const DAYS: [&str; 7] = [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ];
    format!(
        "{} {} {} {}",
        DAYS[d.weekday().num_days_from_monday() as usize],
        d.day(),
        MONTHS[d.month0() as usize],
        d.year()
    )
}

/// The last day of the history.
fn last_day(cfg: &Config) -> NaiveDate {
    cfg.start_date
        .checked_add_days(Days::new(u64::from(cfg.history_days.saturating_sub(1))))
        .unwrap_or(cfg.start_date)
}

/// `Mon-Fri`, `Sat-Sun`, `Mon, Wed, Fri`, `every day`; runs may wrap past Sunday (`Fri-Mon`).
fn days_text(days: &[bool; 7]) -> String {
    if days.iter().all(|&d| d) {
        return "every day".into();
    }
    if days.iter().all(|&d| !d) {
        return "no day".into();
    }
    // Start the scan on a day that is off, so a run wrapping past Sunday stays in one piece.
    let first_off = days.iter().position(|&d| !d).unwrap_or(0);
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut current: Option<(usize, usize)> = None;
    for k in 1..=7 {
        let d = (first_off + k) % 7;
        if days[d] {
            current = Some(current.map_or((d, d), |(s, _)| (s, d)));
        } else if let Some(run) = current.take() {
            runs.push(run);
        }
    }
    runs.sort_by_key(|&(s, _)| s);
    runs.iter()
        .map(|&(s, e)| {
            if s == e {
                WEEKDAYS[s].to_string()
            } else {
                format!("{}-{}", WEEKDAYS[s], WEEKDAYS[e])
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `08:00`.
fn clock(minute: u32) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

/// `Mon-Fri 08:00-20:00`, `around the clock, every day`, `Mon-Fri 22:00-06:00 (into the next day)`.
fn window_text(w: &WeeklyWindow) -> String {
    if w.start_minute == 0 && w.end_minute >= 1440 {
        if w.days.iter().all(|&d| d) {
            return "around the clock, every day".into();
        }
        return format!("{}, all day", days_text(&w.days));
    }
    let end = if w.end_minute > 1440 {
        format!("{} (into the next day)", clock(w.end_minute - 1440))
    } else {
        clock(w.end_minute)
    };
    format!("{} {}-{}", days_text(&w.days), clock(w.start_minute), end)
}

/// A number without trailing zeros: `0.5`, `480`, `1.25`.
fn plain_number(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A first-reply target in the unit a support manager would state it in.
fn target_text(secs: u64) -> String {
    if secs < 60 || (secs < 600 && secs % 60 != 0) {
        plural(secs, "second", "seconds")
    } else if secs >= 3600 && secs % 3600 == 0 {
        format!("{} ({} minutes)", plural(secs / 3600, "hour", "hours"), secs / 60)
    } else if secs % 60 == 0 {
        plural(secs / 60, "minute", "minutes")
    } else {
        format!("{} minutes", plain_number(secs as f64 / 60.0))
    }
}

fn header(out: &mut String, cfg: &Config) {
    let (first, last) = (cfg.start_date, last_day(cfg));
    push(out, &format!("# Data dictionary: {} customer support", cfg.company));
    push(out, "");
    push(
        out,
        &format!(
            "This folder is an export of the help desk of {}. Industry: {}. It covers the {} days from {} to {} \
             inclusive: every ticket created in that period with its full event log, the NPS surveys sent \
             in that period, the customer accounts, the support agents and the staffing schedule. The \
             extract was taken at the end of {} (24:00 local time); anything that had not happened by then \
             is empty.",
            cfg.company,
            cfg.industry,
            cfg.history_days,
            long_date(first),
            long_date(last),
            long_date(last)
        ),
    );
    push(out, "");
    push(out, "| file | one row per |");
    push(out, "|---|---|");
    for (table, row) in [
        ("tickets", "ticket (a customer contact and everything done on it)"),
        ("ticket_events", "change of a ticket's state (the event log)"),
        ("nps_responses", "NPS survey sent to a customer, answered or not"),
        ("customers", "customer account"),
        ("agents", "support agent"),
        (
            "schedule",
            "team and half hour of each day: the agents scheduled to work",
        ),
    ] {
        push(out, &format!("| `data/{table}.csv` / `data/{table}.parquet` | {row} |"));
    }
    push(out, "");
    push(
        out,
        "Each table may come as CSV, as Parquet or both; both hold the same rows and columns in the same order.",
    );
    push(out, "");
}

fn conventions(out: &mut String) {
    push(out, "## Conventions");
    push(out, "");
    for line in [
        "- **Timestamps** are the organisation's local time in ISO 8601 to the second, without a time-zone \
         offset: `2026-03-02T09:41:07`. In Parquet they are datetimes (millisecond precision, no time zone). \
         A timestamp is empty where the moment had not been reached at the extract (a ticket not yet \
         replied to has no `first_reply_at`).",
        "- **Dates** are `YYYY-MM-DD` (Parquet: date).",
        "- **Durations** are minutes with two decimals, computed from the exact seconds between the two \
         timestamps (`first_reply_minutes` 2.5 is 2 minutes 30 seconds).",
        "- **Booleans** are `true` or `false`.",
        "- **Empty values** are empty fields in CSV and nulls in Parquet. Empty means \"not applicable\" or \
         \"not happened by the extract\", never zero.",
        "- **Identifiers**: `ticket_id` and `response_id` are integers; customer ids look like `C000123` and \
         agent ids like `A0042`, and join the tables.",
        "- **Money** is in US dollars.",
        "- **Weeks** start on Monday (ISO weeks); months are calendar months.",
    ] {
        push(out, line);
    }
    push(out, "");
}

fn organisation(out: &mut String, cfg: &Config) {
    push(out, "## The support organisation");
    push(out, "");
    push(out, "### Channels");
    push(out, "");
    push(
        out,
        "Async channels queue the customer's message and an agent replies later; live channels need an agent \
         while the customer waits, and a customer who gives up before an agent answers leaves an `abandoned` \
         ticket. The first-reply target is the service level for the time from `created_at` to \
         `first_reply_at`; on a live channel the first reply is the moment an agent answers.",
    );
    push(out, "");
    push(
        out,
        "| channel | kind | first-reply target | target in minutes | open |",
    );
    push(out, "|---|---|---|---|---|");
    for ch in &cfg.channels {
        let open = if ch.live {
            window_text(&ch.open)
        } else if ch.open == WeeklyWindow::always() {
            "takes messages at any time; replies are sent while its teams are on shift".to_string()
        } else {
            format!("takes messages {}", window_text(&ch.open))
        };
        push(
            out,
            &format!(
                "| `{}` | {} | {} | {} | {} |",
                ch.name,
                if ch.live { "live" } else { "async" },
                target_text(ch.first_reply_target_secs),
                plain_number(ch.first_reply_target_secs as f64 / 60.0),
                open
            ),
        );
    }
    push(out, "");
    let live: Vec<&str> = cfg
        .channels
        .iter()
        .filter(|c| c.live)
        .map(|c| c.name.as_str())
        .collect();
    if !live.is_empty() {
        push(
            out,
            &format!(
                "{} take{} no contacts outside {} opening hours.",
                code_list(live.iter().copied()),
                if live.len() == 1 { "s" } else { "" },
                if live.len() == 1 { "its" } else { "their" }
            ),
        );
        push(out, "");
    }
    push(out, "### Categories, priorities, segments and regions");
    push(out, "");
    push(
        out,
        &format!(
            "- **Categories** (the contact reason on each ticket): {}.",
            code_list(cfg.categories.iter().map(|c| c.name.as_str()))
        ),
    );
    push(
        out,
        &format!(
            "- **Priorities**, most urgent first: {}.",
            code_list(PRIORITIES.iter().copied())
        ),
    );
    push(
        out,
        &format!(
            "- **Customer segments**: {}.",
            code_list(cfg.segments.iter().map(|s| s.name.as_str()))
        ),
    );
    push(
        out,
        &format!(
            "- **Regions**: {}.",
            code_list(cfg.regions.iter().map(|r| r.name.as_str()))
        ),
    );
    push(out, "");
    push(out, "### Teams and tiers");
    push(out, "");
    let tiers: Vec<u8> = {
        let mut t: Vec<u8> = cfg.teams.iter().map(|t| t.tier).collect();
        t.sort_unstable();
        t.dedup();
        t
    };
    let tier_text = if tiers.len() > 1 {
        "Tier 1 is the front line that takes new tickets; it escalates a ticket it cannot solve to tier 2, \
         the specialists."
    } else {
        "All teams work on the same tier, the front line that takes new tickets."
    };
    push(
        out,
        &format!(
            "{tier_text} Shift times are local time; the `schedule` table gives the agents scheduled per team \
             and half hour, after planned leave and public holidays."
        ),
    );
    push(out, "");
    push(
        out,
        "| team | tier | channels served | shifts | hourly cost (USD per agent hour) |",
    );
    push(out, "|---|---|---|---|---|");
    for team in &cfg.teams {
        let channels = code_list(team.channels.iter().map(|&c| cfg.channels[c].name.as_str()));
        let shifts: Vec<String> = team
            .shifts
            .iter()
            .map(|s| format!("`{}` {}", s.name, window_text(&s.window)))
            .collect();
        push(
            out,
            &format!(
                "| `{}` | {} | {} | {} | {} |",
                team.name,
                team.tier,
                channels,
                shifts.join("; "),
                plain_number(team.hourly_cost_usd)
            ),
        );
    }
    push(out, "");
}

fn column_table(out: &mut String, title: &str, intro: &str, columns: &[ColumnDoc]) {
    push(out, &format!("### {title}"));
    push(out, "");
    push(out, intro);
    push(out, "");
    push(out, "| column | type | unit | meaning |");
    push(out, "|---|---|---|---|");
    for (name, kind, unit, meaning) in columns {
        let unit = if unit.is_empty() { "-" } else { unit };
        push(out, &format!("| `{name}` | {kind} | {unit} | {meaning} |"));
    }
    push(out, "");
}

fn tables(out: &mut String, cfg: &Config) {
    let channels = one_of(cfg.channels.iter().map(|c| c.name.as_str()));
    let categories = one_of(cfg.categories.iter().map(|c| c.name.as_str()));
    let segments = one_of(cfg.segments.iter().map(|s| s.name.as_str()));
    let regions = one_of(cfg.regions.iter().map(|r| r.name.as_str()));
    let teams = one_of(cfg.teams.iter().map(|t| t.name.as_str()));
    let priorities = one_of(PRIORITIES.iter().copied());
    let tiers = {
        let mut t: Vec<u8> = cfg.teams.iter().map(|t| t.tier).collect();
        t.sort_unstable();
        t.dedup();
        let t: Vec<String> = t.iter().map(u8::to_string).collect();
        t.join(" or ")
    };
    let s = String::from;

    push(out, "## Tables");
    push(out, "");
    let tickets: Vec<ColumnDoc> = vec![
        (
            "ticket_id",
            "integer",
            "",
            s("Ticket number, unique, in order of creation."),
        ),
        (
            "created_at",
            "timestamp",
            "local time",
            s("When the contact arrived: email or web form received, chat started, call placed."),
        ),
        ("channel", "text", "", format!("Channel of the contact: {channels}.")),
        ("category", "text", "", format!("Contact reason: {categories}.")),
        ("priority", "text", "", format!("Priority of the ticket: {priorities}.")),
        (
            "customer_id",
            "text",
            "",
            s("The customer account (`customers.customer_id`)."),
        ),
        ("segment", "text", "", format!("Segment of the customer: {segments}.")),
        (
            "team",
            "text",
            "",
            format!(
                "Team holding the ticket at the extract: the last team that worked it, or the tier-1 team it \
                 was routed to if no agent has picked it up: {teams}."
            ),
        ),
        (
            "assignee_id",
            "text",
            "",
            s("The last agent who worked the ticket (`agents.agent_id`); empty if no agent has."),
        ),
        (
            "status",
            "text",
            "",
            s(
                "`solved`; `open`: still open at the extract (it has no solve time yet and its \
               durations are not final); `abandoned`: a live contact whose customer left before an agent \
               answered.",
            ),
        ),
        (
            "first_reply_at",
            "timestamp",
            "local time",
            s(
                "First agent response: on a live channel the moment the agent's first message was sent or the \
               call was answered (seconds after the agent took the contact), on an async channel when the first \
               agent reply was sent. Empty if there was none by the extract.",
            ),
        ),
        (
            "first_reply_minutes",
            "decimal",
            "minutes",
            s("`first_reply_at` minus `created_at`; empty when `first_reply_at` is."),
        ),
        (
            "solved_at",
            "timestamp",
            "local time",
            s(
                "When the ticket was solved; for a reopened ticket, its last solve. Empty for open and abandoned \
               tickets.",
            ),
        ),
        (
            "full_resolution_minutes",
            "decimal",
            "minutes",
            s(
                "`solved_at` minus `created_at`, including any time waiting for the customer or reopened; \
               empty unless the ticket is solved.",
            ),
        ),
        (
            "agent_replies",
            "integer",
            "count",
            s(
                "Number of agent replies over all teams; a live conversation an agent handled counts as one \
               reply.",
            ),
        ),
        (
            "reopens",
            "integer",
            "count",
            s("Number of times the customer reopened the ticket after it was solved."),
        ),
        (
            "escalated",
            "boolean",
            "",
            s("Whether tier 1 escalated the ticket to tier 2."),
        ),
        (
            "group_stations",
            "integer",
            "count",
            s("Number of distinct teams that worked the ticket (0 if no agent has)."),
        ),
        (
            "abandoned",
            "boolean",
            "",
            s("`true` exactly when `status` is `abandoned`."),
        ),
        (
            "queue_wait_minutes",
            "decimal",
            "minutes",
            s(
                "Total time the ticket waited in a queue for an agent, summed over every time it entered one \
               (on arrival, after a customer reply, after an escalation, after a reopen); time waiting for the \
               customer is not included. For an open ticket still waiting in a queue at the extract (status \
               `open`), the wait so far, up to the extract.",
            ),
        ),
        (
            "handle_minutes",
            "decimal",
            "minutes",
            s(
                "Total agent working time on the ticket, summed over all replies and teams (on a live channel \
               including the seconds from taking the contact to the first message or answer).",
            ),
        ),
        (
            "first_reply_sla_breached",
            "boolean",
            "",
            s(
                "`true` when the first reply came later than the channel's first-reply target or no reply had \
               come when the target passed (abandoned contacts included); `false` when the first reply came \
               within the target; empty for a ticket with no reply whose target had not yet passed at the \
               extract. Decided on exact seconds, so use this flag rather than the rounded minutes.",
            ),
        ),
        (
            "csat_score",
            "integer",
            "score 1-5",
            s(
                "The customer's answer to the satisfaction survey sent when the ticket was last solved (1 very \
               unsatisfied to 5 very satisfied). A rating given before the ticket was reopened is withdrawn \
               when it reopens, so the score always rates the final solve. Empty when no answer to that survey \
               was received, which is the case for most tickets.",
            ),
        ),
        (
            "csat_comment",
            "text",
            "",
            s("Free-text comment given with the survey answer; may be empty."),
        ),
        (
            "tags",
            "text",
            "",
            format!(
                "Space-separated tags: the category, `channel_` followed by the channel (`channel_{}`), then \
                 `escalated` if escalated, `reopened` if reopened, and `incident` if created while a service \
                 incident affecting that category was open.",
                cfg.channels.first().map_or("email", |c| c.name.as_str())
            ),
        ),
    ];
    column_table(
        out,
        "tickets",
        "One row per ticket created in the period, in order of creation. Its state is the state at the extract.",
        &tickets,
    );

    let events: Vec<ColumnDoc> = vec![
        ("ticket_id", "integer", "", s("The ticket (`tickets.ticket_id`).")),
        ("at", "timestamp", "local time", s("When the event happened.")),
        ("event", "text", "", s("What happened; the values are listed below.")),
        (
            "agent_id",
            "text",
            "",
            s("The agent, for `assigned`, `agent_reply`, `escalated` and `solved`; empty for the other events."),
        ),
        ("team", "text", "", s("That agent's team; empty when `agent_id` is.")),
    ];
    column_table(
        out,
        "ticket_events",
        "The event log: one row per change of a ticket's state, in time order, for every ticket in `tickets`. \
         Ready for process mining (case id `ticket_id`, activity `event`, timestamp `at`).",
        &events,
    );
    push(out, "Values of `event`:");
    push(out, "");
    for line in [
        "- `created`: the contact arrived (equals `tickets.created_at`).",
        "- `queued`: the ticket entered a queue to wait for an agent: on arrival, after a customer reply, after \
         an escalation and after a reopen.",
        "- `assigned`: an agent picked the ticket up and started working on it (on a live channel, answered \
         the customer).",
        "- `agent_reply`: the agent finished a reply (on a live channel, the conversation).",
        "- `customer_reply`: the customer answered an agent's reply; the ticket goes back into a queue.",
        "- `escalated`: the tier-1 agent passed the ticket to tier 2.",
        "- `solved`: the ticket was solved (the last one equals `tickets.solved_at`).",
        "- `reopened`: the customer reopened a solved ticket.",
        "- `abandoned`: the customer on a live channel left before an agent answered.",
        "- `survey_sent`: a satisfaction survey went to the customer (at each solve).",
        "- `survey_answered`: the customer answered it. A survey whose ticket is reopened before it is \
         answered does not count, and reopening withdraws an answer already given; the answer to the last \
         solve's survey is `tickets.csat_score`.",
    ] {
        push(out, line);
    }
    push(out, "");

    let nps: Vec<ColumnDoc> = vec![
        (
            "response_id",
            "integer",
            "",
            s("Survey number, unique, in order of sending."),
        ),
        (
            "customer_id",
            "text",
            "",
            s("The customer surveyed (`customers.customer_id`)."),
        ),
        ("segment", "text", "", format!("Segment of the customer: {segments}.")),
        ("sent_at", "timestamp", "local time", s("When the survey was sent.")),
        (
            "responded_at",
            "timestamp",
            "local time",
            s("When the customer answered; empty if the survey was not answered by the extract."),
        ),
        (
            "score",
            "integer",
            "score 0-10",
            s(
                "Answer to \"How likely are you to recommend us to a friend or colleague?\" (0 not at all likely \
               to 10 extremely likely); empty when unanswered.",
            ),
        ),
        (
            "comment",
            "text",
            "",
            s("Free-text comment given with the answer; may be empty."),
        ),
    ];
    column_table(out, "nps_responses", &nps_intro(cfg), &nps);

    let customers: Vec<ColumnDoc> = vec![
        ("customer_id", "text", "", s("Customer account id, unique.")),
        ("segment", "text", "", format!("Segment: {segments}.")),
        ("region", "text", "", format!("Region: {regions}.")),
        (
            "signup_date",
            "date",
            "",
            s("First day as a customer; before the period for customers who joined earlier."),
        ),
        (
            "mrr_usd",
            "decimal",
            "USD per month",
            s(revenue_meaning(cfg.business_model)),
        ),
        ("churned_at", "date", "", s(churn_meaning(cfg.business_model))),
    ];
    column_table(
        out,
        "customers",
        "Every customer account active at some time in the period. A customer is active on a day from its \
         `signup_date` until its `churned_at` (exclusive).",
        &customers,
    );

    let agents: Vec<ColumnDoc> = vec![
        ("agent_id", "text", "", s("Agent id, unique.")),
        ("team", "text", "", format!("The agent's team: {teams}.")),
        (
            "tier",
            "integer",
            "",
            format!("Tier of the agent's team ({tiers}); tier 1 is the front line."),
        ),
        (
            "hire_date",
            "date",
            "",
            s(
                "The agent's first day in support; tenure is the time since. Agents in their first weeks work more slowly while they learn.",
            ),
        ),
        (
            "left_date",
            "date",
            "",
            s(
                "The first day the agent no longer worked in support (left the company or moved on); empty while still employed.",
            ),
        ),
        (
            "channels",
            "text",
            "",
            s("Space-separated channels the agent's team serves."),
        ),
        (
            "shift",
            "text",
            "",
            s("The agent's regular shift within the team (see Teams and tiers for days and hours)."),
        ),
    ];
    column_table(
        out,
        "agents",
        "One row per support agent on the roster in the period.",
        &agents,
    );

    let schedule: Vec<ColumnDoc> = vec![
        ("date", "date", "", s("Day of the period.")),
        (
            "interval_start",
            "text",
            "HH:MM local time",
            s("The half hour starting at that time: 09:30 is 09:30-09:59."),
        ),
        ("team", "text", "", format!("Team: {teams}.")),
        (
            "agents_scheduled",
            "integer",
            "agents",
            s(
                "Agents of the team scheduled to work (paid) in the half hour, from the workforce plan: planned leave, public holidays and unpaid lunch breaks are deducted. Paid hours are agents_scheduled / 2 summed over intervals.",
            ),
        ),
    ];
    column_table(
        out,
        "schedule",
        "The staffing plan: one row per day, half hour and team, including intervals with nobody scheduled. \
         Scheduled agents are paid, not all of them take contacts: paid breaks, team meetings, training and \
         unplanned absences (sickness) come out of this time and are not deducted here, so fewer agents were \
         available than scheduled (shrinkage).",
        &schedule,
    );
}

/// What `mrr_usd` is for this kind of business.
fn revenue_meaning(model: BusinessModel) -> &'static str {
    match model {
        BusinessModel::Subscription => "Monthly recurring revenue of the account: its subscription fee.",
        BusinessModel::Retail => {
            "Average monthly spend of the customer over the last twelve months (customers buy as \
             they go; this is not a subscription fee)."
        }
        BusinessModel::Banking => {
            "Monthly revenue of the account over the last twelve months: its plan fee (none on a free \
             plan) plus the card interchange earned on the member's spending."
        }
    }
}

/// What `churned_at` is for this kind of business.
fn churn_meaning(model: BusinessModel) -> &'static str {
    match model {
        BusinessModel::Subscription => {
            "Date from which the account is no longer a customer (its subscription ended); empty if it was \
             still a customer at the extract. The customer's last day as a customer is the day before."
        }
        BusinessModel::Retail => {
            "Date from which the customer no longer counts as a customer (closed the account or cancelled \
             the refill plan and stopped ordering); empty if still a customer at the extract. The last day \
             as a customer is the day before."
        }
        BusinessModel::Banking => {
            "Date from which the account is closed; empty if it was open at the extract. The last day as a \
             customer is the day before."
        }
    }
}

/// How the NPS survey programme works, from the configuration.
fn nps_intro(cfg: &Config) -> String {
    let n = &cfg.nps;
    let every = n.survey_every_secs / 86_400;
    let first = n.first_survey_after_secs / 86_400;
    let who = if n.panel_share >= 1.0 {
        "Every customer".to_string()
    } else {
        "Each customer in the survey panel (a fixed random sample of customers)".to_string()
    };
    format!(
        "The relationship NPS survey. {who} is invited by email about every {every} days, the first time \
         about {first} days after signing up; invitations go out on {} in the customer's own time zone, so \
         `sent_at` (the organisation's local time) falls at other hours for customers in other regions. \
         Customers who are no longer customers are not invited. One row per invitation sent in the period, \
         answered or not, so the response rate can be measured; unanswered surveys have empty \
         `responded_at` and `score`.",
        window_text(&n.send_window)
    )
}

fn kpis(out: &mut String, cfg: &Config) {
    use crate::kpi::{Cut, Kpi};
    let live = code_list(cfg.channels.iter().filter(|c| c.live).map(|c| c.name.as_str()));
    let live_text = if live.is_empty() {
        "live channels (none in this organisation)".to_string()
    } else {
        format!("live channels ({live})")
    };
    push(out, "## KPI definitions");
    push(out, "");
    push(
        out,
        "Every KPI below is defined once and computed the same way wherever it is reported. Tickets count in the \
         day, week, month, weekday and hour of their `created_at`.",
    );
    push(out, "");
    push(out, "| kpi | unit | definition | can be cut by |");
    push(out, "|---|---|---|---|");
    // The words are the engine's own (crate::kpi::Kpi::definition), so the two cannot disagree.
    for k in Kpi::ALL {
        let mut definition = k.definition().to_string();
        if k == Kpi::AbandonmentRate {
            definition.push_str(&format!("; here the {live_text}"));
        }
        let cuts: Vec<&str> = Cut::ALL
            .iter()
            .filter(|c| k.source().supports(**c))
            .map(|c| c.name())
            .collect();
        let cuts = if cuts.len() == Cut::ALL.len() {
            "every cut".to_string()
        } else {
            cuts.join(", ")
        };
        push(
            out,
            &format!("| `{}` | {} | {definition} | {cuts} |", k.name(), k.unit().label()),
        );
    }
    push(out, "");
    for line in [
        "- **Shares** are reported with their count and a 95% Wilson interval, so a small group shows as small.",
        "- **Percentiles** interpolate linearly between closest ranks: with the n values sorted, the p-th \
         percentile sits at rank 1 + p(n - 1), between the two neighbouring values. This is what Excel's \
         PERCENTILE.INC, numpy's and pandas' default percentile and quantile give, so a spreadsheet and \
         these definitions agree.",
        "- **Weeks** start on Monday (ISO weeks); months are calendar months.",
        "- **Cuts**: channel, category, segment, priority, team, day, week, month, weekday and hour, as the \
         last column allows: NPS answers have a segment and an answer time, customers a segment, the schedule \
         a team and a time. A group with fewer than 30 observations is flagged small.",
    ] {
        push(out, line);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::tables;

    #[test]
    fn covers_every_column_and_has_no_placeholders() {
        let loaded = crate::scenarios::load("saas").expect("saas");
        let cfg = &loaded.config;
        let mut small = cfg.clone();
        small.history_days = 7;
        let sim = crate::sim::simulate(&small, 1, &mut |_| {});
        let cal = tables::Calendar::new(small.start_date);
        let frames = [
            tables::tickets(&sim, &small, &cal),
            tables::ticket_events(&sim.events, &sim.agents, &small, &cal),
            tables::nps_responses(&sim, &small, &cal),
            tables::customers(&sim, &small, &cal),
            tables::agents(&sim, &small, &cal),
            tables::schedule(&sim, &small, &cal),
        ];
        let text = data_dictionary(cfg);
        for (name, df) in crate::output::TABLES.iter().zip(frames) {
            let df = df.expect("table");
            assert!(text.contains(&format!("### {name}\n")), "table {name}");
            // The table's own section lists its columns as rows, in the order written.
            let section = text
                .split(&format!("### {name}\n"))
                .nth(1)
                .and_then(|s| s.split("\n#").next())
                .unwrap_or_default();
            let documented: Vec<&str> = section
                .lines()
                .filter_map(|l| l.strip_prefix("| `"))
                .filter_map(|l| l.split('`').next())
                .collect();
            let written: Vec<&str> = df.get_column_names().iter().map(|c| c.as_str()).collect();
            assert_eq!(documented, written, "columns of {name}");
            for c in written {
                assert!(text.contains(&format!("`{c}`")), "{name}.{c} missing");
            }
        }
        assert!(!text.contains('{') && !text.contains('}'), "unfilled braces");
        assert!(!text.contains("TODO"));
        let lower = text.to_lowercase();
        for word in [
            "simulat",
            "hidden",
            "warm-up",
            "patience",
            "reserve",
            "quality",
            "lognormal",
            "coefficient",
        ] {
            assert!(!lower.contains(word), "mentions {word}");
        }
        for c in &cfg.channels {
            assert!(text.contains(&format!("| `{}` |", c.name)), "channel {}", c.name);
        }
        assert!(text.contains("Monday 5 January 2026") && text.contains("Sunday 3 May 2026"));
        assert!(
            text.contains("| `chat` | live | 1 minute | 1 | Mon-Fri 08:00-20:00 |"),
            "{text}"
        );
        assert!(text.contains("| `phone` | live | 30 seconds | 0.5 | Mon-Fri 08:00-18:00 |"));
        assert!(text.contains("8 hours (480 minutes)"));
    }

    #[test]
    fn day_and_target_wording() {
        let mut d = [false; 7];
        assert_eq!(days_text(&[true; 7]), "every day");
        d[..5].fill(true);
        assert_eq!(days_text(&d), "Mon-Fri");
        let d = [true, false, true, false, true, false, false];
        assert_eq!(days_text(&d), "Mon, Wed, Fri");
        let d = [true, false, false, false, true, true, true];
        assert_eq!(days_text(&d), "Fri-Mon");
        assert_eq!(target_text(30), "30 seconds");
        assert_eq!(target_text(90), "90 seconds");
        assert_eq!(target_text(60), "1 minute");
        assert_eq!(target_text(900), "15 minutes");
        assert_eq!(target_text(28_800), "8 hours (480 minutes)");
        let w = WeeklyWindow {
            days: [true; 7],
            start_minute: 22 * 60,
            end_minute: 30 * 60,
        };
        assert_eq!(window_text(&w), "every day 22:00-06:00 (into the next day)");
    }
}
