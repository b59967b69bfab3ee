//! Charts of series and ranked stats, drawn in-process as PNG (`GET /v1/stats/{name}.png`).
//!
//! [`Chart::from_result`] reads a stat's answer into what is drawn (pure, with the reason when
//! it cannot be drawn), [`draw::png`] paints it (a series' plot in `series`), [`link`] signs
//! and checks the expiring links
//! Slack fetches without a token. The same answer always gives the same bytes: nothing here
//! reads the clock (the "as of" time is the answer's `generated_at`).

pub mod draw;
pub mod link;
mod pen;
mod scale;
mod series;
mod text;

use serde_json::Value;
use stats_contract::{ColumnType, Display, StatResult};

use crate::catalogue::ParamValue;
use crate::error::Error;
use link::Links;

/// Only series and ranked stats have a chart.
pub fn check_display(display: Display) -> Result<Kind, Error> {
    match display {
        Display::Series => Ok(Kind::Series),
        Display::Ranked => Ok(Kind::Ranked),
        Display::Figures => Err(Error::NotChartable(
            "only series and ranked stats have a chart; this one shows figures".into(),
        )),
    }
}

/// A `.png` request's query split in two: the stat's own parameters, and the chart's size.
/// A signed link's `expires` and `sig` were checked before the request got here (when it came
/// without a token). With a token they are not needed: `sig` is not read (the document makes it
/// a credential, any text), but `expires`, a documented integer, must be one when given, and no
/// link pair may be given twice.
pub fn split_query(given: Vec<(String, String)>) -> Result<(Vec<(String, String)>, Size), Error> {
    let bad = |parameter: &str, message: String| Error::BadParameter {
        parameter: parameter.into(),
        message,
    };
    let find = |name: &str| -> Result<Option<&str>, Error> {
        let mut values = given
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str());
        let first = values.next();
        if values.next().is_some() {
            return Err(bad(name, format!("`{name}` is given more than once")));
        }
        Ok(first)
    };
    let size = Size::from_query(find("width")?, find("height")?)
        .map_err(|(parameter, message)| bad(parameter, message))?;
    if let Some(expires) = find("expires")?
        && expires.parse::<u64>().is_err()
    {
        return Err(bad(
            "expires",
            "`expires` is a signed link's expiry, in whole unix seconds".into(),
        ));
    }
    find("sig")?;
    let own = given
        .iter()
        .filter(|(k, _)| !link::is_link_pair(k))
        .cloned()
        .collect();
    Ok((own, size))
}

/// The PNG of `result` at `size`, or `not_chartable` with the reason.
pub fn render(result: &StatResult, size: Size) -> Result<Vec<u8>, Error> {
    let chart = Chart::from_result(result).map_err(Error::NotChartable)?;
    Ok(draw::png(&chart, size))
}

/// The signed link to `result`'s chart, when it has one, valid from `now` (unix seconds).
pub fn url_for(
    links: &Links,
    result: &StatResult,
    values: &[(String, ParamValue)],
    now: u64,
) -> Option<String> {
    Chart::from_result(result).ok()?;
    let pairs: Vec<(String, String)> = values
        .iter()
        .map(|(k, v)| (k.clone(), v.to_string()))
        .collect();
    Some(links.url(&result.name, &pairs, now))
}

/// What a chart shows: a title, an "as of" time, and one value (or none) per label.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub kind: Kind,
    pub title: String,
    /// `YYYY-MM-DD HH:MM UTC`, from the answer's `generated_at`.
    pub as_of: Option<String>,
    pub labels: Vec<String>,
    /// `None`: the row's value is null (no bar, a gap in the line).
    pub values: Vec<Option<f64>>,
    /// The newest period had not ended at `as_of` (a series only): drawn as partial, "so far".
    pub running: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Periods in time order: columns for a few, a line for more.
    Series,
    /// Labels best first: horizontal bars.
    Ranked,
}

/// Rows drawn at most: a longer ranking keeps its first rows, a longer series its newest.
pub const MAX_ROWS: usize = 400;

