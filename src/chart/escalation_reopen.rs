//! Escalation and reopen rates by category with 95% intervals: where tickets bounce, which is
//! where a knowledge gap or a routing rule usually hides.

use super::plot::{self, BarSeries, Bars, Key, Mark};
use super::{Chart, Formats, Framed, style};
use crate::error::AppError;
use crate::kpi::{Case, Cut, Kpi};

pub fn chart(case: &Case, formats: Formats) -> Result<Chart, AppError> {
    let kpis = [Kpi::EscalationRate, Kpi::ReopenRate];
    let rows = super::rows(case, &[Cut::Category], &kpis)?;
    let names = ["escalation rate", "reopen rate"];
    let series: Vec<BarSeries> = kpis
        .iter()
        .zip(names)
        .enumerate()
        .map(|(i, (k, name))| BarSeries {
            name: name.into(),
            color: style::color(i),
            values: rows.iter().map(|r| super::bar(r.kpis.get(k))).collect(),
        })
        .collect();
    let max = series
        .iter()
        .flat_map(|s| s.values.iter().flatten())
        .map(|b| b.ci.map_or(b.y, |c| c.1))
        .fold(0.0, f64::max);
    let legend = series.iter().map(|s| Key::new(&s.name, s.color, Mark::Block)).collect();
    let fig = Framed {
        title: "Escalation and reopen rates by category, with 95% intervals".into(),
        legend,
        note: "Share of the category's tickets; axis from 0%. Pale bars: fewer than 30 tickets.".into(),
        plot: Bars {
            categories: rows.iter().map(|r| r.group[0].1.clone()).collect(),
            x_desc: "ticket category".into(),
            y_desc: "% of the category's tickets".into(),
            y_range: plot::from_zero(max),
            y_fmt: plot::pct,
            series,
            dots: false,
            show_n: false,
            reference: None,
        },
    };
    super::render(
        "escalation_reopen_by_category",
        &fig.title,
        "A category whose bars stand well above the others, with intervals that do not overlap theirs, is where first-line agents cannot finish the job.",
        &fig,
        formats,
    )
}
