//! The paired what-if on saas: a plan with no changes changes nothing; a knowledge base for a
//! category lowers that category's handle time and escalations and no other's; a product fix
//! removes its defect's inflow and nothing else; the event log before a change acts is the same in
//! both runs; other customers' problems stay where they were.

use supportsim::config::{Config, DAY_SECS};
use supportsim::interventions::proposal::{self, Proposal};
use supportsim::record::{SimOutput, TicketRecord};
use supportsim::{score, whatif};

use crate::common;

fn proposal_of(cfg: &Config, text: &str) -> Proposal {
    proposal::parse(text.as_bytes(), cfg, &common::days_of(cfg)).unwrap_or_else(|e| panic!("{e}"))
}

/// saas run on over its horizon as it is and with the proposal `text`, on replication `r`'s seed.
fn paired(text: &str, r: u32) -> (Config, SimOutput, SimOutput) {
    let cfg = common::built_in("saas").config;
    let h = whatif::horizon(&cfg);
    let with = whatif::plan(&proposal_of(&cfg, text), &h, cfg.history_days, 3).expect("plan");
    let (sq, plan) = whatif::pair(&h, &with, whatif::replication_seed(3, r));
    (cfg, sq, plan)
}

/// What a ticket came to, field by field.
fn outcome(t: &TicketRecord) -> String {
    format!(
        "{} {} {} {:?} {:?} {:?} {} {} {} {:?}",
        t.created_secs,
        t.category,
        t.channel,
        t.status,
        t.first_reply_secs,
        t.solved_secs,
        t.handle_secs,
        t.escalated,
        t.reopens,
        t.csat_score
    )
}

/// Mean handle seconds of solved tickets and the escalation share, of `category` (or of every other
/// category) among tickets created from `from_secs`.
fn handle_and_escalation(sim: &SimOutput, category: u8, others: bool, from_secs: u64) -> (f64, f64) {
    let ts: Vec<&TicketRecord> = sim
        .tickets
        .iter()
        .filter(|t| u64::from(t.created_secs) >= from_secs && (t.category == category) != others)
        .filter(|t| t.solved_secs.is_some())
        .collect();
    let n = ts.len() as f64;
    (
        ts.iter().map(|t| f64::from(t.handle_secs)).sum::<f64>() / n,
        ts.iter().filter(|t| t.escalated).count() as f64 / n,
    )
}

#[test]
fn a_plan_with_no_changes_changes_nothing() {
    let cfg = common::built_in("saas").config;
    let h = whatif::horizon(&cfg);
    let plan = whatif::plan(&proposal_of(&cfg, ""), &h, cfg.history_days, 3).expect("plan");
    assert_eq!(plan.changes, h.changes);
    let (sq, with) = whatif::pair(&h, &plan, whatif::replication_seed(3, 0));
    assert_eq!(sq.tickets.len(), with.tickets.len());
    assert!(
        sq.tickets
            .iter()
            .zip(&with.tickets)
            .all(|(a, b)| outcome(a) == outcome(b))
    );
    // The horizon run covers the history and the horizon.
    let end = u64::from(cfg.history_days + cfg.horizon_days) * DAY_SECS;
    assert_eq!(sq.history_secs, end);
    assert!(sq.tickets.iter().any(|t| u64::from(t.created_secs) > end - DAY_SECS));
}

#[test]
fn a_knowledge_base_acts_on_its_category_only_and_after_its_lead_time() {
    let (cfg, sq, with) = paired("[[change]]\nkind = \"knowledge_base\"\ncategory = \"technical\"\n", 1);
    let technical = cfg.category_index("technical").expect("technical") as u8;
    let acts = u64::from(cfg.history_days + 14) * DAY_SECS;
    let full = acts + 60 * DAY_SECS;
    let (h0, e0) = handle_and_escalation(&sq, technical, false, full);
    let (h1, e1) = handle_and_escalation(&with, technical, false, full);
    assert!(h1 < 0.93 * h0, "technical handle {h0:.0} -> {h1:.0} s");
    assert!(e1 < 0.93 * e0, "technical escalation {e0:.3} -> {e1:.3}");
    let (o0, x0) = handle_and_escalation(&sq, technical, true, full);
    let (o1, x1) = handle_and_escalation(&with, technical, true, full);
    assert!(
        (o1 / o0 - 1.0).abs() < 0.03,
        "other categories' handle {o0:.0} -> {o1:.0} s"
    );
    assert!(
        (x1 - x0).abs() < 0.015,
        "other categories' escalation {x0:.3} -> {x1:.3}"
    );
    // Before it acts, the two runs' event logs are the same.
    let before = |s: &SimOutput| -> Vec<String> {
        s.events
            .iter()
            .filter(|e| u64::from(e.at_secs) < acts)
            .map(|e| format!("{} {} {} {:?}", e.ticket, e.at_secs, e.agent, e.kind))
            .collect()
    };
    let (b0, b1) = (before(&sq), before(&with));
    assert!(b0.len() > 100_000);
    assert_eq!(b0, b1);
}

