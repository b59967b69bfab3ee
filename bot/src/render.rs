//! Turning results into Slack messages. The wording and layout live in `templates/*.json`;
//! this file prepares the values those templates show and keeps them inside Block Kit's limits.
//! Pure: no I/O.

use std::borrow::Cow;
use std::fmt::{self, Write};

use askama::Template;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde_json::Value;

use crate::blocks::{self, MAX_FIELDS, MAX_HEADER_TEXT};
use crate::error::Result;
use crate::stats::{Column, ColumnKind, ResponseType, StatResult};

/// A rendered Slack message (JSON), ready to be the body of the HTTP 200.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply(pub String);

impl Reply {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// askama escaper for `.json` templates: Slack mrkdwn escaping of exactly `&`, `<` and `>`, then
/// JSON string escaping. Templates write every value inside a JSON string literal, so a member
/// named `<!channel>` arrives as the text `&lt;!channel&gt;` and pings nobody.
#[derive(Debug, Clone, Copy, Default)]
pub struct SlackJson;

impl askama::filters::Escaper for SlackJson {
    fn write_escaped_str<W: Write>(&self, mut dest: W, string: &str) -> fmt::Result {
        let mut start = 0;
        for (i, c) in string.char_indices() {
            let escaped: Cow<'static, str> = match c {
                '&' => "&amp;".into(),
                '<' => "&lt;".into(),
                '>' => "&gt;".into(),
                '"' => "\\\"".into(),
                '\\' => "\\\\".into(),
                '\n' => "\\n".into(),
                '\r' => "\\r".into(),
                '\t' => "\\t".into(),
                c if c < ' ' => format!("\\u{:04x}", u32::from(c)).into(),
                _ => continue,
            };
            dest.write_str(&string[start..i])?;
            dest.write_str(&escaped)?;
            start = i + c.len_utf8();
        }
        dest.write_str(&string[start..])
    }
}

/// Where a reply is going: the slash command as the user typed it (`/stats`), so help and
/// errors quote the name this workspace installed.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub command: &'a str,
}

// ---------------------------------------------------------------------------------------------
// Formatting values

/// `1234567` → `1,234,567`.
pub fn group_thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

/// `invited_by_mentor` → `Invited by mentor`.
pub fn humanize(column: &str) -> String {
    let mut out = String::with_capacity(column.len());
    for (i, c) in column.chars().enumerate() {
        match c {
            '_' | '-' => out.push(' '),
            c if i == 0 => out.extend(c.to_uppercase()),
            c => out.push(c),
        }
    }
    out
}

/// `2019-03-04T10:00:00Z` → Unix seconds and `March 4th, 2019`, the pieces of Slack's
/// `<!date^…^{date}|…>` token (the fallback is what clients that cannot format dates show).
pub fn slack_date(rfc3339: &str) -> Option<(i64, String)> {
    let at = DateTime::parse_from_rfc3339(rfc3339)
        .ok()?
        .with_timezone(&Utc);
    Some((at.timestamp(), long_date(at.date_naive())))
}

