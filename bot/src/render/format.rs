//! Values as a reader should see them: `1,234`, `Invited by mentor`, `March 4th, 2019`.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde_json::Value;
use stats_contract::ColumnType;

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
pub fn format_value(value: &Value, kind: ColumnType) -> Option<String> {
    Some(match value {
        Value::Null => return None,
        Value::Bool(true) => "yes".into(),
        Value::Bool(false) => "no".into(),
        Value::Number(n) => match n.as_i64() {
            Some(i) => group_thousands(i),
            None => format_float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => match kind {
            ColumnType::Datetime => DateTime::parse_from_rfc3339(s)
                .map(|t| {
                    t.with_timezone(&Utc)
                        .format("%Y-%m-%d %H:%M UTC")
                        .to_string()
                })
                .unwrap_or_else(|_| s.clone()),
            // DECIMAL arrives as a string; show it as a number when it is one.
            ColumnType::Integer | ColumnType::Number => match s.parse::<f64>() {
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

pub(super) fn numeric(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
            format_value(&Value::String("12.50".into()), ColumnType::Number).unwrap(),
            "12.5"
        );
        assert_eq!(
            format_value(&serde_json::json!(2.0), ColumnType::Number).unwrap(),
            "2"
        );
    }
}
