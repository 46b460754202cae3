//! The metrics drill: a quiz covers every KPI family and plants every trap, varies with case and
//! seed, keeps its answers out of the candidate's questions, and `check` names the slip each
//! mistaken value matches; bad answer files and broken cases get one line and exit 2.

use std::collections::BTreeSet;
use std::path::Path;

use supportsim::kpi::mistakes::Mistake;
use supportsim::quiz::{self, FAMILIES, Question, Quiz, Verdict, format_number, grade};

use crate::common;

/// The traps design.md's quiz must plant.
const TRAPS: [Mistake; 7] = [
    Mistake::MeanForPercentile,
    Mistake::UnansweredCounted,
    Mistake::OpenTicketsIncluded,
    Mistake::NpsAsAverage,
    Mistake::CsatCountsThree,
    Mistake::AbandonmentAllChannels,
    Mistake::SundayWeek,
];

fn saas_case(seed: u64) -> supportsim::kpi::Case {
    let loaded = common::built_in("saas");
    let sim = common::simulate(&loaded, seed);
    common::case_of(&sim, &loaded.config)
}

fn asked(quiz: &Quiz) -> BTreeSet<(String, Option<String>, Option<String>)> {
    quiz.questions
        .iter()
        .map(|q| (q.kpi.clone(), q.period.clone(), q.filter.clone()))
        .collect()
}

/// `x` rounded as the question asks answers to be written.
fn rounded(q: &Question, x: f64) -> f64 {
    format_number(x, q.decimals).parse().expect("number")
}

#[test]
fn a_quiz_covers_every_family_plants_every_trap_and_varies_with_case_and_seed() {
    let case = saas_case(3);
    let quiz = quiz::make(&case, "Acme", "saas", 3, 1, 12);
    assert_eq!(quiz.questions.len(), 12);
    let families: BTreeSet<&str> = quiz.questions.iter().map(|q| q.family.as_str()).collect();
    assert_eq!(families, FAMILIES.into_iter().collect(), "every family");
    for trap in TRAPS {
        let q = quiz
            .questions
            .iter()
            .find(|q| q.trap.as_deref() == Some(trap.name()))
            .unwrap_or_else(|| panic!("no question plants {}", trap.name()));
        // The trap changes the answer: it is the first slip the question tells apart.
        assert_eq!(q.mistakes[0].mistake, trap.name(), "{}", q.question);
    }
    assert!(quiz.questions.iter().any(|q| q.period.is_some() && q.filter.is_some()));
    assert!(
        quiz.questions
            .iter()
            .any(|q| q.period.as_deref().is_some_and(|p| p.contains("-W")))
    );
    let ids: Vec<&str> = quiz.questions.iter().map(|q| q.id.as_str()).collect();
    assert_eq!(ids, (1..=12).map(|i| format!("q{i}")).collect::<Vec<_>>());
    // The same case and seed give the same quiz; another seed or another case another one.
    assert_eq!(quiz, quiz::make(&case, "Acme", "saas", 3, 1, 12));
    assert_ne!(asked(&quiz), asked(&quiz::make(&case, "Acme", "saas", 3, 2, 12)));
    let other = saas_case(4);
    assert_ne!(asked(&quiz), asked(&quiz::make(&other, "Acme", "saas", 4, 1, 12)));
    // Longer and shorter quizzes: as many distinct questions as asked.
    let long = quiz::make(&case, "Acme", "saas", 3, 1, 30);
    assert_eq!(asked(&long).len(), 30);
    assert_eq!(quiz::make(&case, "Acme", "saas", 3, 1, 5).questions.len(), 5);
}

