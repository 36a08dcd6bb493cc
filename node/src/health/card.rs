//! The `/healthid` card: a PNG with the person's name, number and health address, and a QR
//! code of the address (the `qrcode` crate) that a counter can scan. Text is drawn with the
//! pre-rasterised Noto Sans Mono of `noto-sans-mono-bitmap` (Latin scripts; other characters
//! show as `?` until the chat's shaped text renderer can be shared).

use noto_sans_mono_bitmap::{FontWeight, RasterHeight, get_raster, get_raster_width};
use qrcode::{Color, EcLevel, QrCode};

use super::hid::HealthId;

/// Card size in pixels.
pub const WIDTH: usize = 760;
pub const HEIGHT: usize = 400;
const QR_MODULE: usize = 6;
const QR_QUIET: usize = 4;
const MARGIN: usize = 28;

type Rgb = [u8; 3];
const WHITE: Rgb = [255, 255, 255];
const INK: Rgb = [24, 32, 40];
const GREY: Rgb = [96, 104, 112];
const TEAL: Rgb = [0, 112, 120];

/// Why a card could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum CardError {
    #[error("the health address does not fit in a QR code: {0}")]
    Qr(#[from] qrcode::types::QrError),
    #[error("PNG encoding failed: {0}")]
    Png(#[from] png::EncodingError),
}

/// An RGB picture being drawn.
struct Canvas {
    pixels: Vec<u8>,
}

impl Canvas {
    fn new() -> Self {
        Canvas {
            pixels: WHITE.repeat(WIDTH * HEIGHT),
        }
    }

    /// Blends `color` over pixel (x, y) with coverage `alpha` (0–255).
    fn blend(&mut self, x: usize, y: usize, color: Rgb, alpha: u8) {
        if x >= WIDTH || y >= HEIGHT {
            return;
        }
        let i = (y * WIDTH + x) * 3;
        for (c, &target) in color.iter().enumerate() {
            let old = u32::from(self.pixels[i + c]);
            let a = u32::from(alpha);
            self.pixels[i + c] = ((u32::from(target) * a + old * (255 - a)) / 255) as u8;
        }
    }

    fn fill(&mut self, x: usize, y: usize, w: usize, h: usize, color: Rgb) {
        for yy in y..(y + h).min(HEIGHT) {
            for xx in x..(x + w).min(WIDTH) {
                self.blend(xx, yy, color, 255);
            }
        }
    }

    /// Draws one line of text with its top-left corner at (x, y), cut with `...` to
    /// `max_width`.
    fn text(
        &mut self,
        x: usize,
        y: usize,
        text: &str,
        style: (FontWeight, RasterHeight),
        color: Rgb,
        max_width: usize,
    ) {
        let (weight, size) = style;
        let advance = get_raster_width(weight, size);
        let fits = (max_width / advance).max(4);
        let mut chars: Vec<char> = text.chars().collect();
        if chars.len() > fits {
            chars.truncate(fits - 3);
            chars.extend(['.'; 3]);
        }
        for (i, c) in chars.into_iter().enumerate() {
            let raster = get_raster(c, weight, size).or_else(|| get_raster('?', weight, size));
            let Some(raster) = raster else { continue };
            for (row, line) in raster.rows().enumerate() {
                for (col, &alpha) in line.iter().enumerate() {
                    self.blend(x + i * advance + col, y + row, color, alpha);
                }
            }
        }
    }

    /// Draws a QR code with its quiet zone, top-left at (x, y); answers its side in pixels.
    fn qr(&mut self, x: usize, y: usize, code: &QrCode) -> usize {
        let modules = code.width();
        let side = (modules + 2 * QR_QUIET) * QR_MODULE;
        self.fill(x, y, side, side, WHITE);
        for (i, color) in code.to_colors().into_iter().enumerate() {
            if color == Color::Dark {
                let (mx, my) = (i % modules, i / modules);
                let px = x + (QR_QUIET + mx) * QR_MODULE;
                let py = y + (QR_QUIET + my) * QR_MODULE;
                self.fill(px, py, QR_MODULE, QR_MODULE, INK);
            }
        }
        side
    }

    fn png(&self) -> Result<Vec<u8>, CardError> {
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, WIDTH as u32, HEIGHT as u32);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header()?;
        writer.write_image_data(&self.pixels)?;
        writer.finish()?;
        Ok(out)
    }
}

