//! Invariants over every ticket and event of generated histories.

use std::collections::HashMap;

use crate::common;
use supportsim::config::{Config, DAY_SECS};
use supportsim::record::{EventKind, NONE_U32, SimOutput, Status};

/// Checks every invariant; returns how many tickets were checked.
pub fn check_all(sim: &SimOutput, cfg: &Config) -> usize {
    let end = u32::try_from(sim.history_secs).expect("history within u32 seconds");
    for t in &sim.tickets {
        let id = t.id;
        assert!(t.created_secs < end, "ticket {id} created after the end");
        if let Some(fr) = t.first_reply_secs {
            assert!(
                fr >= t.created_secs && fr <= end,
                "ticket {id}: first reply {fr} outside [created, end]"
            );
        }
        if let Some(s) = t.solved_secs {
            let fr = t
                .first_reply_secs
                .unwrap_or_else(|| panic!("ticket {id} solved without a first reply"));
            assert!(s >= fr, "ticket {id}: solved {s} before first reply {fr}");
        }
        let horizon = t.solved_secs.unwrap_or(end);
        assert!(
            t.queue_wait_secs <= horizon - t.created_secs,
            "ticket {id}: waited longer than it existed"
        );
        match t.status {
            Status::Solved => {
                assert!(t.solved_secs.is_some(), "ticket {id}: solved without solved time");
                assert!(t.agent_replies >= 1, "ticket {id}: solved with no agent reply");
                assert!(t.assignee != NONE_U32, "ticket {id}: solved without assignee");
            }
            Status::Open => assert!(t.solved_secs.is_none(), "ticket {id}: open with a solved time"),
            Status::Abandoned => {
                assert!(
                    cfg.channels[t.channel as usize].live,
                    "ticket {id}: abandoned on an async channel"
                );
                assert!(
                    t.first_reply_secs.is_none() && t.agent_replies == 0,
                    "ticket {id}: abandoned after a reply"
                );
            }
        }
        // An escalated ticket that was solved went through a tier-1 team and then a tier-2 team, and
        // a tier-2 team holds it; no ticket passes through more teams than exist.
        if t.escalated && t.status == Status::Solved {
            assert!(
                t.group_stations >= 2,
                "ticket {id}: solved after escalation by one team"
            );
            assert_eq!(
                cfg.teams[t.team as usize].tier, 2,
                "ticket {id}: escalated, solved at tier 1"
            );
        }
        if !t.escalated {
            assert_eq!(
                cfg.teams[t.team as usize].tier, 1,
                "ticket {id}: tier 2 holds a ticket never escalated"
            );
        }
        assert!(
            usize::from(t.group_stations) <= cfg.teams.len(),
            "ticket {id}: {} teams",
            t.group_stations
        );
        if t.csat_score.is_some() {
            // A rating belongs to the last solve: reopening a ticket removes its earlier rating.
            assert_eq!(
                t.status,
                Status::Solved,
                "ticket {id}: a CSAT answer on a ticket not solved now"
            );
        }
    }

    // Events: per ticket in time order, starting with `created`, agreeing with the ticket table.
    let mut last: HashMap<u32, (u64, u32, EventKind)> = HashMap::new();
    for e in &sim.events {
        assert!(e.at_secs < end, "event after the end of the history");
        let entry = last.entry(e.ticket).or_insert_with(|| {
            assert_eq!(
                e.kind,
                EventKind::Created,
                "ticket {}: first event is {:?}",
                e.ticket,
                e.kind
            );
            (u64::from(e.at_secs), 0, e.kind)
        });
        assert!(
            u64::from(e.at_secs) >= entry.0,
            "ticket {}: events out of time order",
            e.ticket
        );
        entry.0 = u64::from(e.at_secs);
        entry.1 += u32::from(e.kind == EventKind::AgentReply);
        if !matches!(e.kind, EventKind::SurveySent | EventKind::SurveyAnswered) {
            entry.2 = e.kind;
        }
    }
    assert_eq!(last.len(), sim.tickets.len(), "every ticket has events");
    let mut sent: HashMap<u32, u32> = HashMap::new();
    let mut answered: HashMap<u32, u32> = HashMap::new();
    for e in &sim.events {
        match e.kind {
            EventKind::SurveySent => *sent.entry(e.ticket).or_default() += 1,
            EventKind::SurveyAnswered => {
                assert!(
                    sent.contains_key(&e.ticket),
                    "ticket {}: survey answered before sent",
                    e.ticket
                );
                *answered.entry(e.ticket).or_default() += 1;
            }
            _ => {}
        }
    }
    for t in &sim.tickets {
        let n = answered.get(&t.id).copied().unwrap_or(0);
        assert!(
            n <= u32::from(t.reopens) + 1,
            "ticket {}: {n} survey answers for {} solves",
            t.id,
            t.reopens + 1
        );
        if n == 1 && t.reopens == 0 {
            assert!(
                t.csat_score.is_some(),
                "ticket {}: answered survey without a score",
                t.id
            );
        }
    }
    for t in &sim.tickets {
        let (_, replies, final_kind) = last[&t.id];
        assert_eq!(
            replies,
            u32::from(t.agent_replies),
            "ticket {}: agent_reply events vs agent_replies",
            t.id
        );
        match t.status {
            Status::Solved => assert_eq!(final_kind, EventKind::Solved, "ticket {}", t.id),
            Status::Abandoned => assert_eq!(final_kind, EventKind::Abandoned, "ticket {}", t.id),
            Status::Open => assert!(
                !matches!(final_kind, EventKind::Solved | EventKind::Abandoned),
                "ticket {}",
                t.id
            ),
        }
    }

    // Agents: never more contacts than the channel's concurrency, several only when all are chats of
    // one channel; no work started outside the agent's shift.
    let channel_of: HashMap<u32, u8> = sim.tickets.iter().map(|t| (t.id, t.channel)).collect();
    let mut held: HashMap<u16, Vec<u32>> = HashMap::new();
    let mut live_assignment: HashMap<u32, bool> = HashMap::new();
    for e in &sim.events {
        match e.kind {
            EventKind::Queued => {
                // The next assignment is live if the ticket is on a live channel and has no reply yet.
                let first = !live_assignment.contains_key(&e.ticket);
                live_assignment.insert(e.ticket, first && cfg.channels[channel_of[&e.ticket] as usize].live);
            }
            EventKind::Assigned => {
                let agent = &sim.agents[e.agent as usize];
                let team = &cfg.teams[agent.team as usize];
                let shift = &team.shifts[agent.shift as usize];
                let day = u64::from(e.at_secs) / DAY_SECS;
                let weekday = (u64::from(cfg.start_weekday) + day) % 7;
                let minute_of_week = (weekday * 1440 + (u64::from(e.at_secs) % DAY_SECS) / 60) as u32;
                assert!(
                    shift.window.covers(minute_of_week),
                    "agent {} started work outside its shift {} at {} (minute of week {minute_of_week}, ticket {})",
                    e.agent,
                    shift.name,
                    u64::from(e.at_secs),
                    e.ticket
                );
                let ch = channel_of[&e.ticket];
                let live = live_assignment.insert(e.ticket, false).unwrap_or(false);
                let h = held.entry(e.agent).or_default();
                if !h.is_empty() {
                    let conc = cfg.channels[ch as usize].concurrency as usize;
                    assert!(
                        live && conc > 1,
                        "agent {} took a second contact that is not a chat",
                        e.agent
                    );
                    assert!(h.len() < conc, "agent {} holds more than {conc} chats", e.agent);
                    assert!(
                        h.iter().all(|t| channel_of[t] == ch),
                        "agent {} mixes channels",
                        e.agent
                    );
                }
                h.push(e.ticket);
            }
            EventKind::AgentReply => {
                let h = held.entry(e.agent).or_default();
                let pos = h
                    .iter()
                    .position(|&t| t == e.ticket)
                    .unwrap_or_else(|| panic!("reply by an agent not holding the ticket"));
                h.swap_remove(pos);
            }
            _ => {}
        }
    }
    // Churned customers neither contact support nor are surveyed from their churn date on, and
    // nobody contacts support before signing up.
    let day = DAY_SECS as i64;
    for t in &sim.tickets {
        let Some(c) = sim.customers.get(t.customer as usize) else {
            continue;
        };
        let created = i64::from(t.created_secs);
        assert!(
            c.signup_secs <= created,
            "ticket {} before its customer signed up",
            t.id
        );
        if let Some(churned) = c.churned_secs {
            assert!(
                created.div_euclid(day) < churned.div_euclid(day),
                "ticket {} created on or after its customer's churn date",
                t.id
            );
            assert_eq!(churned % day, 0, "churn dated at a midnight");
        }
    }
    for r in &sim.nps {
        let c = &sim.customers[r.customer as usize];
        if let Some(churned) = c.churned_secs {
            assert!((r.sent_secs as i64) < churned, "NPS survey to a churned customer");
        }
        assert!(c.signup_secs < r.sent_secs as i64, "NPS survey before signing up");
        assert_eq!(r.score.is_some(), r.responded_secs.is_some());
        assert!(r.responded_secs.is_none_or(|x| x > r.sent_secs && x < u64::from(end)));
    }
    sim.tickets.len()
}

