use super::*;

/// Width, height and RGB pixels of a PNG.
fn decode(png_bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    let mut reader = decoder.read_info().expect("a PNG header");
    let mut pixels = vec![0; reader.output_buffer_size().expect("a size")];
    let info = reader.next_frame(&mut pixels).expect("a frame");
    assert_eq!(info.color_type, png::ColorType::Rgb);
    pixels.truncate(info.buffer_size());
    (info.width, info.height, pixels)
}

/// The longest run of `rgb` pixels on any line.
fn longest_run(width: u32, pixels: &[u8], rgb: [u8; 3]) -> usize {
    pixels
        .chunks(width as usize * 3)
        .map(|line| {
            let (mut best, mut run) = (0, 0);
            for px in line.chunks(3) {
                run = if px == rgb { run + 1 } else { 0 };
                best = best.max(run);
            }
            best
        })
        .max()
        .unwrap_or(0)
}

fn rows() -> Vec<StatRow> {
    vec![
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
    ]
}

/// Keeps the chart for a person to look at when `CAREMESH_CHART_DIR` names a folder.
fn keep(name: &str, png_bytes: &[u8]) {
    if let Ok(dir) = std::env::var("CAREMESH_CHART_DIR") {
        std::fs::write(std::path::Path::new(&dir).join(name), png_bytes).expect("written");
    }
}

#[test]
fn stats_chart_is_a_valid_png_with_bars_in_proportion() {
    let png_bytes = stats_png(&rows(), Lang::En).expect("a chart");
    keep("stats-en.png", &png_bytes);
    let (w, h, pixels) = decode(&png_bytes);
    assert_eq!(w, WIDTH);
    assert!(h > 100, "{h}");
    let needed = longest_run(w, &pixels, SERIES[0]);
    let accepted = longest_run(w, &pixels, SERIES[1]);
    let received = longest_run(w, &pixels, SERIES[2]);
    assert!(needed > 200, "{needed}");
    assert!(
        (accepted as f64 / needed as f64 - 0.75).abs() < 0.02,
        "{accepted}/{needed}"
    );
    assert!(
        (received as f64 / needed as f64 - 0.5).abs() < 0.02,
        "{received}/{needed}"
    );
    // Text is drawn: dark pixels in the label column left of the plot.
    let ink = pixels
        .chunks(w as usize * 3)
        .flat_map(|line| line[..(LABEL_W * 3) as usize].chunks(3))
        .filter(|px| px.iter().all(|c| *c < 100))
        .count();
    assert!(ink > 150, "{ink}");
    // Nothing to chart still makes an image.
    assert_eq!(decode(&stats_png(&[], Lang::En).expect("a chart")).0, WIDTH);
}

#[test]
fn a_hindi_legend_is_drawn_as_shaped_text() {
    let hindi = stats_png(&rows(), Lang::Hi).expect("a chart");
    keep("stats-hi.png", &hindi);
    let english = stats_png(&rows(), Lang::En).expect("a chart");
    let (w, _, hi) = decode(&hindi);
    let (_, _, en) = decode(&english);
    // The legend band differs (other words) and has ink in both languages.
    let band = |pixels: &[u8]| pixels[..(w * TOP * 3) as usize].to_vec();
    assert_ne!(band(&hi), band(&en));
    let ink = band(&hi)
        .chunks(3)
        .filter(|px| px.iter().all(|c| *c < 100))
        .count();
    assert!(ink > 60, "{ink}");
}
