//! Time to full resolution by week, median and 90th percentile: the median says what most
//! customers wait, the 90th what the unlucky ones remember.

use super::plot::{self, Line, Lines};
use super::{Chart, Formats, Framed, style};
use crate::error::AppError;
use crate::kpi::{Case, Cut, Kpi, KpiValue, Selection};

pub fn chart(case: &Case, formats: Formats) -> Result<Chart, AppError> {
    let weeks = case.period_days(Cut::Week, &Selection::default());
    let rows = super::rows(case, &[Cut::Week], &[Kpi::ResolutionP50, Kpi::ResolutionP90])?;
    let hours = |v: Option<&KpiValue>| {
        super::point(v).map(|mut p| {
            p.y /= 60.0;
            p.band = p.band.map(|(a, b)| (a / 60.0, b / 60.0));
            p
        })
    };
    let mut lines: Vec<Line> = [
        (Kpi::ResolutionP50, "median (p50)"),
        (Kpi::ResolutionP90, "90th percentile (p90)"),
    ]
    .into_iter()
    .enumerate()
    .map(|(i, (_, name))| Line {
        name: name.into(),
        color: style::color(i),
        dashed: i == 1,
        points: vec![None; weeks.len()],
    })
    .collect();
    let mut max: f64 = 0.0;
    for r in &rows {
        let Some(i) = weeks.iter().position(|w| w.0 == r.group[0].1) else {
            continue;
        };
        for (j, k) in [Kpi::ResolutionP50, Kpi::ResolutionP90].into_iter().enumerate() {
            let p = hours(r.kpis.get(&k));
            max = max.max(p.map_or(0.0, |p| p.band.map_or(p.y, |b| b.1.max(p.y))));
            lines[j].points[i] = p;
        }
    }
    let plot = Lines {
        x_labels: weeks.iter().map(|w| w.0.clone()).collect(),
        x_desc: "ISO week the ticket was created".into(),
        y_desc: "hours from creation to full resolution".into(),
        y_range: plot::from_zero(max),
        y_fmt: plot::plain,
        lines,
    };
    let fig = Framed {
        title: "Time to resolution by week: median and 90th percentile".into(),
        legend: plot.keys(None),
        note: "Solved tickets, by the week they were created; the last weeks hold only those solved before the export."
            .into(),
        plot,
    };
    super::render(
        "resolution_by_week",
        &fig.title,
        "The gap between the dashed p90 and the solid median is the tail; a tail that grows while the median holds points at a queue some tickets get stuck in.",
        &fig,
        formats,
    )
}
