//! Demand against staffing by weekday and hour: tickets created per agent on shift, the heatmap a
//! workforce planner reads to find the hours a roster leaves thin (or empty) for the demand.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::plot::{self, DrawResult};
use super::style::{self, GREY, INK, NOTE_PX};
use super::{Chart, Figure, Formats};
use crate::config::WEEKDAYS;
use crate::error::AppError;
use crate::kpi::{Case, Selection, WeekProfile};

/// Hours with fewer tickets than this on average are left blank rather than coloured.
const QUIET_TICKETS: f64 = 0.05;
/// The colour of an hour with demand and nobody on shift.
const UNCOVERED: RGBColor = style::PALETTE[3];

struct Heat {
    profile: WeekProfile,
    max: f64,
}

pub fn chart(case: &Case, formats: Formats) -> Result<Chart, AppError> {
    let profile = case.week_profile(&Selection::default());
    let max = (0..7)
        .flat_map(|d| (0..24).map(move |h| (d, h)))
        .filter_map(|(d, h)| profile.per_agent(d, h))
        .fold(0.0, f64::max);
    super::render(
        "demand_vs_staffing",
        "Demand against staffing: tickets created per agent on shift, by weekday and hour",
        "Bright cells are hours with many new tickets per agent on shift (thin cover for the demand); red cells have demand and nobody on shift.",
        &Heat { profile, max },
        formats,
    )
}

impl Figure for Heat {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        let area = plot::frame(
            root,
            "Demand against staffing: tickets created per agent on shift, by weekday and hour",
            &[],
            "Mean over the case's days of each weekday, all teams; local time. Red: nobody scheduled (the number is tickets per hour). Blank: almost no tickets.",
        )?;
        let (main, scale) = area.split_horizontally(area.dim_in_pixel().0 - 110);
        let mut chart = ChartBuilder::on(&main)
            .x_label_area_size(46)
            .y_label_area_size(76)
            .build_cartesian_2d((0..23usize).into_segmented(), (0..6usize).into_segmented())?;
        plot::house_style(&mut chart.configure_mesh())
            .disable_mesh()
            .axis_style(GREY)
            .x_labels(24)
            .y_labels(7)
            .x_label_formatter(&|x| match x {
                SegmentValue::CenterOf(h) => format!("{h:02}"),
                _ => String::new(),
            })
            .y_label_formatter(&|y| match y {
                SegmentValue::CenterOf(r) if *r < 7 => WEEKDAYS[6 - r].to_string(),
                _ => String::new(),
            })
            .x_desc("hour of the day the ticket was created (local time)")
            .y_desc("weekday")
            .draw()?;
        for d in 0..7 {
            let row = 6 - d;
            for h in 0..24 {
                let tickets = self.profile.tickets[d][h];
                let (fill, label, dark) = match self.profile.per_agent(d, h) {
                    _ if tickets < QUIET_TICKETS => (WHITE, String::new(), false),
                    None => (UNCOVERED, format!("{tickets:.1}"), true),
                    Some(r) => {
                        let t = if self.max > 0.0 { r / self.max } else { 0.0 };
                        (style::viridis(t), format!("{r:.1}"), t < 0.55)
                    }
                };
                let cell = [
                    (SegmentValue::Exact(h), SegmentValue::Exact(row)),
                    (SegmentValue::Exact(h + 1), SegmentValue::Exact(row + 1)),
                ];
                chart.draw_series(std::iter::once(Rectangle::new(cell.clone(), fill.filled())))?;
                chart.draw_series(std::iter::once(Rectangle::new(cell, WHITE.stroke_width(1))))?;
                if !label.is_empty() {
                    let ink = if dark { WHITE } else { INK };
                    chart.draw_series(std::iter::once(Text::new(
                        label,
                        (SegmentValue::CenterOf(h), SegmentValue::CenterOf(row)),
                        style::text(NOTE_PX - 2.5, ink).pos(Pos::new(HPos::Center, VPos::Center)),
                    )))?;
                }
            }
        }
        draw_scale(&scale, self.max)
    }
}

/// The colour scale beside the heatmap, from 0 to `max` tickets per agent.
fn draw_scale<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, max: f64) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let (_, h) = area.dim_in_pixel();
    let (top, bottom) = (30i32, h as i32 - 46);
    let steps = 60;
    for i in 0..steps {
        let y0 = bottom - (bottom - top) * i / steps;
        let y1 = bottom - (bottom - top) * (i + 1) / steps;
        let color = style::viridis(f64::from(i) / f64::from(steps - 1));
        area.draw(&Rectangle::new([(12, y1), (30, y0)], color.filled()))?;
    }
    let label = style::text(NOTE_PX, INK).pos(Pos::new(HPos::Left, VPos::Center));
    for k in 0..=4 {
        let y = bottom - (bottom - top) * k / 4;
        area.draw(&Text::new(
            format!("{:.1}", max * f64::from(k) / 4.0),
            (36, y),
            label.clone(),
        ))?;
    }
    area.draw(&Text::new(
        "tickets per agent",
        (4, top - 18),
        style::text(NOTE_PX, GREY).pos(Pos::new(HPos::Left, VPos::Center)),
    ))?;
    Ok(())
}
