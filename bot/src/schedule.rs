//! A scheduled job's schedule: a standard 5-field cron expression read in an IANA time zone
//! ([`Zone`]), and its occurrences as instants. Pure: no clock, the caller says when "now" is.
//!
//! Fields: minute (0–59), hour (0–23), day of month (1–31), month (1–12 or `JAN`–`DEC`), day of
//! week (0–7, 0 and 7 both Sunday, or `SUN`–`SAT`); each `*`, a value, a range `a-b`, a step
//! `*/n`, `a-b/n` or `a/n`, or a comma list of those. As in Vixie cron, when both the day of
//! month and the day of week are restricted, a day matching either runs.
//!
//! Daylight saving, decided here once:
//! - a time the clocks skip (02:30 on the spring-forward day in Europe/Berlin) runs at the first
//!   minute after the gap (03:00 local), once, even when several times fall in the gap or 03:00
//!   is itself a time of the schedule: occurrences are instants, and equal instants are one;
//! - a time the clocks repeat (01:30 on the fall-back day in America/New_York) runs once, at
//!   its first (daylight-time) instant.

mod zone;

use std::fmt;

use chrono::{
    DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc,
};

pub use zone::Zone;

/// How far ahead an occurrence is looked for: `0 9 29 2 MON` (a Monday 29 February) comes
/// round within 28 years; anything rarer is refused as never running.
const HORIZON_DAYS: i64 = 366 * 29;

/// A parsed 5-field cron expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cron {
    minutes: u64,
    hours: u32,
    days: u32,
    months: u16,
    weekdays: u8,
    /// The day-of-month field was `*` (or `*/1`): only the weekday restricts the day.
    any_day: bool,
    /// The day-of-week field was `*`.
    any_weekday: bool,
    source: String,
}

impl fmt::Display for Cron {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

const MONTHS: [&str; 12] = [
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];
const WEEKDAYS: [&str; 7] = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

impl Cron {
    /// Parses `"0 9 * * MON"`; the error says which field is wrong and why.
    pub fn parse(text: &str) -> Result<Cron, String> {
        let fields: Vec<&str> = text.split_whitespace().collect();
        if fields.len() != 5 {
            return Err(format!(
                "{} fields; a schedule has 5: minute hour day-of-month month day-of-week, \
                 e.g. \"0 9 * * MON\"",
                fields.len()
            ));
        }
        let minutes = field(fields[0], "minute", 0, 59, &[])?;
        let hours = field(fields[1], "hour", 0, 23, &[])?;
        let days = field(fields[2], "day of month", 1, 31, &[])?;
        let months = field(fields[3], "month", 1, 12, &MONTHS)?;
        let mut weekdays = field(fields[4], "day of week", 0, 7, &WEEKDAYS)?;
        if weekdays & (1 << 7) != 0 {
            weekdays |= 1; // 7 is Sunday too
        }
        let cron = Cron {
            minutes,
            hours: hours as u32,
            days: days as u32,
            months: months as u16,
            weekdays: (weekdays & 0x7f) as u8,
            any_day: fields[2].starts_with('*'),
            any_weekday: fields[4].starts_with('*'),
            source: fields.join(" "),
        };
        // `0 0 31 2 *` parses but never comes.
        let start = Utc.with_ymd_and_hms(2000, 1, 1, 0, 0, 0).unwrap();
        if cron.next_after(start, &Zone::utc()).is_none() {
            return Err("never runs (no such date)".into());
        }
        Ok(cron)
    }

    fn day_matches(&self, date: NaiveDate) -> bool {
        if self.months & (1 << date.month()) == 0 {
            return false;
        }
        let day = self.days & (1 << date.day()) != 0;
        let weekday = self.weekdays & (1 << date.weekday().num_days_from_sunday()) != 0;
        match (self.any_day, self.any_weekday) {
            (true, true) => true,
            (true, false) => weekday,
            (false, true) => day,
            (false, false) => day || weekday,
        }
    }

    /// The wall-clock times of `date` that match, earliest first.
    fn times(&self) -> impl Iterator<Item = NaiveTime> + '_ {
        (0..24u32)
            .filter(|h| self.hours & (1 << h) != 0)
            .flat_map(move |h| {
                (0..60u32)
                    .filter(|m| self.minutes & (1 << m) != 0)
                    .map(move |m| NaiveTime::from_hms_opt(h, m, 0).expect("valid time"))
            })
    }

    /// The first occurrence strictly after `after`, in `tz`.
    pub fn next_after(&self, after: DateTime<Utc>, tz: &Zone) -> Option<DateTime<Utc>> {
        // Start a day early: a skipped time maps to a later instant, a repeated one to an
        // earlier one, so wall-clock order and instant order differ by at most hours.
        let first = tz.local(after).date() - Duration::days(1);
        for offset in 0..HORIZON_DAYS {
            let date = first + Duration::days(offset);
            if !self.day_matches(date) {
                continue;
            }
            for time in self.times() {
                let at = instant(date.and_time(time), tz);
                if at > after {
                    return Some(at);
                }
            }
        }
        None
    }

