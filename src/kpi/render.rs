//! What `metrics` prints: an aligned table (units in the header, intervals beside values, small
//! groups marked) or one JSON object (a missing value is null, never NaN). Pure: text in, text out.

use serde_json::{Map, Value, json};

use super::table::date_of;
use super::{Cut, Kpi, KpiValue, Row, Unit};

/// What a result is about: the case, the days it covers, its cuts and KPIs, and the KPIs left out
/// (with why) when the user did not name KPIs.
pub struct Report<'a> {
    pub case: Value,
    pub window: Option<(i32, i32)>,
    pub by: &'a [Cut],
    pub kpis: &'a [Kpi],
    pub rows: &'a [Row],
    pub omitted: &'a [(Kpi, String)],
    /// Lines printed under the table.
    pub notes: Vec<String>,
}

fn kpi_json(k: Kpi, v: &KpiValue) -> Value {
    let mut m = Map::new();
    m.insert(
        "value".into(),
        v.value.filter(|x| x.is_finite()).map_or(Value::Null, |x| json!(x)),
    );
    m.insert("n".into(), json!(v.n));
    if matches!(k.unit(), Unit::Share | Unit::Points) {
        m.insert("ci95".into(), v.ci95.map_or(Value::Null, |(lo, hi)| json!([lo, hi])));
    }
    m.insert("small".into(), json!(v.small));
    Value::Object(m)
}

impl Report<'_> {
    /// The result as one JSON object.
    pub fn json(&self) -> Value {
        let day = |d: i32| json!(date_of(d).format("%Y-%m-%d").to_string());
        let rows: Vec<Value> = self
            .rows
            .iter()
            .map(|r| {
                let group: Map<String, Value> = r.group.iter().map(|(c, v)| (c.name().to_string(), json!(v))).collect();
                let kpis: Map<String, Value> = self
                    .kpis
                    .iter()
                    .filter_map(|k| r.kpis.get(k).map(|v| (k.name().to_string(), kpi_json(*k, v))))
                    .collect();
                json!({"group": group, "kpis": kpis})
            })
            .collect();
        let omitted: Map<String, Value> = self
            .omitted
            .iter()
            .map(|(k, why)| (k.name().to_string(), json!(why)))
            .collect();
        json!({
            "case": self.case,
            "period": match self.window {
                Some((a, b)) => json!({"from": day(a), "to": day(b)}),
                None => json!({"from": null, "to": null}),
            },
            "by": self.by.iter().map(|c| c.name()).collect::<Vec<_>>(),
            "kpis": self.kpis.iter().map(|k| k.name()).collect::<Vec<_>>(),
            "rows": rows,
            "omitted": omitted,
        })
    }

    /// The result as an aligned text table.
    pub fn table(&self) -> String {
        let mut header: Vec<(String, String)> = self.by.iter().map(|c| (c.name().to_string(), String::new())).collect();
        for k in self.kpis {
            let unit = k.unit();
            let what = if matches!(unit, Unit::Share | Unit::Points) {
                " [95% CI]"
            } else {
                ""
            };
            let n = if shows_n(*k) { " n" } else { "" };
            header.push((k.name().to_string(), format!("{}{what}{n}", unit.label())));
        }
        let mut lines: Vec<Vec<String>> = vec![
            header.iter().map(|h| h.0.clone()).collect(),
            header.iter().map(|h| h.1.clone()).collect(),
        ];
        for r in self.rows {
            let mut line: Vec<String> = r.group.iter().map(|(_, v)| v.clone()).collect();
            for k in self.kpis {
                line.push(r.kpis.get(k).map_or(String::new(), |v| cell(*k, v)));
            }
            lines.push(line);
        }
        let widths: Vec<usize> = (0..header.len())
            .map(|c| lines.iter().map(|l| l[c].chars().count()).max().unwrap_or(0))
            .collect();
        let mut out = String::new();
        for (i, line) in lines.iter().enumerate() {
            let cells: Vec<String> = line
                .iter()
                .enumerate()
                .map(|(c, text)| {
                    let pad = widths[c] - text.chars().count();
                    if c < self.by.len() || i < 2 {
                        format!("{text}{}", " ".repeat(pad))
                    } else {
                        format!("{}{text}", " ".repeat(pad))
                    }
                })
                .collect();
            out.push_str(cells.join("  ").trim_end());
            out.push('\n');
        }
        let mut notes = self.notes.clone();
        if self.rows.iter().any(|r| r.kpis.values().any(|v| v.small && v.n > 0)) {
            notes.push("* fewer than 30 observations: read with care".into());
        }
        for (k, why) in self.omitted {
            notes.push(format!("{} left out: {why}", k.name()));
        }
        for n in notes {
            out.push_str(&n);
            out.push('\n');
        }
        out
    }
}

/// A value as the table shows it, in the KPI's unit.
pub fn format_value(k: Kpi, x: f64) -> String {
    match k.unit() {
        Unit::Share => format!("{:.1}%", 100.0 * x),
        Unit::Count if x.fract() == 0.0 => thousands(x),
        Unit::Count | Unit::Minutes | Unit::Points => format!("{x:.1}"),
        Unit::PerCustomerMonth => format!("{x:.3}"),
        Unit::Usd => thousands(x.round()),
    }
}

/// `x` rounded to a whole number with thousands separators.
pub fn thousands(x: f64) -> String {
    let digits = format!("{:.0}", x.abs());
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if x < 0.0 { format!("-{out}") } else { out }
}

/// Whether a cell shows its count (a count is its own).
fn shows_n(k: Kpi) -> bool {
    !matches!(k, Kpi::Tickets | Kpi::CsatResponses | Kpi::NpsResponses)
}

fn cell(k: Kpi, v: &KpiValue) -> String {
    let Some(x) = v.value else {
        return format!("- n={}", v.n);
    };
    let mut s = format_value(k, x);
    if let Some((lo, hi)) = v.ci95 {
        match k.unit() {
            Unit::Share => s.push_str(&format!(" [{:.1}, {:.1}]", 100.0 * lo, 100.0 * hi)),
            _ => s.push_str(&format!(" [{lo:.1}, {hi:.1}]")),
        }
    }
    if shows_n(k) {
        s.push_str(&format!(" n={}", v.n));
    }
    if v.small {
        s.push('*');
    }
    s
}
