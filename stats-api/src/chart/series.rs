//! A series' plot: a y axis from 0 with round ticks and thousands separators, columns for up
//! to [`COLUMNS_UP_TO`] periods (each with its figure), a line beyond; period labels thinned so
//! they never overlap. A newest period that has not ended ([`Chart::running`]) is drawn as
//! partial — a hatched, lighter column, or a dashed last segment to a hollow dot — and a legend
//! above the plot says "<period> so far", so a month a week old does not read as a collapse.

use tiny_skia::{
    FillRule, LineCap, LineJoin, Mask, PathBuilder, Pixmap, Rect, Stroke, StrokeDash, Transform,
};

use super::Chart;
use super::pen::{
    BACKGROUND, BAR, GRID, INK, Label, MUTED, PAD, SMALL_PX, fill, label, paint, value_axis,
};
use super::scale::{decimals_for, figure};
use super::text::{self, Align};

/// Series of at most this many periods are drawn as columns, longer ones as a line.
pub const COLUMNS_UP_TO: usize = 12;

/// The lighter fill of a period still running, under its hatching.
pub(super) const PARTIAL: [u8; 3] = [196, 219, 236];
/// The legend's row above the plot, when there is a running period.
const LEGEND_ROW: f32 = 20.0;

pub(super) fn draw(pixmap: &mut Pixmap, chart: &Chart, top: f32, labels: &mut Vec<Label>) {
    let (w, h) = (pixmap.width() as f32, pixmap.height() as f32);
    let n = chart.values.len();
    let columns = n <= COLUMNS_UP_TO;
    let top = if chart.running {
        legend(pixmap, chart, columns, top, labels);
        top + LEGEND_ROW
    } else {
        top
    };
    let (ticks, decimals) = value_axis(&chart.values);
    let tick_decimals = decimals_for(ticks.iter().copied());
    let tick_text: Vec<String> = ticks.iter().map(|t| figure(*t, tick_decimals)).collect();
    let axis_width = tick_text
        .iter()
        .map(|t| text::width(t, SMALL_PX))
        .fold(0.0, f32::max);
    let (left, right) = (PAD + axis_width + 8.0, w - PAD);
    let bottom = h - PAD - SMALL_PX - 6.0;
    let (lo, hi) = (ticks[0], *ticks.last().expect("at least two ticks"));
    let y_of = |v: f64| bottom - ((v - lo) / (hi - lo)) as f32 * (bottom - top);
    for (t, shown) in ticks.iter().zip(tick_text) {
        let y = y_of(*t).round();
        fill(pixmap, left, y, right - left, 1.0, GRID);
        labels.push(label(
            shown,
            SMALL_PX,
            left - 8.0,
            y + text::cap_height(SMALL_PX) / 2.0,
            Align::Right,
            MUTED,
        ));
    }
    let slot = (right - left) / n as f32;
    let x_of = |i: usize| left + slot * (i as f32 + 0.5);
    let zero = y_of(0.0);
    if columns {
        let bar = slot * 0.7;
        for (i, v) in chart.values.iter().enumerate() {
            let Some(v) = v else { continue };
            let y = y_of(*v);
            let (x, top, height) = (x_of(i) - bar / 2.0, y.min(zero), (zero - y).abs());
            if chart.running && i == n - 1 {
                hatched(pixmap, x, top, bar, height);
            } else {
                fill(pixmap, x, top, bar, height, BAR);
            }
            let shown = figure(*v, decimals);
            if text::width(&shown, SMALL_PX) <= slot - 2.0 {
                let above = if *v >= 0.0 {
                    y - 5.0
                } else {
                    y + SMALL_PX + 3.0
                };
                labels.push(label(shown, SMALL_PX, x_of(i), above, Align::Centre, INK));
            }
        }
    } else {
        line(pixmap, chart, x_of, y_of);
    }
    fill(pixmap, left, zero.round(), right - left, 1.0, MUTED);
    // Period labels: every `step`-th, so that none overlaps the next one shown.
    let widest = chart
        .labels
        .iter()
        .map(|l| text::width(&text::fit(l, SMALL_PX, 140.0), SMALL_PX))
        .fold(0.0, f32::max);
    let step = ((widest + 10.0) / slot).ceil().max(1.0) as usize;
    let room = (slot * step as f32 - 6.0).max(0.0);
    // Count from the last period, so the latest one is always labelled.
    for i in (0..n).rev().step_by(step) {
        labels.push(label(
            text::fit(&chart.labels[i], SMALL_PX, room),
            SMALL_PX,
            x_of(i),
            h - PAD,
            Align::Centre,
            MUTED,
        ));
    }
}

