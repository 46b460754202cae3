//! Drafting a quiz: which questions, about which months, weeks, channels and segments, and their
//! words. Twelve questions cover every KPI family and plant every trap; more add further questions
//! on other cuts. Choices are draws from the quiz's generator (the case's seed and the quiz's), so
//! the same case and seed give the same quiz.

use chrono::NaiveDate;
use rand::Rng;

use super::{Question, Quiz, SlipValue, answer, answer_in, format_number, selection_of};
use crate::kpi::mistakes::Mistake;
use crate::kpi::{Case, Cut, Kpi, KpiValue, Selection, Unit};
use crate::rng::{Seeds, Stream, StreamRng, mix64};

/// Questions in a quiz unless asked otherwise: one per template of [`CORE`].
pub const DEFAULT_COUNT: usize = 12;
/// The most questions a quiz asks.
pub const MAX_COUNT: usize = 40;

/// A kind of question: the KPI, the shape of its selection, and the trap it plants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Template {
    CsatByChannel,
    NpsBySegment,
    NpsResponses,
    FirstReplyMedian,
    RecentResolution,
    Abandonment,
    WeekVolume,
    SlaByChannel,
    Effort,
    BacklogOnDay,
    ChurnBySegment,
    TeamCost,
    CsatResponses,
    CsatResponseRate,
    FirstReplyP90Saturday,
    ResolutionP90ByCategory,
    ContactsBySegment,
    CategoryVolume,
    CsatByWeekday,
    EscalationByPriority,
}

/// One template per KPI family, together planting every trap.
const CORE: [Template; 12] = [
    Template::CsatByChannel,
    Template::NpsBySegment,
    Template::NpsResponses,
    Template::FirstReplyMedian,
    Template::RecentResolution,
    Template::Abandonment,
    Template::WeekVolume,
    Template::SlaByChannel,
    Template::Effort,
    Template::BacklogOnDay,
    Template::ChurnBySegment,
    Template::TeamCost,
];

/// Further questions for quizzes longer than [`CORE`].
const EXTRA: [Template; 8] = [
    Template::CsatResponses,
    Template::CsatResponseRate,
    Template::FirstReplyP90Saturday,
    Template::ResolutionP90ByCategory,
    Template::ContactsBySegment,
    Template::CategoryVolume,
    Template::CsatByWeekday,
    Template::EscalationByPriority,
];

/// The KPI family a question about `kpi` drills.
fn family(kpi: Kpi) -> &'static str {
    match kpi {
        Kpi::Tickets | Kpi::ContactsPerCustomer => "volume",
        Kpi::Csat | Kpi::CsatResponses | Kpi::CsatResponseRate => "csat",
        Kpi::Nps | Kpi::NpsResponses => "nps",
        Kpi::FirstReplyP50 | Kpi::FirstReplyP90 | Kpi::FirstReplyMean => "first_reply",
        Kpi::ResolutionP50 | Kpi::ResolutionP90 | Kpi::ResolutionMean => "resolution",
        Kpi::SlaAttainment => "sla",
        Kpi::OneTouch | Kpi::EscalationRate | Kpi::ReopenRate => "effort",
        Kpi::AbandonmentRate => "abandonment",
        Kpi::Backlog => "backlog",
        Kpi::ChurnRate => "retention",
        Kpi::CostUsd => "cost",
    }
}

/// The families a quiz of [`DEFAULT_COUNT`] questions covers.
pub const FAMILIES: [&str; 11] = [
    "volume",
    "csat",
    "nps",
    "first_reply",
    "resolution",
    "sla",
    "effort",
    "abandonment",
    "backlog",
    "retention",
    "cost",
];

/// A question before its words: the KPI, the selection as `metrics` flags, the trap.
#[derive(Debug, Clone, PartialEq)]
struct Draft {
    kpi: Kpi,
    period: Option<String>,
    filter: Option<String>,
    trap: Option<Mistake>,
}

