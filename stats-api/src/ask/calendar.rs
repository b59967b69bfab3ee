//! Periods on the calendar (UTC): units, "this week" (from Monday) and "last month" as dates,
//! counting back from today, and a period's length in another unit.

use chrono::{Datelike, Days, Months, NaiveDate};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Day,
    Week,
    Month,
    Year,
}

impl Unit {
    pub fn from_word(stem: &str) -> Option<Unit> {
        match stem {
            "day" | "dai" => Some(Unit::Day),
            "week" | "wk" => Some(Unit::Week),
            "month" | "mo" => Some(Unit::Month),
            "year" | "yr" => Some(Unit::Year),
            _ => None,
        }
    }

    pub fn name(self, n: i64) -> &'static str {
        match (self, n == 1) {
            (Unit::Day, true) => "day",
            (Unit::Day, false) => "days",
            (Unit::Week, true) => "week",
            (Unit::Week, false) => "weeks",
            (Unit::Month, true) => "month",
            (Unit::Month, false) => "months",
            (Unit::Year, true) => "year",
            (Unit::Year, false) => "years",
        }
    }
}

/// A period the words named.
#[derive(Debug, Clone, PartialEq)]
pub struct Period {
    /// The words that said it, e.g. "last 6 months".
    pub said: String,
    /// The days it covers (UTC); `end` is `None` when it runs to today.
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    /// Its length as said ("6 months": 6, Month), when it was said as one.
    pub length: Option<(i64, Unit)>,
}

fn month_start(d: NaiveDate) -> NaiveDate {
    d.with_day(1).expect("day 1 exists")
}

pub fn month_end(d: NaiveDate) -> NaiveDate {
    month_start(d) + Months::new(1) - Days::new(1)
}

fn week_start(d: NaiveDate) -> NaiveDate {
    d - Days::new(d.weekday().num_days_from_monday() as u64)
}

/// `today` minus `n` units, plus one day: the first day of "the last n units", today counted.
pub fn back(today: NaiveDate, n: i64, unit: Unit) -> Option<NaiveDate> {
    let n = u32::try_from(n).ok()?;
    let from = match unit {
        Unit::Day => today.checked_sub_days(Days::new(n as u64)),
        Unit::Week => today.checked_sub_days(Days::new(7 * n as u64)),
        Unit::Month => today.checked_sub_months(Months::new(n)),
        Unit::Year => today.checked_sub_months(Months::new(n.checked_mul(12)?)),
    }?;
    from.checked_add_days(Days::new(1))
}

/// "this week" (Monday to today), "last month" (the whole previous one), "past year" (a year
/// back from today).
pub fn calendar(lead: &str, unit: Unit, today: NaiveDate) -> Period {
    let said = format!("{lead} {}", unit.name(1));
    let (start, end) = match (lead, unit) {
        ("this" | "current", Unit::Day) => (today, Some(today)),
        ("this" | "current", Unit::Week) => (week_start(today), None),
        ("this" | "current", Unit::Month) => (month_start(today), None),
        ("this" | "current", Unit::Year) => (
            NaiveDate::from_ymd_opt(today.year(), 1, 1).expect("January 1st"),
            None,
        ),
        ("last" | "previous" | "prior", Unit::Day) => {
            let d = today - Days::new(1);
            (d, Some(d))
        }
        ("last" | "previous" | "prior", Unit::Week) => {
            let monday = week_start(today) - Days::new(7);
            (monday, Some(monday + Days::new(6)))
        }
        ("last" | "previous" | "prior", Unit::Month) => {
            let first = month_start(today) - Months::new(1);
            (first, Some(month_end(first)))
        }
        ("last" | "previous" | "prior", Unit::Year) => {
            let y = today.year() - 1;
            (
                NaiveDate::from_ymd_opt(y, 1, 1).expect("January 1st"),
                NaiveDate::from_ymd_opt(y, 12, 31),
            )
        }
        // "past week": counted back from today.
        _ => (back(today, 1, unit).unwrap_or(today), None),
    };
    Period {
        said,
        start: Some(start),
        end,
        length: Some((1, unit)),
    }
}

/// A period's length in `unit`, and whether that is exact ("6 months" in days is about 180).
pub fn length_in(period: &Period, unit: Unit, today: NaiveDate) -> Option<(i64, bool)> {
    use Unit::*;
    // "last month", "yesterday": over before today, so "the last N units" only come near it.
    let over = period.end.is_some_and(|e| e < today);
    if let Some((n, said)) = period.length {
        let converted = match (said, unit) {
            (a, b) if a == b => Some((n, true)),
            (Week, Day) => Some((n * 7, true)),
            (Month, Day) => Some((n * 30, false)),
            (Year, Day) => Some((n * 365, false)),
            (Year, Month) => Some((n * 12, true)),
            (Year, Week) => Some((n * 52, false)),
            (Month, Week) => Some(((n * 30 + 6) / 7, false)),
            (Day, Week) if n % 7 == 0 => Some((n / 7, true)),
            (Day, Month) if n % 30 == 0 || (28..=31).contains(&n) => {
                Some(((n / 28).max(n / 30), false))
            }
            (Week, Month) if n % 4 == 0 => Some((n / 4, false)),
            _ => None,
        };
        return converted.map(|(n, exact)| (n, exact && !over));
    }
    // "since March": from its start to today, both counted. A period over before today ("in
    // 2025", "in October") is no "last N days": a length would count the wrong days.
    let start = period.start?;
    let end = period.end.unwrap_or(today);
    if end < start || end < today {
        return None;
    }
    let days = (end - start).num_days() + 1;
    match unit {
        Day => Some((days, true)),
        Week => Some(((days + 6) / 7, days % 7 == 0)),
        Month => Some((
            i64::from((end.year() - start.year()) * 12) + i64::from(end.month())
                - i64::from(start.month())
                + 1,
            start.day() == 1,
        )),
        Year => Some((i64::from(end.year() - start.year()) + 1, false)),
    }
}