#[test]
fn a_product_fix_removes_its_defects_inflow_and_nothing_else() {
    let base = common::built_in("saas").config;
    let pool = base
        .issue_pool
        .iter()
        .position(|t| matches!(t.kind, supportsim::config::IssueKind::ReleaseRegression { .. }))
        .expect("a regression in the pool");
    let cfg = base.with_issues(vec![base.issue(pool, 60)]);
    let supportsim::config::IssueKind::ReleaseRegression { category, .. } = cfg.active_issues[0].kind else {
        unreachable!()
    };
    let name = &cfg.categories[category].name;
    let h = whatif::horizon(&cfg);
    let p = proposal_of(
        &cfg,
        &format!("[[change]]\nkind = \"product_fix\"\ncategory = \"{name}\"\n"),
    );
    let plan = whatif::plan(&p, &h, cfg.history_days, 3).expect("plan");
    let seed = whatif::replication_seed(3, 2);
    let (sq, with) = whatif::pair(&h, &plan, seed);
    let clean = supportsim::sim::simulate(&whatif::horizon(&base), seed, &mut |_| {});
    // First contacts (not a retry after abandoning) per day and category.
    let per_day = |s: &SimOutput, keep: &dyn Fn(u8) -> bool| -> Vec<usize> {
        let days = (cfg.history_days + cfg.horizon_days) as usize;
        let mut v = vec![0; days];
        for t in s.tickets.iter().filter(|t| !t.retry && keep(t.category)) {
            v[(u64::from(t.created_secs) / DAY_SECS) as usize] += 1;
        }
        v
    };
    let c = category as u8;
    let fixed = (cfg.history_days + 30 + 7) as usize;
    let (sq_c, with_c, clean_c) = (
        per_day(&sq, &|k| k == c),
        per_day(&with, &|k| k == c),
        per_day(&clean, &|k| k == c),
    );
    // After the fix the category's inflow is what it is without the defect, but for the customers
    // the defect drove away (they churned in both runs and do not come back).
    let sum = |v: &[usize]| v[fixed..].iter().sum::<usize>() as f64;
    let (s0, s1, clean) = (sum(&sq_c), sum(&with_c), sum(&clean_c));
    assert!(
        s0 - s1 > 200.0,
        "the defect's extra contacts after the fix: {s0} -> {s1}"
    );
    assert!(
        s1 <= clean && s1 > 0.9 * clean,
        "{s1} after the fix against {clean} without the defect"
    );
    // Before the fix acts the two runs are the same; other categories change only through the
    // customers the fix keeps.
    let acts = (cfg.history_days + 30) as usize;
    assert_eq!(sq_c[..acts], with_c[..acts]);
    let (o0, o1) = (per_day(&sq, &|k| k != c), per_day(&with, &|k| k != c));
    assert_eq!(o0[..acts], o1[..acts]);
    let (o0, o1) = (sum(&o0), sum(&o1));
    assert!(
        (o1 / o0 - 1.0).abs() < 0.02,
        "other categories after the fix: {o0} -> {o1}"
    );
}