#[test]
fn every_ticket_of_saas_seeds_1_to_3_holds_the_invariants() {
    let l = common::built_in("saas");
    for seed in 1..=3 {
        let sim = common::simulate(&l, seed);
        let n = check_all(&sim, &l.config);
        assert!(n > 30_000, "seed {seed}: only {n} tickets");
    }
}

#[test]
fn every_ticket_of_ecommerce_and_fintech_cases_holds_the_invariants() {
    for name in ["ecommerce", "fintech"] {
        let l = common::built_in(name);
        let cfg = l.config.with_issues(l.config.draw_issues(1));
        let sim = supportsim::sim::simulate(&cfg, 1, &mut |_| {});
        let n = check_all(&sim, &cfg);
        assert!(n > 30_000, "{name}: only {n} tickets");
    }
}

#[test]
fn every_ticket_of_a_stressed_operation_holds_the_invariants() {
    // Half the agents, chat concurrency 3 and impatient customers: queues, abandonment and backlog.
    let text = common::built_in_text("saas")
        .replace("agents = 9", "agents = 4")
        .replace("agents = 6", "agents = 3")
        .replace("agents = 5", "agents = 3")
        .replace("concurrency = 2", "concurrency = 3")
        .replace("mean_minutes = 4.0 }", "mean_minutes = 1.0 }");
    let l = common::parse(&text);
    let sim = common::simulate(&l, 11);
    check_all(&sim, &l.config);
    let abandoned = sim.tickets.iter().filter(|t| t.status == Status::Abandoned).count();
    let open = sim.tickets.iter().filter(|t| t.status == Status::Open).count();
    assert!(
        abandoned > 1000 && open > 100,
        "the stress test should stress: {abandoned} abandoned, {open} open"
    );
}

#[test]
fn the_large_scenario_has_a_million_tickets_that_hold_the_invariants() {
    let l = common::built_in("large");
    let sim = common::simulate(&l, 1);
    let n = check_all(&sim, &l.config);
    assert!(n >= 1_000_000, "large has {n} tickets");
}
