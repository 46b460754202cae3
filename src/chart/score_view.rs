//! The parts of `score --json` that charts and the report draw, read back with errors that name the
//! file and the field: a score is drawn from its file, not re-simulated.

use serde_json::Value;
use std::path::Path;

use crate::error::AppError;
use crate::kpi::Kpi;

/// A mean with its 95% interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Est {
    pub mean: f64,
    pub ci95: Option<(f64, f64)>,
}

/// One KPI's status quo, proposal and paired difference.
#[derive(Debug, Clone, PartialEq)]
pub struct EffectView {
    pub kpi: Kpi,
    pub status_quo: Option<Est>,
    pub proposal: Option<Est>,
    pub difference: Option<Est>,
}

/// One success metric: what was promised and what the replications gave.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricView {
    pub kpi: Kpi,
    /// Its cut, as `name=value` pairs (empty for all tickets).
    pub cut: String,
    pub baseline: Option<f64>,
    pub target: f64,
    pub by_day: u32,
    pub values: Vec<f64>,
    pub probability_reached: f64,
}

/// One weekly KPI over the horizon: per week, the 10th, 50th and 90th percentiles across
/// replications, status quo and proposal.
#[derive(Debug, Clone, PartialEq)]
pub struct WeeklyView {
    pub kpi: Kpi,
    pub status_quo: Vec<Option<[f64; 3]>>,
    pub proposal: Vec<Option<[f64; 3]>>,
}

/// A grade part.
#[derive(Debug, Clone, PartialEq)]
pub struct PartView {
    pub name: String,
    pub points: f64,
    pub max: f64,
    pub reason: String,
}

/// What the charts and the report read of a score.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreView {
    pub replications: u64,
    pub horizon_days: u64,
    pub effects: Vec<EffectView>,
    pub metrics: Vec<MetricView>,
    pub weeks: Vec<String>,
    pub weekly: Vec<WeeklyView>,
    pub total: Option<f64>,
    pub parts: Vec<PartView>,
    pub value_usd: Option<Est>,
    pub cost_usd: f64,
    pub budget_usd: f64,
    pub debrief: Option<String>,
}

struct Reader<'a> {
    file: &'a Path,
}

impl Reader<'_> {
    fn bad(&self, field: &str, what: &str) -> AppError {
        AppError::BadInput {
            file: self.file.display().to_string(),
            message: format!("{field}: {what}"),
        }
    }

    fn get<'v>(&self, v: &'v Value, field: &str) -> Result<&'v Value, AppError> {
        v.get(field)
            .ok_or_else(|| self.bad(field, "missing (is this the output of `supportsim score --json`?)"))
    }

    fn num(&self, v: &Value, field: &str) -> Result<f64, AppError> {
        let x = self.get(v, field)?;
        x.as_f64()
            .ok_or_else(|| self.bad(field, &format!("expected a number, got {x}")))
    }

    fn est(&self, v: &Value, field: &str) -> Result<Option<Est>, AppError> {
        let x = self.get(v, field)?;
        if x.is_null() {
            return Ok(None);
        }
        let mean = self
            .num(x, "mean")
            .map_err(|_| self.bad(field, "expected {\"mean\": number, \"ci95\": [lo, hi]}"))?;
        let ci95 = match x.get("ci95") {
            Some(Value::Array(a)) if a.len() == 2 => match (a[0].as_f64(), a[1].as_f64()) {
                (Some(lo), Some(hi)) => Some((lo, hi)),
                _ => return Err(self.bad(field, "ci95: expected two numbers")),
            },
            _ => None,
        };
        Ok(Some(Est { mean, ci95 }))
    }

    fn kpi(&self, name: &str, field: &str) -> Result<Kpi, AppError> {
        Kpi::ALL
            .into_iter()
            .find(|k| k.name() == name)
            .ok_or_else(|| self.bad(field, &format!("unknown KPI {name:?}")))
    }
}

impl ScoreView {
    /// Reads the score JSON at `path`.
    pub fn read(path: &Path) -> Result<ScoreView, AppError> {
        let text = std::fs::read_to_string(path).map_err(|e| AppError::BadInput {
            file: path.display().to_string(),
            message: format!("cannot read: {e}"),
        })?;
        let v: Value = serde_json::from_str(&text).map_err(|e| AppError::BadInput {
            file: path.display().to_string(),
            message: format!(
                "not JSON (line {}, column {}): write it with `supportsim score --json`",
                e.line(),
                e.column()
            ),
        })?;
        ScoreView::from_json(&v, path)
    }

