//! The records the simulation produces: compact rows with indices into the configuration, in
//! seconds from the start of the history. The output layer turns them into tables; nothing here
//! knows about files or polars.

/// Marks "no agent" / "no team" in compact records.
pub const NONE_U32: u32 = u32::MAX;
pub const NONE_U16: u16 = u16::MAX;

/// A ticket's status at the end of the history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Solved,
    Open,
    Abandoned,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Solved => "solved",
            Status::Open => "open",
            Status::Abandoned => "abandoned",
        }
    }
}

/// One row of the tickets table. Times are seconds from the start of the history (u32: 136 years).
#[derive(Debug, Clone)]
pub struct TicketRecord {
    /// 1-based, in creation order.
    pub id: u32,
    pub created_secs: u32,
    pub channel: u8,
    pub category: u8,
    /// Index into [`crate::config::PRIORITIES`].
    pub priority: u8,
    pub customer: u32,
    pub segment: u8,
    /// Team holding the ticket at the end (the last one that worked it, or the routed tier-1 team).
    pub team: u16,
    /// Last agent that worked it.
    pub assignee: u32,
    pub status: Status,
    pub first_reply_secs: Option<u32>,
    pub solved_secs: Option<u32>,
    pub agent_replies: u16,
    pub reopens: u8,
    pub escalated: bool,
    /// Number of distinct teams that worked the ticket.
    pub group_stations: u8,
    /// Total time waiting for an agent in queues (live and async).
    pub queue_wait_secs: u32,
    /// Total agent handle time over all touches.
    pub handle_secs: u32,
    /// None while undecided: no reply yet and the target not yet passed at the end of the history.
    pub first_reply_sla_breached: Option<bool>,
    /// Created during a configured incident window of its category.
    pub incident: bool,
    /// A second attempt about the same problem: after abandoning a live contact, or after a bot
    /// answered it wrongly.
    pub retry: bool,
    /// The latest 1-5 answer to a CSAT survey within the history (a reopened ticket keeps its earlier
    /// answer until it is solved and rated again).
    pub csat_score: Option<u8>,
    /// True theme of the CSAT comment, if the answer has one (for the answer key; never exported).
    pub csat_comment_theme: Option<crate::models::comments::CsatTheme>,
    /// Key of the ticket's own random draws (also words its comment).
    pub key: u64,
}

/// Kinds of entries in the event log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum EventKind {
    Created,
    Queued,
    Assigned,
    AgentReply,
    CustomerReply,
    Escalated,
    Solved,
    Reopened,
    Abandoned,
    SurveySent,
    SurveyAnswered,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Created => "created",
            EventKind::Queued => "queued",
            EventKind::Assigned => "assigned",
            EventKind::AgentReply => "agent_reply",
            EventKind::CustomerReply => "customer_reply",
            EventKind::Escalated => "escalated",
            EventKind::Solved => "solved",
            EventKind::Reopened => "reopened",
            EventKind::Abandoned => "abandoned",
            EventKind::SurveySent => "survey_sent",
            EventKind::SurveyAnswered => "survey_answered",
        }
    }
}

/// One row of the event log: 12 bytes, as the log holds about nine rows per ticket.
#[derive(Debug, Clone, Copy)]
pub struct EventRecord {
    pub ticket: u32,
    /// Seconds from the start of the history (u32: 136 years).
    pub at_secs: u32,
    /// The agent acting, [`NONE_U16`] for none (a scenario has at most 65,535 agents); the event's
    /// team is the agent's.
    pub agent: u16,
    pub kind: EventKind,
}

