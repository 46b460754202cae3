//! The `supportsim` binary end to end on temporary folders: determinism, manifests, refusing to
//! overwrite, and one-line errors with exit code 2 for bad scenario files.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common;
use supportsim::output::manifest::{Manifest, sha256_file};

fn supportsim(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_supportsim"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("run supportsim")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let p = entry.expect("entry").path();
        if p.is_dir() {
            out.extend(files_under(&p))
        } else {
            out.push(p)
        }
    }
    out.sort();
    out
}

fn generate(tmp: &Path, out: &str, seed: &str) -> Output {
    supportsim(&["generate", "--scenario", "saas", "--seed", seed, "--out", out], tmp)
}

#[test]
fn same_seed_gives_byte_identical_files_and_another_seed_differs() {
    let tmp = tempfile::tempdir().expect("tempdir");
    for (out, seed) in [("a", "7"), ("b", "7"), ("c", "8")] {
        let o = generate(tmp.path(), out, seed);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let (a, b, c) = (tmp.path().join("a"), tmp.path().join("b"), tmp.path().join("c"));
    let fa = files_under(&a);
    assert_eq!(
        fa.len(),
        17,
        "6 tables in 2 formats, brief.md, data_dictionary.md, the answer key (json and md) and case.toml: {fa:?}"
    );
    // The candidate's folder holds the brief, the dictionary and the data; the key and manifest are apart.
    let candidate: Vec<_> = files_under(&a.join("candidate"));
    assert_eq!(candidate.len(), 14, "{candidate:?}");
    assert!(a.join("case.toml").is_file() && a.join("interviewer/answer_key.json").is_file());
    assert_eq!(
        std::fs::read_dir(&a).expect("ls").count(),
        3,
        "case.toml, candidate/ and interviewer/ only"
    );
    for f in &fa {
        let rel = f.strip_prefix(&a).expect("prefix");
        let same = std::fs::read(f).expect("read a") == std::fs::read(b.join(rel)).expect("read b");
        assert!(same, "{} differs between two runs with the same seed", rel.display());
    }
    for table in [
        "candidate/data/tickets.csv",
        "candidate/data/tickets.parquet",
        "candidate/data/ticket_events.csv",
        "candidate/data/ticket_events.parquet",
    ] {
        let differ = std::fs::read(a.join(table)).expect("a") != std::fs::read(c.join(table)).expect("c");
        assert!(differ, "{table} is the same for seeds 7 and 8");
    }
    // The manifest records the seed, the version, the scenario and a correct checksum of every file.
    let m: Manifest = toml::from_str(&std::fs::read_to_string(a.join("case.toml")).expect("case.toml")).expect("parse");
    assert_eq!(
        (m.seed, m.scenario_name.as_str(), m.supportsim_version.as_str()),
        (7, "saas", env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(m.files.len(), 16);
    for (rel, sum) in &m.files {
        assert_eq!(&sha256_file(&a.join(rel)).expect("hash"), sum, "checksum of {rel}");
    }
    // The embedded scenario regenerates the same case.
    let embedded = toml::to_string(&m.scenario).expect("serialise");
    std::fs::write(tmp.path().join("embedded.toml"), embedded).expect("write");
    let o = supportsim(
        &[
            "generate",
            "--scenario",
            "embedded.toml",
            "--seed",
            "7",
            "--out",
            "d",
            "--format",
            "csv",
        ],
        tmp.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        std::fs::read(a.join("candidate/data/tickets.csv")).expect("a"),
        std::fs::read(tmp.path().join("d/candidate/data/tickets.csv")).expect("d")
    );
    assert!(
        !tmp.path().join("d/candidate/data/tickets.parquet").exists(),
        "--format csv writes no parquet"
    );
}

#[test]
fn csv_tables_have_the_designed_columns_and_one_row_per_ticket() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let o = supportsim(
        &["generate", "--seed", "3", "--out", "case", "--format", "csv", "--quiet"],
        tmp.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let read = |t: &str| std::fs::read_to_string(tmp.path().join(format!("case/candidate/data/{t}.csv"))).expect("csv");
    let header = |t: &str| read(t).lines().next().unwrap_or_default().to_string();
    assert_eq!(
        header("tickets"),
        "ticket_id,created_at,channel,category,priority,customer_id,segment,team,assignee_id,status,first_reply_at,\
first_reply_minutes,solved_at,full_resolution_minutes,agent_replies,reopens,escalated,group_stations,abandoned,\
queue_wait_minutes,handle_minutes,first_reply_sla_breached,csat_score,csat_comment,tags"
    );
    assert_eq!(header("ticket_events"), "ticket_id,at,event,agent_id,team");
    assert_eq!(
        header("nps_responses"),
        "response_id,customer_id,segment,sent_at,responded_at,score,comment"
    );
    assert_eq!(
        header("customers"),
        "customer_id,segment,region,signup_date,mrr_usd,churned_at"
    );
    assert_eq!(
        header("agents"),
        "agent_id,team,tier,hire_date,left_date,channels,shift"
    );
    assert_eq!(header("schedule"), "date,interval_start,team,agents_scheduled");
    let l = common::built_in("saas");
    let sim = supportsim::sim::simulate(&l.config.with_issues(l.config.draw_issues(3)), 3, &mut |_| {});
    assert_eq!(read("tickets").lines().count(), sim.tickets.len() + 1);
    assert_eq!(read("ticket_events").lines().count(), sim.events.len() + 1);
    let first = read("tickets").lines().nth(1).unwrap_or_default().to_string();
    let created = first.split(',').nth(1).unwrap_or_default().to_string();
    assert_eq!(created.len(), 19, "ISO 8601 local time: {created}");
    assert!(created.starts_with("2026-01-05T"), "{created}");
}

#[test]
fn a_non_empty_folder_is_kept_without_force_and_replaced_with_it() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("case");
    std::fs::create_dir_all(&out).expect("mkdir");
    std::fs::write(out.join("notes.txt"), "mine").expect("write");
    let o = supportsim(&["generate", "--out", "case"], tmp.path());
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(out.join("notes.txt")).expect("kept"), "mine");
    assert!(!out.join("candidate").exists());
    let o = supportsim(
        &["generate", "--out", "case", "--force", "--format", "parquet"],
        tmp.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!out.join("notes.txt").exists() && out.join("candidate/data/tickets.parquet").exists());
    // No staging or replaced folders are left behind.
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .expect("ls")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name())
        .collect();
    assert_eq!(leftovers, vec![std::ffi::OsString::from("case")]);
}