/// The card of a health ID as PNG bytes. `address` is the health address the QR code holds.
pub fn card_png(name: &str, number: &HealthId, address: &str) -> Result<Vec<u8>, CardError> {
    let code = QrCode::with_error_correction_level(address.as_bytes(), EcLevel::M)?;
    let mut canvas = Canvas::new();
    let big = (FontWeight::Bold, RasterHeight::Size32);
    let small = (FontWeight::Regular, RasterHeight::Size24);
    canvas.fill(0, 0, WIDTH, 72, TEAL);
    canvas.text(
        MARGIN,
        20,
        "caremesh health ID",
        big,
        WHITE,
        WIDTH - 2 * MARGIN,
    );
    let qr_side = (code.width() + 2 * QR_QUIET) * QR_MODULE;
    let qr_x = WIDTH - MARGIN - qr_side;
    let text_width = qr_x.saturating_sub(2 * MARGIN);
    canvas.qr(qr_x, 72 + (HEIGHT - 72 - qr_side) / 2, &code);
    canvas.text(MARGIN, 104, name, big, INK, text_width);
    canvas.text(MARGIN, 164, &number.to_string(), big, TEAL, text_width);
    // The address is what people type: shown whole, on two lines when it is long.
    let per_line = text_width / get_raster_width(small.0, small.1);
    match address.split_once('@') {
        Some((handle, host)) if address.chars().count() > per_line => {
            canvas.text(MARGIN, 218, handle, small, INK, text_width);
            canvas.text(MARGIN, 248, &format!("@{host}"), small, INK, text_width);
        }
        _ => canvas.text(MARGIN, 224, address, small, INK, text_width),
    }
    canvas.text(
        MARGIN,
        310,
        "Show this card at any",
        small,
        GREY,
        text_width,
    );
    canvas.text(MARGIN, 340, "caremesh hospital.", small, GREY, text_width);
    canvas.png()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(png_bytes: &[u8]) -> (png::OutputInfo, Vec<u8>) {
        let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buf).unwrap();
        (info, buf)
    }

    #[test]
    fn the_card_is_a_png_with_a_qr_code_of_the_address() {
        let id = HealthId::from_parts(91000, 12_345_678).unwrap();
        let address = "kamala.devi@node.district-hospital.example";
        let bytes = card_png("Kamala Devi", &id, address).unwrap();
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
        let (info, pixels) = decode(&bytes);
        assert_eq!((info.width as usize, info.height as usize), (WIDTH, HEIGHT));
        // The QR code drawn equals the crate's encoding of the address, module by module.
        let code = QrCode::with_error_correction_level(address, EcLevel::M).unwrap();
        let side = (code.width() + 2 * QR_QUIET) * QR_MODULE;
        let (x0, y0) = (WIDTH - MARGIN - side, 72 + (HEIGHT - 72 - side) / 2);
        for (i, color) in code.to_colors().into_iter().enumerate() {
            let (mx, my) = (i % code.width(), i / code.width());
            let px = x0 + (QR_QUIET + mx) * QR_MODULE + QR_MODULE / 2;
            let py = y0 + (QR_QUIET + my) * QR_MODULE + QR_MODULE / 2;
            let dark = pixels[(py * WIDTH + px) * 3] < 128;
            assert_eq!(dark, color == Color::Dark, "module {mx},{my}");
        }
        // Text was drawn left of the code: some ink in the name's row.
        let row = 104 + 16;
        let inked = (MARGIN..x0)
            .filter(|&x| pixels[(row * WIDTH + x) * 3] < 128)
            .count();
        assert!(inked > 20, "the name row has ink");
    }

    #[test]
    fn long_and_foreign_names_still_draw() {
        let id = HealthId::from_parts(42173, 1).unwrap();
        let long = "A very long name that cannot fit on one line of the card at all";
        assert!(card_png(long, &id, "person@127.0.0.1:7701").is_ok());
        assert!(card_png("कमला देवी", &id, "person@127.0.0.1:7701").is_ok());
        let huge = "x".repeat(3000);
        assert!(matches!(card_png("n", &id, &huge), Err(CardError::Qr(_))));
    }

    #[test]
    #[ignore = "writes the card to target/ to look at it"]
    fn write_card_for_a_look() {
        let id = HealthId::from_parts(91000, 12_345_678).unwrap();
        let png = card_png(
            "Kamala Devi",
            &id,
            "kamala.devi@node.district-hospital.example",
        )
        .unwrap();
        std::fs::write(
            concat!(env!("CARGO_MANIFEST_DIR"), "/../target/healthid-card.png"),
            png,
        )
        .unwrap();
    }
}