#[derive(Debug, Clone)]
pub struct CustomerRecord {
    pub segment: u8,
    pub region: u8,
    /// Seconds from the start of the history (negative: signed up before it).
    pub signup_secs: i64,
    /// Days from the start of the history (negative: signed up before it).
    pub signup_day: i64,
    pub mrr_usd: f64,
    /// Hidden multiplier of the segment's contact rate (mean 1); never exported.
    pub contact_weight: f64,
    /// Hidden lasting sentiment, a standard normal: moves NPS answers and churn; never exported.
    pub sentiment: f64,
    /// Seconds from the start of the history of the midnight from which the customer no longer is
    /// one (the `churned_at` date), if before the end of the history; negative or 0 when it was
    /// before the history began (such customers are not exported).
    pub churned_secs: Option<i64>,
    /// The probability that the support experiences of the run make the customer churn after its
    /// end: the expected churn of the hazard uplift still left at the end (0 for a customer who
    /// churned within it, or has no uplift left). Never exported; what a plan's value counts as
    /// the lasting damage of the horizon.
    pub later_churn: f64,
}

impl CustomerRecord {
    /// Whether the customer was a customer at some time in the history `[0, end_secs)`.
    pub fn active_in_history(&self, end_secs: u64) -> bool {
        self.signup_secs < end_secs as i64 && self.churned_secs.is_none_or(|c| c > 0)
    }
}

/// One relationship NPS survey sent within the history (answered or not).
#[derive(Debug, Clone)]
pub struct NpsRecord {
    pub customer: u32,
    pub segment: u8,
    /// Seconds from the start of the history.
    pub sent_secs: u64,
    pub responded_secs: Option<u64>,
    /// 0-10, with `responded_secs`.
    pub score: Option<u8>,
    /// True theme of the answer's comment, if it has one (for the answer key; never exported).
    pub comment_theme: Option<crate::models::comments::NpsTheme>,
    /// Key of the survey's own draws (words its comment).
    pub key: u64,
}

#[derive(Debug, Clone)]
pub struct AgentRecord {
    pub team: u16,
    pub tier: u8,
    /// Index into the team's shifts.
    pub shift: u16,
    /// Days from the start of the history (negative: hired before it).
    pub hire_day: i64,
    /// First day no longer employed, days from the start of the history (None: still employed).
    pub left_day: Option<i64>,
    /// Hidden quality effect (log-odds); never exported.
    pub quality: f64,
}

/// Paid agents of a team in one half hour of one day of the history.
#[derive(Debug, Clone)]
pub struct ScheduleRow {
    pub day: u32,
    /// Minute of the day at which the half hour starts (0, 30, ..., 1410).
    pub minute: u16,
    pub team: u16,
    pub agents_scheduled: u32,
}

/// Busy and available time of one shift of one team on one day of the history.
#[derive(Debug, Clone, Default)]
pub struct ShiftLoad {
    /// On duty and holding at least one contact.
    pub busy_secs: u64,
    /// On duty and holding none.
    pub idle_secs: u64,
    /// Paid (rostered) time: on duty, on breaks, in meetings and training, or absent unplanned.
    pub paid_secs: u64,
}

impl ShiftLoad {
    /// Busy share of on-duty time, None without on-duty time.
    pub fn occupancy(&self) -> Option<f64> {
        let total = self.busy_secs + self.idle_secs;
        (total > 0).then(|| self.busy_secs as f64 / total as f64)
    }
}

/// Everything one simulated history produced.
#[derive(Debug, Clone, Default)]
pub struct SimOutput {
    pub tickets: Vec<TicketRecord>,
    pub events: Vec<EventRecord>,
    pub customers: Vec<CustomerRecord>,
    pub agents: Vec<AgentRecord>,
    pub schedule: Vec<ScheduleRow>,
    /// NPS surveys in order of sending.
    pub nps: Vec<NpsRecord>,
    /// Per customer (same order as `customers`), churn time if within the history; folded into
    /// `customers` by [`crate::sim::simulate`].
    pub customer_churned_secs: Vec<Option<i64>>,
    /// Per customer, the same order, its `later_churn`; folded in likewise.
    pub customer_later_churn: Vec<f64>,
    /// Indexed [team][shift][day].
    pub shift_load: Vec<Vec<Vec<ShiftLoad>>>,
    /// Length of the history simulated, seconds.
    pub history_secs: u64,
    /// Contacts each change of the config (same order) deflected from agents.
    pub deflections: Vec<u64>,
}
