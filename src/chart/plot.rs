//! The drawing every chart shares: the frame (title, legend, note), lines over periods with
//! interval bands, and bars or dots per category with intervals and counts. Charts hand these the engine's numbers; nothing
//! here computes a KPI.

use plotters::chart::MeshStyle;
use plotters::coord::Shift;
use plotters::coord::ranged1d::Ranged;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::ops::Range;

use super::style::{self, GREY, GRID, INK, LABEL_PX, NOTE_PX, TICK_PX, TITLE_PX};

/// What drawing returns: plotters' errors, boxed (they differ by backend).
pub type DrawResult<T = ()> = Result<T, Box<dyn std::error::Error>>;

/// How a legend key is drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Mark {
    Line,
    Dashed,
    Block,
    Band,
}

/// One legend entry.
#[derive(Debug, Clone)]
pub struct Key {
    pub name: String,
    pub color: RGBColor,
    pub mark: Mark,
}

impl Key {
    pub fn new(name: impl Into<String>, color: RGBColor, mark: Mark) -> Key {
        Key {
            name: name.into(),
            color,
            mark,
        }
    }
}

/// Fills `root` white, writes the title, the legend under it and the note at the bottom, and
/// returns the area left for the plot.
pub fn frame<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    legend: &[Key],
    note: &str,
) -> DrawResult<DrawingArea<DB, Shift>>
where
    DB::ErrorType: 'static,
{
    root.fill(&WHITE)?;
    let top = Pos::new(HPos::Left, VPos::Top);
    root.draw(&Text::new(
        title.to_string(),
        (16, 12),
        style::text(TITLE_PX, INK).pos(top),
    ))?;
    let mut x = 16;
    for k in legend {
        let y = 50;
        match k.mark {
            Mark::Line => root.draw(&PathElement::new(vec![(x, y), (x + 22, y)], k.color.stroke_width(3)))?,
            Mark::Dashed => {
                for d in [0, 9, 18] {
                    root.draw(&PathElement::new(
                        vec![(x + d, y), (x + d + 5, y)],
                        k.color.stroke_width(3),
                    ))?;
                }
            }
            Mark::Block => root.draw(&Rectangle::new([(x + 3, y - 7), (x + 19, y + 7)], k.color.filled()))?,
            Mark::Band => root.draw(&Rectangle::new(
                [(x, y - 7), (x + 22, y + 7)],
                k.color.mix(0.25).filled(),
            ))?,
        }
        let label = style::text(LABEL_PX - 1.0, INK).pos(Pos::new(HPos::Left, VPos::Center));
        root.draw(&Text::new(k.name.clone(), (x + 28, y), label.clone()))?;
        let (w, _) = root.estimate_text_size(&k.name, &label)?;
        x += 28 + w as i32 + 22;
    }
    let (_, h) = root.dim_in_pixel();
    if !note.is_empty() {
        let bottom = style::text(NOTE_PX, GREY).pos(Pos::new(HPos::Left, VPos::Bottom));
        root.draw(&Text::new(note.to_string(), (16, h as i32 - 8), bottom))?;
    }
    let top_px = if legend.is_empty() { 44 } else { 68 };
    let bottom_px = if note.is_empty() { 6 } else { 26 };
    Ok(root.margin(top_px, bottom_px, 8, 20))
}

/// A chart builder with the shared label areas and right margin, `y_label_px` wide for y labels.
pub fn builder<'a, 'b, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    y_label_px: u32,
) -> ChartBuilder<'a, 'b, DB> {
    let mut b = ChartBuilder::on(area);
    b.x_label_area_size(46).y_label_area_size(y_label_px).margin_right(14);
    b
}

/// The shared look of a mesh: grid lines at the labelled values only, grey axes, the shared fonts.
pub fn house_style<'m, 'a, 'b, X: Ranged, Y: Ranged, DB: DrawingBackend>(
    m: &'m mut MeshStyle<'a, 'b, X, Y, DB>,
) -> &'m mut MeshStyle<'a, 'b, X, Y, DB> {
    m.light_line_style(TRANSPARENT)
        .bold_line_style(GRID)
        .axis_style(GREY)
        .label_style(style::text(TICK_PX, INK))
        .axis_desc_style(style::text(LABEL_PX, INK))
}

/// One value of a line, with its 95% interval; hollow when it rests on few observations.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pt {
    pub y: f64,
    pub band: Option<(f64, f64)>,
    pub hollow: bool,
}

/// A line over the periods of a [`Lines`] (None where a period has no value).
#[derive(Debug, Clone)]
pub struct Line {
    pub name: String,
    pub color: RGBColor,
    pub dashed: bool,
    pub points: Vec<Option<Pt>>,
}

