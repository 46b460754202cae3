//! The customer side of generated cases, as an analyst would check it: loyalty reacts to support
//! (churn and NPS after effortful contacts, the planted issues' true effect on churn), no batch
//! artefacts (survey timing, churn dates, score shape, signups), customers differ (contact
//! concentration, priority and channel by segment and category, prices), and every comment agrees
//! with its ticket or score.

use std::collections::HashMap;

use rayon::prelude::*;

use crate::common;
use supportsim::analysis as metrics;
use supportsim::case::answer_key;
use supportsim::config::{Config, DAY_SECS};
use supportsim::kpi::wilson;
use supportsim::record::SimOutput;

/// A case as `generate` simulates it: the seed's issues planted.
fn case(name: &str, seed: u64) -> (Config, SimOutput) {
    let l = common::built_in(name);
    let cfg = l.config.with_issues(l.config.draw_issues(seed));
    let sim = supportsim::sim::simulate(&cfg, seed, &mut |_| {});
    (cfg, sim)
}

/// The shares `a` and `b` differ: their Wilson intervals do not overlap.
fn apart(what: &str, a: (u64, u64), b: (u64, u64)) {
    let (alo, ahi) = wilson(a.0, a.1);
    let (blo, bhi) = wilson(b.0, b.1);
    assert!(
        alo > bhi,
        "{what}: {}/{} [{alo:.3}, {ahi:.3}] not above {}/{} [{blo:.3}, {bhi:.3}]",
        a.0,
        a.1,
        b.0,
        b.1
    );
}

#[test]
fn churn_and_nps_react_to_effortful_contacts() {
    let (cfg, sim) = case("saas", 1);
    let r = metrics::churn_after_first_contact(&sim, &cfg, 30);
    assert!(
        r.lo > 1.0,
        "30-day churn after an effortful first contact / after an easy one: {:.2} [{:.2}, {:.2}] ({:?} vs {:?})",
        r.ratio,
        r.lo,
        r.hi,
        r.exposed,
        r.control
    );
    // NPS answers within 60 days after an effortful contact have more detractors than those after
    // easy contacts only.
    let mut contacts: HashMap<u32, Vec<(u64, bool)>> = HashMap::new();
    for t in &sim.tickets {
        if let Some(end) = metrics::contact_end_secs(t) {
            contacts
                .entry(t.customer)
                .or_default()
                .push((end, metrics::effortful(t, &cfg)));
        }
    }
    let (mut hard, mut easy) = ((0, 0), (0, 0));
    for r in sim.nps.iter().filter(|r| r.score.is_some()) {
        let recent: Vec<bool> = contacts
            .get(&r.customer)
            .into_iter()
            .flatten()
            .filter(|(end, _)| *end < r.sent_secs && *end + 60 * DAY_SECS > r.sent_secs)
            .map(|(_, e)| *e)
            .collect();
        if recent.is_empty() {
            continue;
        }
        let group = if recent.contains(&true) { &mut hard } else { &mut easy };
        group.0 += u64::from(r.score <= Some(6));
        group.1 += 1;
    }
    apart("detractors after an effortful contact vs after easy ones", hard, easy);
}

