//! NPS over the `nps_responses` table: % scores 9-10 minus % scores 0-6 of the answered surveys,
//! with the interval of domain_facts §3 (Var(NPS/100) ≈ [P + D − (P − D)²] / n). Answers are cut by
//! the customer's segment and by when they were answered (day, ISO week, calendar month, weekday,
//! hour); unanswered invitations do not count.

use std::collections::BTreeMap;

use polars::prelude::*;

use super::table::{Coded, sort_key, time_label, timestamps_ms, u32s};
use super::{Cut, Kpi, KpiValue, Row, SMALL_N, Selection};

/// The answered NPS surveys of a case.
#[derive(Debug, Clone, Default)]
pub struct NpsTable {
    /// `sent_at` of every invitation, answered or not (local milliseconds since the Unix epoch).
    sent_ms: Vec<Option<i64>>,
    /// `responded_at`, local milliseconds since the Unix epoch.
    responded_ms: Vec<i64>,
    segment: Coded,
    /// Indices into `segment` of the answered rows.
    rows: Vec<usize>,
    score: Vec<u32>,
}

impl NpsTable {
    /// The columns of the exported `nps_responses` table NPS reads, with the types a CSV is read as.
    pub fn columns() -> Vec<(&'static str, DataType)> {
        vec![
            ("segment", DataType::String),
            ("sent_at", DataType::String),
            ("responded_at", DataType::String),
            ("score", DataType::UInt32),
        ]
    }

    /// Reads the exported `nps_responses` frame, keeping the answered surveys.
    pub fn from_frame(df: &DataFrame) -> PolarsResult<NpsTable> {
        let segment = Coded::of(df, "segment")?;
        let responded = timestamps_ms(df, "responded_at")?;
        let mut t = NpsTable {
            sent_ms: timestamps_ms(df, "sent_at")?,
            segment,
            ..NpsTable::default()
        };
        for (i, (at, score)) in responded.into_iter().zip(u32s(df, "score")?).enumerate() {
            if let (Some(at), Some(score)) = (at, score) {
                t.responded_ms.push(at);
                t.rows.push(i);
                t.score.push(score);
            }
        }
        Ok(t)
    }

    /// Answered surveys.
    pub fn len(&self) -> usize {
        self.score.len()
    }

    pub fn is_empty(&self) -> bool {
        self.score.is_empty()
    }

    /// Whether NPS can be cut by `cut`: segment and the time cuts.
    pub fn supports(cut: Cut) -> bool {
        !matches!(
            cut,
            Cut::Channel | Cut::Category | Cut::Priority | Cut::Team | Cut::Agent
        )
    }

    fn label(&self, cut: Cut, j: usize) -> String {
        match cut {
            Cut::Segment => self.segment.get(self.rows[j]).to_string(),
            _ => time_label(self.responded_ms[j], cut),
        }
    }

    /// The answers `selection` selects (by answer day), as indices of answers.
    fn selected<'a>(&'a self, selection: &'a Selection) -> impl Iterator<Item = usize> + 'a {
        (0..self.len()).filter(move |&j| {
            let day = self.responded_ms[j].div_euclid(86_400_000) as i32;
            selection.contains_day(day) && selection.filters.iter().all(|(c, v)| self.label(*c, j) == *v)
        })
    }

    /// The scores of the answers `selection` selects.
    pub(super) fn scores(&self, selection: &Selection) -> Vec<u32> {
        self.selected(selection).map(|j| self.score[j]).collect()
    }

    /// Invitations sent in the selection (by send day, answered or not): what counting every row of
    /// the table as a response counts.
    pub(super) fn invitations(&self, selection: &Selection) -> u64 {
        let passes = |i: usize, ms: i64| {
            selection.filters.iter().all(|(c, v)| match c {
                Cut::Segment => *v == self.segment.get(i),
                _ => time_label(ms, *c) == *v,
            })
        };
        self.sent_ms
            .iter()
            .enumerate()
            .filter(|&(i, ms)| {
                ms.is_some_and(|ms| selection.contains_day(ms.div_euclid(86_400_000) as i32) && passes(i, ms))
            })
            .count() as u64
    }
}

