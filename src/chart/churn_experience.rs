//! Churn by support experience: do customers who had an effortful ticket leave more often than
//! those whose tickets went smoothly, or who never wrote in? The cohort design (experience in the
//! first half of the history, churn in the second) is the engine's ([`Case::churn_by_experience`]).

use super::plot::{self, BarSeries, Bars};
use super::{Chart, Formats, Framed, style};
use crate::error::AppError;
use crate::kpi::{Case, Selection};

pub fn chart(case: &Case, formats: Formats) -> Result<Chart, AppError> {
    let groups = case.churn_by_experience(&Selection::default());
    let values: Vec<_> = groups.iter().map(|(_, v)| super::bar(Some(v))).collect();
    let max = values
        .iter()
        .flatten()
        .map(|b| b.ci.map_or(b.y, |c| c.1))
        .fold(0.0, f64::max);
    let fig = Framed {
        title: "Churn by support experience, with 95% intervals".into(),
        legend: Vec::new(),
        note: "Customers active mid-history, by their tickets in its first half; churn counted in its second half. \
               Effortful: reopened, escalated, abandoned or 3+ agent replies."
            .into(),
        plot: Bars {
            categories: groups.iter().map(|(e, _)| e.label().to_string()).collect(),
            x_desc: "the customer's tickets in the first half of the history".into(),
            y_desc: "% of those customers who churned later".into(),
            y_range: plot::from_zero(max),
            y_fmt: plot::pct,
            series: vec![BarSeries {
                name: "churn rate".into(),
                color: style::color(0),
                values,
            }],
            dots: false,
            show_n: true,
            reference: None,
        },
    };
    super::render(
        "churn_by_experience",
        &fig.title,
        "If the effortful bar stands clearly above the smooth one, support effort is costing customers; customers with no ticket are the baseline.",
        &fig,
        formats,
    )
}
