//! The quiz as people read it: `questions.md` for the candidate (questions, units, rounding, how to
//! answer; nothing of the answers), `quiz_answers.md` for the interviewer (answers, computations,
//! slips), and `check`'s grading as a table or one JSON object.

use serde_json::{Value, json};

use super::{Question, Quiz, Verdict, format_number};
use crate::kpi::mistakes::Mistake;

/// The candidate's questions.
pub fn questions_md(quiz: &Quiz) -> String {
    let mut s = format!(
        "# Metrics drill: {}\n\n\
         {} questions on this case's data (the tables in `data/`). `data_dictionary.md` defines every KPI. \
         Each question says the unit to answer in, how to round, and how close an answer must be to count.\n\n\
         Write your answers in a TOML file:\n\n\
         ```toml\n[answers]\nq1 = 0.5\nq2 = 120\n```\n\n\
         or in a CSV file with the header `id,value`, leave out the questions you skip, and grade them with\n\n\
         ```\nsupportsim check --case <case folder> --answers answers.toml\n```\n",
        quiz.company,
        quiz.questions.len()
    );
    for q in &quiz.questions {
        s += &format!("\n## {}\n\n{}\n\nAnswer: {}.\n", q.id, q.question, q.answer_in);
    }
    s
}

/// The interviewer's answers: value, computation, explanation and the slips each question tells
/// apart.
pub fn answers_md(quiz: &Quiz) -> String {
    let mut s = format!(
        "# Metrics drill: answers ({}, scenario {}, case seed {}, quiz seed {})\n\n\
         Every value is the metrics engine's (`supportsim metrics`); `supportsim check` grades against \
         the same values and names the slip a wrong answer matches.\n",
        quiz.company, quiz.scenario, quiz.case_seed, quiz.quiz_seed
    );
    for q in &quiz.questions {
        s += &format!(
            "\n## {}: {}\n\n{}\n\n**Answer: {}** (n = {}; {}).\n\nComputation:\n\n```\n{}\n```\n\n{}\n",
            q.id,
            q.family,
            q.question,
            format_number(q.value, q.decimals),
            q.n,
            q.answer_in,
            q.computation,
            q.explanation
        );
        if let Some(trap) = &q.trap {
            s += &format!("\nTrap: `{trap}`.\n");
        }
        if !q.mistakes.is_empty() {
            s += "\n| slip | gives | diagnosis |\n|---|---|---|\n";
            for m in &q.mistakes {
                s += &format!(
                    "| {} | {} | {} |\n",
                    m.mistake,
                    format_number(m.value, q.decimals + 1),
                    m.diagnosis
                );
            }
        }
    }
    s
}

/// One graded question.
#[derive(Debug, Clone, PartialEq)]
pub struct Graded<'a> {
    pub question: &'a Question,
    pub answer: Option<f64>,
    pub verdict: Verdict,
}

impl Graded<'_> {
    fn verdict_name(&self) -> &'static str {
        match self.verdict {
            Verdict::Right => "right",
            Verdict::Wrong(_) => "wrong",
            Verdict::Unanswered => "unanswered",
        }
    }

    fn slip(&self) -> Option<Mistake> {
        match self.verdict {
            Verdict::Wrong(m) => m,
            _ => None,
        }
    }
}

/// Counts of right, wrong and unanswered.
fn tally(graded: &[Graded]) -> (usize, usize, usize) {
    let count = |f: &dyn Fn(&Verdict) -> bool| graded.iter().filter(|g| f(&g.verdict)).count();
    (
        count(&|v| *v == Verdict::Right),
        count(&|v| matches!(v, Verdict::Wrong(_))),
        count(&|v| *v == Verdict::Unanswered),
    )
}

/// The grading for people: one block per question, then the tally.
pub fn check_table(graded: &[Graded]) -> String {
    let mut s = String::new();
    for g in graded {
        let q = g.question;
        let within = match q.tolerance {
            t if t > 0.0 => format!("±{}", format_number(t, q.decimals + 1)),
            _ => "exact".to_string(),
        };
        let expected = format!("expected {}, {within}", format_number(q.value, q.decimals));
        let (verdict, given) = match g.answer {
            Some(x) => (
                g.verdict_name(),
                format!("{} ({expected})", format_number(x, q.decimals + 2)),
            ),
            None => ("not answered", format!("({expected})")),
        };
        s += &format!("{:<4} {verdict:<6} {given}\n     {}\n", q.id, q.question);
        if let Some(m) = g.slip() {
            s += &format!("     why: {}\n", m.diagnosis(kpi_of(q)));
        }
    }
    let (right, wrong, unanswered) = tally(graded);
    s += &format!(
        "\n{right} of {} right, {wrong} wrong, {unanswered} not answered\n",
        graded.len()
    );
    s
}

fn kpi_of(q: &Question) -> crate::kpi::Kpi {
    crate::kpi::Kpi::from_name(&q.kpi).unwrap_or(crate::kpi::Kpi::Tickets)
}

/// The grading as one JSON object.
pub fn check_json(case: Value, answers_file: &str, graded: &[Graded]) -> Value {
    let (right, wrong, unanswered) = tally(graded);
    let results: Vec<Value> = graded
        .iter()
        .map(|g| {
            let q = g.question;
            json!({
                "id": q.id,
                "question": q.question,
                "kpi": q.kpi,
                "answer": g.answer,
                "expected": q.value,
                "tolerance": q.tolerance,
                "verdict": g.verdict_name(),
                "mistake": g.slip().map(|m| json!({"name": m.name(), "diagnosis": m.diagnosis(kpi_of(q))})),
            })
        })
        .collect();
    json!({
        "case": case,
        "answers": answers_file,
        "questions": graded.len(),
        "right": right,
        "wrong": wrong,
        "unanswered": unanswered,
        "results": results,
    })
}
