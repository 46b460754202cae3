//! `chart` and `report` end to end on a generated case and a real score: every chart in both
//! formats, byte-identical runs, files kept without --force, bad score files named, a report that
//! fetches nothing and shows no hidden issue (the interviewer's, with the answer key, does), and (where Chromium is installed, always in CI) the
//! report opened in a real browser with every network request caught, printed to A4.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::common::run_in;

const CASE_CHARTS: [&str; 9] = [
    "volume_by_channel",
    "csat_by_week",
    "nps_by_month",
    "first_reply_by_channel",
    "resolution_by_week",
    "demand_vs_staffing",
    "escalation_reopen_by_category",
    "churn_by_experience",
    "csat_by_agent",
];
const SCORE_CHARTS: [&str; 3] = ["kpi_differences", "horizon_status_quo_vs_proposal", "success_metrics"];

fn ok(o: &std::process::Output) -> String {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn read(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Whether `text` refers to anything outside itself: a URL other than the SVG namespace, a script,
/// or an external stylesheet, image or font.
fn fetches(text: &str) -> Option<String> {
    let cleaned = text
        .replace("http://www.w3.org/2000/svg", "")
        .replace("http://www.w3.org/1999/xlink", "");
    [
        "http:",
        "https:",
        "<script",
        "<link",
        "<img",
        "<iframe",
        "url(http",
        "src=\"http",
        "//cdn",
    ]
    .into_iter()
    .find(|t| cleaned.contains(t))
    .map(str::to_string)
}

/// A generated saas case in `dir/case`, scored with the README's worked proposal (3 replications)
/// into `dir/score.json`.
fn scored_case(dir: &Path) -> PathBuf {
    let case = dir.join("case");
    ok(&run_in(
        dir,
        &["generate", "-q", "--seed", "1", "--format", "parquet", "--out", "case"],
    ));
    let proposal = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/worked-proposal.toml");
    let p = proposal.to_str().expect("path");
    let json = ok(&run_in(
        dir,
        &[
            "score",
            "-q",
            "--case",
            "case",
            "--proposal",
            p,
            "--replications",
            "3",
            "--json",
        ],
    ));
    std::fs::write(dir.join("score.json"), json).expect("write score");
    case
}

#[test]
fn charts_and_the_report_draw_a_case_and_a_score_offline_and_the_same_every_time() {
    let tmp = tempfile::tempdir().expect("tmp");
    let case = scored_case(tmp.path());
    let charts = case.join("charts");

    // Every chart in both formats, each SVG with its title, axis titles and the font inline.
    let out = ok(&run_in(
        tmp.path(),
        &["chart", "--case", "case", "--score", "score.json", "--format", "both"],
    ));
    assert!(out.contains("12 charts (24 files)"), "{out}");
    for name in CASE_CHARTS.iter().chain(&SCORE_CHARTS) {
        let svg = String::from_utf8(read(&charts.join(format!("{name}.svg")))).expect("utf-8");
        assert!(
            svg.starts_with("<svg") && svg.contains("viewBox=\"0 0 960 540\""),
            "{name}"
        );
        assert!(
            svg.contains("@font-face{font-family:'supportsim-sans';src:url(data:font/ttf;base64,"),
            "{name}"
        );
        assert!(
            svg.contains("font-family=\"supportsim-sans\"") && !svg.contains("font-family=\"sans-serif\""),
            "{name}: every text in the bundled font"
        );
        assert_eq!(fetches(&svg), None, "{name}");
        assert!(
            svg.matches("<text").count() >= 10,
            "{name}: title, axis titles and ticks"
        );
        let png = read(&charts.join(format!("{name}.png")));
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "{name}");
        let (w, h) = (
            u32::from_be_bytes(png[16..20].try_into().expect("4")),
            u32::from_be_bytes(png[20..24].try_into().expect("4")),
        );
        assert_eq!((w, h), (1920, 1080), "{name}: twice the SVG's size");
    }
    let title = |name: &str| String::from_utf8(read(&charts.join(format!("{name}.svg")))).expect("utf-8");
    assert!(title("csat_by_week").contains("CSAT by week and channel, with 95% intervals"));
    assert!(
        title("csat_by_week").contains("Hollow points: fewer than 30 responses"),
        "small groups are marked"
    );
    assert!(title("first_reply_by_channel").contains("(log scale)"));
    assert!(title("kpi_differences").contains("first_reply_p90"));

    // Byte-identical on a second run; kept without --force.
    let before: Vec<Vec<u8>> = CASE_CHARTS
        .iter()
        .map(|n| read(&charts.join(format!("{n}.png"))))
        .collect();
    let first_svg = read(&charts.join("nps_by_month.svg"));
    let o = run_in(tmp.path(), &["chart", "--case", "case", "--format", "both"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("exists; use --force") && err.lines().count() == 1, "{err}");
    ok(&run_in(
        tmp.path(),
        &[
            "chart",
            "--case",
            "case",
            "--score",
            "score.json",
            "--format",
            "both",
            "--force",
        ],
    ));
    let after: Vec<Vec<u8>> = CASE_CHARTS
        .iter()
        .map(|n| read(&charts.join(format!("{n}.png"))))
        .collect();
    assert!(before == after, "PNG charts differ between runs");
    assert_eq!(read(&charts.join("nps_by_month.svg")), first_svg);

    // A bad score file: one line naming the file and the field, exit 2.
    std::fs::write(tmp.path().join("bad.json"), "{\"kpis\": {}}").expect("write");
    let o = run_in(
        tmp.path(),
        &["chart", "--case", "case", "--score", "bad.json", "--force"],
    );
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("bad.json") && err.contains("metrics") && err.lines().count() == 1,
        "{err}"
    );
    std::fs::write(tmp.path().join("text.json"), "not json").expect("write");
    let o = run_in(tmp.path(), &["report", "--case", "case", "--score", "text.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("text.json: not JSON"));

    // The candidate's report: the brief, headline KPIs, nine charts, nothing fetched, no hidden issue.
    ok(&run_in(
        tmp.path(),
        &["report", "--case", "case", "--out", "candidate.html"],
    ));
    let html = String::from_utf8(read(&tmp.path().join("candidate.html"))).expect("utf-8");
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("@font-face"));
    assert_eq!(fetches(&html), None);
    assert_eq!(html.matches("<svg").count(), 9);
    assert_eq!(
        html.matches("<figcaption>").count(),
        9,
        "a sentence on how to read each chart"
    );
    assert!(html.contains("The situation") && html.contains("Headline KPIs"));
    let key: serde_json::Value = serde_json::from_slice(&read(&case.join("interviewer/answer_key.json"))).expect("key");
    for issue in key["issues"].as_array().expect("issues") {
        let kind = issue["kind"].as_str().expect("kind");
        assert!(!html.contains(kind), "the candidate's report names hidden issue {kind}");
    }
    assert!(!html.contains("Debrief") && !html.contains("reference plan"));

    // The interviewer's report adds the answer key, and goes to the interviewer folder.
    ok(&run_in(tmp.path(), &["report", "--case", "case", "--answer-key"]));
    let keyed = String::from_utf8(read(&case.join("interviewer/report.html"))).expect("utf-8");
    assert_eq!(fetches(&keyed), None);
    assert!(keyed.contains("The answer key (for the interviewer only)"));
    for issue in key["issues"].as_array().expect("issues") {
        assert!(keyed.contains(issue["kind"].as_str().expect("kind")), "{issue}");
    }

    // With the score: the grade, its parts, the KPI table, the debrief and twelve charts.
    ok(&run_in(
        tmp.path(),
        &["report", "--case", "case", "--score", "score.json"],
    ));
    let scored = String::from_utf8(read(&case.join("report.html"))).expect("utf-8");
    assert_eq!(fetches(&scored), None);
    assert_eq!(scored.matches("<svg").count(), 12);
    for part in [
        "outcome",
        "robustness",
        "root causes",
        "findings",
        "success metrics",
        "cost",
        "Debrief",
    ] {
        assert!(scored.contains(part), "{part}");
    }
    assert!(scored.contains("<h3>Debrief</h3><pre class=debrief>hidden issues, and what the plan did:"));
    let o = run_in(tmp.path(), &["report", "--case", "case", "--score", "score.json"]);
    assert_eq!(o.status.code(), Some(2), "the report is kept without --force");

    in_a_browser(&case.join("report.html"), tmp.path());
}

/// Opens `report` in headless Chromium with a proxy that counts every connection it is asked for,
/// takes a screenshot and prints it to A4. Skipped only where Chromium is absent and
/// SUPPORTSIM_REQUIRE_BROWSER is unset (CI installs Chromium and sets it).
fn in_a_browser(report: &Path, tmp: &Path) {
    let chromium = std::env::var("SUPPORTSIM_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if !Path::new(&chromium).exists() {
        assert!(
            std::env::var_os("SUPPORTSIM_REQUIRE_BROWSER").is_none(),
            "SUPPORTSIM_REQUIRE_BROWSER is set but {chromium} is missing"
        );
        eprintln!("skipping the browser check: no {chromium}");
        return;
    }
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("listen");
    let port = listener.local_addr().expect("addr").port();
    listener.set_nonblocking(true).expect("nonblocking");
    let browse = |extra: &[String]| {
        let mut args: Vec<String> = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ]
        .map(String::from)
        .to_vec();
        args.push(format!("--user-data-dir={}", tmp.join("chromium").display()));
        args.push(format!("--proxy-server=http://127.0.0.1:{port}"));
        args.push("--proxy-bypass-list=<-loopback>".into());
        args.extend_from_slice(extra);
        args.push(format!("file://{}", report.display()));
        // Two minutes at most: a browser that hangs fails the test instead of the CI run.
        let o = std::process::Command::new("timeout")
            .arg("120")
            .arg(&chromium)
            .args(&args)
            .output()
            .expect("chromium");
        assert!(
            o.status.success(),
            "chromium: {:?} {}",
            o.status,
            String::from_utf8_lossy(&o.stderr)
        );
    };
    let shot = tmp.join("report.png");
    let pdf = tmp.join("report.pdf");
    browse(&[
        "--window-size=1280,900".into(),
        format!("--screenshot={}", shot.display()),
    ]);
    browse(&[
        "--no-pdf-header-footer".into(),
        format!("--print-to-pdf={}", pdf.display()),
    ]);
    let mut asked = Vec::new();
    while let Ok((mut s, _)) = listener.accept() {
        let mut buf = [0u8; 256];
        let n = s.read(&mut buf).unwrap_or(0);
        asked.push(
            String::from_utf8_lossy(&buf[..n])
                .lines()
                .next()
                .unwrap_or_default()
                .to_string(),
        );
    }
    // Chromium asks Google's hosts for the time and sign-in on its own, whatever the page; anything
    // else was asked for by the report.
    let own = ["google.com", "googleapis.com", "gvt1.com", "gstatic.com"];
    asked.retain(|line| {
        let target = line.split_whitespace().nth(1).unwrap_or_default();
        let host = target
            .trim_start_matches("http://")
            .split(['/', ':'])
            .next()
            .unwrap_or_default();
        !own.iter().any(|o| host == *o || host.ends_with(&format!(".{o}")))
    });
    assert!(asked.is_empty(), "the report asked the network for {asked:?}");
    assert!(read(&shot).len() > 20_000, "a screenshot with content");
    let pdf = read(&pdf);
    let text = String::from_utf8_lossy(&pdf);
    // Chromium writes one /MediaBox per page: every one A4 (595 x 842 points), as the CSS asks.
    let pages = text.matches("/MediaBox").count();
    let a4 =
        text.matches("/MediaBox [0 0 594.95996 841.91998]").count() + text.matches("/MediaBox [0 0 595 842]").count();
    assert_eq!(a4, pages, "A4 pages");
    assert!((3..=20).contains(&pages), "{pages} pages");
}
