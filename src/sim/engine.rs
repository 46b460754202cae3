//! The discrete-event engine: tickets arrive, wait in live or async queues, are worked by agents on
//! duty in touches separated by customer replies, escalate to tier 2, get solved and sometimes
//! reopened; live customers abandon when their patience runs out.
//!
//! Routing rules (documented in the README):
//! - a live channel takes contacts in its opening hours while at least one agent of a tier-1 team
//!   answering it is on duty (otherwise it shows offline and contacts choose among the open channels);
//! - a live contact goes to the longest-idle on-duty agent of a tier-1 team serving its channel; a chat
//!   may also go to an agent already chatting below the channel's concurrency (fewest chats first);
//!   otherwise it waits first-come first-served until an agent frees up or its patience runs out; its
//!   first reply comes after the channel's pickup time;
//! - an agent that frees up takes, in order: more chats (if it is chatting), the longest-waiting live
//!   contact of its channels, then async work of its tier in its channels' queue discipline (strict
//!   priority, due time or FIFO);
//! - async work (emails, follow-up touches, escalations, reopens) waits in one queue per tier and
//!   channel;
//! - an agent finishes the contact in hand when its shift or break starts, and takes no new work
//!   until it is on duty again.

use std::collections::VecDeque;

use crate::config::{Config, DAY_SECS, Effect, Origin, QueueDiscipline};
use crate::record::{EventKind, EventRecord, NONE_U16, NONE_U32, ShiftLoad, SimOutput, Status, TicketRecord};
use crate::rng::{Draw, Seeds};
use crate::sim::arrivals::{Arrival, arrivals_for_day};
use crate::sim::causes::Causes;
use crate::sim::customers::CustomerBase;
use crate::sim::loyalty::Loyalty;
use crate::sim::pick_cumulative;
use crate::sim::queue::EventQueue;
use crate::sim::roster::RosteredAgent;

const NONE_U8: u8 = u8::MAX;
const NO_TIME: u64 = u64::MAX;
/// Marks an unset time in the compact per-ticket state.
const NO_TIME32: u32 = u32::MAX;
/// Most waits beyond the norm charged while a ticket is unresolved (e^8: about 3,000 norms).
const MAX_OVERDUE: u8 = 8;
/// Upper bound on touches drawn for one tier (keeps counters small and tails finite).
const MAX_TOUCHES: u8 = 12;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// A live contact waiting for an agent.
    LiveWaiting,
    /// Waiting in an async queue.
    Queued,
    WithAgent,
    /// Waiting for the customer's reply.
    Pending,
    Solved,
    Abandoned,
}

#[derive(Debug, Clone, Copy)]
enum Ev {
    /// Agents are u16 (at most 65,535, checked in config) so that an event fits in 8 bytes.
    TouchEnd {
        agent: u16,
        ticket: u32,
    },
    /// A live contact's patience runs out (stale once it was answered: a ticket waits live once).
    Abandon(u32),
    /// The customer answers the CSAT survey of a solve (void if the ticket was reopened since).
    SurveyAnswer(u32),
    /// A customer who abandoned this live contact tries again.
    Retry(u32),
    /// Midnight starting clock day k: the day's contacts reach the customers' loyalty, the next
    /// day's NPS invitations go out.
    Midnight(u32),
    CustomerReply(u32),
    Reopen(u32),
    DutyStart(u32),
    DutyEnd(u32),
}

#[derive(Clone, Copy)]
struct Tk {
    key: u64,
    created: u32,
    enq_at: u32,
    first_reply: u32,
    solved_at: u32,
    queue_wait: u32,
    handle: u32,
    teams_mask: u64,
    /// The customer's slot (see `Engine::slot_customer`), NONE_U32 without one.
    customer: u32,
    assignee: u32,
    export_id: u32,
    team: u16,
    touches: u16,
    replies_waited: u16,
    agent_replies: u16,
    channel: u8,
    category: u8,
    priority: u8,
    segment: u8,
    tier: u8,
    remaining: u8,
    t2_touches: u8,
    reopens: u8,
    escalate: bool,
    escalated: bool,
    incident: bool,
    phase: Phase,
    /// Answered CSAT score, 0 if none.
    csat: u8,
    /// Score the customer will give to the pending survey, and the solve (reopen count) it is for.
    survey_score: u8,
    survey_round: u8,
    /// Theme of the pending answer's comment and of the answered one (0: no comment).
    survey_theme: u8,
    csat_theme: u8,
    /// A second attempt by a customer who had abandoned a live contact.
    retry: bool,
    /// On another channel than the customer chose (a planted channel shift moved it).
    switched: bool,
    /// The channel the customer chose (whose resolution norm they expect).
    wanted: u8,
    /// Waits beyond the norm already charged to the customer's loyalty, in units of ln.
    overdue: u8,
}

struct Ag {
    duty: Vec<(u64, u64)>,
    duty_next: usize,
    /// End of the current on-duty interval (duty intervals are half-open: no new work at this instant).
    duty_end: u64,
    hire_secs: i64,
    ramp_secs: f64,
    /// Clock seconds at which the new-hire ramp ends (0 without a ramp): later touches skip it.
    ramp_end: i64,
    last_change: u64,
    idle_since: u64,
    idle_token: u32,
    /// Index of the first day of this agent's team and shift in the engine's `shift_load`.
    load_base: u32,
    team: u16,
    load: u8,
    chat_ch: u8,
    on_duty: bool,
    /// In its team's idle list (on duty, holding nothing).
    idle: bool,
    /// Hidden quality effect on the CSAT log-odds.
    quality: f64,
    /// The agent's identity: keys how strongly changes act on it.
    key: u64,
}

/// What a customer contacts support about: drawn once per contact, kept by a retry.
#[derive(Debug, Clone, Copy)]
struct Problem {
    category: usize,
    priority: u8,
    segment: usize,
    touches: u8,
    t2_touches: u8,
    escalate: bool,
}

/// One simulated operation over warm-up plus history.
pub struct Engine<'a> {
    cfg: &'a Config,
    base: &'a CustomerBase,
    seeds: Seeds,
    /// Clock seconds at the start of the history (the warm-up comes before).
    origin: u64,
    /// Clock seconds at the end of the history.
    end: u64,
    q: EventQueue<Ev>,
    tickets: Vec<Tk>,
    agents: Vec<Ag>,
    team_agents: Vec<Vec<u32>>,
    team_idle: Vec<VecDeque<(u32, u32)>>,
    /// Agents of each team in its idle list.
    team_idle_count: Vec<u32>,
    /// Idle agents each team keeps for live contacts before starting async work.
    team_reserve: Vec<u32>,
    /// Live channels each team answers (tier 1 only).
    team_live: Vec<Vec<u8>>,
    /// Async queues each team works.
    team_async: Vec<Vec<usize>>,
    /// Teams serving each async queue (index = (tier - 1) * channels + channel).
    serving: Vec<Vec<u16>>,
    live_q: Vec<VecDeque<u32>>,
    /// Per async queue, one FIFO per priority of (time queued, ticket): tickets enter at the current
    /// time, so each FIFO is already in order of time in queue.
    async_q: Vec<[VecDeque<(u64, u32)>; 4]>,
    /// Per segment, how many customers had signed up by the last arrival (arrivals come in time order).
    seg_active: Vec<usize>,
    events: Vec<EventRecord>,
    next_export_id: u32,
    /// Busy and idle time by team, shift and history day, flat: each agent's shift starts at its
    /// `load_base`, one entry per history day.
    shift_load: Vec<ShiftLoad>,
    /// Cumulative segment weights of the current arrival day.
    seg_cum: Vec<f64>,
    category_cum: Vec<f64>,
    /// Per change (volume changes only), the category and priority shift of its extra contacts.
    incident_priority_shift: Vec<f64>,
    /// Per category, the cumulative distribution of touches at tier 1 and at tier 2.
    touch_cdf: Vec<([f64; MAX_TOUCHES as usize], [f64; MAX_TOUCHES as usize])>,
    incident_categories: Vec<u8>,
    /// Customers are addressed by slot inside the engine: segment by segment, each in signup order,
    /// so that a segment's customers signed up so far are a contiguous range from its first slot.
    /// Tickets hold slots; records get customer ids.
    seg_first_slot: Vec<u32>,
    slot_customer: Vec<u32>,
    /// Customers' churn hazards, NPS sentiment and surveys.
    loyalty: Loyalty<'a>,
    /// Per clock day, the tickets whose unresolved wait is checked at its midnight.
    overdue_due: Vec<Vec<u32>>,
    /// Per channel, the highest probability of answering a CSAT survey over the five scores.
    max_response: Vec<f64>,
    /// The run's changes of causes (volume changes act through arrivals).
    causes: Causes<'a>,
    /// Contacts each change (by index into the config's changes) deflected.
    deflected: Vec<u64>,
    /// Whether each change's extra contacts are a burst (a scenario incident or an outage) that
    /// proactive communication can head off.
    burst: Vec<bool>,
    /// Per minute of the week, the channels taking contacts (bit `c` for channel `c`).
    open_by_mow: Vec<u32>,
    /// Opening hours changes add: (from, until clock seconds, channel bit, window).
    open_extra: Vec<(u64, u64, u32, crate::config::WeeklyWindow)>,
    /// Clock second starting the minute the fields below describe.
    open_minute: u64,
    /// Channels taking contacts now.
    open_mask: u32,
    /// The open channels with a share, and per (segment, category) the cumulative weights of choosing
    /// them: `open_cum[(segment * categories + category) * open_channels.len() + j]`.
    open_channels: Vec<u8>,
    open_cum: Vec<f64>,
    /// Per (segment, category, channel), the channel's weight: share × segment weight × category weight.
    channel_weight: Vec<f64>,
    /// Per team, its live channels as a mask.
    team_live_mask: Vec<u32>,
    /// Per clock day, whether it or a neighbouring day is a public holiday of some region.
    holiday_near_day: Vec<bool>,
    /// Agents of each team on duty now.
    team_on_duty: Vec<u32>,
    /// Live channels with at least one agent of a team answering them on duty (bit per channel).
    staffed_live: u32,
    /// All live channels (bit per channel).
    live_mask: u32,
    /// Per async queue, which priority FIFOs hold work (bit `p` for priority `p`).
    async_nonempty: Vec<u8>,
}