#[test]
fn planted_issues_raise_churn_in_at_least_18_of_20_saas_seeds() {
    let l = common::built_in("saas");
    let base = &l.config;
    let rows: Vec<(u64, i64, u64, f64)> = (1..=20u64)
        .into_par_iter()
        .map(|seed| {
            let drawn = base.draw_issues(seed);
            let cfg = base.with_issues(drawn.clone());
            let sim = supportsim::sim::simulate(&cfg, seed, &mut |_| {});
            let counterfactuals: Vec<SimOutput> = (0..drawn.len())
                .map(|i| {
                    let mut others = drawn.clone();
                    others.remove(i);
                    supportsim::sim::simulate(&base.with_issues(others), seed, &mut |_| {})
                })
                .collect();
            let key = answer_key::build(&cfg, "saas", seed, &sim, &counterfactuals);
            let effect: f64 = key.issues.iter().map(|i| i.true_effect["churned_customers"]).sum();
            let lost: f64 = key.issues.iter().map(|i| i.true_effect["lost_mrr_usd"]).sum();
            let first = drawn.iter().map(|i| u64::from(i.start_day)).min().unwrap_or(0) * DAY_SECS;
            let case = supportsim::kpi::Case::from_sim(&sim, &cfg).expect("case");
            let churned_after = answer_key::headline(&case, &sim, first, sim.history_secs).churned_customers;
            (seed, effect as i64, churned_after, lost)
        })
        .collect();
    let good = rows
        .iter()
        .filter(|&&(_, effect, after, _)| effect > 0 && effect as f64 >= 0.02 * after as f64)
        .count();
    assert!(
        good >= 18,
        "seeds with a positive summed churn effect of at least 2% of the churned: {good} of 20 \
         (seed, effect, churned after the first start, lost MRR): {rows:?}"
    );
    assert!(
        rows.iter().filter(|r| r.3 > 0.0).count() >= 18,
        "lost MRR should follow: {rows:?}"
    );
}

#[test]
fn surveys_churn_and_signups_show_no_batch_artefacts() {
    let (cfg, sim) = case("saas", 2);
    let day = DAY_SECS as i64;
    // Invitations go out Monday to Friday, 09:00-17:00 in the customer's region.
    for r in &sim.nps {
        let region = &cfg.regions[sim.customers[r.customer as usize].region as usize];
        let local = r.sent_secs as i64 + region.local_offset_secs;
        let weekday = (i64::from(cfg.start_weekday) + local.div_euclid(day)).rem_euclid(7);
        let hour = local.rem_euclid(day) / 3600;
        assert!(
            weekday < 5 && (9..17).contains(&hour),
            "invitation at weekday {weekday} hour {hour} ({})",
            region.name
        );
    }
    // The organisation sees invitations at many hours (its customers are in several time zones).
    let hours: std::collections::BTreeSet<u64> = sim.nps.iter().map(|r| r.sent_secs % DAY_SECS / 3600).collect();
    assert!(
        hours.len() >= 16,
        "invitations in only {} hours of the day",
        hours.len()
    );
    // Answers come over the following days, fewer each day.
    let delays: Vec<u64> = sim
        .nps
        .iter()
        .filter_map(|r| r.responded_secs.map(|a| (a - r.sent_secs) / DAY_SECS))
        .collect();
    let on = |d: u64| delays.iter().filter(|&&x| x == d).count();
    assert!(
        on(0) > on(1) && on(1) > on(2) && on(2) > on(4) && on(4) > 0,
        "answer delays by day {:?}",
        (0..6).map(on).collect::<Vec<_>>()
    );
    // Scores: most answers 8-10, and a spike at 0 among the detractors.
    let mut scores = [0usize; 11];
    sim.nps
        .iter()
        .filter_map(|r| r.score)
        .for_each(|s| scores[s as usize] += 1);
    let total: usize = scores.iter().sum();
    assert!(scores[8] + scores[9] + scores[10] > total / 2, "{scores:?}");
    assert!(
        scores[0] > scores[1] + scores[2] && scores[0] > scores[3],
        "no spike at 0: {scores:?}"
    );
    // Churn falls on most days of the history, none holding a batch.
    let mut per_day: HashMap<i64, usize> = HashMap::new();
    for c in &sim.customers {
        if let Some(s) = c.churned_secs.filter(|&s| s > 0) {
            *per_day.entry(s / day).or_default() += 1;
        }
    }
    let churned: usize = per_day.values().sum();
    let days = i64::from(cfg.history_days);
    assert!(
        per_day.len() as i64 >= days * 9 / 10,
        "churn on only {} of {days} days",
        per_day.len()
    );
    let mean = churned as f64 / days as f64;
    let max = per_day.values().copied().max().unwrap_or(0) as f64;
    assert!(max < 3.0 * mean, "a day with {max} churned against a mean of {mean:.1}");
    // Signups spread over years, more in each recent year than in the year before (growth thinned by churn).
    let by_year = |y: i64| {
        sim.customers
            .iter()
            .filter(|c| c.signup_secs < 0 && (-c.signup_secs - 1) / (365 * day) == y)
            .count()
    };
    assert!(by_year(5) > 0, "no customer signed up five years before the history");
    for y in 0..4 {
        assert!(
            by_year(y) > by_year(y + 1),
            "year {y} back: {} signups, year {}: {}",
            by_year(y),
            y + 1,
            by_year(y + 1)
        );
    }
    // Customers keep signing up through the warm-up and the history.
    let in_warmup = sim
        .customers
        .iter()
        .filter(|c| c.signup_secs < 0 && c.signup_secs >= -i64::from(cfg.warmup_days) * day)
        .count();
    assert!(in_warmup > 100, "only {in_warmup} signups in the warm-up");
}