/// "▨ 2026-12 so far", right-aligned above the plot, its mark drawn as the period is.
fn legend(pixmap: &mut Pixmap, chart: &Chart, columns: bool, top: f32, labels: &mut Vec<Label>) {
    let w = pixmap.width() as f32;
    let newest = chart.labels.last().map_or("", String::as_str);
    let words = format!(
        "{} so far",
        text::fit(newest, SMALL_PX, (w / 3.0).max(40.0))
    );
    let right = w - PAD;
    let mark_right = right - text::width(&words, SMALL_PX) - 6.0;
    let middle = top + LEGEND_ROW / 2.0 - 3.0;
    labels.push(label(
        words,
        SMALL_PX,
        right,
        middle + text::cap_height(SMALL_PX) / 2.0,
        Align::Right,
        MUTED,
    ));
    if columns {
        hatched(pixmap, mark_right - 12.0, middle - 6.0, 12.0, 12.0);
    } else {
        let mut path = PathBuilder::new();
        path.move_to(mark_right - 26.0, middle);
        path.line_to(mark_right - 4.0, middle);
        if let Some(path) = path.finish() {
            pixmap.stroke_path(&path, &paint(BAR), &dashed(), Transform::identity(), None);
        }
        hollow_dot(pixmap, mark_right - 4.0, middle);
    }
}

/// A column of a period still running: lighter, with diagonal hatching.
fn hatched(pixmap: &mut Pixmap, x: f32, y: f32, width: f32, height: f32) {
    fill(pixmap, x, y, width, height, PARTIAL);
    let (Some(rect), Some(mut mask)) = (
        Rect::from_xywh(x, y, width.max(0.5), height.max(0.5)),
        Mask::new(pixmap.width(), pixmap.height()),
    ) else {
        return;
    };
    mask.fill_path(
        &PathBuilder::from_rect(rect),
        FillRule::Winding,
        false,
        Transform::identity(),
    );
    let mut stripes = PathBuilder::new();
    let mut offset = -height;
    while offset < width {
        stripes.move_to(x + offset, y + height);
        stripes.line_to(x + offset + height, y);
        offset += 7.0;
    }
    let stroke = Stroke {
        width: 2.0,
        ..Stroke::default()
    };
    if let Some(stripes) = stripes.finish() {
        pixmap.stroke_path(
            &stripes,
            &paint(BAR),
            &stroke,
            Transform::identity(),
            Some(&mask),
        );
    }
}

fn line_stroke() -> Stroke {
    Stroke {
        width: 2.5,
        line_cap: LineCap::Round,
        line_join: LineJoin::Round,
        ..Stroke::default()
    }
}

fn dashed() -> Stroke {
    Stroke {
        line_cap: LineCap::Butt,
        dash: StrokeDash::new(vec![5.0, 4.0], 0.0),
        ..line_stroke()
    }
}

fn dot(pixmap: &mut Pixmap, x: f32, y: f32, colour: [u8; 3], radius: f32) {
    if let Some(dot) = PathBuilder::from_circle(x, y, radius) {
        pixmap.fill_path(
            &dot,
            &paint(colour),
            FillRule::Winding,
            Transform::identity(),
            None,
        );
    }
}

/// The newest point of a running period: a ring, not a full dot.
fn hollow_dot(pixmap: &mut Pixmap, x: f32, y: f32) {
    dot(pixmap, x, y, BAR, 4.5);
    dot(pixmap, x, y, BACKGROUND, 2.5);
}

