//! Tickets created per week by channel: the first chart an analyst draws of a help desk, where
//! growth, a launch or a channel shift shows. Partial weeks at the ends are hollow, not dips.

use super::plot::{self, Lines, Pt};
use super::{Chart, Formats, Framed};
use crate::error::AppError;
use crate::kpi::{Case, Cut, Kpi};

pub fn chart(case: &Case, formats: Formats) -> Result<Chart, AppError> {
    let (weeks, lines) = super::weekly_lines(case, Cut::Channel, &[Kpi::Tickets], |r, days| {
        Some(Pt {
            y: r.kpis[&Kpi::Tickets].value?,
            band: None,
            hollow: days < 7,
        })
    })?;
    let max = lines
        .iter()
        .flat_map(|l| l.points.iter().flatten())
        .map(|p| p.y)
        .fold(0.0, f64::max);
    let plot = Lines {
        x_labels: weeks.iter().map(|w| w.0.clone()).collect(),
        x_desc: "ISO week the ticket was created".into(),
        y_desc: "tickets per week".into(),
        y_range: plot::from_zero(max),
        y_fmt: plot::count,
        lines,
    };
    let fig = Framed {
        title: "Tickets created per week, by channel".into(),
        legend: plot.keys(None),
        note: "Hollow points: a partial week (fewer than 7 days of the case fall in it).".into(),
        plot,
    };
    super::render(
        "volume_by_channel",
        &fig.title,
        "Each line is one channel's new tickets per week; read steps and trends, and discount the hollow partial weeks at the ends.",
        &fig,
        formats,
    )
}
