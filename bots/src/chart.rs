//! The `/stats` chart as a PNG image: per product, bars for needed, accepted and received,
//! labelled with a built-in 5×7 pixel font (no font files, nothing to download), encoded
//! with a small PNG writer over zlib.

use std::io::Write;

use crate::port::StatRow;

/// Pixels per font pixel.
const SCALE: usize = 2;
const GLYPH_W: usize = 5;
const GLYPH_H: usize = 7;
const CHAR_W: usize = (GLYPH_W + 1) * SCALE;
const LINE_H: usize = (GLYPH_H + 3) * SCALE;
const WIDTH: usize = 560;
const MARGIN: usize = 12;
/// Characters of a product name shown.
const LABEL_CHARS: usize = 16;
const BAR_H: usize = 12;
const BAR_X: usize = MARGIN + LABEL_CHARS * CHAR_W + MARGIN;
/// Room right of the longest bar for its number.
const NUMBER_ROOM: usize = 7 * CHAR_W;
/// At most this many products are drawn.
pub const MAX_ROWS: usize = 12;

type Rgb = [u8; 3];
const WHITE: Rgb = [255, 255, 255];
const INK: Rgb = [33, 37, 41];
/// Needed, accepted, received.
const SERIES: [(&str, Rgb); 3] = [
    ("needed", [173, 181, 189]),
    ("accepted", [13, 110, 253]),
    ("received", [25, 135, 84]),
];

/// The chart of `rows` (the first [`MAX_ROWS`]) as PNG bytes.
pub fn stats_png(rows: &[StatRow]) -> Vec<u8> {
    let rows = &rows[..rows.len().min(MAX_ROWS)];
    let group_h = 3 * BAR_H + 2 + 14;
    let height = MARGIN + LINE_H + 8 + rows.len().max(1) * group_h + MARGIN;
    let mut canvas = Canvas::new(WIDTH, height);
    // Legend.
    let mut x = MARGIN;
    for (name, colour) in SERIES {
        canvas.fill(x, MARGIN + 2, 12, 12, colour);
        canvas.text(x + 18, MARGIN, name, INK);
        x += 18 + name.len() * CHAR_W + 18;
    }
    let max = rows
        .iter()
        .map(|r| r.needed.max(r.accepted).max(r.received))
        .max()
        .unwrap_or(0);
    let span = WIDTH - BAR_X - MARGIN - NUMBER_ROOM;
    let mut y = MARGIN + LINE_H + 8;
    for row in rows {
        let label: String = row.product.chars().take(LABEL_CHARS).collect();
        canvas.text(MARGIN, y + BAR_H, &label, INK);
        for (i, (value, (_, colour))) in [row.needed, row.accepted, row.received]
            .into_iter()
            .zip(SERIES)
            .enumerate()
        {
            let bar_y = y + i * (BAR_H + 1);
            let len = if max == 0 {
                0
            } else {
                ((value as f64 / max as f64) * span as f64).round() as usize
            };
            canvas.fill(BAR_X, bar_y, len.max(1), BAR_H, colour);
            canvas.text(BAR_X + len + 6, bar_y - 1, &value.to_string(), INK);
        }
        y += group_h;
    }
    canvas.png()
}

/// An RGB pixel buffer.
struct Canvas {
    width: usize,
    height: usize,
    pixels: Vec<u8>,
}

impl Canvas {
    fn new(width: usize, height: usize) -> Self {
        Self {
            width,
            height,
            pixels: WHITE.repeat(width * height),
        }
    }

    fn fill(&mut self, x: usize, y: usize, w: usize, h: usize, colour: Rgb) {
        for row in y..(y + h).min(self.height) {
            for col in x..(x + w).min(self.width) {
                let at = (row * self.width + col) * 3;
                self.pixels[at..at + 3].copy_from_slice(&colour);
            }
        }
    }

    /// Draws `text` with its top-left corner at (`x`, `y`); characters the font lacks
    /// show as `?`.
    fn text(&mut self, x: usize, y: usize, text: &str, colour: Rgb) {
        for (i, c) in text.chars().enumerate() {
            let rows = glyph(c);
            let left = x + i * CHAR_W;
            for (r, bits) in rows.iter().enumerate() {
                for col in 0..GLYPH_W {
                    if bits & (1 << (GLYPH_W - 1 - col)) != 0 {
                        self.fill(left + col * SCALE, y + r * SCALE, SCALE, SCALE, colour);
                    }
                }
            }
        }
    }

