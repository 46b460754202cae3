//! The metrics engine reads the tickets table the same way from memory, from Parquet and from CSV,
//! and its definitions agree with the checks a reader would make by hand: counts, shares with their
//! Wilson intervals, linear-interpolation percentiles, cuts and selections.

use std::path::Path;

use polars::prelude::*;

use crate::common;
use supportsim::kpi::{Cut, Kpi, KpiValue, Selection, TicketTable, compute, epoch_day};
use supportsim::output::tables::{self, Calendar};

fn live(cfg: &supportsim::config::Config) -> Vec<&str> {
    cfg.channels
        .iter()
        .filter(|c| c.live)
        .map(|c| c.name.as_str())
        .collect()
}

fn from_files(dir: &Path, cfg: &supportsim::config::Config) -> (TicketTable, TicketTable) {
    let data = dir.join("candidate/data");
    let parquet = ParquetReader::new(std::fs::File::open(data.join("tickets.parquet")).expect("open"))
        .finish()
        .expect("parquet");
    let csv = CsvReadOptions::default()
        .with_has_header(true)
        .with_infer_schema_length(None)
        .try_into_reader_with_file_path(Some(data.join("tickets.csv")))
        .expect("csv")
        .finish()
        .expect("csv");
    (
        TicketTable::from_frame(&parquet, &live(cfg)).expect("parquet table"),
        TicketTable::from_frame(&csv, &live(cfg)).expect("csv table"),
    )
}

#[test]
fn memory_parquet_and_csv_give_the_same_kpis() {
    let l = common::built_in("saas");
    let cfg = l.config.with_issues(l.config.draw_issues(2));
    let sim = supportsim::sim::simulate(&cfg, 2, &mut |_| {});
    let frame = tables::tickets(&sim, &cfg, &Calendar::new(cfg.start_date)).expect("frame");
    let memory = TicketTable::from_frame(&frame, &live(&cfg)).expect("table");
    let tmp = tempfile::tempdir().expect("tempdir");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_supportsim"))
        .args(["generate", "--seed", "2", "--out", "case", "--quiet"])
        .current_dir(tmp.path())
        .output()
        .expect("run");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let (parquet, csv) = from_files(&tmp.path().join("case"), &cfg);
    let by = [Cut::Channel, Cut::Week];
    let sel = Selection {
        filters: vec![(Cut::Weekday, "Mon".into())],
        ..Selection::default()
    };
    for (by, sel) in [
        (&by[..], &Selection::default()),
        (&[Cut::Segment, Cut::Priority][..], &sel),
    ] {
        let m = compute(&memory, by, sel, &Kpi::ALL);
        assert!(m.len() > 3);
        assert_eq!(m, compute(&parquet, by, sel, &Kpi::ALL), "parquet differs");
        assert_eq!(m, compute(&csv, by, sel, &Kpi::ALL), "csv differs");
    }
}

fn value(v: &KpiValue) -> f64 {
    v.value.expect("a value")
}

