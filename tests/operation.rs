//! The operation as a workforce-management analyst knows it: changes keyed by identity (removing
//! one issue leaves the earlier history and the other issues' draws alone), issues that ramp in
//! and act unevenly, live pickup times, a half-hourly schedule that gives paid hours, shrinkage,
//! holidays, hires and leavers, queue disciplines, and opening hours that match the roster.

use std::collections::BTreeMap;

use crate::common;
use supportsim::config::{Config, DAY_SECS, Effect, Issue};
use supportsim::record::{SimOutput, Status};
use supportsim::rng::Seeds;
use supportsim::sim::arrivals::arrivals_for_day;
use supportsim::sim::causes::Causes;
use supportsim::sim::customers::CustomerBase;
use supportsim::sim::roster::build_agents;

fn pool_issue(cfg: &Config, kind: &str, start_day: u32) -> Issue {
    let i = cfg
        .issue_pool
        .iter()
        .position(|t| t.kind.name() == kind)
        .unwrap_or_else(|| panic!("no {kind} in the pool"));
    cfg.issue(i, start_day)
}

/// The arrivals (time, key) that the volume changes of `issue` add over the history.
fn issue_arrivals(cfg: &Config, seed: u64, issue: &Issue) -> Vec<(i64, u64)> {
    let seeds = Seeds::new(seed);
    let base = CustomerBase::generate(cfg, &seeds, cfg.history_days);
    let ids: Vec<u64> = issue
        .changes(|k| cfg.categories[k].share)
        .iter()
        .map(|c| c.id)
        .collect();
    (0..i64::from(cfg.history_days))
        .flat_map(|day| arrivals_for_day(cfg, &seeds, &base, day))
        .filter(|a| a.incident.is_some_and(|i| ids.contains(&cfg.changes[i as usize].id)))
        .map(|a| (a.at_secs, a.key))
        .collect()
}

#[test]
fn removing_one_issue_leaves_the_earlier_history_and_the_other_issues_draws_identical() {
    let base = common::built_in("saas").config;
    let outage = pool_issue(&base, "outage", 40);
    let regression = pool_issue(&base, "release_regression", 60);
    let both = base.with_issues(vec![outage.clone(), regression.clone()]);
    let only_regression = base.with_issues(vec![regression.clone()]);
    let seed = 5;
    let with = issue_arrivals(&both, seed, &regression);
    let without = issue_arrivals(&only_regression, seed, &regression);
    assert!(with.len() > 500, "the regression should add contacts: {}", with.len());
    assert_eq!(with, without, "the regression's contacts must not depend on the outage");
    // The history before the outage starts is the same event for event.
    let a = supportsim::sim::simulate(&both, seed, &mut |_| {});
    let b = supportsim::sim::simulate(&only_regression, seed, &mut |_| {});
    let start = outage.start_secs();
    let before = |s: &SimOutput| -> Vec<(u32, u32, u16)> {
        s.events
            .iter()
            .filter(|e| u64::from(e.at_secs) < start)
            .map(|e| (e.ticket, e.at_secs, e.agent))
            .collect()
    };
    let (ea, eb) = (before(&a), before(&b));
    assert!(ea.len() > 50_000, "{} events before the outage", ea.len());
    assert_eq!(ea, eb, "events before the outage differ");
    // ...and the outage does change what comes after.
    assert_ne!(a.tickets.len(), b.tickets.len());
    // A staffing change keyed by identity too: without the cut, the roster and history before it
    // are the same.
    let cut = pool_issue(&base, "staffing_cut", 50);
    let creep = pool_issue(&base, "handle_time_creep", 35);
    let a = supportsim::sim::simulate(&base.with_issues(vec![creep.clone(), cut.clone()]), seed, &mut |_| {});
    let b = supportsim::sim::simulate(&base.with_issues(vec![creep]), seed, &mut |_| {});
    let start = cut.start_secs();
    let (ea, eb) = (before_at(&a, start), before_at(&b, start));
    assert!(ea.len() > 50_000 && ea == eb, "events before the staffing cut differ");
    let hires = |s: &SimOutput| s.agents.iter().filter(|x| x.hire_day > 0 && x.hire_day < 50).count();
    assert_eq!(hires(&a), hires(&b), "hires before the cut differ");
}

fn before_at(s: &SimOutput, start: u64) -> Vec<(u32, u32, u16)> {
    s.events
        .iter()
        .filter(|e| u64::from(e.at_secs) < start)
        .map(|e| (e.ticket, e.at_secs, e.agent))
        .collect()
}

