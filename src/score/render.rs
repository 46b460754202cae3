//! How a score reads: one JSON object for machines and a before/after table for people.

use super::{Effect, Estimate, Score};
use super::{usd, usd_ci};
use crate::interventions::proposal::Proposal;
use crate::kpi::Kpi;

/// Each KPI's status quo, proposal and difference as JSON, by KPI name.
fn effects_json(effects: &[Effect]) -> serde_json::Map<String, serde_json::Value> {
    effects
        .iter()
        .map(|e| {
            (
                e.kpi.name().to_string(),
                serde_json::json!({
                    "status_quo": estimate_json(&e.status_quo),
                    "proposal": estimate_json(&e.proposal),
                    "difference": estimate_json(&e.difference),
                }),
            )
        })
        .collect()
}

fn estimate_json(e: &Option<Estimate>) -> serde_json::Value {
    match e {
        None => serde_json::Value::Null,
        Some(e) => serde_json::json!({"mean": e.mean, "ci95": e.ci95.map(|(a, b)| [a, b]), "n": e.n}),
    }
}

impl Score {
    pub fn cost_usd(&self) -> crate::interventions::cost::Cost {
        self.costs.iter().fold(Default::default(), |mut t, (_, c)| {
            t.one_off_usd += c.one_off_usd;
            t.running_usd += c.running_usd;
            t
        })
    }

    /// The score as one JSON object.
    pub fn json(&self, case: serde_json::Value, proposal: &Proposal) -> serde_json::Value {
        let kpis = effects_json(&self.effects);
        let total = self.cost_usd();
        let metrics: Vec<serde_json::Value> = proposal
            .metrics
            .iter()
            .zip(&self.metrics)
            .map(|(m, r)| {
                let (v, p) = (&r.simulated, r.reached);
                let filters: serde_json::Map<String, serde_json::Value> = m
                    .filters
                    .iter()
                    .map(|(c, v)| (c.name().to_string(), serde_json::json!(v)))
                    .collect();
                serde_json::json!({
                    "kpi": m.kpi.name(), "where": filters, "baseline": m.baseline, "target": m.target,
                    "by_day": m.by_day, "simulated": estimate_json(v), "probability_reached": p,
                    "values": r.values,
                })
            })
            .collect();
        let issues: Vec<serde_json::Value> = self
            .issues
            .iter()
            .map(|(kind, filters, effects)| {
                let cut: serde_json::Map<String, serde_json::Value> = filters
                    .iter()
                    .map(|(c, v)| (c.name().to_string(), serde_json::json!(v)))
                    .collect();
                serde_json::json!({"kind": kind, "where": cut, "kpis": effects_json(effects)})
            })
            .collect();
        serde_json::json!({
            "case": case,
            "issues": issues,
            "replications": self.replications,
            "horizon_days": self.horizon_days,
            "kpis": kpis,
            "cost_usd": {
                "one_off": total.one_off_usd,
                "running": total.running_usd,
                "total": total.total_usd(),
                "changes": self.costs.iter().map(|(k, c)| serde_json::json!({"kind": k, "one_off": c.one_off_usd, "running": c.running_usd})).collect::<Vec<_>>(),
            },
            "budget_usd": self.budget_usd,
            "within_budget": total.total_usd() <= self.budget_usd,
            "revenue_kept_usd": estimate_json(&self.revenue_kept_usd),
            "customer_value_months": self.value_months,
            "value_usd": estimate_json(&self.value_usd),
            "metrics": metrics,
            "weekly": self.weekly_json(),
        })
    }

    /// The horizon week by week: `weeks`, and per KPI of [`super::WEEKLY_KPIS`] the status quo's
    /// and the proposal's 10th, 50th and 90th percentiles across replications (null where none).
    fn weekly_json(&self) -> serde_json::Value {
        let mut out = serde_json::Map::new();
        out.insert(
            "weeks".into(),
            serde_json::json!(self.weekly.iter().map(|w| &w.week).collect::<Vec<_>>()),
        );
        for (k, kpi) in super::WEEKLY_KPIS.iter().enumerate() {
            let side = |of: &dyn Fn(&super::WeekBands) -> Option<[f64; 3]>| {
                let q = |i: usize| self.weekly.iter().map(|w| of(w).map(|b| b[i])).collect::<Vec<_>>();
                serde_json::json!({"p10": q(0), "p50": q(1), "p90": q(2)})
            };
            out.insert(
                kpi.name().into(),
                serde_json::json!({
                    "status_quo": side(&|w| w.status_quo[k]),
                    "proposal": side(&|w| w.proposal[k]),
                }),
            );
        }
        serde_json::Value::Object(out)
    }

