//! The look every chart shares: size, the bundled font and its sizes, and the Okabe-Ito palette
//! (distinguishable with the common colour-vision deficiencies). One place, so the charts of a
//! case, of a score and of the report read as one set.

use plotters::style::{FontDesc, FontFamily, FontStyle, IntoFont, RGBColor, TextStyle};

/// Width and height of every chart, pixels (the PNG's, and the SVG's at 100% zoom).
pub const SIZE_PX: (u32, u32) = (960, 540);

/// The family name the bundled font is registered and embedded under: a name no system font has,
/// so a viewer never swaps in another font of the same name.
pub const FONT_FAMILY: &str = "supportsim-sans";

/// DejaVu Sans, cut to the characters the charts use and renamed [`FONT_FAMILY`]
/// (assets/fonts/README.md).
pub const FONT_TTF: &[u8] = include_bytes!("../../assets/fonts/supportsim-sans.ttf");

/// Font sizes, pixels.
pub const TITLE_PX: f64 = 21.0;
pub const LABEL_PX: f64 = 15.0;
pub const TICK_PX: f64 = 13.0;
pub const NOTE_PX: f64 = 12.5;

/// Okabe-Ito, in the order series take them: blue, orange, bluish green, vermillion, reddish
/// purple, sky blue, yellow.
pub const PALETTE: [RGBColor; 7] = [
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
    RGBColor(213, 94, 0),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
    RGBColor(240, 228, 66),
];
pub const INK: RGBColor = RGBColor(34, 34, 34);
pub const GREY: RGBColor = RGBColor(120, 120, 120);
pub const GRID: RGBColor = RGBColor(225, 225, 225);
/// Better, worse and unclear, for effects: bluish green, vermillion, grey.
pub const BETTER: RGBColor = PALETTE[2];
pub const WORSE: RGBColor = PALETTE[3];

/// The `i`th series colour (the palette repeats past seven series).
pub fn color(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// The bundled font at `px` pixels.
pub fn font(px: f64) -> FontDesc<'static> {
    (FontFamily::Name(FONT_FAMILY), px, FontStyle::Normal).into_font()
}

/// Text at `px` pixels in `color`.
pub fn text(px: f64, color: RGBColor) -> TextStyle<'static> {
    font(px).color(&color)
}

/// Registers the bundled font with plotters (once per process): it lays text out with it.
pub fn register_font() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // The bytes are the font compiled in; a failure here is a build defect the tests catch.
        let _ = plotters::style::register_font(FONT_FAMILY, FontStyle::Normal, FONT_TTF);
    });
}

/// Viridis at `t` in 0..=1 (perceptually uniform, readable in grey), from nine of its stops.
pub fn viridis(t: f64) -> RGBColor {
    const STOPS: [(u8, u8, u8); 9] = [
        (68, 1, 84),
        (71, 44, 122),
        (59, 81, 139),
        (44, 113, 142),
        (33, 144, 141),
        (39, 173, 129),
        (92, 200, 99),
        (170, 220, 50),
        (253, 231, 37),
    ];
    let x = t.clamp(0.0, 1.0) * (STOPS.len() - 1) as f64;
    let i = (x.floor() as usize).min(STOPS.len() - 2);
    let f = x - i as f64;
    let mix = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * f).round() as u8;
    let (a, b) = (STOPS[i], STOPS[i + 1]);
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}
