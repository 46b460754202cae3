//! Proposal files: the template of every scenario is a valid proposal, every kind of bad proposal
//! gets one line naming the entry, field and value (exit 2 at the command line), and a thousand
//! seeded corruptions of a valid proposal never panic.

use std::path::Path;

use supportsim::interventions::{self, catalog, proposal};

use crate::common;

#[test]
fn every_scenarios_template_is_a_valid_proposal_naming_every_kind() {
    for name in ["saas", "ecommerce", "fintech"] {
        let cfg = common::built_in(name).config;
        let text = interventions::template(&cfg);
        let p =
            proposal::parse(text.as_bytes(), &cfg, &common::days_of(&cfg)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(p.changes.len(), 1, "{name}");
        assert_eq!((p.metrics.len(), p.findings.len()), (1, 1));
        for k in &catalog::KINDS {
            assert!(text.contains(&format!("kind = \"{}\"", k.name)), "{name}: {}", k.name);
        }
        // Uncommenting every block gives a valid proposal too.
        let all = common::every_kind_proposal(&cfg);
        let p = proposal::parse(all.as_bytes(), &cfg, &common::days_of(&cfg)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(p.changes.len(), catalog::KINDS.len(), "{name}");
    }
}

const VALID: &str = r#"
[candidate]
name = "A. Candidate"

[[change]]
kind = "add_agents"
team = "frontline_live"
days = "Sat-Sun"
hours = "08:00-20:00"
agents = 3
start_day = 14

[[change]]
kind = "knowledge_base"
category = "billing"

[[metric]]
kpi = "csat"
where = { channel = "chat" }
baseline = 0.78
target = 0.85
by_day = 60

[[finding]]
kpi = "first_reply_p90"
where = { channel = "chat", weekday = "Sat" }
period = "2026-02"
value = 212.0
"#;

/// Bad proposals (a valid one with one edit) and what their one line must say.
fn bad_proposals() -> Vec<(String, &'static str)> {
    let edit = |from: &str, to: &str| VALID.replacen(from, to, 1);
    vec![
        (
            edit("\"knowledge_base\"", "\"robot\""),
            "change[2].kind: unknown kind \"robot\"; valid: add_agents",
        ),
        (
            edit("\"frontline_live\"", "\"tier9\""),
            "change[1].team: unknown team \"tier9\"; valid: frontline_live",
        ),
        (
            edit("\"billing\"", "\"refunds\""),
            "change[2].category: unknown category \"refunds\"; valid: how_to",
        ),
        (
            edit(
                "kind = \"knowledge_base\"\ncategory = \"billing\"",
                "kind = \"chatbot\"\nchannel = \"email\"",
            ),
            "change[2].channel: unknown live channel \"email\"; valid: chat, phone",
        ),
        (
            edit(
                "kind = \"knowledge_base\"\ncategory = \"billing\"",
                "kind = \"routing\"\nrule = \"segment_priority\"\nsegment = \"vip\"",
            ),
            "change[2].segment: unknown segment \"vip\"; valid: smb",
        ),
        (
            edit("start_day = 14", "start_day = 400"),
            "change[1].start_day: must be from 0 to 90, got 400",
        ),
        (
            edit("agents = 3", "agents = -2"),
            "change[1].agents: must be from 1 to 100, got -2",
        ),
        (
            edit("agents = 3", "agents = \"three\""),
            "change[1].agents: must be a whole number",
        ),
        (
            edit("08:00-20:00", "08:00-25:00"),
            "change[1].hours: not hours of the day, got \"08:00-25:00\"",
        ),
        (
            edit("Sat-Sun", "Weekends"),
            "change[1].days: not days of the week, got \"Weekends\"",
        ),
        (
            edit("agents = 3", "agents = 3\ncolour = \"red\""),
            "change[1].colour: not a parameter of add_agents",
        ),
        (edit("agents = 3\n", ""), "change[1].agents: missing"),
        (
            edit("start_day = 14", "start_day = 14\nend_day = 10"),
            "change[1].end_day: must be after start_day (14), got 10",
        ),
        (
            edit(
                "kind = \"knowledge_base\"\ncategory = \"billing\"",
                "kind = \"routing\"\nrule = \"segment_priority\"",
            ),
            "change[2].segment: missing",
        ),
        (
            edit(
                "kind = \"knowledge_base\"\ncategory = \"billing\"",
                "kind = \"extend_hours\"\nchannel = \"phone\"\nteam = \"frontline_email\"\ndays = \"Sat\"\nhours = \"10:00-14:00\"\nagents = 1",
            ),
            "change[2].team: frontline_email does not serve phone",
        ),
        (
            edit("where = { channel = \"chat\" }", "where = \"channel=chat\""),
            "metric[1].where: must be a table",
        ),
        (
            edit("where = { channel = \"chat\" }", "where = { colour = \"red\" }"),
            "metric[1].where.colour: unknown key",
        ),
        (
            edit("where = { channel = \"chat\" }", "where = { channel = \"fax\" }"),
            "metric[1].where.channel: unknown channel \"fax\"",
        ),
        (
            edit("kpi = \"csat\"", "kpi = \"happiness\""),
            "metric[1].kpi: unknown KPI \"happiness\"; valid: tickets",
        ),
        (
            edit("kpi = \"csat\"", "kpi = \"nps\""),
            "metric[1].where: nps cannot be cut or filtered by channel",
        ),
        (
            edit("by_day = 60", "by_day = 0"),
            "metric[1].by_day: must be from 1 to 91, got 0",
        ),
        (edit("target = 0.85\n", ""), "metric[1].target: missing"),
        (
            edit("period = \"2026-02\"", "period = \"2031-02\""),
            "finding[1].period: \"2031-02\" lies outside the history",
        ),
        (
            edit("period = \"2026-02\"", "period = \"February\""),
            "finding[1].period: \"February\" is not a month",
        ),
        (
            edit("value = 212.0", "value = \"fast\""),
            "finding[1].value: must be a number, got \"fast\"",
        ),
        (
            edit("[candidate]", "[person]"),
            "unknown section \"person\"; valid: candidate, change, metric, finding",
        ),
        // Cut off inside a string.
        (
            VALID[..VALID.find("frontline_live").expect("team") + 5].to_string(),
            "not valid TOML",
        ),
    ]
}

#[test]
fn every_bad_proposal_gets_one_line_naming_the_field_and_value() {
    let cfg = common::built_in("saas").config;
    let case = common::days_of(&cfg);
    proposal::parse(VALID.as_bytes(), &cfg, &case).expect("the valid proposal");
    for (text, needle) in bad_proposals() {
        let e = proposal::parse(text.as_bytes(), &cfg, &case).expect_err(needle);
        assert!(e.0.contains(needle), "wanted \"{needle}\", got: {e}");
        assert!(!e.0.contains('\n'), "one line: {e}");
    }
    let mut bytes = VALID.as_bytes().to_vec();
    bytes.insert(20, 0xff);
    let e = proposal::parse(&bytes, &cfg, &case).expect_err("not UTF-8");
    assert!(e.0.contains("is not UTF-8"), "{e}");
}

/// A seeded corruption of `text`: a line deleted or duplicated, a value swapped for another type,
/// a huge or negative number, an unknown name, a cut, or a byte that is not UTF-8.
fn corrupt(text: &str, seed: u64) -> Vec<u8> {
    let r = |k: u64| supportsim::rng::mix64(seed ^ supportsim::rng::mix64(k));
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let n = lines.len() as u64;
    for step in 0..1 + r(0) % 3 {
        let i = (r(step + 1) % n) as usize;
        let line = lines[i].clone();
        let (key, _) = line.split_once(" = ").unwrap_or((line.as_str(), ""));
        lines[i] = match r(step + 100) % 9 {
            0 => String::new(),
            1 => format!("{line}\n{line}"),
            2 => format!("{key} = \"text\""),
            3 => format!("{key} = 99999999999999999"),
            4 => format!("{key} = -7"),
            5 => format!("{key} = \"no_such_name\""),
            6 => format!("{key} = [1, 2]"),
            7 => format!("{key} = {{ a = 1 }}"),
            _ => format!("{key} = 1.5e308"),
        };
    }
    let mut out = lines.join("\n").into_bytes();
    match r(999) % 5 {
        0 => out.truncate((r(1000) % out.len() as u64) as usize),
        1 => {
            let at = (r(1001) % out.len() as u64) as usize;
            out.insert(at, 0xc3);
        }
        _ => {}
    }
    out
}

#[test]
fn a_thousand_corruptions_never_panic() {
    let cfg = common::built_in("saas").config;
    let case = common::days_of(&cfg);
    let (mut ok, mut refused) = (0, 0);
    for seed in 0..1000 {
        let bytes = corrupt(VALID, seed);
        let result = std::panic::catch_unwind(|| proposal::parse(&bytes, &cfg, &case));
        match result {
            Ok(Ok(_)) => ok += 1,
            Ok(Err(e)) => {
                assert!(!e.0.contains('\n') && !e.0.is_empty(), "seed {seed}: {e}");
                refused += 1;
            }
            Err(_) => panic!("seed {seed} panicked on:\n{}", String::from_utf8_lossy(&bytes)),
        }
    }
    assert!(refused > 700 && ok > 10, "{ok} accepted, {refused} refused");
}

fn run(dir: &Path, args: &[&str]) -> std::process::Output {
    common::run_in(dir, args)
}

#[test]
fn interventions_template_and_check_at_the_command_line() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    let o = run(dir, &["interventions", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("one JSON object");
    let kinds = v["kinds"].as_array().expect("kinds");
    assert_eq!(kinds.len(), catalog::KINDS.len());
    assert!(
        kinds
            .iter()
            .all(|k| k["params"].is_array() && k["lead_days"].is_u64() && k["one_off"].is_string())
    );
    let o = run(dir, &["interventions"]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("chatbot: ") && text.contains("10% to 30%"), "{text}");

    let o = run(
        dir,
        &["generate", "--seed", "7", "--out", "case", "--quiet", "--format", "csv"],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = run(dir, &["proposal", "template", "--case", "case"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let before = std::fs::read(dir.join("proposal.toml")).expect("template");
    let o = run(dir, &["proposal", "template", "--case", "case"]);
    assert_eq!(o.status.code(), Some(2), "refuses to overwrite");
    assert_eq!(std::fs::read(dir.join("proposal.toml")).expect("kept"), before);
    let o = run(dir, &["proposal", "check", "--case", "case", "proposal.toml"]);
    assert!(o.status.success() && String::from_utf8_lossy(&o.stdout).contains("valid: 1 change(s)"));
    for (i, (text, needle)) in bad_proposals().into_iter().enumerate().step_by(5) {
        let name = format!("bad{i}.toml");
        std::fs::write(dir.join(&name), text).expect("write");
        let o = run(dir, &["proposal", "check", "--case", "case", &name]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{needle}: {err}");
        assert!(
            err.contains(&name) && err.contains(needle) && err.trim_end().lines().count() == 1,
            "{err}"
        );
    }
    // Valid to parse, but no shift works those hours: check plans it as score would.
    std::fs::write(
        dir.join("weekend.toml"),
        "[[change]]\nkind = \"remove_agents\"\nteam = \"frontline_live\"\ndays = \"Sat-Sun\"\nhours = \"12:00-20:00\"\nagents = 2\n",
    )
    .expect("write");
    let o = run(dir, &["proposal", "check", "--case", "case", "weekend.toml"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("weekend.toml")
            && err.contains("change[1].hours: no shift of frontline_live")
            && err.trim_end().lines().count() == 1,
        "{err}"
    );
    for seed in 0..20 {
        std::fs::write(dir.join("c.toml"), corrupt(VALID, seed)).expect("write");
        let o = run(dir, &["proposal", "check", "--case", "case", "c.toml"]);
        assert!(matches!(o.status.code(), Some(0 | 2)), "seed {seed}: {:?}", o.status);
        assert!(!String::from_utf8_lossy(&o.stderr).contains("panicked"));
    }
}

#[test]
fn changes_cost_what_the_catalog_says() {
    use supportsim::interventions::cost::cost;
    let cfg = common::built_in("saas").config;
    let p = proposal::parse(
        b"[[change]]\nkind = \"add_agents\"\nteam = \"frontline_live\"\ndays = \"Mon-Fri\"\nhours = \"09:00-17:00\"\nagents = 2\n\n[[change]]\nkind = \"knowledge_base\"\ncategory = \"billing\"\nstart_day = 31\n\n[[change]]\nkind = \"chatbot\"\nchannel = \"chat\"\nend_day = 60\n",
        &cfg,
        &common::days_of(&cfg),
    )
    .expect("valid");
    // Two agents, 40 hours a week at $42, from day 21 to day 91: ten weeks, and $6,000 each to hire.
    let hire = cost(&p.changes[0], &cfg, 0.0);
    assert_eq!(
        (hire.one_off_usd, hire.running_usd),
        (12_000.0, 2.0 * 40.0 * 42.0 * 10.0)
    );
    // A knowledge base decided on day 31: $12,000, then $1,000 per 30 days for 60 days.
    let kb = cost(&p.changes[1], &cfg, 0.0);
    assert_eq!((kb.one_off_usd, kb.running_usd), (12_000.0, 2_000.0));
    // A bot pays per contact it resolves.
    assert_eq!(cost(&p.changes[2], &cfg, 1234.0).running_usd, 1234.0);
}
