//! NPS by month as its mix of promoters, passives and detractors, with the NPS and its count above
//! each month: a score moves when the mix moves, and a month of few answers moves by chance.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::plot::{self, DrawResult, Key, Mark};
use super::style::{self, BETTER, GREY, INK, NOTE_PX, WORSE};
use super::{Chart, Figure, Formats};
use crate::error::AppError;
use crate::kpi::{Case, Cut, Kpi, KpiValue, Selection};

struct Nps {
    months: Vec<String>,
    /// Promoters, passives, detractors.
    shares: Vec<[f64; 3]>,
    nps: Vec<Option<KpiValue>>,
}

const COLORS: [RGBColor; 3] = [BETTER, RGBColor(190, 190, 190), WORSE];
const NAMES: [&str; 3] = ["promoters (9-10)", "passives (7-8)", "detractors (0-6)"];

pub fn chart(case: &Case, formats: Formats) -> Result<Chart, AppError> {
    let all = Selection::default();
    let mix = case
        .nps_mix(&[Cut::Month], &all)
        .map_err(|e| AppError::Output(format!("chart: {e}")))?;
    let rows = super::rows(case, &[Cut::Month], &[Kpi::Nps])?;
    let fig = Nps {
        months: mix.iter().map(|(l, _)| l[0].1.clone()).collect(),
        shares: mix.iter().map(|(_, m)| m.shares()).collect(),
        nps: mix
            .iter()
            .map(|(l, _)| {
                rows.iter()
                    .find(|r| r.group == *l)
                    .and_then(|r| r.kpis.get(&Kpi::Nps).cloned())
            })
            .collect(),
    };
    super::render(
        "nps_by_month",
        "NPS by month: promoters, passives and detractors",
        "NPS is the green share minus the red one; the number above each month gives it with its 95% interval and answer count.",
        &fig,
        formats,
    )
}

impl Figure for Nps {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        let legend: Vec<Key> = (0..3).map(|i| Key::new(NAMES[i], COLORS[i], Mark::Block)).collect();
        let area = plot::frame(
            root,
            "NPS by month: promoters, passives and detractors",
            &legend,
            "Share of the month's survey answers (axis 0-100%). Above each bar: NPS ± its 95% half-interval, and n.",
        )?;
        let n = self.months.len().max(1);
        let labels = self.months.clone();
        let mut chart = plot::builder(&area, 76).build_cartesian_2d((0..n - 1).into_segmented(), 0.0..1.14)?;
        plot::house_style(&mut chart.configure_mesh())
            .disable_x_mesh()
            .y_labels(6)
            .x_label_formatter(&|x| match x {
                SegmentValue::CenterOf(i) => labels.get(*i).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .y_label_formatter(&|y| if *y <= 1.0001 { plot::pct(*y) } else { String::new() })
            .x_desc("month the survey was answered")
            .y_desc("% of answers")
            .draw()?;
        for (i, s) in self.shares.iter().enumerate() {
            let mut base = 0.0;
            for j in [2, 1, 0] {
                let rect = [
                    (SegmentValue::Exact(i), base),
                    (SegmentValue::Exact(i + 1), base + s[j]),
                ];
                chart.draw_series(std::iter::once(Rectangle::new(rect.clone(), COLORS[j].filled())))?;
                chart.draw_series(std::iter::once(Rectangle::new(rect, WHITE.stroke_width(1))))?;
                base += s[j];
            }
            if let Some(v) = &self.nps[i]
                && let Some(x) = v.value
            {
                let half = v
                    .ci95
                    .map_or(String::new(), |(lo, hi)| format!(" ±{:.0}", (hi - lo) / 2.0));
                let at = Pos::new(HPos::Center, VPos::Bottom);
                let color = if v.small { GREY } else { INK };
                chart.draw_series(std::iter::once(Text::new(
                    format!("{x:+.0}{half}"),
                    (SegmentValue::CenterOf(i), 1.075),
                    style::text(NOTE_PX, color).pos(at),
                )))?;
                chart.draw_series(std::iter::once(Text::new(
                    format!("n={}", plot::thousands(v.n as f64)),
                    (SegmentValue::CenterOf(i), 1.015),
                    style::text(NOTE_PX - 1.5, GREY).pos(at),
                )))?;
            }
        }
        Ok(())
    }
}