#[test]
fn routing_serves_a_segment_first_or_sends_a_category_straight_to_tier_2() {
    let cfg = common::built_in("saas").config;
    let h = whatif::horizon(&cfg);
    let seed = whatif::replication_seed(3, 7);
    let acts = u64::from(cfg.history_days + 7) * DAY_SECS;
    let first = proposal_of(
        &cfg,
        "[[change]]\nkind = \"routing\"\nrule = \"segment_priority\"\nsegment = \"enterprise\"\n",
    );
    let with = whatif::plan(&first, &h, cfg.history_days, 3).expect("plan");
    let (sq, routed) = whatif::pair(&h, &with, seed);
    let enterprise = cfg
        .segments
        .iter()
        .position(|s| s.name == "enterprise")
        .expect("segment") as u8;
    // Median hours to a first reply of async tickets of the segment (or of the others).
    let reply = |s: &SimOutput, theirs: bool| {
        let mut v: Vec<f64> = s
            .tickets
            .iter()
            .filter(|t| !cfg.channels[t.channel as usize].live && u64::from(t.created_secs) >= acts)
            .filter(|t| (t.segment == enterprise) == theirs)
            .filter_map(|t| Some(f64::from(t.first_reply_secs? - t.created_secs) / 3600.0))
            .collect();
        supportsim::kpi::percentile(&mut v, 0.5).expect("replies")
    };
    let (e0, e1) = (reply(&sq, true), reply(&routed, true));
    let (o0, o1) = (reply(&sq, false), reply(&routed, false));
    assert!(e1 < 0.7 * e0, "enterprise first reply {e0:.2} -> {e1:.2} h");
    assert!(o1 >= o0, "the others wait as long or longer: {o0:.2} -> {o1:.2} h");

    let tier2 = proposal_of(
        &cfg,
        "[[change]]\nkind = \"routing\"\nrule = \"skills_tier2\"\ncategory = \"technical\"\n",
    );
    let with = whatif::plan(&tier2, &h, cfg.history_days, 3).expect("plan");
    let (_, routed) = whatif::pair(&h, &with, seed);
    let technical = cfg.category_index("technical").expect("technical") as u8;
    let (_, x0) = handle_and_escalation(&sq, technical, false, acts);
    let (_, x1) = handle_and_escalation(&routed, technical, false, acts);
    // The catalog: x0.20 to x0.50 of the escalations remain (async tickets only are routed).
    assert!(x1 < 0.8 * x0, "technical escalation {x0:.3} -> {x1:.3}");
}

#[test]
fn replications_pair_every_draw_and_do_not_depend_on_threads() {
    let cfg = common::built_in("saas").config;
    let h = whatif::horizon(&cfg);
    let empty = proposal_of(&cfg, "");
    let none = whatif::plan(&empty, &h, cfg.history_days, 3).expect("plan");
    let runs = score::replicate(&h, &none, &empty, 3, cfg.history_days, 3, &|| {});
    assert_eq!(runs.len(), 3);
    for (a, b) in &runs {
        assert_eq!(a, b, "no changes: the same horizon to the last KPI");
    }
    assert_ne!(runs[0].0, runs[1].0, "replications are different futures");
    for e in score::effects(&runs) {
        let d = e.difference.expect("a difference");
        assert_eq!((d.mean, d.ci95), (0.0, Some((0.0, 0.0))), "{:?}", e.kpi);
    }
    let kb_proposal = proposal_of(
        &cfg,
        "[[change]]\nkind = \"knowledge_base\"\ncategory = \"technical\"\n\n[[metric]]\nkpi = \"escalation_rate\"\nwhere = { category = \"technical\" }\ntarget = 0.1\nby_day = 90\n",
    );
    let kb = whatif::plan(&kb_proposal, &h, cfg.history_days, 3).expect("plan");
    let with_threads = |n: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .expect("pool")
            .install(|| score::replicate(&h, &kb, &kb_proposal, 3, cfg.history_days, 4, &|| {}))
    };
    let (one, two) = (with_threads(1), with_threads(2));
    assert_eq!(one, two);
    let esc = score::effects(&two)
        .into_iter()
        .find(|e| e.kpi == supportsim::kpi::Kpi::EscalationRate)
        .and_then(|e| e.difference)
        .expect("escalation");
    assert!(esc.mean < 0.0 && esc.ci95.is_some_and(|(_, hi)| hi < 0.0), "{esc:?}");
}

#[test]
fn a_chatbot_deflects_part_of_its_channel_and_wrong_answers_come_back_by_email() {
    let cfg = common::built_in("saas").config;
    let h = whatif::horizon(&cfg);
    let p = proposal_of(&cfg, "[[change]]\nkind = \"chatbot\"\nchannel = \"chat\"\n");
    let plan = whatif::plan(&p, &h, cfg.history_days, 3).expect("plan");
    let (sq, with) = whatif::pair(&h, &plan, whatif::replication_seed(3, 3));
    let chat = cfg.channel_index("chat").expect("chat") as u8;
    let email = cfg.channel_index("email").expect("email") as u8;
    let full = u64::from(cfg.history_days + 21 + 30) * DAY_SECS;
    let count = |s: &SimOutput, ch: u8, retry: bool| {
        s.tickets
            .iter()
            .filter(|t| u64::from(t.created_secs) >= full && t.channel == ch && t.retry == retry)
            .count() as f64
    };
    let (c0, c1) = (count(&sq, chat, false), count(&with, chat, false));
    let drop = 1.0 - c1 / c0;
    // The catalog's range is 10% to 30% of the channel's contacts.
    assert!((0.07..0.33).contains(&drop), "chat contacts {c0} -> {c1} ({drop:.3})");
    let back = count(&with, email, true) - count(&sq, email, true);
    let deflected = c0 - c1;
    assert!(
        back > 0.2 * deflected && back < 0.5 * deflected,
        "{back} of {deflected} came back"
    );
    let bot = plan.changes.len() - 1;
    assert!(with.deflections[bot] as f64 >= deflected, "{:?}", with.deflections);
    assert!(sq.deflections.iter().all(|&d| d == 0));
}