impl<'a> Engine<'a> {
    pub fn new(cfg: &'a Config, seeds: Seeds, base: &'a CustomerBase, roster: &[RosteredAgent]) -> Self {
        let nch = cfg.channels.len();
        let nteams = cfg.teams.len();
        let origin = u64::from(cfg.warmup_days) * DAY_SECS;
        let end = origin + u64::from(cfg.history_days) * DAY_SECS;
        let mut team_agents = vec![Vec::new(); nteams];
        let mut agents = Vec::with_capacity(roster.len());
        let mut q = EventQueue::new();
        // Index of each team's first shift among all teams' shifts.
        let first_shift: Vec<usize> = std::iter::once(0)
            .chain(cfg.teams.iter().scan(0, |n, t| {
                *n += t.shifts.len();
                Some(*n)
            }))
            .collect();
        let days = cfg.history_days as usize;
        for (i, r) in roster.iter().enumerate() {
            let team = &cfg.teams[r.record.team as usize];
            team_agents[r.record.team as usize].push(i as u32);
            if let Some(&(start, _)) = r.duty.first() {
                q.schedule(start, Ev::DutyStart(i as u32));
            }
            agents.push(Ag {
                duty: r.duty.clone(),
                duty_next: 0,
                duty_end: 0,
                hire_secs: r.record.hire_day * DAY_SECS as i64,
                ramp_secs: f64::from(team.new_hire_ramp_days) * DAY_SECS as f64,
                ramp_end: if team.new_hire_ramp_days > 0 {
                    origin as i64
                        + r.record.hire_day * DAY_SECS as i64
                        + i64::from(team.new_hire_ramp_days) * DAY_SECS as i64
                } else {
                    0
                },
                last_change: 0,
                idle_since: 0,
                idle_token: 0,
                load_base: ((first_shift[r.record.team as usize] + r.record.shift as usize) * days) as u32,
                team: r.record.team,
                load: 0,
                chat_ch: NONE_U8,
                on_duty: false,
                idle: false,
                quality: r.record.quality,
                key: r.key,
            });
        }
        q.schedule(0, Ev::Midnight(0));
        // Customers are addressed by slot: segment by segment, each in signup order.
        let slot_customer: Vec<u32> = (0..cfg.segments.len())
            .flat_map(|seg| base.signed_up(seg, i64::MAX).iter().copied())
            .collect();
        let mut serving = vec![Vec::new(); 2 * nch];
        let mut team_live = vec![Vec::new(); nteams];
        let mut team_async = vec![Vec::new(); nteams];
        for (ti, t) in cfg.teams.iter().enumerate() {
            for &ch in &t.channels {
                let qi = (t.tier as usize - 1) * nch + ch;
                serving[qi].push(ti as u16);
                team_async[ti].push(qi);
                if t.tier == 1 && cfg.channels[ch].live {
                    team_live[ti].push(ch as u8);
                }
            }
        }
        let team_live_mask = team_live
            .iter()
            .map(|chs| chs.iter().fold(0, |m, &c| m | 1 << c))
            .collect();
        let shift_load = vec![ShiftLoad::default(); first_shift[nteams] * days];
        let mut acc = 0.0;
        let category_cum = cfg
            .categories
            .iter()
            .map(|k| {
                acc += k.share;
                acc
            })
            .collect();
        Self {
            cfg,
            base,
            seeds,
            origin,
            end,
            q,
            tickets: Vec::new(),
            agents,
            team_agents,
            team_idle: vec![VecDeque::new(); nteams],
            team_idle_count: vec![0; nteams],
            team_reserve: cfg.teams.iter().map(|t| t.live_reserve_agents).collect(),
            team_live,
            team_async,
            serving,
            live_q: vec![VecDeque::new(); nch],
            async_q: vec![Default::default(); 2 * nch],
            seg_active: vec![0; cfg.segments.len()],
            events: Vec::new(),
            next_export_id: 1,
            shift_load,
            seg_cum: Vec::new(),
            category_cum,
            touch_cdf: cfg
                .categories
                .iter()
                .map(|k| (touches_cdf(k.touches_mean), touches_cdf(k.tier2_touches_mean)))
                .collect(),
            incident_categories: cfg
                .changes
                .iter()
                .map(|c| match c.effect {
                    Effect::Volume { category, .. } => category as u8,
                    _ => 0,
                })
                .collect(),
            incident_priority_shift: cfg
                .changes
                .iter()
                .map(|c| match c.effect {
                    Effect::Volume { priority_shift, .. } => priority_shift,
                    _ => 0.0,
                })
                .collect(),
            seg_first_slot: (0..cfg.segments.len())
                .scan(0, |n, seg| {
                    let first = *n;
                    *n += base.signed_up(seg, i64::MAX).len() as u32;
                    Some(first)
                })
                .collect(),
            loyalty: Loyalty::new(cfg, seeds, base, &slot_customer, origin, end),
            overdue_due: vec![Vec::new(); (end / DAY_SECS) as usize + 1],
            slot_customer,
            max_response: cfg
                .channels
                .iter()
                .map(|ch| {
                    (1..=5)
                        .map(|score| crate::models::csat::response_probability(&cfg.csat, ch, score))
                        .fold(0.0, f64::max)
                })
                .collect(),
            causes: Causes::new(&cfg.changes, origin),
            deflected: vec![0; cfg.changes.len()],
            burst: cfg
                .changes
                .iter()
                .map(|c| match c.origin {
                    Origin::Scenario => true,
                    Origin::Issue(pool) => cfg
                        .active_issues
                        .iter()
                        .any(|i| i.pool_index == pool && matches!(i.kind, crate::config::IssueKind::Outage { .. })),
                    Origin::Intervention(_) => false,
                })
                .collect(),
            open_by_mow: (0..7 * 1440)
                .map(|mow| {
                    cfg.channels
                        .iter()
                        .enumerate()
                        .filter(|(_, c)| c.open.covers(mow))
                        .fold(0, |m, (i, _)| m | 1 << i)
                })
                .collect(),
            open_extra: cfg
                .changes
                .iter()
                .filter_map(|c| match &c.effect {
                    Effect::OpenHours { channel, window } => Some((
                        origin + c.from_secs,
                        c.until_secs.map_or(u64::MAX, |u| origin + u),
                        1 << channel,
                        window.clone(),
                    )),
                    _ => None,
                })
                .collect(),
            // Before any clock time: the first lookup fills the cache.
            open_minute: u64::MAX - 60,
            open_mask: 0,
            open_channels: Vec::new(),
            open_cum: Vec::new(),
            channel_weight: cfg
                .segments
                .iter()
                .flat_map(|seg| {
                    cfg.categories.iter().flat_map(move |cat| {
                        cfg.channels
                            .iter()
                            .enumerate()
                            .map(move |(c, ch)| ch.share * seg.channel_weights[c] * cat.channel_weights[c])
                    })
                })
                .collect(),
            team_live_mask,
            team_on_duty: vec![0; nteams],
            holiday_near_day: (0..=end / DAY_SECS)
                .map(|clock_day| {
                    let day = clock_day as i64 - i64::from(cfg.warmup_days);
                    cfg.regions.iter().any(|r| (day - 1..=day + 1).any(|d| r.is_holiday(d)))
                })
                .collect(),
            staffed_live: 0,
            live_mask: cfg
                .channels
                .iter()
                .enumerate()
                .filter(|(_, c)| c.live)
                .fold(0, |m, (i, _)| m | 1 << i),
            async_nonempty: vec![0; 2 * nch],
        }
    }

