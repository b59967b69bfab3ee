//! Whether a series' newest period is still running when the answer was read: this month's
//! signups a week into the month are not a month's signups, and the chart and the text say so
//! ("so far"). Pure: "now" is the answer's `generated_at`, so the same answer always reads the
//! same way. The stats API's chart and the bot's text both ask [`StatResult::newest_period_running`].
//!
//! A period is known by its label, as a query writes it: a year `2026`, a quarter `2026-Q4`, a
//! month `2026-12`, an ISO week `2026-W49`, a date `2026-12-07`, or a date and time. A date or a
//! time stands for the period that starts there and lasts as long as the step from the row
//! before it: a day, a week (dates 7 days apart), a month (the same day of successive months),
//! an hour. Periods are read in UTC, as `generated_at` is. Any other label (a name, a number
//! that is no year) is not a period: nothing is marked.

use chrono::{DateTime, Datelike, Duration, Months, NaiveDate, NaiveDateTime, Utc, Weekday};
use serde_json::Value;

use crate::{Display, StatResult};

impl StatResult {
    /// A series whose newest row's period had not ended at `generated_at`. False for other
    /// displays, without `generated_at`, or when the label is not a period.
    pub fn newest_period_running(&self) -> bool {
        if self.display != Some(Display::Series) {
            return false;
        }
        let (Some(column), Some(as_of)) = (self.columns.first(), self.generated_at.as_deref())
        else {
            return false;
        };
        let Ok(as_of) = DateTime::parse_from_rfc3339(as_of) else {
            return false;
        };
        let n = self.rows.len();
        if n == 0 {
            return false;
        }
        let previous = n.checked_sub(2).map(|i| self.value(i, &column.name));
        running(
            self.value(n - 1, &column.name),
            previous,
            as_of.with_timezone(&Utc),
        )
    }
}

/// Whether the period `label` names (after `previous`, the row before it) ends after `as_of`.
pub fn running(label: &Value, previous: Option<&Value>, as_of: DateTime<Utc>) -> bool {
    end(label, previous).is_some_and(|end| end > as_of.naive_utc())
}

/// When the period `label` names ends (the first instant after it), if it is a period.
pub fn end(label: &Value, previous: Option<&Value>) -> Option<NaiveDateTime> {
    let text = match label {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.as_i64()?.to_string(),
        _ => return None,
    };
    let previous = previous.and_then(|p| match p {
        Value::String(s) => Some(s.trim().to_string()),
        _ => None,
    });
    match Shape::read(&text)? {
        Shape::Year(y) => midnight(NaiveDate::from_ymd_opt(y + 1, 1, 1)?),
        Shape::Quarter(y, q) => midnight(first_of(y, 3 * q - 2)? + Months::new(3)),
        Shape::Month(y, m) => midnight(first_of(y, m)? + Months::new(1)),
        Shape::Week(y, w) => midnight(NaiveDate::from_isoywd_opt(y, w, Weekday::Mon)? + days(7)),
        Shape::Date(date) => {
            let before = previous.as_deref().and_then(Shape::read);
            let next = match before {
                Some(Shape::Date(p))
                    if p < date && p.day() == date.day() && p.month() != date.month() =>
                {
                    date + Months::new(months_between(p, date))
                }
                Some(Shape::Date(p)) if p < date => date + (date - p),
                _ => date + days(1),
            };
            midnight(next)
        }
        Shape::Time(at) => match previous.as_deref().and_then(Shape::read) {
            Some(Shape::Time(p)) if p < at => Some(at + (at - p)),
            // One timestamp alone says nothing of how long its period lasts.
            _ => None,
        },
    }
}

/// What a label looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Year(i32),
    Quarter(i32, u32),
    Month(i32, u32),
    Week(i32, u32),
    Date(NaiveDate),
    Time(NaiveDateTime),
}

impl Shape {
    fn read(text: &str) -> Option<Shape> {
        let year = |s: &str| -> Option<i32> {
            (s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse().ok())
                .flatten()
                .filter(|y| (1000..=9999).contains(y))
        };
        let number = |s: &str, max: u32| -> Option<u32> {
            (!s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse().ok())
                .flatten()
                .filter(|n| (1..=max).contains(n))
        };
        if let Some(y) = year(text) {
            return Some(Shape::Year(y));
        }
        if let Some((y, rest)) = text.split_once('-') {
            let y_ok = year(y);
            if let (Some(y), Some(q)) = (y_ok, rest.strip_prefix(['Q', 'q'])) {
                return number(q, 4).map(|q| Shape::Quarter(y, q));
            }
            if let (Some(y), Some(w)) = (y_ok, rest.strip_prefix(['W', 'w'])) {
                return number(w, 53)
                    .filter(|w| NaiveDate::from_isoywd_opt(y, *w, Weekday::Mon).is_some())
                    .map(|w| Shape::Week(y, w));
            }
            if let (Some(y), Some(m)) = (y_ok, number(rest, 12)) {
                return Some(Shape::Month(y, m));
            }
        }
        if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            return Some(Shape::Date(date));
        }
        if let Ok(at) = DateTime::parse_from_rfc3339(text) {
            return Some(Shape::Time(at.with_timezone(&Utc).naive_utc()));
        }
        [
            "%Y-%m-%d %H:%M:%S",
            "%Y-%m-%d %H:%M",
            "%Y-%m-%dT%H:%M:%S",
            "%Y-%m-%dT%H:%M",
        ]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
        .map(Shape::Time)
    }
}

