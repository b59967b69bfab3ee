//! Paints a [`Chart`] and encodes it as PNG. Layout, top to bottom: the title (left) and "as
//! of" (right), then the plot: a series ([`super::series`]), or a ranking: one bar per label,
//! the label left of it (cut with '…' past a third of the width), the figure right of it; as
//! many rows as fit legibly, then "…and N more".

use tiny_skia::Pixmap;

use super::pen::{BACKGROUND, BAR, INK, Label, MUTED, PAD, SMALL_PX, fill, label, rgb, value_axis};
use super::scale::figure;
pub use super::series::COLUMNS_UP_TO;
use super::text::{self, Align, Canvas};
use super::{Chart, Kind, Size, series};

const TITLE_PX: f32 = 20.0;
/// The thinnest row of a ranking: its label still reads at 9 px.
const MIN_ROW: f32 = 15.0;

/// The chart as PNG bytes: the same chart and size always give the same bytes.
pub fn png(chart: &Chart, size: Size) -> Vec<u8> {
    let mut pixmap = Pixmap::new(size.width, size.height).expect("sizes are bounded");
    pixmap.fill(rgb(BACKGROUND));
    let mut labels = Vec::new();
    let plot_top = header(chart, size, &mut labels);
    match chart.kind {
        Kind::Series => series::draw(&mut pixmap, chart, plot_top, &mut labels),
        Kind::Ranked => ranked(&mut pixmap, chart, plot_top, &mut labels),
    }
    // Text goes on last, over the shapes.
    let (width, height) = (pixmap.width(), pixmap.height());
    let mut canvas = Canvas {
        rgba: pixmap.data_mut(),
        width,
        height,
    };
    for l in labels {
        canvas.draw(&l.text, l.size, l.x, l.y, l.align, l.rgb);
    }
    encode(&pixmap)
}

/// The title and the "as of" line (beside it, or under it when the chart is narrow);
/// returns where the plot may start.
fn header(chart: &Chart, size: Size, labels: &mut Vec<Label>) -> f32 {
    let width = size.width as f32;
    let baseline = PAD + text::cap_height(TITLE_PX);
    let as_of = chart
        .as_of
        .as_ref()
        .map(|t| format!("as of {t}"))
        .unwrap_or_default();
    let as_of_width = text::width(&as_of, SMALL_PX);
    let beside = width - 2.0 * PAD - as_of_width - 16.0 >= width * 0.45;
    let (title_room, plot_top) = if beside || as_of.is_empty() {
        labels.push(label(
            as_of,
            SMALL_PX,
            width - PAD,
            baseline,
            Align::Right,
            MUTED,
        ));
        (width - 2.0 * PAD - as_of_width - 16.0, baseline + 24.0)
    } else {
        let under = baseline + SMALL_PX + 6.0;
        labels.push(label(as_of, SMALL_PX, PAD, under, Align::Left, MUTED));
        (width - 2.0 * PAD, under + 20.0)
    };
    let title = text::fit(&chart.title, TITLE_PX, title_room.max(0.0));
    labels.push(label(title, TITLE_PX, PAD, baseline, Align::Left, INK));
    plot_top
}

/// How many of `total` ranked rows are drawn in `room` pixels: all when they fit at
/// [`MIN_ROW`] each, else one fewer than fit, leaving a row for "…and N more".
fn rows_shown(total: usize, room: f32) -> usize {
    let fits = ((room / MIN_ROW).floor() as usize).max(2);
    if total > fits { fits - 1 } else { total }
}

