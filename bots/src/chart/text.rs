//! Text for the charts: shaped with rustybuzz (so Devanagari conjuncts and vowel signs come
//! out right, not as a row of separate letters) and drawn glyph by glyph with ab_glyph, in
//! the font shipped in `bots/fonts` (Noto Sans with Noto Sans Devanagari, OFL-1.1).

use std::sync::OnceLock;

use ab_glyph::{Font, FontRef, GlyphId, point};

/// Noto Sans (Latin) and Noto Sans Devanagari merged into one face; see
/// `scripts/subset-font.sh`.
pub(super) static FONT: &[u8] = include_bytes!("../../fonts/NotoSans-LatinDevanagari.ttf");

/// One font, read twice: by the shaper and by the rasterizer.
struct Face {
    shaper: rustybuzz::Face<'static>,
    glyphs: FontRef<'static>,
}

fn face() -> Option<&'static Face> {
    static FACE: OnceLock<Option<Face>> = OnceLock::new();
    FACE.get_or_init(|| {
        Some(Face {
            shaper: rustybuzz::Face::from_slice(FONT, 0)?,
            glyphs: FontRef::try_from_slice(FONT).ok()?,
        })
    })
    .as_ref()
}

/// A glyph placed on a line, in pixels from the text's start on the baseline.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Placed {
    pub id: u16,
    pub x: f32,
    pub y: f32,
}

/// `text` shaped at `size` pixels (the font's ascent-to-descent height): its glyphs and
/// its width. Empty when the font cannot be read.
pub(super) fn shape(text: &str, size: f32) -> (Vec<Placed>, f32) {
    let Some(face) = face() else {
        return (Vec::new(), 0.0);
    };
    let mut buffer = rustybuzz::UnicodeBuffer::new();
    buffer.push_str(text);
    buffer.guess_segment_properties();
    let shaped = rustybuzz::shape(&face.shaper, &[], buffer);
    let per_unit = size / face.glyphs.height_unscaled();
    let mut pen = 0.0;
    let placed = shaped
        .glyph_infos()
        .iter()
        .zip(shaped.glyph_positions())
        .map(|(info, pos)| {
            let glyph = Placed {
                id: u16::try_from(info.glyph_id).unwrap_or(0),
                x: pen + pos.x_offset as f32 * per_unit,
                y: -(pos.y_offset as f32) * per_unit,
            };
            pen += pos.x_advance as f32 * per_unit;
            glyph
        })
        .collect();
    (placed, pen)
}

/// An RGB image being drawn on.
pub(super) struct Canvas<'a> {
    pub pixels: &'a mut [u8],
    pub width: u32,
    pub height: u32,
}

impl Canvas<'_> {
    /// Draws `text` at `size` pixels with its baseline starting at (`x`, `baseline`),
    /// blending `rgb` over what is there; returns the width drawn.
    pub fn text(&mut self, x: f32, baseline: f32, size: f32, text: &str, rgb: [u8; 3]) -> f32 {
        let Some(face) = face() else {
            return 0.0;
        };
        let (glyphs, width) = shape(text, size);
        for g in glyphs {
            let glyph = GlyphId(g.id).with_scale_and_position(size, point(x + g.x, baseline + g.y));
            let Some(outline) = face.glyphs.outline_glyph(glyph) else {
                continue;
            };
            let bounds = outline.px_bounds();
            outline.draw(|gx, gy, coverage| {
                let px = bounds.min.x as i64 + i64::from(gx);
                let py = bounds.min.y as i64 + i64::from(gy);
                self.blend(px, py, rgb, coverage);
            });
        }
        width
    }

    /// Fills a rectangle (clipped to the canvas).
    pub fn rect(&mut self, x: u32, y: u32, width: u32, height: u32, rgb: [u8; 3]) {
        for row in y..(y + height).min(self.height) {
            for col in x..(x + width).min(self.width) {
                let at = (row as usize * self.width as usize + col as usize) * 3;
                self.pixels[at..at + 3].copy_from_slice(&rgb);
            }
        }
    }

    fn blend(&mut self, x: i64, y: i64, rgb: [u8; 3], alpha: f32) {
        let (Ok(x), Ok(y)) = (u32::try_from(x), u32::try_from(y)) else {
            return;
        };
        if x >= self.width || y >= self.height {
            return;
        }
        let at = (y as usize * self.width as usize + x as usize) * 3;
        let alpha = alpha.clamp(0.0, 1.0);
        for (dst, src) in self.pixels[at..at + 3].iter_mut().zip(rgb) {
            *dst = (f32::from(*dst) * (1.0 - alpha) + f32::from(src) * alpha).round() as u8;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devanagari_is_shaped_into_conjuncts_with_no_missing_glyphs() {
        // क्ष (ka + virama + ssa) and त्र become single conjunct glyphs: 8 characters, fewer
        // glyphs. Without shaping each character would be one glyph.
        let (glyphs, width) = shape("क्षत्रिय", 20.0);
        assert!(glyphs.len() < "क्षत्रिय".chars().count(), "{glyphs:?}");
        assert!(width > 20.0, "{width}");
        for text in ["स्वीकृत", "ज़रूरत", "प्राप्त", "face-shield 200"]
        {
            let (glyphs, _) = shape(text, 20.0);
            assert!(!glyphs.is_empty(), "{text}");
            assert!(
                glyphs.iter().all(|g| g.id != 0),
                "tofu in {text}: {glyphs:?}"
            );
        }
        // The vowel sign ि is written before the consonant it follows in memory: shaping
        // moves it left of क.
        let (glyphs, _) = shape("कि", 20.0);
        assert_eq!(glyphs.len(), 2);
        let (ka, _) = shape("क", 20.0);
        assert_ne!(glyphs[0].id, ka[0].id, "the i sign comes first: {glyphs:?}");
    }

    #[test]
    fn drawn_text_leaves_ink_and_stays_inside() {
        let (width, height) = (120u32, 30u32);
        let mut pixels = vec![255u8; (width * height * 3) as usize];
        let mut canvas = Canvas {
            pixels: &mut pixels,
            width,
            height,
        };
        let drawn = canvas.text(2.0, 22.0, 20.0, "प्राप्त", [0, 0, 0]);
        // Off the canvas: clipped, not a panic.
        canvas.text(100.0, 40.0, 20.0, "received", [0, 0, 0]);
        assert!(drawn > 10.0);
        let ink = pixels.chunks(3).filter(|p| p[0] < 128).count();
        assert!(ink > 60, "{ink}");
    }
}
