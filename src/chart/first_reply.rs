//! First-reply times by channel as cumulative shares on a log time axis: live channels answer in
//! seconds and email in hours, and only a log axis shows both; the dashed lines mark where each
//! curve crosses its median and 90th percentile.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::plot::{self, DrawResult, Key, Mark};
use super::style::{self, GREY, NOTE_PX};
use super::{Chart, Figure, Formats};
use crate::error::AppError;
use crate::kpi::{Case, Cut, Kpi, Selection, share_within};

/// The shortest time drawn, minutes (6 seconds): replies faster than it sit at its left edge.
const FROM_MIN: f64 = 0.1;
const POINTS: usize = 200;

struct FirstReply {
    channels: Vec<(String, Vec<(f64, f64)>)>,
    to_min: f64,
}

pub fn chart(case: &Case, formats: Formats) -> Result<Chart, AppError> {
    let rows = super::rows(case, &[Cut::Channel], &[Kpi::FirstReplyP90])?;
    let mut per: Vec<(String, Vec<f64>)> = Vec::new();
    for r in &rows {
        let channel = r.group[0].1.clone();
        let sel = Selection {
            filters: vec![(Cut::Channel, channel.clone())],
            ..Selection::default()
        };
        per.push((channel, case.first_reply_minutes(&sel)));
    }
    let longest = per.iter().flat_map(|(_, m)| m.iter()).fold(0.0f64, |a, &b| a.max(b));
    let to_min = 10f64.powf(longest.max(10.0).log10().ceil());
    let grid: Vec<f64> = (0..POINTS)
        .map(|i| FROM_MIN * (to_min / FROM_MIN).powf(i as f64 / (POINTS - 1) as f64))
        .collect();
    let fig = FirstReply {
        channels: per
            .into_iter()
            .map(|(c, m)| (c, grid.iter().copied().zip(share_within(&m, &grid)).collect()))
            .collect(),
        to_min,
    };
    super::render(
        "first_reply_by_channel",
        "First-reply time by channel: share of tickets answered within a time",
        "Read across from 50% or 90% to where a channel's curve crosses: that is its median or 90th-percentile first reply; a curve far to the right is a slow channel.",
        &fig,
        formats,
    )
}

/// A power-of-ten tick of the minutes axis, with hours or days beside it past an hour.
fn duration(x: f64) -> String {
    let minutes = if x < 1.0 {
        format!("{x:.1} min")
    } else {
        format!("{} min", plot::thousands(x))
    };
    match x {
        x if x < 60.0 => minutes,
        x if x < 1440.0 => format!("{minutes} ({:.1} h)", x / 60.0),
        x => format!("{minutes} ({:.0} d)", x / 1440.0),
    }
}

impl Figure for FirstReply {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        let legend: Vec<Key> = self
            .channels
            .iter()
            .enumerate()
            .map(|(i, (c, _))| Key::new(c, style::color(i), Mark::Line))
            .collect();
        let area = plot::frame(
            root,
            "First-reply time by channel: share of tickets answered within a time",
            &legend,
            "Log time axis; replies faster than 6 s are counted at its left edge. Tickets with a first reply.",
        )?;
        let mut chart = plot::builder(&area, 76).build_cartesian_2d((FROM_MIN..self.to_min).log_scale(), 0.0..1.0)?;
        plot::house_style(&mut chart.configure_mesh())
            .x_labels(12)
            .y_labels(6)
            .x_label_formatter(&|x| duration(*x))
            .y_label_formatter(&|y| plot::pct(*y))
            .x_desc("minutes from creation to the first agent reply (log scale)")
            .y_desc("% of tickets answered within that time")
            .draw()?;
        for (y, label) in [(0.5, "half answered (p50)"), (0.9, "90% answered (p90)")] {
            chart.draw_series(DashedLineSeries::new(
                vec![(FROM_MIN, y), (self.to_min, y)],
                6,
                4,
                GREY.stroke_width(1),
            ))?;
            chart.draw_series(std::iter::once(Text::new(
                label,
                (self.to_min / 1.15, y + 0.01),
                style::text(NOTE_PX, GREY).pos(Pos::new(HPos::Right, VPos::Bottom)),
            )))?;
        }
        for (i, (_, xy)) in self.channels.iter().enumerate() {
            chart.draw_series(LineSeries::new(xy.iter().copied(), style::color(i).stroke_width(3)))?;
        }
        Ok(())
    }
}