#[test]
fn scenario_list_show_and_validate() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let o = supportsim(&["scenario", "list"], tmp.path());
    let list = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(
        o.status.success() && list.contains("saas") && list.contains("large"),
        "{list}"
    );
    let o = supportsim(&["scenario", "show", "saas"], tmp.path());
    assert!(o.status.success());
    std::fs::write(tmp.path().join("copy.toml"), &o.stdout).expect("write");
    let o = supportsim(&["scenario", "validate", "copy.toml"], tmp.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("valid"));
    let o = supportsim(&["scenario", "show", "nope"], tmp.path());
    assert_eq!(o.status.code(), Some(2));
}

/// Each bad scenario: (what it breaks, the edit, words the one-line error must contain).
fn bad_scenarios() -> Vec<(&'static str, String, Vec<&'static str>)> {
    let good = common::built_in_text("saas");
    vec![
        (
            "malformed TOML",
            good.replacen("[case]", "[case", 1),
            vec!["case", "line 5"],
        ),
        (
            "wrong type",
            good.replacen("share = 0.38", "share = \"lots\"", 1),
            vec!["channels[0].share", "lots"],
        ),
        (
            "negative rate",
            good.replacen("contacts_per_month = 0.7", "contacts_per_month = -0.35", 1),
            vec!["customers.segments[1].contacts_per_month", "-0.35"],
        ),
        (
            "shares not summing to 1",
            good.replacen("share = 0.38", "share = 0.48", 1),
            vec!["channels[*].share", "1.1"],
        ),
        (
            "unknown channel",
            good.replacen(
                "channels = [\"email\", \"web_form\"]",
                "channels = [\"email\", \"fax\"]",
                1,
            ),
            vec!["teams[1].channels[1]", "fax"],
        ),
        (
            "a channel nobody serves",
            good.replacen(
                "channels = [\"chat\", \"phone\", \"email\", \"web_form\"]",
                "channels = [\"chat\", \"email\", \"web_form\"]",
                1,
            ),
            vec!["channels[3]", "phone"],
        ),
        (
            "unknown key",
            good.replacen("[case]", "[case]\ncolour = \"blue\"", 1),
            vec!["case", "colour"],
        ),
        (
            "too many channels",
            good.clone()
                + &(0..29)
                    .map(|i| {
                        format!(
                            "\n[[channels]]\nname = \"extra{i}\"\nkind = \"async\"\nshare = 0.0\nfirst_reply_target_minutes = 60.0\n"
                        )
                    })
                    .collect::<String>(),
            vec!["channels", "at most 32", "33"],
        ),
        (
            "negative patience",
            good.replacen("mean_minutes = 4.0 }", "mean_minutes = -3.0 }", 1),
            vec!["channels[2].patience.mean_minutes", "-3"],
        ),
    ]
}