#[test]
fn every_answer_is_the_engines_and_every_slip_is_diagnosed() {
    let case = saas_case(3);
    let quiz = quiz::make(&case, "Acme", "saas", 3, 5, 30);
    let mut diagnosed = BTreeSet::new();
    for q in &quiz.questions {
        let now = quiz::recompute(&case, q).expect("recompute");
        assert_eq!(now.value.value, Some(q.value), "{}", q.id);
        assert_eq!(grade(q, Some(rounded(q, q.value))), Verdict::Right, "{}", q.question);
        assert_eq!(grade(q, None), Verdict::Unanswered);
        for m in &q.mistakes {
            let slip = Mistake::from_name(&m.mistake).expect("known mistake");
            assert_eq!(
                grade(q, Some(rounded(q, m.value))),
                Verdict::Wrong(Some(slip)),
                "{}: {} gives {}, expected {}",
                q.question,
                m.mistake,
                m.value,
                q.value
            );
            diagnosed.insert(m.mistake.clone());
        }
        // A value far from the answer and from every slip is wrong with no diagnosis.
        let far = q.value.abs() * 7.0 + 1e4;
        assert_eq!(grade(q, Some(far)), Verdict::Wrong(None), "{}", q.question);
    }
    for trap in TRAPS {
        assert!(diagnosed.contains(trap.name()), "{} never diagnosed", trap.name());
    }
}

#[test]
fn the_candidates_questions_give_no_answer_away() {
    let case = saas_case(3);
    let quiz = quiz::make(&case, "Acme", "saas", 3, 1, 20);
    let md = quiz::render::questions_md(&quiz);
    for q in &quiz.questions {
        assert!(md.contains(&q.question) && md.contains(&q.answer_in), "{}", q.id);
        let answer = format_number(q.value, q.decimals);
        if answer.len() >= 4 {
            assert!(!md.contains(&answer), "{} gives away {answer}", q.id);
        }
        for m in &q.mistakes {
            assert!(!md.contains(&m.diagnosis), "{} names its slip", q.id);
        }
    }
    for word in ["trap", "slip", "mistake", "diagnos"] {
        assert!(!md.to_lowercase().contains(word), "questions.md says {word}");
    }
    // The interviewer's answers hold every value and computation.
    let answers = quiz::render::answers_md(&quiz);
    for q in &quiz.questions {
        assert!(answers.contains(&format!("**Answer: {}**", format_number(q.value, q.decimals))));
        assert!(answers.contains(q.computation.lines().next().expect("command")));
    }
}

fn run(dir: &Path, args: &[&str]) -> std::process::Output {
    common::run_in(dir, args)
}

/// Asserts a run failed with exit 2 and one line of error containing `needle`.
fn refused(o: &std::process::Output, needle: &str) {
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{needle}: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    assert!(err.contains(needle), "wanted \"{needle}\" in: {err}");
}

