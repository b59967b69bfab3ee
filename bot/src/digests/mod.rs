//! Digests: chosen stats posted to a channel on a schedule, declared in the `BOT_DIGESTS` file.
//!
//! - [`file`]: the file and its checks (pure)
//! - [`schedule`]: 5-field cron in an IANA time zone, daylight saving included (pure)
//! - [`message`]: one digest as one Slack message (pure)
//! - [`runner`]: which occurrences are due, rendering each stat through `pipeline::run`, and
//!   posting through `slack_api`, once per occurrence
//!
//! What triggers a pass is the edge's business (`scheduled`): a timer on a local server, the
//! EventBridge Scheduler's tick on Lambda.

pub mod file;
pub mod marker;
pub mod message;
pub mod runner;
pub mod schedule;

pub use file::Digest;
pub use runner::{DigestRunner, Report};

use std::time::Duration;

use chrono::{DateTime, Utc};

/// How far back a pass looks for an occurrence not yet posted: a restart, a deploy or a late
/// tick within this window neither skips nor doubles a digest.
pub const GRACE: Duration = Duration::from_secs(10 * 60);

/// The occurrence a pass should post for `digest`, if any: the latest in
/// `(clock − grace, min(tick, clock)]` that is later than `done` (the last occurrence this
/// process finished). Older missed occurrences in the window are superseded by it: one post
/// with today's numbers, not several. `tick` is when the pass was scheduled (the scheduler's
/// time on Lambda; the clock locally). Pure.
pub fn due(
    digest: &Digest,
    tick: DateTime<Utc>,
    clock: DateTime<Utc>,
    grace: Duration,
    done: Option<DateTime<Utc>>,
) -> Option<DateTime<Utc>> {
    let grace = chrono::Duration::from_std(grace).unwrap_or(chrono::Duration::MAX);
    let from = clock - grace;
    let to = tick.min(clock);
    let latest = digest.schedule.latest_between(from, to, &digest.timezone)?;
    match done {
        Some(done) if done >= latest => None,
        _ => Some(latest),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digest(schedule: &str, tz: &str) -> Digest {
        let text = format!(
            "[[digests]]\nname = \"d\"\nchannel = \"C0123456789\"\nschedule = \"{schedule}\"\n\
             timezone = \"{tz}\"\nstats = [\"members\"]"
        );
        file::parse(&text).unwrap().remove(0)
    }

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn a_pass_posts_the_latest_occurrence_in_the_grace_window_once() {
        let weekly = digest("0 9 * * MON", "Europe/Berlin");
        let nine = utc("2026-03-09T08:00:00Z");
        // On the minute, and a deploy or late tick up to ten minutes after.
        assert_eq!(due(&weekly, nine, nine, GRACE, None), Some(nine));
        let later = utc("2026-03-09T08:09:30Z");
        assert_eq!(due(&weekly, later, later, GRACE, None), Some(nine));
        let too_late = utc("2026-03-09T08:10:30Z");
        assert_eq!(due(&weekly, too_late, too_late, GRACE, None), None);
        // Once done, not again; not before its time.
        assert_eq!(due(&weekly, later, later, GRACE, Some(nine)), None);
        let before = utc("2026-03-09T07:59:59Z");
        assert_eq!(due(&weekly, before, before, GRACE, None), None);
    }

    #[test]
    fn a_tick_delivered_late_counts_from_its_scheduled_time_but_never_past_the_clock() {
        let minutely = digest("* * * * *", "UTC");
        let tick = utc("2026-03-09T08:00:00Z");
        let clock = utc("2026-03-09T08:00:40Z");
        assert_eq!(due(&minutely, tick, clock, GRACE, None), Some(tick));
        // A tick stamped ahead of the clock posts nothing from the future.
        let ahead = utc("2026-03-09T08:05:00Z");
        assert_eq!(due(&minutely, ahead, clock, GRACE, None), Some(tick));
        // Missed minutes are superseded by the latest: one post.
        assert_eq!(
            due(
                &minutely,
                clock,
                clock,
                GRACE,
                Some(utc("2026-03-09T07:52:00Z"))
            ),
            Some(tick)
        );
    }
}