#[test]
fn customers_differ_in_contact_priority_channel_and_price() {
    let (cfg, sim) = case("saas", 3);
    let top = metrics::top_decile_ticket_share(&sim);
    assert!(
        top > 0.30,
        "the top tenth of contacting customers send only {top:.3} of tickets"
    );
    let urgent = |seg: &str| {
        let s = cfg.segments.iter().position(|g| g.name == seg).expect("segment");
        let of: Vec<_> = sim.tickets.iter().filter(|t| t.segment as usize == s).collect();
        (of.iter().filter(|t| t.priority <= 1).count() as u64, of.len() as u64)
    };
    apart(
        "urgent or high priority, enterprise vs smb",
        urgent("enterprise"),
        urgent("smb"),
    );

    let (cfg, sim) = case("fintech", 3);
    let phone = cfg.channel_index("phone").expect("phone");
    let by_phone = |cat: &str| {
        let k = cfg.category_index(cat).expect("category");
        let of: Vec<_> = sim.tickets.iter().filter(|t| t.category as usize == k).collect();
        (
            of.iter().filter(|t| t.channel as usize == phone).count() as u64,
            of.len() as u64,
        )
    };
    apart(
        "phone share, fraud disputes vs fees",
        by_phone("fraud_dispute"),
        by_phone("fees_statements"),
    );
    // Revenue is a plan's fee plus card interchange: it varies with spending in every segment, the
    // free basic plan included, and the free plan is the only one whose comments never name fees.
    for seg in ["basic", "premium", "business"] {
        let s = cfg.segments.iter().position(|g| g.name == seg).expect("segment") as u8;
        let revenue: Vec<f64> = sim
            .customers
            .iter()
            .filter(|c| c.segment == s)
            .map(|c| c.mrr_usd)
            .collect();
        assert!(
            revenue.iter().any(|&f| f != revenue[0]) && revenue.iter().all(|&f| f > 0.0),
            "{seg}: revenue varies and is positive"
        );
        assert_eq!(cfg.segments[s as usize].free_plan, seg == "basic", "{seg}");
    }
}

/// Every sentence of `text` (after ". ", "! " or "? ") starts with a capital letter.
fn sentences_capitalised(text: &str) -> bool {
    std::iter::once(0)
        .chain(text.match_indices(['.', '!', '?']).map(|(i, _)| i + 2))
        .filter(|&i| i < text.len())
        .all(|i| text[i..].chars().next().is_some_and(char::is_uppercase))
}