    /// Reads a parsed score; `path` names it in errors.
    pub fn from_json(v: &Value, path: &Path) -> Result<ScoreView, AppError> {
        let r = Reader { file: path };
        let mut effects = Vec::new();
        let kpis = r
            .get(v, "kpis")?
            .as_object()
            .ok_or_else(|| r.bad("kpis", "expected an object"))?;
        for (name, e) in kpis {
            effects.push(EffectView {
                kpi: r.kpi(name, "kpis")?,
                status_quo: r.est(e, "status_quo")?,
                proposal: r.est(e, "proposal")?,
                difference: r.est(e, "difference")?,
            });
        }
        let mut metrics = Vec::new();
        for (i, m) in r.get(v, "metrics")?.as_array().into_iter().flatten().enumerate() {
            let field = format!("metrics[{i}]");
            let kpi = m
                .get("kpi")
                .and_then(Value::as_str)
                .ok_or_else(|| r.bad(&field, "kpi: missing"))?;
            let cut = m
                .get("where")
                .and_then(Value::as_object)
                .map(|o| {
                    o.iter()
                        .map(|(k, x)| format!("{k}={}", x.as_str().unwrap_or_default()))
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default();
            metrics.push(MetricView {
                kpi: r.kpi(kpi, &field)?,
                cut,
                baseline: m.get("baseline").and_then(Value::as_f64),
                target: r
                    .num(m, "target")
                    .map_err(|_| r.bad(&field, "target: expected a number"))?,
                by_day: m.get("by_day").and_then(Value::as_u64).unwrap_or(0) as u32,
                values: m
                    .get("values")
                    .and_then(Value::as_array)
                    .ok_or_else(|| {
                        r.bad(
                            &field,
                            "values: missing (rerun `supportsim score --json` with this version)",
                        )
                    })?
                    .iter()
                    .filter_map(Value::as_f64)
                    .collect(),
                probability_reached: m.get("probability_reached").and_then(Value::as_f64).unwrap_or(0.0),
            });
        }
        let weekly_v = r
            .get(v, "weekly")
            .map_err(|_| r.bad("weekly", "missing (rerun `supportsim score --json` with this version)"))?;
        let weeks: Vec<String> = r
            .get(weekly_v, "weeks")?
            .as_array()
            .into_iter()
            .flatten()
            .map(|w| w.as_str().unwrap_or_default().to_string())
            .collect();
        let mut weekly = Vec::new();
        for kpi in crate::score::WEEKLY_KPIS {
            let k = r.get(weekly_v, kpi.name())?;
            let side = |s: &str| -> Result<Vec<Option<[f64; 3]>>, AppError> {
                let q = |p: &str| -> Result<Vec<Option<f64>>, AppError> {
                    let field = format!("weekly.{}.{s}.{p}", kpi.name());
                    let a = k
                        .get(s)
                        .and_then(|x| x.get(p))
                        .and_then(Value::as_array)
                        .ok_or_else(|| r.bad(&field, "missing"))?;
                    if a.len() != weeks.len() {
                        return Err(r.bad(&field, &format!("{} values for {} weeks", a.len(), weeks.len())));
                    }
                    Ok(a.iter().map(Value::as_f64).collect())
                };
                let (lo, mid, hi) = (q("p10")?, q("p50")?, q("p90")?);
                Ok((0..weeks.len()).map(|i| Some([lo[i]?, mid[i]?, hi[i]?])).collect())
            };
            weekly.push(WeeklyView {
                kpi,
                status_quo: side("status_quo")?,
                proposal: side("proposal")?,
            });
        }
        let parts = v
            .get("parts")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|p| PartView {
                name: p.get("name").and_then(Value::as_str).unwrap_or_default().to_string(),
                points: p.get("points").and_then(Value::as_f64).unwrap_or(0.0),
                max: p.get("max").and_then(Value::as_f64).unwrap_or(0.0),
                reason: p.get("reason").and_then(Value::as_str).unwrap_or_default().to_string(),
            })
            .collect();
        let cost = r.get(v, "cost_usd")?;
        Ok(ScoreView {
            replications: v.get("replications").and_then(Value::as_u64).unwrap_or(0),
            horizon_days: v.get("horizon_days").and_then(Value::as_u64).unwrap_or(0),
            effects,
            metrics,
            weeks,
            weekly,
            total: v.get("total").and_then(Value::as_f64),
            parts,
            value_usd: r.est(v, "value_usd")?,
            cost_usd: r
                .num(cost, "total")
                .map_err(|_| r.bad("cost_usd.total", "expected a number"))?,
            budget_usd: r.num(v, "budget_usd")?,
            debrief: v.get("debrief").and_then(Value::as_str).map(str::to_string),
        })
    }
}