    /// Every occurrence in `(from, to]`, earliest first, each instant once.
    pub fn between(&self, from: DateTime<Utc>, to: DateTime<Utc>, tz: &Zone) -> Vec<DateTime<Utc>> {
        let mut out: Vec<DateTime<Utc>> = Vec::new();
        let mut cursor = from;
        while let Some(next) = self.next_after(cursor, tz) {
            if next > to {
                break;
            }
            out.push(next);
            cursor = next;
        }
        out
    }

    /// The latest occurrence in `(from, to]`, if any.
    pub fn latest_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        tz: &Zone,
    ) -> Option<DateTime<Utc>> {
        self.between(from, to, tz).pop()
    }
}

/// The instant a wall-clock time names in `tz`, by the rules in this module's documentation.
pub fn instant(local: NaiveDateTime, tz: &Zone) -> DateTime<Utc> {
    match tz.instants(local) {
        LocalResult::Single(at) => at,
        // Repeated: the first time the clock shows it.
        LocalResult::Ambiguous(earliest, _) => earliest,
        // Skipped: the first minute that exists after it (gaps are whole minutes).
        LocalResult::None => {
            let mut later = local;
            for _ in 0..24 * 60 {
                later += Duration::minutes(1);
                if let Some(at) = tz.instants(later).earliest() {
                    return at;
                }
            }
            Utc.from_utc_datetime(&local)
        }
    }
}

/// One field as a bit set of allowed values.
fn field(text: &str, name: &str, min: u32, max: u32, names: &[&str]) -> Result<u64, String> {
    let bad = |why: String| Err(format!("{name} field {text:?}: {why}"));
    if text.is_empty() {
        return bad("empty".into());
    }
    let value = |s: &str| -> Result<u32, String> {
        if let Some(i) = names.iter().position(|n| n.eq_ignore_ascii_case(s)) {
            // Month names count from 1, weekday names from 0 (Sunday).
            return Ok(i as u32 + min);
        }
        let n: u32 = s.parse().map_err(|_| {
            if names.is_empty() {
                format!("{s:?} is not a number")
            } else {
                format!("{s:?} is not a number or a name like {}", names[1])
            }
        })?;
        if n < min || n > max {
            return Err(format!("{n} is outside {min}-{max}"));
        }
        Ok(n)
    };
    let mut bits = 0u64;
    for part in text.split(',') {
        let (range, step) = match part.split_once('/') {
            Some((range, step)) => {
                let step: u32 = match step.parse() {
                    Ok(step) if step > 0 => step,
                    _ => return bad(format!("step {step:?} is not a whole number above 0")),
                };
                (range, Some(step))
            }
            None => (part, None),
        };
        let (low, high) = if range == "*" {
            (min, max)
        } else if let Some((a, b)) = range.split_once('-') {
            let (a, b) = match (value(a), value(b)) {
                (Ok(a), Ok(b)) => (a, b),
                (Err(why), _) | (_, Err(why)) => return bad(why),
            };
            if a > b {
                return bad(format!("range {a}-{b} runs backwards"));
            }
            (a, b)
        } else {
            match value(range) {
                // `5/15` means 5, 20, 35, 50: from 5 to the end.
                Ok(a) if step.is_some() => (a, max),
                Ok(a) => (a, a),
                Err(why) => return bad(why),
            }
        };
        let step = step.unwrap_or(1);
        let mut n = low;
        while n <= high {
            bits |= 1 << n;
            n += step;
        }
    }
    Ok(bits)
}

