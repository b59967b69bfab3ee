//! The `pattern` a date parameter publishes: exactly the dates the stats API takes
//! (`stats_contract::params::parse_date`), month and day padded or not, within the bounds.
//!
//! JSON Schema cannot bound a date string (`formatMinimum`/`formatMaximum` are an ajv extension
//! that validators and test generators ignore) and `format: date` refuses `2024-1-5`, which the
//! API takes; every tool honours `pattern`. Each month gets its own number of days, and 29
//! February its own choice: the leap years in range (divisible by 4, centuries only by 400).

use chrono::{Datelike, NaiveDate};

/// An anchored regular expression for the dates from `lo` to `hi`.
pub fn date_range_pattern(lo: NaiveDate, hi: NaiveDate) -> String {
    let mut choices = Vec::new();
    // Every day but 29 February, then 29 February of the leap years in range.
    let is_leap_day = |d: NaiveDate| d.month() == 2 && d.day() == 29;
    let from = if is_leap_day(lo) {
        lo.succ_opt()
    } else {
        Some(lo)
    };
    let to = if is_leap_day(hi) {
        hi.pred_opt()
    } else {
        Some(hi)
    };
    if let (Some(from), Some(to)) = (from, to)
        && from <= to
    {
        choices.extend(common_days(from, to));
    }
    let first = lo.year() + i32::from((lo.month(), lo.day()) > (2, 29));
    let last = hi.year() - i32::from((hi.month(), hi.day()) < (2, 29));
    if let Some(years) = leap_years(first, last) {
        choices.push(format!("{years}-{}-29", number(2, 2)));
    }
    format!("^(?:{})$", choices.join("|"))
}

/// The dates from `lo` to `hi` but 29 February, as choices.
fn common_days(lo: NaiveDate, hi: NaiveDate) -> Vec<String> {
    let md = |d: NaiveDate| (d.month(), d.day());
    let year = |y: i32| format!("{y:04}");
    let mut choices = Vec::new();
    if lo.year() == hi.year() {
        choices.push(format!("{}-{}", year(lo.year()), days(md(lo), md(hi))));
    } else {
        choices.push(format!("{}-{}", year(lo.year()), days(md(lo), (12, 31))));
        if hi.year() - lo.year() > 1 {
            let years = text_range(&year(lo.year() + 1), &year(hi.year() - 1));
            choices.push(format!("{years}-{}", days((1, 1), (12, 31))));
        }
        choices.push(format!("{}-{}", year(hi.year()), days((1, 1), md(hi))));
    }
    choices
}

/// The leap years from `first` to `last` (four digits), or `None` when there are none.
fn leap_years(first: i32, last: i32) -> Option<String> {
    if first > last {
        return None;
    }
    let is_leap = |y: i32| NaiveDate::from_ymd_opt(y, 2, 29).is_some();
    // Within one century the years are listed; whole centuries share one choice.
    let listed = |century: i32, a: i32, b: i32| -> Option<String> {
        let years: Vec<String> = (a..=b)
            .filter(|n| is_leap(century * 100 + n))
            .map(|n| format!("{n:02}"))
            .collect();
        (!years.is_empty()).then(|| format!("{century:02}(?:{})", years.join("|")))
    };
    let (c1, c2) = (first / 100, last / 100);
    let mut choices = Vec::new();
    if c1 == c2 {
        choices.extend(listed(c1, first % 100, last % 100));
    } else {
        choices.extend(listed(c1, first % 100, 99));
        if c2 - c1 > 1 {
            let (a, b) = (c1 + 1, c2 - 1);
            let centuries = text_range(&format!("{a:02}"), &format!("{b:02}"));
            choices.push(format!("{centuries}(?:0[48]|[2468][048]|[13579][26])"));
            choices.extend((a..=b).filter(|c| c % 4 == 0).map(|c| format!("{c:02}00")));
        }
        choices.extend(listed(c2, 0, last % 100));
    }
    (!choices.is_empty()).then(|| format!("(?:{})", choices.join("|")))
}