#[test]
fn a_creeping_handle_time_ramps_in_and_hits_agents_unevenly() {
    let base = common::built_in("saas").config;
    let issue = pool_issue(&base, "handle_time_creep", 30);
    let team = base
        .teams
        .iter()
        .position(|t| t.name == "frontline_live")
        .expect("team");
    let per_agent = |sim: &SimOutput, d0: u64, d1: u64| -> BTreeMap<u32, f64> {
        let mut sums: BTreeMap<u32, (f64, f64)> = BTreeMap::new();
        for t in &sim.tickets {
            let day = u64::from(t.created_secs) / DAY_SECS;
            if t.team as usize == team && t.agent_replies == 1 && !t.escalated && (d0..d1).contains(&day) {
                let e = sums.entry(t.assignee).or_default();
                e.0 += f64::from(t.handle_secs);
                e.1 += 1.0;
            }
        }
        sums.into_iter()
            .filter(|(_, (_, n))| *n >= 200.0)
            .map(|(a, (s, n))| (a, s / n))
            .collect()
    };
    let spread_of_log_ratios = |sim: &SimOutput| -> (f64, f64) {
        // Mean and standard deviation over agents of ln(after / before).
        let (before, after) = (per_agent(sim, 0, 30), per_agent(sim, 45, 119));
        let logs: Vec<f64> = before
            .iter()
            .filter_map(|(a, b)| after.get(a).map(|x| (x / b).ln()))
            .collect();
        let m = logs.iter().sum::<f64>() / logs.len() as f64;
        let sd = (logs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (logs.len() - 1) as f64).sqrt();
        (m, sd)
    };
    let cfg = base.with_issues(vec![issue.clone()]);
    let with = supportsim::sim::simulate(&cfg, 3, &mut |_| {});
    let without = supportsim::sim::simulate(&base, 3, &mut |_| {});
    let ((m1, _), (m0, _)) = (spread_of_log_ratios(&with), spread_of_log_ratios(&without));
    assert!(
        m1 - m0 > 0.15,
        "handle times should rise by about 30%: log ratio {m1:.3} vs {m0:.3}"
    );
    // Each agent has its own strength: the factors the engine applies at full strength spread
    // around the configured 1.3...
    let roster = build_agents(&cfg, &Seeds::new(3), cfg.warmup_days + cfg.history_days);
    let origin = u64::from(cfg.warmup_days) * DAY_SECS;
    let causes = Causes::new(&cfg.changes, origin);
    let factor: BTreeMap<u32, f64> = roster
        .iter()
        .enumerate()
        .filter(|(_, a)| a.record.team as usize == team)
        .map(|(i, a)| (i as u32, causes.handle_factor(origin + 60 * DAY_SECS, team, 0, a.key)))
        .collect();
    let (lo, hi) = factor
        .values()
        .fold((f64::MAX, 0.0f64), |(l, h), &f| (l.min(f), h.max(f)));
    let geo = (factor.values().map(|f| f.ln()).sum::<f64>() / factor.len() as f64).exp();
    assert!(
        lo < 1.2 && hi > 1.4 && (geo - 1.3).abs() < 0.08,
        "factors {lo:.3}..{hi:.3}, geometric mean {geo:.3}"
    );
    // ...and the agents' measured slow-downs follow them.
    let (before, after) = (per_agent(&with, 0, 30), per_agent(&with, 45, 119));
    let pairs: Vec<(f64, f64)> = before
        .iter()
        .filter_map(|(a, b)| Some(((after.get(a)? / b).ln(), factor.get(a)?.ln())))
        .collect();
    let corr = correlation(&pairs);
    assert!(
        pairs.len() >= 8 && corr > 0.3,
        "measured and applied slow-downs: r = {corr:.2} over {} agents",
        pairs.len()
    );
    // The ramp: the first days after the start are slowed less than the weeks after.
    let team_mean = |d0: u64, d1: u64| {
        let v: Vec<f64> = with
            .tickets
            .iter()
            .filter(|t| {
                let day = u64::from(t.created_secs) / DAY_SECS;
                t.team as usize == team && t.agent_replies == 1 && !t.escalated && (d0..d1).contains(&day)
            })
            .map(|t| f64::from(t.handle_secs))
            .collect();
        v.iter().sum::<f64>() / v.len() as f64
    };
    let first_days = team_mean(30, 33) / team_mean(0, 30);
    let later = team_mean(45, 119) / team_mean(0, 30);
    assert!(
        first_days < later - 0.08,
        "the creep should ramp in: x{first_days:.3} in its first three days, x{later:.3} later"
    );
}