    /// Runs to the end of the history; `progress` is told each finished history day.
    pub fn run(&mut self, progress: &mut dyn FnMut(u32)) {
        // Room for the expected tickets and about nine events each, to avoid regrowing large vectors.
        let days = f64::from(self.cfg.warmup_days + self.cfg.history_days);
        let expected = crate::sim::arrivals::daily_base_rate(self.cfg, self.base, 0) * days * 1.1;
        self.tickets.reserve(expected as usize);
        self.events.reserve(expected as usize * 9);
        // Each day maps in the memory of the next two days' tickets and events (see `crate::mem`).
        let mut tickets_ahead = crate::mem::MappedAhead::default();
        let mut events_ahead = crate::mem::MappedAhead::default();
        let mut day = -i64::from(self.cfg.warmup_days);
        let last_day = i64::from(self.cfg.history_days);
        let mut batch: Vec<Arrival> = Vec::new();
        let mut bi = 0;
        loop {
            if bi == batch.len() && day < last_day {
                if day > 0 {
                    progress(day as u32);
                }
                self.set_segment_weights(day);
                batch = arrivals_for_day(self.cfg, &self.seeds, self.base, day);
                self.assign_customers(&mut batch);
                tickets_ahead.extend(&mut self.tickets, 2 * batch.len());
                events_ahead.extend(&mut self.events, 20 * batch.len());
                bi = 0;
                day += 1;
                continue;
            }
            let at = batch.get(bi).map_or(NO_TIME, |a| self.clock(a.at_secs));
            let et = self.q.peek_time().unwrap_or(NO_TIME);
            if et <= at {
                if et >= self.end {
                    break;
                }
                let Some((t, ev)) = self.q.pop() else { break };
                self.handle(t, ev);
            } else {
                if at >= self.end {
                    break;
                }
                self.q.advance_to(at);
                let arrival = batch[bi];
                bi += 1;
                self.arrive(at, arrival);
            }
        }
        progress(self.cfg.history_days);
        let end = self.end;
        for a in 0..self.agents.len() {
            self.accrue(a as u32, end);
        }
    }

    fn clock(&self, history_secs: i64) -> u64 {
        (history_secs + self.origin as i64) as u64
    }

    fn set_segment_weights(&mut self, day: i64) {
        let mid = day * DAY_SECS as i64 + DAY_SECS as i64 / 2;
        let mut acc = 0.0;
        self.seg_cum = self
            .cfg
            .segments
            .iter()
            .enumerate()
            .map(|(s, seg)| {
                let active = self.base.active_in_segment(s, mid);
                acc += self.base.active_weight(s, active) * seg.contacts_per_month;
                acc
            })
            .collect();
    }

    fn handle(&mut self, t: u64, ev: Ev) {
        match ev {
            Ev::TouchEnd { agent, ticket } => self.touch_end(u32::from(agent), ticket, t),
            Ev::Abandon(ticket) => self.abandon(ticket, t),
            Ev::Midnight(day) => {
                self.charge_overdue(day, t);
                self.loyalty.midnight(day);
                let next = t + DAY_SECS;
                if next < self.end {
                    self.q.schedule(next, Ev::Midnight(day + 1));
                }
            }
            Ev::Retry(ticket) => self.retry(ticket, t),
            Ev::SurveyAnswer(ticket) => {
                let tk = &mut self.tickets[ticket as usize];
                if tk.phase == Phase::Solved && tk.reopens == tk.survey_round {
                    tk.csat = tk.survey_score;
                    tk.csat_theme = tk.survey_theme;
                    self.log(ticket, EventKind::SurveyAnswered, NONE_U16, t);
                }
            }
            Ev::CustomerReply(ticket) => {
                self.log(ticket, EventKind::CustomerReply, NONE_U16, t);
                let tier = self.tickets[ticket as usize].tier;
                self.enqueue_async(ticket, tier, t);
            }
            Ev::Reopen(ticket) => {
                self.log(ticket, EventKind::Reopened, NONE_U16, t);
                let tk = &mut self.tickets[ticket as usize];
                tk.reopens = tk.reopens.saturating_add(1);
                // A rating of a solve that did not hold no longer stands.
                tk.csat = 0;
                tk.csat_theme = 0;
                tk.solved_at = NO_TIME32;
                tk.remaining = 1;
                let tier = tk.tier;
                self.enqueue_async(ticket, tier, t);
            }
            Ev::DutyStart(a) => {
                self.accrue(a, t);
                let ag = &mut self.agents[a as usize];
                ag.on_duty = true;
                let team = ag.team as usize;
                self.team_on_duty[team] += 1;
                if self.team_on_duty[team] == 1 {
                    self.staffing_changed();
                }
                let ag = &mut self.agents[a as usize];
                let end = ag.duty[ag.duty_next].1;
                ag.duty_end = end;
                self.q.schedule(end, Ev::DutyEnd(a));
                self.seek_work(a, t);
            }
            Ev::DutyEnd(a) => {
                self.accrue(a, t);
                let ag = &mut self.agents[a as usize];
                ag.on_duty = false;
                let team = ag.team as usize;
                self.team_on_duty[team] -= 1;
                if self.team_on_duty[team] == 0 {
                    self.staffing_changed();
                }
                let ag = &mut self.agents[a as usize];
                ag.idle_token = ag.idle_token.wrapping_add(1);
                if ag.idle {
                    ag.idle = false;
                    self.team_idle_count[ag.team as usize] -= 1;
                }
                ag.duty_next += 1;
                if let Some(&(start, _)) = ag.duty.get(ag.duty_next) {
                    self.q.schedule(start, Ev::DutyStart(a));
                }
            }
        }
    }

    fn minute_of_week(&self, t: u64) -> u32 {
        let hist = t as i64 - self.origin as i64;
        let day = hist.div_euclid(DAY_SECS as i64);
        let weekday = (i64::from(self.cfg.start_weekday) + day).rem_euclid(7) as u32;
        weekday * 1440 + (hist.rem_euclid(DAY_SECS as i64) / 60) as u32
    }

