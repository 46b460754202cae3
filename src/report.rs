//! `supportsim report`: one self-contained HTML page a reviewer reads in five minutes: the company
//! and its situation (from the candidate's brief, so no hidden issue shows), the headline KPIs with
//! counts and intervals, every chart with a sentence on how to read it, and with a score its total,
//! parts, KPI differences and debrief. Charts are inline SVG, the style and the font inline: the
//! page fetches nothing, and prints on A4 with no chart cut across pages.

use std::fmt::Write as _;

use crate::chart::{self, Chart, Formats, ScoreView};
use crate::error::AppError;
use crate::kpi::render::format_value;
use crate::kpi::{Kpi, OpenCase, Selection, date_of};
use crate::score::{saves, usd};

/// The KPIs the headline table shows, over the whole history.
const HEADLINE: [Kpi; 11] = [
    Kpi::Tickets,
    Kpi::Csat,
    Kpi::Nps,
    Kpi::FirstReplyP50,
    Kpi::FirstReplyP90,
    Kpi::ResolutionP50,
    Kpi::SlaAttainment,
    Kpi::EscalationRate,
    Kpi::ReopenRate,
    Kpi::AbandonmentRate,
    Kpi::ChurnRate,
];

/// The brief's sections the report opens with.
const BRIEF_SECTIONS: [&str; 3] = ["The company", "At a glance", "The situation"];