/// Draws months, weeks, days and values of the case.
struct Picker<'a> {
    case: &'a Case,
    rng: StreamRng,
}

use crate::kpi::date_of as date;

impl Picker<'_> {
    fn pick<T: Clone>(&mut self, items: &[T]) -> Option<T> {
        (!items.is_empty()).then(|| items[self.rng.random_range(0..items.len())].clone())
    }

    /// A calendar month wholly in the history (the first month when none is whole).
    fn month(&mut self) -> Option<String> {
        let (first, last) = (self.case.first_day, self.case.last_day);
        let label = |d: i32| date(d).format("%Y-%m").to_string();
        let whole: Vec<String> = (first..=last)
            .filter(|&d| date(d).format("%d").to_string() == "01")
            .filter(|&d| {
                (d..d + 32)
                    .take_while(|&e| label(e) == label(d))
                    .last()
                    .is_some_and(|end| end <= last)
            })
            .map(label)
            .collect();
        if whole.is_empty() {
            Some(label(first))
        } else {
            self.pick(&whole)
        }
    }

    /// An ISO week (Monday to Sunday) wholly in the history, not the first one (so the Sunday
    /// before it is in the history too).
    fn week(&mut self) -> Option<String> {
        let (first, last) = (self.case.first_day, self.case.last_day);
        let weeks: Vec<String> = (first + 1..=last - 6)
            .filter(|&d| date(d).format("%u").to_string() == "1")
            .map(|d| date(d).format("%G-W%V").to_string())
            .collect();
        self.pick(&weeks)
    }

    /// A day of the history past its first week.
    fn day(&mut self) -> Option<String> {
        let days: Vec<i32> = (self.case.first_day + 7..=self.case.last_day).collect();
        self.pick(&days).map(|d| date(d).format("%Y-%m-%d").to_string())
    }

    /// The last 14 days of the history, as a range.
    fn last_two_weeks(&self) -> String {
        let last = self.case.last_day;
        format!(
            "{}..{}",
            date((last - 13).max(self.case.first_day)).format("%Y-%m-%d"),
            date(last).format("%Y-%m-%d")
        )
    }

    /// `cut=value` for a value of `cut` in the case's tickets.
    fn filter(&mut self, cut: Cut) -> Option<String> {
        let values = self.case.values(cut);
        self.pick(&values).map(|v| format!("{}={v}", cut.name()))
    }

    /// `cut=value` half the time.
    fn maybe_filter(&mut self, cut: Cut) -> Option<String> {
        if self.rng.random_bool(0.5) {
            self.filter(cut)
        } else {
            None
        }
    }

    fn draft(&mut self, t: Template) -> Option<Draft> {
        use Template as T;
        let d = |kpi, period, filter, trap| {
            Some(Draft {
                kpi,
                period,
                filter,
                trap,
            })
        };
        match t {
            T::CsatByChannel => {
                let cut = self.pick(&[Cut::Channel, Cut::Segment, Cut::Category])?;
                d(
                    Kpi::Csat,
                    self.month(),
                    self.filter(cut),
                    Some(Mistake::CsatCountsThree),
                )
            }
            T::NpsBySegment => d(
                Kpi::Nps,
                self.month(),
                self.filter(Cut::Segment),
                Some(Mistake::NpsAsAverage),
            ),
            T::NpsResponses => d(
                Kpi::NpsResponses,
                self.month(),
                self.maybe_filter(Cut::Segment),
                Some(Mistake::UnansweredCounted),
            ),
            T::FirstReplyMedian => d(
                Kpi::FirstReplyP50,
                self.month(),
                self.filter(Cut::Channel),
                Some(Mistake::MeanForPercentile),
            ),
            T::RecentResolution => d(
                Kpi::ResolutionP50,
                Some(self.last_two_weeks()),
                self.maybe_filter(Cut::Channel),
                Some(Mistake::OpenTicketsIncluded),
            ),
            T::Abandonment => d(
                Kpi::AbandonmentRate,
                self.month(),
                self.maybe_filter(Cut::Segment),
                Some(Mistake::AbandonmentAllChannels),
            ),
            T::WeekVolume => d(
                Kpi::Tickets,
                self.week(),
                self.maybe_filter(Cut::Category),
                Some(Mistake::SundayWeek),
            ),
            T::SlaByChannel => d(Kpi::SlaAttainment, self.month(), self.filter(Cut::Channel), None),
            T::Effort => {
                let kpi = self.pick(&[Kpi::OneTouch, Kpi::ReopenRate, Kpi::EscalationRate])?;
                let cut = self.pick(&[Cut::Category, Cut::Priority])?;
                d(kpi, self.month(), self.filter(cut), None)
            }
            T::BacklogOnDay => d(Kpi::Backlog, self.day(), self.maybe_filter(Cut::Channel), None),
            T::ChurnBySegment => d(Kpi::ChurnRate, self.month(), self.filter(Cut::Segment), None),
            T::TeamCost => {
                let period = if self.rng.random_bool(0.5) {
                    self.week()
                } else {
                    self.month()
                };
                d(Kpi::CostUsd, period, self.filter(Cut::Team), None)
            }
            T::CsatResponses => d(
                Kpi::CsatResponses,
                self.month(),
                self.filter(Cut::Channel),
                Some(Mistake::UnansweredCounted),
            ),
            T::CsatResponseRate => d(Kpi::CsatResponseRate, self.month(), self.filter(Cut::Channel), None),
            T::FirstReplyP90Saturday => {
                let channel = self.filter(Cut::Channel)?;
                d(
                    Kpi::FirstReplyP90,
                    None,
                    Some(format!("{channel},weekday=Sat")),
                    Some(Mistake::MeanForPercentile),
                )
            }
            T::ResolutionP90ByCategory => d(Kpi::ResolutionP90, self.month(), self.filter(Cut::Category), None),
            T::ContactsBySegment => d(Kpi::ContactsPerCustomer, self.month(), self.filter(Cut::Segment), None),
            T::CategoryVolume => d(Kpi::Tickets, self.month(), self.filter(Cut::Category), None),
            T::CsatByWeekday => d(
                Kpi::Csat,
                None,
                self.filter(Cut::Weekday),
                Some(Mistake::CsatCountsThree),
            ),
            T::EscalationByPriority => d(Kpi::EscalationRate, self.month(), self.filter(Cut::Priority), None),
        }
    }
}

