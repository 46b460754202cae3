//! A forest plot of the score's paired differences: each KPI's change from the status quo, as a
//! share of its status-quo value, with its 95% interval; green where the whole interval is better,
//! red where it is worse. The labels give the change in the KPI's own unit.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::plot::{self, DrawResult, Key, Mark};
use super::score_view::{Est, ScoreView};
use super::style::{BETTER, GREY, INK, WORSE};
use super::{Chart, Figure, Formats};
use crate::error::AppError;
use crate::kpi::Kpi;
use crate::score::signed_interval;

struct Row {
    label: String,
    /// Difference and its interval, % of the status quo.
    mid: f64,
    ci: Option<(f64, f64)>,
    color: RGBColor,
}

struct Forest {
    rows: Vec<Row>,
    reach: f64,
}

/// Better, worse or unclear: the colour of a difference `d` of `kpi`.
fn verdict(kpi: Kpi, d: &Est) -> RGBColor {
    let (lo, hi) = d.ci95.unwrap_or((d.mean, d.mean));
    match kpi.better_when_higher() {
        Some(up) if (up && lo > 0.0) || (!up && hi < 0.0) => BETTER,
        Some(up) if (up && hi < 0.0) || (!up && lo > 0.0) => WORSE,
        _ => GREY,
    }
}

pub fn chart(s: &ScoreView, formats: Formats) -> Result<Chart, AppError> {
    let mut rows = Vec::new();
    for e in &s.effects {
        let (Some(sq), Some(d)) = (&e.status_quo, &e.difference) else {
            continue;
        };
        if sq.mean.abs() < 1e-9 {
            continue;
        }
        let scale = 100.0 / sq.mean.abs();
        rows.push(Row {
            label: format!("{}  {}", e.kpi.name(), signed_interval(e.kpi, d.mean, d.ci95)),
            mid: d.mean * scale,
            ci: d.ci95.map(|(lo, hi)| (lo * scale, hi * scale)),
            color: verdict(e.kpi, d),
        });
    }
    let reach = rows
        .iter()
        .map(|r| r.ci.map_or(r.mid.abs(), |(lo, hi)| lo.abs().max(hi.abs())))
        .fold(1.0, f64::max)
        * 1.1;
    super::render(
        "kpi_differences",
        "What the proposal changed: each KPI's paired difference with its 95% interval",
        "Each row is the proposal minus the status quo on the same futures, as % of the status quo; green and red intervals clear zero, grey ones do not.",
        &Forest { rows, reach },
        formats,
    )
}

impl Figure for Forest {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        let legend = [
            Key::new("better, surely", BETTER, Mark::Block),
            Key::new("worse, surely", WORSE, Mark::Block),
            Key::new("not distinguishable from no change", GREY, Mark::Block),
        ];
        let area = plot::frame(
            root,
            "What the proposal changed: each KPI's paired difference with its 95% interval",
            &legend,
            "Change as % of the status quo (axis centred on no change); labels give it in the KPI's unit.",
        )?;
        let n = self.rows.len().max(1);
        let labels: Vec<String> = self.rows.iter().map(|r| r.label.clone()).collect();
        let mut chart =
            plot::builder(&area, 400).build_cartesian_2d(-self.reach..self.reach, (0..n - 1).into_segmented())?;
        plot::house_style(&mut chart.configure_mesh())
            .disable_y_mesh()
            .y_labels(n + 1)
            .x_labels(9)
            .y_label_formatter(&|y| match y {
                SegmentValue::CenterOf(i) if *i < n => labels[n - 1 - i].clone(),
                _ => String::new(),
            })
            .x_label_formatter(&|x| format!("{x:+.0}%"))
            .x_desc("proposal − status quo, % of the status quo")
            .draw()?;
        let zero = vec![(0.0, SegmentValue::Exact(0)), (0.0, SegmentValue::Exact(n))];
        chart.draw_series(std::iter::once(PathElement::new(zero, INK.stroke_width(1))))?;
        for (i, r) in self.rows.iter().enumerate() {
            let y = SegmentValue::CenterOf(n - 1 - i);
            if let Some((lo, hi)) = r.ci {
                let seg = vec![(lo, y.clone()), (hi, y.clone())];
                chart.draw_series(std::iter::once(PathElement::new(seg, r.color.stroke_width(3))))?;
            }
            chart.draw_series(std::iter::once(Circle::new((r.mid, y), 5, r.color.filled())))?;
        }
        Ok(())
    }
}