#[test]
fn definitions_agree_with_the_records_and_a_hand_count() {
    let l = common::built_in("saas");
    let cfg = &l.config;
    let sim = common::simulate(&l, 4);
    let frame = tables::tickets(&sim, cfg, &Calendar::new(cfg.start_date)).expect("frame");
    let t = TicketTable::from_frame(&frame, &live(cfg)).expect("table");
    let all = &compute(&t, &[], &Selection::default(), &Kpi::ALL)[0].kpis;
    let tk = &sim.tickets;
    use supportsim::kpi::{percentile, wilson};
    use supportsim::record::{Status, TicketRecord};
    // A hand count on the simulation records: (hits, n) of a share.
    let count = |keep: &dyn Fn(&TicketRecord) -> bool, hit: &dyn Fn(&TicketRecord) -> bool| {
        let of: Vec<&TicketRecord> = tk.iter().filter(|t| keep(t)).collect();
        (of.iter().filter(|t| hit(t)).count() as u64, of.len() as u64)
    };
    let solved = |t: &TicketRecord| t.status == Status::Solved;
    assert_eq!(value(&all[&Kpi::Tickets]) as usize, tk.len());
    for (k, (hits, n)) in [
        (
            Kpi::Csat,
            count(&|t| t.csat_score.is_some(), &|t| t.csat_score >= Some(4)),
        ),
        (
            Kpi::SlaAttainment,
            count(&|t| t.first_reply_sla_breached.is_some(), &|t| {
                t.first_reply_sla_breached == Some(false)
            }),
        ),
        (Kpi::OneTouch, count(&solved, &|t| t.agent_replies < 2)),
        (
            Kpi::EscalationRate,
            count(
                &|t| t.agent_replies > 0 || t.assignee != supportsim::record::NONE_U32,
                &|t| t.escalated,
            ),
        ),
        (Kpi::ReopenRate, count(&solved, &|t| t.reopens > 0)),
        (
            Kpi::AbandonmentRate,
            count(&|t| cfg.channels[t.channel as usize].live, &|t| {
                t.status == Status::Abandoned
            }),
        ),
    ] {
        assert_eq!(
            (value(&all[&k]), all[&k].n),
            (hits as f64 / n as f64, n),
            "{}",
            k.name()
        );
        let (lo, hi) = wilson(hits, n);
        let ci = all[&k].ci95.expect("interval");
        assert!((ci.0 - lo).abs() < 1e-12 && (ci.1 - hi).abs() < 1e-12, "{}", k.name());
    }
    // Percentiles of the exported minutes (rounded to 0.01) are within rounding of the records'.
    let mut fr: Vec<f64> = tk
        .iter()
        .filter_map(|t| t.first_reply_secs.map(|f| f64::from(f - t.created_secs) / 60.0))
        .collect();
    let p90 = percentile(&mut fr, 0.9).expect("p90");
    assert!((value(&all[&Kpi::FirstReplyP90]) - p90).abs() < 0.01, "{p90}");
    assert_eq!(all[&Kpi::FirstReplyP90].n, fr.len() as u64);
    let mut res: Vec<f64> = tk
        .iter()
        .filter_map(|t| t.solved_secs.map(|s| f64::from(s - t.created_secs) / 60.0))
        .collect();
    let p50 = percentile(&mut res, 0.5).expect("p50");
    assert!((value(&all[&Kpi::ResolutionP50]) - p50).abs() < 0.01, "{p50}");
    // The mean of skewed times lies well above the median.
    assert!(value(&all[&Kpi::ResolutionMean]) > 1.5 * value(&all[&Kpi::ResolutionP50]));
}

#[test]
fn cuts_and_selections_partition_the_tickets() {
    let l = common::built_in("saas");
    let cfg = &l.config;
    let sim = common::simulate(&l, 6);
    let frame = tables::tickets(&sim, cfg, &Calendar::new(cfg.start_date)).expect("frame");
    let t = TicketTable::from_frame(&frame, &live(cfg)).expect("table");
    let total = sim.tickets.len() as f64;
    for cut in Cut::ALL {
        let rows = compute(&t, &[cut], &Selection::default(), &[Kpi::Tickets]);
        let sum: f64 = rows.iter().map(|r| value(&r.kpis[&Kpi::Tickets])).sum();
        assert_eq!(sum, total, "{} groups do not add up", cut.name());
    }
    // ISO weeks start on Monday: 2026-01-05 is a Monday, so the history's first 7 days are W02.
    let weeks = compute(&t, &[Cut::Week, Cut::Weekday], &Selection::default(), &[Kpi::Tickets]);
    assert_eq!(weeks[0].group[0].1, "2026-W02");
    assert_eq!(weeks[0].group[1].1, "Mon");
    assert!(weeks.iter().take(7).all(|r| r.group[0].1 == "2026-W02"));
    // Calendar months and a period: February 2026 has 28 days of tickets.
    let feb = Selection {
        from_day: Some(epoch_day(chrono::NaiveDate::from_ymd_opt(2026, 2, 1).expect("date"))),
        to_day: Some(epoch_day(chrono::NaiveDate::from_ymd_opt(2026, 2, 28).expect("date"))),
        filters: Vec::new(),
    };
    let days = compute(&t, &[Cut::Day], &feb, &[Kpi::Tickets]);
    assert_eq!(days.len(), 28);
    let months = compute(&t, &[Cut::Month], &Selection::default(), &[Kpi::Tickets]);
    let feb_month = months.iter().find(|r| r.group[0].1 == "2026-02").expect("February");
    let feb_days: f64 = days.iter().map(|r| value(&r.kpis[&Kpi::Tickets])).sum();
    assert_eq!(value(&feb_month.kpis[&Kpi::Tickets]), feb_days);
    // Priorities sort most urgent first; small groups are flagged.
    let prio = compute(&t, &[Cut::Priority], &Selection::default(), &[Kpi::Csat]);
    let names: Vec<&str> = prio.iter().map(|r| r.group[0].1.as_str()).collect();
    assert_eq!(names, ["urgent", "high", "normal", "low"]);
    let tiny = Selection {
        filters: vec![(Cut::Priority, "urgent".into()), (Cut::Hour, "07".into())],
        ..Selection::default()
    };
    let r = &compute(&t, &[], &tiny, &[Kpi::Csat])[0].kpis[&Kpi::Csat];
    assert!(r.small && r.n < 30, "{r:?}");
}