/// Whether `value` rests on enough observations for a fair question.
fn enough(kpi: Kpi, value: &KpiValue) -> bool {
    match kpi.unit() {
        Unit::Count | Unit::Usd => value.value.is_some_and(|v| v > 0.0),
        _ => value.n >= 100,
    }
}

/// Makes a quiz of `count` questions (1 to [`MAX_COUNT`]) on `case`: the core questions (a seeded
/// subset when `count` is under [`DEFAULT_COUNT`]), then further ones, in a seeded order.
pub fn make(case: &Case, company: &str, scenario: &str, case_seed: u64, quiz_seed: u64, count: usize) -> Quiz {
    let mut picker = Picker {
        case,
        rng: Seeds::new(mix64(case_seed) ^ quiz_seed).stream(Stream::Quiz, 0),
    };
    let mut order: Vec<Template> = CORE.to_vec();
    shuffle(&mut order, &mut picker.rng);
    let mut questions: Vec<Question> = Vec::new();
    let mut tries = 0;
    while questions.len() < count.min(MAX_COUNT) && tries < 40 * MAX_COUNT {
        let template = match order.get(tries) {
            Some(&t) => t,
            None => picker.pick(&EXTRA).unwrap_or(Template::CategoryVolume),
        };
        tries += 1;
        if let Some(q) = question(&mut picker, template, &questions) {
            questions.push(q);
        }
    }
    shuffle(&mut questions, &mut picker.rng);
    for (i, q) in questions.iter_mut().enumerate() {
        q.id = format!("q{}", i + 1);
    }
    Quiz {
        company: company.to_string(),
        scenario: scenario.to_string(),
        case_seed,
        quiz_seed,
        supportsim_version: env!("CARGO_PKG_VERSION").to_string(),
        questions,
    }
}

