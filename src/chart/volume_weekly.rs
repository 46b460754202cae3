//! Tickets created per week by channel: the first chart an analyst draws of a help desk, where
//! growth, a launch or a channel shift shows. Partial weeks at the ends are hollow, not dips.

use super::plot::{self, Line, Lines, Pt};
use super::{Chart, Formats, Framed, style};
use crate::error::AppError;
use crate::kpi::{Case, Cut, Kpi, Selection};

pub fn chart(case: &Case, formats: Formats) -> Result<Chart, AppError> {
    let weeks = case.period_days(Cut::Week, &Selection::default());
    let rows = super::rows(case, &[Cut::Channel, Cut::Week], &[Kpi::Tickets])?;
    let mut lines: Vec<Line> = Vec::new();
    let mut max: f64 = 0.0;
    for r in &rows {
        let (channel, week) = (&r.group[0].1, &r.group[1].1);
        if lines.last().is_none_or(|l| &l.name != channel) {
            lines.push(Line {
                name: channel.clone(),
                color: style::color(lines.len()),
                dashed: false,
                points: vec![None; weeks.len()],
            });
        }
        let (Some(i), Some(v)) = (weeks.iter().position(|w| &w.0 == week), r.kpis[&Kpi::Tickets].value) else {
            continue;
        };
        max = max.max(v);
        lines.last_mut().expect("a line").points[i] = Some(Pt {
            y: v,
            band: None,
            hollow: weeks[i].1 < 7,
        });
    }
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