/// The days of month `m` in every year (29 February has its own choice).
fn month_days(m: u32) -> u32 {
    match m {
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `MONTH-DAY` from `(m1, d1)` to `(m2, d2)` in one year; months of one length share a choice.
fn days((m1, d1): (u32, u32), (m2, d2): (u32, u32)) -> String {
    if m1 == m2 {
        return format!("{}-{}", number(m1, m1), number(d1, d2));
    }
    let mut choices = vec![format!("{}-{}", number(m1, m1), number(d1, month_days(m1)))];
    for length in [31, 30, 28] {
        let months: Vec<String> = (m1 + 1..m2)
            .filter(|m| month_days(*m) == length)
            .map(|m| number(m, m))
            .collect();
        if !months.is_empty() {
            choices.push(format!("(?:{})-{}", months.join("|"), number(1, length)));
        }
    }
    choices.push(format!("{}-{}", number(m2, m2), number(1, d2)));
    format!("(?:{})", choices.join("|"))
}

/// The numbers `a..=b` (under 100) written with two digits, or one when they fit in one.
fn number(a: u32, b: u32) -> String {
    let padded = text_range(&format!("{a:02}"), &format!("{b:02}"));
    if a > 9 {
        return padded;
    }
    let top = b.min(9);
    let single = if a == top {
        a.to_string()
    } else {
        format!("[{a}-{top}]")
    };
    format!("(?:{padded}|{single})")
}

/// A regex for the strings that sort from `lo` to `hi`, both ASCII digits of one width.
fn text_range(lo: &str, hi: &str) -> String {
    if lo.is_empty() {
        return String::new();
    }
    if lo == digits_as(lo, "0") && hi == digits_as(hi, "9") {
        return digits_as(lo, "[0-9]");
    }
    let (a, b) = (lo.as_bytes()[0], hi.as_bytes()[0]);
    let (lo_rest, hi_rest) = (&lo[1..], &hi[1..]);
    if a == b {
        return format!("{}{}", a as char, text_range(lo_rest, hi_rest));
    }
    // `a` then anything from lo's rest up; a digit between; `b` then anything up to hi's rest.
    let mut choices = vec![format!(
        "{}{}",
        a as char,
        text_range(lo_rest, &digits_as(lo_rest, "9"))
    )];
    if b - a > 1 {
        choices.push(format!(
            "[{}-{}]{}",
            (a + 1) as char,
            (b - 1) as char,
            digits_as(lo_rest, "[0-9]")
        ));
    }
    choices.push(format!(
        "{}{}",
        b as char,
        text_range(&digits_as(hi_rest, "0"), hi_rest)
    ));
    format!("(?:{})", choices.join("|"))
}

/// `text` with every digit replaced by `with`.
fn digits_as(text: &str, with: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_digit() {
                with.to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Days;
    use stats_contract::params::parse_date;

    /// Every day near the edges (and a sample far from them), written padded and unpadded:
    /// the pattern takes it exactly when the API would.
    #[test]
    fn the_date_pattern_takes_exactly_the_dates_the_api_takes() {
        let d = |s: &str| parse_date(s).unwrap();
        let ranges = [
            ("1000-01-01", "9999-12-31"),
            ("2020-02-29", "2031-10-09"),
            ("2024-12-31", "2025-01-01"),
            ("2024-03-15", "2024-03-15"),
            ("1999-09-30", "2000-10-01"),
            ("2024-01-05", "2024-11-30"),
            ("2024-02-29", "2024-02-29"),
            ("2024-02-29", "2028-02-29"),
            ("1896-03-01", "2104-02-28"),
            ("1599-12-31", "2401-01-01"),
        ];
        for (lo, hi) in ranges {
            let (lo, hi) = (d(lo), d(hi));
            let pattern = regex::Regex::new(&date_range_pattern(lo, hi)).unwrap();
            let from = (lo - Days::new(800)).max(NaiveDate::from_ymd_opt(1, 1, 1).unwrap());
            let mut day = from;
            while day <= (hi + Days::new(800)).min(NaiveDate::from_ymd_opt(9999, 12, 31).unwrap()) {
                let inside = lo <= day && day <= hi;
                for text in [
                    day.format("%Y-%m-%d").to_string(),
                    day.format("%Y-%-m-%-d").to_string(),
                    day.format("%Y-%m-%-d").to_string(),
                ] {
                    assert_eq!(pattern.is_match(&text), inside, "{lo}..{hi}: {text}");
                    if inside {
                        assert_eq!(parse_date(&text), Some(day), "{text}");
                    }
                }
                // Far from the edges, step faster.
                let near = (day - lo).num_days().abs() < 800 || (day - hi).num_days().abs() < 800;
                day = day + Days::new(if near { 1 } else { 397 });
            }
            // 29 February exactly in the leap years: centuries only when divisible by 400.
            for y in lo.year()..=hi.year() {
                for text in [format!("{y:04}-02-29"), format!("{y:04}-2-29")] {
                    let day = NaiveDate::from_ymd_opt(y, 2, 29);
                    let inside = day.is_some_and(|d| lo <= d && d <= hi);
                    assert_eq!(pattern.is_match(&text), inside, "{lo}..{hi}: {text}");
                    assert_eq!(parse_date(&text).is_some(), day.is_some(), "{text}");
                }
            }
            for odd in [
                "+2024-01-01",
                "24-1-5",
                "2024-001-05",
                " 2024-01-01",
                "2024-01-011",
                "2024-02-30",
                "2024-04-31",
                "2024-13-01",
                "2024-0-1",
                "2024-1-0",
            ] {
                assert!(!pattern.is_match(odd), "{odd}");
                assert_eq!(parse_date(odd), None, "{odd}");
            }
        }
    }
}
