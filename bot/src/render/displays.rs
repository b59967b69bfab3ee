//! A stat's rows as a message: figures (one row), a ranked list, or a series drawn as bars;
//! the last two with the stats API's chart as an image block when it sent a `chart_url`.

use askama::Template;
use stats_contract::{Column, ResponseType, StatResult};

use super::format::{format_value, humanize, numeric};
use crate::error::Result;
use crate::slack::blocks::{self, MAX_FIELDS, MAX_HEADER_TEXT};
use crate::slack::message::Message;

fn header_text(title: &str) -> String {
    blocks::clip(title, MAX_HEADER_TEXT).into_owned()
}

/// The result's own title, else the catalogue's, else the stat's name: Slack refuses a header
/// without text.
fn title_of<'a>(title: &'a str, result: &'a StatResult) -> &'a str {
    [result.title.as_str(), title, result.name.as_str()]
        .into_iter()
        .map(str::trim)
        .find(|t| !t.is_empty())
        .unwrap_or("Stat")
}

/// Labels and values are clipped so the worst case of every template stays inside the limits.
const MAX_LABEL: usize = 80;
const MAX_VALUE: usize = 40;
const MAX_FIGURES: usize = 40;
const MAX_RANKED_ROWS: usize = 20;
const MAX_SERIES_ROWS: usize = 24;
const MAX_PERIOD: usize = 12;
const MAX_SERIES_VALUE: usize = 16;
const BAR_WIDTH: usize = 20;

/// Alt text long enough for a screen reader's summary; escaping may grow it up to 5×, and
/// Slack takes at most `MAX_ALT_TEXT`.
const MAX_ALT: usize = blocks::MAX_ALT_TEXT / 5;

/// The chart beside the text (which stays, for notifications and screen readers).
pub struct ChartImage {
    /// The link as a JSON string: a URL is not mrkdwn, so it skips the Slack escaper.
    pub url_json: String,
    /// The title and the figures in words.
    pub alt: String,
}

/// The image block's content, when the answer carries a link Slack can fetch.
fn chart_image(title: &str, result: &StatResult, pairs: &[(&str, &str)]) -> Option<ChartImage> {
    let url = result.chart_url.as_deref()?;
    if !(url.starts_with("https://") || url.starts_with("http://"))
        || url.len() > blocks::MAX_IMAGE_URL
    {
        return None;
    }
    let figures: Vec<String> = pairs
        .iter()
        .map(|(label, value)| format!("{} {}", label.trim(), value.trim()))
        .collect();
    let alt = format!("Chart: {title}: {}", figures.join(", "));
    Some(ChartImage {
        url_json: serde_json::to_string(url).expect("a string serializes"),
        alt: blocks::clip(&alt, MAX_ALT).into_owned(),
    })
}

pub struct Figure {
    pub label: String,
    pub value: String,
}

#[derive(Template)]
#[template(path = "render/figures.json")]
struct FiguresView<'a> {
    response_type: &'static str,
    title: String,
    sections: Vec<&'a [Figure]>,
    preview: &'a [Figure],
    more: usize,
    truncated: bool,
}

/// One row, every column a figure.
pub fn figures(title: &str, response_type: ResponseType, result: &StatResult) -> Result<Message> {
    let figures: Vec<Figure> = if result.rows.is_empty() {
        Vec::new()
    } else {
        result
            .columns
            .iter()
            .map(|column| Figure {
                label: blocks::clip(&humanize(&column.name), MAX_LABEL).into_owned(),
                value: cell(result, 0, column, MAX_VALUE * 4),
            })
            .collect()
    };
    let shown = figures.len().min(MAX_FIGURES);
    let view = FiguresView {
        response_type: response_type.as_str(),
        title: header_text(title_of(title, result)),
        sections: figures[..shown].chunks(MAX_FIELDS).collect(),
        preview: &figures[..shown.min(3)],
        more: figures.len() - shown,
        truncated: result.truncated,
    };
    Ok(Message::rendered(view.render()?))
}

fn cell(result: &StatResult, row: usize, column: &Column, max: usize) -> String {
    match format_value(result.value(row, &column.name), column.kind) {
        Some(s) => blocks::clip(&s, max).into_owned(),
        None => "—".into(),
    }
}

pub struct RankedRow {
    pub rank: usize,
    pub label: String,
    pub value: String,
}

#[derive(Template)]
#[template(path = "render/ranked.json")]
struct RankedView<'a> {
    response_type: &'static str,
    title: String,
    rows: &'a [RankedRow],
    chart: Option<ChartImage>,
    more: usize,
    truncated: bool,
}