    /// Picks the segment and customer of each of a day's arrivals (in time order): the segment by
    /// its customers' summed contact-rate weight, the customer in proportion to its weight among
    /// those signed up by then. The picks go step by step over the whole day, so that each step's
    /// scattered reads are independent and the processor overlaps them, which it cannot when each
    /// pick waits inside the event loop.
    fn assign_customers(&mut self, batch: &mut [Arrival]) {
        let total = self.seg_cum.last().copied().unwrap_or(0.0);
        let mut picks: Vec<(usize, f64, usize, u32)> = Vec::with_capacity(batch.len());
        for arr in batch.iter_mut() {
            let us = Seeds::uniform(arr.key, Draw::Customer, 0) * total;
            let segment = pick_cumulative(&self.seg_cum, us);
            let active = self.base.advance_active(segment, self.seg_active[segment], arr.at_secs);
            self.seg_active[segment] = active;
            arr.segment = segment as u8;
            let (target, bucket) = self
                .base
                .pick_target(segment, active, Seeds::uniform(arr.key, Draw::Customer, 1))
                .unwrap_or((0.0, usize::MAX));
            picks.push((active, target, bucket, 0));
        }
        for (arr, pick) in batch.iter().zip(picks.iter_mut()) {
            if pick.2 != usize::MAX {
                pick.3 = self.base.guide_start(arr.segment as usize, pick.2);
            }
        }
        const AHEAD: usize = 8;
        for k in 0..batch.len() {
            if let Some(&(_, _, bucket, start)) = picks.get(k + AHEAD) {
                if bucket != usize::MAX {
                    self.base.prefetch_finish(batch[k + AHEAD].segment as usize, start);
                }
            }
            let (arr, &(active, target, bucket, start)) = (&mut batch[k], &picks[k]);
            arr.customer = if bucket == usize::MAX {
                NONE_U32
            } else {
                let segment = arr.segment as usize;
                self.seg_first_slot[segment] + self.base.pick_finish(segment, active, target, start) as u32
            };
        }
    }

    fn arrive(&mut self, t: u64, arr: Arrival) {
        let cfg = self.cfg;
        let key = arr.key;
        let (segment, customer) = (arr.segment as usize, arr.customer);
        if customer != NONE_U32 && self.loyalty.has_churned(customer) {
            // Churned customers no longer contact support.
            return;
        }
        if customer != NONE_U32 && self.holiday_near(t) && self.skips_for_holiday(t, customer, key) {
            return;
        }
        let (category, priority_shift) = match arr.incident {
            Some(i) => (
                self.incident_categories[i as usize] as usize,
                self.incident_priority_shift[i as usize],
            ),
            None => (
                pick_cumulative(&self.category_cum, Seeds::uniform(key, Draw::Category, 0)),
                0.0,
            ),
        };
        let (mut channel, mut wanted) = self.choose_channel(t, key, segment, category);
        let mut repeat = false;
        if self.causes.deflects() {
            let burst = arr.incident.is_some_and(|i| self.burst[i as usize]);
            match self.deflect(t, key, channel, category, burst) {
                None => {}
                Some(false) => return,
                Some(true) => {
                    // Answered wrongly, the customer writes in on an open async channel at once.
                    let Some(c) = (0..cfg.channels.len()).find(|&c| !cfg.channels[c].live && self.is_open(c)) else {
                        return;
                    };
                    wanted = wanted.or(Some(channel));
                    channel = c;
                    repeat = true;
                }
            }
        }
        let cat = &cfg.categories[category];
        let up = Seeds::uniform(key, Draw::Priority, 0);
        let priority = pick_cumulative(&cfg.priorities(segment, category, priority_shift), up) as u8;
        let touches = draw_touches(&self.touch_cdf[category].0, Seeds::uniform(key, Draw::Touches, 0));
        let t2_touches = draw_touches(&self.touch_cdf[category].1, Seeds::uniform(key, Draw::Tier2Touches, 0));
        // Agents who escalate more than usual add escalations at their first touch (`touch_end`).
        let escalate = Seeds::uniform(key, Draw::Escalate, 0) < cat.escalation_rate;
        // Only the scenario's own incidents are tagged; planted issues leave no label in the data.
        let incident = arr
            .incident
            .is_some_and(|i| cfg.changes[i as usize].origin == Origin::Scenario);
        let problem = Problem {
            category,
            priority,
            segment,
            touches,
            t2_touches,
            escalate,
        };
        let ti = self.new_ticket(key, t, customer, channel, problem, incident, repeat);
        if let Some(w) = wanted {
            let tk = &mut self.tickets[ti as usize];
            tk.switched = true;
            tk.wanted = w as u8;
        }
        if problem.escalate && !cfg.channels[channel].live && self.routed_to_tier2(t, key, category) {
            // Recognised on arrival as needing tier 2: it goes there without a tier-1 touch.
            let tk = &mut self.tickets[ti as usize];
            tk.escalate = false;
            tk.remaining = tk.t2_touches;
            self.log(ti, EventKind::Created, NONE_U16, t);
            self.schedule_overdue(ti);
            self.enqueue_async(ti, 2, t);
            return;
        }
        self.open_ticket(ti, t);
    }

    /// Whether a routing change sends a ticket of `category` that needs tier 2 straight there (the
    /// ticket's own draw, keyed by the change).
    fn routed_to_tier2(&self, t: u64, key: u64, category: usize) -> bool {
        self.causes.routes()
            && self
                .causes
                .to_tier2(t, category)
                .any(|(id, share)| Seeds::uniform(key ^ id, Draw::Deflect, 2) < share)
    }

    /// Whether a change deflects a contact on `channel` about `category` at `t` (the first whose
    /// draw says so): None if none does, else whether it comes back as a repeat contact. Both draws
    /// are the ticket's own, keyed by the change.
    fn deflect(&mut self, t: u64, key: u64, channel: usize, category: usize, burst: bool) -> Option<bool> {
        let (i, id, _, returns) = self
            .causes
            .deflections(t, channel, category, burst)
            .find(|&(_, id, share, _)| Seeds::uniform(key ^ id, Draw::Deflect, 0) < share)?;
        self.deflected[i] += 1;
        Some(Seeds::uniform(key ^ id, Draw::Deflect, 1) < returns)
    }

    /// Whether some region may have a public holiday at clock time `t` (its local date).
    #[inline]
    fn holiday_near(&self, t: u64) -> bool {
        self.holiday_near_day
            .get((t / DAY_SECS) as usize)
            .copied()
            .unwrap_or(false)
    }

    /// Whether a customer's contact at `t` is one that a public holiday of their region keeps away.
    fn skips_for_holiday(&self, t: u64, customer: u32, key: u64) -> bool {
        let record = &self.base.records[self.slot_customer[customer as usize] as usize];
        let region = &self.cfg.regions[record.region as usize];
        let local_day = (t as i64 - self.origin as i64 + region.local_offset_secs).div_euclid(DAY_SECS as i64);
        region.is_holiday(local_day) && Seeds::uniform(key, Draw::HolidayDemand, 0) >= region.holiday_contact_factor
    }

    /// The channel of a new contact: among the channels open now, by share times the segment's and
    /// the category's channel weights; then a channel shift, if one is planted.
    fn choose_channel(&mut self, t: u64, key: u64, segment: usize, category: usize) -> (usize, Option<usize>) {
        let cfg = self.cfg;
        self.refresh_open(t);
        let n = self.open_channels.len();
        let cum = &self.open_cum[(segment * cfg.categories.len() + category) * n..][..n];
        let total = cum.last().copied().unwrap_or(0.0);
        let u = Seeds::uniform(key, Draw::Channel, 0);
        let mut channel = if total > 0.0 {
            self.open_channels[pick_cumulative(cum, u * total)] as usize
        } else {
            cfg.channels.iter().position(|c| !c.live).unwrap_or(0)
        };
        let mut wanted = None;
        if self.causes.moves_channels() {
            let hour = (self.minute_of_week(t) % 1440) / 60;
            for (id, from, to, share) in self.causes.channel_shifts(t, segment, hour) {
                if channel == from && Seeds::uniform(key ^ id, Draw::ChannelShift, 0) < share {
                    wanted = wanted.or(Some(channel));
                    channel = to;
                }
            }
        }
        (channel, wanted)
    }