#[test]
fn bad_scenarios_give_one_line_exit_2_and_write_nothing() {
    let tmp = tempfile::tempdir().expect("tempdir");
    for (what, text, words) in bad_scenarios() {
        let file = tmp.path().join("bad.toml");
        std::fs::write(&file, &text).expect("write");
        for args in [
            vec!["scenario", "validate", "bad.toml"],
            vec!["generate", "--scenario", "bad.toml", "--out", "case"],
        ] {
            let o = supportsim(&args, tmp.path());
            let err = stderr(&o);
            assert_eq!(o.status.code(), Some(2), "{what}: {err}");
            assert_eq!(err.lines().count(), 1, "{what}: not one line: {err}");
            assert!(err.starts_with("error: bad.toml: "), "{what}: {err}");
            for w in &words {
                assert!(err.contains(w), "{what}: '{w}' missing from: {err}");
            }
            assert!(!err.contains("panicked"), "{what}: {err}");
            assert!(o.stdout.is_empty(), "{what}: printed to stdout");
            assert!(!tmp.path().join("case").exists(), "{what}: wrote an output folder");
        }
    }
    let leftovers = std::fs::read_dir(tmp.path()).expect("ls").count();
    assert_eq!(leftovers, 1, "only bad.toml remains");
}

#[test]
fn a_missing_scenario_file_is_bad_input() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let o = supportsim(&["generate", "--scenario", "missing.toml"], tmp.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).starts_with("error: missing.toml: "), "{}", stderr(&o));
    assert!(!tmp.path().join("out").exists());
}

#[test]
fn benchmark_scenarios_are_valid() {
    for file in ["benches/mmc.toml", "benches/mmc_abandon.toml"] {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
        if let Err(e) = supportsim::scenarios::load(&path.to_string_lossy()) {
            panic!("{file}: {e}");
        }
    }
}

/// Everything a candidate can read in a file: the text of CSV and markdown files; for Parquet, the
/// column names, every text value and the file's raw bytes (metadata).
fn readable_text(path: &Path) -> String {
    use polars::prelude::*;
    if path.extension().is_some_and(|e| e == "parquet") {
        let file = std::fs::File::open(path).expect("open");
        let df = ParquetReader::new(file).finish().expect("parquet");
        // The decoded names and values: compressed bytes spell short words by chance.
        let mut text = String::new();
        for c in df.columns() {
            text.push_str(c.name());
            text.push('\n');
            if let Ok(values) = c.str() {
                let distinct: std::collections::BTreeSet<&str> = values.iter().flatten().collect();
                for v in distinct {
                    text.push_str(v);
                    text.push('\n');
                }
            }
        }
        text
    } else {
        std::fs::read_to_string(path).expect("text")
    }
}

#[test]
fn candidate_files_reveal_no_hidden_issue_or_trap() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut kinds_seen = std::collections::BTreeSet::new();
    let cases = [
        ("saas", "1"),
        ("saas", "2"),
        ("saas", "3"),
        ("saas", "4"),
        ("ecommerce", "1"),
        ("fintech", "1"),
    ];
    for (scenario, seed) in cases {
        let out = format!("case-{scenario}-{seed}");
        let o = supportsim(
            &[
                "generate",
                "--scenario",
                scenario,
                "--seed",
                seed,
                "--out",
                &out,
                "--quiet",
            ],
            tmp.path(),
        );
        assert!(o.status.success(), "{}", stderr(&o));
        // The quiz's questions go to the candidate too.
        let o = supportsim(&["quiz", "--case", &out, "--count", "20"], tmp.path());
        assert!(o.status.success(), "{}", stderr(&o));
        let case = tmp.path().join(&out);
        let key: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(case.join("interviewer/answer_key.json")).expect("key"))
                .expect("json");
        let issues = key["issues"].as_array().expect("issues");
        assert_eq!(issues.len(), 2, "{scenario} plants two issues");
        let mut forbidden: Vec<String> = [
            "hidden",
            "answer key",
            "answer_key",
            "interviewer",
            "regression",
            "knowledge gap",
            "staffing cut",
            "new-hire",
            "new hire",
            "quality slide",
            "creep",
            "outage",
            "channel shift",
            "skewed",
            "censor",
            "simpson",
            "non-response",
            "small sample",
            "small-sample",
            "trap",
            "issues.pool",
            "start_day_range",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for issue in issues {
            let kind = issue["kind"].as_str().expect("kind").to_string();
            kinds_seen.insert(kind.clone());
            forbidden.push(kind.replace('_', " "));
            forbidden.push(kind);
            forbidden.push(issue["mechanism"].as_str().expect("mechanism").to_lowercase());
        }
        let files = files_under(&case.join("candidate"));
        assert_eq!(
            files.len(),
            15,
            "brief, dictionary, quiz questions and 6 tables in 2 formats: {files:?}"
        );
        for f in files {
            let text = readable_text(&f).to_lowercase();
            for word in &forbidden {
                assert!(!text.contains(word.as_str()), "{} mentions \"{word}\"", f.display());
            }
        }
    }
    assert!(
        kinds_seen.len() >= 3,
        "four seeds should plant several kinds: {kinds_seen:?}"
    );
}