/// Rows; the first column is the label, the last the value.
pub fn ranked(title: &str, response_type: ResponseType, result: &StatResult) -> Result<Message> {
    let (Some(first), Some(last)) = (result.columns.first(), result.columns.last()) else {
        return Err(crate::Error::Rendering(
            "a ranked stat without columns".into(),
        ));
    };
    let rows: Vec<RankedRow> = (0..result.rows.len().min(MAX_RANKED_ROWS))
        .map(|i| RankedRow {
            rank: i + 1,
            label: cell(result, i, first, MAX_LABEL),
            value: cell(result, i, last, MAX_VALUE),
        })
        .collect();
    let title = header_text(title_of(title, result));
    let pairs: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r.label.as_str(), r.value.as_str()))
        .collect();
    let view = RankedView {
        response_type: response_type.as_str(),
        chart: chart_image(&title, result, &pairs),
        title,
        rows: &rows,
        more: result.rows.len() - rows.len(),
        truncated: result.truncated,
    };
    Ok(Message::rendered(view.render()?))
}

pub struct SeriesLine {
    pub period: String,
    pub bar: String,
    pub value: String,
}

#[derive(Template)]
#[template(path = "render/series.json")]
struct SeriesView<'a> {
    response_type: &'static str,
    title: String,
    lines: &'a [SeriesLine],
    chart: Option<ChartImage>,
    earlier: usize,
    truncated: bool,
}

/// Rows in time order; the first column is the period, the last the value. Drawn as a bar
/// chart in a code block, newest periods kept when there are too many.
pub fn series(title: &str, response_type: ResponseType, result: &StatResult) -> Result<Message> {
    let (Some(first), Some(last)) = (result.columns.first(), result.columns.last()) else {
        return Err(crate::Error::Rendering(
            "a series stat without columns".into(),
        ));
    };
    let skip = result.rows.len().saturating_sub(MAX_SERIES_ROWS);
    let rows = skip..result.rows.len();
    let values: Vec<Option<f64>> = rows
        .clone()
        .map(|i| numeric(result.value(i, &last.name)))
        .collect();
    let max = values.iter().flatten().fold(0.0_f64, |a, &b| a.max(b));
    let periods: Vec<String> = rows
        .clone()
        .map(|i| cell(result, i, first, MAX_PERIOD))
        .collect();
    let shown: Vec<String> = rows
        .map(|i| cell(result, i, last, MAX_SERIES_VALUE))
        .collect();
    let period_width = periods.iter().map(|p| p.chars().count()).max().unwrap_or(0);
    let value_width = shown.iter().map(|v| v.chars().count()).max().unwrap_or(0);
    let lines: Vec<SeriesLine> = periods
        .iter()
        .zip(&shown)
        .zip(&values)
        .map(|((period, value), numeric)| SeriesLine {
            period: format!("{period:<period_width$}"),
            bar: bar(numeric.unwrap_or(0.0), max),
            value: format!("{value:>value_width$}"),
        })
        .collect();
    let title = header_text(title_of(title, result));
    let pairs: Vec<(&str, &str)> = periods
        .iter()
        .zip(&shown)
        .map(|(p, v)| (p.as_str(), v.as_str()))
        .collect();
    let view = SeriesView {
        response_type: response_type.as_str(),
        chart: chart_image(&title, result, &pairs),
        title,
        lines: &lines,
        earlier: skip,
        truncated: result.truncated,
    };
    Ok(Message::rendered(view.render()?))
}

/// A bar of eighth-blocks, `BAR_WIDTH` wide at `max`, padded so the values line up.
fn bar(value: f64, max: f64) -> String {
    const PARTS: [char; 8] = [' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
    let eighths = if max > 0.0 && value > 0.0 {
        ((value / max) * (BAR_WIDTH * 8) as f64).round() as usize
    } else {
        0
    };
    let eighths = eighths.clamp(usize::from(value > 0.0), BAR_WIDTH * 8);
    let mut out: String = "█".repeat(eighths / 8);
    if eighths % 8 > 0 {
        out.push(PARTS[eighths % 8]);
    }
    let len = out.chars().count();
    out.extend(std::iter::repeat_n(' ', BAR_WIDTH - len));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest_value() {
        assert_eq!(bar(10.0, 10.0), "█".repeat(BAR_WIDTH));
        assert_eq!(bar(0.0, 10.0), " ".repeat(BAR_WIDTH));
        assert_eq!(bar(5.0, 10.0).trim_end(), "█".repeat(BAR_WIDTH / 2));
        // A tiny non-zero value still shows.
        assert_ne!(bar(0.001, 1000.0).trim_end(), "");
    }
}