/// The line through the periods, broken where a value is null, with a dot on each period
/// when there are few enough to tell apart. A running newest period is reached by a dashed
/// segment and marked with a ring.
fn line(
    pixmap: &mut Pixmap,
    chart: &Chart,
    x_of: impl Fn(usize) -> f32,
    y_of: impl Fn(f64) -> f32,
) {
    let n = chart.values.len();
    let solid_to = if chart.running { n - 1 } else { n };
    let mut path = PathBuilder::new();
    let mut drawing = false;
    for (i, v) in chart.values.iter().enumerate().take(solid_to) {
        match v {
            Some(v) if drawing => path.line_to(x_of(i), y_of(*v)),
            Some(v) => {
                path.move_to(x_of(i), y_of(*v));
                drawing = true;
            }
            None => drawing = false,
        }
    }
    if let Some(path) = path.finish() {
        pixmap.stroke_path(
            &path,
            &paint(BAR),
            &line_stroke(),
            Transform::identity(),
            None,
        );
    }
    let value = |i: usize| chart.values.get(i).copied().flatten();
    let newest = n - 1;
    if let (true, Some(before), Some(last)) = (
        chart.running,
        newest.checked_sub(1).and_then(value),
        value(newest),
    ) {
        let mut segment = PathBuilder::new();
        segment.move_to(x_of(newest - 1), y_of(before));
        segment.line_to(x_of(newest), y_of(last));
        if let Some(segment) = segment.finish() {
            pixmap.stroke_path(
                &segment,
                &paint(BAR),
                &dashed(),
                Transform::identity(),
                None,
            );
        }
    }
    // Dots on every period when they can be told apart; else only on a period with no
    // neighbour to draw a line to, which would vanish otherwise.
    let dots = n <= 60;
    for (i, v) in chart.values.iter().enumerate() {
        let Some(v) = v else { continue };
        if chart.running && i == newest {
            hollow_dot(pixmap, x_of(i), y_of(*v));
            continue;
        }
        let alone = i.checked_sub(1).and_then(value).is_none() && value(i + 1).is_none();
        if dots || alone {
            dot(pixmap, x_of(i), y_of(*v), BAR, 3.5);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::draw::png;
    use super::super::draw::tests::{chart, count};
    use super::super::{Kind, Size};
    use super::*;

    fn months(n: usize) -> Vec<String> {
        (0..n)
            .map(|i| format!("{}-{:02}", 2025 + i / 12, i % 12 + 1))
            .collect()
    }

    #[test]
    fn a_line_of_many_periods_keeps_a_lone_point_between_gaps() {
        let labels: Vec<String> = (0..100).map(|i| format!("p{i}")).collect();
        let l: Vec<&str> = labels.iter().map(String::as_str).collect();
        let mut values = vec![None; 100];
        values[50] = Some(10.0);
        // One value among gaps has no line to draw: its dot is the only ink of the series.
        let lone = png(&chart(Kind::Series, &l, &values), Size::DEFAULT);
        assert!(count(&lone, BAR) > 10, "the lone point is drawn");
        values[50] = None;
        let none = png(&chart(Kind::Series, &l, &values), Size::DEFAULT);
        assert_eq!(count(&none, BAR), 0);
    }

    #[test]
    fn a_running_period_is_a_hatched_column_and_only_it() {
        let labels = months(6);
        let l: Vec<&str> = labels.iter().map(String::as_str).collect();
        let values = [40.0, 42.0, 39.0, 45.0, 44.0, 12.0].map(Some);
        let mut c = chart(Kind::Series, &l, &values);
        let ended = png(&c, Size::DEFAULT);
        assert_eq!(count(&ended, PARTIAL), 0, "every month had ended");
        c.running = true;
        let running = png(&c, Size::DEFAULT);
        assert!(
            count(&running, PARTIAL) > 100,
            "the hatched column's light fill"
        );
        assert!(
            count(&running, BAR) < count(&ended, BAR),
            "the newest column is no longer solid"
        );
        assert_eq!(running, png(&c, Size::DEFAULT), "same chart, same bytes");
    }

    #[test]
    fn a_running_period_ends_a_line_in_a_dashed_segment_and_a_ring() {
        let labels = months(24);
        let l: Vec<&str> = labels.iter().map(String::as_str).collect();
        let values: Vec<Option<f64>> = (0..24).map(|i| Some(100.0 + f64::from(i))).collect();
        let mut c = chart(Kind::Series, &l, &values);
        c.values[23] = Some(28.0);
        let solid = png(&c, Size::DEFAULT);
        c.running = true;
        let partial = png(&c, Size::DEFAULT);
        assert_ne!(solid, partial);
        // Below the legend, the last period's stretch (the last ~40 px before the right
        // edge) holds less ink: a dashed segment and a ring, not a line and a full dot.
        let last_stretch = |png: &[u8]| count_in(png, BAR, 740..780, 90..400);
        let (a, b) = (last_stretch(&solid), last_stretch(&partial));
        assert!(b > 10 && b * 10 < a * 8, "solid {a} vs dashed {b}");
        assert_eq!(
            count(&partial, PARTIAL),
            0,
            "no column is hatched in a line chart"
        );
    }

    /// Pixels of exactly `rgb` in the rectangle `xs` × `ys` of a PNG this module wrote.
    fn count_in(
        png_bytes: &[u8],
        rgb: [u8; 3],
        xs: std::ops::Range<usize>,
        ys: std::ops::Range<usize>,
    ) -> usize {
        let mut reader = png::Decoder::new(std::io::Cursor::new(png_bytes))
            .read_info()
            .unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buf).unwrap();
        let width = info.width as usize;
        ys.flat_map(|y| xs.clone().map(move |x| (y * width + x) * 3))
            .filter(|&i| buf[i..i + 3] == rgb)
            .count()
    }
}