    /// Adds a ticket created at `t` (exported if within the history) and returns its index.
    #[allow(clippy::too_many_arguments)]
    fn new_ticket(
        &mut self,
        key: u64,
        t: u64,
        customer: u32,
        channel: usize,
        p: Problem,
        incident: bool,
        retry: bool,
    ) -> u32 {
        let export_id = if t >= self.origin {
            self.next_export_id += 1;
            self.next_export_id - 1
        } else {
            0
        };
        let live = self.cfg.channels[channel].live;
        self.tickets.push(Tk {
            key,
            created: t as u32,
            enq_at: t as u32,
            first_reply: NO_TIME32,
            solved_at: NO_TIME32,
            queue_wait: 0,
            handle: 0,
            teams_mask: 0,
            customer,
            assignee: NONE_U32,
            export_id,
            team: NONE_U16,
            touches: 0,
            replies_waited: 0,
            agent_replies: 0,
            channel: channel as u8,
            category: p.category as u8,
            priority: p.priority,
            segment: p.segment as u8,
            tier: 1,
            remaining: if p.escalate { 1 } else { p.touches },
            t2_touches: p.t2_touches,
            reopens: 0,
            escalate: p.escalate,
            escalated: false,
            incident,
            csat: 0,
            survey_score: 0,
            survey_round: 0,
            survey_theme: 0,
            csat_theme: 0,
            retry,
            switched: false,
            wanted: channel as u8,
            overdue: 0,
            phase: if live { Phase::LiveWaiting } else { Phase::Queued },
        });
        self.tickets.len() as u32 - 1
    }

    /// Logs a new ticket's creation and routes it to a live agent or a queue.
    fn open_ticket(&mut self, ti: u32, t: u64) {
        self.log(ti, EventKind::Created, NONE_U16, t);
        self.schedule_overdue(ti);
        if self.tickets[ti as usize].phase == Phase::LiveWaiting {
            self.offer_live(ti, t);
        } else {
            self.enqueue_async(ti, 1, t);
        }
    }

    /// Files ticket `ti` for the next check of whether it waits unresolved beyond its customer's
    /// norm: the midnight after creation + norm × e^(k + 1) once k waits are charged, up to
    /// `MAX_OVERDUE`.
    fn schedule_overdue(&mut self, ti: u32) {
        let tk = &self.tickets[ti as usize];
        if tk.customer == NONE_U32 || tk.overdue >= MAX_OVERDUE {
            return;
        }
        let norm = self.cfg.channels[tk.wanted as usize].resolution_norm_secs;
        let at = u64::from(tk.created) + (norm * f64::from(tk.overdue + 1).exp()) as u64;
        if let Some(bucket) = self.overdue_due.get_mut((at / DAY_SECS + 1) as usize) {
            bucket.push(ti);
        }
    }

    /// Midnight starting clock day `day`: every ticket filed for it that is still unresolved has its
    /// wait charged to its customer's loyalty (loyalty reads contacts at midnights only, so a wait
    /// is charged at the midnight after it passes) and is filed for the next check.
    fn charge_overdue(&mut self, day: u32, t: u64) {
        const AHEAD: usize = 8;
        let due = std::mem::take(&mut self.overdue_due[day as usize]);
        for (k, &ti) in due.iter().enumerate() {
            if let Some(&next) = due.get(k + AHEAD) {
                crate::mem::prefetch(&self.tickets[next as usize]);
            }
            let tk = &mut self.tickets[ti as usize];
            if !matches!(tk.phase, Phase::Solved | Phase::Abandoned) {
                tk.overdue += 1;
                let customer = tk.customer;
                self.loyalty.note_overdue(customer, t);
                self.schedule_overdue(ti);
            }
        }
    }

    /// A customer who abandoned ticket `ti` contacts support again about the same problem: on the
    /// same channel if it is open, otherwise on the first open async channel.
    fn retry(&mut self, ti: u32, t: u64) {
        let old = self.tickets[ti as usize];
        if old.customer != NONE_U32 && self.loyalty.has_churned(old.customer) {
            return;
        }
        self.refresh_open(t);
        let cfg = self.cfg;
        let channel = if self.is_open(old.channel as usize) {
            old.channel as usize
        } else {
            match (0..cfg.channels.len()).find(|&c| !cfg.channels[c].live && self.is_open(c)) {
                Some(c) => c,
                None => return,
            }
        };
        let problem = Problem {
            category: old.category as usize,
            priority: old.priority,
            segment: old.segment as usize,
            touches: old.remaining,
            t2_touches: old.t2_touches,
            escalate: old.escalate,
        };
        let key = crate::rng::mix64(old.key ^ 0x5245_5452_5900_0001);
        let ti = self.new_ticket(key, t, old.customer, channel, problem, false, true);
        self.open_ticket(ti, t);
    }

    fn log(&mut self, ticket: u32, kind: EventKind, agent: u16, t: u64) {
        let id = self.tickets[ticket as usize].export_id;
        if id != 0 {
            self.events.push(EventRecord {
                ticket: id,
                at_secs: (t - self.origin) as u32,
                kind,
                agent,
            });
        }
    }

    fn offer_live(&mut self, ti: u32, t: u64) {
        self.log(ti, EventKind::Queued, NONE_U16, t);
        let ch = self.tickets[ti as usize].channel as usize;
        let channel = &self.cfg.channels[ch];
        let agent = self.take_idle(ch, false, t).or_else(|| {
            if channel.concurrency > 1 {
                self.chat_slot(ch, t)
            } else {
                None
            }
        });
        if let Some(a) = agent {
            self.start_touch(a, ti, t);
            return;
        }
        let patience = channel.patience;
        let tk = &mut self.tickets[ti as usize];
        let key = tk.key;
        self.live_q[ch].push_back(ti);
        if let Some(p) = patience {
            let secs = draw_secs(p, key, Draw::Patience, 0);
            self.q.schedule(t + secs, Ev::Abandon(ti));
        }
    }

    /// Pops the longest-idle on-duty agent of a team serving queue `qi` (for a live channel `ch` at
    /// tier 1, `qi == ch`). For async work, teams only give up idle agents beyond their live reserve.
    fn take_idle(&mut self, qi: usize, for_async: bool, t: u64) -> Option<u32> {
        let mut best: Option<(u64, u16)> = None;
        for i in 0..self.serving[qi].len() {
            let team = self.serving[qi][i];
            let idle = self.team_idle_count[team as usize];
            // With no idle agent, the list holds only stale entries, which later calls drop.
            if idle == 0 || for_async && idle <= self.reserve_now(team as usize, t) {
                continue;
            }
            let dq = &mut self.team_idle[team as usize];
            while let Some(&(a, token)) = dq.front() {
                let ag = &mut self.agents[a as usize];
                if ag.idle && t >= ag.duty_end {
                    // Its shift or break starts at this very instant: it leaves the idle list.
                    ag.idle = false;
                    self.team_idle_count[team as usize] -= 1;
                } else if ag.idle && ag.idle_token == token {
                    if best.is_none_or(|(since, _)| ag.idle_since < since) {
                        best = Some((ag.idle_since, team));
                    }
                    break;
                }
                dq.pop_front();
            }
        }
        let (_, team) = best?;
        let (a, _) = self.team_idle[team as usize].pop_front()?;
        self.agents[a as usize].idle = false;
        self.team_idle_count[team as usize] -= 1;
        Some(a)
    }

    /// An agent already chatting on `ch` below the channel's concurrency, fewest chats first.
    fn chat_slot(&self, ch: usize, t: u64) -> Option<u32> {
        let conc = self.cfg.channels[ch].concurrency as u8;
        let mut best: Option<(u8, u32)> = None;
        for &team in &self.serving[ch] {
            for &a in &self.team_agents[team as usize] {
                let ag = &self.agents[a as usize];
                if ag.on_duty
                    && t < ag.duty_end
                    && ag.chat_ch == ch as u8
                    && ag.load < conc
                    && best.is_none_or(|(l, _)| ag.load < l)
                {
                    best = Some((ag.load, a));
                }
            }
        }
        best.map(|(_, a)| a)
    }

    fn enqueue_async(&mut self, ti: u32, tier: u8, t: u64) {
        self.log(ti, EventKind::Queued, NONE_U16, t);
        let nch = self.cfg.channels.len();
        let tk = &mut self.tickets[ti as usize];
        tk.phase = Phase::Queued;
        tk.enq_at = t as u32;
        tk.tier = tier;
        let qi = (tier as usize - 1) * nch + tk.channel as usize;
        let prio = tk.priority;
        let first = self.causes.routes() && self.causes.segment_first(t, tk.segment as usize);
        // An idle agent beyond its team's live reserve exists only when every queue it works is
        // empty, so it takes this one.
        if let Some(a) = self.take_idle(qi, true, t) {
            self.start_touch(a, ti, t);
        } else if first {
            // A segment served first joins the front of its priority's queue, ranked as queued at 0.
            self.async_q[qi][prio as usize].push_front((0, ti));
            self.async_nonempty[qi] |= 1 << prio;
        } else {
            self.async_q[qi][prio as usize].push_back((t, ti));
            self.async_nonempty[qi] |= 1 << prio;
        }
    }