#[test]
fn a_batch_of_seeds_writes_one_case_per_seed() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let o = supportsim(
        &[
            "generate", "--seeds", "3..5", "--out", "batch", "--format", "parquet", "--quiet",
        ],
        tmp.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let mut cases: Vec<_> = std::fs::read_dir(tmp.path().join("batch"))
        .expect("ls")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name())
        .collect();
    cases.sort();
    assert_eq!(
        cases,
        ["case-saas-3", "case-saas-4", "case-saas-5"]
            .map(std::ffi::OsString::from)
            .to_vec()
    );
    let key = |s: &str| {
        std::fs::read(
            tmp.path()
                .join(format!("batch/case-saas-{s}/interviewer/answer_key.json")),
        )
        .expect("key")
    };
    assert_ne!(key("3"), key("4"), "different seeds, different stories");
    // Existing cases are not overwritten without --force; bad specs are usage errors.
    let o = supportsim(&["generate", "--seeds", "5..6", "--out", "batch"], tmp.path());
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        !tmp.path().join("batch/case-saas-6").exists(),
        "nothing written when one target is not empty"
    );
    for bad in ["5..3", "1,x", "2,2"] {
        let o = supportsim(&["generate", "--seeds", bad, "--out", "other"], tmp.path());
        assert_eq!(o.status.code(), Some(2), "{bad}: {}", stderr(&o));
        assert!(stderr(&o).contains("--seeds"), "{}", stderr(&o));
    }
}

/// Pins the content of one small case, so that a change of outputs (a dependency upgrade, a changed
/// derivation of random numbers, a new rounding) is noticed rather than shipped. When a change of
/// outputs is deliberate, update the pin in the same commit and say why.
#[test]
fn a_small_case_keeps_its_checksum() {
    let text = common::built_in_text("saas")
        .replace("count = 20000", "count = 3000")
        .replace("history_days = 119", "history_days = 28")
        .replace("warmup_days = 14", "warmup_days = 7")
        .replace("start_day_range = [30, 75]", "start_day_range = [10, 20]");
    let tmp = tempfile::tempdir().expect("tempdir");
    std::fs::write(tmp.path().join("small.toml"), text).expect("write");
    let o = supportsim(
        &[
            "generate",
            "--scenario",
            "small.toml",
            "--seed",
            "11",
            "--out",
            "case",
            "--format",
            "csv",
            "--quiet",
        ],
        tmp.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let case = tmp.path().join("case");
    let mut listing = String::new();
    for f in files_under(&case) {
        let name = f.strip_prefix(&case).expect("inside").display().to_string();
        // case.toml records the scenario file's path, which differs between runs.
        if name.ends_with(".csv") || name.ends_with(".json") || name.ends_with(".md") {
            listing.push_str(&format!("{name} {}\n", sha256_file(&f).expect("hash")));
        }
    }
    let digest = {
        let path = tmp.path().join("listing.txt");
        std::fs::write(&path, &listing).expect("write");
        sha256_file(&path).expect("hash")
    };
    assert_eq!(digest, PINNED_SMALL_CASE, "the small case's files changed:\n{listing}");
}

const PINNED_SMALL_CASE: &str = "2e2d9e0a0bc6141ac5acc254999be1797ef6fc9f59756564cf693c252145b67e";
