//! The `/stats` chart as a PNG image: per product, bars for needed, accepted and received.
//! plotters draws the bars, grid and axis; labels are shaped text ([`text`]) in the font
//! shipped with caremesh, so the legend reads in the person's language, Hindi included.

mod text;

use std::sync::Once;

use plotters::prelude::*;

use crate::lang::{Lang, market as t};
use crate::port::StatRow;
use text::Canvas;

const WIDTH: u32 = 640;
/// Room for the legend above the plot.
const TOP: u32 = 44;
/// Room for product labels left of the plot.
const LABEL_W: u32 = 170;
/// Room for the axis labels below the plot.
const AXIS_H: u32 = 28;
const MARGIN: u32 = 12;
/// Pixels per product: three bars and a gap.
const GROUP_H: u32 = 54;
/// Text sizes, in pixels.
const LABEL_PX: f32 = 17.0;
const VALUE_PX: f32 = 14.0;
/// At most this many products are drawn.
pub const MAX_ROWS: usize = 12;

const INK: [u8; 3] = [33, 37, 41];
/// Needed, accepted, received.
const SERIES: [[u8; 3]; 3] = [[173, 181, 189], [13, 110, 253], [25, 135, 84]];
/// The family plotters draws axis numbers with.
const FAMILY: &str = "caremesh";

/// Why no chart could be made.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    #[error("cannot draw the chart: {0}")]
    Draw(String),
    #[error("cannot encode the chart as PNG: {0}")]
    Encode(#[from] png::EncodingError),
}

/// The chart of `rows` (the first [`MAX_ROWS`]), labelled in `lang`, as PNG bytes.
pub fn stats_png(rows: &[StatRow], lang: Lang) -> Result<Vec<u8>, ChartError> {
    let rows = &rows[..rows.len().min(MAX_ROWS)];
    let height = TOP + rows.len().max(1) as u32 * GROUP_H + AXIS_H + MARGIN;
    let mut pixels = vec![255u8; (WIDTH * height * 3) as usize];
    let values = draw_bars(&mut pixels, height, rows)?;
    let mut canvas = Canvas {
        pixels: &mut pixels,
        width: WIDTH,
        height,
    };
    legend(&mut canvas, lang);
    for (row, (label_y, ends)) in rows.iter().zip(values) {
        product_label(&mut canvas, &row.product, label_y);
        for ((x, y), value) in ends
            .into_iter()
            .zip([row.needed, row.accepted, row.received])
        {
            canvas.text(x + 5.0, y, VALUE_PX, &value.to_string(), INK);
        }
    }
    encode(&pixels, height)
}

/// Where one product's texts go: the label's baseline, and the end of each bar (where its
/// value is written).
type Anchors = (f32, [(f32, f32); 3]);

/// Draws the grid, the axis and the bars; returns where each product's texts go.
fn draw_bars(pixels: &mut [u8], height: u32, rows: &[StatRow]) -> Result<Vec<Anchors>, ChartError> {
    register_font();
    let draw = |e: &dyn std::fmt::Display| ChartError::Draw(e.to_string());
    let root = BitMapBackend::with_buffer(pixels, (WIDTH, height)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| draw(&e))?;
    let max = rows
        .iter()
        .map(|r| r.needed.max(r.accepted).max(r.received))
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    // Four slots per product, top to bottom: three bars and a gap.
    let slots = (rows.len().max(1) * 4) as f64;
    let mut chart = ChartBuilder::on(&root)
        .margin_top(TOP)
        .margin_right(MARGIN * 4)
        .margin_bottom(MARGIN)
        .y_label_area_size(LABEL_W)
        .x_label_area_size(AXIS_H)
        .build_cartesian_2d(0f64..max * 1.12, 0f64..slots)
        .map_err(|e| draw(&e))?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(0)
        .x_labels(6)
        .x_label_formatter(&|v| format!("{v:.0}"))
        .label_style((FAMILY, 13))
        .light_line_style(TRANSPARENT)
        .bold_line_style(RGBColor(222, 226, 230))
        .draw()
        .map_err(|e| draw(&e))?;
    let mut anchors = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        let top = slots - (i * 4) as f64;
        let values = [row.needed, row.accepted, row.received];
        let bars = values.iter().zip(SERIES).enumerate().map(|(j, (v, rgb))| {
            let (y0, y1) = (top - j as f64 - 0.9, top - j as f64 - 0.1);
            Rectangle::new(
                [(0.0, y0), (*v as f64, y1)],
                RGBColor(rgb[0], rgb[1], rgb[2]).filled(),
            )
        });
        chart.draw_series(bars).map_err(|e| draw(&e))?;
        let at = |x: f64, y: f64| {
            let (px, py) = chart.backend_coord(&(x, y));
            (px as f32, py as f32)
        };
        let ends = [0, 1, 2].map(|j| {
            let (x, y) = at(values[j] as f64, top - j as f64 - 0.5);
            (x, y + VALUE_PX * 0.35)
        });
        anchors.push((at(0.0, top - 1.5).1 + LABEL_PX * 0.35, ends));
    }
    root.present().map_err(|e| draw(&e))?;
    Ok(anchors)
}

/// Lets plotters draw axis numbers in the shipped font (once per process).
fn register_font() {
    static REGISTERED: Once = Once::new();
    REGISTERED.call_once(|| {
        if plotters::style::register_font(FAMILY, FontStyle::Normal, text::FONT).is_err() {
            tracing::warn!("the chart font does not load; axis numbers are left out");
        }
    });
}

/// The colour keys and the series' names, in `lang`, across the top.
fn legend(canvas: &mut Canvas<'_>, lang: Lang) {
    let names = [t::CHART_NEEDED, t::CHART_ACCEPTED, t::CHART_RECEIVED];
    let mut x = (MARGIN + LABEL_W) as f32;
    for (name, rgb) in names.iter().zip(SERIES) {
        canvas.rect(x as u32, MARGIN + 6, 14, 14, rgb);
        x += 20.0;
        x += canvas.text(x, (MARGIN + 18) as f32, LABEL_PX, name.pick(lang), INK) + 22.0;
    }
}

/// A product's name left of its bars, shortened to fit.
fn product_label(canvas: &mut Canvas<'_>, product: &str, baseline: f32) {
    let room = (LABEL_W - MARGIN) as f32;
    let mut label: String = product.to_owned();
    while text::shape(&label, LABEL_PX).1 > room && label.chars().count() > 1 {
        label.pop();
        label.pop();
        label.push('…');
    }
    canvas.text(MARGIN as f32, baseline, LABEL_PX, &label, INK);
}

fn encode(pixels: &[u8], height: u32) -> Result<Vec<u8>, ChartError> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, WIDTH, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.write_header()?.write_image_data(pixels)?;
    Ok(out)
}

#[cfg(test)]
mod tests;