fn correlation(pairs: &[(f64, f64)]) -> f64 {
    let n = pairs.len() as f64;
    let (mx, my) = (
        pairs.iter().map(|p| p.0).sum::<f64>() / n,
        pairs.iter().map(|p| p.1).sum::<f64>() / n,
    );
    let cov: f64 = pairs.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    let vx: f64 = pairs.iter().map(|p| (p.0 - mx).powi(2)).sum();
    let vy: f64 = pairs.iter().map(|p| (p.1 - my).powi(2)).sum();
    cov / (vx * vy).sqrt()
}

#[test]
fn live_contacts_take_time_to_pick_up_and_waiting_tickets_show_their_wait() {
    for name in ["saas", "ecommerce", "fintech"] {
        let l = common::built_in(name);
        let sim = common::simulate(&l, 2);
        let cfg = &l.config;
        let live: Vec<_> = sim
            .tickets
            .iter()
            .filter(|t| cfg.channels[t.channel as usize].live && t.first_reply_secs.is_some())
            .collect();
        let zero = live
            .iter()
            .filter(|t| t.first_reply_secs == Some(t.created_secs))
            .count();
        assert!(
            zero * 20 <= live.len(),
            "{name}: {zero} of {} live first replies at exactly zero",
            live.len()
        );
        // A free agent's pickup still takes seconds: the fastest tenth is not instant.
        let mut secs: Vec<u32> = live
            .iter()
            .map(|t| t.first_reply_secs.expect("replied") - t.created_secs)
            .collect();
        secs.sort_unstable();
        assert!(
            secs[secs.len() / 10] >= 2,
            "{name}: p10 first reply {} s",
            secs[secs.len() / 10]
        );
        for t in sim
            .tickets
            .iter()
            .filter(|t| t.status == Status::Open && t.first_reply_secs.is_none())
        {
            assert!(
                t.queue_wait_secs > 0,
                "{name}: ticket {} still waiting shows no wait",
                t.id
            );
            assert_eq!(
                u64::from(t.queue_wait_secs),
                sim.history_secs - u64::from(t.created_secs),
                "{name}: ticket {} never answered has waited since it was created",
                t.id
            );
        }
    }
}

#[test]
fn the_schedule_is_half_hourly_and_shrinkage_keeps_every_shift_busy_at_most_80_percent_of_paid_time() {
    let l = common::built_in("saas");
    let cfg = &l.config;
    let sim = common::simulate(&l, 1);
    let per_day = 48 * cfg.teams.len();
    assert_eq!(sim.schedule.len(), cfg.history_days as usize * per_day);
    assert!(sim.schedule.iter().all(|r| r.minute % 30 == 0 && r.minute < 1440));
    // 07:30 starts are visible: the early shift is scheduled from 07:30, not from 08:00 or 07:00.
    let at = |team: usize, day: u32, minute: u16| {
        sim.schedule
            .iter()
            .find(|r| r.team as usize == team && r.day == day && r.minute == minute)
            .map(|r| r.agents_scheduled)
            .expect("row")
    };
    assert_eq!(at(0, 1, 7 * 60), 0);
    assert!(at(0, 1, 7 * 60 + 30) > 0);
    for (ti, team) in cfg.teams.iter().enumerate() {
        // Paid hours from the schedule are the paid time the operation accounted.
        let scheduled: u64 = sim
            .schedule
            .iter()
            .filter(|r| r.team as usize == ti)
            .map(|r| u64::from(r.agents_scheduled) * 1800)
            .sum();
        let paid: u64 = sim.shift_load[ti].iter().flatten().map(|d| d.paid_secs).sum();
        let diff = scheduled.abs_diff(paid) as f64 / paid as f64;
        assert!(diff < 0.01, "{}: schedule {scheduled} s vs paid {paid} s", team.name);
        for (si, shift) in team.shifts.iter().enumerate() {
            let days = &sim.shift_load[ti][si];
            let busy: u64 = days.iter().map(|d| d.busy_secs).sum();
            let available: u64 = days.iter().map(|d| d.busy_secs + d.idle_secs).sum();
            let paid: u64 = days.iter().map(|d| d.paid_secs).sum();
            let shrinkage = 1.0 - available as f64 / paid as f64;
            let busy_share = busy as f64 / paid as f64;
            assert!(
                busy_share <= 0.80,
                "{}/{}: busy {:.0}% of paid time",
                team.name,
                shift.name,
                busy_share * 100.0
            );
            assert!(
                (0.08..=0.30).contains(&shrinkage),
                "{}/{}: {:.0}% of paid time unavailable",
                team.name,
                shift.name,
                shrinkage * 100.0
            );
        }
    }
}