#[test]
fn proactive_communication_heads_off_part_of_an_outages_extra_contacts() {
    let base = common::built_in("saas").config;
    let pool = base
        .issue_pool
        .iter()
        .position(|t| matches!(t.kind, supportsim::config::IssueKind::Outage { .. }))
        .expect("an outage in the pool");
    let day = base.history_days + 40;
    let cfg = base.with_issues(vec![base.issue(pool, day)]);
    let supportsim::config::IssueKind::Outage { category, .. } = cfg.active_issues[0].kind else {
        unreachable!()
    };
    let h = whatif::horizon(&cfg);
    let p = proposal_of(&cfg, "[[change]]\nkind = \"proactive_communication\"\n");
    let plan = whatif::plan(&p, &h, cfg.history_days, 3).expect("plan");
    let seed = whatif::replication_seed(3, 4);
    let (sq, with) = whatif::pair(&h, &plan, seed);
    let clean = supportsim::sim::simulate(&whatif::horizon(&base), seed, &mut |_| {});
    let on_the_day = |s: &SimOutput| {
        s.tickets
            .iter()
            .filter(|t| !t.retry && t.category == category as u8)
            .filter(|t| u64::from(t.created_secs) / DAY_SECS == u64::from(day))
            .count() as f64
    };
    let (extra_sq, extra_with) = (
        on_the_day(&sq) - on_the_day(&clean),
        on_the_day(&with) - on_the_day(&clean),
    );
    assert!(extra_sq > 50.0, "the outage's extra contacts: {extra_sq}");
    let kept = extra_with / extra_sq;
    // The catalog: 50% to 80% of the extra contacts remain.
    assert!(
        (0.4..0.9).contains(&kept),
        "{extra_with} of {extra_sq} extra contacts remain ({kept:.2})"
    );
    // Regular contacts are not headed off: the day before, the runs are the same.
    let before = |s: &SimOutput| {
        s.tickets
            .iter()
            .filter(|t| u64::from(t.created_secs) / DAY_SECS == u64::from(day - 1))
            .count()
    };
    assert_eq!(before(&sq), before(&with));
}

/// Mean wait for an agent to answer (seconds, over answered contacts) and abandonment share of
/// live-channel tickets created from `from_secs` between the hours `hours`.
fn live_service(sim: &SimOutput, cfg: &Config, from_secs: u64, hours: (u64, u64)) -> (f64, f64) {
    let ts: Vec<&TicketRecord> = sim
        .tickets
        .iter()
        .filter(|t| cfg.channels[t.channel as usize].live && u64::from(t.created_secs) >= from_secs)
        .filter(|t| (hours.0..hours.1).contains(&(u64::from(t.created_secs) % DAY_SECS / 3600)))
        .collect();
    let n = ts.len() as f64;
    let abandoned = ts
        .iter()
        .filter(|t| t.status == supportsim::record::Status::Abandoned)
        .count();
    let answered: Vec<f64> = ts
        .iter()
        .filter_map(|t| Some(f64::from(t.first_reply_secs? - t.created_secs)))
        .collect();
    (
        answered.iter().sum::<f64>() / answered.len() as f64,
        abandoned as f64 / n,
    )
}