#[test]
fn quiz_and_check_end_to_end() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    let o = run(dir, &["generate", "--seed", "7", "--out", "case", "--quiet"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    refused(
        &run(dir, &["check", "--case", "case", "--answers", "a.toml"]),
        "quiz_answers.json: is missing",
    );
    let o = run(dir, &["quiz", "--case", "case/candidate"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(dir.join("case/candidate/questions.md").is_file());
    assert!(dir.join("case/interviewer/quiz_answers.md").is_file());
    // An existing quiz is kept unless --force.
    refused(&run(dir, &["quiz", "--case", "case", "--seed", "2"]), "--force");
    refused(&run(dir, &["quiz", "--case", "case", "--count", "0"]), "--count");
    let o = run(dir, &["quiz", "--case", "case", "--seed", "2", "--force"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let quiz: Quiz =
        serde_json::from_str(&std::fs::read_to_string(dir.join("case/interviewer/quiz_answers.json")).expect("quiz"))
            .expect("quiz json");
    assert_eq!(quiz.quiz_seed, 2);

    // Right answers (TOML), one left out.
    let toml: String = quiz.questions[1..]
        .iter()
        .map(|q| format!("{} = {}\n", q.id, format_number(q.value, q.decimals)))
        .collect();
    std::fs::write(dir.join("a.toml"), format!("[answers]\n{toml}")).expect("write");
    let o = run(dir, &["check", "--case", "case", "--answers", "a.toml"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success() && out.contains("11 of 12 right, 0 wrong, 1 not answered"),
        "{out}"
    );

    // A trap's slip (CSV), diagnosed in JSON.
    let q = quiz.questions.iter().find(|q| q.trap.is_some()).expect("a trap");
    let slip = &q.mistakes[0];
    std::fs::write(
        dir.join("a.csv"),
        format!("id,value\n{},{}\n", q.id, format_number(slip.value, q.decimals)),
    )
    .expect("write");
    let o = run(dir, &["check", "--case", "case", "--answers", "a.csv", "--json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("one JSON object");
    let r = v["results"]
        .as_array()
        .expect("results")
        .iter()
        .find(|r| r["id"] == q.id.as_str())
        .expect("graded");
    assert_eq!(r["verdict"], "wrong");
    assert_eq!(r["mistake"]["name"], slip.mistake.as_str());
    assert_eq!((v["wrong"].as_u64(), v["unanswered"].as_u64()), (Some(1), Some(11)));

    // Bad answer files: one line, exit 2.
    let bad: [(&str, &[u8], &str); 5] = [
        ("unknown.toml", b"[answers]\nq99 = 1\n", "unknown question id \"q99\""),
        (
            "text.toml",
            b"[answers]\nq1 = \"about 5\"\n",
            "answers.q1: not a number",
        ),
        ("twice.csv", b"id,value\nq1,1\nq1,2\n", "answered twice"),
        ("cut.toml", b"[answers]\nq1 = 0.5\nq2 =", "not valid TOML"),
        ("latin1.csv", b"id,value\nq1,0.5 \xe9\n", "is not UTF-8"),
    ];
    for (name, bytes, needle) in bad {
        std::fs::write(dir.join(name), bytes).expect("write");
        refused(&run(dir, &["check", "--case", "case", "--answers", name]), needle);
    }
    refused(
        &run(dir, &["check", "--case", "case", "--answers", "none.toml"]),
        "none.toml: cannot read",
    );

    // A quiz whose period names nothing in the data, or whose answer the tables no longer give.
    let path = dir.join("case/interviewer/quiz_answers.json");
    let original = std::fs::read_to_string(&path).expect("quiz");
    for (edit, needle) in [
        (r#""period": "2031-01","#, "no day of it lies in the history"),
        (r#""where": "channel=fax","#, "no channel is \"fax\""),
    ] {
        let mut v: serde_json::Value = serde_json::from_str(&original).expect("json");
        let (key, value) = edit.trim_end_matches(',').split_once(": ").expect("edit");
        v["questions"][0][key.trim_matches('"')] = serde_json::from_str(value).expect("value");
        std::fs::write(&path, v.to_string()).expect("write");
        refused(&run(dir, &["check", "--case", "case", "--answers", "a.toml"]), needle);
    }
    let mut v: serde_json::Value = serde_json::from_str(&original).expect("json");
    v["questions"][0]["value"] = serde_json::json!(-1.5);
    std::fs::write(&path, v.to_string()).expect("write");
    refused(
        &run(dir, &["check", "--case", "case", "--answers", "a.toml"]),
        "tables changed",
    );
    std::fs::write(&path, &original[..original.len() / 2]).expect("write");
    refused(
        &run(dir, &["check", "--case", "case", "--answers", "a.toml"]),
        "is not a quiz",
    );
    std::fs::write(&path, &original).expect("write");

    // A corrupted table is named.
    std::fs::write(dir.join("case/candidate/data/tickets.parquet"), b"not parquet").expect("write");
    refused(
        &run(dir, &["check", "--case", "case", "--answers", "a.toml"]),
        "tickets.parquet",
    );
    refused(&run(dir, &["quiz", "--case", "case", "--force"]), "tickets.parquet");
}
