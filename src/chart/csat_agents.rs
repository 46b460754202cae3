//! CSAT by agent with 95% intervals, agents sorted by CSAT: the small-sample trap made visible.
//! The top and bottom of a league table are mostly the agents with the fewest ratings.

use super::plot::{self, BarSeries, Bars};
use super::{Chart, Formats, Framed, style};
use crate::error::AppError;
use crate::kpi::{Case, Cut, Kpi};

pub fn chart(case: &Case, formats: Formats) -> Result<Chart, AppError> {
    let mut rows = super::rows(case, &[Cut::Agent], &[Kpi::Csat])?;
    rows.retain(|r| !r.group[0].1.is_empty() && r.kpis[&Kpi::Csat].value.is_some());
    rows.sort_by(|a, b| {
        let v = |r: &crate::kpi::Row| r.kpis[&Kpi::Csat].value.unwrap_or(0.0);
        v(a).total_cmp(&v(b)).then_with(|| a.group[0].1.cmp(&b.group[0].1))
    });
    let all = super::rows(case, &[], &[Kpi::Csat])?;
    let overall = all.first().and_then(|r| r.kpis[&Kpi::Csat].value);
    let fig = Framed {
        title: "CSAT by agent, with 95% intervals (lowest to highest)".into(),
        legend: Vec::new(),
        note: "Hollow: fewer than 30 responses. An agent at either end on few ratings is mostly chance; compare intervals, not ranks.".into(),
        plot: Bars {
            categories: rows.iter().map(|r| r.group[0].1.clone()).collect(),
            x_desc: "agent (the assignee of the rated ticket)".into(),
            y_desc: "CSAT, % of responses satisfied".into(),
            y_range: 0.0..1.03,
            y_fmt: plot::pct,
            series: vec![BarSeries {
                name: "CSAT".into(),
                color: style::color(0),
                values: rows.iter().map(|r| super::bar(r.kpis.get(&Kpi::Csat))).collect(),
            }],
            dots: true,
            show_n: false,
            reference: overall.map(|v| (v, format!("all agents {}", plot::pct(v)))),
        },
    };
    super::render(
        "csat_by_agent",
        &fig.title,
        "Most intervals cross the dashed all-agent line: only an agent whose whole interval sits away from it differs for sure.",
        &fig,
        formats,
    )
}