fn long_date(date: NaiveDate) -> String {
    let day = date.day();
    let suffix = match (day % 10, day % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{} {day}{suffix}, {}", date.format("%B"), date.year())
}

/// A value as a reader should see it, by its column type. `None` for null.
pub fn format_value(value: &Value, kind: ColumnKind) -> Option<String> {
    Some(match value {
        Value::Null => return None,
        Value::Bool(true) => "yes".into(),
        Value::Bool(false) => "no".into(),
        Value::Number(n) => match n.as_i64() {
            Some(i) => group_thousands(i),
            None => format_float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => match kind {
            ColumnKind::Datetime => DateTime::parse_from_rfc3339(s)
                .map(|t| {
                    t.with_timezone(&Utc)
                        .format("%Y-%m-%d %H:%M UTC")
                        .to_string()
                })
                .unwrap_or_else(|_| s.clone()),
            // DECIMAL arrives as a string; show it as a number when it is one.
            ColumnKind::Integer | ColumnKind::Number => match s.parse::<f64>() {
                Ok(f) if f.fract() == 0.0 && f.abs() < 9e15 => group_thousands(f as i64),
                Ok(f) => format_float(f),
                Err(_) => s.clone(),
            },
            _ => s.clone(),
        },
        other => other.to_string(),
    })
}

fn format_float(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 9e15 {
        return group_thousands(f as i64);
    }
    let s = format!("{f:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn numeric(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

fn header_text(title: &str) -> String {
    blocks::clip(title, MAX_HEADER_TEXT).into_owned()
}

fn title_of<'a>(title: &'a str, result: &'a StatResult) -> &'a str {
    if result.title.is_empty() {
        title
    } else {
        &result.title
    }
}

// ---------------------------------------------------------------------------------------------
// Generic stats: figures, ranked list, series

/// Labels and values are clipped so the worst case of every template stays inside the limits.
const MAX_LABEL: usize = 80;
const MAX_VALUE: usize = 40;
const MAX_FIGURES: usize = 40;
const MAX_RANKED_ROWS: usize = 20;
const MAX_SERIES_ROWS: usize = 24;
const MAX_PERIOD: usize = 12;
const MAX_SERIES_VALUE: usize = 16;
const BAR_WIDTH: usize = 20;

pub struct Figure {
    pub label: String,
    pub value: String,
}

#[derive(Template)]
#[template(path = "figures.json")]
struct FiguresView<'a> {
    response_type: &'static str,
    title: String,
    sections: Vec<&'a [Figure]>,
    preview: &'a [Figure],
    more: usize,
    truncated: bool,
}

/// One row, every column a figure.
pub fn figures(title: &str, response_type: ResponseType, result: &StatResult) -> Result<Reply> {
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
    Ok(Reply(view.render()?))
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
#[template(path = "ranked.json")]
struct RankedView<'a> {
    response_type: &'static str,
    title: String,
    rows: &'a [RankedRow],
    more: usize,
    truncated: bool,
}

/// Rows; the first column is the label, the last the value.
pub fn ranked(title: &str, response_type: ResponseType, result: &StatResult) -> Result<Reply> {
    let (Some(first), Some(last)) = (result.columns.first(), result.columns.last()) else {
        return Err(crate::Error::ApiNonsense(
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
    let view = RankedView {
        response_type: response_type.as_str(),
        title: header_text(title_of(title, result)),
        rows: &rows,
        more: result.rows.len() - rows.len(),
        truncated: result.truncated,
    };
    Ok(Reply(view.render()?))
}

pub struct SeriesLine {
    pub period: String,
    pub bar: String,
    pub value: String,
}

#[derive(Template)]
#[template(path = "series.json")]
struct SeriesView<'a> {
    response_type: &'static str,
    title: String,
    lines: &'a [SeriesLine],
    earlier: usize,
    truncated: bool,
}

/// Rows in time order; the first column is the period, the last the value. Drawn as a bar
/// chart in a code block, newest periods kept when there are too many.
pub fn series(title: &str, response_type: ResponseType, result: &StatResult) -> Result<Reply> {
    let (Some(first), Some(last)) = (result.columns.first(), result.columns.last()) else {
        return Err(crate::Error::ApiNonsense(
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
    let view = SeriesView {
        response_type: response_type.as_str(),
        title: header_text(title_of(title, result)),
        lines: &lines,
        earlier: skip,
        truncated: result.truncated,
    };
    Ok(Reply(view.render()?))
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

// ---------------------------------------------------------------------------------------------
// Help

pub struct HelpEntry {
    /// After the command name, e.g. `signups [months=12]`.
    pub usage: String,
    pub description: String,
}

/// A help line is at most 3 + 40 + 1 + 100 + 4 + 150 = 298 characters escaped; 8 of them fit a section.
const HELP_LINES_PER_SECTION: usize = 8;
const MAX_HELP_SECTIONS: usize = 45;

#[derive(Template)]
#[template(path = "help.json")]
struct HelpView<'a> {
    command: &'a str,
    sections: Vec<&'a [HelpEntry]>,
    names: Vec<&'a str>,
    more: usize,
}

pub fn help(ctx: &Context<'_>, entries: &[HelpEntry]) -> Result<Reply> {
    let command = blocks::clip(ctx.command, 40);
    let entries: Vec<HelpEntry> = entries
        .iter()
        .map(|e| HelpEntry {
            usage: blocks::clip(&e.usage, 100).into_owned(),
            description: blocks::clip(&e.description, 150).into_owned(),
        })
        .collect();
    let sections: Vec<&[HelpEntry]> = entries
        .chunks(HELP_LINES_PER_SECTION)
        .take(MAX_HELP_SECTIONS)
        .collect();
    let shown: usize = sections.iter().map(|s| s.len()).sum();
    let view = HelpView {
        command: &command,
        names: entries
            .iter()
            .map(|e| e.usage.split(' ').next().unwrap_or_default())
            .collect(),
        sections,
        more: entries.len() - shown,
    };
    Ok(Reply(view.render()?))
}

// ---------------------------------------------------------------------------------------------
// Problems: everything that goes wrong, told briefly and privately

/// What went wrong, for the person who typed the command. Details stay in the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    UnknownCommand {
        given: String,
        suggestion: Option<String>,
    },
    BadArgument {
        usage: String,
        issue: ArgIssue,
    },
    TeamNotAllowed,
    ApiUnreachable,
    ApiSlow,
    ApiRefused,
    ApiNonsense,
    DatabaseUnavailable,
    QueryTimeout,
    StatGone {
        name: String,
    },
    /// Something else the stats API reported, with its own message.
    ApiSaid {
        message: String,
    },
    Internal,
}

/// Why an argument does not fit the parameter declared for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArgIssue {
    TooMany {
        max: usize,
    },
    Unknown {
        name: String,
        known: String,
    },
    Duplicate {
        name: String,
    },
    Missing {
        name: String,
    },
    NotInteger {
        name: String,
        value: String,
    },
    OutOfRange {
        name: String,
        value: String,
        min: Option<String>,
        max: Option<String>,
    },
    NotAllowed {
        name: String,
        value: String,
        allowed: String,
    },
    TooLong {
        name: String,
        max_length: usize,
    },
    NotDate {
        name: String,
        value: String,
    },
    NotBoolean {
        name: String,
        value: String,
    },
    /// The stats API's own explanation (400 `bad_parameter`).
    Rejected {
        message: String,
    },
}

impl Problem {
    /// A short word for the log line.
    pub fn outcome(&self) -> &'static str {
        match self {
            Problem::UnknownCommand { .. } => "unknown_command",
            Problem::BadArgument { .. } => "bad_argument",
            Problem::TeamNotAllowed => "team_not_allowed",
            Problem::ApiUnreachable => "api_unreachable",
            Problem::ApiSlow => "api_timeout",
            Problem::ApiRefused => "api_unauthorized",
            Problem::ApiNonsense => "api_nonsense",
            Problem::DatabaseUnavailable => "database_unavailable",
            Problem::QueryTimeout => "query_timeout",
            Problem::StatGone { .. } => "unknown_stat",
            Problem::ApiSaid { .. } => "api_error",
            Problem::Internal => "internal",
        }
    }
}

#[derive(Template)]
#[template(path = "problem.json")]
struct ProblemView<'a> {
    command: &'a str,
    problem: &'a Problem,
}

/// An ephemeral message explaining `problem`. Never fails: a broken template would otherwise
/// leave the user with Slack's generic error.
pub fn problem(ctx: &Context<'_>, problem: &Problem) -> Reply {
    let command = blocks::clip(ctx.command, 40);
    let view = ProblemView {
        command: &command,
        problem,
    };
    match view.render() {
        Ok(json) => Reply(json),
        Err(e) => {
            tracing::error!(error = %e, "problem template failed");
            Reply(r#"{"response_type":"ephemeral","text":"Something went wrong."}"#.into())
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Working on it: the immediate reply when the answer will follow through response_url

#[derive(Template)]
#[template(path = "working.json")]
struct WorkingView<'a> {
    command: &'a str,
    subcommand: &'a str,
}

/// The short private note sent within Slack's deadline when the answer is still being worked
/// out. Never fails, like [`problem`].
pub fn working(ctx: &Context<'_>, subcommand: &str) -> Reply {
    let command = blocks::clip(ctx.command, 40);
    let subcommand = blocks::clip(subcommand, 40);
    let view = WorkingView {
        command: &command,
        subcommand: &subcommand,
    };
    match view.render() {
        Ok(json) => Reply(json),
        Err(e) => {
            tracing::error!(error = %e, "working template failed");
            Reply(r#"{"response_type":"ephemeral","text":"Working on it…"}"#.into())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escape(s: &str) -> String {
        let mut out = String::new();
        askama::filters::Escaper::write_escaped_str(&SlackJson, &mut out, s).unwrap();
        out
    }

    #[test]
    fn escaper_does_slack_then_json_escaping() {
        assert_eq!(
            escape("<!channel> & \"q\" \\ \n\u{1}"),
            "&lt;!channel&gt; &amp; \\\"q\\\" \\\\ \\n\\u0001"
        );
        assert_eq!(escape("Zoë ✓"), "Zoë ✓");
    }

    #[test]
    fn numbers_and_dates_read_naturally() {
        assert_eq!(group_thousands(1234), "1,234");
        assert_eq!(group_thousands(-1234567), "-1,234,567");
        assert_eq!(group_thousands(999), "999");
        assert_eq!(humanize("invited_by_mentor"), "Invited by mentor");
        assert_eq!(
            slack_date("2019-03-04T10:00:00Z"),
            Some((1_551_693_600, "March 4th, 2019".into()))
        );
        assert_eq!(
            long_date(NaiveDate::from_ymd_opt(2020, 1, 11).unwrap()),
            "January 11th, 2020"
        );
        assert_eq!(
            long_date(NaiveDate::from_ymd_opt(2020, 1, 22).unwrap()),
            "January 22nd, 2020"
        );
        assert_eq!(
            format_value(&Value::String("12.50".into()), ColumnKind::Number).unwrap(),
            "12.5"
        );
        assert_eq!(
            format_value(&serde_json::json!(2.0), ColumnKind::Number).unwrap(),
            "2"
        );
    }

    #[test]
    fn bars_scale_to_the_largest_value() {
        assert_eq!(bar(10.0, 10.0), "█".repeat(BAR_WIDTH));
        assert_eq!(bar(0.0, 10.0), " ".repeat(BAR_WIDTH));
        assert_eq!(bar(5.0, 10.0).trim_end(), "█".repeat(BAR_WIDTH / 2));
        // A tiny non-zero value still shows.
        assert_ne!(bar(0.001, 1000.0).trim_end(), "");
    }
}