fn first_of(year: i32, month: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, 1)
}

fn midnight(date: NaiveDate) -> Option<NaiveDateTime> {
    date.and_hms_opt(0, 0, 0)
}

fn days(n: i64) -> Duration {
    Duration::days(n)
}

fn months_between(from: NaiveDate, to: NaiveDate) -> u32 {
    let months = (to.year() - from.year()) * 12 + to.month() as i32 - from.month() as i32;
    months.max(1) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn ends(label: Value, previous: Option<Value>) -> Option<String> {
        end(&label, previous.as_ref()).map(|e| e.format("%Y-%m-%d %H:%M").to_string())
    }

    #[test]
    fn each_kind_of_label_ends_where_its_period_does() {
        assert_eq!(
            ends(json!("2026"), None).as_deref(),
            Some("2027-01-01 00:00")
        );
        assert_eq!(ends(json!(2026), None).as_deref(), Some("2027-01-01 00:00"));
        assert_eq!(
            ends(json!("2026-Q4"), None).as_deref(),
            Some("2027-01-01 00:00")
        );
        assert_eq!(
            ends(json!("2026-Q1"), None).as_deref(),
            Some("2026-04-01 00:00")
        );
        assert_eq!(
            ends(json!("2026-12"), None).as_deref(),
            Some("2027-01-01 00:00")
        );
        assert_eq!(
            ends(json!("2026-02"), None).as_deref(),
            Some("2026-03-01 00:00")
        );
        // ISO week 49 of 2026 starts on Monday 30 November.
        assert_eq!(
            ends(json!("2026-W49"), None).as_deref(),
            Some("2026-12-07 00:00")
        );
        assert_eq!(
            ends(json!("2026-12-07"), None).as_deref(),
            Some("2026-12-08 00:00")
        );
    }

    #[test]
    fn a_date_lasts_as_long_as_the_step_from_the_row_before() {
        let weekly = ends(json!("2026-12-07"), Some(json!("2026-11-30")));
        assert_eq!(weekly.as_deref(), Some("2026-12-14 00:00"));
        let monthly = ends(json!("2026-12-01"), Some(json!("2026-11-01")));
        assert_eq!(
            monthly.as_deref(),
            Some("2027-01-01 00:00"),
            "a month, not 30 days"
        );
        let quarterly = ends(json!("2026-10-01"), Some(json!("2026-07-01")));
        assert_eq!(quarterly.as_deref(), Some("2027-01-01 00:00"));
        let hourly = ends(
            json!("2026-12-07 14:00:00"),
            Some(json!("2026-12-07 13:00:00")),
        );
        assert_eq!(hourly.as_deref(), Some("2026-12-07 15:00"));
        let rfc = ends(
            json!("2026-12-07T14:00:00Z"),
            Some(json!("2026-12-07T13:00:00Z")),
        );
        assert_eq!(rfc.as_deref(), Some("2026-12-07 15:00"));
        assert_eq!(
            ends(json!("2026-12-07 14:00:00"), None),
            None,
            "no step, no length"
        );
    }

    #[test]
    fn names_and_numbers_are_not_periods() {
        for label in [
            json!("Ada Lovelace"),
            json!("2026-13"),
            json!("2026-W54"),
            json!("2026-Q5"),
            json!("12345"),
            json!(42),
            json!(null),
            json!("(none)"),
        ] {
            assert_eq!(end(&label, None), None, "{label}");
        }
    }

    #[test]
    fn a_period_runs_until_its_end() {
        let dec = json!("2026-12");
        assert!(
            running(&dec, None, at("2026-12-08T10:00:00Z")),
            "a week into December"
        );
        assert!(running(&dec, None, at("2026-12-31T23:59:59Z")));
        assert!(
            !running(&dec, None, at("2027-01-01T00:00:00Z")),
            "December has ended"
        );
        assert!(!running(
            &json!("2026-11"),
            None,
            at("2026-12-08T10:00:00Z")
        ));
    }

    fn series(rows: Value, generated_at: &str) -> StatResult {
        serde_json::from_value(json!({
            "name": "signups", "title": "Signups per month", "display": "series",
            "columns": [{"name": "month", "type": "string"}, {"name": "signups", "type": "integer"}],
            "rows": rows, "generated_at": generated_at
        }))
        .unwrap()
    }

    #[test]
    fn an_answer_reads_its_newest_row_against_generated_at() {
        let rows =
            json!([{"month": "2026-11", "signups": 40}, {"month": "2026-12", "signups": 28}]);
        assert!(series(rows.clone(), "2026-12-08T10:00:00Z").newest_period_running());
        assert!(!series(rows.clone(), "2027-01-02T10:00:00Z").newest_period_running());
        let mut ranked = series(rows.clone(), "2026-12-08T10:00:00Z");
        ranked.display = Some(Display::Ranked);
        assert!(!ranked.newest_period_running(), "only a series has periods");
        let mut undated = series(rows, "2026-12-08T10:00:00Z");
        undated.generated_at = None;
        assert!(!undated.newest_period_running(), "no time, no judgement");
        assert!(!series(json!([]), "2026-12-08T10:00:00Z").newest_period_running());
    }
}