/// Phrases praising speed and the longest resolution (minutes) each may sit on; none after a day.
const SPEED_PRAISE: [(&str, f64); 8] = [
    ("in minutes", 60.0),
    ("still on the line", 60.0),
    ("still chatting", 60.0),
    ("couple of hours", 240.0),
    ("Quick,", 240.0),
    ("Fast and", 240.0),
    ("same day", 1440.0),
    ("quick reply", 1440.0),
];
/// Phrases complaining of days or hours and the shortest resolution (minutes) each may sit on; none
/// within a few hours.
const SLOW_COMPLAINT: [(&str, f64); 5] = [
    ("Days went by", 2.0 * 1440.0),
    ("more than a week", 7.0 * 1440.0),
    ("A whole day", 1440.0),
    ("more than a day", 1440.0),
    ("took hours", 120.0),
];

#[test]
fn every_comment_of_all_three_scenarios_agrees_with_its_ticket_or_score() {
    for name in ["saas", "ecommerce", "fintech"] {
        let (cfg, sim) = case(name, 4);
        let cal = supportsim::output::tables::Calendar::new(cfg.start_date);
        let t = supportsim::output::tables::tickets(&sim, &cfg, &cal).expect("tickets");
        let comments = t.column("csat_comment").expect("col").str().expect("str").clone();
        let resolution = t
            .column("full_resolution_minutes")
            .expect("col")
            .f64()
            .expect("f64")
            .clone();
        let mut texts: HashMap<String, usize> = HashMap::new();
        let mut n = 0;
        for (c, res) in comments.iter().zip(resolution.iter()) {
            let Some(c) = c else { continue };
            let res = res.expect("a rated ticket is solved");
            n += 1;
            *texts.entry(c.to_string()).or_default() += 1;
            assert!(
                sentences_capitalised(c) && !c.contains('(') && !c.contains("  "),
                "{name}: {c}"
            );
            for (p, longest) in SPEED_PRAISE {
                assert!(
                    !c.contains(p) || res <= longest,
                    "{name}: \"{c}\" on a ticket solved after {res} minutes"
                );
            }
            for (p, shortest) in SLOW_COMPLAINT {
                assert!(
                    !c.contains(p) || res >= shortest,
                    "{name}: \"{c}\" on a ticket solved in {res} minutes"
                );
            }
        }
        let nps = supportsim::output::tables::nps_responses(&sim, &cfg, &cal).expect("nps");
        let scores = nps.column("score").expect("col").u32().expect("u32").clone();
        let words = nps.column("comment").expect("col").str().expect("str").clone();
        let mut nps_texts: HashMap<String, usize> = HashMap::new();
        let mut m = 0;
        for (score, c) in scores.iter().zip(words.iter()) {
            let Some(c) = c else { continue };
            let score = score.expect("a comment comes with a score");
            m += 1;
            *nps_texts.entry(c.to_string()).or_default() += 1;
            assert!(sentences_capitalised(c), "{name}: {c}");
            if score >= 9 {
                for p in [
                    "We will see",
                    "switching",
                    "Not happy",
                    "Disappointed",
                    "far too",
                    "too often",
                ] {
                    assert!(!c.contains(p), "{name}: promoter ({score}) writes \"{c}\"");
                }
            }
            if score <= 6 {
                for p in [
                    "Love it",
                    "Keep it up",
                    "Highly recommended",
                    "reason I stay",
                    "excellent",
                    "Very happy",
                ] {
                    assert!(!c.contains(p), "{name}: detractor ({score}) writes \"{c}\"");
                }
            }
        }
        assert!(n > 1000 && m > 300, "{name}: {n} CSAT and {m} NPS comments");
        for (what, counts, total) in [("CSAT", &texts, n), ("NPS", &nps_texts, m)] {
            let (text, most) = counts.iter().max_by_key(|&(_, k)| *k).expect("some");
            assert!(
                *most as f64 <= 0.02 * total as f64,
                "{name}: \"{text}\" is {most} of {total} {what} comments"
            );
        }
    }
}

/// A table of a generated case, read from its Parquet file.
fn read_table(case: &std::path::Path, table: &str) -> polars::prelude::DataFrame {
    use polars::prelude::{ParquetReader, SerReader};
    let path = case.join(format!("candidate/data/{table}.parquet"));
    let file = std::fs::File::open(&path).expect("open");
    ParquetReader::new(file).finish().expect("parquet")
}