    /// The canvas as an 8-bit RGB PNG (filter 0 on every line, zlib-compressed).
    fn png(&self) -> Vec<u8> {
        let mut raw = Vec::with_capacity((self.width * 3 + 1) * self.height);
        for line in self.pixels.chunks(self.width * 3) {
            raw.push(0);
            raw.extend_from_slice(line);
        }
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        // Writing to a Vec cannot fail.
        let _ = z.write_all(&raw);
        let idat = z.finish().unwrap_or_default();
        let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
        let mut header = Vec::with_capacity(13);
        header.extend_from_slice(&(self.width as u32).to_be_bytes());
        header.extend_from_slice(&(self.height as u32).to_be_bytes());
        header.extend_from_slice(&[8, 2, 0, 0, 0]); // 8-bit, RGB, deflate, no filter, no interlace
        chunk(&mut out, b"IHDR", &header);
        chunk(&mut out, b"IDAT", &idat);
        chunk(&mut out, b"IEND", &[]);
        out
    }
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let mut crc = crc32fast::Hasher::new();
    crc.update(kind);
    crc.update(data);
    out.extend_from_slice(&crc.finalize().to_be_bytes());
}

/// The 5×7 rows of a character (bit 4 is the leftmost pixel); lower case for letters.
fn glyph(c: char) -> [u8; GLYPH_H] {
    let c = c.to_ascii_lowercase();
    FONT.iter()
        .find(|(g, _)| *g == c)
        .map(|(_, rows)| *rows)
        .unwrap_or(QUESTION)
}

const QUESTION: [u8; GLYPH_H] = [0x0e, 0x11, 0x01, 0x02, 0x04, 0x00, 0x04];