#[test]
fn holidays_leave_and_turnover_change_staff_and_demand_on_the_right_days() {
    let l = common::built_in("saas");
    let cfg = &l.config;
    // Presidents' Day, 16 February 2026 (a Monday): history day 42 from Monday 5 January.
    let holiday = 42u32;
    for seed in 1..=5 {
        let sim = common::simulate(&l, seed);
        let staffed = |day: u32| {
            sim.schedule
                .iter()
                .filter(|r| r.day == day && r.team == 0)
                .map(|r| r.agents_scheduled)
                .sum::<u32>()
        };
        let mondays: Vec<u32> = [35, 49, 56].iter().map(|&d| staffed(d)).collect();
        assert!(
            staffed(holiday) * 10 < 7 * *mondays.iter().min().expect("mondays"),
            "seed {seed}: {} agent-intervals on the holiday, {mondays:?} on other Mondays",
            staffed(holiday)
        );
        // Planned leave: ordinary Mondays are not all staffed alike.
        let ordinary: Vec<u32> = (0..17).map(|w| staffed(w * 7)).filter(|&n| n > 0).collect();
        assert!(
            ordinary.iter().max() > ordinary.iter().min(),
            "seed {seed}: {ordinary:?}"
        );
        let tickets_on = |day: u64| {
            sim.tickets
                .iter()
                .filter(|t| u64::from(t.created_secs) / DAY_SECS == day)
                .count()
        };
        let other_mondays = (tickets_on(35) + tickets_on(49)) as f64 / 2.0;
        assert!(
            (tickets_on(42) as f64) < 0.85 * other_mondays,
            "seed {seed}: {} tickets on the holiday, {other_mondays} on the Mondays around it",
            tickets_on(42)
        );
        let days = i64::from(cfg.history_days);
        let hires: Vec<_> = sim.agents.iter().filter(|a| (1..days).contains(&a.hire_day)).collect();
        let leavers = sim
            .agents
            .iter()
            .filter(|a| a.left_day.is_some_and(|d| (1..days).contains(&d)))
            .count();
        assert!(
            !hires.is_empty() && leavers > 0,
            "seed {seed}: {} hires and {leavers} leavers in the history",
            hires.len()
        );
        // Hires start on a Monday (the history starts on one), or on the Tuesday after a holiday.
        let region = &cfg.regions[0];
        let first_working_day =
            |d: i64| (d % 7 == 0 && !region.is_holiday(d)) || (d % 7 == 1 && region.is_holiday(d - 1));
        assert!(
            hires.iter().all(|a| first_working_day(a.hire_day)),
            "seed {seed}: a hire not on the first working day of a week"
        );
    }
}

/// An overloaded one-queue email operation with the given discipline: mean first-reply minutes of
/// urgent and of low-priority tickets that got a reply, and the share of low ones never answered.
fn email_waits(discipline: &str) -> (f64, f64, f64) {
    let always_on_duty = common::ALWAYS_ON_DUTY;
    let text = format!(
        r#"
[case]
company = "Queue Test"
industry = "test"
context = "one email queue"
start_date = "2026-01-05"
history_days = 42
horizon_days = 0
warmup_days = 0
budget_usd = 0.0

[customers]
count = 50000
growth_per_month = 0.0
regions = [{{ name = "all", share = 1.0 }}]
segments = [{{ name = "all", share = 1.0, mrr_usd = 100.0, contacts_per_month = 0.19, churn_monthly = 0.0 }}]

[arrivals]
hour_profile = [1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]
weekday_profile = [1,1,1,1,1,1,1]
daily_cv = 0.0

[[channels]]
name = "email"
kind = "async"
share = 1.0
first_reply_target_minutes = 240.0
queue_discipline = "{discipline}"

[[categories]]
name = "question"
share = 1.0
handle_time = {{ distribution = "exponential", mean_minutes = 10.0 }}
touches_mean = 1.0
customer_reply_delay = {{ distribution = "exponential", mean_minutes = 60.0 }}
escalation_rate = 0.0
reopen_rate = 0.0
priority_mix = {{ urgent = 0.1, high = 0.2, normal = 0.4, low = 0.3 }}

[[teams]]
name = "agents"
tier = 1
channels = ["email"]
hourly_cost_usd = 40.0
quality_sd = 0.0
new_hire_ramp_days = 0
{always_on_duty}

[[teams.shifts]]
name = "always"
days = "daily"
hours = "00:00-24:00"
agents = 2

[workflow]
reopen_delay = {{ distribution = "exponential", mean_minutes = 60.0 }}
"#
    );
    let sim = common::simulate(&common::parse(&text), 1);
    let waits = |p: u8| -> (f64, f64) {
        let of: Vec<_> = sim.tickets.iter().filter(|t| t.priority == p).collect();
        let replied: Vec<f64> = of
            .iter()
            .filter_map(|t| t.first_reply_secs.map(|f| f64::from(f - t.created_secs) / 60.0))
            .collect();
        (
            replied.iter().sum::<f64>() / replied.len().max(1) as f64,
            1.0 - replied.len() as f64 / of.len() as f64,
        )
    };
    let ((urgent, _), (low, unanswered)) = (waits(0), waits(3));
    (urgent, low, unanswered)
}

