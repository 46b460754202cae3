//! Each success metric's target against its simulated distribution: one dot per replication of
//! the proposal's value on the metric's day, the target as a line and the baseline dashed, with
//! the share of replications that reach the target. Over-promising shows as a target beyond the
//! dots, sandbagging as one behind them.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::plot::{self, DrawResult, Key, Mark};
use super::score_view::{MetricView, ScoreView};
use super::style::{self, GREY, INK, NOTE_PX, TICK_PX, WORSE};
use super::{Chart, Figure, Formats};
use crate::error::AppError;
use crate::kpi::render::format_value;

/// An axis tick in the KPI's unit, without a decimal that says nothing ("1000", "85%", not
/// "1000.0", "85.0%").
fn tick(kpi: crate::kpi::Kpi, x: f64) -> String {
    // A tick a rounding error below zero reads as zero.
    let x = if x.abs() < 1e-9 { 0.0 } else { x };
    let text = format_value(kpi, x);
    match text.find(".0") {
        Some(at) if !text[at + 2..].starts_with(|c: char| c.is_ascii_digit()) => {
            format!("{}{}", &text[..at], &text[at + 2..])
        }
        _ => text,
    }
}

struct Metrics {
    metrics: Vec<MetricView>,
}

pub fn chart(s: &ScoreView, formats: Formats) -> Result<Chart, AppError> {
    super::render(
        "success_metrics",
        "Success metrics: each target against what the proposal reached",
        "Dots are the proposal's value on the metric's day in each replication; a target inside the dots is realistic, one beyond all of them over-promises.",
        &Metrics {
            metrics: s.metrics.clone(),
        },
        formats,
    )
}

impl Figure for Metrics {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        let legend = [
            Key::new("a replication", style::color(0), Mark::Block),
            Key::new("target", WORSE, Mark::Line),
            Key::new("baseline", GREY, Mark::Dashed),
        ];
        let area = plot::frame(
            root,
            "Success metrics: each target against what the proposal reached",
            &legend,
            "Each row has its own axis, in the metric's unit.",
        )?;
        let rows = area.split_evenly((self.metrics.len().max(1), 1));
        for (row, m) in rows.iter().zip(&self.metrics) {
            draw_metric(row, m)?;
        }
        Ok(())
    }
}

/// One metric's row.
fn draw_metric<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, m: &MetricView) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let mut xs: Vec<f64> = m.values.clone();
    xs.push(m.target);
    xs.extend(m.baseline);
    let (lo, hi) = xs
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| (a.min(x), b.max(x)));
    let pad = ((hi - lo) * 0.08).max(hi.abs() * 0.01).max(1e-6);
    let cut = if m.cut.is_empty() {
        String::new()
    } else {
        format!(" ({})", m.cut)
    };
    let title = format!(
        "{}{cut} by day {}: target {}, reached in {:.0}% of replications",
        m.kpi.name(),
        m.by_day,
        format_value(m.kpi, m.target),
        100.0 * m.probability_reached
    );
    area.draw(&Text::new(
        title,
        (12, 4),
        style::text(TICK_PX, INK).pos(Pos::new(HPos::Left, VPos::Top)),
    ))?;
    let kpi = m.kpi;
    let mut chart = ChartBuilder::on(area)
        .margin_top(24)
        .x_label_area_size(26)
        .y_label_area_size(20)
        .margin_right(20)
        .build_cartesian_2d((lo - pad)..(hi + pad), 0.0..1.0)?;
    plot::house_style(&mut chart.configure_mesh())
        .disable_y_mesh()
        .disable_y_axis()
        .x_labels(8)
        .x_label_formatter(&|x| tick(kpi, *x))
        .label_style(style::text(NOTE_PX, INK))
        .draw()?;
    for (i, &v) in m.values.iter().enumerate() {
        let y = 0.2 + 0.6 * ((i * 7) % 10) as f64 / 9.0;
        chart.draw_series(std::iter::once(Circle::new(
            (v, y),
            4,
            style::color(0).mix(0.7).filled(),
        )))?;
    }
    if let Some(b) = m.baseline {
        chart.draw_series(DashedLineSeries::new(
            vec![(b, 0.0), (b, 1.0)],
            5,
            4,
            GREY.stroke_width(2),
        ))?;
    }
    chart.draw_series(std::iter::once(PathElement::new(
        vec![(m.target, 0.0), (m.target, 1.0)],
        WORSE.stroke_width(3),
    )))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kpi::Kpi;

    #[test]
    fn ticks_drop_a_decimal_that_says_nothing() {
        assert_eq!(tick(Kpi::FirstReplyP90, 1000.0), "1000");
        assert_eq!(tick(Kpi::FirstReplyP90, 1250.5), "1250.5");
        assert_eq!(tick(Kpi::Csat, 0.85), "85%");
        assert_eq!(tick(Kpi::Csat, 0.825), "82.5%");
        assert_eq!(tick(Kpi::Nps, 20.0), "20");
        assert_eq!(tick(Kpi::Nps, -1e-12), "0");
        assert_eq!(tick(Kpi::ContactsPerCustomer, 1.05), "1.050");
    }
}