fn shuffle<T>(items: &mut [T], rng: &mut StreamRng) {
    for i in (1..items.len()).rev() {
        items.swap(i, rng.random_range(0..=i));
    }
}

/// A question from `template`, drawn again until its value rests on enough observations, its trap
/// changes the answer, and it asks something `asked` does not; None when no draw does.
fn question(p: &mut Picker, template: Template, asked: &[Question]) -> Option<Question> {
    for _ in 0..30 {
        let Some(d) = p.draft(template) else {
            continue;
        };
        let same = |q: &Question| q.kpi == d.kpi.name() && q.period == d.period && q.filter == d.filter;
        if asked.iter().any(same) {
            continue;
        }
        let Ok(selection) = Selection::parse(d.period.as_deref(), d.filter.as_deref()) else {
            continue;
        };
        if p.case.check_selection(&selection).is_err() {
            continue;
        }
        let Some(a) = answer(p.case, d.kpi, &selection, d.trap) else {
            continue;
        };
        let trapped = d.trap.is_none_or(|t| a.mistakes.first().is_some_and(|(m, _)| *m == t));
        if !enough(d.kpi, &a.value) || !trapped {
            continue;
        }
        return Some(words(p.case, &d, &selection, &a));
    }
    None
}

/// The tickets a question's filters keep, in words: "billing chat tickets from smb customers".
fn tickets_phrase(filters: &[(Cut, String)]) -> String {
    let get = |cut: Cut| filters.iter().find(|(c, _)| *c == cut).map(|(_, v)| v.as_str());
    let mut words: Vec<String> = Vec::new();
    if let Some(p) = get(Cut::Priority) {
        words.push(format!("{p}-priority"));
    }
    words.extend(get(Cut::Category).map(str::to_string));
    words.extend(get(Cut::Channel).map(str::to_string));
    words.push("tickets".into());
    if let Some(s) = get(Cut::Segment) {
        words.push(format!("from {s} customers"));
    }
    if let Some(t) = get(Cut::Team) {
        words.push(format!("of the {t} team"));
    }
    words.join(" ")
}

/// The customers a question's filters keep: "enterprise customers".
fn customers_phrase(filters: &[(Cut, String)]) -> String {
    match filters.iter().find(|(c, _)| *c == Cut::Segment) {
        Some((_, s)) => format!("{s} customers"),
        None => "customers".into(),
    }
}

/// "on Saturdays", "in the 09:00 hour", from the time filters.
fn time_phrase(filters: &[(Cut, String)]) -> String {
    let mut out = String::new();
    for (cut, v) in filters {
        match cut {
            Cut::Weekday => out += &format!(" on {}", weekday_plural(v)),
            Cut::Hour => out += &format!(" in the {v}:00 hour"),
            _ => {}
        }
    }
    out
}

fn weekday_plural(short: &str) -> &'static str {
    match short {
        "Mon" => "Mondays",
        "Tue" => "Tuesdays",
        "Wed" => "Wednesdays",
        "Thu" => "Thursdays",
        "Fri" => "Fridays",
        "Sat" => "Saturdays",
        _ => "Sundays",
    }
}

/// The period in words: "in March 2026", "in week 2026-W07", "on 2026-03-15", "from 2026-03-18 to
/// 2026-03-31", "over the whole history".
fn period_phrase(period: Option<&str>) -> String {
    let Some(p) = period else {
        return "over the whole history".into();
    };
    if let Some((a, b)) = p.split_once("..") {
        return format!("from {a} to {b}");
    }
    if p.contains("-W") {
        return format!("in week {p}");
    }
    if p.len() == 10 {
        return format!("on {p}");
    }
    match NaiveDate::parse_from_str(&format!("{p}-01"), "%Y-%m-%d") {
        Ok(d) => format!("in {}", d.format("%B %Y")),
        Err(_) => format!("in {p}"),
    }
}