#[test]
fn added_agents_shorten_their_hours_waits_removed_ones_lengthen_them_and_no_one_else_changes() {
    let cfg = common::built_in("saas").config;
    let h = whatif::horizon(&cfg);
    let seed = whatif::replication_seed(3, 5);
    let on_floor = u64::from(cfg.history_days + 21) * DAY_SECS;
    let add = proposal_of(
        &cfg,
        "[[change]]\nkind = \"add_agents\"\nteam = \"frontline_live\"\ndays = \"Mon-Fri\"\nhours = \"12:00-20:00\"\nagents = 3\n",
    );
    let with = whatif::plan(&add, &h, cfg.history_days, 3).expect("plan");
    let (sq, more) = whatif::pair(&h, &with, seed);
    let (w0, a0) = live_service(&sq, &cfg, on_floor, (12, 20));
    let (w1, a1) = live_service(&more, &cfg, on_floor, (12, 20));
    assert!(
        w1 < w0 && a1 < 0.75 * a0,
        "waits {w0:.1} -> {w1:.1} s, abandonment {a0:.3} -> {a1:.3}"
    );
    // The agents who were there are the same people, with the same draws.
    let team = cfg.teams.iter().position(|t| t.name == "frontline_live").expect("team") as u16;
    let added = cfg.teams[team as usize].shifts.len() as u16;
    let people = |s: &SimOutput| -> Vec<String> {
        s.agents
            .iter()
            .filter(|a| !(a.team == team && a.shift == added))
            .map(|a| format!("{a:?}"))
            .collect()
    };
    assert_eq!(people(&sq), people(&more));
    assert_eq!(more.agents.len(), sq.agents.len() + 3);

    let remove = proposal_of(
        &cfg,
        "[[change]]\nkind = \"remove_agents\"\nteam = \"frontline_live\"\ndays = \"Mon-Fri\"\nhours = \"12:00-20:00\"\nagents = 2\n",
    );
    let with = whatif::plan(&remove, &h, cfg.history_days, 3).expect("plan");
    let (_, fewer) = whatif::pair(&h, &with, seed);
    let gone = u64::from(cfg.history_days + 14) * DAY_SECS;
    let (w0, a0) = live_service(&sq, &cfg, gone, (12, 20));
    let (w2, a2) = live_service(&fewer, &cfg, gone, (12, 20));
    assert!(
        w2 > w0 && a2 > 1.25 * a0,
        "waits {w0:.1} -> {w2:.1} s, abandonment {a0:.3} -> {a2:.3}"
    );
    // More than a shift has, or hours no shift works: one line naming the field.
    let bad = proposal_of(
        &cfg,
        "[[change]]\nkind = \"remove_agents\"\nteam = \"frontline_live\"\ndays = \"Sat-Sun\"\nhours = \"12:00-20:00\"\nagents = 2\n",
    );
    let e = whatif::plan(&bad, &h, cfg.history_days, 3).expect_err("no weekend shift");
    assert_eq!(
        e.to_string(),
        "change[1].hours: no shift of frontline_live works those days and hours"
    );
}

#[test]
fn extended_hours_open_a_live_channel_when_it_was_closed_and_staff_it() {
    let (cfg, sq, open) = paired(
        "[[change]]\nkind = \"extend_hours\"\nchannel = \"chat\"\nteam = \"frontline_live\"\ndays = \"Sat\"\nhours = \"10:00-16:00\"\nagents = 2\n",
        6,
    );
    let chat = cfg.channel_index("chat").expect("chat") as u8;
    let opens = u64::from(cfg.history_days + 14) * DAY_SECS;
    let saturday_chats = |s: &SimOutput| {
        s.tickets
            .iter()
            .filter(|t| t.channel == chat && u64::from(t.created_secs) >= opens)
            .filter(|t| {
                let day = u64::from(t.created_secs) / DAY_SECS;
                let weekday = (u64::from(cfg.start_weekday) + day) % 7;
                let hour = u64::from(t.created_secs) % DAY_SECS / 3600;
                weekday == 5 && (10..16).contains(&hour)
            })
            .filter(|t| t.first_reply_secs.is_some())
            .count()
    };
    assert_eq!(saturday_chats(&sq), 0, "chat is closed on Saturdays");
    assert!(
        saturday_chats(&open) > 50,
        "answered Saturday chats: {}",
        saturday_chats(&open)
    );
}

#[test]
fn every_kind_of_the_catalog_is_simulated() {
    for name in ["saas", "ecommerce", "fintech"] {
        let cfg = common::built_in(name).config;
        let all = common::every_kind_proposal(&cfg);
        let p = proposal_of(&cfg, &all);
        assert_eq!(p.changes.len(), supportsim::interventions::catalog::KINDS.len());
        let h = whatif::horizon(&cfg);
        let with = whatif::plan(&p, &h, cfg.history_days, 3).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(with.changes.len() > h.changes.len());
    }
}

