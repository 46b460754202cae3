//! CSAT by week and channel with 95% Wilson intervals: whether satisfaction moved, where, and
//! whether a week's dip is more than its handful of responses.

use super::plot::{self, Lines};
use super::{Chart, Formats, Framed};
use crate::error::AppError;
use crate::kpi::{Case, Cut, Kpi};

pub fn chart(case: &Case, formats: Formats) -> Result<Chart, AppError> {
    let (weeks, lines) = super::weekly_lines(case, Cut::Channel, &[Kpi::Csat], |r, _| {
        super::point(r.kpis.get(&Kpi::Csat))
    })?;
    let plot = Lines {
        x_labels: weeks.iter().map(|w| w.0.clone()).collect(),
        x_desc: "ISO week the ticket was created".into(),
        y_desc: "CSAT, % of responses satisfied (4-5 of 5)".into(),
        y_range: 0.0..1.03,
        y_fmt: plot::pct,
        lines,
    };
    let fig = Framed {
        title: "CSAT by week and channel, with 95% intervals".into(),
        legend: plot.keys(Some("95% interval")),
        note: "Axis from 0%. Hollow points: fewer than 30 responses that week.".into(),
        plot,
    };
    super::render(
        "csat_by_week",
        &fig.title,
        "A line that leaves its band's neighbourhood for several weeks is a real change; one week outside it, or a hollow point, is usually noise.",
        &fig,
        formats,
    )
}
