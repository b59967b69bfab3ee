//! The chart's pen: its colours and spacing, text placed once the shapes are down, the value
//! axis, and filled shapes; shared by the ranking (`draw`) and the series (`series`).

use tiny_skia::{Color, Paint, Pixmap, Rect, Transform};

use super::scale::{decimals_for, ticks};
use super::text::Align;

pub(super) const BACKGROUND: [u8; 3] = [255, 255, 255];
pub(super) const INK: [u8; 3] = [29, 28, 29];
pub(super) const MUTED: [u8; 3] = [97, 96, 97];
pub(super) const GRID: [u8; 3] = [226, 226, 226];
pub(super) const BAR: [u8; 3] = [18, 100, 163];

pub(super) const PAD: f32 = 20.0;
pub(super) const SMALL_PX: f32 = 12.0;

/// A piece of text to draw once the shapes are down.
pub(super) struct Label {
    pub(super) text: String,
    pub(super) size: f32,
    pub(super) x: f32,
    pub(super) y: f32,
    pub(super) align: Align,
    pub(super) rgb: [u8; 3],
}

pub(super) fn label(text: String, size: f32, x: f32, y: f32, align: Align, rgb: [u8; 3]) -> Label {
    Label {
        text,
        size,
        x,
        y,
        align,
        rgb,
    }
}

/// The value axis: from 0 (or below it for negatives) to past the largest value.
pub(super) fn value_axis(values: &[Option<f64>]) -> (Vec<f64>, usize) {
    let present: Vec<f64> = values.iter().flatten().copied().collect();
    let lo = present.iter().copied().fold(0.0, f64::min);
    let hi = present.iter().copied().fold(0.0, f64::max);
    let decimals = decimals_for(present.iter().copied());
    let min_step = if decimals == 0 { 1.0 } else { 0.0 };
    (ticks(lo, hi, 5, min_step), decimals)
}

pub(super) fn rgb(c: [u8; 3]) -> Color {
    Color::from_rgba8(c[0], c[1], c[2], 255)
}

pub(super) fn paint(c: [u8; 3]) -> Paint<'static> {
    let mut paint = Paint::default();
    paint.set_color(rgb(c));
    paint.anti_alias = true;
    paint
}

pub(super) fn fill(pixmap: &mut Pixmap, x: f32, y: f32, width: f32, height: f32, c: [u8; 3]) {
    if let Some(rect) = Rect::from_xywh(x, y, width.max(0.5), height.max(0.5)) {
        pixmap.fill_rect(rect, &paint(c), Transform::identity(), None);
    }
}