impl Chart {
    /// The chart of `result`, or why it has none (a figures stat, no rows, a value that is not
    /// a number).
    pub fn from_result(result: &StatResult) -> Result<Chart, String> {
        let kind =
            check_display(result.display.unwrap_or(Display::Figures)).map_err(|e| e.to_string())?;
        let (Some(label), Some(value)) = (result.columns.first(), result.columns.last()) else {
            return Err("the stat returns no columns".into());
        };
        if result.columns.len() < 2 {
            return Err("a chart needs a label column and a value column".into());
        }
        // Strings may hold decimals (`SUM()`): each value is checked below.
        if matches!(
            value.kind,
            ColumnType::Date | ColumnType::Datetime | ColumnType::Time | ColumnType::Boolean
        ) {
            return Err(format!("the value column `{}` is not a number", value.name));
        }
        if result.rows.is_empty() {
            return Err("the stat returned no rows to draw".into());
        }
        let mut labels = Vec::new();
        let mut values = Vec::new();
        let skip = match kind {
            Kind::Series => result.rows.len().saturating_sub(MAX_ROWS),
            Kind::Ranked => 0,
        };
        for row in result.rows.iter().skip(skip).take(MAX_ROWS) {
            labels.push(label_text(row.get(&label.name).unwrap_or(&Value::Null)));
            values.push(
                number(row.get(&value.name).unwrap_or(&Value::Null)).map_err(|v| {
                    format!(
                        "the value column `{}` holds {v}, which is not a number",
                        value.name
                    )
                })?,
            );
        }
        Ok(Chart {
            kind,
            title: result.title.clone(),
            as_of: result.generated_at.as_deref().map(as_of),
            labels,
            values,
            running: result.newest_period_running(),
        })
    }
}