    fn start_touch(&mut self, a: u32, ti: u32, t: u64) {
        self.accrue(a, t);
        let cfg = self.cfg;
        let (agent_team, category) = (
            self.agents[a as usize].team as usize,
            self.tickets[ti as usize].category as usize,
        );
        let issue_factor = self
            .causes
            .handle_factor(t, agent_team, category, self.agents[a as usize].key);
        let tk = &mut self.tickets[ti as usize];
        let ag = &mut self.agents[a as usize];
        let ch = tk.channel as usize;
        let channel = &cfg.channels[ch];
        let live = tk.phase == Phase::LiveWaiting;
        tk.queue_wait += t as u32 - tk.enq_at;
        tk.phase = Phase::WithAgent;
        ag.load += 1;
        ag.idle_token = ag.idle_token.wrapping_add(1);
        if live && channel.concurrency > 1 {
            ag.chat_ch = ch as u8;
        }
        tk.assignee = a;
        tk.team = ag.team;
        tk.teams_mask |= 1u64 << (ag.team % 64);
        // A live contact's first reply comes after the pickup (accept and greeting, or ring time),
        // during which the agent is busy with it.
        let mut pickup = 0;
        if live && tk.first_reply == NO_TIME32 {
            if let Some(p) = channel.pickup {
                pickup = draw_secs(p, tk.key, Draw::Pickup, 0);
            }
            tk.first_reply = (t + pickup) as u32;
        }
        let cat = &cfg.categories[tk.category as usize];
        let dist = if tk.tier == 2 {
            cat.tier2_handle_time
        } else {
            cat.handle_time
        };
        let idx = u32::from(tk.touches);
        tk.touches = tk.touches.saturating_add(1);
        let z = if dist.needs_normal() {
            Seeds::normal(tk.key, Draw::HandleTime, idx)
        } else {
            0.0
        };
        let mut secs = dist.sample_secs(Seeds::uniform(tk.key, Draw::HandleTime, idx), z)
            * channel.handle_time_factor
            * issue_factor;
        if (t as i64) < ag.ramp_end {
            // Still ramping: tenure < ramp_secs.
            let tenure = t as f64 - self.origin as f64 - ag.hire_secs as f64;
            secs *= 1.0 + 0.5 * (1.0 - tenure.max(0.0) / ag.ramp_secs);
        }
        let d = whole_secs(secs) + pickup;
        tk.handle += d as u32;
        self.log(ti, EventKind::Assigned, a as u16, t);
        self.q.schedule(
            t + d,
            Ev::TouchEnd {
                agent: a as u16,
                ticket: ti,
            },
        );
    }

    fn touch_end(&mut self, a: u32, ti: u32, t: u64) {
        self.accrue(a, t);
        let ag = &mut self.agents[a as usize];
        ag.load -= 1;
        if ag.load == 0 {
            ag.chat_ch = NONE_U8;
        }
        let tk = &mut self.tickets[ti as usize];
        tk.agent_replies = tk.agent_replies.saturating_add(1);
        if tk.first_reply == NO_TIME32 {
            tk.first_reply = t as u32;
        }
        tk.remaining = tk.remaining.saturating_sub(1);
        self.log(ti, EventKind::AgentReply, a as u16, t);
        let (agent_key, agent_team) = (self.agents[a as usize].key, self.agents[a as usize].team as usize);
        let tk = &mut self.tickets[ti as usize];
        if tk.tier == 1 && tk.touches == 1 {
            // An agent who escalates more than usual (a knowledge gap) escalates a ticket that would
            // not have been with the extra probability, one who escalates less (knowledge, training)
            // keeps a ticket that would have been with the spared one, so that the ticket's
            // escalation chance is rate × factor. Both draws are the ticket's own.
            let rate = self.cfg.categories[tk.category as usize].escalation_rate;
            let f = self
                .causes
                .escalation_factor(t, agent_team, tk.category as usize, agent_key);
            if !tk.escalate && f > 1.0 && rate < 1.0 {
                let extra = (rate * (f - 1.0) / (1.0 - rate)).min(1.0);
                tk.escalate = Seeds::uniform(tk.key, Draw::Escalate, 1) < extra;
            } else if tk.escalate && f < 1.0 {
                tk.escalate = Seeds::uniform(tk.key, Draw::Escalate, 2) < f;
            }
        }
        if tk.tier == 1 && tk.escalate && !tk.escalated {
            tk.escalated = true;
            tk.remaining = tk.t2_touches;
            self.log(ti, EventKind::Escalated, a as u16, t);
            self.enqueue_async(ti, 2, t);
        } else if tk.remaining > 0 {
            tk.phase = Phase::Pending;
            let idx = u32::from(tk.replies_waited);
            tk.replies_waited = tk.replies_waited.saturating_add(1);
            let dist = self.cfg.categories[tk.category as usize].customer_reply_delay;
            let d = draw_secs(dist, tk.key, Draw::ReplyDelay, idx);
            self.q.schedule(t + d, Ev::CustomerReply(ti));
        } else {
            tk.phase = Phase::Solved;
            tk.solved_at = t as u32;
            let idx = u32::from(tk.reopens);
            let key = tk.key;
            let category = tk.category as usize;
            let rate = self.cfg.categories[category].reopen_rate
                * self.causes.reopen_factor(t, agent_team, category, agent_key);
            self.log(ti, EventKind::Solved, a as u16, t);
            self.send_survey(ti, a, t);
            if Seeds::uniform(key, Draw::Reopen, idx) < rate {
                let dist = self.cfg.reopen_delay;
                let d = draw_secs(dist, key, Draw::ReopenDelay, idx);
                self.q.schedule(t + d, Ev::Reopen(ti));
            }
        }
        self.seek_work(a, t);
    }

    /// Sends the CSAT survey of this solve and notes the contact for the customer's loyalty; the
    /// score and whether (and when) the customer answers follow from the experience so far and the
    /// ticket's keyed draws.
    fn send_survey(&mut self, ti: u32, a: u32, t: u64) {
        self.log(ti, EventKind::SurveySent, NONE_U16, t);
        let cfg = self.cfg;
        let tk = &self.tickets[ti as usize];
        let round = u32::from(tk.reopens);
        let key = tk.key;
        let ch = tk.channel as usize;
        let channel = &cfg.channels[ch];
        let resolution_secs = (t - u64::from(tk.created)) as f64;
        let first_reply_secs = f64::from(tk.first_reply.saturating_sub(tk.created));
        let resolution_norm_secs = cfg.channels[tk.wanted as usize].resolution_norm_secs;
        let first_reply_target_secs = channel.first_reply_target_secs as f64;
        let experience = crate::models::csat::Experience {
            agent_replies: u32::from(tk.agent_replies),
            reopens: u32::from(tk.reopens),
            escalated: tk.escalated,
            resolution_secs,
            first_reply_secs,
            category_effect: cfg.categories[tk.category as usize].csat_effect,
            retried_after_abandoning: tk.retry,
            switched_channel: tk.switched,
            resolution_norm_secs,
            first_reply_target_secs,
            log_resolution_over_norm: crate::models::csat::log_over(resolution_secs, resolution_norm_secs),
            log_first_reply_over_target: crate::models::csat::log_over(first_reply_secs, first_reply_target_secs),
            agent_quality: self.agents[a as usize].quality
                + self
                    .causes
                    .quality_shift(t, self.agents[a as usize].team as usize, self.agents[a as usize].key),
        };
        let mean = crate::models::csat::latent_mean(&cfg.csat, &experience);
        if tk.customer != NONE_U32 {
            // Waits already charged while the ticket was unresolved are not charged again.
            let uncharged = crate::models::csat::Experience {
                log_resolution_over_norm: (experience.log_resolution_over_norm - f64::from(tk.overdue)).max(0.0),
                ..experience
            };
            let uplift = crate::models::churn::contact_uplift(&cfg.churn, &uncharged);
            let badness = crate::models::csat::bad_probability(mean);
            self.loyalty.note_solve(tk.customer, t, uplift, badness);
        }
        let u_response = Seeds::uniform(key, Draw::SurveyResponse, round);
        if u_response >= self.max_response[ch] {
            // No score would answer.
            return;
        }
        let score = crate::models::csat::score(mean, Seeds::uniform(key, Draw::SurveyScore, round));
        if u_response >= crate::models::csat::response_probability(&cfg.csat, channel, score) {
            return;
        }
        let dist = cfg.csat.answer_delay;
        let d = draw_secs(dist, key, Draw::SurveyDelay, round);
        let comments = Seeds::uniform(key, Draw::CommentGiven, round) < crate::models::csat::comment_probability(score);
        let theme = if comments {
            crate::models::csat::driver(&cfg.csat, &experience, score) as u8
        } else {
            0
        };
        let tk = &mut self.tickets[ti as usize];
        tk.survey_score = score;
        tk.survey_round = tk.reopens;
        tk.survey_theme = theme;
        self.q.schedule(t + d, Ev::SurveyAnswer(ti));
    }

