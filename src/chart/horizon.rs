//! CSAT and one wait (first-reply p90) week by week over the horizon, status quo against proposal:
//! the median across replications as a line, the middle 80% of replications as a band, so a
//! reader sees when the plan starts to act and how sure the difference is.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::plot::{self, DrawResult, Key, Line, Lines, Mark, Pt};
use super::score_view::{ScoreView, WeeklyView};
use super::style::{self, GREY};
use super::{Chart, Figure, Formats};
use crate::error::AppError;
use crate::kpi::Kpi;

struct Horizon {
    panels: Vec<Lines>,
}

/// The status quo's and the proposal's lines of one weekly KPI, scaled by `scale`.
fn lines(w: &WeeklyView, scale: f64) -> Vec<Line> {
    let line = |name: &str, i: usize, v: &[Option<[f64; 3]>]| Line {
        name: name.into(),
        color: style::color(i),
        dashed: i == 0,
        points: v
            .iter()
            .map(|q| {
                q.map(|[lo, mid, hi]| Pt {
                    y: mid * scale,
                    band: Some((lo * scale, hi * scale)),
                    hollow: false,
                })
            })
            .collect(),
    };
    vec![line("status quo", 0, &w.status_quo), line("proposal", 1, &w.proposal)]
}

/// The lowest and highest value the lines reach.
fn extent(lines: &[Line]) -> (f64, f64) {
    lines
        .iter()
        .flat_map(|l| l.points.iter().flatten())
        .flat_map(|p| [p.y, p.band.map_or(p.y, |b| b.0), p.band.map_or(p.y, |b| b.1)])
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), y| (a.min(y), b.max(y)))
}

pub fn chart(s: &ScoreView, formats: Formats) -> Result<Chart, AppError> {
    let mut panels = Vec::new();
    for w in &s.weekly {
        let panel = match w.kpi {
            Kpi::Csat => {
                let l = lines(w, 1.0);
                let (lo, _) = extent(&l);
                // CSAT moves by points: the axis starts at the 10% step below the lowest band, and
                // the axis title says so.
                let floor = ((lo * 10.0).floor() / 10.0).clamp(0.0, 0.9);
                Lines {
                    x_labels: s.weeks.clone(),
                    x_desc: "week of the horizon".into(),
                    y_desc: format!("CSAT, % satisfied (axis from {})", plot::pct(floor)),
                    y_range: floor..1.0,
                    y_fmt: plot::pct,
                    lines: l,
                }
            }
            _ => {
                let l = lines(w, 1.0 / 60.0);
                let (_, hi) = extent(&l);
                Lines {
                    x_labels: s.weeks.clone(),
                    x_desc: "week of the horizon".into(),
                    y_desc: format!("{}, hours", w.kpi.name().replace('_', " ")),
                    y_range: plot::from_zero(hi.max(0.01)),
                    y_fmt: plot::plain,
                    lines: l,
                }
            }
        };
        panels.push(panel);
    }
    super::render(
        "horizon_status_quo_vs_proposal",
        "Over the horizon: status quo against the proposal, week by week",
        "Lines are the median week across replications and bands the middle 80%; where the bands part, the plan has surely changed that week.",
        &Horizon { panels },
        formats,
    )
}

impl Figure for Horizon {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        let legend = [
            Key::new("status quo", style::color(0), Mark::Dashed),
            Key::new("proposal", style::color(1), Mark::Line),
            Key::new("middle 80% of replications", GREY, Mark::Band),
        ];
        let area = plot::frame(
            root,
            "Over the horizon: status quo against the proposal, week by week",
            &legend,
            "Both runs of each replication share their random draws (common random numbers).",
        )?;
        let cells = area.split_evenly((1, self.panels.len().max(1)));
        for (cell, panel) in cells.iter().zip(&self.panels) {
            plot::draw_lines(cell, panel)?;
        }
        Ok(())
    }
}