#[test]
fn nps_sits_beside_ticket_kpis_by_segment() {
    use supportsim::kpi::{Case, nps};
    let l = common::built_in("saas");
    let cfg = &l.config;
    let sim = common::simulate(&l, 3);
    let case = Case::from_sim(&sim, cfg).expect("case");
    let answered: Vec<u8> = sim.nps.iter().filter_map(|r| r.score).collect();
    let n = answered.len() as u64;
    let expected = 100.0
        * (answered.iter().filter(|&&s| s >= 9).count() as f64 - answered.iter().filter(|&&s| s <= 6).count() as f64)
        / n as f64;
    let all = &case
        .compute(&[], &Selection::default(), &[Kpi::Nps, Kpi::Csat])
        .expect("ok")[0]
        .kpis;
    assert!(
        (value(&all[&Kpi::Nps]) - expected).abs() < 1e-9 && all[&Kpi::Nps].n == n,
        "{expected} {n}"
    );
    assert!(all[&Kpi::Csat].n > 1000);
    // By segment: one row per segment with both KPIs; answers add up.
    let rows = case
        .compute(
            &[Cut::Segment],
            &Selection::default(),
            &[Kpi::Nps, Kpi::NpsResponses, Kpi::Tickets],
        )
        .expect("ok");
    assert_eq!(rows.len(), cfg.segments.len());
    let answers: f64 = rows.iter().map(|r| value(&r.kpis[&Kpi::NpsResponses])).sum();
    assert_eq!(answers as u64, n);
    assert!(rows.iter().all(|r| r.kpis[&Kpi::Tickets].n > 0));
    // NPS has no channel: asking for it by channel is an error naming both.
    let err = case
        .compute(&[Cut::Channel], &Selection::default(), &[Kpi::Nps])
        .expect_err("no channel on NPS");
    assert!(
        err.to_string().contains("nps cannot be cut or filtered by channel"),
        "{err}"
    );
    // The interval of domain_facts §3: n = 100, 50 promoters, 20 detractors: SE about 7.8 points.
    let v = nps((0..100).map(|i| {
        if i < 50 {
            10
        } else if i < 80 {
            8
        } else {
            3
        }
    }));
    let (lo, hi) = v.ci95.expect("interval");
    assert!((value(&v) - 30.0).abs() < 1e-9);
    assert!(((hi - lo) / 2.0 / 1.96 - 7.81).abs() < 0.01, "{lo} {hi}");
}

