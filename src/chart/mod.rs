//! `supportsim chart`: the case's charts, and with a score its effects, drawn with plotters from
//! the metrics engine's numbers (no KPI is computed here). One file per chart builds its figure;
//! [`plot`] draws the shared kinds and [`style`] holds the size, font and colours. Every figure
//! is drawn once, as SVG; its PNG is that SVG rasterised. The font is compiled in, so both look
//! the same on a machine with no fonts, and output is byte-identical from run to run.

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::error::AppError;
use crate::kpi::Case;

mod churn_experience;
mod csat_agents;
mod csat_weekly;
mod demand_staffing;
mod escalation_reopen;
mod first_reply;
mod horizon;
mod kpi_differences;
mod nps_monthly;
pub mod plot;
mod resolution_weekly;
pub mod score_view;
pub mod style;
mod success_metrics;
mod volume_weekly;

pub use score_view::ScoreView;

/// How many of [`charts`]' charts are the case's (the score's follow).
pub const CASE_CHARTS: usize = 9;

use plot::DrawResult;

/// Which files `chart` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Formats {
    pub svg: bool,
    pub png: bool,
}

/// A drawn chart.
#[derive(Debug, Clone)]
pub struct Chart {
    /// File stem in `charts/`.
    pub name: &'static str,
    pub title: String,
    /// One sentence on how to read it (the report prints it under the chart).
    pub how_to_read: String,
    /// The SVG, without the embedded font ([`with_font`] adds it).
    pub svg: Option<String>,
    pub png: Option<Vec<u8>>,
}

/// Something drawn on a whole chart, on any backend.
pub trait Figure {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static;
}

/// A figure made of the shared frame (title, legend, note) and one kind of plot.
pub struct Framed<P> {
    pub title: String,
    pub legend: Vec<plot::Key>,
    pub note: String,
    pub plot: P,
}

impl Figure for Framed<plot::Lines> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        let area = plot::frame(root, &self.title, &self.legend, &self.note)?;
        plot::draw_lines(&area, &self.plot)
    }
}

impl Figure for Framed<plot::Bars> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        let area = plot::frame(root, &self.title, &self.legend, &self.note)?;
        plot::draw_bars(&area, &self.plot)
    }
}

/// Draws `fig` in the asked formats.
pub fn render(
    name: &'static str,
    title: &str,
    how_to_read: &str,
    fig: &impl Figure,
    formats: Formats,
) -> Result<Chart, AppError> {
    style::register_font();
    let failed = |e: Box<dyn std::error::Error>| AppError::Output(format!("chart {name}: {e}"));
    let (w, h) = style::SIZE_PX;
    let svg = if formats.svg || formats.png {
        let mut s = String::new();
        {
            let root = SVGBackend::with_string(&mut s, (w, h)).into_drawing_area();
            fig.draw(&root).map_err(failed)?;
            root.present().map_err(|e| failed(e.into()))?;
        }
        Some(s)
    } else {
        None
    };
    let png = match (&svg, formats.png) {
        (Some(s), true) => Some(rasterise(s).map_err(|e| AppError::Output(format!("chart {name}: {e}")))?),
        _ => None,
    };
    Ok(Chart {
        name,
        title: title.to_string(),
        how_to_read: how_to_read.to_string(),
        svg: svg.filter(|_| formats.svg),
        png,
    })
}

/// How many PNG pixels a chart pixel becomes: crisp on high-density screens and in slides.
pub const PNG_SCALE: f32 = 2.0;

/// `svg` as a PNG, drawn with the bundled font alone (no system font is looked up).
fn rasterise(svg: &str) -> Result<Vec<u8>, String> {
    use resvg::{tiny_skia, usvg};
    let mut opt = usvg::Options {
        font_family: style::FONT_FAMILY.to_string(),
        ..usvg::Options::default()
    };
    opt.fontdb_mut().load_font_data(style::FONT_TTF.to_vec());
    let tree = usvg::Tree::from_str(svg, &opt).map_err(|e| e.to_string())?;
    let size = tree.size().to_int_size().scale_by(PNG_SCALE).ok_or("empty chart")?;
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height()).ok_or("empty chart")?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(PNG_SCALE, PNG_SCALE),
        &mut pixmap.as_mut(),
    );
    pixmap.encode_png().map_err(|e| e.to_string())
}