const FONT: [(char, [u8; GLYPH_H]); 43] = [
    (' ', [0, 0, 0, 0, 0, 0, 0]),
    ('0', [0x0e, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0e]),
    ('1', [0x04, 0x0c, 0x04, 0x04, 0x04, 0x04, 0x0e]),
    ('2', [0x0e, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1f]),
    ('3', [0x1f, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0e]),
    ('4', [0x02, 0x06, 0x0a, 0x12, 0x1f, 0x02, 0x02]),
    ('5', [0x1f, 0x10, 0x1e, 0x01, 0x01, 0x11, 0x0e]),
    ('6', [0x06, 0x08, 0x10, 0x1e, 0x11, 0x11, 0x0e]),
    ('7', [0x1f, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08]),
    ('8', [0x0e, 0x11, 0x11, 0x0e, 0x11, 0x11, 0x0e]),
    ('9', [0x0e, 0x11, 0x11, 0x0f, 0x01, 0x02, 0x0c]),
    ('a', [0x00, 0x00, 0x0e, 0x01, 0x0f, 0x11, 0x0f]),
    ('b', [0x10, 0x10, 0x16, 0x19, 0x11, 0x11, 0x1e]),
    ('c', [0x00, 0x00, 0x0e, 0x10, 0x10, 0x11, 0x0e]),
    ('d', [0x01, 0x01, 0x0d, 0x13, 0x11, 0x11, 0x0f]),
    ('e', [0x00, 0x00, 0x0e, 0x11, 0x1f, 0x10, 0x0e]),
    ('f', [0x06, 0x09, 0x08, 0x1c, 0x08, 0x08, 0x08]),
    ('g', [0x00, 0x0f, 0x11, 0x11, 0x0f, 0x01, 0x0e]),
    ('h', [0x10, 0x10, 0x16, 0x19, 0x11, 0x11, 0x11]),
    ('i', [0x04, 0x00, 0x0c, 0x04, 0x04, 0x04, 0x0e]),
    ('j', [0x02, 0x00, 0x06, 0x02, 0x02, 0x12, 0x0c]),
    ('k', [0x10, 0x10, 0x12, 0x14, 0x18, 0x14, 0x12]),
    ('l', [0x0c, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0e]),
    ('m', [0x00, 0x00, 0x1a, 0x15, 0x15, 0x11, 0x11]),
    ('n', [0x00, 0x00, 0x16, 0x19, 0x11, 0x11, 0x11]),
    ('o', [0x00, 0x00, 0x0e, 0x11, 0x11, 0x11, 0x0e]),
    ('p', [0x00, 0x00, 0x1e, 0x11, 0x1e, 0x10, 0x10]),
    ('q', [0x00, 0x00, 0x0d, 0x13, 0x0f, 0x01, 0x01]),
    ('r', [0x00, 0x00, 0x16, 0x19, 0x10, 0x10, 0x10]),
    ('s', [0x00, 0x00, 0x0e, 0x10, 0x0e, 0x01, 0x1e]),
    ('t', [0x08, 0x08, 0x1c, 0x08, 0x08, 0x09, 0x06]),
    ('u', [0x00, 0x00, 0x11, 0x11, 0x11, 0x13, 0x0d]),
    ('v', [0x00, 0x00, 0x11, 0x11, 0x11, 0x0a, 0x04]),
    ('w', [0x00, 0x00, 0x11, 0x11, 0x15, 0x15, 0x0a]),
    ('x', [0x00, 0x00, 0x11, 0x0a, 0x04, 0x0a, 0x11]),
    ('y', [0x00, 0x00, 0x11, 0x11, 0x0f, 0x01, 0x0e]),
    ('z', [0x00, 0x00, 0x1f, 0x02, 0x04, 0x08, 0x1f]),
    ('-', [0x00, 0x00, 0x00, 0x1f, 0x00, 0x00, 0x00]),
    ('_', [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x1f]),
    ('/', [0x00, 0x01, 0x02, 0x04, 0x08, 0x10, 0x00]),
    ('.', [0x00, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x0c]),
    (':', [0x00, 0x0c, 0x0c, 0x00, 0x0c, 0x0c, 0x00]),
    ('?', QUESTION),
];

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    /// Width, height and the RGB pixels of a PNG this module wrote, checking every chunk's
    /// CRC on the way.
    fn decode(png: &[u8]) -> (usize, usize, Vec<u8>) {
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let (mut at, mut size, mut idat) = (8, (0, 0), Vec::new());
        while at < png.len() {
            let len = u32::from_be_bytes(png[at..at + 4].try_into().unwrap()) as usize;
            let kind = &png[at + 4..at + 8];
            let data = &png[at + 8..at + 8 + len];
            let crc = u32::from_be_bytes(png[at + 8 + len..at + 12 + len].try_into().unwrap());
            let mut h = crc32fast::Hasher::new();
            h.update(kind);
            h.update(data);
            assert_eq!(
                h.finalize(),
                crc,
                "chunk {:?}",
                String::from_utf8_lossy(kind)
            );
            match kind {
                b"IHDR" => {
                    let w = u32::from_be_bytes(data[0..4].try_into().unwrap()) as usize;
                    let h = u32::from_be_bytes(data[4..8].try_into().unwrap()) as usize;
                    assert_eq!(&data[8..], &[8, 2, 0, 0, 0]);
                    size = (w, h);
                }
                b"IDAT" => idat.extend_from_slice(data),
                _ => {}
            }
            at += 12 + len;
        }
        let mut raw = Vec::new();
        flate2::read::ZlibDecoder::new(&idat[..])
            .read_to_end(&mut raw)
            .expect("zlib");
        let (w, h) = size;
        assert_eq!(raw.len(), (w * 3 + 1) * h);
        let pixels = raw
            .chunks(w * 3 + 1)
            .flat_map(|line| {
                assert_eq!(line[0], 0, "filter type 0");
                line[1..].to_vec()
            })
            .collect();
        (w, h, pixels)
    }

    #[test]
    fn stats_chart_is_a_valid_png_with_bars_in_proportion() {
        let rows = vec![
            StatRow {
                product: "face-shield".into(),
                needed: 200,
                accepted: 150,
                received: 100,
            },
            StatRow {
                product: "n95-mask".into(),
                needed: 50,
                accepted: 0,
                received: 0,
            },
        ];
        let (w, h, pixels) = decode(&stats_png(&rows));
        assert_eq!(w, WIDTH);
        assert!(h > 100, "{h}");
        let colour_run = |y: usize, colour: Rgb| {
            (0..w)
                .filter(|x| pixels[(y * w + x) * 3..(y * w + x) * 3 + 3] == colour)
                .count()
        };
        let first = MARGIN + LINE_H + 8 + BAR_H / 2;
        let needed = colour_run(first, SERIES[0].1);
        let accepted = colour_run(first + BAR_H + 1, SERIES[1].1);
        let received = colour_run(first + 2 * (BAR_H + 1), SERIES[2].1);
        assert!(needed > 200, "{needed}");
        assert!((accepted as f64 / needed as f64 - 0.75).abs() < 0.02);
        assert!((received as f64 / needed as f64 - 0.5).abs() < 0.02);
        // Text is drawn: ink pixels in the label column.
        let ink = (0..h).map(|y| colour_run(y, INK)).sum::<usize>();
        assert!(ink > 500, "{ink}");
        // Nothing to chart still makes an image.
        assert_eq!(decode(&stats_png(&[])).0, WIDTH);
    }
}