    fn abandon(&mut self, ti: u32, t: u64) {
        let tk = &mut self.tickets[ti as usize];
        if tk.phase != Phase::LiveWaiting {
            return;
        }
        tk.phase = Phase::Abandoned;
        tk.queue_wait += t as u32 - tk.enq_at;
        let (customer, key, channel) = (tk.customer, tk.key, tk.channel as usize);
        self.log(ti, EventKind::Abandoned, NONE_U16, t);
        if customer != NONE_U32 {
            self.loyalty.note_abandon(customer, t);
        }
        if Seeds::uniform(key, Draw::Retry, 0) < self.cfg.channels[channel].abandon_retry_rate {
            // They try again after a while: exponential, mean 20 minutes.
            let delay = (-1200.0 * Seeds::uniform(key, Draw::Retry, 1).ln()).round().max(60.0) as u64;
            self.q.schedule(t + delay, Ev::Retry(ti));
        }
    }

    /// The head of a live queue that is still waiting (abandoned contacts are dropped lazily).
    fn live_head(&mut self, ch: usize) -> Option<u32> {
        while let Some(&ti) = self.live_q[ch].front() {
            if self.tickets[ti as usize].phase == Phase::LiveWaiting {
                return Some(ti);
            }
            self.live_q[ch].pop_front();
        }
        None
    }

    fn fill_chats(&mut self, a: u32, ch: usize, t: u64) {
        let conc = self.cfg.channels[ch].concurrency as u8;
        while self.agents[a as usize].load < conc {
            let Some(ti) = self.live_head(ch) else { break };
            self.live_q[ch].pop_front();
            self.start_touch(a, ti, t);
        }
    }

    fn seek_work(&mut self, a: u32, t: u64) {
        let ag = &self.agents[a as usize];
        if !ag.on_duty || t >= ag.duty_end {
            return;
        }
        if ag.load > 0 {
            if ag.chat_ch != NONE_U8 {
                self.fill_chats(a, ag.chat_ch as usize, t);
            }
            return;
        }
        let team = ag.team as usize;
        // The longest-waiting live contact among the team's live channels.
        let mut best: Option<(u64, u32, usize)> = None;
        for i in 0..self.team_live[team].len() {
            let ch = self.team_live[team][i] as usize;
            if let Some(ti) = self.live_head(ch) {
                let enq = u64::from(self.tickets[ti as usize].enq_at);
                if best.is_none_or(|(e, b, _)| (enq, ti) < (e, b)) {
                    best = Some((enq, ti, ch));
                }
            }
        }
        if let Some((_, ti, ch)) = best {
            self.live_q[ch].pop_front();
            self.start_touch(a, ti, t);
            if self.cfg.channels[ch].concurrency > 1 {
                self.fill_chats(a, ch, t);
            }
            return;
        }
        // Async work of the team's tier: priority, then time in queue; unless the team's idle agents
        // are all kept for live contacts.
        if self.team_idle_count[team] >= self.reserve_now(team, t) {
            if let Some(ti) = self.take_async(team) {
                self.start_touch(a, ti, t);
                return;
            }
        }
        let ag = &mut self.agents[a as usize];
        ag.idle_token = ag.idle_token.wrapping_add(1);
        ag.idle_since = t;
        ag.idle = true;
        self.team_idle_count[team] += 1;
        self.team_idle[team].push_back((a, ag.idle_token));
    }

    /// The team's live reserve while one of its live channels is open, else 0.
    fn reserve_now(&mut self, team: usize, t: u64) -> u32 {
        if self.team_reserve[team] == 0 {
            return 0;
        }
        self.refresh_open(t);
        if self.open_mask & self.team_live_mask[team] != 0 {
            self.team_reserve[team]
        } else {
            0
        }
    }

    /// A team's first agent came on duty or its last went off: live channels go online or offline.
    fn staffing_changed(&mut self) {
        self.staffed_live = (0..self.team_on_duty.len())
            .filter(|&t| self.team_on_duty[t] > 0)
            .fold(0, |m, t| m | self.team_live_mask[t]);
        // Before any clock time: the next lookup recomputes the open channels.
        self.open_minute = u64::MAX - 60;
    }

    /// Whether channel `ch` takes contacts at the minute of the last [`Self::refresh_open`].
    fn is_open(&self, ch: usize) -> bool {
        self.open_mask >> ch & 1 == 1
    }

    /// Looks up which channels are open when the minute changes.
    #[inline]
    fn refresh_open(&mut self, t: u64) {
        if t < self.open_minute || t >= self.open_minute + 60 {
            self.refresh_open_minute(t);
        }
    }

    fn refresh_open_minute(&mut self, t: u64) {
        self.open_minute = t / 60 * 60;
        let mow = self.minute_of_week(t);
        let extra = self
            .open_extra
            .iter()
            .filter(|(from, until, _, w)| (*from..*until).contains(&t) && w.covers(mow))
            .fold(0, |m, (_, _, bit, _)| m | bit);
        let mask = (self.open_by_mow[mow as usize] | extra) & (!self.live_mask | self.staffed_live);
        if mask != self.open_mask {
            self.open_mask = mask;
            let channels = &self.cfg.channels;
            self.open_channels.clear();
            self.open_channels.extend(
                (0..channels.len())
                    .filter(|&i| mask >> i & 1 == 1 && channels[i].share > 0.0)
                    .map(|i| i as u8),
            );
            self.open_cum.clear();
            for weights in self.channel_weight.chunks(channels.len()) {
                let mut total = 0.0;
                for &c in &self.open_channels {
                    total += weights[c as usize];
                    self.open_cum.push(total);
                }
            }
        }
    }

    /// Pops the best async item among the team's queues. Each queue ranks its heads by its channel's
    /// discipline: (priority, time queued) for strict priority, due time for due-time ordering, time
    /// queued for FIFO; across queues the smallest rank wins.
    fn take_async(&mut self, team: usize) -> Option<u32> {
        let nch = self.cfg.channels.len();
        let mut best: Option<((u64, u64, u32), usize, usize)> = None;
        for &qi in &self.team_async[team] {
            let mut nonempty = self.async_nonempty[qi];
            if nonempty == 0 {
                continue;
            }
            let channel = &self.cfg.channels[qi % nch];
            while nonempty != 0 {
                let prio = nonempty.trailing_zeros() as usize;
                nonempty &= nonempty - 1;
                let Some(&(enq, ti)) = self.async_q[qi][prio].front() else {
                    continue;
                };
                let rank = match channel.discipline {
                    QueueDiscipline::Priority => (prio as u64, enq, ti),
                    QueueDiscipline::DueTime => (0, enq + channel.due_offset_secs[prio], ti),
                    QueueDiscipline::Fifo => (0, enq, ti),
                };
                if best.is_none_or(|(b, _, _)| rank < b) {
                    best = Some((rank, qi, prio));
                }
                if channel.discipline == QueueDiscipline::Priority {
                    // Lower priorities of this queue cannot beat its most urgent head.
                    break;
                }
            }
        }
        let (_, qi, prio) = best?;
        let fifo = &mut self.async_q[qi][prio];
        let (_, ti) = fifo.pop_front()?;
        if fifo.is_empty() {
            self.async_nonempty[qi] &= !(1 << prio);
        }
        Some(ti)
    }