fn label_text(value: &Value) -> String {
    match value {
        Value::Null => "(none)".into(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A value as a number: JSON numbers, and decimals the database sent as text (`SUM()`).
fn number(value: &Value) -> Result<Option<f64>, String> {
    let shown = || {
        let text = value.to_string();
        if text.chars().count() > 40 {
            "a long value".to_string()
        } else {
            text
        }
    };
    match value {
        Value::Null => Ok(None),
        Value::Number(n) => n.as_f64().map(Some).ok_or_else(shown),
        Value::String(s) => match s.trim().parse::<f64>() {
            Ok(n) if n.is_finite() => Ok(Some(n)),
            _ => Err(shown()),
        },
        _ => Err(shown()),
    }
}

/// `2026-12-02T03:10:59Z` → `2026-12-02 03:10 UTC` (minutes: a reader needs no seconds, and
/// two fetches in the same minute of unchanged rows give the same bytes).
fn as_of(generated_at: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(generated_at) {
        Ok(t) => t
            .with_timezone(&chrono::Utc)
            .format("%Y-%m-%d %H:%M UTC")
            .to_string(),
        Err(_) => generated_at.chars().take(40).collect(),
    }
}

/// A chart's size in pixels. The default, 800×400, is Slack's message column (about 360 px
/// wide on a phone, up to ~800 on a desktop, where Slack scales images down to fit): 2:1 keeps
/// a 24-period series readable without a tall image pushing the text out of view, and at 800
/// wide the 11 px labels stay legible when a phone halves it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Size {
    pub width: u32,
    pub height: u32,
}

impl Size {
    pub const DEFAULT: Size = Size {
        width: 800,
        height: 400,
    };
    pub const MIN_WIDTH: u32 = 320;
    pub const MAX_WIDTH: u32 = 2000;
    pub const MIN_HEIGHT: u32 = 200;
    pub const MAX_HEIGHT: u32 = 1200;

    /// The size from the `width` and `height` query parameters (either may be absent), or the
    /// message for a 400 naming the parameter at fault.
    pub fn from_query(
        width: Option<&str>,
        height: Option<&str>,
    ) -> Result<Size, (&'static str, String)> {
        let one = |name: &'static str, given: Option<&str>, default: u32, min: u32, max: u32| {
            let Some(given) = given else {
                return Ok(default);
            };
            match given.trim().parse::<u32>() {
                Ok(n) if (min..=max).contains(&n) => Ok(n),
                _ => Err((
                    name,
                    format!("`{name}` must be a whole number of pixels from {min} to {max}"),
                )),
            }
        };
        Ok(Size {
            width: one(
                "width",
                width,
                Size::DEFAULT.width,
                Size::MIN_WIDTH,
                Size::MAX_WIDTH,
            )?,
            height: one(
                "height",
                height,
                Size::DEFAULT.height,
                Size::MIN_HEIGHT,
                Size::MAX_HEIGHT,
            )?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn result(display: &str, value_type: &str, rows: Value) -> StatResult {
        serde_json::from_value(json!({
            "name": "s", "title": "Signups", "display": display,
            "columns": [{"name": "month", "type": "string"}, {"name": "n", "type": value_type}],
            "rows": rows, "generated_at": "2026-12-02T03:10:59Z"
        }))
        .unwrap()
    }

    #[test]
    fn series_and_rankings_read_into_a_chart() {
        let chart = Chart::from_result(&result(
            "series",
            "integer",
            json!([{"month": "2026-11", "n": 3}, {"month": "2026-12", "n": null}, {"month": null, "n": "4.50"}]),
        ))
        .unwrap();
        assert_eq!(chart.kind, Kind::Series);
        assert_eq!(chart.labels, ["2026-11", "2026-12", "(none)"]);
        assert_eq!(chart.values, [Some(3.0), None, Some(4.5)]);
        assert_eq!(chart.as_of.as_deref(), Some("2026-12-02 03:10 UTC"));
        assert!(!chart.running, "the last label is no period");
    }

    #[test]
    fn a_month_not_over_at_generated_at_is_running() {
        let rows = json!([{"month": "2026-11", "n": 40}, {"month": "2026-12", "n": 28}]);
        let series = Chart::from_result(&result("series", "integer", rows.clone())).unwrap();
        assert!(series.running, "December, two days in");
        let ranked = Chart::from_result(&result("ranked", "integer", rows.clone())).unwrap();
        assert!(!ranked.running, "a ranking has no periods");
        let mut later = result("series", "integer", rows);
        later.generated_at = Some("2027-01-01T00:00:00Z".into());
        assert!(
            !Chart::from_result(&later).unwrap().running,
            "December is over"
        );
    }

    #[test]
    fn a_long_series_keeps_its_newest_periods_and_a_ranking_its_first_rows() {
        let rows: Vec<Value> = (0..1000)
            .map(|i| json!({"month": format!("m{i}"), "n": i}))
            .collect();
        let series = Chart::from_result(&result("series", "integer", json!(rows))).unwrap();
        assert_eq!(series.labels.len(), MAX_ROWS);
        assert_eq!(series.labels.last().map(String::as_str), Some("m999"));
        let ranked = Chart::from_result(&result("ranked", "integer", json!(rows))).unwrap();
        assert_eq!(ranked.labels.first().map(String::as_str), Some("m0"));
        assert_eq!(ranked.labels.len(), MAX_ROWS);
    }

    #[test]
    fn figures_no_rows_and_words_are_not_chartable() {
        let one = json!([{"month": "x", "n": 1}]);
        let err = Chart::from_result(&result("figures", "integer", one.clone())).unwrap_err();
        assert!(err.contains("series and ranked"), "{err}");
        let err = Chart::from_result(&result("ranked", "integer", json!([]))).unwrap_err();
        assert!(err.contains("no rows"), "{err}");
        let err = Chart::from_result(&result(
            "ranked",
            "string",
            json!([{"month": "x", "n": "many"}]),
        ))
        .unwrap_err();
        assert!(
            err.contains("\"many\"") && err.contains("not a number"),
            "{err}"
        );
        let err = Chart::from_result(&result("ranked", "date", one)).unwrap_err();
        assert!(err.contains("not a number"), "{err}");
    }

    #[test]
    fn sizes_are_bounded_whole_numbers() {
        assert_eq!(Size::from_query(None, None), Ok(Size::DEFAULT));
        assert_eq!(
            Size::from_query(Some("1200"), Some("600")),
            Ok(Size {
                width: 1200,
                height: 600
            })
        );
        for (w, h, at_fault) in [
            (Some("319"), None, "width"),
            (Some("2001"), None, "width"),
            (Some("8e2"), None, "width"),
            (Some("-800"), None, "width"),
            (None, Some("100"), "height"),
            (None, Some("abc"), "height"),
        ] {
            let (name, message) = Size::from_query(w, h).unwrap_err();
            assert_eq!(name, at_fault);
            assert!(message.contains("from"), "{message}");
        }
    }
}