/// A time zone by its IANA name (`Europe/Berlin`, `UTC`), as written: case matters.
pub fn zone(name: &str) -> Result<Zone, String> {
    Zone::named(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn next(cron: &str, tz: &str, after: &str) -> String {
        Cron::parse(cron)
            .unwrap()
            .next_after(utc(after), &zone(tz).unwrap())
            .unwrap()
            .to_rfc3339()
    }

    #[test]
    fn fields_take_values_ranges_steps_lists_and_names() {
        assert_eq!(
            next("0 9 * * MON", "UTC", "2026-03-04T12:00:00Z"),
            "2026-03-09T09:00:00+00:00"
        );
        assert_eq!(
            next("*/15 * * * *", "UTC", "2026-03-04T12:07:00Z"),
            "2026-03-04T12:15:00+00:00"
        );
        assert_eq!(
            next("5/20 * * * *", "UTC", "2026-03-04T12:26:00Z"),
            "2026-03-04T12:45:00+00:00"
        );
        assert_eq!(
            next("0 8-10/2 * * *", "UTC", "2026-03-04T08:00:00Z"),
            "2026-03-04T10:00:00+00:00"
        );
        assert_eq!(
            next("0 0 1 jan,jul *", "UTC", "2026-03-04T00:00:00Z"),
            "2026-07-01T00:00:00+00:00"
        );
        assert_eq!(
            next("0 0 * * 7", "UTC", "2026-03-04T00:00:00Z"),
            "2026-03-08T00:00:00+00:00",
            "7 is Sunday"
        );
        assert_eq!(
            next("0 0 * * sun", "UTC", "2026-03-04T00:00:00Z"),
            "2026-03-08T00:00:00+00:00"
        );
        assert_eq!(
            next("0 12 29 2 *", "UTC", "2026-03-04T00:00:00Z"),
            "2028-02-29T12:00:00+00:00"
        );
    }

    #[test]
    fn day_of_month_and_weekday_both_restricted_means_either() {
        // The 1st of the month or any Friday, as in Vixie cron.
        assert_eq!(
            next("0 0 1 * FRI", "UTC", "2026-03-02T00:00:00Z"),
            "2026-03-06T00:00:00+00:00"
        );
        assert_eq!(
            next("0 0 1 * FRI", "UTC", "2026-03-28T00:00:00Z"),
            "2026-04-01T00:00:00+00:00"
        );
        // Only one restricted: that one alone.
        assert_eq!(
            next("0 0 * * FRI", "UTC", "2026-03-28T00:00:00Z"),
            "2026-04-03T00:00:00+00:00"
        );
    }

    #[test]
    fn mistakes_say_which_field_and_why() {
        for (cron, says) in [
            ("0 9 * *", "4 fields"),
            ("60 9 * * *", "minute field \"60\": 60 is outside 0-59"),
            ("0 24 * * *", "hour field"),
            ("0 9 0 * *", "day of month field"),
            ("0 9 * 13 *", "month field"),
            ("0 9 * * MONDAY", "day of week field \"MONDAY\""),
            ("*/0 * * * *", "step \"0\""),
            ("0 9-5 * * *", "runs backwards"),
            ("0 9 31 2 *", "never runs"),
            ("0 9 ,1 * *", "day of month field"),
        ] {
            let err = Cron::parse(cron).unwrap_err();
            assert!(err.contains(says), "{cron}: {err}");
        }
    }

    #[test]
    fn a_weekly_digest_follows_its_zone_across_daylight_saving() {
        // Monday 9:00 in Berlin is 08:00 UTC in winter, 07:00 UTC in summer.
        assert_eq!(
            next("0 9 * * MON", "Europe/Berlin", "2026-03-24T00:00:00Z"),
            "2026-03-30T07:00:00+00:00"
        );
        assert_eq!(
            next("0 9 * * MON", "Europe/Berlin", "2026-03-20T00:00:00Z"),
            "2026-03-23T08:00:00+00:00"
        );
    }

    #[test]
    fn a_skipped_time_runs_at_the_end_of_the_gap_once() {
        // Berlin skips 02:00-03:00 on 29 March 2026: 02:30 runs at 03:00 CEST = 01:00 UTC.
        let berlin = zone("Europe/Berlin").unwrap();
        let cron = Cron::parse("30 2 * * *").unwrap();
        let day = cron.between(
            utc("2026-03-28T12:00:00Z"),
            utc("2026-03-30T12:00:00Z"),
            &berlin,
        );
        assert_eq!(
            day.iter().map(|d| d.to_rfc3339()).collect::<Vec<_>>(),
            ["2026-03-29T01:00:00+00:00", "2026-03-30T00:30:00+00:00"]
        );
        // Every half hour: 02:00 and 02:30 both fall in the gap and 03:00 is a time too; the
        // three are one instant and run once.
        let half_hourly = Cron::parse("0,30 * * * *").unwrap();
        let around = half_hourly.between(
            utc("2026-03-29T00:00:00Z"),
            utc("2026-03-29T02:00:00Z"),
            &berlin,
        );
        assert_eq!(
            around.iter().map(|d| d.to_rfc3339()).collect::<Vec<_>>(),
            [
                "2026-03-29T00:30:00+00:00",
                "2026-03-29T01:00:00+00:00",
                "2026-03-29T01:30:00+00:00",
                "2026-03-29T02:00:00+00:00"
            ]
        );
    }

    #[test]
    fn a_repeated_time_runs_once_at_its_first_instant() {
        // New York repeats 01:00-02:00 on 1 November 2026: 01:30 EDT (05:30 UTC) runs, 01:30
        // EST (06:30 UTC) does not.
        let new_york = zone("America/New_York").unwrap();
        let cron = Cron::parse("30 1 * * *").unwrap();
        let runs = cron.between(
            utc("2026-10-31T12:00:00Z"),
            utc("2026-11-02T12:00:00Z"),
            &new_york,
        );
        assert_eq!(
            runs.iter().map(|d| d.to_rfc3339()).collect::<Vec<_>>(),
            ["2026-11-01T05:30:00+00:00", "2026-11-02T06:30:00+00:00"]
        );
        assert_eq!(
            cron.next_after(utc("2026-11-01T05:30:00Z"), &new_york)
                .unwrap()
                .to_rfc3339(),
            "2026-11-02T06:30:00+00:00",
            "not again in the repeated hour"
        );
    }

    #[test]
    fn zones_are_iana_names() {
        assert!(zone("Europe/Berlin").is_ok());
        assert!(zone("UTC").is_ok());
        assert!(zone("Mars/Olympus").unwrap_err().contains("IANA"));
        assert!(zone("CEST").is_err());
    }
}