/// Lines over labelled periods.
#[derive(Debug, Clone)]
pub struct Lines {
    pub x_labels: Vec<String>,
    pub x_desc: String,
    pub y_desc: String,
    pub y_range: Range<f64>,
    pub y_fmt: fn(f64) -> String,
    pub lines: Vec<Line>,
}

impl Lines {
    /// Legend keys of the lines (and a band key when any has intervals).
    pub fn keys(&self, band: Option<&str>) -> Vec<Key> {
        let mut keys: Vec<Key> = self
            .lines
            .iter()
            .map(|l| Key::new(&l.name, l.color, if l.dashed { Mark::Dashed } else { Mark::Line }))
            .collect();
        if let Some(b) = band {
            keys.push(Key::new(b, GREY, Mark::Band));
        }
        keys
    }
}

/// The label of period `x` among `labels` when `x` falls on one.
fn label_at(labels: &[String], x: f64) -> String {
    let i = x.round();
    if (x - i).abs() < 1e-6 && i >= 0.0 && (i as usize) < labels.len() {
        labels[i as usize].clone()
    } else {
        String::new()
    }
}

/// Draws `l` in `area`.
pub fn draw_lines<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, l: &Lines) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let n = l.x_labels.len().max(1);
    let mut chart = builder(area, 76).build_cartesian_2d(-0.5..(n as f64 - 0.5), l.y_range.clone())?;
    let labels = l.x_labels.clone();
    let x_fmt = move |x: &f64| label_at(&labels, *x);
    let y_fmt = l.y_fmt;
    house_style(&mut chart.configure_mesh())
        .disable_x_mesh()
        .x_labels(n.min(9))
        .y_labels(7)
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&|y: &f64| y_fmt(*y))
        .x_desc(l.x_desc.as_str())
        .y_desc(l.y_desc.as_str())
        .draw()?;
    for line in &l.lines {
        for run in runs(&line.points) {
            let band: Vec<(f64, f64, f64)> = run
                .iter()
                .filter_map(|(x, p)| p.band.map(|(lo, hi)| (*x, lo, hi)))
                .collect();
            if band.len() == run.len() && band.len() > 1 {
                let mut poly: Vec<(f64, f64)> = band.iter().map(|&(x, _, hi)| (x, hi)).collect();
                poly.extend(band.iter().rev().map(|&(x, lo, _)| (x, lo)));
                chart.draw_series(std::iter::once(Polygon::new(poly, line.color.mix(0.16).filled())))?;
            }
        }
    }
    for line in &l.lines {
        for run in runs(&line.points) {
            let xy: Vec<(f64, f64)> = run.iter().map(|(x, p)| (*x, p.y)).collect();
            let stroke = line.color.stroke_width(2);
            if line.dashed {
                chart.draw_series(DashedLineSeries::new(xy, 7, 5, stroke))?;
            } else {
                chart.draw_series(LineSeries::new(xy, stroke))?;
            }
            for (x, p) in &run {
                if p.hollow {
                    chart.draw_series(std::iter::once(Circle::new((*x, p.y), 4, WHITE.filled())))?;
                    chart.draw_series(std::iter::once(Circle::new((*x, p.y), 4, line.color.stroke_width(2))))?;
                } else if n <= 60 {
                    chart.draw_series(std::iter::once(Circle::new((*x, p.y), 2, line.color.filled())))?;
                }
            }
        }
    }
    Ok(())
}

/// The stretches of consecutive periods with a value, each as (period index, point).
fn runs(points: &[Option<Pt>]) -> Vec<Vec<(f64, Pt)>> {
    let mut out: Vec<Vec<(f64, Pt)>> = vec![Vec::new()];
    for (i, p) in points.iter().enumerate() {
        match p {
            Some(p) => out.last_mut().expect("a run").push((i as f64, *p)),
            None if out.last().is_some_and(|r| !r.is_empty()) => out.push(Vec::new()),
            None => {}
        }
    }
    out.retain(|r| !r.is_empty());
    out
}

/// One category's value in a [`Bars`]: the value, its 95% interval and its count.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bar {
    pub y: f64,
    pub ci: Option<(f64, f64)>,
    pub n: u64,
    pub small: bool,
}

/// One series of bars (or dots) across the categories.
#[derive(Debug, Clone)]
pub struct BarSeries {
    pub name: String,
    pub color: RGBColor,
    pub values: Vec<Option<Bar>>,
}

/// Bars (or dots) per category, side by side per series, with interval whiskers.
#[derive(Debug, Clone)]
pub struct Bars {
    pub categories: Vec<String>,
    pub x_desc: String,
    pub y_desc: String,
    pub y_range: Range<f64>,
    pub y_fmt: fn(f64) -> String,
    pub series: Vec<BarSeries>,
    /// Dots instead of bars (for many categories or an axis that does not start at zero).
    pub dots: bool,
    /// Write each bar's count above its whisker.
    pub show_n: bool,
    /// A dashed horizontal reference line and its label.
    pub reference: Option<(f64, String)>,
}