/// The value of the brief's "At a glance" row starting with `label`.
fn glance<'a>(brief: &'a str, label: &str) -> &'a str {
    brief
        .lines()
        .find_map(|l| l.strip_prefix(&format!("| {label} | ")))
        .unwrap_or_else(|| panic!("no row {label}"))
}

/// A number as the brief writes it: `20,485`, `$5.2M`, `$467k`.
fn number(text: &str) -> f64 {
    let t = text.trim().trim_start_matches('$');
    let digits: String = t
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == ',' || *c == '.')
        .collect();
    let v: f64 = digits
        .replace(',', "")
        .parse()
        .unwrap_or_else(|_| panic!("a number: {text}"));
    match t[digits.len()..].chars().next() {
        Some('M') => v * 1e6,
        Some('k') => v * 1e3,
        _ => v,
    }
}

#[test]
fn each_scenarios_brief_matches_its_own_data() {
    use polars::prelude::*;
    let tmp = tempfile::tempdir().expect("tempdir");
    for name in ["saas", "ecommerce", "fintech"] {
        let out = tmp.path().join(name);
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_supportsim"))
            .args([
                "generate",
                "--scenario",
                name,
                "--seed",
                "5",
                "--format",
                "parquet",
                "--quiet",
                "--out",
            ])
            .arg(&out)
            .output()
            .expect("run");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let brief = std::fs::read_to_string(out.join("candidate/brief.md")).expect("brief");
        let customers = read_table(&out, "customers");
        let current = customers
            .filter(&customers.column("churned_at").expect("col").is_null())
            .expect("filter");
        let n = current.height() as f64;
        let row = glance(&brief, "customers");
        assert_eq!(number(row), n, "{name}: customers");
        let mrr: f64 = current
            .column("mrr_usd")
            .expect("col")
            .f64()
            .expect("f64")
            .sum()
            .unwrap_or(0.0);
        let revenue_row = brief
            .lines()
            .find(|l| l.starts_with("| monthly") || l.starts_with("| customers' monthly"))
            .expect("revenue row");
        let stated = number(revenue_row.rsplit('|').nth(1).expect("value"));
        assert!(
            (stated - mrr).abs() <= 0.05 * mrr + 1.0,
            "{name}: revenue {stated} vs {mrr}"
        );
        let agents = read_table(&out, "agents");
        assert_eq!(
            number(glance(&brief, "support agents on the roster during the period")),
            agents.height() as f64,
            "{name}: agents"
        );
        let tickets = read_table(&out, "tickets");
        let schedule = read_table(&out, "schedule");
        let days = schedule.column("date").expect("col").n_unique().expect("days") as f64;
        let weekly = tickets.height() as f64 * 7.0 / days;
        let stated = number(glance(&brief, "tickets per week, on average over the period"));
        assert!(
            (stated - weekly).abs() <= 1.0,
            "{name}: tickets per week {stated} vs {weekly:.1}"
        );
        // Tickets per rostered agent-day (8 scheduled agent-hours) in the range a support director
        // recognises: handle times of 5-25 minutes per ticket at 75-85% of 7.5 productive hours.
        let agent_hours: u32 = schedule
            .column("agents_scheduled")
            .expect("col")
            .u32()
            .expect("u32")
            .sum()
            .unwrap_or(0);
        let per_agent_day = tickets.height() as f64 / (f64::from(agent_hours) / 8.0);
        assert!(
            (8.0..=40.0).contains(&per_agent_day),
            "{name}: {per_agent_day:.1} tickets per agent-day"
        );
        // The context states no count that the data could contradict.
        let context = brief.split("## At a glance").next().unwrap_or_default();
        for word in ["000 ", "agents", "million"] {
            assert!(!context.contains(word), "{name}: the story states \"{word}\" by hand");
        }
    }
}