/// The question in words.
fn question_text(kpi: Kpi, selection: &Selection, period: Option<&str>) -> String {
    let f = &selection.filters;
    let tickets = tickets_phrase(f);
    let when = period_phrase(period);
    let scope = format!("{tickets} created{} {when}", time_phrase(f));
    let customers = customers_phrase(f);
    match kpi {
        Kpi::Tickets => format!("How many {tickets} were created{} {when}?", time_phrase(f)),
        Kpi::Csat => format!("What was CSAT for {scope}?"),
        Kpi::CsatResponses => format!("How many CSAT survey responses did {scope} receive?"),
        Kpi::CsatResponseRate => format!("What was the CSAT survey response rate of {scope}?"),
        Kpi::Nps => format!("What was NPS among {customers} who answered the NPS survey {when}?"),
        Kpi::NpsResponses => format!("How many NPS survey responses did {customers} give {when}?"),
        Kpi::FirstReplyP50 => format!("What was the median first-reply time of {scope}, in minutes?"),
        Kpi::FirstReplyP90 => format!("What was the 90th percentile of first-reply time of {scope}, in minutes?"),
        Kpi::FirstReplyMean => format!("What was the mean first-reply time of {scope}, in minutes?"),
        Kpi::ResolutionP50 => format!("What was the median full-resolution time of {scope}, in minutes?"),
        Kpi::ResolutionP90 => {
            format!("What was the 90th percentile of full-resolution time of {scope}, in minutes?")
        }
        Kpi::ResolutionMean => format!("What was the mean full-resolution time of {scope}, in minutes?"),
        Kpi::SlaAttainment => format!("What share of {scope} got their first reply within their channel's target?"),
        Kpi::OneTouch => format!("What was the one-touch resolution rate of {scope}?"),
        Kpi::EscalationRate => format!("What was the escalation rate of {scope}?"),
        Kpi::ReopenRate => format!("What was the reopen rate of {scope}?"),
        Kpi::AbandonmentRate => format!("What was the abandonment rate of {scope}?"),
        Kpi::Backlog if period.is_some_and(|p| p.len() == 10) => {
            format!(
                "How many {tickets} were open at the end of {}?",
                period.unwrap_or_default()
            )
        }
        Kpi::Backlog => format!("On average, how many {tickets} were open at the end of each day {when}?"),
        Kpi::ChurnRate => format!("What was the churn rate of {customers} {when}?"),
        Kpi::ContactsPerCustomer => format!("How many tickets per customer-month did {customers} create {when}?"),
        Kpi::CostUsd => {
            let team = f
                .iter()
                .find(|(c, _)| *c == Cut::Team)
                .map_or("every", |(_, t)| t.as_str());
            format!("What did the scheduled staffing of the {team} team cost {when}, in US dollars?")
        }
    }
}

/// The arithmetic behind a value, with its counts.
fn working(case: &Case, kpi: Kpi, selection: &Selection, v: &KpiValue) -> String {
    let value = v.value.unwrap_or_default();
    let n = v.n;
    let what = kpi.n_counts();
    match kpi.unit() {
        Unit::Share => {
            let hits = (value * n as f64).round() as u64;
            format!("{hits} / {n} {what} = {}", format_number(value, 5))
        }
        Unit::Minutes => {
            let stat = match kpi {
                Kpi::FirstReplyP50 | Kpi::ResolutionP50 => "the median",
                Kpi::FirstReplyP90 | Kpi::ResolutionP90 => "the 90th percentile",
                _ => "the mean",
            };
            format!(
                "{stat} of {n} values ({what}) = {} minutes; percentiles interpolate linearly between closest ranks (Excel PERCENTILE.INC, pandas' quantile)",
                format_number(value, 3)
            )
        }
        Unit::Points => {
            let scores = case.nps_scores(selection);
            let promoters = scores.iter().filter(|&&s| s >= 9).count();
            let detractors = scores.iter().filter(|&&s| s <= 6).count();
            format!(
                "{promoters} promoters (9-10) and {detractors} detractors (0-6) among {n} answers: 100 x ({promoters} - {detractors}) / {n} = {}",
                format_number(value, 3)
            )
        }
        Unit::Count if kpi == Kpi::Backlog => format!("{} open tickets over {n} day(s)", format_number(value, 2)),
        Unit::Count => format!("{n} {what}"),
        Unit::PerCustomerMonth => format!(
            "{n} tickets / {} customer-months = {}",
            format_number(n as f64 / value.max(f64::MIN_POSITIVE), 2),
            format_number(value, 4)
        ),
        Unit::Usd => format!(
            "the sum over {n} schedule intervals of agents_scheduled x 0.5 h x the team's hourly cost = {}",
            format_number(value, 2)
        ),
    }
}