/// The CSS rule that declares the bundled font, as a data: URI.
pub fn font_face_css() -> String {
    use base64::Engine;
    format!(
        "@font-face{{font-family:'{}';src:url(data:font/ttf;base64,{}) format('truetype');}}",
        style::FONT_FAMILY,
        base64::engine::general_purpose::STANDARD.encode(style::FONT_TTF)
    )
}

/// `svg` with the bundled font embedded, so it draws the same where the font is not installed.
pub fn with_font(svg: &str) -> String {
    match svg.find('>') {
        Some(i) => format!(
            "{}<defs><style>{}</style></defs>{}",
            &svg[..=i],
            font_face_css(),
            &svg[i + 1..]
        ),
        None => svg.to_string(),
    }
}

/// The case's charts (and, with `score`, the score's), in the order a reader meets them.
pub fn charts(case: &Case, score: Option<&ScoreView>, formats: Formats) -> Result<Vec<Chart>, AppError> {
    use rayon::prelude::*;
    type Build = fn(&Case, Formats) -> Result<Chart, AppError>;
    const CASE: [Build; CASE_CHARTS] = [
        volume_weekly::chart,
        csat_weekly::chart,
        nps_monthly::chart,
        first_reply::chart,
        resolution_weekly::chart,
        demand_staffing::chart,
        escalation_reopen::chart,
        churn_experience::chart,
        csat_agents::chart,
    ];
    // Independent charts, drawn in parallel and collected in order.
    let mut out = CASE
        .par_iter()
        .map(|build| build(case, formats))
        .collect::<Result<Vec<Chart>, AppError>>()?;
    if let Some(s) = score {
        out.push(kpi_differences::chart(s, formats)?);
        out.push(horizon::chart(s, formats)?);
        if !s.metrics.is_empty() {
            out.push(success_metrics::chart(s, formats)?);
        }
    }
    Ok(out)
}

/// The KPI rows of `by` over the whole case (an engine error here is a defect: the cuts are fixed).
fn rows(case: &Case, by: &[crate::kpi::Cut], kpis: &[crate::kpi::Kpi]) -> Result<Vec<crate::kpi::Row>, AppError> {
    case.compute(by, &crate::kpi::Selection::default(), kpis)
        .map_err(|e| AppError::Output(format!("chart: {e}")))
}

/// The case's ISO weeks, each with its days in the case.
type Weeks = Vec<(String, u32)>;

/// One line per value of `cut` over the case's ISO weeks, each week's point made by `point` from
/// its row of `kpis` and the week's days in the case.
fn weekly_lines(
    case: &Case,
    cut: crate::kpi::Cut,
    kpis: &[crate::kpi::Kpi],
    point: impl Fn(&crate::kpi::Row, u32) -> Option<plot::Pt>,
) -> Result<(Weeks, Vec<plot::Line>), AppError> {
    let weeks = case.period_days(crate::kpi::Cut::Week, &crate::kpi::Selection::default());
    let mut lines: Vec<plot::Line> = Vec::new();
    for r in rows(case, &[cut, crate::kpi::Cut::Week], kpis)? {
        let (group, week) = (&r.group[0].1, &r.group[1].1);
        if lines.last().is_none_or(|l| &l.name != group) {
            lines.push(plot::Line {
                name: group.clone(),
                color: style::color(lines.len()),
                dashed: false,
                points: vec![None; weeks.len()],
            });
        }
        if let Some(i) = weeks.iter().position(|w| &w.0 == week) {
            lines.last_mut().expect("a line").points[i] = point(&r, weeks[i].1);
        }
    }
    Ok((weeks, lines))
}

/// A KPI value as a plotted point (None without a value), hollow when small.
fn point(v: Option<&crate::kpi::KpiValue>) -> Option<plot::Pt> {
    let v = v?;
    Some(plot::Pt {
        y: v.value?,
        band: v.ci95,
        hollow: v.small,
    })
}

/// A KPI value as a bar (None without a value).
fn bar(v: Option<&crate::kpi::KpiValue>) -> Option<plot::Bar> {
    let v = v?;
    Some(plot::Bar {
        y: v.value?,
        ci: v.ci95,
        n: v.n,
        small: v.small,
    })
}