#[test]
fn score_end_to_end_is_paired_deterministic_and_refuses_bad_input() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_supportsim"))
            .args(args)
            .current_dir(dir)
            .output()
            .expect("run")
    };
    let o = run(&[
        "generate", "--seed", "7", "--out", "case", "--quiet", "--format", "parquet",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    std::fs::write(dir.join("none.toml"), "[candidate]\nname = \"Nobody\"\n").expect("write");
    let o = run(&[
        "score",
        "--case",
        "case",
        "--proposal",
        "none.toml",
        "--replications",
        "2",
        "--json",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("one JSON object");
    for key in ["kpis", "value_usd", "cost_usd", "budget_usd", "metrics", "replications"] {
        assert!(v.get(key).is_some(), "{key}");
    }
    for (kpi, e) in v["kpis"].as_object().expect("kpis") {
        assert_eq!(e["difference"]["mean"], 0.0, "{kpi}: no changes, no difference");
    }
    std::fs::write(
        dir.join("kb.toml"),
        "[[change]]\nkind = \"knowledge_base\"\ncategory = \"technical\"\n\n[[metric]]\nkpi = \"escalation_rate\"\nwhere = { category = \"technical\" }\nbaseline = 0.2\ntarget = 0.15\nby_day = 90\n",
    )
    .expect("write");
    let args = [
        "score",
        "--case",
        "case",
        "--proposal",
        "kb.toml",
        "--replications",
        "3",
        "--json",
    ];
    let threads = |n: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_supportsim"))
            .args(args)
            .current_dir(dir)
            .env("RAYON_NUM_THREADS", n)
            .output()
            .expect("run")
    };
    let (a, b) = (threads("1"), threads("2"));
    assert!(
        a.status.success() && a.stdout == b.stdout,
        "the same JSON with 1 and 2 threads"
    );
    let v: serde_json::Value = serde_json::from_slice(&a.stdout).expect("json");
    assert_eq!(v["cost_usd"]["one_off"], 12_000.0);
    assert!(
        v["kpis"]["escalation_rate"]["difference"]["mean"]
            .as_f64()
            .is_some_and(|d| d < 0.0)
    );
    assert!(v["metrics"][0]["probability_reached"].is_number());
    // Each of the case's two hidden issues with its cut and the KPIs there.
    let issues = v["issues"].as_array().expect("issues");
    assert_eq!(issues.len(), 2);
    assert!(
        issues
            .iter()
            .all(|i| i["where"].as_object().is_some_and(|w| !w.is_empty())
                && i["kpis"]["csat"]["difference"]["mean"].is_number())
    );
    let o = run(&[
        "score",
        "--case",
        "case",
        "--proposal",
        "kb.toml",
        "--replications",
        "2",
    ]);
    let table = String::from_utf8_lossy(&o.stdout);
    assert!(
        table.contains("difference [95% CI]") && table.contains("budget") && table.contains("reached in"),
        "{table}"
    );
    // Bad input: one line, exit 2.
    std::fs::write(dir.join("bad.toml"), "[[change]]\nkind = \"robot\"\n").expect("write");
    for (args, needle) in [
        (
            vec!["score", "--case", "case", "--proposal", "bad.toml"],
            "unknown kind \"robot\"",
        ),
        (
            vec![
                "score",
                "--case",
                "case",
                "--proposal",
                "kb.toml",
                "--replications",
                "0",
            ],
            "--replications",
        ),
        (
            vec!["score", "--case", "case", "--proposal", "missing.toml"],
            "missing.toml: cannot read",
        ),
    ] {
        let o = run(&args);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(err.contains(needle) && err.trim_end().lines().count() == 1, "{err}");
    }
    // The grade and the debrief come with the score.
    assert!(
        table.contains("grade: ")
            && table.contains("root causes")
            && table.contains("reference plan (supportsim solve)"),
        "{table}"
    );
    assert!(v["total"].is_number() && v["parts"].as_array().is_some_and(|p| p.len() == 6));
    let sum: f64 = v["parts"]
        .as_array()
        .expect("parts")
        .iter()
        .map(|p| p["points"].as_f64().expect("points"))
        .sum();
    assert!((sum - v["total"].as_f64().expect("total")).abs() < 1e-6);
    // The first score searched for the reference and kept it; solve on one thread finds the same plan.
    let kept = std::fs::read_to_string(dir.join("case/interviewer/reference.toml")).expect("reference kept");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_supportsim"))
        .args(["solve", "--case", "case", "--replications", "2", "--out", "ref.toml"])
        .current_dir(dir)
        .env("RAYON_NUM_THREADS", "1")
        .output()
        .expect("run");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("reference plan: "));
    assert_eq!(std::fs::read_to_string(dir.join("ref.toml")).expect("ref.toml"), kept);
    for (args, needle) in [
        (
            vec!["solve", "--case", "case", "--out", "ref.toml"],
            "exists; use --force",
        ),
        (vec!["solve", "--case", "case", "--budget", "-5"], "--budget"),
        (vec!["solve", "--case", "case", "--replications", "0"], "--replications"),
    ] {
        let o = run(&args);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(err.contains(needle) && err.trim_end().lines().count() == 1, "{err}");
    }
}

/// Each customer's problems outside a change's category, as (customer, created, category,
/// channel), for customers who are still customers at the end of both runs.
fn problems_outside(sq: &SimOutput, with: &SimOutput, category: u8) -> (Vec<String>, Vec<String>) {
    let stay: Vec<bool> = sq
        .customers
        .iter()
        .zip(&with.customers)
        .map(|(a, b)| a.churned_secs.is_none() && b.churned_secs.is_none())
        .collect();
    let list = |s: &SimOutput| -> Vec<String> {
        s.tickets
            .iter()
            .filter(|t| !t.retry && t.category != category && stay[t.customer as usize])
            .map(|t| format!("{} {} {} {}", t.customer, t.created_secs, t.category, t.channel))
            .collect()
    };
    (list(sq), list(with))
}

#[test]
fn a_change_leaves_other_customers_problems_where_they_were() {
    // A knowledge base changes technical tickets' handling, and through their outcomes some
    // customers' loyalty; it does not move anyone's other problems in time, category or channel.
    let (cfg, sq, with) = paired("[[change]]\nkind = \"knowledge_base\"\ncategory = \"technical\"\n", 4);
    let technical = cfg.category_index("technical").expect("technical") as u8;
    assert_eq!(sq.customers.len(), with.customers.len());
    let (a, b) = problems_outside(&sq, &with, technical);
    assert!(a.len() > 30_000, "{} problems", a.len());
    assert_eq!(a, b);
    // And the plan did change technical tickets for those customers.
    let differs = sq
        .tickets
        .iter()
        .zip(&with.tickets)
        .any(|(x, y)| x.category == technical && outcome(x) != outcome(y));
    assert!(differs);
}

/// Monthly revenue of the customers of `sim` who churned from day `from_day` on, and the revenue
/// its customers still there at the end are expected to lose later (their `later_churn`).
fn lost_now_and_later(sim: &SimOutput, from_day: u32) -> (f64, f64) {
    let from = i64::from(from_day) * DAY_SECS as i64;
    let now = sim
        .customers
        .iter()
        .filter(|c| c.churned_secs.is_some_and(|s| s >= from))
        .map(|c| c.mrr_usd)
        .sum();
    let later = sim
        .customers
        .iter()
        .filter(|c| c.churned_secs.is_none())
        .map(|c| c.later_churn * c.mrr_usd)
        .sum();
    (now, later)
}

#[test]
fn a_cut_late_in_the_horizon_is_charged_for_the_churn_it_causes_after_it() {
    // Two agents off the frontline's afternoons for the last three weeks: the waits they cause
    // raise churn hazards that play out mostly after the horizon. The value must see that damage.
    let cfg = common::built_in("saas").config;
    let start = cfg.horizon_days - 35; // it acts 14 days later
    let text = format!(
        "[[change]]\nkind = \"remove_agents\"\nteam = \"frontline_live\"\ndays = \"Mon-Fri\"\nhours = \"12:00-20:00\"\nagents = 2\nstart_day = {start}\n"
    );
    let (mut now, mut later) = (0.0, 0.0);
    for r in 0..3 {
        let (cfg, sq, cut) = paired(&text, r);
        let (n0, l0) = lost_now_and_later(&sq, cfg.history_days);
        let (n1, l1) = lost_now_and_later(&cut, cfg.history_days);
        now += n1 - n0;
        later += l1 - l0;
        assert!(
            (supportsim::score::lost_mrr_usd(&cut, cfg.history_days) - (n1 + l1)).abs() < 1e-6 * (n1 + l1),
            "the value's lost revenue is the churned and the later part"
        );
        assert!(sq.customers.iter().all(|c| (0.0..1.0).contains(&c.later_churn)));
        assert!(
            sq.customers
                .iter()
                .filter(|c| c.churned_secs.is_some())
                .all(|c| c.later_churn == 0.0)
        );
    }
    assert!(
        later > 0.0 && later > now,
        "lost monthly revenue, in the horizon {now:.0} and expected later {later:.0} USD"
    );
}

#[test]
fn a_cut_on_a_shift_a_hidden_issue_already_cut_takes_agents_who_are_still_there() {
    // saas seed 1 plants a staffing cut on frontline_live's late shift. Taking one more agent off
    // that shift must leave fewer agents scheduled, not close a seat the issue already emptied
    // (which would save its pay for nothing).
    let base = common::built_in("saas").config;
    let cfg = base.with_issues(base.draw_issues(1));
    assert!(
        cfg.active_issues
            .iter()
            .any(|i| format!("{:?}", i.kind).to_lowercase().contains("staff")),
        "seed 1 plants a staffing cut"
    );
    let h = whatif::horizon(&cfg);
    let text = "[[change]]\nkind = \"remove_agents\"\nteam = \"frontline_live\"\ndays = \"Mon-Fri\"\nhours = \"11:30-20:00\"\nagents = 1\n";
    let with = whatif::plan(&proposal_of(&cfg, text), &h, cfg.history_days, 1).expect("plan");
    let (sq, cut) = whatif::pair(&h, &with, whatif::replication_seed(1, 0));
    let team = cfg.teams.iter().position(|t| t.name == "frontline_live").expect("team") as u16;
    let last_days = h.history_days - 10;
    let scheduled = |s: &SimOutput| -> u32 {
        s.schedule
            .iter()
            .filter(|r| r.team == team && r.day >= last_days && r.minute == 17 * 60)
            .map(|r| r.agents_scheduled)
            .sum()
    };
    let (before, after) = (scheduled(&sq), scheduled(&cut));
    assert!(
        after + 5 <= before,
        "agents scheduled at 17:00 over the last 10 days: {before} as it is, {after} with the cut"
    );
}

#[test]
fn a_cut_on_some_of_a_shifts_days_takes_agents_off_those_days_only_and_saves_their_hours() {
    // frontline_live's late shift works Mon-Fri 11:30-20:00 in saas. Two agents off it on Tue-Thu
    // only: the schedule at 17:00 loses them on those weekdays and keeps them on Mondays and
    // Fridays, and the saving is three fifths of the same cut on every day.
    let base = common::built_in("saas").config;
    let cfg = base.with_issues(Vec::new());
    let h = whatif::horizon(&cfg);
    let cut = |days: &str| {
        format!(
            "[[change]]\nkind = \"remove_agents\"\nteam = \"frontline_live\"\ndays = \"{days}\"\nhours = \"11:30-20:00\"\nagents = 2\n"
        )
    };
    let some = proposal_of(&cfg, &cut("Tue,Wed,Thu"));
    let with = whatif::plan(&some, &h, cfg.history_days, 1).expect("plan");
    let (sq, fewer) = whatif::pair(&h, &with, whatif::replication_seed(1, 0));
    let team = cfg.teams.iter().position(|t| t.name == "frontline_live").expect("team") as u16;
    // From the cut's first day (the kind's lead time of 14 days) to the horizon's end.
    let from = h.history_days - cfg.horizon_days + 14;
    let at_17 = |s: &SimOutput, weekdays: &[u32]| -> u32 {
        s.schedule
            .iter()
            .filter(|r| r.team == team && r.day >= from && r.minute == 17 * 60)
            .filter(|r| weekdays.contains(&((cfg.start_weekday + r.day) % 7)))
            .map(|r| r.agents_scheduled)
            .sum()
    };
    let (cut_days, other_days) = ([1, 2, 3], [0, 4]);
    let weeks = (cfg.horizon_days - 14) / 7;
    assert_eq!(at_17(&sq, &other_days), at_17(&fewer, &other_days));
    let lost = at_17(&sq, &cut_days) - at_17(&fewer, &cut_days);
    assert!(
        lost >= 2 * 3 * (weeks - 1) && lost <= 2 * 3 * (weeks + 1),
        "{lost} agent-slots fewer at 17:00 on Tue-Thu over {weeks} weeks, expected about {}",
        2 * 3 * weeks
    );
    let saving = |p: &Proposal| supportsim::interventions::cost::cost(&p.changes[0], &cfg, 0.0).total_usd();
    let all = proposal_of(&cfg, &cut("Mon-Fri"));
    assert!(saving(&all) < 0.0);
    assert!(
        (saving(&some) - 0.6 * saving(&all)).abs() < 1e-6,
        "{} vs {}",
        saving(&some),
        saving(&all)
    );
}

#[test]
fn the_search_reads_the_same_guardrails_as_a_score() {
    // `solve` reads each run's guardrails from the horizon's tickets alone; a score reads them
    // from the whole horizon outcome. Both must be the metrics engine's numbers, to the last bit.
    let base = common::built_in("saas").config;
    let cfg = base.with_issues(base.draw_issues(3));
    let h = whatif::horizon(&cfg);
    let sim = supportsim::sim::simulate(&h, whatif::replication_seed(3, 0), &mut |_| {});
    let full = score::guardrails(&score::outcome(&sim, &h, cfg.history_days, &[], 0));
    let quick = score::guardrails_of(&sim, &h, cfg.history_days);
    // The quick read takes the horizon's tickets as a suffix of the records, in creation order.
    assert!(sim.tickets.is_sorted_by_key(|r| r.created_secs));
    assert!(full.iter().all(Option::is_some), "{full:?}");
    assert_eq!(full, quick);
}