fn ranked(pixmap: &mut Pixmap, chart: &Chart, top: f32, labels: &mut Vec<Label>) {
    let (w, h) = (pixmap.width() as f32, pixmap.height() as f32);
    // As many rows as fit with legible text; past that, the first ones and "…and N more" in
    // the last row's place (a ranking's first rows are the ones that matter).
    let total = chart.values.len();
    let n = rows_shown(total, h - PAD - top);
    let (values, names) = (&chart.values[..n], &chart.labels[..n]);
    let row = (h - PAD - top) / (n + usize::from(total > n)) as f32;
    let size = (row * 0.62).clamp(9.0, 14.0);
    let (ticks, decimals) = value_axis(values);
    let (lo, hi) = (
        ticks[0].min(0.0),
        values.iter().flatten().copied().fold(0.0, f64::max),
    );
    if total > n {
        let y = top + row * n as f32 + row / 2.0 + text::cap_height(size) / 2.0;
        let more = format!("…and {} more", figure((total - n) as f64, 0));
        labels.push(label(more, size, PAD, y, Align::Left, MUTED));
    }
    let figures: Vec<String> = values
        .iter()
        .map(|v| v.map_or_else(|| "–".to_string(), |v| figure(v, decimals)))
        .collect();
    let figure_width = figures
        .iter()
        .map(|f| text::width(f, size))
        .fold(0.0, f32::max);
    let label_room = (w / 3.0).min(
        names
            .iter()
            .map(|l| text::width(l, size))
            .fold(0.0, f32::max),
    );
    let left = PAD + label_room + 10.0;
    let right = w - PAD - figure_width - 8.0;
    let span = if hi > lo { hi - lo } else { 1.0 };
    let x_of = |v: f64| left + ((v - lo) / span) as f32 * (right - left);
    let zero = x_of(0.0);
    for (i, (v, shown)) in values.iter().zip(figures).enumerate() {
        let y = top + row * i as f32;
        let middle = y + row / 2.0 + text::cap_height(size) / 2.0;
        labels.push(label(
            text::fit(&names[i], size, label_room),
            size,
            PAD,
            middle,
            Align::Left,
            INK,
        ));
        let end = v.map_or(zero, x_of);
        if v.is_some() {
            let thickness = (row * 0.7).max(1.0);
            fill(
                pixmap,
                end.min(zero),
                y + (row - thickness) / 2.0,
                (end - zero).abs(),
                thickness,
                BAR,
            );
        }
        labels.push(label(
            shown,
            size,
            end.max(zero) + 6.0,
            middle,
            Align::Left,
            MUTED,
        ));
    }
    fill(pixmap, zero.round(), top, 1.0, row * n as f32, MUTED);
}

/// RGB PNG (the canvas is opaque, so the alpha channel would only cost bytes). `Fast` is
/// fdeflate: flat chart colours compress well at a fraction of `Balanced`'s time.
fn encode(pixmap: &Pixmap) -> Vec<u8> {
    let rgb: Vec<u8> = pixmap
        .data()
        .chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    let mut writer = encoder.write_header().expect("writing to memory");
    writer.write_image_data(&rgb).expect("writing to memory");
    writer.finish().expect("writing to memory");
    out
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    pub(in crate::chart) fn chart(kind: Kind, labels: &[&str], values: &[Option<f64>]) -> Chart {
        Chart {
            kind,
            title: "Signups per month".into(),
            as_of: Some("2026-12-02 03:10 UTC".into()),
            labels: labels.iter().map(|l| l.to_string()).collect(),
            values: values.to_vec(),
            running: false,
        }
    }

    #[test]
    fn the_same_chart_gives_the_same_bytes() {
        let c = chart(
            Kind::Series,
            &["2026-11", "2026-12"],
            &[Some(3.0), Some(1234.0)],
        );
        let first = png(&c, Size::DEFAULT);
        assert_eq!(first, png(&c, Size::DEFAULT));
        assert!(first.starts_with(b"\x89PNG"));
    }

    #[test]
    fn a_long_ranking_shows_what_fits_and_says_how_many_more() {
        assert_eq!(rows_shown(10, 317.0), 10);
        assert_eq!(rows_shown(21, 317.0), 21);
        assert_eq!(rows_shown(22, 317.0), 20);
        assert_eq!(rows_shown(400, 100.0), 5);
        assert_eq!(rows_shown(400, 1.0), 1);
        // Drawn at the smallest size, with more rows than fit, nothing panics.
        let names: Vec<String> = (0..400).map(|i| format!("Member {i}")).collect();
        let n: Vec<&str> = names.iter().map(String::as_str).collect();
        let values: Vec<Option<f64>> = (0..400).map(|i| Some(f64::from(400 - i))).collect();
        let small = Size {
            width: Size::MIN_WIDTH,
            height: Size::MIN_HEIGHT,
        };
        assert!(png(&chart(Kind::Ranked, &n, &values), small).starts_with(b"\x89PNG"));
    }

    /// Pixels of exactly `rgb` in a PNG this module wrote.
    pub(in crate::chart) fn count(png_bytes: &[u8], rgb: [u8; 3]) -> usize {
        let mut reader = png::Decoder::new(std::io::Cursor::new(png_bytes))
            .read_info()
            .unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        reader.next_frame(&mut buf).unwrap();
        buf.chunks_exact(3).filter(|p| *p == rgb).count()
    }
}