/// The metrics command that answers the question.
fn command(kpi: Kpi, period: Option<&str>, filter: Option<&str>) -> String {
    let mut c = format!("supportsim metrics --case CASE --kpi {}", kpi.name());
    if let Some(p) = period {
        c += &format!(" --period {p}");
    }
    if let Some(w) = filter {
        c += &format!(" --where {w}");
    }
    c
}

/// The finished question: words, answer, computation and slips.
fn words(case: &Case, d: &Draft, selection: &Selection, a: &super::Answer) -> Question {
    let value = a.value.value.unwrap_or_default();
    let mistakes: Vec<SlipValue> = a
        .mistakes
        .iter()
        .map(|&(m, x)| SlipValue {
            mistake: m.name().to_string(),
            value: x,
            diagnosis: m.diagnosis(d.kpi),
        })
        .collect();
    let trap_note = match (d.trap, mistakes.first()) {
        (Some(_), Some(slip)) => format!(
            " The slip it catches: {} ({} instead).",
            slip.diagnosis,
            format_number(slip.value, a.rounding.decimals + 1)
        ),
        _ => String::new(),
    };
    let window = case
        .window(selection)
        .map(|(from, to)| match from == to {
            true => format!("Day {}", date(from)),
            false => format!("Days {} to {}", date(from), date(to)),
        })
        .unwrap_or_default();
    Question {
        id: String::new(),
        family: family(d.kpi).to_string(),
        question: question_text(d.kpi, selection, d.period.as_deref()),
        kpi: d.kpi.name().to_string(),
        period: d.period.clone(),
        filter: d.filter.clone(),
        answer_in: answer_in(d.kpi, a.rounding),
        decimals: a.rounding.decimals,
        tolerance: a.rounding.tolerance,
        value,
        n: a.value.n,
        trap: d.trap.map(|t| t.name().to_string()),
        computation: format!(
            "{}\n{}",
            command(d.kpi, d.period.as_deref(), d.filter.as_deref()),
            working(case, d.kpi, selection, &a.value)
        ),
        explanation: format!(
            "{} is the {}. {window}{}.{trap_note}",
            d.kpi.name(),
            d.kpi.definition(),
            if selection.filters.is_empty() {
                String::new()
            } else {
                format!(", rows with {}", d.filter.as_deref().unwrap_or_default())
            },
        ),
        mistakes,
    }
}

/// Recomputes a stored question on `case`: its answer and slips as the engine gives them now.
pub fn recompute(case: &Case, q: &Question) -> Result<super::Answer, String> {
    let kpi = Kpi::from_name(&q.kpi).ok_or_else(|| format!("{}: unknown kpi \"{}\"", q.id, q.kpi))?;
    let selection = selection_of(q).map_err(|e| format!("{}: {e}", q.id))?;
    case.check_selection(&selection)
        .map_err(|e| format!("{}: {}", q.id, e.0))?;
    let trap = q.trap.as_deref().and_then(Mistake::from_name);
    answer(case, kpi, &selection, trap).ok_or_else(|| format!("{}: the data gives no value for it", q.id))
}