    /// The score for people: a before/after table with intervals, cost, value and metrics.
    pub fn table(&self) -> String {
        use crate::kpi::render::format_value;
        use std::fmt::Write as _;
        let mut s = format!(
            "{} replications of the {}-day horizon, status quo and proposal on the same random draws\n\n",
            self.replications, self.horizon_days
        );
        let _ = writeln!(
            s,
            "{:<22} {:>12} {:>12} {:>30}",
            "kpi", "status quo", "proposal", "difference [95% CI]"
        );
        for e in &self.effects {
            let show = |x: &Option<Estimate>| x.map_or("-".to_string(), |x| format_value(e.kpi, x.mean));
            let diff = e.difference.map_or("-".to_string(), |d| signed_ci(e.kpi, &d));
            let _ = writeln!(
                s,
                "{:<22} {:>12} {:>12} {:>30}",
                e.kpi.name(),
                show(&e.status_quo),
                show(&e.proposal),
                diff
            );
        }
        let total = self.cost_usd();
        let within = if total.total_usd() <= self.budget_usd {
            "within"
        } else {
            "over"
        };
        let _ = writeln!(
            s,
            "\ncost: {} one-off {} {} running = {}{}, {within} the {} budget",
            usd(total.one_off_usd),
            if total.running_usd < 0.0 { "-" } else { "+" },
            usd(total.running_usd.abs()),
            usd(total.total_usd()),
            if super::saves(total.total_usd()) {
                " (a net saving)"
            } else {
                ""
            },
            usd(self.budget_usd)
        );
        for (k, c) in &self.costs {
            let _ = writeln!(
                s,
                "  {k:<24} {:>10} one-off  {:>10} running",
                usd(c.one_off_usd),
                usd(c.running_usd)
            );
        }
        let or_dash = |e: &Option<Estimate>| e.as_ref().map_or_else(|| "-".into(), usd_ci);
        let _ = writeln!(
            s,
            "value: revenue kept through lower churn ({} months of a customer's revenue) {} minus cost = {}",
            self.value_months,
            or_dash(&self.revenue_kept_usd),
            or_dash(&self.value_usd)
        );
        for (kind, filters, effects) in &self.issues {
            let cut: Vec<String> = filters.iter().map(|(c, v)| format!("{}={v}", c.name())).collect();
            let _ = writeln!(
                s,
                "\nin the cut of hidden issue {kind} ({}), difference [95% CI]:",
                cut.join(",")
            );
            let parts: Vec<String> = effects
                .iter()
                .filter_map(|e| {
                    let d = e.difference?;
                    d.ci95?;
                    Some(format!("{} {}", e.kpi.name(), signed_ci(e.kpi, &d)))
                })
                .collect();
            for chunk in parts.chunks(3) {
                let _ = writeln!(s, "  {}", chunk.join("; "));
            }
        }
        s
    }
}

/// A difference with its sign, in the KPI's unit (shares in points).
fn signed(kpi: Kpi, x: f64) -> String {
    signed_finer(kpi, x, 0)
}

/// [`signed`] with `extra` more decimals than the KPI's own (none for dollars).
fn signed_finer(kpi: Kpi, x: f64, extra: usize) -> String {
    use crate::kpi::Unit;
    let shown = match kpi.unit() {
        Unit::Share => format!("{:.*}", 1 + extra, 100.0 * x.abs()),
        Unit::Minutes | Unit::Points | Unit::Count if extra > 0 => format!("{:.*}", 1 + extra, x.abs()),
        Unit::PerCustomerMonth => format!("{:.*}", 3 + extra, x.abs()),
        _ => crate::kpi::render::format_value(kpi, x.abs()),
    };
    let unit = if kpi.unit() == Unit::Share { " pts" } else { "" };
    format!("{}{shown}{unit}", if x < 0.0 { "-" } else { "+" })
}

/// The extra decimals an interval that excludes zero needs so that neither end reads as zero (a
/// sure rise of 0.02 points is not "+0.0 [+0.0, +0.0]"); at most three.
fn decimals_for(kpi: Kpi, lo: f64, hi: f64) -> usize {
    if lo <= 0.0 && hi >= 0.0 {
        return 0;
    }
    let zero = |x: f64, extra: usize| {
        let text = signed_finer(kpi, x, extra);
        !text.chars().any(|c| c.is_ascii_digit() && c != '0')
    };
    (0..3).find(|&extra| !zero(lo, extra) && !zero(hi, extra)).unwrap_or(3)
}

/// A difference with its sign and its interval: `+3.4 pts [+2.7, +4.1]`.
pub(super) fn signed_ci(kpi: Kpi, d: &Estimate) -> String {
    signed_interval(kpi, d.mean, d.ci95)
}

/// A difference `mean` with its sign and its interval `ci95`, in `kpi`'s unit: what the score's
/// table, the debrief, the charts and the report print.
pub fn signed_interval(kpi: Kpi, mean: f64, ci95: Option<(f64, f64)>) -> String {
    match ci95 {
        Some((lo, hi)) => {
            let extra = decimals_for(kpi, lo, hi);
            let bare = |x: f64| signed_finer(kpi, x, extra).trim_end_matches(" pts").to_string();
            format!("{} [{}, {}]", signed_finer(kpi, mean, extra), bare(lo), bare(hi))
        }
        None => signed(kpi, mean),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sure_difference_never_reads_as_zero() {
        // A sure rise of 0.02 points in churn, and one that may be nothing.
        assert_eq!(
            signed_interval(Kpi::ChurnRate, 0.0002, Some((0.0001, 0.0003))),
            "+0.02 pts [+0.01, +0.03]"
        );
        assert_eq!(
            signed_interval(Kpi::ChurnRate, 0.0002, Some((-0.0001, 0.0003))),
            "+0.0 pts [-0.0, +0.0]"
        );
        assert_eq!(
            signed_interval(Kpi::CsatResponses, -1.0, Some((-1.5, -0.5))),
            "-1 [-1.5, -0.5]"
        );
        assert_eq!(
            signed_interval(Kpi::FirstReplyP90, -0.004, Some((-0.006, -0.002))),
            "-0.004 [-0.006, -0.002]"
        );
        assert_eq!(
            signed_interval(Kpi::Csat, 0.034, Some((0.025, 0.043))),
            "+3.4 pts [+2.5, +4.3]"
        );
    }
}