    /// Adds the time since the agent's last change to its shift's busy or idle total (history only).
    fn accrue(&mut self, a: u32, now: u64) {
        let ag = &mut self.agents[a as usize];
        let mut from = ag.last_change.max(self.origin);
        ag.last_change = now;
        if !ag.on_duty {
            return;
        }
        let to = now.min(self.end);
        if from >= to {
            return;
        }
        let busy = ag.load > 0;
        let mut day = ((from - self.origin) / DAY_SECS) as usize;
        let mut day_end = self.origin + (day as u64 + 1) * DAY_SECS;
        let days = &mut self.shift_load[ag.load_base as usize..][..self.cfg.history_days as usize];
        loop {
            let upto = to.min(day_end);
            let load = &mut days[day];
            if busy {
                load.busy_secs += upto - from;
            } else {
                load.idle_secs += upto - from;
            }
            if upto == to {
                return;
            }
            from = upto;
            day += 1;
            day_end += DAY_SECS;
        }
    }

    /// Turns the final state into records. Tickets still in progress are right-censored (open).
    pub fn finish(self) -> SimOutput {
        let cfg = self.cfg;
        let origin = self.origin;
        let end = self.end;
        let first_team_for = |ch: usize| self.serving[ch].first().copied().unwrap_or(NONE_U16);
        // Consumed, not borrowed: a record is no larger than the engine's ticket, so the standard
        // library builds the records in the tickets' own memory instead of touching ~100 MB more.
        const _: () = assert!(size_of::<TicketRecord>() <= size_of::<Tk>());
        let tickets = self
            .tickets
            .into_iter()
            .filter(|tk| tk.export_id != 0)
            .map(|tk| {
                let status = match tk.phase {
                    Phase::Solved => Status::Solved,
                    Phase::Abandoned => Status::Abandoned,
                    _ => Status::Open,
                };
                let target = cfg.channels[tk.channel as usize].first_reply_target_secs;
                let created = u64::from(tk.created);
                let first_reply = (tk.first_reply != NO_TIME32).then_some(u64::from(tk.first_reply));
                let breached = match first_reply {
                    Some(fr) => Some(fr - created > target),
                    None => (end - created > target).then_some(true),
                };
                // Clock times fit u32 (checked by the queue), so times since the origin do too.
                let since_origin = |clock: u64| (clock - origin) as u32;
                TicketRecord {
                    id: tk.export_id,
                    created_secs: since_origin(created),
                    channel: tk.channel,
                    category: tk.category,
                    priority: tk.priority,
                    customer: if tk.customer == NONE_U32 {
                        NONE_U32
                    } else {
                        self.slot_customer[tk.customer as usize]
                    },
                    segment: tk.segment,
                    team: if tk.team == NONE_U16 {
                        first_team_for(tk.channel as usize)
                    } else {
                        tk.team
                    },
                    assignee: tk.assignee,
                    status,
                    first_reply_secs: first_reply.map(since_origin),
                    solved_secs: (status == Status::Solved).then(|| since_origin(u64::from(tk.solved_at))),
                    agent_replies: tk.agent_replies,
                    reopens: tk.reopens,
                    escalated: tk.escalated,
                    group_stations: tk.teams_mask.count_ones() as u8,
                    // A ticket still waiting at the extract has waited since it last queued.
                    queue_wait_secs: tk.queue_wait
                        + if matches!(tk.phase, Phase::Queued | Phase::LiveWaiting) {
                            (end - u64::from(tk.enq_at)) as u32
                        } else {
                            0
                        },
                    handle_secs: tk.handle,
                    first_reply_sla_breached: breached,
                    incident: tk.incident,
                    retry: tk.retry,
                    csat_score: (tk.csat > 0).then_some(tk.csat),
                    csat_comment_theme: crate::models::comments::CsatTheme::from_u8(tk.csat_theme),
                    key: tk.key,
                }
            })
            .collect();
        // Surveys were sent in time order.
        let mut loyalty = self.loyalty;
        let churned_secs = loyalty.churn_times();
        let later_churn = loyalty.later_churn();
        let nps = std::mem::take(&mut loyalty.nps);
        SimOutput {
            tickets,
            nps,
            customer_churned_secs: churned_secs,
            customer_later_churn: later_churn,
            events: self.events,
            customers: Vec::new(),
            agents: Vec::new(),
            schedule: Vec::new(),
            shift_load: cfg
                .teams
                .iter()
                .scan(self.shift_load.as_slice(), |rest, team| {
                    let days = cfg.history_days as usize;
                    let (mine, others) = rest.split_at(team.shifts.len() * days);
                    *rest = others;
                    Some(mine.chunks(days).map(<[ShiftLoad]>::to_vec).collect())
                })
                .collect(),
            history_secs: end - origin,
            deflections: self.deflected,
        }
    }
}

/// A keyed duration in whole seconds (at least 1): the `index`-th draw for `purpose` of `key`.
#[inline]
fn draw_secs(dist: crate::config::Duration, key: u64, purpose: Draw, index: u32) -> u64 {
    let z = if dist.needs_normal() {
        Seeds::normal(key, purpose, index)
    } else {
        0.0
    };
    whole_secs(dist.sample_secs(Seeds::uniform(key, purpose, index), z))
}

/// `secs.round().max(1.0) as u64` (halves away from zero, at least 1, NaN to 1) without a call to
/// libm's `round`, which baseline x86-64 lacks an instruction for and which the engine would make
/// for every duration it draws.
#[inline]
fn whole_secs(secs: f64) -> u64 {
    // Truncation saturates (negative and NaN give 0); `secs - whole` is exact for whole < 2^53, and
    // beyond 2^52 every double is whole.
    let whole = secs as u64;
    let rounded = if secs - whole as f64 >= 0.5 {
        whole.saturating_add(1)
    } else {
        whole
    };
    rounded.max(1)
}

/// Cumulative probabilities of 1 + Poisson(mean - 1) touches for 1..=MAX_TOUCHES (the last is 1:
/// the tail is capped).
fn touches_cdf(mean: f64) -> [f64; MAX_TOUCHES as usize] {
    let lambda = (mean - 1.0).max(0.0);
    let mut cdf = [1.0; MAX_TOUCHES as usize];
    let mut p = (-lambda).exp();
    let mut acc = p;
    for (k, c) in cdf.iter_mut().enumerate().take(MAX_TOUCHES as usize - 1) {
        *c = acc;
        p *= lambda / (k + 1) as f64;
        acc += p;
    }
    cdf
}

/// Touches by inversion of a touches CDF with one uniform.
#[inline]
fn draw_touches(cdf: &[f64; MAX_TOUCHES as usize], u: f64) -> u8 {
    // The first probability at or above `u`: in a non-decreasing CDF, the count of those below it.
    cdf.iter().filter(|&&c| c < u).count().min(MAX_TOUCHES as usize - 1) as u8 + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_secs_rounds_like_the_standard_library() {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut values = vec![
            0.0,
            0.49999999999999994,
            0.5,
            1.5,
            2.5,
            -0.4,
            -3.6,
            f64::NAN,
            1e300,
            4503599627370497.0,
        ];
        for _ in 0..100_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let scale = [1.0, 1e3, 1e6, 1e12][(x >> 62) as usize];
            values.push((x >> 11) as f64 / (1u64 << 53) as f64 * scale);
            values.push((x % 20_000) as f64 / 2.0);
        }
        for v in values {
            assert_eq!(whole_secs(v), v.round().max(1.0) as u64, "{v}");
        }
    }

    #[test]
    fn touches_have_the_configured_mean() {
        let n = 100_000;
        let total: u64 = (0..n)
            .map(|i| u64::from(draw_touches(&touches_cdf(1.6), (i as f64 + 0.5) / n as f64)))
            .sum();
        let mean = total as f64 / n as f64;
        assert!((mean - 1.6).abs() < 0.01, "mean {mean}");
        assert_eq!(draw_touches(&touches_cdf(1.0), 0.999), 1);
    }
}