/// NPS and its number of answers for each group of the `by` cuts (each must be
/// [`NpsTable::supports`]ed), over the answers selected by `selection` (period by answer day).
pub fn compute_nps(t: &NpsTable, by: &[Cut], selection: &Selection) -> Vec<Row> {
    let mut groups: BTreeMap<Vec<String>, Vec<usize>> = BTreeMap::new();
    for j in t.selected(selection) {
        groups
            .entry(by.iter().map(|&c| sort_key(c, t.label(c, j))).collect())
            .or_default()
            .push(j);
    }
    if by.is_empty() && groups.is_empty() {
        groups.insert(Vec::new(), Vec::new());
    }
    groups
        .into_values()
        .map(|answers| Row {
            group: match answers.first() {
                Some(&j) => by.iter().map(|&c| (c, t.label(c, j))).collect(),
                None => Vec::new(),
            },
            kpis: [
                (Kpi::Nps, nps(answers.iter().map(|&j| t.score[j]))),
                (Kpi::NpsResponses, super::count(answers.len() as u64)),
            ]
            .into_iter()
            .collect(),
        })
        .collect()
}

/// How many answers of a group were promoters (9-10), passives (7-8) and detractors (0-6).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NpsMix {
    pub promoters: u64,
    pub passives: u64,
    pub detractors: u64,
}

impl NpsMix {
    /// The mix of `scores` (0-10): the one place the bands are drawn.
    pub fn of(scores: impl Iterator<Item = u32>) -> NpsMix {
        let mut m = NpsMix::default();
        for s in scores {
            match s {
                9.. => m.promoters += 1,
                7..=8 => m.passives += 1,
                _ => m.detractors += 1,
            }
        }
        m
    }

    pub fn n(&self) -> u64 {
        self.promoters + self.passives + self.detractors
    }

    /// Shares of promoters, passives and detractors (zeros with no answers).
    pub fn shares(&self) -> [f64; 3] {
        let n = self.n().max(1) as f64;
        [self.promoters, self.passives, self.detractors].map(|c| c as f64 / n)
    }
}

/// The NPS mix of each group of the `by` cuts (each must be [`NpsTable::supports`]ed) over the
/// answers `selection` selects, groups in natural order.
pub fn mix_rows(t: &NpsTable, by: &[Cut], selection: &Selection) -> Vec<(super::Labels, NpsMix)> {
    let mut groups: BTreeMap<Vec<String>, (super::Labels, Vec<u32>)> = BTreeMap::new();
    for j in t.selected(selection) {
        groups
            .entry(by.iter().map(|&c| sort_key(c, t.label(c, j))).collect())
            .or_insert_with(|| (by.iter().map(|&c| (c, t.label(c, j))).collect(), Vec::new()))
            .1
            .push(t.score[j]);
    }
    groups
        .into_values()
        .map(|(labels, scores)| (labels, NpsMix::of(scores.into_iter())))
        .collect()
}

/// NPS of `scores` (0-10) in points, with a normal-approximation 95% interval.
pub fn nps(scores: impl Iterator<Item = u32>) -> KpiValue {
    let m = NpsMix::of(scores);
    let (promoters, detractors, n) = (m.promoters, m.detractors, m.n());
    if n == 0 {
        return KpiValue {
            value: None,
            n,
            ci95: None,
            small: true,
        };
    }
    let (p, d) = (promoters as f64 / n as f64, detractors as f64 / n as f64);
    let value = 100.0 * (p - d);
    let se = 100.0 * ((p + d - (p - d).powi(2)) / n as f64).sqrt();
    let z = 1.959_963_984_540_054;
    KpiValue {
        value: Some(value),
        n,
        ci95: Some(((value - z * se).max(-100.0), (value + z * se).min(100.0))),
        small: n < SMALL_N,
    }
}
