//! The metrics drill: questions about one case's data whose answers the metrics engine knows, with
//! traps where the usual slips (mean for median, a CSAT of 3 as satisfied, open tickets in
//! resolution time, ...) change the answer, and grading that names the slip a wrong answer matches.
//!
//! A question is a KPI over a selection (a period and filters, as `supportsim metrics` takes them),
//! so every answer is the engine's value and the computation a candidate can rerun. Which questions
//! a quiz asks and about which months, channels or segments comes from the case's seed and the
//! quiz's seed. Pure: no files here (the commands read and write them).

pub mod answers;
mod draft;
pub mod render;

use serde::{Deserialize, Serialize};

use crate::kpi::mistakes::Mistake;
use crate::kpi::{Case, Kpi, KpiValue, Selection, Unit};

pub use draft::{DEFAULT_COUNT, FAMILIES, MAX_COUNT, make, recompute};

/// A quiz: the questions and what they were made from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quiz {
    pub company: String,
    pub scenario: String,
    /// The case's seed.
    pub case_seed: u64,
    /// The quiz's own seed (`quiz --seed`).
    pub quiz_seed: u64,
    pub supportsim_version: String,
    pub questions: Vec<Question>,
}

/// One question: the KPI and selection it asks about, how to answer, the answer, and the slips
/// it can diagnose.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub id: String,
    /// The KPI family it drills (volume, csat, nps, ...).
    pub family: String,
    pub question: String,
    pub kpi: String,
    /// As `metrics --period` takes it; None = the whole history.
    pub period: Option<String>,
    /// As `metrics --where` takes it.
    #[serde(rename = "where")]
    pub filter: Option<String>,
    /// The unit and rounding the answer is written in.
    pub answer_in: String,
    pub decimals: u32,
    /// An answer within this of the value is right.
    pub tolerance: f64,
    pub value: f64,
    /// The observations the value rests on (what `n` counts for the KPI).
    pub n: u64,
    /// The mistake the question was chosen to catch.
    pub trap: Option<String>,
    /// The command that gives the answer, and the arithmetic.
    pub computation: String,
    pub explanation: String,
    /// What each slip that applies gives, traps first.
    pub mistakes: Vec<SlipValue>,
}

/// The value one mistake gives for a question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlipValue {
    pub mistake: String,
    pub value: f64,
    pub diagnosis: String,
}

/// How an answer is written: its decimals and the tolerance it is graded with.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rounding {
    pub decimals: u32,
    pub tolerance: f64,
}

/// The rounding a question about `kpi` asks for, given its value and the days it spans.
pub fn rounding(kpi: Kpi, value: f64, days: i32) -> Rounding {
    let r = |decimals, tolerance| Rounding { decimals, tolerance };
    match kpi.unit() {
        Unit::Share if kpi == Kpi::ChurnRate => r(4, 0.0003),
        Unit::Share => r(3, 0.0015),
        Unit::Minutes => r(1, (10.0 * (0.005 * value.abs()).max(0.2)).ceil() / 10.0),
        Unit::Points => r(1, 0.5),
        Unit::Count if kpi == Kpi::Backlog && days > 1 => r(1, 0.5),
        Unit::Count => r(0, 0.0),
        Unit::PerCustomerMonth => r(3, (1000.0 * (0.01 * value.abs()).max(0.002)).ceil() / 1000.0),
        Unit::Usd => r(0, 1.0),
    }
}

/// How to write an answer in `kpi`'s unit.
pub fn answer_in(kpi: Kpi, rounding: Rounding) -> String {
    let within = format_number(rounding.tolerance, rounding.decimals + 1);
    let accepted = if rounding.tolerance > 0.0 {
        format!("; accepted within ±{within}")
    } else {
        "; exact".to_string()
    };
    let how = match kpi.unit() {
        Unit::Share => format!("a fraction between 0 and 1, to {} decimals", rounding.decimals),
        Unit::Minutes => "minutes, to 1 decimal".to_string(),
        Unit::Points => "NPS points (-100 to 100), to 1 decimal".to_string(),
        Unit::Count if rounding.decimals > 0 => "tickets, to 1 decimal".to_string(),
        Unit::Count => "a whole number".to_string(),
        Unit::PerCustomerMonth => "tickets per customer-month, to 3 decimals".to_string(),
        Unit::Usd => "US dollars, to the dollar".to_string(),
    };
    how + &accepted
}

/// `x` with `decimals` decimals, trailing zeros dropped (but at least one digit).
pub fn format_number(x: f64, decimals: u32) -> String {
    let s = format!("{x:.*}", decimals as usize);
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// What a question's answer is, by the engine: the value, its rounding, and what each slip gives.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub value: KpiValue,
    pub rounding: Rounding,
    /// (mistake, the value it gives): the trap first, then every other slip whose value is told
    /// apart from the answer and from the slips before it.
    pub mistakes: Vec<(Mistake, f64)>,
}

/// The answer to `kpi` over `selection` on `case`, None when the engine has no value for it.
pub fn answer(case: &Case, kpi: Kpi, selection: &Selection, trap: Option<Mistake>) -> Option<Answer> {
    let value = case.value(kpi, selection).ok()?;
    let v = value.value?;
    let days = case.window(selection).map_or(0, |(a, b)| b - a + 1);
    let rounding = rounding(kpi, v, days);
    // Two values are told apart when no answer is within the slack of both.
    let apart = 2.0 * slack(rounding);
    let mut mistakes: Vec<(Mistake, f64)> = Vec::new();
    for m in trap
        .into_iter()
        .chain(Mistake::ALL.into_iter().filter(|&m| Some(m) != trap))
    {
        let Some(x) = m.value(case, kpi, selection) else {
            continue;
        };
        if (x - v).abs() > apart && mistakes.iter().all(|(_, y)| (x - y).abs() > apart) {
            mistakes.push((m, x));
        }
    }
    Some(Answer {
        value,
        rounding,
        mistakes,
    })
}

/// How far from a slip's value an answer may be and still match it: the tolerance, or half the last
/// decimal asked for when that is wider (a slip's value rounded as asked still matches).
pub fn slack(r: Rounding) -> f64 {
    r.tolerance.max(0.5 * 10f64.powi(-(r.decimals as i32)))
}

/// The selection a question names, read as `metrics` reads `--period` and `--where`.
pub fn selection_of(q: &Question) -> Result<Selection, String> {
    Selection::parse(q.period.as_deref(), q.filter.as_deref()).map_err(|e| e.0)
}

/// The grade of one answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    Right,
    /// Wrong, with the slip it matches when it matches one.
    Wrong(Option<Mistake>),
    Unanswered,
}

/// Grades `given` against question `q`: right within the tolerance (plus a hair for binary
/// floating point), else wrong with the slip whose value is nearest within its slack.
pub fn grade(q: &Question, given: Option<f64>) -> Verdict {
    let Some(x) = given else {
        return Verdict::Unanswered;
    };
    let within = |target: f64, by: f64| (x - target).abs() <= by + 1e-9 * target.abs().max(1.0);
    if within(q.value, q.tolerance) {
        return Verdict::Right;
    }
    let by = slack(Rounding {
        decimals: q.decimals,
        tolerance: q.tolerance,
    });
    let slip = q
        .mistakes
        .iter()
        .filter(|m| within(m.value, by))
        .min_by(|a, b| (a.value - x).abs().total_cmp(&(b.value - x).abs()))
        .and_then(|m| Mistake::from_name(&m.mistake));
    Verdict::Wrong(slip)
}