const CSS: &str = "
body{font-family:'supportsim-sans',sans-serif;color:#222;max-width:1000px;margin:0 auto;padding:24px 28px;line-height:1.45;font-size:15px}
h1{font-size:26px;margin:0 0 4px}h2{font-size:20px;margin:28px 0 8px;border-bottom:2px solid #0072B2;padding-bottom:3px}
h3{font-size:16px;margin:16px 0 6px}h4{font-size:15px;margin:14px 0 4px}ul{margin:4px 0 8px;padding-left:22px}.sub{color:#666;margin:0 0 12px}
table{border-collapse:collapse;margin:8px 0 12px;font-size:14px}th,td{border-bottom:1px solid #ddd;padding:4px 10px;text-align:left;vertical-align:top}
th{background:#f3f6f9}td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
figure{margin:18px 0;break-inside:avoid;page-break-inside:avoid}figure svg{width:100%;height:auto;display:block}
figcaption{font-size:14px;color:#444;margin-top:4px}
.total{font-size:34px;font-weight:bold;color:#0072B2}pre.debrief{white-space:pre-wrap;font-family:inherit;font-size:14px;background:#f7f7f7;padding:10px 14px;border-left:4px solid #E69F00}
code{font-size:13px;background:#f1f1f1;padding:0 3px}
@media print{@page{size:A4;margin:12mm}body{max-width:none;padding:0;font-size:12px}h2,h3,h4{break-after:avoid;page-break-after:avoid}table,pre.debrief{break-inside:avoid}}
";

/// `s` safe in HTML text and attributes.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Inline markdown of the brief (`code` and **bold**) as HTML.
fn inline(s: &str) -> String {
    let mut out = String::new();
    for (i, part) in esc(s).split('`').enumerate() {
        if i % 2 == 1 {
            let _ = write!(out, "<code>{part}</code>");
        } else {
            for (j, p) in part.split("**").enumerate() {
                if j % 2 == 1 {
                    let _ = write!(out, "<b>{p}</b>");
                } else {
                    out.push_str(p);
                }
            }
        }
    }
    out
}

/// The Markdown the case writes (headings, paragraphs, `- ` lists and pipe tables) as HTML, only the
/// `## ` sections `keep` accepts; headings go down one level (`##` to h3, `###` to h4).
fn markdown_html(text: &str, keep: impl Fn(&str) -> bool) -> String {
    let mut out = String::new();
    let mut on = false;
    let mut table: Vec<Vec<String>> = Vec::new();
    let mut list = false;
    let close = |table: &mut Vec<Vec<String>>, list: &mut bool, out: &mut String| {
        if *list {
            out.push_str("</ul>");
            *list = false;
        }
        if table.is_empty() {
            return;
        }
        out.push_str("<table>");
        for (i, row) in table.iter().enumerate() {
            let tag = if i == 0 { "th" } else { "td" };
            out.push_str("<tr>");
            for cell in row {
                let _ = write!(out, "<{tag}>{}</{tag}>", inline(cell));
            }
            out.push_str("</tr>");
        }
        out.push_str("</table>");
        table.clear();
    };
    for line in text.lines() {
        let t = line.trim();
        if let Some(h) = t.strip_prefix("## ") {
            close(&mut table, &mut list, &mut out);
            on = keep(h.trim());
            if on {
                let _ = write!(out, "<h3>{}</h3>", esc(h.trim()));
            }
            continue;
        }
        if !on {
            continue;
        }
        if let Some(h) = t.strip_prefix("### ") {
            close(&mut table, &mut list, &mut out);
            let _ = write!(out, "<h4>{}</h4>", esc(h));
        } else if t.starts_with('|') {
            let cells: Vec<String> = t.trim_matches('|').split('|').map(|c| c.trim().to_string()).collect();
            if !cells.iter().all(|c| c.chars().all(|ch| ch == '-' || ch == ':')) {
                table.push(cells);
            }
        } else if let Some(item) = t.strip_prefix("- ") {
            if !list {
                close(&mut table, &mut list, &mut out);
                out.push_str("<ul>");
                list = true;
            }
            let _ = write!(out, "<li>{}</li>", inline(item));
        } else {
            close(&mut table, &mut list, &mut out);
            if !t.is_empty() {
                let _ = write!(out, "<p>{}</p>", inline(t));
            }
        }
    }
    close(&mut table, &mut list, &mut out);
    out
}

/// The headline KPIs over the whole history, with intervals and counts.
fn headline_html(open: &OpenCase) -> Result<String, AppError> {
    let rows = open
        .case
        .compute(&[], &Selection::default(), &HEADLINE)
        .map_err(|e| AppError::Output(format!("report: {e}")))?;
    let mut out =
        String::from("<table><tr><th>KPI</th><th>value</th><th>95% interval</th><th>n</th><th>unit</th></tr>");
    for k in HEADLINE {
        let Some(v) = rows.first().and_then(|r| r.kpis.get(&k)) else {
            continue;
        };
        let value = v.value.map_or("–".into(), |x| format_value(k, x));
        let ci = v.ci95.map_or(String::new(), |(lo, hi)| {
            format!("{} to {}", format_value(k, lo), format_value(k, hi))
        });
        let _ = write!(
            out,
            "<tr><td>{}</td><td class=n>{value}</td><td class=n>{ci}</td><td class=n>{}</td><td>{}</td></tr>",
            k.name(),
            format_value(Kpi::Tickets, v.n as f64),
            k.unit().label()
        );
    }
    out.push_str("</table>");
    Ok(out)
}

/// A chart as a figure: its SVG inline and its sentence on how to read it.
fn figure_html(c: &Chart) -> String {
    format!(
        "<figure>{}<figcaption><b>{}.</b> {}</figcaption></figure>",
        c.svg.as_deref().unwrap_or_default(),
        esc(&c.title),
        esc(&c.how_to_read)
    )
}

/// An estimate as "mean [lo, hi]" in `kpi`'s unit; a difference signed, as the score prints it.
fn est_text(kpi: Kpi, e: Option<&chart::score_view::Est>, difference: bool) -> String {
    match e {
        None => "–".into(),
        Some(e) if difference => crate::score::signed_interval(kpi, e.mean, e.ci95),
        Some(e) => match e.ci95 {
            Some((lo, hi)) => format!(
                "{} [{}, {}]",
                format_value(kpi, e.mean),
                format_value(kpi, lo),
                format_value(kpi, hi)
            ),
            None => format_value(kpi, e.mean),
        },
    }
}

/// The score's section: total, parts, value and cost, the KPI table and the debrief.
fn score_html(s: &ScoreView) -> String {
    let mut out = String::from("<h2>The score</h2>");
    if let Some(t) = s.total {
        let _ = write!(out, "<p><span class=total>{t:.1}</span> / 100</p>");
    }
    if !s.parts.is_empty() {
        out.push_str("<table><tr><th>part</th><th>points</th><th>why</th></tr>");
        for p in &s.parts {
            let _ = write!(
                out,
                "<tr><td>{}</td><td class=n>{:.1} / {:.0}</td><td>{}</td></tr>",
                esc(&p.name),
                p.points,
                p.max,
                esc(&p.reason)
            );
        }
        out.push_str("</table>");
    }
    let value = s.value_usd.map_or("–".into(), |v| match v.ci95 {
        Some((lo, hi)) => format!("{} [95% interval {} to {}]", usd(v.mean), usd(lo), usd(hi)),
        None => usd(v.mean),
    });
    let cost = if saves(s.cost_usd) {
        format!("a net saving of {} (budget {})", usd(-s.cost_usd), usd(s.budget_usd))
    } else {
        format!("cost {} of a {} budget", usd(s.cost_usd), usd(s.budget_usd))
    };
    let _ = write!(
        out,
        "<p>Value of the plan: <b>{}</b>; {}; {} paired replications of a {}-day horizon.</p>",
        esc(&value),
        esc(&cost),
        s.replications,
        s.horizon_days
    );
    out.push_str("<table><tr><th>KPI</th><th>status quo</th><th>proposal</th><th>difference [95% interval]</th></tr>");
    for e in &s.effects {
        let _ = write!(
            out,
            "<tr><td>{}</td><td class=n>{}</td><td class=n>{}</td><td class=n>{}</td></tr>",
            e.kpi.name(),
            est_text(e.kpi, e.status_quo.as_ref(), false),
            est_text(e.kpi, e.proposal.as_ref(), false),
            est_text(e.kpi, e.difference.as_ref(), true)
        );
    }
    out.push_str("</table>");
    if let Some(d) = &s.debrief {
        // The text's own first line is its heading, which the section's heading replaces.
        let body = d
            .strip_prefix("debrief\n")
            .map_or(d.as_str(), |b| b.trim_start_matches('\n'));
        let _ = write!(out, "<h3>Debrief</h3><pre class=debrief>{}</pre>", esc(body));
    }
    out
}

/// The answer key's section: interviewer/answer_key.md, whole.
fn answer_key_html(open: &OpenCase) -> Result<String, AppError> {
    let path = open.root.join("interviewer/answer_key.md");
    let key = std::fs::read_to_string(&path).map_err(|e| AppError::BadInput {
        file: path.display().to_string(),
        message: format!("cannot read the answer key: {e}"),
    })?;
    Ok(format!(
        "<h2>The answer key (for the interviewer only)</h2>{}",
        markdown_html(&key, |_| true)
    ))
}

/// The report of the case at `open`, with `score` if given, and the answer key if `answer_key`
/// (the interviewer's report; without it the report shows only what the candidate was given).
pub fn html(open: &OpenCase, score: Option<&ScoreView>, answer_key: bool) -> Result<String, AppError> {
    let formats = Formats { svg: true, png: false };
    let charts = chart::charts(&open.case, score, formats)?;
    let brief_path = open.root.join("candidate/brief.md");
    let brief = std::fs::read_to_string(&brief_path).map_err(|e| AppError::BadInput {
        file: brief_path.display().to_string(),
        message: format!("cannot read the brief: {e}"),
    })?;
    let company = brief
        .lines()
        .next()
        .and_then(|l| l.rsplit_once(" — "))
        .map_or(open.manifest.scenario_name.clone(), |(_, c)| c.trim().to_string());
    let (first, last) = (date_of(open.case.first_day), date_of(open.case.last_day));
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html><html lang=en><head><meta charset=utf-8><meta name=viewport content=\"width=device-width,initial-scale=1\">\
         <title>{} — support case report</title><style>{}{CSS}</style></head><body>",
        esc(&company),
        chart::font_face_css()
    );
    let _ = write!(
        out,
        "<h1>{} — customer support case{}</h1><p class=sub>Scenario {}, seed {}: {first} to {last}. Made by supportsim {}.</p>",
        esc(&company),
        if answer_key { ", the interviewer's copy" } else { "" },
        esc(&open.manifest.scenario_name),
        open.manifest.seed,
        env!("CARGO_PKG_VERSION")
    );
    out.push_str(&markdown_html(&brief, |h| BRIEF_SECTIONS.contains(&h)));
    if answer_key {
        out.push_str(&answer_key_html(open)?);
    }
    out.push_str("<h2>Headline KPIs, whole history</h2>");
    out.push_str(&headline_html(open)?);
    let (case_charts, score_charts) = charts.split_at(charts.len().min(chart::CASE_CHARTS));
    if let Some(s) = score {
        out.push_str(&score_html(s));
        for c in score_charts {
            out.push_str(&figure_html(c));
        }
    }
    out.push_str("<h2>The data in charts</h2>");
    for c in case_charts {
        out.push_str(&figure_html(c));
    }
    out.push_str("</body></html>\n");
    Ok(out)
}