/// Draws `b` in `area`.
pub fn draw_bars<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, b: &Bars) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let n = b.categories.len().max(1);
    let many = n > 12;
    let labels = b.categories.clone();
    let x_fmt = move |x: &f64| label_at(&labels, *x);
    let y_fmt = b.y_fmt;
    let mut chart = ChartBuilder::on(area)
        .x_label_area_size(if many { 86 } else { 46 })
        .y_label_area_size(76)
        .margin_right(14)
        .build_cartesian_2d(-0.5..(n as f64 - 0.5), b.y_range.clone())?;
    let tick = style::text(if many { TICK_PX - 2.0 } else { TICK_PX }, INK);
    let x_tick = if many {
        tick.transform(FontTransform::Rotate90)
    } else {
        tick.clone()
    };
    house_style(&mut chart.configure_mesh())
        .disable_x_mesh()
        .x_labels(n + 1)
        .y_labels(7)
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&|y: &f64| y_fmt(*y))
        .x_label_style(x_tick)
        .y_label_style(tick)
        .x_desc(b.x_desc.as_str())
        .y_desc(b.y_desc.as_str())
        .draw()?;
    if let Some((y, label)) = &b.reference {
        let ends = vec![(-0.5, *y), (n as f64 - 0.5, *y)];
        chart.draw_series(DashedLineSeries::new(ends, 6, 4, GREY.stroke_width(1)))?;
        let at = Pos::new(HPos::Right, VPos::Bottom);
        chart.draw_series(std::iter::once(Text::new(
            label.clone(),
            (n as f64 - 0.55, *y),
            style::text(NOTE_PX, GREY).pos(at),
        )))?;
    }
    let width = 0.8 / b.series.len().max(1) as f64;
    for (s, series) in b.series.iter().enumerate() {
        for (i, v) in series.values.iter().enumerate() {
            let Some(v) = v else { continue };
            let x0 = i as f64 - 0.4 + s as f64 * width;
            let mid = x0 + width / 2.0;
            if b.dots {
                let r = if many { 3 } else { 5 };
                let fill = if v.small { WHITE.filled() } else { series.color.filled() };
                chart.draw_series(std::iter::once(Circle::new((mid, v.y), r, fill)))?;
                chart.draw_series(std::iter::once(Circle::new(
                    (mid, v.y),
                    r,
                    series.color.stroke_width(2),
                )))?;
            } else {
                let fill = if v.small {
                    series.color.mix(0.3).filled()
                } else {
                    series.color.filled()
                };
                let rect = [(x0 + 0.06 * width, b.y_range.start), (x0 + 0.94 * width, v.y)];
                chart.draw_series(std::iter::once(Rectangle::new(rect, fill)))?;
                chart.draw_series(std::iter::once(Rectangle::new(rect, series.color.stroke_width(1))))?;
            }
            let top = v.ci.map_or(v.y, |(_, hi)| hi.max(v.y));
            if let Some((lo, hi)) = v.ci {
                let cap = width * 0.18;
                for seg in [
                    vec![(mid, lo), (mid, hi)],
                    vec![(mid - cap, lo), (mid + cap, lo)],
                    vec![(mid - cap, hi), (mid + cap, hi)],
                ] {
                    chart.draw_series(std::iter::once(PathElement::new(seg, INK.stroke_width(1))))?;
                }
            }
            if b.show_n {
                let at = Pos::new(HPos::Center, VPos::Bottom);
                chart.draw_series(std::iter::once(Text::new(
                    format!("n={}", thousands(v.n as f64)),
                    (mid, top + (b.y_range.end - b.y_range.start) * 0.012),
                    style::text(NOTE_PX - 1.5, GREY).pos(at),
                )))?;
            }
        }
    }
    Ok(())
}

/// `x` with thousands separators, no decimals.
pub fn thousands(x: f64) -> String {
    crate::kpi::render::thousands(x.round())
}

/// A share (0..1) as a whole percentage.
pub fn pct(y: f64) -> String {
    format!("{:.0}%", 100.0 * y)
}

/// A number with no decimals and thousands separators.
pub fn count(y: f64) -> String {
    thousands(y)
}

/// A number with one decimal where it is small.
pub fn plain(y: f64) -> String {
    if y.abs() < 10.0 && y.fract() != 0.0 {
        format!("{y:.1}")
    } else {
        thousands(y)
    }
}

/// A range from zero to a little above `max` (rates and counts start at zero, so a change is not
/// exaggerated).
pub fn from_zero(max: f64) -> Range<f64> {
    0.0..(max * 1.12).max(1e-9)
}
