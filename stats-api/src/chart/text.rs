//! Text on a chart: the one embedded font (DejaVu Sans, subset; see fonts/README.md), measured
//! and drawn glyph by glyph. Labels are member data, so any character must draw: one the font
//! lacks (emoji, Arabic, CJK) is drawn as a box (□), a control character as a space, and text
//! too long for its room is cut with '…'. No shaping: right-to-left text keeps its stored order.

use std::sync::OnceLock;

use ab_glyph::{Font, FontRef, GlyphId, PxScale, ScaleFont, point};

static FONT_BYTES: &[u8] = include_bytes!("../../fonts/DejaVuSans-subset.ttf");

/// Longer labels are cut before measuring: nothing wider fits any chart.
const MAX_CHARS: usize = 200;
const ELLIPSIS: char = '…';
const MISSING: char = '\u{25A1}';

fn font() -> &'static FontRef<'static> {
    static FONT: OnceLock<FontRef<'static>> = OnceLock::new();
    FONT.get_or_init(|| FontRef::try_from_slice(FONT_BYTES).expect("the embedded font parses"))
}

/// The glyph that draws `c`: its own, else a box, else `?`.
fn glyph(c: char) -> GlyphId {
    let font = font();
    let c = if c.is_control() { ' ' } else { c };
    [c, MISSING, '?']
        .into_iter()
        .map(|c| font.glyph_id(c))
        .find(|id| id.0 != 0)
        .unwrap_or(GlyphId(0))
}

/// Glyphs and their pen positions (from 0) for `text` at `size` px, and the total advance.
fn layout(text: &str, size: f32) -> (Vec<(GlyphId, f32)>, f32) {
    let scaled = font().as_scaled(PxScale::from(size));
    let mut x = 0.0;
    let mut previous: Option<GlyphId> = None;
    let mut glyphs = Vec::new();
    for c in text.chars().take(MAX_CHARS + 1) {
        let id = glyph(c);
        if let Some(p) = previous {
            x += scaled.kern(p, id);
        }
        glyphs.push((id, x));
        x += scaled.h_advance(id);
        previous = Some(id);
    }
    (glyphs, x)
}

/// Width in pixels of `text` at `size` px.
pub fn width(text: &str, size: f32) -> f32 {
    layout(text, size).1
}

/// `text` as it fits in `room` pixels: whole, or cut with '…'.
pub fn fit(text: &str, size: f32, room: f32) -> String {
    let text: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let chars: Vec<char> = text.chars().take(MAX_CHARS).collect();
    if chars.len() == text.chars().count() && width(&text, size) <= room {
        return text;
    }
    // Shortest cut first would cost a measure per char; halve instead.
    let (mut lo, mut hi) = (0usize, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let candidate: String = chars[..mid].iter().chain([&ELLIPSIS]).collect();
        if width(&candidate, size) <= room {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    let kept: String = chars[..lo].iter().collect();
    format!("{}{ELLIPSIS}", kept.trim_end())
}

/// Height above the baseline of capitals, for vertical centring.
pub fn cap_height(size: f32) -> f32 {
    size * 0.73
}

/// Where text is placed relative to `x`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Centre,
    Right,
}

/// An opaque RGB canvas the text is blended into (the chart's pixels, row by row).
pub struct Canvas<'a> {
    pub rgba: &'a mut [u8],
    pub width: u32,
    pub height: u32,
}

impl Canvas<'_> {
    /// Draws `text` with its baseline at `y`; pixels outside the canvas are dropped.
    pub fn draw(&mut self, text: &str, size: f32, x: f32, y: f32, align: Align, rgb: [u8; 3]) {
        let (glyphs, total) = layout(text, size);
        let left = match align {
            Align::Left => x,
            Align::Centre => x - total / 2.0,
            Align::Right => x - total,
        };
        let font = font();
        for (id, dx) in glyphs {
            let positioned = id.with_scale_and_position(size, point(left + dx, y));
            let Some(outline) = font.outline_glyph(positioned) else {
                continue; // a space
            };
            let bounds = outline.px_bounds();
            outline.draw(|gx, gy, coverage| {
                let px = bounds.min.x as i64 + i64::from(gx);
                let py = bounds.min.y as i64 + i64::from(gy);
                if px < 0 || py < 0 || px >= i64::from(self.width) || py >= i64::from(self.height) {
                    return;
                }
                let at = ((py as usize) * self.width as usize + px as usize) * 4;
                let a = coverage.clamp(0.0, 1.0);
                for (channel, ink) in rgb.iter().enumerate() {
                    let under = f32::from(self.rgba[at + channel]);
                    self.rgba[at + channel] = (under + (f32::from(*ink) - under) * a).round() as u8;
                }
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_is_cut_with_an_ellipsis_and_short_text_is_kept() {
        assert_eq!(fit("Ada", 12.0, 200.0), "Ada");
        let cut = fit(&"Bartholomew ".repeat(30), 12.0, 120.0);
        assert!(cut.ends_with('…') && width(&cut, 12.0) <= 120.0, "{cut}");
        assert!(cut.starts_with("Bartholomew"), "{cut}");
        assert_eq!(fit("Zoë", 12.0, 1.0), "…");
    }

    #[test]
    fn characters_the_font_lacks_fall_back_to_a_box() {
        let font = font();
        assert_eq!(font.glyph_id('😀').0, 0, "the subset has no emoji");
        assert_eq!(glyph('😀'), font.glyph_id(MISSING));
        assert_eq!(glyph('\u{0639}'), font.glyph_id(MISSING)); // Arabic ain
        assert_ne!(glyph('ë'), font.glyph_id(MISSING));
        assert_ne!(glyph('Ж'), font.glyph_id(MISSING));
        assert_eq!(glyph('\n'), font.glyph_id(' '));
        assert!(width("😀😀", 12.0) > 0.0);
    }
}