#[test]
fn queue_disciplines_order_work_as_configured() {
    // About 107% load: the queue grows, and the discipline decides who waits.
    let (pu, pl, p_unanswered) = email_waits("priority");
    let (du, dl, d_unanswered) = email_waits("due_time");
    let (fu, fl, f_unanswered) = email_waits("fifo");
    println!(
        "priority {pu:.0}/{pl:.0} ({p_unanswered:.2}), due {du:.0}/{dl:.0} ({d_unanswered:.2}), fifo {fu:.0}/{fl:.0}"
    );
    // Strict priority starves low priority; FIFO treats priorities alike; due time sits between.
    assert!(
        p_unanswered > 2.0 * d_unanswered.max(f_unanswered),
        "strict priority should leave the most low-priority tickets unanswered: {p_unanswered:.2} vs {d_unanswered:.2} (due), {f_unanswered:.2} (fifo)"
    );
    assert!(pu < 60.0, "strict priority answers urgent at once: {pu:.0} min");
    assert!(
        pl > 2.0 * dl,
        "strict priority makes low wait longest: {pl:.0} vs {dl:.0} min (due)"
    );
    assert!(
        (fu / fl - 1.0).abs() < 0.1,
        "FIFO waits alike: urgent {fu:.0}, low {fl:.0} min"
    );
    assert!(du < dl, "due time: urgent {du:.0} min, low {dl:.0} min");
    assert!(
        du < fu,
        "due time answers urgent sooner than FIFO: {du:.0} vs {fu:.0} min"
    );
}

#[test]
fn a_live_channel_open_when_nobody_is_rostered_is_rejected() {
    // saas chat on weekends, where only the email team works.
    let text = common::built_in_text("saas").replacen(
        "open_days = \"Mon-Fri\"\nopen_hours = \"08:00-20:00\"",
        "open_days = \"daily\"\nopen_hours = \"08:00-20:00\"",
        1,
    );
    let Err(err) = supportsim::scenarios::parse("test", "test.toml", &text) else {
        panic!("a chat open at weekends with nobody rostered was accepted");
    };
    let msg = err.to_string();
    assert!(
        msg.contains("channels[2].open_hours") && msg.contains("Sat 08:00") && msg.contains("chat"),
        "{msg}"
    );
    assert!(!msg.contains('\n'), "one line: {msg}");
}

#[test]
fn incidents_and_issue_volume_start_at_times_of_day() {
    for name in ["saas", "ecommerce", "fintech"] {
        let l = common::built_in(name);
        for c in &l.config.changes {
            if matches!(c.effect, Effect::Volume { .. }) {
                assert_ne!(c.from_secs % DAY_SECS, 0, "{name}: an incident starts at midnight");
                assert!(
                    c.until_secs.is_none_or(|u| u % DAY_SECS != 0),
                    "{name}: ends at midnight"
                );
            }
        }
        for seed in 1..=5 {
            for issue in l.config.draw_issues(seed) {
                let s = issue.start_secs() % DAY_SECS;
                let staff = matches!(issue.kind.name(), "staffing_cut" | "new_hire_cohort");
                assert!(
                    if staff {
                        s == 0
                    } else {
                        (7 * 3600..18 * 3600).contains(&s)
                    },
                    "{name}: {} starts at {s} s",
                    issue.kind.name()
                );
            }
        }
    }
}