#[test]
fn a_case_folder_loads_from_parquet_or_csv_and_bad_tables_are_named() {
    use supportsim::kpi::load_case;
    let tmp = tempfile::tempdir().expect("tempdir");
    let run = |args: &[&str]| {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_supportsim"))
            .args(args)
            .current_dir(tmp.path())
            .output()
            .expect("run");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    run(&["generate", "--seed", "5", "--out", "both", "--quiet"]);
    run(&["generate", "--seed", "5", "--out", "csv", "--format", "csv", "--quiet"]);
    let kpis = [Kpi::Csat, Kpi::FirstReplyP90, Kpi::AbandonmentRate, Kpi::Nps];
    let by = [Cut::Month];
    let rows = |dir: &str| {
        load_case(&tmp.path().join(dir))
            .expect("load")
            .compute(&by, &Selection::default(), &kpis)
            .expect("kpis")
    };
    let whole = rows("both");
    assert_eq!(
        whole.len(),
        5,
        "January to May (the history runs 5 January to 3 May): {whole:?}"
    );
    assert_eq!(whole, rows("both/candidate"), "the candidate folder is the same case");
    assert_eq!(whole, rows("csv"), "CSV gives what Parquet gives");
    // A missing table and a corrupted one are named.
    std::fs::remove_file(tmp.path().join("csv/candidate/data/nps_responses.csv")).expect("rm");
    let Err(e) = load_case(&tmp.path().join("csv")) else {
        panic!("a case without nps_responses loaded");
    };
    let e = e.to_string();
    assert!(e.contains("nps_responses.csv") && e.contains("missing"), "{e}");
    std::fs::write(tmp.path().join("both/candidate/data/tickets.parquet"), b"not parquet").expect("write");
    let Err(e) = load_case(&tmp.path().join("both")) else {
        panic!("a corrupted tickets.parquet loaded");
    };
    let e = e.to_string();
    assert!(
        e.contains("tickets.parquet") && e.contains("not a readable Parquet"),
        "{e}"
    );
}

#[test]
fn metrics_prints_a_table_or_one_json_object_and_refuses_bad_names_in_one_line() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_supportsim"))
            .args(args)
            .current_dir(tmp.path())
            .output()
            .expect("run")
    };
    let o = run(&["generate", "--seed", "7", "--out", "case", "--quiet"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // JSON: exactly one object; groups by channel and week; shares with intervals; null, never NaN.
    let o = run(&["metrics", "--case", "case/candidate", "--by", "channel,week", "--json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8(o.stdout).expect("utf-8");
    assert!(!text.contains("NaN"));
    let v: serde_json::Value = serde_json::from_str(&text).expect("one JSON object");
    assert_eq!(v["by"], serde_json::json!(["channel", "week"]));
    let rows = v["rows"].as_array().expect("rows");
    assert!(rows.len() > 40, "4 channels x 17 weeks: {}", rows.len());
    let email = rows.iter().find(|r| r["group"]["channel"] == "email").expect("email");
    assert!(
        email["kpis"]["abandonment_rate"]["value"].is_null(),
        "email is not live"
    );
    let csat = &rows[0]["kpis"]["csat"];
    assert!(csat["ci95"].as_array().is_some_and(|ci| ci.len() == 2) && csat["n"].as_u64().is_some());
    assert!(
        v["omitted"]["nps"].as_str().is_some_and(|w| w.contains("channel")),
        "{}",
        v["omitted"]
    );
    // The table: units in the header, small groups marked.
    let o = run(&[
        "metrics",
        "--case",
        "case",
        "--by",
        "segment,priority",
        "--where",
        "weekday=Sat",
        "--kpi",
        "csat,first_reply_p90",
    ]);
    let table = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success() && table.contains("% [95% CI] n") && table.contains("min n"),
        "{table}"
    );
    assert!(table.contains("*") && table.contains("fewer than 30"), "{table}");
    // A month is a calendar month.
    let o = run(&[
        "metrics", "--case", "case", "--period", "2026-02", "--kpi", "tickets", "--json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(
        v["period"],
        serde_json::json!({"from": "2026-02-01", "to": "2026-02-28"})
    );
    // Bad names: one line naming the value and the choices, exit 2.
    for (args, needle) in [
        (vec!["--kpi", "csat,happiness"], "happiness"),
        (vec!["--by", "colour"], "colour"),
        (vec!["--where", "channel=fax"], "fax"),
        (vec!["--period", "2025-01"], "history"),
        (vec!["--period", "Feb"], "Feb"),
        (vec!["--by", "channel", "--kpi", "nps"], "channel"),
    ] {
        let mut all = vec!["metrics", "--case", "case"];
        all.extend(args.iter().copied());
        let o = run(&all);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.lines().count() == 1 && err.contains(needle), "{args:?}: {err}");
    }
    let o = run(&["metrics", "--case", "nowhere"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("nowhere"));
}

#[test]
fn the_views_charts_draw_agree_with_the_kpis() {
    // The charts read distributions, NPS mixes, a week's profile, churn by experience and CSAT by
    // agent from the engine; each must add up to the KPIs of the same tickets.
    use supportsim::kpi::{Case, percentile};
    let l = common::built_in("saas");
    let cfg = &l.config;
    let sim = common::simulate(&l, 3);
    let case = Case::from_sim(&sim, cfg).expect("case");
    let all = Selection::default();
    let kpis = |by: &[Cut], sel: &Selection, k: &[Kpi]| case.compute(by, sel, k).expect("ok");

    // NPS mix by month: the answers and the NPS of each month.
    let months = kpis(&[Cut::Month], &all, &[Kpi::Nps, Kpi::NpsResponses]);
    let mix = case.nps_mix(&[Cut::Month], &all).expect("mix");
    assert_eq!(mix.len(), months.len());
    for ((labels, m), row) in mix.iter().zip(&months) {
        assert_eq!(*labels, row.group);
        assert_eq!(m.n(), row.kpis[&Kpi::NpsResponses].n);
        let nps = 100.0 * (m.promoters as f64 - m.detractors as f64) / m.n() as f64;
        assert!((nps - value(&row.kpis[&Kpi::Nps])).abs() < 1e-9);
    }
    assert!(case.nps_mix(&[Cut::Channel], &all).is_err(), "NPS has no channel");

    // First-reply times of chat: their p90 is the KPI's.
    let chat = Selection {
        filters: vec![(Cut::Channel, "chat".into())],
        ..Selection::default()
    };
    let mut minutes = case.first_reply_minutes(&chat);
    let p90 = &kpis(&[], &chat, &[Kpi::FirstReplyP90])[0].kpis[&Kpi::FirstReplyP90];
    assert_eq!(minutes.len() as u64, p90.n);
    assert_eq!(percentile(&mut minutes, 0.9), p90.value);

    // The week's profile: tickets per hour times the days of each weekday are the tickets; agents
    // per hour of one team times its hourly cost are its staffing cost.
    let p = case.week_profile(&all);
    let mut days = [0.0; 7];
    for day in case.first_day..=case.last_day {
        days[(day + 3).rem_euclid(7) as usize] += 1.0;
    }
    let tickets: f64 = (0..7).map(|d| p.tickets[d].iter().sum::<f64>() * days[d]).sum();
    assert!((tickets - sim.tickets.len() as f64).abs() < 1e-6, "{tickets}");
    let team = &cfg.teams[0];
    let only = Selection {
        filters: vec![(Cut::Team, team.name.clone())],
        ..Selection::default()
    };
    let q = case.week_profile(&only);
    let usd: f64 = (0..7).map(|d| q.agents[d].iter().sum::<f64>() * days[d]).sum::<f64>() * team.hourly_cost_usd;
    let cost = value(&kpis(&[], &only, &[Kpi::CostUsd])[0].kpis[&Kpi::CostUsd]);
    assert!((usd - cost).abs() < 1e-6 * cost, "{usd} {cost}");
    assert!(q.agents.iter().flatten().sum::<f64>() < p.agents.iter().flatten().sum::<f64>());

    // Churn by experience: the cohort is the churn rate's over the second half of the history.
    let groups = case.churn_by_experience(&all);
    assert_eq!(groups.len(), 3);
    let mid = case.first_day + (case.last_day - case.first_day + 1) / 2;
    let second = Selection {
        from_day: Some(mid),
        to_day: Some(case.last_day),
        filters: Vec::new(),
    };
    let churn = &kpis(&[], &second, &[Kpi::ChurnRate])[0].kpis[&Kpi::ChurnRate];
    let n: u64 = groups.iter().map(|(_, v)| v.n).sum();
    let churned: f64 = groups.iter().map(|(_, v)| value(v) * v.n as f64).sum();
    assert_eq!(n, churn.n);
    assert!((churned / n as f64 - value(churn)).abs() < 1e-9);
    assert!(groups.iter().all(|(_, v)| v.n > 100), "{groups:?}");

    // CSAT by agent: every rated ticket with an assignee is some agent's.
    let agents = kpis(&[Cut::Agent], &all, &[Kpi::CsatResponses]);
    let rated: f64 = agents.iter().map(|r| value(&r.kpis[&Kpi::CsatResponses])).sum();
    let total = value(&kpis(&[], &all, &[Kpi::CsatResponses])[0].kpis[&Kpi::CsatResponses]);
    assert_eq!(rated, total);
    assert!(agents.len() > 20 && agents.iter().all(|r| r.group[0].0 == Cut::Agent));
}
